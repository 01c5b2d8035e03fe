//! The first-visit guide: a few steps that walk through one query and its answer on the page
//! itself, each naming the link it opens (so the page shows what the step talks about).

use serde::Serialize;

/// One step of the guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GuideStep {
    /// A short title.
    pub title: &'static str,
    /// Two or three sentences.
    pub text: &'static str,
    /// The URL fragment (without `#`) the step opens, in the page contract's syntax.
    pub fragment: &'static str,
}

/// The guide, in order.
pub const GUIDE: &[GuideStep] = &[
    GuideStep {
        title: "1. A query, byte by byte",
        text: "This is the query a resolver sends to ask for the address of www.example.com: a 12-byte header, then the question. Click any field in the tree to see its bytes light up, or click a byte to find its field; the box under the bytes says what the field means.",
        fragment: "build=www.example.com/A&rd=0",
    },
    GuideStep {
        title: "2. The answer",
        text: "Press “Send to built-in zones”: a server simulated inside this page answers from its zone file. The AA flag says it is authoritative; the answer section holds a CNAME from www.example.com to example.com and the address of example.com.",
        fragment: "build=www.example.com/A&rd=0",
    },
    GuideStep {
        title: "3. Where the answer comes from",
        text: "No single server knows every name. A resolver starts at a root server, which refers it to the servers of com., which refer it to those of example.com., which answer. Each step of the ladder is one query and one response you can open.",
        fragment: "resolve=www.example.com/A",
    },
    GuideStep {
        title: "4. Change the internet",
        text: "The zones behind these servers are plain master files. Edit one (add a record, break a line) and Build and Resolve answer from your version at once; mistakes are marked at their line.",
        fragment: "zones=example.com.",
    },
    GuideStep {
        title: "5. Read your own packets",
        text: "Paste the hex of any DNS packet (Wireshark's Copy as Hex Stream, tcpdump -xx, xxd…) or open a capture file. Every byte is explained the same way, and nothing leaves your browser.",
        fragment: "decode",
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::{parse_fragment, Route};

    #[test]
    fn every_step_opens_a_link_the_page_understands() {
        assert!(GUIDE.len() >= 3);
        for step in GUIDE {
            assert!(
                !matches!(parse_fragment(step.fragment), Route::Unknown(_)),
                "{}",
                step.fragment
            );
            let sentences = step.text.matches(". ").count() + 1;
            assert!((2..=4).contains(&sentences), "{}: {sentences}", step.title);
        }
    }
}
