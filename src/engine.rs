//! The parallel pipeline: the walk runs on one thread and feeds a bounded
//! job queue; rayon workers, each with its own [`FileScanner`], take files
//! from it one at a time; results come back to the caller's thread in walk
//! order, so output records never interleave and output is the same from run
//! to run.
//!
//! Memory does not grow with the number of files: the queue and the result
//! channel are bounded, and the reorder buffer holds only results that
//! finished ahead of a file still being scanned; behind a slow file (a huge
//! one, a stdin left open) the walk waits once it is 16k files ahead.
//!
//! A run can be stopped from outside (a signal handler sets a flag, see
//! [`Engine::run_until`]): the walk and the workers stop taking files, the
//! files being scanned are finished, and what was found is handed on.

use std::collections::VecDeque;
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crossbeam_channel::{bounded, RecvTimeoutError};

use crate::detect::Detectors;
use crate::fingerprint::Fingerprinter;
use crate::inputs::{Entry, Enumerator, Source};
use crate::outcome::{FailureKind, Outcome};
use crate::scan::{FileResult, FileScanner, ScanOptions};

/// Everything a scan needs.
pub struct Engine<'a> {
    /// The detectors every worker runs.
    pub detectors: &'a Detectors,
    /// Keys the fingerprints.
    pub fingerprinter: &'a Fingerprinter,
    /// What the user asked of every file.
    pub scan: ScanOptions,
    /// Worker threads (at least 1).
    pub threads: usize,
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// Every file listed was handed to the sink.
    Complete,
    /// The stop flag was set before the run returned: the files not taken
    /// by then were never scanned nor handed on, so the results may be
    /// incomplete.
    Interrupted,
}

/// How often the caller's thread looks at the stop flag while it waits for
/// results.
const STOP_POLL: Duration = Duration::from_millis(50);

/// Most results a worker holds before handing them on.
const RESULT_BATCH: usize = 64;

/// Most jobs the walker adds to the queue at once. It adds them early
/// whenever a worker is waiting, so grouping costs no latency; it saves a
/// lock per small file.
const JOB_BATCH: usize = 16;

/// Findings (and other records) handed on by the workers but not yet
/// written, past which a worker waits before it takes another file: when
/// the report is slower to write than files are to scan (a tree of files
/// with thousands of findings each), memory stays bounded (500 to 1,100
/// bytes a finding, so about 18 MB at most here, plus what each worker
/// holds of its file: [`crate::scan::MAX_LISTED`]) instead of holding the
/// scan's findings.
const MAX_IN_FLIGHT: usize = 1 << 14;

/// Records held by a worker's batch past which it is handed on early.
const BATCH_WEIGHT: usize = 4096;

/// What a result weighs against [`MAX_IN_FLIGHT`]: its records.
fn weight(r: &FileResult) -> usize {
    1 + r.findings.len() + r.unlisted.len() + r.members.len()
}

/// Jobs queued per worker thread.
const QUEUED_PER_THREAD: usize = 64;

/// Most files the walk may run ahead of the first file whose result is not
/// out yet. Results that finish ahead of a slow file wait in the reorder
/// buffer; without a bound, one big file (or a stdin that stays open) would
/// let it grow with the number of files behind it.
const REORDER_LIMIT: u64 = 16 * 1024;

struct Job {
    seq: u64,
    source: Box<dyn Source>,
    display: String,
    rel: String,
}

/// Files waiting for a worker. The walker adds them in groups; a worker
/// takes one at a time, so the last big files of a tree are spread over the
/// workers instead of waiting behind each other in one worker's group.
struct JobQueue {
    state: Mutex<Queued>,
    /// Signalled when jobs arrive, the walk ends or the scan is cancelled.
    ready: Condvar,
    /// Signalled when the queue has room again, or the scan is cancelled.
    room: Condvar,
    capacity: usize,
    /// Workers waiting for jobs; changed under the lock, read without it by
    /// the walker.
    idle: AtomicUsize,
    /// Set once: the walker and the workers stop. Read without the lock,
    /// once per file.
    cancelled: AtomicBool,
}

#[derive(Default)]
struct Queued {
    jobs: VecDeque<Job>,
    /// The walk is over: no more jobs will come.
    closed: bool,
    walker_waiting: bool,
}

