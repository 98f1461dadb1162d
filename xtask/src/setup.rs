//! Installs what the two commands need, each step only when it is missing or at the wrong
//! version. Everything comes from the package registries: crates.io (Trunk,
//! wasm-bindgen-cli), npm (binaryen's wasm-opt, playwright-core), Debian (Chromium,
//! PostgreSQL).

use crate::run::{cmd, has, output, root, run};
use std::path::PathBuf;

/// Trunk's version: 0.22 needs a newer rustc than the machines have.
const TRUNK_VERSION: &str = "0.21.14";

/// binaryen's version: Trunk.toml asks for exactly this `wasm-opt`.
const WASM_OPT_VERSION: &str = "version 123";

/// Everything both commands need.
pub fn all() -> Result<(), String> {
    for_serving()?;
    chromium()?;
    postgresql()
}

/// Only what serving the playground needs (no browser for tests).
pub fn for_serving() -> Result<(), String> {
    wasm_target()?;
    trunk()?;
    wasm_bindgen()?;
    npm_tools()?;
    wasm_opt_for_trunk()
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
fn npm_tools() -> Result<(), String> {
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
    let lock = root().join("package-lock.json");
    let stamp = root().join("node_modules").join(".package-lock.json");
    let fresh = modified(&stamp).is_some_and(|s| modified(&lock).is_some_and(|l| s >= l));
    if !fresh || !npm_wasm_opt().exists() {
        run(&mut cmd("npm", &["ci", "--no-audit", "--no-fund"]))?;
    }
    Ok(())
}

/// binaryen's `wasm-opt` as npm installed it: one self-contained Node.js script.
fn npm_wasm_opt() -> PathBuf {
    root().join("node_modules/binaryen/bin/wasm-opt")
}

/// Makes binaryen 123's `wasm-opt` the one on the PATH of any shell, so that a plain
/// `trunk build --release` finds it (Trunk only downloads a tool it cannot find, and this
/// machine has no network for that): the npm script is copied into Cargo's bin folder,
/// which is on the PATH of every Rust user. Fails, naming the culprit, if another
/// `wasm-opt` comes first on the PATH.
fn wasm_opt_for_trunk() -> Result<(), String> {
    let found = || output("wasm-opt", &["--version"]).unwrap_or_default();
    if found().contains(WASM_OPT_VERSION) {
        return Ok(());
    }
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .ok_or("neither CARGO_HOME nor HOME is set")?;
    let target = home.join("bin").join("wasm-opt");
    println!("\n$ cp {} {}", npm_wasm_opt().display(), target.display());
    std::fs::copy(npm_wasm_opt(), &target)
        .map_err(|e| format!("cannot copy wasm-opt to {}: {e}", target.display()))?;
    set_executable(&target)?;
    let now = found();
    if now.contains(WASM_OPT_VERSION) {
        Ok(())
    } else {
        Err(format!(
            "Trunk needs binaryen's wasm-opt {WASM_OPT_VERSION}; {} is installed, but the \
             first `wasm-opt` on your PATH says `{now}`: put {} first on your PATH",
            target.display(),
            home.join("bin").display()
        ))
    }
}

#[cfg(unix)]
fn set_executable(path: &std::path::Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| format!("cannot make {} executable: {e}", path.display()))
}

#[cfg(not(unix))]
fn set_executable(_: &std::path::Path) -> Result<(), String> {
    Ok(())
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

/// Debian's PostgreSQL server programs, for `decider-postgres`'s and `decider pg`'s tests
/// (each test binary starts a throwaway cluster of its own: `decider_postgres::scratch`).
fn postgresql() -> Result<(), String> {
    let packaged = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .any(|version| version.path().join("bin/initdb").is_file());
    if packaged || (has("initdb") && has("pg_ctl")) {
        return Ok(());
    }
    apt_install(&["postgresql"])
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
