//! `dnslab`: the command-line face of dnslab-core (decode today; query, resolve and serve to come).
//!
//! Each subcommand lives in its own module with its clap `Args` struct and a `run` function that
//! returns the exit status; this file only parses the command line and dispatches.

mod decode;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "dnslab",
    version,
    about = "Learn and debug DNS: decode, query, resolve, serve"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Decode DNS messages from capture files (pcap, pcapng) or pasted text (hex, base64, hex
    /// dumps, tcpdump, tshark, xxd...); standard input when no file or `-` is given. Exit status:
    /// 0 clean, 1 when a message has an error diagnostic, 2 when an input holds no DNS message.
    Decode(decode::DecodeArguments),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Decode(arguments) => decode::run(arguments),
    };
    match result {
        Ok(status) => ExitCode::from(status),
        Err(error) => {
            eprintln!("dnslab: {error:#}");
            ExitCode::from(decode::EXIT_NO_DNS)
        }
    }
}
