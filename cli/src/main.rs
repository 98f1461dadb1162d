//! `decider`: Decider Lab on the command line. Lists domains, runs scenario files and
//! prints their causal traces, checks their expectations, records new ones, compares two
//! side by side, lists the flows a scenario started, explains why commands were refused, explores a domain at random, keeps
//! sessions in PostgreSQL, and prints the scenario JSON Schema. Every domain is driven through `decider-core`'s
//! type-erased boundary; the CLI holds no domain logic.

mod compare;
mod explore;
mod flows;
mod pg;
mod why;

use clap::{Parser, Subcommand};
use decider_core::boundary::rows::message_name;
use decider_core::scenario::{self, Scenario, ScenarioError, ScenarioRun};
use decider_core::DynDomain;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Decider Lab on the command line.
#[derive(Parser)]
#[command(name = "decider", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lists the example domains with their commands.
    Domains,
    /// Runs a scenario and prints each step's causal trace (expectations are not checked).
    Run {
        /// The scenario file.
        file: PathBuf,
        /// Prints the steps' outcomes and the final state as JSON instead.
        #[arg(long, conflicts_with = "mermaid")]
        json: bool,
        /// Prints each step's flow, as it stands at the end, as a Mermaid sequence diagram
        /// instead: Markdown, a fenced `mermaid` block a step, which GitHub, GitLab and
        /// most wikis draw.
        #[arg(long)]
        mermaid: bool,
    },
    /// Checks scenarios' expectations: exit 0 when all hold, 1 when any fails, 2 when a
    /// file is invalid.
    Check {
        /// Scenario files, or directories to search for `.json` files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Runs a scenario and writes it back with every expectation set to what happened.
    Record {
        /// The scenario file (its expectations, if any, are replaced).
        file: PathBuf,
        /// Where to write (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Runs two scenarios of one domain and prints them side by side from where they part:
    /// their facts from there, and a line diff of each part of the state that differs at
    /// the end. Exit 0 when nothing differs, 1 when something does, 2 when a file is
    /// invalid.
    Compare {
        /// The scenario compared with ("theirs").
        theirs: PathBuf,
        /// The scenario looked at ("ours").
        ours: PathBuf,
        /// Positions, and parts of the state that differ, listed at most.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Runs a scenario, then again without one step's command (never submitted, every
    /// other command as it was), and prints the two side by side from where they part,
    /// as the playground's "⊘ without it" and "⇆ compare" do. Exit 0 when nothing
    /// differs, 1 when something does, 2 for bad input
    Without {
        /// The scenario file.
        file: PathBuf,
        /// The step whose command is left out (1 for the first, as `decider run` counts).
        step: usize,
        /// Positions, and parts of the state that differ, listed at most.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Runs a scenario and lists every flow it started, as the playground's flow list
    /// does: each user command, what became of it (completed, compensated, refused,
    /// pending, failed), its facts, the commands it queued and where its facts are.
    Flows {
        /// The scenario file.
        file: PathBuf,
        /// Lists only the flows of this outcome: completed, compensated, refused, pending
        /// or failed.
        #[arg(long, value_parser = flows::outcome)]
        outcome: Option<decider_core::boundary::FlowOutcome>,
    },
    /// Runs a scenario and explains each rejection: its command decided again at every
    /// version of its stream (which event made the difference, if any), whether it would
    /// pass at the end, and the facts that led to it.
    Why {
        /// The scenario file.
        file: PathBuf,
        /// The position of one rejection to explain (default: every rejection).
        #[arg(long)]
        position: Option<u64>,
    },
    /// Explores a domain at random: runs of commands drawn from scenarios' commands (some
    /// flows interleaved, some steps made to fail as the domain allows), checked against
    /// the domain's invariants whenever idle; the first run that breaks one is shrunk to a
    /// minimal one and printed. Exit 0 when every invariant held, 1 when one broke, 2 for
    /// bad input.
    Explore(explore::Options),
    /// Keeps sessions in PostgreSQL: the same deciders on a production event store, each
    /// engine step written in one transaction (journal entry and facts), reopened where
    /// it stopped, exported as a journal file the playground opens.
    Pg(pg::Options),
    /// Prints the JSON Schema of scenario files, or of one domain's messages.
    Schema {
        /// A domain id: print its command, event and rejection schemas instead.
        #[arg(long)]
        domain: Option<String>,
    },
}

/// How a command failed: 1 for failed expectations, 2 for bad input.
enum Failed {
    Expectations,
    Input(String),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Domains => domains(),
        Command::Run {
            file,
            json,
            mermaid,
        } => run(&file, json, mermaid),
        Command::Check { paths } => scenario_files(&paths).and_then(|files| check(&files)),
        Command::Record { file, output } => record(&file, output.as_deref()),
        Command::Compare {
            theirs,
            ours,
            limit,
        } => compare_files(&theirs, &ours, limit),
        Command::Without { file, step, limit } => without_step(&file, step, limit),
        Command::Flows { file, outcome } => load(&file).and_then(|(scenario, domain)| {
            let run = scenario.run(&*domain).map_err(|e| in_file(&file, e))?;
            out(&format!("{} ({})\n", scenario.title, scenario.domain));
            out(&flows::report(
                &*run.engine,
                &domain.command_names(),
                outcome,
            ));
            Ok(())
        }),
        Command::Why { file, position } => why_refused(&file, position),
        Command::Explore(options) => explore::explore(&options),
        Command::Pg(options) => pg::pg(&options),
        Command::Schema { domain } => schema(domain.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failed::Expectations) => ExitCode::from(1),
        Err(Failed::Input(message)) => {
            eprintln!("decider: {message}");
            ExitCode::from(2)
        }
    }
}

/// Writes to standard output, ignoring a closed pipe (`decider run … | head`).
fn out(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn domains() -> Result<(), Failed> {
    for domain in decider_domains::all() {
        let info = domain.info();
        out(&format!("{}  {}\n", info.id, info.title));
        for name in domain.command_names() {
            out(&format!("    {name}\n"));
        }
    }
    Ok(())
}

/// Reads, parses and validates a scenario file; errors name the file and the JSON path.
fn load(file: &Path) -> Result<(Scenario, Box<dyn DynDomain>), Failed> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Failed::Input(format!("{}: cannot read: {e}", file.display())))?;
    scenario::load(&text, &decider_domains::find).map_err(|e| in_file(file, e))
}

fn in_file(file: &Path, error: ScenarioError) -> Failed {
    Failed::Input(format!("{}: {error}", file.display()))
}

fn run(file: &Path, json: bool, mermaid: bool) -> Result<(), Failed> {
    let (scenario, domain) = load(file)?;
    let run = scenario.run(&*domain).map_err(|e| in_file(file, e))?;
    if mermaid {
        out(&mermaid_flows(&scenario, &run, &domain.command_names()));
        return Ok(());
    }
    if json {
        let report = serde_json::json!({
            "scenario": scenario.title,
            "steps": run.steps,
            "final_state": run.final_state(),
            "queue": run.queue(),
        });
        out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        ));
        return Ok(());
    }
    out(&format!("{} ({})\n", scenario.title, scenario.domain));
    for (i, (step, outcome)) in scenario.steps.iter().zip(&run.steps).enumerate() {
        let limit = step
            .engine_steps
            .map(|n| format!(" (then {n} engine step(s))"))
            .unwrap_or_default();
        out(&format!(
            "\nstep {}: flow {}{limit}\n{}",
            i + 1,
            outcome.correlation_id,
            outcome.trace_text
        ));
        for flow in &outcome.continued {
            out(&format!(
                "  and flow {} went on:\n{}",
                flow.correlation_id, flow.trace_text
            ));
        }
    }
    let queue = run.queue();
    if !queue.is_empty() {
        out(&format!("\nstill queued: {} command(s)\n", queue.len()));
        for issued in queue {
            out(&format!("  {} [{}]\n", issued.command, issued.origin));
        }
    }
    Ok(())
}

