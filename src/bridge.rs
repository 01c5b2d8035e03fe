//! The page's side of the bridge (`dnslab-bridge`): one WebSocket to `/dns?upstream=…`, its
//! connection state with reconnection after a backoff, and each query's answer or error matched
//! to the query by its DNS ID, as `crates/dnslab-bridge/src/protocol.rs` defines the messages.
//!
//! The socket lives in a thread-local (the page has one thread), not in a component, so it
//! survives switching tabs. Everything it learns reaches the store as a [`BridgeEvent`] through
//! the callback given to [`connect`].

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::Callback;

/// Where the connection stands, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectionStatus {
    /// No bridge asked for yet.
    Idle,
    /// The handshake is under way.
    Connecting,
    /// Queries can be sent.
    Open,
    /// The socket closed; `retry_in_ms` says when the next attempt starts (none after the user
    /// closed it or chose another bridge).
    Closed {
        /// Why, in plain words.
        reason: String,
        /// Milliseconds until the next attempt.
        retry_in_ms: Option<u32>,
    },
}

/// The bridge's description of an answer (the text message before the binary one).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AnswerMetadata {
    /// The query's DNS ID.
    pub id: u16,
    /// Which upstream answered, `addr:port`.
    pub upstream: String,
    /// `udp`, or `tcp` after a truncated UDP answer.
    pub transport: String,
    /// The bridge's own round trip to the upstream, microseconds.
    pub rtt_us: u64,
    /// The response's length.
    pub bytes: usize,
}

/// The bridge's error message.
#[derive(Debug, Clone, Deserialize)]
struct ErrorReport {
    id: Option<u16>,
    error: String,
}

/// What the bridge client tells the store.
#[derive(Debug, Clone, PartialEq)]
pub enum BridgeEvent {
    /// The connection changed state.
    Status(ConnectionStatus),
    /// `GET /upstreams` answered (or failed, in plain words).
    Upstreams(Result<Vec<String>, String>),
    /// An answer to query `metadata.id`: the bridge's metadata, the response and the time the
    /// page measured from sending to the last byte, in milliseconds.
    Answer {
        /// The bridge's metadata.
        metadata: AnswerMetadata,
        /// The response as the upstream sent it.
        response: Rc<Vec<u8>>,
        /// The page's round trip.
        page_ms: f64,
    },
    /// The bridge refused a query or got no answer for it.
    Failed {
        /// The query's ID, when the bridge could tell it.
        id: Option<u16>,
        /// The bridge's words.
        error: String,
    },
}

/// The longest wait between two reconnection attempts.
const MAX_BACKOFF_MS: u32 = 30_000;
/// The first wait.
const FIRST_BACKOFF_MS: u32 = 500;
/// How long an answer may take before the page draws its query as waiting. A faster answer is
/// drawn together with its query, in one render: drawing while the answer is in flight would
/// keep the page's only thread busy when the answer arrives, and delay reading it.
const SHOW_WAITING_AFTER_MS: i32 = 100;

/// A query sent and not yet answered.
struct InFlight {
    /// When it was sent (`performance.now()`, ms).
    sent_at: f64,
    /// Tells the store about the query; run once, before its answer or failure is told, or
    /// after [`SHOW_WAITING_AFTER_MS`] without one.
    announce: Option<Box<dyn FnOnce()>>,
}

struct Client {
    socket: web_sys::WebSocket,
    url: String,
    /// Queries sent and not yet answered, by ID.
    pending: HashMap<u16, InFlight>,
    /// The metadata whose binary message comes next.
    awaiting_bytes: Option<AnswerMetadata>,
    /// Failed attempts since the last open connection.
    attempts: u32,
    /// Set when the page closed the socket on purpose: no reconnection.
    closing_on_purpose: bool,
    on_event: Callback<BridgeEvent>,
    /// The socket's handlers, kept alive as long as the socket.
    _handlers: Vec<Closure<dyn FnMut(JsValue)>>,
}

thread_local! {
    static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
}

