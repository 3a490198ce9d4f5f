//! `--format json`: one document `{"findings": [...], "errors": [...],
//! "skipped": [...], "summary": {...}}`, written at the end of the scan.

use std::io::{self, Write};

use serde_json::Value;

use super::{FileRecord, FindingRecord, Reporter, SummaryRecord, SCHEMA_VERSION};
use crate::scan::FileResult;
use crate::summary::Summary;

/// The `json` reporter: holds the records until the end.
pub struct JsonDocument<W: Write> {
    out: W,
    findings: Vec<Value>,
    errors: Vec<Value>,
    skipped: Vec<Value>,
}

impl<W: Write> JsonDocument<W> {
    /// Writes to `out`.
    pub fn new(out: W) -> Self {
        JsonDocument {
            out,
            findings: vec![],
            errors: vec![],
            skipped: vec![],
        }
    }
}

impl<W: Write> Reporter for JsonDocument<W> {
    fn file(&mut self, r: &FileResult) -> io::Result<()> {
        for f in &r.findings {
            self.findings
                .push(serde_json::to_value(FindingRecord::new(f))?);
        }
        for rec in FileRecord::all(r) {
            let list = if rec.kind_of_record == "error" {
                &mut self.errors
            } else {
                &mut self.skipped
            };
            list.push(serde_json::to_value(rec)?);
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        let doc = serde_json::json!({
            "schema_version": SCHEMA_VERSION,
            "findings": self.findings,
            "errors": self.errors,
            "skipped": self.skipped,
            "summary": SummaryRecord::new(summary),
        });
        serde_json::to_writer_pretty(&mut self.out, &doc)?;
        self.out.write_all(b"\n")?;
        self.out.flush()
    }
}
