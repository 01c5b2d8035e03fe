//! SVCB and HTTPS (RFC 9460): service bindings with their SvcParams (mandatory, alpn,
//! no-default-alpn, port, ipv4hint, ech, ipv6hint, dohpath (RFC 9461), ohttp (RFC 9540) and
//! unknown `keyNNNNN`).
//!
//! ```text
//! SvcPriority (2) | TargetName (uncompressed) | { SvcParamKey (2) | length (2) | value }*
//! ```
//!
//! Presentation follows dig 9.18, which names keys 0 to 6 and prints every other key as
//! `keyNNNNN="value"` (a bare `keyNNNNN` when the value is empty), in wire order.

use std::fmt::Write as _;

use super::address::{ipv4_from, ipv6_from};
use super::RdataReader;
use crate::dissect::model::{Field, Severity, Span};
use crate::dissect::text::{base64, ipv6_text, quoted_character_string};

/// dig's name for a SvcParamKey, or `None` for keys it prints as `keyNNNNN`.
fn dig_key_name(key: u16) -> Option<&'static str> {
    Some(match key {
        0 => "mandatory",
        1 => "alpn",
        2 => "no-default-alpn",
        3 => "port",
        4 => "ipv4hint",
        5 => "ech",
        6 => "ipv6hint",
        _ => return None,
    })
}

/// The registry name of a SvcParamKey (RFC 9460 §14.3.2 and later RFCs), for field labels.
fn registry_key_name(key: u16) -> &'static str {
    match key {
        0 => "mandatory",
        1 => "alpn",
        2 => "no-default-alpn",
        3 => "port",
        4 => "ipv4hint",
        5 => "ech",
        6 => "ipv6hint",
        7 => "dohpath",
        8 => "ohttp",
        9 => "tls-supported-groups",
        65535 => "invalid key",
        65280..=65534 => "private use",
        _ => "unassigned",
    }
}

pub(crate) fn dig_key_text(key: u16) -> String {
    match dig_key_name(key) {
        Some(name) => name.to_owned(),
        None => format!("key{key}"),
    }
}

/// SVCB and HTTPS: `priority target params...`.
pub(super) fn decode_svcb(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let priority = reader.u16_field("priority", "Priority", |value| {
        if value == 0 {
            "0 (AliasMode: the target is an alias for the whole service)".to_owned()
        } else {
            format!("{value} (ServiceMode; lower values are preferred)")
        }
    })?;
    let target = reader.name_field("target", "Target name")?;
    if let Some(pointer) = target.first_pointer {
        reader.report(
            pointer.offset,
            2,
            Severity::Error,
            "The SVCB/HTTPS target name uses a compression pointer; RFC 9460 §2.2 says it must \
             not be compressed."
                .to_owned(),
        );
    }
    let mut presentation = format!("{priority} {}", target.text);
    if priority == 0 && reader.remaining() > 0 {
        reader.report(
            reader.position(),
            reader.remaining(),
            Severity::Warning,
            "This AliasMode record (priority 0) carries SvcParams; RFC 9460 §2.4.2 says they \
             are to be ignored."
                .to_owned(),
        );
    }
    let mut previous_key: Option<u16> = None;
    let mut mandatory_keys: Vec<(u16, usize)> = Vec::new();
    let mut seen_keys: Vec<u16> = Vec::new();
    while reader.remaining() > 0 {
        let param_offset = reader.position();
        let (header, _) = reader.take(4, "SvcParam key and length")?;
        let key = u16::from_be_bytes([
            header.first().copied().unwrap_or(0),
            header.get(1).copied().unwrap_or(0),
        ]);
        let length = usize::from(u16::from_be_bytes([
            header.get(2).copied().unwrap_or(0),
            header.get(3).copied().unwrap_or(0),
        ]));
        if previous_key.is_some_and(|previous| key <= previous) {
            reader.report(
                param_offset,
                2,
                Severity::Error,
                format!(
                    "SvcParam key {key} follows key {}; RFC 9460 §2.2 requires keys in strictly \
                     increasing order.",
                    previous_key.unwrap_or(0)
                ),
            );
        }
        previous_key = Some(key);
        seen_keys.push(key);
        let (value, value_span) = reader.take(length, "SvcParam value")?;
        let mut children = Vec::new();
        child(reader, &mut children, |reader| {
            Field::leaf(
                reader.key("param.key"),
                "Key",
                format!("{key} ({})", registry_key_name(key)),
                Span::new(param_offset, 2),
            )
        });
        child(reader, &mut children, |reader| {
            Field::leaf(
                reader.key("param.length"),
                "Length",
                length.to_string(),
                Span::new(param_offset + 2, 2),
            )
        });
        let value_text = describe_value(
            reader,
            key,
            value,
            value_span,
            &mut children,
            &mut mandatory_keys,
        );
        presentation.push(' ');
        presentation.push_str(&dig_key_text(key));
        if !value.is_empty() {
            presentation.push('=');
            presentation.push_str(&value_text);
        }
        reader.push_field_with(|reader| {
            let summary = if value.is_empty() {
                dig_key_text(key)
            } else {
                format!("{}={value_text}", dig_key_text(key))
            };
            Field::leaf(
                reader.key("param"),
                format!("SvcParam {}", registry_key_name(key)),
                summary,
                Span::new(param_offset, 4 + length),
            )
            .with_children(children)
        });
    }
    for (mandatory_key, offset) in mandatory_keys {
        if !seen_keys.contains(&mandatory_key) {
            reader.report(
                offset,
                2,
                Severity::Error,
                format!(
                    "The mandatory list names key {mandatory_key} ({}), but the record has no such \
                     SvcParam (RFC 9460 §8).",
                    registry_key_name(mandatory_key)
                ),
            );
        }
    }
    Some(presentation)
}

