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
    fn replaying(
        domain: &dyn DynDomain,
        title: &str,
        seed: u64,
        journal: &[Value],
    ) -> Result<Scenario, ScenarioError> {
        let mut given: Vec<Given> = Vec::new();
        let mut plan = Plan::new();
        for (i, entry) in journal.iter().enumerate() {
            if let Some(facts) = entry.get("given").and_then(Value::as_array) {
                if plan.started() {
                    return Err(given_after_a_command(i));
                }
                add_given(&mut given, facts, i)?;
            } else if let Some(envelope) = entry.get("submitted") {
                plan.submitted(envelope["command"].clone());
            } else if let Some(step) = entry.get("step") {
                let injected = (step["injected"] == true)
                    .then(|| injected_rejection(step, i))
                    .transpose()?;
                plan.step(queued_by(entry).len(), injected);
            } else {
                return Err(ScenarioError::at(
                    format!("$[{i}]"),
                    "not a journal entry (expected `given`, `submitted` or `step`)",
                ));
            }
        }
        let steps = plan.finish().into_iter().map(|planned| Step {
            command: planned.what,
            engine_steps: planned.engine_steps,
            faults: planned.faults,
            ..Step::default()
        });
        let mut scenario = Scenario {
            format: FORMAT.into(),
            version: Version::V1_1,
            domain: domain.info().id.clone(),
            title: title.into(),
            description: String::new(),
            seed,
            given,
            steps: steps.collect(),
            then: Then::default(),
        };
        scenario.version = scenario.least_version().max(Version::V1_1);
        Ok(scenario)
    }
}

/// A journal's user commands, each with the engine steps that followed it until the next:
/// the scenario steps that replay it (their commands being `T`s).
pub(crate) struct Plan<T> {
    steps: Vec<Planned<T>>,
    /// How many commands wait in the queue after the entries seen so far.
    queued: usize,
}

/// One step of a [`Plan`].
pub(crate) struct Planned<T> {
    /// Its user command.
    pub what: T,
    /// The engine steps it takes, when commands were still queued at the next command
    /// (running until idle would take more); `None`: until idle.
    pub engine_steps: Option<u64>,
    /// The engine steps made to fail.
    pub faults: Vec<Fault>,
    /// The engine steps seen after it so far.
    taken: u64,
}

impl<T> Plan<T> {
    /// An empty plan of a journal read from its start.
    pub(crate) fn new() -> Self {
        Plan {
            steps: Vec::new(),
            queued: 0,
        }
    }

    /// Whether a user command was seen.
    pub(crate) fn started(&self) -> bool {
        !self.steps.is_empty()
    }

    /// A user command was submitted: a new step.
    pub(crate) fn submitted(&mut self, what: T) {
        self.close();
        self.steps.push(Planned {
            what,
            engine_steps: None,
            faults: Vec::new(),
            taken: 0,
        });
        self.queued += 1;
    }

    /// A user command was submitted that the plan leaves out (one before the commands it
    /// replays): only counted in the queue.
    pub(crate) fn skipped(&mut self) {
        self.queued += 1;
    }

    /// An engine step took a queued command and queued `queued` more; with `injected`, the
    /// rejection it was made to fail with.
    pub(crate) fn step(&mut self, queued: usize, injected: Option<Value>) {
        if let Some(last) = self.steps.last_mut() {
            if let Some(rejection) = injected {
                last.faults.push(Fault {
                    at: last.taken,
                    rejection,
                });
            }
            last.taken += 1;
        }
        self.queued = self.queued.saturating_sub(1) + queued;
    }

    /// The steps, the last one ended.
    pub(crate) fn finish(mut self) -> Vec<Planned<T>> {
        self.close();
        self.steps
    }

    /// Ends the last step: when commands are still queued, it names how many engine steps
    /// it took.
    fn close(&mut self) {
        if let Some(last) = self.steps.last_mut() {
            last.engine_steps = (self.queued > 0).then_some(last.taken);
        }
    }
}

/// What refuses history given after a user command (journal entry `entry`).
pub(crate) fn given_after_a_command(entry: usize) -> ScenarioError {
    ScenarioError::at(
        format!("$[{entry}].given"),
        "history is given after a command; a scenario gives it first",
    )
}

/// The rejection a step (journal entry `entry`, as JSON) was made to fail with.
pub(crate) fn injected_rejection(step: &Value, entry: usize) -> Result<Value, ScenarioError> {
    let rejection = &step["facts"][0]["fact"]["kind"]["rejected"]["reason"];
    if rejection.is_null() {
        return Err(ScenarioError::at(
            format!("$[{entry}].step"),
            "this step was made to fail but recorded no rejection (its stream's append \
             conflicted); export the journal instead",
        ));
    }
    Ok(rejection.clone())
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_step_names_its_engine_steps_only_while_commands_wait_counting_those_left_out() {
        let mut plan = Plan::new();
        // A command submitted before the plan's first still waits when that one comes.
        plan.skipped();
        plan.submitted("removed");
        assert!(plan.started());
        plan.step(0, None); // the earlier command taken: the removed one waits
        plan.submitted("next");
        plan.step(1, None); // the removed one taken, queueing a reaction
        plan.step(0, None); // the next one taken
        plan.step(0, Some(json!("refused"))); // the reaction, made to fail
        let steps = plan.finish();
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[0].what, "removed");
        assert_eq!(
            steps[0].engine_steps,
            Some(1),
            "a command still waited at the next submission: one step, not until idle"
        );
        assert!(steps[0].faults.is_empty());
        assert_eq!(steps[1].engine_steps, None, "idle at the end: until idle");
        assert_eq!(
            steps[1].faults,
            [Fault {
                at: 2,
                rejection: json!("refused")
            }]
        );
    }
}
