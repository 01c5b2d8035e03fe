//! Helpers to read the real captures and pastes copied from `shared/captures` into `tests/data`.

use std::path::PathBuf;

/// The folder holding the copied captures.
pub fn captures_dir() -> PathBuf {
    crate::manifest_dir().join("tests/data/captures")
}

#[test]
fn the_copied_captures_are_present() {
    let pastes = captures_dir().join("paste-example-com");
    let count = std::fs::read_dir(&pastes)
        .map(|entries| entries.count())
        .unwrap_or(0);
    assert!(
        count > 100,
        "expected the paste files in {}",
        pastes.display()
    );
}
