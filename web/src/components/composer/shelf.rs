//! The composer's shelves of ready commands: the domain's examples, and the history of
//! submitted commands. A click fills the composer.

use crate::examples::Example;
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

/// How many history entries are listed (the newest).
const HISTORY_SHOWN: usize = 200;

/// Properties of [`Examples`].
#[derive(Properties, Clone, PartialEq)]
pub struct ExamplesProps {
    /// The examples, in scenario order.
    pub examples: Rc<Vec<Example>>,
    /// Called with the command of the example clicked.
    pub on_pick: Callback<Value>,
    /// Nothing was submitted yet: the summary says to start here.
    #[prop_or_default]
    pub first_time: bool,
}

/// One button per example command.
#[function_component]
pub fn Examples(props: &ExamplesProps) -> Html {
    html! {
        <details class={classes!("composer-shelf", props.first_time.then_some("composer-shelf-start"))} open=true>
            <summary>
                { format!("Examples ({})", props.examples.len()) }
                if props.first_time && !props.examples.is_empty() {
                    <span class="composer-start">{ " — pick one to start" }</span>
                }
            </summary>
            if props.examples.is_empty() {
                <p class="composer-empty">{ "This domain has no scenario files to take examples from." }</p>
            } else {
                <ul class="composer-list">
                    { for props.examples.iter().map(|example| html! {
                        <li>{ entry("example", &example.label, &example.command, &props.on_pick) }</li>
                    }) }
                </ul>
            }
        </details>
    }
}

/// Properties of [`History`].
#[derive(Properties, Clone, PartialEq)]
pub struct HistoryProps {
    /// Submitted commands, newest first.
    pub history: Rc<Vec<Value>>,
    /// The name of each command, to label the entries.
    pub name_of: Callback<Value, String>,
    /// Called with the command clicked.
    pub on_pick: Callback<Value>,
}

/// The submitted commands, newest first.
#[function_component]
pub fn History(props: &HistoryProps) -> Html {
    let more = props.history.len().saturating_sub(HISTORY_SHOWN);
    html! {
        <details class="composer-shelf">
            <summary>{ format!("History ({})", props.history.len()) }</summary>
            if props.history.is_empty() {
                <p class="composer-empty">
                    { "No command submitted yet: pick an example to start, then Submit (Ctrl+Enter)." }
                </p>
            } else {
                <ol class="composer-list">
                    { for props.history.iter().take(HISTORY_SHOWN).map(|command| {
                        let name = props.name_of.emit(command.clone());
                        html! { <li>{ entry("history-item", &name, command, &props.on_pick) }</li> }
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
