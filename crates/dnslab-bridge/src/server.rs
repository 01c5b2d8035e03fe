//! The HTTP server: routes, binding, TCP_NODELAY on accepted connections, graceful shutdown.
//!
//! Routes: `GET /dns` (the WebSocket, see [`crate::websocket`]), `GET /upstreams` (a JSON array
//! of `addr:port` strings, the default first), `GET /healthz` (`ok`), and the static site for
//! everything else (MIME types from the file extension, so `.wasm` is `application/wasm`).

use std::future::{Future, IntoFuture};
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tower_http::services::ServeDir;

use crate::config::BridgeConfig;
use crate::listener::{
    GuardedListener, PeerAddress, HTTP_CONNECTIONS_BEYOND_WEBSOCKETS, WRITE_STALL_LIMIT,
};
use crate::origin::OriginPolicy;
use crate::websocket;

/// What every request handler and connection shares.
#[derive(Debug)]
pub(crate) struct BridgeState {
    /// The configuration the bridge was started with.
    pub(crate) config: BridgeConfig,
    /// Which origins may open `/dns`.
    pub(crate) origin_policy: OriginPolicy,
    /// One permit per allowed WebSocket connection.
    pub(crate) connection_slots: Arc<Semaphore>,
    /// Becomes `true` when the bridge shuts down.
    pub(crate) shutdown: watch::Receiver<bool>,
}

/// Why the bridge could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum BridgeError {
    /// No upstream was configured.
    #[error("no upstream DNS server configured")]
    NoUpstream,
    /// More connections than the limit bookkeeping can count.
    #[error("the connection limit {0} is too large")]
    ConnectionLimitTooLarge(usize),
    /// The listening socket could not be opened.
    #[error("could not listen on {address}: {source}")]
    Bind {
        /// The address asked for.
        address: SocketAddr,
        /// The operating system's error.
        source: io::Error,
    },
    /// Serving failed.
    #[error("serving HTTP failed: {0}")]
    Serve(io::Error),
}

/// A bridge bound to its address, ready to serve.
#[derive(Debug)]
pub struct Bridge {
    listener: TcpListener,
    local_address: SocketAddr,
    state: Arc<BridgeState>,
    shutdown_sender: watch::Sender<bool>,
}

impl Bridge {
    /// Opens the listening socket (`config.listen`; port 0 picks a free port).
    pub async fn bind(config: BridgeConfig) -> Result<Self, BridgeError> {
        if config.upstreams.is_empty() {
            return Err(BridgeError::NoUpstream);
        }
        if u32::try_from(config.limits.max_connections).is_err()
            || config.limits.max_connections > Semaphore::MAX_PERMITS
        {
            return Err(BridgeError::ConnectionLimitTooLarge(
                config.limits.max_connections,
            ));
        }
        let listener =
            TcpListener::bind(config.listen)
                .await
                .map_err(|source| BridgeError::Bind {
                    address: config.listen,
                    source,
                })?;
        let local_address = listener.local_addr().map_err(|source| BridgeError::Bind {
            address: config.listen,
            source,
        })?;
        let (shutdown_sender, shutdown) = watch::channel(false);
        let state = Arc::new(BridgeState {
            origin_policy: OriginPolicy::new(&config.allowed_origins, local_address.port()),
            connection_slots: Arc::new(Semaphore::new(config.limits.max_connections)),
            config,
            shutdown,
        });
        Ok(Self {
            listener,
            local_address,
            state,
            shutdown_sender,
        })
    }

    /// The address actually bound.
    pub fn local_address(&self) -> SocketAddr {
        self.local_address
    }

    /// Serves until `shutdown` resolves, then stops accepting, lets WebSocket connections finish
    /// the queries they have in flight, closes them and returns.
    pub async fn serve(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), BridgeError> {
        let Self {
            listener,
            local_address,
            state,
            shutdown_sender,
        } = self;
        tracing::info!(
            address = %local_address,
            upstreams = ?state.config.upstreams,
            "dnslab-bridge listening"
        );
        let router = build_router(Arc::clone(&state));
        let listener = GuardedListener::new(
            listener,
            state
                .config
                .limits
                .max_connections
                .saturating_add(HTTP_CONNECTIONS_BEYOND_WEBSOCKETS),
            silence_limit(&state.config),
        );
        let drain_limit = longest_query(&state.config).saturating_add(Duration::from_secs(2));
        let (signalled, signal_seen) = tokio::sync::oneshot::channel::<()>();
        let signal_connections = async move {
            shutdown.await;
            tracing::info!("shutting down");
            let _ = shutdown_sender.send(true);
            let _ = signalled.send(());
        };
        let serving = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<PeerAddress>(),
        )
        .with_graceful_shutdown(signal_connections)
        .into_future();
        // axum's graceful shutdown waits for every HTTP connection to finish; one whose peer
        // stopped reading ends only at its write stall limit. Bound the wait, so that a signal
        // always stops the bridge.
        let drain_period_after_signal = async {
            if signal_seen.await.is_err() {
                std::future::pending::<()>().await;
            }
            tokio::time::sleep(drain_limit.max(WRITE_STALL_LIMIT)).await;
        };
        tokio::select! {
            served = serving => served.map_err(BridgeError::Serve)?,
            () = drain_period_after_signal => {
                tracing::info!("some HTTP connections were still open after the drain period");
            }
        }
        // WebSocket connections outlive axum's HTTP bookkeeping: wait until every one has given
        // its permit back, for at most as long as a query can take.
        let all_slots = u32::try_from(state.config.limits.max_connections).unwrap_or(u32::MAX);
        if tokio::time::timeout(drain_limit, state.connection_slots.acquire_many(all_slots))
            .await
            .is_err()
        {
            tracing::info!("some WebSocket connections were still open after the drain period");
        }
        Ok(())
    }
}

