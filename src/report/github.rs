//! `--format github`: GitHub Actions workflow commands, one annotation per
//! finding (`::error file=…,line=…::…`), and a Markdown job summary appended
//! to `$GITHUB_STEP_SUMMARY` when that variable is set.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::PathBuf;

use super::Reporter;
use crate::finding::{Finding, Severity};
use crate::outcome::Outcome;
use crate::scan::FileResult;
use crate::summary::Summary;

/// The `github` reporter.
pub struct Github<W: Write> {
    out: W,
    step_summary: Option<PathBuf>,
    /// The job summary's table rows: the first [`SUMMARY_ROWS`] findings,
    /// kept only when there is a job summary to write.
    rows: Vec<String>,
    /// Findings past [`SUMMARY_ROWS`], counted for the summary.
    rows_not_shown: u64,
}

/// Most findings listed in the job summary: GitHub refuses a step summary
/// over 1 MiB, and the annotations and the report hold every finding
/// anyway. Memory stays bounded whatever the number of findings.
const SUMMARY_ROWS: usize = 1000;

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "notice",
    }
}

/// Escapes a workflow-command message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Escapes text for a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

impl<W: Write> Github<W> {
    /// Writes annotations to `out`, and appends the job summary to
    /// `step_summary` (the file `$GITHUB_STEP_SUMMARY` names) if given.
    pub fn new(out: W, step_summary: Option<PathBuf>) -> Self {
        Github {
            out,
            step_summary,
            rows: Vec::new(),
            rows_not_shown: 0,
        }
    }

    fn annotate(&mut self, f: &Finding) -> io::Result<()> {
        let mut props = format!(
            "file={}",
            escape_property(f.provenance.path.trim_start_matches("./"))
        );
        if let Some(line) = f.line {
            props += &format!(",line={line}");
        }
        if let Some(col) = f.column {
            props += &format!(",col={col}");
        }
        props += &format!(
            ",title={}",
            escape_property(&format!("leakscan {} ({})", f.rule.id, f.severity))
        );
        writeln!(
            self.out,
            "::{} {props}::{}",
            command(f.severity),
            escape_data(&super::sarif::message(f))
        )
    }
}

impl<W: Write> Reporter for Github<W> {
    fn file(&mut self, r: &FileResult) -> io::Result<()> {
        if let Outcome::Failed { error, .. } = &r.outcome {
            writeln!(
                self.out,
                "::warning file={}::{}",
                escape_property(&r.path),
                escape_data(&format!("leakscan could not read this file: {error}"))
            )?;
        }
        for f in &r.findings {
            self.annotate(f)?;
            if self.step_summary.is_none() {
                continue;
            }
            if self.rows.len() >= SUMMARY_ROWS {
                self.rows_not_shown += 1;
                continue;
            }
            self.rows.push(format!(
                "| {} | {} | {} | {} | `{}` |",
                cell(&f.provenance.path),
                f.line.map_or("file".to_string(), |l| l.to_string()),
                f.severity,
                cell(&f.rule.id),
                cell(&f.redacted)
            ));
        }
        Ok(())
    }

    fn finish(&mut self, s: &Summary) -> io::Result<()> {
        self.out.flush()?;
        let Some(path) = &self.step_summary else {
            return Ok(());
        };
        let mut md = String::from("## leakscan\n\n");
        md += &format!(
            "Scanned {} files ({} bytes): **{} findings**, {} skipped, {} failed. Exit code {}.\n\n",
            s.files_scanned, s.bytes_scanned, s.findings, s.files_skipped, s.files_failed, s.exit_code
        );
        if !self.rows.is_empty() {
            md += "| file | line | severity | rule | value (redacted) |\n|---|---|---|---|---|\n";
            for row in &self.rows {
                md += row;
                md += "\n";
            }
            if self.rows_not_shown > 0 {
                md += &format!(
                    "\n… and {} more findings, not listed here (see the annotations or a full report).\n",
                    self.rows_not_shown
                );
            }
        }
        let mut f = OpenOptions::new().create(true).append(true).open(path)?;
        f.write_all(md.as_bytes())
    }
}
