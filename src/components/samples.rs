//! Sample packets to try, one click each: real frames of Knot DNS answering dig and kdig on
//! loopback (the captures in `crates/dnslab-core/tests/data/captures/`), as tcpdump prints them.

/// Path of the captured frames, relative to this file.
macro_rules! frame {
    ($file:literal) => {
        include_str!(concat!(
            "../../crates/dnslab-core/tests/data/captures/paste-example-com/",
            $file
        ))
    };
}

/// (button text, the paste).
pub const SAMPLES: [(&str, &str); 6] = [
    ("CNAME chain", frame!("f002.tcpdump-xx.txt")),
    ("Referral", frame!("f020.tcpdump-xx.txt")),
    ("NXDOMAIN with SOA", frame!("f014.tcpdump-xx.txt")),
    ("Truncated answer", frame!("f030.tcpdump-xx.txt")),
    ("EDNS with a cookie", frame!("f001.tcpdump-xx.txt")),
    // The CNAME response above, cut short in its second answer record.
    (
        "Malformed",
        "3a098500000100020000000103777777076578616d706c6503636f6d0000010001c00c0005000100000e100002c010c010",
    ),
];
