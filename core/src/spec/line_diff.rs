//! A unified line diff (`--- expected`, `+++ actual`, `@@ -a,b +c,d @@` hunks with three
//! lines of context), in the format of `diff -u` and of the `similar` crate.
//!
//! The texts' common beginning and end are set aside first; what is left between them is
//! matched by a longest common subsequence of lines, up to [`MAX_CELLS`] line pairs
//! (larger middles, rare for the pretty JSON and `Debug` texts compared here, are shown
//! as all removed then all added, still a correct diff).

use std::fmt::Write as _;

/// The most line pairs the longest-common-subsequence table may hold (4 bytes each).
pub const MAX_CELLS: usize = 1 << 20;

/// Lines of unchanged context around each change.
const CONTEXT: usize = 3;

/// One run of the diff: lines `old..old + len` of the expected text and
/// `new..new + len` of the actual one (for a deletion, `new` is where it would be in the
/// actual text; for an insertion, `old` in the expected text).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Op {
    kind: Kind,
    old: usize,
    new: usize,
    len: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Equal,
    Delete,
    Insert,
}

impl Op {
    fn old_end(&self) -> usize {
        self.old
            + if self.kind == Kind::Insert {
                0
            } else {
                self.len
            }
    }

    fn new_end(&self) -> usize {
        self.new
            + if self.kind == Kind::Delete {
                0
            } else {
                self.len
            }
    }
}

/// The unified diff of `expected` and `actual` under the headers `--- expected` and
/// `+++ actual`; empty when the texts are equal.
pub fn unified(expected: &str, actual: &str) -> String {
    let old: Vec<&str> = expected.split_inclusive('\n').collect();
    let new: Vec<&str> = actual.split_inclusive('\n').collect();
    let mut out = String::new();
    for (h, hunk) in hunks(ops(&old, &new)).iter().enumerate() {
        if h == 0 {
            out.push_str("--- expected\n+++ actual\n");
        }
        let (first, last) = (hunk[0], hunk[hunk.len() - 1]);
        let _ = writeln!(
            out,
            "@@ -{} +{} @@",
            Range(first.old, last.old_end()),
            Range(first.new, last.new_end())
        );
        for op in hunk {
            let (tag, lines) = match op.kind {
                Kind::Equal => (' ', &old[op.old..op.old + op.len]),
                Kind::Delete => ('-', &old[op.old..op.old + op.len]),
                Kind::Insert => ('+', &new[op.new..op.new + op.len]),
            };
            for line in lines {
                out.push(tag);
                out.push_str(line);
                if !line.ends_with('\n') {
                    out.push_str("\n\\ No newline at end of file\n");
                }
            }
        }
    }
    out
}

/// A hunk's line range as a unified diff writes it: `start,len`, `start` alone for one
/// line, the line before for an empty range.
struct Range(usize, usize);

impl std::fmt::Display for Range {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.1 - self.0 {
            1 => write!(f, "{}", self.0 + 1),
            0 => write!(f, "{},0", self.0),
            len => write!(f, "{},{len}", self.0 + 1),
        }
    }
}

