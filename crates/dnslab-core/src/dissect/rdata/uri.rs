//! URI (RFC 7553 §4.5): a priority, a weight and a URI that fills the rest of the RDATA.
//!
//! ```text
//! Priority (2) | Weight (2) | Target (the rest, no length octet)
//! ```

use super::RdataReader;
use crate::dissect::text::quoted_character_string;

/// URI: `priority weight "target"`, the target quoted and escaped as a character-string is.
pub(super) fn decode_uri(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let (priority, weight) = super::srv::read_priority_and_weight(reader)?;
    // RFC 7553 §4.5 calls the target a URI, but dig prints an empty one as `""`, so it is
    // presented too (the Learn entry says what an empty target means).
    let target = reader.rest_field("uri", "Target URI", quoted_character_string)?;
    Some(format!(
        "{priority} {weight} {}",
        quoted_character_string(target)
    ))
}
