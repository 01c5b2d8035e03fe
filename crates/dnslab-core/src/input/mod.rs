//! Input: finds the DNS messages in whatever the user pasted or opened.
//!
//! # What it reads
//! - **Capture files**: pcap (both byte orders, micro- and nanosecond timestamps) and pcapng
//!   (several sections and interfaces, each with its link type and timestamp resolution).
//! - **Text**, detected automatically (see [`InputFormat`] for the list): Wireshark's copies (hex
//!   stream, hex dump, hex + ASCII dump, C array, Go literal, C string, escaped string, the
//!   "Export Packet Dissections as C Arrays" file), `tshark -x`, `tcpdump -x/-xx/-X/-XX`, `xxd`,
//!   `xxd -p`, `xxd -i`, `hexdump -C`, `od -Ax -tx1`, base64, base64url, DoH `?dns=` URLs, and
//!   hex separated by spaces, colons or dashes in either case.
//! - **Frames**: when the bytes are a whole frame, the link layer is found by trying each one
//!   (Ethernet with VLAN tags, Linux SLL and SLL2, BSD loopback, raw IPv4/IPv6) and keeping the
//!   interpretation that yields the most plausible DNS; then IP (options, extension headers),
//!   UDP, or TCP with its 2-byte length prefix (several messages per segment too; a message
//!   spread over several segments of a capture or multi-packet paste is reassembled, in order).
//!   Bare DNS bytes, with or without the TCP length prefix, are accepted as they are. In inputs
//!   of several frames, frames without DNS (handshakes, other traffic) are skipped with a note.
//!
//! # API
//! [`extract_dns`] takes raw bytes: a capture file is recognized by its magic number, anything
//! else that is UTF-8 text is read as a paste, and other binary data as the bytes themselves.
//! It returns an [`Extraction`]: the detected [`InputFormat`] (and the formats that would read
//! the same bytes), every [`ExtractedMessage`] found (its frame, [`Layer`]s, DNS bytes, offset in
//! the frame, capture timestamp) and notes for the user. [`ExtractedMessage::layers_summary`]
//! says it in one line: `Linux SLL2 → IPv6 → UDP 53 → 35257 → DNS, 94 bytes`.
//! [`ExtractOptions::forced_offset`] overrides the guess: the DNS message starts at that offset
//! of each frame. Failures are typed ([`InputError`]): empty input, malformed text with its line,
//! a damaged capture with its byte offset, no DNS found with the reason.
//!
//! The [`write`] module writes bytes back in each text format (tests check that reading what it
//! writes gives the bytes back; the page can offer "copy as").

mod base64_text;
mod capture;
mod detect;
mod dump;
mod error;
mod frame;
mod hex;
mod literal;
mod shared;
pub mod write;

use std::fmt;

use serde::{Serialize, Serializer};

pub use capture::MAXIMUM_FRAME_LENGTH;
pub use dump::MAXIMUM_DUMP_BYTES;
pub use error::InputError;
pub use frame::Layer;
pub use hex::parse_hex_text;
pub use shared::SharedBytes;

use detect::TextParse;
use frame::{FrameDns, LinkKind};

/// The input formats dnslab recognizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// Wireshark "Copy as Hex Stream": `3a0901200001...` on one line.
    WiresharkHexStream,
    /// Hex bytes separated by spaces (either case): `3A 09 01 20`.
    SpacedHex,
    /// Hex bytes separated by colons or dashes: `3a:09:01:20`.
    ColonHex,
    /// Wireshark "Copy as Hex Dump": `0000   3a 09 ...` without an ASCII column.
    WiresharkHexDump,
    /// Wireshark "Copy as Hex + ASCII Dump": `0000   3a 09 ...   :.. ...`.
    WiresharkHexAsciiDump,
    /// `tshark -x`: `0000  3a 09 ...   :.. ...`, with named data sources when reassembled.
    TsharkHex,
    /// `tcpdump -x`: 16-bit words from the IP header on.
    TcpdumpHex,
    /// `tcpdump -xx`: 16-bit words from the link header on.
    TcpdumpHexWithLink,
    /// `tcpdump -X`: words and ASCII from the IP header on.
    TcpdumpHexAscii,
    /// `tcpdump -XX`: words and ASCII from the link header on.
    TcpdumpHexAsciiWithLink,
    /// `xxd`: `00000000: 3a09 0120 ...  :.. ...`.
    Xxd,
    /// `xxd -p`: plain hex, 60 digits a line.
    XxdPlain,
    /// `xxd -i`: a C array with padded `0x00` bytes and a `_len` line.
    XxdInclude,
    /// `hexdump -C`: `00000000  3a 09 ... |:.. ...|` and a final length line.
    HexdumpCanonical,
    /// `od -Ax -tx1`: `000000 3a 09 ...` and a final length line.
    Od,
    /// Standard base64 (`+/`).
    Base64,
    /// URL-safe base64 (`-_`, RFC 4648 §5).
    Base64Url,
    /// A DNS over HTTPS GET URL with the message in `?dns=` (RFC 8484).
    DohUrl,
    /// A C array, as Wireshark's "Copy as C Array" (`0x0` unpadded) or written by hand.
    CArray,
    /// A Go byte slice literal: `[]byte{0x3a, ...}`.
    GoLiteral,
    /// A C string with octal and `\a \b \t \n \v \f \r` escapes and printable characters.
    CString,
    /// An escaped string: `"\x3a\x09..." \` lines, every byte as `\x`.
    EscapedString,
    /// Wireshark's "Export Packet Dissections as C Arrays": one `pktN` array per packet.
    WiresharkCArrays,
    /// A pcap capture file.
    Pcap,
    /// A pcapng capture file.
    PcapNg,
    /// Binary data that is neither a capture file nor text: the bytes themselves.
    RawBytes,
}

