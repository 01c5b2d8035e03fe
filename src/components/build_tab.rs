//! The Build tab: a form with dig's choices, the query's tree and bytes as Decode shows them, the
//! copy formats, and sending it to the built-in zones (in the page) or through the bridge.

use std::rc::Rc;

use dnslab_core::page::build::{
    build_fragment, query_with_id, server_choices, type_choices, BuildForm, FieldProblem,
};
use dnslab_core::page::decode_fragment;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::bridge::{self, ConnectionStatus};
use crate::browser::{copy_to_clipboard, page_address, random_cookie, random_id, replace_fragment};
use crate::components::message_inspector::MessageInspector;
use crate::state::build::{BuildAction, BuildState, Outcome, SharedWorld};
use crate::state::{Action, PageState};

/// Properties of [`BuildTab`].
#[derive(Debug, Properties, PartialEq)]
pub struct BuildTabProps {
    /// The page's store.
    pub state: UseReducerHandle<PageState>,
}

/// The opcodes a query may carry (RFC 1035 §4.1.1, RFC 1996, RFC 2136, RFC 8490).
const OPCODES: [(u8, &str); 5] = [
    (0, "QUERY"),
    (2, "STATUS"),
    (4, "NOTIFY"),
    (5, "UPDATE"),
    (6, "DSO"),
];

/// The Build tab.
#[function_component(BuildTab)]
pub fn build_tab(props: &BuildTabProps) -> Html {
    let state = props.state.clone();
    let build = &state.build;
    let dispatch = {
        let state = state.clone();
        Callback::from(move |action: BuildAction| state.dispatch(Action::Build(action)))
    };
    // The address bar follows the form (a random ID is not part of the link).
    {
        let mut form = build.form.clone();
        if build.random_id {
            form.id = 0;
        }
        use_effect_with(form, |form| replace_fragment(&build_fragment(form)));
    }
    // On first showing: a fresh random ID, and the bridge that served the page, if any.
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            if state.build.random_id {
                let mut form = state.build.form.clone();
                form.id = random_id();
                state.dispatch(Action::Build(BuildAction::Form(form)));
            }
            if state.build.bridge.status == ConnectionStatus::Idle {
                connect(
                    &state,
                    &state.build.bridge.address,
                    &state.build.bridge.upstream,
                );
            }
        });
    }
    let world = state.world.clone().unwrap_or_default();
    html! {
        <section class="build">
            { form_view(build, &dispatch) }
            { query_view(build) }
            { send_view(&state, &world, &dispatch) }
            { response_view(build) }
            { history_view(build, &dispatch) }
        </section>
    }
}

/// Connects to the bridge at `address` (empty: the page's own) for `upstream`.
pub fn connect(state: &UseReducerHandle<PageState>, address: &str, upstream: &str) {
    let on_event = bridge_events(state);
    bridge::fetch_upstreams(address, on_event.clone());
    bridge::connect(&bridge::socket_url(address, upstream), on_event);
}

/// The bridge client's events, into the store.
fn bridge_events(state: &UseReducerHandle<PageState>) -> Callback<bridge::BridgeEvent> {
    let state = state.clone();
    Callback::from(move |event| state.dispatch(Action::Build(BuildAction::Bridge(event))))
}

/// A button's click that (re)connects to the bridge the store names.
pub fn connect_on_click(state: &UseReducerHandle<PageState>) -> Callback<MouseEvent> {
    let state = state.clone();
    Callback::from(move |_: MouseEvent| {
        connect(
            &state,
            &state.build.bridge.address,
            &state.build.bridge.upstream,
        );
    })
}

fn problem_for<'a>(problems: &'a [FieldProblem], field: &str) -> Option<&'a FieldProblem> {
    problems.iter().find(|problem| problem.field == field)
}

