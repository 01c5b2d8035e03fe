//! Address-like fields in text form: APL prefixes (RFC 3123), IPSECKEY gateways (RFC 4025), ILNP 64-bit locators (RFC 6742) and EUI-48/EUI-64 addresses (RFC 7043).

use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use super::{at_token, token_error, Fields};
use crate::zone::lexer::Token;
use crate::zone::text::{self, TextError};
use crate::zone::ZoneError;

/// APL's address families (IANA "Address Family Numbers"): the two Knot and BIND read.
const FAMILY_IPV4: u16 = 1;
const FAMILY_IPV6: u16 = 2;

/// Appends one APL item per token: `[!]family:address/prefix` (RFC 3123 section 5). No token at
/// all is an empty list, which is valid.
pub(super) fn parse_apl(tokens: &[Token<'_>], wire: &mut Vec<u8>) -> Result<(), ZoneError> {
    for token in tokens {
        push_apl_item(token, wire)?;
    }
    Ok(())
}

fn push_apl_item(token: &Token<'_>, wire: &mut Vec<u8>) -> Result<(), ZoneError> {
    let shape = || {
        at_token(
            token,
            format!(
                "\"{}\" is not an address prefix: write family:address/prefix, like 1:192.0.2.0/24 or 2:2001:db8::/32, with ! in front to exclude it",
                token.raw
            ),
        )
    };
    let (negated, item) = match token.raw.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, token.raw),
    };
    let family_offset = usize::from(negated);
    let (family_text, address_and_prefix) = item.split_once(':').ok_or_else(shape)?;
    let (address_text, prefix_text) = address_and_prefix.rsplit_once('/').ok_or_else(shape)?;
    let address_offset = family_offset + family_text.len() + 1;
    let prefix_offset = address_offset + address_text.len() + 1;
    let at = |offset: usize, message: String| token_error(token, TextError::new(offset, message));

    let family = text::parse_number(family_text, u64::from(u16::MAX), "address family")
        .map_err(|error| at(family_offset, error.message))?;
    let family = u16::try_from(family).unwrap_or(u16::MAX);
    let (octets, maximum_prefix): (Vec<u8>, u64) = match family {
        FAMILY_IPV4 => {
            let address = Ipv4Addr::from_str(address_text).map_err(|_| {
                at(
                    address_offset,
                    format!("\"{address_text}\" is not an IPv4 address like 192.0.2.0"),
                )
            })?;
            (address.octets().to_vec(), 32)
        }
        FAMILY_IPV6 => {
            let address = Ipv6Addr::from_str(address_text).map_err(|_| {
                at(
                    address_offset,
                    format!("\"{address_text}\" is not an IPv6 address like 2001:db8::"),
                )
            })?;
            (address.octets().to_vec(), 128)
        }
        _ => {
            return Err(at(
                family_offset,
                format!("the address family must be 1 (IPv4) or 2 (IPv6), not {family_text}"),
            ))
        }
    };
    let family_name = if maximum_prefix == 32 { "IPv4" } else { "IPv6" };
    let prefix = text::parse_number(prefix_text, u64::from(u8::MAX), "prefix length")
        .ok()
        .filter(|prefix| *prefix <= maximum_prefix)
        .ok_or_else(|| {
            at(
                prefix_offset,
                format!(
                    "the prefix length must be a number from 0 to {maximum_prefix} for an {family_name} address, not \"{prefix_text}\""
                ),
            )
        })?;
    // RFC 3123 section 4: the address is sent without its trailing zero octets.
    let kept = octets
        .iter()
        .rposition(|octet| *octet != 0)
        .map_or(0, |last| last + 1);
    let address_part = octets.get(..kept).unwrap_or(&[]);
    wire.extend_from_slice(&family.to_be_bytes());
    wire.push(u8::try_from(prefix).unwrap_or(0));
    // The length is at most 16, so the top bit is free for the "negated" flag.
    wire.push(u8::from(negated) << 7 | u8::try_from(address_part.len()).unwrap_or(0));
    wire.extend_from_slice(address_part);
    Ok(())
}

