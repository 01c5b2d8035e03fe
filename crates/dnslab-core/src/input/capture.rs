//! Capture files: pcap (both byte orders, microsecond and nanosecond magic) and pcapng (several
//! sections and interfaces, a link type and timestamp resolution per interface, Enhanced,
//! Simple and obsolete Packet Blocks, both byte orders).
//!
//! Hand-written rather than taken from a crate: the only pure-Rust reader that reads pcapng
//! timestamp resolutions per interface (`pcap-file` 3) is still a release candidate, and neither
//! it nor the others report byte offsets in their errors or keep the frames read before a damaged
//! block. The formats are small: a 24-byte header and 16-byte records for pcap; for pcapng, five
//! block types matter and every other block is skipped by its length.
//!
//! Nothing read from the file is trusted: every length is checked against the bytes that are
//! really there before it is used, and frames are borrowed from the input, never allocated from
//! a length field.

use super::error::InputError;
use super::Timestamp;

/// The largest frame we accept: pcapng and pcap files in the wild stay far below this, and a
/// larger length field means the file is damaged.
pub const MAXIMUM_FRAME_LENGTH: usize = 256 * 1024;

/// The file types this module reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CaptureKind {
    Pcap,
    PcapNg,
}

/// One captured frame, borrowed from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CapturedFrame<'a> {
    /// The link type of the frame's interface (LINKTYPE_* number).
    pub link_type: u32,
    /// The bytes captured (possibly fewer than were on the wire).
    pub data: &'a [u8],
    /// The length on the wire.
    pub original_length: u32,
    /// When it was captured, if the resolution is one we understand.
    pub timestamp: Option<Timestamp>,
    /// Offset of the frame's record or block in the file.
    pub file_offset: usize,
}

/// About how many frames a capture file of this size holds (DNS frames are a hundred bytes or
/// so with their record headers), so the frame list is allocated once rather than grown.
fn likely_frame_count(file: &[u8]) -> usize {
    file.len() / 128
}

/// What a capture file held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Capture<'a> {
    pub kind: CaptureKind,
    pub frames: Vec<CapturedFrame<'a>>,
    /// Things worth telling the user: a truncated end, skipped blocks.
    pub notes: Vec<String>,
}

/// Says whether `bytes` start like a capture file, and which.
pub(crate) fn sniff_capture(bytes: &[u8]) -> Option<CaptureKind> {
    match bytes.get(..4)? {
        [0xa1, 0xb2, 0xc3, 0xd4]
        | [0xd4, 0xc3, 0xb2, 0xa1]
        | [0xa1, 0xb2, 0x3c, 0x4d]
        | [0x4d, 0x3c, 0xb2, 0xa1] => Some(CaptureKind::Pcap),
        [0x0a, 0x0d, 0x0d, 0x0a] => Some(CaptureKind::PcapNg),
        _ => None,
    }
}

/// Reads a pcap or pcapng file.
pub(crate) fn read_capture(bytes: &[u8]) -> Result<Capture<'_>, InputError> {
    match sniff_capture(bytes) {
        Some(CaptureKind::Pcap) => read_pcap(bytes),
        Some(CaptureKind::PcapNg) => read_pcapng(bytes),
        None => Err(InputError::BadCapture {
            format: "pcap",
            offset: 0,
            reason: "the file does not start with a pcap or pcapng magic number".to_string(),
        }),
    }
}

/// Byte order of the file being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ByteOrder {
    Little,
    Big,
}

impl ByteOrder {
    fn u16_at(self, bytes: &[u8], offset: usize) -> Option<u16> {
        let slice = bytes.get(offset..offset.checked_add(2)?)?;
        let array = [*slice.first()?, *slice.get(1)?];
        Some(match self {
            ByteOrder::Little => u16::from_le_bytes(array),
            ByteOrder::Big => u16::from_be_bytes(array),
        })
    }

    fn u32_at(self, bytes: &[u8], offset: usize) -> Option<u32> {
        let slice = bytes.get(offset..offset.checked_add(4)?)?;
        let array: [u8; 4] = slice.try_into().ok()?;
        Some(match self {
            ByteOrder::Little => u32::from_le_bytes(array),
            ByteOrder::Big => u32::from_be_bytes(array),
        })
    }

