//! `decider`: Decider Lab on the command line.

use clap::{Parser, Subcommand};
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Domains => {
            for domain in decider_domains::all() {
                let info = domain.info();
                println!("{}  {}", info.id, info.title);
                println!("    commands: {}", domain.command_names().join(", "));
            }
            ExitCode::SUCCESS
        }
    }
}
