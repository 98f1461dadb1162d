//! The lanes: their sticky labels and their coloured bands.

use super::layout::{self, LANE_H};
use crate::widgets::text;
use decider_core::boundary::{FlowView, Lane, LaneKind};
use yew::prelude::*;

/// The longest lane name shown whole beside its kind's tag (sagas); longer ones are
/// shortened in the middle.
const TAGGED_LANE_CHARS: usize = 14;
/// The longest lane name shown whole without a tag (the user, streams).
const LANE_NAME_CHARS: usize = 19;

/// A lane's kind in one word.
pub(super) fn lane_word(kind: LaneKind) -> &'static str {
    match kind {
        LaneKind::User => "user",
        LaneKind::Reactor => "saga",
        LaneKind::Stream => "stream",
    }
}

/// One lane's label: its name (shortened, full on hover), tagged `saga` for a saga or
/// process manager; the user's lane is named `user`, and streams are the rest. As tall
/// as its lane in a drawing at `scale`.
pub(super) fn lane_label(lane: &Lane, scale: f64) -> Html {
    let word = lane_word(lane.kind);
    let tagged = lane.kind == LaneKind::Reactor;
    let max = if tagged {
        TAGGED_LANE_CHARS
    } else {
        LANE_NAME_CHARS
    };
    html! {
        <div class={classes!("trace-lane", format!("trace-lane-{word}"))} data-testid="trace-lane"
            data-lane-kind={word} title={format!("{word}: {}", lane.name)}
            style={format!("height: {}px", LANE_H * scale)}>
            if tagged {
                <span class="trace-lane-kind">{word}</span>
            }
            <span class="trace-lane-name mono">{text::shorten_middle(&lane.name, max)}</span>
        </div>
    }
}

/// How far the lanes' bands run on past the drawing's right edge: the drawing paints them
/// outside itself (trace.css: its overflow is visible, which neither scrolls nor lays out
/// anything), so a flow narrower than the panel has its lanes to the panel's edge.
const BAND_RUN_ON: f64 = 16_384.0;

/// The lanes' backgrounds, coloured by kind, across the drawing's `width` and on to the
/// panel's edge ([`BAND_RUN_ON`]).
pub(super) fn bands(flow: &FlowView, width: f64) -> Html {
    let width = width + BAND_RUN_ON;
    html! {
        <g class="trace-bands" aria-hidden="true">
            { for flow.lanes.iter().enumerate().map(|(i, lane)| html! {
                <rect class={classes!("trace-band", format!("trace-band-{}", lane_word(lane.kind)))}
                    x="0" y={layout::lane_top(i).to_string()}
                    width={width.to_string()} height={LANE_H.to_string()} />
            }) }
        </g>
    }
}
