#!/usr/bin/env bash
# bench/decode-vs-tshark.sh: times `dnslab decode --json` against `tshark -T json` on one capture.
#
# Makes a capture of at least 50,000 DNS packets here, on loopback only: Knot DNS serves the
# shared example.com zone on 127.0.0.1, dnsperf sends queries for names of that zone, tcpdump
# records the queries and responses. Then both decoders turn the whole capture into JSON, side by
# side in one hyperfine run (or /usr/bin/time when hyperfine is missing), and the script prints
# both times and the ratio. Goal (issue 3): dnslab at least 20 times faster than tshark.
#
# Needs: knotd, dnsperf, tcpdump, tshark (and hyperfine for the best figures); run as root or with
# the capture capability for tcpdump. Environment:
#   QUERIES=30000     queries dnsperf sends (each gives 2 packets: query and response)
#   RUNS=5            timed runs per decoder
#   DNSLAB_BIN=path   use this dnslab binary instead of building the release one
#   KEEP=1            keep the work folder (capture, queries, results) and print its path
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
QUERIES=${QUERIES:-30000}
RUNS=${RUNS:-5}
MINIMUM_DNS_PACKETS=50000
ZONE="$ROOT/crates/dnslab-core/tests/data/captures/example.com.zone"

for tool in knotd dnsperf tcpdump tshark; do
    command -v "$tool" >/dev/null || {
        echo "bench: $tool is needed (apt-get install knot dnsperf tcpdump tshark)" >&2
        exit 1
    }
done

if [[ -z "${DNSLAB_BIN:-}" ]]; then
    echo "bench: building dnslab (release)..." >&2
    (cd "$ROOT" && cargo build --quiet --release -p dnslab-cli)
    DNSLAB_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/dnslab"
fi

WORK=$(mktemp -d /tmp/dnslab-bench.XXXXXX)
KNOT_PID=""
TCPDUMP_PID=""
cleanup() {
    [[ -n "$TCPDUMP_PID" ]] && kill "$TCPDUMP_PID" 2>/dev/null || true
    [[ -n "$KNOT_PID" ]] && kill "$KNOT_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    if [[ "${KEEP:-0}" == 1 ]]; then
        echo "bench: work folder kept: $WORK" >&2
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

# A free UDP port on 127.0.0.1: try random ones until `ss` shows none in use.
PORT=""
for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 40000))
    if ! ss -Huan "sport = :$candidate" | grep -q . && ! ss -Htan "sport = :$candidate" | grep -q .; then
        PORT=$candidate
        break
    fi
done
[[ -n "$PORT" ]] || { echo "bench: no free port found" >&2; exit 1; }

mkdir -p "$WORK/run"
cp "$ZONE" "$WORK/example.com.zone"
cat >"$WORK/knot.conf" <<EOF
server:
    listen: 127.0.0.1@$PORT
    rundir: $WORK/run
    udp-workers: 1
    tcp-workers: 1
database:
    storage: $WORK
template:
  - id: default
    storage: $WORK
    zonefile-sync: -1
    journal-content: none
zone:
  - domain: example.com
    file: example.com.zone
log:
  - target: stderr
    any: warning
EOF
knotd -c "$WORK/knot.conf" 2>"$WORK/knotd.log" &
KNOT_PID=$!
for _ in $(seq 1 100); do
    if dnsperf -s 127.0.0.1 -p "$PORT" -d <(echo "example.com SOA") -n 1 -t 1 2>/dev/null |
        grep -q "Queries completed: *1 "; then
        break
    fi
    sleep 0.1
done

# Names of the zone, with the answers the shared capture shows: addresses, CNAME chains, MX and
# NS with additional data, TXT, SRV, CAA, NXDOMAIN, NODATA, a wildcard, a referral.
cat >"$WORK/queries.txt" <<EOF
www.example.com A
example.com AAAA
example.com MX
example.com NS
example.com SOA
example.com TXT
nonexistent.example.com A
mail.example.com MX
foo.wild.example.com A
host.sub.example.com A
_sip._udp.example.com SRV
example.com CAA
alias.example.com AAAA
ext.example.com A
mail.example.com AAAA
ns1.example.com A
EOF
LINES=$(wc -l <"$WORK/queries.txt")
PASSES=$(((QUERIES + LINES - 1) / LINES))

