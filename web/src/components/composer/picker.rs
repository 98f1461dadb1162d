//! The command picker: a `<select>` of the domain's commands grouped by service (one
//! `<optgroup>` per outer variant of the command type).

use super::Catalog;
use crate::components::schema_form::Select;
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
    let option = |name: &String| html! { <option value={name.clone()}>{ name.clone() }</option> };
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
        <Select id={props.id.clone()} class="composer-picker" testid="command-picker"
            value={props.picked.clone().unwrap_or_default()} on_change={props.on_pick.clone()}>
            if props.picked.is_none() {
                <option value="" disabled=true>{ "— not a known command —" }</option>
            }
            { for groups }
        </Select>
    }
}
