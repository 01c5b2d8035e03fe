//! Hex dumps with an offset column: Wireshark's hex dumps, `tshark -x`, `tcpdump -x/-xx/-X/-XX`,
//! `xxd`, `hexdump -C` and `od -Ax -tx1`.
//!
//! All of these print lines of `offset  hex bytes  [ASCII]`. They differ in how the offset is
//! written, how the bytes are grouped and whether an ASCII column follows. The hard part is the
//! ASCII column: it may hold words that look like hex (`cafe`, `ab`), so a line's bytes cannot be
//! taken greedily. Two facts settle it instead:
//! - the offset of the next line says exactly how many bytes a line holds, and
//! - on the last line, the ASCII column must be the rendering of the bytes before it
//!   (printable characters as themselves, everything else as `.`), so we keep the longest run of
//!   hex groups whose rendering matches what follows.
//!
//! `hexdump -C` and `od` without `-v` collapse repeated lines into a `*` line; the bytes are
//! restored from the next offset, bounded by [`MAXIMUM_DUMP_BYTES`].

use super::detect::{DataSource, TextPacket, TextParse};
use super::error::InputError;
use super::InputFormat;

/// The most bytes one dump may expand to through `*` repeat lines (a jumbo frame is far smaller).
pub const MAXIMUM_DUMP_BYTES: usize = 1 << 20;

/// The most hex groups read from one line.
const MAXIMUM_GROUPS_PER_LINE: usize = 256;

/// The dump programs, told apart by their offset column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialect {
    /// Wireshark "Copy as Hex Dump" / "Hex + ASCII Dump": `0000   08 00 ...` (three spaces).
    Wireshark,
    /// `tshark -x`: `0000  08 00 ...` (two spaces), with `Frame (74 bytes):` headers when a
    /// packet has several data sources.
    Tshark,
    /// tcpdump: `\t0x0000:  4500 0054 ...` under a summary line.
    Tcpdump,
    /// `xxd`: `00000000: 3a09 0120 ...`.
    Xxd,
    /// `hexdump -C`: `00000000  3a 09 ...  |:.. ...|` and a final length line.
    HexdumpCanonical,
    /// `od -Ax -tx1`: `000000 3a 09 ...` and a final length line.
    Od,
}

const ALL_DIALECTS: [Dialect; 6] = [
    Dialect::Wireshark,
    Dialect::Tshark,
    Dialect::Tcpdump,
    Dialect::Xxd,
    Dialect::HexdumpCanonical,
    Dialect::Od,
];

impl Dialect {
    fn name(self) -> &'static str {
        match self {
            Dialect::Wireshark => "a Wireshark hex dump",
            Dialect::Tshark => "tshark -x output",
            Dialect::Tcpdump => "tcpdump -x output",
            Dialect::Xxd => "xxd output",
            Dialect::HexdumpCanonical => "hexdump -C output",
            Dialect::Od => "od -Ax -tx1 output",
        }
    }

    /// Hex groups hold one byte in byte-oriented dumps, one 16-bit word (or more, `xxd -g`)
    /// in the others.
    fn allows_multi_byte_groups(self) -> bool {
        matches!(self, Dialect::Tcpdump | Dialect::Xxd)
    }
}

/// One line of a dump, classified for one dialect.
#[derive(Debug)]
enum DumpLine<'a> {
    Blank,
    /// Offset and the text after the offset column.
    Data {
        offset: u64,
        rest: &'a str,
    },
    /// `*`: the previous line repeats up to the next offset.
    Repeat,
    /// A line holding only an offset: the total length (`hexdump -C`, `od`).
    EndOffset(u64),
    /// A line that introduces a packet or a data source: tcpdump's summary line, tshark's
    /// `Reassembled TCP (62 bytes):`.
    Header(&'a str),
}

fn is_hex_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_hexdigit())
}

fn parse_hex_u64(text: &str) -> Option<u64> {
    if text.len() > 16 || !is_hex_digits(text) {
        return None;
    }
    u64::from_str_radix(text, 16).ok()
}

/// Counts the spaces at the start of `text`.
fn leading_spaces(text: &str) -> usize {
    text.bytes().take_while(|byte| *byte == b' ').count()
}

