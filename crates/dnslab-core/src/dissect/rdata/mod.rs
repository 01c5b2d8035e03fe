//! Field-level RDATA decoding: a bounded reader that records a span per field, and the dispatch
//! to one decoder per record type or family (one file each).
//!
//! Every decoder reads its fields through [`RdataReader`], which refuses to read past the RDATA
//! (RDLENGTH) or the message and says so at the exact byte, and returns dig's presentation form.
//! When a decoder cannot finish, the record is presented the RFC 3597 way (`\# len hex`) and the
//! fields it did read stay in the tree.

pub(crate) mod address;
mod apl;
mod caa;
mod certificates;
mod csync;
mod digests;
mod dnssec;
mod eui;
mod gateways;
mod hip;
mod ilnp;
mod loc;
mod names;
mod naptr;
mod nsec;
mod soa;
mod srv;
pub(crate) mod svcb;
mod text_records;
pub(crate) mod thumbprints;
mod unknown;
mod uri;
mod wks;

use super::mnemonic::type_mnemonic;
use super::model::{Diagnostic, Field, RdataView, Severity, Span};
use super::name::{name_field, read_name, NameScratch};
use super::RecordLabel;

pub(crate) use unknown::generic_presentation;

/// A name read from RDATA: its text, and where its first compression pointer is, if any.
pub(crate) struct RdataName {
    /// Presentation form, e.g. `mail.example.com.`.
    pub text: String,
    /// The first compression pointer's two bytes.
    pub first_pointer: Option<Span>,
}

/// Reads the fields of one RDATA with bounds checks and spans.
pub(crate) struct RdataReader<'message, 'diagnostics> {
    /// The whole message (names may point anywhere in it).
    message: &'message [u8],
    /// First byte of the RDATA.
    start: usize,
    /// Next byte to read.
    position: usize,
    /// End of the RDATA as RDLENGTH declares it.
    declared_end: usize,
    /// End of the RDATA bytes actually present (before `declared_end` in a truncated message).
    available_end: usize,
    /// Key prefix of the fields, e.g. `answer.rdata`.
    key_prefix: &'static str,
    /// The record's TYPE, named in messages.
    rtype: u16,
    /// Which record this is, for messages, e.g. "answer record 2".
    record: RecordLabel,
    /// Make fields (the tree is being built); otherwise only values and diagnostics.
    build_tree: bool,
    /// The fields read so far, when building the tree (`None` otherwise).
    fields: Option<Vec<Field>>,
    diagnostics: &'diagnostics mut Vec<Diagnostic>,
    /// What the message's names share (pointer chains noted, suffixes read).
    names: &'diagnostics mut NameScratch,
    /// A read failed: the RDATA is shorter than its fields need, or a name is broken.
    failed: bool,
}