/// A text input bound to one field of the form.
fn text_field(
    build: &BuildState,
    dispatch: &Callback<BuildAction>,
    (id, label, field): (&'static str, &'static str, &'static str),
    value: String,
    set: fn(&mut BuildForm, String),
    extra: Html,
) -> Html {
    let problem = problem_for(&build.problems, field);
    let oninput = {
        let dispatch = dispatch.clone();
        let form = build.form.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let mut form = form.clone();
            set(&mut form, input.value());
            dispatch.emit(BuildAction::Form(form));
        })
    };
    let error_id = format!("{id}-error");
    html! {
        <div class={classes!("field", problem.map(|_| "invalid"))}>
            <label for={id}>{ label }</label>
            <input {id} type="text" spellcheck="false" autocomplete="off" value={value} {oninput}
                aria-invalid={problem.map(|_| "true")}
                aria-describedby={problem.map(|_| error_id.clone())} list={(field == "type").then_some("type-choices")} />
            { extra }
            if let Some(problem) = problem {
                <p class="field-error" id={error_id} role="alert">{ &problem.message }</p>
            }
        </div>
    }
}

/// A checkbox bound to one flag of the form, named as the contract says.
fn check_field(
    build: &BuildState,
    dispatch: &Callback<BuildAction>,
    label: &'static str,
    title: &'static str,
    checked: bool,
    set: fn(&mut BuildForm, bool),
) -> Html {
    let onchange = {
        let dispatch = dispatch.clone();
        let form = build.form.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let mut form = form.clone();
            set(&mut form, input.checked());
            dispatch.emit(BuildAction::Form(form));
        })
    };
    html! {
        <label class="check" {title}>
            <input type="checkbox" {checked} {onchange} />{ label }
        </label>
    }
}

/// A number input for one field; text that is not a number in range is marked, not applied.
fn number_field(
    build: &BuildState,
    dispatch: &Callback<BuildAction>,
    (id, label, field): (&'static str, &'static str, &'static str),
    value: u32,
    maximum: u32,
    set: fn(&mut BuildForm, u32),
) -> Html {
    let problem =
        problem_for(&build.number_problems, field).or_else(|| problem_for(&build.problems, field));
    let oninput = {
        let dispatch = dispatch.clone();
        let form = build.form.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let text = input.value();
            match text.trim().parse::<u32>() {
                Ok(number) if number <= maximum => {
                    dispatch.emit(BuildAction::NumberText(field, None));
                    let mut form = form.clone();
                    set(&mut form, number);
                    dispatch.emit(BuildAction::Form(form));
                }
                _ => dispatch.emit(BuildAction::NumberText(
                    field,
                    Some(format!(
                        "“{}” is not a whole number from 0 to {maximum}; the query keeps the last one.",
                        text.trim()
                    )),
                )),
            }
        })
    };
    html! {
        <div class={classes!("field", "number", problem.map(|_| "invalid"))}>
            <label for={id}>{ label }</label>
            <input {id} type="number" min="0" max={maximum.to_string()} value={value.to_string()} {oninput}
                aria-invalid={problem.map(|_| "true")} />
            if let Some(problem) = problem {
                <p class="field-error" role="alert">{ &problem.message }</p>
            }
        </div>
    }
}

/// An optional setting: a checkbox turning it on, and its value.
fn optional_field(
    build: &BuildState,
    dispatch: &Callback<BuildAction>,
    (id, label, field): (&'static str, &'static str, &'static str),
    (value_label, title): (&'static str, &'static str),
    value: Option<String>,
    turn_on: fn() -> String,
    set: fn(&mut BuildForm, Option<String>),
) -> Html {
    let problem = problem_for(&build.problems, field);
    let onchange = {
        let dispatch = dispatch.clone();
        let form = build.form.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let mut form = form.clone();
            set(&mut form, input.checked().then(turn_on));
            dispatch.emit(BuildAction::Form(form));
        })
    };
    let oninput = {
        let dispatch = dispatch.clone();
        let form = build.form.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let mut form = form.clone();
            set(&mut form, Some(input.value()));
            dispatch.emit(BuildAction::Form(form));
        })
    };
    let on = value.is_some();
    html! {
        <div class={classes!("field", "optional", problem.map(|_| "invalid"))}>
            <label class="check" {title}><input type="checkbox" checked={on} {onchange} />{ label }</label>
            if let Some(value) = value {
                <input id={id} type="text" spellcheck="false" value={value} {oninput} aria-label={value_label}
                    aria-invalid={problem.map(|_| "true")} />
            }
            if let Some(problem) = problem {
                <p class="field-error" role="alert">{ &problem.message }</p>
            }
        </div>
    }
}

