//! The zone tree: nodes in DNS canonical order, each with its RRsets, plus the flags answers need (delegation points, occluded names, wildcard children).
//!
//! Like Knot DNS, the tree has a node for every *empty non-terminal* too (a name with no records
//! but with names below it, RFC 4592 section 2.2.2): such a name exists, so a query for it gets
//! NODATA and not NXDOMAIN, and it stops wildcard matching below it.
//!
//! Nodes are kept in a `BTreeMap` keyed by hickory's [`Name`], whose ordering is the canonical DNS
//! order of RFC 4034 section 6.1 (labels compared right to left, case-insensitively); so lookups
//! ignore case and every name's subtree is one contiguous range.

use std::collections::BTreeMap;

use hickory_proto::rr::rdata::SOA;
use hickory_proto::rr::{Name, RData, Record, RecordType};

use super::parser::{FailedEntry, ParsedRecord, ParsedText};
use super::{checks, ZoneError, ZoneErrors};

/// Where a record was written in the zone text (both 0 for records not read from text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord, serde::Serialize)]
pub struct SourcePosition {
    /// 1-based line.
    pub line: usize,
    /// 1-based column of the entry's first token.
    pub column: usize,
}

/// All records of one owner name and type (RFC 2181 section 5): they share one TTL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RRset {
    name: Name,
    record_type: RecordType,
    ttl: u32,
    records: Vec<Record>,
    positions: Vec<SourcePosition>,
}

impl RRset {
    /// The owner name, in the case first written.
    pub fn name(&self) -> &Name {
        &self.name
    }

    /// The type.
    pub fn record_type(&self) -> RecordType {
        self.record_type
    }

    /// The TTL every record of the set carries.
    pub fn ttl(&self) -> u32 {
        self.ttl
    }

    /// The records, in the order of the zone text, duplicates removed.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// Where each record was written, parallel to [`RRset::records`].
    pub fn positions(&self) -> &[SourcePosition] {
        &self.positions
    }

    /// Where the first record was written.
    pub fn position(&self) -> SourcePosition {
        self.positions.first().copied().unwrap_or_default()
    }
}

/// One name in the zone tree and everything known about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    name: Name,
    rrsets: Vec<RRset>,
    is_apex: bool,
    is_delegation: bool,
    is_below_delegation: bool,
    has_wildcard_child: bool,
}

impl Node {
    /// The name, in the case first written.
    pub fn name(&self) -> &Name {
        &self.name
    }

    /// The RRsets, ordered by type number.
    pub fn rrsets(&self) -> &[RRset] {
        &self.rrsets
    }

    /// The RRset of one type.
    pub fn rrset(&self, record_type: RecordType) -> Option<&RRset> {
        self.rrsets
            .iter()
            .find(|rrset| rrset.record_type == record_type)
    }

    /// True for an empty non-terminal: no records, but names below it.
    pub fn is_empty_non_terminal(&self) -> bool {
        self.rrsets.is_empty()
    }

    /// True for the zone's apex.
    pub fn is_apex(&self) -> bool {
        self.is_apex
    }

    /// True for a delegation point: a name below the apex with NS records (a zone cut).
    pub fn is_delegation(&self) -> bool {
        self.is_delegation
    }

    /// True for names below a delegation point: the zone is not authoritative for them (glue and
    /// occluded data, RFC 2181 section 6).
    pub fn is_below_delegation(&self) -> bool {
        self.is_below_delegation
    }

    /// True when `*.<this name>` exists (RFC 4592 wildcard).
    pub fn has_wildcard_child(&self) -> bool {
        self.has_wildcard_child
    }
}

/// A parsed and checked zone: an apex with exactly one SOA, NS records at the apex, and a tree of
/// nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    origin: Name,
    soa: Record,
    nodes: BTreeMap<Name, Node>,
    record_count: usize,
    warnings: Vec<ZoneError>,
}

