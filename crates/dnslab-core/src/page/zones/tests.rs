//! Tests of the Zones tab's data: the built-in texts, the checks, edits joining the world (seen
//! through the resolver, as the Resolve tab sees them), the templates and the stored format.

use super::*;
use crate::page::resolve::{resolve_for_page, DEFAULT_START_TIME};

fn edit(origin: &str, text: &str) -> (String, String) {
    (origin.to_owned(), text.to_owned())
}

#[test]
fn builtin_texts_are_the_world_files_with_their_servers() {
    let texts = builtin_zone_texts();
    assert_eq!(texts.len(), BUILTIN_ZONE_FILES.len());
    let root = texts.first().expect("the root zone");
    assert_eq!(
        (root.origin.as_str(), root.file_name.as_str()),
        (".", "root.zone")
    );
    // The 13 root servers, and ns2.lame.test., which holds a copy of the root on purpose.
    assert_eq!(root.servers.len(), 14, "{:?}", root.servers);
    assert_eq!(
        root.servers.first().map(String::as_str),
        Some("a.root-servers.net.")
    );
    let example = texts
        .iter()
        .find(|text| text.origin == "example.com.")
        .expect("example.com.");
    assert_eq!(example.servers, ["ns1.example.com.", "ns2.example.net."]);
    assert!(example.text.contains("alias   IN CNAME www.example.com."));
    for text in &texts {
        assert_eq!(
            check_zone_text(&text.origin, &text.text),
            [],
            "{}",
            text.origin
        );
        assert!(!text.servers.is_empty(), "{} has no server", text.origin);
    }
}

#[test]
fn checks_give_lines_columns_and_words() {
    let text = "$ORIGIN example.\n$TTL 1h\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.300\n";
    let problems = check_zone_text("example.", text);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!((problems[0].line, problems[0].column), (5, 6));
    assert!(!problems[0].message.is_empty());
    // The origin may be written without its final dot.
    let fixed = text.replace("192.0.2.300", "192.0.2.30");
    assert_eq!(check_zone_text("example", &fixed), []);
    assert_eq!(check_zone("example", &fixed).records, 3);
    // A warning does not make the zone invalid.
    let warned = format!("{fixed}d A 192.0.2.1\nd 60 A 192.0.2.2\n");
    let check = check_zone("example.", &warned);
    assert!(check.errors.is_empty(), "{:?}", check.errors);
    assert_eq!(check.warnings.first().map(|warning| warning.line), Some(7));
    // A bad origin is a problem on no line.
    let bad = check_zone_text("a..b", &fixed);
    assert_eq!(bad.first().map(|problem| problem.line), Some(0));
}

#[test]
fn edits_replace_zones_add_zones_and_skip_invalid_ones() {
    let replaced_org = "$ORIGIN example.org.\n@ 60 SOA ns1 hostmaster 1 2 3 4 60\n@ 60 NS ns1\nns1 60 A 203.0.113.20\nwww 60 A 198.51.100.99\n";
    let corp = new_zone_template("corp.test").expect("a template");
    let broken = "$ORIGIN example.net.\n@ SOA ns1 hostmaster 1 2 3 4\n";
    let (world, skipped) = world_with_edits(&[
        edit("example.org.", replaced_org),
        edit("corp.test.", &corp),
        edit("example.net.", broken),
    ]);
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert_eq!(skipped[0].0, "example.net.");
    assert!(skipped[0].1.iter().all(|problem| problem.line > 0));

    let org = resolve_for_page(&world, "www.example.org", "A", DEFAULT_START_TIME).expect("ok");
    assert_eq!(
        org.answer_lines,
        ["www.example.org.\t60\tIN\tA\t198.51.100.99"]
    );
    let www = resolve_for_page(&world, "www.corp.test", "A", DEFAULT_START_TIME).expect("ok");
    assert_eq!(www.status, "NOERROR, 1 answer", "{}", www.trace_text);
    let referral = www
        .steps
        .iter()
        .find(|step| step.zone == "test." && step.outcome == "referral")
        .expect("test. delegates corp.test.");
    assert!(referral
        .headline
        .starts_with("Referral to corp.test.: 1 name server, glue for 1"));
    // The invalid edit left the built-in example.net. in place.
    let web = resolve_for_page(&world, "web.example.net", "A", DEFAULT_START_TIME).expect("ok");
    assert_eq!(
        web.answer_lines,
        ["web.example.net.\t3600\tIN\tA\t203.0.113.12"]
    );
}

