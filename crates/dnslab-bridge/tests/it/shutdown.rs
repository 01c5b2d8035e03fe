//! Graceful shutdown of the real binary on SIGTERM: queries in flight are finished, then every
//! WebSocket gets a close frame (1001, going away) and the process exits with success.

use hickory_proto::rr::RecordType;

use crate::harness::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_queries_in_flight_then_closes_and_exits_cleanly() {
    let silent = FakeUpstream::silent().await;
    let mut bridge = BridgeProcess::spawn(&[
        "--upstream".to_owned(),
        silent.address.to_string(),
        "--timeout-ms".to_owned(),
        "300".to_owned(),
    ]);
    let mut client = connect(bridge.address).await;
    send_binary(
        &mut client,
        build_query("example.com.", RecordType::A, 0x0bee, false),
    )
    .await;
    // Wait until the query is in flight at the upstream, then ask the bridge to stop.
    let deadline = tokio::time::Instant::now() + TEST_WAIT;
    while silent.received_count() == 0 {
        assert!(tokio::time::Instant::now() < deadline);
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    bridge.terminate();
    let (id, error) = receive_error(&mut client).await;
    assert_eq!(id, serde_json::json!(0x0bee));
    assert!(error.contains("no answer"), "{error}");
    match receive(&mut client).await {
        Received::Closed(code) => assert_eq!(code, Some(1001)),
        other => panic!("expected a close frame, got {other:?}"),
    }
    drop(client);
    let status = tokio::task::spawn_blocking(move || bridge.wait_for_exit())
        .await
        .expect("wait");
    assert!(status.success(), "{status}");
}
