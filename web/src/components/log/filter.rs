//! The log's filter bar: text (debounced, so that a million facts are not re-filtered on
//! every key), kind, origin, stream, "this flow only", and the "N of M facts" count.

use crate::effect::use_effect_on;
use crate::widgets::number::{counted, thousands};
use decider_core::boundary::rows::{LogFilter, RowKind};
use decider_core::ids::Id;
use gloo::timers::callback::Timeout;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// How long the text filter waits after the last key before it applies, in milliseconds.
pub const TEXT_DEBOUNCE_MS: u32 = 150;

/// Properties of [`FilterBar`].
#[derive(Properties, PartialEq)]
pub struct FilterBarProps {
    /// The filter in force.
    pub filter: LogFilter,
    /// Told the new filter.
    pub on_filter: Callback<LogFilter>,
    /// Origins to offer.
    pub origins: Rc<Vec<String>>,
    /// Streams to suggest.
    pub streams: Rc<Vec<String>>,
    /// The selected flow, which "this flow only" keeps.
    pub flow: Option<Id>,
    /// Facts that pass the filter.
    pub len: usize,
    /// Facts in all.
    pub head: u64,
    /// Focuses the text filter when it changes (not when the bar is drawn with it).
    pub focus_filter: u64,
}

/// The text of the count: `7 facts`, or `2 of 7 facts` when filtered.
fn count_text(filter: &LogFilter, len: usize, head: u64) -> String {
    if filter.is_empty() {
        counted(head, "fact")
    } else {
        format!("{} of {}", thousands(len as u64), counted(head, "fact"))
    }
}

/// The value of the kind select for a filter.
fn kind_value(kind: Option<RowKind>) -> &'static str {
    kind.map_or("all", RowKind::as_str)
}

