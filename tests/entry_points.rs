//! Every public way into the scanner reads archives, documents and mail
//! the same way, and no file can change how the next one is read.
//!
//! Regression tests for two bugs of the old middle layer: after an I/O
//! error while reading a mail (or a zip from a stream), a worker's nesting
//! depth stayed one level too deep, so it missed a key in a triple-gzip
//! file it had found before; and `FileScanner::scan_reader` skipped the
//! per-file set-up, so every archive scanned through it gave no findings.

mod common;

use std::io::{self, Read};
use std::time::Duration;

use assert_cmd::Command;
use common::{detectors, fingerprinter, gz, tar_bytes, zip_bytes, Rng};
use leakscan::engine::Engine;
use leakscan::finding::{Confidence, Finding};
use leakscan::inputs::fs::{FileSource, FsWalk, WalkOptions};
use leakscan::outcome::Outcome;
use leakscan::scan::{FileScanner, ScanOptions};

fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let named: Vec<(&[u8], &[u8])> = entries.iter().map(|(n, d)| (n.as_bytes(), *d)).collect();
    zip_bytes(&named)
}

/// A reader that gives `head` and then fails, as a disk or a pipe can.
struct FailsAfter {
    head: io::Cursor<Vec<u8>>,
}

impl Read for FailsAfter {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.head.read(buf)? {
            0 => Err(io::Error::other("device error")),
            n => Ok(n),
        }
    }
}

fn staff_csv(rng: &mut Rng) -> Vec<u8> {
    format!("name,個人番号\nTanaka,{}\n", rng.my_number()).into_bytes()
}

/// (rule, member, line, cell) of each finding, sorted.
fn keys(findings: &[Finding]) -> Vec<(String, Option<String>, Option<u64>)> {
    let mut k: Vec<_> = findings
        .iter()
        .map(|f| (f.rule.id.clone(), f.provenance.member(), f.line))
        .collect();
    k.sort();
    k
}

fn low() -> ScanOptions {
    ScanOptions {
        min_confidence: Confidence::Low,
        ..ScanOptions::default()
    }
}

#[test]
fn depth_is_the_same_after_an_io_error_in_a_mail_or_a_streamed_zip() {
    let mut rng = Rng(11);
    let key = format!("AWS_ACCESS_KEY_ID=AKIA{}\n", "QX7RZ2M4K9T3B6WD");
    // three levels of gzip: the limit of nesting is 3
    let triple = gz(&gz(&gz(key.as_bytes())));
    let opts = low();
    let mut scanner = FileScanner::new(detectors(), fingerprinter(), &opts);
    let first = scanner.scan_reader(&mut &triple[..], "deep.gz.gz.gz", "deep.gz.gz.gz");
    assert_eq!(first.findings.len(), 1, "{:?}", first.members);

    // a mail whose body cannot be read, then a zip from a stream that
    // cannot: each fails, and must leave nothing behind
    // (longer than the head the scanner reads first, so that the error
    // comes while the mail is being read, after it was recognised)
    let mut mail = b"From: a@example.com\nSubject: staff\nContent-Type: text/plain\n\n".to_vec();
    mail.extend(b"body line\n".repeat(3000));
    let r = scanner.scan_reader(
        &mut FailsAfter {
            head: io::Cursor::new(mail),
        },
        "x.eml",
        "x.eml",
    );
    assert!(
        matches!(r.outcome, Outcome::Failed { .. }),
        "{:?}",
        r.outcome
    );
    let noise: Vec<u8> = (0..4000).flat_map(|_| rng.next().to_le_bytes()).collect();
    let z = zip(&[("noise.bin", &noise), ("staff.csv", &staff_csv(&mut rng))]);
    let r = scanner.scan_reader(
        &mut FailsAfter {
            head: io::Cursor::new(z[..z.len() / 2].to_vec()),
        },
        "-",
        "-",
    );
    assert!(
        matches!(r.outcome, Outcome::Failed { .. }),
        "{:?}",
        r.outcome
    );

    let again = scanner.scan_reader(&mut &triple[..], "deep.gz.gz.gz", "deep.gz.gz.gz");
    assert_eq!(keys(&again.findings), keys(&first.findings));
    assert!(again.members.is_empty(), "{:?}", again.members);
}

#[test]
fn an_archive_gives_the_same_findings_through_every_entry_point() {
    let mut rng = Rng(12);
    let csv = staff_csv(&mut rng);
    let inner = zip(&[("hr/staff.csv", &csv)]);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "backup.zip",
            zip(&[("hr/staff.csv", &csv), ("inner.zip", &inner)]),
        ),
        (
            "site.tar.gz",
            gz(&tar_bytes(&[("hr/staff.csv", &csv), ("inner.zip", &inner)])),
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let opts = low();
    for (name, data) in &cases {
        let path = dir.path().join(name);
        std::fs::write(&path, data).unwrap();

        // 1. any reader
        let mut scanner = FileScanner::new(detectors(), fingerprinter(), &opts);
        let by_reader = scanner.scan_reader(&mut &data[..], name, name);
        assert!(matches!(by_reader.outcome, Outcome::Scanned { .. }));
        let expected = keys(&by_reader.findings);
        assert_eq!(expected.len(), 2, "{name}: {expected:?}");
        assert!(expected
            .iter()
            .any(|k| k.1.as_deref() == Some("inner.zip!/hr/staff.csv")));

        // 2. a source, as a worker scans it
        let by_source = scanner.scan(0, &FileSource::named(&path), name, name);
        assert_eq!(keys(&by_source.findings), expected, "{name}");

        // 3. the engine over an enumerator
        let engine = Engine {
            detectors: detectors(),
            fingerprinter: fingerprinter(),
            scan: low(),
            threads: 2,
        };
        let walk = FsWalk {
            roots: vec![path.clone()].into(),
            list: None,
            options: WalkOptions::default(),
        };
        let mut by_engine = Vec::new();
        engine
            .run(&walk, |r| {
                by_engine.extend(r.findings);
                Ok(())
            })
            .unwrap();
        assert_eq!(keys(&by_engine), expected, "{name}");

        // 4. the command line, from the file and from stdin
        for stdin in [false, true] {
            let mut cmd = Command::cargo_bin("leakscan").unwrap();
            cmd.env("LEAKSCAN_FINGERPRINT_KEY", "entry-points-test-key-0123")
                .timeout(Duration::from_secs(60))
                .args([
                    "scan",
                    "--no-config",
                    "--format",
                    "jsonl",
                    "--min-confidence",
                    "low",
                ]);
            if stdin {
                cmd.arg("-").write_stdin(data.clone());
            } else {
                cmd.arg(&path);
            }
            let out = cmd.output().unwrap();
            assert_eq!(out.status.code(), Some(1), "{name} stdin={stdin}");
            let members: Vec<String> = String::from_utf8(out.stdout)
                .unwrap()
                .lines()
                .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
                .filter(|r| r["type"] == "finding")
                .map(|r| r["member"].as_str().unwrap().to_string())
                .collect();
            let mut want: Vec<String> = expected.iter().map(|k| k.1.clone().unwrap()).collect();
            want.sort();
            let mut got = members;
            got.sort();
            assert_eq!(got, want, "{name} stdin={stdin}");
        }
    }
}
