//! A (RFC 1035 §3.4.1) and AAAA (RFC 3596 §2.2): one IPv4 or IPv6 address.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::RdataReader;
use crate::dissect::text::{ipv4_text, ipv6_text};

/// A: a 32-bit IPv4 address, printed as a dotted quad.
pub(super) fn decode_a(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let bytes = reader.bytes_field("address", "IPv4 address", 4, ipv4_text)?;
    Some(ipv4_text(bytes))
}

/// AAAA: a 128-bit IPv6 address, printed the way BIND's `inet_ntop` does.
pub(super) fn decode_aaaa(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let bytes = reader.bytes_field("address", "IPv6 address", 16, |bytes| {
        ipv6_text(&ipv6_from(bytes))
    })?;
    Some(ipv6_text(&ipv6_from(bytes)))
}

pub(crate) fn ipv4_from(bytes: &[u8]) -> Ipv4Addr {
    let mut octets = [0u8; 4];
    for (target, source) in octets.iter_mut().zip(bytes) {
        *target = *source;
    }
    Ipv4Addr::from(octets)
}

pub(crate) fn ipv6_from(bytes: &[u8]) -> Ipv6Addr {
    let mut octets = [0u8; 16];
    for (target, source) in octets.iter_mut().zip(bytes) {
        *target = *source;
    }
    Ipv6Addr::from(octets)
}

/// A in class CHAOS (RFC 1035 §3.4.1 leaves it class-specific; BIND's `ch/a_1`): a domain
/// name and a 16-bit Chaosnet address, which dig prints in octal.
pub(super) fn decode_chaos_a(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let domain = reader.name_field("chaos_domain", "Chaosnet domain")?;
    let address = reader.u16_field("chaos_address", "Chaosnet address", |value| {
        format!("{value:o} (octal)")
    })?;
    Some(format!("{} {address:o}", domain.text))
}
