//! The field trees of the record types decoded field by field since the first oracle (MINFO to
//! SIG): every field a node with the span of its bytes, short data reported and shown the RFC
//! 3597 way, and the unusual cases (LOC version 1, APL bytes past the prefix, IPSECKEY gateway
//! types) at the right byte. The messages are the dig oracle's: Knot's answers from
//! types.test.zone and the hand-made records of make-dig-oracle.py.

use dnslab_core::dissect::mnemonic::type_mnemonic;
use dnslab_core::dissect::{dissect, Dissection, Field, RecordView, Severity, Span};

use super::{diagnostic_at, dig_oracle};

/// Each type's RDATA fields in wire order, as RFC layouts give them: `key:length` for a field of
/// fixed length, `key` for one of variable length (a name, a string, the rest of the data),
/// `key*` for one repeated zero or more times, `key?` for an optional one. Bit fields inside
/// another field's bytes are not listed (see [`owning_fields`]).
const LAYOUTS: &[(&str, &str)] = &[
    ("MB", "madname"),
    ("MG", "mgmname"),
    ("MR", "newname"),
    ("WKS", "address:4 ip_protocol:1 wks_services"),
    ("MINFO", "rmailbx emailbx"),
    ("RP", "mbox txt_domain"),
    ("AFSDB", "subtype:2 hostname"),
    ("X25", "psdn_address"),
    ("ISDN", "isdn_address subaddress?"),
    ("RT", "preference:2 intermediate"),
    ("NSAP-PTR", "nsap_ptr"),
    (
        "SIG",
        "type_covered:2 algorithm:1 labels:1 original_ttl:4 expiration:4 inception:4 key_tag:2 \
         signer signature",
    ),
    ("KEY", "flags:2 protocol:1 algorithm:1 public_key?"),
    ("PX", "preference:2 map822 mapx400"),
    ("GPOS", "longitude latitude altitude"),
    (
        "LOC",
        "version:1 size:1 horizontal_precision:1 vertical_precision:1 latitude:4 longitude:4 \
         altitude:4",
    ),
    ("KX", "preference:2 exchanger"),
    ("CERT", "cert_type:2 key_tag:2 algorithm:1 certificate"),
    ("APL", "item*"),
    (
        "IPSECKEY",
        "precedence:1 gateway_type:1 public_key_algorithm:1 gateway? public_key",
    ),
    (
        "DHCID",
        "identifier_type:2 dhcid_digest_type:1 dhcid_digest",
    ),
    (
        "HIP",
        "hit_length:1 public_key_algorithm:1 public_key_length:2 hit public_key \
         rendezvous_server*",
    ),
    ("NINFO", "text text*"),
    ("TALINK", "previous_name next_name"),
    ("OPENPGPKEY", "openpgp_key"),
    ("CSYNC", "soa_serial:4 flags:2 type_bitmap*"),
    (
        "ZONEMD",
        "soa_serial:4 scheme:1 zonemd_hash_algorithm:1 zone_digest",
    ),
    ("NID", "preference:2 node_id:8"),
    ("L32", "preference:2 locator32:4"),
    ("L64", "preference:2 locator64:8"),
    ("LP", "preference:2 locator_name"),
    ("EUI48", "eui48:6"),
    ("EUI64", "eui64:8"),
    ("URI", "priority:2 weight:2 uri"),
    ("AVC", "text text*"),
    ("AMTRELAY", "precedence:1 discovery_optional:1 relay?"),
    ("RESINFO", "text text*"),
    ("TA", "key_tag:2 algorithm:1 digest_type:1 digest"),
];

/// The RDATA node of `record` in the field tree.
fn rdata_node<'a>(dissection: &'a Dissection, record: &RecordView) -> &'a Field {
    fn find(fields: &[Field], span: Span) -> Option<&Field> {
        fields.iter().find_map(|field| {
            if field.key.ends_with(".rdata") && field.span == span {
                Some(field)
            } else {
                find(&field.children, span)
            }
        })
    }
    find(dissection.tree(), record.rdata_span).expect("an RDATA node for every record")
}

/// The record's own diagnostics (those inside its bytes).
fn record_diagnostics<'a>(
    dissection: &'a Dissection,
    record: &RecordView,
) -> Vec<&'a dnslab_core::dissect::Diagnostic> {
    dissection
        .diagnostics
        .iter()
        .filter(|diagnostic| {
            diagnostic.offset >= record.span.offset && diagnostic.offset <= record.span.end()
        })
        .collect()
}