/// Classifies a line for `dialect`, or `None` when the line cannot belong to such a dump.
fn classify_line(dialect: Dialect, line: &str) -> Option<DumpLine<'_>> {
    let trimmed_end = line.trim_end();
    if trimmed_end.trim().is_empty() {
        return Some(DumpLine::Blank);
    }
    let body = trimmed_end.trim_start();
    if body == "*" {
        return matches!(
            dialect,
            Dialect::HexdumpCanonical | Dialect::Od | Dialect::Xxd
        )
        .then_some(DumpLine::Repeat);
    }
    match dialect {
        Dialect::Tcpdump => {
            let after_prefix = body.strip_prefix("0x");
            let data_line = after_prefix.and_then(|after| {
                let (offset_text, rest) = after.split_once(':')?;
                if offset_text.len() < 4 {
                    return None;
                }
                let offset = parse_hex_u64(offset_text)?;
                Some(DumpLine::Data { offset, rest })
            });
            match data_line {
                Some(data) => Some(data),
                // tcpdump prints one summary line per packet, starting at the line's first column.
                None if !line.starts_with([' ', '\t']) => Some(DumpLine::Header(body)),
                None => None,
            }
        }
        Dialect::Xxd => {
            let (offset_text, rest) = body.split_once(':')?;
            if offset_text.len() < 6 || !rest.starts_with(' ') {
                return None;
            }
            let offset = parse_hex_u64(offset_text)?;
            Some(DumpLine::Data { offset, rest })
        }
        Dialect::Wireshark | Dialect::Tshark | Dialect::HexdumpCanonical | Dialect::Od => {
            let digits = body.bytes().take_while(u8::is_ascii_hexdigit).count();
            let offset_text = body.get(..digits)?;
            let rest = body.get(digits..)?;
            if rest.is_empty() {
                return match dialect {
                    Dialect::HexdumpCanonical | Dialect::Od if digits >= 6 => {
                        Some(DumpLine::EndOffset(parse_hex_u64(offset_text)?))
                    }
                    _ => None,
                };
            }
            let spaces = leading_spaces(rest);
            let (digit_range, wanted_spaces) = match dialect {
                Dialect::Wireshark => (4..=8, 3),
                Dialect::Tshark => (4..=8, 2),
                Dialect::HexdumpCanonical => (7..=16, 2),
                _ => (6..=16, 1),
            };
            if digit_range.contains(&digits) && spaces == wanted_spaces {
                let offset = parse_hex_u64(offset_text)?;
                if dialect == Dialect::HexdumpCanonical && !rest.trim_end().ends_with('|') {
                    return None;
                }
                return Some(DumpLine::Data { offset, rest });
            }
            if dialect == Dialect::Tshark && body.ends_with("bytes):") {
                return Some(DumpLine::Header(body));
            }
            None
        }
    }
}

/// A hex group at the start of a data line's text.
#[derive(Debug)]
struct HexGroup {
    /// Byte index in the line's text just past the group.
    end: usize,
    bytes: Vec<u8>,
}

/// The leading hex groups of `rest`, stopping at the first token that is not one.
fn leading_hex_groups(dialect: Dialect, rest: &str) -> Vec<HexGroup> {
    let mut groups = Vec::new();
    let mut position = 0usize;
    while let Some(remaining) = rest.get(position..) {
        let skipped = remaining.len() - remaining.trim_start().len();
        let token_start = position + skipped;
        let Some(token_text) = rest.get(token_start..) else {
            break;
        };
        let token_length = token_text
            .find(char::is_whitespace)
            .unwrap_or(token_text.len());
        let Some(token) = token_text.get(..token_length) else {
            break;
        };
        let acceptable_length = if dialect.allows_multi_byte_groups() {
            token.len() % 2 == 0 && (2..=8).contains(&token.len())
        } else {
            token.len() == 2
        };
        if token.is_empty() || !acceptable_length || !is_hex_digits(token) {
            break;
        }
        let bytes = token
            .as_bytes()
            .chunks(2)
            .filter_map(|pair| {
                let pair_text = std::str::from_utf8(pair).ok()?;
                u8::from_str_radix(pair_text, 16).ok()
            })
            .collect();
        position = token_start + token_length;
        // Dump lines hold 16 or 32 bytes; a longer run is not a dump line, and cutting it here
        // keeps the per-line search for the ASCII column's start cheap.
        if groups.len() >= MAXIMUM_GROUPS_PER_LINE {
            break;
        }
        groups.push(HexGroup {
            end: position,
            bytes,
        });
    }
    groups
}

/// What a dump shows for a byte in its ASCII column.
pub(crate) fn ascii_rendering(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|byte| {
            if (0x20..=0x7e).contains(byte) {
                char::from(*byte)
            } else {
                '.'
            }
        })
        .collect()
}

