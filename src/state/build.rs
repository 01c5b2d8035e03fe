//! The Build tab's part of the store: the form, the query it makes, the built-in zones' answer,
//! the bridge connection and the session's history of sent queries.

use std::rc::Rc;

use dnslab_core::page::build::{
    answer_builtin, build_query, default_server, BuildForm, BuiltQuery, FieldProblem,
};
use dnslab_core::page::{dns_message_view, MessageView};
use dnslab_core::world::World;

use crate::bridge::{AnswerMetadata, BridgeEvent, ConnectionStatus};

/// The built-in mini-internet, shared and compared by identity (it changes only when the zones
/// are edited, and then it is a new value).
#[derive(Debug, Clone)]
pub struct SharedWorld(pub Rc<World>);

impl PartialEq for SharedWorld {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Default for SharedWorld {
    /// The world the page answers from (shared with `window.dnslab`).
    fn default() -> Self {
        Self(crate::api::world())
    }
}

/// An answer on screen beside the query.
#[derive(Debug, Clone, PartialEq)]
pub struct ShownResponse {
    /// Where it came from: `a.gtld-servers.net. (built-in, 192.5.6.30)` or
    /// `bridge → 127.0.0.1:53 over UDP, 0.41 ms (page: 0.63 ms)`.
    pub source: String,
    /// Its tree and bytes.
    pub view: MessageView,
    /// What it means, in words (the built-in zones' answers; bridge answers are read the same way).
    pub headline: String,
    /// One sentence per flag.
    pub flags: Vec<String>,
}

/// How a sent query ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Waiting for the bridge.
    Pending,
    /// The response.
    Answered(Rc<ShownResponse>),
    /// Refused, timed out, not connected: the words.
    Failed(String),
}

/// One query sent in this session.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    /// Its number in the session, from 1.
    pub number: usize,
    /// The DNS ID.
    pub id: u16,
    /// `www.example.com. A`.
    pub question: String,
    /// `built-in`, `bridge`, or `bridge (Resolve)` for Resolve's live comparison.
    pub via: &'static str,
    /// The query's bytes.
    pub query: Rc<Vec<u8>>,
    /// What came back.
    pub outcome: Outcome,
}

/// The bridge as the page knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct BridgeView {
    /// The bridge's address as the user typed it; empty for the one that served the page.
    pub address: String,
    /// Its upstreams (`None` until asked).
    pub upstreams: Option<Result<Vec<String>, String>>,
    /// The upstream chosen (empty: the bridge's default).
    pub upstream: String,
    /// The connection.
    pub status: ConnectionStatus,
}

/// Everything Build shows.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildState {
    /// The form as typed.
    pub form: BuildForm,
    /// The problems of the form as typed (empty when it makes a query).
    pub problems: Rc<Vec<FieldProblem>>,
    /// Number fields whose text is not a number in range, with the words (the form keeps the
    /// last good value meanwhile).
    pub number_problems: Rc<Vec<FieldProblem>>,
    /// The last query the form made (stays on screen while the form is invalid).
    pub query: Option<Rc<BuiltQuery>>,
    /// Draw a new random ID for each query sent.
    pub random_id: bool,
    /// The simulated server chosen by index into the world's servers; `None`: the one
    /// authoritative for the name.
    pub server: Option<usize>,
    /// The answer on screen.
    pub response: Option<Result<Rc<ShownResponse>, String>>,
    /// The bridge.
    pub bridge: BridgeView,
    /// Sent queries, newest first.
    pub history: Vec<HistoryEntry>,
    /// How many queries were sent (numbers the history).
    pub sent: usize,
}

/// How the history names a query Resolve's live comparison sent.
pub const LIVE_COMPARISON: &str = "bridge (Resolve)";

/// The history keeps this many entries.
const HISTORY_LENGTH: usize = 20;

impl Default for BuildState {
    /// The default form, its query not built yet: Build builds it when it is first opened or
    /// asked (see [`BuildState::ensure_built`]), so that a page opened on another tab does not
    /// encode and dissect a query before its first paint.
    fn default() -> Self {
        Self {
            form: BuildForm::default(),
            problems: Rc::new(Vec::new()),
            number_problems: Rc::new(Vec::new()),
            query: None,
            random_id: true,
            server: None,
            response: None,
            bridge: BridgeView {
                address: String::new(),
                upstreams: None,
                upstream: String::new(),
                status: ConnectionStatus::Idle,
            },
            history: Vec::new(),
            sent: 0,
        }
    }
}

