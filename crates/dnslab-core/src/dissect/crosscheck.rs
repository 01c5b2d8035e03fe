//! Cross-checking a dissection against hickory-proto's strict decoder.
//!
//! Two independent parsers read the same bytes: the lenient dissector and
//! `hickory_proto::op::Message::from_vec`. Wherever hickory accepts a message, both must agree on
//! every value: header fields, names (label bytes), types, classes, TTLs, record counts and the
//! record data. Record data is compared by formatting hickory's typed values with the same
//! presentation helpers the dissector uses, so a disagreement always means the two *read* the
//! bytes differently (the formatting itself is checked against dig's output in the tests).
//!
//! Used by the differential tests and the `dissect` fuzz target; also usable as a self-check.

use std::fmt::Write as _;

use hickory_proto::op::Message;
use hickory_proto::rr::rdata::svcb::{SvcParamValue, SVCB};
use hickory_proto::rr::{Name, RData, Record};

use super::model::{Dissection, NameView, RecordView, Section};
use super::rdata::generic_presentation;
use super::rdata::svcb::{dig_key_text, push_alpn_id};
use super::rdata::thumbprints::DIG_CHUNK_WIDTH;
use super::text::{
    base64, ipv6_text, push_escaped_label, quoted_character_string, split_into_chunks, upper_hex,
};

/// Compares `dissection` (of `message`) with hickory-proto's decode of the same bytes.
///
/// Returns `None` when hickory rejects the message (nothing to compare), otherwise the list of
/// disagreements, empty when the two agree.
pub fn crosscheck_with_hickory(message: &[u8], dissection: &Dissection) -> Option<Vec<String>> {
    let decoded = Message::from_vec(message).ok()?;
    let mut differences = Vec::new();
    let mut differ = |what: String| differences.push(what);

    let Some(header) = &dissection.header else {
        differ("hickory read a header, the dissector did not".to_owned());
        return Some(differences);
    };
    let metadata = &decoded.metadata;
    let pairs: [(&str, u64, u64); 11] = [
        ("ID", u64::from(header.id), u64::from(metadata.id)),
        (
            "QR",
            u64::from(header.qr),
            u64::from(metadata.message_type == hickory_proto::op::MessageType::Response),
        ),
        (
            "opcode",
            u64::from(header.opcode),
            u64::from(u8::from(metadata.op_code)),
        ),
        (
            "AA",
            u64::from(header.aa),
            u64::from(metadata.authoritative),
        ),
        ("TC", u64::from(header.tc), u64::from(metadata.truncation)),
        (
            "RD",
            u64::from(header.rd),
            u64::from(metadata.recursion_desired),
        ),
        (
            "RA",
            u64::from(header.ra),
            u64::from(metadata.recursion_available),
        ),
        (
            "AD",
            u64::from(header.ad),
            u64::from(metadata.authentic_data),
        ),
        (
            "CD",
            u64::from(header.cd),
            u64::from(metadata.checking_disabled),
        ),
        (
            "RCODE",
            u64::from(dissection.rcode().unwrap_or(0)),
            u64::from(u16::from(metadata.response_code)),
        ),
        (
            "question count",
            dissection.questions.len() as u64,
            decoded.queries.len() as u64,
        ),
    ];
    for (what, ours, theirs) in pairs {
        if ours != theirs {
            differ(format!("{what}: dissector {ours}, hickory {theirs}"));
        }
    }

    for (index, (ours, theirs)) in dissection
        .questions
        .iter()
        .zip(&decoded.queries)
        .enumerate()
    {
        compare_name(
            message,
            &format!("question {index} name"),
            &ours.name,
            &theirs.name,
            &mut differ,
        );
        let their_type = u16::from(theirs.query_type);
        if ours.qtype != their_type {
            differ(format!(
                "question {index} type: {} vs {their_type}",
                ours.qtype
            ));
        }
        let their_class = u16::from(theirs.query_class);
        if ours.qclass != their_class {
            differ(format!(
                "question {index} class: {} vs {their_class}",
                ours.qclass
            ));
        }
    }

    let sections = [
        (Section::Answer, &decoded.answers, "answer"),
        (Section::Authority, &decoded.authorities, "authority"),
        (Section::Additional, &decoded.additionals, "additional"),
    ];
    for (section, theirs, title) in sections {
        // hickory keeps the OPT record out of its additional section (it becomes `edns`).
        let ours: Vec<&RecordView> = dissection
            .section(section)
            .filter(|record| record.rtype != 41)
            .collect();
        if ours.len() != theirs.len() {
            differ(format!(
                "{title} records: dissector {}, hickory {}",
                ours.len(),
                theirs.len()
            ));
            continue;
        }
        for (index, (ours, theirs)) in ours.iter().zip(theirs.iter()).enumerate() {
            compare_record(
                message,
                &format!("{title} {index}"),
                ours,
                theirs,
                &mut differ,
            );
        }
    }

    match (&dissection.edns, &decoded.edns) {
        (Some(ours), Some(theirs)) => {
            let pairs = [
                (
                    "EDNS payload size",
                    // RFC 6891 §6.2.5: sizes below 512 count as 512, which hickory applies
                    // when it reads the OPT record.
                    u64::from(ours.udp_payload_size.max(512)),
                    u64::from(theirs.max_payload()),
                ),
                (
                    "EDNS version",
                    u64::from(ours.version),
                    u64::from(theirs.version()),
                ),
                (
                    "EDNS extended RCODE",
                    u64::from(ours.extended_rcode),
                    u64::from(theirs.rcode_high()),
                ),
                (
                    "EDNS DO",
                    u64::from(ours.dnssec_ok),
                    u64::from(theirs.flags().dnssec_ok),
                ),
                ("EDNS Z", u64::from(ours.z), u64::from(theirs.flags().z)),
            ];
            for (what, ours, theirs) in pairs {
                if ours != theirs {
                    differ(format!("{what}: dissector {ours}, hickory {theirs}"));
                }
            }
        }
        (None, None) => {}
        (ours, theirs) => differ(format!(
            "EDNS present: dissector {}, hickory {}",
            ours.is_some(),
            theirs.is_some()
        )),
    }
    Some(differences)
}

