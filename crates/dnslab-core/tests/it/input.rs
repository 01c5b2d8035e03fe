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
    crate::manifest_dir().join("tests/data/input").join(name)
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

/// An Ethernet frame of a TCP segment from port 40000 to `destination_port`, with sequence
/// number `sequence`.
fn tcp_frame(destination_port: u16, sequence: u32, payload: &[u8]) -> Vec<u8> {
    tcp_frame_between(40000, destination_port, sequence, payload)
}

/// An Ethernet frame of a TCP segment between two ports, with sequence number `sequence`.
fn tcp_frame_between(
    source_port: u16,
    destination_port: u16,
    sequence: u32,
    payload: &[u8],
) -> Vec<u8> {
    let mut segment = tcp(source_port, destination_port, payload);
    segment[4..8].copy_from_slice(&sequence.to_be_bytes());
    ethernet(0x0800, &ipv4(6, &[], &segment))
}

/// A little-endian microsecond pcap of Ethernet `frames`, all at the same time stamp.
fn ethernet_pcap(frames: &[Vec<u8>]) -> Vec<u8> {
    let records: Vec<(u32, u32, &[u8])> = frames
        .iter()
        .map(|frame| (1, 0, frame.as_slice()))
        .collect();
    write_pcap(false, false, 1, &records)
}