/// What Build's views ask of the store.
#[derive(Debug, Clone, PartialEq)]
pub enum BuildAction {
    /// The form changed.
    Form(BuildForm),
    /// Random IDs on or off.
    RandomId(bool),
    /// A number field's text is out of range (the problem), or fine again (`None` message).
    NumberText(&'static str, Option<String>),
    /// Choose the simulated server (`None`: the authoritative one).
    Server(Option<usize>),
    /// Ask the built-in zones; the new ID drawn for it when IDs are random.
    SendBuiltin(Option<u16>),
    /// A query was handed to the bridge (its bytes), or could not be (the words); with the new
    /// ID drawn for it when IDs are random.
    SentToBridge(Option<u16>, Result<Rc<Vec<u8>>, String>),
    /// The bridge's address or upstream changed.
    BridgeAddress(String),
    /// The upstream chosen.
    Upstream(String),
    /// Something from the bridge client.
    Bridge(BridgeEvent),
    /// Show a history entry's response again.
    Reopen(usize),
    /// Resolve's live comparison handed a query to the bridge: its bytes, `name TYPE`, and
    /// whether it went (or the words why not).
    SentFromResolve(Rc<Vec<u8>>, String, Result<(), String>),
}

impl BuildState {
    /// Builds the form's query the first time Build needs it (its tab opened, or an action).
    pub fn ensure_built(&mut self) {
        if self.query.is_none() && self.problems.is_empty() {
            self.rebuild();
        }
    }

    fn rebuild(&mut self) {
        match build_query(&self.form) {
            Ok(query) => {
                self.query = Some(Rc::new(query));
                self.problems = Rc::new(Vec::new());
            }
            Err(problems) => self.problems = Rc::new(problems),
        }
    }

    fn question(&self) -> String {
        self.query.as_ref().map_or_else(String::new, |query| {
            format!(
                "{} {}",
                query.name_ascii,
                self.form.qtype.to_ascii_uppercase()
            )
        })
    }

    fn push_history(&mut self, entry: HistoryEntry) {
        self.history.insert(0, entry);
        self.history.truncate(HISTORY_LENGTH);
    }

    /// Applies one action.
    pub fn apply(&mut self, action: BuildAction, world: &World) {
        // A new form is built below anyway.
        if !matches!(action, BuildAction::Form(_)) {
            self.ensure_built();
        }
        match action {
            BuildAction::Form(form) => {
                self.form = form;
                self.rebuild();
            }
            BuildAction::RandomId(random) => self.random_id = random,
            BuildAction::NumberText(field, message) => {
                let mut problems: Vec<FieldProblem> = self
                    .number_problems
                    .iter()
                    .filter(|problem| problem.field != field)
                    .cloned()
                    .collect();
                if let Some(message) = message {
                    problems.push(FieldProblem { field, message });
                }
                self.number_problems = Rc::new(problems);
            }
            BuildAction::Server(server) => self.server = server,
            BuildAction::SendBuiltin(new_id) => {
                self.take_new_id(new_id);
                let Some(query) = self.query.clone() else {
                    return;
                };
                let server = self
                    .server
                    .or_else(|| default_server(world, &query.name_ascii));
                let response = match server {
                    Some(server) => answer_builtin(world, server, &query.bytes).map(|answer| {
                        Rc::new(ShownResponse {
                            source: format!("{} (built-in)", answer.server),
                            view: answer.view,
                            headline: answer.meaning.headline,
                            flags: answer.meaning.flags,
                        })
                    }),
                    None => Err("No built-in server serves a zone for this name.".to_owned()),
                };
                self.sent += 1;
                let entry = HistoryEntry {
                    number: self.sent,
                    id: self.form.id,
                    question: self.question(),
                    via: "built-in",
                    query: query.bytes.clone(),
                    outcome: match &response {
                        Ok(shown) => Outcome::Answered(shown.clone()),
                        Err(error) => Outcome::Failed(error.clone()),
                    },
                };
                self.push_history(entry);
                self.response = Some(response);
            }
            BuildAction::SentToBridge(new_id, result) => {
                self.take_new_id(new_id);
                let (query, outcome) = match result {
                    Ok(sent) => (sent, Outcome::Pending),
                    Err(error) => {
                        self.response = Some(Err(error.clone()));
                        let Some(query) = self.query.as_ref() else {
                            return;
                        };
                        (query.bytes.clone(), Outcome::Failed(error))
                    }
                };
                self.sent += 1;
                let entry = HistoryEntry {
                    number: self.sent,
                    id: match query.as_slice() {
                        [high, low, ..] => u16::from_be_bytes([*high, *low]),
                        _ => self.form.id,
                    },
                    question: self.question(),
                    via: "bridge",
                    query,
                    outcome,
                };
                self.push_history(entry);
            }
            BuildAction::SentFromResolve(query, question, result) => {
                self.sent += 1;
                let id = match query.as_slice() {
                    [high, low, ..] => u16::from_be_bytes([*high, *low]),
                    _ => 0,
                };
                let entry = HistoryEntry {
                    number: self.sent,
                    id,
                    question,
                    via: LIVE_COMPARISON,
                    query,
                    outcome: match result {
                        Ok(()) => Outcome::Pending,
                        Err(error) => Outcome::Failed(error),
                    },
                };
                self.push_history(entry);
            }
            BuildAction::BridgeAddress(address) => {
                self.bridge.address = address;
                self.bridge.upstreams = None;
                self.bridge.upstream = String::new();
            }
            BuildAction::Upstream(upstream) => self.bridge.upstream = upstream,
            BuildAction::Bridge(event) => self.bridge_event(event),
            BuildAction::Reopen(number) => {
                if let Some(entry) = self.history.iter().find(|entry| entry.number == number) {
                    self.response = Some(match &entry.outcome {
                        Outcome::Answered(shown) => Ok(shown.clone()),
                        Outcome::Failed(error) => Err(error.clone()),
                        Outcome::Pending => Err("Still waiting for the bridge.".to_owned()),
                    });
                }
            }
        }
    }

