//! dig-style text: a dissection laid out exactly as `dig` 9.18 prints a received message.
//!
//! The output is what dig prints between `;; Got answer:` and `;; Query time:` with its default
//! display options: the `;; ->>HEADER<<-` and `;; flags:` lines, dig's warnings about the header,
//! the `OPT PSEUDOSECTION`, then the QUESTION, ANSWER, AUTHORITY and ADDITIONAL sections (ZONE,
//! PREREQUISITE, UPDATE, ADDITIONAL for an UPDATE message), then TSIG or SIG(0) pseudosections.
//! Records are tab-aligned the way BIND's `masterdump.c` does it (columns 24, 32, 40 and 48 with
//! 8-wide tabs, a single space when a field already passed its column).
//!
//! Records are printed one per line in wire order with their own TTLs, as dig does (it parses
//! with BIND's "preserve order" option).
//!
//! Deliberate differences from dig, because dnslab decodes a message it did not send:
//! - a message BIND would reject (dig prints "Got bad packet") is still printed, as far as the
//!   dissector could read it; the problems are in the dissection's diagnostics, which callers
//!   print after this text;
//! - the COOKIE line has no `(good)`/`(bad)` verdict: that compares the cookie with the one dig
//!   sent, which a decoder of a captured message does not know;
//! - dig's ";; WARNING: recursion requested but not available" is printed only for responses,
//!   since a decoded query with RD set is not a warning.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::dissect::mnemonic::{class_mnemonic, type_mnemonic};
use crate::dissect::{Dissection, EdnsView, QuestionView, RecordView, Section};

/// dig's column for the TTL of a record (and the first stop after the owner name).
const TTL_COLUMN: usize = 24;
/// dig's column for the CLASS of a record or question.
const CLASS_COLUMN: usize = 32;
/// dig's column for the TYPE of a record or question.
const TYPE_COLUMN: usize = 40;
/// dig's column for the RDATA of a record.
const RDATA_COLUMN: usize = 48;
/// BIND's tab width when it aligns columns.
const TAB_WIDTH: usize = 8;

/// The opcode update messages use; dig names their sections differently.
const OPCODE_UPDATE: u8 = 5;
/// TYPE of the TSIG pseudo-record (RFC 8945).
const TYPE_TSIG: u16 = 250;
/// TYPE of SIG, which with a covered type of 0 is a SIG(0) transaction signature (RFC 2931).
const TYPE_SIG: u16 = 24;

