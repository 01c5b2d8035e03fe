//! Sends one checked query to one upstream and brings back the reply that answers it.
//!
//! Each query gets its own [`QuerySocket`]: a UDP socket connected to the upstream, on a source
//! port the kernel picks at random for it, so that the kernel already drops datagrams from any
//! other address or port (checked again here). Opening one costs several system calls,
//! so a connection opens the socket for its next query ahead of time, while it waits for the
//! page (see [`crate::websocket`]): the query then leaves at once. A datagram that is not a
//! response with the query's ID and question is ignored and the wait goes on: it may be spoofed
//! or a late reply to another query. After `timeout` without an answer the query is sent once
//! more (by default); a late reply to the first send is still accepted. A reply with TC set is
//! asked again over TCP, and the TCP answer is what the page gets.

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use dnslab_core::relay::MAX_DNS_MESSAGE_LENGTH;
use dnslab_core::relay::{check_reply_for_relay, RelayableQuery, ReplyMismatch};
use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};

use crate::config::ForwardingSettings;

/// How the answer travelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    /// One UDP datagram.
    Udp,
    /// TCP with the 2-byte length prefix, after a truncated UDP reply.
    Tcp,
}

/// The upstream's answer, exactly as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardedAnswer {
    /// The response message (without TCP's length prefix).
    pub response: Vec<u8>,
    /// UDP or, after truncation, TCP.
    pub transport: Transport,
    /// From the first send until the full answer arrived (retries and TCP included).
    pub round_trip: Duration,
}

/// Why no answer could be brought back. Shown to the user as is.
#[derive(Debug, thiserror::Error)]
pub enum ForwardError {
    /// No matching reply in time.
    #[error("no answer from {upstream} after {attempts} tries of {timeout_ms} ms each")]
    Timeout {
        /// The upstream asked.
        upstream: SocketAddr,
        /// How many times the query was sent.
        attempts: u32,
        /// The wait after each send.
        timeout_ms: u128,
    },
    /// The upstream's host said nothing listens on that port (ICMP port unreachable).
    #[error("nothing answers DNS at {upstream} (port unreachable)")]
    Unreachable {
        /// The upstream asked.
        upstream: SocketAddr,
    },
    /// The socket itself failed.
    #[error("could not talk to {upstream}: {source}")]
    Io {
        /// The upstream asked.
        upstream: SocketAddr,
        /// The operating system's error.
        source: io::Error,
    },
    /// The UDP answer was truncated and the TCP retry did not give a usable answer.
    #[error(
        "the UDP answer from {upstream} was truncated and asking again over TCP failed: {reason}"
    )]
    TcpFallback {
        /// The upstream asked.
        upstream: SocketAddr,
        /// What went wrong over TCP.
        reason: String,
    },
}

/// A UDP socket for exactly one query: bound to a port the kernel picks at random and connected
/// to the upstream. Dropping it closes the port.
#[derive(Debug)]
pub struct QuerySocket {
    socket: UdpSocket,
    upstream: SocketAddr,
}

impl QuerySocket {
    /// Opens a socket towards `upstream`. Must be called inside the Tokio runtime that will use
    /// it (the socket is registered with that runtime's event loop).
    pub fn open(upstream: SocketAddr) -> Result<Self, ForwardError> {
        use socket2::{Domain, Protocol, Socket, Type};
        let io_error = |source: io::Error| ForwardError::Io { upstream, source };
        // Created non-blocking in one call, and not bound: connecting an unbound UDP socket
        // binds it to a port the kernel picks at random from the ephemeral range, as binding to
        // port 0 would, one system call fewer.
        let socket = Socket::new(
            Domain::for_address(upstream),
            Type::DGRAM.nonblocking(),
            Some(Protocol::UDP),
        )
        .map_err(io_error)?;
        socket.connect(&upstream.into()).map_err(io_error)?;
        let socket = UdpSocket::from_std(socket.into()).map_err(io_error)?;
        Ok(Self { socket, upstream })
    }

    /// Sends the query's first datagram now, without waiting for the event loop (which would
    /// first want to see a freshly opened socket reported writable: one more turn of the loop
    /// for nothing, since a UDP socket with an empty send buffer takes the datagram at once).
    /// Sending before the query's future is first polled also means the query leaves while the
    /// connection still has other work to do.
    ///
    /// Whatever reached the socket before the query existed is thrown away first: a socket
    /// opened ahead may have waited a while, and a datagram that arrived meanwhile can only be
    /// a guess by a spoofer (or a stray reply or ICMP error meant for an earlier socket on the
    /// same port), never the answer to a query not yet sent.
    pub fn launch(self, query: &[u8]) -> LaunchedQuery {
        self.discard_early_arrivals();
        let started = Instant::now();
        let first_send = match socket2::SockRef::from(&self.socket).send(query) {
            Ok(_) => FirstSend::Done,
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => FirstSend::WhenWritable,
            Err(error) => FirstSend::Failed(error),
        };
        LaunchedQuery {
            socket: self,
            started,
            first_send,
        }
    }
}

impl QuerySocket {
    /// Empties the receive queue (and a pending ICMP error) through the descriptor itself:
    /// Tokio's `try_recv` would answer "would block" without asking the kernel when its event
    /// loop has not yet seen the socket readable. Normally one system call.
    fn discard_early_arrivals(&self) {
        let descriptor = socket2::SockRef::from(&self.socket);
        let mut scratch = [std::mem::MaybeUninit::<u8>::uninit(); 512];
        // Bounded: the queue is bounded by the socket's receive buffer, but a flood that keeps
        // refilling it must not keep the connection here.
        for _ in 0..1024 {
            match descriptor.recv(&mut scratch) {
                Ok(_) => {}
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => return,
                // A queued error (connection refused by an earlier port owner): consumed.
                Err(_) => {}
            }
        }
    }
}

