//! The built-in mini-internet: zone files compiled into the library and the simulated servers
//! that serve them, all in memory.
//!
//! A root zone with the real root servers (names and addresses as in IANA's root hints), the
//! TLDs `com.`, `net.`, `org.` and `test.`, and demo zones that show what a learner meets:
//!
//! | name | shows |
//! |---|---|
//! | `www.example.com.` | glued delegation, in-zone CNAME to the apex |
//! | `ext.example.com.` | CNAME chain across three zones (`example.org.`, `example.net.`) |
//! | `example.com. MX` | one exchanger in the zone, one outside (`mail2.example.net.`) |
//! | `x.wild.example.com.`, `x.wild.demo.test.` | wildcards |
//! | `nope.example.com.`, `sip.example.com. AAAA`, `b.demo.test.` | NXDOMAIN, NODATA, empty non-terminal |
//! | `_sip._udp.example.com. SRV`, `example.com. TXT`/`CAA` | SRV, TXT, CAA |
//! | `long.demo.test. TXT` | truncation over UDP (TC=1), retried over TCP |
//! | `www.sub.example.com.` | delegation below `example.com.` |
//! | `www.glueless.test.` | glueless delegation: the name servers' addresses need a sub-resolution |
//! | `www.lame.test.` | lame delegation: REFUSED, then an upward referral, then the real server |
//! | `www.unreachable.test.` | a listed server nobody runs: timeout, then the next server |
//! | `www.broken.test.` | a server answering SERVFAIL, then the next server |
//! | `www.dead.test.` | every server fails: the resolver answers SERVFAIL |
//!
//! [`World::exchange`] is one query/response with one server: the server's zones answer through
//! [`crate::authority`] exactly as they would over the network, servers without a zone for the
//! name answer REFUSED, and addresses no server listens on time out.

mod servers;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

use hickory_proto::op::{Message, MessageType, ResponseCode};
use hickory_proto::rr::{Name, RData, Record, RecordType};

pub use servers::{BuiltinZoneFile, ServerBehaviour, BUILTIN_ZONE_FILES};

use crate::resolver::{NameServerHint, RootHints, Transport};
use crate::zone::{parse_zone, Zone, ZoneErrors, ZoneSet};
use servers::{ServerSpec, ROOT_SERVER_ZONES, SERVER_TABLE};

/// What one exchange with a simulated server gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exchange {
    /// The server's response message.
    Response(Vec<u8>),
    /// Nothing came back (no server at that address, or the query was not a DNS message).
    Timeout,
}

/// One simulated server.
#[derive(Debug, Clone)]
pub struct SimulatedServer {
    /// Its host name.
    pub name: Name,
    /// The addresses it answers on.
    pub addresses: Vec<IpAddr>,
    /// How it answers.
    pub behaviour: ServerBehaviour,
    zones: ZoneSet,
}

impl SimulatedServer {
    /// The zones it serves.
    pub fn zones(&self) -> &ZoneSet {
        &self.zones
    }
}

/// Why extra zones could not join the world.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorldError {
    /// Adding the delegation to the parent zone made that zone invalid.
    #[error("delegating {zone} from {parent} failed: {errors}")]
    Delegation {
        /// The zone being added.
        zone: String,
        /// The parent zone that had to hold the delegation.
        parent: String,
        /// What the zone checks said.
        errors: ZoneErrors,
    },
}

/// The mini-internet: every zone, every server, and which address reaches which server.
#[derive(Debug, Clone)]
pub struct World {
    /// Every zone by origin (servers share the same zones; a clone of the world copies none).
    zones: ZoneSet,
    servers: Vec<SimulatedServer>,
    server_by_address: HashMap<IpAddr, usize>,
    /// Built-in zones that failed to load (a bug in a zone file; a test keeps this empty).
    load_errors: Vec<(String, ZoneErrors)>,
}

