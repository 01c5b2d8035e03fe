#!/usr/bin/env python3
"""Records types-test.pcap and tshark's Info column for it (types-test.pcap.tshark-info.tsv).

The capture holds real loopback traffic of dig 9.18 asking, over UDP:
1. Knot DNS serving ../zones/types.test.zone, for every owner name and type of that zone;
2. a tiny UDP server replaying the oracle's valid hand-made messages of the types Knot cannot
   load from a zone file (../dissect/dig-oracle.json, labels "type case N TYPE"), two messages
   with TYPE 0, which tshark calls "Unused", and, for every type dnslab has a mnemonic for
   (src/dissect/mnemonic.rs) and a few it has none for, an empty response to a question of that
   type, so that the Info column shows the name Wireshark gives each type.

Then tshark 4.0 writes the Info column of every DNS frame: that file is the expectation of
`info_lines_are_tsharks_for_every_captured_message` (tests/it/input.rs). Needs knotd, dig,
tcpdump (run as root) and tshark. Only 127.0.0.1 is used.
"""

import json
import os
import re
import socket
import struct
import subprocess
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ZONE = os.path.join(HERE, "..", "zones", "types.test.zone")
ORACLE = os.path.join(HERE, "..", "dissect", "dig-oracle.json")
MNEMONICS = os.path.join(HERE, "..", "..", "..", "src", "dissect", "mnemonic.rs")
CAPTURE = os.path.join(HERE, "types-test.pcap")

ZONE_QUESTIONS = [
    ("minfo", "MINFO"), ("rp", "RP"), ("rp-none", "RP"), ("afsdb", "AFSDB"), ("rt", "RT"),
    ("kx", "KX"), ("loc", "LOC"), ("loc-short", "LOC"), ("loc-south", "LOC"), ("loc-deep", "LOC"),
    ("key", "KEY"), ("cert", "CERT"), ("cert-num", "CERT"), ("cert-url", "CERT"),
    ("openpgpkey", "OPENPGPKEY"), ("ipseckey", "IPSECKEY"), ("ipseckey6", "IPSECKEY"),
    ("ipseckey-n", "IPSECKEY"), ("dhcid", "DHCID"), ("apl", "APL"), ("apl-empty", "APL"),
    ("csync", "CSYNC"), ("csync-none", "CSYNC"), ("zonemd", "ZONEMD"), ("nid", "NID"),
    ("l32", "L32"), ("l64", "L64"), ("lp", "LP"), ("eui48", "EUI48"), ("eui64", "EUI64"),
    ("uri", "URI"), ("uri-esc", "URI"),
]

TYPE_NUMBERS = {"A": 1, "TYPE0": 0}


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def encode_name(text):
    labels = [label.encode() for label in text.rstrip(".").split(".") if label]
    return b"".join(bytes([len(label)]) + label for label in labels) + b"\x00"


def answers(name, qtype, records):
    header = struct.pack("!HHHHHH", 0, 0x8400, 1, len(records), 0, 0)
    message = header + encode_name(name) + struct.pack("!HH", qtype, 1)
    for rtype, rclass, ttl, rdata in records:
        message += b"\xc0\x0c" + struct.pack("!HHIH", rtype, rclass, ttl, len(rdata)) + rdata
    return message


def replayed_messages():
    """(question type text, message) of the oracle's valid hand-made records, and TYPE 0."""
    with open(ORACLE) as handle:
        oracle = json.load(handle)
    chosen = []
    for entry in oracle["messages"]:
        label = entry["label"]
        if not label.startswith("type case "):
            continue
        lines = entry["dig"]
        valid = any(line == ";; ANSWER SECTION:" for line in lines) and not any(
            "malformed" in line or "bad packet" in line for line in lines)
        if valid:
            chosen.append((label.split()[-1], bytes.fromhex(entry["hex"])))
    chosen.append(("A", answers("edge.oracle.test.", 1, [(0, 1, 60, b"\x01\x02")])))
    chosen.append(("TYPE0", answers("edge.oracle.test.", 0, [(0, 1, 60, b"")])))
    with open(MNEMONICS) as handle:
        source = handle.read()
    table = source[source.index("pub fn known_type_mnemonic"):source.index("pub fn class_mnemonic")]
    # And a few numbers dnslab has no mnemonic for, in case Wireshark has one.
    extra = [54, 66, 67, 68, 110, 128, 248, 263, 32770, 65280, 65281, 65282, 65422, 65535]
    for rtype in [int(number) for number in re.findall(r"(\d+) => \"", table)] + extra:
        # The type in the question only: a record with no data would be malformed for most types.
        chosen.append((f"TYPE{rtype}", answers("edge.oracle.test.", rtype, [])))
    return chosen


class Replayer:
    def __init__(self, port):
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", port))
        self.message = b""
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            query, peer = self.socket.recvfrom(65535)
            reply = bytearray(self.message)
            reply[0:2] = query[0:2]
            self.socket.sendto(bytes(reply), peer)


def dig(port, name, rtype):
    subprocess.run(["dig", "@127.0.0.1", "-p", str(port), "+norecurse", "+nocookie", "+notcp",
                    "+time=2", "+tries=1", name, rtype], capture_output=True, check=False)


def main():
    knot_port, replay_port = free_port(), free_port()
    with tempfile.TemporaryDirectory() as workdir:
        config = os.path.join(workdir, "knot.conf")
        with open(config, "w") as handle:
            handle.write(f"""server:
    listen: 127.0.0.1@{knot_port}
    rundir: {workdir}
database:
    storage: {workdir}
zone:
  - domain: types.test
    file: {ZONE}
    storage: {workdir}
    zonefile-sync: -1
    journal-content: none
""")
        knot = subprocess.Popen(["knotd", "-c", config], stderr=subprocess.DEVNULL)
        tcpdump = subprocess.Popen(
            ["tcpdump", "-i", "lo", "-U", "-w", CAPTURE,
             f"udp port {knot_port} or udp port {replay_port}"],
            stderr=subprocess.DEVNULL)
        try:
            time.sleep(2)
            for owner, rtype in ZONE_QUESTIONS:
                dig(knot_port, f"{owner}.types.test.", rtype)
            replayer = Replayer(replay_port)
            for rtype, message in replayed_messages():
                replayer.message = message
                dig(replay_port, "edge.oracle.test.", rtype)
            time.sleep(1)
        finally:
            tcpdump.terminate()
            tcpdump.wait()
            knot.terminate()
            knot.wait()
    command = ["tshark", "-r", os.path.basename(CAPTURE), "-d", f"udp.port=={knot_port},dns",
               "-d", f"udp.port=={replay_port},dns", "-Y", "dns", "-T", "fields",
               "-e", "frame.number", "-e", "_ws.col.Info"]
    info = subprocess.run(command, cwd=HERE, capture_output=True, text=True, check=True).stdout
    version = subprocess.run(["tshark", "--version"], capture_output=True,
                             text=True).stdout.splitlines()[0]
    with open(CAPTURE + ".tshark-info.tsv", "w") as handle:
        handle.write(f"# {' '.join(command)} ({version})\n")
        handle.write(info)


if __name__ == "__main__":
    main()
