//! Entry point of the web app: mounts [`dnslab_web::App`] on the page (built for wasm by Trunk).

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<dnslab_web::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "dnslab-web runs in the browser: build it with `make dist` and serve it with `make run`"
    );
}
