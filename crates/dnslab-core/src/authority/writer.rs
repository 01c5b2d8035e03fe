//! Writes a response section by section into a size limit, the way Knot DNS does: an RRset either fits whole or is left out.
//!
//! Every RRset is encoded by hickory-proto (with name compression) straight into the message
//! buffer; when it does not fit, the buffer and hickory's compression table are rolled back to
//! where the RRset started. Whether that sets the TC bit depends on the caller: RFC 2181 section
//! 9 says to set TC only when required data is missing (the answer, the referral's NS records,
//! glue that is the only way to reach a child zone), not when optional data (the SOA of a negative
//! answer, additional addresses) is left out. Space for the OPT record is reserved from the start,
//! so it always fits.

use hickory_proto::op::{Edns, Query};
use hickory_proto::rr::{DNSClass, Name, Record};
use hickory_proto::serialize::binary::{BinEncodable, BinEncoder};

use super::request::HEADER_LENGTH;
use crate::zone::RRset;

/// The three record sections of a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    Answer = 0,
    Authority = 1,
    Additional = 2,
}

/// The RRset did not fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NoSpace;

/// Whether leaving an RRset out must set TC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IfTooBig {
    /// Required data: set TC.
    Truncate,
    /// Optional data: leave it out quietly.
    Omit,
}

/// A response being written.
pub(crate) struct ResponseWriter<'b> {
    encoder: BinEncoder<'b>,
    /// The largest message allowed, less the OPT record's reserved space.
    limit: usize,
    counts: [u16; 3],
    truncated: bool,
}

/// The OPT record with no options: root name (1), type (2), class (2), TTL (4), RDLENGTH (2).
pub(crate) const OPT_LENGTH_WITHOUT_OPTIONS: usize = 11;

impl<'b> ResponseWriter<'b> {
    /// Starts a response: a placeholder header, then the question (when there is one).
    /// `maximum_size` includes everything; `reserve` octets are kept free for the OPT record.
    pub fn new(
        buffer: &'b mut Vec<u8>,
        question: Option<&Query>,
        maximum_size: usize,
        reserve: usize,
    ) -> Self {
        let mut encoder = BinEncoder::new(buffer);
        let _ = encoder.emit_vec(&[0; HEADER_LENGTH]);
        if let Some(question) = question {
            // The question always fits: it came in a message of at most 65535 octets and the
            // limit is at least 512; were it not so, the response just ends without it.
            let _ = question.emit(&mut encoder);
        }
        Self {
            encoder,
            limit: maximum_size.saturating_sub(reserve),
            counts: [0; 3],
            truncated: false,
        }
    }

    /// Writes a whole RRset with `owner` as owner name (the question's name, a wildcard expansion,
    /// or the zone's own name) and the given TTL.
    pub fn put_rrset(
        &mut self,
        section: Section,
        owner: &Name,
        rrset: &RRset,
        ttl: u32,
        if_too_big: IfTooBig,
    ) -> Result<(), NoSpace> {
        self.put_records(section, owner, rrset.records(), ttl, if_too_big)
    }

    /// Writes records as one unit: all or none.
    pub fn put_records(
        &mut self,
        section: Section,
        owner: &Name,
        records: &[Record],
        ttl: u32,
        if_too_big: IfTooBig,
    ) -> Result<(), NoSpace> {
        let start = self.encoder.offset();
        let written = records
            .iter()
            .try_for_each(|record| emit_record(&mut self.encoder, owner, record, ttl));
        let count = u16::try_from(records.len()).ok();
        let section_count = &mut self.counts[section as usize];
        let new_count = count.and_then(|count| section_count.checked_add(count));
        match (written, new_count) {
            (Ok(()), Some(new_count)) if self.encoder.offset() <= self.limit => {
                *section_count = new_count;
                Ok(())
            }
            _ => {
                self.encoder.set_offset(start);
                self.encoder.trim();
                if if_too_big == IfTooBig::Truncate {
                    self.truncated = true;
                }
                Err(NoSpace)
            }
        }
    }

    /// How many records a section holds so far.
    pub fn count(&self, section: Section) -> u16 {
        self.counts[section as usize]
    }

    /// True once required data had to be left out.
    pub fn is_truncated(&self) -> bool {
        self.truncated
    }

    /// Appends the OPT record (in the reserved space) and fills in the header.
    ///
    /// `header` is the response's first 12 octets except the counts; `edns` the OPT to send.
    pub fn finish(mut self, mut header: [u8; HEADER_LENGTH], edns: Option<&Edns>) {
        if let Some(edns) = edns {
            let start = self.encoder.offset();
            if edns.emit(&mut self.encoder).is_ok() {
                self.counts[Section::Additional as usize] =
                    self.counts[Section::Additional as usize].saturating_add(1);
            } else {
                self.encoder.set_offset(start);
                self.encoder.trim();
            }
        }
        if self.truncated {
            header[2] |= 0x02;
        }
        header[6..8].copy_from_slice(&self.counts[0].to_be_bytes());
        header[8..10].copy_from_slice(&self.counts[1].to_be_bytes());
        header[10..12].copy_from_slice(&self.counts[2].to_be_bytes());
        // The question count is already in the header the caller built.
        let end = self.encoder.offset();
        self.encoder.set_offset(0);
        let _ = self.encoder.emit_vec(&header);
        self.encoder.set_offset(end);
    }
}

/// Emits one record the way `Record::emit` does, but with a chosen owner name and TTL, so the
/// zone's records never need cloning.
fn emit_record(
    encoder: &mut BinEncoder<'_>,
    owner: &Name,
    record: &Record,
    ttl: u32,
) -> Result<(), ()> {
    owner.emit(encoder).map_err(drop)?;
    record.record_type().emit(encoder).map_err(drop)?;
    DNSClass::IN.emit(encoder).map_err(drop)?;
    encoder.emit_u32(ttl).map_err(drop)?;
    let place = encoder.place::<u16>().map_err(drop)?;
    record.data.emit(encoder).map_err(drop)?;
    let length = u16::try_from(encoder.len_since_place(&place)).map_err(drop)?;
    place.replace(encoder, length).map_err(drop)
}
