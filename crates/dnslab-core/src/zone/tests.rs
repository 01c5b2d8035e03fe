//! Tests of `parse_zone`: every syntax feature, every error with its line and column, the zone checks, and RDATA wire bytes checked against Knot DNS.

use std::str::FromStr;

use hickory_proto::rr::{Name, RData, Record, RecordType};
use hickory_proto::serialize::binary::{BinEncodable, BinEncoder, NameEncoding};

use super::{parse_zone, Zone, ZoneErrors, ZoneSet};

fn name(text: &str) -> Name {
    Name::from_str(text).unwrap_or_else(|_| Name::root())
}

fn parse(text: &str) -> Result<Zone, ZoneErrors> {
    parse_zone(text, Some(&name("example.")))
}

fn zone(text: &str) -> Zone {
    parse(text).unwrap_or_else(|errors| panic!("the zone should parse:\n{errors}"))
}

/// (line, column) of every error.
fn error_positions(text: &str) -> Vec<(usize, usize)> {
    match parse(text) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .errors
            .iter()
            .map(|error| (error.line, error.column))
            .collect(),
    }
}

fn error_messages(text: &str) -> Vec<String> {
    match parse(text) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .errors
            .into_iter()
            .map(|error| error.message)
            .collect(),
    }
}

/// The RDATA of `owner`'s records of `record_type` as uppercase hex, the way `kdig +generic`
/// prints it.
fn rdata_hex(zone: &Zone, owner: &str, record_type: RecordType) -> Vec<String> {
    let Some(rrset) = zone
        .node(&name(owner))
        .and_then(|node| node.rrset(record_type))
    else {
        return Vec::new();
    };
    rrset
        .records()
        .iter()
        .map(|record| {
            let mut wire = Vec::new();
            let mut encoder = BinEncoder::new(&mut wire);
            encoder.set_name_encoding(NameEncoding::Uncompressed);
            let _ = record.data.emit(&mut encoder);
            wire.iter().map(|byte| format!("{byte:02X}")).collect()
        })
        .collect()
}

const HEAD: &str =
    "$TTL 3600\n@ SOA ns hostmaster 1 7200 3600 1209600 300\n@ NS ns\nns A 192.0.2.53\n";

#[test]
fn reads_the_shared_capture_zone() {
    let text = include_str!("../../tests/data/zones/example.com.zone");
    let zone = parse_zone(text, None).unwrap_or_else(|errors| panic!("{errors}"));
    assert_eq!(zone.origin(), &name("example.com."));
    assert_eq!(zone.record_count(), 21);
    assert_eq!(zone.negative_ttl(), 300);
    assert!(zone.warnings().is_empty(), "{:?}", zone.warnings());
    let long = zone
        .node(&name("long.example.com."))
        .and_then(|node| node.rrset(RecordType::TXT));
    let strings = long.and_then(|rrset| match &rrset.records()[0].data {
        RData::TXT(txt) => Some(
            txt.txt_data
                .iter()
                .map(|string| string.len())
                .collect::<Vec<_>>(),
        ),
        _ => None,
    });
    // The lengths of the three quoted strings in the file (counted with a script).
    assert_eq!(strings, Some(vec![226, 245, 142]));
}

#[test]
fn origin_comes_from_the_soa_when_not_given() {
    let zone = parse_zone(
        "$ORIGIN Example.NET.\n$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n",
        None,
    );
    assert_eq!(
        zone.map(|zone| zone.origin().to_string()),
        Ok("Example.NET.".to_owned())
    );
    let no_soa = parse_zone("$TTL 60\nwww.example. A 192.0.2.1\n", None).err();
    assert_eq!(no_soa.map(|errors| errors.errors[0].line), Some(1));
}

#[test]
fn directives_relative_names_and_the_at_sign() {
    let text = format!(
        "{HEAD}$ORIGIN sub.example.\nwww A 192.0.2.1\n@ TXT \"at sub\"\n$ORIGIN deeper\nhost A 192.0.2.2\n$TTL 1h\nlater A 192.0.2.3\nabs.example. 30 A 192.0.2.4\n"
    );
    let zone = zone(&text);
    assert!(zone.node(&name("www.sub.example.")).is_some());
    assert!(zone
        .node(&name("sub.example."))
        .and_then(|node| node.rrset(RecordType::TXT))
        .is_some());
    // `$ORIGIN deeper` is relative to the previous origin.
    assert!(zone.node(&name("host.deeper.sub.example.")).is_some());
    let ttl = |owner: &str| {
        zone.node(&name(owner))
            .and_then(|node| node.rrsets().first())
            .map(|rrset| rrset.ttl())
    };
    assert_eq!(ttl("host.deeper.sub.example."), Some(3600));
    assert_eq!(ttl("later.deeper.sub.example."), Some(3600));
    assert_eq!(ttl("abs.example."), Some(30));
}

