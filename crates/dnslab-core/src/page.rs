//! The web page's façade over dnslab-core: plain, serializable view data (strings, byte spans,
//! node ids) for the Decode workbench, so components hold no protocol logic.
//!
//! Everything the page shows for a paste comes from here: the detected input and its layers,
//! the field tree of the whole frame (link, IP and transport layers, then DNS) as a flat arena of
//! nodes with ids, the bytes of the hex pane, diagnostics with spans, the dig text and the RFC 8427
//! JSON (the very objects `dnslab decode --json` prints). No hickory-proto type crosses it.
//!
//! Offsets here are offsets into [`MessageView::bytes`], the bytes the hex pane shows: the whole
//! frame when the input had one, else the DNS message alone.

use std::borrow::Cow;
use std::net::IpAddr;
use std::rc::Rc;

use serde::Serialize;

use crate::dissect::{dissect, Diagnostic, Field, Severity, Span};
use crate::input::{
    extract_dns, ExtractOptions, ExtractedMessage, Extraction, Extractor, InputError, InputFormat,
    Layer,
};
use crate::present::{dig_text, InputInfo, Rfc8427};

/// A node's index in [`FieldTree::nodes`].
pub type NodeId = usize;

/// One node of the page's field tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TreeNode {
    /// This node's index.
    pub id: NodeId,
    /// The node above it, `None` for a top-level node.
    pub parent: Option<NodeId>,
    /// Its sub-nodes, in order.
    pub children: Vec<NodeId>,
    /// Nesting depth, 0 for top-level nodes.
    pub depth: usize,
    /// The dissector's stable key (`header.flags.rd`, `answer.name`), or `layer.ipv4` and the
    /// like for the layers below DNS.
    pub key: String,
    /// What the tree shows, Wireshark style: label first (`Transaction ID: 0x3a09`).
    pub text: String,
    /// The bytes it covers, in hex-pane offsets.
    pub span: Span,
    /// For bit fields: the mask within the span's bytes.
    pub bits: Option<u32>,
    /// For compression pointers: the node of the name piece the pointer leads to.
    pub points_to: Option<NodeId>,
    /// True for the labels of a name read behind a compression pointer: their bytes belong to
    /// an earlier name, so a click on those bytes selects that name's own node, not this copy.
    pub via_pointer: bool,
}

/// The whole tree as an arena: nodes in depth-first order, so a parent comes before its
/// children.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldTree {
    /// Every node, depth first.
    pub nodes: Vec<TreeNode>,
    /// The top-level nodes.
    pub roots: Vec<NodeId>,
}

impl FieldTree {
    /// The node with `id`, if there is one.
    pub fn node(&self, id: NodeId) -> Option<&TreeNode> {
        self.nodes.get(id)
    }

    /// The innermost node whose span covers `offset`: the smallest, and among nodes of the same
    /// span the deepest (a compression pointer rather than the name it alone makes up). Bit
    /// fields are skipped: they share their bytes with the whole value (`Flags`), which is what
    /// a byte stands for. `None` when no node covers it.
    pub fn innermost_at(&self, offset: usize) -> Option<NodeId> {
        self.nodes
            .iter()
            .filter(|node| node.bits.is_none() && !node.via_pointer)
            .filter(|node| node.span.offset <= offset && offset < node.span.end())
            .min_by_key(|node| (node.span.length, std::cmp::Reverse(node.depth)))
            .map(|node| node.id)
    }

    /// `id` and every node above it, innermost first.
    pub fn ancestors(&self, id: NodeId) -> Vec<NodeId> {
        let mut chain = Vec::new();
        let mut current = self.nodes.get(id).map(|node| node.id);
        while let Some(node_id) = current {
            chain.push(node_id);
            current = self.nodes.get(node_id).and_then(|node| node.parent);
            if chain.len() > self.nodes.len() {
                break;
            }
        }
        chain
    }

    /// The visible order of nodes when only `expanded` nodes show their children: what arrow
    /// keys walk through, as in the WAI-ARIA tree pattern.
    pub fn visible(&self, is_expanded: impl Fn(NodeId) -> bool) -> Vec<NodeId> {
        let mut order = Vec::new();
        let mut stack: Vec<NodeId> = self.roots.iter().rev().copied().collect();
        while let Some(id) = stack.pop() {
            order.push(id);
            if let Some(node) = self.nodes.get(id) {
                if is_expanded(id) {
                    stack.extend(node.children.iter().rev().copied());
                }
            }
        }
        order
    }

    fn push(&mut self, parent: Option<NodeId>, mut node: TreeNode) -> NodeId {
        let id = self.nodes.len();
        node.id = id;
        node.parent = parent;
        node.depth = parent
            .and_then(|parent| self.nodes.get(parent))
            .map_or(0, |parent| parent.depth + 1);
        self.nodes.push(node);
        match parent.and_then(|parent| self.nodes.get_mut(parent)) {
            Some(parent) => parent.children.push(id),
            None => self.roots.push(id),
        }
        id
    }

    fn push_leaf(&mut self, parent: Option<NodeId>, key: &str, text: String, span: Span) -> NodeId {
        self.push(
            parent,
            TreeNode {
                id: 0,
                parent: None,
                children: Vec::new(),
                depth: 0,
                key: key.to_owned(),
                text,
                span,
                bits: None,
                points_to: None,
                via_pointer: false,
            },
        )
    }

    /// Adds a dissector field and its subtree, its spans shifted by `base`; each compression
    /// pointer's node and target (in hex-pane offsets) go to `pointers`.
    fn push_field(
        &mut self,
        parent: Option<NodeId>,
        field: &Field,
        base: usize,
        message: &[u8],
        pointers: &mut Vec<(NodeId, usize)>,
    ) -> NodeId {
        let text = node_text(field, message);
        let span = Span::new(field.span.offset + base, field.span.length);
        let parent_node = parent.and_then(|parent| self.nodes.get(parent));
        let via_pointer = parent_node.is_some_and(|parent| {
            parent.via_pointer || span.offset < parent.span.offset || span.end() > parent.span.end()
        });
        let id = self.push_leaf(parent, &field.key, text, span);
        if let Some(node) = self.nodes.get_mut(id) {
            node.bits = field.bits;
            node.via_pointer = via_pointer;
        }
        if let Some(target) = field.points_to {
            pointers.push((id, target + base));
        }
        for child in &field.children {
            self.push_field(Some(id), child, base, message, pointers);
        }
        id
    }

    /// Links each pointer node to the node of the name piece at its target: the label node
    /// that starts there (else the innermost node covering it).
    fn resolve_pointers(&mut self, pointer_targets: &[(NodeId, usize)]) {
        for &(pointer, target) in pointer_targets {
            let label_there = self
                .nodes
                .iter()
                .filter(|node| {
                    node.span.offset == target && node.key.ends_with(".label") && !node.via_pointer
                })
                .map(|node| node.id)
                .next();
            let found = label_there.or_else(|| self.innermost_at(target));
            if let Some(node) = self.nodes.get_mut(pointer) {
                node.points_to = found;
            }
        }
    }
}

/// A node's text, Wireshark style: its label, then its value. The few fields every Wireshark
/// user looks for first get Wireshark's own labels (`Transaction ID: 0x3a09`, `Name: …`,
/// `Flags: 0x8180 Standard query response, No error`); the rest keep the dissector's.
fn node_text(field: &Field, message: &[u8]) -> String {
    let read = |span: Span| {
        message
            .get(span.offset..span.end())
            .filter(|pair| pair.len() == 2)
            .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
    };
    match field.key.as_str() {
        "header.id" => {
            if let Some(id) = read(field.span) {
                return format!("Transaction ID: 0x{id:04x}");
            }
        }
        "header.flags" => {
            if let Some(flags) = read(field.span) {
                let response = flags & 0x8000 != 0;
                let opcode = ((flags >> 11) & 0x0f) as u8;
                let rcode = flags & 0x000f;
                let mut text =
                    format!("Flags: 0x{flags:04x} {}", operation_words(opcode, response));
                if response {
                    text.push_str(", ");
                    text.push_str(if rcode == 0 {
                        "No error"
                    } else {
                        rcode_words(rcode)
                    });
                }
                return text;
            }
        }
        "question.name" | "answer.name" | "authority.name" | "additional.name" => {
            return format!("Name: {}", field.value);
        }
        _ => {}
    }
    if field.value.is_empty() {
        field.label.clone()
    } else {
        format!("{}: {}", field.label, field.value)
    }
}