/// The WebSocket URL of the bridge at `base` (an `http(s)://host:port` page URL, or empty for the
/// page's own origin) for `upstream` (empty: the bridge's default).
pub fn socket_url(base: &str, upstream: &str) -> String {
    let base = if base.trim().is_empty() {
        web_sys::window()
            .and_then(|window| window.location().origin().ok())
            .unwrap_or_default()
    } else {
        base.trim().trim_end_matches('/').to_owned()
    };
    let base = if let Some(rest) = base.strip_prefix("https://") {
        format!("wss://{rest}")
    } else if let Some(rest) = base.strip_prefix("http://") {
        format!("ws://{rest}")
    } else if base.starts_with("ws://") || base.starts_with("wss://") {
        base
    } else {
        format!("ws://{base}")
    };
    let base = base.trim_end_matches("/dns").to_owned();
    if upstream.is_empty() {
        format!("{base}/dns")
    } else {
        format!("{base}/dns?upstream={}", encode_query_value(upstream))
    }
}

/// The HTTP URL of `/upstreams` for the bridge at `base` (empty: the page's own origin).
pub fn upstreams_url(base: &str) -> String {
    let base = base.trim().trim_end_matches('/');
    let base = base.trim_end_matches("/dns");
    let base = if let Some(rest) = base.strip_prefix("wss://") {
        format!("https://{rest}")
    } else if let Some(rest) = base.strip_prefix("ws://") {
        format!("http://{rest}")
    } else if base.is_empty() || base.contains("://") {
        base.to_owned()
    } else {
        format!("http://{base}")
    };
    format!("{base}/upstreams")
}

fn encode_query_value(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' | b':' => {
                (byte as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Asks the bridge at `base` for its upstreams; the answer arrives as [`BridgeEvent::Upstreams`].
pub fn fetch_upstreams(base: &str, on_event: Callback<BridgeEvent>) {
    let url = upstreams_url(base);
    wasm_bindgen_futures::spawn_local(async move {
        on_event.emit(BridgeEvent::Upstreams(get_upstreams(&url).await));
    });
}

async fn get_upstreams(url: &str) -> Result<Vec<String>, String> {
    let window = web_sys::window().ok_or("no browser window")?;
    let unreachable = |_| format!("No bridge answered at {url}.");
    let response = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(unreachable)?;
    let response: web_sys::Response = response
        .dyn_into()
        .map_err(|_| "the browser gave no HTTP response".to_owned())?;
    if !response.ok() {
        return Err(format!(
            "{url} answered HTTP {}: this server is not a dnslab bridge, or it refuses this page.",
            response.status()
        ));
    }
    let json = response
        .json()
        .map_err(|_| "the answer is not JSON".to_owned())?;
    let value = wasm_bindgen_futures::JsFuture::from(json)
        .await
        .map_err(|_| format!("{url} did not answer with a JSON list of upstreams."))?;
    serde_wasm_bindgen::from_value(value)
        .map_err(|_| format!("{url} did not answer with a JSON list of upstreams."))
}

/// Opens (or re-opens) the socket to `url`, closing any other one.
pub fn connect(url: &str, on_event: Callback<BridgeEvent>) {
    disconnect();
    open(url.to_owned(), 0, on_event);
}

/// Closes the socket on purpose (no reconnection).
pub fn disconnect() {
    let previous = CLIENT.with(|client| client.borrow_mut().take());
    if let Some(mut previous) = previous {
        // Queries in flight keep their place in the history.
        for in_flight in previous.pending.values_mut() {
            if let Some(announce) = in_flight.announce.take() {
                announce();
            }
        }
        previous.closing_on_purpose = true;
        detach(&previous.socket);
        let _ = previous.socket.close();
        previous
            .on_event
            .emit(BridgeEvent::Status(ConnectionStatus::Idle));
    }
}

/// Sends one query; the answer arrives as an event. Errors (no open socket) come back at once,
/// and `announce` is not run. On success `announce` (which tells the store the query is on its
/// way) runs just before the answer's event, or after [`SHOW_WAITING_AFTER_MS`] if the answer is
/// slower, so that a fast answer costs one render.
pub fn send(query: &[u8], announce: impl FnOnce() + 'static) -> Result<(), String> {
    let id = match query {
        [high, low, ..] => u16::from_be_bytes([*high, *low]),
        _ => return Err("the query is shorter than a DNS header".to_owned()),
    };
    CLIENT.with(|client| {
        let mut client = client.borrow_mut();
        let client = client
            .as_mut()
            .ok_or("Not connected to a bridge: connect first.")?;
        if client.socket.ready_state() != web_sys::WebSocket::OPEN {
            return Err("The bridge connection is not open yet.".to_owned());
        }
        let sent_at = now_ms();
        client
            .socket
            .send_with_u8_array(query)
            .map_err(|_| "The browser could not send on the WebSocket.".to_owned())?;
        client.pending.insert(
            id,
            InFlight {
                sent_at,
                announce: Some(Box::new(announce)),
            },
        );
        Ok(())
    })?;
    let show_waiting = Closure::once_into_js(move || announce_in_flight(id));
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            show_waiting.unchecked_ref(),
            SHOW_WAITING_AFTER_MS,
        );
    }
    Ok(())
}

