//! The application shell: the tabs (routed by the URL fragment, as the page contract says) and the
//! open tab's panel, over one store.

use dnslab_core::page::build::{parse_build_fragment, BuildForm};
use dnslab_core::page::resolve::parse_resolve_fragment;
use dnslab_core::page::zones::ZONES_STORAGE_KEY;
use dnslab_core::page::{parse_fragment, Route};
use yew::prelude::*;

use crate::browser::{fragment, replace_fragment};
use crate::components::build_tab::BuildTab;
use crate::components::decode_tab::DecodeTab;
use crate::components::guide::{Guide, GUIDE_STORAGE_KEY};
use crate::components::resolve_tab::ResolveTab;
use crate::components::zones_tab::ZonesTab;
use crate::state::build::{BuildAction, BuildState};
use crate::state::resolve::{ResolveAction, ResolveState};
use crate::state::zones::ZonesAction;
use crate::state::{Action, PageState, Tab};

/// The `performance.mark` set when the world the page answers from is ready (bench/tabs.cjs).
pub const WORLD_READY_MARK: &str = "dnslab:world-ready";

/// The whole page.
#[function_component(App)]
pub fn app() -> Html {
    // The fragment that opened the page decides the first state (before any child's effect
    // rewrites the address bar); later ones the user types are applied as they come.
    let state = use_reducer(|| {
        let mut initial = PageState::default();
        // The user's zone edits first, so a link to Resolve or Build already answers from them.
        let stored = crate::browser::stored(ZONES_STORAGE_KEY);
        let mut actions = vec![Action::Zones(ZonesAction::Load(stored))];
        let opened = fragment();
        // A first visit without a link is offered the guide; a link shows what it names.
        if opened.is_empty()
            && crate::browser::stored(GUIDE_STORAGE_KEY).is_none()
            && cfg!(target_arch = "wasm32")
        {
            actions.push(Action::OfferGuide);
        }
        actions.extend(route_actions(&opened, &PageState::default()));
        for action in actions {
            initial = std::rc::Rc::unwrap_or_clone(std::rc::Rc::new(initial).reduce(action));
        }
        // Stored edits that no longer read are kept under their own key before anything
        // overwrites the usual one.
        if let Some((raw, _)) = &initial.zones.unreadable {
            crate::browser::store(&format!("{ZONES_STORAGE_KEY}.unreadable"), raw);
        }
        initial
    });
    // The built-in world (every built-in zone parsed, the servers set up) is made once the first
    // screen has been painted, so that neither the first paint nor the first Resolve or Build
    // answer waits for it.
    use_effect_with((), |_| {
        crate::browser::after_next_paint(|| {
            let _ = crate::api::world();
            crate::browser::performance_mark(WORLD_READY_MARK);
        });
    });
    // Zone edits are written to storage as they happen.
    {
        let state = state.clone();
        use_effect_with(state.zones.revision, move |revision| {
            if *revision > 0 {
                crate::browser::store(ZONES_STORAGE_KEY, &state.zones.stored());
            }
        });
    }
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            let listener = {
                let state = state.clone();
                wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
                    crate::browser::discard_pending_fragment();
                    apply_route(&state, &fragment());
                })
            };
            let window = web_sys::window();
            if let Some(window) = &window {
                window
                    .set_onhashchange(Some(wasm_bindgen::JsCast::unchecked_ref(listener.as_ref())));
            }
            move || {
                if let Some(window) = window {
                    window.set_onhashchange(None);
                }
                drop(listener);
            }
        });
    }
    let tabs = Tab::ALL.iter().map(|tab| {
        let tab = *tab;
        let selected = state.tab == tab;
        let onclick = {
            let state = state.clone();
            Callback::from(move |_: MouseEvent| {
                state.dispatch(Action::OpenTab(tab));
                if tab != Tab::Decode {
                    replace_fragment(&tab.name().to_ascii_lowercase());
                }
            })
        };
        let onkeydown = {
            let state = state.clone();
            Callback::from(move |event: KeyboardEvent| {
                let index = Tab::ALL.iter().position(|other| *other == tab).unwrap_or(0);
                let next = match event.key().as_str() {
                    "ArrowRight" => Tab::ALL.get((index + 1) % Tab::ALL.len()),
                    "ArrowLeft" => Tab::ALL.get((index + Tab::ALL.len() - 1) % Tab::ALL.len()),
                    _ => None,
                };
                if let Some(next) = next {
                    event.prevent_default();
                    state.dispatch(Action::OpenTab(*next));
                }
            })
        };
        html! {
            <button type="button" role="tab" id={format!("tab-{}", tab.name().to_ascii_lowercase())}
                aria-selected={if selected { "true" } else { "false" }}
                aria-controls="panel" tabindex={if selected { "0" } else { "-1" }}
                class={classes!("tab", selected.then_some("active"))} {onclick} {onkeydown}>
                { tab.name() }
            </button>
        }
    });
    let open_guide = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::OfferGuide))
    };
    let panel = match state.tab {
        Tab::Decode => html! { <DecodeTab state={state.clone()} /> },
        Tab::Build => html! { <BuildTab state={state.clone()} /> },
        Tab::Resolve => html! { <ResolveTab state={state.clone()} /> },
        Tab::Zones => html! { <ZonesTab state={state.clone()} /> },
    };
    html! {
        <main class="app">
            <header class="app-header">
                <h1>{ "dnslab" }</h1>
                <p class="tagline">{ "Read, build and resolve DNS messages — offline, in your browser." }</p>
                if state.guide.is_none() {
                    <button type="button" class="guide-button" onclick={open_guide}>{ "Guide" }</button>
                }
            </header>
            <Guide state={state.clone()} />
            <nav class="tabs" role="tablist" aria-label="dnslab">{ for tabs }</nav>
            if let Some(notice) = &state.notice {
                <p class="notice" role="status">{ notice }</p>
            }
            <div class="panel" id="panel" role="tabpanel"
                aria-labelledby={format!("tab-{}", state.tab.name().to_ascii_lowercase())}>
                { panel }
            </div>
        </main>
    }
}

