//! `dnslab serve`: a real authoritative DNS server over UDP and TCP for zone files, or for the
//! built-in mini-internet, answering through `dnslab_core::authority`.
//!
//! All DNS logic is `authority::answer`: bytes in, bytes out (or nothing, for packets to drop).
//! This file owns only the sockets:
//! - UDP: one socket per worker thread, all bound to the same address with SO_REUSEPORT so the
//!   kernel spreads queries over the threads. Each worker is a loop of blocking calls on its
//!   own thread, with receive buffers allocated once; the only allocation per query is the
//!   answer itself. On Linux a worker takes every datagram waiting with one `recvmmsg` and sends
//!   the answers with one `sendmmsg` (nix's safe wrappers), which under load halves the CPU the
//!   kernel spends per query; elsewhere it is `recv_from`/`send_to`. Blocking sockets on
//!   dedicated threads need no readiness round trip through epoll for every datagram, which is
//!   what an async UDP loop would add. Each worker also keeps the answers it computed, keyed by
//!   the query bytes without the ID (`answer_cache.rs`), so a repeated query costs a hash lookup
//!   and a copy instead of a zone search and an encoding.
//! - TCP (tokio): two-octet length framing (RFC 1035 section 4.2.2), several queries per
//!   connection answered in order (RFC 7766 section 6.2.1), an idle timeout, and a cap on open
//!   connections so a flood of idle clients cannot exhaust file descriptors.
//! - SIGINT/SIGTERM: stop accepting, close idle TCP connections, let the UDP workers finish the
//!   datagram in hand, print the counters, exit 0.
//!
//! The line `dnslab serve: listening on ADDRESS (udp, tcp)` goes to standard output once both
//! transports are bound, so scripts and tests can wait for it (with `--listen 127.0.0.1:0` the
//! line carries the port the system chose). Logs go to standard error through `tracing`:
//! `RUST_LOG=debug` adds one line per query.

