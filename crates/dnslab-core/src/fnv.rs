//! FNV-1a, the crate's one fast hasher, for in-memory maps whose keys are short and come from
//! the user's own input (zone names in `zone::key`, a capture's queries waiting for their
//! responses): SipHash's resistance to crafted collisions buys nothing there and costs a third
//! of the pairing time in wasm.

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
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
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
