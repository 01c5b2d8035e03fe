//! Benchmark for dnslab-bridge: latency and throughput through the bridge next to direct UDP to
//! the same Knot DNS server, and the bridge's memory with many idle WebSocket connections.
//!
//! ```text
//! cargo run --release -p dnslab-bridge --example loadgen -- latency [QUERIES] [CONCURRENCY]
//! cargo run --release -p dnslab-bridge --example loadgen -- idle [CONNECTIONS]
//! ```
//!
//! Both modes start `knotd` on a free loopback port with the captured example.com zone and the
//! bridge as a child process (this same executable in `bridge-child` mode, which runs the bridge
//! library exactly as `dnslab-bridge` does), so the bridge's memory is measured on its own.
//! Goals from issue 5: p50 through the bridge at most 1.5x direct, p99 at most 40 µs more than
//! direct; 10,000 idle connections under 150 MB RSS. It is a benchmark, not a test: it prints
//! numbers and verdicts and always exits 0 unless something breaks.
//!
//! The latency mode also measures a third path, the floor of any relay: a child process that
//! reads each query from TCP, sends it over one long-lived UDP socket and writes the answer
//! back, with no WebSocket, no checks, no fresh source port and no JSON. Each hop through a
//! relay costs the machine two more loopback sends and two more wake-ups, whatever the relay
//! does; the bridge/floor ratio shows what the bridge itself adds on top of that.
//! Prefix the command with `taskset -c 0` to run every process on one CPU (the children inherit
//! the affinity): wake-ups across CPUs cost several microseconds in a virtual machine and make
//! the runs noisier.

#[path = "../tests/it/knot.rs"]
mod knot;

use std::io::BufRead;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::Parser;
use futures_util::{SinkExt, StreamExt};
use tokio::net::{TcpStream, UdpSocket};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Client = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// `example.com A` with an EDNS OPT record (payload 1232), ID 0: 40 bytes, written out from
/// RFC 1035 §4.1 and RFC 6891 §6.1.2. The ID is overwritten per query.
const QUERY: &[u8] = &[
    0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, //
    7, b'e', b'x', b'a', b'm', b'p', b'l', b'e', 3, b'c', b'o', b'm', 0, 0x00, 0x01, 0x00, 0x01,
    // OPT: root name, type 41, payload 1232, extended rcode/version/flags 0, no options.
    0x00, 0x00, 0x29, 0x04, 0xd0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
];

fn main() -> anyhow::Result<()> {
    let arguments: Vec<String> = std::env::args().collect();
    match arguments.get(1).map(String::as_str) {
        Some("bridge-child") => run_bridge_child(&arguments[2..]),
        Some("relay-child") => run_relay_child(arguments.get(2)),
        Some("latency") => {
            let queries = parse_argument(arguments.get(2), 20_000)?;
            let concurrency = parse_argument(arguments.get(3), 16)?;
            client_runtime()?.block_on(latency_benchmark(queries, concurrency))
        }
        Some("idle") => {
            let connections = parse_argument(arguments.get(2), 10_000)?;
            client_runtime()?.block_on(idle_benchmark(connections))
        }
        _ => bail!("usage: loadgen latency [QUERIES] [CONCURRENCY] | loadgen idle [CONNECTIONS]"),
    }
}

fn parse_argument(argument: Option<&String>, default: usize) -> anyhow::Result<usize> {
    match argument {
        Some(text) => text
            .parse()
            .with_context(|| format!("{text:?} is not a number")),
        None => Ok(default),
    }
}

/// The load generator's own runtime: one thread, so it takes at most one of the machine's cores
/// away from Knot and the bridge.
fn client_runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

/// `bridge-child ARGS...`: runs the bridge with `dnslab-bridge`'s command line.
fn run_bridge_child(arguments: &[String]) -> anyhow::Result<()> {
    let command_line = dnslab_bridge::CommandLine::parse_from(
        std::iter::once("dnslab-bridge".to_owned()).chain(arguments.iter().cloned()),
    );
    let mut config = command_line.into_config();
    config.site = None;
    let runtime = dnslab_bridge::runtime(config.threads)?;
    runtime.block_on(async move {
        let bridge = dnslab_bridge::Bridge::bind(config).await?;
        println!("dnslab-bridge: serving http://{}/", bridge.local_address());
        bridge
            .serve(dnslab_bridge::interrupt_or_terminate())
            .await?;
        anyhow::Ok(())
    })
}

