//! Bundles the example scenarios (`tests/scenarios/<domain>/*.json`) into the playground:
//! the commands as one JSON list per domain, in file then step order, without repeats; and
//! each file's text without the whitespace between its tokens (`$OUT_DIR/scenarios/…`, the
//! spec suite's bundled texts: the same tokens in the same order, a smaller wasm).

use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    let manifest = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join("../tests/scenarios");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut out = String::from(
        "/// Each domain's example commands as a JSON list, from its scenario files.\n\
         const BUNDLED: &[(&str, &str)] = &[\n",
    );
    for dir in sorted_entries(&root) {
        let Some(domain) = dir.file_name().and_then(|n| n.to_str()).map(str::to_string) else {
            continue;
        };
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut commands: Vec<Value> = Vec::new();
        for file in sorted_entries(&dir) {
            if file.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let Ok(text) = fs::read_to_string(&file) else {
                continue;
            };
            let bundled = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
                .join("scenarios")
                .join(&domain);
            fs::create_dir_all(&bundled).expect("OUT_DIR is writable");
            let name = file.file_name().expect("a file has a name");
            fs::write(bundled.join(name), compact(&text)).expect("OUT_DIR is writable");
            // A broken scenario file is reported by the scenario tests, not here.
            let Ok(scenario) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            let steps = scenario["steps"].as_array().cloned().unwrap_or_default();
            for command in steps
                .into_iter()
                .filter_map(|mut s| s.get_mut("command").map(Value::take))
            {
                if !commands.contains(&command) {
                    commands.push(command);
                }
            }
        }
        let list = serde_json::to_string(&commands).expect("JSON values serialize");
        writeln!(out, "    ({domain:?}, {list:?}),").expect("writing to a String");
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("examples.rs");
    fs::write(dest, out).expect("OUT_DIR is writable");
}

/// The entries of a directory sorted by name (none when it cannot be read).
fn sorted_entries(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    entries.sort();
    entries
}

/// JSON text without the whitespace between its tokens (strings kept as written).
fn compact(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            in_string = escaped || c != '"';
            escaped = !escaped && c == '\\';
        } else if c.is_ascii_whitespace() {
            continue;
        } else {
            in_string = c == '"';
        }
        out.push(c);
    }
    out
}
