//! The Zones tab's data: the built-in zone files as text, the checks of an edited zone (line,
//! column and plain words for each problem), the world with the user's edits applied, templates
//! for a new zone and its delegation, and the versioned format the edits are stored in
//! (`localStorage`).
//!
//! Everything here is plain data; no hickory-proto type crosses it. Errors are `String`s of
//! plain words because the page shows them as they are.
//!
//! An edit is a pair `(origin, text)`. An edit whose origin is a built-in zone replaces that zone
//! on the servers that serve it; an edit with a new origin becomes a new zone, delegated from its
//! closest enclosing zone (see [`World::with_extra_zones`]).
//!
//! The page checks an edit as it is typed and keeps the zone the check parsed
//! ([`check_and_parse_zone`], [`ParsedZone`]), then builds the world from those zones
//! ([`apply_parsed_edits`]): a key press parses the zone that changed once, and no other.

use std::sync::Arc;

use hickory_proto::rr::{Name, RData, Record, RecordType};
use serde::{Deserialize, Serialize};

use crate::world::{World, BUILTIN_ZONE_FILES};
use crate::zone::{parse_zone, Zone, ZoneError, ZoneErrors};

/// The `localStorage` key the page keeps the user's zone edits under.
pub const ZONES_STORAGE_KEY: &str = "dnslab.zones.v1";

/// The version [`encode_stored`] writes and [`decode_stored`] reads.
const STORAGE_VERSION: u32 = 1;

/// One built-in zone file, as compiled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZoneText {
    /// The zone's apex, e.g. `example.com.` (`.` for the root).
    pub origin: String,
    /// The file's name, e.g. `example.com.zone`.
    pub file_name: String,
    /// The master-file text.
    pub text: String,
    /// The simulated servers that serve it, by name, in the world's order.
    pub servers: Vec<String>,
}

/// One problem found in a zone text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ZoneProblem {
    /// 1-based line (`data-line`); 0 when the problem is not on one line (e.g. the zone could
    /// not be delegated from its parent).
    pub line: usize,
    /// 1-based column in characters, a tab counting as one (`data-column`); 0 when unknown.
    pub column: usize,
    /// What is wrong, in plain words.
    pub message: String,
}

impl From<&ZoneError> for ZoneProblem {
    fn from(error: &ZoneError) -> Self {
        Self {
            line: error.line,
            column: error.column,
            message: error.message.clone(),
        }
    }
}

/// Everything the checks found in one zone text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ZoneCheck {
    /// Problems that keep the zone from loading (empty: the zone is valid).
    pub errors: Vec<ZoneProblem>,
    /// Findings that real servers load anyway (TTLs that differ inside an RRset, duplicate
    /// records, data hidden below a delegation, …).
    pub warnings: Vec<ZoneProblem>,
    /// How many records the zone holds, when it is valid.
    pub records: usize,
}

/// A zone text that passed the checks, parsed: what [`apply_parsed_edits`] builds the world from.
///
/// Cloning it shares the zone. Two are equal when they are the same parse, not when their records
/// are: the page compares its state on every render, and comparing two zones of a thousand
/// records each time would cost what keeping the parse saves.
#[derive(Debug, Clone)]
pub struct ParsedZone {
    zone: Arc<Zone>,
}

impl PartialEq for ParsedZone {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.zone, &other.zone)
    }
}

impl Eq for ParsedZone {}

impl ParsedZone {
    /// How many records the zone holds.
    pub fn record_count(&self) -> usize {
        self.zone.record_count()
    }
}

/// A zone text checked: what the editor shows, and the parsed zone when the text has no error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedZone {
    /// The errors and warnings, as [`check_zone`] gives them.
    pub check: ZoneCheck,
    /// The zone, when [`check`](Self::check) has no error.
    pub parsed: Option<ParsedZone>,
}

/// Every built-in zone file, in the order of the world's table (the root first), with the
/// servers that serve each.
pub fn builtin_zone_texts() -> Vec<ZoneText> {
    let world = World::builtin();
    BUILTIN_ZONE_FILES
        .iter()
        .map(|file| {
            let servers = Name::from_ascii(file.origin)
                .map(|origin| {
                    world
                        .servers()
                        .iter()
                        .filter(|server| server.zones().get(&origin).is_some())
                        .map(|server| server.name.to_ascii())
                        .collect()
                })
                .unwrap_or_default();
            ZoneText {
                origin: file.origin.to_owned(),
                file_name: file.file_name.to_owned(),
                text: file.text.to_owned(),
                servers,
            }
        })
        .collect()
}

