//! [`Segmented`]: a vector that grows without moving what it holds.
//!
//! A `Vec` that doubles copies everything it holds at each growth: the time-travel
//! checkpoints' stream states (hundreds of thousands of words in a long session) were
//! copied whole at each doubling, memory that nothing else reads then. Here only the first
//! segment grows (by doubling, up to [`SEGMENT`] items); every later one is allocated whole
//! and never moves, so growing copies at most one segment once, and at most a segment less
//! one item is left unused.

/// How many items a segment holds: 32 KB of words.
const SEGMENT_BITS: u32 = 12;

/// How many items a segment holds.
const SEGMENT: usize = 1 << SEGMENT_BITS;

/// Items in segments of [`SEGMENT`]: item `i` is item `i % SEGMENT` of segment
/// `i / SEGMENT`.
pub(crate) struct Segmented<T> {
    /// The full segments, in order.
    full: Vec<Vec<T>>,
    /// The segment being filled, after them.
    last: Vec<T>,
}

impl<T> Default for Segmented<T> {
    fn default() -> Self {
        Segmented {
            full: Vec::new(),
            last: Vec::new(),
        }
    }
}

impl<T> Segmented<T> {
    /// The number of items.
    pub(crate) fn len(&self) -> usize {
        self.full.len() * SEGMENT + self.last.len()
    }

    /// Appends `item`.
    #[inline]
    pub(crate) fn push(&mut self, item: T) {
        if self.last.len() == SEGMENT {
            self.start_a_segment();
        }
        self.last.push(item);
    }

    /// Puts the full last segment with the others and starts a new one, whole: only the
    /// first segment grows as a `Vec` does.
    #[cold]
    #[inline(never)]
    fn start_a_segment(&mut self) {
        let full = std::mem::replace(&mut self.last, Vec::with_capacity(SEGMENT));
        self.full.push(full);
    }

    /// The segment of item `index` and the item's index in it.
    #[inline]
    fn place(index: usize) -> (usize, usize) {
        (index >> SEGMENT_BITS, index & (SEGMENT - 1))
    }

    /// Item `index`, if there is one.
    #[inline]
    pub(crate) fn get(&self, index: usize) -> Option<&T> {
        let (segment, at) = Self::place(index);
        match self.full.get(segment) {
            Some(full) => full.get(at),
            None if segment == self.full.len() => self.last.get(at),
            None => None,
        }
    }

    /// Items `from..to`, which lie in one segment (`from <= to <= len`, and `to - 1` in
    /// `from`'s segment when `from < to`): a slice of it.
    #[inline]
    pub(crate) fn within(&self, from: usize, to: usize) -> &[T] {
        let (segment, at) = Self::place(from);
        let items = match self.full.get(segment) {
            Some(full) => &full[..],
            None => &self.last[..],
        };
        &items[at..at + (to - from)]
    }

    /// The number of items for which `before` holds, which holds of a prefix of them: a
    /// binary search of the segments by their last items, then of one segment.
    pub(crate) fn partition_point(&self, before: impl Fn(&T) -> bool) -> usize {
        // A full segment is never empty.
        let segment = self
            .full
            .partition_point(|full| full.last().is_some_and(&before));
        let within = match self.full.get(segment) {
            Some(full) => full.partition_point(&before),
            None => self.last.partition_point(&before),
        };
        segment * SEGMENT + within
    }

    /// Drops the items from `len` on (none if there are no more than `len`).
    pub(crate) fn truncate(&mut self, len: usize) {
        if len >= self.len() {
            return;
        }
        let (segment, at) = Self::place(len);
        if segment < self.full.len() {
            // The segment of item `len` becomes the last one (a segment after a full one
            // is never empty, so a `len` at a segment's start keeps the one before).
            let keep = if at == 0 && segment > 0 {
                segment - 1
            } else {
                segment
            };
            self.full.truncate(keep + 1);
            self.last = self.full.pop().expect("a segment kept");
            self.last.truncate(len - keep * SEGMENT);
        } else {
            self.last.truncate(at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Segmented, SEGMENT};

    #[test]
    fn items_keep_their_place_and_index_across_segments_as_a_vec_does() {
        let mut items = Segmented::default();
        let count = 3 * SEGMENT + 5;
        for item in 0..count {
            items.push(item);
        }
        assert_eq!(items.len(), count);
        assert_eq!(items.get(SEGMENT), Some(&SEGMENT));
        assert_eq!(items.get(count), None);
        let first_of_second = std::ptr::from_ref(items.get(SEGMENT).unwrap());
        items.push(count);
        assert_eq!(
            std::ptr::from_ref(items.get(SEGMENT).unwrap()),
            first_of_second
        );
        assert!((0..=count).all(|i| items.get(i) == Some(&i)));
        for len in [2 * SEGMENT + 1, 2 * SEGMENT, SEGMENT - 1, 0] {
            items.truncate(len);
            assert_eq!((items.len(), items.get(len)), (len, None));
            assert!((0..len).all(|i| items.get(i).is_some()));
        }
        items.push(9);
        assert_eq!((items.len(), items.get(0)), (1, Some(&9)));
    }

    #[test]
    fn a_run_within_a_segment_is_its_items() {
        let mut items = Segmented::default();
        for item in 0..2 * SEGMENT + 3 {
            items.push(item);
        }
        assert_eq!(items.within(5, 9), &[5, 6, 7, 8]);
        assert_eq!(items.within(SEGMENT, SEGMENT + 2), &[SEGMENT, SEGMENT + 1]);
        assert_eq!(
            items.within(2 * SEGMENT + 1, 2 * SEGMENT + 3),
            &[2 * SEGMENT + 1, 2 * SEGMENT + 2]
        );
        assert!(items.within(SEGMENT - 1, SEGMENT - 1).is_empty());
    }

    #[test]
    fn a_partition_point_is_a_vec_s_across_segments() {
        let mut items = Segmented::default();
        let mut vec = Vec::new();
        for item in 0..2 * SEGMENT + 3 {
            items.push(item / 2);
            vec.push(item / 2);
            if item % 997 == 0 || item + 1 == 2 * SEGMENT + 3 {
                for probe in [
                    0,
                    1,
                    item / 4,
                    SEGMENT / 2,
                    SEGMENT / 2 + 1,
                    SEGMENT,
                    usize::MAX,
                ] {
                    let point = items.partition_point(|&i| i < probe);
                    assert_eq!(point, vec.partition_point(|&i| i < probe), "{probe}");
                }
            }
        }
    }
}
