//! Presentation-format pieces of zone files: escapes, domain names, character strings, numbers, TTLs and binary encodings.
//!
//! Every function works on the raw text of one token and reports problems as a [`TextError`]
//! whose `char_offset` says where in the token the problem starts, so the caller can turn it into
//! an exact line and column.

use hickory_proto::rr::Name;

/// A problem inside one token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TextError {
    /// Offset in characters from the start of the token's raw text.
    pub char_offset: usize,
    /// What is wrong, in plain words.
    pub message: String,
}

impl TextError {
    pub fn new(char_offset: usize, message: impl Into<String>) -> Self {
        Self {
            char_offset,
            message: message.into(),
        }
    }
}

/// One decoded character of presentation text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    /// A byte that came from an escape (`\.` or `\046`): never special.
    Escaped(u8),
    /// An unescaped character, as its UTF-8 bytes (usually one ASCII byte).
    Plain(char),
}

/// Decodes `\X` and `\DDD` escapes, yielding each piece with its offset in characters.
fn decode_pieces(raw: &str) -> Result<Vec<(usize, Piece)>, TextError> {
    let characters: Vec<char> = raw.chars().collect();
    let mut pieces = Vec::with_capacity(characters.len());
    let mut index = 0;
    while let Some(&character) = characters.get(index) {
        if character != '\\' {
            pieces.push((index, Piece::Plain(character)));
            index += 1;
            continue;
        }
        let Some(&next) = characters.get(index + 1) else {
            return Err(TextError::new(
                index,
                "a backslash at the end has nothing to escape",
            ));
        };
        if next.is_ascii_digit() {
            let digits: String = characters
                .get(index + 1..index + 4)
                .unwrap_or(&[])
                .iter()
                .collect();
            if digits.len() != 3 || !digits.chars().all(|digit| digit.is_ascii_digit()) {
                return Err(TextError::new(
                    index,
                    "a \\DDD escape needs exactly three decimal digits, like \\032 for a space",
                ));
            }
            let value: u32 = digits.parse().unwrap_or(u32::MAX);
            let Ok(byte) = u8::try_from(value) else {
                return Err(TextError::new(
                    index,
                    format!("the escape \\{digits} is above 255, the largest value of one octet"),
                ));
            };
            pieces.push((index, Piece::Escaped(byte)));
            index += 4;
        } else {
            let mut buffer = [0u8; 4];
            let bytes = next.encode_utf8(&mut buffer).as_bytes();
            if let [single] = bytes {
                pieces.push((index, Piece::Escaped(*single)));
            } else {
                // An escaped non-ASCII character stands for its UTF-8 bytes.
                pieces.push((index, Piece::Plain(next)));
            }
            index += 2;
        }
    }
    Ok(pieces)
}

/// Appends a piece's bytes.
fn push_piece(bytes: &mut Vec<u8>, piece: Piece) {
    match piece {
        Piece::Escaped(byte) => bytes.push(byte),
        Piece::Plain(character) => {
            let mut buffer = [0u8; 4];
            bytes.extend_from_slice(character.encode_utf8(&mut buffer).as_bytes());
        }
    }
}

/// Decodes presentation text with escapes into bytes, with no length limit (CAA values, SVCB
/// parameter values).
pub(crate) fn decode_text(raw: &str) -> Result<Vec<u8>, TextError> {
    let mut bytes = Vec::with_capacity(raw.len());
    for (_, piece) in decode_pieces(raw)? {
        push_piece(&mut bytes, piece);
    }
    Ok(bytes)
}

/// Decodes one `<character-string>` (RFC 1035 section 5.1): at most 255 octets after escapes.
pub(crate) fn decode_character_string(raw: &str) -> Result<Vec<u8>, TextError> {
    let bytes = decode_text(raw)?;
    if bytes.len() > 255 {
        return Err(TextError::new(
            0,
            format!(
                "this text is {} octets long, but one character string holds at most 255; split it into several quoted strings",
                bytes.len()
            ),
        ));
    }
    Ok(bytes)
}

