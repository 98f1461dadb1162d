//! Two sessions of one domain side by side from where they part: a what-if fork against
//! the session it was forked from, two forks of one session, or any two sessions of a
//! domain. In the words of a merge, *ours* is the session looked at and *theirs* the one
//! it is compared with. The facts each recorded since they part, position by position,
//! and what differs between their states at their heads (the view, the process managers,
//! and every stream either one wrote to since).
//!
//! Both are read through [`DynEngine`] alone, so any two engines of one domain compare,
//! whatever their domain's types.

use crate::boundary::rows::FactRow;
use crate::boundary::DynEngine;
use serde_json::Value;

/// Rows read at a time while looking for where two sessions part.
const CHUNK: u64 = 256;

/// One position of two sessions: the fact each holds there.
#[derive(Clone, Debug, PartialEq)]
pub struct FactPair {
    /// The global position.
    pub position: u64,
    /// Their fact there (`None`: their log is shorter).
    pub theirs: Option<FactRow>,
    /// Our fact there (`None`: our log is shorter).
    pub ours: Option<FactRow>,
}

impl FactPair {
    /// Whether both hold the same fact there ([`alike`]).
    pub fn alike(&self) -> bool {
        match (&self.theirs, &self.ours) {
            (Some(theirs), Some(ours)) => alike(theirs, ours),
            _ => false,
        }
    }
}

/// A part of a session's state.
#[derive(Clone, Debug, PartialEq, Eq)]
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
    /// Its value in theirs (`None`: a stream with no event there).
    pub theirs: Option<Value>,
    /// Its value in ours (`None`: a stream with no event here).
    pub ours: Option<Value>,
}

/// Two sessions side by side from where they part ([`compare`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// The facts both hold alike from the start: from where one was forked from the other
    /// (or both from one session), on while their next facts are alike.
    pub shared: u64,
    /// Their number of facts.
    pub their_head: u64,
    /// Our number of facts.
    pub our_head: u64,
    /// The positions from `shared` on, at most the number asked for ([`Limits::facts`]).
    pub facts: Vec<FactPair>,
    /// What differs at the heads: the view, the process managers, then the streams both
    /// have, then those only one has, each in the order of their ids; at most the number
    /// asked for ([`Limits::differences`]).
    pub differences: Vec<Difference>,
    /// How many further streams differ beyond those listed.
    pub more_differences: usize,
    /// How many streams were compared (those either session wrote to since they part).
    pub streams_compared: usize,
    /// The commands waiting in each one's queue: theirs, ours.
    pub queued: (usize, usize),
}

/// Whether two rows record the same fact: the same message with the same payload, in the
/// same stream at the same version, for a command of the same origin and marks. Ids and
/// logical time are left out: both sessions derive them from their positions.
pub fn alike(theirs: &FactRow, ours: &FactRow) -> bool {
    theirs.stream_id == ours.stream_id
        && theirs.stream_version == ours.stream_version
        && theirs.kind == ours.kind
        && theirs.name == ours.name
        && theirs.payload == ours.payload
        && theirs.command == ours.command
        && theirs.origin == ours.origin
        && theirs.compensation == ours.compensation
        && theirs.injected == ours.injected
}

/// How much a [`compare`] lists: the rest is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Positions, from where the two part.
    pub facts: usize,
    /// Parts of the state that differ.
    pub differences: usize,
}

/// `ours` against `theirs`, both of one domain, from position `from` (the facts before it
/// are the same in both: where one was forked from the other, or both from one session; 0
/// when not known). From there, the position where their facts first differ; the first
/// `limits.facts` positions from it, each with both facts; and the parts of the state that
/// differ at the heads, the first `limits.differences` listed.
///
/// It costs the rows of the facts from `from` to where they part and of those listed after
/// it, a pass over the facts since they part (stream ids only, no JSON), and the JSON of
/// every stream either one wrote to since, of the view and of the process managers.
pub fn compare(
    theirs: &dyn DynEngine,
    ours: &dyn DynEngine,
    from: u64,
    limits: Limits,
) -> Comparison {
    let (their_head, our_head) = (theirs.head(), ours.head());
    let shared = parting(theirs, ours, from.min(their_head).min(our_head));
    let end = their_head.max(our_head).min(shared + limits.facts as u64);
    let mut their_rows = theirs.rows(shared, end).into_iter();
    let mut our_rows = ours.rows(shared, end).into_iter();
    let facts = (shared..end)
        .map(|position| FactPair {
            position,
            theirs: their_rows.next(),
            ours: our_rows.next(),
        })
        .collect();
    let wholes = [
        (Part::View, theirs.view_state(None), ours.view_state(None)),
        (
            Part::Process,
            theirs.process_state(None),
            ours.process_state(None),
        ),
    ];
    let mut differences: Vec<Difference> = (wholes.into_iter())
        .filter(|(_, was, is)| was != is)
        .map(|(part, was, is)| Difference {
            part,
            theirs: Some(was),
            ours: Some(is),
        })
        .collect();
    let mut streams = theirs.streams_since(shared);
    streams.extend(ours.streams_since(shared));
    streams.sort_unstable();
    streams.dedup();
    // The streams both have first (what the two made of the same thing), then those only
    // one has (what one made that the other did not), each group in the order of ids.
    let room = limits.differences.saturating_sub(differences.len());
    let (mut in_both, mut in_one) = (Vec::new(), Vec::new());
    let mut differing = 0;
    for stream in &streams {
        let (was, is) = (
            theirs.stream_state(None, stream),
            ours.stream_state(None, stream),
        );
        if was == is {
            continue;
        }
        differing += 1;
        let group = match (&was, &is) {
            (Some(_), Some(_)) => &mut in_both,
            _ => &mut in_one,
        };
        if group.len() < room {
            group.push(Difference {
                part: Part::Stream(stream.clone()),
                theirs: was,
                ours: is,
            });
        }
    }
    in_both.extend(in_one);
    in_both.truncate(room);
    let more_differences = differing - in_both.len();
    differences.extend(in_both);
    Comparison {
        shared,
        their_head,
        our_head,
        facts,
        differences,
        more_differences,
        streams_compared: streams.len(),
        queued: (theirs.queue_len(), ours.queue_len()),
    }
}

/// The first position from `from` (at most both heads) where the two sessions' facts
/// differ, or the shorter head.
fn parting(theirs: &dyn DynEngine, ours: &dyn DynEngine, from: u64) -> u64 {
    let end = theirs.head().min(ours.head());
    let mut at = from;
    while at < end {
        let to = (at + CHUNK).min(end);
        let (a, b) = (theirs.rows(at, to), ours.rows(at, to));
        match a.iter().zip(&b).position(|(a, b)| !alike(a, b)) {
            Some(offset) => return at + offset as u64,
            None => at = to,
        }
    }
    end
}
