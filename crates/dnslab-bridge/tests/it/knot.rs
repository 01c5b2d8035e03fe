//! Starts a real Knot DNS server (`knotd`) on a free 127.0.0.1 port serving the captured
//! example.com zone, and stops it when dropped. Shared by the tests and the `loadgen` example,
//! so it uses only std and tempfile.

use std::fs;
use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The zone Knot DNS served when the captures were made. The folder is read when the test runs
/// (cargo sets `CARGO_MANIFEST_DIR` for it): the compile-time value may name another clone that
/// shares the build cache.
pub fn example_com_zone() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from)
        .join("../dnslab-core/tests/data/captures/example.com.zone")
}

/// A running `knotd`; killed on drop.
#[derive(Debug)]
pub struct KnotServer {
    /// Where it listens (UDP and TCP).
    pub address: SocketAddr,
    child: Child,
    _folder: tempfile::TempDir,
}

impl KnotServer {
    /// Starts knotd with `udp_workers` UDP threads and waits until it answers. Panics with a
    /// hint when knotd is not installed.
    pub fn start(udp_workers: usize) -> Self {
        let knotd = find_knotd();
        let mut last_problem = String::new();
        // The free port is found by binding and releasing it, so another process may take it
        // before knotd does: try a few ports.
        for _try in 0..5 {
            match Self::try_start(&knotd, udp_workers) {
                Ok(server) => return server,
                Err(problem) => last_problem = problem,
            }
        }
        panic!("knotd did not start: {last_problem}");
    }

    fn try_start(knotd: &Path, udp_workers: usize) -> Result<Self, String> {
        let folder = tempfile::tempdir().map_err(|error| error.to_string())?;
        let port = free_port()?;
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        fs::copy(example_com_zone(), folder.path().join("example.com.zone"))
            .map_err(|error| format!("copying the zone: {error}"))?;
        let folder_text = folder.path().display();
        let config = format!(
            "server:\n    rundir: \"{folder_text}\"\n    listen: 127.0.0.1@{port}\n    udp-workers: {udp_workers}\n    tcp-workers: 1\n    background-workers: 1\n\
             database:\n    storage: \"{folder_text}\"\n\
             log:\n  - target: stderr\n    any: error\n\
             zone:\n  - domain: example.com.\n    storage: \"{folder_text}\"\n    file: \"example.com.zone\"\n    zonefile-sync: -1\n    journal-content: none\n"
        );
        let config_path = folder.path().join("knot.conf");
        fs::write(&config_path, config).map_err(|error| error.to_string())?;
        let child = Command::new(knotd)
            .arg("-c")
            .arg(&config_path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|error| format!("running {}: {error}", knotd.display()))?;
        let mut server = Self {
            address,
            child,
            _folder: folder,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!("knotd exited with {status} (port {port} taken?)"));
            }
            if answers_soa_query(address) {
                return Ok(server);
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        let _ = server.child.kill();
        Err("knotd did not answer within 10 s".to_owned())
    }
}

impl Drop for KnotServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn find_knotd() -> PathBuf {
    for candidate in ["/usr/sbin/knotd", "/usr/local/sbin/knotd"] {
        if Path::new(candidate).is_file() {
            return PathBuf::from(candidate);
        }
    }
    panic!("knotd not found: install Knot DNS (`apt-get install -y knot`)");
}

/// A port free for both UDP and TCP on 127.0.0.1 right now.
pub fn free_port() -> Result<u16, String> {
    for _ in 0..20 {
        let tcp = TcpListener::bind("127.0.0.1:0").map_err(|error| error.to_string())?;
        let port = tcp.local_addr().map_err(|error| error.to_string())?.port();
        if UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return Ok(port);
        }
    }
    Err("no free port".to_owned())
}

/// Sends `example.com SOA` and reports whether a response came back.
fn answers_soa_query(server: SocketAddr) -> bool {
    let Ok(socket) = UdpSocket::bind("127.0.0.1:0") else {
        return false;
    };
    let _ = socket.set_read_timeout(Some(Duration::from_millis(100)));
    // ID 0x5a5a, no flags, one question: example.com SOA IN.
    let mut query = vec![0x5a, 0x5a, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    query.extend_from_slice(b"\x07example\x03com\x00\x00\x06\x00\x01");
    if socket.send_to(&query, server).is_err() {
        return false;
    }
    let mut buffer = [0u8; 4096];
    matches!(socket.recv_from(&mut buffer), Ok((length, _)) if length > 12 && buffer[0] == 0x5a && buffer[2] & 0x80 != 0)
}
