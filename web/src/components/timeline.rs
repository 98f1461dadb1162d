//! The time-travel bar: a slider over 0..head, play/pause with a speed, one fact back and
//! forward, and where the cursor is.

use crate::components::header::select_value;
use crate::session::store::SessionHandle;
use crate::session::{Action, RunMode};
use crate::widgets::number::thousands;
use yew::prelude::*;

/// Playback speeds: label and milliseconds per fact.
const SPEEDS: &[(&str, u32)] = &[
    ("1 fact/s", 1000),
    ("2 facts/s", 500),
    ("5 facts/s", 200),
    ("10 facts/s", 100),
    ("30 facts/s", 33),
];

/// The timeline bar of the session in `store`.
///
/// A plain function of the page's session, not a component: the page renders at every
/// change of the session, as the bar did (a slider move rendered both), and each
/// component type costs the wasm its own copy of Yew's machinery.
pub fn timeline(store: &SessionHandle) -> Html {
    let session = store.get();
    let dispatch = {
        let store = store.clone();
        Callback::from(move |action| store.dispatch(action))
    };
    let head = session.head();
    let position = session.position();
    let past = session.in_past();
    let playing = session.playing() && session.mode() != RunMode::RealTime;

    let on_slide = dispatch.reform(move |e: InputEvent| {
        let value = e
            .target_dyn_into::<web_sys::HtmlInputElement>()
            .map(|i| i.value())
            .unwrap_or_default();
        Action::SetCursor(value.parse().unwrap_or(head))
    });
    let on_speed =
        dispatch.reform(|e: Event| Action::SetInterval(select_value(&e).parse().unwrap_or(200)));
    let start = dispatch.reform(|_: MouseEvent| Action::SetCursor(0));
    let back = dispatch.reform(|_: MouseEvent| Action::StepBack);
    let forward = dispatch.reform(|_: MouseEvent| Action::StepForward);
    let live = dispatch.reform(|_: MouseEvent| Action::Live);
    let play = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            if !playing && !past {
                // Replaying from the live head means replaying from the start.
                dispatch.emit(Action::SetCursor(0));
            }
            dispatch.emit(Action::SetPlaying(!playing));
        })
    };
    let interval = session.interval_ms();

    html! {
        <footer class={classes!("timeline", past.then_some("timeline-past"))} aria-label="time travel">
            <div class="timeline-buttons" role="group" aria-label="time travel controls">
                <button class="tool" onclick={start} disabled={head == 0 || position == 0}
                    title="The initial state (Home)" aria-label="To the initial state">{ "⇤" }</button>
                <button class="tool" onclick={back} disabled={position == 0}
                    title="One fact back (←)" aria-label="One fact back">{ "◁" }</button>
                <button class="tool" data-testid="play-button" onclick={play} disabled={head == 0}
                    aria-pressed={playing.to_string()} title="Replay the facts one by one (Space)"
                    aria-label={if playing { "Pause" } else { "Play" }}>
                    { if playing { "❚❚" } else { "▶" } }
                </button>
                <button class="tool" onclick={forward} disabled={!past}
                    title="One fact forward (→)" aria-label="One fact forward">{ "▷" }</button>
                <button class="tool" onclick={live} disabled={!past}
                    title="Back to live (End)" aria-label="Back to live">{ "⇥" }</button>
            </div>
            <label class="visually-hidden" for="timeline-slider">{ "position in the log" }</label>
            <input id="timeline-slider" data-testid="timeline" type="range" class="timeline-slider"
                min="0" max={head.to_string()} value={position.to_string()} step="1"
                oninput={on_slide} disabled={head == 0}
                aria-valuetext={format!("position {} of {}", thousands(position), thousands(head))} />
            <span class="timeline-position mono" aria-live="polite">
                { format!("position {} / {}", thousands(position), thousands(head)) }
            </span>
            <label class="field">
                <span class="visually-hidden">{ "replay speed" }</span>
                <select data-testid="speed" onchange={on_speed} title="Replay speed">
                    { for SPEEDS.iter().map(|(label, ms)| html! {
                        <option value={ms.to_string()} selected={*ms == interval}>{ *label }</option>
                    }) }
                </select>
            </label>
            <span class={classes!("timeline-state", if past { "is-past" } else { "is-live" })}>
                { if past { "⚠ viewing the past" } else { "● live" } }
            </span>
        </footer>
    }
}
