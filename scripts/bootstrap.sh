#!/usr/bin/env bash
#! Installs every tool dnslab's build and tests need on a fresh Debian machine, skipping what is already there.
# Idempotent: each step checks before it installs. Safe to run on every `make test` / `make run`.
set -euo pipefail

WASM_BINDGEN_VERSION="${WASM_BINDGEN_VERSION:?set by the Makefile from Cargo.toml}"
TRUNK_VERSION_REQ="~0.21"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TOOLS_DIR="${DNSLAB_TOOLS_DIR:-$HOME/.cache/dnslab/tools}"

log() { printf 'bootstrap: %s\n' "$*" >&2; }

# Debian packages: the browser for wasm and end-to-end tests, and the DNS peers tests compare against.
APT_PACKAGES=(chromium chromium-driver knot knot-dnsutils nsd bind9-dnsutils dnsperf tshark tcpdump)
missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The packaged servers start themselves; tests start their own instances on loopback ports.
  for service in knot nsd; do $SUDO systemctl disable --now "$service" >/dev/null 2>&1 || true; done
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  rustup component list --installed | grep -q "^$component" || rustup component add "$component"
done

if ! trunk --version 2>/dev/null | grep -q '^trunk 0\.21\.'; then
  log "installing trunk $TRUNK_VERSION_REQ (takes several minutes, once)"
  cargo install trunk --version "$TRUNK_VERSION_REQ" --locked
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes several minutes, once)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# npm tools live outside the clone (a fresh clone must not reinstall 100 MB of binaryen each time),
# pinned by the lock file in tools/.
mkdir -p "$TOOLS_DIR"
if ! cmp -s "$ROOT/tools/package-lock.json" "$TOOLS_DIR/package-lock.json" || [ ! -x "$TOOLS_DIR/node_modules/.bin/wasm-opt" ]; then
  log "installing npm tools (playwright-core, binaryen) into $TOOLS_DIR"
  cp "$ROOT/tools/package.json" "$ROOT/tools/package-lock.json" "$TOOLS_DIR/"
  (cd "$TOOLS_DIR" && npm ci --no-audit --no-fund --loglevel=error)
fi
log "all tools present"
