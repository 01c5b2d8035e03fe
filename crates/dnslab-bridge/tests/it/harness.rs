//! Helpers for the bridge's integration tests: an in-process bridge, a WebSocket client, direct
//! UDP/TCP queries, a scriptable fake upstream and a minimal HTTP GET.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dnslab_bridge::{Bridge, BridgeConfig};
use futures_util::{SinkExt, StreamExt};
use hickory_proto::op::{Edns, Message, Query};
use hickory_proto::rr::{Name, RecordType};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long any single wait in a test may take before the test fails instead of hanging.
pub const TEST_WAIT: Duration = Duration::from_secs(10);

pub type Client = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A bridge running in this process on a free loopback port.
pub struct RunningBridge {
    pub address: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), dnslab_bridge::BridgeError>>>,
}

impl RunningBridge {
    /// Starts a bridge with `config` (its `listen` is replaced by 127.0.0.1:0).
    pub async fn start(mut config: BridgeConfig) -> Self {
        config.listen = SocketAddr::from(([127, 0, 0, 1], 0));
        let bridge = Bridge::bind(config).await.expect("bridge binds");
        let address = bridge.local_address();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(bridge.serve(async move {
            let _ = stopped.await;
        }));
        Self {
            address,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Asks the bridge to shut down and waits for it.
    pub async fn shut_down(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(TEST_WAIT, task)
                .await
                .expect("bridge stops in time")
                .expect("bridge task")
                .expect("bridge ends without error");
        }
    }
}

impl Drop for RunningBridge {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// A configuration with one upstream and short timeouts for tests.
pub fn config_for(upstream: SocketAddr) -> BridgeConfig {
    let mut config = BridgeConfig::with_defaults();
    config.upstreams = vec![upstream];
    config
}

/// Opens `/dns` (with `query_string`, e.g. `?upstream=...`) sending `origin` if given.
pub async fn try_connect(
    bridge: SocketAddr,
    query_string: &str,
    origin: Option<&str>,
) -> Result<Client, tokio_tungstenite::tungstenite::Error> {
    let mut request = format!("ws://{bridge}/dns{query_string}")
        .into_client_request()
        .expect("request");
    if let Some(origin) = origin {
        request.headers_mut().insert(
            "Origin",
            HeaderValue::from_str(origin).expect("origin header"),
        );
    }
    let (client, _response) =
        tokio::time::timeout(TEST_WAIT, tokio_tungstenite::connect_async(request))
            .await
            .expect("handshake in time")?;
    Ok(client)
}

/// Tries to open `/dns` (as the page, with `origin`) until it succeeds, as it will once a
/// connection slot is free; panics with `what` after `deadline`.
pub async fn connect_once_a_slot_is_free(
    bridge: SocketAddr,
    origin: &str,
    deadline: tokio::time::Instant,
    what: &str,
) -> Client {
    loop {
        match try_connect(bridge, "", Some(origin)).await {
            Ok(client) => return client,
            Err(_) if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(error) => panic!("{what} was never freed: {error}"),
        }
    }
}

/// Opens `/dns` as the bridge's own page would (Origin = http://<bridge address>).
pub async fn connect(bridge: SocketAddr) -> Client {
    try_connect(bridge, "", Some(&format!("http://{bridge}")))
        .await
        .expect("WebSocket handshake")
}

/// The HTTP status of a refused handshake.
pub fn refused_status(result: Result<Client, tokio_tungstenite::tungstenite::Error>) -> u16 {
    match result {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => response.status().as_u16(),
        Err(other) => panic!("expected an HTTP refusal, got {other}"),
        Ok(_) => panic!("expected an HTTP refusal, the handshake succeeded"),
    }
}

/// One message from the bridge, parsed: JSON text or binary.
#[derive(Debug)]
pub enum Received {
    Json(serde_json::Value),
    Binary(Vec<u8>),
    Closed(Option<u16>),
}

/// Reads the next text/binary/close message (skipping pings), failing after [`TEST_WAIT`].
pub async fn receive(client: &mut Client) -> Received {
    loop {
        let message = tokio::time::timeout(TEST_WAIT, client.next())
            .await
            .expect("a message in time");
        match message {
            None => return Received::Closed(None),
            Some(Err(_)) => return Received::Closed(None),
            Some(Ok(WsMessage::Text(text))) => {
                return Received::Json(serde_json::from_str(&text).expect("valid JSON text"))
            }
            Some(Ok(WsMessage::Binary(bytes))) => return Received::Binary(bytes.to_vec()),
            Some(Ok(WsMessage::Close(frame))) => {
                return Received::Closed(frame.map(|frame| u16::from(frame.code)))
            }
            Some(Ok(_)) => continue,
        }
    }
}

/// Reads one answer: the metadata JSON and the binary response after it. Panics on an error.
pub async fn receive_answer(client: &mut Client) -> (serde_json::Value, Vec<u8>) {
    let metadata = match receive(client).await {
        Received::Json(json) => json,
        other => panic!("expected answer metadata, got {other:?}"),
    };
    assert!(
        metadata.get("error").is_none(),
        "expected an answer, got error {metadata}"
    );
    match receive(client).await {
        Received::Binary(bytes) => (metadata, bytes),
        other => panic!("expected the binary answer after {metadata}, got {other:?}"),
    }
}

/// Reads one error message and returns its `id` and `error`.
pub async fn receive_error(client: &mut Client) -> (serde_json::Value, String) {
    match receive(client).await {
        Received::Json(json) => {
            let error = json
                .get("error")
                .and_then(|error| error.as_str())
                .unwrap_or_else(|| panic!("expected an error, got {json}"))
                .to_owned();
            (
                json.get("id").cloned().unwrap_or(serde_json::Value::Null),
                error,
            )
        }
        other => panic!("expected an error message, got {other:?}"),
    }
}

pub async fn send_binary(client: &mut Client, bytes: Vec<u8>) {
    client
        .send(WsMessage::Binary(bytes.into()))
        .await
        .expect("send");
}

/// A query built by hickory-proto: `name` `record_type`, ID `id`, RD clear, with or without an
/// EDNS OPT record (1232-byte payload).
pub fn build_query(name: &str, record_type: RecordType, id: u16, with_edns: bool) -> Vec<u8> {
    let mut message = Message::query();
    message.metadata.id = id;
    message.add_query(Query::query(
        Name::from_ascii(name).expect("name"),
        record_type,
    ));
    if with_edns {
        let mut edns = Edns::new();
        edns.set_max_payload(1232);
        message.set_edns(edns);
    }
    message.to_vec().expect("encodes")
}

/// Sends `query` straight to `server` over UDP and returns the reply.
pub async fn direct_udp_query(server: SocketAddr, query: &[u8]) -> Vec<u8> {
    let socket = UdpSocket::bind("127.0.0.1:0").await.expect("bind");
    socket.send_to(query, server).await.expect("send");
    let mut buffer = vec![0u8; 65535];
    let (length, _) = tokio::time::timeout(TEST_WAIT, socket.recv_from(&mut buffer))
        .await
        .expect("direct reply in time")
        .expect("recv");
    buffer.truncate(length);
    buffer
}

/// Sends `query` straight to `server` over TCP and returns the reply.
pub async fn direct_tcp_query(server: SocketAddr, query: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(server).await.expect("connect");
    let length = u16::try_from(query.len()).expect("short query");
    stream.write_all(&length.to_be_bytes()).await.expect("send");
    stream.write_all(query).await.expect("send");
    let answer_length = stream.read_u16().await.expect("length");
    let mut answer = vec![0u8; usize::from(answer_length)];
    stream.read_exact(&mut answer).await.expect("answer");
    answer
}

/// The query turned into a bare response: QR set, same everything else.
pub fn echo_response(query: &[u8]) -> Vec<u8> {
    let mut response = query.to_vec();
    response[2] |= 0x80;
    response
}

/// What a fake upstream does with each datagram it receives.
pub type FakeBehaviour = Box<dyn Fn(&[u8], SocketAddr, &UdpSocket) -> Vec<Vec<u8>> + Send + Sync>;

/// Every datagram a fake upstream received, with its source.
pub type ReceivedDatagrams = Arc<Mutex<Vec<(SocketAddr, Vec<u8>)>>>;

/// A UDP "server" on 127.0.0.1 that records what it receives and replies as told.
pub struct FakeUpstream {
    pub address: SocketAddr,
    pub received: ReceivedDatagrams,
    task: JoinHandle<()>,
}

impl FakeUpstream {
    /// Binds on `ip` (port 0) and answers each datagram with the datagrams `behaviour`
    /// returns, sent from the same socket.
    pub async fn start(ip: [u8; 4], behaviour: FakeBehaviour) -> Self {
        let socket = UdpSocket::bind(SocketAddr::from((ip, 0)))
            .await
            .expect("bind");
        Self::serve(socket, behaviour)
    }

