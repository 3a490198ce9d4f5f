//! Column headers of tables in plain text: a header line whose cells are
//! separated by tabs, by `|`, or aligned by runs of two or more spaces
//! stays in force for the lines below it as long as they keep its shape
//! (as many tabs or `|`; cells that line up under its cells), however many
//! rows follow. A blank line or a line of another shape ends the table (a
//! rule line such as `----  ----` does not).
//!
//! This is the plain-text side of what [`crate::formats::table`] does for
//! documents that mark their tables: text files, and the text that formats
//! without table marks give (a PDF's lines, a `.doc` table whose header the
//! reader could not tell), carry a header in force far past the three
//! lines above that [`crate::context`] looks at.
//!
//! One pass: [`TextTables::read`] reads each line of the stream once, in
//! order, as the chunked reader moves on, and decides it from its first
//! [`MAX_ROW`] bytes (a longer line is no row and ends a table), all in the
//! window that owns the line's start: the tables found do not depend on
//! the chunk size. The tables whose rows reach into the current window are
//! kept, their headers copied (at most [`MAX_ROW`] bytes each) into buffers
//! reused from window to window, so nothing grows with the file. A value's
//! header cell is found by a binary search and a look at its line's prefix
//! ([`TextTables::header_cell`]), without allocating.

use std::ops::Range;

use std::sync::LazyLock;

use memchr::memmem::Finder;
use memchr::{memchr, memchr2_iter, memchr_iter};
use unicode_width::UnicodeWidthChar;

use crate::context::LOOKAHEAD;

/// Longest line (bytes, without its line end) that can be a header or a
/// row: no more than [`LOOKAHEAD`], so that the window owning a line's
/// start sees where it ends.
pub const MAX_ROW: usize = 2048;
/// Longest header cell (bytes, trimmed): a longer one is text, not a
/// header.
const MAX_HEADER: usize = 60;
/// Most cells of a header line.
const MAX_CELLS: usize = 64;
/// Shortest digit run that makes a line a record rather than a header.
const DIGIT_RUN: usize = 6;

const _: () = assert!(MAX_ROW < LOOKAHEAD);

/// How a table's cells are separated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sep {
    Tab,
    Pipe,
    /// Two or more spaces; cells are placed by display column.
    Spaces,
}

/// A header cell: where its lower-cased text is in [`TextTables::text`],
/// and (aligned tables) the display columns it covers.
#[derive(Clone, Copy, Debug)]
struct Cell {
    text: (u32, u32),
    cols: (u32, u32),
}

/// One table: its header's shape and cells, and where its rows are.
#[derive(Clone, Debug)]
struct Table {
    sep: Sep,
    /// Tabs or `|` on the header line: each row has as many.
    seps: usize,
    /// The header line starts with `|` (its first cell is after it).
    leading_pipe: bool,
    /// Its header cells in [`TextTables::cells`].
    cells: Range<usize>,
    /// Stream offsets from its first row's start to its last row's end
    /// (past the line end); empty while it has no row.
    rows: Range<u64>,
}

/// The plain-text tables of one stream, as far as it has been read.
#[derive(Debug, Default)]
pub struct TextTables {
    /// Tables whose rows reach into the current window, in stream order;
    /// the last one may still grow (`open`).
    tables: Vec<Table>,
    cells: Vec<Cell>,
    /// The header cells' text, ASCII lower-cased.
    text: Vec<u8>,
    open: bool,
    /// Stream offset of the next line to read.
    next: u64,
    /// The line at `next` is longer than [`MAX_ROW`]: the next line starts
    /// after its line end.
    skipping: bool,
    /// Stream offset of the current window's first byte.
    offset: u64,
    /// A row's cells while it is matched against its header (reused).
    scratch: Vec<(u32, u32)>,
}

impl TextTables {
    /// Forgets everything: a new stream starts.
    pub fn reset(&mut self) {
        self.tables.clear();
        self.cells.clear();
        self.text.clear();
        self.open = false;
        self.next = 0;
        self.skipping = false;
        self.offset = 0;
    }

