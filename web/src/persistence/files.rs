//! Files in and out of the page: downloads, and text read from a picked or dropped file.

use wasm_bindgen::JsCast;

/// Offers `text` as a download named `name` (JSON when the name ends with `.json`, plain
/// text otherwise).
pub fn download(name: &str, text: &str) -> Result<(), String> {
    let mime = if name.ends_with(".json") {
        "application/json"
    } else {
        "text/plain"
    };
    let blob = gloo::file::Blob::new_with_options(text, Some(mime));
    let url = gloo::file::ObjectUrl::from(blob);
    let document = gloo::utils::document();
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "the page cannot create a link".to_string())?
        .unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    // Revoked a little later: some browsers read the URL after `click` returns.
    gloo::timers::callback::Timeout::new(10_000, move || drop(url)).forget();
    Ok(())
}

/// The text of a picked or dropped file (a byte-order mark is left for the parser).
pub async fn read_text(file: web_sys::File) -> Result<(String, String), String> {
    let file = gloo::file::File::from(file);
    let name = file.name();
    gloo::file::futures::read_as_text(&file)
        .await
        .map(|text| (name.clone(), text))
        .map_err(|e| format!("{name}: cannot read the file: {e}"))
}
