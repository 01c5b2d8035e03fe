//! Criterion benchmarks of the Zones tab's work on every edit: checking a zone text of 1,000
//! records, and building the world with it applied (the built-in world plus the new zone and its
//! delegation). Each keystroke in the zone editor costs one check; ratios, not absolute times.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use dnslab_core::page::zones::{check_zone_text, world_with_edits};
use dnslab_core::world::World;

/// A zone of exactly 1,000 records: SOA, NS, the name server's address and 997 hosts.
fn thousand_records() -> String {
    let mut text = String::from(
        "$ORIGIN big.test.\n$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 60\n@ NS ns1\nns1 A 192.0.2.240\n",
    );
    for index in 0..997 {
        text.push_str(&format!("host{index} A 198.51.100.{}\n", index % 250 + 1));
    }
    text
}

fn zone_edits(criterion: &mut Criterion) {
    // What the page's first Resolve or Build answer waits for when the world is not ready yet:
    // every built-in zone parsed and checked, every simulated server set up.
    criterion.bench_function("the built-in world", |bencher| {
        bencher.iter(World::builtin);
    });
    let text = thousand_records();
    criterion.bench_function("check a zone of 1,000 records", |bencher| {
        bencher.iter(|| check_zone_text(black_box("big.test."), black_box(&text)));
    });
    let edits = vec![("big.test.".to_owned(), text.clone())];
    criterion.bench_function("world with a zone of 1,000 records", |bencher| {
        bencher.iter(|| world_with_edits(black_box(&edits)));
    });
}

criterion_group!(benches, zone_edits);
criterion_main!(benches);
