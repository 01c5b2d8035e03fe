//! `dnslab resolve`: the simulated iterative resolver walking the built-in mini-internet (plus any
//! zone files given), printed as the final answer, as a `dig +trace` style trace, or as JSON.
//!
//! Nothing here touches the network: every step is a real encoded query answered by
//! `dnslab_core::world` in memory. The clock is a fixed start time and the query IDs count up
//! from a fixed first ID, so the same command prints the same trace every time (both can be
//! changed with `--time` and `--first-id`).

use std::path::PathBuf;

use clap::Args;
use dnslab_core::dissect::dissect;
use dnslab_core::present::dig_text;
use dnslab_core::resolver::{
    simulate, trace_json, trace_text, DEFAULT_FIRST_ID, DEFAULT_START_TIME,
};
use dnslab_core::world::World;
use dnslab_core::zone::type_from_mnemonic;
use hickory_proto::rr::{Name, RecordType};

use crate::query::write_standard_output;
use crate::serve::load_zone_files;

/// Exit status when the resolution ran (whatever the answer, as dig).
pub const EXIT_RESOLVED: u8 = 0;
/// Exit status for a name or type that cannot be asked.
pub const EXIT_USAGE: u8 = 1;
/// Exit status when a zone file has errors or cannot join the mini-internet.
pub const EXIT_ZONE_ERRORS: u8 = 2;

/// Arguments of `dnslab resolve`.
#[derive(Debug, Args)]
pub struct ResolveArguments {
    /// The name to resolve, e.g. `www.example.com`.
    pub name: String,
    /// The record type (default A); a mnemonic or TYPEnnn.
    #[arg(value_name = "TYPE")]
    pub qtype: Option<String>,
    /// Print every step, like `dig +trace`.
    #[arg(long)]
    pub trace: bool,
    /// Print the whole trace as JSON (steps with query and response bytes as hex).
    #[arg(long)]
    pub json: bool,
    /// Add a zone file to the mini-internet (repeatable): it replaces a built-in zone of the same
    /// origin, or is delegated from its closest enclosing zone.
    #[arg(long = "zone", value_name = "FILE")]
    pub zones: Vec<PathBuf>,
    /// The simulated clock at the start, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_START_TIME)]
    pub time: u64,
    /// The ID of the first query sent; the next ones count up.
    #[arg(long, value_name = "ID", default_value_t = DEFAULT_FIRST_ID)]
    pub first_id: u16,
}

/// Runs `dnslab resolve`; returns the exit status.
pub fn run(arguments: &ResolveArguments) -> anyhow::Result<u8> {
    let name = match Name::from_ascii(&arguments.name) {
        Ok(mut name) => {
            name.set_fqdn(true);
            name
        }
        Err(error) => {
            eprintln!(
                "dnslab resolve: {:?} is not a domain name: {error}",
                arguments.name
            );
            return Ok(EXIT_USAGE);
        }
    };
    let qtype = match arguments.qtype.as_deref() {
        None => RecordType::A,
        Some(text) => match type_from_mnemonic(text) {
            Some(qtype) => qtype,
            None => {
                eprintln!("dnslab resolve: {text:?} is not a record type");
                return Ok(EXIT_USAGE);
            }
        },
    };

    let mut world = World::builtin();
    if !arguments.zones.is_empty() {
        let Ok(extra) = load_zone_files(&arguments.zones) else {
            return Ok(EXIT_ZONE_ERRORS);
        };
        world = match world.with_extra_zones(extra.zones().cloned().collect()) {
            Ok(world) => world,
            Err(error) => {
                eprintln!("dnslab resolve: {error}");
                return Ok(EXIT_ZONE_ERRORS);
            }
        };
    }

    let trace = simulate(&world, &name, qtype, arguments.time, arguments.first_id);
    let text = if arguments.json {
        trace_json(&trace)?
    } else if arguments.trace {
        trace_text(&trace)
    } else {
        format!(
            "\n; <<>> dnslab resolve <<>> {} {qtype}\n;; Got answer:\n{};; Resolved by the simulated resolver with {} quer{} from the root hints (--trace shows them)\n\n",
            trace.name,
            dig_text(&dissect(&trace.response), &trace.response),
            trace.queries_sent,
            if trace.queries_sent == 1 { "y" } else { "ies" }
        )
    };
    write_standard_output(&text)?;
    Ok(EXIT_RESOLVED)
}
