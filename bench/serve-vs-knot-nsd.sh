#!/usr/bin/env bash
# Benchmark: `dnslab serve` against Knot DNS and NSD on the same zone, with dnsperf, one after the other: queries per second and CPU time per answered query.
#
# Each server gets its own loopback port and the shared capture zone (example.com.zone), with
# rate limiting off (NSD: rrl-ratelimit 0; Knot: no rrl module) and the same number of UDP
# workers. For each server in turn: start it, check it answers, warm it up, read the CPU time
# (utime + stime from /proc/PID/stat, summed over the server's whole process tree, since NSD
# forks its workers), run `dnsperf -l SECONDS -c CLIENTS [-Q QPS]`, read the CPU time again, stop
# it. CPU per query = CPU seconds used / queries dnsperf saw answered.
#
# Goal (issue 4): dnslab's CPU per query within 1.25x of NSD's.
#
# The servers take turns for BENCH_ROUNDS rounds and the table shows each one's median round, so
# that other work on a shared machine disturbs every server alike rather than whichever ran when
# it happened; each round's figures are printed too.
#
# Settings (environment): BENCH_SECONDS (10), BENCH_CLIENTS (4), BENCH_QPS (empty: as fast as
# dnsperf can), BENCH_ROUNDS (3), BENCH_WORKERS (UDP workers per server; default: number of
# CPUs), DNSLAB_BIN (default $CARGO_TARGET_DIR/release/dnslab), BENCH_SERVERS ("dnslab knot nsd"),
# BENCH_DNSLAB_OPTIONS (more `dnslab serve` options, e.g. "--answer-cache-entries 0" to measure
# every answer computed afresh: the query mix repeats 12 queries, so the cache answers nearly all).
# Only 127.0.0.1 is used.
set -euo pipefail

repository_root=$(cd "$(dirname "$0")/.." && pwd)
target_dir=${CARGO_TARGET_DIR:-$HOME/.cache/dnslab/target}
dnslab_bin=${DNSLAB_BIN:-$target_dir/release/dnslab}
zone_file=$repository_root/crates/dnslab-core/tests/data/captures/example.com.zone
seconds=${BENCH_SECONDS:-10}
clients=${BENCH_CLIENTS:-4}
rate=${BENCH_QPS:-}
workers=${BENCH_WORKERS:-$(nproc)}
servers=${BENCH_SERVERS:-dnslab knot nsd}
rounds=${BENCH_ROUNDS:-3}
read -r -a dnslab_options <<<"${BENCH_DNSLAB_OPTIONS:-}"
clock_ticks=$(getconf CLK_TCK)

fail() {
    echo "serve-vs-knot-nsd: $*" >&2
    exit 1
}

for tool in dnsperf dig knotd nsd; do
    command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install dnsperf bind9-dnsutils knot nsd)"
done
[ -x "$dnslab_bin" ] || fail "no dnslab at $dnslab_bin (cargo build --release -p dnslab-cli, or set DNSLAB_BIN)"

work_dir=$(mktemp -d "${TMPDIR:-/tmp}/dnslab-bench.XXXXXX")
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work_dir"
}
trap cleanup EXIT

# A free loopback port (UDP and TCP both unused): bind port 0 and let it go. Another process could
# take it in between; the server then fails to start and the script says so.
free_port() {
    python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]
t = socket.socket(); t.bind(("127.0.0.1", p)); print(p)'
}

# The query mix: answers, CNAMEs, a referral, NXDOMAIN, NODATA, a wildcard, additional-section
# addresses; every name from example.com.zone.
query_file=$work_dir/queries.txt
cat >"$query_file" <<'EOF'
www.example.com A
example.com A
example.com MX
example.com NS
mail.example.com AAAA
alias.example.com A
nope.example.com A
sip.example.com AAAA
x.wild.example.com A
_sip._udp.example.com SRV
www.sub.example.com A
example.com TXT
EOF

