//! The dissector: a lenient walk over a DNS message that explains every byte.
//!
//! Unlike hickory-proto's strict decoder, it never gives up: it returns everything it could read
//! plus [`Diagnostic`]s that say, at the exact byte, what is wrong.
//!
//! The walk is linear in the message size whatever the header claims: sections are read until
//! their count is reached or the bytes run out (never by pre-allocating `count` entries), and
//! name reading is bounded (see [`name`]).

pub mod crosscheck;
mod edns;
mod header;
pub mod mnemonic;
mod model;
mod name;
mod name_pieces;
mod rdata;
mod suffix_cache;
pub(crate) mod text;

pub use crosscheck::crosscheck_with_hickory;
pub use model::*;

use header::{extended_rcode_value, read_header};
use name::{name_field, read_name, NameScratch};
use rdata::{decode_rdata, RdataContext};

/// Length of the fixed DNS header.
pub const HEADER_LENGTH: usize = 12;

/// Preallocation cap for sections: counts come from the input, so they size vectors only as far
/// as the bytes present could hold that many entries, and never beyond this many; more entries
/// grow the vectors as they are actually read.
const PREALLOCATION_CAP: usize = 512;

/// The fewest bytes a question (root name, type, class) and a record (plus TTL and RDLENGTH)
/// take: a count can only be honest up to the remaining bytes divided by these.
const SMALLEST_QUESTION: usize = 5;
const SMALLEST_RECORD: usize = 11;

/// How many entries to reserve for a section whose header count is `count`.
fn preallocation(count: u16, remaining_bytes: usize, smallest_entry: usize) -> usize {
    usize::from(count)
        .min(remaining_bytes / smallest_entry)
        .min(PREALLOCATION_CAP)
}

/// Dissects one DNS message (starting at its header, without a TCP length prefix): the typed
/// views and every diagnostic. The field tree is built when [`Dissection::tree`] is first called.
pub fn dissect(message: &[u8]) -> Dissection {
    let walk = walk(message, Depth::Records);
    Dissection {
        length: message.len(),
        header: walk.header,
        questions: walk.questions,
        records: walk.records,
        edns: walk.edns,
        diagnostics: walk.diagnostics,
        message: message.to_vec(),
        tree: std::sync::OnceLock::new(),
    }
}

/// The field tree of `message`: the same walk as [`dissect`], keeping the fields this time.
pub(crate) fn build_tree(message: &[u8]) -> Vec<Field> {
    walk(message, Depth::Tree).tree
}

/// What a packet list needs of a message, read faster than [`dissect`] reads it all: the
/// header, the first question and the EDNS extended RCODE. The walk is the same (so it stops
/// where `dissect`'s does and finds the same OPT record); only the records' data is not decoded.
pub fn outline(message: &[u8]) -> Outline {
    let walk = walk(message, Depth::Outline);
    Outline {
        header: walk.header,
        first_question: walk.questions.into_iter().next(),
        extended_rcode: walk.edns.map(|edns| edns.extended_rcode),
    }
}

/// See [`outline`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outline {
    /// As [`Dissection::header`].
    pub header: Option<HeaderView>,
    /// The first of [`Dissection::questions`].
    pub first_question: Option<QuestionView>,
    /// The OPT record's upper RCODE bits, as in [`Dissection::edns`].
    pub extended_rcode: Option<u8>,
}

impl Outline {
    /// The full response code, as [`Dissection::rcode`].
    pub fn rcode(&self) -> Option<u16> {
        let header = self.header.as_ref()?;
        Some(u16::from(self.extended_rcode.unwrap_or(0)) << 4 | u16::from(header.rcode))
    }
}

/// How much a walk over a message keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Depth {
    /// Header, questions and EDNS; records are read to their end, their data not decoded.
    Outline,
    /// Everything [`Dissection`] holds.
    Records,
    /// That and the field tree.
    Tree,
}

