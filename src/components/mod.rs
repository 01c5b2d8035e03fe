//! The page's components, one per file.

pub mod diagnostics_list;
pub mod message_view;
pub mod paste_box;
