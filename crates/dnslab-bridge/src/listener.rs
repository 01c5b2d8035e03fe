//! The bridge's TCP listener: a cap on open connections, TCP_NODELAY, and a backstop for
//! connections that fall silent.
//!
//! The WebSocket limit (`--max-connections`, answered with HTTP 503) only counts connections that
//! asked for `/dns`; without a cap here, anything that reaches the port could still hold
//! thousands of plain HTTP connections open, each costing a descriptor, until the bridge could
//! not open the UDP sockets its queries need. So at most `max_connections` +
//! [`HTTP_CONNECTIONS_BEYOND_WEBSOCKETS`] TCP connections are open at once: when they are all
//! taken, the bridge stops accepting (new connections wait in the kernel's backlog) until one
//! closes. A connection from which nothing has been read for the silence limit is closed:
//! hyper, as axum runs it, has no timeout of its own for a keep-alive connection waiting for its
//! next request. WebSocket connections are closed politely by their own idle timer first (see
//! [`crate::websocket`]); the silence limit leaves a few seconds of room for that. And a
//! connection whose peer reads nothing, so that a write has waited for the write stall limit
//! without progress, is closed too: otherwise a client that sends requests or queries and never
//! reads the answers would hold its task, its slot and its sockets for ever, and keep a graceful
//! shutdown waiting.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};

/// TCP connections allowed beyond the WebSocket limit: room for loading the page, `/upstreams`,
/// `/healthz` and for the 403/503 answers that refuse a WebSocket, even when every WebSocket
/// slot is taken.
pub const HTTP_CONNECTIONS_BEYOND_WEBSOCKETS: usize = 64;

/// The longest a write may wait without progress before the connection is closed (shorter
/// when the silence limit is).
pub const WRITE_STALL_LIMIT: Duration = Duration::from_secs(30);

/// How often, at most, the "all connections taken" message is logged.
const FULL_LOG_INTERVAL: Duration = Duration::from_secs(10);

/// The peer of a connection, for axum's `ConnectInfo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerAddress(pub SocketAddr);

impl Connected<IncomingStream<'_, GuardedListener>> for PeerAddress {
    fn connect_info(stream: IncomingStream<'_, GuardedListener>) -> Self {
        Self(*stream.remote_addr())
    }
}

/// A TCP listener that holds one permit per open connection.
#[derive(Debug)]
pub struct GuardedListener {
    listener: TcpListener,
    slots: Arc<Semaphore>,
    capacity: usize,
    silence_limit: Duration,
    last_full_log: Option<Instant>,
}

impl GuardedListener {
    /// Accepts at most `capacity` connections at once and closes those silent for
    /// `silence_limit`.
    pub fn new(listener: TcpListener, capacity: usize, silence_limit: Duration) -> Self {
        Self {
            listener,
            slots: Arc::new(Semaphore::new(capacity.min(Semaphore::MAX_PERMITS))),
            capacity,
            silence_limit,
            last_full_log: None,
        }
    }

    async fn take_slot(&mut self) -> OwnedSemaphorePermit {
        if let Ok(permit) = Arc::clone(&self.slots).try_acquire_owned() {
            return permit;
        }
        let now = Instant::now();
        if self
            .last_full_log
            .is_none_or(|logged| now.duration_since(logged) >= FULL_LOG_INTERVAL)
        {
            self.last_full_log = Some(now);
            tracing::info!(
                limit = self.capacity,
                "all TCP connection slots are taken; new connections wait until one closes"
            );
        }
        match Arc::clone(&self.slots).acquire_owned().await {
            Ok(permit) => permit,
            // The semaphore is never closed; if it were, accepting nothing is the safe answer.
            Err(_closed) => std::future::pending().await,
        }
    }
}

