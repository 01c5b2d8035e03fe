//! Records whose data is domain names, alone or after a preference: NS, CNAME, PTR, DNAME, MB,
//! MG, MR, NSAP-PTR (RFC 1035 §3.3, RFC 6672, RFC 1706 §6); MX, RT, KX, LP (a preference and a
//! name: RFC 1035 §3.3.9, RFC 1183 §3.3, RFC 2230 §3.1, RFC 6742 §2.4); MINFO, RP, TALINK (two
//! names: RFC 1035 §3.3.7, RFC 1183 §2.2, the TALINK registration); AFSDB (a subtype and a
//! name: RFC 1183 §1) and PX (a preference and two names: RFC 2163 §4).
//!
//! Whether a server may compress these names differs (RFC 3597 §4 allows it only for the RFC
//! 1035 types: NS, CNAME, PTR, MB, MG, MR, MINFO, MX), but every decoder must accept pointers
//! (RFC 3597 §4 again, for RP, AFSDB, RT, PX), so all of them read names the same way.

use super::RdataReader;
use crate::dissect::text::with_decimal_prefix;

/// NS, CNAME, PTR, DNAME, MB, MG, MR, NSAP-PTR: the name alone.
pub(super) fn decode_single_name(
    reader: &mut RdataReader<'_, '_>,
    field: &str,
    label: &str,
) -> Option<String> {
    let name = reader.name_field(field, label)?;
    Some(name.text)
}

/// MX: `preference exchange`.
pub(super) fn decode_mx(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    decode_preference_and_name(reader, "exchange", "Mail exchange")
}

/// RT, KX and LP: `preference name`, the name being what `field` and `label` say.
pub(super) fn decode_preference_and_name(
    reader: &mut RdataReader<'_, '_>,
    field: &str,
    label: &str,
) -> Option<String> {
    let preference = reader.u16_field("preference", "Preference", |value| {
        format!("{value} (lower values are tried first)")
    })?;
    let name = reader.name_field(field, label)?;
    // The preference goes in front of the name's text, in the same buffer.
    Some(with_decimal_prefix(name.text, u32::from(preference)))
}

/// MINFO, RP and TALINK: `first second`, two names.
pub(super) fn decode_two_names(
    reader: &mut RdataReader<'_, '_>,
    first: (&str, &str),
    second: (&str, &str),
) -> Option<String> {
    let first = reader.name_field(first.0, first.1)?;
    let second = reader.name_field(second.0, second.1)?;
    Some(format!("{} {}", first.text, second.text))
}

/// AFSDB: `subtype hostname`.
pub(super) fn decode_afsdb(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let subtype = reader.u16_field("subtype", "Subtype", |value| {
        let meaning = match value {
            1 => "AFS version 3 volume location server",
            2 => "DCE/NCA authenticated name server",
            _ => "unassigned",
        };
        format!("{value} ({meaning})")
    })?;
    let hostname = reader.name_field("hostname", "Server host")?;
    Some(with_decimal_prefix(hostname.text, u32::from(subtype)))
}

/// PX: `preference map822 mapx400`.
pub(super) fn decode_px(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let preference = reader.u16_field("preference", "Preference", |value| {
        format!("{value} (lower values are tried first)")
    })?;
    let map822 = reader.name_field("map822", "RFC 822 domain")?;
    let mapx400 = reader.name_field("mapx400", "X.400 domain")?;
    Some(format!("{preference} {} {}", map822.text, mapx400.text))
}
