//! Tests of the Learn entries: every number dnslab can name is explained, every text has two or
//! three sentences and a well-formed RFC link, and every key and finding the dissector produces
//! for real messages (the captures, dig's oracle messages and thousands of damaged copies of
//! them) has its explanation.

use std::collections::BTreeSet;

use super::*;
use crate::dissect::mnemonic::{
    edns_option_mnemonic, edns_option_registry_name, known_type_mnemonic,
};
use crate::dissect::{dissect, Field};
use crate::iana::{opcode_mnemonic, rcode_mnemonic};

fn hex(text: &str) -> Vec<u8> {
    text.as_bytes()
        .chunks(2)
        .filter_map(|pair| std::str::from_utf8(pair).ok())
        .filter_map(|pair| u8::from_str_radix(pair, 16).ok())
        .collect()
}

/// The real messages: dig's oracle messages (the types.test zone and hand-made records of every
/// decoded type among them) and every DNS message of the captures.
fn real_messages() -> Vec<Vec<u8>> {
    let oracle: serde_json::Value =
        serde_json::from_str(include_str!("../../tests/data/dissect/dig-oracle.json"))
            .expect("the oracle parses");
    let mut messages: Vec<Vec<u8>> = oracle["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter_map(|message| message["hex"].as_str())
        .map(hex)
        .collect();
    let captures: [&[u8]; 4] = [
        include_bytes!("../../tests/data/captures/example-com-ethernet.pcapng"),
        include_bytes!("../../tests/data/captures/example-com-sll2.pcapng"),
        include_bytes!("../../tests/data/input/example-com-sll2.nsec.pcap"),
        // Every type of types.test.zone and the oracle's hand-made records of the other types.
        include_bytes!("../../tests/data/input/types-test.pcap"),
    ];
    for capture in captures {
        let extraction =
            crate::extract_dns(capture, &crate::ExtractOptions::default()).expect("a capture");
        messages.extend(
            extraction
                .messages
                .iter()
                .map(|message| message.dns.to_vec()),
        );
    }
    assert!(messages.len() > 500, "{}", messages.len());
    messages
}

/// Copies of `messages` with a few bytes changed or the end cut off, reproducibly.
fn damaged(messages: &[Vec<u8>], copies: usize) -> Vec<Vec<u8>> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut out = Vec::with_capacity(messages.len() * copies);
    for message in messages {
        for _ in 0..copies {
            let mut copy = message.clone();
            for _ in 0..(next() % 4 + 1) {
                if copy.is_empty() {
                    break;
                }
                let index = (next() as usize) % copy.len();
                match next() % 3 {
                    0 => copy[index] = next() as u8,
                    1 => copy.truncate(index),
                    _ => copy[index] ^= 1 << (next() % 8),
                }
            }
            out.push(copy);
        }
    }
    out
}

fn collect_keys(field: &Field, keys: &mut BTreeSet<String>) {
    keys.insert(field.key.clone());
    for child in &field.children {
        collect_keys(child, keys);
    }
}

fn sentences(text: &str) -> usize {
    text.matches(". ").count() + text.matches("? ").count() + 1
}

#[test]
fn every_type_rcode_opcode_and_option_dnslab_names_is_explained() {
    for code in 0..=u16::MAX {
        if let Some(mnemonic) = known_type_mnemonic(code) {
            let entry = explain_type(code).unwrap_or_else(|| panic!("type {code} {mnemonic}"));
            assert_eq!(entry.key, format!("type.{mnemonic}"));
            assert_eq!(entry.title, mnemonic);
            assert_eq!(explain(entry.key), Some(entry));
        }
    }
    for code in 0..4096u16 {
        let mnemonic = rcode_mnemonic(code);
        if !mnemonic.starts_with("RCODE") {
            let entry = explain_rcode(code).unwrap_or_else(|| panic!("rcode {code}"));
            assert_eq!(entry.key, format!("rcode.{mnemonic}"));
        }
    }
    for code in 0..16u8 {
        let mnemonic = opcode_mnemonic(code);
        if !mnemonic.starts_with("OPCODE") {
            let entry = explain_opcode(code).unwrap_or_else(|| panic!("opcode {code}"));
            assert_eq!(entry.key, format!("opcode.{mnemonic}"));
        }
    }
    for code in 0..=u16::MAX {
        if edns_option_registry_name(code).is_some()
            || !edns_option_mnemonic(code).starts_with("OPT=")
        {
            assert!(explain_option(code).is_some(), "option {code}");
        }
    }
    // The table the zone reader and the page's type picker share names no other type.
    for (mnemonic, code) in crate::iana::RECORD_TYPES {
        let entry = explain_type(*code).unwrap_or_else(|| panic!("type {code} {mnemonic}"));
        assert_eq!(entry.title, *mnemonic);
    }
    assert!(explain_type(65280).is_none());
    assert!(explain_rcode(4000).is_none());
}