impl InputFormat {
    /// Every format, in documentation order.
    pub const ALL: [InputFormat; 26] = [
        InputFormat::WiresharkHexStream,
        InputFormat::SpacedHex,
        InputFormat::ColonHex,
        InputFormat::WiresharkHexDump,
        InputFormat::WiresharkHexAsciiDump,
        InputFormat::TsharkHex,
        InputFormat::TcpdumpHex,
        InputFormat::TcpdumpHexWithLink,
        InputFormat::TcpdumpHexAscii,
        InputFormat::TcpdumpHexAsciiWithLink,
        InputFormat::Xxd,
        InputFormat::XxdPlain,
        InputFormat::XxdInclude,
        InputFormat::HexdumpCanonical,
        InputFormat::Od,
        InputFormat::Base64,
        InputFormat::Base64Url,
        InputFormat::DohUrl,
        InputFormat::CArray,
        InputFormat::GoLiteral,
        InputFormat::CString,
        InputFormat::EscapedString,
        InputFormat::WiresharkCArrays,
        InputFormat::Pcap,
        InputFormat::PcapNg,
        InputFormat::RawBytes,
    ];

    /// The name shown to users, e.g. "Wireshark hex stream", "tcpdump -xx", "pcapng".
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::WiresharkHexStream => "Wireshark hex stream",
            InputFormat::SpacedHex => "spaced hex",
            InputFormat::ColonHex => "colon-separated hex",
            InputFormat::WiresharkHexDump => "Wireshark hex dump",
            InputFormat::WiresharkHexAsciiDump => "Wireshark hex + ASCII dump",
            InputFormat::TsharkHex => "tshark -x",
            InputFormat::TcpdumpHex => "tcpdump -x",
            InputFormat::TcpdumpHexWithLink => "tcpdump -xx",
            InputFormat::TcpdumpHexAscii => "tcpdump -X",
            InputFormat::TcpdumpHexAsciiWithLink => "tcpdump -XX",
            InputFormat::Xxd => "xxd",
            InputFormat::XxdPlain => "xxd -p",
            InputFormat::XxdInclude => "xxd -i",
            InputFormat::HexdumpCanonical => "hexdump -C",
            InputFormat::Od => "od -Ax -tx1",
            InputFormat::Base64 => "base64",
            InputFormat::Base64Url => "base64url",
            InputFormat::DohUrl => "DoH URL (?dns=)",
            InputFormat::CArray => "C array",
            InputFormat::GoLiteral => "Go byte slice",
            InputFormat::CString => "C string",
            InputFormat::EscapedString => "escaped string",
            InputFormat::WiresharkCArrays => "Wireshark C arrays export",
            InputFormat::Pcap => "pcap",
            InputFormat::PcapNg => "pcapng",
            InputFormat::RawBytes => "raw bytes",
        }
    }

    /// The reading a parser reports before the frame is sliced: tcpdump's `-x` and `-xx`
    /// look alike until the link layer is known.
    fn reading_family(self) -> InputFormat {
        match self {
            InputFormat::TcpdumpHexWithLink => InputFormat::TcpdumpHex,
            InputFormat::TcpdumpHexAsciiWithLink => InputFormat::TcpdumpHexAscii,
            other => other,
        }
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.name())
    }
}

impl Serialize for InputFormat {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// Choices that override the detector.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtractOptions {
    /// The DNS message starts at this offset of each frame (after any bytes the user knows are
    /// headers); no link or transport layer is guessed.
    pub forced_offset: Option<usize>,
    /// Read the text as this format only.
    pub forced_format: Option<InputFormat>,
}

/// When a frame was captured: seconds and nanoseconds since 1970-01-01 UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Timestamp {
    /// Whole seconds since the epoch.
    pub seconds: i64,
    /// Nanoseconds within the second.
    pub nanoseconds: u32,
}

fn serialize_as_hex<S: Serializer>(bytes: &SharedBytes, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&crate::dissect::text::lower_hex(bytes))
}

/// One DNS message found in the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtractedMessage {
    /// Which frame (packet) of the input it came from, counting from 0.
    pub frame_index: usize,
    /// The data source it was read from, when a frame had several (`Reassembled TCP (62 bytes)`).
    pub data_source: Option<String>,
    /// The layers around the message, outermost first (empty for bare DNS bytes).
    pub layers: Vec<Layer>,
    /// The DNS message itself, without any TCP length prefix (a range of the input's one copy).
    #[serde(serialize_with = "serialize_as_hex")]
    pub dns: SharedBytes,
    /// Offset of the DNS message's first byte in the frame (or data source).
    pub dns_offset_in_frame: usize,
    /// True when a 2-byte TCP length prefix came right before the message.
    pub tcp_length_prefix: bool,
    /// Capture time, for capture files.
    pub timestamp: Option<Timestamp>,
    /// Length of the frame (or data source) the message was found in.
    pub frame_length: usize,
    /// The bytes of that frame (or data source), so a viewer can show the layers around the
    /// message: `dns` is `frame[dns_offset_in_frame..][..dns.len()]`. Empty for a message
    /// reassembled from several TCP segments, which no one frame holds.
    #[serde(skip)]
    pub frame: SharedBytes,
}