#[test]
fn a_new_zone_template_is_valid_and_refuses_built_in_names() {
    let text = new_zone_template("corp.test.").expect("a template");
    assert_eq!(check_zone("corp.test.", &text).errors, []);
    assert!(text.contains("@       IN NS  ns1.corp.test.\n"), "{text}");
    let address = text
        .lines()
        .find_map(|line| line.strip_prefix("ns1     IN A   "))
        .expect("ns1's address");
    let parsed: std::net::IpAddr = address.parse().expect("an address");
    assert!(address.starts_with("192.0.2."), "{address}");
    assert!(
        World::builtin().server_at(parsed).is_none(),
        "{address} is taken"
    );
    assert_eq!(new_zone_template("corp.test"), Ok(text));
    assert!(new_zone_template("example.com").is_err());
    assert!(new_zone_template(".").is_err());
    assert!(new_zone_template("").is_err());
    assert!(new_zone_template("a..b").is_err());
}

#[test]
fn delegation_records_are_the_childs_ns_and_glue() {
    let child = "$ORIGIN corp.test.\n$TTL 600\n@ SOA ns1 hostmaster 1 2 3 4 60\n@ NS ns1\n@ NS ns2.example.net.\nns1 A 192.0.2.200\nns1 AAAA 2001:db8::200\nwww A 192.0.2.201\n";
    let lines = delegation_records("test.", "corp.test.", child).expect("records");
    assert_eq!(
        lines,
        "; Delegation of corp.test. to its name servers, with glue for those inside it\n\
         corp.test.\t\t600\tIN\tNS\tns1.corp.test.\n\
         corp.test.\t\t600\tIN\tNS\tns2.example.net.\n\
         ns1.corp.test.\t\t600\tIN\tA\t192.0.2.200\n\
         ns1.corp.test.\t\t600\tIN\tAAAA\t2001:db8::200\n"
    );
    // Pasted into a copy of test., they make a valid zone that delegates corp.test.
    let test_zone = BUILTIN_ZONE_FILES
        .iter()
        .find(|file| file.origin == "test.")
        .expect("test.");
    let with_delegation = format!("{}{lines}", test_zone.text);
    assert_eq!(check_zone_text("test.", &with_delegation), []);

    assert!(delegation_records("example.com.", "corp.test.", child).is_err());
    assert!(delegation_records("test.", "test.", child).is_err());
    let error = delegation_records("test.", "corp.test.", "garbage").expect_err("errors");
    assert!(error.contains("corp.test."), "{error}");
}

#[test]
fn stored_edits_round_trip_and_bad_ones_are_reported() {
    let edits = vec![
        edit(
            "corp.test.",
            "$ORIGIN corp.test.\n; \"quoted\" and \\ escaped\n",
        ),
        edit("example.org.", "anything at all, even invalid zone text"),
    ];
    let mut edits: Vec<StoredEdit> = edits
        .into_iter()
        .map(|(origin, text)| StoredEdit {
            origin,
            text,
            last_valid: None,
        })
        .collect();
    edits[1].last_valid = Some("$TTL 300\n".to_owned());
    let stored = encode_stored(&edits);
    assert!(stored.starts_with("{\"version\":1,"), "{stored}");
    assert_eq!(stored.matches("last_valid").count(), 1, "{stored}");
    assert_eq!(decode_stored(&stored), Ok(edits));
    // What earlier pages stored (no last_valid) still reads.
    let earlier = "{\"version\":1,\"zones\":[{\"origin\":\"a.test.\",\"text\":\"x\"}]}";
    assert_eq!(
        decode_stored(earlier),
        Ok(vec![StoredEdit {
            origin: "a.test.".to_owned(),
            text: "x".to_owned(),
            last_valid: None,
        }])
    );
    assert_eq!(decode_stored(&encode_stored(&[])), Ok(Vec::new()));
    let newer = stored.replace("\"version\":1", "\"version\":2");
    let error = decode_stored(&newer).expect_err("another version");
    assert!(error.contains("version 2"), "{error}");
    assert!(decode_stored("not json").is_err());
    assert!(decode_stored("{\"version\":1}").is_err());
    assert!(decode_stored("").is_err());
    assert_eq!(ZONES_STORAGE_KEY, "dnslab.zones.v1");
}

#[test]
fn a_zone_of_a_thousand_records_parses_and_applies() {
    let mut text = String::from(
        "$ORIGIN big.test.\n$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 60\n@ NS ns1\nns1 A 192.0.2.240\n",
    );
    for index in 0..997 {
        text.push_str(&format!("host{index} A 198.51.100.{}\n", index % 250 + 1));
    }
    let check = check_zone("big.test.", &text);
    assert_eq!((check.errors.len(), check.records), (0, 1000));
    let (world, skipped) = world_with_edits(&[edit("big.test.", &text)]);
    assert!(skipped.is_empty(), "{skipped:?}");
    let answer =
        resolve_for_page(&world, "host996.big.test", "A", DEFAULT_START_TIME).expect("resolves");
    assert_eq!(
        answer.answer_lines,
        ["host996.big.test.\t300\tIN\tA\t198.51.100.247"]
    );
}