/// The longest one query can take: every UDP try and the TCP retry.
fn longest_query(config: &BridgeConfig) -> Duration {
    let forwarding = config.forwarding;
    forwarding
        .timeout
        .checked_mul(forwarding.udp_attempts.saturating_add(1))
        .unwrap_or(Duration::MAX)
}

/// How long a TCP connection may send nothing before it is closed: the WebSocket idle timeout,
/// plus the longest a query can take (every UDP try and the TCP retry) and a few seconds for the
/// close handshake, so that a WebSocket connection is always closed politely by its own idle
/// timer first; plain HTTP keep-alive connections get the same limit.
fn silence_limit(config: &BridgeConfig) -> Duration {
    // Capped at two days, so that no setting can make an instant overflow; the command line's
    // largest idle timeout (a day) and query timeout stay well below.
    const LONGEST: Duration = Duration::from_secs(2 * 86_400);
    config
        .limits
        .idle_timeout
        .saturating_add(longest_query(config))
        .saturating_add(Duration::from_secs(5))
        .min(LONGEST)
}

fn build_router(state: Arc<BridgeState>) -> Router {
    let mut router = Router::new()
        .route("/dns", get(websocket::dns_websocket))
        .route("/upstreams", get(list_upstreams))
        .route("/healthz", get(|| async { "ok\n" }));
    if let Some(site) = &state.config.site {
        router = router.fallback_service(ServeDir::new(site));
    }
    router.with_state(state)
}

/// `GET /upstreams`: the servers the page may pick, the default first. A page of another origin
/// that may use the WebSocket (`--allow-origin`) may read this list too: the answer then carries
/// `Access-Control-Allow-Origin` for it (and `Vary: Origin`, since the header depends on it).
async fn list_upstreams(
    State(state): State<Arc<BridgeState>>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use axum::http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, HOST, ORIGIN, VARY};
    use axum::response::IntoResponse as _;
    let upstreams: Vec<String> = state
        .config
        .upstreams
        .iter()
        .map(ToString::to_string)
        .collect();
    let mut response = Json(upstreams).into_response();
    let origin = headers.get(ORIGIN);
    let host = headers.get(HOST).map(axum::http::HeaderValue::as_bytes);
    if let Some(origin) = origin {
        if state
            .origin_policy
            .check(Some(origin.as_bytes()), host)
            .is_ok()
        {
            response
                .headers_mut()
                .insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        }
    }
    response
        .headers_mut()
        .insert(VARY, axum::http::HeaderValue::from_static("Origin"));
    response
}

/// The runtime the bridge runs on, with `threads` threads (`BridgeConfig::threads`).
///
/// One thread is the default: every step of a query (reading it from the WebSocket, the UDP
/// exchange, writing the answer back) then happens on the thread that was woken for it, while a
/// multi-threaded runtime hands tasks between threads, and each hand-over is a wake-up that
/// shows in the latency (measured with the `loadgen` example: about 66 µs median round trip
/// with Tokio's default multi-threaded runtime, 50 µs with one thread, before the other changes).
/// More threads serve more queries per second when many pages share one bridge.
pub fn runtime(threads: usize) -> io::Result<tokio::runtime::Runtime> {
    if threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .enable_all()
            .build()
    }
}

/// Raises the soft limit on open files towards what `config`'s limits can use at once, as far
/// as the hard limit allows: per WebSocket connection its TCP socket, its next query's socket
/// and two per query in flight (the UDP socket, and a TCP one after truncation); per extra HTTP
/// connection its socket and a static file; and a few for the listener, the runtime and the
/// standard streams. Returns the limit now in force and whether it covers the need; when it
/// does not, queries beyond it get a plain "too many open files" error and new connections wait.
pub fn raise_open_file_limit(config: &BridgeConfig) -> io::Result<(u64, bool)> {
    let limits = config.limits;
    let per_connection = u64::try_from(limits.max_in_flight_per_connection)
        .unwrap_or(u64::MAX)
        .saturating_mul(2)
        .saturating_add(2);
    let http_connections = u64::try_from(HTTP_CONNECTIONS_BEYOND_WEBSOCKETS).unwrap_or(u64::MAX);
    let needed = u64::try_from(limits.max_connections)
        .unwrap_or(u64::MAX)
        .saturating_mul(per_connection)
        .saturating_add(http_connections.saturating_mul(2))
        .saturating_add(32);
    let granted = rlimit::increase_nofile_limit(needed)?;
    Ok((granted, granted >= needed))
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM.
pub async fn interrupt_or_terminate() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_open_file_limit_covers_small_limits_and_reports_huge_ones() {
        let mut config = BridgeConfig::with_defaults();
        config.limits.max_connections = 2;
        config.limits.max_in_flight_per_connection = 3;
        let (granted, covered) = raise_open_file_limit(&config).expect("limit read");
        assert!(
            covered,
            "2 connections need 2 * (3 + 2) + 64 descriptors, got {granted}"
        );
        assert!(granted >= 74);
        config.limits.max_connections = usize::MAX;
        let (_, covered) = raise_open_file_limit(&config).expect("limit read");
        assert!(!covered, "no system grants u64::MAX descriptors");
    }
}
