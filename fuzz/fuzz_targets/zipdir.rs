//! The bounded zip central-directory reader (`formats::zipdir`) on
//! arbitrary bytes as a zip file, driven as the scanner drives it: the end
//! records found (`Directory::find`), the directory walked run by run
//! (`Directory::runs`), each run shown through a `View`; then the same
//! bytes scanned as `x.zip` by `FileScanner::scan_reader`, which hands the
//! views to the `zip` crate and reads the members.
//!
//! Asserts what the reader promises: a run holds at most `RUN_ENTRIES`
//! records and `RUN_BYTES` bytes (or one record), runs follow each other
//! inside the directory, a view is as long as it says and reads zeros
//! before the directory while hidden, and the directory bytes it shows are
//! the file's.
#![no_main]

use std::io::{Cursor, Read, Seek, SeekFrom};
use std::sync::OnceLock;

use leakscan::detect::Detectors;
use leakscan::finding::Confidence;
use leakscan::fingerprint::Fingerprinter;
use leakscan::formats::zipdir::{Directory, View, RUN_BYTES, RUN_ENTRIES};
use leakscan::outcome::Outcome;
use leakscan::scan::{FileScanner, ScanOptions};
use libfuzzer_sys::fuzz_target;

fn detectors() -> &'static Detectors {
    static D: OnceLock<Detectors> = OnceLock::new();
    D.get_or_init(|| Detectors::builtin().expect("built-in patterns load"))
}

fn fingerprinter() -> &'static Fingerprinter {
    static F: OnceLock<Fingerprinter> = OnceLock::new();
    F.get_or_init(|| Fingerprinter::new(b"fuzz-key-0123456789abcdef"))
}

fuzz_target!(|data: &[u8]| {
    walk(data);
    let opts = ScanOptions {
        min_confidence: Confidence::Low,
        ..ScanOptions::default()
    };
    let mut scanner = FileScanner::new(detectors(), fingerprinter(), &opts);
    let r = scanner.scan_reader(&mut &data[..], "x.zip", "x.zip");
    for f in &r.findings {
        let raw12 = f.redacted.len() == 12 && f.redacted.bytes().all(|b| b.is_ascii_digit());
        assert!(!raw12, "a finding's redacted value is a raw 12-digit number");
    }
    match r.outcome {
        Outcome::Scanned { .. } | Outcome::Skipped(_) | Outcome::Failed { .. } => {}
    }
});

/// The directory of `data` walked run by run, each run read through its view.
fn walk(data: &[u8]) {
    let mut r = Cursor::new(data);
    let Ok(Some(dir)) = Directory::find(&mut r) else {
        return;
    };
    assert!(dir.archive_offset <= dir.start);
    let mut runs = dir.runs();
    let (mut next_from, mut walked) = (dir.start, 0u64);
    while let Some(run) = runs.next(&mut r) {
        let Ok(Ok(run)) = run else {
            continue;
        };
        assert_eq!(run.from, next_from, "runs follow each other");
        assert!(run.entries >= 1 && run.entries <= RUN_ENTRIES);
        assert!(run.len <= RUN_BYTES || run.entries == 1);
        assert!(run.from + run.len <= data.len() as u64);
        next_from = run.from + run.len;
        walked += run.entries;
        view(data, &dir, run);
    }
    assert!(next_from - dir.start <= dir.size);
    assert!(walked <= data.len() as u64 / 46);
}

/// Reads the whole view of `run`, hidden, and checks it against `data`.
fn view(data: &[u8], dir: &Directory, run: leakscan::formats::zipdir::Run) {
    let (mut v, hide) = View::new(Cursor::new(data), dir, run);
    let len = v.seek(SeekFrom::End(0)).expect("a view has an end");
    assert!(len >= dir.start + run.len + 22);
    v.seek(SeekFrom::Start(0)).unwrap();
    let mut all = Vec::new();
    v.read_to_end(&mut all).unwrap();
    assert_eq!(all.len() as u64, len);
    let cd = dir.start as usize;
    assert!(all[..cd].iter().all(|&b| b == 0), "hidden bytes read as zeros");
    let shown = &all[cd..cd + run.len as usize];
    assert_eq!(shown, &data[run.from as usize..(run.from + run.len) as usize]);
    hide.set(false);
    v.seek(SeekFrom::Start(0)).unwrap();
    let mut head = vec![0u8; cd.min(4096)];
    v.read_exact(&mut head).unwrap();
    assert_eq!(head, data[..head.len()]);
}
