//! The dissector against real captures, hand-built malformed messages, hickory-proto's strict
//! decoder (differential checks) and random messages built with hickory-proto.

use std::collections::BTreeMap;

use dnslab_core::dissect::{dissect, Section};

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
