//! How the journal's long vectors grow (its entries, and their ends): by an eighth of
//! what they hold once they hold a million items, instead of doubling, so that a journal
//! of millions of entries carries at most an eighth of its length in unused capacity
//! (doubling leaves up to its whole length unused: 8 bytes a fact at a million counter
//! facts). Each growth may copy the vector: about nine slots copied per item pushed,
//! amortized, instead of two.

/// Below this many items a vector doubles, as `Vec` does: a journal this short is a few
/// megabytes, and each growth by an eighth costs the native allocator a reallocation
/// (and a `malloc_consolidate`) that doubling spares.
const DOUBLING_BELOW: usize = 1 << 20;

/// Pushes `item` onto `items`; a full vector of [`DOUBLING_BELOW`] items or more grows by
/// an eighth, a smaller one doubles.
#[inline]
pub(crate) fn push<T>(items: &mut Vec<T>, item: T) {
    if items.len() == items.capacity() {
        make_room(items);
    }
    items.push(item);
}

/// Extends `items` to `len` items (not fewer than it holds), the new ones `value`,
/// growing as [`push`] does: by an eighth of what a long vector holds, at least.
pub(crate) fn extend_to<T: Clone>(items: &mut Vec<T>, len: usize, value: T) {
    if len > items.capacity() {
        let more = room(items.len()).max(len - items.len());
        items.reserve_exact(more);
    }
    items.resize(len.max(items.len()), value);
}

/// Makes room in a full vector: an eighth more in a long one, as much again in a short
/// one (rare: kept out of the pushes' path).
#[cold]
#[inline(never)]
fn make_room<T>(items: &mut Vec<T>) {
    items.reserve_exact(room(items.len()));
}

/// How many items a full vector of `len` grows by: an eighth of a long one, as many again
/// for a short one.
fn room(len: usize) -> usize {
    match len {
        long if long >= DOUBLING_BELOW => long / 8,
        short => short.max(4),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_large_vector_grows_by_an_eighth_and_a_small_one_doubles() {
        let mut items: Vec<u32> = Vec::new();
        let large = super::DOUBLING_BELOW * 2;
        for item in 0..large as u32 {
            super::push(&mut items, item);
            assert!(items.capacity() <= (items.len() * 2).max(8));
            if items.len() > super::DOUBLING_BELOW {
                assert!(items.capacity() <= items.len() + items.len() / 8 + 1);
            }
        }
        assert_eq!(items.len(), large);
        assert!(items.iter().enumerate().all(|(i, &item)| i as u32 == item));
    }

    #[test]
    fn a_vector_extended_to_a_length_grows_as_one_pushed_to_it() {
        use std::num::NonZeroUsize;
        let mut items: Vec<Option<NonZeroUsize>> = Vec::new();
        let large = super::DOUBLING_BELOW * 3;
        for len in (1..large).step_by(1000) {
            super::extend_to(&mut items, len, None);
            items[len - 1] = NonZeroUsize::new(len);
            assert_eq!(items.len(), len);
            assert!(items.capacity() <= (len * 2).max(8));
            // Past the doubling a short vector's last growth left room for.
            if len > super::DOUBLING_BELOW * 2 {
                assert!(items.capacity() <= len + len / 8 + 1000);
            }
        }
        let len = items.len();
        super::extend_to(&mut items, 10, None);
        assert_eq!(items.len(), len, "never shortened");
        let set: Vec<usize> = items.iter().flatten().map(|n| n.get()).collect();
        assert_eq!(set, (1..large).step_by(1000).collect::<Vec<_>>());
    }
}