#[test]
fn an_imported_file_is_named_by_its_origin_line_or_else_its_file_name() {
    assert_eq!(
        import_origin(
            "anything.txt",
            "; a comment\n$TTL 300\n$ORIGIN corp.test.\n@ IN SOA a b 1 2 3 4 5\n"
        ),
        Ok("corp.test.".to_owned())
    );
    assert_eq!(
        import_origin("zones/example.com.zone", "@ 300 IN A 192.0.2.1\n"),
        Ok("example.com.".to_owned())
    );
    assert_eq!(
        import_origin("db.lab.test", "@ 300 IN A 192.0.2.1\n"),
        Ok("lab.test.".to_owned())
    );
    // An $ORIGIN after the first record names a sub-origin, not the zone.
    assert_eq!(
        import_origin(
            "corp.test.zone",
            "@ 300 IN A 192.0.2.1\n$ORIGIN sub.corp.test.\n"
        ),
        Ok("corp.test.".to_owned())
    );
    assert!(import_origin("", "").is_err());
}

#[test]
fn a_zone_is_delegated_from_its_closest_enclosing_zone() {
    let world = World::builtin();
    assert_eq!(parent_zone(&world, "example.com."), Some("com.".to_owned()));
    assert_eq!(
        parent_zone(&world, "new.example.com"),
        Some("example.com.".to_owned())
    );
    assert_eq!(parent_zone(&world, "corp.invalid."), Some(".".to_owned()));
    assert_eq!(parent_zone(&world, "."), None);
}

#[test]
fn edits_over_a_kept_world_equal_edits_over_a_fresh_one() {
    let edits = vec![(
        "example.com.".to_owned(),
        BUILTIN_ZONE_FILES
            .iter()
            .find(|file| file.origin == "example.com.")
            .map(|file| format!("{}extra 300 IN A 192.0.2.77\n", file.text))
            .unwrap_or_default(),
    )];
    let base = World::builtin();
    let (kept, kept_skipped) = apply_edits(&base, &edits);
    let (fresh, fresh_skipped) = world_with_edits(&edits);
    assert!(
        kept_skipped.is_empty() && fresh_skipped.is_empty(),
        "{kept_skipped:?}"
    );
    let name = Name::from_ascii("extra.example.com.").unwrap_or_else(|_| Name::root());
    let kept_has = kept
        .zones()
        .find(&name)
        .and_then(|zone| zone.node(&name))
        .is_some();
    let fresh_has = fresh
        .zones()
        .find(&name)
        .and_then(|zone| zone.node(&name))
        .is_some();
    assert!(kept_has && fresh_has);
    // The base itself is untouched.
    assert!(base
        .zones()
        .find(&name)
        .and_then(|zone| zone.node(&name))
        .is_none());
}

/// The built-in text of `origin` with `extra` appended.
fn builtin_text_plus(origin: &str, extra: &str) -> String {
    BUILTIN_ZONE_FILES
        .iter()
        .find(|file| file.origin == origin)
        .map(|file| format!("{}{extra}", file.text))
        .unwrap_or_default()
}

/// Every server of `world` by name, with the zones it serves.
fn servers_and_zones(world: &World) -> Vec<(String, crate::zone::ZoneSet)> {
    world
        .servers()
        .iter()
        .map(|server| (server.name.to_ascii(), server.zones().clone()))
        .collect()
}

#[test]
fn a_checked_zone_is_the_check_plus_the_zone_it_parsed() {
    let valid = builtin_text_plus(
        "example.com.",
        "extra 300 IN A 192.0.2.77\nd A 192.0.2.1\nd 60 A 192.0.2.2\n",
    );
    let checked = check_and_parse_zone("example.com.", &valid);
    assert_eq!(checked.check, check_zone("example.com.", &valid));
    assert!(checked.check.errors.is_empty() && !checked.check.warnings.is_empty());
    assert_eq!(
        checked.parsed.as_ref().map(ParsedZone::record_count),
        Some(checked.check.records)
    );
    // A clone is the same parse; parsing the same text again is another one.
    let parsed = checked.parsed.clone();
    assert_eq!(parsed, checked.parsed);
    assert_ne!(parsed, check_and_parse_zone("example.com.", &valid).parsed);

    let broken = format!("{valid}bad A 192.0.2.300\n");
    let checked = check_and_parse_zone("example.com.", &broken);
    assert_eq!(checked.check, check_zone("example.com.", &broken));
    assert!(!checked.check.errors.is_empty());
    assert_eq!(checked.parsed, None);
}

