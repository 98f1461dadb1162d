//! `decider why`: a scenario run and each of its rejections explained, as the playground's
//! inspector does: the refused command decided again at every version of its stream, the
//! event that made the difference (or none), whether it would pass now, and the facts that
//! led to it.

use decider_core::boundary::{Outcome, Refusal};
use std::fmt::Write;

/// The explanation of `why`, a few lines.
pub fn report(why: &Refusal) -> String {
    let fact = &why.fact;
    let mark = if fact.injected { " ⚡ injected" } else { "" };
    let mut text = format!(
        "#{} ✘ {} in {} (issued by {}){mark}\n",
        fact.position, fact.name, fact.stream_id, fact.origin
    );
    let _ = writeln!(
        text,
        "  decided again at each version of {}:",
        fact.stream_id
    );
    if why.earlier > 0 {
        let _ = writeln!(text, "    … {} earlier versions not listed", why.earlier);
    }
    for stretch in &why.stretches {
        let versions = stretch.versions();
        let since = match &stretch.since {
            Some(event) => format!("since #{} {}", event.position, event.name),
            None if stretch.from == 0 => "initial state".to_string(),
            None => "first version decided".to_string(),
        };
        let met = if stretch.to == why.version {
            "  ← met"
        } else {
            ""
        };
        let _ = writeln!(
            text,
            "    {versions:<10} {since:<44} {}{met}",
            outcome(&stretch.outcome)
        );
    }
    let _ = writeln!(text, "  {}", why.summary());
    let _ = writeln!(
        text,
        "  now (v{}): {}",
        why.live_version,
        outcome(&why.live)
    );
    let mut reactor = fact.origin.as_str();
    for cause in &why.causes {
        let _ = writeln!(
            text,
            "  {reactor} reacted to #{} {}",
            cause.position,
            crate::compare::fact(cause)
        );
        reactor = &cause.origin;
    }
    if reactor == "user" {
        text.push_str("  submitted by the user\n");
    }
    text
}

/// An outcome on one line: the events it would record, or the rejection and its fields.
fn outcome(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Accepted { events } => format!("✔ accepted → {}", events.join(", ")),
        Outcome::Refused { name, .. } => {
            let fields = (outcome.fields()).map_or_else(String::new, |f| format!(" {f}"));
            format!("✘ {name}{fields}")
        }
    }
}
