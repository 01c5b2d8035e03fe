//! Plain hex input: a Wireshark "hex stream", `xxd -p` lines, or hex digits separated by spaces,
//! colons or dashes, in either case.

use super::detect::{TextPacket, TextParse};
use super::error::InputError;
use super::InputFormat;

/// Reads hex text: one continuous stream (`3a09850000...`) or bytes separated by white space,
/// colons or dashes, in either case. An optional `0x` prefix on the whole stream is accepted.
pub fn parse_hex_text(text: &str) -> Result<Vec<u8>, InputError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(InputError::Empty);
    }
    let mut bytes = Vec::with_capacity(trimmed.len() / 2);
    let mut digit_count = 0usize;
    let mut pending_high_nibble: Option<u8> = None;
    let mut group_start: Option<usize> = None;
    let mut group_digits = 0usize;
    let leading = text.len() - text.trim_start().len();
    let characters = text.char_indices().enumerate();
    // Skip a `0x` prefix in front of the whole stream.
    let prefix_skip = if trimmed.starts_with("0x") || trimmed.starts_with("0X") {
        leading + 2
    } else {
        0
    };
    for (char_offset, (byte_offset, character)) in characters {
        if prefix_skip > 0 && byte_offset < prefix_skip {
            continue;
        }
        if let Some(value) = character.to_digit(16) {
            group_start.get_or_insert(char_offset);
            group_digits += 1;
            digit_count += 1;
            // Digits are at most 0xf, so the narrowing cannot lose anything.
            let nibble = value as u8;
            match pending_high_nibble.take() {
                Some(high) => bytes.push(high << 4 | nibble),
                None => pending_high_nibble = Some(nibble),
            }
        } else if character.is_whitespace() || character == ':' || character == '-' {
            if let Some(start) = group_start.take() {
                if !group_digits.is_multiple_of(2) {
                    return Err(InputError::SplitByte { offset: start });
                }
            }
            group_digits = 0;
        } else {
            return Err(InputError::NotHex {
                offset: char_offset,
                character,
            });
        }
    }
    if !digit_count.is_multiple_of(2) {
        return Err(InputError::OddDigitCount { digit_count });
    }
    Ok(bytes)
}

/// `xxd -p` writes 30 bytes (60 digits) a line by default.
const XXD_PLAIN_LINE_DIGITS: usize = 60;

/// Recognizes plain hex and says which of the plain hex formats it is. Several candidates may
/// come back (a single line of up to 60 digits is both a hex stream and `xxd -p` output); the
/// detector ranks them.
pub(crate) fn parse_plain_hex(text: &str) -> Vec<Result<TextParse, InputError>> {
    let trimmed = text.trim();
    let looks_like_plain_hex = !trimmed.is_empty()
        && trimmed
            .strip_prefix("0x")
            .or_else(|| trimmed.strip_prefix("0X"))
            .unwrap_or(trimmed)
            .chars()
            .all(|character| {
                character.is_ascii_hexdigit()
                    || character.is_whitespace()
                    || character == ':'
                    || character == '-'
            });
    if !looks_like_plain_hex {
        return Vec::new();
    }
    let bytes = match parse_hex_text(text) {
        Ok(bytes) => bytes,
        Err(error) => return vec![Err(error)],
    };
    let make = |format: InputFormat, specificity: u8| {
        Ok(TextParse {
            format,
            specificity,
            packets: vec![TextPacket::single(bytes.clone())],
        })
    };
    let lines: Vec<&str> = trimmed.lines().map(str::trim).collect();
    let has_colons = trimmed.contains(':') || trimmed.contains('-');
    let has_inner_spaces = lines.iter().any(|line| line.contains([' ', '\t']));
    if has_colons {
        return vec![make(InputFormat::ColonHex, 4)];
    }
    if has_inner_spaces {
        return vec![make(InputFormat::SpacedHex, 4)];
    }
    let mut candidates = Vec::new();
    if lines.len() == 1 {
        candidates.push(make(InputFormat::WiresharkHexStream, 4));
        if trimmed.len() <= XXD_PLAIN_LINE_DIGITS {
            candidates.push(make(InputFormat::XxdPlain, 3));
        }
    } else {
        let first_length = lines.first().map_or(0, |line| line.len());
        let (last, full_lines) = lines.split_last().unwrap_or((&"", &[]));
        let regular =
            full_lines.iter().all(|line| line.len() == first_length) && last.len() <= first_length;
        if regular {
            let specificity = if first_length == XXD_PLAIN_LINE_DIGITS {
                5
            } else {
                4
            };
            candidates.push(make(InputFormat::XxdPlain, specificity));
        }
        candidates.push(make(InputFormat::WiresharkHexStream, 2));
    }
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_continuous_stream() {
        assert_eq!(parse_hex_text("3a0985"), Ok(vec![0x3a, 0x09, 0x85]));
    }

    #[test]
    fn reads_spaced_upper_case_and_colons() {
        assert_eq!(parse_hex_text(" 3A 09\n85 "), Ok(vec![0x3a, 0x09, 0x85]));
        assert_eq!(parse_hex_text("3a:09:85"), Ok(vec![0x3a, 0x09, 0x85]));
        assert_eq!(parse_hex_text("0x3a0985"), Ok(vec![0x3a, 0x09, 0x85]));
    }

    #[test]
    fn rejects_empty_input() {
        assert_eq!(parse_hex_text(""), Err(InputError::Empty));
        assert_eq!(parse_hex_text(" \n\t"), Err(InputError::Empty));
    }

    #[test]
    fn rejects_an_odd_digit_count() {
        assert_eq!(
            parse_hex_text("3a098"),
            Err(InputError::OddDigitCount { digit_count: 5 })
        );
    }

    #[test]
    fn rejects_a_byte_split_by_a_separator() {
        assert_eq!(
            parse_hex_text("3a 0 98"),
            Err(InputError::SplitByte { offset: 3 })
        );
    }

    #[test]
    fn points_at_the_first_non_hex_character() {
        assert_eq!(
            parse_hex_text("3a0g"),
            Err(InputError::NotHex {
                offset: 3,
                character: 'g'
            })
        );
        // Offsets count characters, so a multi-byte character before the error does not skew it.
        assert_eq!(
            parse_hex_text("é"),
            Err(InputError::NotHex {
                offset: 0,
                character: 'é'
            })
        );
    }
}
