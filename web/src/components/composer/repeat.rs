//! Repeat ×N: how many times a command is submitted, and the progress of a repeat that
//! runs.

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

/// Properties of [`RepeatCount`].
#[derive(Properties, Clone, PartialEq)]
pub struct RepeatCountProps {
    /// The element id.
    pub id: AttrValue,
    /// The text typed.
    pub text: AttrValue,
    /// Called with the new text.
    pub on_input: Callback<String>,
}

/// The `×N` number input.
#[function_component]
pub fn RepeatCount(props: &RepeatCountProps) -> Html {
    let oninput = {
        let on_input = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            on_input.emit(input.value());
        })
    };
    let valid = parse_count(&props.text).is_some();
    html! {
        <span class="composer-repeat">
            <label for={props.id.clone()} title="Submit the command N times">{ "Repeat ×" }</label>
            <input id={props.id.clone()} type="number" class="num" data-testid="repeat-count"
                min="1" max={MAX_REPEAT.to_string()} step="1" inputmode="numeric"
                value={props.text.clone()} aria-invalid={(!valid).to_string()} {oninput} />
        </span>
    }
}

/// Properties of [`RepeatProgress`].
#[derive(Properties, Clone, PartialEq)]
pub struct RepeatProgressProps {
    /// Commands submitted so far.
    pub done: u64,
    /// Commands to submit in all.
    pub total: u64,
    /// Called when Cancel is clicked.
    pub on_cancel: Callback<()>,
}

/// A repeat that runs: a progress bar and Cancel.
#[function_component]
pub fn RepeatProgress(props: &RepeatProgressProps) -> Html {
    let onclick = props.on_cancel.reform(|_: MouseEvent| ());
    html! {
        <div class="composer-progress" role="status">
            <progress value={props.done.to_string()} max={props.total.max(1).to_string()}
                aria-label="Repeat progress" />
            <span class="num mono">{ format!("{} / {}", props.done, props.total) }</span>
            <button type="button" class="composer-cancel" {onclick}>{ "Cancel" }</button>
        </div>
    }
}