/// Wireshark's words for an operation: `Standard query`, `Standard query response`, …
fn operation_words(opcode: u8, response: bool) -> &'static str {
    match (opcode, response) {
        (0, false) => "Standard query",
        (0, true) => "Standard query response",
        (1, false) => "Inverse query",
        (1, true) => "Inverse query response",
        (2, false) => "Server status request",
        (2, true) => "Server status response",
        (4, false) => "Zone change notification",
        (4, true) => "Zone change notification response",
        (5, false) => "Dynamic update",
        (5, true) => "Dynamic update response",
        (_, false) => "Unknown operation",
        (_, true) => "Unknown operation response",
    }
}

/// Wireshark's words for a response code.
fn rcode_words(rcode: u16) -> &'static str {
    match rcode {
        0 => "No error",
        1 => "Format error",
        2 => "Server failure",
        3 => "No such name",
        4 => "Not implemented",
        5 => "Refused",
        6 => "Name exists",
        7 => "RRset exists",
        8 => "RRset does not exist",
        9 => "Not authoritative",
        10 => "Name out of zone",
        _ => "Unknown error",
    }
}

/// A diagnostic as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageDiagnostic {
    /// The bytes concerned, in hex-pane offsets (length 0 for a missing byte).
    pub span: Span,
    /// `error`, `warning` or `note`.
    pub severity: &'static str,
    /// Where, in words: `byte 12` or `bytes 12–15`, in DNS message offsets as `dnslab decode`
    /// prints them.
    pub place: String,
    /// What is wrong, in plain words.
    pub message: String,
}

/// The word the page and the contract use for a severity.
pub fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `byte 12` or `bytes 12–15`, as `dnslab decode` says it.
pub fn place_words(offset: usize, length: usize) -> String {
    if length > 1 {
        format!("bytes {}-{}", offset, offset + length - 1)
    } else {
        format!("byte {offset}")
    }
}

impl PageDiagnostic {
    fn new(diagnostic: &Diagnostic, base: usize) -> Self {
        Self {
            span: Span::new(diagnostic.offset + base, diagnostic.length),
            severity: severity_word(diagnostic.severity),
            place: place_words(diagnostic.offset, diagnostic.length),
            message: diagnostic.message.clone(),
        }
    }
}

/// One DNS message of the input, ready for the tree, the hex pane and the text views.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageView {
    /// The bytes the hex pane shows: the frame when the input had one, else the DNS message.
    pub bytes: Rc<Vec<u8>>,
    /// Where the DNS message starts in `bytes`.
    pub dns_offset: usize,
    /// The DNS message's length.
    pub dns_length: usize,
    /// The field tree: layers (when present), then the DNS message.
    pub tree: Rc<FieldTree>,
    /// The dissector's findings, in byte order.
    pub diagnostics: Rc<Vec<PageDiagnostic>>,
    /// The line above it: `tcpdump -xx: Ethernet → IPv4 → UDP 53 → 40428 → DNS, 74 bytes`.
    pub origin: String,
}

/// One row of the packet list (and of the message picker for pastes of several messages):
/// Wireshark's columns, plus what the filter box matches and the query it answers. The text
/// columns are made when a row is shown ([`MessageChoice::time`], [`MessageList::info`]...): a
/// capture of 100,000 packets shows a few dozen rows, and formatting every row up front was most
/// of the time it took to open one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageChoice {
    /// The message's index in [`PageDecode::messages`].
    pub index: usize,
    /// Frame number (from 1) where the input had frames.
    pub frame: Option<usize>,
    /// Nanoseconds since the first frame, when the capture has timestamps.
    pub time_nanos: Option<i128>,
    /// Source and destination IP addresses, when the message came in an IP packet.
    pub addresses: Option<(IpAddr, IpAddr)>,
    /// `DNS`.
    pub protocol: &'static str,
    /// The frame's length in bytes.
    pub length: usize,
    /// Transaction ID.
    pub id: Option<u16>,
    /// True for responses.
    pub is_response: bool,
    /// The first question's name (without the final dot) and type mnemonic.
    pub question: Option<(String, Cow<'static, str>)>,
    /// The response code's dig name (`NOERROR`, `NXDOMAIN`), for responses.
    pub rcode: Option<Cow<'static, str>>,
    /// For a response: the index of the query it answers. For a query: its response's.
    pub pair: Option<usize>,
    /// For a response with its query in the capture: nanoseconds between them.
    pub response_nanos: Option<i128>,
}

impl MessageChoice {
    /// Wireshark's Time column, seconds since the first frame (`0.000417`), when the capture has
    /// timestamps.
    pub fn time(&self) -> Option<String> {
        self.time_nanos.map(format_seconds)
    }

    /// The Source column: the IP source address, else empty.
    pub fn source(&self) -> String {
        self.addresses
            .map(|(source, _)| source.to_string())
            .unwrap_or_default()
    }

    /// The Destination column: the IP destination address, else empty.
    pub fn destination(&self) -> String {
        self.addresses
            .map(|(_, destination)| destination.to_string())
            .unwrap_or_default()
    }

    /// For a response with its query in the capture, the time between them: `0.000417 s`.
    pub fn response_time(&self) -> Option<String> {
        self.response_nanos
            .map(|nanos| format!("{} s", format_seconds(nanos)))
    }

    /// True when the row passes the filter box's text: words that must all match, each one of
    /// `query`, `response`, `id=0x1234` (or decimal), an rcode (`nxdomain`), a type (`aaaa`) or
    /// part of the question name. An empty filter passes everything.
    pub fn matches(&self, filter: &str) -> bool {
        filter.split_whitespace().all(|word| {
            let word = word.to_ascii_lowercase();
            if let Some(id) = word.strip_prefix("id=") {
                let wanted = match id.strip_prefix("0x") {
                    Some(hex) => u16::from_str_radix(hex, 16).ok(),
                    None => id.parse().ok(),
                };
                return wanted.is_some() && wanted == self.id;
            }
            match word.as_str() {
                "query" | "queries" => return !self.is_response,
                "response" | "responses" => return self.is_response,
                _ => {}
            }
            if self
                .rcode
                .as_deref()
                .is_some_and(|rcode| rcode.eq_ignore_ascii_case(&word))
            {
                return true;
            }
            self.question.as_ref().is_some_and(|(name, qtype)| {
                qtype.eq_ignore_ascii_case(&word) || name.to_ascii_lowercase().contains(&word)
            })
        })
    }
}

/// The packet list: a row per extracted message, and the extraction, which the Info column of
/// the rows on screen is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageList {
    rows: Vec<MessageChoice>,
    extraction: Rc<Extraction>,
}

impl MessageList {
    /// Every row, in message order.
    pub fn rows(&self) -> &[MessageChoice] {
        &self.rows
    }

    /// Row `index`.
    pub fn get(&self, index: usize) -> Option<&MessageChoice> {
        self.rows.get(index)
    }

    /// How many messages there are.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Message `index`'s Info column, as Wireshark writes it ([`info_line`]); empty past the end.
    pub fn info(&self, index: usize) -> String {
        self.extraction
            .messages
            .get(index)
            .map(|message| info_line(&dissect(&message.dns)))
            .unwrap_or_default()
    }
}

/// The packet list's rows for every message of an extraction, queries paired with responses
/// (same ID, same question, addresses and ports swapped), as Wireshark's `dns.response_in` does.
pub fn message_choices(extraction: &Extraction) -> Vec<MessageChoice> {
    let mut rows = RowsBuilder::new(extraction);
    for message in &extraction.messages {
        rows.push(message);
    }
    rows.finish()
}

