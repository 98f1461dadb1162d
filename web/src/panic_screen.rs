//! A panic never leaves a blank page: the message goes to the console (with the stack)
//! and into a visible alert at the top of the page.

use std::panic::PanicHookInfo;

/// The id of the alert element a panic adds to the page.
pub const PANIC_ELEMENT_ID: &str = "panic";

/// The query parameter that makes the app panic on purpose, to prove this screen works.
pub const DEBUG_PANIC_PARAM: &str = "debug-panic";

/// Installs the panic hook (through Yew, which would otherwise replace it with its own):
/// console first, then the visible alert.
pub fn install() {
    yew::set_custom_panic_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show(info);
    }));
}

/// Whether the page was opened with `?debug-panic`.
pub fn requested_by_url() -> bool {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|q| {
            q.trim_start_matches('?')
                .split('&')
                .any(|p| p == DEBUG_PANIC_PARAM)
        })
}

fn show(info: &PanicHookInfo<'_>) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else {
        return;
    };
    let Ok(alert) = document.create_element("div") else {
        return;
    };
    alert.set_id(PANIC_ELEMENT_ID);
    let _ = alert.set_attribute("role", "alert");
    alert.set_text_content(Some(&format!(
        "Decider Lab stopped because of a bug: {info}. Your stored data is untouched; \
         reload the page to continue."
    )));
    let _ = body.prepend_with_node_1(&alert);
}
