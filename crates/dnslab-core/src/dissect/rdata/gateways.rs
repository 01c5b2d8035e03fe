//! Records that name a gateway or relay by a type byte and then an address or a name:
//! IPSECKEY (RFC 4025 §2) and AMTRELAY (RFC 8777 §4).
//!
//! ```text
//! IPSECKEY: precedence (1) | gateway type (1) | algorithm (1) | gateway | public key (the rest)
//! AMTRELAY: precedence (1) | D (1 bit) type (7 bits) | relay
//! ```
//!
//! Gateway and relay types: 0 none, 1 an IPv4 address, 2 an IPv6 address, 3 an uncompressed
//! domain name. BIND prints the record the RFC 3597 way for any other type, and so does dnslab.

use super::address::ipv6_from;
use super::thumbprints::DIG_CHUNK_WIDTH;
use super::RdataReader;
use crate::dissect::model::{Field, Severity};
use crate::dissect::text::{base64, ipv4_text, ipv6_text, split_into_chunks};

/// Reads the gateway or relay of type `gateway_type` and returns its text (`none_text` for
/// none); an unknown type is reported with `unknown_severity`; `None` when the RDATA ends first or the type is unknown (reported).
fn read_gateway(
    reader: &mut RdataReader<'_, '_>,
    gateway_type: u8,
    type_offset: usize,
    (field, label): (&str, &str),
    none_text: &str,
    unknown_severity: Severity,
) -> Option<String> {
    match gateway_type {
        0 => Some(none_text.to_owned()),
        1 => {
            let bytes = reader.bytes_field(field, label, 4, ipv4_text)?;
            Some(ipv4_text(bytes))
        }
        2 => {
            let bytes =
                reader.bytes_field(field, label, 16, |bytes| ipv6_text(&ipv6_from(bytes)))?;
            Some(ipv6_text(&ipv6_from(bytes)))
        }
        3 => {
            let name = reader.name_field(field, label)?;
            if let Some(pointer) = name.first_pointer {
                let type_name = reader.type_name();
                // Decoders follow the pointer (dig does), so this is the sender's fault only.
                reader.report(
                    pointer.offset,
                    2,
                    Severity::Warning,
                    format!(
                        "The {type_name} {} name uses a compression pointer; {} says it must not \
                         be compressed.",
                        label.to_ascii_lowercase(),
                        if type_name == "IPSECKEY" {
                            "RFC 4025 §2.5"
                        } else {
                            "RFC 8777 §4.2.4"
                        }
                    ),
                );
            }
            Some(name.text)
        }
        other => {
            let type_name = reader.type_name();
            let (_, span) = reader.take_rest();
            reader.push_field_with(|reader| {
                Field::leaf(
                    reader.key("data"),
                    "Data of an unknown type",
                    crate::dissect::text::upper_hex(reader.message_bytes(span).unwrap_or_default()),
                    span,
                )
            });
            reader.report(
                type_offset,
                1,
                unknown_severity,
                format!(
                    "The {type_name} {} type is {other}; only 0 to 3 are defined (none, IPv4, \
                     IPv6, domain name), so what follows cannot be read.",
                    label.to_ascii_lowercase()
                ),
            );
            reader.fail();
            None
        }
    }
}

fn gateway_type_text(value: u8) -> String {
    let meaning = match value {
        0 => "no gateway",
        1 => "IPv4 address",
        2 => "IPv6 address",
        3 => "domain name",
        _ => "unassigned",
    };
    format!("{value} ({meaning})")
}

/// The IPSECKEY public-key algorithm numbers (IANA "IPSECKEY Resource Record Parameters"),
/// shared by HIP (RFC 8005 §5).
pub(super) fn public_key_algorithm_text(value: u8) -> String {
    let name = match value {
        0 => "no key",
        1 => "DSA",
        2 => "RSA",
        3 => "ECDSA",
        4 => "EdDSA",
        _ => "unassigned",
    };
    format!("{value} ({name})")
}

/// IPSECKEY: `precedence gateway-type algorithm gateway PUBLIC-KEY`, the key left out when
/// there is none.
pub(super) fn decode_ipseckey(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let precedence = reader.u8_field("precedence", "Precedence", |value| {
        format!("{value} (lower values are tried first)")
    })?;
    let type_offset = reader.position();
    let gateway_type = reader.u8_field("gateway_type", "Gateway type", gateway_type_text)?;
    let algorithm = reader.u8_field(
        "public_key_algorithm",
        "Public key algorithm",
        public_key_algorithm_text,
    )?;
    let gateway = read_gateway(
        reader,
        gateway_type,
        type_offset,
        ("gateway", "Gateway"),
        ".",
        // BIND refuses such a record ("not implemented").
        Severity::Error,
    )?;
    let key = reader.rest_field("public_key", "Public key", base64)?;
    let mut presentation = format!("{precedence} {gateway_type} {algorithm} {gateway}");
    if !key.is_empty() {
        presentation.push(' ');
        presentation.push_str(&split_into_chunks(&base64(key), DIG_CHUNK_WIDTH));
    }
    Some(presentation)
}

/// AMTRELAY: `precedence discovery-optional type relay`, the relay `.` for type 0 (as dig 9.18
/// prints it).
pub(super) fn decode_amtrelay(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let precedence = reader.u8_field("precedence", "Precedence", |value| {
        format!("{value} (lower values are tried first)")
    })?;
    let type_offset = reader.position();
    let (type_bytes, type_span) = reader.take(1, "relay type")?;
    let type_byte = *type_bytes.first()?;
    let discovery = type_byte >> 7;
    let relay_type = type_byte & 0x7f;
    reader.push_field_with(|reader| {
        Field::bits(
            reader.key("discovery_optional"),
            "Discovery optional (D)",
            if discovery == 1 {
                "1 (the relay may be used without discovery)"
            } else {
                "0 (discover the relay first)"
            },
            type_span,
            0x80,
        )
    });
    reader.push_field_with(|reader| {
        Field::bits(
            reader.key("relay_type"),
            "Relay type",
            gateway_type_text(relay_type),
            type_span,
            0x7f,
        )
    });
    // RFC 8777 §4.2.3 leaves the other types for later use: dig prints such a record the
    // RFC 3597 way, and neither it nor Wireshark call it malformed.
    let relay = read_gateway(
        reader,
        relay_type,
        type_offset,
        ("relay", "Relay"),
        ".",
        Severity::Warning,
    )?;
    Some(format!("{precedence} {discovery} {relay_type} {relay}"))
}
