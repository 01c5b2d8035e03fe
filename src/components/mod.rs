//! The page's components, one per file.

pub mod message_view;
pub mod paste_box;
