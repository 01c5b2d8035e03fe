//! Frames down to DNS bytes: link layers (Ethernet with VLAN tags, Linux SLL and SLL2, BSD
//! loopback), IPv4/IPv6 and UDP/TCP, and the heuristics that guess the link layer of a pasted
//! frame.
//!
//! The link headers are a few fixed fields, read here by hand (etherparse has no SLL2 or BSD
//! loopback, and we need each header's offset for the layer report); from the EtherType down,
//! etherparse's lax slicer does the work: VLAN tags, IPv4 options, IPv6 extension headers, UDP
//! and TCP, tolerating frames cut short by a snap length.
//!
//! A paste carries no link type, so [`interpret_unknown_frame`] tries every interpretation (bare
//! DNS, DNS with a TCP length prefix, each link layer, raw IP) and keeps the one that yields the
//! most plausible DNS: a message hickory-proto's strict decoder accepts beats one it rejects, a
//! well-known DNS port beats none, and bare bytes win ties.

use std::fmt;
use std::net::IpAddr;

use etherparse::{EtherType, LaxLinkExtSlice, LaxNetSlice, LaxSlicedPacket, TransportSlice};
use serde::Serialize;

use hickory_proto::op::Message;
use hickory_proto::serialize::binary::{BinDecodable, BinDecoder};

use crate::dissect::HEADER_LENGTH;

/// One protocol layer found around a DNS message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "layer", rename_all = "snake_case")]
pub enum Layer {
    /// Ethernet II header.
    Ethernet {
        /// Offset of the header in the frame.
        offset: usize,
        /// The EtherType after the MAC addresses (0x8100 when a VLAN tag follows).
        ether_type: u16,
    },
    /// An IEEE 802.1Q (or 802.1ad QinQ) VLAN tag.
    Vlan {
        /// Offset of the tag in the frame.
        offset: usize,
        /// VLAN identifier, 0 to 4095.
        vlan_id: u16,
        /// The EtherType after the tag.
        ether_type: u16,
    },
    /// Linux "cooked" capture header, version 1 (16 bytes).
    LinuxSll {
        /// Offset of the header in the frame.
        offset: usize,
        /// Protocol type (an EtherType).
        protocol: u16,
    },
    /// Linux "cooked" capture header, version 2 (20 bytes).
    LinuxSll2 {
        /// Offset of the header in the frame.
        offset: usize,
        /// Protocol type (an EtherType).
        protocol: u16,
        /// Interface index on the capturing host.
        interface_index: u32,
    },
    /// BSD loopback / NULL header: a 4-byte address family.
    Loopback {
        /// Offset of the header in the frame.
        offset: usize,
        /// The address family as read (2 for IPv4; 24, 28 or 30 for IPv6 depending on the OS).
        family: u32,
    },
    /// IPv4 header.
    Ipv4 {
        /// Offset of the header in the frame.
        offset: usize,
        /// Header length in bytes (more than 20 when options are present).
        header_length: usize,
        /// Source address.
        source: IpAddr,
        /// Destination address.
        destination: IpAddr,
        /// True when this is a fragment (the transport header may be missing).
        fragmented: bool,
    },
    /// IPv6 header and its extension headers.
    Ipv6 {
        /// Offset of the fixed header in the frame.
        offset: usize,
        /// Names of the extension headers, in order.
        extension_headers: Vec<&'static str>,
        /// Source address.
        source: IpAddr,
        /// Destination address.
        destination: IpAddr,
        /// True when a Fragment header makes this a fragment.
        fragmented: bool,
    },
    /// UDP header.
    Udp {
        /// Offset of the header in the frame.
        offset: usize,
        /// Source port.
        source_port: u16,
        /// Destination port.
        destination_port: u16,
    },
    /// TCP header.
    Tcp {
        /// Offset of the header in the frame.
        offset: usize,
        /// Source port.
        source_port: u16,
        /// Destination port.
        destination_port: u16,
        /// Sequence number of the segment's first payload byte.
        sequence_number: u32,
    },
    /// Bytes skipped because the user forced the DNS message to start later.
    Skipped {
        /// How many bytes were skipped.
        length: usize,
    },
}

