//! Differential tests of `authority::answer` against Knot DNS: the same zones, the same query bytes, and the responses must agree section by section.
//!
//! The test starts `knotd` on a free loopback port with a temporary configuration and storage
//! directory (removed, and the server killed, when the guard drops), loads the zones of
//! `tests/data/zones/`, sends every query of the corpus to it over UDP (some over TCP too) and
//! compares the answer with ours: RCODE, the header flags, the question (byte for byte, case
//! included), the answer/authority/additional sections as sets of records, the case of the owner
//! names that echo the question, and the OPT record's fields.
//!
//! Without `knotd` the test fails loudly: a test that skips proves nothing.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::str::FromStr;
use std::time::{Duration, Instant};

use dnslab_core::authority::{self, Transport};
use dnslab_core::zone::{parse_zone, ZoneSet};
use hickory_proto::op::Message;
use hickory_proto::rr::{Name, RData, Record, RecordType};
use hickory_proto::serialize::binary::{BinEncodable, BinEncoder};

/// The zones served, with their files under `tests/data/zones/`.
const ZONES: &[(&str, &str)] = &[
    ("example.com.", "example.com.zone"),
    ("lab.test.", "lab.test.zone"),
    ("sub.lab.test.", "sub.lab.test.zone"),
    ("other.test.", "other.test.zone"),
    ("long.test.", "long.test.zone"),
    ("types.test.", "types.test.zone"),
    ("forms.test.", "forms.test.zone"),
    ("dname.test.", "dname.test.zone"),
    ("apexdname.test.", "apexdname.test.zone"),
];

/// The zones whose every RRset is asked for (over TCP, so that size never matters): the record
/// types beyond RFC 1035 and their text forms, where what matters is that Knot and dnslab read
/// the same bytes from the same text.
const ZONES_ASKED_RRSET_BY_RRSET: &[&str] = &["types.test.", "forms.test."];

fn zones_dir() -> PathBuf {
    crate::manifest_dir().join("tests/data/zones")
}

/// A running `knotd`, killed and cleaned up on drop.
struct KnotServer {
    child: Child,
    directory: PathBuf,
    address: SocketAddr,
}

impl Drop for KnotServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.directory);
    }
}

fn find_knotd() -> PathBuf {
    for candidate in ["/usr/sbin/knotd", "/usr/local/sbin/knotd", "/usr/bin/knotd"] {
        if Path::new(candidate).exists() {
            return PathBuf::from(candidate);
        }
    }
    if let Ok(output) = Command::new("sh")
        .arg("-c")
        .arg("command -v knotd")
        .output()
    {
        let path = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        if !path.is_empty() {
            return PathBuf::from(path);
        }
    }
    panic!(
        "knotd (Knot DNS) is not installed, so the differential test cannot run.\n\
         Install it with: DEBIAN_FRONTEND=noninteractive apt-get install -y knot knot-dnsutils\n\
         (this test fails rather than skips: a skipped differential test proves nothing)"
    );
}

/// A port that is free for both UDP and TCP on 127.0.0.1 right now.
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

impl KnotServer {
    fn start() -> KnotServer {
        let knotd = find_knotd();
        let mut last_log = String::new();
        for attempt in 0..5 {
            let port = free_port();
            let directory = std::env::temp_dir().join(format!(
                "dnslab-knot-{}-{}-{attempt}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|elapsed| elapsed.as_nanos())
                    .unwrap_or_default()
            ));
            let storage = directory.join("storage");
            let rundir = directory.join("run");
            std::fs::create_dir_all(&storage).expect("create Knot storage directory");
            std::fs::create_dir_all(&rundir).expect("create Knot run directory");
            for (_, file) in ZONES {
                std::fs::copy(zones_dir().join(file), storage.join(file)).expect("copy zone file");
            }
            let zone_lines: String = ZONES
                .iter()
                .map(|(origin, file)| format!("  - domain: {origin}\n    file: \"{file}\"\n"))
                .collect();
            // No rate limiting (the rrl module is not loaded), no NSID, no identity or version
            // answers in class CH, our UDP payload size, and nothing written back to the files.
            let configuration = format!(
                "server:\n    rundir: \"{rundir}\"\n    listen: 127.0.0.1@{port}\n    identity: \"\"\n    version: \"\"\n    nsid: \"\"\n    udp-max-payload: 1232\n    udp-workers: 1\n    tcp-workers: 1\n    background-workers: 1\n\
                 database:\n    storage: \"{storage}\"\n\
                 log:\n  - target: stderr\n    any: warning\n\
                 template:\n  - id: default\n    storage: \"{storage}\"\n    zonefile-sync: -1\n    zonefile-load: whole\n    journal-content: none\n\
                 zone:\n{zone_lines}",
                rundir = rundir.display(),
                storage = storage.display(),
            );
            let configuration_path = directory.join("knot.conf");
            std::fs::write(&configuration_path, configuration).expect("write Knot configuration");
            let log_path = directory.join("knotd.log");
            let log = std::fs::File::create(&log_path).expect("create Knot log");
            let child = Command::new(&knotd)
                .arg("-c")
                .arg(&configuration_path)
                .stdout(Stdio::null())
                .stderr(log)
                .spawn()
                .expect("start knotd");
            let mut server = KnotServer {
                child,
                directory,
                address: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
            };
            if server.wait_until_serving(&log_path) {
                return server;
            }
            last_log = std::fs::read_to_string(&log_path).unwrap_or_default();
            if last_log.contains("zone loader") {
                // A zone Knot cannot load will not load on another port either.
                break;
            }
            let _ = server.child.kill();
        }
        panic!("knotd did not start serving the test zones; its last log:\n{last_log}");
    }

    /// Waits until every zone answers its SOA query authoritatively.
    fn wait_until_serving(&mut self, log_path: &Path) -> bool {
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return false;
            }
            if std::fs::read_to_string(log_path).is_ok_and(|log| log.contains("zone loader")) {
                return false;
            }
            let all_loaded = ZONES.iter().all(|(origin, _)| {
                let query = QueryBuilder::new(origin, RecordType::SOA).build();
                udp_exchange(self.address, &query, Duration::from_millis(300))
                    .and_then(|bytes| Message::from_vec(&bytes).ok())
                    .is_some_and(|message| {
                        message.metadata.authoritative && message.answers.len() == 1
                    })
            });
            if all_loaded {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    }
}

fn udp_exchange(server: SocketAddr, query: &[u8], timeout: Duration) -> Option<Vec<u8>> {
    let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).ok()?;
    socket.set_read_timeout(Some(timeout)).ok()?;
    socket.send_to(query, server).ok()?;
    let mut buffer = vec![0u8; 65_535];
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        let (length, from) = match socket.recv_from(&mut buffer) {
            Ok(received) => received,
            // A signal (a child of another test ending) interrupted the wait: wait again.
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return None,
        };
        // Match the response to the query by ID.
        if from == server && length >= 2 && buffer[..2] == query[..2] {
            buffer.truncate(length);
            return Some(buffer);
        }
    }
    None
}

