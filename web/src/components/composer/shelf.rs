//! The composer's shelves of ready commands: the domain's examples, and the history of
//! submitted commands. A click fills the composer.

use crate::examples::Example;
use serde_json::Value;
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
                <ul class="composer-list">
                    { for examples.iter().map(|example| html! {
                        <li>{ entry("example", &example.label, &example.command, on_pick) }</li>
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
                <ol class="composer-list">
                    { for history.iter().take(HISTORY_SHOWN).map(|command| {
                        let name = name_of(command);
                        html! { <li>{ entry("history-item", &name, command, on_pick) }</li> }
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
fn entry(testid: &'static str, label: &str, command: &Value, on_pick: &Callback<Value>) -> Html {
    let json = command.to_string();
    let onclick = {
        let (command, on_pick) = (command.clone(), on_pick.clone());
        Callback::from(move |_| on_pick.emit(command.clone()))
    };
    html! {
        <button type="button" class="composer-entry" data-testid={testid}
            title={format!("{label}\n{json}")} {onclick}>
            <span class="composer-entry-label">{ label.to_string() }</span>
            <code class="composer-entry-json">{ json }</code>
        </button>
    }
}