impl Layer {
    /// Source and destination addresses of an IP layer.
    pub fn addresses(&self) -> Option<(IpAddr, IpAddr)> {
        match self {
            Layer::Ipv4 {
                source,
                destination,
                ..
            }
            | Layer::Ipv6 {
                source,
                destination,
                ..
            } => Some((*source, *destination)),
            _ => None,
        }
    }

    /// Source and destination ports of a UDP or TCP layer.
    pub fn ports(&self) -> Option<(u16, u16)> {
        match self {
            Layer::Udp {
                source_port,
                destination_port,
                ..
            }
            | Layer::Tcp {
                source_port,
                destination_port,
                ..
            } => Some((*source_port, *destination_port)),
            _ => None,
        }
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Layer::Ethernet { .. } => formatter.write_str("Ethernet"),
            Layer::Vlan { vlan_id, .. } => write!(formatter, "VLAN {vlan_id}"),
            Layer::LinuxSll { .. } => formatter.write_str("Linux SLL"),
            Layer::LinuxSll2 { .. } => formatter.write_str("Linux SLL2"),
            Layer::Loopback { .. } => formatter.write_str("BSD loopback"),
            Layer::Ipv4 { header_length, .. } if *header_length > 20 => {
                formatter.write_str("IPv4 (with options)")
            }
            Layer::Ipv4 { .. } => formatter.write_str("IPv4"),
            Layer::Ipv6 {
                extension_headers, ..
            } if !extension_headers.is_empty() => {
                write!(formatter, "IPv6 ({})", extension_headers.join(", "))
            }
            Layer::Ipv6 { .. } => formatter.write_str("IPv6"),
            Layer::Udp {
                source_port,
                destination_port,
                ..
            } => write!(formatter, "UDP {source_port} → {destination_port}"),
            Layer::Tcp {
                source_port,
                destination_port,
                ..
            } => write!(formatter, "TCP {source_port} → {destination_port}"),
            Layer::Skipped { length } => write!(formatter, "{length} bytes skipped"),
        }
    }
}

/// Link layers a frame can start with (pcap link types, or guesses for pastes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LinkKind {
    Ethernet,
    LinuxSll,
    LinuxSll2,
    /// BSD loopback: the address family in the capturing host's byte order.
    Null,
    /// OpenBSD loopback: the address family in network byte order.
    Loop,
    /// No link header: the frame starts with an IPv4 or IPv6 header.
    RawIp,
}

impl LinkKind {
    /// The link layer for a pcap/pcapng link type number (<https://www.tcpdump.org/linktypes.html>).
    pub(crate) fn from_link_type(link_type: u32) -> Option<Self> {
        match link_type {
            0 => Some(LinkKind::Null),
            1 => Some(LinkKind::Ethernet),
            // LINKTYPE_RAW, and the DLT_RAW values some systems wrote, LINKTYPE_IPV4/IPV6.
            101 | 12 | 14 | 228 | 229 => Some(LinkKind::RawIp),
            108 => Some(LinkKind::Loop),
            113 => Some(LinkKind::LinuxSll),
            276 => Some(LinkKind::LinuxSll2),
            _ => None,
        }
    }
}

/// Well-known DNS ports: DNS, mDNS, LLMNR, DNS over TLS.
const DNS_PORTS: [u16; 4] = [53, 5353, 5355, 853];

/// Where a DNS message lies in a frame.
#[derive(Debug, Clone)]
pub(crate) struct FoundMessage {
    /// Offset of the DNS header in the frame (after any TCP length prefix).
    pub offset: usize,
    /// Length of the DNS message as present in the frame.
    pub length: usize,
    /// True when the message came after a 2-byte TCP length prefix.
    pub tcp_length_prefix: bool,
    /// [`dns_plausibility`] of its bytes, worked out when first asked: it runs a strict decode,
    /// which most frames of a capture (on a DNS port, one reading) never need.
    plausibility: std::cell::OnceCell<u32>,
}

