//! The answer algorithm of RFC 1034 section 4.3.2 for one zone, with RFC 2308 negative answers and RFC 4592 wildcards, following Knot DNS's `internet.c` step for step.
//!
//! The steps, as Knot names its states:
//! 1. find the QNAME's node: an exact match ([`State::Hit`] or [`State::NoData`]), a zone cut
//!    ([`State::Delegation`]), a CNAME to follow ([`State::Follow`], only inside this zone);
//! 2. no node: the wildcard child of the closest encloser answers in the QNAME's place, else a
//!    DNAME at the closest encloser rewrites the name (RFC 6672 section 3.2: the DNAME, a CNAME
//!    made from it, then the new name is followed like a CNAME target), else a zone cut above
//!    gives a referral, else the name does not exist ([`State::Miss`]);
//! 3. authority: the SOA for NXDOMAIN/NODATA (with the RFC 2308 TTL), the zone cut's NS records
//!    for a referral;
//! 4. additional: A/AAAA of the NS, MX and SRV targets found in the zone.
//!
//! AA is decided after the first step, before CNAMEs are followed: an answer that starts with
//! authoritative data stays authoritative even when the chain ends at a zone cut.

use hickory_proto::rr::rdata::CNAME;
use hickory_proto::rr::{Name, RData, Record, RecordType};

use super::writer::{IfTooBig, NoSpace, ResponseWriter, Section};
use crate::zone::{dname_target, Lookup, LookupName, Node, RRset, Zone};

/// Where the search stands (Knot's `KNOTD_IN_STATE_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    /// Data was found (or a CNAME chain ended outside the zone or in a loop).
    Hit,
    /// The name does not exist: NXDOMAIN.
    Miss,
    /// The name exists without the asked type: NODATA.
    NoData,
    /// The name is at or below a zone cut: referral.
    Delegation,
    /// A CNAME was written; its target is next.
    Follow,
    /// Required data did not fit; the response ends here with TC set.
    Truncated,
    /// Required data did not fit in a TCP message: SERVFAIL, as Knot answers.
    Failed,
}

/// How many CNAMEs and DNAMEs one answer follows (Knot's `CNAME_CHAIN_MAX`): the sixth is not
/// written, and the answer ends as if the chain led nowhere. Loops of CNAMEs are caught sooner
/// (an alias is never written twice), but a DNAME whose target lies below itself makes a new
/// name at every step, and only this limit ends it.
const MAXIMUM_ALIASES_FOLLOWED: usize = 5;

/// The longest name and the most labels a name can have (RFC 1035 section 2.3.4), for the DNAME
/// substitution check of RFC 6672 section 2.2.
const MAXIMUM_NAME_OCTETS: usize = 255;
const MAXIMUM_LABELS: usize = 127;

/// The types whose targets get addresses in the additional section (Knot's
/// `knot_rrtype_additional_needed`: NS, MX and SRV as RFC 1034 and 2782 say, and SVCB/HTTPS as
/// RFC 9460 section 4.2 suggests).
const ADDITIONAL_NEEDED: &[RecordType] = &[
    RecordType::NS,
    RecordType::MX,
    RecordType::SRV,
    RecordType::SVCB,
    RecordType::HTTPS,
];

/// What the search in one zone produced.
pub(crate) struct Outcome {
    pub state: State,
    pub authoritative: bool,
    pub name_error: bool,
    /// A DNAME substitution made a name longer than 255 octets: YXDOMAIN (RFC 6672 section 2.2),
    /// unless the search ended in a name error, whose NXDOMAIN Knot sends instead.
    pub name_too_long: bool,
}

/// The search state for one query.
pub(crate) struct Search<'z, 'q, 'w, 'b> {
    zone: &'z Zone,
    qname: &'q Name,
    qtype: RecordType,
    /// The name being solved: the QNAME, then each CNAME target.
    sname: Name,
    /// The same name as a lookup key.
    sname_key: LookupName,
    /// The node reached by the last step (Knot's `qdata->extra->node`).
    node: Option<&'z Node>,
    /// CNAME RRsets written as they are in the zone (not as wildcard expansions): writing one
    /// twice means a loop (Knot's duplicate check).
    written_aliases: Vec<usize>,
    /// The nodes whose DNAME RRset is in the answer: a DNAME is written once, however often the
    /// chain passes it.
    written_dnames: Vec<usize>,
    /// CNAMEs and DNAMEs followed so far (Knot's `cname_chain`).
    aliases_followed: usize,
    /// See [`Outcome::name_too_long`].
    name_too_long: bool,
    /// Wildcard nodes already used (Knot's `wildcard_visit`): a wildcard CNAME reached twice is a
    /// loop too.
    visited_wildcards: Vec<usize>,
    /// The RRsets written to the answer and authority sections, for the additional step.
    written: Vec<&'z RRset>,
    /// Additional-section RRsets already written, so that a target named twice is added once.
    additional_written: Vec<(usize, RecordType)>,
    writer: &'w mut ResponseWriter<'b>,
    /// UDP answers truncate; TCP answers that do not fit are a server failure.
    size_limited: bool,
}

