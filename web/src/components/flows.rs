//! The flow list: every flow of the workspace, one row each (its user command, what became
//! of it, its facts and where they are), filtered by outcome, virtualized like the log.
//! Choosing a flow selects its last fact (the state it left) and traces it below.
//!
//! Keyboard, while the list has focus: the log's keys (↑/↓, Page Up/Down, Home/End, Enter)
//! move from flow to flow.

use crate::effect::use_effect_on;
use crate::session::store::use_session;
use crate::session::FlowsShown;
use crate::widgets::number::{counted, thousands};
use crate::widgets::virtual_list::{clicked_row, Place, Viewport, VirtualList, Window};
use decider_core::boundary::rows::command_label;
use decider_core::boundary::{FlowOutcome, FlowRow, FlowSummary};
use decider_core::Id;
use gloo::timers::callback::Timeout;
use yew::prelude::*;

/// Properties of [`Flows`].
#[derive(Properties, PartialEq)]
pub struct FlowsProps {
    /// Selects the fact at a position (a flow's last).
    pub on_select_fact: Callback<u64>,
    /// Traces a flow that has no fact yet.
    pub on_select_flow: Callback<Id>,
}

/// The flow list; see the module documentation.
#[function_component]
pub fn Flows(props: &FlowsProps) -> Html {
    let store = use_session();
    let outcome = use_state_eq(|| None::<FlowOutcome>);
    let viewport = use_mut_ref(Viewport::default);
    let reveal = use_state_eq(|| None::<(usize, u64)>);
    // Renewed to read the next slice of a long journal.
    let slice = use_state_eq(|| 0u32);
    let session = store.get();
    let version = session.log_version();
    let shown = use_memo(
        (version, *outcome, session.flow_id(), *slice),
        |(_, outcome, _, _)| session.flows(*outcome),
    );
    let names = use_memo(session.domain().info().id.clone(), |_| {
        session.domain().command_names()
    });
    let cursor = session.cursor();
    let selected_id = session.flow_id();
    drop(session);
    let len = shown.indexes.len();
    // Opened, the list shows the flow traced below.
    use_effect_on((), {
        let (reveal, selected) = (reveal.clone(), shown.selected);
        move |_| reveal.set(selected.map(|index| (index, 0)))
    });
    // The next slice once this one is drawn, so that the page stays responsive.
    use_effect_on((shown.listing, *slice), {
        let slice = slice.clone();
        move |(listing, at): &(Option<(usize, usize)>, u32)| {
            let next = listing.map(|_| {
                let (slice, at) = (slice.clone(), *at);
                Timeout::new(0, move || slice.set(at.wrapping_add(1)))
            });
            move || drop(next)
        }
    });

    // The rows of `range` of the list, read from the session.
    let fetch = {
        let (shared, indexes) = (store.shared(), shown.indexes.clone());
        move |from: usize, to: usize| -> Vec<FlowRow> {
            let wanted = indexes.get(from.min(len)..to.min(len)).unwrap_or_default();
            shared.borrow().flow_rows(wanted)
        }
    };
    let choose = {
        let (on_fact, on_flow) = (props.on_select_fact.clone(), props.on_select_flow.clone());
        move |summary: &FlowSummary| match summary.span() {
            Some((_, last)) => on_fact.emit(last),
            None => on_flow.emit(summary.correlation_id),
        }
    };

    let render = {
        let (fetch, names) = (fetch.clone(), names.clone());
        Callback::from(move |window: Window| {
            let from = window.range.start;
            let rows = fetch(from, window.range.end);
            window
                .indexes()
                .into_iter()
                .filter_map(|index| Some((index, rows.get(index - from)?)))
                .map(|(index, row)| {
                    let state = RowState {
                        index,
                        selected: Some(row.summary.correlation_id) == selected_id,
                        future: cursor.is_some_and(|c| {
                            row.summary.span().is_none_or(|(first, _)| first >= c)
                        }),
                    };
                    render_row(
                        row,
                        &command_label(&row.command, &names),
                        state,
                        window.place(index),
                    )
                })
                .collect::<Html>()
        })
    };

    let onclick = {
        let (fetch, choose) = (fetch.clone(), choose.clone());
        Callback::from(move |e: MouseEvent| {
            let index = clicked_row(&e, "[data-testid=flow-row]");
            if let Some(row) = index.and_then(|i| fetch(i, i + 1).pop()) {
                choose(&row.summary);
            }
        })
    };

    let onkeydown = {
        let (viewport, reveal, selected) = (viewport.clone(), reveal.clone(), shown.selected);
        Callback::from(move |e: KeyboardEvent| {
            let Some(target) = viewport.borrow().key_target(&e.key(), selected, len) else {
                return;
            };
            e.prevent_default();
            if let Some(row) = fetch(target, target + 1).pop() {
                let nonce = reveal.as_ref().map_or(0, |(_, n)| n + 1);
                reveal.set(Some((target, nonce)));
                choose(&row.summary);
            }
        })
    };

    let on_viewport = {
        let viewport = viewport.clone();
        Callback::from(move |now: Viewport| *viewport.borrow_mut() = now)
    };
    // The chosen flow's row, for assistive technologies, while it is drawn (in view or
    // next to it).
    let active = shown
        .selected
        .filter(|i| {
            let drawn = viewport.borrow().visible(len);
            *i + 1 >= drawn.start && *i <= drawn.end
        })
        .map(|i| AttrValue::from(row_id(i)));

    html! {
        <section class="log flows" id="log-view-flows" role="tabpanel" aria-label="flows">
            { outcome_bar(&shown, *outcome, outcome.setter()) }
            <div class="log-body">
                <VirtualList
                    class="log-scroller"
                    testid="flows"
                    role="grid"
                    aria_label="flows, oldest first"
                    active_descendant={active}
                    {len}
                    header={render_header()}
                    header_rows={1}
                    empty={empty(&shown, *outcome)}
                    {render}
                    reveal={*reveal}
                    follow={cursor.is_none()}
                    {on_viewport}
                    {onkeydown}
                    {onclick}
                />
            </div>
        </section>
    }
}

