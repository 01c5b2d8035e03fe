//! dnslab-core's integration tests, one module per area (one test binary, as matklad recommends).

mod authority_vs_knot;
mod captures;
mod dissect;
mod expected_json;
mod input;
mod present;
mod present_dig;
mod resolver;

/// This package's folder, read when the test runs: cargo sets `CARGO_MANIFEST_DIR` for test
/// processes, and the compile-time value may name another clone that shares the build cache.
pub fn manifest_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}
