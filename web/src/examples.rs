//! A domain's examples, from its scenario files (`tests/scenarios/<domain>/*.json`,
//! bundled at build time by `web/build.rs`): one-click commands (every command the files
//! use, in scenario order, without repeats), and whole example flows, each a scenario to
//! open as a workspace of its own.

use crate::components::specs::EXAMPLES;
use crate::components::workspaces::run_scenario;
use decider_core::boundary::rows::command_label;
use decider_core::journal_file::JournalFile;
use serde_json::Value;

include!(concat!(env!("OUT_DIR"), "/examples.rs"));

/// An example command and the label of its button.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// The command's name and a short summary, e.g. `order.place_order o2 · luigi · Ada`.
    pub label: String,
    /// The command as JSON.
    pub command: Value,
}

/// The example commands of the domain `domain_id` (none for an unknown id, or a domain
/// without scenario files).
pub fn examples_for(domain_id: &str) -> Vec<Example> {
    let Ok(domain) = decider_domains::find(domain_id) else {
        return Vec::new();
    };
    let names = domain.command_names();
    let commands: Vec<Value> = BUNDLED
        .iter()
        .filter(|(id, _)| *id == domain_id)
        .filter_map(|(_, list)| serde_json::from_str::<Vec<Value>>(list).ok())
        .flatten()
        .collect();
    commands
        .into_iter()
        .map(|command| Example {
            label: command_label(&command, &names),
            command,
        })
        .collect()
}

/// A bundled example scenario: a whole flow, run and opened as a new workspace.
#[derive(Clone, Debug, PartialEq)]
pub struct ExampleFlow {
    /// Its path under `tests/scenarios`, e.g. `restaurant/rejected-not-on-menu.json`.
    pub path: &'static str,
    /// Its title.
    pub title: String,
}

/// The example scenarios of the domain `domain_id`: its happy path first, then the others
/// in file order (none for a domain without scenario files).
pub fn flows_for(domain_id: &str) -> Vec<ExampleFlow> {
    let mut flows: Vec<ExampleFlow> = EXAMPLES
        .iter()
        .filter(|(path, _)| path.split_once('/').is_some_and(|(id, _)| id == domain_id))
        .map(|&(path, text)| {
            let scenario: Value = serde_json::from_str(text).unwrap_or_default();
            let title = scenario["title"].as_str().unwrap_or(path).to_string();
            ExampleFlow { path, title }
        })
        .collect();
    // Stable: the others keep their order.
    flows.sort_by_key(|flow| !flow.path.ends_with("/happy-path.json"));
    flows
}

/// The example scenario at `path`, run: its journal as a file to open as a workspace
/// named after the scenario; an error names what went wrong (an unknown path, a scenario
/// that does not run).
pub fn flow_journal(path: &str) -> Result<JournalFile, String> {
    let (_, text) = EXAMPLES
        .iter()
        .find(|(bundled, _)| *bundled == path)
        .ok_or_else(|| format!("no example scenario `{path}`"))?;
    let (scenario, journal) = run_scenario(text).map_err(|e| format!("{path}: {e}"))?;
    Ok(JournalFile::new(
        &scenario.domain,
        scenario.seed,
        &scenario.title,
        journal,
    ))
}