impl FoundMessage {
    pub fn new(offset: usize, length: usize, tcp_length_prefix: bool) -> FoundMessage {
        FoundMessage {
            offset,
            length,
            tcp_length_prefix,
            plausibility: std::cell::OnceCell::new(),
        }
    }

    /// How much the message looks like DNS ([`dns_plausibility`]); `frame` is the frame it was
    /// found in.
    pub fn plausibility(&self, frame: &[u8]) -> u32 {
        *self.plausibility.get_or_init(|| {
            frame
                .get(self.offset..self.offset + self.length)
                .map_or(0, dns_plausibility)
        })
    }

    /// True when the message's plausibility is at least 2 (its header's counts fit, or it
    /// decodes strictly), worked out the cheap way when it was not known yet.
    pub fn reads_as_dns(&self, frame: &[u8]) -> bool {
        match self.plausibility.get() {
            Some(plausibility) => *plausibility >= 2,
            None => frame
                .get(self.offset..self.offset + self.length)
                .is_some_and(reads_as_dns),
        }
    }

    /// The plausibility, if it was already worked out.
    pub fn known_plausibility(&self) -> Option<u32> {
        self.plausibility.get().copied()
    }
}

/// The same place in the frame, whether or not the plausibility was worked out yet.
impl PartialEq for FoundMessage {
    fn eq(&self, other: &Self) -> bool {
        (self.offset, self.length, self.tcp_length_prefix)
            == (other.offset, other.length, other.tcp_length_prefix)
    }
}

impl Eq for FoundMessage {}

/// The DNS found in one frame under one interpretation.
#[derive(Debug, Clone, Default)]
pub(crate) struct FrameDns {
    pub layers: Vec<Layer>,
    pub messages: Vec<FoundMessage>,
    pub notes: Vec<String>,
    /// What the interpretation earns besides its messages' plausibility ([`FrameDns::score`]):
    /// a well-known port, more layers that check out, an exact length prefix.
    pub score_bonus: u32,
    /// Why no DNS was found, when `messages` is empty.
    pub failure: Option<String>,
    /// True when UDP or TCP uses a well-known DNS port on either side.
    pub on_dns_port: bool,
    /// For TCP frames: what reassembling the stream needs.
    pub tcp_segment: Option<TcpSegment>,
}

impl FrameDns {
    fn failed(reason: String) -> Self {
        FrameDns {
            failure: Some(reason),
            ..FrameDns::default()
        }
    }

    /// How believable this interpretation of `frame` (the frame it was read from) is; higher is
    /// better: the least plausible message counts most.
    pub fn score(&self, frame: &[u8]) -> u32 {
        let plausibility = self
            .messages
            .iter()
            .map(|message| message.plausibility(frame))
            .min()
            .unwrap_or(0);
        plausibility * 100 + self.score_bonus
    }
}

/// How much `bytes` look like a DNS message: 0 (too short), 1 (a header with impossible
/// counts), 2 (a header whose counts fit), 3 (hickory-proto's strict decoder accepts it, uses
/// every byte, and it has at least one question or record).
pub(crate) fn dns_plausibility(bytes: &[u8]) -> u32 {
    let Some(header) = bytes.get(..HEADER_LENGTH) else {
        return 0;
    };
    let mut decoder = BinDecoder::new(bytes);
    let strictly_decoded = Message::read(&mut decoder).is_ok();
    // hickory stops after the counted sections: bytes left over, or nothing counted at all
    // (twelve zero bytes, such as an Ethernet header of a loopback capture), are not a message.
    let counts_anything = header
        .get(4..12)
        .is_some_and(|counts| counts.iter().any(|byte| *byte != 0));
    if strictly_decoded && decoder.is_empty() && counts_anything {
        return 3;
    }
    if header_counts_fit(bytes) {
        2
    } else {
        1
    }
}

/// True when `dns_plausibility(bytes) >= 2`, without the strict decode when the header already
/// says so (it is most of the cost, and a capture asks this of every frame off the DNS ports).
pub(crate) fn reads_as_dns(bytes: &[u8]) -> bool {
    header_counts_fit(bytes) || dns_plausibility(bytes) >= 2
}