#[test]
fn every_entry_has_two_or_three_sentences_and_a_good_link() {
    let mut keys = BTreeSet::new();
    let mut count = 0;
    for entry in all_entries() {
        count += 1;
        assert!(keys.insert(entry.key), "{} twice", entry.key);
        assert!(!entry.title.is_empty(), "{}", entry.key);
        let sentences = sentences(entry.text);
        assert!(
            (2..=3).contains(&sentences),
            "{}: {sentences} sentences: {}",
            entry.key,
            entry.text
        );
        assert!(entry.text.ends_with('.'), "{}", entry.key);
        assert!(!entry.text.contains("  "), "{}", entry.key);
        assert!(
            entry
                .text
                .chars()
                .next()
                .is_some_and(|first| !first.is_lowercase()),
            "{}",
            entry.key
        );
        match (entry.rfc, entry.link()) {
            (Some(reference), Some(link)) => {
                assert!((1..10_000).contains(&reference.rfc), "{}", entry.key);
                assert!(link_is_well_formed(&link), "{}: {link}", entry.key);
            }
            (None, None) => assert!(
                entry.text.contains("RFC") || entry.text.contains("ATM Forum"),
                "{} cites nothing and does not say why",
                entry.key
            ),
            _ => panic!("{}: link without reference", entry.key),
        }
    }
    assert!(count > 300, "{count} entries");
}

/// `https://www.rfc-editor.org/rfc/rfcN`, then nothing, `#section-4.1.1` or `#appendix-A.1`.
fn link_is_well_formed(link: &str) -> bool {
    let Some(rest) = link.strip_prefix("https://www.rfc-editor.org/rfc/rfc") else {
        return false;
    };
    let (number, anchor) = rest.split_once('#').unwrap_or((rest, ""));
    let number_ok = !number.is_empty()
        && !number.starts_with('0')
        && number.chars().all(|c| c.is_ascii_digit());
    let numbers = |text: &str| {
        !text.is_empty()
            && text
                .split('.')
                .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()))
    };
    let anchor_ok = if anchor.is_empty() {
        !rest.contains('#')
    } else if let Some(section) = anchor.strip_prefix("section-") {
        numbers(section)
    } else if let Some(appendix) = anchor.strip_prefix("appendix-") {
        let (letter, sub) = appendix.split_at(1.min(appendix.len()));
        letter.chars().all(|c| c.is_ascii_uppercase())
            && !letter.is_empty()
            && (sub.is_empty() || sub.strip_prefix('.').is_some_and(numbers))
    } else {
        false
    };
    number_ok && anchor_ok
}

#[test]
fn links_are_the_rfc_editors() {
    assert_eq!(
        explain("header.flags.rd").and_then(Entry::link).as_deref(),
        Some("https://www.rfc-editor.org/rfc/rfc1035#section-4.1.1")
    );
    assert_eq!(
        rfc_link(4034, "appendix-B"),
        "https://www.rfc-editor.org/rfc/rfc4034#appendix-B"
    );
    assert_eq!(rfc_link(2782, ""), "https://www.rfc-editor.org/rfc/rfc2782");
    assert!(link_is_well_formed(
        "https://www.rfc-editor.org/rfc/rfc4034#appendix-A.1"
    ));
    assert!(!link_is_well_formed(
        "https://www.rfc-editor.org/rfc/rfc4034#section-"
    ));
    assert!(!link_is_well_formed(
        "https://www.rfc-editor.org/rfc/rfc0#section-1"
    ));
    assert!(!link_is_well_formed("http://example.com/rfc1035"));
}

#[test]
fn keys_fold_onto_their_entries() {
    let key = |field: &str| explain(field).map(|entry| entry.key);
    assert_eq!(key("answer.ttl"), Some("rr.ttl"));
    assert_eq!(key("additional.ttl"), Some("rr.ttl"));
    assert_eq!(key("authority.record"), Some("rr.record"));
    assert_eq!(key("answer.rdata"), Some("rr.rdata"));
    assert_eq!(key("answer.rdata.exchange"), Some("rdata.exchange"));
    assert_eq!(key("authority.rdata.mname.label"), Some("name.label"));
    assert_eq!(key("question.name.pointer"), Some("name.pointer"));
    assert_eq!(key("header.flags.cd"), Some("header.flags.cd"));
    assert_eq!(
        key("edns.option.cookie.server"),
        Some("edns.option.cookie.server")
    );
    assert_eq!(key("type.MX"), Some("type.MX"));
    assert_eq!(key("rcode.NXDOMAIN"), Some("rcode.NXDOMAIN"));
    // No entry of its own: the nearest ancestor's.
    assert_eq!(key("layer.udp.checksum"), Some("layer.udp"));
    assert_eq!(key("answer.rdata.param.newkey"), Some("rdata.param"));
    assert_eq!(explain_exact("layer.udp.checksum"), None);
    assert_eq!(key("layer.ethernet"), None);
    assert_eq!(key("nonsense"), None);
    assert_eq!(key(""), None);
}

