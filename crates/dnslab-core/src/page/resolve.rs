//! The Resolve tab's data: a simulated resolution over the built-in world (plus the user's
//! zone edits) as a flat list of steps the page shows one per list item, the final answer, the
//! dig `+trace` text, the `dnslab resolve --json` text and the resolver's cache.
//!
//! Everything here is plain serializable data; no hickory-proto type crosses it. Errors are
//! `String`s of plain words because the page shows them as they are.
//!
//! Each [`PageStep`] carries the contract's `data-` attributes (`data-server`, `data-address`,
//! `data-zone`, `data-outcome`) and the real query and response bytes, which the page hands to
//! the decoder to show the messages themselves. Sub-resolutions (the address of a name server
//! that came without glue) are flattened into the list one level deeper (`depth`).
//!
//! [`resolve_for_page`] starts with an empty cache every time, exactly as `dnslab resolve`
//! does, so its `trace_json` is byte for byte what `dnslab resolve --json NAME TYPE` prints
//! when `now` is [`DEFAULT_START_TIME`]. [`ResolveSession`] keeps its cache from one resolution
//! to the next, which is where `cache` steps come from: resolve a name twice and the second
//! time the cache answers; jump the clock past a TTL and the servers are asked again.

use std::rc::Rc;

use hickory_proto::op::Message;
use hickory_proto::rr::{Name, RData, RecordType};
use serde::Serialize;

use crate::dissect::{dissect, RecordView, Section};
use crate::iana::rcode_mnemonic;
use crate::present::dig::push_record_columns;
use crate::resolver::{
    resolve_in_world, trace_json, trace_text, CacheEntry, CacheEntryKind, CacheHitStep,
    CachedFinding, FailureReason, Fault, FaultStep, QueryStep, ResolutionStatus, Resolver,
    ResolverConfig, SequentialQueryIds, StepMeaning, Trace, TraceStep, Transport, DEFAULT_FIRST_ID,
};
use crate::world::World;
use crate::zone::type_from_mnemonic;

pub use crate::resolver::DEFAULT_START_TIME;

/// Everything the Resolve tab shows for one resolution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageResolution {
    /// The name resolved, fully qualified (`alias.example.com.`).
    pub name: String,
    /// The type asked, as its mnemonic (`AAAA`).
    pub qtype: String,
    /// Every step, in order, sub-resolutions flattened in place one level deeper.
    pub steps: Vec<PageStep>,
    /// The final answer section, one dig-style line per record (the CNAME chain first); empty
    /// for NXDOMAIN, NODATA and SERVFAIL.
    pub answer_lines: Vec<String>,
    /// How it ended, in short: `NOERROR, 3 answers`, `NOERROR, no AAAA records (NODATA)`,
    /// `NXDOMAIN` or `SERVFAIL: every server of dead.test. failed`.
    pub status: String,
    /// The `dig +trace` style rendering of the whole resolution (the CLI's `--trace`).
    pub trace_text: String,
    /// The trace as `dnslab resolve --json` prints it.
    pub trace_json: String,
    /// What the resolver's cache holds right after the resolution (see [`cache_at`] for a
    /// later time).
    pub cache: Vec<CacheRow>,
}

