//! Tests of the Resolve tab's data over the built-in world. The expected records come from the
//! zone files under `world/zones/` (e.g. `alias.example.com.` is a CNAME to `www.example.com.`,
//! itself a CNAME to the apex, whose AAAA is 2606:2800:21f:cb07:6820:80da:af6b:8b2c).

use super::*;
use crate::resolver::simulate;

const OUTCOMES: &[&str] = &[
    "referral",
    "answer",
    "cname",
    "nxdomain",
    "nodata",
    "lame",
    "timeout",
    "servfail",
    "truncated",
    "cache",
];

fn resolve(name: &str, qtype: &str) -> PageResolution {
    resolve_for_page(&World::builtin(), name, qtype, DEFAULT_START_TIME)
        .unwrap_or_else(|error| panic!("{name} {qtype}: {error}"))
}

fn outcomes(resolution: &PageResolution) -> Vec<&'static str> {
    resolution.steps.iter().map(|step| step.outcome).collect()
}

#[test]
fn alias_example_com_aaaa_walks_root_com_example_com() {
    let resolution = resolve("alias.example.com", "AAAA");
    assert_eq!(resolution.name, "alias.example.com.");
    assert_eq!(resolution.qtype, "AAAA");
    assert_eq!(outcomes(&resolution), ["referral", "referral", "answer"]);
    let servers: Vec<(&str, &str, &str)> = resolution
        .steps
        .iter()
        .map(|step| {
            (
                step.server_name.as_str(),
                step.server_address.as_str(),
                step.zone.as_str(),
            )
        })
        .collect();
    assert_eq!(
        servers,
        [
            ("a.root-servers.net.", "198.41.0.4", "."),
            ("a.gtld-servers.net.", "198.51.100.1", "com."),
            ("ns1.example.com.", "192.0.2.53", "example.com."),
        ]
    );
    let referral = &resolution.steps[1];
    assert_eq!(
        referral.headline,
        "Referral to example.com.: 2 name servers, glue for 1."
    );
    assert_eq!(
        referral.key_records,
        [
            "example.com.\t\t172800\tIN\tNS\tns1.example.com.",
            "example.com.\t\t172800\tIN\tNS\tns2.example.net.",
            "ns1.example.com.\t172800\tIN\tA\t192.0.2.53",
        ]
    );
    let answer = &resolution.steps[2];
    assert_eq!(answer.question, "alias.example.com. AAAA");
    assert!(answer.headline.contains("2 CNAMEs"), "{}", answer.headline);
    assert_eq!(answer.transport, "udp");
    assert!(answer.query.is_some() && answer.response.is_some());
    assert_eq!(
        resolution.answer_lines,
        [
            "alias.example.com.\t3600\tIN\tCNAME\twww.example.com.",
            "www.example.com.\t3600\tIN\tCNAME\texample.com.",
            "example.com.\t\t3600\tIN\tAAAA\t2606:2800:21f:cb07:6820:80da:af6b:8b2c",
        ]
    );
    assert_eq!(resolution.status, "NOERROR, 3 answers");
    for (index, step) in resolution.steps.iter().enumerate() {
        assert_eq!(step.index, index);
        assert_eq!(step.depth, 0);
    }
}

#[test]
fn trace_texts_are_the_clis() {
    let world = World::builtin();
    let resolution = resolve("alias.example.com", "AAAA");
    let name = Name::from_ascii("alias.example.com.").expect("name");
    let trace = simulate(
        &world,
        &name,
        RecordType::AAAA,
        DEFAULT_START_TIME,
        DEFAULT_FIRST_ID,
    );
    assert_eq!(resolution.trace_json, trace_json(&trace).expect("json"));
    assert_eq!(resolution.trace_text, trace_text(&trace));
    assert!(resolution.trace_json.ends_with("}\n"));
}

#[test]
fn step_bytes_are_the_traces() {
    let resolution = resolve("www.example.com", "A");
    let world = World::builtin();
    let name = Name::from_ascii("www.example.com.").expect("name");
    let trace = simulate(&world, &name, RecordType::A, DEFAULT_START_TIME, 7);
    let queries = trace.query_steps();
    assert_eq!(queries.len(), resolution.steps.len());
    for (query, step) in queries.iter().zip(&resolution.steps) {
        // Only the IDs differ between the two runs.
        let page_response = step.response.as_deref().expect("response");
        assert_eq!(
            page_response.get(2..),
            query.response.as_deref().and_then(|bytes| bytes.get(2..))
        );
    }
}

