//! Source-code literals: C arrays (`0x0` unpadded, as Wireshark copies them), Go byte slices,
//! `xxd -i`, Wireshark's "Export Packet Dissections as C Arrays" (one `pktN` array per packet),
//! C strings (octal and `\a \b \t \n \v \f \r` escapes) and escaped strings (`"\x00..." \`).

use super::detect::{DataSource, TextPacket, TextParse};
use super::error::InputError;
use super::InputFormat;

/// Removes `/* ... */` and `// ...` comments: Wireshark's C array export puts the ASCII
/// rendering in comments, which may contain `0x12`-looking text. One pass over the text: each
/// comment's end is searched from its start only, so many comments stay linear.
fn strip_comments(text: &str) -> String {
    let mut output = String::with_capacity(text.len());
    let mut resume_at = 0usize;
    for (index, character) in text.char_indices() {
        if index < resume_at {
            continue;
        }
        let rest = text.get(index..).unwrap_or("");
        if rest.starts_with("/*") {
            match rest.get(2..).and_then(|after| after.find("*/")) {
                Some(end) => {
                    output.push(' ');
                    resume_at = index + 2 + end + 2;
                }
                None => return output,
            }
        } else if rest.starts_with("//") {
            // Keep the line break: line numbers in errors still count it.
            resume_at = index + rest.find('\n').unwrap_or(rest.len());
        } else {
            output.push(character);
        }
    }
    output
}

/// Reads one array element: `0x3a`, `0x0`, `58`.
fn parse_element(element: &str) -> Option<u8> {
    let element = element.trim();
    if let Some(hex) = element
        .strip_prefix("0x")
        .or_else(|| element.strip_prefix("0X"))
    {
        if hex.is_empty() || hex.len() > 2 {
            return None;
        }
        return u8::from_str_radix(hex, 16).ok();
    }
    if !element.is_empty() && element.len() <= 3 && element.bytes().all(|b| b.is_ascii_digit()) {
        return element.parse().ok();
    }
    None
}

/// Reads a comma-separated list of elements (a trailing comma is fine).
fn parse_element_list(list: &str, line_of: impl Fn(&str) -> usize) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let elements: Vec<&str> = list.split(',').collect();
    let last_index = elements.len().saturating_sub(1);
    for (index, element) in elements.iter().enumerate() {
        if element.trim().is_empty() && index == last_index {
            break;
        }
        match parse_element(element) {
            Some(byte) => bytes.push(byte),
            None => {
                return Err(format!(
                    "{:?} (line {}) is not a byte value like 0x3a",
                    element.trim(),
                    line_of(element)
                ))
            }
        }
    }
    Ok(bytes)
}

/// One `name[] = { ... }` (or `[]byte{ ... }`) array found in the text.
struct ArrayLiteral {
    /// The declaration before the brace, e.g. `static const unsigned char pkt1[74] =`.
    declaration: String,
    bytes: Vec<u8>,
}

/// Parses C arrays, Go byte slices, `xxd -i` and Wireshark's C array export.
pub(crate) fn parse_arrays(text: &str) -> Option<Result<TextParse, InputError>> {
    let code = strip_comments(text);
    let line_of = |fragment: &str| -> usize {
        // Byte position of a fragment of `code`, turned into a line number.
        let position = (fragment.as_ptr() as usize).saturating_sub(code.as_ptr() as usize);
        code.get(..position)
            .map_or(1, |before| before.matches('\n').count() + 1)
    };
    let format_name = "a C array";
    let malformed = |line: usize, reason: String| InputError::MalformedText {
        format: format_name,
        line,
        reason,
    };

    if !code.contains('{') {
        // A bare list such as `xxd -i < file` prints: `0x3a, 0x09, ...`.
        let trimmed = code.trim().trim_end_matches(';');
        if !trimmed.contains("0x") && !trimmed.contains("0X") || !trimmed.contains(',') {
            return None;
        }
        return Some(
            parse_element_list(trimmed, line_of)
                .map_err(|reason| malformed(line_of(trimmed), reason))
                .map(|bytes| TextParse {
                    format: InputFormat::CArray,
                    specificity: 5,
                    packets: vec![TextPacket::single(bytes)],
                }),
        );
    }

    let mut arrays = Vec::new();
    let mut rest = code.as_str();
    while let Some(open) = rest.find('{') {
        let declaration = rest.get(..open).unwrap_or("");
        let after_open = rest.get(open + 1..).unwrap_or("");
        let Some(close) = after_open.find('}') else {
            return Some(Err(malformed(
                line_of(after_open),
                "a `{` is never closed by `}`".to_string(),
            )));
        };
        let body = after_open.get(..close).unwrap_or("");
        let bytes = match parse_element_list(body, line_of) {
            Ok(bytes) => bytes,
            Err(reason) => return Some(Err(malformed(line_of(body), reason))),
        };
        let declaration = declaration
            .rsplit(';')
            .next()
            .unwrap_or(declaration)
            .trim()
            .to_string();
        arrays.push(ArrayLiteral { declaration, bytes });
        rest = after_open.get(close + 1..).unwrap_or("");
    }
    if arrays.is_empty() {
        return None;
    }
    let has_length_line = rest.contains("_len") || code.contains("_len =");
    let is_go = arrays
        .iter()
        .any(|array| array.declaration.ends_with("[]byte"));
    let packet_names: Vec<Option<(u64, u64)>> = arrays
        .iter()
        .map(|array| wireshark_packet_name(&array.declaration))
        .collect();
    // `xxd -i` of a file called `pkt1` is still `xxd -i`: its `_len` line says so.
    let is_wireshark_export = !has_length_line && packet_names.iter().all(Option::is_some);

    let (format, packets) = if is_wireshark_export {
        // pkt1, pkt1_1 (a second data source of packet 1), pkt2...
        let mut packets: Vec<(u64, TextPacket)> = Vec::new();
        for (array, name) in arrays.into_iter().zip(packet_names) {
            let Some((packet_number, source_number)) = name else {
                continue;
            };
            let source = DataSource {
                name: Some(if source_number == 0 {
                    format!("pkt{packet_number}")
                } else {
                    format!("pkt{packet_number}_{source_number}")
                }),
                bytes: array.bytes,
            };
            match packets.last_mut() {
                Some((number, packet)) if *number == packet_number => packet.sources.push(source),
                _ => packets.push((
                    packet_number,
                    TextPacket {
                        sources: vec![source],
                    },
                )),
            }
        }
        (
            InputFormat::WiresharkCArrays,
            packets.into_iter().map(|(_, packet)| packet).collect(),
        )
    } else {
        let format = if is_go {
            InputFormat::GoLiteral
        } else if has_length_line {
            InputFormat::XxdInclude
        } else {
            InputFormat::CArray
        };
        let packets = arrays
            .into_iter()
            .map(|array| TextPacket::single(array.bytes))
            .collect();
        (format, packets)
    };
    Some(Ok(TextParse {
        format,
        specificity: 6,
        packets,
    }))
}

