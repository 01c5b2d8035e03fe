//! The Decode workbench: paste or open a capture, see the detected input, pick a message, read
//! its diagnostics, field tree and bytes side by side, or its dig text and RFC 8427 JSON.

use std::rc::Rc;

use dnslab_core::page::{
    copy_texts, decode_fragment, format_names, CopyTexts, PageDecode, PageDecodeJob, PageOptions,
};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::browser::{copy_to_clipboard, fragment, next_task, now_ms, replace_fragment};
use crate::components::message_inspector::MessageInspector;
use crate::components::packet_list::PacketList;
use crate::components::samples::SAMPLES;
use crate::state::{Action, LoadTicket, PageState, TextView};

/// Properties of [`DecodeTab`].
#[derive(Debug, Properties, PartialEq)]
pub struct DecodeTabProps {
    /// The page's store.
    pub state: UseReducerHandle<PageState>,
}

/// The Decode tab.
#[function_component(DecodeTab)]
pub fn decode_tab(props: &DecodeTabProps) -> Html {
    let state = props.state.clone();
    let on_input = {
        let state = state.clone();
        Callback::from(move |event: InputEvent| {
            let area: HtmlTextAreaElement = event.target_unchecked_into();
            state.dispatch(Action::Paste(area.value()));
        })
    };
    // The address bar follows what is decoded.
    {
        let bytes = match &state.decoded {
            Some(Ok(decoded)) => Some(decoded.selected.bytes.clone()),
            _ => None,
        };
        let empty = state.paste.trim().is_empty();
        use_effect_with(bytes, move |bytes| match bytes {
            Some(bytes) => replace_fragment(&decode_fragment(bytes)),
            // An address without a fragment already opens an empty Decode: leave it (a
            // replaceState costs milliseconds of the first render).
            None if empty && !fragment().is_empty() => replace_fragment("decode"),
            None => {}
        });
    }
    let on_file = {
        let state = state.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                read_file(file, state.clone());
            }
        })
    };
    let on_drop = {
        let state = state.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            if let Some(file) = event
                .data_transfer()
                .and_then(|transfer| transfer.files())
                .and_then(|files| files.get(0))
            {
                read_file(file, state.clone());
            }
        })
    };
    let on_drag_over = Callback::from(|event: DragEvent| event.prevent_default());
    let on_offset = {
        let state = state.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let offset = input.value().trim().parse().ok();
            apply_override(
                &state,
                offset,
                state.forced_format.clone(),
                Action::ForceOffset(offset),
            );
        })
    };
    let on_format = {
        let state = state.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            let value = select.value();
            let format = (!value.is_empty()).then_some(value);
            apply_override(
                &state,
                state.forced_offset,
                format.clone(),
                Action::ForceFormat(format),
            );
        })
    };
    let samples = SAMPLES.iter().map(|(title, hex)| {
        let state = state.clone();
        let onclick =
            Callback::from(move |_: MouseEvent| state.dispatch(Action::Paste((*hex).to_owned())));
        html! { <button type="button" class="sample" {onclick}>{ *title }</button> }
    });
    html! {
        <section class="decode" ondrop={on_drop} ondragover={on_drag_over}>
            <div class="input-row">
                <label class="paste-label" for="paste">{ "Paste" }</label>
                <textarea id="paste" class="paste" spellcheck="false"
                    placeholder="Hex from Wireshark (Copy → as Hex Stream, Hex Dump, C Array…), tcpdump -xx, tshark -x, xxd, od, base64…"
                    value={state.paste.clone()} oninput={on_input} />
                <div class="input-tools">
                    <label class="file-button">{ "Open capture" }
                        <input type="file" accept=".pcap,.pcapng,.cap,application/vnd.tcpdump.pcap" onchange={on_file} />
                    </label>
                    <label>{ "Format " }
                        <select onchange={on_format} aria-label="Format">
                            <option value="" selected={state.forced_format.is_none()}>{ "detect" }</option>
                            { for format_names().into_iter().map(|name| html! {
                                <option value={name} selected={state.forced_format.as_deref() == Some(name)}>{ name }</option>
                            }) }
                        </select>
                    </label>
                    <label>{ "DNS starts at byte " }
                        <input type="number" min="0" class="offset" aria-label="Start offset" placeholder="auto"
                            value={state.forced_offset.map(|offset| offset.to_string()).unwrap_or_default()}
                            onchange={on_offset} />
                    </label>
                </div>
                <div class="samples" aria-label="Samples">{ "Try: " }{ for samples }</div>
            </div>
            { decoded_view(&state) }
        </section>
    }
}

