//! The built-in mini-internet's zone files and the table of which simulated server serves what.
//!
//! The root servers are not in the table: they come from the root zone itself (its apex NS
//! records and their glue), so the world and the root hints cannot disagree.

/// One zone file compiled into the library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltinZoneFile {
    /// The zone's apex, e.g. `example.com.`.
    pub origin: &'static str,
    /// The file's name under `world/zones/`.
    pub file_name: &'static str,
    /// The master-file text.
    pub text: &'static str,
}

/// Every zone of the built-in world.
pub const BUILTIN_ZONE_FILES: &[BuiltinZoneFile] = &[
    BuiltinZoneFile {
        origin: ".",
        file_name: "root.zone",
        text: include_str!("zones/root.zone"),
    },
    BuiltinZoneFile {
        origin: "root-servers.net.",
        file_name: "root-servers.net.zone",
        text: include_str!("zones/root-servers.net.zone"),
    },
    BuiltinZoneFile {
        origin: "com.",
        file_name: "com.zone",
        text: include_str!("zones/com.zone"),
    },
    BuiltinZoneFile {
        origin: "net.",
        file_name: "net.zone",
        text: include_str!("zones/net.zone"),
    },
    BuiltinZoneFile {
        origin: "gtld-servers.net.",
        file_name: "gtld-servers.net.zone",
        text: include_str!("zones/gtld-servers.net.zone"),
    },
    BuiltinZoneFile {
        origin: "org.",
        file_name: "org.zone",
        text: include_str!("zones/org.zone"),
    },
    BuiltinZoneFile {
        origin: "test.",
        file_name: "test.zone",
        text: include_str!("zones/test.zone"),
    },
    BuiltinZoneFile {
        origin: "example.com.",
        file_name: "example.com.zone",
        text: include_str!("zones/example.com.zone"),
    },
    BuiltinZoneFile {
        origin: "sub.example.com.",
        file_name: "sub.example.com.zone",
        text: include_str!("zones/sub.example.com.zone"),
    },
    BuiltinZoneFile {
        origin: "example.net.",
        file_name: "example.net.zone",
        text: include_str!("zones/example.net.zone"),
    },
    BuiltinZoneFile {
        origin: "example.org.",
        file_name: "example.org.zone",
        text: include_str!("zones/example.org.zone"),
    },
    BuiltinZoneFile {
        origin: "demo.test.",
        file_name: "demo.test.zone",
        text: include_str!("zones/demo.test.zone"),
    },
    BuiltinZoneFile {
        origin: "glueless.test.",
        file_name: "glueless.test.zone",
        text: include_str!("zones/glueless.test.zone"),
    },
    BuiltinZoneFile {
        origin: "lame.test.",
        file_name: "lame.test.zone",
        text: include_str!("zones/lame.test.zone"),
    },
    BuiltinZoneFile {
        origin: "unreachable.test.",
        file_name: "unreachable.test.zone",
        text: include_str!("zones/unreachable.test.zone"),
    },
    BuiltinZoneFile {
        origin: "broken.test.",
        file_name: "broken.test.zone",
        text: include_str!("zones/broken.test.zone"),
    },
];

/// How a simulated server behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerBehaviour {
    /// Answers from its zones like a real authoritative server (REFUSED for names outside them).
    Authoritative,
    /// Answers SERVFAIL to every query, like a server whose copy of the zone failed to load.
    AlwaysServFail,
}

/// One row of the server table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ServerSpec {
    pub name: &'static str,
    pub addresses: &'static [&'static str],
    pub behaviour: ServerBehaviour,
    pub zones: &'static [&'static str],
}

/// Zones every root server serves (the servers themselves come from the root zone).
pub(crate) const ROOT_SERVER_ZONES: &[&str] = &[".", "root-servers.net."];

