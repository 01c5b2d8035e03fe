//! The packet-details pane: the field tree as a WAI-ARIA tree (arrow keys, Enter/Space, Home/End),
//! rendered flat (one `treeitem` per visible node, with `aria-level`) so every row is its own
//! target for pointer and keyboard.

use std::collections::HashSet;
use std::rc::Rc;

use dnslab_core::page::{FieldTree, NodeId};
use yew::prelude::*;

/// Properties of [`FieldTreeView`].
#[derive(Debug, Properties, PartialEq)]
pub struct FieldTreeProps {
    /// The tree to show.
    pub tree: Rc<FieldTree>,
    /// Open nodes.
    pub expanded: Rc<HashSet<NodeId>>,
    /// The selected node.
    pub selected: Option<NodeId>,
    /// The tree's accessible name (`Fields`, `Response fields`).
    #[prop_or(AttrValue::Static("Fields"))]
    pub label: AttrValue,
    /// True when the selection came from the keyboard, so focus follows it.
    pub focus_selected: bool,
    /// A node was selected (`true` from the keyboard).
    pub on_select: Callback<(NodeId, bool)>,
    /// The pointer entered a node, or left the tree.
    pub on_hover: Callback<Option<NodeId>>,
    /// Open or close a node.
    pub on_expand: Callback<(NodeId, bool)>,
}

/// The field tree.
#[function_component(FieldTreeView)]
pub fn field_tree_view(props: &FieldTreeProps) -> Html {
    let tree_ref = use_node_ref();
    let expanded = props.expanded.clone();
    let visible = props.tree.visible(|id| expanded.contains(&id));
    // Keep the selected row in view, and focused when the keyboard moved it.
    {
        let tree_ref = tree_ref.clone();
        let focus = props.focus_selected;
        use_effect_with((props.selected, props.expanded.clone()), move |_| {
            if let Some(root) = tree_ref.cast::<web_sys::Element>() {
                if let Ok(Some(row)) = root.query_selector("[role=treeitem][aria-selected=true]") {
                    row.scroll_into_view_with_bool(false);
                    if focus {
                        if let Ok(row) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(row)
                        {
                            let _ = row.focus();
                        }
                    }
                }
            }
        });
    }
    let onkeydown = {
        let tree = props.tree.clone();
        let expanded = props.expanded.clone();
        let selected = props.selected;
        let visible = visible.clone();
        let on_select = props.on_select.clone();
        let on_expand = props.on_expand.clone();
        Callback::from(move |event: KeyboardEvent| {
            let current = selected.or_else(|| visible.first().copied());
            let Some(current) = current else { return };
            let position = visible.iter().position(|id| *id == current).unwrap_or(0);
            let node = tree.node(current);
            let has_children = node.is_some_and(|node| !node.children.is_empty());
            let is_open = expanded.contains(&current);
            let target = match event.key().as_str() {
                "ArrowDown" => visible.get(position + 1).copied(),
                "ArrowUp" => position
                    .checked_sub(1)
                    .and_then(|index| visible.get(index).copied()),
                "Home" => visible.first().copied(),
                "End" => visible.last().copied(),
                "ArrowRight" if has_children && !is_open => {
                    on_expand.emit((current, true));
                    None
                }
                "ArrowRight" => node.and_then(|node| node.children.first().copied()),
                "ArrowLeft" if has_children && is_open => {
                    on_expand.emit((current, false));
                    None
                }
                "ArrowLeft" => node.and_then(|node| node.parent),
                "Enter" | " " if has_children => {
                    on_expand.emit((current, !is_open));
                    None
                }
                "Enter" | " " => node.and_then(|node| node.points_to),
                _ => return,
            };
            event.prevent_default();
            if let Some(target) = target {
                on_select.emit((target, true));
            } else if selected.is_none() {
                on_select.emit((current, true));
            }
        })
    };
    let onmouseleave = {
        let on_hover = props.on_hover.clone();
        Callback::from(move |_| on_hover.emit(None))
    };
    let focusable = props.selected.or_else(|| visible.first().copied());
    html! {
        <div class="field-tree" role="tree" aria-label={props.label.clone()} ref={tree_ref}
             {onkeydown} {onmouseleave}>
            { for visible.iter().filter_map(|id| props.tree.node(*id)).map(|node| {
                let id = node.id;
                let is_selected = props.selected == Some(id);
                let has_children = !node.children.is_empty();
                let is_open = props.expanded.contains(&id);
                let onclick = {
                    let on_select = props.on_select.clone();
                    Callback::from(move |_: MouseEvent| on_select.emit((id, false)))
                };
                let onmouseenter = {
                    let on_hover = props.on_hover.clone();
                    Callback::from(move |_: MouseEvent| on_hover.emit(Some(id)))
                };
                let on_twisty = {
                    let on_expand = props.on_expand.clone();
                    Callback::from(move |event: MouseEvent| {
                        event.stop_propagation();
                        on_expand.emit((id, !is_open));
                    })
                };
                let follow = node.points_to.map(|target| {
                    let on_select = props.on_select.clone();
                    let onclick = Callback::from(move |event: MouseEvent| {
                        event.stop_propagation();
                        on_select.emit((target, false));
                    });
                    html! {
                        <button type="button" class="follow" tabindex="-1" aria-label="Follow pointer"
                                title="Select the name this pointer leads to" {onclick}>{ "↪" }</button>
                    }
                });
                html! {
                    <div role="treeitem"
                         class={classes!("node", is_selected.then_some("selected"), node.points_to.map(|_| "pointer"), node.via_pointer.then_some("indirect"))}
                         aria-level={(node.depth + 1).to_string()}
                         aria-expanded={has_children.then_some(if is_open { "true" } else { "false" })}
                         aria-selected={if is_selected { "true" } else { "false" }}
                         data-start={node.span.offset.to_string()}
                         data-end={node.span.end().to_string()}
                         data-key={node.key.clone()}
                         tabindex={if focusable == Some(id) { "0" } else { "-1" }}
                         style={format!("--depth: {}", node.depth)}
                         {onclick} {onmouseenter}>
                        // The arrow is drawn by CSS so the item's text starts with its label.
                        <span class={classes!("twisty", has_children.then_some(if is_open { "open" } else { "closed" }))}
                              aria-hidden="true" onclick={on_twisty}></span>
                        <span class="node-text">{ &node.text }</span>
                        { for follow }
                    </div>
                }
            }) }
        </div>
    }
}
