//! dnslab-core's integration tests, one module per area (one test binary, as matklad recommends).

mod authority_vs_knot;
mod captures;
mod dissect;
mod expected_json;
mod input;
mod present;
mod present_dig;
mod resolver;
