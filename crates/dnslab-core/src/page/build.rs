//! The Build tab's core: a query form as the user typed it, checked field by field and encoded by
//! [`crate::build`], with its copy texts, its `#build=` link, the same query for `window.dnslab`,
//! and the built-in servers' answers to it ([`answer_builtin`], [`answer_like_serve`]).
//!
//! Nothing here draws a random number: the message ID and the client cookie come in with the
//! form (the page draws them with the browser's `crypto.getRandomValues`, or the user types
//! them). Problems are reported per field in plain words ([`FieldProblem`]) so the page can show
//! each one under its input.
//!
//! Names are read the way dig reads them, plus IDN: a label typed in ASCII is kept byte for byte
//! (letter case included, `\.` and `\DDD` escapes decoded), a label with other characters is
//! turned into its A-label by UTS #46 processing (IDNA 2008, with hickory-proto's
//! `Label::from_utf8` options; see [`crate::idna`]), e.g. `bücher.example` →
//! `xn--bcher-kva.example.`.

use std::net::IpAddr;
use std::rc::Rc;

use hickory_proto::rr::{DNSClass, Name, RecordType};
use serde::{Deserialize, Serialize};

use crate::build::{
    address_bits, encode_query, truncate_address, QuerySpec, DEFAULT_EDNS_UDP_PAYLOAD,
    MAXIMUM_OPCODE,
};
use crate::page::{copy_texts, decode_for_api, dns_message_view, MessageView};

mod answer;
#[cfg(test)]
mod tests;

pub use answer::{
    answer_builtin, answer_like_serve, default_server, describe_response, server_choices,
    AnswerMeaning, BuiltinAnswer, ServerChoice,
};

/// The longest label, in octets (RFC 1035 section 2.3.4).
const MAXIMUM_LABEL_OCTETS: usize = 63;
/// The longest name on the wire, in octets (RFC 1035 section 2.3.4).
const MAXIMUM_NAME_OCTETS: usize = 255;
/// The smallest UDP payload size EDNS allows (RFC 6891 section 6.2.5: smaller values mean 512).
const MINIMUM_UDP_PAYLOAD: u16 = 512;
/// The largest padding block dig 9.18 accepts (`+padding`), and so the page.
pub const MAXIMUM_PADDING_BLOCK: u16 = 512;
/// The server every command line names, for the page (or the user) to replace: the commands
/// start with `dig @SERVER ` and `dnslab query @SERVER `.
pub const SERVER_PLACEHOLDER: &str = "SERVER";
/// The DoH server of the GET link: a documentation name (RFC 8484 section 4.1's URI template
/// `https://dns.example/dns-query{?dns}`), to be replaced by a real resolver's.
pub const DOH_URL_PREFIX: &str = "https://dns.example/dns-query?dns=";

/// The form's field names, as [`FieldProblem::field`] names them.
pub mod fields {
    /// The name asked about.
    pub const NAME: &str = "name";
    /// The record type.
    pub const TYPE: &str = "type";
    /// The class.
    pub const CLASS: &str = "class";
    /// The message ID (never wrong: every 16-bit value is an ID; kept for the page's layout).
    pub const ID: &str = "id";
    /// The opcode.
    pub const OPCODE: &str = "opcode";
    /// The EDNS UDP payload size.
    pub const UDP_PAYLOAD: &str = "udp_payload";
    /// The client cookie.
    pub const COOKIE: &str = "cookie";
    /// The client subnet.
    pub const CLIENT_SUBNET: &str = "client_subnet";
    /// The padding block.
    pub const PADDING_BLOCK: &str = "padding_block";
}

/// What the user typed into the Build tab; strings are kept as typed, and [`build_query`] reads
/// them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildForm {
    /// The name, e.g. `www.example.com` (absolute whether or not it ends with a dot), IDN
    /// U-labels accepted (`bücher.example`).
    pub name: String,
    /// The type: a mnemonic in any case (`A`, `aaaa`), `TYPE65400` or a bare number (`65400`).
    pub qtype: String,
    /// The class: `IN`, `CH`, `HS`, `NONE`, `ANY`, `CLASS3` or a bare number (`3`).
    pub qclass: String,
    /// The message ID (the caller draws it, or the user fixes it).
    pub id: u16,
    /// The OPCODE, 0 (QUERY) to 15.
    pub opcode: u8,
    /// RD: recursion desired.
    pub rd: bool,
    /// CD: checking disabled.
    pub cd: bool,
    /// AD: ask whether the answer was validated.
    pub ad: bool,
    /// The EDNS DO bit.
    pub dnssec_ok: bool,
    /// Send an OPT record (any EDNS option below turns it on as well, as in dig).
    pub edns: bool,
    /// The EDNS VERSION (0 is the only one defined).
    pub edns_version: u8,
    /// The UDP payload size the OPT record announces, 512 to 65535.
    pub udp_payload: u16,
    /// Ask for the server's NSID (RFC 5001).
    pub nsid: bool,
    /// The client cookie as 16 hex digits (RFC 7873; the caller draws it), `None` for no COOKIE.
    pub cookie: Option<String>,
    /// A CLIENT-SUBNET (RFC 7871) as `192.0.2.0/24` or `2001:db8::/56` (a bare address means
    /// its full length), `None` for none.
    pub client_subnet: Option<String>,
    /// Pad the message to a multiple of this many octets (RFC 8467; 128 is its recommendation
    /// for queries), `None` for no padding.
    pub padding_block: Option<u16>,
}

