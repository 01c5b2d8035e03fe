//! Records that are a digest of something: ZONEMD (RFC 8976 §2.2, a digest of the whole zone)
//! and DHCID (RFC 4701 §3, a digest of a DHCP client's identity).
//!
//! ```text
//! ZONEMD: serial (4) | scheme (1) | hash algorithm (1) | digest (the rest)
//! DHCID: identifier type (2) | digest type (1) | digest (the rest), printed as one base64 text
//! ```

use super::thumbprints::DIG_CHUNK_WIDTH;
use super::RdataReader;
use crate::dissect::model::Severity;
use crate::dissect::text::{base64, split_into_chunks, upper_hex};

/// ZONEMD: `serial scheme hash-algorithm DIGEST` (hex).
pub(super) fn decode_zonemd(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let serial = reader.u32_field("soa_serial", "Zone serial", |value| {
        format!("{value} (the SOA serial of the zone version digested)")
    })?;
    let scheme = reader.u8_field("scheme", "Scheme", |value| {
        let name = match value {
            1 => "SIMPLE",
            240..=254 => "private use",
            _ => "unassigned",
        };
        format!("{value} ({name})")
    })?;
    let hash_algorithm = reader.u8_field("zonemd_hash_algorithm", "Hash algorithm", |value| {
        let name = match value {
            1 => "SHA-384",
            2 => "SHA-512",
            240..=254 => "private use",
            _ => "unassigned",
        };
        format!("{value} ({name})")
    })?;
    let digest_offset = reader.position();
    let digest = reader.rest_field("zone_digest", "Zone digest", upper_hex)?;
    let expected = match hash_algorithm {
        1 => Some(48),
        2 => Some(64),
        _ => None,
    };
    if let Some(expected) = expected.filter(|expected| *expected != digest.len()) {
        reader.report(
            digest_offset,
            digest.len(),
            Severity::Error,
            format!(
                "The ZONEMD digest is {} bytes, but hash algorithm {hash_algorithm} produces \
                 {expected} (RFC 8976 §2.2.3).",
                digest.len()
            ),
        );
    }
    if digest.len() < 12 {
        // RFC 8976 §2.2.4: a digest shorter than 12 octets is not a ZONEMD; BIND refuses it.
        reader.report(
            digest_offset,
            digest.len(),
            Severity::Error,
            format!(
                "The ZONEMD digest is {} bytes; RFC 8976 §2.2.4 requires at least 12.",
                digest.len()
            ),
        );
        reader.fail();
        return None;
    }
    Some(format!(
        "{serial} {scheme} {hash_algorithm} {}",
        split_into_chunks(&upper_hex(digest), DIG_CHUNK_WIDTH)
    ))
}

/// DHCID: the whole RDATA in base64, read as its three fields when it is long enough for them.
pub(super) fn decode_dhcid(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let start = reader.position();
    let length = reader.remaining();
    if length == 0 {
        reader.report(
            start,
            0,
            Severity::Error,
            "This DHCID record is empty; RFC 4701 §3 requires an identifier type, a digest type \
             and a digest."
                .to_owned(),
        );
        reader.fail();
        return None;
    }
    if length < 3 {
        // dig prints these bytes in base64 all the same, and neither it nor Wireshark call the
        // record malformed.
        reader.rest_field("data", "Data", base64);
        reader.report(
            start,
            length,
            Severity::Warning,
            format!(
                "This DHCID record has {length} byte{}, too few for its identifier type and \
                 digest type (RFC 4701 §3).",
                if length == 1 { "" } else { "s" }
            ),
        );
    } else {
        reader.u16_field("identifier_type", "Identifier type", |value| {
            let name = match value {
                0 => "the htype and chaddr of a DHCPv4 client",
                1 => "a DHCPv4 client identifier option",
                2 => "a DHCPv4 or DHCPv6 DUID",
                0xfffe | 0xffff => "reserved",
                _ => "unassigned",
            };
            format!("{value} ({name})")
        })?;
        reader.u8_field("dhcid_digest_type", "Digest type", |value| {
            if value == 1 {
                "1 (SHA-256)".to_owned()
            } else {
                format!("{value} (unassigned)")
            }
        })?;
        reader.rest_field("dhcid_digest", "Digest", base64)?;
    }
    let whole = reader.message_bytes(crate::dissect::model::Span::new(start, length))?;
    Some(split_into_chunks(&base64(whole), DIG_CHUNK_WIDTH))
}