/// One step of a resolution: one list item of `Resolution steps`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageStep {
    /// Its position in [`PageResolution::steps`], from 0.
    pub index: usize,
    /// 0 for the resolution asked for; 1 for the steps of a sub-resolution of a name server's
    /// address it needed, 2 for one inside that, …
    pub depth: usize,
    /// `data-server`: the server asked (`a.root-servers.net.`); empty for a cache hit.
    pub server_name: String,
    /// `data-address`: the address the query went to; empty for a cache hit and for a name
    /// server that could not be asked (no address).
    pub server_address: String,
    /// `data-zone`: the zone the server was asked as (`.`, `com.`, `example.com.`); for a cache
    /// hit on a delegation, that zone; else empty for a cache hit.
    pub zone: String,
    /// The question of this step: `www.example.com. A` (after any CNAME restart).
    pub question: String,
    /// `data-outcome`, exactly one of `referral`, `answer`, `cname`, `nxdomain`, `nodata`,
    /// `lame`, `timeout`, `servfail`, `truncated`, `cache`. A server that answered another
    /// error code or an unusable message counts as `servfail` (it failed to answer); a name
    /// server that cannot be asked at all (missing glue, a dependency loop) counts as `lame`.
    pub outcome: &'static str,
    /// What the step meant, in one plain sentence: `Referral to example.com.: 2 name servers,
    /// glue for 1.`
    pub headline: String,
    /// The records that matter, one dig-style line each: the NS records and glue of a
    /// referral, the answer records, the CNAME, the SOA of a negative answer; for a cache hit,
    /// what the cache held.
    pub key_records: Vec<String>,
    /// The query as sent (`None` for a cache hit or a server that could not be asked).
    pub query: Option<Rc<Vec<u8>>>,
    /// The response as received (`None` for a timeout, a cache hit or a server that could not
    /// be asked).
    pub response: Option<Rc<Vec<u8>>>,
    /// `udp` or `tcp`.
    pub transport: &'static str,
}

/// One line of the cache view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CacheRow {
    /// Owner name (the zone for a delegation).
    pub name: String,
    /// The type mnemonic; `NS` for a delegation, `NXDOMAIN` for a name that does not exist (all
    /// its types at once).
    pub rtype: String,
    /// Seconds left before the entry expires, at the time asked.
    pub ttl_left: u64,
    /// The data: the RDATA of a record; `NODATA: …` or `NXDOMAIN: …` with the SOA that came
    /// with a negative answer; a name server of a delegation with its glue.
    pub data: String,
    /// The simulated second at which the entry expires (it is used while `now < expires_at`).
    pub expires_at: u64,
}

/// A ready-made question that shows one thing a resolver meets, on a name the built-in world
/// really has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Scenario {
    /// A stable identifier (`cname-chain`, `nxdomain`, …).
    pub id: &'static str,
    /// The name to resolve.
    pub name: &'static str,
    /// The type to ask.
    pub qtype: &'static str,
    /// A short title for a button or menu.
    pub title: &'static str,
    /// One or two sentences saying what the resolution shows.
    pub sentence: &'static str,
}

/// The scenario presets, in the order the page lists them.
pub fn scenarios() -> &'static [Scenario] {
    SCENARIOS
}

const SCENARIOS: &[Scenario] = &[
    Scenario {
        id: "cname-chain",
        name: "ext.example.com.",
        qtype: "AAAA",
        title: "CNAME chain across zones",
        sentence: "ext.example.com. is an alias for www.example.org., itself an alias for \
                   web.example.net.: each CNAME leads into another zone, so the resolver starts \
                   again from the root for each target.",
    },
    Scenario {
        id: "nxdomain",
        name: "nope.example.com.",
        qtype: "A",
        title: "NXDOMAIN",
        sentence: "nope.example.com. does not exist: example.com.'s server answers NXDOMAIN with \
                   the zone's SOA, which says how long the resolver may remember that (RFC 2308).",
    },
    Scenario {
        id: "nodata",
        name: "sip.example.com.",
        qtype: "AAAA",
        title: "NODATA",
        sentence: "sip.example.com. exists but has only an IPv4 address: the answer is NOERROR \
                   with an empty answer section and the SOA, a NODATA answer.",
    },
    Scenario {
        id: "glueless",
        name: "www.glueless.test.",
        qtype: "A",
        title: "Glueless delegation",
        sentence: "test. delegates glueless.test. to name servers under example.net. without \
                   their addresses (no glue), so the resolver first resolves \
                   ns1.hosting.example.net. in a nested look-up, then asks it.",
    },
    Scenario {
        id: "lame",
        name: "www.lame.test.",
        qtype: "A",
        title: "Lame delegation",
        sentence: "Two of the three servers test. lists for lame.test. do not serve it: one \
                   answers REFUSED, one refers back up to test.; the third one answers.",
    },
    Scenario {
        id: "unreachable",
        name: "www.unreachable.test.",
        qtype: "A",
        title: "Unreachable server",
        sentence: "Nothing answers at the first name server of unreachable.test.: the query \
                   times out and the resolver asks the next server.",
    },
    Scenario {
        id: "wildcard",
        name: "anything.wild.example.com.",
        qtype: "A",
        title: "Wildcard",
        sentence: "No record is written for anything.wild.example.com., but *.wild.example.com. \
                   is: the server synthesizes the answer from the wildcard, owned by the name \
                   asked (RFC 4592).",
    },
    Scenario {
        id: "truncation",
        name: "long.demo.test.",
        qtype: "TXT",
        title: "Truncation and TCP",
        sentence: "The TXT record of long.demo.test. is bigger than the 1232 bytes a UDP \
                   response may carry: the server sets TC=1, and the resolver asks again over TCP.",
    },
    Scenario {
        id: "long-txt",
        name: "long.example.com.",
        qtype: "TXT",
        title: "A long TXT record",
        sentence: "A TXT record longer than 255 bytes is written as several character-strings of \
                   at most 255 bytes each; this one has three and still fits in one UDP response.",
    },
    Scenario {
        id: "servfail",
        name: "www.broken.test.",
        qtype: "A",
        title: "A failing server",
        sentence: "The first server of broken.test. answers SERVFAIL to everything: the resolver \
                   moves on to the second server, which answers.",
    },
    Scenario {
        id: "all-fail",
        name: "www.dead.test.",
        qtype: "A",
        title: "Every server fails",
        sentence: "One server of dead.test. fails and nothing listens at the other: with no \
                   server left the resolver itself answers SERVFAIL.",
    },
];