fn compare_record(
    message: &[u8],
    what: &str,
    ours: &RecordView,
    theirs: &Record,
    differ: &mut impl FnMut(String),
) {
    compare_name(
        message,
        &format!("{what} owner"),
        &ours.name,
        &theirs.name,
        differ,
    );
    let their_type = u16::from(theirs.record_type());
    if ours.rtype != their_type {
        differ(format!("{what} type: {} vs {their_type}", ours.rtype));
    }
    let their_class = u16::from(theirs.dns_class);
    if ours.class != their_class {
        differ(format!("{what} class: {} vs {their_class}", ours.class));
    }
    if ours.ttl != theirs.ttl {
        differ(format!("{what} TTL: {} vs {}", ours.ttl, theirs.ttl));
    }
    // Class-specific types are decoded by BIND (and so by the dissector) only in class IN,
    // while hickory decodes them in any class: compare record data in IN only.
    if ours.class != 1 {
        return;
    }
    let rdata_bytes = message
        .get(ours.rdata_span.offset..ours.rdata_span.end())
        .unwrap_or_default();
    if let Some(expected) = hickory_presentation(&theirs.data, rdata_bytes) {
        if ours.rdata.presentation != expected {
            differ(format!(
                "{what} RDATA: dissector {:?}, hickory {expected:?}",
                ours.rdata.presentation
            ));
        }
    }
}

/// Compares label bytes: the dissector's labels are spans into the message.
fn compare_name(
    message: &[u8],
    what: &str,
    ours: &NameView,
    theirs: &Name,
    differ: &mut impl FnMut(String),
) {
    let our_labels: Vec<&[u8]> = ours
        .labels()
        .map(|label| {
            message
                .get(label.span.offset + 1..label.span.end())
                .unwrap_or_default()
        })
        .collect();
    let their_labels: Vec<&[u8]> = theirs.iter().collect();
    if our_labels != their_labels {
        differ(format!(
            "{what}: dissector {}, hickory {}",
            ours.text,
            name_text(theirs)
        ));
    }
}

/// A hickory name in the dissector's presentation form.
fn name_text(name: &Name) -> String {
    let mut text = String::new();
    for label in name.iter() {
        push_escaped_label(&mut text, label);
        text.push('.');
    }
    if text.is_empty() {
        text.push('.');
    }
    text
}

