//! The built-in servers' answers to a built query: which servers there are, which one a name
//! goes to, the answer one of them gives and what it means in plain words.
//!
//! Answers come from [`World::exchange_with_server`] over UDP, exactly as the simulated resolver
//! gets them, and [`answer_like_serve`] gives the bytes `dnslab serve` sends (one server for
//! every built-in zone, [`World::answer_as_serve`]). What an answer means is the resolver's own
//! reading of it (`resolver::interpret_response`), told in sentences.

use std::rc::Rc;

use hickory_proto::op::{Message, ResponseCode};
use hickory_proto::rr::{DNSClass, Name, RData, Record, RecordType};
use serde::Serialize;

use crate::authority::Transport;
use crate::dissect::dissect;
use crate::page::{dns_message_view, MessageView};
use crate::resolver::{interpret_response, AskedQuestion, Effect, ResolverConfig, StepMeaning};
use crate::world::{apex_name_servers, Exchange, ServerBehaviour, SimulatedServer, World};

use super::parse_query_name;

/// The size of a DNS header (RFC 1035 section 4.1.1).
const HEADER_LENGTH: usize = 12;

/// One built-in server, for the Build tab's server picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerChoice {
    /// Its index in [`World::servers`], what [`answer_builtin`] takes.
    pub index: usize,
    /// Its host name, `a.root-servers.net.`.
    pub name: String,
    /// Its first address (IPv4 before IPv6), empty for a server with none.
    pub address: String,
    /// The origins of the zones it serves, `["."; "root-servers.net."]`.
    pub zones: Vec<String>,
}

/// A built-in server's answer to a query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuiltinAnswer {
    /// The response's wire bytes.
    pub bytes: Rc<Vec<u8>>,
    /// Its tree, hex pane and diagnostics, as Decode shows a message.
    pub view: MessageView,
    /// The server's host name.
    pub server: String,
    /// What the answer means.
    pub meaning: AnswerMeaning,
}

/// What an answer means, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerMeaning {
    /// `answer`, `referral`, `cname`, `nxdomain`, `nodata`, `refused`, `servfail` or `other`
    /// (truncation, FORMERR, NOTIMP, NOTAUTH, BADVERS, unusable responses).
    pub kind: &'static str,
    /// One sentence: `Authoritative answer: 2 records.`, `Referral to com.: ask
    /// a.gtld-servers.net. and 1 other (glue given for 2).`
    pub headline: String,
    /// One sentence per header flag set in the response (QR, AA, TC, RD, RA, Z, AD, CD), then the
    /// OPT record's DO bit.
    pub flags: Vec<String>,
}

/// Every built-in server, one entry each: the root servers first, then the servers of
/// top-level domains, then the rest, each group in the world's order. A server counts as a root
/// (TLD) server when it serves the root (a TLD) and that zone's apex NS records name it.
pub fn server_choices(world: &World) -> Vec<ServerChoice> {
    let mut ranked: Vec<(usize, ServerChoice)> = world
        .servers()
        .iter()
        .enumerate()
        .map(|(index, server)| {
            (
                server_rank(server),
                ServerChoice {
                    index,
                    name: super::name_text(&server.name, false),
                    address: server
                        .addresses
                        .first()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                    zones: server
                        .zones()
                        .zones()
                        .map(|zone| super::name_text(zone.origin(), false))
                        .collect(),
                },
            )
        })
        .collect();
    crate::sort::sort_by_key(&mut ranked, |(rank, choice)| (*rank, choice.index));
    ranked.into_iter().map(|(_, choice)| choice).collect()
}

/// 0 for a root server, 1 for a TLD server, 2 for the rest.
fn server_rank(server: &SimulatedServer) -> usize {
    server
        .zones()
        .zones()
        .filter(|zone| apex_name_servers(zone).contains(&server.name))
        .map(|zone| zone.origin().num_labels())
        .map(usize::from)
        .min()
        .unwrap_or(2)
        .min(2)
}

/// The server `name` goes to: one that serves the closest enclosing zone of the name among all
/// built-in zones (the zone `dnslab serve`'s longest match answers from), preferring servers that
/// answer from their zones over failing ones, then those the zone's NS records list, then the
/// world's order. `None` for a name that does not read or that no server's zone holds.
pub fn default_server(world: &World, name: &str) -> Option<usize> {
    let name = parse_query_name(name).ok()?;
    let zone = world.serve_zones().find(&name)?;
    let listed = apex_name_servers(zone);
    world
        .servers()
        .iter()
        .enumerate()
        .filter(|(_, server)| server.zones().get(zone.origin()).is_some())
        .min_by_key(|(index, server)| {
            (
                server.behaviour != ServerBehaviour::Authoritative,
                !listed.contains(&server.name),
                *index,
            )
        })
        .map(|(index, _)| index)
}

