//! Golden files for `present`: dig text and RFC 8427 JSON of representative messages.
//!
//! Each case reads a paste of the shared captures (or hand-made bytes for malformed and unusual
//! messages), runs input → dissect → present and compares with `tests/data/present/<case>.dig.txt`
//! and `<case>.json`. `UPDATE_EXPECT=1 cargo test -p dnslab-core --test it present::` rewrites
//! them after an intended change; review the diff like code.
//!
//! Golden files only catch changes: the independent check that the text is dig's is
//! `present_dig.rs`, which compares with dig and kdig on the same bytes. The few assertions here
//! that do not depend on the golden files check values against the zone file.

use dnslab_core::dissect::dissect;
use dnslab_core::input::{extract_dns, ExtractOptions};
use dnslab_core::present::{dig_text, InputInfo, Rfc8427};
use expect_test::expect_file;

use crate::captures::captures_dir;

/// The dig text and pretty JSON of the first message in a paste file of the shared captures.
fn present_paste(paste: &str) -> (String, String) {
    let bytes = std::fs::read(captures_dir().join(paste)).expect("read the paste");
    let extraction = extract_dns(&bytes, &ExtractOptions::default()).expect("extract DNS");
    let message = extraction.messages.first().expect("one message");
    let info = InputInfo {
        source: None,
        format: extraction.format.name().to_owned(),
        layers: message.layers.iter().map(ToString::to_string).collect(),
        offset: message.dns_offset_in_frame,
        frame: None,
    };
    present_bytes(&message.dns, Some(&info))
}

fn present_bytes(message: &[u8], info: Option<&InputInfo>) -> (String, String) {
    let dissection = dissect(message);
    let text = dig_text(&dissection, message);
    // Serialized straight from the dissection: members in RFC 8427's order.
    let json = Rfc8427::new(&dissection, message, info);
    let pretty = serde_json::to_string_pretty(&json).expect("serialize") + "\n";
    (text, pretty)
}

fn check_golden(case: &str, text: &str, json: &str) {
    expect_file![format!("../data/present/{case}.dig.txt")].assert_eq(text);
    expect_file![format!("../data/present/{case}.json")].assert_eq(json);
}

/// Paste cases: a frame of the shared capture each (see its README), in different paste formats.
const PASTE_CASES: &[(&str, &str)] = &[
    ("query-www-a", "paste-example-com/f001.ws-hexstream.txt"),
    ("cname-chain", "paste-example-com/f002.tshark-x.txt"),
    ("mx-with-additional", "paste-example-com/f006.xxd.txt"),
    ("txt-nsid-cookie", "paste-example-com/f012.hexdump-C.txt"),
    ("nxdomain", "paste-example-com/f014.base64.txt"),
    ("referral", "paste-example-com/f020.tcpdump-xx.txt"),
    ("srv", "paste-example-com/f022.ws-carray.txt"),
    ("caa", "paste-example-com/f024.ws-go.txt"),
    ("truncated-udp", "paste-example-com/f030.od.txt"),
    (
        "any-over-tcp",
        "paste-example-com/f046.ws-hexstream-tcp.txt",
    ),
    ("ipv6-sll2-mx", "paste-sll2/f004.tcpdump-X.txt"),
];

#[test]
fn pastes_present_as_recorded() {
    for (case, paste) in PASTE_CASES {
        let (text, json) = present_paste(paste);
        check_golden(case, &text, &json);
    }
}

#[test]
fn answers_show_the_zone_files_data() {
    // example.com.zone: `@ IN MX 10 mail.example.com.` and `@ IN MX 20 mail2.example.net.`.
    let (text, json) = present_paste("paste-example-com/f006.xxd.txt");
    assert!(
        text.contains("example.com.\t\t3600\tIN\tMX\t10 mail.example.com.\n"),
        "{text}"
    );
    assert!(
        text.contains("example.com.\t\t3600\tIN\tMX\t20 mail2.example.net.\n"),
        "{text}"
    );
    assert!(
        json.contains("\"rdataMX\": \"10 mail.example.com.\""),
        "{json}"
    );
    // `_sip._udp IN SRV 10 60 5060 sip.example.com.`
    let (text, _) = present_paste("paste-example-com/f022.ws-carray.txt");
    assert!(
        text.contains("_sip._udp.example.com.\t3600\tIN\tSRV\t10 60 5060 sip.example.com.\n"),
        "{text}"
    );
}

/// f002's response (74 bytes) cut after 40 bytes, in the middle of the first answer.
fn truncated_response() -> Vec<u8> {
    let hex =
        std::fs::read_to_string(captures_dir().join("paste-example-com/f002.ws-hexstream.txt"))
            .expect("read the paste");
    let bytes: Vec<u8> = (0..hex.trim().len() / 2)
        .filter_map(|index| u8::from_str_radix(hex.trim().get(index * 2..index * 2 + 2)?, 16).ok())
        .collect();
    bytes[..40].to_vec()
}

/// A response with what Knot never sends: the Z bit, an EDNS flag bit beyond DO, EDNS version 1
/// with an extended RCODE (BADVERS), an unknown type, a TTL with the high bit set, an empty
/// NSID and an unknown option.
const HAND_MADE_CORNERS: &[u8] = &[
    0x12, 0x34, 0x85, 0x40, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, //
    0x01, b'x', 0x07, b'e', b'x', b'a', b'm', b'p', b'l', b'e', 0x03, b'c', b'o', b'm',
    0x00, //
    0x00, 0x01, 0x00, 0x01, //
    0xc0, 0x0c, 0xff, 0x00, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x04, 1, 2, 3, 4, //
    0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x80, 0x00, 0x00, 0x05, 0x00, 0x04, 192, 0, 2, 1, //
    0x00, 0x00, 0x29, 0x04, 0xd0, 0x01, 0x01, 0x80, 0x01, 0x00, 0x0b, //
    0x00, 0x03, 0x00, 0x00, 0xfd, 0xe9, 0x00, 0x03, b'a', b'b', 0x00,
];

#[test]
fn malformed_and_unusual_messages_present_as_recorded() {
    let truncated = truncated_response();
    let (text, json) = present_bytes(&truncated, None);
    check_golden("malformed-truncated-answer", &text, &json);
    assert!(json.contains("\"severity\": \"error\""), "{json}");

    let (text, json) = present_bytes(HAND_MADE_CORNERS, None);
    check_golden("hand-made-corners", &text, &json);

    for short in [&[][..], &[0x12, 0x34, 0x81][..]] {
        let (text, json) = present_bytes(short, None);
        assert!(text.starts_with(";; No DNS header"), "{text}");
        assert!(json.contains("\"diagnostics\""), "{json}");
    }
}