/// The longest domain name on the wire, in octets (RFC 1035 section 2.3.4).
const MAXIMUM_NAME_OCTETS: usize = 255;
/// The longest label, in octets.
const MAXIMUM_LABEL_OCTETS: usize = 63;

/// Parses a domain name in presentation form: `@`, `.`, absolute (`www.example.com.`) or relative
/// to `origin` (`www`), with `\.` and `\DDD` escapes inside labels.
pub(crate) fn parse_name(raw: &str, origin: Option<&Name>) -> Result<Name, TextError> {
    if raw == "@" {
        return origin.cloned().ok_or_else(|| {
            TextError::new(
                0,
                "@ stands for the zone's origin, but no origin is known yet: add a $ORIGIN line before this record or write the full name ending in a dot",
            )
        });
    }
    if raw == "." {
        return Ok(Name::root());
    }
    if raw.is_empty() {
        return Err(TextError::new(0, "a domain name is expected here"));
    }
    let pieces = decode_pieces(raw)?;
    let mut labels: Vec<Vec<u8>> = Vec::new();
    let mut label: Vec<u8> = Vec::new();
    let mut label_start = 0usize;
    let mut absolute = false;
    for (position, (offset, piece)) in pieces.iter().enumerate() {
        if *piece == Piece::Plain('.') {
            if label.is_empty() {
                let message = if *offset == 0 {
                    "a domain name cannot start with a dot (only the root name \".\" is a lone dot)"
                } else {
                    "this name has an empty label: two dots in a row"
                };
                return Err(TextError::new(*offset, message));
            }
            labels.push(std::mem::take(&mut label));
            if position + 1 == pieces.len() {
                absolute = true;
            }
            label_start = offset + 1;
            continue;
        }
        push_piece(&mut label, *piece);
        if label.len() > MAXIMUM_LABEL_OCTETS {
            return Err(TextError::new(
                label_start,
                format!("this label is longer than {MAXIMUM_LABEL_OCTETS} octets, the most a label can hold"),
            ));
        }
    }
    if !label.is_empty() {
        labels.push(label);
    }
    let mut octets: usize = 1 + labels.iter().map(|label| label.len() + 1).sum::<usize>();
    if !absolute {
        let Some(origin) = origin else {
            return Err(TextError::new(
                0,
                format!(
                    "\"{raw}\" is a relative name (it does not end with a dot), but no origin is known yet: add a $ORIGIN line before it or write the full name ending in a dot"
                ),
            ));
        };
        octets += wire_length(origin).saturating_sub(1);
        labels.extend(origin.iter().map(<[u8]>::to_vec));
    }
    if octets > MAXIMUM_NAME_OCTETS {
        return Err(TextError::new(
            0,
            format!("this name is {octets} octets long on the wire, but a domain name holds at most {MAXIMUM_NAME_OCTETS}"),
        ));
    }
    Name::from_labels(labels)
        .map_err(|error| TextError::new(0, format!("this is not a valid domain name: {error}")))
}

/// The wire length of a fully qualified name.
pub(crate) fn wire_length(name: &Name) -> usize {
    1 + name.iter().map(|label| label.len() + 1).sum::<usize>()
}

/// Writes a name uncompressed, keeping the case of its labels.
pub(crate) fn push_name(wire: &mut Vec<u8>, name: &Name) {
    for label in name.iter() {
        // Labels are at most 63 octets, so the length always fits in one octet.
        wire.push(u8::try_from(label.len()).unwrap_or(63));
        wire.extend_from_slice(label);
    }
    wire.push(0);
}

/// True when `wire` is exactly one domain name in uncompressed wire form: labels of 1 to 63
/// octets, each after its length, then the root's zero octet, 255 octets at most in all.
pub(crate) fn is_one_uncompressed_name(wire: &[u8]) -> bool {
    let mut position = 0;
    while let Some(&length) = wire.get(position) {
        if length == 0 {
            return position + 1 == wire.len() && wire.len() <= MAXIMUM_NAME_OCTETS;
        }
        if usize::from(length) > MAXIMUM_LABEL_OCTETS {
            // Also every compression pointer (0xC0 and above).
            return false;
        }
        position += 1 + usize::from(length);
    }
    false
}

