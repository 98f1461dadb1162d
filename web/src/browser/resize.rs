//! Watching an element's size: a `ResizeObserver` that calls back whenever the element's
//! box changes size, and once when the watching starts.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, ResizeObserver};

/// An element being watched; dropping it stops the watching.
pub struct Watched {
    observer: ResizeObserver,
    _on_resize: Closure<dyn FnMut()>,
}

impl Drop for Watched {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// Calls `on_resize` whenever `element` changes size (and once soon after this call),
/// until the result is dropped; `None` in a browser without `ResizeObserver`.
pub fn watch(element: &Element, on_resize: impl FnMut() + 'static) -> Option<Watched> {
    let on_resize = Closure::<dyn FnMut()>::new(on_resize);
    let observer = ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok()?;
    observer.observe(element);
    Some(Watched {
        observer,
        _on_resize: on_resize,
    })
}
