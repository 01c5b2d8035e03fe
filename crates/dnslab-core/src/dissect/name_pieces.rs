//! The labels and compression pointers of a name, two bytes each, in the order they were read.
//!
//! A [`NameView`](super::NameView) shows where every label and pointer of its name came from.
//! Storing those as lists of [`LabelView`]s and [`PointerView`]s cost two heap allocations per
//! name, the largest single cost of dissecting a long response. Most of that information
//! follows from the rest: reading starts at the name's first byte, a label is followed by the
//! next piece right after it, a pointer by the piece at its target, and the label's text is
//! the next stretch of the name's text. What is left is small:
//!
//! - a label: its length (6 bits) and the length of its escaped text (at most 4 × 63 = 252);
//! - a pointer: its target (14 bits on the wire);
//! - labels the reader stepped over without showing them (the rest of a name in place after it
//!   passed 255 octets): how many bytes, so that a pointer after them still gets its offset.
//!
//! Each piece is one `u16`, and the first [`PIECES_IN_PLACE`] are stored in the view itself, so
//! a typical name needs no allocation beyond its text.

use super::model::{LabelView, PointerView, Span};

/// How many pieces a name holds without a heap allocation: fourteen `u16`s take the room of the
/// `Vec` that holds more, and cover names of up to a dozen labels and pointers.
pub const PIECES_IN_PLACE: usize = 14;

/// Marks a pointer's code; a label's code has it clear.
const POINTER_BIT: u16 = 0x8000;

/// Marks the code of bytes stepped over (a label's code has it clear).
const SKIPPED_BIT: u16 = 0x4000;

/// How many bytes one code of skipped bytes counts.
const SKIPPED_BYTES_MASK: u16 = 0x3fff;

/// A pointer's target: the 14 bits of the wire format.
const POINTER_TARGET_MASK: u16 = 0x3fff;

/// The pieces of one name (see the module documentation).
#[derive(Debug, Clone)]
pub(crate) struct NamePieces {
    storage: Storage,
}

#[derive(Debug, Clone)]
enum Storage {
    /// The first `count` codes are the pieces.
    InPlace {
        codes: [u16; PIECES_IN_PLACE],
        count: u8,
    },
    /// More pieces than fit in place: at most 127 labels and 17 pointers (the reader bounds
    /// both), and a code per 16 KiB of bytes stepped over in place.
    Spilled(Vec<u16>),
}

impl NamePieces {
    fn codes(&self) -> &[u16] {
        match &self.storage {
            Storage::InPlace { codes, count } => {
                codes.get(..usize::from(*count)).unwrap_or_default()
            }
            Storage::Spilled(spilled) => spilled,
        }
    }

    /// Number of pieces (labels and pointers), or a little more (skipped bytes count too).
    pub(crate) fn len_upper_bound(&self) -> usize {
        self.codes().len()
    }

    /// The pieces in reading order, for a name whose bytes start at `start`.
    pub(crate) fn iter(&self, start: usize) -> NamePieceIter<'_> {
        NamePieceIter {
            codes: self.codes().iter(),
            cursor: start,
            text_position: 0,
        }
    }
}

/// Equal when the pieces are, wherever they are stored.
impl PartialEq for NamePieces {
    fn eq(&self, other: &Self) -> bool {
        self.codes() == other.codes()
    }
}

impl Eq for NamePieces {}

/// Collects the pieces of a name as it is read; [`NamePiecesBuilder::finish`] makes the
/// [`NamePieces`] stored in the view.
#[derive(Debug)]
pub(crate) struct NamePiecesBuilder {
    /// The first pieces (all of them when `count` is at most [`PIECES_IN_PLACE`]).
    codes: [u16; PIECES_IN_PLACE],
    count: usize,
    /// Every piece, once there are more than fit in place.
    spilled: Vec<u16>,
}

impl NamePiecesBuilder {
    pub(crate) const fn new() -> Self {
        Self {
            codes: [0; PIECES_IN_PLACE],
            count: 0,
            spilled: Vec::new(),
        }
    }

    /// Adds a label of `length` bytes (1 to 63) whose escaped text is `text_length` bytes long.
    #[inline]
    pub(crate) fn push_label(&mut self, length: usize, text_length: usize) {
        // Both fit by construction; the clamps only keep a broken caller from corrupting the
        // kind bits.
        let length = length.min(0x3f) as u16;
        let text_length = text_length.min(0xff) as u16;
        self.push_code(length << 8 | text_length);
    }

