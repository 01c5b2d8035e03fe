//! The trace of one resolution: every step the resolver took, as plain serializable data.
//!
//! The trace holds no hickory-proto types, only strings, numbers, addresses and the raw message
//! bytes, so that `dnslab resolve --json` and the page can use it as it is: the page hands the
//! bytes of a step to the decoder to show the real message, and the `meaning` of the step says
//! what the resolver made of it.

use std::net::IpAddr;

use serde::{Serialize, Serializer};

use super::Transport;
use crate::dissect::text::lower_hex;

/// Everything one resolution did, in order, and what it ended with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trace {
    /// The name asked for, as the caller gave it (fully qualified, case preserved).
    pub name: String,
    /// The type asked for.
    pub qtype: TypeText,
    /// The time the resolution started, in the caller's seconds.
    pub started_at: u64,
    /// The steps, in order; sub-resolutions are nested inside their own step.
    pub steps: Vec<TraceStep>,
    /// How the resolution ended.
    pub status: ResolutionStatus,
    /// The RCODE of the final response (0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN).
    pub response_code: u16,
    /// The response a recursive resolver sends back to the stub that asked: RA set, RD copied,
    /// the CNAME chain and the answer, the SOA for negative answers.
    #[serde(serialize_with = "serialize_hex")]
    pub response: Vec<u8>,
    /// Queries sent to servers, in all sub-resolutions too.
    pub queries_sent: usize,
}

impl Trace {
    /// Every query step of the trace, sub-resolutions included, in the order they happened.
    pub fn query_steps(&self) -> Vec<&QueryStep> {
        let mut found = Vec::new();
        collect_query_steps(&self.steps, &mut found);
        found
    }
}

fn collect_query_steps<'trace>(steps: &'trace [TraceStep], found: &mut Vec<&'trace QueryStep>) {
    for step in steps {
        match step {
            TraceStep::Query(query) => found.push(query),
            TraceStep::SubResolution(sub) => collect_query_steps(&sub.steps, found),
            TraceStep::CacheHit(_) | TraceStep::Fault(_) => {}
        }
    }
}

/// A record type, as its number and its mnemonic (`TYPE65280` when it has none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeText {
    /// The type number.
    pub code: u16,
    /// The mnemonic, e.g. `AAAA`.
    pub mnemonic: String,
}

impl TypeText {
    /// The number with its mnemonic.
    pub fn new(code: u16) -> Self {
        Self {
            code,
            mnemonic: crate::dissect::mnemonic::type_mnemonic(code).into_owned(),
        }
    }
}

/// One step of a resolution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TraceStep {
    /// A query sent to a server, and what came back.
    Query(QueryStep),
    /// Something the resolver already knew from an earlier resolution.
    CacheHit(CacheHitStep),
    /// A resolution of a name server's address that a glueless delegation needed.
    SubResolution(SubResolutionStep),
    /// A problem found without asking anyone (e.g. missing glue).
    Fault(FaultStep),
}

/// The server a query went to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerAsked {
    /// The server's name, from the NS record that led to it.
    pub name: String,
    /// The address the query was sent to.
    pub address: IpAddr,
    /// The zone the server was asked as (the zone cut the resolver had reached).
    pub zone: String,
}

/// A query and its reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueryStep {
    /// Who was asked.
    pub server: ServerAsked,
    /// The name asked (after any CNAME restarts).
    pub name: String,
    /// The type asked.
    pub qtype: TypeText,
    /// UDP or TCP.
    pub transport: Transport,
    /// The message ID of the query.
    pub query_id: u16,
    /// When the query was sent, in the caller's seconds.
    pub sent_at: u64,
    /// The query message as sent.
    #[serde(serialize_with = "serialize_hex")]
    pub query: Vec<u8>,
    /// The response message as received (`None` when the server did not answer).
    #[serde(serialize_with = "serialize_optional_hex")]
    pub response: Option<Vec<u8>>,
    /// What the response meant to the resolver.
    pub meaning: StepMeaning,
}