    /// Reads the lines of a window `buf` (stream offset `offset`) that
    /// start before `owned_end`, from where the last window stopped. At the
    /// stream's end (`buf` holds less than [`LOOKAHEAD`] bytes past
    /// `owned_end`) a last line without line end counts.
    pub fn read(&mut self, buf: &[u8], offset: u64, owned_end: usize) {
        self.offset = offset;
        self.retire(offset);
        let at_end = buf.len().saturating_sub(owned_end) < LOOKAHEAD;
        let mut pos = match self.next.checked_sub(offset) {
            Some(p) => p as usize,
            None => {
                // the stream was not read from its start: a break
                self.close();
                self.skipping = true;
                0
            }
        };
        while pos < owned_end.min(buf.len()) {
            if self.skipping {
                match memchr(b'\n', &buf[pos..]) {
                    Some(i) => {
                        pos += i + 1;
                        self.skipping = false;
                        continue;
                    }
                    None => {
                        pos = buf.len();
                        break;
                    }
                }
            }
            let reach = buf.len().min(pos + MAX_ROW + 1);
            let (line, next) = match memchr(b'\n', &buf[pos..reach]) {
                Some(i) => (&buf[pos..pos + i], pos + i + 1),
                None if buf.len() - pos > MAX_ROW => {
                    self.close();
                    self.skipping = true;
                    pos += MAX_ROW + 1;
                    continue;
                }
                None if at_end => (&buf[pos..], buf.len()),
                None => break,
            };
            self.line(line, offset + pos as u64, offset + next as u64);
            pos = next;
        }
        self.next = offset + pos as u64;
    }

    /// Drops the tables whose rows end before `offset` (not the open one).
    fn retire(&mut self, offset: u64) {
        let keep_last = usize::from(self.open);
        let closed = self.tables.len() - keep_last;
        let dead = self.tables[..closed]
            .iter()
            .take_while(|t| t.rows.end <= offset)
            .count();
        if dead == 0 {
            return;
        }
        self.tables.drain(..dead);
        // move the survivors' cells and text to the front of their buffers
        let (Some(first), Some(last)) = (self.tables.first(), self.tables.last()) else {
            self.cells.clear();
            self.text.clear();
            return;
        };
        let cells = first.cells.start..last.cells.end;
        let text_from = self.cells[cells.start].text.0 as usize;
        self.cells.drain(..cells.start);
        self.cells.truncate(cells.len());
        self.text.drain(..text_from);
        for c in &mut self.cells {
            c.text.0 -= text_from as u32;
            c.text.1 -= text_from as u32;
        }
        for t in &mut self.tables {
            t.cells = t.cells.start - cells.start..t.cells.end - cells.start;
        }
    }

