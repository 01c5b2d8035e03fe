//! SRV (RFC 2782): priority, weight, port and target host of a service.

use super::RdataReader;
use crate::dissect::text::push_decimal;

/// The priority and weight that start SRV and URI (RFC 7553 takes them from SRV).
pub(super) fn read_priority_and_weight(reader: &mut RdataReader<'_, '_>) -> Option<(u16, u16)> {
    let priority = reader.u16_field("priority", "Priority", |value| {
        format!("{value} (lower values are tried first)")
    })?;
    let weight = reader.u16_field("weight", "Weight", |value| {
        format!("{value} (share among targets of equal priority)")
    })?;
    Some((priority, weight))
}

/// SRV: `priority weight port target`.
pub(super) fn decode_srv(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let (priority, weight) = read_priority_and_weight(reader)?;
    let port = reader.u16_field("port", "Port", |value| value.to_string())?;
    let target = reader.name_field("target", "Target host")?;
    let mut presentation = String::with_capacity(18 + target.text.len());
    for number in [priority, weight, port] {
        push_decimal(&mut presentation, u32::from(number));
        presentation.push(' ');
    }
    presentation.push_str(&target.text);
    Some(presentation)
}
