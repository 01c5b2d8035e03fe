//! Benchmark: the dissector against hickory-proto's plain decode on the same messages.
//!
//! The dissector does much more (a span for every field, text for every value, diagnostics), and
//! the goal is to stay within 2x of `hickory_proto::op::Message::from_vec`. Two workloads: every
//! DNS message of the real captures (mostly small), and one large response (150 records of
//! mixed types with name compression, about 4.5 KB).
//!
//! Run: `cargo bench -p dnslab-core --bench dissect -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dnslab_core::dissect::dissect;
use hickory_proto::op::{Edns, Message, MessageType, OpCode, Query};
use hickory_proto::rr::rdata::{A, AAAA, MX, TXT};
use hickory_proto::rr::{Name, RData, Record, RecordType};

/// Every DNS message of the hex-stream pastes (TCP length prefix removed).
fn captured_messages() -> Vec<Vec<u8>> {
    let captures = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from)
        .join("tests/data/captures");
    let mut messages = Vec::new();
    for folder in ["paste-example-com", "paste-sll2"] {
        let directory = captures.join(folder);
        let expected: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(directory.join("expected.json")).expect("expected.json"),
        )
        .expect("expected.json parses");
        let Some(frames) = expected.as_object() else {
            continue;
        };
        for (frame, entry) in frames {
            let text = std::fs::read_to_string(directory.join(format!("{frame}.ws-hexstream.txt")))
                .expect("hex stream");
            let digits: Vec<u8> = text
                .bytes()
                .filter(u8::is_ascii_hexdigit)
                .map(|digit| (digit as char).to_digit(16).unwrap_or(0) as u8)
                .collect();
            let mut bytes: Vec<u8> = digits
                .chunks(2)
                .map(|pair| pair[0] << 4 | pair[1])
                .collect();
            if entry["tcp"].as_bool() == Some(true) {
                bytes.drain(..2);
            }
            messages.push(bytes);
        }
    }
    messages
}

/// A 150-record response built by hickory: A, AAAA, MX and TXT records under a few names.
fn large_response() -> Vec<u8> {
    let zone = Name::from_ascii("example.com.").unwrap_or_else(|_| Name::root());
    let mut message = Message::new(0x4242, MessageType::Response, OpCode::Query);
    message.add_query(Query::query(zone.clone(), RecordType::ANY));
    for index in 0..150u32 {
        let owner = Name::from_ascii(format!("host{}.example.com.", index % 10))
            .unwrap_or_else(|_| zone.clone());
        let data = match index % 4 {
            0 => RData::A(A(Ipv4Addr::from(0xc000_0200 + index))),
            1 => RData::AAAA(AAAA(Ipv6Addr::from(
                0x2001_0db8_u128 << 96 | u128::from(index),
            ))),
            2 => RData::MX(MX::new(
                10,
                Name::from_ascii(format!("mail{}.example.com.", index % 3))
                    .unwrap_or_else(|_| zone.clone()),
            )),
            _ => RData::TXT(TXT::new(vec![format!(
                "v=spf1 include:_spf{index}.example.com ~all"
            )])),
        };
        message.add_answer(Record::from_rdata(owner, 3600, data));
    }
    let mut edns = Edns::new();
    // hickory stops encoding at the EDNS payload size: allow the whole message.
    edns.set_max_payload(u16::MAX);
    message.set_edns(edns);
    message.to_vec().unwrap_or_default()
}

fn bench_dissect_against_hickory(criterion: &mut Criterion) {
    let captured = captured_messages();
    let total_bytes: usize = captured.iter().map(Vec::len).sum();
    let mut group = criterion.benchmark_group("captures");
    group.throughput(Throughput::Bytes(total_bytes as u64));
    group.bench_function("dissect", |bencher| {
        bencher.iter(|| {
            for message in &captured {
                black_box(dissect(black_box(message)));
            }
        })
    });
    group.bench_function("hickory_from_vec", |bencher| {
        bencher.iter(|| {
            for message in &captured {
                let _ = black_box(Message::from_vec(black_box(message)));
            }
        })
    });
    group.finish();

    let large = large_response();
    assert!(Message::from_vec(&large).is_ok() && large.len() > 4000);
    let mut group = criterion.benchmark_group("large_response");
    group.throughput(Throughput::Bytes(large.len() as u64));
    group.bench_function("dissect", |bencher| {
        bencher.iter(|| black_box(dissect(black_box(&large))))
    });
    group.bench_function("hickory_from_vec", |bencher| {
        bencher.iter(|| black_box(Message::from_vec(black_box(&large))))
    });
    group.finish();
}

criterion_group!(benches, bench_dissect_against_hickory);
criterion_main!(benches);
