//! `--format jsonl`: one JSON record per line, written as each file
//! finishes: findings, `error` and `skipped` records, then a `summary`.

use std::io::{self, Write};

use super::{FileRecord, FindingRecord, Reporter, SummaryRecord, UnlistedRecord};
use crate::scan::FileResult;
use crate::summary::Summary;

/// The `jsonl` reporter.
pub struct JsonLines<W: Write> {
    out: W,
}

impl<W: Write> JsonLines<W> {
    /// Writes to `out`.
    pub fn new(out: W) -> Self {
        JsonLines { out }
    }

    fn line<T: serde::Serialize>(&mut self, record: &T) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, record)?;
        self.out.write_all(b"\n")
    }
}

impl<W: Write> Reporter for JsonLines<W> {
    fn file(&mut self, r: &FileResult) -> io::Result<()> {
        for f in &r.findings {
            self.line(&FindingRecord::new(f))?;
        }
        for rec in UnlistedRecord::all(r) {
            self.line(&rec)?;
        }
        for rec in FileRecord::all(r) {
            self.line(&rec)?;
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.line(&SummaryRecord::new(summary))?;
        self.out.flush()
    }
}
