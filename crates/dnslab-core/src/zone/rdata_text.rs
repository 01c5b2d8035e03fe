//! RDATA in presentation form, per record type, written to wire bytes (RFC 1035, 1183, 1876, 2230, 2535, 2782, 3123, 3403, 3596, 3597, 4025, 4034, 4398, 4701, 5155, 4255, 6672, 6698, 6742, 7043, 7208, 7477, 7553, 7929, 8162, 8659, 8976, 9460).
//!
//! Each parser reads the tokens after the type and writes the RDATA exactly as it goes on the
//! wire (names uncompressed, case kept). The zone parser then hands these bytes to hickory-proto,
//! which owns the typed record values; writing the wire form ourselves is what lets us read the
//! DNSSEC types, the types hickory has no text form for (LOC, APL, IPSECKEY, ...) and RFC 3597
//! generic data, and report errors at the exact token.
//!
//! The text forms are the ones Knot DNS 3.2 and BIND 9.18 both read; where the two differ (LOC
//! seconds written as `.5`, an altitude with a `+` sign), dnslab refuses what Knot refuses, because
//! a zone dnslab accepts should load in a real server too. The LOC and the address-like forms
//! (APL, IPSECKEY gateways, ILNP locators, EUI addresses) live in the child modules.

mod addresses;
mod location;

use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use hickory_proto::rr::{Name, RecordType};

use super::lexer::Token;
use super::text::{self, TextError};
use super::types::{type_code_from_mnemonic, type_mnemonic};
use super::ZoneError;

/// Converts a problem inside `token` into a zone error at its exact line and column.
pub(crate) fn token_error(token: &Token<'_>, error: TextError) -> ZoneError {
    let mut line = token.line;
    let mut column = token.raw_column();
    for character in token.raw.chars().take(error.char_offset) {
        if character == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    ZoneError::new(line, column, error.message)
}

/// An error about a whole token.
pub(crate) fn at_token(token: &Token<'_>, message: impl Into<String>) -> ZoneError {
    ZoneError::new(token.line, token.column, message)
}

/// Reads the RDATA fields of one record, one token at a time.
pub(crate) struct Fields<'t, 'a> {
    tokens: &'t [Token<'a>],
    next: usize,
    /// The type token, where "field missing" errors point.
    type_token: Token<'a>,
    type_name: String,
    origin: Option<&'t Name>,
}

