//! SOA (RFC 1035 §3.3.13): the zone's primary server, contact mailbox, serial and timers.

use super::RdataReader;
use crate::dissect::duration_text;
use crate::dissect::text::push_decimal;

/// SOA: `mname rname serial refresh retry expire minimum`, on one line as dig prints it.
pub(super) fn decode_soa(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let mname = reader.name_field("mname", "Primary name server")?;
    let rname = reader.name_field("rname", "Responsible mailbox")?;
    let serial = reader.u32_field("serial", "Serial", |value| value.to_string())?;
    let refresh = reader.u32_field("refresh", "Refresh interval", duration_text)?;
    let retry = reader.u32_field("retry", "Retry interval", duration_text)?;
    let expire = reader.u32_field("expire", "Expire limit", duration_text)?;
    let minimum = reader.u32_field("minimum", "Negative caching TTL (minimum)", duration_text)?;
    let mut presentation = String::with_capacity(mname.text.len() + rname.text.len() + 56);
    presentation.push_str(&mname.text);
    presentation.push(' ');
    presentation.push_str(&rname.text);
    for number in [serial, refresh, retry, expire, minimum] {
        presentation.push(' ');
        push_decimal(&mut presentation, number);
    }
    Some(presentation)
}
