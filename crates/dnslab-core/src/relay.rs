//! The checks a DNS relay (dnslab-bridge) applies: which queries it may forward, which replies it may accept.
//!
//! The bridge forwards whatever a web page sends to a real DNS server, so it must not become a
//! tool for sending arbitrary bytes: only a well-formed standard query with exactly one question
//! goes out ([`check_query_for_relay`]). Because UDP replies can be spoofed or can be late answers
//! to an earlier query, a reply is accepted only if it is a response with the same ID and the same
//! question ([`check_reply_for_relay`]). Both functions only read bytes: the sockets, timers and
//! retries live in the bridge.

use hickory_proto::op::Message;
use hickory_proto::serialize::binary::{BinDecodable, BinDecoder};

use crate::dissect::Span;
use crate::dissect::HEADER_LENGTH;

/// The largest DNS message there can be: TCP's 2-byte length prefix cannot say more.
pub const MAX_DNS_MESSAGE_LENGTH: usize = 65535;

/// The longest domain name in wire format, length bytes and root label included (RFC 1035 §3.1).
const MAX_WIRE_NAME_LENGTH: usize = 255;

/// The longest label (RFC 1035 §2.3.4); lengths 64..=191 are reserved label types and 192.. are
/// compression pointers.
const MAX_LABEL_LENGTH: u8 = 63;

/// The opcode of a standard query (RFC 1035 §4.1.1).
const OPCODE_QUERY: u8 = 0;

/// A query that [`check_query_for_relay`] found safe to forward, with what is needed to match
/// its reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RelayableQuery {
    /// The message ID the reply must carry.
    pub id: u16,
    /// Where the question section (name, type, class) lies in the query; the reply must repeat
    /// these bytes (the name compared without regard to ASCII case).
    pub question_span: Span,
}

/// Why bytes from the page are not forwarded. The messages are shown to the user as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryRefusal {
    /// Fewer bytes than a DNS header.
    #[error("only {length} bytes: a DNS query starts with a 12-byte header")]
    ShorterThanHeader {
        /// How many bytes there were.
        length: usize,
    },
    /// More bytes than any DNS message can have.
    #[error(
        "{length} bytes is longer than the largest DNS message ({MAX_DNS_MESSAGE_LENGTH} bytes)"
    )]
    TooLong {
        /// How many bytes there were.
        length: usize,
    },
    /// The QR bit (offset 2, mask 0x80) says this is a response.
    #[error("this is a response (QR bit set at byte 2), not a query; only queries are forwarded")]
    IsResponse,
    /// The opcode (offset 2, mask 0x78) is not QUERY.
    #[error("opcode {opcode} at byte 2 is not QUERY (0); only standard queries are forwarded")]
    OpcodeNotQuery {
        /// The raw 4-bit opcode.
        opcode: u8,
    },
    /// QDCOUNT (offset 4) is not 1.
    #[error("the question count at byte 4 is {count}; a query must ask exactly one question")]
    QuestionCountNotOne {
        /// The raw QDCOUNT.
        count: u16,
    },
    /// The question name uses a compression pointer or a reserved label type, which a query has
    /// no reason to do.
    #[error(
        "the question name at byte {offset} uses a compression pointer or reserved label type"
    )]
    QuestionNameNotPlain {
        /// Offset of the offending length byte.
        offset: usize,
    },
    /// The question name is longer than 255 bytes or runs past the end of the message.
    #[error("the question name starting at byte {offset} is longer than 255 bytes or cut short")]
    QuestionNameMalformed {
        /// Offset where the name starts.
        offset: usize,
    },
    /// hickory-proto could not decode the message.
    #[error("not a valid DNS message (decoding stopped at byte {offset}): {reason}")]
    Malformed {
        /// How far decoding got.
        offset: usize,
        /// The decoder's reason in its own words.
        reason: String,
    },
    /// Bytes follow the last record.
    #[error("{count} extra bytes after the end of the message at byte {offset}")]
    TrailingBytes {
        /// Where the message ended.
        offset: usize,
        /// How many bytes follow.
        count: usize,
    },
}