impl ExtractedMessage {
    /// The layers in one line: `Linux SLL2 → IPv6 → UDP 53 → 35257 → DNS, 94 bytes`.
    pub fn layers_summary(&self) -> String {
        let mut parts: Vec<String> = self.layers.iter().map(ToString::to_string).collect();
        if self.tcp_length_prefix {
            parts.push("2-byte length".to_string());
        }
        parts.push(format!("DNS, {} bytes", self.dns.len()));
        parts.join(" → ")
    }
}

/// Everything found in the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Extraction {
    /// The detected format.
    pub format: InputFormat,
    /// Other formats that read the same text to the same bytes (e.g. a one-line `xxd -p` is
    /// also a Wireshark hex stream).
    pub alternative_formats: Vec<InputFormat>,
    /// How many frames (packets) the input held, with or without DNS.
    pub frame_count: usize,
    /// The DNS messages found, in input order; never empty.
    pub messages: Vec<ExtractedMessage>,
    /// Things the user should know: skipped frames, truncations, other data sources.
    pub notes: Vec<String>,
}

impl Extraction {
    /// The first message's [`ExtractedMessage::layers_summary`].
    pub fn layers_summary(&self) -> String {
        self.messages
            .first()
            .map(ExtractedMessage::layers_summary)
            .unwrap_or_default()
    }
}

/// Finds the DNS messages in `input`: a capture file, a paste (UTF-8 text), or bare bytes.
/// See the [module documentation](self).
pub fn extract_dns(input: &[u8], options: &ExtractOptions) -> Result<Extraction, InputError> {
    Extractor::new(input, options)?.finish()
}

/// Text has no NUL or other control characters than white space.
fn looks_like_text(text: &str) -> bool {
    !text
        .chars()
        .any(|character| character.is_control() && !character.is_whitespace())
}

/// What is known of a frame's link layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FrameLink {
    /// From a capture file, a link type we slice.
    Known(LinkKind),
    /// From a capture file, a link type we do not know (its number).
    UnknownType(u32),
    /// From a paste: anything goes.
    Unknown,
}

/// A frame of a capture file waiting to be sliced: where it is in the file (a dozen words, where
/// a [`PendingFrame`] for each of a large capture's frames would be a hundred bytes apiece).
#[derive(Debug)]
struct QueuedFrame {
    range: std::ops::Range<usize>,
    link: FrameLink,
    timestamp: Option<Timestamp>,
}

/// A frame waiting to be sliced: one or more data sources.
#[derive(Debug)]
struct PendingFrame {
    /// The first data source (a capture's frames have only this one).
    first_source: (Option<String>, SharedBytes),
    /// The others (a paste of Wireshark's bytes pane with reassembled data); no allocation when
    /// there are none.
    more_sources: Vec<(Option<String>, SharedBytes)>,
    link: FrameLink,
    timestamp: Option<Timestamp>,
}

impl PendingFrame {
    fn single(bytes: SharedBytes, link: FrameLink, timestamp: Option<Timestamp>) -> PendingFrame {
        PendingFrame {
            first_source: (None, bytes),
            more_sources: Vec::new(),
            link,
            timestamp,
        }
    }

    fn source_count(&self) -> usize {
        1 + self.more_sources.len()
    }

    /// Data source `index`, counting from 0.
    fn source(&self, index: usize) -> Option<&(Option<String>, SharedBytes)> {
        match index {
            0 => Some(&self.first_source),
            _ => self.more_sources.get(index - 1),
        }
    }

    fn sources(&self) -> impl Iterator<Item = &(Option<String>, SharedBytes)> {
        std::iter::once(&self.first_source).chain(&self.more_sources)
    }
}

/// The messages of one reading and how believable they are.
#[derive(Debug)]
struct Harvest {
    messages: Vec<ExtractedMessage>,
    notes: Vec<String>,
    /// The plausibility of each message, by its position in `messages`, where slicing its frame
    /// already worked it out (see [`Harvest::plausibility`]).
    weighed: Vec<Option<u32>>,
    /// Why the frames held no DNS, when they did not.
    failure: Option<String>,
}

impl Harvest {
    /// Least plausibility among the messages (0 when none). Worked out when asked: ranking the
    /// readings of a text needs it, a capture (one reading) does not.
    fn plausibility(&self) -> u32 {
        self.messages
            .iter()
            .enumerate()
            .map(|(index, message)| {
                self.weighed
                    .get(index)
                    .copied()
                    .flatten()
                    .unwrap_or_else(|| frame::dns_plausibility(&message.dns))
            })
            .min()
            .unwrap_or(0)
    }
}

/// Slices every frame and collects its DNS messages.
fn harvest(frames: &[PendingFrame], options: &ExtractOptions) -> Result<Harvest, InputError> {
    let mut harvester = Harvester::new(frames.len());
    for (frame_index, frame) in frames.iter().enumerate() {
        harvester.take(frame_index, frame, options)?;
    }
    Ok(harvester.finish(frames.len()))
}