impl<'t, 'a> Fields<'t, 'a> {
    pub fn new(
        tokens: &'t [Token<'a>],
        type_token: Token<'a>,
        record_type: RecordType,
        origin: Option<&'t Name>,
    ) -> Self {
        Self {
            tokens,
            next: 0,
            type_token,
            type_name: type_mnemonic(u16::from(record_type)),
            origin,
        }
    }

    fn token(&mut self, what: &str) -> Result<Token<'a>, ZoneError> {
        let token = self.tokens.get(self.next).copied().ok_or_else(|| {
            let after = self
                .next
                .checked_sub(1)
                .and_then(|index| self.tokens.get(index))
                .copied()
                .unwrap_or(self.type_token);
            ZoneError::new(
                after.line,
                after.column,
                format!("the {} record ends before its {what}", self.type_name),
            )
        })?;
        self.next += 1;
        Ok(token)
    }

    fn has_more(&self) -> bool {
        self.next < self.tokens.len()
    }

    /// Takes every remaining token (for hex/base64 data split across blanks, or type lists).
    fn rest(&mut self) -> &'t [Token<'a>] {
        let rest = self.tokens.get(self.next..).unwrap_or(&[]);
        self.next = self.tokens.len();
        rest
    }

    fn number(&mut self, maximum: u64, what: &str) -> Result<u64, ZoneError> {
        let token = self.token(what)?;
        text::parse_number(token.raw, maximum, what).map_err(|error| token_error(&token, error))
    }

    fn u8(&mut self, what: &str) -> Result<u8, ZoneError> {
        self.number(u64::from(u8::MAX), what)
            .map(|value| u8::try_from(value).unwrap_or(u8::MAX))
    }

    fn u16(&mut self, what: &str) -> Result<u16, ZoneError> {
        self.number(u64::from(u16::MAX), what)
            .map(|value| u16::try_from(value).unwrap_or(u16::MAX))
    }

    fn u32(&mut self, what: &str) -> Result<u32, ZoneError> {
        self.number(u64::from(u32::MAX), what)
            .map(|value| u32::try_from(value).unwrap_or(u32::MAX))
    }

    fn ipv4_address(&mut self, what: &str) -> Result<Ipv4Addr, ZoneError> {
        let token = self.token(what)?;
        Ipv4Addr::from_str(token.raw).map_err(|_| {
            at_token(
                &token,
                format!("\"{}\" is not an IPv4 address like 192.0.2.1", token.raw),
            )
        })
    }

    fn ipv6_address(&mut self, what: &str) -> Result<Ipv6Addr, ZoneError> {
        let token = self.token(what)?;
        Ipv6Addr::from_str(token.raw).map_err(|_| {
            at_token(
                &token,
                format!("\"{}\" is not an IPv6 address like 2001:db8::1", token.raw),
            )
        })
    }

    /// A duration in seconds or units (SOA timers).
    fn duration(&mut self, what: &str) -> Result<u32, ZoneError> {
        let token = self.token(what)?;
        text::parse_ttl(token.raw, what).map_err(|error| token_error(&token, error))
    }

    fn name(&mut self, what: &str) -> Result<Name, ZoneError> {
        let token = self.token(what)?;
        text::parse_name(token.raw, self.origin).map_err(|error| token_error(&token, error))
    }

    fn character_string(&mut self, what: &str) -> Result<Vec<u8>, ZoneError> {
        let token = self.token(what)?;
        text::decode_character_string(token.raw).map_err(|error| token_error(&token, error))
    }

    /// A DNSSEC algorithm: a number or a mnemonic such as `ECDSAP256SHA256` (RFC 4034 appendix A.1).
    fn algorithm(&mut self) -> Result<u8, ZoneError> {
        let token = self.token("algorithm")?;
        if let Some(number) = algorithm_from_mnemonic(token.raw) {
            return Ok(number);
        }
        text::parse_number(token.raw, 255, "algorithm")
            .map(|value| u8::try_from(value).unwrap_or(u8::MAX))
            .map_err(|_| {
                at_token(
                    &token,
                    format!(
                        "\"{}\" is not a DNSSEC algorithm: write its number (13) or its name (ECDSAP256SHA256)",
                        token.raw
                    ),
                )
            })
    }

    /// Hexadecimal data in one or more tokens up to the end of the record.
    fn hex_rest(&mut self, what: &str) -> Result<Vec<u8>, ZoneError> {
        let rest = self.rest();
        if rest.is_empty() {
            return Err(self.missing(what));
        }
        let mut bytes = Vec::new();
        for token in rest {
            bytes.extend(text::decode_hex(token.raw).map_err(|error| token_error(token, error))?);
        }
        Ok(bytes)
    }

    /// Base64 data in one or more tokens up to the end of the record.
    fn base64_rest(&mut self, what: &str) -> Result<Vec<u8>, ZoneError> {
        let rest = self.rest();
        let Some(first) = rest.first() else {
            return Err(self.missing(what));
        };
        let joined: String = rest.iter().map(|token| token.raw).collect();
        text::decode_base64(&joined).map_err(|error| token_error(first, error))
    }

    fn missing(&self, what: &str) -> ZoneError {
        let last = self.tokens.last().copied().unwrap_or(self.type_token);
        ZoneError::new(
            last.line,
            last.column,
            format!("the {} record ends before its {what}", self.type_name),
        )
    }

    /// Fails when tokens are left over.
    fn finish(&self) -> Result<(), ZoneError> {
        match self.tokens.get(self.next) {
            None => Ok(()),
            Some(extra) => Err(at_token(
                extra,
                format!(
                    "unexpected \"{}\" after the last field of the {} record",
                    extra.raw, self.type_name
                ),
            )),
        }
    }
}

/// DNSSEC algorithm mnemonics (IANA "DNS Security Algorithm Numbers").
fn algorithm_from_mnemonic(text: &str) -> Option<u8> {
    const ALGORITHMS: &[(&str, u8)] = &[
        ("RSAMD5", 1),
        ("DH", 2),
        ("DSA", 3),
        ("RSASHA1", 5),
        ("DSA-NSEC3-SHA1", 6),
        ("RSASHA1-NSEC3-SHA1", 7),
        ("RSASHA256", 8),
        ("RSASHA512", 10),
        ("ECC-GOST", 12),
        ("ECDSAP256SHA256", 13),
        ("ECDSAP384SHA384", 14),
        ("ED25519", 15),
        ("ED448", 16),
        ("INDIRECT", 252),
        ("PRIVATEDNS", 253),
        ("PRIVATEOID", 254),
    ];
    ALGORITHMS
        .iter()
        .find(|(mnemonic, _)| mnemonic.eq_ignore_ascii_case(text))
        .map(|(_, number)| *number)
}

/// CERT certificate types with mnemonics (RFC 4398 section 2.1).
const CERTIFICATE_TYPES: &[(&str, u16)] = &[
    ("PKIX", 1),
    ("SPKI", 2),
    ("PGP", 3),
    ("IPKIX", 4),
    ("ISPKI", 5),
    ("IPGP", 6),
    ("ACPKIX", 7),
    ("IACPKIX", 8),
    ("URI", 253),
    ("OID", 254),
];

/// A CERT certificate type: a number or a mnemonic such as `PKIX` (either case, as Knot and BIND
/// read it).
fn certificate_type(fields: &mut Fields<'_, '_>) -> Result<u16, ZoneError> {
    let token = fields.token("certificate type")?;
    if let Some((_, number)) = CERTIFICATE_TYPES
        .iter()
        .find(|(mnemonic, _)| mnemonic.eq_ignore_ascii_case(token.raw))
    {
        return Ok(*number);
    }
    if !token.raw.is_empty() && token.raw.bytes().all(|byte| byte.is_ascii_digit()) {
        return text::parse_number(token.raw, u64::from(u16::MAX), "certificate type")
            .map(|value| u16::try_from(value).unwrap_or(u16::MAX))
            .map_err(|error| token_error(&token, error));
    }
    Err(at_token(
        &token,
        format!(
            "\"{}\" is not a certificate type: write its number (1) or its name (PKIX, SPKI, PGP, IPKIX, ISPKI, IPGP, ACPKIX, IACPKIX, URI or OID)",
            token.raw
        ),
    ))
}