#[test]
fn omitted_owner_ttl_and_class_in_either_order() {
    let text = format!("{HEAD}a 100 IN A 192.0.2.1\n  IN 200 AAAA 2001:db8::1\n  TXT \"same owner\"\nb IN A 192.0.2.2\n");
    let zone = zone(&text);
    let a = zone.node(&name("a.example.")).map(|node| {
        node.rrsets()
            .iter()
            .map(|rrset| (rrset.record_type(), rrset.ttl()))
            .collect::<Vec<_>>()
    });
    assert_eq!(
        a,
        Some(vec![
            (RecordType::A, 100),
            (RecordType::TXT, 3600),
            (RecordType::AAAA, 200)
        ])
    );
}

#[test]
fn parentheses_comments_and_quoted_strings_with_escapes() {
    let text = format!(
        "{HEAD}t TXT ( \"one; not a comment\" ; a comment\n   \"two ( three )\" \"q\\\"uote\" \"\\065\\066C\" unquoted\\032word ) ; end\n"
    );
    let zone = zone(&text);
    let strings = zone
        .node(&name("t.example."))
        .and_then(|node| node.rrset(RecordType::TXT))
        .and_then(|rrset| match &rrset.records()[0].data {
            RData::TXT(txt) => Some(
                txt.txt_data
                    .iter()
                    .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
                    .collect::<Vec<_>>(),
            ),
            _ => None,
        });
    assert_eq!(
        strings,
        Some(vec![
            "one; not a comment".to_owned(),
            "two ( three )".to_owned(),
            "q\"uote".to_owned(),
            "ABC".to_owned(),
            "unquoted word".to_owned(),
        ])
    );
}

#[test]
fn escaped_dots_stay_inside_labels() {
    let zone = zone(&format!("{HEAD}a\\.b CNAME c\\046d\n"));
    let node = zone.node(&name("a\\.b.example."));
    assert_eq!(node.map(|node| node.name().iter().count()), Some(2));
    let target = node
        .and_then(|node| node.rrset(RecordType::CNAME))
        .and_then(|rrset| match &rrset.records()[0].data {
            RData::CNAME(cname) => Some(cname.0.iter().next().map(<[u8]>::to_vec)),
            _ => None,
        });
    assert_eq!(target, Some(Some(b"c.d".to_vec())));
}

