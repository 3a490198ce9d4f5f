//! Progress on stderr for long scans at a terminal: files, bytes, MB/s and
//! findings so far. Appears only after a moment, never when stderr is not a
//! terminal (CI logs, redirects) and never with `--quiet`.
//!
//! A ticker thread draws it from shared counters, so it moves while one
//! huge file (a backup tarball) is being read: the workers count the bytes
//! they read as they read them.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Scans shorter than this show no progress at all.
const SHOW_AFTER: Duration = Duration::from_millis(800);
const REDRAW: Duration = Duration::from_millis(250);

#[derive(Default)]
struct Shared {
    /// Bytes read from files so far, counted by the workers as they read.
    bytes: Arc<AtomicU64>,
    files: AtomicU64,
    findings: AtomicU64,
    stop: AtomicBool,
    bar: Mutex<Option<ProgressBar>>,
}

/// The progress line of one scan: counters shared with a ticker thread that
/// draws it.
pub struct Progress {
    shared: Option<Arc<Shared>>,
    ticker: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts the ticker thread if `enabled` (stderr is a terminal and no
    /// `--quiet`); otherwise every method does nothing.
    pub fn new(enabled: bool) -> Progress {
        if !enabled {
            return Progress {
                shared: None,
                ticker: None,
            };
        }
        let shared = Arc::new(Shared::default());
        let ticking = Arc::clone(&shared);
        let ticker = std::thread::Builder::new()
            .name("leakscan-progress".into())
            .spawn(move || tick(&ticking))
            .ok();
        Progress {
            shared: Some(shared),
            ticker,
        }
    }

    /// The counter the workers add the bytes they read to (`None` when no
    /// progress is shown: then nobody counts).
    pub fn byte_counter(&self) -> Option<Arc<AtomicU64>> {
        self.shared.as_ref().map(|s| Arc::clone(&s.bytes))
    }

    /// Counts one finished file.
    pub fn file_done(&mut self, findings: u64) {
        if let Some(s) = &self.shared {
            s.files.fetch_add(1, Ordering::Relaxed);
            s.findings.fetch_add(findings, Ordering::Relaxed);
        }
    }

    /// Runs `f` with the progress line hidden, so output does not tear it.
    pub fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        let bar = self
            .shared
            .as_ref()
            .and_then(|s| s.bar.lock().ok().and_then(|b| b.clone()));
        match bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    /// Stops the ticker and clears the line; also done on drop.
    pub fn finish(&mut self) {
        if let Some(s) = &self.shared {
            s.stop.store(true, Ordering::Relaxed);
        }
        if let Some(t) = self.ticker.take() {
            let _ = t.join();
        }
        if let Some(bar) = self
            .shared
            .as_ref()
            .and_then(|s| s.bar.lock().ok().and_then(|mut b| b.take()))
        {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Draws the bar from the counters until told to stop.
fn tick(s: &Shared) {
    let started = Instant::now();
    while !s.stop.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(50));
        if started.elapsed() < SHOW_AFTER {
            continue;
        }
        let Ok(mut slot) = s.bar.lock() else { return };
        let bar = slot.get_or_insert_with(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(4));
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed} {msg}").expect("valid template"),
            );
            bar.enable_steady_tick(REDRAW);
            bar
        });
        let secs = started.elapsed().as_secs_f64().max(1e-3);
        let bytes = s.bytes.load(Ordering::Relaxed) as f64;
        bar.set_message(format!(
            "{} files, {:.1} MB, {:.0} MB/s, {} findings",
            s.files.load(Ordering::Relaxed),
            bytes / 1e6,
            bytes / 1e6 / secs,
            s.findings.load(Ordering::Relaxed),
        ));
        drop(slot);
        std::thread::sleep(REDRAW);
    }
}
