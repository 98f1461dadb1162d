//! Two sessions of one domain that share a past, side by side from where they part: a
//! what-if fork against the session it was forked from. The facts each recorded since
//! then, position by position, and what differs between their states at their heads (the
//! view, the process managers, and every stream either one wrote to since).
//!
//! Both are read through [`DynEngine`] alone, so any two engines of one domain compare,
//! whatever their domain's types.

use crate::boundary::rows::FactRow;
use crate::boundary::DynEngine;
use serde_json::Value;
use std::collections::BTreeSet;

/// Rows read at a time while looking for where two sessions part.
const CHUNK: u64 = 256;

/// One position of two sessions: the fact each holds there.
#[derive(Clone, Debug, PartialEq)]
pub struct FactPair {
    /// The global position.
    pub position: u64,
    /// The original session's fact there (`None`: its log is shorter).
    pub original: Option<FactRow>,
    /// The fork's fact there (`None`: its log is shorter).
    pub fork: Option<FactRow>,
}

impl FactPair {
    /// Whether both hold the same fact there ([`alike`]).
    pub fn alike(&self) -> bool {
        match (&self.original, &self.fork) {
            (Some(original), Some(fork)) => alike(original, fork),
            _ => false,
        }
    }
}

/// A part of a session's state.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    /// The domain's view (read model).
    View,
    /// The sagas' and process managers' state.
    Process,
    /// One stream's state and version.
    Stream(String),
}

/// A part of the state that differs between the two sessions' heads.
#[derive(Clone, Debug, PartialEq)]
pub struct Difference {
    /// Which part.
    pub part: Part,
    /// Its value in the original (`None`: a stream it has no event in).
    pub original: Option<Value>,
    /// Its value in the fork (`None`: a stream it has no event in).
    pub fork: Option<Value>,
}

/// Two sessions side by side from where they part ([`compare`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// The facts both hold alike from the start: where the fork was made, and on while
    /// their next facts are alike.
    pub shared: u64,
    /// The original's number of facts.
    pub original_head: u64,
    /// The fork's number of facts.
    pub fork_head: u64,
    /// The positions from `shared` on, at most the number asked for.
    pub facts: Vec<FactPair>,
    /// What differs at the heads: the view, the process managers, then the streams in the
    /// order of their ids; at most the number asked for.
    pub differences: Vec<Difference>,
    /// How many further streams differ beyond those listed.
    pub more_differences: usize,
    /// How many streams were compared (those either session wrote to since the fork).
    pub streams_compared: usize,
    /// The commands waiting in each one's queue: original, fork.
    pub queued: (usize, usize),
}

/// Whether two rows record the same fact: the same message with the same payload, in the
/// same stream at the same version, for a command of the same origin and marks. Ids and
/// logical time are left out: both sessions derive them from their positions.
pub fn alike(original: &FactRow, fork: &FactRow) -> bool {
    original.stream_id == fork.stream_id
        && original.stream_version == fork.stream_version
        && original.kind == fork.kind
        && original.name == fork.name
        && original.payload == fork.payload
        && original.command == fork.command
        && original.origin == fork.origin
        && original.compensation == fork.compensation
        && original.injected == fork.injected
}

/// `fork` against `original`, both of one domain, from position `from` (where the fork was
/// made: the facts before it are the same in both). From there, the position where their
/// facts first differ; the first `limit` positions from it, each with both facts; and the
/// parts of the state that differ at the heads, the first `limit` listed.
///
/// It costs a pass over the facts since `from` on both sides (stream ids only, no JSON)
/// and the JSON of every stream either one wrote to since, of the view and of the process
/// managers.
pub fn compare(
    original: &dyn DynEngine,
    fork: &dyn DynEngine,
    from: u64,
    limit: usize,
) -> Comparison {
    let (original_head, fork_head) = (original.head(), fork.head());
    let shared = parting(original, fork, from.min(original_head).min(fork_head));
    let end = original_head.max(fork_head).min(shared + limit as u64);
    let mut originals = original.rows(shared, end).into_iter();
    let mut forks = fork.rows(shared, end).into_iter();
    let facts = (shared..end)
        .map(|position| FactPair {
            position,
            original: originals.next(),
            fork: forks.next(),
        })
        .collect();
    let mut differences = Vec::new();
    let view = (original.view_state(None), fork.view_state(None));
    if view.0 != view.1 {
        differences.push(Difference {
            part: Part::View,
            original: Some(view.0),
            fork: Some(view.1),
        });
    }
    let process = (original.process_state(None), fork.process_state(None));
    if process.0 != process.1 {
        differences.push(Difference {
            part: Part::Process,
            original: Some(process.0),
            fork: Some(process.1),
        });
    }
    let streams: BTreeSet<String> = (original.streams_since(shared).into_iter())
        .chain(fork.streams_since(shared))
        .collect();
    let mut more_differences = 0;
    for stream in &streams {
        let (was, is) = (
            original.stream_state(None, stream),
            fork.stream_state(None, stream),
        );
        if was == is {
            continue;
        }
        if differences.len() < limit {
            differences.push(Difference {
                part: Part::Stream(stream.clone()),
                original: was,
                fork: is,
            });
        } else {
            more_differences += 1;
        }
    }
    Comparison {
        shared,
        original_head,
        fork_head,
        facts,
        differences,
        more_differences,
        streams_compared: streams.len(),
        queued: (original.queue_len(), fork.queue_len()),
    }
}

/// The first position from `from` (at most both heads) where the two sessions' facts
/// differ, or the shorter head.
fn parting(original: &dyn DynEngine, fork: &dyn DynEngine, from: u64) -> u64 {
    let end = original.head().min(fork.head());
    let mut at = from;
    while at < end {
        let to = (at + CHUNK).min(end);
        let (a, b) = (original.rows(at, to), fork.rows(at, to));
        match a.iter().zip(&b).position(|(a, b)| !alike(a, b)) {
            Some(offset) => return at + offset as u64,
            None => at = to,
        }
    }
    end
}
