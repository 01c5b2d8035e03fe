//! The text area where the user pastes hex; reports every change upwards.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// A Wireshark "Copy as Hex Stream" of Knot DNS answering `www.example.com A`, for the example button.
pub const EXAMPLE_RESPONSE_HEX: &str = "3a098500000100020000000103777777076578616d706c6503636f6d0000010001c00c0005000100000e100002c010c0100001000100000e1000045db8d70e00002904d0000000000000";

/// Properties of [`PasteBox`].
#[derive(Debug, Properties, PartialEq)]
pub struct PasteBoxProps {
    /// The current text.
    pub text: String,
    /// Called with the new text on every edit.
    pub on_change: Callback<String>,
}

/// The paste area and an example button.
#[function_component(PasteBox)]
pub fn paste_box(props: &PasteBoxProps) -> Html {
    let on_input = {
        let on_change = props.on_change.clone();
        Callback::from(move |event: InputEvent| {
            let area: HtmlTextAreaElement = event.target_unchecked_into();
            on_change.emit(area.value());
        })
    };
    let on_example = {
        let on_change = props.on_change.clone();
        Callback::from(move |_| on_change.emit(EXAMPLE_RESPONSE_HEX.to_owned()))
    };
    html! {
        <section class="paste-box">
            <label for="paste-input">{ "DNS message (hex)" }</label>
            <textarea
                id="paste-input"
                spellcheck="false"
                placeholder="e.g. 3a0985000001000200000001037777770765..."
                value={props.text.clone()}
                oninput={on_input}
            />
            <button type="button" onclick={on_example}>{ "Try an example" }</button>
        </section>
    }
}