impl<'message, 'diagnostics> RdataReader<'message, 'diagnostics> {
    /// The record type's mnemonic, for messages.
    pub(crate) fn type_name(&self) -> std::borrow::Cow<'static, str> {
        type_mnemonic(self.rtype)
    }

    /// True when fields are wanted (the field tree is being built).
    pub(crate) fn building_tree(&self) -> bool {
        self.build_tree
    }

    /// Total RDATA length declared by RDLENGTH.
    pub(crate) fn declared_length(&self) -> usize {
        self.declared_end - self.start
    }

    /// Bytes left before the end of the RDATA (as far as they are present).
    pub(crate) fn remaining(&self) -> usize {
        self.available_end.saturating_sub(self.position)
    }

    /// Marks the RDATA as not presentable in its type's own format.
    pub(crate) fn fail(&mut self) {
        self.failed = true;
    }

    /// The next offset to be read.
    pub(crate) fn position(&self) -> usize {
        self.position
    }

    /// The full key of a field of this RDATA, e.g. `answer.rdata.exchange`.
    pub(crate) fn key(&self, field: &str) -> String {
        let mut key = String::with_capacity(self.key_prefix.len() + 1 + field.len());
        key.push_str(self.key_prefix);
        key.push('.');
        key.push_str(field);
        key
    }

    /// Adds a field to the RDATA's node, made by `make` only when the tree is being built.
    pub(crate) fn push_field_with(&mut self, make: impl FnOnce(&Self) -> Field) {
        if self.build_tree {
            let field = make(self);
            if let Some(fields) = &mut self.fields {
                fields.push(field);
            }
        }
    }

    /// Adds one single-bit flag field per `(field, label, mask)` of `flags`, the field read at
    /// `span`: each says `1` or `0` and marks its bit.
    pub(crate) fn push_flag_bits(&mut self, flags: u32, span: Span, bits: &[(&str, &str, u32)]) {
        for &(field, label, mask) in bits {
            self.push_field_with(|reader| {
                Field::bits(
                    reader.key(field),
                    label,
                    if flags & mask != 0 { "1" } else { "0" },
                    span,
                    mask,
                )
            });
        }
    }

    /// Adds a field made from a span and a value text, when the tree is being built.
    fn push_leaf(&mut self, field: &str, label: &str, value: impl FnOnce() -> String, span: Span) {
        if self.build_tree {
            let key = self.key(field);
            if let Some(fields) = &mut self.fields {
                fields.push(Field::leaf(key, label, value(), span));
            }
        }
    }

    /// Reports a problem with specific bytes of the RDATA.
    pub(crate) fn report(
        &mut self,
        offset: usize,
        length: usize,
        severity: Severity,
        message: String,
    ) {
        self.diagnostics.push(Diagnostic {
            offset,
            length,
            severity,
            message,
        });
    }

    /// Takes `length` raw bytes for the field called `what`, or reports that the RDATA ends
    /// first.
    pub(crate) fn take(&mut self, length: usize, what: &str) -> Option<(&'message [u8], Span)> {
        if self.failed {
            return None;
        }
        let end = self.position + length;
        if end > self.available_end {
            self.failed = true;
            if end > self.declared_end {
                let left = self.declared_end.saturating_sub(self.position);
                let message = format!(
                    "The {} RDATA of {} is too short for its fields: RDLENGTH is {}, but the {what} \
                     needs {length} byte{} here and only {left} {} left.",
                    self.type_name(),
                    self.record,
                    self.declared_length(),
                    if length == 1 { "" } else { "s" },
                    if left == 1 { "is" } else { "are" },
                );
                // The bytes concerned are those present, even if RDLENGTH claims more.
                let present = self.declared_end.min(self.available_end);
                let length = present.saturating_sub(self.position);
                self.report(self.position, length, Severity::Error, message);
            }
            // Otherwise the message itself is truncated, which the record walk reports once.
            return None;
        }
        let bytes = self.message.get(self.position..end)?;
        let span = Span::new(self.position, length);
        self.position = end;
        Some((bytes, span))
    }

    /// The message's bytes in `span`, if they are there.
    pub(crate) fn message_bytes(&self, span: Span) -> Option<&'message [u8]> {
        self.message.get(span.offset..span.end())
    }

    /// Takes every byte left in the RDATA.
    pub(crate) fn take_rest(&mut self) -> (&'message [u8], Span) {
        let start = self.position.min(self.available_end);
        let bytes = self
            .message
            .get(start..self.available_end)
            .unwrap_or_default();
        self.position = self.available_end.max(self.position);
        (bytes, Span::new(start, bytes.len()))
    }

    /// Reads a one-byte field and adds it, with `describe` turning the number into its value
    /// text.
    pub(crate) fn u8_field(
        &mut self,
        field: &str,
        label: &str,
        describe: impl FnOnce(u8) -> String,
    ) -> Option<u8> {
        let (bytes, span) = self.take(1, label)?;
        let value = *bytes.first()?;
        self.push_leaf(field, label, || describe(value), span);
        Some(value)
    }

    /// Reads a two-byte field and adds it.
    pub(crate) fn u16_field(
        &mut self,
        field: &str,
        label: &str,
        describe: impl FnOnce(u16) -> String,
    ) -> Option<u16> {
        let (bytes, span) = self.take(2, label)?;
        let value = u16::from_be_bytes([*bytes.first()?, *bytes.get(1)?]);
        self.push_leaf(field, label, || describe(value), span);
        Some(value)
    }

    /// Reads a four-byte field and adds it.
    pub(crate) fn u32_field(
        &mut self,
        field: &str,
        label: &str,
        describe: impl FnOnce(u32) -> String,
    ) -> Option<u32> {
        let (bytes, span) = self.take(4, label)?;
        let value = u32::from_be_bytes([
            *bytes.first()?,
            *bytes.get(1)?,
            *bytes.get(2)?,
            *bytes.get(3)?,
        ]);
        self.push_leaf(field, label, || describe(value), span);
        Some(value)
    }

    /// Reads `length` bytes as one field and adds it.
    pub(crate) fn bytes_field(
        &mut self,
        field: &str,
        label: &str,
        length: usize,
        describe: impl FnOnce(&[u8]) -> String,
    ) -> Option<&'message [u8]> {
        let (bytes, span) = self.take(length, label)?;
        self.push_leaf(field, label, || describe(bytes), span);
        Some(bytes)
    }

    /// Reads the rest of the RDATA as one field and adds it (even when empty).
    pub(crate) fn rest_field(
        &mut self,
        field: &str,
        label: &str,
        describe: impl FnOnce(&[u8]) -> String,
    ) -> Option<&'message [u8]> {
        if self.failed {
            return None;
        }
        let (bytes, span) = self.take_rest();
        self.push_leaf(field, label, || describe(bytes), span);
        Some(bytes)
    }

    /// Reads a domain name (compression allowed) and adds it with its label and pointer
    /// children.
    pub(crate) fn name_field(&mut self, field: &str, label: &str) -> Option<RdataName> {
        if self.failed {
            return None;
        }
        if self.position >= self.available_end {
            return self.take(1, label).and(None);
        }
        let (rtype, record) = (self.rtype, self.record);
        // "The mail exchange in the MX RDATA of answer record 3".
        let what = || {
            let mut prefix = String::with_capacity(64);
            prefix.push_str("The ");
            prefix.push_str(&label.to_ascii_lowercase());
            prefix.push_str(" in the ");
            prefix.push_str(&type_mnemonic(rtype));
            prefix.push_str(" RDATA of ");
            record.after(&prefix)
        };
        let name = read_name(
            self.message,
            self.position,
            self.available_end,
            &what,
            self.diagnostics,
            self.build_tree,
            self.names,
        );
        if self.build_tree {
            let key = self.key(field);
            if let Some(fields) = &mut self.fields {
                fields.push(name_field(&key, label, &name.view));
            }
        }
        match name.end {
            Some(end) => self.position = end,
            None => {
                self.failed = true;
                return None;
            }
        }
        if !name.complete {
            self.failed = true;
            return None;
        }
        Some(RdataName {
            first_pointer: name.first_pointer,
            text: name.view.text,
        })
    }

    /// Reads a `<character-string>` (RFC 1035 §3.3: a length octet and that many bytes) and
    /// adds it; the span includes the length octet.
    pub(crate) fn character_string_field(
        &mut self,
        field: &str,
        label: &str,
    ) -> Option<&'message [u8]> {
        let (length_bytes, length_span) = self.take(1, label)?;
        let length = usize::from(*length_bytes.first()?);
        let start = length_span.offset;
        let (text, _) = self.take(length, label)?;
        self.push_leaf(
            field,
            label,
            || super::text::quoted_character_string(text),
            Span::new(start, 1 + length),
        );
        Some(text)
    }
}

