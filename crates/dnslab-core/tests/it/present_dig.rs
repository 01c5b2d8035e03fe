//! Differential tests of `present`: our dig text and RFC 8427 JSON against real `dig` and `kdig`.
//!
//! A Knot DNS server on 127.0.0.1 serves the shared `example.com` zone (signed on load, with NSID,
//! an identity and server cookies). Every query goes through a small recording UDP relay, so dig
//! (or kdig) prints exactly the response bytes we then dissect and present ourselves: the two
//! outputs must agree. Only what legitimately differs is masked: dig's `(good)` cookie verdict
//! (it compares with the cookie dig sent, which a decoder cannot know).
//!
//! A second set sends hand-made responses from a fake server (the relay answering by itself) to
//! reach header and EDNS corners Knot never produces: the Z bit, EDNS flag bits, extended RCODEs,
//! unknown types, UPDATE sections, long owner names.
//!
//! All traffic stays on loopback. The tests need `knotd`, `dig` and `kdig` (Debian packages
//! `knot`, `bind9-dnsutils`, `knot-dnsutils`); they fail with a clear message when one is missing.

use std::net::UdpSocket;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use dnslab_core::dissect::dissect;
use dnslab_core::present::{dig_text, rfc8427_json};
use serde_json::Value;

use crate::captures::captures_dir;

/// A Knot DNS server in a temporary folder, killed when dropped.
struct KnotServer {
    child: Child,
    port: u16,
    folder: PathBuf,
}

