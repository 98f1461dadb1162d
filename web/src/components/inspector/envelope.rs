//! The selected fact's envelope: where it sits (position, stream, version), what it is,
//! its ids (fact, command, correlation, causation), time, origin, depth and marks, then
//! its payload (and, for a rejection, the refused command). A rejection offers "why was
//! it refused?" ([`super::why`]).

use super::id_chip::IdChip;
use super::why::why_refused;
use crate::widgets::json_tree::JsonTree;
use decider_core::boundary::{FactRow, Refusal, RowKind};
use std::rc::Rc;
use yew::prelude::*;

/// The envelope of `fact`, shown by the inspector at `position` (a fact at or after it is
/// not folded into the state shown); for a rejection, `why` it was refused once asked
/// (`on_why`), its facts selected with `on_select` and a fork made before its turning
/// point with `on_fork`.
///
/// A plain function, not a component: the JSON trees are the components that keep their
/// rendering when the fact did not change, and each component type costs the wasm its own
/// copy of Yew's machinery.
pub fn envelope(
    fact: &FactRow,
    position: u64,
    why: Option<&Refusal>,
    on_why: &Callback<Option<u64>>,
    (on_select, on_fork): (&Callback<u64>, &Callback<u64>),
) -> Html {
    let (kind_class, kind_text) = match fact.kind {
        RowKind::Event => ("kind kind-event", "✔ event"),
        RowKind::Rejection => ("kind kind-rejection", "✘ rejection"),
    };
    let version = fact
        .stream_version
        .map_or_else(|| "no version (rejection)".to_string(), |v| format!("v{v}"));
    let id = |label: &'static str, value: String| {
        html! {
            <>
                <dt>{ label }</dt>
                <dd><IdChip id={value} label={label} /></dd>
            </>
        }
    };
    let flag = |label: &'static str, on: bool, mark: Html| {
        html! {
            <>
                <dt>{ label }</dt>
                <dd>{ if on { mark } else { html! { <span class="inspector-muted">{ "no" }</span> } } }</dd>
            </>
        }
    };
    html! {
        <div class="inspector-envelope">
            <div class="inspector-envelope-title">
                <span class="mono inspector-position">{ format!("#{}", fact.position) }</span>
                <span class={kind_class}>{ kind_text }</span>
                <span class="mono inspector-name" title={fact.name.clone()}>{ &fact.name }</span>
            </div>
            if fact.kind == RowKind::Rejection {
                { why_refused(fact, why, on_why, (on_select, on_fork)) }
            }
            if fact.position >= position {
                <p class="inspector-note">
                    { format!("⚠ Recorded after the cursor: the state shown is at position {}, before this fact.",
                              position) }
                </p>
            }
            <dl class="inspector-fields">
                <dt>{ "position" }</dt>
                <dd class="mono">{ format!("#{}", fact.position) }</dd>
                <dt>{ "stream" }</dt>
                <dd class="inspector-stream">
                    <IdChip id={fact.stream_id.clone()} label="stream id" />
                    <span class="mono">{ version }</span>
                </dd>
                { id("fact id", fact.fact_id.to_string()) }
                { id("command id", fact.command_id.to_string()) }
                { id("correlation id", fact.correlation_id.to_string()) }
                { id("causation id", fact.causation_id.to_string()) }
                <dt>{ "time" }</dt>
                <dd class="mono">{ fact.time }</dd>
                <dt>{ "origin" }</dt>
                <dd class="mono">{ &fact.origin }</dd>
                <dt>{ "depth" }</dt>
                <dd class="mono">{ fact.depth }</dd>
                <dt>{ "step" }</dt>
                <dd class="mono">{ fact.step.map_or_else(|| "— (given history)".to_string(), |s| s.to_string()) }</dd>
                { flag("compensation", fact.compensation,
                       html! { <span class="kind kind-compensation">{ "↩ compensation" }</span> }) }
                { flag("injected", fact.injected,
                       html! { <span class="kind kind-injected">{ "⚡ injected fault" }</span> }) }
                { flag("external", fact.external,
                       html! { <span class="badge badge-ext">{ "ext" }</span> }) }
                { flag("zero payload", fact.zero_payload,
                       html! { <span class="badge badge-zero">{ "∅" }</span> }) }
            </dl>
            <h3 class="inspector-subhead">
                { if fact.kind == RowKind::Rejection { "reason" } else { "payload" } }
            </h3>
            <JsonTree value={Rc::new(fact.payload.clone())} collapsed_depth={4} name="payload" />
            if let Some(command) = &fact.command {
                <h3 class="inspector-subhead">{ "refused command" }</h3>
                <JsonTree value={Rc::new(command.clone())} collapsed_depth={4} name="command" />
            }
        </div>
    }
}
