//! Zone files: the RFC 1035 master-file parser, the zone tree it builds and the checks real servers run.
//!
//! [`parse_zone`] turns zone text into a [`Zone`]: `$ORIGIN`, `$TTL`, `@`, relative names, omitted
//! owner/TTL/class, parentheses across lines, comments, quoted strings with `\X`/`\DDD` escapes,
//! every record type Knot DNS and BIND both read in text form (from A to URI, LOC, APL and
//! IPSECKEY among them), and RFC 3597 `\# len hex` (with `TYPEnnn`/`CLASSnnn`) for everything
//! else. `$INCLUDE` is refused with a clear error because dnslab has no file system in the
//! browser.
//!
//! The parser keeps going after an error, so a learner sees every problem at once: a zone with any
//! error is rejected whole and [`ZoneErrors`] lists them all, each with a line, a column and a
//! plain-words message. When the text parses, the zone checks that BIND's `named-checkzone` and
//! Knot's `kzonecheck` run are applied (exactly one SOA at the apex, NS at the apex, CNAME beside
//! other data, out-of-zone data, missing glue for in-zone name servers); findings that real servers
//! load anyway are kept as [`Zone::warnings`].
//!
//! Why our own parser rather than hickory-proto's `serialize::txt::Parser`: hickory's stops at the
//! first error, reports no line or column, does not read RFC 3597 `\#` data, cannot read the DNSSEC
//! types without its `__dnssec` feature (which pulls in crypto crates) and resolves no relative
//! names in SVCB targets. We still let hickory own the wire format: every record's RDATA is written
//! to wire bytes here and then decoded by hickory into its typed [`RData`](hickory_proto::rr::RData),
//! so the records served are hickory `Record`s that hickory encodes.
//!
//! A [`ZoneSet`] holds several zones and finds the one that owns a name (longest match), which is
//! what an authoritative server (see `crate::authority`) does first for every query.
//!
//! ```
//! use dnslab_core::zone::{parse_zone, ZoneSet};
//!
//! let text = "$ORIGIN example.\n$TTL 3600\n@ SOA ns hostmaster 1 7200 3600 1209600 300\n  NS ns\nns A 192.0.2.53\n";
//! let zone = parse_zone(text, None).expect("a valid zone");
//! assert_eq!(zone.origin().to_string(), "example.");
//! assert_eq!(zone.negative_ttl(), 300);
//!
//! let broken = "$ORIGIN example.\n$TTL 1h\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.300\n";
//! let errors = parse_zone(broken, None).expect_err("a bad address").errors;
//! assert_eq!((errors.len(), errors[0].line, errors[0].column), (1, 5, 6));
//!
//! let zones: ZoneSet = [zone].into_iter().collect();
//! assert!(zones.find(&"www.example.".parse().expect("a name")).is_some());
//! ```

mod checks;
mod key;
mod lexer;
mod parser;
mod rdata_text;
mod set;
#[cfg(test)]
mod tests;
pub(crate) mod text;
mod tree;
mod types;

use hickory_proto::rr::Name;

pub(crate) use key::LookupName;
pub use set::ZoneSet;
pub(crate) use tree::{dname_target, Lookup};
pub use tree::{Node, RRset, SourcePosition, Zone};
pub use types::{class_from_mnemonic, type_from_mnemonic};

/// Parses zone text into a checked [`Zone`].
///
/// `origin` is the zone's apex when the caller knows it (like the `zone` statement of a server's
/// configuration); relative names start from it until a `$ORIGIN` line changes that. When `origin`
/// is `None` the apex is the owner of the zone's SOA record, and relative names need a `$ORIGIN`
/// first.
///
/// On failure every problem found is returned, in the order of the text.
pub fn parse_zone(text: &str, origin: Option<&Name>) -> Result<Zone, ZoneErrors> {
    let parsed = parser::parse_records(text, origin);
    tree::build_zone(parsed, origin)
}

/// One problem in a zone text, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct ZoneError {
    /// 1-based line number in the zone text (0 when the record did not come from text, e.g.
    /// [`Zone::from_records`]).
    pub line: usize,
    /// 1-based column in characters (a tab counts as one), 0 when unknown.
    pub column: usize,
    /// What is wrong, in plain words, e.g. "the TTL \"1x\" is not a number of seconds nor a
    /// duration like 1h30m".
    pub message: String,
}

impl ZoneError {
    /// A problem at `line`/`column`.
    pub fn new(line: usize, column: usize, message: impl Into<String>) -> Self {
        Self {
            line,
            column,
            message: message.into(),
        }
    }

    pub(crate) fn at(position: SourcePosition, message: impl Into<String>) -> Self {
        Self::new(position.line, position.column, message)
    }
}

impl std::fmt::Display for ZoneError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(formatter, "{}", self.message)
        } else {
            write!(
                formatter,
                "line {}, column {}: {}",
                self.line, self.column, self.message
            )
        }
    }
}

impl std::error::Error for ZoneError {}

/// Every problem that made a zone text unusable (never empty).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ZoneErrors {
    /// The problems, in the order of the text (check findings after syntax errors).
    pub errors: Vec<ZoneError>,
}

impl std::fmt::Display for ZoneErrors {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let count = self.errors.len();
        write!(
            formatter,
            "the zone has {count} error{}",
            if count == 1 { "" } else { "s" }
        )?;
        for error in &self.errors {
            write!(formatter, "\n  {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ZoneErrors {}
