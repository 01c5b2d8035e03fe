//! FNV-1a (integers a word at a time), the crate's one fast hasher, for in-memory maps whose
//! keys are short and come from the user's own input (zone names in `zone::key`, a capture's
//! queries waiting for their responses): SipHash's resistance to crafted collisions buys
//! nothing there and costs a third of the pairing time in wasm.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` hashed with [`Fnv1a`].
pub(crate) type FnvHashMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv1a>>;

/// The 64-bit FNV-1a hash (Fowler, Noll, Vo).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv1a {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(FNV_PRIME);
        }
    }

    // Whole integers in one step rather than byte by byte (a capture's pair key is a dozen
    // integers; natively this took about 7 % off making a 60,000-packet list): see `write_word`.
    fn write_u8(&mut self, value: u8) {
        self.write_word(u64::from(value));
    }

    fn write_u16(&mut self, value: u16) {
        self.write_word(u64::from(value));
    }

    fn write_u32(&mut self, value: u32) {
        self.write_word(u64::from(value));
    }

    fn write_u64(&mut self, value: u64) {
        self.write_word(value);
    }

    fn write_usize(&mut self, value: usize) {
        self.write_word(value as u64);
    }

    fn write_isize(&mut self, value: isize) {
        self.write_word(value as u64);
    }
}

const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

impl Fnv1a {
    /// One FNV-1a step for a whole integer, mixed first (SplitMix64's finalizer): FNV's
    /// multiplication only carries bits upwards and a map picks its bucket by the low bits, so a
    /// bare word would leave integers that differ in their high bits in the same buckets.
    fn write_word(&mut self, value: u64) {
        let mut mixed = value;
        mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        mixed ^= mixed >> 31;
        self.0 ^= mixed;
        self.0 = self.0.wrapping_mul(FNV_PRIME);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_published_fnv1a_test_vectors() {
        // From the FNV reference test suite (draft-eastlake-fnv, appendix C).
        for (input, expected) in [
            (&b""[..], 0xcbf2_9ce4_8422_2325_u64),
            (b"a", 0xaf63_dc4c_8601_ec8c),
            (b"foobar", 0x8594_4171_f739_67e8),
        ] {
            let mut hasher = Fnv1a::default();
            hasher.write(input);
            assert_eq!(hasher.finish(), expected, "{input:?}");
        }
    }

    #[test]
    fn integers_that_differ_only_in_their_high_bits_still_spread_over_the_low_bits() {
        use std::collections::HashSet;
        for shift in [0, 8, 16, 32, 48] {
            let low_bytes: HashSet<u64> = (0..1000_u64)
                .map(|index| {
                    let mut hasher = Fnv1a::default();
                    hasher.write_u64(index << shift);
                    hasher.finish() & 0xff
                })
                .collect();
            assert!(
                low_bytes.len() > 200,
                "shift {shift}: {} buckets of 256",
                low_bytes.len()
            );
        }
    }

    #[test]
    fn a_map_finds_what_it_holds() {
        let mut map: FnvHashMap<(u16, String), usize> = FnvHashMap::default();
        for index in 0..1000_usize {
            map.insert(
                (u16::try_from(index % 300).unwrap_or(0), format!("n{index}")),
                index,
            );
        }
        assert_eq!(map.len(), 1000);
        assert_eq!(map.get(&(7, "n607".to_owned())), Some(&607));
        assert_eq!(map.get(&(8, "n607".to_owned())), None);
    }
}
