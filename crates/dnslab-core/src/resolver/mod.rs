//! The iterative resolver, sans-IO: it walks the DNS from the root hints the way a recursive
//! resolver does (RFC 1034 section 5.3.3), and records every step in a [`Trace`].
//!
//! The resolver sends nothing and reads no clock. The caller drives it:
//!
//! ```text
//! resolver.start(name, qtype, now);
//! loop {
//!     match resolver.next_action() {
//!         Action::Send { server_address, query_bytes, transport, .. } => {
//!             let reply = /* send query_bytes to server_address, wait */;
//!             resolver.feed(reply, now)?;
//!         }
//!         Action::Done(outcome) => break,
//!     }
//! }
//! let trace = resolver.take_trace();
//! ```
//!
//! [`simulate`] is that loop over the built-in mini-internet ([`World::exchange`]); a live
//! driver would be the same loop over sockets.
//!
//! What it does, as a real resolver does:
//! - every query is a real message encoded by hickory-proto: RD clear, one question, EDNS(0) with
//!   a UDP payload size of 1232; every response is decoded by hickory-proto, and only data inside
//!   the bailiwick of the server asked is believed;
//! - it follows referrals to the closest enclosing zone cut, uses glue, and resolves the
//!   addresses of name servers that came without glue in a nested sub-resolution;
//! - it restarts at the target of a CNAME (chains across zones, at most
//!   [`ResolverConfig::maximum_cname_chain`] links), stops at NXDOMAIN and NODATA;
//! - it asks again over TCP when a UDP response has TC=1;
//! - it caches RRsets, negative answers (for min(SOA TTL, SOA MINIMUM), RFC 2308) and
//!   delegations, with TTLs counted against the `now` the caller passes; lookups ignore case;
//! - it steps over lame servers (REFUSED, upward or sideways referrals, non-authoritative
//!   responses), unreachable servers (timeouts) and SERVFAIL, and answers SERVFAIL itself when
//!   every server of a zone failed;
//! - it gives up after [`ResolverConfig::maximum_steps`] steps (queries and cache hits), so loops
//!   end.
//!
//! Query IDs come from the caller through a [`QueryIdSource`] (a closure works): there is no
//! random number generator in the core.

mod cache;
mod interpret;
mod machine;
mod trace;
mod trace_text;

use std::net::IpAddr;

use hickory_proto::rr::{Name, RecordType};

pub use cache::{CacheEntry, CacheEntryKind};
pub use machine::{encode_query, Resolver};

// What a response means, for the page's Build tab as for the resolver itself.
pub(crate) use interpret::{interpret_response, AskedQuestion, Effect};
pub use trace::{
    CacheHitStep, CachedFinding, FailureReason, Fault, FaultStep, QueryStep, ResolutionStatus,
    ServerAsked, StepMeaning, SubResolutionStep, Trace, TraceStep, TypeText,
};
pub use trace_text::trace_text;

/// UDP or TCP: the authoritative side's type, so that a query goes from the resolver to
/// [`crate::authority::answer`] unchanged.
pub use crate::authority::Transport;

use crate::world::{Exchange, World};

/// The simulation's clock at the start of `dnslab resolve` and of the page's Resolve tab:
/// 2026-01-01T00:00:00Z in seconds since the epoch. Any fixed value works; TTLs count from it.
pub const DEFAULT_START_TIME: u64 = 1_767_225_600;

/// The ID of the first query of a simulated resolution (later queries count up from it), as
/// `dnslab resolve` and the page use it, so that both show the same bytes.
pub const DEFAULT_FIRST_ID: u16 = 0x1d5e;

/// The trace as `dnslab resolve --json` prints it: pretty-printed JSON and a final newline.
/// Shared by the CLI and the page so that both give the very same text.
pub fn trace_json(trace: &Trace) -> Result<String, serde_json::Error> {
    let mut json = serde_json::to_string_pretty(trace)?;
    json.push('\n');
    Ok(json)
}

/// Limits and parameters of the resolver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolverConfig {
    /// Most steps (queries sent plus cache hits) in one resolution, sub-resolutions included.
    pub maximum_steps: usize,
    /// Most CNAME records followed in one resolution.
    pub maximum_cname_chain: usize,
    /// Most sub-resolutions nested inside each other.
    pub maximum_sub_resolution_depth: usize,
    /// The EDNS UDP payload size of every query.
    pub udp_payload_size: u16,
}

impl Default for ResolverConfig {
    /// 64 steps, 8 CNAMEs, 4 nested sub-resolutions and 1232 bytes (the DNS Flag Day 2020
    /// value, which BIND, Unbound, Knot Resolver and PowerDNS use).
    fn default() -> Self {
        Self {
            maximum_steps: 64,
            maximum_cname_chain: 8,
            maximum_sub_resolution_depth: 4,
            udp_payload_size: 1232,
        }
    }
}