/// Each step's flow in `run` of `scenario`, as it stands at the end, as Markdown (each
/// command named by the domain's command `names`): the
/// scenario's title, then a heading and a fenced Mermaid sequence diagram a step.
fn mermaid_flows(scenario: &Scenario, run: &ScenarioRun, names: &[String]) -> String {
    let mut text = format!("# {} ({})\n", scenario.title, scenario.domain);
    for (i, (step, outcome)) in scenario.steps.iter().zip(&run.steps).enumerate() {
        let name = message_name(&step.command, names);
        text.push_str(&format!("\n## Step {}: {name}\n\n```mermaid\n", i + 1));
        if let Some(flow) = run.engine.flow(outcome.correlation_id) {
            text.push_str(&flow.to_mermaid());
        }
        text.push_str("```\n");
    }
    text
}

/// Runs the scenarios in `theirs` and `ours` and prints the one against the other; what
/// differs fails as an expectation does (exit 1).
fn compare_files(theirs: &Path, ours: &Path, limit: usize) -> Result<(), Failed> {
    let (their_scenario, domain) = load(theirs)?;
    let (our_scenario, our_domain) = load(ours)?;
    if domain.info().id != our_domain.info().id {
        return Err(Failed::Input(format!(
            "{} is of the {} domain and {} of the {}: only scenarios of one domain compare",
            theirs.display(),
            domain.info().id,
            ours.display(),
            our_domain.info().id
        )));
    }
    let their_run = their_scenario
        .run(&*domain)
        .map_err(|e| in_file(theirs, e))?;
    let our_run = our_scenario.run(&*domain).map_err(|e| in_file(ours, e))?;
    let limits = decider_core::boundary::Limits {
        facts: limit,
        differences: limit,
    };
    let comparison =
        decider_core::boundary::compare(&*their_run.engine, &*our_run.engine, 0, limits);
    let name =
        |scenario: &Scenario, file: &Path| format!("{} ({})", scenario.title, file.display());
    out(&compare::report(
        &comparison,
        &name(&their_scenario, theirs),
        &name(&our_scenario, ours),
    ));
    match comparison.facts.is_empty() && comparison.differences.is_empty() {
        true => Ok(()),
        false => Err(Failed::Expectations),
    }
}