fn tcp_exchange(server: SocketAddr, query: &[u8]) -> Option<Vec<u8>> {
    let mut stream = TcpStream::connect_timeout(&server, Duration::from_secs(2)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    let length = u16::try_from(query.len()).ok()?;
    let mut framed = length.to_be_bytes().to_vec();
    framed.extend_from_slice(query);
    stream.write_all(&framed).ok()?;
    let mut prefix = [0u8; 2];
    stream.read_exact(&mut prefix).ok()?;
    let mut response = vec![0u8; usize::from(u16::from_be_bytes(prefix))];
    stream.read_exact(&mut response).ok()?;
    Some(response)
}

/// Builds query bytes by hand, so that malformed and unusual queries can be made too.
#[derive(Clone)]
struct QueryBuilder {
    id: u16,
    flags: u16,
    name: String,
    qtype: u16,
    qclass: u16,
    /// (payload, version, DO, options)
    edns: Option<(u16, u8, bool, Vec<u8>)>,
}

impl QueryBuilder {
    fn new(name: &str, qtype: RecordType) -> Self {
        Self {
            id: 0x4242,
            flags: 0,
            name: name.to_owned(),
            qtype: u16::from(qtype),
            qclass: 1,
            edns: None,
        }
    }

    fn edns(mut self, payload: u16) -> Self {
        self.edns = Some((payload, 0, false, Vec::new()));
        self
    }

    fn build(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&self.id.to_be_bytes());
        bytes.extend_from_slice(&self.flags.to_be_bytes());
        bytes.extend_from_slice(&[0, 1, 0, 0, 0, 0, 0, u8::from(self.edns.is_some())]);
        bytes.extend(name_wire(&self.name));
        bytes.extend_from_slice(&self.qtype.to_be_bytes());
        bytes.extend_from_slice(&self.qclass.to_be_bytes());
        if let Some((payload, version, dnssec_ok, options)) = &self.edns {
            bytes.push(0);
            bytes.extend_from_slice(&41u16.to_be_bytes());
            bytes.extend_from_slice(&payload.to_be_bytes());
            bytes.extend_from_slice(&[0, *version, if *dnssec_ok { 0x80 } else { 0 }, 0]);
            bytes.extend_from_slice(&u16::try_from(options.len()).unwrap_or(0).to_be_bytes());
            bytes.extend_from_slice(options);
        }
        bytes
    }
}

/// A name in wire form, keeping the case it is written in.
fn name_wire(name: &str) -> Vec<u8> {
    let mut wire = Vec::new();
    for label in name
        .trim_end_matches('.')
        .split('.')
        .filter(|label| !label.is_empty())
    {
        wire.push(u8::try_from(label.len()).unwrap_or(63));
        wire.extend_from_slice(label.as_bytes());
    }
    wire.push(0);
    wire
}