    /// Serves on an already bound socket.
    pub fn serve(socket: UdpSocket, behaviour: FakeBehaviour) -> Self {
        let address = socket.local_addr().expect("address");
        let received = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&received);
        let task = tokio::spawn(async move {
            let mut buffer = vec![0u8; 65535];
            while let Ok((length, source)) = socket.recv_from(&mut buffer).await {
                let datagram = buffer[..length].to_vec();
                record
                    .lock()
                    .expect("lock")
                    .push((source, datagram.clone()));
                for reply in behaviour(&datagram, source, &socket) {
                    let _ = socket.send_to(&reply, source).await;
                }
            }
        });
        Self {
            address,
            received,
            task,
        }
    }

    /// Never answers.
    pub async fn silent() -> Self {
        Self::start([127, 0, 0, 1], Box::new(|_, _, _| Vec::new())).await
    }

    /// Answers every datagram with itself, QR set.
    pub async fn echo() -> Self {
        Self::start(
            [127, 0, 0, 1],
            Box::new(|query, _, _| vec![echo_response(query)]),
        )
        .await
    }

    pub fn received_count(&self) -> usize {
        self.received.lock().expect("lock").len()
    }

    pub fn received(&self) -> Vec<(SocketAddr, Vec<u8>)> {
        self.received.lock().expect("lock").clone()
    }
}

impl Drop for FakeUpstream {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A minimal HTTP/1.1 GET: status, lowercase header lines and body.
pub async fn http_get(bridge: SocketAddr, path: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
    http_get_with(bridge, path, "").await
}

/// [`http_get`] with extra header lines (each ending in `\r\n`).
pub async fn http_get_with(
    bridge: SocketAddr,
    path: &str,
    extra_headers: &str,
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut stream = TcpStream::connect(bridge).await.expect("connect");
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {bridge}\r\n{extra_headers}Connection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut raw = Vec::new();
    tokio::time::timeout(TEST_WAIT, stream.read_to_end(&mut raw))
        .await
        .expect("response in time")
        .expect("read");
    let split = raw
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let body = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().expect("status line");
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("status code");
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    (status, headers, body)
}

/// The value of header `name` (lowercase).
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(header_name, _)| header_name == name)
        .map(|(_, value)| value.as_str())
}

