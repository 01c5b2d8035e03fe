#!/usr/bin/env bash
# bench/profiling-site.sh [REV]: the release site of commit REV (HEAD by default) with the wasm
# functions' names kept, for CPU profiles that say where the time goes (PROFILE=dir with
# bench/tabs.cjs or bench/first-render.sh). The same Trunk, profile and rustc optimizations as
# `make dist`, except that the name section is kept (strip = none, wasm-bindgen --keep-debug)
# and wasm-opt is skipped (it drops names): the code is rustc's opt-level z + LTO output, a bit
# larger than the shipped one. Built from `git archive REV` in a cache outside the clone, with
# its own target folder, so it touches neither the working tree nor the shared build.
#
# Prints the site's folder; use it as DNSLAB_SITE_DIR.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
rev=$(git -C "$repo" rev-parse --short "${1:-HEAD}")
cache=${DNSLAB_PROFILING_DIR:-$HOME/.cache/dnslab/profiling}
tree=$cache/$rev/tree
site=$cache/$rev/dist

if [[ ! -f $site/index.html ]]; then
  rm -rf "$tree"
  mkdir -p "$tree"
  git -C "$repo" archive "$rev" | tar -x -C "$tree"
  sed 's/data-wasm-opt="z"/data-wasm-opt="0" data-keep-debug/' "$tree/index.html" > "$tree/index-profiling.html"
  (cd "$tree" && CARGO_PROFILE_WASM_RELEASE_STRIP=none CARGO_TARGET_DIR="$cache/target" \
    trunk build --release --offline --dist "$site" index-profiling.html) >&2
fi
echo "$site"