/// `static const unsigned char pkt12_1[62] =` → `(12, 1)`; `pkt3[..]` → `(3, 0)`.
fn wireshark_packet_name(declaration: &str) -> Option<(u64, u64)> {
    let before_bracket = declaration.split('[').next()?.trim_end();
    let name = before_bracket.rsplit(char::is_whitespace).next()?;
    let numbers = name.strip_prefix("pkt")?;
    let (packet, source) = match numbers.split_once('_') {
        Some((packet, source)) => (packet, source),
        None => (numbers, "0"),
    };
    Some((packet.parse().ok()?, source.parse().ok()?))
}

/// Which escapes a string literal used: decides between "C string" and "escaped string".
#[derive(Debug, Default)]
struct EscapeUse {
    hex: usize,
    octal: usize,
    named: usize,
}

/// Parses one or more string literals: `"\000>\320)..."`, `"\x00\x3e" \` lines, `b'...'`.
pub(crate) fn parse_strings(text: &str) -> Option<Result<TextParse, InputError>> {
    let trimmed = text.trim();
    // Allow a declaration in front (`char query[] = "..."`) and a `;` after.
    let first_quote = trimmed.find(['"', '\''])?;
    let prefix = trimmed.get(..first_quote)?.trim();
    if !(prefix.is_empty() || prefix == "b" || prefix.ends_with('=')) {
        return None;
    }
    let body = trimmed.get(first_quote..)?;
    let mut bytes = Vec::new();
    let mut escapes = EscapeUse::default();
    let mut line = 1usize;
    let mut characters = body.chars().peekable();
    let malformed = |line: usize, reason: String| InputError::MalformedText {
        format: "a C string",
        line,
        reason,
    };
    let mut literal_count = 0usize;
    loop {
        // Between literals: white space, `\` line continuations, `+`, a closing `;`, a `b` prefix.
        while let Some(&character) = characters.peek() {
            if character == '\n' {
                line += 1;
            }
            if character.is_whitespace() || character == '\\' || character == '+' {
                characters.next();
            } else {
                break;
            }
        }
        let Some(opening) = characters.next() else {
            break;
        };
        match opening {
            '"' | '\'' => {}
            ';' | ')' if characters.clone().all(char::is_whitespace) => break,
            'b' if matches!(characters.peek(), Some('"' | '\'')) => continue,
            other => {
                return Some(Err(malformed(
                    line,
                    format!("{other:?} between string literals"),
                )))
            }
        }
        literal_count += 1;
        loop {
            let Some(character) = characters.next() else {
                return Some(Err(malformed(
                    line,
                    "a string literal is never closed".to_string(),
                )));
            };
            if character == opening {
                break;
            }
            if character == '\n' {
                return Some(Err(malformed(
                    line,
                    "a line break inside a string literal".to_string(),
                )));
            }
            if character != '\\' {
                if !character.is_ascii() || character.is_ascii_control() {
                    return Some(Err(malformed(
                        line,
                        format!("{character:?} inside a string literal: non-ASCII bytes must be escaped"),
                    )));
                }
                // ASCII, so the cast keeps the value.
                bytes.push(character as u8);
                continue;
            }
            let Some(escape) = characters.next() else {
                return Some(Err(malformed(line, "a lone `\\` at the end".to_string())));
            };
            let byte = match escape {
                'a' => 0x07,
                'b' => 0x08,
                't' => 0x09,
                'n' => 0x0a,
                'v' => 0x0b,
                'f' => 0x0c,
                'r' => 0x0d,
                'e' => 0x1b,
                '"' | '\'' | '\\' | '?' => escape as u8,
                'x' => {
                    let mut value = 0u32;
                    let mut digits = 0;
                    while digits < 2 {
                        match characters.peek().and_then(|next| next.to_digit(16)) {
                            Some(digit) => {
                                value = value * 16 + digit;
                                digits += 1;
                                characters.next();
                            }
                            None => break,
                        }
                    }
                    if digits == 0 {
                        return Some(Err(malformed(line, "`\\x` without hex digits".to_string())));
                    }
                    escapes.hex += 1;
                    // Two hex digits at most: below 256.
                    value as u8
                }
                '0'..='7' => {
                    let mut value = escape.to_digit(8).unwrap_or(0);
                    let mut digits = 1;
                    while digits < 3 {
                        match characters.peek().and_then(|next| next.to_digit(8)) {
                            Some(digit) => {
                                value = value * 8 + digit;
                                digits += 1;
                                characters.next();
                            }
                            None => break,
                        }
                    }
                    let Ok(byte) = u8::try_from(value) else {
                        return Some(Err(malformed(
                            line,
                            format!("the octal escape \\{value:o} is larger than a byte"),
                        )));
                    };
                    escapes.octal += 1;
                    byte
                }
                other => return Some(Err(malformed(line, format!("unknown escape `\\{other}`")))),
            };
            if matches!(escape, 'a' | 'b' | 't' | 'n' | 'v' | 'f' | 'r' | 'e') {
                escapes.named += 1;
            }
            bytes.push(byte);
        }
    }
    if literal_count == 0 {
        return None;
    }
    let format = if escapes.hex > 0 && escapes.octal == 0 && escapes.named == 0 {
        InputFormat::EscapedString
    } else {
        InputFormat::CString
    };
    Some(Ok(TextParse {
        format,
        specificity: 6,
        packets: vec![TextPacket::single(bytes)],
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes_of(result: Option<Result<TextParse, InputError>>) -> (InputFormat, Vec<Vec<u8>>) {
        let parse = result.expect("recognized").expect("parsed");
        let packets = parse
            .packets
            .iter()
            .map(|packet| packet.sources[0].bytes.clone())
            .collect();
        (parse.format, packets)
    }

    #[test]
    fn c_strings_use_octal_named_escapes_and_literal_characters() {
        let (format, packets) = bytes_of(parse_strings(r#""\000>\320)\a\b\t\n\v\f\r\"\\A""#));
        assert_eq!(format, InputFormat::CString);
        assert_eq!(
            packets,
            vec![vec![
                0, b'>', 0o320, b')', 7, 8, 9, 10, 11, 12, 13, b'"', b'\\', b'A'
            ]]
        );
    }

    #[test]
    fn escaped_strings_continue_over_lines() {
        let (format, packets) = bytes_of(parse_strings("\"\\x00\\x3e\" \\\n\"\\xd0\\x29\"\n"));
        assert_eq!(format, InputFormat::EscapedString);
        assert_eq!(packets, vec![vec![0x00, 0x3e, 0xd0, 0x29]]);
    }

    #[test]
    fn wireshark_c_array_export_gives_one_packet_per_pkt_number() {
        let text = "/* Frame (3 bytes) */\nstatic const unsigned char pkt1[3] = {\n0x01, 0x02, 0x03, /* 0x99 ... */\n};\n\n\
                    /* Reassembled TCP (2 bytes) */\nstatic const unsigned char pkt1_1[2] = {\n0x04, 0x05 };\n\n\
                    /* Frame (1 bytes) */\nstatic const unsigned char pkt2[1] = {\n0x06 };\n";
        let parse = parse_arrays(text).expect("recognized").expect("parsed");
        assert_eq!(parse.format, InputFormat::WiresharkCArrays);
        assert_eq!(parse.packets.len(), 2);
        assert_eq!(parse.packets[0].sources.len(), 2);
        assert_eq!(parse.packets[0].sources[0].bytes, vec![1, 2, 3]);
        assert_eq!(parse.packets[0].sources[1].bytes, vec![4, 5]);
        assert_eq!(parse.packets[1].sources[0].bytes, vec![6]);
    }

    #[test]
    fn bad_elements_and_unclosed_literals_are_typed_errors() {
        assert!(matches!(
            parse_arrays("unsigned char x[] = {0x1, 0x100};"),
            Some(Err(InputError::MalformedText { .. }))
        ));
        assert!(matches!(
            parse_strings("\"\\x00"),
            Some(Err(InputError::MalformedText { .. }))
        ));
        assert!(matches!(
            parse_strings("\"\\777\""),
            Some(Err(InputError::MalformedText { .. }))
        ));
    }
}