/// Wire bytes of every record type, compared with what Knot DNS 3.2.6 loads from the same text
/// (`kdig +generic` against `tests/data/zones/lab.test.zone`).
#[test]
fn every_record_type_gives_the_same_wire_bytes_as_knot() {
    let text = include_str!("../../tests/data/zones/lab.test.zone");
    let zone =
        parse_zone(text, Some(&name("lab.test."))).unwrap_or_else(|errors| panic!("{errors}"));
    let expected: &[(&str, RecordType, &[&str])] = &[
        ("txt.lab.test.", RecordType::TXT, &["036120620363226402414205706C61696E"]),
        ("hinfo.lab.test.", RecordType::HINFO, &["025043054C696E7578"]),
        ("caa.lab.test.", RecordType::CAA, &["000569737375656C657473656E63727970742E6F7267", "8003746273556E6B6E6F776E"]),
        ("naptr.lab.test.", RecordType::NAPTR, &["0064000A0153075349502B44325500045F736970045F756470036C6162047465737400"]),
        ("sshfp.lab.test.", RecordType::SSHFP, &["01017EB8E406E5F38ECA918E8F923D1018221323AD98"]),
        ("_443._tcp.lab.test.", RecordType::TLSA, &["03010133F9CCE1F7BAD93226A31C786E1F93EEDE5C3BFE787CAC43B998363AB0289BF7"]),
        ("svc.lab.test.", RecordType::SVCB, &["00010A7376632D746172676574036C6162047465737400000100060268320268330003000220FB00040008C0000201C00002020006001020010DB8000000000000000000000001"]),
        ("svc-alias.lab.test.", RecordType::SVCB, &["000003777777036C6162047465737400"]),
        ("https.lab.test.", RecordType::HTTPS, &["0001000000000200010001000602683302683200020000FDE8000568656C6C6F"]),
        ("ptr.lab.test.", RecordType::PTR, &["03777777036C6162047465737400"]),
        ("signed.lab.test.", RecordType::RRSIG, &["00010D0300000E106955B900692CDA803039036C6162047465737400F3F15A23E43F1388ECE45C2F00BA41BFD2920B2279D403707655F6153C114205645761EF0CB669E4C9879BB2DBB64C5FDD8DE10211F307FD0D0366B6B96CEEE5"]),
        ("nsec.lab.test.", RecordType::NSEC, &["03777777036C61620474657374000006400080000003FF0180"]),
        ("generic.lab.test.", RecordType::Unknown(65280), &["DEADBEEF"]),
        ("sub.lab.test.", RecordType::DS, &["30390D02292CC6D753BC47C3F2E890EDAF84EF25B0A10E25FE54F337E3E5112009A3B9D6"]),
        ("lab.test.", RecordType::DNSKEY, &["0101030DA819408CE5010CA2E09EF59AC3D89F5FF8595D02B524E61BF8AFA894A95D594F8174099687A26621F4E2CDD7CC03B3DACEDB3FB962255B1AAFD033CABE831530"]),
        ("lab.test.", RecordType::CDS, &["30390D02292CC6D753BC47C3F2E890EDAF84EF25B0A10E25FE54F337E3E5112009A3B9D6"]),
        ("lab.test.", RecordType::CDNSKEY, &["0101030D7DB4E26CA1EFC6D6169B3BC758B158280021AA5606C7202304B5CA44826932CABBE3D6A9E6F340971B345ED909009C64866CDAD0BB6E3FAFE4CBDAFD57E8E5E8"]),
        ("lab.test.", RecordType::SOA, &["036E7331036C61620474657374000A686F73746D6173746572036C616204746573740078C275F500001C2000000E100012750000000258"]),
        ("mail.lab.test.", RecordType::AAAA, &["20010DB8000000000000000000000025"]),
        ("lab.test.", RecordType::MX, &["000A046D61696C036C6162047465737400", "0014046D61696C076F757473696465076578616D706C6500"]),
        ("_sip._udp.lab.test.", RecordType::SRV, &["000A003C13C403736970036C6162047465737400", "0014000013C403736970076F757473696465076578616D706C6500"]),
        ("lab.test.", RecordType::NSEC3PARAM, &["0100000A04AABBCCDD"]),
    ];
    for (owner, record_type, hex) in expected {
        let mut got = rdata_hex(&zone, owner, *record_type);
        got.sort();
        let mut want: Vec<String> = hex.iter().map(|hex| (*hex).to_owned()).collect();
        want.sort();
        assert_eq!(got, want, "{owner} {record_type}");
    }
    // The generic form of a known type makes the same record as its text form.
    assert_eq!(
        rdata_hex(&zone, "type-one.lab.test.", RecordType::A),
        ["C0000206"]
    );
    assert_eq!(
        rdata_hex(&zone, "generic-a.lab.test.", RecordType::A),
        ["C0000205"]
    );
}

#[test]
fn nsec3_records_live_outside_the_tree() {
    // RFC 5155 appendix A's NSEC3 for the apex of "example".
    let text = format!(
        "{HEAD}0p9mhaveqvm6t7vbl5lop2u3t2rp3tom NSEC3 1 1 12 aabbccdd ( 2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DNSKEY NS SOA NSEC3PARAM RRSIG )\n"
    );
    let zone = zone(&text);
    assert!(zone
        .node(&name("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example."))
        .is_none());
    let nsec3: Vec<&Record> = zone
        .nsec3_rrsets()
        .flat_map(|rrset| rrset.records())
        .collect();
    assert_eq!(nsec3.len(), 1);
    let mut wire = Vec::new();
    let mut encoder = BinEncoder::new(&mut wire);
    let _ = nsec3[0].data.emit(&mut encoder);
    // Hash 1, flags 1, 12 iterations, 4-octet salt, then a 20-octet hash.
    assert_eq!(
        wire.get(..10),
        Some(&[1, 1, 0, 12, 4, 0xaa, 0xbb, 0xcc, 0xdd, 20][..])
    );
    // Window 0: NS SOA MX RRSIG DNSKEY NSEC3PARAM -> bits 2, 6, 15, 46, 48, 51.
    assert_eq!(
        wire.get(30..),
        Some(&[0, 7, 0x22, 0x01, 0, 0, 0, 0x02, 0x90][..])
    );
}

#[test]
fn include_is_refused_with_an_explanation() {
    let text = format!("{HEAD}$INCLUDE other.zone\n");
    assert_eq!(error_positions(&text), [(5, 1)]);
    assert!(error_messages(&text)[0].contains("no file system in the browser"));
}

