//! `cargo xtask mutants`: mutation testing of the core and the domains with cargo-mutants.
//!
//! Each package is mutated on its own and judged by its own tests (cargo-mutants tests
//! the package that holds the mutated file), so a mutant in the core counts as caught
//! only when `decider-core`'s tests catch it. Slow (minutes per package), so it is not
//! part of `cargo xtask test`. Settings shared with plain `cargo mutants` runs (the
//! timeout floor) are in `.cargo/mutants.toml`; the summary of the last run is in
//! `docs/mutants.md`.

use crate::run::{cmd, output, root, run};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// cargo-mutants' version: the one `docs/mutants.md` was measured with.
const MUTANTS_VERSION: &str = "27.1.0";

/// The packages mutated when none is named.
const PACKAGES: &[&str] = &["decider-core", "decider-domains"];

/// The outcomes cargo-mutants lists one file each for, in the order the table shows them.
const OUTCOMES: &[&str] = &["caught", "missed", "unviable", "timeout"];

/// `cargo xtask mutants [PACKAGE...] [-- CARGO-MUTANTS-ARGS...]`: installs cargo-mutants
/// when missing or at another version, mutates each package (default: the core and the
/// domains) into `target/mutants/<package>/mutants.out`, then prints caught, missed,
/// unviable and timed-out mutants per file.
pub fn mutants(args: &[String]) -> Result<(), String> {
    let (packages, extra) = match args.iter().position(|a| a == "--") {
        Some(split) => (&args[..split], &args[split + 1..]),
        None => (args, &[][..]),
    };
    let packages: Vec<&str> = if packages.is_empty() {
        PACKAGES.to_vec()
    } else {
        packages.iter().map(String::as_str).collect()
    };
    install()?;
    let mut failed = Vec::new();
    for package in &packages {
        let out = output_dir(package);
        std::fs::create_dir_all(&out)
            .map_err(|e| format!("cannot create {}: {e}", out.display()))?;
        let out_arg = out.to_string_lossy().to_string();
        let mut args = vec!["mutants", "--package", package, "--output", &out_arg];
        args.extend(extra.iter().map(String::as_str));
        // cargo-mutants exits non-zero when a mutant is missed: report, then go on.
        if let Err(e) = run(&mut cmd("cargo", &args)) {
            failed.push(e);
        }
    }
    for package in &packages {
        let results = output_dir(package).join("mutants.out");
        println!("\n{package}: {}", results.display());
        print!("{}", table(&per_file(&results)));
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} (a missed mutant is listed in mutants.out/missed.txt)",
            failed.join("; ")
        ))
    }
}

/// Installs cargo-mutants [`MUTANTS_VERSION`] unless it is already there.
fn install() -> Result<(), String> {
    let found = output("cargo", &["mutants", "--version"]).unwrap_or_default();
    if found == format!("cargo-mutants {MUTANTS_VERSION}") {
        return Ok(());
    }
    run(&mut cmd(
        "cargo",
        &[
            "install",
            "cargo-mutants",
            "--version",
            MUTANTS_VERSION,
            "--locked",
        ],
    ))
}

/// Where a package's results go (cargo-mutants adds `mutants.out` below it).
fn output_dir(package: &str) -> PathBuf {
    root().join("target").join("mutants").join(package)
}

/// File → count per outcome, read from the `<outcome>.txt` lists in `results`, whose
/// lines start with `path:line:column:`.
fn per_file(results: &Path) -> BTreeMap<String, [usize; 4]> {
    let mut files: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    for (i, outcome) in OUTCOMES.iter().enumerate() {
        let list =
            std::fs::read_to_string(results.join(format!("{outcome}.txt"))).unwrap_or_default();
        for line in list.lines().filter(|l| !l.trim().is_empty()) {
            let file = line.split(':').next().unwrap_or(line).to_string();
            files.entry(file).or_default()[i] += 1;
        }
    }
    files
}

/// The per-file counts as a Markdown table, with a total row and the share of viable
/// mutants (caught, missed or timed out) that were caught or timed out.
fn table(files: &BTreeMap<String, [usize; 4]>) -> String {
    let mut text = String::from(
        "| file | caught | missed | unviable | timeout | caught % |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    let mut total = [0; 4];
    for (file, counts) in files {
        for (sum, count) in total.iter_mut().zip(counts) {
            *sum += count;
        }
        text.push_str(&row(file, *counts));
    }
    text.push_str(&row("**total**", total));
    text
}

/// One table row: the counts, then caught or timed out (a test run that never ends is
/// noticed too) over viable mutants.
fn row(name: &str, [caught, missed, unviable, timeout]: [usize; 4]) -> String {
    let viable = caught + missed + timeout;
    let share = if viable == 0 {
        "-".to_string()
    } else {
        format!("{:.1}", 100.0 * (caught + timeout) as f64 / viable as f64)
    };
    format!("| {name} | {caught} | {missed} | {unviable} | {timeout} | {share} |\n")
}
