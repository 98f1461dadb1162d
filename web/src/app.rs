//! The app shell: product name, what it is, the example domains, and the core check.

use crate::{core_check, panic_screen};
use yew::prelude::*;

/// The root component.
#[function_component]
pub fn App() -> Html {
    if panic_screen::requested_by_url() {
        panic!(
            "deliberate panic requested with ?{}",
            panic_screen::DEBUG_PANIC_PARAM
        );
    }
    let check = use_memo((), |_| core_check::run());
    let domains = decider_domains::all();
    html! {
        <main class="shell">
            <header>
                <h1>{ "Decider Lab" }</h1>
                <p class="tagline">
                    { "Issue commands, watch the event log, replay state, and trace sagas and \
                       their compensations, all in your browser." }
                </p>
            </header>
            <section id="core-check" aria-label="core check">
                { match &*check {
                    Ok(c) => html! {
                        <p>
                            { format!(
                                "decider-core {} in WebAssembly: counter `demo` is at {} after {} \
                                 recorded facts; the last command was rejected with {}.",
                                env!("CARGO_PKG_VERSION"), c.value, c.facts, c.rejection
                            ) }
                        </p>
                    },
                    Err(e) => html! { <p class="error">{ format!("core check failed: {e}") }</p> },
                } }
            </section>
            <section aria-label="domains">
                <h2>{ "Example domains" }</h2>
                <ul id="domains">
                    { for domains.iter().map(|d| html! {
                        <li key={d.info().id.clone()}>
                            <strong>{ &d.info().title }</strong>
                            { format!(" — {} commands: {}", d.command_names().len(), d.command_names().join(", ")) }
                            <p>{ &d.info().description }</p>
                        </li>
                    }) }
                </ul>
            </section>
        </main>
    }
}