/// The errors of a zone text for the zone `origin` (relative names start there until a
/// `$ORIGIN` line): empty when the zone is valid. Warnings are left out; [`check_zone`] has them.
pub fn check_zone_text(origin: &str, text: &str) -> Vec<ZoneProblem> {
    check_zone(origin, text).errors
}

/// The errors and warnings of a zone text for the zone `origin`.
pub fn check_zone(origin: &str, text: &str) -> ZoneCheck {
    check_and_parse_zone(origin, text).check
}

/// [`check_zone`], keeping the zone it parsed when the text is valid, so that the world can be
/// built from it ([`apply_parsed_edits`]) without parsing the text again.
pub fn check_and_parse_zone(origin: &str, text: &str) -> CheckedZone {
    match parse_edit(origin, text) {
        Ok(zone) => CheckedZone {
            check: ZoneCheck {
                errors: Vec::new(),
                warnings: zone.warnings().iter().map(ZoneProblem::from).collect(),
                records: zone.record_count(),
            },
            parsed: Some(ParsedZone {
                zone: Arc::new(zone),
            }),
        },
        Err(errors) => CheckedZone {
            check: ZoneCheck {
                errors,
                ..ZoneCheck::default()
            },
            parsed: None,
        },
    }
}

/// The built-in world with every valid edit applied, in order, and the problems of the edits
/// that were skipped: the invalid ones (with their lines and columns) and the ones that could
/// not join the world (line 0). A skipped edit leaves the zone as it was (the built-in one, or
/// none for a new origin).
pub fn world_with_edits(edits: &[(String, String)]) -> (World, Vec<(String, Vec<ZoneProblem>)>) {
    apply_edits(&World::builtin(), edits)
}

/// [`world_with_edits`] over `base` (the page keeps the built-in world made once, so that an
/// edit does not parse every built-in zone again).
pub fn apply_edits(
    base: &World,
    edits: &[(String, String)],
) -> (World, Vec<(String, Vec<ZoneProblem>)>) {
    // Parsed one at a time as they are applied, so that the problems keep the edits' order.
    apply_checked_edits(
        base,
        edits.iter().map(|(origin, text)| {
            let parsed = parse_edit(origin, text).map(|zone| ParsedZone {
                zone: Arc::new(zone),
            });
            (origin, parsed)
        }),
    )
}

/// [`apply_edits`] for edits already parsed ([`check_and_parse_zone`]): the world over `base`
/// with each zone applied, in order, and the problems of those that could not join the world
/// (line 0). Nothing is parsed; the world shares the zones.
pub fn apply_parsed_edits(
    base: &World,
    edits: &[(String, ParsedZone)],
) -> (World, Vec<(String, Vec<ZoneProblem>)>) {
    apply_checked_edits(
        base,
        edits
            .iter()
            .map(|(origin, parsed)| (origin, Ok(parsed.clone()))),
    )
}

/// The one loop behind [`apply_edits`] and [`apply_parsed_edits`]: each edit is either its
/// parsed zone or the problems that kept it from parsing.
fn apply_checked_edits<'edit>(
    base: &World,
    edits: impl IntoIterator<Item = (&'edit String, Result<ParsedZone, Vec<ZoneProblem>>)>,
) -> (World, Vec<(String, Vec<ZoneProblem>)>) {
    let mut world = base.clone();
    let mut skipped = Vec::new();
    for (origin, parsed) in edits {
        let parsed = match parsed {
            Ok(parsed) => parsed,
            Err(problems) => {
                skipped.push((origin.clone(), problems));
                continue;
            }
        };
        // A zone that cannot join may have changed the world half-way (servers added before the
        // delegation failed): it joins a copy, which is cheap because the zones are shared.
        match world.clone().with_extra_zone(parsed.zone) {
            Ok(changed) => world = changed,
            Err(error) => skipped.push((
                origin.clone(),
                vec![ZoneProblem {
                    line: 0,
                    column: 0,
                    message: format!("The zone cannot join the simulated internet: {error}"),
                }],
            )),
        }
    }
    (world, skipped)
}