/// One query of the corpus.
struct Case {
    label: String,
    query: Vec<u8>,
    transport: Transport,
    /// Where dnslab deliberately answers differently from Knot: the reason, and the RCODE we
    /// send instead (checked, so the deviation stays exactly the documented one).
    deviation: Option<(&'static str, u8)>,
}

fn case(label: impl Into<String>, query: Vec<u8>, transport: Transport) -> Case {
    Case {
        label: label.into(),
        query,
        transport,
        deviation: None,
    }
}

/// Knot drops a query whose question cannot be read; the issue asks for FORMERR wherever a
/// header can be read (as BIND does), so the client learns what went wrong.
const FORMERR_INSTEAD_OF_DROP: (&str, u8) = (
    "Knot drops a query whose question cannot be read; dnslab answers FORMERR",
    1,
);
/// Knot implements NOTIFY and UPDATE and refuses them by ACL with NOTAUTH; dnslab implements
/// neither and says so with NOTIMP.
const NOTIMP_INSTEAD_OF_NOTAUTH: (&str, u8) = (
    "Knot answers NOTIFY/UPDATE with NOTAUTH (ACL); dnslab does not implement them: NOTIMP",
    4,
);

/// The (name, type) pairs asked with and without EDNS, over UDP.
fn questions() -> Vec<(&'static str, RecordType)> {
    use RecordType as T;
    vec![
        // example.com, the shared capture zone.
        ("example.com.", T::SOA),
        ("example.com.", T::NS),
        ("example.com.", T::A),
        ("example.com.", T::AAAA),
        ("example.com.", T::MX),
        ("example.com.", T::TXT),
        ("example.com.", T::CAA),
        ("example.com.", T::ANY),
        ("www.example.com.", T::A),
        ("www.example.com.", T::CNAME),
        ("alias.example.com.", T::AAAA),
        ("ext.example.com.", T::A),
        ("_sip._udp.example.com.", T::SRV),
        ("x.wild.example.com.", T::A),
        ("x.wild.example.com.", T::MX),
        ("wild.example.com.", T::A),
        ("sub.example.com.", T::NS),
        ("a.b.sub.example.com.", T::A),
        ("ns.sub.example.com.", T::A),
        ("sub.example.com.", T::DS),
        ("long.example.com.", T::TXT),
        ("nope.example.com.", T::A),
        ("mail.example.com.", T::TXT),
        ("ns1.example.com.", T::ANY),
        // lab.test: exact matches, NODATA, NXDOMAIN, case.
        ("lab.test.", T::SOA),
        ("lab.test.", T::NS),
        ("lab.test.", T::MX),
        ("lab.test.", T::ANY),
        ("lab.test.", T::DNSKEY),
        ("lab.test.", T::CDS),
        ("lab.test.", T::CDNSKEY),
        ("lab.test.", T::DS),
        ("LAB.test.", T::TXT),
        ("ns2.lab.test.", T::A),
        ("mixed.case.lab.test.", T::A),
        ("MIXED.CASE.LAB.TEST.", T::A),
        ("case.lab.test.", T::A),
        ("no-such-name.lab.test.", T::A),
        ("no.such.name.lab.test.", T::MX),
        // CNAME chains.
        ("alias1.lab.test.", T::A),
        ("ALIAS1.Lab.Test.", T::AAAA),
        ("alias1.lab.test.", T::CNAME),
        ("alias1.lab.test.", T::ANY),
        ("alias1.lab.test.", T::TXT),
        ("alias1.lab.test.", T::MX),
        ("to-missing.lab.test.", T::A),
        ("to-nodata.lab.test.", T::TXT),
        ("to-outside.lab.test.", T::A),
        ("to-other.lab.test.", T::A),
        ("loop1.lab.test.", T::A),
        ("self-loop.lab.test.", T::A),
        ("to-deleg.lab.test.", T::A),
        ("to-child.lab.test.", T::A),
        ("to-wild.lab.test.", T::A),
        ("to-wild.lab.test.", T::MX),
        ("to-ent.lab.test.", T::A),
        // Empty non-terminals.
        ("ent.lab.test.", T::A),
        ("c.ent.lab.test.", T::ANY),
        ("b.c.ent.lab.test.", T::TXT),
        ("a.b.c.ent.lab.test.", T::A),
        ("x.c.ent.lab.test.", T::A),
        // Wildcards.
        ("foo.wild.lab.test.", T::A),
        ("Foo.Wild.lab.test.", T::MX),
        ("foo.wild.lab.test.", T::TXT),
        ("foo.wild.lab.test.", T::AAAA),
        ("foo.wild.lab.test.", T::ANY),
        ("a.b.c.wild.lab.test.", T::A),
        ("*.wild.lab.test.", T::A),
        ("wild.lab.test.", T::A),
        ("exists.wild.lab.test.", T::A),
        ("exists.wild.lab.test.", T::TXT),
        ("x.exists.wild.lab.test.", T::A),
        ("under.wild.lab.test.", T::A),
        ("x.under.wild.lab.test.", T::A),
        ("x.cname-wild.lab.test.", T::A),
        ("x.cname-wild.lab.test.", T::CNAME),
        ("a.loop-wild.lab.test.", T::A),
        ("x.deleg-wild.lab.test.", T::A),
        // Delegations.
        ("sub.lab.test.", T::NS),
        ("sub.lab.test.", T::DS),
        ("sub.lab.test.", T::DNSKEY),
        ("sub.lab.test.", T::SOA),
        ("host.sub.lab.test.", T::A),
        ("ns.sub.lab.test.", T::AAAA),
        ("glueless.lab.test.", T::A),
        ("glueless.lab.test.", T::NS),
        ("glueless.lab.test.", T::DS),
        ("glueless.lab.test.", T::ANY),
        ("deep.host.glueless.lab.test.", T::A),
        ("x.glueless.lab.test.", T::DS),
        ("sibling.lab.test.", T::A),
        ("sub2.lab.test.", T::A),
        ("deep.sub2.lab.test.", T::A),
        ("x.deep.sub2.lab.test.", T::TXT),
        ("ns.deep.sub2.lab.test.", T::A),
        ("deep.sub2.lab.test.", T::DS),
        ("bigdeleg.lab.test.", T::A),
        ("www.bigdeleg.lab.test.", T::A),
        // Additional-section addresses.
        ("_sip._udp.lab.test.", T::SRV),
        ("_http._tcp.lab.test.", T::SRV),
        ("mx-wild.lab.test.", T::MX),
        ("manymx.lab.test.", T::MX),
        // Every record type.
        ("txt.lab.test.", T::TXT),
        ("txt-multi.lab.test.", T::TXT),
        ("hinfo.lab.test.", T::HINFO),
        ("caa.lab.test.", T::CAA),
        ("naptr.lab.test.", T::NAPTR),
        ("sshfp.lab.test.", T::SSHFP),
        ("_443._tcp.lab.test.", T::TLSA),
        ("svc.lab.test.", T::SVCB),
        ("svc-alias.lab.test.", T::SVCB),
        ("https.lab.test.", T::HTTPS),
        ("https-www.lab.test.", T::HTTPS),
        ("svc-self.lab.test.", T::SVCB),
        ("svc-self.lab.test.", T::ANY),
        ("ptr.lab.test.", T::PTR),
        ("signed.lab.test.", T::A),
        ("signed.lab.test.", T::RRSIG),
        ("signed.lab.test.", T::ANY),
        ("nsec.lab.test.", T::NSEC),
        ("lab.test.", T::NSEC3PARAM),
        ("2vptu5timamqttgl4luu9kg21e0aor3s.lab.test.", T::NSEC3),
        ("2vptu5timamqttgl4luu9kg21e0aor3s.lab.test.", T::A),
        ("x.2vptu5timamqttgl4luu9kg21e0aor3s.lab.test.", T::A),
        ("generic.lab.test.", T::Unknown(65280)),
        ("generic-a.lab.test.", T::A),
        ("type-one.lab.test.", T::A),
        // Large answers.
        ("big.lab.test.", T::A),
        ("cname-to-big.lab.test.", T::A),
        ("bigtxt.lab.test.", T::TXT),
        ("hugetxt.lab.test.", T::TXT),
        // other.test and its apex wildcard.
        ("other.test.", T::SOA),
        ("other.test.", T::A),
        ("anything.other.test.", T::TXT),
        ("anything.other.test.", T::A),
        ("back.other.test.", T::A),
        ("host.other.test.", T::A),
        // long.test: no room for the SOA.
        ("long.test.", T::MX),
        // types.test: every owner with its type and with ANY (RFC 8482: one RRset).
        ("types.test.", T::SOA),
        ("ns1.types.test.", T::A),
        ("minfo.types.test.", T::from(14)),
        ("rp.types.test.", T::from(17)),
        ("rp-none.types.test.", T::from(17)),
        ("txtinfo.types.test.", T::TXT),
        ("afsdb.types.test.", T::from(18)),
        ("rt.types.test.", T::from(21)),
        ("kx.types.test.", T::from(36)),
        ("spf.types.test.", T::from(99)),
        ("loc.types.test.", T::from(29)),
        ("loc-short.types.test.", T::from(29)),
        ("loc-south.types.test.", T::from(29)),
        ("loc-deep.types.test.", T::from(29)),
        ("key.types.test.", T::KEY),
        ("cert.types.test.", T::CERT),
        ("cert-num.types.test.", T::CERT),
        ("cert-url.types.test.", T::CERT),
        ("openpgpkey.types.test.", T::OPENPGPKEY),
        ("smimea.types.test.", T::SMIMEA),
        ("ipseckey.types.test.", T::from(45)),
        ("ipseckey6.types.test.", T::from(45)),
        ("ipseckey-n.types.test.", T::from(45)),
        ("dhcid.types.test.", T::from(49)),
        ("apl.types.test.", T::from(42)),
        ("apl-empty.types.test.", T::from(42)),
        ("csync.types.test.", T::CSYNC),
        ("csync-none.types.test.", T::CSYNC),
        ("zonemd.types.test.", T::from(63)),
        ("nid.types.test.", T::from(104)),
        ("l32.types.test.", T::from(105)),
        ("l64.types.test.", T::from(106)),
        ("lp.types.test.", T::from(107)),
        ("eui48.types.test.", T::from(108)),
        ("eui64.types.test.", T::from(109)),
        ("uri.types.test.", T::from(256)),
        ("uri-esc.types.test.", T::from(256)),
        ("dname.types.test.", T::DNAME),
        ("dname-in.types.test.", T::DNAME),
        ("minfo.types.test.", T::ANY),
        ("rp.types.test.", T::ANY),
        ("rp-none.types.test.", T::ANY),
        ("txtinfo.types.test.", T::ANY),
        ("afsdb.types.test.", T::ANY),
        ("rt.types.test.", T::ANY),
        ("kx.types.test.", T::ANY),
        ("spf.types.test.", T::ANY),
        ("loc.types.test.", T::ANY),
        ("loc-short.types.test.", T::ANY),
        ("loc-south.types.test.", T::ANY),
        ("loc-deep.types.test.", T::ANY),
        ("key.types.test.", T::ANY),
        ("cert.types.test.", T::ANY),
        ("cert-num.types.test.", T::ANY),
        ("cert-url.types.test.", T::ANY),
        ("openpgpkey.types.test.", T::ANY),
        ("smimea.types.test.", T::ANY),
        ("ipseckey.types.test.", T::ANY),
        ("ipseckey6.types.test.", T::ANY),
        ("ipseckey-n.types.test.", T::ANY),
        ("dhcid.types.test.", T::ANY),
        ("apl.types.test.", T::ANY),
        ("apl-empty.types.test.", T::ANY),
        ("csync.types.test.", T::ANY),
        ("csync-none.types.test.", T::ANY),
        ("zonemd.types.test.", T::ANY),
        ("nid.types.test.", T::ANY),
        ("l32.types.test.", T::ANY),
        ("l64.types.test.", T::ANY),
        ("lp.types.test.", T::ANY),
        ("eui48.types.test.", T::ANY),
        ("eui64.types.test.", T::ANY),
        ("uri.types.test.", T::ANY),
        ("uri-esc.types.test.", T::ANY),
        ("dname.types.test.", T::ANY),
        ("dname-in.types.test.", T::ANY),
        // DNAME (RFC 6672): below the owner, at it (NODATA for other types), into the same zone.
        ("x.dname.types.test.", T::A),
        ("a.b.dname.types.test.", T::MX),
        ("dname.types.test.", T::A),
        ("x.dname.types.test.", T::DNAME),
        ("x.dname.types.test.", T::CNAME),
        ("x.dname.types.test.", T::ANY),
        ("x.dname-in.types.test.", T::from(17)),
        ("x.dname-in.types.test.", T::A),
        // A DNAME at the apex applies below it; the apex answers from its own data.
        ("x.apexdname.test.", T::A),
        ("x.y.apexdname.test.", T::DNAME),
        ("apexdname.test.", T::A),
        ("apexdname.test.", T::SOA),
        ("apexdname.test.", T::DNAME),
        ("apexdname.test.", T::ANY),
        // dname.test: chains, limits, loops, delegations, wildcards.
        ("x.to-host.dname.test.", T::A),
        ("host.to-host.dname.test.", T::A),
        ("host.to-host.dname.test.", T::MX),
        ("www.host.to-host.dname.test.", T::A),
        ("alias.host.to-host.dname.test.", T::A),
        ("host.to-host.dname.test.", T::CNAME),
        ("x.to-host.dname.test.", T::CNAME),
        ("to-host.to-host.dname.test.", T::DNAME),
        ("to-host.to-host.dname.test.", T::A),
        ("ns1.to-host.dname.test.", T::A),
        ("cname-to-dname.dname.test.", T::A),
        ("cname-to-dname.dname.test.", T::CNAME),
        ("host.chain.dname.test.", T::A),
        ("x.chain.dname.test.", T::A),
        ("www.d1.dname.test.", T::A),
        ("www.d2.dname.test.", T::A),
        ("x.to-nowhere.dname.test.", T::A),
        ("x.self.dname.test.", T::A),
        ("x.self.dname.test.", T::CNAME),
        ("x.self.dname.test.", T::DNAME),
        ("c1.dname.test.", T::A),
        ("c2.dname.test.", T::A),
        ("c3.dname.test.", T::A),
        ("x.long.dname.test.", T::TXT),
        ("x.to-deleg.dname.test.", T::A),
        ("x.occluded.deleg.dname.test.", T::A),
        ("occluded.deleg.dname.test.", T::DNAME),
        ("cname.deleg.dname.test.", T::A),
        ("a.x.to-wild.dname.test.", T::A),
        ("x.to-wild.dname.test.", T::MX),
        ("a.wdname.dname.test.", T::A),
        ("a.wdname.dname.test.", T::DNAME),
        ("b.a.wdname.dname.test.", T::A),
        ("x.*.wdname.dname.test.", T::A),
        ("b.to-ent.dname.test.", T::A),
        ("a.b.to-ent.dname.test.", T::A),
        ("x.to-out.dname.test.", T::A),
        // Outside every zone.
        ("example.org.", T::A),
        ("test.", T::SOA),
        (".", T::NS),
        ("com.", T::DS),
    ]
}

/// `name` with letters in upper and lower case, in a pattern that depends on `seed`.
fn mixed_case(name: &str, seed: usize) -> String {
    name.chars()
        .enumerate()
        .map(|(position, character)| {
            if (position * 7 + seed).is_multiple_of(3) {
                character.to_ascii_uppercase()
            } else {
                character
            }
        })
        .collect()
}

/// The whole corpus: every question with and without EDNS and in mixed case, then special cases.
fn corpus() -> Vec<Case> {
    let mut cases = Vec::new();
    for (index, (name, qtype)) in questions().into_iter().enumerate() {
        let plain = QueryBuilder::new(name, qtype);
        cases.push(case(
            format!("{name} {qtype} udp"),
            plain.build(),
            Transport::Udp,
        ));
        cases.push(case(
            format!("{name} {qtype} udp edns"),
            plain.clone().edns(1232).build(),
            Transport::Udp,
        ));
        // The same question in mixed case (as resolvers using DNS 0x20 send it): matching
        // ignores case, and the question's spelling comes back.
        let mixed = mixed_case(name, index);
        let query = QueryBuilder::new(&mixed, qtype).edns(1232);
        cases.push(case(
            format!("{mixed} {qtype} udp edns"),
            query.build(),
            Transport::Udp,
        ));
    }
    let long_name = format!(
        "{}.{}.{}.{}.long.test.",
        "a".repeat(63),
        "b".repeat(63),
        "c".repeat(63),
        "e".repeat(30)
    );
    let long_existing = format!(
        "{}.{}.{}.{}.long.test.",
        "a".repeat(63),
        "b".repeat(63),
        "c".repeat(63),
        "d".repeat(30)
    );
    for (label, name, qtype) in [
        ("long nxdomain", long_name.as_str(), RecordType::A),
        ("long nodata", long_existing.as_str(), RecordType::TXT),
        ("long answer", long_existing.as_str(), RecordType::A),
    ] {
        let query = QueryBuilder::new(name, qtype);
        cases.push(case(format!("{label} udp"), query.build(), Transport::Udp));
        cases.push(case(format!("{label} tcp"), query.build(), Transport::Tcp));
    }

    // DNAME substitutions that would make a name longer than 255 octets (YXDOMAIN, RFC 6672
    // section 2.2): the longest prefix that still fits below long-out is 49 octets.
    for (prefix_length, owner, qtype) in [
        (50, "long-out", RecordType::A),
        (49, "long-out", RecordType::A),
        (50, "long", RecordType::TXT),
        (50, "long", RecordType::CNAME),
        (50, "long", RecordType::DNAME),
        (50, "long-here", RecordType::A),
        (50, "long-here", RecordType::TXT),
        (50, "long-here", RecordType::CNAME),
    ] {
        let name = format!("{}.{owner}.dname.test.", "x".repeat(prefix_length));
        let query = QueryBuilder::new(&name, qtype);
        let label = format!("{prefix_length}-octet label below {owner} {qtype}");
        cases.push(case(format!("{label} udp"), query.build(), Transport::Udp));
        cases.push(case(
            format!("{label} udp edns"),
            query.clone().edns(1232).build(),
            Transport::Udp,
        ));
        cases.push(case(format!("{label} tcp"), query.build(), Transport::Tcp));
    }

    // Every RRset of the zones of record types, over TCP.
    for (origin, file) in ZONES
        .iter()
        .filter(|(origin, _)| ZONES_ASKED_RRSET_BY_RRSET.contains(origin))
    {
        let text = std::fs::read_to_string(zones_dir().join(file)).expect("read zone file");
        let origin = Name::from_str(origin).expect("origin");
        let zone = parse_zone(&text, Some(&origin)).unwrap_or_else(|errors| panic!("{errors}"));
        for rrset in zone.rrsets() {
            let name = rrset.name().to_string();
            let query = QueryBuilder::new(&name, rrset.record_type()).edns(1232);
            cases.push(case(
                format!("{name} {} rrset tcp", rrset.record_type()),
                query.build(),
                Transport::Tcp,
            ));
        }
    }

    // Over TCP: no size limit.
    for (name, qtype) in [
        ("big.lab.test.", RecordType::A),
        ("hugetxt.lab.test.", RecordType::TXT),
        ("bigdeleg.lab.test.", RecordType::A),
        ("manymx.lab.test.", RecordType::MX),
        ("cname-to-big.lab.test.", RecordType::A),
        ("alias1.lab.test.", RecordType::A),
        ("no-such-name.lab.test.", RecordType::A),
        ("example.org.", RecordType::A),
    ] {
        let query = QueryBuilder::new(name, qtype);
        cases.push(case(
            format!("{name} {qtype} tcp"),
            query.build(),
            Transport::Tcp,
        ));
        cases.push(case(
            format!("{name} {qtype} tcp edns"),
            query.edns(1232).build(),
            Transport::Tcp,
        ));
    }

    // EDNS payload sizes, version, DO bit and options.
    for payload in [0u16, 100, 512, 600, 700, 1000, 1232, 1300, 4096, 65535] {
        for (name, qtype) in [
            ("big.lab.test.", RecordType::A),
            ("bigtxt.lab.test.", RecordType::TXT),
            ("bigdeleg.lab.test.", RecordType::A),
            ("manymx.lab.test.", RecordType::MX),
        ] {
            let query = QueryBuilder::new(name, qtype).edns(payload).build();
            cases.push(case(
                format!("{name} {qtype} payload {payload}"),
                query,
                Transport::Udp,
            ));
        }
    }
    let mut version_one = QueryBuilder::new("www.lab.test.", RecordType::A);
    version_one.edns = Some((1232, 1, false, Vec::new()));
    cases.push(case("EDNS version 1", version_one.build(), Transport::Udp));
    let mut version_one_do = version_one.clone();
    version_one_do.edns = Some((1232, 1, true, Vec::new()));
    cases.push(case(
        "EDNS version 1 with DO",
        version_one_do.build(),
        Transport::Udp,
    ));
    let mut refused_version = QueryBuilder::new("example.org.", RecordType::A);
    refused_version.edns = Some((1232, 2, false, Vec::new()));
    cases.push(case(
        "EDNS version 2 outside zones",
        refused_version.build(),
        Transport::Udp,
    ));
    for (label, name, qtype) in [
        ("DO answer", "www.lab.test.", RecordType::A),
        ("DO nxdomain", "nope.lab.test.", RecordType::A),
        ("DO referral", "host.glueless.lab.test.", RecordType::A),
        ("DO signed", "signed.lab.test.", RecordType::A),
    ] {
        let mut query = QueryBuilder::new(name, qtype);
        query.edns = Some((1232, 0, true, Vec::new()));
        cases.push(case(label, query.build(), Transport::Udp));
    }
    let options: [(&str, Vec<u8>); 4] = [
        ("NSID option", vec![0, 3, 0, 0]),
        (
            "cookie option",
            [&[0u8, 10, 0, 8][..], &[1, 2, 3, 4, 5, 6, 7, 8]].concat(),
        ),
        ("unknown option", vec![0xfd, 0xe9, 0, 2, 0xab, 0xcd]),
        ("padding option", vec![0, 12, 0, 4, 0, 0, 0, 0]),
    ];
    for (label, option) in options {
        let mut query = QueryBuilder::new("www.lab.test.", RecordType::A);
        query.edns = Some((1232, 0, false, option));
        cases.push(case(label, query.build(), Transport::Udp));
    }

    // Header flags: RD copied; AA, TC, Z, AD, CD and RA of a query are not.
    for (label, flags) in [
        ("RD", 0x0100u16),
        ("AA TC in query", 0x0600),
        ("Z", 0x0040),
        ("AD", 0x0020),
        ("CD", 0x0010),
        ("RA", 0x0080),
        ("RCODE in query", 0x0005),
        ("all flags", 0x07F0),
    ] {
        let mut query = QueryBuilder::new("www.lab.test.", RecordType::A);
        query.flags = flags;
        cases.push(case(
            format!("flags {label}"),
            query.build(),
            Transport::Udp,
        ));
        let mut refused = QueryBuilder::new("example.org.", RecordType::A).edns(1232);
        refused.flags = flags;
        cases.push(case(
            format!("flags {label} refused"),
            refused.build(),
            Transport::Udp,
        ));
    }

    // Classes and opcodes.
    for (label, qclass) in [
        ("CH", 3u16),
        ("HS", 4),
        ("NONE", 254),
        ("ANY", 255),
        ("CLASS42", 42),
    ] {
        let mut query = QueryBuilder::new("www.lab.test.", RecordType::A);
        query.qclass = qclass;
        cases.push(case(
            format!("class {label}"),
            query.build(),
            Transport::Udp,
        ));
        let with_edns = query.clone().edns(1232);
        cases.push(case(
            format!("class {label} edns"),
            with_edns.build(),
            Transport::Udp,
        ));
        query.name = "version.bind.".to_owned();
        query.qtype = u16::from(RecordType::TXT);
        cases.push(case(
            format!("class {label} version.bind"),
            query.build(),
            Transport::Udp,
        ));
        let outside = QueryBuilder {
            qclass,
            ..QueryBuilder::new("example.org.", RecordType::A).edns(1232)
        };
        cases.push(case(
            format!("class {label} outside zones"),
            outside.build(),
            Transport::Udp,
        ));
    }
    for opcode in [4u16, 5] {
        let mut query = QueryBuilder::new("lab.test.", RecordType::SOA).edns(1232);
        query.flags = opcode << 11;
        let mut deviating = case(format!("opcode {opcode}"), query.build(), Transport::Udp);
        deviating.deviation = Some(NOTIMP_INSTEAD_OF_NOTAUTH);
        cases.push(deviating);
    }
    for (name, qtype) in [
        ("lab.test.", RecordType::AXFR),
        ("www.lab.test.", RecordType::AXFR),
        ("lab.test.", RecordType::IXFR),
        ("example.org.", RecordType::AXFR),
    ] {
        for transport in [Transport::Udp, Transport::Tcp] {
            let query = QueryBuilder::new(name, qtype).edns(1232).build();
            cases.push(case(
                format!("{name} {qtype} {transport:?}"),
                query,
                transport,
            ));
        }
    }
    for opcode in [1u16, 2, 3, 6, 7, 15] {
        let mut query = QueryBuilder::new("www.lab.test.", RecordType::A).edns(1232);
        query.flags = opcode << 11 | 0x0100;
        cases.push(case(
            format!("opcode {opcode}"),
            query.build(),
            Transport::Udp,
        ));
        let mut chaos = query.clone();
        chaos.qclass = 3;
        cases.push(case(
            format!("opcode {opcode} class CH"),
            chaos.build(),
            Transport::Udp,
        ));
    }

    // Query types that are not data types.
    for qtype in [0u16, 41, 249, 250, 253, 254] {
        let mut query = QueryBuilder::new("www.lab.test.", RecordType::A);
        query.qtype = qtype;
        cases.push(case(
            format!("qtype {qtype}"),
            query.build(),
            Transport::Udp,
        ));
    }

    // Malformed queries: FORMERR (where a header can be read).
    let good = QueryBuilder::new("www.lab.test.", RecordType::A).build();
    let mut no_question = good[..12].to_vec();
    no_question[5] = 0;
    cases.push(case("no question", no_question.clone(), Transport::Udp));
    let mut no_question_edns = no_question.clone();
    no_question_edns[11] = 1;
    no_question_edns.extend_from_slice(&[0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0]);
    cases.push(case(
        "no question with EDNS",
        no_question_edns,
        Transport::Udp,
    ));
    let mut two_questions = good.clone();
    two_questions[5] = 2;
    two_questions.extend_from_slice(&good[12..]);
    let mut deviating = case("two questions", two_questions, Transport::Udp);
    deviating.deviation = Some(FORMERR_INSTEAD_OF_DROP);
    cases.push(deviating);
    let mut trailing = good.clone();
    trailing.extend_from_slice(&[0xde, 0xad]);
    cases.push(case("trailing bytes", trailing, Transport::Udp));
    let mut deviating = case(
        "question cut short",
        good[..good.len() - 3].to_vec(),
        Transport::Udp,
    );
    deviating.deviation = Some(FORMERR_INSTEAD_OF_DROP);
    cases.push(deviating);
    let mut compressed = good[..12].to_vec();
    compressed.extend_from_slice(&[3, b'w', b'w', b'w', 0xC0, 0x0C, 0, 1, 0, 1]);
    let mut deviating = case("compressed question", compressed, Transport::Udp);
    deviating.deviation = Some(FORMERR_INSTEAD_OF_DROP);
    cases.push(deviating);
    let opt = [0u8, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0];
    let mut two_opts = good.clone();
    two_opts[11] = 2;
    two_opts.extend_from_slice(&opt);
    two_opts.extend_from_slice(&opt);
    cases.push(case("two OPT records", two_opts, Transport::Udp));
    let mut opt_in_answer = good.clone();
    opt_in_answer[7] = 1;
    opt_in_answer.extend_from_slice(&opt);
    cases.push(case("OPT in answer section", opt_in_answer, Transport::Udp));
    let mut counts_lie = good.clone();
    counts_lie[9] = 3;
    cases.push(case(
        "authority count without records",
        counts_lie,
        Transport::Udp,
    ));
    let mut bad_option = good.clone();
    bad_option[11] = 1;
    bad_option.extend_from_slice(&[0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 4, 0, 3, 0, 9]);
    cases.push(case("option longer than OPT", bad_option, Transport::Udp));
    let mut with_answer = good.clone();
    with_answer[7] = 1;
    with_answer.extend_from_slice(&[0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1]);
    cases.push(case(
        "query carrying an answer record",
        with_answer,
        Transport::Udp,
    ));
    let mut response_bit = good.clone();
    response_bit[2] |= 0x80;
    cases.push(case("QR set (dropped)", response_bit, Transport::Udp));
    cases.push(case(
        "only 11 octets (dropped)",
        good[..11].to_vec(),
        Transport::Udp,
    ));
    cases
}

/// A record in a comparable form: owner (lowercase), type, class, TTL and RDATA in DNSSEC
/// canonical form (names lowercased where RFC 4034 section 6.2 says so, never compressed).
///
/// hickory-proto keeps the data of the types it does not know (MINFO, RP, LOC, DNAME, ...) as
/// the bytes of the message, where a server may have compressed the names (Knot compresses
/// MINFO's, as RFC 3597 section 4 allows for RFC 1035's types); for those, `expanded` is the
/// data with its names written out and lowercased (see [`walk_records`]), compared byte for
/// byte.
fn canonical(record: &Record, expanded: Option<&[u8]>) -> String {
    let mut rdata = Vec::new();
    let mut encoder = BinEncoder::new(&mut rdata);
    encoder.set_canonical_form(true);
    let emitted = record.data.emit(&mut encoder);
    if let (RData::Unknown { .. }, Some(expanded)) = (&record.data, expanded) {
        rdata = expanded.to_vec();
    }
    let hex: String = rdata.iter().map(|byte| format!("{byte:02x}")).collect();
    format!(
        "{} {} {} {} {}{}",
        record.name.to_lowercase(),
        record.ttl,
        record.dns_class,
        record.record_type(),
        hex,
        if emitted.is_err() {
            " (unencodable)"
        } else {
            ""
        }
    )
}

fn section(records: &[Record], expanded: &[Vec<u8>]) -> BTreeSet<String> {
    records
        .iter()
        .enumerate()
        .map(|(index, record)| canonical(record, expanded.get(index).map(Vec::as_slice)))
        .collect()
}

/// Where a type's RDATA holds domain names: after how many fixed octets each comes. Only the
/// types hickory-proto keeps as bytes matter here; it expands the names of those it knows.
fn name_layout(record_type: u16) -> &'static [usize] {
    match record_type {
        // MINFO, RP: two names.
        14 | 17 => &[0, 0],
        // AFSDB, RT, KX, LP: a 16-bit number, then a name.
        18 | 21 | 36 | 107 => &[2],
        // DNAME.
        39 => &[0],
        _ => &[],
    }
}

