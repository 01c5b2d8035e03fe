//! `dnslab query`: a dig-like client that sends one real query over UDP (TCP when told, or when the
//! answer comes back truncated) and prints the reply as dig does.
//!
//! The arguments follow dig's syntax, in any order: `@SERVER[:PORT]` (IPv6 as `@::1` or
//! `@[::1]:53`), a name, a type and a class, `+options` and a few dash options (`-p`, `-t`, `-c`,
//! `-q`). Only the sockets, the clock and the random ID are here: the query is encoded by
//! `dnslab_core::build`, the reply is matched by `dnslab_core::relay` and shown by
//! `dnslab_core::present`.
//!
//! Like dig: UDP is tried `+tries` times (3) with `+timeout` seconds (5) each; a reply with a
//! different ID or question is ignored (with a warning) and the wait goes on; a reply with TC set
//! is asked again over TCP (unless `+ignore`). The exit status is 0 when a reply arrived whatever
//! its RCODE, 1 for a usage error and 9 when no reply came (dig's codes).

use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream, ToSocketAddrs, UdpSocket};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::Args;
use dnslab_core::build::{encode_query, QuerySpec, DEFAULT_EDNS_UDP_PAYLOAD};
use dnslab_core::dissect::{dissect, Severity};
use dnslab_core::present::{dig_text, Rfc8427};
use dnslab_core::relay::{check_query_for_relay, check_reply_for_relay, RelayableQuery};
use dnslab_core::zone::{class_from_mnemonic, type_from_mnemonic};
use hickory_proto::rr::{DNSClass, Name, RecordType};

/// Exit status when a reply arrived (whatever its RCODE, as dig).
pub const EXIT_REPLY: u8 = 0;
/// Exit status for arguments that make no query.
pub const EXIT_USAGE: u8 = 1;
/// Exit status when no reply came back (dig's "no servers could be reached").
pub const EXIT_NO_REPLY: u8 = 9;

/// The DNS port.
const DNS_PORT: u16 = 53;
/// The largest DNS message (TCP's two-octet length); also the UDP receive buffer.
const MAXIMUM_MESSAGE_SIZE: usize = 65_535;
/// Where the system's resolvers are listed.
const RESOLV_CONF: &str = "/etc/resolv.conf";

/// Arguments of `dnslab query`, in dig's syntax.
#[derive(Debug, Args)]
pub struct QueryArguments {
    /// `[@SERVER[:PORT]] NAME [TYPE] [CLASS] [+tcp] [+norec] [+dnssec] [+cdflag] [+adflag] [+nsid] [+json]
    /// [+timeout=SECONDS] [+tries=N] [+noedns] [+bufsize=N] [+ignore] [-p PORT] [-t TYPE]`, in any
    /// order. The server defaults to the first nameserver of /etc/resolv.conf.
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "ARGUMENTS"
    )]
    pub arguments: Vec<String>,
}

/// Where to send the query: a host as written (an address or a name to look up) and a port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerChoice {
    /// The host as the user wrote it, without brackets.
    pub host: String,
    /// The port (`-p` or `:PORT` wins over 53).
    pub port: u16,
}

/// Everything the arguments decide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryPlan {
    /// `None`: the first nameserver of /etc/resolv.conf.
    pub server: Option<ServerChoice>,
    /// The name asked (the root when none is given, as dig does).
    pub name: Name,
    /// The type (A when none is given).
    pub qtype: RecordType,
    /// The class (IN when none is given).
    pub qclass: DNSClass,
    /// `+rec` (the default) / `+norec`.
    pub recursion_desired: bool,
    /// `+dnssec`.
    pub dnssec_ok: bool,
    /// `+cdflag`: checking disabled (RFC 4035 section 3.2.2).
    pub checking_disabled: bool,
    /// `+adflag`: ask whether the answer was validated (RFC 6840 section 5.7).
    pub authentic_data: bool,
    /// `+nsid`.
    pub nsid: bool,
    /// The EDNS payload size, `None` for `+noedns`.
    pub edns: Option<u16>,
    /// `+tcp`: TCP from the start.
    pub tcp: bool,
    /// `+ignore`: keep a truncated UDP reply instead of asking again over TCP.
    pub ignore_truncation: bool,
    /// `+json`: print RFC 8427 JSON instead of dig's text.
    pub json: bool,
    /// `+timeout=N`: seconds to wait for each try.
    pub timeout: Duration,
    /// `+tries=N`: UDP tries (TCP is tried once, as dig does).
    pub tries: u32,
}

