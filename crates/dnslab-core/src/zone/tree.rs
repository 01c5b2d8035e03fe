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
use hickory_proto::rr::{DNSClass, Name, RData, Record, RecordType};

use super::key::{owned_key, KeyMap, LookupName};
use super::parser::{FailedEntry, ParsedRecord, ParsedText};
use super::rdata_text::{text_support, TextSupport};
use super::{checks, ZoneError, ZoneErrors};
use crate::shown_name::ShownName;

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
    /// Position in [`Zone::nodes`], so that a node can be named by a number.
    index: usize,
    /// The parent node's position (`None` for the apex); empty non-terminals make sure every
    /// other node has one.
    parent: Option<usize>,
    /// The position of `*.<this name>`.
    wildcard_child: Option<usize>,
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

    /// This node's position in the zone's canonical order: an identity that is cheap to compare.
    pub fn index(&self) -> usize {
        self.index
    }

    fn new(name: Name) -> Self {
        Self {
            name,
            rrsets: Vec::new(),
            is_apex: false,
            is_delegation: false,
            is_below_delegation: false,
            has_wildcard_child: false,
            index: 0,
            parent: None,
            wildcard_child: None,
        }
    }
}

/// Where a name falls in a zone.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Lookup<'z> {
    /// The name has a node (possibly an empty non-terminal).
    Exact(&'z Node),
    /// The name does not exist; this is its closest encloser.
    Encloser(&'z Node),
    /// The name is not at or below the apex.
    Outside,
}

/// A parsed and checked zone: an apex with exactly one SOA, NS records at the apex, and a tree of
/// nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    origin: Name,
    soa: Record,
    /// The tree's nodes in canonical DNS order.
    nodes: Vec<Node>,
    /// Node positions by lowercase wire name.
    index: KeyMap<usize>,
    origin_key: Box<[u8]>,
    origin_labels: usize,
    /// NSEC3 RRsets, by their hashed owner names, outside the normal tree.
    nsec3_nodes: Vec<Node>,
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
        let key = LookupName::new(name)?;
        self.node_by_key(key.as_wire())
    }

    fn node_by_key(&self, key: &[u8]) -> Option<&Node> {
        self.index
            .get(key)
            .and_then(|&position| self.nodes.get(position))
    }

    /// The apex node.
    pub fn apex(&self) -> Option<&Node> {
        self.node_by_key(&self.origin_key)
    }

    /// Every node of the tree in canonical DNS order (NSEC3 owners are not in it).
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.nodes.iter()
    }

    /// Every RRset, in canonical order of owner names, then by type; the NSEC3 RRsets last.
    pub fn rrsets(&self) -> impl Iterator<Item = &RRset> {
        self.nodes
            .iter()
            .chain(self.nsec3_nodes.iter())
            .flat_map(|node| node.rrsets.iter())
    }

    /// The NSEC3 RRsets, which are not part of the tree answers are looked up in.
    pub fn nsec3_rrsets(&self) -> impl Iterator<Item = &RRset> {
        self.nsec3_nodes.iter().flat_map(|node| node.rrsets.iter())
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

    /// Finds a name: its node, else its closest encloser, walking up the name's own suffixes.
    pub(crate) fn lookup(&self, name: &LookupName) -> Lookup<'_> {
        if !self.contains_key(name) {
            return Lookup::Outside;
        }
        let mut labels = name.label_count();
        if let Some(node) = self.node_by_key(name.ancestor(labels)) {
            return Lookup::Exact(node);
        }
        while labels > self.origin_labels {
            labels -= 1;
            if let Some(node) = self.node_by_key(name.ancestor(labels)) {
                return Lookup::Encloser(node);
            }
        }
        Lookup::Outside
    }

    /// [`Zone::contains`] for a lookup key.
    pub(crate) fn contains_key(&self, name: &LookupName) -> bool {
        name.label_count() >= self.origin_labels
            && name.ancestor(self.origin_labels) == &*self.origin_key
    }

    /// The deepest existing node at or above `name` (its closest encloser, RFC 4592 section
    /// 3.3.1); `None` only when `name` is outside the zone.
    pub fn closest_encloser(&self, name: &Name) -> Option<&Node> {
        match self.lookup(&LookupName::new(name)?) {
            Lookup::Exact(node) | Lookup::Encloser(node) => Some(node),
            Lookup::Outside => None,
        }
    }

    /// The parent of `node` in the tree (`None` for the apex).
    pub fn parent(&self, node: &Node) -> Option<&Node> {
        node.parent.and_then(|position| self.nodes.get(position))
    }

    /// The wildcard node `*.<parent>`, when `parent` has one.
    pub fn wildcard_child(&self, parent: &Node) -> Option<&Node> {
        parent
            .wildcard_child
            .and_then(|position| self.nodes.get(position))
    }

    /// The delegation point at or above `node` (for a node that is one or is below one).
    pub fn delegation_at_or_above<'z>(&'z self, node: &'z Node) -> Option<&'z Node> {
        let mut current = node;
        loop {
            if current.is_delegation {
                return Some(current);
            }
            current = self.parent(current)?;
        }
    }

    /// The node that holds data for `name`: the exact node, else the wildcard child of its
    /// closest encloser (how Knot finds additional-section addresses for MX/NS/SRV targets).
    pub fn node_or_wildcard(&self, name: &Name) -> Option<&Node> {
        self.node_or_wildcard_by_key(&LookupName::new(name)?)
    }

    pub(crate) fn node_or_wildcard_by_key(&self, name: &LookupName) -> Option<&Node> {
        match self.lookup(name) {
            Lookup::Exact(node) => Some(node),
            Lookup::Encloser(encloser) => self.wildcard_child(encloser),
            Lookup::Outside => None,
        }
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
    let mut nsec3_nodes: BTreeMap<Name, Node> = BTreeMap::new();
    let mut record_count = 0usize;
    for ParsedRecord { record, position } in records {
        // Records from text were checked by the parser; these checks are for records made in
        // code (`Zone::from_records`).
        if let Some(problem) = unservable(&record) {
            errors.push(ZoneError::at(position, problem));
            continue;
        }
        if !apex.zone_of(&record.name) {
            errors.push(ZoneError::at(
                position,
                format!(
                    "{} is outside the zone {}: a zone can only hold names that end in its own name (BIND and Knot ignore such records with a warning)",
                    ShownName(&record.name),
                    ShownName(&apex)
                ),
            ));
            continue;
        }
        // NSEC3 records are named by hashes and live outside the zone's namespace (RFC 5155
        // section 7.2): like Knot, keep them in a tree of their own, so their owners neither
        // exist for queries nor make empty non-terminals.
        let tree = if record.record_type() == RecordType::NSEC3 {
            &mut nsec3_nodes
        } else {
            &mut nodes
        };
        let node = tree
            .entry(record.name.clone())
            .or_insert_with(|| Node::new(record.name.clone()));
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
                    record_type,
                    ShownName(&record.name)
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
                    record_type,
                    ShownName(&record.name),
                    record.ttl,
                    rrset.ttl,
                    rrset.ttl
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
    crate::sort::sort_by_key(&mut warnings, |warning| (warning.line, warning.column));

    match soa {
        Some(soa) if errors.is_empty() => {
            let (nodes, index) = link_nodes(nodes);
            let origin_key = owned_key(&apex);
            Ok(Zone {
                origin_labels: label_count(&apex),
                origin: apex,
                soa,
                nodes,
                index,
                origin_key,
                nsec3_nodes: nsec3_nodes.into_values().collect(),
                record_count,
                warnings,
            })
        }
        _ => {
            if errors.is_empty() {
                errors.push(ZoneError::new(
                    1,
                    1,
                    format!(
                        "the zone {} has no SOA record at its apex",
                        ShownName(&apex)
                    ),
                ));
            }
            Err(ZoneErrors { errors })
        }
    }
}

/// Why a record cannot be part of a zone, if it cannot.
fn unservable(record: &Record) -> Option<String> {
    if record.dns_class != DNSClass::IN {
        return Some(format!(
            "{} {}: dnslab serves class IN zones only, and this record is class {}",
            ShownName(&record.name),
            record.record_type(),
            record.dns_class
        ));
    }
    if let TextSupport::Refused(reason) = text_support(record.record_type()) {
        return Some(format!(
            "{} {}: {reason}",
            ShownName(&record.name),
            record.record_type()
        ));
    }
    if record.record_type() == RecordType::DNAME && dname_target(record).is_none() {
        return Some(format!(
            "{} DNAME: the data of a DNAME record must be exactly one domain name",
            ShownName(&record.name)
        ));
    }
    if matches!(record.data, RData::Update0(_)) {
        return Some(format!(
            "{} {}: records with empty data are not supported",
            ShownName(&record.name),
            record.record_type()
        ));
    }
    None
}

/// The target of a DNAME record (RFC 6672 section 2.1). hickory has no DNAME type, so the
/// record's data is the target's uncompressed wire form; `None` when it is not one name.
pub(crate) fn dname_target(record: &Record) -> Option<Name> {
    let RData::Unknown { rdata, .. } = &record.data else {
        return None;
    };
    if !super::text::is_one_uncompressed_name(&rdata.anything) {
        return None;
    }
    use hickory_proto::serialize::binary::{BinDecodable, BinDecoder};
    let mut decoder = BinDecoder::new(&rdata.anything);
    Name::read(&mut decoder).ok()
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
            nodes.insert(ancestor.clone(), Node::new(ancestor));
        }
    }
    if !nodes.contains_key(apex) {
        let mut node = Node::new(apex.clone());
        node.is_apex = true;
        nodes.insert(apex.clone(), node);
    }
}

/// Lays the nodes out in canonical order and links each to its parent and wildcard child.
fn link_nodes(nodes: BTreeMap<Name, Node>) -> (Vec<Node>, KeyMap<usize>) {
    let mut nodes: Vec<Node> = nodes.into_values().collect();
    let mut index = KeyMap::default();
    index.reserve(nodes.len());
    for (position, node) in nodes.iter_mut().enumerate() {
        node.index = position;
        index.insert(owned_key(&node.name), position);
    }
    for position in 0..nodes.len() {
        let Some(node) = nodes.get(position) else {
            continue;
        };
        let Some(key) = LookupName::new(&node.name) else {
            continue;
        };
        let parent = if node.is_apex || key.label_count() == 0 {
            None
        } else {
            index.get(key.ancestor(key.label_count() - 1)).copied()
        };
        let is_wildcard = key.is_wildcard();
        if let Some(node) = nodes.get_mut(position) {
            node.parent = parent;
        }
        if is_wildcard {
            if let Some(parent) = parent.and_then(|parent| nodes.get_mut(parent)) {
                parent.wildcard_child = Some(position);
            }
        }
    }
    (nodes, index)
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