/// Whether `column` (the text after the hex groups) is the ASCII rendering of `bytes`.
fn ascii_column_matches(dialect: Dialect, bytes: &[u8], column: &str) -> bool {
    let mut column = column.trim();
    if dialect == Dialect::HexdumpCanonical {
        match column
            .strip_prefix('|')
            .and_then(|inner| inner.strip_suffix('|'))
        {
            Some(inner) => column = inner,
            None => return false,
        }
        // Inside the bars, spaces are the bytes' own: compare untrimmed.
        return column == ascii_rendering(bytes);
    }
    !column.is_empty() && column == ascii_rendering(bytes).trim()
}

struct DataLine<'a> {
    line_number: usize,
    offset: u64,
    rest: &'a str,
    /// True when a `*` line came right before this one.
    after_repeat: bool,
    /// A header line (tcpdump summary, tshark source name) came right before this one.
    header: Option<&'a str>,
    /// A line holding only the total length (`hexdump -C`, `od`): it ends the dump and may
    /// end a `*` run, but holds no bytes.
    is_end: bool,
}

/// Tries every dump dialect on `text`; each one that fits gives a candidate.
pub(crate) fn parse_dumps(text: &str) -> Vec<Result<TextParse, InputError>> {
    ALL_DIALECTS
        .iter()
        .filter_map(|dialect| parse_dialect(*dialect, text))
        .collect()
}

fn parse_dialect(dialect: Dialect, text: &str) -> Option<Result<TextParse, InputError>> {
    let mut lines = Vec::new();
    let mut pending_header = None;
    let mut pending_repeat = false;
    let mut header_count = 0usize;
    for (index, line) in text.lines().enumerate() {
        match classify_line(dialect, line)? {
            DumpLine::Blank => {}
            DumpLine::Header(header) => {
                header_count += 1;
                pending_header = Some(header);
            }
            DumpLine::Repeat => pending_repeat = true,
            DumpLine::EndOffset(offset) => lines.push(DataLine {
                line_number: index + 1,
                offset,
                rest: "",
                after_repeat: std::mem::take(&mut pending_repeat),
                header: None,
                is_end: true,
            }),
            DumpLine::Data { offset, rest } => {
                lines.push(DataLine {
                    line_number: index + 1,
                    offset,
                    rest,
                    after_repeat: std::mem::take(&mut pending_repeat),
                    header: pending_header.take(),
                    is_end: false,
                });
            }
        }
    }
    // A dump needs data lines; tcpdump's summary lines alone are just prose.
    let data_line_count = lines.iter().filter(|line| !line.is_end).count();
    if data_line_count == 0 || (dialect == Dialect::Tcpdump && header_count > data_line_count) {
        return None;
    }
    Some(assemble(dialect, &lines))
}

