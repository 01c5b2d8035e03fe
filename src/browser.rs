//! The few browser services the page uses (address bar, clipboard), each failing quietly: a page
//! that cannot copy or rewrite its URL still works.

use std::cell::{Cell, RefCell};

thread_local! {
    /// The fragment the address bar is to show once the frame now being prepared is painted
    /// (`replace_fragment`), and a count of the writes scheduled, so a late fallback timer can
    /// tell its write was already done.
    static PENDING_FRAGMENT: RefCell<Option<String>> = const { RefCell::new(None) };
    static FRAGMENT_WRITES: Cell<u64> = const { Cell::new(0) };
}

/// How long a fragment waits at most when no frame comes (a hidden tab paints none).
const FRAGMENT_FALLBACK_MS: i32 = 250;

/// The URL fragment without `#`, or empty (always empty outside a browser, e.g. in the native
/// render tests, where web-sys cannot be called). A fragment `replace_fragment` has yet to write
/// counts as the current one.
pub fn fragment() -> String {
    if !cfg!(target_arch = "wasm32") {
        return String::new();
    }
    if let Some(pending) = PENDING_FRAGMENT.with(|pending| pending.borrow().clone()) {
        return pending;
    }
    web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .map(|hash| hash.trim_start_matches('#').to_owned())
        .unwrap_or_default()
}

/// Replaces the URL fragment without a history entry, right after the next frame is painted.
/// Chromium's replaceState of a long `#decode=` link takes milliseconds; done at once it would
/// delay the frame that shows what the user typed. Calls before that frame coalesce: the last
/// one is written.
pub fn replace_fragment(fragment: &str) {
    if !cfg!(target_arch = "wasm32") {
        return;
    }
    let already_scheduled =
        PENDING_FRAGMENT.with(|pending| pending.replace(Some(fragment.to_owned())).is_some());
    if already_scheduled {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let write = FRAGMENT_WRITES.with(|writes| {
        writes.set(writes.get() + 1);
        writes.get()
    });
    let after_frame = window.clone();
    let on_frame = wasm_bindgen::closure::Closure::once_into_js(move || {
        let flush = wasm_bindgen::closure::Closure::once_into_js(flush_fragment);
        let _ = after_frame.set_timeout_with_callback(wasm_bindgen::JsCast::unchecked_ref(&flush));
    });
    let _ = window.request_animation_frame(wasm_bindgen::JsCast::unchecked_ref(&on_frame));
    let fallback = wasm_bindgen::closure::Closure::once_into_js(move || {
        if FRAGMENT_WRITES.with(Cell::get) == write {
            flush_fragment();
        }
    });
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
        wasm_bindgen::JsCast::unchecked_ref(&fallback),
        FRAGMENT_FALLBACK_MS,
    );
}

/// Writes the fragment `replace_fragment` holds back, if any, now (the panic banner does, so the
/// address bar keeps the last state shown).
pub fn flush_fragment() {
    if let Some(fragment) = PENDING_FRAGMENT.with(RefCell::take) {
        write_fragment(&fragment);
    }
}

/// Forgets the fragment `replace_fragment` holds back: the user navigated (a link, the back
/// button, a typed address), and that address wins over the state before it.
pub fn discard_pending_fragment() {
    PENDING_FRAGMENT.with(RefCell::take);
}