impl World {
    /// The built-in world.
    pub fn builtin() -> World {
        let mut zones = ZoneSet::new();
        let mut load_errors = Vec::new();
        for file in BUILTIN_ZONE_FILES {
            let origin = Name::from_ascii(file.origin).ok();
            match parse_zone(file.text, origin.as_ref()) {
                Ok(zone) => {
                    zones.insert(zone);
                }
                Err(errors) => load_errors.push((file.file_name.to_string(), errors)),
            }
        }
        let mut world = World {
            zones,
            servers: Vec::new(),
            server_by_address: HashMap::new(),
            load_errors,
        };
        for hint in world.root_hints().name_servers {
            world.add_server(
                hint.name,
                hint.addresses,
                ServerBehaviour::Authoritative,
                ROOT_SERVER_ZONES,
            );
        }
        for spec in SERVER_TABLE {
            world.add_server_from_spec(spec);
        }
        world
    }

    /// This world plus the given zones (the CLI's `--zone FILE` options, the page's zone editor).
    ///
    /// A zone with the origin of a built-in zone replaces it on the servers that served it. A
    /// new zone is delegated from its closest enclosing zone (the root for a new TLD), with the
    /// NS records of its apex and glue for name servers inside it; each name server becomes a
    /// simulated server at the addresses the zone gives it (a name server that already exists in
    /// the world, e.g. `ns1.example.net.`, serves the zone in addition to its own).
    pub fn with_extra_zones(mut self, extra_zones: Vec<Zone>) -> Result<World, WorldError> {
        for zone in extra_zones {
            self.add_zone(Arc::new(zone))?;
        }
        Ok(self)
    }

    /// [`with_extra_zones`](Self::with_extra_zones) for one zone that is already shared (the
    /// page keeps each edited zone parsed): the world and its servers hold that very zone, so
    /// replacing a zone copies none of its records.
    pub fn with_extra_zone(mut self, zone: Arc<Zone>) -> Result<World, WorldError> {
        self.add_zone(zone)?;
        Ok(self)
    }

    /// The root hints: the root zone's apex NS records with the addresses its glue gives them.
    pub fn root_hints(&self) -> RootHints {
        let Some(root) = self.zones.get(&Name::root()) else {
            return RootHints::default();
        };
        RootHints {
            name_servers: apex_name_servers(root)
                .into_iter()
                .map(|name| {
                    let addresses = addresses_in_zone(root, &name);
                    NameServerHint { name, addresses }
                })
                .collect(),
        }
    }

    /// One exchange: `query_bytes` sent to `server_address` over `transport`.
    pub fn exchange(
        &self,
        server_address: IpAddr,
        query_bytes: &[u8],
        transport: Transport,
    ) -> Exchange {
        match self.server_by_address.get(&server_address) {
            Some(index) => self.exchange_with_server(*index, query_bytes, transport),
            None => Exchange::Timeout,
        }
    }

    /// One exchange with the server at `server_index` in [`servers`](Self::servers), whichever
    /// of its addresses the query went to (the page's Build tab picks servers from that list).
    /// [`Exchange::Timeout`] when there is no such server or it sends nothing back.
    pub fn exchange_with_server(
        &self,
        server_index: usize,
        query_bytes: &[u8],
        transport: Transport,
    ) -> Exchange {
        let Some(server) = self.servers.get(server_index) else {
            return Exchange::Timeout;
        };
        let response = match server.behaviour {
            ServerBehaviour::Authoritative => {
                crate::authority::answer(&server.zones, query_bytes, transport)
            }
            ServerBehaviour::AlwaysServFail => server_failure(query_bytes),
        };
        match response {
            Some(bytes) => Exchange::Response(bytes),
            None => Exchange::Timeout,
        }
    }

    /// Every simulated server.
    pub fn servers(&self) -> &[SimulatedServer] {
        &self.servers
    }

    /// The server listening on `address`.
    pub fn server_at(&self, address: IpAddr) -> Option<&SimulatedServer> {
        self.server_by_address
            .get(&address)
            .and_then(|index| self.servers.get(*index))
    }

