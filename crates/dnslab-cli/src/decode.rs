//! `dnslab decode`: finds the DNS messages in files or standard input and prints them like dig, or
//! as RFC 8427 JSON Lines.
//!
//! The pipeline is dnslab-core's, end to end: `input::extract_dns` (text pastes in any format,
//! pcap and pcapng files, link and transport layers) → `dissect::dissect` → `present`. This file
//! only reads the bytes, chooses the output form and computes the exit status.

use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use dnslab_core::dissect::{dissect, Diagnostic, Severity};
use dnslab_core::input::{extract_dns, ExtractOptions};
use dnslab_core::page::{input_info, origin_line, place_words};
use dnslab_core::present::{dig_text, Rfc8427};

/// Exit status when every message decoded without an error diagnostic.
pub const EXIT_CLEAN: u8 = 0;
/// Exit status when some message has a diagnostic of severity error (the output is still
/// printed in full).
pub const EXIT_MALFORMED: u8 = 1;
/// Exit status when an input held no DNS message at all (or could not be read); it wins over
/// [`EXIT_MALFORMED`] because part of what was asked for is missing from the output.
pub const EXIT_NO_DNS: u8 = 2;

/// Arguments of `dnslab decode`.
#[derive(Debug, Args)]
pub struct DecodeArguments {
    /// Files to decode: pcap or pcapng captures, or text (hex, base64, hex dumps, tcpdump, tshark,
    /// xxd, C/Go literals...). `-` or nothing reads standard input.
    pub files: Vec<PathBuf>,
    /// Print one RFC 8427 JSON object per DNS message per line (JSON Lines), in capture order.
    #[arg(long)]
    pub json: bool,
    /// The DNS message starts at this byte offset of each frame (skips link, IP and transport
    /// headers the detector would otherwise look for).
    #[arg(long, value_name = "N")]
    pub offset: Option<usize>,
}

/// Runs `dnslab decode`; returns the exit status (see the `EXIT_` constants).
pub fn run(arguments: &DecodeArguments) -> anyhow::Result<u8> {
    let standard_input_only = [PathBuf::from("-")];
    let sources = if arguments.files.is_empty() {
        &standard_input_only[..]
    } else {
        &arguments.files[..]
    };
    let options = ExtractOptions {
        forced_offset: arguments.offset,
        ..ExtractOptions::default()
    };
    let name_sources = sources.len() > 1;
    let standard_output = io::stdout();
    let mut output = BufWriter::new(standard_output.lock());
    let mut exit_status = EXIT_CLEAN;
    let mut messages_printed = 0usize;
    for source in sources {
        let label = source_label(source);
        let bytes = match read_source(source) {
            Ok(bytes) => bytes,
            Err(error) => {
                output.flush()?;
                eprintln!("dnslab: {error:#}");
                exit_status = exit_status.max(EXIT_NO_DNS);
                continue;
            }
        };
        let extraction = match extract_dns(&bytes, &options) {
            Ok(extraction) => extraction,
            Err(error) => {
                output.flush()?;
                eprintln!("dnslab: {label}: no DNS message found: {error}");
                exit_status = exit_status.max(EXIT_NO_DNS);
                continue;
            }
        };
        if extraction.messages.is_empty() {
            output.flush()?;
            eprintln!("dnslab: {label}: no DNS message found");
            exit_status = exit_status.max(EXIT_NO_DNS);
            continue;
        }
        for note in &extraction.notes {
            eprintln!("dnslab: {label}: {note}");
        }
        let shown_label = name_sources.then_some(label.as_str());
        for message in &extraction.messages {
            let dissection = dissect(&message.dns);
            if dissection.has_errors() {
                exit_status = exit_status.max(EXIT_MALFORMED);
            }
            if arguments.json {
                let info = input_info(&extraction, message, shown_label);
                let object = Rfc8427::new(&dissection, &message.dns, Some(&info));
                serde_json::to_writer(&mut output, &object).context("writing JSON")?;
                output.write_all(b"\n")?;
            } else {
                if messages_printed > 0 {
                    output.write_all(b"\n")?;
                }
                writeln!(
                    output,
                    ";; {}",
                    origin_line(&extraction, message, shown_label)
                )?;
                let text = dig_text(&dissection, &message.dns);
                writeln!(output, "{}", text.trim_end())?;
                for diagnostic in &dissection.diagnostics {
                    writeln!(output, "{}", diagnostic_line(diagnostic))?;
                }
            }
            messages_printed += 1;
        }
    }
    output.flush()?;
    Ok(exit_status)
}

/// How a source is named in messages: its path, or `standard input`.
fn source_label(source: &Path) -> String {
    if source.as_os_str() == "-" {
        "standard input".to_owned()
    } else {
        source.display().to_string()
    }
}

/// All the bytes of a file, or of standard input for `-`.
fn read_source(source: &Path) -> anyhow::Result<Vec<u8>> {
    if source.as_os_str() == "-" {
        let mut bytes = Vec::new();
        io::stdin()
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
        Ok(bytes)
    } else {
        std::fs::read(source).with_context(|| format!("reading {}", source.display()))
    }
}

/// `;; ERROR at byte 12: ...`, in dig's comment style.
fn diagnostic_line(diagnostic: &Diagnostic) -> String {
    let severity = match diagnostic.severity {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Info => "NOTE",
    };
    let place = place_words(diagnostic.offset, diagnostic.length);
    format!(";; {severity} at {place}: {}", diagnostic.message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostic_lines_name_the_bytes() {
        let diagnostic = Diagnostic {
            offset: 12,
            length: 0,
            severity: Severity::Error,
            message: "The message ends here.".to_owned(),
        };
        assert_eq!(
            diagnostic_line(&diagnostic),
            ";; ERROR at byte 12: The message ends here."
        );
        let diagnostic = Diagnostic {
            offset: 40,
            length: 4,
            severity: Severity::Warning,
            message: "TTL.".to_owned(),
        };
        assert_eq!(
            diagnostic_line(&diagnostic),
            ";; WARNING at bytes 40-43: TTL."
        );
    }
}
