//! The resolver's cache: RRsets, negative answers (RFC 2308) and delegations, each with an expiry.
//!
//! Time is whatever the caller passes in (seconds); nothing here reads a clock. Keys use
//! hickory-proto's [`Name`], whose `Eq` and `Hash` ignore ASCII case, so `WWW.Example.COM.` and
//! `www.example.com.` share an entry (RFC 4343), while the records keep the case they came with.
//!
//! An entry lives for the smallest TTL of its records; served records carry the TTL that is left,
//! counted down as real resolvers do. Expired entries are dropped when they are looked up.

use std::collections::HashMap;
use std::net::IpAddr;

use hickory_proto::rr::{Name, RData, Record, RecordType};
use serde::Serialize;

use super::trace::TypeText;

/// Most records kept in one cached RRset: a response holds at most 64 KiB, so this only guards
/// against a caller feeding absurd messages, without refusing any real one.
const MAXIMUM_RECORDS_PER_RRSET: usize = 1024;

/// Most entries in each table before the oldest expiry is evicted: the cache must stay bounded
/// whatever the servers send.
const MAXIMUM_ENTRIES_PER_TABLE: usize = 10_000;

/// Cached records of one name and type.
#[derive(Debug, Clone)]
struct CachedRrset {
    records: Vec<Record>,
    stored_at: u64,
    expires_at: u64,
}

/// A cached negative answer: the SOA that came with it.
#[derive(Debug, Clone)]
struct CachedNegative {
    soa: Record,
    stored_at: u64,
    expires_at: u64,
}

/// A cached zone cut: the zone's name servers with the glue addresses that came with them.
#[derive(Debug, Clone)]
struct CachedDelegation {
    name_servers: Vec<(Name, Vec<IpAddr>)>,
    stored_at: u64,
    expires_at: u64,
}

/// One cache entry as plain data: see [`Resolver::cache_entries`](super::Resolver::cache_entries).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CacheEntry {
    /// The owner name (the zone, for a delegation), as the records carry it.
    pub name: String,
    /// The type: the RRset's, `NS` for a delegation, the type asked for a NODATA, and type 0
    /// (`TYPE0`) for an NXDOMAIN, which covers every type of the name.
    pub rtype: TypeText,
    /// What kind of knowledge it is.
    pub kind: CacheEntryKind,
    /// One text per record: the RDATA in presentation form; for a negative entry the SOA that
    /// came with it (`example.com. SOA ns1.example.com. …`); for a delegation each name server,
    /// with the glue addresses kept for it (`ns1.example.com. (glue 192.0.2.53)`).
    pub data: Vec<String>,
    /// When it was stored, in the caller's seconds.
    pub stored_at: u64,
    /// When it expires: it is used while `now < expires_at`.
    pub expires_at: u64,
}

/// What a cache entry holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CacheEntryKind {
    /// An RRset.
    Records,
    /// The name does not exist (RFC 2308 negative caching).
    NxDomain,
    /// The name has no records of this type (RFC 2308 negative caching).
    NoData,
    /// A zone cut and its name servers, learnt from a referral.
    Delegation,
}

/// What a negative cache lookup found.
#[derive(Debug, Clone)]
pub(crate) struct NegativeHit {
    /// The SOA with its remaining TTL.
    pub soa: Record,
    /// Seconds left.
    pub remaining_ttl: u32,
}

/// What a delegation lookup found.
#[derive(Debug, Clone)]
pub(crate) struct DelegationHit {
    pub zone: Name,
    pub name_servers: Vec<(Name, Vec<IpAddr>)>,
    pub remaining_ttl: u32,
}

/// The whole cache.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cache {
    rrsets: HashMap<(Name, RecordType), CachedRrset>,
    /// NXDOMAIN: the name does not exist, whatever the type.
    nonexistent_names: HashMap<Name, CachedNegative>,
    /// NODATA: the name exists without records of this type.
    empty_types: HashMap<(Name, RecordType), CachedNegative>,
    delegations: HashMap<Name, CachedDelegation>,
}

impl Cache {
    /// Forgets everything.
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// Number of entries of all kinds (for tests and display).
    pub fn entry_count(&self) -> usize {
        self.rrsets.len()
            + self.nonexistent_names.len()
            + self.empty_types.len()
            + self.delegations.len()
    }