use std::io::{self, IsTerminal as _, Write as _};
use std::net::{SocketAddr, TcpListener as StdTcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use dnslab_core::authority::{self, Transport};
use dnslab_core::present::dig_rcode_text;
use dnslab_core::world::World;
use dnslab_core::zone::{parse_zone, ZoneSet};
use hickory_proto::op::Message;
use socket2::{Domain, Protocol, Socket, Type};
use tokio::io::{AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::sync::{watch, Semaphore};
use tracing::Level;

mod answer_cache;

use answer_cache::AnswerCache;

/// Exit status of a clean shutdown.
pub const EXIT_OK: u8 = 0;
/// Exit status when the server could not start (address in use, unreadable file).
pub const EXIT_START_FAILED: u8 = 1;
/// Exit status when a zone file has errors (all of them are printed first).
pub const EXIT_ZONE_ERRORS: u8 = 2;

/// The largest DNS message; UDP datagrams and TCP messages cannot be longer.
const MAXIMUM_MESSAGE_SIZE: usize = 65_535;
/// How often an idle UDP worker looks at the shutdown flag.
const UDP_SHUTDOWN_POLL: Duration = Duration::from_millis(200);
/// How long TCP connections get to finish after SIGINT/SIGTERM.
const TCP_SHUTDOWN_GRACE: Duration = Duration::from_secs(2);
/// The receive buffer each UDP socket asks for, so bursts wait in the kernel instead of being
/// dropped (the kernel caps it at net.core.rmem_max).
const UDP_RECEIVE_BUFFER: usize = 4 << 20;

/// Arguments of `dnslab serve`.
#[derive(Debug, Args)]
pub struct ServeArguments {
    /// A zone file to serve (repeatable); its origin is the owner of its SOA record. Without any,
    /// the built-in mini-internet is served (root, TLDs and demo zones).
    #[arg(long = "zone", value_name = "FILE")]
    pub zones: Vec<PathBuf>,
    /// The address to listen on for UDP and TCP. Port 0 lets the system choose (the ready line
    /// tells which).
    #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1:1053")]
    pub listen: SocketAddr,
    /// UDP worker threads, each with its own socket (default: one per CPU).
    #[arg(long, value_name = "N")]
    pub udp_workers: Option<usize>,
    /// Seconds a TCP connection may stay idle between queries before it is closed.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub tcp_idle_timeout: u64,
    /// Most TCP connections open at once; further ones are closed at once.
    #[arg(long, value_name = "N", default_value_t = 256)]
    pub tcp_max_connections: usize,
    /// Answers each UDP worker remembers, to send again when the same query (apart from its
    /// ID) comes back; 0 computes every answer afresh.
    #[arg(long, value_name = "N", default_value_t = 1024)]
    pub answer_cache_entries: usize,
}

/// What the workers count, printed at shutdown.
#[derive(Debug, Default)]
struct Counters {
    udp_queries: AtomicU64,
    tcp_queries: AtomicU64,
    /// Packets dropped without an answer (no header, or a response rather than a query).
    dropped: AtomicU64,
    /// Packets answered with FORMERR (a header was readable, the rest was not a valid query).
    format_errors: AtomicU64,
    /// Answers that could not be sent (the socket said no).
    send_failures: AtomicU64,
}

/// What one UDP worker counted, added to the shared [`Counters`] when it stops so that the hot
/// loop touches no shared cache line.
#[derive(Debug, Default, Clone, Copy)]
struct WorkerCounts {
    queries: u64,
    dropped: u64,
    format_errors: u64,
    send_failures: u64,
}

/// Runs `dnslab serve` until SIGINT or SIGTERM; returns the exit status.
pub fn run(arguments: &ServeArguments) -> anyhow::Result<u8> {
    initialize_logging();
    let zones = if arguments.zones.is_empty() {
        match builtin_zones() {
            Ok(zones) => zones,
            Err(status) => return Ok(status),
        }
    } else {
        match load_zone_files(&arguments.zones) {
            Ok(zones) => zones,
            Err(()) => {
                eprintln!("dnslab serve: not starting, the zone files have errors");
                return Ok(EXIT_ZONE_ERRORS);
            }
        }
    };
    let origins: Vec<String> = zones.zones().map(|zone| zone.origin().to_ascii()).collect();
    tracing::info!("serving {} zone(s): {}", origins.len(), origins.join(" "));

    let worker_count = arguments
        .udp_workers
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .max(1);
    let (tcp_listener, udp_sockets) = match bind_sockets(arguments.listen, worker_count) {
        Ok(bound) => bound,
        Err(error) => {
            eprintln!(
                "dnslab serve: cannot listen on {}: {error:#}",
                arguments.listen
            );
            return Ok(EXIT_START_FAILED);
        }
    };
    let local_address = tcp_listener.local_addr()?;

    let zones = Arc::new(zones);
    let counters = Arc::new(Counters::default());
    let shutdown = Arc::new(AtomicBool::new(false));
    let workers: Vec<JoinHandle<WorkerCounts>> = udp_sockets
        .into_iter()
        .enumerate()
        .map(|(index, socket)| {
            let zones = Arc::clone(&zones);
            let shutdown = Arc::clone(&shutdown);
            let cache = AnswerCache::new(arguments.answer_cache_entries);
            std::thread::Builder::new()
                .name(format!("dnslab-udp-{index}"))
                .spawn(move || serve_udp(&socket, &zones, cache, &shutdown))
        })
        .collect::<Result<_, _>>()
        .context("starting the UDP workers")?;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the TCP runtime")?;
    let tcp_settings = TcpSettings {
        idle_timeout: Duration::from_secs(arguments.tcp_idle_timeout.max(1)),
        maximum_connections: arguments.tcp_max_connections.max(1),
    };
    let tcp_result = runtime.block_on(async {
        tcp_listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(tcp_listener)?;
        // Written by hand rather than with println!, which would panic if nobody reads the
        // standard output any more; the server runs on either way.
        let mut standard_output = io::stdout().lock();
        let _ = writeln!(
            standard_output,
            "dnslab serve: listening on {local_address} (udp, tcp)"
        )
        .and_then(|()| standard_output.flush());
        drop(standard_output);
        serve_tcp_until_signal(
            listener,
            Arc::clone(&zones),
            Arc::clone(&counters),
            tcp_settings,
        )
        .await
    });

    shutdown.store(true, Ordering::Relaxed);
    for worker in workers {
        if let Ok(counts) = worker.join() {
            counters
                .udp_queries
                .fetch_add(counts.queries, Ordering::Relaxed);
            counters
                .dropped
                .fetch_add(counts.dropped, Ordering::Relaxed);
            counters
                .format_errors
                .fetch_add(counts.format_errors, Ordering::Relaxed);
            counters
                .send_failures
                .fetch_add(counts.send_failures, Ordering::Relaxed);
        }
    }
    tcp_result?;
    eprintln!(
        "dnslab serve: stopped after {} UDP and {} TCP queries; {} bad packets dropped, {} answered with FORMERR, {} answers not sent",
        counters.udp_queries.load(Ordering::Relaxed),
        counters.tcp_queries.load(Ordering::Relaxed),
        counters.dropped.load(Ordering::Relaxed),
        counters.format_errors.load(Ordering::Relaxed),
        counters.send_failures.load(Ordering::Relaxed),
    );
    Ok(EXIT_OK)
}

/// Logs to standard error, filtered by RUST_LOG (default `info`).
fn initialize_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // A second initialization (never in the binary) is harmless, so its error is ignored.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(io::stderr().is_terminal())
        .try_init();
}

/// Every zone of the built-in mini-internet, in one set (one server for all of them).
fn builtin_zones() -> Result<ZoneSet, u8> {
    let world = World::builtin();
    if !world.load_errors().is_empty() {
        for (file_name, errors) in world.load_errors() {
            for error in &errors.errors {
                eprintln!(
                    "{}",
                    located(
                        Path::new(file_name),
                        error.line,
                        error.column,
                        &error.message
                    )
                );
            }
        }
        return Err(EXIT_ZONE_ERRORS);
    }
    // The same set `World::answer_as_serve` answers from (the page's window.dnslab.answer).
    Ok(world.serve_zones().clone())
}

/// Reads and parses the zone files; on any error prints every error of every file as
/// `FILE:LINE:COLUMN: message` and fails. Warnings are printed and the zone is served.
pub(crate) fn load_zone_files(paths: &[PathBuf]) -> Result<ZoneSet, ()> {
    let mut zones = ZoneSet::new();
    let mut sources: Vec<(String, PathBuf)> = Vec::new();
    let mut failed = false;
    for path in paths {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) => {
                eprintln!("{}: cannot read the zone file: {error}", path.display());
                failed = true;
                continue;
            }
        };
        match parse_zone(&text, None) {
            Ok(zone) => {
                for warning in zone.warnings() {
                    eprintln!(
                        "{}",
                        located(
                            path,
                            warning.line,
                            warning.column,
                            &format!("warning: {}", warning.message)
                        )
                    );
                }
                let origin = zone.origin().to_ascii();
                if let Some((_, first)) = sources.iter().find(|(known, _)| *known == origin) {
                    eprintln!(
                        "{}: the zone {origin} is already loaded from {}",
                        path.display(),
                        first.display()
                    );
                    failed = true;
                    continue;
                }
                sources.push((origin, path.clone()));
                zones.insert(zone);
            }
            Err(errors) => {
                for error in &errors.errors {
                    eprintln!(
                        "{}",
                        located(path, error.line, error.column, &error.message)
                    );
                }
                failed = true;
            }
        }
    }
    if failed {
        return Err(());
    }
    Ok(zones)
}

