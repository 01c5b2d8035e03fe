//! The few browser services the page uses (address bar, clipboard), each failing quietly: a page
//! that cannot copy or rewrite its URL still works.

/// The URL fragment without `#`, or empty (always empty outside a browser, e.g. in the native
/// render tests, where web-sys cannot be called).
pub fn fragment() -> String {
    if !cfg!(target_arch = "wasm32") {
        return String::new();
    }
    web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .map(|hash| hash.trim_start_matches('#').to_owned())
        .unwrap_or_default()
}

/// Replaces the URL fragment without a history entry.
pub fn replace_fragment(fragment: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if window.location().hash().ok().as_deref() == Some(&format!("#{fragment}")) {
        return;
    }
    if let Ok(history) = window.history() {
        let url = if fragment.is_empty() {
            window.location().pathname().unwrap_or_default()
        } else {
            format!("#{fragment}")
        };
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Writes `text` to the clipboard (when the browser allows it).
pub fn copy_to_clipboard(text: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
}
