//! `window.dnslab`, the page's JavaScript API (the page contract's section): the same answers as
//! the CLI, converted by serde-wasm-bindgen.

use serde::Serialize as _;
use wasm_bindgen::prelude::*;

/// Installs `window.dnslab` with `version` and `decode`.
pub fn install() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let api = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&api, &"version".into(), &env!("CARGO_PKG_VERSION").into());
    let decode = Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(decode);
    let _ = js_sys::Reflect::set(&api, &"decode".into(), decode.as_ref());
    // The API lives as long as the page.
    decode.forget();
    let _ = js_sys::Reflect::set(&window, &"dnslab".into(), &api);
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
