//! Unit tests of the authoritative answers that need no Knot DNS: the public API, size limits, and robustness on arbitrary bytes.
//!
//! Knot is the reference for what each answer contains (`tests/it/authority_vs_knot.rs`); these
//! tests pin the API contract and properties that must hold for every input.

use std::str::FromStr;

use hickory_proto::op::{Edns, Message, MessageType, OpCode, Query, ResponseCode};
use hickory_proto::rr::{DNSClass, Name, RData, RecordType};

use super::{answer, answer_message, respond, AnswerKind, Transport};
use crate::zone::{parse_zone, ZoneSet};

fn name(text: &str) -> Name {
    Name::from_str(text).unwrap_or_else(|_| Name::root())
}

fn zones() -> ZoneSet {
    let text = include_str!("../../tests/data/zones/example.com.zone");
    let zone = parse_zone(text, None).unwrap_or_else(|errors| panic!("{errors}"));
    [zone].into_iter().collect()
}

fn query(qname: &str, qtype: RecordType, edns_payload: Option<u16>) -> Message {
    let mut message = Message::new(0xBEEF, MessageType::Query, OpCode::Query);
    message.metadata.recursion_desired = true;
    // `from_ascii` keeps the case as written (`from_str` would lowercase).
    let qname = Name::from_ascii(qname).unwrap_or_else(|_| Name::root());
    message.add_query(Query::query(qname, qtype));
    if let Some(payload) = edns_payload {
        let mut edns = Edns::new();
        edns.set_max_payload(payload);
        message.set_edns(edns);
    }
    message
}

fn bytes(message: &Message) -> Vec<u8> {
    message.to_vec().unwrap_or_default()
}

#[test]
fn typed_answer_follows_the_cname_and_keeps_the_question() {
    let response = answer_message(
        &zones(),
        &query("WWW.Example.COM.", RecordType::A, None),
        Transport::Udp,
    );
    let Some(response) = response else {
        panic!("expected a response");
    };
    assert_eq!(response.metadata.id, 0xBEEF);
    assert_eq!(response.metadata.message_type, MessageType::Response);
    assert!(response.metadata.authoritative);
    assert!(response.metadata.recursion_desired);
    assert!(!response.metadata.recursion_available);
    assert_eq!(response.metadata.response_code, ResponseCode::NoError);
    assert_eq!(
        response
            .queries
            .first()
            .map(|query| query.name().to_string()),
        Some("WWW.Example.COM.".to_owned())
    );
    let answers: Vec<(String, RecordType)> = response
        .answers
        .iter()
        .map(|record| (record.name.to_string(), record.record_type()))
        .collect();
    // The alias keeps the question's spelling (RFC 4343 section 4.1); the target is the zone's.
    assert_eq!(
        answers,
        [
            ("WWW.Example.COM.".to_owned(), RecordType::CNAME),
            ("example.com.".to_owned(), RecordType::A)
        ]
    );
}

#[test]
fn negative_answers_carry_the_soa_with_the_negative_ttl() {
    let zones = zones();
    let nxdomain = respond(
        &zones,
        &bytes(&query("nope.example.com.", RecordType::A, None)),
        Transport::Udp,
    );
    assert_eq!(
        nxdomain.as_ref().map(|response| response.kind),
        Some(AnswerKind::NameError)
    );
    let message = nxdomain.and_then(|response| response.message().ok());
    let soa = message
        .as_ref()
        .and_then(|message| message.authorities.first());
    // SOA TTL 3600, MINIMUM 300: RFC 2308 section 3 says the smaller.
    assert_eq!(
        soa.map(|record| (record.record_type(), record.ttl)),
        Some((RecordType::SOA, 300))
    );
    assert_eq!(
        message.map(|message| message.metadata.response_code),
        Some(ResponseCode::NXDomain)
    );

    let nodata = respond(
        &zones,
        &bytes(&query("www.example.com.", RecordType::CNAME, None)),
        Transport::Udp,
    );
    assert_eq!(
        nodata.map(|response| response.kind),
        Some(AnswerKind::Answer)
    );
    let nodata = respond(
        &zones,
        &bytes(&query("mail.example.com.", RecordType::TXT, None)),
        Transport::Udp,
    );
    assert_eq!(
        nodata.map(|response| response.kind),
        Some(AnswerKind::NoData)
    );
}

