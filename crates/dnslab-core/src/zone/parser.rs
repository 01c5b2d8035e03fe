//! The master-file grammar of RFC 1035 section 5.1 (plus RFC 2308's `$TTL`): entries become directives or records.
//!
//! Parsing goes on after an error: a broken entry is skipped (its owner is still remembered, so
//! the next lines that omit the owner do not cascade into more errors) and every problem is
//! collected.

use hickory_proto::rr::{DNSClass, Name, RData, Record, RecordType};
use hickory_proto::serialize::binary::{
    BinDecoder, BinEncodable, BinEncoder, NameEncoding, Restrict,
};

use super::lexer::{self, Entry, Token};
use super::rdata_text::{self, at_token, token_error, Fields, TextSupport};
use super::text;
use super::tree::SourcePosition;
use super::types::{class_from_mnemonic, type_from_mnemonic, type_mnemonic};
use super::ZoneError;

/// A record read from the text, with where it was written.
#[derive(Debug, Clone)]
pub(crate) struct ParsedRecord {
    pub record: Record,
    pub position: SourcePosition,
}

/// What is known about an entry that failed, so that checks for *missing* records do not report
/// records the user did write but mistyped (the syntax error already covers them).
#[derive(Debug, Clone, Default)]
pub(crate) struct FailedEntry {
    pub owner: Option<Name>,
    pub record_type: Option<RecordType>,
}

/// Everything the parser found.
#[derive(Debug, Default)]
pub(crate) struct ParsedText {
    pub records: Vec<ParsedRecord>,
    pub errors: Vec<ZoneError>,
    pub warnings: Vec<ZoneError>,
    pub failed: Vec<FailedEntry>,
}

/// Defaults that carry from one entry to the next.
struct State {
    origin: Option<Name>,
    /// `$TTL` (RFC 2308 section 4).
    default_ttl: Option<u32>,
    /// The last TTL written on a record (RFC 1035's rule when there is no `$TTL`).
    last_explicit_ttl: Option<u32>,
    /// The MINIMUM of the first SOA, BIND's last-resort default.
    soa_minimum: Option<u32>,
    last_owner: Option<Name>,
    last_class: DNSClass,
}

/// Parses zone text into records, collecting every error.
pub(crate) fn parse_records(text: &str, origin: Option<&Name>) -> ParsedText {
    let lexed = lexer::lex(text);
    let mut parsed = ParsedText {
        errors: lexed.errors,
        ..ParsedText::default()
    };
    let mut state = State {
        origin: origin.cloned(),
        default_ttl: None,
        last_explicit_ttl: None,
        soa_minimum: None,
        last_owner: None,
        last_class: DNSClass::IN,
    };
    for entry in &lexed.entries {
        let Some(first) = entry.tokens.first() else {
            continue;
        };
        if !entry.starts_with_blank && !first.quoted && first.raw.starts_with('$') {
            if let Err(error) = parse_directive(entry, &mut state) {
                parsed.errors.push(error);
            }
            continue;
        }
        let mut failed = FailedEntry::default();
        match parse_record(entry, &mut state, &mut failed, &mut parsed.warnings) {
            Ok(record) => parsed.records.push(record),
            Err(error) => {
                parsed.errors.push(error);
                parsed.failed.push(failed);
            }
        }
    }
    crate::sort::sort_by_key(&mut parsed.errors, |error| (error.line, error.column));
    parsed
}

