//! [`Segmented`]: a vector that grows without moving what it holds, and [`Span`], a run of
//! its items (or of a slice's) as a reader borrows it.
//!
//! A `Vec` that doubles copies everything it holds at each growth: the time-travel
//! checkpoints' stream states (hundreds of thousands of words in a long session) were
//! copied whole at each doubling, memory that nothing else reads then, and the journal's
//! entries were copied at each growth once the allocator no longer mapped them. Here only
//! the first segment grows (by doubling, up to [`SEGMENT`] items); every later one is
//! allocated whole and never moves, so growing copies at most one segment once, and at
//! most a segment less one item is left unused.

use std::fmt;
use std::ops::{Bound, Index, RangeBounds};

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

    /// Item `index`, to change, if there is one.
    #[inline]
    pub(crate) fn get_mut(&mut self, index: usize) -> Option<&mut T> {
        let (segment, at) = Self::place(index);
        let full = self.full.len();
        match self.full.get_mut(segment) {
            Some(items) => items.get_mut(at),
            None if segment == full => self.last.get_mut(at),
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

    /// Every item, as a [`Span`].
    #[inline]
    pub(crate) fn span(&self) -> Span<'_, T> {
        Span {
            segments: &self.full,
            last: &self.last,
            from: 0,
            to: self.len(),
        }
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

impl<T> Index<usize> for Segmented<T> {
    type Output = T;

    #[inline]
    fn index(&self, index: usize) -> &T {
        match self.get(index) {
            Some(item) => item,
            None => panic!("index {index} out of {} items", self.len()),
        }
    }
}

/// A run of consecutive items, borrowed: of a vector in segments (the journal's
/// entries, [`crate::Timeline::journal`]), or of a slice. Read as a slice is: its length,
/// an item by index, a shorter run of it ([`Span::range`]), its items in order.
pub struct Span<'a, T> {
    /// The full segments of the vector the items are in (none for a slice).
    segments: &'a [Vec<T>],
    /// The items after them.
    last: &'a [T],
    /// The run: items `from..to` of the segments followed by `last`.
    from: usize,
    to: usize,
}

impl<T> Clone for Span<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Span<'_, T> {}

impl<'a, T> From<&'a [T]> for Span<'a, T> {
    fn from(items: &'a [T]) -> Self {
        Span {
            segments: &[],
            last: items,
            from: 0,
            to: items.len(),
        }
    }
}

impl<'a, T> From<&'a Vec<T>> for Span<'a, T> {
    fn from(items: &'a Vec<T>) -> Self {
        Span::from(&items[..])
    }
}

impl<'a, T> Span<'a, T> {
    /// The number of items.
    #[inline]
    pub fn len(&self) -> usize {
        self.to - self.from
    }

    /// Whether there is none.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.to == self.from
    }

    /// Item `index`, if there is one.
    #[inline]
    pub fn get(&self, index: usize) -> Option<&'a T> {
        if index >= self.len() {
            return None;
        }
        let at = self.from + index;
        let (segment, within) = (at >> SEGMENT_BITS, at & (SEGMENT - 1));
        Some(match self.segments.get(segment) {
            Some(full) => &full[within],
            None => &self.last[at - self.segments.len() * SEGMENT],
        })
    }

    /// The first item, if any.
    pub fn first(&self) -> Option<&'a T> {
        self.get(0)
    }

    /// The last item, if any.
    pub fn last(&self) -> Option<&'a T> {
        self.len().checked_sub(1).and_then(|last| self.get(last))
    }

    /// Items `range` of this run, as a slice's `&items[range]` (which panics as it does
    /// when the range is out of bounds).
    pub fn range(self, range: impl RangeBounds<usize>) -> Span<'a, T> {
        let from = match range.start_bound() {
            Bound::Included(&from) => from,
            Bound::Excluded(&from) => from + 1,
            Bound::Unbounded => 0,
        };
        let to = match range.end_bound() {
            Bound::Included(&to) => to + 1,
            Bound::Excluded(&to) => to,
            Bound::Unbounded => self.len(),
        };
        assert!(
            from <= to && to <= self.len(),
            "range {from}..{to} out of a span of {}",
            self.len()
        );
        Span {
            from: self.from + from,
            to: self.from + to,
            ..self
        }
    }

    /// The items, in order.
    #[inline]
    pub fn iter(self) -> SpanIter<'a, T> {
        let (segment, within) = (self.from >> SEGMENT_BITS, self.from & (SEGMENT - 1));
        let len = self.len();
        match self.segments.get(segment) {
            Some(full) => {
                let items = &full[within..within + len.min(SEGMENT - within)];
                SpanIter {
                    left: len - items.len(),
                    items: items.iter(),
                    segments: self.segments[segment + 1..].iter(),
                    last: self.last,
                }
            }
            None => {
                let before = self.segments.len() * SEGMENT;
                SpanIter {
                    items: self.last[self.from - before..self.to - before].iter(),
                    left: 0,
                    segments: [].iter(),
                    last: &[],
                }
            }
        }
    }

    /// The items as slices, one a segment, in order: a loop that walks many items (a
    /// restore's, a fold's) runs over each as tight as over one slice.
    pub fn slices(self) -> impl Iterator<Item = &'a [T]> {
        let (from, to) = (self.from, self.to);
        let first = (from >> SEGMENT_BITS).min(self.segments.len());
        let full = self.segments[first..].iter().map(|full| &full[..]);
        full.chain([self.last])
            .zip((first..).map(|segment| segment * SEGMENT))
            .take_while(move |&(_, start)| start < to)
            .map(move |(items, start)| {
                &items[from.saturating_sub(start)..(to - start).min(items.len())]
            })
    }

    /// The items, cloned into a vector.
    pub fn to_vec(self) -> Vec<T>
    where
        T: Clone,
    {
        self.iter().cloned().collect()
    }
}