impl KnotServer {
    fn start() -> Self {
        // Tests run in parallel: each server gets its own folder.
        static SERVERS_STARTED: AtomicUsize = AtomicUsize::new(0);
        let folder = std::env::temp_dir().join(format!(
            "dnslab-present-knot-{}-{}",
            std::process::id(),
            SERVERS_STARTED.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(folder.join("run")).expect("create the Knot folder");
        std::fs::copy(
            captures_dir().join("example.com.zone"),
            folder.join("example.com.zone"),
        )
        .expect("copy the zone file");
        let port = free_udp_port();
        let config = format!(
            "server:\n    listen: 127.0.0.1@{port}\n    rundir: {run}\n    nsid: knot\n    \
             identity: dnslab-test\n\
             database:\n    storage: {dir}\n\
             template:\n  - id: default\n    storage: {dir}\n    global-module: mod-cookies\n    \
             zonefile-sync: -1\n    journal-content: none\n\
             zone:\n  - domain: example.com\n    file: example.com.zone\n    dnssec-signing: on\n\
             log:\n  - target: stderr\n    any: warning\n",
            run = folder.join("run").display(),
            dir = folder.display(),
        );
        let config_path = folder.join("knot.conf");
        std::fs::write(&config_path, config).expect("write the Knot configuration");
        let log = std::fs::File::create(folder.join("knotd.log")).expect("create the Knot log");
        let child = Command::new(tool_path("knotd"))
            .arg("-c")
            .arg(&config_path)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start knotd");
        let server = Self {
            child,
            port,
            folder,
        };
        server.wait_until_signed();
        server
    }

    /// Waits until Knot answers the DNSKEY query: the zone is loaded and signed.
    fn wait_until_signed(&self) {
        let socket = UdpSocket::bind("127.0.0.1:0").expect("bind a client socket");
        socket
            .set_read_timeout(Some(Duration::from_millis(200)))
            .expect("set a timeout");
        // A hand-made query: ID 0x0101, no flags, one question `example.com. IN DNSKEY`.
        let mut query = vec![1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        query.extend_from_slice(b"\x07example\x03com\x00\x00\x30\x00\x01");
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut response = [0u8; 4096];
        while Instant::now() < deadline {
            let _ = socket.send_to(&query, ("127.0.0.1", self.port));
            if let Ok(length) = socket.recv(&mut response) {
                let answer_count = response.get(6..8).map_or(0, |bytes| bytes[1]);
                if length > 12 && answer_count > 0 {
                    return;
                }
            }
            thread::sleep(Duration::from_millis(100));
        }
        let log = std::fs::read_to_string(self.folder.join("knotd.log")).unwrap_or_default();
        panic!("Knot did not serve a signed example.com within 20 s; its log:\n{log}");
    }
}

impl Drop for KnotServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

/// A port that was free a moment ago on 127.0.0.1 (the small race is acceptable in tests).
fn free_udp_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .and_then(|socket| socket.local_addr())
        .map(|address| address.port())
        .expect("find a free port")
}

/// The path of a tool, or a panic that says which package provides it.
fn tool_path(tool: &str) -> PathBuf {
    for folder in [
        "/usr/sbin",
        "/usr/bin",
        "/sbin",
        "/bin",
        "/usr/local/bin",
        "/usr/local/sbin",
    ] {
        let candidate = Path::new(folder).join(tool);
        if candidate.exists() {
            return candidate;
        }
    }
    panic!(
        "{tool} is not installed: these tests compare with real tools \
         (apt-get install knot bind9-dnsutils knot-dnsutils)"
    );
}

/// How the relay answers a query.
#[derive(Clone)]
enum Upstream {
    /// Forward to this port on 127.0.0.1 and relay the response back.
    Forward(u16),
    /// Answer by itself: the function builds the response from the query.
    Fake(ResponseBuilder),
}

/// Runs `tool` with `arguments` against a recording relay; returns the tool's standard output
/// and every response the relay passed back, in order.
fn run_through_relay(upstream: Upstream, tool: &str, arguments: &[&str]) -> (String, Vec<Vec<u8>>) {
    let relay = UdpSocket::bind("127.0.0.1:0").expect("bind the relay");
    relay
        .set_read_timeout(Some(Duration::from_millis(50)))
        .expect("set a timeout");
    let relay_port = relay.local_addr().expect("relay address").port();
    let responses = Arc::new(Mutex::new(Vec::new()));
    let finished = Arc::new(AtomicBool::new(false));
    let relay_thread = {
        let responses = Arc::clone(&responses);
        let finished = Arc::clone(&finished);
        thread::spawn(move || {
            let upstream_socket = UdpSocket::bind("127.0.0.1:0").expect("bind upstream socket");
            upstream_socket
                .set_read_timeout(Some(Duration::from_secs(2)))
                .expect("set a timeout");
            let mut buffer = vec![0u8; 65535];
            while !finished.load(Ordering::Relaxed) {
                let Ok((length, client)) = relay.recv_from(&mut buffer) else {
                    continue;
                };
                let query = buffer[..length].to_vec();
                let response = match &upstream {
                    Upstream::Forward(port) => {
                        let _ = upstream_socket.send_to(&query, ("127.0.0.1", *port));
                        let mut answer = vec![0u8; 65535];
                        match upstream_socket.recv(&mut answer) {
                            Ok(answer_length) => answer[..answer_length].to_vec(),
                            Err(_) => continue,
                        }
                    }
                    Upstream::Fake(build) => build(&query),
                };
                responses.lock().expect("lock").push(response.clone());
                let _ = relay.send_to(&response, client);
            }
        })
    };
    let port_text = relay_port.to_string();
    let mut command_arguments = vec!["@127.0.0.1", "-p", &port_text];
    command_arguments.extend_from_slice(arguments);
    let output = Command::new(tool_path(tool))
        .args(&command_arguments)
        .output()
        .unwrap_or_else(|error| panic!("run {tool}: {error}"));
    finished.store(true, Ordering::Relaxed);
    relay_thread.join().expect("relay thread");
    let responses = std::mem::take(&mut *responses.lock().expect("lock"));
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        responses,
    )
}

/// dig's printout of the last message it received, from its `;; ->>HEADER<<-` line, with the
/// cookie verdict masked and trailing blank lines removed.
fn dig_message_block(dig_output: &str) -> String {
    let start = dig_output
        .rfind(";; ->>HEADER<<-")
        .unwrap_or_else(|| panic!("dig printed no message:\n{dig_output}"));
    let lines: Vec<String> = dig_output[start..]
        .lines()
        .map(|line| {
            if line.starts_with("; COOKIE: ") {
                line.trim_end_matches(" (good)")
                    .trim_end_matches(" (bad)")
                    .to_owned()
            } else {
                line.to_owned()
            }
        })
        .collect();
    lines.join("\n").trim_end().to_owned()
}

/// Our text for a response, in the same shape as [`dig_message_block`].
fn our_block(response: &[u8]) -> String {
    dig_text(&dissect(response), response).trim_end().to_owned()
}

/// dig's display options: the message only, no command echo or statistics.
const DIG_DISPLAY: [&str; 8] = [
    "+noall",
    "+comments",
    "+question",
    "+answer",
    "+authority",
    "+additional",
    "+tries=1",
    "+timeout=3",
];

/// The queries of the differential test: what the shared capture shows, and a few more.
const KNOT_QUERIES: &[&[&str]] = &[
    &["www.example.com", "A"],
    &["example.com", "AAAA"],
    &["example.com", "MX"],
    &["example.com", "NS"],
    &["example.com", "SOA", "+dnssec"],
    &["example.com", "TXT", "+nsid"],
    &["nx.example.com", "A", "+dnssec"],
    &["mail.example.com", "TXT"],
    &["host.wild.example.com", "A", "+dnssec"],
    &["host.sub.example.com", "A"],
    &["_sip._udp.example.com", "SRV"],
    &["example.com", "CAA"],
    &["alias.example.com", "A"],
    &["ext.example.com", "A", "+nocookie"],
    &["example.com", "ANY", "+notcp"],
    &["example.com", "DNSKEY", "+dnssec"],
    &["example.com", "CDS", "+dnssec"],
    &["long.example.com", "TXT", "+noedns", "+ignore"],
    &["long.example.com", "TXT", "+bufsize=512", "+ignore"],
    &["example.com", "SOA", "+expire"],
    &["example.org", "A"],
    &["id.server", "CH", "TXT"],
    &["example.com", "NSEC", "+dnssec", "+cdflag", "+adflag"],
];

#[test]
fn dig_text_matches_dig_on_knot_answers() {
    let knot = KnotServer::start();
    let mut mismatches = Vec::new();
    for query in KNOT_QUERIES {
        let mut arguments: Vec<&str> = query.to_vec();
        arguments.extend_from_slice(&DIG_DISPLAY);
        let (output, responses) =
            run_through_relay(Upstream::Forward(knot.port), "dig", &arguments);
        let response = responses
            .last()
            .unwrap_or_else(|| panic!("no response relayed for dig {query:?}:\n{output}"));
        let theirs = dig_message_block(&output);
        let ours = our_block(response);
        if theirs != ours {
            mismatches.push(format!(
                "dig {}\n--- dig ---\n{theirs}\n--- dnslab ---\n{ours}\n",
                query.join(" ")
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} queries differ:\n{}",
        mismatches.len(),
        KNOT_QUERIES.len(),
        mismatches.join("\n")
    );
}

/// The members RFC 8427 gives the message object that kdig prints too.
const MESSAGE_MEMBERS: [&str; 19] = [
    "ID",
    "QR",
    "Opcode",
    "AA",
    "TC",
    "RD",
    "RA",
    "AD",
    "CD",
    "RCODE",
    "QDCOUNT",
    "ANCOUNT",
    "NSCOUNT",
    "ARCOUNT",
    "QNAME",
    "QTYPE",
    "QTYPEname",
    "QCLASS",
    "QCLASSname",
];

/// Types whose master-file text kdig and dig (whose form we follow) write the same way.
const SAME_TEXT_TYPES: [&str; 10] = [
    "A", "AAAA", "CNAME", "NS", "MX", "SOA", "TXT", "SRV", "CAA", "PTR",
];

/// The last JSON object in kdig's output.
fn last_json_object(output: &str, context: &str) -> Value {
    let mut last = None;
    let mut rest = output;
    while let Some(start) = rest.find('{') {
        let mut stream = serde_json::Deserializer::from_str(&rest[start..]).into_iter::<Value>();
        match stream.next() {
            Some(Ok(value)) => {
                last = Some(value);
                rest = &rest[start + stream.byte_offset()..];
            }
            _ => rest = &rest[start + 1..],
        }
    }
    last.unwrap_or_else(|| panic!("kdig {context} printed no JSON:\n{output}"))
}

/// Compares one of our record objects with kdig's; pushes every difference.
fn compare_records(context: &str, ours: &Value, theirs: &Value, differences: &mut Vec<String>) {
    for member in ["NAME", "TYPE", "TYPEname", "CLASS", "CLASSname", "TTL"] {
        if theirs.get(member).is_some() && ours.get(member) != theirs.get(member) {
            differences.push(format!(
                "{context} {member}: kdig {} dnslab {}",
                theirs[member],
                ours.get(member).unwrap_or(&Value::Null)
            ));
        }
    }
    // kdig re-encodes names in RDATA without compression; compare the bytes when the lengths
    // say both are the same encoding.
    if ours.get("RDLENGTH") == theirs.get("RDLENGTH")
        && theirs.get("RDATAHEX").is_some()
        && ours.get("RDATAHEX") != theirs.get("RDATAHEX")
    {
        differences.push(format!(
            "{context} RDATAHEX: kdig {} dnslab {}",
            theirs["RDATAHEX"],
            ours.get("RDATAHEX").unwrap_or(&Value::Null)
        ));
    }
    let type_name = theirs
        .get("TYPEname")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if SAME_TEXT_TYPES.contains(&type_name) {
        let key = format!("rdata{type_name}");
        // kdig ends some texts (CAA) with a space that carries no meaning.
        let their_text = theirs.get(&key).and_then(Value::as_str).map(str::trim_end);
        if ours.get(&key).and_then(Value::as_str) != their_text {
            differences.push(format!(
                "{context} {key}: kdig {} dnslab {}",
                theirs.get(&key).unwrap_or(&Value::Null),
                ours.get(&key).unwrap_or(&Value::Null)
            ));
        }
    }
}

#[test]
fn rfc8427_json_matches_kdig_on_knot_answers() {
    let knot = KnotServer::start();
    let mut differences = Vec::new();
    let mut records_compared = 0;
    for query in KNOT_QUERIES {
        // kdig accepts the same query options as dig for everything in the list.
        let mut arguments: Vec<&str> = query.to_vec();
        arguments.extend_from_slice(&["+json", "+retry=0", "+timeout=3"]);
        let (output, responses) =
            run_through_relay(Upstream::Forward(knot.port), "kdig", &arguments);
        let Some(response) = responses.last() else {
            panic!("no response relayed for kdig {query:?}:\n{output}");
        };
        let context = query.join(" ");
        let theirs = last_json_object(&output, &context);
        let ours = rfc8427_json(&dissect(response), response, None);
        for member in MESSAGE_MEMBERS {
            if ours.get(member) != theirs.get(member) {
                differences.push(format!(
                    "{context}: {member}: kdig {} dnslab {}",
                    theirs.get(member).unwrap_or(&Value::Null),
                    ours.get(member).unwrap_or(&Value::Null)
                ));
            }
        }
        for section in ["answerRRs", "authorityRRs", "additionalRRs"] {
            let empty = Vec::new();
            let their_records = theirs
                .get(section)
                .and_then(Value::as_array)
                .unwrap_or(&empty);
            let our_records = ours
                .get(section)
                .and_then(Value::as_array)
                .unwrap_or(&empty);
            if their_records.len() != our_records.len() {
                differences.push(format!(
                    "{context}: {section}: kdig has {} records, dnslab {}",
                    their_records.len(),
                    our_records.len()
                ));
                continue;
            }
            for (index, (our_record, their_record)) in
                our_records.iter().zip(their_records).enumerate()
            {
                records_compared += 1;
                compare_records(
                    &format!("{context}: {section}[{index}]"),
                    our_record,
                    their_record,
                    &mut differences,
                );
            }
        }
    }
    assert!(
        records_compared > 40,
        "only {records_compared} records compared"
    );
    assert!(
        differences.is_empty(),
        "differences from kdig:\n{}",
        differences.join("\n")
    );
}

/// Builds a response to `query` from its header's ID and its question, with the given header
/// flags word (QR, opcode, AA, …, RCODE), counts, and the bytes of the records that follow.
fn fake_response(query: &[u8], flags: u16, counts: [u16; 3], records: &[u8]) -> Vec<u8> {
    let question_end = question_end(query).unwrap_or(query.len());
    let mut response = Vec::with_capacity(question_end + records.len());
    response.extend_from_slice(query.get(..2).unwrap_or(&[0, 0]));
    response.extend_from_slice(&flags.to_be_bytes());
    response.extend_from_slice(&1u16.to_be_bytes());
    for count in counts {
        response.extend_from_slice(&count.to_be_bytes());
    }
    response.extend_from_slice(query.get(12..question_end).unwrap_or_default());
    response.extend_from_slice(records);
    response
}

/// The end of the first question of a query without compression (as dig sends it).
fn question_end(query: &[u8]) -> Option<usize> {
    let mut position = 12;
    loop {
        let length = usize::from(*query.get(position)?);
        if length == 0 {
            return Some(position + 5);
        }
        position += length + 1;
    }
}

/// A name in wire form from dotted text (no escapes).
fn wire_name(text: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    for label in text.split('.').filter(|label| !label.is_empty()) {
        bytes.push(label.len() as u8);
        bytes.extend_from_slice(label.as_bytes());
    }
    bytes.push(0);
    bytes
}

/// One resource record in wire form.
fn wire_record(owner: &[u8], rtype: u16, class: u16, ttl: u32, rdata: &[u8]) -> Vec<u8> {
    let mut bytes = owner.to_vec();
    bytes.extend_from_slice(&rtype.to_be_bytes());
    bytes.extend_from_slice(&class.to_be_bytes());
    bytes.extend_from_slice(&ttl.to_be_bytes());
    bytes.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
    bytes.extend_from_slice(rdata);
    bytes
}

/// An OPT pseudo-record: payload size, extended RCODE, version, flags and options.
fn wire_opt(
    payload: u16,
    extended_rcode: u8,
    version: u8,
    flags: u16,
    options: &[(u16, &[u8])],
) -> Vec<u8> {
    let mut rdata = Vec::new();
    for (code, data) in options {
        rdata.extend_from_slice(&code.to_be_bytes());
        rdata.extend_from_slice(&(data.len() as u16).to_be_bytes());
        rdata.extend_from_slice(data);
    }
    let ttl = u32::from(extended_rcode) << 24 | u32::from(version) << 16 | u32::from(flags);
    wire_record(&[0], 41, payload, ttl, &rdata)
}

fn header_corners(query: &[u8]) -> Vec<u8> {
    // QR AA RD, the reserved Z bit, RCODE 0 extended to BADVERS; EDNS version 1 with DO and an
    // unknown flag bit; an unknown type; an owner of exactly 31 characters; a huge TTL.
    let owner = wire_name("x.example.com");
    let mut records = wire_record(&owner, 65280, 1, 300, &[1, 2, 3, 4]);
    records.extend(wire_record(
        &wire_name("abcdefghijklmnopqrstuvwxyzabcd"),
        1,
        1,
        300,
        &[192, 0, 2, 1],
    ));
    records.extend(wire_record(
        &wire_name("abcdefghijklmnopqrstuvw"),
        1,
        1,
        7,
        &[192, 0, 2, 2],
    ));
    records.extend(wire_record(&[0], 1, 1, u32::MAX, &[192, 0, 2, 3]));
    records.extend(wire_opt(
        1232,
        1,
        1,
        0x8001,
        &[(3, b"knot\x01"), (65001, b"ab\x00"), (3, b"")],
    ));
    fake_response(query, 0x8540, [4, 0, 1], &records)
}

fn update_sections(query: &[u8]) -> Vec<u8> {
    let owner = wire_name("x.example.com");
    let mut records = wire_record(&owner, 1, 1, 300, &[192, 0, 2, 1]);
    records.extend(wire_record(&owner, 1, 254, 0, &[192, 0, 2, 2]));
    records.extend(wire_record(
        &owner,
        28,
        1,
        300,
        &[0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
    ));
    records.extend(wire_opt(1232, 0, 0, 0, &[]));
    fake_response(query, 0x8000 | 5 << 11, [1, 1, 2], &records)
}

fn refused_with_rcode_only(query: &[u8]) -> Vec<u8> {
    // No EDNS: RCODE 12 is RESERVED12 to dig; TC and CD and AD set; RD without RA.
    fake_response(
        query,
        0x8000 | 0x0200 | 0x0100 | 0x0020 | 0x0010 | 12,
        [0, 0, 0],
        &[],
    )
}

/// Builds a fake server's response from the query it answers.
type ResponseBuilder = fn(&[u8]) -> Vec<u8>;

#[test]
fn dig_text_matches_dig_on_hand_made_corners() {
    let cases: [(&str, ResponseBuilder, &[&str]); 5] = [
        (
            "header and EDNS corners",
            header_corners,
            &["x.example.com", "A", "+nocookie", "+noedns"],
        ),
        (
            "UPDATE sections",
            update_sections,
            &["x.example.com", "SOA", "+nocookie", "+opcode=update"],
        ),
        (
            "no EDNS, reserved RCODE",
            refused_with_rcode_only,
            &["x.example.com", "A", "+nocookie", "+noedns", "+ignore"],
        ),
        (
            "question name of 32 characters",
            refused_with_rcode_only,
            &[
                "abcdefghijklmnopqrstuvwxyza.com",
                "A",
                "+nocookie",
                "+noedns",
                "+ignore",
            ],
        ),
        (
            "question name of 15 characters",
            refused_with_rcode_only,
            &["nx.example.com", "MX", "+nocookie", "+noedns", "+ignore"],
        ),
    ];
    let mut mismatches = Vec::new();
    for (description, build, query) in cases {
        let mut arguments: Vec<&str> = query.to_vec();
        arguments.extend_from_slice(&DIG_DISPLAY);
        let (output, responses) = run_through_relay(Upstream::Fake(build), "dig", &arguments);
        let response = responses
            .last()
            .unwrap_or_else(|| panic!("dig sent no query for {description}:\n{output}"));
        let theirs = dig_message_block(&output);
        let ours = our_block(response);
        if theirs != ours {
            mismatches.push(format!(
                "{description}\n--- dig ---\n{theirs}\n--- dnslab ---\n{ours}\n"
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
