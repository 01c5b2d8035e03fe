//! The packet list of a capture (or of a paste holding several messages), Wireshark's top pane:
//! No., Time, Source, Destination, Protocol, Length, Info; a filter box; arrow keys move the
//! selection; only the rows in view are rendered, so 100,000 packets scroll smoothly.

use std::rc::Rc;

use dnslab_core::page::MessageList;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Height of one row in pixels (the CSS gives rows this height).
const ROW_HEIGHT: f64 = 22.0;
/// Height of the list's viewport in pixels.
const VIEW_HEIGHT: f64 = 264.0;
/// Rows rendered beyond the viewport on each side.
const OVERSCAN: usize = 10;

/// Properties of [`PacketList`].
#[derive(Debug, Properties, PartialEq)]
pub struct PacketListProps {
    /// Every row.
    pub rows: Rc<MessageList>,
    /// The selected row's index.
    pub selected: usize,
    /// Frames without DNS (counted, not listed).
    pub frames_without_dns: usize,
    /// A row was chosen.
    pub on_pick: Callback<usize>,
}

/// The packet list.
#[function_component(PacketList)]
pub fn packet_list(props: &PacketListProps) -> Html {
    let filter = use_state(String::new);
    let scroll_top = use_state(|| 0.0_f64);
    let viewport = use_node_ref();
    let shown: Rc<Vec<usize>> = {
        let rows = props.rows.clone();
        let filter = (*filter).clone();
        (*use_memo((rows, filter), |(rows, filter)| {
            Rc::new(
                rows.rows()
                    .iter()
                    .filter(|row| row.matches(filter))
                    .map(|row| row.index)
                    .collect::<Vec<usize>>(),
            )
        }))
        .clone()
    };
    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            filter.set(input.value());
        })
    };
    let on_scroll = {
        let scroll_top = scroll_top.clone();
        let viewport = viewport.clone();
        Callback::from(move |_: Event| {
            if let Some(element) = viewport.cast::<web_sys::Element>() {
                scroll_top.set(f64::from(element.scroll_top()));
            }
        })
    };
    let on_key = {
        let shown = shown.clone();
        let selected = props.selected;
        let on_pick = props.on_pick.clone();
        let viewport = viewport.clone();
        Callback::from(move |event: KeyboardEvent| {
            let position = shown.iter().position(|index| *index == selected);
            let next = match (event.key().as_str(), position) {
                ("ArrowDown", Some(position)) => shown.get(position + 1),
                ("ArrowUp", Some(position)) => position.checked_sub(1).and_then(|p| shown.get(p)),
                ("ArrowDown" | "ArrowUp" | "Home", None) | ("Home", _) => shown.first(),
                ("End", _) => shown.last(),
                _ => return,
            };
            event.prevent_default();
            if let Some(next) = next.copied() {
                on_pick.emit(next);
                // Keep the new row in view.
                if let (Some(element), Some(row)) = (
                    viewport.cast::<web_sys::Element>(),
                    shown.iter().position(|index| *index == next),
                ) {
                    let top = row as f64 * ROW_HEIGHT;
                    let current = f64::from(element.scroll_top());
                    if top < current {
                        element.set_scroll_top(top as i32);
                    } else if top + ROW_HEIGHT * 2.0 > current + VIEW_HEIGHT {
                        element.set_scroll_top((top + ROW_HEIGHT * 2.0 - VIEW_HEIGHT) as i32);
                    }
                }
            }
        })
    };
    let first = ((*scroll_top / ROW_HEIGHT) as usize).saturating_sub(OVERSCAN);
    let count = (VIEW_HEIGHT / ROW_HEIGHT) as usize + 2 * OVERSCAN;
    let last = (first + count).min(shown.len());
    let first = first.min(last);
    let top_space = first as f64 * ROW_HEIGHT;
    let bottom_space = (shown.len() - last) as f64 * ROW_HEIGHT;
    let rows = shown[first..last].iter().filter_map(|index| props.rows.get(*index)).map(|row| {
        let index = row.index;
        let is_selected = index == props.selected;
        let onclick = {
            let on_pick = props.on_pick.clone();
            Callback::from(move |_: MouseEvent| on_pick.emit(index))
        };
        let number = row.frame.unwrap_or(index + 1);
        let pair = row.pair.and_then(|pair| props.rows.get(pair)).map(|other| {
            let other_number = other.frame.unwrap_or(other.index + 1);
            let on_pick = props.on_pick.clone();
            let target = other.index;
            let onclick = Callback::from(move |event: MouseEvent| {
                event.stop_propagation();
                on_pick.emit(target);
            });
            let words = if row.is_response {
                format!("answers {other_number}")
            } else {
                format!("answered in {other_number}")
            };
            html! { <a href="javascript:void(0)" class="pair" {onclick}>{ words }</a> }
        });
        html! {
            <tr data-packet={number.to_string()} aria-selected={if is_selected { "true" } else { "false" }}
                class={classes!(is_selected.then_some("selected"), row.is_response.then_some("response"))} {onclick}>
                <td class="num">{ number }</td>
                <td class="num">{ row.time().unwrap_or_default() }</td>
                <td>{ row.source() }</td>
                <td>{ row.destination() }</td>
                <td>{ row.protocol }</td>
                <td class="num">{ row.length }</td>
                <td class="info">
                    { props.rows.info(index) }
                    if let Some(time) = row.response_time() { <span class="rtt">{ format!(" [{time}]") }</span> }
                    { " " }{ for pair }
                </td>
            </tr>
        }
    });
    html! {
        <div class="packets">
            <div class="packet-tools">
                <label>{ "Filter " }
                    <input type="search" class="filter" aria-label="Filter" value={(*filter).clone()}
                        placeholder="name, type, rcode, id=0x…, query, response" oninput={on_filter} />
                </label>
                <span class="hint">
                    { format!("{} of {} DNS messages", shown.len(), props.rows.len()) }
                    if props.frames_without_dns > 0 { { format!("; {} frames without DNS", props.frames_without_dns) } }
                </span>
            </div>
            <div class="packet-list" ref={viewport} onscroll={on_scroll} tabindex="0" onkeydown={on_key}
                 style={format!("height: {VIEW_HEIGHT}px")}>
                <table aria-label="Packets">
                    <thead><tr>
                        <th>{ "No." }</th><th>{ "Time" }</th><th>{ "Source" }</th><th>{ "Destination" }</th>
                        <th>{ "Protocol" }</th><th>{ "Length" }</th><th>{ "Info" }</th>
                    </tr></thead>
                    <tbody>
                        <tr class="spacer" aria-hidden="true" style={format!("height: {top_space}px")}></tr>
                        { for rows }
                        <tr class="spacer" aria-hidden="true" style={format!("height: {bottom_space}px")}></tr>
                    </tbody>
                </table>
            </div>
        </div>
    }
}