/// Runs the announcement of query `id` if it has not run yet (outside the client's borrow: it
/// dispatches into the store).
fn announce_in_flight(id: u16) {
    let announce = with_client(|client| {
        client
            .pending
            .get_mut(&id)
            .and_then(|in_flight| in_flight.announce.take())
    })
    .flatten();
    if let Some(announce) = announce {
        announce();
    }
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or(0.0, |performance| performance.now())
}

fn detach(socket: &web_sys::WebSocket) {
    socket.set_onopen(None);
    socket.set_onclose(None);
    socket.set_onmessage(None);
    socket.set_onerror(None);
}

fn open(url: String, attempts: u32, on_event: Callback<BridgeEvent>) {
    on_event.emit(BridgeEvent::Status(ConnectionStatus::Connecting));
    let socket = match web_sys::WebSocket::new(&url) {
        Ok(socket) => socket,
        Err(_) => {
            on_event.emit(BridgeEvent::Status(ConnectionStatus::Closed {
                reason: format!("“{url}” is not a WebSocket address."),
                retry_in_ms: None,
            }));
            return;
        }
    };
    socket.set_binary_type(web_sys::BinaryType::Arraybuffer);
    let on_open = Closure::<dyn FnMut(JsValue)>::new(|_| {
        let event = with_client(|client| {
            client.attempts = 0;
            client.on_event.clone()
        });
        if let Some(on_event) = event {
            on_event.emit(BridgeEvent::Status(ConnectionStatus::Open));
        }
    });
    let on_message = Closure::<dyn FnMut(JsValue)>::new(|event: JsValue| {
        if let Ok(event) = event.dyn_into::<web_sys::MessageEvent>() {
            receive(&event.data());
        }
    });
    let on_close = Closure::<dyn FnMut(JsValue)>::new(|event: JsValue| {
        let reason = event
            .dyn_into::<web_sys::CloseEvent>()
            .ok()
            .map(|close| close_reason(close.code(), &close.reason()))
            .unwrap_or_else(|| "the connection closed".to_owned());
        closed(reason);
    });
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    CLIENT.with(|client| {
        *client.borrow_mut() = Some(Client {
            socket,
            url,
            pending: HashMap::new(),
            awaiting_bytes: None,
            attempts,
            closing_on_purpose: false,
            on_event,
            _handlers: vec![on_open, on_message, on_close],
        });
    });
}

fn with_client<T>(work: impl FnOnce(&mut Client) -> T) -> Option<T> {
    CLIENT.with(|client| client.borrow_mut().as_mut().map(work))
}

/// Plain words for a WebSocket close code (RFC 6455 §7.4.1).
fn close_reason(code: u16, reason: &str) -> String {
    let words = match code {
        1000 => "the bridge closed the connection",
        1001 => "the bridge is shutting down",
        1006 => "the connection failed or was cut (is the bridge running, and does it allow this page's origin?)",
        1008 => "the bridge refused this page (policy)",
        1011 => "the bridge hit an internal error",
        1013 => "the bridge is busy; try again later",
        _ => "the connection closed",
    };
    if reason.is_empty() {
        format!("{words} (code {code})")
    } else {
        format!("{words}: {reason} (code {code})")
    }
}