impl Default for BuildForm {
    /// dig 9.18's defaults, minus the two it adds on its own (a cookie and the AD bit): `www.example.com`
    /// A IN, ID 0, RD set, EDNS version 0 with a 1232-octet payload, everything else off.
    fn default() -> Self {
        Self {
            name: "www.example.com".to_owned(),
            qtype: "A".to_owned(),
            qclass: "IN".to_owned(),
            id: 0,
            opcode: 0,
            rd: true,
            cd: false,
            ad: false,
            dnssec_ok: false,
            edns: true,
            edns_version: 0,
            udp_payload: DEFAULT_EDNS_UDP_PAYLOAD,
            nsid: false,
            cookie: None,
            client_subnet: None,
            padding_block: None,
        }
    }
}

/// One field's problem, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    /// Which field: one of [`fields`] (`name`, `type`, `class`, `opcode`, `udp_payload`,
    /// `cookie`, `client_subnet`, `padding_block`).
    pub field: &'static str,
    /// What is wrong and what would be right.
    pub message: String,
}

impl FieldProblem {
    fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

/// A query built from a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuiltQuery {
    /// The wire bytes (no TCP length prefix).
    pub bytes: Rc<Vec<u8>>,
    /// The tree, hex pane and diagnostics of the query, as Decode shows a message.
    pub view: MessageView,
    /// The name in U-label form (`bücher.example.`): valid A-labels decoded
    /// ([`crate::idna::to_unicode_label`]), other labels as in `name_ascii`.
    pub name_unicode: String,
    /// The name in A-label form (`xn--bcher-kva.example.`), as it goes on the wire, written as
    /// dig writes names (`\.` and decimal `\DDD` escapes, RFC 1035 section 5.1).
    pub name_ascii: String,
    /// The query as copy texts, links and command lines.
    pub copies: BuildCopies,
}

/// The query in the forms the Copy buttons give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildCopies {
    /// Wireshark's "Copy as Hex Stream".
    pub hex_stream: String,
    /// A C array, as `xxd -i` writes it.
    pub c_array: String,
    /// base64url without padding (RFC 4648 section 5), as DoH carries it.
    pub base64url: String,
    /// The DNS-over-HTTPS GET link (RFC 8484 section 4.1) with [`DOH_URL_PREFIX`]'s documentation
    /// server. RFC 8484 asks DoH clients to send ID 0 (it helps HTTP caches); the link carries
    /// the ID as given, so set the ID to 0 for a cache-friendly link.
    pub doh_get_url: String,
    /// The dig 9.18 command line that sends this same query, byte for byte, over UDP (over TCP
    /// for AXFR, as dig always does), with `@SERVER` for the server: it says `+noadflag` and
    /// `+nocookie` when those are off, since dig sets both unless told not to.
    pub dig_command: String,
    /// What [`dig_command`](Self::dig_command) cannot say (field names of [`BuildForm`]):
    /// `type` for IXFR, which dig only sends with an SOA record it adds itself.
    pub dig_command_omits: Vec<&'static str>,
    /// The `dnslab query` command line closest to this query, with `@SERVER` for the server.
    pub dnslab_command: String,
    /// What [`dnslab_command`](Self::dnslab_command) cannot say (field names of [`BuildForm`]):
    /// always `id` (`dnslab query` draws its own), and `cd`, `ad`, `opcode`, `edns_version`,
    /// `cookie`, `client_subnet`, `padding_block` when they are set.
    pub dnslab_command_omits: Vec<&'static str>,
}

/// One entry of the type picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TypeChoice {
    /// The mnemonic, e.g. `AAAA`.
    pub mnemonic: &'static str,
    /// Its number, e.g. 28.
    pub code: u16,
}

/// Every record type the core knows by name ([`crate::iana::RECORD_TYPES`]), in number order.
pub fn type_choices() -> Vec<TypeChoice> {
    crate::iana::RECORD_TYPES
        .iter()
        .map(|&(mnemonic, code)| TypeChoice { mnemonic, code })
        .collect()
}

/// The form, checked: what goes into the encoder.
struct CheckedForm {
    spec: QuerySpec,
}

/// Builds the query the form describes, or says what is wrong with each field (all of them at
/// once).
pub fn build_query(form: &BuildForm) -> Result<BuiltQuery, Vec<FieldProblem>> {
    let checked = check_form(form)?;
    let bytes = encode_query(&checked.spec).map_err(|error| {
        vec![FieldProblem::new(
            fields::NAME,
            format!("The query cannot be encoded: {error}."),
        )]
    })?;
    let name = {
        let mut name = checked.spec.name.clone();
        name.set_fqdn(true);
        name
    };
    let copies = build_copies(&checked.spec, &name, &bytes);
    let view = dns_message_view(&bytes, format!("Built query: DNS, {} bytes", bytes.len()));
    Ok(BuiltQuery {
        bytes: Rc::new(bytes),
        view,
        name_unicode: name_text(&name, true),
        name_ascii: name_text(&name, false),
        copies,
    })
}