/// The filter bar of the log; see the module documentation.
#[function_component]
pub fn FilterBar(props: &FilterBarProps) -> Html {
    let input = use_node_ref();
    let text = use_state(|| props.filter.text.clone());
    let pending = use_mut_ref(|| None::<Timeout>);
    // The filter as last rendered, for the debounced text to apply on top of.
    let latest = use_mut_ref(|| props.filter.clone());
    *latest.borrow_mut() = props.filter.clone();

    {
        let text = text.clone();
        let pending = pending.clone();
        use_effect_on(props.filter.text.clone(), move |outside| {
            if pending.borrow().is_none() && **text != *outside {
                text.set(outside.clone());
            }
        });
    }
    {
        // Only a change focuses it: a log drawn again (back from the flow list) with the
        // last `/`'s nonce leaves the focus where it is.
        let input = input.clone();
        let drawn_with = use_mut_ref(|| props.focus_filter);
        use_effect_on(props.focus_filter, move |nonce| {
            if std::mem::replace(&mut *drawn_with.borrow_mut(), *nonce) != *nonce {
                if let Some(input) = input.cast::<HtmlInputElement>() {
                    let _ = input.focus();
                    input.select();
                }
            }
        });
    }

    let emit = {
        let on_filter = props.on_filter.clone();
        let latest = latest.clone();
        move |change: &dyn Fn(&mut LogFilter)| {
            let mut filter = latest.borrow().clone();
            change(&mut filter);
            on_filter.emit(filter);
        }
    };
    let emit = Rc::new(emit);

    let oninput = {
        let text = text.clone();
        let pending = pending.clone();
        let emit = emit.clone();
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            text.set(value.clone());
            let emit = emit.clone();
            let done = pending.clone();
            *pending.borrow_mut() = Some(Timeout::new(TEXT_DEBOUNCE_MS, move || {
                done.borrow_mut().take();
                emit(&|f: &mut LogFilter| f.text = value.clone());
            }));
        })
    };
    let onkeydown = {
        let text = text.clone();
        let pending = pending.clone();
        let emit = emit.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" && !text.is_empty() {
                e.prevent_default();
                e.stop_propagation();
                pending.borrow_mut().take();
                text.set(String::new());
                emit(&|f: &mut LogFilter| f.text.clear());
            }
        })
    };
    let onkind = {
        let emit = emit.clone();
        Callback::from(move |e: Event| {
            let kind = match e
                .target_unchecked_into::<HtmlSelectElement>()
                .value()
                .as_str()
            {
                "event" => Some(RowKind::Event),
                "rejection" => Some(RowKind::Rejection),
                _ => None,
            };
            emit(&|f: &mut LogFilter| f.kind = kind);
        })
    };
    let onorigin = {
        let emit = emit.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            let origin = (!value.is_empty()).then_some(value);
            emit(&|f: &mut LogFilter| f.origin = origin.clone());
        })
    };
    let onstream = {
        let emit = emit.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            let stream = Some(value.trim().to_string()).filter(|s| !s.is_empty());
            emit(&|f: &mut LogFilter| f.stream = stream.clone());
        })
    };
    let flow_only = props.filter.correlation_id.is_some();
    let onflow = {
        let emit = emit.clone();
        let flow = props.flow;
        Callback::from(move |_: MouseEvent| {
            emit(&|f: &mut LogFilter| {
                f.correlation_id = if f.correlation_id.is_some() {
                    None
                } else {
                    flow
                }
            });
        })
    };
    let onclear = {
        let text = text.clone();
        let pending = pending.clone();
        let on_filter = props.on_filter.clone();
        Callback::from(move |_: MouseEvent| {
            pending.borrow_mut().take();
            text.set(String::new());
            on_filter.emit(LogFilter::default());
        })
    };

    let kind = kind_value(props.filter.kind);
    let origin = props.filter.origin.clone().unwrap_or_default();
    let mut origins: Vec<String> = props.origins.to_vec();
    if !origin.is_empty() && !origins.contains(&origin) {
        origins.push(origin.clone());
    }
    html! {
        <div class="log-filters" role="search" aria-label="filter the log">
            <label class="log-filter-text">
                <span class="visually-hidden">{ "Filter text" }</span>
                <input
                    ref={input}
                    type="search"
                    class="mono"
                    data-testid="log-filter"
                    placeholder="filter  /"
                    aria-keyshortcuts="/"
                    value={(*text).clone()}
                    {oninput}
                    {onkeydown}
                />
            </label>
            <label>
                <span class="visually-hidden">{ "Kind" }</span>
                <select data-testid="log-kind-filter" onchange={onkind}>
                    <option value="all" selected={kind == "all"}>{ "all kinds" }</option>
                    <option value="event" selected={kind == "event"}>{ "✔ events" }</option>
                    <option value="rejection" selected={kind == "rejection"}>{ "✘ rejections" }</option>
                </select>
            </label>
            <label>
                <span class="visually-hidden">{ "Origin" }</span>
                <select data-testid="log-origin-filter" onchange={onorigin}>
                    <option value="" selected={origin.is_empty()}>{ "all origins" }</option>
                    { for origins.iter().map(|o| html! {
                        <option key={o.clone()} value={o.clone()} selected={*o == origin}>{ o }</option>
                    }) }
                </select>
            </label>
            <label class="log-filter-stream">
                <span class="visually-hidden">{ "Stream" }</span>
                <input
                    type="search"
                    class="mono"
                    list="log-streams"
                    data-testid="log-stream-filter"
                    placeholder="stream"
                    value={props.filter.stream.clone().unwrap_or_default()}
                    onchange={onstream}
                />
                <StreamChoices streams={props.streams.clone()} />
            </label>
            // Always there, disabled until a row (a flow) is selected: the bar's fields do
            // not shift when the first fact arrives or the selection goes.
            <button
                type="button"
                class={classes!("log-flow-toggle", flow_only.then_some("log-flow-toggle-on"))}
                data-testid="log-flow-filter"
                aria-pressed={flow_only.to_string()}
                disabled={props.flow.is_none() && !flow_only}
                title="show only the facts of the selected row's flow (same correlation id)"
                onclick={onflow}
            >
                { "this flow only" }
            </button>
            if !props.filter.is_empty() {
                <button type="button" class="log-filter-clear" onclick={onclear} title="clear every filter">
                    { "clear" }
                </button>
            }
            <span class="log-count num" data-testid="log-count" aria-live="polite">
                { count_text(&props.filter, props.len, props.head) }
            </span>
        </div>
    }
}

/// Properties of [`StreamChoices`].
#[derive(Properties, PartialEq)]
struct StreamChoicesProps {
    streams: Rc<Vec<String>>,
}

/// The stream ids the stream filter suggests (up to 500 options): rendered again only
/// when the list changes, not whenever the bar does (a new flow at every slider move).
#[function_component]
fn StreamChoices(props: &StreamChoicesProps) -> Html {
    html! {
        <datalist id="log-streams">
            { for props.streams.iter().map(|s| html! { <option key={s.clone()} value={s.clone()} /> }) }
        </datalist>
    }
}