    /// One line (without its line end), from stream offset `start` to
    /// `end` (past its line end).
    fn line(&mut self, line: &[u8], start: u64, end: u64) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            self.close();
            return;
        }
        if self.open {
            if is_rule(line) {
                return;
            }
            let t = self.tables.len() - 1;
            if self.is_row(t, line) {
                let rows = &mut self.tables[t].rows;
                if rows.is_empty() {
                    *rows = start..end;
                } else {
                    rows.end = end;
                }
                return;
            }
            self.close();
        }
        self.try_header(line, end);
    }

    /// The open table ends; one without rows is forgotten.
    fn close(&mut self) {
        if !std::mem::take(&mut self.open) {
            return;
        }
        if let Some(t) = self.tables.pop_if(|t| t.rows.is_empty()) {
            self.cells.truncate(t.cells.start);
            if let Some(c) = self.cells.last() {
                self.text.truncate(c.text.1 as usize);
            } else {
                self.text.clear();
            }
        }
    }

    /// Takes `line` (ending at stream offset `end`) as a header, if it
    /// looks like one: two cells or more, none longer than [`MAX_HEADER`],
    /// one with a letter, no run of [`DIGIT_RUN`] digits.
    fn try_header(&mut self, line: &[u8], end: u64) {
        let (mut tabs, mut pipes) = (0, 0);
        for i in memchr2_iter(b'\t', b'|', line) {
            if line[i] == b'\t' {
                tabs += 1;
            } else {
                pipes += 1;
            }
        }
        let sep = if tabs > 0 {
            Sep::Tab
        } else if pipes >= 2 {
            Sep::Pipe
        } else if may_be_aligned_header(line) {
            Sep::Spaces
        } else {
            return;
        };
        if has_digit_run(line) {
            return;
        }
        let (cells_from, text_from) = (self.cells.len(), self.text.len());
        let mut ok = true;
        let mut filled = 0;
        let mut letter = false;
        let leading_pipe = sep == Sep::Pipe && line.trim_ascii_start().starts_with(b"|");
        let mut add = |cell: &[u8], cols: (u32, u32), cells: &mut Vec<Cell>, text: &mut Vec<u8>| {
            let cell = cell.trim_ascii();
            if cell.len() > MAX_HEADER || cells.len() - cells_from >= MAX_CELLS {
                ok = false;
                return;
            }
            filled += usize::from(!cell.is_empty());
            letter |= cell.iter().any(|b| b.is_ascii_alphabetic() || *b >= 0x80);
            let from = text.len() as u32;
            text.extend(cell.iter().map(u8::to_ascii_lowercase));
            cells.push(Cell {
                text: (from, text.len() as u32),
                cols,
            });
        };
        match sep {
            Sep::Tab | Sep::Pipe => {
                let delim = if sep == Sep::Tab { b'\t' } else { b'|' };
                let mut parts = line.split(|&b| b == delim).peekable();
                if leading_pipe {
                    parts.next();
                }
                while let Some(cell) = parts.next() {
                    let last = parts.peek().is_none();
                    if last && sep == Sep::Pipe && cell.trim_ascii().is_empty() {
                        break; // after a trailing `|`
                    }
                    add(cell, (0, 0), &mut self.cells, &mut self.text);
                }
            }
            Sep::Spaces => spaced_cells(line, |bytes, cols| {
                add(&line[bytes], cols, &mut self.cells, &mut self.text)
            }),
        }
        if !ok || filled < 2 || !letter {
            self.cells.truncate(cells_from);
            self.text.truncate(text_from);
            return;
        }
        self.tables.push(Table {
            sep,
            seps: if sep == Sep::Tab { tabs } else { pipes },
            leading_pipe,
            cells: cells_from..self.cells.len(),
            // empty, where its rows will start: the tables stay sorted
            rows: end..end,
        });
        self.open = true;
    }

    /// Whether `line` is a row of table `t`: as many separators, or (an
    /// aligned table) two cells or more, each under a header cell of its
    /// own, left to right.
    fn is_row(&mut self, t: usize, line: &[u8]) -> bool {
        let table = &self.tables[t];
        match table.sep {
            Sep::Tab => memchr_iter(b'\t', line).count() == table.seps,
            Sep::Pipe => {
                memchr(b'\t', line).is_none() && memchr_iter(b'|', line).count() == table.seps
            }
            Sep::Spaces => {
                if memchr(b'\t', line).is_some() {
                    return false;
                }
                self.scratch.clear();
                let scratch = &mut self.scratch;
                spaced_cells(line, |_, cols| scratch.push(cols));
                let header = &self.cells[table.cells.clone()];
                let mut last = None;
                self.scratch.len() >= 2
                    && self.scratch.iter().all(|&cols| {
                        let Some(col) = under(header, cols) else {
                            return false;
                        };
                        let after = last.is_none_or(|l| col > l);
                        last = Some(col);
                        after
                    })
            }
        }
    }

    /// The header cell (ASCII lower-cased) of the value at `from..to` of
    /// `buf`, the current window, whose line starts at `line_start`:
    /// `Some` if the line is a row of a table (the cell may be empty: a
    /// column without header), `None` if it is not.
    pub fn header_cell(
        &self,
        buf: &[u8],
        line_start: usize,
        from: usize,
        to: usize,
    ) -> Option<&[u8]> {
        let t = self.table_at(self.offset + line_start as u64)?;
        let prefix = buf.get(line_start..from)?;
        let header = &self.cells[t.cells.clone()];
        let col = match t.sep {
            Sep::Tab => memchr_iter(b'\t', prefix).count(),
            Sep::Pipe => {
                let pipes = memchr_iter(b'|', prefix).count();
                let lead = prefix.trim_ascii_start().starts_with(b"|");
                pipes - usize::from(lead && t.leading_pipe).min(pipes)
            }
            Sep::Spaces => {
                let x0 = width(prefix);
                let x1 = x0 + width(buf.get(from..to)?).max(1);
                match under(header, (x0, x1)) {
                    Some(c) => c,
                    None => return Some(&[]),
                }
            }
        };
        Some(header.get(col).map_or(&[][..], |c| {
            &self.text[c.text.0 as usize..c.text.1 as usize]
        }))
    }

    /// The table one of whose rows starts at stream offset `at`.
    fn table_at(&self, at: u64) -> Option<&Table> {
        let i = self.tables.partition_point(|t| t.rows.start <= at);
        let t = self.tables.get(i.checked_sub(1)?)?;
        (!t.rows.is_empty() && at < t.rows.end).then_some(t)
    }

    /// The number of tables kept (those whose rows reach into the window).
    pub fn len(&self) -> usize {
        self.tables.len()
    }

    /// Whether no table is kept.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
    }

    /// The header cells (ASCII lower-cased) of table `t`.
    pub fn header(&self, t: usize) -> impl Iterator<Item = &[u8]> {
        self.tables
            .get(t)
            .map_or(&[][..], |t| &self.cells[t.cells.clone()])
            .iter()
            .map(|c| &self.text[c.text.0 as usize..c.text.1 as usize])
    }

    /// Calls `f` with the column and bytes of each cell of the rows of
    /// table `t` that lie wholly in `buf`, the current window.
    pub fn for_each_row_cell<'b>(
        &self,
        t: usize,
        buf: &'b [u8],
        mut f: impl FnMut(usize, &'b [u8]),
    ) {
        let Some(table) = self.tables.get(t) else {
            return;
        };
        let window = self.offset..self.offset + buf.len() as u64;
        let from = table.rows.start.max(window.start) - self.offset;
        let to = table.rows.end.min(window.end) - self.offset;
        if from >= to {
            return;
        }
        let (from, to) = (from as usize, to as usize);
        // a row that started before the window is the window before's
        let mut start = if table.rows.start >= window.start {
            from
        } else {
            memchr(b'\n', &buf[from..to]).map_or(to, |i| from + i + 1)
        };
        let header = &self.cells[table.cells.clone()];
        while start < to {
            let Some(i) = memchr(b'\n', &buf[start..to]) else {
                break; // cut by the window's end
            };
            let line = &buf[start..start + i];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            start += i + 1;
            if is_rule(line) {
                continue;
            }
            match table.sep {
                Sep::Tab | Sep::Pipe => {
                    let delim = if table.sep == Sep::Tab { b'\t' } else { b'|' };
                    let mut parts = line.split(|&b| b == delim);
                    if table.sep == Sep::Pipe
                        && table.leading_pipe
                        && line.trim_ascii_start().starts_with(b"|")
                    {
                        parts.next();
                    }
                    for (col, cell) in parts.enumerate() {
                        f(col, cell);
                    }
                }
                Sep::Spaces => spaced_cells(line, |bytes, cols| {
                    if let Some(col) = under(header, cols) {
                        f(col, &line[bytes]);
                    }
                }),
            }
        }
    }
}

