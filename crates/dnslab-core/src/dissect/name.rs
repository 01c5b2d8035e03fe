//! Reading domain names from the wire, label by label, following compression pointers with a
//! record of where every piece came from and a diagnostic for everything RFC 1035 §4.1.4 rules
//! out.
//!
//! The walk is bounded whatever the input: it follows at most [`MAXIMUM_POINTER_HOPS`]
//! pointers, stops collecting labels once the name passes 255 octets, and remembers the
//! pointers it has followed so that a loop is reported instead of walked forever.

use super::model::{
    Diagnostic, Field, LabelView, NamePiece, NameView, PointerView, Severity, Span,
};
use super::name_pieces::{NamePiecesBuilder, PieceCode};
use super::suffix_cache::{CachedSuffix, SuffixCache};
use super::text::{push_decimal, push_escaped_label_bytes};

/// The most octets a name may have on the wire (RFC 1035 §3.1), length octets and root included.
pub(crate) const MAXIMUM_NAME_OCTETS: usize = 255;

/// The most octets a label may have (RFC 1035 §3.1).
const MAXIMUM_LABEL_OCTETS: usize = 63;

/// How many compression pointers one name may follow before we give up. Real encoders need at
/// most a handful; the bound keeps a hostile message with thousands of names cheap to walk.
pub(crate) const MAXIMUM_POINTER_HOPS: usize = 16;

/// A name as read, and where the bytes after it start.
#[derive(Debug, Clone)]
pub(crate) struct NameRead {
    /// What was read, even if the name is broken.
    pub view: NameView,
    /// The offset just past the name's bytes at the place it was read (after its root label or
    /// its first pointer). `None` when the name breaks off before that point is known, so the
    /// caller cannot go on reading what follows.
    pub end: Option<usize>,
    /// True when the name was read through to its root label without any error.
    pub complete: bool,
    /// The first compression pointer's two bytes, if the name has one (also in
    /// `view.pointers()` when the caller asked for the pieces).
    pub first_pointer: Option<Span>,
}

/// How many pointer targets of one name are kept as suffixes: most names follow one or two.
const SUFFIX_STARTS_KEPT: usize = 4;

/// What the names of one message share while they are read: the pointer chains noted so far,
/// and the suffixes read so far (see [`SuffixCache`]).
#[derive(Debug)]
pub(crate) struct NameScratch {
    /// First pointer targets of the chains noted so far (see [`report_pointer_chain`]).
    reported_chains: Vec<usize>,
    suffixes: SuffixCache,
}

impl NameScratch {
    pub(crate) fn new() -> Self {
        Self {
            reported_chains: Vec::new(),
            suffixes: SuffixCache::new(),
        }
    }
}

/// The pointers one name follows, in fixed arrays (the walk is bounded by
/// [`MAXIMUM_POINTER_HOPS`] anyway, and the arrays have room for one more). Targets have 14
/// bits; offsets fit 32. Two arrays of plain numbers rather than one of pairs: they start as
/// zeros for the price of a few stores, once per name.
#[derive(Debug, Clone, Copy)]
struct PointerHops {
    offsets: [u32; MAXIMUM_POINTER_HOPS + 1],
    targets: [u16; MAXIMUM_POINTER_HOPS + 1],
    count: usize,
}

impl PointerHops {
    fn new() -> Self {
        Self {
            offsets: [0; MAXIMUM_POINTER_HOPS + 1],
            targets: [0; MAXIMUM_POINTER_HOPS + 1],
            count: 0,
        }
    }

    /// Records the pointer at `offset` to `target`; false when the arrays are full.
    fn push(&mut self, offset: usize, target: usize) -> bool {
        let (Some(offset_slot), Some(target_slot)) = (
            self.offsets.get_mut(self.count),
            self.targets.get_mut(self.count),
        ) else {
            return false;
        };
        *offset_slot = offset as u32;
        *target_slot = target as u16;
        self.count += 1;
        true
    }

    /// Where the pointers followed so far are.
    fn offsets(&self) -> &[u32] {
        self.offsets.get(..self.count).unwrap_or_default()
    }

    /// Where they lead.
    fn targets(&self) -> &[u16] {
        self.targets.get(..self.count).unwrap_or_default()
    }