/// `query` with its ID (the header's first two octets, RFC 1035 §4.1.1) set to `id`: what
/// [`build_query`] gives for the same form with that ID, without building the query, its tree
/// and its copies again (the page draws a new ID for each query it sends). `None` when `query`
/// is shorter than a header.
pub fn query_with_id(query: &[u8], id: u16) -> Option<Vec<u8>> {
    if query.len() < crate::dissect::HEADER_LENGTH {
        return None;
    }
    let mut changed = query.to_vec();
    changed[..2].copy_from_slice(&id.to_be_bytes());
    Some(changed)
}

fn check_form(form: &BuildForm) -> Result<CheckedForm, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let mut note = |result: Result<(), FieldProblem>| {
        if let Err(problem) = result {
            problems.push(problem);
        }
    };
    let name =
        parse_query_name(&form.name).map_err(|message| FieldProblem::new(fields::NAME, message));
    let qtype = parse_type(&form.qtype).map_err(|message| FieldProblem::new(fields::TYPE, message));
    let qclass =
        parse_class(&form.qclass).map_err(|message| FieldProblem::new(fields::CLASS, message));
    let cookie = form
        .cookie
        .as_deref()
        .map(parse_cookie)
        .transpose()
        .map_err(|message| FieldProblem::new(fields::COOKIE, message));
    let client_subnet = form
        .client_subnet
        .as_deref()
        .map(parse_subnet)
        .transpose()
        .map_err(|message| FieldProblem::new(fields::CLIENT_SUBNET, message));
    note(name.as_ref().map(|_| ()).map_err(Clone::clone));
    note(qtype.as_ref().map(|_| ()).map_err(Clone::clone));
    note(qclass.as_ref().map(|_| ()).map_err(Clone::clone));
    if form.opcode > MAXIMUM_OPCODE {
        note(Err(FieldProblem::new(
            fields::OPCODE,
            format!(
                "The opcode field has four bits, so it holds 0 to 15, not {} (RFC 1035 §4.1.1).",
                form.opcode
            ),
        )));
    }
    if form.edns && form.udp_payload < MINIMUM_UDP_PAYLOAD {
        note(Err(FieldProblem::new(
            fields::UDP_PAYLOAD,
            format!(
                "A UDP payload size below 512 counts as 512 (RFC 6891 §6.2.5), so {} cannot be sent; use 512 to 65535 (1232 is the usual choice).",
                form.udp_payload
            ),
        )));
    }
    note(cookie.as_ref().map(|_| ()).map_err(Clone::clone));
    note(client_subnet.as_ref().map(|_| ()).map_err(Clone::clone));
    match form.padding_block {
        Some(0) => note(Err(FieldProblem::new(
            fields::PADDING_BLOCK,
            "A padding block of 0 octets pads nothing; use 1 to 512, e.g. 128 (RFC 8467 §4.1).",
        ))),
        Some(block) if block > MAXIMUM_PADDING_BLOCK => note(Err(FieldProblem::new(
            fields::PADDING_BLOCK,
            format!(
                "A padding block of {block} octets is more than dig's limit of 512; use 1 to 512, e.g. 128 (RFC 8467 §4.1)."
            ),
        ))),
        _ => {}
    }
    let (Ok(name), Ok(qtype), Ok(qclass), Ok(cookie), Ok(client_subnet), true) = (
        name,
        qtype,
        qclass,
        cookie,
        client_subnet,
        problems.is_empty(),
    ) else {
        return Err(problems);
    };
    Ok(CheckedForm {
        spec: QuerySpec {
            qclass,
            recursion_desired: form.rd,
            checking_disabled: form.cd,
            authentic_data: form.ad,
            opcode: form.opcode,
            dnssec_ok: form.dnssec_ok,
            nsid: form.nsid,
            edns: form.edns.then_some(form.udp_payload),
            edns_version: form.edns_version,
            cookie,
            client_subnet,
            padding_block: form.padding_block,
            ..QuerySpec::new(name, qtype, form.id)
        },
    })
}

/// A label as typed, for messages: its first characters and an ellipsis when it is long.
fn shown(text: &str) -> String {
    const SHOWN: usize = 12;
    if text.chars().count() > SHOWN + 4 {
        let start: String = text.chars().take(SHOWN).collect();
        format!("{start}…")
    } else {
        text.to_owned()
    }
}

/// One label while it is read: what was typed, its octets so far, and its characters when it
/// holds non-ASCII ones (then it is an IDN U-label).
#[derive(Default)]
struct LabelInProgress {
    typed: String,
    octets: Vec<u8>,
    characters: String,
    unicode: bool,
}

/// The label separators UTS #46 maps to a full stop (ideographic, fullwidth and halfwidth).
fn is_label_separator(character: char) -> bool {
    matches!(character, '.' | '\u{3002}' | '\u{ff0e}' | '\u{ff61}')
}

