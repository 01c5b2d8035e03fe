//! Building queries a client sends, and checking that a reply belongs to the query it answers.
//!
//! `dnslab query` (and anything else that asks a real server) describes a query as a
//! [`QuerySpec`] and gets the wire bytes from [`encode_query`]; hickory-proto does the encoding.
//! The message ID is part of the spec because the core has no random number generator: the
//! caller draws it (the CLI from the operating system's random source).
//!
//! [`check_reply`] is the acceptance test a stub resolver applies to whatever arrives on its
//! socket (RFC 5452 section 4.3): a response (QR set) with the query's ID and the same question
//! (name compared without regard to case, RFC 4343; type; class). Anything else is not the answer,
//! however plausible it looks, and the client keeps waiting.

use hickory_proto::op::{Edns, Message, MessageType, OpCode, Query};
use hickory_proto::rr::rdata::opt::{EdnsOption, NSIDPayload};
use hickory_proto::rr::{DNSClass, Name, RecordType};

/// The EDNS UDP payload size a query announces unless told otherwise: 1232 octets, the DNS Flag
/// Day 2020 value that dig 9.18 also sends.
pub const DEFAULT_EDNS_UDP_PAYLOAD: u16 = 1232;

/// The size of a DNS header, the least a reply can be.
const HEADER_LENGTH: usize = 12;

/// Everything a client decides about one query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuerySpec {
    /// The name asked about (made absolute when encoded).
    pub name: Name,
    /// The type asked for.
    pub qtype: RecordType,
    /// The class asked for, normally IN.
    pub qclass: DNSClass,
    /// RD: ask the server to recurse (dig's default; `+norec` clears it).
    pub recursion_desired: bool,
    /// The DO bit of EDNS: ask for DNSSEC records (`+dnssec`). Needs EDNS; setting it without
    /// [`edns`](Self::edns) adds EDNS with the default payload size.
    pub dnssec_ok: bool,
    /// Ask for the server's NSID (RFC 5001, `+nsid`). Needs EDNS like `dnssec_ok`.
    pub nsid: bool,
    /// The EDNS UDP payload size to announce, or `None` to send no OPT record at all.
    pub edns: Option<u16>,
    /// The message ID.
    pub id: u16,
}

impl QuerySpec {
    /// A query for `name`/`qtype` in class IN with dig's defaults: RD set, EDNS with
    /// [`DEFAULT_EDNS_UDP_PAYLOAD`], no DO, no NSID.
    pub fn new(name: Name, qtype: RecordType, id: u16) -> Self {
        Self {
            name,
            qtype,
            qclass: DNSClass::IN,
            recursion_desired: true,
            dnssec_ok: false,
            nsid: false,
            edns: Some(DEFAULT_EDNS_UDP_PAYLOAD),
            id,
        }
    }

    /// The hickory message this spec describes.
    pub fn to_message(&self) -> Message {
        let mut message = Message::new(self.id, MessageType::Query, OpCode::Query);
        message.metadata.recursion_desired = self.recursion_desired;
        let mut name = self.name.clone();
        name.set_fqdn(true);
        let mut query = Query::query(name, self.qtype);
        query.set_query_class(self.qclass);
        message.add_query(query);
        let edns_payload = match self.edns {
            Some(payload) => Some(payload),
            None if self.dnssec_ok || self.nsid => Some(DEFAULT_EDNS_UDP_PAYLOAD),
            None => None,
        };
        if let Some(payload) = edns_payload {
            let mut edns = Edns::new();
            edns.set_max_payload(payload);
            edns.set_version(0);
            edns.set_dnssec_ok(self.dnssec_ok);
            if self.nsid {
                // An empty NSID option is the request (RFC 5001 section 2.1); an empty payload
                // is always within NSIDPayload's size limit.
                if let Ok(empty) = NSIDPayload::new(Vec::new()) {
                    edns.options_mut().insert(EdnsOption::NSID(empty));
                }
            }
            message.set_edns(edns);
        }
        message
    }
}

/// Why a query could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// hickory-proto refused to encode the message (e.g. a name too long for the wire).
    #[error("the query cannot be encoded: {0}")]
    Encode(String),
}

/// The wire bytes of the query `spec` describes (without TCP's length prefix).
pub fn encode_query(spec: &QuerySpec) -> Result<Vec<u8>, BuildError> {
    spec.to_message()
        .to_vec()
        .map_err(|error| BuildError::Encode(error.to_string()))
}

