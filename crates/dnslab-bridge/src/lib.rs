//! dnslab-bridge: lets the dnslab page query real DNS servers, which browsers cannot do over UDP.
//!
//! The page opens a WebSocket on `/dns` and sends DNS queries as binary messages; the bridge
//! forwards each one over UDP (TCP after truncation) to one of the upstreams it was configured
//! with and sends the answer back. It also serves the built site and `/healthz`.
//!
//! The bridge must be safe to leave running, so it can never become an open relay or an
//! amplifier:
//! - **Invariant: nothing is sent anywhere but the configured upstreams** (`--upstream`, default
//!   127.0.0.1:1053); the page can only choose among them.
//! - **Invariant: only well-formed queries leave** (QR clear, opcode QUERY, one question,
//!   decodable, at most 65535 bytes: [`dnslab_core::relay`]), and only a reply with the query's
//!   ID and question from the upstream's address and port is passed back.
//! - Only the bridge's own origin and `--allow-origin` ones may open the WebSocket
//!   ([`origin`]); it listens on loopback by default; connections, queries in flight and queries
//!   per second are limited ([`config::Limits`]), and refusals are logged at info level.
//!
//! Modules: [`config`] (command line and settings), [`server`] (routes, binding, shutdown),
//! [`websocket`] (the `/dns` connection loop), [`forward`] (UDP/TCP to the upstream),
//! [`protocol`] (the JSON text messages), [`limits`] (the rate limiter), [`listener`] (the TCP
//! connection cap and silence limit), [`origin`].

pub mod config;
pub mod forward;
pub mod limits;
pub mod listener;
pub mod origin;
pub mod protocol;
pub mod server;
pub mod websocket;

pub use config::{BridgeConfig, CommandLine, ForwardingSettings, Limits};
pub use server::{interrupt_or_terminate, raise_open_file_limit, runtime, Bridge, BridgeError};