#[test]
fn the_world_from_parsed_edits_is_the_world_from_their_texts() {
    let edits = vec![
        edit(
            "example.com.",
            &builtin_text_plus("example.com.", "extra 300 IN A 192.0.2.77\n"),
        ),
        edit(
            "corp.test.",
            &new_zone_template("corp.test").expect("a template"),
        ),
    ];
    let parsed: Vec<(String, ParsedZone)> = edits
        .iter()
        .filter_map(|(origin, text)| {
            let parsed = check_and_parse_zone(origin, text).parsed?;
            Some((origin.clone(), parsed))
        })
        .collect();
    assert_eq!(parsed.len(), 2);
    let base = World::builtin();
    let (from_parsed, parsed_skipped) = apply_parsed_edits(&base, &parsed);
    let (from_texts, text_skipped) = apply_edits(&base, &edits);
    assert!(
        parsed_skipped.is_empty() && text_skipped.is_empty(),
        "{parsed_skipped:?}"
    );
    assert_eq!(from_parsed.zones(), from_texts.zones());
    assert_eq!(
        servers_and_zones(&from_parsed),
        servers_and_zones(&from_texts)
    );
    assert_ne!(
        from_parsed.zones(),
        base.zones(),
        "the edits changed the world"
    );

    let extra = resolve_for_page(&from_parsed, "extra.example.com", "A", DEFAULT_START_TIME)
        .expect("resolves");
    assert_eq!(
        extra.answer_lines,
        ["extra.example.com.\t300\tIN\tA\t192.0.2.77"]
    );
    let www =
        resolve_for_page(&from_parsed, "www.corp.test", "A", DEFAULT_START_TIME).expect("resolves");
    assert_eq!(www.status, "NOERROR, 1 answer", "{}", www.trace_text);
}

#[test]
fn while_an_edit_has_an_error_its_last_valid_zone_stays_applied() {
    // What the page does per key press: keep the parse of the last valid text.
    let valid = builtin_text_plus("example.com.", "extra 300 IN A 192.0.2.77\n");
    let mut last_valid = check_and_parse_zone("example.com.", &valid).parsed;
    let typing = format!("{valid}half 300 IN A 192.0.2.\n");
    let checked = check_and_parse_zone("example.com.", &typing);
    assert!(!checked.check.errors.is_empty());
    if let Some(parsed) = checked.parsed {
        last_valid = Some(parsed);
    }
    let edits: Vec<(String, ParsedZone)> = last_valid
        .map(|parsed| ("example.com.".to_owned(), parsed))
        .into_iter()
        .collect();
    let (world, skipped) = apply_parsed_edits(&World::builtin(), &edits);
    assert!(skipped.is_empty(), "{skipped:?}");
    let extra =
        resolve_for_page(&world, "extra.example.com", "A", DEFAULT_START_TIME).expect("resolves");
    assert_eq!(
        extra.answer_lines,
        ["extra.example.com.\t300\tIN\tA\t192.0.2.77"]
    );
}

#[test]
fn a_zone_that_cannot_join_is_reported_alike_and_leaves_the_world_as_it_was() {
    // Delegating alias.example.com. puts NS records beside the parent's CNAME there, which the
    // parent's checks refuse.
    let text = new_zone_template("alias.example.com").expect("a template");
    let edits = vec![edit("alias.example.com.", &text)];
    let parsed: Vec<(String, ParsedZone)> = check_and_parse_zone("alias.example.com.", &text)
        .parsed
        .map(|parsed| ("alias.example.com.".to_owned(), parsed))
        .into_iter()
        .collect();
    let base = World::builtin();
    let (from_parsed, parsed_skipped) = apply_parsed_edits(&base, &parsed);
    let (from_texts, text_skipped) = apply_edits(&base, &edits);
    assert_eq!(parsed_skipped, text_skipped);
    assert_eq!(parsed_skipped.len(), 1, "{parsed_skipped:?}");
    let problem = parsed_skipped[0].1.first().expect("a problem");
    assert_eq!((problem.line, problem.column), (0, 0));
    assert!(
        problem
            .message
            .starts_with("The zone cannot join the simulated internet: "),
        "{}",
        problem.message
    );
    // Not even the name server the zone would have added is left behind.
    assert_eq!(servers_and_zones(&from_parsed), servers_and_zones(&base));
    assert_eq!(from_texts.zones(), base.zones());
}
