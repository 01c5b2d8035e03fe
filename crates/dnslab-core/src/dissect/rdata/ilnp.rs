//! The Identifier-Locator Network Protocol's records (RFC 6742 §2): NID, L32 and L64, each a
//! preference and a 64- or 32-bit value (LP, a preference and a name, is in `names.rs`).
//!
//! ```text
//! Preference (2) | NodeID (8) or Locator32 (4) or Locator64 (8)
//! ```

use super::RdataReader;
use crate::dissect::text::{ipv4_text, push_decimal};

/// NID and L64: `preference xxxx:xxxx:xxxx:xxxx`, four 16-bit groups in lower-case hex without
/// leading zeros, as BIND prints them.
pub(super) fn decode_64_bit(
    reader: &mut RdataReader<'_, '_>,
    field: &str,
    label: &str,
) -> Option<String> {
    let preference = preference_field(reader)?;
    let value = reader.bytes_field(field, label, 8, groups_text)?;
    let mut presentation = String::with_capacity(26);
    push_decimal(&mut presentation, u32::from(preference));
    presentation.push(' ');
    presentation.push_str(&groups_text(value));
    Some(presentation)
}

/// L32: `preference a.b.c.d`, the locator written as an IPv4 address.
pub(super) fn decode_l32(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let preference = preference_field(reader)?;
    let value = reader.bytes_field("locator32", "Locator (32 bits)", 4, ipv4_text)?;
    Some(format!("{preference} {}", ipv4_text(value)))
}

fn preference_field(reader: &mut RdataReader<'_, '_>) -> Option<u16> {
    reader.u16_field("preference", "Preference", |value| {
        format!("{value} (lower values are preferred)")
    })
}

/// `14:4fff:ff20:ee64`.
fn groups_text(bytes: &[u8]) -> String {
    let groups: Vec<String> = bytes
        .chunks(2)
        .map(|pair| {
            let high = pair.first().copied().unwrap_or(0);
            let low = pair.get(1).copied().unwrap_or(0);
            format!("{:x}", u16::from_be_bytes([high, low]))
        })
        .collect();
    groups.join(":")
}
