//! The limits: connections, queries in flight, queries per second, idle timeout; and that a
//! client vanishing mid-query gives its connection slot back.

use std::collections::BTreeMap;
use std::time::Duration;

use hickory_proto::rr::RecordType;

use crate::harness::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_over_the_limit_get_503_until_one_closes() {
    let upstream = FakeUpstream::echo().await;
    let mut config = config_for(upstream.address);
    config.limits.max_connections = 2;
    let bridge = RunningBridge::start(config).await;
    let origin = format!("http://{}", bridge.address);
    let mut first = connect(bridge.address).await;
    let mut second = connect(bridge.address).await;
    assert_eq!(
        refused_status(try_connect(bridge.address, "", Some(&origin)).await),
        503
    );

    // The two open connections still work.
    for client in [&mut first, &mut second] {
        let query = build_query("example.com.", RecordType::A, 9, false);
        send_binary(client, query.clone()).await;
        assert_eq!(receive_answer(client).await.1, echo_response(&query));
    }

    // A client that disappears without a close frame, with a query in flight, frees its slot.
    send_binary(
        &mut first,
        build_query("example.com.", RecordType::A, 10, false),
    )
    .await;
    drop(first);
    let deadline = tokio::time::Instant::now() + TEST_WAIT;
    let _third = connect_once_a_slot_is_free(bridge.address, &origin, deadline, "the slot").await;
    bridge.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queries_over_the_in_flight_limit_are_refused_while_the_others_wait() {
    let silent = FakeUpstream::silent().await;
    let mut config = config_for(silent.address);
    config.limits.max_in_flight_per_connection = 3;
    config.forwarding.timeout = Duration::from_millis(300);
    let bridge = RunningBridge::start(config).await;
    let mut client = connect(bridge.address).await;
    for id in 1..=5u16 {
        send_binary(
            &mut client,
            build_query("example.com.", RecordType::A, id, false),
        )
        .await;
    }
    let mut errors = BTreeMap::new();
    for _ in 0..5 {
        let (id, error) = receive_error(&mut client).await;
        errors.insert(id.as_u64().expect("every error names its query"), error);
    }
    for id in [4, 5] {
        assert!(
            errors[&id].contains("already 3 queries waiting"),
            "{}",
            errors[&id]
        );
    }
    for id in [1, 2, 3] {
        assert!(errors[&id].contains("no answer"), "{}", errors[&id]);
    }
    assert_eq!(silent.received_count(), 6, "three queries, each sent twice");

    // Once they are done, the connection accepts queries again.
    send_binary(
        &mut client,
        build_query("example.com.", RecordType::A, 6, false),
    )
    .await;
    let (id, error) = receive_error(&mut client).await;
    assert_eq!(id, serde_json::json!(6));
    assert!(error.contains("no answer"), "{error}");
    bridge.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queries_over_the_rate_limit_are_refused_and_the_bucket_refills() {
    let upstream = FakeUpstream::echo().await;
    let mut config = config_for(upstream.address);
    config.limits.queries_per_second_per_connection = 10;
    let bridge = RunningBridge::start(config).await;
    let mut client = connect(bridge.address).await;
    let started = tokio::time::Instant::now();
    for id in 0..30u16 {
        send_binary(
            &mut client,
            build_query("example.com.", RecordType::A, id, false),
        )
        .await;
    }
    let mut answered = 0;
    let mut refused = 0;
    for _ in 0..30 {
        match receive(&mut client).await {
            Received::Json(json) if json.get("error").is_some() => {
                let error = json["error"].as_str().expect("text");
                assert!(
                    error.contains("more than 10 messages per second"),
                    "{error}"
                );
                refused += 1;
            }
            Received::Json(_) => {
                assert!(matches!(receive(&mut client).await, Received::Binary(_)));
                answered += 1;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    // A burst of 10, plus whatever refilled (10 per second) while the bridge read the 30: it
    // read them all before the last reply arrived, so that time bounds the refill.
    let sending_time = started.elapsed().as_secs_f64();
    let refilled_at_most = (sending_time * 10.0).ceil() as usize;
    assert!(
        (10..=10 + refilled_at_most).contains(&answered),
        "{answered} answered in {sending_time} s"
    );
    assert_eq!(answered + refused, 30);
    assert_eq!(upstream.received_count(), answered);

    tokio::time::sleep(Duration::from_millis(1100)).await;
    for id in 100..105u16 {
        send_binary(
            &mut client,
            build_query("example.com.", RecordType::A, id, false),
        )
        .await;
        receive_answer(&mut client).await;
    }
    bridge.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_connection_is_closed_but_not_while_a_query_is_in_flight() {
    let silent = FakeUpstream::silent().await;
    let mut config = config_for(silent.address);
    config.limits.idle_timeout = Duration::from_millis(300);
    config.forwarding.timeout = Duration::from_millis(400);
    let bridge = RunningBridge::start(config).await;

    let mut idle_client = connect(bridge.address).await;
    let started = tokio::time::Instant::now();
    match receive(&mut idle_client).await {
        Received::Closed(code) => assert_eq!(code, Some(1000)),
        other => panic!("expected a close, got {other:?}"),
    }
    assert!(started.elapsed() >= Duration::from_millis(250));

    // The query takes 2 x 400 ms to time out, longer than the idle timeout: the connection
    // stays open until the error has been delivered.
    let mut busy_client = connect(bridge.address).await;
    send_binary(
        &mut busy_client,
        build_query("example.com.", RecordType::A, 77, false),
    )
    .await;
    let (id, error) = receive_error(&mut busy_client).await;
    assert_eq!(id, serde_json::json!(77));
    assert!(error.contains("no answer"), "{error}");
    match receive(&mut busy_client).await {
        Received::Closed(code) => assert_eq!(code, Some(1000)),
        other => panic!("expected a close after the answer, got {other:?}"),
    }
    bridge.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tcp_connections_beyond_the_cap_wait_until_one_closes() {
    let upstream = FakeUpstream::echo().await;
    let mut config = config_for(upstream.address);
    config.limits.max_connections = 1;
    let bridge = RunningBridge::start(config).await;
    let cap = 1 + dnslab_bridge::listener::HTTP_CONNECTIONS_BEYOND_WEBSOCKETS;
    let mut silent_connections = Vec::new();
    for _ in 0..cap {
        silent_connections.push(
            tokio::net::TcpStream::connect(bridge.address)
                .await
                .expect("connect"),
        );
    }
    // Let the bridge accept them all, so the next one is beyond the cap.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let address = bridge.address;
    let mut health = tokio::spawn(async move { http_get(address, "/healthz").await });
    assert!(
        tokio::time::timeout(Duration::from_millis(500), &mut health)
            .await
            .is_err(),
        "a connection beyond the cap was served"
    );
    silent_connections.pop();
    let (status, _, body) = tokio::time::timeout(TEST_WAIT, health)
        .await
        .expect("served once a slot was free")
        .expect("task");
    assert_eq!((status, body.as_slice()), (200, b"ok\n".as_slice()));
    drop(silent_connections);
    bridge.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tcp_connection_that_sends_nothing_or_half_a_request_is_closed() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let upstream = FakeUpstream::echo().await;
    let mut config = config_for(upstream.address);
    config.limits.idle_timeout = Duration::from_millis(300);
    config.forwarding.timeout = Duration::from_millis(100);
    // The silence limit: idle timeout + 3 x the query timeout + 5 s.
    let silence_limit = Duration::from_millis(300 + 300 + 5000);
    let bridge = RunningBridge::start(config).await;
    let started = tokio::time::Instant::now();
    let mut silent = tokio::net::TcpStream::connect(bridge.address)
        .await
        .expect("connect");
    let mut half_request = tokio::net::TcpStream::connect(bridge.address)
        .await
        .expect("connect");
    half_request
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("send");
    for stream in [&mut silent, &mut half_request] {
        let mut rest = Vec::new();
        let outcome =
            tokio::time::timeout(silence_limit + TEST_WAIT, stream.read_to_end(&mut rest))
                .await
                .expect("closed by the bridge");
        // Either a clean end or a reset: the bridge closed it.
        let _ = outcome;
        assert!(
            rest.is_empty() || rest.starts_with(b"HTTP/1.1 "),
            "{rest:?}"
        );
    }
    let elapsed = started.elapsed();
    assert!(
        elapsed + Duration::from_millis(200) >= silence_limit,
        "closed after {elapsed:?}, before the silence limit"
    );
    bridge.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_that_never_reads_its_answers_loses_its_connection_and_slot() {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    use tokio_tungstenite::tungstenite::http::HeaderValue;
    use tokio_tungstenite::tungstenite::Message as WsMessage;

    // Answers of 60,000 bytes: a few hundred fill every buffer between the bridge and a client
    // that reads nothing.
    let upstream = FakeUpstream::start(
        [127, 0, 0, 1],
        Box::new(|query, _, _| {
            let mut reply = echo_response(query);
            reply.resize(60_000, 0);
            vec![reply]
        }),
    )
    .await;
    let mut config = config_for(upstream.address);
    config.limits.max_connections = 1;
    config.limits.queries_per_second_per_connection = 100_000;
    config.limits.idle_timeout = Duration::from_millis(300);
    config.forwarding.timeout = Duration::from_millis(300);
    // The write stall limit is the silence limit here: 0.3 + 3 x 0.3 + 5 s.
    let stall_limit = Duration::from_millis(300 + 900 + 5000);
    let bridge = RunningBridge::start(config).await;

    // A client with a small receive buffer, that sends and never reads.
    let socket =
        socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).expect("socket");
    socket.set_recv_buffer_size(4096).expect("buffer size");
    socket.connect(&bridge.address.into()).expect("connect");
    socket.set_nonblocking(true).expect("non-blocking");
    let stream =
        tokio::net::TcpStream::from_std(std::net::TcpStream::from(socket)).expect("tokio stream");
    let mut request = format!("ws://{}/dns", bridge.address)
        .into_client_request()
        .expect("request");
    let origin = format!("http://{}", bridge.address);
    request
        .headers_mut()
        .insert("Origin", HeaderValue::from_str(&origin).expect("origin"));
    let (mut deaf_client, _) = tokio_tungstenite::client_async(request, stream)
        .await
        .expect("handshake");
    for id in 0..300u16 {
        let query = build_query("example.com.", RecordType::A, id, false);
        if deaf_client
            .send(WsMessage::Binary(query.into()))
            .await
            .is_err()
        {
            break;
        }
    }
    let stalled_from = tokio::time::Instant::now();
    assert_eq!(
        refused_status(try_connect(bridge.address, "", Some(&origin)).await),
        503,
        "the deaf client holds the only slot"
    );
    // Once the bridge gives up on the deaf client, its slot is free again.
    let deadline = stalled_from + stall_limit + TEST_WAIT;
    let mut next_client =
        connect_once_a_slot_is_free(bridge.address, &origin, deadline, "the deaf client's slot")
            .await;
    let query = build_query("example.com.", RecordType::A, 7, false);
    send_binary(&mut next_client, query).await;
    let (metadata, _) = receive_answer(&mut next_client).await;
    assert_eq!(metadata["id"], serde_json::json!(7));
    drop(deaf_client);
    bridge.shut_down().await;
}