/// `dns` after its 2-byte TCP length prefix.
fn length_prefixed(dns: &[u8]) -> Vec<u8> {
    let mut stream = (dns.len() as u16).to_be_bytes().to_vec();
    stream.extend_from_slice(dns);
    stream
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
    let prefixed = length_prefixed(&dns);
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

/// Every text format dnslab reads (all formats but the binary captures and raw bytes), each with
/// its writer in `input::write`. Derived from `InputFormat::ALL` so a new format is tested too.
fn text_formats() -> impl Iterator<Item = InputFormat> {
    InputFormat::ALL.into_iter().filter(|format| {
        !matches!(
            format,
            InputFormat::Pcap | InputFormat::PcapNg | InputFormat::RawBytes
        )
    })
}

/// Reads `text` with the DNS message forced to start at byte 0, so the text layer alone decides.
fn read_back(text: &str) -> Extraction {
    let options = ExtractOptions {
        forced_offset: Some(0),
        ..ExtractOptions::default()
    };
    extract_dns(text.as_bytes(), &options).unwrap_or_else(|error| panic!("{error} for {text:?}"))
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

    #[test]
    fn every_text_format_round_trips(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 12..300)) {
        for format in text_formats() {
            let text = dnslab_core::input::write::write(format, &bytes).expect("a text format");
            let extraction = read_back(&text);
            proptest::prop_assert!(
                extraction.format == format || extraction.alternative_formats.contains(&format),
                "{format}: detected {} (alternatives {:?}) for {text:?}",
                extraction.format,
                extraction.alternative_formats
            );
            proptest::prop_assert_eq!(extraction.messages.len(), 1, "{}", format);
            proptest::prop_assert_eq!(&extraction.messages[0].dns, &bytes, "{} {:?}", format, text);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let _ = extract_dns(text.as_bytes(), &ExtractOptions::default());
    }
}

#[test]
fn text_formats_list_matches_the_writer() {
    // Every format the writer handles is in the round-trip list, and only text formats are.
    for format in InputFormat::ALL {
        let written = dnslab_core::input::write::write(format, b"0123456789ab");
        assert_eq!(
            written.is_some(),
            text_formats().any(|text_format| text_format == format),
            "{format}"
        );
    }
}

#[test]
fn a_message_split_over_tcp_segments_is_reassembled() {
    // Frame 1 carries only the 2-byte length, frame 2 the message (tshark: frame 2, ID 0x3a09).
    let pcap = std::fs::read(input_data("split-tcp-length-prefix.pcap")).expect("capture");
    let extraction = extract(&pcap);
    assert_eq!(extraction.messages.len(), 1, "{:?}", extraction.notes);
    let message = &extraction.messages[0];
    assert_eq!(message.frame_index, 1);
    assert_eq!(
        message.data_source.as_deref(),
        Some("Reassembled TCP (35 bytes)")
    );
    assert_eq!(message.dns.len(), 33);
    assert_eq!(&message.dns[..2], &[0x3a, 0x09]);

    // A message cut into three segments of a pcap written here, after an unrelated UDP query.
    let dns = query();
    let stream = length_prefixed(&dns);
    let segment = |sequence: u32, payload: &[u8]| tcp_frame(53, sequence, payload);
    let frames = [
        ethernet(0x0800, &ipv4(17, &[], &udp(40001, 53, &dns))),
        segment(1000, &stream[..5]),
        segment(1005, &stream[5..20]),
        segment(1020, &stream[20..]),
    ];
    let extraction = extract(&ethernet_pcap(&frames));
    assert_eq!(extraction.messages.len(), 2);
    assert_eq!(extraction.messages[1].dns, dns);
    assert_eq!(extraction.messages[1].frame_index, 3);
    // Without the last segment the message is reported cut short, from the frame it began in.
    let extraction = extract(&ethernet_pcap(&frames[..3]));
    assert_eq!(extraction.messages.len(), 2);
    assert_eq!(extraction.messages[1].frame_index, 1);
    assert_eq!(extraction.messages[1].dns, dns[..18].to_vec());
}

/// Frames of a little-endian microsecond pcap, read here independently of dnslab's reader.
fn pcap_records(file: &[u8]) -> Vec<(u32, u32, Vec<u8>)> {
    assert_eq!(&file[..4], &[0xd4, 0xc3, 0xb2, 0xa1]);
    let mut records = Vec::new();
    let mut position = 24;
    let word = |at: usize| u32::from_le_bytes(file[at..at + 4].try_into().expect("4 bytes"));
    while position < file.len() {
        let length = word(position + 8) as usize;
        records.push((
            word(position),
            word(position + 4),
            file[position + 16..position + 16 + length].to_vec(),
        ));
        position += 16 + length;
    }
    records
}

fn put_u16(out: &mut Vec<u8>, big_endian: bool, value: u16) {
    out.extend_from_slice(&if big_endian {
        value.to_be_bytes()
    } else {
        value.to_le_bytes()
    });
}

fn put_u32(out: &mut Vec<u8>, big_endian: bool, value: u32) {
    out.extend_from_slice(&if big_endian {
        value.to_be_bytes()
    } else {
        value.to_le_bytes()
    });
}

/// Writes a pcap file in either byte order, with microsecond or nanosecond fractions.
fn write_pcap(
    big_endian: bool,
    nanoseconds: bool,
    link_type: u32,
    records: &[(u32, u32, &[u8])],
) -> Vec<u8> {
    let mut file = Vec::new();
    put_u32(
        &mut file,
        big_endian,
        if nanoseconds {
            0xa1b2_3c4d
        } else {
            0xa1b2_c3d4
        },
    );
    put_u16(&mut file, big_endian, 2);
    put_u16(&mut file, big_endian, 4);
    put_u32(&mut file, big_endian, 0);
    put_u32(&mut file, big_endian, 0);
    put_u32(&mut file, big_endian, 262_144);
    put_u32(&mut file, big_endian, link_type);
    for (seconds, fraction, data) in records {
        put_u32(&mut file, big_endian, *seconds);
        put_u32(&mut file, big_endian, *fraction);
        put_u32(&mut file, big_endian, data.len() as u32);
        put_u32(&mut file, big_endian, data.len() as u32);
        file.extend_from_slice(data);
    }
    file
}

/// A pcapng block: type, body (padded to 32 bits), both lengths.
fn pcapng_block(out: &mut Vec<u8>, big_endian: bool, block_type: u32, body: &[u8]) {
    let padded = body.len().div_ceil(4) * 4;
    let total = (12 + padded) as u32;
    put_u32(out, big_endian, block_type);
    put_u32(out, big_endian, total);
    out.extend_from_slice(body);
    out.resize(out.len() + padded - body.len(), 0);
    put_u32(out, big_endian, total);
}

/// What goes into a pcapng written by [`write_pcapng`].
enum PcapngPacket<'a> {
    Enhanced {
        interface: u32,
        ticks: u64,
        data: &'a [u8],
    },
    Simple {
        data: &'a [u8],
    },
    Obsolete {
        interface: u16,
        ticks: u64,
        data: &'a [u8],
    },
}