/// [`message_choices`] a message at a time (in message order), for [`PageDecodeJob`].
#[derive(Debug)]
struct RowsBuilder {
    rows: Vec<MessageChoice>,
    /// The first frame's capture time, which the Time column counts from.
    first_time: Option<crate::input::Timestamp>,
    frames_numbered: bool,
    // Queries waiting for their response, by what a response must match (in one pass, so a
    // response pairs with the latest unanswered query before it). The question is in the key by
    // its hash; the rows' questions are compared when a response is paired. Each key names its
    // latest waiting query, and each waiting query the one before it with the same key: no list
    // to allocate per query.
    latest_waiting: crate::fnv::FnvHashMap<PairKey, usize>,
    earlier_waiting: Vec<Option<usize>>,
}

impl RowsBuilder {
    fn new(extraction: &Extraction) -> RowsBuilder {
        let mut latest_waiting = crate::fnv::FnvHashMap::default();
        latest_waiting.reserve(extraction.messages.len() / 2);
        RowsBuilder {
            rows: Vec::with_capacity(extraction.messages.len()),
            first_time: extraction
                .messages
                .iter()
                .find_map(|message| message.timestamp),
            frames_numbered: has_frames(extraction),
            latest_waiting,
            earlier_waiting: Vec::with_capacity(extraction.messages.len()),
        }
    }

    /// How many rows are made.
    fn len(&self) -> usize {
        self.rows.len()
    }

    /// Makes the row of `message`, the next message of the extraction.
    fn push(&mut self, message: &ExtractedMessage) {
        use crate::dissect::mnemonic::type_mnemonic;
        let index = self.rows.len();
        self.earlier_waiting.push(None);
        let outline = crate::dissect::outline(&message.dns);
        let rcode = outline.rcode();
        let header = outline.header.as_ref();
        let addresses = message.layers.iter().rev().find_map(Layer::addresses);
        let (source_port, destination_port) = message
            .layers
            .iter()
            .rev()
            .find_map(Layer::ports)
            .unwrap_or((0, 0));
        let question = outline.first_question.map(|question| {
            let qtype = type_mnemonic(question.qtype);
            (into_wireshark_name(question.name.text), qtype)
        });
        let is_response = header.is_some_and(|header| header.qr);
        let time_nanos = self.first_time.zip(message.timestamp).map(|(first, this)| {
            (i128::from(this.seconds) - i128::from(first.seconds)) * 1_000_000_000
                + i128::from(this.nanoseconds)
                - i128::from(first.nanoseconds)
        });
        let mut pair = None;
        let mut response_nanos = None;
        if let Some(id) = header.map(|header| header.id) {
            let question_hash = question_hash(question.as_ref());
            let (source, destination) = addresses.map_or((None, None), |(source, destination)| {
                (Some(source), Some(destination))
            });
            if is_response {
                let key = (
                    id,
                    destination,
                    source,
                    destination_port,
                    source_port,
                    question_hash,
                );
                let rows = &self.rows;
                let query = take_waiting_query(
                    &mut self.latest_waiting,
                    &mut self.earlier_waiting,
                    key,
                    |query| rows.get(query).is_some_and(|row| row.question == question),
                );
                if let Some(query) = query {
                    pair = Some(query);
                    if let Some(query_row) = self.rows.get_mut(query) {
                        query_row.pair = Some(index);
                        response_nanos = time_nanos
                            .zip(query_row.time_nanos)
                            .map(|(response, query)| response - query);
                    }
                }
            } else {
                let key = (
                    id,
                    source,
                    destination,
                    source_port,
                    destination_port,
                    question_hash,
                );
                let earlier = self.latest_waiting.insert(key, index);
                if let Some(slot) = self.earlier_waiting.get_mut(index) {
                    *slot = earlier;
                }
            }
        }
        self.rows.push(MessageChoice {
            index,
            frame: self.frames_numbered.then_some(message.frame_index + 1),
            time_nanos,
            addresses,
            protocol: "DNS",
            length: message.frame_length,
            id: header.map(|header| header.id),
            is_response,
            question,
            rcode: header
                .filter(|header| header.qr)
                .and(rcode)
                .map(crate::present::dig_rcode_text),
            pair,
            response_nanos,
        });
    }

    fn finish(self) -> Vec<MessageChoice> {
        self.rows
    }
}

/// The latest query waiting under `key` that `answers` accepts, taken off the waiting list
/// (see [`message_choices`]).
fn take_waiting_query(
    latest_waiting: &mut crate::fnv::FnvHashMap<PairKey, usize>,
    earlier_waiting: &mut [Option<usize>],
    key: PairKey,
    answers: impl Fn(usize) -> bool,
) -> Option<usize> {
    let mut later: Option<usize> = None;
    let mut candidate = latest_waiting.get(&key).copied();
    while let Some(query) = candidate {
        let earlier = earlier_waiting.get(query).copied().flatten();
        if answers(query) {
            match later {
                Some(later) => {
                    if let Some(slot) = earlier_waiting.get_mut(later) {
                        *slot = earlier;
                    }
                }
                None => match earlier {
                    Some(earlier) => {
                        latest_waiting.insert(key, earlier);
                    }
                    None => {
                        latest_waiting.remove(&key);
                    }
                },
            }
            return Some(query);
        }
        later = Some(query);
        candidate = earlier;
    }
    None
}

/// What pairs a query with its response: ID, client address, server address, client port,
/// server port and a hash of the question (name and type).
type PairKey = (u16, Option<IpAddr>, Option<IpAddr>, u16, u16, u64);

/// The FNV-1a hash of a question, for [`PairKey`].
fn question_hash(question: Option<&(String, Cow<'static, str>)>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = crate::fnv::Fnv1a::default();
    question.hash(&mut hasher);
    hasher.finish()
}

/// Nanoseconds as Wireshark's seconds with six decimals.
fn format_seconds(nanos: i128) -> String {
    let sign = if nanos < 0 { "-" } else { "" };
    // 128-bit division is slow in wasm, and every time a capture can hold fits 64 bits.
    match u64::try_from(nanos.unsigned_abs()) {
        Ok(nanos) => {
            let micros = nanos / 1000 + u64::from(nanos % 1000 >= 500);
            format!("{sign}{}.{:06}", micros / 1_000_000, micros % 1_000_000)
        }
        Err(_) => {
            let micros = (nanos.unsigned_abs() + 500) / 1000;
            format!("{sign}{}.{:06}", micros / 1_000_000, micros % 1_000_000)
        }
    }
}

/// What the Decode tab shows for a paste or a capture file. Cheap to clone: the extraction and
/// the packet list are shared, so picking another message ([`PageDecode::select`]) reads nothing
/// again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageDecode {
    /// The detected format's name.
    pub format: String,
    /// Other formats that read the same text the same way, by name.
    pub alternative_formats: Vec<String>,
    /// The notes of the extraction (skipped frames, reassembly), in words.
    pub notes: Vec<String>,
    /// How many frames the input held, DNS or not.
    pub frame_count: usize,
    /// True when the input is a capture file (the page shows the packet list).
    pub is_capture: bool,
    /// How many frames held no DNS message (counted, not listed).
    pub frames_without_dns: usize,
    /// Every message found: the packet list.
    pub messages: Rc<MessageList>,
    /// The selected message, in full.
    pub selected: MessageView,
    /// Its index in `messages`.
    pub selected_index: usize,
    extraction: Rc<Extraction>,
}

impl PageDecode {
    /// The same input with message `index` selected (clamped to the last).
    pub fn select(&self, index: usize) -> PageDecode {
        let index = index.min(self.messages.len().saturating_sub(1));
        let mut next = self.clone();
        if let Some(message) = self.extraction.messages.get(index) {
            next.selected = message_view(&self.extraction, message);
            next.selected_index = index;
        }
        next
    }

    /// The selected message as dig prints it (made when asked: the text views are not always
    /// shown).
    pub fn selected_dig(&self) -> String {
        self.extraction
            .messages
            .get(self.selected_index)
            .map(|message| dig_text(&dissect(&message.dns), &message.dns))
            .unwrap_or_default()
    }

