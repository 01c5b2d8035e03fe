//! Integration tests of the `dnslab` binary: the built executable run on the shared captures.
//!
//! Expected values come from outside dnslab: tshark's decode of the same captures (its
//! `expected.json` files, and tshark itself at test time for the frame list) and the zone file.

mod build;
mod network;
mod resolve;
mod types;

/// This package's folder, read when the test runs: cargo sets `CARGO_MANIFEST_DIR` for test
/// processes, and the compile-time value may name another clone that shares the build cache.
pub fn manifest_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// The shared captures (copied into dnslab-core's test data).
fn captures_dir() -> PathBuf {
    manifest_dir().join("../dnslab-core/tests/data/captures")
}

/// Runs `dnslab` with `arguments`, feeding `stdin`.
fn dnslab(arguments: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dnslab"))
        .args(arguments)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start dnslab");
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin).expect("write standard input");
    }
    child.wait_with_output().expect("wait for dnslab")
}

fn capture(path: &str) -> String {
    captures_dir().join(path).display().to_string()
}

fn stdout_text(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// tshark's expectations for a paste folder, keyed by frame name (`f002`).
fn expected(folder: &str) -> Value {
    let text = std::fs::read_to_string(captures_dir().join(folder).join("expected.json"))
        .expect("read expected.json");
    serde_json::from_str(&text).expect("parse expected.json")
}

#[test]
fn decodes_a_paste_to_dig_text_with_the_answers_tshark_saw() {
    let output = dnslab(
        &[
            "decode",
            &capture("paste-example-com/f002.ws-hexstream.txt"),
        ],
        b"",
    );
    let text = stdout_text(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    let frame = &expected("paste-example-com")["f002"]["expect"];
    let header = format!(
        ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: {}",
        frame["ID"]
    );
    assert!(text.contains(&header), "no `{header}` in:\n{text}");
    // tshark's answers: www.example.com CNAME example.com, example.com A 93.184.215.14, TTL 3600.
    assert!(
        text.contains("www.example.com.\t3600\tIN\tCNAME\texample.com.\n"),
        "{text}"
    );
    assert!(
        text.contains("example.com.\t\t3600\tIN\tA\t93.184.215.14\n"),
        "{text}"
    );
    assert!(text.starts_with(";; Wireshark hex stream: DNS, "), "{text}");
}

#[test]
fn reports_the_layers_of_a_pasted_frame() {
    let output = dnslab(&["decode", &capture("paste-sll2/f001.tshark-x.txt")], b"");
    let text = stdout_text(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    let first_line = text.lines().next().unwrap_or_default();
    assert!(
        first_line.starts_with(";; tshark -x: Linux SLL2 → IPv4 → UDP ")
            && first_line.ends_with(" → DNS, 57 bytes"),
        "{first_line}"
    );
}

#[test]
fn reads_standard_input_when_no_file_or_dash_is_given() {
    let paste = std::fs::read(captures_dir().join("paste-example-com/f002.xxd.txt")).expect("read");
    let from_file = dnslab(&["decode", &capture("paste-example-com/f002.xxd.txt")], b"");
    let from_nothing = dnslab(&["decode"], &paste);
    let from_dash = dnslab(&["decode", "-"], &paste);
    assert_eq!(from_nothing.status.code(), Some(0));
    assert_eq!(from_file.stdout, from_nothing.stdout);
    assert_eq!(from_file.stdout, from_dash.stdout);
}

/// `(frame number, DNS ID, QR)` for every DNS message tshark finds in a capture, in order.
fn tshark_dns_frames(path: &str) -> Vec<(u64, u64, u64)> {
    let output = Command::new("tshark")
        .args([
            "-r",
            path,
            "-Y",
            "dns",
            "-T",
            "fields",
            "-e",
            "frame.number",
            "-e",
            "dns.id",
        ])
        .args(["-e", "dns.flags.response"])
        .output()
        .expect("tshark is needed for this test (apt-get install tshark)");
    assert!(output.status.success(), "tshark failed: {output:?}");
    let mut frames = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        let [number, ids, responses] = fields[..] else {
            panic!("unexpected tshark line {line:?}");
        };
        // A TCP segment with several DNS messages lists one ID per message, comma-separated.
        for (id, response) in ids.split(',').zip(responses.split(',')) {
            let id = u64::from_str_radix(id.trim_start_matches("0x"), 16).expect("hex ID");
            frames.push((
                number.parse().expect("frame"),
                id,
                response.parse().expect("flag"),
            ));
        }
    }
    frames
}

#[test]
fn json_lines_follow_the_capture_frame_by_frame_as_tshark_sees_it() {
    for file in ["example-com-ethernet.pcapng", "example-com-sll2.pcapng"] {
        let path = capture(file);
        let output = dnslab(&["decode", "--json", &path], b"");
        assert_eq!(output.status.code(), Some(0), "{file}: {output:?}");
        let ours: Vec<(u64, u64, u64)> = stdout_text(&output)
            .lines()
            .map(|line| {
                let object: Value = serde_json::from_str(line).expect("one JSON object per line");
                (
                    object["input"]["frame"].as_u64().expect("frame"),
                    object["ID"].as_u64().expect("ID"),
                    object["QR"].as_u64().expect("QR"),
                )
            })
            .collect();
        let theirs = tshark_dns_frames(&path);
        assert!(
            theirs.len() >= 8,
            "{file}: tshark found only {} DNS frames",
            theirs.len()
        );
        assert_eq!(ours, theirs, "{file}: (frame, ID, QR) per message");
    }
}

#[test]
fn json_carries_rfc8427_members_and_the_input_description() {
    let output = dnslab(
        &[
            "decode",
            "--json",
            &capture("paste-example-com/f006.tcpdump-xx.txt"),
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = stdout_text(&output);
    let object: Value = serde_json::from_str(text.trim_end()).expect("one JSON object");
    let frame = &expected("paste-example-com")["f006"]["expect"];
    for member in [
        "ID", "QR", "AA", "RD", "RA", "RCODE", "QDCOUNT", "ANCOUNT", "NSCOUNT", "ARCOUNT", "QTYPE",
    ] {
        assert_eq!(object[member], frame[member], "{member}");
    }
    assert_eq!(
        object["QNAME"],
        format!("{}.", frame["QNAME"].as_str().unwrap_or_default())
    );
    let answers = object["answerRRs"].as_array().expect("answerRRs");
    let expected_answers = frame["answers"].as_array().expect("answers");
    assert_eq!(answers.len(), expected_answers.len());
    for (answer, expected_answer) in answers.iter().zip(expected_answers) {
        assert_eq!(answer["TTL"], expected_answer["TTL"]);
        assert_eq!(answer["TYPEname"], "MX");
        let exchange = format!("{}.", expected_answer["value"].as_str().unwrap_or_default());
        let rdata = answer["rdataMX"].as_str().expect("rdataMX");
        assert!(
            rdata.ends_with(&format!(" {exchange}")),
            "{rdata} vs {exchange}"
        );
    }
    assert_eq!(object["input"]["format"], "tcpdump -xx");
    // A clean message: diagnostics may hold notes (pointer chains) but no error.
    let diagnostics = object["diagnostics"].as_array().expect("diagnostics");
    assert!(diagnostics
        .iter()
        .all(|diagnostic| diagnostic["severity"] != "error"));
    assert!(object["input"]["layers"]
        .as_array()
        .is_some_and(|layers| layers.len() >= 3));
}

#[test]
fn forcing_the_offset_the_detector_found_gives_the_same_message() {
    let frame_paste = capture("paste-example-com/f002.ws-hexdump-frame.txt");
    let detected = dnslab(&["decode", "--json", &frame_paste], b"");
    let object: Value = serde_json::from_str(stdout_text(&detected).trim_end()).expect("JSON");
    let offset = object["input"]["offset"].as_u64().expect("offset");
    // An Ethernet frame: 14 bytes of Ethernet, an IPv4 or IPv6 header, 8 of UDP.
    assert!([42, 62].contains(&offset), "offset {offset}");
    let forced = dnslab(
        &["decode", "--offset", &offset.to_string(), &frame_paste],
        b"",
    );
    let plain = dnslab(
        &[
            "decode",
            &capture("paste-example-com/f002.ws-hexstream.txt"),
        ],
        b"",
    );
    assert_eq!(forced.status.code(), Some(0));
    let forced_text = stdout_text(&forced);
    let plain_text = stdout_text(&plain);
    // Everything after the summary line is the same message.
    let body = |text: &str| text.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&forced_text), body(&plain_text));
    assert!(forced_text.starts_with(&format!(";; Wireshark hex dump: {offset} bytes skipped → ")));
}

#[test]
fn malformed_messages_print_everything_and_exit_1() {
    // f002's response cut after 40 bytes: the header says 2 answers, the bytes end in the first.
    let hex =
        std::fs::read_to_string(captures_dir().join("paste-example-com/f002.ws-hexstream.txt"))
            .expect("read");
    let truncated = &hex.trim()[..80];
    let output = dnslab(&["decode"], truncated.as_bytes());
    let text = stdout_text(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains(";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 14857"),
        "{text}"
    );
    assert!(text.contains("\n;www.example.com.\t\tIN\tA\n"), "{text}");
    assert!(
        text.lines()
            .any(|line| line.starts_with(";; ERROR at byte")),
        "no error line in:\n{text}"
    );
}

#[test]
fn input_without_dns_exits_2_with_a_message() {
    let output = dnslab(&["decode"], b"hello, this is not DNS\n");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("no DNS message found"), "{message}");

    let output = dnslab(&["decode", "/nonexistent/dnslab-test-file"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("/nonexistent/dnslab-test-file"));
}

#[test]
fn several_files_are_named_and_a_failing_one_sets_exit_2() {
    let good = capture("paste-example-com/f001.ws-hexstream.txt");
    let output = dnslab(&["decode", &good, "/nonexistent/dnslab-test-file"], b"");
    assert_eq!(output.status.code(), Some(2));
    let text = stdout_text(&output);
    assert!(
        text.starts_with(&format!(";; {good}: Wireshark hex stream: DNS, ")),
        "{text}"
    );
}

/// A pcap file (Ethernet link type) holding `count` UDP frames, each a copy of `dns` with the
/// message ID set to the frame's index.
fn pcap_with_numbered_copies(dns: &[u8], count: u16) -> Vec<u8> {
    let mut file = Vec::new();
    // Global header: magic (microseconds, little-endian), version 2.4, zone, accuracy,
    // snapshot length, link type 1 (Ethernet).
    file.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    file.extend_from_slice(&2u16.to_le_bytes());
    file.extend_from_slice(&4u16.to_le_bytes());
    file.extend_from_slice(&[0; 8]);
    file.extend_from_slice(&65535u32.to_le_bytes());
    file.extend_from_slice(&1u32.to_le_bytes());
    for id in 0..count {
        let mut message = dns.to_vec();
        message[..2].copy_from_slice(&id.to_be_bytes());
        let udp_length = 8 + message.len();
        let ip_length = 20 + udp_length;
        let mut frame = Vec::new();
        frame.extend_from_slice(&[0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0x08, 0x00]);
        frame.extend_from_slice(&[0x45, 0]);
        frame.extend_from_slice(&(ip_length as u16).to_be_bytes());
        frame.extend_from_slice(&[0, 0, 0, 0, 64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1]);
        frame.extend_from_slice(&53u16.to_be_bytes());
        frame.extend_from_slice(&40000u16.to_be_bytes());
        frame.extend_from_slice(&(udp_length as u16).to_be_bytes());
        frame.extend_from_slice(&[0, 0]);
        frame.extend_from_slice(&message);
        file.extend_from_slice(&u32::from(id).to_le_bytes());
        file.extend_from_slice(&0u32.to_le_bytes());
        file.extend_from_slice(&(frame.len() as u32).to_le_bytes());
        file.extend_from_slice(&(frame.len() as u32).to_le_bytes());
        file.extend_from_slice(&frame);
    }
    file
}

#[test]
fn large_captures_keep_capture_order() {
    // Thousands of messages: the output is in frame order, one JSON line per message, and the
    // text form has one block per message.
    let hex =
        std::fs::read_to_string(captures_dir().join("paste-example-com/f002.ws-hexstream.txt"))
            .expect("read");
    let dns: Vec<u8> = (0..hex.trim().len() / 2)
        .map(|index| u8::from_str_radix(&hex.trim()[index * 2..index * 2 + 2], 16).expect("hex"))
        .collect();
    let count = 5000u16;
    let folder = std::env::temp_dir().join(format!("dnslab-cli-order-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("create a temporary folder");
    let path = folder.join("numbered.pcap");
    std::fs::write(&path, pcap_with_numbered_copies(&dns, count)).expect("write the capture");
    let path_text = path.display().to_string();

    let json = dnslab(&["decode", "--json", &path_text], b"");
    let text = dnslab(&["decode", &path_text], b"");
    let _ = std::fs::remove_dir_all(&folder);
    assert_eq!(json.status.code(), Some(0));
    let ids: Vec<u64> = stdout_text(&json)
        .lines()
        .map(|line| {
            let object: Value = serde_json::from_str(line).expect("JSON line");
            assert_eq!(object["answerRRs"].as_array().map(Vec::len), Some(2));
            object["ID"].as_u64().expect("ID")
        })
        .collect();
    assert_eq!(ids, (0..u64::from(count)).collect::<Vec<_>>());

    let text = stdout_text(&text);
    let headers: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with(";; ->>HEADER<<-"))
        .collect();
    assert_eq!(headers.len(), usize::from(count));
    for (id, header) in headers.iter().enumerate() {
        assert!(header.ends_with(&format!(", id: {id}")), "{header}");
    }
    // Messages are separated by exactly one blank line, and the output starts with the first.
    assert!(
        text.starts_with(";; pcap, frame 1: Ethernet → IPv4 → UDP 53 → 40000 → DNS, 74 bytes\n")
    );
    assert_eq!(
        text.matches("\n\n;; pcap, frame ").count(),
        usize::from(count) - 1
    );
}
