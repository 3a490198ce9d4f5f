//! Writes a reproducible, synthetic, digit-heavy corpus for benchmarking.
//!
//! ```text
//! cargo run --release --example gen_corpus -- OUT_DIR [--size-mb N] [--files N] [--seed N]
//! ```
//!
//! Layout (OUT_DIR must not exist or be empty):
//!
//! * `OUT_DIR/large/`: about `--size-mb` MiB (default 1024) of CSV exports,
//!   application logs and JSON Lines: two 64 MiB files when the size allows
//!   (one log, one CSV), the rest in 16 MiB files of each kind in turn;
//! * `OUT_DIR/small/dNNN/`: `--files` small files (default 20000) of a few
//!   hundred bytes each (CSV, log, JSON, TOML), 1000 a directory.
//!
//! The same seed always gives the same bytes. Files are written by two
//! threads, each file from its own seeded stream, so the output does not
//! depend on scheduling. No real personal data: see `benches/corpus`.

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use corpus::{Kind, TextGen};

const MIB: u64 = 1 << 20;
const BIG: u64 = 64 * MIB;
const MEDIUM: u64 = 16 * MIB;
const SMALL_PER_DIR: usize = 1000;

struct Args {
    out: PathBuf,
    size_mb: u64,
    files: usize,
    seed: u64,
}

fn usage() -> String {
    "usage: gen_corpus OUT_DIR [--size-mb N] [--files N] [--seed N]".to_string()
}

fn parse_args() -> Result<Args, String> {
    let mut out = None;
    let mut size_mb = 1024;
    let mut files = 20_000;
    let mut seed = 42;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| -> Result<u64, String> {
            it.next()
                .ok_or_else(|| format!("{name} needs a value\n{}", usage()))?
                .parse()
                .map_err(|e| format!("{name}: {e}"))
        };
        match a.as_str() {
            "--size-mb" => size_mb = value("--size-mb")?,
            "--files" => files = value("--files")? as usize,
            "--seed" => seed = value("--seed")?,
            "-h" | "--help" => return Err(usage()),
            s if s.starts_with('-') => return Err(format!("unknown option {s}\n{}", usage())),
            s if out.is_none() => out = Some(PathBuf::from(s)),
            s => return Err(format!("unexpected argument {s}\n{}", usage())),
        }
    }
    let out = out.ok_or_else(usage)?;
    Ok(Args {
        out,
        size_mb,
        files,
        seed,
    })
}

/// One file to write.
enum Job {
    Large {
        path: PathBuf,
        kind: Kind,
        bytes: u64,
        seed: u64,
    },
    Small {
        path: PathBuf,
        seed: u64,
    },
}

/// The large files for `total` bytes: 2 × 64 MiB when there is room for
/// them and more, then 16 MiB files (the last one smaller).
fn plan_large(dir: &Path, total: u64, seed: u64) -> Vec<Job> {
    let mut jobs = Vec::new();
    let mut left = total;
    let mut n = 0u64;
    let mut push = |bytes: u64, kind: Kind, jobs: &mut Vec<Job>| {
        let name = match kind {
            Kind::Csv => format!("export_{n:04}.{}", kind.ext()),
            Kind::Log => format!("app_{n:04}.{}", kind.ext()),
            Kind::Jsonl => format!("events_{n:04}.{}", kind.ext()),
        };
        jobs.push(Job::Large {
            path: dir.join(name),
            kind,
            bytes,
            seed: corpus::Rng::derive(seed, n).next_u64(),
        });
        n += 1;
    };
    if total >= 4 * BIG {
        push(BIG, Kind::Log, &mut jobs);
        push(BIG, Kind::Csv, &mut jobs);
        left -= 2 * BIG;
    }
    let kinds = [Kind::Csv, Kind::Log, Kind::Jsonl];
    let mut i = 0;
    while left > 0 {
        let bytes = left.min(MEDIUM);
        push(bytes, kinds[i % 3], &mut jobs);
        left -= bytes;
        i += 1;
    }
    jobs
}

