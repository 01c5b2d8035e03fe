//! Load: 200 WebSocket clients each send 500 queries through the real binary to Knot DNS; every
//! query gets its correct answer and the bridge's memory stays bounded.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use futures_util::{SinkExt, StreamExt};
use hickory_proto::rr::RecordType;
use tokio_tungstenite::tungstenite::Message as WsMessage;

use crate::harness::*;
use crate::knot::KnotServer;

const CLIENTS: usize = 200;
const QUERIES_PER_CLIENT: usize = 500;
/// The second round only checks that memory does not keep growing, so it can be shorter.
const QUERIES_PER_CLIENT_IN_SECOND_ROUND: usize = 100;
/// Queries each client keeps in flight (the bridge allows 64). Kept small so the bursts that
/// reach Knot fit its socket's receive buffer: a datagram dropped there twice (query and
/// retry) would be a loss caused by the kernel, not by the bridge.
const WINDOW: usize = 2;

const NAMES: [&str; 5] = [
    "example.com.",
    "www.example.com.",
    "mail.example.com.",
    "nonexistent.example.com.",
    "a.wild.example.com.",
];

/// The query for `NAMES[name_index]` with ID `id`.
fn query_for(name_index: usize, id: u16) -> Vec<u8> {
    build_query(NAMES[name_index], RecordType::A, id, true)
}

/// Runs one client: `QUERIES_PER_CLIENT` queries, `WINDOW` at a time, and checks each answer
/// against Knot's direct answer to the same question (bytes after the ID must be equal).
async fn run_client(
    bridge: SocketAddr,
    reference_answers: Arc<Vec<Vec<u8>>>,
    client_index: usize,
    queries: usize,
) {
    let mut client = connect(bridge).await;
    let mut pending: HashMap<u16, usize> = HashMap::new();
    let mut sent = 0usize;
    let mut answered = 0usize;
    while answered < queries {
        while pending.len() < WINDOW && sent < queries {
            let id = u16::try_from(sent).expect("fewer than 65536 queries");
            let name_index = (client_index + sent) % NAMES.len();
            client
                .send(WsMessage::Binary(query_for(name_index, id).into()))
                .await
                .expect("send");
            pending.insert(id, name_index);
            sent += 1;
        }
        let metadata = next_data_message(&mut client).await;
        let WsMessage::Text(text) = metadata else {
            panic!("expected metadata, got {metadata:?}");
        };
        let metadata: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert!(
            metadata.get("error").is_none(),
            "client {client_index}: {metadata}"
        );
        let WsMessage::Binary(answer) = next_data_message(&mut client).await else {
            panic!("expected the binary answer");
        };
        let id = u16::from_be_bytes([answer[0], answer[1]]);
        assert_eq!(metadata["id"], serde_json::json!(id));
        let name_index = pending.remove(&id).expect("an answer to a pending query");
        assert_eq!(
            answer[2..],
            reference_answers[name_index][2..],
            "client {client_index} id {id}"
        );
        answered += 1;
    }
    let _ = client.close(None).await;
}

async fn next_data_message(client: &mut Client) -> WsMessage {
    loop {
        let message = tokio::time::timeout(TEST_WAIT, client.next())
            .await
            .expect("a message in time")
            .expect("the connection stays open")
            .expect("no WebSocket error");
        if matches!(message, WsMessage::Text(_) | WsMessage::Binary(_)) {
            return message;
        }
    }
}

async fn run_round(bridge: SocketAddr, reference_answers: &Arc<Vec<Vec<u8>>>, queries: usize) {
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client_index| {
            tokio::spawn(run_client(
                bridge,
                Arc::clone(reference_answers),
                client_index,
                queries,
            ))
        })
        .collect();
    for client in clients {
        client.await.expect("client finished without failing");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_clients_times_five_hundred_queries_lose_nothing_and_memory_stays_bounded() {
    let knot = KnotServer::start(2);
    let udp_receive_errors_before = udp_receive_buffer_errors();
    let mut reference_answers = Vec::new();
    for name_index in 0..NAMES.len() {
        reference_answers.push(direct_udp_query(knot.address, &query_for(name_index, 0)).await);
    }
    let reference_answers = Arc::new(reference_answers);
    // The rate limit is raised: each client sends its 500 queries as fast as answers come,
    // far above the default 200 per second; connections and in-flight keep their defaults.
    let bridge = BridgeProcess::spawn(&[
        "--upstream".to_owned(),
        knot.address.to_string(),
        "--max-queries-per-second".to_owned(),
        "1000000".to_owned(),
        // A datagram Knot drops is sent again after 500 ms instead of 2 s.
        "--timeout-ms".to_owned(),
        "500".to_owned(),
    ]);
    let resident_at_start = bridge.resident_kib();
    let started = std::time::Instant::now();
    run_round(bridge.address, &reference_answers, QUERIES_PER_CLIENT).await;
    let first_round = started.elapsed();
    let resident_after_first_round = bridge.resident_kib();
    run_round(
        bridge.address,
        &reference_answers,
        QUERIES_PER_CLIENT_IN_SECOND_ROUND,
    )
    .await;
    let resident_after_second_round = bridge.resident_kib();
    eprintln!(
        "load: UDP receive buffer overflows on this machine during the test: {}",
        udp_receive_buffer_errors().saturating_sub(udp_receive_errors_before)
    );
    eprintln!(
        "load: {} queries in the first round, in {:.1} s; bridge RSS {} KiB at start, {} KiB after round 1, {} KiB after round 2",
        CLIENTS * QUERIES_PER_CLIENT,
        first_round.as_secs_f64(),
        resident_at_start,
        resident_after_first_round,
        resident_after_second_round
    );
    // Bounded: 200 connections with a few queries each in flight need a few MB, not memory
    // for every query ever made; and a second round must not keep growing it.
    assert!(
        resident_after_first_round < resident_at_start + 64 * 1024,
        "RSS grew from {resident_at_start} to {resident_after_first_round} KiB"
    );
    assert!(
        resident_after_second_round < resident_after_first_round + 8 * 1024,
        "RSS kept growing: {resident_after_first_round} then {resident_after_second_round} KiB"
    );
}

/// The kernel's count of UDP datagrams dropped because a socket's receive buffer was full.
fn udp_receive_buffer_errors() -> u64 {
    let snmp = std::fs::read_to_string("/proc/net/snmp").unwrap_or_default();
    let mut udp_lines = snmp.lines().filter(|line| line.starts_with("Udp:"));
    let (Some(names), Some(values)) = (udp_lines.next(), udp_lines.next()) else {
        return 0;
    };
    names
        .split_whitespace()
        .zip(values.split_whitespace())
        .find(|(name, _)| *name == "RcvbufErrors")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0)
}