/// The message laid out as dig 9.18 prints it (see the module documentation for the few
/// deliberate differences). `message` is the DNS message the dissection was made from.
///
/// Never panics, whatever the dissection holds: every value it prints comes from the model.
pub fn dig_text(dissection: &Dissection, message: &[u8]) -> String {
    let mut output = String::with_capacity(256 + dissection.records.len() * 64);
    let Some(header) = dissection.header.as_ref() else {
        let _ = writeln!(
            output,
            ";; No DNS header: the message has {} byte{}, a header needs 12",
            dissection.length,
            if dissection.length == 1 { "" } else { "s" }
        );
        return output;
    };

    let full_rcode = dissection.rcode().unwrap_or(u16::from(header.rcode));
    let _ = writeln!(
        output,
        ";; ->>HEADER<<- opcode: {}, status: {}, id: {}",
        dig_opcode_text(header.opcode),
        dig_rcode_text(full_rcode),
        header.id
    );
    output.push_str(";; flags:");
    for (is_set, flag_name) in [
        (header.qr, " qr"),
        (header.aa, " aa"),
        (header.tc, " tc"),
        (header.rd, " rd"),
        (header.ra, " ra"),
        (header.ad, " ad"),
        (header.cd, " cd"),
    ] {
        if is_set {
            output.push_str(flag_name);
        }
    }
    if header.z {
        // dig shows the reserved bit as its value within the flags' low nibble (0x0040 >> 4).
        output.push_str("; MBZ: 0x4");
    }
    let _ = writeln!(
        output,
        "; QUERY: {}, ANSWER: {}, AUTHORITY: {}, ADDITIONAL: {}",
        header.qdcount, header.ancount, header.nscount, header.arcount
    );
    if header.qr && header.rd && !header.ra {
        output.push_str(";; WARNING: recursion requested but not available\n");
    }
    output.push('\n');

    if let Some(edns) = dissection.edns.as_ref() {
        push_opt_pseudosection(&mut output, edns);
    }

    let is_update = header.opcode == OPCODE_UPDATE;
    if !dissection.questions.is_empty() {
        output.push_str(if is_update {
            ";; ZONE SECTION:\n"
        } else {
            ";; QUESTION SECTION:\n"
        });
        for question in &dissection.questions {
            push_question_line(&mut output, question);
        }
        output.push('\n');
    }

    let pseudo_record_index = transaction_signature_index(dissection, message);
    let opt_record_index = dissection.edns.as_ref().map(|edns| edns.record_index);
    for (section, plain_title, update_title) in [
        (Section::Answer, "ANSWER", "PREREQUISITE"),
        (Section::Authority, "AUTHORITY", "UPDATE"),
        (Section::Additional, "ADDITIONAL", "ADDITIONAL"),
    ] {
        let mut records = dissection
            .records
            .iter()
            .enumerate()
            .filter(|(index, record)| {
                record.section == section
                    && Some(*index) != opt_record_index
                    && Some(*index) != pseudo_record_index
            })
            .map(|(_, record)| record)
            .peekable();
        if records.peek().is_none() {
            continue;
        }
        let title = if is_update { update_title } else { plain_title };
        let _ = writeln!(output, ";; {title} SECTION:");
        for record in records {
            push_record_line(&mut output, record);
        }
        output.push('\n');
    }

    if let Some(record) = pseudo_record_index.and_then(|index| dissection.records.get(index)) {
        output.push_str(if record.rtype == TYPE_TSIG {
            ";; TSIG PSEUDOSECTION:\n"
        } else {
            ";; SIG0 PSEUDOSECTION:\n"
        });
        push_record_line(&mut output, record);
        output.push('\n');
    }
    output
}

/// dig 9.18's name for an opcode: BIND's table, which still calls 3 and 6 to 15 `RESERVEDn`.
pub fn dig_opcode_text(opcode: u8) -> Cow<'static, str> {
    match opcode {
        0 => Cow::Borrowed("QUERY"),
        1 => Cow::Borrowed("IQUERY"),
        2 => Cow::Borrowed("STATUS"),
        4 => Cow::Borrowed("NOTIFY"),
        5 => Cow::Borrowed("UPDATE"),
        other => Cow::Owned(format!("RESERVED{other}")),
    }
}

/// dig 9.18's `status:` text for a full (extended) RCODE: BIND's `dns_rcode_totext` names,
/// `RESERVEDn` for 11 to 15, and the number behind a `?` for anything else (dig's own marker,
/// e.g. `?17`: the TSIG error codes are not message RCODEs to BIND).
pub fn dig_rcode_text(rcode: u16) -> Cow<'static, str> {
    let name = match rcode {
        0 => "NOERROR",
        1 => "FORMERR",
        2 => "SERVFAIL",
        3 => "NXDOMAIN",
        4 => "NOTIMP",
        5 => "REFUSED",
        6 => "YXDOMAIN",
        7 => "YXRRSET",
        8 => "NXRRSET",
        9 => "NOTAUTH",
        10 => "NOTZONE",
        11..=15 => return Cow::Owned(format!("RESERVED{rcode}")),
        16 => "BADVERS",
        23 => "BADCOOKIE",
        other => return Cow::Owned(format!("?{other}")),
    };
    Cow::Borrowed(name)
}

