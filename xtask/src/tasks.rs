//! The two commands.

use crate::run::{cmd, output, root, run};
use crate::setup;

/// Installs what is missing and serves the playground on 127.0.0.1:8080.
pub fn serve(args: &[String]) -> Result<(), String> {
    setup::for_serving()?;
    let mut trunk_args = vec!["serve"];
    for arg in args {
        match arg.as_str() {
            "--release" => trunk_args.push("--release"),
            "--open" => trunk_args.push("--open"),
            other => {
                return Err(format!(
                    "unknown option `{other}` (expected --release or --open)"
                ))
            }
        }
    }
    println!("\nDecider Lab: building, then serving on http://127.0.0.1:8080/ (Ctrl-C stops)");
    run(&mut cmd("trunk", &trunk_args))
}

/// Runs the native benchmarks, the wasm benchmarks in headless Chromium (the replay, the
/// engine's workloads and a 1M-fact session's memory), then the
/// playground's own benchmarks on the release build in headless Chromium.
pub fn bench() -> Result<(), String> {
    setup::all()?;
    run(&mut cmd("cargo", &["bench", "-p", "decider-bench"]))?;
    let wasm = [
        "bench",
        "-p",
        "decider-web",
        "--target",
        "wasm32-unknown-unknown",
    ];
    for bench in ["replay", "engine", "memory"] {
        // The memory bench prints its figure; the engine benches run for minutes, with
        // samples of a second or more (the runner's default patience is 20 s).
        let args = [&wasm[..], &["--bench", bench, "--", "--nocapture"]].concat();
        run(browser(&mut cmd("cargo", &args))
            .env("WASM_BINDGEN_TEST_DRIVER_TIMEOUT", "600")
            .env("WASM_BINDGEN_TEST_TIMEOUT", "1800"))?;
    }
    run(&mut cmd("trunk", &["build", "--release"]))?;
    run(cmd("node", &["tests/e2e/bench.mjs"]).env("DIST_DIR", root().join("dist")))
}

/// `command` with the environment that runs wasm tests in headless Chromium.
fn browser(command: &mut std::process::Command) -> &mut std::process::Command {
    command.env("CHROMEDRIVER", "/usr/bin/chromedriver").env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
        "wasm-bindgen-test-runner",
    )
}

/// Installs what is missing and runs every check and test.
pub fn test() -> Result<(), String> {
    setup::all()?;
    run(&mut cmd("cargo", &["fmt", "--all", "--", "--check"]))?;
    core_is_pure()?;
    run(&mut cmd(
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ))?;
    // The libraries' docs build without a broken link.
    run(cmd(
        "cargo",
        &[
            "doc",
            "--no-deps",
            "-p",
            "decider-core",
            "-p",
            "decider-domains",
            "-p",
            "decider-web",
            "-p",
            "decider-postgres",
        ],
    )
    .env("RUSTDOCFLAGS", "-D warnings"))?;
    // Native tests: every crate but the browser-only playground.
    run(&mut cmd(
        "cargo",
        &["test", "--workspace", "--exclude", "decider-web"],
    ))?;
    // Every example scenario through the CLI, as a user's CI would check theirs.
    run(&mut cmd(
        "cargo",
        &[
            "run",
            "--quiet",
            "-p",
            "decider-cli",
            "--",
            "check",
            "tests/scenarios",
        ],
    ))?;
    // Browser tests: wasm-bindgen-test in headless Chromium (see web/webdriver.json).
    run(cmd(
        "cargo",
        &[
            "test",
            "-p",
            "decider-web",
            "--target",
            "wasm32-unknown-unknown",
        ],
    )
    .env("CHROMEDRIVER", "/usr/bin/chromedriver")
    .env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
        "wasm-bindgen-test-runner",
    ))?;
    // End to end: the optimized release build, exactly as a user runs it in a fresh shell
    // (Trunk finds binaryen's wasm-opt on its own), served and driven in Chromium.
    run(&mut cmd("trunk", &["build", "--release"]))?;
    let dist = root().join("dist");
    run(cmd("node", &["--test", "tests/e2e/"]).env("DIST_DIR", &dist))
}

/// Crates that must never be a normal dependency of `decider-core`: web, async runtime, I/O.
const IMPURE: &[&str] = &[
    "wasm-bindgen",
    "web-sys",
    "js-sys",
    "gloo",
    "yew",
    "tokio",
    "async-std",
    "smol",
    "futures",
    "mio",
    "reqwest",
    "hyper",
    "rusqlite",
    "getrandom",
    "rand",
];

/// `cargo tree -p decider-core -e normal` names none of [`IMPURE`].
fn core_is_pure() -> Result<(), String> {
    let args = [
        "tree",
        "-p",
        "decider-core",
        "-e",
        "normal",
        "--prefix",
        "none",
    ];
    println!("\n$ cargo {}", args.join(" "));
    let tree = output("cargo", &args).ok_or("`cargo tree -p decider-core` failed")?;
    let impure: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| {
            IMPURE
                .iter()
                .any(|bad| name == bad || name.starts_with(&format!("{bad}-")))
        })
        .collect();
    if impure.is_empty() {
        println!(
            "decider-core is pure: {} crates, none of web, async or I/O",
            tree.lines().count()
        );
        Ok(())
    } else {
        Err(format!("decider-core depends on impure crates: {impure:?}"))
    }
}