/// Why a reply is not accepted as the answer to a relayed query. The relay ignores such a
/// datagram and keeps waiting, since it may be spoofed or belong to an earlier query.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplyMismatch {
    /// Fewer bytes than a DNS header.
    #[error("only {length} bytes: shorter than a DNS header")]
    ShorterThanHeader {
        /// How many bytes there were.
        length: usize,
    },
    /// The QR bit is clear.
    #[error("not a response (QR bit clear)")]
    NotAResponse,
    /// A different message ID.
    #[error("ID {found} instead of {expected}")]
    DifferentId {
        /// The query's ID.
        expected: u16,
        /// The reply's ID.
        found: u16,
    },
    /// QDCOUNT is not 1, so the question cannot be compared.
    #[error("question count {count} instead of 1")]
    QuestionCountNotOne {
        /// The reply's QDCOUNT.
        count: u16,
    },
    /// The question section differs from the query's.
    #[error("a different question")]
    DifferentQuestion,
}

/// What the relay needs to know about an accepted reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AcceptedReply {
    /// The TC bit: the answer did not fit and should be asked again over TCP.
    pub truncated: bool,
}

/// Decides whether `query` may be forwarded: at most 65535 bytes, a header, QR clear, opcode
/// QUERY, exactly one question with a plain (uncompressed) name, decodable by hickory-proto and
/// with nothing after the last record.
///
/// The header checks come before the full decode so that a junk QDCOUNT never makes the decoder
/// reserve room for thousands of questions.
pub fn check_query_for_relay(query: &[u8]) -> Result<RelayableQuery, QueryRefusal> {
    if query.len() > MAX_DNS_MESSAGE_LENGTH {
        return Err(QueryRefusal::TooLong {
            length: query.len(),
        });
    }
    let header = HeaderBytes::read(query).ok_or(QueryRefusal::ShorterThanHeader {
        length: query.len(),
    })?;
    if header.is_response() {
        return Err(QueryRefusal::IsResponse);
    }
    if header.opcode() != OPCODE_QUERY {
        return Err(QueryRefusal::OpcodeNotQuery {
            opcode: header.opcode(),
        });
    }
    if header.question_count() != 1 {
        return Err(QueryRefusal::QuestionCountNotOne {
            count: header.question_count(),
        });
    }
    let question_span = match question_section_span(query) {
        Ok(span) => span,
        Err(QuestionWalkError::NotPlain { offset }) => {
            return Err(QueryRefusal::QuestionNameNotPlain { offset })
        }
        Err(QuestionWalkError::Malformed) => {
            return Err(QueryRefusal::QuestionNameMalformed {
                offset: HEADER_LENGTH,
            })
        }
    };
    let mut decoder = BinDecoder::new(query);
    if let Err(error) = Message::read(&mut decoder) {
        return Err(QueryRefusal::Malformed {
            offset: decoder.index(),
            reason: error.to_string(),
        });
    }
    let end_of_message = decoder.index();
    if end_of_message < query.len() {
        return Err(QueryRefusal::TrailingBytes {
            offset: end_of_message,
            count: query.len() - end_of_message,
        });
    }
    Ok(RelayableQuery {
        id: header.id(),
        question_span,
    })
}

/// Decides whether `reply` answers the relayed `query` (the bytes that were sent, checked by
/// [`check_query_for_relay`] into `relayable`): a response with the same ID and the same
/// question, the name compared without regard to ASCII case (RFC 4343) since servers may echo
/// it in their own case, type and class compared exactly.
pub fn check_reply_for_relay(
    reply: &[u8],
    query: &[u8],
    relayable: &RelayableQuery,
) -> Result<AcceptedReply, ReplyMismatch> {
    let header = HeaderBytes::read(reply).ok_or(ReplyMismatch::ShorterThanHeader {
        length: reply.len(),
    })?;
    if !header.is_response() {
        return Err(ReplyMismatch::NotAResponse);
    }
    if header.id() != relayable.id {
        return Err(ReplyMismatch::DifferentId {
            expected: relayable.id,
            found: header.id(),
        });
    }
    if header.question_count() != 1 {
        return Err(ReplyMismatch::QuestionCountNotOne {
            count: header.question_count(),
        });
    }
    let query_question = query
        .get(relayable.question_span.offset..relayable.question_span.end())
        .ok_or(ReplyMismatch::DifferentQuestion)?;
    let reply_span = question_section_span(reply).map_err(|_| ReplyMismatch::DifferentQuestion)?;
    let reply_question = reply
        .get(reply_span.offset..reply_span.end())
        .ok_or(ReplyMismatch::DifferentQuestion)?;
    if !questions_equal(query_question, reply_question) {
        return Err(ReplyMismatch::DifferentQuestion);
    }
    Ok(AcceptedReply {
        truncated: header.is_truncated(),
    })
}

