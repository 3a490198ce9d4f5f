//! Detector throughput benchmarks (criterion, no plots).
//!
//! ```text
//! CARGO_TARGET_DIR=/work/target-bench \
//!   cargo bench --bench detectors -- --warm-up-time 1 --measurement-time 3
//! ```
//!
//! All inputs come from the seeded generator in `benches/corpus` (the one
//! `examples/gen_corpus` writes to disk), so runs are comparable:
//!
//! * `digits_scan/digit_heavy_4MiB`: the number tokenizer alone;
//! * `file_scanner/digit_heavy_4MiB`: the whole per-file path
//!   (`FileScanner::scan_reader`: chunked read, tokens, every detector,
//!   evidence, findings with redaction and HMAC fingerprints);
//! * `file_scanner/prose_4MiB`: the same over English/Japanese prose;
//! * `file_scanner/keyword_dense_1MiB`: one line of `password=` repeated,
//!   a credential keyword every 9 bytes (hostile input: must stay linear);
//! * `small_file/scan_reader_300B`: one 300-byte CSV with one finding, the
//!   scanner reused as an engine worker reuses it (open/stat/read syscalls
//!   and the walk are not included: `benches/compare.sh` measures those).

mod corpus;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

use leakscan::detect::Detectors;
use leakscan::digits;
use leakscan::fingerprint::Fingerprinter;
use leakscan::outcome::Outcome;
use leakscan::scan::{FileScanner, ScanOptions};

const SEED: u64 = 0x1ea6_5ca2;
const LARGE: usize = 4 << 20;

fn digits_scan(c: &mut Criterion) {
    let data = corpus::digit_heavy(SEED, LARGE);
    let mut g = c.benchmark_group("digits_scan");
    g.throughput(Throughput::Bytes(data.len() as u64));
    let mut out = Vec::new();
    g.bench_function("digit_heavy_4MiB", |b| {
        b.iter(|| {
            out.clear();
            digits::scan(black_box(&data), &mut out);
            black_box(out.len())
        })
    });
    g.finish();
}

fn file_scanner(c: &mut Criterion) {
    let detectors = Detectors::builtin().expect("built-in rules");
    let fp = Fingerprinter::new(b"bench-key-0123456789");
    let opts = ScanOptions::default();
    let mut scanner = FileScanner::new(&detectors, &fp, &opts);
    let inputs = [
        (
            "digit_heavy_4MiB",
            "export/mixed.log",
            corpus::digit_heavy(SEED, LARGE),
        ),
        ("prose_4MiB", "docs/notes.txt", corpus::prose(SEED, LARGE)),
        // hostile: one line of a credential keyword, a hit every 9 bytes
        // (each hit's regex window once took 7 s a MiB)
        (
            "keyword_dense_1MiB",
            "upload/pw.txt",
            b"password=".repeat((1 << 20) / 9),
        ),
    ];
    let mut g = c.benchmark_group("file_scanner");
    for (name, path, data) in &inputs {
        // Sanity: the input scans as text and the planted values are found.
        let r = scanner.scan_reader(&mut &data[..], path, path);
        let (outcome, findings) = (r.outcome, r.findings);
        assert!(
            matches!(outcome, Outcome::Scanned { binary: false, .. }),
            "{name}: {outcome:?}"
        );
        eprintln!(
            "file_scanner/{name}: {} bytes, {} findings",
            data.len(),
            findings.len()
        );
        g.throughput(Throughput::Bytes(data.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), data, |b, data| {
            b.iter(|| {
                let mut r = &data[..];
                let r = scanner.scan_reader(&mut r, path, path);
                let (outcome, findings) = (r.outcome, r.findings);
                black_box((outcome, findings.len()))
            })
        });
    }
    g.finish();
}

fn small_file(c: &mut Criterion) {
    let detectors = Detectors::builtin().expect("built-in rules");
    let fp = Fingerprinter::new(b"bench-key-0123456789");
    let opts = ScanOptions::default();
    let mut scanner = FileScanner::new(&detectors, &fp, &opts);
    let data = corpus::small_300(SEED);
    assert_eq!(data.len(), 300);
    let path = "exports/d000/customers.csv";
    let r = scanner.scan_reader(&mut &data[..], path, path);
    let findings = r.findings;
    eprintln!("small_file/scan_reader_300B: {} findings", findings.len());
    let mut g = c.benchmark_group("small_file");
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.bench_function("scan_reader_300B", |b| {
        b.iter(|| {
            let mut r = &data[..];
            let r = scanner.scan_reader(&mut r, path, path);
            let (outcome, findings) = (r.outcome, r.findings);
            black_box((outcome, findings.len()))
        })
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30)
}

criterion_group! {
    name = benches;
    config = config();
    targets = digits_scan, file_scanner, small_file
}
criterion_main!(benches);