/// Reads a query name: see the [module documentation](self). The result is absolute.
pub fn parse_query_name(text: &str) -> Result<Name, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Type a domain name, such as www.example.com (or . for the root).".to_owned());
    }
    if text == "." {
        return Ok(Name::root());
    }
    let characters: Vec<char> = text.chars().collect();
    let mut labels: Vec<LabelInProgress> = Vec::new();
    let mut label = LabelInProgress::default();
    let mut index = 0;
    while let Some(&character) = characters.get(index) {
        index += 1;
        if is_label_separator(character) {
            if label.typed.is_empty() {
                return Err(if labels.is_empty() {
                    "The name starts with a dot; only the root name is a lone dot.".to_owned()
                } else {
                    "The name has an empty label (two dots in a row).".to_owned()
                });
            }
            labels.push(std::mem::take(&mut label));
            continue;
        }
        if character == '\\' {
            let Some(&next) = characters.get(index) else {
                return Err(
                    "The name ends with a backslash, which has nothing to escape.".to_owned(),
                );
            };
            if next.is_ascii_digit() {
                let digits: String = characters
                    .get(index..index + 3)
                    .unwrap_or(&[])
                    .iter()
                    .collect();
                let value = (digits.len() == 3
                    && digits.chars().all(|digit| digit.is_ascii_digit()))
                .then(|| digits.parse::<u16>().ok())
                .flatten();
                let Some(byte) = value.and_then(|value| u8::try_from(value).ok()) else {
                    return Err(format!(
                        "“\\{digits}” is not an escape: \\DDD takes three decimal digits from 000 to 255, like \\032 for a space."
                    ));
                };
                label.typed.push('\\');
                label.typed.push_str(&digits);
                label.octets.push(byte);
                label.characters.push(char::from(byte));
                index += 3;
            } else {
                label.typed.push('\\');
                label.typed.push(next);
                push_character(&mut label, next);
                index += 1;
            }
            continue;
        }
        if character.is_whitespace() || character.is_control() {
            return Err(format!(
                "The name holds a space or control character (U+{:04X}); write it as a \\DDD escape (\\032 for a space) if you mean it.",
                u32::from(character)
            ));
        }
        label.typed.push(character);
        push_character(&mut label, character);
    }
    if !label.typed.is_empty() {
        labels.push(label);
    }
    let mut wire_labels: Vec<Vec<u8>> = Vec::with_capacity(labels.len());
    for label in &labels {
        let octets = if label.unicode {
            a_label(label)?
        } else {
            label.octets.clone()
        };
        if octets.len() > MAXIMUM_LABEL_OCTETS {
            return Err(label_too_long(label, octets.len()));
        }
        wire_labels.push(octets);
    }
    let wire_length = 1 + wire_labels
        .iter()
        .map(|label| label.len() + 1)
        .sum::<usize>();
    if wire_length > MAXIMUM_NAME_OCTETS {
        return Err(format!(
            "The name is {wire_length} octets on the wire; a name holds at most 255 (RFC 1035 §2.3.4)."
        ));
    }
    let mut name = Name::from_labels(wire_labels)
        .map_err(|error| format!("“{}” is not a valid domain name: {error}.", shown(text)))?;
    name.set_fqdn(true);
    Ok(name)
}

pub use crate::shown_name::name_text;

fn push_character(label: &mut LabelInProgress, character: char) {
    label.characters.push(character);
    if character.is_ascii() {
        let mut buffer = [0u8; 4];
        label
            .octets
            .extend_from_slice(character.encode_utf8(&mut buffer).as_bytes());
    } else {
        label.unicode = true;
    }
}

fn label_too_long(label: &LabelInProgress, octets: usize) -> String {
    let form = if label.unicode { " as an A-label" } else { "" };
    format!(
        "The label “{}” is {octets} octets{form}; a label holds at most 63 (RFC 1035 §2.3.4).",
        shown(&label.typed)
    )
}

/// The A-label of a label with non-ASCII characters (UTS #46 processing, IDNA 2008).
fn a_label(label: &LabelInProgress) -> Result<Vec<u8>, String> {
    if label.octets.iter().any(|octet| !octet.is_ascii()) {
        return Err(format!(
            "The label “{}” mixes non-ASCII characters with escaped octets above 127; an internationalized label is written in characters only.",
            shown(&label.typed)
        ));
    }
    match crate::idna::to_ascii_label(&label.characters) {
        Ok(converted) if converted.len() > MAXIMUM_LABEL_OCTETS => {
            Err(label_too_long(label, converted.len()))
        }
        Ok(converted) => Ok(converted.into_bytes()),
        Err(crate::idna::IdnaError::Unavailable) => Err(format!(
            "The label “{}” has characters outside ASCII, and this build cannot convert them to an A-label.",
            shown(&label.typed)
        )),
        Err(crate::idna::IdnaError::Invalid) => Err(format!(
            "The label “{}” is not a valid internationalized label: IDNA 2008 (UTS #46) does not allow some of its characters.",
            shown(&label.typed)
        )),
    }
}

/// Reads a record type: a mnemonic, `TYPEnnn` or a bare number.
fn parse_type(text: &str) -> Result<RecordType, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Choose a record type, such as A or AAAA.".to_owned());
    }
    if text.bytes().all(|byte| byte.is_ascii_digit()) {
        return text.parse::<u16>().map(RecordType::from).map_err(|_| {
            format!(
                "“{}” is not a record type: type numbers go from 0 to 65535.",
                shown(text)
            )
        });
    }
    crate::zone::type_from_mnemonic(text).ok_or_else(|| {
        format!(
            "“{}” is not a record type; use a mnemonic such as AAAA or TYPE65400.",
            shown(text)
        )
    })
}

