//! The zone checks real servers run before loading a zone (BIND's `named-checkzone`, Knot's `kzonecheck`).
//!
//! Errors (the zone is refused, as BIND and Knot refuse it):
//! - not exactly one SOA, or an SOA anywhere but the apex;
//! - no NS records at the apex;
//! - a CNAME beside other data, or several CNAMEs at one name (RFC 1034 section 3.6.2, RFC 2181
//!   section 10.1);
//! - a name server name inside the zone without an address record: for a delegation that is
//!   missing glue, for the apex an unreachable server (the out-of-zone check is in the tree builder);
//! - a DNAME with names below it, a second DNAME record at one name, or NS records beside a DNAME
//!   below the apex (RFC 6672 sections 2.3 and 2.4; Knot's mandatory DNAME checks).
//!
//! Warnings (the zone loads; a learner should still know):
//! - data hidden below a delegation point or beside its NS records (RFC 2181 section 6): it is
//!   never served as an answer;
//! - NS, MX or SRV targets that are aliases (RFC 2181 section 10.3).

use std::collections::BTreeMap;

use hickory_proto::rr::{Name, RData, RecordType};

use super::parser::FailedEntry;
use super::tree::{label_count, may_have_failed, Node};
use super::ZoneError;
use crate::shown_name::ShownName;

/// What the checks found.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    pub errors: Vec<ZoneError>,
    pub warnings: Vec<ZoneError>,
}

/// Types allowed beside a CNAME (RFC 4035 section 2.5: DNSSEC's own records).
const ALLOWED_BESIDE_CNAME: &[RecordType] = &[RecordType::RRSIG, RecordType::NSEC];
/// Types that belong at a delegation point in the parent zone.
const ALLOWED_AT_DELEGATION: &[RecordType] = &[
    RecordType::NS,
    RecordType::DS,
    RecordType::RRSIG,
    RecordType::NSEC,
];
/// The address types glue is made of.
const ADDRESS_TYPES: &[RecordType] = &[RecordType::A, RecordType::AAAA];

pub(crate) fn check(nodes: &BTreeMap<Name, Node>, apex: &Name, failed: &[FailedEntry]) -> Findings {
    let mut findings = Findings::default();
    let apex_node = nodes.get(apex);

    // SOA: exactly one, at the apex.
    let apex_soa = apex_node.and_then(|node| node.rrset(RecordType::SOA));
    match apex_soa {
        None => {
            if !may_have_failed(failed, apex, &[RecordType::SOA]) {
                findings.errors.push(ZoneError::new(
                    1,
                    1,
                    format!(
                        "the zone {} has no SOA record at its apex: every zone has exactly one",
                        ShownName(apex)
                    ),
                ));
            }
        }
        Some(rrset) => {
            if let Some(second) = rrset.positions().get(1) {
                findings.errors.push(ZoneError::at(
                    *second,
                    "a second SOA record: a zone has exactly one SOA record, at its apex",
                ));
            }
        }
    }
    for node in nodes.values().filter(|node| !node.is_apex()) {
        if let Some(soa) = node.rrset(RecordType::SOA) {
            findings.errors.push(ZoneError::at(
                soa.position(),
                format!("an SOA record at {}, which is not the zone's apex {}: the only SOA is at the apex (is a $ORIGIN missing or wrong?)", ShownName(node.name()), ShownName(apex)),
            ));
        }
    }

    // NS at the apex.
    let apex_ns = apex_node.and_then(|node| node.rrset(RecordType::NS));
    if apex_ns.is_none() && !may_have_failed(failed, apex, &[RecordType::NS]) {
        let position = apex_soa.map(|rrset| rrset.position()).unwrap_or_default();
        let (line, column) = if position.line == 0 {
            (1, 1)
        } else {
            (position.line, position.column)
        };
        findings.errors.push(ZoneError::new(
            line,
            column,
            format!("the apex {} has no NS records: a zone must list its name servers, or no resolver can find it", ShownName(apex)),
        ));
    }

    check_dnames(nodes, &mut findings);
    for node in nodes.values() {
        check_cname(node, &mut findings);
        check_occluded(node, nodes, &mut findings);
        check_name_servers(node, nodes, apex, failed, &mut findings);
        check_alias_targets(node, nodes, apex, &mut findings);
    }
    crate::sort::sort_by_key(&mut findings.errors, |error| (error.line, error.column));
    findings
}

