//! The zone editor's gutter: one numbered row per line of the text beside it, errors and
//! warnings marked at their lines.
//!
//! A component of its own so that it renders again only when what it shows changes (the line
//! count or the marked lines): a key press inside a line of a 1,000-line zone leaves its 1,000
//! rows alone instead of building and diffing them all again.

use std::collections::BTreeSet;

use yew::prelude::*;

/// Properties of [`ZoneGutter`].
#[derive(Debug, Properties, PartialEq)]
pub struct ZoneGutterProps {
    /// How many rows to number (at least 1).
    pub line_count: usize,
    /// The 1-based lines with an error.
    pub error_lines: BTreeSet<usize>,
    /// The 1-based lines with a warning.
    pub warning_lines: BTreeSet<usize>,
}

/// The gutter. It is hidden from assistive technologies: the errors are listed in words under
/// the editor.
#[function_component(ZoneGutter)]
pub fn zone_gutter(props: &ZoneGutterProps) -> Html {
    // Literal class names, not `classes!`: a literal is a static attribute, compared as it is,
    // while `classes!` builds and hashes a set for each of the 1,000 rows on every render.
    let row = |line: usize| match (
        props.error_lines.contains(&line),
        props.warning_lines.contains(&line),
    ) {
        (false, false) => html! { <div>{ line }</div> },
        (true, false) => html! { <div class="error">{ line }</div> },
        (false, true) => html! { <div class="warning">{ line }</div> },
        (true, true) => html! { <div class="error warning">{ line }</div> },
    };
    html! {
        <div class="gutter" aria-hidden="true">
            { for (1..=props.line_count.max(1)).map(row) }
        </div>
    }
}
