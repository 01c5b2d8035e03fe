//! Placeholder, filled in by the field-level decoder commit.

use super::RdataReader;

pub(super) fn decode_sshfp(_reader: &mut RdataReader<'_, '_>) -> Option<String> {
    None
}

pub(super) fn decode_tlsa(_reader: &mut RdataReader<'_, '_>) -> Option<String> {
    None
}
