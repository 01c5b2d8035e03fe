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

/// Turns pasted text into a decoded summary of the first DNS message found in it (any format
/// [`input::extract_dns`] reads): the whole thin path the page and `dnslab decode` share.
pub fn decode_pasted_text(text: &str) -> Result<MessageSummary, PasteDecodeError> {
    let extraction = extract_dns(text.as_bytes(), &ExtractOptions::default())?;
    let first = extraction
        .messages
        .first()
        .ok_or_else(|| InputError::NoDnsFound {
            reason: "the input holds no frames".to_string(),
        })?;
    Ok(summarize(&first.dns)?)
}

/// Why a paste could not be shown as a DNS message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasteDecodeError {
    /// The text is not a hex dump we can read.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The bytes are not a DNS message.
    #[error(transparent)]
    Decode(#[from] DecodeError),
}
