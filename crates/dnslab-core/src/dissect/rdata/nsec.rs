//! Placeholder, filled in by the field-level decoder commit.

use super::RdataReader;

pub(super) fn decode_nsec(_reader: &mut RdataReader<'_, '_>) -> Option<String> {
    None
}

pub(super) fn decode_nsec3(_reader: &mut RdataReader<'_, '_>) -> Option<String> {
    None
}

pub(super) fn decode_nsec3param(_reader: &mut RdataReader<'_, '_>) -> Option<String> {
    None
}
