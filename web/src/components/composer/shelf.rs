//! The composer's shelves of ready commands: the domain's examples, and the history of
//! submitted commands. A click fills the composer.
//!
//! Each shelf is one stop of the Tab key (its first entry), not one per command: ↑ and ↓
//! move between its entries, so a keyboard user passes a shelf of 14 examples, or 200
//! submitted commands, in one key.

use crate::examples::Example;
use serde_json::Value;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

/// How many history entries are listed (the newest).
const HISTORY_SHOWN: usize = 200;

/// One button per example command (in scenario order); `on_pick` is called with the
/// command of the example clicked. While `first_time` (nothing submitted yet) the summary
/// says to start here.
///
/// A plain function, not a component: the composer's callbacks are new at each of its
/// renders, so a component would render again anyway, and each component type costs the
/// wasm its own copy of Yew's machinery.
pub fn examples(examples: &[Example], on_pick: &Callback<Value>, first_time: bool) -> Html {
    html! {
        <details class={classes!("composer-shelf", first_time.then_some("composer-shelf-start"))} open=true>
            <summary>
                { format!("Examples ({})", examples.len()) }
                if first_time && !examples.is_empty() {
                    <span class="composer-start">{ " — pick one to start" }</span>
                }
            </summary>
            if examples.is_empty() {
                <p class="composer-empty">{ "This domain has no scenario files to take examples from." }</p>
            } else {
                <ul class="composer-list" aria-label="Example commands (↑ ↓ to move)"
                    onkeydown={Callback::from(arrow_keys)}>
                    { for examples.iter().enumerate().map(|(i, example)| html! {
                        <li>{ entry("example", &example.label, &example.command, on_pick, i == 0) }</li>
                    }) }
                </ul>
            }
        </details>
    }
}

/// The submitted commands (`history`, newest first), each labelled with its name
/// (`name_of`); `on_pick` is called with the command clicked. A plain function, as
/// [`examples`] is.
pub fn history(
    history: &[Value],
    name_of: impl Fn(&Value) -> String,
    on_pick: &Callback<Value>,
) -> Html {
    let more = history.len().saturating_sub(HISTORY_SHOWN);
    html! {
        <details class="composer-shelf">
            <summary>{ format!("History ({})", history.len()) }</summary>
            if history.is_empty() {
                <p class="composer-empty">
                    { "No command submitted yet: pick an example to start, then Submit (Ctrl+Enter)." }
                </p>
            } else {
                <ol class="composer-list" aria-label="Submitted commands, newest first (↑ ↓ to move)"
                    onkeydown={Callback::from(arrow_keys)}>
                    { for history.iter().take(HISTORY_SHOWN).enumerate().map(|(i, command)| {
                        let name = name_of(command);
                        html! { <li>{ entry("history-item", &name, command, on_pick, i == 0) }</li> }
                    }) }
                </ol>
                if more > 0 {
                    <p class="composer-empty">{ format!("and {more} older") }</p>
                }
            }
        </details>
    }
}

/// A button that fills the composer with `command`: its label, then the command's JSON.
/// Only a shelf's `first` entry is in the Tab order ([`arrow_keys`] reaches the others).
fn entry(
    testid: &'static str,
    label: &str,
    command: &Value,
    on_pick: &Callback<Value>,
    first: bool,
) -> Html {
    let json = command.to_string();
    let onclick = {
        let (command, on_pick) = (command.clone(), on_pick.clone());
        Callback::from(move |_| on_pick.emit(command.clone()))
    };
    html! {
        <button type="button" class="composer-entry" data-testid={testid}
            tabindex={if first { "0" } else { "-1" }}
            title={format!("{label}\n{json}")} {onclick}>
            <span class="composer-entry-label">{ label.to_string() }</span>
            <code class="composer-entry-json">{ json }</code>
        </button>
    }
}

/// ↑ / ↓ on a shelf's entry: focus the entry above / below it, if there is one (the page
/// does not scroll by the key). Any other key is left to the page.
fn arrow_keys(event: KeyboardEvent) {
    let step = match event.key().as_str() {
        "ArrowUp" => Element::previous_element_sibling,
        "ArrowDown" => Element::next_element_sibling,
        _ => return,
    };
    event.prevent_default();
    let item = event
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|entry| entry.closest("li").ok().flatten());
    if let Some(button) = item
        .and_then(|li| step(&li))
        .and_then(|li| li.first_element_child())
        .and_then(|b| b.dyn_into::<HtmlElement>().ok())
    {
        // Focusing an entry scrolls the shelf to it; a failure leaves the focus where it was.
        let _ = button.focus();
    }
}
