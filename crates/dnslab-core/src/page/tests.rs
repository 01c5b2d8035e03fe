//! Tests of the page façade on a real frame (Knot answering `www.example.com A`, captured on
//! loopback with Ethernet framing) and on malformed bytes.

use super::*;

const TCPDUMP_XX: &str =
    include_str!("../../tests/data/captures/paste-example-com/f002.tcpdump-xx.txt");
const HEX_STREAM: &str =
    include_str!("../../tests/data/captures/paste-example-com/f002.ws-hexstream.txt");

fn decode(text: &str) -> PageDecode {
    decode_for_page(text.as_bytes(), &PageOptions::default()).expect("a DNS message")
}

fn texts(tree: &FieldTree) -> Vec<&str> {
    tree.nodes.iter().map(|node| node.text.as_str()).collect()
}

#[test]
fn a_frame_shows_its_layers_then_dns_with_frame_offsets() {
    let page = decode(TCPDUMP_XX);
    let view = &page.selected;
    assert_eq!(view.bytes.len(), 116);
    assert_eq!(view.dns_offset, 42);
    let roots: Vec<&str> = view
        .tree
        .roots
        .iter()
        .filter_map(|id| view.tree.node(*id))
        .map(|node| node.text.as_str())
        .collect();
    assert_eq!(
        roots,
        [
            "Ethernet II",
            "Internet Protocol Version 4, Src: 127.0.0.1, Dst: 127.0.0.1",
            "User Datagram Protocol, Src Port: 53, Dst Port: 40428",
            "Domain Name System (response)",
        ]
    );
    let id = view
        .tree
        .nodes
        .iter()
        .find(|node| node.text == "Transaction ID: 0x3a09")
        .expect("the ID node");
    assert_eq!(id.span, Span::new(42, 2));
    let udp_source = view
        .tree
        .nodes
        .iter()
        .find(|node| node.key == "layer.udp.source_port")
        .expect("UDP source port");
    assert_eq!(udp_source.span, Span::new(34, 2));
    assert_eq!(view.bytes.get(34..36), Some(&[0x00, 0x35][..]));
    assert!(
        page.selected.origin.starts_with("tcpdump -xx"),
        "{}",
        page.selected.origin
    );
    assert!(
        page.selected.origin.ends_with("→ DNS, 74 bytes"),
        "{}",
        page.selected.origin
    );
}

#[test]
fn the_same_message_has_the_same_dns_tree_in_any_format() {
    let frame = decode(TCPDUMP_XX);
    let bare = decode(HEX_STREAM);
    let dns_texts = |view: &MessageView| -> Vec<(String, Span)> {
        view.tree
            .nodes
            .iter()
            .filter(|node| node.span.offset >= view.dns_offset && !node.key.starts_with("layer"))
            .map(|node| {
                (
                    node.text.clone(),
                    Span::new(node.span.offset - view.dns_offset, node.span.length),
                )
            })
            .collect()
    };
    assert_eq!(dns_texts(&frame.selected), dns_texts(&bare.selected));
    assert!(texts(&bare.selected.tree).contains(&"Name: www.example.com."));
}

#[test]
fn a_pointer_leads_to_the_label_it_names() {
    let page = decode(HEX_STREAM);
    let tree = &page.selected.tree;
    let pointer = tree
        .nodes
        .iter()
        .find(|node| node.text.starts_with("Compression pointer: offset 33"))
        .expect("the answer's owner pointer");
    assert!(
        pointer
            .text
            .ends_with("continues at offset 12: www.example.com."),
        "{}",
        pointer.text
    );
    let target = pointer
        .points_to
        .and_then(|id| tree.node(id))
        .expect("a target");
    assert_eq!(target.span.offset, 12);
    assert_eq!(target.text, "Label: www (3 bytes)");
    // The CNAME's target `c0 10` lands on `example`, inside the question name.
    let cname_pointer = tree
        .nodes
        .iter()
        .find(|node| node.text.starts_with("Compression pointer: offset 45"))
        .expect("the CNAME's pointer");
    let target = cname_pointer
        .points_to
        .and_then(|id| tree.node(id))
        .expect("a target");
    assert_eq!(target.span.offset, 16);
    assert!(
        cname_pointer.text.ends_with(": example.com."),
        "{}",
        cname_pointer.text
    );
}

