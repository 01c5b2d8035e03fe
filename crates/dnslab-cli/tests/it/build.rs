//! The page's Build tab core held against the real programs: the queries it builds, sent to a
//! running `dnslab serve` (built-in zones), get the answers `answer_like_serve` and the
//! built-in servers give; the dig and `dnslab query` command lines it writes send the very same
//! bytes (captured on a loopback socket). Only 127.0.0.1 is used.

use std::net::UdpSocket;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use dnslab_core::page::build::{
    answer_builtin, answer_like_serve, build_query, default_server, BuildForm, BuiltQuery,
    SERVER_PLACEHOLDER,
};
use dnslab_core::world::World;

use crate::network::Server;

fn built(form: &BuildForm) -> BuiltQuery {
    build_query(form).unwrap_or_else(|problems| panic!("{form:?}: {problems:?}"))
}

fn form(name: &str, qtype: &str, id: u16) -> BuildForm {
    BuildForm {
        name: name.to_owned(),
        qtype: qtype.to_owned(),
        id,
        ..BuildForm::default()
    }
}

/// Sends `query` to `address` over UDP and waits for one datagram.
fn exchange(address: std::net::SocketAddr, query: &[u8]) -> Vec<u8> {
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind a client socket");
    socket.connect(address).expect("connect");
    socket
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("set a timeout");
    socket.send(query).expect("send");
    let mut buffer = vec![0u8; 65_535];
    let length = socket.recv(&mut buffer).expect("a reply from dnslab serve");
    buffer.truncate(length);
    buffer
}

#[test]
fn serve_answers_built_queries_as_the_page_does() {
    let server = Server::start(&[]);
    let world = World::builtin();
    for (name, qtype, id) in [
        ("www.example.com", "A", 0x0101),
        ("nope.example.com", "A", 0x0202),
        ("example.com", "MX", 0x0303),
        ("bücher.example", "AAAA", 0x0404),
    ] {
        let query = built(&form(name, qtype, id));
        let reply = exchange(server.address, &query.bytes);
        assert_eq!(
            Some(&reply),
            answer_like_serve(&world, &query.bytes).as_ref(),
            "{name} {qtype}"
        );
        let index = default_server(&world, name).expect("a default server");
        let answer = answer_builtin(&world, index, &query.bytes).expect("an answer");
        assert_eq!(
            *answer.bytes, reply,
            "{name} {qtype} from {}",
            answer.server
        );
    }
}

/// A UDP socket standing in for a server: it captures the first datagram and answers it with
/// `dnslab serve`'s answer, so the client has something to read.
struct Capture {
    socket: UdpSocket,
}

impl Capture {
    fn new() -> Capture {
        let socket = UdpSocket::bind("127.0.0.1:0").expect("bind the capture socket");
        socket
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("set a timeout");
        Capture { socket }
    }

    fn port(&self) -> u16 {
        self.socket.local_addr().expect("address").port()
    }

    /// The first datagram `client` sends; the client is stopped afterwards.
    fn first_datagram(&self, mut client: Child, world: &World) -> Vec<u8> {
        let mut buffer = vec![0u8; 65_535];
        // A signal (a child of another test ending) can interrupt the wait: wait again.
        let received = loop {
            match self.socket.recv_from(&mut buffer) {
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                other => break other,
            }
        };
        if let Ok((length, peer)) = &received {
            if let Some(answer) = buffer
                .get(..*length)
                .and_then(|query| answer_like_serve(world, query))
            {
                let _ = self.socket.send_to(&answer, peer);
            }
        }
        // Whatever the client does next (retries, EDNS version negotiation) is not looked at.
        let _ = client.kill();
        let _ = client.wait();
        let (length, _) = received.expect("the client sent a query");
        buffer.truncate(length);
        buffer
    }
}

/// The words of a command line the page wrote, with the server filled in.
fn words(command: &str, server: &[String]) -> Vec<String> {
    let placeholder = format!("@{SERVER_PLACEHOLDER}");
    command
        .split_whitespace()
        .flat_map(|word| {
            if word == placeholder {
                server.to_vec()
            } else {
                vec![word.to_owned()]
            }
        })
        .collect()
}

#[test]
fn the_dig_command_sends_the_built_bytes() {
    let world = World::builtin();
    let forms = [
        form("www.example.com", "A", 4660),
        BuildForm {
            name: "bücher.example".to_owned(),
            qtype: "TYPE65400".to_owned(),
            qclass: "CH".to_owned(),
            opcode: 2,
            rd: false,
            cd: true,
            ad: true,
            dnssec_ok: true,
            edns_version: 1,
            udp_payload: 4096,
            nsid: true,
            cookie: Some("0123456789abcdef".to_owned()),
            client_subnet: Some("2001:db8:aaaa::1/48".to_owned()),
            padding_block: Some(128),
            ..form("x", "A", 1)
        },
        BuildForm {
            edns: false,
            ..form("example.com", "ANY", 65535)
        },
        BuildForm {
            client_subnet: Some("192.0.2.77/20".to_owned()),
            padding_block: Some(64),
            ..form("Mixed.Case.example", "mx", 7)
        },
    ];
    for form in forms {
        let query = built(&form);
        let capture = Capture::new();
        let server = [
            "@127.0.0.1".to_owned(),
            "-p".to_owned(),
            capture.port().to_string(),
        ];
        let mut arguments = words(&query.copies.dig_command, &server);
        assert_eq!(arguments.first().map(String::as_str), Some("dig"));
        arguments.remove(0);
        arguments.extend(["+tries=1".to_owned(), "+timeout=5".to_owned()]);
        let client = Command::new("dig")
            .args(&arguments)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("run dig (bind9-dnsutils)");
        let sent = capture.first_datagram(client, &world);
        assert_eq!(
            dnslab_core::input::write::hex_stream(&sent),
            query.copies.hex_stream,
            "{}",
            query.copies.dig_command
        );
    }
}

#[test]
fn the_dnslab_command_sends_the_built_bytes_but_its_own_id() {
    let world = World::builtin();
    for form in [
        form("www.example.com", "A", 0),
        BuildForm {
            rd: false,
            dnssec_ok: true,
            nsid: true,
            udp_payload: 4096,
            ..form("example.com", "MX", 0)
        },
        BuildForm {
            edns: false,
            qclass: "CH".to_owned(),
            ..form("version.bind", "TXT", 0)
        },
    ] {
        let query = built(&form);
        assert_eq!(query.copies.dnslab_command_omits, ["id"]);
        let capture = Capture::new();
        let server = [format!("@127.0.0.1:{}", capture.port())];
        let mut arguments = words(&query.copies.dnslab_command, &server);
        assert_eq!(
            arguments.get(..2),
            Some(&["dnslab".to_owned(), "query".to_owned()][..])
        );
        arguments.drain(..1);
        arguments.extend(["+tries=1".to_owned(), "+timeout=5".to_owned()]);
        let client = Command::new(env!("CARGO_BIN_EXE_dnslab"))
            .args(&arguments)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("run dnslab query");
        let sent = capture.first_datagram(client, &world);
        // Everything but the two ID octets (RFC 1035 section 4.1.1), which `dnslab query` draws.
        assert_eq!(
            sent.get(2..),
            query.bytes.get(2..),
            "{}",
            query.copies.dnslab_command
        );
    }
}
