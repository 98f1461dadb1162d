//! A structural diff of two JSON values: the paths that were added, removed or changed,
//! written in the boundary's path syntax (`$.streams.x.state.status`, `$.items[3]`).
//!
//! Pure: no DOM, so it is tested on its own. The JSON tree uses it to highlight what
//! changed and to open the parents of changed paths.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// One step from a JSON value to a child: an object key or an array index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// A member of an object.
    Key(String),
    /// An element of an array.
    Index(usize),
}

impl Segment {
    /// The path of this child of `parent`: `.key` (or `["key"]` when the key would be
    /// ambiguous in a path, such as `a.b` or the empty key) and `[index]`.
    pub fn child_of(&self, parent: &str) -> String {
        match self {
            Segment::Index(index) => format!("{parent}[{index}]"),
            Segment::Key(key) if is_plain(key) => format!("{parent}.{key}"),
            Segment::Key(key) => format!("{parent}[{}]", Value::String(key.clone())),
        }
    }

    /// The JSON Pointer (RFC 6901) of this child of the value at `parent` (a pointer
    /// too; `""` is the root): `/key`, `~0` and `~1` standing for `~` and `/`, or `/index`.
    pub fn pointer_under(&self, parent: &str) -> String {
        match self {
            Segment::Index(index) => format!("{parent}/{index}"),
            Segment::Key(key) => format!("{parent}/{}", key.replace('~', "~0").replace('/', "~1")),
        }
    }

    /// How the child is labelled in a tree: the key, or the index.
    pub fn label(&self) -> String {
        match self {
            Segment::Key(key) => key.clone(),
            Segment::Index(index) => index.to_string(),
        }
    }
}

/// Whether `key` can follow a `.` in a path without being mistaken for more segments.
fn is_plain(key: &str) -> bool {
    !key.is_empty()
        && !key
            .chars()
            .any(|c| matches!(c, '.' | '[' | ']' | '"' | '\'') || c.is_whitespace())
}

/// What happened at a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    /// The path exists only in the new value.
    Added,
    /// The path exists only in the old value.
    Removed,
    /// The path holds a different scalar, or a value of another type.
    Changed,
}

impl ChangeKind {
    /// `"added"`, `"removed"` or `"changed"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }

    /// The glyph shown beside the path: `+`, `−` or `Δ`.
    pub fn glyph(self) -> &'static str {
        match self {
            ChangeKind::Added => "+",
            ChangeKind::Removed => "−",
            ChangeKind::Changed => "Δ",
        }
    }
}

/// One changed path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The path, e.g. `$.orders.o1.status`.
    pub path: String,
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// The value before (`None` when added).
    pub old: Option<Value>,
    /// The value after (`None` when removed).
    pub new: Option<Value>,
    /// The path of the parent value (`None` for the root).
    parent: Option<String>,
    /// The step from the parent to this path.
    segment: Option<Segment>,
}

/// The differences between two JSON values, in document order, with lookup by path.
///
/// A subtree that was added or removed as a whole is one change at its root; a value whose
/// type changed (say, an object became `null`) is one `Changed` at its path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JsonDiff {
    changes: Vec<Change>,
    by_path: BTreeMap<String, usize>,
    /// The removed children of each path, by index in `changes`.
    removed: BTreeMap<String, Vec<usize>>,
    /// Paths with at least one change strictly below them.
    ancestors: BTreeSet<String>,
    /// The children of each path that changed or have a change below them, in order.
    changed_children: BTreeMap<String, Vec<Segment>>,
}

impl JsonDiff {
    /// Every change, in document order.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The number of changed paths.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// The change of the value at exactly `path` (added or changed), if any; what was
    /// removed is listed by its parent ([`JsonDiff::removed_under`]).
    pub fn get(&self, path: &str) -> Option<&Change> {
        self.by_path.get(path).map(|&i| &self.changes[i])
    }

    /// Whether some path strictly below `path` changed.
    pub fn changed_below(&self, path: &str) -> bool {
        self.ancestors.contains(path)
    }

