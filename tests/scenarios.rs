//! Every scenario file under `tests/scenarios/<domain>/` is a test named after it: it must
//! parse, name its domain, and every expectation in it must hold.

use decider_core::scenario;
use libtest_mimic::{Arguments, Failed, Trial};
use std::path::{Path, PathBuf};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut trials = Vec::new();
    for file in scenario_files(&root) {
        let name = file
            .strip_prefix(&root)
            .expect("found under the root")
            .with_extension("")
            .to_string_lossy()
            .to_string();
        trials.push(Trial::test(name, move || check(&file)));
    }
    assert!(
        trials.len() >= 10,
        "expected the example scenarios, found {}",
        trials.len()
    );
    libtest_mimic::run(&Arguments::from_args(), trials).exit();
}

/// The `.json` files one directory below `root`, sorted.
fn scenario_files(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root)
        .expect("tests/scenarios exists")
        .flat_map(|domain| {
            std::fs::read_dir(domain.expect("readable").path()).expect("a directory")
        })
        .map(|entry| entry.expect("readable").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn check(file: &Path) -> Result<(), Failed> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let (scenario, domain) = scenario::load(&text, &decider_domains::find)
        .map_err(|e| format!("{}: {e}", file.display()))?;
    let folder = file
        .parent()
        .and_then(Path::file_name)
        .and_then(|n| n.to_str());
    if folder != Some(scenario.domain.as_str()) {
        return Err(format!("a `{}` scenario filed under {folder:?}", scenario.domain).into());
    }
    let has_expectations = scenario.steps.iter().all(|s| s.expect.events.is_some());
    if !has_expectations {
        return Err("every step of an example scenario states the events it expects".into());
    }
    let report = scenario.check(&*domain).map_err(|e| e.to_string())?;
    if report.passed() {
        Ok(())
    } else {
        Err(report.to_string().into())
    }
}