/// What one walk over the message produced.
struct Walk {
    header: Option<HeaderView>,
    questions: Vec<QuestionView>,
    records: Vec<RecordView>,
    edns: Option<EdnsView>,
    diagnostics: Vec<Diagnostic>,
    /// Empty unless the walk was asked to build the tree.
    tree: Vec<Field>,
}

/// Walks the whole message. With `build_tree` false, no [`Field`] is made: that is what keeps
/// plain dissection cheap (the tree takes a few hundred strings per message).
fn walk(message: &[u8], depth: Depth) -> Walk {
    let build_tree = depth == Depth::Tree;
    let mut diagnostics = Vec::new();
    let (header, header_field) = read_header(message, &mut diagnostics, build_tree);
    let mut walk = Walk {
        header: None,
        questions: Vec::new(),
        records: Vec::new(),
        edns: None,
        diagnostics: Vec::new(),
        tree: Vec::new(),
    };
    walk.tree.extend(header_field);
    if let Some(header) = header {
        let mut walker = SectionWalker {
            message,
            position: HEADER_LENGTH,
            stopped: false,
            build_tree,
            decode_rdata: depth != Depth::Outline,
            diagnostics: &mut diagnostics,
            names: NameScratch::new(),
        };
        walker.walk(&header, &mut walk);
        if !walker.stopped && walker.position < message.len() {
            let trailing = message.len() - walker.position;
            let position = walker.position;
            walker.diagnostics.push(Diagnostic {
                offset: position,
                length: trailing,
                severity: Severity::Warning,
                message: format!(
                    "{trailing} byte{} follow{} the last record the header counts announce; they \
                     are not part of this message (perhaps the start of another one, or padding \
                     added by the transport).",
                    if trailing == 1 { "" } else { "s" },
                    if trailing == 1 { "s" } else { "" }
                ),
            });
            if build_tree {
                walk.tree.push(Field::leaf(
                    "trailing",
                    "Trailing bytes",
                    text::spaced_lower_hex(message.get(position..).unwrap_or_default()),
                    Span::new(position, trailing),
                ));
            }
        }
        if let Some(edns) = &walk.edns {
            if let Some(rcode_field) = walk
                .tree
                .first_mut()
                .and_then(|header_field| find_field_mut(header_field, "header.flags.rcode"))
            {
                rcode_field.value = extended_rcode_value(header.rcode, edns.extended_rcode);
            }
        }
        walk.header = Some(header);
    }
    // Stable sort keeps the walk's order for findings at the same byte.
    crate::sort::sort_by_key(&mut diagnostics, |diagnostic| diagnostic.offset);
    walk.diagnostics = diagnostics;
    walk
}

fn find_field_mut<'a>(field: &'a mut Field, key: &str) -> Option<&'a mut Field> {
    if field.key == key {
        return Some(field);
    }
    field
        .children
        .iter_mut()
        .find_map(|child| find_field_mut(child, key))
}

/// Which record a message is about, e.g. "answer record 2"; formatted only when a diagnostic
/// needs it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RecordLabel {
    /// "answer record", "authority record", "additional record".
    pub noun: &'static str,
    /// 1-based position in its section.
    pub number: u16,
}

impl std::fmt::Display for RecordLabel {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{} {}", self.noun, self.number)
    }
}

impl RecordLabel {
    /// `prefix` followed by this label, e.g. "The owner name of answer record 2", with room for
    /// the finding it usually starts (built without the formatting machinery, which costs more
    /// than the rest of a typical finding).
    pub(crate) fn after(&self, prefix: &str) -> String {
        let mut text = String::with_capacity(DIAGNOSTIC_ROOM);
        text.push_str(prefix);
        text.push_str(self.noun);
        text.push(' ');
        text::push_decimal(&mut text, u32::from(self.number));
        text
    }
}

/// Room for a typical finding's text, so that it is not regrown piece by piece.
pub(crate) const DIAGNOSTIC_ROOM: usize = 256;