    /// Stores one RRset (all records must share owner and type; the smallest TTL rules).
    pub fn store_rrset(&mut self, records: &[Record], now: u64) {
        let Some(first) = records.first() else {
            return;
        };
        let ttl = records.iter().map(|record| record.ttl).min().unwrap_or(0);
        if ttl == 0 {
            // A TTL of zero means "use for this transaction only" (RFC 1035 3.2.1).
            return;
        }
        make_room(&mut self.rrsets, now);
        let key = (first.name.clone(), first.record_type());
        let kept: Vec<Record> = records
            .iter()
            .take(MAXIMUM_RECORDS_PER_RRSET)
            .cloned()
            .collect();
        self.rrsets.insert(
            key,
            CachedRrset {
                records: kept,
                stored_at: now,
                expires_at: now.saturating_add(u64::from(ttl)),
            },
        );
    }

    /// The cached RRset for `name`/`rtype`, with TTLs counted down, or `None` (also when expired).
    pub fn rrset(
        &mut self,
        name: &Name,
        rtype: RecordType,
        now: u64,
    ) -> Option<(Vec<Record>, u32)> {
        let key = (name.clone(), rtype);
        let entry = self.rrsets.get(&key)?;
        if entry.expires_at <= now {
            self.rrsets.remove(&key);
            return None;
        }
        let elapsed = now.saturating_sub(entry.stored_at);
        let remaining = remaining_seconds(entry.expires_at, now);
        let records = entry
            .records
            .iter()
            .map(|record| {
                let mut counted_down = record.clone();
                counted_down.ttl = record
                    .ttl
                    .saturating_sub(u32::try_from(elapsed).unwrap_or(u32::MAX));
                counted_down
            })
            .collect();
        Some((records, remaining))
    }

    /// Stores an NXDOMAIN for `name` (RFC 2308 section 5: the TTL is the smaller of the SOA's TTL
    /// and its MINIMUM field).
    pub fn store_nonexistent_name(&mut self, name: &Name, soa: &Record, now: u64) {
        let Some(entry) = negative_entry(soa, now) else {
            return;
        };
        make_room(&mut self.nonexistent_names, now);
        self.nonexistent_names.insert(name.clone(), entry);
    }

    /// Stores a NODATA for `name`/`rtype`.
    pub fn store_empty_type(&mut self, name: &Name, rtype: RecordType, soa: &Record, now: u64) {
        let Some(entry) = negative_entry(soa, now) else {
            return;
        };
        make_room(&mut self.empty_types, now);
        self.empty_types.insert((name.clone(), rtype), entry);
    }

    /// A cached NXDOMAIN for `name`.
    pub fn nonexistent_name(&mut self, name: &Name, now: u64) -> Option<NegativeHit> {
        let entry = self.nonexistent_names.get(name)?;
        if entry.expires_at <= now {
            self.nonexistent_names.remove(name);
            return None;
        }
        Some(negative_hit(entry, now))
    }

    /// A cached NODATA for `name`/`rtype`.
    pub fn empty_type(&mut self, name: &Name, rtype: RecordType, now: u64) -> Option<NegativeHit> {
        let key = (name.clone(), rtype);
        let entry = self.empty_types.get(&key)?;
        if entry.expires_at <= now {
            self.empty_types.remove(&key);
            return None;
        }
        Some(negative_hit(entry, now))
    }

    /// Stores a delegation learnt from a referral, for the TTL of its NS records.
    pub fn store_delegation(
        &mut self,
        zone: &Name,
        name_servers: Vec<(Name, Vec<IpAddr>)>,
        ttl: u32,
        now: u64,
    ) {
        if ttl == 0 || name_servers.is_empty() {
            return;
        }
        make_room(&mut self.delegations, now);
        self.delegations.insert(
            zone.clone(),
            CachedDelegation {
                name_servers,
                stored_at: now,
                expires_at: now.saturating_add(u64::from(ttl)),
            },
        );
    }

    /// The deepest cached delegation that encloses `name` (the root is never cached: the root
    /// hints stand for it).
    pub fn closest_delegation(&mut self, name: &Name, now: u64) -> Option<DelegationHit> {
        let mut candidate = name.clone();
        loop {
            if candidate.is_root() {
                return None;
            }
            if let Some(entry) = self.delegations.get(&candidate) {
                if entry.expires_at > now {
                    return Some(DelegationHit {
                        zone: candidate,
                        name_servers: entry.name_servers.clone(),
                        remaining_ttl: remaining_seconds(entry.expires_at, now),
                    });
                }
                self.delegations.remove(&candidate);
            }
            candidate = candidate.base_name();
        }
    }

