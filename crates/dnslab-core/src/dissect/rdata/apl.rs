//! APL (RFC 3123 §4): a list of address prefixes, each included or excluded.
//!
//! ```text
//! { ADDRESSFAMILY (2) | PREFIX (1) | N (1 bit) AFDLENGTH (7 bits) | AFDPART (AFDLENGTH) }*
//! ```
//!
//! AFDPART is the address with its trailing zero bytes left out (§4.1), so `192.0.2.0/24` takes
//! 3 bytes and `0.0.0.0/0` none. The list may be empty. BIND (and so dig) decodes APL in class
//! IN only and prints families other than 1 (IPv4) and 2 (IPv6) the RFC 3597 way.

use super::address::ipv6_from;
use super::RdataReader;
use crate::dissect::model::{Field, Severity, Span};
use crate::dissect::text::{ipv4_text, ipv6_text, upper_hex};

const FAMILY_IPV4: u16 = 1;
const FAMILY_IPV6: u16 = 2;

/// APL: `[!]family:address/prefix ...`, separated by spaces; empty for an empty list.
pub(super) fn decode_apl(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let mut items = Vec::new();
    let mut presentable = true;
    while reader.remaining() > 0 {
        let item_offset = reader.position();
        let (header, _) = reader.take(4, "APL item header")?;
        let family = u16::from_be_bytes([
            header.first().copied().unwrap_or(0),
            header.get(1).copied().unwrap_or(0),
        ]);
        let prefix = header.get(2).copied().unwrap_or(0);
        let length_byte = header.get(3).copied().unwrap_or(0);
        let negated = length_byte & 0x80 != 0;
        let afd_length = usize::from(length_byte & 0x7f);
        let (afd_part, afd_span) = reader.take(afd_length, "APL address part")?;
        let (address_size, prefix_limit) = match family {
            FAMILY_IPV4 => (4, 32),
            FAMILY_IPV6 => (16, 128),
            _ => (0, 0),
        };
        let mut address_text = None;
        if address_size == 0 {
            // Not malformed (RFC 3123 leaves room for other families, and neither dig nor
            // Wireshark call it an error), only not presentable in APL's text form.
            reader.report(
                item_offset,
                2,
                Severity::Warning,
                format!(
                    "APL address family {family} is neither 1 (IPv4) nor 2 (IPv6), the two \
                     RFC 3123 §4 defines; dig prints such a record in hex."
                ),
            );
            presentable = false;
        } else if afd_length > address_size || prefix > prefix_limit {
            reader.report(
                item_offset + 2,
                2,
                Severity::Error,
                format!(
                    "This APL item of family {family} has prefix length {prefix} and {afd_length} \
                     address bytes; the family allows at most {prefix_limit} bits and \
                     {address_size} bytes (RFC 3123 §4)."
                ),
            );
            presentable = false;
        } else {
            if afd_part.last() == Some(&0) {
                reader.report(
                    afd_span.offset + afd_length - 1,
                    1,
                    Severity::Error,
                    "This APL address part ends with a zero byte; RFC 3123 §4.1 says trailing \
                     zero bytes must be left out, and dig refuses the record."
                        .to_owned(),
                );
            }
            let needed = usize::from(prefix).div_ceil(8);
            if afd_length > needed {
                reader.report(
                    afd_span.offset + needed,
                    afd_length - needed,
                    Severity::Warning,
                    format!(
                        "This APL address part has {afd_length} bytes, but its prefix length \
                         {prefix} covers only {needed}; the bits past the prefix mean nothing."
                    ),
                );
            }
            let mut octets = [0u8; 16];
            for (target, source) in octets.iter_mut().zip(afd_part) {
                *target = *source;
            }
            address_text = Some(if family == FAMILY_IPV4 {
                ipv4_text(octets.get(..4).unwrap_or_default())
            } else {
                ipv6_text(&ipv6_from(&octets))
            });
        }
        if reader.building_tree() {
            let item_text = match &address_text {
                Some(address) => {
                    format!(
                        "{}{family}:{address}/{prefix}",
                        if negated { "!" } else { "" }
                    )
                }
                None => upper_hex(afd_part),
            };
            let mut children = vec![
                Field::leaf(
                    reader.key("item.family"),
                    "Address family",
                    family_text(family),
                    Span::new(item_offset, 2),
                ),
                Field::leaf(
                    reader.key("item.prefix"),
                    "Prefix length",
                    format!("{prefix} bits"),
                    Span::new(item_offset + 2, 1),
                ),
                Field::bits(
                    reader.key("item.negation"),
                    "Negation (N)",
                    if negated {
                        "1 (the prefix is excluded)"
                    } else {
                        "0 (the prefix is included)"
                    },
                    Span::new(item_offset + 3, 1),
                    0x80,
                ),
                Field::bits(
                    reader.key("item.afd_length"),
                    "Address length (AFDLENGTH)",
                    format!("{afd_length} bytes"),
                    Span::new(item_offset + 3, 1),
                    0x7f,
                ),
            ];
            if afd_length > 0 {
                children.push(Field::leaf(
                    reader.key("item.address"),
                    "Address part (AFDPART)",
                    address_text.clone().unwrap_or_else(|| upper_hex(afd_part)),
                    afd_span,
                ));
            }
            reader.push_field_with(|reader| {
                Field::leaf(
                    reader.key("item"),
                    "Address prefix",
                    item_text,
                    Span::new(item_offset, 4 + afd_length),
                )
                .with_children(children)
            });
        }
        if let Some(address) = address_text {
            let negation = if negated { "!" } else { "" };
            items.push(format!("{negation}{family}:{address}/{prefix}"));
        }
    }
    if !presentable {
        reader.fail();
        return None;
    }
    Some(items.join(" "))
}

fn family_text(family: u16) -> String {
    match family {
        FAMILY_IPV4 => "1 (IPv4)".to_owned(),
        FAMILY_IPV6 => "2 (IPv6)".to_owned(),
        other => format!("{other} (not defined for APL)"),
    }
}
