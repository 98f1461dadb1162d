//! The global position after each journal entry, in about a byte an entry.
//!
//! Positions only grow along a journal, and an entry records few facts (a submission
//! none, a step one or two), so each entry keeps its fact count in a byte, and every
//! [`BLOCK`]th entry's block the position before it, whole: an end is its block's start
//! and the counts of the block up to it (at most [`BLOCK`] bytes added). A count of
//! [`MANY`] or more (a scenario's long given history) is kept whole apart. Four bytes an
//! entry were kept before, each end's low half (1.125 now: the restaurant's 8 / 6
//! entries a flow, −3.3 / −3.5 bytes a fact, happy path / not on the menu). Both lists
//! are in segments ([`Segmented`]): at most a segment of room is unused, and growing
//! copies none of them.

use crate::segmented::Segmented;

/// How many entries a block holds, as a power of two: the ends kept whole are a
/// sixty-fourth of the entries (an eighth of a byte an entry), and an end is read by
/// adding at most 64 counts.
const BLOCK_BITS: u32 = 6;

/// How many entries a block holds.
const BLOCK: usize = 1 << BLOCK_BITS;

/// The count byte of an entry of this many facts or more, whose count is in
/// [`Ends::many`].
const MANY: u8 = u8::MAX;

/// The global position after each journal entry (non-decreasing).
#[derive(Default)]
pub(crate) struct Ends {
    /// Each entry's fact count, [`MANY`] for that many or more.
    counts: Segmented<u8>,
    /// The position before each block of [`BLOCK`] entries (the end of the entry before
    /// it; 0 for the first).
    starts: Segmented<u64>,
    /// Each entry of [`MANY`] facts or more, its index and its count, in order.
    many: Vec<(usize, u64)>,
    /// The end of the last entry (0 when there is none).
    last: u64,
}

impl Ends {
    /// Appends the end of the next entry (not below the last one). Twice a command (its
    /// submission, its step): a compare and a byte pushed, and a block's first entry or
    /// one of many facts out of line.
    #[inline]
    pub(crate) fn push(&mut self, end: u64) {
        debug_assert!(end >= self.last, "ends do not decrease");
        let count = end - self.last;
        self.last = end;
        // A segment holds whole blocks: the count's index in its block is the last
        // segment's length's.
        if count < u64::from(MANY) && self.counts.len() % BLOCK != 0 {
            self.counts.push(count as u8);
        } else {
            self.push_rare(count);
        }
    }

    /// Appends the count of the next entry, the first of its block (whose start it notes)
    /// or one of [`MANY`] facts or more.
    #[cold]
    #[inline(never)]
    fn push_rare(&mut self, count: u64) {
        let index = self.counts.len();
        if index % BLOCK == 0 {
            self.starts.push(self.last - count);
        }
        match u8::try_from(count) {
            Ok(count) if count < MANY => self.counts.push(count),
            _ => {
                self.many.push((index, count));
                self.counts.push(MANY);
            }
        }
    }

    /// The end of entry `index`.
    pub(crate) fn get(&self, index: usize) -> Option<u64> {
        if index >= self.counts.len() {
            return None;
        }
        let from = index & !(BLOCK - 1);
        let start = *self.starts.get(index >> BLOCK_BITS)?;
        Some(start + self.sum(from, index + 1))
    }

    /// The end of the last entry.
    pub(crate) fn last(&self) -> Option<u64> {
        (self.counts.len() > 0).then_some(self.last)
    }

    /// The facts entries `from..to` of one block recorded: their count bytes added (a
    /// loop LLVM vectorizes), then, for each entry of [`MANY`] or more, its whole count
    /// for its byte.
    fn sum(&self, from: usize, to: usize) -> u64 {
        let bytes: u64 = self
            .counts
            .within(from, to)
            .iter()
            .map(|&count| u64::from(count))
            .sum();
        if self.many.is_empty() {
            return bytes;
        }
        let first = self.many.partition_point(|&(index, _)| index < from);
        let beyond: u64 = self.many[first..]
            .iter()
            .take_while(|&&(index, _)| index < to)
            .map(|&(_, count)| count - u64::from(MANY))
            .sum();
        bytes + beyond
    }