/// `FILE:LINE:COLUMN: message`, the form editors and compilers use (`FILE: message` when the
/// problem has no position).
fn located(path: &Path, line: usize, column: usize, message: &str) -> String {
    match (line, column) {
        (0, _) => format!("{}: {message}", path.display()),
        (line, 0) => format!("{}:{line}: {message}", path.display()),
        (line, column) => format!("{}:{line}:{column}: {message}", path.display()),
    }
}

/// Binds the TCP listener first (without SO_REUSEPORT, so a second server on the same address
/// fails here instead of silently sharing UDP traffic), then `worker_count` UDP sockets on the
/// same port with SO_REUSEPORT. With port 0 the TCP listener's port is used for UDP, and a port
/// whose UDP side is taken is given up for another.
fn bind_sockets(
    address: SocketAddr,
    worker_count: usize,
) -> anyhow::Result<(StdTcpListener, Vec<UdpSocket>)> {
    const ATTEMPTS_WITH_CHOSEN_PORT: usize = 16;
    let attempts = if address.port() == 0 {
        ATTEMPTS_WITH_CHOSEN_PORT
    } else {
        1
    };
    let mut last_error = None;
    for _ in 0..attempts {
        let listener = StdTcpListener::bind(address).context("TCP")?;
        let bound = listener.local_addr()?;
        match bind_udp_sockets(bound, worker_count) {
            Ok(sockets) => return Ok((listener, sockets)),
            Err(error) => last_error = Some(error),
        }
    }
    Err(last_error.map_or_else(
        || anyhow::anyhow!("no port found"),
        |error| error.context("UDP"),
    ))
}

