//! The checked-in schemas (`schemas/*.json`) as compact JSON text in `$OUT_DIR/schemas/`,
//! the text each domain bundles: the same values without the indentation (a smaller wasm).
//! A file that does not parse is copied as it is (the schemas test says what is wrong).

use std::path::Path;
use std::{env, fs};

fn main() {
    let manifest = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let source = Path::new(&manifest).join("schemas");
    println!("cargo:rerun-if-changed={}", source.display());
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("schemas");
    fs::create_dir_all(&out).expect("OUT_DIR is writable");
    for entry in fs::read_dir(&source).expect("domains/schemas is a folder") {
        let path = entry.expect("domains/schemas lists").path();
        println!("cargo:rerun-if-changed={}", path.display());
        let text = fs::read_to_string(&path).expect("a schema file reads");
        let compact = serde_json::from_str::<serde_json::Value>(&text)
            .map_or(text, |value| value.to_string());
        let name = path.file_name().expect("a file has a name");
        fs::write(out.join(name), compact).expect("OUT_DIR is writable");
    }
}
