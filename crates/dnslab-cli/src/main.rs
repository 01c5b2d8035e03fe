//! `dnslab`: the command-line face of dnslab-core (decode today; query, resolve and serve to come).

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "dnslab", version, about = "Learn and debug DNS: decode, query, resolve, serve")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Decode DNS messages pasted as hex (files, or standard input when none or `-`).
    Decode {
        /// Files holding hex text; `-` or nothing reads standard input.
        files: Vec<PathBuf>,
    },
}

/// Exit status when no DNS message could be found in the input.
const EXIT_NO_DNS: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("dnslab: {error:#}");
            ExitCode::from(EXIT_NO_DNS)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Decode { files } => decode(&files),
    }
}

fn decode(files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let stdin_only = [PathBuf::from("-")];
    let sources = if files.is_empty() { &stdin_only[..] } else { files };
    for (index, source) in sources.iter().enumerate() {
        let text = read_source(source)?;
        let summary = dnslab_core::decode_pasted_text(&text)
            .with_context(|| format!("{}: no DNS message found", source.display()))?;
        if index > 0 {
            println!();
        }
        print!("{summary}");
    }
    Ok(ExitCode::SUCCESS)
}

fn read_source(source: &PathBuf) -> anyhow::Result<String> {
    if source.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading standard input")?;
        Ok(text)
    } else {
        std::fs::read_to_string(source).with_context(|| format!("reading {}", source.display()))
    }
}
