//! The text-format detector: runs every format's parser on a paste and collects the readings.
//!
//! Each parser first checks whether the text has its shape at all (`None` when not), then reads
//! it (an error when it has the shape but breaks the rules). Ranking the readings needs the
//! frame slicer, so it happens in [`super::extract_dns`]: the reading whose bytes make the most
//! plausible DNS wins, then the more specific format (a dump with offsets beats base64).

use super::error::InputError;
use super::InputFormat;
use super::{base64_text, dump, hex, literal};

/// One named run of bytes in a packet: a frame, or tshark's "Reassembled TCP".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DataSource {
    /// The name the tool gave it (`Frame (87 bytes)`, `pkt1_1`), if any.
    pub name: Option<String>,
    pub bytes: Vec<u8>,
}

/// One packet of a paste: usually one data source, several for tshark's reassemblies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TextPacket {
    pub sources: Vec<DataSource>,
}

impl TextPacket {
    /// A packet with one unnamed source.
    pub(crate) fn single(bytes: Vec<u8>) -> Self {
        TextPacket {
            sources: vec![DataSource { name: None, bytes }],
        }
    }
}

/// One way of reading the paste.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TextParse {
    pub format: InputFormat,
    /// How distinctive the format's shape is (higher wins ties in plausibility): a dump with
    /// offsets cannot be anything else, a run of hex digits could be base64.
    pub specificity: u8,
    pub packets: Vec<TextPacket>,
}

impl TextParse {
    /// All the bytes of the reading, to tell readings that agree from those that differ.
    pub(crate) fn same_bytes_as(&self, other: &TextParse) -> bool {
        self.packets == other.packets
    }
}

/// Every reading of `text` by every parser, in the order errors are preferred when nothing
/// reads: dumps, literals, plain hex, base64.
pub(crate) fn read_text(text: &str) -> Vec<Result<TextParse, InputError>> {
    let mut readings = dump::parse_dumps(text);
    readings.extend(literal::parse_arrays(text));
    readings.extend(literal::parse_strings(text));
    readings.extend(hex::parse_plain_hex(text));
    readings.extend(base64_text::parse_base64(text));
    readings
}
