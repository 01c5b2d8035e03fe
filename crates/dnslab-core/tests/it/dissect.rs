//! The dissector against real captures, hand-built malformed messages, hickory-proto's strict
//! decoder (differential checks) and random messages built with hickory-proto.

use std::collections::BTreeMap;

use dnslab_core::dissect::mnemonic::{class_mnemonic, type_mnemonic};
use dnslab_core::dissect::{dissect, Dissection, Section};
use dnslab_core::iana::{opcode_mnemonic, rcode_mnemonic};

use crate::captures::captures_dir;

mod record_types;

/// One DNS message from the captures, named after its file.
pub(crate) struct CapturedMessage {
    pub name: String,
    pub bytes: Vec<u8>,
}

fn hex_to_bytes(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text
        .bytes()
        .filter(u8::is_ascii_hexdigit)
        .map(|digit| match digit {
            b'0'..=b'9' => digit - b'0',
            b'a'..=b'f' => digit - b'a' + 10,
            _ => digit - b'A' + 10,
        })
        .collect();
    digits
        .chunks(2)
        .map(|pair| pair[0] << 4 | pair.get(1).copied().unwrap_or(0))
        .collect()
}

/// Every DNS message of the hex-stream pastes, with the TCP length prefix removed for TCP
/// frames (the folder's expected.json says which frames are TCP).
pub(crate) fn captured_messages() -> Vec<CapturedMessage> {
    let mut messages = Vec::new();
    for folder in ["paste-example-com", "paste-sll2"] {
        let directory = captures_dir().join(folder);
        let expected: BTreeMap<String, serde_json::Value> = serde_json::from_str(
            &std::fs::read_to_string(directory.join("expected.json")).expect("expected.json"),
        )
        .expect("expected.json parses");
        for (frame, entry) in &expected {
            let path = directory.join(format!("{frame}.ws-hexstream.txt"));
            let text = std::fs::read_to_string(&path).expect("hex stream file");
            let mut bytes = hex_to_bytes(&text);
            if entry["tcp"].as_bool() == Some(true) {
                let length = usize::from(u16::from_be_bytes([bytes[0], bytes[1]]));
                bytes.drain(..2);
                assert_eq!(length, bytes.len(), "{folder}/{frame}: TCP length prefix");
            }
            messages.push(CapturedMessage {
                name: format!("{folder}/{frame}"),
                bytes,
            });
        }
    }
    messages
}

/// The captures' messages decode to tshark's values recorded in expected.json.
#[test]
fn captured_messages_match_tsharks_values() {
    let mut checked = 0;
    for folder in ["paste-example-com", "paste-sll2"] {
        let directory = captures_dir().join(folder);
        let expected: BTreeMap<String, serde_json::Value> = serde_json::from_str(
            &std::fs::read_to_string(directory.join("expected.json")).expect("expected.json"),
        )
        .expect("expected.json parses");
        let messages = captured_messages();
        for (frame, entry) in &expected {
            let name = format!("{folder}/{frame}");
            let message = messages
                .iter()
                .find(|message| message.name == name)
                .expect("message");
            let dissection = dissect(&message.bytes);
            let expect = &entry["expect"];
            let header = dissection.header.as_ref().expect("header");
            let flag = |key: &str| expect[key].as_u64().expect(key);
            assert_eq!(u64::from(header.id), flag("ID"), "{name}");
            assert_eq!(u64::from(header.qr), flag("QR"), "{name}");
            assert_eq!(u64::from(header.aa), flag("AA"), "{name}");
            assert_eq!(u64::from(header.tc), flag("TC"), "{name}");
            assert_eq!(u64::from(header.rd), flag("RD"), "{name}");
            assert_eq!(u64::from(header.ra), flag("RA"), "{name}");
            assert_eq!(u64::from(header.ad), flag("AD"), "{name}");
            assert_eq!(u64::from(header.cd), flag("CD"), "{name}");
            assert_eq!(u64::from(header.opcode), flag("Opcode"), "{name}");
            assert_eq!(
                u64::from(dissection.rcode().expect("rcode")),
                flag("RCODE"),
                "{name}"
            );
            assert_eq!(u64::from(header.ancount), flag("ANCOUNT"), "{name}");
            let question = dissection.questions.first().expect("question");
            let qname = expect["QNAME"].as_str().expect("QNAME");
            assert_eq!(question.name.text.trim_end_matches('.'), qname, "{name}");
            assert_eq!(u64::from(question.qtype), flag("QTYPE"), "{name}");
            let answers: Vec<_> = dissection.section(Section::Answer).collect();
            let expected_answers = expect["answers"].as_array().expect("answers");
            assert_eq!(answers.len(), expected_answers.len(), "{name}");
            for (answer, wanted) in answers.iter().zip(expected_answers) {
                assert_eq!(
                    answer.name.text.trim_end_matches('.'),
                    wanted["NAME"].as_str().expect("NAME"),
                    "{name}"
                );
                assert_eq!(
                    u64::from(answer.rtype),
                    wanted["TYPE"].as_u64().expect("TYPE"),
                    "{name}"
                );
                assert_eq!(
                    u64::from(answer.ttl),
                    wanted["TTL"].as_u64().expect("TTL"),
                    "{name}"
                );
                // tshark gives a value for A, AAAA, CNAME, NS and MX only.
                let Some(value) = wanted["value"].as_str() else {
                    continue;
                };
                let presentation = &answer.rdata.presentation;
                let shown = match answer.rtype {
                    // tshark shows the MX exchange alone.
                    15 => presentation
                        .split(' ')
                        .nth(1)
                        .unwrap_or_default()
                        .trim_end_matches('.'),
                    _ => presentation.trim_end_matches('.'),
                };
                assert_eq!(shown, value, "{name}");
            }
            assert!(
                !dissection.has_errors(),
                "{name}: {:?}",
                dissection.diagnostics
            );
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} frames checked");
}

/// The oracle file: messages from Knot DNS or built by hand, next to what dig 9.18 printed
/// for them (see tests/data/dissect/make-dig-oracle.py).
fn dig_oracle() -> Vec<(String, Vec<u8>, Vec<String>)> {
    let path = crate::manifest_dir().join("tests/data/dissect/dig-oracle.json");
    let document: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("dig-oracle.json"))
            .expect("dig-oracle.json parses");
    document["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .map(|entry| {
            let lines = entry["dig"]
                .as_array()
                .expect("dig lines")
                .iter()
                .map(|line| line.as_str().expect("line").to_owned())
                .collect();
            (
                entry["label"].as_str().expect("label").to_owned(),
                hex_to_bytes(entry["hex"].as_str().expect("hex")),
                lines,
            )
        })
        .collect()
}