fn check_cname(node: &Node, findings: &mut Findings) {
    let Some(cname) = node.rrset(RecordType::CNAME) else {
        return;
    };
    if let Some(second) = cname.positions().get(1) {
        findings.errors.push(ZoneError::at(
            *second,
            format!(
                "{} has more than one CNAME record: a name can be an alias of only one other name",
                ShownName(node.name())
            ),
        ));
    }
    let others: Vec<String> = node
        .rrsets()
        .iter()
        .map(|rrset| rrset.record_type())
        .filter(|kind| *kind != RecordType::CNAME && !ALLOWED_BESIDE_CNAME.contains(kind))
        .map(|kind| kind.to_string())
        .collect();
    if !others.is_empty() {
        findings.errors.push(ZoneError::at(
            cname.position(),
            format!(
                "{} has a CNAME record and other records ({}): a name with a CNAME is only an alias and can have no other data (RFC 1034 section 3.6.2)",
                ShownName(node.name()),
                others.join(", ")
            ),
        ));
    }
}

/// RFC 6672: a DNAME stands for its whole subtree, so nothing may live below it (section 2.4),
/// it is one record (section 2.4) and, below the apex, it cannot be a zone cut too (section 2.3).
fn check_dnames(nodes: &BTreeMap<Name, Node>, findings: &mut Findings) {
    for (owner, node) in nodes {
        let Some(dname) = node.rrset(RecordType::DNAME) else {
            continue;
        };
        if let Some(second) = dname.positions().get(1) {
            findings.errors.push(ZoneError::at(
                *second,
                format!(
                    "{} has more than one DNAME record: a name can redirect the names below it to only one target (RFC 6672 section 2.4)",
                    ShownName(node.name())
                ),
            ));
        }
        if !node.is_apex() && node.rrset(RecordType::NS).is_some() {
            findings.errors.push(ZoneError::at(
                dname.position(),
                format!(
                    "{} has both NS and DNAME records: a name cannot be a delegation and a redirection at once (RFC 6672 section 2.3)",
                    ShownName(node.name())
                ),
            ));
        }
        // Canonical order puts a name's subtree right after it.
        let below = nodes
            .range(owner..)
            .skip(1)
            .take_while(|(name, _)| owner.zone_of(name));
        for (_, child) in below {
            // Signatures of NSEC3 records sit at hashed names below the apex; Knot does not count
            // them as children either.
            let has_data = child
                .rrsets()
                .iter()
                .any(|rrset| rrset.record_type() != RecordType::RRSIG);
            if let Some(first) = child.rrsets().first().filter(|_| has_data) {
                findings.errors.push(ZoneError::at(
                    first.position(),
                    format!(
                        "{} is below the DNAME at {}: a DNAME redirects every name below its owner, so no records can exist there (RFC 6672 section 2.4)",
                        ShownName(child.name()),
                        ShownName(node.name())
                    ),
                ));
            }
        }
    }
}

fn check_occluded(node: &Node, nodes: &BTreeMap<Name, Node>, findings: &mut Findings) {
    if node.is_delegation() && !node.is_below_delegation() {
        for rrset in node.rrsets() {
            if !ALLOWED_AT_DELEGATION.contains(&rrset.record_type()) {
                findings.warnings.push(ZoneError::at(
                    rrset.position(),
                    format!(
                        "{} is a delegation point (it has NS records), so this {} record is hidden: queries for it get a referral instead",
                        ShownName(node.name()),
                        rrset.record_type()
                    ),
                ));
            }
        }
    }
    if node.is_below_delegation() {
        for rrset in node.rrsets() {
            if !ADDRESS_TYPES.contains(&rrset.record_type()) {
                let delegation = enclosing_delegation(nodes, node.name())
                    .map(|name| ShownName(name).to_string())
                    .unwrap_or_default();
                findings.warnings.push(ZoneError::at(
                    rrset.position(),
                    format!(
                        "this {} record is below the delegation point {delegation}, so it is never served as an answer (only A and AAAA glue below a delegation is used)",
                        rrset.record_type()
                    ),
                ));
            }
        }
    }
}

