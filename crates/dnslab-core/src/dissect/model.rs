//! The dissection's data model: what every byte of a DNS message means, with spans and diagnostics.
//!
//! Two views of the same decode live side by side:
//! - typed views ([`HeaderView`], [`QuestionView`], [`RecordView`], [`EdnsView`]) that presentation
//!   code (dig-style text, RFC 8427 JSON) reads values from, and
//! - a generic [`Field`] tree where every node carries the [`Span`] of bytes it was read from,
//!   which drives the page's tree and hex pane (two-way highlighting) and needs no per-type code.
//!
//! Spans are offsets into the DNS message itself (offset 0 is the first byte of the header,
//! after any TCP length prefix). Numbers are kept raw (`u16` types, classes) so unknown values
//! survive; mnemonics are computed at display time.

use serde::Serialize;

use super::name_pieces::NamePieces;
pub use super::name_pieces::{NamePiece, NamePieceIter};

/// A run of bytes in the message: `length` bytes starting at `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    /// Offset of the first byte, from the start of the DNS message.
    pub offset: usize,
    /// Number of bytes.
    pub length: usize,
}

impl Span {
    /// A span of `length` bytes at `offset`.
    pub const fn new(offset: usize, length: usize) -> Self {
        Self { offset, length }
    }

    /// One past the last byte.
    pub const fn end(&self) -> usize {
        self.offset + self.length
    }
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing, not wrong (e.g. a compression pointer chain).
    Info,
    /// Legal but suspicious or against a SHOULD (e.g. a non-zero Z bit).
    Warning,
    /// The message breaks the protocol here (e.g. truncated record, pointer loop).
    Error,
}

/// A plain-language finding about specific bytes of the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Offset of the first byte concerned, from the start of the DNS message.
    pub offset: usize,
    /// Number of bytes concerned (0 when the problem is a missing byte at `offset`).
    pub length: usize,
    /// How bad it is.
    pub severity: Severity,
    /// What is wrong, in plain words a learner understands, e.g.
    /// "The answer count says 3 records, but the message ends after 1."
    pub message: String,
}

/// One node of the field tree: a labelled value read from a span of bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    /// Stable machine name of the field, e.g. `header.flags.rd`, `answer.rdata.preference`;
    /// the page uses it to find explanations.
    pub key: String,
    /// Human label, e.g. "Recursion desired".
    pub label: String,
    /// The value as shown, e.g. "1 (recursion requested)", "www.example.com.".
    pub value: String,
    /// The bytes it was read from. Bit fields share their bytes' span and say which bits in
    /// `bits`.
    pub span: Span,
    /// For bit fields: the mask within the span's bytes (big-endian), e.g. `0x0100` for RD.
    pub bits: Option<u32>,
    /// For compression pointers: the message offset the pointer leads to, so a viewer can
    /// follow it to the name read there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points_to: Option<usize>,
    /// Sub-fields.
    pub children: Vec<Field>,
}

impl Field {
    /// A field without sub-fields.
    pub fn leaf(
        key: impl Into<String>,
        label: impl Into<String>,
        value: impl Into<String>,
        span: Span,
    ) -> Self {
        Self {
            key: key.into(),
            label: label.into(),
            value: value.into(),
            span,
            bits: None,
            points_to: None,
            children: Vec::new(),
        }
    }

    /// A bit field: `bits` is the mask within the span's bytes.
    pub fn bits(
        key: impl Into<String>,
        label: impl Into<String>,
        value: impl Into<String>,
        span: Span,
        bits: u32,
    ) -> Self {
        Self {
            bits: Some(bits),
            ..Self::leaf(key, label, value, span)
        }
    }

    /// This field with `children` as its sub-fields.
    pub fn with_children(mut self, children: Vec<Field>) -> Self {
        self.children = children;
        self
    }

    /// The first field with `key` in this field's subtree (itself included), depth first.
    pub fn find(&self, key: &str) -> Option<&Field> {
        if self.key == key {
            return Some(self);
        }
        self.children.iter().find_map(|child| child.find(key))
    }
}

/// A domain name as read from the wire, with where every piece came from.
///
/// Its labels and compression pointers are kept in a compact form (two bytes each, stored in
/// the view for typical names; the `name_pieces` module says how) and read through
/// [`NameView::pieces`], [`NameView::labels`] and [`NameView::pointers`]; printed with `{:?}` and
/// serialized, a view still shows them as the `labels` and `pointers` lists.
#[derive(Clone, PartialEq, Eq)]
pub struct NameView {
    /// Presentation form, fully qualified, with RFC 1035 escapes: `www.example.com.`, `.` for root.
    pub text: String,
    /// The bytes of the name at the place it is read (labels up to and including the terminating
    /// zero octet or the first compression pointer).
    pub span: Span,
    /// Every label and compression pointer, in reading order.
    pub(crate) pieces: NamePieces,
}