    /// The selected message's RFC 8427 object, pretty-printed, as `dnslab decode --json` makes it.
    pub fn selected_json(&self) -> String {
        self.extraction
            .messages
            .get(self.selected_index)
            .map(|message| {
                let info = input_info(&self.extraction, message, None);
                let dissection = dissect(&message.dns);
                serde_json::to_string_pretty(&Rfc8427::new(&dissection, &message.dns, Some(&info)))
                    .unwrap_or_default()
            })
            .unwrap_or_default()
    }
}

/// The choices the page lets the user override.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageOptions {
    /// The DNS message starts at this byte of each frame.
    pub forced_offset: Option<usize>,
    /// Read the text as this format (by its name, one of [`format_names`]).
    pub forced_format: Option<String>,
    /// Which message to show (clamped to the last one).
    pub message_index: usize,
}

/// The names of every input format, for the page's format picker.
pub fn format_names() -> Vec<&'static str> {
    InputFormat::ALL
        .iter()
        .map(|format| format.name())
        .collect()
}

fn format_by_name(name: &str) -> Option<InputFormat> {
    InputFormat::ALL
        .iter()
        .copied()
        .find(|format| format.name() == name)
}

/// Decodes pasted text (or a capture file's bytes) for the Decode tab.
pub fn decode_for_page(input: &[u8], options: &PageOptions) -> Result<PageDecode, InputError> {
    PageDecodeJob::new(input, options)?.finish()
}

/// [`decode_for_page`] in steps, so that the page stays responsive and shows how far it is
/// through a large capture: [`PageDecodeJob::new`], [`PageDecodeJob::step`] until it says it is
/// done (the caller yields to the browser in between and shows [`PageDecodeJob::progress`]),
/// then [`PageDecodeJob::finish`]. Two stages: slicing the frames ([`Extractor`]), then making
/// the packet list's rows. The result is `decode_for_page`'s, whatever the steps.
#[derive(Debug)]
pub struct PageDecodeJob {
    options: PageOptions,
    stage: JobStage,
    /// The frames to slice, kept for the progress once the extractor is done.
    frame_count: usize,
}

#[derive(Debug)]
enum JobStage {
    Slicing(Extractor),
    Listing {
        extraction: Extraction,
        rows: RowsBuilder,
    },
    Failed(InputError),
}

/// How far a [`PageDecodeJob`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PageProgress {
    /// Frames of the capture sliced, of `frame_count` (0 of 0 for input read whole).
    pub frames_done: usize,
    pub frame_count: usize,
    /// Rows of the packet list made, of `message_count` (`None` until the frames are sliced).
    pub rows_done: usize,
    pub message_count: Option<usize>,
}

impl PageProgress {
    /// The part done, from 0 to 1 (the rows are counted as one per frame until their number is
    /// known).
    pub fn fraction(&self) -> f64 {
        let rows_total = self.message_count.unwrap_or(self.frame_count);
        let total = self.frame_count + rows_total;
        if total == 0 {
            return 0.0;
        }
        (self.frames_done + self.rows_done) as f64 / total as f64
    }

    /// In words: `Reading frames: 12,000 of 60,000`, then `Listing messages: 3,000 of 59,990`.
    pub fn describe(&self) -> String {
        match self.message_count {
            None => format!(
                "Reading frames: {} of {}",
                group_digits(self.frames_done),
                group_digits(self.frame_count)
            ),
            Some(count) => format!(
                "Listing messages: {} of {}",
                group_digits(self.rows_done),
                group_digits(count)
            ),
        }
    }
}

