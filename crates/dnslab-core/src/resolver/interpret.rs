//! What one server's response means to an iterative resolver: answer, CNAME, referral, negative
//! answer, lame server or failure (RFC 1034 section 5.3.3 step 4, RFC 2308 section 2).
//!
//! The response is decoded with hickory-proto's strict decoder: a resolver acts only on messages
//! it can fully read. Records are only believed inside the bailiwick of the zone the server was
//! asked as (a server for `com.` may not tell anything about `net.` names), the rule real
//! resolvers use against cache poisoning.

use std::net::IpAddr;

use hickory_proto::op::{Message, MessageType, ResponseCode};
use hickory_proto::rr::{Name, RData, Record, RecordType};

use super::cache::record_address;
use super::trace::StepMeaning;
use super::Transport;

/// The query a response is checked against.
#[derive(Debug, Clone)]
pub(crate) struct AskedQuestion<'asked> {
    pub query_id: u16,
    pub name: &'asked Name,
    pub qtype: RecordType,
    /// The zone cut the server was asked as: the bailiwick of its response.
    pub zone: &'asked Name,
    pub transport: Transport,
    /// Most CNAME records to follow inside one response.
    pub maximum_cname_chain: usize,
}

/// What the resolver does next because of a response.
#[derive(Debug, Clone)]
pub(crate) enum Effect {
    /// Try the next server of the same zone.
    NextServer,
    /// Ask the same server again over TCP.
    RetryOverTcp,
    /// Continue with the servers of a closer zone.
    Referral {
        zone: Name,
        name_servers: Vec<(Name, Vec<IpAddr>)>,
        ttl: u32,
    },
    /// The records (after the CNAME chain in `chain`).
    Answer {
        chain: Vec<Record>,
        records: Vec<Record>,
    },
    /// Restart with `target` after the CNAME chain in `chain`.
    Cname { chain: Vec<Record>, target: Name },
    /// The last name of `chain` (or the asked name) does not exist.
    NxDomain {
        chain: Vec<Record>,
        soa: Option<Record>,
    },
    /// The last name of `chain` (or the asked name) has no data of the type.
    NoData {
        chain: Vec<Record>,
        soa: Option<Record>,
    },
}

/// Reads `response` as the reply to `asked`.
pub(crate) fn interpret_response(
    response: &[u8],
    asked: &AskedQuestion<'_>,
) -> (StepMeaning, Effect) {
    let message = match Message::from_vec(response) {
        Ok(message) => message,
        Err(error) => {
            return malformed(format!("the response does not decode: {error}"));
        }
    };
    if let Some(problem) = mismatch(&message, asked) {
        return malformed(problem);
    }
    if message.metadata.truncation {
        return match asked.transport {
            Transport::Udp => (StepMeaning::Truncated, Effect::RetryOverTcp),
            Transport::Tcp => {
                malformed("TC=1 over TCP: the server could not send the whole answer".into())
            }
        };
    }
    let rcode = message.metadata.response_code;
    match rcode {
        ResponseCode::NoError | ResponseCode::NXDomain => {}
        ResponseCode::ServFail => return (StepMeaning::ServFail, Effect::NextServer),
        ResponseCode::Refused => {
            return lame(format!(
                "REFUSED: the server does not serve {} (a lame delegation)",
                asked.zone.to_ascii()
            ));
        }
        other => {
            return (
                StepMeaning::ErrorRcode {
                    rcode: u16::from(other),
                },
                Effect::NextServer,
            );
        }
    }
    let authoritative = message.metadata.authoritative;
    let (chain, final_records, last_name) = follow_answer_chain(&message, asked);
    let negative_soa = message
        .authorities
        .iter()
        .find(|record| record.record_type() == RecordType::SOA && record.name.zone_of(&last_name))
        .cloned();

    if !final_records.is_empty() {
        if !authoritative {
            return lame("an answer without the AA bit: the server is not authoritative".into());
        }
        let meaning = StepMeaning::Answer {
            records: final_records.len(),
            cname_chain: chain.len(),
        };
        return (
            meaning,
            Effect::Answer {
                chain,
                records: final_records,
            },
        );
    }
    if rcode == ResponseCode::NXDomain {
        return (
            StepMeaning::NxDomain,
            Effect::NxDomain {
                chain,
                soa: negative_soa,
            },
        );
    }
    if !chain.is_empty() {
        if authoritative && negative_soa.is_some() {
            return (
                StepMeaning::NoData,
                Effect::NoData {
                    chain,
                    soa: negative_soa,
                },
            );
        }
        return (
            StepMeaning::Cname {
                target: last_name.to_ascii(),
            },
            Effect::Cname {
                chain,
                target: last_name,
            },
        );
    }
    // An authoritative response cannot be a referral: with no answer it is NODATA (whatever NS
    // records some servers add to the authority section).
    if authoritative {
        return (
            StepMeaning::NoData,
            Effect::NoData {
                chain,
                soa: negative_soa,
            },
        );
    }
    if let Some(referral) = referral(&message, asked) {
        return referral;
    }
    lame("a non-authoritative response with neither an answer nor a referral".into())
}

