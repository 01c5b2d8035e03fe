//! Integration tests of dnslab-bridge against real servers (Knot DNS) and fake ones on loopback.

mod forwarding;
mod harness;
mod knot;
mod limits;
mod load;
mod refusals;
mod shutdown;
mod site;
