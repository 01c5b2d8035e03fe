//! The EDNS(0) OPT pseudo-record (RFC 6891): how its CLASS and TTL are reused for the UDP
//! payload size, extended RCODE, version and flags, and every option in its RDATA (NSID,
//! COOKIE, CLIENT-SUBNET, PADDING, EDE, TCP keepalive, EXPIRE, CHAIN, KEY-TAG, unknown as hex).
//!
//! ```text
//! TTL:   +0 (MSB)                            +1 (LSB)
//!     +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
//!  0: |         EXTENDED-RCODE        |            VERSION            |
//!     +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
//!  2: | DO|                           Z                               |
//!     +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
//! RDATA: { OPTION-CODE (2) | OPTION-LENGTH (2) | OPTION-DATA }*
//! ```

use std::fmt::Write as _;

use super::mnemonic::{
    dig_extended_error_name, edns_option_mnemonic, edns_option_registry_name, extended_error_name,
};
use super::model::{Diagnostic, EdnsOptionView, Field, Severity, Span};
use super::name::{name_field, read_name, NameScratch};
use super::rdata::address::{ipv4_from, ipv6_from};
use super::text::{
    base64, ipv6_text, lower_hex, push_decimal, push_split_into_chunks, spaced_lower_hex,
};

/// The fields the OPT record's TTL is split into: one node with a child per part.
pub(crate) fn ttl_field(ttl: u32, span: Span) -> Field {
    let extended_rcode = (ttl >> 24) as u8;
    let version = (ttl >> 16) as u8;
    let dnssec_ok = ttl & 0x8000 != 0;
    let z = (ttl & 0x7fff) as u16;
    let children = vec![
        Field::bits(
            "edns.extended_rcode",
            "Extended RCODE (upper 8 bits)",
            format!(
                "{extended_rcode} (combined with the header's 4 RCODE bits into a 12-bit response code)"
            ),
            span,
            0xff00_0000,
        ),
        Field::bits(
            "edns.version",
            "EDNS version",
            format!(
                "{version}{}",
                if version == 0 {
                    " (EDNS(0), the only version defined)"
                } else {
                    " (only version 0 is defined; a server answers BADVERS)"
                }
            ),
            span,
            0x00ff_0000,
        ),
        Field::bits(
            "edns.do",
            "DNSSEC OK (DO)",
            if dnssec_ok {
                "1 (the sender wants DNSSEC records: RRSIG, NSEC, DNSKEY, …)".to_owned()
            } else {
                "0 (the sender does not ask for DNSSEC records)".to_owned()
            },
            span,
            0x0000_8000,
        ),
        Field::bits(
            "edns.z",
            "Reserved flags (Z)",
            if z == 0 {
                "0 (reserved, zero as required)".to_owned()
            } else {
                format!("0x{z:04x} (reserved bits set; they must be zero)")
            },
            span,
            0x0000_7fff,
        ),
    ];
    Field::leaf(
        "edns.ttl",
        "EDNS flags (TTL field)",
        format!("0x{ttl:08x}"),
        span,
    )
    .with_children(children)
}

/// The OPT RDATA as BIND prints an OPT record in a section (dig does so when it is not in the
/// additional section): `code length base64` per option, e.g. `3 4 a25vdA== 12 0`; empty for
/// no options. RFC 3597 form when an option runs past the end.
pub(crate) fn opt_record_presentation(rdata: &[u8]) -> String {
    // Room for the base64 (four characters per three bytes) with its spaces and the numbers.
    let mut output = String::with_capacity(rdata.len() * 2 + 16);
    let mut position = 0;
    while position < rdata.len() {
        let Some(header) = rdata.get(position..position + 4) else {
            return super::rdata::generic_presentation(rdata);
        };
        let code = u16::from_be_bytes([header[0], header[1]]);
        let length = u16::from_be_bytes([header[2], header[3]]);
        let Some(data) = rdata.get(position + 4..position + 4 + usize::from(length)) else {
            return super::rdata::generic_presentation(rdata);
        };
        if !output.is_empty() {
            output.push(' ');
        }
        push_decimal(&mut output, u32::from(code));
        output.push(' ');
        push_decimal(&mut output, u32::from(length));
        if !data.is_empty() {
            output.push(' ');
            push_split_into_chunks(
                &mut output,
                &base64(data),
                super::rdata::thumbprints::DIG_CHUNK_WIDTH,
            );
        }
        position += 4 + usize::from(length);
    }
    output
}