/// Splits a dig record line into owner, TTL, class, type and RDATA. dig separates the first
/// four columns with tabs or, when a column overflows, a space; the RDATA is the rest.
fn split_record_line(line: &str) -> Option<[&str; 5]> {
    let mut rest = line;
    let mut columns = [""; 5];
    for column in columns.iter_mut().take(4) {
        let end = rest.find([' ', '\t'])?;
        *column = &rest[..end];
        rest = rest[end..].trim_start_matches([' ', '\t']);
    }
    columns[4] = rest;
    Some(columns)
}

/// Types whose RDATA the dissector decodes the way dig prints it; for the others (NULL-like
/// types BIND has no text form for, such as NSAP, EID or ATMA) the dissector prints the RFC 3597
/// form and dig may print its own.
fn dissector_formats_like_dig(type_text: &str) -> bool {
    DECODED.contains(&type_text) || type_text.starts_with("TYPE")
}

/// The types of [`dissector_formats_like_dig`], each of which the oracle must have.
const DECODED: &[&str] = &[
    "A",
    "AAAA",
    "NS",
    "CNAME",
    "PTR",
    "DNAME",
    "MX",
    "SOA",
    "TXT",
    "SPF",
    "HINFO",
    "SRV",
    "CAA",
    "NAPTR",
    "SSHFP",
    "TLSA",
    "SMIMEA",
    "SVCB",
    "HTTPS",
    "DS",
    "CDS",
    "DNSKEY",
    "CDNSKEY",
    "RRSIG",
    "NSEC",
    "NSEC3",
    "NSEC3PARAM",
    "NULL",
    "MB",
    "MG",
    "MR",
    "WKS",
    "MINFO",
    "RP",
    "AFSDB",
    "X25",
    "ISDN",
    "RT",
    "NSAP-PTR",
    "SIG",
    "KEY",
    "PX",
    "GPOS",
    "LOC",
    "KX",
    "CERT",
    "APL",
    "IPSECKEY",
    "DHCID",
    "HIP",
    "NINFO",
    "TALINK",
    "OPENPGPKEY",
    "CSYNC",
    "ZONEMD",
    "NID",
    "L32",
    "L64",
    "LP",
    "EUI48",
    "EUI64",
    "URI",
    "AVC",
    "AMTRELAY",
    "RESINFO",
    "TA",
];

fn header_line(dissection: &Dissection) -> String {
    let header = dissection.header.as_ref().expect("header");
    format!(
        ";; ->>HEADER<<- opcode: {}, status: {}, id: ",
        opcode_mnemonic(header.opcode),
        rcode_mnemonic(dissection.rcode().expect("rcode"))
    )
}

/// Every record dig printed has the dissector's owner, TTL, class, type and RDATA text; the
/// header status and the OPT PSEUDOSECTION lines match too.
#[test]
fn presentation_matches_dig_9_18_for_every_oracle_message() {
    let mut records_compared = 0;
    let mut options_compared = 0;
    let mut types_compared = BTreeMap::new();
    for (label, bytes, lines) in dig_oracle() {
        if lines
            .iter()
            .any(|line| line.starts_with(";; Got bad packet"))
        {
            // dig rejected the message and printed a hex dump; nothing to compare with.
            continue;
        }
        let dissection = dissect(&bytes);
        let status_line = lines
            .iter()
            .find(|line| line.starts_with(";; ->>HEADER<<-"))
            .unwrap_or_else(|| panic!("{label}: no header line in {lines:?}"));
        assert!(
            status_line.starts_with(&header_line(&dissection)),
            "{label}: {status_line} vs {}",
            header_line(&dissection)
        );
        let mut section: Option<Section> = None;
        let mut printed = Vec::new();
        let mut option_lines = Vec::new();
        let mut in_pseudosection = false;
        for line in &lines {
            match line.as_str() {
                ";; ANSWER SECTION:" => section = Some(Section::Answer),
                ";; AUTHORITY SECTION:" => section = Some(Section::Authority),
                ";; ADDITIONAL SECTION:" => section = Some(Section::Additional),
                ";; OPT PSEUDOSECTION:" => in_pseudosection = true,
                "" => section = None,
                _ if line.starts_with(";;") => in_pseudosection = false,
                _ if in_pseudosection && line.starts_with("; ") && !line.starts_with("; EDNS:") => {
                    option_lines.push(line.clone())
                }
                _ if line.starts_with(';') => {}
                _ => {
                    if let Some(section) = section {
                        printed.push((section, line.clone()));
                    }
                }
            }
        }
        // dig shows the OPT record of the additional section in its OPT PSEUDOSECTION, and an
        // OPT record elsewhere as a record.
        let records: Vec<_> = dissection
            .records
            .iter()
            .filter(|record| record.rtype != 41 || record.section != Section::Additional)
            .collect();
        // When dig's parser gives up on a record it prints the records before it only.
        let dig_gave_up = lines
            .iter()
            .any(|line| line.contains("Message parser reports malformed message packet"));
        if dig_gave_up {
            assert!(records.len() >= printed.len(), "{label}: record count");
        } else {
            assert_eq!(records.len(), printed.len(), "{label}: record count");
        }
        for (record, (section, line)) in records.iter().zip(&printed) {
            let [owner, ttl, class, rtype, rdata] =
                split_record_line(line).unwrap_or_else(|| panic!("{label}: {line}"));
            assert_eq!(record.section, *section, "{label}: {line}");
            assert_eq!(record.name.text, owner, "{label}: owner in {line}");
            assert_eq!(record.ttl.to_string(), ttl, "{label}: TTL in {line}");
            assert_eq!(
                class_mnemonic(record.class),
                class,
                "{label}: class in {line}"
            );
            assert_eq!(
                type_mnemonic(record.rtype),
                rtype,
                "{label}: type in {line}"
            );
            let expiration_beyond_2094 = record.rtype == 46 && label.starts_with("edge");
            if dissector_formats_like_dig(rtype) && !expiration_beyond_2094 {
                assert_eq!(record.rdata.presentation, rdata, "{label}: RDATA of {line}");
                records_compared += 1;
                *types_compared.entry(rtype.to_owned()).or_insert(0) += 1;
            }
        }
        if let Some(edns) = &dissection.edns {
            let ours: Vec<String> = edns
                .options
                .iter()
                .map(|option| {
                    let mut line = format!("; {}:", option.mnemonic);
                    if !option.presentation.is_empty() {
                        line.push(' ');
                        line.push_str(&option.presentation);
                    }
                    line
                })
                .collect();
            assert_eq!(ours, option_lines, "{label}: OPT PSEUDOSECTION");
            options_compared += ours.len();
            let edns_line = lines
                .iter()
                .find(|line| line.starts_with("; EDNS:"))
                .unwrap_or_else(|| panic!("{label}: no EDNS line"));
            let mut expected = format!(
                "; EDNS: version: {}, flags:{}; ",
                edns.version,
                if edns.dnssec_ok { " do" } else { "" }
            );
            if edns.z != 0 {
                expected.push_str(&format!("MBZ: 0x{:04x}, ", edns.z));
            }
            expected.push_str(&format!("udp: {}", edns.udp_payload_size));
            assert_eq!(edns_line, &expected, "{label}");
        } else {
            assert!(
                option_lines.is_empty(),
                "{label}: dig saw options we did not"
            );
        }
    }
    assert!(
        records_compared > 80,
        "only {records_compared} records compared"
    );
    let never: Vec<&&str> = DECODED
        .iter()
        .filter(|rtype| !types_compared.contains_key(**rtype))
        .collect();
    assert!(never.is_empty(), "no record of {never:?} compared with dig");
    assert!(
        options_compared > 40,
        "only {options_compared} options compared"
    );
}