fn write_large(path: &Path, kind: Kind, bytes: u64, seed: u64) -> std::io::Result<u64> {
    let mut f = BufWriter::with_capacity(1 << 20, fs::File::create(path)?);
    let mut gen = TextGen::new(kind, seed);
    let mut buf = Vec::with_capacity((MIB + 4096) as usize);
    let mut written = 0u64;
    while written < bytes {
        buf.clear();
        let want = (bytes - written).min(MIB) as usize;
        gen.fill(&mut buf, want);
        f.write_all(&buf)?;
        written += buf.len() as u64;
    }
    f.flush()?;
    Ok(written)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if args.out.exists()
        && fs::read_dir(&args.out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        eprintln!(
            "gen_corpus: {} exists and is not an empty directory",
            args.out.display()
        );
        return ExitCode::from(2);
    }
    let started = Instant::now();
    let large_dir = args.out.join("large");
    let small_dir = args.out.join("small");
    let small_bytes_estimate = args.files as u64 * 350;
    let large_total = (args.size_mb * MIB).saturating_sub(small_bytes_estimate);

    let mut jobs = plan_large(&large_dir, large_total, args.seed);
    let small_seed = corpus::Rng::derive(args.seed, u64::MAX).next_u64();
    for i in 0..args.files {
        jobs.push(Job::Small {
            path: small_dir
                .join(format!("d{:03}", i / SMALL_PER_DIR))
                .join(format!("f{i:05}")),
            seed: corpus::Rng::derive(small_seed, i as u64).next_u64(),
        });
    }
    let mut dirs = vec![large_dir.clone()];
    for d in 0..args.files.div_ceil(SMALL_PER_DIR) {
        dirs.push(small_dir.join(format!("d{d:03}")));
    }
    for d in &dirs {
        if let Err(e) = fs::create_dir_all(d) {
            eprintln!("gen_corpus: cannot create {}: {e}", d.display());
            return ExitCode::from(1);
        }
    }

    let next = AtomicUsize::new(0);
    let large_written = std::sync::atomic::AtomicU64::new(0);
    let small_written = std::sync::atomic::AtomicU64::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8);
    let failed = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| -> Result<(), String> {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else {
                            return Ok(());
                        };
                        match job {
                            Job::Large {
                                path,
                                kind,
                                bytes,
                                seed,
                            } => {
                                let n = write_large(path, *kind, *bytes, *seed)
                                    .map_err(|e| format!("{}: {e}", path.display()))?;
                                large_written.fetch_add(n, Ordering::Relaxed);
                            }
                            Job::Small { path, seed } => {
                                let (ext, data) = corpus::small_file(*seed);
                                let path = path.with_extension(ext);
                                fs::write(&path, &data)
                                    .map_err(|e| format!("{}: {e}", path.display()))?;
                                small_written.fetch_add(data.len() as u64, Ordering::Relaxed);
                            }
                        }
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .filter_map(|h| h.join().expect("writer thread").err())
            .collect::<Vec<_>>()
    });
    if !failed.is_empty() {
        for e in failed {
            eprintln!("gen_corpus: {e}");
        }
        return ExitCode::from(1);
    }
    let large = large_written.load(Ordering::Relaxed);
    let small = small_written.load(Ordering::Relaxed);
    let large_files = jobs
        .iter()
        .filter(|j| matches!(j, Job::Large { .. }))
        .count();
    println!(
        "gen_corpus: seed {}: {} large files, {:.1} MiB in {}; {} small files, {:.1} KiB in {}; {:.1} s",
        args.seed,
        large_files,
        large as f64 / MIB as f64,
        large_dir.display(),
        args.files,
        small as f64 / 1024.0,
        small_dir.display(),
        started.elapsed().as_secs_f64(),
    );
    ExitCode::SUCCESS
}