/// Resolves `name`/`qtype` over `world` from the root hints with an empty cache at simulated
/// time `now` (query IDs from [`DEFAULT_FIRST_ID`], as `dnslab resolve`). `Err` holds plain
/// words for a name or type that cannot be asked, shown as it is.
pub fn resolve_for_page(
    world: &World,
    name: &str,
    qtype: &str,
    now: u64,
) -> Result<PageResolution, String> {
    ResolveSession::new(world).resolve(world, name, qtype, now)
}

/// A resolver that keeps its cache between resolutions, as a real one does.
///
/// The world is passed to each [`resolve`](Self::resolve): after a zone edit the page passes
/// the new world and keeps the session, and what is cached stays until its TTL runs out, the
/// way a real resolver keeps serving old data after a zone changes. The root hints are those
/// of the world the session was made with.
#[derive(Debug)]
pub struct ResolveSession {
    resolver: Resolver<SequentialQueryIds>,
}

impl ResolveSession {
    /// A session with an empty cache, starting at `world`'s root hints, query IDs counting up
    /// from [`DEFAULT_FIRST_ID`].
    pub fn new(world: &World) -> Self {
        Self {
            resolver: Resolver::new(
                ResolverConfig::default(),
                world.root_hints(),
                SequentialQueryIds::new(DEFAULT_FIRST_ID),
            ),
        }
    }

    /// Resolves `name`/`qtype` over `world` at simulated time `now`, using and filling the
    /// cache. `Err` holds plain words for a name or type that cannot be asked.
    pub fn resolve(
        &mut self,
        world: &World,
        name: &str,
        qtype: &str,
        now: u64,
    ) -> Result<PageResolution, String> {
        let (name, rtype) = parse_question(name, qtype)?;
        let trace = resolve_in_world(&mut self.resolver, world, &name, rtype, now);
        let cache = rows(&self.resolver.cache_entries(now), now);
        Ok(page_resolution(&trace, cache))
    }

    /// What the cache holds at `now`, with the seconds each entry has left.
    pub fn cache_at(&self, now: u64) -> Vec<CacheRow> {
        rows(&self.resolver.cache_entries(now), now)
    }

    /// Forgets everything cached.
    pub fn clear_cache(&mut self) {
        self.resolver.clear_cache();
    }
}

/// The cache of `resolution` as it will be at the later time `now`: entries expired by then are
/// gone, the others have their seconds left counted down.
pub fn cache_at(resolution: &PageResolution, now: u64) -> Vec<CacheRow> {
    resolution
        .cache
        .iter()
        .filter(|row| row.expires_at > now)
        .map(|row| CacheRow {
            ttl_left: row.expires_at - now,
            ..row.clone()
        })
        .collect()
}