fn parse_directive(entry: &Entry<'_>, state: &mut State) -> Result<(), ZoneError> {
    let tokens = &entry.tokens;
    let Some(directive) = tokens.first() else {
        return Ok(());
    };
    let argument = tokens.get(1);
    let only_one_argument = |name: &str| -> Result<&Token<'_>, ZoneError> {
        let argument = argument
            .ok_or_else(|| at_token(directive, format!("{name} needs a value after it")))?;
        if let Some(extra) = tokens.get(2) {
            return Err(at_token(
                extra,
                format!("unexpected \"{}\" after the {name} value", extra.raw),
            ));
        }
        Ok(argument)
    };
    match directive.raw.to_ascii_uppercase().as_str() {
        "$ORIGIN" => {
            let argument = only_one_argument("$ORIGIN")?;
            let name = text::parse_name(argument.raw, state.origin.as_ref())
                .map_err(|error| token_error(argument, error))?;
            state.origin = Some(name);
            Ok(())
        }
        "$TTL" => {
            let argument = only_one_argument("$TTL")?;
            let ttl = text::parse_ttl(argument.raw, "TTL").map_err(|error| token_error(argument, error))?;
            state.default_ttl = Some(ttl);
            Ok(())
        }
        "$INCLUDE" => Err(at_token(
            directive,
            "$INCLUDE is not supported: there is no file system in the browser, so dnslab reads one zone text; paste the included file's records here instead",
        )),
        "$GENERATE" => Err(at_token(
            directive,
            "$GENERATE is a BIND extension that dnslab does not support; write the records out one by one",
        )),
        _ => Err(at_token(
            directive,
            format!("unknown directive {}: zone files know $ORIGIN, $TTL and $INCLUDE", directive.raw),
        )),
    }
}

fn parse_record(
    entry: &Entry<'_>,
    state: &mut State,
    failed: &mut FailedEntry,
    warnings: &mut Vec<ZoneError>,
) -> Result<ParsedRecord, ZoneError> {
    let mut tokens = entry.tokens.iter();
    let Some(first) = entry.tokens.first() else {
        return Err(ZoneError::new(0, 0, "empty entry"));
    };
    let position = SourcePosition {
        line: first.line,
        column: first.column,
    };

    // Owner: the first token, unless the line starts with a blank (RFC 1035: "the RR is assumed
    // to be owned by the last stated owner").
    let owner = if entry.starts_with_blank {
        state.last_owner.clone().ok_or_else(|| {
            at_token(
                first,
                "this line starts with a blank, which means \"same owner as the record before\", but there is no record before it",
            )
        })?
    } else {
        tokens.next();
        let owner = text::parse_name(first.raw, state.origin.as_ref())
            .map_err(|error| token_error(first, error))?;
        state.last_owner = Some(owner.clone());
        owner
    };
    failed.owner = Some(owner.clone());

    // [TTL] [class] type, with TTL and class in either order.
    let mut ttl: Option<u32> = None;
    let mut class: Option<DNSClass> = None;
    let (record_type, type_token) = loop {
        let Some(token) = tokens.next() else {
            let last = entry.tokens.last().unwrap_or(first);
            return Err(at_token(last, "the record has no type (like A, MX or TXT)"));
        };
        if let Some(found) = class_from_mnemonic(token.raw) {
            if class.is_some() {
                return Err(at_token(token, "the class is given twice"));
            }
            class = Some(found);
            continue;
        }
        if token
            .raw
            .starts_with(|character: char| character.is_ascii_digit())
        {
            if ttl.is_some() {
                return Err(at_token(token, "the TTL is given twice"));
            }
            ttl =
                Some(text::parse_ttl(token.raw, "TTL").map_err(|error| token_error(token, error))?);
            continue;
        }
        match type_from_mnemonic(token.raw) {
            Some(record_type) => break (record_type, *token),
            None => {
                return Err(at_token(
                    token,
                    format!(
                        "\"{}\" is not a record type (like A, MX or TXT), a class (IN) or a TTL",
                        token.raw
                    ),
                ))
            }
        }
    };
    failed.record_type = Some(record_type);

    let class = class.unwrap_or(state.last_class);
    if class != DNSClass::IN {
        // Not remembered as the default: the records after this one would all fail too.
        return Err(at_token(
            &type_token,
            format!("dnslab serves class IN zones only, and this record is class {class}"),
        ));
    }
    if let Some(explicit) = ttl {
        state.last_explicit_ttl = Some(explicit);
    }

    // RDATA.
    let rdata_tokens = tokens.as_slice();
    let mut fields = Fields::new(rdata_tokens, type_token, record_type, state.origin.as_ref());
    let is_generic = rdata_tokens
        .first()
        .is_some_and(|token| !token.quoted && token.raw == "\\#");
    let source = if is_generic {
        WireSource::GenericForm
    } else {
        WireSource::TextForm
    };
    let wire = match rdata_text::text_support(record_type) {
        TextSupport::Refused(reason) => return Err(at_token(&type_token, reason)),
        _ if is_generic => {
            let mut generic = Fields::new(rdata_tokens.get(1..).unwrap_or(&[]), type_token, record_type, None);
            let wire = rdata_text::parse_generic_rdata(&mut generic)?;
            if wire.is_empty() && !rdata_text::may_be_empty(record_type) {
                return Err(at_token(
                    &type_token,
                    "records with empty data (\\# 0) are not supported: DNS libraries, hickory among them, read an empty RDATA as an update prerequisite",
                ));
            }
            if record_type == RecordType::DNAME && !text::is_one_uncompressed_name(&wire) {
                // The server reads the target to rewrite names; Knot would load such data and
                // then answer with garbage.
                return Err(at_token(
                    &type_token,
                    "the data of a DNAME record must be exactly one domain name in wire form (labels, each after its length octet, ending with a 00 octet)",
                ));
            }
            wire
        }
        TextSupport::GenericOnly => {
            return Err(at_token(
                &type_token,
                format!(
                    "{} records have no text form that both Knot DNS and BIND read, so dnslab takes them as RFC 3597 generic data only: \\# <length> <hex>",
                    type_mnemonic(u16::from(record_type))
                ),
            ))
        }
        TextSupport::Readable => rdata_text::parse_rdata(&mut fields, record_type)?,
    };
    let rdata = rdata_from_wire(record_type, &wire, source)
        .map_err(|message| at_token(&type_token, message))?;

    if let RData::SOA(soa) = &rdata {
        if state.soa_minimum.is_none() {
            state.soa_minimum = Some(soa.minimum);
        }
    }
    let ttl = match ttl.or(state.default_ttl).or(state.last_explicit_ttl) {
        Some(ttl) => ttl,
        None => match (&rdata, state.soa_minimum) {
            (RData::SOA(soa), _) => soa.minimum,
            (_, Some(minimum)) => {
                warnings.push(ZoneError::at(
                    position,
                    format!("this record has no TTL and there is no $TTL line, so it gets the SOA's minimum, {minimum} seconds (as BIND does)"),
                ));
                minimum
            }
            (_, None) => {
                return Err(at_token(
                    &type_token,
                    "this record has no TTL and no default is known: add a line like \"$TTL 3600\" at the top, or write a TTL before the type",
                ))
            }
        },
    };

    let mut record = Record::from_rdata(owner, ttl, rdata);
    record.dns_class = class;
    Ok(ParsedRecord { record, position })
}

