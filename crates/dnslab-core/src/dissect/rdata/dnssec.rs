//! Placeholder, filled in by the field-level decoder commit.

use super::RdataReader;

pub(super) fn decode_ds(_reader: &mut RdataReader<'_, '_>) -> Option<String> {
    None
}

pub(super) fn decode_dnskey(_reader: &mut RdataReader<'_, '_>) -> Option<String> {
    None
}

pub(super) fn decode_rrsig(_reader: &mut RdataReader<'_, '_>) -> Option<String> {
    None
}
