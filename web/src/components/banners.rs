//! The page-wide banners: an error anyone should see, and "viewing the past".

use crate::session::store::SessionHandle;
use crate::session::Action;
use yew::prelude::*;

/// The error banner (`role=alert`) of the session in `store`, present only while there is
/// an error. A plain function of the page's session, not a component: the page renders at
/// every change of the session, and each component type costs the wasm its own copy of
/// Yew's machinery.
pub fn error_banner(store: &SessionHandle) -> Html {
    let session = store.get();
    let Some(error) = session.error() else {
        return html! {};
    };
    let dismiss = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::DismissError))
    };
    html! {
        <div class="banner banner-error" role="alert" data-testid="error-banner">
            <span class="banner-glyph" aria-hidden="true">{ "✘" }</span>
            <span class="banner-text">{ error }</span>
            <button class="tool" onclick={dismiss} aria-label="Dismiss the error">{ "×" }</button>
        </div>
    }
}

/// The "viewing the past" banner of the session in `store`, with its two ways out. A plain
/// function of the page's session, as [`error_banner`].
///
/// Seen only in the past, it is in the page while live too, unseen (`banner-idle`: not
/// drawn, not in the accessibility tree, its buttons out of the tab order) and without its
/// `data-testid`, its texts those of the head: entering the past then makes and lays out
/// no element, it changes the banner's class and texts as each move within the past does.
pub fn past_banner(store: &SessionHandle) -> Html {
    let session = store.get();
    let past = session.in_past();
    let cursor = session.position();
    let live = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::Live))
    };
    let fork = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::Fork))
    };
    html! {
        <div class={classes!("banner", "banner-past", (!past).then_some("banner-idle"))}
            role="status" data-testid={past.then_some("past-banner")}>
            <span class="banner-glyph" aria-hidden="true">{ "⚠" }</span>
            <span class="banner-text">
                { "Viewing the past: " }
                if cursor == 0 {
                    { "the initial state" }
                } else {
                    { "the state after fact " }
                    <strong class="mono">{ format!("#{}", cursor - 1) }</strong>
                }
                { format!(" (position {cursor} of {}). The composer is locked.", session.head()) }
            </span>
            <button class="tool primary" data-testid="live-button" onclick={live}
                title="Back to the live head (End)">{ "⇥ back to live" }</button>
            <button class="tool" data-testid="fork-button" onclick={fork}
                title="A what-if session whose past is this one's up to here">{ "⎇ fork from here" }</button>
        </div>
    }
}