/// Reads a dropped or opened file and decodes it.
fn read_file(file: web_sys::File, state: UseReducerHandle<PageState>) {
    wasm_bindgen_futures::spawn_local(async move {
        let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await;
        match buffer {
            Ok(buffer) => {
                let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                let options = PageOptions {
                    forced_offset: state.forced_offset,
                    forced_format: state.forced_format.clone(),
                    message_index: 0,
                };
                load_file(&state, (file.name(), Rc::new(bytes)), options);
            }
            Err(_) => state.dispatch(Action::Notice(Some(format!(
                "The browser could not read {}.",
                file.name()
            )))),
        }
    });
}

/// A new start offset or format: a capture file is read again in steps with both overrides, a
/// paste is decoded again at once by `for_paste`.
fn apply_override(
    state: &UseReducerHandle<PageState>,
    forced_offset: Option<usize>,
    forced_format: Option<String>,
    for_paste: Action,
) {
    match &state.file {
        Some(file) => load_file(
            state,
            file.clone(),
            PageOptions {
                forced_offset,
                forced_format,
                message_index: 0,
            },
        ),
        None => state.dispatch(for_paste),
    }
}

/// How long one step of reading a capture may take: the page answers input and paints its
/// progress between steps.
const LOAD_STEP_MS: f64 = 30.0;

/// The first step's size, in frames (or rows): a few milliseconds' work, and all of a small
/// capture, which then shows no progress at all.
const FIRST_STEP_UNITS: usize = 4096;

/// Reads a capture file in steps ([`PageDecodeJob`]), yielding to the browser between them and
/// showing the progress; a file read in the first step shows no progress at all.
fn load_file(
    state: &UseReducerHandle<PageState>,
    file: (String, Rc<Vec<u8>>),
    options: PageOptions,
) {
    let ticket = LoadTicket::default();
    let job = PageDecodeJob::new(&file.1, &options);
    state.dispatch(Action::StartLoad {
        file,
        options,
        ticket: ticket.clone(),
    });
    let mut job = match job {
        Ok(job) => job,
        Err(error) => {
            state.dispatch(Action::Loaded(ticket, Err(error.to_string())));
            return;
        }
    };
    let state = state.clone();
    wasm_bindgen_futures::spawn_local(async move {
        // Frames (then rows) per step, adjusted to the pace of the last step; a new stage (rows
        // cost differently from frames) starts again from the first size.
        let mut units = FIRST_STEP_UNITS;
        loop {
            if ticket.cancelled() {
                return;
            }
            let before = job.progress();
            let started = now_ms();
            if job.step(units) {
                break;
            }
            let spent = now_ms() - started;
            let after = job.progress();
            units = if after.message_count.is_some() != before.message_count.is_some() {
                FIRST_STEP_UNITS
            } else {
                let done = (after.frames_done + after.rows_done)
                    .saturating_sub(before.frames_done + before.rows_done);
                next_step_units(done.max(1), spent)
            };
            state.dispatch(Action::LoadProgress(ticket.clone(), after));
            next_task().await;
        }
        let result = job.finish().map(Rc::new).map_err(|error| error.to_string());
        state.dispatch(Action::Loaded(ticket, result));
    });
}

/// The size of the next step: about [`LOAD_STEP_MS`] at the pace of the last one, which did
/// `units`, and at most four times it (a step that was fast by chance must not make the next one
/// long).
fn next_step_units(units: usize, spent_ms: f64) -> usize {
    let pace = if spent_ms > 0.5 {
        (units as f64 * LOAD_STEP_MS / spent_ms) as usize
    } else {
        units.saturating_mul(4)
    };
    pace.clamp(256, units.saturating_mul(4))
}