/// A harvest in progress: frames are given one at a time ([`Harvester::take`]), so that a large
/// capture can be read in slices ([`Extractor`]).
#[derive(Debug)]
struct Harvester {
    messages: Vec<ExtractedMessage>,
    notes: Vec<String>,
    first_failure: Option<String>,
    frames_without_dns: usize,
    unknown_link_types: Vec<u32>,
    several_frames: bool,
    streams: TcpStreams,
    /// TCP connections off the DNS ports that have carried a message read as DNS: a message
    /// begun in their later segments is reassembled too (a zone transfer from a server on a
    /// test port, say), where a connection never seen to carry DNS is left alone.
    dns_connections: DnsConnections,
    /// The plausibility of the messages read straight from a frame, by their position in
    /// `messages`, where slicing the frame worked it out.
    weighed: Vec<Option<u32>>,
}

impl Harvester {
    fn new(frame_count: usize) -> Harvester {
        Harvester {
            // Most frames of a DNS capture hold one message each: one allocation, not a dozen
            // doublings.
            messages: Vec::with_capacity(frame_count),
            notes: Vec::new(),
            first_failure: None,
            frames_without_dns: 0,
            unknown_link_types: Vec::new(),
            several_frames: frame_count > 1,
            streams: TcpStreams::default(),
            dns_connections: DnsConnections::default(),
            weighed: Vec::with_capacity(frame_count),
        }
    }

    /// Slices frame `frame_index` and keeps its messages.
    fn take(
        &mut self,
        frame_index: usize,
        frame: &PendingFrame,
        options: &ExtractOptions,
    ) -> Result<(), InputError> {
        if let Some(offset) = options.forced_offset {
            let (name, bytes) = &frame.first_source;
            let Some(dns) = bytes
                .slice(offset..bytes.len())
                .filter(|dns| !dns.is_empty())
            else {
                if frame_index == 0 {
                    return Err(InputError::ForcedOffsetOutOfRange {
                        offset,
                        length: bytes.len(),
                    });
                }
                self.frames_without_dns += 1;
                return Ok(());
            };
            self.messages.push(ExtractedMessage {
                frame_index,
                data_source: name.clone(),
                layers: if offset > 0 {
                    vec![Layer::Skipped { length: offset }]
                } else {
                    Vec::new()
                },
                dns,
                dns_offset_in_frame: offset,
                tcp_length_prefix: false,
                timestamp: frame.timestamp,
                frame_length: bytes.len(),
                frame: bytes.clone(),
            });
            return Ok(());
        }

        // Slice every data source; the one with the most plausible DNS wins.
        let mut best: Option<(usize, FrameDns)> = None;
        for (source_index, (_, bytes)) in frame.sources().enumerate() {
            let found = match frame.link {
                FrameLink::Known(link) => frame::interpret_frame(bytes, link),
                FrameLink::UnknownType(link_type) => {
                    if !self.unknown_link_types.contains(&link_type) {
                        self.unknown_link_types.push(link_type);
                    }
                    frame::interpret_unknown_frame(bytes)
                }
                FrameLink::Unknown => frame::interpret_unknown_frame(bytes),
            };
            let better = match &best {
                None => true,
                Some((current_index, current)) => {
                    let current_bytes = frame
                        .source(*current_index)
                        .map_or(&[][..], |(_, bytes)| bytes.as_slice());
                    (!found.messages.is_empty() && current.messages.is_empty())
                        || (!found.messages.is_empty()
                            && found.score(bytes) > current.score(current_bytes))
                }
            };
            if better {
                best = Some((source_index, found));
            }
        }
        let Some((source_index, mut found)) = best else {
            return Ok(());
        };
        // The data source read (the one `best` was found in).
        let Some((source_name, bytes)) = frame.source(source_index) else {
            return Ok(());
        };
        // Reassemble DNS streams only: in a capture, TCP on other ports (HTTP...) is not DNS.
        let may_be_dns_stream = found.on_dns_port
            || !self.several_frames
            || found
                .tcp_segment
                .as_ref()
                .is_some_and(|segment| self.dns_connections.contains(segment.flow));
        if let Some(segment) = found.tcp_segment.clone().filter(|_| may_be_dns_stream) {
            let context = SegmentContext {
                frame_index,
                layers: &found.layers,
                timestamp: frame.timestamp,
                bytes,
            };
            if self
                .streams
                .continue_stream(&segment, &context, &mut self.messages, &mut self.notes)
            {
                // The segment belongs to a message begun earlier: it is not read on its own.
                return Ok(());
            }
            if let Some(start) = segment.incomplete_from {
                self.streams.start_stream(&segment, start, &context);
                // The unfinished message is reported once reassembled (or, failing that, at the
                // end, cut short).
                found.messages.retain(|message| message.offset < start);
                if found.messages.is_empty() && found.failure.is_none() {
                    found.failure =
                        Some("the TCP segment holds only the start of a DNS message".to_string());
                }
            }
        }
        // In a capture with several frames, other traffic is not DNS: keep a payload only if it
        // is on a DNS port or reads as a DNS message.
        let believable = !self.several_frames
            || found.on_dns_port
            || found
                .messages
                .iter()
                .all(|message| message.reads_as_dns(bytes));
        if found.messages.is_empty() || !believable {
            self.frames_without_dns += 1;
            if self.first_failure.is_none() {
                let reason = found.failure.clone().unwrap_or_else(|| {
                    "the payload is not on a DNS port and does not read as DNS".to_string()
                });
                self.first_failure = Some(if self.several_frames {
                    format!("frame {}: {reason}", frame_index + 1)
                } else {
                    reason
                });
            }
            return Ok(());
        }
        if let Some(segment) = &found.tcp_segment {
            if !found.on_dns_port {
                self.dns_connections.insert(segment.flow);
            }
        }
        if frame.source_count() > 1 {
            let others: Vec<String> = frame
                .sources()
                .enumerate()
                .filter(|(index, _)| *index != source_index)
                .map(|(index, (name, _))| {
                    name.clone()
                        .unwrap_or_else(|| format!("data source {}", index + 1))
                })
                .collect();
            self.notes.push(format!(
                "frame {}: DNS read from {}; also present: {}",
                frame_index + 1,
                source_name.as_deref().unwrap_or("the first data source"),
                others.join(", ")
            ));
        }
        for note in &found.notes {
            self.notes.push(if self.several_frames {
                format!("frame {}: {note}", frame_index + 1)
            } else {
                note.clone()
            });
        }
        let message_count = found.messages.len();
        for (position, message) in found.messages.iter().enumerate() {
            let Some(dns) = bytes.slice(message.offset..message.offset + message.length) else {
                continue;
            };
            self.weighed.resize(self.messages.len(), None);
            self.weighed.push(message.known_plausibility());
            // The last message takes the frame's layers; the others (a segment holding several)
            // get copies.
            let layers = if position + 1 == message_count {
                std::mem::take(&mut found.layers)
            } else {
                found.layers.clone()
            };
            self.messages.push(ExtractedMessage {
                frame_index,
                data_source: source_name.clone(),
                layers,
                dns,
                dns_offset_in_frame: message.offset,
                tcp_length_prefix: message.tcp_length_prefix,
                timestamp: frame.timestamp,
                frame_length: bytes.len(),
                frame: bytes.clone(),
            });
        }
        Ok(())
    }

