//! The application shell: the paste box and, below it, what dnslab-core makes of the paste.

use yew::prelude::*;

use crate::components::diagnostics_list::DiagnosticsList;
use crate::components::message_view::MessageView;
use crate::components::paste_box::PasteBox;

/// The whole page.
#[function_component(App)]
pub fn app() -> Html {
    let pasted_text = use_state(String::new);
    let on_text_change = {
        let pasted_text = pasted_text.clone();
        Callback::from(move |text: String| pasted_text.set(text))
    };
    // Decoding is cheap next to rendering, so it runs on every keystroke.
    let decoded = use_memo((*pasted_text).clone(), |text| {
        (!text.trim().is_empty()).then(|| dnslab_core::decode_pasted_text(text))
    });
    html! {
        <main class="app">
            <header class="app-header">
                <h1>{ "dnslab" }</h1>
                <p class="tagline">{ "Paste a DNS message (hex, a Wireshark or tcpdump dump, base64…) and see what it says." }</p>
            </header>
            <PasteBox text={(*pasted_text).clone()} on_change={on_text_change} />
            {
                match &*decoded {
                    None => html! {},
                    Some(Ok(paste)) => html! {
                        <>
                            <p class="input-origin">
                                { format!("{}: {}", paste.format, paste.layers) }
                                if paste.message_count > 1 {
                                    { format!(" (first of {} DNS messages)", paste.message_count) }
                                }
                            </p>
                            <DiagnosticsList diagnostics={paste.diagnostics.clone()} />
                            {
                                match &paste.summary {
                                    Ok(summary) => html! { <MessageView summary={summary.clone()} /> },
                                    Err(error) => html! {
                                        <p class="decode-error" role="alert">{ error.to_string() }</p>
                                    },
                                }
                            }
                        </>
                    },
                    Some(Err(error)) => html! {
                        <p class="decode-error" role="alert">{ error.to_string() }</p>
                    },
                }
            }
        </main>
    }
}