/// Runs the scenario in `file`, then again without its step `step` (1-based), and prints
/// the one against the other from where they part; what differs fails as an expectation
/// does (exit 1).
fn without_step(file: &Path, step: usize, limit: usize) -> Result<(), Failed> {
    let (scenario, domain) = load(file)?;
    let run = scenario.run(&*domain).map_err(|e| in_file(file, e))?;
    let Some(outcome) = step.checked_sub(1).and_then(|i| run.steps.get(i)) else {
        return Err(Failed::Input(format!(
            "{}: no step {step} (the scenario has {} steps, counted from 1)",
            file.display(),
            run.steps.len()
        )));
    };
    let without = scenario::without::without_flow(&*run.engine, outcome.correlation_id)
        .map_err(|e| in_file(file, e))?;
    let limits = decider_core::boundary::Limits {
        facts: limit,
        differences: limit,
    };
    let comparison =
        decider_core::boundary::compare(&*run.engine, &*without.engine, without.shared, limits);
    let name = message_name(&without.command, &domain.command_names());
    out(&compare::report(
        &comparison,
        &format!("{} ({})", scenario.title, file.display()),
        &format!("without step {step} ({name})"),
    ));
    match comparison.facts.is_empty() && comparison.differences.is_empty() {
        true => Ok(()),
        false => Err(Failed::Expectations),
    }
}