#[test]
fn every_syntax_error_is_reported_with_its_position() {
    let text = format!(
        "{HEAD}\
a A 192.0.2.256\n\
b AAAA 2001:db8::g\n\
c MX 10\n\
d MX 10 mail extra\n\
e 1x A 192.0.2.1\n\
f IN IN A 192.0.2.1\n\
g 1 2 A 192.0.2.1\n\
h WHAT 1\n\
i\n\
j TXT \"{long}\"\n\
k TXT \\300\n\
l CNAME a..b\n\
m CNAME {label}\n\
n CAA 0 bad-tag \"x\"\n\
o SRV 1 2 65536 t\n\
p TYPE65280 \\# 3 abcd\n\
q TYPE65280 \\# 1 zz\n\
r LOC 1 2 3\n\
s EUI48 00-00-5e-00-53\n\
t CH A 192.0.2.1\n\
$ORIGIN\n\
$TTL 1 2\n\
$FOO bar\n\
u SSHFP 1 1 abc\n\
v DS 1 2 3\n\
w DNSKEY 257 3 13 !!!\n\
x NSEC3PARAM 1 0 10 xyz\n\
y RRSIG A 13 2 3600 20261399000000 20260101000000 1 example. AQID\n\
z SVCB 1 . alpn\n\
",
        long = "x".repeat(256),
        label = "l".repeat(64),
    );
    // Columns count characters from 1; each points at the token (or the character inside it)
    // that is wrong.
    let expected = vec![
        (5, 5),   // a: 256 is not an octet: the address
        (6, 8),   // b: bad IPv6: the address
        (7, 6),   // c: the MX ends before its name: its last token, "10"
        (8, 14),  // d: the extra field
        (9, 3),   // e: bad TTL
        (10, 6),  // f: the second class
        (11, 5),  // g: the second TTL
        (12, 3),  // h: unknown type
        (13, 1),  // i: no type: the only token
        (14, 8),  // j: 256-octet string: its first character, after the quote
        (15, 7),  // k: \300 above 255: the backslash
        (16, 11), // l: empty label: the second dot
        (17, 9),  // m: 64-octet label: its start
        (18, 9),  // n: CAA tag
        (19, 11), // o: port above 65535
        (20, 16), // p: \# length that does not match the data
        (21, 18), // q: not hex: the first bad character
        (22, 11), // r: LOC ends before the latitude's direction: its last token, "3"
        (23, 9),  // s: EUI48 with five octets: the address
        (24, 6),  // t: class CH: the type
        (25, 1),  // $ORIGIN without a name
        (26, 8),  // $TTL with two values: the second
        (27, 1),  // unknown directive
        (28, 15), // u: odd number of hex digits: the last digit
        (29, 10), // v: DS ends before its digest: its last token, "3"
        (30, 19), // w: bad base64
        (31, 21), // x: bad salt: the first bad character
        (32, 21), // y: month 13: the expiration
        (33, 12), // z: alpn without a value: the parameter
    ];
    let found = error_positions(&text);
    assert_eq!(found, expected, "{:#?}", error_messages(&text));
}

#[test]
fn lexer_errors_and_record_errors_are_all_listed() {
    let text = format!("{HEAD}a TXT ( \"x\"\nb A 192.0.2.999\n");
    // The unclosed parenthesis swallows the rest of the text into one entry, whose data is
    // then wrong too; both are listed.
    let positions = error_positions(&text);
    assert!(positions.contains(&(5, 7)), "{positions:?}");
}

#[test]
fn a_line_starting_with_a_blank_needs_a_previous_owner() {
    let positions = match parse_zone("$TTL 1\n  A 192.0.2.1\n", Some(&name("example."))) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .errors
            .iter()
            .map(|error| (error.line, error.column))
            .collect(),
    };
    assert!(positions.contains(&(2, 3)), "{positions:?}");
}

#[test]
fn checks_soa_count_and_place() {
    assert_eq!(
        error_positions("$TTL 60\n@ NS ns\nns A 192.0.2.1\n"),
        [(1, 1)],
        "no SOA"
    );
    assert_eq!(
        error_positions(&format!(
            "{HEAD}@ SOA ns2 hostmaster 2 7200 3600 1209600 300\n"
        )),
        [(5, 1)],
        "two SOAs"
    );
    assert_eq!(
        error_positions(&format!(
            "{HEAD}sub SOA ns hostmaster 2 7200 3600 1209600 300\n"
        )),
        [(5, 1)],
        "SOA below the apex"
    );
}

#[test]
fn checks_ns_at_the_apex() {
    let messages = error_messages("$TTL 60\n@ SOA ns hm 1 2 3 4 5\nns A 192.0.2.1\n");
    assert_eq!(messages.len(), 1);
    assert!(messages[0].contains("no NS records"), "{messages:?}");
    assert_eq!(
        error_positions("$TTL 60\n@ SOA ns hm 1 2 3 4 5\nns A 192.0.2.1\n"),
        [(2, 1)]
    );
}

