//! `--format json`: one document `{"schema_version", "findings": [...],
//! "unlisted": [...], "errors": [...], "skipped": [...], "summary": {...}}`.
//! Findings are written as each file finishes, so memory does not grow with
//! them; the other records (unlisted counts, files that could not be read
//! or were skipped) come after them in the document, so they are kept until
//! the end: in memory up to [`SPOOL_IN_MEMORY`] bytes per array, past that
//! in an unnamed temporary file ([`Spool`]). Each record is one compact
//! line inside its array.

use std::fs::File;
use std::io::{self, BufRead, BufWriter, Seek, Write};

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
    unlisted: Spool,
    errors: Spool,
    skipped: Spool,
}

/// Bytes of records one array keeps in memory before it spills to disk.
pub const SPOOL_IN_MEMORY: usize = 1 << 20;

/// Records (compact JSON, one line each) kept for the end of the document:
/// in memory while they are few, then in an unnamed temporary file (gone
/// when closed, or when the process ends however it ends). 500,000 skipped
/// symlinks held 168 MB in memory; spilled, the scan stays at the size of
/// a `jsonl` one.
#[derive(Default)]
pub struct Spool {
    memory: Vec<String>,
    held: usize,
    disk: Option<BufWriter<File>>,
    no_disk: bool,
}

impl Spool {
    /// Adds one record (a line without its newline).
    pub fn push(&mut self, record: String) -> io::Result<()> {
        if let Some(disk) = &mut self.disk {
            disk.write_all(record.as_bytes())?;
            return disk.write_all(b"\n");
        }
        self.held += record.len();
        self.memory.push(record);
        if self.held > SPOOL_IN_MEMORY && !self.no_disk {
            // no temporary file (no TMPDIR, ...): the records stay in memory
            let Ok(file) = tempfile::tempfile() else {
                self.no_disk = true;
                return Ok(());
            };
            let mut disk = BufWriter::new(file);
            for r in self.memory.drain(..) {
                disk.write_all(r.as_bytes())?;
                disk.write_all(b"\n")?;
            }
            self.memory = Vec::new();
            self.disk = Some(disk);
        }
        Ok(())
    }

    /// Calls `each` with every record, in the order they came.
    pub fn drain(self, mut each: impl FnMut(&str) -> io::Result<()>) -> io::Result<()> {
        for r in &self.memory {
            each(r)?;
        }
        let Some(disk) = self.disk else {
            return Ok(());
        };
        let mut file = disk.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.rewind()?;
        let mut line = String::new();
        let mut lines = io::BufReader::new(file);
        while lines.read_line(&mut line)? > 0 {
            each(line.trim_end_matches('\n'))?;
            line.clear();
        }
        Ok(())
    }
}

impl<W: Write> JsonDocument<W> {
    /// Writes to `out`.
    pub fn new(out: W) -> Self {
        JsonDocument {
            out,
            started: false,
            findings: 0,
            unlisted: Spool::default(),
            errors: Spool::default(),
            skipped: Spool::default(),
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
    fn array(&mut self, key: &str, items: Spool) -> io::Result<()> {
        write!(self.out, ",\n  \"{key}\": [")?;
        let mut first = true;
        let out = &mut self.out;
        items.drain(|item| {
            let sep = if first { "" } else { "," };
            first = false;
            write!(out, "{sep}\n    {item}")
        })?;
        if first {
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
            self.unlisted.push(serde_json::to_string(&rec)?)?;
        }
        for rec in FileRecord::all(r) {
            let text = serde_json::to_string(&rec)?;
            if rec.kind_of_record == "error" {
                self.errors.push(text)?;
            } else {
                self.skipped.push(text)?;
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
            self.array(key, items)?;
        }
        write!(self.out, ",\n  \"summary\": ")?;
        serde_json::to_writer(&mut self.out, &SummaryRecord::new(summary))?;
        self.out.write_all(b"\n}\n")?;
        self.out.flush()
    }
}