/// Parses an unsigned decimal number that must fit `maximum`.
pub(crate) fn parse_number(raw: &str, maximum: u64, what: &str) -> Result<u64, TextError> {
    if raw.is_empty() || !raw.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(TextError::new(
            0,
            format!("the {what} must be a number from 0 to {maximum}, not \"{raw}\""),
        ));
    }
    match raw.parse::<u64>() {
        Ok(value) if value <= maximum => Ok(value),
        _ => Err(TextError::new(
            0,
            format!("the {what} {raw} is too large: it must be at most {maximum}"),
        )),
    }
}

/// The largest TTL: RFC 2181 section 8 keeps the top bit clear.
pub(crate) const MAXIMUM_TTL: u32 = 0x7FFF_FFFF;

/// Parses a TTL (or an SOA timer): seconds (`3600`) or BIND-style units (`1h30m`, `2d`, `1w`),
/// case-insensitive.
pub(crate) fn parse_ttl(raw: &str, what: &str) -> Result<u32, TextError> {
    let invalid = || {
        TextError::new(
            0,
            format!(
                "the {what} \"{raw}\" is neither a number of seconds nor a duration like 1h30m (units s, m, h, d, w)"
            ),
        )
    };
    if raw.is_empty() {
        return Err(invalid());
    }
    let mut total: u64 = 0;
    if raw.bytes().all(|byte| byte.is_ascii_digit()) {
        total = raw.parse::<u64>().unwrap_or(u64::MAX);
    } else {
        let mut number: Option<u64> = None;
        for character in raw.chars() {
            if let Some(digit) = character.to_digit(10) {
                number = Some(
                    number
                        .unwrap_or(0)
                        .saturating_mul(10)
                        .saturating_add(u64::from(digit)),
                );
                continue;
            }
            let unit_seconds = match character.to_ascii_lowercase() {
                's' => 1,
                'm' => 60,
                'h' => 3_600,
                'd' => 86_400,
                'w' => 604_800,
                _ => return Err(invalid()),
            };
            let Some(value) = number.take() else {
                return Err(invalid());
            };
            total = total.saturating_add(value.saturating_mul(unit_seconds));
        }
        if let Some(trailing_seconds) = number {
            total = total.saturating_add(trailing_seconds);
        }
    }
    if total > u64::from(MAXIMUM_TTL) {
        return Err(TextError::new(
            0,
            format!("the {what} {raw} is too large: at most {MAXIMUM_TTL} seconds (about 68 years) are allowed"),
        ));
    }
    u32::try_from(total).map_err(|_| invalid())
}

/// Decodes hexadecimal digits (either case), reporting the first bad character.
pub(crate) fn decode_hex(raw: &str) -> Result<Vec<u8>, TextError> {
    let mut bytes = Vec::with_capacity(raw.len() / 2);
    let mut high: Option<u8> = None;
    for (offset, character) in raw.chars().enumerate() {
        let Some(value) = character.to_digit(16) else {
            return Err(TextError::new(
                offset,
                format!("\"{character}\" is not a hexadecimal digit (0-9, a-f)"),
            ));
        };
        // `to_digit(16)` is below 16, so it fits a byte.
        let value = u8::try_from(value).unwrap_or(0);
        match high.take() {
            None => high = Some(value),
            Some(high_value) => bytes.push(high_value << 4 | value),
        }
    }
    if high.is_some() {
        return Err(TextError::new(
            raw.chars().count().saturating_sub(1),
            "the hexadecimal data has an odd number of digits; every octet needs two",
        ));
    }
    Ok(bytes)
}

/// Decodes standard base64 (RFC 4648 section 4, with padding).
pub(crate) fn decode_base64(raw: &str) -> Result<Vec<u8>, TextError> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(raw)
        .map_err(|error| TextError::new(0, format!("this is not valid base64: {error}")))
}