/// Reads the name at `offset` of `message`, following compression pointers; returns it
/// uncompressed and the offset after the name where it started.
fn read_name(message: &[u8], offset: usize) -> Option<(Vec<u8>, usize)> {
    let mut name = Vec::new();
    let mut position = offset;
    let mut end = None;
    for _ in 0..128 {
        let length = *message.get(position)?;
        if length & 0xC0 == 0xC0 {
            let low = *message.get(position + 1)?;
            end.get_or_insert(position + 2);
            position = usize::from(length & 0x3F) << 8 | usize::from(low);
            continue;
        }
        name.push(length);
        if length == 0 {
            return Some((name, end.unwrap_or(position + 1)));
        }
        name.extend_from_slice(message.get(position + 1..position + 1 + usize::from(length))?);
        position += 1 + usize::from(length);
    }
    None
}

/// One record as read from the message bytes, names uncompressed and lowercased (the owner, and
/// in the data those of [`name_layout`]'s types).
struct WalkedRecord {
    owner: Vec<u8>,
    record_type: u16,
    class: u16,
    ttl: u32,
    rdata: Vec<u8>,
}

impl WalkedRecord {
    /// The comparable form when hickory-proto cannot decode the message at all (it refuses
    /// records with empty data, like an APL with no prefixes, and CSYNC type bitmaps with high
    /// windows).
    fn canonical(&self) -> String {
        let hex =
            |bytes: &[u8]| -> String { bytes.iter().map(|byte| format!("{byte:02x}")).collect() };
        format!(
            "{} {} class {} type {} {}",
            hex(&self.owner),
            self.ttl,
            self.class,
            self.record_type,
            hex(&self.rdata)
        )
    }
}

