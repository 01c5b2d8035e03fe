//! `dnslab resolve`: the simulated resolver from the command line, its trace, its JSON and its
//! extra zones. Nothing leaves the process: the mini-internet lives in memory.
//!
//! Facts checked come from outside the resolver: the root servers' names and addresses from
//! IANA's root hints (named.root), the records from the shared `example.com.zone`, and the zone
//! files the tests write.

use serde_json::Value;

use crate::network::dnslab;

fn stdout_of(arguments: &[&str]) -> String {
    let output = dnslab(arguments);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{arguments:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Where `needle` starts in `haystack`, or a failure that shows both.
fn position(haystack: &str, needle: &str) -> usize {
    haystack
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not found in\n{haystack}"))
}

#[test]
fn trace_walks_root_then_com_then_example_com_to_the_address() {
    let trace = stdout_of(&["resolve", "www.example.com", "A", "--trace"]);
    // The root servers delegate com. to the gtld servers, which delegate example.com. to its
    // name servers (ns1.example.com. and ns2.example.net. in the zone file), which answer.
    let delegation_to_com = position(&trace, "com.\t\t\t172800\tIN\tNS\t");
    let root_answer = position(&trace, "(a.root-servers.net) in 0 ms");
    let delegation_to_example =
        position(&trace, "example.com.\t\t172800\tIN\tNS\tns1.example.com.");
    let final_answer = position(&trace, "example.com.\t\t3600\tIN\tA\t93.184.215.14");
    let from_example_servers = position(&trace, "(ns1.example.com) in 0 ms");
    assert!(delegation_to_com < root_answer, "{trace}");
    assert!(root_answer < delegation_to_example, "{trace}");
    assert!(delegation_to_example < final_answer, "{trace}");
    assert!(final_answer < from_example_servers, "{trace}");
    // a.root-servers.net. is 198.41.0.4 in the root hints.
    assert!(
        trace.contains("from 198.41.0.4#53(a.root-servers.net)"),
        "{trace}"
    );
    assert!(
        trace.contains("www.example.com.\t3600\tIN\tCNAME\texample.com."),
        "{trace}"
    );
}

#[test]
fn the_default_output_is_the_final_response_like_dig() {
    let text = stdout_of(&["resolve", "www.example.com"]);
    assert!(
        text.contains(";; ->>HEADER<<- opcode: QUERY, status: NOERROR"),
        "{text}"
    );
    // A recursive resolver's answer: RA set, not authoritative.
    assert!(text.contains(";; flags: qr rd ra;"), "{text}");
    assert!(
        text.contains("example.com.\t\t3600\tIN\tA\t93.184.215.14"),
        "{text}"
    );
}

#[test]
fn an_unknown_name_is_nxdomain_with_the_zone_soa() {
    let text = stdout_of(&["resolve", "nope.example.com", "A"]);
    assert!(text.contains("status: NXDOMAIN"), "{text}");
    // RFC 2308: the SOA with TTL min(3600, 300) = 300, as the zone file gives it.
    assert!(
        text.contains("example.com.\t\t300\tIN\tSOA\tns1.example.com. hostmaster.example.com. 2026112601 7200 3600 1209600 300"),
        "{text}"
    );
    let trace = stdout_of(&["resolve", "nope.example.com", "A", "--trace"]);
    assert!(trace.contains("NXDOMAIN"), "{trace}");
}

#[test]
fn json_is_the_whole_trace() {
    let text = stdout_of(&["resolve", "www.example.com", "A", "--json"]);
    let trace: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(trace["name"], "www.example.com.");
    assert_eq!(trace["response_code"], 0);
    assert_eq!(trace["queries_sent"], 3, "root, com., example.com.");
    let steps = trace["steps"].as_array().expect("steps");
    assert!(steps.len() >= 3, "{text}");
    // Same arguments, same trace: the clock and the IDs are fixed.
    assert_eq!(
        text,
        stdout_of(&["resolve", "www.example.com", "A", "--json"])
    );
    // Another first ID changes the IDs, and nothing else about the outcome.
    let other: Value = serde_json::from_str(&stdout_of(&[
        "resolve",
        "www.example.com",
        "A",
        "--json",
        "--first-id",
        "77",
    ]))
    .expect("JSON");
    assert_eq!(other["queries_sent"], trace["queries_sent"]);
    assert_ne!(other["steps"], trace["steps"]);
}

#[test]
fn the_pages_trace_json_is_the_clis() {
    use dnslab_core::page::resolve::{resolve_for_page, DEFAULT_START_TIME};
    use dnslab_core::world::World;
    for (name, qtype) in [("alias.example.com", "AAAA"), ("www.glueless.test", "A")] {
        let page = resolve_for_page(&World::builtin(), name, qtype, DEFAULT_START_TIME)
            .expect("the page resolves it");
        assert_eq!(
            page.trace_json,
            stdout_of(&["resolve", name, qtype, "--json"]),
            "{name} {qtype}"
        );
        assert_eq!(
            page.trace_text,
            stdout_of(&["resolve", name, qtype, "--trace"]),
            "{name} {qtype}"
        );
    }
}

#[test]
fn extra_zones_join_the_world_and_bad_ones_exit_2() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let school = folder.path().join("school.test.zone");
    std::fs::write(
        &school,
        "$ORIGIN school.test.\n$TTL 600\n@ IN SOA ns1 admin 1 3600 600 86400 60\n@ IN NS ns1\nns1 IN A 192.0.2.200\nwww IN A 192.0.2.201\n",
    )
    .expect("write");
    let school_path = school.to_str().expect("UTF-8");
    let trace = stdout_of(&[
        "resolve",
        "www.school.test",
        "--zone",
        school_path,
        "--trace",
    ]);
    assert!(
        trace.contains("school.test.\t\t172800\tIN\tNS\tns1.school.test.")
            || trace.contains("school.test.\t\t600\tIN\tNS\tns1.school.test."),
        "{trace}"
    );
    assert!(
        trace.contains("www.school.test.\t600\tIN\tA\t192.0.2.201"),
        "{trace}"
    );

    let broken = folder.path().join("broken.zone");
    std::fs::write(
        &broken,
        "$ORIGIN broken.example.\n@ IN SOA ns1 admin 1 2 3 4\n",
    )
    .expect("write");
    let output = dnslab(&[
        "resolve",
        "www.example.com",
        "--zone",
        broken.to_str().expect("UTF-8"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("{}:", broken.display())),
        "{stderr}"
    );
}

#[test]
fn bad_names_and_types_are_usage_errors() {
    assert_eq!(
        dnslab(&["resolve", "www.example.com", "NOTATYPE"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(dnslab(&["resolve", "a..b"]).status.code(), Some(1));
}
