//! What if a flow had never started: a session's journal replayed with one user command
//! never submitted, every other command as it was (the same given history, the same
//! submissions in the same order, each followed by as many engine steps as it was, each
//! step made to fail as it was).
//!
//! Where flows interleaved (a step that did not run to idle), the engine steps the removed
//! command's submission was followed by go with it, so a flow it interleaved with may run
//! on later; where nothing interleaved, every other flow is decided as before, in the same
//! order, and only what the removed flow caused is gone or different.

use super::{Scenario, ScenarioError};
use crate::boundary::{DynDomain, DynEngine};
use crate::ids::Id;
use serde_json::Value;

/// A session replayed without one flow ([`without_flow`]).
pub struct WithoutFlow {
    /// The replayed engine, idle where the session's steps ran to idle.
    pub engine: Box<dyn DynEngine>,
    /// How many facts it shares with the session: those recorded before the removed
    /// command was submitted (from there on their journals differ).
    pub shared: u64,
    /// The removed user command.
    pub command: Value,
}

/// `engine`'s journal (of `domain`) replayed without the user command that started the
/// flow `correlation_id`; refused when no user command started it, or (with the path in
/// the scenario the journal makes) when the replay does not run.
pub fn without_flow(
    domain: &dyn DynDomain,
    engine: &dyn DynEngine,
    correlation_id: Id,
) -> Result<WithoutFlow, ScenarioError> {
    let journal = engine.journal(0);
    let id = correlation_id.to_string();
    let mut shared = 0u64;
    let mut found = None;
    let mut step = 0usize;
    for entry in &journal {
        if let Some(envelope) = entry.get("submitted") {
            if envelope["command_id"] == id.as_str() {
                found = Some((step, envelope["command"].clone()));
                break;
            }
            step += 1;
        }
        shared += facts_in(entry);
    }
    let Some((index, command)) = found else {
        return Err(ScenarioError::at(
            "$",
            format!("no user command started the flow {correlation_id}"),
        ));
    };
    let mut scenario = Scenario::replaying(domain, "", engine.seed(), &journal)?;
    scenario.steps.remove(index);
    // Replayed without each step's outcome (what `run` reports), which no one reads here.
    let engine = scenario.replay(domain, &mut |_, _, _, _| {})?;
    Ok(WithoutFlow {
        engine,
        shared,
        command,
    })
}

/// How many facts a journal entry (as JSON) recorded: a step's, or given history's.
fn facts_in(entry: &Value) -> u64 {
    let facts = entry
        .get("given")
        .or_else(|| entry.get("step").map(|step| &step["facts"]));
    facts
        .and_then(Value::as_array)
        .map_or(0, |f| f.len() as u64)
}