// ---------------------------------------------------------------------------------------------
// Malformed messages: each test builds the bytes by hand and asserts where the diagnostic is.
// ---------------------------------------------------------------------------------------------

use dnslab_core::dissect::{Diagnostic, Severity};

/// A 12-byte header: ID 0x1234, the given flags and counts.
fn header(flags: u16, qdcount: u16, ancount: u16, nscount: u16, arcount: u16) -> Vec<u8> {
    let mut bytes = vec![0x12, 0x34];
    for value in [flags, qdcount, ancount, nscount, arcount] {
        bytes.extend_from_slice(&value.to_be_bytes());
    }
    bytes
}

/// The question `a.example. IN A` (15 bytes: name 11, type 2, class 2) at offset 12.
const QUESTION_A_EXAMPLE: &[u8] = b"\x01a\x07example\x00\x00\x01\x00\x01";

/// The diagnostic at `offset` with `severity`, or a failure listing all diagnostics.
fn diagnostic_at(dissection: &Dissection, offset: usize, severity: Severity) -> &Diagnostic {
    dissection
        .diagnostics
        .iter()
        .find(|diagnostic| diagnostic.offset == offset && diagnostic.severity == severity)
        .unwrap_or_else(|| {
            panic!(
                "no {severity:?} at offset {offset}; diagnostics: {:#?}",
                dissection.diagnostics
            )
        })
}

#[test]
fn truncated_header_is_an_error_at_offset_zero() {
    // 0: ID 12 34 | 2: flags 01 (one byte of two) — 3 bytes in all.
    let dissection = dissect(&[0x12, 0x34, 0x01]);
    let diagnostic = diagnostic_at(&dissection, 0, Severity::Error);
    assert_eq!(diagnostic.length, 3);
    assert!(diagnostic.message.contains("12-byte header"));
    assert!(dissection.header.is_none());
    assert!(
        dissection.find_field("header.id").is_some(),
        "the ID is still shown"
    );
}

#[test]
fn truncated_question_is_an_error_at_the_missing_field() {
    // 0: header, QDCOUNT 1 | 12: name "a.example." (11 bytes) | 23: QTYPE 00 01 | 25: QCLASS
    // cut after one byte.
    let mut message = header(0x0100, 1, 0, 0, 0);
    message.extend_from_slice(&QUESTION_A_EXAMPLE[..14]);
    let dissection = dissect(&message);
    let diagnostic = diagnostic_at(&dissection, 25, Severity::Error);
    assert_eq!(diagnostic.length, 1);
    assert!(dissection.questions.is_empty());
    assert_eq!(
        dissection
            .find_field("question.type")
            .map(|field| field.value.as_str()),
        Some("1 (A)")
    );
}

#[test]
fn truncated_name_is_an_error_where_the_data_ends() {
    // 0: header, QDCOUNT 1 | 12: label "a" | 14: label "exam" of a declared 7 bytes — ends at 19.
    let mut message = header(0, 1, 0, 0, 0);
    message.extend_from_slice(b"\x01a\x07exam");
    let dissection = dissect(&message);
    let diagnostic = diagnostic_at(&dissection, 14, Severity::Error);
    assert!(
        diagnostic.message.contains("only 4"),
        "{}",
        diagnostic.message
    );
}

#[test]
fn truncated_record_fixed_fields_are_an_error_after_the_owner_name() {
    // 0: header, ANCOUNT 1 | 12: question (15) | 27: owner C0 0C | 29: TYPE 00 01 | 31: CLASS
    // 00 (one byte) — the fixed part needs 10 bytes, only 3 are there.
    let mut message = header(0x8000, 1, 1, 0, 0);
    message.extend_from_slice(QUESTION_A_EXAMPLE);
    message.extend_from_slice(&[0xc0, 0x0c, 0x00, 0x01, 0x00]);
    let dissection = dissect(&message);
    let diagnostic = diagnostic_at(&dissection, 29, Severity::Error);
    assert_eq!(diagnostic.length, 3);
    assert!(dissection.records.is_empty());
}

#[test]
fn rdata_cut_off_by_the_end_of_the_message_is_an_error_at_rdlength() {
    // 0: header, ANCOUNT 1 | 12: question | 27: C0 0C, A, IN, TTL 60 | 37: RDLENGTH 4 |
    // 39: 2 of the 4 address bytes.
    let mut message = header(0x8000, 1, 1, 0, 0);
    message.extend_from_slice(QUESTION_A_EXAMPLE);
    message.extend_from_slice(&[0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0]);
    let dissection = dissect(&message);
    diagnostic_at(&dissection, 37, Severity::Error);
    let record = dissection
        .records
        .first()
        .expect("the record is still shown");
    assert_eq!(record.rdata_span.length, 2);
    assert_eq!(record.rdata.presentation, "\\# 2 C000");
}

#[test]
fn counts_larger_than_the_data_are_an_error_at_the_count() {
    // 0: header, QDCOUNT 1, ANCOUNT 3 | 12: question | 27: one A record (16 bytes) | 43: end.
    let mut message = header(0x8000, 1, 3, 0, 0);
    message.extend_from_slice(QUESTION_A_EXAMPLE);
    message.extend_from_slice(&[0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1]);
    let dissection = dissect(&message);
    let diagnostic = diagnostic_at(&dissection, 6, Severity::Error);
    assert_eq!(diagnostic.length, 2);
    assert!(
        diagnostic.message.contains("3 answer records"),
        "{}",
        diagnostic.message
    );
    assert!(
        diagnostic.message.contains("after 1"),
        "{}",
        diagnostic.message
    );
    assert_eq!(dissection.records.len(), 1);
}