/// Reads `#resolve=<name>/<TYPE>` (the part after `resolve=`, already percent-decoded):
/// `("alias.example.com", "AAAA")`. The type defaults to `A` when the link has none. `Err`
/// holds plain words for the page to show.
pub fn parse_resolve_fragment(value: &str) -> Result<(String, String), String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(
            "The link names nothing to resolve; it should look like #resolve=www.example.com/A."
                .to_owned(),
        );
    }
    let (name, qtype) = match value.rsplit_once('/') {
        Some((name, qtype)) => (name.trim(), qtype.trim()),
        None => (value, "A"),
    };
    let (_, rtype) = parse_question(name, qtype)?;
    Ok((name.to_owned(), type_text(rtype)))
}

/// The fragment (without `#`) that opens Resolve with `name`/`qtype`: `resolve=alias.example.com/AAAA`.
pub fn resolve_fragment(name: &str, qtype: &str) -> String {
    let mut fragment = String::from("resolve=");
    for character in name
        .chars()
        .chain(std::iter::once('/'))
        .chain(qtype.chars())
    {
        match character {
            '%' | '#' | '&' | ' ' | '"' | '<' | '>' | '`' => {
                let mut buffer = [0u8; 4];
                for byte in character.encode_utf8(&mut buffer).bytes() {
                    fragment.push_str(&format!("%{byte:02X}"));
                }
            }
            other => fragment.push(other),
        }
    }
    fragment
}

/// The name and type a learner typed, or why they cannot be asked.
fn parse_question(name: &str, qtype: &str) -> Result<(Name, RecordType), String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("Type a domain name to resolve, e.g. www.example.com.".to_owned());
    }
    let mut parsed = Name::from_ascii(name)
        .map_err(|error| format!("“{name}” is not a domain name: {error}."))?;
    parsed.set_fqdn(true);
    let qtype = qtype.trim();
    let rtype = type_from_mnemonic(qtype).ok_or_else(|| {
        format!("“{qtype}” is not a record type; use a mnemonic such as A, AAAA, MX or TXT, or TYPEnnn.")
    })?;
    if matches!(
        rtype,
        RecordType::OPT | RecordType::AXFR | RecordType::IXFR | RecordType::TSIG
    ) {
        return Err(format!(
            "{} is not a type a resolver looks up: it only makes sense between two servers or inside a message.",
            type_text(rtype)
        ));
    }
    Ok((parsed, rtype))
}

fn type_text(rtype: RecordType) -> String {
    crate::dissect::mnemonic::type_mnemonic(u16::from(rtype)).into_owned()
}

/// The page's view of a finished trace.
fn page_resolution(trace: &Trace, cache: Vec<CacheRow>) -> PageResolution {
    let mut steps = Vec::new();
    let question = format!("{} {}", trace.name, trace.qtype.mnemonic);
    flatten(&trace.steps, 0, &question, &mut steps);
    let answer_lines = section_lines(&trace.response, Section::Answer);
    PageResolution {
        name: trace.name.clone(),
        qtype: trace.qtype.mnemonic.clone(),
        steps,
        status: status_text(trace, answer_lines.len()),
        answer_lines,
        trace_text: trace_text(trace),
        trace_json: trace_json(trace).unwrap_or_default(),
        cache,
    }
}

fn status_text(trace: &Trace, answers: usize) -> String {
    match &trace.status {
        ResolutionStatus::Answered => format!(
            "NOERROR, {answers} answer{}",
            if answers == 1 { "" } else { "s" }
        ),
        ResolutionStatus::NoData => {
            format!("NOERROR, no {} records (NODATA)", trace.qtype.mnemonic)
        }
        ResolutionStatus::NxDomain => "NXDOMAIN".to_owned(),
        ResolutionStatus::Failed { reason } => {
            let why = match reason {
                FailureReason::AllServersFailed { zone } => {
                    format!("every server of {zone} failed")
                }
                FailureReason::StepLimit { limit } => {
                    format!("the resolver gave up after {limit} steps")
                }
                FailureReason::CnameChainTooLong { limit } => {
                    format!("the CNAME chain is longer than {limit} links (or loops)")
                }
                FailureReason::Abandoned => "the resolution was abandoned".to_owned(),
            };
            format!("{}: {why}", rcode_mnemonic(trace.response_code))
        }
    }
}