fn form_view(build: &BuildState, dispatch: &Callback<BuildAction>) -> Html {
    let form = &build.form;
    let idn = build
        .query
        .as_ref()
        .filter(|query| query.name_unicode != query.name_ascii)
        .map(|query| html! {
            <p class="idn">{ format!("{} is sent as {}", query.name_unicode, query.name_ascii) }</p>
        })
        .unwrap_or_default();
    let on_random = {
        let dispatch = dispatch.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            dispatch.emit(BuildAction::RandomId(input.checked()));
        })
    };
    let on_opcode = {
        let dispatch = dispatch.clone();
        let form = form.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            let mut form = form.clone();
            form.opcode = select.value().parse().unwrap_or(0);
            dispatch.emit(BuildAction::Form(form));
        })
    };
    html! {
        <form class="build-form" onsubmit={Callback::from(|event: SubmitEvent| event.prevent_default())}>
            <fieldset class="question">
                <legend>{ "Question" }</legend>
                { text_field(build, dispatch, ("build-name", "Name", "name"), form.name.clone(), |form, value| form.name = value, idn) }
                { text_field(build, dispatch, ("build-type", "Type", "type"), form.qtype.clone(), |form, value| form.qtype = value, html! {}) }
                { text_field(build, dispatch, ("build-class", "Class", "class"), form.qclass.clone(), |form, value| form.qclass = value, html! {}) }
                <datalist id="type-choices">
                    { for type_choices().into_iter().map(|choice| html! {
                        <option value={choice.mnemonic}>{ format!("{} ({})", choice.mnemonic, choice.code) }</option>
                    }) }
                </datalist>
            </fieldset>
            <fieldset class="header">
                <legend>{ "Header" }</legend>
                { number_field(build, dispatch, ("build-id", "ID", "id"), u32::from(form.id), u32::from(u16::MAX), |form, value| form.id = u16::try_from(value).unwrap_or(0)) }
                <label class="check"><input type="checkbox" checked={build.random_id} onchange={on_random} />{ "random for each query" }</label>
                <div class="field">
                    <label for="build-opcode">{ "Opcode" }</label>
                    <select id="build-opcode" onchange={on_opcode}>
                        { for OPCODES.iter().map(|(code, name)| html! {
                            <option value={code.to_string()} selected={form.opcode == *code}>{ *name }</option>
                        }) }
                    </select>
                </div>
                <div class="flags">
                    { check_field(build, dispatch, "RD", "Recursion desired: ask the server to resolve the name for you", form.rd, |form, on| form.rd = on) }
                    { check_field(build, dispatch, "CD", "Checking disabled: a validating resolver should not check DNSSEC", form.cd, |form, on| form.cd = on) }
                    { check_field(build, dispatch, "AD", "Authentic data: ask whether the answer was validated (RFC 6840)", form.ad, |form, on| form.ad = on) }
                </div>
            </fieldset>
            <fieldset class="edns">
                <legend>{ "EDNS" }</legend>
                <div class="flags">
                    { check_field(build, dispatch, "EDNS", "Send an OPT record (RFC 6891)", form.edns, |form, on| form.edns = on) }
                    { check_field(build, dispatch, "DO", "DNSSEC OK: ask for signatures (RFC 3225)", form.dnssec_ok, |form, on| form.dnssec_ok = on) }
                    { check_field(build, dispatch, "NSID", "Ask the server for its name server identifier (RFC 5001)", form.nsid, |form, on| form.nsid = on) }
                </div>
                { number_field(build, dispatch, ("build-version", "Version", "edns_version"), u32::from(form.edns_version), u32::from(u8::MAX), |form, value| form.edns_version = u8::try_from(value).unwrap_or(0)) }
                { number_field(build, dispatch, ("build-bufsize", "UDP buffer size", "udp_payload"), u32::from(form.udp_payload), u32::from(u16::MAX), |form, value| form.udp_payload = u16::try_from(value).unwrap_or(0)) }
                { optional_field(build, dispatch, ("build-cookie", "COOKIE", "cookie"), ("Client part, 16 hex digits", "Send a client cookie (RFC 7873); a server that knows cookies answers with its own"), form.cookie.clone(), random_cookie, |form, value| form.cookie = value) }
                { optional_field(build, dispatch, ("build-subnet", "Client subnet", "client_subnet"), ("Address/prefix", "EDNS Client Subnet (RFC 7871): tell the server which network the query is for"), form.client_subnet.clone(), || "192.0.2.0/24".to_owned(), |form, value| form.client_subnet = value) }
                { optional_field(build, dispatch, ("build-padding", "Fill to block size", "padding_block"), ("Block size in bytes", "EDNS padding (RFC 7830): pad the query to a multiple of this size, as RFC 8467 recommends for encrypted transports (128 for queries)"), form.padding_block.map(|block| block.to_string()), || "128".to_owned(), |form, value| {
                    form.padding_block = value.map(|text| text.trim().parse().unwrap_or(0));
                }) }
            </fieldset>
        </form>
    }
}