impl NameView {
    /// A label's presentation form (escaped), e.g. `www`.
    pub fn label_text(&self, label: &LabelView) -> &str {
        self.text.get(label.text_range.clone()).unwrap_or_default()
    }

    /// Every label and compression pointer, in the order a decoder reads them.
    pub fn pieces(&self) -> NamePieceIter<'_> {
        self.pieces.iter(self.span.offset)
    }

    /// Every label in order, wherever it was read (in place or behind a pointer).
    pub fn labels(&self) -> impl Iterator<Item = LabelView> + '_ {
        self.pieces().filter_map(|piece| match piece {
            NamePiece::Label(label) => Some(label),
            NamePiece::Pointer(_) => None,
        })
    }

    /// Every compression pointer followed, in order.
    pub fn pointers(&self) -> impl Iterator<Item = PointerView> + '_ {
        self.pieces().filter_map(|piece| match piece {
            NamePiece::Pointer(pointer) => Some(pointer),
            NamePiece::Label(_) => None,
        })
    }
}

/// Printed as it was when the labels and pointers were `Vec` fields.
impl std::fmt::Debug for NameView {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("NameView")
            .field("text", &self.text)
            .field("span", &self.span)
            .field("labels", &self.labels().collect::<Vec<_>>())
            .field("pointers", &self.pointers().collect::<Vec<_>>())
            .finish()
    }
}

/// Serialized as it was when the labels and pointers were `Vec` fields.
impl Serialize for NameView {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        /// A sequence serialized from an iterator made on demand.
        struct Sequence<Items>(Items);
        impl<Items, Item> Serialize for Sequence<Items>
        where
            Items: Fn() -> Item,
            Item: Iterator,
            Item::Item: Serialize,
        {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq((self.0)())
            }
        }
        let mut fields = serializer.serialize_struct("NameView", 4)?;
        fields.serialize_field("text", &self.text)?;
        fields.serialize_field("span", &self.span)?;
        fields.serialize_field("labels", &Sequence(|| self.labels()))?;
        fields.serialize_field("pointers", &Sequence(|| self.pointers()))?;
        fields.end()
    }
}

/// One label of a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelView {
    /// The label's bytes including its length octet.
    pub span: Span,
    /// Where the label's presentation form (escaped) lies in its [`NameView::text`]; see
    /// [`NameView::label_text`]. (At first this was an owned `text` string per label; a range
    /// into the name's text saves an allocation per label.)
    pub text_range: std::ops::Range<usize>,
}

/// A compression pointer: two bytes at `span` pointing to `target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PointerView {
    /// The pointer's two bytes.
    pub span: Span,
    /// The offset it points to.
    pub target: usize,
}

/// The 12-byte header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeaderView {
    /// Message ID.
    pub id: u16,
    /// QR: response when true.
    pub qr: bool,
    /// Opcode (4 bits).
    pub opcode: u8,
    /// Authoritative answer.
    pub aa: bool,
    /// Truncated.
    pub tc: bool,
    /// Recursion desired.
    pub rd: bool,
    /// Recursion available.
    pub ra: bool,
    /// The reserved Z bit (must be zero).
    pub z: bool,
    /// Authentic data.
    pub ad: bool,
    /// Checking disabled.
    pub cd: bool,
    /// The header's 4-bit RCODE (without EDNS extended bits; see [`Dissection::rcode`]).
    pub rcode: u8,
    /// QDCOUNT as written.
    pub qdcount: u16,
    /// ANCOUNT as written.
    pub ancount: u16,
    /// NSCOUNT as written.
    pub nscount: u16,
    /// ARCOUNT as written.
    pub arcount: u16,
}

/// One entry of the question section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionView {
    /// QNAME.
    pub name: NameView,
    /// QTYPE.
    pub qtype: u16,
    /// QCLASS.
    pub qclass: u16,
    /// The whole entry.
    pub span: Span,
}

/// Which section a record was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    /// Answer section.
    Answer,
    /// Authority section.
    Authority,
    /// Additional section.
    Additional,
}

/// One resource record (including OPT pseudo-records, which also get an [`EdnsView`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordView {
    /// The section it was read from.
    pub section: Section,
    /// Owner name.
    pub name: NameView,
    /// TYPE.
    pub rtype: u16,
    /// CLASS (for OPT: the UDP payload size).
    pub class: u16,
    /// TTL (for OPT: extended RCODE, version and flags).
    pub ttl: u32,
    /// RDLENGTH as written.
    pub rdlength: u16,
    /// The RDATA bytes actually present (may be shorter than RDLENGTH in a truncated message).
    pub rdata_span: Span,
    /// The record data, decoded.
    pub rdata: RdataView,
    /// The whole record, from owner name to the end of RDATA.
    pub span: Span,
}