/// Compares two question sections (plain name, type, class).
///
/// The name part may be compared byte for byte ignoring ASCII case because label length bytes
/// are at most 63, below every ASCII letter, so case folding never changes a length byte. Type
/// and class are compared exactly: QTYPE 0x0041 is not QTYPE 0x0061.
fn questions_equal(query_question: &[u8], reply_question: &[u8]) -> bool {
    if query_question.len() != reply_question.len() || query_question.len() < 4 {
        return false;
    }
    let name_length = query_question.len() - 4;
    let (query_name, query_type_and_class) = query_question.split_at(name_length);
    let (reply_name, reply_type_and_class) = reply_question.split_at(name_length);
    query_name.eq_ignore_ascii_case(reply_name) && query_type_and_class == reply_type_and_class
}

/// Why the question section could not be delimited.
enum QuestionWalkError {
    /// A compression pointer or reserved label type at this offset.
    NotPlain { offset: usize },
    /// Too long or cut short.
    Malformed,
}

/// Finds the first question (plain name + 4 bytes of type and class) right after the header.
fn question_section_span(message: &[u8]) -> Result<Span, QuestionWalkError> {
    let mut offset = HEADER_LENGTH;
    loop {
        let length_byte = *message.get(offset).ok_or(QuestionWalkError::Malformed)?;
        if length_byte > MAX_LABEL_LENGTH {
            return Err(QuestionWalkError::NotPlain { offset });
        }
        offset += 1 + usize::from(length_byte);
        if offset - HEADER_LENGTH > MAX_WIRE_NAME_LENGTH {
            return Err(QuestionWalkError::Malformed);
        }
        if length_byte == 0 {
            break;
        }
    }
    let end = offset + 4;
    if end > message.len() {
        return Err(QuestionWalkError::Malformed);
    }
    Ok(Span::new(HEADER_LENGTH, end - HEADER_LENGTH))
}

/// The fixed 12-byte header, read without trusting anything after it.
struct HeaderBytes([u8; HEADER_LENGTH]);

impl HeaderBytes {
    fn read(message: &[u8]) -> Option<Self> {
        let header: [u8; HEADER_LENGTH] = message.get(..HEADER_LENGTH)?.try_into().ok()?;
        Some(Self(header))
    }

    fn id(&self) -> u16 {
        u16::from_be_bytes([self.0[0], self.0[1]])
    }

    fn is_response(&self) -> bool {
        self.0[2] & 0x80 != 0
    }

    fn opcode(&self) -> u8 {
        (self.0[2] >> 3) & 0x0f
    }

    fn is_truncated(&self) -> bool {
        self.0[2] & 0x02 != 0
    }