/// `60000` as `60,000`.
fn group_digits(number: usize) -> String {
    let digits = number.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (position, digit) in digits.chars().enumerate() {
        if position > 0 && (digits.len() - position).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

impl PageDecodeJob {
    /// Reads the container (a capture's frame list, or the whole of a paste); see
    /// [`Extractor::new`].
    pub fn new(input: &[u8], options: &PageOptions) -> Result<PageDecodeJob, InputError> {
        let extract_options = ExtractOptions {
            forced_offset: options.forced_offset,
            forced_format: options.forced_format.as_deref().and_then(format_by_name),
        };
        let extractor = Extractor::new(input, &extract_options)?;
        Ok(PageDecodeJob {
            options: options.clone(),
            frame_count: extractor.frame_count(),
            stage: JobStage::Slicing(extractor),
        })
    }

    /// How far it is.
    pub fn progress(&self) -> PageProgress {
        match &self.stage {
            JobStage::Slicing(extractor) => PageProgress {
                frames_done: extractor.frames_done(),
                frame_count: self.frame_count,
                rows_done: 0,
                message_count: None,
            },
            JobStage::Listing { extraction, rows } => PageProgress {
                frames_done: self.frame_count,
                frame_count: self.frame_count,
                rows_done: rows.len(),
                message_count: Some(extraction.messages.len()),
            },
            JobStage::Failed(_) => PageProgress {
                frames_done: self.frame_count,
                frame_count: self.frame_count,
                rows_done: 0,
                message_count: Some(0),
            },
        }
    }

    /// Does up to `units` more of the work (frames to slice, then rows to make); true when all
    /// is done and [`PageDecodeJob::finish`] has nothing left but assembling the result.
    pub fn step(&mut self, units: usize) -> bool {
        match &mut self.stage {
            JobStage::Slicing(extractor) => {
                if extractor.step(units) {
                    let placeholder = JobStage::Failed(InputError::Empty);
                    let JobStage::Slicing(extractor) =
                        std::mem::replace(&mut self.stage, placeholder)
                    else {
                        return true;
                    };
                    self.stage = match extractor.finish() {
                        Ok(extraction) => JobStage::Listing {
                            rows: RowsBuilder::new(&extraction),
                            extraction,
                        },
                        Err(error) => JobStage::Failed(error),
                    };
                }
                matches!(self.stage, JobStage::Failed(_))
            }
            JobStage::Listing { extraction, rows } => {
                let end = rows
                    .len()
                    .saturating_add(units)
                    .min(extraction.messages.len());
                while rows.len() < end {
                    match extraction.messages.get(rows.len()) {
                        Some(message) => rows.push(message),
                        None => break,
                    }
                }
                rows.len() >= extraction.messages.len()
            }
            JobStage::Failed(_) => true,
        }
    }

    /// The page's decode: what [`decode_for_page`] returns for the same input and options.
    pub fn finish(mut self) -> Result<PageDecode, InputError> {
        while !self.step(usize::MAX) {}
        match self.stage {
            JobStage::Listing { extraction, rows } => {
                page_decode(extraction, rows.finish(), &self.options)
            }
            JobStage::Failed(error) => Err(error),
            // `step` leaves the slicing stage before it says it is done; were it not so, this
            // is the same work in one go.
            JobStage::Slicing(extractor) => extractor.finish().and_then(|extraction| {
                let rows = message_choices(&extraction);
                page_decode(extraction, rows, &self.options)
            }),
        }
    }
}

/// The page's decode of an extraction whose packet list rows are made.
fn page_decode(
    extraction: Extraction,
    rows: Vec<MessageChoice>,
    options: &PageOptions,
) -> Result<PageDecode, InputError> {
    let selected_index = options
        .message_index
        .min(extraction.messages.len().saturating_sub(1));
    let selected_message =
        extraction
            .messages
            .get(selected_index)
            .ok_or_else(|| InputError::NoDnsFound {
                reason: "the input holds no frames".to_owned(),
            })?;
    let selected = message_view(&extraction, selected_message);
    // Frames holding at least one message (a TCP segment may hold several).
    let mut holds_dns = vec![false; extraction.frame_count];
    for message in &extraction.messages {
        if let Some(holds) = holds_dns.get_mut(message.frame_index) {
            *holds = true;
        }
    }
    let frames_with_dns = holds_dns.iter().filter(|holds| **holds).count();
    let extraction = Rc::new(extraction);
    Ok(PageDecode {
        format: extraction.format.name().to_owned(),
        alternative_formats: extraction
            .alternative_formats
            .iter()
            .map(|format| format.name().to_owned())
            .collect(),
        notes: extraction.notes.clone(),
        frame_count: extraction.frame_count,
        is_capture: matches!(extraction.format, InputFormat::Pcap | InputFormat::PcapNg),
        frames_without_dns: extraction.frame_count.saturating_sub(frames_with_dns),
        messages: Rc::new(MessageList {
            rows,
            extraction: Rc::clone(&extraction),
        }),
        selected,
        selected_index,
        extraction,
    })
}

/// The tree, bytes, diagnostics and texts of one extracted message.
pub fn message_view(extraction: &Extraction, message: &ExtractedMessage) -> MessageView {
    let dissection = dissect(&message.dns);
    // The frame is shown when it holds the message where the extraction says it is.
    let frame_holds_message = message
        .frame
        .get(message.dns_offset_in_frame..)
        .is_some_and(|rest| rest.starts_with(&message.dns));
    let (bytes, base) = if frame_holds_message {
        (message.frame.to_vec(), message.dns_offset_in_frame)
    } else {
        (message.dns.to_vec(), 0)
    };
    let mut tree = FieldTree::default();
    if frame_holds_message {
        let prefix_length = if message.tcp_length_prefix { 2 } else { 0 };
        let layers_end = base.saturating_sub(prefix_length);
        push_layers(&mut tree, &message.layers, &bytes, layers_end);
        if message.tcp_length_prefix && base >= 2 {
            let length = bytes
                .get(base - 2..base)
                .map_or(0, |pair| u16::from_be_bytes([pair[0], pair[1]]));
            tree.push_leaf(
                None,
                "tcp.length",
                format!("Length: {length}"),
                Span::new(base - 2, 2),
            );
        }
    }
    let diagnostics = push_dns_message(&mut tree, &dissection, &message.dns, base);
    MessageView {
        dns_offset: base,
        dns_length: message.dns.len(),
        diagnostics: Rc::new(diagnostics),
        origin: origin_line(extraction, message, None),
        tree: Rc::new(tree),
        bytes: Rc::new(bytes),
    }
}

/// The view of a DNS message on its own, with no frame around it (a query the Build tab made, a
/// built-in server's answer): the same tree, hex-pane bytes and diagnostics as Decode shows for
/// it. `origin` is the line above it.
pub fn dns_message_view(dns: &[u8], origin: String) -> MessageView {
    let dissection = dissect(dns);
    let mut tree = FieldTree::default();
    let diagnostics = push_dns_message(&mut tree, &dissection, dns, 0);
    MessageView {
        bytes: Rc::new(dns.to_vec()),
        dns_offset: 0,
        dns_length: dns.len(),
        tree: Rc::new(tree),
        diagnostics: Rc::new(diagnostics),
        origin,
    }
}

/// Adds the `Domain Name System` node and the dissection's fields below it (spans shifted by
/// `base`, the message's offset in the hex pane) with compression pointers linked to their
/// targets; returns the diagnostics in hex-pane offsets.
fn push_dns_message(
    tree: &mut FieldTree,
    dissection: &crate::dissect::Dissection,
    dns: &[u8],
    base: usize,
) -> Vec<PageDiagnostic> {
    let dns_node = tree.push_leaf(
        None,
        "dns",
        format!(
            "Domain Name System ({})",
            if dissection.header.as_ref().is_some_and(|header| header.qr) {
                "response"
            } else {
                "query"
            }
        ),
        Span::new(base, dns.len()),
    );
    let mut pointer_targets = Vec::new();
    for field in dissection.tree() {
        tree.push_field(Some(dns_node), field, base, dns, &mut pointer_targets);
    }
    tree.resolve_pointers(&pointer_targets);
    dissection
        .diagnostics
        .iter()
        .map(|diagnostic| PageDiagnostic::new(diagnostic, base))
        .collect()
}

/// True for inputs made of numbered frames, where the frame number tells messages apart.
pub fn has_frames(extraction: &Extraction) -> bool {
    matches!(
        extraction.format,
        InputFormat::Pcap | InputFormat::PcapNg | InputFormat::WiresharkCArrays
    ) || extraction.frame_count > 1
}

/// The `input` member of the RFC 8427 object for `message`, as `dnslab decode --json` writes it
/// (`source` names the file when there are several).
pub fn input_info(
    extraction: &Extraction,
    message: &ExtractedMessage,
    source: Option<&str>,
) -> InputInfo {
    InputInfo {
        source: source.map(str::to_owned),
        format: extraction.format.name().to_owned(),
        layers: message.layers.iter().map(ToString::to_string).collect(),
        offset: message.dns_offset_in_frame,
        frame: has_frames(extraction).then_some(message.frame_index + 1),
    }
}

/// Where a message was found, in one line: `Wireshark hex stream: Linux SLL → IPv6 → UDP 53 →
/// 35257 → DNS, 94 bytes`, with the frame number for captures and the source when given.
pub fn origin_line(
    extraction: &Extraction,
    message: &ExtractedMessage,
    source: Option<&str>,
) -> String {
    let mut line = String::new();
    if let Some(source) = source {
        line.push_str(source);
        line.push_str(": ");
    }
    line.push_str(extraction.format.name());
    if has_frames(extraction) {
        line.push_str(&format!(", frame {}", message.frame_index + 1));
    }
    if let Some(data_source) = &message.data_source {
        line.push_str(&format!(" ({data_source})"));
    }
    line.push_str(": ");
    line.push_str(&message.layers_summary());
    line
}

/// Wireshark's Info column for a DNS message, as its DNS dissector (`packet-dns.c`) writes it:
/// `Standard query 0xabcd A www.example.com OPT`, or `Standard query response 0xabcd A
/// www.example.com CNAME example.com A 93.184.215.14 OPT`. The operation and ID; for a response
/// whose header RCODE is not 0, its words; each question's type and name; then every record of
/// every section, its type and, for some types, a short form of its data ([`info_data`]).
pub fn info_line(dissection: &crate::dissect::Dissection) -> String {
    let Some(header) = dissection.header.as_ref() else {
        return format!("Malformed DNS message ({} bytes)", dissection.length);
    };
    let mut line = match header.opcode {
        0 => String::from("Standard query"),
        1 => String::from("Inverse query"),
        2 => String::from("Server status request"),
        4 => String::from("Zone change notification"),
        5 => String::from("Dynamic update"),
        6 => String::from("DNS Stateful operations (DSO)"),
        other => format!("Unknown operation ({other})"),
    };
    if header.qr {
        line.push_str(" response");
    }
    line.push_str(&format!(" 0x{:04x}", header.id));
    // The header's four bits only: Wireshark does not add the EDNS extended RCODE here.
    if header.qr && header.rcode != 0 {
        line.push(' ');
        line.push_str(&wireshark_rcode(u16::from(header.rcode)));
    }
    for question in &dissection.questions {
        line.push(' ');
        line.push_str(&wireshark_type_name(question.qtype));
        line.push(' ');
        line.push_str(&wireshark_name_text(&question.name.text));
    }
    for record in &dissection.records {
        line.push(' ');
        line.push_str(&wireshark_type_name(record.rtype));
        if record.rdlength == 0 {
            continue;
        }
        if let Some(data) = info_data(record) {
            line.push(' ');
            line.push_str(&data);
        }
    }
    if dissection.has_errors() {
        line.push_str(" [Malformed Packet]");
    }
    line
}

/// Wireshark's name of a record type in the Info column, or `Unknown (65280)`: the mnemonic
/// where Wireshark 4.0's table (`dns_types_vals`) has the same one, and its own name where it
/// differs, as tshark 4.0.17 prints them (tests/data/input/types-test.pcap.tshark-info.tsv).
fn wireshark_type_name(rtype: u16) -> Cow<'static, str> {
    let name = match rtype {
        0 => Some("Unused"),
        // Types Wireshark 4.0 has no name for: SMIMEA, NINFO, AVC, DOA, AMTRELAY, RESINFO, WALLET.
        53 | 56 | 258..=262 => None,
        // Wireshark 4.0's table gives 253 (MAILB) and 254 (MAILA) each other's names.
        253 => Some("MAILA"),
        254 => Some("MAILB"),
        // Microsoft's WINS lookups and the XPF draft, which BIND does not name.
        65281 => Some("WINS"),
        65282 => Some("WINS-R"),
        65422 => Some("XPF"),
        other => crate::dissect::mnemonic::known_type_mnemonic(other),
    };
    match name {
        Some(name) => Cow::Borrowed(name),
        None => Cow::Owned(format!("Unknown ({rtype})")),
    }
}

/// What Wireshark adds after a record's type in the Info column, read from the record's
/// presentation form: addresses, target names, MX preferences, SRV and NAPTR numbers; nothing
/// for most types (TXT, CAA, OPT, DNSSEC records...).
fn info_data(record: &crate::dissect::RecordView) -> Option<String> {
    let words = presentation_words(&record.rdata.presentation);
    let word = |index: usize| words.get(index).map(String::as_str);
    let name = |index: usize| word(index).map(wireshark_name_text);
    let joined = |parts: &[Option<String>]| -> Option<String> {
        let parts: Option<Vec<String>> = parts.iter().cloned().collect();
        parts.map(|parts| parts.join(" "))
    };
    let text = |index: usize| word(index).map(str::to_owned);
    match record.rtype {
        // A: the address for class IN (Wireshark writes other classes differently or not at all).
        1 if record.class == 1 => text(0),
        // AAAA; WKS (its address first).
        28 | 11 => text(0),
        // NS, CNAME, PTR, DNAME: the name; NXT, NSEC: the next name; SOA: the primary server.
        2 | 5 | 12 | 39 | 30 | 47 | 6 => name(0),
        // MX, KX: preference and name.
        15 | 36 => joined(&[text(0), name(1)]),
        // SRV: priority, weight, port and target.
        33 => joined(&[text(0), text(1), text(2), name(3)]),
        // NAPTR: order, preference and flags (for URI Wireshark 4.0 adds nothing).
        35 => joined(&[text(0), text(1), text(2)]),
        // HINFO: CPU and OS.
        13 => joined(&[text(0), text(1)]),
        // For these Wireshark writes the record's owner name (the name it had in hand when
        // it wrote the Info, not one from the data): shown as it shows it.
        3 | 4 | 7 | 8 | 9 | 10 | 14 | 17 | 18 | 19 | 20 | 21 | 22 | 23 | 26 | 27 | 42 | 49 | 51
        | 52 | 55 => Some(wireshark_name_text(&record.name.text)),
        _ => None,
    }
}

/// The words of a presentation form, quoted strings as one word without their quotes (a `\"`
/// inside one stays part of it).
fn presentation_words(presentation: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut in_word = false;
    let mut characters = presentation.chars();
    while let Some(character) = characters.next() {
        match character {
            '\\' => {
                current.push(character);
                if let Some(next) = characters.next() {
                    current.push(next);
                }
                in_word = true;
            }
            '"' => {
                quoted = !quoted;
                in_word = true;
            }
            ' ' | '\t' if !quoted => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            _ => {
                current.push(character);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(current);
    }
    words
}

/// A name (or text) from its presentation form (`www.example.com.`, escapes `\.` and `\DDD`) as
/// Wireshark prints it: no final dot, the root as `<Root>`, the bytes unescaped, then written as
/// its `format_text` does (printable ASCII as it is, C escapes for `\a \b \f \n \r \t \v`,
/// other control bytes as `\` and three octal digits, UTF-8 kept, broken UTF-8 as U+FFFD).
fn wireshark_name_text(presentation: &str) -> String {
    if presentation == "." {
        return "<Root>".to_owned();
    }
    // The final dot, unless it is escaped (`\.`): an even run of backslashes before it is
    // escaped backslashes.
    let text = presentation.strip_suffix('.').filter(|rest| {
        let backslashes = rest.len() - rest.trim_end_matches('\\').len();
        backslashes % 2 == 0
    });
    let text = text.unwrap_or(presentation);
    // The dissector writes well-formed escapes; text that had none would be its own bytes.
    let bytes = crate::zone::text::decode_text(text).unwrap_or_else(|_| text.as_bytes().to_vec());
    if bytes.iter().all(|byte| (0x20..0x7f).contains(byte)) {
        // Printable ASCII, the common case: as it is.
        return String::from_utf8_lossy(&bytes).into_owned();
    }
    let mut shown = String::with_capacity(bytes.len() + 8);
    for character in String::from_utf8_lossy(&bytes).chars() {
        match character {
            '\u{07}' => shown.push_str("\\a"),
            '\u{08}' => shown.push_str("\\b"),
            '\u{0c}' => shown.push_str("\\f"),
            '\n' => shown.push_str("\\n"),
            '\r' => shown.push_str("\\r"),
            '\t' => shown.push_str("\\t"),
            '\u{0b}' => shown.push_str("\\v"),
            control if (control as u32) < 0x20 || control == '\u{7f}' => {
                shown.push_str(&format!("\\{:03o}", control as u32));
            }
            other => shown.push(other),
        }
    }
    shown
}

/// A name without its final dot and the root as `<Root>`, as the packet list and its filter
/// show a question's name (reusing the name's own text).
fn into_wireshark_name(mut text: String) -> String {
    if text == "." {
        return "<Root>".to_owned();
    }
    if text.ends_with('.') {
        text.pop();
    }
    text
}

/// Wireshark's rcode words in the Info column.
fn wireshark_rcode(rcode: u16) -> String {
    match rcode_words(rcode) {
        "Unknown error" => format!("Unknown error ({rcode})"),
        words => words.to_owned(),
    }
}

/// Reads a big-endian `u16` at `offset`, if present.
fn read_u16(bytes: &[u8], offset: usize) -> Option<u16> {
    let pair = bytes.get(offset..offset.checked_add(2)?)?;
    Some(u16::from_be_bytes([pair[0], pair[1]]))
}

fn hex_colons(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() * 3);
    for (index, byte) in bytes.iter().enumerate() {
        if index > 0 {
            text.push(':');
        }
        text.push_str(&format!("{byte:02x}"));
    }
    text
}

/// Ether type names as Wireshark prints them.
fn ether_type_text(ether_type: u16) -> String {
    let name = match ether_type {
        0x0800 => "IPv4",
        0x86dd => "IPv6",
        0x8100 => "802.1Q Virtual LAN",
        0x88a8 => "802.1ad Provider Bridge (Q-in-Q)",
        0x0806 => "ARP",
        _ => "Unknown",
    };
    format!("{name} (0x{ether_type:04x})")
}

/// The layer nodes: one per layer with the fields a learner needs, spans in frame offsets. Each
/// layer ends where the next begins (the last where the DNS message, or its TCP length, does).
fn push_layers(tree: &mut FieldTree, layers: &[Layer], frame: &[u8], layers_end: usize) {
    for (index, layer) in layers.iter().enumerate() {
        let start = layer_offset(layer);
        let end = layers
            .get(index + 1)
            .map_or(layers_end, layer_offset)
            .max(start)
            .min(frame.len());
        let span = Span::new(start, end.saturating_sub(start));
        let field = |offset: usize, length: usize| Span::new(start + offset, length);
        match layer {
            Layer::Ethernet { ether_type, .. } => {
                let node = tree.push_leaf(None, "layer.ethernet", "Ethernet II".to_owned(), span);
                if let Some(mac) = frame.get(start..start + 6) {
                    tree.push_leaf(
                        Some(node),
                        "layer.ethernet.destination",
                        format!("Destination: {}", hex_colons(mac)),
                        field(0, 6),
                    );
                }
                if let Some(mac) = frame.get(start + 6..start + 12) {
                    tree.push_leaf(
                        Some(node),
                        "layer.ethernet.source",
                        format!("Source: {}", hex_colons(mac)),
                        field(6, 6),
                    );
                }
                tree.push_leaf(
                    Some(node),
                    "layer.ethernet.type",
                    format!("Type: {}", ether_type_text(*ether_type)),
                    field(12, 2),
                );
            }
            Layer::Vlan {
                vlan_id,
                ether_type,
                ..
            } => {
                let node = tree.push_leaf(
                    None,
                    "layer.vlan",
                    format!("802.1Q Virtual LAN, ID: {vlan_id}"),
                    span,
                );
                tree.push_leaf(
                    Some(node),
                    "layer.vlan.id",
                    format!("ID: {vlan_id}"),
                    field(0, 2),
                );
                tree.push_leaf(
                    Some(node),
                    "layer.vlan.type",
                    format!("Type: {}", ether_type_text(*ether_type)),
                    field(2, 2),
                );
            }
            Layer::LinuxSll { protocol, .. } => {
                let node = tree.push_leaf(
                    None,
                    "layer.sll",
                    "Linux cooked capture v1".to_owned(),
                    span,
                );
                tree.push_leaf(
                    Some(node),
                    "layer.sll.protocol",
                    format!("Protocol: {}", ether_type_text(*protocol)),
                    field(14, 2),
                );
            }
            Layer::LinuxSll2 {
                protocol,
                interface_index,
                ..
            } => {
                let node = tree.push_leaf(
                    None,
                    "layer.sll2",
                    "Linux cooked capture v2".to_owned(),
                    span,
                );
                tree.push_leaf(
                    Some(node),
                    "layer.sll2.protocol",
                    format!("Protocol: {}", ether_type_text(*protocol)),
                    field(0, 2),
                );
                tree.push_leaf(
                    Some(node),
                    "layer.sll2.interface",
                    format!("Interface index: {interface_index}"),
                    field(4, 4),
                );
            }
            Layer::Loopback { family, .. } => {
                let node = tree.push_leaf(None, "layer.loopback", "Null/Loopback".to_owned(), span);
                tree.push_leaf(
                    Some(node),
                    "layer.loopback.family",
                    format!("Family: {family}"),
                    field(0, 4),
                );
            }
            Layer::Ipv4 {
                header_length,
                source,
                destination,
                fragmented,
                ..
            } => {
                let node = tree.push_leaf(
                    None,
                    "layer.ipv4",
                    format!("Internet Protocol Version 4, Src: {source}, Dst: {destination}"),
                    span,
                );
                tree.push_leaf(
                    Some(node),
                    "layer.ipv4.header_length",
                    format!("Header Length: {header_length} bytes"),
                    field(0, 1),
                );
                if let Some(total) = read_u16(frame, start + 2) {
                    tree.push_leaf(
                        Some(node),
                        "layer.ipv4.total_length",
                        format!("Total Length: {total}"),
                        field(2, 2),
                    );
                }
                if *fragmented {
                    tree.push_leaf(
                        Some(node),
                        "layer.ipv4.fragment",
                        "Fragment: this packet is one piece of a larger datagram".to_owned(),
                        field(6, 2),
                    );
                }
                if let Some(ttl) = frame.get(start + 8) {
                    tree.push_leaf(
                        Some(node),
                        "layer.ipv4.ttl",
                        format!("Time to Live: {ttl}"),
                        field(8, 1),
                    );
                }
                if let Some(protocol) = frame.get(start + 9) {
                    tree.push_leaf(
                        Some(node),
                        "layer.ipv4.protocol",
                        format!("Protocol: {} ({protocol})", ip_protocol_name(*protocol)),
                        field(9, 1),
                    );
                }
                tree.push_leaf(
                    Some(node),
                    "layer.ipv4.source",
                    format!("Source Address: {source}"),
                    field(12, 4),
                );
                tree.push_leaf(
                    Some(node),
                    "layer.ipv4.destination",
                    format!("Destination Address: {destination}"),
                    field(16, 4),
                );
            }
            Layer::Ipv6 {
                extension_headers,
                source,
                destination,
                ..
            } => {
                let node = tree.push_leaf(
                    None,
                    "layer.ipv6",
                    format!("Internet Protocol Version 6, Src: {source}, Dst: {destination}"),
                    span,
                );
                if let Some(length) = read_u16(frame, start + 4) {
                    tree.push_leaf(
                        Some(node),
                        "layer.ipv6.payload_length",
                        format!("Payload Length: {length}"),
                        field(4, 2),
                    );
                }
                if let Some(next) = frame.get(start + 6) {
                    tree.push_leaf(
                        Some(node),
                        "layer.ipv6.next_header",
                        format!("Next Header: {} ({next})", ip_protocol_name(*next)),
                        field(6, 1),
                    );
                }
                if let Some(hop_limit) = frame.get(start + 7) {
                    tree.push_leaf(
                        Some(node),
                        "layer.ipv6.hop_limit",
                        format!("Hop Limit: {hop_limit}"),
                        field(7, 1),
                    );
                }
                tree.push_leaf(
                    Some(node),
                    "layer.ipv6.source",
                    format!("Source Address: {source}"),
                    field(8, 16),
                );
                tree.push_leaf(
                    Some(node),
                    "layer.ipv6.destination",
                    format!("Destination Address: {destination}"),
                    field(24, 16),
                );
                if !extension_headers.is_empty() {
                    tree.push_leaf(
                        Some(node),
                        "layer.ipv6.extension_headers",
                        format!("Extension headers: {}", extension_headers.join(", ")),
                        Span::new(start + 40, end.saturating_sub(start + 40)),
                    );
                }
            }
            Layer::Udp {
                source_port,
                destination_port,
                ..
            } => {
                let node = tree.push_leaf(
                    None,
                    "layer.udp",
                    format!(
                        "User Datagram Protocol, Src Port: {source_port}, Dst Port: {destination_port}"
                    ),
                    span,
                );
                push_ports(
                    tree,
                    node,
                    "layer.udp",
                    *source_port,
                    *destination_port,
                    start,
                );
                if let Some(length) = read_u16(frame, start + 4) {
                    tree.push_leaf(
                        Some(node),
                        "layer.udp.length",
                        format!("Length: {length}"),
                        field(4, 2),
                    );
                }
                if let Some(checksum) = read_u16(frame, start + 6) {
                    tree.push_leaf(
                        Some(node),
                        "layer.udp.checksum",
                        format!("Checksum: 0x{checksum:04x} [unverified]"),
                        field(6, 2),
                    );
                }
            }
            Layer::Tcp {
                source_port,
                destination_port,
                sequence_number,
                ..
            } => {
                let node = tree.push_leaf(
                    None,
                    "layer.tcp",
                    format!(
                        "Transmission Control Protocol, Src Port: {source_port}, Dst Port: {destination_port}"
                    ),
                    span,
                );
                push_ports(
                    tree,
                    node,
                    "layer.tcp",
                    *source_port,
                    *destination_port,
                    start,
                );
                tree.push_leaf(
                    Some(node),
                    "layer.tcp.sequence",
                    format!("Sequence Number (raw): {sequence_number}"),
                    field(4, 4),
                );
                if let Some(flags) = frame.get(start + 13) {
                    tree.push_leaf(
                        Some(node),
                        "layer.tcp.flags",
                        format!("Flags: 0x{flags:03x} {}", tcp_flag_names(*flags)),
                        field(12, 2),
                    );
                }
            }
            Layer::Skipped { length } => {
                tree.push_leaf(
                    None,
                    "layer.skipped",
                    format!("Skipped bytes: {length} (before the DNS message, as asked)"),
                    span,
                );
            }
        }
    }
}

fn push_ports(
    tree: &mut FieldTree,
    node: NodeId,
    key: &str,
    source_port: u16,
    destination_port: u16,
    start: usize,
) {
    tree.push_leaf(
        Some(node),
        &format!("{key}.source_port"),
        format!("Source Port: {source_port}"),
        Span::new(start, 2),
    );
    tree.push_leaf(
        Some(node),
        &format!("{key}.destination_port"),
        format!("Destination Port: {destination_port}"),
        Span::new(start + 2, 2),
    );
}

fn tcp_flag_names(flags: u8) -> String {
    let names: Vec<&str> = [
        (0x20, "URG"),
        (0x10, "ACK"),
        (0x08, "PSH"),
        (0x04, "RST"),
        (0x02, "SYN"),
        (0x01, "FIN"),
    ]
    .iter()
    .filter(|(bit, _)| flags & bit != 0)
    .map(|(_, name)| *name)
    .collect();
    format!("({})", names.join(", "))
}

fn ip_protocol_name(protocol: u8) -> &'static str {
    match protocol {
        6 => "TCP",
        17 => "UDP",
        1 => "ICMP",
        58 => "ICMPv6",
        _ => "Unknown",
    }
}

fn layer_offset(layer: &Layer) -> usize {
    match layer {
        Layer::Ethernet { offset, .. }
        | Layer::Vlan { offset, .. }
        | Layer::LinuxSll { offset, .. }
        | Layer::LinuxSll2 { offset, .. }
        | Layer::Loopback { offset, .. }
        | Layer::Ipv4 { offset, .. }
        | Layer::Ipv6 { offset, .. }
        | Layer::Udp { offset, .. }
        | Layer::Tcp { offset, .. } => *offset,
        Layer::Skipped { .. } => 0,
    }
}

/// What `window.dnslab.decode(text)` returns: `{ format, layers, messages }` with the messages
/// as the very objects `dnslab decode --json` prints for the same input, one per message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiDecode {
    /// The detected format's name.
    pub format: String,
    /// The first message's layers, outermost first, as in each object's `input.layers`
    /// (`["Ethernet", "IPv4", "UDP 53 → 40428"]`; empty for bare DNS bytes).
    pub layers: Vec<String>,
    /// One RFC 8427 object per message, with `diagnostics` and `input`.
    pub messages: Vec<serde_json::Value>,
}

