//! `decider compare`: two scenarios of one domain run and laid side by side from where
//! they part, as the playground's side-by-side dialog does for two workspaces: the facts
//! each recorded there, position by position, and a line diff of every part of the state
//! that differs at the heads.

use decider_core::boundary::{Comparison, FactPair, FactRow, Part, RowKind};
use decider_core::spec::text_diff;
use serde_json::Value;
use std::fmt::Write;

/// The longest payload printed on a fact's line, in characters.
const PAYLOAD_CHARS: usize = 100;

/// The report of `comparison`: `theirs` and `ours` name the two scenarios.
pub fn report(comparison: &Comparison, theirs: &str, ours: &str) -> String {
    let c = comparison;
    let mut text = format!("theirs: {theirs}\nours:   {ours}\n");
    if c.facts.is_empty() && c.differences.is_empty() {
        let _ = writeln!(
            text,
            "Nothing differs: both hold the same {} facts.",
            c.shared
        );
        return text;
    }
    let parted = match c.shared {
        0 => "They differ from the first fact".to_string(),
        n => format!("They share their first {n} facts and part at #{n}"),
    };
    let _ = writeln!(
        text,
        "{parted}; theirs has {} facts, ours {}.",
        c.their_head, c.our_head
    );
    if !c.facts.is_empty() {
        let _ = writeln!(text, "\nFacts from #{}:", c.shared);
        for pair in &c.facts {
            text.push_str(&pair_lines(pair));
        }
        let listed_to = c.shared + c.facts.len() as u64;
        let rest = c.their_head.max(c.our_head) - listed_to;
        if rest > 0 {
            let _ = writeln!(text, "  … {rest} more positions not listed");
        }
    }
    let _ = writeln!(
        text,
        "\nAt the heads ({} streams compared):",
        c.streams_compared
    );
    if c.differences.is_empty() {
        text.push_str("  the same in both\n");
    }
    for difference in &c.differences {
        let name = match &difference.part {
            Part::View => "view",
            Part::Process => "process managers",
            Part::Stream(id) => id,
        };
        match (&difference.theirs, &difference.ours) {
            (Some(theirs), Some(ours)) => {
                let _ = writeln!(text, "{name} (- theirs, + ours):");
                // The diff's own header names an expectation: the line above names the sides.
                let diff = text_diff(&pretty(theirs), &pretty(ours));
                let hunks = diff.lines().skip_while(|line| !line.starts_with("@@"));
                for line in hunks {
                    let _ = writeln!(text, "  {line}");
                }
            }
            (Some(_), None) => {
                let _ = writeln!(text, "{name}: only in theirs");
            }
            (None, _) => {
                let _ = writeln!(text, "{name}: only in ours");
            }
        }
    }
    if c.more_differences > 0 {
        let _ = writeln!(text, "… and {} more streams differ", c.more_differences);
    }
    text
}

/// One position: one line when both hold the same fact, else a line for each.
fn pair_lines(pair: &FactPair) -> String {
    let side = |row: &Option<FactRow>| row.as_ref().map_or_else(|| "—".to_string(), fact);
    if pair.alike() {
        return format!("  #{} = {}\n", pair.position, side(&pair.ours));
    }
    format!(
        "  #{} ≠ theirs: {}\n  {:w$}   ours:   {}\n",
        pair.position,
        side(&pair.theirs),
        "",
        side(&pair.ours),
        w = pair.position.to_string().len() + 1,
    )
}

/// A fact on one line: its kind's glyph (and mark's), message, stream and version, and
/// compact payload.
pub fn fact(row: &FactRow) -> String {
    let glyph = match row.kind {
        RowKind::Event => "✔",
        RowKind::Rejection => "✘",
    };
    let mark = if row.injected {
        " ⚡"
    } else if row.compensation {
        " ↩"
    } else {
        ""
    };
    let version = row
        .stream_version
        .map_or_else(String::new, |v| format!(" v{v}"));
    let payload = row.fields().map_or_else(String::new, Value::to_string);
    let payload = match payload.char_indices().nth(PAYLOAD_CHARS) {
        Some((end, _)) => format!("{}…", &payload[..end]),
        None => payload,
    };
    format!(
        "{glyph}{mark} {} {}{version} {payload}",
        row.name, row.stream_id
    )
}

/// `value` as pretty JSON lines, for the line diff.
fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default() + "\n"
}
