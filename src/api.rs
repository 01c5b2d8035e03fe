//! `window.dnslab`, the page's JavaScript API (the page contract's section): the same answers as
//! the CLI, converted by serde-wasm-bindgen. `answer` and `resolve` use the zones the page
//! shows (the built-in ones with the user's edits), through [`world`].

use std::cell::RefCell;
use std::rc::Rc;

use dnslab_core::world::World;
use serde::Serialize as _;
use wasm_bindgen::prelude::*;

thread_local! {
    static WORLD: RefCell<Option<Rc<World>>> = const { RefCell::new(None) };
}

/// The mini-internet the page answers from: the built-in one until the zones are edited.
pub fn world() -> Rc<World> {
    WORLD.with(|world| {
        world
            .borrow_mut()
            .get_or_insert_with(crate::state::zones::builtin_world)
            .clone()
    })
}

/// Makes `edited` the world the API and the tabs answer from.
pub fn set_world(edited: Rc<World>) {
    WORLD.with(|world| *world.borrow_mut() = Some(edited));
}

/// A function of the API that takes one argument.
type ApiFunction = fn(JsValue) -> Result<JsValue, JsValue>;

/// Installs `window.dnslab` with `version`, `decode`, `build`, `answer` and `resolve`.
pub fn install() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let api = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&api, &"version".into(), &env!("CARGO_PKG_VERSION").into());
    let one_argument: [(&str, ApiFunction); 3] =
        [("decode", decode), ("build", build), ("answer", answer)];
    for (name, function) in one_argument {
        let closure = Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(function);
        let _ = js_sys::Reflect::set(&api, &name.into(), closure.as_ref());
        // The API lives as long as the page.
        closure.forget();
    }
    let resolve = Closure::<dyn Fn(JsValue, JsValue) -> Result<JsValue, JsValue>>::new(resolve);
    let _ = js_sys::Reflect::set(&api, &"resolve".into(), resolve.as_ref());
    resolve.forget();
    let _ = js_sys::Reflect::set(&window, &"dnslab".into(), &api);
}

fn to_js(value: &impl serde::Serialize) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|error| js_sys::Error::new(&error.to_string()).into())
}

/// `dnslab.build(spec)`: `{ hex, message }` for `spec = { name, type, rd, cd, ad, do, edns,
/// bufsize, id, options }`.
fn build(spec: JsValue) -> Result<JsValue, JsValue> {
    let spec: dnslab_core::page::build::ApiBuildSpec = serde_wasm_bindgen::from_value(spec)
        .map_err(|error| js_sys::Error::new(&format!("dnslab.build: {error}")))?;
    let built = dnslab_core::page::build::build_for_api(&spec)
        .map_err(|error| js_sys::Error::new(&error))?;
    to_js(&built)
}

/// `dnslab.answer(hexQuery)`: the hex of the answer `dnslab serve` would send from these zones.
fn answer(hex: JsValue) -> Result<JsValue, JsValue> {
    let hex = hex
        .as_string()
        .ok_or_else(|| js_sys::Error::new("dnslab.answer takes the query as a hex string"))?;
    let query = dnslab_core::parse_hex_text(&hex)
        .map_err(|error| js_sys::Error::new(&format!("dnslab.answer: {error}")))?;
    let response =
        dnslab_core::page::build::answer_like_serve(&world(), &query).ok_or_else(|| {
            js_sys::Error::new("No answer: the built-in servers drop what is not a DNS query.")
        })?;
    Ok(dnslab_core::input::write::hex_stream(&response).into())
}

/// `dnslab.resolve(name, type)`: the trace as `dnslab resolve --json` prints it.
fn resolve(name: JsValue, qtype: JsValue) -> Result<JsValue, JsValue> {
    let name = name
        .as_string()
        .ok_or_else(|| js_sys::Error::new("dnslab.resolve takes a name and a type as strings"))?;
    let qtype = qtype.as_string().unwrap_or_else(|| "A".to_owned());
    let resolution = dnslab_core::page::resolve::resolve_for_page(
        &world(),
        &name,
        &qtype,
        dnslab_core::page::resolve::DEFAULT_START_TIME,
    )
    .map_err(|error| js_sys::Error::new(&error))?;
    js_sys::JSON::parse(&resolution.trace_json)
}

/// `dnslab.decode(text)`: `{ format, layers, messages }`, or an `Error` in plain words.
fn decode(text: JsValue) -> Result<JsValue, JsValue> {
    let text = text
        .as_string()
        .ok_or_else(|| js_sys::Error::new("dnslab.decode takes the pasted text as a string"))?;
    let decoded = dnslab_core::page::decode_for_api(text.as_bytes())
        .map_err(|error| js_sys::Error::new(&format!("No DNS message found: {error}")))?;
    decoded
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|error| js_sys::Error::new(&error.to_string()).into())
}