    /// The harvest of the `frame_count` frames taken.
    fn finish(mut self, frame_count: usize) -> Harvest {
        self.streams.finish(&mut self.messages, &mut self.notes);
        let Harvester {
            mut messages,
            mut notes,
            first_failure,
            frames_without_dns,
            unknown_link_types,
            several_frames,
            mut weighed,
            ..
        } = self;
        // Reassembled and unfinished messages come out late: put everything back in frame
        // order, `weighed` too (messages are only appended until here, so it names them by
        // position; the stable sort moves both the same way, their keys being the same).
        weighed.resize(messages.len(), None);
        let mut weighed: Vec<(usize, Option<u32>)> = messages
            .iter()
            .map(|message| message.frame_index)
            .zip(weighed)
            .collect();
        crate::sort::sort_by_key(&mut weighed, |(frame_index, _)| *frame_index);
        let weighed = weighed
            .into_iter()
            .map(|(_, plausibility)| plausibility)
            .collect();
        crate::sort::sort_by_key(&mut messages, |message| message.frame_index);
        for link_type in unknown_link_types {
            notes.push(format!(
                "link type {link_type} is not one dnslab knows: its frames were sliced by guessing"
            ));
        }
        if frames_without_dns > 0 && several_frames {
            notes.push(format!(
                "{frames_without_dns} of {frame_count} frames carry no DNS message (handshakes, acknowledgements, other traffic) and were skipped"
            ));
        }
        Harvest {
            messages,
            notes,
            weighed,
            failure: first_failure,
        }
    }
}

/// A TCP flow's two ends, the same whichever way a segment goes.
type ConnectionKey = ((std::net::IpAddr, u16), (std::net::IpAddr, u16));

/// The TCP connections seen to carry DNS ([`Harvester::dns_connections`]). At most
/// [`DnsConnections::MAXIMUM`] are kept: past that the set starts again, which only costs the
/// reassembly of a message begun in a connection off the DNS ports seen before the restart.
#[derive(Debug, Default)]
struct DnsConnections {
    keys: std::collections::HashSet<ConnectionKey>,
}

impl DnsConnections {
    const MAXIMUM: usize = 4096;

    fn key(flow: (std::net::IpAddr, u16, std::net::IpAddr, u16)) -> ConnectionKey {
        let (source, destination) = ((flow.0, flow.1), (flow.2, flow.3));
        if source <= destination {
            (source, destination)
        } else {
            (destination, source)
        }
    }

    fn contains(&self, flow: (std::net::IpAddr, u16, std::net::IpAddr, u16)) -> bool {
        !self.keys.is_empty() && self.keys.contains(&Self::key(flow))
    }

    fn insert(&mut self, flow: (std::net::IpAddr, u16, std::net::IpAddr, u16)) {
        if self.keys.len() >= Self::MAXIMUM {
            self.keys.clear();
        }
        self.keys.insert(Self::key(flow));
    }
}

/// Where a TCP segment came from, for the messages reassembly reports.
struct SegmentContext<'a, 'b> {
    frame_index: usize,
    layers: &'b [Layer],
    timestamp: Option<Timestamp>,
    /// The frame (or data source) bytes the segment's offsets refer to.
    bytes: &'a [u8],
}

