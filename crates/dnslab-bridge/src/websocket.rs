//! `GET /dns`: the WebSocket on which the page sends DNS queries and gets the answers back.
//!
//! The handshake is refused (and logged) when the page's origin is not allowed (403), when
//! `?upstream=` names a server that is not configured (403) or when the bridge already has its
//! maximum number of connections (503). Each accepted connection is one task that reads queries,
//! checks them, and keeps up to `max_in_flight_per_connection` of them waiting for their upstream
//! at once; answers go back in the order they arrive. See [`crate::protocol`] for the messages.

use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::ws::{close_code, CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::header::{HOST, ORIGIN};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use dnslab_core::relay::{check_query_for_relay, RelayableQuery, MAX_DNS_MESSAGE_LENGTH};
use futures_util::stream::FuturesUnordered;
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use tokio::sync::OwnedSemaphorePermit;

use crate::config::ForwardingSettings;
use crate::forward::{forward_query, ForwardError, ForwardedAnswer, LaunchedQuery, QuerySocket};
use crate::limits::{RefusalLogThrottle, TokenBucket};
use crate::listener::{poll_lazy_deadline, PeerAddress};
use crate::protocol::{AnswerMetadata, ErrorReport};
use crate::server::BridgeState;

/// Bytes tungstenite reads from the socket at a time. Its default (128 KiB) would be reserved
/// for every connection; DNS queries are small, so a small buffer keeps idle connections cheap.
const WEBSOCKET_READ_BUFFER_SIZE: usize = 4096;

/// Each connection logs at most one refused message per interval (with a count of the others).
const REFUSAL_LOG_INTERVAL: std::time::Duration = std::time::Duration::from_secs(1);

/// How long to wait for the page's reply to our close frame before dropping the connection.
const CLOSE_HANDSHAKE_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// The query string of `/dns`.
#[derive(Debug, Deserialize)]
pub(crate) struct DnsParameters {
    /// Which configured upstream this connection queries, as `addr:port`.
    upstream: Option<String>,
}

/// Picks the upstream named by `?upstream=`, which must be one of the configured ones;
/// without it, the first.
pub(crate) fn choose_upstream(
    configured: &[SocketAddr],
    requested: Option<&str>,
) -> Result<SocketAddr, String> {
    let Some(requested) = requested else {
        return configured
            .first()
            .copied()
            .ok_or_else(|| "the bridge has no upstream configured".to_owned());
    };
    let parsed: Option<SocketAddr> = requested.trim().parse().ok();
    match parsed {
        Some(address) if configured.contains(&address) => Ok(address),
        _ => Err(format!(
            "upstream {requested:?} is not one of this bridge's upstreams (see /upstreams)"
        )),
    }
}

/// Handles the handshake of `GET /dns`.
pub(crate) async fn dns_websocket(
    State(state): State<Arc<BridgeState>>,
    ConnectInfo(PeerAddress(peer)): ConnectInfo<PeerAddress>,
    Query(parameters): Query<DnsParameters>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let origin = headers.get(ORIGIN).map(|value| value.as_bytes());
    let host = headers.get(HOST).map(|value| value.as_bytes());
    if let Err(refusal) = state.origin_policy.check(origin, host) {
        tracing::info!(%peer, reason = %refusal, "refused a WebSocket handshake");
        return (StatusCode::FORBIDDEN, format!("{refusal}\n")).into_response();
    }
    let upstream = match choose_upstream(&state.config.upstreams, parameters.upstream.as_deref()) {
        Ok(upstream) => upstream,
        Err(reason) => {
            tracing::info!(%peer, %reason, "refused a WebSocket handshake");
            return (StatusCode::FORBIDDEN, format!("{reason}\n")).into_response();
        }
    };
    if *state.shutdown.borrow() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "the bridge is shutting down\n",
        )
            .into_response();
    }
    let Ok(permit) = Arc::clone(&state.connection_slots).try_acquire_owned() else {
        let limit = state.config.limits.max_connections;
        tracing::info!(%peer, limit, "refused a WebSocket handshake: connection limit reached");
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("the bridge already has its maximum of {limit} connections\n"),
        )
            .into_response();
    };
    tracing::debug!(%peer, %upstream, "WebSocket connection accepted");
    upgrade
        .max_message_size(MAX_DNS_MESSAGE_LENGTH)
        .max_frame_size(MAX_DNS_MESSAGE_LENGTH)
        .read_buffer_size(WEBSOCKET_READ_BUFFER_SIZE)
        .on_upgrade(move |socket| {
            let connection = Connection {
                peer,
                upstream,
                forwarding: state.config.forwarding,
                rate_limit: TokenBucket::new(
                    state.config.limits.queries_per_second_per_connection,
                    Instant::now(),
                ),
                refusal_log: RefusalLogThrottle::new(REFUSAL_LOG_INTERVAL),
                next_query_socket: None,
                wants_next_query_socket: false,
                state,
                _slot: permit,
            };
            connection.run(socket)
        })
}