/// Appends the steps, sub-resolutions in place at `depth + 1`; `question` is the question of
/// the task they belong to (for faults, which name no question).
fn flatten(steps: &[TraceStep], depth: usize, question: &str, out: &mut Vec<PageStep>) {
    let mut question = question.to_owned();
    for step in steps {
        match step {
            TraceStep::Query(query) => {
                question = format!("{} {}", query.name, query.qtype.mnemonic);
                out.push(query_step(query, depth, &question, out.len()));
            }
            TraceStep::CacheHit(hit) => {
                question = format!("{} {}", hit.name, hit.qtype.mnemonic);
                out.push(cache_step(hit, depth, &question, out.len()));
            }
            TraceStep::SubResolution(sub) => {
                let sub_question = format!("{} {}", sub.name, sub.qtype.mnemonic);
                flatten(&sub.steps, depth + 1, &sub_question, out);
            }
            TraceStep::Fault(fault) => out.push(fault_step(fault, depth, &question, out.len())),
        }
    }
}

fn transport_word(transport: Transport) -> &'static str {
    match transport {
        Transport::Udp => "udp",
        Transport::Tcp => "tcp",
    }
}

fn query_step(step: &QueryStep, depth: usize, question: &str, index: usize) -> PageStep {
    let response = step.response.as_deref();
    let outcome = match step.meaning {
        StepMeaning::Referral { .. } => "referral",
        StepMeaning::Answer { .. } => "answer",
        StepMeaning::Cname { .. } => "cname",
        StepMeaning::NxDomain => "nxdomain",
        StepMeaning::NoData => "nodata",
        StepMeaning::Lame { .. } => "lame",
        StepMeaning::Timeout => "timeout",
        StepMeaning::ServFail | StepMeaning::ErrorRcode { .. } | StepMeaning::Malformed { .. } => {
            "servfail"
        }
        StepMeaning::Truncated => "truncated",
    };
    PageStep {
        index,
        depth,
        server_name: step.server.name.clone(),
        server_address: step.server.address.to_string(),
        zone: step.server.zone.clone(),
        question: question.to_owned(),
        outcome,
        headline: end_sentence(query_headline(step, response)),
        key_records: response.map(key_record_lines).unwrap_or_default(),
        query: (!step.query.is_empty()).then(|| Rc::new(step.query.clone())),
        response: response.map(|bytes| Rc::new(bytes.to_vec())),
        transport: transport_word(step.transport),
    }
}

fn query_headline(step: &QueryStep, response: Option<&[u8]>) -> String {
    let qtype = &step.qtype.mnemonic;
    match &step.meaning {
        StepMeaning::Referral {
            zone,
            name_servers,
            with_glue,
        } => {
            let servers = name_servers.len();
            let servers_words = format!(
                "{servers} name server{}",
                if servers == 1 { "" } else { "s" }
            );
            if *with_glue == 0 {
                format!(
                    "Referral to {zone}: {servers_words}, no glue, so their addresses must be looked up first."
                )
            } else {
                format!("Referral to {zone}: {servers_words}, glue for {with_glue}.")
            }
        }
        StepMeaning::Answer {
            records,
            cname_chain,
        } => {
            let records_words = format!("{records} {qtype} record{}", plural(*records));
            if *cname_chain == 0 {
                format!("Answer: {records_words} for {}.", step.name)
            } else {
                format!(
                    "Answer: {records_words}, at the end of {cname_chain} CNAME{} followed inside this response.",
                    plural(*cname_chain)
                )
            }
        }
        StepMeaning::Cname { target } => format!(
            "CNAME: {} is an alias for {target}, which this server has no data for, so the resolver starts again with {target}.",
            step.name
        ),
        StepMeaning::NxDomain => {
            let name = response
                .map(|bytes| chain_end(bytes, &step.name))
                .unwrap_or_else(|| step.name.clone());
            match response.and_then(negative_ttl) {
                Some(ttl) => format!(
                    "NXDOMAIN: {name} does not exist; the SOA lets the resolver remember that for {ttl} s."
                ),
                None => format!("NXDOMAIN: {name} does not exist."),
            }
        }
        StepMeaning::NoData => {
            let name = response
                .map(|bytes| chain_end(bytes, &step.name))
                .unwrap_or_else(|| step.name.clone());
            match response.and_then(negative_ttl) {
                Some(ttl) => format!(
                    "NODATA: {name} exists but has no {qtype} records; the SOA lets the resolver remember that for {ttl} s."
                ),
                None => format!("NODATA: {name} exists but has no {qtype} records."),
            }
        }
        StepMeaning::Lame { reason } => format!(
            "Lame server for {}: {reason}; the resolver tries the next server.",
            step.server.zone
        ),
        StepMeaning::Timeout => format!(
            "No response from {} ({}): the query timed out, so the resolver tries the next server.",
            step.server.name, step.server.address
        ),
        StepMeaning::ServFail => {
            "SERVFAIL: the server could not answer, so the resolver tries the next server."
                .to_owned()
        }
        StepMeaning::ErrorRcode { rcode } => format!(
            "{}: the server answered with an error, so the resolver tries the next server.",
            rcode_mnemonic(*rcode)
        ),
        StepMeaning::Truncated => {
            "Truncated (TC=1): the answer did not fit in a UDP response, so the resolver asks again over TCP."
                .to_owned()
        }
        StepMeaning::Malformed { reason } => {
            format!("Unusable response: {reason}; the resolver tries the next server.")
        }
    }
}