/// Whether the dump shows an ASCII column, judged on its first line whose length the next
/// offset gives.
fn dump_has_ascii_column(dialect: Dialect, lines: &[DataLine<'_>]) -> bool {
    match dialect {
        Dialect::Od => return false,
        Dialect::HexdumpCanonical | Dialect::Tshark => return true,
        _ => {}
    }
    for pair in lines.windows(2) {
        let [first, second] = pair else { continue };
        if second.after_repeat || second.offset <= first.offset {
            continue;
        }
        let expected = second.offset - first.offset;
        let groups = leading_hex_groups(dialect, first.rest);
        let mut count = 0u64;
        for group in &groups {
            count += group.bytes.len() as u64;
            if count == expected {
                return first
                    .rest
                    .get(group.end..)
                    .is_some_and(|tail| !tail.trim().is_empty());
            }
        }
    }
    // A single line: an ASCII column is there if some split leaves a matching rendering.
    lines.first().is_some_and(|line| {
        let groups = leading_hex_groups(dialect, line.rest);
        let mut bytes = Vec::new();
        groups.iter().any(|group| {
            bytes.extend_from_slice(&group.bytes);
            line.rest
                .get(group.end..)
                .is_some_and(|tail| ascii_column_matches(dialect, &bytes, tail))
        })
    })
}

fn malformed(dialect: Dialect, line: usize, reason: String) -> InputError {
    InputError::MalformedText {
        format: dialect.name(),
        line,
        reason,
    }
}

/// Decides how many bytes each line holds and strings lines into sources and packets.
fn assemble(dialect: Dialect, lines: &[DataLine<'_>]) -> Result<TextParse, InputError> {
    let has_ascii = dump_has_ascii_column(dialect, lines);
    let mut packets: Vec<TextPacket> = Vec::new();
    let mut current_source: Option<DataSource> = None;
    let mut current_packet = TextPacket::default();
    let mut previous_line_bytes: Vec<u8> = Vec::new();
    // Bytes restored from `*` lines across the whole dump: bounded, since they are not in the text.
    let mut repeated_total = 0u64;

    for (index, line) in lines.iter().enumerate() {
        // Where does a new source or packet begin?
        let starts_new_source = match current_source.as_ref() {
            None => true,
            Some(source) => {
                !line.is_end
                    && (line.header.is_some() || (line.offset == 0 && !source.bytes.is_empty()))
            }
        };
        if starts_new_source {
            if let Some(source) = current_source.take() {
                current_packet.sources.push(source);
            }
            // tshark names every source of a packet with several; "Frame" is the first. Any
            // other header (tcpdump's summary) or a restart at offset 0 begins a new packet.
            let continues_packet = dialect == Dialect::Tshark
                && line
                    .header
                    .is_some_and(|header| !header.starts_with("Frame "))
                && !current_packet.sources.is_empty();
            if !continues_packet && !current_packet.sources.is_empty() {
                packets.push(std::mem::take(&mut current_packet));
            }
            let name = if dialect == Dialect::Tshark {
                line.header
                    .map(|header| header.trim_end_matches(':').to_string())
            } else {
                None
            };
            current_source = Some(DataSource {
                name,
                bytes: Vec::new(),
            });
            previous_line_bytes.clear();
        }
        let Some(source) = current_source.as_mut() else {
            continue;
        };

        // Restore lines collapsed into `*`.
        let length_so_far = source.bytes.len() as u64;
        if line.offset != length_so_far {
            if line.after_repeat && line.offset > length_so_far && !previous_line_bytes.is_empty() {
                let missing = line.offset - length_so_far;
                repeated_total = repeated_total.saturating_add(missing);
                if line.offset > MAXIMUM_DUMP_BYTES as u64
                    || repeated_total > MAXIMUM_DUMP_BYTES as u64
                {
                    return Err(malformed(
                        dialect,
                        line.line_number,
                        format!(
                            "the repeat line before offset {:#x} would expand the dump past {} bytes",
                            line.offset, MAXIMUM_DUMP_BYTES
                        ),
                    ));
                }
                let pattern = previous_line_bytes.clone();
                // `missing` is at most MAXIMUM_DUMP_BYTES here, so the cast cannot truncate.
                source
                    .bytes
                    .extend(pattern.iter().copied().cycle().take(missing as usize));
            } else {
                return Err(malformed(
                    dialect,
                    line.line_number,
                    format!(
                        "the offset is {:#x} but the lines before hold {} bytes (is a line missing?)",
                        line.offset, length_so_far
                    ),
                ));
            }
        }

        if line.is_end {
            continue;
        }

        // How many bytes does this line hold? The next line's offset says so when it follows
        // directly in the same source.
        let expected_count = lines.get(index + 1).and_then(|next| {
            let same_source = next.header.is_none() && next.offset != 0;
            (same_source && !next.after_repeat && next.offset > line.offset)
                .then(|| next.offset - line.offset)
        });
        let groups = leading_hex_groups(dialect, line.rest);
        let mut cut_points: Vec<(usize, usize)> = Vec::with_capacity(groups.len() + 1);
        let mut total = 0usize;
        cut_points.push((0, 0));
        for (group_index, group) in groups.iter().enumerate() {
            total += group.bytes.len();
            cut_points.push((group_index + 1, total));
        }
        let line_bytes = |group_count: usize| -> Vec<u8> {
            groups
                .iter()
                .take(group_count)
                .flat_map(|group| group.bytes.iter().copied())
                .collect()
        };
        let tail_after = |group_count: usize| -> &str {
            match group_count.checked_sub(1).and_then(|last| groups.get(last)) {
                Some(group) => line.rest.get(group.end..).unwrap_or(""),
                None => line.rest,
            }
        };
        // When the next offset asks for more bytes than the line has, the next line reports the
        // gap; this line keeps what it shows.
        let group_count_from_offsets = expected_count.and_then(|expected| {
            cut_points
                .iter()
                .find(|(_, byte_count)| *byte_count as u64 == expected)
                .map(|(group_count, _)| *group_count)
        });
        let chosen_groups = match group_count_from_offsets {
            Some(group_count) => group_count,
            None => {
                let fitting = cut_points.iter().rev().find(|(group_count, _)| {
                    let tail = tail_after(*group_count);
                    if has_ascii {
                        *group_count > 0
                            && ascii_column_matches(dialect, &line_bytes(*group_count), tail)
                    } else {
                        tail.trim().is_empty()
                    }
                });
                match fitting {
                    Some((group_count, _)) => *group_count,
                    None if has_ascii => {
                        // The ASCII column may have been mangled (tabs, trimmed spaces): fall back
                        // to every hex group before the widest gap.
                        groups.len()
                    }
                    None => {
                        return Err(malformed(
                            dialect,
                            line.line_number,
                            format!(
                                "unexpected text after the hex bytes: {:?}",
                                tail_after(groups.len()).trim()
                            ),
                        ));
                    }
                }
            }
        };
        if chosen_groups == 0 {
            return Err(malformed(
                dialect,
                line.line_number,
                "no hex bytes after the offset".to_string(),
            ));
        }
        let bytes = line_bytes(chosen_groups);
        source.bytes.extend_from_slice(&bytes);
        if source.bytes.len() > MAXIMUM_DUMP_BYTES {
            return Err(malformed(
                dialect,
                line.line_number,
                format!("the dump holds more than {MAXIMUM_DUMP_BYTES} bytes"),
            ));
        }
        previous_line_bytes = bytes;
    }
    if let Some(source) = current_source.take() {
        current_packet.sources.push(source);
    }
    if !current_packet.sources.is_empty() {
        packets.push(current_packet);
    }

    let format = match dialect {
        Dialect::Wireshark if has_ascii => InputFormat::WiresharkHexAsciiDump,
        Dialect::Wireshark => InputFormat::WiresharkHexDump,
        Dialect::Tshark => InputFormat::TsharkHex,
        // Whether the link layer is included is only known once the frame is sliced; the
        // extractor refines this.
        Dialect::Tcpdump if has_ascii => InputFormat::TcpdumpHexAscii,
        Dialect::Tcpdump => InputFormat::TcpdumpHex,
        Dialect::Xxd => InputFormat::Xxd,
        Dialect::HexdumpCanonical => InputFormat::HexdumpCanonical,
        Dialect::Od => InputFormat::Od,
    };
    Ok(TextParse {
        format,
        specificity: 6,
        packets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only_bytes(text: &str) -> (InputFormat, Vec<u8>) {
        let parses: Vec<_> = parse_dumps(text).into_iter().flatten().collect();
        assert_eq!(parses.len(), 1, "one dialect should fit {text:?}");
        let parse = &parses[0];
        assert_eq!(parse.packets.len(), 1);
        (parse.format, parse.packets[0].sources[0].bytes.clone())
    }

    #[test]
    fn an_ascii_column_of_hex_looking_words_is_not_read_as_bytes() {
        // 16 bytes then 4 bytes "cafe" rendered as ASCII "cafe": the last line must give 4 bytes.
        let text = "00000000: 0001 0203 0405 0607 0809 0a0b 0c0d 0e0f  ................\n\
                    00000010: 6361 6665                                cafe\n";
        let (format, bytes) = only_bytes(text);
        assert_eq!(format, InputFormat::Xxd);
        let mut expected: Vec<u8> = (0..16).collect();
        expected.extend_from_slice(b"cafe");
        assert_eq!(bytes, expected);
    }

    #[test]
    fn a_wireshark_last_line_with_hex_looking_ascii_is_cut_at_the_right_place() {
        let text = "0000   ab 20 cd                                          . .\n";
        // Rendering of ab 20 cd is ". ." and must match; "ab" "cd" alone would leave no column.
        let (format, bytes) = only_bytes(text);
        assert_eq!(format, InputFormat::WiresharkHexAsciiDump);
        assert_eq!(bytes, vec![0xab, 0x20, 0xcd]);
        let text = "0000   61 62 20 63 64   ab cd\n";
        let (_, bytes) = only_bytes(text);
        assert_eq!(bytes, b"ab cd".to_vec());
    }

    #[test]
    fn repeat_lines_are_expanded_and_bounded() {
        let text =
            "000000 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n*\n000030 01 02\n000032\n";
        let (format, bytes) = only_bytes(text);
        assert_eq!(format, InputFormat::Od);
        assert_eq!(bytes.len(), 0x32);
        assert_eq!(&bytes[0x30..], &[1, 2]);
        let huge = "000000 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n*\nffffffff 01\n";
        let results = parse_dumps(huge);
        assert!(results
            .iter()
            .any(|result| matches!(result, Err(InputError::MalformedText { .. }))));
        assert!(!results.iter().any(Result::is_ok));
    }

    #[test]
    fn a_missing_line_is_reported_with_its_line_number() {
        let text = "0000   00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f\n0020   00 01\n";
        let results = parse_dumps(text);
        assert_eq!(
            results,
            vec![Err(InputError::MalformedText {
                format: "a Wireshark hex dump",
                line: 2,
                reason:
                    "the offset is 0x20 but the lines before hold 16 bytes (is a line missing?)"
                        .to_string()
            })]
        );
    }
}
