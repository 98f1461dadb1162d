//! The top bar: the domain and its seed, the run mode, Step, the counts, and help.

use crate::session::store::SessionHandle;
use crate::session::{Action, RunMode};
use crate::widgets::number::{noun, scripted_count};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The top bar of the session in `store`; `on_help` opens the shortcuts overlay,
/// `on_specs` the specification suite, `on_explore` the explorer.
///
/// A plain function of the page's session, not a component: the page renders at every
/// change of the session, as the bar would, and each component type costs the wasm its
/// own copy of Yew's machinery.
pub fn header(
    store: &SessionHandle,
    on_help: Callback<()>,
    on_specs: Callback<()>,
    on_explore: Callback<()>,
) -> Html {
    let session = store.get();
    let dispatch = {
        let store = store.clone();
        Callback::from(move |action| store.dispatch(action))
    };
    let domain = session.domain().info().clone();
    let queue = session.queue_len();
    let mode = session.mode();
    let past = session.in_past() || session.read_only();

    let on_domain = dispatch.reform(|e: Event| Action::SelectDomain(select_value(&e)));
    let on_mode = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(mode) = RunMode::from_id(&select_value(&e)) {
                dispatch.emit(Action::SetMode(mode));
            }
        })
    };
    let on_seed = {
        let dispatch = dispatch.clone();
        Callback::from(
            move |e: Event| match input_value(&e).trim().parse::<u64>() {
                Ok(seed) => dispatch.emit(Action::SetSeed(seed)),
                Err(_) => dispatch.emit(Action::Error(
                    "The seed must be a whole number from 0 to 18446744073709551615.".into(),
                )),
            },
        )
    };
    let on_interval = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            if let Ok(ms) = input_value(&e).trim().parse::<u32>() {
                dispatch.emit(Action::SetInterval(ms));
            }
        })
    };
    let on_step = dispatch.reform(|_: MouseEvent| Action::Step);
    let on_run = dispatch.reform(|_: MouseEvent| Action::RunToIdle);
    let on_play = {
        let playing = session.playing();
        dispatch.reform(move |_: MouseEvent| Action::SetPlaying(!playing))
    };
    let on_help = on_help.reform(|_: MouseEvent| ());
    let on_specs = on_specs.reform(|_: MouseEvent| ());
    let on_explore = on_explore.reform(|_: MouseEvent| ());

    html! {
        <header class="topbar">
            <h1 class="brand"><span aria-hidden="true">{ "◆ " }</span>{ "Decider Lab" }</h1>
            <label class="field">
                <span>{ "domain" }</span>
                <select data-testid="domain-picker" onchange={on_domain}
                    title={domain.description.clone()} aria-describedby="domain-description">
                    { for session.domains().iter().map(|d| {
                        let info = d.info();
                        html! {
                            <option value={info.id.clone()} selected={info.id == domain.id}
                                title={info.description.clone()}>
                                { &info.title }
                            </option>
                        }
                    }) }
                </select>
            </label>
            <p id="domain-description" class="domain-description" title={domain.description.clone()}>
                { &domain.description }
            </p>
            <label class="field seed">
                <span>{ "seed" }</span>
                <input data-testid="seed" type="number" min="0" class="mono"
                    value={session.seed().to_string()} onchange={on_seed} />
            </label>
            if let Some(fork) = session.fork_origin() {
                <span class="fork-badge" title="A what-if branch: its past is the original session's up to this position">
                    { format!("⎇ fork @ {}", fork.position) }
                </span>
            }
            <span class="spacer"></span>
            <label class="field">
                <span>{ "mode" }</span>
                <select data-testid="run-mode" onchange={on_mode}>
                    { for [RunMode::Instant, RunMode::RealTime, RunMode::Step].into_iter().map(|m| html! {
                        <option value={m.id()} selected={m == mode}>{ mode_label(m) }</option>
                    }) }
                </select>
            </label>
            if mode == RunMode::RealTime {
                <label class="field">
                    <span>{ "every" }</span>
                    <input data-testid="interval" type="number" min="20" max="10000" step="50"
                        class="mono interval" value={session.interval_ms().to_string()}
                        onchange={on_interval} />
                    <span>{ "ms" }</span>
                </label>
                <button class="tool" onclick={on_play} aria-pressed={session.playing().to_string()}
                    title="Pause or resume the run (Space)">
                    { if session.playing() { "❚❚ pause" } else { "▶ run" } }
                </button>
            }
            <button class="tool" data-testid="step-button" onclick={on_step}
                disabled={past || queue == 0} title="Take one engine step (.)">
                { "▷ step" }
            </button>
            <button class="tool" data-testid="run-button" onclick={on_run}
                disabled={past || queue == 0} title="Run the queue until idle">
                { "⇉ run all" }
            </button>
            <span class="counts mono" aria-live="polite">
                <span title="facts recorded">
                    { scripted_count("head", session.head()) }{ format!(" {}", noun(session.head(), "fact")) }
                </span>
                <span title="commands waiting in the queue" data-testid="queue-count">{ format!("{queue} queued") }</span>
            </span>
            <button class="tool" data-testid="specs-button" onclick={on_specs}
                title="Run the example and imported scenarios as a red/green suite">{ "✔ specs" }</button>
            <button class="tool" data-testid="explore-button" onclick={on_explore}
                title="Explore the domain at random until an invariant breaks, and shrink the run that broke it (x)">{ "⚄ explore" }</button>
            <button class="tool help" onclick={on_help} aria-label="Keyboard shortcuts (?)"
                title="Keyboard shortcuts (?)">{ "?" }</button>
        </header>
    }
}

fn mode_label(mode: RunMode) -> &'static str {
    match mode {
        RunMode::Instant => "instant",
        RunMode::RealTime => "real time",
        RunMode::Step => "step",
    }
}

/// The value of the `<select>` an event came from.
pub fn select_value(event: &Event) -> String {
    event
        .target()
        .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}

/// The value of the `<input>` an event came from.
pub fn input_value(event: &Event) -> String {
    event
        .target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}