    /// Every zone of the world.
    pub fn zones(&self) -> &ZoneSet {
        &self.zones
    }

    /// The zones `dnslab serve` answers from when it is given no zone file: every zone of the
    /// world in one set, as if one server served them all (the longest match picks the zone
    /// that answers).
    pub fn serve_zones(&self) -> &ZoneSet {
        &self.zones
    }

    /// The response `dnslab serve` (with no zone file) sends for `query_bytes` over
    /// `transport`, `None` when it drops the packet: [`crate::authority::answer`] over
    /// [`serve_zones`](Self::serve_zones), the same call its sockets make.
    pub fn answer_as_serve(&self, query_bytes: &[u8], transport: Transport) -> Option<Vec<u8>> {
        crate::authority::answer(self.serve_zones(), query_bytes, transport)
    }

    /// Built-in zone files that failed to load, with their errors (empty unless a zone file is
    /// broken, which a test guards against).
    pub fn load_errors(&self) -> &[(String, ZoneErrors)] {
        &self.load_errors
    }

    fn add_server_from_spec(&mut self, spec: &ServerSpec) {
        let Ok(name) = Name::from_ascii(spec.name) else {
            return;
        };
        let addresses = spec
            .addresses
            .iter()
            .filter_map(|address| address.parse().ok())
            .collect();
        self.add_server(name, addresses, spec.behaviour, spec.zones);
    }

    fn add_server(
        &mut self,
        name: Name,
        addresses: Vec<IpAddr>,
        behaviour: ServerBehaviour,
        zone_origins: &[&str],
    ) {
        let mut zones = ZoneSet::new();
        for origin in zone_origins {
            if let Some(zone) = Name::from_ascii(origin)
                .ok()
                .and_then(|origin| self.zones.get_shared(&origin))
            {
                zones.insert(Arc::clone(zone));
            }
        }
        let index = self.servers.len();
        for address in &addresses {
            self.server_by_address.entry(*address).or_insert(index);
        }
        self.servers.push(SimulatedServer {
            name,
            addresses,
            behaviour,
            zones,
        });
    }

    /// Adds or replaces one zone (see [`with_extra_zones`](Self::with_extra_zones)).
    fn add_zone(&mut self, zone: Arc<Zone>) -> Result<(), WorldError> {
        let origin = zone.origin().clone();
        if self.zones.get(&origin).is_some() {
            for server in &mut self.servers {
                if server.zones.get(&origin).is_some() {
                    server.zones.insert(Arc::clone(&zone));
                }
            }
            self.zones.insert(zone);
            return Ok(());
        }

        // Servers first: every apex name server with an address becomes (or joins) a server.
        for name_server in apex_name_servers(&zone) {
            if let Some(server) = self
                .servers
                .iter_mut()
                .find(|server| server.name == name_server)
            {
                server.zones.insert(Arc::clone(&zone));
                continue;
            }
            let addresses = addresses_in_zone(&zone, &name_server);
            let existing = addresses
                .iter()
                .find_map(|address| self.server_by_address.get(address).copied());
            if let Some(server) = existing.and_then(|index| self.servers.get_mut(index)) {
                server.zones.insert(Arc::clone(&zone));
                continue;
            }
            if addresses.is_empty() {
                // Nothing says where this server is: the delegation will name it, and resolvers
                // will find no address for it, as they would on the internet.
                continue;
            }
            let mut zones = ZoneSet::new();
            zones.insert(Arc::clone(&zone));
            let index = self.servers.len();
            for address in &addresses {
                self.server_by_address.entry(*address).or_insert(index);
            }
            self.servers.push(SimulatedServer {
                name: name_server,
                addresses,
                behaviour: ServerBehaviour::Authoritative,
                zones,
            });
        }

        self.delegate_from_parent(&zone)?;
        self.zones.insert(zone);
        Ok(())
    }