fn bind_udp_sockets(address: SocketAddr, count: usize) -> anyhow::Result<Vec<UdpSocket>> {
    (0..count)
        .map(|_| {
            let socket = Socket::new(
                Domain::for_address(address),
                Type::DGRAM,
                Some(Protocol::UDP),
            )?;
            if count > 1 {
                socket.set_reuse_port(true)?;
            }
            // Best effort: a smaller buffer only means earlier drops under a flood.
            let _ = socket.set_recv_buffer_size(UDP_RECEIVE_BUFFER);
            socket.bind(&address.into())?;
            let socket = UdpSocket::from(socket);
            socket.set_read_timeout(Some(UDP_SHUTDOWN_POLL))?;
            Ok(socket)
        })
        .collect()
}

/// One UDP worker: receive, answer, send, until shutdown. On Linux datagrams are taken and sent
/// in batches ([`serve_udp_batched`]); elsewhere one at a time.
fn serve_udp(
    socket: &UdpSocket,
    zones: &ZoneSet,
    cache: AnswerCache,
    shutdown: &AtomicBool,
) -> WorkerCounts {
    let mut worker = UdpWorker {
        zones,
        cache,
        counts: WorkerCounts::default(),
        log_queries: tracing::enabled!(Level::DEBUG),
    };
    #[cfg(target_os = "linux")]
    serve_udp_batched(socket, &mut worker, shutdown);
    #[cfg(not(target_os = "linux"))]
    serve_udp_one_at_a_time(socket, &mut worker, shutdown);
    worker.counts
}

/// What a UDP worker keeps between datagrams.
struct UdpWorker<'z> {
    zones: &'z ZoneSet,
    cache: AnswerCache,
    counts: WorkerCounts,
    log_queries: bool,
}

impl UdpWorker<'_> {
    /// Appends the answer to one datagram to `output` (from the cache, or from
    /// `authority::answer` and then cached), counting what happened; false when the datagram is
    /// dropped.
    fn append_answer(
        &mut self,
        query: &[u8],
        peer: &dyn std::fmt::Display,
        output: &mut Vec<u8>,
    ) -> bool {
        self.counts.queries += 1;
        let start = output.len();
        if !self.cache.append_answer(query, output) {
            let Some(response) = authority::answer(self.zones, query, Transport::Udp) else {
                self.counts.dropped += 1;
                if self.log_queries {
                    tracing::debug!(
                        "udp {peer}: dropped a {}-byte packet that is not a query",
                        query.len()
                    );
                }
                return false;
            };
            self.cache.insert(query, &response);
            output.extend_from_slice(&response);
        }
        let response = output.get(start..).unwrap_or_default();
        if is_format_error(response) {
            self.counts.format_errors += 1;
        }
        if self.log_queries {
            tracing::debug!("{}", query_log_line("udp", peer, query, response));
        }
        true
    }
}

