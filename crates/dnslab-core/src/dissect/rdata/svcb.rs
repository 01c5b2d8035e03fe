//! Placeholder, filled in by the field-level decoder commit.

use super::RdataReader;

pub(super) fn decode_svcb(_reader: &mut RdataReader<'_, '_>) -> Option<String> {
    None
}