    fn already_followed(&self, offset: usize) -> bool {
        self.offsets()
            .iter()
            .any(|&earlier| earlier as usize == offset)
    }
}

/// Reads the name starting at `start`. Its in-place bytes must end before `limit` (the end of
/// the RDATA or of the message); pointers may lead anywhere in `message`. Problems are pushed
/// to `diagnostics`; `what` names the name in their messages, e.g. "the owner name of answer
/// record 2". With `collect_pieces` false, the view has no labels or pointers (the caller only
/// wants the text). `scratch` is shared by the names of one message: a chain of pointers is
/// noted once per chain in the message, and a suffix read before is copied rather than read
/// again when that cannot change the outcome (see [`append_cached_suffix`]).
pub(crate) fn read_name(
    message: &[u8],
    start: usize,
    limit: usize,
    what: &dyn Fn() -> String,
    diagnostics: &mut Vec<Diagnostic>,
    collect_pieces: bool,
    scratch: &mut NameScratch,
) -> NameRead {
    // Only diagnostics need the description: format it then, not for every name.
    let what = LazyText(what);
    let limit = limit.min(message.len());
    let mut position = start;
    let mut in_place_end: Option<usize> = None;
    // ASCII bytes, turned into the `String` at the end without a copy. Sized for typical names
    // (with room for a decoder to put a number in front), so that most need no reallocation.
    let mut text: Vec<u8> = Vec::with_capacity(32);
    let mut pieces = NamePiecesBuilder::new();
    let mut hops = PointerHops::new();
    let mut wire_octets = 0usize;
    let mut too_long = false;
    let mut complete = false;
    let mut flawed = false;
    // A name read without any finding is kept in the suffix cache from behind the first
    // pointers it followed and read on from (target, text length and piece count there: the
    // suffix is what comes after). Names are not kept from where they start in place: most
    // are never pointed to, and the first name pointing to one keeps it.
    let diagnostics_before = diagnostics.len();
    let mut suffix_starts = [(0u16, 0u16, 0u16); SUFFIX_STARTS_KEPT];
    let mut suffix_start_count = 0;

    loop {
        let bound = if in_place_end.is_none() {
            limit
        } else {
            message.len()
        };
        let Some(&length_octet) = message.get(position).filter(|_| position < bound) else {
            let message_text = if in_place_end.is_none() {
                format!(
                    "{what} is cut off: the data ends at offset {position} before the name's \
                     closing zero-length root label."
                )
            } else {
                format!(
                    "{what} is cut off: the labels a compression pointer leads to run to the \
                     end of the message at offset {position} without a closing root label."
                )
            };
            diagnostics.push(error(position, 0, message_text));
            break;
        };
        match length_octet & 0xc0 {
            0x00 if length_octet == 0 => {
                position += 1;
                complete = !flawed;
                if in_place_end.is_none() {
                    in_place_end = Some(position);
                }
                break;
            }
            0x00 => {
                let label_length = usize::from(length_octet);
                let label_start = position + 1;
                let label_end = label_start + label_length;
                if label_end > bound {
                    diagnostics.push(error(
                        position,
                        bound.saturating_sub(position),
                        format!(
                            "{what} is cut off: this label's length octet says {label_length} \
                             bytes follow, but only {} are left.",
                            bound.saturating_sub(label_start)
                        ),
                    ));
                    break;
                }
                wire_octets += 1 + label_length;
                if wire_octets + 1 > MAXIMUM_NAME_OCTETS && !too_long {
                    too_long = true;
                    flawed = true;
                    diagnostics.push(error(
                        position,
                        1 + label_length,
                        format!(
                            "{what} is longer than the 255 octets a domain name may have \
                             (RFC 1035 §3.1); this label takes it to {} octets with the root \
                             label.",
                            wire_octets + 1
                        ),
                    ));
                }
                if too_long {
                    // Stop collecting text: behind a pointer we already know where the name
                    // ends in place, and in place we only need to skip to its end.
                    if in_place_end.is_some() {
                        break;
                    }
                    pieces.push_skipped(1 + label_length);
                } else {
                    let label = message.get(label_start..label_end).unwrap_or_default();
                    let text_start = text.len();
                    push_escaped_label_bytes(&mut text, label);
                    // Collected even when the caller does not want them: the suffix cache does.
                    pieces.push_label(label_length, text.len() - text_start);
                    text.push(b'.');
                }
                position = label_end;
            }
            0xc0 => {
                if position + 2 > bound {
                    diagnostics.push(error(
                        position,
                        bound.saturating_sub(position),
                        format!(
                            "{what} is cut off in the middle of a two-byte compression pointer."
                        ),
                    ));
                    break;
                }
                let low = message.get(position + 1).copied().unwrap_or(0);
                let target = usize::from(u16::from_be_bytes([length_octet & 0x3f, low]));
                if in_place_end.is_none() {
                    in_place_end = Some(position + 2);
                }
                if hops.already_followed(position) {
                    diagnostics.push(error(
                        position,
                        2,
                        format!(
                            "{what} runs into a compression pointer loop: this pointer to offset \
                             {target} was already followed, so the name would never end."
                        ),
                    ));
                    break;
                }
                // The arrays have room for one hop more than the limit checked below.
                if hops.push(position, target) {
                    pieces.push_pointer(target);
                }
                if target == position {
                    diagnostics.push(error(
                        position,
                        2,
                        format!(
                            "{what} has a compression pointer that points to itself (offset \
                             {target}): a loop, the name would never end."
                        ),
                    ));
                    break;
                }
                if target >= message.len() {
                    diagnostics.push(error(
                        position,
                        2,
                        format!(
                            "{what} has a compression pointer to offset {target}, past the end \
                             of the {}-byte message.",
                            message.len()
                        ),
                    ));
                    break;
                }
                if target > position {
                    diagnostics.push(error(
                        position,
                        2,
                        format!(
                            "{what} has a compression pointer to offset {target}, which is after \
                             the pointer itself; RFC 1035 §4.1.4 only allows pointers back to a \
                             prior occurrence of a name."
                        ),
                    ));
                    flawed = true;
                } else if target < super::HEADER_LENGTH {
                    diagnostics.push(Diagnostic {
                        offset: position,
                        length: 2,
                        severity: Severity::Warning,
                        message: format!(
                            "{what} has a compression pointer to offset {target}, inside the \
                             12-byte header, where no name can be."
                        ),
                    });
                }
                if hops.count > MAXIMUM_POINTER_HOPS {
                    diagnostics.push(error(
                        position,
                        2,
                        format!(
                            "{what} follows more than {MAXIMUM_POINTER_HOPS} compression \
                             pointers; dnslab stops here."
                        ),
                    ));
                    break;
                }
                if !too_long {
                    if let Some(suffix) = scratch.suffixes.get(target) {
                        let appended = append_cached_suffix(
                            suffix,
                            target,
                            &mut hops,
                            &mut wire_octets,
                            &mut text,
                            &mut pieces,
                        );
                        if appended {
                            complete = !flawed;
                            break;
                        }
                    }
                    // Read on from here: the suffix was not kept yet.
                    let mark = (
                        u16::try_from(target),
                        u16::try_from(text.len()),
                        u16::try_from(pieces.codes().len()),
                    );
                    if let (Some(slot), (Ok(target), Ok(text_mark), Ok(codes_mark))) =
                        (suffix_starts.get_mut(suffix_start_count), mark)
                    {
                        *slot = (target, text_mark, codes_mark);
                        suffix_start_count += 1;
                    }
                }
                position = target;
            }
            reserved_type => {
                let as_length = usize::from(length_octet);
                let explanation = if reserved_type == 0x40 {
                    format!(
                        "its top two bits are 01, the label type RFC 6891 §5 retired (extended \
                         labels). Read as a plain length it would be {as_length}, more than the \
                         {MAXIMUM_LABEL_OCTETS} octets a label may have."
                    )
                } else {
                    "its top two bits are 10, a label type RFC 1035 §4.1.4 reserves for future \
                     use."
                        .to_owned()
                };
                diagnostics.push(error(
                    position,
                    1,
                    format!(
                        "{what} has a label length octet 0x{length_octet:02x} that no decoder \
                         understands: {explanation}"
                    ),
                ));
                break;
            }
        }
    }

    if complete && diagnostics.len() == diagnostics_before {
        let codes = pieces.codes();
        for &(suffix_start, text_mark, codes_mark) in
            suffix_starts.get(..suffix_start_count).unwrap_or_default()
        {
            scratch.suffixes.insert(
                usize::from(suffix_start),
                text.get(usize::from(text_mark)..).unwrap_or_default(),
                codes.get(usize::from(codes_mark)..).unwrap_or_default(),
            );
        }
    }
    if complete && text.is_empty() {
        text.push(b'.');
    }
    // Only ASCII is ever written (escapes included), so the check cannot fail.
    let text = String::from_utf8(text).unwrap_or_default();
    report_pointer_chain(&hops, &what, diagnostics, &mut scratch.reported_chains);
    let span_end = in_place_end.unwrap_or(position.min(limit));
    NameRead {
        view: NameView {
            text,
            span: Span::new(start, span_end.saturating_sub(start)),
            pieces: pieces.finish(collect_pieces),
        },
        end: in_place_end,
        complete,
        first_pointer: hops
            .offsets()
            .first()
            .map(|&offset| Span::new(offset as usize, 2)),
    }
}