/// A query whose first datagram has been handed to the kernel (or waits for room to be).
#[derive(Debug)]
pub struct LaunchedQuery {
    socket: QuerySocket,
    started: Instant,
    first_send: FirstSend,
}

/// What became of the first send.
#[derive(Debug)]
enum FirstSend {
    Done,
    /// The socket's send buffer was full: send once the event loop says there is room.
    WhenWritable,
    Failed(io::Error),
}

/// What a failed send or receive means for the page.
fn exchange_error(upstream: SocketAddr, error: io::Error) -> ForwardError {
    if error.kind() == io::ErrorKind::ConnectionRefused {
        ForwardError::Unreachable { upstream }
    } else {
        ForwardError::Io {
            upstream,
            source: error,
        }
    }
}

/// Waits for the reply to `launched` (sent from `query`, already checked into `relayable`),
/// sending again after each timeout while attempts remain. The socket stays open (in
/// `launched`) until the caller drops it: closing it costs system calls that need not delay the
/// answer.
pub async fn forward_query(
    launched: &mut LaunchedQuery,
    query: &[u8],
    relayable: &RelayableQuery,
    settings: &ForwardingSettings,
) -> Result<ForwardedAnswer, ForwardError> {
    let started = launched.started;
    let upstream = launched.socket.upstream;
    let socket = &launched.socket.socket;
    let first_send = &mut launched.first_send;
    // Reserved, not zeroed: only the bytes the kernel writes are touched, so many queries in
    // flight do not each cost 64 KiB of resident memory.
    let mut datagram = Vec::with_capacity(MAX_DNS_MESSAGE_LENGTH);
    let attempts = settings.udp_attempts.max(1);
    for _attempt in 0..attempts {
        let sent = match std::mem::replace(first_send, FirstSend::WhenWritable) {
            FirstSend::Done => Ok(()),
            FirstSend::Failed(error) => Err(error),
            FirstSend::WhenWritable => socket.send(query).await.map(|_| ()),
        };
        sent.map_err(|error| exchange_error(upstream, error))?;
        let now = tokio::time::Instant::now();
        // A timeout too large to add means no timeout worth keeping: a day will do.
        let deadline = now
            .checked_add(settings.timeout)
            .unwrap_or(now + Duration::from_secs(86_400));
        loop {
            datagram.clear();
            let received = match tokio::time::timeout_at(
                deadline,
                socket.recv_buf_from(&mut datagram),
            )
            .await
            {
                Err(_elapsed) => break,
                Ok(received) => received,
            };
            let (_length, source) = received.map_err(|error| exchange_error(upstream, error))?;
            if source != upstream {
                tracing::debug!(%upstream, %source, "ignored a datagram from another address");
                continue;
            }
            match check_reply_for_relay(&datagram, query, relayable) {
                Ok(accepted) if accepted.truncated => {
                    let response = exchange_over_tcp(upstream, query, relayable, settings.timeout)
                        .await
                        .map_err(|reason| ForwardError::TcpFallback { upstream, reason })?;
                    return Ok(ForwardedAnswer {
                        response,
                        transport: Transport::Tcp,
                        round_trip: started.elapsed(),
                    });
                }
                Ok(_) => {
                    return Ok(ForwardedAnswer {
                        response: datagram.as_slice().to_vec(),
                        transport: Transport::Udp,
                        round_trip: started.elapsed(),
                    });
                }
                Err(mismatch) => {
                    tracing::debug!(%upstream, %mismatch, "ignored a datagram that does not answer the query");
                }
            }
        }
    }
    Err(ForwardError::Timeout {
        upstream,
        attempts,
        timeout_ms: settings.timeout.as_millis(),
    })
}

/// Asks again over TCP (RFC 7766): one connection, the query with its 2-byte length prefix,
/// one answer read the same way. The whole exchange must finish within `timeout`.
async fn exchange_over_tcp(
    upstream: SocketAddr,
    query: &[u8],
    relayable: &RelayableQuery,
    timeout: Duration,
) -> Result<Vec<u8>, String> {
    let exchange = async {
        let mut stream = TcpStream::connect(upstream)
            .await
            .map_err(|error| format!("could not connect: {error}"))?;
        stream
            .set_nodelay(true)
            .map_err(|error| format!("could not set TCP_NODELAY: {error}"))?;
        let length = u16::try_from(query.len())
            .map_err(|_| format!("the query is {} bytes, too long for TCP", query.len()))?;
        let mut framed = Vec::with_capacity(query.len() + 2);
        framed.extend_from_slice(&length.to_be_bytes());
        framed.extend_from_slice(query);
        stream
            .write_all(&framed)
            .await
            .map_err(|error| format!("could not send: {error}"))?;
        let answer_length = stream
            .read_u16()
            .await
            .map_err(|error| format!("no answer length: {error}"))?;
        // Read through `take` so the buffer grows with bytes that actually arrive, not with
        // the length the server announced.
        let mut response = Vec::new();
        (&mut stream)
            .take(u64::from(answer_length))
            .read_to_end(&mut response)
            .await
            .map_err(|error| format!("reading the answer failed: {error}"))?;
        if response.len() != usize::from(answer_length) {
            return Err(format!(
                "the connection closed after {} of {answer_length} announced bytes",
                response.len()
            ));
        }
        check_reply_for_relay(&response, query, relayable).map_err(|mismatch: ReplyMismatch| {
            format!("the TCP answer does not match: {mismatch}")
        })?;
        Ok(response)
    };
    match tokio::time::timeout(timeout, exchange).await {
        Ok(result) => result,
        Err(_elapsed) => Err(format!("no answer within {} ms", timeout.as_millis())),
    }
}
