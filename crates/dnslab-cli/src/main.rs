//! `dnslab`: the command-line face of dnslab-core (decode today; query, resolve and serve to come).
//!
//! Each subcommand lives in its own module with its clap `Args` struct and a `run` function that
//! returns the exit status; this file only parses the command line and dispatches.

mod decode;
mod query;
mod resolve;
mod serve;

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
    /// Send one query to a real DNS server and print the reply like dig: `dnslab query
    /// [@SERVER[:PORT]] NAME [TYPE] [+tcp] [+norec] [+dnssec] [+nsid] [+json] [+noedns]
    /// [+timeout=N] [+tries=N]`. Exit status: 0 a reply came, 1 bad arguments, 9 no reply.
    Query(query::QueryArguments),
    /// Resolve a name with the simulated resolver over the built-in mini-internet (plus any
    /// --zone files); --trace prints every step like `dig +trace`, --json the whole trace.
    Resolve(resolve::ResolveArguments),
    /// Run an authoritative DNS server over UDP and TCP for zone files, or for the built-in
    /// mini-internet when none is given. Exit status: 0 after SIGINT/SIGTERM, 1 when it cannot
    /// listen, 2 when a zone file has errors.
    Serve(serve::ServeArguments),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Decode(arguments) => decode::run(arguments),
        Command::Query(arguments) => query::run(arguments),
        Command::Resolve(arguments) => resolve::run(arguments),
        Command::Serve(arguments) => serve::run(arguments),
    };
    match result {
        Ok(status) => ExitCode::from(status),
        Err(error) => {
            eprintln!("dnslab: {error:#}");
            ExitCode::from(decode::EXIT_NO_DNS)
        }
    }
}