/// The runs that turn `old` into `new`: equal lines kept, and between them the removed
/// lines before the added ones.
fn ops(old: &[&str], new: &[&str]) -> Vec<Op> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (a, b) = (
        &old[prefix..old.len() - suffix],
        &new[prefix..new.len() - suffix],
    );
    let mut ops = Vec::new();
    let mut push = |kind, old, new, len| {
        if len == 0 {
            return;
        }
        match ops.last_mut() {
            Some(Op {
                kind: k, len: l, ..
            }) if *k == kind => *l += len,
            _ => ops.push(Op {
                kind,
                old,
                new,
                len,
            }),
        }
    };
    push(Kind::Equal, 0, 0, prefix);
    if a.len() * b.len() <= MAX_CELLS {
        // lcs[i * w + j]: the longest common subsequence of a[i..] and b[j..].
        let w = b.len() + 1;
        let mut lcs = vec![0u32; (a.len() + 1) * w];
        for i in (0..a.len()).rev() {
            for j in (0..b.len()).rev() {
                lcs[i * w + j] = if a[i] == b[j] {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        let mut change_from = (0, 0);
        while i < a.len() || j < b.len() {
            if i < a.len() && j < b.len() && a[i] == b[j] {
                let (ci, cj) = change_from;
                push(Kind::Delete, prefix + ci, prefix + cj, i - ci);
                push(Kind::Insert, prefix + i, prefix + cj, j - cj);
                push(Kind::Equal, prefix + i, prefix + j, 1);
                i += 1;
                j += 1;
                change_from = (i, j);
            } else if j == b.len() || (i < a.len() && lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) {
                i += 1;
            } else {
                j += 1;
            }
        }
        let (ci, cj) = change_from;
        push(Kind::Delete, prefix + ci, prefix + cj, a.len() - ci);
        push(Kind::Insert, prefix + a.len(), prefix + cj, b.len() - cj);
    } else {
        push(Kind::Delete, prefix, prefix, a.len());
        push(Kind::Insert, prefix + a.len(), prefix, b.len());
    }
    push(Kind::Equal, old.len() - suffix, new.len() - suffix, suffix);
    ops
}

/// The runs grouped into hunks: each change with up to [`CONTEXT`] equal lines around
/// it, changes closer than twice that sharing a hunk.
fn hunks(mut ops: Vec<Op>) -> Vec<Vec<Op>> {
    if let Some(first) = ops.first_mut().filter(|op| op.kind == Kind::Equal) {
        let cut = first.len.saturating_sub(CONTEXT);
        first.old += cut;
        first.new += cut;
        first.len -= cut;
    }
    if let Some(last) = ops.last_mut().filter(|op| op.kind == Kind::Equal) {
        last.len = last.len.min(CONTEXT);
    }
    let mut hunks = Vec::new();
    let mut hunk = Vec::new();
    for op in ops {
        if op.kind == Kind::Equal && op.len > 2 * CONTEXT {
            hunk.push(Op { len: CONTEXT, ..op });
            hunks.push(std::mem::take(&mut hunk));
            let cut = op.len - CONTEXT;
            hunk.push(Op {
                old: op.old + cut,
                new: op.new + cut,
                len: CONTEXT,
                ..op
            });
        } else {
            hunk.push(op);
        }
    }
    if hunk.iter().any(|op| op.kind != Kind::Equal) {
        hunks.push(hunk);
    }
    hunks
}

#[cfg(test)]
mod tests {
    use super::{ops, unified, Kind};

    /// `similar`'s unified diff, the format this one follows.
    fn reference(expected: &str, actual: &str) -> String {
        similar::TextDiff::from_lines(expected, actual)
            .unified_diff()
            .context_radius(3)
            .header("expected", "actual")
            .to_string()
    }

    /// The two texts put back together from the runs.
    fn sides(old: &[&str], new: &[&str]) -> (String, String) {
        let (mut a, mut b) = (String::new(), String::new());
        for op in ops(old, new) {
            match op.kind {
                Kind::Equal => {
                    a.extend(old[op.old..op.old + op.len].iter().copied());
                    b.extend(new[op.new..op.new + op.len].iter().copied());
                }
                Kind::Delete => a.extend(old[op.old..op.old + op.len].iter().copied()),
                Kind::Insert => b.extend(new[op.new..op.new + op.len].iter().copied()),
            }
        }
        (a, b)
    }

    #[test]
    fn equal_texts_have_an_empty_diff() {
        assert_eq!(unified("a\nb\n", "a\nb\n"), "");
        assert_eq!(unified("", ""), "");
    }

    #[test]
    fn the_format_is_that_of_similar() {
        let letters: String = ('a'..='z').map(|c| format!("{c}\n")).collect();
        let far_apart = letters.replace("c\n", "C\n").replace("w\n", "W\n");
        let close = letters.replace("c\n", "C\n").replace("h\n", "H\n");
        let cases = [
            ("7\n", "6\n"),
            ("a\nb\nc\n", "a\nc\n"),
            ("a\nc\n", "a\nb\nc\n"),
            ("", "a\n"),
            ("a\n", ""),
            ("a\n", "b"),
            ("a", "b"),
            ("a\nb", "a\nc"),
            ("{\n  \"x\": 1\n}\n", "{\n  \"x\": 2,\n  \"y\": 3\n}\n"),
            (letters.as_str(), far_apart.as_str()),
            (letters.as_str(), close.as_str()),
            (letters.as_str(), "a\nz\n"),
        ];
        for (expected, actual) in cases {
            assert_eq!(
                unified(expected, actual),
                reference(expected, actual),
                "{expected:?} -> {actual:?}"
            );
        }
    }

    #[test]
    fn the_runs_hold_both_texts_and_change_no_more_than_similar() {
        // Texts of lines drawn from a small alphabet: many ways to match them.
        let mut seed = 7u64;
        let mut text = |n: usize| -> String {
            (0..n)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                    format!("{}\n", (seed >> 60) % 4)
                })
                .collect()
        };
        let changed = |diff: &str| {
            let lines = diff.lines().skip(2);
            lines
                .filter(|l| l.starts_with('-') || l.starts_with('+'))
                .count()
        };
        for n in 0..60 {
            let (a, b) = (text(n), text(n / 2 + 3));
            let old: Vec<&str> = a.split_inclusive('\n').collect();
            let new: Vec<&str> = b.split_inclusive('\n').collect();
            assert_eq!(sides(&old, &new), (a.clone(), b.clone()));
            let diff = unified(&a, &b);
            assert!(changed(&diff) <= changed(&reference(&a, &b)), "{a:?} {b:?}");
        }
    }

    #[test]
    fn a_middle_too_large_to_match_is_all_removed_then_all_added() {
        let many = |tag: &str| -> String { (0..1100).map(|i| format!("{tag}{i}\n")).collect() };
        let (a, b) = (format!("x\n{}", many("a")), format!("x\n{}", many("b")));
        let diff = unified(&a, &b);
        assert!(diff.starts_with("--- expected\n+++ actual\n@@ -1,1101 +1,1101 @@\n x\n-a0\n"));
        assert_eq!(diff.lines().filter(|l| l.starts_with('-')).count(), 1101);
        assert_eq!(diff.lines().filter(|l| l.starts_with('+')).count(), 1101);
    }
}