impl Default for QueryPlan {
    fn default() -> Self {
        Self {
            server: None,
            name: Name::root(),
            qtype: RecordType::A,
            qclass: DNSClass::IN,
            recursion_desired: true,
            dnssec_ok: false,
            checking_disabled: false,
            authentic_data: false,
            nsid: false,
            edns: Some(DEFAULT_EDNS_UDP_PAYLOAD),
            tcp: false,
            ignore_truncation: false,
            json: false,
            timeout: Duration::from_secs(5),
            tries: 3,
        }
    }
}

/// Reads dig-style arguments. Like dig, a word that is a type (the first one) or a class is
/// taken as such, anything else as the name; the last name wins.
pub fn parse_arguments(arguments: &[String]) -> anyhow::Result<QueryPlan> {
    let mut plan = QueryPlan::default();
    let mut port_option: Option<u16> = None;
    let mut type_given = false;
    let mut class_given = false;
    let mut name_text: Option<String> = None;
    let mut words = arguments.iter();
    while let Some(word) = words.next() {
        if let Some(server) = word.strip_prefix('@') {
            plan.server = Some(parse_server(server)?);
        } else if let Some(option) = word.strip_prefix('+') {
            apply_plus_option(&mut plan, option)?;
        } else if let Some(flag) = word.strip_prefix('-').filter(|flag| !flag.is_empty()) {
            let mut value = || {
                words
                    .next()
                    .with_context(|| format!("-{flag} needs a value"))
            };
            match flag {
                "p" => {
                    let text = value()?;
                    port_option = Some(
                        text.parse()
                            .with_context(|| format!("-p {text}: not a port number"))?,
                    );
                }
                "t" => {
                    let text = value()?;
                    plan.qtype = type_from_mnemonic(text)
                        .with_context(|| format!("-t {text}: not a record type"))?;
                    type_given = true;
                }
                "c" => {
                    let text = value()?;
                    plan.qclass = class_from_mnemonic(text)
                        .with_context(|| format!("-c {text}: not a class"))?;
                    class_given = true;
                }
                "q" => name_text = Some(value()?.clone()),
                _ => bail!("unknown option -{flag}"),
            }
        } else if let Some(qtype) = type_from_mnemonic(word).filter(|_| !type_given) {
            plan.qtype = qtype;
            type_given = true;
        } else if let Some(qclass) = class_from_mnemonic(word).filter(|_| !class_given) {
            plan.qclass = qclass;
            class_given = true;
        } else {
            name_text = Some(word.clone());
        }
    }
    if let Some(text) = name_text {
        plan.name = parse_name(&text)?;
    }
    if let Some(port) = port_option {
        let server = plan.server.get_or_insert_with(|| ServerChoice {
            host: String::new(),
            port,
        });
        server.port = port;
    }
    Ok(plan)
}

fn parse_name(text: &str) -> anyhow::Result<Name> {
    let mut name =
        Name::from_ascii(text).with_context(|| format!("{text:?} is not a domain name"))?;
    // dig treats every name given on the command line as absolute.
    name.set_fqdn(true);
    Ok(name)
}

/// `127.0.0.1`, `127.0.0.1:1053`, `::1`, `[::1]`, `[::1]:53`, `ns1.example.com`,
/// `localhost:1053`.
fn parse_server(text: &str) -> anyhow::Result<ServerChoice> {
    if text.is_empty() {
        bail!("@ needs a server address");
    }
    if let Some(rest) = text.strip_prefix('[') {
        let (host, after) = rest
            .split_once(']')
            .with_context(|| format!("@{text}: missing ']'"))?;
        let port = match after {
            "" => DNS_PORT,
            _ => {
                let digits = after
                    .strip_prefix(':')
                    .with_context(|| format!("@{text}: expected :PORT after ']'"))?;
                parse_port(text, digits)?
            }
        };
        return Ok(ServerChoice {
            host: host.to_string(),
            port,
        });
    }
    // A bare IPv6 address has several colons: it carries no port.
    if text.parse::<Ipv6Addr>().is_ok() {
        return Ok(ServerChoice {
            host: text.to_string(),
            port: DNS_PORT,
        });
    }
    match text.rsplit_once(':') {
        Some((host, digits)) => Ok(ServerChoice {
            host: host.to_string(),
            port: parse_port(text, digits)?,
        }),
        None => Ok(ServerChoice {
            host: text.to_string(),
            port: DNS_PORT,
        }),
    }
}

