//! LOC records in text form (RFC 1876 section 3), written as the 16 octets of RFC 1876 section 2 exactly as Knot DNS and BIND encode them.
//!
//! `d1 [m1 [s1]] {N|S} d2 [m2 [s2]] {E|W} alt[m] [siz[m] [hp[m] [vp[m]]]]`: minutes and seconds
//! are optional; seconds take up to three decimals, the altitude (-100000.00 to 42849672.95 m)
//! and the three sizes (0 to 90000000.00 m, by default 1 m, 10000 m and 10 m) up to two, each with
//! an optional `m`. A size is sent as one digit times a power of ten centimetres, the digit
//! truncated: 1.5 m is sent as 1 m, as both servers do.

use super::{at_token, token_error, Fields};
use crate::zone::lexer::Token;
use crate::zone::text::TextError;
use crate::zone::ZoneError;

/// Coordinates are sent in thousandths of an arc second, offset so that 2^31 is the equator or
/// the prime meridian.
const COORDINATE_ORIGIN: u32 = 1 << 31;
/// Altitudes are sent in centimetres above a base 100 000 m below the WGS 84 spheroid.
const ALTITUDE_BASE_CENTIMETRES: u64 = 10_000_000;
/// The highest altitude that fits in 32 bits above that base (42849672.95 m).
const MAXIMUM_ALTITUDE_CENTIMETRES: u64 = u32::MAX as u64 - ALTITUDE_BASE_CENTIMETRES;
/// The largest size or precision, 90000000.00 m: the digit 9 times 10^9 cm.
const MAXIMUM_SIZE_CENTIMETRES: u64 = 9_000_000_000;
/// RFC 1876's defaults for the size (1 m), horizontal precision (10000 m) and vertical precision
/// (10 m), as digit-exponent octets.
const DEFAULT_SIZES: [u8; 3] = [0x12, 0x16, 0x13];
const SIZE_NAMES: [&str; 3] = ["size", "horizontal precision", "vertical precision"];

/// One of the two coordinates.
struct Axis {
    name: &'static str,
    maximum_degrees: u64,
    /// The direction letter of positive values (north, east) and of negative ones.
    positive: &'static str,
    negative: &'static str,
}

const LATITUDE: Axis = Axis {
    name: "latitude",
    maximum_degrees: 90,
    positive: "N",
    negative: "S",
};

const LONGITUDE: Axis = Axis {
    name: "longitude",
    maximum_degrees: 180,
    positive: "E",
    negative: "W",
};

/// Reads a LOC record's fields and appends its 16 octets.
pub(super) fn parse_loc(fields: &mut Fields<'_, '_>, wire: &mut Vec<u8>) -> Result<(), ZoneError> {
    let latitude = coordinate(fields, &LATITUDE)?;
    let longitude = coordinate(fields, &LONGITUDE)?;
    let altitude = altitude(fields)?;
    let mut sizes = DEFAULT_SIZES;
    for (size, what) in sizes.iter_mut().zip(SIZE_NAMES) {
        if !fields.has_more() {
            break;
        }
        let token = fields.token(what)?;
        let centimetres = decimal_in_units(&token, 2, true, what)?;
        if centimetres > MAXIMUM_SIZE_CENTIMETRES {
            return Err(at_token(
                &token,
                format!(
                    "the {what} {} is too large: at most 90000000.00 m",
                    token.raw
                ),
            ));
        }
        *size = digit_and_exponent(centimetres);
    }
    // Version 0, the only one RFC 1876 defines.
    wire.push(0);
    wire.extend_from_slice(&sizes);
    wire.extend_from_slice(&latitude.to_be_bytes());
    wire.extend_from_slice(&longitude.to_be_bytes());
    wire.extend_from_slice(&altitude.to_be_bytes());
    Ok(())
}

