//! # decider-web
//!
//! The Decider Lab playground. Everything it shows comes from `decider-core` engines
//! driven through the type-erased boundary; the UI never computes domain state itself.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod app;
pub mod browser;
pub mod components;
pub mod effect;
pub mod examples;
pub mod panic_screen;
pub mod persistence;
pub mod session;
pub mod share;
pub mod widgets;

/// The bytes of WebAssembly memory the page holds (the engine's log and state live there),
/// for the benchmarks: `window.wasmBindings.wasm_memory_bytes()` in the page.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn wasm_memory_bytes() -> f64 {
    use wasm_bindgen::JsCast;
    wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length()
        .into()
}

/// How many engines of closed sessions are still being freed, a slice at a time, for the
/// benchmarks: `window.wasmBindings.engines_being_freed()` in the page.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn engines_being_freed() -> u32 {
    session::teardown::pending() as u32
}

/// Starts the playground in the page's `<body>`: installs the panic screen, then mounts
/// the app.
pub fn start() {
    panic_screen::install();
    yew::Renderer::<app::App>::new().render();
}