#[test]
fn huge_counts_do_not_allocate_or_loop() {
    // 0: header with all four counts 65535 and nothing after it.
    let message = header(0, 0xffff, 0xffff, 0xffff, 0xffff);
    let dissection = dissect(&message);
    diagnostic_at(&dissection, 4, Severity::Error);
    assert!(dissection.questions.is_empty());
    assert!(dissection.questions.capacity() < 64);
    assert!(dissection.records.capacity() < 64);
}

#[test]
fn pointer_loop_is_an_error_at_the_pointer_that_repeats() {
    // 0: header, QDCOUNT 1 | 12: label "a", then pointer C0 10 (to 16) | 16: pointer C0 0C
    // (back to 12): 12 → 16 → 12 → … never ends.
    let mut message = header(0, 1, 0, 0, 0);
    message.extend_from_slice(&[0x01, b'a', 0xc0, 0x10, 0xc0, 0x0c, 0, 1, 0, 1]);
    let dissection = dissect(&message);
    let diagnostic = dissection
        .diagnostics
        .iter()
        .find(|diagnostic| diagnostic.message.contains("loop"))
        .unwrap_or_else(|| panic!("{:#?}", dissection.diagnostics));
    assert_eq!(diagnostic.severity, Severity::Error);
    assert_eq!(diagnostic.offset, 14);
}

#[test]
fn pointer_to_itself_is_an_error() {
    // 0: header, QDCOUNT 1 | 12: pointer C0 0C, pointing at offset 12, its own first byte.
    let mut message = header(0, 1, 0, 0, 0);
    message.extend_from_slice(&[0xc0, 0x0c, 0, 1, 0, 1]);
    let dissection = dissect(&message);
    let diagnostic = diagnostic_at(&dissection, 12, Severity::Error);
    assert!(
        diagnostic.message.contains("itself"),
        "{}",
        diagnostic.message
    );
    // The pointer's two bytes end the name in place, so the question's type and class still
    // decode.
    assert_eq!(
        dissection
            .find_field("question.type")
            .map(|f| f.span.offset),
        Some(14)
    );
}

#[test]
fn forward_pointer_is_an_error_but_is_followed() {
    // 0: header, QDCOUNT 1 | 12: pointer C0 12 (to 18, after itself) | 14: QTYPE, QCLASS |
    // 18: name "x." — the pointer does not point backwards.
    let mut message = header(0, 1, 0, 0, 0);
    message.extend_from_slice(&[0xc0, 0x12, 0, 1, 0, 1, 0x01, b'x', 0x00]);
    let dissection = dissect(&message);
    let diagnostic = diagnostic_at(&dissection, 12, Severity::Error);
    assert!(
        diagnostic.message.contains("after the pointer"),
        "{}",
        diagnostic.message
    );
    assert_eq!(dissection.questions[0].name.text, "x.");
}

#[test]
fn pointer_chain_is_reported_as_info() {
    // 0: header, QDCOUNT 2 | 12: "example." (9) + A IN | 25: "b" + C0 0C + A IN | 33: C0 19
    // (to 25) + A IN: the second name's pointer leads to a name that itself ends in a pointer.
    let mut message = header(0, 3, 0, 0, 0);
    message.extend_from_slice(b"\x07example\x00\x00\x01\x00\x01");
    message.extend_from_slice(&[0x01, b'b', 0xc0, 0x0c, 0, 1, 0, 1]);
    message.extend_from_slice(&[0xc0, 0x19, 0, 1, 0, 1]);
    let dissection = dissect(&message);
    assert_eq!(dissection.questions[2].name.text, "b.example.");
    let diagnostic = diagnostic_at(&dissection, 33, Severity::Info);
    assert!(
        diagnostic.message.contains("chain of 2"),
        "{}",
        diagnostic.message
    );
    assert!(!dissection.has_errors());
}

#[test]
fn reserved_label_type_0x40_is_an_error_at_the_length_octet() {
    // 0: header, QDCOUNT 1 | 12: label "a" | 14: 0x41 (top bits 01: extended label type).
    let mut message = header(0, 1, 0, 0, 0);
    message.extend_from_slice(&[0x01, b'a', 0x41, 0x00, 0, 1, 0, 1]);
    let dissection = dissect(&message);
    let diagnostic = diagnostic_at(&dissection, 14, Severity::Error);
    assert!(
        diagnostic.message.contains("0x41"),
        "{}",
        diagnostic.message
    );
}

#[test]
fn reserved_label_type_0x80_is_an_error_at_the_length_octet() {
    // 0: header, QDCOUNT 1 | 12: 0x80 (top bits 10: reserved).
    let mut message = header(0, 1, 0, 0, 0);
    message.extend_from_slice(&[0x80, 0x00, 0, 1, 0, 1]);
    let dissection = dissect(&message);
    let diagnostic = diagnostic_at(&dissection, 12, Severity::Error);
    assert!(diagnostic.message.contains("10"), "{}", diagnostic.message);
}

#[test]
fn label_length_over_63_is_an_error_at_the_length_octet() {
    // 0: header, QDCOUNT 1 | 12: length octet 64 (0x40) followed by 64 bytes of "a" | 77: 00.
    let mut message = header(0, 1, 0, 0, 0);
    message.push(64);
    message.extend_from_slice(&[b'a'; 64]);
    message.extend_from_slice(&[0x00, 0, 1, 0, 1]);
    let dissection = dissect(&message);
    let diagnostic = diagnostic_at(&dissection, 12, Severity::Error);
    assert!(diagnostic.message.contains("64"), "{}", diagnostic.message);
    assert!(diagnostic.message.contains("63"), "{}", diagnostic.message);
}

#[test]
fn name_over_255_octets_is_an_error_at_the_label_that_crosses() {
    // 0: header, QDCOUNT 1 | 12: five labels of 63 "a" (64 bytes each: 12, 76, 140, 204, 268) |
    // 332: root | 333: QTYPE, QCLASS. The fourth label brings the name to 257 octets with root.
    let mut message = header(0, 1, 0, 0, 0);
    for _ in 0..5 {
        message.push(63);
        message.extend_from_slice(&[b'a'; 63]);
    }
    message.extend_from_slice(&[0x00, 0, 1, 0, 1]);
    let dissection = dissect(&message);
    let diagnostic = diagnostic_at(&dissection, 204, Severity::Error);
    assert!(diagnostic.message.contains("255"), "{}", diagnostic.message);
    // The walk still finds the name's end and reads the type and class after it.
    assert_eq!(
        dissection
            .find_field("question.type")
            .map(|f| f.span.offset),
        Some(333)
    );
}