fn query_view(build: &BuildState) -> Html {
    let Some(query) = &build.query else {
        return html! { <p class="decode-error" role="alert">{ "The form does not make a query yet." }</p> };
    };
    let stale = !build.problems.is_empty();
    let copy = |name: &'static str, text: &str| {
        let text = text.to_owned();
        let onclick = Callback::from(move |_: MouseEvent| copy_to_clipboard(&text));
        html! { <button type="button" class="copy" {onclick}>{ name }</button> }
    };
    let link = {
        let fragment = build_fragment(&build.form);
        let onclick = Callback::from(move |_: MouseEvent| {
            copy_to_clipboard(&format!("{}#{fragment}", page_address()))
        });
        html! { <button type="button" class="copy" {onclick}>{ "Copy link" }</button> }
    };
    let copies = &query.copies;
    html! {
        <section class={classes!("query", stale.then_some("stale"))} aria-label="Query">
            <h2>{ "Query" }</h2>
            if stale {
                <p class="note">{ "The form has a problem (marked above); this is the last query it made." }</p>
            }
            <p class="input-origin" data-testid="input-origin">{ &query.view.origin }</p>
            <div class="view-bar" role="group" aria-label="Copy the query">
                { copy("Copy hex", &copies.hex_stream) }
                { copy("Copy C array", &copies.c_array) }
                { copy("Copy base64url", &copies.base64url) }
                { copy("Copy DoH URL", &copies.doh_get_url) }
                { copy("Copy dig command", &copies.dig_command) }
                { copy("Copy dnslab command", &copies.dnslab_command) }
                { link }
            </div>
            <pre class="command">{ &copies.dig_command }</pre>
            { omitted_note("dig", &copies.dig_command_omits) }
            { omitted_note("dnslab query", &copies.dnslab_command_omits) }
            <MessageInspector view={query.view.clone()} />
        </section>
    }
}

