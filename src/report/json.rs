//! `--format json`: one document `{"schema_version", "findings": [...],
//! "unlisted": [...], "errors": [...], "skipped": [...], "summary": {...}}`.
//! Findings are written as each file finishes, so memory does not grow with
//! them; the records of files that could not be read (few) are kept until
//! the end. Each record is one compact line inside its array.

use std::io::{self, Write};

use super::{FileRecord, FindingRecord, Reporter, SummaryRecord, UnlistedRecord, SCHEMA_VERSION};
use crate::scan::FileResult;
use crate::summary::Summary;

/// The `json` reporter.
pub struct JsonDocument<W: Write> {
    out: W,
    /// The document's head and `"findings": [` are written.
    started: bool,
    /// Findings written so far (for the commas).
    findings: u64,
    /// Serialized records of the other arrays, written at the end.
    unlisted: Vec<String>,
    errors: Vec<String>,
    skipped: Vec<String>,
}

impl<W: Write> JsonDocument<W> {
    /// Writes to `out`.
    pub fn new(out: W) -> Self {
        JsonDocument {
            out,
            started: false,
            findings: 0,
            unlisted: vec![],
            errors: vec![],
            skipped: vec![],
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            self.started = true;
            write!(
                self.out,
                "{{\n  \"schema_version\": \"{SCHEMA_VERSION}\",\n  \"findings\": ["
            )?;
        }
        Ok(())
    }

    /// Writes `items` as the array `key` (after a comma).
    fn array(&mut self, key: &str, items: &[String]) -> io::Result<()> {
        write!(self.out, ",\n  \"{key}\": [")?;
        for (i, item) in items.iter().enumerate() {
            let sep = if i == 0 { "" } else { "," };
            write!(self.out, "{sep}\n    {item}")?;
        }
        if items.is_empty() {
            write!(self.out, "]")
        } else {
            write!(self.out, "\n  ]")
        }
    }
}

impl<W: Write> Reporter for JsonDocument<W> {
    fn file(&mut self, r: &FileResult) -> io::Result<()> {
        self.start()?;
        for f in &r.findings {
            let sep = if self.findings == 0 { "" } else { "," };
            write!(self.out, "{sep}\n    ")?;
            serde_json::to_writer(&mut self.out, &FindingRecord::new(f))?;
            self.findings += 1;
        }
        for rec in UnlistedRecord::all(r) {
            self.unlisted.push(serde_json::to_string(&rec)?);
        }
        for rec in FileRecord::all(r) {
            let text = serde_json::to_string(&rec)?;
            if rec.kind_of_record == "error" {
                self.errors.push(text);
            } else {
                self.skipped.push(text);
            }
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.start()?;
        write!(
            self.out,
            "{}]",
            if self.findings == 0 { "" } else { "\n  " }
        )?;
        for (key, items) in [
            ("unlisted", std::mem::take(&mut self.unlisted)),
            ("errors", std::mem::take(&mut self.errors)),
            ("skipped", std::mem::take(&mut self.skipped)),
        ] {
            self.array(key, &items)?;
        }
        write!(self.out, ",\n  \"summary\": ")?;
        serde_json::to_writer(&mut self.out, &SummaryRecord::new(summary))?;
        self.out.write_all(b"\n}\n")?;
        self.out.flush()
    }
}