/// The bytes `dnslab serve` (with no zone file: the built-in zones) sends back over UDP for
/// `query`, `None` when it sends nothing. This is what `window.dnslab.answer(hex)` returns.
pub fn answer_like_serve(world: &World, query: &[u8]) -> Option<Vec<u8>> {
    world.answer_as_serve(query, Transport::Udp)
}

/// Sends `query` to the built-in server at `server_index` (a [`ServerChoice::index`]) over UDP,
/// as [`World::exchange`] does, and says what the answer means. The error says in plain words
/// why nothing came back.
pub fn answer_builtin(
    world: &World,
    server_index: usize,
    query: &[u8],
) -> Result<BuiltinAnswer, String> {
    let server = world
        .servers()
        .get(server_index)
        .ok_or_else(|| format!("There is no built-in server number {server_index}."))?;
    let name = super::name_text(&server.name, false);
    let bytes = match world.exchange_with_server(server_index, query, Transport::Udp) {
        Exchange::Response(bytes) => bytes,
        Exchange::Timeout => return Err(silence_reason(&name, query)),
    };
    let address = server
        .addresses
        .first()
        .map(|address| format!(" ({address})"))
        .unwrap_or_default();
    let view = dns_message_view(
        &bytes,
        format!(
            "Answer from {name}{address} over UDP: DNS, {} bytes",
            bytes.len()
        ),
    );
    let meaning = meaning(server, query, &bytes);
    Ok(BuiltinAnswer {
        bytes: Rc::new(bytes),
        view,
        server: name,
        meaning,
    })
}

/// Why a server sent nothing back (it drops what is not a query, as real servers do).
fn silence_reason(server: &str, query: &[u8]) -> String {
    let why = if query.len() < HEADER_LENGTH {
        format!(
            "the message is {} octets, shorter than a DNS header (12 octets), so the server drops it",
            query.len()
        )
    } else if query.get(2).is_some_and(|flags| flags & 0x80 != 0) {
        "the message has QR=1: it is a response, and servers drop responses they did not ask for"
            .to_owned()
    } else {
        "the server drops what it cannot read as a query".to_owned()
    };
    format!("No answer from {server} (a timeout): {why}.")
}

/// What the response means to a resolver that sent `query` to `server`.
fn meaning(server: &SimulatedServer, query: &[u8], response: &[u8]) -> AnswerMeaning {
    let flags = flag_sentences(response);
    let rcode = Message::from_vec(response)
        .ok()
        .map(|message| message.metadata.response_code);
    let asked = Message::from_vec(query)
        .ok()
        .and_then(|message| Some((message.metadata.id, message.queries.first()?.clone())));
    let Some((query_id, question)) = asked else {
        let (kind, headline) = rcode_meaning(rcode, None);
        return AnswerMeaning {
            kind,
            headline,
            flags,
        };
    };
    let bailiwick = server
        .zones()
        .find(question.name())
        .map_or_else(Name::root, |zone| zone.origin().clone());
    let (kind, headline) = explain(response, query_id, &question, &bailiwick, rcode);
    AnswerMeaning {
        kind,
        headline,
        flags,
    }
}

/// What a response from a real server means (one that came through the bridge), given the
/// `query` that was sent (empty when it is not known: the response's own ID and question are
/// then taken as the query's). Every zone counts as within the server's bailiwick, and an answer
/// without AA (a recursive resolver's) still counts as an answer, a negative one as NXDOMAIN or
/// NODATA. A response that does not match the query (another ID or question) is `other`.
pub fn describe_response(query: &[u8], response: &[u8]) -> AnswerMeaning {
    let flags = flag_sentences(response);
    let message = match Message::from_vec(response) {
        Ok(message) => message,
        Err(error) => {
            return AnswerMeaning {
                kind: "other",
                headline: format!("The response does not decode: {error}."),
                flags,
            }
        }
    };
    let rcode = Some(message.metadata.response_code);
    let asked = Message::from_vec(query)
        .ok()
        .and_then(|query| Some((query.metadata.id, query.queries.first()?.clone())))
        .or_else(|| Some((message.metadata.id, message.queries.first()?.clone())));
    let Some((query_id, question)) = asked else {
        let (kind, headline) = rcode_meaning(rcode, None);
        return AnswerMeaning {
            kind,
            headline,
            flags,
        };
    };
    let (mut kind, mut headline) = explain(response, query_id, &question, &Name::root(), rcode);
    if kind == "other"
        && !message.metadata.authoritative
        && message.metadata.response_code == ResponseCode::NoError
    {
        if let Some((resolver_kind, resolver_headline)) = resolver_meaning(&message, &question) {
            kind = resolver_kind;
            headline = resolver_headline;
        }
    }
    AnswerMeaning {
        kind,
        headline,
        flags,
    }
}