#[test]
fn rdlength_too_short_for_the_type_is_an_error_at_the_rdata() {
    // 0: header, ANCOUNT 1 | 12: question | 27: C0 0C, A, IN, TTL 60 | 37: RDLENGTH 3 |
    // 39: 3 bytes — an A record needs 4.
    let mut message = header(0x8000, 1, 1, 0, 0);
    message.extend_from_slice(QUESTION_A_EXAMPLE);
    message.extend_from_slice(&[0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 3, 192, 0, 2]);
    let dissection = dissect(&message);
    let diagnostic = diagnostic_at(&dissection, 39, Severity::Error);
    assert!(
        diagnostic.message.contains("RDLENGTH is 3"),
        "{}",
        diagnostic.message
    );
    assert_eq!(dissection.records[0].rdata.presentation, "\\# 3 C00002");
}

#[test]
fn rdlength_too_long_for_the_type_is_an_error_at_the_leftover_bytes() {
    // 0: header, ANCOUNT 1 | 12: question | 27: C0 0C, A, IN, TTL 60 | 37: RDLENGTH 5 |
    // 39: address 192.0.2.1 | 43: one byte too many.
    let mut message = header(0x8000, 1, 1, 0, 0);
    message.extend_from_slice(QUESTION_A_EXAMPLE);
    message.extend_from_slice(&[0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 5, 192, 0, 2, 1, 9]);
    let dissection = dissect(&message);
    let diagnostic = diagnostic_at(&dissection, 43, Severity::Error);
    assert_eq!(diagnostic.length, 1);
    assert!(
        diagnostic.message.contains("left over"),
        "{}",
        diagnostic.message
    );
}

#[test]
fn name_running_past_rdlength_is_an_error() {
    // 0: header, ANCOUNT 1 | 12: question | 27: C0 0C, CNAME, IN, TTL 60 | 37: RDLENGTH 3 |
    // 39: "\x03www" needs 4 bytes plus a root label, but RDATA holds 3.
    let mut message = header(0x8000, 1, 1, 0, 0);
    message.extend_from_slice(QUESTION_A_EXAMPLE);
    message.extend_from_slice(&[0xc0, 0x0c, 0, 5, 0, 1, 0, 0, 0, 60, 0, 3]);
    message.extend_from_slice(b"\x03www\x00");
    let dissection = dissect(&message);
    diagnostic_at(&dissection, 39, Severity::Error);
}

#[test]
fn trailing_bytes_are_a_warning_where_they_start() {
    // 0: header, QDCOUNT 1 | 12: question | 27: two bytes nobody counted.
    let mut message = header(0, 1, 0, 0, 0);
    message.extend_from_slice(QUESTION_A_EXAMPLE);
    message.extend_from_slice(&[0xde, 0xad]);
    let dissection = dissect(&message);
    let diagnostic = diagnostic_at(&dissection, 27, Severity::Warning);
    assert_eq!(diagnostic.length, 2);
}

#[test]
fn ttl_with_the_high_bit_set_is_a_warning_at_the_ttl() {
    // 0: header, ANCOUNT 1 | 12: question | 27: C0 0C, A, IN | 33: TTL 0x80000000 |
    // 37: RDLENGTH 4 | 39: 192.0.2.1
    let mut message = header(0x8000, 1, 1, 0, 0);
    message.extend_from_slice(QUESTION_A_EXAMPLE);
    message.extend_from_slice(&[0xc0, 0x0c, 0, 1, 0, 1, 0x80, 0, 0, 0, 0, 4, 192, 0, 2, 1]);
    let dissection = dissect(&message);
    let diagnostic = diagnostic_at(&dissection, 33, Severity::Warning);
    assert_eq!(diagnostic.length, 4);
    assert!(
        diagnostic.message.contains("RFC 2181"),
        "{}",
        diagnostic.message
    );
}

#[test]
fn non_zero_z_bit_is_a_warning_at_the_flags() {
    // 0: ID | 2: flags 0x0140 (RD and the reserved Z bit 0x0040) | counts 0.
    let dissection = dissect(&header(0x0140, 0, 0, 0, 0));
    let diagnostic = diagnostic_at(&dissection, 2, Severity::Warning);
    assert!(
        diagnostic.message.contains("Z bit"),
        "{}",
        diagnostic.message
    );
    assert!(dissection.header.as_ref().is_some_and(|header| header.z));
}

/// An OPT record: owner, type 41, payload 1232, TTL 0, RDLENGTH and options.
fn opt_record(owner: &[u8], options: &[u8]) -> Vec<u8> {
    let mut bytes = owner.to_vec();
    bytes.extend_from_slice(&[0, 41, 0x04, 0xd0, 0, 0, 0, 0]);
    bytes.extend_from_slice(&(options.len() as u16).to_be_bytes());
    bytes.extend_from_slice(options);
    bytes
}

#[test]
fn opt_with_a_non_root_owner_is_an_error_at_the_owner() {
    // 0: header, ARCOUNT 1 | 12: question | 27: OPT owned by "a." (3 bytes) instead of root.
    let mut message = header(0, 1, 0, 0, 1);
    message.extend_from_slice(QUESTION_A_EXAMPLE);
    message.extend(opt_record(b"\x01a\x00", &[]));
    let dissection = dissect(&message);
    let diagnostic = diagnostic_at(&dissection, 27, Severity::Error);
    assert!(
        diagnostic.message.contains("root"),
        "{}",
        diagnostic.message
    );
    assert!(dissection.edns.is_some(), "the EDNS view is still decoded");
}

#[test]
fn a_second_opt_is_an_error_at_its_start() {
    // 0: header, ARCOUNT 2 | 12: question | 27: OPT (11 bytes) | 38: a second OPT.
    let mut message = header(0, 1, 0, 0, 2);
    message.extend_from_slice(QUESTION_A_EXAMPLE);
    message.extend(opt_record(b"\x00", &[]));
    message.extend(opt_record(b"\x00", &[]));
    let dissection = dissect(&message);
    let diagnostic = diagnostic_at(&dissection, 38, Severity::Error);
    assert!(
        diagnostic.message.contains("second OPT"),
        "{}",
        diagnostic.message
    );
    assert_eq!(
        dissection.edns.as_ref().map(|edns| edns.record_index),
        Some(0)
    );
}

