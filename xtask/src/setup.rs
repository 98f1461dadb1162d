//! Installs what the two commands need, each step only when it is missing or at the wrong
//! version. Everything comes from the package registries: crates.io (Trunk,
//! wasm-bindgen-cli), npm (binaryen's wasm-opt, playwright-core), Debian (Chromium).

use crate::run::{cmd, has, output, root, run};
use std::path::PathBuf;

/// Trunk's version: 0.22 needs a newer rustc than the machines have.
const TRUNK_VERSION: &str = "0.21.14";

/// The tools found or installed.
pub struct Tools {
    /// PATH with the project's npm tools (wasm-opt) in front.
    pub path: String,
}

/// Everything both commands need.
pub fn all() -> Result<Tools, String> {
    wasm_target()?;
    trunk()?;
    wasm_bindgen()?;
    let tools = npm_tools()?;
    chromium()?;
    Ok(tools)
}

/// Only what serving the playground needs (no browser for tests).
pub fn for_serving() -> Result<Tools, String> {
    wasm_target()?;
    trunk()?;
    wasm_bindgen()?;
    npm_tools()
}

fn wasm_target() -> Result<(), String> {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|t| t == "wasm32-unknown-unknown") {
        return Ok(());
    }
    run(&mut cmd(
        "rustup",
        &["target", "add", "wasm32-unknown-unknown"],
    ))
}

fn trunk() -> Result<(), String> {
    let found = output("trunk", &["--version"]).unwrap_or_default();
    if found == format!("trunk {TRUNK_VERSION}") {
        return Ok(());
    }
    run(&mut cmd(
        "cargo",
        &["install", "trunk", "--version", TRUNK_VERSION, "--locked"],
    ))
}

/// wasm-bindgen-cli at exactly the version in Cargo.lock (Trunk and the test runner use
/// it only then). Without `--locked`: its lock file pins a crate the registry no longer has.
fn wasm_bindgen() -> Result<(), String> {
    let version = locked_version("wasm-bindgen")?;
    let found = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    let runner = has("wasm-bindgen-test-runner");
    if found == format!("wasm-bindgen {version}") && runner {
        return Ok(());
    }
    run(&mut cmd(
        "cargo",
        &["install", "wasm-bindgen-cli", "--version", &version],
    ))
}

/// The version of `package` that Cargo.lock pins.
fn locked_version(package: &str) -> Result<String, String> {
    let lock = root().join("Cargo.lock");
    let text = std::fs::read_to_string(&lock)
        .map_err(|e| format!("cannot read {}: {e}", lock.display()))?;
    let name_line = format!("name = \"{package}\"");
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line == name_line {
            if let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(version.trim_end_matches('"').to_string());
            }
        }
    }
    Err(format!("{} does not pin `{package}`", lock.display()))
}

/// node and npm (from Debian when missing), then `npm ci` for wasm-opt and playwright-core.
fn npm_tools() -> Result<Tools, String> {
    if !has("node") || !has("npm") {
        apt_install(&["nodejs", "npm"])?;
    }
    // playwright-core needs Node.js 20 or newer.
    let version = output("node", &["--version"]).unwrap_or_default();
    let major: u32 = version
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if major < 20 {
        return Err(format!(
            "Node.js 20 or newer is needed (found `{version}`): install a newer `nodejs` \
             package, then run this command again"
        ));
    }
    let bin = root().join("node_modules").join(".bin");
    let lock = root().join("package-lock.json");
    let stamp = root().join("node_modules").join(".package-lock.json");
    let fresh = modified(&stamp).is_some_and(|s| modified(&lock).is_some_and(|l| s >= l));
    if !fresh || !bin.join("wasm-opt").exists() {
        run(&mut cmd("npm", &["ci", "--no-audit", "--no-fund"]))?;
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths: Vec<PathBuf> = vec![bin];
    paths.extend(std::env::split_paths(&path));
    let path = std::env::join_paths(paths)
        .map_err(|e| format!("cannot build PATH: {e}"))?
        .to_string_lossy()
        .to_string();
    Ok(Tools { path })
}

fn modified(path: &std::path::Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Debian's Chromium and ChromeDriver, for the browser and end-to-end tests.
fn chromium() -> Result<(), String> {
    if has("chromium") && has("chromedriver") {
        return Ok(());
    }
    apt_install(&["chromium", "chromium-driver"])
}

/// Installs Debian packages when root; otherwise says exactly what to run.
fn apt_install(packages: &[&str]) -> Result<(), String> {
    let list = packages.join(" ");
    let is_root = output("id", &["-u"]).as_deref() == Some("0");
    if !is_root || !has("apt-get") {
        return Err(format!(
            "missing Debian packages: {list}\n  install them with: sudo apt-get update && sudo apt-get install -y {list}\n  then run this command again"
        ));
    }
    run(&mut cmd("apt-get", &["update"]))?;
    let mut args = vec!["install", "-y", "--no-install-recommends"];
    args.extend_from_slice(packages);
    run(cmd("apt-get", &args).env("DEBIAN_FRONTEND", "noninteractive"))
}
