//! The page's one store: every piece of state the views share, changed only through [`Action`].

pub mod build;
pub mod resolve;
pub mod zones;

use std::cell::Cell;
use std::collections::HashSet;
use std::rc::Rc;

use dnslab_core::page::{
    decode_for_page, FieldTree, NodeId, PageDecode, PageOptions, PageProgress,
};
use yew::prelude::*;

/// The four tabs, in the contract's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Read a packet.
    Decode,
    /// Build a query.
    Build,
    /// Watch a resolution.
    Resolve,
    /// Edit the built-in zones.
    Zones,
}

impl Tab {
    /// Every tab, in order.
    pub const ALL: [Tab; 4] = [Tab::Decode, Tab::Build, Tab::Resolve, Tab::Zones];

    /// The tab's name, as the contract spells it.
    pub fn name(self) -> &'static str {
        match self {
            Tab::Decode => "Decode",
            Tab::Build => "Build",
            Tab::Resolve => "Resolve",
            Tab::Zones => "Zones",
        }
    }
}

/// Which text view of the message is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextView {
    /// The field tree and the hex pane.
    Tree,
    /// dig-style text.
    Dig,
    /// RFC 8427 JSON.
    Json,
}

/// Names one reading of a capture in steps (see `decode_tab::load_file`); its loop stops once
/// the ticket is cancelled (another file, a paste, a new override).
#[derive(Debug, Clone, Default)]
pub struct LoadTicket(Rc<Cell<bool>>);

impl LoadTicket {
    /// Tells the reading to stop.
    pub fn cancel(&self) {
        self.0.set(true);
    }

    /// True once the reading is no longer wanted.
    pub fn cancelled(&self) -> bool {
        self.0.get()
    }
}

/// The same reading, not merely one in the same state.
impl PartialEq for LoadTicket {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// A capture being read in steps (the file is [`PageState::file`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Loading {
    /// How far the reading is.
    pub progress: Option<PageProgress>,
    /// The reading's ticket: progress and results of other readings are ignored.
    pub ticket: LoadTicket,
}

/// Everything on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct PageState {
    /// The open tab.
    pub tab: Tab,
    /// A plain-language note about the link that opened the page, when it was not understood.
    pub notice: Option<String>,
    /// The paste box's text.
    pub paste: String,
    /// A capture file opened or dropped (its name and bytes); decoded instead of the paste.
    pub file: Option<(String, Rc<Vec<u8>>)>,
    /// The user's start-offset override.
    pub forced_offset: Option<usize>,
    /// The user's format override, by name.
    pub forced_format: Option<String>,
    /// Which message of the paste is shown.
    pub message_index: usize,
    /// What the core made of the paste: `None` while it is empty (or a file is being read).
    pub decoded: Option<Result<Rc<PageDecode>, String>>,
    /// A capture file being read in steps, with its progress.
    pub loading: Option<Loading>,
    /// The text view.
    pub view: TextView,
    /// The guide's step on screen (`None`: closed).
    pub guide: Option<usize>,
    /// True once the tour has started (the first panel only offers it).
    pub guide_started: bool,
    /// The Build tab.
    pub build: build::BuildState,
    /// The Resolve tab.
    pub resolve: resolve::ResolveState,
    /// The Zones tab.
    pub zones: zones::ZonesState,
    /// The built-in mini-internet, made when first needed (Decode does without it).
    pub world: Option<build::SharedWorld>,
}

impl Default for PageState {
    fn default() -> Self {
        Self {
            tab: Tab::Decode,
            notice: None,
            paste: String::new(),
            file: None,
            forced_offset: None,
            forced_format: None,
            message_index: 0,
            decoded: None,
            loading: None,
            view: TextView::Tree,
            guide: None,
            guide_started: false,
            build: build::BuildState::default(),
            resolve: resolve::ResolveState::default(),
            zones: zones::ZonesState::default(),
            world: None,
        }
    }
}

/// What the views ask the store to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Open a tab.
    OpenTab(Tab),
    /// Show a notice (or clear it).
    Notice(Option<String>),
    /// The paste box changed.
    Paste(String),
    /// A capture file was opened: it is read in steps with these options
    /// (`decode_tab::load_file`).
    StartLoad {
        /// The file's name and bytes.
        file: (String, Rc<Vec<u8>>),
        /// The overrides and the message to show.
        options: PageOptions,
        /// The reading's ticket.
        ticket: LoadTicket,
    },
    /// The reading with this ticket got this far.
    LoadProgress(LoadTicket, PageProgress),
    /// The reading with this ticket is done.
    Loaded(LoadTicket, Result<Rc<PageDecode>, String>),
    /// The start-offset override changed.
    ForceOffset(Option<usize>),
    /// The format override changed.
    ForceFormat(Option<String>),
    /// Show another message of the paste.
    PickMessage(usize),
    /// Switch the text view.
    View(TextView),
    /// Something on the Build tab.
    Build(build::BuildAction),
    /// Something on the Resolve tab.
    Resolve(resolve::ResolveAction),
    /// Something on the Zones tab.
    Zones(zones::ZonesAction),
    /// Show the guide at a step, or close it.
    Guide(Option<usize>),
    /// Offer the guide (a first visit).
    OfferGuide,
}

