//! A modal dialog over the page: a title, a close button that takes the focus when it
//! opens, a backdrop that closes it on click. Esc closes it too (the page's shortcuts).

use yew::prelude::*;

/// Props of a [`Dialog`].
#[derive(Properties, PartialEq)]
pub struct DialogProps {
    /// The heading, also the dialog's accessible name.
    pub title: AttrValue,
    /// The `data-testid` of the dialog element.
    pub testid: AttrValue,
    /// Closes the dialog.
    pub on_close: Callback<()>,
    /// A wider dialog (for lists and diffs).
    #[prop_or_default]
    pub wide: bool,
    /// The content.
    pub children: Html,
}

/// A modal dialog.
#[function_component]
pub fn Dialog(props: &DialogProps) -> Html {
    let close_button = use_node_ref();
    {
        let close_button = close_button.clone();
        use_effect_with((), move |_| {
            if let Some(button) = close_button.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        });
    }
    let title_id = format!("{}-title", props.testid);
    let close = props.on_close.reform(|_: MouseEvent| ());
    let backdrop = props.on_close.reform(|_: MouseEvent| ());
    let stop = Callback::from(|e: MouseEvent| e.stop_propagation());
    html! {
        <div class="overlay" onclick={backdrop}>
            <div class={classes!("dialog", props.wide.then_some("dialog-wide"))} role="dialog"
                aria-modal="true" aria-labelledby={title_id.clone()}
                data-testid={props.testid.clone()} onclick={stop}>
                <div class="dialog-head">
                    <h2 id={title_id}>{ props.title.clone() }</h2>
                    <button ref={close_button} class="tool" onclick={close} aria-label="Close">{ "×" }</button>
                </div>
                { props.children.clone() }
            </div>
        </div>
    }
}
