//! The Resolve tab: a simulated iterative resolution over the built-in mini-internet as a
//! ladder of steps (root → TLD → authoritative) that the learner steps through or runs to the
//! end, each step's query and response in the tree and hex pane, the cache on a simulated clock,
//! the `dig +trace` text and the JSON trace.

use std::rc::Rc;

use dnslab_core::page::build::{build_query, BuildForm};
use dnslab_core::page::resolve::{resolve_fragment, scenarios, PageResolution, PageStep};
use dnslab_core::page::{decode_fragment, dns_message_view};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::bridge::{self, ConnectionStatus};
use crate::browser::{copy_to_clipboard, random_id, replace_fragment};
use crate::components::build_tab::connect_on_click;
use crate::components::message_inspector::MessageInspector;
use crate::state::build::{BuildAction, Outcome};
use crate::state::resolve::{ResolveAction, ResolveState, ResolveView};
use crate::state::{Action, PageState};

/// Properties of [`ResolveTab`].
#[derive(Debug, Properties, PartialEq)]
pub struct ResolveTabProps {
    /// The page's store.
    pub state: UseReducerHandle<PageState>,
}

/// The Resolve tab.
#[function_component(ResolveTab)]
pub fn resolve_tab(props: &ResolveTabProps) -> Html {
    let state = props.state.clone();
    let resolve = &state.resolve;
    let dispatch = {
        let state = state.clone();
        Callback::from(move |action: ResolveAction| state.dispatch(Action::Resolve(action)))
    };
    // The address bar names the question on screen.
    {
        let question = match &resolve.resolution {
            Some(Ok(resolution)) => Some((resolution.name.clone(), resolution.qtype.clone())),
            _ => None,
        };
        use_effect_with(question, |question| match question {
            Some((name, qtype)) => replace_fragment(&resolve_fragment(name, qtype)),
            None => replace_fragment("resolve"),
        });
    }
    let text_input = |id: &'static str,
                      label: &'static str,
                      value: &str,
                      make: fn(String) -> ResolveAction| {
        let dispatch = dispatch.clone();
        let oninput = Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            dispatch.emit(make(input.value()));
        });
        html! {
            <div class="field">
                <label for={id}>{ label }</label>
                <input {id} type="text" spellcheck="false" autocomplete="off" value={value.to_owned()} {oninput} />
            </div>
        }
    };
    let on_submit = {
        let dispatch = dispatch.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            dispatch.emit(ResolveAction::Resolve(true));
        })
    };
    let on_step = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(ResolveAction::Resolve(false)))
    };
    let presets = scenarios().iter().map(|scenario| {
        let dispatch = dispatch.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            dispatch.emit(ResolveAction::Ask(scenario.name.to_owned(), scenario.qtype.to_owned()));
        });
        html! {
            <button type="button" class="sample" title={scenario.sentence} data-scenario={scenario.id} {onclick}>
                { scenario.title }
            </button>
        }
    });
    html! {
        <section class="resolve">
            <form class="resolve-form" onsubmit={on_submit}>
                { text_input("resolve-name", "Name", &resolve.name, ResolveAction::Name) }
                { text_input("resolve-type", "Type", &resolve.qtype, ResolveAction::Type) }
                <button type="submit" class="primary">{ "Resolve" }</button>
                <button type="button" onclick={on_step}>{ "Step through" }</button>
            </form>
            <div class="samples" aria-label="Scenarios">{ "Scenarios: " }{ for presets }</div>
            { scenario_sentence(resolve) }
            {
                match &resolve.resolution {
                    None => html! {
                        <p class="hint">{ "Resolve a name to watch a resolver walk the built-in mini-internet from the root, one server at a time. Nothing leaves your browser." }</p>
                    },
                    Some(Err(error)) => html! { <p class="decode-error" role="alert">{ error }</p> },
                    Some(Ok(resolution)) => resolution_view(resolve, resolution, &dispatch),
                }
            }
            { live_view(&state) }
            { cache_view(resolve, &dispatch) }
        </section>
    }
}