/// The options of one OPT RDATA.
#[derive(Debug, Default)]
pub(crate) struct OptionsRead {
    /// Each option's view.
    pub options: Vec<EdnsOptionView>,
    /// One field per option.
    pub fields: Vec<Field>,
}

/// Reads the options of an OPT RDATA spanning `start..start + declared_length` (bounded by
/// the message).
pub(crate) fn read_options(
    message: &[u8],
    start: usize,
    declared_length: usize,
    diagnostics: &mut Vec<Diagnostic>,
    build_tree: bool,
) -> OptionsRead {
    let declared_end = start + declared_length;
    let end = declared_end.min(message.len());
    let mut read = OptionsRead::default();
    let mut position = start;
    while position < end {
        if position + 4 > end {
            let message_text = format!(
                "The OPT record's RDATA ends {} byte{} into an option header: each option starts \
                 with a 2-byte code and a 2-byte length.",
                end - position,
                if end - position == 1 { "" } else { "s" }
            );
            if end == declared_end {
                diagnostics.push(error(position, end - position, message_text));
            }
            break;
        }
        let code = read_u16(message, position);
        let length = read_u16(message, position + 2);
        let data_start = position + 4;
        let data_end = data_start + usize::from(length);
        if data_end > end {
            diagnostics.push(error(
                position + 2,
                2,
                format!(
                    "The {} option's length says {length} bytes, but only {} {} left in the OPT \
                     record's RDATA{}.",
                    edns_option_mnemonic(code),
                    end - data_start,
                    if end - data_start == 1 { "is" } else { "are" },
                    if end < declared_end {
                        " before the message ends"
                    } else {
                        ""
                    }
                ),
            ));
        }
        let data_end = data_end.min(end);
        let data = message.get(data_start..data_end).unwrap_or_default();
        let option_span = Span::new(position, data_end - position);
        let data_span = Span::new(data_start, data.len());
        let complete = data.len() == usize::from(length);
        let mut children = Children {
            build: build_tree,
            fields: Vec::new(),
        };
        children.push(|| {
            Field::leaf(
                "edns.option.code",
                "Option code",
                format!("{code} ({})", option_name(code)),
                Span::new(position, 2),
            )
        });
        children.push(|| {
            Field::leaf(
                "edns.option.length",
                "Option length",
                length.to_string(),
                Span::new(position + 2, 2),
            )
        });
        let presentation = if complete {
            decode_option(message, code, data, data_span, &mut children, diagnostics)
        } else {
            spaced_lower_hex(data)
        };
        let mnemonic = edns_option_mnemonic(code).into_owned();
        if build_tree {
            read.fields.push(
                Field::leaf(
                    "edns.option",
                    option_name(code),
                    pseudosection_line(&mnemonic, &presentation),
                    option_span,
                )
                .with_children(children.fields),
            );
        }
        read.options.push(EdnsOptionView {
            code,
            length,
            data_span,
            presentation,
            mnemonic,
            span: option_span,
        });
        position = data_end;
    }
    read
}

/// An option's child fields, made only when the field tree is being built.
struct Children {
    build: bool,
    fields: Vec<Field>,
}

impl Children {
    fn push(&mut self, make: impl FnOnce() -> Field) {
        if self.build {
            self.fields.push(make());
        }
    }
}

/// A human name for an option code.
fn option_name(code: u16) -> &'static str {
    edns_option_registry_name(code).unwrap_or("Unknown option")
}

