//! NAPTR (RFC 3403 §4.1): a rewrite rule of the Dynamic Delegation Discovery System.

use super::RdataReader;
use crate::dissect::text::quoted_character_string;

/// NAPTR: `order preference "flags" "services" "regexp" replacement`.
pub(super) fn decode_naptr(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let order = reader.u16_field("order", "Order", |value| {
        format!("{value} (rules with lower order are processed first)")
    })?;
    let preference = reader.u16_field("preference", "Preference", |value| {
        format!("{value} (among rules of equal order, lower is preferred)")
    })?;
    let flags = reader.character_string_field("flags", "Flags")?;
    let services = reader.character_string_field("services", "Services")?;
    let regexp = reader.character_string_field("regexp", "Regular expression")?;
    let replacement = reader.name_field("replacement", "Replacement")?;
    Some(format!(
        "{order} {preference} {} {} {} {}",
        quoted_character_string(flags),
        quoted_character_string(services),
        quoted_character_string(regexp),
        replacement.text
    ))
}