/// Decodes `input` for the JavaScript API.
pub fn decode_for_api(input: &[u8]) -> Result<ApiDecode, InputError> {
    let extraction = extract_dns(input, &ExtractOptions::default())?;
    let messages = extraction
        .messages
        .iter()
        .map(|message| {
            let dissection = dissect(&message.dns);
            let info = input_info(&extraction, message, None);
            crate::present::rfc8427_json(&dissection, &message.dns, Some(&info))
        })
        .collect();
    Ok(ApiDecode {
        format: extraction.format.name().to_owned(),
        layers: extraction
            .messages
            .first()
            .map(|message| message.layers.iter().map(ToString::to_string).collect())
            .unwrap_or_default(),
        messages,
    })
}

/// One explanation shown beside the selected node: what the field is, or what its value means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// `Transaction ID`, `AAAA record`.
    pub title: &'static str,
    /// Two or three sentences.
    pub text: &'static str,
    /// `RFC 1035 §4.1.1`, when the entry cites one.
    pub reference: Option<String>,
    /// The RFC section's address on rfc-editor.org.
    pub link: Option<String>,
}

impl From<&'static crate::learn::Entry> for Explanation {
    fn from(entry: &'static crate::learn::Entry) -> Self {
        Self {
            title: entry.title,
            text: entry.text,
            reference: entry
                .rfc
                // An RFC without numbered sections (RFC 2782) is cited whole.
                .map(|rfc| match rfc.section {
                    "" => format!("RFC {}", rfc.rfc),
                    section => format!("RFC {} §{section}", rfc.rfc),
                }),
            link: entry
                .rfc
                .map(|rfc| crate::learn::rfc_link(rfc.rfc, rfc.section)),
        }
    }
}