/// Why the message is not a response to the query, if it is not.
fn mismatch(message: &Message, asked: &AskedQuestion<'_>) -> Option<String> {
    if message.metadata.message_type != MessageType::Response {
        return Some("the message is a query (QR=0), not a response".into());
    }
    if message.metadata.id != asked.query_id {
        return Some(format!(
            "the ID {} does not match the query's ID {}",
            message.metadata.id, asked.query_id
        ));
    }
    // A REFUSED or FORMERR may come without a question section; anything else must echo it.
    let question = message.queries.first();
    match question {
        None => None,
        Some(question) if question.name() == asked.name && question.query_type() == asked.qtype => {
            None
        }
        Some(question) => Some(format!(
            "the question {} {} is not the one asked",
            question.name().to_ascii(),
            question.query_type()
        )),
    }
}

/// Follows the CNAME chain of the answer section from the asked name: the CNAME records passed,
/// the records of the asked type at the end (empty if none) and the last name reached.
fn follow_answer_chain(
    message: &Message,
    asked: &AskedQuestion<'_>,
) -> (Vec<Record>, Vec<Record>, Name) {
    let mut owner = asked.name.clone();
    let mut chain: Vec<Record> = Vec::new();
    loop {
        // Out-of-bailiwick data is never believed: the resolver asks that zone's servers itself.
        if !asked.zone.zone_of(&owner) {
            return (chain, Vec::new(), owner);
        }
        let records: Vec<Record> = message
            .answers
            .iter()
            .filter(|record| record.name == owner && record.record_type() == asked.qtype)
            .cloned()
            .collect();
        if !records.is_empty() {
            return (chain, records, owner);
        }
        if asked.qtype == RecordType::CNAME || chain.len() > asked.maximum_cname_chain {
            return (chain, Vec::new(), owner);
        }
        let cname = message
            .answers
            .iter()
            .find_map(|record| match &record.data {
                RData::CNAME(target) if record.name == owner => Some((record, target.0.clone())),
                _ => None,
            });
        let Some((record, target)) = cname else {
            return (chain, Vec::new(), owner);
        };
        chain.push(record.clone());
        owner = target;
    }
}