/// dig's name for a CLASS: the dissector's mnemonics, except that BIND calls class 0
/// `RESERVED0` where RFC 3597 would say `CLASS0`.
fn dig_class_text(class: u16) -> Cow<'static, str> {
    if class == 0 {
        Cow::Borrowed("RESERVED0")
    } else {
        class_mnemonic(class)
    }
}

/// `;; OPT PSEUDOSECTION:`, the EDNS line and one line per option.
fn push_opt_pseudosection(output: &mut String, edns: &EdnsView) {
    output.push_str(";; OPT PSEUDOSECTION:\n");
    let _ = write!(output, "; EDNS: version: {}, flags:", edns.version);
    if edns.dnssec_ok {
        output.push_str(" do");
    }
    if edns.z != 0 {
        // BIND prints the unknown flag bits (everything but DO) of the OPT TTL's low 16 bits.
        let _ = write!(output, "; MBZ: 0x{:04x}, udp: ", edns.z);
    } else {
        output.push_str("; udp: ");
    }
    let _ = writeln!(output, "{}", edns.udp_payload_size);
    for option in &edns.options {
        let _ = write!(output, "; {}:", option.mnemonic);
        if !option.presentation.is_empty() {
            output.push(' ');
            output.push_str(&option.presentation);
        }
        output.push('\n');
    }
}

/// `;www.example.com.\t\tIN\tA`: the name with dig's `;`, then CLASS and TYPE in their columns.
fn push_question_line(output: &mut String, question: &QuestionView) {
    // BIND writes the `;` before it starts counting columns, so the name alone decides the tabs:
    // `;nx.example.com.` gets three tabs, `;www.example.com.` two.
    output.push(';');
    let mut line = ColumnWriter::new(output);
    line.push(&question.name.text);
    line.indent_to(CLASS_COLUMN);
    line.push(&dig_class_text(question.qclass));
    line.indent_to(TYPE_COLUMN);
    line.push(&type_mnemonic(question.qtype));
    output.push('\n');
}

/// `owner TTL CLASS TYPE RDATA` in dig's columns.
fn push_record_line(output: &mut String, record: &RecordView) {
    push_record_columns(
        output,
        &record.name.text,
        record.ttl,
        record.class,
        record.rtype,
        &record.rdata.presentation,
    );
    output.push('\n');
}

/// Appends one record as dig prints it, `owner TTL CLASS TYPE RDATA` in BIND's columns, without
/// the line end. Shared with the resolver's `dig +trace` rendering.
pub(crate) fn push_record_columns(
    output: &mut String,
    owner: &str,
    ttl: u32,
    class: u16,
    rtype: u16,
    rdata: &str,
) {
    let mut line = ColumnWriter::new(output);
    line.push(owner);
    line.indent_to(TTL_COLUMN);
    line.push(&ttl.to_string());
    line.indent_to(CLASS_COLUMN);
    line.push(&dig_class_text(class));
    line.indent_to(TYPE_COLUMN);
    line.push(&type_mnemonic(rtype));
    line.indent_to(RDATA_COLUMN);
    line.push(rdata);
}

/// The index of a TSIG or SIG(0) record that dig would show in its own pseudosection: the last
/// record of the additional section, when it is a TSIG, or a SIG whose covered type is 0.
fn transaction_signature_index(dissection: &Dissection, message: &[u8]) -> Option<usize> {
    let (index, record) = dissection.records.iter().enumerate().next_back()?;
    if record.section != Section::Additional {
        return None;
    }
    let is_sig0 = record.rtype == TYPE_SIG
        && message
            .get(record.rdata_span.offset..record.rdata_span.end())
            .and_then(|rdata| rdata.get(..2))
            == Some(&[0, 0][..]);
    (record.rtype == TYPE_TSIG || is_sig0).then_some(index)
}