    fn u64_at(self, bytes: &[u8], offset: usize) -> Option<u64> {
        let slice = bytes.get(offset..offset.checked_add(8)?)?;
        let array: [u8; 8] = slice.try_into().ok()?;
        Some(match self {
            ByteOrder::Little => u64::from_le_bytes(array),
            ByteOrder::Big => u64::from_be_bytes(array),
        })
    }
}

fn bad(format: &'static str, offset: usize, reason: impl Into<String>) -> InputError {
    InputError::BadCapture {
        format,
        offset,
        reason: reason.into(),
    }
}

/// Reads a classic pcap file.
fn read_pcap(bytes: &[u8]) -> Result<Capture<'_>, InputError> {
    const HEADER_LENGTH: usize = 24;
    const RECORD_HEADER_LENGTH: usize = 16;
    let magic = bytes.get(..4).unwrap_or_default();
    let (order, nanoseconds) = match magic {
        [0xd4, 0xc3, 0xb2, 0xa1] => (ByteOrder::Little, false),
        [0xa1, 0xb2, 0xc3, 0xd4] => (ByteOrder::Big, false),
        [0x4d, 0x3c, 0xb2, 0xa1] => (ByteOrder::Little, true),
        [0xa1, 0xb2, 0x3c, 0x4d] => (ByteOrder::Big, true),
        _ => return Err(bad("pcap", 0, "not a pcap magic number")),
    };
    if bytes.len() < HEADER_LENGTH {
        return Err(bad(
            "pcap",
            bytes.len(),
            format!(
                "the file header needs {HEADER_LENGTH} bytes, the file has {}",
                bytes.len()
            ),
        ));
    }
    // The link type is the low 16 bits; the high bits may carry FCS information.
    let link_type = order.u32_at(bytes, 20).unwrap_or(0) & 0xffff;
    let mut frames = Vec::with_capacity(likely_frame_count(bytes));
    let mut notes = Vec::new();
    let mut position = HEADER_LENGTH;
    while position < bytes.len() {
        let Some(record) = bytes.get(position..position + RECORD_HEADER_LENGTH) else {
            let message = format!(
                "the file ends inside a record header at byte {position} (a capture cut short?)"
            );
            if frames.is_empty() {
                return Err(bad("pcap", position, message));
            }
            notes.push(message);
            break;
        };
        let seconds = order.u32_at(record, 0).unwrap_or(0);
        let fraction = order.u32_at(record, 4).unwrap_or(0);
        let included_length = order.u32_at(record, 8).unwrap_or(0) as usize;
        let original_length = order.u32_at(record, 12).unwrap_or(0);
        if included_length > MAXIMUM_FRAME_LENGTH {
            let message = format!(
                "the record at byte {position} claims {included_length} bytes, more than any real frame: the file is damaged"
            );
            if frames.is_empty() {
                return Err(bad("pcap", position, message));
            }
            notes.push(message);
            break;
        }
        let data_start = position + RECORD_HEADER_LENGTH;
        let Some(data) = bytes.get(data_start..data_start + included_length) else {
            let message = format!(
                "the record at byte {position} claims {included_length} bytes but the file ends after {} (a capture cut short?)",
                bytes.len() - data_start
            );
            if frames.is_empty() {
                return Err(bad("pcap", position, message));
            }
            notes.push(message);
            break;
        };
        let nanoseconds_part = if nanoseconds {
            fraction
        } else {
            fraction.saturating_mul(1000)
        };
        let timestamp = (nanoseconds_part < 1_000_000_000).then_some(Timestamp {
            seconds: i64::from(seconds),
            nanoseconds: nanoseconds_part,
        });
        frames.push(CapturedFrame {
            link_type,
            data,
            original_length,
            timestamp,
            file_offset: position,
        });
        position = data_start + included_length;
    }
    Ok(Capture {
        kind: CaptureKind::Pcap,
        frames,
        notes,
    })
}

