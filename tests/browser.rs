//! Browser tests of the web app: render the real page in headless Chromium and paste a real response.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use gloo_timers::future::sleep;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Event, EventInit, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Knot DNS answering `www.example.com A` (frame 2 of the shared capture), as Wireshark copies it.
const WWW_EXAMPLE_COM_RESPONSE: &str = include_str!(
    "../crates/dnslab-core/tests/data/captures/paste-example-com/f002.ws-hexstream.txt"
);

/// Mounts the app in a fresh element and returns that element once the first render is done.
async fn mount_app() -> web_sys::Element {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .expect("a browser document");
    let root = document.create_element("div").expect("a div");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("append the root");
    yew::Renderer::<dnslab_web::App>::with_root(root.clone()).render();
    // Yew renders from its scheduler, after this task yields.
    for _ in 0..100 {
        if root.query_selector("#paste").ok().flatten().is_some() {
            break;
        }
        sleep(Duration::from_millis(20)).await;
    }
    root
}

/// Types `text` into the paste box the way a user's paste does: set the value, fire `input`.
fn paste(root: &web_sys::Element, text: &str) {
    let area: HtmlTextAreaElement = root
        .query_selector("#paste")
        .expect("a valid selector")
        .expect("the paste box")
        .dyn_into()
        .expect("a textarea");
    area.set_value(text);
    let init = EventInit::new();
    init.set_bubbles(true);
    let event = Event::new_with_event_init_dict("input", &init).expect("an input event");
    area.dispatch_event(&event).expect("dispatch");
}

async fn rendered_text(root: &web_sys::Element) -> String {
    // Yew renders on the next tick after a state change.
    sleep(Duration::from_millis(50)).await;
    root.text_content().unwrap_or_default()
}

#[wasm_bindgen_test]
async fn pasting_a_response_shows_its_question_and_answers() {
    let root = mount_app().await;
    paste(&root, WWW_EXAMPLE_COM_RESPONSE);
    let text = rendered_text(&root).await;
    assert!(text.contains("www.example.com."), "page text: {text}");
    assert!(text.contains("CNAME"), "page text: {text}");
    assert!(text.contains("93.184.215.14"), "page text: {text}");
    assert!(
        text.contains("Standard query response, No error"),
        "page text: {text}"
    );
    let items = root
        .query_selector_all("[role=tree] [role=treeitem]")
        .expect("a valid selector");
    assert!(items.length() > 20, "only {} tree items", items.length());
}

#[wasm_bindgen_test]
async fn clicking_a_byte_selects_the_field_it_belongs_to() {
    let root = mount_app().await;
    paste(&root, WWW_EXAMPLE_COM_RESPONSE);
    rendered_text(&root).await;
    let byte: web_sys::HtmlElement = root
        .query_selector("[data-offset='13']")
        .expect("a valid selector")
        .expect("byte 13 in the hex pane")
        .dyn_into()
        .expect("an element");
    byte.click();
    rendered_text(&root).await;
    let selected = root
        .query_selector("[role=treeitem][aria-selected=true]")
        .expect("a valid selector")
        .expect("a selected node");
    assert_eq!(selected.get_attribute("data-start").as_deref(), Some("12"));
    assert!(selected
        .text_content()
        .unwrap_or_default()
        .starts_with("Label: www"));
    let highlighted = root
        .query_selector_all(".hex-bytes .hl")
        .expect("a valid selector");
    assert_eq!(highlighted.length(), 4);
}

#[wasm_bindgen_test]
async fn pasting_junk_shows_an_error_and_no_panic() {
    let root = mount_app().await;
    paste(&root, "3a09zz");
    let text = rendered_text(&root).await;
    let error = root
        .query_selector(".decode-error")
        .expect("a valid selector");
    assert!(error.is_some(), "no error shown; page text: {text}");
    assert!(!text.contains("QUESTION"), "page text: {text}");
    // The page is still alive: a valid paste afterwards decodes.
    paste(&root, WWW_EXAMPLE_COM_RESPONSE);
    let text = rendered_text(&root).await;
    assert!(text.contains("93.184.215.14"), "page text: {text}");
}

/// The same response as `tcpdump -xx` prints it: a whole Ethernet frame with a summary line.
const WWW_EXAMPLE_COM_TCPDUMP: &str =
    include_str!("../crates/dnslab-core/tests/data/captures/paste-example-com/f002.tcpdump-xx.txt");

#[wasm_bindgen_test]
async fn a_whole_frame_shows_its_format_and_layers() {
    let root = mount_app().await;
    paste(&root, WWW_EXAMPLE_COM_TCPDUMP);
    let text = rendered_text(&root).await;
    assert!(text.contains("Ethernet"), "page text: {text}");
    assert!(text.contains("UDP"), "page text: {text}");
    assert!(text.contains("93.184.215.14"), "page text: {text}");
}

#[wasm_bindgen_test]
async fn a_cut_off_message_shows_an_error_diagnostic() {
    let root = mount_app().await;
    // The response cut in the middle of its last record's data.
    let stream = WWW_EXAMPLE_COM_RESPONSE.trim();
    paste(&root, &stream[..stream.len() - 30]);
    let text = rendered_text(&root).await;
    let diagnostic = root
        .query_selector(".diagnostic.error")
        .expect("a valid selector");
    assert!(
        diagnostic.is_some(),
        "no error diagnostic; page text: {text}"
    );
}

/// The page converts internationalized labels with the browser's UTS #46 (its URL host parser):
/// it must give what the `idna` crate gives with hickory-proto's options (the native builds'
/// conversion), for labels of many scripts and for the cases UTS #46 treats specially.
#[wasm_bindgen_test]
fn the_browsers_idna_is_the_idna_crates() {
    use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};
    dnslab_core::idna::set_label_to_ascii(dnslab_web::browser::label_to_ascii);
    let labels = [
        "bücher",
        "BÜCHER",
        "faß",
        "ΣΊΣΥΦΟΣ",
        "ςόφος",
        "例え",
        "测试",
        "テスト",
        "пример",
        "xn--bcher-kva",
        "mañana-2",
        "παράδειγμα",
        "उदाहरण",
        "مثال",
        "דוגמה",
        "ไทย",
        "한국",
        "☃",
        "😀",
        "a\u{200d}b",
        "क्\u{200d}",
        "ab\u{0301}",
        "a\u{0301}b",
        "ⅷ",
        "ﬁ",
        "ǅ",
        "İstanbul",
        "ǉ",
        "\u{05d0}1",
        "1\u{05d0}",
        "\u{0627}a",
        "a\u{0627}",
        "-bücher",
        "bücher-",
        "bü--cher",
        "\u{0301}a",
        "\u{fe0f}a",
        "a\u{00ad}b",
    ];
    let mut compared = 0;
    for label in labels {
        let crate_result = Uts46::new()
            .to_ascii(
                label.as_bytes(),
                AsciiDenyList::STD3,
                Hyphens::Allow,
                DnsLength::Ignore,
            )
            .ok()
            .map(|converted| converted.into_owned())
            .filter(|converted| !converted.is_empty() && !converted.contains('.'));
        let page_result = dnslab_core::idna::to_ascii_label(label).ok();
        assert_eq!(page_result, crate_result, "label {label:?}");
        compared += 1;
    }
    assert_eq!(compared, labels.len());
    // And back: a valid A-label shows as its U-label.
    assert_eq!(
        dnslab_core::idna::to_unicode_label(b"xn--bcher-kva").as_deref(),
        Some("bücher")
    );
}
