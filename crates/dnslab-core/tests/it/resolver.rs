//! The simulated resolver walking the built-in mini-internet: every path a learner meets, the
//! cache, the limits, and the real messages of every step.
//!
//! Expected records come from the zone files (`src/world/zones/`, and for `www.example.com.`
//! from Knot DNS's answer in the captures, read through tshark's `expected.json`), expected
//! paths from the delegations in those files.

use std::net::IpAddr;

use dnslab_core::resolver::{
    resolve_in_world, simulate, trace_text, Action, CachedFinding, FailureReason, Fault,
    NameServerHint, QueryStep, Reply, ResolutionStatus, Resolver, ResolverConfig, RootHints,
    SequentialQueryIds, StepMeaning, StubRequest, Trace, TraceStep, Transport,
};
use dnslab_core::world::{Exchange, World};
use dnslab_core::zone::parse_zone;
use hickory_proto::op::{Message, MessageType, OpCode, Query, ResponseCode};
use hickory_proto::rr::rdata::NS;
use hickory_proto::rr::{Name, RData, Record, RecordType};

fn name(text: &str) -> Name {
    Name::from_ascii(text).expect("test name")
}

fn address(text: &str) -> IpAddr {
    text.parse().expect("test address")
}

fn resolve(qname: &str, qtype: RecordType) -> Trace {
    let trace = simulate(&World::builtin(), &name(qname), qtype, 1_000, 100);
    assert_every_message_is_real(&trace);
    trace
}

fn final_response(trace: &Trace) -> Message {
    Message::from_vec(&trace.response).expect("the final response decodes")
}

/// (server name, address, zone asked as, meaning) of every query step, sub-resolutions included.
fn path(trace: &Trace) -> Vec<(String, IpAddr, String, StepMeaning)> {
    trace
        .query_steps()
        .into_iter()
        .map(|step| {
            (
                step.server.name.clone(),
                step.server.address,
                step.server.zone.clone(),
                step.meaning.clone(),
            )
        })
        .collect()
}

fn referral(zone: &str, name_servers: &[&str], with_glue: usize) -> StepMeaning {
    StepMeaning::Referral {
        zone: zone.into(),
        name_servers: name_servers.iter().map(|text| text.to_string()).collect(),
        with_glue,
    }
}

fn root_referral(zone: &str) -> (String, IpAddr, String, StepMeaning) {
    let servers: &[&str] = match zone {
        "com." | "net." => &["a.gtld-servers.net.", "b.gtld-servers.net."],
        "org." => &["a0.nic.org.", "b0.nic.org."],
        _ => &["a.nic.test.", "b.nic.test."],
    };
    (
        "a.root-servers.net.".into(),
        address("198.41.0.4"),
        ".".into(),
        referral(zone, servers, 2),
    )
}

/// Every step's query and response must be real DNS messages: they decode with hickory-proto,
/// queries are iterative (RD clear) with EDNS 1232, responses answer them (same ID).
fn assert_every_message_is_real(trace: &Trace) {
    for step in trace.query_steps() {
        let query = Message::from_vec(&step.query).expect("query decodes");
        assert_eq!(query.metadata.message_type, MessageType::Query);
        assert!(
            !query.metadata.recursion_desired,
            "an iterative query has RD clear"
        );
        assert_eq!(query.metadata.id, step.query_id);
        assert_eq!(query.queries.len(), 1);
        assert_eq!(query.queries[0].name(), &name(&step.name));
        assert_eq!(
            query.edns.as_ref().map(|edns| edns.max_payload()),
            Some(1232)
        );
        if let Some(response) = &step.response {
            let response = Message::from_vec(response).expect("response decodes");
            assert_eq!(response.metadata.message_type, MessageType::Response);
            assert_eq!(response.metadata.id, step.query_id);
        }
    }
    let stub = Message::from_vec(&trace.response).expect("stub response decodes");
    assert!(stub.metadata.recursion_available);
    assert!(stub.metadata.recursion_desired);
    assert_eq!(u16::from(stub.metadata.response_code), trace.response_code);
}

fn a_record_value(record: &Record) -> Option<String> {
    match &record.data {
        RData::A(address) => Some(address.0.to_string()),
        RData::AAAA(address) => Some(address.0.to_string()),
        RData::CNAME(target) => Some(target.0.to_ascii()),
        _ => None,
    }
}

