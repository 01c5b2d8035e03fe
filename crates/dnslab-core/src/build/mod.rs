//! Building the queries a client sends: a [`QuerySpec`] (dig's choices) encoded by hickory-proto.
//!
//! `dnslab query` and the web page's Build tab (and anything else that asks a server) describe a
//! query as a [`QuerySpec`] and get the wire bytes from [`encode_query`]. The message ID and the
//! client cookie are part of the spec because the core has no random number generator: the
//! caller draws them (the CLI from the operating system's random source, the page from the
//! browser's `crypto.getRandomValues`).
//!
//! Every option is encoded by hickory-proto: NSID and CLIENT-SUBNET through its own types, COOKIE
//! and PADDING (which hickory-proto 0.26 has no type for) as raw options
//! (`EdnsOption::Unknown(code, bytes)`). The options follow the order dig 9.18 sends them in:
//! NSID, CLIENT-SUBNET, COOKIE, PADDING (last, so that it can fill the message up).
//!
//! Whether a reply belongs to the query is [`crate::relay::check_reply_for_relay`]'s job (the
//! same test the bridge applies: a response with the query's ID and question).

use std::net::IpAddr;

use hickory_proto::op::{Edns, Message, MessageType, OpCode, Query};
use hickory_proto::rr::rdata::opt::{ClientSubnet, EdnsOption, NSIDPayload};
use hickory_proto::rr::{DNSClass, Name, RecordType};

/// The EDNS UDP payload size a query announces unless told otherwise: 1232 octets, the DNS Flag
/// Day 2020 value that dig 9.18 also sends.
pub const DEFAULT_EDNS_UDP_PAYLOAD: u16 = 1232;

/// The EDNS option code of COOKIE (RFC 7873 section 4).
pub const OPTION_COOKIE: u16 = 10;
/// The EDNS option code of PADDING (RFC 7830 section 3).
pub const OPTION_PADDING: u16 = 12;
/// The largest opcode: the header's OPCODE field has four bits (RFC 1035 section 4.1.1).
pub const MAXIMUM_OPCODE: u8 = 15;
/// The size of an EDNS option's code and length fields (RFC 6891 section 6.1.2).
const OPTION_HEADER_LENGTH: usize = 4;
/// The largest DNS message (TCP's two-octet length, RFC 1035 section 4.2.2).
const MAXIMUM_MESSAGE_LENGTH: usize = 65_535;

/// Everything a client decides about one query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuerySpec {
    /// The name asked about (made absolute when encoded).
    pub name: Name,
    /// The type asked for.
    pub qtype: RecordType,
    /// The class asked for, normally IN.
    pub qclass: DNSClass,
    /// RD: ask the server to recurse (dig's default; `+norec` clears it).
    pub recursion_desired: bool,
    /// CD: checking disabled, ask a validating resolver not to validate (RFC 4035 section
    /// 3.2.2; dig's `+cdflag`).
    pub checking_disabled: bool,
    /// AD in a query: ask the resolver to say whether it validated the answer (RFC 6840 section
    /// 5.7; dig's `+adflag`, which dig 9.18 sets by default).
    pub authentic_data: bool,
    /// The OPCODE, 0 (QUERY) to [`MAXIMUM_OPCODE`]; [`encode_query`] refuses larger values.
    pub opcode: u8,
    /// The DO bit of EDNS: ask for DNSSEC records (`+dnssec`). Needs EDNS; setting it without
    /// [`edns`](Self::edns) adds EDNS with the default payload size. The same holds for every
    /// EDNS field below (an EDNS version other than 0 included).
    pub dnssec_ok: bool,
    /// Ask for the server's NSID (RFC 5001, `+nsid`).
    pub nsid: bool,
    /// The EDNS UDP payload size to announce, or `None` to send no OPT record at all (unless
    /// another EDNS field asks for one). hickory-proto sends at least 512 (RFC 6891 section
    /// 6.2.5: smaller values mean 512).
    pub edns: Option<u16>,
    /// The EDNS VERSION field (RFC 6891 section 6.1.3; only version 0 is defined, servers answer
    /// others with BADVERS).
    pub edns_version: u8,
    /// A client cookie to send (RFC 7873 section 4.1: a COOKIE option holding the 8-octet client
    /// cookie alone, as a first query to a server does). The caller draws it.
    pub cookie: Option<[u8; 8]>,
    /// A CLIENT-SUBNET option (RFC 7871 section 6): the address and its SOURCE PREFIX-LENGTH.
    /// The option carries the family (1 for IPv4, 2 for IPv6), the prefix, SCOPE PREFIX-LENGTH 0
    /// and only the prefix's octets, the bits after the prefix set to zero.
    pub client_subnet: Option<(IpAddr, u8)>,
    /// Pad the whole message with a PADDING option (RFC 7830) to a multiple of this many octets
    /// (the block-length strategy of RFC 8467 section 4.1, dig's `+padding=N`).
    pub padding_block: Option<u16>,
    /// The message ID.
    pub id: u16,
}