impl Zone {
    /// Builds a zone from records made in code rather than read from text, with the same checks
    /// as [`parse_zone`](super::parse_zone). Errors carry line 0.
    pub fn from_records(
        origin: &Name,
        records: impl IntoIterator<Item = Record>,
    ) -> Result<Zone, ZoneErrors> {
        let parsed = ParsedText {
            records: records
                .into_iter()
                .map(|record| ParsedRecord {
                    record,
                    position: SourcePosition::default(),
                })
                .collect(),
            ..ParsedText::default()
        };
        build_zone(parsed, Some(origin))
    }

    /// The zone's name (its apex).
    pub fn origin(&self) -> &Name {
        &self.origin
    }

    /// The SOA record at the apex.
    pub fn soa(&self) -> &Record {
        &self.soa
    }

    /// The SOA's data.
    pub fn soa_data(&self) -> Option<&SOA> {
        match &self.soa.data {
            RData::SOA(soa) => Some(soa),
            _ => None,
        }
    }

    /// How long resolvers may cache a negative answer from this zone (RFC 2308 section 5): the
    /// smaller of the SOA record's TTL and its MINIMUM field. It is also the TTL the SOA record
    /// gets in the authority section of NXDOMAIN and NODATA answers.
    pub fn negative_ttl(&self) -> u32 {
        let minimum = self.soa_data().map_or(self.soa.ttl, |soa| soa.minimum);
        self.soa.ttl.min(minimum)
    }

    /// True when `name` is the apex or below it.
    pub fn contains(&self, name: &Name) -> bool {
        self.origin.zone_of(name)
    }

    /// The node of `name` (case-insensitive), including empty non-terminals.
    pub fn node(&self, name: &Name) -> Option<&Node> {
        self.nodes.get(name)
    }

    /// The apex node.
    pub fn apex(&self) -> Option<&Node> {
        self.nodes.get(&self.origin)
    }

    /// Every node in canonical DNS order.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.nodes.values()
    }

    /// Every RRset, in canonical order of owner names, then by type.
    pub fn rrsets(&self) -> impl Iterator<Item = &RRset> {
        self.nodes.values().flat_map(|node| node.rrsets.iter())
    }

    /// Every record.
    pub fn records(&self) -> impl Iterator<Item = &Record> {
        self.rrsets().flat_map(|rrset| rrset.records.iter())
    }

    /// How many records the zone holds.
    pub fn record_count(&self) -> usize {
        self.record_count
    }

    /// Findings that real servers load anyway (TTL mismatches in an RRset, duplicate records,
    /// occluded data below a delegation, ...).
    pub fn warnings(&self) -> &[ZoneError] {
        &self.warnings
    }

    /// The deepest existing node at or above `name` (its closest encloser, RFC 4592 section
    /// 3.3.1); `None` only when `name` is outside the zone.
    pub fn closest_encloser(&self, name: &Name) -> Option<&Node> {
        if !self.contains(name) {
            return None;
        }
        let apex_labels = label_count(&self.origin);
        let mut labels = label_count(name);
        while labels >= apex_labels {
            if let Some(node) = self.nodes.get(&name.trim_to(labels)) {
                return Some(node);
            }
            labels = labels.checked_sub(1)?;
        }
        None
    }

    /// The wildcard node `*.<parent>`, when `parent` has one.
    pub fn wildcard_child(&self, parent: &Node) -> Option<&Node> {
        if !parent.has_wildcard_child {
            return None;
        }
        let wildcard = parent.name.prepend_label("*").ok()?;
        self.nodes.get(&wildcard)
    }

    /// The delegation point at or above `node` (for a node that is one or is below one).
    pub fn delegation_at_or_above<'z>(&'z self, node: &'z Node) -> Option<&'z Node> {
        if node.is_delegation {
            return Some(node);
        }
        let apex_labels = label_count(&self.origin);
        let mut labels = label_count(&node.name);
        while labels > apex_labels {
            labels -= 1;
            if let Some(ancestor) = self.nodes.get(&node.name.trim_to(labels)) {
                if ancestor.is_delegation {
                    return Some(ancestor);
                }
            }
        }
        None
    }

    /// The node that holds data for `name`: the exact node, else the wildcard child of its
    /// closest encloser (how Knot finds additional-section addresses for MX/NS/SRV targets).
    pub fn node_or_wildcard(&self, name: &Name) -> Option<&Node> {
        if let Some(node) = self.nodes.get(name) {
            return Some(node);
        }
        let encloser = self.closest_encloser(name)?;
        self.wildcard_child(encloser)
    }
}

