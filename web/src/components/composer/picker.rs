//! The command picker: a `<select>` of the domain's commands grouped by service (one
//! `<optgroup>` per outer variant of the command type).

use super::Catalog;
use crate::components::schema_form::Select;
use yew::prelude::*;

/// The grouped command `<select>` (element `id`) over `catalog`, showing `picked` (`None`:
/// the JSON is not any command); `on_pick` is called with the name of the command picked.
///
/// A plain function, not a component: the composer's callbacks are new at each of its
/// renders, so a component would render again anyway, and each component type costs the
/// wasm its own copy of Yew's machinery.
pub fn command_picker(
    id: AttrValue,
    catalog: &Catalog,
    picked: Option<&str>,
    on_pick: Callback<String>,
) -> Html {
    let option = |name: &String| html! { <option value={name.clone()}>{ name.clone() }</option> };
    let groups = catalog
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
        <Select {id} class="composer-picker" testid="command-picker"
            value={picked.unwrap_or_default().to_string()} on_change={on_pick}>
            if picked.is_none() {
                <option value="" disabled=true>{ "— not a known command —" }</option>
            }
            { for groups }
        </Select>
    }
}
