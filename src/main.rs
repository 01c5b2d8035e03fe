//! Entry point of the web app: installs the panic banner and `window.dnslab`, then mounts
//! [`dnslab_web::App`] (built for wasm by Trunk).

#[cfg(target_arch = "wasm32")]
fn main() {
    std::panic::set_hook(Box::new(|info| show_panic_banner(&info.to_string())));
    dnslab_web::api::install();
    // Internationalized names convert with the browser's own UTS #46, set before the first state
    // is built (a `#build=` link may hold one) rather than on every render of the app.
    dnslab_core::idna::set_label_to_ascii(dnslab_web::browser::label_to_ascii);
    yew::Renderer::<dnslab_web::App>::new().render();
}

/// A wasm panic stops the app: say so on the page, keep the address bar (the state is in it) and
/// offer a reload.
#[cfg(target_arch = "wasm32")]
fn show_panic_banner(message: &str) {
    web_sys::console::error_1(&message.into());
    // The wasm instance stops after this hook, and the timer that would write the address bar
    // with it: write it now.
    dnslab_web::browser::flush_fragment();
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let Ok(banner) = document.create_element("div") else {
        return;
    };
    banner.set_class_name("panic-banner");
    let _ = banner.set_attribute("role", "alert");
    banner.set_text_content(Some(&format!(
        "dnslab stopped because of a bug: {message}. "
    )));
    if let Ok(link) = document.create_element("a") {
        let _ = link.set_attribute("href", "javascript:location.reload()");
        link.set_text_content(Some("Reload the page"));
        let _ = banner.append_child(&link);
    }
    if let Some(body) = document.body() {
        let _ = body.prepend_with_node_1(&banner);
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "dnslab-web runs in the browser: build it with `make dist` and serve it with `make run`"
    );
}