/// Appends a suffix read before (starting at `target`, where the name's last pointer leads)
/// and returns true, if reading it here would raise no finding: it was read without any when
/// kept, so what remains to check is what depends on the part of the name before it. The
/// name must stay within 255 octets, follow at most [`MAXIMUM_POINTER_HOPS`] pointers, and not
/// meet a pointer it already followed. Otherwise nothing changes and the caller reads on.
fn append_cached_suffix(
    suffix: CachedSuffix<'_>,
    target: usize,
    hops: &mut PointerHops,
    wire_octets: &mut usize,
    text: &mut Vec<u8>,
    pieces: &mut NamePiecesBuilder,
) -> bool {
    // First pass: check, without changing anything.
    let mut cursor = target;
    let mut octets = *wire_octets;
    let mut pointer_count = hops.count;
    for &code in suffix.codes {
        match PieceCode::decode(code) {
            PieceCode::Label { length, .. } => {
                octets += 1 + length;
                cursor += 1 + length;
            }
            PieceCode::Pointer {
                target: next_target,
            } => {
                if hops.already_followed(cursor) {
                    return false;
                }
                pointer_count += 1;
                cursor = next_target;
            }
            PieceCode::Skipped { .. } => return false,
        }
    }
    if octets + 1 > MAXIMUM_NAME_OCTETS || pointer_count > MAXIMUM_POINTER_HOPS {
        return false;
    }
    // Second pass: the pointers, at the offsets the cursor finds them.
    let mut cursor = target;
    for &code in suffix.codes {
        match PieceCode::decode(code) {
            PieceCode::Label { length, .. } => cursor += 1 + length,
            PieceCode::Pointer {
                target: next_target,
            } => {
                hops.push(cursor, next_target);
                cursor = next_target;
            }
            PieceCode::Skipped { .. } => {}
        }
    }
    *wire_octets = octets;
    text.extend_from_slice(suffix.text);
    pieces.extend_from_codes(suffix.codes);
    true
}