/// Appends text to a line while tracking the column, and moves to a column the way BIND's
/// `masterdump.c` `indent()` does: tabs to the tab stop, at least one character of space.
struct ColumnWriter<'output> {
    output: &'output mut String,
    column: usize,
}

impl<'output> ColumnWriter<'output> {
    fn new(output: &'output mut String) -> Self {
        Self { output, column: 0 }
    }

    fn push(&mut self, text: &str) {
        self.output.push_str(text);
        // BIND counts bytes; names and data are ASCII after escaping, so bytes are columns.
        self.column += text.len();
    }

    fn indent_to(&mut self, wanted_column: usize) {
        // A field that already reached or passed its column still gets one separator.
        let target = wanted_column.max(self.column + 1);
        let tabs = target / TAB_WIDTH - self.column / TAB_WIDTH;
        let mut column = self.column;
        if tabs > 0 {
            for _ in 0..tabs {
                self.output.push('\t');
            }
            column = target / TAB_WIDTH * TAB_WIDTH;
        }
        for _ in column..target {
            self.output.push(' ');
        }
        self.column = target;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aligned(parts: &[(&str, usize)], last: &str) -> String {
        let mut output = String::new();
        let mut line = ColumnWriter::new(&mut output);
        for (text, column) in parts {
            line.push(text);
            line.indent_to(*column);
        }
        line.push(last);
        output
    }

    // Expected strings below are lines printed by dig 9.18.49 (copied with `cat -A`).
    #[test]
    fn columns_follow_binds_tab_rule() {
        assert_eq!(
            aligned(
                &[
                    ("x.example.com.", 24),
                    ("300", 32),
                    ("IN", 40),
                    ("TYPE65280", 48)
                ],
                "\\# 4 01020304"
            ),
            "x.example.com.\t\t300\tIN\tTYPE65280 \\# 4 01020304"
        );
        // A 31-character owner reaches column 32 with a tab, not a space.
        assert_eq!(
            aligned(
                &[
                    ("abcdefghijklmnopqrstuvwxyzabcd.", 24),
                    ("300", 32),
                    ("IN", 40)
                ],
                "TYPE65535"
            ),
            "abcdefghijklmnopqrstuvwxyzabcd.\t300 IN\tTYPE65535"
        );
        assert_eq!(
            aligned(
                &[("abcdefghijklmnopqrstuvw.", 24), ("7", 32), ("IN", 40)],
                "WALLET"
            ),
            "abcdefghijklmnopqrstuvw. 7\tIN\tWALLET"
        );
        // Question lines: the `;` in front is not counted (dig prints `;nx.example.com.` with
        // three tabs, `;abcdefghijklmnopqrstuvwxyz.com.` with one, and a name of 32 characters
        // with a space).
        assert_eq!(
            aligned(&[("nx.example.com.", 32)], "IN"),
            "nx.example.com.\t\t\tIN"
        );
        assert_eq!(
            aligned(&[("abcdefghijklmnopqrstuvwxyz.com.", 32)], "IN"),
            "abcdefghijklmnopqrstuvwxyz.com.\tIN"
        );
        assert_eq!(
            aligned(&[("abcdefghijklmnopqrstuvwxyza.com.", 32)], "IN"),
            "abcdefghijklmnopqrstuvwxyza.com. IN"
        );
    }

    #[test]
    fn status_and_opcode_texts_are_digs() {
        assert_eq!(dig_rcode_text(0), "NOERROR");
        assert_eq!(dig_rcode_text(12), "RESERVED12");
        assert_eq!(dig_rcode_text(16), "BADVERS");
        assert_eq!(dig_rcode_text(17), "?17");
        assert_eq!(dig_rcode_text(23), "BADCOOKIE");
        assert_eq!(dig_rcode_text(4015), "?4015");
        assert_eq!(dig_opcode_text(3), "RESERVED3");
        assert_eq!(dig_opcode_text(6), "RESERVED6");
        assert_eq!(dig_opcode_text(5), "UPDATE");
    }
}