#[test]
fn referrals_are_not_authoritative_and_carry_glue() {
    let response = answer_message(
        &zones(),
        &query("a.sub.example.com.", RecordType::A, None),
        Transport::Udp,
    );
    let Some(response) = response else {
        panic!("expected a response");
    };
    assert!(!response.metadata.authoritative);
    assert!(response.answers.is_empty());
    assert_eq!(
        response
            .authorities
            .first()
            .map(|record| record.record_type()),
        Some(RecordType::NS)
    );
    let glue = response
        .additionals
        .first()
        .map(|record| (record.name.to_string(), record.data.clone()));
    assert_eq!(
        glue,
        Some((
            "ns.sub.example.com.".to_owned(),
            RData::A(std::net::Ipv4Addr::new(192, 0, 2, 77).into())
        ))
    );
}

#[test]
fn wildcards_answer_with_the_question_as_owner() {
    let response = answer_message(
        &zones(),
        &query("anything.wild.example.com.", RecordType::A, None),
        Transport::Udp,
    );
    let owners: Vec<String> = response
        .map(|message| {
            message
                .answers
                .iter()
                .map(|record| record.name.to_string())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(owners, ["anything.wild.example.com."]);
}

#[test]
fn udp_truncates_to_the_clients_size_and_tcp_does_not() {
    let zones = zones();
    // The long TXT record is 650 octets of text: more than 512, less than 1232.
    let classic = bytes(&query("long.example.com.", RecordType::TXT, None));
    let truncated = respond(&zones, &classic, Transport::Udp);
    assert_eq!(
        truncated.as_ref().map(|response| response.kind),
        Some(AnswerKind::Truncated)
    );
    let truncated = truncated.and_then(|response| response.message().ok());
    assert_eq!(
        truncated
            .as_ref()
            .map(|message| message.metadata.truncation),
        Some(true)
    );
    assert_eq!(truncated.map(|message| message.answers.len()), Some(0));

    let over_tcp = answer_message(
        &zones,
        &query("long.example.com.", RecordType::TXT, None),
        Transport::Tcp,
    );
    assert_eq!(
        over_tcp.as_ref().map(|message| message.metadata.truncation),
        Some(false)
    );
    assert_eq!(over_tcp.map(|message| message.answers.len()), Some(1));

    let with_edns = answer_message(
        &zones,
        &query("long.example.com.", RecordType::TXT, Some(1232)),
        Transport::Udp,
    );
    assert_eq!(
        with_edns.as_ref().map(|message| message.answers.len()),
        Some(1)
    );
    // The OPT record says our own payload size, whatever the client asked for.
    assert_eq!(
        with_edns.and_then(|message| message.edns.map(|edns| edns.max_payload())),
        Some(1232)
    );
}

#[test]
fn optional_data_that_does_not_fit_is_left_out_without_tc() {
    // long.test's SOA names are long: with a long question, NXDOMAIN has no room for the SOA in
    // 512 octets. The SOA is optional (RFC 2181 section 9), so TC stays clear; over TCP it fits.
    let text = include_str!("../../tests/data/zones/long.test.zone");
    let zones: ZoneSet =
        [parse_zone(text, Some(&name("long.test."))).unwrap_or_else(|errors| panic!("{errors}"))]
            .into_iter()
            .collect();
    let qname = format!(
        "{}.{}.{}.{}.long.test.",
        "a".repeat(63),
        "b".repeat(63),
        "c".repeat(63),
        "e".repeat(30)
    );
    let over_udp = answer_message(&zones, &query(&qname, RecordType::A, None), Transport::Udp);
    let summary = |message: Option<Message>| {
        message.map(|message| {
            (
                message.metadata.response_code,
                message.metadata.truncation,
                message.authorities.len(),
            )
        })
    };
    assert_eq!(summary(over_udp), Some((ResponseCode::NXDomain, false, 0)));
    let over_tcp = answer_message(&zones, &query(&qname, RecordType::A, None), Transport::Tcp);
    assert_eq!(summary(over_tcp), Some((ResponseCode::NXDomain, false, 1)));
}

#[test]
fn names_outside_every_zone_are_refused() {
    let response = respond(
        &zones(),
        &bytes(&query("example.org.", RecordType::A, None)),
        Transport::Udp,
    );
    assert_eq!(
        response.as_ref().map(|response| response.kind),
        Some(AnswerKind::Refused)
    );
    assert_eq!(response.and_then(|response| response.zone), None);
    let mut chaos = query("version.bind.", RecordType::TXT, None);
    if let Some(question) = chaos.queries.first_mut() {
        question.set_query_class(DNSClass::CH);
    }
    let response = respond(&zones(), &bytes(&chaos), Transport::Udp);
    assert_eq!(
        response.map(|response| response.kind),
        Some(AnswerKind::Refused)
    );
}

#[test]
fn queries_that_are_not_queries_are_dropped() {
    let zones = zones();
    assert_eq!(answer(&zones, &[], Transport::Udp), None);
    assert_eq!(answer(&zones, &[0; 11], Transport::Udp), None);
    let mut response = bytes(&query("example.com.", RecordType::A, None));
    if let Some(flags) = response.get_mut(2) {
        *flags |= 0x80;
    }
    assert_eq!(answer(&zones, &response, Transport::Udp), None);
}

#[test]
fn malformed_queries_get_formerr_with_the_header() {
    let zones = zones();
    let mut garbage = bytes(&query("example.com.", RecordType::A, None));
    garbage.truncate(15);
    let response = answer(&zones, &garbage, Transport::Udp).unwrap_or_default();
    // ID copied, QR set, RD copied, RCODE 1, no question kept.
    assert_eq!(response, [0xBE, 0xEF, 0x81, 0x01, 0, 0, 0, 0, 0, 0, 0, 0]);
}

#[test]
fn edns_versions_other_than_zero_get_badvers() {
    let mut message = query("example.com.", RecordType::A, Some(1232));
    if let Some(edns) = message.edns.as_mut() {
        edns.set_version(1);
    }
    let response = respond(&zones(), &bytes(&message), Transport::Udp);
    assert_eq!(
        response.as_ref().map(|response| response.kind),
        Some(AnswerKind::BadVersion)
    );
    let decoded = response.and_then(|response| response.message().ok());
    // BADVERS is 16 (RFC 6891); hickory names that number BADSIG, its TSIG meaning.
    assert_eq!(
        decoded
            .as_ref()
            .map(|message| u16::from(message.metadata.response_code)),
        Some(16)
    );
    assert_eq!(
        decoded.and_then(|message| message.edns.map(|edns| edns.version())),
        Some(0)
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// example.com and lab.test, parsed once for all cases.
    fn lab() -> &'static ZoneSet {
        static ZONES: std::sync::OnceLock<ZoneSet> = std::sync::OnceLock::new();
        ZONES.get_or_init(|| {
            let mut set = zones();
            let text = include_str!("../../tests/data/zones/lab.test.zone");
            if let Ok(zone) = parse_zone(text, Some(&name("lab.test."))) {
                set.insert(zone);
            }
            set
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// No bytes make the server panic or hang, and any response is a DNS message.
        #[test]
        fn arbitrary_bytes_never_panic(input in proptest::collection::vec(any::<u8>(), 0..300)) {
            for transport in [Transport::Udp, Transport::Tcp] {
                if let Some(response) = answer(lab(), &input, transport) {
                    prop_assert!(response.len() >= 12);
                    prop_assert_eq!(response.get(..2), input.get(..2));
                }
            }
        }

        /// Valid queries with a byte changed here and there never panic either.
        #[test]
        fn mutated_queries_never_panic(position in 0usize..60, value in any::<u8>(), qtype in 0u16..300) {
            let zones = lab();
            let mut query_bytes = bytes(&query("foo.wild.lab.test.", RecordType::from(qtype), Some(1232)));
            if let Some(byte) = query_bytes.get_mut(position) {
                *byte = value;
            }
            let _ = answer(zones, &query_bytes, Transport::Udp);
        }

        /// Names below the DNAMEs of dname.test, of any length and type, never panic, and the
        /// response is a message hickory reads (the zone has no record it cannot).
        #[test]
        fn names_below_dnames_never_panic(
            prefix in "[a-z0-9]{1,63}(\\.[a-z0-9]{1,63}){0,3}",
            owner in prop::sample::select(vec!["long", "long-out", "long-here", "self", "chain", "d1", "to-host", "to-wild", "to-deleg", "to-out"]),
            qtype in 1u16..300,
        ) {
            let name = format!("{prefix}.{owner}.dname.test.");
            prop_assume!(name.len() < 254);
            for transport in [Transport::Udp, Transport::Tcp] {
                let Some(response) = respond(dname_zones(), &bytes(&query(&name, RecordType::from(qtype), Some(1232))), transport) else {
                    continue;
                };
                prop_assert!(response.message().is_ok());
            }
        }

        /// A UDP response always fits the size the client can take: 512 octets without EDNS,
        /// else the smaller of its payload size and ours, never less than 512.
        #[test]
        fn udp_responses_fit_the_clients_size(
            label in prop::sample::select(vec![
                "big", "bigtxt", "hugetxt", "bigdeleg", "www.bigdeleg", "manymx", "cname-to-big",
                "lab.test.", "foo.wild", "alias1", "nope", "_sip._udp",
            ]),
            qtype in prop::sample::select(vec![RecordType::A, RecordType::TXT, RecordType::MX, RecordType::ANY, RecordType::NS]),
            payload in prop::option::of(0u16..5000),
        ) {
            let qname = if label.ends_with('.') { label.to_owned() } else { format!("{label}.lab.test.") };
            let response = answer(lab(), &bytes(&query(&qname, qtype, payload)), Transport::Udp);
            let limit = payload.map_or(512, |payload| usize::from(payload.clamp(512, 1232)));
            let length = response.map_or(0, |response| response.len());
            prop_assert!(length <= limit, "{} octets for a limit of {}", length, limit);
        }
    }
}

/// dname.test, parsed once for all tests.
fn dname_zones() -> &'static ZoneSet {
    static ZONES: std::sync::OnceLock<ZoneSet> = std::sync::OnceLock::new();
    ZONES.get_or_init(|| {
        let text = include_str!("../../tests/data/zones/dname.test.zone");
        let zone = parse_zone(text, Some(&name("dname.test.")))
            .unwrap_or_else(|errors| panic!("{errors}"));
        [zone].into_iter().collect()
    })
}

#[test]
fn a_dname_answers_with_itself_a_made_up_cname_and_the_rewritten_name() {
    // The shape of Knot DNS 3.2's answer to the same query (tests/it/authority_vs_knot.rs holds
    // every detail to Knot's bytes).
    let response = answer_message(
        dname_zones(),
        &query("Host.To-Host.dname.test.", RecordType::A, None),
        Transport::Udp,
    );
    let Some(response) = response else {
        panic!("expected a response");
    };
    assert!(response.metadata.authoritative);
    let answers: Vec<(String, u32, String)> = response
        .answers
        .iter()
        .map(|record| {
            let data = match &record.data {
                RData::CNAME(target) => target.0.to_string(),
                RData::A(address) => address.to_string(),
                other => other.record_type().to_string(),
            };
            (record.name.to_string(), record.ttl, data)
        })
        .collect();
    assert_eq!(
        answers,
        [
            ("to-host.dname.test.".to_owned(), 3600, "DNAME".to_owned()),
            // The question's spelling for the alias, the kept labels lowercased in its target.
            (
                "Host.To-Host.dname.test.".to_owned(),
                3600,
                "host.dname.test.".to_owned()
            ),
            ("host.dname.test.".to_owned(), 3600, "192.0.2.1".to_owned()),
        ]
    );
}

#[test]
fn a_name_made_too_long_by_a_dname_is_yxdomain() {
    let long_query = format!("{}.long-out.dname.test.", "x".repeat(50));
    let Some(response) = respond(
        dname_zones(),
        &bytes(&query(&long_query, RecordType::A, None)),
        Transport::Udp,
    ) else {
        panic!("expected a response");
    };
    assert_eq!(response.kind, AnswerKind::NameTooLong);
    let Ok(message) = response.message() else {
        panic!("the response should decode");
    };
    assert_eq!(message.metadata.response_code, ResponseCode::YXDomain);
    assert_eq!(message.answers.len(), 1, "the DNAME alone");
    // One octet shorter fits exactly 255 octets: a CNAME is made (too big for 512 octets with
    // the DNAME and the question).
    let fitting = format!("{}.long-out.dname.test.", "x".repeat(49));
    let fits = respond(
        dname_zones(),
        &bytes(&query(&fitting, RecordType::A, Some(1232))),
        Transport::Udp,
    );
    assert_eq!(fits.map(|response| response.kind), Some(AnswerKind::Answer));
}

#[test]
fn dname_loops_end_after_five_aliases() {
    let response = answer_message(
        dname_zones(),
        &query("x.self.dname.test.", RecordType::A, None),
        Transport::Udp,
    );
    let types: Vec<RecordType> = response
        .map(|message| {
            message
                .answers
                .iter()
                .map(|record| record.record_type())
                .collect()
        })
        .unwrap_or_default();
    // Knot's answer: each DNAME once, five CNAMEs.
    let expected = [
        RecordType::DNAME,
        RecordType::CNAME,
        RecordType::DNAME,
        RecordType::CNAME,
        RecordType::CNAME,
        RecordType::CNAME,
        RecordType::CNAME,
    ];
    assert_eq!(types, expected);
}
