//! Which web pages may open the bridge's WebSocket: its own, and origins named with `--allow-origin`.
//!
//! Without this check any site the user visits could script DNS queries through the bridge.
//! Browsers always send `Origin` on a WebSocket handshake, and a page cannot forge it.
//!
//! **The bridge's own origin** is `http://` followed by the request's `Host`, but only when that
//! host is an IP literal or `localhost` and its port is the bridge's port. Accepting any `Host`
//! would let a DNS-rebinding page (served as `http://attacker.example:8053`, its name then
//! re-pointed at 127.0.0.1) pass as same-origin, because its `Origin` and `Host` agree. A bridge
//! reached through a DNS name needs `--allow-origin http://that-name:port`.
//!
//! **A handshake without `Origin` is allowed**: it cannot come from a browser page, and
//! non-browser clients (scripts, the tests) are no more dangerous with the bridge than with the
//! DNS server itself, which they could query directly.

use std::net::IpAddr;

/// Why a WebSocket handshake was refused; the text is logged and sent with the 403.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OriginRefusal {
    /// `Origin` is neither the bridge's own nor allowed.
    #[error("origin {origin:?} is not allowed (only the bridge's own origin and --allow-origin ones are)")]
    NotAllowed {
        /// The refused origin as sent.
        origin: String,
    },
    /// `Origin` is not valid text.
    #[error("the Origin header is not valid text")]
    Unreadable,
}

/// Decides which origins may use the WebSocket.
#[derive(Debug, Clone)]
pub struct OriginPolicy {
    /// `--allow-origin` values, normalized by [`normalize_origin`].
    allowed_origins: Vec<String>,
    /// The port the bridge listens on: the own-origin rule requires it in `Host`.
    bridge_port: u16,
}

impl OriginPolicy {
    /// A policy for a bridge listening on `bridge_port` that also admits `allowed_origins`.
    pub fn new(allowed_origins: &[String], bridge_port: u16) -> Self {
        Self {
            allowed_origins: allowed_origins
                .iter()
                .map(|origin| normalize_origin(origin))
                .collect(),
            bridge_port,
        }
    }

    /// Checks one handshake: `origin` and `host` are the raw header values, if present.
    pub fn check(&self, origin: Option<&[u8]>, host: Option<&[u8]>) -> Result<(), OriginRefusal> {
        let Some(origin) = origin else {
            return Ok(());
        };
        let origin = std::str::from_utf8(origin).map_err(|_| OriginRefusal::Unreadable)?;
        let normalized = normalize_origin(origin);
        if self.allowed_origins.contains(&normalized) {
            return Ok(());
        }
        let host = host.and_then(|host| std::str::from_utf8(host).ok());
        if let Some(host) = host {
            let host = host.trim().to_ascii_lowercase();
            if normalized == format!("http://{host}") && self.host_names_this_bridge(&host) {
                return Ok(());
            }
        }
        Err(OriginRefusal::NotAllowed {
            origin: origin.to_owned(),
        })
    }

    /// True when `host` (lowercase `name[:port]`) is an IP literal or `localhost` with the
    /// bridge's port: names that a rebinding attacker cannot control.
    fn host_names_this_bridge(&self, host: &str) -> bool {
        let (name, port) = split_host_and_port(host);
        let port = match port {
            Some(port) => port.parse::<u16>().ok(),
            None => Some(80),
        };
        if port != Some(self.bridge_port) {
            return false;
        }
        if name == "localhost" {
            return true;
        }
        let bare_name = name
            .strip_prefix('[')
            .and_then(|inner| inner.strip_suffix(']'))
            .unwrap_or(name);
        bare_name.parse::<IpAddr>().is_ok()
    }
}

/// Splits `name:port`, `[v6]:port`, `name` or `[v6]`.
fn split_host_and_port(host: &str) -> (&str, Option<&str>) {
    if host.starts_with('[') {
        return match host.rfind("]:") {
            Some(bracket) => (&host[..=bracket], Some(&host[bracket + 2..])),
            None => (host, None),
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    }
}

/// Lowercases an origin and drops a trailing slash, so `HTTP://Localhost:8080/` and
/// `http://localhost:8080` compare equal.
pub fn normalize_origin(origin: &str) -> String {
    origin.trim().trim_end_matches('/').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> OriginPolicy {
        OriginPolicy::new(&["HTTP://localhost:8080/".to_owned()], 8053)
    }

    fn check(origin: Option<&str>, host: Option<&str>) -> Result<(), OriginRefusal> {
        policy().check(origin.map(str::as_bytes), host.map(str::as_bytes))
    }

    #[test]
    fn the_bridge_own_origin_is_allowed_for_ip_literals_and_localhost() {
        assert_eq!(
            check(Some("http://127.0.0.1:8053"), Some("127.0.0.1:8053")),
            Ok(())
        );
        assert_eq!(
            check(Some("http://localhost:8053"), Some("localhost:8053")),
            Ok(())
        );
        assert_eq!(check(Some("http://[::1]:8053"), Some("[::1]:8053")), Ok(()));
    }

    #[test]
    fn allowed_origins_match_after_normalizing() {
        assert_eq!(
            check(Some("http://localhost:8080"), Some("127.0.0.1:8053")),
            Ok(())
        );
    }

    #[test]
    fn a_rebinding_page_whose_origin_matches_its_own_dns_name_is_refused() {
        assert!(check(
            Some("http://attacker.example:8053"),
            Some("attacker.example:8053")
        )
        .is_err());
    }

    #[test]
    fn foreign_origins_wrong_ports_and_opaque_origins_are_refused() {
        assert!(check(Some("http://evil.example"), Some("127.0.0.1:8053")).is_err());
        assert!(check(Some("http://127.0.0.1:9999"), Some("127.0.0.1:9999")).is_err());
        assert!(check(Some("https://127.0.0.1:8053"), Some("127.0.0.1:8053")).is_err());
        assert!(check(Some("null"), Some("127.0.0.1:8053")).is_err());
        assert!(check(Some("http://127.0.0.1:8053"), None).is_err());
    }

    #[test]
    fn a_handshake_without_origin_is_allowed() {
        assert_eq!(check(None, Some("127.0.0.1:8053")), Ok(()));
    }
}
