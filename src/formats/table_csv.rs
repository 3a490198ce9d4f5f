//! A database table (a SQL dump's, a SQLite file's) handed to the scanner
//! as CSV, in bounded pieces: each piece is a [`Step::Sheet`] member named
//! after the table that starts with the table's header row (so a column
//! name such as `my_number` applies to every row of it, however many
//! follow) and holds whole rows up to [`PIECE`] bytes. Nothing grows with
//! the table: one piece is held at a time.
//!
//! After a piece is scanned, each of its findings is told where it is
//! ([`crate::finding::Finding`]'s `cell`: the column's name, the row's number
//! in the table and, for a dump, the line of the dump the row starts on),
//! found from the piece itself, which is still in memory.

use memchr::memrchr;

use super::Scope;
use crate::provenance::Step;

/// A piece is handed to the scanner once it holds this many bytes.
pub const PIECE: usize = 4 << 20;

/// One table being written as CSV pieces.
pub struct TableCsv {
    /// The table's name as shown (`public.employees`).
    name: String,
    /// The header row, CSV, with its line end.
    header: Vec<u8>,
    /// The column names, for the findings' cells.
    columns: Vec<String>,
    /// The piece being filled: the header, then rows.
    piece: Vec<u8>,
    /// Table row number (1-based) of the piece's first row.
    first_row: u64,
    /// Rows in the piece.
    rows: u64,
    /// Dump line of each row of the piece, run-length coded: (row in the
    /// piece, line, rows advance lines); empty when rows have no line.
    lines: Vec<(u64, u64, bool)>,
    /// Fields written in the current row.
    fields: usize,
}

impl TableCsv {
    /// A table `name` whose columns are `columns` (raw bytes as the source
    /// wrote them; empty when unknown), its rows numbered from
    /// `first_row`.
    pub fn new(name: String, columns: &[Vec<u8>], first_row: u64) -> TableCsv {
        let mut header = Vec::new();
        for (i, c) in columns.iter().enumerate() {
            if i > 0 {
                header.push(b',');
            }
            push_field(&mut header, c);
        }
        header.push(b'\n');
        TableCsv {
            name,
            columns: columns
                .iter()
                .map(|c| crate::redact::name(&String::from_utf8_lossy(c)).into_owned())
                .collect(),
            piece: header.clone(),
            header,
            first_row,
            rows: 0,
            lines: Vec::new(),
            fields: 0,
        }
    }

    /// The table's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The number the next row will have.
    pub fn next_row(&self) -> u64 {
        self.first_row + self.rows
    }

    /// Starts a row that begins on `line` of the dump (`None`: rows have no
    /// line, as in a database file).
    pub fn start_row(&mut self, line: Option<u64>) {
        self.fields = 0;
        let Some(line) = line else { return };
        let row = self.rows;
        if let Some((r0, l0, step)) = self.lines.last_mut() {
            let gap = row - *r0;
            let follows = if *step {
                *l0 + gap == line
            } else {
                *l0 == line || (gap == 1 && *l0 + 1 == line)
            };
            if follows {
                *step = *l0 != line;
                return;
            }
        }
        self.lines.push((row, line, false));
    }

    /// Adds a field to the row: bytes as they are (the scanner detects
    /// their encoding), quoted when they hold a comma or a quote, line
    /// breaks turned into spaces so that a row stays one line.
    pub fn field(&mut self, value: &[u8]) {
        if self.fields > 0 {
            self.piece.push(b',');
        }
        self.fields += 1;
        push_field(&mut self.piece, value);
    }

    /// Ends the row; the piece is handed to the scanner when full.
    pub fn end_row(&mut self, scope: &mut Scope<'_, '_, '_>) {
        self.piece.push(b'\n');
        self.rows += 1;
        if self.piece.len() >= PIECE {
            self.flush(scope);
        }
    }

    /// Bytes of the row being written so far (to hold a row to a cap).
    pub fn row_len(&self) -> usize {
        let start = memrchr(b'\n', &self.piece).map_or(0, |i| i + 1);
        self.piece.len() - start
    }