/// The sentence of the preset on screen, when the question is one.
fn scenario_sentence(resolve: &ResolveState) -> Html {
    let Some(Ok(resolution)) = &resolve.resolution else {
        return html! {};
    };
    scenarios()
        .iter()
        .find(|scenario| {
            scenario
                .name
                .trim_end_matches('.')
                .eq_ignore_ascii_case(resolution.name.trim_end_matches('.'))
                && scenario.qtype.eq_ignore_ascii_case(&resolution.qtype)
        })
        .map(|scenario| html! { <p class="note scenario">{ scenario.sentence }</p> })
        .unwrap_or_default()
}

fn resolution_view(
    resolve: &ResolveState,
    resolution: &PageResolution,
    dispatch: &Callback<ResolveAction>,
) -> Html {
    let count = resolution.steps.len();
    let shown = resolve.shown.min(count);
    let finished = shown == count;
    let show = |target: usize| {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(ResolveAction::Show(target)))
    };
    let on_scrub = {
        let dispatch = dispatch.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            if let Ok(value) = input.value().parse() {
                dispatch.emit(ResolveAction::Show(value));
            }
        })
    };
    let view_button = |view: ResolveView, name: &'static str| {
        let active = resolve.view == view;
        let dispatch = dispatch.clone();
        let onclick = Callback::from(move |_: MouseEvent| dispatch.emit(ResolveAction::View(view)));
        html! {
            <button type="button" class={classes!("view-button", active.then_some("active"))}
                aria-pressed={if active { "true" } else { "false" }} {onclick}>{ name }</button>
        }
    };
    let body = match resolve.view {
        ResolveView::Steps => steps_view(resolve, resolution, shown, dispatch),
        ResolveView::Trace => text_block(&resolution.trace_text),
        ResolveView::Json => text_block(&resolution.trace_json),
    };
    html! {
        <>
            <div class="timeline" role="group" aria-label="Timeline">
                <button type="button" onclick={show(shown.saturating_sub(1))} disabled={shown <= 1}>{ "Back" }</button>
                <button type="button" onclick={show(shown + 1)} disabled={finished}>{ "Next" }</button>
                <button type="button" onclick={show(count)} disabled={finished}>{ "Run to the end" }</button>
                <input type="range" min="1" max={count.max(1).to_string()} value={shown.to_string()}
                    aria-label="Step" oninput={on_scrub} />
                <span class="note">{ format!("step {shown} of {count}") }</span>
                <span class="spacer" />
                { view_button(ResolveView::Steps, "Steps") }
                { view_button(ResolveView::Trace, "dig +trace") }
                { view_button(ResolveView::Json, "JSON") }
            </div>
            { body }
            if finished {
                <section class="answer" role="region" aria-label="Answer">
                    <h2>{ "Answer" }</h2>
                    <p class="status" data-testid="resolve-status">{ &resolution.status }</p>
                    if !resolution.answer_lines.is_empty() {
                        <pre>{ resolution.answer_lines.join("\n") }</pre>
                    }
                </section>
            }
        </>
    }
}

fn steps_view(
    resolve: &ResolveState,
    resolution: &PageResolution,
    shown: usize,
    dispatch: &Callback<ResolveAction>,
) -> Html {
    let steps = resolution.steps.iter().take(shown);
    let open = resolve
        .open_step
        .and_then(|index| resolution.steps.get(index));
    html! {
        <div class="resolve-panes">
            <ol class="steps" role="list" aria-label="Resolution steps">
                { for steps.map(|step| step_item(step, resolve.open_step == Some(step.index), dispatch)) }
            </ol>
            { for open.map(step_messages) }
        </div>
    }
}

