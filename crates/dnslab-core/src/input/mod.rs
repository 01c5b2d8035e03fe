//! Input: turns what a user pasted (hex text today) into the bytes of a DNS message.

mod hex;

pub use hex::{parse_hex_text, InputError};