/// How the text form of a type is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextSupport {
    /// dnslab reads this type's text form.
    Readable,
    /// Only RFC 3597 `\#` data can be given.
    GenericOnly,
    /// Not allowed in a zone at all, with the reason.
    Refused(&'static str),
}

/// Whether a type can appear in a zone, and in which form.
pub(crate) fn text_support(record_type: RecordType) -> TextSupport {
    match u16::from(record_type) {
        // Every type both Knot DNS 3.2 and BIND 9.18 read in text form. The ones they do not
        // share (TA, NINFO, AVC, RESINFO, WKS, ...) make a zone Knot refuses, so dnslab takes them
        // as RFC 3597 data only.
        1 | 2 | 5 | 6 | 12..=18 | 21 | 25 | 28 | 29 | 33 | 35..=37 | 39 | 42..=53 | 59..=65 | 99
        | 104..=109 | 256 | 257 => TextSupport::Readable,
        41 => TextSupport::Refused("OPT is an EDNS pseudo-record that only exists inside messages, never in a zone"),
        249 | 250 => TextSupport::Refused(
            "TKEY and TSIG are transaction records that only exist inside messages, never in a zone",
        ),
        251..=255 => TextSupport::Refused("IXFR, AXFR, MAILB, MAILA and ANY are query types, not record types"),
        0 => TextSupport::Refused("type 0 is reserved and cannot be stored"),
        _ => TextSupport::GenericOnly,
    }
}

/// True for the types whose data may be empty: an APL record with no prefixes (RFC 3123 section
/// 4). Every other record needs data, and an empty one is refused (see the parser).
pub(crate) fn may_be_empty(record_type: RecordType) -> bool {
    u16::from(record_type) == 42
}