/// `relay-child UPSTREAM`: the minimal relay (see the module comment). Prints its address, then
/// serves one TCP connection: 2-byte length, query, and back the same way.
fn run_relay_child(upstream: Option<&String>) -> anyhow::Result<()> {
    use std::io::{Read, Write};
    let upstream: SocketAddr = upstream
        .context("relay-child needs the upstream")?
        .parse()?;
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    println!("relay: listening on {}", listener.local_addr()?);
    let (mut stream, _) = listener.accept()?;
    stream.set_nodelay(true)?;
    let socket = std::net::UdpSocket::bind("127.0.0.1:0")?;
    socket.connect(upstream)?;
    let mut query = vec![0u8; 65535];
    let mut answer = vec![0u8; 65537];
    loop {
        let mut length = [0u8; 2];
        if stream.read_exact(&mut length).is_err() {
            return Ok(());
        }
        let length = usize::from(u16::from_be_bytes(length));
        stream.read_exact(&mut query[..length])?;
        socket.send(&query[..length])?;
        let received = socket.recv(&mut answer[2..])?;
        answer[..2].copy_from_slice(&u16::try_from(received)?.to_be_bytes());
        stream.write_all(&answer[..received + 2])?;
    }
}

/// One query through the minimal relay; returns the round trip.
async fn relay_exchange(
    stream: &mut TcpStream,
    id: u16,
    buffer: &mut [u8],
) -> anyhow::Result<Duration> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let query = query_with_id(id);
    let mut framed = Vec::with_capacity(query.len() + 2);
    framed.extend_from_slice(&u16::try_from(query.len())?.to_be_bytes());
    framed.extend_from_slice(&query);
    let started = Instant::now();
    stream.write_all(&framed).await?;
    let length = usize::from(stream.read_u16().await?);
    let answer = buffer.get_mut(..length).context("answer too long")?;
    stream.read_exact(answer).await?;
    if answer.len() < 2 || answer[..2] != id.to_be_bytes() {
        bail!("relay answer for another ID");
    }
    Ok(started.elapsed())
}

/// This executable running in one of its child modes (`bridge-child`, `relay-child`), which
/// prints its address on its first line; killed on drop.
struct ChildServer {
    address: SocketAddr,
    child: Child,
}

impl ChildServer {
    /// Starts `this-executable ARGUMENTS` and reads its address from its first line with
    /// `address_in_first_line`.
    fn start(
        arguments: &[String],
        address_in_first_line: impl Fn(&str) -> Option<&str>,
    ) -> anyhow::Result<Self> {
        let mut child = Command::new(std::env::current_exe()?)
            .args(arguments)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdout = child.stdout.take().context("child stdout")?;
        let mut line = String::new();
        std::io::BufReader::new(stdout).read_line(&mut line)?;
        let address = address_in_first_line(line.trim())
            .and_then(|address| address.parse().ok())
            .with_context(|| format!("unexpected first line {line:?}"))?;
        Ok(Self { address, child })
    }

    /// The bridge on a free loopback port, with `arguments` added to its command line.
    fn bridge(arguments: &[String]) -> anyhow::Result<Self> {
        let mut command_line = vec![
            "bridge-child".to_owned(),
            "--listen".to_owned(),
            "127.0.0.1:0".to_owned(),
        ];
        command_line.extend_from_slice(arguments);
        Self::start(&command_line, |line| {
            line.strip_prefix("dnslab-bridge: serving http://")?
                .strip_suffix('/')
        })
    }

    /// The minimal relay towards `upstream`.
    fn relay(upstream: SocketAddr) -> anyhow::Result<Self> {
        Self::start(&["relay-child".to_owned(), upstream.to_string()], |line| {
            line.strip_prefix("relay: listening on ")
        })
    }

