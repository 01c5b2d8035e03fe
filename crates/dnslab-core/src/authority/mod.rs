//! Authoritative answers: DNS query bytes in, response bytes out, as a real authoritative server (Knot DNS) would send them.
//!
//! This is the server half of dnslab with no I/O: `dnslab serve` wraps [`answer`] in UDP and TCP
//! sockets, the built-in mini-internet and the simulated resolver call it for every step, and the
//! differential tests hold it to Knot DNS 3.2's answers, section by section.
//!
//! What happens to a query, in order (Knot's `process_query.c`):
//! 1. Shorter than a header, or a response (QR set): dropped, `None`.
//! 2. Malformed after the header: FORMERR with the header and, if readable, the question.
//! 3. EDNS: the response echoes an OPT record with our UDP payload size ([`SERVER_UDP_PAYLOAD`])
//!    and the DO bit; an EDNS version other than 0 gets BADVERS (RFC 6891 section 6.1.3).
//! 4. No question: FORMERR. Class CH: REFUSED (no `version.bind` here). Classes other than IN and
//!    ANY: REFUSED. Opcodes other than QUERY, and QTYPE 0: NOTIMP. Zone transfers are not
//!    offered: AXFR over UDP is NOTIMP, AXFR over TCP and IXFR are NOTAUTH (Knot's answers when
//!    no transfer is allowed).
//! 5. The zone owning the name (longest match; for DS the parent side of a zone cut): none means
//!    REFUSED with the RFC 8914 extended error 20 "Not Authoritative" when the query has EDNS.
//! 6. The RFC 1034 section 4.3.2 algorithm (see `answer.rs`): answers, CNAME chains inside the
//!    zone, RFC 6672 DNAME substitution, wildcards, NXDOMAIN/NODATA with the SOA, referrals with
//!    glue, additional addresses.
//! 7. Over UDP the response must fit the client's size (512 octets without EDNS, else the smaller
//!    of the client's and our payload size): required data that does not fit is left out whole and
//!    TC is set, so the client retries over TCP; over TCP the limit is 65535 octets.
//!
//! ```
//! use dnslab_core::authority::{answer_message, Transport};
//! use dnslab_core::zone::{parse_zone, ZoneSet};
//! use hickory_proto::op::{Message, MessageType, OpCode, Query};
//! use hickory_proto::rr::{Name, RecordType};
//!
//! let text = "$ORIGIN example.\n$TTL 3600\n@ SOA ns hostmaster 1 7200 3600 1209600 300\n  NS ns\nns A 192.0.2.53\n";
//! let zones: ZoneSet = [parse_zone(text, None).expect("a valid zone")].into_iter().collect();
//!
//! let mut query = Message::new(7, MessageType::Query, OpCode::Query);
//! query.add_query(Query::query(Name::from_ascii("NS.example.").expect("a name"), RecordType::A));
//! let response = answer_message(&zones, &query, Transport::Udp).expect("a response");
//! assert!(response.metadata.authoritative);
//! assert_eq!(response.answers[0].name.to_string(), "NS.example.");
//! // The same as bytes: `dnslab_core::authority::answer(&zones, &query_bytes, Transport::Udp)`.
//! ```
//!
//! The header copies ID, opcode and RD from the query; RA, AD, CD and Z are clear (Knot clears CD
//! in authoritative responses, RFC 4035 section 3.1.6 allows it). The question is returned as the
//! client wrote it, case included (RFC 4343 section 4.1), and so is the owner name of the first
//! answer.

mod answer;
mod request;
#[cfg(test)]
mod tests;
mod writer;

use hickory_proto::op::{Edns, Message, Query};
use hickory_proto::rr::rdata::opt::EdnsOption;
use hickory_proto::rr::{DNSClass, Name, RecordType};

use crate::zone::{LookupName, Zone, ZoneSet};
use answer::{Search, State};
use request::{ParsedQuery, Question, HEADER_LENGTH};
use writer::{ResponseWriter, OPT_LENGTH_WITHOUT_OPTIONS};

/// The UDP payload size this server announces in its OPT record and accepts at most: 1232 octets,
/// the DNS Flag Day 2020 value that avoids IP fragmentation on practically every path.
pub const SERVER_UDP_PAYLOAD: u16 = 1232;