impl<'z, 'q, 'w, 'b> Search<'z, 'q, 'w, 'b> {
    pub fn new(
        zone: &'z Zone,
        qname: &'q Name,
        sname_key: LookupName,
        qtype: RecordType,
        writer: &'w mut ResponseWriter<'b>,
        size_limited: bool,
    ) -> Self {
        Self {
            zone,
            qname,
            qtype,
            sname: qname.clone(),
            sname_key,
            node: None,
            written_aliases: Vec::new(),
            written_dnames: Vec::new(),
            aliases_followed: 0,
            name_too_long: false,
            visited_wildcards: Vec::new(),
            written: Vec::new(),
            additional_written: Vec::new(),
            writer,
            size_limited,
        }
    }

    /// Runs the whole algorithm: answer, authority and additional sections.
    pub fn run(mut self) -> Outcome {
        let mut state = self.solve_name();
        let authoritative = state != State::Delegation;
        // Every `Follow` counts against `MAXIMUM_ALIASES_FOLLOWED`, so this ends.
        while state == State::Follow {
            state = self.solve_name();
        }
        let outcome = |search: &Self| Outcome {
            state,
            authoritative,
            name_error: state == State::Miss,
            name_too_long: search.name_too_long,
        };
        if matches!(state, State::Truncated | State::Failed) || self.solve_authority(state).is_err()
        {
            return outcome(&self);
        }
        self.solve_additional(state);
        outcome(&self)
    }

    /// One step: find the current name in the zone.
    fn solve_name(&mut self) -> State {
        match self.zone.lookup(&self.sname_key) {
            Lookup::Exact(node) => {
                self.node = Some(node);
                self.name_found(node)
            }
            Lookup::Encloser(encloser) => self.name_not_found(encloser),
            // Only reachable while following a CNAME: the chain leaves the zone and the
            // resolver continues it elsewhere (Knot does not chase into other zones).
            Lookup::Outside => State::Hit,
        }
    }

    fn name_found(&mut self, node: &'z Node) -> State {
        // A DS query at a zone cut is answered from this (the parent) side; everything else at
        // or below a cut is the child's business, a CNAME hidden there too (Knot checks the cut
        // first).
        if (node.is_delegation() && self.qtype != RecordType::DS) || node.is_below_delegation() {
            return State::Delegation;
        }
        let follows_alias = !matches!(
            self.qtype,
            RecordType::CNAME | RecordType::RRSIG | RecordType::NSEC | RecordType::ANY
        );
        if follows_alias && node.rrset(RecordType::CNAME).is_some() {
            return self.follow_cname(node);
        }
        let before = self.writer.count(Section::Answer);
        if self.put_answer(node).is_err() {
            return if self.size_limited {
                State::Truncated
            } else {
                State::Failed
            };
        }
        if self.writer.count(Section::Answer) == before {
            State::NoData
        } else {
            State::Hit
        }
    }

    fn name_not_found(&mut self, encloser: &'z Node) -> State {
        // RFC 4592 section 3.3.1: only the closest encloser's own wildcard child may match; an
        // existing name in between (even an empty non-terminal) blocks it.
        if let Some(wildcard) = self.zone.wildcard_child(encloser) {
            self.node = Some(wildcard);
            let state = self.name_found(wildcard);
            self.visit_wildcard(wildcard);
            return state;
        }
        // RFC 6672 section 3.2 step 3.c: a DNAME at the closest encloser rewrites the name. A
        // DNAME hidden below a zone cut is the child zone's business, not this one's.
        if !encloser.is_delegation() && !encloser.is_below_delegation() {
            if let Some(dname) = encloser.rrset(RecordType::DNAME) {
                self.node = Some(encloser);
                return self.follow_dname(encloser, dname);
            }
        }
        // The nearest ancestor with data that the zone is authoritative for.
        let mut ancestor = encloser;
        while (ancestor.is_empty_non_terminal() || ancestor.is_below_delegation())
            && !ancestor.is_apex()
        {
            match self.zone.parent(ancestor) {
                Some(parent) => ancestor = parent,
                None => break,
            }
        }
        if ancestor.is_delegation() {
            self.node = Some(ancestor);
            return State::Delegation;
        }
        State::Miss
    }

