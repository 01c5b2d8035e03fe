//! The Zones tab's part of the store: the user's zone edits over the built-in zones, each
//! zone's check, the world they make (used by Build, Resolve and `window.dnslab`), and what
//! `localStorage` held when the page opened.

use std::collections::BTreeSet;
use std::rc::Rc;

use dnslab_core::page::zones::{
    apply_parsed_edits, builtin_zone_texts, check_and_parse_zone, decode_stored,
    delegation_records, encode_stored, new_zone_template, parent_zone, ParsedZone, StoredEdit,
    ZoneCheck, ZoneText,
};
use dnslab_core::world::World;

/// One zone as the editor shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneEntry {
    /// Its origin (`example.com.`).
    pub origin: String,
    /// The text on screen.
    pub text: String,
    /// The servers that serve it (built-in zones; a new zone's come from its NS records).
    pub servers: Vec<String>,
    /// True for a zone the page has built in.
    pub builtin: bool,
    /// True when the text differs from the built-in one (always for added zones).
    pub edited: bool,
    /// What the checks say of the text.
    pub check: Rc<ZoneCheck>,
    /// The zone parsed from the last text of this zone that had no error (what the world keeps
    /// using while the text on screen has one); `None` before any. Kept parsed so that making
    /// the world parses nothing again.
    pub last_valid: Option<ParsedZone>,
    /// The text `last_valid` was parsed from, stored with an erring text so that it still
    /// applies after a reload.
    pub last_valid_text: Option<Rc<String>>,
}

/// Everything Zones shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ZonesState {
    /// Every zone, built-in ones first in the world's order, then added ones.
    pub zones: Vec<ZoneEntry>,
    /// Zones whose editors are open.
    pub open: BTreeSet<String>,
    /// The "new zone" field.
    pub new_origin: String,
    /// Why the last add, import or delegation failed.
    pub problem: Option<String>,
    /// A delegation offered for a new zone: (parent origin, the records to add to it).
    pub offer: Option<(String, String)>,
    /// Stored edits that could not be read when the page opened: the raw text and why. They
    /// stay in storage (under their own key) until the user discards them.
    pub unreadable: Option<(String, String)>,
    /// Counts the changes to the edits: each new value is written to storage (a counter, not a
    /// flag, so two changes in one render are not mistaken for one already saved).
    pub revision: u64,
}

/// The built-in zone texts, read once (the editor compares edits with them).
fn builtin_texts() -> Rc<Vec<ZoneText>> {
    thread_local! {
        static TEXTS: Rc<Vec<ZoneText>> = Rc::new(builtin_zone_texts());
    }
    TEXTS.with(Rc::clone)
}

/// The built-in world, made once; edits apply over a clone of it.
pub fn builtin_world() -> Rc<World> {
    thread_local! {
        static WORLD: Rc<World> = Rc::new(World::builtin());
    }
    WORLD.with(Rc::clone)
}

impl Default for ZonesState {
    /// No zones yet: the built-in texts (which take parsing every built-in zone to list their
    /// servers) are read when the Zones tab or an edit first needs them, not at page start.
    fn default() -> Self {
        Self {
            zones: Vec::new(),
            open: BTreeSet::new(),
            new_origin: String::new(),
            problem: None,
            offer: None,
            unreadable: None,
            revision: 0,
        }
    }
}

/// The built-in zones as the editor lists them first.
fn builtin_entries() -> Vec<ZoneEntry> {
    builtin_texts()
        .iter()
        .map(|zone| ZoneEntry {
            origin: zone.origin.clone(),
            text: zone.text.clone(),
            servers: zone.servers.clone(),
            builtin: true,
            edited: false,
            check: Rc::new(ZoneCheck::default()),
            last_valid: None,
            last_valid_text: None,
        })
        .collect()
}