/// The header cell under which display columns `cols` lie: the one they
/// overlap most.
fn under(header: &[Cell], cols: (u32, u32)) -> Option<usize> {
    let mut best = None;
    let mut most = 0;
    for (i, c) in header.iter().enumerate() {
        let overlap = cols.1.min(c.cols.1).saturating_sub(cols.0.max(c.cols.0));
        if overlap > most {
            (best, most) = (Some(i), overlap);
        }
    }
    best
}

/// Whether an aligned line may be a header, before its columns are
/// worked out: two cells or more between runs of two spaces (or an
/// ideographic space), none longer than [`MAX_HEADER`] bytes.
fn may_be_aligned_header(line: &[u8]) -> bool {
    static TWO_SPACES: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"  "));
    static IDEOGRAPHIC: LazyLock<Finder<'static>> =
        LazyLock::new(|| Finder::new("\u{3000}".as_bytes()));
    let (mut filled, mut rest) = (0, line);
    loop {
        let (cell, more) = match TWO_SPACES.find(rest) {
            Some(i) => (&rest[..i], Some(&rest[i + 2..])),
            None => (rest, None),
        };
        let cell = cell.trim_ascii();
        if cell.len() > MAX_HEADER {
            return IDEOGRAPHIC.find(line).is_some();
        }
        filled += usize::from(!cell.is_empty());
        match more {
            Some(m) => rest = m,
            // an ideographic space is worked out in full
            None => return filled >= 2 || IDEOGRAPHIC.find(line).is_some(),
        }
    }
}

