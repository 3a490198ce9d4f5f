//! Helpers shared by the integration tests: an in-memory scanner and
//! generators of valid identifiers (never real personal data).

#![allow(dead_code)]

use leakscan::detect::Detectors;
use leakscan::finding::{Confidence, Finding};
use leakscan::fingerprint::Fingerprinter;
use leakscan::outcome::Outcome;
use leakscan::scan::{FileScanner, ScanOptions};
use leakscan::validate::{complete_my_number, luhn_check_digit};

pub fn detectors() -> &'static Detectors {
    static D: std::sync::OnceLock<Detectors> = std::sync::OnceLock::new();
    D.get_or_init(|| Detectors::builtin().expect("built-in patterns load"))
}

pub fn fingerprinter() -> &'static Fingerprinter {
    static F: std::sync::OnceLock<Fingerprinter> = std::sync::OnceLock::new();
    F.get_or_init(|| Fingerprinter::new(b"test-key-0123456789abcdef"))
}

/// Scans `text` as if it were the file `path`.
pub fn scan_with(text: &[u8], path: &str, opts: &ScanOptions) -> (Outcome, Vec<Finding>) {
    let mut scanner = FileScanner::new(detectors(), fingerprinter(), opts);
    let r = scanner.scan_reader(&mut &text[..], path, path);
    (r.outcome, r.findings)
}

/// Findings at the default confidence.
pub fn scan(text: &str, path: &str) -> Vec<Finding> {
    scan_with(text.as_bytes(), path, &ScanOptions::default()).1
}

/// Findings at every confidence.
pub fn scan_all(text: &str, path: &str) -> Vec<Finding> {
    let opts = ScanOptions {
        min_confidence: Confidence::Low,
        ..ScanOptions::default()
    };
    scan_with(text.as_bytes(), path, &opts).1
}

/// A deterministic pseudo-random generator (splitmix64).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }

    pub fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + (self.next() % 10) as u8))
            .collect()
    }

    /// A valid My Number that is not a well-known test value.
    pub fn my_number(&mut self) -> String {
        loop {
            let n = complete_my_number(&self.digits(11));
            let first = n.as_bytes()[0];
            if !n.bytes().all(|b| b == first) && n != "123456789018" {
                return n;
            }
        }
    }

    /// A Luhn-valid Visa number of 16 digits.
    pub fn visa(&mut self) -> String {
        let payload = format!("4{}", self.digits(14));
        let c = luhn_check_digit(payload.as_bytes());
        format!("{payload}{c}")
    }
}

/// A zip of `entries` (name bytes, data), deflated.
pub fn zip_bytes(entries: &[(&[u8], &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in entries {
        let opts = zip::write::SimpleFileOptions::default();
        w.start_file(String::from_utf8_lossy(name).into_owned(), opts)
            .unwrap();
        std::io::Write::write_all(&mut w, data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A tar of `entries` (name, data).
pub fn tar_bytes(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in entries {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, name, *data).unwrap();
    }
    b.into_inner().unwrap()
}

/// `data` gzip-compressed.
pub fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut e, data).unwrap();
    e.finish().unwrap()
}
