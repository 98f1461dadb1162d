//! Which events changed a field of the shown stream: the list the engine made
//! ([`FieldHistory`]), the change whose value the cursor shows marked, the ones after the
//! cursor dimmed, each a button that selects its fact.

use decider_core::boundary::{short_name, FieldChange, FieldHistory};
use serde_json::Value;
use yew::prelude::*;

/// A field whose history the inspector shows: its path in the stream's state, and what the
/// engine found.
#[derive(Debug, PartialEq)]
pub struct TrackedField {
    /// The field's path, rooted at `$` (`$.status`).
    pub path: String,
    /// The events that changed it.
    pub history: FieldHistory,
}

/// The history of `field` in `stream` at the cursor's `position` (facts folded): a click on
/// a change sends its position to `on_select`; `on_close` closes it.
/// A plain function, as the inspector's other parts are.
pub fn field_history(
    field: &TrackedField,
    stream: &str,
    position: u64,
    on_select: &Callback<u64>,
    on_close: Callback<MouseEvent>,
) -> Html {
    let history = &field.history;
    let count = history.changes.len() as u64 + history.earlier;
    let changes = match count {
        1 => "1 change".to_string(),
        n => format!("{n} changes"),
    };
    let summary = match (count, history.skipped) {
        (0, 0) => format!("no event of {stream} changed it"),
        (_, 0) => format!("{changes} in {stream}"),
        (_, skipped) => format!(
            "{changes} in the last {} events of {stream}",
            history.events - skipped
        ),
    };
    // The change whose value the cursor shows: the last one folded.
    let shown = history
        .changes
        .iter()
        .rposition(|change| change.fact.position < position);
    let initial = (history.earlier == 0).then(|| {
        let current = shown.is_none() && position >= history.from;
        let (label, title) = match history.skipped {
            0 => ("initial state".to_string(), None),
            skipped => (
                format!("before #{}", history.from),
                Some(format!(
                    "The stream's first {skipped} events were not examined: its state is too large to follow the field through all of them"
                )),
            ),
        };
        html! {
            <li class={classes!("field-change", "field-change-initial", current.then_some("field-change-shown"))}
                aria-current={current.then_some("true")} {title}>
                <span class="field-change-where">{ label }</span>
                { value(history.initial.as_ref()) }
            </li>
        }
    });
    html! {
        <section class="field-history" data-testid="field-history" data-path={field.path.clone()}
                 aria-label={format!("Which events changed {}", field.path)}>
            <header class="field-history-head">
                <span class="field-history-glyph" aria-hidden="true">{ "◷" }</span>
                <span class="field-history-path mono" title={field.path.clone()}>{ &field.path }</span>
                <span class="field-history-count">{ summary }</span>
                <button type="button" class="field-history-close" data-testid="field-history-close"
                        aria-label="Close the field's history" title="Close the field's history"
                        onclick={on_close}>
                    { "×" }
                </button>
            </header>
            <ol class="field-history-changes">
                if history.earlier > 0 {
                    <li class="field-change field-change-earlier">
                        { format!("{} earlier change{} not listed", history.earlier,
                                  if history.earlier == 1 { "" } else { "s" }) }
                    </li>
                }
                { initial }
                { for history.changes.iter().enumerate().map(|(index, change)| {
                    change_row(change, shown == Some(index), change.fact.position >= position, on_select)
                }) }
            </ol>
        </section>
    }
}

/// One change: where (position and stream version), which event, and the value it left;
/// `shown` when the cursor shows its value, `later` when it is after the cursor.
fn change_row(change: &FieldChange, shown: bool, later: bool, on_select: &Callback<u64>) -> Html {
    let fact = &change.fact;
    let position = fact.position;
    let mut title = format!("#{position} {}, by {}", fact.name, fact.origin);
    if later {
        title.push_str(" (after the cursor)");
    }
    let where_ = match fact.stream_version {
        Some(version) => format!("#{position} v{version}"),
        None => format!("#{position}"),
    };
    // A compensation's with ↩ as in the log; the whole name is in the tooltip.
    let short = short_name(&fact.name);
    let name = match fact.compensation {
        true => format!("↩ {short}"),
        false => short.to_string(),
    };
    html! {
        <li class={classes!("field-change", shown.then_some("field-change-shown"), later.then_some("field-change-later"))}
            aria-current={shown.then_some("true")}>
            <button type="button" class="field-change-select" data-testid="field-change"
                    data-position={position.to_string()} {title}
                    onclick={on_select.reform(move |_: MouseEvent| position)}>
                <span class="field-change-where mono">{ where_ }</span>
                <span class={classes!("field-change-name", fact.compensation.then_some("field-change-compensation"))}>
                    { name }
                </span>
                { value(change.value.as_ref()) }
            </button>
        </li>
    }
}

/// The longest value shown (in characters), and the longest in a tooltip: a whole large
/// state would be laid out as one line of hundreds of kilobytes.
const SHOWN_CHARS: usize = 120;
const TOOLTIP_CHARS: usize = 2_000;

/// The field's value after a change (`None`: not there), compact, at most
/// [`TOOLTIP_CHARS`] of it in its tooltip.
pub(super) fn value(value: Option<&Value>) -> Html {
    match value {
        Some(value) => {
            let text = value.to_string();
            let cut = |max: usize| match text.char_indices().nth(max) {
                Some((end, _)) => format!("{}…", &text[..end]),
                None => text.clone(),
            };
            html! {
                <span class="field-change-value mono" title={cut(TOOLTIP_CHARS)}>{ cut(SHOWN_CHARS) }</span>
            }
        }
        None => html! { <span class="field-change-value field-change-absent">{ "absent" }</span> },
    }
}
