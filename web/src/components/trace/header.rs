//! The panel's header: the flow's id and counts, the node in hand's full name, and the
//! legend of tones.

use super::tone::{Counts, Tone};
use crate::persistence::files;
use crate::widgets::copy_button::CopyButton;
use crate::widgets::text;
use decider_core::boundary::{FlowNode, FlowView};
use decider_core::Id;
use gloo::timers::future::TimeoutFuture;
use std::rc::Rc;
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

/// The full message name of `node` (the one hovered or focused, else the selected one),
/// its lane and position: a name cut in its node is read whole here, and a keyboard user
/// moving through the flow reads each node's name without a tooltip. Always in the header,
/// empty without a node, so that nothing moves when one comes.
pub(super) fn named_node(flow: &FlowView, node: Option<&FlowNode>) -> Html {
    let Some(node) = node else {
        return html! { <p class="trace-named" data-testid="trace-node-name"></p> };
    };
    let tone = Tone::of(node);
    let lane = flow.lanes.get(node.lane).map_or("", |l| l.name.as_str());
    let place = match node.position {
        Some(position) => format!(" · {lane} · #{position}"),
        None => format!(" · from {lane}"),
    };
    html! {
        <p class="trace-named" data-testid="trace-node-name" title={format!("{}{place}", node.name)}>
            <span class={classes!("trace-named-glyph", format!("kind-{}", tone.word()))} aria-hidden="true">{tone.glyph()}</span>
            {" "}<strong class="mono">{&node.name}</strong>{place}
        </p>
    }
}

/// The toggle that fits flows to the panel ([`super::fit`]), pressed while `on`, with the
/// scale the flow is drawn at when it is not full size.
pub(super) fn fit_toggle(on: bool, scale: f64, onclick: Callback<MouseEvent>) -> Html {
    let percent = (scale < 1.0).then(|| format!(" {} %", (scale * 100.0).round() as u32));
    html! {
        <button type="button" class="trace-fit" data-testid="trace-fit" aria-pressed={on.to_string()}
            title="Fit the flow to the panel (down to 70 %); off: full size, scrolled"
            {onclick}>
            {"Fit"}
            if let Some(percent) = percent {
                <span class="trace-fit-scale">{percent}</span>
            }
        </button>
    }
}

/// The button that copies `flow` as a Mermaid sequence diagram
/// ([`FlowView::to_mermaid`]), to paste where Markdown draws Mermaid; where the browser
/// refuses the clipboard the diagram is downloaded instead (`flow-<id>.mmd`).
pub(super) fn mermaid_copy(flow: &Rc<FlowView>) -> Html {
    let text = {
        let flow = flow.clone();
        Callback::from(move |()| flow.to_mermaid())
    };
    let file = format!("flow-{}.mmd", flow.correlation_id);
    let on_refused = {
        let file = file.clone();
        // A download the page cannot start leaves the flow on screen, as it was.
        Callback::from(move |text: String| drop(files::download(&file, &text)))
    };
    html! {
        <CopyButton {text} what="this flow as a Mermaid sequence diagram" idle="❐ Mermaid"
            refused_hint={format!("The browser refused the clipboard: the diagram was downloaded as {file}")}
            on_refused={Some(on_refused)} class={classes!("trace-fit", "trace-mermaid")}
            testid="trace-mermaid" />
    }
}

/// Properties of [`WithoutButton`].
#[derive(Properties, PartialEq)]
pub(super) struct WithoutProps {
    /// The flow shown (its correlation id).
    pub flow: Id,
    /// Replays the session without a flow; `None` while it cannot.
    pub on_without: Option<Callback<Id>>,
    /// The replay under way without this flow, if any: how much of it is done, of how
    /// much.
    pub replaying: Option<(usize, usize)>,
    /// Stops that replay.
    pub on_stop: Callback<()>,
}

/// The button that replays the session without the flow shown (its user command never
/// submitted) as a fork, to compare with this one; disabled while `on_without` is `None`.
/// While the replay runs (a slice of commands a frame: about a second at 50,000 facts) it
/// says how far it is, and a click stops it. It says `◌ replaying…` as soon as it is
/// clicked: the branch the replay starts from is made first, in a task of its own.
#[function_component]
pub(super) fn WithoutButton(props: &WithoutProps) -> Html {
    let starting = use_state_eq(|| false);
    let onclick = match (props.replaying, props.on_without.clone()) {
        (Some(_), _) => Some(props.on_stop.reform(|_: MouseEvent| ())),
        (None, Some(without)) => {
            let (starting, id) = (starting.clone(), props.flow);
            Some(Callback::from(move |_: MouseEvent| {
                starting.set(true);
                let (starting, without) = (starting.clone(), without.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    // The label is drawn first.
                    TimeoutFuture::new(0).await;
                    without.emit(id);
                    starting.set(false);
                });
            }))
        }
        (None, None) => None,
    };
    let (label, title) = match (props.replaying, *starting) {
        (Some((done, total)), _) => {
            let percent = done * 100 / total.max(1);
            (
                format!("◌ replaying… {percent} %"),
                format!(
                    "Replaying the session without this flow: {percent} %. Click (or Esc) to stop."
                ),
            )
        }
        (None, true) => (
            "◌ replaying…".to_string(),
            "Replaying every other command…".to_string(),
        ),
        (None, false) if onclick.is_some() => (
            "⊘ without it".to_string(),
            "What if this flow had never started: every other command replayed as it was, \
             in a new workspace (a fork of this one); ⇆ compare shows what changed"
                .to_string(),
        ),
        (None, false) => (
            "⊘ without it".to_string(),
            "Not while a Repeat ×N runs".to_string(),
        ),
    };
    let busy = props.replaying.is_some() || *starting;
    html! {
        <button type="button" class={classes!("trace-fit", "trace-without")} data-testid="trace-without"
            disabled={onclick.is_none() || (*starting && props.replaying.is_none())}
            aria-busy={busy.to_string()} {title} {onclick}>
            { label }
        </button>
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