/// The outcome filter: every flow, or those of one outcome, each with its count.
fn outcome_bar(
    shown: &FlowsShown,
    chosen: Option<FlowOutcome>,
    choose: UseStateSetter<Option<FlowOutcome>>,
) -> Html {
    let button = |outcome: Option<FlowOutcome>, count: usize| {
        let pressed = outcome == chosen;
        let (glyph, word, tone) = match outcome {
            Some(o) => (o.glyph(), o.word(), Some(o.tone().word())),
            None => ("", "all", None),
        };
        let onclick = {
            let choose = choose.clone();
            Callback::from(move |_: MouseEvent| choose.set(outcome))
        };
        html! {
            <button type="button" class={classes!("flows-outcome", pressed.then_some("flows-outcome-on"))}
                data-testid="flows-outcome" data-outcome={word} aria-pressed={pressed.to_string()}
                disabled={count == 0 && !pressed} {onclick}>
                if let Some(tone) = tone {
                    <span class={classes!("kind", format!("kind-{tone}"))} aria-hidden="true">{ glyph }</span>
                }
                { format!(" {word} ") }
                <span class="flows-outcome-count" data-testid="flows-count">{ thousands(count as u64) }</span>
            </button>
        }
    };
    html! {
        <div class="log-filters flows-outcomes" role="group" aria-label="Show the flows that are">
            { button(None, shown.total()) }
            { for FlowOutcome::ALL.iter().zip(shown.counts).map(|(&o, count)| button(Some(o), count)) }
            if let Some((read, of)) = shown.listing {
                <span class="log-count" role="status" data-testid="flows-listing">
                    { format!("listing… {}%", read * 100 / of.max(1)) }
                </span>
            }
        </div>
    }
}

