//! The dissector: a lenient walk over a DNS message that explains every byte.
//!
//! Unlike hickory-proto's strict decoder, it never gives up: it returns everything it could read
//! plus [`Diagnostic`]s that say, at the exact byte, what is wrong.

mod model;

pub use model::*;
