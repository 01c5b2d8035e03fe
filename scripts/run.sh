#!/usr/bin/env bash
# `make run`: the built-in mini-internet (`dnslab serve`) plus the bridge that serves the page and forwards its queries; Ctrl-C stops both.
#
# Starts, in this order:
#   1. `dnslab serve` on $DNSLAB_SERVE_LISTEN (127.0.0.1:1053): the mini-internet's zones, real
#      UDP and TCP, so `dig @127.0.0.1 -p 1053 www.example.com` works too;
#   2. `dnslab-bridge --site $DNSLAB_SITE_DIR` on $BRIDGE_LISTEN (127.0.0.1:8053), whose upstreams
#      are that server and, when /etc/resolv.conf names one, the system's first nameserver (so the
#      page can also ask the real DNS).
# and prints the URL. Ctrl-C (or SIGTERM) stops both; if either dies, the other is stopped too.
#
# Binaries: $DNSLAB_BIN and $DNSLAB_BRIDGE_BIN, by default the release builds in
# $CARGO_TARGET_DIR (the Makefile's default: ~/.cache/dnslab/target).
set -euo pipefail

repository_root=$(cd "$(dirname "$0")/.." && pwd)
target_dir=${CARGO_TARGET_DIR:-$HOME/.cache/dnslab/target}
dnslab_bin=${DNSLAB_BIN:-$target_dir/release/dnslab}
bridge_bin=${DNSLAB_BRIDGE_BIN:-$target_dir/release/dnslab-bridge}
site_dir=${DNSLAB_SITE_DIR:-$repository_root/dist}
serve_listen=${DNSLAB_SERVE_LISTEN:-127.0.0.1:1053}
bridge_listen=${BRIDGE_LISTEN:-127.0.0.1:8053}

fail() {
    echo "run.sh: $*" >&2
    exit 1
}

[ -x "$dnslab_bin" ] || fail "no dnslab binary at $dnslab_bin (cargo build --release -p dnslab-cli, or set DNSLAB_BIN)"
[ -x "$bridge_bin" ] || fail "no dnslab-bridge binary at $bridge_bin (cargo build --release -p dnslab-bridge, or set DNSLAB_BRIDGE_BIN)"
[ -d "$site_dir" ] || fail "no site at $site_dir (make dist, or set DNSLAB_SITE_DIR)"

work_dir=$(mktemp -d "${TMPDIR:-/tmp}/dnslab-run.XXXXXX")
serve_pid=""
bridge_pid=""

stop_children() {
    trap - INT TERM EXIT
    for pid in $bridge_pid $serve_pid; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in $bridge_pid $serve_pid; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work_dir"
}
trap 'stop_children; exit 130' INT
trap 'stop_children; exit 143' TERM
trap stop_children EXIT

# 1. The mini-internet. Its ready line goes to a file we watch; its logs stay on the terminal.
"$dnslab_bin" serve --listen "$serve_listen" >"$work_dir/serve.out" &
serve_pid=$!
for _ in $(seq 1 100); do
    grep -q "listening on" "$work_dir/serve.out" 2>/dev/null && break
    kill -0 "$serve_pid" 2>/dev/null || fail "dnslab serve did not start (is $serve_listen in use?)"
    sleep 0.1
done
grep -q "listening on" "$work_dir/serve.out" || fail "dnslab serve did not get ready"
cat "$work_dir/serve.out"

# 2. The bridge, with the mini-internet first (the page's default) and the system's resolver.
upstreams=("$serve_listen")
if [ -r /etc/resolv.conf ]; then
    system_nameserver=$(awk '$1 == "nameserver" { print $2; exit }' /etc/resolv.conf)
    system_nameserver=${system_nameserver%%%*}
    case "$system_nameserver" in
        "") ;;
        *:*) upstreams+=("[$system_nameserver]:53") ;;
        *) upstreams+=("$system_nameserver:53") ;;
    esac
fi
upstream_options=()
for upstream in "${upstreams[@]}"; do
    upstream_options+=(--upstream "$upstream")
done
"$bridge_bin" --site "$site_dir" --listen "$bridge_listen" "${upstream_options[@]}" &
bridge_pid=$!
bridge_host=${bridge_listen%:*}
bridge_port=${bridge_listen##*:}
for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/${bridge_host//[\[\]]/}/$bridge_port") 2>/dev/null && break
    kill -0 "$bridge_pid" 2>/dev/null || fail "dnslab-bridge did not start (is $bridge_listen in use?)"
    sleep 0.1
done

echo "dnslab: open http://$bridge_listen/ (DNS upstreams: ${upstreams[*]}; Ctrl-C stops)"

# Until Ctrl-C, or until one of the two stops on its own.
set +e
wait -n "$serve_pid" "$bridge_pid"
status=$?
set -e
echo "run.sh: a server stopped (status $status); stopping the other" >&2
exit "$status"
