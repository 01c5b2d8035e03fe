//! `dnslab-bridge`: serves the built dnslab site over HTTP on loopback.
//!
//! WebSocket-to-UDP forwarding (so the page can query real DNS servers) arrives in its own change;
//! today the binary serves the static site and a health check.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use axum::routing::get;
use axum::Router;
use clap::Parser;
use tower_http::services::ServeDir;

#[derive(Debug, Parser)]
#[command(name = "dnslab-bridge", version, about = "Serve the dnslab site on loopback")]
struct Options {
    /// Address to listen on. Loopback by default, so nothing outside this machine can connect.
    #[arg(long, default_value = "127.0.0.1:8053")]
    listen: SocketAddr,
    /// Folder holding the built site (`make dist` writes it to `dist/`).
    #[arg(long, default_value = "dist")]
    site: PathBuf,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let options = Options::parse();
    anyhow::ensure!(
        options.site.join("index.html").is_file(),
        "{} has no index.html: build the site first (`make dist`)",
        options.site.display()
    );
    let app = Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .fallback_service(ServeDir::new(&options.site));
    let listener = tokio::net::TcpListener::bind(options.listen)
        .await
        .with_context(|| format!("listening on {}", options.listen))?;
    let address = listener.local_addr().context("reading the bound address")?;
    // Tests and `make run` read this line to learn the address (the port may have been 0).
    println!("dnslab-bridge: serving http://{address}/");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("serving HTTP")?;
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM so open connections can finish.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
