//! Tests of the Build tab's core: bytes against hand-assembled messages (with the RFC sections
//! that fix them), every field problem, IDN, links, copy texts, the JavaScript API and the
//! built-in servers' answers.

use super::*;
use crate::page::{decode_for_page, parse_fragment, PageOptions, Route};
use crate::world::World;
use base64::Engine as _;

/// `www.example.com. A IN` (RFC 1035 section 4.1.2): the name as length-prefixed labels, QTYPE 1,
/// QCLASS 1.
const QUESTION: &[u8] = &[
    3, b'w', b'w', b'w', 7, b'e', b'x', b'a', b'm', b'p', b'l', b'e', 3, b'c', b'o', b'm', 0, 0x00,
    0x01, 0x00, 0x01,
];

/// A query header (RFC 1035 section 4.1.1) with ID 0x1234, the two flag octets, QDCOUNT 1 and
/// ARCOUNT `arcount`.
fn header(flags: [u8; 2], arcount: u8) -> Vec<u8> {
    vec![0x12, 0x34, flags[0], flags[1], 0, 1, 0, 0, 0, 0, 0, arcount]
}

/// An OPT pseudo-record (RFC 6891 section 6.1.2): owner root (0), TYPE 41, CLASS = UDP payload
/// size, TTL = extended RCODE 0, VERSION, flags (DO = 0x8000), RDLENGTH, options.
fn opt(payload: u16, version: u8, flags: u16, options: &[u8]) -> Vec<u8> {
    let mut record = vec![0, 0, 41];
    record.extend_from_slice(&payload.to_be_bytes());
    record.extend_from_slice(&[0, version]);
    record.extend_from_slice(&flags.to_be_bytes());
    record.extend_from_slice(&u16::try_from(options.len()).unwrap_or(0).to_be_bytes());
    record.extend_from_slice(options);
    record
}

