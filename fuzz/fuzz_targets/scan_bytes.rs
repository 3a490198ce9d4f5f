//! Arbitrary bytes scanned as one file through the library's entry point,
//! `FileScanner::scan_reader`: the sniff table, every format reader, the
//! decoders, the detectors, redaction and fingerprints.
//!
//! The first byte picks the file's name, so name-dependent paths (`.csv`
//! headers, `.eml`, `.gz`, `.xlsx`, ...) are reached; the rest is the file.
#![no_main]

use std::sync::OnceLock;

use leakscan::detect::Detectors;
use leakscan::finding::Confidence;
use leakscan::fingerprint::Fingerprinter;
use leakscan::outcome::Outcome;
use leakscan::scan::{FileScanner, ScanOptions};
use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "x.txt", "x.csv", "x.json", "x.zip", "x.eml", "x.pdf", "x.xlsx", "x.gz",
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
        // every confidence, so low-confidence candidates are redacted too;
        // a small window now and then, so window edges are crossed
        min_confidence: Confidence::Low,
        chunk_size: if pick & 0x80 != 0 {
            64
        } else {
            ScanOptions::default().chunk_size
        },
        ..ScanOptions::default()
    };
    let mut scanner = FileScanner::new(detectors(), fingerprinter(), &opts);
    let r = scanner.scan_reader(&mut &body[..], name, name);

    for f in &r.findings {
        let raw12 = f.redacted.len() == 12 && f.redacted.bytes().all(|b| b.is_ascii_digit());
        assert!(
            !raw12,
            "a finding's redacted value is a raw 12-digit number"
        );
    }
    match r.outcome {
        Outcome::Scanned { .. } | Outcome::Skipped(_) | Outcome::Failed { .. } => {}
    }
});
