//! The Zones tab: every zone of the simulated internet in master-file syntax, editable, its
//! errors marked at their lines as you type and listed under the editor; valid edits apply at
//! once to Build's built-in answers and to Resolve. Add, delegate, delete, reset, export and
//! import.

use std::collections::BTreeSet;

use dnslab_core::page::zones::{import_origin, ZoneProblem};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::browser::{download_text, replace_fragment};
use crate::components::zone_gutter::ZoneGutter;
use crate::state::zones::{ZoneEntry, ZonesAction, ZonesState};
use crate::state::{Action, PageState};

/// Properties of [`ZonesTab`].
#[derive(Debug, Properties, PartialEq)]
pub struct ZonesTabProps {
    /// The page's store.
    pub state: UseReducerHandle<PageState>,
}

/// The Zones tab.
#[function_component(ZonesTab)]
pub fn zones_tab(props: &ZonesTabProps) -> Html {
    let state = props.state.clone();
    let zones = &state.zones;
    let dispatch = {
        let state = state.clone();
        Callback::from(move |action: ZonesAction| state.dispatch(Action::Zones(action)))
    };
    // The address bar names the zone open last (or just the tab).
    {
        let first_open = zones.open.iter().next().cloned();
        use_effect_with(first_open, |open| match open {
            Some(origin) => replace_fragment(&format!("zones={origin}")),
            None => replace_fragment("zones"),
        });
    }
    let on_new_origin = {
        let dispatch = dispatch.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            dispatch.emit(ZonesAction::NewOrigin(input.value()));
        })
    };
    let on_add = {
        let dispatch = dispatch.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            dispatch.emit(ZonesAction::Add);
        })
    };
    let on_reset = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(ZonesAction::Reset))
    };
    let on_export_all = {
        let edits = zones.edits();
        Callback::from(move |_: MouseEvent| {
            let text: String = edits
                .iter()
                .map(|(origin, text)| format!("; zone {origin}\n{}\n", text.trim_end()))
                .collect();
            download_text("dnslab-zones.txt", &text);
        })
    };
    let on_import = {
        let dispatch = dispatch.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                import_file(file, dispatch.clone());
            }
        })
    };
    let edited_count = zones.zones.iter().filter(|zone| zone.edited).count();
    html! {
        <section class="zones">
            <p class="hint">{ "These are the zones the built-in servers answer from. Edit any of them: once a zone is valid, Build's built-in answers and Resolve use it at once. Edits stay in this browser." }</p>
            if let Some((raw, reason)) = &zones.unreadable {
                { unreadable_view(raw, reason, &dispatch) }
            }
            <div class="zone-tools">
                <form class="add-zone" onsubmit={on_add}>
                    <label for="new-zone">{ "New zone" }</label>
                    <input id="new-zone" type="text" spellcheck="false" placeholder="corp.test." value={zones.new_origin.clone()} oninput={on_new_origin} />
                    <button type="submit">{ "Add zone" }</button>
                </form>
                <label class="file-button">{ "Import zone file" }
                    <input type="file" accept=".zone,.db,.txt,text/plain" onchange={on_import} />
                </label>
                <button type="button" onclick={on_export_all} disabled={edited_count == 0}>{ "Export edited zones" }</button>
                <button type="button" onclick={on_reset} disabled={edited_count == 0}>{ "Reset to defaults" }</button>
                <span class="note">{ format!("{} zones, {edited_count} edited", zones.zones.len()) }</span>
            </div>
            if let Some(problem) = &zones.problem {
                <p class="decode-error" role="alert">{ problem }</p>
            }
            if let Some((parent, records)) = &zones.offer {
                { offer_view(parent, records, &dispatch) }
            }
            <div class="zone-list">
                { for zones.zones.iter().map(|zone| zone_view(zones, zone, &dispatch)) }
            </div>
        </section>
    }
}

fn unreadable_view(raw: &str, reason: &str, dispatch: &Callback<ZonesAction>) -> Html {
    let discard = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(ZonesAction::DiscardUnreadable))
    };
    html! {
        <div class="notice unreadable" role="alert">
            <p>{ format!("The zone edits stored in this browser could not be read ({reason}). They are kept as they were; copy what you need from below.") }</p>
            <textarea readonly=true aria-label="Stored zone edits" value={raw.to_owned()} />
            <button type="button" onclick={discard}>{ "Hide" }</button>
        </div>
    }
}

fn offer_view(parent: &str, records: &str, dispatch: &Callback<ZonesAction>) -> Html {
    let accept = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(ZonesAction::AcceptOffer))
    };
    let dismiss = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(ZonesAction::DismissOffer))
    };
    html! {
        <div class="offer" role="region" aria-label="Delegation">
            <p>{ format!("The simulated internet delegates the new zone from {parent} by itself. Add these records to {parent} too, so its file shows the delegation:") }</p>
            <pre>{ records }</pre>
            <button type="button" class="primary" onclick={accept}>{ format!("Add to {parent}") }</button>
            <button type="button" onclick={dismiss}>{ "No thanks" }</button>
        </div>
    }
}