impl QuerySpec {
    /// A query for `name`/`qtype` in class IN with dig's defaults: RD set, EDNS version 0 with
    /// [`DEFAULT_EDNS_UDP_PAYLOAD`]; no CD, AD, DO, NSID, cookie, subnet or padding.
    pub fn new(name: Name, qtype: RecordType, id: u16) -> Self {
        Self {
            name,
            qtype,
            qclass: DNSClass::IN,
            recursion_desired: true,
            checking_disabled: false,
            authentic_data: false,
            opcode: 0,
            dnssec_ok: false,
            nsid: false,
            edns: Some(DEFAULT_EDNS_UDP_PAYLOAD),
            edns_version: 0,
            cookie: None,
            client_subnet: None,
            padding_block: None,
            id,
        }
    }

    /// The UDP payload size the OPT record announces, or `None` when the query has no OPT record:
    /// [`edns`](Self::edns), else [`DEFAULT_EDNS_UDP_PAYLOAD`] when an EDNS field is set.
    pub fn effective_edns(&self) -> Option<u16> {
        match self.edns {
            Some(payload) => Some(payload),
            None if self.needs_edns() => Some(DEFAULT_EDNS_UDP_PAYLOAD),
            None => None,
        }
    }

    /// True when a field needs an OPT record.
    fn needs_edns(&self) -> bool {
        self.dnssec_ok
            || self.nsid
            || self.edns_version != 0
            || self.cookie.is_some()
            || self.client_subnet.is_some()
            || self.padding_block.is_some()
    }

    /// The hickory message this spec describes. Out-of-range values are clamped here (the opcode
    /// to four bits, the subnet prefix to the address's length); [`encode_query`] refuses them
    /// instead.
    pub fn to_message(&self) -> Message {
        let opcode = OpCode::from_u8(self.opcode & MAXIMUM_OPCODE);
        let mut message = Message::new(self.id, MessageType::Query, opcode);
        message.metadata.recursion_desired = self.recursion_desired;
        message.metadata.checking_disabled = self.checking_disabled;
        message.metadata.authentic_data = self.authentic_data;
        let mut name = self.name.clone();
        name.set_fqdn(true);
        let mut query = Query::query(name, self.qtype);
        query.set_query_class(self.qclass);
        message.add_query(query);
        if let Some(payload) = self.effective_edns() {
            let mut edns = Edns::new();
            edns.set_max_payload(payload);
            edns.set_version(self.edns_version);
            edns.set_dnssec_ok(self.dnssec_ok);
            if self.nsid {
                // An empty NSID option is the request (RFC 5001 section 2.1); an empty payload
                // is always within NSIDPayload's size limit.
                if let Ok(empty) = NSIDPayload::new(Vec::new()) {
                    edns.options_mut().insert(EdnsOption::NSID(empty));
                }
            }
            if let Some((address, prefix)) = self.client_subnet {
                let prefix = prefix.min(address_bits(address));
                edns.options_mut()
                    .insert(EdnsOption::Subnet(ClientSubnet::new(
                        truncate_address(address, prefix),
                        prefix,
                        0,
                    )));
            }
            if let Some(cookie) = self.cookie {
                edns.options_mut()
                    .insert(EdnsOption::Unknown(OPTION_COOKIE, cookie.to_vec()));
            }
            message.set_edns(edns);
            if let Some(block) = self.padding_block.filter(|block| *block > 0) {
                add_padding(&mut message, usize::from(block));
            }
        }
        message
    }
}