/// Reports, as information, that a name follows a chain of compression pointers, unless a
/// chain through the same first pointer target was reported already in this message
/// (`reported` remembers those targets): one note per chain, not one per record using it.
fn report_pointer_chain(
    hops: &PointerHops,
    what: &LazyText<'_>,
    diagnostics: &mut Vec<Diagnostic>,
    reported: &mut Vec<usize>,
) {
    let targets = hops.targets();
    let (Some(&first_offset), Some(&first_target), true) =
        (hops.offsets().first(), targets.first(), targets.len() >= 2)
    else {
        return;
    };
    if reported.contains(&usize::from(first_target)) {
        return;
    }
    reported.push(usize::from(first_target));
    let mut message = (what.0)();
    // Room for the sentence below and a few offsets, so that it is not regrown piece by piece
    // (descriptions usually come with room already).
    message.reserve(200 + 8 * targets.len());
    message.push_str(" follows a chain of ");
    push_decimal(&mut message, targets.len() as u32);
    message.push_str(" compression pointers (to offsets ");
    for (index, &target) in targets.iter().enumerate() {
        if index > 0 {
            message.push_str(" → ");
        }
        push_decimal(&mut message, u32::from(target));
    }
    message.push_str(
        "): legal, but a decoder has to jump several times to read it. Later names that \
         reach the same chain are not noted again.",
    );
    diagnostics.push(Diagnostic {
        offset: first_offset as usize,
        length: 2,
        severity: Severity::Info,
        message,
    });
}

