//! [`Shelf`]: an append-only vector in segments that its copies share.
//!
//! The time-travel checkpoints' stream ids and states are read by a restored whole state
//! long after the restore returned (a [`crate::Streams`] that shares a checkpoint's
//! streams instead of owning a copy of each): a copy of a shelf shares every segment (a
//! count a segment, not an item), and the shelf it was copied from copies a segment only
//! to change it while a copy still shares it. Like [`crate::segmented`]'s vector, growing
//! moves at most one segment: the first grows by doubling, every later one is allocated
//! whole, or (a shelf [`Shelf::in_steps`]) grows by an eighth of a full one, so that at
//! most that much room is unused.

/// How many items a segment holds (the log of it).
const SEGMENT_BITS: u32 = 12;

/// How many items a segment holds: 32 KB of words.
const SEGMENT: usize = 1 << SEGMENT_BITS;

/// A segment as a shelf and its copies share it: `triomphe`'s `Arc` (no weak count).
type Segment<T> = triomphe::Arc<Vec<T>>;

/// Items in shared segments of [`SEGMENT`]: item `i` is item `i % SEGMENT` of segment
/// `i / SEGMENT`; every segment but the last is full.
pub(crate) struct Shelf<T> {
    segments: Vec<Segment<T>>,
    /// How many items a segment grows by, at most, once it holds as many.
    step: usize,
}

impl<T> Default for Shelf<T> {
    /// An empty shelf whose segments after the first are allocated whole.
    fn default() -> Self {
        Shelf {
            segments: Vec::new(),
            step: SEGMENT,
        }
    }
}

impl<T> Clone for Shelf<T> {
    /// A copy that shares every segment: a count a segment.
    fn clone(&self) -> Self {
        Shelf {
            segments: self.segments.clone(),
            step: self.step,
        }
    }
}

/// The segment of item `index` and the item's index in it.
#[inline]
fn place(index: usize) -> (usize, usize) {
    (index >> SEGMENT_BITS, index & (SEGMENT - 1))
}

impl<T> Shelf<T> {
    /// An empty shelf whose segments grow by an eighth of a full one at most (at most
    /// that much room unused, where a segment allocated whole leaves up to a segment):
    /// for items pushed in bursts (a checkpoint's new streams' ids).
    pub(crate) fn in_steps() -> Self {
        Shelf {
            segments: Vec::new(),
            step: SEGMENT / 8,
        }
    }

    /// The number of items.
    pub(crate) fn len(&self) -> usize {
        self.segments
            .last()
            .map_or(0, |last| (self.segments.len() - 1) * SEGMENT + last.len())
    }

    /// Item `index`, if there is one.
    #[inline]
    pub(crate) fn get(&self, index: usize) -> Option<&T> {
        let (segment, at) = place(index);
        self.segments.get(segment)?.get(at)
    }

    /// Item `index` to change, if there is one and no copy of the shelf shares its
    /// segment.
    #[inline]
    pub(crate) fn get_mut(&mut self, index: usize) -> Option<&mut T> {
        let (segment, at) = place(index);
        triomphe::Arc::get_mut(self.segments.get_mut(segment)?)?.get_mut(at)
    }

    /// Drops the items from `len` on (none if there are no more than `len`); a segment
    /// a copy shares is left to it, its first items copied.
    pub(crate) fn truncate(&mut self, len: usize)
    where
        T: Clone,
    {
        if len >= self.len() {
            return;
        }
        let (segment, at) = place(len);
        self.segments.truncate(segment + 1);
        if at == 0 {
            self.segments.pop();
        } else if let Some(last) = self.segments.last_mut() {
            triomphe::Arc::make_mut(last).truncate(at);
        }
    }

    /// The items, to be freed a few at a time, in one pass: each segment's own, or a
    /// copy of one a copy of the shelf still shares.
    pub(crate) fn into_drain(self) -> ShelfDrain<T>
    where
        T: Clone,
    {
        let left = self.len();
        let segments = self.segments.into_iter();
        ShelfDrain {
            items: segments.flat_map(unshared as Unshared<T>),
            left,
        }
    }
}

