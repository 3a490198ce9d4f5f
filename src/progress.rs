//! Progress on stderr for long scans at a terminal: files, bytes, MB/s and
//! findings so far. Appears only after a moment, never when stderr is not a
//! terminal (CI logs, redirects) and never with `--quiet`.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Scans shorter than this show no progress at all.
const SHOW_AFTER: Duration = Duration::from_millis(800);

pub struct Progress {
    bar: Option<ProgressBar>,
    enabled: bool,
    started: Instant,
    files: u64,
    bytes: u64,
    findings: u64,
}

impl Progress {
    pub fn new(enabled: bool) -> Progress {
        Progress {
            bar: None,
            enabled,
            started: Instant::now(),
            files: 0,
            bytes: 0,
            findings: 0,
        }
    }

    /// Counts one finished file and redraws (at most a few times a second).
    pub fn file_done(&mut self, bytes: u64, findings: u64) {
        self.files += 1;
        self.bytes += bytes;
        self.findings += findings;
        if !self.enabled {
            return;
        }
        if self.bar.is_none() && self.started.elapsed() >= SHOW_AFTER {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(4));
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed} {msg}").expect("valid template"),
            );
            bar.enable_steady_tick(Duration::from_millis(250));
            self.bar = Some(bar);
        }
        if let Some(bar) = &self.bar {
            let secs = self.started.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!(
                "{} files, {:.1} MB, {:.0} MB/s, {} findings",
                self.files,
                self.bytes as f64 / 1e6,
                self.bytes as f64 / 1e6 / secs,
                self.findings
            ));
        }
    }

    /// Runs `f` with the progress line hidden, so output does not tear it.
    pub fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