/// Text computed when it is displayed.
struct LazyText<'a>(&'a dyn Fn() -> String);

impl std::fmt::Display for LazyText<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(&(self.0)())
    }
}

fn error(offset: usize, length: usize, message: String) -> Diagnostic {
    Diagnostic {
        offset,
        length,
        severity: Severity::Error,
        message,
    }
}

/// The field-tree node of a name: one child per label and per pointer, in reading order, keyed
/// `{key}.label` and `{key}.pointer`.
pub(crate) fn name_field(key: &str, label: &str, name: &NameView) -> Field {
    let mut children = Vec::with_capacity(name.pieces.len_upper_bound());
    let label_key = format!("{key}.label");
    let pointer_key = format!("{key}.pointer");
    for piece in name.pieces() {
        children.push(match piece {
            NamePiece::Label(label) => Field::leaf(
                label_key.clone(),
                "Label",
                label_value(name, &label),
                label.span,
            ),
            NamePiece::Pointer(pointer) => pointer_child(&pointer_key, &pointer, name),
        });
    }
    Field::leaf(key, label, name.text.clone(), name.span).with_children(children)
}

fn label_value(name: &NameView, label: &LabelView) -> String {
    format!(
        "{} ({} byte{})",
        name.label_text(label),
        label.span.length.saturating_sub(1),
        if label.span.length == 2 { "" } else { "s" }
    )
}

