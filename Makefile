# dnslab's build, run and test entry points. `make run` and `make test` are the README's quick start.
#
# Every target installs what it needs first (scripts/bootstrap.sh, idempotent), so a fresh Debian
# machine with rustup, cargo, node and apt needs nothing else. Build outputs live outside the clone
# so a fresh clone (as CI makes) reuses them.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

WASM_BINDGEN_VERSION := $(shell sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' Cargo.toml)
export CARGO_TARGET_DIR ?= $(HOME)/.cache/dnslab/target
export DNSLAB_TOOLS_DIR ?= $(HOME)/.cache/dnslab/tools
export CARGO_INSTALL_ROOT ?= $(HOME)/.cargo
export PATH := $(CARGO_INSTALL_ROOT)/bin:$(DNSLAB_TOOLS_DIR)/node_modules/.bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
# wasm-bindgen-test-runner drives Chromium through chromedriver; as root Chromium needs --no-sandbox.
export WASM_BINDGEN_TEST_TIMEOUT ?= 120

BRIDGE_LISTEN ?= 127.0.0.1:8053
RELEASE_BIN := $(CARGO_TARGET_DIR)/release

.PHONY: help bootstrap build dist run test test-native test-wasm test-e2e lint fuzz bench-page clean

help:
	@echo "make run    build everything and serve the page at http://$(BRIDGE_LISTEN)/"
	@echo "make test   every check and test (formatting, clippy, native, wasm in Chromium, end-to-end)"
	@echo "make dist   build the release site into dist/"
	@echo "make fuzz   run each fuzz target (FUZZ_SECONDS=60 by default)"

bootstrap:
	@WASM_BINDGEN_VERSION=$(WASM_BINDGEN_VERSION) scripts/bootstrap.sh

## The release site in dist/ (Trunk, wasm-bindgen and wasm-opt from PATH; nothing downloaded).
dist: bootstrap
	trunk build --release --offline --dist dist
	@wasm=$$(gzip -9c dist/*.wasm | wc -c); js=$$(gzip -9c dist/*.js | wc -c); \
	  echo "make dist: shipped wasm + JS $$(( (wasm + js) / 1024 )) KiB gzip ($$wasm + $$js bytes; budget 300 KB)"

## The native binaries, release mode.
build: bootstrap
	cargo build --release -p dnslab-cli -p dnslab-bridge

## `dnslab serve` (the built-in mini-internet on 127.0.0.1:1053) plus the bridge serving the page.
run: dist build
	BRIDGE_LISTEN=$(BRIDGE_LISTEN) DNSLAB_SITE_DIR=$(CURDIR)/dist scripts/run.sh

lint: bootstrap
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings

test-native: bootstrap
	cargo test --workspace
	cargo check -p dnslab-core --target wasm32-unknown-unknown

test-wasm: bootstrap
	cargo test -p dnslab-web --target wasm32-unknown-unknown

test-e2e: dist build
	DNSLAB_BRIDGE_BIN=$(RELEASE_BIN)/dnslab-bridge DNSLAB_CLI_BIN=$(RELEASE_BIN)/dnslab DNSLAB_SITE_DIR=$(CURDIR)/dist \
	DNSLAB_SCREENSHOTS_DIR=$(CURDIR)/www/screenshots \
	NODE_PATH=$(DNSLAB_TOOLS_DIR)/node_modules node --test tests/e2e/all.test.cjs

test: lint test-native test-wasm test-e2e
	@echo "make test: all checks passed"

## The page's speed in headless Chromium (keystroke decode + render; CAPTURE=file.pcap also
## times opening it against `tshark -r`). A benchmark, not a test: prints figures, asserts nothing.
bench-page: dist
	DNSLAB_SITE_DIR=$(CURDIR)/dist NODE_PATH=$(DNSLAB_TOOLS_DIR)/node_modules node bench/page.cjs

## Build, Resolve and Zones in headless Chromium (bench/tabs.cjs): Build's answer rendered, the
## bridge's round trip to Knot DNS against its own rtt, a cold Resolve, keystrokes in a
## 1,000-record zone. ONLY=build,bridge,resolve,zones picks sections. Prints figures, asserts nothing.
.PHONY: bench-tabs bench-first-render
bench-tabs: dist build
	DNSLAB_SITE_DIR=$(CURDIR)/dist DNSLAB_BRIDGE_BIN=$(RELEASE_BIN)/dnslab-bridge \
	NODE_PATH=$(DNSLAB_TOOLS_DIR)/node_modules node bench/tabs.cjs

## First render against a Yew hello-world built the same way (bench/hello/, into ~/.cache/dnslab/hello).
bench-first-render: dist
	DNSLAB_SITE_DIR=$(CURDIR)/dist NODE_PATH=$(DNSLAB_TOOLS_DIR)/node_modules bench/first-render.sh

FUZZ_SECONDS ?= 60
fuzz: bootstrap
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	cd fuzz && for target in $$(cargo +nightly fuzz list); do \
	  echo "fuzzing $$target for $(FUZZ_SECONDS)s"; \
	  cargo +nightly fuzz run $$target -- -max_total_time=$(FUZZ_SECONDS); \
	done

clean:
	rm -rf dist