/// One full stop at the end, also when the sentence ends with a fully qualified name
/// (`… for www.example.com.`, not `….com..`).
fn end_sentence(mut sentence: String) -> String {
    while sentence.ends_with("..") {
        sentence.pop();
    }
    if !sentence.ends_with('.') {
        sentence.push('.');
    }
    sentence
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

fn cache_step(hit: &CacheHitStep, depth: usize, question: &str, index: usize) -> PageStep {
    let left = hit.remaining_ttl;
    let (zone, headline, key_records) = match &hit.found {
        CachedFinding::Answer { records } => (
            String::new(),
            format!(
                "From the cache: {} {} record{} for {}, {left} s left.",
                records.len(),
                hit.qtype.mnemonic,
                plural(records.len()),
                hit.name
            ),
            records.clone(),
        ),
        CachedFinding::Cname { target } => (
            String::new(),
            format!(
                "From the cache: {} is an alias for {target} ({left} s left), so the resolver goes on with {target}.",
                hit.name
            ),
            Vec::new(),
        ),
        CachedFinding::NxDomain => (
            String::new(),
            format!(
                "From the cache: {} does not exist (a cached NXDOMAIN, {left} s left).",
                hit.name
            ),
            Vec::new(),
        ),
        CachedFinding::NoData => (
            String::new(),
            format!(
                "From the cache: {} has no {} records (a cached NODATA, {left} s left).",
                hit.name, hit.qtype.mnemonic
            ),
            Vec::new(),
        ),
        CachedFinding::Delegation { zone, name_servers } => (
            zone.clone(),
            format!(
                "From the cache: the servers of {zone} ({}), so the resolver starts there instead of at the root ({left} s left).",
                name_servers.join(", ")
            ),
            Vec::new(),
        ),
    };
    PageStep {
        index,
        depth,
        server_name: String::new(),
        server_address: String::new(),
        zone,
        question: question.to_owned(),
        outcome: "cache",
        headline: end_sentence(headline),
        key_records,
        query: None,
        response: None,
        transport: "udp",
    }
}

fn fault_step(fault: &FaultStep, depth: usize, question: &str, index: usize) -> PageStep {
    let server = fault.name_server.clone().unwrap_or_default();
    let headline = match fault.fault {
        Fault::MissingGlue => format!(
            "Missing glue: {server} is inside {} but the referral gave no address for it, so it cannot be asked.",
            fault.zone
        ),
        Fault::DependencyLoop => format!(
            "{server} cannot be asked: finding its address needs the very answer being looked for (a loop)."
        ),
        Fault::SubResolutionTooDeep => format!(
            "{server} cannot be asked: looking up its address would nest too many look-ups."
        ),
    };
    PageStep {
        index,
        depth,
        server_name: server,
        server_address: String::new(),
        zone: fault.zone.clone(),
        question: question.to_owned(),
        outcome: "lame",
        headline: end_sentence(headline),
        key_records: Vec::new(),
        query: None,
        response: None,
        transport: "udp",
    }
}

/// A record in dig's columns.
fn record_line(record: &RecordView) -> String {
    let mut line = String::new();
    push_record_columns(
        &mut line,
        &record.name.text,
        record.ttl,
        record.class,
        record.rtype,
        &record.rdata.presentation,
    );
    line
}

/// The records of one section of `message`, one dig-style line each (no OPT).
fn section_lines(message: &[u8], section: Section) -> Vec<String> {
    dissect(message)
        .section(section)
        .filter(|record| record.rtype != u16::from(RecordType::OPT))
        .map(record_line)
        .collect()
}

/// The records that matter in a response: the answer and authority sections, then the glue
/// (addresses in the additional section of the name servers named in the authority section).
fn key_record_lines(message: &[u8]) -> Vec<String> {
    let dissection = dissect(message);
    let mut lines: Vec<String> = dissection
        .records
        .iter()
        .filter(|record| matches!(record.section, Section::Answer | Section::Authority))
        .filter(|record| record.rtype != u16::from(RecordType::OPT))
        .map(record_line)
        .collect();
    let name_servers: Vec<String> = dissection
        .section(Section::Authority)
        .filter(|record| record.rtype == u16::from(RecordType::NS))
        .map(|record| record.rdata.presentation.to_ascii_lowercase())
        .collect();
    lines.extend(
        dissection
            .section(Section::Additional)
            .filter(|record| {
                record.rtype == u16::from(RecordType::A)
                    || record.rtype == u16::from(RecordType::AAAA)
            })
            .filter(|record| name_servers.contains(&record.name.text.to_ascii_lowercase()))
            .map(record_line),
    );
    lines
}

/// The name a negative answer is about: the end of the CNAME chain in its answer section, from
/// `asked`.
fn chain_end(message: &[u8], asked: &str) -> String {
    let Ok(message) = Message::from_vec(message) else {
        return asked.to_owned();
    };
    let Ok(mut current) = Name::from_ascii(asked) else {
        return asked.to_owned();
    };
    for _ in 0..message.answers.len() {
        let next = message
            .answers
            .iter()
            .find_map(|record| match &record.data {
                RData::CNAME(target) if record.name == current => Some(target.0.clone()),
                _ => None,
            });
        match next {
            Some(target) => current = target,
            None => break,
        }
    }
    current.to_ascii()
}

/// The negative-caching time of a response: min(SOA TTL, SOA MINIMUM) of the SOA in its
/// authority section (RFC 2308 §5).
fn negative_ttl(message: &[u8]) -> Option<u32> {
    let message = Message::from_vec(message).ok()?;
    message
        .authorities
        .iter()
        .find_map(|record| match &record.data {
            RData::SOA(soa) => Some(record.ttl.min(soa.minimum)),
            _ => None,
        })
}

/// The cache entries as rows at `now`: one row per record (per name server of a delegation).
fn rows(entries: &[CacheEntry], now: u64) -> Vec<CacheRow> {
    let mut rows = Vec::new();
    for entry in entries {
        let ttl_left = entry.expires_at.saturating_sub(now);
        let rtype = match entry.kind {
            CacheEntryKind::NxDomain => "NXDOMAIN".to_owned(),
            _ => entry.rtype.mnemonic.clone(),
        };
        for data in &entry.data {
            let data = match entry.kind {
                CacheEntryKind::Records | CacheEntryKind::Delegation => data.clone(),
                CacheEntryKind::NxDomain => format!("NXDOMAIN: the name does not exist ({data})"),
                CacheEntryKind::NoData => {
                    format!("NODATA: no records of this type ({data})")
                }
            };
            rows.push(CacheRow {
                name: entry.name.clone(),
                rtype: rtype.clone(),
                ttl_left,
                data,
                expires_at: entry.expires_at,
            });
        }
    }
    rows
}

#[cfg(test)]
mod tests;