/// A referral to a zone strictly below the one asked and enclosing the name, or a lame verdict
/// when the NS records point elsewhere; `None` when the authority section holds no NS records.
fn referral(message: &Message, asked: &AskedQuestion<'_>) -> Option<(StepMeaning, Effect)> {
    let first_ns = message
        .authorities
        .iter()
        .find(|record| record.record_type() == RecordType::NS)?;
    let zone = first_ns.name.clone();
    let leads_closer = asked.zone.zone_of(&zone) && zone != *asked.zone && zone.zone_of(asked.name);
    if !leads_closer {
        let direction = if zone.zone_of(asked.zone) {
            "upward"
        } else {
            "sideways"
        };
        return Some(lame(format!(
            "a referral {direction} to {} instead of an answer for {}: the server does not serve {}",
            zone.to_ascii(),
            asked.name.to_ascii(),
            asked.zone.to_ascii()
        )));
    }
    let ns_records: Vec<&Record> = message
        .authorities
        .iter()
        .filter(|record| record.name == zone)
        .filter(|record| matches!(record.data, RData::NS(_)))
        .collect();
    let ttl = ns_records
        .iter()
        .map(|record| record.ttl)
        .min()
        .unwrap_or(0);
    let mut name_servers: Vec<(Name, Vec<IpAddr>)> = Vec::new();
    for record in ns_records {
        let RData::NS(name_server) = &record.data else {
            continue;
        };
        if name_servers
            .iter()
            .any(|(known, _)| known == &name_server.0)
        {
            continue;
        }
        // Glue is believed only inside the bailiwick of the server that sent it.
        let glue: Vec<IpAddr> = if asked.zone.zone_of(&name_server.0) {
            message
                .additionals
                .iter()
                .filter(|additional| additional.name == name_server.0)
                .filter_map(record_address)
                .collect()
        } else {
            Vec::new()
        };
        name_servers.push((name_server.0.clone(), glue));
    }
    let meaning = StepMeaning::Referral {
        zone: zone.to_ascii(),
        name_servers: name_servers
            .iter()
            .map(|(name, _)| name.to_ascii())
            .collect(),
        with_glue: name_servers
            .iter()
            .filter(|(_, glue)| !glue.is_empty())
            .count(),
    };
    Some((
        meaning,
        Effect::Referral {
            zone,
            name_servers,
            ttl,
        },
    ))
}

fn malformed(reason: String) -> (StepMeaning, Effect) {
    (StepMeaning::Malformed { reason }, Effect::NextServer)
}

