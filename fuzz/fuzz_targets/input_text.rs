//! Fuzz target: the text-format detector and every text parser, through `extract_dns`.
#![no_main]

use dnslab_core::input::{extract_dns, ExtractOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    // Any outcome is fine; panics, hangs and huge allocations are not.
    if let Ok(extraction) = extract_dns(text.as_bytes(), &ExtractOptions::default()) {
        assert!(!extraction.messages.is_empty());
        for message in &extraction.messages {
            let _ = message.layers_summary();
        }
    }
});