/// Every server below the root. Addresses are in the documentation ranges (RFC 5737, RFC 3849)
/// and must match the glue in the parent zones; `tests` checks that they do.
pub(crate) const SERVER_TABLE: &[ServerSpec] = &[
    ServerSpec {
        name: "a.gtld-servers.net.",
        addresses: &["198.51.100.1", "2001:db8:100::1"],
        behaviour: ServerBehaviour::Authoritative,
        zones: &["com.", "net.", "gtld-servers.net."],
    },
    ServerSpec {
        name: "b.gtld-servers.net.",
        addresses: &["198.51.100.2", "2001:db8:100::2"],
        behaviour: ServerBehaviour::Authoritative,
        zones: &["com.", "net.", "gtld-servers.net."],
    },
    ServerSpec {
        name: "a0.nic.org.",
        addresses: &["198.51.100.10", "2001:db8:100::10"],
        behaviour: ServerBehaviour::Authoritative,
        zones: &["org."],
    },
    ServerSpec {
        name: "b0.nic.org.",
        addresses: &["198.51.100.11", "2001:db8:100::11"],
        behaviour: ServerBehaviour::Authoritative,
        zones: &["org."],
    },
    ServerSpec {
        name: "a.nic.test.",
        addresses: &["198.51.100.20", "2001:db8:100::20"],
        behaviour: ServerBehaviour::Authoritative,
        zones: &["test."],
    },
    ServerSpec {
        name: "b.nic.test.",
        addresses: &["198.51.100.21", "2001:db8:100::21"],
        behaviour: ServerBehaviour::Authoritative,
        zones: &["test."],
    },
    ServerSpec {
        name: "ns1.example.com.",
        addresses: &["192.0.2.53"],
        behaviour: ServerBehaviour::Authoritative,
        zones: &["example.com."],
    },
    ServerSpec {
        name: "ns.sub.example.com.",
        addresses: &["192.0.2.77"],
        behaviour: ServerBehaviour::Authoritative,
        zones: &["sub.example.com."],
    },
    ServerSpec {
        name: "ns1.example.net.",
        addresses: &["203.0.113.10", "2001:db8:113::10"],
        behaviour: ServerBehaviour::Authoritative,
        zones: &["example.net."],
    },
    // ns2.example.net serves two zones: example.net. and example.com. (its secondary).
    ServerSpec {
        name: "ns2.example.net.",
        addresses: &["203.0.113.11", "2001:db8:113::11"],
        behaviour: ServerBehaviour::Authoritative,
        zones: &["example.net.", "example.com."],
    },
    ServerSpec {
        name: "ns1.example.org.",
        addresses: &["203.0.113.20"],
        behaviour: ServerBehaviour::Authoritative,
        zones: &["example.org."],
    },
    ServerSpec {
        name: "ns1.demo.test.",
        addresses: &["203.0.113.70", "2001:db8:113::70"],
        behaviour: ServerBehaviour::Authoritative,
        zones: &["demo.test."],
    },
    ServerSpec {
        name: "ns1.hosting.example.net.",
        addresses: &["203.0.113.60"],
        behaviour: ServerBehaviour::Authoritative,
        zones: &["glueless.test."],
    },
    ServerSpec {
        name: "ns2.hosting.example.net.",
        addresses: &["203.0.113.61"],
        behaviour: ServerBehaviour::Authoritative,
        zones: &["glueless.test."],
    },
    // Lame: listed for lame.test. but serves nothing, so it answers REFUSED.
    ServerSpec {
        name: "ns1.lame.test.",
        addresses: &["203.0.113.30"],
        behaviour: ServerBehaviour::Authoritative,
        zones: &[],
    },
    // Lame: listed for lame.test. but only has the root zone, so it refers upward to test.
    ServerSpec {
        name: "ns2.lame.test.",
        addresses: &["203.0.113.31"],
        behaviour: ServerBehaviour::Authoritative,
        zones: &["."],
    },
    ServerSpec {
        name: "ns3.lame.test.",
        addresses: &["203.0.113.32"],
        behaviour: ServerBehaviour::Authoritative,
        zones: &["lame.test."],
    },
    // ns1.unreachable.test. (203.0.113.40) has no server at all: queries time out.
    ServerSpec {
        name: "ns2.unreachable.test.",
        addresses: &["203.0.113.41"],
        behaviour: ServerBehaviour::Authoritative,
        zones: &["unreachable.test."],
    },
    ServerSpec {
        name: "ns1.broken.test.",
        addresses: &["203.0.113.50"],
        behaviour: ServerBehaviour::AlwaysServFail,
        zones: &["broken.test."],
    },
    ServerSpec {
        name: "ns2.broken.test.",
        addresses: &["203.0.113.51"],
        behaviour: ServerBehaviour::Authoritative,
        zones: &["broken.test."],
    },
    // dead.test.: ns1 fails and nothing listens at ns2.dead.test. (203.0.113.53).
    ServerSpec {
        name: "ns1.dead.test.",
        addresses: &["203.0.113.52"],
        behaviour: ServerBehaviour::AlwaysServFail,
        zones: &[],
    },
];

/// Addresses listed as glue on purpose with no server behind them (the tests check them).
#[cfg(test)]
pub(crate) const UNREACHABLE_ADDRESSES: &[&str] = &["203.0.113.40", "203.0.113.53"];
