//! The page's components, one per file; they take props and send [`crate::state::Action`]s.

pub mod build_tab;
pub mod decode_tab;
pub mod diagnostics_list;
pub mod field_tree;
pub mod guide;
pub mod hex_pane;
pub mod message_inspector;
pub mod packet_list;
pub mod resolve_tab;
pub mod samples;
pub mod zone_gutter;
pub mod zones_tab;
