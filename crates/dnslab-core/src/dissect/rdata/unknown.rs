//! The RFC 3597 generic form (`\# length hex`), used for types without a field-level decoder and
//! for RDATA that did not parse as its type.

use super::thumbprints::DIG_CHUNK_WIDTH;
use crate::dissect::text::{split_into_chunks, upper_hex};

/// `\# 4 0A000001`: the length in decimal, then the bytes in hex (a space every 56 digits),
/// as BIND prints unknown data.
pub(crate) fn generic_presentation(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "\\# 0".to_owned();
    }
    format!(
        "\\# {} {}",
        bytes.len(),
        split_into_chunks(&upper_hex(bytes), DIG_CHUNK_WIDTH)
    )
}