    fn question_count(&self) -> u16 {
        u16::from_be_bytes([self.0[4], self.0[5]])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A query for `example.com A` without EDNS, written out by hand from RFC 1035 §4.1: ID
    /// 0x1234, RD set, QDCOUNT 1, then 07 "example" 03 "com" 00, type 1, class 1.
    const EXAMPLE_COM_A_QUERY: &[u8] = &[
        0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, //
        7, b'e', b'x', b'a', b'm', b'p', b'l', b'e', 3, b'c', b'o', b'm', 0, //
        0x00, 0x01, 0x00, 0x01,
    ];

    fn reply_to(query: &[u8]) -> Vec<u8> {
        let mut reply = query.to_vec();
        reply[2] |= 0x80;
        reply
    }

    #[test]
    fn a_plain_query_is_relayable_and_its_question_span_covers_name_type_and_class() {
        let relayable = check_query_for_relay(EXAMPLE_COM_A_QUERY).expect("a valid query");
        assert_eq!(relayable.id, 0x1234);
        // 13 bytes of name + 2 type + 2 class.
        assert_eq!(relayable.question_span, Span::new(12, 17));
    }

    #[test]
    fn refusals_name_the_reason() {
        assert_eq!(
            check_query_for_relay(&EXAMPLE_COM_A_QUERY[..5]),
            Err(QueryRefusal::ShorterThanHeader { length: 5 })
        );
        assert_eq!(
            check_query_for_relay(&reply_to(EXAMPLE_COM_A_QUERY)),
            Err(QueryRefusal::IsResponse)
        );
        let mut notify = EXAMPLE_COM_A_QUERY.to_vec();
        notify[2] = 4 << 3;
        assert_eq!(
            check_query_for_relay(&notify),
            Err(QueryRefusal::OpcodeNotQuery { opcode: 4 })
        );
        let mut two_questions = EXAMPLE_COM_A_QUERY.to_vec();
        two_questions[5] = 2;
        two_questions.extend_from_slice(&EXAMPLE_COM_A_QUERY[12..]);
        assert_eq!(
            check_query_for_relay(&two_questions),
            Err(QueryRefusal::QuestionCountNotOne { count: 2 })
        );
        let mut trailing = EXAMPLE_COM_A_QUERY.to_vec();
        trailing.extend_from_slice(&[0xde, 0xad]);
        assert_eq!(
            check_query_for_relay(&trailing),
            Err(QueryRefusal::TrailingBytes {
                offset: 29,
                count: 2
            })
        );
        let oversize = vec![0u8; MAX_DNS_MESSAGE_LENGTH + 1];
        assert_eq!(
            check_query_for_relay(&oversize),
            Err(QueryRefusal::TooLong { length: 65536 })
        );
        let mut compressed = EXAMPLE_COM_A_QUERY[..12].to_vec();
        compressed.extend_from_slice(&[0xc0, 0x00, 0x00, 0x01, 0x00, 0x01]);
        assert_eq!(
            check_query_for_relay(&compressed),
            Err(QueryRefusal::QuestionNameNotPlain { offset: 12 })
        );
    }

    #[test]
    fn a_query_whose_answer_count_promises_records_that_are_missing_is_malformed() {
        let mut lying = EXAMPLE_COM_A_QUERY.to_vec();
        lying[7] = 3;
        assert!(matches!(
            check_query_for_relay(&lying),
            Err(QueryRefusal::Malformed { offset: 29, .. })
        ));
    }

    #[test]
    fn a_question_name_cut_short_is_refused_without_panicking() {
        for length in 12..EXAMPLE_COM_A_QUERY.len() {
            assert!(
                check_query_for_relay(&EXAMPLE_COM_A_QUERY[..length]).is_err(),
                "{length}"
            );
        }
    }

    #[test]
    fn a_reply_must_repeat_id_and_question_but_may_change_the_case_of_the_name() {
        let relayable = check_query_for_relay(EXAMPLE_COM_A_QUERY).expect("valid");
        let mut reply = reply_to(EXAMPLE_COM_A_QUERY);
        reply[13] = b'E';
        reply[2] |= 0x02;
        assert_eq!(
            check_reply_for_relay(&reply, EXAMPLE_COM_A_QUERY, &relayable),
            Ok(AcceptedReply { truncated: true })
        );

        let mut other_id = reply_to(EXAMPLE_COM_A_QUERY);
        other_id[1] = 0x35;
        assert_eq!(
            check_reply_for_relay(&other_id, EXAMPLE_COM_A_QUERY, &relayable),
            Err(ReplyMismatch::DifferentId {
                expected: 0x1234,
                found: 0x1235
            })
        );

        let mut other_name = reply_to(EXAMPLE_COM_A_QUERY);
        other_name[13] = b'f';
        assert_eq!(
            check_reply_for_relay(&other_name, EXAMPLE_COM_A_QUERY, &relayable),
            Err(ReplyMismatch::DifferentQuestion)
        );

        // Type 0x0041 vs 0x0061 differ only in the ASCII case bit: they must not match.
        let mut https_query = EXAMPLE_COM_A_QUERY.to_vec();
        https_query[25] = 0x00;
        https_query[26] = 0x41;
        let https_relayable = check_query_for_relay(&https_query).expect("valid");
        let mut type_0x61_reply = reply_to(&https_query);
        type_0x61_reply[26] = 0x61;
        assert_eq!(
            check_reply_for_relay(&type_0x61_reply, &https_query, &https_relayable),
            Err(ReplyMismatch::DifferentQuestion)
        );

        assert_eq!(
            check_reply_for_relay(EXAMPLE_COM_A_QUERY, EXAMPLE_COM_A_QUERY, &relayable),
            Err(ReplyMismatch::NotAResponse)
        );
        assert_eq!(
            check_reply_for_relay(&[0x12], EXAMPLE_COM_A_QUERY, &relayable),
            Err(ReplyMismatch::ShorterThanHeader { length: 1 })
        );
    }
}