/// Says which choices a copied command line cannot express (so it sends other bytes).
fn omitted_note(tool: &str, omitted: &[&'static str]) -> Html {
    if omitted.is_empty() {
        return html! {};
    }
    let what: Vec<&str> = omitted
        .iter()
        .map(|field| match *field {
            "id" => "the fixed ID (it picks its own)",
            "cd" => "CD",
            "ad" => "AD",
            "opcode" => "the opcode",
            "edns_version" => "the EDNS version",
            "cookie" => "COOKIE",
            "client_subnet" => "the client subnet",
            "padding_block" => "padding",
            "type" => "this type",
            other => other,
        })
        .collect();
    html! {
        <p class="note omitted">{ format!("The {tool} line cannot say {}; its query differs there.", what.join(", ")) }</p>
    }
}

fn send_view(
    state: &UseReducerHandle<PageState>,
    world: &SharedWorld,
    dispatch: &Callback<BuildAction>,
) -> Html {
    let build = &state.build;
    let servers = server_choices(&world.0);
    let on_server = {
        let dispatch = dispatch.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            dispatch.emit(BuildAction::Server(select.value().parse().ok()));
        })
    };
    let on_builtin = {
        let dispatch = dispatch.clone();
        let random = build.random_id;
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(BuildAction::SendBuiltin(random.then(random_id)));
        })
    };
    let on_bridge = {
        let dispatch = dispatch.clone();
        let random = build.random_id;
        let built = build.query.as_ref().map(|query| query.bytes.clone());
        Callback::from(move |_: MouseEvent| {
            let new_id = random.then(random_id);
            let query = match (&built, new_id) {
                (Some(bytes), Some(id)) => query_with_id(bytes, id).map(Rc::new),
                (Some(bytes), None) => Some(bytes.clone()),
                (None, _) => None,
            };
            let result = match query {
                Some(query) => {
                    // Told to the store just before the answer (one render), or when it is slow.
                    let dispatch = dispatch.clone();
                    let sent = query.clone();
                    let announce =
                        move || dispatch.emit(BuildAction::SentToBridge(new_id, Ok(sent)));
                    bridge::send(&query, announce)
                }
                None => Err("The form has a problem; fix it before sending.".to_owned()),
            };
            if let Err(error) = result {
                dispatch.emit(BuildAction::SentToBridge(new_id, Err(error)));
            }
        })
    };
    let on_address = {
        let dispatch = dispatch.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            dispatch.emit(BuildAction::BridgeAddress(input.value()));
        })
    };
    let on_connect = connect_on_click(state);
    let on_upstream = {
        let state = state.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            let upstream = select.value();
            state.dispatch(Action::Build(BuildAction::Upstream(upstream.clone())));
            let on_event = bridge_events(&state);
            bridge::connect(
                &bridge::socket_url(&state.build.bridge.address, &upstream),
                on_event,
            );
        })
    };
    let status = match &build.bridge.status {
        ConnectionStatus::Idle => "not connected".to_owned(),
        ConnectionStatus::Connecting => "connecting…".to_owned(),
        ConnectionStatus::Open => "open".to_owned(),
        ConnectionStatus::Closed {
            reason,
            retry_in_ms: Some(delay),
        } => {
            format!(
                "closed: {reason}; reconnecting in {:.1} s",
                f64::from(*delay) / 1000.0
            )
        }
        ConnectionStatus::Closed {
            reason,
            retry_in_ms: None,
        } => format!("closed: {reason}"),
    };
    let open = build.bridge.status == ConnectionStatus::Open;
    let upstreams = match &build.bridge.upstreams {
        Some(Ok(upstreams)) => html! {
            <label>{ "Upstream " }
                <select onchange={on_upstream} aria-label="Upstream">
                    { for upstreams.iter().map(|upstream| html! {
                        <option value={upstream.clone()} selected={*upstream == build.bridge.upstream}>{ upstream }</option>
                    }) }
                </select>
            </label>
        },
        Some(Err(error)) => html! { <span class="note">{ error }</span> },
        None => html! {},
    };
    html! {
        <section class="send" aria-label="Send">
            <div class="send-builtin">
                <label>{ "Server " }
                    <select onchange={on_server} aria-label="Server">
                        <option value="" selected={build.server.is_none()}>{ "the one authoritative for the name" }</option>
                        { for servers.iter().map(|server| html! {
                            <option value={server.index.to_string()} selected={build.server == Some(server.index)}>
                                { format!("{} {} ({})", server.name, server.address, server.zones.join(" ")) }
                            </option>
                        }) }
                    </select>
                </label>
                <button type="button" class="primary" onclick={on_builtin} disabled={build.query.is_none()}>{ "Send to built-in zones" }</button>
            </div>
            <div class="send-bridge">
                <span class="bridge-word">{ "Bridge" }</span>
                <input type="text" class="bridge-address" placeholder="this page's own (e.g. http://127.0.0.1:8053)"
                    value={build.bridge.address.clone()} onchange={on_address} aria-label="Connect to" />
                <button type="button" onclick={on_connect}>{ if open { "Reconnect" } else { "Connect" } }</button>
                { upstreams }
                <span class={classes!("bridge-status", open.then_some("open"))} role="status" data-testid="bridge-status">{ status }</span>
                <button type="button" class="primary" onclick={on_bridge} disabled={!open || build.query.is_none()}>{ "Send via bridge" }</button>
            </div>
        </section>
    }
}