/// One WebSocket connection's state.
struct Connection {
    /// Who connected, for the logs.
    peer: SocketAddr,
    /// The upstream chosen at connect time.
    upstream: SocketAddr,
    /// Timeouts and retries.
    forwarding: ForwardingSettings,
    /// Messages per second.
    rate_limit: TokenBucket,
    /// Keeps a flood of refused messages from flooding the log.
    refusal_log: RefusalLogThrottle,
    /// Shared settings and the shutdown signal.
    state: Arc<BridgeState>,
    /// The socket the next query will leave from, opened when the connection has nothing else
    /// to do (no answer to pass on, no message to read), so that opening it is not part of any
    /// query's round trip unless queries arrive back to back.
    next_query_socket: Option<QuerySocket>,
    /// Set when a query takes the socket opened ahead, cleared when opening the next one is
    /// tried (once: after a failure, the next query opens its own and reports the error).
    /// Connections that never query hold no socket.
    wants_next_query_socket: bool,
    /// Held while the connection lives, so the connection limit counts it.
    _slot: OwnedSemaphorePermit,
}

/// What a query waiting for its upstream resolves to: its ID, the answer or error, and its
/// socket, to be closed once the page has the answer.
type QueryOutcome = (
    u16,
    Result<ForwardedAnswer, ForwardError>,
    Option<LaunchedQuery>,
);

/// Forwards one admitted query; the future is polled by the connection's task.
async fn forward_admitted_query(
    launched: Result<LaunchedQuery, ForwardError>,
    query: Bytes,
    relayable: RelayableQuery,
    forwarding: ForwardingSettings,
) -> QueryOutcome {
    match launched {
        Ok(mut launched) => {
            let outcome = forward_query(&mut launched, &query, &relayable, &forwarding).await;
            (relayable.id, outcome, Some(launched))
        }
        Err(error) => (relayable.id, Err(error), None),
    }
}