/// Parses the text RDATA of a readable type into wire bytes.
pub(crate) fn parse_rdata(
    fields: &mut Fields<'_, '_>,
    record_type: RecordType,
) -> Result<Vec<u8>, ZoneError> {
    let mut wire = Vec::new();
    match u16::from(record_type) {
        // A (RFC 1035 section 3.4.1).
        1 => wire.extend_from_slice(&fields.ipv4_address("IPv4 address")?.octets()),
        // AAAA (RFC 3596).
        28 => wire.extend_from_slice(&fields.ipv6_address("IPv6 address")?.octets()),
        // NS, CNAME, PTR, DNAME (RFC 6672 section 2.1): one name.
        2 => text::push_name(&mut wire, &fields.name("name server name")?),
        5 | 12 | 39 => text::push_name(&mut wire, &fields.name("target name")?),
        // MINFO (RFC 1035 section 3.3.7), RP (RFC 1183 section 2.2): two names.
        14 => {
            text::push_name(&mut wire, &fields.name("responsible mailbox (RMAILBX)")?);
            text::push_name(&mut wire, &fields.name("error mailbox (EMAILBX)")?);
        }
        17 => {
            text::push_name(&mut wire, &fields.name("mailbox name")?);
            text::push_name(&mut wire, &fields.name("TXT record name")?);
        }
        // AFSDB (RFC 1183 section 1), RT (section 3.1), KX (RFC 2230), LP (RFC 6742 section
        // 2.4): a 16-bit number and a name.
        18 => {
            wire.extend_from_slice(&fields.u16("subtype")?.to_be_bytes());
            text::push_name(&mut wire, &fields.name("server name")?);
        }
        21 | 36 | 107 => {
            wire.extend_from_slice(&fields.u16("preference")?.to_be_bytes());
            let what = match u16::from(record_type) {
                21 => "intermediate host name",
                36 => "key exchanger name",
                _ => "locator name (FQDN)",
            };
            text::push_name(&mut wire, &fields.name(what)?);
        }
        // SOA (RFC 1035 section 3.3.13).
        6 => {
            text::push_name(&mut wire, &fields.name("primary name server (MNAME)")?);
            text::push_name(&mut wire, &fields.name("responsible mailbox (RNAME)")?);
            wire.extend_from_slice(&fields.u32("serial number")?.to_be_bytes());
            for timer in [
                "refresh timer",
                "retry timer",
                "expire timer",
                "minimum (negative caching) TTL",
            ] {
                wire.extend_from_slice(&fields.duration(timer)?.to_be_bytes());
            }
        }
        // HINFO (RFC 1035 section 3.3.2).
        13 => {
            for what in ["CPU", "OS"] {
                push_character_string(&mut wire, &fields.character_string(what)?);
            }
        }
        // MX (RFC 1035 section 3.3.9).
        15 => {
            wire.extend_from_slice(&fields.u16("preference")?.to_be_bytes());
            text::push_name(&mut wire, &fields.name("mail exchange name")?);
        }
        // TXT (RFC 1035 section 3.3.14), SPF (RFC 7208 section 3.1): one or more character
        // strings.
        16 | 99 => {
            push_character_string(&mut wire, &fields.character_string("text")?);
            while fields.has_more() {
                push_character_string(&mut wire, &fields.character_string("text")?);
            }
        }
        // SRV (RFC 2782).
        33 => {
            for what in ["priority", "weight", "port"] {
                wire.extend_from_slice(&fields.u16(what)?.to_be_bytes());
            }
            text::push_name(&mut wire, &fields.name("target name")?);
        }
        // NAPTR (RFC 3403 section 4.1).
        35 => {
            wire.extend_from_slice(&fields.u16("order")?.to_be_bytes());
            wire.extend_from_slice(&fields.u16("preference")?.to_be_bytes());
            for what in ["flags", "services", "regular expression"] {
                push_character_string(&mut wire, &fields.character_string(what)?);
            }
            text::push_name(&mut wire, &fields.name("replacement name")?);
        }
        // DS, CDS (RFC 4034 section 5.3, RFC 7344).
        43 | 59 => {
            wire.extend_from_slice(&fields.u16("key tag")?.to_be_bytes());
            wire.push(fields.algorithm()?);
            wire.push(fields.u8("digest type")?);
            wire.extend(fields.hex_rest("digest")?);
        }
        // SSHFP (RFC 4255 section 3.2).
        44 => {
            wire.push(fields.u8("algorithm")?);
            wire.push(fields.u8("fingerprint type")?);
            wire.extend(fields.hex_rest("fingerprint")?);
        }
        // RRSIG (RFC 4034 section 3.2).
        46 => parse_rrsig(fields, &mut wire)?,
        // NSEC (RFC 4034 section 4.2).
        47 => {
            text::push_name(&mut wire, &fields.name("next owner name")?);
            wire.extend(type_bitmap(fields.rest())?);
        }
        // DNSKEY, CDNSKEY (RFC 4034 section 2.2, RFC 7344), KEY (RFC 2535 section 7.1, the same
        // fields; Knot and BIND both want the key, even with the "no key" flags).
        25 | 48 | 60 => {
            wire.extend_from_slice(&fields.u16("flags")?.to_be_bytes());
            wire.push(fields.u8("protocol")?);
            wire.push(fields.algorithm()?);
            wire.extend(fields.base64_rest("public key")?);
        }
        // NSEC3 (RFC 5155 section 3.3).
        50 => {
            wire.push(fields.u8("hash algorithm")?);
            wire.push(fields.u8("flags")?);
            wire.extend_from_slice(&fields.u16("iterations")?.to_be_bytes());
            push_salt(fields, &mut wire)?;
            let token = fields.token("next hashed owner name")?;
            let hash =
                text::decode_base32hex(token.raw).map_err(|error| token_error(&token, error))?;
            let length = u8::try_from(hash.len()).map_err(|_| {
                at_token(
                    &token,
                    "the next hashed owner name is longer than 255 octets",
                )
            })?;
            if length == 0 {
                return Err(at_token(&token, "the next hashed owner name is empty"));
            }
            wire.push(length);
            wire.extend(hash);
            wire.extend(type_bitmap(fields.rest())?);
        }
        // NSEC3PARAM (RFC 5155 section 4.3).
        51 => {
            wire.push(fields.u8("hash algorithm")?);
            wire.push(fields.u8("flags")?);
            wire.extend_from_slice(&fields.u16("iterations")?.to_be_bytes());
            push_salt(fields, &mut wire)?;
        }
        // TLSA (RFC 6698 section 2.2), SMIMEA (RFC 8162 section 2, the same fields).
        52 | 53 => {
            for what in ["certificate usage", "selector", "matching type"] {
                wire.push(fields.u8(what)?);
            }
            wire.extend(fields.hex_rest("certificate association data")?);
        }
        // SVCB, HTTPS (RFC 9460).
        64 | 65 => parse_service_binding(fields, &mut wire)?,
        // CAA (RFC 8659 section 4.1).
        257 => {
            wire.push(fields.u8("flags")?);
            let token = fields.token("property tag")?;
            let tag = token.raw;
            if tag.is_empty()
                || tag.len() > 15
                || !tag.bytes().all(|byte| byte.is_ascii_alphanumeric())
            {
                return Err(at_token(
                    &token,
                    format!("the CAA tag \"{tag}\" must be 1 to 15 letters or digits, like issue, issuewild or iodef"),
                ));
            }
            wire.push(u8::try_from(tag.len()).unwrap_or(15));
            wire.extend_from_slice(tag.as_bytes());
            let value = fields.token("property value")?;
            wire.extend(text::decode_text(value.raw).map_err(|error| token_error(&value, error))?);
        }
        // LOC (RFC 1876 section 3).
        29 => location::parse_loc(fields, &mut wire)?,
        // CERT (RFC 4398 section 2.2): the type and the algorithm as a number or a mnemonic.
        37 => {
            wire.extend_from_slice(&certificate_type(fields)?.to_be_bytes());
            wire.extend_from_slice(&fields.u16("key tag")?.to_be_bytes());
            wire.push(fields.algorithm()?);
            wire.extend(fields.base64_rest("certificate")?);
        }
        // APL (RFC 3123 section 5): zero or more address prefixes.
        42 => addresses::parse_apl(fields.rest(), &mut wire)?,
        // IPSECKEY (RFC 4025 section 3.1).
        45 => addresses::parse_ipseckey(fields, &mut wire)?,
        // DHCID (RFC 4701 section 3.4), OPENPGPKEY (RFC 7929 section 2.3): base64 data.
        49 => wire.extend(fields.base64_rest("identifier (base64)")?),
        61 => wire.extend(fields.base64_rest("public key (base64)")?),
        // CSYNC (RFC 7477 section 2.1): the NSEC type bitmap after a serial and flags.
        62 => {
            wire.extend_from_slice(&fields.u32("SOA serial")?.to_be_bytes());
            wire.extend_from_slice(&fields.u16("flags")?.to_be_bytes());
            wire.extend(type_bitmap(fields.rest())?);
        }
        // ZONEMD (RFC 8976 section 2.3).
        63 => {
            wire.extend_from_slice(&fields.u32("SOA serial")?.to_be_bytes());
            wire.push(fields.u8("scheme")?);
            wire.push(fields.u8("hash algorithm")?);
            wire.extend(fields.hex_rest("digest")?);
        }
        // NID, L64 (RFC 6742 sections 2.1 and 2.3): a preference and 64 bits as four groups of
        // four hexadecimal digits; L32 (section 2.2): a preference and an IPv4-like locator.
        104 | 106 => {
            wire.extend_from_slice(&fields.u16("preference")?.to_be_bytes());
            let what = if u16::from(record_type) == 104 {
                "node identifier"
            } else {
                "locator"
            };
            let token = fields.token(what)?;
            wire.extend(addresses::parse_locator64(&token, what)?);
        }
        105 => {
            wire.extend_from_slice(&fields.u16("preference")?.to_be_bytes());
            wire.extend_from_slice(&fields.ipv4_address("locator")?.octets());
        }
        // EUI48, EUI64 (RFC 7043 sections 3.2 and 4.2): hexadecimal pairs joined by dashes.
        108 | 109 => {
            let octets = if u16::from(record_type) == 108 { 6 } else { 8 };
            let token = fields.token("address")?;
            wire.extend(addresses::parse_eui(&token, octets)?);
        }
        // URI (RFC 7553 section 4.4): the target is the rest of the data, without a length
        // octet. RFC 7553 writes it quoted; Knot and BIND read it unquoted too.
        256 => {
            wire.extend_from_slice(&fields.u16("priority")?.to_be_bytes());
            wire.extend_from_slice(&fields.u16("weight")?.to_be_bytes());
            let target = fields.token("target URI")?;
            wire.extend(
                text::decode_text(target.raw).map_err(|error| token_error(&target, error))?,
            );
        }
        other => {
            return Err(at_token(
                &fields.type_token,
                format!(
                    "{} records can only be written as RFC 3597 generic data: \\# <length> <hex>",
                    type_mnemonic(other)
                ),
            ))
        }
    }
    fields.finish()?;
    Ok(wire)
}