#[test]
fn cache_rows_count_down_and_expire() {
    let resolution = resolve("www.example.com", "A");
    let row = |rows: &[CacheRow], name: &str, rtype: &str| {
        rows.iter()
            .find(|row| row.name == name && row.rtype == rtype)
            .cloned()
    };
    let a = row(&resolution.cache, "example.com.", "A").expect("the A RRset is cached");
    assert_eq!(a.ttl_left, 3600);
    assert_eq!(a.data, "93.184.215.14");
    let com = row(&resolution.cache, "com.", "NS").expect("the com. delegation is cached");
    assert_eq!(com.ttl_left, 172_800);
    assert!(
        com.data
            .starts_with("a.gtld-servers.net. (glue 198.51.100.1"),
        "{}",
        com.data
    );

    let later = cache_at(&resolution, DEFAULT_START_TIME + 600);
    assert_eq!(
        row(&later, "example.com.", "A").map(|row| row.ttl_left),
        Some(3000)
    );
    let much_later = cache_at(&resolution, DEFAULT_START_TIME + 3600);
    assert!(row(&much_later, "example.com.", "A").is_none());
    assert!(row(&much_later, "com.", "NS").is_some());
}

#[test]
fn a_session_answers_from_its_cache_until_the_ttl_runs_out() {
    let world = World::builtin();
    let mut session = ResolveSession::new(&world);
    let first = session
        .resolve(&world, "www.example.com", "A", DEFAULT_START_TIME)
        .expect("resolves");
    assert_eq!(first.steps.len(), 3);
    let again = session
        .resolve(&world, "www.example.com", "A", DEFAULT_START_TIME + 10)
        .expect("resolves");
    assert_eq!(outcomes(&again), ["cache", "cache"]);
    assert_eq!(again.steps[0].server_name, "");
    assert!(again.steps[0].query.is_none());
    assert!(
        again.steps[1].headline.contains("3590 s left"),
        "{}",
        again.steps[1].headline
    );
    assert_eq!(
        again.steps[1].key_records,
        ["example.com.\t\t3590\tIN\tA\t93.184.215.14"]
    );
    // After an hour the records are gone, the delegation of example.com. is not (two days).
    let later = session
        .resolve(&world, "www.example.com", "A", DEFAULT_START_TIME + 4000)
        .expect("resolves");
    assert_eq!(outcomes(&later), ["cache", "answer"]);
    assert_eq!(later.steps[0].zone, "example.com.");
    // Negative answers are cached for min(SOA TTL, MINIMUM) = 300 s.
    session
        .resolve(&world, "nope.example.com", "A", DEFAULT_START_TIME)
        .expect("resolves");
    let rows = session.cache_at(DEFAULT_START_TIME + 100);
    let negative = rows
        .iter()
        .find(|row| row.name == "nope.example.com.")
        .expect("the NXDOMAIN is cached");
    assert_eq!(
        (negative.rtype.as_str(), negative.ttl_left),
        ("NXDOMAIN", 200)
    );
    session.clear_cache();
    assert!(session.cache_at(DEFAULT_START_TIME).is_empty());
}

