//! Certificates and keys published for applications: CERT (RFC 4398 §2) and OPENPGPKEY
//! (RFC 7929 §2).
//!
//! ```text
//! CERT: type (2) | key tag (2) | algorithm (1) | certificate or CRL (the rest)
//! OPENPGPKEY: a transferable public key (the whole RDATA)
//! ```

use super::thumbprints::DIG_CHUNK_WIDTH;
use super::RdataReader;
use crate::dissect::model::Severity;
use crate::dissect::text::{base64, split_into_chunks};

/// BIND's mnemonic for a CERT type (RFC 4398 §2.1), as dig prints it; other types print as
/// their number.
fn cert_type_mnemonic(cert_type: u16) -> Option<&'static str> {
    Some(match cert_type {
        1 => "PKIX",
        2 => "SPKI",
        3 => "PGP",
        4 => "IPKIX",
        5 => "ISPKI",
        6 => "IPGP",
        7 => "ACPKIX",
        8 => "IACPKIX",
        253 => "URI",
        254 => "OID",
        _ => return None,
    })
}

/// What a CERT type holds, for the field's value.
fn cert_type_meaning(cert_type: u16) -> &'static str {
    match cert_type {
        1 => "X.509 as per PKIX",
        2 => "SPKI certificate",
        3 => "OpenPGP packet",
        4 => "the URL of an X.509 data object",
        5 => "the URL of an SPKI certificate",
        6 => "the fingerprint and URL of an OpenPGP packet",
        7 => "attribute certificate",
        8 => "the URL of an attribute certificate",
        253 => "URI private",
        254 => "OID private",
        0 | 255 | 65535 => "reserved",
        65280..=65534 => "experimental",
        _ => "unassigned",
    }
}

/// BIND's mnemonic for a DNSSEC algorithm number (`dns_secalg_totext`), which dig prints in
/// CERT records; numbers without one print as the number.
pub(super) fn secalg_mnemonic(algorithm: u8) -> Option<&'static str> {
    Some(match algorithm {
        1 => "RSAMD5",
        2 => "DH",
        3 => "DSA",
        5 => "RSASHA1",
        6 => "NSEC3DSA",
        7 => "NSEC3RSASHA1",
        8 => "RSASHA256",
        10 => "RSASHA512",
        12 => "ECCGOST",
        13 => "ECDSAP256SHA256",
        14 => "ECDSAP384SHA384",
        15 => "ED25519",
        16 => "ED448",
        252 => "INDIRECT",
        253 => "PRIVATEDNS",
        254 => "PRIVATEOID",
        _ => return None,
    })
}

/// CERT: `type key-tag algorithm CERTIFICATE` (base64), type and algorithm as mnemonics where
/// BIND has them.
pub(super) fn decode_cert(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let cert_type =
        reader.u16_field(
            "cert_type",
            "Certificate type",
            |value| match cert_type_mnemonic(value) {
                Some(name) => format!("{value} ({name}: {})", cert_type_meaning(value)),
                None => format!("{value} ({})", cert_type_meaning(value)),
            },
        )?;
    let key_tag = reader.u16_field("key_tag", "Key tag", |value| {
        format!("{value} (0 when no DNSSEC key is meant)")
    })?;
    let algorithm = reader.u8_field("algorithm", "Algorithm", super::dnssec::algorithm_value)?;
    let certificate_offset = reader.position();
    let certificate = reader.rest_field("certificate", "Certificate or CRL", base64)?;
    if certificate.is_empty() {
        // BIND reads at least one byte of certificate and refuses the record otherwise.
        reader.report(
            certificate_offset,
            0,
            Severity::Error,
            "This CERT record has no certificate after its type, key tag and algorithm \
             (RFC 4398 §2)."
                .to_owned(),
        );
        reader.fail();
        return None;
    }
    let type_text =
        cert_type_mnemonic(cert_type).map_or_else(|| cert_type.to_string(), str::to_owned);
    let algorithm_text =
        secalg_mnemonic(algorithm).map_or_else(|| algorithm.to_string(), str::to_owned);
    Some(format!(
        "{type_text} {key_tag} {algorithm_text} {}",
        split_into_chunks(&base64(certificate), DIG_CHUNK_WIDTH)
    ))
}

/// OPENPGPKEY: the key in base64.
pub(super) fn decode_openpgpkey(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let key_offset = reader.position();
    let key = reader.rest_field("openpgp_key", "OpenPGP public key", base64)?;
    if key.is_empty() {
        reader.report(
            key_offset,
            0,
            Severity::Error,
            "This OPENPGPKEY record is empty; RFC 7929 §2.1 requires a transferable public key."
                .to_owned(),
        );
        reader.fail();
        return None;
    }
    Some(split_into_chunks(&base64(key), DIG_CHUNK_WIDTH))
}
