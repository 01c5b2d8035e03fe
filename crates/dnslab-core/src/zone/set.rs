//! A set of zones served together, with the longest-match lookup an authoritative server does first for every query.
//!
//! The zones are shared (`Arc`): the world hands the same zone to every server that serves it
//! and a page edit replaces one zone, so neither copies a zone's records.

use std::sync::Arc;

use hickory_proto::rr::Name;

use super::key::{owned_key, KeyMap, LookupName};
use super::tree::Zone;

/// Zones keyed by their origin; a name belongs to the zone with the longest matching origin.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ZoneSet {
    /// The zones in canonical order of their origins.
    zones: Vec<Arc<Zone>>,
    /// Zone positions by lowercase wire origin.
    index: KeyMap<usize>,
}

impl ZoneSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a zone (owned or already shared), returning the zone it replaces (same origin), if
    /// any.
    pub fn insert(&mut self, zone: impl Into<Arc<Zone>>) -> Option<Arc<Zone>> {
        let zone = zone.into();
        match self
            .zones
            .binary_search_by(|existing| existing.origin().cmp(zone.origin()))
        {
            // Same origin, same position: the index stays right as it is.
            Ok(position) => self
                .zones
                .get_mut(position)
                .map(|slot| std::mem::replace(slot, zone)),
            Err(position) => {
                self.zones.insert(position, zone);
                self.reindex();
                None
            }
        }
    }

    /// Removes the zone with this origin.
    pub fn remove(&mut self, origin: &Name) -> Option<Arc<Zone>> {
        let position = self
            .zones
            .binary_search_by(|existing| existing.origin().cmp(origin))
            .ok()?;
        let removed = self.zones.remove(position);
        self.reindex();
        Some(removed)
    }

    fn reindex(&mut self) {
        self.index = self
            .zones
            .iter()
            .enumerate()
            .map(|(position, zone)| (owned_key(zone.origin()), position))
            .collect();
    }

    /// The zone whose origin is exactly `origin`.
    pub fn get(&self, origin: &Name) -> Option<&Zone> {
        self.get_shared(origin).map(Arc::as_ref)
    }

    /// [`ZoneSet::get`] as the shared zone, for handing it to another set without a copy.
    pub fn get_shared(&self, origin: &Name) -> Option<&Arc<Zone>> {
        let key = LookupName::new(origin)?;
        self.shared_zone_by_key(key.as_wire())
    }

    fn zone_by_key(&self, key: &[u8]) -> Option<&Zone> {
        self.shared_zone_by_key(key).map(Arc::as_ref)
    }

    fn shared_zone_by_key(&self, key: &[u8]) -> Option<&Arc<Zone>> {
        self.index
            .get(key)
            .and_then(|&position| self.zones.get(position))
    }

    /// The zone that owns `name`: the one with the longest origin that `name` is at or below.
    /// Names in a child zone that is also loaded belong to the child, as on a real server.
    pub fn find(&self, name: &Name) -> Option<&Zone> {
        self.find_by_key(&LookupName::new(name)?, 0)
    }

    /// [`ZoneSet::find`] for a lookup key, ignoring its first `skip_labels` labels (1 to find
    /// the zone above a name, for DS).
    pub(crate) fn find_by_key(&self, name: &LookupName, skip_labels: usize) -> Option<&Zone> {
        let mut labels = name.label_count().checked_sub(skip_labels)?;
        loop {
            if let Some(zone) = self.zone_by_key(name.ancestor(labels)) {
                return Some(zone);
            }
            labels = labels.checked_sub(1)?;
        }
    }

    /// Every zone, in canonical order of origins.
    pub fn zones(&self) -> impl Iterator<Item = &Zone> {
        self.zones.iter().map(Arc::as_ref)
    }

    /// How many zones the set holds.
    pub fn len(&self) -> usize {
        self.zones.len()
    }

    /// True when the set holds no zone.
    pub fn is_empty(&self) -> bool {
        self.zones.is_empty()
    }
}

impl FromIterator<Zone> for ZoneSet {
    fn from_iter<I: IntoIterator<Item = Zone>>(zones: I) -> Self {
        let mut set = Self::new();
        set.extend(zones);
        set
    }
}

impl Extend<Zone> for ZoneSet {
    fn extend<I: IntoIterator<Item = Zone>>(&mut self, zones: I) {
        for zone in zones {
            self.insert(zone);
        }
    }
}