/// What a response meant to the resolver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "meaning", rename_all = "snake_case")]
pub enum StepMeaning {
    /// The server delegated to a zone closer to the name: ask one of its servers next.
    Referral {
        /// The delegated zone.
        zone: String,
        /// Its name servers, in the order of the response.
        name_servers: Vec<String>,
        /// How many of them came with glue (addresses in the additional section).
        with_glue: usize,
    },
    /// The server gave the records asked for (after any CNAME chain in the same response).
    Answer {
        /// Records of the final RRset.
        records: usize,
        /// CNAME records followed inside the response.
        cname_chain: usize,
    },
    /// The server gave a CNAME whose target it has no data for: restart with the target.
    Cname {
        /// The name resolution continues with.
        target: String,
    },
    /// The name does not exist.
    NxDomain,
    /// The name exists but has no records of the type asked for.
    NoData,
    /// The server is listed for the zone but does not serve it.
    Lame {
        /// Why the response shows that, in plain words.
        reason: String,
    },
    /// No response came back.
    Timeout,
    /// The server answered SERVFAIL.
    ServFail,
    /// The server answered with another error RCODE.
    ErrorRcode {
        /// The RCODE.
        rcode: u16,
    },
    /// The UDP response had TC=1: the same question goes again over TCP.
    Truncated,
    /// The response could not be used (undecodable, or not a response to this query).
    Malformed {
        /// What is wrong with it.
        reason: String,
    },
}

/// An answer the cache gave without asking a server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CacheHitStep {
    /// The name looked up.
    pub name: String,
    /// The type looked up.
    pub qtype: TypeText,
    /// What the cache held.
    pub found: CachedFinding,
    /// Seconds left before the cached data expires.
    pub remaining_ttl: u32,
}

/// What a cache hit found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "found", rename_all = "snake_case")]
pub enum CachedFinding {
    /// The records asked for (in presentation form, TTLs counted down).
    Answer {
        /// The records.
        records: Vec<String>,
    },
    /// A CNAME: resolution continues with its target.
    Cname {
        /// The target.
        target: String,
    },
    /// A cached NXDOMAIN (RFC 2308).
    NxDomain,
    /// A cached NODATA (RFC 2308).
    NoData,
    /// The closest delegation known: resolution starts at its servers instead of the root.
    Delegation {
        /// The zone.
        zone: String,
        /// Its name servers.
        name_servers: Vec<String>,
    },
}

/// A nested resolution of a name server's address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubResolutionStep {
    /// The name server name being resolved.
    pub name: String,
    /// The type asked (A).
    pub qtype: TypeText,
    /// The zone whose delegation named this server without glue.
    pub for_zone: String,
    /// The steps of the sub-resolution.
    pub steps: Vec<TraceStep>,
    /// The addresses found (empty when it failed).
    pub addresses: Vec<IpAddr>,
    /// How the sub-resolution ended.
    pub status: ResolutionStatus,
}

/// A problem the resolver noticed by itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FaultStep {
    /// The zone concerned.
    pub zone: String,
    /// The name server concerned, if any.
    pub name_server: Option<String>,
    /// What went wrong.
    pub fault: Fault,
}

/// Problems the resolver notices without a response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// A name server named inside the zone it serves came without glue: its address can only be
    /// found by asking that very zone.
    MissingGlue,
    /// Finding this server's address needs the answer being looked for (a dependency loop).
    DependencyLoop,
    /// Sub-resolutions nest too deep.
    SubResolutionTooDeep,
}

/// How a resolution ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ResolutionStatus {
    /// The records were found.
    Answered,
    /// The name does not exist (NXDOMAIN).
    NxDomain,
    /// The name exists without records of that type (NOERROR, empty answer).
    NoData,
    /// The resolution failed (the stub gets SERVFAIL).
    Failed {
        /// Why.
        reason: FailureReason,
    },
}

/// Why a resolution failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum FailureReason {
    /// Every server of the zone failed (lame, unreachable, SERVFAIL, no address).
    AllServersFailed {
        /// The zone.
        zone: String,
    },
    /// The step limit was reached (a loop, or a very long path).
    StepLimit {
        /// The limit.
        limit: usize,
    },
    /// The CNAME chain is longer than the limit (or loops).
    CnameChainTooLong {
        /// The limit.
        limit: usize,
    },
    /// The resolution was given up because the resolver was restarted or fed out of turn.
    Abandoned,
}

/// Bytes as lowercase hex, the way the page and `--json` carry messages.
pub(crate) fn serialize_hex<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&lower_hex(bytes))
}

fn serialize_optional_hex<S: Serializer>(
    bytes: &Option<Vec<u8>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match bytes {
        Some(bytes) => serializer.serialize_some(&lower_hex(bytes)),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_serialize_as_lowercase_hex() {
        assert_eq!(lower_hex(&[0x00, 0x0f, 0xab, 0xff]), "000fabff");
        let step = TraceStep::Fault(FaultStep {
            zone: "example.".into(),
            name_server: None,
            fault: Fault::MissingGlue,
        });
        let json = serde_json::to_value(&step).unwrap_or_default();
        assert_eq!(json["kind"], "fault");
        assert_eq!(json["fault"], "missing_glue");
    }
}