# utime + stime, in clock ticks, of a process and all its descendants.
tree_cpu_ticks() {
    local root=$1 total=0 pid
    local pids=("$root")
    local index=0
    while [ "$index" -lt "${#pids[@]}" ]; do
        for pid in $(pgrep -P "${pids[$index]}" || true); do
            pids+=("$pid")
        done
        index=$((index + 1))
    done
    for pid in "${pids[@]}"; do
        # Fields 14 and 15 after the ")" that ends the command name (which may hold spaces).
        local stat
        stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
        stat=${stat##*) }
        set -- $stat
        total=$((total + ${12} + ${13}))
    done
    echo "$total"
}

wait_until_answering() {
    local port=$1 name=$2
    for _ in $(seq 1 100); do
        if dig @127.0.0.1 -p "$port" +time=1 +tries=1 +short www.example.com A 2>/dev/null | grep -q 93.184.215.14; then
            return 0
        fi
        kill -0 "$server_pid" 2>/dev/null || fail "$name exited; see $work_dir"
        sleep 0.1
    done
    fail "$name does not answer on 127.0.0.1:$port"
}

start_dnslab() {
    local port=$1
    "$dnslab_bin" serve --zone "$zone_file" --listen "127.0.0.1:$port" --udp-workers "$workers" \
        "${dnslab_options[@]}" >"$work_dir/dnslab.out" 2>"$work_dir/dnslab.err" &
    server_pid=$!
}

start_knot() {
    local port=$1
    mkdir -p "$work_dir/knot"
    cat >"$work_dir/knot/knot.conf" <<EOF
server:
    listen: 127.0.0.1@$port
    rundir: $work_dir/knot
    udp-workers: $workers
    tcp-workers: 1
    background-workers: 1
database:
    storage: $work_dir/knot
log:
  - target: stderr
    any: warning
template:
  - id: default
    storage: $work_dir/knot
    journal-content: none
    zonefile-sync: -1
    zonefile-load: whole
zone:
  - domain: example.com.
    file: $zone_file
EOF
    knotd --config "$work_dir/knot/knot.conf" >"$work_dir/knot.out" 2>&1 &
    server_pid=$!
}

start_nsd() {
    local port=$1
    mkdir -p "$work_dir/nsd"
    cat >"$work_dir/nsd/nsd.conf" <<EOF
server:
    ip-address: 127.0.0.1@$port
    port: $port
    server-count: $workers
    username: ""
    chroot: ""
    database: ""
    zonesdir: "$work_dir/nsd"
    pidfile: "$work_dir/nsd/nsd.pid"
    xfrdfile: "$work_dir/nsd/xfrd.state"
    xfrdir: "$work_dir/nsd"
    zonelistfile: "$work_dir/nsd/zone.list"
    logfile: "$work_dir/nsd/nsd.log"
    verbosity: 0
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
remote-control:
    control-enable: no
zone:
    name: example.com.
    zonefile: "$zone_file"
EOF
    nsd-checkconf "$work_dir/nsd/nsd.conf" || fail "nsd.conf rejected"
    nsd -d -c "$work_dir/nsd/nsd.conf" >"$work_dir/nsd.out" 2>&1 &
    server_pid=$!
}

# Per server, one line per round: "CPU-us-per-query queries-per-second answered CPU-seconds".
declare -A round_results
run_one() {
    local name=$1 round=$2 port
    port=$(free_port)
    "start_$name" "$port"
    wait_until_answering "$port" "$name"
    local rate_option=()
    [ -n "$rate" ] && rate_option=(-Q "$rate")
    # Warm-up: page in the zone and the code, grow buffers.
    dnsperf -s 127.0.0.1 -p "$port" -d "$query_file" -l 1 -c "$clients" "${rate_option[@]}" >/dev/null 2>&1 || true
    local before after
    before=$(tree_cpu_ticks "$server_pid")
    dnsperf -s 127.0.0.1 -p "$port" -d "$query_file" -l "$seconds" -c "$clients" "${rate_option[@]}" \
        >"$work_dir/$name.dnsperf" 2>&1
    after=$(tree_cpu_ticks "$server_pid")
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
    local completed qps lost
    completed=$(awk '/Queries completed:/ { print $3 }' "$work_dir/$name.dnsperf")
    qps=$(awk '/Queries per second:/ { printf "%.0f", $4 }' "$work_dir/$name.dnsperf")
    lost=$(awk '/Queries lost:/ { print $3 }' "$work_dir/$name.dnsperf")
    [ -n "$completed" ] && [ "$completed" -gt 0 ] || fail "$name: dnsperf saw no answers: $(cat "$work_dir/$name.dnsperf")"
    local line
    line=$(awk -v t=$((after - before)) -v hz="$clock_ticks" -v n="$completed" -v q="$qps" \
        'BEGIN { printf "%.3f %s %s %.2f", t / hz * 1e6 / n, q, n, t / hz }')
    round_results[$name]+="$line"$'\n'
    echo "  round $round $name: $line (CPU us/query, queries/s, answered, CPU s; $lost lost)" >&2
}

echo "dnsperf ${seconds}s, $clients clients, ${rate:-unlimited} qps, $workers UDP workers per server, $(nproc) CPUs; zone $(basename "$zone_file"); dnslab options: ${dnslab_options[*]:-none}" >&2
for round in $(seq 1 "$rounds"); do
    for name in $servers; do
        run_one "$name" "$round"
    done
done

# The median round of each server, by CPU per query.
declare -A queries_per_second answered cpu_microseconds_per_query cpu_seconds
for name in $servers; do
    read -r cpu_microseconds_per_query[$name] queries_per_second[$name] answered[$name] cpu_seconds[$name] < <(
        printf '%s' "${round_results[$name]}" | sort -n -k1,1 | awk '{ lines[NR] = $0 } END { print lines[int((NR + 1) / 2)] }')
done

echo
echo "median of $rounds rounds:"
printf '%-8s %12s %12s %10s %18s\n' server "queries/s" answered "CPU s" "CPU us/query"
for name in $servers; do
    printf '%-8s %12s %12s %10s %18s\n' "$name" "${queries_per_second[$name]}" "${answered[$name]}" \
        "${cpu_seconds[$name]}" "${cpu_microseconds_per_query[$name]}"
done
echo
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'
}
if [[ " $servers " == *" dnslab "* ]]; then
    for peer in nsd knot; do
        [[ " $servers " == *" $peer "* ]] || continue
        echo "dnslab/$peer: CPU per query $(ratio "${cpu_microseconds_per_query[dnslab]}" "${cpu_microseconds_per_query[$peer]}")x, queries/s $(ratio "${queries_per_second[dnslab]}" "${queries_per_second[$peer]}")x"
    done
    if [[ " $servers " == *" nsd "* ]]; then
        verdict=$(awk -v a="${cpu_microseconds_per_query[dnslab]}" -v b="${cpu_microseconds_per_query[nsd]}" \
            'BEGIN { print (a <= 1.25 * b) ? "met" : "NOT met" }')
        echo "goal (CPU per query within 1.25x of NSD): $verdict"
    fi
fi