/// A DNS message begun in one TCP segment and continued in later ones.
#[derive(Debug)]
struct PendingStream {
    flow: (std::net::IpAddr, u16, std::net::IpAddr, u16),
    /// Sequence number the next segment must have to continue the message.
    next_sequence: u32,
    /// The unfinished bytes, starting with the message's length prefix.
    buffer: Vec<u8>,
    /// Where the message began: reported as such if it never completes.
    first_frame_index: usize,
    first_layers: Vec<Layer>,
    first_timestamp: Option<Timestamp>,
    first_offset: usize,
    first_frame_length: usize,
}

/// Reassembles DNS messages that span TCP segments (in order, no retransmissions): enough for
/// captures of DNS over TCP, where a message larger than a segment, or a length prefix written
/// separately, is common.
#[derive(Debug, Default)]
struct TcpStreams {
    pending: Vec<PendingStream>,
}

impl TcpStreams {
    /// Streams tracked at once; a capture with more unfinished messages drops the oldest.
    const MAXIMUM_STREAMS: usize = 256;

    fn start_stream(
        &mut self,
        segment: &frame::TcpSegment,
        start: usize,
        context: &SegmentContext<'_, '_>,
    ) {
        let end = segment.payload_offset + segment.payload_length;
        let Some(tail) = context.bytes.get(start..end) else {
            return;
        };
        self.pending.retain(|stream| stream.flow != segment.flow);
        if self.pending.len() >= Self::MAXIMUM_STREAMS {
            self.pending.remove(0);
        }
        self.pending.push(PendingStream {
            flow: segment.flow,
            next_sequence: segment
                .sequence_number
                .wrapping_add(u32::try_from(segment.payload_length).unwrap_or(u32::MAX)),
            buffer: tail.to_vec(),
            first_frame_index: context.frame_index,
            first_layers: context.layers.to_vec(),
            first_timestamp: context.timestamp,
            first_offset: start + 2,
            first_frame_length: context.bytes.len(),
        });
    }

    /// Feeds a segment to the stream it continues, if any; reports completed messages.
    fn continue_stream(
        &mut self,
        segment: &frame::TcpSegment,
        context: &SegmentContext<'_, '_>,
        messages: &mut Vec<ExtractedMessage>,
        notes: &mut Vec<String>,
    ) -> bool {
        let Some(index) = self.pending.iter().position(|stream| {
            stream.flow == segment.flow && stream.next_sequence == segment.sequence_number
        }) else {
            return false;
        };
        if segment.payload_length == 0 {
            return false;
        }
        let Some(payload) = context
            .bytes
            .get(segment.payload_offset..segment.payload_offset + segment.payload_length)
        else {
            return false;
        };
        let mut stream = self.pending.remove(index);
        stream.buffer.extend_from_slice(payload);
        stream.next_sequence = stream
            .next_sequence
            .wrapping_add(u32::try_from(payload.len()).unwrap_or(u32::MAX));
        // Until the announced length has arrived there is nothing to split: waiting keeps a
        // message cut into many tiny segments linear to reassemble.
        let announced = match stream.buffer.get(..2) {
            Some([high, low]) => 2 + usize::from(u16::from_be_bytes([*high, *low])),
            _ => 2,
        };
        if stream.buffer.len() < announced {
            self.pending.push(stream);
            return true;
        }
        let split = frame::split_length_prefixed(&stream.buffer, 0);
        let complete_end = split.incomplete_from.unwrap_or(stream.buffer.len());
        let source_name = format!("Reassembled TCP ({complete_end} bytes)");
        for message in &split.messages {
            if message.offset >= complete_end {
                continue;
            }
            let Some(dns) = stream
                .buffer
                .get(message.offset..message.offset + message.length)
            else {
                continue;
            };
            messages.push(ExtractedMessage {
                frame_index: context.frame_index,
                data_source: Some(source_name.clone()),
                layers: context.layers.to_vec(),
                dns: SharedBytes::from(dns),
                dns_offset_in_frame: message.offset,
                tcp_length_prefix: true,
                timestamp: context.timestamp,
                frame_length: complete_end,
                frame: SharedBytes::default(),
            });
        }
        if complete_end > 0 {
            notes.push(format!(
                "frame {}: a DNS message begun in frame {} was reassembled from the TCP stream ({complete_end} bytes)",
                context.frame_index + 1,
                stream.first_frame_index + 1
            ));
        }
        if let Some(start) = split.incomplete_from {
            // The rest waits for the next segment.
            stream.buffer.drain(..start);
            if start > 0 {
                stream.first_frame_index = context.frame_index;
                stream.first_layers = context.layers.to_vec();
                stream.first_timestamp = context.timestamp;
                stream.first_offset = 2;
                stream.first_frame_length = stream.buffer.len();
            }
            self.pending.push(stream);
        }
        true
    }

    /// Reports the messages the capture never finished, cut short.
    fn finish(&mut self, messages: &mut Vec<ExtractedMessage>, notes: &mut Vec<String>) {
        for stream in self.pending.drain(..) {
            let Some(dns) = stream.buffer.get(2..).filter(|dns| !dns.is_empty()) else {
                continue;
            };
            notes.push(format!(
                "frame {}: the input ends before the rest of the DNS message that starts there",
                stream.first_frame_index + 1
            ));
            messages.push(ExtractedMessage {
                frame_index: stream.first_frame_index,
                data_source: None,
                layers: stream.first_layers,
                dns: SharedBytes::from(dns),
                dns_offset_in_frame: stream.first_offset,
                tcp_length_prefix: true,
                timestamp: stream.first_timestamp,
                frame_length: stream.first_frame_length,
                frame: SharedBytes::default(),
            });
        }
    }
}

