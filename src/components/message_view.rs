//! Shows a decoded message: header, flags, question and the record sections.

use dnslab_core::summary::RecordSummary;
use dnslab_core::MessageSummary;
use yew::prelude::*;

/// Properties of [`MessageView`].
#[derive(Debug, Properties, PartialEq)]
pub struct MessageViewProps {
    /// The message to show.
    pub summary: MessageSummary,
}

/// The decoded message.
#[function_component(MessageView)]
pub fn message_view(props: &MessageViewProps) -> Html {
    let summary = &props.summary;
    let kind = if summary.is_response {
        "Response"
    } else {
        "Query"
    };
    html! {
        <section class="message-view" aria-label="decoded message">
            <h2>{ format!("{kind} · ID {} · {} bytes", summary.id, summary.length) }</h2>
            <dl class="header-fields">
                <dt>{ "Opcode" }</dt><dd>{ &summary.opcode }</dd>
                <dt>{ "Status" }</dt><dd class="rcode">{ &summary.rcode }</dd>
                <dt>{ "Flags" }</dt><dd class="flags">{ summary.flags.join(" ") }</dd>
                if let Some(edns) = &summary.edns {
                    <dt>{ "EDNS" }</dt>
                    <dd>{ format!("version {}, UDP payload {} bytes{}", edns.version,
                        edns.udp_payload_size, if edns.dnssec_ok { ", DNSSEC OK" } else { "" }) }</dd>
                }
            </dl>
            <h3>{ "Question" }</h3>
            <table class="records question">
                <tbody>
                { for summary.questions.iter().map(|question| html! {
                    <tr>
                        <td class="name">{ &question.name }</td>
                        <td>{ &question.class }</td>
                        <td>{ &question.record_type }</td>
                    </tr>
                }) }
                </tbody>
            </table>
            { record_section("Answer", &summary.answers) }
            { record_section("Authority", &summary.authorities) }
            { record_section("Additional", &summary.additionals) }
        </section>
    }
}

fn record_section(title: &str, records: &[RecordSummary]) -> Html {
    if records.is_empty() {
        return html! {};
    }
    html! {
        <>
            <h3>{ title }</h3>
            <table class={classes!("records", title.to_lowercase())}>
                <tbody>
                { for records.iter().map(|record| html! {
                    <tr>
                        <td class="name">{ &record.name }</td>
                        <td class="ttl">{ record.ttl }</td>
                        <td>{ &record.class }</td>
                        <td>{ &record.record_type }</td>
                        <td class="rdata">{ &record.data }</td>
                    </tr>
                }) }
                </tbody>
            </table>
        </>
    }
}
