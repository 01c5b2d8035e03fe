//! Internationalized labels (IDNA 2008 with UTS #46 processing): typed U-labels to the A-labels
//! that go on the wire, and A-labels back to U-labels for display.
//!
//! The Unicode part of UTS #46 (mapping, normalization, the bidi and joiner rules) needs large
//! tables, and the browser already has them: the page hands the core its own URL host parser
//! ([`set_label_to_ascii`]), so the page's wasm carries no Unicode tables. Native builds use the
//! `idna` crate with the options hickory-proto's `Label::from_utf8` uses (STD3 ASCII rules,
//! hyphens allowed anywhere, no DNS length check: the caller checks lengths). The core itself does
//! what does not depend on Unicode data: which labels need the conversion, the ASCII rules around
//! it, and the punycode decoding of RFC 3492 that shows an A-label as its U-label.

use std::sync::OnceLock;

/// UTS #46 ToASCII of one label: `Some(A-label)` or `None` when the label is not a valid
/// internationalized label.
pub type LabelToAscii = fn(&str) -> Option<String>;

static LABEL_TO_ASCII: OnceLock<LabelToAscii> = OnceLock::new();

/// Sets the UTS #46 conversion used by [`to_ascii_label`] and [`to_unicode_label`]; the first call
/// wins. The page calls it once at start with the browser's; native builds need not call it.
pub fn set_label_to_ascii(convert: LabelToAscii) {
    let _ = LABEL_TO_ASCII.set(convert);
}

fn label_to_ascii() -> Option<LabelToAscii> {
    LABEL_TO_ASCII.get().copied().or_else(native_label_to_ascii)
}

#[cfg(not(target_arch = "wasm32"))]
fn native_label_to_ascii() -> Option<LabelToAscii> {
    fn convert(label: &str) -> Option<String> {
        use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};
        Uts46::new()
            .to_ascii(
                label.as_bytes(),
                AsciiDenyList::STD3,
                Hyphens::Allow,
                DnsLength::Ignore,
            )
            .ok()
            .map(|converted| converted.into_owned())
    }
    Some(convert)
}

#[cfg(target_arch = "wasm32")]
fn native_label_to_ascii() -> Option<LabelToAscii> {
    None
}

/// Why a label has no A-label.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdnaError {
    /// UTS #46 rejects it (a disallowed character, a broken bidi or joiner rule...).
    #[error("the label is not a valid internationalized label")]
    Invalid,
    /// No UTS #46 conversion was given (a wasm build that did not call [`set_label_to_ascii`]).
    #[error("internationalized labels cannot be converted here")]
    Unavailable,
}

/// The A-label of `label`, a label holding characters outside ASCII. Besides them only letters,
/// digits and hyphens may appear (STD3 rules, as hickory-proto applies them); the result is
/// checked to be one ASCII label, so a conversion that maps a character to a dot (`。`) is
/// refused rather than splitting the label in two.
pub fn to_ascii_label(label: &str) -> Result<String, IdnaError> {
    let convert = label_to_ascii().ok_or(IdnaError::Unavailable)?;
    let ldh = |character: char| character.is_ascii_alphanumeric() || character == '-';
    if label.is_empty()
        || label
            .chars()
            .any(|character| character.is_ascii() && !ldh(character))
    {
        return Err(IdnaError::Invalid);
    }
    let converted = convert(label).ok_or(IdnaError::Invalid)?;
    if converted.is_empty() || !converted.chars().all(ldh) {
        return Err(IdnaError::Invalid);
    }
    Ok(converted)
}

/// The U-label an A-label (`xn--…`) stands for, when it is a valid one: its punycode decodes,
/// the result holds characters outside ASCII, and converting that back gives exactly the same
/// A-label (so `XN--BCHER-KVA`, which UTS #46 would first map to lower case, is not one).
/// `None` otherwise (the label is then shown as it is).
pub fn to_unicode_label(label: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(label).ok()?;
    let decoded = punycode_decode(text.strip_prefix("xn--")?)?;
    if decoded.is_ascii() {
        return None;
    }
    let again = to_ascii_label(&decoded).ok()?;
    (again == text).then_some(decoded)
}

// RFC 3492 section 5: the parameters of punycode.
const BASE: u32 = 36;
const T_MIN: u32 = 1;
const T_MAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 128;

/// RFC 3492 section 6.1.
fn adapt(delta: u32, points: u32, first_time: bool) -> u32 {
    let mut delta = if first_time { delta / DAMP } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((BASE - T_MIN) * T_MAX) / 2 {
        delta /= BASE - T_MIN;
        k += BASE;
    }
    k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
}