/// Reads a class: a mnemonic, `CLASSnnn` or a bare number.
fn parse_class(text: &str) -> Result<DNSClass, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Choose a class; IN is the one for the internet.".to_owned());
    }
    if text.bytes().all(|byte| byte.is_ascii_digit()) {
        return text.parse::<u16>().map(DNSClass::from).map_err(|_| {
            format!(
                "“{}” is not a class: class numbers go from 0 to 65535.",
                shown(text)
            )
        });
    }
    crate::zone::class_from_mnemonic(text).ok_or_else(|| {
        format!(
            "“{}” is not a class; use IN, CH, HS, NONE, ANY or a number such as CLASS3.",
            shown(text)
        )
    })
}

/// Reads a client cookie: exactly 16 hex digits.
fn parse_cookie(text: &str) -> Result<[u8; 8], String> {
    let text = text.trim();
    if !text.chars().all(|character| character.is_ascii_hexdigit()) {
        return Err(format!(
            "“{}” is not hex: a client cookie is 16 hex digits (0-9, a-f).",
            shown(text)
        ));
    }
    let digits = text.len();
    let mut cookie = [0u8; 8];
    if digits != 16 {
        return Err(format!(
            "A client cookie is 8 octets, 16 hex digits (RFC 7873 §4.1); “{}” has {digits}.",
            shown(text)
        ));
    }
    for (octet, pair) in cookie.iter_mut().zip(text.as_bytes().chunks(2)) {
        let pair = std::str::from_utf8(pair).unwrap_or_default();
        *octet = u8::from_str_radix(pair, 16).unwrap_or_default();
    }
    Ok(cookie)
}

/// Reads a client subnet: an address, optionally `/prefix`.
fn parse_subnet(text: &str) -> Result<(IpAddr, u8), String> {
    let text = text.trim();
    let unreadable = || {
        format!(
            "“{}” is not an address with a prefix, such as 192.0.2.0/24 or 2001:db8::/56.",
            shown(text)
        )
    };
    let (address_text, prefix_text) = match text.split_once('/') {
        Some((address, prefix)) => (address, Some(prefix)),
        None => (text, None),
    };
    let address: IpAddr = address_text.parse().map_err(|_| unreadable())?;
    let bits = address_bits(address);
    let prefix = match prefix_text {
        None => bits,
        Some(prefix) if !prefix.is_empty() && prefix.bytes().all(|byte| byte.is_ascii_digit()) => {
            let prefix = prefix.parse::<u16>().map_err(|_| unreadable())?;
            u8::try_from(prefix).unwrap_or(u8::MAX)
        }
        Some(_) => return Err(unreadable()),
    };
    if prefix > bits {
        let family = if bits == 32 { "IPv4" } else { "IPv6" };
        return Err(format!(
            "A /{prefix} prefix is longer than an {family} address ({bits} bits)."
        ));
    }
    Ok((address, prefix))
}

/// Quotes a word for a POSIX shell when it holds anything but plain characters.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|character| character.is_ascii_alphanumeric() || "._-:/=@+,%".contains(character));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The type as dig and `dnslab query` read it: the mnemonic, else `TYPEnnn`.
fn type_word(qtype: RecordType) -> String {
    crate::dissect::mnemonic::type_mnemonic(u16::from(qtype)).into_owned()
}

/// The class as dig and `dnslab query` read it: the mnemonic, else `CLASSnnn`.
fn class_word(qclass: DNSClass) -> String {
    crate::dissect::mnemonic::class_mnemonic(u16::from(qclass)).into_owned()
}

fn build_copies(spec: &QuerySpec, name: &Name, bytes: &[u8]) -> BuildCopies {
    use base64::Engine as _;
    let texts = copy_texts(bytes);
    let base64url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let (dig_command, dig_command_omits) = dig_command(spec, name);
    let (dnslab_command, dnslab_command_omits) = dnslab_command(spec, name);
    BuildCopies {
        hex_stream: texts.hex_stream,
        c_array: texts.c_array,
        doh_get_url: format!("{DOH_URL_PREFIX}{base64url}"),
        base64url,
        dig_command,
        dig_command_omits,
        dnslab_command,
        dnslab_command_omits,
    }
}