/// Why a received message is not the reply to a query.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplyMismatch {
    /// Fewer than 12 octets: not even a header.
    #[error("the reply has {length} octets, less than a DNS header (12)")]
    TooShort {
        /// How many octets arrived.
        length: usize,
    },
    /// QR is clear: a query, not a response.
    #[error("the message is a query (QR clear), not a response")]
    NotAResponse,
    /// The ID differs from the query's.
    #[error("the reply has ID {reply_id}, the query had {query_id}")]
    WrongId {
        /// The query's ID.
        query_id: u16,
        /// The reply's ID.
        reply_id: u16,
    },
    /// The question section differs from the query's (name, type or class), or could not be
    /// read at the given byte offset.
    #[error("the reply's question does not match the query's: {detail}")]
    WrongQuestion {
        /// What differs, in words.
        detail: String,
    },
    /// The query given to compare with is not a decodable message.
    #[error("the query itself cannot be decoded: {0}")]
    BadQuery(String),
}

/// Checks that `reply` answers `query`: a response with the query's ID and, when the reply
/// carries a question (a FORMERR may not), the same question.
///
/// The header is read directly so an undecodable reply with the right ID is still told apart
/// from a stray packet; the question is read with hickory-proto.
pub fn check_reply(query: &[u8], reply: &[u8]) -> Result<(), ReplyMismatch> {
    let Some(reply_header) = reply.get(..HEADER_LENGTH) else {
        return Err(ReplyMismatch::TooShort {
            length: reply.len(),
        });
    };
    let query_message =
        Message::from_vec(query).map_err(|error| ReplyMismatch::BadQuery(error.to_string()))?;
    let reply_id = u16::from_be_bytes([reply_header[0], reply_header[1]]);
    if reply_header[2] & 0x80 == 0 {
        return Err(ReplyMismatch::NotAResponse);
    }
    let query_id = query_message.metadata.id;
    if reply_id != query_id {
        return Err(ReplyMismatch::WrongId { query_id, reply_id });
    }
    let reply_question_count = u16::from_be_bytes([reply_header[4], reply_header[5]]);
    if reply_question_count == 0 {
        // FORMERR and NOTIMP responses may legitimately carry no question (RFC 1035 leaves it
        // to the server); the ID is all there is to match.
        return Ok(());
    }
    let reply_question = read_first_question(reply)?;
    let Some(query_question) = query_message.queries.first() else {
        return Err(ReplyMismatch::WrongQuestion {
            detail: "the query has no question but the reply has one".to_string(),
        });
    };
    if reply_question_count != 1 {
        return Err(ReplyMismatch::WrongQuestion {
            detail: format!("the reply has {reply_question_count} questions, the query had 1"),
        });
    }
    // `Name`'s equality ignores ASCII case, as RFC 4343 requires.
    if reply_question.name() != query_question.name() {
        return Err(ReplyMismatch::WrongQuestion {
            detail: format!(
                "name {} instead of {}",
                reply_question.name(),
                query_question.name()
            ),
        });
    }
    if reply_question.query_type() != query_question.query_type()
        || reply_question.query_class() != query_question.query_class()
    {
        return Err(ReplyMismatch::WrongQuestion {
            detail: format!(
                "{} {} instead of {} {}",
                reply_question.query_class(),
                reply_question.query_type(),
                query_question.query_class(),
                query_question.query_type()
            ),
        });
    }
    Ok(())
}