fn parse_port(server: &str, digits: &str) -> anyhow::Result<u16> {
    digits
        .parse()
        .with_context(|| format!("@{server}: {digits:?} is not a port number"))
}

fn apply_plus_option(plan: &mut QueryPlan, option: &str) -> anyhow::Result<()> {
    let (key, value) = match option.split_once('=') {
        Some((key, value)) => (key, Some(value)),
        None => (option, None),
    };
    let number = |what: &str| -> anyhow::Result<u32> {
        let text = value.with_context(|| format!("+{key} needs ={what}"))?;
        text.parse()
            .with_context(|| format!("+{key}={text}: not a number"))
    };
    match key {
        "tcp" | "vc" => plan.tcp = true,
        "notcp" | "novc" => plan.tcp = false,
        "rec" | "recurse" => plan.recursion_desired = true,
        "norec" | "norecurse" => plan.recursion_desired = false,
        "dnssec" => plan.dnssec_ok = true,
        "nodnssec" => plan.dnssec_ok = false,
        "cdflag" => plan.checking_disabled = true,
        "nocdflag" => plan.checking_disabled = false,
        "adflag" => plan.authentic_data = true,
        "noadflag" => plan.authentic_data = false,
        "nsid" => plan.nsid = true,
        "nonsid" => plan.nsid = false,
        "json" => plan.json = true,
        "nojson" => plan.json = false,
        "ignore" => plan.ignore_truncation = true,
        "noignore" => plan.ignore_truncation = false,
        "edns" => {
            if let Some(version) = value.filter(|version| *version != "0") {
                bail!("+edns={version}: only EDNS version 0 exists");
            }
            plan.edns.get_or_insert(DEFAULT_EDNS_UDP_PAYLOAD);
        }
        "noedns" => plan.edns = None,
        "bufsize" => {
            let size = number("BYTES")?;
            plan.edns = Some(
                u16::try_from(size).with_context(|| format!("+bufsize={size}: at most 65535"))?,
            );
        }
        "timeout" => plan.timeout = Duration::from_secs(u64::from(number("SECONDS")?.max(1))),
        "tries" => plan.tries = number("N")?.max(1),
        // dig: +retry=N means N + 1 tries.
        "retry" => plan.tries = number("N")?.saturating_add(1),
        _ => bail!("unknown option +{option}"),
    }
    Ok(())
}

/// The first `nameserver` line of resolv.conf text, as the system's stub resolver reads it.
pub fn first_nameserver(resolv_conf: &str) -> Option<IpAddr> {
    resolv_conf.lines().find_map(|line| {
        let mut words = line.split_whitespace();
        if words.next() != Some("nameserver") {
            return None;
        }
        // A link-local IPv6 address may carry a zone (`fe80::1%eth0`), which IpAddr cannot hold.
        let address = words.next()?.split('%').next()?;
        address.parse().ok()
    })
}

/// Which transport carried the reply, for dig's `;; SERVER:` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Carrier {
    Udp,
    Tcp,
}

/// A reply and what it took to get it.
#[derive(Debug)]
struct Exchange {
    reply: Vec<u8>,
    carrier: Carrier,
    elapsed: Duration,
}