    /// The owner name written for records of `node`: the QNAME as the client wrote it for the
    /// first answer (Knot points the owner at the question), the name being solved for a
    /// wildcard expansion, else the node's own name.
    fn answer_owner(&self, node: &'z Node) -> Name {
        if self.writer.count(Section::Answer) == 0 {
            self.qname.clone()
        } else if node.name().is_wildcard() && !self.sname_key.is_wildcard() {
            self.sname.clone()
        } else {
            node.name().clone()
        }
    }

    /// True when the owner written for `node` is the name being solved rather than the node's own
    /// name: a wildcard expansion after the first answer. Knot writes such records as fresh copies,
    /// which its duplicate check cannot recognise.
    fn is_expansion(&self, node: &Node) -> bool {
        self.writer.count(Section::Answer) > 0
            && node.name().is_wildcard()
            && !self.sname_key.is_wildcard()
    }

    fn visit_wildcard(&mut self, node: &'z Node) {
        if !self.visited_wildcards.contains(&node.index()) {
            self.visited_wildcards.push(node.index());
        }
    }

    /// Counts one more CNAME or DNAME followed; `false` (with the chain ended as leading
    /// nowhere) past Knot's limit.
    fn may_follow_another_alias(&mut self) -> bool {
        self.aliases_followed += 1;
        if self.aliases_followed > MAXIMUM_ALIASES_FOLLOWED {
            self.node = None;
            return false;
        }
        true
    }

    /// The state for required data that did not fit.
    fn no_space(&self) -> State {
        if self.size_limited {
            State::Truncated
        } else {
            State::Failed
        }
    }

    fn follow_cname(&mut self, node: &'z Node) -> State {
        let Some(cname) = node.rrset(RecordType::CNAME) else {
            return State::NoData;
        };
        if !self.may_follow_another_alias() {
            return State::Hit;
        }
        let is_copy = self.is_expansion(node);
        if !is_copy && self.written_aliases.contains(&node.index()) {
            // This alias is already in the answer: a loop. Stop as if the chain led nowhere.
            self.node = None;
            return State::Hit;
        }
        let owner = self.answer_owner(node);
        if self
            .put(
                Section::Answer,
                &owner,
                cname,
                cname.ttl(),
                IfTooBig::Truncate,
            )
            .is_err()
        {
            return if self.size_limited {
                State::Truncated
            } else {
                State::Failed
            };
        }
        if !is_copy {
            self.written_aliases.push(node.index());
        }
        if node.name().is_wildcard() {
            if self.visited_wildcards.contains(&node.index()) {
                self.node = None;
                return State::Hit;
            }
            self.visit_wildcard(node);
        }
        let Some(RData::CNAME(target)) = cname.records().first().map(|record| &record.data) else {
            self.node = None;
            return State::Hit;
        };
        let Some(target_key) = LookupName::new(&target.0) else {
            self.node = None;
            return State::Hit;
        };
        self.sname = target.0.clone();
        self.sname_key = target_key;
        State::Follow
    }