fn step_item(step: &PageStep, is_open: bool, dispatch: &Callback<ResolveAction>) -> Html {
    let index = step.index;
    let onclick = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(ResolveAction::Open(Some(index))))
    };
    let server = if step.server_name.is_empty() {
        "cache".to_owned()
    } else if step.server_address.is_empty() {
        step.server_name.clone()
    } else {
        format!("{} ({})", step.server_name, step.server_address)
    };
    html! {
        <li class={classes!("step", format!("outcome-{}", step.outcome), is_open.then_some("open"))}
            data-server={step.server_name.clone()} data-address={step.server_address.clone()}
            data-zone={step.zone.clone()} data-outcome={step.outcome}
            style={format!("--depth: {}", step.depth)}>
            <div class="step-head">
                <span class="badge">{ step.outcome }</span>
                <span class="server">{ server }</span>
                if !step.zone.is_empty() {
                    <span class="zone">{ format!("for {}", step.zone) }</span>
                }
                if step.transport == "tcp" {
                    <span class="badge tcp">{ "TCP" }</span>
                }
            </div>
            <div class="step-question">{ format!("asked {}", step.question) }</div>
            <div class="step-meaning">{ &step.headline }</div>
            if !step.key_records.is_empty() {
                <pre class="records">{ step.key_records.join("\n") }</pre>
            }
            if step.query.is_some() {
                <button type="button" class="copy" onclick={onclick} aria-pressed={if is_open { "true" } else { "false" }}>
                    { "Show messages" }
                </button>
            }
        </li>
    }
}

/// The open step's query and response in the tree and hex pane, with links into Decode.
fn step_messages(step: &PageStep) -> Html {
    let Some(query) = &step.query else {
        return html! {};
    };
    let transport = step.transport.to_ascii_uppercase();
    let query_view = dns_message_view(
        query,
        format!("query to {} over {transport}", step.server_name),
    );
    let response_view = step.response.as_ref().map(|response| {
        dns_message_view(
            response,
            format!("response from {} over {transport}", step.server_name),
        )
    });
    html! {
        <div class="step-messages">
            <section aria-label="Query">
                <h2>{ format!("Step {}: query", step.index + 1) }
                    <a class="decode-link" href={format!("#{}", decode_fragment(query))}>{ "open in Decode" }</a></h2>
                <p class="input-origin">{ &query_view.origin }</p>
                <MessageInspector view={query_view} />
            </section>
            {
                match (response_view, &step.response) {
                    (Some(view), Some(bytes)) => html! {
                        <section aria-label="Response">
                            <h2>{ "Response" }
                                <a class="decode-link" href={format!("#{}", decode_fragment(bytes))}>{ "open in Decode" }</a></h2>
                            <p class="input-origin">{ &view.origin }</p>
                            <MessageInspector {view} is_response={true} />
                        </section>
                    },
                    _ => html! { <p class="note">{ "No response came back." }</p> },
                }
            }
        </div>
    }
}