    /// Adds a compression pointer to `target` (the 14-bit offset it holds).
    #[inline]
    pub(crate) fn push_pointer(&mut self, target: usize) {
        self.push_code(POINTER_BIT | (target as u16 & POINTER_TARGET_MASK));
    }

    /// Notes that the reader stepped over `length` bytes (labels it does not show).
    pub(crate) fn push_skipped(&mut self, length: usize) {
        let mut remaining = length;
        // Consecutive skips add up in one code as far as it counts.
        if let Some(last) = self.last_code_mut() {
            if *last & (POINTER_BIT | SKIPPED_BIT) == SKIPPED_BIT {
                let room = usize::from(SKIPPED_BYTES_MASK - (*last & SKIPPED_BYTES_MASK));
                let added = remaining.min(room);
                *last += added as u16;
                remaining -= added;
            }
        }
        while remaining > 0 {
            let counted = remaining.min(usize::from(SKIPPED_BYTES_MASK));
            self.push_code(SKIPPED_BIT | counted as u16);
            remaining -= counted;
        }
    }

    fn last_code_mut(&mut self) -> Option<&mut u16> {
        if self.count > PIECES_IN_PLACE {
            self.spilled.last_mut()
        } else {
            self.codes.get_mut(self.count.checked_sub(1)?)
        }
    }

    #[inline]
    fn push_code(&mut self, code: u16) {
        if let Some(slot) = self.codes.get_mut(self.count) {
            *slot = code;
        } else {
            if self.spilled.is_empty() {
                self.spilled.reserve(2 * PIECES_IN_PLACE);
                self.spilled.extend_from_slice(&self.codes);
            }
            self.spilled.push(code);
        }
        self.count += 1;
    }

    /// The codes collected so far (see [`PieceCode`]).
    pub(crate) fn codes(&self) -> &[u16] {
        if self.count > PIECES_IN_PLACE {
            &self.spilled
        } else {
            self.codes.get(..self.count).unwrap_or_default()
        }
    }

    /// Adds codes another builder collected (a name's cached suffix).
    pub(crate) fn extend_from_codes(&mut self, codes: &[u16]) {
        for &code in codes {
            self.push_code(code);
        }
    }

    /// The pieces collected, stored in place when they fit; none when `keep` is false (the
    /// caller wanted only the name's text).
    pub(crate) fn finish(self, keep: bool) -> NamePieces {
        if !keep {
            return NamePieces {
                storage: Storage::InPlace {
                    codes: [0; PIECES_IN_PLACE],
                    count: 0,
                },
            };
        }
        let storage = match u8::try_from(self.count) {
            Ok(count) if self.count <= PIECES_IN_PLACE => Storage::InPlace {
                codes: self.codes,
                count,
            },
            _ => Storage::Spilled(self.spilled),
        };
        NamePieces { storage }
    }
}

/// What one code says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PieceCode {
    /// A label of `length` bytes (after its length octet) and `text_length` characters of text.
    Label { length: usize, text_length: usize },
    /// A compression pointer to `target`.
    Pointer { target: usize },
    /// `length` bytes stepped over without being shown.
    Skipped { length: usize },
}

impl PieceCode {
    #[inline]
    pub(crate) fn decode(code: u16) -> Self {
        if code & POINTER_BIT != 0 {
            Self::Pointer {
                target: usize::from(code & POINTER_TARGET_MASK),
            }
        } else if code & SKIPPED_BIT != 0 {
            Self::Skipped {
                length: usize::from(code & SKIPPED_BYTES_MASK),
            }
        } else {
            Self::Label {
                length: usize::from(code >> 8),
                text_length: usize::from(code & 0xff),
            }
        }
    }
}

/// One piece of a name, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NamePiece {
    /// A label.
    Label(LabelView),
    /// A compression pointer.
    Pointer(PointerView),
}

/// The pieces of a name in reading order, with their spans and text ranges worked out.
#[derive(Debug, Clone)]
pub struct NamePieceIter<'pieces> {
    codes: std::slice::Iter<'pieces, u16>,
    /// Where the next piece starts in the message.
    cursor: usize,
    /// Where the next label's text starts in the name's text.
    text_position: usize,
}

