//! `--format csv`: one row per finding, UTF-8 with a byte-order mark so that
//! Japanese Excel opens it correctly. Cells that a spreadsheet would run as a
//! formula (`=`, `+`, `-`, `@` first) are prefixed with `'`.

use std::io::{self, Write};

use super::Reporter;
use crate::scan::FileResult;
use crate::summary::Summary;

/// The `csv` reporter.
pub struct Csv<W: Write> {
    out: W,
    header_written: bool,
}

const HEADER: [&str; 17] = [
    "rule_id",
    "category",
    "severity",
    "confidence",
    "path",
    "member",
    "cell",
    "encoding",
    "line",
    "column",
    "byte_offset",
    "redacted",
    "kind",
    "fingerprint",
    "value_id",
    "description",
    "secret",
];

/// One RFC 4180 field, defused against formula injection.
fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

impl<W: Write> Csv<W> {
    /// Writes to `out`.
    pub fn new(out: W) -> Self {
        Csv {
            out,
            header_written: false,
        }
    }

    fn row(&mut self, cells: &[&str]) -> io::Result<()> {
        let line: Vec<String> = cells.iter().map(|c| field(c)).collect();
        self.out.write_all(line.join(",").as_bytes())?;
        self.out.write_all(b"\r\n")
    }

    fn header(&mut self) -> io::Result<()> {
        if !self.header_written {
            self.header_written = true;
            self.out.write_all("\u{feff}".as_bytes())?;
            self.row(&HEADER)?;
        }
        Ok(())
    }
}

impl<W: Write> Reporter for Csv<W> {
    fn file(&mut self, r: &FileResult) -> io::Result<()> {
        self.header()?;
        for f in &r.findings {
            let num = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
            let (line, col, off) = (num(f.line), num(f.column), num(f.byte_offset));
            self.row(&[
                &f.rule.id,
                f.rule.category.as_str(),
                f.severity.as_str(),
                f.confidence.as_str(),
                &f.provenance.path,
                f.provenance.member().as_deref().unwrap_or(""),
                f.provenance.cell.as_deref().unwrap_or(""),
                f.encoding.unwrap_or(""),
                &line,
                &col,
                &off,
                &f.redacted,
                f.kind.unwrap_or(""),
                &f.fingerprint,
                &f.value_id,
                &f.rule.description,
                f.secret.as_deref().unwrap_or(""),
            ])?;
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.header()?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_and_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(field("-----BEGIN"), "'-----BEGIN");
    }
}