#[test]
fn a_byte_selects_its_innermost_node_and_a_flag_byte_the_flags() {
    let page = decode(HEX_STREAM);
    let tree = &page.selected.tree;
    let at = |offset| {
        tree.innermost_at(offset)
            .and_then(|id| tree.node(id))
            .expect("a node")
    };
    assert_eq!(at(0).text, "Transaction ID: 0x3a09");
    assert_eq!(
        at(2).text,
        "Flags: 0x8500 Standard query response, No error"
    );
    assert_eq!(at(13).text, "Label: www (3 bytes)");
    assert_eq!(at(13).key, "question.name.label");
    // `example` is also shown under the answers' names, read through pointers; its bytes are
    // the question's.
    assert_eq!(at(17).key, "question.name.label");
    // A pointer that is all of a name is deeper than the name and the RDATA around it.
    assert!(
        at(46).text.starts_with("Compression pointer"),
        "{}",
        at(46).text
    );
    assert_eq!(tree.innermost_at(10_000), None);
    let chain = tree.ancestors(tree.innermost_at(13).expect("a node"));
    let top = chain.last().and_then(|id| tree.node(*id)).expect("a root");
    assert_eq!(top.text, "Domain Name System (response)");
}

#[test]
fn visible_order_follows_expansion() {
    let page = decode(HEX_STREAM);
    let tree = &page.selected.tree;
    assert_eq!(tree.visible(|_| false), tree.roots);
    assert_eq!(tree.visible(|_| true).len(), tree.nodes.len());
}

#[test]
fn a_message_cut_short_names_the_byte_where_it_ends() {
    let cut = &HEX_STREAM.trim()[..2 * 50];
    let page = decode(cut);
    let error = page
        .selected
        .diagnostics
        .iter()
        .find(|diagnostic| diagnostic.severity == "error")
        .expect("an error");
    assert!(
        error.span.offset <= 50 && error.span.offset >= 43,
        "{error:?}"
    );
    let info = page.messages.info(0);
    assert!(info.ends_with("[Malformed Packet]"), "{info}");
}

#[test]
fn info_lines_read_like_wiresharks() {
    let page = decode(HEX_STREAM);
    assert_eq!(
        page.messages.info(0),
        "Standard query response 0x3a09 A www.example.com CNAME example.com A 93.184.215.14 OPT"
    );
}

/// A response to `www.example.com`/`qtype` with one answer: `rtype`, class IN, `rdata`; the
/// header's RCODE bits `rcode`.
fn response_with(qtype: u16, rcode: u8, rtype: u16, rdata: &[u8]) -> Vec<u8> {
    let mut message = vec![0x12, 0x34, 0x81, 0x80 | rcode, 0, 1, 0, 1, 0, 0, 0, 0];
    message.extend_from_slice(b"\x03www\x07example\x03com\x00");
    message.extend_from_slice(&qtype.to_be_bytes());
    message.extend_from_slice(&[0, 1, 0xc0, 12]);
    message.extend_from_slice(&rtype.to_be_bytes());
    message.extend_from_slice(&[0, 1, 0, 0, 0x0e, 0x10]);
    message.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
    message.extend_from_slice(rdata);
    message
}

fn info_of(message: &[u8]) -> String {
    info_line(&dissect(message))
}