#[test]
fn every_key_of_real_and_damaged_messages_is_explained() {
    let messages = real_messages();
    let mut keys = BTreeSet::new();
    for message in messages.iter().chain(&damaged(&messages, 20)) {
        for field in dissect(message).tree() {
            collect_keys(field, &mut keys);
        }
    }
    assert!(keys.len() > 150, "{} keys", keys.len());
    let missing: Vec<&String> = keys
        .iter()
        .filter(|key| explain_exact(key).is_none())
        .collect();
    assert!(missing.is_empty(), "no entry for {missing:?}");
}

#[test]
fn the_pages_layer_keys_are_explained_below_dns() {
    let capture = include_bytes!("../../tests/data/captures/example-com-ethernet.pcapng");
    let decode = crate::page::decode_for_page(capture, &crate::page::PageOptions::default())
        .expect("decodes");
    let layer_keys: Vec<&str> = decode
        .selected
        .tree
        .nodes
        .iter()
        .map(|node| node.key.as_str())
        .filter(|key| key.starts_with("layer.ipv") || key.starts_with("layer.udp"))
        .collect();
    assert!(!layer_keys.is_empty());
    for key in layer_keys {
        assert!(explain(key).is_some(), "{key}");
    }
}

#[test]
fn every_finding_on_damaged_messages_has_a_kind() {
    let messages = real_messages();
    let mut kinds = BTreeSet::new();
    let mut findings = 0;
    for message in messages.iter().chain(&damaged(&messages, 100)) {
        for diagnostic in dissect(message).diagnostics {
            findings += 1;
            let kind = diagnostic_kind(&diagnostic.message)
                .unwrap_or_else(|| panic!("no kind for {:?}", diagnostic.message));
            assert_eq!(
                explain_diagnostic(&diagnostic.message).map(|entry| entry.key),
                Some(kind)
            );
            kinds.insert(kind);
        }
    }
    assert!(findings > 1000, "{findings} findings");
    assert!(kinds.len() > 30, "{} kinds: {kinds:?}", kinds.len());
    assert_eq!(diagnostic_kind("something else entirely"), None);
}

#[test]
fn hand_made_findings_have_the_right_kinds() {
    let kind_of = |message: &[u8]| -> Vec<&'static str> {
        dissect(message)
            .diagnostics
            .iter()
            .filter_map(|diagnostic| diagnostic_kind(&diagnostic.message))
            .collect()
    };
    assert_eq!(
        kind_of(&[0x12, 0x34, 0x01]),
        ["diagnostic.header_truncated"]
    );
    // One question whose name is a pointer to itself.
    let looping = [0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1];
    assert!(kind_of(&looping).contains(&"diagnostic.pointer_loop"));
    // Two answers announced, none present.
    let short = [0, 1, 0x81, 0x80, 0, 0, 0, 2, 0, 0, 0, 0];
    assert_eq!(kind_of(&short), ["diagnostic.count_overrun"]);
    // A bare header with a byte after it.
    let trailing = [0, 1, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0xff];
    assert_eq!(kind_of(&trailing), ["diagnostic.trailing_bytes"]);
    // Two OPT records in the additional section.
    let mut two_opts = vec![0, 1, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 2];
    for _ in 0..2 {
        two_opts.extend_from_slice(&[0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0]);
    }
    assert_eq!(kind_of(&two_opts), ["diagnostic.opt_duplicate"]);
}

#[test]
fn findings_damage_rarely_makes_have_their_kinds_too() {
    // Messages as the dissector writes them (see dissect/name.rs, rdata/caa.rs, rdata/svcb.rs,
    // dissect/mod.rs): the kinds random damage seldom produces.
    let cases = [
        (
            "The owner name of answer record 1 is longer than the 255 octets a domain name may have (RFC 1035 §3.1); this label takes it to 260 octets with the root label.",
            "diagnostic.name_too_long",
        ),
        (
            "The name of question 1 follows more than 16 compression pointers; dnslab stops here.",
            "diagnostic.too_many_pointers",
        ),
        (
            "The CAA tag length is 0; RFC 8659 §4.1 requires a tag of at least one character.",
            "diagnostic.caa_tag_empty",
        ),
        (
            "The SVCB/HTTPS target name uses a compression pointer; RFC 9460 §2.2 says it must not be compressed.",
            "diagnostic.svcb_target_compressed",
        ),
        (
            "The mandatory list names the mandatory key itself, which RFC 9460 §8 forbids.",
            "diagnostic.svcb_mandatory_self",
        ),
        (
            "additional record 2 is a second OPT record; RFC 6891 §6.1.1 allows only one per message (a server answers FORMERR).",
            "diagnostic.opt_duplicate",
        ),
    ];
    for (message, kind) in cases {
        assert_eq!(diagnostic_kind(message), Some(kind), "{message}");
    }
}