    /// Hands the rows written so far to the scanner as one piece, and
    /// names the cell of each finding in it.
    pub fn flush(&mut self, scope: &mut Scope<'_, '_, '_>) {
        if self.rows == 0 {
            return;
        }
        // a row cut short (a limit) ends here
        if self.piece.last() != Some(&b'\n') {
            self.piece.push(b'\n');
        }
        let first = scope.findings_len();
        let step = Step::Sheet(self.name.clone());
        scope.member(Some(step), &mut &self.piece[..], None);
        for f in scope.findings_since(first) {
            let Some(offset) = f.byte_offset else {
                continue;
            };
            let (row, column) = self.locate(offset as usize);
            let Some(row) = row else { continue };
            let line = self.line_of(row);
            let name = column
                .and_then(|c| self.columns.get(c).cloned())
                .unwrap_or_else(|| format!("column {}", column.map_or(0, |c| c + 1)));
            let number = self.first_row + row;
            f.provenance.cell = Some(match line {
                Some(l) => format!("{name}, row {number}, line {l}"),
                None => format!("{name}, row {number}"),
            });
            f.line = line.or(Some(number));
            f.column = None;
        }
        self.first_row += self.rows;
        self.rows = 0;
        self.lines.clear();
        self.piece.clear();
        self.piece.extend_from_slice(&self.header);
    }

    /// The row (0-based in the piece) and column a byte offset of the
    /// piece is in; no row for the header.
    fn locate(&self, offset: usize) -> (Option<u64>, Option<usize>) {
        let offset = offset.min(self.piece.len());
        if offset < self.header.len() {
            return (None, None);
        }
        let start = memrchr(b'\n', &self.piece[..offset]).map_or(0, |i| i + 1);
        let row = bytecount::count(&self.piece[self.header.len()..start], b'\n') as u64;
        let mut column = 0;
        let mut in_quotes = false;
        for &b in &self.piece[start..offset] {
            match b {
                b'"' => in_quotes = !in_quotes,
                b',' if !in_quotes => column += 1,
                _ => {}
            }
        }
        (Some(row), Some(column))
    }

    /// The dump line a row of the piece starts on, if rows have lines.
    fn line_of(&self, row: u64) -> Option<u64> {
        let i = self.lines.partition_point(|&(r, _, _)| r <= row);
        let (r0, l0, step) = *self.lines.get(i.checked_sub(1)?)?;
        Some(if step { l0 + (row - r0) } else { l0 })
    }
}

/// A CSV field: quoted when it holds a comma or a quote; `\r` and `\n`
/// become spaces (a row is one line, so its header applies to each cell).
pub fn push_field(out: &mut Vec<u8>, value: &[u8]) {
    let quote = value.iter().any(|&b| b == b',' || b == b'"');
    if quote {
        out.push(b'"');
    }
    for &b in value {
        match b {
            b'"' => out.extend_from_slice(b"\"\""),
            b'\n' | b'\r' => out.push(b' '),
            _ => out.push(b),
        }
    }
    if quote {
        out.push(b'"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_map_to_lines_and_cells_to_columns() {
        let cols = vec![b"id".to_vec(), b"my_number".to_vec()];
        let mut t = TableCsv::new("t".into(), &cols, 1);
        for (i, line) in [(0, 10), (1, 11), (2, 12), (3, 40), (4, 40)] {
            t.start_row(Some(line));
            t.field(format!("{i}").as_bytes());
            t.field(b"a,\"b\"\nc");
            t.piece.push(b'\n');
            t.rows += 1;
        }
        assert_eq!(t.line_of(0), Some(10));
        assert_eq!(t.line_of(2), Some(12));
        assert_eq!(t.line_of(3), Some(40));
        assert_eq!(t.line_of(4), Some(40));
        let text = String::from_utf8(t.piece.clone()).unwrap();
        assert!(text.starts_with("id,my_number\n0,\"a,\"\"b\"\" c\"\n"));
        let third = text.match_indices("\n2,").next().unwrap().0 + 4;
        assert_eq!(t.locate(third), (Some(2), Some(1)));
        assert_eq!(t.locate(2), (None, None));
    }
}
