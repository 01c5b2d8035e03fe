//! DNSSEC key and signature records: DS/CDS/TA (RFC 4034 §5.1, RFC 7344, the TA
//! registration), DNSKEY/CDNSKEY (RFC 4034 §2.1), RRSIG and SIG (RFC 4034 §3.1, RFC 2535 §4.1),
//! and the KEY record DNSKEY came from (RFC 2535 §3.1, RFC 3445).

use super::thumbprints::DIG_CHUNK_WIDTH;
use super::RdataReader;
use crate::dissect::mnemonic::type_mnemonic;
use crate::dissect::model::{Field, Severity, Span};
use crate::dissect::text::{base64, rrsig_time, split_into_chunks, upper_hex};

/// The DNSSEC algorithm numbers' names (RFC 8624 and the IANA registry).
pub(crate) fn algorithm_value(algorithm: u8) -> String {
    let name = match algorithm {
        1 => "RSAMD5",
        3 => "DSA",
        5 => "RSASHA1",
        6 => "DSA-NSEC3-SHA1",
        7 => "RSASHA1-NSEC3-SHA1",
        8 => "RSASHA256",
        10 => "RSASHA512",
        12 => "ECC-GOST",
        13 => "ECDSAP256SHA256",
        14 => "ECDSAP384SHA384",
        15 => "ED25519",
        16 => "ED448",
        252 => "INDIRECT",
        253 => "PRIVATEDNS",
        254 => "PRIVATEOID",
        _ => "unassigned",
    };
    format!("{algorithm} ({name})")
}

/// DS and CDS: `key-tag algorithm digest-type DIGEST`.
pub(super) fn decode_ds(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let key_tag = reader.u16_field("key_tag", "Key tag", |value| {
        format!("{value} (identifies the DNSKEY this digest is of)")
    })?;
    let algorithm = reader.u8_field("algorithm", "Algorithm", algorithm_value)?;
    let digest_type = reader.u8_field("digest_type", "Digest type", |value| {
        let name = match value {
            1 => "SHA-1",
            2 => "SHA-256",
            3 => "GOST R 34.11-94",
            4 => "SHA-384",
            _ => "unassigned",
        };
        format!("{value} ({name})")
    })?;
    let digest_offset = reader.position();
    let digest = reader.rest_field("digest", "Digest", upper_hex)?;
    let expected = match digest_type {
        1 => Some(20),
        2 | 3 => Some(32),
        4 => Some(48),
        _ => None,
    };
    if let Some(expected) = expected.filter(|expected| *expected != digest.len()) {
        reader.report(
            digest_offset,
            digest.len(),
            Severity::Error,
            format!(
                "The DS digest is {} bytes, but digest type {digest_type} produces {expected}.",
                digest.len()
            ),
        );
    }
    Some(format!(
        "{key_tag} {algorithm} {digest_type} {}",
        split_into_chunks(&upper_hex(digest), DIG_CHUNK_WIDTH)
    ))
}

/// DNSKEY and CDNSKEY: `flags protocol algorithm PUBLIC-KEY` (base64).
pub(super) fn decode_dnskey(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    let flags_offset = reader.position();
    let flags = reader.u16_field("flags", "Flags", |flags| {
        let mut roles = Vec::new();
        if flags & 0x0100 != 0 {
            roles.push("zone key");
        }
        if flags & 0x0001 != 0 {
            roles.push("secure entry point (KSK)");
        }
        if flags & 0x0080 != 0 {
            roles.push("revoked");
        }
        if roles.is_empty() {
            format!("{flags}")
        } else {
            format!("{flags} ({})", roles.join(", "))
        }
    })?;
    let flags_span = Span::new(flags_offset, 2);
    reader.push_flag_bits(
        u32::from(flags),
        flags_span,
        &[
            ("flags.zone", "Zone key", 0x0100),
            ("flags.revoke", "Revoked (RFC 5011)", 0x0080),
            ("flags.sep", "Secure entry point", 0x0001),
        ],
    );
    let protocol_offset = reader.position();
    let protocol = reader.u8_field("protocol", "Protocol", |value| {
        if value == 3 {
            "3 (DNSSEC, the only value allowed)".to_owned()
        } else {
            format!("{value} (must be 3)")
        }
    })?;
    if protocol != 3 {
        reader.report(
            protocol_offset,
            1,
            Severity::Error,
            format!("The DNSKEY protocol field is {protocol}; RFC 4034 §2.1.2 requires 3."),
        );
    }
    let algorithm = reader.u8_field("algorithm", "Algorithm", algorithm_value)?;
    let key = reader.rest_field("public_key", "Public key", base64)?;
    Some(format!(
        "{flags} {protocol} {algorithm} {}",
        split_into_chunks(&base64(key), DIG_CHUNK_WIDTH)
    ))
}

