//! One DNS message as Wireshark's details and bytes panes show it: its diagnostics, the field
//! tree and the hex pane side by side with two-way highlighting, or a text view in their place.
//! Decode, Build (query and response) and Resolve all show messages through it.
//!
//! Which node is selected, hovered or open is this view's own state (it concerns no other
//! view), reset to the default expansion whenever another message is shown.

use std::collections::HashSet;
use std::rc::Rc;

use dnslab_core::dissect::Span;
use dnslab_core::page::{explain_node, FieldTree, MessageView, NodeId};
use yew::prelude::*;

use crate::components::diagnostics_list::DiagnosticsList;
use crate::components::field_tree::FieldTreeView;
use crate::components::hex_pane::HexPane;
use crate::state::default_expansion;

/// Properties of [`MessageInspector`].
#[derive(Debug, Properties, PartialEq)]
pub struct MessageInspectorProps {
    /// The message.
    pub view: MessageView,
    /// The accessible names: `Fields`/`Bytes`/`Diagnostics`, or `Response fields`/`Response
    /// bytes`/`Response diagnostics` for an answer shown beside its query.
    #[prop_or(false)]
    pub is_response: bool,
    /// A text (dig, JSON) shown instead of the two panes.
    #[prop_or_default]
    pub text: Option<AttrValue>,
    /// Told which node is selected, so a caller can explain it.
    #[prop_or_default]
    pub on_selected: Option<Callback<Option<NodeId>>>,
}

/// What this view remembers.
#[derive(Debug, Clone, PartialEq, Default)]
struct Selection {
    /// The bytes of the message this selection belongs to.
    of: Rc<Vec<u8>>,
    selected: Option<NodeId>,
    hovered: Option<NodeId>,
    marked: Option<Span>,
    expanded: Rc<HashSet<NodeId>>,
    /// True when the last selection came from the keyboard (focus follows it).
    from_keyboard: bool,
}

impl Selection {
    fn fresh(view: &MessageView) -> Self {
        Self {
            of: view.bytes.clone(),
            expanded: Rc::new(default_expansion(&view.tree)),
            ..Self::default()
        }
    }

    fn select(&mut self, tree: &FieldTree, id: NodeId, from_keyboard: bool) {
        self.selected = Some(id);
        self.from_keyboard = from_keyboard;
        let mut expanded = (*self.expanded).clone();
        expanded.extend(tree.ancestors(id).into_iter().skip(1));
        self.expanded = Rc::new(expanded);
    }
}

/// The message's diagnostics, tree and bytes.
#[function_component(MessageInspector)]
pub fn message_inspector(props: &MessageInspectorProps) -> Html {
    let selection = use_state(|| Selection::fresh(&props.view));
    // Another message: start again from its default expansion.
    let current =
        if Rc::ptr_eq(&selection.of, &props.view.bytes) || *selection.of == *props.view.bytes {
            (*selection).clone()
        } else {
            Selection::fresh(&props.view)
        };
    {
        let on_selected = props.on_selected.clone();
        use_effect_with(current.selected, move |selected| {
            if let Some(on_selected) = on_selected {
                on_selected.emit(*selected);
            }
        });
    }
    let tree = props.view.tree.clone();
    let update = {
        let selection = selection.clone();
        let current = current.clone();
        move |change: &dyn Fn(&mut Selection)| {
            let mut next = current.clone();
            change(&mut next);
            if next != current {
                selection.set(next);
            }
        }
    };
    let on_select = {
        let update = update.clone();
        let tree = tree.clone();
        Callback::from(move |(id, keyboard): (NodeId, bool)| {
            update(&|next: &mut Selection| {
                next.marked = None;
                next.select(&tree, id, keyboard);
            });
        })
    };
    let on_hover = {
        let update = update.clone();
        Callback::from(move |id: Option<NodeId>| update(&|next: &mut Selection| next.hovered = id))
    };
    let on_expand = {
        let update = update.clone();
        Callback::from(move |(id, open): (NodeId, bool)| {
            update(&|next: &mut Selection| {
                let mut expanded = (*next.expanded).clone();
                if open {
                    expanded.insert(id);
                } else {
                    expanded.remove(&id);
                }
                next.expanded = Rc::new(expanded);
            });
        })
    };
    let on_byte = {
        let update = update.clone();
        let tree = tree.clone();
        Callback::from(move |offset: usize| {
            if let Some(id) = tree.innermost_at(offset) {
                update(&|next: &mut Selection| {
                    next.marked = None;
                    next.select(&tree, id, false);
                });
            }
        })
    };
    let on_pick = {
        let tree = tree.clone();
        Callback::from(move |span: Span| {
            update(&|next: &mut Selection| {
                next.marked = Some(span);
                next.selected = None;
                if let Some(id) = tree.innermost_at(span.offset) {
                    next.select(&tree, id, false);
                }
            });
        })
    };
    let span_of = |id: Option<NodeId>| id.and_then(|id| tree.node(id)).map(|node| node.span);
    let highlight = span_of(current.hovered)
        .or(current.marked)
        .or_else(|| span_of(current.selected));
    let target = span_of(
        current
            .hovered
            .and_then(|id| tree.node(id))
            .and_then(|node| node.points_to),
    );
    let (tree_label, bytes_label, diagnostics_label) = if props.is_response {
        ("Response fields", "Response bytes", "Response diagnostics")
    } else {
        ("Fields", "Bytes", "Diagnostics")
    };
    let view = &props.view;
    html! {
        <>
            <DiagnosticsList diagnostics={view.diagnostics.clone()} {on_pick} label={diagnostics_label} />
            if let Some(text) = &props.text {
                <div class="text-view">
                    <button type="button" class="copy" onclick={copy_text(text.clone())}>{ "Copy" }</button>
                    <pre>{ text.clone() }</pre>
                </div>
            } else {
                <div class="panes">
                    <FieldTreeView tree={tree.clone()} expanded={current.expanded.clone()} selected={current.selected}
                        focus_selected={current.from_keyboard} label={tree_label} {on_select} {on_hover} {on_expand} />
                    <div class="side">
                        <HexPane bytes={view.bytes.clone()} {highlight} {target}
                            dns={Span::new(view.dns_offset, view.dns_length)}
                            diagnostics={view.diagnostics.clone()} label={bytes_label} {on_byte} />
                        { explanation_view(view, current.selected) }
                    </div>
                </div>
            }
        </>
    }
}

/// What the selected field is and what its value means, with the RFC section to read next.
fn explanation_view(view: &MessageView, selected: Option<NodeId>) -> Html {
    let Some(selected) = selected else {
        return html! {
            <aside class="learn hint" aria-label="Explanation">{ "Select a field to see what it means." }</aside>
        };
    };
    let explanations = explain_node(view, selected);
    if explanations.is_empty() {
        return html! {};
    }
    html! {
        <aside class="learn" aria-label="Explanation">
            { for explanations.iter().map(|explanation| html! {
                <div class="explanation">
                    <h3>{ explanation.title }</h3>
                    <p>{ explanation.text }</p>
                    if let (Some(reference), Some(link)) = (&explanation.reference, &explanation.link) {
                        <p class="reference"><a href={link.clone()} target="_blank" rel="noopener">{ reference }</a></p>
                    }
                </div>
            }) }
        </aside>
    }
}

fn copy_text(text: AttrValue) -> Callback<MouseEvent> {
    Callback::from(move |_| crate::browser::copy_to_clipboard(&text))
}