/// Groups parsed records into a zone, runs the checks, and returns every error found.
pub(crate) fn build_zone(parsed: ParsedText, origin: Option<&Name>) -> Result<Zone, ZoneErrors> {
    let ParsedText {
        records,
        mut errors,
        mut warnings,
        failed,
    } = parsed;

    let apex = match origin {
        Some(origin) => origin.clone(),
        None => match records
            .iter()
            .find(|parsed| parsed.record.record_type() == RecordType::SOA)
        {
            Some(soa) => soa.record.name.clone(),
            None => {
                if !failed
                    .iter()
                    .any(|entry| entry.record_type.is_none_or(|kind| kind == RecordType::SOA))
                {
                    errors.push(ZoneError::new(
                        1,
                        1,
                        "the zone has no SOA record, so its name is unknown: every zone starts with an SOA record at its apex",
                    ));
                }
                return Err(ZoneErrors { errors });
            }
        },
    };

    let mut nodes: BTreeMap<Name, Node> = BTreeMap::new();
    let mut record_count = 0usize;
    for ParsedRecord { record, position } in records {
        if !apex.zone_of(&record.name) {
            errors.push(ZoneError::at(
                position,
                format!(
                    "{} is outside the zone {apex}: a zone can only hold names that end in its own name (BIND and Knot ignore such records with a warning)",
                    record.name
                ),
            ));
            continue;
        }
        let node = nodes.entry(record.name.clone()).or_insert_with(|| Node {
            name: record.name.clone(),
            rrsets: Vec::new(),
            is_apex: false,
            is_delegation: false,
            is_below_delegation: false,
            has_wildcard_child: false,
        });
        let record_type = record.record_type();
        let index = match node
            .rrsets
            .binary_search_by_key(&u16::from(record_type), |rrset| {
                u16::from(rrset.record_type)
            }) {
            Ok(index) => index,
            Err(index) => {
                node.rrsets.insert(
                    index,
                    RRset {
                        name: record.name.clone(),
                        record_type,
                        ttl: record.ttl,
                        records: Vec::new(),
                        positions: Vec::new(),
                    },
                );
                index
            }
        };
        let Some(rrset) = node.rrsets.get_mut(index) else {
            continue;
        };
        if rrset
            .records
            .iter()
            .any(|existing| existing.data == record.data)
        {
            warnings.push(ZoneError::at(
                position,
                format!(
                    "this {} record at {} is written twice; the copy is ignored",
                    record_type, record.name
                ),
            ));
            continue;
        }
        let mut record = record;
        if record.ttl != rrset.ttl {
            warnings.push(ZoneError::at(
                position,
                format!(
                    "the records of one RRset must share one TTL (RFC 2181 section 5.2): this {} record at {} has TTL {}, the first one has {}; {} is used",
                    record_type, record.name, record.ttl, rrset.ttl, rrset.ttl
                ),
            ));
            record.ttl = rrset.ttl;
        }
        rrset.records.push(record);
        rrset.positions.push(position);
        record_count += 1;
    }

    add_empty_non_terminals(&mut nodes, &apex);
    set_flags(&mut nodes, &apex);

    let soa = nodes
        .get(&apex)
        .and_then(|node| node.rrset(RecordType::SOA))
        .and_then(|rrset| rrset.records.first())
        .cloned();

    let findings = checks::check(&nodes, &apex, &failed);
    errors.extend(findings.errors);
    warnings.extend(findings.warnings);
    warnings.sort_by_key(|warning| (warning.line, warning.column));

    match soa {
        Some(soa) if errors.is_empty() => Ok(Zone {
            origin: apex,
            soa,
            nodes,
            record_count,
            warnings,
        }),
        _ => {
            if errors.is_empty() {
                errors.push(ZoneError::new(
                    1,
                    1,
                    format!("the zone {apex} has no SOA record at its apex"),
                ));
            }
            Err(ZoneErrors { errors })
        }
    }
}

