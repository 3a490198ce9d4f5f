//! The per-result pipeline policy of a scan: what happens to each file's
//! result between the [`engine`](crate::engine) and a
//! [`Reporter`](crate::report::Reporter), and the exit code at the end.
//!
//! Findings below the minimum confidence and those on a line marked
//! `leakscan:ignore` are already dropped (and counted) by the scanner. A
//! [`Pipeline`] then, for every [`FileResult`] in walk order:
//!
//! 1. applies the config's severity overrides and drops allowlisted findings
//!    ([`Policy::allowlist`]);
//! 2. records the remaining findings as baseline entries, when a baseline is
//!    being written (`--write-baseline`);
//! 3. drops the findings listed in the baseline in use (`--baseline`);
//! 4. counts the outcome, the archive members' issues and the findings left
//!    into a [`Summary`], and the findings at or above the fail-on threshold.
//!
//! [`Pipeline::finish`] turns the counts into an [`ExitCode`].

use std::time::Duration;

use crate::finding::Severity;
use crate::outcome::ExitCode;
use crate::outcome::{Issue, Outcome};
use crate::scan::FileResult;
use crate::summary::Summary;
use crate::suppress::{Accepted, Policy};

/// The settings of a [`Pipeline`].
#[derive(Debug, Default)]
pub struct Settings {
    /// Allowlist, severity overrides and the baseline in use.
    pub policy: Policy,
    /// Findings of at least this severity (after overrides) make the exit
    /// code [`ExitCode::Findings`]; `None`: none do (`--fail-on never`).
    pub fail_on: Option<Severity>,
    /// Whether a baseline is being written (`--write-baseline`): the
    /// findings that pass the allowlist are then recorded as entries, and
    /// none of them makes the exit code [`ExitCode::Findings`].
    pub write_baseline: bool,
    /// Gap reasons the user accepted (`--accept`, the config's `accept`):
    /// skip reasons and failure kinds by name (`encrypted`,
    /// `corrupt_archive`); a gap of one of these does not make the scan
    /// incomplete.
    pub accept: std::collections::BTreeSet<String>,
}

/// What a finished [`Pipeline`] hands back.
#[derive(Debug)]
pub struct Finished {
    /// Every count, with `elapsed_ms`, `mb_per_s` and `exit_code` set.
    pub summary: Summary,
    /// The exit code; [`ExitCode::Clean`], [`ExitCode::Findings`] or
    /// [`ExitCode::Incomplete`] (a pipeline never decides on
    /// [`ExitCode::Error`]).
    pub exit_code: ExitCode,
    /// The findings to write as a baseline (compact, unsorted:
    /// [`suppress::write`](crate::suppress::write) sorts and deduplicates
    /// them); empty unless [`Settings::write_baseline`].
    pub accepted: Accepted,
}

/// Filters and counts each file's result, in walk order; see the
/// [module documentation](self).
#[derive(Debug)]
pub struct Pipeline {
    settings: Settings,
    summary: Summary,
    /// Findings at or above `settings.fail_on`.
    blocking: u64,
    accepted: Accepted,
}

impl Pipeline {
    /// A pipeline with nothing counted yet.
    pub fn new(settings: Settings) -> Pipeline {
        Pipeline {
            settings,
            summary: Summary::new(),
            blocking: 0,
            accepted: Accepted::default(),
        }
    }

    /// Filters `r.findings` in place (severity overrides, allowlist,
    /// baseline) and counts the result. Call it once per result, before the
    /// result is reported.
    pub fn apply(&mut self, r: &mut FileResult) {
        let policy = &self.settings.policy;
        // (the path of a file's unlisted findings: that of its listed ones)
        if !r.unlisted.is_empty() {
            let rel = r.findings.first().map(|f| f.provenance.rel_context());
            self.summary.suppressed_by_allowlist +=
                policy.allowlist_unlisted(rel.as_deref(), &mut r.unlisted);
        }
        self.summary.suppressed_by_allowlist += policy.allowlist(&mut r.findings);
        if self.settings.write_baseline {
            self.accepted.add_file(&r.findings);
        }
        self.summary.suppressed_by_baseline += policy.drop_baselined(&mut r.findings);
        count_result(&mut self.summary, r, &self.settings.accept);
        for f in &r.findings {
            self.summary.count_finding(f);
            if self.settings.fail_on.is_some_and(|t| f.severity >= t) {
                self.blocking += 1;
            }
        }
        for u in &r.unlisted {
            self.summary.count_unlisted(u);
            if self.settings.fail_on.is_some_and(|t| u.severity >= t) {
                self.blocking += u.count;
            }
        }
    }