fn response_view(build: &BuildState) -> Html {
    match &build.response {
        None => html! {
            <p class="hint">{ "Send the query to see the answer here: the built-in zones answer inside this page; the bridge asks a real server." }</p>
        },
        Some(Err(error)) => html! {
            <section class="response" aria-label="Response">
                <h2>{ "Response" }</h2>
                <p class="decode-error" role="alert">{ error }</p>
            </section>
        },
        Some(Ok(shown)) => {
            let decode_link = format!("#{}", decode_fragment(&shown.view.bytes));
            html! {
                <section class="response" aria-label="Response">
                    <h2>{ "Response" }</h2>
                    <p class="source" data-testid="response-source">{ &shown.source }</p>
                    <p class="meaning" data-testid="response-meaning">{ &shown.headline }</p>
                    if !shown.flags.is_empty() {
                        <ul class="flag-meanings">{ for shown.flags.iter().map(|flag| html! { <li>{ flag }</li> }) }</ul>
                    }
                    <p><a href={decode_link}>{ "Open in Decode" }</a></p>
                    <MessageInspector view={shown.view.clone()} is_response={true} />
                </section>
            }
        }
    }
}

fn history_view(build: &BuildState, dispatch: &Callback<BuildAction>) -> Html {
    if build.history.is_empty() {
        return html! {};
    }
    html! {
        <section class="history" aria-label="History">
            <h2>{ "Sent in this session" }</h2>
            <table aria-label="History">
                <thead><tr><th>{ "#" }</th><th>{ "ID" }</th><th>{ "Question" }</th><th>{ "Via" }</th><th>{ "Outcome" }</th><th></th></tr></thead>
                <tbody>
                    { for build.history.iter().map(|entry| {
                        let number = entry.number;
                        let reopen = {
                            let dispatch = dispatch.clone();
                            Callback::from(move |_: MouseEvent| dispatch.emit(BuildAction::Reopen(number)))
                        };
                        let (outcome, decode) = match &entry.outcome {
                            Outcome::Pending => ("waiting…".to_owned(), None),
                            Outcome::Answered(shown) => (shown.headline.clone(), Some(decode_fragment(&shown.view.bytes))),
                            Outcome::Failed(error) => (error.clone(), None),
                        };
                        html! {
                            <tr data-history={number.to_string()}>
                                <td>{ number }</td>
                                <td>{ format!("0x{:04x}", entry.id) }</td>
                                <td>{ &entry.question }</td>
                                <td>{ entry.via }</td>
                                <td>{ outcome }</td>
                                <td>
                                    <button type="button" class="copy" onclick={reopen}>{ "Show" }</button>
                                    <a href={format!("#{}", decode_fragment(&entry.query))}>{ "query in Decode" }</a>
                                    { for decode.map(|fragment| html! { <>{ " · " }<a href={format!("#{fragment}")}>{ "response in Decode" }</a></> }) }
                                </td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </section>
    }
}
