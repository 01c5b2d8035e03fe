//! The text messages the bridge sends on `/dns`: answer metadata and errors (JSON).
//!
//! For each query the page gets either
//! `{"id":<DNS ID>,"upstream":"<addr:port>","transport":"udp"|"tcp","rtt_us":<n>,"bytes":<n>}`
//! followed by one binary message holding the response exactly as received, or
//! `{"id":<DNS ID or null>,"error":"<plain words>"}` and no binary message.

use std::net::SocketAddr;

use serde::Serialize;

use crate::forward::{ForwardedAnswer, Transport};

/// Describes the binary message that follows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerMetadata {
    /// The DNS ID of the query (and of the response).
    pub id: u16,
    /// Which upstream answered, as `addr:port`.
    pub upstream: String,
    /// `udp`, or `tcp` after a truncated UDP answer.
    pub transport: Transport,
    /// Microseconds from the first send until the full answer arrived.
    pub rtt_us: u128,
    /// Length of the response in bytes.
    pub bytes: usize,
}

impl AnswerMetadata {
    /// The metadata for `answer` to query `id` from `upstream`.
    pub fn describe(id: u16, upstream: SocketAddr, answer: &ForwardedAnswer) -> Self {
        Self {
            id,
            upstream: upstream.to_string(),
            transport: answer.transport,
            rtt_us: answer.round_trip.as_micros(),
            bytes: answer.response.len(),
        }
    }
}

/// Tells the page that a message was not forwarded or got no answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorReport {
    /// The DNS ID from the first two bytes of the message, when it had two bytes.
    pub id: Option<u16>,
    /// What went wrong, in plain words.
    pub error: String,
}

impl ErrorReport {
    /// An error about `message`, carrying its DNS ID when it has one so the page can tell which
    /// of its queries failed.
    pub fn about_message(message: &[u8], error: impl ToString) -> Self {
        let id = match message {
            [high, low, ..] => Some(u16::from_be_bytes([*high, *low])),
            _ => None,
        };
        Self {
            id,
            error: error.to_string(),
        }
    }

    /// An error about no message in particular.
    pub fn general(error: impl ToString) -> Self {
        Self {
            id: None,
            error: error.to_string(),
        }
    }

    /// The JSON text.
    pub fn to_json(&self) -> String {
        to_json_text(self)
    }
}

impl AnswerMetadata {
    /// The JSON text.
    pub fn to_json(&self) -> String {
        to_json_text(self)
    }
}

/// Serializes one of our own message types. They hold only numbers and strings, which
/// serde_json always encodes; the fallback is never expected to be used.
fn to_json_text(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| {
        r#"{"id":null,"error":"internal error: could not encode JSON"}"#.to_owned()
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn metadata_and_errors_have_the_documented_fields() {
        let answer = ForwardedAnswer {
            response: vec![0; 45],
            transport: Transport::Tcp,
            round_trip: Duration::from_micros(1234),
        };
        let metadata =
            AnswerMetadata::describe(7, "127.0.0.1:1053".parse().expect("address"), &answer);
        let json: serde_json::Value = serde_json::from_str(&metadata.to_json()).expect("json");
        assert_eq!(
            json,
            serde_json::json!({"id": 7, "upstream": "127.0.0.1:1053", "transport": "tcp", "rtt_us": 1234, "bytes": 45})
        );
        let error: serde_json::Value =
            serde_json::from_str(&ErrorReport::about_message(&[0xab, 0xcd, 0], "junk").to_json())
                .expect("json");
        assert_eq!(error, serde_json::json!({"id": 0xabcd, "error": "junk"}));
        let error: serde_json::Value =
            serde_json::from_str(&ErrorReport::about_message(&[1], "short").to_json())
                .expect("json");
        assert_eq!(error, serde_json::json!({"id": null, "error": "short"}));
    }
}