/// What [`decode_rdata`] needs to know about the record.
pub(crate) struct RdataContext {
    /// The record's TYPE.
    pub rtype: u16,
    /// The record's CLASS (decoders for class-specific types check it).
    pub class: u16,
    /// First byte of the RDATA.
    pub start: usize,
    /// RDLENGTH.
    pub declared_length: usize,
    /// Key prefix for the fields, e.g. `answer.rdata`.
    pub key_prefix: &'static str,
    /// Which record this is, e.g. "answer record 2".
    pub record: RecordLabel,
    /// Make the fields too (the field tree is being built).
    pub build_tree: bool,
}

/// Decodes the RDATA of one record into dig's presentation form and, when building the tree,
/// fields with spans (`None` otherwise).
pub(crate) fn decode_rdata(
    message: &[u8],
    context: &RdataContext,
    diagnostics: &mut Vec<Diagnostic>,
    names: &mut NameScratch,
) -> (RdataView, Option<Vec<Field>>) {
    let declared_end = context.start + context.declared_length;
    let available_end = declared_end
        .min(message.len())
        .max(context.start.min(message.len()));
    let mut reader = RdataReader {
        message,
        start: context.start,
        position: context.start,
        declared_end,
        available_end,
        key_prefix: context.key_prefix,
        rtype: context.rtype,
        record: context.record,
        build_tree: context.build_tree,
        fields: context.build_tree.then(Vec::new),
        diagnostics,
        names,
        failed: false,
    };
    // BIND decodes some types only in class IN (RFC 3597 §5 lets class-specific types be
    // opaque elsewhere), and prints them the generic way in other classes; dig does the same.
    const CLASS_IN: u16 = 1;
    const CLASS_CH: u16 = 3;
    const CLASS_HS: u16 = 4;
    let class = context.class;
    let presentation = match context.rtype {
        1 if class == CLASS_IN || class == CLASS_HS => address::decode_a(&mut reader),
        1 if class == CLASS_CH => address::decode_chaos_a(&mut reader),
        28 if class == CLASS_IN => address::decode_aaaa(&mut reader),
        2 => names::decode_single_name(&mut reader, "nsdname", "Name server"),
        5 => names::decode_single_name(&mut reader, "cname", "Canonical name"),
        7 => names::decode_single_name(&mut reader, "madname", "Mailbox host"),
        8 => names::decode_single_name(&mut reader, "mgmname", "Mail group member"),
        9 => names::decode_single_name(&mut reader, "newname", "Renamed mailbox"),
        12 => names::decode_single_name(&mut reader, "ptrdname", "Pointer target"),
        23 if class == CLASS_IN => {
            names::decode_single_name(&mut reader, "nsap_ptr", "NSAP pointer target")
        }
        39 => names::decode_single_name(&mut reader, "target", "Delegation target"),
        15 => names::decode_mx(&mut reader),
        21 => names::decode_preference_and_name(&mut reader, "intermediate", "Intermediate host"),
        36 if class == CLASS_IN => {
            names::decode_preference_and_name(&mut reader, "exchanger", "Key exchanger")
        }
        107 => names::decode_preference_and_name(&mut reader, "locator_name", "Locator name"),
        14 => names::decode_two_names(
            &mut reader,
            ("rmailbx", "Responsible mailbox"),
            ("emailbx", "Error mailbox"),
        ),
        17 => names::decode_two_names(
            &mut reader,
            ("mbox", "Responsible mailbox"),
            ("txt_domain", "TXT record name"),
        ),
        58 => names::decode_two_names(
            &mut reader,
            ("previous_name", "Previous name"),
            ("next_name", "Next name"),
        ),
        18 => names::decode_afsdb(&mut reader),
        26 if class == CLASS_IN => names::decode_px(&mut reader),
        6 => soa::decode_soa(&mut reader),
        16 | 99 | 56 | 258 | 261 => text_records::decode_txt(&mut reader),
        13 => text_records::decode_hinfo(&mut reader),
        19 => text_records::decode_x25(&mut reader),
        20 => text_records::decode_isdn(&mut reader),
        27 => text_records::decode_gpos(&mut reader),
        11 if class == CLASS_IN => wks::decode_wks(&mut reader),
        29 => loc::decode_loc(&mut reader),
        33 if class == CLASS_IN => srv::decode_srv(&mut reader),
        256 => uri::decode_uri(&mut reader),
        257 => caa::decode_caa(&mut reader),
        35 if class == CLASS_IN => naptr::decode_naptr(&mut reader),
        44 => thumbprints::decode_sshfp(&mut reader),
        52 | 53 => thumbprints::decode_tlsa(&mut reader),
        64 | 65 if class == CLASS_IN => svcb::decode_svcb(&mut reader),
        43 | 59 | 32768 | 32769 => dnssec::decode_ds(&mut reader),
        48 | 60 => dnssec::decode_dnskey(&mut reader),
        25 => dnssec::decode_key(&mut reader),
        46 => dnssec::decode_rrsig(&mut reader),
        24 => dnssec::decode_sig(&mut reader),
        47 => nsec::decode_nsec(&mut reader),
        50 => nsec::decode_nsec3(&mut reader),
        51 => nsec::decode_nsec3param(&mut reader),
        62 => csync::decode_csync(&mut reader),
        37 => certificates::decode_cert(&mut reader),
        61 => certificates::decode_openpgpkey(&mut reader),
        45 => gateways::decode_ipseckey(&mut reader),
        260 => gateways::decode_amtrelay(&mut reader),
        49 if class == CLASS_IN => digests::decode_dhcid(&mut reader),
        63 => digests::decode_zonemd(&mut reader),
        42 if class == CLASS_IN => apl::decode_apl(&mut reader),
        55 => hip::decode_hip(&mut reader),
        104 => ilnp::decode_64_bit(&mut reader, "node_id", "Node identifier"),
        105 => ilnp::decode_l32(&mut reader),
        106 => ilnp::decode_64_bit(&mut reader, "locator64", "Locator (64 bits)"),
        108 => eui::decode_eui(&mut reader, "eui48", "EUI-48 address", 6),
        109 => eui::decode_eui(&mut reader, "eui64", "EUI-64 address", 8),
        _ => None,
    };
    // By reference: the reader is large, and moving it costs more than the checks below.
    finish(&mut reader, presentation)
}