/// Decoded record data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RdataView {
    /// Master-file presentation form as dig prints it, e.g. `10 mail.example.com.`; RFC 3597
    /// `\# 4 0a000001` for types without a field-level decoder or whose data did not parse.
    pub presentation: String,
    // The per-field breakdown of the RDATA (a span per field) lives in the field tree, under the
    // record's `{section}.rdata` node: see [`Dissection::tree`]. (It was a `fields` member here
    // at first; the tree is now built on demand so that plain decoding stays fast.)
}

/// The EDNS(0) parameters of an OPT pseudo-record (RFC 6891).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EdnsView {
    /// Requester's UDP payload size (the OPT CLASS).
    pub udp_payload_size: u16,
    /// Upper 8 bits of the 12-bit extended RCODE.
    pub extended_rcode: u8,
    /// EDNS version.
    pub version: u8,
    /// DNSSEC OK.
    pub dnssec_ok: bool,
    /// The 15 remaining flag bits (must be zero).
    pub z: u16,
    /// Options in order.
    pub options: Vec<EdnsOptionView>,
    /// Index into [`Dissection::records`] of the OPT record.
    pub record_index: usize,
}

/// One EDNS option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EdnsOptionView {
    /// OPTION-CODE.
    pub code: u16,
    /// OPTION-LENGTH as written.
    pub length: u16,
    /// The option's data bytes.
    pub data_span: Span,
    /// Presentation as dig prints it in the OPT PSEUDOSECTION, e.g. `NSID: 6b 6e 6f 74 ("knot")`
    /// without the leading mnemonic; hex for unknown options.
    pub presentation: String,
    /// dig's name for the option, the text before the colon in its OPT PSEUDOSECTION line:
    /// `NSID`, `COOKIE`, `CLIENT-SUBNET`, `EDE`, …, or `OPT=65001` for an unknown code.
    /// (Added after the first model: presentation code prints `; {mnemonic}: {presentation}`.)
    pub mnemonic: String,
    /// The whole option, code to end of data.
    pub span: Span,
}

/// Everything dnslab could read from one DNS message, and what was wrong with it.
///
/// Always produced, whatever the input: a message that breaks off mid-record still yields the
/// fields before the break plus a diagnostic at the break.
///
/// The typed views and diagnostics are computed by [`dissect`](super::dissect); the field tree,
/// which needs a few hundred strings per message, is built the first time [`Dissection::tree`]
/// is called (from a copy of the message kept for that purpose) and then cached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dissection {
    /// Length of the message in bytes.
    pub length: usize,
    /// The header, when at least 12 bytes were present.
    pub header: Option<HeaderView>,
    /// The question section.
    pub questions: Vec<QuestionView>,
    /// Every resource record of the three sections, in wire order (see [`RecordView::section`]).
    pub records: Vec<RecordView>,
    /// The first OPT pseudo-record's EDNS view.
    pub edns: Option<EdnsView>,
    /// Findings, in byte order.
    pub diagnostics: Vec<Diagnostic>,
    /// The message bytes, kept to build the field tree on demand.
    pub(super) message: Vec<u8>,
    /// The field tree, once built.
    pub(super) tree: std::sync::OnceLock<Vec<Field>>,
}

impl Dissection {
    /// The full field tree: header, question, answer, authority, additional (and trailing
    /// bytes), every node with its span. Built on first use, then cached.
    pub fn tree(&self) -> &[Field] {
        self.tree.get_or_init(|| super::build_tree(&self.message))
    }

    /// The message bytes the dissection describes (spans are offsets into them).
    pub fn message(&self) -> &[u8] {
        &self.message
    }

    /// The first field with `key` anywhere in the tree, depth first.
    pub fn find_field(&self, key: &str) -> Option<&Field> {
        self.tree().iter().find_map(|field| field.find(key))
    }
}

/// Serialized with the field tree (built if it was not yet), as `tree`.
impl Serialize for Dissection {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Serialized<'a> {
            length: usize,
            header: &'a Option<HeaderView>,
            questions: &'a [QuestionView],
            records: &'a [RecordView],
            edns: &'a Option<EdnsView>,
            tree: &'a [Field],
            diagnostics: &'a [Diagnostic],
        }
        Serialized {
            length: self.length,
            header: &self.header,
            questions: &self.questions,
            records: &self.records,
            edns: &self.edns,
            tree: self.tree(),
            diagnostics: &self.diagnostics,
        }
        .serialize(serializer)
    }
}

impl Dissection {
    /// The full 12-bit RCODE: the header's 4 bits plus the OPT record's extended bits.
    pub fn rcode(&self) -> Option<u16> {
        let header = self.header.as_ref()?;
        let high = self
            .edns
            .as_ref()
            .map_or(0, |edns| u16::from(edns.extended_rcode));
        Some(high << 4 | u16::from(header.rcode))
    }

    /// Records of one section, in wire order.
    pub fn section(&self, section: Section) -> impl Iterator<Item = &RecordView> {
        self.records
            .iter()
            .filter(move |record| record.section == section)
    }

    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|diagnostic| diagnostic.severity == Severity::Error)
    }
}
