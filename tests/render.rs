//! Native render tests of the components (Yew's server-side renderer): the tree, the hex pane
//! and the whole shell render the contract's roles, names and `data-` attributes from the core's
//! view data.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashSet;
use std::rc::Rc;

use dnslab_core::dissect::Span;
use dnslab_core::page::{decode_for_page, PageDecode, PageOptions};
use dnslab_web::components::field_tree::{FieldTreeProps, FieldTreeView};
use dnslab_web::components::hex_pane::{HexPane, HexPaneProps};
use yew::{Callback, LocalServerRenderer};

/// Knot DNS answering `www.example.com A`, the whole Ethernet frame as tcpdump prints it.
const FRAME: &str =
    include_str!("../crates/dnslab-core/tests/data/captures/paste-example-com/f002.tcpdump-xx.txt");

fn decoded() -> PageDecode {
    decode_for_page(FRAME.as_bytes(), &PageOptions::default()).expect("a DNS message")
}

#[tokio::test]
async fn the_hex_pane_has_one_element_per_byte_and_marks_the_highlight() {
    let view = decoded().selected;
    let props = HexPaneProps {
        bytes: view.bytes.clone(),
        highlight: Some(Span::new(42, 2)),
        target: None,
        dns: Span::new(view.dns_offset, view.dns_length),
        diagnostics: view.diagnostics.clone(),
        label: "Bytes".into(),
        on_byte: Callback::noop(),
    };
    let html = LocalServerRenderer::<HexPane>::with_props(props)
        .render()
        .await;
    assert!(
        html.contains(r#"role="group" aria-label="Bytes""#),
        "{html}"
    );
    assert_eq!(html.matches("data-offset=").count(), view.bytes.len());
    let highlighted: Vec<usize> = (0..view.bytes.len())
        .filter(|offset| html.contains(&format!(r#"data-offset="{offset}" class="byte hl""#)))
        .collect();
    assert_eq!(highlighted, [42, 43]);
    assert!(
        html.contains(r#"data-offset="42" class="byte hl">3a<"#),
        "{html}"
    );
    // The Ethernet, IP and UDP bytes are marked as lower layers, the DNS bytes are not.
    assert!(
        html.contains(r#"data-offset="0" class="byte layer">00<"#),
        "{html}"
    );
    assert!(
        html.contains(r#"data-offset="44" class="byte">85<"#),
        "{html}"
    );
}

#[tokio::test]
async fn the_tree_renders_visible_nodes_with_spans_and_selection() {
    let view = decoded().selected;
    let dns = view
        .tree
        .nodes
        .iter()
        .find(|node| node.key == "dns")
        .expect("the DNS node")
        .id;
    let header = view
        .tree
        .nodes
        .iter()
        .find(|node| node.key == "header")
        .expect("header")
        .id;
    let id = view
        .tree
        .nodes
        .iter()
        .find(|node| node.key == "header.id")
        .expect("ID")
        .id;
    let props = FieldTreeProps {
        tree: view.tree.clone(),
        expanded: Rc::new(HashSet::from([dns, header])),
        selected: Some(id),
        label: "Fields".into(),
        focus_selected: false,
        on_select: Callback::noop(),
        on_hover: Callback::noop(),
        on_expand: Callback::noop(),
    };
    let html = LocalServerRenderer::<FieldTreeView>::with_props(props)
        .render()
        .await;
    assert!(
        html.contains(r#"role="tree" aria-label="Fields""#),
        "{html}"
    );
    // Three layers and DNS on top, the header under DNS, its fields under it; nothing deeper.
    assert!(html.contains("Ethernet II"), "{html}");
    assert!(
        html.contains("Flags: 0x8500 Standard query response, No error"),
        "{html}"
    );
    assert!(
        !html.contains("Query/Response (QR)"),
        "flag bits stay closed: {html}"
    );
    let selected = html
        .split("<div role=\"treeitem\"")
        .find(|item| item.contains(r#"aria-selected="true""#))
        .expect("a selected item");
    assert!(
        selected.contains(r#"data-start="42" data-end="44""#),
        "{selected}"
    );
    assert!(selected.contains("Transaction ID: 0x3a09"), "{selected}");
    assert_eq!(html.matches(r#"aria-selected="true""#).count(), 1);
}

#[tokio::test]
async fn the_shell_renders_the_tabs_and_the_paste_box() {
    let html = LocalServerRenderer::<dnslab_web::App>::new().render().await;
    assert!(html.contains(r#"role="tablist""#), "{html}");
    for tab in ["Decode", "Build", "Resolve", "Zones"] {
        assert!(
            html.contains(&format!(">{tab}</button>")),
            "tab {tab}: {html}"
        );
    }
    assert!(html.contains(r#"role="tabpanel""#), "{html}");
    assert!(
        html.contains(r#"<label for="paste" class="paste-label">Paste</label>"#),
        "{html}"
    );
}

/// Renders one tab over a store that has applied `actions` (effects do not run in the server
/// renderer, so what shows is the store's state).
mod tab_harness {
    use dnslab_web::components::build_tab::BuildTab;
    use dnslab_web::components::decode_tab::DecodeTab;
    use dnslab_web::components::resolve_tab::ResolveTab;
    use dnslab_web::components::zones_tab::ZonesTab;
    use dnslab_web::state::{Action, PageState, Tab};
    use yew::prelude::*;

    #[derive(Debug, PartialEq, Properties)]
    pub struct HarnessProps {
        pub tab: Tab,
        pub actions: Vec<Action>,
    }

    #[function_component(Harness)]
    pub fn harness(props: &HarnessProps) -> Html {
        let actions = props.actions.clone();
        let state = use_reducer(move || {
            let mut state = std::rc::Rc::new(PageState::default());
            for action in actions {
                state = state.reduce(action);
            }
            std::rc::Rc::unwrap_or_clone(state)
        });
        match props.tab {
            Tab::Build => html! { <BuildTab state={state.clone()} /> },
            Tab::Resolve => html! { <ResolveTab state={state.clone()} /> },
            Tab::Decode => html! { <DecodeTab state={state.clone()} /> },
            _ => html! { <ZonesTab state={state.clone()} /> },
        }
    }

    pub async fn render(tab: Tab, actions: Vec<Action>) -> String {
        yew::LocalServerRenderer::<Harness>::with_props(HarnessProps { tab, actions })
            .render()
            .await
    }
}

#[tokio::test]
async fn build_renders_the_contract_controls_and_answers_from_the_builtin_zones() {
    use dnslab_web::state::build::BuildAction;
    use dnslab_web::state::{Action, Tab};
    let html = tab_harness::render(
        Tab::Build,
        vec![Action::Build(BuildAction::SendBuiltin(None))],
    )
    .await;
    for label in ["Name", "Type", "Class", "ID"] {
        assert!(
            html.contains(&format!(">{label}</label>")),
            "label {label}: {html}"
        );
    }
    for checkbox in ["RD", "CD", "AD", "DO", "EDNS", "NSID", "COOKIE"] {
        assert!(
            html.contains(&format!(r#"type="checkbox">{checkbox}</label>"#)),
            "checkbox {checkbox}: {html}"
        );
    }
    assert!(html.contains(">Send to built-in zones</button>"));
    assert!(html.contains(">Send via bridge</button>"));
    assert!(html.contains(r#"role="tree" aria-label="Fields""#));
    // The answer of the built-in zones, beside the query, under the response names.
    assert!(
        html.contains(r#"role="tree" aria-label="Response fields""#),
        "{html}"
    );
    assert!(html.contains(r#"aria-label="Response bytes""#));
    assert!(html.contains("Authoritative answer"), "{html}");
}

#[tokio::test]
async fn resolve_renders_each_step_with_the_contract_attributes() {
    use dnslab_web::state::resolve::ResolveAction;
    use dnslab_web::state::{Action, Tab};
    let html = tab_harness::render(
        Tab::Resolve,
        vec![Action::Resolve(ResolveAction::Ask(
            "www.example.com".into(),
            "A".into(),
        ))],
    )
    .await;
    assert!(
        html.contains(r#"role="list" aria-label="Resolution steps""#),
        "{html}"
    );
    let outcomes: Vec<&str> = html
        .split("data-outcome=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert_eq!(outcomes, ["referral", "referral", "answer"], "{html}");
    assert!(html.contains(r#"data-server="a.root-servers.net.""#));
    assert!(html.contains(r#"data-zone="com.""#));
    assert!(html.contains(r#"aria-label="Answer""#));
}

#[tokio::test]
async fn zones_mark_an_error_at_its_line_and_column() {
    use dnslab_web::state::zones::ZonesAction;
    use dnslab_web::state::{Action, Tab};
    let html = tab_harness::render(
        Tab::Zones,
        vec![
            Action::Zones(ZonesAction::SetOpen("example.com.".into(), true)),
            Action::Zones(ZonesAction::Edit(
                "example.com.".into(),
                "$TTL 300\n@ IN SOA ns1 host 1 2 3 4 5\n@ IN NS ns1\nns1 IN A 999.0.0.1\n".into(),
            )),
        ],
    )
    .await;
    assert!(
        html.contains(r#"aria-label="Zone file example.com.""#),
        "{html}"
    );
    assert!(
        html.contains(r#"role="list" aria-label="Zone errors""#),
        "{html}"
    );
    assert!(html.contains(r#"data-line="4" data-column="10""#), "{html}");
}

/// While a zone's text has an error its last valid text stays applied, also after a reload:
/// the stored edits carry it, and a page that loads them answers from it.
#[test]
fn an_erring_zone_keeps_its_last_valid_text_applied_across_a_reload() {
    use dnslab_core::page::resolve::{resolve_for_page, DEFAULT_START_TIME};
    use dnslab_web::state::zones::{ZonesAction, ZonesState};
    let answer_lines = |state: &ZonesState| {
        resolve_for_page(&state.world(), "extra.example.com", "A", DEFAULT_START_TIME)
            .map(|resolution| resolution.answer_lines)
            .unwrap_or_default()
    };
    let mut before = ZonesState::default();
    before.ensure_listed();
    let builtin = before
        .zones
        .iter()
        .find(|zone| zone.origin == "example.com.")
        .map(|zone| zone.text.clone())
        .expect("example.com. is built in");
    let valid = format!("{builtin}\nextra 300 IN A 192.0.2.77\n");
    let erring = format!("{valid}broken 300 IN A 192.0.2.999\n");
    before.apply(ZonesAction::Edit("example.com.".into(), valid.clone()));
    assert!(
        answer_lines(&before)
            .iter()
            .any(|line| line.contains("192.0.2.77")),
        "the valid edit applies: {:?}",
        answer_lines(&before)
    );
    before.apply(ZonesAction::Edit("example.com.".into(), erring.clone()));
    assert!(
        answer_lines(&before)
            .iter()
            .any(|line| line.contains("192.0.2.77")),
        "with an error, the last valid edit still applies"
    );

    let stored = before.stored();
    let mut after = ZonesState::default();
    after.apply(ZonesAction::Load(Some(stored)));
    let zone = after
        .zones
        .iter()
        .find(|zone| zone.origin == "example.com.")
        .expect("example.com. is listed");
    assert_eq!(
        zone.text, erring,
        "the editor shows the erring text after a reload"
    );
    assert!(!zone.check.errors.is_empty(), "and its error");
    assert!(
        answer_lines(&after)
            .iter()
            .any(|line| line.contains("192.0.2.77")),
        "and the last valid edit still applies: {:?}",
        answer_lines(&after)
    );
    // Fixed, the stored text carries no second copy.
    before.apply(ZonesAction::Edit("example.com.".into(), valid));
    assert!(
        !before.stored().contains("last_valid"),
        "{}",
        before.stored()
    );
}

#[tokio::test]
async fn a_capture_read_in_steps_shows_its_progress_then_its_packets() {
    use dnslab_core::page::{decode_for_page, PageOptions, PageProgress};
    use dnslab_web::state::{Action, LoadTicket, Tab};
    let capture: &[u8] =
        include_bytes!("../crates/dnslab-core/tests/data/captures/example-com-ethernet.pcapng");
    let file = ("dns.pcapng".to_owned(), std::rc::Rc::new(capture.to_vec()));
    let ticket = LoadTicket::default();
    let start = Action::StartLoad {
        file,
        options: PageOptions::default(),
        ticket: ticket.clone(),
    };
    let progress = PageProgress {
        frames_done: 3,
        frame_count: 8,
        rows_done: 0,
        message_count: None,
    };
    let reading = vec![
        start.clone(),
        Action::LoadProgress(ticket.clone(), progress),
    ];
    let html = tab_harness::render(Tab::Decode, reading.clone()).await;
    assert!(
        html.contains(r#"role="status" data-testid="load-progress""#),
        "{html}"
    );
    assert!(
        html.contains("dns.pcapng: Reading frames: 3 of 8"),
        "{html}"
    );
    assert!(!html.contains("data-packet="), "{html}");
    // The result of another reading is not this one's.
    let decoded = decode_for_page(capture, &PageOptions::default())
        .map(std::rc::Rc::new)
        .map_err(|error| error.to_string());
    let mut stale = reading.clone();
    stale.push(Action::Loaded(LoadTicket::default(), decoded.clone()));
    let html = tab_harness::render(Tab::Decode, stale).await;
    assert!(html.contains("Reading frames: 3 of 8"), "{html}");
    let mut done = reading;
    done.push(Action::Loaded(ticket.clone(), decoded));
    let html = tab_harness::render(Tab::Decode, done).await;
    assert!(!html.contains("load-progress"), "{html}");
    assert!(html.contains(r#"data-packet="1""#), "{html}");
    // A paste while a capture is read stops the reading.
    assert!(!ticket.cancelled());
    let paste = "3a090120000100000000000103777777076578616d706c6503636f6d0000010001";
    let html = tab_harness::render(Tab::Decode, vec![start, Action::Paste(paste.to_owned())]).await;
    assert!(ticket.cancelled());
    assert!(!html.contains("load-progress"), "{html}");
}