impl Iterator for NamePieceIter<'_> {
    type Item = NamePiece;

    fn next(&mut self) -> Option<NamePiece> {
        loop {
            match PieceCode::decode(*self.codes.next()?) {
                PieceCode::Pointer { target } => {
                    let pointer = PointerView {
                        span: Span::new(self.cursor, 2),
                        target,
                    };
                    self.cursor = target;
                    return Some(NamePiece::Pointer(pointer));
                }
                PieceCode::Skipped { length } => self.cursor += length,
                PieceCode::Label {
                    length,
                    text_length,
                } => {
                    let text_start = self.text_position;
                    let label = LabelView {
                        span: Span::new(self.cursor, 1 + length),
                        text_range: text_start..text_start + text_length,
                    };
                    self.cursor += 1 + length;
                    // The dot after the label.
                    self.text_position = text_start + text_length + 1;
                    return Some(NamePiece::Label(label));
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, self.codes.size_hint().1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels_and_pointers(
        pieces: &NamePieces,
        start: usize,
    ) -> (Vec<LabelView>, Vec<PointerView>) {
        let mut labels = Vec::new();
        let mut pointers = Vec::new();
        for piece in pieces.iter(start) {
            match piece {
                NamePiece::Label(label) => labels.push(label),
                NamePiece::Pointer(pointer) => pointers.push(pointer),
            }
        }
        (labels, pointers)
    }

    #[test]
    fn spans_follow_labels_in_place_and_jump_at_pointers() {
        // `www` at 40 (text "www"), a pointer at 44 to 12, `exa\.mple` at 12 (8 bytes, text 9).
        let mut pieces = NamePiecesBuilder::new();
        pieces.push_label(3, 3);
        pieces.push_pointer(12);
        pieces.push_label(8, 9);
        let pieces = pieces.finish(true);
        let (labels, pointers) = labels_and_pointers(&pieces, 40);
        assert_eq!(
            labels,
            [
                LabelView {
                    span: Span::new(40, 4),
                    text_range: 0..3
                },
                LabelView {
                    span: Span::new(12, 9),
                    text_range: 4..13
                },
            ]
        );
        assert_eq!(
            pointers,
            [PointerView {
                span: Span::new(44, 2),
                target: 12
            }]
        );
    }

    #[test]
    fn skipped_bytes_move_the_cursor_without_showing() {
        let mut pieces = NamePiecesBuilder::new();
        pieces.push_label(63, 63);
        pieces.push_skipped(64);
        pieces.push_skipped(0x3fff);
        pieces.push_skipped(10);
        pieces.push_pointer(12);
        let pieces = pieces.finish(true);
        let (labels, pointers) = labels_and_pointers(&pieces, 100);
        assert_eq!(labels.len(), 1);
        assert_eq!(
            pointers,
            [PointerView {
                span: Span::new(100 + 64 + 64 + 0x3fff + 10, 2),
                target: 12
            }]
        );
        // The first skip code filled up, then one more was needed.
        assert_eq!(pieces.len_upper_bound(), 4);
    }

    #[test]
    fn long_names_move_to_the_heap_in_order() {
        let mut pieces = NamePiecesBuilder::new();
        for length in 1..=40 {
            pieces.push_label(length, length);
        }
        let pieces = pieces.finish(true);
        assert!(matches!(pieces.storage, Storage::Spilled(_)));
        let (labels, _) = labels_and_pointers(&pieces, 0);
        assert_eq!(labels.len(), 40);
        let mut expected_offset = 0;
        for (index, label) in labels.iter().enumerate() {
            assert_eq!(label.span, Span::new(expected_offset, 2 + index));
            expected_offset += 2 + index;
        }
        let mut short = NamePiecesBuilder::new();
        short.push_label(1, 1);
        let short = short.finish(true);
        assert!(matches!(short.storage, Storage::InPlace { count: 1, .. }));
        assert_ne!(short, pieces);
    }

    #[test]
    fn the_largest_values_keep_their_kind() {
        let mut pieces = NamePiecesBuilder::new();
        pieces.push_label(63, 252);
        pieces.push_pointer(0x3fff);
        let pieces = pieces.finish(true);
        let kinds: Vec<NamePiece> = pieces.iter(0).collect();
        assert_eq!(
            kinds,
            [
                NamePiece::Label(LabelView {
                    span: Span::new(0, 64),
                    text_range: 0..252
                }),
                NamePiece::Pointer(PointerView {
                    span: Span::new(64, 2),
                    target: 0x3fff
                }),
            ]
        );
    }
}