/// The first question of a message, read without decoding the rest (a reply whose answer
/// section hickory cannot read still has a question to compare).
fn read_first_question(message: &[u8]) -> Result<Query, ReplyMismatch> {
    use hickory_proto::serialize::binary::{BinDecodable, BinDecoder};
    let mut decoder = BinDecoder::new(message);
    // Skip the header: 12 octets, checked present by the caller.
    decoder
        .read_slice(HEADER_LENGTH)
        .map_err(|error| ReplyMismatch::WrongQuestion {
            detail: error.to_string(),
        })?;
    Query::read(&mut decoder).map_err(|error| ReplyMismatch::WrongQuestion {
        detail: format!(
            "unreadable at byte offset {}: {error}",
            decoder.index()
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example_name() -> Name {
        Name::from_ascii("www.example.com.").unwrap_or_else(|_| Name::root())
    }

    /// Hand-assembled bytes (RFC 1035 section 4.1) of the query dig sends for
    /// `dig +norec +noedns -q www.example.com -t A` with ID 0x1234.
    const HAND_WRITTEN_QUERY: &[u8] = &[
        0x12, 0x34, // ID
        0x00, 0x00, // QR=0 opcode=0 RD=0
        0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // QD=1, AN=NS=AR=0
        3, b'w', b'w', b'w', 7, b'e', b'x', b'a', b'm', b'p', b'l', b'e', 3, b'c', b'o', b'm', 0,
        0x00, 0x01, // QTYPE A
        0x00, 0x01, // QCLASS IN
    ];

    #[test]
    fn encodes_a_plain_query_byte_for_byte() {
        let mut spec = QuerySpec::new(example_name(), RecordType::A, 0x1234);
        spec.recursion_desired = false;
        spec.edns = None;
        assert_eq!(encode_query(&spec).ok().as_deref(), Some(HAND_WRITTEN_QUERY));
    }

    #[test]
    fn sets_rd_and_edns_flags_where_the_rfcs_put_them() {
        let mut spec = QuerySpec::new(example_name(), RecordType::MX, 7);
        spec.dnssec_ok = true;
        spec.nsid = true;
        spec.edns = Some(4096);
        let bytes = encode_query(&spec).unwrap_or_default();
        // RD is bit 0 of the third octet (RFC 1035 section 4.1.1).
        assert_eq!(bytes.get(2), Some(&0x01));
        // ARCOUNT 1: the OPT record.
        assert_eq!(bytes.get(10..12), Some(&[0, 1][..]));
        // The OPT record after the question: root name, TYPE 41, CLASS = payload size,
        // TTL = extended RCODE 0, version 0, DO bit (0x8000), then RDLENGTH 4 and the empty
        // NSID option (code 3, length 0), RFC 6891 section 6.1.2 and RFC 5001 section 2.1.
        let question_end = HEADER_LENGTH + 17 + 4;
        let expected_opt: &[u8] = &[
            0, 0x00, 41, 0x10, 0x00, 0, 0, 0x80, 0x00, 0x00, 4, 0x00, 3, 0x00, 0,
        ];
        assert_eq!(bytes.get(question_end..), Some(expected_opt));
    }

    #[test]
    fn dnssec_without_edns_still_sends_an_opt_record() {
        let mut spec = QuerySpec::new(example_name(), RecordType::A, 1);
        spec.edns = None;
        spec.dnssec_ok = true;
        let message = Message::from_vec(&encode_query(&spec).unwrap_or_default()).ok();
        let edns = message.as_ref().and_then(|message| message.edns.as_ref());
        assert_eq!(edns.map(Edns::max_payload), Some(DEFAULT_EDNS_UDP_PAYLOAD));
        assert_eq!(edns.map(|edns| edns.flags().dnssec_ok), Some(true));
    }

    fn reply_to(query: &[u8]) -> Vec<u8> {
        let mut reply = query.to_vec();
        if let Some(flags) = reply.get_mut(2) {
            *flags |= 0x80;
        }
        reply
    }

    #[test]
    fn accepts_the_matching_reply_even_with_other_case() {
        let mut reply = reply_to(HAND_WRITTEN_QUERY);
        // "WWW" instead of "www": RFC 4343 says that is the same name.
        for byte in reply.get_mut(13..16).into_iter().flatten() {
            byte.make_ascii_uppercase();
        }
        assert_eq!(check_reply(HAND_WRITTEN_QUERY, &reply), Ok(()));
    }

    #[test]
    fn rejects_wrong_id_query_flag_question_and_short_messages() {
        let mut wrong_id = reply_to(HAND_WRITTEN_QUERY);
        wrong_id[1] = 0x35;
        assert_eq!(
            check_reply(HAND_WRITTEN_QUERY, &wrong_id),
            Err(ReplyMismatch::WrongId {
                query_id: 0x1234,
                reply_id: 0x1235
            })
        );
        assert_eq!(
            check_reply(HAND_WRITTEN_QUERY, HAND_WRITTEN_QUERY),
            Err(ReplyMismatch::NotAResponse)
        );
        let mut wrong_type = reply_to(HAND_WRITTEN_QUERY);
        let type_offset = HAND_WRITTEN_QUERY.len() - 3;
        wrong_type[type_offset] = 28;
        assert!(matches!(
            check_reply(HAND_WRITTEN_QUERY, &wrong_type),
            Err(ReplyMismatch::WrongQuestion { .. })
        ));
        let mut wrong_name = reply_to(HAND_WRITTEN_QUERY);
        wrong_name[13] = b'x';
        assert!(matches!(
            check_reply(HAND_WRITTEN_QUERY, &wrong_name),
            Err(ReplyMismatch::WrongQuestion { .. })
        ));
        assert_eq!(
            check_reply(HAND_WRITTEN_QUERY, &[0x12, 0x34, 0x80]),
            Err(ReplyMismatch::TooShort { length: 3 })
        );
    }

    #[test]
    fn a_reply_without_question_matches_on_id_and_a_truncated_question_does_not() {
        let mut formerr = reply_to(HAND_WRITTEN_QUERY);
        formerr.truncate(HEADER_LENGTH);
        formerr[5] = 0;
        assert_eq!(check_reply(HAND_WRITTEN_QUERY, &formerr), Ok(()));
        let mut cut = reply_to(HAND_WRITTEN_QUERY);
        cut.truncate(HEADER_LENGTH + 5);
        assert!(matches!(
            check_reply(HAND_WRITTEN_QUERY, &cut),
            Err(ReplyMismatch::WrongQuestion { .. })
        ));
    }
}