/// What a diagnostic's kind of finding means, recognized by its message.
pub fn explain_diagnostic(message: &str) -> Option<Explanation> {
    crate::learn::explain_diagnostic(message).map(Explanation::from)
}

/// What the page explains beside node `id` of `view`: the field, then (for a type, an option
/// code, an opcode or a response code) what its value means, read from the node's bytes.
pub fn explain_node(view: &MessageView, id: NodeId) -> Vec<Explanation> {
    let Some(node) = view.tree.node(id) else {
        return Vec::new();
    };
    let mut entries: Vec<&'static crate::learn::Entry> = Vec::new();
    entries.extend(crate::learn::explain(&node.key));
    let bytes = view
        .bytes
        .get(node.span.offset..node.span.end())
        .unwrap_or_default();
    let word = match bytes {
        [high, low] => Some(u16::from_be_bytes([*high, *low])),
        _ => None,
    };
    let key = node.key.as_str();
    let value_entry = if key.ends_with(".type") && !key.starts_with("rdata") {
        word.and_then(crate::learn::explain_type)
    } else if key == "edns.option.code" {
        word.and_then(crate::learn::explain_option)
    } else if key == "header.flags.opcode" {
        // Bits 1-4 of the third header octet (RFC 1035 section 4.1.1).
        view.bytes
            .get(view.dns_offset + 2)
            .and_then(|flags| crate::learn::explain_opcode((flags >> 3) & 0x0f))
    } else if key == "header.flags.rcode" {
        // The low four bits of the fourth header octet.
        view.bytes
            .get(view.dns_offset + 3)
            .and_then(|flags| crate::learn::explain_rcode(u16::from(flags & 0x0f)))
    } else {
        None
    };
    entries.extend(value_entry);
    entries.dedup_by(|later, earlier| std::ptr::eq(*later, *earlier));
    entries.into_iter().map(Explanation::from).collect()
}

