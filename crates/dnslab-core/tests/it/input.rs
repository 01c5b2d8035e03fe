//! Input extraction against real pastes and captures: every paste file gives the DNS bytes of its
//! Wireshark hex stream sibling in the format its name says; capture files agree with tshark.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dnslab_core::input::{extract_dns, ExtractOptions, Extraction, InputFormat, Layer};

use crate::captures::captures_dir;

/// The format a paste file's name announces (`f001.<tag>.txt`).
fn format_for_tag(tag: &str) -> Option<InputFormat> {
    Some(match tag {
        "ws-hexstream" | "ws-hexstream-tcp" | "hexstream" => InputFormat::WiresharkHexStream,
        "upper-spaced" | "spaced" | "lower-spaced" => InputFormat::SpacedHex,
        "colons" | "dashes" => InputFormat::ColonHex,
        "ws-hexdump-frame" | "ws-hexdump" => InputFormat::WiresharkHexDump,
        "ws-hexascii-frame" | "ws-hexascii" => InputFormat::WiresharkHexAsciiDump,
        "tshark-x" => InputFormat::TsharkHex,
        "tcpdump-x" => InputFormat::TcpdumpHex,
        "tcpdump-xx" => InputFormat::TcpdumpHexWithLink,
        "tcpdump-X" => InputFormat::TcpdumpHexAscii,
        "tcpdump-XX" => InputFormat::TcpdumpHexAsciiWithLink,
        "xxd" => InputFormat::Xxd,
        "xxd-p" => InputFormat::XxdPlain,
        "xxd-i" => InputFormat::XxdInclude,
        "hexdump-C" => InputFormat::HexdumpCanonical,
        "od" => InputFormat::Od,
        "base64" => InputFormat::Base64,
        "base64url" => InputFormat::Base64Url,
        "doh" | "doh-url" => InputFormat::DohUrl,
        "ws-carray" | "carray" => InputFormat::CArray,
        "ws-go" | "go" => InputFormat::GoLiteral,
        "ws-cstring" | "cstring" => InputFormat::CString,
        "ws-escaped" | "escaped" => InputFormat::EscapedString,
        "ws-carrays" | "ws-export-carrays" | "ws-c-arrays" => InputFormat::WiresharkCArrays,
        _ => return None,
    })
}

/// Every `paste-*` folder next to the captures.
fn paste_folders() -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(captures_dir())
        .expect("captures folder")
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.is_dir()
                && path
                    .file_name()
                    .and_then(|name| name.to_str())
                    .is_some_and(|name| name.starts_with("paste-"))
        })
        .collect();
    folders.sort();
    folders
}

fn hex_to_bytes(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text.trim().bytes().collect();
    digits
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).expect("ascii"), 16).expect("hex"))
        .collect()
}

