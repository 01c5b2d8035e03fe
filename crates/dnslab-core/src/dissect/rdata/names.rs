//! Records whose data is one domain name (NS, CNAME, PTR, DNAME; RFC 1035 §3.3, RFC 6672) and
//! MX (RFC 1035 §3.3.9: a preference and an exchange name).

use super::RdataReader;
use crate::dissect::text::with_decimal_prefix;

/// NS, CNAME, PTR, DNAME: the name alone.
pub(super) fn decode_single_name(
    reader: &mut RdataReader<'_, '_>,
    field: &str,
    label: &str,
) -> Option<String> {
    let name = reader.name_field(field, label)?;
    Some(name.text)
}

/// MX: `preference exchange`.
pub(super) fn decode_mx(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let preference = reader.u16_field("preference", "Preference", |value| {
        format!("{value} (lower values are tried first)")
    })?;
    let exchange = reader.name_field("exchange", "Mail exchange")?;
    // The preference goes in front of the exchange's text, in the same buffer.
    Some(with_decimal_prefix(exchange.text, u32::from(preference)))
}