/// A recursive resolver's NOERROR response (AA clear): its answer records after the CNAME chain
/// from the question's name, or NODATA when it has none and an SOA in the authority section.
fn resolver_meaning(
    message: &Message,
    question: &hickory_proto::op::Query,
) -> Option<(&'static str, String)> {
    let mut owner = question.name().clone();
    let mut chain = 0usize;
    let limit = ResolverConfig::default().maximum_cname_chain;
    loop {
        let records = message
            .answers
            .iter()
            .filter(|record| record.name == owner && record.record_type() == question.query_type())
            .count();
        if records > 0 {
            let mut headline = format!("Answer: {}", count(records, "record"));
            if chain > 0 {
                headline.push_str(&format!(", reached through {}", count(chain, "CNAME")));
            }
            headline.push_str("; not authoritative (AA=0): a resolver's answer, from its cache or its own queries.");
            return Some(("answer", headline));
        }
        let target = message
            .answers
            .iter()
            .find_map(|record| match &record.data {
                RData::CNAME(target) if record.name == owner => Some(target.0.clone()),
                _ => None,
            });
        match target {
            Some(target) if chain < limit && question.query_type() != RecordType::CNAME => {
                owner = target;
                chain += 1;
            }
            _ => break,
        }
    }
    let soa = message
        .authorities
        .iter()
        .find(|record| record.record_type() == RecordType::SOA);
    if let Some(soa) = soa {
        return Some((
            "nodata",
            format!(
                "NODATA: {} exists but has no {} records; {}",
                super::name_text(&owner, false),
                super::type_word(question.query_type()),
                negative_caching(Some(soa))
            ),
        ));
    }
    (chain > 0).then(|| {
        (
            "cname",
            format!(
                "CNAME: {} is an alias of {}, and the response stops there.",
                super::name_text(question.name(), false),
                super::name_text(&owner, false)
            ),
        )
    })
}

/// The kind and headline of `response` to a query with `query_id` and `question`, read as the
/// resolver reads it when it asked a server for `bailiwick`.
fn explain(
    response: &[u8],
    query_id: u16,
    question: &hickory_proto::op::Query,
    bailiwick: &Name,
    rcode: Option<ResponseCode>,
) -> (&'static str, String) {
    let qname = question.name().clone();
    let asked = AskedQuestion {
        query_id,
        name: &qname,
        qtype: question.query_type(),
        zone: bailiwick,
        transport: Transport::Udp,
        maximum_cname_chain: ResolverConfig::default().maximum_cname_chain,
    };
    let (step, effect) = interpret_response(response, &asked);
    let name_text = super::name_text(&qname, false);
    let type_text = super::type_word(question.query_type());
    match (step, effect) {
        (
            StepMeaning::Answer {
                records,
                cname_chain,
            },
            _,
        ) => {
            let mut headline = format!("Authoritative answer: {}", count(records, "record"));
            if cname_chain > 0 {
                headline.push_str(&format!(
                    ", reached through {}",
                    count(cname_chain, "CNAME")
                ));
            }
            headline.push('.');
            ("answer", headline)
        }
        (
            StepMeaning::Referral {
                zone,
                name_servers,
                with_glue,
            },
            _,
        ) => {
            let first = name_servers.first().cloned().unwrap_or_default();
            let others = match name_servers.len().saturating_sub(1) {
                0 => String::new(),
                1 => " and 1 other".to_owned(),
                more => format!(" and {more} others"),
            };
            let glue = if with_glue == 0 {
                "no glue: their addresses must be looked up first".to_owned()
            } else {
                format!("glue given for {with_glue}")
            };
            (
                "referral",
                format!("Referral to {zone}: ask {first}{others} ({glue})."),
            )
        }
        (StepMeaning::Cname { target }, _) => (
            "cname",
            format!(
                "CNAME: {name_text} is an alias of {target}, which this server has no data for; a resolver asks again for the alias's target."
            ),
        ),
        (StepMeaning::NxDomain, Effect::NxDomain { chain, soa }) => {
            let subject = match chain.last().and_then(cname_target) {
                Some(target) => format!("{target} (the CNAME's target) does not exist"),
                None => "no such name".to_owned(),
            };
            (
                "nxdomain",
                format!("NXDOMAIN: {subject}; {}", negative_caching(soa.as_ref())),
            )
        }
        (StepMeaning::NoData, Effect::NoData { chain, soa }) => {
            let owner = chain
                .last()
                .and_then(cname_target)
                .unwrap_or_else(|| name_text.clone());
            (
                "nodata",
                format!(
                    "NODATA: {owner} exists but has no {type_text} records; {}",
                    negative_caching(soa.as_ref())
                ),
            )
        }
        (StepMeaning::Lame { .. }, _) if rcode == Some(ResponseCode::Refused) => {
            let headline = if question.query_class() == DNSClass::IN {
                format!("REFUSED: this server has no zone for {name_text}")
            } else {
                format!(
                    "REFUSED: this server serves class IN only, not {}.",
                    super::class_word(question.query_class())
                )
            };
            ("refused", headline)
        }
        (StepMeaning::Lame { reason }, _) => (
            "other",
            format!("A response a resolver cannot use: {reason}."),
        ),
        (StepMeaning::ServFail, _) => (
            "servfail",
            "SERVFAIL: the server failed to answer; a resolver asks another server of the zone."
                .to_owned(),
        ),
        (StepMeaning::Truncated, _) => (
            "other",
            "Truncated (TC=1): the answer does not fit the UDP payload size; a client asks again over TCP."
                .to_owned(),
        ),
        (StepMeaning::Malformed { reason }, _) => (
            "other",
            format!("A response a resolver cannot use: {reason}."),
        ),
        _ => rcode_meaning(rcode, Some(question)),
    }
}

