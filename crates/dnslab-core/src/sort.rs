//! One stable sort for the whole crate, to keep the web page's wasm small.
//!
//! `slice::sort_by_key` is instantiated anew for every element type and every key closure, and
//! each instance of the standard library's stable sort is about 3 KB of wasm. Here the sorting
//! itself happens once, on indices, behind a `dyn` comparison; per element type only a few swaps
//! remain. The result is exactly what `sort_by_key` gives: a stable sort has one possible outcome
//! for a given comparison, whatever the algorithm.

use std::cmp::Ordering;

/// Sorts `items` by `key`, keeping the order of items with equal keys (as `sort_by_key` does).
pub(crate) fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |left, right| key(left).cmp(&key(right)));
}

/// Sorts `items` with `compare`, keeping the order of equal items (as `sort_by` does).
pub(crate) fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = stable_order(items.len(), &mut |left, right| {
        compare(&items[left], &items[right])
    });
    apply_order(order, &mut |left, right| items.swap(left, right));
}

/// The indices `0..len` in stable sorted order: position `k` holds the index of the item that
/// belongs at `k`.
fn stable_order(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&left, &right| compare(left, right));
    order
}

/// Moves the item at `order[k]` to position `k` for every `k`, by swaps along each cycle of the
/// permutation.
fn apply_order(mut order: Vec<usize>, swap: &mut dyn FnMut(usize, usize)) {
    for start in 0..order.len() {
        let mut position = start;
        // Placed positions are marked with their own index; a cycle ends where it began.
        while order[position] != start && order[position] != position {
            let next = order[position];
            swap(position, next);
            order[position] = position;
            position = next;
        }
        order[position] = position;
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn same_as_the_standard_stable_sort(items in proptest::collection::vec((0u8..6, any::<u16>()), 0..200)) {
            let mut expected = items.clone();
            expected.sort_by_key(|(key, _)| *key);
            let mut sorted = items;
            super::sort_by_key(&mut sorted, |(key, _)| *key);
            prop_assert_eq!(sorted, expected);
        }
    }
}