/// The state of the walk over the four sections.
struct SectionWalker<'message, 'diagnostics> {
    message: &'message [u8],
    /// Next byte to read.
    position: usize,
    /// The message broke off (or became unreadable) before all counted entries were read.
    stopped: bool,
    /// Make the field tree as well (see [`walk`]).
    build_tree: bool,
    /// Decode and keep the records other than OPT ([`Depth::Outline`] only reads past them).
    decode_rdata: bool,
    diagnostics: &'diagnostics mut Vec<Diagnostic>,
    /// What reading the message's names shares: the pointer chains noted so far and the
    /// suffixes read so far (see [`NameScratch`]).
    names: NameScratch,
}

impl SectionWalker<'_, '_> {
    fn walk(&mut self, header: &HeaderView, walk: &mut Walk) {
        self.walk_questions(header.qdcount, walk);
        // One reservation for the three record sections together.
        let records = header
            .ancount
            .saturating_add(header.nscount)
            .saturating_add(header.arcount);
        walk.records.reserve(preallocation(
            records,
            self.message.len().saturating_sub(self.position),
            SMALLEST_RECORD,
        ));
        let sections = [
            (Section::Answer, header.ancount, 6),
            (Section::Authority, header.nscount, 8),
            (Section::Additional, header.arcount, 10),
        ];
        for (section, count, count_offset) in sections {
            self.walk_records(section, count, count_offset, walk);
        }
    }

    fn walk_questions(&mut self, count: u16, walk: &mut Walk) {
        let remaining = self.message.len().saturating_sub(self.position);
        walk.questions
            .reserve(preallocation(count, remaining, SMALLEST_QUESTION));
        // Tree nodes, only when building the tree (see `read_record`).
        let mut entries: Option<Vec<Field>> = self.build_tree.then(Vec::new);
        let mut read = 0u16;
        while read < count && !self.stopped {
            let number = read + 1;
            let start = self.position;
            if start >= self.message.len() {
                self.report_count_overrun(4, "question", count, read);
                break;
            }
            let what = || {
                let mut text = String::with_capacity(DIAGNOSTIC_ROOM);
                text.push_str("The name of question ");
                text::push_decimal(&mut text, u32::from(number));
                text
            };
            let name = read_name(
                self.message,
                start,
                self.message.len(),
                &what,
                self.diagnostics,
                true,
                &mut self.names,
            );
            let mut children: Option<Vec<Field>> = self
                .build_tree
                .then(|| vec![name_field("question.name", "Name (QNAME)", &name.view)]);
            let Some(name_end) = name.end else {
                self.stop();
                if let (Some(entries), Some(children)) = (&mut entries, children) {
                    entries.push(section_entry(
                        "question.entry",
                        number,
                        &name.view.text,
                        start,
                        self.message.len(),
                        children,
                    ));
                }
                break;
            };
            self.position = name_end;
            let qtype = self.fixed_u16(
                "question.type",
                "Type (QTYPE)",
                number,
                &mut children,
                type_value,
            );
            let qclass = qtype.and_then(|_| {
                self.fixed_u16(
                    "question.class",
                    "Class (QCLASS)",
                    number,
                    &mut children,
                    class_value,
                )
            });
            if let (Some(entries), Some(children)) = (&mut entries, children) {
                let summary = format!(
                    "{} {} {}",
                    name.view.text,
                    qclass
                        .map(|class| mnemonic::class_mnemonic(class).into_owned())
                        .unwrap_or_default(),
                    qtype
                        .map(|rtype| mnemonic::type_mnemonic(rtype).into_owned())
                        .unwrap_or_default(),
                );
                entries.push(section_entry(
                    "question.entry",
                    number,
                    &summary,
                    start,
                    self.position,
                    children,
                ));
            }
            match (qtype, qclass) {
                (Some(qtype), Some(qclass)) => walk.questions.push(QuestionView {
                    name: name.view,
                    qtype,
                    qclass,
                    span: Span::new(start, self.position - start),
                }),
                _ => break,
            }
            read += 1;
        }
        if let Some(entries) = entries.filter(|_| count > 0) {
            walk.tree.push(section_field(
                "question",
                "Question section",
                count,
                entries,
                read,
            ));
        }
    }

