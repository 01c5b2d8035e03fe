//! Presentation-format helpers shared by the record decoders: BIND's escaping of labels and
//! character-strings, hex, base64, base32hex, IPv6 text and RRSIG time stamps.
//!
//! Each helper reproduces what dig 9.18 prints, because users compare our output with dig's.

use std::fmt::Write as _;
use std::net::Ipv6Addr;

/// Appends one label as BIND's `dns_name_totext` writes it in master-file style: the
/// characters special in zone files (`"` `(` `)` `.` `;` `\` `@` `$`) get a backslash, bytes
/// that are not printable ASCII become `\DDD`.
pub(crate) fn push_escaped_label(output: &mut String, label: &[u8]) {
    for &byte in label {
        match byte {
            b'"' | b'(' | b')' | b'.' | b';' | b'\\' | b'@' | b'$' => {
                output.push('\\');
                output.push(char::from(byte));
            }
            0x21..=0x7e => output.push(char::from(byte)),
            _ => push_decimal_escape(output, byte),
        }
    }
}

/// Appends a character-string's contents as BIND's `txt_totext` writes them inside quotes:
/// `"` and `\` get a backslash, bytes outside printable ASCII (space included is fine) become
/// `\DDD`.
pub(crate) fn push_escaped_character_string(output: &mut String, text: &[u8]) {
    for &byte in text {
        match byte {
            b'"' | b'\\' => {
                output.push('\\');
                output.push(char::from(byte));
            }
            0x20..=0x7e => output.push(char::from(byte)),
            _ => push_decimal_escape(output, byte),
        }
    }
}

/// A character-string in quotes, as dig prints TXT, HINFO, NAPTR and CAA values.
pub(crate) fn quoted_character_string(text: &[u8]) -> String {
    let mut output = String::with_capacity(text.len() + 2);
    output.push('"');
    push_escaped_character_string(&mut output, text);
    output.push('"');
    output
}

fn push_decimal_escape(output: &mut String, byte: u8) {
    output.push('\\');
    output.push(char::from(b'0' + byte / 100));
    output.push(char::from(b'0' + (byte / 10) % 10));
    output.push(char::from(b'0' + byte % 10));
}

const UPPER_HEX_DIGITS: &[u8; 16] = b"0123456789ABCDEF";
const LOWER_HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Upper-case hex without separators, as BIND prints DS digests, TLSA and SSHFP data.
pub(crate) fn upper_hex(bytes: &[u8]) -> String {
    let mut output = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        output.push(char::from(UPPER_HEX_DIGITS[usize::from(byte >> 4)]));
        output.push(char::from(UPPER_HEX_DIGITS[usize::from(byte & 0x0f)]));
    }
    output
}

/// Lower-case hex without separators, as dig prints cookies.
pub(crate) fn lower_hex(bytes: &[u8]) -> String {
    let mut output = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        output.push(char::from(LOWER_HEX_DIGITS[usize::from(byte >> 4)]));
        output.push(char::from(LOWER_HEX_DIGITS[usize::from(byte & 0x0f)]));
    }
    output
}

/// Lower-case hex bytes separated by spaces, as dig prints NSID and unknown EDNS options.
pub(crate) fn spaced_lower_hex(bytes: &[u8]) -> String {
    let mut output = String::with_capacity(bytes.len() * 3);
    for (index, &byte) in bytes.iter().enumerate() {
        if index > 0 {
            output.push(' ');
        }
        output.push(char::from(LOWER_HEX_DIGITS[usize::from(byte >> 4)]));
        output.push(char::from(LOWER_HEX_DIGITS[usize::from(byte & 0x0f)]));
    }
    output
}

/// Splits `text` into chunks of `width` characters separated by single spaces, the way BIND
/// breaks long base64 and hex fields when it prints records on one line.
pub(crate) fn split_into_chunks(text: &str, width: usize) -> String {
    if width == 0 || text.len() <= width {
        return text.to_owned();
    }
    let mut output = String::with_capacity(text.len() + text.len() / width);
    for (index, character) in text.chars().enumerate() {
        if index > 0 && index % width == 0 {
            output.push(' ');
        }
        output.push(character);
    }
    output
}

const BASE64_ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding (RFC 4648 §4).
pub(crate) fn base64(bytes: &[u8]) -> String {
    let mut output = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let first = chunk.first().copied().unwrap_or(0);
        let second = chunk.get(1).copied().unwrap_or(0);
        let third = chunk.get(2).copied().unwrap_or(0);
        let group = u32::from(first) << 16 | u32::from(second) << 8 | u32::from(third);
        let symbols = [
            (group >> 18) & 0x3f,
            (group >> 12) & 0x3f,
            (group >> 6) & 0x3f,
            group & 0x3f,
        ];
        let present = chunk.len() + 1;
        for (index, symbol) in symbols.iter().enumerate() {
            if index < present {
                output.push(char::from(BASE64_ALPHABET[*symbol as usize]));
            } else {
                output.push('=');
            }
        }
    }
    output
}

const BASE32HEX_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHIJKLMNOPQRSTUV";

