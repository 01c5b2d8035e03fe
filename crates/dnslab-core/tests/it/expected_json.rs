//! Golden test against tshark: every paste of the shared captures decodes (input → dissect) to the
//! values tshark read from the same frame, as recorded in the folder's `expected.json`.
//!
//! Per frame, `expected.json` holds tshark's ID, flag bits, opcode, RCODE, the four counts,
//! QNAME, QTYPE and each answer's NAME, TYPE, TTL and value (the address, or the target name of
//! CNAME, NS and MX). tshark writes names without the trailing dot; dnslab writes them fully
//! qualified, so the dot is added before comparing. The test reads every file of the folder and
//! reports every mismatch (file, field, expected, got) at once.

use std::path::Path;

use dnslab_core::dissect::{dissect, Dissection, Section};
use dnslab_core::input::{extract_dns, ExtractOptions};
use serde_json::Value;

use crate::captures::captures_dir;

/// tshark's name text as dnslab writes it: fully qualified.
fn fully_qualified(tshark_name: &str) -> String {
    if tshark_name == "<Root>" || tshark_name.is_empty() {
        ".".to_owned()
    } else {
        format!("{tshark_name}.")
    }
}

/// The header and question values of a dissection under tshark's member names.
fn header_value(dissection: &Dissection, member: &str) -> Option<Value> {
    let header = dissection.header.as_ref()?;
    let number = |value: u64| Some(Value::from(value));
    match member {
        "ID" => number(u64::from(header.id)),
        "QR" => number(u64::from(header.qr)),
        "Opcode" => number(u64::from(header.opcode)),
        "AA" => number(u64::from(header.aa)),
        "TC" => number(u64::from(header.tc)),
        "RD" => number(u64::from(header.rd)),
        "RA" => number(u64::from(header.ra)),
        "AD" => number(u64::from(header.ad)),
        "CD" => number(u64::from(header.cd)),
        "RCODE" => number(u64::from(header.rcode)),
        "QDCOUNT" => number(u64::from(header.qdcount)),
        "ANCOUNT" => number(u64::from(header.ancount)),
        "NSCOUNT" => number(u64::from(header.nscount)),
        "ARCOUNT" => number(u64::from(header.arcount)),
        "QTYPE" => dissection
            .questions
            .first()
            .map(|question| Value::from(question.qtype)),
        _ => None,
    }
}

/// The value tshark shows for an answer: the address, or the name a CNAME, NS or MX points to.
fn answer_value(rtype: u16, presentation: &str) -> String {
    match rtype {
        // MX: "preference exchange"; tshark's value is the exchange.
        15 => presentation
            .split_whitespace()
            .nth(1)
            .unwrap_or_default()
            .to_owned(),
        _ => presentation.to_owned(),
    }
}

/// Compares one decoded message with tshark's expectations; pushes every mismatch.
fn compare(file: &str, dissection: &Dissection, expected: &Value, mismatches: &mut Vec<String>) {
    let mut mismatch = |field: &str, want: &dyn std::fmt::Display, got: &dyn std::fmt::Display| {
        mismatches.push(format!("{file}: {field}: expected {want}, got {got}"));
    };
    for member in [
        "ID", "QR", "Opcode", "AA", "TC", "RD", "RA", "AD", "CD", "RCODE", "QDCOUNT", "ANCOUNT",
        "NSCOUNT", "ARCOUNT", "QTYPE",
    ] {
        let want = &expected[member];
        let got = header_value(dissection, member).unwrap_or(Value::Null);
        if *want != got {
            mismatch(member, want, &got);
        }
    }
    let want_qname = fully_qualified(expected["QNAME"].as_str().unwrap_or_default());
    let got_qname = dissection
        .questions
        .first()
        .map_or("(no question)", |question| question.name.text.as_str());
    if want_qname != got_qname {
        mismatch("QNAME", &want_qname, &got_qname);
    }
    let want_answers = expected["answers"].as_array().cloned().unwrap_or_default();
    let got_answers: Vec<_> = dissection.section(Section::Answer).collect();
    if want_answers.len() != got_answers.len() {
        mismatch("answer count", &want_answers.len(), &got_answers.len());
    }
    for (index, (want, got)) in want_answers.iter().zip(&got_answers).enumerate() {
        let want_name = fully_qualified(want["NAME"].as_str().unwrap_or_default());
        if want_name != got.name.text {
            mismatch(&format!("answer {index} NAME"), &want_name, &got.name.text);
        }
        if want["TYPE"] != got.rtype {
            mismatch(&format!("answer {index} TYPE"), &want["TYPE"], &got.rtype);
        }
        if want["TTL"] != got.ttl {
            mismatch(&format!("answer {index} TTL"), &want["TTL"], &got.ttl);
        }
        if let Some(want_value) = want["value"].as_str() {
            let want_value = match got.rtype {
                // Addresses as they are; names fully qualified.
                1 | 28 => want_value.to_owned(),
                _ => fully_qualified(want_value),
            };
            let got_value = answer_value(got.rtype, &got.rdata.presentation);
            if want_value != got_value {
                mismatch(&format!("answer {index} value"), &want_value, &got_value);
            }
        }
    }
}

/// Checks every paste of one folder; returns (files checked, mismatches).
fn check_folder(folder: &Path) -> (usize, Vec<String>) {
    let expected_text =
        std::fs::read_to_string(folder.join("expected.json")).expect("read expected.json");
    let expected: Value = serde_json::from_str(&expected_text).expect("parse expected.json");
    let mut entries: Vec<_> = std::fs::read_dir(folder)
        .expect("list the paste folder")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "txt"))
        .collect();
    entries.sort();
    let mut mismatches = Vec::new();
    for path in &entries {
        let file = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let frame = file.split('.').next().unwrap_or_default();
        let Some(frame_expectation) = expected.get(frame).map(|entry| &entry["expect"]) else {
            mismatches.push(format!("{file}: frame {frame} is not in expected.json"));
            continue;
        };
        let bytes = std::fs::read(path).expect("read a paste");
        let extraction = match extract_dns(&bytes, &ExtractOptions::default()) {
            Ok(extraction) => extraction,
            Err(error) => {
                mismatches.push(format!("{file}: no DNS extracted: {error}"));
                continue;
            }
        };
        if extraction.messages.len() != 1 {
            mismatches.push(format!(
                "{file}: expected 1 DNS message, extracted {}",
                extraction.messages.len()
            ));
        }
        let Some(message) = extraction.messages.first() else {
            continue;
        };
        compare(
            &file,
            &dissect(&message.dns),
            frame_expectation,
            &mut mismatches,
        );
    }
    (entries.len(), mismatches)
}

#[test]
fn every_paste_decodes_to_what_tshark_read() {
    let mut files_checked = 0;
    let mut mismatches = Vec::new();
    for folder in ["paste-example-com", "paste-sll2"] {
        let (files, folder_mismatches) = check_folder(&captures_dir().join(folder));
        files_checked += files;
        mismatches.extend(folder_mismatches);
    }
    // 44 frames × 18 formats + 4 TCP hex streams, and 8 × 18 + 2.
    assert!(
        files_checked >= 900,
        "only {files_checked} paste files found"
    );
    assert!(
        mismatches.is_empty(),
        "{} mismatches in {files_checked} files:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
