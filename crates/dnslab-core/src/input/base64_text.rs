//! Base64 input: standard base64 (`+/`, padded), base64url (`-_`, unpadded, RFC 4648 §5) and
//! DNS over HTTPS GET URLs, whose `?dns=` parameter is the message in base64url (RFC 8484 §4.1).

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

use super::detect::{TextPacket, TextParse};
use super::error::InputError;
use super::InputFormat;

/// Standard alphabet; padding optional, since copies often lose it.
const STANDARD_ANY_PADDING: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// URL-safe alphabet; padding optional (RFC 8484 says none, some tools add it).
const URL_SAFE_ANY_PADDING: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

fn malformed(format: &'static str, reason: String) -> InputError {
    InputError::MalformedText {
        format,
        line: 1,
        reason,
    }
}

/// The value of the `dns` query parameter in a DoH GET URL, if the text is one.
fn doh_parameter(text: &str) -> Option<&str> {
    let query = text.split_once('?')?.1;
    let query = query.split('#').next()?;
    query.split('&').find_map(|pair| pair.strip_prefix("dns="))
}

/// Recognizes base64, base64url and DoH URLs. Text in the alphabet both share (letters and
/// digits only) gives both readings, which decode to the same bytes; base64 ranks first.
pub(crate) fn parse_base64(text: &str) -> Vec<Result<TextParse, InputError>> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Vec::new();
    }
    if let Some(parameter) = doh_parameter(trimmed) {
        return vec![URL_SAFE_ANY_PADDING
            .decode(parameter)
            .map_err(|error| malformed("a DoH URL", format!("the dns= parameter: {error}")))
            .map(|bytes| TextParse {
                format: InputFormat::DohUrl,
                specificity: 6,
                packets: vec![TextPacket::single(bytes)],
            })];
    }
    // Base64 is wrapped in lines, never broken by spaces inside a line: "hello world" is prose.
    if trimmed
        .lines()
        .any(|line| line.trim().contains(char::is_whitespace))
    {
        return Vec::new();
    }
    let compact: String = trimmed.split_whitespace().collect();
    let is_standard = compact
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'/' | b'='));
    let is_url_safe = compact
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'='));
    // Hex digits alone are hex far more often than base64: the detector ranks by plausibility
    // first, so base64 only wins when its bytes make a better DNS message.
    let only_hex_digits = compact.bytes().all(|byte| byte.is_ascii_hexdigit());
    let mut readings = Vec::new();
    let mut read =
        |engine: &GeneralPurpose, format: InputFormat, name: &'static str, specificity| {
            readings.push(
                engine
                    .decode(&compact)
                    .map_err(|error| malformed(name, error.to_string()))
                    .map(|bytes| TextParse {
                        format,
                        specificity: if only_hex_digits { 1 } else { specificity },
                        packets: vec![TextPacket::single(bytes)],
                    })
                    .and_then(|parse| long_enough(parse, name)),
            );
        };
    if is_standard {
        read(&STANDARD_ANY_PADDING, InputFormat::Base64, "base64", 3);
    }
    if is_url_safe {
        read(
            &URL_SAFE_ANY_PADDING,
            InputFormat::Base64Url,
            "base64url",
            if is_standard { 2 } else { 3 },
        );
    }
    readings
}

/// A DNS message has at least a 12-byte header; a shorter decode is a word, not a message.
fn long_enough(parse: TextParse, name: &'static str) -> Result<TextParse, InputError> {
    let length = parse
        .packets
        .first()
        .and_then(|packet| packet.sources.first())
        .map_or(0, |source| source.bytes.len());
    if length < crate::dissect::HEADER_LENGTH {
        return Err(malformed(
            name,
            format!("it decodes to only {length} bytes, fewer than a DNS header's 12"),
        ));
    }
    Ok(parse)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(text: &str) -> (InputFormat, Vec<u8>) {
        let parse = parse_base64(text)
            .into_iter()
            .next()
            .expect("recognized")
            .expect("decoded");
        (parse.format, parse.packets[0].sources[0].bytes.clone())
    }

    #[test]
    fn reads_the_rfc_8484_example_url() {
        // RFC 8484 §4.1.1: a query for www.example.com A, ID 0, RD set.
        let (format, bytes) = decoded(
            "https://dnsserver.example.net/dns-query?dns=AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB",
        );
        assert_eq!(format, InputFormat::DohUrl);
        assert_eq!(&bytes[..4], &[0x00, 0x00, 0x01, 0x00]);
        assert_eq!(bytes.len(), 33);
    }

    #[test]
    fn tells_standard_from_url_safe_alphabets() {
        let standard = "+/8AAAAAAAAAAAAAAAAA";
        let url_safe = "-_8AAAAAAAAAAAAAAAAA";
        assert_eq!(decoded(standard).0, InputFormat::Base64);
        assert_eq!(decoded(url_safe).0, InputFormat::Base64Url);
        assert_eq!(decoded(standard).1, decoded(url_safe).1);
        assert_eq!(&decoded(standard).1[..3], &[0xfb, 0xff, 0x00]);
        assert!(matches!(
            parse_base64("AAAA").first(),
            Some(Err(InputError::MalformedText { .. }))
        ));
        assert!(parse_base64("hello world").is_empty());
        assert!(parse_base64("a+b-").is_empty());
        assert!(matches!(
            parse_base64("abcde").first(),
            Some(Err(InputError::MalformedText { .. }))
        ));
    }
}
