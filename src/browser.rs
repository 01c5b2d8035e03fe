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

/// Fills `buffer` from the browser's `crypto.getRandomValues` (zeros where there is none, as in
/// the native render tests).
pub fn fill_random(buffer: &mut [u8]) {
    #[cfg(target_arch = "wasm32")]
    if getrandom::fill(buffer).is_ok() {
        return;
    }
    buffer.fill(0);
}

/// A random DNS message ID.
pub fn random_id() -> u16 {
    let mut bytes = [0u8; 2];
    fill_random(&mut bytes);
    u16::from_be_bytes(bytes)
}

/// A random client cookie (RFC 7873 §4: eight bytes), as 16 hex digits.
pub fn random_cookie() -> String {
    let mut bytes = [0u8; 8];
    fill_random(&mut bytes);
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The page's address without its fragment.
pub fn page_address() -> String {
    web_sys::window()
        .and_then(|window| window.location().href().ok())
        .map(|href| href.split('#').next().unwrap_or_default().to_owned())
        .unwrap_or_default()
}