/// The servers a resolution starts at: the root servers' names and addresses.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RootHints {
    /// The root servers, in the order they are tried.
    pub name_servers: Vec<NameServerHint>,
}

/// One root server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameServerHint {
    /// Its name, e.g. `a.root-servers.net.`.
    pub name: Name,
    /// Its addresses (IPv4 is asked first).
    pub addresses: Vec<IpAddr>,
}

/// What the stub asked with, copied into the final response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StubRequest {
    /// The stub's message ID.
    pub id: u16,
    /// The stub's RD bit.
    pub recursion_desired: bool,
    /// The stub's EDNS UDP payload size, `None` when it sent no OPT record.
    pub edns_udp_payload_size: Option<u16>,
}

impl Default for StubRequest {
    /// ID 0, RD set, EDNS with 1232 bytes.
    fn default() -> Self {
        Self {
            id: 0,
            recursion_desired: true,
            edns_udp_payload_size: Some(1232),
        }
    }
}

/// Where the IDs of queries come from.
pub trait QueryIdSource {
    /// The ID for the next query.
    fn next_query_id(&mut self) -> u16;
}

impl<Function: FnMut() -> u16> QueryIdSource for Function {
    fn next_query_id(&mut self) -> u16 {
        self()
    }
}

/// IDs counting up from a first one (wrapping): reproducible traces for tests and the demo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SequentialQueryIds {
    next: u16,
}

impl SequentialQueryIds {
    /// IDs `first`, `first + 1`, …
    pub fn new(first: u16) -> Self {
        Self { next: first }
    }
}

impl QueryIdSource for SequentialQueryIds {
    fn next_query_id(&mut self) -> u16 {
        let id = self.next;
        self.next = self.next.wrapping_add(1);
        id
    }
}

/// What the caller does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Send `query_bytes` to `server_address` port 53 over `transport`, then
    /// [`feed`](Resolver::feed) the reply.
    Send {
        /// The server's name (from the NS record that led to it).
        server_name: Name,
        /// Where to send the query.
        server_address: IpAddr,
        /// The zone the server is asked as.
        zone: Name,
        /// The DNS message (for TCP the caller adds the 2-byte length).
        query_bytes: Vec<u8>,
        /// UDP or TCP.
        transport: Transport,
    },
    /// The resolution is over; the trace is in [`Resolver::trace`].
    Done(Outcome),
}

/// How a resolution ended, in short.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Answered, NXDOMAIN, NODATA or failed.
    pub status: ResolutionStatus,
    /// The RCODE the stub gets.
    pub response_code: u16,
    /// Queries sent.
    pub queries_sent: usize,
}

/// What came back for a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// A message (for TCP without the 2-byte length).
    Response(Vec<u8>),
    /// Nothing came back in time.
    Timeout,
}

/// A reply the resolver cannot take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FeedError {
    /// No query is waiting for a reply (call [`Resolver::next_action`] first).
    #[error("the resolver is not waiting for a reply")]
    NotWaitingForAReply,
}

/// Resolves `name`/`qtype` against the built-in world with a fresh cache, query IDs counting up
/// from `first_id`, every exchange taking no time. Returns the whole trace.
pub fn simulate(world: &World, name: &Name, qtype: RecordType, now: u64, first_id: u16) -> Trace {
    let mut resolver = Resolver::new(
        ResolverConfig::default(),
        world.root_hints(),
        SequentialQueryIds::new(first_id),
    );
    resolve_in_world(&mut resolver, world, name, qtype, now)
}

/// Runs one resolution of `resolver` (keeping its cache) against `world` at time `now`.
pub fn resolve_in_world<Ids: QueryIdSource>(
    resolver: &mut Resolver<Ids>,
    world: &World,
    name: &Name,
    qtype: RecordType,
    now: u64,
) -> Trace {
    resolver.start(name, qtype, now);
    while let Action::Send {
        server_address,
        query_bytes,
        transport,
        ..
    } = resolver.next_action()
    {
        let reply = match world.exchange(server_address, &query_bytes, transport) {
            Exchange::Response(bytes) => Reply::Response(bytes),
            Exchange::Timeout => Reply::Timeout,
        };
        if resolver.feed(reply, now).is_err() {
            break;
        }
    }
    resolver.take_trace().unwrap_or_else(|| Trace {
        name: name.to_ascii(),
        qtype: TypeText::new(u16::from(qtype)),
        started_at: now,
        steps: Vec::new(),
        status: ResolutionStatus::Failed {
            reason: FailureReason::Abandoned,
        },
        response_code: 2,
        response: Vec::new(),
        queries_sent: 0,
    })
}
