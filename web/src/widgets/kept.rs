//! A part of a panel drawn from markup made once and kept: drawn again only when the kept
//! markup is replaced, not at each render of the panel around it.
//!
//! Yew compares a plain `Html` value with the one drawn before node by node, cloning each
//! node it walks (a shared node is copied before it is compared), at every render of the
//! component that holds it. A component is compared by its properties first and skipped
//! when they are equal: [`Kept`]'s are its markup's pointer, so a large part that seldom
//! changes (the composer's shelves, a hundred buttons) costs its panel's render nothing.

use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`Kept`].
#[derive(Properties, Clone)]
pub struct KeptProps {
    /// The markup, made once (in a `use_memo`) and shared.
    pub html: Rc<Html>,
}

impl PartialEq for KeptProps {
    /// The same markup is the same allocation: its content is never compared.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.html, &other.html)
    }
}

/// Draws `html`; skipped by its parent's render while `html` is the same `Rc`.
#[function_component]
pub fn Kept(props: &KeptProps) -> Html {
    (*props.html).clone()
}
