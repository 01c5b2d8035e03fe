//! The page's components, one per file; they take props and send [`crate::state::Action`]s.

pub mod decode_tab;
pub mod diagnostics_list;
pub mod field_tree;
pub mod hex_pane;
pub mod packet_list;
pub mod samples;