/// The fields of `node` that own their bytes: every field but the bit fields that lie inside the
/// field before them. A byte read only as bit fields (APL's N and AFDLENGTH, AMTRELAY's D bit and
/// type) is owned by its first bit field.
fn owning_fields(node: &Field) -> Vec<&Field> {
    let mut owners: Vec<&Field> = Vec::new();
    for field in &node.children {
        // An empty field right after another (a missing key) is not inside it.
        let inside_previous = owners.last().is_some_and(|owner| {
            field.span.offset >= owner.span.offset
                && field.span.offset < owner.span.end()
                && field.span.end() <= owner.span.end()
        });
        if field.bits.is_none() || !inside_previous {
            assert!(
                !inside_previous || field.bits.is_some(),
                "{} overlaps the field before it",
                field.key
            );
            owners.push(field);
        }
    }
    owners
}

/// Checks that the fields of `node` that own their bytes follow `layout` and tile `node`'s span
/// exactly (so every bit field lies inside a field's bytes).
fn assert_layout(node: &Field, layout: &str, what: &str) {
    let fields = owning_fields(node);
    let mut position = node.span.offset;
    let mut index = 0;
    for token in layout.split_whitespace() {
        let (name, repeat) = match token.strip_suffix('*') {
            Some(name) => (name, usize::MAX),
            None => match token.strip_suffix('?') {
                Some(name) => (name, 1),
                None => (token, 0),
            },
        };
        let (name, length) = match name.split_once(':') {
            Some((name, length)) => (name, Some(length.parse::<usize>().expect("a length"))),
            None => (name, None),
        };
        let mut seen = 0;
        while let Some(field) = fields.get(index) {
            if !field.key.ends_with(&format!(".{name}")) {
                break;
            }
            assert_eq!(field.span.offset, position, "{what}: {} starts", field.key);
            if let Some(length) = length {
                assert_eq!(field.span.length, length, "{what}: {} length", field.key);
            }
            position = field.span.end();
            index += 1;
            seen += 1;
            if repeat == 0 || seen == repeat {
                break;
            }
        }
        assert!(
            repeat != 0 || seen == 1,
            "{what}: no {name} field where the layout has one: {:#?}",
            node.children
        );
    }
    assert_eq!(
        index,
        fields.len(),
        "{what}: fields the layout does not have: {:#?}",
        fields.get(index..)
    );
    assert_eq!(position, node.span.end(), "{what}: the fields end early");
}

/// Every oracle record of a listed type that the dissector found nothing wrong with.
fn valid_records() -> Vec<(String, Vec<u8>, usize)> {
    let mut found = Vec::new();
    for (label, bytes, _) in dig_oracle() {
        let dissection = dissect(&bytes);
        for (index, record) in dissection.records.iter().enumerate() {
            let known = LAYOUTS
                .iter()
                .any(|(rtype, _)| *rtype == type_mnemonic(record.rtype));
            let clean = record_diagnostics(&dissection, record)
                .iter()
                .all(|diagnostic| diagnostic.severity == Severity::Info);
            if known && clean && record.class == 1 {
                found.push((label.clone(), bytes.clone(), index));
            }
        }
    }
    found
}

#[test]
fn every_field_of_every_new_type_is_a_node_with_the_span_of_its_bytes() {
    let mut checked = std::collections::BTreeMap::new();
    for (label, bytes, index) in valid_records() {
        let dissection = dissect(&bytes);
        let record = &dissection.records[index];
        let rtype = type_mnemonic(record.rtype);
        let layout = LAYOUTS
            .iter()
            .find(|(known, _)| *known == rtype)
            .map(|(_, layout)| *layout)
            .expect("a listed type");
        let node = rdata_node(&dissection, record);
        assert!(
            !record.rdata.presentation.starts_with("\\# ") || rtype == "LOC" || rtype == "APL",
            "{label}: a valid {rtype} shown the RFC 3597 way"
        );
        if record.rdata.presentation.starts_with("\\# ") {
            // A LOC of another version, an APL of another family: dig's form, checked elsewhere.
            continue;
        }
        assert_layout(
            node,
            layout,
            &format!("{label}: {rtype} record {}", index + 1),
        );
        // APL items: family, prefix, the N and AFDLENGTH bits of one byte, the address part.
        for item in node
            .children
            .iter()
            .filter(|field| field.key.ends_with(".item"))
        {
            assert_layout(item, "family:2 prefix:1 negation:1 address?", &label);
        }
        *checked.entry(rtype.into_owned()).or_insert(0) += 1;
    }
    let missing: Vec<&str> = LAYOUTS
        .iter()
        .map(|(rtype, _)| *rtype)
        .filter(|rtype| !checked.contains_key(*rtype))
        .collect();
    assert!(missing.is_empty(), "no valid record of {missing:?} checked");
}

