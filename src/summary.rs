//! Counts of what a scan did: files seen, scanned, skipped and failed (each by
//! reason), bytes, and findings by category and severity.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use crate::finding::{Category, Finding, Severity};
pub use crate::outcome::SkipReason;

#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    /// Every file and special entry the scan met.
    pub files_seen: u64,
    pub files_scanned: u64,
    /// Of the scanned files, those with binary content (checked as documents
    /// only, not for text identifiers).
    pub files_binary: u64,
    pub files_skipped: u64,
    pub files_failed: u64,
    pub skipped_by_reason: BTreeMap<&'static str, u64>,
    pub failed_by_reason: BTreeMap<&'static str, u64>,
    pub bytes_scanned: u64,
    pub findings: u64,
    pub findings_by_category: BTreeMap<&'static str, u64>,
    pub findings_by_severity: BTreeMap<&'static str, u64>,
    /// Matches below `--min-confidence`: found, counted, not reported.
    pub below_min_confidence: u64,
    /// Findings on a line marked `leakscan:ignore`.
    pub suppressed_inline: u64,
    /// Findings listed in the `--baseline`.
    pub suppressed_by_baseline: u64,
    /// Findings matching the config file's allowlist.
    pub suppressed_by_allowlist: u64,
    pub elapsed_ms: u64,
    pub mb_per_s: f64,
    /// The scan was stopped by SIGINT or SIGTERM before it ended: the
    /// files it had not reached are neither reported nor counted.
    pub interrupted: bool,
    pub exit_code: i32,
}

/// The exit code of a scan stopped by SIGINT or SIGTERM: 128 + SIGINT, what
/// a shell reports for a command ended by Ctrl-C.
pub const INTERRUPTED_EXIT_CODE: i32 = 130;

impl Summary {
    pub fn new() -> Summary {
        let mut s = Summary::default();
        for c in Category::ALL {
            s.findings_by_category.insert(c.as_str(), 0);
        }
        for sev in Severity::ALL {
            s.findings_by_severity.insert(sev.as_str(), 0);
        }
        s
    }

    pub fn count_finding(&mut self, f: &Finding) {
        self.findings += 1;
        *self
            .findings_by_category
            .entry(f.rule.category.as_str())
            .or_default() += 1;
        *self
            .findings_by_severity
            .entry(f.severity.as_str())
            .or_default() += 1;
    }

    pub fn count_skip(&mut self, reason: SkipReason) {
        self.files_seen += 1;
        self.files_skipped += 1;
        *self.skipped_by_reason.entry(reason.as_str()).or_default() += 1;
    }

    pub fn count_failure(&mut self, kind: crate::outcome::FailureKind) {
        self.files_seen += 1;
        self.files_failed += 1;
        *self.failed_by_reason.entry(kind.as_str()).or_default() += 1;
    }

    pub fn set_elapsed(&mut self, elapsed: Duration) {
        self.elapsed_ms = elapsed.as_millis() as u64;
        let secs = elapsed.as_secs_f64().max(1e-6);
        self.mb_per_s = ((self.bytes_scanned as f64 / 1e6 / secs) * 10.0).round() / 10.0;
    }

    /// Marks the scan as stopped by a signal before its end (see
    /// [`Summary::interrupted`]); its exit code becomes
    /// [`INTERRUPTED_EXIT_CODE`].
    pub fn mark_interrupted(&mut self) {
        self.interrupted = true;
        self.exit_code = INTERRUPTED_EXIT_CODE;
    }

    /// Whether some file could not be read, so the scan is incomplete.
    pub fn incomplete(&self) -> bool {
        self.files_failed > 0
    }
}