/// Adds the PADDING option that makes the encoded `message` a multiple of `block` octets long:
/// its length without the option, plus the option's four-octet header, plus the zero octets that
/// round that up (RFC 8467 section 4.1; the same sum BIND's `dns_message_renderend` makes). A
/// message that does not encode gets no padding (`encode_query` reports its error).
fn add_padding(message: &mut Message, block: usize) {
    let Ok(unpadded) = message.to_vec() else {
        return;
    };
    let with_header = unpadded.len() + OPTION_HEADER_LENGTH;
    let mut fill = (block - with_header % block) % block;
    // Never past the largest message: a padded query must still be sendable over TCP.
    fill = fill.min(MAXIMUM_MESSAGE_LENGTH.saturating_sub(with_header));
    if let Some(edns) = message.edns.as_mut() {
        edns.options_mut()
            .insert(EdnsOption::Unknown(OPTION_PADDING, vec![0; fill]));
    }
}

/// 32 for IPv4, 128 for IPv6.
pub fn address_bits(address: IpAddr) -> u8 {
    match address {
        IpAddr::V4(_) => 32,
        IpAddr::V6(_) => 128,
    }
}

/// `address` with every bit after the first `prefix` set to zero (RFC 7871 section 6: the
/// ADDRESS field is truncated to the prefix, padded with zero bits to the end of its last octet).
pub fn truncate_address(address: IpAddr, prefix: u8) -> IpAddr {
    fn mask(octets: &mut [u8], prefix: u8) {
        for (index, octet) in octets.iter_mut().enumerate() {
            let start = index * 8;
            let kept = usize::from(prefix).saturating_sub(start).min(8);
            // kept is 0..=8, so the shift stays below 16.
            let keep_mask = (0xff00u16 >> kept) as u8;
            *octet &= keep_mask;
        }
    }
    match address {
        IpAddr::V4(v4) => {
            let mut octets = v4.octets();
            mask(&mut octets, prefix);
            IpAddr::from(octets)
        }
        IpAddr::V6(v6) => {
            let mut octets = v6.octets();
            mask(&mut octets, prefix);
            IpAddr::from(octets)
        }
    }
}

/// Why a query could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// hickory-proto refused to encode the message (e.g. a name too long for the wire).
    #[error("the query cannot be encoded: {0}")]
    Encode(String),
    /// The opcode does not fit the header's four bits.
    #[error("the opcode {0} does not fit the header's four bits (0 to 15)")]
    Opcode(u8),
    /// The subnet prefix is longer than the address.
    #[error("a /{prefix} prefix is longer than the address ({bits} bits)")]
    SubnetPrefix {
        /// The prefix asked for.
        prefix: u8,
        /// The address's length in bits.
        bits: u8,
    },
    /// A padding block of 0 octets.
    #[error("a padding block must be at least 1 octet")]
    PaddingBlock,
}