/// The UDP message size without EDNS (RFC 1035 section 4.2.1).
pub const CLASSIC_UDP_PAYLOAD: u16 = 512;

/// The largest DNS message, the TCP limit (RFC 1035 section 4.2.2's two-octet length).
pub const MAXIMUM_MESSAGE_SIZE: usize = 65_535;

/// How the query arrived; it decides the response size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Transport {
    /// UDP: the response must fit the client's payload size, or it is truncated with TC set.
    Udp,
    /// TCP: up to 65535 octets. The bytes here never include TCP's two-octet length prefix;
    /// the caller adds and strips it.
    Tcp,
}

/// What kind of response the server gave, for explanations and logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub enum AnswerKind {
    /// Authoritative data for the question, possibly after CNAMEs and DNAMEs (or just those,
    /// leading out of the zone).
    Answer,
    /// The name exists but has no data of the asked type (NOERROR, empty answer, SOA in
    /// authority; RFC 2308 section 2.2).
    NoData,
    /// The name does not exist (NXDOMAIN, SOA in authority; RFC 2308 section 2.1).
    NameError,
    /// The name is in a delegated child zone: NS records in authority, glue in additional, AA
    /// clear (unless CNAMEs led there from authoritative data).
    Referral,
    /// A DNAME would rewrite the name into one longer than 255 octets: YXDOMAIN with the DNAME
    /// and no CNAME (RFC 6672 section 2.2).
    NameTooLong,
    /// Required data did not fit into the UDP message: TC is set.
    Truncated,
    /// No loaded zone holds the name (or the class is not served): REFUSED.
    Refused,
    /// The query was malformed: FORMERR.
    FormatError,
    /// The opcode is not QUERY, or the query is a zone transfer over UDP: NOTIMP.
    NotImplemented,
    /// A zone transfer over TCP: NOTAUTH, dnslab offers none.
    NotAuthorized,
    /// The EDNS version is not 0: BADVERS.
    BadVersion,
    /// The answer does not fit even a TCP message: SERVFAIL, as Knot answers.
    ServerFailure,
}

/// A response with what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The response message bytes (no TCP length prefix).
    pub wire: Vec<u8>,
    /// What kind of answer this is.
    pub kind: AnswerKind,
    /// The origin of the zone that answered, when one did.
    pub zone: Option<Name>,
}

impl Response {
    /// Decodes the response with hickory-proto, e.g. to inspect sections in tests or in the
    /// resolver.
    pub fn message(&self) -> Result<Message, hickory_proto::serialize::binary::DecodeError> {
        Message::from_vec(&self.wire)
    }
}

/// Answers a query: bytes in, bytes out. `None` means the query must be dropped (too short to
/// have a header, or not a query at all).
pub fn answer(zones: &ZoneSet, query: &[u8], transport: Transport) -> Option<Vec<u8>> {
    respond(zones, query, transport).map(|response| response.wire)
}

/// Answers a query and says what kind of answer it is.
pub fn respond(zones: &ZoneSet, query: &[u8], transport: Transport) -> Option<Response> {
    match request::parse_query(query) {
        ParsedQuery::Drop => None,
        ParsedQuery::Malformed { header, question } => Some(error_response(
            header,
            question.as_ref(),
            None,
            RCODE_FORMERR,
            AnswerKind::FormatError,
        )),
        ParsedQuery::Query(query) => Some(respond_to_query(zones, &query, transport)),
    }
}

/// The typed form of [`answer`]: a hickory [`Message`] in, the decoded response out. The response
/// is produced as bytes exactly like [`answer`] does (so truncation is real) and decoded again.
/// `None` when the query would be dropped or cannot be encoded.
pub fn answer_message(zones: &ZoneSet, query: &Message, transport: Transport) -> Option<Message> {
    let bytes = query.to_vec().ok()?;
    respond(zones, &bytes, transport)?.message().ok()
}

const RCODE_NOERROR: u16 = 0;
const RCODE_FORMERR: u16 = 1;
const RCODE_SERVFAIL: u16 = 2;
const RCODE_NXDOMAIN: u16 = 3;
const RCODE_NOTIMP: u16 = 4;
const RCODE_REFUSED: u16 = 5;
const RCODE_YXDOMAIN: u16 = 6;
const RCODE_NOTAUTH: u16 = 9;
const RCODE_BADVERS: u16 = 16;

