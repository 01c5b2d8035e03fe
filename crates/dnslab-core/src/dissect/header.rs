//! The 12-byte header (RFC 1035 §4.1.1): ID, every flag bit with its meaning, opcode, rcode and
//! the four section counts, each as its own field with a span.
//!
//! ```text
//!                                 1  1  1  1  1  1
//!   0  1  2  3  4  5  6  7  8  9  0  1  2  3  4  5
//! +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//! |                      ID                       |
//! +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//! |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
//! +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//! |                    QDCOUNT                    |
//! |                    ANCOUNT                    |
//! |                    NSCOUNT                    |
//! |                    ARCOUNT                    |
//! +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//! ```

use super::model::{Diagnostic, Field, HeaderView, Severity, Span};
use super::HEADER_LENGTH;
use crate::iana::{opcode_mnemonic, rcode_mnemonic};

/// Span of the 16 flag bits (QR through RCODE).
const FLAGS_SPAN: Span = Span::new(2, 2);

/// Reads the header. Returns the typed view when all 12 bytes are present, and, when
/// `build_tree` is set, the field tree node (with whichever fields the bytes present allow).
pub(crate) fn read_header(
    message: &[u8],
    diagnostics: &mut Vec<Diagnostic>,
    build_tree: bool,
) -> (Option<HeaderView>, Option<Field>) {
    let read_u16 = |offset: usize| -> Option<u16> {
        let bytes = message.get(offset..offset + 2)?;
        Some(u16::from_be_bytes([bytes[0], bytes[1]]))
    };
    let mut children = Vec::new();
    if let Some(id) = read_u16(0).filter(|_| build_tree) {
        children.push(Field::leaf(
            "header.id",
            "ID",
            format!("{id} (0x{id:04x}), chosen by the client to match responses to queries"),
            Span::new(0, 2),
        ));
    }
    let flags = read_u16(2);
    if let Some(flags) = flags {
        if build_tree {
            children.push(flags_field(flags));
        }
        if flags & 0x0040 != 0 {
            diagnostics.push(Diagnostic {
                offset: 2,
                length: 2,
                severity: Severity::Warning,
                message: "The reserved Z bit in the header flags is set; RFC 1035 §4.1.1 says it \
                          must be zero in all queries and responses."
                    .to_owned(),
            });
        }
    }
    let counts = [
        (4, "header.qdcount", "Questions (QDCOUNT)", "question"),
        (
            6,
            "header.ancount",
            "Answer records (ANCOUNT)",
            "answer record",
        ),
        (
            8,
            "header.nscount",
            "Authority records (NSCOUNT)",
            "authority record",
        ),
        (
            10,
            "header.arcount",
            "Additional records (ARCOUNT)",
            "additional record",
        ),
    ];
    let mut count_values = [0u16; 4];
    for (index, (offset, key, label, noun)) in counts.iter().enumerate() {
        if let Some(count) = read_u16(*offset) {
            count_values[index] = count;
            if !build_tree {
                continue;
            }
            children.push(Field::leaf(
                *key,
                *label,
                format!("{count} {noun}{}", if count == 1 { "" } else { "s" }),
                Span::new(*offset, 2),
            ));
        }
    }
    let present = message.len().min(HEADER_LENGTH);
    let header = match flags {
        Some(flags) if message.len() >= HEADER_LENGTH => Some(HeaderView {
            id: read_u16(0).unwrap_or(0),
            qr: flags & 0x8000 != 0,
            opcode: ((flags >> 11) & 0x0f) as u8,
            aa: flags & 0x0400 != 0,
            tc: flags & 0x0200 != 0,
            rd: flags & 0x0100 != 0,
            ra: flags & 0x0080 != 0,
            z: flags & 0x0040 != 0,
            ad: flags & 0x0020 != 0,
            cd: flags & 0x0010 != 0,
            rcode: (flags & 0x000f) as u8,
            qdcount: count_values[0],
            ancount: count_values[1],
            nscount: count_values[2],
            arcount: count_values[3],
        }),
        _ => None,
    };
    if header.is_none() {
        diagnostics.push(Diagnostic {
            offset: 0,
            length: present,
            severity: Severity::Error,
            message: format!(
                "The header is truncated: a DNS message starts with a 12-byte header, but there \
                 {} only {present}.",
                if present == 1 { "is" } else { "are" }
            ),
        });
    }
    if !build_tree {
        return (header, None);
    }
    let value = match &header {
        Some(header) => format!(
            "ID {}, {}, {}",
            header.id,
            opcode_mnemonic(header.opcode),
            if header.qr { "response" } else { "query" }
        ),
        None => format!("truncated: {present} of 12 bytes"),
    };
    let field =
        Field::leaf("header", "Header", value, Span::new(0, present)).with_children(children);
    (header, Some(field))
}

