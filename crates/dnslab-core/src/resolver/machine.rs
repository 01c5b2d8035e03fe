//! The iterative resolver as a state machine: it says what to send ([`Action::Send`]), is fed what
//! came back ([`Reply`]) and ends with a [`Trace`].
//!
//! The machine keeps a stack of tasks: the resolution the caller asked for at the bottom, and on
//! top of it the sub-resolutions of name server addresses that glueless delegations need (each
//! waits for the one above it). Every loop of [`Resolver::next_action`] either returns an action
//! or moves a task forward by one bounded step (a cache lookup, a server marked tried, a task
//! finished), and every query and cache hit counts against [`ResolverConfig::maximum_steps`], so
//! the machine always ends, whatever the servers answer.

use std::net::IpAddr;

use hickory_proto::op::{Edns, Message, MessageType, OpCode, Query, ResponseCode};
use hickory_proto::rr::{Name, RData, Record, RecordType};

use super::cache::{record_address, Cache, CacheEntry};
use super::interpret::{interpret_response, AskedQuestion, Effect};
use super::trace::{
    CacheHitStep, CachedFinding, FailureReason, Fault, FaultStep, QueryStep, ResolutionStatus,
    ServerAsked, StepMeaning, SubResolutionStep, Trace, TraceStep, TypeText,
};
use super::trace_text::cached_record_line;
use super::{
    Action, FeedError, Outcome, QueryIdSource, Reply, ResolverConfig, RootHints, StubRequest,
    Transport,
};

/// An iterative resolver: see the [module documentation](super).
pub struct Resolver<Ids: QueryIdSource> {
    config: ResolverConfig,
    root_hints: RootHints,
    query_ids: Ids,
    cache: Cache,
    run: Option<Run>,
    finished: Option<Trace>,
}

impl<Ids: QueryIdSource> std::fmt::Debug for Resolver<Ids> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Resolver")
            .field("config", &self.config)
            .field("root_hints", &self.root_hints)
            .field("cache_entries", &self.cache.entry_count())
            .field("running", &self.run.is_some())
            .finish_non_exhaustive()
    }
}

/// One resolution in progress.
#[derive(Debug)]
struct Run {
    stub: StubRequest,
    name: Name,
    qtype: RecordType,
    started_at: u64,
    now: u64,
    tasks: Vec<Task>,
    steps_taken: usize,
    queries_sent: usize,
    in_flight: Option<InFlight>,
}

/// One name being resolved: the caller's, or a name server's address.
#[derive(Debug)]
struct Task {
    /// The name asked for at first.
    name: Name,
    qtype: RecordType,
    /// The name being resolved now (the target of the last CNAME followed).
    current_name: Name,
    /// CNAME records followed so far, in order.
    chain: Vec<Record>,
    steps: Vec<TraceStep>,
    state: TaskState,
    /// For a sub-resolution: the zone whose delegation needs this address.
    for_zone: Option<Name>,
}

#[derive(Debug)]
enum TaskState {
    /// Look in the cache, then start at the closest known delegation.
    Restart,
    /// Ask the servers of a zone, one after the other.
    Querying(Delegation),
    /// Finished.
    Done(Box<TaskEnd>),
}

#[derive(Debug)]
struct TaskEnd {
    status: ResolutionStatus,
    records: Vec<Record>,
    soa: Option<Record>,
}

#[derive(Debug)]
struct Delegation {
    zone: Name,
    servers: Vec<Candidate>,
}

