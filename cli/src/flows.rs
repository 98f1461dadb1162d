//! `decider flows`: every flow an engine holds, as the playground's flow list shows them:
//! each user command, what became of it, its facts, the commands it queued and the
//! positions of its first and last facts, then how many flows ended each way.

use decider_core::boundary::rows::command_label;
use decider_core::boundary::{FlowList, FlowOutcome};
use decider_core::DynEngine;
use std::fmt::Write;

/// The outcome a word names (`completed`, `compensated`, `refused`, `pending`, `failed`).
pub fn outcome(word: &str) -> Result<FlowOutcome, String> {
    FlowOutcome::ALL
        .into_iter()
        .find(|o| o.word() == word)
        .ok_or_else(|| {
            let words: Vec<&str> = FlowOutcome::ALL.iter().map(|o| o.word()).collect();
            format!("no outcome `{word}`: one of {}", words.join(", "))
        })
}

/// The flows of `engine` (those in `only`, or every one), a line each, and the count of
/// each outcome; `names` are the domain's command names.
pub fn report(engine: &dyn DynEngine, names: &[String], only: Option<FlowOutcome>) -> String {
    let mut list = FlowList::default();
    engine.update_flows(&mut list, usize::MAX);
    let indexes = list.matching(only);
    let mut text =
        String::from("flow  outcome        facts      cmds  positions      started by\n");
    for row in engine.flow_rows(&list, &indexes) {
        let flow = &row.summary;
        let outcome = flow.outcome();
        let mut facts = String::new();
        if flow.events > 0 || flow.rejections == 0 {
            let _ = write!(facts, "✔ {}", flow.events);
        }
        if flow.rejections > 0 {
            let _ = write!(
                facts,
                "{}✘ {}",
                if facts.is_empty() { "" } else { " " },
                flow.rejections
            );
        }
        let positions = match flow.span() {
            Some((first, last)) if first == last => format!("#{first}"),
            Some((first, last)) => format!("#{first}–{last}"),
            None => "—".to_string(),
        };
        let injected = if flow.injected { " ⚡" } else { "" };
        let _ = writeln!(
            text,
            "{:>4}  {:<13}  {facts:<9}  {:>4}  {positions:<13}  {}{injected}",
            row.index + 1,
            format!("{} {}", outcome.glyph(), outcome.word()),
            flow.queued,
            command_label(&row.command, names),
        );
    }
    let counts: Vec<String> = FlowOutcome::ALL
        .iter()
        .filter(|&&o| list.count(o) > 0)
        .map(|&o| format!("{} {}", list.count(o), o.word()))
        .collect();
    let total = list.flows().len();
    let _ = write!(text, "{total} flow{}", if total == 1 { "" } else { "s" });
    if !counts.is_empty() {
        let _ = write!(text, ": {}", counts.join(", "));
    }
    if let Some(only) = only {
        let _ = write!(text, " ({} listed: {})", indexes.len(), only.word());
    }
    text.push('\n');
    text
}