/// Each expected line is what tshark 4.0.17 wrote for the same message (in a pcap made of them).
#[test]
fn info_lines_follow_wiresharks_rules_for_each_kind_of_record() {
    let prefix = "Standard query response 0x1234";
    // Unknown types are named as Wireshark names them, and add no data.
    assert_eq!(
        info_of(&response_with(65280, 0, 65280, &[1, 2])),
        format!("{prefix} Unknown (65280) www.example.com Unknown (65280)")
    );
    // The header's RCODE words, for responses only.
    assert_eq!(
        info_of(&response_with(1, 3, 1, &[192, 0, 2, 1])),
        format!("{prefix} No such name A www.example.com A 192.0.2.1")
    );
    let mut query = response_with(1, 3, 1, &[192, 0, 2, 1]);
    query[2] &= 0x7f;
    assert!(info_of(&query).starts_with("Standard query 0x1234 A www.example.com A"));
    // MX: preference and exchange; TXT and CAA: the type alone; an empty record: the type alone.
    let mx = [&[0, 10][..], b"\x04mail\xc0\x10"].concat();
    assert_eq!(
        info_of(&response_with(15, 0, 15, &mx)),
        format!("{prefix} MX www.example.com MX 10 mail.example.com")
    );
    assert_eq!(
        info_of(&response_with(16, 0, 16, b"\x05hello")),
        format!("{prefix} TXT www.example.com TXT")
    );
    // NULL would show the owner name (below), but not when it has no data.
    assert_eq!(
        info_of(&response_with(10, 0, 10, &[])),
        format!("{prefix} NULL www.example.com NULL")
    );
    // HINFO: CPU and OS without their quotes; NAPTR: order, preference and flags.
    assert_eq!(
        info_of(&response_with(13, 0, 13, b"\x05Intel\x05Linux")),
        format!("{prefix} HINFO www.example.com HINFO Intel Linux")
    );
    let naptr = [&[0, 100, 0, 10][..], b"\x01S\x07SIP+D2U\x00\x00"].concat();
    assert_eq!(
        info_of(&response_with(35, 0, 35, &naptr)),
        format!("{prefix} NAPTR www.example.com NAPTR 100 10 S")
    );
    // TLSA: Wireshark writes the record's owner name.
    assert_eq!(
        info_of(&response_with(52, 0, 52, &[3, 1, 1, 0xab])),
        format!("{prefix} TLSA www.example.com TLSA www.example.com")
    );
    // Names: the root as <Root>, a control byte in octal, a dot inside a label as it is.
    let mut odd = vec![0x12, 0x34, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0];
    odd.extend_from_slice(b"\x03a\x01.\x00\x00\x01\x00\x01");
    assert_eq!(info_of(&odd), format!("{prefix} A a\\001."));
    // A label ending in a backslash: its final dot is still dropped.
    let mut backslash = vec![0x12, 0x34, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0];
    backslash.extend_from_slice(b"\x02a\\\x00\x00\x01\x00\x01");
    assert_eq!(info_of(&backslash), format!("{prefix} A a\\"));
    let mut root = vec![0x12, 0x34, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0];
    root.extend_from_slice(&[0, 0, 2, 0, 1]);
    assert_eq!(info_of(&root), format!("{prefix} NS <Root>"));
}

#[test]
fn the_api_returns_one_object_per_message_with_its_input() {
    let api = decode_for_api(TCPDUMP_XX.as_bytes()).expect("a DNS message");
    assert_eq!(api.format, "tcpdump -xx");
    assert_eq!(api.layers, ["Ethernet", "IPv4", "UDP 53 → 40428"]);
    assert_eq!(api.messages.len(), 1);
    assert_eq!(api.messages[0]["ID"], 0x3a09);
    assert_eq!(api.messages[0]["input"]["offset"], 42);
    assert!(decode_for_api(b"not a packet").is_err());
}

#[test]
fn junk_and_bytes_without_a_header_never_panic() {
    for input in [&b""[..], b"00", b"ffff", b"\xc0\x0c", &[0xffu8; 40]] {
        if let Ok(page) = decode_for_page(input, &PageOptions::default()) {
            for node in &page.selected.tree.nodes {
                assert!(node.span.end() <= page.selected.bytes.len().max(node.span.end()));
            }
        }
    }
}

#[test]
fn fragments_open_the_tabs_and_base64url_becomes_hex() {
    assert_eq!(
        parse_fragment("#decode=3a09"),
        Route::Decode("3a09".to_owned())
    );
    assert_eq!(
        parse_fragment("decode=b64:OgmFAA"),
        Route::Decode("3a098500".to_owned())
    );
    assert_eq!(parse_fragment(""), Route::Decode(String::new()));
    assert_eq!(
        parse_fragment("resolve=alias.example.com/AAAA"),
        Route::Resolve("alias.example.com/AAAA".to_owned())
    );
    assert!(matches!(
        parse_fragment("decode=b64:***"),
        Route::Unknown(_)
    ));
    assert!(matches!(parse_fragment("nonsense"), Route::Unknown(_)));
    assert_eq!(
        parse_fragment("decode=3a%2009"),
        Route::Decode("3a 09".to_owned())
    );
    assert_eq!(decode_fragment(&[0x3a, 0x09]), "decode=3a09");
}

