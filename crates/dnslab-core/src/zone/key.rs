//! Lookup keys for names: the lowercase wire form, whose suffixes at label boundaries are the keys of the name's ancestors.
//!
//! Finding a name and its closest encloser is the core of every answer. Comparing hickory
//! `Name`s walks labels from the right and building ancestors with `Name::trim_to` allocates, so
//! the tree also indexes every node by this key in a hash map: a query converts its name once
//! (on the stack, no allocation) and then each ancestor is just a sub-slice.

use hickory_proto::rr::Name;

use crate::fnv::FnvHashMap;

/// The longest name on the wire (RFC 1035 section 2.3.4).
const MAXIMUM_WIRE_LENGTH: usize = 255;
/// At most 127 labels fit in 255 octets.
const MAXIMUM_LABELS: usize = 128;

/// A name in lowercase wire form with the offset of each label, kept on the stack.
#[derive(Clone)]
pub(crate) struct LookupName {
    wire: [u8; MAXIMUM_WIRE_LENGTH],
    length: usize,
    /// Offset of each label's length octet; the root label is not included.
    label_starts: [u8; MAXIMUM_LABELS],
    label_count: usize,
}

impl std::fmt::Debug for LookupName {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_tuple("LookupName")
            .field(&self.as_wire())
            .finish()
    }
}

impl LookupName {
    /// Converts a name; `None` only for names longer than the protocol allows, which hickory
    /// never produces.
    pub fn new(name: &Name) -> Option<Self> {
        let mut key = Self {
            wire: [0; MAXIMUM_WIRE_LENGTH],
            length: 0,
            label_starts: [0; MAXIMUM_LABELS],
            label_count: 0,
        };
        for label in name.iter() {
            let start = key.length;
            let end = start + 1 + label.len();
            // The root octet must still fit after this label.
            if end >= MAXIMUM_WIRE_LENGTH || key.label_count >= MAXIMUM_LABELS {
                return None;
            }
            *key.label_starts.get_mut(key.label_count)? = u8::try_from(start).ok()?;
            key.label_count += 1;
            *key.wire.get_mut(start)? = u8::try_from(label.len()).ok()?;
            for (slot, byte) in key.wire.get_mut(start + 1..end)?.iter_mut().zip(label) {
                *slot = byte.to_ascii_lowercase();
            }
            key.length = end;
        }
        *key.wire.get_mut(key.length)? = 0;
        key.length += 1;
        Some(key)
    }

    /// The number of labels (a leading `*` counted, the root not).
    pub fn label_count(&self) -> usize {
        self.label_count
    }

    /// The whole key.
    pub fn as_wire(&self) -> &[u8] {
        self.wire.get(..self.length).unwrap_or(&[])
    }

    /// The key of the ancestor that keeps the last `labels` labels (`labels == label_count()` is
    /// the name itself, 0 the root).
    pub fn ancestor(&self, labels: usize) -> &[u8] {
        let skipped = self.label_count.saturating_sub(labels);
        let root = self.length.saturating_sub(1);
        let start = if skipped >= self.label_count {
            root
        } else {
            self.label_starts
                .get(skipped)
                .map_or(root, |start| usize::from(*start))
        };
        self.wire.get(start..self.length).unwrap_or(&[])
    }

    /// True when the first label is `*`.
    pub fn is_wildcard(&self) -> bool {
        self.label_count > 0 && self.wire.get(..2) == Some(&[1, b'*'][..])
    }
}

/// The lowercase wire form of a name, owned, for storing as a map key.
pub(crate) fn owned_key(name: &Name) -> Box<[u8]> {
    LookupName::new(name).map_or_else(|| Box::from(&[0u8][..]), |key| Box::from(key.as_wire()))
}

/// A hash map keyed by name keys. FNV-1a is fast for these short keys, and they come from zone
/// data, not from queries, so there is nothing for a client to collide with.
pub(crate) type KeyMap<V> = FnvHashMap<Box<[u8]>, V>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_lowercase_wire_and_ancestors_are_suffixes() {
        let name = Name::from_ascii("WWW.Example.COM.").unwrap_or_else(|_| Name::root());
        let Some(key) = LookupName::new(&name) else {
            panic!("valid name");
        };
        assert_eq!(key.as_wire(), b"\x03www\x07example\x03com\x00");
        assert_eq!(key.label_count(), 3);
        assert_eq!(key.ancestor(3), key.as_wire());
        assert_eq!(key.ancestor(2), b"\x07example\x03com\x00");
        assert_eq!(key.ancestor(1), b"\x03com\x00");
        assert_eq!(key.ancestor(0), b"\x00");
        assert_eq!(key.ancestor(7), key.as_wire());
        let root = LookupName::new(&Name::root());
        assert_eq!(
            root.as_ref()
                .map(|key| (key.as_wire().to_vec(), key.label_count())),
            Some((vec![0], 0))
        );
        let wildcard = Name::from_ascii("*.w.example.").unwrap_or_else(|_| Name::root());
        assert_eq!(
            LookupName::new(&wildcard).map(|key| (key.is_wildcard(), key.label_count())),
            Some((true, 3))
        );
        assert_eq!(&*owned_key(&name), key.as_wire());
    }
}