/// Decodes one SvcParam value into child fields and returns dig's text for it.
fn describe_value(
    reader: &mut RdataReader<'_, '_>,
    key: u16,
    value: &[u8],
    value_span: Span,
    children: &mut Vec<Field>,
    mandatory_keys: &mut Vec<(u16, usize)>,
) -> String {
    let offset = value_span.offset;
    let report_length = |reader: &mut RdataReader<'_, '_>, rule: &str| {
        reader.report(
            offset,
            value.len(),
            Severity::Error,
            format!(
                "The {} SvcParam value is {} bytes long; {rule}.",
                registry_key_name(key),
                value.len()
            ),
        );
    };
    match key {
        0 => {
            if value.is_empty() || !value.len().is_multiple_of(2) {
                report_length(reader, "it must be a non-empty list of 2-byte keys");
            }
            let mut names = Vec::new();
            for (index, pair) in value.chunks_exact(2).enumerate() {
                let listed = u16::from_be_bytes([pair[0], pair[1]]);
                if listed == 0 {
                    reader.report(
                        offset + index * 2,
                        2,
                        Severity::Error,
                        "The mandatory list names the mandatory key itself, which RFC 9460 §8 \
                         forbids."
                            .to_owned(),
                    );
                }
                mandatory_keys.push((listed, offset + index * 2));
                child(reader, children, |reader| {
                    Field::leaf(
                        reader.key("param.mandatory"),
                        "Mandatory key",
                        format!("{listed} ({})", registry_key_name(listed)),
                        Span::new(offset + index * 2, 2),
                    )
                });
                names.push(dig_key_text(listed));
            }
            names.join(",")
        }
        1 => {
            if value.is_empty() {
                report_length(reader, "it must hold at least one protocol identifier");
            }
            let mut text = String::from("\"");
            let mut position = 0;
            let mut first = true;
            while position < value.len() {
                let id_length = usize::from(value[position]);
                let id_start = position + 1;
                let id_end = (id_start + id_length).min(value.len());
                if id_length == 0 || id_start + id_length > value.len() {
                    reader.report(
                        offset + position,
                        value.len() - position,
                        Severity::Error,
                        "An alpn protocol identifier is empty or runs past the end of the \
                         SvcParam value."
                            .to_owned(),
                    );
                }
                let id = value.get(id_start..id_end).unwrap_or_default();
                if !first {
                    text.push(',');
                }
                first = false;
                push_alpn_id(&mut text, id);
                child(reader, children, |reader| {
                    Field::leaf(
                        reader.key("param.alpn"),
                        "Protocol identifier",
                        String::from_utf8_lossy(id).into_owned(),
                        Span::new(offset + position, id_end - position),
                    )
                });
                position = id_end.max(id_start);
            }
            text.push('"');
            text
        }
        2 => {
            if !value.is_empty() {
                report_length(reader, "no-default-alpn takes no value");
            }
            quoted_character_string(value)
        }
        3 => {
            if value.len() != 2 {
                report_length(reader, "a port is 2 bytes");
                return quoted_character_string(value);
            }
            let port = u16::from_be_bytes([value[0], value[1]]);
            child(reader, children, |reader| {
                Field::leaf(
                    reader.key("param.port"),
                    "Port",
                    port.to_string(),
                    value_span,
                )
            });
            port.to_string()
        }
        4 => {
            if value.is_empty() || !value.len().is_multiple_of(4) {
                report_length(
                    reader,
                    "it must be a non-empty list of 4-byte IPv4 addresses",
                );
                return quoted_character_string(value);
            }
            address_hints(
                reader,
                children,
                value,
                offset,
                ("param.ipv4hint", "IPv4 address hint", 4),
                |chunk| ipv4_from(chunk).to_string(),
            )
        }
        5 => {
            child(reader, children, |reader| {
                Field::leaf(
                    reader.key("param.ech"),
                    "ECHConfigList",
                    format!("{} bytes", value.len()),
                    value_span,
                )
            });
            base64(value)
        }
        6 => {
            if value.is_empty() || !value.len().is_multiple_of(16) {
                report_length(
                    reader,
                    "it must be a non-empty list of 16-byte IPv6 addresses",
                );
                return quoted_character_string(value);
            }
            address_hints(
                reader,
                children,
                value,
                offset,
                ("param.ipv6hint", "IPv6 address hint", 16),
                |chunk| ipv6_text(&ipv6_from(chunk)),
            )
        }
        7 => {
            let template = String::from_utf8_lossy(value).into_owned();
            child(reader, children, |reader| {
                Field::leaf(
                    reader.key("param.dohpath"),
                    "DoH URI template",
                    template,
                    value_span,
                )
            });
            quoted_character_string(value)
        }
        8 => {
            if !value.is_empty() {
                report_length(reader, "ohttp takes no value (RFC 9540 §4)");
            }
            quoted_character_string(value)
        }
        _ => {
            if !value.is_empty() {
                let mut hex = String::with_capacity(value.len() * 2);
                for byte in value {
                    let _ = write!(hex, "{byte:02x}");
                }
                child(reader, children, |reader| {
                    Field::leaf(reader.key("param.value"), "Value", hex, value_span)
                });
            }
            quoted_character_string(value)
        }
    }
}