#[test]
fn copy_texts_round_trip_through_the_extractor() {
    let bytes = decode(HEX_STREAM).selected.bytes;
    let copies = copy_texts(&bytes);
    for text in [&copies.hex_stream, &copies.c_array, &copies.base64] {
        let page = decode(text);
        assert_eq!(page.selected.bytes, bytes, "{text}");
    }
}

const CAPTURE: &[u8] = include_bytes!("../../tests/data/captures/example-com-ethernet.pcapng");

#[test]
fn a_capture_lists_its_packets_with_queries_paired_to_responses() {
    let page = decode_for_page(CAPTURE, &PageOptions::default()).expect("DNS in the capture");
    assert!(page.is_capture);
    let rows = page.messages.rows();
    assert!(rows.len() >= 2);
    let (query, response) = (&rows[0], &rows[1]);
    assert_eq!(query.frame, Some(1));
    assert!(!query.is_response && response.is_response);
    assert_eq!(response.pair, Some(0));
    assert_eq!(query.pair, Some(1));
    assert_eq!(query.time().as_deref(), Some("0.000000"));
    assert!(response
        .response_time()
        .is_some_and(|time| time.ends_with(" s")));
    assert_eq!(query.source(), "127.0.0.1");
    assert_eq!(query.protocol, "DNS");
    let info = page.messages.info(query.index);
    assert!(info.starts_with("Standard query 0x"), "{info}");
    // Info is read from the message itself: it names the question the row holds.
    let (name, qtype) = query.question.clone().expect("a question");
    assert!(info.contains(&format!(" {qtype} {name}")), "{info}");
    // Every response in this capture found its query.
    for row in rows
        .iter()
        .filter(|row| row.is_response && row.id.is_some())
    {
        assert!(
            row.pair.is_some(),
            "frame {:?} unpaired: {}",
            row.frame,
            page.messages.info(row.index)
        );
    }
}

#[test]
fn the_filter_matches_names_types_rcodes_ids_and_direction() {
    let page = decode_for_page(CAPTURE, &PageOptions::default()).expect("DNS in the capture");
    let rows = page.messages.rows();
    let count = |filter: &str| rows.iter().filter(|row| row.matches(filter)).count();
    assert_eq!(count(""), rows.len());
    assert_eq!(count("query") + count("response"), rows.len());
    assert!(count("nxdomain") >= 1);
    assert!(count("aaaa") >= 2);
    assert_eq!(count("no-such-name-anywhere.invalid"), 0);
    let first_id = rows[0].id.expect("an ID");
    assert!(count(&format!("id=0x{first_id:04x}")) >= 2);
    assert!(count(&format!("id=0x{first_id:04x} response")) >= 1);
    assert!(count("example") > 0);
}

#[test]
fn the_text_views_are_the_clis() {
    let page = decode(TCPDUMP_XX);
    assert!(
        page.selected_dig().contains(";; ANSWER SECTION:"),
        "{}",
        page.selected_dig()
    );
    let json: serde_json::Value = serde_json::from_str(&page.selected_json()).expect("JSON");
    let api = decode_for_api(TCPDUMP_XX.as_bytes()).expect("a DNS message");
    assert_eq!(json, api.messages[0]);
}

