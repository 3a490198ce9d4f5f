//! A table's header row, applied to every row below it: the formats that
//! read tables out of documents (HTML, Markdown, Word and PowerPoint) write
//! each data cell as `"header": value`, the shape of a JSON key, so that
//! [`crate::context::label_before`] reads the cell's own column header as a
//! structured key naming the value, however many rows lie between. The
//! header decides both ways: `"個人番号": …` is a My Number keyword, and
//! `"社員番号": …` names the value as something else; `"パスワード": …` is a
//! password assignment to the credential rules.
//!
//! Bounded: at most [`MAX_COLUMNS`] columns and [`MAX_HEADER`] bytes of each
//! header cell are kept, whatever the table.

/// Columns whose header is kept; cells further right get no key.
pub const MAX_COLUMNS: usize = 256;
/// Bytes of a header cell kept (cut at a character boundary); the key
/// look-back reads at most 64.
pub const MAX_HEADER: usize = 60;
/// Bytes of a first-row cell collected to decide whether the row is a
/// header: a longer cell is text, not a header.
pub const MAX_CELL: usize = 256;

/// A header row: one key per column, cleaned to be written between quotes.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    keys: Vec<Vec<u8>>,
}

impl Columns {
    /// The header from the first row's cells (their text as collected, at
    /// most [`MAX_CELL`] bytes each), if the row looks like a header: at
    /// least three cells (two are as often a form's label and value), or
    /// two of which the second names My Numbers, the first does not and
    /// neither holds ten digits; one
    /// with a letter, none with a run of six digits or
    /// longer than [`MAX_HEADER`] after cleaning; `th` cells (`all_th`)
    /// always make one.
    pub fn from_row(cells: &[Vec<u8>], all_th: bool) -> Option<Columns> {
        let keys: Vec<Vec<u8>> = cells.iter().map(|c| clean(c)).collect();
        // two cells are as often a form's label and value (氏名 | 山田) as
        // a header: a header row without `th` needs three
        // ... or two, the second naming My Numbers and the first not,
        // neither a number (氏名 | 扶養親族の個人番号: LibreOffice Calc's
        // HTML of a two-column sheet; a form's label comes first:
        // 個人番号 | 別紙参照)
        let names =
            |k: &Vec<u8>| crate::detect::my_number::names_my_number(&String::from_utf8_lossy(k));
        let names_column = || {
            keys.len() == 2
                && keys
                    .iter()
                    .all(|k| !k.is_empty() && k.iter().filter(|b| b.is_ascii_digit()).count() < 10)
                && !names(&keys[0])
                && names(&keys[1])
        };
        let header_like = (keys.len() >= 3 || names_column())
            && keys.iter().any(|k| k.iter().any(|b| !b.is_ascii_digit()))
            && cells
                .iter()
                .all(|c| !has_digit_run(c) && c.len() < MAX_CELL)
            && keys.iter().all(|k| k.len() <= MAX_HEADER);
        if !(header_like || all_th && !keys.is_empty()) {
            return None;
        }
        Some(Columns {
            keys: keys
                .into_iter()
                .take(MAX_COLUMNS)
                .map(|k| cut(k, MAX_HEADER))
                .collect(),
        })
    }

    /// The header from a row its format marks as one (Markdown's row above
    /// a `|---|` delimiter row), unless the row is blank or a cell of it
    /// holds a value (a run of six digits): pandoc writes a table without
    /// a header (a Word form's `| 氏名 | 山田 | 個人番号 | 1234… |`) with
    /// its first row as the header row, and a form's label cells, not that
    /// row, name the values below it.
    pub fn from_marked_row(cells: &[Vec<u8>]) -> Option<Columns> {
        let blank = cells.iter().all(|c| c.trim_ascii().is_empty());
        if blank || cells.iter().any(|c| has_digit_run(c)) {
            return None;
        }
        Columns::from_row(cells, true)
    }

    /// Writes the key of column `col` (`"header": `) to `out`; an empty
    /// key (`"": `) for a column without a header, so that another
    /// column's header on the same line does not label the cell; nothing
    /// for a generic header ([`is_generic_header`]: the row's own label
    /// decides, as in a form's `| 項目 | 内容 |` table) or past the last
    /// column.
    pub fn write_key(&self, col: usize, out: &mut Vec<u8>) {
        if let Some(k) = self.keys.get(col).filter(|k| !is_generic_header(k)) {
            out.push(b'"');
            out.extend_from_slice(k);
            out.extend_from_slice(b"\": ");
        }
    }