fn decoded_view(state: &UseReducerHandle<PageState>) -> Html {
    if let Some(loading) = &state.loading {
        let name = state.file.as_ref().map_or("", |(name, _)| name.as_str());
        let progress = loading.progress;
        let fraction = progress.map_or(0.0, |progress| progress.fraction());
        let words = progress.map_or_else(|| "Opening".to_owned(), |progress| progress.describe());
        return html! {
            <div class="loading" role="status" data-testid="load-progress">
                <span>{ format!("{name}: {words}") }</span>
                <progress max="1" value={fraction.to_string()} aria-label={format!("Reading {name}")} />
            </div>
        };
    }
    match &state.decoded {
        None => html! {
            <p class="hint">{ "Paste a DNS message above, open a capture file, or try a sample. Everything runs in your browser." }</p>
        },
        Some(Err(error)) => html! {
            <p class="decode-error" role="alert">{ format!("No DNS message found: {error}") }</p>
        },
        Some(Ok(decoded)) => message_panes(state, decoded),
    }
}

fn message_panes(state: &UseReducerHandle<PageState>, decoded: &Rc<PageDecode>) -> Html {
    let view = &decoded.selected;
    let view_button = |text_view: TextView, name: &'static str| {
        let active = state.view == text_view;
        let state = state.clone();
        let onclick = Callback::from(move |_: MouseEvent| state.dispatch(Action::View(text_view)));
        html! {
            <button type="button" class={classes!("view-button", active.then_some("active"))}
                aria-pressed={if active { "true" } else { "false" }} {onclick}>{ name }</button>
        }
    };
    // The copy texts are made on click, not on every render.
    let copy_button = |name: &'static str, pick: fn(CopyTexts) -> String| {
        let bytes = view.bytes.clone();
        let onclick =
            Callback::from(move |_: MouseEvent| copy_to_clipboard(&pick(copy_texts(&bytes))));
        html! { <button type="button" class="copy" {onclick}>{ name }</button> }
    };
    let link = {
        let fragment = decode_fragment(&view.bytes);
        let onclick = Callback::from(move |_: MouseEvent| {
            let base = web_sys::window()
                .and_then(|window| window.location().href().ok())
                .map(|href| href.split('#').next().unwrap_or_default().to_owned())
                .unwrap_or_default();
            copy_to_clipboard(&format!("{base}#{fragment}"));
        });
        html! { <button type="button" class="copy" {onclick}>{ "Copy link" }</button> }
    };
    let text = match state.view {
        TextView::Tree => None,
        TextView::Dig => Some(AttrValue::from(decoded.selected_dig())),
        TextView::Json => Some(AttrValue::from(decoded.selected_json())),
    };
    let picker = (decoded.messages.len() > 1).then(|| {
        let state = state.clone();
        let on_pick = Callback::from(move |index| state.dispatch(Action::PickMessage(index)));
        html! {
            <PacketList rows={decoded.messages.clone()} selected={decoded.selected_index}
                frames_without_dns={decoded.frames_without_dns} {on_pick} />
        }
    });
    html! {
        <>
            <p class="input-origin" data-testid="input-origin">{ &view.origin }</p>
            if !decoded.alternative_formats.is_empty() {
                <p class="alternatives">{ "Also reads as: " }
                    { for decoded.alternative_formats.iter().map(|name| {
                        let state = state.clone();
                        let format = name.clone();
                        let onclick = Callback::from(move |_: MouseEvent| state.dispatch(Action::ForceFormat(Some(format.clone()))));
                        html! { <button type="button" class="alternative" {onclick}>{ name }</button> }
                    }) }
                </p>
            }
            { for decoded.notes.iter().map(|note| html! { <p class="note">{ note }</p> }) }
            { for picker }
            <div class="view-bar" role="group" aria-label="View">
                { view_button(TextView::Tree, "Tree") }
                { view_button(TextView::Dig, "dig") }
                { view_button(TextView::Json, "JSON") }
                <span class="spacer" />
                { copy_button("Copy hex", |copies| copies.hex_stream) }
                { copy_button("Copy C array", |copies| copies.c_array) }
                { copy_button("Copy base64", |copies| copies.base64) }
                { link }
            </div>
            <MessageInspector view={view.clone()} text={text} />
        </>
    }
}