#[derive(Debug)]
struct Candidate {
    name: Name,
    addresses: Vec<IpAddr>,
    state: CandidateState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CandidateState {
    Untried,
    /// A sub-resolution for its address runs on top of the task.
    LookingUpAddress,
    /// Asked (whatever came of it).
    Tried,
    /// No address could be found.
    Unusable,
}

/// The query the caller is asked to send.
#[derive(Debug, Clone)]
struct InFlight {
    server_index: usize,
    server_name: Name,
    address: IpAddr,
    zone: Name,
    transport: Transport,
    query: Vec<u8>,
    query_id: u16,
    name: Name,
    qtype: RecordType,
    sent_at: u64,
}

impl InFlight {
    /// The trace's record of this exchange: who was asked what, and what came of it.
    fn trace_step(
        &self,
        query: Vec<u8>,
        response: Option<Vec<u8>>,
        meaning: StepMeaning,
    ) -> QueryStep {
        QueryStep {
            server: ServerAsked {
                name: self.server_name.to_ascii(),
                address: self.address,
                zone: self.zone.to_ascii(),
            },
            name: self.name.to_ascii(),
            qtype: type_text(self.qtype),
            transport: self.transport,
            query_id: self.query_id,
            sent_at: self.sent_at,
            query,
            response,
            meaning,
        }
    }
}

impl<Ids: QueryIdSource> Resolver<Ids> {
    /// A resolver with an empty cache that starts every resolution at `root_hints` and takes the
    /// ID of every query it sends from `query_ids`.
    pub fn new(config: ResolverConfig, root_hints: RootHints, query_ids: Ids) -> Self {
        Self {
            config,
            root_hints,
            query_ids,
            cache: Cache::default(),
            run: None,
            finished: None,
        }
    }

    /// Starts resolving `name`/`qtype` at time `now` (seconds, the caller's clock), for a stub
    /// that sent ID 0 with RD set and EDNS (what `dig` sends). A resolution in progress is
    /// abandoned; the cache is kept.
    pub fn start(&mut self, name: &Name, qtype: RecordType, now: u64) {
        self.start_for_stub(name, qtype, now, StubRequest::default());
    }

    /// Like [`start`](Self::start), with the stub's ID, RD bit and EDNS use copied into the final
    /// response.
    pub fn start_for_stub(&mut self, name: &Name, qtype: RecordType, now: u64, stub: StubRequest) {
        let mut name = name.clone();
        name.set_fqdn(true);
        self.finished = None;
        self.run = Some(Run {
            stub,
            name: name.clone(),
            qtype,
            started_at: now,
            now,
            tasks: vec![Task::new(name, qtype, None)],
            steps_taken: 0,
            queries_sent: 0,
            in_flight: None,
        });
    }

    /// Forgets everything cached.
    pub fn clear_cache(&mut self) {
        self.cache.clear();
    }

    /// Number of cache entries (RRsets, negative answers, delegations).
    pub fn cache_entry_count(&self) -> usize {
        self.cache.entry_count()
    }

    /// What the cache holds at `now` (entries expired by then are left out), in canonical name
    /// order, then type: every RRset, negative answer and delegation, with when it expires.
    pub fn cache_entries(&self, now: u64) -> Vec<CacheEntry> {
        self.cache.entries(now)
    }

    /// What the caller must do next: send a query (and then [`feed`](Self::feed) the reply), or
    /// nothing because the resolution is done. Asking again without feeding returns the same
    /// query. Before any [`start`](Self::start) it returns `Done` with an empty, failed outcome.
    pub fn next_action(&mut self) -> Action {
        loop {
            if let Some(action) = self.advance() {
                return action;
            }
        }
    }