/// Runs the scenario in `file` and explains its rejection at `position`, or each one.
fn why_refused(file: &Path, position: Option<u64>) -> Result<(), Failed> {
    let (scenario, domain) = load(file)?;
    let run = scenario.run(&*domain).map_err(|e| in_file(file, e))?;
    let engine = &run.engine;
    let positions: Vec<u64> = match position {
        Some(position) => vec![position],
        None => (engine.rows(0, engine.head()).into_iter())
            .filter(|row| row.kind == decider_core::boundary::RowKind::Rejection)
            .map(|row| row.position)
            .collect(),
    };
    if positions.is_empty() {
        out(&format!("{}: no command was refused\n", file.display()));
    }
    for (i, &position) in positions.iter().enumerate() {
        let why = engine.why_refused(position, 50).ok_or_else(|| {
            Failed::Input(format!(
                "{}: no rejection at #{position} (the scenario recorded {} facts)",
                file.display(),
                engine.head()
            ))
        })?;
        out(&format!(
            "{}{}",
            if i > 0 { "\n" } else { "" },
            why::report(&why)
        ));
    }
    Ok(())
}

/// `paths`, with each directory replaced by the `.json` files below it, sorted.
fn scenario_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Failed> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            collect_json(path, &mut found)?;
            if found.is_empty() {
                return Err(Failed::Input(format!(
                    "{}: no .json file in it",
                    path.display()
                )));
            }
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn collect_json(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), Failed> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Failed::Input(format!("{}: cannot read: {e}", dir.display())))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_json(&path, found)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            found.push(path);
        }
    }
    Ok(())
}

fn check(files: &[PathBuf]) -> Result<(), Failed> {
    let (mut passed, mut failed, mut invalid) = (0, 0, 0);
    for file in files {
        let report = load(file)
            .and_then(|(scenario, domain)| scenario.check(&*domain).map_err(|e| in_file(file, e)));
        match report {
            Ok(report) if report.passed() => {
                passed += 1;
                out(&format!("ok      {}\n", file.display()));
            }
            Ok(report) => {
                failed += 1;
                out(&format!("FAILED  {}\n{report}", file.display()));
            }
            Err(Failed::Input(message)) => {
                invalid += 1;
                eprintln!("decider: {message}");
                out(&format!("INVALID {}\n", file.display()));
            }
            Err(Failed::Expectations) => unreachable!("load and check report failures as values"),
        }
    }
    out(&format!(
        "{passed} passed, {failed} failed, {invalid} invalid\n"
    ));
    match (invalid, failed) {
        (0, 0) => Ok(()),
        (0, _) => Err(Failed::Expectations),
        _ => Err(Failed::Input(format!("{invalid} invalid scenario file(s)"))),
    }
}

fn record(file: &Path, output: Option<&Path>) -> Result<(), Failed> {
    let (scenario, domain) = load(file)?;
    let recorded = scenario.record(&*domain).map_err(|e| in_file(file, e))?;
    write_text(output, &recorded.to_json())
}

/// Writes `text` to `path`, or to standard output when there is none.
fn write_text(path: Option<&Path>, text: &str) -> Result<(), Failed> {
    match path {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| Failed::Input(format!("{}: cannot write: {e}", path.display()))),
        None => {
            out(text);
            Ok(())
        }
    }
}

fn schema(domain: Option<&str>) -> Result<(), Failed> {
    let value = match domain {
        None => scenario::schema(),
        Some(id) => {
            let domain = decider_domains::find(id).map_err(|known| {
                Failed::Input(format!(
                    "unknown domain `{id}`; known domains: {}",
                    known.join(", ")
                ))
            })?;
            serde_json::json!({
                "command": domain.command_schema(),
                "event": domain.event_schema(),
                "rejection": domain.rejection_schema(),
            })
        }
    };
    out(&format!(
        "{}\n",
        serde_json::to_string_pretty(&value).unwrap_or_default()
    ));
    Ok(())
}