/// Adds a node for every name between the apex and each owner that has none.
fn add_empty_non_terminals(nodes: &mut BTreeMap<Name, Node>, apex: &Name) {
    let apex_labels = label_count(apex);
    let owners: Vec<Name> = nodes.keys().cloned().collect();
    for owner in owners {
        let mut labels = label_count(&owner);
        while labels > apex_labels {
            labels -= 1;
            let ancestor = owner.trim_to(labels);
            if nodes.contains_key(&ancestor) {
                // Its own ancestors were added when it was (or will be) visited.
                break;
            }
            nodes.insert(
                ancestor.clone(),
                Node {
                    name: ancestor,
                    rrsets: Vec::new(),
                    is_apex: false,
                    is_delegation: false,
                    is_below_delegation: false,
                    has_wildcard_child: false,
                },
            );
        }
    }
    if !nodes.contains_key(apex) {
        nodes.insert(
            apex.clone(),
            Node {
                name: apex.clone(),
                rrsets: Vec::new(),
                is_apex: true,
                is_delegation: false,
                is_below_delegation: false,
                has_wildcard_child: false,
            },
        );
    }
}

/// Sets the apex, delegation, occlusion and wildcard-child flags.
fn set_flags(nodes: &mut BTreeMap<Name, Node>, apex: &Name) {
    for node in nodes.values_mut() {
        node.is_apex = node.name == *apex;
        node.is_delegation = !node.is_apex && node.rrset(RecordType::NS).is_some();
    }
    let delegations: Vec<Name> = nodes
        .values()
        .filter(|node| node.is_delegation)
        .map(|node| node.name.clone())
        .collect();
    let wildcard_parents: Vec<Name> = nodes
        .keys()
        .filter(|name| name.is_wildcard())
        .map(Name::base_name)
        .collect();
    for delegation in &delegations {
        // Canonical order puts a name's whole subtree right after it.
        let below: Vec<Name> = nodes
            .range(delegation.clone()..)
            .skip(1)
            .take_while(|(name, _)| delegation.zone_of(name))
            .map(|(name, _)| name.clone())
            .collect();
        for name in below {
            if let Some(node) = nodes.get_mut(&name) {
                node.is_below_delegation = true;
            }
        }
    }
    for parent in wildcard_parents {
        if let Some(node) = nodes.get_mut(&parent) {
            node.has_wildcard_child = true;
        }
    }
}

/// True when a failed entry may have been a record of `owner` and one of `record_types`, so a
/// check for the absence of such records must stay quiet.
pub(crate) fn may_have_failed(
    failed: &[FailedEntry],
    owner: &Name,
    record_types: &[RecordType],
) -> bool {
    failed.iter().any(|entry| {
        entry
            .owner
            .as_ref()
            .is_none_or(|failed_owner| failed_owner == owner)
            && entry
                .record_type
                .is_none_or(|kind| record_types.contains(&kind))
    })
}

/// The number of labels of a name, the root not counted, a leading `*` counted.
///
/// (hickory's `Name::num_labels` leaves out a leading `*`, as RRSIG label counts do, which is
/// not what walking up a tree needs.)
pub(crate) fn label_count(name: &Name) -> usize {
    name.iter().count()
}
