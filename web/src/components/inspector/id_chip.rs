//! An id as the inspector shows it: monospace, shortened in the middle when space is
//! short (the whole id stays in the text and in the `title`), with a copy button.

use crate::widgets::copy_button::CopyButton;
use yew::prelude::*;

/// How many trailing characters stay visible when an id is shortened.
const TAIL: usize = 6;

/// Properties of [`IdChip`].
#[derive(Properties, PartialEq)]
pub struct IdChipProps {
    /// The full id.
    pub id: AttrValue,
    /// What the id is, for the copy button's label (e.g. "correlation id").
    pub label: AttrValue,
}

/// An id, shortened in the middle by CSS when it does not fit, with a copy button.
#[function_component]
pub fn IdChip(props: &IdChipProps) -> Html {
    let split = props
        .id
        .char_indices()
        .rev()
        .nth(TAIL - 1)
        .map_or(0, |(i, _)| i);
    let (head, tail) = props.id.split_at(split);
    let text = {
        let id = props.id.clone();
        Callback::from(move |()| id.to_string())
    };
    html! {
        <span class="inspector-id">
            <span class="inspector-id-text mono" title={props.id.clone()}>
                <span class="inspector-id-head">{ head }</span>
                <span class="inspector-id-tail">{ tail }</span>
            </span>
            <CopyButton {text} what={props.label.clone()} idle="copy"
                refused_hint="The browser refused: select the id and copy it"
                class={classes!("inspector-copy")} testid="copy-id" />
        </span>
    }
}