impl PageState {
    /// The tree of the message on screen.
    pub fn tree(&self) -> Option<&FieldTree> {
        match &self.decoded {
            Some(Ok(decoded)) => Some(&decoded.selected.tree),
            _ => None,
        }
    }

    /// Stops a reading in steps, if one runs.
    fn stop_loading(&mut self) {
        if let Some(loading) = self.loading.take() {
            loading.ticket.cancel();
        }
    }

    fn redecode(&mut self) {
        self.stop_loading();
        if self.file.is_none() && self.paste.trim().is_empty() {
            self.decoded = None;
            return;
        }
        let options = PageOptions {
            forced_offset: self.forced_offset,
            forced_format: self.forced_format.clone(),
            message_index: self.message_index,
        };
        let input = match &self.file {
            Some((_, bytes)) => bytes.as_slice(),
            None => self.paste.as_bytes(),
        };
        self.decoded = Some(
            decode_for_page(input, &options)
                .map(Rc::new)
                .map_err(|error| error.to_string()),
        );
    }
}

/// Records of a message with more than this many start closed (they would bury the rest).
const RECORDS_SHOWN_OPEN: usize = 16;

/// What starts open: the DNS message down to each record and the header's fields, as Wireshark
/// opens a packet's DNS subtree when asked; flag bits and the layers below start closed, and so
/// do the records of a message with more than [`RECORDS_SHOWN_OPEN`].
pub fn default_expansion(tree: &FieldTree) -> HashSet<NodeId> {
    let entries = tree
        .nodes
        .iter()
        .filter(|node| node.key.ends_with(".record") || node.key == "question.entry")
        .count();
    tree.nodes
        .iter()
        .filter(|node| !node.children.is_empty())
        .filter(|node| {
            let in_dns = tree
                .ancestors(node.id)
                .last()
                .and_then(|root| tree.node(*root))
                .is_some_and(|root| root.key == "dns");
            let holds_bits = node
                .children
                .first()
                .and_then(|child| tree.node(*child))
                .is_some_and(|child| child.bits.is_some());
            let is_entry = node.depth == 2 && node.key != "header";
            in_dns && node.depth <= 2 && !holds_bits && (!is_entry || entries <= RECORDS_SHOWN_OPEN)
        })
        .map(|node| node.id)
        .collect()
}

impl Reducible for PageState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut state = (*self).clone();
        match action {
            Action::OpenTab(tab) => {
                state.tab = tab;
                match tab {
                    Tab::Zones => state.zones.ensure_listed(),
                    Tab::Build => state.build.ensure_built(),
                    Tab::Decode | Tab::Resolve => {}
                }
            }
            Action::Notice(notice) => state.notice = notice,
            Action::Paste(text) => {
                state.paste = text;
                state.file = None;
                state.message_index = 0;
                state.redecode();
            }
            Action::StartLoad {
                file,
                options,
                ticket,
            } => {
                state.stop_loading();
                state.paste = String::new();
                state.loading = Some(Loading {
                    progress: None,
                    ticket,
                });
                state.file = Some(file);
                state.forced_offset = options.forced_offset;
                state.forced_format = options.forced_format;
                state.message_index = options.message_index;
                state.decoded = None;
            }
            Action::LoadProgress(ticket, progress) => {
                if let Some(loading) = state
                    .loading
                    .as_mut()
                    .filter(|loading| loading.ticket == ticket)
                {
                    loading.progress = Some(progress);
                }
            }
            Action::Loaded(ticket, result) => {
                if state
                    .loading
                    .as_ref()
                    .is_some_and(|loading| loading.ticket == ticket)
                {
                    state.loading = None;
                    state.decoded = Some(result);
                }
            }
            Action::ForceOffset(offset) => {
                state.forced_offset = offset;
                state.redecode();
            }
            Action::ForceFormat(format) => {
                state.forced_format = format;
                state.redecode();
            }
            Action::PickMessage(index) => {
                state.message_index = index;
                if let Some(Ok(decoded)) = &state.decoded {
                    state.decoded = Some(Ok(Rc::new(decoded.select(index))));
                }
            }
            Action::View(view) => state.view = view,
            Action::Build(action) => {
                let world = state
                    .world
                    .get_or_insert_with(build::SharedWorld::default)
                    .clone();
                state.build.apply(action, &world.0);
            }
            Action::Resolve(action) => {
                let world = state
                    .world
                    .get_or_insert_with(build::SharedWorld::default)
                    .clone();
                state.resolve.apply(action, &world.0);
            }
            Action::Guide(step) => {
                state.guide_started = step.is_some();
                state.guide = step;
            }
            Action::OfferGuide => {
                state.guide = Some(0);
                state.guide_started = false;
            }
            Action::Zones(action) => {
                if state.zones.apply(action) {
                    let world = state.zones.world();
                    crate::api::set_world(world.clone());
                    state.world = Some(build::SharedWorld(world));
                }
            }
        }
        Rc::new(state)
    }
}