#[test]
fn opt_outside_the_additional_section_is_an_error() {
    // 0: header, ANCOUNT 1 | 12: question | 27: an OPT record in the answer section.
    let mut message = header(0x8000, 1, 1, 0, 0);
    message.extend_from_slice(QUESTION_A_EXAMPLE);
    message.extend(opt_record(b"\x00", &[]));
    let dissection = dissect(&message);
    let diagnostic = diagnostic_at(&dissection, 27, Severity::Error);
    assert!(
        diagnostic.message.contains("additional section"),
        "{}",
        diagnostic.message
    );
    assert!(dissection.edns.is_none());
}

#[test]
fn option_length_past_the_end_is_an_error_at_the_option_length() {
    // 0: header, ARCOUNT 1 | 12: question | 27: OPT root owner, type, class, TTL |
    // 36: RDLENGTH 6 | 38: option code 3 (NSID) | 40: option length 10 — only 2 data bytes
    // follow.
    let mut message = header(0, 1, 0, 0, 1);
    message.extend_from_slice(QUESTION_A_EXAMPLE);
    message.extend(opt_record(b"\x00", &[0, 3, 0, 10, b'n', b's']));
    let dissection = dissect(&message);
    let diagnostic = diagnostic_at(&dissection, 40, Severity::Error);
    assert_eq!(diagnostic.length, 2);
    let option = &dissection.edns.as_ref().expect("edns").options[0];
    assert_eq!(option.data_span.length, 2);
}

#[test]
fn extended_rcode_combines_with_the_header_rcode() {
    // 0: header, flags 0x8007 (RCODE 7), ARCOUNT 1 | 12: question | 27: OPT with extended
    // RCODE 1 in its TTL: 1 << 4 | 7 = 23 (BADCOOKIE).
    let mut message = header(0x8007, 1, 0, 0, 1);
    message.extend_from_slice(QUESTION_A_EXAMPLE);
    message.extend_from_slice(&[0x00, 0, 41, 0x04, 0xd0, 0x01, 0, 0, 0, 0, 0]);
    let dissection = dissect(&message);
    assert_eq!(dissection.rcode(), Some(23));
    let field = dissection
        .find_field("header.flags.rcode")
        .expect("rcode field");
    assert!(field.value.contains("23 (BADCOOKIE)"), "{}", field.value);
}

#[test]
fn diagnostics_come_in_byte_order() {
    // Z bit (offset 2), TTL high bit (33) and trailing bytes (43) together.
    let mut message = header(0x8040, 1, 1, 0, 0);
    message.extend_from_slice(QUESTION_A_EXAMPLE);
    message.extend_from_slice(&[0xc0, 0x0c, 0, 1, 0, 1, 0x80, 0, 0, 0, 0, 4, 192, 0, 2, 1, 7]);
    let dissection = dissect(&message);
    let offsets: Vec<usize> = dissection.diagnostics.iter().map(|d| d.offset).collect();
    assert_eq!(offsets, [2, 33, 43]);
}

// ---------------------------------------------------------------------------------------------
// Differential checks against hickory-proto's strict decoder.
// ---------------------------------------------------------------------------------------------

use dnslab_core::dissect::crosscheck_with_hickory;

/// Dissects `bytes` and returns hickory's disagreements (`None` when hickory rejects them).
fn disagreements(bytes: &[u8]) -> Option<Vec<String>> {
    crosscheck_with_hickory(bytes, &dissect(bytes))
}

#[test]
fn every_captured_message_agrees_with_hickory() {
    let messages = captured_messages();
    assert!(messages.len() > 40, "only {} messages", messages.len());
    for message in &messages {
        let differences = disagreements(&message.bytes)
            .unwrap_or_else(|| panic!("{}: hickory rejects a real capture", message.name));
        assert!(differences.is_empty(), "{}: {differences:#?}", message.name);
    }
}

#[test]
fn every_oracle_message_hickory_accepts_agrees_with_hickory() {
    let mut compared = 0;
    for (label, bytes, _) in dig_oracle() {
        if let Some(differences) = disagreements(&bytes) {
            assert!(differences.is_empty(), "{label}: {differences:#?}");
            compared += 1;
        }
    }
    assert!(
        compared > 60,
        "hickory accepted only {compared} oracle messages"
    );
}

mod random_messages {
    //! Random messages built and encoded by hickory-proto: wherever hickory decodes its own
    //! encoding, the dissector agrees with it.

    use std::collections::BTreeMap;
    use std::net::{Ipv4Addr, Ipv6Addr};

    use hickory_proto::op::{Edns, Message, MessageType, OpCode, Query, ResponseCode};
    use hickory_proto::rr::rdata::svcb::{
        Alpn, EchConfigList, IpHint, Mandatory, SvcParamKey, SvcParamValue, Unknown, SVCB,
    };
    use hickory_proto::rr::rdata::{
        sshfp, tlsa, A, AAAA, CNAME, HINFO, HTTPS, MX, NAPTR, NS, NULL, PTR, SOA, SRV, SSHFP, TLSA,
        TXT,
    };
    use hickory_proto::rr::{DNSClass, Name, RData, Record, RecordType};
    use hickory_proto::serialize::binary::BinDecoder;
    use proptest::prelude::*;

    use super::disagreements;