/// Decodes base32 with the "extended hex" alphabet and no padding (RFC 4648 section 7), as NSEC3
/// writes hashed owner names; either case is accepted.
pub(crate) fn decode_base32hex(raw: &str) -> Result<Vec<u8>, TextError> {
    let mut bytes = Vec::with_capacity(raw.len() * 5 / 8 + 1);
    let mut accumulator: u32 = 0;
    let mut bit_count = 0u32;
    for (offset, character) in raw.chars().enumerate() {
        let value = match character.to_ascii_uppercase() {
            digit @ '0'..='9' => u32::from(digit) - u32::from('0'),
            letter @ 'A'..='V' => u32::from(letter) - u32::from('A') + 10,
            _ => {
                return Err(TextError::new(
                    offset,
                    format!("\"{character}\" is not a base32hex digit (0-9, A-V)"),
                ))
            }
        };
        accumulator = (accumulator << 5) | value;
        bit_count += 5;
        if bit_count >= 8 {
            bit_count -= 8;
            bytes.push(u8::try_from((accumulator >> bit_count) & 0xFF).unwrap_or(0));
            accumulator &= (1 << bit_count) - 1;
        }
    }
    if bit_count >= 5 || accumulator != 0 {
        return Err(TextError::new(
            raw.chars().count().saturating_sub(1),
            "this base32hex text does not end on a whole octet",
        ));
    }
    Ok(bytes)
}