/// Turns a harvest into the final extraction, or the error saying why there is no DNS.
fn extraction_from_harvest(
    format: InputFormat,
    frame_count: usize,
    harvest: Harvest,
    mut notes: Vec<String>,
) -> Result<Extraction, InputError> {
    if harvest.messages.is_empty() {
        return Err(InputError::NoDnsFound {
            reason: harvest
                .failure
                .unwrap_or_else(|| "the input holds no frames".to_string()),
        });
    }
    notes.extend(harvest.notes);
    Ok(Extraction {
        format,
        alternative_formats: Vec::new(),
        frame_count,
        messages: harvest.messages,
        notes,
    })
}

/// [`extract_dns`] a slice of frames at a time, so that a page can show its progress through a
/// large capture and stay responsive: [`Extractor::new`], then [`Extractor::step`] until it says
/// it is done, then [`Extractor::finish`] (which also does whatever steps were left). Texts and
/// bare bytes are read whole by `new`; only capture files are read in steps. The result is
/// exactly `extract_dns`'s, whatever the steps (`extract_dns` is this, in one step).
#[derive(Debug)]
pub struct Extractor {
    work: ExtractorWork,
}

// One per decode, never in a collection: the size of its largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
enum ExtractorWork {
    /// A capture, sliced frame by frame.
    Frames {
        format: InputFormat,
        /// The file's one copy, which the frames are ranges of.
        file: SharedBytes,
        frames: Vec<QueuedFrame>,
        /// The capture reader's notes, which come first.
        notes: Vec<String>,
        options: ExtractOptions,
        harvester: Harvester,
        /// The next frame to take.
        next: usize,
        /// Why the extraction failed, once it has.
        failure: Option<InputError>,
    },
    /// Read whole.
    Done(Result<Extraction, InputError>),
}

impl Extractor {
    /// Reads the container: a capture file's frames (not yet sliced), or the whole of a text or
    /// of bare bytes. Fails as [`extract_dns`] does on empty input and damaged captures.
    pub fn new(input: &[u8], options: &ExtractOptions) -> Result<Extractor, InputError> {
        if input.iter().all(u8::is_ascii_whitespace) {
            return Err(InputError::Empty);
        }
        if capture::sniff_capture(input).is_none() {
            let whole = match std::str::from_utf8(input) {
                // A byte-order mark from a Windows editor is not part of the paste.
                Ok(text) if looks_like_text(text) => {
                    extract_from_text(text.trim_start_matches('\u{feff}'), options)
                }
                _ => {
                    let frames = vec![PendingFrame::single(
                        SharedBytes::from(input),
                        FrameLink::Unknown,
                        None,
                    )];
                    harvest(&frames, options).and_then(|harvest| {
                        extraction_from_harvest(InputFormat::RawBytes, 1, harvest, Vec::new())
                    })
                }
            };
            return Ok(Extractor {
                work: ExtractorWork::Done(whole),
            });
        }
        let capture = capture::read_capture(input)?;
        let format = match capture.kind {
            capture::CaptureKind::Pcap => InputFormat::Pcap,
            capture::CaptureKind::PcapNg => InputFormat::PcapNg,
        };
        // One copy of the file; every frame (and every message found in it) is a range of it.
        let file = SharedBytes::from(input);
        let frames: Vec<QueuedFrame> = capture
            .frames
            .iter()
            .map(|frame| {
                // The reader's frames are parts of the file (one that were not would read as
                // empty bytes).
                let range = frame::offset_within(input, frame.data)
                    .map_or(0..0, |start| start..start + frame.data.len());
                QueuedFrame {
                    range,
                    link: match LinkKind::from_link_type(frame.link_type) {
                        Some(link) => FrameLink::Known(link),
                        None => FrameLink::UnknownType(frame.link_type),
                    },
                    timestamp: frame.timestamp,
                }
            })
            .collect();
        if frames.is_empty() {
            return Err(InputError::NoDnsFound {
                reason: format!("the {format} file holds no packets"),
            });
        }
        Ok(Extractor {
            work: ExtractorWork::Frames {
                format,
                file,
                harvester: Harvester::new(frames.len()),
                frames,
                notes: capture.notes,
                options: options.clone(),
                next: 0,
                failure: None,
            },
        })
    }

    /// How many frames there are to slice (0 for input read whole).
    pub fn frame_count(&self) -> usize {
        match &self.work {
            ExtractorWork::Frames { frames, .. } => frames.len(),
            ExtractorWork::Done(_) => 0,
        }
    }

    /// How many of them are sliced.
    pub fn frames_done(&self) -> usize {
        match &self.work {
            ExtractorWork::Frames { next, .. } => *next,
            ExtractorWork::Done(_) => 0,
        }
    }