    /// The counts so far (`elapsed_ms`, `mb_per_s` and `exit_code` are not
    /// set yet).
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// Ends the run, `elapsed` after it started: the summary, the exit code
    /// and the baseline entries to write. With [`Settings::write_baseline`]
    /// the findings are accepted, so only a file that could not be read
    /// makes the code other than [`ExitCode::Clean`]; the caller should
    /// still fail if writing the baseline fails.
    pub fn finish(self, elapsed: Duration) -> Finished {
        let Pipeline {
            settings,
            mut summary,
            blocking,
            accepted,
        } = self;
        summary.set_elapsed(elapsed);
        let exit_code = if blocking > 0 && !settings.write_baseline {
            ExitCode::Findings
        } else if summary.incomplete() {
            ExitCode::Incomplete
        } else {
            ExitCode::Clean
        };
        summary.exit_code = i32::from(exit_code.code());
        Finished {
            summary,
            exit_code,
            accepted,
        }
    }
}

/// Counts a file's outcome and its archive members' issues: the file once
/// (failed when a member or part of it failed), each issue by its reason.
fn count_result(
    summary: &mut Summary,
    r: &FileResult,
    accept: &std::collections::BTreeSet<String>,
) {
    let skip = |summary: &mut Summary, reason: crate::outcome::SkipReason| {
        summary.count_skip(reason);
        if reason.is_gap() {
            summary.count_gap(reason.as_str(), accept.contains(reason.as_str()));
        }
    };
    let fail = |summary: &mut Summary, kind: crate::outcome::FailureKind| {
        summary.count_failure(kind);
        summary.count_gap(kind.as_str(), accept.contains(kind.as_str()));
    };
    summary.files_seen += 1;
    match &r.outcome {
        Outcome::Scanned {
            bytes,
            binary,
            below_min_confidence,
            ignored_inline,
        } => {
            summary.suppressed_inline += ignored_inline;
            let member_failed = r
                .members
                .iter()
                .any(|m| matches!(m.issue, Issue::Failed { .. }));
            if member_failed {
                summary.files_failed += 1;
            } else {
                summary.files_scanned += 1;
                summary.files_binary += u64::from(*binary);
            }
            summary.bytes_scanned += bytes;
            summary.below_min_confidence += below_min_confidence;
        }
        Outcome::Skipped(reason) => {
            summary.files_skipped += 1;
            skip(summary, *reason);
        }
        Outcome::Failed { kind, .. } => {
            summary.files_failed += 1;
            fail(summary, *kind);
        }
    }
    for m in &r.members {
        match &m.issue {
            Issue::Skipped(reason) => skip(summary, *reason),
            Issue::Failed { kind, .. } => fail(summary, *kind),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(path: &str) -> FileResult {
        FileResult {
            seq: 0,
            path: path.into(),
            outcome: Outcome::Failed {
                kind: crate::outcome::FailureKind::PermissionDenied,
                error: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
            },
            findings: Vec::new(),
            unlisted: Vec::new(),
            members: Vec::new(),
        }
    }

    #[test]
    fn a_failed_file_makes_the_scan_incomplete() {
        let mut p = Pipeline::new(Settings::default());
        p.apply(&mut failed("a"));
        let done = p.finish(Duration::from_millis(5));
        assert_eq!(done.exit_code, ExitCode::Incomplete);
        assert_eq!(done.summary.exit_code, 3);
        assert_eq!(done.summary.files_failed, 1);
        assert_eq!(done.summary.files_seen, 1);
        assert_eq!(done.summary.elapsed_ms, 5);
        assert!(done.accepted.is_empty());
    }

    #[test]
    fn nothing_seen_is_clean() {
        let done = Pipeline::new(Settings::default()).finish(Duration::ZERO);
        assert_eq!(done.exit_code, ExitCode::Clean);
        assert_eq!(done.summary.exit_code, 0);
    }
}
