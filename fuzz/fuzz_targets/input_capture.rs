//! Fuzz target: the pcap/pcapng reader and frame slicer, with a capture magic number in front.
#![no_main]

use dnslab_core::input::{extract_dns, ExtractOptions};
use libfuzzer_sys::fuzz_target;

/// The four pcap magics (both byte orders, micro- and nanoseconds) and pcapng's.
const MAGICS: [[u8; 4]; 5] = [
    [0xd4, 0xc3, 0xb2, 0xa1],
    [0xa1, 0xb2, 0xc3, 0xd4],
    [0x4d, 0x3c, 0xb2, 0xa1],
    [0xa1, 0xb2, 0x3c, 0x4d],
    [0x0a, 0x0d, 0x0d, 0x0a],
];

fuzz_target!(|data: &[u8]| {
    // The first byte picks a magic so every run exercises the capture readers (seed files that
    // already start with a magic are read as they are).
    let mut file = Vec::with_capacity(data.len() + 4);
    match data.first() {
        Some(selector) if !MAGICS.iter().any(|magic| data.starts_with(magic)) => {
            file.extend_from_slice(&MAGICS[usize::from(*selector) % MAGICS.len()]);
            file.extend_from_slice(data.get(1..).unwrap_or_default());
        }
        _ => file.extend_from_slice(data),
    }
    let _ = extract_dns(&file, &ExtractOptions::default());
    let _ = extract_dns(
        &file,
        &ExtractOptions {
            forced_offset: Some(usize::from(data.len() as u8)),
            ..ExtractOptions::default()
        },
    );
});