impl JobQueue {
    fn new(capacity: usize) -> JobQueue {
        JobQueue {
            state: Mutex::new(Queued::default()),
            ready: Condvar::new(),
            room: Condvar::new(),
            capacity,
            idle: AtomicUsize::new(0),
            cancelled: AtomicBool::new(false),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Queued> {
        // no code panics while holding the lock; recover anyway
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds `jobs` (emptying it), waiting while the queue is full. False if
    /// the scan was cancelled.
    fn push(&self, jobs: &mut Vec<Job>) -> bool {
        let mut q = self.lock();
        while q.jobs.len() >= self.capacity && !self.is_cancelled() {
            q.walker_waiting = true;
            q = self.room.wait(q).unwrap_or_else(PoisonError::into_inner);
            q.walker_waiting = false;
        }
        if self.is_cancelled() {
            return false;
        }
        q.jobs.extend(jobs.drain(..));
        if self.idle.load(Ordering::Relaxed) > 0 {
            self.ready.notify_all();
        }
        true
    }

    /// No more jobs will come.
    fn close(&self) {
        self.lock().closed = true;
        self.ready.notify_all();
    }

    /// Stops the walker and the workers.
    fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
        // a thread about to wait checks the flag under the lock: taking it
        // here means none misses the notification
        drop(self.lock());
        self.ready.notify_all();
        self.room.notify_all();
    }

    fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// The next job, without waiting.
    fn try_pop(&self) -> Option<Job> {
        let mut q = self.lock();
        self.take(&mut q)
    }

    /// The next job, waiting for one; `None` once the walk is over and
    /// every job taken, or the scan cancelled.
    fn pop(&self) -> Option<Job> {
        let mut q = self.lock();
        loop {
            if let Some(job) = self.take(&mut q) {
                return Some(job);
            }
            if q.closed || self.is_cancelled() {
                return None;
            }
            self.idle.fetch_add(1, Ordering::Relaxed);
            q = self.ready.wait(q).unwrap_or_else(PoisonError::into_inner);
            self.idle.fetch_sub(1, Ordering::Relaxed);
        }
    }

    fn take(&self, q: &mut Queued) -> Option<Job> {
        if self.is_cancelled() {
            return None;
        }
        let job = q.jobs.pop_front()?;
        if q.walker_waiting && q.jobs.len() <= self.capacity / 2 {
            self.room.notify_one();
        }
        Some(job)
    }

    /// Whether a worker is waiting for jobs.
    fn has_idle_worker(&self) -> bool {
        self.idle.load(Ordering::Relaxed) > 0
    }
}

/// A path as it may be shown ([`crate::redact::name`]), moved rather than
/// copied when it needs no change (the usual case).
fn shown(path: String) -> String {
    match crate::redact::name(&path) {
        std::borrow::Cow::Borrowed(_) => path,
        std::borrow::Cow::Owned(s) => s,
    }
}

/// The result for a file whose scan panicked: a failure, never a crash.
/// The panic's message is not kept: it could quote the file's text.
fn internal_error(job: Job) -> FileResult {
    let error =
        io::Error::other("internal error while scanning this file (a bug: please report it)");
    FileResult {
        seq: job.seq,
        path: shown(job.display),
        outcome: Outcome::Failed {
            kind: FailureKind::Internal,
            error,
        },
        findings: vec![],
        unlisted: vec![],
        members: vec![],
    }
}

impl Engine<'_> {
    /// Scans what `inputs` lists, handing each file's result to `sink` in
    /// the enumerator's order. Stops early (and returns the error) when
    /// `sink` fails, e.g. on a closed pipe.
    pub fn run(
        &self,
        inputs: &dyn Enumerator,
        sink: impl FnMut(FileResult) -> io::Result<()>,
    ) -> io::Result<()> {
        self.run_until(inputs, &AtomicBool::new(false), sink)
            .map(drop)
    }

    /// [`run`](Self::run), which also stops once `stop` is set (by a
    /// signal handler, say): the walk and the workers take no more files,
    /// the files being scanned are finished, and every result there is
    /// still goes to `sink` in walk order (the files never taken leave
    /// gaps). [`Ended::Interrupted`] if `stop` was set before the run
    /// ended.
    pub fn run_until(
        &self,
        inputs: &dyn Enumerator,
        stop: &AtomicBool,
        mut sink: impl FnMut(FileResult) -> io::Result<()>,
    ) -> io::Result<Ended> {
        let threads = self.threads.max(1);
        let queue = JobQueue::new(threads * QUEUED_PER_THREAD);
        let (res_tx, res_rx) = bounded::<Vec<FileResult>>(256);
        // the walk-order number of the next result to hand to `sink`
        let emitted = AtomicU64::new(0);
        // records sent to this thread and not yet written
        let in_flight = AtomicUsize::new(0);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("leakscan-worker-{i}"))
            .build()
            .map_err(io::Error::other)?;

        std::thread::scope(|s| {
            let walk_res = res_tx.clone();
            let (queue_ref, emitted_ref) = (&queue, &emitted);
            let in_flight_walk = &in_flight;
            s.spawn(move || {
                let mut seq = 0u64;
                let mut batch: Vec<Job> = Vec::with_capacity(JOB_BATCH);
                let ahead = |seq: u64| seq >= emitted_ref.load(Ordering::Relaxed) + REORDER_LIMIT;
                // a file the walk itself ends (skipped, failed): its result
                // goes straight to the report
                let walked = |seq: u64, display: String, outcome: Outcome| {
                    in_flight_walk.fetch_add(1, Ordering::Relaxed);
                    walk_res
                        .send(vec![FileResult {
                            seq,
                            path: shown(display),
                            outcome,
                            findings: vec![],
                            unlisted: vec![],
                            members: vec![],
                        }])
                        .is_ok()
                };
                inputs.enumerate(&mut |entry| {
                    if queue_ref.is_cancelled() {
                        return false;
                    }
                    if ahead(seq) {
                        // too far ahead of a slow file: hand on what is
                        // held back (it may be that file) and wait for it
                        if !queue_ref.push(&mut batch) {
                            return false;
                        }
                        while ahead(seq) && !queue_ref.is_cancelled() {
                            std::thread::sleep(std::time::Duration::from_millis(1));
                        }
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
                            if batch.len() >= JOB_BATCH || queue_ref.has_idle_worker() {
                                queue_ref.push(&mut batch)
                            } else {
                                true
                            }
                        }
                        Entry::Skip { display, reason } => {
                            walked(this, display, Outcome::Skipped(reason))
                        }
                        Entry::Fail { display, error } => {
                            walked(this, display, Outcome::failed(error))
                        }
                    }
                });
                if !batch.is_empty() {
                    queue_ref.push(&mut batch);
                }
                queue_ref.close();
            });

            let work_res = res_tx;
            let opts = &self.scan;
            let (detectors, fingerprinter) = (self.detectors, self.fingerprinter);
            let in_flight_ref = &in_flight;
            s.spawn(move || {
                pool.scope(|ps| {
                    for _ in 0..threads {
                        let res_tx = work_res.clone();
                        ps.spawn(move |_| {
                            let mut scanner = FileScanner::new(detectors, fingerprinter, opts);
                            // Results go back in batches, flushed before the
                            // worker would wait for work: one hand-off per
                            // batch instead of one wake-up per small file.
                            let mut done: Vec<FileResult> = Vec::new();
                            let send = |done: &mut Vec<FileResult>| {
                                let w: usize = done.iter().map(weight).sum();
                                in_flight_ref.fetch_add(w, Ordering::Relaxed);
                                res_tx.send(std::mem::take(done)).is_ok()
                            };
                            loop {
                                if in_flight_ref.load(Ordering::Relaxed) > MAX_IN_FLIGHT {
                                    // the report is behind: hand on what is
                                    // held (it may be what it waits for) and
                                    // wait before taking another file
                                    if !done.is_empty() && !send(&mut done) {
                                        break;
                                    }
                                    while in_flight_ref.load(Ordering::Relaxed) > MAX_IN_FLIGHT
                                        && !queue_ref.is_cancelled()
                                    {
                                        std::thread::sleep(Duration::from_millis(1));
                                    }
                                }
                                let job = match queue_ref.try_pop() {
                                    Some(job) => job,
                                    None => {
                                        if !done.is_empty() && !send(&mut done) {
                                            break;
                                        }
                                        match queue_ref.pop() {
                                            Some(job) => job,
                                            None => break,
                                        }
                                    }
                                };
                                if opts.cancelled() {
                                    // taken in the moment before the queue
                                    // was cancelled: never opened, so
                                    // neither listed nor counted
                                    break;
                                }
                                let scanned = panic::catch_unwind(AssertUnwindSafe(|| {
                                    scanner.scan_unnamed(
                                        job.seq,
                                        &*job.source,
                                        &job.display,
                                        &job.rel,
                                    )
                                }));
                                let r = match scanned {
                                    Ok(r) => FileResult {
                                        path: shown(job.display),
                                        ..r
                                    },
                                    Err(_) => {
                                        // the scanner's buffers may be half-updated: start afresh
                                        scanner = FileScanner::new(detectors, fingerprinter, opts);
                                        internal_error(job)
                                    }
                                };
                                done.push(r);
                                let heavy = done.iter().map(weight).sum::<usize>() >= BATCH_WEIGHT;
                                if (done.len() >= RESULT_BATCH || heavy) && !send(&mut done) {
                                    break;
                                }
                            }
                            if !done.is_empty() {
                                send(&mut done);
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
            loop {
                if stop.load(Ordering::Relaxed) && !queue.is_cancelled() {
                    queue.cancel();
                }
                let batch = match res_rx.recv_timeout(STOP_POLL) {
                    Ok(batch) => batch,
                    Err(RecvTimeoutError::Timeout) => continue,
                    Err(RecvTimeoutError::Disconnected) => break,
                };
                if result.is_err() {
                    continue; // drain so the other threads can finish
                }
                for r in batch {
                    let slot = (r.seq - next) as usize;
                    if pending.len() <= slot {
                        pending.resize_with(slot + 1, || None);
                    }
                    pending[slot] = Some(r);
                }
                while let Some(Some(r)) = pending.front_mut().map(Option::take) {
                    pending.pop_front();
                    next += 1;
                    emitted.store(next, Ordering::Relaxed);
                    let w = weight(&r);
                    let written = sink(r);
                    in_flight.fetch_sub(w, Ordering::Relaxed);
                    if let Err(e) = written {
                        queue.cancel();
                        result = Err(e);
                        break;
                    }
                }
            }
            result?;
            // a flag set after the last result came in counts too: the
            // caller cannot tell whether the signal beat the end
            if !stop.load(Ordering::Relaxed) {
                return Ok(Ended::Complete);
            }
            // the results behind the files never taken, still in walk order
            for r in pending.into_iter().flatten() {
                sink(r)?;
            }
            Ok(Ended::Interrupted)
        })
    }
}
