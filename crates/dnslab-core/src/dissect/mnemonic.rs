//! Record type, class and EDNS option mnemonics exactly as dig 9.18 spells them.
//!
//! Lookups are open: a number BIND has no name for prints the RFC 3597 way (`TYPE65280`,
//! `CLASS4096`), so every value a message carries survives display.

use std::borrow::Cow;

/// dig's mnemonic for a record TYPE, e.g. `MX`, or `TYPE65280` for one it does not know.
pub fn type_mnemonic(rtype: u16) -> Cow<'static, str> {
    match known_type_mnemonic(rtype) {
        Some(name) => Cow::Borrowed(name),
        None => Cow::Owned(format!("TYPE{rtype}")),
    }
}

/// The name BIND 9.18 knows for a record TYPE, if any.
pub fn known_type_mnemonic(rtype: u16) -> Option<&'static str> {
    let name = match rtype {
        1 => "A",
        2 => "NS",
        3 => "MD",
        4 => "MF",
        5 => "CNAME",
        6 => "SOA",
        7 => "MB",
        8 => "MG",
        9 => "MR",
        10 => "NULL",
        11 => "WKS",
        12 => "PTR",
        13 => "HINFO",
        14 => "MINFO",
        15 => "MX",
        16 => "TXT",
        17 => "RP",
        18 => "AFSDB",
        19 => "X25",
        20 => "ISDN",
        21 => "RT",
        22 => "NSAP",
        23 => "NSAP-PTR",
        24 => "SIG",
        25 => "KEY",
        26 => "PX",
        27 => "GPOS",
        28 => "AAAA",
        29 => "LOC",
        30 => "NXT",
        31 => "EID",
        32 => "NIMLOC",
        33 => "SRV",
        34 => "ATMA",
        35 => "NAPTR",
        36 => "KX",
        37 => "CERT",
        38 => "A6",
        39 => "DNAME",
        40 => "SINK",
        41 => "OPT",
        42 => "APL",
        43 => "DS",
        44 => "SSHFP",
        45 => "IPSECKEY",
        46 => "RRSIG",
        47 => "NSEC",
        48 => "DNSKEY",
        49 => "DHCID",
        50 => "NSEC3",
        51 => "NSEC3PARAM",
        52 => "TLSA",
        53 => "SMIMEA",
        55 => "HIP",
        56 => "NINFO",
        57 => "RKEY",
        58 => "TALINK",
        59 => "CDS",
        60 => "CDNSKEY",
        61 => "OPENPGPKEY",
        62 => "CSYNC",
        63 => "ZONEMD",
        64 => "SVCB",
        65 => "HTTPS",
        99 => "SPF",
        100 => "UINFO",
        101 => "UID",
        102 => "GID",
        103 => "UNSPEC",
        104 => "NID",
        105 => "L32",
        106 => "L64",
        107 => "LP",
        108 => "EUI48",
        109 => "EUI64",
        249 => "TKEY",
        250 => "TSIG",
        251 => "IXFR",
        252 => "AXFR",
        253 => "MAILB",
        254 => "MAILA",
        255 => "ANY",
        256 => "URI",
        257 => "CAA",
        258 => "AVC",
        259 => "DOA",
        260 => "AMTRELAY",
        261 => "RESINFO",
        262 => "WALLET",
        32768 => "TA",
        32769 => "DLV",
        _ => return None,
    };
    Some(name)
}

/// dig's mnemonic for a CLASS, e.g. `IN`, or `CLASS4096` for one it does not know.
pub fn class_mnemonic(class: u16) -> Cow<'static, str> {
    let name = match class {
        1 => "IN",
        3 => "CH",
        4 => "HS",
        254 => "NONE",
        255 => "ANY",
        other => return Cow::Owned(format!("CLASS{other}")),
    };
    Cow::Borrowed(name)
}

