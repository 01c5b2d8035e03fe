#!/usr/bin/env bash
# bench/first-render.sh: dnslab's first render in headless Chromium against a Yew hello-world
# built the same way: bench/hello/ (Yew 0.23 csr, its own workspace) with the same Trunk,
# wasm-bindgen and wasm-opt from PATH, the root Cargo.toml's wasm-release profile and
# data-wasm-opt="z". The hello-world is built into a cache outside the clone
# (DNSLAB_HELLO_DIR, ~/.cache/dnslab/hello by default) when its sources or the tools changed;
# then bench/first-render.cjs measures both. Prints figures, asserts nothing.
#
# Usage: make bench-first-render (builds dist/ first), or bench/first-render.sh with dist/ built.
# DNSLAB_SITE_DIR (default dist/), RUNS (30) and PROFILE=dir are passed on.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
cache=${DNSLAB_HELLO_DIR:-$HOME/.cache/dnslab/hello}
site=${DNSLAB_SITE_DIR:-$repo/dist}
hello=$here/hello

stamp=$( (cat "$hello/Cargo.toml" "$hello/Cargo.lock" "$hello/index.html" "$hello/Trunk.toml" "$hello/src/main.rs";
          trunk --version; wasm-bindgen --version; wasm-opt --version; rustc --version) | sha256sum | cut -c1-16)
if [[ ! -f $cache/dist/index.html || "$(cat "$cache/stamp" 2>/dev/null || true)" != "$stamp" ]]; then
  echo "bench/first-render.sh: building the Yew hello-world into $cache/dist"
  mkdir -p "$cache"
  (cd "$hello" && CARGO_TARGET_DIR="$cache/target" trunk build --release --offline --dist "$cache/dist")
  echo "$stamp" > "$cache/stamp"
fi

DNSLAB_SITE_DIR=$site HELLO_SITE_DIR=$cache/dist node "$here/first-render.cjs"