/// Base32 with the extended hex alphabet and no padding (RFC 4648 §7), as NSEC3 next hashed
/// owner names are printed (RFC 5155 §3.3).
pub(crate) fn base32hex_unpadded(bytes: &[u8]) -> String {
    let mut output = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let mut buffer: u64 = 0;
    let mut bits_in_buffer = 0u32;
    for &byte in bytes {
        buffer = (buffer << 8) | u64::from(byte);
        bits_in_buffer += 8;
        while bits_in_buffer >= 5 {
            bits_in_buffer -= 5;
            let index = ((buffer >> bits_in_buffer) & 0x1f) as usize;
            output.push(char::from(BASE32HEX_ALPHABET[index]));
        }
    }
    if bits_in_buffer > 0 {
        let index = ((buffer << (5 - bits_in_buffer)) & 0x1f) as usize;
        output.push(char::from(BASE32HEX_ALPHABET[index]));
    }
    output
}

/// IPv6 text as BIND's `inet_ntop` writes it: RFC 5952 zero compression, and the last 32 bits
/// as a dotted quad for IPv4-compatible (`::a.b.c.d`) and IPv4-mapped (`::ffff:a.b.c.d`)
/// addresses. Rust's own `Display` differs for the IPv4-compatible form.
pub(crate) fn ipv6_text(address: &Ipv6Addr) -> String {
    let words = address.segments();
    // Find the longest run of zero words (the first one on a tie), at least two long.
    let mut best: Option<(usize, usize)> = None;
    let mut current: Option<(usize, usize)> = None;
    for (index, word) in words.iter().enumerate() {
        if *word == 0 {
            current = Some(match current {
                Some((base, length)) => (base, length + 1),
                None => (index, 1),
            });
        } else {
            current = None;
        }
        if let Some((base, length)) = current {
            if best.is_none_or(|(_, best_length)| length > best_length) {
                best = Some((base, length));
            }
        }
    }
    if best.is_some_and(|(_, length)| length < 2) {
        best = None;
    }
    let mut output = String::with_capacity(39);
    let mut index = 0;
    while index < 8 {
        if let Some((base, length)) = best {
            if index >= base && index < base + length {
                if index == base {
                    output.push(':');
                }
                index += 1;
                continue;
            }
        }
        if index != 0 {
            output.push(':');
        }
        let embeds_ipv4 = index == 6
            && best.is_some_and(|(base, length)| {
                base == 0 && (length == 6 || (length == 5 && words[5] == 0xffff))
            });
        if embeds_ipv4 {
            let octets = address.octets();
            let _ = write!(
                output,
                "{}.{}.{}.{}",
                octets[12], octets[13], octets[14], octets[15]
            );
            return output;
        }
        let _ = write!(output, "{:x}", words[index]);
        index += 1;
    }
    if best.is_some_and(|(base, length)| base + length == 8) {
        output.push(':');
    }
    output
}

/// An RRSIG time (RFC 4034 §3.2: seconds since 1970 modulo 2^32) as `YYYYMMDDHHmmSS` in UTC.
pub(crate) fn rrsig_time(seconds: u32) -> String {
    let days = i64::from(seconds / 86_400);
    let seconds_of_day = seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}{:02}{:02}{:02}",
        seconds_of_day / 3600,
        (seconds_of_day / 60) % 60,
        seconds_of_day % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
fn civil_from_days(days_since_epoch: i64) -> (i64, u32, u32) {
    let shifted = days_since_epoch + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_escape_zone_file_specials_and_non_printables() {
        let mut output = String::new();
        push_escaped_label(&mut output, b"a.b\\c@$ \x00\xff");
        assert_eq!(output, "a\\.b\\\\c\\@\\$\\032\\000\\255");
    }

    #[test]
    fn character_strings_escape_quotes_and_backslashes_only() {
        assert_eq!(
            quoted_character_string(b"v=spf1 \"x\" \\ ;@\x01"),
            "\"v=spf1 \\\"x\\\" \\\\ ;@\\001\""
        );
    }

    #[test]
    fn base64_matches_rfc_4648_test_vectors() {
        // RFC 4648 §10.
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foob"), "Zm9vYg==");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn base32hex_matches_rfc_4648_test_vectors_without_padding() {
        // RFC 4648 §10, padding removed as RFC 5155 prints it.
        assert_eq!(base32hex_unpadded(b"f"), "CO");
        assert_eq!(base32hex_unpadded(b"fo"), "CPNG");
        assert_eq!(base32hex_unpadded(b"foo"), "CPNMU");
        assert_eq!(base32hex_unpadded(b"foob"), "CPNMUOG");
        assert_eq!(base32hex_unpadded(b"foobar"), "CPNMUOJ1E8");
    }

    #[test]
    fn ipv6_text_follows_rfc_5952_and_bind_for_embedded_ipv4() {
        let text = |s: &str| ipv6_text(&s.parse::<Ipv6Addr>().unwrap_or(Ipv6Addr::UNSPECIFIED));
        assert_eq!(text("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");
        assert_eq!(text("::"), "::");
        assert_eq!(text("::1"), "::1");
        assert_eq!(text("2001:db8::"), "2001:db8::");
        assert_eq!(text("::ffff:192.0.2.1"), "::ffff:192.0.2.1");
        assert_eq!(text("::192.0.2.1"), "::192.0.2.1");
        assert_eq!(text("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2:3:4:5:6");
        assert_eq!(text("2001:0:0:1::1"), "2001:0:0:1::1");
    }

    #[test]
    fn rrsig_times_print_as_utc_calendar_dates() {
        // 2^31 seconds is 2038-01-19 03:14:08 UTC; 0 is the epoch.
        assert_eq!(rrsig_time(0), "19700101000000");
        assert_eq!(rrsig_time(2_147_483_648), "20380119031408");
        assert_eq!(rrsig_time(1_700_000_000), "20231114221320");
    }
}
