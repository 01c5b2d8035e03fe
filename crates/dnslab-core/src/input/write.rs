//! Writers: bytes written out in each text format dnslab reads, laid out as the original tool
//! lays them out. The tests read back what these write (bytes → format → bytes), and the page can
//! offer "copy as" with them.

use std::fmt::Write as _;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;

use super::dump::ascii_rendering;
use super::InputFormat;

/// Writes `bytes` in `format`; `None` for formats that are not text (pcap, pcapng, raw bytes).
pub fn write(format: InputFormat, bytes: &[u8]) -> Option<String> {
    Some(match format {
        InputFormat::WiresharkHexStream => hex_stream(bytes),
        InputFormat::SpacedHex => spaced_hex(bytes, true),
        InputFormat::ColonHex => colon_hex(bytes),
        InputFormat::WiresharkHexDump => wireshark_dump(bytes, false),
        InputFormat::WiresharkHexAsciiDump => wireshark_dump(bytes, true),
        InputFormat::TsharkHex => tshark_hex(bytes),
        InputFormat::TcpdumpHex | InputFormat::TcpdumpHexWithLink => tcpdump(bytes, false),
        InputFormat::TcpdumpHexAscii | InputFormat::TcpdumpHexAsciiWithLink => tcpdump(bytes, true),
        InputFormat::Xxd => xxd(bytes),
        InputFormat::XxdPlain => xxd_plain(bytes),
        InputFormat::XxdInclude => xxd_include(bytes, "message"),
        InputFormat::HexdumpCanonical => hexdump_canonical(bytes),
        InputFormat::Od => od(bytes),
        InputFormat::Base64 => STANDARD.encode(bytes),
        InputFormat::Base64Url => URL_SAFE_NO_PAD.encode(bytes),
        InputFormat::DohUrl => doh_url("https://dns.example/dns-query", bytes),
        InputFormat::CArray => c_array(bytes),
        InputFormat::GoLiteral => go_literal(bytes),
        InputFormat::CString => c_string(bytes),
        InputFormat::EscapedString => escaped_string(bytes),
        InputFormat::WiresharkCArrays => wireshark_c_arrays(&[bytes]),
        InputFormat::Pcap | InputFormat::PcapNg | InputFormat::RawBytes => return None,
    })
}

/// `3a0901...`: Wireshark's "Copy as Hex Stream".
pub fn hex_stream(bytes: &[u8]) -> String {
    crate::dissect::text::lower_hex(bytes)
}

/// `3A 09 01`, or lower case.
pub fn spaced_hex(bytes: &[u8], upper_case: bool) -> String {
    let words: Vec<String> = bytes
        .iter()
        .map(|byte| {
            if upper_case {
                format!("{byte:02X}")
            } else {
                format!("{byte:02x}")
            }
        })
        .collect();
    words.join(" ")
}

/// `3a:09:01`.
pub fn colon_hex(bytes: &[u8]) -> String {
    let words: Vec<String> = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    words.join(":")
}

fn byte_dump_lines(bytes: &[u8], offset_separator: &str, ascii_separator: Option<&str>) -> String {
    let mut text = String::new();
    for (line_index, chunk) in bytes.chunks(16).enumerate() {
        let hex = spaced_hex(chunk, false);
        let _ = write!(text, "{:04x}{offset_separator}", line_index * 16);
        match ascii_separator {
            Some(separator) => {
                let _ = writeln!(text, "{hex:<47}{separator}{}", ascii_rendering(chunk));
            }
            None => {
                let _ = writeln!(text, "{hex}");
            }
        }
    }
    text
}

/// Wireshark's "Copy as Hex Dump" (without ASCII) or "Copy as Hex + ASCII Dump".
pub fn wireshark_dump(bytes: &[u8], with_ascii: bool) -> String {
    byte_dump_lines(bytes, "   ", with_ascii.then_some("   "))
}

/// `tshark -x` for a frame with one data source.
pub fn tshark_hex(bytes: &[u8]) -> String {
    let mut text = byte_dump_lines(bytes, "  ", Some("   "));
    text.push('\n');
    text
}

/// `tcpdump -x` / `-X` lines (with a made-up summary line first, as tcpdump prints one).
pub fn tcpdump(bytes: &[u8], with_ascii: bool) -> String {
    let mut text = String::from("12:00:00.000000 IP 127.0.0.1.53 > 127.0.0.1.40000: UDP\n");
    for (line_index, chunk) in bytes.chunks(16).enumerate() {
        let words: Vec<String> = chunk.chunks(2).map(hex_stream).collect();
        let hex = words.join(" ");
        let _ = write!(text, "\t0x{:04x}:  ", line_index * 16);
        if with_ascii {
            let _ = writeln!(text, "{hex:<39}  {}", ascii_rendering(chunk));
        } else {
            let _ = writeln!(text, "{hex}");
        }
    }
    text
}

/// `xxd`.
pub fn xxd(bytes: &[u8]) -> String {
    let mut text = String::new();
    for (line_index, chunk) in bytes.chunks(16).enumerate() {
        let words: Vec<String> = chunk.chunks(2).map(hex_stream).collect();
        let _ = writeln!(
            text,
            "{:08x}: {:<39}  {}",
            line_index * 16,
            words.join(" "),
            ascii_rendering(chunk)
        );
    }
    text
}

/// `xxd -p`: 30 bytes a line.
pub fn xxd_plain(bytes: &[u8]) -> String {
    let mut text = String::new();
    for chunk in bytes.chunks(30) {
        let _ = writeln!(text, "{}", hex_stream(chunk));
    }
    text
}