fn zone_view(zones: &ZonesState, zone: &ZoneEntry, dispatch: &Callback<ZonesAction>) -> Html {
    let origin = zone.origin.clone();
    let is_open = zones.open.contains(&origin);
    let ontoggle = {
        let dispatch = dispatch.clone();
        let origin = origin.clone();
        Callback::from(move |event: Event| {
            let details: web_sys::HtmlDetailsElement = event.target_unchecked_into();
            if details.open() != is_open {
                dispatch.emit(ZonesAction::SetOpen(origin.clone(), details.open()));
            }
        })
    };
    let errors = &zone.check.errors;
    let status = if !errors.is_empty() {
        format!(
            "{} error{} — not applied",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        )
    } else if zone.edited {
        "edited, applied".to_owned()
    } else {
        "built in".to_owned()
    };
    let servers = match zone.servers.as_slice() {
        [] => "served by its NS records' servers".to_owned(),
        [first, second, third, fourth, rest @ ..] if !rest.is_empty() => format!(
            "served by {first}, {second}, {third}, {fourth} and {} more",
            rest.len()
        ),
        all => format!("served by {}", all.join(", ")),
    };
    html! {
        <details class={classes!("zone", (!errors.is_empty()).then_some("has-errors"), zone.edited.then_some("edited"))}
            open={is_open} {ontoggle} data-origin={origin.clone()}>
            <summary>
                <span class="origin">{ &origin }</span>
                <span class="zone-status">{ status }</span>
                <span class="servers">{ servers }</span>
            </summary>
            if is_open {
                { editor(zone, dispatch) }
            }
        </details>
    }
}

fn editor(zone: &ZoneEntry, dispatch: &Callback<ZonesAction>) -> Html {
    let origin = zone.origin.clone();
    let oninput = {
        let dispatch = dispatch.clone();
        let origin = origin.clone();
        Callback::from(move |event: InputEvent| {
            let area: HtmlTextAreaElement = event.target_unchecked_into();
            dispatch.emit(ZonesAction::Edit(origin.clone(), area.value()));
        })
    };
    // The gutter is the textarea's previous sibling (see the markup below); it is found there
    // rather than through a node ref, which would be a new one each render and so make the
    // gutter render again on every key press.
    let onscroll = Callback::from(|event: Event| {
        let area: HtmlTextAreaElement = event.target_unchecked_into();
        if let Some(gutter) = area.previous_element_sibling() {
            gutter.set_scroll_top(area.scroll_top());
        }
    });
    let remove = {
        let dispatch = dispatch.clone();
        let origin = origin.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(ZonesAction::Remove(origin.clone())))
    };
    let export = {
        let origin = origin.clone();
        let text = zone.text.clone();
        Callback::from(move |_: MouseEvent| {
            let file = if origin == "." {
                "root.zone".to_owned()
            } else {
                format!("{origin}zone")
            };
            download_text(&file, &text);
        })
    };
    let line_count = zone.text.lines().count().max(1) + usize::from(zone.text.ends_with('\n'));
    let marked_lines = |problems: &[ZoneProblem]| -> BTreeSet<usize> {
        problems.iter().map(|problem| problem.line).collect()
    };
    let label = format!("Zone file {origin}");
    let error_id = format!("zone-errors-{origin}");
    html! {
        <div class="zone-editor">
            <div class="editor">
                <ZoneGutter {line_count} error_lines={marked_lines(&zone.check.errors)}
                    warning_lines={marked_lines(&zone.check.warnings)} />
                <textarea class="zone-text" spellcheck="false" aria-label={label}
                    aria-invalid={(!zone.check.errors.is_empty()).then_some("true")}
                    aria-describedby={(!zone.check.errors.is_empty()).then_some(error_id.clone())}
                    value={zone.text.clone()} {oninput} {onscroll} wrap="off" />
            </div>
            if !zone.check.errors.is_empty() {
                <ul class="zone-errors" role="list" aria-label="Zone errors" id={error_id}>
                    { for zone.check.errors.iter().map(|problem| html! {
                        <li data-line={problem.line.to_string()} data-column={problem.column.to_string()}>
                            <span class="place">{ place(problem.line, problem.column) }</span>{ " " }{ &problem.message }
                        </li>
                    }) }
                </ul>
            }
            if !zone.check.warnings.is_empty() {
                <ul class="zone-warnings" role="list" aria-label="Zone warnings">
                    { for zone.check.warnings.iter().map(|problem| html! {
                        <li data-line={problem.line.to_string()} data-column={problem.column.to_string()}>
                            <span class="place">{ place(problem.line, problem.column) }</span>{ " " }{ &problem.message }
                        </li>
                    }) }
                </ul>
            }
            <div class="view-bar">
                if zone.check.errors.is_empty() {
                    <span class="note">{ format!("{} records", zone.check.records) }</span>
                }
                <button type="button" class="copy" onclick={export}>{ "Export" }</button>
                if zone.builtin && zone.edited {
                    <button type="button" class="copy" onclick={remove}>{ "Undo my edits" }</button>
                } else if !zone.builtin {
                    <button type="button" class="copy" onclick={remove}>{ "Delete zone" }</button>
                }
            </div>
        </div>
    }
}

/// `line 3, column 7` (a problem of the whole zone has line 0).
fn place(line: usize, column: usize) -> String {
    match (line, column) {
        (0, _) => "zone:".to_owned(),
        (line, 0) => format!("line {line}:"),
        (line, column) => format!("line {line}, column {column}:"),
    }
}

/// Reads an imported zone file and adds it under the origin it names.
fn import_file(file: web_sys::File, dispatch: Callback<ZonesAction>) {
    wasm_bindgen_futures::spawn_local(async move {
        let name = file.name();
        let text = wasm_bindgen_futures::JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|value| value.as_string());
        let Some(text) = text else {
            dispatch.emit(ZonesAction::Problem(format!(
                "The browser could not read {name}."
            )));
            return;
        };
        match import_origin(&name, &text) {
            Ok(origin) => dispatch.emit(ZonesAction::Import(origin, text)),
            Err(problem) => dispatch.emit(ZonesAction::Problem(problem)),
        }
    });
}