    /// The children of `path` that changed, were added or removed, or have a change below
    /// them, in document order.
    pub fn changed_children(&self, path: &str) -> &[Segment] {
        self.changed_children.get(path).map_or(&[], Vec::as_slice)
    }

    /// The children of `path` that were removed, with their old values, in order.
    pub fn removed_under(&self, path: &str) -> impl Iterator<Item = (&Segment, &Value)> {
        self.removed
            .get(path)
            .into_iter()
            .flatten()
            .filter_map(|&i| {
                let change = &self.changes[i];
                Some((change.segment.as_ref()?, change.old.as_ref()?))
            })
    }

    /// Records `change`. A removed path is found through its parent
    /// ([`JsonDiff::removed_under`]), not by its path: an element removed from the middle
    /// of a list has the path of the element now at its index.
    fn push(&mut self, change: Change) {
        match (change.kind, &change.parent) {
            (ChangeKind::Removed, Some(parent)) => {
                self.removed
                    .entry(parent.clone())
                    .or_default()
                    .push(self.changes.len());
            }
            _ => {
                self.by_path.insert(change.path.clone(), self.changes.len());
            }
        }
        self.changes.push(change);
    }
}

/// The paths where `new` differs from `old`, rooted at `$`.
pub fn diff(old: &Value, new: &Value) -> JsonDiff {
    let mut out = JsonDiff::default();
    walk(&mut out, "$", None, Some(old), Some(new));
    out
}

/// Records the differences at and below `path` (reached from its parent by `at`) between
/// `old` and `new`, either missing; returns whether there were any.
fn walk(
    out: &mut JsonDiff,
    path: &str,
    at: Option<(&str, Segment)>,
    old: Option<&Value>,
    new: Option<&Value>,
) -> bool {
    let before = out.changes.len();
    match (old, new) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let keys = a.keys().chain(b.keys().filter(|k| !a.contains_key(*k)));
            for key in keys {
                let segment = Segment::Key(key.clone());
                let child = segment.child_of(path);
                walk(out, &child, Some((path, segment)), a.get(key), b.get(key));
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => {
            // The elements equal at both ends are unchanged, so an element inserted into
            // or removed from a list (a sorted set's new member) is one change, not a
            // change of every element after it. Between the two ends, elements are
            // compared index by index; what one side has more is added or removed.
            let same = |(x, y): (&Value, &Value)| x == y;
            let head = a.iter().zip(b).take_while(|&pair| same(pair)).count();
            let (a, b) = (&a[head..], &b[head..]);
            let tail = a
                .iter()
                .rev()
                .zip(b.iter().rev())
                .take_while(|&pair| same(pair))
                .count();
            let (a, b) = (&a[..a.len() - tail], &b[..b.len() - tail]);
            for offset in 0..a.len().max(b.len()) {
                let segment = Segment::Index(head + offset);
                let child = segment.child_of(path);
                walk(
                    out,
                    &child,
                    Some((path, segment)),
                    a.get(offset),
                    b.get(offset),
                );
            }
        }
        (Some(a), Some(b)) if a == b => {}
        (None, None) => {}
        _ => {
            let kind = match (old, new) {
                (None, _) => ChangeKind::Added,
                (_, None) => ChangeKind::Removed,
                _ => ChangeKind::Changed,
            };
            let (parent, segment) = at
                .clone()
                .map_or((None, None), |(p, s)| (Some(p.to_string()), Some(s)));
            out.push(Change {
                path: path.to_string(),
                kind,
                old: old.cloned(),
                new: new.cloned(),
                parent,
                segment,
            });
        }
    }
    let changed = out.changes.len() > before;
    // A change below this path, not of the path itself (which is one change, alone).
    let itself = out.changes.len() == before + 1 && out.changes[before].path == path;
    if changed && !itself {
        out.ancestors.insert(path.to_string());
    }
    if let (true, Some((parent, segment))) = (changed, at) {
        let siblings = out.changed_children.entry(parent.to_string()).or_default();
        siblings.push(segment);
    }
    changed
}