/// Decodes one complete option's data into child fields and returns dig's text for it.
fn decode_option(
    message: &[u8],
    code: u16,
    data: &[u8],
    data_span: Span,
    children: &mut Children,
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    let offset = data_span.offset;
    match code {
        3 => {
            // An empty NSID is a request for the server's identifier; dig prints nothing after
            // the colon.
            let text = if data.is_empty() {
                String::new()
            } else {
                nsid_text(data)
            };
            children.push(|| {
                Field::leaf(
                    "edns.option.nsid",
                    "Server identifier",
                    if data.is_empty() {
                        "asked for (empty in a query)".to_owned()
                    } else {
                        text.clone()
                    },
                    data_span,
                )
            });
            text
        }
        10 => decode_cookie(data, offset, children, diagnostics),
        8 => decode_client_subnet(data, offset, children, diagnostics),
        9 if data.len() == 4 => {
            let seconds = read_u32(data, 0);
            let text = format!("{seconds} ({})", super::duration_words(seconds));
            children.push(|| {
                Field::leaf(
                    "edns.option.expire",
                    "Zone expire timer",
                    text.clone(),
                    data_span,
                )
            });
            text
        }
        9 if data.is_empty() => {
            children.push(|| {
                Field::leaf(
                    "edns.option.expire",
                    "Zone expire timer",
                    "asked for (empty in a query)",
                    data_span,
                )
            });
            String::new()
        }
        11 if data.len() == 2 => {
            let tenths = read_u16(data, 0);
            let text = format!("{}.{} secs", tenths / 10, tenths % 10);
            children.push(|| {
                Field::leaf(
                    "edns.option.keepalive.timeout",
                    "Idle timeout (units of 100 ms)",
                    format!("{tenths} ({text})"),
                    data_span,
                )
            });
            text
        }
        11 if data.is_empty() => {
            children.push(|| {
                Field::leaf(
                    "edns.option.keepalive.timeout",
                    "Idle timeout",
                    "asked for (empty in a query)",
                    data_span,
                )
            });
            String::new()
        }
        12 => {
            let nonzero = data.iter().any(|byte| *byte != 0);
            children.push(|| {
                Field::leaf(
                    "edns.option.padding",
                    "Padding",
                    format!(
                        "{} byte{}{}",
                        data.len(),
                        if data.len() == 1 { "" } else { "s" },
                        if nonzero { ", not all zero" } else { "" }
                    ),
                    data_span,
                )
            });
            if nonzero {
                diagnostics.push(Diagnostic {
                    offset,
                    length: data.len(),
                    severity: Severity::Warning,
                    message: "The PADDING option contains non-zero bytes; RFC 7830 §4 says \
                              padding should be zero octets."
                        .to_owned(),
                });
            }
            if data.is_empty() {
                String::new()
            } else {
                format!("({} bytes)", data.len())
            }
        }
        1 if data.len() == 18 => {
            let version = read_u16(data, 0);
            let opcode = read_u16(data, 2);
            let error_code = read_u16(data, 4);
            let identifier = u64::from(read_u32(data, 6)) << 32 | u64::from(read_u32(data, 10));
            let lifetime = read_u32(data, 14);
            for (key, label, start, length, value) in [
                (
                    "edns.option.llq.version",
                    "Version",
                    0,
                    2,
                    version.to_string(),
                ),
                (
                    "edns.option.llq.opcode",
                    "LLQ opcode",
                    2,
                    2,
                    opcode.to_string(),
                ),
                (
                    "edns.option.llq.error",
                    "Error code",
                    4,
                    2,
                    error_code.to_string(),
                ),
                (
                    "edns.option.llq.id",
                    "LLQ identifier",
                    6,
                    8,
                    identifier.to_string(),
                ),
                (
                    "edns.option.llq.lease",
                    "Lease life",
                    14,
                    4,
                    super::duration_text(lifetime),
                ),
            ] {
                children.push(|| Field::leaf(key, label, value, Span::new(offset + start, length)));
            }
            format!(
                "Version: {version}, Opcode: {opcode}, Error: {error_code}, Identifier: \
                 {identifier}, Lifetime: {lifetime}"
            )
        }
        16 | 17 if data.len() == 2 => {
            let tag = read_u16(data, 0);
            children.push(|| {
                Field::leaf(
                    if code == 16 {
                        "edns.option.client_tag"
                    } else {
                        "edns.option.server_tag"
                    },
                    if code == 16 {
                        "Client tag"
                    } else {
                        "Server tag"
                    },
                    tag.to_string(),
                    data_span,
                )
            });
            tag.to_string()
        }
        13 => {
            let what = || "The CHAIN option's closest trust point".to_owned();
            let name = read_name(
                message,
                offset,
                offset + data.len(),
                &what,
                diagnostics,
                children.build,
                &mut NameScratch::new(),
            );
            children.push(|| {
                name_field(
                    "edns.option.chain.closest_trust_point",
                    "Closest trust point",
                    &name.view,
                )
            });
            // dig 9.18 does not decode CHAIN: it prints the bytes.
            unknown_option_text(data)
        }
        14 if !data.is_empty() && data.len().is_multiple_of(2) => {
            let mut tags = Vec::with_capacity(data.len() / 2);
            for (index, pair) in data.chunks(2).enumerate() {
                let tag = read_u16(pair, 0);
                children.push(|| {
                    Field::leaf(
                        "edns.option.key_tag",
                        "Key tag",
                        tag.to_string(),
                        Span::new(offset + index * 2, 2),
                    )
                });
                tags.push(tag.to_string());
            }
            tags.join(", ")
        }
        15 if data.len() >= 2 => {
            let info_code = read_u16(data, 0);
            let name = extended_error_name(info_code);
            children.push(|| {
                Field::leaf(
                    "edns.option.ede.info_code",
                    "INFO-CODE",
                    match name {
                        Some(name) => format!("{info_code} ({name})"),
                        None => format!("{info_code} (unassigned)"),
                    },
                    Span::new(offset, 2),
                )
            });
            let mut text = info_code.to_string();
            if let Some(name) = dig_extended_error_name(info_code) {
                let _ = write!(text, " ({name})");
            }
            let extra = data.get(2..).unwrap_or_default();
            if !extra.is_empty() {
                // dig shows control characters as dots and passes other bytes through.
                let shown: Vec<u8> = extra
                    .iter()
                    .map(|byte| {
                        if *byte < 0x20 || *byte == 0x7f {
                            b'.'
                        } else {
                            *byte
                        }
                    })
                    .collect();
                let extra_text = String::from_utf8_lossy(&shown).into_owned();
                children.push(|| {
                    Field::leaf(
                        "edns.option.ede.extra_text",
                        "EXTRA-TEXT",
                        extra_text.clone(),
                        Span::new(offset + 2, extra.len()),
                    )
                });
                let _ = write!(text, ": ({extra_text})");
            }
            text
        }
        _ => {
            if !data.is_empty() {
                children.push(|| {
                    Field::leaf(
                        "edns.option.data",
                        "Option data",
                        spaced_lower_hex(data),
                        data_span,
                    )
                });
            }
            if code == 9 || code == 11 || code == 14 || code == 15 {
                diagnostics.push(Diagnostic {
                    offset,
                    length: data.len(),
                    severity: Severity::Error,
                    message: format!(
                        "The {} option has {} data bytes, a length its definition does not allow.",
                        edns_option_mnemonic(code),
                        data.len()
                    ),
                });
            }
            unknown_option_text(data)
        }
    }
}

