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
}