    /// Adds the NS records of `child`'s apex (and the glue they need) to its closest enclosing
    /// zone, and hands the changed parent to every server that serves it.
    fn delegate_from_parent(&mut self, child: &Zone) -> Result<(), WorldError> {
        let origin = child.origin();
        if origin.is_root() {
            return Ok(());
        }
        let Some(parent) = self.zones.find(&origin.base_name()) else {
            return Ok(());
        };
        let parent_origin = parent.origin().clone();
        let name_server_records: Vec<Record> = child
            .apex()
            .and_then(|apex| apex.rrset(RecordType::NS))
            .map(|rrset| rrset.records().to_vec())
            .unwrap_or_default();
        let mut glue: Vec<Record> = Vec::new();
        for record in &name_server_records {
            let RData::NS(name_server) = &record.data else {
                continue;
            };
            // Glue is needed (and allowed) only for name servers inside the delegated zone.
            if !origin.zone_of(&name_server.0) {
                continue;
            }
            for rtype in [RecordType::A, RecordType::AAAA] {
                if let Some(rrset) = child
                    .node(&name_server.0)
                    .and_then(|node| node.rrset(rtype))
                {
                    glue.extend(rrset.records().iter().cloned());
                }
            }
        }
        // The parent's own records at or below the new cut stay: they become occluded, as they
        // would on a real server after such a change.
        let records: Vec<Record> = parent
            .records()
            .cloned()
            .chain(name_server_records)
            .chain(glue)
            .collect();
        let rebuilt = Zone::from_records(&parent_origin, records).map_err(|errors| {
            WorldError::Delegation {
                zone: origin.to_ascii(),
                parent: parent_origin.to_ascii(),
                errors,
            }
        })?;
        let rebuilt = Arc::new(rebuilt);
        for server in &mut self.servers {
            if server.zones.get(&parent_origin).is_some() {
                server.zones.insert(Arc::clone(&rebuilt));
            }
        }
        self.zones.insert(rebuilt);
        Ok(())
    }
}

/// The names in the NS RRset at the apex of `zone`, in zone order.
pub(crate) fn apex_name_servers(zone: &Zone) -> Vec<Name> {
    zone.apex()
        .and_then(|apex| apex.rrset(RecordType::NS))
        .map(|rrset| {
            rrset
                .records()
                .iter()
                .filter_map(|record| match &record.data {
                    RData::NS(name) => Some(name.0.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The A then AAAA addresses `zone` holds for `name` (glue or authoritative data).
fn addresses_in_zone(zone: &Zone, name: &Name) -> Vec<IpAddr> {
    let Some(node) = zone.node(name) else {
        return Vec::new();
    };
    [RecordType::A, RecordType::AAAA]
        .iter()
        .filter_map(|rtype| node.rrset(*rtype))
        .flat_map(|rrset| rrset.records().iter())
        .filter_map(|record| match &record.data {
            RData::A(address) => Some(IpAddr::V4(address.0)),
            RData::AAAA(address) => Some(IpAddr::V6(address.0)),
            _ => None,
        })
        .collect()
}

/// The SERVFAIL a broken server sends: ID, RD, question and EDNS echoed. `None` (no response)
/// for bytes that are not a DNS query, as a real server drops them.
fn server_failure(query_bytes: &[u8]) -> Option<Vec<u8>> {
    let query = Message::from_vec(query_bytes).ok()?;
    if query.metadata.message_type != MessageType::Query {
        return None;
    }
    let mut response = Message::new(
        query.metadata.id,
        MessageType::Response,
        query.metadata.op_code,
    );
    response.metadata.recursion_desired = query.metadata.recursion_desired;
    response.metadata.response_code = ResponseCode::ServFail;
    response.add_queries(query.queries.iter().cloned());
    if let Some(edns) = &query.edns {
        let mut echoed = hickory_proto::op::Edns::new();
        echoed.set_max_payload(edns.max_payload());
        response.set_edns(echoed);
    }
    response.to_vec().ok()
}

#[cfg(test)]
mod tests;