/// Checks for bytes left over, and falls back to the RFC 3597 form when the decoder did not
/// finish.
fn finish(
    reader: &mut RdataReader<'_, '_>,
    presentation: Option<String>,
) -> (RdataView, Option<Vec<Field>>) {
    let presentation = match presentation {
        Some(text) if !reader.failed => {
            if reader.position < reader.declared_end && reader.position < reader.available_end {
                // Count only the bytes present: a truncated message is reported by the record walk.
                let left = reader.available_end - reader.position;
                let used = reader.position - reader.start;
                let message = format!(
                    "The {} RDATA of {} has {left} byte{} left over after its last field: \
                     RDLENGTH is {}, but the fields take {used}.",
                    reader.type_name(),
                    reader.record,
                    if left == 1 { "" } else { "s" },
                    reader.declared_length(),
                );
                let position = reader.position;
                reader.report(position, left, Severity::Error, message);
                let (bytes, span) = reader.take_rest();
                reader.push_leaf(
                    "trailing",
                    "Bytes left over",
                    || super::text::upper_hex(bytes),
                    span,
                );
                None
            } else {
                Some(text)
            }
        }
        _ => None,
    };
    let bytes = reader
        .message
        .get(reader.start.min(reader.available_end)..reader.available_end)
        .unwrap_or_default();
    let presentation = presentation.unwrap_or_else(|| generic_presentation(bytes));
    if reader.fields.as_ref().is_some_and(Vec::is_empty) && !bytes.is_empty() {
        let start = reader.start;
        reader.push_leaf(
            "data",
            "Data",
            || super::text::upper_hex(bytes),
            Span::new(start, bytes.len()),
        );
    }
    (RdataView { presentation }, reader.fields.take())
}
