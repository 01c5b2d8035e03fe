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
//!
//! [`Rfc8427`] serializes straight from the dissection, members in the RFC's order, with no
//! intermediate JSON tree: `dnslab decode --json` streams tens of thousands of messages through
//! it. [`rfc8427_json`] is the same object as a [`serde_json::Value`] for callers that want one.

use std::fmt;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::dissect::mnemonic::{class_mnemonic, type_mnemonic};
use crate::dissect::{Dissection, QuestionView, RecordView, Section};

/// TYPE of the EDNS OPT pseudo-record, whose CLASS is a payload size rather than a class.
const TYPE_OPT: u16 = 41;

/// Where a DNS message was found, for the `input` member.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct InputInfo {
    /// What the caller calls the input, e.g. a file name; omitted when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
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

/// The message as an RFC 8427 JSON object (see the module documentation), ready to serialize:
/// `serde_json::to_writer(&mut output, &Rfc8427::new(&dissection, &message, None))`.
#[derive(Debug, Clone, Copy)]
pub struct Rfc8427<'a> {
    dissection: &'a Dissection,
    message: &'a [u8],
    input: Option<&'a InputInfo>,
}

impl<'a> Rfc8427<'a> {
    /// The object for `dissection`, made from `message` (the DNS message it was dissected from,
    /// where `RDATAHEX` is read), with the `input` member when `input` is given.
    pub fn new(
        dissection: &'a Dissection,
        message: &'a [u8],
        input: Option<&'a InputInfo>,
    ) -> Self {
        Self {
            dissection,
            message,
            input,
        }
    }
}

/// The message as an RFC 8427 JSON value (see the module documentation), with `diagnostics`
/// always and `input` when `input` is given. `message` is the DNS message the dissection was made
/// from; `RDATAHEX` is read from it.
pub fn rfc8427_json(dissection: &Dissection, message: &[u8], input: Option<&InputInfo>) -> Value {
    // Read back from the pretty-printed text rather than made by `serde_json::to_value`: the very
    // same value, without a second instance of every `serialize` below in the page's wasm (the
    // page prints the pretty text too).
    serde_json::to_string_pretty(&Rfc8427::new(dissection, message, input))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or(Value::Null)
}

impl Serialize for Rfc8427<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let dissection = self.dissection;
        let mut object = serializer.serialize_map(None)?;
        if let Some(header) = dissection.header.as_ref() {
            object.serialize_entry("ID", &header.id)?;
            object.serialize_entry("QR", &u8::from(header.qr))?;
            object.serialize_entry("Opcode", &header.opcode)?;
            object.serialize_entry("AA", &u8::from(header.aa))?;
            object.serialize_entry("TC", &u8::from(header.tc))?;
            object.serialize_entry("RD", &u8::from(header.rd))?;
            object.serialize_entry("RA", &u8::from(header.ra))?;
            object.serialize_entry("AD", &u8::from(header.ad))?;
            object.serialize_entry("CD", &u8::from(header.cd))?;
            object.serialize_entry("RCODE", &header.rcode)?;
            object.serialize_entry("QDCOUNT", &header.qdcount)?;
            object.serialize_entry("ANCOUNT", &header.ancount)?;
            object.serialize_entry("NSCOUNT", &header.nscount)?;
            object.serialize_entry("ARCOUNT", &header.arcount)?;
        }
        if let Some(question) = dissection.questions.first() {
            object.serialize_entry("QNAME", &question.name.text)?;
            object.serialize_entry("QTYPE", &question.qtype)?;
            object.serialize_entry("QTYPEname", &type_mnemonic(question.qtype))?;
            object.serialize_entry("QCLASS", &question.qclass)?;
            object.serialize_entry("QCLASSname", &class_mnemonic(question.qclass))?;
        }
        if dissection.questions.len() > 1 {
            // RFC 8427's questionRRs carries every question; only needed when there are several.
            object.serialize_entry("questionRRs", &Questions(&dissection.questions))?;
        }
        for (section, member) in [
            (Section::Answer, "answerRRs"),
            (Section::Authority, "authorityRRs"),
            (Section::Additional, "additionalRRs"),
        ] {
            let records = SectionRecords {
                dissection,
                section,
                message: self.message,
            };
            object.serialize_entry(member, &records)?;
        }
        object.serialize_entry("diagnostics", &dissection.diagnostics)?;
        if let Some(input) = self.input {
            object.serialize_entry("input", input)?;
        }
        object.end()
    }
}

