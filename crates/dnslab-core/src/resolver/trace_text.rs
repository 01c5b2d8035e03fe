//! A [`Trace`] as text, laid out like `dig +trace`: for every response the records of its answer
//! and authority sections (dig's `+trace` leaves out the question and additional sections), then
//! `;; Received N bytes from ADDRESS#53(SERVER) in 0 ms` and an empty line.
//!
//! Records are printed from the dissection of the response bytes, in dig's columns (the same
//! rule as `present::dig_text`), so the text shows exactly what was on the wire. dnslab adds
//! comment lines where dig would leave a learner guessing: what a lame or failed response meant,
//! cache hits, and the nested look-ups of glueless name servers (indented). The time is always
//! `0 ms`: the simulated exchanges take no time.

use std::fmt::Write as _;

use hickory_proto::rr::Record;

use crate::dissect::{dissect, RecordView, Section};
use crate::present::dig_rcode_text;

use super::trace::{
    CacheHitStep, CachedFinding, FailureReason, Fault, FaultStep, QueryStep, ResolutionStatus,
    StepMeaning, SubResolutionStep, Trace, TraceStep,
};
use super::Transport;

/// Indentation of one level of sub-resolution.
const NESTED_INDENT: &str = "    ";

/// The trace as `dig +trace` would print it, plus dnslab's comment lines.
pub fn trace_text(trace: &Trace) -> String {
    let mut output = String::with_capacity(1024 + trace.steps.len() * 256);
    let _ = writeln!(
        output,
        "; <<>> dnslab resolve <<>> +trace {} {}",
        trace.name, trace.qtype.mnemonic
    );
    let _ = writeln!(output, ";; starting at the root hints");
    output.push('\n');
    push_steps(&mut output, &trace.steps, "");
    let _ = writeln!(
        output,
        ";; Resolution: {} ({}) after {} quer{}",
        dig_rcode_text(trace.response_code),
        status_words(&trace.status),
        trace.queries_sent,
        if trace.queries_sent == 1 { "y" } else { "ies" }
    );
    let records = answer_and_authority_lines(&trace.response);
    if !records.is_empty() {
        let _ = writeln!(output, ";; The response sent to the stub (RA set):");
        for line in records {
            output.push_str(&line);
            output.push('\n');
        }
    }
    output
}

fn push_steps(output: &mut String, steps: &[TraceStep], indent: &str) {
    for step in steps {
        match step {
            TraceStep::Query(query) => push_query_step(output, query, indent),
            TraceStep::CacheHit(hit) => push_cache_hit(output, hit, indent),
            TraceStep::SubResolution(sub) => push_sub_resolution(output, sub, indent),
            TraceStep::Fault(fault) => push_fault(output, fault, indent),
        }
    }
}

fn push_query_step(output: &mut String, step: &QueryStep, indent: &str) {
    let Some(response) = &step.response else {
        let _ = writeln!(
            output,
            "{indent};; communications error to {}#53({}): timed out",
            step.server.address,
            without_final_dot(&step.server.name)
        );
        let _ = writeln!(
            output,
            "{indent};; (asked {} {} as a server of {}; trying the next server)",
            step.name, step.qtype.mnemonic, step.server.zone
        );
        output.push('\n');
        return;
    };
    for line in answer_and_authority_lines(response) {
        let _ = writeln!(output, "{indent}{line}");
    }
    let transport = match step.transport {
        Transport::Udp => "",
        Transport::Tcp => " over TCP",
    };
    let _ = writeln!(
        output,
        "{indent};; Received {} bytes from {}#53({}) in 0 ms{transport}",
        response.len(),
        step.server.address,
        without_final_dot(&step.server.name)
    );
    if let Some(comment) = meaning_comment(&step.meaning, &step.server.zone) {
        let _ = writeln!(output, "{indent};; {comment}");
    }
    output.push('\n');
}

/// A comment for the responses whose records do not speak for themselves.
fn meaning_comment(meaning: &StepMeaning, zone: &str) -> Option<String> {
    match meaning {
        StepMeaning::Referral { .. } | StepMeaning::Answer { .. } => None,
        StepMeaning::Cname { target } => Some(format!("CNAME to {target}: restarting with it")),
        StepMeaning::NxDomain => Some("NXDOMAIN: the name does not exist".into()),
        StepMeaning::NoData => Some("NODATA: the name has no records of this type".into()),
        StepMeaning::Lame { reason } => Some(format!(
            "lame server for {zone}: {reason}; trying the next server"
        )),
        StepMeaning::Timeout => Some("timed out; trying the next server".into()),
        StepMeaning::ServFail => Some("SERVFAIL; trying the next server".into()),
        StepMeaning::ErrorRcode { rcode } => Some(format!(
            "{}; trying the next server",
            dig_rcode_text(*rcode)
        )),
        StepMeaning::Truncated => Some("Truncated, retrying in TCP mode.".into()),
        StepMeaning::Malformed { reason } => Some(format!(
            "unusable response ({reason}); trying the next server"
        )),
    }
}