/// `dig @SERVER NAME TYPE [CLASS] +options`: only what differs from dig 9.18's defaults (RD, AD,
/// a cookie, EDNS version 0 with 1232 octets, QUERY), in a fixed order.
fn dig_command(spec: &QuerySpec, name: &Name) -> (String, Vec<&'static str>) {
    let mut words = vec![
        "dig".to_owned(),
        format!("@{SERVER_PLACEHOLDER}"),
        shell_word(&name_text(name, false)),
        // -t, so that dig reads the type as a type whatever its spelling.
        "-t".to_owned(),
        type_word(spec.qtype),
    ];
    let mut omits = Vec::new();
    if spec.qtype == RecordType::IXFR {
        // dig turns IXFR into an IXFR request with an SOA record (`-t ixfr=SERIAL`).
        omits.push(fields::TYPE);
    }
    if spec.qclass != DNSClass::IN {
        words.push("-c".to_owned());
        words.push(class_word(spec.qclass));
    }
    words.push(format!("+qid={}", spec.id));
    if spec.opcode != 0 {
        words.push(format!("+opcode={}", spec.opcode));
    }
    if !spec.recursion_desired {
        words.push("+norec".to_owned());
    }
    if !spec.authentic_data {
        words.push("+noadflag".to_owned());
    }
    if spec.checking_disabled {
        words.push("+cdflag".to_owned());
    }
    match spec.effective_edns() {
        None => words.push("+noedns".to_owned()),
        Some(payload) => {
            if spec.edns_version != 0 {
                words.push(format!("+edns={}", spec.edns_version));
            }
            if payload != DEFAULT_EDNS_UDP_PAYLOAD {
                words.push(format!("+bufsize={payload}"));
            }
            if spec.dnssec_ok {
                words.push("+dnssec".to_owned());
            }
            if spec.nsid {
                words.push("+nsid".to_owned());
            }
            if let Some((address, prefix)) = spec.client_subnet {
                words.push(format!(
                    "+subnet={}/{prefix}",
                    truncate_address(address, prefix)
                ));
            }
        }
    }
    match spec.cookie {
        Some(cookie) => words.push(format!(
            "+cookie={}",
            crate::input::write::hex_stream(&cookie)
        )),
        None => words.push("+nocookie".to_owned()),
    }
    if let Some(block) = spec.padding_block {
        words.push(format!("+padding={block}"));
    }
    // dig 9.18 sends ANY over TCP unless told otherwise; the page's answers come over UDP.
    if spec.qtype == RecordType::ANY {
        words.push("+notcp".to_owned());
    }
    (words.join(" "), omits)
}

/// `dnslab query @SERVER NAME TYPE [CLASS] +options`, with what its options cannot say.
fn dnslab_command(spec: &QuerySpec, name: &Name) -> (String, Vec<&'static str>) {
    let mut words = vec![
        "dnslab".to_owned(),
        "query".to_owned(),
        format!("@{SERVER_PLACEHOLDER}"),
        shell_word(&name_text(name, false)),
        type_word(spec.qtype),
    ];
    if spec.qclass != DNSClass::IN {
        words.push(class_word(spec.qclass));
    }
    if !spec.recursion_desired {
        words.push("+norec".to_owned());
    }
    if spec.checking_disabled {
        words.push("+cdflag".to_owned());
    }
    if spec.authentic_data {
        words.push("+adflag".to_owned());
    }
    match spec.effective_edns() {
        None => words.push("+noedns".to_owned()),
        Some(payload) => {
            if payload != DEFAULT_EDNS_UDP_PAYLOAD {
                words.push(format!("+bufsize={payload}"));
            }
            if spec.dnssec_ok {
                words.push("+dnssec".to_owned());
            }
            if spec.nsid {
                words.push("+nsid".to_owned());
            }
        }
    }
    let mut omits = vec![fields::ID];
    let unsupported = [
        (spec.opcode != 0, fields::OPCODE),
        (spec.edns_version != 0, "edns_version"),
        (spec.cookie.is_some(), fields::COOKIE),
        (spec.client_subnet.is_some(), fields::CLIENT_SUBNET),
        (spec.padding_block.is_some(), fields::PADDING_BLOCK),
    ];
    omits.extend(
        unsupported
            .iter()
            .filter(|(set, _)| *set)
            .map(|(_, field)| *field),
    );
    (words.join(" "), omits)
}

/// The fragment parameters, in the order [`build_fragment`] writes them: the page contract's
/// (`rd`, `cd`, `ad`, `do`, `edns`, `bufsize`, `id`, `nsid`) and dnslab's own (`class`,
/// `opcode`, `edns_version`, `ecs`, `padding`).
const FRAGMENT_PARAMETERS: &[&str] = &[
    "class",
    "opcode",
    "rd",
    "cd",
    "ad",
    "do",
    "edns",
    "edns_version",
    "bufsize",
    "id",
    "nsid",
    "ecs",
    "padding",
];

/// Reads the value after `build=` in a URL fragment (already percent-decoded, as
/// [`crate::page::parse_fragment`] gives it): `<name>/<TYPE>&rd=0&cd=1&ad=1&do=1&edns=0&bufsize=N&id=N&nsid=1`
/// (the page contract), plus `class=CH`, `opcode=N`, `edns_version=N`, `ecs=192.0.2.0/24` and
/// `padding=N`. A missing `/TYPE` means A, a missing parameter its [`BuildForm::default`];
/// an empty value is the default form. The name and type are kept as written ([`build_query`]
/// checks them); unknown or repeated parameters and unreadable values are refused in plain words.
/// Cookies are never in links (a cookie is drawn afresh for every query).
pub fn parse_build_fragment(value: &str) -> Result<BuildForm, String> {
    let mut form = BuildForm::default();
    if value.is_empty() {
        return Ok(form);
    }
    let (question, parameters) = value.split_once('&').unwrap_or((value, ""));
    let (name, qtype) = question.rsplit_once('/').unwrap_or((question, ""));
    form.name = name.to_owned();
    form.qtype = if qtype.is_empty() { "A" } else { qtype }.to_owned();
    let mut seen: Vec<&str> = Vec::new();
    for parameter in parameters
        .split('&')
        .filter(|parameter| !parameter.is_empty())
    {
        let Some((key, value)) = parameter.split_once('=') else {
            return Err(format!(
                "The link's build parameter “{}” has no value; write it as {}=….",
                shown(parameter),
                shown(parameter)
            ));
        };
        let Some(known) = FRAGMENT_PARAMETERS.iter().find(|known| **known == key) else {
            return Err(format!(
                "The link's build parameter “{}” is not known; it takes {}.",
                shown(key),
                FRAGMENT_PARAMETERS.join(", ")
            ));
        };
        if seen.contains(known) {
            return Err(format!(
                "The link gives the build parameter “{key}” twice; keep one."
            ));
        }
        seen.push(known);
        apply_parameter(&mut form, key, value)?;
    }
    Ok(form)
}