    /// RFC 6672 section 3.2 with Knot's details: the DNAME (once per answer), then a CNAME from
    /// the name being solved to that name with the DNAME's owner replaced by its target, with the
    /// DNAME's TTL; then the new name is solved like a CNAME target. When the new name would be
    /// too long, no CNAME is made, the RCODE becomes YXDOMAIN and, as Knot does, the DNAME's
    /// target itself is solved next.
    fn follow_dname(&mut self, node: &'z Node, dname: &'z RRset) -> State {
        if !self.may_follow_another_alias() {
            return State::Hit;
        }
        let before = self.writer.count(Section::Answer);
        if !self.written_dnames.contains(&node.index()) {
            // Only a query name with a literal `*` label finds a wildcard DNAME as its closest
            // encloser; Knot then writes the DNAME as a wildcard expansion, at the name solved.
            let owner = if node.name().is_wildcard() && !self.sname_key.is_wildcard() {
                self.sname.clone()
            } else {
                node.name().clone()
            };
            if self
                .put(
                    Section::Answer,
                    &owner,
                    dname,
                    dname.ttl(),
                    IfTooBig::Truncate,
                )
                .is_err()
            {
                return self.no_space();
            }
            self.written_dnames.push(node.index());
        }
        let Some(target) = dname.records().first().and_then(dname_target) else {
            self.node = None;
            return State::Hit;
        };
        let next_name = match substitute(&self.sname, node.name(), &target) {
            Substitution::TooLong => {
                self.name_too_long = true;
                target
            }
            Substitution::Failed => return State::Failed,
            Substitution::Name(rewritten) => {
                let cname = Record::from_rdata(
                    self.sname.clone(),
                    dname.ttl(),
                    RData::CNAME(CNAME(rewritten.clone())),
                );
                let if_too_big = if self.size_limited {
                    IfTooBig::Truncate
                } else {
                    IfTooBig::Omit
                };
                if self
                    .writer
                    .put_records(
                        Section::Answer,
                        &self.sname,
                        std::slice::from_ref(&cname),
                        dname.ttl(),
                        if_too_big,
                    )
                    .is_err()
                {
                    return self.no_space();
                }
                if self.qtype == RecordType::CNAME {
                    // The made-up CNAME is what was asked for.
                    return State::Hit;
                }
                rewritten
            }
        };
        if self.writer.count(Section::Answer) == before {
            // Neither the DNAME (already there) nor a CNAME was written: a loop.
            self.node = None;
            return State::Hit;
        }
        if node.name().is_wildcard() {
            if self.visited_wildcards.contains(&node.index()) {
                self.node = None;
                return State::Hit;
            }
            self.visit_wildcard(node);
        }
        let Some(next_key) = LookupName::new(&next_name) else {
            self.node = None;
            return State::Hit;
        };
        self.sname = next_name;
        self.sname_key = next_key;
        State::Follow
    }

    fn put_answer(&mut self, node: &'z Node) -> Result<(), NoSpace> {
        let owner = self.answer_owner(node);
        // RFC 8482 section 4.1: an ANY query gets one RRset, not all of them (Knot picks the
        // node's first RRset, the one with the lowest type number).
        let rrset = if self.qtype == RecordType::ANY {
            node.rrsets().first()
        } else {
            node.rrset(self.qtype)
        };
        match rrset {
            Some(rrset) => self.put(
                Section::Answer,
                &owner,
                rrset,
                rrset.ttl(),
                IfTooBig::Truncate,
            ),
            None => Ok(()),
        }
    }

    fn put(
        &mut self,
        section: Section,
        owner: &Name,
        rrset: &'z RRset,
        ttl: u32,
        if_too_big: IfTooBig,
    ) -> Result<(), NoSpace> {
        let if_too_big = if self.size_limited {
            if_too_big
        } else {
            IfTooBig::Omit
        };
        self.writer
            .put_rrset(section, owner, rrset, ttl, if_too_big)?;
        if section != Section::Additional {
            self.written.push(rrset);
        }
        Ok(())
    }

    /// RFC 1034 step 3 and RFC 2308: SOA for negative answers, NS for referrals.
    fn solve_authority(&mut self, state: State) -> Result<(), NoSpace> {
        match state {
            State::Miss | State::NoData => {
                let Some(soa) = self
                    .zone
                    .apex()
                    .and_then(|apex| apex.rrset(RecordType::SOA))
                else {
                    return Ok(());
                };
                // RFC 2308 section 3: the SOA's TTL is the negative caching time, the smaller of
                // its own TTL and its MINIMUM field. Optional data: never sets TC.
                let ttl = self.zone.negative_ttl();
                self.put(
                    Section::Authority,
                    self.zone.origin(),
                    soa,
                    ttl,
                    IfTooBig::Omit,
                )
            }
            State::Delegation => {
                let Some(cut) = self
                    .node
                    .and_then(|node| self.zone.delegation_at_or_above(node))
                else {
                    return Ok(());
                };
                let Some(ns) = cut.rrset(RecordType::NS) else {
                    return Ok(());
                };
                self.put(
                    Section::Authority,
                    cut.name(),
                    ns,
                    ns.ttl(),
                    IfTooBig::Truncate,
                )
            }
            _ => Ok(()),
        }
    }