fn flags_field(flags: u16) -> Field {
    let bit = |mask: u16| flags & mask != 0;
    let on_off = |mask: u16, when_set: &str, when_clear: &str| {
        if bit(mask) {
            format!("1 ({when_set})")
        } else {
            format!("0 ({when_clear})")
        }
    };
    let opcode = ((flags >> 11) & 0x0f) as u8;
    let rcode = flags & 0x000f;
    let children = vec![
        Field::bits(
            "header.flags.qr",
            "Query/Response (QR)",
            on_off(0x8000, "this is a response", "this is a query"),
            FLAGS_SPAN,
            0x8000,
        ),
        Field::bits(
            "header.flags.opcode",
            "Opcode",
            format!(
                "{opcode} ({}{})",
                opcode_mnemonic(opcode),
                opcode_meaning(opcode)
            ),
            FLAGS_SPAN,
            0x7800,
        ),
        Field::bits(
            "header.flags.aa",
            "Authoritative answer (AA)",
            on_off(
                0x0400,
                "the responding server is an authority for the name asked about",
                "not an authoritative answer",
            ),
            FLAGS_SPAN,
            0x0400,
        ),
        Field::bits(
            "header.flags.tc",
            "Truncated (TC)",
            on_off(
                0x0200,
                "the message was cut to fit; retry over TCP for the full answer",
                "the message is complete",
            ),
            FLAGS_SPAN,
            0x0200,
        ),
        Field::bits(
            "header.flags.rd",
            "Recursion desired (RD)",
            on_off(
                0x0100,
                "the client asks the server to resolve the name fully on its behalf",
                "the client does not ask for recursion",
            ),
            FLAGS_SPAN,
            0x0100,
        ),
        Field::bits(
            "header.flags.ra",
            "Recursion available (RA)",
            on_off(
                0x0080,
                "the server offers recursive resolution",
                "the server does not offer recursion",
            ),
            FLAGS_SPAN,
            0x0080,
        ),
        Field::bits(
            "header.flags.z",
            "Reserved (Z)",
            on_off(
                0x0040,
                "set, but this bit is reserved and must be zero",
                "reserved, zero as required",
            ),
            FLAGS_SPAN,
            0x0040,
        ),
        Field::bits(
            "header.flags.ad",
            "Authentic data (AD)",
            on_off(
                0x0020,
                "the server validated every record in the answer with DNSSEC",
                "the data was not validated with DNSSEC by the server",
            ),
            FLAGS_SPAN,
            0x0020,
        ),
        Field::bits(
            "header.flags.cd",
            "Checking disabled (CD)",
            on_off(
                0x0010,
                "the client asks the server not to do DNSSEC validation",
                "DNSSEC validation by the server is acceptable",
            ),
            FLAGS_SPAN,
            0x0010,
        ),
        Field::bits(
            "header.flags.rcode",
            "Response code (RCODE)",
            format!("{rcode} ({})", rcode_mnemonic(rcode)),
            FLAGS_SPAN,
            0x000f,
        ),
    ];
    Field::leaf(
        "header.flags",
        "Flags",
        format!("0x{flags:04x}{}", set_flag_names(flags)),
        FLAGS_SPAN,
    )
    .with_children(children)
}

/// dig's list of the flags that are set, e.g. ` (qr aa rd)`.
fn set_flag_names(flags: u16) -> String {
    let names = [
        (0x8000, "qr"),
        (0x0400, "aa"),
        (0x0200, "tc"),
        (0x0100, "rd"),
        (0x0080, "ra"),
        (0x0020, "ad"),
        (0x0010, "cd"),
    ];
    let set: Vec<&str> = names
        .iter()
        .filter(|(mask, _)| flags & mask != 0)
        .map(|(_, name)| *name)
        .collect();
    if set.is_empty() {
        String::new()
    } else {
        format!(" ({})", set.join(" "))
    }
}

fn opcode_meaning(opcode: u8) -> &'static str {
    match opcode {
        0 => ", a standard query",
        1 => ", an inverse query, obsolete since RFC 3425",
        2 => ", a server status request",
        4 => ", a zone change notification",
        5 => ", a dynamic update",
        6 => ", DNS stateful operations",
        _ => ", unassigned",
    }
}

/// The RCODE field's text once the OPT record's extended bits are known: the 12-bit value.
pub(crate) fn extended_rcode_value(header_rcode: u8, extended_rcode: u8) -> String {
    let full = u16::from(extended_rcode) << 4 | u16::from(header_rcode);
    format!(
        "{header_rcode}; with the OPT record's extended RCODE bits ({extended_rcode}) the full \
         response code is {full} ({})",
        rcode_mnemonic(full)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_flag_bit_is_its_own_field_with_its_mask() {
        // ID 0x1234; flags 0x8580 = QR, opcode 0, AA, RD, RA; counts 1, 2, 0, 1.
        let message = [0x12, 0x34, 0x85, 0x80, 0, 1, 0, 2, 0, 0, 0, 1];
        let mut diagnostics = Vec::new();
        let (header, field) = read_header(&message, &mut diagnostics, true);
        let header = header.expect("12 bytes make a header");
        let field = field.expect("the tree was asked for");
        assert_eq!(header.id, 0x1234);
        assert!(header.qr && header.aa && header.rd && header.ra);
        assert!(!header.tc && !header.z && !header.ad && !header.cd);
        assert_eq!((header.qdcount, header.ancount, header.arcount), (1, 2, 1));
        let rd = field.find("header.flags.rd").expect("rd field");
        assert_eq!(rd.bits, Some(0x0100));
        assert_eq!(rd.span, Span::new(2, 2));
        assert!(rd.value.starts_with("1 "));
        let z = field.find("header.flags.z").expect("z field");
        assert!(z.value.starts_with("0 "));
        assert!(diagnostics.is_empty());
    }
}
