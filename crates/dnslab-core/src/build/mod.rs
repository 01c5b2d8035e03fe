//! Building the queries a client sends: a [`QuerySpec`] (dig's choices) encoded by hickory-proto.
//!
//! `dnslab query` (and anything else that asks a real server) describes a query as a
//! [`QuerySpec`] and gets the wire bytes from [`encode_query`]. The message ID is part of the
//! spec because the core has no random number generator: the caller draws it (the CLI from the
//! operating system's random source).
//!
//! Whether a reply belongs to the query is [`crate::relay::check_reply_for_relay`]'s job (the
//! same test the bridge applies: a response with the query's ID and question).

use hickory_proto::op::{Edns, Message, MessageType, OpCode, Query};
use hickory_proto::rr::rdata::opt::{EdnsOption, NSIDPayload};
use hickory_proto::rr::{DNSClass, Name, RecordType};

/// The EDNS UDP payload size a query announces unless told otherwise: 1232 octets, the DNS Flag
/// Day 2020 value that dig 9.18 also sends.
pub const DEFAULT_EDNS_UDP_PAYLOAD: u16 = 1232;

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

#[cfg(test)]
mod tests {
    use super::*;

    /// The size of a DNS header (RFC 1035 section 4.1.1).
    const HEADER_LENGTH: usize = 12;

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
        assert_eq!(
            encode_query(&spec).ok().as_deref(),
            Some(HAND_WRITTEN_QUERY)
        );
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
}