    fn walk_records(&mut self, section: Section, count: u16, count_offset: usize, walk: &mut Walk) {
        let (prefix, title, noun) = match section {
            Section::Answer => ("answer", "Answer section", "answer record"),
            Section::Authority => ("authority", "Authority section", "authority record"),
            Section::Additional => ("additional", "Additional section", "additional record"),
        };
        let keys = RecordKeys::for_prefix(prefix);
        // Tree nodes, only when building the tree (see `read_record`).
        let mut entries: Option<Vec<Field>> = self.build_tree.then(Vec::new);
        let mut read = 0u16;
        while read < count && !self.stopped {
            let number = read + 1;
            if self.position >= self.message.len() {
                self.report_record_count_overrun(count_offset, noun, count, read);
                break;
            }
            let label = RecordLabel { noun, number };
            if let Some(entry) = self.read_record(section, &keys, label, walk) {
                entries.get_or_insert_with(Vec::new).push(entry);
            }
            read += 1;
        }
        if let Some(entries) = entries.filter(|_| count > 0) {
            walk.tree
                .push(section_field(prefix, title, count, entries, read));
        }
    }

    /// Reads one resource record into `walk.records`; returns its tree node when building the
    /// tree.
    fn read_record(
        &mut self,
        section: Section,
        keys: &RecordKeys,
        label: RecordLabel,
        walk: &mut Walk,
    ) -> Option<Field> {
        let start = self.position;
        let build_tree = self.build_tree;
        let number = label.number;
        let what = || label.after("The owner name of ");
        let name = read_name(
            self.message,
            start,
            self.message.len(),
            &what,
            self.diagnostics,
            true,
            &mut self.names,
        );
        // The record's tree node's children, only when building the tree (`None` otherwise, so
        // that plain dissection does not even drop an empty `Vec` per record).
        let mut children: Option<Vec<Field>> = build_tree.then(|| {
            let mut children = Vec::with_capacity(6);
            children.push(name_field(keys.name, "Owner name", &name.view));
            children
        });
        // A record cut short: its node covers the rest of the message.
        let message_length = self.message.len();
        let unfinished_entry = |children| {
            section_entry(
                keys.record,
                number,
                &name.view.text,
                start,
                message_length,
                children,
            )
        };
        let Some(name_end) = name.end else {
            self.stop();
            return children.map(unfinished_entry);
        };
        self.position = name_end;
        let fixed_start = self.position;
        let Some(fixed) = self.message.get(fixed_start..fixed_start + 10) else {
            let present = self.message.len() - fixed_start;
            self.diagnostics.push(Diagnostic {
                offset: fixed_start,
                length: present,
                severity: Severity::Error,
                message: format!(
                    "The message ends in the middle of {label}: after the owner name it \
                     needs 10 bytes for TYPE, CLASS, TTL and RDLENGTH, but only {present} {} left.",
                    if present == 1 { "is" } else { "are" }
                ),
            });
            self.stop();
            return children.map(unfinished_entry);
        };
        let rtype = u16::from_be_bytes([fixed[0], fixed[1]]);
        let class = u16::from_be_bytes([fixed[2], fixed[3]]);
        let ttl = u32::from_be_bytes([fixed[4], fixed[5], fixed[6], fixed[7]]);
        let rdlength = u16::from_be_bytes([fixed[8], fixed[9]]);
        let is_opt = rtype == 41;
        if let Some(children) = &mut children {
            children.push(Field::leaf(
                keys.rtype,
                "Type",
                type_value(rtype),
                Span::new(fixed_start, 2),
            ));
            if is_opt {
                children.push(Field::leaf(
                    "edns.udp_payload_size",
                    "UDP payload size (CLASS field)",
                    format!("{class} (largest UDP response the sender can receive)"),
                    Span::new(fixed_start + 2, 2),
                ));
                children.push(edns::ttl_field(ttl, Span::new(fixed_start + 4, 4)));
            } else {
                children.push(Field::leaf(
                    keys.class,
                    "Class",
                    class_value(class),
                    Span::new(fixed_start + 2, 2),
                ));
                children.push(Field::leaf(
                    keys.ttl,
                    "Time to live (TTL)",
                    ttl_value(ttl),
                    Span::new(fixed_start + 4, 4),
                ));
            }
            children.push(Field::leaf(
                keys.rdlength,
                "Data length (RDLENGTH)",
                format!("{rdlength} byte{}", if rdlength == 1 { "" } else { "s" }),
                Span::new(fixed_start + 8, 2),
            ));
        }
        if !is_opt && ttl & 0x8000_0000 != 0 {
            self.diagnostics.push(Diagnostic {
                offset: fixed_start + 4,
                length: 4,
                severity: Severity::Warning,
                message: format!(
                    "The TTL of {label} has its most significant bit set ({ttl}); \
                     RFC 2181 §8 says such a TTL is to be treated as zero."
                ),
            });
        }
        let rdata_start = fixed_start + 10;
        let declared_end = rdata_start + usize::from(rdlength);
        let available_end = declared_end.min(self.message.len());
        if declared_end > self.message.len() {
            let present = self.message.len() - rdata_start;
            self.diagnostics.push(Diagnostic {
                offset: fixed_start + 8,
                length: 2,
                severity: Severity::Error,
                message: format!(
                    "The message ends in the middle of {label}: RDLENGTH says {rdlength} \
                     bytes of data follow, but only {present} {} left.",
                    if present == 1 { "is" } else { "are" }
                ),
            });
            self.stop();
        }
        let rdata_span = Span::new(rdata_start, available_end - rdata_start);
        let record_index = walk.records.len();
        let (rdata, rdata_fields) = if is_opt {
            self.check_opt(section, &name.view, start, label, walk);
            let options = edns::read_options(
                self.message,
                rdata_start,
                usize::from(rdlength),
                self.diagnostics,
                build_tree,
            );
            if section == Section::Additional && walk.edns.is_none() {
                walk.edns = Some(EdnsView {
                    udp_payload_size: class,
                    extended_rcode: (ttl >> 24) as u8,
                    version: (ttl >> 16) as u8,
                    dnssec_ok: ttl & 0x8000 != 0,
                    z: (ttl & 0x7fff) as u16,
                    options: options.options,
                    record_index,
                });
            }
            if class < 512 {
                self.diagnostics.push(Diagnostic {
                    offset: fixed_start + 2,
                    length: 2,
                    severity: Severity::Warning,
                    message: format!(
                        "The OPT record advertises a UDP payload size of {class} bytes; RFC 6891 \
                         §6.2.5 says values below 512 are treated as 512."
                    ),
                });
            }
            if ttl & 0x7fff != 0 {
                self.diagnostics.push(Diagnostic {
                    offset: fixed_start + 6,
                    length: 2,
                    severity: Severity::Warning,
                    message: format!(
                        "The OPT record's reserved Z flags are 0x{:04x}; RFC 6891 §6.1.4 says \
                         they must be zero.",
                        ttl & 0x7fff
                    ),
                });
            }
            let bytes = self
                .message
                .get(rdata_start..available_end)
                .unwrap_or_default();
            (
                RdataView {
                    presentation: edns::opt_record_presentation(bytes),
                },
                Some(options.fields),
            )
        } else if !self.decode_rdata {
            (
                RdataView {
                    presentation: String::new(),
                },
                None,
            )
        } else {
            let context = RdataContext {
                rtype,
                class,
                start: rdata_start,
                declared_length: usize::from(rdlength),
                key_prefix: keys.rdata,
                record: label,
                build_tree,
            };
            decode_rdata(self.message, &context, self.diagnostics, &mut self.names)
        };
        self.position = available_end;
        let entry = children.map(|mut children| {
            children.push(
                Field::leaf(
                    keys.rdata,
                    "Record data (RDATA)",
                    rdata.presentation.clone(),
                    rdata_span,
                )
                .with_children(rdata_fields.unwrap_or_default()),
            );
            let summary = if is_opt {
                format!("OPT pseudo-record (EDNS), UDP payload size {class}")
            } else {
                format!(
                    "{} {ttl} {} {} {}",
                    name.view.text,
                    mnemonic::class_mnemonic(class),
                    mnemonic::type_mnemonic(rtype),
                    rdata.presentation
                )
            };
            section_entry(
                keys.record,
                number,
                &summary,
                start,
                available_end,
                children,
            )
        });
        // An outline keeps no records (only the OPT record's EDNS, above).
        if !self.decode_rdata && !is_opt {
            return entry;
        }
        let record_span = Span::new(start, available_end - start);
        walk.records.push(RecordView {
            section,
            name: name.view,
            rtype,
            class,
            ttl,
            rdlength,
            rdata_span,
            rdata,
            span: record_span,
        });
        entry
    }

