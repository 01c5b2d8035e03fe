//! Unit tests of the built-in world: the zone files load, the server table matches the glue,
//! and exchanges behave like the servers they stand for.

use std::net::IpAddr;

use hickory_proto::op::{Message, ResponseCode};
use hickory_proto::rr::{Name, RData, RecordType};

use super::servers::{ServerSpec, SERVER_TABLE, UNREACHABLE_ADDRESSES};
use super::*;
use crate::resolver::encode_query;
use crate::zone::parse_zone;

fn name(text: &str) -> Name {
    Name::from_ascii(text).expect("test name")
}

fn address(text: &str) -> IpAddr {
    text.parse().expect("test address")
}

fn ask(world: &World, server: &str, qname: &str, qtype: RecordType) -> Exchange {
    let query = encode_query(4242, &name(qname), qtype, 1232).expect("query encodes");
    world.exchange(address(server), &query, Transport::Udp)
}

fn response(exchange: Exchange) -> Message {
    match exchange {
        Exchange::Response(bytes) => Message::from_vec(&bytes).expect("response decodes"),
        Exchange::Timeout => panic!("expected a response, got a timeout"),
    }
}

#[test]
fn every_builtin_zone_loads_cleanly() {
    let world = World::builtin();
    assert!(world.load_errors().is_empty(), "{:?}", world.load_errors());
    assert_eq!(world.zones().len(), BUILTIN_ZONE_FILES.len());
    for zone in world.zones().zones() {
        assert!(
            zone.warnings().is_empty(),
            "{}: {:?}",
            zone.origin(),
            zone.warnings()
        );
    }
}

#[test]
fn example_com_is_the_zone_of_the_captures() {
    let capture_zone = include_str!("../../tests/data/captures/example.com.zone");
    let file = BUILTIN_ZONE_FILES
        .iter()
        .find(|file| file.origin == "example.com.")
        .expect("example.com. is built in");
    assert_eq!(file.text, capture_zone);
    let world = World::builtin();
    let zone = world.zones().get(&name("example.com.")).expect("loaded");
    let from_capture = parse_zone(capture_zone, None).expect("capture zone parses");
    assert_eq!(
        zone.records().collect::<Vec<_>>(),
        from_capture.records().collect::<Vec<_>>()
    );
    // 21 record lines in the file.
    assert_eq!(zone.record_count(), 21);
}

// Expected values: IANA's named.root (https://www.internic.net/domain/named.root).
#[test]
fn root_hints_are_the_real_root_servers() {
    let hints = World::builtin().root_hints();
    let names: Vec<String> = hints
        .name_servers
        .iter()
        .map(|hint| hint.name.to_ascii())
        .collect();
    let expected: Vec<String> = ('a'..='m')
        .map(|letter| format!("{letter}.root-servers.net."))
        .collect();
    assert_eq!(names, expected);
    let addresses_of = |letter: usize| hints.name_servers[letter].addresses.clone();
    assert_eq!(
        addresses_of(0),
        vec![address("198.41.0.4"), address("2001:503:ba3e::2:30")]
    );
    assert_eq!(
        addresses_of(1),
        vec![address("170.247.170.2"), address("2801:1b8:10::b")]
    );
    assert_eq!(
        addresses_of(5),
        vec![address("192.5.5.241"), address("2001:500:2f::f")]
    );
    assert_eq!(
        addresses_of(10),
        vec![address("193.0.14.129"), address("2001:7fd::1")]
    );
    assert_eq!(
        addresses_of(12),
        vec![address("202.12.27.33"), address("2001:dc3::35")]
    );
}

#[test]
fn the_server_table_matches_the_zones() {
    let world = World::builtin();
    for spec in SERVER_TABLE {
        let server = world
            .servers()
            .iter()
            .find(|server| server.name == name(spec.name))
            .expect("every table row is a server");
        assert_eq!(
            server.zones().len(),
            spec.zones.len(),
            "{}: a zone name has a typo",
            spec.name
        );
        for listed in spec.addresses {
            assert_eq!(
                world.server_at(address(listed)).map(|found| &found.name),
                Some(&server.name),
                "{listed} is claimed by two servers"
            );
        }
    }
    let lame_on_purpose = ["203.0.113.30", "203.0.113.31"];
    // Every glue address in every zone leads to a server of the delegated zone, or is one of
    // the deliberate faults.
    let mut delegations_checked = 0;
    for zone in world.zones().zones() {
        for node in zone.nodes().filter(|node| node.is_delegation()) {
            let Some(name_servers) = node.rrset(RecordType::NS) else {
                continue;
            };
            for record in name_servers.records() {
                let RData::NS(name_server) = &record.data else {
                    continue;
                };
                for glue in addresses_in_zone(zone, &name_server.0) {
                    delegations_checked += 1;
                    let text = glue.to_string();
                    if UNREACHABLE_ADDRESSES.contains(&text.as_str()) {
                        assert!(world.server_at(glue).is_none());
                        continue;
                    }
                    let server = world
                        .server_at(glue)
                        .unwrap_or_else(|| panic!("glue {glue} of {} leads nowhere", node.name()));
                    let serves_child = server.zones().get(node.name()).is_some();
                    let faulty = lame_on_purpose.contains(&text.as_str())
                        || server.behaviour == ServerBehaviour::AlwaysServFail;
                    assert!(
                        serves_child || faulty,
                        "{} at {glue} does not serve {}",
                        server.name,
                        node.name()
                    );
                    assert_eq!(
                        server.name, name_server.0,
                        "glue {glue} names another server"
                    );
                }
            }
        }
    }
    assert!(
        delegations_checked > 40,
        "only {delegations_checked} glue addresses checked"
    );
    // The table itself must not be empty by accident.
    let _: &[ServerSpec] = SERVER_TABLE;
}