    /// Gives the resolver the reply to the query of the last [`Action::Send`], received at `now`.
    pub fn feed(&mut self, reply: Reply, now: u64) -> Result<(), FeedError> {
        let Some(run) = self.run.as_mut() else {
            return Err(FeedError::NotWaitingForAReply);
        };
        let Some(in_flight) = run.in_flight.take() else {
            return Err(FeedError::NotWaitingForAReply);
        };
        run.now = run.now.max(now);
        let now = run.now;
        let Some(task) = run.tasks.last_mut() else {
            return Err(FeedError::NotWaitingForAReply);
        };
        let (meaning, effect, response) = match reply {
            Reply::Timeout => (StepMeaning::Timeout, Effect::NextServer, None),
            Reply::Response(bytes) => {
                let asked = AskedQuestion {
                    query_id: in_flight.query_id,
                    name: &in_flight.name,
                    qtype: in_flight.qtype,
                    zone: &in_flight.zone,
                    transport: in_flight.transport,
                    maximum_cname_chain: self.config.maximum_cname_chain,
                };
                let (meaning, effect) = interpret_response(&bytes, &asked);
                (meaning, effect, Some(bytes))
            }
        };
        task.steps.push(TraceStep::Query(in_flight.trace_step(
            in_flight.query.clone(),
            response,
            meaning,
        )));
        let mut retry_over_tcp = None;
        match effect {
            Effect::NextServer => {}
            Effect::RetryOverTcp => {
                retry_over_tcp = Some(InFlight {
                    transport: Transport::Tcp,
                    ..in_flight.clone()
                });
            }
            Effect::Referral {
                zone,
                name_servers,
                ttl,
            } => {
                self.cache
                    .store_delegation(&zone, name_servers.clone(), ttl, now);
                let servers = name_servers
                    .into_iter()
                    .map(|(name, glue)| {
                        let addresses = if glue.is_empty() {
                            self.cache.addresses(&name, now)
                        } else {
                            glue
                        };
                        Candidate::new(name, addresses)
                    })
                    .collect();
                task.state = TaskState::Querying(Delegation { zone, servers });
            }
            Effect::Answer { chain, records } => {
                store_chain(&mut self.cache, &chain, now);
                self.cache.store_rrset(&records, now);
                task.chain.extend(chain);
                task.finish(ResolutionStatus::Answered, records, None);
                task.check_chain_length(self.config.maximum_cname_chain);
            }
            Effect::Cname { chain, target } => {
                store_chain(&mut self.cache, &chain, now);
                task.chain.extend(chain);
                task.current_name = target;
                task.state = TaskState::Restart;
                task.check_chain_length(self.config.maximum_cname_chain);
            }
            Effect::NxDomain { chain, soa } => {
                store_chain(&mut self.cache, &chain, now);
                let last_name = last_name_of(&chain, &task.current_name);
                if let Some(soa) = &soa {
                    self.cache.store_nonexistent_name(&last_name, soa, now);
                }
                task.chain.extend(chain);
                task.finish(ResolutionStatus::NxDomain, Vec::new(), soa);
                task.check_chain_length(self.config.maximum_cname_chain);
            }
            Effect::NoData { chain, soa } => {
                store_chain(&mut self.cache, &chain, now);
                let last_name = last_name_of(&chain, &task.current_name);
                if let Some(soa) = &soa {
                    self.cache
                        .store_empty_type(&last_name, task.qtype, soa, now);
                }
                task.chain.extend(chain);
                task.finish(ResolutionStatus::NoData, Vec::new(), soa);
                task.check_chain_length(self.config.maximum_cname_chain);
            }
        }
        // A server that was asked is done with, whatever it said (a referral replaced the list).
        if let TaskState::Querying(delegation) = &mut task.state {
            if let Some(candidate) = delegation.servers.get_mut(in_flight.server_index) {
                if candidate.name == in_flight.server_name
                    && candidate.state == CandidateState::Untried
                {
                    candidate.state = CandidateState::Tried;
                }
            }
        }
        if let Some(retry) = retry_over_tcp {
            send_query(run, &self.config, &mut self.query_ids, retry);
        }
        Ok(())
    }

    /// The trace of the last finished resolution.
    pub fn trace(&self) -> Option<&Trace> {
        self.finished.as_ref()
    }

    /// Takes the trace of the last finished resolution out of the resolver.
    pub fn take_trace(&mut self) -> Option<Trace> {
        self.finished.take()
    }

    /// One bounded move of the machine: an action for the caller, or `None` to keep going.
    fn advance(&mut self) -> Option<Action> {
        let Some(run) = self.run.as_mut() else {
            return Some(Action::Done(self.outcome()));
        };
        if let Some(in_flight) = &run.in_flight {
            return Some(Action::Send {
                server_name: in_flight.server_name.clone(),
                server_address: in_flight.address,
                zone: in_flight.zone.clone(),
                query_bytes: in_flight.query.clone(),
                transport: in_flight.transport,
            });
        }
        let depth = run.tasks.len();
        let Some(task) = run.tasks.last_mut() else {
            self.finish_run();
            return Some(Action::Done(self.outcome()));
        };
        match &task.state {
            TaskState::Restart => {
                restart_from_cache(run, &mut self.cache, &self.config, &self.root_hints);
                None
            }
            TaskState::Querying(_) => {
                choose_server(run, &self.config, &mut self.query_ids, &mut self.cache);
                None
            }
            TaskState::Done(_) if depth > 1 => {
                finish_sub_resolution(run);
                None
            }
            TaskState::Done(_) => {
                self.finish_run();
                Some(Action::Done(self.outcome()))
            }
        }
    }

