#!/usr/bin/env python3
"""Builds dig-oracle.json: real DNS messages next to what dig 9.18 prints for them.

The dissector's presentation strings must equal dig's. This script gets that expectation from
the real tools, never from our own code:

1. Knot DNS serves oracle.test.zone and ../zones/types.test.zone (one owner per record type
   Knot and dig both know in text form) on 127.0.0.1; the script queries it over TCP and keeps
   the exact response bytes (so record data is encoded by Knot, not by us).
2. A few messages are built by hand below (EDNS options, extended RCODEs, odd names, damaged or
   unusual record data, types Knot cannot load from a zone file), because no server sends them
   on request. Only their bytes are ours: what dig prints for them is the expectation.
3. Each message is replayed to `dig` by a tiny UDP server on 127.0.0.1 (its ID rewritten to the
   query's), and dig's output is stored next to the message's hex.

Run it from anywhere: `python3 make-dig-oracle.py` (needs knotd and dig on PATH). Only loopback
is used.
"""

import base64
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    """A port nobody on this machine listens on right now (other engineers share it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


KNOT_PORT = free_port()

TYPES = {
    "A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "HINFO": 13, "MX": 15, "TXT": 16,
    "AAAA": 28, "SRV": 33, "NAPTR": 35, "DNAME": 39, "DS": 43, "SSHFP": 44, "RRSIG": 46,
    "NSEC": 47, "DNSKEY": 48, "NSEC3": 50, "NSEC3PARAM": 51, "TLSA": 52, "SVCB": 64,
    "HTTPS": 65, "CAA": 257, "TYPE65280": 65280, "TYPE65281": 65281, "TYPE65282": 65282,
    "MB": 7, "MG": 8, "MR": 9, "WKS": 11, "MINFO": 14, "RP": 17, "AFSDB": 18, "X25": 19,
    "ISDN": 20, "RT": 21, "NSAP-PTR": 23, "SIG": 24, "KEY": 25, "PX": 26, "GPOS": 27, "LOC": 29,
    "KX": 36, "CERT": 37, "APL": 42, "IPSECKEY": 45, "DHCID": 49, "SMIMEA": 53, "HIP": 55,
    "NINFO": 56, "TALINK": 58, "OPENPGPKEY": 61, "CSYNC": 62, "ZONEMD": 63, "SPF": 99,
    "NID": 104, "L32": 105, "L64": 106, "LP": 107, "EUI48": 108, "EUI64": 109, "URI": 256,
    "AVC": 258, "AMTRELAY": 260, "RESINFO": 261, "TA": 32768, "CDS": 59, "CDNSKEY": 60,
}

ZONE_QUERIES = [
    ("oracle.test.", "SOA"), ("oracle.test.", "NS"), ("a.oracle.test.", "A"),
    ("aaaa.oracle.test.", "AAAA"), ("cname.oracle.test.", "CNAME"), ("ptr.oracle.test.", "PTR"),
    ("mx.oracle.test.", "MX"), ("txt.oracle.test.", "TXT"), ("a\\.dot.oracle.test.", "A"),
    ("\\@at.oracle.test.", "A"), ("\\$dollar.oracle.test.", "A"), ("sp\\032ace.oracle.test.", "A"),
    ("q\\\"uote.oracle.test.", "A"), ("semi\\;.oracle.test.", "A"), ("paren\\(\\).oracle.test.", "A"),
    ("back\\\\sl.oracle.test.", "A"), ("bin\\000\\255\\127.oracle.test.", "A"),
    ("anything.oracle.test.", "TXT"), ("_sip._tcp.oracle.test.", "SRV"), ("caa.oracle.test.", "CAA"),
    ("naptr.oracle.test.", "NAPTR"), ("hinfo.oracle.test.", "HINFO"), ("sshfp.oracle.test.", "SSHFP"),
    ("tlsa.oracle.test.", "TLSA"), ("svcb.oracle.test.", "SVCB"), ("https.oracle.test.", "HTTPS"),
    ("ds.oracle.test.", "DS"), ("dnskey.oracle.test.", "DNSKEY"), ("rrsig.oracle.test.", "RRSIG"),
    ("nsec.oracle.test.", "NSEC"), ("nsec3.oracle.test.", "NSEC3"),
    ("nsec3param.oracle.test.", "NSEC3PARAM"), ("dname.oracle.test.", "DNAME"),
    ("unknown.oracle.test.", "TYPE65280"), ("unknown.oracle.test.", "TYPE65281"),
    ("unknown.oracle.test.", "TYPE65282"), ("cds.oracle.test.", "CDS"),
    ("cdnskey.oracle.test.", "CDNSKEY"),
] + [(f"{owner}.types.test.", rtype) for owner, rtype in [
    ("minfo", "MINFO"), ("rp", "RP"), ("rp-none", "RP"), ("afsdb", "AFSDB"), ("rt", "RT"),
    ("kx", "KX"), ("spf", "SPF"), ("loc", "LOC"), ("loc-short", "LOC"), ("loc-south", "LOC"),
    ("loc-deep", "LOC"), ("key", "KEY"), ("cert", "CERT"), ("cert-num", "CERT"),
    ("cert-url", "CERT"), ("openpgpkey", "OPENPGPKEY"), ("smimea", "SMIMEA"),
    ("ipseckey", "IPSECKEY"), ("ipseckey6", "IPSECKEY"), ("ipseckey-n", "IPSECKEY"),
    ("dhcid", "DHCID"), ("apl", "APL"), ("apl-empty", "APL"), ("csync", "CSYNC"),
    ("csync-none", "CSYNC"), ("zonemd", "ZONEMD"), ("nid", "NID"), ("l32", "L32"),
    ("l64", "L64"), ("lp", "LP"), ("eui48", "EUI48"), ("eui64", "EUI64"), ("uri", "URI"),
    ("uri-esc", "URI"),
]]

TYPES_ZONE = os.path.join(HERE, "..", "zones", "types.test.zone")


def encode_name(text):
    """Presentation name (with \\DDD and \\X escapes) to wire format, uncompressed."""
    if text == ".":
        return b"\x00"
    labels, current, index = [], bytearray(), 0
    while index < len(text):
        character = text[index]
        if character == "\\":
            if text[index + 1 : index + 4].isdigit():
                current.append(int(text[index + 1 : index + 4]))
                index += 4
            else:
                current += text[index + 1].encode()
                index += 2
        elif character == ".":
            labels.append(bytes(current))
            current = bytearray()
            index += 1
        else:
            current += character.encode()
            index += 1
    if current:
        labels.append(bytes(current))
    return b"".join(bytes([len(label)]) + label for label in labels) + b"\x00"


def query_bytes(name, rtype, message_id=0x4242):
    header = struct.pack("!HHHHHH", message_id, 0, 1, 0, 0, 1)
    opt = b"\x00" + struct.pack("!HHIH", 41, 4096, 0x8000, 0)
    return header + encode_name(name) + struct.pack("!HH", TYPES[rtype], 1) + opt


def ask_knot_over_tcp(name, rtype):
    query = query_bytes(name, rtype)
    with socket.create_connection(("127.0.0.1", KNOT_PORT), timeout=5) as connection:
        connection.sendall(struct.pack("!H", len(query)) + query)
        length = struct.unpack("!H", receive_exactly(connection, 2))[0]
        return receive_exactly(connection, length)


def receive_exactly(connection, count):
    data = b""
    while len(data) < count:
        chunk = connection.recv(count - len(data))
        if not chunk:
            raise RuntimeError("connection closed")
        data += chunk
    return data


def start_knot(workdir):
    config = os.path.join(workdir, "knot.conf")
    with open(config, "w") as handle:
        handle.write(
            f"""server:
    listen: 127.0.0.1@{KNOT_PORT}
    rundir: {workdir}