/// The text of a new zone `origin`: `$ORIGIN`, `$TTL`, an SOA, one name server `ns1.<origin>`
/// with an address from the documentation range 192.0.2.0/24 (RFC 5737) that no built-in
/// server uses, and a `www` host. `Err` in plain words for a name that cannot be a new zone
/// (not a name, the root, or a built-in zone already).
pub fn new_zone_template(origin: &str) -> Result<String, String> {
    let name = zone_name(origin)?;
    if name.is_root() {
        return Err("The root zone is built in already; open it to edit it.".to_owned());
    }
    if BUILTIN_ZONE_FILES
        .iter()
        .any(|file| Name::from_ascii(file.origin).is_ok_and(|builtin| builtin == name))
    {
        return Err(format!(
            "{} is a built-in zone already; open it to edit it.",
            name.to_ascii()
        ));
    }
    let apex = name.to_ascii();
    let server = free_address(&World::builtin(), &apex);
    let host = server.saturating_add(1);
    Ok(format!(
        "; A new zone. Its name server ns1.{apex} gets an address from 192.0.2.0/24, the range\n\
         ; RFC 5737 sets aside for documentation. Once the zone is valid, it is delegated from its\n\
         ; parent zone with these NS records and the glue for ns1.\n\
         $ORIGIN {apex}\n\
         $TTL 3600\n\
         @       IN SOA ns1.{apex} hostmaster.{apex} 2026010101 7200 3600 1209600 300\n\
         @       IN NS  ns1.{apex}\n\
         ns1     IN A   192.0.2.{server}\n\
         www     IN A   192.0.2.{host}\n"
    ))
}

/// The lines to add to the parent zone `parent_origin` to delegate `child_origin` to the name
/// servers at the apex of `child_text`: the NS records, and glue (A/AAAA) for the name servers
/// inside the child zone, written with absolute names so they read the same wherever they are
/// pasted. `Err` in plain words when the child is not below the parent or its text has errors.
pub fn delegation_records(
    parent_origin: &str,
    child_origin: &str,
    child_text: &str,
) -> Result<String, String> {
    let parent = zone_name(parent_origin)?;
    let child = zone_name(child_origin)?;
    if child == parent || !parent.zone_of(&child) {
        return Err(format!(
            "{} is not below {}: a zone can only delegate names that end in its own name.",
            child.to_ascii(),
            parent.to_ascii()
        ));
    }
    let zone = parse_edit(child_origin, child_text).map_err(|problems| {
        format!(
            "The zone {} has {} error{}; fix {} first.",
            child.to_ascii(),
            problems.len(),
            if problems.len() == 1 { "" } else { "s" },
            if problems.len() == 1 { "it" } else { "them" }
        )
    })?;
    let name_servers: Vec<Record> = zone
        .apex()
        .and_then(|apex| apex.rrset(RecordType::NS))
        .map(|rrset| rrset.records().to_vec())
        .unwrap_or_default();
    let mut lines = vec![format!(
        "; Delegation of {} to its name servers, with glue for those inside it",
        child.to_ascii()
    )];
    let mut glue = Vec::new();
    for record in &name_servers {
        lines.push(record_text(record));
        let RData::NS(target) = &record.data else {
            continue;
        };
        if !child.zone_of(&target.0) {
            continue;
        }
        for rtype in [RecordType::A, RecordType::AAAA] {
            if let Some(rrset) = zone.node(&target.0).and_then(|node| node.rrset(rtype)) {
                glue.extend(rrset.records().iter().map(record_text));
            }
        }
    }
    lines.extend(glue);
    let mut text = lines.join("\n");
    text.push('\n');
    Ok(text)
}

/// The origin of an imported zone file: its `$ORIGIN` line when it has one before any record,
/// else its file name without `.zone`, `.db` or `.txt` (`example.com.zone` → `example.com.`).
/// `Err` in plain words when neither names a zone.
pub fn import_origin(file_name: &str, text: &str) -> Result<String, String> {
    let from_directive = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with(';'))
        .take_while(|line| line.starts_with('$'))
        .find_map(|line| {
            let mut words = line.split_whitespace();
            let directive = words.next()?;
            directive
                .eq_ignore_ascii_case("$ORIGIN")
                .then(|| words.next())
                .flatten()
        });
    let from_file = || {
        let stem = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
        [".zone", ".db", ".txt"]
            .iter()
            .find_map(|suffix| stem.strip_suffix(suffix))
            .unwrap_or(stem)
            .trim_start_matches("db.")
            .to_owned()
    };
    let origin = from_directive.map_or_else(from_file, str::to_owned);
    zone_name(&origin)
        .map(|name| name.to_ascii())
        .map_err(|_| format!("{file_name} names no zone: add a $ORIGIN line at its top, or name the file after the zone (example.com.zone)."))
}

/// The zone of `world` that would hold the delegation of `origin`: its closest enclosing zone
/// other than itself (`com.` for `example.com.`), `None` for the root or a name that is not one.
pub fn parent_zone(world: &World, origin: &str) -> Option<String> {
    let name = zone_name(origin).ok()?;
    if name.is_root() {
        return None;
    }
    world
        .zones()
        .find(&name.base_name())
        .map(|zone| zone.origin().to_ascii())
}

