//! The dissector against real captures, hand-built malformed messages, hickory-proto's strict
//! decoder (differential checks) and random messages built with hickory-proto.

use std::collections::BTreeMap;

use dnslab_core::dissect::mnemonic::{class_mnemonic, type_mnemonic};
use dnslab_core::dissect::{dissect, Dissection, Section};
use dnslab_core::iana::{opcode_mnemonic, rcode_mnemonic};

use crate::captures::captures_dir;

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
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/dissect/dig-oracle.json");
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

/// Types whose RDATA the dissector decodes the way dig prints it; for the others (LOC, URI, …)
/// the dissector prints RFC 3597 form by design and dig its own.
fn dissector_formats_like_dig(type_text: &str) -> bool {
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
    ];
    DECODED.contains(&type_text) || type_text.starts_with("TYPE")
}

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
        let records: Vec<_> = dissection
            .records
            .iter()
            .filter(|record| record.rtype != 41)
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
    assert!(
        options_compared > 40,
        "only {options_compared} options compared"
    );
}
