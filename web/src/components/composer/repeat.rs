//! Repeat ×N: how many times a command is submitted, and the progress of a repeat that
//! runs.

use crate::widgets::number::thousands;
use yew::prelude::*;

/// The largest repeat count.
pub const MAX_REPEAT: u32 = 1_000_000;

/// The repeat count a text stands for, when it is a whole number in `1..=MAX_REPEAT`.
pub fn parse_count(text: &str) -> Option<u32> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=MAX_REPEAT).contains(n))
}

/// The `×N` number input (element `id`) showing `text`; `on_input` is called with the
/// new text.
///
/// This and [`repeat_progress`] are plain functions, not components: the composer's
/// callbacks are new at each of its renders, so a component would render again anyway,
/// and each component type costs the wasm its own copy of Yew's machinery.
pub fn repeat_count(id: AttrValue, text: &str, on_input: Callback<String>) -> Html {
    let oninput = Callback::from(move |e: InputEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        on_input.emit(input.value());
    });
    let valid = parse_count(text).is_some();
    html! {
        <span class="composer-repeat">
            <label for={id.clone()} title="Submit the command N times">{ "Repeat ×" }</label>
            <input {id} type="number" class="num" data-testid="repeat-count"
                min="1" max={MAX_REPEAT.to_string()} step="1" inputmode="numeric"
                value={text.to_string()} aria-invalid={(!valid).to_string()} {oninput} />
        </span>
    }
}

/// A repeat that runs, `done` of `total` commands submitted: a progress bar and Cancel
/// (`on_cancel`).
pub fn repeat_progress(done: u64, total: u64, on_cancel: &Callback<()>) -> Html {
    let onclick = on_cancel.reform(|_: MouseEvent| ());
    html! {
        <div class="composer-progress" role="status">
            <progress value={done.to_string()} max={total.max(1).to_string()}
                aria-label="Repeat progress" />
            <span class="num mono">{ format!("{} / {}", thousands(done), thousands(total)) }</span>
            <button type="button" class="composer-cancel" {onclick}>{ "Cancel" }</button>
        </div>
    }
}