    fn label() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            4 => "[a-z0-9-]{1,12}".prop_map(String::into_bytes),
            1 => "[A-Z_*]{1,3}".prop_map(String::into_bytes),
            1 => proptest::collection::vec(any::<u8>(), 1..10),
        ]
    }

    /// Names from a small pool of suffixes so that hickory's encoder compresses them.
    fn name() -> impl Strategy<Value = Name> {
        let suffix = prop_oneof![
            Just(vec![]),
            Just(vec![b"example".to_vec(), b"com".to_vec()]),
            Just(vec![b"example".to_vec(), b"net".to_vec()]),
        ];
        (proptest::collection::vec(label(), 0..4), suffix).prop_map(|(mut labels, suffix)| {
            labels.extend(suffix);
            Name::from_labels(labels).unwrap_or_else(|_| Name::root())
        })
    }

    fn bytes(maximum: usize) -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(any::<u8>(), 0..maximum)
    }

    fn svcb() -> impl Strategy<Value = SVCB> {
        let value = |key: u16| -> BoxedStrategy<SvcParamValue> {
            match key {
                0 => proptest::collection::vec(1u16..10, 1..4)
                    .prop_map(|keys| {
                        let mut keys: Vec<u16> = keys;
                        keys.sort_unstable();
                        keys.dedup();
                        SvcParamValue::Mandatory(Mandatory(
                            keys.into_iter().map(SvcParamKey::from).collect(),
                        ))
                    })
                    .boxed(),
                1 => proptest::collection::vec("[a-z0-9,\\\\\" ]{1,6}", 1..4)
                    .prop_map(|ids| SvcParamValue::Alpn(Alpn(ids)))
                    .boxed(),
                2 => Just(SvcParamValue::NoDefaultAlpn).boxed(),
                3 => any::<u16>().prop_map(SvcParamValue::Port).boxed(),
                4 => proptest::collection::vec(any::<[u8; 4]>(), 1..3)
                    .prop_map(|addresses| {
                        SvcParamValue::Ipv4Hint(IpHint(
                            addresses
                                .into_iter()
                                .map(|octets| A(Ipv4Addr::from(octets)))
                                .collect(),
                        ))
                    })
                    .boxed(),
                5 => bytes(40)
                    .prop_map(|list| SvcParamValue::EchConfigList(EchConfigList(list)))
                    .boxed(),
                6 => proptest::collection::vec(any::<[u8; 16]>(), 1..3)
                    .prop_map(|addresses| {
                        SvcParamValue::Ipv6Hint(IpHint(
                            addresses
                                .into_iter()
                                .map(|octets| AAAA(Ipv6Addr::from(octets)))
                                .collect(),
                        ))
                    })
                    .boxed(),
                _ => bytes(12)
                    .prop_map(|value| SvcParamValue::Unknown(Unknown(value)))
                    .boxed(),
            }
        };
        let keys = proptest::collection::btree_set(prop_oneof![0u16..10, 65000u16..65535], 0..5);
        (any::<u16>(), name(), keys)
            .prop_flat_map(move |(priority, target, keys)| {
                let values: Vec<BoxedStrategy<(u16, SvcParamValue)>> = keys
                    .into_iter()
                    .map(|key| value(key).prop_map(move |value| (key, value)).boxed())
                    .collect();
                (Just(priority), Just(target), values)
            })
            .prop_map(|(priority, target, params)| {
                let params: BTreeMap<u16, SvcParamValue> = params.into_iter().collect();
                SVCB::new(
                    priority,
                    target,
                    params
                        .into_iter()
                        .map(|(key, value)| (SvcParamKey::from(key), value))
                        .collect(),
                )
            })
    }

    /// CAA through hickory's own decoder (its struct cannot be built field by field).
    fn caa() -> impl Strategy<Value = RData> {
        (any::<u8>(), "[a-z0-9]{1,10}", bytes(30)).prop_filter_map(
            "hickory rejects this CAA",
            |(flags, tag, value)| {
                let mut wire = vec![flags, tag.len() as u8];
                wire.extend_from_slice(tag.as_bytes());
                wire.extend_from_slice(&value);
                let mut decoder = BinDecoder::new(&wire);
                let length = hickory_proto::serialize::binary::Restrict::new(wire.len() as u16);
                RData::read(&mut decoder, RecordType::CAA, length)
                    .ok()
                    .filter(|rdata| matches!(rdata, RData::CAA(_)))
            },
        )
    }

    fn rdata() -> impl Strategy<Value = RData> {
        let text = || proptest::collection::vec(bytes(20), 1..4);
        prop_oneof![
            any::<[u8; 4]>().prop_map(|octets| RData::A(A(Ipv4Addr::from(octets)))),
            any::<[u8; 16]>().prop_map(|octets| RData::AAAA(AAAA(Ipv6Addr::from(octets)))),
            name().prop_map(|name| RData::CNAME(CNAME(name))),
            name().prop_map(|name| RData::NS(NS(name))),
            name().prop_map(|name| RData::PTR(PTR(name))),
            (any::<u16>(), name())
                .prop_map(|(preference, name)| RData::MX(MX::new(preference, name))),
            (
                name(),
                name(),
                any::<u32>(),
                any::<i32>(),
                any::<i32>(),
                any::<i32>(),
                any::<u32>()
            )
                .prop_map(|(mname, rname, serial, refresh, retry, expire, minimum)| {
                    RData::SOA(SOA::new(
                        mname, rname, serial, refresh, retry, expire, minimum,
                    ))
                }),
            text().prop_map(|strings| {
                RData::TXT(TXT::from_bytes(strings.iter().map(Vec::as_slice).collect()))
            }),
            (any::<u16>(), any::<u16>(), any::<u16>(), name()).prop_map(
                |(priority, weight, port, target)| RData::SRV(SRV::new(
                    priority, weight, port, target
                ))
            ),
            caa(),
            (
                any::<u16>(),
                any::<u16>(),
                "[A-Z0-9]{0,2}",
                bytes(12),
                bytes(20),
                name()
            )
                .prop_map(
                    |(order, preference, flags, services, regexp, replacement)| {
                        RData::NAPTR(NAPTR::new(
                            order,
                            preference,
                            flags.into_bytes().into_boxed_slice(),
                            services.into_boxed_slice(),
                            regexp.into_boxed_slice(),
                            replacement,
                        ))
                    }
                ),
            (bytes(12), bytes(12)).prop_map(|(cpu, os)| {
                RData::HINFO(HINFO::from_bytes(
                    cpu.into_boxed_slice(),
                    os.into_boxed_slice(),
                ))
            }),
            (any::<u8>(), any::<u8>(), bytes(40)).prop_map(|(algorithm, kind, fingerprint)| {
                RData::SSHFP(SSHFP::new(
                    sshfp::Algorithm::from(algorithm),
                    sshfp::FingerprintType::from(kind),
                    fingerprint,
                ))
            }),
            (any::<u8>(), any::<u8>(), any::<u8>(), bytes(70)).prop_map(
                |(usage, selector, matching, data)| {
                    RData::TLSA(TLSA::new(
                        tlsa::CertUsage::from(usage),
                        tlsa::Selector::from(selector),
                        tlsa::Matching::from(matching),
                        data,
                    ))
                }
            ),
            svcb().prop_map(RData::SVCB),
            svcb().prop_map(|svcb| RData::HTTPS(HTTPS(svcb))),
            proptest::collection::vec(any::<u8>(), 1..20)
                .prop_map(|anything| RData::NULL(NULL::with(anything))),
            // DNSSEC types (hickory here is built without DNSSEC) and unknown types: raw bytes.
            (
                prop_oneof![
                    Just(43u16),
                    Just(46),
                    Just(47),
                    Just(48),
                    Just(50),
                    Just(51),
                    Just(65280)
                ],
                bytes(60)
            )
                .prop_filter_map("empty RDATA is an UPDATE record", |(code, data)| {
                    (!data.is_empty()).then(|| RData::Unknown {
                        code: RecordType::from(code),
                        rdata: NULL::with(data),
                    })
                }),
        ]
    }

    fn record() -> impl Strategy<Value = Record> {
        (name(), any::<u32>(), rdata())
            .prop_map(|(name, ttl, data)| Record::from_rdata(name, ttl, data))
    }

    fn message() -> impl Strategy<Value = Message> {
        let queries = proptest::collection::vec(
            (
                name(),
                prop_oneof![
                    Just(1u16),
                    Just(28),
                    Just(15),
                    Just(64),
                    Just(65),
                    Just(255)
                ],
            ),
            0..3,
        );
        let records = || proptest::collection::vec(record(), 0..4);
        let edns = proptest::option::of((any::<u16>(), any::<bool>(), 0u8..2));
        (
            (any::<u16>(), any::<bool>(), any::<[bool; 6]>(), 0u8..11),
            queries,
            (records(), records(), records()),
            edns,
        )
            .prop_map(
                |(
                    (id, response, flags, rcode),
                    queries,
                    (answers, authorities, additionals),
                    edns,
                )| {
                    let message_type = if response {
                        MessageType::Response
                    } else {
                        MessageType::Query
                    };
                    let mut message = Message::new(id, message_type, OpCode::Query);
                    message.metadata.authoritative = flags[0];
                    message.metadata.truncation = flags[1];
                    message.metadata.recursion_desired = flags[2];
                    message.metadata.recursion_available = flags[3];
                    message.metadata.authentic_data = flags[4];
                    message.metadata.checking_disabled = flags[5];
                    message.metadata.response_code = ResponseCode::from_low(rcode);
                    for (name, qtype) in queries {
                        let mut query = Query::query(name, RecordType::from(qtype));
                        query.set_query_class(DNSClass::IN);
                        message.add_query(query);
                    }
                    message.add_answers(answers);
                    message.add_authorities(authorities);
                    message.add_additionals(additionals);
                    if let Some((payload, dnssec_ok, version)) = edns {
                        let mut edns = Edns::new();
                        edns.set_max_payload(payload.max(512));
                        edns.set_dnssec_ok(dnssec_ok);
                        edns.set_version(version);
                        message.set_edns(edns);
                    }
                    message
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn the_outline_is_what_the_full_dissection_says(
            message in message(),
            cut in any::<proptest::sample::Index>(),
            changes in proptest::collection::vec((any::<proptest::sample::Index>(), any::<u8>()), 0..4),
        ) {
            let bytes = message.to_vec();
            prop_assume!(bytes.is_ok(), "hickory could not encode: {:?}", bytes.err());
            let whole = bytes.unwrap_or_default();
            // The message as built, cut short, and with a few bytes changed (truncated and
            // broken messages are where the walk stops early).
            let mut changed = whole.clone();
            for (index, byte) in changes {
                let position = index.index(changed.len());
                changed[position] = byte;
            }
            let cut = whole[..cut.index(whole.len() + 1)].to_vec();
            for bytes in [whole, cut, changed] {
                super::assert_outline_agrees(&bytes);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn the_dissector_agrees_with_hickory_on_messages_hickory_built(message in message()) {
            let bytes = message.to_vec();
            prop_assume!(bytes.is_ok(), "hickory could not encode: {:?}", bytes.err());
            let bytes = bytes.unwrap_or_default();
            let differences = disagreements(&bytes);
            prop_assume!(differences.is_some(), "hickory rejects its own encoding");
            let differences = differences.unwrap_or_default();
            prop_assert!(differences.is_empty(), "{:#?}\nbytes: {:02x?}", differences, bytes);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Regressions found by the `dissect` fuzz target (fuzz/fuzz_targets/dissect.rs): the same checks
// the target makes, on the inputs that once failed them.
// ---------------------------------------------------------------------------------------------

/// `outline` gives the header, first question and RCODE that `dissect` gives.
fn assert_outline_agrees(bytes: &[u8]) {
    let dissection = dissect(bytes);
    let outline = dnslab_core::dissect::outline(bytes);
    assert_eq!(outline.header, dissection.header, "{bytes:02x?}");
    assert_eq!(
        outline.first_question.as_ref(),
        dissection.questions.first(),
        "{bytes:02x?}"
    );
    assert_eq!(outline.rcode(), dissection.rcode(), "{bytes:02x?}");
}

#[test]
fn the_outline_of_every_captured_message_is_what_the_full_dissection_says() {
    let mut seen = 0;
    for entry in std::fs::read_dir(captures_dir()).expect("the captures folder") {
        let path = entry.expect("a folder entry").path();
        if !matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("pcap" | "pcapng")
        ) {
            continue;
        }
        let bytes = std::fs::read(&path).expect("a capture");
        let extraction = dnslab_core::input::extract_dns(&bytes, &Default::default())
            .expect("DNS in the capture");
        for message in &extraction.messages {
            assert_outline_agrees(&message.dns);
            seen += 1;
        }
    }
    assert!(seen > 0, "no captured message was checked");
}

/// What the fuzz target asserts: spans inside the message, and agreement with hickory.
fn assert_fuzz_invariants(bytes: &[u8]) {
    fn check_field(field: &dnslab_core::dissect::Field, length: usize) {
        assert!(
            field.span.end() <= length,
            "{} at {:?}",
            field.key,
            field.span
        );
        for child in &field.children {
            check_field(child, length);
        }
    }
    let dissection = dissect(bytes);
    for field in dissection.tree() {
        check_field(field, bytes.len());
    }
    for diagnostic in &dissection.diagnostics {
        assert!(
            diagnostic.offset + diagnostic.length <= bytes.len(),
            "{diagnostic:?}"
        );
    }
    if let Some(differences) = crosscheck_with_hickory(bytes, &dissection) {
        assert!(differences.is_empty(), "{differences:#?}");
    }
}

#[test]
fn fuzz_regression_rdlength_past_the_end_with_a_complete_a_record() {
    // An A record whose RDLENGTH (0xd000) runs far past the end of the message: the "left over"
    // diagnostic once covered the declared length instead of the bytes present.
    assert_fuzz_invariants(&hex_to_bytes(
        "00008400000100010084070001000000000001036f7074066f7261636c650474\
         6573740000010001000029 04d0000000000465646765066f7261636c6504746573\
         7400000100 01c00c000100010000003c00040a000001",
    ));
}

#[test]
fn fuzz_regression_opt_payload_size_below_512() {
    // An OPT record with CLASS (payload size) 208: hickory reads it as 512 (RFC 6891 §6.2.5).
    let bytes = hex_to_bytes(
        "00008400000100000000000103 6f7074066f7261636c650473fff600000001000100002900d00081040100 00",
    );
    assert_fuzz_invariants(&bytes);
    let dissection = dissect(&bytes);
    assert_eq!(
        dissection.edns.as_ref().map(|edns| edns.udp_payload_size),
        Some(208)
    );
    diagnostic_at(&dissection, 36, Severity::Warning);
}
