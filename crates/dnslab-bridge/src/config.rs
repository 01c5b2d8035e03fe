//! The bridge's settings: the command line, and the typed configuration the server runs with.
//!
//! Every default is the safe one: loopback only, one local upstream, limits that stop a page (or
//! anything else that reaches the port) from turning the bridge into a flood source.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

/// The upstream used when none is named: where `dnslab serve` listens by default.
pub const DEFAULT_UPSTREAM: &str = "127.0.0.1:1053";

/// Everything the bridge needs to run.
#[derive(Debug, Clone)]
pub struct BridgeConfig {
    /// Address to listen on for HTTP and WebSocket.
    pub listen: SocketAddr,
    /// Folder of the built site, served at `/`; `None` serves no files (tests, benchmarks).
    pub site: Option<PathBuf>,
    /// The only DNS servers queries are ever sent to; the first is the default. Never empty.
    pub upstreams: Vec<SocketAddr>,
    /// Origins, besides the bridge's own, whose pages may open `/dns`, e.g.
    /// `http://localhost:8080` for a development server.
    pub allowed_origins: Vec<String>,
    /// Per-connection and global limits.
    pub limits: Limits,
    /// Timeouts and retries towards upstreams.
    pub forwarding: ForwardingSettings,
    /// Threads of the runtime: 1 (the default) keeps every step of a query on one thread,
    /// which gives the lowest latency; more serve more queries per second.
    pub threads: usize,
}

/// Limits that keep one page, or many connections, from using the bridge as a flood source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// WebSocket connections open at once; more are refused with HTTP 503.
    pub max_connections: usize,
    /// Queries of one connection waiting for their upstream at once; more get an error.
    pub max_in_flight_per_connection: usize,
    /// Messages one connection may send per second (token bucket with one second of burst).
    pub queries_per_second_per_connection: u32,
    /// A connection with no message and no query in flight for this long is closed.
    pub idle_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_connections: 256,
            max_in_flight_per_connection: 64,
            queries_per_second_per_connection: 200,
            idle_timeout: Duration::from_secs(60),
        }
    }
}

/// How queries are sent upstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForwardingSettings {
    /// How long to wait for a UDP reply before sending the query again (and, on the last try,
    /// before giving up); also the limit for the whole TCP exchange after a truncated reply.
    pub timeout: Duration,
    /// UDP sends per query: 2 means one retry.
    pub udp_attempts: u32,
}

impl Default for ForwardingSettings {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(2),
            udp_attempts: 2,
        }
    }
}

impl BridgeConfig {
    /// A configuration with every default: listen on 127.0.0.1:8053, forward to
    /// 127.0.0.1:1053, serve no site.
    pub fn with_defaults() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8053)),
            site: None,
            upstreams: vec![SocketAddr::from(([127, 0, 0, 1], 1053))],
            allowed_origins: Vec::new(),
            limits: Limits::default(),
            forwarding: ForwardingSettings::default(),
            threads: 1,
        }
    }
}

/// The `dnslab-bridge` command line.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "dnslab-bridge",
    version,
    about = "Serve the dnslab site and forward its DNS queries (WebSocket to UDP/TCP) to configured servers only"
)]
pub struct CommandLine {
    /// Address to listen on. Loopback by default, so nothing outside this machine can connect.
    #[arg(long, default_value = "127.0.0.1:8053")]
    pub listen: SocketAddr,
    /// Folder holding the built site (`make dist` writes it to `dist/`).
    #[arg(long, default_value = "dist")]
    pub site: PathBuf,
    /// A DNS server (IP:PORT, IPv6 as [ADDR]:PORT) the page may query; repeat for several. The
    /// first is the default. Nothing else is ever sent anywhere. Default: 127.0.0.1:1053.
    #[arg(long = "upstream", value_name = "HOST:PORT")]
    pub upstreams: Vec<SocketAddr>,
    /// An origin (scheme://host[:port]) besides the bridge's own whose pages may use /dns; repeatable.
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    pub allowed_origins: Vec<String>,
    /// Milliseconds to wait for an upstream reply before the one retry (and for a TCP exchange).
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u64).range(1..=60_000))]
    pub timeout_ms: u64,
    /// WebSocket connections open at once.
    #[arg(long, default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub max_connections: u64,
    /// Queries in flight at once on one connection.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u64).range(1..=65_536))]
    pub max_in_flight: u64,
    /// Queries per second one connection may send (token bucket, one second of burst).
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_queries_per_second: u32,
    /// Seconds after which a connection with nothing to do is closed.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub idle_timeout_secs: u64,
    /// Threads forwarding queries. One gives the lowest latency (each query stays on one
    /// thread) and is plenty for a page or a few; more give more queries per second.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=256))]
    pub threads: u64,
}

impl CommandLine {
    /// The configuration these options ask for.
    pub fn into_config(self) -> BridgeConfig {
        let mut config = BridgeConfig::with_defaults();
        config.listen = self.listen;
        config.site = Some(self.site);
        if !self.upstreams.is_empty() {
            config.upstreams = self.upstreams;
        }
        config.allowed_origins = self.allowed_origins;
        config.forwarding.timeout = Duration::from_millis(self.timeout_ms);
        config.limits = Limits {
            max_connections: usize::try_from(self.max_connections).unwrap_or(usize::MAX),
            max_in_flight_per_connection: usize::try_from(self.max_in_flight).unwrap_or(usize::MAX),
            queries_per_second_per_connection: self.max_queries_per_second,
            idle_timeout: Duration::from_secs(self.idle_timeout_secs),
        };
        config.threads = usize::try_from(self.threads).unwrap_or(1);
        config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_no_flags_the_bridge_listens_and_forwards_on_loopback_only() {
        let config = CommandLine::parse_from(["dnslab-bridge"]).into_config();
        assert_eq!(config.listen, "127.0.0.1:8053".parse().expect("address"));
        assert_eq!(
            config.upstreams,
            vec![DEFAULT_UPSTREAM.parse::<SocketAddr>().expect("address")]
        );
        assert_eq!(config.limits, Limits::default());
        assert_eq!(config.limits.max_connections, 256);
        assert_eq!(config.forwarding.timeout, Duration::from_secs(2));
        assert_eq!(config.forwarding.udp_attempts, 2);
        assert_eq!(config.threads, 1);
    }

    #[test]
    fn repeated_upstreams_keep_their_order_and_replace_the_default() {
        let config = CommandLine::parse_from([
            "dnslab-bridge",
            "--upstream",
            "127.0.0.1:5300",
            "--upstream",
            "[::1]:53",
            "--timeout-ms",
            "150",
            "--max-queries-per-second",
            "5",
        ])
        .into_config();
        assert_eq!(
            config.upstreams,
            vec![
                "127.0.0.1:5300".parse::<SocketAddr>().expect("address"),
                "[::1]:53".parse::<SocketAddr>().expect("address")
            ]
        );
        assert_eq!(config.forwarding.timeout, Duration::from_millis(150));
        assert_eq!(config.limits.queries_per_second_per_connection, 5);
    }

    #[test]
    fn an_upstream_that_is_not_ip_and_port_is_rejected() {
        assert!(
            CommandLine::try_parse_from(["dnslab-bridge", "--upstream", "example.com"]).is_err()
        );
        assert!(CommandLine::try_parse_from(["dnslab-bridge", "--max-connections", "0"]).is_err());
    }
}