fn apply_parameter(form: &mut BuildForm, key: &str, value: &str) -> Result<(), String> {
    let flag = || match value {
        "1" => Ok(true),
        "0" => Ok(false),
        _ => Err(format!(
            "In the link, {key}={}: use {key}=0 or {key}=1.",
            shown(value)
        )),
    };
    let number = |largest: u32| {
        let parsed = match value
            .strip_prefix("0x")
            .or_else(|| value.strip_prefix("0X"))
        {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None if value.bytes().all(|byte| byte.is_ascii_digit()) => value.parse().ok(),
            None => None,
        };
        parsed.filter(|number| *number <= largest).ok_or_else(|| {
            format!(
                "In the link, {key}={}: use a number from 0 to {largest}.",
                shown(value)
            )
        })
    };
    match key {
        "class" => form.qclass = value.to_owned(),
        "opcode" => form.opcode = opcode_value(value).ok_or_else(|| {
            format!(
                "In the link, opcode={}: use a number from 0 to 15 or QUERY, NOTIFY, UPDATE, STATUS.",
                shown(value)
            )
        })?,
        "rd" => form.rd = flag()?,
        "cd" => form.cd = flag()?,
        "ad" => form.ad = flag()?,
        "do" => form.dnssec_ok = flag()?,
        "edns" => form.edns = flag()?,
        "nsid" => form.nsid = flag()?,
        "edns_version" => form.edns_version = narrow(number(u32::from(u8::MAX))?),
        "bufsize" => form.udp_payload = narrow(number(u32::from(u16::MAX))?),
        "id" => form.id = narrow(number(u32::from(u16::MAX))?),
        "padding" => {
            let block: u16 = narrow(number(u32::from(u16::MAX))?);
            form.padding_block = (block != 0).then_some(block);
        }
        "ecs" => form.client_subnet = Some(value.to_owned()),
        _ => {}
    }
    Ok(())
}

/// A number already checked to fit `T`.
fn narrow<T: TryFrom<u32> + Default>(number: u32) -> T {
    T::try_from(number).unwrap_or_default()
}

/// An opcode number or mnemonic, 0 to 15.
fn opcode_value(text: &str) -> Option<u8> {
    if let Ok(number) = text.parse::<u8>() {
        return (number <= MAXIMUM_OPCODE).then_some(number);
    }
    (0..=MAXIMUM_OPCODE)
        .find(|opcode| crate::iana::opcode_mnemonic(*opcode).eq_ignore_ascii_case(text))
}

/// The fragment (without `#`) that opens Build with `form`: `build=www.example.com/A&cd=1`, the
/// name and type as typed, then only the parameters that differ from [`BuildForm::default`] (see
/// [`parse_build_fragment`]; the cookie is never written). Characters a fragment cannot carry
/// are percent-encoded; a `&` in the name becomes the escape `\038`, since the page decodes the
/// fragment before splitting it.
pub fn build_fragment(form: &BuildForm) -> String {
    let defaults = BuildForm::default();
    let mut text = format!(
        "build={}/{}",
        fragment_text(&form.name.replace('&', r"\038")),
        fragment_text(&form.qtype)
    );
    let flag = |value: bool| if value { "1" } else { "0" };
    let mut push = |key: &str, value: String| {
        text.push('&');
        text.push_str(key);
        text.push('=');
        text.push_str(&fragment_text(&value));
    };
    if form.qclass != defaults.qclass {
        push("class", form.qclass.clone());
    }
    if form.opcode != defaults.opcode {
        push("opcode", form.opcode.to_string());
    }
    for (key, value, default) in [
        ("rd", form.rd, defaults.rd),
        ("cd", form.cd, defaults.cd),
        ("ad", form.ad, defaults.ad),
        ("do", form.dnssec_ok, defaults.dnssec_ok),
        ("edns", form.edns, defaults.edns),
    ] {
        if value != default {
            push(key, flag(value).to_owned());
        }
    }
    if form.edns_version != defaults.edns_version {
        push("edns_version", form.edns_version.to_string());
    }
    if form.udp_payload != defaults.udp_payload {
        push("bufsize", form.udp_payload.to_string());
    }
    if form.id != defaults.id {
        push("id", form.id.to_string());
    }
    if form.nsid != defaults.nsid {
        push("nsid", flag(form.nsid).to_owned());
    }
    if let Some(subnet) = &form.client_subnet {
        push("ecs", subnet.replace('&', ""));
    }
    if let Some(block) = form.padding_block {
        push("padding", block.to_string());
    }
    text
}

