//! The packet-bytes pane: offset, sixteen bytes a row, ASCII; the highlighted field's bytes carry
//! `hl`, a hovered pointer's target carries `target`, diagnostics' bytes carry their severity.

use std::rc::Rc;

use dnslab_core::dissect::Span;
use dnslab_core::page::PageDiagnostic;
use yew::prelude::*;

/// Bytes a row, as in Wireshark's bytes pane.
const ROW_LENGTH: usize = 16;

/// Properties of [`HexPane`].
#[derive(Debug, Properties, PartialEq)]
pub struct HexPaneProps {
    /// The bytes shown.
    pub bytes: Rc<Vec<u8>>,
    /// The bytes of the hovered or selected field.
    pub highlight: Option<Span>,
    /// The bytes a hovered compression pointer leads to.
    pub target: Option<Span>,
    /// Where the DNS message lies (bytes outside it are the lower layers).
    pub dns: Span,
    /// Diagnostics, marked on their bytes.
    pub diagnostics: Rc<Vec<PageDiagnostic>>,
    /// The pane's accessible name (`Bytes`, `Response bytes`).
    #[prop_or(AttrValue::Static("Bytes"))]
    pub label: AttrValue,
    /// A byte was clicked.
    pub on_byte: Callback<usize>,
}

/// Properties of [`HexRow`]: only what concerns this row, so hovering re-renders the rows
/// whose marks change and no others.
#[derive(Debug, Properties, PartialEq)]
struct HexRowProps {
    bytes: Rc<Vec<u8>>,
    start: usize,
    end: usize,
    highlight: Option<Span>,
    target: Option<Span>,
    dns: Option<Span>,
    marks: Vec<(Span, &'static str)>,
}

/// One row of sixteen bytes.
#[function_component(HexRow)]
fn hex_row(props: &HexRowProps) -> Html {
    let chunk = props.bytes.get(props.start..props.end).unwrap_or_default();
    let start = props.start;
    let class_of = |offset: usize| {
        classes!(
            "byte",
            covers(props.highlight, offset).then_some("hl"),
            covers(props.target, offset).then_some("target"),
            (!covers(props.dns, offset)).then_some("layer"),
            props
                .marks
                .iter()
                .find(|(span, _)| covers(Some(*span), offset))
                .map(|(_, severity)| format!("diag-{severity}")),
        )
    };
    html! {
        <div class="hex-row">
            <span class="hex-offset" aria-hidden="true">{ format!("{start:04x}") }</span>
            <span class="hex-bytes">
                { for chunk.iter().enumerate().map(|(index, byte)| {
                    let offset = start + index;
                    html! {
                        <span class={class_of(offset)} data-offset={offset.to_string()}>{ format!("{byte:02x}") }</span>
                    }
                }) }
            </span>
            <span class="hex-ascii" aria-hidden="true">
                // One text run per stretch of bytes with the same marks, not one element
                // per byte: a 4 KB message is then 4,096 elements, not 8,192.
                { for ascii_runs(chunk, start, &class_of).into_iter().map(|(classes, text)| html! {
                    <span class={classes}>{ text }</span>
                }) }
            </span>
        </div>
    }
}

/// The ASCII column of one row as runs of characters sharing their classes.
fn ascii_runs(
    chunk: &[u8],
    start: usize,
    class_of: &dyn Fn(usize) -> Classes,
) -> Vec<(Classes, String)> {
    let mut runs: Vec<(Classes, String)> = Vec::new();
    for (index, byte) in chunk.iter().enumerate() {
        let shown = if byte.is_ascii_graphic() || *byte == b' ' {
            char::from(*byte)
        } else {
            '.'
        };
        let classes = class_of(start + index);
        match runs.last_mut() {
            Some((last, text)) if *last == classes => text.push(shown),
            _ => runs.push((classes, shown.to_string())),
        }
    }
    runs
}

fn covers(span: Option<Span>, offset: usize) -> bool {
    span.is_some_and(|span| span.offset <= offset && offset < span.end())
}

/// The hex pane.
#[function_component(HexPane)]
pub fn hex_pane(props: &HexPaneProps) -> Html {
    let onclick = {
        let on_byte = props.on_byte.clone();
        Callback::from(move |event: MouseEvent| {
            let offset = event
                .target_dyn_into::<web_sys::Element>()
                .and_then(|element| element.closest("[data-offset]").ok().flatten())
                .and_then(|element| element.get_attribute("data-offset"))
                .and_then(|text| text.parse::<usize>().ok());
            if let Some(offset) = offset {
                on_byte.emit(offset);
            }
        })
    };
    let clip = |span: Option<Span>, start: usize| {
        span.and_then(|span| {
            let from = span.offset.max(start);
            let to = span.end().min(start + ROW_LENGTH);
            (from < to).then(|| Span::new(from, to - from))
        })
    };
    let rows = (0..props.bytes.len().div_ceil(ROW_LENGTH)).map(|row| {
        let start = row * ROW_LENGTH;
        let end = (start + ROW_LENGTH).min(props.bytes.len());
        let marks: Vec<(Span, &'static str)> = props
            .diagnostics
            .iter()
            .filter_map(|diagnostic| {
                let span = diagnostic.span;
                let wide = Span::new(span.offset, span.length.max(1));
                clip(Some(wide), start).map(|span| (span, diagnostic.severity))
            })
            .collect();
        html! {
            <HexRow key={start} bytes={props.bytes.clone()} {start} {end}
                highlight={clip(props.highlight, start)} target={clip(props.target, start)}
                dns={clip(Some(props.dns), start)} {marks} />
        }
    });
    html! {
        <div class="hex-pane" role="group" aria-label={props.label.clone()} {onclick}>
            { for rows }
        </div>
    }
}
