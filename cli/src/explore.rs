//! `decider explore`: a domain explored at random from scenarios' commands, as the
//! playground's explorer does ([`decider_core::explore`]), and the first run that breaks
//! one of its invariants shrunk and printed.

use crate::{load, out, scenario_files, write_text, Failed};
use decider_core::boundary::rows::message_name;
use decider_core::explore::{Counterexample, Explorer, Plan};
use std::path::{Path, PathBuf};

/// What `decider explore` takes.
#[derive(clap::Args)]
pub struct Options {
    /// Scenario files, or directories of them, all of one domain: their commands are what
    /// runs draw from, the first one's given history where each run starts.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// How many runs.
    #[arg(long, default_value_t = 200)]
    runs: u32,
    /// User commands a run submits.
    #[arg(long, default_value_t = 12)]
    length: u32,
    /// Percent chance that a step the domain can make fail does fail.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u8).range(0..=100))]
    faults: u8,
    /// Percent chance that a command gets only a few engine steps before the next one.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u8).range(0..=100))]
    interleave: u8,
    /// Also make steps fail in ways the domain does not recover from (a refund refused).
    #[arg(long)]
    unhandled: bool,
    /// A scenario file of the same domain whose run every run starts after (its given
    /// history and steps, run as the file says, expectations not checked): the
    /// playground's "start every run from this workspace". Its facts are kept in the
    /// shrunk run.
    #[arg(long, value_name = "SCENARIO")]
    after: Option<PathBuf>,
    /// Seeds the exploration: the same seed explores the same runs.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Where to write the shrunk run: a scenario file (its faults in format 1.2), which
    /// `decider check` then runs as a regression test and the playground imports.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Explores, prints what it did and the shrunk run if an invariant broke (exit 1 then).
pub fn explore(options: &Options) -> Result<(), Failed> {
    let files = scenario_files(&options.paths)?;
    let mut alphabet = Vec::new();
    let mut start = None;
    for file in &files {
        let (scenario, domain) = load(file)?;
        let (first, _) = start.get_or_insert_with(|| (scenario.clone(), domain));
        if scenario.domain != first.domain {
            return Err(Failed::Input(format!(
                "{}: of the {} domain, and {} of the {}: explore one domain at a time",
                file.display(),
                scenario.domain,
                files[0].display(),
                first.domain
            )));
        }
        alphabet.extend(scenario.steps.into_iter().map(|step| step.command));
    }
    let Some((first, domain)) = start else {
        return Err(Failed::Input("no scenario file found".into()));
    };
    let Some(said) = domain.invariants() else {
        return Err(Failed::Input(format!(
            "the {} domain declares no invariants: nothing to find broken",
            first.domain
        )));
    };
    let mut plan = Plan {
        seed: options.seed,
        runs: options.runs,
        length: options.length,
        faults: options.faults,
        interleave: options.interleave,
        unhandled: options.unhandled,
        given: first.given,
        alphabet,
    };
    let mut after_facts = String::new();
    let mut explorer = match &options.after {
        None => Explorer::new(&*domain, plan)
            .map_err(|e| Failed::Input(format!("{}: {e}", files[0].display())))?,
        Some(after) => {
            let (before, _) = load(after)?;
            if before.domain != first.domain {
                return Err(Failed::Input(format!(
                    "{}: of the {} domain, not the {} of the scenarios explored",
                    after.display(),
                    before.domain,
                    first.domain
                )));
            }
            let base = before
                .run(&*domain)
                .map_err(|e| Failed::Input(format!("{}: {e}", after.display())))?
                .engine;
            plan.given = Vec::new();
            after_facts = format!(" after {} ({} facts)", after.display(), base.head());
            Explorer::from_engine(&*domain, plan, base)
                .map_err(|e| Failed::Input(format!("{}: {}", after.display(), e.message)))?
        }
    };
    explorer.advance(options.runs);
    let p = explorer.progress();
    out(&format!(
        "explored {}{after_facts}: {} runs, {} commands, {} facts, {} faults injected, {} invariant checks\n",
        first.domain, p.runs, p.commands, p.facts, p.faults, p.checks
    ));
    let Some(found) = explorer.found() else {
        let held: String = said.holds.iter().map(|h| format!("  ✔ {h}\n")).collect();
        out(&format!("every invariant held:\n{held}"));
        return Ok(());
    };
    out(&report(found, &domain.command_names()));
    if let Some(path) = &options.out {
        write(path, &first.domain, found)?;
    }
    Err(Failed::Expectations)
}

/// The broken invariant and the shrunk run, a line a command (its command names from
/// `names`) and one more a step made to fail.
pub fn report(found: &Counterexample, names: &[String]) -> String {
    let mut text = format!(
        "broken: {}\nshrunk from {} to {} command(s) in {} replays (engine seed {}):\n",
        found.broken,
        found.original,
        found.moves.len(),
        found.trials,
        found.seed
    );
    for (i, m) in found.moves.iter().enumerate() {
        let steps = m
            .steps
            .map(|n| format!("  (then {n} engine step(s))"))
            .unwrap_or_default();
        text.push_str(&format!("  {}. {}{steps}\n", i + 1, m.command));
        for f in found.failed_after(i) {
            text.push_str(&format!(
                "     ⚡ step {}: {} (issued by {}) made to fail: {}\n",
                f.step + 1,
                message_name(&f.command, names),
                f.origin,
                f.rejection
            ));
        }
    }
    text
}

/// Writes the shrunk run to `path`: its scenario, or its journal file when the journal
/// cannot be said as a scenario.
fn write(path: &Path, domain: &str, found: &Counterexample) -> Result<(), Failed> {
    let text = match &found.scenario {
        Some(scenario) => scenario.to_json(),
        None => found.journal_file(domain).to_json(),
    };
    write_text(Some(path), &text)?;
    let what = if found.scenario.is_some() {
        "scenario"
    } else {
        "journal file (it cannot be said as a scenario; the playground imports it)"
    };
    out(&format!(
        "the shrunk run's {what} written to {}\n",
        path.display()
    ));
    Ok(())
}