/// `questionRRs`: every question as a record without TTL and data.
struct Questions<'a>(&'a [QuestionView]);

impl Serialize for Questions<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut list = serializer.serialize_seq(Some(self.0.len()))?;
        for question in self.0 {
            list.serialize_element(&QuestionRecord(question))?;
        }
        list.end()
    }
}

struct QuestionRecord<'a>(&'a QuestionView);

impl Serialize for QuestionRecord<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let question = self.0;
        let mut object = serializer.serialize_map(Some(5))?;
        object.serialize_entry("NAME", &question.name.text)?;
        object.serialize_entry("TYPE", &question.qtype)?;
        object.serialize_entry("TYPEname", &type_mnemonic(question.qtype))?;
        object.serialize_entry("CLASS", &question.qclass)?;
        object.serialize_entry("CLASSname", &class_mnemonic(question.qclass))?;
        object.end()
    }
}

/// The records of one section, in wire order.
struct SectionRecords<'a> {
    dissection: &'a Dissection,
    section: Section,
    message: &'a [u8],
}

impl Serialize for SectionRecords<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut list = serializer.serialize_seq(None)?;
        for record in self.dissection.section(self.section) {
            list.serialize_element(&RecordObject {
                record,
                message: self.message,
            })?;
        }
        list.end()
    }
}

/// One resource record object (RFC 8427 §2.2).
struct RecordObject<'a> {
    record: &'a RecordView,
    message: &'a [u8],
}

impl Serialize for RecordObject<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let record = self.record;
        let type_name = type_mnemonic(record.rtype);
        let is_opt = record.rtype == TYPE_OPT;
        let mut object = serializer.serialize_map(None)?;
        object.serialize_entry("NAME", &record.name.text)?;
        object.serialize_entry("TYPE", &record.rtype)?;
        object.serialize_entry("TYPEname", &type_name)?;
        object.serialize_entry("CLASS", &record.class)?;
        if !is_opt {
            object.serialize_entry("CLASSname", &class_mnemonic(record.class))?;
        }
        object.serialize_entry("TTL", &record.ttl)?;
        object.serialize_entry("RDLENGTH", &record.rdlength)?;
        let rdata = self
            .message
            .get(record.rdata_span.offset..record.rdata_span.end())
            .unwrap_or_default();
        object.serialize_entry("RDATAHEX", &UpperHex(rdata))?;
        if !is_opt {
            object.serialize_entry(&RdataMember(&type_name), &record.rdata.presentation)?;
        }
        object.end()
    }
}

/// The member name `rdata<TYPEname>`, e.g. `rdataMX`.
struct RdataMember<'a>(&'a str);

impl Serialize for RdataMember<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&format_args!("rdata{}", self.0))
    }
}

/// Upper-case base16 without separators, as RFC 8427's examples write `RDATAHEX`.
struct UpperHex<'a>(&'a [u8]);

impl fmt::Display for UpperHex<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
        // Chunks keep the number of write calls low for long RDATA.
        let mut buffer = [0u8; 128];
        for chunk in self.0.chunks(buffer.len() / 2) {
            let mut length = 0;
            for &byte in chunk {
                buffer[length] = DIGITS[usize::from(byte >> 4)];
                buffer[length + 1] = DIGITS[usize::from(byte & 0x0f)];
                length += 2;
            }
            // Only ASCII digits were written.
            formatter.write_str(std::str::from_utf8(&buffer[..length]).map_err(|_| fmt::Error)?)?;
        }
        Ok(())
    }
}

impl Serialize for UpperHex<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rdatahex_is_upper_case_base16() {
        // 192 is 0xC0: upper-case digits, two per byte, no separators.
        assert_eq!(UpperHex(&[192, 0, 2, 1]).to_string(), "C0000201");
        assert_eq!(UpperHex(&[]).to_string(), "");
        let long: Vec<u8> = (0..=255).collect();
        let text = UpperHex(&long).to_string();
        assert_eq!(text.len(), 512);
        assert!(text.starts_with("000102") && text.ends_with("FDFEFF"));
    }

    #[test]
    fn a_message_without_header_still_has_the_dnslab_members() {
        let dissection = crate::dissect::dissect(&[0x12]);
        let value = rfc8427_json(&dissection, &[0x12], None);
        assert!(value.get("ID").is_none());
        assert!(value["diagnostics"]
            .as_array()
            .is_some_and(|list| !list.is_empty()));
        assert_eq!(value["answerRRs"], Value::Array(Vec::new()));
    }
}