/// `1 record`, `2 records`.
fn count(number: usize, noun: &str) -> String {
    if number == 1 {
        format!("1 {noun}")
    } else {
        format!("{number} {noun}s")
    }
}

fn cname_target(record: &Record) -> Option<String> {
    match &record.data {
        RData::CNAME(target) => Some(super::name_text(&target.0, false)),
        _ => None,
    }
}

/// How long a negative answer may be cached: the smaller of the SOA record's TTL and its MINIMUM
/// field (RFC 2308 section 5).
fn negative_caching(soa: Option<&Record>) -> String {
    let Some(record) = soa else {
        return "no SOA came with it, so nothing says how long to cache this.".to_owned();
    };
    let minimum = match &record.data {
        RData::SOA(data) => data.minimum,
        _ => record.ttl,
    };
    format!(
        "the SOA of {} says to cache this for {} s.",
        super::name_text(&record.name, false),
        record.ttl.min(minimum)
    )
}

/// The meaning of an error RCODE (or of a response with nothing else to go by).
fn rcode_meaning(
    rcode: Option<ResponseCode>,
    question: Option<&hickory_proto::op::Query>,
) -> (&'static str, String) {
    let Some(rcode) = rcode else {
        return ("other", "The response does not decode.".to_owned());
    };
    let headline = match rcode {
        ResponseCode::FormErr => "FORMERR: the server could not read the query.".to_owned(),
        ResponseCode::NotImp => {
            "NOTIMP: the server does not implement this: only QUERY is, and no zone transfers over UDP."
                .to_owned()
        }
        ResponseCode::NotAuth => {
            "NOTAUTH: the server offers no zone transfers.".to_owned()
        }
        ResponseCode::BADVERS => {
            "BADVERS: the server speaks EDNS version 0 only (RFC 6891 §6.1.3).".to_owned()
        }
        ResponseCode::Refused => match question {
            Some(question) => format!(
                "REFUSED: this server has no zone for {}",
                super::name_text(question.name(), false)
            ),
            None => "REFUSED: the server will not answer this.".to_owned(),
        },
        ResponseCode::ServFail => {
            return (
                "servfail",
                "SERVFAIL: the server failed to answer; a resolver asks another server of the zone."
                    .to_owned(),
            )
        }
        other => format!(
            "{}: the server's answer carries no records to go by.",
            crate::iana::rcode_mnemonic(u16::from(other))
        ),
    };
    let kind = if rcode == ResponseCode::Refused {
        "refused"
    } else {
        "other"
    };
    (kind, headline)
}

/// One sentence per flag set in the response header, then DO.
fn flag_sentences(response: &[u8]) -> Vec<String> {
    let dissection = dissect(response);
    let Some(header) = dissection.header.as_ref() else {
        return Vec::new();
    };
    let mut sentences: Vec<&str> = Vec::new();
    let flags = [
        (header.qr, "QR: the message is a response."),
        (header.aa, "AA: the server is authoritative for the name."),
        (
            header.tc,
            "TC: the message was truncated; ask again over TCP for all of it.",
        ),
        (
            header.rd,
            "RD: copied from the query, which asked for recursion.",
        ),
        (header.ra, "RA: the server offers recursion."),
        (
            header.z,
            "Z: the reserved bit is set, though it must be zero (RFC 1035 §4.1.1).",
        ),
        (
            header.ad,
            "AD: the server says it validated all the data with DNSSEC.",
        ),
        (
            header.cd,
            "CD: copied from the query, which asked not to validate.",
        ),
    ];
    sentences.extend(flags.iter().filter(|(set, _)| *set).map(|(_, text)| *text));
    if dissection.edns.as_ref().is_some_and(|edns| edns.dnssec_ok) {
        sentences.push("DO: the OPT record's DO bit: the server may send DNSSEC records.");
    }
    sentences.into_iter().map(str::to_owned).collect()
}
