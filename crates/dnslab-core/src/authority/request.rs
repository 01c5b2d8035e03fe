//! Reading a query the way an authoritative server must: what to drop, what is a format error, and the question and EDNS parameters of a good query.
//!
//! The rules follow Knot DNS's `knot_pkt_parse` (the differential tests hold us to them):
//! - fewer than 12 octets, or the QR bit set: drop silently (never answer a response, or loops
//!   between servers could start);
//! - more than one question, a question name with a compression pointer, a record that does not
//!   decode, an OPT record outside the additional section or twice, or octets after the last
//!   record: FORMERR (RFC 1035 section 4.1.1, RFC 6891 section 6.1.1).
//!
//! The counts in the header are never used to size an allocation: records are read one at a time
//! from the bytes actually present.

use hickory_proto::rr::{Name, Record, RecordType};
use hickory_proto::serialize::binary::{BinDecodable, BinDecoder};

/// Size of the DNS header.
pub(crate) const HEADER_LENGTH: usize = 12;

/// The question of a query, as the query wrote it.
#[derive(Debug, Clone)]
pub(crate) struct Question<'q> {
    /// QNAME in the case the client used (kept for the response, RFC 4343 section 4.1).
    pub name: Name,
    pub qtype: RecordType,
    pub qclass: u16,
    /// Ties the question to the query bytes it was read from.
    pub _bytes: std::marker::PhantomData<&'q [u8]>,
}

/// The EDNS parameters of a query's OPT record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct QueryEdns {
    /// The requestor's UDP payload size.
    pub udp_payload: u16,
    pub version: u8,
    /// The DO bit (RFC 3225).
    pub dnssec_ok: bool,
}

/// What the query turned out to be.
#[derive(Debug, Clone)]
pub(crate) enum ParsedQuery<'q> {
    /// Not something a server answers at all.
    Drop,
    /// The header was readable but the rest is malformed: answer FORMERR with the header (and
    /// the question, when it could be read), without OPT.
    Malformed {
        header: [u8; HEADER_LENGTH],
        question: Option<Question<'q>>,
    },
    /// A well-formed message.
    Query(Query<'q>),
}

/// A well-formed query.
#[derive(Debug, Clone)]
pub(crate) struct Query<'q> {
    pub header: [u8; HEADER_LENGTH],
    /// `None` when QDCOUNT is 0.
    pub question: Option<Question<'q>>,
    pub edns: Option<QueryEdns>,
}

impl Query<'_> {
    /// The 4-bit opcode.
    pub fn opcode(&self) -> u8 {
        (self.header[2] >> 3) & 0x0F
    }
}

/// Reads a query from its bytes (without a TCP length prefix).
pub(crate) fn parse_query(bytes: &[u8]) -> ParsedQuery<'_> {
    let Some(header) = bytes
        .get(..HEADER_LENGTH)
        .and_then(|slice| <[u8; HEADER_LENGTH]>::try_from(slice).ok())
    else {
        return ParsedQuery::Drop;
    };
    if header[2] & 0x80 != 0 {
        return ParsedQuery::Drop;
    }
    let count = |index: usize| u16::from_be_bytes([header[index], header[index + 1]]);
    let (question_count, answer_count, authority_count, additional_count) =
        (count(4), count(6), count(8), count(10));

    if question_count > 1 {
        return ParsedQuery::Malformed {
            header,
            question: None,
        };
    }
    let mut offset = HEADER_LENGTH;
    let question = if question_count == 1 {
        match read_question(bytes, offset) {
            Some((question, end)) => {
                offset = end;
                Some(question)
            }
            None => {
                return ParsedQuery::Malformed {
                    header,
                    question: None,
                }
            }
        }
    } else {
        None
    };

    let mut decoder = BinDecoder::new(bytes);
    if decoder.read_slice(offset).is_err() {
        return ParsedQuery::Malformed { header, question };
    }
    let mut edns = None;
    let sections = [
        (answer_count, false),
        (authority_count, false),
        (additional_count, true),
    ];
    for (record_count, is_additional) in sections {
        for _ in 0..record_count {
            // Each iteration consumes at least 11 octets or fails, so this ends quickly even when
            // the counts claim 65535 records.
            let Ok(record) = Record::read(&mut decoder) else {
                return ParsedQuery::Malformed { header, question };
            };
            if record.record_type() == RecordType::OPT {
                if !is_additional || edns.is_some() {
                    return ParsedQuery::Malformed { header, question };
                }
                edns = Some(query_edns(&record));
            }
        }
    }
    if !decoder.is_empty() {
        return ParsedQuery::Malformed { header, question };
    }
    ParsedQuery::Query(Query {
        header,
        question,
        edns,
    })
}