/// Calls `f` with the bytes and display columns of each cell of an aligned
/// line: cells are separated by two spaces or more (an ideographic space
/// counts as two); single spaces stay inside a cell.
fn spaced_cells(line: &[u8], mut f: impl FnMut(Range<usize>, (u32, u32))) {
    if line.is_ascii() {
        // one column a byte: cells between runs of two spaces or more
        let mut start = None;
        let mut end = 0;
        let mut blanks = 0;
        for (i, &b) in line.iter().enumerate() {
            if b == b' ' {
                blanks += 1;
                if blanks == 2 {
                    if let Some(s) = start.take() {
                        f(s..end, (s as u32, end as u32));
                    }
                }
            } else {
                blanks = 0;
                start.get_or_insert(i);
                end = i + 1;
            }
        }
        if let Some(s) = start {
            f(s..end, (s as u32, end as u32));
        }
        return;
    }
    let mut col = 0u32;
    let mut pos = 0usize;
    // the open cell: its start (byte, column) and end after its last
    // non-blank character
    let mut cell: Option<(usize, u32)> = None;
    let mut end = (0usize, 0u32);
    let mut blanks = 0u32;
    for chunk in line.utf8_chunks() {
        for c in chunk.valid().chars() {
            let len = c.len_utf8();
            let w = c.width().unwrap_or(0) as u32;
            match c {
                ' ' | '\u{3000}' => {
                    blanks += if c == ' ' { 1 } else { 2 };
                    if blanks >= 2 {
                        if let Some((b, x)) = cell.take() {
                            f(b..end.0, (x, end.1));
                        }
                    }
                }
                _ => {
                    blanks = 0;
                    if cell.is_none() {
                        cell = Some((pos, col));
                    }
                    end = (pos + len, col + w);
                }
            }
            pos += len;
            col += w;
        }
        // bytes that are not UTF-8: one column each
        for _ in chunk.invalid() {
            blanks = 0;
            if cell.is_none() {
                cell = Some((pos, col));
            }
            pos += 1;
            col += 1;
            end = (pos, col);
        }
    }
    if let Some((b, x)) = cell {
        f(b..end.0, (x, end.1));
    }
}

/// Display width of `text` (East Asian wide characters count two).
fn width(text: &[u8]) -> u32 {
    text.utf8_chunks()
        .map(|c| {
            c.valid()
                .chars()
                .map(|ch| ch.width().unwrap_or(0) as u32)
                .sum::<u32>()
                + c.invalid().len() as u32
        })
        .sum()
}

/// A rule line between a header and its rows: `-`, `=`, `+`, `|`, `:`
/// and blanks only.
fn is_rule(line: &[u8]) -> bool {
    line.iter().any(|b| matches!(b, b'-' | b'='))
        && line
            .iter()
            .all(|b| matches!(b, b'-' | b'=' | b'+' | b'|' | b':' | b' ' | b'\t'))
}