    /// RFC 6891 §6.1.1: one OPT, in the additional section, owned by the root.
    fn check_opt(
        &mut self,
        section: Section,
        owner: &NameView,
        record_start: usize,
        description: RecordLabel,
        walk: &Walk,
    ) {
        if owner.text != "." {
            self.diagnostics.push(Diagnostic {
                offset: owner.span.offset,
                length: owner.span.length,
                severity: Severity::Error,
                message: format!(
                    "The OPT record ({description}) has owner name {}; RFC 6891 §6.1.2 requires \
                     the root name (a single zero byte).",
                    owner.text
                ),
            });
        }
        if section != Section::Additional {
            self.diagnostics.push(Diagnostic {
                offset: record_start,
                length: 0,
                severity: Severity::Error,
                message: format!(
                    "An OPT pseudo-record appears as {description}; RFC 6891 §6.1.1 allows it \
                     only in the additional section."
                ),
            });
        }
        let earlier_opt = walk.records.iter().any(|record| record.rtype == 41);
        if earlier_opt {
            self.diagnostics.push(Diagnostic {
                offset: record_start,
                length: 0,
                severity: Severity::Error,
                message: format!(
                    "{description} is a second OPT record; RFC 6891 §6.1.1 allows only one per \
                     message (a server answers FORMERR)."
                ),
            });
        }
    }

