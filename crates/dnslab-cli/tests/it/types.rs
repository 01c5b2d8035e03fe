//! Every record type of `types.test.zone`, served by Knot DNS, as `dnslab query` and dig 9.18
//! (text) and kdig (RFC 8427 JSON) print it.
//!
//! Knot encodes the records (so the bytes are not ours) and the expected text is what the real
//! clients print for the very same answers; dnslab must print the same sections line by line.
//! Knot listens on a free loopback port and is killed when the test ends, whatever happens.

use std::net::{Ipv4Addr, TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::network::{comparable_json, dig_at, dig_view, dnslab, kdig_json_at};

/// How long Knot gets to load the zone: guards against hangs, not a performance check.
const STARTUP_GUARD: Duration = Duration::from_secs(20);

fn types_zone() -> PathBuf {
    crate::manifest_dir().join("../dnslab-core/tests/data/zones/types.test.zone")
}

/// Every (owner, type) of the zone, read from the file: lines are `owner TYPE data` or, for the
/// same owner again, `TYPE data` after white space (the zone has no TTL or class columns).
fn zone_questions() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(types_zone()).expect("read types.test.zone");
    let mut owner = String::new();
    let mut questions: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let content = line.split(';').next().unwrap_or_default();
        if content.trim().is_empty() || content.starts_with('$') {
            continue;
        }
        let mut words = content.split_whitespace();
        if !content.starts_with([' ', '\t']) {
            let first = words.next().unwrap_or_default();
            owner = if first == "@" {
                "types.test.".to_owned()
            } else {
                format!("{first}.types.test.")
            };
        }
        let rtype = words.next().unwrap_or_default().to_owned();
        let question = (owner.clone(), rtype);
        if !questions.contains(&question) {
            questions.push(question);
        }
    }
    assert!(questions.len() >= 40, "{questions:?}");
    questions
}

/// A port free for both UDP and TCP on 127.0.0.1 right now.
fn free_port() -> u16 {
    loop {
        let Ok(udp) = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)) else {
            continue;
        };
        let Ok(port) = udp.local_addr().map(|address| address.port()) else {
            continue;
        };
        if TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_ok() {
            return port;
        }
    }
}

fn find_knotd() -> PathBuf {
    ["/usr/sbin/knotd", "/usr/local/sbin/knotd", "/usr/bin/knotd"]
        .iter()
        .map(PathBuf::from)
        .find(|candidate| candidate.exists())
        .unwrap_or_else(|| {
            panic!(
                "knotd (Knot DNS) is not installed, so this differential test cannot run; \
                 install it with apt-get install knot knot-dnsutils (the test fails rather than \
                 skips: a skipped differential test proves nothing)"
            )
        })
}

/// Knot DNS serving a copy of `types.test.zone` on 127.0.0.1, killed when dropped.
struct KnotServer {
    child: Child,
    port: u16,
    /// Holds the zone copy, the configuration and Knot's database; removed when dropped.
    _directory: tempfile::TempDir,
}

