//! HIP (RFC 8005 §5): a Host Identity Tag, the host's public key and its rendezvous servers.
//!
//! ```text
//! HIT length (1) | PK algorithm (1) | PK length (2) | HIT | public key | rendezvous servers*
//! ```
//!
//! The rendezvous servers are uncompressed domain names up to the end of the RDATA.

use super::gateways::public_key_algorithm_text;
use super::RdataReader;
use crate::dissect::model::Severity;
use crate::dissect::text::{base64, upper_hex};

/// HIP: `algorithm HIT PUBLIC-KEY servers...`, the HIT in hex and the key in base64.
pub(super) fn decode_hip(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let hit_length_offset = reader.position();
    let hit_length =
        reader.u8_field("hit_length", "HIT length", |value| format!("{value} bytes"))?;
    let algorithm = reader.u8_field(
        "public_key_algorithm",
        "Public key algorithm",
        public_key_algorithm_text,
    )?;
    let key_length_offset = reader.position();
    let key_length = reader.u16_field("public_key_length", "Public key length", |value| {
        format!("{value} bytes")
    })?;
    for (value, offset, size, what) in [
        (usize::from(hit_length), hit_length_offset, 1, "HIT"),
        (usize::from(key_length), key_length_offset, 2, "public key"),
    ] {
        if value == 0 {
            reader.report(
                offset,
                size,
                Severity::Error,
                format!("The HIP {what} length is 0; RFC 8005 §5 requires a {what}."),
            );
            reader.fail();
            return None;
        }
    }
    let hit = reader.bytes_field(
        "hit",
        "Host Identity Tag",
        usize::from(hit_length),
        upper_hex,
    )?;
    let key = reader.bytes_field("public_key", "Public key", usize::from(key_length), base64)?;
    let mut presentation = format!("{algorithm} {} {}", upper_hex(hit), base64(key));
    while reader.remaining() > 0 {
        let server = reader.name_field("rendezvous_server", "Rendezvous server")?;
        if let Some(pointer) = server.first_pointer {
            reader.report(
                pointer.offset,
                2,
                Severity::Warning,
                "The HIP rendezvous server name uses a compression pointer; RFC 8005 §5 says it \
                 must not be compressed."
                    .to_owned(),
            );
        }
        presentation.push(' ');
        presentation.push_str(&server.text);
    }
    Some(presentation)
}