/// True when `form` is what Build shows. A random ID is not part of the page's own links, so it
/// is ignored, unless the link fixes one (`fixed_id`): then the ID and the random switch count.
fn same_query(form: &BuildForm, build: &BuildState, fixed_id: bool) -> bool {
    let mut shown = build.form.clone();
    if build.random_id {
        if fixed_id {
            return false;
        }
        shown.id = form.id;
    }
    shown == *form
}

/// True when Resolve already shows `name`/`qtype` (the page's own address-bar update).
fn is_on_screen(name: &str, qtype: &str, resolve: &ResolveState) -> bool {
    matches!(&resolve.resolution, Some(Ok(resolution))
        if resolution.name.trim_end_matches('.').eq_ignore_ascii_case(name.trim_end_matches('.'))
            && resolution.qtype.eq_ignore_ascii_case(qtype))
}

fn apply_route(state: &UseReducerHandle<PageState>, fragment: &str) {
    for action in route_actions(fragment, state) {
        state.dispatch(action);
    }
}

/// What a fragment asks of the store (`current_paste` is what Decode already shows, so the
/// page's own address-bar updates change nothing).
fn route_actions(fragment: &str, current: &PageState) -> Vec<Action> {
    let current_paste = current.paste.as_str();
    match parse_fragment(fragment) {
        Route::Decode(text) => {
            let mut actions = vec![Action::OpenTab(Tab::Decode)];
            if !text.is_empty() && text != current_paste {
                actions.push(Action::Paste(text));
            }
            actions
        }
        Route::Build(value) => {
            let mut actions = vec![Action::OpenTab(Tab::Build)];
            if value.is_empty() {
                return actions;
            }
            // A link that fixes the ID keeps it; without one, IDs stay random.
            let fixed_id = value
                .split('&')
                .any(|parameter| parameter.starts_with("id="));
            match parse_build_fragment(&value) {
                // The page's own address-bar updates come back here: nothing to change then.
                Ok(form) if same_query(&form, &current.build, fixed_id) => {}
                Ok(form) => {
                    actions.push(Action::Build(BuildAction::RandomId(!fixed_id)));
                    actions.push(Action::Build(BuildAction::Form(form)));
                }
                Err(message) => actions.push(Action::Notice(Some(message))),
            }
            actions
        }
        Route::Resolve(value) => {
            let mut actions = vec![Action::OpenTab(Tab::Resolve)];
            if value.is_empty() {
                return actions;
            }
            match parse_resolve_fragment(&value) {
                Ok((name, qtype)) if is_on_screen(&name, &qtype, &current.resolve) => {}
                Ok((name, qtype)) => actions.push(Action::Resolve(ResolveAction::Ask(name, qtype))),
                Err(message) => actions.push(Action::Notice(Some(message))),
            }
            actions
        }
        Route::Zones(origin) => {
            let mut actions = vec![Action::OpenTab(Tab::Zones)];
            let origin = origin.trim();
            if !origin.is_empty() {
                let absolute = if origin.ends_with('.') {
                    origin.to_owned()
                } else {
                    format!("{origin}.")
                };
                if !current.zones.open.contains(&absolute) {
                    actions.push(Action::Zones(ZonesAction::SetOpen(absolute, true)));
                }
            }
            actions
        }
        Route::Unknown(message) => {
            vec![Action::OpenTab(Tab::Decode), Action::Notice(Some(message))]
        }
    }
}
