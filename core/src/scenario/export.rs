//! A session's journal written down as a scenario: its given history, its user commands as
//! steps (each with the engine steps that followed it), then every expectation recorded.

use super::{queued_by, Fault, Given, Scenario, ScenarioError, Step, Then, Version, FORMAT};
use crate::boundary::DynDomain;
use serde_json::Value;

impl Scenario {
    /// The scenario that replays `journal` (the JSON entries of an engine of `domain`
    /// seeded with `seed`): given history first, then one step per user command. A step
    /// whose flows ran to idle before the next command runs until idle; otherwise it names
    /// the engine steps it took. Expectations are then recorded as
    /// [`Scenario::record`] does, so running the file gives the same journal.
    ///
    /// A step made to fail (the playground's ⚡) becomes a fault of its user command's
    /// step (format 1.2). Refused, with the entry's path: history given after a command,
    /// and a step made to fail that recorded no rejection.
    pub fn from_journal(
        domain: &dyn DynDomain,
        title: &str,
        seed: u64,
        journal: &[Value],
    ) -> Result<Scenario, ScenarioError> {
        Scenario::replaying(domain, title, seed, journal)?.record(domain)
    }

    /// The scenario that replays `journal`, as [`Scenario::from_journal`] writes it, without
    /// its expectations (nothing is run).
    pub(crate) fn replaying(
        domain: &dyn DynDomain,
        title: &str,
        seed: u64,
        journal: &[Value],
    ) -> Result<Scenario, ScenarioError> {
        let mut given: Vec<Given> = Vec::new();
        let mut steps: Vec<(Step, u64)> = Vec::new();
        let mut queued = 0usize;
        for (i, entry) in journal.iter().enumerate() {
            if let Some(facts) = entry.get("given").and_then(Value::as_array) {
                if !steps.is_empty() {
                    return Err(ScenarioError::at(
                        format!("$[{i}].given"),
                        "history is given after a command; a scenario gives it first",
                    ));
                }
                add_given(&mut given, facts, i)?;
            } else if let Some(envelope) = entry.get("submitted") {
                close(steps.last_mut(), queued);
                steps.push((
                    Step {
                        command: envelope["command"].clone(),
                        ..Step::default()
                    },
                    0,
                ));
            } else if let Some(step) = entry.get("step") {
                if let Some((step_of, taken)) = steps.last_mut() {
                    if step["injected"] == true {
                        let rejection = &step["facts"][0]["fact"]["kind"]["rejected"]["reason"];
                        if rejection.is_null() {
                            return Err(ScenarioError::at(
                                format!("$[{i}].step"),
                                "this step was made to fail but recorded no rejection (its \
                                 stream's append conflicted); export the journal instead",
                            ));
                        }
                        step_of.faults.push(Fault {
                            at: *taken,
                            rejection: rejection.clone(),
                        });
                    }
                    *taken += 1;
                }
                queued = queued.saturating_sub(1);
            } else {
                return Err(ScenarioError::at(
                    format!("$[{i}]"),
                    "not a journal entry (expected `given`, `submitted` or `step`)",
                ));
            }
            queued += queued_by(entry).len();
        }
        close(steps.last_mut(), queued);
        let mut scenario = Scenario {
            format: FORMAT.into(),
            version: Version::V1_1,
            domain: domain.info().id.clone(),
            title: title.into(),
            description: String::new(),
            seed,
            given,
            steps: steps.into_iter().map(|(step, _)| step).collect(),
            then: Then::default(),
        };
        scenario.version = scenario.least_version().max(Version::V1_1);
        Ok(scenario)
    }
}

/// Ends a step: when commands are still queued, it names how many engine steps it took
/// (running until idle would take more).
fn close(step: Option<&mut (Step, u64)>, queued: usize) {
    if let Some((step, taken)) = step {
        step.engine_steps = (queued > 0).then_some(*taken);
    }
}

/// Appends given facts, one `Given` per run of facts of the same stream.
fn add_given(given: &mut Vec<Given>, facts: &[Value], entry: usize) -> Result<(), ScenarioError> {
    for (f, fact) in facts.iter().enumerate() {
        let (Some(stream), Some(event)) = (
            fact["stream_id"].as_str(),
            fact["kind"]["event"].get("event"),
        ) else {
            return Err(ScenarioError::at(
                format!("$[{entry}].given[{f}]"),
                "expected a given event with its `stream_id`",
            ));
        };
        match given.last_mut() {
            Some(last) if last.stream == stream => last.events.push(event.clone()),
            _ => given.push(Given {
                stream: stream.into(),
                events: vec![event.clone()],
            }),
        }
    }
    Ok(())
}
