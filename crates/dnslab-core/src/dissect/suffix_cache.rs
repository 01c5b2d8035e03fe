//! Names already read, by the offset they start at: compression makes many names of a message
//! end in the same few suffixes (`example.com.` behind every owner of a zone's answer), and a
//! name whose pointer leads to a suffix read before copies its text and pieces instead of
//! walking and escaping the same labels again.
//!
//! Only suffixes that were read without any finding are kept, and the name reader uses one only
//! where reading it again could not raise a finding either (see
//! [`read_name`](super::name::read_name)), so a name comes out the same either way.
//!
//! The cache has a fixed size and lives inside the walker: it never allocates, and it stops
//! taking suffixes when full (later names are then read the long way).

/// How many suffixes one message keeps.
const SUFFIX_SLOTS: usize = 16;

/// Room for the suffixes' text (escaped presentation form, a dot after each label).
const SUFFIX_TEXT_BYTES: usize = 256;

/// Room for the suffixes' pieces (see [`NamePieces`](super::name_pieces::NamePieces)).
const SUFFIX_CODES: usize = 64;

/// Pointer targets have 14 bits: no suffix starting further into the message can be reached.
const LARGEST_POINTER_TARGET: usize = 0x3fff;

/// Where one suffix's text and codes lie in the cache.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    text_start: u16,
    text_length: u16,
    codes_start: u16,
    codes_length: u16,
}

/// The suffixes of one message (see the module documentation).
#[derive(Debug, Clone)]
pub(crate) struct SuffixCache {
    /// The offset each suffix starts at, apart from the rest so that a lookup scans few bytes.
    offsets: [u16; SUFFIX_SLOTS],
    slots: [Slot; SUFFIX_SLOTS],
    slots_used: usize,
    text: [u8; SUFFIX_TEXT_BYTES],
    text_used: usize,
    codes: [u16; SUFFIX_CODES],
    codes_used: usize,
}

/// A suffix found in the cache.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CachedSuffix<'cache> {
    /// Its text: each label escaped, followed by a dot.
    pub text: &'cache [u8],
    /// Its pieces, in reading order from the offset it starts at.
    pub codes: &'cache [u16],
}

impl SuffixCache {
    pub(crate) fn new() -> Self {
        Self {
            offsets: [0; SUFFIX_SLOTS],
            slots: [Slot::default(); SUFFIX_SLOTS],
            slots_used: 0,
            text: [0; SUFFIX_TEXT_BYTES],
            text_used: 0,
            codes: [0; SUFFIX_CODES],
            codes_used: 0,
        }
    }

    /// The suffix starting at `offset`, if one was kept.
    pub(crate) fn get(&self, offset: usize) -> Option<CachedSuffix<'_>> {
        let offset = u16::try_from(offset).ok()?;
        let index = self
            .offsets
            .get(..self.slots_used)?
            .iter()
            .position(|&kept| kept == offset)?;
        let slot = self.slots.get(index)?;
        let text_start = usize::from(slot.text_start);
        let codes_start = usize::from(slot.codes_start);
        Some(CachedSuffix {
            text: self
                .text
                .get(text_start..text_start + usize::from(slot.text_length))?,
            codes: self
                .codes
                .get(codes_start..codes_start + usize::from(slot.codes_length))?,
        })
    }

    /// Keeps the suffix starting at `offset`, read without any finding, unless no pointer
    /// could reach it or the cache is full. The caller keeps each offset once: a second copy
    /// would only take room ([`SuffixCache::get`] finds the first).
    pub(crate) fn insert(&mut self, offset: usize, text: &[u8], codes: &[u16]) {
        if offset > LARGEST_POINTER_TARGET {
            return;
        }
        let text_end = self.text_used + text.len();
        let codes_end = self.codes_used + codes.len();
        let (Some(offset_slot), Some(slot), Some(text_room), Some(codes_room)) = (
            self.offsets.get_mut(self.slots_used),
            self.slots.get_mut(self.slots_used),
            self.text.get_mut(self.text_used..text_end),
            self.codes.get_mut(self.codes_used..codes_end),
        ) else {
            return;
        };
        text_room.copy_from_slice(text);
        codes_room.copy_from_slice(codes);
        // Every number fits: offsets are at most 14 bits, the arrays hold fewer than 65536.
        *offset_slot = offset as u16;
        *slot = Slot {
            text_start: self.text_used as u16,
            text_length: text.len() as u16,
            codes_start: self.codes_used as u16,
            codes_length: codes.len() as u16,
        };
        self.slots_used += 1;
        self.text_used = text_end;
        self.codes_used = codes_end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_suffix_kept_for_an_offset() {
        let mut cache = SuffixCache::new();
        assert!(cache.get(12).is_none());
        cache.insert(12, b"example.com.", &[0x0707, 0x0303]);
        cache.insert(12, b"other.", &[0x0505]);
        cache.insert(40, b"", &[]);
        let suffix = cache.get(12).map(|suffix| (suffix.text, suffix.codes));
        assert_eq!(
            suffix,
            Some((&b"example.com."[..], &[0x0707u16, 0x0303][..]))
        );
        assert!(cache.get(40).is_some_and(|suffix| suffix.text.is_empty()));
        assert!(cache.get(41).is_none());
    }

    #[test]
    fn refuses_what_does_not_fit_or_cannot_be_reached() {
        let mut cache = SuffixCache::new();
        cache.insert(LARGEST_POINTER_TARGET + 1, b"a.", &[0x0101]);
        assert!(cache.get(LARGEST_POINTER_TARGET + 1).is_none());
        let long_text = [b'a'; SUFFIX_TEXT_BYTES + 1];
        cache.insert(20, &long_text, &[0x0101]);
        assert!(cache.get(20).is_none());
        for offset in 0..SUFFIX_SLOTS + 5 {
            cache.insert(100 + offset, b"b.", &[0x0101]);
        }
        assert!(cache.get(100).is_some());
        assert!(cache.get(100 + SUFFIX_SLOTS - 1).is_some());
        assert!(cache.get(100 + SUFFIX_SLOTS).is_none());
    }
}