impl Drop for KnotServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl KnotServer {
    fn start() -> KnotServer {
        let directory = tempfile::tempdir().expect("a temporary directory");
        let root = directory.path().to_path_buf();
        std::fs::copy(types_zone(), root.join("types.test.zone")).expect("copy the zone");
        let port = free_port();
        let configuration = format!(
            "server:\n    rundir: \"{root}\"\n    listen: 127.0.0.1@{port}\n    identity: \"\"\n    \
             version: \"\"\n    nsid: \"\"\n    udp-workers: 1\n    tcp-workers: 1\n    \
             background-workers: 1\n\
             database:\n    storage: \"{root}/db\"\n\
             log:\n  - target: stderr\n    any: warning\n\
             template:\n  - id: default\n    storage: \"{root}\"\n    zonefile-sync: -1\n    \
             zonefile-load: whole\n    journal-content: none\n\
             zone:\n  - domain: types.test\n    file: types.test.zone\n",
            root = root.display(),
        );
        let configuration_path = root.join("knot.conf");
        std::fs::write(&configuration_path, configuration).expect("write knot.conf");
        let child = Command::new(find_knotd())
            .arg("-c")
            .arg(&configuration_path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start knotd");
        let mut server = KnotServer {
            child,
            port,
            _directory: directory,
        };
        server.wait_until_serving(&root);
        server
    }

    /// Waits until Knot answers the zone's SOA (dig asks).
    fn wait_until_serving(&mut self, root: &Path) {
        let started = Instant::now();
        while started.elapsed() < STARTUP_GUARD {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("knotd exited with {status} (directory {})", root.display());
            }
            let soa = self.dig(&["+short", "+time=1", "+tries=1", "types.test.", "SOA"]);
            if soa.starts_with("ns1.types.test.") {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("knotd did not serve types.test within {STARTUP_GUARD:?}");
    }

    fn dig(&self, arguments: &[&str]) -> String {
        dig_at(self.port, &[&["+norec"], arguments].concat())
    }

    fn kdig_json(&self, arguments: &[&str]) -> Value {
        kdig_json_at(self.port, &[&["+norec"], arguments].concat())
    }

    fn dnslab_query(&self, arguments: &[&str]) -> String {
        let at = format!("@127.0.0.1:{}", self.port);
        let mut all = vec!["query", at.as_str(), "+norec", "+timeout=5", "+tries=2"];
        all.extend_from_slice(arguments);
        let output = dnslab(&all);
        assert_eq!(
            output.status.code(),
            Some(0),
            "dnslab {all:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }
}

/// The lines of the ANSWER SECTION of dig-style text.
fn answer_lines(text: &str) -> Vec<&str> {
    text.lines()
        .skip_while(|line| *line != ";; ANSWER SECTION:")
        .skip(1)
        .take_while(|line| !line.is_empty())
        .collect()
}

#[test]
fn every_type_of_the_types_zone_prints_as_dig_prints_it() {
    let knot = KnotServer::start();
    let mut records = 0;
    for (owner, rtype) in zone_questions() {
        let ours = knot.dnslab_query(&[&owner, &rtype]);
        let digs = knot.dig(&[&owner, &rtype]);
        assert!(
            !answer_lines(&digs).is_empty(),
            "{owner} {rtype}: dig got no answer\n{digs}"
        );
        // Header status, flags and counts, then every section line by line.
        assert_eq!(
            dig_view(&ours),
            dig_view(&digs),
            "{owner} {rtype}\n--- dnslab query:\n{ours}\n--- dig:\n{digs}"
        );
        records += answer_lines(&digs).len();
    }
    // ANY over TCP (dig's choice for ANY), every type of an owner at once.
    for owner in ["afsdb.types.test.", "types.test.", "spf.types.test."] {
        let ours = knot.dnslab_query(&["+tcp", owner, "ANY"]);
        let digs = knot.dig(&["+tcp", owner, "ANY"]);
        assert_eq!(
            answer_lines(&ours),
            answer_lines(&digs),
            "{owner} ANY\n--- dnslab query:\n{ours}\n--- dig:\n{digs}"
        );
        records += answer_lines(&digs).len();
    }
    assert!(records >= 45, "only {records} records compared");
}

/// Owners whose kdig +json text is not comparable: RFC 8427 leaves the rdata text to each
/// implementation, and Knot's differs from BIND's (which dnslab follows) for these.
const KDIG_FORMS_DIFFER: &[(&str, &str)] = &[
    // kdig writes `51 30 12.748 N  0 7 39.611 W  0m  1m ...`: two spaces between the parts,
    // no decimals for whole seconds and metres.
    ("loc", "LOC"),
    ("loc-short", "LOC"),
    ("loc-south", "LOC"),
    ("loc-deep", "LOC"),
    // kdig does not break base64 and hex into 56-character chunks.
    ("key", "KEY"),
    ("smimea", "SMIMEA"),
    ("zonemd", "ZONEMD"),
    // kdig writes the CERT type and algorithm as numbers (`1 12345 8`), dig as mnemonics.
    ("cert", "CERT"),
    ("cert-num", "CERT"),
    ("cert-url", "CERT"),
    // kdig writes NID and L64 groups with leading zeros in upper case (`0014:4FFF:...`) and
    // EUI48/EUI64 in upper case.
    ("nid", "NID"),
    ("l64", "L64"),
    ("eui48", "EUI48"),
    ("eui64", "EUI64"),
    // kdig leaves the rdataAPL member out when the list is empty.
    ("apl-empty", "APL"),
];

#[test]
fn json_answers_match_kdig_json_where_knots_text_is_bind_s() {
    let knot = KnotServer::start();
    let mut compared = 0;
    for (owner, rtype) in zone_questions() {
        let label = owner.trim_end_matches(".types.test.");
        if KDIG_FORMS_DIFFER.contains(&(label, rtype.as_str())) {
            continue;
        }
        // kdig sends no EDNS by default; so does dnslab with +noedns.
        let ours = knot.dnslab_query(&["+noedns", "+json", &owner, &rtype]);
        let ours: Value = serde_json::from_str(&ours).expect("dnslab query +json");
        let knots = knot.kdig_json(&[&owner, &rtype]);
        assert_eq!(
            comparable_json(&ours),
            comparable_json(&knots),
            "{owner} {rtype}"
        );
        compared += 1;
    }
    assert!(compared >= 25, "only {compared} questions compared");
}
