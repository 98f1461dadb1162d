//! How long vectors grow (the checkpoints' stream ids and the checkpoints, the live
//! streams): by an eighth of what they hold once they hold 65,536 items, instead of
//! doubling, so that a long vector carries at most an eighth of its length in unused
//! capacity (doubling leaves up to its whole length unused). Each growth may copy the
//! vector: about nine items copied per item pushed, amortized, instead of two. The
//! journal's entries are in segments instead ([`crate::segmented::Segmented`]): growing
//! copies none of them (grown by an eighth, each growth copied the slots once glibc's
//! threshold for mapping a block had climbed above them).

/// Below this many items a vector doubles, as `Vec` does: a vector this short is half a
/// megabyte of words at most, and each growth by an eighth costs the native allocator a
/// reallocation that doubling spares.
const DOUBLING_BELOW: usize = 1 << 16;

/// Pushes `item` onto `items`; a full vector of [`DOUBLING_BELOW`] items or more grows by
/// an eighth, a smaller one doubles.
#[inline]
pub(crate) fn push<T>(items: &mut Vec<T>, item: T) {
    push_from(items, item, DOUBLING_BELOW);
}

/// Pushes `item` onto `items`; a full vector of `from` items or more grows by an eighth, a
/// smaller one doubles (for a vector of many small items held at once, [`push`] with a
/// lower threshold: the live streams).
#[inline]
pub(crate) fn push_from<T>(items: &mut Vec<T>, item: T, from: usize) {
    if items.len() == items.capacity() {
        make_room(items, from);
    }
    items.push(item);
}

/// Makes room in a full vector: an eighth more in one of `from` items or more, as much
/// again in a shorter one (rare: kept out of the pushes' path).
#[cold]
#[inline(never)]
fn make_room<T>(items: &mut Vec<T>, from: usize) {
    items.reserve_exact(room(items.len(), from));
}

/// How many items a full vector of `len` grows by: an eighth of one of `from` items or
/// more, as many again for a shorter one.
fn room(len: usize, from: usize) -> usize {
    match len {
        long if long >= from => long / 8,
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
    fn a_vector_pushed_to_from_a_lower_threshold_grows_by_an_eighth_from_there() {
        let mut items: Vec<u32> = Vec::new();
        for item in 0..10_000 {
            super::push_from(&mut items, item, 100);
            let len = items.len();
            // Past the doubling that crossed the threshold, by an eighth at most.
            let most = if len > 200 {
                len + len / 8 + 1
            } else {
                (len * 2).max(8)
            };
            assert!(items.capacity() <= most, "{len}: {}", items.capacity());
        }
        assert!(items.iter().enumerate().all(|(i, &item)| i as u32 == item));
    }
}
