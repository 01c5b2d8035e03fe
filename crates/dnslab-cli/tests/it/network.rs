//! `dnslab serve` and `dnslab query` over real loopback sockets, held against dig and kdig.
//!
//! Every test starts its own `dnslab serve` on 127.0.0.1 with a port the system chooses (the
//! ready line says which), serving the shared capture zone `example.com.zone`. The answers are
//! checked against independent clients: BIND's dig (text, sections line by line) and Knot's kdig
//! (RFC 8427 JSON), and where a fact is checked directly it comes from the zone file. Only
//! loopback addresses are used; the servers are killed by a Drop guard whatever happens.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dnslab_core::build::{encode_query, QuerySpec};
use hickory_proto::op::{Message, ResponseCode};
use hickory_proto::rr::{Name, RData, RecordType};
use serde_json::Value;

/// How long a server gets to print its ready line, and a stopped server to exit: guards against
/// hangs, not performance checks.
const STARTUP_GUARD: Duration = Duration::from_secs(60);

/// The shared zone the captures were made from.
pub fn example_zone() -> PathBuf {
    crate::manifest_dir().join("../dnslab-core/tests/data/captures/example.com.zone")
}

/// A running `dnslab serve`, killed when dropped.
pub struct Server {
    child: Option<Child>,
    /// Where it listens (UDP and TCP).
    pub address: SocketAddr,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `dnslab serve ARGUMENTS --listen 127.0.0.1:0` and waits for its ready line.
    pub fn start(arguments: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dnslab"))
            .arg("serve")
            .args(arguments)
            .args(["--listen", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start dnslab serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        if let Some(pipe) = child.stderr.take() {
            let collected = Arc::clone(&stderr);
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    if let Ok(mut text) = collected.lock() {
                        text.push_str(&line);
                        text.push('\n');
                    }
                }
            });
        }
        let (sender, receiver) = mpsc::channel();
        if let Some(pipe) = child.stdout.take() {
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    let _ = sender.send(line);
                }
            });
        }
        let mut server = Server {
            child: Some(child),
            address: SocketAddr::from(([127, 0, 0, 1], 0)),
            stderr,
        };
        let line = receiver.recv_timeout(STARTUP_GUARD).unwrap_or_else(|_| {
            panic!(
                "dnslab serve printed no ready line; stderr:\n{}",
                server.stderr_text()
            )
        });
        let address = line
            .strip_prefix("dnslab serve: listening on ")
            .and_then(|rest| rest.strip_suffix(" (udp, tcp)"))
            .and_then(|address| address.parse().ok())
            .unwrap_or_else(|| panic!("unexpected ready line {line:?}"));
        server.address = address;
        server
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// What it wrote on standard error so far.
    pub fn stderr_text(&self) -> String {
        self.stderr
            .lock()
            .map(|text| text.clone())
            .unwrap_or_default()
    }

    /// Sends SIGTERM and waits for the exit; returns the status and standard error.
    pub fn terminate(mut self) -> (ExitStatus, String) {
        let mut child = self.child.take().expect("the server is running");
        let status = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success());
        let started = Instant::now();
        let exit = loop {
            if let Some(exit) = child.try_wait().expect("poll the server") {
                break exit;
            }
            assert!(
                started.elapsed() < STARTUP_GUARD,
                "the server ignored SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        // Let the reader thread take the last lines.
        std::thread::sleep(Duration::from_millis(100));
        (exit, self.stderr_text())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Runs the dnslab binary.
pub fn dnslab(arguments: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dnslab"))
        .args(arguments)
        .stdin(Stdio::null())
        .output()
        .expect("run dnslab")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn query(server: &Server, arguments: &[&str]) -> Output {
    let at = format!("@127.0.0.1:{}", server.port());
    let mut all = vec!["query", at.as_str(), "+timeout=5", "+tries=2"];
    all.extend_from_slice(arguments);
    dnslab(&all)
}

fn dig(server: &Server, arguments: &[&str]) -> String {
    dig_at(server.port(), arguments)
}

/// dig's output for `arguments` asked of 127.0.0.1 at `port` (no cookie, 5 s, 2 tries).
pub fn dig_at(port: u16, arguments: &[&str]) -> String {
    let port = port.to_string();
    let output = Command::new("dig")
        .args([
            "@127.0.0.1",
            "-p",
            &port,
            "+nocookie",
            "+time=5",
            "+tries=2",
        ])
        .args(arguments)
        .output()
        .expect("run dig (bind9-dnsutils)");
    text(&output.stdout)
}

fn kdig_json(server: &Server, arguments: &[&str]) -> Value {
    kdig_json_at(server.port(), arguments)
}

/// kdig's RFC 8427 JSON for `arguments` asked of 127.0.0.1 at `port`.
pub fn kdig_json_at(port: u16, arguments: &[&str]) -> Value {
    let port = port.to_string();
    let output = Command::new("kdig")
        .args(["@127.0.0.1", "-p", &port, "+json", "+time=5", "+retry=1"])
        .args(arguments)
        .output()
        .expect("run kdig (knot-dnsutils)");
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("kdig JSON: {error}\n{}", text(&output.stdout)))
}

/// What dig-format text says about a message, without what differs between two exchanges (the
/// ID, the query time, dig's own banner and footer).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct DigView {
    status: String,
    flags_and_counts: String,
    /// Every line from the OPT pseudosection (or the question) to the last section, blank lines
    /// included.
    sections: Vec<String>,
}

pub(crate) fn dig_view(output: &str) -> DigView {
    let mut lines = output.lines();
    let header = lines
        .find(|line| line.starts_with(";; ->>HEADER<<-"))
        .unwrap_or_else(|| panic!("no header line in\n{output}"));
    let status = header
        .split(", ")
        .find_map(|part| part.strip_prefix("status: "))
        .unwrap_or_default()
        .to_string();
    let flags_and_counts = lines
        .find(|line| line.starts_with(";; flags:"))
        .unwrap_or_default()
        .to_string();
    let sections = lines
        .skip_while(|line| {
            !(line.starts_with(";; OPT PSEUDOSECTION") || line.starts_with(";; QUESTION SECTION"))
        })
        .take_while(|line| !line.starts_with(";; Query time"))
        .map(str::to_string)
        .collect();
    DigView {
        status,
        flags_and_counts,
        sections,
    }
}

/// The parts of an RFC 8427 object two decoders must agree on: everything but the ID, the
/// client-side extras (kdig's date and length) and the raw RDATA (kdig re-encodes names
/// without compression); absent record arrays count as empty.
pub(crate) fn comparable_json(message: &Value) -> Value {
    let mut object = serde_json::Map::new();
    for member in [
        "QR", "Opcode", "AA", "TC", "RD", "RA", "AD", "CD", "RCODE", "QDCOUNT", "ANCOUNT",
        "NSCOUNT", "ARCOUNT", "QNAME", "QTYPE", "QCLASS",
    ] {
        object.insert(member.to_string(), message[member].clone());
    }
    // kdig prints names in lower case; the dig comparison checks that case is preserved.
    object.insert("QNAME".to_string(), lower_case(&message["QNAME"]));
    for section in ["answerRRs", "authorityRRs", "additionalRRs"] {
        let records: Vec<Value> = message[section]
            .as_array()
            .map(|records| {
                records
                    .iter()
                    .map(|record| {
                        let mut record = record.clone();
                        if let Some(fields) = record.as_object_mut() {
                            fields.remove("RDATAHEX");
                            fields.remove("RDLENGTH");
                            if let Some(name) = fields.get_mut("NAME") {
                                *name = lower_case(name);
                            }
                            // kdig 3.2 ends some presentations with a space (CAA).
                            for (member, value) in fields.iter_mut() {
                                if let (true, Some(presentation)) =
                                    (member.starts_with("rdata"), value.as_str())
                                {
                                    *value = Value::String(presentation.trim_end().to_string());
                                }
                            }
                        }
                        record
                    })
                    .collect()
            })
            .unwrap_or_default();
        object.insert(section.to_string(), Value::Array(records));
    }
    Value::Object(object)
}

fn lower_case(value: &Value) -> Value {
    value
        .as_str()
        .map_or(Value::Null, |text| Value::String(text.to_ascii_lowercase()))
}

/// Questions that cover every kind of answer the zone gives (all names from example.com.zone).
const QUESTIONS: &[(&str, &str)] = &[
    ("www.example.com", "A"),         // CNAME to the apex, then the A
    ("alias.example.com", "A"),       // CNAME chain of two
    ("ext.example.com", "A"),         // CNAME leading out of the zone
    ("example.com", "MX"),            // MX with in-zone additional addresses
    ("example.com", "NS"),            // apex NS, glue for ns1
    ("example.com", "SOA"),           //
    ("example.com", "TXT"),           //
    ("example.com", "CAA"),           //
    ("_sip._udp.example.com", "SRV"), // SRV with the target's address
    ("x.wild.example.com", "A"),      // wildcard synthesis
    ("x.wild.example.com", "MX"),     // wildcard NODATA
    ("nope.example.com", "A"),        // NXDOMAIN
    ("sip.example.com", "AAAA"),      // NODATA
    ("www.sub.example.com", "A"),     // referral with glue
    ("long.example.com", "TXT"),      // 600-octet answer, fits EDNS
    ("www.example.org", "A"),         // outside the zone: REFUSED
    ("WwW.ExAmPlE.cOm", "A"),         // case preserved in the question
];

#[test]
fn udp_answers_match_dig_section_by_section() {
    let server = Server::start(&["--zone", example_zone().to_str().expect("UTF-8 path")]);
    for (name, qtype) in QUESTIONS {
        let ours = query(&server, &["+norec", name, qtype]);
        assert_eq!(
            ours.status.code(),
            Some(0),
            "{name} {qtype}: {}",
            text(&ours.stderr)
        );
        let ours_text = text(&ours.stdout);
        let digs_text = dig(&server, &["+norec", name, qtype]);
        assert_eq!(
            dig_view(&ours_text),
            dig_view(&digs_text),
            "{name} {qtype}\n--- dnslab query:\n{ours_text}\n--- dig:\n{digs_text}"
        );
        assert!(
            ours_text.contains(&format!(
                ";; SERVER: 127.0.0.1#{0}(127.0.0.1) (UDP)",
                server.port()
            )),
            "{ours_text}"
        );
        assert!(ours_text.contains(";; Query time: "), "{ours_text}");
        assert!(ours_text.contains(";; MSG SIZE  rcvd: "), "{ours_text}");
    }
}

#[test]
fn json_answers_match_kdig_json() {
    let server = Server::start(&["--zone", example_zone().to_str().expect("UTF-8 path")]);
    for (name, qtype) in QUESTIONS {
        // kdig sends no EDNS by default; so does dnslab with +noedns.
        let ours = query(&server, &["+norec", "+noedns", "+json", name, qtype]);
        let ours: Value = serde_json::from_slice(&ours.stdout).expect("dnslab query +json");
        let knots = kdig_json(&server, &["+norec", name, qtype]);
        assert_eq!(
            comparable_json(&ours),
            comparable_json(&knots),
            "{name} {qtype}"
        );
    }
}

#[test]
fn edns_options_and_recursion_flag_match_dig() {
    let server = Server::start(&["--zone", example_zone().to_str().expect("UTF-8 path")]);
    for options in [
        &["+dnssec"][..],
        &["+nsid"],
        &["+noedns"],
        &["+bufsize=512"],
        &["+rec"],
        &["+dnssec", "+tcp"],
    ] {
        let mut arguments = options.to_vec();
        arguments.extend_from_slice(&["example.com", "MX"]);
        let ours = text(&query(&server, &arguments).stdout);
        let digs = dig(&server, &arguments);
        assert_eq!(
            dig_view(&ours),
            dig_view(&digs),
            "{options:?}\n{ours}\n{digs}"
        );
    }
}

#[test]
fn tcp_queries_match_dig_over_tcp() {
    let server = Server::start(&["--zone", example_zone().to_str().expect("UTF-8 path")]);
    for (name, qtype) in [
        ("www.example.com", "A"),
        ("nope.example.com", "A"),
        ("long.example.com", "TXT"),
    ] {
        let ours = text(&query(&server, &["+tcp", "+norec", name, qtype]).stdout);
        let digs = dig(&server, &["+tcp", "+norec", name, qtype]);
        assert_eq!(dig_view(&ours), dig_view(&digs), "{name} {qtype}");
        assert!(
            ours.contains(&format!("127.0.0.1#{}(127.0.0.1) (TCP)", server.port())),
            "{ours}"
        );
    }
}

#[test]
fn a_truncated_udp_answer_is_asked_again_over_tcp() {
    let server = Server::start(&["--zone", example_zone().to_str().expect("UTF-8 path")]);
    // Without EDNS the limit is 512 octets; the zone's long TXT record has three strings of
    // about 600 octets together, so it cannot fit.
    let ours = text(&query(&server, &["+noedns", "+norec", "long.example.com", "TXT"]).stdout);
    let digs = dig(&server, &["+noedns", "+norec", "long.example.com", "TXT"]);
    assert!(
        digs.contains(";; Truncated, retrying in TCP mode."),
        "{digs}"
    );
    assert!(
        ours.contains(";; Truncated, retrying in TCP mode."),
        "{ours}"
    );
    assert!(ours.contains("(TCP)"), "{ours}");
    assert_eq!(dig_view(&ours), dig_view(&digs));
    let answer_line = dig_view(&ours)
        .sections
        .into_iter()
        .find(|line| line.starts_with("long.example.com."))
        .unwrap_or_default();
    // The record's last string, as the zone file writes it.
    let zone_text = std::fs::read_to_string(example_zone()).expect("read the zone");
    let last_string = zone_text
        .lines()
        .find(|line| line.starts_with("long"))
        .and_then(|line| line.rsplit(' ').next())
        .expect("the long TXT record")
        .to_string();
    assert!(last_string.len() > 100, "{last_string}");
    assert!(answer_line.ends_with(&last_string), "{answer_line}");

    // +ignore keeps the truncated UDP reply: TC set, over UDP, as dig shows it.
    let ours = text(
        &query(
            &server,
            &["+noedns", "+norec", "+ignore", "long.example.com", "TXT"],
        )
        .stdout,
    );
    let digs = dig(
        &server,
        &["+noedns", "+norec", "+ignore", "long.example.com", "TXT"],
    );
    assert_eq!(dig_view(&ours), dig_view(&digs));
    assert!(
        dig_view(&ours)
            .flags_and_counts
            .starts_with(";; flags: qr aa tc;"),
        "{ours}"
    );
    assert!(ours.contains("(UDP)"), "{ours}");
}

fn send_udp(server: &Server, datagram: &[u8]) -> Option<Vec<u8>> {
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind a client socket");
    socket.connect(server.address).expect("connect");
    socket.send(datagram).expect("send");
    socket
        .set_read_timeout(Some(Duration::from_millis(500)))
        .expect("set a timeout");
    let mut buffer = [0u8; 4096];
    // A signal (a child of another test ending) can interrupt the wait: wait again.
    let received = loop {
        match socket.recv(&mut buffer) {
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            other => break other,
        }
    };
    received.ok().map(|length| buffer[..length].to_vec())
}

fn query_bytes(name: &str, qtype: RecordType, id: u16) -> Vec<u8> {
    let name = Name::from_ascii(name).expect("a name");
    encode_query(&QuerySpec::new(name, qtype, id)).expect("encode")
}

#[test]
fn junk_gets_formerr_or_is_dropped_and_counted() {
    let server = Server::start(&["--zone", example_zone().to_str().expect("UTF-8 path")]);
    // A header (ID 0xBEEF, QDCOUNT 1) followed by a question that runs off the end: FORMERR with
    // the ID echoed (RFC 1035 section 4.1.1: RCODE 1, QR set).
    let header_then_junk = [
        0xBE, 0xEF, 0x00, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0x3F, b'x',
    ];
    let reply = send_udp(&server, &header_then_junk).expect("a FORMERR reply");
    assert_eq!(&reply[..2], &[0xBE, 0xEF]);
    assert_eq!(reply[2] & 0x80, 0x80, "QR set");
    assert_eq!(reply[3] & 0x0F, 1, "RCODE FORMERR");
    // Shorter than a header, and a response (QR set): no reply at all.
    assert_eq!(send_udp(&server, b"hello"), None);
    let mut response = query_bytes("www.example.com.", RecordType::A, 7);
    response[2] |= 0x80;
    assert_eq!(send_udp(&server, &response), None);
    // The server still answers.
    let reply =
        send_udp(&server, &query_bytes("www.example.com.", RecordType::A, 8)).expect("an answer");
    let message = Message::from_vec(&reply).expect("decodable");
    assert_eq!(message.metadata.response_code, ResponseCode::NoError);
    let (status, stderr) = server.terminate();
    assert!(status.success(), "{stderr}");
    assert!(
        stderr.contains("2 bad packets dropped, 1 answered with FORMERR"),
        "{stderr}"
    );
}

#[test]
fn cached_answers_are_the_computed_ones_with_the_new_id() {
    let cached = Server::start(&["--zone", example_zone().to_str().expect("UTF-8 path")]);
    let uncached = Server::start(&[
        "--zone",
        example_zone().to_str().expect("UTF-8 path"),
        "--answer-cache-entries",
        "0",
    ]);
    for (index, (name, qtype)) in QUESTIONS.iter().enumerate() {
        let qtype = dnslab_core::zone::type_from_mnemonic(qtype).expect("a type");
        let name = format!("{name}.");
        // Three times to the caching server (the last two from its cache), with other IDs.
        let base = 1000 * (index as u16 + 1);
        let reference = send_udp(&uncached, &query_bytes(&name, qtype, base)).expect("answer");
        for id in [base + 1, base + 2, base + 3] {
            let answer = send_udp(&cached, &query_bytes(&name, qtype, id)).expect("answer");
            assert_eq!(&answer[..2], &id.to_be_bytes(), "{name}");
            assert_eq!(&answer[2..], &reference[2..], "{name} {qtype}");
        }
    }
    // The same question in other letters is another query: its answer echoes its own case.
    let lower =
        send_udp(&cached, &query_bytes("www.example.com.", RecordType::A, 1)).expect("answer");
    let upper =
        send_udp(&cached, &query_bytes("WWW.EXAMPLE.COM.", RecordType::A, 1)).expect("answer");
    assert_eq!(&lower[12..15], b"\x03ww");
    assert_eq!(&upper[12..15], b"\x03WW");
}

fn read_framed(stream: &mut TcpStream) -> Vec<u8> {
    let mut length = [0u8; 2];
    stream.read_exact(&mut length).expect("length prefix");
    let mut message = vec![0u8; usize::from(u16::from_be_bytes(length))];
    stream.read_exact(&mut message).expect("message");
    message
}

#[test]
fn tcp_connections_carry_several_queries_and_split_writes() {
    let server = Server::start(&["--zone", example_zone().to_str().expect("UTF-8 path")]);
    let mut stream = TcpStream::connect(server.address).expect("connect");
    stream
        .set_read_timeout(Some(STARTUP_GUARD))
        .expect("timeout");
    // Two queries in one write (pipelined), then a third written byte by byte.
    let mut both = Vec::new();
    for (id, name) in [(1u16, "www.example.com."), (2, "mail.example.com.")] {
        let query = query_bytes(name, RecordType::A, id);
        both.extend_from_slice(&(query.len() as u16).to_be_bytes());
        both.extend_from_slice(&query);
    }
    stream.write_all(&both).expect("write");
    let first = Message::from_vec(&read_framed(&mut stream)).expect("first reply");
    let second = Message::from_vec(&read_framed(&mut stream)).expect("second reply");
    assert_eq!((first.metadata.id, second.metadata.id), (1, 2));
    // From the zone file: mail IN A 192.0.2.25.
    assert!(second
        .answers
        .iter()
        .any(|record| record.data == RData::A("192.0.2.25".parse().expect("address"))));
    let third = query_bytes("example.com.", RecordType::MX, 3);
    let mut framed = (third.len() as u16).to_be_bytes().to_vec();
    framed.extend_from_slice(&third);
    for byte in framed {
        stream.write_all(&[byte]).expect("write one byte");
        stream.flush().expect("flush");
    }
    let third = Message::from_vec(&read_framed(&mut stream)).expect("third reply");
    assert_eq!(third.metadata.id, 3);
    assert_eq!(third.answers.len(), 2, "two MX records in the zone");
}

#[test]
fn idle_tcp_connections_are_closed() {
    let server = Server::start(&[
        "--zone",
        example_zone().to_str().expect("UTF-8 path"),
        "--tcp-idle-timeout",
        "1",
    ]);
    let mut stream = TcpStream::connect(server.address).expect("connect");
    stream
        .set_read_timeout(Some(STARTUP_GUARD))
        .expect("timeout");
    let mut buffer = [0u8; 1];
    // The server closes the connection: read returns 0 (end of stream) instead of waiting for
    // the guard.
    assert_eq!(stream.read(&mut buffer).ok(), Some(0));
}

#[test]
fn zone_errors_are_all_listed_with_file_line_and_column_and_exit_2() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let bad_zone = folder.path().join("bad.zone");
    std::fs::write(
        &bad_zone,
        "$ORIGIN bad.test.\n$TTL 300\n@ IN SOA ns1 host 1 2 3 4 5\n@ IN NS ns1\nns1 IN A 192.0.2.300\nwww IN MX ten mail\n",
    )
    .expect("write the zone");
    let output = dnslab(&[
        "serve",
        "--zone",
        bad_zone.to_str().expect("UTF-8"),
        "--listen",
        "127.0.0.1:0",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        output.stdout.is_empty(),
        "never ready: {}",
        text(&output.stdout)
    );
    let stderr = text(&output.stderr);
    let prefix = bad_zone.display().to_string();
    // Line 5: the address is not IPv4 (column 10); line 6: "ten" is not a preference (column 11).
    assert!(stderr.contains(&format!("{prefix}:5:10: ")), "{stderr}");
    assert!(stderr.contains(&format!("{prefix}:6:11: ")), "{stderr}");

    let missing = folder.path().join("missing.zone");
    let output = dnslab(&["serve", "--zone", missing.to_str().expect("UTF-8")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("cannot read the zone file"));
}

#[test]
fn a_busy_address_is_a_clear_error() {
    let server = Server::start(&["--zone", example_zone().to_str().expect("UTF-8 path")]);
    let address = server.address.to_string();
    let output = dnslab(&[
        "serve",
        "--zone",
        example_zone().to_str().expect("UTF-8"),
        "--listen",
        &address,
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("cannot listen on"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn the_builtin_world_is_served_when_no_zone_is_given() {
    let server = Server::start(&[]);
    // The root zone of the mini-internet delegates com. (root hints: a.gtld-servers.net. serves
    // com. in the real world too).
    let ours = text(&query(&server, &["+norec", "com", "NS"]).stdout);
    let digs = dig(&server, &["+norec", "com", "NS"]);
    assert_eq!(dig_view(&ours), dig_view(&digs));
    assert!(dig_view(&ours).status == "NOERROR", "{ours}");
    // example.com. holds exactly the shared zone's records: its apex A.
    let ours = text(&query(&server, &["+norec", "example.com", "A"]).stdout);
    assert!(ours.contains("93.184.215.14"), "{ours}");
}

#[test]
fn no_reply_is_exit_9_after_every_try_and_mismatched_replies_are_ignored() {
    // A socket that never answers: two tries of one second, then exit 9.
    let silent = UdpSocket::bind("127.0.0.1:0").expect("bind");
    let port = silent.local_addr().expect("address").port();
    let at = format!("@127.0.0.1:{port}");
    let output = dnslab(&["query", &at, "example.com", "+timeout=1", "+tries=2"]);
    assert_eq!(output.status.code(), Some(9));
    assert!(
        text(&output.stderr).contains("no reply"),
        "{}",
        text(&output.stderr)
    );
    silent
        .set_read_timeout(Some(Duration::from_millis(200)))
        .expect("timeout");
    let mut buffer = [0u8; 512];
    let mut tries = 0;
    while silent.recv(&mut buffer).is_ok() {
        tries += 1;
    }
    assert_eq!(tries, 2);

    // A server that first answers with the wrong ID, then with the right one.
    let tricky = UdpSocket::bind("127.0.0.1:0").expect("bind");
    let port = tricky.local_addr().expect("address").port();
    let responder = std::thread::spawn(move || {
        let mut buffer = [0u8; 512];
        let (length, client) = tricky.recv_from(&mut buffer).expect("the query");
        let mut reply = buffer[..length].to_vec();
        reply[2] |= 0x80;
        let right_id = [reply[0], reply[1]];
        reply[1] = reply[1].wrapping_add(1);
        tricky.send_to(&reply, client).expect("send the wrong ID");
        reply[..2].copy_from_slice(&right_id);
        tricky.send_to(&reply, client).expect("send the right ID");
        u16::from_be_bytes(right_id)
    });
    let at = format!("@127.0.0.1:{port}");
    let output = dnslab(&["query", &at, "example.com", "+timeout=5", "+tries=1"]);
    let id = responder.join().expect("responder");
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("ignoring a reply that does not match"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("status: NOERROR, id: {id}")),
        "{stdout}"
    );
}

#[test]
fn the_query_on_the_wire_is_the_one_dig_sends() {
    // dig and dnslab query send to a socket of ours; apart from the ID and dig's AD bit and
    // cookie (turned off), the bytes are equal.
    let listener = UdpSocket::bind("127.0.0.1:0").expect("bind");
    listener
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let port = listener.local_addr().expect("address").port().to_string();
    let capture = |command: &mut Command| -> Vec<u8> {
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start");
        let mut buffer = [0u8; 512];
        let length = listener.recv(&mut buffer).expect("a query");
        let _ = child.kill();
        let _ = child.wait();
        buffer[2..length].to_vec()
    };
    for options in [
        &["+norec"][..],
        &["+dnssec"],
        &["+nsid", "+norec"],
        &["+noedns"],
    ] {
        let digs = capture(
            Command::new("dig")
                .args([
                    "@127.0.0.1",
                    "-p",
                    &port,
                    "+noadflag",
                    "+nocookie",
                    "+tries=1",
                    "+time=2",
                ])
                .args(options)
                .args(["www.example.com", "MX"]),
        );
        let at = format!("@127.0.0.1:{port}");
        let ours = capture(
            Command::new(env!("CARGO_BIN_EXE_dnslab"))
                .args(["query", &at, "+tries=1", "+timeout=2"])
                .args(options)
                .args(["www.example.com", "MX"]),
        );
        assert_eq!(ours, digs, "{options:?}");
    }
}