    /// CPU time the child has used (user + system), from /proc/<pid>/stat.
    fn cpu_time(&self) -> anyhow::Result<Duration> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id()))?;
        // Fields after the parenthesized command name; utime and stime are fields 14 and 15.
        let after_name = stat.rsplit_once(')').context("stat format")?.1;
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        let ticks: u64 = fields
            .get(11..13)
            .context("stat fields")?
            .iter()
            .map(|field| field.parse::<u64>().unwrap_or(0))
            .sum();
        // The kernel reports USER_HZ ticks, 100 per second on Linux.
        Ok(Duration::from_millis(ticks * 10))
    }

    fn resident_kib(&self) -> anyhow::Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .context("no VmRSS line")
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn connect(bridge: SocketAddr) -> anyhow::Result<Client> {
    let mut request = format!("ws://{bridge}/dns").into_client_request()?;
    request.headers_mut().insert(
        "Origin",
        HeaderValue::from_str(&format!("http://{bridge}"))?,
    );
    let (client, _) = tokio_tungstenite::connect_async(request).await?;
    Ok(client)
}

fn query_with_id(id: u16) -> Vec<u8> {
    let mut query = QUERY.to_vec();
    query[..2].copy_from_slice(&id.to_be_bytes());
    query
}

/// One query straight to Knot over a connected UDP socket; returns the round trip.
async fn direct_exchange(
    socket: &UdpSocket,
    id: u16,
    buffer: &mut [u8],
) -> anyhow::Result<Duration> {
    let query = query_with_id(id);
    let started = Instant::now();
    socket.send(&query).await?;
    loop {
        let length = tokio::time::timeout(Duration::from_secs(2), socket.recv(buffer))
            .await
            .context("direct query timed out")??;
        if length >= 2 && buffer[..2] == id.to_be_bytes() {
            return Ok(started.elapsed());
        }
    }
}

/// One query through the bridge; returns the round trip (metadata and answer received).
async fn bridge_exchange(client: &mut Client, id: u16) -> anyhow::Result<Duration> {
    let started = Instant::now();
    client
        .send(WsMessage::Binary(query_with_id(id).into()))
        .await?;
    let mut got_answer = false;
    while !got_answer {
        let message = tokio::time::timeout(Duration::from_secs(5), client.next())
            .await
            .context("bridge query timed out")?
            .context("connection closed")??;
        match message {
            WsMessage::Text(text) if text.contains("\"error\"") => bail!("bridge error: {text}"),
            WsMessage::Binary(answer) => {
                if answer.len() < 2 || answer[..2] != id.to_be_bytes() {
                    bail!("answer for another ID");
                }
                got_answer = true;
            }
            _ => {}
        }
    }
    Ok(started.elapsed())
}

/// Latency percentiles of one set of round trips.
struct Summary {
    count: usize,
    p50: Duration,
    p90: Duration,
    p99: Duration,
    p999: Duration,
    mean: Duration,
}

fn summarize(mut samples: Vec<Duration>) -> Summary {
    samples.sort_unstable();
    let count = samples.len();
    let percentile = |fraction: f64| {
        let rank = ((fraction * count as f64).ceil() as usize).clamp(1, count.max(1));
        samples.get(rank - 1).copied().unwrap_or_default()
    };
    let total: Duration = samples.iter().sum();
    Summary {
        count,
        p50: percentile(0.50),
        p90: percentile(0.90),
        p99: percentile(0.99),
        p999: percentile(0.999),
        mean: total / u32::try_from(count.max(1)).unwrap_or(u32::MAX),
    }
}

fn micros(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}

fn print_summary(label: &str, summary: &Summary) {
    println!(
        "{label:<8} {:>6} queries  p50 {:>7.1} µs  p90 {:>7.1} µs  p99 {:>7.1} µs  p99.9 {:>7.1} µs  mean {:>7.1} µs  ({:.0} q/s one at a time)",
        summary.count,
        micros(summary.p50),
        micros(summary.p90),
        micros(summary.p99),
        micros(summary.p999),
        micros(summary.mean),
        1.0 / summary.mean.as_secs_f64().max(1e-9)
    );
}