#[test]
fn each_scenario_shows_what_its_sentence_says() {
    let world = World::builtin();
    for scenario in scenarios() {
        let resolution =
            resolve_for_page(&world, scenario.name, scenario.qtype, DEFAULT_START_TIME)
                .unwrap_or_else(|error| panic!("{}: {error}", scenario.id));
        let seen = outcomes(&resolution);
        let last = seen.last().copied();
        let context = format!("{}: {seen:?} {}", scenario.id, resolution.status);
        for step in &resolution.steps {
            assert!(OUTCOMES.contains(&step.outcome), "{context}");
            assert!(!step.headline.is_empty(), "{context}");
        }
        match scenario.id {
            "cname-chain" => {
                let cnames: Vec<&PageStep> = resolution
                    .steps
                    .iter()
                    .filter(|step| step.outcome == "cname")
                    .collect();
                assert_eq!(cnames.len(), 2, "{context}");
                assert_eq!(cnames[0].zone, "example.com.", "{context}");
                assert_eq!(cnames[1].zone, "example.org.", "{context}");
                assert_eq!(last, Some("answer"), "{context}");
                assert_eq!(
                    resolution.steps.last().map(|step| step.zone.as_str()),
                    Some("example.net.")
                );
                assert_eq!(resolution.status, "NOERROR, 3 answers");
            }
            "nxdomain" => {
                assert_eq!(last, Some("nxdomain"), "{context}");
                assert_eq!(resolution.status, "NXDOMAIN");
                let step = resolution.steps.last().expect("a step");
                assert!(step.headline.contains("300 s"), "{}", step.headline);
                assert!(step.key_records.iter().any(|line| line.contains("\tSOA\t")));
            }
            "nodata" => {
                assert_eq!(last, Some("nodata"), "{context}");
                assert_eq!(resolution.status, "NOERROR, no AAAA records (NODATA)");
                assert!(resolution.answer_lines.is_empty());
            }
            "glueless" => {
                let glueless = resolution
                    .steps
                    .iter()
                    .find(|step| step.outcome == "referral" && step.headline.contains("no glue"))
                    .expect("a referral without glue");
                assert_eq!(glueless.zone, "test.", "{context}");
                let nested: Vec<&PageStep> = resolution
                    .steps
                    .iter()
                    .filter(|step| step.depth == 1)
                    .collect();
                assert!(!nested.is_empty(), "{context}");
                assert!(nested
                    .iter()
                    .all(|step| step.question == "ns1.hosting.example.net. A"));
                let answer = resolution.steps.last().expect("a step");
                assert_eq!(
                    (answer.depth, answer.outcome, answer.server_name.as_str()),
                    (0, "answer", "ns1.hosting.example.net.")
                );
            }
            "lame" => {
                assert_eq!(
                    seen.iter().filter(|outcome| **outcome == "lame").count(),
                    2,
                    "{context}"
                );
                assert_eq!(last, Some("answer"), "{context}");
            }
            "unreachable" => {
                let timeout = resolution
                    .steps
                    .iter()
                    .find(|step| step.outcome == "timeout")
                    .expect("a timeout");
                assert_eq!(timeout.server_address, "203.0.113.40");
                assert!(timeout.response.is_none() && timeout.query.is_some());
                assert_eq!(last, Some("answer"), "{context}");
            }
            "wildcard" => {
                assert_eq!(last, Some("answer"), "{context}");
                assert_eq!(
                    resolution.answer_lines,
                    ["anything.wild.example.com. 3600\tIN\tA\t192.0.2.99"]
                );
            }
            "truncation" => {
                let truncated = seen
                    .iter()
                    .position(|outcome| *outcome == "truncated")
                    .expect("a truncated step");
                let retry = &resolution.steps[truncated + 1];
                assert_eq!(resolution.steps[truncated].transport, "udp");
                assert_eq!((retry.transport, retry.outcome), ("tcp", "answer"));
                assert_eq!(
                    retry.server_address,
                    resolution.steps[truncated].server_address
                );
            }
            "long-txt" => {
                assert_eq!(last, Some("answer"), "{context}");
                assert!(resolution.steps.iter().all(|step| step.transport == "udp"));
                let [line] = resolution.answer_lines.as_slice() else {
                    panic!("{context}: {:?}", resolution.answer_lines);
                };
                assert_eq!(line.matches("\" \"").count(), 2, "three strings: {line}");
            }
            "servfail" => {
                assert!(seen.contains(&"servfail"), "{context}");
                assert_eq!(last, Some("answer"), "{context}");
            }
            "all-fail" => {
                assert!(resolution.status.starts_with("SERVFAIL: "), "{context}");
                assert!(
                    seen.contains(&"servfail") && seen.contains(&"timeout"),
                    "{context}"
                );
            }
            other => panic!("scenario {other} has no check"),
        }
    }
}

#[test]
fn bad_names_and_types_are_refused_in_words() {
    let world = World::builtin();
    let error = resolve_for_page(&world, "a..b", "A", 0).expect_err("empty label");
    assert!(error.contains("is not a domain name"), "{error}");
    let error = resolve_for_page(&world, "www.example.com", "NOTATYPE", 0).expect_err("type");
    assert!(error.contains("is not a record type"), "{error}");
    assert!(resolve_for_page(&world, "", "A", 0).is_err());
    assert!(resolve_for_page(&world, "example.com", "AXFR", 0).is_err());
    assert!(resolve_for_page(&world, "example.com", "type65280", 0).is_ok());
}

#[test]
fn resolve_fragments_round_trip() {
    assert_eq!(
        parse_resolve_fragment("alias.example.com/AAAA"),
        Ok(("alias.example.com".to_owned(), "AAAA".to_owned()))
    );
    assert_eq!(
        parse_resolve_fragment("www.example.com./mx"),
        Ok(("www.example.com.".to_owned(), "MX".to_owned()))
    );
    assert_eq!(
        parse_resolve_fragment("www.example.com"),
        Ok(("www.example.com".to_owned(), "A".to_owned()))
    );
    assert!(parse_resolve_fragment("").is_err());
    assert!(parse_resolve_fragment("www.example.com/BOGUS").is_err());
    assert_eq!(
        resolve_fragment("alias.example.com", "AAAA"),
        "resolve=alias.example.com/AAAA"
    );
    let fragment = resolve_fragment("a b.example", "A");
    assert_eq!(fragment, "resolve=a%20b.example/A");
    match crate::page::parse_fragment(&fragment) {
        crate::page::Route::Resolve(value) => assert_eq!(value, "a b.example/A"),
        other => panic!("{other:?}"),
    }
}

#[test]
#[ignore = "prints the scenarios' steps for a reader"]
fn print_scenarios() {
    for scenario in scenarios() {
        let resolution = resolve(scenario.name, scenario.qtype);
        println!(
            "== {} {} {}: {}",
            scenario.id, scenario.name, scenario.qtype, resolution.status
        );
        for step in &resolution.steps {
            println!(
                "{}{} [{}] {} {} {} {}: {}",
                "  ".repeat(step.depth),
                step.index,
                step.outcome,
                step.server_name,
                step.server_address,
                step.zone,
                step.transport,
                step.headline
            );
        }
    }
}