#[test]
fn checks_cname_beside_other_data_and_twice() {
    let text = format!("{HEAD}www CNAME host\nwww A 192.0.2.1\nalias CNAME a\nalias CNAME b\nsigned CNAME a\nsigned RRSIG CNAME 13 2 60 20260101000000 20250101000000 1 example. AQID\n@ CNAME elsewhere\n");
    // www (line 5): beside an A; alias (line 8): a second CNAME; the apex (line 11): beside the
    // SOA and NS. The CNAME beside its own RRSIG (line 9) is allowed.
    assert_eq!(error_positions(&text), [(5, 1), (8, 1), (11, 1)]);
    let messages = error_messages(&text);
    assert!(
        messages[0].contains("CNAME record and other records (A)"),
        "{messages:?}"
    );
    assert!(messages[1].contains("more than one CNAME"), "{messages:?}");
    assert!(messages[2].contains("(NS, SOA)"), "{messages:?}");
}

#[test]
fn checks_out_of_zone_data() {
    let text = format!("{HEAD}www.example.org. A 192.0.2.1\n$ORIGIN other.\nhost A 192.0.2.2\n");
    assert_eq!(error_positions(&text), [(5, 1), (7, 1)]);
    assert!(error_messages(&text)[0].contains("outside the zone example."));
}

#[test]
fn checks_missing_glue_for_in_zone_name_servers() {
    let missing = format!("{HEAD}sub NS ns.sub\nsub NS ns.elsewhere.\nother NS ns.sub\n@ NS ns2\n");
    assert_eq!(error_positions(&missing), [(5, 1), (7, 1), (8, 1)]);
    let messages = error_messages(&missing);
    assert!(messages[0].contains("missing glue"), "{messages:?}");
    assert!(messages[2].contains("ns2.example."), "{messages:?}");
    // Glue present, out-of-zone servers, and addresses supplied by a wildcard are fine.
    let fine = format!("{HEAD}sub NS ns.sub\nns.sub AAAA 2001:db8::1\nout NS ns.elsewhere.\nw NS x.wild\n*.wild A 192.0.2.9\n");
    assert_eq!(error_positions(&fine), []);
}

#[test]
fn checks_do_not_repeat_what_a_syntax_error_already_says() {
    // The SOA line is broken: only that error is reported, not "no SOA" as well.
    let text = "$TTL 60\n@ SOA ns hm one 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n";
    assert_eq!(error_positions(text), [(2, 13)]);
    // The glue line is broken: no "missing glue" on top.
    let glue = format!("{HEAD}sub NS ns.sub\nns.sub A 192.0.2.300\n");
    assert_eq!(error_positions(&glue), [(6, 10)]);
}

#[test]
fn warnings_do_not_reject_the_zone() {
    let text = format!("{HEAD}sub NS ns.sub\nns.sub A 192.0.2.1\nsub TXT \"hidden\"\nhidden.sub TXT \"occluded\"\nd A 192.0.2.1\nd 60 A 192.0.2.2\nd A 192.0.2.1\nm MX 1 alias\nalias CNAME d\n");
    let zone = zone(&text);
    let lines: Vec<usize> = zone.warnings().iter().map(|warning| warning.line).collect();
    assert_eq!(lines, [7, 8, 10, 11, 12]);
    let ttls: Vec<u32> = zone
        .node(&name("d.example."))
        .and_then(|node| node.rrset(RecordType::A))
        .map(|rrset| rrset.records().iter().map(|record| record.ttl).collect())
        .unwrap_or_default();
    assert_eq!(ttls, [3600, 3600]);
}

#[test]
fn tree_has_empty_non_terminals_delegations_and_wildcards() {
    let text =
        format!("{HEAD}a.b.c A 192.0.2.1\nsub NS ns.sub\nns.sub A 192.0.2.2\n*.w TXT \"w\"\n");
    let zone = zone(&text);
    let flags = |owner: &str| {
        zone.node(&name(owner)).map(|node| {
            (
                node.is_empty_non_terminal(),
                node.is_delegation(),
                node.is_below_delegation(),
                node.has_wildcard_child(),
            )
        })
    };
    assert_eq!(flags("b.c.example."), Some((true, false, false, false)));
    assert_eq!(flags("c.example."), Some((true, false, false, false)));
    assert_eq!(flags("sub.example."), Some((false, true, false, false)));
    assert_eq!(flags("ns.sub.example."), Some((false, false, true, false)));
    assert_eq!(flags("w.example."), Some((true, false, false, true)));
    assert_eq!(flags("zz.example."), None);
    assert_eq!(
        zone.closest_encloser(&name("x.y.b.c.example."))
            .map(|node| node.name().to_string()),
        Some("b.c.example.".to_owned())
    );
    assert_eq!(
        zone.node_or_wildcard(&name("anything.w.example."))
            .map(|node| node.name().to_string()),
        Some("*.w.example.".to_owned())
    );
}

