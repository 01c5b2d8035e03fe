//! The Resolve tab's part of the store: the question, the resolution, how far the learner has
//! stepped through it, which step is open, and the resolver session (its cache) on a simulated
//! clock.

use std::cell::RefCell;
use std::rc::Rc;

use dnslab_core::page::resolve::{
    cache_at, CacheRow, PageResolution, ResolveSession, DEFAULT_START_TIME,
};
use dnslab_core::world::World;

/// The resolver session (its cache), shared and compared by identity.
#[derive(Debug, Clone)]
pub struct SharedSession(pub Rc<RefCell<ResolveSession>>);

impl PartialEq for SharedSession {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Which view of the resolution is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResolveView {
    /// The ladder of steps.
    Steps,
    /// The `dig +trace` text.
    Trace,
    /// `dnslab resolve --json`.
    Json,
}

/// Everything Resolve shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolveState {
    /// The name as typed.
    pub name: String,
    /// The type as typed.
    pub qtype: String,
    /// The last resolution, or why it could not start.
    pub resolution: Option<Result<Rc<PageResolution>, String>>,
    /// How many steps are shown (the timeline's position); all of them after "run to the end".
    pub shown: usize,
    /// The step whose messages are open.
    pub open_step: Option<usize>,
    /// The view.
    pub view: ResolveView,
    /// The simulated clock, in seconds.
    pub now: u64,
    /// The resolver and its cache (made with the first resolution).
    pub session: Option<SharedSession>,
    /// The cache at `now`.
    pub cache: Rc<Vec<CacheRow>>,
}

impl Default for ResolveState {
    fn default() -> Self {
        Self {
            name: "alias.example.com".to_owned(),
            qtype: "AAAA".to_owned(),
            resolution: None,
            shown: 0,
            open_step: None,
            view: ResolveView::Steps,
            now: DEFAULT_START_TIME,
            session: None,
            cache: Rc::new(Vec::new()),
        }
    }
}

/// What Resolve's views ask of the store.
#[derive(Debug, Clone, PartialEq)]
pub enum ResolveAction {
    /// The name field changed.
    Name(String),
    /// The type field changed.
    Type(String),
    /// Resolve the question; `true` shows every step at once, `false` starts at the first.
    Resolve(bool),
    /// Resolve this name and type (a preset or a link), every step shown.
    Ask(String, String),
    /// Show this many steps.
    Show(usize),
    /// Open a step's messages.
    Open(Option<usize>),
    /// Switch the view.
    View(ResolveView),
    /// Move the simulated clock forward by this many seconds.
    Advance(u64),
    /// Forget the cache.
    Flush,
}

impl ResolveState {
    /// The number of steps of the resolution on screen.
    pub fn step_count(&self) -> usize {
        match &self.resolution {
            Some(Ok(resolution)) => resolution.steps.len(),
            _ => 0,
        }
    }

    /// Applies one action over `world` (the built-in zones with the user's edits).
    pub fn apply(&mut self, action: ResolveAction, world: &World) {
        match action {
            ResolveAction::Name(name) => self.name = name,
            ResolveAction::Type(qtype) => self.qtype = qtype,
            ResolveAction::Resolve(run_to_end) => self.resolve(world, run_to_end),
            ResolveAction::Ask(name, qtype) => {
                self.name = name;
                self.qtype = qtype;
                self.resolve(world, true);
            }
            ResolveAction::Show(count) => {
                self.shown = count.min(self.step_count());
                self.open_step = self.shown.checked_sub(1);
            }
            ResolveAction::Open(step) => self.open_step = step,
            ResolveAction::View(view) => self.view = view,
            ResolveAction::Advance(seconds) => {
                self.now = self.now.saturating_add(seconds);
                self.refresh_cache();
            }
            ResolveAction::Flush => {
                if let Some(session) = &self.session {
                    session.0.borrow_mut().clear_cache();
                }
                self.refresh_cache();
            }
        }
    }

    fn resolve(&mut self, world: &World, run_to_end: bool) {
        let session = self
            .session
            .get_or_insert_with(|| SharedSession(Rc::new(RefCell::new(ResolveSession::new(world)))))
            .clone();
        let result = session
            .0
            .borrow_mut()
            .resolve(world, &self.name, &self.qtype, self.now);
        self.resolution = Some(result.map(Rc::new));
        let count = self.step_count();
        self.shown = if run_to_end { count } else { count.min(1) };
        self.open_step = self.shown.checked_sub(1);
        self.refresh_cache();
    }

    fn refresh_cache(&mut self) {
        self.cache = Rc::new(match (&self.session, &self.resolution) {
            (Some(session), _) => session.0.borrow().cache_at(self.now),
            (None, Some(Ok(resolution))) => cache_at(resolution, self.now),
            _ => Vec::new(),
        });
    }
}
