//! Criterion benchmarks of the simulated resolver: full traces over the built-in world, cold cache.
//!
//! Goal (issue 4): a full trace of a typical name well under a millisecond natively. Each
//! iteration builds a fresh resolver (empty cache) and resolves from the root hints, every step
//! a real encoded query answered by the authoritative algorithm and decoded again.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use dnslab_core::resolver::simulate;
use dnslab_core::world::World;
use hickory_proto::rr::{Name, RecordType};

fn resolve_from_the_root(criterion: &mut Criterion) {
    let world = World::builtin();
    let cases = [
        // root -> com. -> example.com.: a referral, a referral, a CNAME to the apex with its A.
        (
            "www.example.com. A (3 queries)",
            "www.example.com.",
            RecordType::A,
        ),
        // A CNAME chain across three zones: three walks from the root.
        (
            "ext.example.com. A (9 queries)",
            "ext.example.com.",
            RecordType::A,
        ),
        // A glueless delegation: a nested sub-resolution of the name server's address.
        (
            "www.glueless.test. A (6 queries)",
            "www.glueless.test.",
            RecordType::A,
        ),
    ];
    for (label, text, qtype) in cases {
        let Ok(name) = Name::from_ascii(text) else {
            continue;
        };
        criterion.bench_function(&format!("resolve cold {label}"), |bencher| {
            bencher.iter(|| simulate(black_box(&world), black_box(&name), qtype, 0, 1));
        });
    }
    criterion.bench_function("build the built-in world", |bencher| {
        bencher.iter(World::builtin);
    });
}

criterion_group!(benches, resolve_from_the_root);
criterion_main!(benches);
