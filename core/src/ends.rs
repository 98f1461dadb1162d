//! The global position after each journal entry, four bytes an entry.
//!
//! Positions only grow along a journal, so each end is kept as its low 32 bits, and the
//! high half as a short list of the entries where it changes: empty below 2³² facts,
//! which is every journal a machine holds today, one item per 2³² facts beyond. The low
//! halves are kept in segments ([`Segmented`]): at most a segment of room is unused,
//! where a doubling vector left up to half of it (2.9 bytes a restaurant fact at 10,000
//! flows), and growing copies none of them.

use crate::segmented::Segmented;

/// The global position after each journal entry (non-decreasing).
#[derive(Default)]
pub(crate) struct Ends {
    /// The low 32 bits of each end.
    low: Segmented<u32>,
    /// Each entry from which on the high 32 bits are a new value, with that value.
    high: Vec<(usize, u32)>,
}

impl Ends {
    /// Appends the end of the next entry (not below the last one).
    #[inline]
    pub(crate) fn push(&mut self, end: u64) {
        if end > u64::from(u32::MAX) {
            self.note_high(end);
        }
        self.low.push(end as u32);
    }

    /// Notes the high half of `end`, the end of the next entry, if it is a new one.
    #[cold]
    fn note_high(&mut self, end: u64) {
        let high = (end >> 32) as u32;
        if high != self.high.last().map_or(0, |&(_, high)| high) {
            self.high.push((self.low.len(), high));
        }
    }

    /// The end of entry `index`.
    pub(crate) fn get(&self, index: usize) -> Option<u64> {
        let low = *self.low.get(index)?;
        Some(u64::from(self.high_at(index)) << 32 | u64::from(low))
    }

    /// The end of the last entry.
    pub(crate) fn last(&self) -> Option<u64> {
        self.get(self.low.len().checked_sub(1)?)
    }

    /// The number of entries whose end is `below` (ends are sorted, so those come first).
    pub(crate) fn count_below(&self, below: impl Fn(u64) -> bool) -> usize {
        if self.high.is_empty() {
            return self.low.partition_point(|&low| below(u64::from(low)));
        }
        let (mut from, mut to) = (0, self.low.len());
        while from < to {
            let middle = from + (to - from) / 2;
            match self.get(middle).is_some_and(&below) {
                true => from = middle + 1,
                false => to = middle,
            }
        }
        from
    }

    /// Keeps the first `entries` ends.
    pub(crate) fn truncate(&mut self, entries: usize) {
        self.low.truncate(entries);
        let keep = self.high.partition_point(|&(from, _)| from < entries);
        self.high.truncate(keep);
    }

    /// The high 32 bits of the end of entry `index`.
    fn high_at(&self, index: usize) -> u32 {
        match self.high.partition_point(|&(from, _)| from <= index) {
            0 => 0,
            after => self.high[after - 1].1,
        }
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
}
