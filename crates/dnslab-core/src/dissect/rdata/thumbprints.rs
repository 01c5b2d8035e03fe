//! Records that pin a key or certificate by its digest: SSHFP (RFC 4255 §3.1, RFC 6594,
//! RFC 7479) and TLSA/SMIMEA (RFC 6698 §2.1, RFC 8162).

use super::RdataReader;
use crate::dissect::model::Severity;
use crate::dissect::text::{split_into_chunks, upper_hex};

/// The width at which dig breaks long hex and base64 fields with a space.
pub(crate) const DIG_CHUNK_WIDTH: usize = 56;

/// SSHFP: `algorithm fingerprint-type FINGERPRINT`.
pub(super) fn decode_sshfp(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let algorithm = reader.u8_field("algorithm", "Key algorithm", |value| {
        let name = match value {
            1 => "RSA",
            2 => "DSA",
            3 => "ECDSA",
            4 => "Ed25519",
            6 => "Ed448",
            _ => "unassigned",
        };
        format!("{value} ({name})")
    })?;
    let fingerprint_type = reader.u8_field("fingerprint_type", "Fingerprint type", |value| {
        let name = match value {
            1 => "SHA-1",
            2 => "SHA-256",
            _ => "unassigned",
        };
        format!("{value} ({name})")
    })?;
    let fingerprint_offset = reader.position();
    let fingerprint = reader.rest_field("fingerprint", "Fingerprint", upper_hex)?;
    let expected = match fingerprint_type {
        1 => Some(20),
        2 => Some(32),
        _ => None,
    };
    if let Some(expected) = expected.filter(|expected| *expected != fingerprint.len()) {
        reader.report(
            fingerprint_offset,
            fingerprint.len(),
            Severity::Error,
            format!(
                "The SSHFP fingerprint is {} bytes, but fingerprint type {fingerprint_type} is a \
                 {expected}-byte digest.",
                fingerprint.len()
            ),
        );
    }
    if fingerprint.is_empty() {
        return Some(format!("{algorithm} {fingerprint_type}"));
    }
    Some(format!(
        "{algorithm} {fingerprint_type} {}",
        split_into_chunks(&upper_hex(fingerprint), DIG_CHUNK_WIDTH)
    ))
}

/// TLSA and SMIMEA: `usage selector matching-type DATA`.
pub(super) fn decode_tlsa(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let usage = reader.u8_field("usage", "Certificate usage", |value| {
        let name = match value {
            0 => "PKIX-TA: CA constraint",
            1 => "PKIX-EE: service certificate constraint",
            2 => "DANE-TA: trust anchor assertion",
            3 => "DANE-EE: domain-issued certificate",
            255 => "private use",
            _ => "unassigned",
        };
        format!("{value} ({name})")
    })?;
    let selector = reader.u8_field("selector", "Selector", |value| {
        let name = match value {
            0 => "full certificate",
            1 => "SubjectPublicKeyInfo",
            255 => "private use",
            _ => "unassigned",
        };
        format!("{value} ({name})")
    })?;
    let matching_type = reader.u8_field("matching_type", "Matching type", |value| {
        let name = match value {
            0 => "exact match",
            1 => "SHA-256",
            2 => "SHA-512",
            255 => "private use",
            _ => "unassigned",
        };
        format!("{value} ({name})")
    })?;
    let data = reader.rest_field(
        "certificate_data",
        "Certificate association data",
        upper_hex,
    )?;
    if data.is_empty() {
        return Some(format!("{usage} {selector} {matching_type}"));
    }
    Some(format!(
        "{usage} {selector} {matching_type} {}",
        split_into_chunks(&upper_hex(data), DIG_CHUNK_WIDTH)
    ))
}