/// What we keep of an Interface Description Block.
#[derive(Debug, Clone, Copy)]
struct Interface {
    link_type: u32,
    snap_length: u32,
    /// `if_tsresol`: bit 7 clear means 10^-value seconds, set means 2^-value.
    timestamp_resolution: u8,
    /// `if_tsoffset`: seconds added to every timestamp.
    timestamp_offset_seconds: i64,
}

/// Converts pcapng timestamp ticks to seconds and nanoseconds.
fn pcapng_timestamp(interface: &Interface, ticks: u64) -> Option<Timestamp> {
    let resolution = interface.timestamp_resolution;
    let exponent = u32::from(resolution & 0x7f);
    let units_per_second: u128 = if resolution & 0x80 == 0 {
        10u128.checked_pow(exponent)?
    } else {
        1u128.checked_shl(exponent)?
    };
    if units_per_second == 0 {
        return None;
    }
    let ticks = u128::from(ticks);
    let seconds = i64::try_from(ticks / units_per_second).ok()?;
    let nanoseconds =
        u32::try_from((ticks % units_per_second) * 1_000_000_000 / units_per_second).ok()?;
    Some(Timestamp {
        seconds: seconds.checked_add(interface.timestamp_offset_seconds)?,
        nanoseconds,
    })
}

/// Reads the options of an IDB into `interface`; options never fail the read, a bad one ends it.
fn read_interface_options(order: ByteOrder, options: &[u8], interface: &mut Interface) {
    let mut position = 0usize;
    while let (Some(code), Some(length)) = (
        order.u16_at(options, position),
        order.u16_at(options, position + 2),
    ) {
        let length = usize::from(length);
        let value_start = position + 4;
        let Some(value) = options.get(value_start..value_start + length) else {
            return;
        };
        match code {
            0 => return,
            9 => {
                if let Some(resolution) = value.first() {
                    interface.timestamp_resolution = *resolution;
                }
            }
            14 => {
                if let Some(offset) = order.u64_at(value, 0) {
                    // The option is a signed 64-bit count of seconds.
                    interface.timestamp_offset_seconds = offset as i64;
                }
            }
            _ => {}
        }
        // Values are padded to 32 bits.
        position = value_start + length.div_ceil(4) * 4;
    }
}