    /// RFC 1034 step 6: addresses of the NS, MX and SRV targets this zone holds.
    fn solve_additional(&mut self, state: State) {
        let written = self.written.clone();
        for rrset in written {
            if !ADDITIONAL_NEEDED.contains(&rrset.record_type()) {
                continue;
            }
            if self.put_additional(rrset, state).is_err() {
                return;
            }
        }
    }

    /// Knot's `put_additional`: glue a referral cannot work without comes first and sets TC when
    /// it does not fit; other addresses are optional. Like Knot, a failure only stops the current
    /// target, and the last attempt decides whether later RRsets are still tried.
    fn put_additional(&mut self, rrset: &'z RRset, state: State) -> Result<(), NoSpace> {
        let mut required: Vec<(Name, &'z Node)> = Vec::new();
        let mut optional: Vec<(Name, &'z Node)> = Vec::new();
        for record in rrset.records() {
            let target = match &record.data {
                RData::NS(ns) => &ns.0,
                RData::MX(mx) => &mx.exchange,
                RData::SRV(srv) => &srv.target,
                RData::SVCB(svcb) => &svcb.target_name,
                RData::HTTPS(https) => &https.0.target_name,
                _ => continue,
            };
            let Some(node) =
                LookupName::new(target).and_then(|key| self.zone.node_or_wildcard_by_key(&key))
            else {
                continue;
            };
            let is_required = rrset.record_type() == RecordType::NS
                && (node.is_delegation() || node.is_below_delegation())
                && rrset.name().zone_of(node.name());
            if is_required {
                required.push((target.clone(), node));
            } else {
                optional.push((target.clone(), node));
            }
        }
        let mut result = Ok(());
        let required_count = required.len();
        for (index, (target, node)) in required.into_iter().chain(optional).enumerate() {
            let is_required = index < required_count && state == State::Delegation;
            let if_too_big = if is_required {
                IfTooBig::Truncate
            } else {
                IfTooBig::Omit
            };
            for address_type in [RecordType::A, RecordType::AAAA] {
                let Some(addresses) = node.rrset(address_type) else {
                    continue;
                };
                if self.already_written(node, address_type) {
                    continue;
                }
                result = self.put(
                    Section::Additional,
                    &target,
                    addresses,
                    addresses.ttl(),
                    if_too_big,
                );
                if result.is_err() {
                    break;
                }
                self.additional_written.push((node.index(), address_type));
            }
        }
        result
    }

    /// True when `node`'s RRset of this type is already in the message.
    fn already_written(&self, node: &'z Node, record_type: RecordType) -> bool {
        self.additional_written
            .contains(&(node.index(), record_type))
            || node.rrset(record_type).is_some_and(|candidate| {
                self.written
                    .iter()
                    .any(|written| std::ptr::eq(*written, candidate))
            })
    }
}

/// The name a DNAME makes of a name below its owner.
enum Substitution {
    Name(Name),
    /// Longer than 255 octets or 127 labels (RFC 6672 section 2.2): YXDOMAIN.
    TooLong,
    /// The labels would not make a name (not expected once the length is checked).
    Failed,
}

/// `name` with its `owner` suffix replaced by `target` (RFC 6672 section 2.2). The kept labels are
/// lowercased, as Knot writes them (it lowercases the query name before anything else).
fn substitute(name: &Name, owner: &Name, target: &Name) -> Substitution {
    let labels = |name: &Name| name.iter().count();
    let octets = |name: &Name| 1 + name.iter().map(|label| label.len() + 1).sum::<usize>();
    let kept = labels(name).saturating_sub(labels(owner));
    let new_labels = kept + labels(target);
    let new_octets = (octets(name) + octets(target)).saturating_sub(octets(owner));
    if new_labels > MAXIMUM_LABELS || new_octets > MAXIMUM_NAME_OCTETS {
        return Substitution::TooLong;
    }
    let prefix = name.iter().take(kept).map(<[u8]>::to_ascii_lowercase);
    let suffix = target.iter().map(<[u8]>::to_vec);
    match Name::from_labels(prefix.chain(suffix)) {
        Ok(mut rewritten) => {
            rewritten.set_fqdn(true);
            Substitution::Name(rewritten)
        }
        Err(_) => Substitution::Failed,
    }
}
