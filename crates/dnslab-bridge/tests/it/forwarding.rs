//! Forwarding against Knot DNS and fake upstreams: same answers as a direct query, TCP after
//! truncation, timeouts with one retry, spoofed replies ignored, pipelining.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

use hickory_proto::rr::RecordType;
use tokio::net::UdpSocket;

use crate::harness::*;
use crate::knot::KnotServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_through_the_bridge_equal_a_direct_udp_query_to_knot() {
    let knot = KnotServer::start(1);
    let bridge = RunningBridge::start(config_for(knot.address)).await;
    let mut client = connect(bridge.address).await;
    let questions = [
        ("example.com.", RecordType::A, true),
        ("example.com.", RecordType::AAAA, false),
        ("example.com.", RecordType::MX, true),
        ("alias.example.com.", RecordType::A, true),
        ("nonexistent.example.com.", RecordType::A, true),
        ("x.wild.example.com.", RecordType::A, false),
        ("ExAmPlE.CoM.", RecordType::TXT, true),
    ];
    for (index, (name, record_type, with_edns)) in questions.into_iter().enumerate() {
        let id = 0x1000 + u16::try_from(index).expect("few");
        let query = build_query(name, record_type, id, with_edns);
        let direct = direct_udp_query(knot.address, &query).await;
        send_binary(&mut client, query).await;
        let (metadata, bridged) = receive_answer(&mut client).await;
        assert_eq!(bridged, direct, "{name} {record_type}");
        assert_eq!(metadata["id"], serde_json::json!(id));
        assert_eq!(
            metadata["upstream"],
            serde_json::json!(knot.address.to_string())
        );
        assert_eq!(metadata["transport"], serde_json::json!("udp"));
        assert_eq!(metadata["bytes"], serde_json::json!(direct.len()));
        assert!(metadata["rtt_us"].as_u64().expect("rtt_us is a number") > 0);
    }
    bridge.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_truncated_udp_answer_is_fetched_again_over_tcp() {
    let knot = KnotServer::start(1);
    let bridge = RunningBridge::start(config_for(knot.address)).await;
    let mut client = connect(bridge.address).await;
    // No EDNS: the 512-byte UDP limit applies and the three long TXT strings do not fit.
    let query = build_query("long.example.com.", RecordType::TXT, 0x7e57, false);
    let direct_udp = direct_udp_query(knot.address, &query).await;
    assert_ne!(
        direct_udp[2] & 0x02,
        0,
        "Knot sets TC over UDP for this answer"
    );
    let direct_tcp = direct_tcp_query(knot.address, &query).await;
    assert!(direct_tcp.len() > 512);

    send_binary(&mut client, query).await;
    let (metadata, bridged) = receive_answer(&mut client).await;
    assert_eq!(metadata["transport"], serde_json::json!("tcp"));
    assert_eq!(metadata["bytes"], serde_json::json!(direct_tcp.len()));
    assert_eq!(bridged, direct_tcp);
    assert_eq!(bridged[2] & 0x02, 0, "the TCP answer is complete");
    bridge.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_upstream_gives_a_timeout_error_after_one_retry() {
    let silent = FakeUpstream::silent().await;
    let mut config = config_for(silent.address);
    config.forwarding.timeout = Duration::from_millis(200);
    let bridge = RunningBridge::start(config).await;
    let mut client = connect(bridge.address).await;
    let query = build_query("example.com.", RecordType::A, 0x5117, true);
    send_binary(&mut client, query.clone()).await;
    let (id, error) = receive_error(&mut client).await;
    assert_eq!(id, serde_json::json!(0x5117));
    assert!(error.contains("no answer"), "{error}");
    let received = silent.received();
    assert_eq!(received.len(), 2, "the query and one retry");
    assert!(received.iter().all(|(_, datagram)| *datagram == query));
    assert_eq!(
        received[0].0, received[1].0,
        "the retry uses the same socket"
    );

    // A second query uses a fresh socket, so a fresh source port.
    send_binary(
        &mut client,
        build_query("example.com.", RecordType::A, 0x5118, true),
    )
    .await;
    let _ = receive_error(&mut client).await;
    let received = silent.received();
    assert_eq!(received.len(), 4);
    assert_ne!(received[0].0.port(), received[2].0.port());

    // The connection is still usable after a timeout.
    client
        .close(None)
        .await
        .expect("the connection is still open");
    bridge.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_with_another_id_question_or_source_are_ignored() {
    // A second socket on another port of the same host sends a perfect reply: it must be
    // ignored, because it does not come from the upstream's port.
    let impostor = std::sync::Arc::new(UdpSocket::bind("127.0.0.1:0").await.expect("bind"));
    let impostor_for_behaviour = std::sync::Arc::clone(&impostor);
    let (wanted_sender, mut wanted_receiver) = tokio::sync::mpsc::unbounded_channel::<Vec<u8>>();
    let upstream = FakeUpstream::start(
        [127, 0, 0, 1],
        Box::new(move |query, source, _socket| {
            let mut wrong_id = echo_response(query);
            wrong_id[1] ^= 0xff;
            let mut wrong_name = echo_response(query);
            // The first label's first letter: e -> f.
            wrong_name[13] = b'f';
            let mut wrong_type = echo_response(query);
            let type_offset = query.len() - 4;
            wrong_type[type_offset + 1] ^= 0x20;
            let not_a_response = query.to_vec();
            let impostor = std::sync::Arc::clone(&impostor_for_behaviour);
            let perfect_from_elsewhere = echo_response(query);
            tokio::spawn(async move {
                let _ = impostor.send_to(&perfect_from_elsewhere, source).await;
            });
            // The accepted reply: the name in another case (servers may echo it that way) and
            // an answer count so it differs from everything above.
            let mut right = echo_response(query);
            right[13] = b'E';
            right[3] |= 0x04; // AA
            let _ = wanted_sender.send(right.clone());
            vec![wrong_id, wrong_name, wrong_type, not_a_response, right]
        }),
    )
    .await;
    let bridge = RunningBridge::start(config_for(upstream.address)).await;
    let mut client = connect(bridge.address).await;
    let query = build_query("example.com.", RecordType::A, 0x0bad, false);
    send_binary(&mut client, query).await;
    let (_metadata, answer) = receive_answer(&mut client).await;
    let wanted = wanted_receiver.recv().await.expect("the fake replied");
    assert_eq!(answer, wanted);
    bridge.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_query_leaves_from_a_source_port_of_its_own() {
    // The bridge opens the socket for a connection's next query ahead of time; each socket must
    // still carry exactly one query. A closed socket's port may come back later (the kernel
    // picks ports at random), so distinctness is checked among sockets open at the same time:
    // consecutive queries (the next socket is opened while the previous one is still open) and
    // a batch the upstream answers only once all of it has arrived.
    const BATCH: usize = 20;
    let socket = UdpSocket::bind("127.0.0.1:0").await.expect("bind");
    let upstream_address = socket.local_addr().expect("address");
    let upstream = tokio::spawn(async move {
        let mut buffer = vec![0u8; 65535];
        let mut sources = Vec::new();
        // One at a time first: answer each at once.
        for _ in 0..BATCH {
            let (length, source) = socket.recv_from(&mut buffer).await.expect("recv");
            sources.push(source);
            let reply = echo_response(&buffer[..length]);
            socket.send_to(&reply, source).await.expect("send");
        }
        // Then a batch: hold every reply until the whole batch is in.
        let mut held = Vec::new();
        for _ in 0..BATCH {
            let (length, source) = socket.recv_from(&mut buffer).await.expect("recv");
            sources.push(source);
            held.push((source, echo_response(&buffer[..length])));
        }
        for (source, reply) in held {
            socket.send_to(&reply, source).await.expect("send");
        }
        sources
    });
    let bridge = RunningBridge::start(config_for(upstream_address)).await;
    let mut client = connect(bridge.address).await;
    for id in 0..BATCH as u16 {
        send_binary(
            &mut client,
            build_query("example.com.", RecordType::A, id, false),
        )
        .await;
        let (metadata, _) = receive_answer(&mut client).await;
        assert_eq!(metadata["id"], serde_json::json!(id));
    }
    for id in BATCH as u16..2 * BATCH as u16 {
        send_binary(
            &mut client,
            build_query("example.com.", RecordType::A, id, false),
        )
        .await;
    }
    for _ in 0..BATCH {
        let _ = receive_answer(&mut client).await;
    }
    let sources = tokio::time::timeout(TEST_WAIT, upstream)
        .await
        .expect("upstream done")
        .expect("task");
    for pair in sources[..BATCH].windows(2) {
        assert_ne!(
            pair[0].port(),
            pair[1].port(),
            "consecutive queries share a port"
        );
    }
    let batch_ports: std::collections::HashSet<u16> =
        sources[BATCH..].iter().map(SocketAddr::port).collect();
    assert_eq!(
        batch_ports.len(),
        BATCH,
        "one source port per query: {sources:?}"
    );
    bridge.shut_down().await;
}

/// The local ports of this machine's IPv4 UDP sockets connected to `remote`, from
/// /proc/net/udp (addresses there are hex, in the kernel's byte order).
#[cfg(target_os = "linux")]
fn udp_ports_connected_to(remote: SocketAddr) -> Vec<u16> {
    let SocketAddr::V4(remote) = remote else {
        return Vec::new();
    };
    let remote_text = format!(
        "{:08X}:{:04X}",
        u32::from_ne_bytes(remote.ip().octets()),
        remote.port()
    );
    let table = std::fs::read_to_string("/proc/net/udp").expect("/proc/net/udp");
    table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut fields = line.split_whitespace().skip(1);
            let local = fields.next()?;
            let peer = fields.next()?;
            if peer != remote_text {
                return None;
            }
            u16::from_str_radix(local.rsplit_once(':')?.1, 16).ok()
        })
        .collect()
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_datagram_that_reached_the_next_querys_socket_before_the_query_is_ignored() {
    // A spoofer who guesses the port of the socket opened ahead and the next ID, and sends a
    // forged reply early, must not have it accepted once the query is sent.
    let upstream = UdpSocket::bind("127.0.0.1:0").await.expect("bind");
    let upstream_address = upstream.local_addr().expect("address");
    let bridge = RunningBridge::start(config_for(upstream_address)).await;
    let mut client = connect(bridge.address).await;
    let mut buffer = vec![0u8; 65535];

    let first = build_query("example.com.", RecordType::A, 1, false);
    send_binary(&mut client, first).await;
    let (length, first_source) = upstream.recv_from(&mut buffer).await.expect("recv");
    upstream
        .send_to(&echo_response(&buffer[..length]), first_source)
        .await
        .expect("send");
    let _ = receive_answer(&mut client).await;

    // Find the socket opened ahead: connected to the upstream, not the first query's.
    let deadline = tokio::time::Instant::now() + TEST_WAIT;
    let next_port = loop {
        let ports = udp_ports_connected_to(upstream_address);
        if let Some(port) = ports.into_iter().find(|port| *port != first_source.port()) {
            break port;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no socket opened ahead"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    let second = build_query("example.com.", RecordType::A, 2, false);
    let mut forged = echo_response(&second);
    forged[3] |= 0x03; // NXDOMAIN: not what the real upstream will say.
    upstream
        .send_to(&forged, SocketAddr::from(([127, 0, 0, 1], next_port)))
        .await
        .expect("send forged");
    tokio::time::sleep(Duration::from_millis(50)).await;

    send_binary(&mut client, second.clone()).await;
    let (length, second_source) = upstream.recv_from(&mut buffer).await.expect("recv");
    assert_eq!(
        second_source.port(),
        next_port,
        "the query left from the socket opened ahead"
    );
    let genuine = echo_response(&buffer[..length]);
    upstream
        .send_to(&genuine, second_source)
        .await
        .expect("send");
    let (_, answer) = receive_answer(&mut client).await;
    assert_eq!(answer, genuine, "the forged early reply was passed on");
    bridge.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pipelined_queries_on_one_connection_all_get_their_own_answer() {
    let knot = KnotServer::start(1);
    let bridge = RunningBridge::start(config_for(knot.address)).await;
    let mut client = connect(bridge.address).await;
    let names = [
        "example.com.",
        "www.example.com.",
        "mail.example.com.",
        "ns1.example.com.",
        "sip.example.com.",
    ];
    let mut expected: HashMap<u16, Vec<u8>> = HashMap::new();
    for id in 0..60u16 {
        let name = names[usize::from(id) % names.len()];
        let query = build_query(name, RecordType::A, 0x2000 + id, true);
        expected.insert(0x2000 + id, direct_udp_query(knot.address, &query).await);
        send_binary(&mut client, query).await;
    }
    for _ in 0..60 {
        let (metadata, answer) = receive_answer(&mut client).await;
        let id = u16::try_from(metadata["id"].as_u64().expect("id")).expect("u16");
        let wanted = expected.remove(&id).expect("each ID answered once");
        assert_eq!(answer, wanted);
    }
    assert!(expected.is_empty());
    bridge.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_come_back_in_the_order_the_upstream_sends_them() {
    // An upstream that holds the first three queries and then answers them newest first.
    let socket = UdpSocket::bind("127.0.0.1:0").await.expect("bind");
    let upstream_address = socket.local_addr().expect("address");
    let upstream = tokio::spawn(async move {
        let mut held = Vec::new();
        let mut buffer = vec![0u8; 65535];
        while held.len() < 3 {
            let (length, source) = socket.recv_from(&mut buffer).await.expect("recv");
            held.push((source, buffer[..length].to_vec()));
        }
        for (source, query) in held.iter().rev() {
            socket
                .send_to(&echo_response(query), source)
                .await
                .expect("send");
        }
    });
    let bridge = RunningBridge::start(config_for(upstream_address)).await;
    let mut client = connect(bridge.address).await;
    for id in [1u16, 2, 3] {
        send_binary(
            &mut client,
            build_query("example.com.", RecordType::A, id, false),
        )
        .await;
    }
    let mut order = Vec::new();
    for _ in 0..3 {
        let (metadata, answer) = receive_answer(&mut client).await;
        let id = metadata["id"].as_u64().expect("id");
        assert_eq!(u64::from(u16::from_be_bytes([answer[0], answer[1]])), id);
        order.push(id);
    }
    assert_eq!(order, vec![3, 2, 1]);
    tokio::time::timeout(TEST_WAIT, upstream)
        .await
        .expect("upstream done")
        .expect("upstream task");
    bridge.shut_down().await;
}