/// The plain loop: one `recv_from` and one `send_to` per query, buffers reused for every query.
#[cfg_attr(target_os = "linux", allow(dead_code))]
fn serve_udp_one_at_a_time(socket: &UdpSocket, worker: &mut UdpWorker<'_>, shutdown: &AtomicBool) {
    let mut buffer = vec![0u8; MAXIMUM_MESSAGE_SIZE];
    let mut response = Vec::with_capacity(MAXIMUM_MESSAGE_SIZE);
    while !shutdown.load(Ordering::Relaxed) {
        let (length, peer) = match socket.recv_from(&mut buffer) {
            Ok(received) => received,
            Err(error) if is_transient(error.kind()) => continue,
            Err(error) => {
                tracing::warn!("UDP receive failed: {error}");
                continue;
            }
        };
        let query = buffer.get(..length).unwrap_or_default();
        response.clear();
        if !worker.append_answer(query, &peer, &mut response) {
            continue;
        }
        if let Err(error) = socket.send_to(&response, peer) {
            worker.counts.send_failures += 1;
            tracing::debug!("udp {peer}: answer not sent: {error}");
        }
    }
}

/// Datagrams taken (and answers sent) per system call at most.
#[cfg(target_os = "linux")]
const UDP_BATCH: usize = 16;

/// The batched loop: `recvmmsg` takes every datagram waiting (up to [`UDP_BATCH`], waiting only
/// for the first), the answers are written one after the other into one send buffer, and one
/// `sendmmsg` sends them all. Under load that is two system calls and one wake-up per batch
/// instead of per query; with a single datagram waiting it behaves like the plain loop.
#[cfg(target_os = "linux")]
fn serve_udp_batched(socket: &UdpSocket, worker: &mut UdpWorker<'_>, shutdown: &AtomicBool) {
    use std::io::{IoSlice, IoSliceMut};
    use std::ops::Range;
    use std::os::fd::AsRawFd;

    use nix::errno::Errno;
    use nix::sys::socket::{recvmmsg, sendmmsg, MsgFlags, MultiHeaders, SockaddrStorage};

    let descriptor = socket.as_raw_fd();
    // Whole-datagram buffers: a query is never cut short, however large.
    let mut buffers: Vec<Vec<u8>> = (0..UDP_BATCH)
        .map(|_| vec![0u8; MAXIMUM_MESSAGE_SIZE])
        .collect();
    let mut receive_headers = MultiHeaders::<SockaddrStorage>::preallocate(UDP_BATCH, None);
    let mut send_headers = MultiHeaders::<SockaddrStorage>::preallocate(UDP_BATCH, None);
    let mut received: Vec<(usize, Option<SockaddrStorage>)> = Vec::with_capacity(UDP_BATCH);
    let mut answers = Vec::with_capacity(UDP_BATCH * 512);
    let mut answer_ranges: Vec<Range<usize>> = Vec::with_capacity(UDP_BATCH);
    let mut answer_addresses: Vec<Option<SockaddrStorage>> = Vec::with_capacity(UDP_BATCH);
    while !shutdown.load(Ordering::Relaxed) {
        received.clear();
        {
            let mut slices: Vec<[IoSliceMut<'_>; 1]> = buffers
                .iter_mut()
                .map(|buffer| [IoSliceMut::new(buffer)])
                .collect();
            match recvmmsg(
                descriptor,
                &mut receive_headers,
                slices.iter_mut(),
                MsgFlags::MSG_WAITFORONE,
                None,
            ) {
                Ok(messages) => {
                    received.extend(messages.map(|message| (message.bytes, message.address)))
                }
                Err(Errno::EAGAIN | Errno::EINTR) => continue,
                Err(error) => {
                    tracing::warn!("UDP receive failed: {error}");
                    continue;
                }
            }
        }
        answers.clear();
        answer_ranges.clear();
        answer_addresses.clear();
        for ((length, address), buffer) in received.iter().zip(&buffers) {
            let query = buffer.get(..*length).unwrap_or_default();
            let start = answers.len();
            if worker.append_answer(query, &DisplayAddress(address.as_ref()), &mut answers) {
                answer_ranges.push(start..answers.len());
                answer_addresses.push(*address);
            }
        }
        if answer_ranges.is_empty() {
            continue;
        }
        let slices: Vec<[IoSlice<'_>; 1]> = answer_ranges
            .iter()
            .map(|range| [IoSlice::new(answers.get(range.clone()).unwrap_or_default())])
            .collect();
        // sendmmsg may stop early (a full socket buffer): what it did not send is counted as
        // lost rather than retried, as for a failed send_to.
        let sent_count = match sendmmsg(
            descriptor,
            &mut send_headers,
            slices.iter(),
            &answer_addresses,
            [],
            MsgFlags::empty(),
        ) {
            Ok(sent) => sent.count(),
            Err(error) => {
                tracing::debug!("UDP answers not sent: {error}");
                0
            }
        };
        worker.counts.send_failures += slices.len().saturating_sub(sent_count) as u64;
    }
}

/// A receive error after which the worker just tries again (a timeout to look at the shutdown
/// flag, a signal).
#[cfg_attr(target_os = "linux", allow(dead_code))]
fn is_transient(kind: io::ErrorKind) -> bool {
    matches!(
        kind,
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
    )
}

/// A peer address for the log, `?` when the kernel gave none.
#[cfg(target_os = "linux")]
struct DisplayAddress<'a>(Option<&'a nix::sys::socket::SockaddrStorage>);

#[cfg(target_os = "linux")]
impl std::fmt::Display for DisplayAddress<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(address) => write!(formatter, "{address}"),
            None => formatter.write_str("?"),
        }
    }
}