#[test]
fn servers_answer_like_real_ones() {
    let world = World::builtin();
    // Nobody listens here.
    assert_eq!(
        ask(
            &world,
            "203.0.113.40",
            "www.unreachable.test.",
            RecordType::A
        ),
        Exchange::Timeout
    );
    assert_eq!(
        ask(&world, "192.0.2.1", "www.example.com.", RecordType::A),
        Exchange::Timeout
    );
    // A server without the zone refuses.
    let refused = response(ask(&world, "203.0.113.30", "www.lame.test.", RecordType::A));
    assert_eq!(refused.metadata.response_code, ResponseCode::Refused);
    assert_eq!(refused.metadata.id, 4242);
    // The broken server fails, echoing the question and EDNS.
    let failed = response(ask(
        &world,
        "203.0.113.50",
        "www.broken.test.",
        RecordType::A,
    ));
    assert_eq!(failed.metadata.response_code, ResponseCode::ServFail);
    assert_eq!(failed.queries.len(), 1);
    assert!(failed.edns.is_some());
    // A root server refers to com.
    let referral = response(ask(&world, "198.41.0.4", "www.example.com.", RecordType::A));
    assert!(!referral.metadata.authoritative);
    assert!(referral
        .authorities
        .iter()
        .all(|record| record.name == name("com.") && record.record_type() == RecordType::NS));
    // ns2.example.net serves both its zones authoritatively.
    for (qname, expected) in [
        ("example.com.", "93.184.215.14"),
        ("web.example.net.", "203.0.113.12"),
    ] {
        let answer = response(ask(&world, "203.0.113.11", qname, RecordType::A));
        assert!(answer.metadata.authoritative, "{qname}");
        assert_eq!(answer.answers.len(), 1);
        assert_eq!(
            answer.answers[0].data,
            RData::A(expected.parse().expect("address"))
        );
    }
    // Not a DNS message: dropped.
    assert_eq!(
        world.exchange(address("203.0.113.50"), &[1, 2, 3], Transport::Udp),
        Exchange::Timeout
    );
}

#[test]
fn extra_zones_are_delegated_and_served() {
    let corp = parse_zone(
        "$ORIGIN corp.test.\n$TTL 600\n@ SOA ns1 hostmaster 1 2 3 4 60\n@ NS ns1\n@ NS ns2.example.net.\nns1 A 192.0.2.200\nwww A 192.0.2.201\n",
        None,
    )
    .expect("corp.test parses");
    let replaced_example_org = parse_zone(
        "$ORIGIN example.org.\n@ 60 SOA ns1 hostmaster 1 2 3 4 60\n@ 60 NS ns1\nns1 60 A 203.0.113.20\nwww 60 A 198.51.100.99\n",
        None,
    )
    .expect("example.org parses");
    let world = World::builtin()
        .with_extra_zones(vec![corp, replaced_example_org])
        .expect("the zones join the world");

    // test. now delegates corp.test. with glue for the in-zone server only.
    let referral = response(ask(
        &world,
        "198.51.100.20",
        "www.corp.test.",
        RecordType::A,
    ));
    let name_servers: Vec<&Record> = referral.authorities.iter().collect();
    assert_eq!(name_servers.len(), 2);
    assert_eq!(referral.additionals.len(), 1);
    assert_eq!(referral.additionals[0].name, name("ns1.corp.test."));
    // The new server and the existing ns2.example.net both serve it.
    for server in ["192.0.2.200", "203.0.113.11"] {
        let answer = response(ask(&world, server, "www.corp.test.", RecordType::A));
        assert!(answer.metadata.authoritative, "{server}");
        assert_eq!(
            answer.answers[0].data,
            RData::A("192.0.2.201".parse().expect("address"))
        );
    }
    // The replaced zone is served by the server of the old one.
    let answer = response(ask(
        &world,
        "203.0.113.20",
        "www.example.org.",
        RecordType::A,
    ));
    assert_eq!(
        answer.answers[0].data,
        RData::A("198.51.100.99".parse().expect("address"))
    );
}