/// What an empty list says: how flows come, or that none has the outcome chosen.
fn empty(shown: &FlowsShown, outcome: Option<FlowOutcome>) -> Html {
    match outcome {
        Some(outcome) if shown.total() > 0 => html! {
            <div class="log-empty" role="note">
                <p class="log-empty-title">{ format!("No flow is {}", outcome.word()) }</p>
                <p>{ format!("None of the {} passes; show them all.", counted(shown.total() as u64, "flow")) }</p>
            </div>
        },
        _ => html! {
            <div class="log-empty" role="note">
                <p class="log-empty-title">{ "No flows yet" }</p>
                <p>{ "Each command you submit starts a flow: the commands its facts set off, their rejections and compensations. Each is listed here with what became of it." }</p>
            </div>
        },
    }
}

/// The DOM id of the row at `index` of the list, for `aria-activedescendant`.
fn row_id(index: usize) -> String {
    format!("flow-row-{index}")
}

/// How a row relates to the selection and the time-travel cursor.
struct RowState {
    index: usize,
    selected: bool,
    future: bool,
}

/// One flow's row at its `place` in the list.
fn render_row(row: &FlowRow, label: &str, state: RowState, place: Place) -> Html {
    let flow = &row.summary;
    let outcome = flow.outcome();
    let tone = outcome.tone().word();
    let span = match flow.span() {
        Some((first, last)) if first == last => format!("#{first}"),
        Some((first, last)) => format!("#{first}–{last}"),
        None => "—".to_string(),
    };
    let class = classes!(
        "log-row",
        "flow-row",
        state.selected.then_some("log-row-selected"),
        state.future.then_some("log-row-future"),
    );
    html! {
        <div key={place.key} style={place.style} id={row_id(state.index)} {class} role="row"
            aria-rowindex={(state.index + 2).to_string()} aria-selected={state.selected.to_string()}
            data-testid="flow-row" data-outcome={outcome.word()}
            data-correlation={flow.correlation_id.to_string()}>
            <span class="log-cell log-pos num mono" role="gridcell">{ row.index + 1 }</span>
            <span class="log-cell flow-outcome" role="gridcell">
                <span class={classes!("kind", format!("kind-{tone}"))}>{ format!("{} {}", outcome.glyph(), outcome.word()) }</span>
                if flow.injected {
                    <span class="kind kind-injected" title="a fault was injected">{ "⚡" }</span>
                }
            </span>
            <span class="log-cell flow-command mono" role="gridcell" title={label.to_string()}>{ label }</span>
            <span class="log-cell flow-facts num" role="gridcell"
                title={format!("{} events, {} rejections", flow.events, flow.rejections)}>
                if flow.facts() == 0 {
                    { "—" }
                } else if flow.events > 0 {
                    { format!("✔ {}", flow.events) }
                }
                if flow.rejections > 0 {
                    <span class="flow-rejections">{ format!(" ✘ {}", flow.rejections) }</span>
                }
            </span>
            <span class="log-cell flow-commands num" role="gridcell"
                title={format!("{} of {} commands handled, {} compensating", flow.handled, flow.queued, flow.compensations)}>
                { flow.queued }
            </span>
            <span class="log-cell flow-span num mono" role="gridcell">{ span }</span>
        </div>
    }
}

/// The sticky header naming the columns.
fn render_header() -> Html {
    html! {
        <div class="log-row flow-row log-header" role="row" aria-rowindex="1">
            <span class="log-cell log-pos num" role="columnheader">{ "flow" }</span>
            <span class="log-cell flow-outcome" role="columnheader">{ "outcome" }</span>
            <span class="log-cell flow-command" role="columnheader">{ "started by" }</span>
            <span class="log-cell flow-facts num" role="columnheader">{ "facts" }</span>
            <span class="log-cell flow-commands num" role="columnheader" title="commands queued">{ "cmds" }</span>
            <span class="log-cell flow-span num" role="columnheader" title="positions of its first and last facts">{ "positions" }</span>
        </div>
    }
}
