//! WKS (RFC 1035 §3.4.2): the well-known services a host offers over one IP protocol.
//!
//! ```text
//! ADDRESS (4) | PROTOCOL (1) | BIT MAP (the rest: bit N set = port N offered)
//! ```

use super::RdataReader;
use crate::dissect::text::{ipv4_text, push_decimal};

/// WKS: `address protocol port...`, the protocol and ports as numbers, as BIND prints them.
pub(super) fn decode_wks(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let address = reader.bytes_field("address", "IPv4 address", 4, ipv4_text)?;
    let protocol = reader.u8_field("ip_protocol", "IP protocol", |value| {
        let name = match value {
            6 => "TCP",
            17 => "UDP",
            _ => "see the IANA protocol numbers",
        };
        format!("{value} ({name})")
    })?;
    let bitmap = reader.rest_field("wks_services", "Services (port bit map)", ports_text)?;
    let mut presentation = format!("{} {protocol}", ipv4_text(address));
    for port in ports(bitmap) {
        presentation.push(' ');
        push_decimal(&mut presentation, port);
    }
    Some(presentation)
}

/// The ports whose bits are set, in increasing order.
fn ports(bitmap: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bitmap.iter().enumerate().flat_map(|(index, byte)| {
        (0..8u32)
            .filter_map(move |bit| (byte & (0x80 >> bit) != 0).then_some(index as u32 * 8 + bit))
    })
}

fn ports_text(bitmap: &[u8]) -> String {
    let listed: Vec<String> = ports(bitmap).map(|port| port.to_string()).collect();
    if listed.is_empty() {
        "none".to_owned()
    } else {
        format!("ports {}", listed.join(" "))
    }
}