/// What Zones' views ask of the store.
#[derive(Debug, Clone, PartialEq)]
pub enum ZonesAction {
    /// The stored edits, as `localStorage` held them (`None`: nothing stored).
    Load(Option<String>),
    /// A zone's text changed.
    Edit(String, String),
    /// Open or close a zone's editor.
    SetOpen(String, bool),
    /// The "new zone" field changed.
    NewOrigin(String),
    /// Add the zone named in the "new zone" field, from the template.
    Add,
    /// Add a zone from an imported file: its origin and text.
    Import(String, String),
    /// Add the offered delegation records to the parent zone.
    AcceptOffer,
    /// Drop the offer.
    DismissOffer,
    /// Delete an added zone, or put a built-in one back as it was.
    Remove(String),
    /// Every zone back to the built-in one.
    Reset,
    /// Forget the unreadable stored text.
    DiscardUnreadable,
    /// Show a problem (import failures).
    Problem(String),
}

impl ZonesState {
    /// The edits as typed: every edited or added zone, in order (what is stored and exported).
    pub fn edits(&self) -> Vec<(String, String)> {
        self.zones
            .iter()
            .filter(|zone| zone.edited)
            .map(|zone| (zone.origin.clone(), zone.text.clone()))
            .collect()
    }

    /// The edits the world is made of, parsed: a zone whose text has an error counts with its
    /// last valid text, and one that never had a valid text is left out (its checks report it).
    fn applied_edits(&self) -> Vec<(String, ParsedZone)> {
        self.zones
            .iter()
            .filter(|zone| zone.edited)
            .filter_map(|zone| {
                let parsed = zone.last_valid.clone()?;
                Some((zone.origin.clone(), parsed))
            })
            .collect()
    }

    /// The world these zones make (the built-in one when nothing is edited).
    pub fn world(&self) -> Rc<World> {
        let edits = self.applied_edits();
        if edits.is_empty() {
            return builtin_world();
        }
        Rc::new(apply_parsed_edits(&builtin_world(), &edits).0)
    }

    /// The text written to storage: every edit as typed, with the last valid text of those
    /// that have an error now.
    pub fn stored(&self) -> String {
        let edits: Vec<StoredEdit> = self
            .zones
            .iter()
            .filter(|zone| zone.edited)
            .map(|zone| StoredEdit {
                origin: zone.origin.clone(),
                text: zone.text.clone(),
                last_valid: if zone.check.errors.is_empty() {
                    None
                } else {
                    zone.last_valid_text.as_deref().cloned()
                },
            })
            .collect();
        encode_stored(&edits)
    }

    /// Lists the built-in zones, the first time they are needed.
    pub fn ensure_listed(&mut self) {
        if self.zones.is_empty() {
            self.zones = builtin_entries();
        }
    }

    /// Applies one action; `true` when the zones changed (so the world must be made again).
    pub fn apply(&mut self, action: ZonesAction) -> bool {
        if action == ZonesAction::Load(None) {
            return false;
        }
        self.ensure_listed();
        match action {
            ZonesAction::Load(None) => false,
            ZonesAction::Load(Some(text)) => match decode_stored(&text) {
                Ok(edits) => {
                    for edit in edits {
                        // The last valid text first: it stays applied under the erring one.
                        if let Some(valid) = edit.last_valid {
                            self.set_text(&edit.origin, valid);
                        }
                        self.set_text(&edit.origin, edit.text);
                    }
                    true
                }
                Err(reason) => {
                    self.unreadable = Some((text, reason));
                    false
                }
            },
            ZonesAction::Edit(origin, text) => {
                self.set_text(&origin, text);
                self.revision += 1;
                true
            }
            ZonesAction::SetOpen(origin, open) => {
                if open {
                    // Links may spell the origin in any case.
                    match self
                        .zones
                        .iter()
                        .find(|zone| zone.origin.eq_ignore_ascii_case(&origin))
                    {
                        Some(zone) => {
                            self.open.insert(zone.origin.clone());
                        }
                        None => {
                            self.problem = Some(format!(
                                "The link opens the zone {origin}, which this page does not have; add it below."
                            ));
                        }
                    }
                } else {
                    self.open.remove(&origin);
                }
                false
            }
            ZonesAction::NewOrigin(origin) => {
                self.new_origin = origin;
                false
            }
            ZonesAction::Add => match new_zone_template(&self.new_origin) {
                Ok(text) => {
                    let origin = self.normalized(&self.new_origin);
                    self.add_zone(origin, text);
                    self.new_origin.clear();
                    true
                }
                Err(problem) => {
                    self.problem = Some(problem);
                    false
                }
            },
            ZonesAction::Import(origin, text) => {
                self.add_zone(origin, text);
                true
            }
            ZonesAction::AcceptOffer => {
                let Some((parent, records)) = self.offer.take() else {
                    return false;
                };
                let text = self
                    .zones
                    .iter()
                    .find(|zone| zone.origin == parent)
                    .map(|zone| format!("{}\n{records}", zone.text.trim_end()))
                    .unwrap_or(records);
                self.set_text(&parent, text);
                self.open.insert(parent);
                self.revision += 1;
                true
            }
            ZonesAction::DismissOffer => {
                self.offer = None;
                false
            }
            ZonesAction::Remove(origin) => {
                let builtin = builtin_texts();
                match builtin.iter().find(|zone| zone.origin == origin) {
                    Some(original) => self.set_text(&origin, original.text.clone()),
                    None => self.zones.retain(|zone| zone.origin != origin),
                }
                self.revision += 1;
                true
            }
            ZonesAction::Reset => {
                let unreadable = self.unreadable.take();
                *self = Self::default();
                self.ensure_listed();
                self.unreadable = unreadable;
                self.revision += 1;
                true
            }
            ZonesAction::DiscardUnreadable => {
                self.unreadable = None;
                false
            }
            ZonesAction::Problem(problem) => {
                self.problem = Some(problem);
                false
            }
        }
    }