/// hickory's typed record data in dig's presentation form, for the types both decode.
/// `wire` is the RDATA as it appears in the message (for types hickory keeps as raw bytes).
fn hickory_presentation(data: &RData, wire: &[u8]) -> Option<String> {
    let text = match data {
        RData::A(address) => address.0.to_string(),
        RData::AAAA(address) => ipv6_text(&address.0),
        RData::CNAME(name) => name_text(&name.0),
        RData::NS(name) => name_text(&name.0),
        RData::PTR(name) => name_text(&name.0),
        RData::MX(mx) => format!("{} {}", mx.preference, name_text(&mx.exchange)),
        RData::SOA(soa) => format!(
            "{} {} {} {} {} {} {}",
            name_text(&soa.mname),
            name_text(&soa.rname),
            soa.serial,
            soa.refresh as u32,
            soa.retry as u32,
            soa.expire as u32,
            soa.minimum
        ),
        RData::TXT(txt) => {
            let strings: Vec<String> = txt
                .txt_data
                .iter()
                .map(|text| quoted_character_string(text))
                .collect();
            strings.join(" ")
        }
        RData::SRV(srv) => format!(
            "{} {} {} {}",
            srv.priority,
            srv.weight,
            srv.port,
            name_text(&srv.target)
        ),
        RData::CAA(caa) => format!(
            "{} {} {}",
            u8::from(caa.issuer_critical) << 7 | caa.reserved_flags,
            caa.tag,
            quoted_character_string(&caa.value)
        ),
        RData::NAPTR(naptr) => format!(
            "{} {} {} {} {} {}",
            naptr.order,
            naptr.preference,
            quoted_character_string(&naptr.flags),
            quoted_character_string(&naptr.services),
            quoted_character_string(&naptr.regexp),
            name_text(&naptr.replacement)
        ),
        RData::HINFO(hinfo) => format!(
            "{} {}",
            quoted_character_string(&hinfo.cpu),
            quoted_character_string(&hinfo.os)
        ),
        RData::SSHFP(sshfp) => with_hex(
            format!(
                "{} {}",
                u8::from(sshfp.algorithm),
                u8::from(sshfp.fingerprint_type)
            ),
            &sshfp.fingerprint,
        ),
        RData::TLSA(tlsa) => with_hex(
            format!(
                "{} {} {}",
                u8::from(tlsa.cert_usage),
                u8::from(tlsa.selector),
                u8::from(tlsa.matching)
            ),
            &tlsa.cert_data,
        ),
        RData::SVCB(svcb) => svcb_text(svcb),
        RData::HTTPS(https) => svcb_text(&https.0),
        RData::NULL(null) => generic_presentation(&null.anything),
        // Types hickory (without DNSSEC support) keeps as raw bytes: compare the bytes.
        RData::Unknown { rdata, .. } => {
            if rdata.anything != wire {
                return Some(generic_presentation(&rdata.anything));
            }
            return None;
        }
        _ => return None,
    };
    Some(text)
}

fn with_hex(mut text: String, bytes: &[u8]) -> String {
    if !bytes.is_empty() {
        text.push(' ');
        text.push_str(&split_into_chunks(&upper_hex(bytes), DIG_CHUNK_WIDTH));
    }
    text
}

fn svcb_text(svcb: &SVCB) -> String {
    let mut text = format!("{} {}", svcb.svc_priority, name_text(&svcb.target_name));
    for (key, value) in &svcb.svc_params {
        text.push(' ');
        text.push_str(&dig_key_text(u16::from(*key)));
        match value {
            SvcParamValue::Mandatory(keys) => {
                let names: Vec<String> = keys
                    .0
                    .iter()
                    .map(|key| dig_key_text(u16::from(*key)))
                    .collect();
                let _ = write!(text, "={}", names.join(","));
            }
            SvcParamValue::Alpn(alpn) => {
                text.push_str("=\"");
                for (index, id) in alpn.0.iter().enumerate() {
                    if index > 0 {
                        text.push(',');
                    }
                    push_alpn_id(&mut text, id.as_bytes());
                }
                text.push('"');
            }
            SvcParamValue::NoDefaultAlpn => {}
            SvcParamValue::Port(port) => {
                let _ = write!(text, "={port}");
            }
            SvcParamValue::Ipv4Hint(hints) => {
                let addresses: Vec<String> = hints
                    .0
                    .iter()
                    .map(|address| address.0.to_string())
                    .collect();
                let _ = write!(text, "={}", addresses.join(","));
            }
            SvcParamValue::EchConfigList(list) => {
                if !list.0.is_empty() {
                    let _ = write!(text, "={}", base64(&list.0));
                }
            }
            SvcParamValue::Ipv6Hint(hints) => {
                let addresses: Vec<String> = hints
                    .0
                    .iter()
                    .map(|address| ipv6_text(&address.0))
                    .collect();
                let _ = write!(text, "={}", addresses.join(","));
            }
            SvcParamValue::Unknown(unknown) => {
                if !unknown.0.is_empty() {
                    let _ = write!(text, "={}", quoted_character_string(&unknown.0));
                }
            }
        }
    }
    text
}