    /// Turns the finished main task into the trace.
    fn finish_run(&mut self) {
        let Some(mut run) = self.run.take() else {
            return;
        };
        // Anything still on the stack (there should be nothing) is folded in as failed.
        while run.tasks.len() > 1 {
            if let Some(task) = run.tasks.last_mut() {
                if !matches!(task.state, TaskState::Done(_)) {
                    task.fail(FailureReason::Abandoned);
                }
            }
            finish_sub_resolution(&mut run);
        }
        let main = run.tasks.pop();
        let (steps, status, chain, records, soa) = match main {
            Some(Task {
                steps,
                chain,
                state: TaskState::Done(end),
                ..
            }) => (steps, end.status, chain, end.records, end.soa),
            Some(task) => (
                task.steps,
                ResolutionStatus::Failed {
                    reason: FailureReason::Abandoned,
                },
                Vec::new(),
                Vec::new(),
                None,
            ),
            None => (
                Vec::new(),
                ResolutionStatus::Failed {
                    reason: FailureReason::Abandoned,
                },
                Vec::new(),
                Vec::new(),
                None,
            ),
        };
        let response_code = match status {
            ResolutionStatus::Answered | ResolutionStatus::NoData => ResponseCode::NoError,
            ResolutionStatus::NxDomain => ResponseCode::NXDomain,
            ResolutionStatus::Failed { .. } => ResponseCode::ServFail,
        };
        let response = stub_response(&run, response_code, &chain, &records, soa.as_ref());
        self.finished = Some(Trace {
            name: run.name.to_ascii(),
            qtype: type_text(run.qtype),
            started_at: run.started_at,
            steps,
            status,
            response_code: u16::from(response_code),
            response,
            queries_sent: run.queries_sent,
        });
    }

    fn outcome(&self) -> Outcome {
        match &self.finished {
            Some(trace) => Outcome {
                status: trace.status.clone(),
                response_code: trace.response_code,
                queries_sent: trace.queries_sent,
            },
            None => Outcome {
                status: ResolutionStatus::Failed {
                    reason: FailureReason::Abandoned,
                },
                response_code: u16::from(ResponseCode::ServFail),
                queries_sent: 0,
            },
        }
    }
}

impl Task {
    fn new(name: Name, qtype: RecordType, for_zone: Option<Name>) -> Self {
        Self {
            current_name: name.clone(),
            name,
            qtype,
            chain: Vec::new(),
            steps: Vec::new(),
            state: TaskState::Restart,
            for_zone,
        }
    }

    fn finish(&mut self, status: ResolutionStatus, records: Vec<Record>, soa: Option<Record>) {
        self.state = TaskState::Done(Box::new(TaskEnd {
            status,
            records,
            soa,
        }));
    }

    fn fail(&mut self, reason: FailureReason) {
        self.finish(ResolutionStatus::Failed { reason }, Vec::new(), None);
    }

    /// Fails the task when it followed more CNAMEs than allowed (a loop ends here too).
    fn check_chain_length(&mut self, maximum: usize) {
        if self.chain.len() > maximum {
            self.fail(FailureReason::CnameChainTooLong { limit: maximum });
        }
    }
}

impl Candidate {
    fn new(name: Name, addresses: Vec<IpAddr>) -> Self {
        Self {
            name,
            addresses,
            state: CandidateState::Untried,
        }
    }