/// Runs `dnslab query`; returns the exit status.
pub fn run(arguments: &QueryArguments) -> anyhow::Result<u8> {
    let plan = match parse_arguments(&arguments.arguments) {
        Ok(plan) => plan,
        Err(error) => {
            eprintln!("dnslab query: {error:#}");
            return Ok(EXIT_USAGE);
        }
    };
    let server_address = match server_address(&plan) {
        Ok(address) => address,
        Err(error) => {
            eprintln!("dnslab query: {error:#}");
            return Ok(EXIT_NO_REPLY);
        }
    };
    let id = random_id()?;
    let spec = QuerySpec {
        qclass: plan.qclass,
        recursion_desired: plan.recursion_desired,
        dnssec_ok: plan.dnssec_ok,
        checking_disabled: plan.checking_disabled,
        authentic_data: plan.authentic_data,
        nsid: plan.nsid,
        edns: plan.edns,
        ..QuerySpec::new(plan.name.clone(), plan.qtype, id)
    };
    let query = encode_query(&spec)?;
    let relayable = check_query_for_relay(&query)
        .map_err(|refusal| anyhow::anyhow!("the query we built is not sendable: {refusal}"))?;

    let exchange = match exchange(&plan, server_address, &query, &relayable) {
        Ok(exchange) => exchange,
        Err(error) => {
            eprintln!("dnslab query: {error:#}");
            return Ok(EXIT_NO_REPLY);
        }
    };
    let dissection = dissect(&exchange.reply);
    let mut text = String::new();
    if plan.json {
        text.push_str(&serde_json::to_string_pretty(&Rfc8427::new(
            &dissection,
            &exchange.reply,
            None,
        ))?);
        text.push('\n');
    } else {
        text.push_str(&format!(
            "\n; <<>> dnslab {} <<>> {}\n;; Got answer:\n",
            env!("CARGO_PKG_VERSION"),
            arguments.arguments.join(" ")
        ));
        text.push_str(&dig_text(&dissection, &exchange.reply));
        // What the dissector found wrong with the reply, at its byte offset (its merely
        // informative notes are left to `dnslab decode`).
        for diagnostic in dissection
            .diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.severity != Severity::Info)
        {
            text.push_str(&format!(
                ";; {:?} at byte {}: {}\n",
                diagnostic.severity, diagnostic.offset, diagnostic.message
            ));
        }
        text.push_str(&dig_footer(&exchange, server_address));
    }
    write_standard_output(&text)?;
    Ok(EXIT_REPLY)
}