impl<T> Index<usize> for Span<'_, T> {
    type Output = T;

    fn index(&self, index: usize) -> &T {
        match self.get(index) {
            Some(item) => item,
            None => panic!("index {index} out of a span of {}", self.len()),
        }
    }
}

impl<'a, T> IntoIterator for Span<'a, T> {
    type Item = &'a T;
    type IntoIter = SpanIter<'a, T>;

    fn into_iter(self) -> SpanIter<'a, T> {
        self.iter()
    }
}

impl<'a, T> IntoIterator for &Span<'a, T> {
    type Item = &'a T;
    type IntoIter = SpanIter<'a, T>;

    fn into_iter(self) -> SpanIter<'a, T> {
        self.iter()
    }
}

impl<T: PartialEq> PartialEq for Span<'_, T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<T: fmt::Debug> fmt::Debug for Span<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The items of a [`Span`], in order: a slice's iterator within a segment, the next
/// segment taken up out of line.
pub struct SpanIter<'a, T> {
    /// The items left of the segment being read.
    items: std::slice::Iter<'a, T>,
    /// How many items of the span are after those.
    left: usize,
    /// The full segments after the one being read.
    segments: std::slice::Iter<'a, Vec<T>>,
    /// The items after the full segments.
    last: &'a [T],
}

impl<'a, T> SpanIter<'a, T> {
    /// Moves on to the next segment's items (at most `left` of them), and reads its first.
    #[cold]
    #[inline(never)]
    fn next_segment(&mut self) -> Option<&'a T> {
        if self.left == 0 {
            return None;
        }
        let items = match self.segments.next() {
            Some(full) => &full[..],
            None => std::mem::take(&mut self.last),
        };
        let items = &items[..self.left.min(items.len())];
        self.left -= items.len();
        self.items = items.iter();
        self.items.next()
    }
}

impl<'a, T> Iterator for SpanIter<'a, T> {
    type Item = &'a T;

    #[inline]
    fn next(&mut self) -> Option<&'a T> {
        match self.items.next() {
            Some(item) => Some(item),
            None => self.next_segment(),
        }
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        let len = self.items.len() + self.left;
        (len, Some(len))
    }
}

impl<T> ExactSizeIterator for SpanIter<'_, T> {}

impl<T> std::iter::FusedIterator for SpanIter<'_, T> {}

#[cfg(test)]
mod tests {
    use super::{Segmented, Span, SEGMENT};

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
    fn a_span_reads_as_a_vec_s_slice_across_segments() {
        let mut items = Segmented::default();
        let count = 3 * SEGMENT + 7;
        for item in 0..count {
            items.push(item);
        }
        let vec: Vec<usize> = (0..count).collect();
        let whole = items.span();
        assert_eq!(whole, Span::from(&vec));
        let bounds = [
            0,
            1,
            SEGMENT - 1,
            SEGMENT,
            SEGMENT + 1,
            2 * SEGMENT,
            count - 1,
            count,
        ];
        for from in bounds {
            for to in bounds.into_iter().filter(|&to| to >= from) {
                for span in [whole.range(from..to), Span::from(&vec[..]).range(from..to)] {
                    let mut iter = span.iter();
                    assert_eq!(iter.len(), to - from);
                    iter.next();
                    assert_eq!(iter.len(), (to - from).saturating_sub(1));
                    assert!(span.iter().eq(&vec[from..to]), "{from}..{to}");
                    // As slices, each within one segment.
                    let slices: Vec<&[usize]> = span.slices().collect();
                    assert_eq!(slices.concat(), vec[from..to]);
                    assert_eq!(span.to_vec(), vec[from..to]);
                    assert_eq!((span.len(), span.is_empty()), (to - from, from == to));
                    assert_eq!(
                        (span.first(), span.last()),
                        (vec[from..to].first(), vec[from..to].last())
                    );
                    assert_eq!(span.get(to - from), None);
                    assert!((0..to - from).all(|i| span[i] == from + i));
                    // A shorter run of a run is the same items as the slice's.
                    let inner = span.range((to - from) / 3..);
                    assert!(inner.iter().eq(&vec[from + (to - from) / 3..to]));
                }
            }
        }
        // A segmented span's slices lie each in one segment.
        let slices: Vec<&[usize]> = whole.range(5..count - 5).slices().collect();
        let lens: Vec<usize> = slices.iter().map(|s| s.len()).collect();
        assert_eq!(lens, [SEGMENT - 5, SEGMENT, SEGMENT, 2]);
        assert_ne!(whole.range(1..), Span::from(&vec[..count - 1]));
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
