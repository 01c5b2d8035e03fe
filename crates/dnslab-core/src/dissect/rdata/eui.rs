//! EUI48 and EUI64 (RFC 7043 §3, §4): a 48- or 64-bit IEEE Extended Unique Identifier, such
//! as a MAC address.

use super::RdataReader;

/// EUI48 and EUI64: the bytes in lower-case hex joined by hyphens, `00-00-5e-00-53-2a`.
pub(super) fn decode_eui(
    reader: &mut RdataReader<'_, '_>,
    field: &str,
    label: &str,
    length: usize,
) -> Option<String> {
    let bytes = reader.bytes_field(field, label, length, hyphenated_hex)?;
    Some(hyphenated_hex(bytes))
}

fn hyphenated_hex(bytes: &[u8]) -> String {
    let parts: Vec<String> = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    parts.join("-")
}