/// Every record of the three sections, in message order and without the OPT record (as
/// hickory-proto lists them).
fn walk_records(message: &[u8]) -> Option<[Vec<WalkedRecord>; 3]> {
    let u16_at = |at: usize| -> Option<u16> {
        Some(u16::from_be_bytes([
            *message.get(at)?,
            *message.get(at + 1)?,
        ]))
    };
    let mut position = 12;
    for _ in 0..u16_at(4)? {
        position = read_name(message, position)?.1 + 4;
    }
    let mut sections: [Vec<WalkedRecord>; 3] = Default::default();
    for (section, count_at) in sections.iter_mut().zip([6, 8, 10]) {
        for _ in 0..u16_at(count_at)? {
            let (mut owner, after_owner) = read_name(message, position)?;
            owner.make_ascii_lowercase();
            position = after_owner;
            let record_type = u16_at(position)?;
            let class = u16_at(position + 2)?;
            let ttl = u32::from(u16_at(position + 4)?) << 16 | u32::from(u16_at(position + 6)?);
            let length = usize::from(u16_at(position + 8)?);
            let start = position + 10;
            let rdata = message.get(start..start + length)?;
            position = start + length;
            if record_type == 41 {
                continue;
            }
            let mut expanded = Vec::new();
            let mut read = 0;
            for fixed in name_layout(record_type) {
                expanded.extend_from_slice(rdata.get(read..read + fixed)?);
                let (mut name, after) = read_name(message, start + read + fixed)?;
                // RFC 4034 section 6.2 lowercases these names in the canonical form: a server
                // may have compressed them into the question, whose case is the client's.
                name.make_ascii_lowercase();
                expanded.extend(name);
                read = after.checked_sub(start)?;
            }
            expanded.extend_from_slice(rdata.get(read..)?);
            section.push(WalkedRecord {
                owner,
                record_type,
                class,
                ttl,
                rdata: expanded,
            });
        }
    }
    Some(sections)
}

