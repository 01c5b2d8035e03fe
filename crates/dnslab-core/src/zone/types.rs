//! Record type and class mnemonics as zone files spell them, including RFC 3597's `TYPEnnn` and `CLASSnnn`.
//!
//! The table ([`crate::iana::RECORD_TYPES`]) covers the IANA registry's mnemonics, so that every
//! type name a learner meets is recognised (in NSEC type bitmaps and RRSIG "type covered" fields,
//! and to say precisely why a type cannot be written in text form) even when dnslab cannot read
//! that type's RDATA in text.

use hickory_proto::rr::{DNSClass, RecordType};

use crate::iana::RECORD_TYPES;

/// Reads a record type mnemonic (`MX`, case-insensitive) or RFC 3597's `TYPEnnn` form.
pub fn type_from_mnemonic(text: &str) -> Option<RecordType> {
    type_code_from_mnemonic(text).map(RecordType::from)
}

/// The number of a record type mnemonic or `TYPEnnn`.
pub(crate) fn type_code_from_mnemonic(text: &str) -> Option<u16> {
    if let Some(number) = strip_prefix_ignore_case(text, "TYPE") {
        return parse_code(number);
    }
    RECORD_TYPES
        .iter()
        .find(|(mnemonic, _)| mnemonic.eq_ignore_ascii_case(text))
        .map(|(_, code)| *code)
}

/// The mnemonic of a type number, or `TYPEnnn` when it has none.
pub(crate) fn type_mnemonic(code: u16) -> String {
    RECORD_TYPES
        .iter()
        .find(|(_, known)| *known == code)
        .map_or_else(
            || format!("TYPE{code}"),
            |(mnemonic, _)| (*mnemonic).to_owned(),
        )
}

/// Reads a class mnemonic (`IN`, `CH`, `HS`, `NONE`, `ANY`, case-insensitive; `CS` for the
/// historic CSNET class) or RFC 3597's `CLASSnnn` form.
pub fn class_from_mnemonic(text: &str) -> Option<DNSClass> {
    if let Some(number) = strip_prefix_ignore_case(text, "CLASS") {
        return parse_code(number).map(DNSClass::from);
    }
    let code = match text.to_ascii_uppercase().as_str() {
        "IN" => 1,
        "CS" => 2,
        "CH" => 3,
        "HS" => 4,
        "NONE" => 254,
        "ANY" => 255,
        _ => return None,
    };
    Some(DNSClass::from(code))
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        text.get(prefix.len()..)
    } else {
        None
    }
}

/// A decimal 16-bit code with at least one digit.
fn parse_code(digits: &str) -> Option<u16> {
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_mnemonics_and_generic_forms() {
        assert_eq!(type_from_mnemonic("mx"), Some(RecordType::MX));
        assert_eq!(
            type_from_mnemonic("NSEC3PARAM"),
            Some(RecordType::NSEC3PARAM)
        );
        assert_eq!(type_from_mnemonic("TYPE1"), Some(RecordType::A));
        assert_eq!(
            type_from_mnemonic("type65534"),
            Some(RecordType::Unknown(65534))
        );
        assert_eq!(type_from_mnemonic("TYPE65536"), None);
        assert_eq!(type_from_mnemonic("TYPE"), None);
        assert_eq!(type_from_mnemonic("IN"), None);
        assert_eq!(type_code_from_mnemonic("loc"), Some(29));
        assert_eq!(type_mnemonic(257), "CAA");
        assert_eq!(type_mnemonic(65280), "TYPE65280");
        assert_eq!(class_from_mnemonic("in"), Some(DNSClass::IN));
        assert_eq!(class_from_mnemonic("CLASS1"), Some(DNSClass::IN));
        assert_eq!(
            class_from_mnemonic("CLASS4000"),
            Some(DNSClass::Unknown(4000))
        );
        assert_eq!(class_from_mnemonic("A"), None);
    }
}