fn digit_value(byte: u8) -> Option<u32> {
    match byte {
        b'a'..=b'z' => Some(u32::from(byte - b'a')),
        b'A'..=b'Z' => Some(u32::from(byte - b'A')),
        b'0'..=b'9' => Some(u32::from(byte - b'0') + 26),
        _ => None,
    }
}

/// RFC 3492 section 6.2, with checked arithmetic: `None` for input that is not punycode or
/// overflows.
fn punycode_decode(input: &str) -> Option<String> {
    let (basic, extended) = match input.rfind('-') {
        Some(position) => (input.get(..position)?, input.get(position + 1..)?),
        None => ("", input),
    };
    if !basic.is_ascii() {
        return None;
    }
    let mut output: Vec<char> = basic.chars().collect();
    let mut n = INITIAL_N;
    let mut i: u32 = 0;
    let mut bias = INITIAL_BIAS;
    let mut bytes = extended.bytes().peekable();
    while bytes.peek().is_some() {
        let old_i = i;
        let mut weight: u32 = 1;
        let mut k = BASE;
        loop {
            let digit = digit_value(bytes.next()?)?;
            i = i.checked_add(digit.checked_mul(weight)?)?;
            let threshold = if k <= bias {
                T_MIN
            } else if k >= bias + T_MAX {
                T_MAX
            } else {
                k - bias
            };
            if digit < threshold {
                break;
            }
            weight = weight.checked_mul(BASE - threshold)?;
            k += BASE;
        }
        let length = u32::try_from(output.len()).ok()?.checked_add(1)?;
        bias = adapt(i - old_i, length, old_i == 0);
        n = n.checked_add(i / length)?;
        i %= length;
        let character = char::from_u32(n)?;
        output.insert(usize::try_from(i).ok()?, character);
        i += 1;
    }
    Some(output.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punycode_decodes_rfc_3492s_samples() {
        // RFC 3492 section 7.1, (A) Arabic (Egyptian) and (L) 3<nen>B<gumi><kinpachi><sensei>.
        assert_eq!(
            punycode_decode("egbpdaj6bu4bxfgehfvwxn").as_deref(),
            Some("\u{644}\u{64a}\u{647}\u{645}\u{627}\u{628}\u{62a}\u{643}\u{644}\u{645}\u{648}\u{634}\u{639}\u{631}\u{628}\u{64a}\u{61f}")
        );
        assert_eq!(
            punycode_decode("3B-ww4c5e180e575a65lsy2b").as_deref(),
            Some("3\u{5e74}B\u{7d44}\u{91d1}\u{516b}\u{5148}\u{751f}")
        );
        assert_eq!(punycode_decode("bcher-kva").as_deref(), Some("bücher"));
    }

    #[test]
    fn punycode_refuses_what_is_not_punycode() {
        for input in ["bcher-kv!", "9999999999999999", "é-a"] {
            assert_eq!(punycode_decode(input), None, "{input}");
        }
    }

    #[test]
    fn labels_go_to_a_labels_and_back_as_the_idna_crate_does() {
        for (unicode, ascii) in [
            ("bücher", "xn--bcher-kva"),
            ("BÜCHER", "xn--bcher-kva"),
            ("例え", "xn--r8jz45g"),
            ("faß", "xn--fa-hia"),
        ] {
            assert_eq!(to_ascii_label(unicode).as_deref(), Ok(ascii), "{unicode}");
        }
        assert_eq!(
            to_unicode_label(b"xn--bcher-kva").as_deref(),
            Some("bücher")
        );
        assert_eq!(to_unicode_label(b"XN--BCHER-KVA"), None);
        assert_eq!(to_unicode_label(b"xn--fa-hia").as_deref(), Some("faß"));
    }

    #[test]
    fn invalid_labels_have_no_conversion() {
        // Not letters, digits or hyphens beside the Unicode; a character that maps to a dot;
        // a disallowed character; empty.
        for label in ["bü_cher", "bü cher", "a\u{3002}b", "\u{fffd}x", ""] {
            assert_eq!(to_ascii_label(label), Err(IdnaError::Invalid), "{label:?}");
        }
        // Punycode that decodes to ASCII, or does not round-trip, is not shown as Unicode.
        assert_eq!(to_unicode_label(b"xn--abc-"), None);
        assert_eq!(to_unicode_label(b"xn--zzzz"), None);
        assert_eq!(to_unicode_label(b"example"), None);
    }
}
