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
                        value.get("tcp").and_then(|tcp| tcp.as_bool()).unwrap_or(false),
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
            let name = file.file_name().and_then(|name| name.to_str()).unwrap_or("").to_string();
            let Some((frame, rest)) = name.split_once('.') else { continue };
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
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert!(checked > 900, "only {checked} paste files checked");
}