fn lame(reason: String) -> (StepMeaning, Effect) {
    (StepMeaning::Lame { reason }, Effect::NextServer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::op::{OpCode, Query};
    use hickory_proto::rr::rdata::{A, CNAME, NS, SOA};
    use std::net::Ipv4Addr;

    fn name(text: &str) -> Name {
        Name::from_ascii(text).expect("test name")
    }

    fn response(id: u16, qname: &str, qtype: RecordType) -> Message {
        let mut message = Message::new(id, MessageType::Response, OpCode::Query);
        message.add_query(Query::query(name(qname), qtype));
        message
    }

    fn asked<'asked>(qname: &'asked Name, zone: &'asked Name) -> AskedQuestion<'asked> {
        AskedQuestion {
            query_id: 7,
            name: qname,
            qtype: RecordType::A,
            zone,
            transport: Transport::Udp,
            maximum_cname_chain: 8,
        }
    }

    fn bytes(message: &Message) -> Vec<u8> {
        message.to_vec().expect("encodes")
    }

    #[test]
    fn referral_with_in_bailiwick_glue_only() {
        let mut message = response(7, "www.example.com.", RecordType::A);
        for server in ["ns1.example.com.", "ns2.example.net."] {
            message.add_authority(Record::from_rdata(
                name("example.com."),
                172_800,
                RData::NS(NS(name(server))),
            ));
        }
        message.add_additional(Record::from_rdata(
            name("ns1.example.com."),
            172_800,
            RData::A(A(Ipv4Addr::new(192, 0, 2, 53))),
        ));
        // Glue for a net. name sent by a com. server is out of its bailiwick and ignored.
        message.add_additional(Record::from_rdata(
            name("ns2.example.net."),
            172_800,
            RData::A(A(Ipv4Addr::new(192, 0, 2, 66))),
        ));
        let qname = name("www.example.com.");
        let zone = name("com.");
        let (meaning, effect) = interpret_response(&bytes(&message), &asked(&qname, &zone));
        assert_eq!(
            meaning,
            StepMeaning::Referral {
                zone: "example.com.".into(),
                name_servers: vec!["ns1.example.com.".into(), "ns2.example.net.".into()],
                with_glue: 1,
            }
        );
        let Effect::Referral {
            name_servers, ttl, ..
        } = effect
        else {
            panic!("not a referral: {effect:?}");
        };
        assert_eq!(ttl, 172_800);
        assert_eq!(
            name_servers[0].1,
            vec![IpAddr::V4(Ipv4Addr::new(192, 0, 2, 53))]
        );
        assert!(name_servers[1].1.is_empty());
    }

    #[test]
    fn upward_referral_and_refused_are_lame() {
        let mut message = response(7, "www.lame.test.", RecordType::A);
        message.add_authority(Record::from_rdata(
            name("test."),
            172_800,
            RData::NS(NS(name("a.nic.test."))),
        ));
        let qname = name("www.lame.test.");
        let zone = name("lame.test.");
        let (meaning, effect) = interpret_response(&bytes(&message), &asked(&qname, &zone));
        assert!(matches!(meaning, StepMeaning::Lame { ref reason } if reason.contains("upward")));
        assert!(matches!(effect, Effect::NextServer));

        let mut refused = response(7, "www.lame.test.", RecordType::A);
        refused.metadata.response_code = ResponseCode::Refused;
        let (meaning, _) = interpret_response(&bytes(&refused), &asked(&qname, &zone));
        assert!(
            matches!(meaning, StepMeaning::Lame { ref reason } if reason.starts_with("REFUSED"))
        );
    }

    #[test]
    fn cname_leaving_the_bailiwick_restarts_and_nodata_needs_the_soa() {
        let mut message = response(7, "ext.example.com.", RecordType::A);
        message.metadata.authoritative = true;
        message.add_answer(Record::from_rdata(
            name("ext.example.com."),
            3600,
            RData::CNAME(CNAME(name("www.example.org."))),
        ));
        // A record for the target from a server not authoritative for example.org: ignored.
        message.add_answer(Record::from_rdata(
            name("www.example.org."),
            3600,
            RData::A(A(Ipv4Addr::new(192, 0, 2, 1))),
        ));
        let qname = name("ext.example.com.");
        let zone = name("example.com.");
        let (meaning, _) = interpret_response(&bytes(&message), &asked(&qname, &zone));
        assert_eq!(
            meaning,
            StepMeaning::Cname {
                target: "www.example.org.".into()
            }
        );

        let mut nodata = response(7, "ext.example.com.", RecordType::A);
        nodata.metadata.authoritative = true;
        nodata.add_authority(Record::from_rdata(
            name("example.com."),
            300,
            RData::SOA(SOA::new(
                name("ns1.example.com."),
                name("hostmaster.example.com."),
                1,
                2,
                3,
                4,
                300,
            )),
        ));
        let (meaning, effect) = interpret_response(&bytes(&nodata), &asked(&qname, &zone));
        assert_eq!(meaning, StepMeaning::NoData);
        assert!(matches!(effect, Effect::NoData { soa: Some(_), .. }));
    }

    #[test]
    fn wrong_id_truncation_and_garbage() {
        let qname = name("www.example.com.");
        let zone = name("example.com.");
        let wrong_id = response(8, "www.example.com.", RecordType::A);
        let (meaning, _) = interpret_response(&bytes(&wrong_id), &asked(&qname, &zone));
        assert!(
            matches!(meaning, StepMeaning::Malformed { ref reason } if reason.contains("ID 8"))
        );
        let mut truncated = response(7, "www.example.com.", RecordType::A);
        truncated.metadata.truncation = true;
        let (meaning, effect) = interpret_response(&bytes(&truncated), &asked(&qname, &zone));
        assert_eq!(meaning, StepMeaning::Truncated);
        assert!(matches!(effect, Effect::RetryOverTcp));
        for garbage in [&[][..], &[0xff; 5][..], &[0, 7, 0x80, 0, 0, 1][..]] {
            let (meaning, _) = interpret_response(garbage, &asked(&qname, &zone));
            assert!(matches!(meaning, StepMeaning::Malformed { .. }));
        }
    }
}