/// dig 9.18's name for an EDNS option code as printed in the OPT PSEUDOSECTION, e.g. `NSID`,
/// or `OPT=65001` for one it does not decode (dig 9.18 prints CHAIN, DAU, DHU, N3U, UL and
/// later options that way too).
pub fn edns_option_mnemonic(code: u16) -> Cow<'static, str> {
    let name = match code {
        1 => "LLQ",
        3 => "NSID",
        8 => "CLIENT-SUBNET",
        9 => "EXPIRE",
        10 => "COOKIE",
        11 => "TCP KEEPALIVE",
        12 => "PAD",
        14 => "KEY-TAG",
        15 => "EDE",
        16 => "CLIENT-TAG",
        17 => "SERVER-TAG",
        other => return Cow::Owned(format!("OPT={other}")),
    };
    Cow::Borrowed(name)
}

/// The registry name of an EDNS option code (IANA "DNS EDNS0 Option Codes"), for labels.
pub fn edns_option_registry_name(code: u16) -> Option<&'static str> {
    let name = match code {
        1 => "LLQ",
        2 => "Update Lease",
        3 => "NSID",
        5 => "DAU",
        6 => "DHU",
        7 => "N3U",
        8 => "edns-client-subnet",
        9 => "EDNS EXPIRE",
        10 => "COOKIE",
        11 => "edns-tcp-keepalive",
        12 => "Padding",
        13 => "CHAIN",
        14 => "edns-key-tag",
        15 => "Extended DNS Error",
        16 => "EDNS-Client-Tag",
        17 => "EDNS-Server-Tag",
        18 => "Report-Channel",
        19 => "ZONEVERSION",
        _ => return None,
    };
    Some(name)
}

/// dig 9.18's name for an Extended DNS Error INFO-CODE: it knows codes 0 to 24 and prints
/// later ones as the bare number.
pub fn dig_extended_error_name(info_code: u16) -> Option<&'static str> {
    if info_code <= 24 {
        extended_error_name(info_code)
    } else {
        None
    }
}

/// The IANA name of an Extended DNS Error INFO-CODE (RFC 8914 §4 and the registry), as dig
/// prints it in parentheses after the number.
pub fn extended_error_name(info_code: u16) -> Option<&'static str> {
    let name = match info_code {
        0 => "Other",
        1 => "Unsupported DNSKEY Algorithm",
        2 => "Unsupported DS Digest Type",
        3 => "Stale Answer",
        4 => "Forged Answer",
        5 => "DNSSEC Indeterminate",
        6 => "DNSSEC Bogus",
        7 => "Signature Expired",
        8 => "Signature Not Yet Valid",
        9 => "DNSKEY Missing",
        10 => "RRSIGs Missing",
        11 => "No Zone Key Bit Set",
        12 => "NSEC Missing",
        13 => "Cached Error",
        14 => "Not Ready",
        15 => "Blocked",
        16 => "Censored",
        17 => "Filtered",
        18 => "Prohibited",
        19 => "Stale NXDOMAIN Answer",
        20 => "Not Authoritative",
        21 => "Not Supported",
        22 => "No Reachable Authority",
        23 => "Network Error",
        24 => "Invalid Data",
        25 => "Signature Expired before Valid",
        26 => "Too Early",
        27 => "Unsupported NSEC3 Iterations Value",
        28 => "Unable to conform to policy",
        29 => "Synthesized",
        30 => "Invalid Query Type",
        _ => return None,
    };
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_unknown_values_both_print() {
        assert_eq!(type_mnemonic(15), "MX");
        assert_eq!(type_mnemonic(65), "HTTPS");
        assert_eq!(type_mnemonic(65280), "TYPE65280");
        assert_eq!(class_mnemonic(1), "IN");
        assert_eq!(class_mnemonic(4096), "CLASS4096");
        assert_eq!(edns_option_mnemonic(3), "NSID");
        assert_eq!(edns_option_mnemonic(13), "OPT=13");
        assert_eq!(dig_extended_error_name(29), None);
        assert_eq!(edns_option_mnemonic(65001), "OPT=65001");
        assert_eq!(extended_error_name(18), Some("Prohibited"));
        assert_eq!(extended_error_name(4000), None);
    }
}