fn push_cache_hit(output: &mut String, hit: &CacheHitStep, indent: &str) {
    let what = match &hit.found {
        CachedFinding::Answer { records } => {
            for record in records {
                let _ = writeln!(output, "{indent}{record}");
            }
            "answer".to_string()
        }
        CachedFinding::Cname { target } => format!("CNAME to {target}"),
        CachedFinding::NxDomain => "NXDOMAIN".to_string(),
        CachedFinding::NoData => "NODATA".to_string(),
        CachedFinding::Delegation { zone, name_servers } => format!(
            "delegation of {zone} to {}: starting there",
            name_servers.join(", ")
        ),
    };
    let _ = writeln!(
        output,
        "{indent};; From the cache: {} {}: {what} ({} s left)",
        hit.name, hit.qtype.mnemonic, hit.remaining_ttl
    );
    output.push('\n');
}

fn push_sub_resolution(output: &mut String, sub: &SubResolutionStep, indent: &str) {
    let _ = writeln!(
        output,
        "{indent};; Looking up {} {} (a name server of {} that came without glue)",
        sub.name, sub.qtype.mnemonic, sub.for_zone
    );
    output.push('\n');
    let nested = format!("{indent}{NESTED_INDENT}");
    push_steps(output, &sub.steps, &nested);
    if sub.addresses.is_empty() {
        let _ = writeln!(
            output,
            "{indent};; No address for {} ({})",
            sub.name,
            status_words(&sub.status)
        );
    } else {
        let addresses: Vec<String> = sub.addresses.iter().map(ToString::to_string).collect();
        let _ = writeln!(
            output,
            "{indent};; {} has address {}",
            sub.name,
            addresses.join(", ")
        );
    }
    output.push('\n');
}

fn push_fault(output: &mut String, fault: &FaultStep, indent: &str) {
    let server = fault.name_server.as_deref().unwrap_or("?");
    let text = match fault.fault {
        Fault::MissingGlue => format!(
            "missing glue: {server} is inside {} but the referral gave no address for it",
            fault.zone
        ),
        Fault::DependencyLoop => format!(
            "{server}'s address depends on the resolution already under way (a loop); skipping it"
        ),
        Fault::SubResolutionTooDeep => {
            format!("looking up {server} would nest too many sub-resolutions; skipping it")
        }
    };
    let _ = writeln!(output, "{indent};; {text}");
    output.push('\n');
}

/// dig names the server it asked without the final dot of its name.
fn without_final_dot(name: &str) -> &str {
    if name.len() > 1 {
        name.strip_suffix('.').unwrap_or(name)
    } else {
        name
    }
}

fn status_words(status: &ResolutionStatus) -> String {
    match status {
        ResolutionStatus::Answered => "answered".into(),
        ResolutionStatus::NxDomain => "the name does not exist".into(),
        ResolutionStatus::NoData => "no records of that type".into(),
        ResolutionStatus::Failed { reason } => match reason {
            FailureReason::AllServersFailed { zone } => format!("every server of {zone} failed"),
            FailureReason::StepLimit { limit } => format!("gave up after {limit} steps"),
            FailureReason::CnameChainTooLong { limit } => {
                format!("the CNAME chain is longer than {limit}")
            }
            FailureReason::Abandoned => "abandoned".into(),
        },
    }
}

/// The answer and authority records of `message`, one dig-style line each.
fn answer_and_authority_lines(message: &[u8]) -> Vec<String> {
    let dissection = dissect(message);
    dissection
        .records
        .iter()
        .filter(|record| matches!(record.section, Section::Answer | Section::Authority))
        .map(record_line)
        .collect()
}

fn record_line(record: &RecordView) -> String {
    columns(
        &record.name.text,
        record.ttl,
        record.class,
        record.rtype,
        &record.rdata.presentation,
    )
}

/// A record held by the cache, in the same columns (the data in hickory-proto's presentation).
pub(crate) fn cached_record_line(record: &Record) -> String {
    columns(
        &record.name.to_ascii(),
        record.ttl,
        u16::from(record.dns_class),
        u16::from(record.record_type()),
        &record.data.to_string(),
    )
}

fn columns(owner: &str, ttl: u32, class: u16, rtype: u16, rdata: &str) -> String {
    let mut line = String::new();
    crate::present::dig::push_record_columns(&mut line, owner, ttl, class, rtype, rdata);
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    // The expected lines are dig 9.18 output for the same records (the shape `dig +trace` prints).
    #[test]
    fn record_lines_use_digs_columns() {
        assert_eq!(
            columns("com.", 172800, 1, 2, "a.gtld-servers.net."),
            "com.\t\t\t172800\tIN\tNS\ta.gtld-servers.net."
        );
        assert_eq!(
            columns("www.example.com.", 300, 1, 1, "93.184.215.14"),
            "www.example.com.\t300\tIN\tA\t93.184.215.14"
        );
    }
}
