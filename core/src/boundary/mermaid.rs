//! A flow written as a Mermaid sequence diagram: text to paste where Markdown draws
//! Mermaid (GitHub, GitLab, most wikis and docs sites), so a flow seen in the playground
//! can be shown in a pull request or a design note as it happened.
//!
//! The diagram reads the swimlanes' layout ([`FlowView`]) sideways: a participant per lane
//! (the user, each saga or process manager, each stream), in the lanes' order, and the
//! messages in the order the nodes happened:
//!
//! - a command is an arrow from its issuer to the stream its facts were recorded in
//!   (`->>`); one that recorded nothing, or still waits in the queue, is a note over its
//!   issuer;
//! - a fact is an arrow from its stream to each saga that reacted to it, an event dotted
//!   (`-->>`), a rejection crossed (`--x`); a fact nobody reacted to is a note over its
//!   stream;
//! - every label starts with its tone's glyph ([`Tone`]: ▶ command, ↩ compensation,
//!   ✔ event, ✘ rejection, ⚡ injected, ◌ pending), a fact's with its position too; a
//!   step's failure is a note of its own;
//! - compensations (the commands and what they recorded) lie on an amber band, as on the
//!   page.

use super::flow::{short_name, FlowView, LaneKind, NodeKind, Tone};
use std::fmt::Write as _;

/// The band behind compensations: the page's amber, faint enough for the arrows on it.
const COMPENSATION_BAND: &str = "rect rgba(245, 158, 11, 0.15)";

impl FlowView {
    /// This flow as a Mermaid `sequenceDiagram` (see the [module](self)), ending with a
    /// newline.
    pub fn to_mermaid(&self) -> String {
        let mut diagram = Diagram {
            out: String::from("sequenceDiagram\n"),
            banded: false,
        };
        diagram.line(format_args!("%% Decider Lab: flow {}", self.correlation_id));
        for (i, lane) in self.lanes.iter().enumerate() {
            let name = text(&lane.name);
            match lane.kind {
                LaneKind::User => diagram.line(format_args!("actor L{i} as {name}")),
                LaneKind::Reactor => {
                    diagram.line(format_args!("participant L{i} as {name} (saga)"))
                }
                LaneKind::Stream => diagram.line(format_args!("participant L{i} as {name}")),
            }
        }
        // The lanes each node's messages reached, in the order they happened: a command's
        // children are its facts (one stream), a fact's the commands reacting to it.
        let mut reached: Vec<Vec<usize>> = vec![Vec::new(); self.nodes.len()];
        for node in &self.nodes {
            if let Some(lanes) = node.parent.and_then(|p| reached.get_mut(p)) {
                if !lanes.contains(&node.lane) {
                    lanes.push(node.lane);
                }
            }
        }
        for (node, reached) in self.nodes.iter().zip(&reached) {
            diagram.band(node.compensation);
            let from = node.lane;
            let mut label = format!("{} ", Tone::of(node).glyph());
            if let Some(position) = node.position {
                // `#` starts an entity code in Mermaid's text: written as one.
                write!(label, "#35;{position} ").expect("writing to a String");
            }
            label.push_str(&text(short_name(&node.name)));
            let arrow = match node.kind {
                NodeKind::Command => "->>",
                NodeKind::Event => "-->>",
                NodeKind::Rejection => "--x",
            };
            let unreached = match (node.kind, node.pending) {
                (NodeKind::Command, true) => " (waiting in the queue)",
                (NodeKind::Command, false) => " (recorded nothing)",
                _ => "",
            };
            if reached.is_empty() {
                diagram.line(format_args!("Note over L{from}: {label}{unreached}"));
            }
            for to in reached {
                diagram.line(format_args!("L{from}{arrow}L{to}: {label}"));
            }
            if let Some(failure) = &node.failure {
                diagram.line(format_args!("Note over L{from}: {}", text(failure)));
            }
        }
        diagram.band(false);
        diagram.out
    }
}

/// The diagram being written.
struct Diagram {
    out: String,
    /// Whether the lines go in a compensation band (one level deeper).
    banded: bool,
}

impl Diagram {
    /// Appends one line, indented.
    fn line(&mut self, content: std::fmt::Arguments<'_>) {
        let indent = if self.banded { "        " } else { "    " };
        writeln!(self.out, "{indent}{content}").expect("writing to a String");
    }

    /// Opens the compensation band when `compensation` starts a run of compensating
    /// nodes, and closes it when one ends.
    fn band(&mut self, compensation: bool) {
        if compensation && !self.banded {
            self.line(format_args!("{COMPENSATION_BAND}"));
            self.banded = true;
        } else if !compensation && self.banded {
            self.banded = false;
            self.line(format_args!("end"));
        }
    }
}

/// `text` made safe in a participant's name or a message's label: on one line, and
/// without what Mermaid reads as syntax there (`;` ends a statement, `#` starts an entity
/// code and hides the rest of the text when it is none, `<` and `>` are markup), each
/// written as its entity code.
fn text(text: &str) -> String {
    let mut safe = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '#' => safe.push_str("#35;"),
            ';' => safe.push_str("#59;"),
            '<' => safe.push_str("#lt;"),
            '>' => safe.push_str("#gt;"),
            '\n' | '\r' | '\t' => safe.push(' '),
            c => safe.push(c),
        }
    }
    safe
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::boundary::{FlowNode, Lane};
    use crate::ids::Id;
    use serde_json::Value;

    fn node(kind: NodeKind, lane: usize, name: &str, parent: Option<usize>) -> FlowNode {
        FlowNode {
            kind,
            lane,
            column: 0,
            name: name.into(),
            message: Value::Null,
            position: None,
            command_id: Id(1),
            parent,
            compensation: false,
            injected: false,
            pending: false,
            failure: None,
        }
    }

    #[test]
    fn names_and_failures_are_written_safe_and_on_one_line() {
        let lane = |name: &str, kind| Lane {
            name: name.into(),
            kind,
        };
        let mut failed = node(NodeKind::Command, 1, "retry.again", Some(1));
        failed.failure = Some("dropped after 3 attempts: stream a;b\nat #2".into());
        let flow = FlowView {
            correlation_id: Id(7),
            lanes: vec![
                lane("user", LaneKind::User),
                lane("sa<g>a;#1", LaneKind::Reactor),
                lane("stream\nwith #2; <b>", LaneKind::Stream),
            ],
            nodes: vec![
                node(NodeKind::Command, 0, "a.start", None),
                FlowNode {
                    position: Some(0),
                    ..node(NodeKind::Event, 2, "a.started", Some(0))
                },
                failed,
            ],
        };
        assert_eq!(
            flow.to_mermaid(),
            "sequenceDiagram
    %% Decider Lab: flow 0000000000000007
    actor L0 as user
    participant L1 as sa#lt;g#gt;a#59;#35;1 (saga)
    participant L2 as stream with #35;2#59; #lt;b#gt;
    L0->>L2: ▶ start
    L2-->>L1: ✔ #35;0 started
    Note over L1: ▶ again (recorded nothing)
    Note over L1: dropped after 3 attempts: stream a#59;b at #35;2
"
        );
    }
}
