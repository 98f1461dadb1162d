//! One part of the state at the cursor (a stream, the view, the process managers) as a JSON
//! tree with what changed since the previous position.

use crate::widgets::json_diff::{diff, JsonDiff};
use crate::widgets::json_tree::{JsonTree, TreeChoices, TreeField};
use serde_json::{Map, Value};
use std::rc::Rc;
use yew::prelude::*;

/// Changed paths listed in a section's summary before "and N more".
const LISTED: usize = 50;

/// A part of the state, ready to show.
#[derive(Debug, PartialEq)]
pub struct Section {
    /// The value at the cursor.
    pub value: Rc<Value>,
    /// What changed since one fact earlier; `None` at the initial state.
    pub diff: Option<Rc<JsonDiff>>,
}

impl Section {
    /// `current` compared with `previous` (`None`: nothing to compare with; `Some(None)`:
    /// the part did not exist yet, so all of it is new).
    pub fn new(current: &Value, previous: Option<Option<&Value>>) -> Section {
        let diff = previous.map(|old| {
            let empty = empty_like(current);
            Rc::new(diff(old.unwrap_or(&empty), current))
        });
        Section {
            value: Rc::new(current.clone()),
            diff,
        }
    }
}

/// An empty value of the same shape, to compare a part that did not exist yet against.
fn empty_like(value: &Value) -> Value {
    match value {
        Value::Array(_) => Value::Array(Vec::new()),
        Value::Object(_) => Value::Object(Map::new()),
        _ => Value::Null,
    }
}

/// A part of the state (`section`: its value and diff) as a tree whose root is labelled
/// `name` (e.g. the stream id, `view`), with a one-line summary of what changed; the
/// person's choices in the tree are kept in `choices`. With `history`, each row asks it
/// which events changed its field, and the row of the path it names is pressed.
///
/// A plain function, not a component: the tree is the component that keeps its
/// rendering when nothing changed, and each component type costs the wasm its own copy of
/// Yew's machinery.
pub fn state_section(
    name: AttrValue,
    section: &Section,
    choices: &TreeChoices,
    history: Option<(&Callback<TreeField>, Option<&str>)>,
) -> Html {
    let (on_history, tracked) = match history {
        Some((on_history, tracked)) => (Some(on_history.clone()), tracked.map(AttrValue::from)),
        None => (None, None),
    };
    let summary = match section.diff.as_deref() {
        None => html! {
            <p class="inspector-summary inspector-muted">{ "Initial state: nothing to compare with." }</p>
        },
        Some(d) if d.is_empty() => html! {
            <p class="inspector-summary inspector-muted">{ "No change at this position" }</p>
        },
        Some(d) => html! {
            <details class="inspector-summary">
                <summary>
                    { format!("Δ {} changed path{} since the previous position",
                              d.len(), if d.len() == 1 { "" } else { "s" }) }
                </summary>
                <ul class="inspector-changes mono">
                    { for d.changes().iter().take(LISTED).map(|c| html! {
                        <li class={format!("inspector-change-{}", c.kind.as_str())}>
                            <span aria-label={c.kind.as_str()}>{ c.kind.glyph() }</span>
                            { " " }{ &c.path }
                        </li>
                    }) }
                    if d.len() > LISTED {
                        <li class="inspector-muted">{ format!("and {} more", d.len() - LISTED) }</li>
                    }
                </ul>
            </details>
        },
    };
    html! {
        <>
            { summary }
            <JsonTree value={section.value.clone()} diff={section.diff.clone()}
                      collapsed_depth={3} {name} choices={choices.clone()} {on_history} {tracked} />
        </>
    }
}