/// Level 2 of [`dns_plausibility`]: a known opcode, and room after the header for as many
/// questions and records as it counts.
fn header_counts_fit(bytes: &[u8]) -> bool {
    let Some(header) = bytes.get(..HEADER_LENGTH) else {
        return false;
    };
    let count = |index: usize| {
        u64::from(u16::from_be_bytes([
            header.get(index).copied().unwrap_or(0),
            header.get(index + 1).copied().unwrap_or(0),
        ]))
    };
    let opcode = header.get(2).map_or(0, |flags| (flags >> 3) & 0x0f);
    // A question takes at least 5 bytes (root name, type, class), a record at least 11.
    let minimum_body = count(4) * 5 + (count(6) + count(8) + count(10)) * 11;
    let body = (bytes.len() - HEADER_LENGTH) as u64;
    matches!(opcode, 0..=2 | 4..=6) && minimum_body <= body
}

/// The offset of `part` inside `whole`, when `part` is a sub-slice of it.
pub(crate) fn offset_within(whole: &[u8], part: &[u8]) -> Option<usize> {
    let offset = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    (offset + part.len() <= whole.len()).then_some(offset)
}

/// Names the IPv6 extension headers in `bytes` (the headers etherparse sliced), starting with
/// the fixed header's Next Header value `first`. Lengths are checked against the bytes.
fn ipv6_extension_names(first: u8, bytes: &[u8]) -> Vec<&'static str> {
    let mut names = Vec::new();
    let mut next_header = first;
    let mut position = 0usize;
    // Each header is at least 8 bytes, so this ends; the bound keeps it obvious.
    while position < bytes.len() && names.len() < 64 {
        let (name, length) = match (next_header, bytes.get(position + 1)) {
            (0, Some(length)) => ("Hop-by-Hop Options", (usize::from(*length) + 1) * 8),
            (43, Some(length)) => ("Routing", (usize::from(*length) + 1) * 8),
            (60, Some(length)) => ("Destination Options", (usize::from(*length) + 1) * 8),
            (44, Some(_)) => ("Fragment", 8),
            (51, Some(length)) => ("Authentication", (usize::from(*length) + 2) * 4),
            _ => break,
        };
        names.push(name);
        let Some(following) = bytes.get(position) else {
            break;
        };
        next_header = *following;
        position += length;
    }
    names
}

/// Splits a TCP payload (or bare bytes) into length-prefixed DNS messages.
///
/// Returns the messages and notes about anything left over. `base` is the payload's offset in
/// the frame.
pub(crate) fn split_length_prefixed(payload: &[u8], base: usize) -> LengthPrefixedSplit {
    let mut messages = Vec::new();
    let mut notes = Vec::new();
    let mut incomplete_from = None;
    let mut position = 0usize;
    while position < payload.len() {
        let Some(&[high, low]) = payload.get(position..position + 2) else {
            notes.push(format!(
                "1 byte left after the last DNS message at offset {}",
                base + position
            ));
            incomplete_from = Some(base + position);
            break;
        };
        let declared = usize::from(u16::from_be_bytes([high, low]));
        let start = position + 2;
        let available = payload.len() - start;
        if declared == 0 {
            notes.push(format!(
                "a DNS length prefix of 0 at offset {}",
                base + position
            ));
            break;
        }
        if declared > available {
            notes.push(format!(
                "the TCP length prefix at offset {} announces {declared} bytes but only {available} follow: the message continues in a later segment",
                base + position
            ));
            incomplete_from = Some(base + position);
        }
        let length = declared.min(available);
        if length > 0 {
            messages.push(FoundMessage::new(base + start, length, true));
        }
        position = start + length;
    }
    LengthPrefixedSplit {
        messages,
        notes,
        incomplete_from,
    }
}

/// Length-prefixed DNS messages found in a TCP payload or a byte stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LengthPrefixedSplit {
    /// The messages, the last one cut short when `incomplete_from` is set.
    pub messages: Vec<FoundMessage>,
    pub notes: Vec<String>,
    /// Where (offset of its length prefix) a message starts that the bytes do not finish.
    pub incomplete_from: Option<usize>,
}