/// IPSECKEY (RFC 4025 section 3.1): precedence, gateway type, algorithm, the gateway written as
/// its type says, and an optional base64 public key.
pub(super) fn parse_ipseckey(
    fields: &mut Fields<'_, '_>,
    wire: &mut Vec<u8>,
) -> Result<(), ZoneError> {
    wire.push(fields.u8("precedence")?);
    let type_token = fields.token("gateway type")?;
    let gateway_type = text::parse_number(type_token.raw, 3, "gateway type").map_err(|_| {
        at_token(
            &type_token,
            format!(
                "the gateway type must be 0 (no gateway), 1 (IPv4), 2 (IPv6) or 3 (domain name), not \"{}\"",
                type_token.raw
            ),
        )
    })?;
    wire.push(u8::try_from(gateway_type).unwrap_or(0));
    wire.push(fields.u8("algorithm")?);
    match gateway_type {
        0 => {
            let token = fields.token("gateway (\".\" for none)")?;
            if token.raw != "." {
                return Err(at_token(
                    &token,
                    format!(
                        "gateway type 0 means no gateway, written \".\", not \"{}\"",
                        token.raw
                    ),
                ));
            }
        }
        1 => wire.extend_from_slice(&fields.ipv4_address("gateway IPv4 address")?.octets()),
        2 => wire.extend_from_slice(&fields.ipv6_address("gateway IPv6 address")?.octets()),
        _ => text::push_name(wire, &fields.name("gateway name")?),
    }
    // RFC 4025 section 2.6: the key may be left out (the algorithm then says 0).
    if fields.has_more() {
        wire.extend(fields.base64_rest("public key")?);
    }
    Ok(())
}

/// An ILNP 64-bit value (NID, L64): four groups of exactly four hexadecimal digits separated by
/// colons, like 0014:4fff:ff20:ee64 (RFC 6742 section 2.1; Knot wants all four digits).
pub(super) fn parse_locator64(token: &Token<'_>, what: &str) -> Result<Vec<u8>, ZoneError> {
    let shape = || {
        at_token(
            token,
            format!(
                "the {what} must be four groups of four hexadecimal digits joined by colons, like 0014:4fff:ff20:ee64, not \"{}\"",
                token.raw
            ),
        )
    };
    hex_groups(token, ':', 4, 2).ok_or_else(shape)?
}

/// An EUI-48 (6 octets) or EUI-64 (8 octets) address: two hexadecimal digits per octet joined by
/// dashes, like 00-00-5e-00-53-2a (RFC 7043 sections 3.2 and 4.2).
pub(super) fn parse_eui(token: &Token<'_>, octets: usize) -> Result<Vec<u8>, ZoneError> {
    let example = if octets == 6 {
        "00-00-5e-00-53-2a"
    } else {
        "00-00-5e-ef-10-00-00-2a"
    };
    let shape = || {
        at_token(
            token,
            format!(
                "an EUI-{} address is {octets} pairs of hexadecimal digits joined by dashes, like {example}, not \"{}\"",
                octets * 8,
                token.raw
            ),
        )
    };
    hex_groups(token, '-', octets, 1).ok_or_else(shape)?
}

/// Splits `token` into `count` groups of `octets_per_group` octets of hexadecimal, separated by
/// `separator`. `None` when the shape is wrong (a group count or length); an error at the first
/// character that is not a hexadecimal digit.
fn hex_groups(
    token: &Token<'_>,
    separator: char,
    count: usize,
    octets_per_group: usize,
) -> Option<Result<Vec<u8>, ZoneError>> {
    let groups: Vec<&str> = token.raw.split(separator).collect();
    if groups.len() != count {
        return None;
    }
    let mut bytes = Vec::with_capacity(count * octets_per_group);
    let mut offset = 0;
    for group in groups {
        if group.len() != octets_per_group * 2 {
            return None;
        }
        match text::decode_hex(group) {
            Ok(decoded) => bytes.extend(decoded),
            Err(error) => {
                let error = TextError::new(offset + error.char_offset, error.message);
                return Some(Err(token_error(token, error)));
            }
        }
        offset += group.chars().count() + 1;
    }
    Some(Ok(bytes))
}
