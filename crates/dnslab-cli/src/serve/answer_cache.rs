//! The UDP workers' answer cache: a query seen before, byte for byte apart from its ID, gets the answer computed the first time with the new ID written in.
//!
//! `authority::answer` is a pure function of the query bytes and the zones, and the zones do not
//! change while the server runs, so two queries that differ only in their ID (the first two
//! octets) get answers that differ only in their ID. Keying on the rest of the query, bytes as
//! they are, keeps every subtlety: the question's letter case (echoed back, RFC 4343), RD, EDNS
//! presence, payload size and DO bit (which decide truncation and the OPT record), options,
//! trailing junk (FORMERR). This is the packet cache of PowerDNS Authoritative, minus expiry,
//! which unchanging zones do not need.
//!
//! Each worker has its own cache, so there is no lock. It is bounded in entries and in the size
//! of what it keeps, and it is emptied when full: a stream of all-different queries costs one
//! hash lookup each and can never make it grow. SipHash with a random key (the standard library's
//! default) keeps crafted queries from piling into one bucket.

use std::collections::HashMap;

/// Queries longer than this are answered but not cached (real queries are far shorter; the
/// bound keeps the memory a full cache holds small).
const LONGEST_CACHED_QUERY: usize = 512;
/// Answers longer than this are not cached: the largest UDP answer the authority gives.
const LONGEST_CACHED_ANSWER: usize = dnslab_core::authority::SERVER_UDP_PAYLOAD as usize;
/// The ID's place in a DNS message.
const ID_LENGTH: usize = 2;
/// A DNS header: nothing shorter is cached.
const HEADER_LENGTH: usize = 12;

/// Answers by query-without-ID.
#[derive(Debug)]
pub(crate) struct AnswerCache {
    answers: HashMap<Box<[u8]>, Box<[u8]>>,
    capacity: usize,
}

impl AnswerCache {
    /// A cache of at most `capacity` answers; 0 turns it off.
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            answers: HashMap::with_capacity(capacity.min(4096)),
            capacity,
        }
    }

    /// Appends the cached answer to `query` to `output`, with the query's ID, and says whether
    /// there was one.
    pub(crate) fn append_answer(&self, query: &[u8], output: &mut Vec<u8>) -> bool {
        let (Some(id), Some(key)) = (query.get(..ID_LENGTH), cache_key(query)) else {
            return false;
        };
        let Some(answer) = self.answers.get(key) else {
            return false;
        };
        let start = output.len();
        output.extend_from_slice(answer);
        if let Some(answer_id) = output.get_mut(start..start + ID_LENGTH) {
            answer_id.copy_from_slice(id);
        }
        true
    }

    /// Remembers `answer` as the answer to `query` (when both are small enough to keep).
    pub(crate) fn insert(&mut self, query: &[u8], answer: &[u8]) {
        if self.capacity == 0 || answer.len() > LONGEST_CACHED_ANSWER || answer.len() < ID_LENGTH {
            return;
        }
        let Some(key) = cache_key(query) else {
            return;
        };
        if self.answers.len() >= self.capacity {
            self.answers.clear();
        }
        self.answers.insert(key.into(), answer.into());
    }

    /// How many answers are kept.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.answers.len()
    }
}

/// The query without its ID, when it is a size worth caching.
fn cache_key(query: &[u8]) -> Option<&[u8]> {
    if !(HEADER_LENGTH..=LONGEST_CACHED_QUERY).contains(&query.len()) {
        return None;
    }
    query.get(ID_LENGTH..)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(id: u16, rest: &[u8]) -> Vec<u8> {
        let mut bytes = id.to_be_bytes().to_vec();
        bytes.extend_from_slice(rest);
        bytes
    }

    const REST: &[u8] = &[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 1, b'a', 0, 0, 1, 0, 1];

    #[test]
    fn a_repeated_query_gets_the_first_answer_with_its_own_id() {
        let mut cache = AnswerCache::new(8);
        let first = query(0x1111, REST);
        let answer = query(0x1111, b"\x81\x80the rest of the answer");
        cache.insert(&first, &answer);
        let mut output = b"earlier answer".to_vec();
        assert!(cache.append_answer(&query(0xABCD, REST), &mut output));
        let mut expected = b"earlier answer".to_vec();
        expected.extend_from_slice(&query(0xABCD, b"\x81\x80the rest of the answer"));
        assert_eq!(output, expected);
    }

    #[test]
    fn any_other_byte_is_another_query() {
        let mut cache = AnswerCache::new(8);
        cache.insert(&query(1, REST), &query(1, b"answer"));
        let mut other_case = REST.to_vec();
        other_case[11] = b'A';
        let mut output = Vec::new();
        assert!(!cache.append_answer(&query(1, &other_case), &mut output));
        assert!(!cache.append_answer(&query(1, &REST[..REST.len() - 1]), &mut output));
        assert!(output.is_empty());
    }

    #[test]
    fn stays_within_its_bounds_and_can_be_off() {
        let mut cache = AnswerCache::new(2);
        for last in 0..5u8 {
            let mut rest = REST.to_vec();
            rest.push(last);
            cache.insert(&query(1, &rest), &query(1, b"answer"));
            assert!(cache.len() <= 2);
        }
        let long_query = query(1, &[0u8; LONGEST_CACHED_QUERY]);
        cache.insert(&long_query, &query(1, b"answer"));
        assert!(!cache.append_answer(&long_query, &mut Vec::new()));
        let long_answer = vec![0u8; LONGEST_CACHED_ANSWER + 1];
        cache.insert(&query(1, REST), &long_answer);
        assert!(!cache.append_answer(&query(1, REST), &mut Vec::new()));
        assert!(!cache.append_answer(&[0u8; 5], &mut Vec::new()));

        let mut off = AnswerCache::new(0);
        off.insert(&query(1, REST), &query(1, b"answer"));
        assert_eq!(off.len(), 0);
    }
}