/// The TCP facts stream reassembly needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TcpSegment {
    /// Source address and port, destination address and port.
    pub flow: (IpAddr, u16, IpAddr, u16),
    pub sequence_number: u32,
    /// Where the payload lies in the frame.
    pub payload_offset: usize,
    pub payload_length: usize,
    /// Offset in the frame of a DNS message (its length prefix) the segment does not finish.
    pub incomplete_from: Option<usize>,
}

/// Bare DNS bytes, without any prefix.
pub(crate) fn interpret_bare(bytes: &[u8]) -> FrameDns {
    if bytes.is_empty() {
        return FrameDns::failed("there are no bytes".to_string());
    }
    let messages = vec![FoundMessage::new(0, bytes.len(), false)];
    let mut notes = Vec::new();
    if bytes.len() < HEADER_LENGTH {
        notes.push(format!(
            "only {} bytes: a DNS message starts with a 12-byte header",
            bytes.len()
        ));
    }
    FrameDns {
        layers: Vec::new(),
        messages,
        notes,
        score_bonus: 0,
        failure: None,
        on_dns_port: false,
        tcp_segment: None,
    }
}

/// Bare bytes that start with a TCP length prefix (one or several messages).
fn interpret_bare_length_prefixed(bytes: &[u8]) -> FrameDns {
    let LengthPrefixedSplit {
        messages, notes, ..
    } = split_length_prefixed(bytes, 0);
    // Only claim a prefix when the prefixes account for every byte exactly.
    if messages.is_empty() || !notes.is_empty() {
        return FrameDns::failed("the bytes do not start with a matching TCP length".to_string());
    }
    FrameDns {
        layers: Vec::new(),
        messages,
        notes,
        // An exact length match is evidence in itself.
        score_bonus: 5,
        failure: None,
        on_dns_port: false,
        tcp_segment: None,
    }
}

/// Reads the link header and returns its layer, the EtherType it announces and where the
/// network layer starts; `None` as EtherType means "raw IP, version from the first nibble".
fn slice_link_header(
    frame: &[u8],
    link: LinkKind,
) -> Result<(Option<Layer>, Option<u16>, usize), String> {
    let read_u16 = |offset: usize| -> Option<u16> {
        let &[high, low] = frame.get(offset..offset + 2)? else {
            return None;
        };
        Some(u16::from_be_bytes([high, low]))
    };
    let too_short = |needed: usize, name: &str| {
        format!(
            "{} bytes are too short for a {name} header ({needed} bytes)",
            frame.len()
        )
    };
    match link {
        LinkKind::Ethernet => {
            let ether_type = read_u16(12).ok_or_else(|| too_short(14, "Ethernet"))?;
            Ok((
                Some(Layer::Ethernet {
                    offset: 0,
                    ether_type,
                }),
                Some(ether_type),
                14,
            ))
        }
        LinkKind::LinuxSll => {
            let protocol = read_u16(14).ok_or_else(|| too_short(16, "Linux SLL"))?;
            if frame.len() < 16 {
                return Err(too_short(16, "Linux SLL"));
            }
            Ok((
                Some(Layer::LinuxSll {
                    offset: 0,
                    protocol,
                }),
                Some(protocol),
                16,
            ))
        }
        LinkKind::LinuxSll2 => {
            let protocol = read_u16(0).ok_or_else(|| too_short(20, "Linux SLL2"))?;
            let interface: [u8; 4] = frame
                .get(4..8)
                .and_then(|bytes| bytes.try_into().ok())
                .ok_or_else(|| too_short(20, "Linux SLL2"))?;
            if frame.len() < 20 {
                return Err(too_short(20, "Linux SLL2"));
            }
            let interface_index = u32::from_be_bytes(interface);
            Ok((
                Some(Layer::LinuxSll2 {
                    offset: 0,
                    protocol,
                    interface_index,
                }),
                Some(protocol),
                20,
            ))
        }
        LinkKind::Null | LinkKind::Loop => {
            let raw: [u8; 4] = frame
                .get(..4)
                .and_then(|bytes| bytes.try_into().ok())
                .ok_or_else(|| too_short(4, "loopback"))?;
            // DLT_NULL is in the capturing host's byte order, which the file does not say:
            // the small family numbers make the order obvious.
            let family = if link == LinkKind::Loop {
                u32::from_be_bytes(raw)
            } else {
                let little = u32::from_le_bytes(raw);
                let big = u32::from_be_bytes(raw);
                little.min(big)
            };
            let ether_type = match family {
                2 => 0x0800,
                // IPv6 on NetBSD/OpenBSD/Linux, FreeBSD, macOS.
                24 | 28 | 30 | 10 => 0x86dd,
                other => return Err(format!("loopback address family {other} is not IP")),
            };
            Ok((
                Some(Layer::Loopback { offset: 0, family }),
                Some(ether_type),
                4,
            ))
        }
        LinkKind::RawIp => Ok((None, None, 0)),
    }
}