/// Converts a `YYYYMMDDHHmmSS` UTC time (RRSIG) to seconds since 1970, modulo 2^32 as RFC 4034
/// section 3.2 specifies (serial number arithmetic).
pub(crate) fn parse_rrsig_time(raw: &str, what: &str) -> Result<u32, TextError> {
    let all_digits = !raw.is_empty() && raw.bytes().all(|byte| byte.is_ascii_digit());
    if !all_digits {
        return Err(TextError::new(
            0,
            format!("the {what} must be a time like 20260101000000 (YYYYMMDDHHmmSS) or seconds since 1970, not \"{raw}\""),
        ));
    }
    if raw.len() != 14 {
        return parse_number(raw, u64::from(u32::MAX), what)
            .map(|value| u32::try_from(value).unwrap_or(0));
    }
    let field = |range: std::ops::Range<usize>| {
        raw.get(range)
            .and_then(|digits| digits.parse::<i64>().ok())
            .unwrap_or(-1)
    };
    let (year, month, day) = (field(0..4), field(4..6), field(6..8));
    let (hour, minute, second) = (field(8..10), field(10..12), field(12..14));
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    };
    if year < 1970 || day < 1 || day > days_in_month || hour > 23 || minute > 59 || second > 59 {
        return Err(TextError::new(
            0,
            format!(
                "the {what} {raw} is not a valid date and time (YYYYMMDDHHmmSS, UTC, from 1970)"
            ),
        ));
    }
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second;
    Ok(u32::try_from(seconds.rem_euclid(1 << 32)).unwrap_or(0))
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn name(text: &str) -> Name {
        Name::from_str(text).unwrap_or_else(|_| Name::root())
    }

    #[test]
    fn decodes_both_escape_forms() {
        assert_eq!(decode_text(r#"a\"b\032c\\"#), Ok(b"a\"b c\\".to_vec()));
        assert_eq!(decode_text(r"\255\000"), Ok(vec![255, 0]));
        let error = decode_text(r"ab\256").err().map(|error| error.char_offset);
        assert_eq!(error, Some(2));
        let short = decode_text(r"x\12").err().map(|error| error.char_offset);
        assert_eq!(short, Some(1));
        assert!(decode_text("x\\").is_err());
    }

    #[test]
    fn character_strings_are_limited_to_255_octets() {
        assert_eq!(
            decode_character_string(&"a".repeat(255)).map(|bytes| bytes.len()),
            Ok(255)
        );
        assert!(decode_character_string(&"a".repeat(256)).is_err());
        // Escapes count as one octet each.
        assert!(decode_character_string(&r"\097".repeat(255)).is_ok());
    }

    #[test]
    fn names_resolve_relative_to_the_origin_and_keep_escaped_dots_in_labels() {
        let origin = name("example.com.");
        assert_eq!(
            parse_name("www", Some(&origin)),
            Ok(name("www.example.com."))
        );
        assert_eq!(parse_name("@", Some(&origin)), Ok(origin.clone()));
        assert_eq!(
            parse_name("other.org.", Some(&origin)),
            Ok(name("other.org."))
        );
        assert_eq!(parse_name(".", None), Ok(Name::root()));
        let escaped = parse_name(r"a\.b.example.", None).unwrap_or_else(|_| Name::root());
        assert_eq!(escaped.num_labels(), 2);
        assert_eq!(escaped.iter().next(), Some(&b"a.b"[..]));
        let decimal = parse_name(r"\065bc.", None).unwrap_or_else(|_| Name::root());
        assert_eq!(decimal.iter().next(), Some(&b"Abc"[..]));
    }

    #[test]
    fn names_report_where_they_go_wrong() {
        let origin = name("example.");
        assert_eq!(
            parse_name("a..b", Some(&origin)).map_err(|error| error.char_offset),
            Err(2)
        );
        assert_eq!(
            parse_name(".a", Some(&origin)).map_err(|error| error.char_offset),
            Err(0)
        );
        let long_label = format!("ok.{}", "x".repeat(64));
        assert_eq!(
            parse_name(&long_label, Some(&origin)).map_err(|error| error.char_offset),
            Err(3)
        );
        assert!(parse_name("www", None).is_err());
        assert!(parse_name("@", None).is_err());
        let too_long = vec!["a".repeat(63); 4].join(".") + ".";
        assert!(parse_name(&too_long, None).is_err());
        let longest = [
            "a".repeat(63),
            "b".repeat(63),
            "c".repeat(63),
            "d".repeat(61),
        ]
        .join(".")
            + ".";
        assert_eq!(
            parse_name(&longest, None).map(|name| wire_length(&name)),
            Ok(255)
        );
    }

    #[test]
    fn ttls_accept_seconds_and_units() {
        assert_eq!(parse_ttl("3600", "TTL"), Ok(3600));
        assert_eq!(parse_ttl("1h30m", "TTL"), Ok(5400));
        assert_eq!(
            parse_ttl("1W2D3h4M5s", "TTL"),
            Ok(604_800 + 2 * 86_400 + 3 * 3_600 + 4 * 60 + 5)
        );
        assert_eq!(parse_ttl("2147483647", "TTL"), Ok(MAXIMUM_TTL));
        assert!(parse_ttl("2147483648", "TTL").is_err());
        assert!(parse_ttl("1x", "TTL").is_err());
        assert!(parse_ttl("h", "TTL").is_err());
    }

    #[test]
    fn binary_encodings_decode_and_reject_bad_input() {
        assert_eq!(decode_hex("00fFa1"), Ok(vec![0x00, 0xFF, 0xA1]));
        assert_eq!(decode_hex("0g").map_err(|error| error.char_offset), Err(1));
        assert!(decode_hex("abc").is_err());
        assert_eq!(decode_base64("AQID"), Ok(vec![1, 2, 3]));
        assert!(decode_base64("AQI").is_err());
        // RFC 4648 section 10 test vectors, base32hex without padding.
        assert_eq!(decode_base32hex("CPNMUOJ1"), Ok(b"fooba".to_vec()));
        assert_eq!(decode_base32hex("cpnmuoj1e8"), Ok(b"foobar".to_vec()));
        assert_eq!(decode_base32hex("CO"), Ok(b"f".to_vec()));
        assert!(decode_base32hex("CPNMUOJ1E").is_err());
        assert!(decode_base32hex("W0").is_err());
    }

    #[test]
    fn rrsig_times_convert_dates_to_epoch_seconds() {
        // `date -u -d 2026-01-01T00:00:00 +%s` = 1767225600
        assert_eq!(
            parse_rrsig_time("20260101000000", "expiration"),
            Ok(1_767_225_600)
        );
        assert_eq!(parse_rrsig_time("19700101000001", "expiration"), Ok(1));
        assert_eq!(
            parse_rrsig_time("1767225600", "expiration"),
            Ok(1_767_225_600)
        );
        assert!(parse_rrsig_time("20260230000000", "expiration").is_err());
        assert!(parse_rrsig_time("2026-01-01", "expiration").is_err());
    }
}