fn closed(reason: String) {
    let Some(mut client) = CLIENT.with(|client| client.borrow_mut().take()) else {
        return;
    };
    detach(&client.socket);
    if client.closing_on_purpose {
        return;
    }
    // Queries in flight will get no answer now.
    for (id, in_flight) in &mut client.pending {
        if let Some(announce) = in_flight.announce.take() {
            announce();
        }
        client.on_event.emit(BridgeEvent::Failed {
            id: Some(*id),
            error: format!("No answer: {reason}."),
        });
    }
    let delay = FIRST_BACKOFF_MS
        .saturating_mul(1 << client.attempts.min(6))
        .min(MAX_BACKOFF_MS);
    client
        .on_event
        .emit(BridgeEvent::Status(ConnectionStatus::Closed {
            reason,
            retry_in_ms: Some(delay),
        }));
    let url = client.url.clone();
    let attempts = client.attempts + 1;
    let on_event = client.on_event.clone();
    let retry = Closure::once_into_js(move || {
        // Only when nothing else was opened meanwhile.
        if CLIENT.with(|client| client.borrow().is_none()) {
            open(url, attempts, on_event);
        }
    });
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            retry.unchecked_ref(),
            i32::try_from(delay).unwrap_or(i32::MAX),
        );
    }
}

fn receive(data: &JsValue) {
    if let Some(text) = data.as_string() {
        receive_text(&text);
    } else if let Ok(buffer) = data.clone().dyn_into::<js_sys::ArrayBuffer>() {
        receive_bytes(js_sys::Uint8Array::new(&buffer).to_vec());
    }
}

fn receive_text(text: &str) {
    let parsed = js_sys::JSON::parse(text).ok();
    let not_understood = || BridgeEvent::Failed {
        id: None,
        error: format!("The bridge sent a message the page does not understand: {text}"),
    };
    let event = with_client(|client| {
        let Some(value) = parsed else {
            return Some((client.on_event.clone(), None, not_understood()));
        };
        if let Ok(metadata) = serde_wasm_bindgen::from_value::<AnswerMetadata>(value.clone()) {
            client.awaiting_bytes = Some(metadata);
            return None;
        }
        let event = match serde_wasm_bindgen::from_value::<ErrorReport>(value) {
            Ok(report) => {
                let announce = report
                    .id
                    .and_then(|id| client.pending.remove(&id))
                    .and_then(|in_flight| in_flight.announce);
                let event = BridgeEvent::Failed {
                    id: report.id,
                    error: report.error,
                };
                return Some((client.on_event.clone(), announce, event));
            }
            Err(_) => not_understood(),
        };
        Some((client.on_event.clone(), None, event))
    })
    .flatten();
    // Emitted outside the borrow: the store's reducer may call back into this module.
    if let Some((on_event, announce, event)) = event {
        if let Some(announce) = announce {
            announce();
        }
        on_event.emit(event);
    }
}

fn receive_bytes(response: Vec<u8>) {
    let arrived = now_ms();
    let event = with_client(|client| {
        let metadata = client.awaiting_bytes.take()?;
        let in_flight = client.pending.remove(&metadata.id);
        let sent = in_flight
            .as_ref()
            .map_or(arrived, |in_flight| in_flight.sent_at);
        Some((
            client.on_event.clone(),
            in_flight.and_then(|in_flight| in_flight.announce),
            BridgeEvent::Answer {
                metadata,
                response: Rc::new(response),
                page_ms: arrived - sent,
            },
        ))
    })
    .flatten();
    // The query's announcement and its answer reach the store in the same task: one render.
    if let Some((on_event, announce, event)) = event {
        if let Some(announce) = announce {
            announce();
        }
        on_event.emit(event);
    }
}