fn write_fragment(fragment: &str) {
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

/// Runs `work` once the page's next frame is on screen: a zero timeout posted from the animation
/// frame callback of the frame after it (one frame only would let the work run while that frame
/// is still being rastered and presented, which on a two-core machine delayed the first
/// contentful paint). For one-time work the first screen does not need but a click soon after
/// might (so it is not left to `requestIdleCallback`, which a busy page may put off for long).
pub fn after_next_paint(work: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let later = window.clone();
    let first_frame = wasm_bindgen::closure::Closure::once_into_js(move || {
        let latest = later.clone();
        let second_frame = wasm_bindgen::closure::Closure::once_into_js(move || {
            let work = wasm_bindgen::closure::Closure::once_into_js(work);
            let _ = latest.set_timeout_with_callback(wasm_bindgen::JsCast::unchecked_ref(&work));
        });
        let _ = later.request_animation_frame(wasm_bindgen::JsCast::unchecked_ref(&second_frame));
    });
    let _ = window.request_animation_frame(wasm_bindgen::JsCast::unchecked_ref(&first_frame));
}

/// UTS #46 ToASCII of one label with the browser's URL host parser (the WHATWG URL standard
/// runs UTS #46 with the browser's ICU data): `bücher` → `xn--bcher-kva`. The core calls it only
/// for labels of letters, digits, hyphens and characters outside ASCII
/// ([`dnslab_core::idna::to_ascii_label`]), which a URL host holds as they are.
pub fn label_to_ascii(label: &str) -> Option<String> {
    if !cfg!(target_arch = "wasm32") {
        return None;
    }
    let url = web_sys::Url::new(&format!("http://{label}/")).ok()?;
    Some(url.hostname())
}

/// Milliseconds on the page's clock (`performance.now()`; 0 outside a browser).
pub fn now_ms() -> f64 {
    if !cfg!(target_arch = "wasm32") {
        return 0.0;
    }
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or(0.0, |performance| performance.now())
}

thread_local! {
    /// The channel `next_task` posts to, and the promises waiting for its messages (oldest
    /// first). One channel for the page: kept here, it cannot be collected with a message on
    /// the way.
    static TASK_CHANNEL: RefCell<Option<web_sys::MessageChannel>> = const { RefCell::new(None) };
    static WAITING_FOR_TASK: RefCell<std::collections::VecDeque<js_sys::Function>> =
        const { RefCell::new(std::collections::VecDeque::new()) };
}

/// Resolves in a task of its own, after the browser has had the chance to handle input and
/// paint: how work in steps yields. A posted message, not a `setTimeout`, which browsers delay
/// by 4 ms once timeouts nest.
pub async fn next_task() {
    if !cfg!(target_arch = "wasm32") {
        return;
    }
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let posted = TASK_CHANNEL.with(|channel| {
            let mut channel = channel.borrow_mut();
            if channel.is_none() {
                let created = web_sys::MessageChannel::new().ok()?;
                let on_message = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(|| {
                    let waiting = WAITING_FOR_TASK.with(|waiting| waiting.borrow_mut().pop_front());
                    if let Some(resolve) = waiting {
                        let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
                    }
                });
                created
                    .port1()
                    .set_onmessage(Some(wasm_bindgen::JsCast::unchecked_ref(
                        on_message.as_ref(),
                    )));
                // The handler lives as long as the page.
                on_message.forget();
                *channel = Some(created);
            }
            let port = channel.as_ref()?.port2();
            port.post_message(&wasm_bindgen::JsValue::NULL).ok()?;
            // The message arrives in a later task: waiting is noted in time.
            WAITING_FOR_TASK.with(|waiting| waiting.borrow_mut().push_back(resolve.clone()));
            Some(())
        });
        if posted.is_none() {
            // No channel (outside a browser): go on at once.
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// A `performance.mark` named `name` (benchmarks read them; nothing else does).
pub fn performance_mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        let _ = performance.mark(name);
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

/// Offers `text` as a file download named `file_name`.
pub fn download_text(file_name: &str, text: &str) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(link) = document.create_element("a") {
        let _ = link.set_attribute("href", &url);
        let _ = link.set_attribute("download", file_name);
        if let Ok(link) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(link) {
            link.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|window| window.local_storage().ok().flatten())
}

/// The value stored under `key` in `localStorage`, if any (none outside a browser).
pub fn stored(key: &str) -> Option<String> {
    if !cfg!(target_arch = "wasm32") {
        return None;
    }
    local_storage().and_then(|storage| storage.get_item(key).ok().flatten())
}

/// Stores `value` under `key` in `localStorage` (quietly does nothing when storage is off).
pub fn store(key: &str, value: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(key, value);
    }
}
