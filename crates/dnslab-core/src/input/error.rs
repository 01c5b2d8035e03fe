//! Why input could not be turned into DNS bytes: typed errors with positions in the text or file.

/// Why a paste or a capture file could not be turned into DNS message bytes.
///
/// Text positions count characters (not bytes) from the start of the text, so the page can point
/// the user at the exact spot in what they pasted; capture file positions count bytes from the
/// start of the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// Nothing but white space was given.
    #[error("the input is empty: paste the bytes of a DNS message (hex, base64, a dump...) or open a capture file")]
    Empty,
    /// A character that is neither a hex digit nor a separator.
    #[error("character {character:?} at position {offset} is not a hex digit")]
    NotHex {
        /// Position of the character, counted in characters from the start of the text.
        offset: usize,
        /// The offending character.
        character: char,
    },
    /// Hex digits come in pairs; one was left over.
    #[error("odd number of hex digits ({digit_count}): each byte needs two digits")]
    OddDigitCount {
        /// How many hex digits the text holds.
        digit_count: usize,
    },
    /// A group between separators had an odd number of digits, e.g. `0a:b:0c`.
    #[error("the hex group starting at position {offset} has an odd number of digits")]
    SplitByte {
        /// Position of the group's first digit.
        offset: usize,
    },
    /// The text looks like a known format but breaks its rules somewhere.
    #[error("the text looks like {format} but line {line} is wrong: {reason}")]
    MalformedText {
        /// Name of the format the text resembles, e.g. `xxd`.
        format: &'static str,
        /// 1-based line number of the problem.
        line: usize,
        /// What is wrong, in plain words.
        reason: String,
    },
    /// The text matches none of the formats dnslab reads.
    #[error("the text is in no format dnslab reads (hex, base64, hex dumps, C/Go literals, tcpdump, tshark, xxd, od...): {reason}")]
    UnrecognizedText {
        /// What the closest formats objected to.
        reason: String,
    },
    /// A capture file (pcap or pcapng) is damaged or not what it claims to be.
    #[error("bad {format} file at byte {offset}: {reason}")]
    BadCapture {
        /// `pcap` or `pcapng`.
        format: &'static str,
        /// Byte offset in the file where the problem is.
        offset: usize,
        /// What is wrong.
        reason: String,
    },
    /// Bytes were read, but no DNS message could be found in them.
    #[error("no DNS message found: {reason}")]
    NoDnsFound {
        /// Why, e.g. "frame 1 is TCP without payload".
        reason: String,
    },
    /// The forced start offset lies beyond the bytes that were read.
    #[error("the start offset {offset} is past the end of the {length} bytes read")]
    ForcedOffsetOutOfRange {
        /// The offset the user asked for.
        offset: usize,
        /// How many bytes there are.
        length: usize,
    },
}