const OPCODE_QUERY: u8 = 0;
const CLASS_IN: u16 = 1;
const CLASS_CH: u16 = 3;
const CLASS_ANY: u16 = 255;

/// RFC 8914 Extended DNS Errors: the option code and the "Not Authoritative" info code.
const EDNS_OPTION_EXTENDED_ERROR: u16 = 15;
const EXTENDED_ERROR_NOT_AUTHORITATIVE: u16 = 20;

fn respond_to_query(zones: &ZoneSet, query: &request::Query<'_>, transport: Transport) -> Response {
    let edns = query.edns.map(|query_edns| {
        let mut edns = Edns::new();
        edns.set_max_payload(SERVER_UDP_PAYLOAD);
        edns.set_version(0);
        edns.set_dnssec_ok(query_edns.dnssec_ok);
        edns
    });
    let question = query.question.as_ref();
    if query.edns.is_some_and(|query_edns| query_edns.version != 0) {
        return error_response(
            query.header,
            question,
            edns,
            RCODE_BADVERS,
            AnswerKind::BadVersion,
        );
    }
    let Some(question) = question else {
        return error_response(
            query.header,
            None,
            edns,
            RCODE_FORMERR,
            AnswerKind::FormatError,
        );
    };
    let refuse = |edns| {
        error_response(
            query.header,
            Some(question),
            edns,
            RCODE_REFUSED,
            AnswerKind::Refused,
        )
    };
    let not_implemented = |edns| {
        error_response(
            query.header,
            Some(question),
            edns,
            RCODE_NOTIMP,
            AnswerKind::NotImplemented,
        )
    };
    match question.qclass {
        CLASS_IN | CLASS_ANY => {}
        CLASS_CH if query.opcode() != OPCODE_QUERY || !is_ordinary_query_type(question.qtype) => {
            return not_implemented(edns)
        }
        _ => return refuse(edns),
    }
    if query.opcode() != OPCODE_QUERY || question.qtype == RecordType::ZERO {
        return not_implemented(edns);
    }
    match (question.qtype, transport) {
        (RecordType::AXFR, Transport::Udp) => return not_implemented(edns),
        (RecordType::AXFR | RecordType::IXFR, _) => {
            return error_response(
                query.header,
                Some(question),
                edns,
                RCODE_NOTAUTH,
                AnswerKind::NotAuthorized,
            )
        }
        _ => {}
    }
    let Some(qname_key) = LookupName::new(&question.name) else {
        return refuse(edns);
    };
    let Some(zone) = zone_for(zones, &qname_key, question.qtype) else {
        let edns = edns.map(|mut edns| {
            edns.options_mut().insert(EdnsOption::Unknown(
                EDNS_OPTION_EXTENDED_ERROR,
                EXTENDED_ERROR_NOT_AUTHORITATIVE.to_be_bytes().to_vec(),
            ));
            edns
        });
        return refuse(edns);
    };

    let maximum_size = match (transport, query.edns) {
        (Transport::Tcp, _) => MAXIMUM_MESSAGE_SIZE,
        (Transport::Udp, None) => usize::from(CLASSIC_UDP_PAYLOAD),
        (Transport::Udp, Some(query_edns)) => usize::from(
            query_edns
                .udp_payload
                .clamp(CLASSIC_UDP_PAYLOAD, SERVER_UDP_PAYLOAD),
        ),
    };
    let reserve = edns.as_ref().map_or(0, opt_length);
    let hickory_question = hickory_query(question);
    let mut wire = Vec::with_capacity(512);
    let mut writer = ResponseWriter::new(&mut wire, Some(&hickory_question), maximum_size, reserve);
    let outcome = Search::new(
        zone,
        &question.name,
        qname_key,
        question.qtype,
        &mut writer,
        transport == Transport::Udp,
    )
    .run();
    if outcome.state == State::Failed {
        return error_response(
            query.header,
            Some(question),
            edns,
            RCODE_SERVFAIL,
            AnswerKind::ServerFailure,
        );
    }
    let rcode = if outcome.name_error {
        RCODE_NXDOMAIN
    } else if outcome.name_too_long {
        RCODE_YXDOMAIN
    } else {
        RCODE_NOERROR
    };
    let kind = if writer.is_truncated() {
        AnswerKind::Truncated
    } else {
        match outcome.state {
            State::Miss => AnswerKind::NameError,
            _ if outcome.name_too_long => AnswerKind::NameTooLong,
            State::NoData => AnswerKind::NoData,
            State::Delegation => AnswerKind::Referral,
            _ => AnswerKind::Answer,
        }
    };
    let header = response_header(query.header, true, outcome.authoritative, rcode);
    writer.finish(header, edns.as_ref());
    Response {
        wire,
        kind,
        zone: Some(zone.origin().clone()),
    }
}