/// `degrees [minutes [seconds]] direction`, as the wire's 32-bit value.
fn coordinate(fields: &mut Fields<'_, '_>, axis: &Axis) -> Result<u32, ZoneError> {
    let degrees_token = fields.token(&format!("{} degrees", axis.name))?;
    let degrees = whole_number(&degrees_token, axis.maximum_degrees).ok_or_else(|| {
        at_token(
            &degrees_token,
            format!(
                "the {} must start with its degrees, a whole number from 0 to {}, not \"{}\"",
                axis.name, axis.maximum_degrees, degrees_token.raw
            ),
        )
    })?;
    let mut minutes = 0;
    let mut thousandths_of_seconds = 0;
    let mut parts_read = 0;
    let is_positive = loop {
        let token = fields.token(&format!(
            "{} direction ({} or {})",
            axis.name, axis.positive, axis.negative
        ))?;
        if token.raw == axis.positive {
            break true;
        }
        if token.raw == axis.negative {
            break false;
        }
        if token.raw.eq_ignore_ascii_case(axis.positive)
            || token.raw.eq_ignore_ascii_case(axis.negative)
        {
            return Err(at_token(
                &token,
                format!(
                    "write the direction of the {} as a capital letter, {} or {}",
                    axis.name, axis.positive, axis.negative
                ),
            ));
        }
        let starts_with_digit = token
            .raw
            .starts_with(|character: char| character.is_ascii_digit());
        match parts_read {
            0 if starts_with_digit => {
                minutes = whole_number(&token, 59).ok_or_else(|| {
                    at_token(
                        &token,
                        format!(
                            "the minutes of the {} must be a whole number from 0 to 59, not \"{}\"",
                            axis.name, token.raw
                        ),
                    )
                })?;
            }
            1 if starts_with_digit => {
                let what = format!("seconds of the {}", axis.name);
                thousandths_of_seconds = decimal_in_units(&token, 3, false, &what)?;
                if thousandths_of_seconds > 59_999 {
                    return Err(at_token(
                        &token,
                        format!("the {what} must be below 60, not {}", token.raw),
                    ));
                }
            }
            _ => {
                let expected = match parts_read {
                    0 => "its minutes (0 to 59) or its direction",
                    1 => "its seconds (0 to 59.999) or its direction",
                    _ => "its direction",
                };
                return Err(at_token(
                    &token,
                    format!(
                        "\"{}\" is not part of the {}: expected {expected} ({} or {})",
                        token.raw, axis.name, axis.positive, axis.negative
                    ),
                ));
            }
        }
        parts_read += 1;
    };
    if degrees == axis.maximum_degrees && (minutes > 0 || thousandths_of_seconds > 0) {
        return Err(at_token(
            &degrees_token,
            format!(
                "the {} is more than {} degrees: at {} degrees the minutes and seconds must be 0",
                axis.name, axis.maximum_degrees, axis.maximum_degrees
            ),
        ));
    }
    // At most 180 * 3 600 000 = 648 000 000, well inside 2^31.
    let offset =
        u32::try_from((degrees * 60 + minutes) * 60_000 + thousandths_of_seconds).unwrap_or(0);
    Ok(if is_positive {
        COORDINATE_ORIGIN + offset
    } else {
        COORDINATE_ORIGIN - offset
    })
}

/// The altitude in metres (a `-` for below the base, an optional `m`), as the wire's value.
fn altitude(fields: &mut Fields<'_, '_>) -> Result<u32, ZoneError> {
    let token = fields.token("altitude")?;
    let (below, magnitude) = match token.raw.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, token.raw),
    };
    let centimetres = decimal(magnitude, 2, true, "altitude")
        .map_err(|error| {
            let offset = error.char_offset + usize::from(below);
            token_error(&token, TextError::new(offset, error.message))
        })?
        .ok_or_else(|| not_a_number(&token, "altitude", true))?;
    let encoded = if below {
        if centimetres > ALTITUDE_BASE_CENTIMETRES {
            return Err(at_token(
                &token,
                format!(
                    "the altitude {} is too low: LOC reaches down to -100000.00 m",
                    token.raw
                ),
            ));
        }
        ALTITUDE_BASE_CENTIMETRES - centimetres
    } else {
        if centimetres > MAXIMUM_ALTITUDE_CENTIMETRES {
            return Err(at_token(
                &token,
                format!(
                    "the altitude {} is too high: LOC reaches up to 42849672.95 m",
                    token.raw
                ),
            ));
        }
        ALTITUDE_BASE_CENTIMETRES + centimetres
    };
    Ok(u32::try_from(encoded).unwrap_or(u32::MAX))
}

/// RFC 1876's size encoding: the first digit of the value in centimetres and the power of ten
/// that follows it, the rest dropped (Knot's and BIND's rounding, down).
fn digit_and_exponent(centimetres: u64) -> u8 {
    let mut digit = centimetres;
    let mut exponent = 0u8;
    while digit > 9 {
        digit /= 10;
        exponent += 1;
    }
    // The digit is at most 9 and the exponent at most 9, since the value is at most 9 * 10^9.
    (u8::try_from(digit).unwrap_or(9) << 4) | exponent
}