async fn latency_benchmark(queries: usize, concurrency: usize) -> anyhow::Result<()> {
    let knot = knot::KnotServer::start(1);
    let bridge = ChildServer::bridge(&[
        "--upstream".to_owned(),
        knot.address.to_string(),
        // The benchmark sends far more than the default 200 queries per second per connection.
        "--max-queries-per-second".to_owned(),
        "100000000".to_owned(),
    ])?;
    let relay = ChildServer::relay(knot.address)?;
    println!(
        "Knot DNS at {} (1 UDP worker), bridge at {} (child process, pid {}), minimal relay at {}",
        knot.address,
        bridge.address,
        bridge.child.id(),
        relay.address
    );

    // Sequential latency: one query at a time; direct, bridged and relayed alternate in blocks
    // so that all three see the same machine conditions.
    let socket = UdpSocket::bind("127.0.0.1:0").await?;
    socket.connect(knot.address).await?;
    let mut client = connect(bridge.address).await?;
    let mut relay_stream = TcpStream::connect(relay.address).await?;
    relay_stream.set_nodelay(true)?;
    let mut buffer = vec![0u8; 65535];
    let warm_up = 2_000.min(queries);
    for id in 0..warm_up {
        let id = u16::try_from(id % 65536)?;
        direct_exchange(&socket, id, &mut buffer).await?;
        bridge_exchange(&mut client, id).await?;
        relay_exchange(&mut relay_stream, id, &mut buffer).await?;
    }
    let block = 500;
    let mut direct_samples = Vec::with_capacity(queries);
    let mut bridge_samples = Vec::with_capacity(queries);
    let mut relay_samples = Vec::with_capacity(queries);
    // The bridge is idle during the other blocks, so its CPU time over the whole loop is its
    // cost for the bridged queries.
    let bridge_cpu_before = bridge.cpu_time()?;
    let mut id: u16 = 0;
    while direct_samples.len() < queries {
        let this_block = block.min(queries - direct_samples.len());
        for _ in 0..this_block {
            id = id.wrapping_add(1);
            direct_samples.push(direct_exchange(&socket, id, &mut buffer).await?);
        }
        for _ in 0..this_block {
            id = id.wrapping_add(1);
            bridge_samples.push(bridge_exchange(&mut client, id).await?);
        }
        for _ in 0..this_block {
            id = id.wrapping_add(1);
            relay_samples.push(relay_exchange(&mut relay_stream, id, &mut buffer).await?);
        }
    }
    let bridge_cpu = bridge.cpu_time()?.saturating_sub(bridge_cpu_before);
    let bridged_queries = bridge_samples.len();
    let direct = summarize(direct_samples);
    let bridged = summarize(bridge_samples);
    let relayed = summarize(relay_samples);
    println!("\nOne query at a time (round trip seen by the client):");
    print_summary("direct", &direct);
    print_summary("bridge", &bridged);
    print_summary("floor", &relayed);
    println!(
        "floor of any relay (minimal TCP-to-UDP relay / direct): p50 {:.2}x, p99 adds {:.1} µs",
        relayed.p50.as_secs_f64() / direct.p50.as_secs_f64().max(1e-9),
        micros(relayed.p99) - micros(direct.p99)
    );
    println!(
        "what the bridge adds over that floor: p50 {:.2}x ({:+.1} µs), p99 {:+.1} µs",
        bridged.p50.as_secs_f64() / relayed.p50.as_secs_f64().max(1e-9),
        micros(bridged.p50) - micros(relayed.p50),
        micros(bridged.p99) - micros(relayed.p99)
    );
    let p50_ratio = direct.p50.as_secs_f64().max(1e-9);
    let p50_ratio = bridged.p50.as_secs_f64() / p50_ratio;
    let p99_added = micros(bridged.p99) - micros(direct.p99);
    println!(
        "p50 ratio bridge/direct: {p50_ratio:.2}x (goal <= 1.5x: {})",
        verdict(p50_ratio <= 1.5)
    );
    println!(
        "p99 added by the bridge: {p99_added:.1} µs (goal <= 40 µs: {})",
        verdict(p99_added <= 40.0)
    );
    println!(
        "bridge CPU time (user + system, 10 ms ticks): {:.1} µs per query",
        micros(bridge_cpu) / bridged_queries.max(1) as f64
    );
    println!(
        "load average now: {}",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );

    // Throughput: `concurrency` clients, each one query at a time.
    println!("\nThroughput with {concurrency} concurrent clients, one query in flight each:");
    let per_client = (queries / concurrency.max(1)).max(1);
    let direct_rate = {
        let started = Instant::now();
        let mut tasks = Vec::new();
        for client_index in 0..concurrency {
            let server = knot.address;
            tasks.push(tokio::spawn(async move {
                let socket = UdpSocket::bind("127.0.0.1:0").await?;
                socket.connect(server).await?;
                let mut buffer = vec![0u8; 65535];
                for query_index in 0..per_client {
                    let id = u16::try_from((client_index * per_client + query_index) % 65536)?;
                    direct_exchange(&socket, id, &mut buffer).await?;
                }
                anyhow::Ok(())
            }));
        }
        for task in tasks {
            task.await??;
        }
        (per_client * concurrency) as f64 / started.elapsed().as_secs_f64()
    };
    let bridge_rate = {
        let mut clients = Vec::new();
        for _ in 0..concurrency {
            clients.push(connect(bridge.address).await?);
        }
        let started = Instant::now();
        let mut tasks = Vec::new();
        for (client_index, mut client) in clients.into_iter().enumerate() {
            tasks.push(tokio::spawn(async move {
                for query_index in 0..per_client {
                    let id = u16::try_from((client_index * per_client + query_index) % 65536)?;
                    bridge_exchange(&mut client, id).await?;
                }
                anyhow::Ok(())
            }));
        }
        for task in tasks {
            task.await??;
        }
        (per_client * concurrency) as f64 / started.elapsed().as_secs_f64()
    };
    println!("direct   {direct_rate:>10.0} queries/s");
    println!("bridge   {bridge_rate:>10.0} queries/s");
    println!(
        "ratio bridge/direct: {:.2}",
        bridge_rate / direct_rate.max(1e-9)
    );
    println!("bridge RSS after the run: {} KiB", bridge.resident_kib()?);
    Ok(())
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "NOT met"
    }
}

