//! Plain hex input: a Wireshark "hex stream", or hex digits separated by spaces, colons or lines.

/// Why a piece of text could not be read as hex.
///
/// Offsets count characters (not bytes) from the start of the text, so the page can point the
/// user at the exact spot in what they pasted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// Nothing but white space was given.
    #[error("the input is empty: paste the bytes of a DNS message as hex")]
    Empty,
    /// A character that is neither a hex digit nor a separator.
    #[error("character {character:?} at position {offset} is not a hex digit")]
    NotHex {
        /// Position of the character, counted in characters from the start of the text.
        offset: usize,
        /// The offending character.
        character: char,
    },
    /// Hex digits come in pairs; one was left over.
    #[error("odd number of hex digits ({digit_count}): each byte needs two digits")]
    OddDigitCount {
        /// How many hex digits the text holds.
        digit_count: usize,
    },
    /// A group between separators had an odd number of digits, e.g. `0a:b:0c`.
    #[error("the hex group starting at position {offset} has an odd number of digits")]
    SplitByte {
        /// Position of the group's first digit.
        offset: usize,
    },
}

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
    let mut characters = text.char_indices().enumerate().peekable();
    // Skip a `0x` prefix in front of the whole stream.
    let prefix_skip = if trimmed.starts_with("0x") || trimmed.starts_with("0X") {
        leading + 2
    } else {
        0
    };
    while let Some((char_offset, (byte_offset, character))) = characters.next() {
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
                if group_digits % 2 != 0 {
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
    if digit_count % 2 != 0 {
        return Err(InputError::OddDigitCount { digit_count });
    }
    Ok(bytes)
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