/// Why the connection loop stops.
enum Ending {
    /// The page closed or the connection broke: nothing more to send.
    Gone,
    /// Close with this code and reason, then wait briefly for the page's close reply.
    Close(u16, &'static str),
    /// Close with this code and reason and read nothing more: the input is unusable.
    CloseWithoutReading(u16, &'static str),
}

impl Connection {
    async fn run(mut self, mut socket: WebSocket) {
        let limits = self.state.config.limits;
        let mut in_flight = FuturesUnordered::new();
        let mut shutdown = self.state.shutdown.clone();
        let mut draining = *shutdown.borrow_and_update();
        // The idle timer is re-armed only when it fires (`poll_lazy_deadline`): moving a timer on
        // every message would cost a timer-wheel update per query.
        let mut last_activity = tokio::time::Instant::now();
        let mut idle = pin!(tokio::time::sleep(limits.idle_timeout));
        let ending = loop {
            if draining && in_flight.is_empty() {
                break Ending::Close(close_code::AWAY, "the bridge is shutting down");
            }
            tokio::select! {
                // In this order: answers go back before new queries are read, and the last
                // branch runs only when nothing else is ready.
                biased;
                // Every branch is cancel-safe: `changed`, `next` on FuturesUnordered and
                // `recv` on the WebSocket keep their progress when another branch wins.
                _ = shutdown.changed(), if !draining => {
                    // Finish the queries in flight, read no new ones, then close.
                    draining = true;
                }
                Some((id, outcome, used_socket)) = in_flight.next(), if !in_flight.is_empty() => {
                    last_activity = tokio::time::Instant::now();
                    let sent = self.send_outcome(&mut socket, id, outcome).await;
                    drop(used_socket);
                    if sent.is_err() {
                        break Ending::Gone;
                    }
                }
                received = socket.recv(), if !draining => {
                    last_activity = tokio::time::Instant::now();
                    match received {
                        None | Some(Ok(Message::Close(_))) => {
                            // Let tungstenite write its reply to the page's close frame.
                            let _ = socket.flush().await;
                            break Ending::Gone;
                        }
                        Some(Ok(Message::Binary(query))) => {
                            match self.admit_query(&query, in_flight.len(), limits.max_in_flight_per_connection) {
                                Ok(relayable) => {
                                    // The query leaves now; its future then only waits.
                                    let launched = self.take_query_socket().map(|socket| socket.launch(&query));
                                    in_flight.push(forward_admitted_query(launched, query, relayable, self.forwarding));
                                }
                                Err(report) => {
                                    if send_text(&mut socket, report.to_json()).await.is_err() {
                                        break Ending::Gone;
                                    }
                                }
                            }
                        }
                        Some(Ok(Message::Text(_))) => {
                            let report = if self.rate_limit.try_take(Instant::now()) {
                                self.refuse(None, "send DNS queries as binary WebSocket messages; text is not forwarded")
                            } else {
                                self.refuse_over_rate(None)
                            };
                            if send_text(&mut socket, report.to_json()).await.is_err() {
                                break Ending::Gone;
                            }
                        }
                        // tungstenite answers pings by itself.
                        Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                        Some(Err(error)) => break self.read_failed(&mut socket, error).await,
                    }
                }
                () = std::future::poll_fn(|context| {
                    poll_lazy_deadline(idle.as_mut(), last_activity + limits.idle_timeout, context)
                }), if in_flight.is_empty() && !draining => {
                    tracing::info!(peer = %self.peer, seconds = limits.idle_timeout.as_secs_f64(), "closed an idle WebSocket connection");
                    break Ending::Close(close_code::NORMAL, "idle timeout");
                }
                () = std::future::ready(()), if self.wants_next_query_socket && !draining => {
                    self.wants_next_query_socket = false;
                    // An error here (out of descriptors, say) is reported with the next query,
                    // which then tries to open its own socket.
                    self.next_query_socket = QuerySocket::open(self.upstream).ok();
                }
            }
        };
        match ending {
            Ending::Gone => {}
            Ending::Close(code, reason) => {
                if send_close(&mut socket, code, reason).await.is_ok() {
                    // Give the page a moment to answer the close frame, so the TCP connection
                    // ends cleanly; whatever else it sends is ignored.
                    let _ = tokio::time::timeout(CLOSE_HANDSHAKE_WAIT, async {
                        while let Some(Ok(_)) = socket.recv().await {}
                    })
                    .await;
                }
            }
            Ending::CloseWithoutReading(code, reason) => {
                let _ = send_close(&mut socket, code, reason).await;
            }
        }
    }

    /// The socket opened ahead for this query, or a new one when there is none (the first query,
    /// or several queries arriving together).
    fn take_query_socket(&mut self) -> Result<QuerySocket, ForwardError> {
        self.wants_next_query_socket = true;
        match self.next_query_socket.take() {
            Some(socket) => Ok(socket),
            None => QuerySocket::open(self.upstream),
        }
    }

    /// Applies the rate limit, the query checks and the in-flight limit, in that order.
    fn admit_query(
        &mut self,
        query: &[u8],
        in_flight: usize,
        max_in_flight: usize,
    ) -> Result<RelayableQuery, ErrorReport> {
        if !self.rate_limit.try_take(Instant::now()) {
            return Err(self.refuse_over_rate(Some(query)));
        }
        let relayable = check_query_for_relay(query)
            .map_err(|refusal| self.refuse(Some(query), format!("not forwarded: {refusal}")))?;
        if in_flight >= max_in_flight {
            return Err(self.refuse(
                Some(query),
                format!("not forwarded: already {max_in_flight} queries waiting for an answer on this connection (the limit)"),
            ));
        }
        Ok(relayable)
    }

    fn refuse_over_rate(&mut self, message: Option<&[u8]>) -> ErrorReport {
        let limit = self.state.config.limits.queries_per_second_per_connection;
        self.refuse(
            message,
            format!("not forwarded: more than {limit} messages per second on this connection (the limit)"),
        )
    }

    /// Logs a refused message at info level (throttled per connection) and builds the error for
    /// the page.
    fn refuse(&mut self, message: Option<&[u8]>, reason: impl ToString) -> ErrorReport {
        let reason = reason.to_string();
        if let Some(not_logged) = self.refusal_log.record(Instant::now()) {
            tracing::info!(peer = %self.peer, %reason, earlier_refusals_not_logged = not_logged, "refused a message");
        }
        match message {
            Some(message) => ErrorReport::about_message(message, reason),
            None => ErrorReport::general(reason),
        }
    }

    /// Sends the metadata and the answer, or the error.
    async fn send_outcome(
        &self,
        socket: &mut WebSocket,
        id: u16,
        outcome: Result<ForwardedAnswer, ForwardError>,
    ) -> Result<(), axum::Error> {
        match outcome {
            Ok(answer) => {
                let metadata = AnswerMetadata::describe(id, self.upstream, &answer).to_json();
                // `feed` queues without flushing, so both messages usually leave in one write.
                socket.feed(Message::Text(metadata.into())).await?;
                socket.send(Message::Binary(answer.response.into())).await
            }
            Err(error) => {
                tracing::debug!(peer = %self.peer, upstream = %self.upstream, %error, "query failed");
                let report = ErrorReport {
                    id: Some(id),
                    error: error.to_string(),
                };
                send_text(socket, report.to_json()).await
            }
        }
    }

    /// Decides how to end after a failed read. A message over the size limit cannot be skipped
    /// (the rest of its frame is still unread), so the page is told why and the connection is
    /// closed without reading further.
    async fn read_failed(&mut self, socket: &mut WebSocket, error: axum::Error) -> Ending {
        let inner = error.into_inner();
        let too_long = inner
            .downcast_ref::<tungstenite::Error>()
            .and_then(|error| match error {
                tungstenite::Error::Capacity(
                    tungstenite::error::CapacityError::MessageTooLong { size, .. },
                ) => Some(*size),
                _ => None,
            });
        match too_long {
            Some(size) => {
                let report = self.refuse(
                    None,
                    format!("not forwarded: a {size}-byte message is longer than the largest DNS message ({MAX_DNS_MESSAGE_LENGTH} bytes); closing the connection"),
                );
                let _ = send_text(socket, report.to_json()).await;
                Ending::CloseWithoutReading(close_code::SIZE, "message too big")
            }
            None => {
                tracing::info!(peer = %self.peer, error = %inner, "closed a WebSocket connection after a protocol error");
                Ending::CloseWithoutReading(close_code::PROTOCOL, "protocol error")
            }
        }
    }
}

async fn send_text(socket: &mut WebSocket, text: String) -> Result<(), axum::Error> {
    socket.send(Message::Text(text.into())).await
}

async fn send_close(
    socket: &mut WebSocket,
    code: u16,
    reason: &'static str,
) -> Result<(), axum::Error> {
    socket
        .send(Message::Close(Some(CloseFrame {
            code,
            reason: reason.into(),
        })))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_configured_upstreams_can_be_chosen() {
        let configured: Vec<SocketAddr> = vec![
            "127.0.0.1:1053".parse().expect("address"),
            "[::1]:53".parse().expect("address"),
        ];
        assert_eq!(choose_upstream(&configured, None), Ok(configured[0]));
        assert_eq!(
            choose_upstream(&configured, Some("[::1]:53")),
            Ok(configured[1])
        );
        assert!(choose_upstream(&configured, Some("127.0.0.2:1053")).is_err());
        assert!(choose_upstream(&configured, Some("localhost:1053")).is_err());
        assert!(choose_upstream(&[], None).is_err());
    }
}
