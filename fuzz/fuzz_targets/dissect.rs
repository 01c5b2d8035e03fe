//! Fuzz target: the dissector on arbitrary bytes, checked against hickory-proto.
//!
//! Whatever the bytes, `dissect` must return (no panic, no hang), every span it reports must lie
//! inside the message, and wherever hickory-proto's strict decoder accepts the bytes the two must
//! agree on every value (`crosscheck_with_hickory`). `outline`, the packet list's quick read,
//! must say what the full dissection says of the header, first question and RCODE.
#![no_main]

use dnslab_core::dissect::{crosscheck_with_hickory, dissect, outline, Field};
use libfuzzer_sys::fuzz_target;

fn assert_spans_inside(field: &Field, length: usize) {
    assert!(
        field.span.end() <= length,
        "field {} spans {:?} past the {length}-byte message",
        field.key,
        field.span
    );
    for child in &field.children {
        assert_spans_inside(child, length);
    }
}

fuzz_target!(|data: &[u8]| {
    let dissection = dissect(data);
    for field in dissection.tree() {
        assert_spans_inside(field, data.len());
    }
    for diagnostic in &dissection.diagnostics {
        assert!(diagnostic.offset + diagnostic.length <= data.len(), "{diagnostic:?}");
    }
    for record in &dissection.records {
        assert!(record.span.end() <= data.len() && record.rdata_span.end() <= data.len());
    }
    let quick = outline(data);
    assert_eq!(quick.header, dissection.header);
    assert_eq!(quick.first_question.as_ref(), dissection.questions.first());
    assert_eq!(quick.rcode(), dissection.rcode());
    if let Some(differences) = crosscheck_with_hickory(data, &dissection) {
        assert!(differences.is_empty(), "dissector and hickory disagree: {differences:#?}");
    }
});