async fn idle_benchmark(connections: usize) -> anyhow::Result<()> {
    // Each connection costs this process one descriptor and the bridge one; raise the soft
    // limit (the child inherits it) with some room for Knot, sockets and the runtime.
    let wanted = u64::try_from(connections)? * 2 + 1024;
    let granted = rlimit::increase_nofile_limit(wanted)?;
    if granted < u64::try_from(connections)? + 256 {
        bail!("the open-file limit is {granted}; {connections} connections need more");
    }
    let knot = knot::KnotServer::start(1);
    let bridge = ChildServer::bridge(&[
        "--upstream".to_owned(),
        knot.address.to_string(),
        "--max-connections".to_owned(),
        (connections + 16).to_string(),
        "--idle-timeout-secs".to_owned(),
        "3600".to_owned(),
        "--max-queries-per-second".to_owned(),
        "100000000".to_owned(),
    ])?;
    // Let the bridge answer a few queries first, so its buffers and runtime are warm.
    {
        let mut client = connect(bridge.address).await?;
        for id in 0..100 {
            bridge_exchange(&mut client, id).await?;
        }
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let resident_before = bridge.resident_kib()?;
    let started = Instant::now();
    let mut open = Vec::with_capacity(connections);
    while open.len() < connections {
        // Handshakes in batches, so the listen backlog is never overrun.
        let batch = 200.min(connections - open.len());
        let handshakes =
            futures_util::future::join_all((0..batch).map(|_| connect(bridge.address))).await;
        for handshake in handshakes {
            open.push(handshake?);
        }
    }
    let opening = started.elapsed();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let resident_idle = bridge.resident_kib()?;
    // The bridge still answers with all of them open.
    let mut client = connect(bridge.address).await?;
    let mut round_trips = Vec::new();
    for id in 0..1000 {
        round_trips.push(bridge_exchange(&mut client, id).await?);
    }
    let round_trips = summarize(round_trips);
    let added_kib = resident_idle.saturating_sub(resident_before);
    println!(
        "{connections} idle WebSocket connections opened in {:.1} s",
        opening.as_secs_f64()
    );
    println!(
        "bridge RSS: {resident_before} KiB before, {resident_idle} KiB with them open ({:.1} MiB); {:.2} KiB per connection",
        resident_idle as f64 / 1024.0,
        added_kib as f64 / connections as f64
    );
    println!(
        "goal < 150 MB with 10,000 idle connections: {}",
        verdict(resident_idle * 1024 < 150_000_000)
    );
    print_summary("bridge with them open:", &round_trips);
    drop(open);
    Ok(())
}
