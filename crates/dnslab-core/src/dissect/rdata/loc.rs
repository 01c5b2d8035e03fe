//! LOC (RFC 1876 §2): where on Earth the owner is, and how big and how precisely known.
//!
//! ```text
//! VERSION (1) | SIZE (1) | HORIZ PRE (1) | VERT PRE (1) | LATITUDE (4) | LONGITUDE (4) | ALTITUDE (4)
//! ```
//!
//! Sizes and precisions are a digit pair, mantissa and power of ten, in centimetres; latitude
//! and longitude are thousandths of an arc second offset by 2^31 (the equator, the prime
//! meridian); altitude is centimetres above a base 100 000 m below the WGS 84 spheroid.
//! Presentation follows BIND's `totext_loc`, which dig 9.18 uses.

use super::RdataReader;
use crate::dissect::model::Severity;

/// The version this layout is; BIND prints any other version the RFC 3597 way.
const VERSION_0: u8 = 0;
/// 2^31: latitude and longitude zero (the equator, the prime meridian).
const EQUATOR: u32 = 1 << 31;
/// Thousandths of an arc second in one degree.
const MILLISECONDS_PER_DEGREE: u32 = 3_600_000;
/// The altitude 0 m, in centimetres above the base.
const ALTITUDE_BASE: u32 = 10_000_000;

/// LOC: `d m s.sss N|S d m s.sss E|W altitude size horizontal vertical`.
pub(super) fn decode_loc(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let version_offset = reader.position();
    let version = reader.u8_field("version", "Version", |value| {
        if value == VERSION_0 {
            "0".to_owned()
        } else {
            format!("{value} (unknown; RFC 1876 defines version 0 only)")
        }
    })?;
    if version != VERSION_0 {
        // RFC 1876 §2: the other fields depend on the version; BIND keeps such data as it is
        // and prints it the RFC 3597 way, and so does dnslab.
        let length = reader.remaining();
        reader.rest_field("data", "Data of an unknown version", |bytes| {
            crate::dissect::text::upper_hex(bytes)
        });
        reader.report(
            version_offset,
            1 + length,
            Severity::Warning,
            format!(
                "This LOC record has version {version}; RFC 1876 defines only version 0, so \
                 the rest of its data cannot be read and is shown in hex."
            ),
        );
        reader.fail();
        return None;
    }
    let size = precision_field(reader, "size", "Size (diameter)")?;
    let horizontal = precision_field(reader, "horizontal_precision", "Horizontal precision")?;
    let vertical = precision_field(reader, "vertical_precision", "Vertical precision")?;
    let latitude_offset = reader.position();
    let latitude = reader.u32_field("latitude", "Latitude", |value| {
        angle_field_text(value, 90, ('N', 'S'))
    })?;
    let longitude_offset = reader.position();
    let longitude = reader.u32_field("longitude", "Longitude", |value| {
        angle_field_text(value, 180, ('E', 'W'))
    })?;
    let altitude = reader.u32_field("altitude", "Altitude", |value| {
        format!(
            "{} ({value} cm above the base 100 000 m below the WGS 84 spheroid)",
            altitude_text(value)
        )
    })?;
    let mut valid = true;
    for (value, offset, limit, what) in [
        (latitude, latitude_offset, 90, "latitude"),
        (longitude, longitude_offset, 180, "longitude"),
    ] {
        if EQUATOR.abs_diff(value) > limit * MILLISECONDS_PER_DEGREE {
            reader.report(
                offset,
                4,
                Severity::Error,
                format!(
                    "The LOC {what} is beyond {limit} degrees (RFC 1876 §2), so it names no \
                     place; dig rejects the record."
                ),
            );
            valid = false;
        }
    }
    let (size, horizontal, vertical) = match (size, horizontal, vertical) {
        (Some(size), Some(horizontal), Some(vertical)) if valid => (size, horizontal, vertical),
        _ => {
            reader.fail();
            return None;
        }
    };
    Some(format!(
        "{} {} {} {size} {horizontal} {vertical}",
        angle_text(latitude, ('N', 'S')),
        angle_text(longitude, ('E', 'W')),
        altitude_text(altitude),
    ))
}

/// Reads a size or precision byte; `Some(text)` when it is a valid digit pair, `None` (with a
/// diagnostic) when it is not. The outer `None` is a read past the end.
fn precision_field(
    reader: &mut RdataReader<'_, '_>,
    field: &str,
    label: &str,
) -> Option<Option<String>> {
    let offset = reader.position();
    let value = reader.u8_field(field, label, |value| match precision_text(value) {
        Some(text) => format!(
            "{text} (0x{value:02x}: {} × 10^{} cm)",
            value >> 4,
            value & 0x0f
        ),
        None => format!("0x{value:02x} (not a valid mantissa and exponent)"),
    })?;
    let text = precision_text(value);
    if text.is_none() {
        reader.report(
            offset,
            1,
            Severity::Error,
            format!(
                "The LOC {} byte is 0x{value:02x}; each of its two hexadecimal digits must be \
                 0 to 9 and the first one not 0 (RFC 1876 §2), so it is no size.",
                label.to_ascii_lowercase()
            ),
        );
    }
    Some(text)
}

/// A size or precision byte in metres as BIND writes it: `1m`, `10000m`, `0.10m`; `None` for
/// bytes RFC 1876 does not allow (a digit above 9, or a zero mantissa with a power other than
/// 0; BIND accepts the byte 0 as 0 cm).
fn precision_text(value: u8) -> Option<String> {
    let mantissa = u64::from(value >> 4);
    let exponent = u32::from(value & 0x0f);
    if mantissa > 9 || exponent > 9 || (mantissa == 0 && value != 0) {
        return None;
    }
    let centimetres = mantissa * 10u64.pow(exponent);
    Some(if exponent >= 2 {
        format!("{}m", centimetres / 100)
    } else {
        format!("0.{centimetres:02}m")
    })
}

/// `51 30 12.748 N`: degrees, minutes, seconds with thousandths, hemisphere.
fn angle_text(value: u32, hemispheres: (char, char)) -> String {
    let (positive, magnitude) = if value >= EQUATOR {
        (true, value - EQUATOR)
    } else {
        (false, EQUATOR - value)
    };
    let thousandths = magnitude % 1000;
    let seconds = magnitude / 1000 % 60;
    let minutes = magnitude / 60_000 % 60;
    let degrees = magnitude / MILLISECONDS_PER_DEGREE;
    let hemisphere = if positive {
        hemispheres.0
    } else {
        hemispheres.1
    };
    format!("{degrees} {minutes} {seconds}.{thousandths:03} {hemisphere}")
}

/// The angle's text for its field, with the raw number; out-of-range values say so.
fn angle_field_text(value: u32, limit: u32, hemispheres: (char, char)) -> String {
    if EQUATOR.abs_diff(value) > limit * MILLISECONDS_PER_DEGREE {
        format!("{value} (beyond {limit} degrees)")
    } else {
        format!("{} ({value})", angle_text(value, hemispheres))
    }
}

/// `-100000.00m`, `0.00m`, `58.00m`: metres from the spheroid with centimetres.
fn altitude_text(value: u32) -> String {
    let (sign, centimetres) = if value < ALTITUDE_BASE {
        ("-", ALTITUDE_BASE - value)
    } else {
        ("", value - ALTITUDE_BASE)
    };
    format!("{sign}{}.{:02}m", centimetres / 100, centimetres % 100)
}