fn push_character_string(wire: &mut Vec<u8>, bytes: &[u8]) {
    // Callers have checked the 255-octet limit.
    wire.push(u8::try_from(bytes.len()).unwrap_or(u8::MAX));
    wire.extend_from_slice(bytes);
}

/// An NSEC3 salt: `-` for none, else hexadecimal.
fn push_salt(fields: &mut Fields<'_, '_>, wire: &mut Vec<u8>) -> Result<(), ZoneError> {
    let token = fields.token("salt")?;
    let salt = if token.raw == "-" {
        Vec::new()
    } else {
        text::decode_hex(token.raw).map_err(|error| token_error(&token, error))?
    };
    let length = u8::try_from(salt.len())
        .map_err(|_| at_token(&token, "the salt is longer than 255 octets"))?;
    wire.push(length);
    wire.extend(salt);
    Ok(())
}

fn parse_rrsig(fields: &mut Fields<'_, '_>, wire: &mut Vec<u8>) -> Result<(), ZoneError> {
    let covered = fields.token("type covered")?;
    let covered_code = type_code_from_mnemonic(covered.raw).ok_or_else(|| {
        at_token(
            &covered,
            format!("\"{}\" is not a record type", covered.raw),
        )
    })?;
    wire.extend_from_slice(&covered_code.to_be_bytes());
    wire.push(fields.algorithm()?);
    wire.push(fields.u8("label count")?);
    wire.extend_from_slice(&fields.u32("original TTL")?.to_be_bytes());
    for what in ["signature expiration", "signature inception"] {
        let token = fields.token(what)?;
        let time =
            text::parse_rrsig_time(token.raw, what).map_err(|error| token_error(&token, error))?;
        wire.extend_from_slice(&time.to_be_bytes());
    }
    wire.extend_from_slice(&fields.u16("key tag")?.to_be_bytes());
    text::push_name(wire, &fields.name("signer's name")?);
    wire.extend(fields.base64_rest("signature")?);
    Ok(())
}