/// Percent-encodes what a fragment cannot carry as it is (RFC 3986 section 3.5): `%`, space,
/// `#`, `\`, quotes, control characters and non-ASCII (as UTF-8).
fn fragment_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        let plain = byte.is_ascii_graphic() && !b"%#\\\"'<>`{}|^[]".contains(&byte);
        if plain {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// What `window.dnslab.build(spec)` takes: a JSON object.
///
/// ```json
/// { "name": "www.example.com", "type": "AAAA", "class": "IN",
///   "rd": true, "cd": false, "ad": false, "do": true,
///   "edns": true, "edns_version": 0, "bufsize": 1232, "id": 4660, "opcode": 0,
///   "options": { "nsid": true, "cookie": "0123456789abcdef",
///                "subnet": "192.0.2.0/24", "padding": 128 } }
/// ```
///
/// Only `name` is required. Missing members take [`BuildForm::default`]'s values, except the ID,
/// which is 0 (the core draws no random numbers). `options` holds the EDNS options: `nsid`
/// (bool), `cookie` (a client cookie as 16 hex digits), `subnet` (a client subnet such as
/// `192.0.2.0/24` or `2001:db8::/56`) and `padding` (a block size, 1 to 512); any of them brings
/// an OPT record even with `"edns": false`. Unknown members are refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiBuildSpec {
    /// The name (IDN allowed).
    pub name: String,
    /// The type (`A` when absent).
    #[serde(rename = "type")]
    pub qtype: Option<String>,
    /// The class (`IN` when absent).
    pub class: Option<String>,
    /// RD (true when absent).
    pub rd: Option<bool>,
    /// CD.
    pub cd: Option<bool>,
    /// AD.
    pub ad: Option<bool>,
    /// The DO bit.
    #[serde(rename = "do")]
    pub dnssec_ok: Option<bool>,
    /// Send an OPT record (true when absent).
    pub edns: Option<bool>,
    /// The EDNS version (0 when absent).
    pub edns_version: Option<u8>,
    /// The UDP payload size (1232 when absent).
    pub bufsize: Option<u16>,
    /// The message ID (0 when absent).
    pub id: Option<u16>,
    /// The opcode (0 when absent).
    pub opcode: Option<u8>,
    /// EDNS options.
    pub options: Option<ApiBuildOptions>,
}

/// The `options` member of [`ApiBuildSpec`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiBuildOptions {
    /// Ask for the NSID.
    pub nsid: Option<bool>,
    /// A client cookie, 16 hex digits.
    pub cookie: Option<String>,
    /// A client subnet, `192.0.2.0/24`.
    pub subnet: Option<String>,
    /// A padding block size.
    pub padding: Option<u16>,
}

/// What `window.dnslab.build(spec)` returns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiBuild {
    /// The query as a hex stream.
    pub hex: String,
    /// The RFC 8427 object `dnslab decode --json` prints for that hex.
    pub message: serde_json::Value,
}

impl ApiBuildSpec {
    /// The form this spec stands for.
    pub fn to_form(&self) -> BuildForm {
        let defaults = BuildForm::default();
        let options = self.options.clone().unwrap_or_default();
        BuildForm {
            name: self.name.clone(),
            qtype: self.qtype.clone().unwrap_or(defaults.qtype),
            qclass: self.class.clone().unwrap_or(defaults.qclass),
            id: self.id.unwrap_or(0),
            opcode: self.opcode.unwrap_or(defaults.opcode),
            rd: self.rd.unwrap_or(defaults.rd),
            cd: self.cd.unwrap_or(defaults.cd),
            ad: self.ad.unwrap_or(defaults.ad),
            dnssec_ok: self.dnssec_ok.unwrap_or(defaults.dnssec_ok),
            edns: self.edns.unwrap_or(defaults.edns),
            edns_version: self.edns_version.unwrap_or(defaults.edns_version),
            udp_payload: self.bufsize.unwrap_or(defaults.udp_payload),
            nsid: options.nsid.unwrap_or(defaults.nsid),
            cookie: options.cookie,
            client_subnet: options.subnet,
            padding_block: options.padding,
        }
    }
}

/// Builds the query of `window.dnslab.build(spec)`. The error names each field's problem:
/// `type: “FOO” is not a record type; …`.
pub fn build_for_api(spec: &ApiBuildSpec) -> Result<ApiBuild, String> {
    let built = build_query(&spec.to_form()).map_err(|problems| {
        problems
            .iter()
            .map(|problem| format!("{}: {}", problem.field, problem.message))
            .collect::<Vec<_>>()
            .join(" ")
    })?;
    let hex = built.copies.hex_stream;
    let decoded = decode_for_api(hex.as_bytes()).map_err(|error| error.to_string())?;
    let message = decoded
        .messages
        .into_iter()
        .next()
        .ok_or_else(|| "the built query does not decode".to_owned())?;
    Ok(ApiBuild { hex, message })
}