fn message(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

fn form() -> BuildForm {
    BuildForm {
        id: 0x1234,
        ..BuildForm::default()
    }
}

fn built(form: &BuildForm) -> BuiltQuery {
    build_query(form).unwrap_or_else(|problems| panic!("{form:?}: {problems:?}"))
}

fn problems(form: &BuildForm) -> Vec<FieldProblem> {
    match build_query(form) {
        Ok(query) => panic!("{form:?} built {:?}", query.copies.hex_stream),
        Err(problems) => problems,
    }
}

/// The one problem of `form`, as `(field, message)`.
fn problem(form: &BuildForm) -> (&'static str, String) {
    let all = problems(form);
    assert_eq!(all.len(), 1, "{all:?}");
    all.into_iter()
        .next()
        .map(|problem| (problem.field, problem.message))
        .unwrap_or_default()
}

#[test]
fn the_default_form_is_digs_query_without_cookie_and_ad() {
    // RD set (0x01 in the third octet), one OPT record announcing 1232 octets, version 0.
    let expected = message(&[&header([0x01, 0x00], 1), QUESTION, &opt(1232, 0, 0, &[])]);
    assert_eq!(*built(&form()).bytes, expected);
    let defaults = BuildForm::default();
    assert_eq!(
        (
            defaults.name.as_str(),
            defaults.qtype.as_str(),
            defaults.qclass.as_str()
        ),
        ("www.example.com", "A", "IN")
    );
    assert_eq!((defaults.id, defaults.udp_payload), (0, 1232));
}

#[test]
fn header_bits_and_edns_flags_byte_for_byte() {
    // RFC 1035 section 4.1.1: QR OPCODE(4) AA TC RD | RA Z AD CD RCODE(4). RD clear, AD = 0x20
    // and CD = 0x10 of the fourth octet (RFC 4035 section 3.2, RFC 6840 section 5.7); DO is the
    // top bit of the OPT record's flags (RFC 3225 section 3); NSID asks with an empty option,
    // code 3 (RFC 5001 section 2.1).
    let query = BuildForm {
        rd: false,
        cd: true,
        ad: true,
        dnssec_ok: true,
        nsid: true,
        udp_payload: 4096,
        ..form()
    };
    let expected = message(&[
        &header([0x00, 0x30], 1),
        QUESTION,
        &opt(4096, 0, 0x8000, &[0, 3, 0, 0]),
    ]);
    assert_eq!(*built(&query).bytes, expected);

    // OPCODE 5 (UPDATE, RFC 2136) sits in bits 1-4 of the third octet: 5 << 3 = 0x28.
    let update = BuildForm {
        opcode: 5,
        rd: false,
        edns: false,
        ..form()
    };
    assert_eq!(
        *built(&update).bytes,
        message(&[&header([0x28, 0x00], 0), QUESTION])
    );
}

#[test]
fn edns_off_sends_no_opt_record_unless_an_option_needs_one() {
    let plain = BuildForm {
        edns: false,
        udp_payload: 100,
        ..form()
    };
    assert_eq!(
        *built(&plain).bytes,
        message(&[&header([0x01, 0x00], 0), QUESTION])
    );
    // An option brings EDNS back, with the default payload size (as dig's +noedns +nsid).
    let with_nsid = BuildForm {
        nsid: true,
        ..plain
    };
    assert_eq!(
        *built(&with_nsid).bytes,
        message(&[
            &header([0x01, 0x00], 1),
            QUESTION,
            &opt(1232, 0, 0, &[0, 3, 0, 0])
        ])
    );
}

#[test]
fn cookie_and_client_subnets_byte_for_byte() {
    let query = BuildForm {
        cookie: Some("0123456789ABCDEF".to_owned()),
        client_subnet: Some("192.0.2.0/24".to_owned()),
        ..form()
    };
    let options: &[u8] = &[
        // CLIENT-SUBNET (RFC 7871 section 6): code 8, length 7, FAMILY 1 (IPv4), SOURCE
        // PREFIX-LENGTH 24, SCOPE PREFIX-LENGTH 0, the 24 bits of the prefix.
        0, 8, 0, 7, 0, 1, 24, 0, 192, 0, 2,
        // COOKIE (RFC 7873 section 4): code 10, length 8, the client cookie alone.
        0, 10, 0, 8, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
    ];
    assert_eq!(
        *built(&query).bytes,
        message(&[
            &header([0x01, 0x00], 1),
            QUESTION,
            &opt(1232, 0, 0, options)
        ])
    );

    // IPv6: FAMILY 2, a /56 carries seven octets.
    let v6 = BuildForm {
        client_subnet: Some("2001:db8:aaaa:bb00::/56".to_owned()),
        ..form()
    };
    let options: &[u8] = &[
        0, 8, 0, 11, 0, 2, 56, 0, 0x20, 0x01, 0x0d, 0xb8, 0xaa, 0xaa, 0xbb,
    ];
    assert_eq!(
        *built(&v6).bytes,
        message(&[
            &header([0x01, 0x00], 1),
            QUESTION,
            &opt(1232, 0, 0, options)
        ])
    );

    // Host bits after the prefix are cleared, to the end of the last octet (RFC 7871 section
    // 6); a bare address means its full length.
    let cut = BuildForm {
        client_subnet: Some("192.0.2.255/25".to_owned()),
        ..form()
    };
    let bytes = built(&cut).bytes;
    assert_eq!(
        bytes.get(bytes.len() - 12..).map(<[u8]>::to_vec),
        Some(vec![0, 8, 0, 8, 0, 1, 25, 0, 192, 0, 2, 0x80])
    );
    let host = BuildForm {
        client_subnet: Some("192.0.2.1".to_owned()),
        ..form()
    };
    let bytes = built(&host).bytes;
    assert_eq!(
        bytes.get(bytes.len() - 8..).map(<[u8]>::to_vec),
        Some(vec![0, 1, 32, 0, 192, 0, 2, 1])
    );
}

#[test]
fn padding_makes_the_whole_message_a_multiple_of_the_block() {
    // 12 + 21 + 11 (OPT) + 4 (PADDING's code and length) = 48: 80 zero octets reach 128
    // (RFC 8467 section 4.1; RFC 7830 section 3, option code 12, contents zero).
    let query = BuildForm {
        padding_block: Some(128),
        ..form()
    };
    let mut options = vec![0, 12, 0, 80];
    options.extend_from_slice(&[0; 80]);
    let expected = message(&[
        &header([0x01, 0x00], 1),
        QUESTION,
        &opt(1232, 0, 0, &options),
    ]);
    assert_eq!(expected.len(), 128);
    assert_eq!(*built(&query).bytes, expected);
    for (name, block) in [
        ("a.example", 128u16),
        ("bücher.example", 64),
        (".", 468),
        ("x", 1),
    ] {
        let padded = BuildForm {
            name: name.to_owned(),
            padding_block: Some(block),
            nsid: true,
            cookie: Some("00112233aabbccdd".to_owned()),
            ..form()
        };
        let length = built(&padded).bytes.len();
        assert_eq!(length % usize::from(block), 0, "{name} /{block}: {length}");
    }
}

#[test]
fn every_field_problem_in_plain_words() {
    let with_name = |name: &str| BuildForm {
        name: name.to_owned(),
        ..form()
    };
    let long_label = format!("{}.example", "a".repeat(64));
    assert_eq!(
        problem(&with_name(&long_label)),
        (
            "name",
            "The label “aaaaaaaaaaaa…” is 64 octets; a label holds at most 63 (RFC 1035 §2.3.4)."
                .to_owned()
        )
    );
    // Four labels of 63 octets: 4 × 64 + 1 = 257 octets on the wire.
    let long_name = vec!["b".repeat(63); 4].join(".");
    assert_eq!(
        problem(&with_name(&long_name)),
        (
            "name",
            "The name is 257 octets on the wire; a name holds at most 255 (RFC 1035 §2.3.4)."
                .to_owned()
        )
    );
    // 63 + 63 + 63 + 61 octets: exactly 255, the largest name.
    let longest = [
        "c".repeat(63),
        "c".repeat(63),
        "c".repeat(63),
        "c".repeat(61),
    ]
    .join(".");
    assert_eq!(built(&with_name(&longest)).bytes.len(), 12 + 255 + 4 + 11);
    assert_eq!(
        problem(&with_name("www..example.com")),
        (
            "name",
            "The name has an empty label (two dots in a row).".to_owned()
        )
    );
    assert_eq!(problem(&with_name(".example")).0, "name");
    assert!(problem(&with_name("   "))
        .1
        .starts_with("Type a domain name"));
    assert!(problem(&with_name("a b.example")).1.contains("\\032"));
    assert!(problem(&with_name(r"a\999.example"))
        .1
        .contains("000 to 255"));
    assert!(problem(&with_name(r"example\")).1.contains("backslash"));
    // A label may not start with a combining mark (RFC 5891 section 4.2.3.2).
    assert!(problem(&with_name("\u{0301}a.example"))
        .1
        .contains("not a valid internationalized label"));
    // 60 ü: its A-label is longer than 63 octets.
    let long_idn = format!("{}.example", "ü".repeat(60));
    let (field, message) = problem(&with_name(&long_idn));
    assert_eq!(field, "name");
    assert!(
        message.contains("octets as an A-label; a label holds at most 63"),
        "{message}"
    );

    let with_type = |qtype: &str| BuildForm {
        qtype: qtype.to_owned(),
        ..form()
    };
    assert_eq!(
        problem(&with_type("FOO")),
        (
            "type",
            "“FOO” is not a record type; use a mnemonic such as AAAA or TYPE65400.".to_owned()
        )
    );
    assert!(problem(&with_type("70000")).1.contains("0 to 65535"));
    assert!(problem(&with_type(""))
        .1
        .starts_with("Choose a record type"));
    let with_class = |qclass: &str| BuildForm {
        qclass: qclass.to_owned(),
        ..form()
    };
    assert_eq!(problem(&with_class("XY")).0, "class");
    assert!(problem(&with_class("99999")).1.contains("0 to 65535"));

    let opcode = BuildForm {
        opcode: 16,
        ..form()
    };
    assert_eq!(problem(&opcode).0, "opcode");
    let small_payload = BuildForm {
        udp_payload: 511,
        ..form()
    };
    assert_eq!(
        problem(&small_payload),
        (
            "udp_payload",
            "A UDP payload size below 512 counts as 512 (RFC 6891 §6.2.5), so 511 cannot be sent; use 512 to 65535 (1232 is the usual choice)."
                .to_owned()
        )
    );
    let with_cookie = |cookie: &str| BuildForm {
        cookie: Some(cookie.to_owned()),
        ..form()
    };
    assert_eq!(
        problem(&with_cookie("abc")),
        (
            "cookie",
            "A client cookie is 8 octets, 16 hex digits (RFC 7873 §4.1); “abc” has 3.".to_owned()
        )
    );
    assert!(problem(&with_cookie("0123456789abcdeg"))
        .1
        .contains("is not hex"));
    let with_subnet = |subnet: &str| BuildForm {
        client_subnet: Some(subnet.to_owned()),
        ..form()
    };
    assert_eq!(
        problem(&with_subnet("192.0.2.0/33")),
        (
            "client_subnet",
            "A /33 prefix is longer than an IPv4 address (32 bits).".to_owned()
        )
    );
    assert!(problem(&with_subnet("2001:db8::/129"))
        .1
        .contains("IPv6 address (128 bits)"));
    for junk in ["example.com/24", "192.0.2.0/", "192.0.2.0/x", ""] {
        assert!(
            problem(&with_subnet(junk))
                .1
                .contains("is not an address with a prefix"),
            "{junk}"
        );
    }
    let with_padding = |block: u16| BuildForm {
        padding_block: Some(block),
        ..form()
    };
    assert_eq!(problem(&with_padding(0)).0, "padding_block");
    assert!(problem(&with_padding(513)).1.contains("512"));

    // Every problem at once, in the form's order.
    let everything = BuildForm {
        name: "a..b".to_owned(),
        qtype: "FOO".to_owned(),
        qclass: "XY".to_owned(),
        opcode: 99,
        udp_payload: 1,
        cookie: Some("x".to_owned()),
        client_subnet: Some("y".to_owned()),
        padding_block: Some(0),
        ..form()
    };
    let fields: Vec<&str> = problems(&everything)
        .iter()
        .map(|problem| problem.field)
        .collect();
    assert_eq!(
        fields,
        [
            "name",
            "type",
            "class",
            "opcode",
            "udp_payload",
            "cookie",
            "client_subnet",
            "padding_block"
        ]
    );
}

#[test]
fn types_and_classes_are_read_as_dig_reads_them() {
    for (typed, code) in [
        ("A", 1u16),
        ("aaaa", 28),
        ("TYPE65400", 65400),
        ("65400", 65400),
        (" mx ", 15),
    ] {
        let query = BuildForm {
            qtype: typed.to_owned(),
            edns: false,
            ..form()
        };
        let bytes = built(&query).bytes;
        assert_eq!(bytes.get(29..31), Some(&code.to_be_bytes()[..]), "{typed}");
    }
    for (typed, code) in [
        ("IN", 1u16),
        ("CH", 3),
        ("hs", 4),
        ("CLASS3", 3),
        ("3", 3),
        ("ANY", 255),
    ] {
        let query = BuildForm {
            qclass: typed.to_owned(),
            edns: false,
            ..form()
        };
        let bytes = built(&query).bytes;
        assert_eq!(bytes.get(31..33), Some(&code.to_be_bytes()[..]), "{typed}");
    }
}

#[test]
fn idn_u_labels_become_a_labels_and_ascii_keeps_its_case() {
    // "bücher" is RFC 3492's style of example; its A-label is xn--bcher-kva.
    let idn = built(&BuildForm {
        name: "bücher.example".to_owned(),
        edns: false,
        ..form()
    });
    assert_eq!(idn.name_ascii, "xn--bcher-kva.example.");
    assert_eq!(idn.name_unicode, "bücher.example.");
    let mut wire_name = vec![13];
    wire_name.extend_from_slice(b"xn--bcher-kva");
    wire_name.push(7);
    wire_name.extend_from_slice(b"example");
    wire_name.push(0);
    assert_eq!(
        idn.bytes.get(12..12 + wire_name.len()),
        Some(&wire_name[..])
    );
    // UTS #46 maps upper case and the ideographic full stop (U+3002).
    let upper = built(&BuildForm {
        name: "BÜCHER。example".to_owned(),
        edns: false,
        ..form()
    });
    assert_eq!(upper.bytes, idn.bytes);
    // An A-label typed in ASCII reads back as its U-label.
    let typed_ascii = built(&BuildForm {
        name: "xn--mnchen-3ya.example.".to_owned(),
        ..form()
    });
    assert_eq!(typed_ascii.name_unicode, "münchen.example.");
    // ASCII is sent as typed, case included (RFC 4343 section 4.1), as dig does.
    let mixed = built(&BuildForm {
        name: "WWW.Example.COM".to_owned(),
        edns: false,
        ..form()
    });
    assert_eq!(
        mixed.bytes.get(12..29),
        Some(&b"\x03WWW\x07Example\x03COM\x00"[..])
    );
    assert_eq!(mixed.name_ascii, "WWW.Example.COM.");
    // Escapes: \. inside a label, \DDD in decimal.
    let escaped = built(&BuildForm {
        name: r"a\.b.\065bc".to_owned(),
        edns: false,
        ..form()
    });
    assert_eq!(escaped.bytes.get(12..21), Some(&b"\x03a.b\x03Abc\x00"[..]));
    // Written back as dig writes names: decimal escapes (hickory-proto's own writes octal).
    assert_eq!(escaped.name_ascii, r"a\.b.Abc.");
    let spaced = built(&BuildForm {
        name: r"two\032words.example".to_owned(),
        ..form()
    });
    assert_eq!(spaced.name_ascii, r"two\032words.example.");
    assert_eq!(spaced.name_unicode, r"two\032words.example.");
    // The root.
    let root = built(&BuildForm {
        name: ".".to_owned(),
        qtype: "NS".to_owned(),
        edns: false,
        ..form()
    });
    assert_eq!(root.bytes.get(12..17), Some(&[0, 0, 2, 0, 1][..]));
}

#[test]
fn the_view_is_what_decode_shows_for_the_same_bytes() {
    let query = built(&BuildForm {
        nsid: true,
        ..form()
    });
    assert_eq!(query.view.bytes, query.bytes);
    assert_eq!(
        (query.view.dns_offset, query.view.dns_length),
        (0, query.bytes.len())
    );
    assert_eq!(
        query.view.origin,
        format!("Built query: DNS, {} bytes", query.bytes.len())
    );
    let decoded = decode_for_page(query.copies.hex_stream.as_bytes(), &PageOptions::default())
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(decoded.selected.tree, query.view.tree);
    assert_eq!(decoded.selected.diagnostics, query.view.diagnostics);
    let top = query
        .view
        .tree
        .roots
        .first()
        .and_then(|id| query.view.tree.node(*id))
        .map(|node| node.text.clone());
    assert_eq!(top.as_deref(), Some("Domain Name System (query)"));
}

#[test]
fn copy_texts_links_and_command_lines() {
    let query = built(&form());
    let copies = &query.copies;
    let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(copies.base64url.as_bytes())
        .unwrap_or_default();
    assert_eq!(decoded, *query.bytes);
    assert!(!copies.base64url.contains(['=', '+', '/']));
    // RFC 8484 section 4.1: GET with the message base64url-encoded in the `dns` variable.
    assert_eq!(
        copies.doh_get_url,
        format!("https://dns.example/dns-query?dns={}", copies.base64url)
    );
    assert_eq!(
        copies.hex_stream,
        crate::input::write::hex_stream(&query.bytes)
    );
    assert!(copies
        .c_array
        .starts_with("unsigned char packet[] = {\n  0x12, 0x34,"));
    assert_eq!(
        copies.dig_command,
        "dig @SERVER www.example.com. -t A +qid=4660 +noadflag +nocookie"
    );
    assert_eq!(
        copies.dnslab_command,
        "dnslab query @SERVER www.example.com. A"
    );
    assert_eq!(copies.dnslab_command_omits, ["id"]);
    assert!(copies.dig_command_omits.is_empty());

    let everything = built(&BuildForm {
        name: "bücher.example".to_owned(),
        qtype: "TYPE65400".to_owned(),
        qclass: "CH".to_owned(),
        opcode: 2,
        rd: false,
        cd: true,
        ad: true,
        dnssec_ok: true,
        edns_version: 1,
        udp_payload: 4096,
        nsid: true,
        cookie: Some("0123456789abcdef".to_owned()),
        client_subnet: Some("2001:db8::1/48".to_owned()),
        padding_block: Some(128),
        ..form()
    });
    assert_eq!(
        everything.copies.dig_command,
        "dig @SERVER xn--bcher-kva.example. -t TYPE65400 -c CH +qid=4660 +opcode=2 +norec +cdflag +edns=1 +bufsize=4096 +dnssec +nsid +subnet=2001:db8::/48 +cookie=0123456789abcdef +padding=128"
    );
    assert_eq!(
        everything.copies.dnslab_command,
        "dnslab query @SERVER xn--bcher-kva.example. TYPE65400 CH +norec +cdflag +adflag +bufsize=4096 +dnssec +nsid"
    );
    assert_eq!(
        everything.copies.dnslab_command_omits,
        [
            "id",
            "opcode",
            "edns_version",
            "cookie",
            "client_subnet",
            "padding_block"
        ]
    );
    let no_edns = built(&BuildForm {
        edns: false,
        qtype: "ANY".to_owned(),
        ..form()
    });
    assert_eq!(
        no_edns.copies.dig_command,
        "dig @SERVER www.example.com. -t ANY +qid=4660 +noadflag +noedns +nocookie +notcp"
    );
    assert_eq!(
        no_edns.copies.dnslab_command,
        "dnslab query @SERVER www.example.com. ANY +noedns"
    );
    let ixfr = built(&BuildForm {
        qtype: "IXFR".to_owned(),
        ..form()
    });
    assert_eq!(ixfr.copies.dig_command_omits, ["type"]);
    // A name with characters a shell would read is quoted.
    let odd = built(&BuildForm {
        name: r"it\'s\032odd.example".to_owned(),
        ..form()
    });
    assert!(
        odd.copies
            .dig_command
            .starts_with(r"dig @SERVER 'it'\''s\032odd.example.' -t A"),
        "{}",
        odd.copies.dig_command
    );
}

#[test]
fn fragments_round_trip_every_parameter() {
    let through_the_page = |form: &BuildForm| {
        let fragment = build_fragment(form);
        match parse_fragment(&fragment) {
            Route::Build(value) => {
                parse_build_fragment(&value).unwrap_or_else(|error| panic!("{fragment}: {error}"))
            }
            other => panic!("{fragment}: {other:?}"),
        }
    };
    assert_eq!(
        build_fragment(&BuildForm::default()),
        "build=www.example.com/A"
    );
    assert_eq!(
        build_fragment(&BuildForm {
            cd: true,
            ..BuildForm::default()
        }),
        "build=www.example.com/A&cd=1"
    );
    let everything = BuildForm {
        name: "bücher.example".to_owned(),
        qtype: "aaaa".to_owned(),
        qclass: "CH".to_owned(),
        id: 65535,
        opcode: 4,
        rd: false,
        cd: true,
        ad: true,
        dnssec_ok: true,
        edns: false,
        edns_version: 1,
        udp_payload: 4096,
        nsid: true,
        cookie: None,
        client_subnet: Some("2001:db8::/56".to_owned()),
        padding_block: Some(128),
    };
    let fragment = build_fragment(&everything);
    assert_eq!(
        fragment,
        "build=b%C3%BCcher.example/aaaa&class=CH&opcode=4&rd=0&cd=1&ad=1&do=1&edns=0&edns_version=1&bufsize=4096&id=65535&nsid=1&ecs=2001:db8::/56&padding=128"
    );
    assert_eq!(through_the_page(&everything), everything);
    for changed in [
        BuildForm {
            rd: false,
            ..BuildForm::default()
        },
        BuildForm {
            name: "a b#c%d\\.example".to_owned(),
            qtype: "TYPE65400".to_owned(),
            ..BuildForm::default()
        },
        BuildForm {
            name: ".".to_owned(),
            qtype: "NS".to_owned(),
            id: 7,
            ..BuildForm::default()
        },
    ] {
        assert_eq!(through_the_page(&changed), changed);
    }
    // The cookie stays out of links.
    let with_cookie = BuildForm {
        cookie: Some("0123456789abcdef".to_owned()),
        ..BuildForm::default()
    };
    assert_eq!(build_fragment(&with_cookie), "build=www.example.com/A");
    // A `&` in the name travels as the escape \038, the same name.
    let ampersand = through_the_page(&BuildForm {
        name: "a&b.example".to_owned(),
        ..BuildForm::default()
    });
    assert_eq!(ampersand.name, r"a\038b.example");
    assert_eq!(built(&ampersand).bytes.get(12..16), Some(&b"\x03a&b"[..]));
}

#[test]
fn fragments_read_the_contract_and_refuse_junk() {
    let parsed = parse_build_fragment(
        "example.com/MX&rd=0&cd=1&ad=1&do=1&edns=0&bufsize=4096&id=4660&nsid=1",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(
        parsed,
        BuildForm {
            name: "example.com".to_owned(),
            qtype: "MX".to_owned(),
            rd: false,
            cd: true,
            ad: true,
            dnssec_ok: true,
            edns: false,
            udp_payload: 4096,
            id: 4660,
            nsid: true,
            ..BuildForm::default()
        }
    );
    assert_eq!(
        parse_build_fragment("example.com").map(|form| form.qtype),
        Ok("A".to_owned())
    );
    assert_eq!(
        parse_build_fragment("example.com/").map(|form| form.qtype),
        Ok("A".to_owned())
    );
    assert_eq!(parse_build_fragment(""), Ok(BuildForm::default()));
    assert_eq!(
        parse_build_fragment("x/A&id=0x1234").map(|form| form.id),
        Ok(0x1234)
    );
    assert_eq!(
        parse_build_fragment("x/A&opcode=NOTIFY").map(|form| form.opcode),
        Ok(4)
    );
    assert_eq!(
        parse_build_fragment("x/A&ecs=192.0.2.0/24").map(|form| form.client_subnet),
        Ok(Some("192.0.2.0/24".to_owned()))
    );
    assert_eq!(
        parse_build_fragment("x/A&frob=1"),
        Err("The link's build parameter “frob” is not known; it takes class, opcode, rd, cd, ad, do, edns, edns_version, bufsize, id, nsid, ecs, padding.".to_owned())
    );
    for (junk, says) in [
        ("x/A&rd=yes", "use rd=0 or rd=1"),
        ("x/A&rd", "has no value"),
        ("x/A&rd=1&rd=0", "twice"),
        ("x/A&bufsize=70000", "0 to 65535"),
        ("x/A&id=-1", "0 to 65535"),
        ("x/A&edns_version=256", "0 to 255"),
        ("x/A&opcode=16", "0 to 15"),
        ("x/A&padding=big", "0 to 65535"),
    ] {
        let error = parse_build_fragment(junk).err().unwrap_or_default();
        assert!(error.contains(says), "{junk}: {error}");
    }
}

#[test]
fn type_choices_list_every_named_type() {
    let choices = type_choices();
    assert_eq!(choices.len(), crate::iana::RECORD_TYPES.len());
    assert!(choices.contains(&TypeChoice {
        mnemonic: "AAAA",
        code: 28
    }));
    assert!(choices.contains(&TypeChoice {
        mnemonic: "CAA",
        code: 257
    }));
    // Every choice builds, and asks for its own number (RFC 1035 section 4.1.2's QTYPE).
    for choice in choices {
        let query = built(&BuildForm {
            qtype: choice.mnemonic.to_owned(),
            edns: false,
            ..form()
        });
        assert_eq!(
            query.bytes.get(29..31),
            Some(&choice.code.to_be_bytes()[..]),
            "{}",
            choice.mnemonic
        );
    }
}

#[test]
fn the_api_builds_from_json_with_id_zero_by_default() {
    let spec: ApiBuildSpec = serde_json::from_str(
        r#"{"name": "www.example.com", "type": "AAAA", "do": true,
            "options": {"nsid": true, "cookie": "0123456789abcdef", "subnet": "192.0.2.0/24", "padding": 128}}"#,
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let api = build_for_api(&spec).unwrap_or_else(|error| panic!("{error}"));
    let form_built = built(&BuildForm {
        qtype: "AAAA".to_owned(),
        dnssec_ok: true,
        nsid: true,
        cookie: Some("0123456789abcdef".to_owned()),
        client_subnet: Some("192.0.2.0/24".to_owned()),
        padding_block: Some(128),
        id: 0,
        ..BuildForm::default()
    });
    assert_eq!(api.hex, form_built.copies.hex_stream);
    assert_eq!(api.hex.len(), 2 * 128);
    // RFC 8427 members.
    assert_eq!(api.message["ID"], 0);
    assert_eq!(api.message["QNAME"], "www.example.com.");
    assert_eq!(api.message["QTYPE"], 28);
    assert_eq!(api.message["RD"], 1);
    let expected = decode_for_api(api.hex.as_bytes())
        .ok()
        .and_then(|decoded| decoded.messages.into_iter().next());
    assert_eq!(Some(api.message), expected);

    let minimal: ApiBuildSpec =
        serde_json::from_str(r#"{"name": "example.com", "rd": false, "id": 7, "edns": false}"#)
            .unwrap_or_default();
    let api = build_for_api(&minimal).unwrap_or_else(|error| panic!("{error}"));
    assert!(
        api.hex.starts_with("000700000001000000000000"),
        "{}",
        api.hex
    );
    assert!(serde_json::from_str::<ApiBuildSpec>(r#"{"name": "x", "frob": 1}"#).is_err());
    assert!(
        serde_json::from_str::<ApiBuildSpec>(r#"{"name": "x", "options": {"frob": 1}}"#).is_err()
    );
    let bad = ApiBuildSpec {
        name: "a..b".to_owned(),
        qtype: Some("FOO".to_owned()),
        ..ApiBuildSpec::default()
    };
    assert_eq!(
        build_for_api(&bad),
        Err("name: The name has an empty label (two dots in a row). type: “FOO” is not a record type; use a mnemonic such as AAAA or TYPE65400.".to_owned())
    );
}

fn query_for(name: &str, qtype: &str) -> Vec<u8> {
    built(&BuildForm {
        name: name.to_owned(),
        qtype: qtype.to_owned(),
        ..form()
    })
    .bytes
    .to_vec()
}

fn server_index(world: &World, name: &str) -> usize {
    world
        .servers()
        .iter()
        .position(|server| server.name.to_ascii() == name)
        .unwrap_or_else(|| panic!("no server {name}"))
}

fn meaning(world: &World, server: &str, query: &[u8]) -> AnswerMeaning {
    answer_builtin(world, server_index(world, server), query)
        .unwrap_or_else(|error| panic!("{server}: {error}"))
        .meaning
}

#[test]
fn server_choices_put_the_root_first_then_tlds_then_the_rest() {
    let world = World::builtin();
    let choices = server_choices(&world);
    assert_eq!(choices.len(), world.servers().len());
    let names: Vec<&str> = choices.iter().map(|choice| choice.name.as_str()).collect();
    let roots: Vec<String> = "abcdefghijklm"
        .chars()
        .map(|letter| format!("{letter}.root-servers.net."))
        .collect();
    assert_eq!(
        names.get(..13),
        Some(&roots.iter().map(String::as_str).collect::<Vec<_>>()[..])
    );
    assert_eq!(
        names.get(13..19),
        Some(
            &[
                "a.gtld-servers.net.",
                "b.gtld-servers.net.",
                "a0.nic.org.",
                "b0.nic.org.",
                "a.nic.test.",
                "b.nic.test."
            ][..]
        )
    );
    // ns2.lame.test. holds a copy of the root zone, but the root does not list it.
    let lame = names.iter().position(|name| *name == "ns2.lame.test.");
    assert!(lame.is_some_and(|position| position >= 19));
    for choice in &choices {
        let server = world.servers().get(choice.index);
        assert_eq!(
            server.map(|server| server.name.to_ascii()).as_ref(),
            Some(&choice.name)
        );
    }
    let a_root = choices.first();
    assert_eq!(
        a_root.map(|choice| choice.address.as_str()),
        Some("198.41.0.4")
    );
    assert_eq!(
        a_root.map(|choice| choice.zones.clone()),
        Some(vec![".".to_owned(), "root-servers.net.".to_owned()])
    );
}

#[test]
fn default_servers_serve_the_closest_enclosing_zone() {
    let world = World::builtin();
    let name_of = |name: &str| {
        default_server(&world, name)
            .and_then(|index| world.servers().get(index))
            .map(|server| server.name.to_ascii())
    };
    assert_eq!(
        name_of("www.example.com").as_deref(),
        Some("ns1.example.com.")
    );
    assert_eq!(
        name_of("WWW.SUB.example.com.").as_deref(),
        Some("ns.sub.example.com.")
    );
    assert_eq!(name_of("com").as_deref(), Some("a.gtld-servers.net."));
    // ns1.broken.test. answers SERVFAIL to everything: the working server is preferred.
    assert_eq!(
        name_of("www.broken.test").as_deref(),
        Some("ns2.broken.test.")
    );
    // dead.test. has no zone of its own here: test.'s servers refer to it.
    assert_eq!(name_of("www.dead.test").as_deref(), Some("a.nic.test."));
    assert_eq!(
        name_of("bücher.invalid").as_deref(),
        Some("a.root-servers.net.")
    );
    assert_eq!(name_of("a..b"), None);
}

#[test]
fn answers_say_what_they_mean() {
    let world = World::builtin();
    let answer = answer_builtin(
        &world,
        server_index(&world, "ns1.example.com."),
        &query_for("www.example.com", "A"),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(answer.server, "ns1.example.com.");
    assert_eq!(answer.meaning.kind, "answer");
    // www.example.com. is a CNAME to the apex, which has one A record (the zone file).
    assert_eq!(
        answer.meaning.headline,
        "Authoritative answer: 1 record, reached through 1 CNAME."
    );
    assert_eq!(
        answer.meaning.flags,
        [
            "QR: the message is a response.",
            "AA: the server is authoritative for the name.",
            "RD: copied from the query, which asked for recursion."
        ]
    );
    assert_eq!(answer.view.bytes, answer.bytes);
    assert!(answer
        .view
        .origin
        .starts_with("Answer from ns1.example.com. (192.0.2.53) over UDP: DNS, "));

    let mx = meaning(&world, "ns1.example.com.", &query_for("example.com", "MX"));
    assert_eq!(
        (mx.kind, mx.headline.as_str()),
        ("answer", "Authoritative answer: 2 records.")
    );
    // The root zone delegates com. to two servers, both with glue.
    let referral = meaning(
        &world,
        "a.root-servers.net.",
        &query_for("www.example.com", "A"),
    );
    assert_eq!(
        (referral.kind, referral.headline.as_str()),
        (
            "referral",
            "Referral to com.: ask a.gtld-servers.net. and 1 other (glue given for 2)."
        )
    );
    assert!(!referral.flags.iter().any(|flag| flag.starts_with("AA")));
    // example.com.'s SOA: TTL 3600, MINIMUM 300, so 300 s (RFC 2308 section 5).
    let nxdomain = meaning(
        &world,
        "ns1.example.com.",
        &query_for("nope.example.com", "A"),
    );
    assert_eq!(
        (nxdomain.kind, nxdomain.headline.as_str()),
        (
            "nxdomain",
            "NXDOMAIN: no such name; the SOA of example.com. says to cache this for 300 s."
        )
    );
    let nodata = meaning(
        &world,
        "ns1.example.com.",
        &query_for("sip.example.com", "AAAA"),
    );
    assert_eq!(
        (nodata.kind, nodata.headline.as_str()),
        (
            "nodata",
            "NODATA: sip.example.com. exists but has no AAAA records; the SOA of example.com. says to cache this for 300 s."
        )
    );
    let cname = meaning(
        &world,
        "ns1.example.com.",
        &query_for("ext.example.com", "A"),
    );
    assert_eq!(cname.kind, "cname");
    assert!(
        cname.headline.contains("is an alias of www.example.org."),
        "{}",
        cname.headline
    );
    let refused = meaning(&world, "ns1.example.com.", &query_for("nope.invalid", "A"));
    assert_eq!(
        (refused.kind, refused.headline.as_str()),
        (
            "refused",
            "REFUSED: this server has no zone for nope.invalid."
        )
    );
    let chaos = meaning(
        &world,
        "ns1.example.com.",
        &built(&BuildForm {
            name: "version.bind".to_owned(),
            qtype: "TXT".to_owned(),
            qclass: "CH".to_owned(),
            ..form()
        })
        .bytes,
    );
    assert_eq!(
        (chaos.kind, chaos.headline.as_str()),
        (
            "refused",
            "REFUSED: this server serves class IN only, not CH."
        )
    );
    let servfail = meaning(
        &world,
        "ns1.broken.test.",
        &query_for("www.broken.test", "A"),
    );
    assert_eq!(servfail.kind, "servfail");
    let truncated = meaning(
        &world,
        "ns1.demo.test.",
        &query_for("long.demo.test", "TXT"),
    );
    assert_eq!(truncated.kind, "other");
    assert!(truncated.headline.starts_with("Truncated (TC=1)"));
    assert!(truncated.flags.iter().any(|flag| flag.starts_with("TC: ")));
    let notify = built(&BuildForm {
        opcode: 4,
        ..form()
    });
    let notimp = meaning(&world, "ns1.example.com.", &notify.bytes);
    assert_eq!(notimp.kind, "other");
    assert!(notimp.headline.starts_with("NOTIMP"), "{}", notimp.headline);
    let version_one = built(&BuildForm {
        edns_version: 1,
        ..form()
    });
    let badvers = meaning(&world, "ns1.example.com.", &version_one.bytes);
    assert!(
        badvers.headline.starts_with("BADVERS"),
        "{}",
        badvers.headline
    );
    let dnssec = built(&BuildForm {
        dnssec_ok: true,
        ..form()
    });
    let with_do = meaning(&world, "ns1.example.com.", &dnssec.bytes);
    assert!(with_do.flags.iter().any(|flag| flag.starts_with("DO: ")));
}

#[test]
fn silence_is_an_error_in_plain_words() {
    let world = World::builtin();
    let index = server_index(&world, "ns1.example.com.");
    let mut response = query_for("www.example.com", "A");
    if let Some(flags) = response.get_mut(2) {
        *flags |= 0x80;
    }
    let error = answer_builtin(&world, index, &response)
        .err()
        .unwrap_or_default();
    assert!(error.contains("QR=1"), "{error}");
    let error = answer_builtin(&world, index, &[0x12, 0x34])
        .err()
        .unwrap_or_default();
    assert!(error.contains("shorter than a DNS header"), "{error}");
    let error = answer_builtin(&world, 10_000, &response)
        .err()
        .unwrap_or_default();
    assert_eq!(error, "There is no built-in server number 10000.");
    assert_eq!(answer_like_serve(&world, &[0x12, 0x34]), None);
}

#[test]
fn serve_answers_equal_the_default_servers_answers() {
    let world = World::builtin();
    for (name, qtype) in [
        ("www.example.com", "A"),
        ("nope.example.com", "A"),
        ("example.com", "MX"),
        ("www.sub.example.com", "A"),
        ("x.wild.demo.test", "A"),
        ("www.dead.test", "A"),
        ("org", "SOA"),
    ] {
        let query = query_for(name, qtype);
        let served = answer_like_serve(&world, &query);
        let index = default_server(&world, name);
        let from_default = index
            .and_then(|index| answer_builtin(&world, index, &query).ok())
            .map(|answer| answer.bytes.to_vec());
        assert!(served.is_some(), "{name} {qtype}");
        assert_eq!(served, from_default, "{name} {qtype}");
    }
}

/// A response as a recursive resolver sends it: RA set, AA clear (RFC 1035 section 4.1.1).
fn resolver_response(
    rcode: hickory_proto::op::ResponseCode,
    answers: Vec<hickory_proto::rr::Record>,
    authorities: Vec<hickory_proto::rr::Record>,
) -> Vec<u8> {
    use hickory_proto::op::{Message, MessageType, OpCode, Query};
    use hickory_proto::rr::{Name, RecordType};
    let mut message = Message::new(0x4242, MessageType::Response, OpCode::Query);
    message.metadata.recursion_desired = true;
    message.metadata.recursion_available = true;
    message.metadata.response_code = rcode;
    let name = Name::from_ascii("www.example.com.").unwrap_or_else(|_| Name::root());
    message.add_query(Query::query(name, RecordType::A));
    for record in answers {
        message.add_answer(record);
    }
    for record in authorities {
        message.add_authority(record);
    }
    message.to_vec().unwrap_or_default()
}

#[test]
fn responses_through_the_bridge_are_described_without_their_query() {
    use hickory_proto::op::ResponseCode;
    use hickory_proto::rr::rdata::{A, CNAME, SOA};
    use hickory_proto::rr::{Name, RData, Record};
    let name = |text: &str| Name::from_ascii(text).unwrap_or_else(|_| Name::root());
    let world = World::builtin();

    // The built-in servers' answers read the same way without the query.
    for (server, qname, qtype) in [
        ("ns1.example.com.", "www.example.com", "A"),
        ("ns1.example.com.", "nope.example.com", "A"),
        ("ns1.example.com.", "sip.example.com", "AAAA"),
        ("a.root-servers.net.", "www.example.com", "A"),
        ("ns1.example.com.", "nope.invalid", "A"),
        ("ns1.broken.test.", "www.broken.test", "A"),
    ] {
        let answer = answer_builtin(
            &world,
            server_index(&world, server),
            &query_for(qname, qtype),
        )
        .unwrap_or_else(|error| panic!("{error}"));
        let query = query_for(qname, qtype);
        assert_eq!(
            describe_response(&query, &answer.bytes),
            answer.meaning,
            "{server} {qname}"
        );
        assert_eq!(
            describe_response(&[], &answer.bytes),
            answer.meaning,
            "{server} {qname} without the query"
        );
    }

    // A resolver's answer: AA clear, after a CNAME.
    let answers = vec![
        Record::from_rdata(
            name("www.example.com."),
            300,
            RData::CNAME(CNAME(name("example.com."))),
        ),
        Record::from_rdata(name("example.com."), 300, RData::A(A::new(192, 0, 2, 1))),
        Record::from_rdata(name("example.com."), 300, RData::A(A::new(192, 0, 2, 2))),
    ];
    let meaning = describe_response(
        &[],
        &resolver_response(ResponseCode::NoError, answers, vec![]),
    );
    assert_eq!(meaning.kind, "answer");
    assert_eq!(
        meaning.headline,
        "Answer: 2 records, reached through 1 CNAME; not authoritative (AA=0): a resolver's answer, from its cache or its own queries."
    );
    assert!(meaning.flags.iter().any(|flag| flag.starts_with("RA: ")));
    assert!(!meaning.flags.iter().any(|flag| flag.starts_with("AA: ")));

    // A resolver's NODATA and NXDOMAIN: the SOA's TTL 60 is below its MINIMUM 300.
    let soa = Record::from_rdata(
        name("example.com."),
        60,
        RData::SOA(SOA::new(
            name("ns1.example.com."),
            name("hostmaster.example.com."),
            1,
            7200,
            3600,
            1_209_600,
            300,
        )),
    );
    let nodata = describe_response(
        &[],
        &resolver_response(ResponseCode::NoError, vec![], vec![soa.clone()]),
    );
    assert_eq!(
        (nodata.kind, nodata.headline.as_str()),
        (
            "nodata",
            "NODATA: www.example.com. exists but has no A records; the SOA of example.com. says to cache this for 60 s."
        )
    );
    let nxdomain = describe_response(
        &[],
        &resolver_response(ResponseCode::NXDomain, vec![], vec![soa]),
    );
    assert_eq!(
        (nxdomain.kind, nxdomain.headline.as_str()),
        (
            "nxdomain",
            "NXDOMAIN: no such name; the SOA of example.com. says to cache this for 60 s."
        )
    );
    let refused = describe_response(
        &[],
        &resolver_response(ResponseCode::Refused, vec![], vec![]),
    );
    assert_eq!(refused.kind, "refused");
    let garbage = describe_response(&[], &[0x12, 0x34, 0x81]);
    assert_eq!(garbage.kind, "other");
    assert!(garbage.headline.starts_with("The response does not decode"));
    // Another ID than the query's: not the answer to it.
    let mut other_query = query_for("www.example.com", "A");
    if let Some(id) = other_query.get_mut(..2) {
        id.copy_from_slice(&[0x99, 0x99]);
    }
    let mismatch = describe_response(
        &other_query,
        &resolver_response(ResponseCode::Refused, vec![], vec![]),
    );
    assert_eq!(mismatch.kind, "other");
    assert!(
        mismatch.headline.contains("does not match the query's ID"),
        "{}",
        mismatch.headline
    );
}

#[test]
fn query_with_id_equals_the_query_built_with_that_id() {
    let mut form = BuildForm {
        name: "bücher.example".to_owned(),
        qtype: "TXT".to_owned(),
        dnssec_ok: true,
        nsid: true,
        ..BuildForm::default()
    };
    form.id = 0x1111;
    let first = build_query(&form).expect("the form is valid");
    for id in [0x0000, 0xbeef, 0xffff] {
        form.id = id;
        let rebuilt = build_query(&form).expect("the form is valid");
        assert_eq!(
            query_with_id(&first.bytes, id).as_deref(),
            Some(rebuilt.bytes.as_slice())
        );
    }
    assert_eq!(query_with_id(&first.bytes[..11], 7), None);
}