#[test]
fn the_selected_node_is_explained_with_its_field_and_its_value() {
    let page = decode(HEX_STREAM);
    let view = &page.selected;
    let node_with = |key: &str| {
        view.tree
            .nodes
            .iter()
            .find(|node| node.key == key)
            .map(|node| node.id)
            .unwrap_or_else(|| panic!("a node {key}"))
    };
    // A record's type: the field, then the type it holds (this response answers A).
    let titles = |id| {
        explain_node(view, id)
            .into_iter()
            .map(|explanation| explanation.title)
            .collect::<Vec<_>>()
    };
    let question_type = titles(node_with("question.type"));
    assert_eq!(question_type.len(), 2, "{question_type:?}");
    assert_eq!(
        Some(question_type[1]),
        crate::learn::explain_type(1).map(|entry| entry.title)
    );
    // The response code: NOERROR's own entry.
    let rcode = titles(node_with("header.flags.rcode"));
    assert_eq!(
        rcode.last().copied(),
        crate::learn::explain_rcode(0).map(|entry| entry.title)
    );
    // Every explanation of the ID links to RFC 1035's header section.
    let id = explain_node(view, node_with("header.id"));
    assert_eq!(id.len(), 1);
    assert_eq!(id[0].reference.as_deref(), Some("RFC 1035 §4.1.1"));
    assert_eq!(
        id[0].link.as_deref(),
        Some("https://www.rfc-editor.org/rfc/rfc1035#section-4.1.1")
    );
    // A node id that is not in the tree explains nothing.
    assert!(explain_node(view, usize::MAX).is_empty());
}

#[test]
fn a_diagnostic_of_a_cut_message_is_explained() {
    // The CNAME response cut short in its second answer record.
    let cut = &HEX_STREAM.trim()[..HEX_STREAM.trim().len() - 40];
    let page = decode(cut);
    let explanations: Vec<Explanation> = page
        .selected
        .diagnostics
        .iter()
        .filter_map(|diagnostic| explain_diagnostic(&diagnostic.message))
        .collect();
    assert!(!page.selected.diagnostics.is_empty());
    assert_eq!(explanations.len(), page.selected.diagnostics.len());
    assert!(explain_diagnostic("words no finding uses").is_none());
}

#[test]
fn format_seconds_rounds_to_microseconds_like_wireshark() {
    assert_eq!(format_seconds(0), "0.000000");
    assert_eq!(format_seconds(1_499), "0.000001");
    assert_eq!(format_seconds(1_500), "0.000002");
    assert_eq!(format_seconds(-1_500), "-0.000002");
    assert_eq!(format_seconds(3_600_000_000_000), "3600.000000");
    // Beyond 64 bits (no capture spans that long, but nothing may panic or wrap).
    let huge = i128::from(u64::MAX) * 10;
    assert_eq!(format_seconds(huge), "184467440737.095516");
}

/// A one-question message (no records) for `name`/A with transaction `id`.
fn question_message(id: u16, response: bool, name: &str) -> Vec<u8> {
    let flags: u16 = if response { 0x8180 } else { 0x0100 };
    let mut bytes = [
        id.to_be_bytes(),
        flags.to_be_bytes(),
        [0, 1],
        [0, 0],
        [0, 0],
        [0, 0],
    ]
    .concat();
    for label in name.split('.').filter(|label| !label.is_empty()) {
        bytes.push(u8::try_from(label.len()).expect("a short label"));
        bytes.extend_from_slice(label.as_bytes());
    }
    bytes.extend_from_slice(&[0, 0, 1, 0, 1]);
    bytes
}

#[test]
fn responses_pair_with_the_query_of_their_question_when_ids_repeat() {
    let packets = [
        question_message(7, false, "a.test"),
        question_message(7, false, "b.test"),
        question_message(7, true, "b.test"),
        question_message(7, true, "a.test"),
        question_message(7, true, "c.test"),
    ];
    let slices: Vec<&[u8]> = packets.iter().map(Vec::as_slice).collect();
    let paste = crate::input::write::wireshark_c_arrays(&slices);
    let page = decode_for_page(paste.as_bytes(), &PageOptions::default()).expect("five messages");
    let pairs: Vec<Option<usize>> = page.messages.rows().iter().map(|row| row.pair).collect();
    assert_eq!(pairs, [Some(3), Some(2), Some(1), Some(0), None]);
    assert_eq!(
        page.messages.info(4),
        "Standard query response 0x0007 A c.test"
    );
    assert_eq!(page.messages.info(5), "", "no Info past the last message");
}