/// RCODE 1 in the header of a response.
fn is_format_error(response: &[u8]) -> bool {
    response.get(3).is_some_and(|flags| flags & 0x0F == 1)
}

/// The debug line for one query: transport, client, question, RCODE, flags, counts and size.
fn query_log_line(
    transport: &str,
    peer: &dyn std::fmt::Display,
    query: &[u8],
    response: &[u8],
) -> String {
    let question = Message::from_vec(query)
        .ok()
        .and_then(|message| message.queries.first().map(ToString::to_string))
        .unwrap_or_else(|| "(unreadable question)".to_string());
    let rcode = response.get(3).map_or(0, |flags| u16::from(flags & 0x0F));
    let flag = |index: usize, mask: u8, text: &'static str| {
        if response.get(index).is_some_and(|byte| byte & mask != 0) {
            text
        } else {
            ""
        }
    };
    let count = |index: usize| {
        response
            .get(index..index + 2)
            .map_or(0, |bytes| u16::from_be_bytes([bytes[0], bytes[1]]))
    };
    format!(
        "{transport} {peer}: {question} -> {}{}{} answer {} authority {} additional {}, {} bytes",
        dig_rcode_text(rcode),
        flag(2, 0x04, " aa"),
        flag(2, 0x02, " tc"),
        count(6),
        count(8),
        count(10),
        response.len()
    )
}

#[derive(Debug, Clone, Copy)]
struct TcpSettings {
    idle_timeout: Duration,
    maximum_connections: usize,
}

/// Accepts TCP connections until SIGINT or SIGTERM, then asks every connection to close and
/// waits for them a little.
async fn serve_tcp_until_signal(
    listener: tokio::net::TcpListener,
    zones: Arc<ZoneSet>,
    counters: Arc<Counters>,
    settings: TcpSettings,
) -> anyhow::Result<()> {
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("watching SIGTERM")?;
    let (shutdown_sender, shutdown_receiver) = watch::channel(false);
    let connection_slots = Arc::new(Semaphore::new(settings.maximum_connections));
    let mut connections = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {
                tracing::info!("SIGINT: shutting down");
                break;
            }
            _ = terminate.recv() => {
                tracing::info!("SIGTERM: shutting down");
                break;
            }
            // Reap finished connections so the set does not grow without bound.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(accepted) => accepted,
                    Err(error) => {
                        // EMFILE and the like: wait a moment rather than spin.
                        tracing::warn!("TCP accept failed: {error}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let Ok(slot) = Arc::clone(&connection_slots).try_acquire_owned() else {
                    tracing::debug!("tcp {peer}: too many connections, closing");
                    continue;
                };
                let zones = Arc::clone(&zones);
                let counters = Arc::clone(&counters);
                let shutdown = shutdown_receiver.clone();
                connections.spawn(async move {
                    serve_tcp_connection(stream, peer, &zones, &counters, settings.idle_timeout, shutdown).await;
                    drop(slot);
                });
            }
        }
    }
    drop(listener);
    let _ = shutdown_sender.send(true);
    let _ = tokio::time::timeout(TCP_SHUTDOWN_GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    connections.abort_all();
    Ok(())
}

