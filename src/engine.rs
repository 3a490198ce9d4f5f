//! The parallel pipeline: the walk runs on one thread and feeds a bounded
//! channel; rayon workers, each with its own [`FileScanner`], scan files;
//! results come back to the caller's thread in walk order, so output records
//! never interleave and output is the same from run to run.
//!
//! Memory does not grow with the number of files: the channels are bounded,
//! and the reorder buffer holds only results that finished ahead of a file
//! still being scanned.

use std::collections::VecDeque;
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};

use crossbeam_channel::{bounded, TryRecvError};

use crate::detect::Detectors;
use crate::fingerprint::Fingerprinter;
use crate::scan::{error_kind, FileResult, FileScanner, Outcome, ScanOptions};
use crate::walk::{Entry, WalkOptions};

/// Everything a scan needs.
pub struct Engine<'a> {
    pub detectors: &'a Detectors,
    pub fingerprinter: &'a Fingerprinter,
    pub scan: ScanOptions,
    pub walk: WalkOptions,
    pub threads: usize,
}

/// Most results a worker holds before handing them on.
const RESULT_BATCH: usize = 64;

/// Most jobs the walker groups into one hand-off. It hands a group on
/// early whenever the workers have run out of queued work, so batching
/// costs no latency; it saves a channel operation (and often a wake-up)
/// per small file.
const JOB_BATCH: usize = 16;

struct Job {
    seq: u64,
    source: crate::walk::Source,
    display: String,
    rel: String,
}

/// The result for a file whose scan panicked: a failure, never a crash.
/// The panic's message is not kept: it could quote the file's text.
fn internal_error(job: Job) -> FileResult {
    let error =
        io::Error::other("internal error while scanning this file (a bug: please report it)");
    FileResult {
        seq: job.seq,
        path: job.display,
        outcome: Outcome::Failed {
            kind: "internal_error",
            error,
        },
        findings: vec![],
        members: vec![],
    }
}

impl Engine<'_> {
    /// Scans `roots`, handing each file's result to `sink` in walk order.
    /// Stops early (and returns the error) when `sink` fails, e.g. on a
    /// closed pipe.
    pub fn run(
        &self,
        roots: &[crate::walk::Root],
        mut sink: impl FnMut(FileResult) -> io::Result<()>,
    ) -> io::Result<()> {
        let threads = self.threads.max(1);
        let (job_tx, job_rx) = bounded::<Vec<Job>>(threads * 4);
        let (res_tx, res_rx) = bounded::<Vec<FileResult>>(256);
        let cancel = AtomicBool::new(false);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("leakscan-worker-{i}"))
            .build()
            .map_err(io::Error::other)?;

        std::thread::scope(|s| {
            let walk_res = res_tx.clone();
            let cancel_ref = &cancel;
            s.spawn(move || {
                let mut seq = 0u64;
                let mut batch: Vec<Job> = Vec::with_capacity(JOB_BATCH);
                self.walk.walk(roots, |entry| {
                    if cancel_ref.load(Ordering::Relaxed) {
                        return false;
                    }
                    let this = seq;
                    seq += 1;
                    match entry {
                        Entry::File {
                            source,
                            display,
                            rel,
                        } => {
                            batch.push(Job {
                                seq: this,
                                source,
                                display,
                                rel,
                            });
                            if batch.len() >= JOB_BATCH || job_tx.is_empty() {
                                let full =
                                    std::mem::replace(&mut batch, Vec::with_capacity(JOB_BATCH));
                                job_tx.send(full).is_ok()
                            } else {
                                true
                            }
                        }
                        Entry::Skip { display, reason } => walk_res
                            .send(vec![FileResult {
                                seq: this,
                                path: display,
                                outcome: Outcome::Skipped(reason),
                                findings: vec![],
                                members: vec![],
                            }])
                            .is_ok(),
                        Entry::Fail { display, error } => walk_res
                            .send(vec![FileResult {
                                seq: this,
                                path: display,
                                outcome: Outcome::Failed {
                                    kind: error_kind(&error),
                                    error,
                                },
                                findings: vec![],
                                members: vec![],
                            }])
                            .is_ok(),
                    }
                });
                if !batch.is_empty() {
                    let _ = job_tx.send(batch);
                }
                drop(job_tx);
            });

            let work_res = res_tx;
            let opts = &self.scan;
            let (detectors, fingerprinter) = (self.detectors, self.fingerprinter);
            s.spawn(move || {
                pool.scope(|ps| {
                    for _ in 0..threads {
                        let job_rx = job_rx.clone();
                        let res_tx = work_res.clone();
                        ps.spawn(move |_| {
                            let mut scanner = FileScanner::new(detectors, fingerprinter, opts);
                            // Results go back in batches, flushed before the
                            // worker would wait for work: one hand-off per
                            // batch instead of one wake-up per small file.
                            let mut done: Vec<FileResult> = Vec::new();
                            'work: loop {
                                let jobs = match job_rx.try_recv() {
                                    Ok(jobs) => jobs,
                                    Err(TryRecvError::Disconnected) => break,
                                    Err(TryRecvError::Empty) => {
                                        if !done.is_empty()
                                            && res_tx.send(std::mem::take(&mut done)).is_err()
                                        {
                                            break;
                                        }
                                        match job_rx.recv() {
                                            Ok(jobs) => jobs,
                                            Err(_) => break,
                                        }
                                    }
                                };
                                for job in jobs {
                                    if cancel_ref.load(Ordering::Relaxed) {
                                        break 'work;
                                    }
                                    let scanned = panic::catch_unwind(AssertUnwindSafe(|| {
                                        scanner.scan_unnamed(
                                            job.seq,
                                            &job.source,
                                            &job.display,
                                            &job.rel,
                                        )
                                    }));
                                    let r = match scanned {
                                        Ok(r) => FileResult {
                                            path: job.display,
                                            ..r
                                        },
                                        Err(_) => {
                                            // the scanner's buffers may be half-updated: start afresh
                                            scanner =
                                                FileScanner::new(detectors, fingerprinter, opts);
                                            internal_error(job)
                                        }
                                    };
                                    done.push(r);
                                    if done.len() >= RESULT_BATCH
                                        && res_tx.send(std::mem::take(&mut done)).is_err()
                                    {
                                        break 'work;
                                    }
                                }
                            }
                            if !done.is_empty() {
                                let _ = res_tx.send(done);
                            }
                        });
                    }
                });
                drop(work_res);
            });

            // Reorder results into walk order and hand them on. Slot i of
            // `pending` holds result `next + i`: results arrive nearly in
            // order, so the window spans only the files still in flight.
            let mut pending: VecDeque<Option<FileResult>> = VecDeque::new();
            let mut next = 0u64;
            let mut result = Ok(());
            for r in res_rx.iter().flatten() {
                if result.is_err() {
                    continue; // drain so the other threads can finish
                }
                let slot = (r.seq - next) as usize;
                if pending.len() <= slot {
                    pending.resize_with(slot + 1, || None);
                }
                pending[slot] = Some(r);
                while let Some(Some(r)) = pending.front_mut().map(Option::take) {
                    pending.pop_front();
                    next += 1;
                    if let Err(e) = sink(r) {
                        cancel.store(true, Ordering::Relaxed);
                        result = Err(e);
                        break;
                    }
                }
            }
            result
        })
    }
}