database:
    storage: {workdir}
log:
  - target: stderr
    any: warning
zone:
  - domain: oracle.test
    file: {os.path.join(HERE, "oracle.test.zone")}
    storage: {workdir}
    semantic-checks: off
    zonefile-sync: -1
    journal-content: none
  - domain: types.test
    file: {TYPES_ZONE}
    storage: {workdir}
    zonefile-sync: -1
    journal-content: none
"""
        )
    process = subprocess.Popen(["knotd", "-c", config], stderr=subprocess.PIPE)
    for _ in range(50):
        try:
            ask_knot_over_tcp("oracle.test.", "SOA")
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("knotd did not start: " + process.stderr.read().decode())


class Replayer:
    """Answers every UDP query on 127.0.0.1 with the current message, ID rewritten."""

    def __init__(self):
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.message = b""
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            query, peer = self.socket.recvfrom(65535)
            reply = bytearray(self.message)
            if len(reply) >= 2:
                reply[0:2] = query[0:2]
            self.socket.sendto(bytes(reply), peer)


def first_question(message):
    """(name text, type text) of the message's first question, for dig's command line."""
    position, labels = 12, []
    while message[position] != 0:
        length = message[position]
        label = message[position + 1 : position + 1 + length]
        text = ""
        for byte in label:
            character = chr(byte)
            if character in '".;\\()@$':
                text += "\\" + character
            elif 0x21 <= byte <= 0x7E:
                text += character
            else:
                text += "\\%03d" % byte
        labels.append(text)
        position += 1 + length
    rtype, = struct.unpack("!H", message[position + 1 : position + 3])
    name = ".".join(labels) + "." if labels else "."
    names = {value: key for key, value in TYPES.items()}
    return name, names.get(rtype, "TYPE%d" % rtype)


def dig_output(replayer, message, question=None):
    replayer.message = message
    name, rtype = question or first_question(message)
    output = subprocess.run(
        ["dig", "@127.0.0.1", "-p", str(replayer.port), "+norecurse", "+nocookie", "+time=2",
         "+tries=1", "+bufsize=4096", name, rtype],
        capture_output=True, text=True, check=False,
    ).stdout
    kept = []
    for line in output.splitlines():
        if line.startswith(("; <<>> DiG", ";; global options", ";; Query time", ";; SERVER",
                            ";; WHEN", ";; MSG SIZE", ";; Got answer")):
            continue
        kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    while kept and not kept[0]:
        kept.pop(0)
    return kept


def option(code, data):
    return struct.pack("!HH", code, len(data)) + data


def response_with_opt(options, rcode=0, extended_rcode=0, flags_do=True, version=0, z=0,
                      payload=1232, name="opt.oracle.test."):
    header = struct.pack("!HHHHHH", 0, 0x8400 | rcode, 1, 0, 0, 1)
    question = encode_name(name) + struct.pack("!HH", 1, 1)
    rdata = b"".join(options)
    ttl = extended_rcode << 24 | version << 16 | (0x8000 if flags_do else 0) | z
    opt = b"\x00" + struct.pack("!HHIH", 41, payload, ttl, len(rdata)) + rdata
    return header + question + opt


def hand_made_messages():
    messages = []
    messages.append(("edns nsid", response_with_opt([option(3, b"knot-1")])))
    messages.append(("edns nsid empty", response_with_opt([option(3, b"")])))
    messages.append(("edns nsid binary", response_with_opt([option(3, b"\x00\x01ab\xff")])))
    messages.append(("edns cookie client only", response_with_opt(
        [option(10, bytes.fromhex("0102030405060708"))])))
    messages.append(("edns cookie client and server", response_with_opt(
        [option(10, bytes.fromhex("01020304050607081112131415161718191a1b1c1d1e1f20"))])))
    messages.append(("edns client subnet v4", response_with_opt(
        [option(8, struct.pack("!HBB", 1, 24, 0) + bytes([192, 0, 2]))])))
    messages.append(("edns client subnet v4 scope", response_with_opt(
        [option(8, struct.pack("!HBB", 1, 20, 16) + bytes([198, 51, 96]))])))
    messages.append(("edns client subnet v6", response_with_opt(
        [option(8, struct.pack("!HBB", 2, 56, 0) + bytes.fromhex("20010db8000001"))])))
    messages.append(("edns client subnet zero", response_with_opt(
        [option(8, struct.pack("!HBB", 1, 0, 0))])))
    messages.append(("edns expire", response_with_opt([option(9, struct.pack("!I", 1209600))])))
    messages.append(("edns expire 3661", response_with_opt([option(9, struct.pack("!I", 3661))])))
    messages.append(("edns expire empty", response_with_opt([option(9, b"")])))
    messages.append(("edns tcp keepalive", response_with_opt([option(11, struct.pack("!H", 305))])))
    messages.append(("edns tcp keepalive empty", response_with_opt([option(11, b"")])))
    messages.append(("edns padding", response_with_opt([option(12, bytes(37))])))
    messages.append(("edns padding empty", response_with_opt([option(12, b"")])))
    messages.append(("edns chain", response_with_opt([option(13, encode_name("example.com."))])))
    messages.append(("edns key tag", response_with_opt(
        [option(14, struct.pack("!HH", 20326, 38696))])))
    messages.append(("edns ede prohibited with text", response_with_opt(
        [option(15, struct.pack("!H", 18) + b"blocked by policy")], rcode=5)))
    messages.append(("edns ede stale", response_with_opt([option(15, struct.pack("!H", 3))])))
    messages.append(("edns ede unassigned", response_with_opt([option(15, struct.pack("!H", 999))])))
    messages.append(("edns ede 29", response_with_opt([option(15, struct.pack("!H", 29))])))
    messages.append(("edns unknown option", response_with_opt([option(65001, b"hi\x00\x7f")])))
    messages.append(("edns unknown option empty", response_with_opt([option(65002, b"")])))
    messages.append(("edns several options", response_with_opt(
        [option(3, b"ns"), option(15, struct.pack("!H", 0) + b"x"), option(12, bytes(3))])))
    for code, data in [(1, bytes.fromhex("000100010000") + bytes(range(1, 9)) + struct.pack("!I", 3600)),
                       (2, struct.pack("!I", 3600)), (5, bytes([8, 13])), (6, bytes([1, 2])),
                       (7, bytes([1])), (16, b"\x01\x02"), (17, b"\x01\x02"), (18, encode_name("agent.example.")),
                       (19, bytes([0, 0]) + struct.pack("!I", 2026)), (20, b"\x01"), (26946, b"abc")]:
        messages.append((f"edns option {code}", response_with_opt([option(code, data)])))
    messages.append(("edns ede every code", response_with_opt(
        [option(15, struct.pack("!H", code)) for code in range(0, 33)])))
    messages.append(("edns ede text with quote and newline", response_with_opt(
        [option(15, struct.pack("!H", 6) + b"bad \"sig\"\n\x01\xc3\xa9")])))
    messages.append(("edns badvers", response_with_opt([], extended_rcode=1, version=0)))
    messages.append(("edns badcookie", response_with_opt([], rcode=7, extended_rcode=1)))
    messages.append(("edns version 1 no do", response_with_opt([], flags_do=False, version=1)))
    messages.append(("edns z bits", response_with_opt([], z=0x0101)))
    messages.append(("edns udp 512", response_with_opt([], payload=512)))
    # An OPT record outside the additional section is printed by dig as a record.
    for label, rdata in [("opt in answer", option(3, b"knot") + option(12, b"")),
                         ("opt in answer long", option(65001, bytes(range(1, 61)))),
                         ("opt in answer empty", b"")]:
        header = struct.pack("!HHHHHH", 0, 0x8400, 1, 1, 0, 0)
        question = encode_name("opt.oracle.test.") + struct.pack("!HH", 1, 1)
        record = b"\x00" + struct.pack("!HHIH", 41, 1232, 0, len(rdata)) + rdata
        messages.append((label, header + question + record))
    # Knot keeps NSEC3 records out of normal answers, so these are built here.
    next_hash = base64.b32hexdecode("2T7B4G4VSA5SMI47K61MV5BV1A22BOJR")
    messages.append(("nsec3 with salt", answers("2t7b4g4vsa5smi47k61mv5bv1a22bojr.oracle.test.", 50, [
        (50, 1, 3600, bytes([1, 1, 0, 12, 4]) + bytes.fromhex("AABBCCDD") + bytes([20])
         + next_hash + type_bitmap([2, 6, 46, 48, 51]))])))
    messages.append(("nsec3 without salt or types", answers("2t7b4g4vsa5smi47k61mv5bv1a22bojr.oracle.test.", 50, [
        (50, 1, 3600, bytes([1, 0, 0, 0, 0]) + bytes([20]) + next_hash),
        (50, 1, 3600, bytes([1, 0, 0, 0, 0]) + bytes([20]) + next_hash
         + type_bitmap([1, 46, 65534, 65535]))])))
    messages.append(("unknown class", answers("class.oracle.test.", 1, [
        (1, 4096, 60, bytes([192, 0, 2, 1])), (16, 3, 0, b"\x05hello"),
        (16, 255, 4294967295, b"\x01x"), (65280, 65280, 1, b"")])))
    messages.append(("class specific types outside IN", answers("class.oracle.test.", 1, [
        (1, 4, 60, bytes([192, 0, 2, 1])), (28, 3, 60, bytes(16)),
        (33, 3, 60, bytes([0, 1, 0, 2, 0, 3, 0])), (1, 3, 60, b"\x02ch\x00\x01\x41"),
        (64, 3, 60, bytes([0, 1, 0])), (65, 3, 60, bytes([0, 1, 0]))])))
    # One message per record: dig stops printing a section at the first record it rejects.
    for index, record in enumerate([
        (16, 1, 60, b""),
        (16, 1, 60, b"\x00\x00"),
        (13, 1, 60, b"\x03a b\x04\"q\\\x01"),
        (64, 1, 60, b"\x00\x01\x00" + struct.pack("!HH", 1, 16) + b"\x03a b\x04c\\d\"\x06e,f\x01\x7f"),
        (64, 1, 60, b"\x00\x01\x00" + struct.pack("!HH", 9, 5) + b"a\"\\\x00 "),
        (64, 1, 60, b"\x00\x01\x00" + struct.pack("!HH", 65535, 1) + b"x"),
        (65, 1, 60, b"\x00\x00\x00"),
        (257, 1, 60, b"\x00\x05issue"),
        (257, 1, 60, b"\x00\x03tag" + b"a\"b\\c d\x00\xff"),
        (47, 1, 60, b"\x00"),
        (46, 1, 60, struct.pack("!HBBIIIH", 65000, 253, 0, 0, 4294967295, 1, 0) + b"\x00" + b"\xff\xfe"),
        (48, 1, 60, struct.pack("!HBB", 0, 3, 16) + b"k"),
        (43, 1, 60, struct.pack("!HBB", 1, 1, 200) + b"\xab\xcd"),
        (52, 1, 60, bytes([255, 255, 255]) + b"\x01"),
        (44, 1, 60, bytes([9, 9]) + b"\x01\x02"),
        (51, 1, 60, bytes([2, 255, 255, 255, 2, 0xab, 0xcd])),
        (6, 1, 4294967295, b"\x00\x00" + struct.pack("!IIIII", 0, 4294967295, 1, 2, 3)),
        (99, 1, 60, b"\x05spf=1"),
        (1, 1, 60, bytes([10, 0, 0, 1])),
        (10, 1, 60, b"\x01\x02"),
        (29, 1, 60, bytes(16)),
        (256, 1, 60, b"\x00\x01\x00\x02http://x"),
        (65534, 1, 60, bytes(range(40))),
    ]):
        messages.append((f"edge case {index}", answers("edge.oracle.test.", record[0], [record])))
    messages += type_edge_cases()
    return messages


def type_edge_cases():
    """Records of the types decoded since the first oracle: unusual but valid data, damaged
    data, compression pointers where servers must not write them, and types Knot cannot load
    from a zone file. One record per message, since dig stops at the first one it rejects."""
    name = lambda text: encode_name(text)
    pointer = b"\xc0\x0c"  # to the question name, edge.oracle.test.
    key = base64.b64decode("AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQ==")
    loc = lambda version, size, horizontal, vertical, latitude, longitude, altitude: struct.pack(
        "!BBBBIII", version, size, horizontal, vertical, latitude, longitude, altitude)
    equator = 1 << 31
    apl = lambda family, prefix, negated, part: struct.pack("!HBB", family, prefix,
                                                            (0x80 if negated else 0) | len(part)) + part
    cases = [
        # LOC: another version, precisions 0 cm to 90 cm, the poles and date line, the extreme
        # altitudes, a digit above 9, a zero mantissa, out-of-range angles, wrong lengths.
        ("LOC", loc(1, 0x12, 0x16, 0x13, equator, equator, 10000000)),
        ("LOC", b"\x01\x02\x03"),
        ("LOC", loc(0, 0x00, 0x50, 0x91, equator, equator, 10000000)),
        ("LOC", loc(0, 0x19, 0x29, 0x99, equator + 90 * 3600000, equator - 180 * 3600000, 0xFFFFFFFF)),
        ("LOC", loc(0, 0x12, 0x16, 0x13, equator - 90 * 3600000, equator + 180 * 3600000, 0)),
        ("LOC", loc(0, 0x12, 0x16, 0x13, equator + 1, equator - 1, 10000001)),
        ("LOC", loc(0, 0x1A, 0x16, 0x13, equator, equator, 10000000)),
        ("LOC", loc(0, 0x12, 0x02, 0x13, equator, equator, 10000000)),
        ("LOC", loc(0, 0x12, 0x16, 0x13, equator + 90 * 3600000 + 1, equator, 10000000)),
        ("LOC", loc(0, 0x12, 0x16, 0x13, equator, equator - 180 * 3600000 - 1, 10000000)),
        ("LOC", loc(0, 0x12, 0x16, 0x13, equator, equator, 10000000)[:15]),
        ("LOC", loc(0, 0x12, 0x16, 0x13, equator, equator, 10000000) + b"\x00"),
        # APL: more address bytes than the prefix needs, a trailing zero byte, an unknown family,
        # a prefix too long, excluded IPv6 default route, a cut item.
        ("APL", apl(1, 8, False, bytes([192, 0, 2, 1]))),
        ("APL", apl(1, 24, False, bytes([192, 0, 2, 0]))),
        ("APL", apl(3, 8, False, b"\xaa")),
        ("APL", apl(1, 8, False, b"\x0a") + apl(3, 8, True, b"\xaa")),
        ("APL", apl(1, 33, False, bytes([192, 0, 2, 1]))),
        ("APL", apl(1, 8, False, bytes([192, 0, 2, 1, 5]))),
        ("APL", apl(2, 0, True, b"") + apl(2, 64, False, bytes.fromhex("20010db8"))),
        ("APL", apl(1, 8, False, b"\x0a")[:3]),
        ("APL", apl(1, 8, False, b"\x0a\x01")[:5]),
        # IPSECKEY: an unknown gateway type, no gateway and no key, a compressed gateway name, a
        # key long enough to be split, an address cut short.
        ("IPSECKEY", bytes([10, 4, 2]) + b"\x01\x02\x03\x04" + key),
        ("IPSECKEY", bytes([10, 0, 0])),
        ("IPSECKEY", bytes([10, 3, 2]) + pointer + key),
        ("IPSECKEY", bytes([0, 1, 2, 192, 0, 2, 1]) + key),
        ("IPSECKEY", bytes([10, 1, 2, 192, 0])),
        ("IPSECKEY", bytes([10, 2, 0]) + bytes(16)),
        # AMTRELAY: each relay type, the D bit, an unknown type, a wrong length.
        ("AMTRELAY", bytes([0, 0])),
        ("AMTRELAY", bytes([10, 0x81, 192, 0, 2, 1])),
        ("AMTRELAY", bytes([10, 2]) + bytes.fromhex("20010db8000000000000000000000001")),
        ("AMTRELAY", bytes([128, 0x83]) + name("amt.example.net.")),
        ("AMTRELAY", bytes([1, 5, 1, 2, 3])),
        ("AMTRELAY", bytes([1, 1, 192, 0, 2])),
        ("AMTRELAY", bytes([1, 0, 7])),
        # CERT: every type mnemonic, unassigned types, the algorithm mnemonics, a certificate long
        # enough to be split, no certificate.
        ("CERT", [struct.pack("!HHB", cert_type, 0, 0) + b"\x01" for cert_type in [0, 9, 252, 255, 65535]]),
        ("CERT", struct.pack("!HHB", 2, 1, 1) + b"\x01"),
        ("CERT", struct.pack("!HHB", 3, 2, 2) + b"\x01"),
        ("CERT", struct.pack("!HHB", 5, 3, 3) + b"\x01"),
        ("CERT", struct.pack("!HHB", 6, 4, 4) + b"\x01"),
        ("CERT", struct.pack("!HHB", 7, 5, 5) + b"\x01"),
        ("CERT", struct.pack("!HHB", 8, 6, 6) + b"\x01"),
        ("CERT", struct.pack("!HHB", 253, 7, 7) + b"\x01"),
        ("CERT", struct.pack("!HHB", 254, 8, 8) + b"\x01"),
        ("CERT", [struct.pack("!HHB", 1, 65535, algorithm) + b"\x01" for algorithm in [0, 9, 10, 11, 12, 13, 14, 15, 16, 17, 200, 252, 253, 254, 255]]),
        ("CERT", struct.pack("!HHB", 1, 1, 8) + key),
        ("CERT", struct.pack("!HHB", 1, 1, 8)),
        # OPENPGPKEY, DHCID: long enough to be split; very short; empty.
        ("OPENPGPKEY", key),
        ("OPENPGPKEY", b""),
        ("DHCID", b"\x00\x02\x01" + key),
        ("DHCID", b"\x00"),
        ("DHCID", b"\x00\x02\x01"),
        ("DHCID", b""),
        # KEY: "no key" flags and no key, other flags and protocols, no key though one is due.
        ("KEY", struct.pack("!HBB", 0xC000, 3, 0)),
        ("KEY", struct.pack("!HBB", 0xC100, 2, 1) + b"\x01"),
        ("KEY", struct.pack("!HBB", 0x0201, 255, 200) + key),
        ("KEY", struct.pack("!HBB", 0x0100, 3, 13)),
        ("KEY", struct.pack("!HB", 0x0100, 3)),
        # ZONEMD: the shortest digest allowed, a shorter one, SHA-384 of the right length, and of
        # a wrong one.
        ("ZONEMD", struct.pack("!IBB", 1, 1, 200) + bytes(range(12))),
        ("ZONEMD", struct.pack("!IBB", 1, 1, 1) + bytes(range(4))),
        ("ZONEMD", struct.pack("!IBB", 4294967295, 240, 1) + bytes(range(48))),
        ("ZONEMD", struct.pack("!IBB", 1, 1, 1) + bytes(range(20))),
        ("ZONEMD", struct.pack("!IBB", 1, 0, 2) + bytes(range(64))),
        # CSYNC: types in several windows, unknown flags.
        ("CSYNC", struct.pack("!IH", 66, 0xFFFF) + type_bitmap([1, 2, 28, 257, 65534])),
        ("CSYNC", struct.pack("!IH", 66, 1)[:5]),
        # URI: no target, quotes, backslashes, spaces and bytes outside ASCII.
        ("URI", struct.pack("!HH", 1, 1)),
        ("URI", struct.pack("!HH", 65535, 0) + b"a\"b\\c d;e\x00\x7f\xc3\xa9"),
        ("URI", struct.pack("!H", 1) + b"\x00"),
        # NID, L32, L64, EUI48, EUI64: zero groups, wrong lengths.
        ("NID", struct.pack("!H", 0) + bytes(8)),
        ("NID", struct.pack("!H", 1) + bytes.fromhex("000100020003000a")),
        ("L64", struct.pack("!H", 65535) + bytes.fromhex("ffff0000000000ff")),
        ("L64", struct.pack("!H", 1) + bytes(7)),
        ("L32", struct.pack("!H", 1) + bytes([10, 0, 0, 1, 2])),
        ("EUI48", bytes(5)),
        ("EUI64", bytes(9)),
        ("EUI48", bytes.fromhex("ffffffffffff")),
        # Names where RFC 3597 §4 lets servers compress (MINFO, MB, MG, MR) and where it does not
        # (RP, AFSDB, RT, PX, KX, LP, TALINK, NSAP-PTR): decoders must follow the pointers.
        ("MINFO", pointer + name("errors.example.")),
        ("RP", pointer + pointer),
        ("AFSDB", struct.pack("!H", 3) + pointer),
        ("RT", struct.pack("!H", 0) + pointer),
        ("KX", struct.pack("!H", 1) + pointer),
        ("LP", struct.pack("!H", 1) + pointer),
        ("MB", pointer),
        ("MG", name("member.example.")),
        ("MR", name("new.example.")),
        ("NSAP-PTR", pointer),
        ("PX", struct.pack("!H", 10) + name("net2.it.") + pointer),
        ("TALINK", name("prev.example.") + pointer),
        ("TALINK", b"\x00\x00"),
        ("RP", name("a.example.")),
        # Types Knot cannot load from a zone: text-like, numbers, keys, signatures.
        ("X25", b"\x0c311061700956"),
        ("X25", b"\x00"),
        ("ISDN", b"\x0f150862028003217\x03004"),
        ("ISDN", b"\x0f150862028003217"),
        ("GPOS", b"\x08-32.6882\x08116.8652\x0410.0"),
        ("GPOS", b"\x08-32.6882\x08116.8652"),
        ("NINFO", b"\x05hello\x05world"),
        ("AVC", b"\x1fapp-name:WOLFGANG|app-class:OAM"),
        ("RESINFO", b"\x08qnamemin\x0fexterr=15,16,17"),
        ("NINFO", b""),
        ("HIP", bytes([16, 2]) + struct.pack("!H", len(key)) + bytes(range(16)) + key
         + name("rvs1.example.com.") + name("rvs2.example.com.")),
        ("HIP", bytes([4, 2]) + struct.pack("!H", 3) + b"\x01\x02\x03\x04" + b"abc"),
        ("HIP", bytes([4, 2]) + struct.pack("!H", 3) + b"\x01\x02\x03\x04" + b"abc" + pointer),
        ("HIP", bytes([0, 2]) + struct.pack("!H", 3) + b"abc"),
        ("HIP", bytes([4, 2]) + struct.pack("!H", 30) + b"\x01\x02\x03\x04" + b"abc"),
        ("TA", struct.pack("!HBB", 20326, 8, 2) + bytes(range(32))),
        ("WKS", bytes([192, 0, 2, 1, 6]) + bytes([0, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0x80])),
        ("WKS", bytes([192, 0, 2, 1, 17])),
        ("WKS", bytes([192, 0, 2, 1])),
        ("SIG", struct.pack("!HBBIIIH", 1, 13, 3, 3600, 1767225600, 1764547200, 12345) + name("example.com.") + key),
        ("SIG", struct.pack("!HBBIIIH", 0, 8, 0, 0, 1767225600, 1764547200, 1) + name("example.com.") + b"\x01"),
        ("SIG", struct.pack("!HBBIIIH", 1234, 8, 0, 0, 1767225600, 1764547200, 1) + name("example.com.") + b"\x01"),
        ("RRSIG", struct.pack("!HBBIIIH", 0, 8, 0, 0, 1767225600, 1764547200, 1) + name("example.com.") + b"\x01"),
        ("X25", b"\x041234"),
        ("X25", b"\x03123"),
    ]
    messages = []
    for index, (type_name, rdatas) in enumerate(cases):
        rtype = TYPES[type_name]
        rdatas = rdatas if isinstance(rdatas, list) else [rdatas]
        messages.append((f"type case {index} {type_name}", answers(
            "edge.oracle.test.", rtype, [(rtype, 1, 60, rdata) for rdata in rdatas])))
    # The class-IN-only types in another class: dig prints them the RFC 3597 way.
    messages.append(("class specific new types outside IN", answers("class.oracle.test.", 1, [
        (42, 3, 60, apl(1, 8, False, b"\x0a")), (49, 3, 60, b"\x00\x02\x01\x02"),
        (36, 3, 60, struct.pack("!H", 1) + b"\x00"), (26, 3, 60, struct.pack("!H", 1) + b"\x00\x00"),
        (23, 3, 60, b"\x00"), (11, 3, 60, bytes([192, 0, 2, 1, 6]))])))
    return messages


def answers(name, qtype, records):
    """A response to (name, qtype) with the given (type, class, ttl, rdata) answers."""
    header = struct.pack("!HHHHHH", 0, 0x8400, 1, len(records), 0, 0)
    message = header + encode_name(name) + struct.pack("!HH", qtype, 1)
    for rtype, rclass, ttl, rdata in records:
        message += b"\xc0\x0c" + struct.pack("!HHIH", rtype, rclass, ttl, len(rdata)) + rdata
    return message


def type_bitmap(types):
    """RFC 4034 §4.1.2 type bit maps for a sorted list of type numbers."""
    windows = {}
    for rtype in types:
        window = windows.setdefault(rtype >> 8, bytearray(32))
        window[(rtype & 0xFF) >> 3] |= 0x80 >> (rtype & 7)
    output = b""
    for number in sorted(windows):
        bitmap = bytes(windows[number]).rstrip(b"\x00")
        output += bytes([number, len(bitmap)]) + bitmap
    return output


def main():
    results = []
    with tempfile.TemporaryDirectory() as workdir:
        knot = start_knot(workdir)
        try:
            responses = [(f"zone {name} {rtype}", ask_knot_over_tcp(name, rtype))
                         for name, rtype in ZONE_QUERIES]
        finally:
            knot.terminate()
            knot.wait()
    replayer = Replayer()
    for label, message in responses + hand_made_messages():
        results.append({"label": label, "hex": message.hex(), "dig": dig_output(replayer, message)})
    version = subprocess.run(["dig", "-v"], capture_output=True, text=True).stderr.strip()
    document = {"generator": "make-dig-oracle.py", "dig": version, "messages": results}
    with open(os.path.join(HERE, "dig-oracle.json"), "w") as handle:
        json.dump(document, handle, indent=1, ensure_ascii=False)
        handle.write("\n")
    print(f"{len(results)} messages written", file=sys.stderr)


if __name__ == "__main__":
    main()