/// Slices a frame whose link layer is known, down to the DNS messages it carries.
pub(crate) fn interpret_frame(frame: &[u8], link: LinkKind) -> FrameDns {
    let (link_layer, ether_type, network_offset) = match slice_link_header(frame, link) {
        Ok(parts) => parts,
        Err(reason) => return FrameDns::failed(reason),
    };
    let Some(network_bytes) = frame.get(network_offset..) else {
        return FrameDns::failed("the frame ends after its link header".to_string());
    };
    let sliced = match ether_type {
        Some(ether_type) => LaxSlicedPacket::from_ether_type(EtherType(ether_type), network_bytes),
        None => match LaxSlicedPacket::from_ip(network_bytes) {
            Ok(sliced) => sliced,
            Err(error) => return FrameDns::failed(format!("not an IP packet: {error}")),
        },
    };
    // Link, IP and transport (a VLAN tag makes four): allocated once, not grown.
    let mut layers: Vec<Layer> = Vec::with_capacity(4);
    layers.extend(link_layer);
    let mut notes = Vec::new();
    for extension in &sliced.link_exts {
        match extension {
            LaxLinkExtSlice::Vlan(vlan) => layers.push(Layer::Vlan {
                offset: offset_within(frame, vlan.slice()).unwrap_or(0),
                vlan_id: vlan.vlan_identifier().value(),
                ether_type: vlan.ether_type().0,
            }),
            LaxLinkExtSlice::Macsec(_) => {
                return FrameDns::failed("MACsec-protected frames are encrypted".to_string())
            }
        }
    }
    let payload = match &sliced.net {
        Some(LaxNetSlice::Ipv4(ipv4)) => {
            let header = ipv4.header();
            let payload = ipv4.payload();
            layers.push(Layer::Ipv4 {
                offset: offset_within(frame, header.slice()).unwrap_or(0),
                header_length: header.slice().len(),
                source: IpAddr::V4(header.source_addr()),
                destination: IpAddr::V4(header.destination_addr()),
                fragmented: payload.fragmented,
            });
            payload
        }
        Some(LaxNetSlice::Ipv6(ipv6)) => {
            let header = ipv6.header();
            // etherparse's extension iterator trusts the slice unchecked, which a lax slice cut
            // by an error breaks (it aborted on a fuzzed paste): walk the bytes ourselves.
            let extension_headers =
                ipv6_extension_names(header.next_header().0, ipv6.extensions().slice());
            let payload = ipv6.payload();
            layers.push(Layer::Ipv6 {
                offset: offset_within(frame, header.slice()).unwrap_or(0),
                extension_headers,
                source: IpAddr::V6(header.source_addr()),
                destination: IpAddr::V6(header.destination_addr()),
                fragmented: payload.fragmented,
            });
            payload
        }
        Some(LaxNetSlice::Arp(_)) => {
            return FrameDns::failed("an ARP packet carries no DNS".to_string())
        }
        None => {
            let reason = match &sliced.stop_err {
                Some((error, _)) => format!("no IP header after the link layer: {error}"),
                None => match ether_type {
                    Some(ether_type) => format!("EtherType {ether_type:#06x} is not IP"),
                    None => "no IP header".to_string(),
                },
            };
            return FrameDns {
                layers,
                failure: Some(reason),
                ..FrameDns::default()
            };
        }
    };
    if payload.incomplete {
        notes.push(
            "the frame is shorter than its IP header says (cut by the capture's snap length?)"
                .to_string(),
        );
    }
    if payload.fragmented {
        return FrameDns {
            layers,
            notes,
            failure: Some(
                "the IP packet is a fragment: reassemble it (Wireshark does) to see the DNS message"
                    .to_string(),
            ),
            ..FrameDns::default()
        };
    }
    let mut tcp_segment = None;
    let (ports, messages, transport_notes) = match &sliced.transport {
        Some(TransportSlice::Udp(udp)) => {
            let ports = (udp.source_port(), udp.destination_port());
            layers.push(Layer::Udp {
                offset: offset_within(frame, udp.slice()).unwrap_or(0),
                source_port: ports.0,
                destination_port: ports.1,
            });
            let payload = udp.payload();
            let messages = match offset_within(frame, payload) {
                Some(offset) if !payload.is_empty() => {
                    vec![FoundMessage::new(offset, payload.len(), false)]
                }
                _ => Vec::new(),
            };
            (ports, messages, Vec::new())
        }
        Some(TransportSlice::Tcp(tcp)) => {
            let ports = (tcp.source_port(), tcp.destination_port());
            layers.push(Layer::Tcp {
                offset: offset_within(frame, tcp.slice()).unwrap_or(0),
                source_port: ports.0,
                destination_port: ports.1,
                sequence_number: tcp.sequence_number(),
            });
            let payload = tcp.payload();
            match offset_within(frame, payload) {
                Some(offset) => {
                    let split = split_length_prefixed(payload, offset);
                    let addresses = layers.iter().find_map(Layer::addresses);
                    if let Some((source, destination)) = addresses {
                        tcp_segment = Some(TcpSegment {
                            flow: (source, ports.0, destination, ports.1),
                            sequence_number: tcp.sequence_number(),
                            payload_offset: offset,
                            payload_length: payload.len(),
                            incomplete_from: split.incomplete_from,
                        });
                    }
                    (ports, split.messages, split.notes)
                }
                None => (ports, Vec::new(), Vec::new()),
            }
        }
        Some(_) => {
            return FrameDns {
                layers,
                notes,
                failure: Some("the IP packet is neither UDP nor TCP".to_string()),
                ..FrameDns::default()
            }
        }
        None => {
            let reason = match &sliced.stop_err {
                Some((error, _)) => format!("the transport header is unreadable: {error}"),
                None => "the IP packet is neither UDP nor TCP".to_string(),
            };
            return FrameDns {
                layers,
                notes,
                failure: Some(reason),
                ..FrameDns::default()
            };
        }
    };
    notes.extend(transport_notes);
    let on_dns_port = DNS_PORTS.contains(&ports.0) || DNS_PORTS.contains(&ports.1);
    if messages.is_empty() {
        let what = match layers.last() {
            Some(Layer::Tcp { .. }) => "a TCP segment without payload (a handshake or an ACK)",
            _ => "a UDP datagram without payload",
        };
        return FrameDns {
            layers,
            notes,
            failure: Some(format!("the frame is {what}")),
            tcp_segment,
            on_dns_port,
            ..FrameDns::default()
        };
    }
    let layer_count = u32::try_from(layers.len()).unwrap_or(u32::MAX).min(9);
    FrameDns {
        score_bonus: u32::from(on_dns_port) * 10 + layer_count,
        layers,
        messages,
        notes,
        failure: None,
        on_dns_port,
        tcp_segment,
    }
}

