//! RFC 8427 JSON: a dissection as the JSON object "Representing DNS Messages in JSON" defines.
//!
//! Members (RFC 8427 §2.1, §2.2): the header as integers (`ID`, `QR`, `Opcode`, `AA`, `TC`,
//! `RD`, `RA`, `AD`, `CD`, `RCODE`, the four counts as written), the first question (`QNAME`,
//! `QTYPE`, `QTYPEname`, `QCLASS`, `QCLASSname`), and `answerRRs`, `authorityRRs`,
//! `additionalRRs` arrays of records with `NAME`, `TYPE`, `TYPEname`, `CLASS`, `CLASSname`,
//! `TTL`, `RDLENGTH`, `RDATAHEX` and `rdata<TYPEname>` (the master-file presentation, e.g.
//! `rdataMX: "10 mail.example.com."`).
//!
//! Choices where the RFC leaves room, made to agree with Knot DNS's `kdig +json` (the reference
//! implementation our tests compare against):
//! - names are fully qualified with the trailing dot (`www.example.com.`, the root is `.`), with
//!   master-file escapes inside labels (RFC 8427 §2.6 as corrected by erratum 5439);
//! - `RCODE` is the header's 4-bit field (the RFC's range is 0 to 15); an EDNS extended RCODE
//!   stays visible in the OPT record's `TTL`;
//! - `RDATAHEX` is upper-case and the OPT record has no `CLASSname` (its CLASS is a size).
//!
//! Where dnslab differs from kdig, on purpose: `RDATAHEX` and `RDLENGTH` are the bytes actually in
//! the message (compression pointers included, as a decoder must show), where kdig re-encodes
//! names uncompressed; the three record arrays are always present, even when empty.
//!
//! Two dnslab members extend the object: `diagnostics` (what is wrong, at which byte) and `input`
//! (where the message came from: detected format, layers, offset, frame).

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::dissect::mnemonic::{class_mnemonic, type_mnemonic};
use crate::dissect::{Dissection, RecordView, Section};

/// TYPE of the EDNS OPT pseudo-record, whose CLASS is a payload size rather than a class.
const TYPE_OPT: u16 = 41;

/// Where a DNS message was found, for the `input` member.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct InputInfo {
    /// The detected input format, e.g. `Wireshark hex stream`, `pcapng`.
    pub format: String,
    /// The layers around the DNS message, outermost first, e.g. `["Linux SLL", "IPv6",
    /// "UDP 53 → 35257"]`; empty when the input was the DNS message alone.
    pub layers: Vec<String>,
    /// Offset of the DNS message's first byte within the input's bytes (the frame for captures).
    pub offset: usize,
    /// The frame's number in a capture file, counted from 1 as Wireshark does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frame: Option<usize>,
}

/// The message as an RFC 8427 JSON object (see the module documentation), with `diagnostics`
/// always and `input` when `input` is given. `message` is the DNS message the dissection was made
/// from; `RDATAHEX` is read from it.
pub fn rfc8427_json(dissection: &Dissection, message: &[u8], input: Option<&InputInfo>) -> Value {
    let mut object = Map::new();
    if let Some(header) = dissection.header.as_ref() {
        for (member, value) in [
            ("ID", u64::from(header.id)),
            ("QR", u64::from(header.qr)),
            ("Opcode", u64::from(header.opcode)),
            ("AA", u64::from(header.aa)),
            ("TC", u64::from(header.tc)),
            ("RD", u64::from(header.rd)),
            ("RA", u64::from(header.ra)),
            ("AD", u64::from(header.ad)),
            ("CD", u64::from(header.cd)),
            ("RCODE", u64::from(header.rcode)),
            ("QDCOUNT", u64::from(header.qdcount)),
            ("ANCOUNT", u64::from(header.ancount)),
            ("NSCOUNT", u64::from(header.nscount)),
            ("ARCOUNT", u64::from(header.arcount)),
        ] {
            object.insert(member.to_owned(), Value::from(value));
        }
    }
    if let Some(question) = dissection.questions.first() {
        object.insert("QNAME".to_owned(), Value::from(question.name.text.as_str()));
        object.insert("QTYPE".to_owned(), Value::from(question.qtype));
        object.insert(
            "QTYPEname".to_owned(),
            Value::from(type_mnemonic(question.qtype).as_ref()),
        );
        object.insert("QCLASS".to_owned(), Value::from(question.qclass));
        object.insert(
            "QCLASSname".to_owned(),
            Value::from(class_mnemonic(question.qclass).as_ref()),
        );
    }
    if dissection.questions.len() > 1 {
        // RFC 8427's questionRRs carries every question; only needed when there is more than one.
        let questions = dissection
            .questions
            .iter()
            .map(|question| {
                json!({
                    "NAME": question.name.text,
                    "TYPE": question.qtype,
                    "TYPEname": type_mnemonic(question.qtype),
                    "CLASS": question.qclass,
                    "CLASSname": class_mnemonic(question.qclass),
                })
            })
            .collect();
        object.insert("questionRRs".to_owned(), Value::Array(questions));
    }
    for (section, member) in [
        (Section::Answer, "answerRRs"),
        (Section::Authority, "authorityRRs"),
        (Section::Additional, "additionalRRs"),
    ] {
        let records = dissection
            .section(section)
            .map(|record| record_json(record, message))
            .collect();
        object.insert(member.to_owned(), Value::Array(records));
    }
    let diagnostics = serde_json::to_value(&dissection.diagnostics).unwrap_or(Value::Null);
    object.insert("diagnostics".to_owned(), diagnostics);
    if let Some(input) = input {
        object.insert(
            "input".to_owned(),
            serde_json::to_value(input).unwrap_or(Value::Null),
        );
    }
    Value::Object(object)
}

/// One resource record object (RFC 8427 §2.2).
fn record_json(record: &RecordView, message: &[u8]) -> Value {
    let type_name = type_mnemonic(record.rtype);
    let mut object = Map::new();
    object.insert("NAME".to_owned(), Value::from(record.name.text.as_str()));
    object.insert("TYPE".to_owned(), Value::from(record.rtype));
    object.insert("TYPEname".to_owned(), Value::from(type_name.as_ref()));
    object.insert("CLASS".to_owned(), Value::from(record.class));
    if record.rtype != TYPE_OPT {
        object.insert(
            "CLASSname".to_owned(),
            Value::from(class_mnemonic(record.class).as_ref()),
        );
    }
    object.insert("TTL".to_owned(), Value::from(record.ttl));
    object.insert("RDLENGTH".to_owned(), Value::from(record.rdlength));
    let rdata = message
        .get(record.rdata_span.offset..record.rdata_span.end())
        .unwrap_or_default();
    object.insert("RDATAHEX".to_owned(), Value::from(upper_hex(rdata)));
    if record.rtype != TYPE_OPT {
        object.insert(
            format!("rdata{type_name}"),
            Value::from(record.rdata.presentation.as_str()),
        );
    }
    Value::Object(object)
}

/// Upper-case base16 without separators, as RFC 8427's examples write `RDATAHEX`.
fn upper_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut text = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rdatahex_is_upper_case_base16() {
        // 192 is 0xC0: upper-case digits, two per byte, no separators.
        assert_eq!(upper_hex(&[192, 0, 2, 1]), "C0000201");
        assert_eq!(upper_hex(&[]), "");
    }
}
