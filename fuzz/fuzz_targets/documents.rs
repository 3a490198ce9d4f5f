//! The document and container readers added for real producers' files,
//! through the library's entry point (`FileScanner::scan_reader`), one
//! reader at a time: 7z, SQL dumps, SQLite, HTML, Markdown, RTF, ODF text
//! and slides, tar and the stream decompressors (xz, zstd, bzip2).
//!
//! The first byte picks the file's name, and with it the reader the sniff
//! table hands the rest to; the rest is the file. Legacy Office files are
//! read by a child process in the binary: here (the library without a
//! helper executable) they are gaps, and `legacy_office` fuzzes their
//! readers in-process.
#![no_main]

use std::sync::OnceLock;

use leakscan::detect::Detectors;
use leakscan::finding::Confidence;
use leakscan::fingerprint::Fingerprinter;
use leakscan::outcome::Outcome;
use leakscan::scan::{FileScanner, ScanOptions};
use libfuzzer_sys::fuzz_target;

/// The names, in the order `make-corpus.py` numbers them.
const NAMES: &[&str] = &[
    "x.7z", "x.sql", "x.sqlite", "x.html", "x.md", "x.rtf", "x.odt", "x.odp", "x.tar", "x.xz",
    "x.zst", "x.bz2",
];

fn detectors() -> &'static Detectors {
    static D: OnceLock<Detectors> = OnceLock::new();
    D.get_or_init(|| Detectors::builtin().expect("built-in patterns load"))
}

fn fingerprinter() -> &'static Fingerprinter {
    static F: OnceLock<Fingerprinter> = OnceLock::new();
    F.get_or_init(|| Fingerprinter::new(b"fuzz-key-0123456789abcdef"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let name = NAMES[pick as usize % NAMES.len()];
    let opts = ScanOptions {
        min_confidence: Confidence::Low,
        ..ScanOptions::default()
    };
    let mut scanner = FileScanner::new(detectors(), fingerprinter(), &opts);
    let r = scanner.scan_reader(&mut &body[..], name, name);

    for f in &r.findings {
        let raw12 = f.redacted.len() == 12 && f.redacted.bytes().all(|b| b.is_ascii_digit());
        assert!(!raw12, "a finding's redacted value is a raw 12-digit number");
    }
    match r.outcome {
        Outcome::Scanned { .. } | Outcome::Skipped(_) | Outcome::Failed { .. } => {}
    }
});