/// A segment's items: its own, or a copy of the ones a copy of its shelf still shares.
fn unshared<T: Clone>(segment: Segment<T>) -> std::vec::IntoIter<T> {
    triomphe::Arc::try_unwrap(segment)
        .unwrap_or_else(|shared| Vec::clone(&shared))
        .into_iter()
}

impl<T: Clone> Shelf<T> {
    /// Appends `item` (copying the last segment first if a copy of the shelf shares it).
    /// Inlined: most pushes are a count read and a `Vec`'s push into its room; growing a
    /// segment, a new one and a copy are out of line.
    #[inline]
    pub(crate) fn push(&mut self, item: T) {
        if let Some(last) = self.segments.last_mut() {
            if last.len() < last.capacity() {
                if let Some(last) = triomphe::Arc::get_mut(last) {
                    last.push(item);
                    return;
                }
            }
        }
        self.push_out_of_line(item);
    }

    /// [`Shelf::push`] into a full segment (grown by as much as it holds, up to the
    /// shelf's step and a full segment), one a copy shares (copied first), or a new one.
    #[cold]
    #[inline(never)]
    fn push_out_of_line(&mut self, item: T) {
        match self.segments.last_mut() {
            Some(last) if last.len() < SEGMENT => {
                let last = triomphe::Arc::make_mut(last);
                if last.len() == last.capacity() {
                    let room = last.len().clamp(4, self.step).min(SEGMENT - last.len());
                    last.reserve_exact(room);
                }
                last.push(item);
            }
            _ => {
                let room = if self.segments.is_empty() {
                    4
                } else {
                    self.step
                };
                let mut segment = Vec::with_capacity(room);
                segment.push(item);
                self.segments.push(triomphe::Arc::new(segment));
            }
        }
    }
}

/// A segment's items, by value.
type SegmentItems<T> = std::vec::IntoIter<T>;

/// [`unshared`], as [`ShelfDrain`] holds it.
type Unshared<T> = fn(Segment<T>) -> SegmentItems<T>;

/// The items of a [`Shelf`] being freed ([`Shelf::into_drain`]).
pub(crate) struct ShelfDrain<T> {
    items: std::iter::FlatMap<std::vec::IntoIter<Segment<T>>, SegmentItems<T>, Unshared<T>>,
    left: usize,
}

impl<T> Iterator for ShelfDrain<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let item = self.items.next()?;
        self.left -= 1;
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<T> ExactSizeIterator for ShelfDrain<T> {}

#[cfg(test)]
mod tests {
    use super::{Shelf, SEGMENT};

    #[test]
    fn a_copy_keeps_its_items_while_the_shelf_it_shares_with_changes() {
        let mut items = Shelf::in_steps();
        let count = 2 * SEGMENT + 5;
        for item in 0..count {
            items.push(item);
        }
        let copy = items.clone();
        assert_eq!(
            (items.len(), items.get(SEGMENT), items.get(count)),
            (count, Some(&SEGMENT), None)
        );
        assert_eq!(items.get_mut(3), None, "shared with the copy");
        items.push(count);
        *items
            .get_mut(2 * SEGMENT)
            .expect("the last segment, copied by the push") = 8;
        assert_eq!(items.get_mut(4), None, "the first segment still shared");
        items.truncate(2 * SEGMENT + 3);
        assert_eq!(items.len(), 2 * SEGMENT + 3);
        assert!((0..count).all(|i| copy.get(i) == Some(&i)));
        assert_eq!(copy.len(), count);
        let expected = (0..2 * SEGMENT + 3).map(|i| if i == 2 * SEGMENT { 8 } else { i });
        let drained = items.into_drain();
        assert_eq!(drained.len(), 2 * SEGMENT + 3);
        assert!(drained.eq(expected));
        items = copy.clone();
        items.truncate(SEGMENT + 1);
        assert_eq!((items.len(), items.get(SEGMENT + 1)), (SEGMENT + 1, None));
        items.truncate(SEGMENT);
        assert_eq!((items.len(), items.get(SEGMENT)), (SEGMENT, None));
        assert!(copy.into_drain().eq(0..count));
    }
}