/// The bytes as the Copy buttons give them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CopyTexts {
    /// Wireshark's "Copy as Hex Stream".
    pub hex_stream: String,
    /// A C array, as `xxd -i` writes it.
    pub c_array: String,
    /// Standard base64 with padding.
    pub base64: String,
}

/// The copy texts of `bytes`.
pub fn copy_texts(bytes: &[u8]) -> CopyTexts {
    use base64::Engine as _;
    CopyTexts {
        hex_stream: crate::input::write::hex_stream(bytes),
        c_array: crate::input::write::xxd_include(bytes, "packet"),
        base64: base64::engine::general_purpose::STANDARD.encode(bytes),
    }
}

/// Which tab a URL fragment opens, and with what (the page contract's table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Decode, with the text to decode (empty for none).
    Decode(String),
    /// Build, with the fragment's parameters as written.
    Build(String),
    /// Resolve, with `name/TYPE`.
    Resolve(String),
    /// Zones, with the origin to open.
    Zones(String),
    /// A fragment the page does not know: Decode opens with this message.
    Unknown(String),
}

/// Reads a URL fragment (without `#`). `decode=b64:` carries base64url; it becomes hex text.
pub fn parse_fragment(fragment: &str) -> Route {
    let fragment = fragment.trim_start_matches('#');
    let (tab, value) = fragment.split_once('=').unwrap_or((fragment, ""));
    let value = percent_decode(value);
    match tab {
        "" | "decode" => match value.strip_prefix("b64:") {
            Some(encoded) => {
                use base64::Engine as _;
                let cleaned: String = encoded.trim_end_matches('=').to_owned();
                match base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(cleaned.as_bytes()) {
                    Ok(bytes) => Route::Decode(crate::input::write::hex_stream(&bytes)),
                    Err(error) => Route::Unknown(format!(
                        "The link's base64url data does not decode ({error}); paste the message instead."
                    )),
                }
            }
            None => Route::Decode(value),
        },
        "build" => Route::Build(value),
        "resolve" => Route::Resolve(value),
        "zones" => Route::Zones(value),
        other => Route::Unknown(format!(
            "The link asks for “{other}”, which this page does not know; it opens Decode, Build, Resolve or Zones."
        )),
    }
}

/// The fragment (without `#`) that opens Decode with `bytes`.
pub fn decode_fragment(bytes: &[u8]) -> String {
    format!("decode={}", crate::input::write::hex_stream(bytes))
}

/// `%xx` escapes undone (browsers escape spaces and some punctuation in fragments).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escaped = (bytes[index] == b'%')
            .then(|| bytes.get(index + 1..index + 3))
            .flatten()
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                index += 3;
            }
            None => {
                out.push(bytes[index]);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub mod build;
pub mod resolve;
pub mod zones;

#[cfg(test)]
mod tests;
