//! Explanations of the dissector's findings, and how a finding is recognized.
//!
//! A [`Diagnostic`](crate::dissect::Diagnostic) carries only its message, written for people,
//! with numbers and names filled in. Each kind of finding keeps fixed words, though, and
//! [`diagnostic_kind`] recognizes the kind by them: every entry lists one or more sets of
//! phrases, and a message is of that kind when it contains every phrase of one set. The first
//! entry that matches wins, so the more specific entries come first.

use super::{entry, rfc, Entry};

/// Every kind of finding: its explanation (key `diagnostic.<kind>`) and the phrase sets that
/// recognize its messages.
pub(super) const DIAGNOSTICS: &[(Entry, &[&[&str]])] = &[
    (
        entry("diagnostic.header_truncated", "Header cut short", rfc(1035, "4.1.1"),
            "A DNS message starts with a 12-byte header, and this one has fewer bytes than that. Nothing else can be read, since the counts that say what follows are missing."),
        &[&["The header is truncated"]],
    ),
    (
        entry("diagnostic.header_z", "Reserved header bit set", rfc(1035, "4.1.1"),
            "The reserved Z bit of the header flags is set, though it must be zero. Servers ignore it; it may come from a tool that crafts messages by hand, or from corruption."),
        &[&["reserved Z bit in the header flags"]],
    ),
    (
        entry("diagnostic.trailing_bytes", "Bytes after the last record", rfc(1035, "4.1"),
            "Bytes remain after the last record that the header's counts announce. They may be padding added by the transport, the start of a second message, or the sign of a count that is too small."),
        &[&["the last record the header counts announce"]],
    ),
    (
        entry("diagnostic.count_overrun", "Fewer entries than counted", rfc(1035, "4.1.1"),
            "A count in the header promises more entries than the message holds. The message was probably cut short, as happens when only part of a packet was captured or copied."),
        &[&["The header announces", "but the message ends after"]],
    ),
    (
        entry("diagnostic.question_truncated", "Question cut short", rfc(1035, "4.1.2"),
            "The message ends inside a question, before its type or its class. The message was cut short."),
        &[&["The message ends in the middle of question"]],
    ),
    (
        entry("diagnostic.record_truncated", "Record cut short", rfc(1035, "4.1.3"),
            "The message ends after a record's owner name, before the 10 bytes of type, class, TTL and data length. The message was cut short."),
        &[&["The message ends in the middle of", "needs 10 bytes for TYPE, CLASS, TTL and RDLENGTH"]],
    ),
    (
        entry("diagnostic.rdlength_past_end", "Record data past the end", rfc(1035, "4.1.3"),
            "A record's data length says that more bytes follow than the message holds. Either the message was cut short or the length is wrong."),
        &[&["The message ends in the middle of", "RDLENGTH says"]],
    ),
    (
        entry("diagnostic.ttl_high_bit", "TTL with its top bit set", rfc(2181, "8"),
            "The record's TTL has its top bit set, a value above 2147483647 seconds. RFC 2181 says to treat such a TTL as zero, so the record must not be cached."),
        &[&["has its most significant bit set"]],
    ),
    (
        entry("diagnostic.opt_small_payload", "EDNS payload size below 512", rfc(6891, "6.2.5"),
            "The OPT record announces a UDP payload size below 512 bytes, the size every DNS client must accept anyway. Receivers treat it as 512."),
        &[&["advertises a UDP payload size of"]],
    ),
    (
        entry("diagnostic.opt_reserved_flags", "Reserved EDNS flags set", rfc(6891, "6.1.4"),
            "EDNS flag bits that have no meaning yet are set, though they must be zero when sent. Receivers ignore them."),
        &[&["The OPT record's reserved Z flags"]],
    ),
    (
        entry("diagnostic.opt_owner", "OPT record not owned by the root", rfc(6891, "6.1.2"),
            "An OPT record must be owned by the root name, a single zero byte. Any other owner makes the EDNS record malformed."),
        &[&["requires the root name"]],
    ),
    (
        entry("diagnostic.opt_section", "OPT record outside the additional section", rfc(6891, "6.1.1"),
            "An OPT pseudo-record is only allowed in the additional section. Found anywhere else it is not EDNS, and servers answer FORMERR."),
        &[&["allows it only in the additional section"]],
    ),
    (
        entry("diagnostic.opt_duplicate", "Second OPT record", rfc(6891, "6.1.1"),
            "A message may hold at most one OPT record. A server that receives a second one answers FORMERR."),
        &[&["is a second OPT record"]],
    ),
    (
        entry("diagnostic.opt_option_header", "EDNS option header cut short", rfc(6891, "6.1.2"),
            "The OPT record's data ends part way into an option's 4-byte header of code and length. The option is incomplete and cannot be read."),
        &[&["into an option header"]],
    ),
    (
        entry("diagnostic.opt_option_length", "EDNS option past the end", rfc(6891, "6.1.2"),
            "An EDNS option's length says that more bytes follow than the OPT record's data, or the message, holds. The option was cut short or its length is wrong."),
        &[&["option's length says"]],
    ),
    (
        entry("diagnostic.option_bad_length", "EDNS option of a wrong length", rfc(6891, "6.1.2"),
            "The option's data has a length its definition does not allow, such as an EXPIRE option that is neither empty nor 4 bytes. The option is malformed and its value cannot be trusted."),
        &[&["a length its definition does not allow"]],
    ),
    (
        entry("diagnostic.padding_nonzero", "Padding that is not zero", rfc(7830, "3"),
            "The bytes of a padding option should all be zero, and some are not. Padding that is not zero may hide data in the message."),
        &[&["PADDING option contains non-zero bytes"]],
    ),
    (
        entry("diagnostic.cookie_length", "COOKIE of a wrong length", rfc(7873, "4"),
            "A COOKIE option is either 8 bytes, a client cookie alone, or 16 to 40 bytes, a client cookie and a server cookie of 8 to 32 bytes. Any other length is malformed, and a server answers FORMERR."),
        &[&["The COOKIE option is", "bytes long"]],
    ),
    (
        entry("diagnostic.ecs_short", "CLIENT-SUBNET too short", rfc(7871, "6"),
            "A CLIENT-SUBNET option needs at least 4 bytes: the address family and the two prefix lengths. A shorter one is malformed."),
        &[&["The CLIENT-SUBNET option is", "needs at least 4"]],
    ),
    (
        entry("diagnostic.ecs_address_length", "CLIENT-SUBNET address of a wrong length", rfc(7871, "6"),
            "The address in a CLIENT-SUBNET option must take exactly as many bytes as its source prefix needs, no more and no less. A server answers FORMERR to an address of the wrong length."),
        &[&["The CLIENT-SUBNET address has"]],
    ),
    (
        entry("diagnostic.name_too_long", "Name longer than 255 bytes", rfc(1035, "3.1"),
            "A domain name takes at most 255 bytes on the wire, length bytes included, and this one is longer. Decoders refuse such a name."),
        &[&["is longer than the 255 octets"]],
    ),
    (
        entry("diagnostic.pointer_loop", "Compression pointer loop", rfc(1035, "4.1.4"),
            "A compression pointer leads back to a place already read, so the name would never end. Careful decoders stop here, while careless ones loop forever, which has been used to attack them."),
        &[&["compression pointer loop"], &["points to itself"]],
    ),
    (
        entry("diagnostic.pointer_past_end", "Pointer past the end", rfc(1035, "4.1.4"),
            "A compression pointer gives an offset beyond the end of the message. No name can be read there."),
        &[&["has a compression pointer to offset", "past the end of the"]],
    ),
    (
        entry("diagnostic.pointer_forward", "Pointer forward", rfc(1035, "4.1.4"),
            "A compression pointer leads forward, to bytes after the pointer itself, while RFC 1035 only allows pointers back to an earlier name. Many decoders refuse it, since forward pointers make loops easy."),
        &[&["which is after the pointer itself"]],
    ),
    (
        entry("diagnostic.pointer_into_header", "Pointer into the header", rfc(1035, "4.1.4"),
            "A compression pointer leads into the 12-byte header, where no name can be. The name read there is made of header bytes and means nothing."),
        &[&["inside the 12-byte header"]],
    ),
    (
        entry("diagnostic.too_many_pointers", "Too many pointers", rfc(1035, "4.1.4"),
            "A name follows more compression pointers than any real message needs, and dnslab stops reading it. Such chains are a way to make decoders do a lot of work."),
        &[&["compression pointers; dnslab stops here"]],
    ),
    (
        entry("diagnostic.reserved_label_type", "Unknown label type", rfc(6891, "5"),
            "The top two bits of a label's length byte are 01 or 10, label types that are retired or reserved: only 00 (a label) and 11 (a pointer) are in use. The name cannot be read past it."),
        &[&["label length octet", "that no decoder understands"]],
    ),
    (
        entry("diagnostic.name_truncated", "Name cut short", rfc(1035, "3.1"),
            "A name runs to the end of its data without its closing zero-length root label, or a label or pointer needs more bytes than are left. The message was cut short, or a length byte is wrong."),
        &[&["is cut off"]],
    ),
    (
        entry("diagnostic.pointer_chain", "Chain of pointers", rfc(1035, "4.1.4"),
            "A name is read through a chain of compression pointers, each leading to another. It is legal, but encoders usually point straight at the name, so a chain may be the sign of a hand-made message."),
        &[&["follows a chain of", "compression pointers"]],
    ),
    (
        entry("diagnostic.rdata_too_short", "Record data too short", rfc(1035, "4.1.3"),
            "The record's data length is too short for the fields its type has. The record is shown in the generic hex form, with the fields that could be read."),
        &[&["RDATA of", "is too short for its fields"]],
    ),
    (
        entry("diagnostic.rdata_left_over", "Bytes left over in record data", rfc(1035, "4.1.3"),
            "The record's data length is longer than its type's fields use, which leaves bytes over. Strict decoders reject such a record."),
        &[&["left over after its last field"]],
    ),
    (
        entry("diagnostic.ds_digest_length", "DS digest of a wrong length", rfc(4034, "5.1.4"),
            "The DS digest does not have the length its digest type produces: 20 bytes for SHA-1, 32 for SHA-256, 48 for SHA-384. Such a DS cannot match any key."),
        &[&["The DS digest is"]],
    ),
    (
        entry("diagnostic.dnskey_protocol", "DNSKEY protocol not 3", rfc(4034, "2.1.2"),
            "The protocol field of a DNSKEY must be 3. A key with another value must not be used to validate anything."),
        &[&["The DNSKEY protocol field is"]],
    ),
    (
        entry("diagnostic.caa_tag_empty", "Empty CAA tag", rfc(8659, "4.1"),
            "A CAA record's tag must be at least one character long, and this one is empty. Certificate authorities treat the record as malformed."),
        &[&["The CAA tag length is 0"]],
    ),
    (
        entry("diagnostic.caa_tag_characters", "CAA tag with other characters", rfc(8659, "4.1"),
            "A CAA tag may only hold ASCII letters and digits. This one holds other characters, so no certificate authority will recognize it."),
        &[&["The CAA tag contains characters"]],
    ),
    (
        entry("diagnostic.nsec_no_bitmap", "NSEC without types", rfc(4034, "4.1.2"),
            "An NSEC record always lists at least the NSEC and RRSIG types of its owner, and this one lists none. It cannot prove what it should."),
        &[&["has no type bit maps"]],
    ),
    (
        entry("diagnostic.bitmap_window_order", "Type bitmap windows out of order", rfc(4034, "4.1.2"),
            "The windows of a type bitmap must come in increasing order, each at most once. Validators may reject the record."),
        &[&["Type bit map window", "comes after window"]],
    ),
    (
        entry("diagnostic.bitmap_window_length", "Type bitmap window of a wrong length", rfc(4034, "4.1.2"),
            "A window of a type bitmap must be 1 to 32 bytes long. Another length makes the record malformed."),
        &[&["Type bit map window", "has bitmap length"]],
    ),
    (
        entry("diagnostic.bitmap_trailing_zero", "Type bitmap window ending in zeros", rfc(4034, "4.1.2"),
            "A window of a type bitmap must not end with zero bytes: they list no types and must be left out. Validators may reject the record."),
        &[&["Type bit map window", "ends with a zero byte"]],
    ),
    (
        entry("diagnostic.txt_empty", "Empty TXT record", rfc(1035, "3.3.14"),
            "A TXT record (like the SPF, NINFO, AVC and RESINFO records laid out the same way) holds at least one character-string, which may itself be empty, a single zero byte. Record data of no bytes at all is not a valid record of these types."),
        &[&["record's RDATA is empty", "at least one character-string"]],
    ),
    (
        entry("diagnostic.sshfp_length", "SSHFP fingerprint of a wrong length", rfc(4255, "3.1.3"),
            "The SSHFP fingerprint does not have the length its fingerprint type produces: 20 bytes for SHA-1, 32 for SHA-256. It cannot match any key."),
        &[&["The SSHFP fingerprint is"]],
    ),
    (
        entry("diagnostic.svcb_target_compressed", "Compressed SVCB target", rfc(9460, "2.2"),
            "The target name of an SVCB or HTTPS record must be written out in full, without compression pointers. Some clients reject the record."),
        &[&["target name uses a compression pointer"]],
    ),
    (
        entry("diagnostic.svcb_alias_params", "Alias with parameters", rfc(9460, "2.4.2"),
            "An SVCB or HTTPS record of priority 0 is an alias, and an alias carries no parameters. Clients ignore them."),
        &[&["AliasMode record", "carries SvcParams"]],
    ),
    (
        entry("diagnostic.svcb_key_order", "SvcParams out of order", rfc(9460, "2.2"),
            "The parameters of an SVCB or HTTPS record must come in strictly increasing order of their keys. Clients reject a record that breaks this rule."),
        &[&["requires keys in strictly increasing order"]],
    ),
    (
        entry("diagnostic.svcb_mandatory_missing", "Mandatory key missing", rfc(9460, "8"),
            "The mandatory parameter names a key that the record does not hold. The record is malformed, and clients skip it."),
        &[&["The mandatory list names key", "but the record has no such"]],
    ),
    (
        entry("diagnostic.svcb_mandatory_self", "Mandatory lists itself", rfc(9460, "8"),
            "The mandatory list may not name the mandatory key itself. The record is malformed."),
        &[&["names the mandatory key itself"]],
    ),
    (
        entry("diagnostic.svcb_value_length", "SvcParam value of a wrong length", rfc(9460, "2.2"),
            "A parameter's value has a length its key does not allow, such as a port that is not 2 bytes long. The record is malformed."),
        &[&["SvcParam value is", "bytes long"]],
    ),
    (
        entry("diagnostic.svcb_alpn", "Bad ALPN identifier", rfc(9460, "7.1"),
            "Each protocol identifier of the alpn parameter is a length byte and that many bytes, never empty. This one is empty or runs past the end of the value."),
        &[&["alpn protocol identifier is empty"]],
    ),
    (
        entry("diagnostic.loc_version", "LOC of an unknown version", rfc(1876, "2"),
            "RFC 1876 defines the layout of version 0 only, and the fields of any other version are unknown. dig and dnslab show such a record in the generic form \\# length hex."),
        &[&["This LOC record has version"]],
    ),
    (
        entry("diagnostic.loc_precision", "LOC size that is not a digit pair", rfc(1876, "2"),
            "A LOC size or precision is one byte: a mantissa digit and a power of ten, each 0 to 9, and the mantissa not 0. Another value stands for no size, and dig rejects the record."),
        &[&["each of its two hexadecimal digits must be"]],
    ),
    (
        entry("diagnostic.loc_angle", "LOC position off the globe", rfc(1876, "2"),
            "The latitude of a LOC record must lie within 90 degrees of the equator and the longitude within 180 degrees of the prime meridian. A value beyond names no place, and dig rejects the record."),
        &[&["The LOC", "is beyond", "degrees"]],
    ),
    (
        entry("diagnostic.apl_family", "APL family other than IPv4 and IPv6", rfc(3123, "4"),
            "RFC 3123 defines APL items for address families 1 (IPv4) and 2 (IPv6) only. dig prints a record with another family in the generic form \\# length hex, and dnslab does the same."),
        &[&["APL address family", "neither 1 (IPv4) nor 2 (IPv6)"]],
    ),
    (
        entry("diagnostic.apl_range", "APL prefix or address too long", rfc(3123, "4"),
            "An APL item's prefix length may not exceed the family's address size (32 bits for IPv4, 128 for IPv6), nor its address part the address's length. dig rejects such a record."),
        &[&["This APL item of family", "the family allows at most"]],
    ),
    (
        entry("diagnostic.apl_trailing_zero", "APL address ending in a zero byte", rfc(3123, "4.1"),
            "The address part of an APL item leaves out the address's trailing zero bytes, so it may not end with one. dig rejects the record as malformed."),
        &[&["APL address part ends with a zero byte"]],
    ),
    (
        entry("diagnostic.apl_beyond_prefix", "APL address bytes past the prefix", rfc(3123, "4.1"),
            "The APL item carries more address bytes than its prefix length covers. The extra bits mean nothing; dig shows the whole address all the same."),
        &[&["the bits past the prefix mean nothing"]],
    ),
    (
        entry("diagnostic.gateway_type", "Unknown gateway or relay type", rfc(4025, "2.3"),
            "The gateway type of an IPSECKEY record (or the relay type of an AMTRELAY record, RFC 8777) says how the gateway is written: 0 none, 1 IPv4, 2 IPv6, 3 a name. With another value the rest of the record cannot be read, and dig rejects or hex-dumps it."),
        &[&["only 0 to 3 are defined"]],
    ),
    (
        entry("diagnostic.name_compressed", "Compressed name that must not be", rfc(3597, "4"),
            "This name uses a compression pointer, though the record type's RFC says its names must be written out in full. dig follows the pointer, but servers must not send it (RFC 3597 §4 keeps compression to the types of RFC 1035)."),
        &[&["name uses a compression pointer", "must not be compressed"]],
    ),
    (
        entry("diagnostic.cert_empty", "CERT without a certificate", rfc(4398, "2"),
            "A CERT record holds a certificate, a revocation list or a URL after its type, key tag and algorithm. This one ends before it, and dig rejects it."),
        &[&["has no certificate after its type"]],
    ),
    (
        entry("diagnostic.openpgpkey_empty", "Empty OPENPGPKEY", rfc(7929, "2.1"),
            "An OPENPGPKEY record holds an OpenPGP public key, and record data of no bytes holds none. dig rejects it."),
        &[&["OPENPGPKEY record is empty"]],
    ),
    (
        entry("diagnostic.dhcid_short", "DHCID too short", rfc(4701, "3"),
            "A DHCID record holds a 2-byte identifier type, a 1-byte digest type and the digest. Shorter record data cannot be a DHCID, though dig prints a non-empty one in base64 all the same."),
        &[&["This DHCID record is empty"], &["too few for its identifier type"]],
    ),
    (
        entry("diagnostic.key_missing", "KEY without a key", rfc(2535, "3.1.2"),
            "A KEY record without key data must say so with its flags (the key type 3, no key). These flags promise a key that is not there, and dig rejects the record."),
        &[&["has no public key, though its flags"]],
    ),
    (
        entry("diagnostic.zonemd_digest_length", "ZONEMD digest of a wrong length", rfc(8976, "2.2.3"),
            "The digest does not have the length its hash algorithm produces: 48 bytes for SHA-384, 64 for SHA-512. No zone can match it, and dig rejects the record."),
        &[&["The ZONEMD digest is", "but hash algorithm"]],
    ),
    (
        entry("diagnostic.zonemd_digest_short", "ZONEMD digest too short", rfc(8976, "2.2.4"),
            "A ZONEMD digest is at least 12 bytes long, whatever its algorithm. dig rejects a shorter one."),
        &[&["The ZONEMD digest is", "requires at least 12"]],
    ),
    (
        entry("diagnostic.hip_length", "HIP without a HIT or key", rfc(8005, "5"),
            "A HIP record holds a Host Identity Tag and a public key, and neither may be empty. A length of 0 makes the record malformed, and dig rejects it."),
        &[&["The HIP", "length is 0"]],
    ),
    (
        entry("diagnostic.x25_short", "X25 address too short", rfc(1183, "3.1"),
            "An X25 PSDN address starts with the 4-digit code of the data network, so it has at least 4 digits. dig rejects a shorter one."),
        &[&["The X25 PSDN address has"]],
    ),
];

/// The kind of a dissector finding, recognized by the fixed words of its message: the key of
/// its explanation, e.g. `diagnostic.pointer_loop`. `None` for a message of no known kind.
pub fn diagnostic_kind(message: &str) -> Option<&'static str> {
    DIAGNOSTICS
        .iter()
        .find(|(_, alternatives)| {
            alternatives
                .iter()
                .any(|phrases| phrases.iter().all(|phrase| message.contains(phrase)))
        })
        .map(|(entry, _)| entry.key)
}
