//! Lists the dissector's findings about a message: severity, byte offset and plain-language text.

use dnslab_core::dissect::{Diagnostic, Severity};
use yew::prelude::*;

/// Properties of [`DiagnosticsList`].
#[derive(Debug, Properties, PartialEq)]
pub struct DiagnosticsListProps {
    /// The findings, in byte order.
    pub diagnostics: Vec<Diagnostic>,
}

/// The findings, or nothing when the message is clean.
#[function_component(DiagnosticsList)]
pub fn diagnostics_list(props: &DiagnosticsListProps) -> Html {
    if props.diagnostics.is_empty() {
        return html! {};
    }
    html! {
        <ul class="diagnostics" aria-label="diagnostics">
            { for props.diagnostics.iter().map(|diagnostic| {
                let (class, word) = match diagnostic.severity {
                    Severity::Error => ("error", "Error"),
                    Severity::Warning => ("warning", "Warning"),
                    Severity::Info => ("info", "Note"),
                };
                html! {
                    <li class={classes!("diagnostic", class)}>
                        <span class="severity">{ word }</span>
                        { format!(" at byte {}: {}", diagnostic.offset, diagnostic.message) }
                    </li>
                }
            }) }
        </ul>
    }
}
