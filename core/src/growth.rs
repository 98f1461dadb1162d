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
    if items.len() == items.capacity() && items.len() >= DOUBLING_BELOW {
        grow(items);
    }
    items.push(item);
}

/// Makes room for an eighth more items in a long vector (rare: kept out of the pushes'
/// path).
#[cold]
#[inline(never)]
fn grow<T>(items: &mut Vec<T>) {
    items.reserve_exact(items.len() / 8);
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
}