/// Reads a pcapng file.
fn read_pcapng(bytes: &[u8]) -> Result<Capture<'_>, InputError> {
    const SECTION_HEADER: u32 = 0x0a0d_0d0a;
    const INTERFACE_DESCRIPTION: u32 = 1;
    const OBSOLETE_PACKET: u32 = 2;
    const SIMPLE_PACKET: u32 = 3;
    const ENHANCED_PACKET: u32 = 6;
    const BYTE_ORDER_MAGIC: u32 = 0x1a2b_3c4d;

    let mut order = ByteOrder::Little;
    let mut interfaces: Vec<Interface> = Vec::new();
    let mut frames = Vec::with_capacity(likely_frame_count(bytes));
    let mut notes = Vec::new();
    let mut position = 0usize;
    let mut seen_section = false;
    let mut skipped_blocks = 0usize;

    // A problem after some frames were read ends the reading with a note; before, it is an error.
    macro_rules! stop {
        ($offset:expr, $reason:expr) => {{
            let reason: String = $reason;
            if frames.is_empty() {
                return Err(bad("pcapng", $offset, reason));
            }
            notes.push(format!("reading stopped at byte {}: {}", $offset, reason));
            break;
        }};
    }

    while position < bytes.len() {
        let Some(block_type_bytes) = bytes.get(position..position + 4) else {
            stop!(position, "the file ends inside a block header".to_string());
        };
        let is_section_header = block_type_bytes == [0x0a, 0x0d, 0x0d, 0x0a];
        if is_section_header {
            // The byte-order magic after the length tells this section's byte order.
            match ByteOrder::Little.u32_at(bytes, position + 8) {
                Some(BYTE_ORDER_MAGIC) => order = ByteOrder::Little,
                Some(magic) if magic.swap_bytes() == BYTE_ORDER_MAGIC => order = ByteOrder::Big,
                Some(magic) => stop!(
                    position + 8,
                    format!(
                        "the section header's byte-order magic is {magic:#010x}, not 0x1a2b3c4d"
                    )
                ),
                None => stop!(
                    position,
                    "the file ends inside the section header".to_string()
                ),
            }
        } else if !seen_section {
            return Err(bad(
                "pcapng",
                position,
                "the file does not start with a section header block",
            ));
        }
        let block_type = order.u32_at(bytes, position).unwrap_or(0);
        let Some(total_length) = order.u32_at(bytes, position + 4) else {
            stop!(position, "the file ends inside a block header".to_string());
        };
        let total_length = total_length as usize;
        if total_length < 12 || !total_length.is_multiple_of(4) {
            stop!(
                position + 4,
                format!(
                    "a block length of {total_length} (it must be a multiple of 4, at least 12)"
                )
            );
        }
        let Some(block) = position
            .checked_add(total_length)
            .and_then(|end| bytes.get(position..end))
        else {
            stop!(
                position + 4,
                format!(
                    "a block of {total_length} bytes but only {} bytes are left (a capture cut short?)",
                    bytes.len() - position
                )
            );
        };
        if order.u32_at(block, total_length - 4) != Some(total_length as u32) {
            stop!(
                position + total_length - 4,
                "the block's trailing length differs from its leading length".to_string()
            );
        }
        let body = block.get(8..total_length - 4).unwrap_or_default();
        match block_type {
            SECTION_HEADER if is_section_header => {
                seen_section = true;
                interfaces.clear();
            }
            INTERFACE_DESCRIPTION => {
                let (Some(link_type), Some(snap_length)) =
                    (order.u16_at(body, 0), order.u32_at(body, 4))
                else {
                    stop!(
                        position,
                        "an interface description block is too short".to_string()
                    );
                };
                let mut interface = Interface {
                    link_type: u32::from(link_type),
                    snap_length,
                    timestamp_resolution: 6,
                    timestamp_offset_seconds: 0,
                };
                read_interface_options(order, body.get(8..).unwrap_or_default(), &mut interface);
                // Interfaces are few; a file declaring thousands is damaged, not informative.
                if interfaces.len() >= 4096 {
                    stop!(position, "more than 4096 interfaces".to_string());
                }
                interfaces.push(interface);
            }
            ENHANCED_PACKET | OBSOLETE_PACKET => {
                let (interface_id, ticks_high, ticks_low, captured, original) =
                    if block_type == ENHANCED_PACKET {
                        (
                            order.u32_at(body, 0),
                            order.u32_at(body, 4),
                            order.u32_at(body, 8),
                            order.u32_at(body, 12),
                            order.u32_at(body, 16),
                        )
                    } else {
                        (
                            order.u16_at(body, 0).map(u32::from),
                            order.u32_at(body, 4),
                            order.u32_at(body, 8),
                            order.u32_at(body, 12),
                            order.u32_at(body, 16),
                        )
                    };
                let (
                    Some(interface_id),
                    Some(ticks_high),
                    Some(ticks_low),
                    Some(captured),
                    Some(original),
                ) = (interface_id, ticks_high, ticks_low, captured, original)
                else {
                    stop!(position, "a packet block is too short".to_string());
                };
                let Some(interface) = interfaces.get(interface_id as usize) else {
                    stop!(
                        position + 8,
                        format!("a packet refers to interface {interface_id}, which was never described")
                    );
                };
                let Some(data) = (captured as usize)
                    .checked_add(20)
                    .and_then(|end| body.get(20..end))
                else {
                    stop!(
                        position + 20,
                        format!(
                            "a packet claims {captured} captured bytes, more than its block holds"
                        )
                    );
                };
                let ticks = (u64::from(ticks_high) << 32) | u64::from(ticks_low);
                frames.push(CapturedFrame {
                    link_type: interface.link_type,
                    data,
                    original_length: original,
                    timestamp: pcapng_timestamp(interface, ticks),
                    file_offset: position,
                });
            }
            SIMPLE_PACKET => {
                let Some(interface) = interfaces.first() else {
                    stop!(
                        position,
                        "a simple packet block before any interface".to_string()
                    );
                };
                let Some(original) = order.u32_at(body, 0) else {
                    stop!(position, "a simple packet block is too short".to_string());
                };
                // The captured length is not stored: it is the original length cut by the snap
                // length (0 means none) and by the block's size.
                let mut captured = original as usize;
                if interface.snap_length != 0 {
                    captured = captured.min(interface.snap_length as usize);
                }
                captured = captured.min(body.len().saturating_sub(4));
                let data = body.get(4..4 + captured).unwrap_or_default();
                frames.push(CapturedFrame {
                    link_type: interface.link_type,
                    data,
                    original_length: original,
                    timestamp: None,
                    file_offset: position,
                });
            }
            _ => skipped_blocks += 1,
        }
        position += total_length;
    }
    if skipped_blocks > 0 {
        notes.push(format!(
            "{skipped_blocks} pcapng blocks without packets (statistics, name resolution...) skipped"
        ));
    }
    Ok(Capture {
        kind: CaptureKind::PcapNg,
        frames,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nanosecond_pcap_in_big_endian_keeps_its_fraction() {
        let mut file = vec![0xa1, 0xb2, 0x3c, 0x4d, 0, 2, 0, 4];
        file.extend_from_slice(&[0; 8]);
        file.extend_from_slice(&65535u32.to_be_bytes());
        file.extend_from_slice(&101u32.to_be_bytes());
        file.extend_from_slice(&7u32.to_be_bytes());
        file.extend_from_slice(&123_456_789u32.to_be_bytes());
        file.extend_from_slice(&2u32.to_be_bytes());
        file.extend_from_slice(&2u32.to_be_bytes());
        file.extend_from_slice(&[0xab, 0xcd]);
        let capture = read_capture(&file).expect("valid");
        assert_eq!(capture.frames.len(), 1);
        assert_eq!(capture.frames[0].link_type, 101);
        assert_eq!(capture.frames[0].data, &[0xab, 0xcd]);
        assert_eq!(
            capture.frames[0].timestamp,
            Some(Timestamp {
                seconds: 7,
                nanoseconds: 123_456_789
            })
        );
    }

    #[test]
    fn damaged_files_give_byte_offsets() {
        assert_eq!(
            read_capture(&[0xd4, 0xc3, 0xb2, 0xa1, 2, 0]),
            Err(InputError::BadCapture {
                format: "pcap",
                offset: 6,
                reason: "the file header needs 24 bytes, the file has 6".to_string()
            })
        );
        // A pcapng section header whose length is not a multiple of 4.
        let mut file = vec![0x0a, 0x0d, 0x0d, 0x0a, 13, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a];
        file.extend_from_slice(&[0; 20]);
        assert!(matches!(
            read_capture(&file),
            Err(InputError::BadCapture {
                format: "pcapng",
                offset: 4,
                ..
            })
        ));
    }

    #[test]
    fn timestamp_resolutions_follow_if_tsresol() {
        let interface = |resolution| Interface {
            link_type: 1,
            snap_length: 0,
            timestamp_resolution: resolution,
            timestamp_offset_seconds: 0,
        };
        assert_eq!(
            pcapng_timestamp(&interface(6), 1_500_000),
            Some(Timestamp {
                seconds: 1,
                nanoseconds: 500_000_000
            })
        );
        assert_eq!(
            pcapng_timestamp(&interface(9), 2_000_000_001),
            Some(Timestamp {
                seconds: 2,
                nanoseconds: 1
            })
        );
        // 2^-1 seconds per tick.
        assert_eq!(
            pcapng_timestamp(&interface(0x81), 3),
            Some(Timestamp {
                seconds: 1,
                nanoseconds: 500_000_000
            })
        );
        // 10^-127 seconds per tick is beyond any clock: no timestamp rather than a wrong one.
        assert_eq!(pcapng_timestamp(&interface(0x7f), 3), None);
    }
}