    /// The number of entries whose end is `below` (ends are sorted, so those come first;
    /// `below` holds of a prefix of the positions): the blocks searched by their starts,
    /// then the ends of one block added up until `below` fails.
    pub(crate) fn count_below(&self, below: impl Fn(u64) -> bool) -> usize {
        let blocks = self.starts.partition_point(|&start| below(start));
        // No block starts below: no end is (each is at least its block's start).
        let Some(block) = blocks.checked_sub(1) else {
            return 0;
        };
        let from = block << BLOCK_BITS;
        let to = (from + BLOCK).min(self.counts.len());
        let mut end = *self.starts.get(block).expect("a block searched");
        for (index, &count) in (from..).zip(self.counts.within(from, to)) {
            end += match count {
                MANY => self.many_count(index),
                count => u64::from(count),
            };
            if !below(end) {
                return index;
            }
        }
        to
    }

    /// The count of entry `index`, one of [`MANY`] facts or more.
    #[cold]
    fn many_count(&self, index: usize) -> u64 {
        let at = self.many.partition_point(|&(many, _)| many < index);
        self.many[at].1
    }

    /// Keeps the first `entries` ends.
    pub(crate) fn truncate(&mut self, entries: usize) {
        if entries >= self.counts.len() {
            return;
        }
        self.last = entries
            .checked_sub(1)
            .map_or(0, |last| self.get(last).expect("an entry kept"));
        self.counts.truncate(entries);
        self.starts.truncate(entries.div_ceil(BLOCK));
        let keep = self.many.partition_point(|&(index, _)| index < entries);
        self.many.truncate(keep);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_beyond_32_bits_read_back_and_search_as_the_whole_numbers() {
        let whole = [
            0,
            3,
            3,
            u64::from(u32::MAX),
            1 << 32,
            (1 << 32) + 5,
            3 << 33,
        ];
        let mut ends = Ends::default();
        for end in whole {
            ends.push(end);
        }
        let read: Vec<u64> = (0..=whole.len()).filter_map(|i| ends.get(i)).collect();
        assert_eq!(read, whole);
        for probe in [
            0,
            3,
            4,
            u64::from(u32::MAX),
            1 << 32,
            (1 << 32) + 6,
            u64::MAX,
        ] {
            let below = whole.partition_point(|&end| end < probe);
            assert_eq!(ends.count_below(|end| end < probe), below, "below {probe}");
        }
        ends.truncate(4);
        assert_eq!(ends.last(), Some(u64::from(u32::MAX)));
        ends.push(7 << 32);
        assert_eq!(ends.last(), Some(7 << 32));
        assert_eq!(ends.get(2), Some(3));
    }

    /// Ends read back, searched and truncated as the whole numbers a `Vec` holds, across
    /// blocks and segments, with entries of many facts among them.
    #[test]
    fn ends_of_counts_small_and_many_read_and_search_as_a_vec_of_them() {
        let mut ends = Ends::default();
        let mut whole: Vec<u64> = Vec::new();
        let mut end = 0;
        for index in 0..3 * 4096 + 100 {
            end += match index % 97 {
                0 => 1000,
                13 => u64::from(MANY) - 1,
                50 => u64::from(MANY),
                _ => index as u64 % 3,
            };
            ends.push(end);
            whole.push(end);
        }
        let check = |ends: &Ends, whole: &[u64]| {
            assert_eq!(ends.last(), whole.last().copied());
            for index in
                (0..whole.len() + 2)
                    .step_by(7)
                    .chain([whole.len().saturating_sub(1), 63, 64, 65])
            {
                assert_eq!(ends.get(index), whole.get(index).copied(), "end {index}");
            }
            for probe in (0..whole.last().map_or(0, |&last| last) + 2)
                .step_by(101)
                .chain([0, 1, 999, 1000, 1001])
            {
                let below = whole.partition_point(|&end| end < probe);
                assert_eq!(ends.count_below(|end| end < probe), below, "below {probe}");
                let through = whole.partition_point(|&end| end <= probe);
                assert_eq!(
                    ends.count_below(|end| end <= probe),
                    through,
                    "through {probe}"
                );
            }
        };
        check(&ends, &whole);
        for keep in [4096 + 64, 4096 + 63, 1000, 64, 1, 0] {
            ends.truncate(keep);
            whole.truncate(keep);
            check(&ends, &whole);
        }
        ends.push(5);
        ends.push(300);
        assert_eq!(
            (ends.get(0), ends.get(1), ends.last()),
            (Some(5), Some(300), Some(300))
        );
        assert_eq!(ends.count_below(|end| end < 300), 1);
    }
}