    /// The header of column `col`, as written in its key.
    pub fn key(&self, col: usize) -> Option<&[u8]> {
        self.keys.get(col).map(Vec::as_slice)
    }

    /// How many columns have a key.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether no column has a key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// A table read cell by cell (Word and PowerPoint parts, ODF, RTF,
/// `.doc`, `.ppt`): the first row's cells are collected as they are read;
/// when the row ends, [`Columns::from_row`] decides whether it is a header,
/// and from then on each cell starts with its column's key. A later row
/// with another number of cells that looks like a header starts a new one
/// (two tables that a producer joined into one: LibreOffice does so with
/// adjacent tables). Bounded: at most [`MAX_COLUMNS`] cells of a row, of at
/// most [`MAX_CELL`] bytes each, are held, in buffers reused row to row.
#[derive(Debug, Default)]
pub struct Rows {
    /// The header, once the first row is read (`None` if it is no header).
    columns: Option<Columns>,
    /// Whether the first row has been read.
    decided: bool,
    /// The current row's cells, as read: the first `used` of them.
    cells: Vec<Vec<u8>>,
    used: usize,
    /// The column of the current (or next) cell in its row.
    col: usize,
    /// Cells (not covered by a merged cell) of the header row, and of the
    /// current row.
    header_cells: usize,
    row_cells: usize,
}

impl Rows {
    /// A cell starts: its key is written to `out` (rows below a header),
    /// and its text will be collected.
    pub fn start_cell(&mut self, out: &mut Vec<u8>) {
        self.row_cells += 1;
        self.covered_cell(out);
    }

    /// A cell covered by a merged cell to its left (ODF's
    /// `covered-table-cell`): a column, but not a cell of the row's count.
    pub fn covered_cell(&mut self, out: &mut Vec<u8>) {
        if let (Some(c), true) = (&self.columns, self.decided) {
            c.write_key(self.col, out);
        }
        self.next_cell();
    }

    fn next_cell(&mut self) {
        if self.used < MAX_COLUMNS {
            if self.used == self.cells.len() {
                self.cells.push(Vec::new());
            }
            self.cells[self.used].clear();
            self.used += 1;
        }
    }

    /// Text of the current cell.
    pub fn text(&mut self, text: &[u8]) {
        if let Some(cell) = self.cells[..self.used].last_mut() {
            collect(cell, text);
        }
    }

    /// The current cell ends; it spans `span` columns (a repeated cell, at
    /// least 1).
    pub fn end_cell(&mut self, span: usize) {
        let span = span.clamp(1, MAX_COLUMNS);
        // the collected cell stands for the first of its columns
        for _ in 1..span {
            self.next_cell();
        }
        self.col = self.col.saturating_add(span).min(MAX_COLUMNS);
    }