/// A pointer's node names the offset it leads to and the rest of the name found there (the
/// labels read after it), as Wireshark's pointer items do.
fn pointer_child(key: &str, pointer: &PointerView, name: &NameView) -> Field {
    let mut suffix = String::new();
    let mut after_pointer = false;
    for piece in name.pieces() {
        match piece {
            NamePiece::Pointer(seen) if seen.span == pointer.span => after_pointer = true,
            NamePiece::Label(label) if after_pointer => {
                suffix.push_str(name.label_text(&label));
                suffix.push('.');
            }
            _ => {}
        }
    }
    if suffix.is_empty() {
        suffix.push('.');
    }
    Field {
        points_to: Some(pointer.target),
        ..Field::leaf(
            key,
            "Compression pointer",
            format!(
                "offset {} → continues at offset {}: {suffix}",
                pointer.span.offset, pointer.target
            ),
            pointer.span,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(message: &[u8], start: usize) -> (NameRead, Vec<Diagnostic>) {
        read_with(message, start, &mut NameScratch::new())
    }

    fn read_with(
        message: &[u8],
        start: usize,
        scratch: &mut NameScratch,
    ) -> (NameRead, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let name = read_name(
            message,
            start,
            message.len(),
            &|| "The name".to_owned(),
            &mut diagnostics,
            true,
            scratch,
        );
        (name, diagnostics)
    }

    /// What reading one name gave: the view and first pointer (debug form), the end, whether it
    /// is complete, and the findings.
    type Outcome = (String, Option<usize>, bool, Vec<Diagnostic>);

    /// Reads the names at `starts` one after the other twice: with the suffixes kept by earlier
    /// names, and with none (both noting each pointer chain once); returns both.
    fn read_shared_and_alone(message: &[u8], starts: &[usize]) -> Vec<[Outcome; 2]> {
        let mut shared = NameScratch::new();
        let mut walking = NameScratch::new();
        starts
            .iter()
            .map(|&start| {
                let one = |scratch: &mut NameScratch| {
                    let (name, diagnostics) = read_with(message, start, scratch);
                    // The view's debug form shows the text, span, labels and pointers.
                    (
                        format!("{:?} {:?}", name.view, name.first_pointer),
                        name.end,
                        name.complete,
                        diagnostics,
                    )
                };
                let with_suffixes = one(&mut shared);
                walking.suffixes = SuffixCache::new();
                [with_suffixes, one(&mut walking)]
            })
            .collect()
    }

    #[test]
    fn a_kept_suffix_reads_the_same_as_walking_it() {
        // 12: `example.com.`; 25: `www` + pointer to 12; 31: `mail` + pointer to 12;
        // 38: `ns` + pointer to 25 (a chain); 43: `ns` + pointer to 38 (a longer chain).
        let mut message = vec![0u8; 12];
        message.extend_from_slice(b"\x07example\x03com\x00");
        message.extend_from_slice(b"\x03www\xc0\x0c\x04mail\xc0\x0c\x02ns\xc0\x19\x02ns\xc0\x26");
        let results = read_shared_and_alone(&message, &[25, 31, 38, 43, 43]);
        for [shared, alone] in &results {
            assert_eq!(shared, alone);
        }
        assert!(results[3][0].0.contains("ns.ns.www.example.com."));
        // Each chain is noted once, however its names are read.
        assert_eq!(results[3][0].3.len(), 1);
        assert!(results[4][0].3.is_empty());
    }

    #[test]
    fn a_kept_suffix_is_not_copied_where_reading_it_would_find_a_problem() {
        // 12: three labels of 63 bytes (192 octets with their length octets) and the root.
        let mut message = vec![0u8; 12];
        for _ in 0..3 {
            message.push(63);
            message.extend_from_slice(&[b'a'; 63]);
        }
        message.push(0);
        // `x` + pointer to 12 keeps the suffix; then a 63-byte label + pointer to 12 is 257
        // octets long, which only reading the suffix finds.
        let short = message.len();
        message.extend_from_slice(b"\x01x\xc0\x0c");
        let long = message.len();
        message.push(63);
        message.extend_from_slice(&[b'b'; 63]);
        message.extend_from_slice(b"\xc0\x0c");
        let results = read_shared_and_alone(&message, &[short, long]);
        for [shared, alone] in &results {
            assert_eq!(shared, alone);
        }
        assert!(!results[1][0].2, "the long name is not complete");
        assert!(results[1][0].3[0]
            .message
            .contains("longer than the 255 octets"));
    }

    #[test]
    fn reads_labels_in_place() {
        let (name, diagnostics) = read(b"\x03www\x07example\x03com\x00", 0);
        assert_eq!(name.view.text, "www.example.com.");
        assert_eq!(name.end, Some(17));
        assert!(name.complete);
        assert_eq!(name.view.labels().count(), 3);
        assert_eq!(
            name.view.labels().nth(1).map(|label| label.span),
            Some(Span::new(4, 8))
        );
        assert!(diagnostics.is_empty());
    }

    #[test]
    fn root_is_a_dot() {
        let (name, _) = read(b"\x00", 0);
        assert_eq!(name.view.text, ".");
        assert_eq!(name.end, Some(1));
    }

    #[test]
    fn follows_a_backward_pointer_and_records_it() {
        // 0..12: a header (zeros); 12: "example.com." (13 bytes); 25: "www" + pointer to 12.
        let mut message = vec![0u8; 12];
        message.extend_from_slice(b"\x07example\x03com\x00\x03www\xc0\x0c");
        let (name, diagnostics) = read(&message, 25);
        assert_eq!(name.view.text, "www.example.com.");
        assert_eq!(name.end, Some(31));
        assert_eq!(
            name.view.pointers().collect::<Vec<_>>(),
            [PointerView {
                span: Span::new(29, 2),
                target: 12
            }]
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let field = name_field("question.name", "Name", &name.view);
        assert_eq!(field.children[1].points_to, Some(12));
        assert_eq!(
            field.children[1].value,
            "offset 29 → continues at offset 12: example.com."
        );
        let keys: Vec<&str> = field
            .children
            .iter()
            .map(|child| child.key.as_str())
            .collect();
        assert_eq!(
            keys,
            [
                "question.name.label",
                "question.name.pointer",
                "question.name.label",
                "question.name.label"
            ]
        );
    }
}