fn has_digit_run(line: &[u8]) -> bool {
    let mut run = 0;
    for &b in line {
        run = if b.is_ascii_digit() { run + 1 } else { 0 };
        if run >= DIGIT_RUN {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The header cell of `needle` (its `nth` occurrence) in `text` read
    /// with windows of `chunk` new bytes each.
    fn cell_of(text: &str, needle: &str, nth: usize, chunk: usize) -> Option<String> {
        let at = text.match_indices(needle).nth(nth).unwrap().0;
        let bytes = text.as_bytes();
        let mut t = TextTables::default();
        let mut owned = 0usize;
        loop {
            let start = owned.saturating_sub(crate::context::LOOKBACK);
            let owned_end = (owned + chunk).min(bytes.len());
            let end = (owned_end + LOOKAHEAD).min(bytes.len());
            let buf = &bytes[start..end];
            t.read(buf, start as u64, owned_end - start);
            if at < owned_end {
                let rel = at - start;
                let ls = memchr::memrchr(b'\n', &buf[..rel]).map_or(0, |i| i + 1);
                return t
                    .header_cell(buf, ls, rel, rel + needle.len())
                    .map(|c| String::from_utf8_lossy(c).into_owned());
            }
            owned = owned_end;
        }
    }

    fn table(header: &str, row: impl Fn(usize) -> String, rows: usize) -> String {
        let mut s = String::from("前文です。\n\n");
        s += header;
        s.push('\n');
        for i in 0..rows {
            s += &row(i);
            s.push('\n');
        }
        s += "\n以上\n";
        s
    }

    #[test]
    fn tab_separated_header_applies_to_its_column_far_below() {
        let text = table(
            "社員番号\t氏名\t個人番号\t電話番号",
            |i| format!("E{i:04}\t山田 太郎\tMN{i:03}\tTEL{i:03}"),
            200,
        );
        for chunk in [1, 100, 4096, 1 << 20] {
            assert_eq!(
                cell_of(&text, "MN150", 0, chunk).as_deref(),
                Some("個人番号")
            );
            assert_eq!(
                cell_of(&text, "TEL150", 0, chunk).as_deref(),
                Some("電話番号")
            );
            assert_eq!(cell_of(&text, "以上", 0, chunk), None);
            assert_eq!(cell_of(&text, "前文", 0, chunk), None);
        }
    }

    #[test]
    fn aligned_columns_by_display_width() {
        let text = table(
            "社員番号  氏名        個人番号      電話番号",
            |i| format!("E{i:04}     山田 太郎   MN{i:03}         TEL{i:03}"),
            50,
        );
        for chunk in [7, 1 << 20] {
            assert_eq!(
                cell_of(&text, "MN040", 0, chunk).as_deref(),
                Some("個人番号")
            );
            assert_eq!(
                cell_of(&text, "TEL040", 0, chunk).as_deref(),
                Some("電話番号")
            );
            assert_eq!(
                cell_of(&text, "山田 太郎", 45, chunk).as_deref(),
                Some("氏名")
            );
        }
    }

    #[test]
    fn pipes_rules_and_shape_changes() {
        let text = " id | 氏名 | my_number\n----+------+----------\n  1 | 山田 | MN1\n  2 | 佐藤 | MN2\n(2 rows)\n  3 | 鈴木 | MN3\n";
        assert_eq!(
            cell_of(text, "MN2", 0, 1 << 20).as_deref(),
            Some("my_number")
        );
        assert_eq!(cell_of(text, "山田", 0, 1 << 20).as_deref(), Some("氏名"));
        // after a line of another shape the header is no longer in force
        assert_eq!(cell_of(text, "MN3", 0, 1 << 20), None);
        let text = "| 氏名 | 個人番号 |\n|---|---|\n| 山田 | MN1 |\n";
        assert_eq!(cell_of(text, "MN1", 0, 3).as_deref(), Some("個人番号"));
        // a tab count that changes ends the table
        let text = "a\tb\tc\n1\t2\tMN1\n1\t2\n1\t2\tMN2\n";
        assert_eq!(cell_of(text, "MN1", 0, 1 << 20).as_deref(), Some("c"));
        assert_eq!(cell_of(text, "MN2", 0, 1 << 20), None);
    }

    #[test]
    fn records_and_long_lines_are_no_headers() {
        // a first line with a long number is a record, not a header
        let text = "E1\t123456789018\tx\nE2\tMN1\ty\n";
        assert_eq!(cell_of(text, "MN1", 0, 1 << 20), None);
        let long = "長".repeat(MAX_ROW);
        let text = format!("a\tb\n{long}\tc\nx\tMN1\n");
        assert_eq!(cell_of(&text, "MN1", 0, 1 << 20), None);
        assert_eq!(cell_of(&text, "MN1", 0, 5), None);
        // prose with one double space and a line of prose below
        let text = "This is it.  Then more.\nAnother sentence MN1 here.\n";
        assert_eq!(cell_of(text, "MN1", 0, 1 << 20), None);
    }

    #[test]
    fn row_cells_of_a_table() {
        let text = "x\n社員番号\tパスワード\nE1\tpw1\nE2\tpw2\n\n";
        let mut t = TextTables::default();
        t.read(text.as_bytes(), 0, text.len());
        assert_eq!(t.len(), 1);
        let header: Vec<_> = t
            .header(0)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        assert_eq!(header, ["社員番号", "パスワード"]);
        let mut cells = Vec::new();
        t.for_each_row_cell(0, text.as_bytes(), |col, c| {
            cells.push((col, String::from_utf8_lossy(c).into_owned()))
        });
        assert_eq!(
            cells,
            [
                (0, "E1".into()),
                (1, "pw1".into()),
                (0, "E2".into()),
                (1, "pw2".into())
            ]
        );
    }
}