    /// Slices up to `frames` more frames; true when there are none left (or it failed).
    pub fn step(&mut self, frames: usize) -> bool {
        let ExtractorWork::Frames {
            file,
            frames: pending,
            options,
            harvester,
            next,
            failure,
            ..
        } = &mut self.work
        else {
            return true;
        };
        let end = next.saturating_add(frames).min(pending.len());
        while failure.is_none() && *next < end {
            if let Some(queued) = pending.get(*next) {
                let bytes = file.slice(queued.range.clone()).unwrap_or_default();
                let frame = PendingFrame::single(bytes, queued.link, queued.timestamp);
                if let Err(error) = harvester.take(*next, &frame, options) {
                    *failure = Some(error);
                }
            }
            *next += 1;
        }
        failure.is_some() || *next >= pending.len()
    }

    /// The extraction: what [`extract_dns`] returns for the same input and options.
    pub fn finish(mut self) -> Result<Extraction, InputError> {
        while !self.step(usize::MAX) {}
        match self.work {
            ExtractorWork::Done(whole) => whole,
            ExtractorWork::Frames {
                format,
                frames,
                notes,
                harvester,
                failure,
                ..
            } => match failure {
                Some(error) => Err(error),
                None => extraction_from_harvest(
                    format,
                    frames.len(),
                    harvester.finish(frames.len()),
                    notes,
                ),
            },
        }
    }
}

/// A text reading together with what its frames hold.
#[derive(Debug)]
struct EvaluatedReading {
    reading: TextParse,
    harvest: Result<Harvest, InputError>,
}

impl EvaluatedReading {
    fn rank(&self) -> (u32, bool, u8) {
        match &self.harvest {
            Ok(harvest) => (
                harvest.plausibility(),
                !harvest.messages.is_empty(),
                self.reading.specificity,
            ),
            Err(_) => (0, false, 0),
        }
    }
}

fn pending_frames(reading: &TextParse) -> Vec<PendingFrame> {
    reading
        .packets
        .iter()
        .map(|packet| {
            let mut sources = packet.sources.iter().map(|source| {
                (
                    source.name.clone(),
                    SharedBytes::from(source.bytes.as_slice()),
                )
            });
            PendingFrame {
                // The parsers make no packet without a source; one would read as empty bytes.
                first_source: sources.next().unwrap_or_default(),
                more_sources: sources.collect(),
                link: FrameLink::Unknown,
                timestamp: None,
            }
        })
        .collect()
}

fn extract_from_text(text: &str, options: &ExtractOptions) -> Result<Extraction, InputError> {
    let mut first_error: Option<InputError> = None;
    let mut evaluated: Vec<EvaluatedReading> = Vec::new();
    for reading in detect::read_text(text) {
        match reading {
            Ok(reading) => {
                if let Some(forced) = options.forced_format {
                    if forced.reading_family() != reading.format.reading_family() {
                        continue;
                    }
                }
                let harvest = harvest(&pending_frames(&reading), options);
                let evaluation = EvaluatedReading { reading, harvest };
                // Weak readings (a run of hex digits read as base64) must earn their place
                // with a DNS message whose counts fit.
                if evaluation.reading.specificity <= 1 && evaluation.rank().0 < 2 {
                    continue;
                }
                evaluated.push(evaluation);
            }
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    let best_index = evaluated
        .iter()
        .enumerate()
        // On equal rank, the first reading (the parsers' order) wins.
        .max_by(|(left_index, left), (right_index, right)| {
            left.rank()
                .cmp(&right.rank())
                .then(right_index.cmp(left_index))
        })
        .map(|(index, _)| index);
    let Some(best_index) = best_index else {
        return Err(first_error.unwrap_or_else(|| InputError::UnrecognizedText {
            reason: match options.forced_format {
                Some(forced) => format!("the text is not {forced}"),
                None => "no hex digits, dump lines, literals or base64 were found".to_string(),
            },
        }));
    };
    let best = evaluated.swap_remove(best_index);
    let mut format = best.reading.format;
    let mut alternative_formats: Vec<InputFormat> = Vec::new();
    for other in &evaluated {
        if other.reading.format != format
            && other.reading.same_bytes_as(&best.reading)
            && !alternative_formats.contains(&other.reading.format)
        {
            alternative_formats.push(other.reading.format);
        }
    }
    let harvest = best.harvest?;
    if harvest.messages.is_empty() {
        return Err(InputError::NoDnsFound {
            reason: harvest
                .failure
                .unwrap_or_else(|| "the text holds no bytes".to_string()),
        });
    }
    // tcpdump: -x and -X start at the IP header, -xx and -XX at the link header.
    if matches!(
        format,
        InputFormat::TcpdumpHex | InputFormat::TcpdumpHexAscii
    ) {
        let with_link = match format {
            InputFormat::TcpdumpHex => InputFormat::TcpdumpHexWithLink,
            _ => InputFormat::TcpdumpHexAsciiWithLink,
        };
        let starts_with_ip = harvest.messages.first().is_some_and(|message| {
            matches!(
                message.layers.first(),
                None | Some(Layer::Ipv4 { .. } | Layer::Ipv6 { .. })
            )
        });
        if starts_with_ip {
            // On a raw-IP capture, -xx prints the same as -x.
            alternative_formats.push(with_link);
        } else {
            format = with_link;
        }
    }
    Ok(Extraction {
        format,
        alternative_formats,
        frame_count: best.reading.packets.len(),
        messages: harvest.messages,
        notes: harvest.notes,
    })
}