/// The NSEC/NSEC3 type bitmap (RFC 4034 section 4.1.2) for a list of type mnemonics.
fn type_bitmap(tokens: &[Token<'_>]) -> Result<Vec<u8>, ZoneError> {
    let mut codes = Vec::with_capacity(tokens.len());
    for token in tokens {
        let code = type_code_from_mnemonic(token.raw)
            .ok_or_else(|| at_token(token, format!("\"{}\" is not a record type", token.raw)))?;
        codes.push(code);
    }
    codes.sort_unstable();
    codes.dedup();
    let mut wire = Vec::new();
    let mut index = 0;
    while let Some(&first) = codes.get(index) {
        let window = first >> 8;
        let mut bitmap = [0u8; 32];
        let mut used = 0usize;
        while let Some(&code) = codes.get(index) {
            if code >> 8 != window {
                break;
            }
            let low = usize::from(code & 0xFF);
            if let Some(octet) = bitmap.get_mut(low / 8) {
                *octet |= 0x80 >> (low % 8);
            }
            used = low / 8 + 1;
            index += 1;
        }
        wire.push(u8::try_from(window).unwrap_or(0));
        wire.push(u8::try_from(used).unwrap_or(32));
        wire.extend_from_slice(bitmap.get(..used).unwrap_or(&[]));
    }
    Ok(wire)
}

/// SVCB/HTTPS parameter keys with names (RFC 9460 section 14.3.2 registry).
const SERVICE_PARAMETER_KEYS: &[(&str, u16)] = &[
    ("mandatory", 0),
    ("alpn", 1),
    ("no-default-alpn", 2),
    ("port", 3),
    ("ipv4hint", 4),
    ("ech", 5),
    ("ipv6hint", 6),
    ("dohpath", 7),
    ("ohttp", 8),
    ("tls-supported-groups", 9),
];

fn service_parameter_key(text: &str) -> Option<u16> {
    if let Some((_, code)) = SERVICE_PARAMETER_KEYS
        .iter()
        .find(|(name, _)| *name == text)
    {
        return Some(*code);
    }
    let digits = text.strip_prefix("key")?;
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn service_parameter_name(key: u16) -> String {
    SERVICE_PARAMETER_KEYS
        .iter()
        .find(|(_, code)| *code == key)
        .map_or_else(|| format!("key{key}"), |(name, _)| (*name).to_owned())
}

/// Splits an RFC 9460 appendix A.1 value list: items separated by commas, with `\,` and `\\`
/// standing for a literal comma and backslash inside an item.
fn split_value_list(value: &[u8]) -> Vec<Vec<u8>> {
    let mut items = vec![Vec::new()];
    let mut bytes = value.iter();
    while let Some(&byte) = bytes.next() {
        match byte {
            b'\\' => {
                if let (Some(&escaped), Some(item)) = (bytes.next(), items.last_mut()) {
                    item.push(escaped);
                }
            }
            b',' => items.push(Vec::new()),
            _ => {
                if let Some(item) = items.last_mut() {
                    item.push(byte);
                }
            }
        }
    }
    items
}

fn parse_service_binding(fields: &mut Fields<'_, '_>, wire: &mut Vec<u8>) -> Result<(), ZoneError> {
    wire.extend_from_slice(&fields.u16("priority")?.to_be_bytes());
    text::push_name(wire, &fields.name("target name")?);
    let mut parameters: Vec<(u16, Vec<u8>, Token<'_>)> = Vec::new();
    for token in fields.rest() {
        let (key_text, value_raw) = match token.raw.split_once('=') {
            Some((key, value)) => (key, Some(value)),
            None => (token.raw, None),
        };
        let key = service_parameter_key(key_text).ok_or_else(|| {
            at_token(
                token,
                format!("\"{key_text}\" is not a service parameter key (like alpn, port, ipv4hint or key65000)"),
            )
        })?;
        if key == 65535 {
            return Err(at_token(token, "key65535 is reserved and cannot be used"));
        }
        if parameters.iter().any(|(existing, _, _)| *existing == key) {
            return Err(at_token(
                token,
                format!("the parameter {key_text} is given twice"),
            ));
        }
        let value = match value_raw {
            None => None,
            Some(raw) => {
                // A quoted value (`alpn="h2,h3"`) drops its quotes; escapes are decoded either way.
                let inner = raw
                    .strip_prefix('"')
                    .and_then(|rest| rest.strip_suffix('"'))
                    .unwrap_or(raw);
                let offset = key_text.chars().count() + 1 + usize::from(inner.len() != raw.len());
                let decoded = text::decode_text(inner).map_err(|error| {
                    token_error(
                        token,
                        TextError::new(error.char_offset + offset, error.message),
                    )
                })?;
                Some(decoded)
            }
        };
        let encoded = encode_service_parameter(key, value.as_deref())
            .map_err(|message| at_token(token, format!("{key_text}: {message}")))?;
        parameters.push((key, encoded, *token));
    }
    crate::sort::sort_by_key(&mut parameters, |(key, _, _)| *key);
    if let Some((_, mandatory, token)) = parameters.iter().find(|(key, _, _)| *key == 0) {
        for pair in mandatory.chunks(2) {
            let listed = u16::from_be_bytes([
                pair.first().copied().unwrap_or(0),
                pair.get(1).copied().unwrap_or(0),
            ]);
            if !parameters.iter().any(|(key, _, _)| *key == listed) {
                return Err(at_token(
                    token,
                    format!(
                        "mandatory lists {}, but the record has no {} parameter",
                        service_parameter_name(listed),
                        service_parameter_name(listed)
                    ),
                ));
            }
        }
    }
    for (key, value, token) in parameters {
        let length = u16::try_from(value.len())
            .map_err(|_| at_token(&token, "this parameter value is too long"))?;
        wire.extend_from_slice(&key.to_be_bytes());
        wire.extend_from_slice(&length.to_be_bytes());
        wire.extend(value);
    }
    Ok(())
}

/// The wire form of one SvcParamValue (RFC 9460 section 7 and the registry's documents).
fn encode_service_parameter(key: u16, value: Option<&[u8]>) -> Result<Vec<u8>, String> {
    let require = || {
        value
            .filter(|bytes| !bytes.is_empty())
            .ok_or_else(|| "this parameter needs a value".to_owned())
    };
    let as_text = |bytes: &[u8]| {
        String::from_utf8(bytes.to_vec()).map_err(|_| "the value is not text".to_owned())
    };
    let mut wire = Vec::new();
    match key {
        0 => {
            let mut keys = Vec::new();
            for item in split_value_list(require()?) {
                let name = as_text(&item)?;
                let listed = service_parameter_key(&name)
                    .ok_or_else(|| format!("\"{name}\" is not a parameter key"))?;
                if listed == 0 {
                    return Err("mandatory cannot list itself".to_owned());
                }
                if keys.contains(&listed) {
                    return Err(format!("{name} is listed twice"));
                }
                keys.push(listed);
            }
            keys.sort_unstable();
            for listed in keys {
                wire.extend_from_slice(&listed.to_be_bytes());
            }
        }
        1 => {
            for item in split_value_list(require()?) {
                let length = u8::try_from(item.len())
                    .ok()
                    .filter(|length| *length > 0)
                    .ok_or_else(|| "every ALPN identifier must be 1 to 255 octets".to_owned())?;
                wire.push(length);
                wire.extend(item);
            }
        }
        2 | 8 => {
            if value.is_some_and(|bytes| !bytes.is_empty()) {
                return Err("this parameter takes no value".to_owned());
            }
        }
        3 => {
            let port = as_text(require()?)?;
            let number: u16 = port
                .parse()
                .map_err(|_| format!("\"{port}\" is not a port number (0 to 65535)"))?;
            wire.extend_from_slice(&number.to_be_bytes());
        }
        4 => {
            for item in split_value_list(require()?) {
                let address = as_text(&item)?;
                let parsed = Ipv4Addr::from_str(&address)
                    .map_err(|_| format!("\"{address}\" is not an IPv4 address"))?;
                wire.extend_from_slice(&parsed.octets());
            }
        }
        5 => {
            let encoded = as_text(require()?)?;
            wire.extend(text::decode_base64(&encoded).map_err(|error| error.message)?);
        }
        6 => {
            for item in split_value_list(require()?) {
                let address = as_text(&item)?;
                let parsed = Ipv6Addr::from_str(&address)
                    .map_err(|_| format!("\"{address}\" is not an IPv6 address"))?;
                wire.extend_from_slice(&parsed.octets());
            }
        }
        7 => wire.extend_from_slice(require()?),
        9 => {
            for item in split_value_list(require()?) {
                let group = as_text(&item)?;
                let number: u16 = group
                    .parse()
                    .map_err(|_| format!("\"{group}\" is not a group number"))?;
                wire.extend_from_slice(&number.to_be_bytes());
            }
        }
        _ => wire.extend_from_slice(value.unwrap_or(&[])),
    }
    Ok(wire)
}

/// Parses RFC 3597 generic RDATA: the tokens after `\#`, i.e. a length and hexadecimal data.
pub(crate) fn parse_generic_rdata(fields: &mut Fields<'_, '_>) -> Result<Vec<u8>, ZoneError> {
    let length_token = fields.token("data length (after \\#)")?;
    let length = text::parse_number(length_token.raw, 65_535, "data length")
        .map_err(|error| token_error(&length_token, error))?;
    let rest = fields.rest();
    let mut bytes = Vec::new();
    for token in rest {
        bytes.extend(text::decode_hex(token.raw).map_err(|error| token_error(token, error))?);
    }
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) != length {
        return Err(at_token(
            &length_token,
            format!(
                "\\# says the data is {length} octets long, but {} octets of hexadecimal follow",
                bytes.len()
            ),
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<Token<'_>> {
        super::super::lexer::lex(text)
            .entries
            .into_iter()
            .flat_map(|entry| entry.tokens)
            .collect()
    }

    fn wire(record_type: RecordType, text: &str) -> Result<Vec<u8>, ZoneError> {
        let origin = Name::from_ascii("example.").unwrap_or_else(|_| Name::root());
        let all = tokens(text);
        let type_token = Token {
            raw: "T",
            quoted: false,
            line: 1,
            column: 1,
        };
        let mut fields = Fields::new(&all, type_token, record_type, Some(&origin));
        if all.first().is_some_and(|token| token.raw == "\\#") {
            fields.next = 1;
            return parse_generic_rdata(&mut fields);
        }
        parse_rdata(&mut fields, record_type)
    }

    #[test]
    fn type_bitmaps_follow_rfc_4034_examples() {
        // RFC 4034 section 4.3: "A MX RRSIG NSEC TYPE1234".
        let bitmap = type_bitmap(&tokens("A MX RRSIG NSEC TYPE1234")).unwrap_or_default();
        let mut expected = vec![0x00, 0x06, 0x40, 0x01, 0x00, 0x00, 0x00, 0x03, 0x04, 0x1b];
        expected.extend([0u8; 26]);
        expected.push(0x20);
        assert_eq!(bitmap, expected);
    }

    #[test]
    fn svcb_follows_rfc_9460_appendix_d_vectors() {
        // RFC 9460 appendix D.2, figure 5: `16 foo.example.org. alpn=h2,h3-19 mandatory=ipv4hint,alpn ipv4hint=192.0.2.1`.
        let got = wire(
            RecordType::SVCB,
            "16 foo.example.org. alpn=h2,h3-19 mandatory=ipv4hint,alpn ipv4hint=192.0.2.1",
        );
        let expected: Vec<u8> = [
            &[0x00, 0x10][..],
            b"\x03foo\x07example\x03org\x00",
            &[0x00, 0x00, 0x00, 0x04, 0x00, 0x01, 0x00, 0x04],
            &[
                0x00, 0x01, 0x00, 0x09, 0x02, b'h', b'2', 0x05, b'h', b'3', b'-', b'1', b'9',
            ],
            &[0x00, 0x04, 0x00, 0x04, 0xc0, 0x00, 0x02, 0x01],
        ]
        .concat();
        assert_eq!(got, Ok(expected));
        // Appendix D.2, figure 7: `16 foo.example.org. alpn="f\\\\oo\\,bar,h2"`.
        let escaped = wire(
            RecordType::SVCB,
            r#"16 foo.example.org. alpn="f\\\\oo\\,bar,h2""#,
        );
        let expected_escaped: Vec<u8> = [
            &[0x00, 0x10][..],
            b"\x03foo\x07example\x03org\x00",
            &[0x00, 0x01, 0x00, 0x0c, 0x08],
            b"f\\oo,bar",
            &[0x02, b'h', b'2'],
        ]
        .concat();
        assert_eq!(escaped, Ok(expected_escaped));
    }

    #[test]
    fn svcb_rejects_duplicate_and_unsatisfied_keys() {
        assert!(wire(RecordType::SVCB, "1 . port=1 port=2").is_err());
        assert!(wire(RecordType::SVCB, "1 . mandatory=port").is_err());
        assert!(wire(RecordType::SVCB, "1 . no-default-alpn=x").is_err());
        assert!(wire(RecordType::SVCB, "1 . bogus=1").is_err());
    }

    #[test]
    fn generic_data_must_match_its_length() {
        assert_eq!(
            wire(RecordType::Unknown(65280), r"\# 3 abcd ef"),
            Ok(vec![0xab, 0xcd, 0xef])
        );
        let error = wire(RecordType::Unknown(65280), r"\# 4 abcdef").err();
        assert_eq!(error.map(|error| (error.line, error.column)), Some((1, 4)));
    }

    #[test]
    fn ds_dnskey_and_rrsig_accept_mnemonics_and_split_data() {
        let ds = wire(
            RecordType::DS,
            "60485 RSASHA1 1 2BB183AF5F22588179A53B0A 98631FAD1A292118",
        );
        assert_eq!(
            ds.map(|bytes| bytes.get(..4).map(<[u8]>::to_vec)),
            Ok(Some(vec![0xec, 0x45, 5, 1]))
        );
        let key = wire(RecordType::DNSKEY, "256 3 13 AQID BA==");
        assert_eq!(key, Ok(vec![1, 0, 3, 13, 1, 2, 3, 4]));
        let signature = wire(
            RecordType::RRSIG,
            "A 13 2 3600 20260101000000 20251201000000 12345 example. AQID",
        );
        let bytes = signature.unwrap_or_default();
        assert_eq!(bytes.get(..8), Some(&[0, 1, 13, 2, 0, 0, 0x0e, 0x10][..]));
        assert_eq!(bytes.get(8..12), Some(&1_767_225_600u32.to_be_bytes()[..]));
    }

    #[test]
    fn missing_and_extra_fields_are_reported_at_tokens() {
        let missing = wire(RecordType::MX, "10").err();
        assert_eq!(missing.map(|error| error.column), Some(1));
        let extra = wire(RecordType::A, "192.0.2.1 junk").err();
        assert_eq!(extra.map(|error| error.column), Some(11));
        let bad_tag = wire(RecordType::CAA, "0 is-sue \"x\"").err();
        assert_eq!(bad_tag.map(|error| error.column), Some(3));
    }
}
