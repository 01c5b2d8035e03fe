//! Records made of character-strings: TXT and SPF (RFC 1035 §3.3.14, RFC 7208) and the types
//! laid out like TXT (NINFO, AVC, RESINFO: their IANA registrations, RFC 9606 §4), HINFO
//! (RFC 1035 §3.3.2), X25 and ISDN (RFC 1183 §3.1, §3.2) and GPOS (RFC 1712 §3).

use super::RdataReader;
use crate::dissect::model::Severity;
use crate::dissect::text::{ascii_string, push_quoted_character_string, quoted_character_string};

/// TXT, SPF, NINFO, AVC, RESINFO: one or more character-strings, each quoted, separated by
/// spaces.
pub(super) fn decode_txt(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    // Room for the strings with their quotes and a few escapes.
    let mut presentation = Vec::with_capacity(reader.remaining() + 8);
    if reader.remaining() == 0 {
        // RFC 1035 §3.3.14: one or more character-strings; dig rejects an empty RDATA.
        let position = reader.position();
        let type_name = reader.type_name();
        reader.report(
            position,
            0,
            Severity::Error,
            format!(
                "This {type_name} record's RDATA is empty; a {type_name} record holds at least \
                 one character-string (which may itself be empty, a single zero byte)."
            ),
        );
        reader.fail();
        return None;
    }
    while reader.remaining() > 0 {
        let text = reader.character_string_field("text", "Text")?;
        if !presentation.is_empty() {
            presentation.push(b' ');
        }
        push_quoted_character_string(&mut presentation, text);
    }
    Some(ascii_string(presentation))
}

/// HINFO: `"cpu" "os"`.
pub(super) fn decode_hinfo(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let cpu = reader.character_string_field("cpu", "CPU")?;
    let os = reader.character_string_field("os", "Operating system")?;
    Some(format!(
        "{} {}",
        quoted_character_string(cpu),
        quoted_character_string(os)
    ))
}

/// X25: `"psdn-address"`, the X.121 number of a host on a public data network.
pub(super) fn decode_x25(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let offset = reader.position();
    let address = reader.character_string_field("psdn_address", "PSDN address")?;
    if address.len() < 4 {
        // BIND refuses such a record (dig reports FORMERR).
        reader.report(
            offset,
            1 + address.len(),
            Severity::Error,
            format!(
                "The X25 PSDN address has {} character{}; RFC 1183 §3.1 requires at least the \
                 4 digits of the data network identification code.",
                address.len(),
                if address.len() == 1 { "" } else { "s" }
            ),
        );
    }
    Some(quoted_character_string(address))
}

/// ISDN: `"isdn-address"` or `"isdn-address" "subaddress"`.
pub(super) fn decode_isdn(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let address = reader.character_string_field("isdn_address", "ISDN address")?;
    let mut presentation = quoted_character_string(address);
    if reader.remaining() > 0 {
        let subaddress = reader.character_string_field("subaddress", "Subaddress")?;
        presentation.push(' ');
        presentation.push_str(&quoted_character_string(subaddress));
    }
    Some(presentation)
}

/// GPOS: `"longitude" "latitude" "altitude"`, three numbers written as text.
pub(super) fn decode_gpos(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let longitude = reader.character_string_field("longitude", "Longitude")?;
    let latitude = reader.character_string_field("latitude", "Latitude")?;
    let altitude = reader.character_string_field("altitude", "Altitude")?;
    Some(format!(
        "{} {} {}",
        quoted_character_string(longitude),
        quoted_character_string(latitude),
        quoted_character_string(altitude)
    ))
}
