//! The first-visit guide: a panel above the tabs (it blocks nothing) that walks through one
//! query and its answer on the page itself; each step opens its link. Skipping or finishing it
//! is remembered in `localStorage`.

use dnslab_core::learn::GUIDE;
use yew::prelude::*;

use crate::browser::store;
use crate::state::{Action, PageState};

/// Where the guide's "done" mark is kept.
pub const GUIDE_STORAGE_KEY: &str = "dnslab.guide.v1";

/// Properties of [`Guide`].
#[derive(Debug, Properties, PartialEq)]
pub struct GuideProps {
    /// The page's store.
    pub state: UseReducerHandle<PageState>,
}

/// Opens `fragment` as if the user had followed a link (the hashchange listener applies it).
fn open(fragment: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_hash(fragment);
    }
}

/// The guide panel, or nothing once it is closed.
#[function_component(Guide)]
pub fn guide(props: &GuideProps) -> Html {
    let state = props.state.clone();
    let Some(step) = state.guide else {
        return html! {};
    };
    let go = |target: Option<usize>| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            match target.and_then(|index| GUIDE.get(index).map(|step| (index, step))) {
                Some((index, step)) => {
                    state.dispatch(Action::Guide(Some(index)));
                    open(step.fragment);
                }
                None => {
                    store(GUIDE_STORAGE_KEY, "done");
                    state.dispatch(Action::Guide(None));
                }
            }
        })
    };
    let last = GUIDE.len().saturating_sub(1);
    html! {
        <aside class="guide" role="region" aria-label="Tour">
            if step == 0 && !state.guide_started {
                <p><strong>{ "New here?" }</strong>{ format!(" A {}-step tour shows one query and its answer, on this page.", GUIDE.len()) }</p>
                <button type="button" class="primary" onclick={go(Some(0))}>{ "Take the tour" }</button>
                <button type="button" onclick={go(None)}>{ "Skip" }</button>
            } else if let Some(current) = GUIDE.get(step) {
                <h2>{ current.title }</h2>
                <p>{ current.text }</p>
                <button type="button" onclick={go(step.checked_sub(1))} disabled={step == 0}>{ "Back" }</button>
                if step < last {
                    <button type="button" class="primary" onclick={go(Some(step + 1))}>{ "Next" }</button>
                }
                <button type="button" onclick={go(None)}>{ if step < last { "Skip the rest" } else { "Done" } }</button>
            }
        </aside>
    }
}