/// Reads the question at `offset`: a name without compression (Knot refuses pointers in QNAME,
/// and a pointer could only point backwards into the header), then QTYPE and QCLASS.
fn read_question(bytes: &[u8], offset: usize) -> Option<(Question<'_>, usize)> {
    let mut position = offset;
    let mut labels: Vec<&[u8]> = Vec::new();
    let mut name_length = 1usize;
    loop {
        let length = usize::from(*bytes.get(position)?);
        if length == 0 {
            position += 1;
            break;
        }
        if length > 63 {
            // A compression pointer (0xC0) or a reserved label type.
            return None;
        }
        let label = bytes.get(position + 1..position + 1 + length)?;
        name_length += length + 1;
        if name_length > 255 {
            return None;
        }
        labels.push(label);
        position += 1 + length;
    }
    let fixed = bytes.get(position..position + 4)?;
    let qtype = u16::from_be_bytes([fixed[0], fixed[1]]);
    let qclass = u16::from_be_bytes([fixed[2], fixed[3]]);
    let end = position + 4;
    let name = Name::from_labels(labels).ok()?;
    let question = Question {
        name,
        qtype: RecordType::from(qtype),
        qclass,
        _bytes: std::marker::PhantomData,
    };
    Some((question, end))
}

/// The EDNS fields of an OPT record (RFC 6891 section 6.1.3): the payload size is in the CLASS
/// field, version and DO bit in the TTL field.
fn query_edns(record: &Record) -> QueryEdns {
    QueryEdns {
        udp_payload: u16::from(record.dns_class),
        version: ((record.ttl >> 16) & 0xFF) as u8,
        dnssec_ok: record.ttl & 0x8000 != 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A query for `www.example.com. A` with RD set, ID 0x1234 (written out by hand from RFC 1035
    /// section 4.1).
    const QUERY: &[u8] = &[
        0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 3, b'w', b'w',
        b'w', 7, b'e', b'x', b'a', b'm', b'p', b'l', b'e', 3, b'c', b'o', b'm', 0, 0x00, 0x01,
        0x00, 0x01,
    ];

    /// An OPT record: root owner, type 41, payload 1232, extended RCODE 0, version 0, DO set, no
    /// options.
    const OPT: &[u8] = &[
        0, 0x00, 0x29, 0x04, 0xd0, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00,
    ];

    fn with_additional(additional_count: u8, tail: &[u8]) -> Vec<u8> {
        let mut bytes = QUERY.to_vec();
        bytes[11] = additional_count;
        bytes.extend_from_slice(tail);
        bytes
    }

    #[test]
    fn reads_question_and_edns() {
        let bytes = with_additional(1, OPT);
        let ParsedQuery::Query(query) = parse_query(&bytes) else {
            panic!("expected a query");
        };
        let question = query
            .question
            .as_ref()
            .map(|question| (question.name.to_string(), question.qtype, question.qclass));
        assert_eq!(
            question,
            Some(("www.example.com.".to_owned(), RecordType::A, 1))
        );
        assert_eq!(
            query.edns,
            Some(QueryEdns {
                udp_payload: 1232,
                version: 0,
                dnssec_ok: true
            })
        );
    }

    #[test]
    fn drops_short_messages_and_responses() {
        assert!(matches!(parse_query(&QUERY[..11]), ParsedQuery::Drop));
        let mut response = QUERY.to_vec();
        response[2] |= 0x80;
        assert!(matches!(parse_query(&response), ParsedQuery::Drop));
    }

    #[test]
    fn malformed_queries_keep_what_could_be_read() {
        let mut two_questions = QUERY.to_vec();
        two_questions[5] = 2;
        assert!(matches!(
            parse_query(&two_questions),
            ParsedQuery::Malformed { question: None, .. }
        ));

        let mut compressed = QUERY[..12].to_vec();
        compressed.extend_from_slice(&[0xC0, 0x0C, 0x00, 0x01, 0x00, 0x01]);
        assert!(matches!(
            parse_query(&compressed),
            ParsedQuery::Malformed { question: None, .. }
        ));

        let trailing = with_additional(0, &[0xFF]);
        assert!(matches!(
            parse_query(&trailing),
            ParsedQuery::Malformed {
                question: Some(_),
                ..
            }
        ));

        let two_opts = with_additional(2, &[OPT, OPT].concat());
        assert!(matches!(
            parse_query(&two_opts),
            ParsedQuery::Malformed {
                question: Some(_),
                ..
            }
        ));

        let mut opt_in_answer = with_additional(0, OPT);
        opt_in_answer[7] = 1;
        assert!(matches!(
            parse_query(&opt_in_answer),
            ParsedQuery::Malformed { .. }
        ));

        let mut huge_counts = QUERY.to_vec();
        huge_counts[6..12].copy_from_slice(&[0xFF; 6]);
        assert!(matches!(
            parse_query(&huge_counts),
            ParsedQuery::Malformed { .. }
        ));
    }
}