/// `bytes` with record `index`'s RDATA cut to its first `length` bytes (RDLENGTH lowered to
/// match), so the message stays whole and only the record data is short.
fn with_rdata_cut(bytes: &[u8], record: &RecordView, length: usize) -> Vec<u8> {
    let start = record.rdata_span.offset;
    let mut cut = Vec::with_capacity(bytes.len());
    cut.extend_from_slice(&bytes[..start - 2]);
    cut.extend_from_slice(&(length as u16).to_be_bytes());
    cut.extend_from_slice(&bytes[start..start + length]);
    cut.extend_from_slice(&bytes[record.rdata_span.end()..]);
    cut
}

/// How short to cut each type's data so that it cannot be whole: one byte less than its fixed
/// fields take, or into its first name or string, or nothing at all where data is required.
fn short_length(rtype: &str, layout: &str) -> usize {
    match rtype {
        "OPENPGPKEY" | "DHCID" => 0,
        "APL" => 3,
        _ => {
            let first = layout.split_whitespace().next().unwrap_or_default();
            match first.split_once(':') {
                Some((_, length)) => length.parse::<usize>().unwrap_or(1) - 1,
                None => 1,
            }
        }
    }
}

#[test]
fn short_data_of_every_new_type_is_reported_and_shown_the_rfc_3597_way() {
    let mut checked = std::collections::BTreeSet::new();
    for (label, bytes, index) in valid_records() {
        let dissection = dissect(&bytes);
        let record = &dissection.records[index];
        let rtype = type_mnemonic(record.rtype).into_owned();
        let Some((_, layout)) = LAYOUTS.iter().find(|(known, _)| *known == rtype) else {
            continue;
        };
        let length = short_length(&rtype, layout);
        if length >= record.rdata_span.length || !checked.insert(rtype.clone()) {
            continue;
        }
        let cut = with_rdata_cut(&bytes, record, length);
        let damaged = dissect(&cut);
        let short_record = &damaged.records[index];
        assert!(
            short_record.rdata.presentation.starts_with("\\# "),
            "{label}: {rtype} cut to {length} bytes: {}",
            short_record.rdata.presentation
        );
        let errors: Vec<_> = record_diagnostics(&damaged, short_record)
            .into_iter()
            .filter(|diagnostic| diagnostic.severity == Severity::Error)
            .collect();
        assert!(
            errors.iter().any(
                |diagnostic| diagnostic.offset >= short_record.rdata_span.offset
                    && diagnostic.offset <= short_record.rdata_span.end()
            ),
            "{label}: {rtype} cut to {length} bytes: no error in its data: {:#?}",
            damaged.diagnostics
        );
        // The tree is still built, within the message.
        let node = rdata_node(&damaged, short_record);
        assert!(node.span.end() <= cut.len());
    }
    let missing: Vec<&str> = LAYOUTS
        .iter()
        .map(|(rtype, _)| *rtype)
        .filter(|rtype| !checked.contains(*rtype))
        .collect();
    assert!(missing.is_empty(), "no short record of {missing:?} checked");
}

/// The oracle message with `label`, dissected, and its first answer.
fn oracle_message(label: &str) -> (Dissection, Vec<String>) {
    let (_, bytes, lines) = dig_oracle()
        .into_iter()
        .find(|(known, _, _)| known == label)
        .unwrap_or_else(|| panic!("no oracle message {label}"));
    (dissect(&bytes), lines)
}

/// The RDATA text dig printed for the first answer of an oracle message.
fn digs_rdata(lines: &[String]) -> String {
    let line = lines
        .iter()
        .skip_while(|line| *line != ";; ANSWER SECTION:")
        .nth(1)
        .expect("an answer line");
    super::split_record_line(line).expect("five columns")[4].to_owned()
}