    /// Every entry still alive at `now`, as plain data, in canonical name order (then type):
    /// what a learner sees when looking inside the cache. Nothing is removed.
    pub fn entries(&self, now: u64) -> Vec<CacheEntry> {
        let mut entries: Vec<(Name, u16, CacheEntry)> = Vec::with_capacity(self.entry_count());
        for ((name, rtype), entry) in &self.rrsets {
            if entry.expires_at <= now {
                continue;
            }
            entries.push((
                name.clone(),
                u16::from(*rtype),
                CacheEntry {
                    name: name.to_ascii(),
                    rtype: TypeText::new(u16::from(*rtype)),
                    kind: CacheEntryKind::Records,
                    data: entry
                        .records
                        .iter()
                        .map(|record| record.data.to_string())
                        .collect(),
                    stored_at: entry.stored_at,
                    expires_at: entry.expires_at,
                },
            ));
        }
        for (name, entry) in &self.nonexistent_names {
            if entry.expires_at <= now {
                continue;
            }
            entries.push((
                name.clone(),
                0,
                negative_entry_view(name, None, entry, CacheEntryKind::NxDomain),
            ));
        }
        for ((name, rtype), entry) in &self.empty_types {
            if entry.expires_at <= now {
                continue;
            }
            entries.push((
                name.clone(),
                u16::from(*rtype),
                negative_entry_view(name, Some(*rtype), entry, CacheEntryKind::NoData),
            ));
        }
        for (zone, entry) in &self.delegations {
            if entry.expires_at <= now {
                continue;
            }
            entries.push((
                zone.clone(),
                u16::from(RecordType::NS),
                CacheEntry {
                    name: zone.to_ascii(),
                    rtype: TypeText::new(u16::from(RecordType::NS)),
                    kind: CacheEntryKind::Delegation,
                    data: entry
                        .name_servers
                        .iter()
                        .map(|(server, glue)| {
                            let mut text = server.to_ascii();
                            if !glue.is_empty() {
                                let addresses: Vec<String> =
                                    glue.iter().map(ToString::to_string).collect();
                                text.push_str(" (glue ");
                                text.push_str(&addresses.join(", "));
                                text.push(')');
                            }
                            text
                        })
                        .collect(),
                    stored_at: entry.stored_at,
                    expires_at: entry.expires_at,
                },
            ));
        }
        crate::sort::sort_by(&mut entries, |left, right| {
            (&left.0, left.1, left.2.kind).cmp(&(&right.0, right.1, right.2.kind))
        });
        entries.into_iter().map(|(_, _, entry)| entry).collect()
    }

    /// Addresses of `name` known from cached A and AAAA RRsets (IPv4 first).
    pub fn addresses(&mut self, name: &Name, now: u64) -> Vec<IpAddr> {
        let mut found = Vec::new();
        for rtype in [RecordType::A, RecordType::AAAA] {
            if let Some((records, _)) = self.rrset(name, rtype, now) {
                found.extend(records.iter().filter_map(record_address));
            }
        }
        found
    }
}

/// The address an A or AAAA record holds.
pub(crate) fn record_address(record: &Record) -> Option<IpAddr> {
    match &record.data {
        RData::A(address) => Some(IpAddr::V4(address.0)),
        RData::AAAA(address) => Some(IpAddr::V6(address.0)),
        _ => None,
    }
}

/// The negative-caching TTL of an SOA record: min(TTL, MINIMUM), RFC 2308 section 5.
pub(crate) fn negative_ttl(soa: &Record) -> Option<u32> {
    match &soa.data {
        RData::SOA(data) => Some(soa.ttl.min(data.minimum)),
        _ => None,
    }
}

fn negative_entry(soa: &Record, now: u64) -> Option<CachedNegative> {
    let ttl = negative_ttl(soa)?;
    if ttl == 0 {
        return None;
    }
    let mut stored = soa.clone();
    stored.ttl = ttl;
    Some(CachedNegative {
        soa: stored,
        stored_at: now,
        expires_at: now.saturating_add(u64::from(ttl)),
    })
}

fn negative_entry_view(
    name: &Name,
    rtype: Option<RecordType>,
    entry: &CachedNegative,
    kind: CacheEntryKind,
) -> CacheEntry {
    CacheEntry {
        name: name.to_ascii(),
        rtype: TypeText::new(rtype.map_or(0, u16::from)),
        kind,
        data: vec![format!(
            "{} SOA {}",
            entry.soa.name.to_ascii(),
            entry.soa.data
        )],
        stored_at: entry.stored_at,
        expires_at: entry.expires_at,
    }
}

fn negative_hit(entry: &CachedNegative, now: u64) -> NegativeHit {
    let remaining_ttl = remaining_seconds(entry.expires_at, now);
    let mut soa = entry.soa.clone();
    let elapsed = u32::try_from(now.saturating_sub(entry.stored_at)).unwrap_or(u32::MAX);
    soa.ttl = soa.ttl.saturating_sub(elapsed);
    NegativeHit { soa, remaining_ttl }
}

