//! `cargo xtask`: installs what is missing, then serves the playground or runs every test.
//!
//! - `cargo xtask serve [--release] [--open]`: the playground on http://127.0.0.1:8080
//! - `cargo xtask test`: fmt, clippy, native tests, browser tests, end-to-end test
//! - `cargo xtask bench`: native benchmarks, then the replay benchmark in Chromium
//! - `cargo xtask setup`: only the installs
//! - `cargo xtask mutants [PACKAGE...] [-- ARGS...]`: mutation testing of the core and the
//!   domains with cargo-mutants (slow; see `docs/mutants.md`)

mod mutants;
mod run;
mod setup;
mod tasks;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => tasks::serve(&args[1..]),
        Some("test") => tasks::test(),
        Some("bench") => tasks::bench(),
        Some("setup") => setup::all().map(|_| ()),
        Some("mutants") => mutants::mutants(&args[1..]),
        _ => {
            eprintln!("usage: cargo xtask serve [--release] [--open] | test | bench | setup | mutants [PACKAGE...] [-- ARGS...]");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: {message}");
            ExitCode::FAILURE
        }
    }
}
