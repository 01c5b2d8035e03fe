//! Everything the bridge must refuse, and proof that refused things reach no server.

use std::time::Duration;

use futures_util::SinkExt;
use hickory_proto::op::{Message, OpCode, Query};
use hickory_proto::rr::{Name, RecordType};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message as WsMessage;

use crate::harness::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upstream_that_is_not_configured_receives_nothing() {
    // A listener on another loopback address: if the bridge ever sent anything there, it
    // would show up here, over UDP or TCP.
    let forbidden = FakeUpstream::start(
        [127, 0, 0, 2],
        Box::new(|query, _, _| vec![echo_response(query)]),
    )
    .await;
    let forbidden_tcp = TcpListener::bind(forbidden.address)
        .await
        .expect("TCP on 127.0.0.2");
    let allowed = FakeUpstream::echo().await;
    let bridge = RunningBridge::start(config_for(allowed.address)).await;
    let origin = format!("http://{}", bridge.address);

    for requested in [
        forbidden.address.to_string(),
        format!("localhost:{}", forbidden.address.port()),
        "not-an-address".to_owned(),
        "0.0.0.0:53".to_owned(),
    ] {
        let result = try_connect(
            bridge.address,
            &format!("?upstream={requested}"),
            Some(&origin),
        )
        .await;
        assert_eq!(refused_status(result), 403, "{requested}");
    }

    // The configured upstream can be named explicitly, and queries go there.
    let mut client = try_connect(
        bridge.address,
        &format!("?upstream={}", allowed.address),
        Some(&origin),
    )
    .await
    .expect("a configured upstream is accepted");
    send_binary(
        &mut client,
        build_query("example.com.", RecordType::A, 42, false),
    )
    .await;
    let (metadata, _) = receive_answer(&mut client).await;
    assert_eq!(
        metadata["upstream"],
        serde_json::json!(allowed.address.to_string())
    );

    let accepted = tokio::time::timeout(Duration::from_millis(300), forbidden_tcp.accept()).await;
    assert!(
        accepted.is_err(),
        "no TCP connection to the forbidden address"
    );
    assert_eq!(
        forbidden.received_count(),
        0,
        "no datagram to the forbidden address"
    );
    assert_eq!(allowed.received_count(), 1);
    bridge.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_bridges_own_origin_and_allowed_origins_may_connect() {
    let upstream = FakeUpstream::echo().await;
    let mut config = config_for(upstream.address);
    config.allowed_origins = vec!["http://localhost:8080".to_owned()];
    let bridge = RunningBridge::start(config).await;
    let address = bridge.address;

    for foreign in [
        "http://evil.example",
        "null",
        "https://127.0.0.1:1",
        "http://127.0.0.1:1",
    ] {
        assert_eq!(
            refused_status(try_connect(address, "", Some(foreign)).await),
            403,
            "{foreign}"
        );
    }
    try_connect(address, "", Some(&format!("http://{address}")))
        .await
        .expect("the bridge's own origin is allowed");
    try_connect(address, "", Some("http://localhost:8080"))
        .await
        .expect("an --allow-origin origin is allowed");
    // A page loaded from http://localhost:PORT/ sends Host and Origin with `localhost`.
    let localhost = format!("localhost:{}", address.port());
    connect_with_host_and_origin(address, &localhost, &format!("http://{localhost}"))
        .await
        .expect("localhost is the bridge's own origin too");
    // Non-browser clients send no Origin; they are allowed (see the origin module).
    try_connect(address, "", None)
        .await
        .expect("no Origin is allowed");

    // DNS rebinding: a page from attacker.example whose name now points at 127.0.0.1 sends
    // matching Origin and Host headers, with a name instead of an address. Refused.
    let rebinding_host = format!("attacker.example:{}", address.port());
    let result = connect_with_host_and_origin(
        address,
        &rebinding_host,
        &format!("http://{rebinding_host}"),
    )
    .await;
    assert_eq!(refused_status(result), 403);
    assert_eq!(upstream.received_count(), 0);
    bridge.shut_down().await;
}

/// Opens `/dns` on `address` with the given `Host` and `Origin` headers, as a browser that
/// reached the bridge under another name would.
async fn connect_with_host_and_origin(
    address: std::net::SocketAddr,
    host: &str,
    origin: &str,
) -> Result<Client, tokio_tungstenite::tungstenite::Error> {
    let mut request = format!("ws://{address}/dns")
        .into_client_request()
        .expect("request");
    request
        .headers_mut()
        .insert("Host", HeaderValue::from_str(host).expect("header"));
    request
        .headers_mut()
        .insert("Origin", HeaderValue::from_str(origin).expect("header"));
    tokio_tungstenite::connect_async(request)
        .await
        .map(|(client, _)| client)
}

/// A query with two questions, built by hickory-proto.
fn two_question_query() -> Vec<u8> {
    let mut message = Message::query();
    message.metadata.id = 0x2222;
    message.add_query(Query::query(
        Name::from_ascii("example.com.").expect("name"),
        RecordType::A,
    ));
    message.add_query(Query::query(
        Name::from_ascii("example.net.").expect("name"),
        RecordType::A,
    ));
    message.to_vec().expect("encodes")
}

fn notify_message() -> Vec<u8> {
    let mut message = Message::new(
        0x3333,
        hickory_proto::op::MessageType::Query,
        OpCode::Notify,
    );
    message.add_query(Query::query(
        Name::from_ascii("example.com.").expect("name"),
        RecordType::SOA,
    ));
    message.to_vec().expect("encodes")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_junk_and_odd_queries_get_an_error_and_are_not_forwarded() {
    let upstream = FakeUpstream::echo().await;
    let bridge = RunningBridge::start(config_for(upstream.address)).await;
    let mut client = connect(bridge.address).await;

    let response = echo_response(&build_query("example.com.", RecordType::A, 0x1111, false));
    let mut trailing = build_query("example.com.", RecordType::A, 0x4444, false);
    trailing.extend_from_slice(b"extra");
    let mut largest_junk = vec![0u8; 65535];
    largest_junk[5] = 1; // one question, then zeros: the root name, type 0, then junk records.
    largest_junk[7] = 0xff;
    let cases: Vec<(Vec<u8>, serde_json::Value, &str)> = vec![
        (response, serde_json::json!(0x1111), "response"),
        (
            b"GET / HTTP/1.1\r\n\r\n".to_vec(),
            serde_json::json!(0x4745),
            "opcode 10",
        ),
        (vec![0x42], serde_json::Value::Null, "12-byte header"),
        (Vec::new(), serde_json::Value::Null, "12-byte header"),
        (
            two_question_query(),
            serde_json::json!(0x2222),
            "exactly one question",
        ),
        (notify_message(), serde_json::json!(0x3333), "opcode 4"),
        (trailing, serde_json::json!(0x4444), "extra bytes"),
        (
            largest_junk,
            serde_json::json!(0),
            "not a valid DNS message",
        ),
    ];
    for (message, expected_id, expected_words) in cases {
        send_binary(&mut client, message).await;
        let (id, error) = receive_error(&mut client).await;
        assert_eq!(id, expected_id, "{error}");
        assert!(
            error.contains(expected_words),
            "{error:?} should mention {expected_words:?}"
        );
    }
    client
        .send(WsMessage::Text("example.com A".into()))
        .await
        .expect("send text");
    let (id, error) = receive_error(&mut client).await;
    assert_eq!(id, serde_json::Value::Null);
    assert!(error.contains("binary"), "{error}");

    // After all that, the same connection still forwards a good query.
    let good = build_query("example.com.", RecordType::A, 0x600d, false);
    send_binary(&mut client, good.clone()).await;
    let (_, answer) = receive_answer(&mut client).await;
    assert_eq!(answer, echo_response(&good));
    let received = upstream.received();
    assert_eq!(received.len(), 1, "only the good query was forwarded");
    assert_eq!(received[0].1, good);
    bridge.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversize_message_is_refused_and_the_bridge_keeps_serving() {
    let upstream = FakeUpstream::echo().await;
    let bridge = RunningBridge::start(config_for(upstream.address)).await;
    let mut client = connect(bridge.address).await;
    let mut oversize = build_query("example.com.", RecordType::A, 0x0b16, false);
    oversize.resize(65536, 0);
    send_binary(&mut client, oversize).await;
    // The rest of an oversize frame cannot be skipped, so the bridge explains and closes
    // with 1009 (message too big).
    let (id, error) = receive_error(&mut client).await;
    assert_eq!(id, serde_json::Value::Null);
    assert!(error.contains("65535"), "{error}");
    match receive(&mut client).await {
        Received::Closed(code) => assert_eq!(code, Some(1009)),
        other => panic!("expected the connection to close, got {other:?}"),
    }
    assert_eq!(upstream.received_count(), 0);

    let mut next_client = connect(bridge.address).await;
    let good = build_query("example.com.", RecordType::A, 0x600d, false);
    send_binary(&mut next_client, good.clone()).await;
    let (_, answer) = receive_answer(&mut next_client).await;
    assert_eq!(answer, echo_response(&good));
    bridge.shut_down().await;
}