    /// Reads a fixed two-byte field of a question, reporting truncation.
    fn fixed_u16(
        &mut self,
        key: &str,
        label: &str,
        number: u16,
        children: &mut Option<Vec<Field>>,
        describe: fn(u16) -> String,
    ) -> Option<u16> {
        let offset = self.position;
        match self.message.get(offset..offset + 2) {
            Some(bytes) => {
                let value = u16::from_be_bytes([bytes[0], bytes[1]]);
                if let Some(children) = children {
                    children.push(Field::leaf(
                        key,
                        label,
                        describe(value),
                        Span::new(offset, 2),
                    ));
                }
                self.position += 2;
                Some(value)
            }
            None => {
                let present = self.message.len().saturating_sub(offset);
                self.diagnostics.push(Diagnostic {
                    offset,
                    length: present,
                    severity: Severity::Error,
                    message: format!(
                        "The message ends in the middle of question {number}: its {label} needs 2 \
                         bytes, but only {present} {} left.",
                        if present == 1 { "is" } else { "are" }
                    ),
                });
                self.stop();
                None
            }
        }
    }

    fn stop(&mut self) {
        self.stopped = true;
        self.position = self.message.len();
    }

    fn report_count_overrun(&mut self, count_offset: usize, noun: &str, count: u16, read: u16) {
        self.report_record_count_overrun(count_offset, noun, count, read);
    }

