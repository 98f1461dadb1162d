//! A `<select>` that keeps showing the option its properties say, even after the user or
//! a script changed it: the `selected` attribute alone no longer moves a select once its
//! choice was touched, so the chosen value is set after every render.

use yew::prelude::*;

/// Properties of [`Select`].
#[derive(Properties, Clone, PartialEq)]
pub struct SelectProps {
    /// The element id (a `<label for>` points at it).
    pub id: AttrValue,
    /// CSS classes.
    #[prop_or_default]
    pub class: Classes,
    /// The `data-testid`, if the select is part of the page's public contract.
    #[prop_or_default]
    pub testid: Option<AttrValue>,
    /// The value of the option shown (`""` for a placeholder option).
    pub value: AttrValue,
    /// `aria-invalid`.
    #[prop_or_default]
    pub invalid: bool,
    /// `aria-describedby`.
    #[prop_or_default]
    pub described_by: Option<AttrValue>,
    /// Called with the value of the option picked.
    pub on_change: Callback<String>,
    /// The `<option>`s and `<optgroup>`s.
    pub children: Html,
}

/// A controlled `<select>`.
#[function_component]
pub fn Select(props: &SelectProps) -> Html {
    let node = use_node_ref();
    {
        let (node, value) = (node.clone(), props.value.clone());
        use_effect(move || {
            if let Some(select) = node.cast::<web_sys::HtmlSelectElement>() {
                if select.value() != *value {
                    select.set_value(&value);
                }
            }
        });
    }
    let onchange = props.on_change.reform(|e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        select.value()
    });
    html! {
        <select ref={node} id={props.id.clone()} class={props.class.clone()}
            data-testid={props.testid.clone()}
            aria-invalid={props.invalid.to_string()}
            aria-describedby={props.described_by.clone()}
            {onchange}>
            { props.children.clone() }
        </select>
    }
}
