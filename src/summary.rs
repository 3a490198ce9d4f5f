//! Counts of what a scan did: files seen, scanned, skipped and failed (each by
//! reason), bytes, and findings by category and severity.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use crate::finding::{Category, Finding, Severity};
pub use crate::outcome::SkipReason;

/// The counts of a scan: the summary record (`$defs/summary` of
/// `docs/schema.json`) and the text report's last lines. Each file the scan
/// met counts once in `files_seen` and in one of `files_scanned`,
/// `files_skipped` and `files_failed`; its archive members' and parts'
/// issues count in the reasons and the gaps, not as files.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    /// Every file and special entry the scan met.
    pub files_seen: u64,
    /// Files read, none of whose members or parts failed.
    pub files_scanned: u64,
    /// Of the scanned files, those with binary content (checked as documents
    /// only, not for text identifiers).
    pub files_binary: u64,
    /// Files skipped as a whole (see [`SkipReason`]).
    pub files_skipped: u64,
    /// Files that could not be read, or a member or part of which could
    /// not; any makes the scan incomplete (exit code 3 unless findings make
    /// it 1).
    pub files_failed: u64,
    /// Skips of files and of members by [`SkipReason::as_str`] name; only
    /// reasons that occurred.
    pub skipped_by_reason: BTreeMap<&'static str, u64>,
    /// Failures of files and of members by
    /// [`FailureKind::as_str`](crate::outcome::FailureKind::as_str) name;
    /// only kinds that occurred.
    pub failed_by_reason: BTreeMap<&'static str, u64>,
    /// Files and members not read in full (failed, or skipped for a gap
    /// reason: archive_limit, encrypted, unsupported_format, too_deep,
    /// no_text_layer, time_limit) whose
    /// reason was not accepted: any makes the scan incomplete.
    pub gaps: u64,
    /// `gaps` by reason (skip reason or failure kind).
    pub gaps_by_reason: BTreeMap<&'static str, u64>,
    /// Gaps whose reason the user accepted (`--accept`, `accept` in the
    /// config): counted, not making the scan incomplete.
    pub accepted_gaps: u64,
    /// Bytes read from the scanned files themselves (not what archive members
    /// inflate to).
    pub bytes_scanned: u64,
    /// Findings reported (at or above `--min-confidence`, not suppressed).
    pub findings: u64,
    /// Of `findings`, those counted but not listed one by one: a file's
    /// findings past its first 100,000 (see `unlisted` records).
    pub findings_not_listed: u64,
    /// Findings by category name; every category, zeros included (with
    /// [`Summary::new`]).
    pub findings_by_category: BTreeMap<&'static str, u64>,
    /// Findings by severity name; every severity, zeros included (with
    /// [`Summary::new`]).
    pub findings_by_severity: BTreeMap<&'static str, u64>,
    /// Matches below `--min-confidence`: found, counted, not reported.
    pub below_min_confidence: u64,
    /// Findings on a line marked `leakscan:ignore`.
    pub suppressed_inline: u64,
    /// Findings listed in the `--baseline`.
    pub suppressed_by_baseline: u64,
    /// Findings matching the config file's allowlist.
    pub suppressed_by_allowlist: u64,
    /// Wall-clock time of the scan, in milliseconds.
    pub elapsed_ms: u64,
    /// Throughput: `bytes_scanned` in MB (10^6 bytes) per second, to one decimal.
    pub mb_per_s: f64,
    /// The scan was stopped by SIGINT or SIGTERM before it ended: the
    /// files it had not reached are neither reported nor counted.
    pub interrupted: bool,
    /// The exit code: 0 clean, 1 findings at or above `--fail-on`, 3 incomplete
    /// (see [`ExitCode`](crate::outcome::ExitCode)).
    pub exit_code: i32,
}

/// The exit code of a scan stopped by SIGINT or SIGTERM: 128 + SIGINT, what
/// a shell reports for a command ended by Ctrl-C.
pub const INTERRUPTED_EXIT_CODE: i32 = 130;

impl Summary {
    /// An empty summary, with a zero count for every category and severity.
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

    /// Counts a reported finding, by its rule's category and its own severity.
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

    /// Counts findings past the per-file listing cap: reported in the
    /// counts (and the exit code), not one by one.
    pub fn count_unlisted(&mut self, u: &crate::scan::Unlisted) {
        self.findings += u.count;
        self.findings_not_listed += u.count;
        *self
            .findings_by_category
            .entry(u.rule.category.as_str())
            .or_default() += u.count;
        *self
            .findings_by_severity
            .entry(u.severity.as_str())
            .or_default() += u.count;
    }

    /// Counts the reason a file or member was skipped (the file itself is
    /// counted once, by the caller).
    pub fn count_skip(&mut self, reason: SkipReason) {
        *self.skipped_by_reason.entry(reason.as_str()).or_default() += 1;
    }

    /// Counts the kind of failure of a file or member (the file itself is
    /// counted once, by the caller).
    pub fn count_failure(&mut self, kind: crate::outcome::FailureKind) {
        *self.failed_by_reason.entry(kind.as_str()).or_default() += 1;
    }

    /// Records the scan's duration and computes `mb_per_s` from it.
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

    /// Counts a gap: something not read in full (a skip of a gap reason,
    /// or a failure) under `reason`; `accepted` when the user accepted that
    /// reason (`--accept`), which keeps the scan complete.
    pub fn count_gap(&mut self, reason: &'static str, accepted: bool) {
        if accepted {
            self.accepted_gaps += 1;
        } else {
            self.gaps += 1;
            *self.gaps_by_reason.entry(reason).or_default() += 1;
        }
    }

    /// Whether something was not read in full for a reason the user did not
    /// accept: the scan is incomplete (exit code 3 unless findings make it
    /// 1).
    pub fn incomplete(&self) -> bool {
        self.gaps > 0
    }
}
