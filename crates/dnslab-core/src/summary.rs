//! A compact view model of one DNS message, decoded with hickory-proto's strict decoder.
//!
//! This is the "what does the message say" view: header fields, the question and every record in
//! presentation format. It is also the reference that the byte-level dissector is checked
//! against, since it is exactly what hickory-proto makes of the bytes.

use hickory_proto::op::{Message, MessageType};
use hickory_proto::rr::Record;
use serde::Serialize;

/// The smallest possible DNS message: the 12-byte header alone.
pub const HEADER_LENGTH: usize = 12;

/// Why bytes could not be decoded as a DNS message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub enum DecodeError {
    /// No bytes at all.
    #[error("no bytes to decode")]
    Empty,
    /// Fewer bytes than a DNS header needs.
    #[error("only {length} bytes: a DNS message starts with a 12-byte header")]
    ShorterThanHeader {
        /// How many bytes there were.
        length: usize,
    },
    /// The decoder rejected the message; its reason in its own words.
    #[error("not a valid DNS message: {reason}")]
    Malformed {
        /// hickory-proto's description of the problem.
        reason: String,
    },
}

/// The header, question and records of one DNS message, ready for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageSummary {
    /// Message ID.
    pub id: u16,
    /// True for a response (QR bit set).
    pub is_response: bool,
    /// Opcode mnemonic, e.g. `QUERY`.
    pub opcode: String,
    /// Response code mnemonic, including any EDNS extended bits, e.g. `NOERROR`, `NXDOMAIN`.
    pub rcode: String,
    /// Set header flags in dig's order and spelling: `qr aa tc rd ra ad cd`.
    pub flags: Vec<&'static str>,
    /// Size of the message in bytes.
    pub length: usize,
    /// The question section.
    pub questions: Vec<QuestionSummary>,
    /// The answer section.
    pub answers: Vec<RecordSummary>,
    /// The authority section.
    pub authorities: Vec<RecordSummary>,
    /// The additional section, without the EDNS OPT pseudo-record.
    pub additionals: Vec<RecordSummary>,
    /// The EDNS OPT pseudo-record, when present.
    pub edns: Option<EdnsSummary>,
}

/// One entry of the question section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionSummary {
    /// Fully qualified name, e.g. `www.example.com.`.
    pub name: String,
    /// Record type mnemonic, e.g. `A`, or `TYPE65280` for unknown types.
    pub record_type: String,
    /// Class mnemonic, e.g. `IN`.
    pub class: String,
}

/// One resource record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordSummary {
    /// Owner name, fully qualified.
    pub name: String,
    /// Time to live in seconds.
    pub ttl: u32,
    /// Class mnemonic.
    pub class: String,
    /// Record type mnemonic.
    pub record_type: String,
    /// The record data in master-file presentation format, e.g. `10 mail.example.com.`.
    pub data: String,
}

/// The EDNS parameters carried by an OPT pseudo-record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EdnsSummary {
    /// EDNS version.
    pub version: u8,
    /// The requester's UDP payload size.
    pub udp_payload_size: u16,
    /// The DNSSEC OK bit.
    pub dnssec_ok: bool,
}

/// Decodes `bytes` as one DNS message (without a TCP length prefix).
pub fn summarize(bytes: &[u8]) -> Result<MessageSummary, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if bytes.len() < HEADER_LENGTH {
        return Err(DecodeError::ShorterThanHeader {
            length: bytes.len(),
        });
    }
    let message = Message::from_vec(bytes).map_err(|error| DecodeError::Malformed {
        reason: error.to_string(),
    })?;
    let metadata = &message.metadata;
    let flag_bits = [
        (metadata.message_type == MessageType::Response, "qr"),
        (metadata.authoritative, "aa"),
        (metadata.truncation, "tc"),
        (metadata.recursion_desired, "rd"),
        (metadata.recursion_available, "ra"),
        (metadata.authentic_data, "ad"),
        (metadata.checking_disabled, "cd"),
    ];
    Ok(MessageSummary {
        id: metadata.id,
        is_response: metadata.message_type == MessageType::Response,
        opcode: crate::iana::opcode_mnemonic(u8::from(metadata.op_code)),
        rcode: crate::iana::rcode_mnemonic(u16::from(metadata.response_code)),
        flags: flag_bits
            .iter()
            .filter(|(is_set, _)| *is_set)
            .map(|(_, name)| *name)
            .collect(),
        length: bytes.len(),
        questions: message
            .queries
            .iter()
            .map(|query| QuestionSummary {
                name: query.name().to_string(),
                record_type: query.query_type().to_string(),
                class: query.query_class().to_string(),
            })
            .collect(),
        answers: message.answers.iter().map(summarize_record).collect(),
        authorities: message.authorities.iter().map(summarize_record).collect(),
        additionals: message.additionals.iter().map(summarize_record).collect(),
        edns: message.edns.as_ref().map(|edns| EdnsSummary {
            version: edns.version(),
            udp_payload_size: edns.max_payload(),
            dnssec_ok: edns.flags().dnssec_ok,
        }),
    })
}