/// Writes a pcapng file: a section header, one IDB per `(link type, if_tsresol)`, the packets.
fn write_pcapng(
    big_endian: bool,
    interfaces: &[(u16, u8)],
    packets: &[PcapngPacket<'_>],
) -> Vec<u8> {
    let mut file = Vec::new();
    let mut body = Vec::new();
    put_u32(&mut body, big_endian, 0x1a2b_3c4d);
    put_u16(&mut body, big_endian, 1);
    put_u16(&mut body, big_endian, 0);
    body.extend_from_slice(&[0xff; 8]);
    pcapng_block(&mut file, big_endian, 0x0a0d_0d0a, &body);
    for (link_type, resolution) in interfaces {
        let mut body = Vec::new();
        put_u16(&mut body, big_endian, *link_type);
        put_u16(&mut body, big_endian, 0);
        put_u32(&mut body, big_endian, 262_144);
        // if_tsresol (code 9, length 1, padded), then opt_endofopt.
        put_u16(&mut body, big_endian, 9);
        put_u16(&mut body, big_endian, 1);
        body.extend_from_slice(&[*resolution, 0, 0, 0]);
        put_u16(&mut body, big_endian, 0);
        put_u16(&mut body, big_endian, 0);
        pcapng_block(&mut file, big_endian, 1, &body);
    }
    for packet in packets {
        let mut body = Vec::new();
        match packet {
            PcapngPacket::Enhanced {
                interface,
                ticks,
                data,
            } => {
                put_u32(&mut body, big_endian, *interface);
                put_u32(&mut body, big_endian, (ticks >> 32) as u32);
                put_u32(&mut body, big_endian, *ticks as u32);
                put_u32(&mut body, big_endian, data.len() as u32);
                put_u32(&mut body, big_endian, data.len() as u32);
                body.extend_from_slice(data);
                pcapng_block(&mut file, big_endian, 6, &body);
            }
            PcapngPacket::Obsolete {
                interface,
                ticks,
                data,
            } => {
                put_u16(&mut body, big_endian, *interface);
                put_u16(&mut body, big_endian, 0);
                put_u32(&mut body, big_endian, (ticks >> 32) as u32);
                put_u32(&mut body, big_endian, *ticks as u32);
                put_u32(&mut body, big_endian, data.len() as u32);
                put_u32(&mut body, big_endian, data.len() as u32);
                body.extend_from_slice(data);
                pcapng_block(&mut file, big_endian, 2, &body);
            }
            PcapngPacket::Simple { data } => {
                put_u32(&mut body, big_endian, data.len() as u32);
                body.extend_from_slice(data);
                pcapng_block(&mut file, big_endian, 3, &body);
            }
        }
    }
    file
}

/// The facts of an extraction that must not depend on the file's byte order or resolution.
/// Frame index, DNS bytes, layers summary and timestamp of one message.
type MessageFacts = (usize, Vec<u8>, String, Option<(i64, u32)>);

fn message_facts(extraction: &Extraction) -> Vec<MessageFacts> {
    extraction
        .messages
        .iter()
        .map(|message| {
            (
                message.frame_index,
                message.dns.to_vec(),
                message.layers_summary(),
                message
                    .timestamp
                    .map(|timestamp| (timestamp.seconds, timestamp.nanoseconds)),
            )
        })
        .collect()
}

#[test]
fn pcap_in_both_byte_orders_and_resolutions_reads_the_same() {
    let original = std::fs::read(input_data("example-com-ethernet.pcap")).expect("capture");
    let expected = message_facts(&extract(&original));
    let records = pcap_records(&original);
    for big_endian in [false, true] {
        for nanoseconds in [false, true] {
            let converted: Vec<(u32, u32, &[u8])> = records
                .iter()
                .map(|(seconds, micros, data)| {
                    (
                        *seconds,
                        if nanoseconds { micros * 1000 } else { *micros },
                        data.as_slice(),
                    )
                })
                .collect();
            let file = write_pcap(big_endian, nanoseconds, 1, &converted);
            assert_eq!(
                message_facts(&extract(&file)),
                expected,
                "big endian {big_endian}, nanoseconds {nanoseconds}"
            );
        }
    }
}

#[test]
fn pcapng_in_both_byte_orders_with_two_interfaces_and_every_packet_block() {
    let ethernet_pcap = std::fs::read(input_data("example-com-ethernet.pcap")).expect("capture");
    let ethernet_records = pcap_records(&ethernet_pcap);
    let ethernet_facts = message_facts(&extract(&ethernet_pcap));
    // The SLL2 frames, with nanosecond timestamps from tshark's listing of the nanosecond pcap.
    let sll2 =
        extract(&std::fs::read(captures_dir().join("example-com-sll2.pcapng")).expect("capture"));
    let sll2_frames: Vec<(usize, Vec<u8>, (i64, u32))> = {
        let original = std::fs::read(input_data("example-com-sll2.nsec.pcap")).expect("capture");
        let mut frames = Vec::new();
        let mut position = 24;
        let word =
            |at: usize| u32::from_le_bytes(original[at..at + 4].try_into().expect("4 bytes"));
        while position < original.len() {
            let length = word(position + 8) as usize;
            frames.push((
                frames.len(),
                original[position + 16..position + 16 + length].to_vec(),
                (i64::from(word(position)), word(position + 4)),
            ));
            position += 16 + length;
        }
        frames
    };
    let mut packets = Vec::new();
    for (seconds, micros, data) in &ethernet_records {
        packets.push(PcapngPacket::Enhanced {
            interface: 0,
            ticks: u64::from(*seconds) * 1_000_000 + u64::from(*micros),
            data,
        });
    }
    for (_, data, (seconds, nanoseconds)) in &sll2_frames {
        packets.push(PcapngPacket::Enhanced {
            interface: 1,
            ticks: *seconds as u64 * 1_000_000_000 + u64::from(*nanoseconds),
            data,
        });
    }
    // The first Ethernet frame again, as a Simple Packet Block (interface 0, no timestamp) and
    // as an obsolete Packet Block on interface 0.
    let (first_seconds, first_micros, first_data) = &ethernet_records[0];
    packets.push(PcapngPacket::Simple { data: first_data });
    packets.push(PcapngPacket::Obsolete {
        interface: 0,
        ticks: u64::from(*first_seconds) * 1_000_000 + u64::from(*first_micros),
        data: first_data,
    });

    let mut expected = ethernet_facts.clone();
    let offset = ethernet_records.len();
    for message in &sll2.messages {
        let timestamp = message.timestamp.expect("timestamp");
        expected.push((
            offset + message.frame_index,
            message.dns.to_vec(),
            message.layers_summary(),
            Some((timestamp.seconds, timestamp.nanoseconds)),
        ));
    }
    let first = ethernet_facts[0].clone();
    expected.push((
        offset + sll2_frames.len(),
        first.1.clone(),
        first.2.clone(),
        None,
    ));
    expected.push((offset + sll2_frames.len() + 1, first.1, first.2, first.3));

    for big_endian in [false, true] {
        let file = write_pcapng(big_endian, &[(1, 6), (276, 9)], &packets);
        let extraction = extract(&file);
        assert_eq!(extraction.format, InputFormat::PcapNg);
        assert_eq!(
            message_facts(&extraction),
            expected,
            "big endian {big_endian}"
        );
    }
}

#[test]
fn windows_line_ends_and_a_byte_order_mark_do_not_matter() {
    let dns = query();
    for format in [
        InputFormat::Xxd,
        InputFormat::TsharkHex,
        InputFormat::EscapedString,
        InputFormat::HexdumpCanonical,
    ] {
        let text = dnslab_core::input::write::write(format, &dns).expect("text");
        let windows = format!("\u{feff}{}", text.replace('\n', "\r\n"));
        let extraction = extract(windows.as_bytes());
        assert_eq!(extraction.format, format);
        assert_eq!(extraction.messages[0].dns, dns, "{format}");
    }
    // `xxd -i` of a file named like a Wireshark packet array is still `xxd -i`.
    let text = dnslab_core::input::write::xxd_include(&dns, "pkt1");
    assert_eq!(extract(text.as_bytes()).format, InputFormat::XxdInclude);
}

#[test]
fn tcp_on_other_ports_in_a_capture_is_not_taken_for_dns() {
    // An HTTP request in two segments, then a DNS query: only the query is DNS.
    let dns = query();
    let request = b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n";
    let segment = |sequence: u32, payload: &[u8]| tcp_frame(80, sequence, payload);
    let frames = [
        segment(1000, &request[..10]),
        segment(1010, &request[10..]),
        ethernet(0x0800, &ipv4(17, &[], &udp(40001, 53, &dns))),
    ];
    let extraction = extract(&ethernet_pcap(&frames));
    assert_eq!(extraction.messages.len(), 1, "{:?}", extraction.messages);
    assert_eq!(extraction.messages[0].frame_index, 2);
    assert_eq!(extraction.messages[0].dns, dns);
}

#[test]
fn a_connection_off_the_dns_ports_that_carried_dns_is_reassembled() {
    // A query over TCP to a test port (8053), then its answer in two segments: the query makes
    // the connection DNS, so the answer is put together as on port 53.
    let question = query();
    let mut answer = query();
    answer[2] |= 0x80;
    answer.extend_from_slice(&[0; 40]);
    let reply_stream = length_prefixed(&answer);
    let from_server =
        |sequence: u32, payload: &[u8]| tcp_frame_between(8053, 40000, sequence, payload);
    let frames = [
        tcp_frame(8053, 1000, &length_prefixed(&question)),
        from_server(5000, &reply_stream[..20]),
        from_server(5020, &reply_stream[20..]),
    ];
    let extraction = extract(&ethernet_pcap(&frames));
    let read: Vec<(usize, &[u8])> = extraction
        .messages
        .iter()
        .map(|message| (message.frame_index, &message.dns[..]))
        .collect();
    assert_eq!(
        read,
        [(0, &question[..]), (2, &answer[..])],
        "{:?}",
        extraction.notes
    );
}

/// Reads `input` with an [`Extractor`] `frames` at a time, checking its progress on the way.
fn extract_in_steps(
    input: &[u8],
    options: &ExtractOptions,
    frames: usize,
) -> Result<Extraction, dnslab_core::input::InputError> {
    let mut extractor = dnslab_core::input::Extractor::new(input, options)?;
    let mut done = extractor.frames_done();
    assert_eq!(done, 0);
    while !extractor.step(frames) {
        assert!(extractor.frames_done() > done, "a step made no progress");
        assert!(extractor.frames_done() <= extractor.frame_count());
        done = extractor.frames_done();
    }
    extractor.finish()
}

#[test]
fn a_capture_read_in_steps_gives_what_one_reading_gives() {
    // A TCP message over three segments between UDP queries, so that steps cut the stream.
    let dns = query();
    let stream = length_prefixed(&dns);
    let segment = |sequence: u32, payload: &[u8]| tcp_frame(53, sequence, payload);
    let frames = [
        ethernet(0x0800, &ipv4(17, &[], &udp(40001, 53, &dns))),
        segment(1000, &stream[..5]),
        ethernet(0x0800, &ipv4(17, &[], &udp(40002, 53, &dns))),
        segment(1005, &stream[5..20]),
        ethernet(0x0806, &[0; 28]),
        segment(1020, &stream[20..]),
        ethernet(0x0800, &ipv4(17, &[], &udp(53, 40002, &dns))),
    ];
    let records: Vec<(u32, u32, &[u8])> = frames
        .iter()
        .enumerate()
        .map(|(index, frame)| (1, index as u32, frame.as_slice()))
        .collect();
    let mut inputs = vec![write_pcap(false, false, 1, &records)];
    for name in ["example-com-ethernet.pcapng", "example-com-sll2.pcapng"] {
        inputs.push(std::fs::read(captures_dir().join(name)).expect("capture"));
    }
    inputs.push(std::fs::read(input_data("split-tcp-length-prefix.pcap")).expect("capture"));
    let forced = ExtractOptions {
        forced_offset: Some(42),
        ..ExtractOptions::default()
    };
    for input in &inputs {
        for options in [&ExtractOptions::default(), &forced] {
            let whole = extract_dns(input, options);
            for frames in [1, 2, 3, 5, 1000] {
                assert_eq!(extract_in_steps(input, options, frames), whole, "{frames}");
            }
        }
    }
    let plain = extract_dns(&inputs[0], &ExtractOptions::default()).expect("DNS");
    assert_eq!(plain.messages.len(), 4, "{:?}", plain.notes);
}

#[test]
fn steps_keep_the_errors_and_texts_of_one_reading() {
    // A forced offset past the end of the first frame fails, in steps as in one reading.
    let frame = ethernet(0x0800, &ipv4(17, &[], &udp(40001, 53, &query())));
    let pcap = write_pcap(false, false, 1, &[(1, 0, &frame), (1, 1, &frame)]);
    let beyond = ExtractOptions {
        forced_offset: Some(5000),
        ..ExtractOptions::default()
    };
    let error = extract_in_steps(&pcap, &beyond, 1).expect_err("out of range");
    assert_eq!(Err(error), extract_dns(&pcap, &beyond));
    // Texts are read whole by `new`: no frames to step through.
    let text = "3a090120000100000000000103777777076578616d706c6503636f6d0000010001";
    let extractor = dnslab_core::input::Extractor::new(text.as_bytes(), &ExtractOptions::default())
        .expect("a text");
    assert_eq!(extractor.frame_count(), 0);
    assert_eq!(
        extractor.finish(),
        extract_dns(text.as_bytes(), &ExtractOptions::default())
    );
    assert_eq!(
        dnslab_core::input::Extractor::new(b"  \n", &ExtractOptions::default()).map(|_| ()),
        Err(dnslab_core::input::InputError::Empty)
    );
}

/// The Info column of every DNS frame of the captures, as tshark writes it, against
/// [`dnslab_core::page::info_line`] of the one message dnslab finds in that frame.
#[test]
fn info_lines_are_tsharks_for_every_captured_message() {
    let files = [
        (
            "example-com-ethernet.pcapng",
            captures_dir().join("example-com-ethernet.pcapng"),
        ),
        (
            "example-com-sll2.pcapng",
            captures_dir().join("example-com-sll2.pcapng"),
        ),
        (
            "example-com-sll2.nsec.pcap",
            input_data("example-com-sll2.nsec.pcap"),
        ),
        // Every record type of types.test.zone, the oracle's hand-made records and one record of
        // every type dnslab names (see make-types-capture.py).
        ("types-test.pcap", input_data("types-test.pcap")),
    ];
    let mut compared = 0;
    for (name, path) in files {
        let expected = std::fs::read_to_string(input_data(&format!("{name}.tshark-info.tsv")))
            .expect("tshark's Info column");
        let extraction = extract(&std::fs::read(path).expect("capture"));
        for line in expected.lines().filter(|line| !line.starts_with('#')) {
            let (number, info) = line.split_once('\t').expect("number and Info");
            let number: usize = number.parse().expect("a frame number");
            let in_frame: Vec<_> = extraction
                .messages
                .iter()
                .filter(|message| message.frame_index + 1 == number)
                .collect();
            // tshark joins the Info of several messages in one segment; one each is compared.
            let [message] = in_frame.as_slice() else {
                continue;
            };
            let dissection = dnslab_core::dissect::dissect(&message.dns);
            assert_eq!(
                dnslab_core::page::info_line(&dissection),
                info,
                "{name} frame {number}"
            );
            compared += 1;
        }
    }
    assert!(compared >= 450, "{compared} frames compared");
}
