//! Bytes shared by the messages found in one input: a capture is copied once, and each message's
//! DNS bytes and frame are ranges of that copy, not copies of their own.
//!
//! Opening a capture of 60,000 packets made two copies per packet (its DNS message and its
//! frame); in the browser's profile of it, the allocator was the function that took most time.

use std::fmt;
use std::ops::{Deref, Range};
use std::sync::Arc;

/// A range of a shared buffer; reads as the bytes it covers (`&*bytes`, `bytes.len()`).
#[derive(Clone)]
pub struct SharedBytes {
    buffer: Arc<[u8]>,
    /// Always within `buffer` (every constructor checks it).
    start: usize,
    end: usize,
}

impl SharedBytes {
    /// The whole of `buffer`.
    pub fn new(buffer: Arc<[u8]>) -> SharedBytes {
        let end = buffer.len();
        SharedBytes {
            buffer,
            start: 0,
            end,
        }
    }

    /// The part `range` of these bytes (offsets relative to them), sharing the buffer; `None`
    /// when the range does not lie within them.
    pub fn slice(&self, range: Range<usize>) -> Option<SharedBytes> {
        if range.start > range.end || range.end > self.len() {
            return None;
        }
        Some(SharedBytes {
            buffer: Arc::clone(&self.buffer),
            start: self.start + range.start,
            end: self.start + range.end,
        })
    }

    /// The bytes.
    pub fn as_slice(&self) -> &[u8] {
        self.buffer.get(self.start..self.end).unwrap_or_default()
    }
}

impl Deref for SharedBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl Default for SharedBytes {
    fn default() -> Self {
        SharedBytes::new(Arc::from(Vec::new()))
    }
}

impl From<Vec<u8>> for SharedBytes {
    fn from(bytes: Vec<u8>) -> Self {
        SharedBytes::new(Arc::from(bytes))
    }
}

impl From<&[u8]> for SharedBytes {
    fn from(bytes: &[u8]) -> Self {
        SharedBytes::new(Arc::from(bytes))
    }
}

/// Printed as the bytes they cover, as a `Vec<u8>` would be.
impl fmt::Debug for SharedBytes {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_slice(), formatter)
    }
}

/// Equal when they cover the same bytes, wherever those are.
impl PartialEq for SharedBytes {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for SharedBytes {}

impl PartialEq<[u8]> for SharedBytes {
    fn eq(&self, other: &[u8]) -> bool {
        self.as_slice() == other
    }
}

impl PartialEq<Vec<u8>> for SharedBytes {
    fn eq(&self, other: &Vec<u8>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<const N: usize> PartialEq<[u8; N]> for SharedBytes {
    fn eq(&self, other: &[u8; N]) -> bool {
        self.as_slice() == other.as_slice()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_share_the_buffer_and_read_their_range() {
        let whole = SharedBytes::from(vec![1, 2, 3, 4, 5]);
        let middle = whole.slice(1..4).expect("within");
        assert_eq!(middle, [2, 3, 4]);
        assert_eq!(middle.slice(1..3).expect("within"), [3, 4]);
        assert!(Arc::ptr_eq(&whole.buffer, &middle.buffer));
        assert_eq!(whole.slice(0..0).expect("empty is within").len(), 0);
    }

    #[test]
    fn ranges_outside_the_bytes_are_refused() {
        let whole = SharedBytes::from(vec![1, 2, 3]);
        let middle = whole.slice(1..3).expect("within");
        assert!(whole.slice(2..4).is_none());
        assert!(middle.slice(0..3).is_none());
        #[allow(clippy::reversed_empty_ranges)]
        let reversed = 2..1;
        assert!(whole.slice(reversed).is_none());
    }

    #[test]
    fn equality_is_by_content() {
        let left = SharedBytes::from(vec![1, 2, 3])
            .slice(1..3)
            .expect("within");
        let right = SharedBytes::from(vec![2, 3]);
        assert_eq!(left, right);
        assert_eq!(left, vec![2, 3]);
        assert_eq!(format!("{left:?}"), "[2, 3]");
    }
}