#[test]
fn zone_set_finds_the_longest_match() {
    let parent = zone(HEAD);
    let child = parse_zone(
        "$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n",
        Some(&name("sub.example.")),
    )
    .unwrap_or_else(|errors| panic!("{errors}"));
    let set: ZoneSet = [parent, child].into_iter().collect();
    let origin_of = |query: &str| set.find(&name(query)).map(|zone| zone.origin().to_string());
    assert_eq!(
        origin_of("www.sub.example."),
        Some("sub.example.".to_owned())
    );
    assert_eq!(origin_of("SUB.Example."), Some("sub.example.".to_owned()));
    assert_eq!(origin_of("www.example."), Some("example.".to_owned()));
    assert_eq!(origin_of("*.example."), Some("example.".to_owned()));
    assert_eq!(origin_of("example.org."), None);
    assert_eq!(origin_of("."), None);
}

#[test]
fn zones_can_be_built_from_records() {
    let records = vec![
        Record::from_rdata(
            name("example."),
            60,
            RData::SOA(hickory_proto::rr::rdata::SOA::new(
                name("ns.example."),
                name("hm.example."),
                1,
                2,
                3,
                4,
                5,
            )),
        ),
        Record::from_rdata(
            name("example."),
            60,
            RData::NS(hickory_proto::rr::rdata::NS(name("ns.example."))),
        ),
    ];
    let errors = Zone::from_records(&name("example."), records).err();
    // ns.example. is in the zone and has no address.
    assert_eq!(
        errors.map(|errors| (errors.errors.len(), errors.errors[0].line)),
        Some((1, 0))
    );
}

#[test]
fn no_input_makes_the_parser_panic() {
    // A few nasty inputs; the property test below tries many more.
    for text in [
        "",
        "\"",
        "(",
        ")",
        "\\",
        "$",
        "@",
        "a\\",
        "$ORIGIN .\n@ SOA . . 0 0 0 0 0\n@ NS .",
        "* A 1.2.3.4",
        "\u{feff}x A 1.2.3.4",
        "a TYPE0 \\# 1 00",
    ] {
        let _ = parse_zone(text, None);
        let _ = parse_zone(text, Some(&name("example.")));
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "[ -~\\t\\n\\\\\"();$@*.]{0,200}") {
            let _ = parse_zone(&text, Some(&name("example.")));
        }

        #[test]
        fn arbitrary_lines_after_a_valid_head_never_panic(lines in proptest::collection::vec("[a-z0-9*@.]{1,8}( [A-Z0-9]{1,6}){0,2} (A|AAAA|MX|TXT|SOA|SRV|CAA|SVCB|NSEC|TYPE[0-9]{1,5}|DS|LOC|APL|IPSECKEY|CERT|EUI48|EUI64|NID|L64|URI|DNAME|CSYNC|RP) [ -~]{0,40}", 0..8)) {
            let text = format!("{HEAD}{}", lines.join("\n"));
            let _ = parse_zone(&text, Some(&name("example.")));
        }
    }
}

#[test]
fn zone_set_replaces_a_zone_in_place_and_still_finds_every_zone() {
    let parent = zone(HEAD);
    let child_text =
        |address: &str| format!("$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A {address}\n");
    let child = |address: &str| {
        parse_zone(&child_text(address), Some(&name("sub.example.")))
            .unwrap_or_else(|errors| panic!("{errors}"))
    };
    let mut set: ZoneSet = [parent, child("192.0.2.1")].into_iter().collect();
    let replaced = set.insert(child("192.0.2.2"));
    assert_eq!(
        replaced.map(|zone| zone.record_count()),
        Some(3),
        "the old child comes back"
    );
    assert_eq!(set.len(), 2);
    let served_address = |query: &str| {
        set.find(&name(query))
            .and_then(|zone| zone.node(&name("ns.sub.example.")))
            .and_then(|node| node.rrset(hickory_proto::rr::RecordType::A))
            .and_then(|rrset| rrset.records().first())
            .map(|record| record.data.to_string())
    };
    assert_eq!(
        served_address("www.sub.example."),
        Some("192.0.2.2".to_owned())
    );
    assert_eq!(
        set.find(&name("www.example."))
            .map(|zone| zone.origin().to_string()),
        Some("example.".to_owned())
    );
    // A shared zone goes into a second set as the very same zone.
    let shared = set.get_shared(&name("SUB.example.")).cloned();
    let mut other = ZoneSet::new();
    if let Some(shared) = &shared {
        other.insert(std::sync::Arc::clone(shared));
    }
    assert!(matches!(
        (shared, other.get_shared(&name("sub.example."))),
        (Some(first), Some(second)) if std::sync::Arc::ptr_eq(&first, second)
    ));
}