/// The nearest delegation point strictly above `name`.
fn enclosing_delegation<'n>(nodes: &'n BTreeMap<Name, Node>, name: &Name) -> Option<&'n Name> {
    let mut labels = label_count(name);
    while labels > 0 {
        labels -= 1;
        if let Some(ancestor) = nodes.get(&name.trim_to(labels)) {
            if ancestor.is_delegation() {
                return Some(ancestor.name());
            }
        }
    }
    None
}

/// NS targets inside the zone need an address: glue below a delegation, authoritative data
/// elsewhere. Knot's "missing glue record" and BIND's "has no address records".
fn check_name_servers(
    node: &Node,
    nodes: &BTreeMap<Name, Node>,
    apex: &Name,
    failed: &[FailedEntry],
    findings: &mut Findings,
) {
    if !(node.is_apex() || node.is_delegation()) {
        return;
    }
    let Some(ns) = node.rrset(RecordType::NS) else {
        return;
    };
    for (record, position) in ns.records().iter().zip(ns.positions()) {
        let RData::NS(target) = &record.data else {
            continue;
        };
        let target = &target.0;
        if !apex.zone_of(target) {
            continue;
        }
        let holder = find_node_or_wildcard(nodes, apex, target);
        let has_address = holder.is_some_and(|holder| {
            ADDRESS_TYPES
                .iter()
                .any(|kind| holder.rrset(*kind).is_some())
        });
        if has_address || may_have_failed(failed, target, ADDRESS_TYPES) {
            continue;
        }
        let message = if node.is_apex() {
            format!(
                "the name server {} is inside this zone but has no address (A or AAAA) record: resolvers could not reach it",
                ShownName(target)
            )
        } else {
            format!(
                "missing glue: the delegation {} names the server {}, which is inside this zone, but there is no A or AAAA record for it, so resolvers could not reach the child zone",
                ShownName(node.name()),
                ShownName(target)
            )
        };
        findings.errors.push(ZoneError::at(*position, message));
    }
}

/// RFC 2181 section 10.3: NS, MX and SRV must name a host, not an alias.
fn check_alias_targets(
    node: &Node,
    nodes: &BTreeMap<Name, Node>,
    apex: &Name,
    findings: &mut Findings,
) {
    for rrset in node.rrsets() {
        for (record, position) in rrset.records().iter().zip(rrset.positions()) {
            let target = match &record.data {
                RData::NS(ns) => &ns.0,
                RData::MX(mx) => &mx.exchange,
                RData::SRV(srv) => &srv.target,
                _ => continue,
            };
            if !apex.zone_of(target) {
                continue;
            }
            let is_alias = find_node_or_wildcard(nodes, apex, target)
                .is_some_and(|holder| holder.rrset(RecordType::CNAME).is_some());
            if is_alias {
                findings.warnings.push(ZoneError::at(
                    *position,
                    format!(
                        "this {} record points at {}, which is an alias (CNAME); RFC 2181 section 10.3 requires the name of a host, and servers add no addresses for it",
                        rrset.record_type(),
                        ShownName(target)
                    ),
                ));
            }
        }
    }
}

/// The exact node of `name`, else the wildcard child of its closest encloser.
fn find_node_or_wildcard<'n>(
    nodes: &'n BTreeMap<Name, Node>,
    apex: &Name,
    name: &Name,
) -> Option<&'n Node> {
    if let Some(node) = nodes.get(name) {
        return Some(node);
    }
    let apex_labels = label_count(apex);
    let mut labels = label_count(name);
    while labels > apex_labels {
        labels -= 1;
        let ancestor = name.trim_to(labels);
        if let Some(encloser) = nodes.get(&ancestor) {
            if !encloser.has_wildcard_child() {
                return None;
            }
            return ancestor
                // Raw bytes: a `&str` label would go through hickory-proto's IDNA code.
                .prepend_label(&b"*"[..])
                .ok()
                .and_then(|wildcard| nodes.get(&wildcard));
        }
    }
    None
}
