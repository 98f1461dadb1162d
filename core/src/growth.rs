//! How the engine's long vectors grow (the journal, its entries' ends, the command
//! index): by an eighth of what they hold once they are large, instead of doubling, so
//! that a journal of a million entries carries at most an eighth of its length in
//! unused capacity (doubling leaves up to its whole length unused). Natively a
//! large block is grown in place by the allocator (`mremap`), so the extra growth steps
//! cost no copy; in wasm each copies the vector, about nine slots copied per item
//! pushed, amortized (two with doubling): a few nanoseconds an entry.

/// Below this many items a vector doubles, as `Vec` does.
const DOUBLING_BELOW: usize = 1 << 16;

/// Pushes `item` onto `items`; a full vector of [`DOUBLING_BELOW`] items or more grows by
/// an eighth, a smaller one doubles.
pub(crate) fn push<T>(items: &mut Vec<T>, item: T) {
    if items.len() == items.capacity() && items.len() >= DOUBLING_BELOW {
        items.reserve_exact(items.len() / 8);
    }
    items.push(item);
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_large_vector_grows_by_an_eighth_and_a_small_one_doubles() {
        let mut items: Vec<u32> = Vec::new();
        let large = super::DOUBLING_BELOW * 4;
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