/// An ipv4hint or ipv6hint value (already checked to be a whole number of addresses): a child
/// per address, and the addresses joined with commas as dig prints them. The triple is the
/// children's key, their label and the address width in bytes.
fn address_hints(
    reader: &RdataReader<'_, '_>,
    children: &mut Vec<Field>,
    value: &[u8],
    offset: usize,
    (key, label, width): (&str, &str, usize),
    address_text: impl Fn(&[u8]) -> String,
) -> String {
    let mut texts = Vec::new();
    for (index, chunk) in value.chunks_exact(width).enumerate() {
        let address = address_text(chunk);
        child(reader, children, |reader| {
            Field::leaf(
                reader.key(key),
                label,
                address.clone(),
                Span::new(offset + index * width, width),
            )
        });
        texts.push(address);
    }
    texts.join(",")
}

/// Adds a child field, made only when the field tree is being built.
fn child(
    reader: &RdataReader<'_, '_>,
    children: &mut Vec<Field>,
    make: impl FnOnce(&RdataReader<'_, '_>) -> Field,
) {
    if reader.building_tree() {
        children.push(make(reader));
    }
}

/// One ALPN id as BIND's `commatxt_totext` writes it inside the quoted list: commas and
/// backslashes doubly escaped (`\\,`, `\\\\`), quotes escaped, spaces and non-printables as
/// `\DDD`.
pub(crate) fn push_alpn_id(output: &mut String, id: &[u8]) {
    for &byte in id {
        match byte {
            b',' => output.push_str("\\\\,"),
            b'\\' => output.push_str("\\\\\\\\"),
            b'"' => output.push_str("\\\""),
            0x21..=0x7e => output.push(char::from(byte)),
            _ => {
                let _ = write!(output, "\\{byte:03}");
            }
        }
    }
}
