//! dnslab-core: every line of dnslab's DNS logic, shared by the web app, the CLI and the bridge.
//!
//! The crate's one rule is that it does no I/O: no sockets, no files, no clock and no random
//! numbers. Callers hand it bytes and text (and, where needed, the time or a message ID) and get
//! values back. That is what lets the very same code run inside the browser as WebAssembly and in
//! the native binaries, and it keeps every function testable with plain byte literals.
//!
//! Data flows one way: [`input`] turns what a user pasted into DNS message bytes, [`dissect`]
//! explains every byte, [`present`] renders dig text and RFC 8427 JSON, and [`page`] is the web
//! page's façade (plain, serializable view data; no hickory-proto types).

pub mod authority;
pub mod build;
pub mod dissect;
mod fnv;
pub mod iana;
pub mod idna;
pub mod input;
pub mod learn;
pub mod page;
pub mod present;
pub mod relay;
pub mod resolver;
mod shown_name;
mod sort;
pub mod world;
pub mod zone;

pub use input::{extract_dns, parse_hex_text, ExtractOptions, Extraction, InputError, InputFormat};