#[test]
fn types_test_zone_gives_the_same_wire_bytes_as_knot() {
    let text = include_str!("../../tests/data/zones/types.test.zone");
    let zone =
        parse_zone(text, Some(&name("types.test."))).unwrap_or_else(|errors| panic!("{errors}"));
    // `kdig +generic` against Knot DNS 3.2.6 serving this very file.
    let expected: &[(&str, u16, &[&str])] = &[
        ("minfo", 14, &["05726D61696C05747970657304746573740007656D61696C6278057479706573047465737400"]),
        ("rp", 17, &["0A686F73746D617374657205747970657304746573740007747874696E666F057479706573047465737400"]),
        ("rp-none", 17, &["0000"]),
        ("afsdb", 18, &["000103616673076578616D706C6500", "000203646365057479706573047465737400"]),
        ("rt", 21, &["000A0572656C6179057479706573047465737400"]),
        ("kx", 36, &["000A026B78057479706573047465737400"]),
        ("spf", 99, &["06763D737066311420696E636C7564653A6578616D706C652E636F6D05207E616C6C", "0B763D73706631202D616C6C"]),
        ("loc", 29, &["001216138B0D2C8C7FF8FCA500989680"]),
        ("loc-short", 29, &["001216138903210070C3DA8000989680"]),
        ("loc-south", 29, &["0023145278BC0424A07246A40098AD28"]),
        ("loc-deep", 29, &["00999911800000008000000000000000"]),
        ("key", 25, &["0100030DA819408CE5010CA2E09EF59AC3D89F5FF8595D02B524E61BF8AFA894A95D594F8174099687A26621F4E2CDD7CC03B3DACEDB3FB962255B1AAFD033CABE831530"]),
        ("cert", 37, &["0001303908308201B330820159A0030201020214434753"]),
        ("cert-num", 37, &["0001000000010203"]),
        ("cert-url", 37, &["000400000068747470733A2F2F6578616D706C652E636F6D2F63657274"]),
        ("openpgpkey", 61, &["99010D0455479B9B0108009A8AED0D4F5F98D4CDC783CB3A7F390C91727F8BB80DEFD394ED"]),
        ("smimea", 53, &["0301010123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"]),
        ("ipseckey", 45, &["0A0102C0000226010351537986ED35533B6064478EEEB27B5BD74DAE149B6E81BA3A0521AF82AB7801"]),
        ("ipseckey6", 45, &["0A020220010DB8000080020000000020000001010351537986ED35533B6064478EEEB27B5BD74DAE149B6E81BA3A0521AF82AB7801"]),
        ("ipseckey-n", 45, &["0A0302096D7967617465776179076578616D706C6503636F6D00010351537986ED35533B6064478EEEB27B5BD74DAE149B6E81BA3A0521AF82AB7801"]),
        ("dhcid", 49, &["000201636FC0B8271C82825BB1AC5C41CF5351AA69B4FEBD94E8F17CDB95000DA48C40"]),
        ("apl", 42, &["00011803C0000200011984C00002800002200420010DB800010000"]),
        ("apl-empty", 42, &[""]),
        ("csync", 62, &["78C424D10003000460000008"]),
        ("csync-none", 62, &["000000000000"]),
        ("zonemd", 63, &["78C424D101010123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"]),
        ("nid", 104, &["000A00144FFFFF20EE64"]),
        ("l32", 105, &["000A0A010200"]),
        ("l64", 106, &["000A20010DB811401000"]),
        ("lp", 107, &["000A0B6C36342D7375626E657431057479706573047465737400"]),
        ("eui48", 108, &["00005E00532A"]),
        ("eui64", 109, &["00005EEF1000002A"]),
        ("uri", 256, &["000A000168747470733A2F2F7777772E74797065732E746573742F"]),
        ("uri-esc", 256, &["000100006674703A2F2F667470312E6578616D706C652E636F6D2F7075626C696320612262"]),
        ("dname", 39, &["057479706573076578616D706C6500"]),
        ("dname-in", 39, &["027270057479706573047465737400"]),
    ];
    for (owner, code, hex) in expected {
        let owner = format!("{owner}.types.test.");
        let mut got = rdata_hex(&zone, &owner, RecordType::from(*code));
        got.sort();
        let mut want: Vec<String> = hex.iter().map(|hex| (*hex).to_owned()).collect();
        want.sort();
        assert_eq!(got, want, "{owner} type {code}");
    }
}