PCAP="$WORK/dns.pcap"
tcpdump -i lo -U -B 65536 -w "$PCAP" "udp port $PORT" 2>"$WORK/tcpdump.log" &
TCPDUMP_PID=$!
for _ in $(seq 1 50); do
    grep -q "listening on" "$WORK/tcpdump.log" 2>/dev/null && break
    sleep 0.1
done
echo "bench: sending $((PASSES * LINES)) queries to Knot on 127.0.0.1:$PORT..." >&2
# A moderate rate so that tcpdump keeps every packet.
dnsperf -s 127.0.0.1 -p "$PORT" -d "$WORK/queries.txt" -n "$PASSES" -Q 20000 -c 4 \
    >"$WORK/dnsperf.log" 2>&1
sleep 0.5
kill -INT "$TCPDUMP_PID"
wait "$TCPDUMP_PID" 2>/dev/null || true
TCPDUMP_PID=""
grep -E "packets (captured|dropped by kernel)" "$WORK/tcpdump.log" | sed 's/^/bench: tcpdump: /' >&2

DNS_PACKETS=$(tshark -r "$PCAP" -Y dns 2>/dev/null | wc -l)
DNSLAB_MESSAGES=$("$DNSLAB_BIN" decode --json "$PCAP" 2>/dev/null | wc -l)
CAPTURE_BYTES=$(stat -c %s "$PCAP")
echo "capture: $PCAP: $CAPTURE_BYTES bytes, $DNS_PACKETS DNS packets (tshark), $DNSLAB_MESSAGES DNS messages (dnslab)"
if ((DNS_PACKETS < MINIMUM_DNS_PACKETS)); then
    echo "bench: only $DNS_PACKETS DNS packets captured, $MINIMUM_DNS_PACKETS needed (raise QUERIES)" >&2
    exit 1
fi
if ((DNSLAB_MESSAGES != DNS_PACKETS)); then
    echo "bench: WARNING: dnslab found $DNSLAB_MESSAGES messages, tshark $DNS_PACKETS" >&2
fi

DNSLAB_COMMAND="$DNSLAB_BIN decode --json $PCAP > /dev/null 2>&1"
TSHARK_COMMAND="tshark -r $PCAP -T json > /dev/null 2>&1"
if command -v hyperfine >/dev/null; then
    hyperfine --style basic --runs "$RUNS" --warmup 1 --export-csv "$WORK/times.csv" \
        --command-name "dnslab decode --json" "$DNSLAB_COMMAND" \
        --command-name "tshark -T json" "$TSHARK_COMMAND" >&2
    # times.csv columns: command, mean, stddev, median, user, system, min, max.
    DNSLAB_SECONDS=$(awk -F, 'NR == 2 { print $2 }' "$WORK/times.csv")
    TSHARK_SECONDS=$(awk -F, 'NR == 3 { print $2 }' "$WORK/times.csv")
    DNSLAB_CPU=$(awk -F, 'NR == 2 { print $5 + $6 }' "$WORK/times.csv")
    TSHARK_CPU=$(awk -F, 'NR == 3 { print $5 + $6 }' "$WORK/times.csv")
else
    seconds_of() {
        local best=""
        for _ in $(seq 1 "$RUNS"); do
            local elapsed
            elapsed=$({ /usr/bin/time -f %e bash -c "$1" ; } 2>&1 | tail -1)
            if [[ -z "$best" ]] || awk "BEGIN { exit !($elapsed < $best) }"; then best=$elapsed; fi
        done
        echo "$best"
    }
    DNSLAB_SECONDS=$(seconds_of "$DNSLAB_COMMAND")
    TSHARK_SECONDS=$(seconds_of "$TSHARK_COMMAND")
fi

awk -v dnslab="$DNSLAB_SECONDS" -v tshark="$TSHARK_SECONDS" -v packets="$DNS_PACKETS" 'BEGIN {
    printf "dnslab decode --json: %.3f s (%.0f packets/s)\n", dnslab, packets / dnslab
    printf "tshark -T json:       %.3f s (%.0f packets/s)\n", tshark, packets / tshark
    printf "ratio: dnslab is %.1fx faster than tshark (goal: 20x)\n", tshark / dnslab
}'
# On a busy machine wall time includes waiting for a core; CPU time (user + system) does not.
if [[ -n "${DNSLAB_CPU:-}" ]]; then
    awk -v dnslab="$DNSLAB_CPU" -v tshark="$TSHARK_CPU" 'BEGIN {
        printf "CPU time (user + system): dnslab %.3f s, tshark %.3f s, ratio %.1fx\n", dnslab, tshark, tshark / dnslab
    }'
fi