impl Listener for GuardedListener {
    type Io = GuardedStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (GuardedStream, SocketAddr) {
        let slot = self.take_slot().await;
        loop {
            match self.listener.accept().await {
                Ok((stream, peer)) => {
                    // Answers are small and latency matters: never let Nagle's algorithm hold
                    // them back.
                    if let Err(error) = stream.set_nodelay(true) {
                        tracing::debug!(%error, "could not set TCP_NODELAY on an accepted connection");
                    }
                    return (GuardedStream::new(stream, slot, self.silence_limit), peer);
                }
                Err(error) if is_per_connection_error(&error) => {}
                Err(error) => {
                    // Out of descriptors, most likely: waiting lets other connections close.
                    tracing::warn!(%error, "accepting a connection failed; retrying in a second");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }
}

/// Errors that concern only the connection being accepted, not the listener.
fn is_per_connection_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// An accepted connection: holds its slot until dropped, and fails a read once nothing has
/// arrived for the silence limit.
#[derive(Debug)]
pub struct GuardedStream {
    stream: TcpStream,
    silence_limit: Duration,
    last_read: Instant,
    /// Re-armed only when it fires (to the last read plus the limit), so that a read costs no
    /// timer update.
    silence_timer: Pin<Box<Sleep>>,
    write_stall_limit: Duration,
    /// When the current run of writes without progress began; `None` while writes progress.
    write_blocked_since: Option<Instant>,
    /// Created at the first stalled write, then re-armed lazily like the silence timer.
    write_stall_timer: Option<Pin<Box<Sleep>>>,
    _slot: OwnedSemaphorePermit,
}

impl GuardedStream {
    fn new(stream: TcpStream, slot: OwnedSemaphorePermit, silence_limit: Duration) -> Self {
        let now = Instant::now();
        Self {
            stream,
            silence_limit,
            last_read: now,
            silence_timer: Box::pin(tokio::time::sleep_until(now + silence_limit)),
            write_stall_limit: silence_limit.min(WRITE_STALL_LIMIT),
            write_blocked_since: None,
            write_stall_timer: None,
            _slot: slot,
        }
    }

    /// While a write waits: `Ready` with an error once writes have made no progress for the
    /// write stall limit.
    fn poll_write_stall(&mut self, context: &mut Context<'_>) -> Poll<io::Error> {
        let blocked_since = *self.write_blocked_since.get_or_insert_with(Instant::now);
        let give_up_at = blocked_since + self.write_stall_limit;
        let timer = self
            .write_stall_timer
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(give_up_at)));
        poll_lazy_deadline(timer.as_mut(), give_up_at, context).map(|()| {
            io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "the peer read nothing for {} s; connection closed",
                    self.write_stall_limit.as_secs()
                ),
            )
        })
    }

    /// Passes on a write's result, tracking whether writes progress.
    fn track_write<T>(
        &mut self,
        context: &mut Context<'_>,
        polled: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        match polled {
            Poll::Ready(result) => {
                self.write_blocked_since = None;
                Poll::Ready(result)
            }
            Poll::Pending => self.poll_write_stall(context).map(Err),
        }
    }

    /// While a read waits: `Ready` with an error once the connection has been silent too long.
    fn poll_silence(&mut self, context: &mut Context<'_>) -> Poll<io::Error> {
        let silent_until = self.last_read + self.silence_limit;
        poll_lazy_deadline(self.silence_timer.as_mut(), silent_until, context).map(|()| {
            io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "nothing received for {} s; connection closed",
                    self.silence_limit.as_secs()
                ),
            )
        })
    }
}

/// `Ready` once `deadline` has passed. `timer` is armed at some earlier or equal instant and is
/// moved only when it fires, so that moving the deadline (on every read or message, say) costs
/// no timer update. Used for the silence and write-stall limits here and for the WebSocket idle
/// timeout.
pub(crate) fn poll_lazy_deadline(
    mut timer: Pin<&mut Sleep>,
    deadline: Instant,
    context: &mut Context<'_>,
) -> Poll<()> {
    loop {
        if timer.as_mut().poll(context).is_pending() {
            return Poll::Pending;
        }
        if deadline <= Instant::now() {
            return Poll::Ready(());
        }
        timer.as_mut().reset(deadline);
    }
}

impl AsyncRead for GuardedStream {
    fn poll_read(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffer: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let filled_before = buffer.filled().len();
        match Pin::new(&mut this.stream).poll_read(context, buffer) {
            Poll::Ready(result) => {
                if buffer.filled().len() > filled_before {
                    this.last_read = Instant::now();
                }
                Poll::Ready(result)
            }
            Poll::Pending => this.poll_silence(context).map(Err),
        }
    }
}

impl AsyncWrite for GuardedStream {
    fn poll_write(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
        bytes: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.stream).poll_write(context, bytes);
        this.track_write(context, polled)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffers: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.stream).poll_write_vectored(context, buffers);
        this.track_write(context, polled)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.stream).poll_flush(context);
        this.track_write(context, polled)
    }

    fn poll_shutdown(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.stream).poll_shutdown(context);
        this.track_write(context, polled)
    }
}
