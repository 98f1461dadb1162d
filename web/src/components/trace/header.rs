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
}

/// The button that replays the session without the flow shown (its user command never
/// submitted) as a fork, to compare with this one; disabled while `on_without` is `None`.
/// It says `◌ replaying…` before the replay starts: a long session's takes a while (about
/// a second at 50,000 facts), and the page waits for it.
#[function_component]
pub(super) fn WithoutButton(props: &WithoutProps) -> Html {
    let busy = use_state(|| false);
    let onclick = props.on_without.clone().map(|without| {
        let (busy, id) = (busy.clone(), props.flow);
        Callback::from(move |_: MouseEvent| {
            busy.set(true);
            let (busy, without) = (busy.clone(), without.clone());
            wasm_bindgen_futures::spawn_local(async move {
                // The label is drawn first.
                TimeoutFuture::new(0).await;
                without.emit(id);
                busy.set(false);
            });
        })
    });
    let title = match (&onclick, *busy) {
        (_, true) => "Replaying every other command…",
        (Some(_), false) => {
            "What if this flow had never started: every other command replayed as it was, \
             in a new workspace (a fork of this one); ⇆ compare shows what changed"
        }
        (None, false) => "Not while a Repeat ×N runs",
    };
    html! {
        <button type="button" class={classes!("trace-fit", "trace-without")} data-testid="trace-without"
            disabled={onclick.is_none() || *busy} aria-busy={busy.to_string()} {title} {onclick}>
            { if *busy { "◌ replaying…" } else { "⊘ without it" } }
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
