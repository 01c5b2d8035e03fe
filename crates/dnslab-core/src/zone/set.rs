//! A set of zones served together, with the longest-match lookup an authoritative server does first for every query.

use std::collections::BTreeMap;

use hickory_proto::rr::Name;

use super::tree::{label_count, Zone};

/// Zones keyed by their origin; a name belongs to the zone with the longest matching origin.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ZoneSet {
    zones: BTreeMap<Name, Zone>,
}

impl ZoneSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a zone, returning the zone it replaces (same origin), if any.
    pub fn insert(&mut self, zone: Zone) -> Option<Zone> {
        self.zones.insert(zone.origin().clone(), zone)
    }

    /// Removes the zone with this origin.
    pub fn remove(&mut self, origin: &Name) -> Option<Zone> {
        self.zones.remove(origin)
    }

    /// The zone whose origin is exactly `origin`.
    pub fn get(&self, origin: &Name) -> Option<&Zone> {
        self.zones.get(origin)
    }

    /// The zone that owns `name`: the one with the longest origin that `name` is at or below.
    /// Names in a child zone that is also loaded belong to the child, as on a real server.
    pub fn find(&self, name: &Name) -> Option<&Zone> {
        let mut labels = label_count(name);
        loop {
            if let Some(zone) = self.zones.get(&name.trim_to(labels)) {
                return Some(zone);
            }
            labels = labels.checked_sub(1)?;
        }
    }

    /// Every zone, in canonical order of origins.
    pub fn zones(&self) -> impl Iterator<Item = &Zone> {
        self.zones.values()
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
        for zone in zones {
            set.insert(zone);
        }
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
