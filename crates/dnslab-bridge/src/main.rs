//! `dnslab-bridge`: the command-line entry point; everything else is in the library.

use anyhow::Context;
use clap::Parser;
use dnslab_bridge::{interrupt_or_terminate, raise_open_file_limit, Bridge, CommandLine};

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let config = CommandLine::parse().into_config();
    if let Some(site) = &config.site {
        anyhow::ensure!(
            site.join("index.html").is_file(),
            "{} has no index.html: build the site first (`make dist`)",
            site.display()
        );
    }
    match raise_open_file_limit(&config) {
        Ok((_, true)) => {}
        Ok((granted, false)) => tracing::warn!(
            open_file_limit = granted,
            "the open-file limit is below what the connection and in-flight limits can use; \
             queries beyond it will get a \"too many open files\" error"
        ),
        Err(error) => tracing::warn!(%error, "could not read or raise the open-file limit"),
    }
    dnslab_bridge::runtime(config.threads)
        .context("starting the runtime")?
        .block_on(async {
            let bridge = Bridge::bind(config).await.context("starting the bridge")?;
            // Tests and `make run` read this line to learn the address (the port may have been 0).
            println!("dnslab-bridge: serving http://{}/", bridge.local_address());
            bridge
                .serve(interrupt_or_terminate())
                .await
                .context("serving")
        })
}
