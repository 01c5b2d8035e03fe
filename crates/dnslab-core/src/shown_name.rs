//! Domain names in messages to users, written as dig writes them: A-labels as they are, master-file
//! escapes for special characters (`\.`, decimal `\DDD`), a final dot.
//!
//! hickory-proto's own `Display` for `Name` writes A-labels as U-labels through its IDNA code,
//! which would put UTS #46's Unicode tables into the page's wasm, and writes escapes its own
//! way; text the core shows goes through [`name_text`] (and [`ShownName`] in `format!`) instead.

use hickory_proto::rr::Name;

/// Displays a name as dig writes it: `www.example.com.`, `.` for the root.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ShownName<'a>(pub &'a Name);

impl std::fmt::Display for ShownName<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(&name_text(self.0, false))
    }
}

/// A name in presentation form as dig writes it (master-file escapes, decimal `\DDD`, a final
/// dot), with valid A-labels decoded to U-labels when `unicode` is set
/// ([`crate::idna::to_unicode_label`]). hickory-proto's own `to_ascii` writes `\DDD` in octal,
/// which dig would read as another byte.
pub fn name_text(name: &Name, unicode: bool) -> String {
    if name.is_root() {
        return ".".to_owned();
    }
    let mut text = String::with_capacity(64);
    for label in name.iter() {
        let decoded = unicode
            .then(|| crate::idna::to_unicode_label(label))
            .flatten();
        match decoded {
            Some(decoded) => text.push_str(&decoded),
            None => crate::dissect::text::push_escaped_label(&mut text, label),
        }
        text.push('.');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_show_as_dig_writes_them() {
        let name = |text: &str| Name::from_ascii(text).unwrap_or_else(|_| Name::root());
        assert_eq!(
            ShownName(&name("www.Example.com.")).to_string(),
            "www.Example.com."
        );
        assert_eq!(
            ShownName(&name("xn--bcher-kva.example.")).to_string(),
            "xn--bcher-kva.example."
        );
        assert_eq!(
            ShownName(&name(r"a\.b.example.")).to_string(),
            r"a\.b.example."
        );
        assert_eq!(ShownName(&Name::root()).to_string(), ".");
        let raw =
            Name::from_labels(vec![&b"a b"[..], &b"ex\x01"[..]]).unwrap_or_else(|_| Name::root());
        assert_eq!(ShownName(&raw).to_string(), r"a\032b.ex\001.");
    }
}
