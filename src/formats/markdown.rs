//! Markdown: the file's own text, with each row of a pipe table (a header
//! row, a `|---|:--:|` delimiter row, then rows) annotated with its
//! column's header (`| "個人番号": 1234… |`, see [`super::table`]). Every
//! other line is passed through as it is, so lines keep their numbers.
//!
//! Hand-written: the pipe-table rule is a few lines (GitHub Flavored
//! Markdown, "Tables"), and a Markdown parser crate would hand back events,
//! not the source lines to annotate. Memory: a line is held whole up to
//! [`MAX_LINE`] bytes (a longer one is passed on in pieces and ends any
//! table).

use std::io::{self, Read};

use super::table::{self, Columns};
use super::{Format, Scope};

/// Markdown, by name.
pub(crate) static MARKDOWN: Format = Format {
    name: "markdown",
    sniff,
    file_checks: true,
    read,
};

/// The longest line held to be read as a table row.
pub const MAX_LINE: usize = 64 << 10;

fn sniff(_head: &[u8], path: &str) -> bool {
    super::table::has_extension(path, &[".md", ".markdown", ".mdown", ".mkd"])
}

fn read(scope: &mut Scope<'_, '_, '_>, r: &mut dyn Read) -> io::Result<()> {
    let mut rows = Rows::new(r);
    scope.text(&mut rows);
    let bytes = rows.read;
    scope.set_bytes(bytes);
    Ok(())
}

/// The Markdown text with table rows annotated, as a reader.
pub struct Rows<R> {
    inner: R,
    /// Bytes read from `inner`.
    read: u64,
    line: Vec<u8>,
    /// The last line, if it could be a table's header row.
    prev: Vec<u8>,
    columns: Option<Columns>,
    /// The line being read is longer than [`MAX_LINE`]: passed on as read.
    overlong: bool,
    out: Vec<u8>,
    pos: usize,
    eof: bool,
    input: Vec<u8>,
}

impl<R: Read> Rows<R> {
    /// Annotates the Markdown `inner` reads.
    pub fn new(inner: R) -> Rows<R> {
        Rows {
            inner,
            read: 0,
            line: Vec::new(),
            prev: Vec::new(),
            columns: None,
            overlong: false,
            out: Vec::new(),
            pos: 0,
            eof: false,
            input: vec![0; 64 << 10],
        }
    }

    /// Feeds `data`: whole lines are annotated to `out`.
    fn feed(&mut self, data: &[u8]) {
        let mut rest = data;
        while !rest.is_empty() {
            let nl = memchr::memchr(b'\n', rest);
            let piece = &rest[..nl.map_or(rest.len(), |i| i + 1)];
            rest = &rest[piece.len()..];
            if self.overlong {
                self.out.extend_from_slice(piece);
                self.overlong = nl.is_none();
                continue;
            }
            self.line.extend_from_slice(piece);
            if nl.is_some() {
                let line = std::mem::take(&mut self.line);
                self.emit(&line);
                self.line = line;
                self.line.clear();
            } else if self.line.len() > MAX_LINE {
                self.out.append(&mut self.line);
                self.overlong = true;
                (self.columns, self.prev) = (None, Vec::new());
            }
        }
    }

    /// One whole line (with its line end, if any).
    fn emit(&mut self, line: &[u8]) {
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        let body = body.strip_suffix(b"\r").unwrap_or(body);
        let cells = pipe_cells(body);
        if let (Some(columns), Some(cells)) = (&self.columns, &cells) {
            let end = &line[body.len()..];
            annotate(body, cells, columns, &mut self.out);
            self.out.extend_from_slice(end);
            return;
        }
        self.columns = None;
        if let Some(cells) = &cells {
            if is_delimiter_row(body, cells) {
                if let Some(header) = pipe_cells(&self.prev) {
                    let header: Vec<Vec<u8>> = header
                        .iter()
                        .map(|&(s, e)| self.prev[s..e].to_vec())
                        .collect();
                    self.columns = Columns::from_marked_row(&header);
                }
            }
        }
        self.prev.clear();
        if cells.is_some() && self.columns.is_none() {
            self.prev.extend_from_slice(body);
        }
        self.out.extend_from_slice(line);
    }
}

