//! The panel's header: the flow's id and counts, and the legend of tones.

use super::text;
use super::tone::{Counts, Tone};
use decider_core::boundary::FlowView;
use yew::prelude::*;

/// The flow's id (shortened, full on hover) and its counts.
pub(super) fn summary(flow: &FlowView) -> Html {
    let id = flow.correlation_id.to_string();
    let counts = Counts::of(flow);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    html! {
        <div class="trace-summary">
            <span class="trace-flow">
                {"flow "}
                <code class="mono" title={id.clone()}>{text::shorten_middle(&id, 9)}</code>
            </span>
            <span class="trace-counts">
                <span>{plural(counts.commands, "command")}</span>
                <span>{plural(counts.events, "event")}</span>
                <span>{plural(counts.rejections, "rejection")}</span>
                <span>{plural(counts.compensations, "compensation")}</span>
                if counts.pending > 0 {
                    <span>{format!("{} pending", counts.pending)}</span>
                }
            </span>
        </div>
    }
}

/// Glyph, colour and word of each tone.
pub(super) fn legend() -> Html {
    html! {
        <ul class="trace-legend" aria-label="Legend">
            { for Tone::ALL.iter().map(|tone| html! {
                <li class={classes!("kind", format!("kind-{}", tone.word()))} title={tone.word()}>
                    <span aria-hidden="true">{tone.glyph()}</span>
                    <span class="trace-legend-word">{tone.word()}</span>
                </li>
            }) }
        </ul>
    }
}