/// The `dnslab-bridge` binary running as a child process; killed on drop.
pub struct BridgeProcess {
    pub address: SocketAddr,
    child: std::process::Child,
    _site: tempfile::TempDir,
}

impl BridgeProcess {
    /// Starts the binary on 127.0.0.1:0 with a one-page site and `arguments`, and reads the
    /// address from its `dnslab-bridge: serving http://ADDR/` line.
    pub fn spawn(arguments: &[String]) -> Self {
        use std::io::BufRead;
        let site = tempfile::tempdir().expect("temporary folder");
        std::fs::write(site.path().join("index.html"), b"<!doctype html>").expect("write");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dnslab-bridge"))
            .arg("--listen")
            .arg("127.0.0.1:0")
            .arg("--site")
            .arg(site.path())
            .args(arguments)
            .env("RUST_LOG", "warn")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the bridge binary starts");
        let stdout = child.stdout.take().expect("stdout");
        let (line_sender, line_receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = std::io::BufReader::new(stdout).read_line(&mut line);
            let _ = line_sender.send(line);
        });
        let line = line_receiver
            .recv_timeout(TEST_WAIT)
            .expect("the bridge prints its address");
        let address = line
            .trim()
            .strip_prefix("dnslab-bridge: serving http://")
            .and_then(|rest| rest.strip_suffix('/'))
            .and_then(|address| address.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
        Self {
            address,
            child,
            _site: site,
        }
    }

    /// The process's resident memory in KiB, from /proc/<pid>/status.
    pub fn resident_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("process status");
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS line")
    }

    /// Sends SIGTERM.
    pub fn terminate(&self) {
        let status = std::process::Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .expect("kill runs");
        assert!(status.success());
    }

    /// Waits for the process to exit, failing after [`TEST_WAIT`].
    pub fn wait_for_exit(&mut self) -> std::process::ExitStatus {
        let deadline = std::time::Instant::now() + TEST_WAIT;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the bridge did not exit in time"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for BridgeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