/// The differences of two responses hickory-proto cannot decode, from their bytes: header,
/// question and the records of each section.
fn differences_in_bytes(knot: &[u8], ours: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    if knot.get(..4) != ours.get(..4) {
        found.push(format!(
            "header differs: Knot {:02x?}, ours {:02x?}",
            knot.get(..4),
            ours.get(..4)
        ));
    }
    if question_bytes(knot) != question_bytes(ours) {
        found.push("question bytes differ".to_owned());
    }
    let (Some(knot_sections), Some(our_sections)) = (walk_records(knot), walk_records(ours)) else {
        return vec!["a response's records cannot be read".to_owned()];
    };
    for ((label, knot_records), our_records) in ["answer", "authority", "additional"]
        .into_iter()
        .zip(&knot_sections)
        .zip(&our_sections)
    {
        let mut knot_list: Vec<String> = knot_records.iter().map(WalkedRecord::canonical).collect();
        let mut our_list: Vec<String> = our_records.iter().map(WalkedRecord::canonical).collect();
        knot_list.sort();
        our_list.sort();
        if knot_list != our_list {
            found.push(format!(
                "{label} section differs:\n      Knot: {knot_list:?}\n      ours: {our_list:?}"
            ));
        }
    }
    found
}

/// The question section's raw bytes.
fn question_bytes(message: &[u8]) -> Vec<u8> {
    let count = u16::from_be_bytes([
        message.get(4).copied().unwrap_or(0),
        message.get(5).copied().unwrap_or(0),
    ]);
    if count == 0 {
        return Vec::new();
    }
    let mut position = 12;
    while let Some(&length) = message.get(position) {
        position += 1 + usize::from(length);
        if length == 0 {
            break;
        }
    }
    message
        .get(12..position + 4)
        .map(<[u8]>::to_vec)
        .unwrap_or_default()
}