#[test]
fn a_loc_of_version_1_is_a_warning_at_its_version_and_shown_as_dig_shows_it() {
    let (dissection, lines) = oracle_message("type case 0 LOC");
    let record = &dissection.records[0];
    assert_eq!(record.rdata.presentation, digs_rdata(&lines));
    assert!(record.rdata.presentation.starts_with("\\# 16 01"));
    let warning = diagnostic_at(&dissection, record.rdata_span.offset, Severity::Warning);
    assert!(warning.message.contains("version 1"), "{}", warning.message);
    assert!(!dissection.has_errors(), "{:#?}", dissection.diagnostics);
    let node = rdata_node(&dissection, record);
    assert_layout(node, "version:1 data", "LOC version 1");
}

#[test]
fn apl_address_bytes_past_the_prefix_are_a_warning_at_those_bytes() {
    // 1:192.0.2.1/8 written with all four address bytes, where /8 needs one.
    let (dissection, lines) = oracle_message("type case 12 APL");
    let record = &dissection.records[0];
    assert_eq!(record.rdata.presentation, digs_rdata(&lines));
    let address_offset = record.rdata_span.offset + 4;
    let warning = diagnostic_at(&dissection, address_offset + 1, Severity::Warning);
    assert_eq!(warning.length, 3, "{warning:?}");
    assert!(!dissection.has_errors(), "{:#?}", dissection.diagnostics);
}

#[test]
fn an_ipseckey_of_an_unknown_gateway_type_is_an_error_at_the_type() {
    let (dissection, lines) = oracle_message("type case 21 IPSECKEY");
    // dig refuses the message ("not implemented"); dnslab shows the data the RFC 3597 way.
    assert!(lines.iter().any(|line| line.contains("not implemented")));
    let record = &dissection.records[0];
    assert!(
        record.rdata.presentation.starts_with("\\# "),
        "{}",
        record.rdata.presentation
    );
    let error = diagnostic_at(&dissection, record.rdata_span.offset + 1, Severity::Error);
    assert!(error.message.contains("type is 4"), "{}", error.message);
    let node = rdata_node(&dissection, record);
    assert_layout(
        node,
        "precedence:1 gateway_type:1 public_key_algorithm:1 data",
        "IPSECKEY gateway type 4",
    );
}

#[test]
fn an_ipseckey_gateway_name_behind_a_pointer_is_followed_and_a_warning() {
    let (dissection, lines) = oracle_message("type case 23 IPSECKEY");
    let record = &dissection.records[0];
    assert_eq!(record.rdata.presentation, digs_rdata(&lines));
    diagnostic_at(&dissection, record.rdata_span.offset + 3, Severity::Warning);
    assert!(!dissection.has_errors(), "{:#?}", dissection.diagnostics);
}

/// Copies of `message` with one to four bytes changed, flipped or the end cut, reproducibly
/// (xorshift from a fixed seed): damage where a decoder might read past what is there.
fn damaged_copies(message: &[u8], copies: usize, seed: u64) -> Vec<Vec<u8>> {
    let mut state = seed | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..copies)
        .map(|_| {
            let mut copy = message.to_vec();
            for _ in 0..(next() % 4 + 1) {
                if copy.is_empty() {
                    break;
                }
                let index = (next() as usize) % copy.len();
                match next() % 4 {
                    0 => copy[index] = next() as u8,
                    1 => copy.truncate(index),
                    2 => copy[index] ^= 1 << (next() % 8),
                    // Small values where lengths and types live.
                    _ => copy[index] = (next() % 8) as u8,
                }
            }
            copy
        })
        .collect()
}

#[test]
fn damaged_records_of_the_new_types_keep_the_fuzz_invariants() {
    let mut messages = 0;
    for (seed, (_, bytes, _)) in dig_oracle().into_iter().enumerate() {
        let dissection = dissect(&bytes);
        let has_new_type = dissection.records.iter().any(|record| {
            LAYOUTS
                .iter()
                .any(|(rtype, _)| *rtype == type_mnemonic(record.rtype))
        });
        if !has_new_type {
            continue;
        }
        messages += 1;
        for copy in damaged_copies(&bytes, 200, 0x9e37_79b9_7f4a_7c15 ^ seed as u64) {
            super::assert_fuzz_invariants(&copy);
        }
    }
    assert!(messages > 100, "only {messages} messages damaged");
}