/// Answers the queries of one TCP connection in order until the client closes it, it stays idle
/// too long, it sends something that is not a query, or the server shuts down.
async fn serve_tcp_connection(
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    zones: &ZoneSet,
    counters: &Counters,
    idle_timeout: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let (reader, mut writer) = stream.into_split();
    let mut reader = BufReader::new(reader);
    let mut message = Vec::new();
    let mut framed_response = Vec::new();
    let log_queries = tracing::enabled!(Level::DEBUG);
    loop {
        let mut length_prefix = [0u8; 2];
        tokio::select! {
            read = tokio::time::timeout(idle_timeout, reader.read_exact(&mut length_prefix)) => {
                match read {
                    Ok(Ok(_)) => {}
                    Ok(Err(_)) => break,
                    Err(_) => {
                        tracing::debug!("tcp {peer}: idle for {} s, closing", idle_timeout.as_secs());
                        break;
                    }
                }
            }
            _ = shutdown.changed() => break,
        }
        let length = usize::from(u16::from_be_bytes(length_prefix));
        message.resize(length, 0);
        match tokio::time::timeout(idle_timeout, reader.read_exact(&mut message)).await {
            Ok(Ok(_)) => {}
            _ => break,
        }
        counters.tcp_queries.fetch_add(1, Ordering::Relaxed);
        let Some(response) = authority::answer(zones, &message, Transport::Tcp) else {
            counters.dropped.fetch_add(1, Ordering::Relaxed);
            tracing::debug!("tcp {peer}: a {length}-byte message that is not a query, closing");
            break;
        };
        if is_format_error(&response) {
            counters.format_errors.fetch_add(1, Ordering::Relaxed);
        }
        if log_queries {
            tracing::debug!("{}", query_log_line("tcp", &peer, &message, &response));
        }
        // authority never answers more than 65535 octets over TCP; a longer answer is dropped
        // rather than sent with a wrong length.
        let Ok(response_length) = u16::try_from(response.len()) else {
            counters.send_failures.fetch_add(1, Ordering::Relaxed);
            break;
        };
        framed_response.clear();
        framed_response.extend_from_slice(&response_length.to_be_bytes());
        framed_response.extend_from_slice(&response);
        match tokio::time::timeout(idle_timeout, writer.write_all(&framed_response)).await {
            Ok(Ok(())) => {}
            _ => {
                counters.send_failures.fetch_add(1, Ordering::Relaxed);
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_errors_like_compilers_do() {
        let path = Path::new("zones/bad.zone");
        assert_eq!(located(path, 3, 7, "boom"), "zones/bad.zone:3:7: boom");
        assert_eq!(located(path, 3, 0, "boom"), "zones/bad.zone:3: boom");
        assert_eq!(located(path, 0, 0, "boom"), "zones/bad.zone: boom");
    }

    #[test]
    fn reads_rcode_one_as_format_error() {
        assert!(is_format_error(&[0, 0, 0x80, 0x01]));
        assert!(!is_format_error(&[0, 0, 0x80, 0x03]));
        assert!(!is_format_error(&[0, 0]));
    }

    #[test]
    fn binds_udp_and_tcp_to_the_same_chosen_port() {
        let bound = bind_sockets("127.0.0.1:0".parse().unwrap_or_else(|_| unreachable!()), 2);
        let Ok((listener, sockets)) = bound else {
            panic!("binding failed: {bound:?}");
        };
        let port = listener
            .local_addr()
            .map(|address| address.port())
            .unwrap_or(0);
        assert_ne!(port, 0);
        assert_eq!(sockets.len(), 2);
        for socket in &sockets {
            assert_eq!(
                socket.local_addr().map(|address| address.port()).ok(),
                Some(port)
            );
        }
    }
}