/// `xxd -i` with the array called `name`.
pub fn xxd_include(bytes: &[u8], name: &str) -> String {
    let mut text = format!("unsigned char {name}[] = {{\n");
    let lines: Vec<String> = bytes
        .chunks(12)
        .map(|chunk| {
            let values: Vec<String> = chunk.iter().map(|byte| format!("0x{byte:02x}")).collect();
            format!("  {}", values.join(", "))
        })
        .collect();
    text.push_str(&lines.join(",\n"));
    let _ = write!(text, "\n}};\nunsigned int {name}_len = {};\n", bytes.len());
    text
}

/// `hexdump -C`, with its final length line.
pub fn hexdump_canonical(bytes: &[u8]) -> String {
    let mut text = String::new();
    for (line_index, chunk) in bytes.chunks(16).enumerate() {
        let mut hex = String::new();
        for position in 0..16 {
            match chunk.get(position) {
                Some(byte) => {
                    let _ = write!(hex, "{byte:02x} ");
                }
                None => hex.push_str("   "),
            }
            if position == 7 {
                hex.push(' ');
            }
        }
        let _ = writeln!(
            text,
            "{:08x}  {hex} |{}|",
            line_index * 16,
            ascii_rendering(chunk)
        );
    }
    let _ = writeln!(text, "{:08x}", bytes.len());
    text
}

/// `od -Ax -tx1 -v`, with its final length line.
pub fn od(bytes: &[u8]) -> String {
    let mut text = String::new();
    for (line_index, chunk) in bytes.chunks(16).enumerate() {
        let _ = write!(text, "{:06x}", line_index * 16);
        for byte in chunk {
            let _ = write!(text, " {byte:02x}");
        }
        text.push('\n');
    }
    let _ = writeln!(text, "{:06x}", bytes.len());
    text
}

/// A DoH GET URL (RFC 8484 §4.1) for `base`.
pub fn doh_url(base: &str, bytes: &[u8]) -> String {
    format!("{base}?dns={}", URL_SAFE_NO_PAD.encode(bytes))
}

fn unpadded_list(bytes: &[u8]) -> String {
    let values: Vec<String> = bytes.iter().map(|byte| format!("{byte:#x}")).collect();
    values.join(", ")
}

/// Wireshark's "Copy as C Array": `unsigned char bytes[] = {0x0, 0x3e, ...};`.
pub fn c_array(bytes: &[u8]) -> String {
    format!("unsigned char bytes[] = {{{}}};", unpadded_list(bytes))
}

/// Wireshark's "Copy as Go Literal": `[]byte{0x0, 0x3e, ...}`.
pub fn go_literal(bytes: &[u8]) -> String {
    format!("[]byte{{{}}}", unpadded_list(bytes))
}

/// Wireshark's "Copy as C String": printable characters as themselves, `\a`..`\r` by name,
/// everything else as three octal digits.
pub fn c_string(bytes: &[u8]) -> String {
    let mut text = String::from("\"");
    for byte in bytes {
        match byte {
            0x07 => text.push_str("\\a"),
            0x08 => text.push_str("\\b"),
            0x09 => text.push_str("\\t"),
            0x0a => text.push_str("\\n"),
            0x0b => text.push_str("\\v"),
            0x0c => text.push_str("\\f"),
            0x0d => text.push_str("\\r"),
            b'"' => text.push_str("\\\""),
            b'\\' => text.push_str("\\\\"),
            0x20..=0x7e => text.push(char::from(*byte)),
            other => {
                let _ = write!(text, "\\{other:03o}");
            }
        }
    }
    text.push('"');
    text
}

/// Wireshark's "Copy as Escaped String": 16 `\x` bytes a line, joined by ` \`.
pub fn escaped_string(bytes: &[u8]) -> String {
    let lines: Vec<String> = bytes
        .chunks(16)
        .map(|chunk| {
            let escaped: String = chunk.iter().map(|byte| format!("\\x{byte:02x}")).collect();
            format!("\"{escaped}\"")
        })
        .collect();
    lines.join(" \\\n")
}

/// Wireshark's "Export Packet Dissections → As C Arrays" (the layout of Wireshark 4's
/// `print_packet_carrays`): one `pktN` array per packet, 8 bytes a line with their ASCII in a
/// `// |...|` comment.
pub fn wireshark_c_arrays(packets: &[&[u8]]) -> String {
    let mut text = String::new();
    for (index, packet) in packets.iter().enumerate() {
        let number = index + 1;
        let _ = writeln!(text, "// Frame ({} bytes)", packet.len());
        let _ = writeln!(
            text,
            "static const unsigned char pkt{number}[{}] = {{",
            packet.len()
        );
        let chunks: Vec<&[u8]> = packet.chunks(8).collect();
        for (chunk_index, chunk) in chunks.iter().enumerate() {
            let values: Vec<String> = chunk.iter().map(|byte| format!("0x{byte:02x}")).collect();
            let ascii = ascii_rendering(chunk);
            if chunk_index + 1 < chunks.len() {
                let _ = writeln!(text, "{}, // |{ascii}|", values.join(", "));
            } else {
                let padding = "      ".repeat(8 - chunk.len());
                let _ = writeln!(text, "{}{padding}  // |{ascii}|", values.join(", "));
            }
        }
        text.push_str("};\n\n");
    }
    text
}