/// The option as dig prints it in the OPT PSEUDOSECTION, without the leading `; `.
pub(crate) fn pseudosection_line(mnemonic: &str, presentation: &str) -> String {
    if presentation.is_empty() {
        format!("{mnemonic}:")
    } else {
        format!("{mnemonic}: {presentation}")
    }
}

/// NSID as dig prints it: the bytes in hex, then the printable text in quotes.
fn nsid_text(data: &[u8]) -> String {
    let mut text = spaced_lower_hex(data);
    text.push_str(" (\"");
    for &byte in data {
        text.push(if (0x20..0x7f).contains(&byte) {
            char::from(byte)
        } else {
            '.'
        });
    }
    text.push_str("\")");
    text
}

/// An option dig does not decode: hex bytes, then the printable text in quotes.
fn unknown_option_text(data: &[u8]) -> String {
    if data.is_empty() {
        return String::new();
    }
    nsid_text(data)
}

fn decode_cookie(
    data: &[u8],
    offset: usize,
    children: &mut Children,
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    let client = data.get(..8.min(data.len())).unwrap_or_default();
    children.push(|| {
        Field::leaf(
            "edns.option.cookie.client",
            "Client cookie",
            lower_hex(client),
            Span::new(offset, client.len()),
        )
    });
    let server = data.get(8..).unwrap_or_default();
    if !server.is_empty() {
        children.push(|| {
            Field::leaf(
                "edns.option.cookie.server",
                "Server cookie",
                lower_hex(server),
                Span::new(offset + 8, server.len()),
            )
        });
    }
    let valid = data.len() == 8 || (16..=40).contains(&data.len());
    if !valid {
        diagnostics.push(Diagnostic {
            offset,
            length: data.len(),
            severity: Severity::Error,
            message: format!(
                "The COOKIE option is {} bytes long; RFC 7873 §4 allows 8 (client cookie only) \
                 or 16 to 40 (client cookie plus an 8 to 32-byte server cookie).",
                data.len()
            ),
        });
    }
    lower_hex(data)
}