/// The cells of a pipe-table row (`| a | b |`, `a | b`): each cell's
/// range in `line`, blanks included; `None` if the line has no unescaped
/// `|` or is blank.
fn pipe_cells(line: &[u8]) -> Option<Vec<(usize, usize)>> {
    let mut bars: Vec<usize> = Vec::new();
    let mut code = false;
    for (i, &b) in line.iter().enumerate() {
        match b {
            b'`' => code = !code,
            b'|' if !code && (i == 0 || line[i - 1] != b'\\') => bars.push(i),
            _ => {}
        }
    }
    if bars.is_empty() {
        return None;
    }
    let first = line.iter().position(|b| !b.is_ascii_whitespace())?;
    let last = line.iter().rposition(|b| !b.is_ascii_whitespace())?;
    let mut cells = Vec::with_capacity(bars.len() + 1);
    let mut start = if bars[0] == first { first + 1 } else { 0 };
    for &bar in bars.iter().filter(|&&b| b != first) {
        cells.push((start, bar));
        start = bar + 1;
    }
    if bars.last() != Some(&last) {
        cells.push((start, line.len()));
    }
    Some(cells)
}

/// `|---|:--:|--:|`: every cell dashes with optional colons.
fn is_delimiter_row(line: &[u8], cells: &[(usize, usize)]) -> bool {
    !cells.is_empty()
        && cells.iter().all(|&(s, e)| {
            let c = line[s..e].trim_ascii();
            let c = c.strip_prefix(b":").unwrap_or(c);
            let c = c.strip_suffix(b":").unwrap_or(c);
            !c.is_empty() && c.iter().all(|&b| b == b'-')
        })
}

/// Writes the row `line` with each cell's column key before its text.
fn annotate(line: &[u8], cells: &[(usize, usize)], columns: &Columns, out: &mut Vec<u8>) {
    let mut at = 0;
    for (col, &(s, e)) in cells.iter().enumerate().take(table::MAX_COLUMNS) {
        let text = line[s..e]
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .map_or(e, |i| s + i);
        out.extend_from_slice(&line[at..text]);
        if text < e {
            columns.write_key(col, out);
        }
        at = text;
    }
    out.extend_from_slice(&line[at..]);
}

impl<R: Read> Read for Rows<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.out.len() {
            if self.eof {
                return Ok(0);
            }
            self.out.clear();
            self.pos = 0;
            let mut input = std::mem::take(&mut self.input);
            let n = loop {
                match self.inner.read(&mut input) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        self.input = input;
                        return Err(e);
                    }
                }
            };
            self.read += n as u64;
            if n == 0 {
                self.eof = true;
                let line = std::mem::take(&mut self.line);
                if !line.is_empty() {
                    self.emit(&line);
                }
            } else {
                self.feed(&input[..n]);
            }
            self.input = input;
        }
        // what is left of the made text, as a slice reads it
        let n = (&self.out[self.pos..]).read(buf)?;
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn annotated(md: &str) -> String {
        let mut out = String::new();
        Rows::new(md.as_bytes()).read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn rows_below_a_header_get_its_keys_and_other_lines_stay() {
        let md =
            "# 名簿\n\n|   氏名 | 個人番号 |\n|:--|---:|\n| 佐藤 |  1 |\n|鈴木|2|\n\n| 3 | 4 |\n";
        assert_eq!(
            annotated(md),
            "# 名簿\n\n|   氏名 | 個人番号 |\n|:--|---:|\n| \"氏名\": 佐藤 |  \"個人番号\": 1 |\n\
             |\"氏名\": 鈴木|\"個人番号\": 2|\n\n| 3 | 4 |\n"
        );
        // without outer pipes, CRLF, and no line end at the end
        assert_eq!(
            annotated("a | b\r\n--|--\r\nx | y"),
            "a | b\r\n--|--\r\n\"a\": x | \"b\": y"
        );
        // a blank header row, or one holding a value (pandoc's first row
        // of a form table without a header), gives no keys
        for md in [
            "|  |  |\n|--|--|\n| 個人番号 | 1 |\n",
            "| 番号 | 1234567 |\n|--|--|\n| 氏名 | 2 |\n",
        ] {
            assert_eq!(annotated(md), md);
        }
        // a delimiter row without a header row above is no table
        assert_eq!(
            annotated("text\n|---|---|\n| 1 | 2 |\n"),
            "text\n|---|---|\n| 1 | 2 |\n"
        );
    }
}