/// Guesses what a frame of unknown link type is and slices it; the most plausible
/// interpretation wins (see the module documentation).
pub(crate) fn interpret_unknown_frame(frame: &[u8]) -> FrameDns {
    let mut best = interpret_bare(frame);
    let candidates = [
        interpret_bare_length_prefixed(frame),
        interpret_frame(frame, LinkKind::Ethernet),
        interpret_frame(frame, LinkKind::LinuxSll2),
        interpret_frame(frame, LinkKind::LinuxSll),
        interpret_frame(frame, LinkKind::Null),
        interpret_frame(frame, LinkKind::RawIp),
    ];
    let mut structured_failure: Option<FrameDns> = None;
    for candidate in candidates {
        if candidate.failure.is_none() {
            if candidate.score(frame) > best.score(frame) {
                best = candidate;
            }
        } else if structured_failure.is_none()
            && candidate
                .layers
                .iter()
                .any(|layer| matches!(layer, Layer::Udp { .. } | Layer::Tcp { .. }))
        {
            // A frame that slices cleanly down to UDP or TCP but carries no DNS (a handshake,
            // an ACK, a segment holding only a length prefix).
            structured_failure = Some(candidate);
        }
    }
    // Bare bytes that hickory-proto rejects are a weaker reading than a frame whose headers
    // all check out: report the frame and why it holds no DNS.
    match structured_failure {
        Some(failure) if best.layers.is_empty() && best.score(frame) < 300 => failure,
        _ => best,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A DNS query for `a.` type A, ID 0x1234, RD: 12 + 3 + 4 bytes.
    const QUERY: [u8; 19] = [
        0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, b'a', 0x00,
        0x00, 0x01, 0x00, 0x01,
    ];

    #[test]
    fn plausibility_orders_real_messages_above_junk() {
        assert_eq!(dns_plausibility(&QUERY), 3);
        assert_eq!(dns_plausibility(&QUERY[..11]), 0);
        // QDCOUNT 0xffff cannot fit in the bytes.
        let mut impossible = QUERY;
        impossible[4] = 0xff;
        assert_eq!(dns_plausibility(&impossible), 1);
        assert!(!reads_as_dns(&impossible) && reads_as_dns(&QUERY) && !reads_as_dns(&QUERY[..11]));
    }

    proptest::proptest! {
        #[test]
        fn reads_as_dns_is_plausibility_two_or_more(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64),
            // A real query with bytes changed, so the strict decode succeeds often enough.
            changes in proptest::collection::vec((0usize..19, proptest::prelude::any::<u8>()), 0..3),
        ) {
            let mut query = QUERY.to_vec();
            for (index, byte) in changes {
                query[index] = byte;
            }
            for candidate in [bytes, query] {
                proptest::prop_assert_eq!(reads_as_dns(&candidate), dns_plausibility(&candidate) >= 2);
            }
        }
    }

    #[test]
    fn length_prefixed_payloads_split_into_messages() {
        let mut payload = vec![0, 19];
        payload.extend_from_slice(&QUERY);
        payload.extend_from_slice(&[0, 19]);
        payload.extend_from_slice(&QUERY);
        let LengthPrefixedSplit {
            messages,
            notes,
            incomplete_from,
        } = split_length_prefixed(&payload, 100);
        assert!(notes.is_empty());
        assert_eq!(incomplete_from, None);
        assert_eq!(
            messages,
            vec![
                FoundMessage::new(102, 19, true),
                FoundMessage::new(123, 19, true)
            ]
        );
        let frame = [&[0; 100][..], &payload].concat();
        assert!(messages
            .iter()
            .all(|message| message.plausibility(&frame) == 3));
        let split = split_length_prefixed(&payload[..30], 0);
        assert_eq!(split.messages.len(), 2);
        assert_eq!(split.messages[1].length, 7);
        assert_eq!(split.notes.len(), 1);
        assert_eq!(split.incomplete_from, Some(21));
    }

    #[test]
    fn bare_dns_stays_bare() {
        let found = interpret_unknown_frame(&QUERY);
        assert!(found.layers.is_empty());
        assert_eq!(found.messages.len(), 1);
        assert!(!found.messages[0].tcp_length_prefix);
        let mut prefixed = vec![0, 19];
        prefixed.extend_from_slice(&QUERY);
        let found = interpret_unknown_frame(&prefixed);
        assert!(found.messages[0].tcp_length_prefix);
        assert_eq!(found.messages[0].offset, 2);
    }
}
