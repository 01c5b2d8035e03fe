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

/// One row's bytes, by value: a row whose bytes and marks did not change is not drawn again
/// when another part of the message changes (a key typed at the end redraws the last row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RowBytes {
    bytes: [u8; ROW_LENGTH],
    length: usize,
}

impl RowBytes {
    fn of(chunk: &[u8]) -> Self {
        let mut bytes = [0u8; ROW_LENGTH];
        let length = chunk.len().min(ROW_LENGTH);
        bytes[..length].copy_from_slice(&chunk[..length]);
        Self { bytes, length }
    }

    fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.length]
    }
}

/// Properties of [`HexRow`]: only what concerns this row, so hovering re-renders the rows
/// whose marks change and no others.
#[derive(Debug, Properties, PartialEq)]
struct HexRowProps {
    chunk: RowBytes,
    start: usize,
    highlight: Option<Span>,
    target: Option<Span>,
    dns: Option<Span>,
    marks: Vec<(Span, &'static str)>,
}

/// Every byte's two lower-case hex digits, so that a row is drawn without formatting them.
const HEX_PAIRS: [u8; 512] = {
    let digits = b"0123456789abcdef";
    let mut pairs = [0u8; 512];
    let mut byte = 0;
    while byte < 256 {
        pairs[2 * byte] = digits[byte >> 4];
        pairs[2 * byte + 1] = digits[byte & 15];
        byte += 1;
    }
    pairs
};

fn hex_pair(byte: u8) -> &'static str {
    let index = usize::from(byte) * 2;
    HEX_PAIRS
        .get(index..index + 2)
        .and_then(|pair| std::str::from_utf8(pair).ok())
        .unwrap_or("??")
}

/// One row of sixteen bytes.
#[function_component(HexRow)]
fn hex_row(props: &HexRowProps) -> Html {
    let chunk = props.chunk.as_slice();
    let start = props.start;
    // Most bytes carry no mark: their class is a constant, not a string built per byte.
    let class_of = |offset: usize| -> AttrValue {
        let highlighted = covers(props.highlight, offset);
        let target = covers(props.target, offset);
        let layer = !covers(props.dns, offset);
        let severity = props
            .marks
            .iter()
            .find(|(span, _)| covers(Some(*span), offset))
            .map(|(_, severity)| *severity);
        match (highlighted, target, layer, severity) {
            (false, false, false, None) => AttrValue::Static("byte"),
            (true, false, false, None) => AttrValue::Static("byte hl"),
            (false, false, true, None) => AttrValue::Static("byte layer"),
            _ => {
                let mut class = String::from("byte");
                for (on, name) in [(highlighted, " hl"), (target, " target"), (layer, " layer")] {
                    if on {
                        class.push_str(name);
                    }
                }
                if let Some(severity) = severity {
                    class.push_str(" diag-");
                    class.push_str(severity);
                }
                AttrValue::from(class)
            }
        }
    };
    html! {
        <div class="hex-row">
            <span class="hex-offset" aria-hidden="true">{ format!("{start:04x}") }</span>
            <span class="hex-bytes">
                { for chunk.iter().enumerate().map(|(index, byte)| {
                    let offset = start + index;
                    html! {
                        <span class={class_of(offset)} data-offset={offset.to_string()}>{ hex_pair(*byte) }</span>
                    }
                }) }
            </span>
            <span class="hex-ascii" aria-hidden="true">
                // One text run per stretch of bytes with the same marks, not one element
                // per byte: a 4 KB message is then 4,096 elements, not 8,192.
                { for ascii_runs(chunk, start, &class_of).into_iter().map(|(class, text)| html! {
                    <span {class}>{ text }</span>
                }) }
            </span>
        </div>
    }
}

/// The ASCII column of one row as runs of characters sharing their classes.
fn ascii_runs(
    chunk: &[u8],
    start: usize,
    class_of: &dyn Fn(usize) -> AttrValue,
) -> Vec<(AttrValue, String)> {
    let mut runs: Vec<(AttrValue, String)> = Vec::new();
    for (index, byte) in chunk.iter().enumerate() {
        let shown = if byte.is_ascii_graphic() || *byte == b' ' {
            char::from(*byte)
        } else {
            '.'
        };
        let class = class_of(start + index);
        match runs.last_mut() {
            Some((last, text)) if *last == class => text.push(shown),
            _ => runs.push((class, shown.to_string())),
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
            <HexRow key={start} chunk={RowBytes::of(props.bytes.get(start..end).unwrap_or_default())} {start}
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