/// Describes every difference between Knot's response and ours; empty when they agree.
fn differences(knot: Option<&[u8]>, ours: Option<&[u8]>) -> Vec<String> {
    let (knot, ours) = match (knot, ours) {
        (None, None) => return Vec::new(),
        (Some(_), None) => return vec!["Knot answered, we dropped the query".to_owned()],
        (None, Some(_)) => return vec!["Knot dropped the query, we answered".to_owned()],
        (Some(knot), Some(ours)) => (knot, ours),
    };
    let mut found = Vec::new();
    let (knot_message, our_message) = match (Message::from_vec(knot), Message::from_vec(ours)) {
        (Ok(knot_message), Ok(our_message)) => (knot_message, our_message),
        (Err(_), Err(_)) => return differences_in_bytes(knot, ours),
        (knot_result, our_result) => {
            return vec![format!(
                "undecodable response: Knot {:?}, ours {:?}",
                knot_result.err(),
                our_result.err()
            )]
        }
    };
    // Header: everything but the counts, bit for bit (ID, QR, opcode, AA, TC, RD, RA, Z, AD, CD,
    // RCODE).
    if knot.get(..4) != ours.get(..4) {
        found.push(format!(
            "header differs: Knot {:02x?}, ours {:02x?} (flags {} vs {})",
            knot.get(..4),
            ours.get(..4),
            knot_message.metadata,
            our_message.metadata
        ));
    }
    if knot_message.metadata.response_code != our_message.metadata.response_code {
        found.push(format!(
            "RCODE: Knot {:?}, ours {:?}",
            knot_message.metadata.response_code, our_message.metadata.response_code
        ));
    }
    if question_bytes(knot) != question_bytes(ours) {
        found.push(format!(
            "question bytes differ: Knot {:?}, ours {:?}",
            knot_message.queries, our_message.queries
        ));
    }
    let expanded = |message: &[u8]| {
        walk_records(message).map(|sections| {
            sections.map(|records| {
                records
                    .into_iter()
                    .map(|record| record.rdata)
                    .collect::<Vec<_>>()
            })
        })
    };
    let (Some(knot_expanded), Some(our_expanded)) = (expanded(knot), expanded(ours)) else {
        found.push("a response's records cannot be read to expand their names".to_owned());
        return found;
    };
    for (index, (label, knot_records, our_records)) in [
        ("answer", &knot_message.answers, &our_message.answers),
        (
            "authority",
            &knot_message.authorities,
            &our_message.authorities,
        ),
        (
            "additional",
            &knot_message.additionals,
            &our_message.additionals,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let (knot_set, our_set) = (
            section(knot_records, &knot_expanded[index]),
            section(our_records, &our_expanded[index]),
        );
        if knot_records.len() != our_records.len() {
            found.push(format!(
                "{label} section has {} records from Knot, {} from us",
                knot_records.len(),
                our_records.len()
            ));
        }
        if knot_set != our_set {
            found.push(format!(
                "{label} section differs:\n      only Knot: {:?}\n      only ours: {:?}",
                knot_set.difference(&our_set).collect::<Vec<_>>(),
                our_set.difference(&knot_set).collect::<Vec<_>>()
            ));
        }
    }
    // The owner names that echo the question keep the question's case.
    if let Some(question) = our_message.queries.first() {
        let echoes = |message: &Message| -> Vec<String> {
            message
                .answers
                .iter()
                .filter(|record| record.name == *question.name())
                .map(|record| record.name.to_string())
                .collect()
        };
        if echoes(&knot_message) != echoes(&our_message) {
            found.push(format!(
                "owner case of answers for the question differs: Knot {:?}, ours {:?}",
                echoes(&knot_message),
                echoes(&our_message)
            ));
        }
    }
    let edns = |message: &Message| {
        message.edns.as_ref().map(|edns| {
            (
                edns.max_payload(),
                edns.version(),
                edns.flags().dnssec_ok,
                edns.options().as_ref().len(),
            )
        })
    };
    if edns(&knot_message) != edns(&our_message) {
        found.push(format!(
            "OPT differs: Knot {:?}, ours {:?}",
            edns(&knot_message),
            edns(&our_message)
        ));
    }
    found
}

/// A short description of a response for the corpus summary, e.g. "NXDOMAIN AA" or
/// "NOERROR referral".
fn describe(response: Option<&[u8]>) -> String {
    let Some(message) = response.and_then(|bytes| Message::from_vec(bytes).ok()) else {
        return if response.is_some() {
            "beyond hickory-proto's decoder".to_owned()
        } else {
            "no response".to_owned()
        };
    };
    let metadata = message.metadata;
    let mut words = vec![format!("{:?}", metadata.response_code)];
    if metadata.truncation {
        words.push("TC".to_owned());
    }
    if metadata.authoritative {
        words.push("AA".to_owned());
    }
    let has_ns_authority = message
        .authorities
        .iter()
        .any(|record| record.record_type() == RecordType::NS);
    if has_ns_authority {
        words.push("referral".to_owned());
    }
    if message
        .answers
        .iter()
        .any(|record| record.record_type() == RecordType::CNAME)
    {
        words.push("CNAME".to_owned());
    }
    if !message.additionals.is_empty() {
        words.push("additional".to_owned());
    }
    words.join(" ")
}

#[test]
fn answers_agree_with_knot_dns() {
    let mut zones = ZoneSet::new();
    for (origin, file) in ZONES {
        let text = std::fs::read_to_string(zones_dir().join(file)).expect("read zone file");
        let origin = Name::from_str(origin).expect("origin");
        let zone =
            parse_zone(&text, Some(&origin)).unwrap_or_else(|errors| panic!("{file}: {errors}"));
        zones.insert(zone);
    }
    let knot = KnotServer::start();

    let cases = corpus();
    let mut disagreements = Vec::new();
    let mut deviations = 0usize;
    let mut kinds = std::collections::BTreeMap::<String, usize>::new();
    for case in &cases {
        let ours = authority::answer(&zones, &case.query, case.transport);
        let knot_answer = match case.transport {
            Transport::Udp => {
                let expect_silence =
                    ours.is_none() || case.deviation == Some(FORMERR_INSTEAD_OF_DROP);
                let timeout = if expect_silence {
                    Duration::from_millis(500)
                } else {
                    Duration::from_secs(2)
                };
                udp_exchange(knot.address, &case.query, timeout)
            }
            Transport::Tcp => tcp_exchange(knot.address, &case.query),
        };
        if let Some((reason, our_rcode)) = case.deviation {
            // The deviation must be exactly the documented one: Knot does what we say it does,
            // and we answer with the documented RCODE, no records and no AA.
            let knot_rcode = knot_answer
                .as_ref()
                .and_then(|bytes| bytes.get(3))
                .map(|byte| byte & 0x0F);
            let knot_as_documented = if our_rcode == 1 {
                knot_answer.is_none()
            } else {
                knot_rcode == Some(9)
            };
            let ours_as_documented = ours.as_ref().is_some_and(|bytes| {
                bytes.get(3).map(|byte| byte & 0x0F) == Some(our_rcode)
                    && bytes.get(2).is_some_and(|byte| byte & 0x04 == 0)
                    && bytes.get(6..10) == Some(&[0, 0, 0, 0][..])
            });
            if knot_as_documented && ours_as_documented {
                deviations += 1;
            } else {
                disagreements.push(format!(
                    "{}: expected the documented deviation ({reason}), got Knot {:02x?} and ours {:02x?}",
                    case.label,
                    knot_answer.as_ref().map(|bytes| bytes.get(..4)),
                    ours.as_ref().map(|bytes| bytes.get(..4))
                ));
            }
            continue;
        }
        *kinds.entry(describe(knot_answer.as_deref())).or_default() += 1;
        let found = differences(knot_answer.as_deref(), ours.as_deref());
        if !found.is_empty() {
            disagreements.push(format!("{}:\n    {}", case.label, found.join("\n    ")));
        }
    }
    let compared = cases.len() - deviations;
    println!(
        "compared {compared} responses with Knot DNS: {} agree, {} differ; {deviations} more are documented deviations",
        compared - disagreements.len(),
        disagreements.len()
    );
    println!("Knot's responses in the corpus: {kinds:?}");
    assert!(
        disagreements.is_empty(),
        "{} of {} responses differ from Knot DNS:\n{}",
        disagreements.len(),
        cases.len(),
        disagreements.join("\n")
    );
}
