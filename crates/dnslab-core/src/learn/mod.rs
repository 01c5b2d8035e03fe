//! Short explanations for the page's Learn panel, as data: what a header field, a record type,
//! a response code, an opcode, an EDNS option or a dissector finding means, in two or three
//! sentences, with the RFC section that defines it.
//!
//! The entries are static tables (`entries.rs` for the fields of the field tree, `codes.rs` for
//! the numbers IANA assigns, `diagnostics.rs` for the dissector's findings). Lookups:
//!
//! - [`explain`] takes the `key` of a field-tree node (the dissector's `Field::key`, e.g.
//!   `header.flags.rd`, `answer.rdata.exchange`, `edns.option.cookie.client`, or the page's
//!   `layer.udp`), or an entry's own key (`type.MX`, `rcode.NXDOMAIN`, `diagnostic.pointer_loop`).
//!   Section prefixes are folded (`answer.ttl`, `authority.ttl` and `additional.ttl` share the
//!   entry `rr.ttl`), every label and compression pointer of every name shares `name.label` and
//!   `name.pointer`, and a key without an entry of its own falls back to its nearest ancestor
//!   that has one (`layer.udp.checksum` → `layer.udp`);
//! - [`explain_type`], [`explain_rcode`], [`explain_opcode`] and [`explain_option`] take numbers;
//! - [`explain_diagnostic`] takes a diagnostic's message: the dissector's findings carry no
//!   machine-readable kind, so [`diagnostic_kind`] recognizes each kind by the fixed words of its
//!   message (a test checks that every finding the dissector makes on thousands of damaged
//!   messages is recognized).
//!
//! [`rfc_link`] turns a reference into a link to the RFC Editor's HTML page.

mod codes;
mod diagnostics;
mod entries;
mod guide;

use serde::Serialize;

pub use diagnostics::diagnostic_kind;
pub use guide::{GuideStep, GUIDE};

/// Where an explanation comes from: an RFC and one of its sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct RfcRef {
    /// The RFC's number.
    pub rfc: u16,
    /// The section: `4.1.1`, `appendix-A`, or empty for an RFC without numbered sections (the
    /// link then opens the RFC at its top).
    pub section: &'static str,
}

/// One explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Entry {
    /// Its key: `header.flags.rd`, `type.MX`, `rcode.NXDOMAIN`, `opcode.QUERY`, `option.COOKIE`,
    /// `diagnostic.pointer_loop`, …
    pub key: &'static str,
    /// A short title: `Recursion desired (RD)`.
    pub title: &'static str,
    /// Two or three sentences.
    pub text: &'static str,
    /// The defining RFC section; `None` for the few things no RFC defines (record types and
    /// options registered from Internet-Drafts or other documents, say the texts).
    pub rfc: Option<RfcRef>,
}

impl Entry {
    /// The link to its RFC section, if it has one (see [`rfc_link`]).
    pub fn link(&self) -> Option<String> {
        self.rfc
            .map(|reference| rfc_link(reference.rfc, reference.section))
    }
}

/// The RFC Editor's link to `section` of RFC `rfc`:
/// `https://www.rfc-editor.org/rfc/rfc1035#section-4.1.1`; an appendix (`appendix-A`) is its own
/// anchor (`#appendix-A`), and an empty section links to the RFC itself.
pub fn rfc_link(rfc: u16, section: &str) -> String {
    if section.is_empty() {
        format!("https://www.rfc-editor.org/rfc/rfc{rfc}")
    } else if section.starts_with("appendix-") {
        format!("https://www.rfc-editor.org/rfc/rfc{rfc}#{section}")
    } else {
        format!("https://www.rfc-editor.org/rfc/rfc{rfc}#section-{section}")
    }
}

/// Every entry, fields first, then types, response codes, opcodes, options and findings.
pub fn all_entries() -> impl Iterator<Item = &'static Entry> {
    entries::FIELDS
        .iter()
        .chain(codes::TYPES.iter().map(|(_, entry)| entry))
        .chain(codes::RCODES.iter().map(|(_, entry)| entry))
        .chain(codes::OPCODES.iter().map(|(_, entry)| entry))
        .chain(codes::OPTIONS.iter().map(|(_, entry)| entry))
        .chain(diagnostics::DIAGNOSTICS.iter().map(|(entry, _)| entry))
}

/// The explanation of a field-tree key (or of an entry's own key): see the
/// [module documentation](self) for how keys are folded and fall back.
pub fn explain(key: &str) -> Option<&'static Entry> {
    let normalized = normalize_key(key);
    let mut candidate = normalized.as_str();
    loop {
        if let Some(entry) = exact(candidate) {
            return Some(entry);
        }
        candidate = candidate.rsplit_once('.')?.0;
    }
}

/// The entry whose key is exactly `key` (after folding), without falling back to an ancestor.
pub fn explain_exact(key: &str) -> Option<&'static Entry> {
    exact(&normalize_key(key))
}

fn exact(key: &str) -> Option<&'static Entry> {
    all_entries().find(|entry| entry.key == key)
}

/// Folds a field-tree key onto the key of its entry.
fn normalize_key(key: &str) -> String {
    if key.ends_with(".label") {
        return "name.label".to_owned();
    }
    if key.ends_with(".pointer") {
        return "name.pointer".to_owned();
    }
    for section in ["answer.", "authority.", "additional."] {
        if let Some(rest) = key.strip_prefix(section) {
            return if rest.starts_with("rdata.") {
                rest.to_owned()
            } else {
                format!("rr.{rest}")
            };
        }
    }
    key.to_owned()
}

/// The explanation of record type `code` (every type dnslab has a mnemonic for has one).
pub fn explain_type(code: u16) -> Option<&'static Entry> {
    codes::TYPES
        .iter()
        .find(|(known, _)| *known == code)
        .map(|(_, entry)| entry)
}

/// The explanation of response code `code` (the 12-bit value, EDNS bits included).
pub fn explain_rcode(code: u16) -> Option<&'static Entry> {
    codes::RCODES
        .iter()
        .find(|(known, _)| *known == code)
        .map(|(_, entry)| entry)
}

/// The explanation of opcode `code`.
pub fn explain_opcode(code: u8) -> Option<&'static Entry> {
    codes::OPCODES
        .iter()
        .find(|(known, _)| *known == code)
        .map(|(_, entry)| entry)
}

/// The explanation of EDNS option code `code`.
pub fn explain_option(code: u16) -> Option<&'static Entry> {
    codes::OPTIONS
        .iter()
        .find(|(known, _)| *known == code)
        .map(|(_, entry)| entry)
}

/// The explanation of a dissector finding, recognized by its message (see [`diagnostic_kind`]).
pub fn explain_diagnostic(message: &str) -> Option<&'static Entry> {
    let kind = diagnostic_kind(message)?;
    diagnostics::DIAGNOSTICS
        .iter()
        .map(|(entry, _)| entry)
        .find(|entry| entry.key == kind)
}

/// A const constructor for the tables.
const fn entry(
    key: &'static str,
    title: &'static str,
    rfc: Option<RfcRef>,
    text: &'static str,
) -> Entry {
    Entry {
        key,
        title,
        text,
        rfc,
    }
}

/// `Some(RfcRef)`, shortly.
const fn rfc(rfc: u16, section: &'static str) -> Option<RfcRef> {
    Some(RfcRef { rfc, section })
}

#[cfg(test)]
mod tests;
