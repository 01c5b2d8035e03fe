//! The plain HTTP side: static files with the right MIME types, `/healthz`, `/upstreams`.

use std::net::SocketAddr;

use crate::harness::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_site_is_served_with_correct_mime_types_next_to_healthz_and_upstreams() {
    let site = tempfile::tempdir().expect("temporary folder");
    let index = b"<!doctype html><title>dnslab</title>".to_vec();
    // The 8-byte wasm preamble: magic "\0asm" and version 1.
    let wasm = b"\0asm\x01\0\0\0".to_vec();
    std::fs::write(site.path().join("index.html"), &index).expect("write");
    std::fs::write(site.path().join("dnslab-web_bg.wasm"), &wasm).expect("write");
    std::fs::write(site.path().join("dnslab-web.js"), b"export {};").expect("write");

    let first: SocketAddr = "127.0.0.1:1053".parse().expect("address");
    let second: SocketAddr = "[::1]:5353".parse().expect("address");
    let mut config = config_for(first);
    config.upstreams.push(second);
    config.site = Some(site.path().to_path_buf());
    let bridge = RunningBridge::start(config).await;

    let (status, headers, body) = http_get(bridge.address, "/").await;
    assert_eq!(status, 200);
    assert!(header(&headers, "content-type")
        .expect("type")
        .starts_with("text/html"));
    assert_eq!(body, index);

    let (status, headers, body) = http_get(bridge.address, "/dnslab-web_bg.wasm").await;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-type"), Some("application/wasm"));
    assert_eq!(body, wasm);

    let (status, headers, _) = http_get(bridge.address, "/dnslab-web.js").await;
    assert_eq!(status, 200);
    let javascript = header(&headers, "content-type").expect("type");
    assert!(javascript.contains("javascript"), "{javascript}");

    let (status, _, body) = http_get(bridge.address, "/healthz").await;
    assert_eq!(status, 200);
    assert_eq!(body, b"ok\n");

    let (status, headers, body) = http_get(bridge.address, "/upstreams").await;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-type"), Some("application/json"));
    let listed: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(listed, serde_json::json!(["127.0.0.1:1053", "[::1]:5353"]));

    let (status, _, _) = http_get(bridge.address, "/no-such-file").await;
    assert_eq!(status, 404);
    let (status, _, _) = http_get(bridge.address, "/../Cargo.toml").await;
    assert_ne!(status, 200);
    bridge.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_of_an_allowed_origin_may_read_the_upstreams_and_others_may_not() {
    let upstream: SocketAddr = "127.0.0.1:1053".parse().expect("address");
    let mut config = config_for(upstream);
    config.allowed_origins = vec!["http://page.test:8080".to_owned()];
    let bridge = RunningBridge::start(config).await;

    let (status, headers, _) = http_get_with(
        bridge.address,
        "/upstreams",
        "Origin: http://page.test:8080\r\n",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        header(&headers, "access-control-allow-origin"),
        Some("http://page.test:8080")
    );
    assert_eq!(header(&headers, "vary"), Some("Origin"));

    let (status, headers, body) =
        http_get_with(bridge.address, "/upstreams", "Origin: http://evil.test\r\n").await;
    // The list itself is no secret (the same page could read it through the bridge's own
    // origin), but the browser keeps it from a page the bridge does not allow.
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "access-control-allow-origin"), None);
    assert!(!body.is_empty());
    bridge.shut_down().await;
}