#[test]
fn errors_in_the_newer_text_forms_point_at_their_token() {
    let text = format!(
        "{HEAD}\
a LOC 91 N 0 W 0m\n\
b LOC 90 1 N 0 W 0m\n\
c LOC 51 30 12.7489 N 0 W 0m\n\
d LOC 0 n 0 w 0m\n\
e EUI48 00-00-5e-00-53-2\n\
f EUI64 00-00-5e-ef-10-00-00-zz\n\
g APL 1:192.0.2.0/24 1:192.0.2.0/33\n\
h APL 3:192.0.2.0/24\n\
i CERT FOO 0 0 AQID\n\
j IPSECKEY 10 4 2 . AQID\n\
k NID 10 14:4fff:ff20:ee64\n\
l URI 10 1\n\
m LOC 0 N 0 W 42849672.96m\n\
n ZONEMD 1 1 1\n\
o DNAME \\# 2 0101\n\
p IPSECKEY 10 0 2 gateway. AQID\n\
q LOC 0 N 0 W 0m 1m 10000m 10m 1m\n\
r TXT \\# 0\n\
"
    );
    let expected = vec![
        (5, 7),   // a: 91 degrees of latitude: the degrees
        (6, 7),   // b: 90 degrees 1 minute: the degrees
        (7, 19),  // c: a fourth decimal of the seconds
        (8, 9),   // d: a lowercase direction
        (9, 9),   // e: five and a half octets: the address
        (10, 30), // f: "zz" is not hexadecimal: its first character
        (11, 34), // g: prefix 33 for IPv4: the prefix in the second item
        (12, 7),  // h: address family 3: the family
        (13, 8),  // i: FOO is not a certificate type
        (14, 15), // j: gateway type 4
        (15, 10), // k: a group of two digits: the locator
        (16, 10), // l: no target: the last token
        (17, 15), // m: altitude above 42849672.95 m
        (18, 14), // n: no digest: the last token
        (19, 3),  // o: generic DNAME data that is not a name: the type
        (20, 19), // p: gateway type 0 with a name
        (21, 32), // q: a fifth size field
        (22, 3),  // r: empty TXT data: the type
    ];
    assert_eq!(
        error_positions(&text),
        expected,
        "{:#?}",
        error_messages(&text)
    );
    let messages = error_messages(&text);
    assert!(messages[0].contains("latitude"), "{}", messages[0]);
    assert!(messages[6].contains("from 0 to 32"), "{}", messages[6]);
    assert!(messages[8].contains("PKIX"), "{}", messages[8]);
}

#[test]
fn uri_targets_may_be_unquoted_and_apl_lists_empty_as_knot_reads_them() {
    let zone = zone(&format!(
        "{HEAD}u URI 10 1 https://example/\ne APL\ng APL \\# 0\nh TYPE42 \\# 0\n"
    ));
    assert_eq!(
        rdata_hex(&zone, "u.example.", RecordType::from(256)),
        ["000A000168747470733A2F2F6578616D706C652F"]
    );
    for owner in ["e.example.", "g.example.", "h.example."] {
        assert_eq!(
            rdata_hex(&zone, owner, RecordType::from(42)),
            [""],
            "{owner}"
        );
    }
}

#[test]
fn checks_dname_children_duplicates_and_ns_beside_it() {
    // Knot DNS refuses each of these zones (its mandatory DNAME checks).
    let below = format!("{HEAD}d DNAME target.\na.d A 192.0.2.1\n*.d TXT \"x\"\n");
    assert_eq!(error_positions(&below), [(6, 1), (7, 1)]);
    assert!(error_messages(&below)[0].contains("below the DNAME at d.example."));
    let twice = format!("{HEAD}d DNAME one.\nd DNAME two.\n");
    assert_eq!(error_positions(&twice), [(6, 1)]);
    let delegated = format!("{HEAD}d DNAME target.\nd NS ns.elsewhere.\n");
    assert_eq!(error_positions(&delegated), [(5, 1)]);
    // At the apex, the zone's own NS records are allowed, but nothing below it: here the name
    // server's address record.
    let apex = format!("{HEAD}@ DNAME target.\n");
    assert_eq!(error_positions(&apex), [(4, 1)]);
    let apex_alone = "$TTL 3600\n@ SOA ns.other. hostmaster 1 7200 3600 1209600 300\n@ NS ns.other.\n@ DNAME target.\n";
    assert!(parse(apex_alone).is_ok());
    // A DNAME's own name may hold other data; a CNAME beside it is refused as beside any data.
    assert!(parse(&format!("{HEAD}d DNAME target.\nd A 192.0.2.1\n")).is_ok());
    assert_eq!(
        error_positions(&format!("{HEAD}d DNAME target.\nd CNAME target.\n")),
        [(6, 1)]
    );
}
