//! CSYNC (RFC 7477 §2.1): which records of a child zone its parent should copy.
//!
//! ```text
//! SOA serial (4) | flags (2) | type bit maps (as NSEC's, RFC 4034 §4.1.2)
//! ```

use super::nsec::{join_with_types, read_type_bitmaps};
use super::RdataReader;
use crate::dissect::model::Span;

/// CSYNC: `serial flags TYPES...`.
pub(super) fn decode_csync(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let serial = reader.u32_field("soa_serial", "SOA serial", |value| {
        format!("{value} (the child's SOA serial these records come from)")
    })?;
    let flags_offset = reader.position();
    let flags = reader.u16_field("flags", "Flags", |flags| {
        let mut meanings = Vec::new();
        if flags & 0x0001 != 0 {
            meanings.push("immediate");
        }
        if flags & 0x0002 != 0 {
            meanings.push("soaminimum");
        }
        if meanings.is_empty() {
            flags.to_string()
        } else {
            format!("{flags} ({})", meanings.join(", "))
        }
    })?;
    let flags_span = Span::new(flags_offset, 2);
    reader.push_flag_bits(
        u32::from(flags),
        flags_span,
        &[
            ("flags.immediate", "Immediate", 0x0001),
            ("flags.soa_minimum", "SOA minimum", 0x0002),
        ],
    );
    let types = read_type_bitmaps(reader)?;
    Some(join_with_types(format!("{serial} {flags}"), &types))
}