/// One zone edit as the page stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEdit {
    /// The zone's origin.
    pub origin: String,
    /// The text as typed.
    pub text: String,
    /// When `text` has an error: the zone's last text without one, which the page keeps
    /// applying, so that it still applies after a reload. `None` otherwise.
    pub last_valid: Option<String>,
}

/// The edits as the page stores them under [`ZONES_STORAGE_KEY`]: JSON
/// `{"version":1,"zones":[{"origin":…,"text":…,"last_valid":…},…]}` (`last_valid` only where
/// there is one; version 1 files without it read the same).
pub fn encode_stored(edits: &[StoredEdit]) -> String {
    let stored = StoredZones {
        version: STORAGE_VERSION,
        zones: edits
            .iter()
            .map(|edit| StoredZone {
                origin: edit.origin.clone(),
                text: edit.text.clone(),
                last_valid: edit.last_valid.clone(),
            })
            .collect(),
    };
    serde_json::to_string(&stored).unwrap_or_default()
}

/// Reads what [`encode_stored`] wrote. `Err` in plain words when the stored text is not that
/// format or another version: the page then shows the words and keeps the raw text (nothing is
/// dropped silently). Zone texts that no longer parse are returned as they are; the checks
/// report them.
pub fn decode_stored(text: &str) -> Result<Vec<StoredEdit>, String> {
    let version: StoredVersion = serde_json::from_str(text).map_err(|error| {
        format!("The saved zones could not be read ({error}); they are kept as they were saved.")
    })?;
    if version.version != STORAGE_VERSION {
        return Err(format!(
            "The saved zones are in format version {}, which this version of dnslab does not read (it reads version {STORAGE_VERSION}); they are kept as they were saved.",
            version.version
        ));
    }
    let stored: StoredZones = serde_json::from_str(text).map_err(|error| {
        format!("The saved zones could not be read ({error}); they are kept as they were saved.")
    })?;
    Ok(stored
        .zones
        .into_iter()
        .map(|zone| StoredEdit {
            origin: zone.origin,
            text: zone.text,
            last_valid: zone.last_valid,
        })
        .collect())
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredZones {
    version: u32,
    zones: Vec<StoredZone>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredZone {
    origin: String,
    text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_valid: Option<String>,
}

/// Just the version, read first so that another version is named rather than misread.
#[derive(Debug, Deserialize)]
struct StoredVersion {
    version: u32,
}

/// A zone name typed by the learner (the final dot is optional).
fn zone_name(origin: &str) -> Result<Name, String> {
    let origin = origin.trim();
    if origin.is_empty() {
        return Err("Give the zone a name, e.g. corp.test.".to_owned());
    }
    let mut name = Name::from_ascii(origin)
        .map_err(|error| format!("“{origin}” is not a zone name: {error}."))?;
    name.set_fqdn(true);
    Ok(name)
}

/// Parses an edit, its problems as the page shows them.
fn parse_edit(origin: &str, text: &str) -> Result<Zone, Vec<ZoneProblem>> {
    let name = zone_name(origin).map_err(|message| {
        vec![ZoneProblem {
            line: 0,
            column: 0,
            message,
        }]
    })?;
    parse_zone(text, Some(&name))
        .map_err(|ZoneErrors { errors }| errors.iter().map(ZoneProblem::from).collect::<Vec<_>>())
}

/// A record as a master-file line with absolute names.
fn record_text(record: &Record) -> String {
    let mut line = String::new();
    crate::present::dig::push_record_columns(
        &mut line,
        &record.name.to_ascii(),
        record.ttl,
        u16::from(record.dns_class),
        u16::from(record.record_type()),
        &record.data.to_string(),
    );
    line
}

/// The last byte (100 to 249) of a 192.0.2.x address for a new zone's name server, its `www`
/// taking the next one: picked from the name, so that different zones tend to get different
/// ones, and skipping addresses a server of `world` already answers on.
fn free_address(world: &World, apex: &str) -> u8 {
    // FNV-1a: small, stable across platforms and versions.
    let hash = apex
        .to_ascii_lowercase()
        .bytes()
        .fold(0x811c_9dc5_u32, |hash, byte| {
            (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
        });
    let offset = hash % 150;
    let candidates = (0..150u32).filter_map(|step| u8::try_from(100 + (offset + step) % 150).ok());
    let mut free = candidates.clone().filter(|last| {
        let address = std::net::IpAddr::from([192, 0, 2, *last]);
        let next = std::net::IpAddr::from([192, 0, 2, last.saturating_add(1)]);
        world.server_at(address).is_none() && world.server_at(next).is_none()
    });
    free.next()
        .or_else(|| candidates.clone().next())
        .unwrap_or(200)
}

#[cfg(test)]
mod tests;