/// The wire bytes of the query `spec` describes (without TCP's length prefix).
pub fn encode_query(spec: &QuerySpec) -> Result<Vec<u8>, BuildError> {
    if spec.opcode > MAXIMUM_OPCODE {
        return Err(BuildError::Opcode(spec.opcode));
    }
    if let Some((address, prefix)) = spec.client_subnet {
        let bits = address_bits(address);
        if prefix > bits {
            return Err(BuildError::SubnetPrefix { prefix, bits });
        }
    }
    if spec.padding_block == Some(0) {
        return Err(BuildError::PaddingBlock);
    }
    spec.to_message()
        .to_vec()
        .map_err(|error| BuildError::Encode(error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The size of a DNS header (RFC 1035 section 4.1.1).
    const HEADER_LENGTH: usize = 12;

    fn example_name() -> Name {
        Name::from_ascii("www.example.com.").unwrap_or_else(|_| Name::root())
    }

    /// Hand-assembled bytes (RFC 1035 section 4.1) of the query dig sends for
    /// `dig +norec +noedns -q www.example.com -t A` with ID 0x1234.
    const HAND_WRITTEN_QUERY: &[u8] = &[
        0x12, 0x34, // ID
        0x00, 0x00, // QR=0 opcode=0 RD=0
        0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // QD=1, AN=NS=AR=0
        3, b'w', b'w', b'w', 7, b'e', b'x', b'a', b'm', b'p', b'l', b'e', 3, b'c', b'o', b'm', 0,
        0x00, 0x01, // QTYPE A
        0x00, 0x01, // QCLASS IN
    ];

    #[test]
    fn encodes_a_plain_query_byte_for_byte() {
        let mut spec = QuerySpec::new(example_name(), RecordType::A, 0x1234);
        spec.recursion_desired = false;
        spec.edns = None;
        assert_eq!(
            encode_query(&spec).ok().as_deref(),
            Some(HAND_WRITTEN_QUERY)
        );
    }

    #[test]
    fn sets_rd_and_edns_flags_where_the_rfcs_put_them() {
        let mut spec = QuerySpec::new(example_name(), RecordType::MX, 7);
        spec.dnssec_ok = true;
        spec.nsid = true;
        spec.edns = Some(4096);
        let bytes = encode_query(&spec).unwrap_or_default();
        // RD is bit 0 of the third octet (RFC 1035 section 4.1.1).
        assert_eq!(bytes.get(2), Some(&0x01));
        // ARCOUNT 1: the OPT record.
        assert_eq!(bytes.get(10..12), Some(&[0, 1][..]));
        // The OPT record after the question: root name, TYPE 41, CLASS = payload size,
        // TTL = extended RCODE 0, version 0, DO bit (0x8000), then RDLENGTH 4 and the empty
        // NSID option (code 3, length 0), RFC 6891 section 6.1.2 and RFC 5001 section 2.1.
        let question_end = HEADER_LENGTH + 17 + 4;
        let expected_opt: &[u8] = &[
            0, 0x00, 41, 0x10, 0x00, 0, 0, 0x80, 0x00, 0x00, 4, 0x00, 3, 0x00, 0,
        ];
        assert_eq!(bytes.get(question_end..), Some(expected_opt));
    }

    #[test]
    fn dnssec_without_edns_still_sends_an_opt_record() {
        let mut spec = QuerySpec::new(example_name(), RecordType::A, 1);
        spec.edns = None;
        spec.dnssec_ok = true;
        let message = Message::from_vec(&encode_query(&spec).unwrap_or_default()).ok();
        let edns = message.as_ref().and_then(|message| message.edns.as_ref());
        assert_eq!(edns.map(Edns::max_payload), Some(DEFAULT_EDNS_UDP_PAYLOAD));
        assert_eq!(edns.map(|edns| edns.flags().dnssec_ok), Some(true));
    }

    /// The question of `www.example.com. A IN` (RFC 1035 section 4.1.2).
    const QUESTION: &[u8] = &[
        3, b'w', b'w', b'w', 7, b'e', b'x', b'a', b'm', b'p', b'l', b'e', 3, b'c', b'o', b'm', 0,
        0x00, 0x01, 0x00, 0x01,
    ];

    /// A header with ID 0x1234, the given flag octets, QDCOUNT 1 and ARCOUNT `arcount`.
    fn header(flags: [u8; 2], arcount: u8) -> Vec<u8> {
        vec![0x12, 0x34, flags[0], flags[1], 0, 1, 0, 0, 0, 0, 0, arcount]
    }

    /// An OPT record (RFC 6891 section 6.1.2): root owner, TYPE 41, CLASS = payload size, TTL =
    /// extended RCODE, VERSION and flags (DO is the top bit), RDLENGTH, then `options`.
    fn opt(payload: u16, version: u8, flags: u16, options: &[u8]) -> Vec<u8> {
        let mut record = vec![0, 0, 41];
        record.extend_from_slice(&payload.to_be_bytes());
        record.extend_from_slice(&[0, version]);
        record.extend_from_slice(&flags.to_be_bytes());
        record.extend_from_slice(&(options.len() as u16).to_be_bytes());
        record.extend_from_slice(options);
        record
    }

    fn spec() -> QuerySpec {
        QuerySpec::new(example_name(), RecordType::A, 0x1234)
    }

    fn encoded(spec: &QuerySpec) -> Vec<u8> {
        encode_query(spec).unwrap_or_else(|error| panic!("{spec:?}: {error}"))
    }

    #[test]
    fn cd_ad_and_opcode_sit_where_the_header_puts_them() {
        // RFC 1035 section 4.1.1: QR(1) OPCODE(4) AA TC RD | RA Z AD CD RCODE(4); AD and CD
        // are the bits RFC 4035 section 3.2 (RFC 6895 section 2) gave the old Z field.
        let mut query = spec();
        query.recursion_desired = false;
        query.edns = None;
        query.checking_disabled = true;
        let mut expected = header([0x00, 0x10], 0);
        expected.extend_from_slice(QUESTION);
        assert_eq!(encoded(&query), expected);

        query.checking_disabled = false;
        query.authentic_data = true;
        query.recursion_desired = true;
        expected = header([0x01, 0x20], 0);
        expected.extend_from_slice(QUESTION);
        assert_eq!(encoded(&query), expected);

        // OPCODE 4 (NOTIFY, RFC 1996) is 0b0100 in bits 1-4 of the third octet: 0x20.
        query.authentic_data = false;
        query.recursion_desired = false;
        query.opcode = 4;
        expected = header([0x20, 0x00], 0);
        expected.extend_from_slice(QUESTION);
        assert_eq!(encoded(&query), expected);
        query.opcode = 15;
        assert_eq!(encoded(&query).get(2), Some(&0x78));
        query.opcode = 16;
        assert_eq!(encode_query(&query), Err(BuildError::Opcode(16)));
    }

    #[test]
    fn cookie_and_client_subnet_options_byte_for_byte() {
        let mut query = spec();
        query.cookie = Some([0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef]);
        query.client_subnet = "192.0.2.0".parse().ok().map(|address| (address, 24));
        let mut expected = header([0x01, 0x00], 1);
        expected.extend_from_slice(QUESTION);
        expected.extend_from_slice(&opt(
            1232,
            0,
            0,
            &[
                // CLIENT-SUBNET (RFC 7871 section 6): code 8, length 7, FAMILY 1, SOURCE 24,
                // SCOPE 0, the prefix's three octets.
                0x00, 0x08, 0x00, 0x07, 0x00, 0x01, 24, 0, 192, 0, 2,
                // COOKIE (RFC 7873 section 4): code 10, length 8, the client cookie alone.
                0x00, 0x0a, 0x00, 0x08, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
            ],
        ));
        assert_eq!(encoded(&query), expected);
    }

    #[test]
    fn client_subnet_addresses_are_cut_to_the_prefix() {
        let subnet = |text: &str, prefix: u8| {
            let mut query = spec();
            query.edns = None;
            query.client_subnet = text.parse().ok().map(|address| (address, prefix));
            let bytes = encoded(&query);
            // The option is all the OPT record carries: after the question and the OPT record's
            // fixed part (11 octets).
            bytes
                .get(HEADER_LENGTH + QUESTION.len() + 11..)
                .map(<[u8]>::to_vec)
                .unwrap_or_default()
        };
        // 192.0.2.77/20: three octets, the last four bits of the third cleared (RFC 7871
        // section 6: "padding with 0 bits to pad to the end of the last octet needed").
        assert_eq!(
            subnet("192.0.2.77", 20),
            [0, 8, 0, 7, 0, 1, 20, 0, 192, 0, 0]
        );
        // IPv6, FAMILY 2: 2001:db8:1234:5678::/52 keeps seven octets, the seventh cut to 0x50.
        assert_eq!(
            subnet("2001:db8:1234:5678::", 52),
            [0, 8, 0, 11, 0, 2, 52, 0, 0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x50]
        );
        assert_eq!(
            subnet("2001:db8:1234::", 56),
            [0, 8, 0, 11, 0, 2, 56, 0, 0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x00]
        );
        // /0: no address octets at all (RFC 7871 section 7.1.2, "do not use my address").
        assert_eq!(subnet("0.0.0.0", 0), [0, 8, 0, 4, 0, 1, 0, 0]);
        let mut query = spec();
        query.client_subnet = "192.0.2.0".parse().ok().map(|address| (address, 33));
        assert_eq!(
            encode_query(&query),
            Err(BuildError::SubnetPrefix {
                prefix: 33,
                bits: 32
            })
        );
    }

    #[test]
    fn padding_fills_the_message_to_a_multiple_of_the_block() {
        let mut query = spec();
        query.padding_block = Some(128);
        // 12 (header) + 21 (question) + 11 (OPT) + 4 (PADDING code and length) = 48 octets, so
        // 80 zero octets make 128 (RFC 8467 section 4.1; RFC 7830 section 3: code 12, zeros).
        let mut options = vec![0x00, 0x0c, 0x00, 80];
        options.extend_from_slice(&[0; 80]);
        let mut expected = header([0x01, 0x00], 1);
        expected.extend_from_slice(QUESTION);
        expected.extend_from_slice(&opt(1232, 0, 0, &options));
        assert_eq!(expected.len(), 128);
        assert_eq!(encoded(&query), expected);
        for block in [1u16, 7, 32, 64, 100, 468, 512] {
            query.padding_block = Some(block);
            query.nsid = block % 2 == 0;
            let length = encoded(&query).len();
            assert_eq!(length % usize::from(block), 0, "block {block}: {length}");
            assert!(length < 56 + usize::from(block), "block {block}: {length}");
        }
        query.padding_block = Some(0);
        assert_eq!(encode_query(&query), Err(BuildError::PaddingBlock));
    }

    #[test]
    fn edns_version_and_options_without_edns_bring_an_opt_record() {
        let mut query = spec();
        query.edns = None;
        query.edns_version = 1;
        let mut expected = header([0x01, 0x00], 1);
        expected.extend_from_slice(QUESTION);
        // VERSION is the second octet of the TTL field (RFC 6891 section 6.1.3).
        expected.extend_from_slice(&opt(1232, 1, 0, &[]));
        assert_eq!(encoded(&query), expected);
        query.edns_version = 0;
        assert_eq!(encoded(&query).len(), HEADER_LENGTH + QUESTION.len());
        query.cookie = Some([0; 8]);
        assert_eq!(query.effective_edns(), Some(DEFAULT_EDNS_UDP_PAYLOAD));
    }

    /// What dig 9.18.49 sent on this machine (captured on a loopback UDP socket) for
    /// `dig @127.0.0.1 -p PORT www.example.com. A +norec +noadflag +qid=4660 +padding=128 +nsid
    /// +subnet=192.0.2.0/24 +cookie=0123456789abcdef +cdflag`: an independent encoder's bytes.
    const DIG_QUERY: &str = "12340010000100000000000103777777076578616d706c6503636f6d000001000100002904d0000000000054000300000008000700011800c00002000a00080123456789abcdef000c00350000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";

    #[test]
    fn matches_the_bytes_dig_sends_for_the_same_choices() {
        let mut query = spec();
        query.recursion_desired = false;
        query.checking_disabled = true;
        query.nsid = true;
        query.client_subnet = "192.0.2.0".parse().ok().map(|address| (address, 24));
        query.cookie = Some([0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef]);
        query.padding_block = Some(128);
        assert_eq!(crate::input::write::hex_stream(&encoded(&query)), DIG_QUERY);
    }
}
