//! Protocol numbers and their mnemonics, as dig and the IANA registries spell them.
//!
//! Lookups are open: a number without a registered name still gets a readable label
//! (`RCODE23`, `OPCODE9`), so nothing a message carries is ever lost in display.

/// dig's mnemonic for a response code (RFC 1035, 2136, 6891, 7873), e.g. `NXDOMAIN`.
pub fn rcode_mnemonic(rcode: u16) -> String {
    let name = match rcode {
        0 => "NOERROR",
        1 => "FORMERR",
        2 => "SERVFAIL",
        3 => "NXDOMAIN",
        4 => "NOTIMP",
        5 => "REFUSED",
        6 => "YXDOMAIN",
        7 => "YXRRSET",
        8 => "NXRRSET",
        9 => "NOTAUTH",
        10 => "NOTZONE",
        16 => "BADVERS",
        17 => "BADKEY",
        18 => "BADTIME",
        19 => "BADMODE",
        20 => "BADNAME",
        21 => "BADALG",
        22 => "BADTRUNC",
        23 => "BADCOOKIE",
        other => return format!("RCODE{other}"),
    };
    name.to_owned()
}

/// dig's mnemonic for an opcode (RFC 1035, 1996, 2136, 8490), e.g. `QUERY`.
pub fn opcode_mnemonic(opcode: u8) -> String {
    let name = match opcode {
        0 => "QUERY",
        1 => "IQUERY",
        2 => "STATUS",
        4 => "NOTIFY",
        5 => "UPDATE",
        6 => "DSO",
        other => return format!("OPCODE{other}"),
    };
    name.to_owned()
}

/// Every record type with a mnemonic, in number order: the IANA "Resource Record (RR) TYPEs"
/// registry's data types, pseudo-types (OPT, TKEY, TSIG) and query types (IXFR, AXFR, MAILB,
/// MAILA, ANY). Zone files and query forms read these names (and RFC 3597's `TYPEnnn` for the
/// rest).
pub const RECORD_TYPES: &[(&str, u16)] = &[
    ("A", 1),
    ("NS", 2),
    ("MD", 3),
    ("MF", 4),
    ("CNAME", 5),
    ("SOA", 6),
    ("MB", 7),
    ("MG", 8),
    ("MR", 9),
    ("NULL", 10),
    ("WKS", 11),
    ("PTR", 12),
    ("HINFO", 13),
    ("MINFO", 14),
    ("MX", 15),
    ("TXT", 16),
    ("RP", 17),
    ("AFSDB", 18),
    ("X25", 19),
    ("ISDN", 20),
    ("RT", 21),
    ("NSAP", 22),
    ("NSAP-PTR", 23),
    ("SIG", 24),
    ("KEY", 25),
    ("PX", 26),
    ("GPOS", 27),
    ("AAAA", 28),
    ("LOC", 29),
    ("NXT", 30),
    ("EID", 31),
    ("NIMLOC", 32),
    ("SRV", 33),
    ("ATMA", 34),
    ("NAPTR", 35),
    ("KX", 36),
    ("CERT", 37),
    ("A6", 38),
    ("DNAME", 39),
    ("SINK", 40),
    ("OPT", 41),
    ("APL", 42),
    ("DS", 43),
    ("SSHFP", 44),
    ("IPSECKEY", 45),
    ("RRSIG", 46),
    ("NSEC", 47),
    ("DNSKEY", 48),
    ("DHCID", 49),
    ("NSEC3", 50),
    ("NSEC3PARAM", 51),
    ("TLSA", 52),
    ("SMIMEA", 53),
    ("HIP", 55),
    ("NINFO", 56),
    ("RKEY", 57),
    ("TALINK", 58),
    ("CDS", 59),
    ("CDNSKEY", 60),
    ("OPENPGPKEY", 61),
    ("CSYNC", 62),
    ("ZONEMD", 63),
    ("SVCB", 64),
    ("HTTPS", 65),
    ("DSYNC", 66),
    ("SPF", 99),
    ("UINFO", 100),
    ("UID", 101),
    ("GID", 102),
    ("UNSPEC", 103),
    ("NID", 104),
    ("L32", 105),
    ("L64", 106),
    ("LP", 107),
    ("EUI48", 108),
    ("EUI64", 109),
    ("TKEY", 249),
    ("TSIG", 250),
    ("IXFR", 251),
    ("AXFR", 252),
    ("MAILB", 253),
    ("MAILA", 254),
    ("ANY", 255),
    ("URI", 256),
    ("CAA", 257),
    ("AVC", 258),
    ("DOA", 259),
    ("AMTRELAY", 260),
    ("RESINFO", 261),
    ("WALLET", 262),
    ("TA", 32768),
    ("DLV", 32769),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_known_codes_and_labels_unknown_ones() {
        assert_eq!(rcode_mnemonic(0), "NOERROR");
        assert_eq!(rcode_mnemonic(3), "NXDOMAIN");
        assert_eq!(rcode_mnemonic(23), "BADCOOKIE");
        assert_eq!(rcode_mnemonic(4000), "RCODE4000");
        assert_eq!(opcode_mnemonic(5), "UPDATE");
        assert_eq!(opcode_mnemonic(15), "OPCODE15");
    }

    #[test]
    fn record_types_are_in_number_order_with_unique_names() {
        assert!(RECORD_TYPES.windows(2).all(|pair| pair[0].1 < pair[1].1));
        let mut names: Vec<&str> = RECORD_TYPES.iter().map(|(name, _)| *name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), RECORD_TYPES.len());
        assert!(RECORD_TYPES.contains(&("AAAA", 28)));
        assert!(RECORD_TYPES.contains(&("HTTPS", 65)));
    }
}