/// Where RDATA wire bytes came from, which decides what it means when hickory cannot read them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WireSource {
    /// Written by dnslab's parser of the type's text form, which checked every field: bytes
    /// hickory cannot decode (its CSYNC reader, for one, refuses type bitmaps with high windows)
    /// are still valid, and are kept as they are.
    TextForm,
    /// RFC 3597 `\#` data, checked by nothing but hickory's decoder.
    GenericForm,
}

/// Builds hickory's typed RDATA from wire bytes, checking that the bytes are valid for the type.
///
/// When hickory's decode-then-encode would not give back exactly these bytes (hickory normalises
/// some fields, e.g. CAA values), the record is kept as opaque RFC 3597 data so that what is
/// served is byte for byte what the zone says.
pub(crate) fn rdata_from_wire(
    record_type: RecordType,
    wire: &[u8],
    source: WireSource,
) -> Result<RData, String> {
    let opaque = || {
        let mut data = hickory_proto::rr::rdata::NULL::new();
        data.anything = wire.to_vec();
        RData::Unknown {
            code: record_type,
            rdata: data,
        }
    };
    let length = u16::try_from(wire.len())
        .map_err(|_| "the record data is longer than 65535 octets".to_owned())?;
    let mut decoder = BinDecoder::new(wire);
    let decoded = RData::read(&mut decoder, record_type, Restrict::new(length));
    let rdata = match decoded {
        Ok(rdata) if decoder.is_empty() => rdata,
        _ if source == WireSource::TextForm => return Ok(opaque()),
        Ok(_) => {
            return Err(format!(
                "the data is longer than a {} record's fields",
                type_mnemonic(u16::from(record_type))
            ))
        }
        Err(error) => {
            return Err(format!(
                "the data is not valid for a {} record: {error}",
                type_mnemonic(u16::from(record_type))
            ))
        }
    };
    let mut encoded = Vec::with_capacity(wire.len());
    let mut encoder = BinEncoder::new(&mut encoded);
    encoder.set_name_encoding(NameEncoding::Uncompressed);
    let same = rdata.emit(&mut encoder).is_ok() && encoded == wire;
    if same {
        Ok(rdata)
    } else {
        Ok(opaque())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn parse(text: &str) -> ParsedText {
        parse_records(text, Name::from_str("example.com.").ok().as_ref())
    }

    fn errors(text: &str) -> Vec<(usize, usize)> {
        parse(text)
            .errors
            .iter()
            .map(|error| (error.line, error.column))
            .collect()
    }

    #[test]
    fn defaults_owner_ttl_and_class_from_earlier_entries() {
        let parsed = parse("$TTL 300\nwww 60 IN A 192.0.2.1\n   AAAA ::1\nmail IN 120 MX 10 www\n");
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let summary: Vec<(String, u32, RecordType)> = parsed
            .records
            .iter()
            .map(|parsed| {
                (
                    parsed.record.name.to_string(),
                    parsed.record.ttl,
                    parsed.record.record_type(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("www.example.com.".to_owned(), 60, RecordType::A),
                ("www.example.com.".to_owned(), 300, RecordType::AAAA),
                ("mail.example.com.".to_owned(), 120, RecordType::MX),
            ]
        );
    }

    #[test]
    fn without_ttl_directive_the_last_explicit_ttl_then_the_soa_minimum_apply() {
        let parsed = parse("@ SOA ns hm 1 2 3 4 99\na 50 A 192.0.2.1\nb A 192.0.2.2\n");
        let ttls: Vec<u32> = parsed
            .records
            .iter()
            .map(|parsed| parsed.record.ttl)
            .collect();
        assert_eq!(ttls, [99, 50, 50]);
        let no_ttl = parse("a A 192.0.2.1\n");
        assert_eq!(no_ttl.errors.len(), 1);
    }

    #[test]
    fn keeps_going_after_errors_and_reports_each_position() {
        let text = "$TTL 60\na A 192.0.2.300\nb BOGUS x\n$INCLUDE other.zone\nc MX ten mail\nd A 192.0.2.4\n  TXT \"ok\"\n";
        let parsed = parse(text);
        assert_eq!(
            errors(text),
            [(2, 5), (3, 3), (4, 1), (5, 6)],
            "{:?}",
            parsed.errors
        );
        assert_eq!(parsed.records.len(), 2);
        assert!(parsed.errors[2]
            .message
            .contains("no file system in the browser"));
    }

    #[test]
    fn generic_data_builds_the_same_record_as_text() {
        let parsed = parse(
            "$TTL 60\na A 192.0.2.1\nb TYPE1 \\# 4 C0000201\nc CLASS1 TYPE65280 \\# 2 abcd\n",
        );
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(parsed.records[0].record.data, parsed.records[1].record.data);
        assert!(matches!(
            parsed.records[2].record.data,
            RData::Unknown { .. }
        ));
    }

    #[test]
    fn refuses_types_that_cannot_be_served() {
        assert_eq!(
            errors("a TKEY \\# 1 00\nc OPT \\# 0\nd AXFR \\# 1 00\ne NINFO \"x\"\n"),
            [(1, 3), (2, 3), (3, 3), (4, 3)]
        );
    }
}