fn decode_client_subnet(
    data: &[u8],
    offset: usize,
    children: &mut Children,
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    if data.len() < 4 {
        diagnostics.push(error(
            offset,
            data.len(),
            format!(
                "The CLIENT-SUBNET option is {} bytes long; it needs at least 4 (family, source \
                 and scope prefix lengths).",
                data.len()
            ),
        ));
        return unknown_option_text(data);
    }
    let family = read_u16(data, 0);
    let source_prefix = data.get(2).copied().unwrap_or(0);
    let scope_prefix = data.get(3).copied().unwrap_or(0);
    let address = data.get(4..).unwrap_or_default();
    children.push(|| {
        Field::leaf(
            "edns.option.ecs.family",
            "Address family",
            match family {
                1 => "1 (IPv4)".to_owned(),
                2 => "2 (IPv6)".to_owned(),
                other => format!("{other} (unknown)"),
            },
            Span::new(offset, 2),
        )
    });
    children.push(|| {
        Field::leaf(
            "edns.option.ecs.source_prefix",
            "Source prefix length",
            format!("{source_prefix} (bits of the client's address sent)"),
            Span::new(offset + 2, 1),
        )
    });
    children.push(|| {
        Field::leaf(
            "edns.option.ecs.scope_prefix",
            "Scope prefix length",
            format!("{scope_prefix} (bits the answer is valid for; 0 in queries)"),
            Span::new(offset + 3, 1),
        )
    });
    let maximum_bytes = match family {
        1 => 4,
        2 => 16,
        _ => usize::MAX,
    };
    let expected_bytes = usize::from(source_prefix).div_ceil(8);
    let address_text = match family {
        1 if address.len() <= 4 => ipv4_from(address).to_string(),
        2 if address.len() <= 16 => ipv6_text(&ipv6_from(address)),
        _ => spaced_lower_hex(address),
    };
    children.push(|| {
        Field::leaf(
            "edns.option.ecs.address",
            "Address (prefix)",
            address_text.clone(),
            Span::new(offset + 4, address.len()),
        )
    });
    if address.len() != expected_bytes || address.len() > maximum_bytes {
        diagnostics.push(error(
            offset + 4,
            address.len(),
            format!(
                "The CLIENT-SUBNET address has {} bytes, but a source prefix of {source_prefix} \
                 bits needs exactly {expected_bytes} (RFC 7871 §6).",
                address.len()
            ),
        ));
    }
    if family != 1 && family != 2 {
        return unknown_option_text(data);
    }
    format!("{address_text}/{source_prefix}/{scope_prefix}")
}

fn read_u16(bytes: &[u8], offset: usize) -> u16 {
    u16::from_be_bytes([
        bytes.get(offset).copied().unwrap_or(0),
        bytes.get(offset + 1).copied().unwrap_or(0),
    ])
}

fn read_u32(bytes: &[u8], offset: usize) -> u32 {
    u32::from(read_u16(bytes, offset)) << 16 | u32::from(read_u16(bytes, offset + 2))
}

fn error(offset: usize, length: usize, message: String) -> Diagnostic {
    Diagnostic {
        offset,
        length,
        severity: Severity::Error,
        message,
    }
}