#[test]
fn www_example_com_goes_root_then_com_then_example_com() {
    let trace = resolve("www.example.com.", RecordType::A);
    assert_eq!(
        path(&trace),
        vec![
            root_referral("com."),
            (
                "a.gtld-servers.net.".into(),
                address("198.51.100.1"),
                "com.".into(),
                referral("example.com.", &["ns1.example.com.", "ns2.example.net."], 1),
            ),
            (
                "ns1.example.com.".into(),
                address("192.0.2.53"),
                "example.com.".into(),
                StepMeaning::Answer {
                    records: 1,
                    cname_chain: 1
                },
            ),
        ]
    );
    assert_eq!(trace.status, ResolutionStatus::Answered);
    assert_eq!(trace.queries_sent, 3);
    let ids: Vec<u16> = trace
        .query_steps()
        .iter()
        .map(|step| step.query_id)
        .collect();
    assert_eq!(ids, [100, 101, 102], "IDs come from the caller's source");

    // The stub gets what Knot DNS answered authoritatively in the captures (CNAME, then A).
    let captured: serde_json::Value = serde_json::from_str(include_str!(
        "../data/captures/paste-example-com/expected.json"
    ))
    .expect("expected.json parses");
    let knot_answer = captured
        .as_object()
        .expect("frames by name")
        .values()
        .map(|frame| &frame["expect"])
        .find(|frame| {
            frame["QNAME"] == "www.example.com" && frame["QTYPE"] == 1 && frame["QR"] == 1
        })
        .expect("the capture has Knot's answer for www.example.com A");
    let expected: Vec<(String, u64, u64, String)> = knot_answer["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .map(|answer| {
            (
                format!("{}.", answer["NAME"].as_str().unwrap_or_default()),
                answer["TYPE"].as_u64().unwrap_or_default(),
                answer["TTL"].as_u64().unwrap_or_default(),
                answer["value"]
                    .as_str()
                    .unwrap_or_default()
                    .trim_end_matches('.')
                    .to_string(),
            )
        })
        .collect();
    let stub = final_response(&trace);
    let got: Vec<(String, u64, u64, String)> = stub
        .answers
        .iter()
        .map(|record| {
            (
                record.name.to_ascii(),
                u64::from(u16::from(record.record_type())),
                u64::from(record.ttl),
                a_record_value(record)
                    .unwrap_or_default()
                    .trim_end_matches('.')
                    .to_string(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    assert_eq!(stub.metadata.response_code, ResponseCode::NoError);
    assert!(
        !stub.metadata.authoritative,
        "a resolver's answer is not authoritative"
    );

    // dig +trace's layout: the records, then where they came from.
    let text = trace_text(&trace);
    assert!(
        text.contains("com.\t\t\t172800\tIN\tNS\tb.gtld-servers.net.\n;; Received "),
        "{text}"
    );
    assert!(text.contains("bytes from 198.41.0.4#53(a.root-servers.net) in 0 ms\n"));
    assert!(text.contains("www.example.com.\t3600\tIN\tCNAME\texample.com.\n"));
    assert!(text.contains("from 192.0.2.53#53(ns1.example.com) in 0 ms"));
    let received = format!(
        ";; Received {} bytes from 192.0.2.53#53(ns1.example.com) in 0 ms",
        trace.query_steps()[2].response.as_ref().map_or(0, Vec::len)
    );
    assert!(text.contains(&received), "{text}");
}

#[test]
fn glueless_delegation_resolves_the_name_server_first() {
    let trace = resolve("www.glueless.test.", RecordType::A);
    assert_eq!(trace.status, ResolutionStatus::Answered);
    let sub = trace
        .steps
        .iter()
        .find_map(|step| match step {
            TraceStep::SubResolution(sub) => Some(sub),
            _ => None,
        })
        .expect("a sub-resolution step");
    assert_eq!(sub.name, "ns1.hosting.example.net.");
    assert_eq!(sub.for_zone, "glueless.test.");
    assert_eq!(sub.addresses, vec![address("203.0.113.60")]);
    let sub_path: Vec<String> = sub
        .steps
        .iter()
        .filter_map(|step| match step {
            TraceStep::Query(query) => Some(query.server.zone.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(sub_path, [".", "net.", "example.net."]);
    let last = trace
        .query_steps()
        .last()
        .map(|step| (step.server.address, step.server.zone.clone()));
    assert_eq!(
        last,
        Some((address("203.0.113.60"), "glueless.test.".to_string()))
    );
    let answers = final_response(&trace).answers;
    assert_eq!(answers.len(), 1);
    assert_eq!(a_record_value(&answers[0]).as_deref(), Some("203.0.113.62"));
    assert!(trace_text(&trace).contains(";; Looking up ns1.hosting.example.net. A"));
}

#[test]
fn lame_servers_are_stepped_over() {
    let trace = resolve("www.lame.test.", RecordType::A);
    let meanings: Vec<(IpAddr, StepMeaning)> = path(&trace)
        .into_iter()
        .map(|(_, address, _, meaning)| (address, meaning))
        .collect();
    assert_eq!(meanings.len(), 5);
    assert!(
        matches!(&meanings[2], (server, StepMeaning::Lame { reason }) if *server == address("203.0.113.30") && reason.starts_with("REFUSED")),
        "{:?}",
        meanings[2]
    );
    assert!(
        matches!(&meanings[3], (server, StepMeaning::Lame { reason }) if *server == address("203.0.113.31") && reason.contains("upward to test.")),
        "{:?}",
        meanings[3]
    );
    assert_eq!(
        meanings[4],
        (
            address("203.0.113.32"),
            StepMeaning::Answer {
                records: 1,
                cname_chain: 0
            }
        )
    );
    assert_eq!(
        a_record_value(&final_response(&trace).answers[0]).as_deref(),
        Some("203.0.113.33")
    );
}

#[test]
fn unreachable_and_failing_servers_are_stepped_over() {
    let trace = resolve("www.unreachable.test.", RecordType::A);
    let steps = trace.query_steps();
    assert_eq!(steps.len(), 4);
    assert_eq!(steps[2].server.address, address("203.0.113.40"));
    assert_eq!(steps[2].meaning, StepMeaning::Timeout);
    assert!(steps[2].response.is_none());
    assert_eq!(steps[3].server.address, address("203.0.113.41"));
    assert_eq!(trace.status, ResolutionStatus::Answered);

    let trace = resolve("www.broken.test.", RecordType::A);
    let steps = trace.query_steps();
    assert_eq!(steps[2].meaning, StepMeaning::ServFail);
    assert_eq!(steps[3].server.address, address("203.0.113.51"));
    assert_eq!(
        a_record_value(&final_response(&trace).answers[0]).as_deref(),
        Some("203.0.113.54")
    );

    // Every server of dead.test. fails: the stub gets SERVFAIL.
    let trace = resolve("www.dead.test.", RecordType::A);
    let meanings: Vec<StepMeaning> = trace
        .query_steps()
        .iter()
        .map(|step| step.meaning.clone())
        .collect();
    assert_eq!(meanings[2..], [StepMeaning::ServFail, StepMeaning::Timeout]);
    assert_eq!(
        trace.status,
        ResolutionStatus::Failed {
            reason: FailureReason::AllServersFailed {
                zone: "dead.test.".into()
            }
        }
    );
    let stub = final_response(&trace);
    assert_eq!(stub.metadata.response_code, ResponseCode::ServFail);
    assert!(stub.answers.is_empty());
}

#[test]
fn nxdomain_and_nodata_stop_with_the_soa() {
    // example.com.'s SOA: TTL 3600, MINIMUM 300, so negative answers live 300 s (RFC 2308).
    for (qname, qtype, status, rcode) in [
        (
            "nope.example.com.",
            RecordType::A,
            ResolutionStatus::NxDomain,
            ResponseCode::NXDomain,
        ),
        (
            "sip.example.com.",
            RecordType::AAAA,
            ResolutionStatus::NoData,
            ResponseCode::NoError,
        ),
    ] {
        let trace = resolve(qname, qtype);
        assert_eq!(trace.status, status, "{qname}");
        assert_eq!(trace.queries_sent, 3, "{qname}: root, com., example.com.");
        let last = trace.query_steps().last().map(|step| step.meaning.clone());
        let expected_meaning = if status == ResolutionStatus::NxDomain {
            StepMeaning::NxDomain
        } else {
            StepMeaning::NoData
        };
        assert_eq!(last, Some(expected_meaning));
        let stub = final_response(&trace);
        assert_eq!(stub.metadata.response_code, rcode);
        assert!(stub.answers.is_empty());
        assert_eq!(stub.authorities.len(), 1);
        let soa = &stub.authorities[0];
        assert_eq!(soa.name, name("example.com."));
        assert_eq!(soa.record_type(), RecordType::SOA);
        assert_eq!(soa.ttl, 300);
    }
}

#[test]
fn cname_chain_across_zones_restarts_at_each_target() {
    let trace = resolve("ext.example.com.", RecordType::A);
    let cnames: Vec<String> = trace
        .query_steps()
        .iter()
        .filter_map(|step| match &step.meaning {
            StepMeaning::Cname { target } => Some(target.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(cnames, ["www.example.org.", "web.example.net."]);
    let zones: Vec<String> = trace
        .query_steps()
        .iter()
        .map(|step| step.server.zone.clone())
        .collect();
    assert_eq!(
        zones,
        [
            ".",
            "com.",
            "example.com.",
            ".",
            "org.",
            "example.org.",
            ".",
            "net.",
            "example.net."
        ]
    );
    let stub = final_response(&trace);
    let answers: Vec<(String, Option<String>)> = stub
        .answers
        .iter()
        .map(|record| (record.name.to_ascii(), a_record_value(record)))
        .collect();
    assert_eq!(
        answers,
        [
            (
                "ext.example.com.".to_string(),
                Some("www.example.org.".to_string())
            ),
            (
                "www.example.org.".to_string(),
                Some("web.example.net.".to_string())
            ),
            (
                "web.example.net.".to_string(),
                Some("203.0.113.12".to_string())
            ),
        ]
    );
}

#[test]
fn truncated_udp_answer_is_asked_again_over_tcp() {
    let trace = resolve("long.demo.test.", RecordType::TXT);
    let steps = trace.query_steps();
    let last_two: Vec<(Transport, StepMeaning)> = steps[steps.len() - 2..]
        .iter()
        .map(|step| (step.transport, step.meaning.clone()))
        .collect();
    assert_eq!(
        last_two,
        [
            (Transport::Udp, StepMeaning::Truncated),
            (
                Transport::Tcp,
                StepMeaning::Answer {
                    records: 1,
                    cname_chain: 0
                }
            ),
        ]
    );
    let udp = Message::from_vec(
        steps[steps.len() - 2]
            .response
            .as_deref()
            .unwrap_or_default(),
    )
    .expect("decodes");
    assert!(udp.metadata.truncation);
    let tcp_length = steps[steps.len() - 1].response.as_ref().map_or(0, Vec::len);
    assert!(
        tcp_length > 1232,
        "the TCP answer ({tcp_length} bytes) is what did not fit"
    );
    assert_eq!(
        steps[steps.len() - 1].server.address,
        address("203.0.113.70")
    );
    assert_eq!(trace.status, ResolutionStatus::Answered);
}

#[test]
fn second_resolution_comes_from_the_cache_until_the_ttl_runs_out() {
    let world = World::builtin();
    let mut resolver = Resolver::new(
        ResolverConfig::default(),
        world.root_hints(),
        SequentialQueryIds::new(1),
    );
    let first = resolve_in_world(
        &mut resolver,
        &world,
        &name("www.example.com."),
        RecordType::A,
        0,
    );
    assert_eq!(first.queries_sent, 3);

    // Ten seconds later, in another case: two cache hits (the CNAME, then the A), no query.
    let second = resolve_in_world(
        &mut resolver,
        &world,
        &name("WWW.EXAMPLE.COM."),
        RecordType::A,
        10,
    );
    assert_eq!(second.queries_sent, 0);
    let hits: Vec<(CachedFinding, u32)> = second
        .steps
        .iter()
        .filter_map(|step| match step {
            TraceStep::CacheHit(hit) => Some((hit.found.clone(), hit.remaining_ttl)),
            _ => None,
        })
        .collect();
    assert_eq!(hits.len(), 2);
    assert_eq!(
        hits[0],
        (
            CachedFinding::Cname {
                target: "example.com.".into()
            },
            3590
        )
    );
    assert!(matches!(&hits[1], (CachedFinding::Answer { records }, 3590) if records.len() == 1));
    let stub = final_response(&second);
    assert_eq!(
        stub.answers
            .iter()
            .map(|record| record.ttl)
            .collect::<Vec<_>>(),
        [3590, 3590]
    );

    // After the records' hour, only the delegation (two days) is still cached: one query.
    let third = resolve_in_world(
        &mut resolver,
        &world,
        &name("www.example.com."),
        RecordType::A,
        3_600,
    );
    assert_eq!(third.queries_sent, 1);
    assert!(matches!(
        &third.steps[0],
        TraceStep::CacheHit(hit) if matches!(&hit.found, CachedFinding::Delegation { zone, .. } if zone == "example.com.")
    ));
    assert_eq!(third.query_steps()[0].server.address, address("192.0.2.53"));

    // Negative answers are cached for the SOA MINIMUM (300 s) and then asked again.
    let nx = resolve_in_world(
        &mut resolver,
        &world,
        &name("nope.example.com."),
        RecordType::A,
        4_000,
    );
    assert_eq!(nx.queries_sent, 1);
    let cached_nx = resolve_in_world(
        &mut resolver,
        &world,
        &name("nope.example.com."),
        RecordType::MX,
        4_299,
    );
    assert_eq!(cached_nx.queries_sent, 0);
    assert_eq!(cached_nx.status, ResolutionStatus::NxDomain);
    assert_eq!(final_response(&cached_nx).authorities[0].ttl, 1);
    let expired_nx = resolve_in_world(
        &mut resolver,
        &world,
        &name("nope.example.com."),
        RecordType::A,
        4_300,
    );
    assert_eq!(expired_nx.queries_sent, 1);
}

fn loop_world() -> World {
    let zone = |text: &str| parse_zone(text, None).expect("test zone parses");
    World::builtin()
        .with_extra_zones(vec![
            // A CNAME loop across two zones.
            zone("$ORIGIN loop-a.test.\n$TTL 60\n@ SOA ns hostmaster 1 2 3 4 60\n@ NS ns\nns A 192.0.2.210\nwww CNAME www.loop-b.test.\n"),
            zone("$ORIGIN loop-b.test.\n$TTL 60\n@ SOA ns hostmaster 1 2 3 4 60\n@ NS ns\nns A 192.0.2.211\nwww CNAME www.loop-a.test.\n"),
            // Two zones whose name servers are named in each other, without glue: an NS loop.
            // (In different TLDs, so that neither parent has to hold glue for the other.)
            zone("$ORIGIN ns-loop.test.\n$TTL 60\n@ SOA ns.ns-loop.org. hostmaster 1 2 3 4 60\n@ NS ns.ns-loop.org.\nwww A 192.0.2.212\n"),
            zone("$ORIGIN ns-loop.org.\n$TTL 60\n@ SOA ns.ns-loop.test. hostmaster 1 2 3 4 60\n@ NS ns.ns-loop.test.\nwww A 192.0.2.213\n"),
        ])
        .expect("the loop zones join the world")
}

#[test]
fn loops_end_at_the_limits() {
    let world = loop_world();

    let trace = simulate(&world, &name("www.loop-a.test."), RecordType::A, 0, 1);
    assert_every_message_is_real(&trace);
    assert_eq!(
        trace.status,
        ResolutionStatus::Failed {
            reason: FailureReason::CnameChainTooLong { limit: 8 }
        }
    );
    assert_eq!(trace.response_code, 2);

    // Without the CNAME limit the step limit still ends it.
    let mut resolver = Resolver::new(
        ResolverConfig {
            maximum_cname_chain: 1_000,
            ..ResolverConfig::default()
        },
        world.root_hints(),
        SequentialQueryIds::new(1),
    );
    let trace = resolve_in_world(
        &mut resolver,
        &world,
        &name("www.loop-a.test."),
        RecordType::A,
        0,
    );
    assert_eq!(
        trace.status,
        ResolutionStatus::Failed {
            reason: FailureReason::StepLimit { limit: 64 }
        }
    );
    assert!(trace.queries_sent <= 64);

    // The NS loop: each zone's server needs the other zone's answer first.
    let trace = simulate(&world, &name("www.ns-loop.test."), RecordType::A, 0, 1);
    assert_every_message_is_real(&trace);
    assert_eq!(trace.response_code, 2);
    assert!(trace.queries_sent < 20, "{} queries", trace.queries_sent);
    let text = trace_text(&trace);
    assert!(text.contains("a loop"), "{text}");
    fn has_loop_fault(steps: &[TraceStep]) -> bool {
        steps.iter().any(|step| match step {
            TraceStep::Fault(fault) => fault.fault == Fault::DependencyLoop,
            TraceStep::SubResolution(sub) => has_loop_fault(&sub.steps),
            _ => false,
        })
    }
    assert!(has_loop_fault(&trace.steps));

    // A tiny step budget stops even a healthy resolution.
    let mut resolver = Resolver::new(
        ResolverConfig {
            maximum_steps: 2,
            ..ResolverConfig::default()
        },
        world.root_hints(),
        SequentialQueryIds::new(1),
    );
    let trace = resolve_in_world(
        &mut resolver,
        &world,
        &name("www.example.com."),
        RecordType::A,
        0,
    );
    assert_eq!(trace.queries_sent, 2);
    assert_eq!(
        trace.status,
        ResolutionStatus::Failed {
            reason: FailureReason::StepLimit { limit: 2 }
        }
    );
}

#[test]
fn the_state_machine_can_be_driven_by_hand() {
    let world = World::builtin();
    let mut ids = 7000_u16..;
    let mut resolver = Resolver::new(ResolverConfig::default(), world.root_hints(), move || {
        ids.next().unwrap_or(0)
    });
    assert!(
        resolver.feed(Reply::Timeout, 0).is_err(),
        "nothing to feed before start"
    );
    resolver.start(&name("mail.example.com."), RecordType::AAAA, 5);
    let mut sends = 0;
    let outcome = loop {
        let action = resolver.next_action();
        // Asking again without feeding gives the same query.
        assert_eq!(resolver.next_action(), action);
        match action {
            Action::Send {
                server_address,
                query_bytes,
                transport,
                ..
            } => {
                sends += 1;
                let reply = match world.exchange(server_address, &query_bytes, transport) {
                    Exchange::Response(bytes) => Reply::Response(bytes),
                    Exchange::Timeout => Reply::Timeout,
                };
                resolver
                    .feed(reply, 5)
                    .expect("the resolver waits for this reply");
            }
            Action::Done(outcome) => break outcome,
        }
    };
    assert_eq!(sends, 3);
    assert_eq!(outcome.status, ResolutionStatus::Answered);
    let trace = resolver.take_trace().expect("a finished trace");
    assert_eq!(trace.query_steps()[0].query_id, 7000);
    let answers = final_response(&trace).answers;
    assert_eq!(a_record_value(&answers[0]).as_deref(), Some("2001:db8::25"));
    assert!(
        resolver.feed(Reply::Timeout, 6).is_err(),
        "nothing to feed after the end"
    );
}

#[test]
fn garbage_replies_and_every_builtin_case_end_cleanly() {
    // Whatever comes back, the resolver ends: here every reply is the same junk.
    let world = World::builtin();
    let mut resolver = Resolver::new(
        ResolverConfig::default(),
        world.root_hints(),
        SequentialQueryIds::new(1),
    );
    resolver.start(&name("www.example.com."), RecordType::A, 0);
    let mut rounds = 0;
    while let Action::Send { .. } = resolver.next_action() {
        rounds += 1;
        assert!(rounds <= 64, "the resolver must give up");
        resolver
            .feed(Reply::Response(vec![0, 1, 0x80, 0, 0, 1, 0, 0]), 0)
            .expect("waiting");
    }
    let trace = resolver.take_trace().expect("finished");
    assert_eq!(trace.response_code, 2);
    assert!(matches!(
        trace.query_steps()[0].meaning,
        StepMeaning::Malformed { .. }
    ));

    for (qname, qtype) in [
        ("example.com.", RecordType::MX),
        ("_sip._udp.example.com.", RecordType::SRV),
        ("example.com.", RecordType::CAA),
        ("example.com.", RecordType::TXT),
        ("alias.example.com.", RecordType::AAAA),
        ("anything.wild.example.com.", RecordType::A),
        ("www.sub.example.com.", RecordType::A),
        ("www.demo.test.", RecordType::AAAA),
        ("outside.demo.test.", RecordType::A),
        ("dangling.demo.test.", RecordType::A),
        ("b.demo.test.", RecordType::TXT),
        ("x.wild.demo.test.", RecordType::TXT),
        ("a.root-servers.net.", RecordType::AAAA),
        ("com.", RecordType::NS),
        (".", RecordType::NS),
        ("www.example.invalid.", RecordType::A),
    ] {
        let trace = resolve(qname, qtype);
        assert!(
            trace.queries_sent <= 12,
            "{qname} {qtype}: {} queries",
            trace.queries_sent
        );
        let json = serde_json::to_string(&trace).expect("serializes");
        assert!(json.contains("\"kind\":\"query\""), "{qname}");
    }
}

#[test]
fn trace_json_carries_hex_messages() {
    let trace = resolve("www.example.com.", RecordType::A);
    let json = serde_json::to_value(&trace).expect("serializes");
    let first: &QueryStep = trace.query_steps()[0];
    let hex: String = first
        .query
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    assert_eq!(json["steps"][0]["query"], hex);
    assert_eq!(json["steps"][0]["meaning"]["meaning"], "referral");
    assert_eq!(json["status"]["status"], "answered");
    assert_eq!(json["qtype"]["mnemonic"], "A");
}

#[test]
fn missing_glue_is_reported_and_not_looped_on() {
    // A hand-made server (nothing is sent anywhere: the test answers the queries itself).
    let hints = RootHints {
        name_servers: vec![NameServerHint {
            name: name("a.root.test."),
            addresses: vec![address("127.0.0.1")],
        }],
    };
    let mut resolver = Resolver::new(ResolverConfig::default(), hints, SequentialQueryIds::new(1));
    resolver.start(&name("www.noglue.example."), RecordType::A, 0);
    let Action::Send {
        server_address,
        query_bytes,
        ..
    } = resolver.next_action()
    else {
        panic!("the resolver should ask the root first");
    };
    assert_eq!(server_address, address("127.0.0.1"));
    let query = Message::from_vec(&query_bytes).expect("query decodes");
    // A referral whose only name server is inside the delegated zone, without its address.
    let mut referral = Message::new(query.metadata.id, MessageType::Response, OpCode::Query);
    referral.add_query(Query::query(name("www.noglue.example."), RecordType::A));
    referral.add_authority(Record::from_rdata(
        name("noglue.example."),
        3600,
        RData::NS(NS(name("ns.noglue.example."))),
    ));
    resolver
        .feed(Reply::Response(referral.to_vec().expect("encodes")), 0)
        .expect("waiting for the root");
    let Action::Done(outcome) = resolver.next_action() else {
        panic!("nothing more can be asked");
    };
    assert_eq!(outcome.queries_sent, 1);
    let trace = resolver.take_trace().expect("finished");
    assert!(matches!(
        &trace.steps[1],
        TraceStep::Fault(fault) if fault.fault == Fault::MissingGlue
            && fault.zone == "noglue.example."
            && fault.name_server.as_deref() == Some("ns.noglue.example.")
    ));
    assert_eq!(
        trace.status,
        ResolutionStatus::Failed {
            reason: FailureReason::AllServersFailed {
                zone: "noglue.example.".into()
            }
        }
    );
    assert!(trace_text(&trace)
        .contains(";; missing glue: ns.noglue.example. is inside noglue.example."));
}

#[test]
fn the_stub_gets_its_id_rd_and_edns_back() {
    let world = World::builtin();
    let mut resolver = Resolver::new(
        ResolverConfig::default(),
        world.root_hints(),
        SequentialQueryIds::new(1),
    );
    resolver.start_for_stub(
        &name("www.example.com."),
        RecordType::A,
        0,
        StubRequest {
            id: 0xbeef,
            recursion_desired: false,
            edns_udp_payload_size: None,
        },
    );
    while let Action::Send {
        server_address,
        query_bytes,
        transport,
        ..
    } = resolver.next_action()
    {
        let reply = match world.exchange(server_address, &query_bytes, transport) {
            Exchange::Response(bytes) => Reply::Response(bytes),
            Exchange::Timeout => Reply::Timeout,
        };
        resolver.feed(reply, 0).expect("waiting");
    }
    let stub = final_response(&resolver.take_trace().expect("finished"));
    assert_eq!(stub.metadata.id, 0xbeef);
    assert!(!stub.metadata.recursion_desired);
    assert!(stub.metadata.recursion_available);
    assert!(stub.edns.is_none());
    assert_eq!(stub.answers.len(), 2);
}