/// True for query types answered by a lookup: not QTYPE 0 (reserved) and not a zone transfer
/// (Knot's `KNOTD_QUERY_TYPE_NORMAL`).
fn is_ordinary_query_type(qtype: RecordType) -> bool {
    !matches!(
        qtype,
        RecordType::ZERO | RecordType::AXFR | RecordType::IXFR
    )
}

/// The zone that answers: the longest match, except that a DS query is answered by the zone
/// above the name, since DS records live on the parent side of a zone cut (RFC 4035 section
/// 3.1.4.1), when that zone is loaded too.
fn zone_for<'z>(zones: &'z ZoneSet, name: &LookupName, qtype: RecordType) -> Option<&'z Zone> {
    if qtype == RecordType::DS && name.label_count() > 0 {
        if let Some(parent_side) = zones.find_by_key(name, 1) {
            return Some(parent_side);
        }
    }
    zones.find_by_key(name, 0)
}

/// The encoded size of an OPT record: 11 octets plus 4 per option and the options' data.
fn opt_length(edns: &Edns) -> usize {
    OPT_LENGTH_WITHOUT_OPTIONS
        + edns
            .options()
            .as_ref()
            .iter()
            .map(|(_, option)| 4 + usize::from(option.len()))
            .sum::<usize>()
}

fn hickory_query(question: &Question<'_>) -> Query {
    let mut query = Query::query(question.name.clone(), question.qtype);
    query.set_query_class(DNSClass::from(question.qclass));
    query
}

/// The response header (counts are filled in later): ID, opcode and RD from the query; QR set;
/// AA as given; TC, Z, AD, CD and RA clear; the low four bits of the RCODE.
fn response_header(
    query_header: [u8; HEADER_LENGTH],
    has_question: bool,
    authoritative: bool,
    rcode: u16,
) -> [u8; HEADER_LENGTH] {
    let mut header = [0u8; HEADER_LENGTH];
    header[0] = query_header[0];
    header[1] = query_header[1];
    header[2] = 0x80 | (query_header[2] & 0x79) | if authoritative { 0x04 } else { 0 };
    header[3] = (rcode & 0x0F) as u8;
    header[5] = u8::from(has_question);
    header
}

/// A response with only the header, the question (when readable) and the OPT record (when the
/// query had one and EDNS was processed), like Knot's `process_query_err`.
fn error_response(
    query_header: [u8; HEADER_LENGTH],
    question: Option<&Question<'_>>,
    edns: Option<Edns>,
    rcode: u16,
    kind: AnswerKind,
) -> Response {
    let (rcode, edns) = match edns {
        Some(mut edns) => {
            edns.set_rcode_high(((rcode >> 4) & 0xFF) as u8);
            (rcode, Some(edns))
        }
        // An extended RCODE cannot be sent without OPT; Knot falls back to SERVFAIL.
        None if rcode > 0x0F => (RCODE_SERVFAIL, None),
        None => (rcode, None),
    };
    let hickory_question = question.map(hickory_query);
    let reserve = edns.as_ref().map_or(0, opt_length);
    let mut wire = Vec::with_capacity(64);
    let writer = ResponseWriter::new(
        &mut wire,
        hickory_question.as_ref(),
        MAXIMUM_MESSAGE_SIZE,
        reserve,
    );
    writer.finish(
        response_header(query_header, question.is_some(), false, rcode),
        edns.as_ref(),
    );
    Response {
        wire,
        kind,
        zone: None,
    }
}