    /// Puts the freshly drawn ID into the form and rebuilds the query with it.
    fn take_new_id(&mut self, new_id: Option<u16>) {
        if let Some(id) = new_id {
            self.form.id = id;
            self.rebuild();
        }
    }

    /// The newest query Resolve's live comparison sent, with what came back.
    pub fn live_comparison(&self) -> Option<&HistoryEntry> {
        self.history
            .iter()
            .find(|entry| entry.via == LIVE_COMPARISON)
    }

    fn bridge_event(&mut self, event: BridgeEvent) {
        match event {
            BridgeEvent::Status(status) => self.bridge.status = status,
            BridgeEvent::Upstreams(upstreams) => {
                // Without `?upstream=` the bridge uses its first one: show that choice.
                if let (Ok(list), true) = (&upstreams, self.bridge.upstream.is_empty()) {
                    self.bridge.upstream = list.first().cloned().unwrap_or_default();
                }
                self.bridge.upstreams = Some(upstreams);
            }
            BridgeEvent::Answer {
                metadata,
                response,
                page_ms,
            } => {
                let entry = self
                    .history
                    .iter_mut()
                    .find(|entry| entry.id == metadata.id && entry.outcome == Outcome::Pending);
                let query = entry
                    .as_ref()
                    .map(|entry| entry.query.clone())
                    .unwrap_or_default();
                let shown = Rc::new(bridge_response(&metadata, &query, &response, page_ms));
                // Resolve's live comparison shows its own answer; Build's stays.
                let for_resolve = entry
                    .as_ref()
                    .is_some_and(|entry| entry.via == LIVE_COMPARISON);
                if let Some(entry) = entry {
                    entry.outcome = Outcome::Answered(shown.clone());
                }
                if !for_resolve {
                    self.response = Some(Ok(shown));
                }
            }
            BridgeEvent::Failed { id, error } => {
                let mut for_resolve = false;
                if let Some(entry) = self.history.iter_mut().find(|entry| {
                    entry.outcome == Outcome::Pending && id.is_none_or(|id| id == entry.id)
                }) {
                    for_resolve = entry.via == LIVE_COMPARISON;
                    entry.outcome = Outcome::Failed(error.clone());
                }
                if !for_resolve {
                    self.response = Some(Err(error));
                }
            }
        }
    }
}

/// A bridge answer on screen: `query` is what was sent (empty when the page lost track of it).
fn bridge_response(
    metadata: &AnswerMetadata,
    query: &[u8],
    response: &Rc<Vec<u8>>,
    page_ms: f64,
) -> ShownResponse {
    let transport = metadata.transport.to_ascii_uppercase();
    let bridge_ms = metadata.rtt_us as f64 / 1000.0;
    let view = dns_message_view(
        response,
        format!(
            "{} over {transport}: DNS, {} bytes",
            metadata.upstream,
            response.len()
        ),
    );
    let meaning = dnslab_core::page::build::describe_response(query, response);
    ShownResponse {
        source: format!(
            "{} via the bridge, over {transport}: {bridge_ms:.2} ms at the bridge, {page_ms:.2} ms from the page",
            metadata.upstream
        ),
        view,
        headline: meaning.headline,
        flags: meaning.flags,
    }
}