/// KEY (RFC 2535 §3.1, narrowed to DNSSEC use by RFC 3445 and to SIG(0) and TKEY by RFC 4034
/// appendix A): `flags protocol algorithm PUBLIC-KEY`, like DNSKEY, but with RFC 2535's flags,
/// and no key at all when the flags say "no key".
pub(super) fn decode_key(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    const KEY_TYPE_MASK: u16 = 0xc000;
    const NAME_TYPE_MASK: u16 = 0x0300;
    const SIGNATORY_MASK: u16 = 0x000f;
    let flags_offset = reader.position();
    let flags = reader.u16_field("flags", "Flags", |flags| format!("{flags} (0x{flags:04x})"))?;
    let flags_span = Span::new(flags_offset, 2);
    let key_type = match flags & KEY_TYPE_MASK {
        0x0000 => "0 (use for authentication and confidentiality)",
        0x4000 => "1 (no authentication: confidentiality only)",
        0x8000 => "2 (no confidentiality: authentication only)",
        _ => "3 (no key: the record holds none)",
    };
    let name_type = match flags & NAME_TYPE_MASK {
        0x0000 => "0 (a user or account)",
        0x0100 => "1 (a zone)",
        0x0200 => "2 (the owner name is a host or other end entity)",
        _ => "3 (reserved)",
    };
    let signatory = (flags & SIGNATORY_MASK).to_string();
    for (key, label, mask, value) in [
        (
            "flags.key_type",
            "Key type (A/C bits)",
            KEY_TYPE_MASK,
            key_type,
        ),
        ("flags.name_type", "Name type", NAME_TYPE_MASK, name_type),
        (
            "flags.signatory",
            "Signatory",
            SIGNATORY_MASK,
            signatory.as_str(),
        ),
    ] {
        reader.push_field_with(|reader| {
            Field::bits(reader.key(key), label, value, flags_span, u32::from(mask))
        });
    }
    let protocol = reader.u8_field("protocol", "Protocol", |value| {
        let name = match value {
            1 => "TLS",
            2 => "email",
            3 => "DNSSEC",
            4 => "IPsec",
            255 => "any",
            _ => "unassigned",
        };
        format!("{value} ({name})")
    })?;
    let algorithm = reader.u8_field("algorithm", "Algorithm", algorithm_value)?;
    if flags & KEY_TYPE_MASK == KEY_TYPE_MASK {
        // RFC 2535 §3.1.2: "no key", and the record stops after the algorithm; BIND reads it so.
        return Some(format!("{flags} {protocol} {algorithm}"));
    }
    let key_offset = reader.position();
    let key = reader.rest_field("public_key", "Public key", base64)?;
    if key.is_empty() {
        reader.report(
            key_offset,
            0,
            Severity::Error,
            "This KEY record has no public key, though its flags do not say \"no key\" \
             (RFC 2535 §3.1.2)."
                .to_owned(),
        );
        reader.fail();
        return None;
    }
    Some(format!(
        "{flags} {protocol} {algorithm} {}",
        split_into_chunks(&base64(key), DIG_CHUNK_WIDTH)
    ))
}

/// RRSIG and SIG: `type-covered algorithm labels original-ttl expiration inception key-tag signer
/// SIGNATURE`.
pub(super) fn decode_rrsig(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    read_signature(reader, |rtype| type_mnemonic(rtype).into_owned())
}

/// SIG: as RRSIG, but BIND's `totext_sig` writes a covered type it has no name for as its bare
/// number (`1234`, `0` for SIG(0)) where RRSIG has `TYPE1234`.
pub(super) fn decode_sig(reader: &mut RdataReader<'_, '_>) -> Option<String> {
    read_signature(reader, |rtype| {
        crate::dissect::mnemonic::known_type_mnemonic(rtype)
            .map_or_else(|| rtype.to_string(), str::to_owned)
    })
}

fn read_signature(
    reader: &mut RdataReader<'_, '_>,
    covered_text: impl Fn(u16) -> String,
) -> Option<String> {
    let type_covered = reader.u16_field("type_covered", "Type covered", |value| {
        format!("{value} ({})", type_mnemonic(value))
    })?;
    let algorithm = reader.u8_field("algorithm", "Algorithm", algorithm_value)?;
    let labels = reader.u8_field("labels", "Labels", |value| {
        format!("{value} (labels in the signed owner name, not counting root or a wildcard)")
    })?;
    let original_ttl = reader.u32_field("original_ttl", "Original TTL", |value| {
        crate::dissect::duration_text(value)
    })?;
    let expiration = reader.u32_field("expiration", "Signature expiration", |value| {
        format!("{} ({value})", rrsig_time(value))
    })?;
    let inception = reader.u32_field("inception", "Signature inception", |value| {
        format!("{} ({value})", rrsig_time(value))
    })?;
    let key_tag = reader.u16_field("key_tag", "Key tag", |value| value.to_string())?;
    let signer = reader.name_field("signer", "Signer's name")?;
    let signature = reader.rest_field("signature", "Signature", base64)?;
    Some(format!(
        "{} {algorithm} {labels} {original_ttl} {} {} {key_tag} {} {}",
        covered_text(type_covered),
        rrsig_time(expiration),
        rrsig_time(inception),
        signer.text,
        split_into_chunks(&base64(signature), DIG_CHUNK_WIDTH)
    ))
}