fn remaining_seconds(expires_at: u64, now: u64) -> u32 {
    u32::try_from(expires_at.saturating_sub(now)).unwrap_or(u32::MAX)
}

/// Keeps a table under [`MAXIMUM_ENTRIES_PER_TABLE`]: first drop what has expired, then (if still
/// full) the entry that expires soonest.
fn make_room<K: Clone + Eq + std::hash::Hash, V: Expiring>(table: &mut HashMap<K, V>, now: u64) {
    if table.len() < MAXIMUM_ENTRIES_PER_TABLE {
        return;
    }
    table.retain(|_, entry| entry.expires_at() > now);
    if table.len() < MAXIMUM_ENTRIES_PER_TABLE {
        return;
    }
    let soonest = table
        .iter()
        .min_by_key(|(_, entry)| entry.expires_at())
        .map(|(key, _)| key.clone());
    if let Some(key) = soonest {
        table.remove(&key);
    }
}

trait Expiring {
    fn expires_at(&self) -> u64;
}

impl Expiring for CachedRrset {
    fn expires_at(&self) -> u64 {
        self.expires_at
    }
}

impl Expiring for CachedNegative {
    fn expires_at(&self) -> u64 {
        self.expires_at
    }
}

impl Expiring for CachedDelegation {
    fn expires_at(&self) -> u64 {
        self.expires_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::rr::rdata::{A, SOA};
    use std::net::Ipv4Addr;

    fn name(text: &str) -> Name {
        Name::from_ascii(text).expect("test name")
    }

    fn a_record(owner: &str, ttl: u32, last_octet: u8) -> Record {
        Record::from_rdata(
            name(owner),
            ttl,
            RData::A(A(Ipv4Addr::new(192, 0, 2, last_octet))),
        )
    }

    fn soa_record(ttl: u32, minimum: u32) -> Record {
        Record::from_rdata(
            name("example."),
            ttl,
            RData::SOA(SOA::new(
                name("ns.example."),
                name("hostmaster.example."),
                1,
                7200,
                3600,
                1_209_600,
                minimum,
            )),
        )
    }

    #[test]
    fn rrsets_count_down_and_expire_and_ignore_case() {
        let mut cache = Cache::default();
        cache.store_rrset(
            &[
                a_record("www.example.", 300, 1),
                a_record("www.example.", 100, 2),
            ],
            1000,
        );
        let (records, remaining) = cache
            .rrset(&name("WWW.Example."), RecordType::A, 1040)
            .expect("cached");
        assert_eq!(remaining, 60, "the smallest TTL of the RRset rules");
        assert_eq!(
            records.iter().map(|record| record.ttl).collect::<Vec<_>>(),
            [260, 60]
        );
        assert!(cache
            .rrset(&name("www.example."), RecordType::A, 1100)
            .is_none());
        assert_eq!(
            cache.entry_count(),
            0,
            "expired entries are dropped on lookup"
        );
    }

    #[test]
    fn negative_entries_live_for_min_of_soa_ttl_and_minimum() {
        let mut cache = Cache::default();
        cache.store_nonexistent_name(&name("nope.example."), &soa_record(3600, 300), 0);
        cache.store_empty_type(
            &name("www.example."),
            RecordType::MX,
            &soa_record(120, 300),
            0,
        );
        assert_eq!(
            cache
                .nonexistent_name(&name("nope.example."), 0)
                .map(|hit| hit.remaining_ttl),
            Some(300)
        );
        assert_eq!(
            cache
                .empty_type(&name("www.example."), RecordType::MX, 100)
                .map(|hit| hit.soa.ttl),
            Some(20)
        );
        assert!(cache
            .empty_type(&name("www.example."), RecordType::A, 0)
            .is_none());
        assert!(cache
            .nonexistent_name(&name("nope.example."), 300)
            .is_none());
    }

    #[test]
    fn closest_delegation_is_the_deepest_unexpired_one() {
        let mut cache = Cache::default();
        let servers = vec![(name("ns.example."), vec![])];
        cache.store_delegation(&name("example."), servers.clone(), 100, 0);
        cache.store_delegation(&name("sub.example."), servers, 10, 0);
        let hit = cache
            .closest_delegation(&name("a.b.sub.example."), 5)
            .expect("found");
        assert_eq!(hit.zone, name("sub.example."));
        let hit = cache
            .closest_delegation(&name("a.b.sub.example."), 50)
            .expect("found");
        assert_eq!(hit.zone, name("example."));
        assert!(cache.closest_delegation(&name("other."), 5).is_none());
    }
}
