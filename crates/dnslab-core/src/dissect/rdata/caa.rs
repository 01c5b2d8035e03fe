//! CAA (RFC 8659 §4.1): which certificate authorities may issue for the name.
//!
//! ```text
//! +0-1-2-3-4-5-6-7-|0-1-2-3-4-5-6-7-|
//! | Flags          | Tag Length = n |
//! +----------------+----------------+...+---------------+
//! | Tag char 0     | Tag char 1     |...| Tag char n-1  |
//! +----------------+----------------+...+---------------+
//! | Value byte 0 ...                                    |
//! ```

use super::RdataReader;
use crate::dissect::model::Severity;
use crate::dissect::text::quoted_character_string;

/// CAA: `flags tag "value"`.
pub(super) fn decode_caa(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let flags_offset = reader.position();
    let flags = reader.u8_field("flags", "Flags", |flags| {
        if flags & 0x80 != 0 {
            format!(
                "{flags} (issuer critical: a CA that does not understand the tag must not issue)"
            )
        } else {
            format!("{flags} (not critical)")
        }
    })?;
    reader.push_flag_bits(
        u32::from(flags),
        crate::dissect::model::Span::new(flags_offset, 1),
        &[("flags.critical", "Issuer critical", 0x80)],
    );
    let tag_length_offset = reader.position();
    let tag_length = reader.u8_field("tag_length", "Tag length", |length| length.to_string())?;
    if tag_length == 0 {
        reader.report(
            tag_length_offset,
            1,
            Severity::Error,
            "The CAA tag length is 0; RFC 8659 §4.1 requires a tag of at least one character."
                .to_owned(),
        );
        reader.fail();
        return None;
    }
    let tag_offset = reader.position();
    let tag = reader.bytes_field("tag", "Tag", usize::from(tag_length), |tag| {
        String::from_utf8_lossy(tag).into_owned()
    })?;
    if !tag.iter().all(u8::is_ascii_alphanumeric) {
        reader.report(
            tag_offset,
            tag.len(),
            Severity::Error,
            "The CAA tag contains characters other than ASCII letters and digits (RFC 8659 §4.1)."
                .to_owned(),
        );
        reader.fail();
        return None;
    }
    let value = reader.rest_field("value", "Value", quoted_character_string)?;
    Some(format!(
        "{flags} {} {}",
        String::from_utf8_lossy(tag),
        quoted_character_string(value)
    ))
}