    /// `origin` as the zone list spells it (absolute), or as typed when it is not a name.
    fn normalized(&self, origin: &str) -> String {
        let origin = origin.trim();
        if origin.ends_with('.') {
            origin.to_owned()
        } else {
            format!("{origin}.")
        }
    }

    fn add_zone(&mut self, origin: String, text: String) {
        self.problem = None;
        if self
            .zones
            .iter()
            .any(|zone| zone.origin.eq_ignore_ascii_case(&origin))
        {
            self.set_text(&origin, text);
        } else {
            self.zones.push(ZoneEntry {
                origin: origin.clone(),
                text: String::new(),
                servers: Vec::new(),
                builtin: false,
                edited: true,
                check: Rc::new(ZoneCheck::default()),
                last_valid: None,
                last_valid_text: None,
            });
            self.set_text(&origin, text);
        }
        self.open.insert(origin.clone());
        self.revision += 1;
        self.offer_delegation(&origin);
    }

    /// Offers the NS and glue records for the parent of a new zone (the world delegates a new
    /// zone by itself; the records make it visible in the parent's text too).
    fn offer_delegation(&mut self, origin: &str) {
        let Some(zone) = self.zones.iter().find(|zone| zone.origin == origin) else {
            return;
        };
        let Some(parent) = parent_zone(&builtin_world(), origin) else {
            return;
        };
        self.offer = delegation_records(&parent, origin, &zone.text)
            .ok()
            .map(|records| (parent, records));
    }

    fn set_text(&mut self, origin: &str, text: String) {
        let builtin = builtin_texts();
        let original = builtin
            .iter()
            .find(|zone| zone.origin.eq_ignore_ascii_case(origin));
        if let Some(zone) = self
            .zones
            .iter_mut()
            .find(|zone| zone.origin.eq_ignore_ascii_case(origin))
        {
            zone.edited = original.is_none_or(|original| original.text != text);
            let checked = check_and_parse_zone(&zone.origin, &text);
            if let Some(parsed) = checked.parsed {
                zone.last_valid = Some(parsed);
                zone.last_valid_text = None;
            } else if zone.last_valid_text.is_none() && zone.check.errors.is_empty() {
                // The text on screen until now was the valid one.
                zone.last_valid_text = zone.last_valid.as_ref().map(|_| Rc::new(zone.text.clone()));
            }
            zone.check = Rc::new(checked.check);
            zone.text = text;
        } else {
            let checked = check_and_parse_zone(origin, &text);
            self.zones.push(ZoneEntry {
                origin: origin.to_owned(),
                text,
                servers: Vec::new(),
                builtin: false,
                edited: true,
                check: Rc::new(checked.check),
                last_valid: checked.parsed,
                last_valid_text: None,
            });
        }
    }
}