    /// The row ends: the first one decides the header, and a later one
    /// with another count of cells may replace it.
    pub fn end_row(&mut self) {
        let cells = &self.cells[..self.used];
        if !self.decided {
            self.decided = true;
            self.columns = Columns::from_row(cells, false);
            self.header_cells = self.row_cells;
        } else if self.row_cells != self.header_cells {
            if let Some(c) = Columns::from_row(cells, false) {
                self.columns = Some(c);
                self.header_cells = self.row_cells;
            }
        }
        (self.col, self.used, self.row_cells) = (0, 0, 0);
    }
}

/// Whether `path` ends with one of `extensions` (ASCII case ignored),
/// without allocating: it is asked of every file.
pub fn has_extension(path: &str, extensions: &[&str]) -> bool {
    let path = path.as_bytes();
    extensions.iter().any(|e| {
        path.len() >= e.len() && path[path.len() - e.len()..].eq_ignore_ascii_case(e.as_bytes())
    })
}

/// Headers that say nothing of what their column holds: a two-column
/// form (`| 項目 | 内容 |`, `| Field | Value |`) labels each value in its
/// row instead.
pub fn is_generic_header(key: &[u8]) -> bool {
    const GENERIC: &[&str] = &[
        "項目",
        "内容",
        "値",
        "詳細",
        "情報",
        "記入欄",
        "記載内容",
        "記入内容",
        "item",
        "items",
        "field",
        "value",
        "values",
        "data",
        "content",
        "contents",
        "details",
    ];
    GENERIC
        .iter()
        .any(|g| key.eq_ignore_ascii_case(g.as_bytes()))
}

/// The value of a data cell written with its column's key
/// (`"個人番号": 1234…`, see [`Columns::write_key`]): the bytes after the
/// key's `":`; `None` for a cell without a key.
pub fn keyed_value(cell: &[u8]) -> Option<&[u8]> {
    if !cell.trim_ascii_start().starts_with(b"\"") {
        return None;
    }
    memchr::memmem::find(cell, b"\":").map(|i| &cell[i + 2..])
}

/// Appends a cell's text to `cell`, up to [`MAX_CELL`] bytes (the rest is
/// dropped, and the cell is then too long to be a header).
pub fn collect(cell: &mut Vec<u8>, text: &[u8]) {
    let room = (MAX_CELL + 1).saturating_sub(cell.len());
    cell.extend_from_slice(&text[..text.len().min(room)]);
}

/// A header cell as a key: blanks collapsed to one space and trimmed;
/// quotes, backslashes and control bytes dropped.
fn clean(cell: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(cell.len());
    for &b in cell {
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => {
                if out.last().is_some_and(|&l| l != b' ') {
                    out.push(b' ');
                }
            }
            b'"' | b'\\' => {}
            b if b < 0x20 => {}
            b => out.push(b),
        }
    }
    while out.last() == Some(&b' ') {
        out.pop();
    }
    out
}

/// `key` cut to at most `max` bytes at a UTF-8 character boundary.
fn cut(mut key: Vec<u8>, max: usize) -> Vec<u8> {
    if key.len() > max {
        let mut end = max;
        while end > 0 && key[end] & 0xC0 == 0x80 {
            end -= 1;
        }
        key.truncate(end);
    }
    key
}

fn has_digit_run(cell: &[u8]) -> bool {
    cell.windows(6).any(|w| w.iter().all(u8::is_ascii_digit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<Vec<u8>> {
        cells.iter().map(|c| c.as_bytes().to_vec()).collect()
    }

    fn key(c: &Columns, col: usize) -> String {
        let mut out = Vec::new();
        c.write_key(col, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_header_row_gives_keys_and_a_data_row_none() {
        let c = Columns::from_row(&row(&["氏名", " 個人\n 番号 ", "", "\"q\""]), false).unwrap();
        assert_eq!(key(&c, 0), "\"氏名\": ");
        assert_eq!(key(&c, 1), "\"個人 番号\": ");
        assert_eq!(key(&c, 2), "\"\": ");
        assert_eq!(key(&c, 3), "\"q\": ");
        assert_eq!(key(&c, 4), "");
        let form = Columns::from_row(&row(&["項目", "内容"]), true).unwrap();
        assert_eq!(key(&form, 1), "");
        assert!(Columns::from_row(&row(&["佐藤", "123456789018"]), false).is_none());
        assert!(Columns::from_row(&row(&["only"]), false).is_none());
        assert!(Columns::from_row(&row(&["1", "2", "3"]), false).is_none());
        assert!(Columns::from_row(&row(&["氏名", "山田"]), false).is_none());
        // two cells, the second naming My Numbers: a header (a form's
        // label comes first)
        let c = Columns::from_row(&row(&["氏名", "扶養親族の個人番号"]), false).unwrap();
        assert_eq!(key(&c, 1), "\"扶養親族の個人番号\": ");
        assert!(Columns::from_row(&row(&["個人番号", "別紙参照"]), false).is_none());
        assert!(Columns::from_row(&row(&["氏名", "個人番号 1234 5678 9018"]), false).is_none());
        // a marked header row (Markdown's) that is blank or holds a value
        assert!(Columns::from_marked_row(&row(&["", " "])).is_none());
        assert!(Columns::from_marked_row(&row(&["氏名", "山田", "123456789018"])).is_none());
        assert!(Columns::from_marked_row(&row(&["氏名", "番号"])).is_some());
        assert!(Columns::from_row(&row(&["only"]), true).is_some());
        let long = "長".repeat(30);
        assert!(Columns::from_row(&row(&["a", "b", &long]), false).is_none());
        let c = Columns::from_row(&row(&["a", &long]), true).unwrap();
        assert_eq!(key(&c, 1), format!("\"{}\": ", "長".repeat(20)));
    }
}
