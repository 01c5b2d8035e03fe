//! Presentation: a [`Dissection`](crate::dissect::Dissection) turned into the texts people read.
//!
//! Two views, both computed from the dissection alone (no re-decoding), so they always agree with
//! the field tree the page shows:
//! - [`dig_text`]: the layout of `dig` 9.18 (`;; ->>HEADER<<-`, flags, `OPT PSEUDOSECTION`,
//!   sections of tab-aligned records), because that is the format DNS people already read;
//! - [`rfc8427_json`]: RFC 8427 "Representing DNS Messages in JSON", plus two dnslab members,
//!   `diagnostics` and `input`, for machines (`dnslab decode --json`, the page's JSON view).

pub(crate) mod dig;
mod rfc8427;

pub use dig::{dig_opcode_text, dig_rcode_text, dig_text};
pub use rfc8427::{rfc8427_json, InputInfo, Rfc8427};