/// A whole number from 0 to `maximum`, `None` for anything else.
fn whole_number(token: &Token<'_>, maximum: u64) -> Option<u64> {
    crate::zone::text::parse_number(token.raw, maximum, "").ok()
}

/// A decimal number scaled to `fraction_digits` decimals (centimetres for metres, thousandths for
/// seconds), with an optional `m` when `metres`.
fn decimal_in_units(
    token: &Token<'_>,
    fraction_digits: u32,
    metres: bool,
    what: &str,
) -> Result<u64, ZoneError> {
    decimal(token.raw, fraction_digits, metres, what)
        .map_err(|error| token_error(token, error))?
        .ok_or_else(|| not_a_number(token, what, metres))
}

fn not_a_number(token: &Token<'_>, what: &str, metres: bool) -> ZoneError {
    let example = if metres {
        "like 10m or 0.5m"
    } else {
        "like 12.345"
    };
    at_token(
        token,
        format!(
            "the {what} must be a decimal number {example}, not \"{}\"",
            token.raw
        ),
    )
}

/// Reads `digits[.[digits]]` followed by `m` when `metres` allows it, as an integer scaled by
/// 10^`fraction_digits`. `Ok(None)` when the text is not such a number at all; an error for a
/// number with too many decimals or too large for 64 bits.
fn decimal(
    raw: &str,
    fraction_digits: u32,
    metres: bool,
    what: &str,
) -> Result<Option<u64>, TextError> {
    let number = match raw.strip_suffix('m') {
        Some(number) if metres => number,
        _ => raw,
    };
    let (whole, fraction) = match number.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (number, None),
    };
    // Knot wants a digit before the point (BIND would read ".5"); a sign is refused by Knot too.
    let is_digits = |text: &str| text.bytes().all(|byte| byte.is_ascii_digit());
    if whole.is_empty() || !is_digits(whole) || !fraction.is_none_or(is_digits) {
        return Ok(None);
    }
    let fraction = fraction.unwrap_or("");
    let fraction_length = u32::try_from(fraction.len()).unwrap_or(u32::MAX);
    if fraction_length > fraction_digits {
        let first_extra = whole.len() + 1 + usize::try_from(fraction_digits).unwrap_or(0);
        return Err(TextError::new(
            first_extra,
            format!("the {what} can have at most {fraction_digits} decimals"),
        ));
    }
    let too_large = || TextError::new(0, format!("the {what} {raw} is far too large"));
    let scale = 10u64.pow(fraction_digits);
    let whole_value: u64 = whole.parse().map_err(|_| too_large())?;
    let fraction_value: u64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().map_err(|_| too_large())?
    };
    let fraction_scaled = fraction_value * 10u64.pow(fraction_digits - fraction_length);
    whole_value
        .checked_mul(scale)
        .and_then(|value| value.checked_add(fraction_scaled))
        .map(Some)
        .ok_or_else(too_large)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_keep_their_first_digit_and_its_power_of_ten() {
        // RFC 1876 appendix A's defaults and examples: 1 m, 10000 m, 10 m, 0.10 m, 90000000 m.
        assert_eq!(digit_and_exponent(100), 0x12);
        assert_eq!(digit_and_exponent(1_000_000), 0x16);
        assert_eq!(digit_and_exponent(1_000), 0x13);
        assert_eq!(digit_and_exponent(10), 0x11);
        assert_eq!(digit_and_exponent(9_000_000_000), 0x99);
        assert_eq!(digit_and_exponent(0), 0x00);
        assert_eq!(digit_and_exponent(150), 0x12);
    }

    #[test]
    fn decimals_are_scaled_and_checked() {
        assert_eq!(decimal("12.748", 3, false, "s"), Ok(Some(12_748)));
        assert_eq!(decimal("35.9", 3, false, "s"), Ok(Some(35_900)));
        assert_eq!(decimal("5.", 2, true, "s"), Ok(Some(500)));
        assert_eq!(decimal("0.10m", 2, true, "s"), Ok(Some(10)));
        assert_eq!(decimal(".5", 3, false, "s"), Ok(None));
        assert_eq!(decimal("+5m", 2, true, "s"), Ok(None));
        assert_eq!(decimal("1m", 3, false, "s"), Ok(None));
        assert_eq!(
            decimal("0.001m", 2, true, "s").map_err(|error| error.char_offset),
            Err(4)
        );
        assert!(decimal("99999999999999999999", 2, true, "s").is_err());
    }
}