/// Resolve's live comparison: the same question asked of the bridge's upstream (a recursive
/// resolver, when the bridge is set up with one), its answer beside the simulated one.
fn live_view(state: &UseReducerHandle<PageState>) -> Html {
    let build = &state.build;
    let open = build.bridge.status == ConnectionStatus::Open;
    let on_connect = connect_on_click(state);
    let on_ask = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let form = BuildForm {
                name: state.resolve.name.clone(),
                qtype: state.resolve.qtype.clone(),
                id: random_id(),
                ..BuildForm::default()
            };
            let question = format!("{} {}", form.name, form.qtype.to_ascii_uppercase());
            let action = match build_query(&form) {
                Ok(query) => {
                    // Told to the store just before the answer (one render), or when it is slow.
                    let announce = {
                        let state = state.clone();
                        let bytes = query.bytes.clone();
                        let question = question.clone();
                        move || {
                            state.dispatch(Action::Build(BuildAction::SentFromResolve(
                                bytes,
                                question,
                                Ok(()),
                            )));
                        }
                    };
                    match bridge::send(&query.bytes, announce) {
                        Ok(()) => return,
                        Err(error) => {
                            BuildAction::SentFromResolve(query.bytes, question, Err(error))
                        }
                    }
                }
                Err(problems) => BuildAction::SentFromResolve(
                    Rc::new(Vec::new()),
                    question,
                    Err(problems.first().map_or_else(
                        || "The question cannot be asked.".to_owned(),
                        |problem| problem.message.clone(),
                    )),
                ),
            };
            state.dispatch(Action::Build(action));
        })
    };
    let upstream = if build.bridge.upstream.is_empty() {
        "the bridge's upstream".to_owned()
    } else {
        build.bridge.upstream.clone()
    };
    let result = build.live_comparison().map(|entry| match &entry.outcome {
        Outcome::Pending => html! { <p class="note">{ format!("Asked {upstream} for {}; waiting…", entry.question) }</p> },
        Outcome::Failed(error) => html! { <p class="decode-error" role="alert">{ error }</p> },
        Outcome::Answered(shown) => html! {
            <>
                <p class="source">{ format!("{}: {}", entry.question, shown.source) }</p>
                <p class="meaning">{ &shown.headline }</p>
                <MessageInspector view={shown.view.clone()} is_response={true} />
            </>
        },
    });
    html! {
        <section class="live" aria-label="Live comparison">
            <h2>{ "Live comparison" }</h2>
            if open {
                <p class="note">{ format!("Ask {upstream} through the bridge the same question, with RD set: a recursive resolver there resolves it on the real internet.") }</p>
                <button type="button" onclick={on_ask}>{ format!("Ask {upstream}") }</button>
            } else {
                <p class="note">{ "With the bridge running (make run), the page can ask a real recursive resolver the same question and show its answer here." }</p>
                <button type="button" onclick={on_connect}>{ "Connect to the bridge" }</button>
            }
            { for result }
        </section>
    }
}

fn cache_view(resolve: &ResolveState, dispatch: &Callback<ResolveAction>) -> Html {
    if resolve.session.is_none() {
        return html! {};
    }
    let advance = |seconds: u64| {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(ResolveAction::Advance(seconds)))
    };
    let flush = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(ResolveAction::Flush))
    };
    let elapsed = resolve
        .now
        .saturating_sub(dnslab_core::page::resolve::DEFAULT_START_TIME);
    html! {
        <section class="cache" aria-label="Cache">
            <h2>{ "Resolver cache" }</h2>
            <div class="view-bar">
                <span class="note">{ format!("simulated clock: +{elapsed} s") }</span>
                <button type="button" onclick={advance(60)}>{ "+1 min" }</button>
                <button type="button" onclick={advance(3600)}>{ "+1 h" }</button>
                <button type="button" onclick={advance(86_400)}>{ "+1 day" }</button>
                <button type="button" onclick={flush}>{ "Flush cache" }</button>
            </div>
            if resolve.cache.is_empty() {
                <p class="note">{ "The cache is empty: the next resolution starts at the root." }</p>
            } else {
                <table class="cache-table" aria-label="Cache entries">
                    <thead><tr><th>{ "Name" }</th><th>{ "Type" }</th><th>{ "TTL left" }</th><th>{ "Data" }</th></tr></thead>
                    <tbody>
                        { for resolve.cache.iter().map(|row| html! {
                            <tr><td>{ &row.name }</td><td>{ &row.rtype }</td><td>{ format!("{} s", row.ttl_left) }</td><td>{ &row.data }</td></tr>
                        }) }
                    </tbody>
                </table>
            }
        </section>
    }
}

fn text_block(text: &str) -> Html {
    let copied = text.to_owned();
    let onclick = Callback::from(move |_: MouseEvent| copy_to_clipboard(&copied));
    html! {
        <div class="text-view">
            <button type="button" class="copy" {onclick}>{ "Copy" }</button>
            <pre>{ text.to_owned() }</pre>
        </div>
    }
}
