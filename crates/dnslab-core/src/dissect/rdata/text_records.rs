//! Records made of character-strings: TXT and SPF (RFC 1035 §3.3.14, RFC 7208) and HINFO
//! (RFC 1035 §3.3.2).

use super::RdataReader;
use crate::dissect::model::Severity;
use crate::dissect::text::{ascii_string, push_quoted_character_string, quoted_character_string};

/// TXT: one or more character-strings, each quoted, separated by spaces.
pub(super) fn decode_txt(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    // Room for the strings with their quotes and a few escapes.
    let mut presentation = Vec::with_capacity(reader.remaining() + 8);
    if reader.remaining() == 0 {
        // RFC 1035 §3.3.14: one or more character-strings; dig rejects an empty RDATA.
        let position = reader.position();
        reader.report(
            position,
            0,
            Severity::Error,
            "This TXT record's RDATA is empty; a TXT record holds at least one character-string \
             (which may itself be empty, a single zero byte)."
                .to_owned(),
        );
        reader.fail();
        return None;
    }
    while reader.remaining() > 0 {
        let text = reader.character_string_field("text", "Text")?;
        if !presentation.is_empty() {
            presentation.push(b' ');
        }
        push_quoted_character_string(&mut presentation, text);
    }
    Some(ascii_string(presentation))
}

/// HINFO: `"cpu" "os"`.
pub(super) fn decode_hinfo(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let cpu = reader.character_string_field("cpu", "CPU")?;
    let os = reader.character_string_field("os", "Operating system")?;
    Some(format!(
        "{} {}",
        quoted_character_string(cpu),
        quoted_character_string(os)
    ))
}
