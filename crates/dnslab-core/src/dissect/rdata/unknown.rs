//! The RFC 3597 generic form (`\# length hex`), used for types without a field-level decoder and
//! for RDATA that did not parse as its type.

use super::thumbprints::DIG_CHUNK_WIDTH;
use crate::dissect::text::{push_decimal, push_upper_hex_chunked};

/// `\# 4 0A000001`: the length in decimal, then the bytes in hex (a space every 56 digits),
/// as BIND prints unknown data.
pub(crate) fn generic_presentation(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "\\# 0".to_owned();
    }
    // One pass into one string: this runs for every record without a decoder.
    let digits = bytes.len() * 2;
    let mut output = String::with_capacity(10 + digits + digits / DIG_CHUNK_WIDTH);
    output.push_str("\\# ");
    push_decimal(&mut output, bytes.len() as u32);
    output.push(' ');
    push_upper_hex_chunked(&mut output, bytes, DIG_CHUNK_WIDTH);
    output
}
