//! The command picker: a `<select>` of the domain's commands grouped by service (one
//! `<optgroup>` per outer variant of the command type).

use super::Catalog;
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`CommandPicker`].
#[derive(Properties, Clone, PartialEq)]
pub struct CommandPickerProps {
    /// The element id (the label points at it).
    pub id: AttrValue,
    /// The domain's commands.
    pub catalog: Rc<Catalog>,
    /// The command the draft is (`None`: the JSON is not any command).
    pub picked: Option<String>,
    /// Called with the name of the command picked.
    pub on_pick: Callback<String>,
}

/// The grouped command `<select>`.
#[function_component]
pub fn CommandPicker(props: &CommandPickerProps) -> Html {
    let onchange = {
        let on_pick = props.on_pick.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if !select.value().is_empty() {
                on_pick.emit(select.value());
            }
        })
    };
    let option = |name: &String| {
        html! {
            <option value={name.clone()} selected={props.picked.as_ref() == Some(name)}>
                { name.clone() }
            </option>
        }
    };
    let groups = props
        .catalog
        .groups()
        .into_iter()
        .map(|(service, names)| match service {
            Some(service) => html! {
                <optgroup label={service.to_string()}>
                    { for names.iter().map(|&n| option(n)) }
                </optgroup>
            },
            None => names.iter().map(|&n| option(n)).collect::<Html>(),
        });
    html! {
        <select id={props.id.clone()} class="composer-picker" data-testid="command-picker" {onchange}>
            if props.picked.is_none() {
                <option value="" selected=true disabled=true>{ "— not a known command —" }</option>
            }
            { for groups }
        </select>
    }
}
