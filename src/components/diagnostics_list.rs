//! Lists the dissector's findings about a message: severity, where, and what is wrong, in plain
//! words; clicking one selects its bytes.

use std::rc::Rc;

use dnslab_core::dissect::Span;
use dnslab_core::page::{explain_diagnostic, PageDiagnostic};
use yew::prelude::*;

/// Properties of [`DiagnosticsList`].
#[derive(Debug, Properties, PartialEq)]
pub struct DiagnosticsListProps {
    /// The findings, in byte order.
    pub diagnostics: Rc<Vec<PageDiagnostic>>,
    /// A finding was clicked: its bytes.
    pub on_pick: Callback<Span>,
    /// The list's accessible name (`Diagnostics`, `Response diagnostics`).
    #[prop_or(AttrValue::Static("Diagnostics"))]
    pub label: AttrValue,
}

/// The findings, or nothing when the message is clean.
#[function_component(DiagnosticsList)]
pub fn diagnostics_list(props: &DiagnosticsListProps) -> Html {
    if props.diagnostics.is_empty() {
        return html! {};
    }
    html! {
        <ul class="diagnostics" role="list" aria-label={props.label.clone()}>
            { for props.diagnostics.iter().map(|diagnostic| {
                let span = diagnostic.span;
                let onclick = {
                    let on_pick = props.on_pick.clone();
                    Callback::from(move |_: MouseEvent| on_pick.emit(span))
                };
                let onkeydown = {
                    let on_pick = props.on_pick.clone();
                    Callback::from(move |event: KeyboardEvent| {
                        if matches!(event.key().as_str(), "Enter" | " ") {
                            event.prevent_default();
                            on_pick.emit(span);
                        }
                    })
                };
                let word = match diagnostic.severity {
                    "error" => "Error",
                    "warning" => "Warning",
                    _ => "Note",
                };
                html! {
                    // Keyed by what it says, so another message's finding at the same position
                    // is a new element (its "Why" starts folded).
                    <li key={format!("{}+{} {}", span.offset, span.length, diagnostic.message)}
                        class={classes!("diagnostic", diagnostic.severity)}
                        data-start={span.offset.to_string()}
                        data-end={span.end().to_string()}
                        data-severity={diagnostic.severity}
                        tabindex="0" {onclick} {onkeydown}>
                        <span class="severity">{ word }</span>
                        { format!(" at {}: {}", diagnostic.place, diagnostic.message) }
                        { for explain_diagnostic(&diagnostic.message).map(|explanation| html! {
                            <details class="why" onclick={Callback::from(|event: MouseEvent| event.stop_propagation())}>
                                <summary>{ "Why does this matter?" }</summary>
                                <p>{ explanation.text }
                                    if let (Some(reference), Some(link)) = (&explanation.reference, &explanation.link) {
                                        { " " }<a href={link.clone()} target="_blank" rel="noopener">{ reference }</a>
                                    }
                                </p>
                            </details>
                        }) }
                    </li>
                }
            }) }
        </ul>
    }
}
