//! Authenticated denial of existence: NSEC (RFC 4034 §4.1), NSEC3 and NSEC3PARAM (RFC 5155 §3,
//! §4), and the type bit maps they share with CSYNC (`csync.rs`).
//!
//! ```text
//! Type bit maps: { Window Block # (1) | Bitmap Length (1, 1..32) | Bitmap (1..32) }+
//! ```

use super::RdataReader;
use crate::dissect::mnemonic::type_mnemonic;
use crate::dissect::model::{Field, Severity, Span};
use crate::dissect::text::{base32hex_unpadded, upper_hex};

/// NSEC: `next-domain TYPES...`.
pub(super) fn decode_nsec(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let next = reader.name_field("next", "Next domain name")?;
    if reader.remaining() == 0 {
        let position = reader.position();
        reader.report(
            position,
            0,
            Severity::Error,
            "This NSEC record has no type bit maps; an NSEC always lists at least the NSEC and \
             RRSIG types at its owner (RFC 4034 §4.1.2)."
                .to_owned(),
        );
    }
    let types = read_type_bitmaps(reader)?;
    Some(join_with_types(next.text, &types))
}

/// NSEC3: `hash-algorithm flags iterations SALT NEXT-HASHED-OWNER TYPES...`.
pub(super) fn decode_nsec3(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let (algorithm, flags, iterations, salt) = read_nsec3_parameters(reader, true)?;
    let hash_length = reader.u8_field("hash_length", "Hash length", |value| value.to_string())?;
    let hash = reader.bytes_field(
        "next_hashed_owner",
        "Next hashed owner name",
        usize::from(hash_length),
        base32hex_unpadded,
    )?;
    let types = read_type_bitmaps(reader)?;
    let text = format!(
        "{algorithm} {flags} {iterations} {salt} {}",
        base32hex_unpadded(hash)
    );
    Some(join_with_types(text, &types))
}

/// NSEC3PARAM: `hash-algorithm flags iterations SALT`.
pub(super) fn decode_nsec3param(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let (algorithm, flags, iterations, salt) = read_nsec3_parameters(reader, false)?;
    Some(format!("{algorithm} {flags} {iterations} {salt}"))
}

/// The four fields NSEC3 and NSEC3PARAM share; the salt as dig prints it (`-` when empty).
fn read_nsec3_parameters(
    reader: &mut RdataReader<'_, '_>,
    has_opt_out: bool,
) -> Option<(u8, u8, u16, String)> {
    let algorithm = reader.u8_field("hash_algorithm", "Hash algorithm", |value| {
        if value == 1 {
            "1 (SHA-1)".to_owned()
        } else {
            format!("{value} (unassigned)")
        }
    })?;
    let flags_offset = reader.position();
    let flags = reader.u8_field("flags", "Flags", |value| {
        if has_opt_out && value & 0x01 != 0 {
            format!("{value} (opt-out: unsigned delegations may be skipped)")
        } else {
            value.to_string()
        }
    })?;
    if has_opt_out {
        reader.push_flag_bits(
            u32::from(flags),
            Span::new(flags_offset, 1),
            &[("flags.opt_out", "Opt-out", 0x01)],
        );
    }
    let iterations = reader.u16_field("iterations", "Iterations", |value| {
        format!("{value} (extra hash rounds; RFC 9276 recommends 0)")
    })?;
    let salt_length = reader.u8_field("salt_length", "Salt length", |value| value.to_string())?;
    let salt = reader.bytes_field("salt", "Salt", usize::from(salt_length), |salt| {
        if salt.is_empty() {
            "- (none)".to_owned()
        } else {
            upper_hex(salt)
        }
    })?;
    let salt_text = if salt.is_empty() {
        "-".to_owned()
    } else {
        upper_hex(salt)
    };
    Some((algorithm, flags, iterations, salt_text))
}

pub(super) fn join_with_types(mut text: String, types: &[u16]) -> String {
    for rtype in types {
        text.push(' ');
        text.push_str(&type_mnemonic(*rtype));
    }
    text
}

/// Reads type bit maps up to the end of the RDATA; one field per window block.
pub(super) fn read_type_bitmaps(reader: &mut RdataReader<'_, '_>) -> Option<Vec<u16>> {
    let mut types = Vec::new();
    let mut previous_window: Option<u8> = None;
    while reader.remaining() > 0 {
        let block_offset = reader.position();
        let (header, _) = reader.take(2, "type bit map window header")?;
        let window = header.first().copied().unwrap_or(0);
        let length = usize::from(header.get(1).copied().unwrap_or(0));
        if previous_window.is_some_and(|previous| window <= previous) {
            reader.report(
                block_offset,
                1,
                Severity::Error,
                format!(
                    "Type bit map window {window} comes after window {}; RFC 4034 §4.1.2 \
                     requires windows in increasing order, each at most once.",
                    previous_window.unwrap_or(0)
                ),
            );
        }
        previous_window = Some(window);
        if length == 0 || length > 32 {
            reader.report(
                block_offset + 1,
                1,
                Severity::Error,
                format!(
                    "Type bit map window {window} has bitmap length {length}; it must be 1 to 32 \
                     (RFC 4034 §4.1.2)."
                ),
            );
            if length == 0 {
                reader.fail();
                return None;
            }
        }
        let (bitmap, _) = reader.take(length, "type bit map")?;
        if bitmap.last() == Some(&0) {
            reader.report(
                block_offset + 1 + length,
                1,
                Severity::Warning,
                format!(
                    "Type bit map window {window} ends with a zero byte; RFC 4034 §4.1.2 says \
                     trailing zero bytes must be left out."
                ),
            );
        }
        let mut window_types = Vec::new();
        for (byte_index, byte) in bitmap.iter().enumerate() {
            for bit in 0..8 {
                if byte & (0x80 >> bit) != 0 {
                    let rtype = u16::from(window) << 8 | (byte_index * 8 + bit) as u16;
                    window_types.push(rtype);
                }
            }
        }
        reader.push_field_with(|reader| {
            let listed: Vec<String> = window_types
                .iter()
                .map(|rtype| type_mnemonic(*rtype).into_owned())
                .collect();
            Field::leaf(
                reader.key("type_bitmap"),
                format!("Types present (window {window})"),
                listed.join(" "),
                Span::new(block_offset, 2 + length),
            )
        });
        types.extend(window_types);
    }
    Some(types)
}