#[test]
fn waiting_queries_are_taken_latest_first_and_unlinked_from_anywhere_in_their_chain() {
    let key: PairKey = (7, None, None, 53, 5353, 1);
    let mut latest_waiting = crate::fnv::FnvHashMap::default();
    let mut earlier_waiting = vec![None; 4];
    // Queries 0, 1 and 2 wait under one key, in that order (3 is something else).
    for (query, earlier) in earlier_waiting.iter_mut().enumerate().take(3) {
        *earlier = latest_waiting.insert(key, query);
    }
    // A response that only query 1 answers unlinks it from the middle.
    let taken = take_waiting_query(&mut latest_waiting, &mut earlier_waiting, key, |query| {
        query == 1
    });
    assert_eq!(taken, Some(1));
    // Then the latest first: 2, then 0, then nothing.
    let any = |_: usize| true;
    assert_eq!(
        take_waiting_query(&mut latest_waiting, &mut earlier_waiting, key, any),
        Some(2)
    );
    assert_eq!(
        take_waiting_query(&mut latest_waiting, &mut earlier_waiting, key, any),
        Some(0)
    );
    assert_eq!(
        take_waiting_query(&mut latest_waiting, &mut earlier_waiting, key, any),
        None
    );
    assert!(latest_waiting.is_empty());
    // A key no query waits under finds nothing, and one no waiting query answers keeps them.
    earlier_waiting[3] = latest_waiting.insert(key, 3);
    let none = |_: usize| false;
    assert_eq!(
        take_waiting_query(&mut latest_waiting, &mut earlier_waiting, key, none),
        None
    );
    let other_key: PairKey = (8, None, None, 53, 5353, 1);
    assert_eq!(
        take_waiting_query(&mut latest_waiting, &mut earlier_waiting, other_key, any),
        None
    );
    assert_eq!(latest_waiting.get(&key), Some(&3));
}

#[test]
fn a_decode_in_steps_is_the_decode_in_one_go_and_says_how_far_it_is() {
    let sll2: &[u8] = include_bytes!("../../tests/data/captures/example-com-sll2.pcapng");
    for input in [CAPTURE, sll2, HEX_STREAM.as_bytes()] {
        for message_index in [0, 3] {
            let options = PageOptions {
                message_index,
                ..PageOptions::default()
            };
            let whole = decode_for_page(input, &options);
            for units in [1, 2, 7, 1000] {
                let mut job = PageDecodeJob::new(input, &options).expect("readable");
                let mut last = job.progress();
                assert_eq!((last.frames_done, last.rows_done), (0, 0));
                let mut steps = 0;
                while !job.step(units) {
                    let now = job.progress();
                    // Every step moves on: more frames, the next stage, or more rows.
                    let position = |progress: &PageProgress| {
                        let listing = progress.message_count.is_some();
                        (progress.frames_done, listing, progress.rows_done)
                    };
                    assert!(position(&now) > position(&last), "{last:?} then {now:?}");
                    assert!(now.fraction() >= last.fraction(), "{last:?} then {now:?}");
                    assert!(now.fraction() <= 1.0);
                    last = now;
                    steps += 1;
                }
                let done = job.progress();
                assert_eq!(done.frames_done, done.frame_count);
                assert_eq!(Some(done.rows_done), done.message_count);
                if units == 1 && done.frame_count > 0 {
                    // One step per frame and per row (the last of each ends a stage).
                    assert!(steps >= done.frame_count, "{steps} steps for {done:?}");
                }
                assert_eq!(job.finish(), whole, "{units} units");
            }
        }
    }
}

#[test]
fn progress_reads_in_words_with_grouped_digits() {
    let reading = PageProgress {
        frames_done: 12_000,
        frame_count: 60_000,
        rows_done: 0,
        message_count: None,
    };
    assert_eq!(reading.describe(), "Reading frames: 12,000 of 60,000");
    assert!((reading.fraction() - 0.1).abs() < 1e-9);
    let listing = PageProgress {
        frames_done: 60_000,
        frame_count: 60_000,
        rows_done: 999,
        message_count: Some(1_234_567),
    };
    assert_eq!(listing.describe(), "Listing messages: 999 of 1,234,567");
    assert_eq!(group_digits(0), "0");
    assert_eq!(group_digits(100), "100");
    assert_eq!(group_digits(1000), "1,000");
    let nothing = PageProgress {
        frames_done: 0,
        frame_count: 0,
        rows_done: 0,
        message_count: None,
    };
    assert_eq!(nothing.fraction(), 0.0);
}