    fn report_record_count_overrun(
        &mut self,
        count_offset: usize,
        noun: &str,
        count: u16,
        read: u16,
    ) {
        self.diagnostics.push(Diagnostic {
            offset: count_offset,
            length: 2,
            severity: Severity::Error,
            message: format!(
                "The header announces {count} {noun}{}, but the message ends after {read}.",
                if count == 1 { "" } else { "s" }
            ),
        });
        self.stop();
    }
}

/// The field keys of one section's records, built once per section.
struct RecordKeys {
    record: &'static str,
    name: &'static str,
    rtype: &'static str,
    class: &'static str,
    ttl: &'static str,
    rdlength: &'static str,
    rdata: &'static str,
}

impl RecordKeys {
    fn for_prefix(prefix: &str) -> Self {
        match prefix {
            "answer" => Self {
                record: "answer.record",
                name: "answer.name",
                rtype: "answer.type",
                class: "answer.class",
                ttl: "answer.ttl",
                rdlength: "answer.rdlength",
                rdata: "answer.rdata",
            },
            "authority" => Self {
                record: "authority.record",
                name: "authority.name",
                rtype: "authority.type",
                class: "authority.class",
                ttl: "authority.ttl",
                rdlength: "authority.rdlength",
                rdata: "authority.rdata",
            },
            _ => Self {
                record: "additional.record",
                name: "additional.name",
                rtype: "additional.type",
                class: "additional.class",
                ttl: "additional.ttl",
                rdlength: "additional.rdlength",
                rdata: "additional.rdata",
            },
        }
    }
}

fn section_entry(
    key: &str,
    number: u16,
    summary: &str,
    start: usize,
    end: usize,
    children: Vec<Field>,
) -> Field {
    Field::leaf(
        key,
        format!("#{number}"),
        summary,
        Span::new(start, end.saturating_sub(start)),
    )
    .with_children(children)
}

fn section_field(key: &str, title: &str, count: u16, entries: Vec<Field>, read: u16) -> Field {
    let start = entries.first().map_or(0, |entry| entry.span.offset);
    let end = entries.last().map_or(start, |entry| entry.span.end());
    let value = if read == count {
        format!("{count} entr{}", if count == 1 { "y" } else { "ies" })
    } else {
        format!("{read} of {count} announced entries present")
    };
    Field::leaf(key, title, value, Span::new(start, end - start)).with_children(entries)
}

fn type_value(rtype: u16) -> String {
    format!("{rtype} ({})", mnemonic::type_mnemonic(rtype))
}

fn class_value(class: u16) -> String {
    format!("{class} ({})", mnemonic::class_mnemonic(class))
}

fn ttl_value(ttl: u32) -> String {
    format!("{ttl} ({})", duration_words(ttl))
}

/// A field value for a number of seconds, e.g. `3600 (1 hour)`.
pub(crate) fn duration_text(seconds: u32) -> String {
    format!("{seconds} ({})", duration_words(seconds))
}

/// Seconds in words, as BIND's `dns_ttl_totext` spells them: `1 hour`, `2 days 3 hours`.
pub(crate) fn duration_words(seconds: u32) -> String {
    let units = [
        (604_800, "week"),
        (86_400, "day"),
        (3_600, "hour"),
        (60, "minute"),
        (1, "second"),
    ];
    let mut remaining = seconds;
    let mut parts: Vec<String> = Vec::new();
    for (size, unit) in units {
        let amount = remaining / size;
        remaining %= size;
        if amount > 0 {
            parts.push(format!(
                "{amount} {unit}{}",
                if amount == 1 { "" } else { "s" }
            ));
        }
    }
    if parts.is_empty() {
        "0 seconds".to_owned()
    } else {
        parts.join(" ")
    }
}