    /// The address to ask: the first IPv4 one, else the first IPv6 one (one try per server).
    fn preferred_address(&self) -> Option<IpAddr> {
        self.addresses
            .iter()
            .find(|address| address.is_ipv4())
            .or_else(|| self.addresses.first())
            .copied()
    }
}

/// Counts a step against the limit; fails every task when the limit is reached.
fn take_step(run: &mut Run, config: &ResolverConfig) -> bool {
    if run.steps_taken >= config.maximum_steps {
        fail_everything(
            run,
            FailureReason::StepLimit {
                limit: config.maximum_steps,
            },
        );
        return false;
    }
    run.steps_taken += 1;
    true
}

/// Ends every task with `reason` (the sub-resolutions fold into their parents' traces later).
fn fail_everything(run: &mut Run, reason: FailureReason) {
    for task in &mut run.tasks {
        if !matches!(task.state, TaskState::Done(_)) {
            task.fail(reason.clone());
        }
    }
}

/// The start of a task, or its restart after a CNAME: the cache first, then the closest
/// delegation known (cached, or the root hints).
fn restart_from_cache(
    run: &mut Run,
    cache: &mut Cache,
    config: &ResolverConfig,
    root_hints: &RootHints,
) {
    let now = run.now;
    let Some(task) = run.tasks.last() else {
        return;
    };
    let name = task.current_name.clone();
    let qtype = task.qtype;

    let finding = if let Some((records, remaining_ttl)) = cache.rrset(&name, qtype, now) {
        Some((
            CachedFinding::Answer {
                records: records.iter().map(cached_record_line).collect(),
            },
            remaining_ttl,
            CacheOutcome::Answer(records),
        ))
    } else if let Some((cname, remaining_ttl)) = (qtype != RecordType::CNAME)
        .then(|| cache.rrset(&name, RecordType::CNAME, now))
        .flatten()
        .and_then(|(records, remaining)| {
            records.into_iter().next().map(|record| (record, remaining))
        })
    {
        match &cname.data {
            RData::CNAME(target) => Some((
                CachedFinding::Cname {
                    target: target.0.to_ascii(),
                },
                remaining_ttl,
                CacheOutcome::Cname(cname.clone(), target.0.clone()),
            )),
            _ => None,
        }
    } else if let Some(hit) = cache.nonexistent_name(&name, now) {
        Some((
            CachedFinding::NxDomain,
            hit.remaining_ttl,
            CacheOutcome::NxDomain(hit.soa),
        ))
    } else if let Some(hit) = cache.empty_type(&name, qtype, now) {
        Some((
            CachedFinding::NoData,
            hit.remaining_ttl,
            CacheOutcome::NoData(hit.soa),
        ))
    } else {
        None
    };

    if let Some((found, remaining_ttl, outcome)) = finding {
        if !take_step(run, config) {
            return;
        }
        let Some(task) = run.tasks.last_mut() else {
            return;
        };
        task.steps.push(TraceStep::CacheHit(CacheHitStep {
            name: name.to_ascii(),
            qtype: type_text(qtype),
            found,
            remaining_ttl,
        }));
        match outcome {
            CacheOutcome::Answer(records) => task.finish(ResolutionStatus::Answered, records, None),
            CacheOutcome::Cname(record, target) => {
                task.chain.push(record);
                task.current_name = target;
                task.state = TaskState::Restart;
                task.check_chain_length(config.maximum_cname_chain);
            }
            CacheOutcome::NxDomain(soa) => {
                task.finish(ResolutionStatus::NxDomain, Vec::new(), Some(soa))
            }
            CacheOutcome::NoData(soa) => {
                task.finish(ResolutionStatus::NoData, Vec::new(), Some(soa))
            }
        }
        return;
    }

    if let Some(hit) = cache.closest_delegation(&name, now) {
        if !take_step(run, config) {
            return;
        }
        let servers = hit
            .name_servers
            .iter()
            .map(|(server, glue)| {
                let addresses = if glue.is_empty() {
                    cache.addresses(server, now)
                } else {
                    glue.clone()
                };
                Candidate::new(server.clone(), addresses)
            })
            .collect();
        let Some(task) = run.tasks.last_mut() else {
            return;
        };
        task.steps.push(TraceStep::CacheHit(CacheHitStep {
            name: name.to_ascii(),
            qtype: type_text(qtype),
            found: CachedFinding::Delegation {
                zone: hit.zone.to_ascii(),
                name_servers: hit
                    .name_servers
                    .iter()
                    .map(|(server, _)| server.to_ascii())
                    .collect(),
            },
            remaining_ttl: hit.remaining_ttl,
        }));
        task.state = TaskState::Querying(Delegation {
            zone: hit.zone,
            servers,
        });
        return;
    }

    let Some(task) = run.tasks.last_mut() else {
        return;
    };
    task.state = TaskState::Querying(Delegation {
        zone: Name::root(),
        servers: root_hints
            .name_servers
            .iter()
            .map(|hint| Candidate::new(hint.name.clone(), hint.addresses.clone()))
            .collect(),
    });
}

enum CacheOutcome {
    Answer(Vec<Record>),
    Cname(Record, Name),
    NxDomain(Record),
    NoData(Record),
}

/// Picks the next server of the current delegation: an untried one with an address, else an
/// untried one whose address must be looked up first, else the zone has failed.
fn choose_server<Ids: QueryIdSource>(
    run: &mut Run,
    config: &ResolverConfig,
    query_ids: &mut Ids,
    cache: &mut Cache,
) {
    let now = run.now;
    let depth = run.tasks.len();
    let names_being_resolved: Vec<(Name, RecordType)> = run
        .tasks
        .iter()
        .map(|task| (task.current_name.clone(), task.qtype))
        .collect();
    let Some(task) = run.tasks.last_mut() else {
        return;
    };
    let TaskState::Querying(delegation) = &mut task.state else {
        return;
    };

    let ready = delegation.servers.iter().position(|candidate| {
        candidate.state == CandidateState::Untried && !candidate.addresses.is_empty()
    });
    if let Some(index) = ready {
        let Some(candidate) = delegation.servers.get(index) else {
            return;
        };
        let Some(address) = candidate.preferred_address() else {
            return;
        };
        let in_flight = InFlight {
            server_index: index,
            server_name: candidate.name.clone(),
            address,
            zone: delegation.zone.clone(),
            transport: Transport::Udp,
            query: Vec::new(),
            query_id: 0,
            name: task.current_name.clone(),
            qtype: task.qtype,
            sent_at: now,
        };
        send_query(run, config, query_ids, in_flight);
        return;
    }

    let needs_address = delegation
        .servers
        .iter()
        .position(|candidate| candidate.state == CandidateState::Untried);
    let Some(index) = needs_address else {
        let zone = delegation.zone.to_ascii();
        task.fail(FailureReason::AllServersFailed { zone });
        return;
    };
    let zone = delegation.zone.clone();
    let Some(candidate) = delegation.servers.get_mut(index) else {
        return;
    };
    // The address may have been learnt since the referral (by another sub-resolution).
    let cached = cache.addresses(&candidate.name, now);
    if !cached.is_empty() {
        candidate.addresses = cached;
        return;
    }
    let fault = if zone.zone_of(&candidate.name) {
        Some(Fault::MissingGlue)
    } else if names_being_resolved
        .iter()
        .any(|(name, qtype)| *name == candidate.name && *qtype == RecordType::A)
    {
        Some(Fault::DependencyLoop)
    } else if depth > config.maximum_sub_resolution_depth {
        Some(Fault::SubResolutionTooDeep)
    } else {
        None
    };
    if let Some(fault) = fault {
        candidate.state = CandidateState::Unusable;
        let name_server = candidate.name.to_ascii();
        task.steps.push(TraceStep::Fault(FaultStep {
            zone: zone.to_ascii(),
            name_server: Some(name_server),
            fault,
        }));
        return;
    }
    candidate.state = CandidateState::LookingUpAddress;
    let name_server = candidate.name.clone();
    run.tasks
        .push(Task::new(name_server, RecordType::A, Some(zone)));
}

/// Encodes the query of `in_flight` with a fresh ID and makes it the pending action.
fn send_query<Ids: QueryIdSource>(
    run: &mut Run,
    config: &ResolverConfig,
    query_ids: &mut Ids,
    mut in_flight: InFlight,
) {
    if !take_step(run, config) {
        return;
    }
    in_flight.query_id = query_ids.next_query_id();
    in_flight.sent_at = run.now;
    match encode_query(
        in_flight.query_id,
        &in_flight.name,
        in_flight.qtype,
        config.udp_payload_size,
    ) {
        Ok(query) => {
            in_flight.query = query;
            run.queries_sent += 1;
            run.in_flight = Some(in_flight);
        }
        Err(error) => {
            // Only a name hickory cannot write gets here; nothing can be asked about it.
            let Some(task) = run.tasks.last_mut() else {
                return;
            };
            task.steps.push(TraceStep::Query(in_flight.trace_step(
                Vec::new(),
                None,
                StepMeaning::Malformed {
                    reason: format!("the query could not be encoded: {error}"),
                },
            )));
            if let TaskState::Querying(delegation) = &mut task.state {
                if let Some(candidate) = delegation.servers.get_mut(in_flight.server_index) {
                    candidate.state = CandidateState::Tried;
                }
            }
        }
    }
}

/// The query an iterative resolver sends: RD clear (it asks authoritative servers), one
/// question, EDNS(0) with the UDP payload size of DNS Flag Day 2020.
pub fn encode_query(
    id: u16,
    name: &Name,
    qtype: RecordType,
    udp_payload_size: u16,
) -> Result<Vec<u8>, hickory_proto::ProtoError> {
    let mut message = Message::new(id, MessageType::Query, OpCode::Query);
    message.metadata.recursion_desired = false;
    message.add_query(Query::query(name.clone(), qtype));
    let mut edns = Edns::new();
    edns.set_max_payload(udp_payload_size);
    message.set_edns(edns);
    message.to_vec()
}

/// Pops a finished sub-resolution and hands its addresses to the server that waited for them.
fn finish_sub_resolution(run: &mut Run) {
    let Some(sub) = run.tasks.pop() else {
        return;
    };
    let (status, records) = match sub.state {
        TaskState::Done(end) => (end.status, end.records),
        TaskState::Restart | TaskState::Querying(_) => (
            ResolutionStatus::Failed {
                reason: FailureReason::Abandoned,
            },
            Vec::new(),
        ),
    };
    let addresses: Vec<IpAddr> = records.iter().filter_map(record_address).collect();
    let Some(parent) = run.tasks.last_mut() else {
        return;
    };
    parent
        .steps
        .push(TraceStep::SubResolution(SubResolutionStep {
            name: sub.name.to_ascii(),
            qtype: type_text(sub.qtype),
            for_zone: sub
                .for_zone
                .as_ref()
                .map(Name::to_ascii)
                .unwrap_or_default(),
            steps: sub.steps,
            addresses: addresses.clone(),
            status,
        }));
    if let TaskState::Querying(delegation) = &mut parent.state {
        if let Some(candidate) = delegation.servers.iter_mut().find(|candidate| {
            candidate.state == CandidateState::LookingUpAddress && candidate.name == sub.name
        }) {
            if addresses.is_empty() {
                candidate.state = CandidateState::Unusable;
            } else {
                candidate.addresses = addresses;
                candidate.state = CandidateState::Untried;
            }
        }
    }
}

/// Caches each CNAME of a chain as its own RRset.
fn store_chain(cache: &mut Cache, chain: &[Record], now: u64) {
    for record in chain {
        cache.store_rrset(std::slice::from_ref(record), now);
    }
}

/// The name a chain ends at: the last CNAME's target, or `start` for an empty chain.
fn last_name_of(chain: &[Record], start: &Name) -> Name {
    chain
        .last()
        .and_then(|record| match &record.data {
            RData::CNAME(target) => Some(target.0.clone()),
            _ => None,
        })
        .unwrap_or_else(|| start.clone())
}

fn type_text(qtype: RecordType) -> TypeText {
    TypeText::new(u16::from(qtype))
}

/// The response a recursive resolver sends to its stub: RA set, RD and ID copied, no AA (the
/// data comes from other servers), the CNAME chain then the answer, the SOA for negative
/// answers, OPT when the stub used EDNS.
fn stub_response(
    run: &Run,
    response_code: ResponseCode,
    chain: &[Record],
    records: &[Record],
    soa: Option<&Record>,
) -> Vec<u8> {
    let mut message = Message::new(run.stub.id, MessageType::Response, OpCode::Query);
    message.metadata.recursion_desired = run.stub.recursion_desired;
    message.metadata.recursion_available = true;
    message.metadata.response_code = response_code;
    message.add_query(Query::query(run.name.clone(), run.qtype));
    if response_code != ResponseCode::ServFail {
        message.add_answers(chain.iter().cloned());
        message.add_answers(records.iter().cloned());
        if let Some(soa) = soa {
            message.add_authority(soa.clone());
        }
    }
    if let Some(payload) = run.stub.edns_udp_payload_size {
        let mut edns = Edns::new();
        edns.set_max_payload(payload);
        message.set_edns(edns);
    }
    match message.to_vec() {
        Ok(bytes) => bytes,
        Err(_) => {
            // Fall back to a bare SERVFAIL, which always encodes.
            let mut failure = Message::new(run.stub.id, MessageType::Response, OpCode::Query);
            failure.metadata.recursion_desired = run.stub.recursion_desired;
            failure.metadata.recursion_available = true;
            failure.metadata.response_code = ResponseCode::ServFail;
            failure.to_vec().unwrap_or_default()
        }
    }
}
