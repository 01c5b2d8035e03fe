//! dnslab-core: every line of dnslab's DNS logic, shared by the web app, the CLI and the bridge.
//!
//! The crate's one rule is that it does no I/O: no sockets, no files, no clock and no random
//! numbers. Callers hand it bytes and text (and, where needed, the time or a message ID) and get
//! values back. That is what lets the very same code run inside the browser as WebAssembly and in
//! the native binaries, and it keeps every function testable with plain byte literals.
//!
//! Data flows one way: [`input`] turns what a user pasted into DNS message bytes, and
//! [`summary`] decodes those bytes into a small view model for display.

pub mod authority;
pub mod build;
pub mod dissect;
pub mod iana;
pub mod input;
pub mod present;
pub mod relay;
pub mod resolver;
pub mod summary;
pub mod world;
pub mod zone;

pub use input::{extract_dns, parse_hex_text, ExtractOptions, Extraction, InputError, InputFormat};
pub use summary::{summarize, DecodeError, MessageSummary};

/// What the page shows for a paste: where the DNS bytes were found, what they say, and what is
/// wrong with them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DecodedPaste {
    /// The detected input format, e.g. `Wireshark hex stream`.
    pub format: String,
    /// The layers peeled off to reach the DNS bytes, e.g. `Ethernet → IPv4 → UDP 53 → 40428 → DNS, 74 bytes`.
    pub layers: String,
    /// How many DNS messages the input holds (the first is shown).
    pub message_count: usize,
    /// The first message, decoded by hickory-proto's strict decoder, or why it refused it (the
    /// diagnostics then say what is wrong, at which byte).
    pub summary: Result<MessageSummary, DecodeError>,
    /// The dissector's findings about the first message, in byte order.
    pub diagnostics: Vec<dissect::Diagnostic>,
}

/// Turns pasted text (any format [`input::extract_dns`] reads) into the first DNS message's
/// summary and diagnostics: the whole thin path the page shares with the CLI.
pub fn decode_pasted_text(text: &str) -> Result<DecodedPaste, InputError> {
    let extraction = extract_dns(text.as_bytes(), &ExtractOptions::default())?;
    let first = extraction
        .messages
        .first()
        .ok_or_else(|| InputError::NoDnsFound {
            reason: "the input holds no frames".to_string(),
        })?;
    Ok(DecodedPaste {
        format: extraction.format.to_string(),
        layers: first.layers_summary(),
        message_count: extraction.messages.len(),
        summary: summarize(&first.dns),
        diagnostics: dissect::dissect(&first.dns).diagnostics,
    })
}