/// Which frames of a paste folder are TCP, from its expected.json (tshark's view).
fn tcp_frames(folder: &Path) -> BTreeMap<String, bool> {
    let text = std::fs::read_to_string(folder.join("expected.json")).unwrap_or_default();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    json.as_object()
        .map(|frames| {
            frames
                .iter()
                .map(|(frame, value)| {
                    (
                        frame.clone(),
                        value
                            .get("tcp")
                            .and_then(|tcp| tcp.as_bool())
                            .unwrap_or(false),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn extract(bytes: &[u8]) -> Extraction {
    extract_dns(bytes, &ExtractOptions::default()).expect("DNS found")
}

#[test]
fn every_paste_file_extracts_its_dns_bytes_in_the_named_format() {
    let mut checked = 0usize;
    let mut failures = Vec::new();
    for folder in paste_folders() {
        let tcp = tcp_frames(&folder);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
            .expect("paste folder")
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.extension().is_some_and(|extension| extension == "txt"))
            .collect();
        files.sort();
        for file in files {
            let name = file
                .file_name()
                .and_then(|name| name.to_str())
                .unwrap_or("")
                .to_string();
            let Some((frame, rest)) = name.split_once('.') else {
                continue;
            };
            let tag = rest.trim_end_matches(".txt");
            let Some(expected_format) = format_for_tag(tag) else {
                failures.push(format!("{name}: unknown format tag {tag:?}"));
                continue;
            };
            let hexstream = folder.join(format!("{frame}.ws-hexstream.txt"));
            let mut expected_dns =
                hex_to_bytes(&std::fs::read_to_string(&hexstream).expect("hex stream sibling"));
            if tcp.get(frame).copied().unwrap_or(false) {
                // Wireshark's DNS layer includes the TCP length prefix.
                expected_dns.drain(..2);
            }
            let input = std::fs::read(&file).expect("paste file");
            let extraction = match extract_dns(&input, &ExtractOptions::default()) {
                Ok(extraction) => extraction,
                Err(error) => {
                    failures.push(format!("{}/{name}: {error}", folder.display()));
                    continue;
                }
            };
            checked += 1;
            let format_ok = extraction.format == expected_format
                || extraction.alternative_formats.contains(&expected_format);
            if !format_ok {
                failures.push(format!(
                    "{name}: detected {} (alternatives {:?}), expected {expected_format}",
                    extraction.format, extraction.alternative_formats
                ));
            }
            if extraction.messages.len() != 1 {
                failures.push(format!("{name}: {} messages", extraction.messages.len()));
            } else if extraction.messages[0].dns != expected_dns {
                failures.push(format!(
                    "{name}: wrong DNS bytes ({} bytes, expected {}) via {}",
                    extraction.messages[0].dns.len(),
                    expected_dns.len(),
                    extraction.layers_summary()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked > 900, "only {checked} paste files checked");
}

/// Test data made for this module (by tshark, editcap, mergecap, tcpdump; see each file's header).
fn input_data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/input")
        .join(name)
}

/// One DNS-carrying frame as tshark saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TsharkDnsFrame {
    frame_number: usize,
    protocols: Vec<String>,
    dns_ids: Vec<u16>,
    timestamp: (i64, u32),
}

/// Reads `tshark -T fields -e frame.number -e frame.protocols -e dns.id -e frame.time_epoch`.
fn tshark_dns_frames(tsv_name: &str) -> Vec<TsharkDnsFrame> {
    let text = std::fs::read_to_string(input_data(tsv_name)).expect("tshark output");
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let ids = fields.get(2).copied().unwrap_or("");
            if ids.is_empty() {
                return None;
            }
            let (seconds, fraction) = fields[3].split_once('.').expect("epoch with fraction");
            let nanoseconds = format!("{fraction:0<9}");
            Some(TsharkDnsFrame {
                frame_number: fields[0].parse().expect("frame number"),
                protocols: fields[1]
                    .split(':')
                    .filter(|protocol| !matches!(*protocol, "ethertype" | "dns"))
                    .map(str::to_string)
                    .collect(),
                dns_ids: ids
                    .split(',')
                    .map(|id| u16::from_str_radix(id.trim_start_matches("0x"), 16).expect("id"))
                    .collect(),
                timestamp: (
                    seconds.parse().expect("seconds"),
                    nanoseconds.parse().expect("ns"),
                ),
            })
        })
        .collect()
}

/// tshark's protocol names for our layers.
fn tshark_protocol_name(layer: &Layer) -> &'static str {
    match layer {
        Layer::Ethernet { .. } => "eth",
        Layer::Vlan { .. } => "vlan",
        Layer::LinuxSll { .. } | Layer::LinuxSll2 { .. } => "sll",
        Layer::Loopback { .. } => "null",
        Layer::Ipv4 { .. } => "ip",
        Layer::Ipv6 { .. } => "ipv6",
        Layer::Udp { .. } => "udp",
        Layer::Tcp { .. } => "tcp",
        Layer::Skipped { .. } => "skipped",
    }
}

/// Our extraction seen the way tshark reports it: one entry per frame carrying DNS.
fn as_tshark_frames(extraction: &Extraction) -> Vec<TsharkDnsFrame> {
    let mut frames: Vec<TsharkDnsFrame> = Vec::new();
    for message in &extraction.messages {
        let id = u16::from_be_bytes([message.dns[0], message.dns[1]]);
        if let Some(last) = frames.last_mut() {
            if last.frame_number == message.frame_index + 1 {
                last.dns_ids.push(id);
                continue;
            }
        }
        let timestamp = message.timestamp.expect("capture timestamp");
        frames.push(TsharkDnsFrame {
            frame_number: message.frame_index + 1,
            protocols: message
                .layers
                .iter()
                .map(|layer| tshark_protocol_name(layer).to_string())
                .collect(),
            dns_ids: vec![id],
            timestamp: (timestamp.seconds, timestamp.nanoseconds),
        });
    }
    frames
}

fn check_capture_against_tshark(bytes: &[u8], tsv_name: &str, format: InputFormat) {
    let extraction = extract(bytes);
    assert_eq!(extraction.format, format);
    let expected = tshark_dns_frames(tsv_name);
    assert!(
        expected.len() >= 8,
        "tshark found DNS in {} frames",
        expected.len()
    );
    assert_eq!(as_tshark_frames(&extraction), expected, "{tsv_name}");
}

#[test]
fn pcapng_and_pcap_files_agree_with_tshark() {
    let ethernet =
        std::fs::read(captures_dir().join("example-com-ethernet.pcapng")).expect("capture");
    check_capture_against_tshark(
        &ethernet,
        "example-com-ethernet.pcapng.tshark.tsv",
        InputFormat::PcapNg,
    );
    let sll2 = std::fs::read(captures_dir().join("example-com-sll2.pcapng")).expect("capture");
    check_capture_against_tshark(
        &sll2,
        "example-com-sll2.pcapng.tshark.tsv",
        InputFormat::PcapNg,
    );
    // Two interfaces with different link types (Ethernet, then Linux SLL2), merged by mergecap.
    let merged = std::fs::read(input_data("merged-ethernet-sll2.pcapng")).expect("capture");
    check_capture_against_tshark(
        &merged,
        "merged-ethernet-sll2.pcapng.tshark.tsv",
        InputFormat::PcapNg,
    );
    // editcap's conversions: microsecond pcap, nanosecond pcap.
    let pcap = std::fs::read(input_data("example-com-ethernet.pcap")).expect("capture");
    check_capture_against_tshark(
        &pcap,
        "example-com-ethernet.pcap.tshark.tsv",
        InputFormat::Pcap,
    );
    let nanosecond = std::fs::read(input_data("example-com-sll2.nsec.pcap")).expect("capture");
    check_capture_against_tshark(
        &nanosecond,
        "example-com-sll2.nsec.pcap.tshark.tsv",
        InputFormat::Pcap,
    );
}

#[test]
fn the_sll2_capture_reports_its_layers_in_one_line() {
    let sll2 = std::fs::read(captures_dir().join("example-com-sll2.pcapng")).expect("capture");
    let extraction = extract(&sll2);
    // `tshark -r example-com-sll2.pcapng -Y frame.number==4 -T fields -e udp.srcport
    // -e udp.dstport -e udp.length` gives 53, 58120 and 146: 138 bytes of DNS after the header.
    let response = extraction
        .messages
        .iter()
        .find(|message| message.frame_index == 3)
        .expect("frame 4");
    assert_eq!(
        response.layers_summary(),
        "Linux SLL2 → IPv6 → UDP 53 → 58120 → DNS, 138 bytes"
    );
}

/// A small valid query: ID 0xbeef, RD, `example.com. A`.
fn query() -> Vec<u8> {
    let mut message = vec![0xbe, 0xef, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
    message.extend_from_slice(b"\x07example\x03com\x00\x00\x01\x00\x01");
    message
}

fn udp(source_port: u16, destination_port: u16, payload: &[u8]) -> Vec<u8> {
    let mut segment = Vec::new();
    segment.extend_from_slice(&source_port.to_be_bytes());
    segment.extend_from_slice(&destination_port.to_be_bytes());
    segment.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    segment.extend_from_slice(&[0, 0]);
    segment.extend_from_slice(payload);
    segment
}

fn tcp(source_port: u16, destination_port: u16, payload: &[u8]) -> Vec<u8> {
    let mut segment = Vec::new();
    segment.extend_from_slice(&source_port.to_be_bytes());
    segment.extend_from_slice(&destination_port.to_be_bytes());
    segment.extend_from_slice(&1000u32.to_be_bytes());
    segment.extend_from_slice(&1u32.to_be_bytes());
    segment.extend_from_slice(&[0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0]);
    segment.extend_from_slice(payload);
    segment
}

/// IPv4 with `options` (a multiple of 4 bytes) in the header.
fn ipv4(protocol: u8, options: &[u8], payload: &[u8]) -> Vec<u8> {
    let header_length = 20 + options.len();
    let mut packet = vec![0x40 | (header_length / 4) as u8, 0];
    packet.extend_from_slice(&((header_length + payload.len()) as u16).to_be_bytes());
    packet.extend_from_slice(&[
        0, 1, 0x40, 0, 64, protocol, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1,
    ]);
    packet.extend_from_slice(options);
    packet.extend_from_slice(payload);
    packet
}

/// IPv6 whose payload starts with `extension_headers` (already chained) and then `payload`.
fn ipv6(first_next_header: u8, extension_headers: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut packet = vec![0x60, 0, 0, 0];
    packet.extend_from_slice(&((extension_headers.len() + payload.len()) as u16).to_be_bytes());
    packet.extend_from_slice(&[first_next_header, 64]);
    packet.extend_from_slice(&std::net::Ipv6Addr::LOCALHOST.octets());
    packet.extend_from_slice(&std::net::Ipv6Addr::LOCALHOST.octets());
    packet.extend_from_slice(extension_headers);
    packet.extend_from_slice(payload);
    packet
}

fn ethernet(ether_type: u16, payload: &[u8]) -> Vec<u8> {
    let mut frame = vec![0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2];
    frame.extend_from_slice(&ether_type.to_be_bytes());
    frame.extend_from_slice(payload);
    frame
}

fn only_message(frame: &[u8]) -> dnslab_core::input::ExtractedMessage {
    let extraction = extract_dns(frame, &ExtractOptions::default()).expect("DNS found");
    assert_eq!(extraction.messages.len(), 1, "{:?}", extraction.messages);
    extraction.messages.into_iter().next().expect("one message")
}

#[test]
fn each_link_layer_is_found_in_a_raw_frame() {
    let dns = query();
    let udp_ipv4 = ipv4(17, &[], &udp(40000, 53, &dns));
    let cases: Vec<(&str, Vec<u8>, String)> = vec![
        (
            "Ethernet",
            ethernet(0x0800, &udp_ipv4),
            "Ethernet → IPv4 → UDP 40000 → 53".into(),
        ),
        (
            "802.1Q VLAN",
            ethernet(0x8100, &[&[0x00, 0x64, 0x08, 0x00][..], &udp_ipv4].concat()),
            "Ethernet → VLAN 100 → IPv4 → UDP 40000 → 53".into(),
        ),
        (
            "QinQ",
            ethernet(
                0x88a8,
                &[
                    &[0x00, 0xc8, 0x81, 0x00, 0x00, 0x64, 0x08, 0x00][..],
                    &udp_ipv4,
                ]
                .concat(),
            ),
            "Ethernet → VLAN 200 → VLAN 100 → IPv4 → UDP 40000 → 53".into(),
        ),
        (
            "Linux SLL v1",
            [
                &[0, 0, 0, 0x01, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00][..],
                &udp_ipv4,
            ]
            .concat(),
            "Linux SLL → IPv4 → UDP 40000 → 53".into(),
        ),
        (
            "Linux SLL2",
            [
                &[
                    0x08, 0x00, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0,
                ][..],
                &udp_ipv4,
            ]
            .concat(),
            "Linux SLL2 → IPv4 → UDP 40000 → 53".into(),
        ),
        (
            "BSD loopback (little-endian AF_INET)",
            [&[2, 0, 0, 0][..], &udp_ipv4].concat(),
            "BSD loopback → IPv4 → UDP 40000 → 53".into(),
        ),
        (
            "BSD loopback (big-endian AF_INET6 of macOS)",
            [&[0, 0, 0, 30][..], &ipv6(17, &[], &udp(40000, 53, &dns))].concat(),
            "BSD loopback → IPv6 → UDP 40000 → 53".into(),
        ),
        ("raw IPv4", udp_ipv4.clone(), "IPv4 → UDP 40000 → 53".into()),
        (
            "IPv4 with options",
            ipv4(17, &[0x01, 0x01, 0x01, 0x00], &udp(40000, 53, &dns)),
            "IPv4 (with options) → UDP 40000 → 53".into(),
        ),
        (
            "IPv6 with extension headers",
            // Hop-by-Hop (next: Destination Options), Destination Options (next: UDP), 8 bytes each.
            ipv6(
                0,
                &[60, 0, 1, 4, 0, 0, 0, 0, 17, 0, 1, 4, 0, 0, 0, 0],
                &udp(40000, 53, &dns),
            ),
            "IPv6 (Hop-by-Hop Options, Destination Options) → UDP 40000 → 53".into(),
        ),
    ];
    for (name, frame, layers) in cases {
        let message = only_message(&frame);
        assert_eq!(message.dns, dns, "{name}");
        assert_eq!(
            message.dns_offset_in_frame,
            frame.len() - dns.len(),
            "{name}"
        );
        assert_eq!(
            message.layers_summary(),
            format!("{layers} → DNS, {} bytes", dns.len()),
            "{name}"
        );
    }
}

#[test]
fn tcp_segments_and_bare_bytes_handle_the_length_prefix() {
    let dns = query();
    let mut prefixed = (dns.len() as u16).to_be_bytes().to_vec();
    prefixed.extend_from_slice(&dns);
    // Two messages in one segment.
    let two = [prefixed.clone(), prefixed.clone()].concat();
    let frame = ethernet(0x86dd, &ipv6(6, &[], &tcp(53, 40000, &two)));
    let extraction = extract(&frame);
    assert_eq!(extraction.messages.len(), 2);
    for message in &extraction.messages {
        assert_eq!(message.dns, dns);
        assert!(message.tcp_length_prefix);
        assert_eq!(
            message.layers_summary(),
            format!(
                "Ethernet → IPv6 → TCP 53 → 40000 → 2-byte length → DNS, {} bytes",
                dns.len()
            )
        );
    }
    assert_eq!(
        extraction.messages[1].dns_offset_in_frame,
        frame.len() - dns.len()
    );
    // Bare bytes, with and without the prefix, as hex text.
    let bare = extract(dnslab_core::input::write::hex_stream(&dns).as_bytes());
    assert_eq!(bare.messages[0].dns, dns);
    assert!(!bare.messages[0].tcp_length_prefix);
    assert!(bare.messages[0].layers.is_empty());
    let with_prefix = extract(dnslab_core::input::write::hex_stream(&prefixed).as_bytes());
    assert_eq!(with_prefix.messages[0].dns, dns);
    assert!(with_prefix.messages[0].tcp_length_prefix);
    // Raw binary bytes (not text, not a capture).
    let raw = extract(&dns);
    assert_eq!(raw.format, InputFormat::RawBytes);
    assert_eq!(raw.messages[0].dns, dns);
}

#[test]
fn the_start_offset_can_be_forced() {
    let dns = query();
    let frame = ethernet(0x0800, &ipv4(17, &[], &udp(40000, 53, &dns)));
    let offset = frame.len() - dns.len();
    let options = ExtractOptions {
        forced_offset: Some(offset),
        ..ExtractOptions::default()
    };
    let extraction = extract_dns(&frame, &options).expect("forced");
    assert_eq!(extraction.messages[0].dns, dns);
    assert_eq!(
        extraction.messages[0].layers_summary(),
        format!("{offset} bytes skipped → DNS, {} bytes", dns.len())
    );
    let too_far = ExtractOptions {
        forced_offset: Some(frame.len()),
        ..ExtractOptions::default()
    };
    assert_eq!(
        extract_dns(&frame, &too_far),
        Err(dnslab_core::InputError::ForcedOffsetOutOfRange {
            offset: frame.len(),
            length: frame.len()
        })
    );
}

#[test]
fn multi_packet_text_dumps_agree_with_tshark() {
    // tcpdump -XX of the whole Ethernet capture and tcpdump -x of the SLL2 one (see file headers).
    let text = std::fs::read(input_data("example-com-ethernet.tcpdump-XX.txt")).expect("dump");
    let extraction = extract(&text);
    assert_eq!(extraction.format, InputFormat::TcpdumpHexAsciiWithLink);
    let expected = tshark_dns_frames("example-com-ethernet.pcap.tshark.tsv");
    let found: Vec<(usize, u16)> = extraction
        .messages
        .iter()
        .map(|message| {
            (
                message.frame_index + 1,
                u16::from_be_bytes([message.dns[0], message.dns[1]]),
            )
        })
        .collect();
    let wanted: Vec<(usize, u16)> = expected
        .iter()
        .map(|frame| (frame.frame_number, frame.dns_ids[0]))
        .collect();
    assert_eq!(found, wanted);
    assert_eq!(extraction.frame_count, 60);

    let text = std::fs::read(input_data("example-com-sll2.tcpdump-x.txt")).expect("dump");
    let extraction = extract(&text);
    assert_eq!(extraction.format, InputFormat::TcpdumpHex);
    let expected = tshark_dns_frames("example-com-sll2.nsec.pcap.tshark.tsv");
    assert_eq!(extraction.messages.len(), expected.len());
    assert!(extraction.messages.iter().all(|message| matches!(
        message.layers.first(),
        Some(Layer::Ipv4 { .. } | Layer::Ipv6 { .. })
    )));
}

#[test]
fn tshark_x_with_a_reassembled_tcp_source_reads_the_reassembly() {
    // `tshark -r split-tcp-length-prefix.pcap -x`: the length prefix and the message travel in
    // two segments; tshark prints the second frame and its "Reassembled TCP (35 bytes)" source.
    let text = std::fs::read(input_data("tshark-x-reassembled-tcp.txt")).expect("dump");
    let extraction = extract(&text);
    assert_eq!(extraction.format, InputFormat::TsharkHex);
    assert_eq!(extraction.frame_count, 2);
    assert_eq!(extraction.messages.len(), 1);
    let message = &extraction.messages[0];
    assert_eq!(message.frame_index, 1);
    assert_eq!(
        message.data_source.as_deref(),
        Some("Reassembled TCP (35 bytes)")
    );
    assert_eq!(&message.dns[..2], &[0x3a, 0x09]);
    assert_eq!(message.dns.len(), 33);
    assert!(
        extraction
            .notes
            .iter()
            .any(|note| note.contains("Frame (87 bytes)")),
        "{:?}",
        extraction.notes
    );
}

#[test]
fn bad_inputs_give_typed_errors() {
    use dnslab_core::InputError;
    let options = ExtractOptions::default();
    assert_eq!(extract_dns(b"", &options), Err(InputError::Empty));
    assert_eq!(extract_dns(b" \n\t ", &options), Err(InputError::Empty));
    assert_eq!(
        extract_dns(b"3a098", &options),
        Err(InputError::OddDigitCount { digit_count: 5 })
    );
    assert!(matches!(
        extract_dns(b"hello, world!", &options),
        Err(InputError::UnrecognizedText { .. })
    ));
    // A pcap header cut short, and a record that runs past the end of the file.
    let pcap = std::fs::read(input_data("example-com-ethernet.pcap")).expect("capture");
    assert!(matches!(
        extract_dns(&pcap[..10], &options),
        Err(InputError::BadCapture {
            format: "pcap",
            offset: 10,
            ..
        })
    ));
    assert!(matches!(
        extract_dns(&pcap[..50], &options),
        Err(InputError::BadCapture {
            format: "pcap",
            offset: 24,
            ..
        })
    ));
    // A capture cut inside its 10th record keeps the frames before it, with a note.
    let truncated = extract(&pcap[..pcap.len() - 100]);
    assert!(
        truncated
            .notes
            .iter()
            .any(|note| note.contains("cut short")),
        "{:?}",
        truncated.notes
    );
    let pcapng = std::fs::read(captures_dir().join("example-com-sll2.pcapng")).expect("capture");
    assert!(matches!(
        extract_dns(&pcapng[..20], &options),
        Err(InputError::BadCapture {
            format: "pcapng",
            ..
        })
    ));
    // A capture whose only frame carries no DNS.
    let mut only_handshake = pcap[..24].to_vec();
    let syn = ethernet(0x0800, &ipv4(6, &[], &tcp(40000, 53, &[])));
    only_handshake.extend_from_slice(&[0; 8]);
    only_handshake.extend_from_slice(&(syn.len() as u32).to_le_bytes());
    only_handshake.extend_from_slice(&(syn.len() as u32).to_le_bytes());
    only_handshake.extend_from_slice(&syn);
    assert!(matches!(
        extract_dns(&only_handshake, &options),
        Err(InputError::NoDnsFound { .. })
    ));
}