impl std::fmt::Display for MessageSummary {
    /// A dig-like text rendering: header line, flags, then one tab-separated line per record.
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            formatter,
            ";; ->>HEADER<<- opcode: {}, status: {}, id: {}",
            self.opcode, self.rcode, self.id
        )?;
        writeln!(
            formatter,
            ";; flags: {}; QUERY: {}, ANSWER: {}, AUTHORITY: {}, ADDITIONAL: {}",
            self.flags.join(" "),
            self.questions.len(),
            self.answers.len(),
            self.authorities.len(),
            self.additionals.len() + usize::from(self.edns.is_some()),
        )?;
        if let Some(edns) = &self.edns {
            let dnssec_flag = if edns.dnssec_ok { " do" } else { "" };
            writeln!(
                formatter,
                "\n;; OPT PSEUDOSECTION:\n; EDNS: version: {}, flags:{}; udp: {}",
                edns.version, dnssec_flag, edns.udp_payload_size
            )?;
        }
        writeln!(formatter, "\n;; QUESTION SECTION:")?;
        for question in &self.questions {
            writeln!(
                formatter,
                ";{}\t\t{}\t{}",
                question.name, question.class, question.record_type
            )?;
        }
        for (title, records) in [
            ("ANSWER", &self.answers),
            ("AUTHORITY", &self.authorities),
            ("ADDITIONAL", &self.additionals),
        ] {
            if records.is_empty() {
                continue;
            }
            writeln!(formatter, "\n;; {title} SECTION:")?;
            for record in records {
                writeln!(
                    formatter,
                    "{}\t{}\t{}\t{}\t{}",
                    record.name, record.ttl, record.class, record.record_type, record.data
                )?;
            }
        }
        Ok(())
    }
}

fn summarize_record(record: &Record) -> RecordSummary {
    RecordSummary {
        name: record.name.to_string(),
        ttl: record.ttl,
        class: record.dns_class.to_string(),
        record_type: record.record_type().to_string(),
        data: record.data.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Knot DNS's answer to `dig www.example.com A` (frame 2 of the shared Ethernet capture).
    const WWW_EXAMPLE_COM_RESPONSE: &[u8] = &[
        0x3a, 0x09, 0x85, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x03, b'w', b'w',
        b'w', 0x07, b'e', b'x', b'a', b'm', b'p', b'l', b'e', 0x03, b'c', b'o', b'm', 0x00, 0x00,
        0x01, 0x00, 0x01, 0xc0, 0x0c, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x02,
        0xc0, 0x10, 0xc0, 0x10, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x04, 0x5d,
        0xb8, 0xd7, 0x0e, 0x00, 0x00, 0x29, 0x04, 0xd0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    #[test]
    fn summarizes_a_cname_and_address_answer() {
        let summary = summarize(WWW_EXAMPLE_COM_RESPONSE).expect("a valid response");
        assert_eq!(summary.id, 0x3a09);
        assert!(summary.is_response);
        assert_eq!(summary.flags, ["qr", "aa", "rd"]);
        assert_eq!(summary.opcode, "QUERY");
        assert_eq!(summary.rcode, "NOERROR");
        assert_eq!(
            summary.questions,
            [QuestionSummary {
                name: "www.example.com.".into(),
                record_type: "A".into(),
                class: "IN".into(),
            }]
        );
        let answers: Vec<_> = summary
            .answers
            .iter()
            .map(|record| {
                (
                    record.name.as_str(),
                    record.record_type.as_str(),
                    record.data.as_str(),
                )
            })
            .collect();
        assert_eq!(
            answers,
            [
                ("www.example.com.", "CNAME", "example.com."),
                ("example.com.", "A", "93.184.215.14"),
            ]
        );
        assert_eq!(summary.answers[0].ttl, 3600);
        assert!(
            summary.additionals.is_empty(),
            "the OPT record is reported as EDNS"
        );
        assert_eq!(
            summary.edns,
            Some(EdnsSummary {
                version: 0,
                udp_payload_size: 1232,
                dnssec_ok: false
            })
        );
    }

    #[test]
    fn rejects_empty_and_short_input() {
        assert_eq!(summarize(&[]), Err(DecodeError::Empty));
        assert_eq!(
            summarize(&[0x3a, 0x09, 0x85]),
            Err(DecodeError::ShorterThanHeader { length: 3 })
        );
    }

    #[test]
    fn reports_a_truncated_message_without_panicking() {
        for cut in HEADER_LENGTH..WWW_EXAMPLE_COM_RESPONSE.len() {
            let result = summarize(&WWW_EXAMPLE_COM_RESPONSE[..cut]);
            assert!(
                matches!(result, Err(DecodeError::Malformed { .. })),
                "cut at {cut}: {result:?}"
            );
        }
    }
}
