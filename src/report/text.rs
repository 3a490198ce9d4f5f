//! `--format text`: findings grouped by file for a person at a terminal,
//! coloured when writing to one, then a summary with throughput and what to
//! do next. Failures go to stderr as they happen; skips too with `--verbose`.

use std::io::{self, Write};

use super::Reporter;
use crate::finding::{Confidence, Severity};
use crate::outcome::Issue;
use crate::outcome::Outcome;
use crate::scan::FileResult;
use crate::summary::Summary;

/// The `text` reporter.
pub struct Text<W: Write, E: Write> {
    out: W,
    err: E,
    color: bool,
    verbose: bool,
    min_confidence: Confidence,
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const PATH: &str = "\x1b[1;35m";

fn severity_color(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "\x1b[1;31m",
        Severity::High => "\x1b[31m",
        Severity::Medium => "\x1b[33m",
        Severity::Low => "\x1b[36m",
    }
}

impl<W: Write, E: Write> Text<W, E> {
    /// Writes findings and the summary to `out`, failures (and with `verbose`
    /// skips) to `err`; ANSI colours if `color`. `min_confidence` is named in
    /// the summary's count of matches below it.
    pub fn new(out: W, err: E, color: bool, verbose: bool, min_confidence: Confidence) -> Self {
        Text {
            out,
            err,
            color,
            verbose,
            min_confidence,
        }
    }

    fn paint(&self, style: &'static str) -> (&'static str, &'static str) {
        if self.color {
            (style, RESET)
        } else {
            ("", "")
        }
    }
}

fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1000.0 && u + 1 < UNITS.len() {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

fn counts<K: std::fmt::Display>(map: impl IntoIterator<Item = (K, u64)>) -> String {
    map.into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl<W: Write, E: Write> Reporter for Text<W, E> {
    fn file(&mut self, r: &FileResult) -> io::Result<()> {
        match &r.outcome {
            Outcome::Failed { error, .. } => writeln!(self.err, "leakscan: {}: {error}", r.path)?,
            // a gap is always said; a deliberate skip only with --verbose
            Outcome::Skipped(reason) if self.verbose || reason.is_gap() => writeln!(
                self.err,
                "leakscan: skipped {}: {}",
                r.path,
                reason.explain()
            )?,
            _ => {}
        }
        for m in &r.members {
            match &m.issue {
                Issue::Failed { error, .. } => writeln!(
                    self.err,
                    "leakscan: {}!/{}: {error}",
                    r.path,
                    m.member_path()
                )?,
                Issue::Skipped(reason) => writeln!(
                    self.err,
                    "leakscan: skipped {}!/{}: {}",
                    r.path,
                    m.member_path(),
                    reason.explain()
                )?,
            }
        }
        if r.findings.is_empty() {
            return Ok(());
        }
        let (p, reset) = self.paint(PATH);
        writeln!(self.out, "{p}{}{reset}", r.path)?;
        for f in &r.findings {
            let (sc, reset) = self.paint(severity_color(f.severity));
            let (dim, _) = self.paint(DIM);
            let (bold, _) = self.paint(BOLD);
            let loc = match (&f.provenance.cell, f.line, f.column) {
                (Some(cell), _, _) => cell.clone(),
                (None, Some(l), Some(c)) => format!("{l}:{c}"),
                _ if f.in_name => "name".to_string(),
                _ => "file".to_string(),
            };
            // a member of an archive, a sheet of a workbook, a part of a document
            let loc = match &f.provenance.member() {
                Some(m) => format!("{m}  {loc}"),
                None => loc,
            };
            let kind = f.kind.map(|k| format!(" ({k})")).unwrap_or_default();
            let value = f.secret.as_deref().unwrap_or(&f.redacted);
            writeln!(
                self.out,
                "  {loc:>9}  {sc}{:<8}{reset}  {dim}{:<6}{reset}  {bold}{}{reset}{kind}  {value}",
                f.severity.as_str(),
                f.confidence.as_str(),
                f.rule.id,
            )?;
        }
        for u in &r.unlisted {
            writeln!(
                self.out,
                "  ... and {} more {} ({}) findings, counted but not listed (a file lists at most {})",
                u.count,
                u.rule.id,
                u.severity.as_str(),
                crate::scan::MAX_LISTED
            )?;
        }
        writeln!(self.out)
    }

    fn finish(&mut self, s: &Summary) -> io::Result<()> {
        let (bold, reset) = self.paint(BOLD);
        writeln!(
            self.out,
            "{bold}Scanned {} files ({}) in {:.2} s, {:.1} MB/s.{reset}",
            s.files_scanned,
            human_bytes(s.bytes_scanned),
            s.elapsed_ms as f64 / 1000.0,
            s.mb_per_s,
        )?;
        if s.gaps > 0 {
            // what was not read comes first: a clean result means nothing without it
            let why = counts(s.gaps_by_reason.iter().map(|(k, v)| (*k, *v)));
            writeln!(
                self.out,
                "INCOMPLETE: {} not read in full ({why}); --verbose lists them, --accept REASON accepts a reason.",
                plural(s.gaps, "file or member", "files or members"),
            )?;
        }
        if s.interrupted {
            writeln!(
                self.out,
                "{bold}Interrupted: the scan was stopped before its end and is incomplete \
                 (the files it had not reached are neither listed nor counted).{reset}"
            )?;
        }
        if s.findings > 0 {
            // most severe first
            let by_sev: Vec<(&str, u64)> = Severity::ALL
                .iter()
                .rev()
                .filter_map(|sev| {
                    let n = *s.findings_by_severity.get(sev.as_str())?;
                    (n > 0).then_some((sev.as_str(), n))
                })
                .collect();
            let by_cat: Vec<(&str, u64)> = s
                .findings_by_category
                .iter()
                .map(|(k, v)| (*k, *v))
                .collect();
            writeln!(
                self.out,
                "Findings: {} ({}; {})",
                s.findings,
                counts(by_sev),
                counts(by_cat)
            )?;
        } else {
            writeln!(self.out, "No findings.")?;
        }
        if s.below_min_confidence > 0 {
            writeln!(
                self.out,
                "{} more low-confidence matches not shown (below --min-confidence {}; use --min-confidence low to see them).",
                s.below_min_confidence, self.min_confidence
            )?;
        }
        // files and members: the reasons count both
        let skipped: u64 = s.skipped_by_reason.values().sum();
        if skipped > 0 {
            let why = counts(s.skipped_by_reason.iter().map(|(k, v)| (*k, *v)));
            writeln!(self.out, "Skipped {skipped} ({why}); --verbose lists them.")?;
        }
        let failed: u64 = s.failed_by_reason.values().sum();
        if failed > 0 {
            let why = counts(s.failed_by_reason.iter().map(|(k, v)| (*k, *v)));
            let verdict = if s.incomplete() {
                "the scan is incomplete"
            } else {
                "accepted (--accept)"
            };
            writeln!(self.out, "Failed {failed} ({why}): {verdict}.")?;
        }
        if s.accepted_gaps > 0 {
            writeln!(
                self.out,
                "Accepted gaps: {} not read in full for a reason given to --accept.",
                s.accepted_gaps
            )?;
        }
        let suppressed = [
            (s.suppressed_inline, "by leakscan:ignore"),
            (s.suppressed_by_baseline, "by the baseline"),
            (s.suppressed_by_allowlist, "by the config allowlist"),
        ];
        let suppressed: Vec<String> = suppressed
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, why)| format!("{n} suppressed {why}"))
            .collect();
        if !suppressed.is_empty() {
            writeln!(self.out, "Not reported: {}.", suppressed.join(", "))?;
        }
        if s.findings > 0 {
            writeln!(
                self.out,
                "Values are redacted (--show-secrets prints them). Next steps:\n\
                 \x20 - a false positive? add `leakscan:ignore` (or `leakscan:ignore=RULE_ID`) to its line,\n\
                 \x20   or allowlist its path, rule or fingerprint in .leakscan.toml;\n\
                 \x20 - accept what is there today: --write-baseline FILE, then scan with --baseline FILE;\n\
                 \x20 - machine-readable output: --format jsonl, json, sarif, csv, ecs, ocsf or hec."
            )?;
        }
        self.out.flush()?;
        self.err.flush()
    }
}

/// `n` and the singular or plural noun.
fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