/// Prints `text` on standard output; a reader that went away (`dnslab query ... | head`) is not
/// an error, as for dig.
pub(crate) fn write_standard_output(text: &str) -> io::Result<()> {
    let mut output = io::stdout().lock();
    match output
        .write_all(text.as_bytes())
        .and_then(|()| output.flush())
    {
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// A line about the exchange itself (a retry, an ignored reply), where dig prints it: on standard
/// output among the text, but on standard error with `+json` so the output stays one JSON value.
fn note(plan: &QueryPlan, line: &str) {
    if plan.json {
        eprintln!("{line}");
    } else {
        let _ = write_standard_output(&format!("{line}\n"));
    }
}

/// dig's lines after the sections: query time, server, size (dig's WHEN line is left out: the
/// date is not part of the exchange).
fn dig_footer(exchange: &Exchange, server: SocketAddr) -> String {
    let carrier = match exchange.carrier {
        Carrier::Udp => "UDP",
        Carrier::Tcp => "TCP",
    };
    format!(
        ";; Query time: {} msec\n;; SERVER: {}#{}({}) ({carrier})\n;; MSG SIZE  rcvd: {}\n\n",
        exchange.elapsed.as_millis(),
        server.ip(),
        server.port(),
        server.ip(),
        exchange.reply.len()
    )
}

/// The socket address to ask: the given server (looked up when it is a name), or resolv.conf's.
fn server_address(plan: &QueryPlan) -> anyhow::Result<SocketAddr> {
    let (host, port) = match &plan.server {
        Some(server) if !server.host.is_empty() => (server.host.clone(), server.port),
        other => {
            let text = std::fs::read_to_string(RESOLV_CONF)
                .with_context(|| format!("no @SERVER given and {RESOLV_CONF} cannot be read"))?;
            let address = first_nameserver(&text).with_context(|| {
                format!("no @SERVER given and {RESOLV_CONF} names no nameserver")
            })?;
            let port = other.as_ref().map_or(DNS_PORT, |server| server.port);
            return Ok(SocketAddr::new(address, port));
        }
    };
    if let Ok(address) = host.parse::<IpAddr>() {
        return Ok(SocketAddr::new(address, port));
    }
    (host.as_str(), port)
        .to_socket_addrs()
        .with_context(|| format!("cannot look up the server {host}"))?
        .next()
        .with_context(|| format!("the server {host} has no address"))
}

/// A message ID from the operating system's random source (RFC 5452 section 9.2: unpredictable
/// IDs make spoofed replies harder to forge).
fn random_id() -> anyhow::Result<u16> {
    let mut bytes = [0u8; 2];
    getrandom::fill(&mut bytes).map_err(|error| anyhow::anyhow!("no random ID: {error}"))?;
    Ok(u16::from_be_bytes(bytes))
}

fn exchange(
    plan: &QueryPlan,
    server: SocketAddr,
    query: &[u8],
    relayable: &RelayableQuery,
) -> anyhow::Result<Exchange> {
    if plan.tcp {
        return exchange_tcp(server, query, relayable, plan.timeout);
    }
    let udp = exchange_udp(plan, server, query, relayable)?;
    let truncated = udp.reply.get(2).is_some_and(|flags| flags & 0x02 != 0);
    if truncated && !plan.ignore_truncation {
        note(plan, ";; Truncated, retrying in TCP mode.");
        return exchange_tcp(server, query, relayable, plan.timeout);
    }
    Ok(udp)
}

fn exchange_udp(
    plan: &QueryPlan,
    server: SocketAddr,
    query: &[u8],
    relayable: &RelayableQuery,
) -> anyhow::Result<Exchange> {
    let (timeout, tries) = (plan.timeout, plan.tries);
    let local: SocketAddr = match server {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let socket = UdpSocket::bind(local).context("opening a UDP socket")?;
    // connect() makes the kernel drop datagrams from other addresses, the first filter against
    // spoofed replies; the ID and question check is the second.
    socket
        .connect(server)
        .with_context(|| format!("cannot send to {server}"))?;
    let mut buffer = vec![0u8; MAXIMUM_MESSAGE_SIZE];
    for _ in 0..tries {
        let started = Instant::now();
        socket
            .send(query)
            .with_context(|| format!("sending to {server}"))?;
        let deadline = started + timeout;
        // set_read_timeout refuses a zero duration, so the wait ends before the deadline's
        // last instant rather than at it.
        while let Some(remaining) = deadline
            .checked_duration_since(Instant::now())
            .filter(|remaining| !remaining.is_zero())
        {
            socket.set_read_timeout(Some(remaining))?;
            let length = match socket.recv(&mut buffer) {
                Ok(length) => length,
                Err(error)
                    if matches!(
                        error.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    break
                }
                // ICMP port unreachable: nobody listens there, trying again will not help.
                Err(error) if error.kind() == io::ErrorKind::ConnectionRefused => {
                    bail!(
                        "{server} refused the connection (nothing listens on UDP port {})",
                        server.port()
                    )
                }
                Err(error) => {
                    return Err(error).with_context(|| format!("receiving from {server}"))
                }
            };
            let reply = buffer.get(..length).unwrap_or_default();
            match check_reply_for_relay(reply, query, relayable) {
                Ok(_) => {
                    return Ok(Exchange {
                        reply: reply.to_vec(),
                        carrier: Carrier::Udp,
                        elapsed: started.elapsed(),
                    })
                }
                Err(mismatch) => {
                    note(
                        plan,
                        &format!(";; Warning: ignoring a reply that does not match: {mismatch}"),
                    );
                }
            }
        }
        note(
            plan,
            &format!(";; communications error to {server}: timed out"),
        );
    }
    bail!(
        "no reply from {server} over UDP after {tries} tr{} of {} s (no servers could be reached)",
        if tries == 1 { "y" } else { "ies" },
        timeout.as_secs()
    )
}

fn exchange_tcp(
    server: SocketAddr,
    query: &[u8],
    relayable: &RelayableQuery,
    timeout: Duration,
) -> anyhow::Result<Exchange> {
    let started = Instant::now();
    let mut stream = TcpStream::connect_timeout(&server, timeout)
        .with_context(|| format!("cannot connect to {server} over TCP"))?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    let length = u16::try_from(query.len()).context("the query is longer than 65535 octets")?;
    let mut framed = Vec::with_capacity(query.len() + 2);
    framed.extend_from_slice(&length.to_be_bytes());
    framed.extend_from_slice(query);
    stream
        .write_all(&framed)
        .with_context(|| format!("sending to {server} over TCP"))?;
    let read_error = |error: io::Error| {
        if matches!(
            error.kind(),
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
        ) {
            anyhow::anyhow!(
                "no reply from {server} over TCP within {} s",
                timeout.as_secs()
            )
        } else {
            anyhow::anyhow!("reading from {server} over TCP: {error}")
        }
    };
    // One query per connection, so the first message must be the reply; a server may still send
    // something else, which is reported rather than waited past.
    let mut length_prefix = [0u8; 2];
    stream.read_exact(&mut length_prefix).map_err(read_error)?;
    let mut reply = vec![0u8; usize::from(u16::from_be_bytes(length_prefix))];
    stream.read_exact(&mut reply).map_err(read_error)?;
    check_reply_for_relay(&reply, query, relayable).map_err(|mismatch| {
        anyhow::anyhow!("the TCP reply from {server} does not match the query: {mismatch}")
    })?;
    Ok(Exchange {
        reply,
        carrier: Carrier::Tcp,
        elapsed: started.elapsed(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_string).collect()
    }

    fn plan(text: &str) -> QueryPlan {
        parse_arguments(&words(text)).unwrap_or_else(|error| panic!("{text}: {error:#}"))
    }

    fn server(host: &str, port: u16) -> Option<ServerChoice> {
        Some(ServerChoice {
            host: host.to_string(),
            port,
        })
    }

    #[test]
    fn reads_the_cd_and_ad_flags_as_dig_does() {
        let flagged = plan("www.example.com +cdflag +adflag");
        assert!(flagged.checking_disabled && flagged.authentic_data);
        let cleared = plan("www.example.com +cdflag +nocdflag +noadflag");
        assert!(!cleared.checking_disabled && !cleared.authentic_data);
        assert!(!plan("www.example.com").checking_disabled);
    }

    #[test]
    fn reads_dig_arguments_in_any_order() {
        let parsed = plan("+norec MX @127.0.0.1:1053 example.com +tcp +dnssec +nsid +json");
        assert_eq!(parsed.server, server("127.0.0.1", 1053));
        assert_eq!(
            parsed.name,
            parse_name("example.com.").unwrap_or_else(|_| Name::root())
        );
        assert_eq!(parsed.qtype, RecordType::MX);
        assert!(
            !parsed.recursion_desired
                && parsed.tcp
                && parsed.dnssec_ok
                && parsed.nsid
                && parsed.json
        );
        let defaults = plan("www.example.com");
        assert_eq!(
            (defaults.qtype, defaults.qclass, defaults.server),
            (RecordType::A, DNSClass::IN, None)
        );
        assert!(defaults.recursion_desired && !defaults.tcp);
        assert_eq!(defaults.edns, Some(1232));
        assert_eq!(
            (defaults.timeout, defaults.tries),
            (Duration::from_secs(5), 3)
        );
    }

    #[test]
    fn reads_ipv6_servers_with_and_without_port() {
        assert_eq!(plan("@::1 x").server, server("::1", 53));
        assert_eq!(plan("@[::1]:5300 x").server, server("::1", 5300));
        assert_eq!(plan("@[::1] x").server, server("::1", 53));
        assert_eq!(plan("@localhost:99 x").server, server("localhost", 99));
        assert_eq!(
            plan("@127.0.0.1 -p 1053 x").server,
            server("127.0.0.1", 1053)
        );
        assert!(parse_arguments(&words("@[::1 x")).is_err());
        assert!(parse_arguments(&words("@127.0.0.1:99999 x")).is_err());
    }

    #[test]
    fn a_type_word_is_the_type_once_and_then_a_name() {
        // dig: the first type-looking word is the type; `dig ns ns` asks for the NS of "ns".
        let parsed = plan("ns ns");
        assert_eq!(parsed.qtype, RecordType::NS);
        assert_eq!(parsed.name.to_ascii(), "ns.");
        let chaos = plan("version.bind CH TXT");
        assert_eq!((chaos.qclass, chaos.qtype), (DNSClass::CH, RecordType::TXT));
        assert_eq!(plan("-t TYPE65 x").qtype, RecordType::from(65));
    }

    #[test]
    fn reads_timing_and_edns_options() {
        let parsed = plan("x +timeout=2 +tries=1 +noedns");
        assert_eq!(
            (parsed.timeout, parsed.tries, parsed.edns),
            (Duration::from_secs(2), 1, None)
        );
        assert_eq!(plan("x +retry=0").tries, 1);
        assert_eq!(plan("x +bufsize=512").edns, Some(512));
        assert!(parse_arguments(&words("x +timeout")).is_err());
        assert!(parse_arguments(&words("x +frobnicate")).is_err());
        assert!(parse_arguments(&words("x -z")).is_err());
    }

    #[test]
    fn finds_the_first_nameserver_of_resolv_conf() {
        let text = "# comment\nsearch example.net\nnameserver fe80::1%eth0\nnameserver 10.0.0.1\n";
        assert_eq!(first_nameserver(text), "fe80::1".parse().ok());
        assert_eq!(first_nameserver("options ndots:2\n"), None);
        assert_eq!(
            first_nameserver("nameserver 192.0.2.1 # x\n"),
            "192.0.2.1".parse().ok()
        );
    }
}
