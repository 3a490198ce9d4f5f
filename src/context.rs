//! Evidence around a match: the line it sits on, the key or label right
//! before it (JSON, YAML, INI, XML), the CSV/TSV column header above it, and
//! keywords on the same or the preceding lines.
//!
//! Every look-around is bounded by [`LOOKBACK`] and [`LOOKAHEAD`] bytes, so a
//! decision about a match depends only on bytes the chunked reader keeps in
//! its buffer, whatever the chunk size.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};
use memchr::{memchr, memrchr};
use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use crate::lines::Newlines;
use crate::records::Records;
use crate::text_table::TextTables;

/// Bytes before a match that any detector may look at.
pub const LOOKBACK: usize = 4096;
/// Bytes after the start of a match that any detector may look at.
pub const LOOKAHEAD: usize = 4096;

/// Keyword window on the match's own line: bytes before and after.
const SAME_LINE_BEFORE: usize = 256;
const SAME_LINE_AFTER: usize = 128;
/// A label on a line above the value ("個人番号\n1234 5678 9018").
const LINES_ABOVE: usize = 3;
const ABOVE_BYTES: usize = 512;

/// A case-insensitive keyword set (ASCII case folding; Japanese as is).
#[derive(Debug, Clone)]
pub struct Keywords {
    /// The words, lower-cased (ASCII); none is empty.
    words: Vec<Vec<u8>>,
    /// Matches any slice, ASCII case-insensitively (no SIMD prefilter).
    /// Built on first use, as is `lower`: start-up stays short.
    ac: OnceLock<AhoCorasick>,
    /// The lower-cased words, for searching part of a lower-cased chunk
    /// (with a SIMD prefilter: several times faster).
    lower: OnceLock<AhoCorasick>,
    /// Identifies the set in [`TableHeader`]'s memo.
    id: usize,
}

/// Source of [`Keywords::id`]s.
static NEXT_KEYWORDS_ID: AtomicUsize = AtomicUsize::new(0);

impl Keywords {
    /// A set of `words`, ASCII lower-cased; empty words are dropped.
    pub fn new<I, P>(words: I) -> Keywords
    where
        I: IntoIterator<Item = P>,
        P: AsRef<[u8]>,
    {
        Keywords {
            words: words
                .into_iter()
                .map(|w| w.as_ref().to_ascii_lowercase())
                .filter(|w| !w.is_empty())
                .collect(),
            ac: OnceLock::new(),
            lower: OnceLock::new(),
            id: NEXT_KEYWORDS_ID.fetch_add(1, Ordering::Relaxed),
        }
    }

    fn automaton<'a>(
        &'a self,
        cell: &'a OnceLock<AhoCorasick>,
        case_insensitive: bool,
    ) -> &'a AhoCorasick {
        cell.get_or_init(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(case_insensitive)
                .match_kind(MatchKind::LeftmostFirst)
                .build(&self.words)
                .expect("keyword automaton")
        })
    }

    /// Whether a word occurs in `hay` (ASCII case ignored); never for an empty
    /// set.
    pub fn found_in(&self, hay: &[u8]) -> bool {
        !self.words.is_empty() && self.automaton(&self.ac, true).is_match(hay)
    }

    /// Whether `text` ends with a word (ASCII case-insensitively).
    pub fn ends(&self, text: &[u8]) -> bool {
        self.words
            .iter()
            .any(|w| text.len() >= w.len() && text[text.len() - w.len()..].eq_ignore_ascii_case(w))
    }

    /// Whether a word lies wholly inside `lower[from..to]`, where `lower`
    /// is ASCII lower-cased.
    pub fn found_in_lower(&self, lower: &[u8], from: usize, to: usize) -> bool {
        !self.words.is_empty()
            && self
                .automaton(&self.lower, false)
                .is_match(Input::new(lower).range(from..to))
    }
}

/// What the surroundings say about a candidate value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Evidence {
    /// A keyword labels the value: its key, column header, or its line.
    Keyword,
    /// A keyword on one of the few lines above (a form label above a value).
    KeywordAbove,
    /// A structured key (JSON key, XML tag) names the value as something else.
    LabelledOther,
    /// Nothing either way.
    None,
}

/// The header row of a delimited table (CSV/TSV), kept for the whole file.
#[derive(Debug, Clone)]
pub struct TableHeader {
    /// The cell delimiter: `,` or `\t`.
    pub delimiter: u8,
    /// Whether the first line is a header; `false` for a headerless table
    /// (pandas `to_csv(header=False)`) whose first line is a record, judged
    /// as every other row (the table then has no header cells).
    pub header: bool,
    /// The header's cells, ASCII lower-cased, each followed by `\n`: one
    /// buffer to search for keywords, whole or cell by cell.
    lower: Vec<u8>,
    /// Where each cell lies in `lower`.
    cells: Vec<(usize, usize)>,
    /// Lines above the table's body in the file (the header row and the
    /// titles or blank lines above it); 0 for a headerless table.
    body_line: usize,
    /// Columns whose sampled values are mostly valid My Numbers: a My
    /// Number column even without a keyword in its header (inferred by
    /// `crate::detect::my_number::infer_columns`).
    pub my_number_columns: Vec<usize>,
    /// Columns whose header names My Numbers
    /// ([`crate::detect::my_number::names_my_number`]): a numeric export
    /// of them may have dropped leading zeros, which the My Number
    /// detector gives back.
    pub my_number_headers: Vec<usize>,
    /// Header cells already searched for a keyword set, asked for every
    /// candidate of a digit-heavy file: (set id, column, has a word).
    cells_searched: RefCell<Vec<(usize, usize, bool)>>,
}

/// A cell without its surrounding blanks and double quotes.
pub(crate) fn trim_cell(cell: &[u8]) -> &[u8] {
    let cell = cell.trim_ascii();
    cell.strip_prefix(b"\"")
        .and_then(|c| c.strip_suffix(b"\""))
        .unwrap_or(cell)
        .trim_ascii()
}

impl TableHeader {
    /// Reads a header from the first lines of a file, if it looks like one:
    /// a `.csv`/`.tsv` file, or a first line with at least two delimiters and
    /// no long digit runs. A `.csv`/`.tsv` file whose header row holds a
    /// value (a number of ten digits or more) has no header: that line is a
    /// record. In a `.csv`/`.tsv` file (and a worksheet, read as one) the
    /// header row may sit below a title (see `header_row`).
    pub fn detect(path_lower: &str, head: &[u8]) -> Option<TableHeader> {
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        let tabular_name = [".csv", ".tsv", ".psv", ".tab"]
            .iter()
            .any(|ext| path_lower.ends_with(ext));
        // the header record: its start, end (its line end) and the lines
        // that end at or before it
        let (start, end, lines) = if tabular_name {
            header_row(head)?
        } else {
            (0, memchr(b'\n', head)?, 1)
        };
        let line = unwrapped(trim_cr(&head[start..end]));
        let line = &line[..];
        if line.len() > LOOKAHEAD {
            return None;
        }
        let (delimiter, delimiters) = delimiter_of(line);
        let digit_run = line.windows(6).any(|w| w.iter().all(u8::is_ascii_digit));
        if !tabular_name && (delimiters < 2 || digit_run) {
            return None;
        }
        let mut header = true;
        for_each_cell(line, delimiter, 1, |_, cell| {
            header &= !is_value_cell(trim_cell(cell));
        });
        let mut lower = Vec::with_capacity(line.len() + 1);
        let mut cells = Vec::with_capacity(delimiters + 1);
        if header {
            for_each_cell(line, delimiter, 1, |_, cell| {
                let start = lower.len();
                lower.extend(cell.iter().map(u8::to_ascii_lowercase));
                cells.push((start, lower.len()));
                lower.push(b'\n');
            });
        }
        // a headerless table's first line is sampled with the others
        let body = if header { &head[end + 1..] } else { head };
        // a column headed as another identifier is not inferred
        let my_number_columns: Vec<usize> =
            crate::detect::my_number::infer_columns(body, delimiter, delimiters + 1)
                .into_iter()
                .filter(|&col| {
                    !header
                        || cells.get(col).is_none_or(|&(from, to)| {
                            !crate::detect::my_number::names_other_id(&String::from_utf8_lossy(
                                &lower[from..to],
                            ))
                        })
                })
                .collect();
        let my_number_headers = cells
            .iter()
            .enumerate()
            .filter(|(_, &(from, to))| {
                crate::detect::my_number::names_my_number(&String::from_utf8_lossy(
                    &lower[from..to],
                ))
            })
            .map(|(col, _)| col)
            .collect();
        Some(TableHeader {
            delimiter,
            header,
            body_line: if header { lines } else { 0 },
            my_number_headers,
            lower,
            cells,
            my_number_columns,
            cells_searched: RefCell::new(Vec::new()),
        })
    }

    /// Where the table's body starts in a window: in the file's first
    /// window (`at_file_start`) the line below the header row, in any other
    /// the second line (the first, cut by the window's start, is owned by
    /// the window before); `buf.len()` if there is none.
    pub(crate) fn body_start(&self, buf: &[u8], at_file_start: bool) -> usize {
        let skip = if at_file_start {
            self.body_line.max(1)
        } else {
            1
        };
        memchr::memchr_iter(b'\n', buf)
            .nth(skip - 1)
            .map_or(buf.len(), |i| i + 1)
    }

    /// Whether the line starting at `line_start` of a window is above the
    /// table's body: its header row or a title above it (only in the
    /// file's first window, `at_file_start`).
    pub(crate) fn above_body(&self, buf: &[u8], line_start: usize, at_file_start: bool) -> bool {
        at_file_start
            && self.body_line > 0
            && memchr::memchr_iter(b'\n', &buf[..line_start.min(buf.len())])
                .take(self.body_line)
                .count()
                < self.body_line
    }

    /// The header's cells, ASCII lower-cased, each followed by `\n`.
    pub fn lower_cells(&self) -> &[u8] {
        &self.lower
    }

    /// Whether the header cell of column `col` holds a word of `kw`.
    fn cell_has(&self, kw: &Keywords, col: usize) -> bool {
        let Some(&(from, to)) = self.cells.get(col) else {
            return false;
        };
        let mut searched = self.cells_searched.borrow_mut();
        if let Some(&(_, _, has)) = searched.iter().find(|&&(id, c, _)| id == kw.id && c == col) {
            return has;
        }
        let has = kw.found_in_lower(&self.lower, from, to);
        searched.push((kw.id, col, has));
        has
    }
}

/// Whether a first-line cell is a value rather than a header: a number of
/// ten digits or more, alone or grouped by spaces or hyphens (an id, a
/// phone, card or My Number). No header cell is one.
fn is_value_cell(cell: &[u8]) -> bool {
    let digits = cell.iter().filter(|b| b.is_ascii_digit()).count();
    digits >= 10
        && cell
            .iter()
            .all(|b| b.is_ascii_digit() || matches!(b, b' ' | b'-'))
}

/// How many lines of a `.csv`/`.tsv` file's head are searched for its
/// header row.
const HEADER_SEARCH_LINES: usize = 8;

/// The header record of a table that may have a title above it: a
/// sheet's merged title cell (`社員名簿,,,`), a `作成日,2024/04/01` line or
/// blank rows, as Japanese HR sheets often have. Records (lines, but a
/// quoted cell may hold line ends: Excel's wrapped `"クレジット\nカード番号"`)
/// of at most two filled cells, fewer than half a fuller one among the
/// first [`HEADER_SEARCH_LINES`], and no value, are skipped; the first
/// other record is the header if it holds no value and a skipped one was
/// not blank, else the first record is (a headerless table keeps its
/// first line as a record; a database table of unknown columns, written
/// as CSV below an empty header line, keeps its first row as a record).
/// Gives the record's start and end (its line end) in `head`, and how many
/// lines end at or before its end; `None` without a whole first record.
fn header_row(head: &[u8]) -> Option<(usize, usize, usize)> {
    // (start, end, filled cells, holds a value)
    let mut records: Vec<(usize, usize, usize, bool)> = Vec::with_capacity(HEADER_SEARCH_LINES);
    let mut start = 0;
    while records.len() < HEADER_SEARCH_LINES {
        // (an unclosed quote: the line is the record, as before)
        let naive = || memchr(b'\n', &head[start..]).map(|i| start + i);
        let Some(end) = record_end(head, start).or_else(naive) else {
            break;
        };
        if end - start > LOOKAHEAD {
            break;
        }
        let record = unwrapped(trim_cr(&head[start..end]));
        let (delim, _) = delimiter_of(&record);
        let (mut filled, mut value) = (0, false);
        for_each_cell(&record, delim, 1, |_, cell| {
            let cell = trim_cell(cell);
            filled += usize::from(!cell.is_empty());
            value |= is_value_cell(cell);
        });
        records.push((start, end, filled, value));
        start = end + 1;
    }
    let fullest = records.iter().map(|r| r.2).max().unwrap_or(0);
    let title = |&(_, _, filled, value): &(usize, usize, usize, bool)| {
        !value && filled <= 2 && 2 * filled <= fullest
    };
    let row = match records.iter().position(|r| !title(r)) {
        Some(row) if !records[row].3 && records[..row].iter().any(|r| r.2 > 0) => row,
        _ => 0,
    };
    let &(start, end, _, _) = records.get(row)?;
    Some((
        start,
        end,
        memchr::memchr_iter(b'\n', &head[..end]).count() + 1,
    ))
}

/// The end (its line end) of the CSV record that starts at `start` of
/// `head`: line ends inside double quotes do not end it. `None` if it does
/// not end within [`LOOKAHEAD`] bytes.
fn record_end(head: &[u8], start: usize) -> Option<usize> {
    let rest = &head[start..head.len().min(start + LOOKAHEAD + 1)];
    let mut quoted = false;
    for i in memchr::memchr2_iter(b'\n', b'"', rest) {
        match rest[i] {
            b'"' => quoted = !quoted,
            _ if !quoted => return Some(start + i),
            _ => {}
        }
    }
    None
}

/// A record with the line ends inside its quoted cells made spaces (a
/// wrapped header cell), for reading it as one line.
fn unwrapped(record: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if memchr::memchr2(b'\n', b'\r', record).is_none() {
        return record.into();
    }
    record
        .iter()
        .map(|&b| if matches!(b, b'\n' | b'\r') { b' ' } else { b })
        .collect::<Vec<u8>>()
        .into()
}

/// The delimiter of a table's line (`\t` if it has more tabs than commas,
/// else `,`) and how many it holds.
fn delimiter_of(line: &[u8]) -> (u8, usize) {
    let tabs = line.iter().filter(|&&b| b == b'\t').count();
    let commas = line.iter().filter(|&&b| b == b',').count();
    if tabs > commas {
        (b'\t', tabs)
    } else {
        (b',', commas)
    }
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Calls `f` with the column and bytes of each cell of the first
/// `max_rows` lines of `rows`, in one pass: line ends, delimiters and
/// quotes are found by the same search (delimiters inside double quotes do
/// not count; a quote ends with its line).
pub(crate) fn for_each_cell<'a>(
    rows: &'a [u8],
    delim: u8,
    max_rows: usize,
    mut f: impl FnMut(usize, &'a [u8]),
) {
    let (mut start, mut col, mut row, mut in_quotes) = (0, 0, 0, false);
    for i in memchr::memchr3_iter(b'\n', delim, b'"', rows) {
        match rows[i] {
            b'"' => in_quotes = !in_quotes,
            b'\n' => {
                f(col, &rows[start..i]);
                row += 1;
                if row == max_rows {
                    return;
                }
                (start, col, in_quotes) = (i + 1, 0, false);
            }
            _ if !in_quotes => {
                f(col, &rows[start..i]);
                col += 1;
                start = i + 1;
            }
            _ => {}
        }
    }
    if row < max_rows {
        f(col, &rows[start..]);
    }
}

/// Calls `f` with the column and bytes of each cell of the rows of a
/// table's window `buf` that are known from their start: in the file's
/// first window (`at_file_start`) the lines below the header row, in any
/// other every line after the first (a line cut by the window's start,
/// owned by the window before).
pub(crate) fn for_each_body_cell<'a>(
    buf: &'a [u8],
    table: &TableHeader,
    records: &Records,
    at_file_start: bool,
    mut f: impl FnMut(usize, &'a [u8]),
) {
    let mut start = table.body_start(buf, at_file_start);
    while start < buf.len() {
        let end = records.record_end(buf, start);
        crate::records::for_each_cell(&buf[start..end], table.delimiter, &mut f);
        start = end + 1;
    }
}

/// The view of one buffer position that detectors need to weigh evidence.
pub struct Surroundings<'a> {
    /// The text the position is in (a window of UTF-8 text).
    pub buf: &'a [u8],
    /// True when `buf[0]` is the first byte of the file.
    pub at_file_start: bool,
    /// The file's CSV/TSV header row, for a table.
    pub table: Option<&'a TableHeader>,
    /// The file is JSON or JSON Lines: enclosing keys are looked up.
    pub json: bool,
    /// `buf` lower-cased, for keyword searches with the SIMD prefilter;
    /// empty if there is none (then each look-up searches `buf`'s bytes).
    pub lower: &'a [u8],
    /// The newlines of `buf`, if mapped (else line look-ups search `buf`).
    pub newlines: Option<&'a Newlines>,
    /// The records of `buf` if the file is a table (a quoted cell may hold
    /// line ends, so a line is not always a record).
    pub records: Option<&'a Records>,
    /// The plain-text tables of the stream read so far (for text that is
    /// not a CSV/TSV file or JSON).
    pub text_tables: Option<&'a TextTables>,
}

impl<'a> Surroundings<'a> {
    /// The last newline in `buf[from..to]`.
    fn last_newline(&self, from: usize, to: usize) -> Option<usize> {
        match self.newlines {
            Some(n) => n.last_in(from, to),
            None => memrchr(b'\n', &self.buf[from..to]).map(|i| from + i),
        }
    }

    /// The first newline in `buf[from..to]`.
    fn first_newline(&self, from: usize, to: usize) -> Option<usize> {
        match self.newlines {
            Some(n) => n.first_in(from, to),
            None => memchr(b'\n', &self.buf[from..to]).map(|i| from + i),
        }
    }

    /// Start of the line holding `pos`, if within [`LOOKBACK`].
    pub fn line_start(&self, pos: usize) -> Option<usize> {
        let from = pos.saturating_sub(LOOKBACK);
        match self.last_newline(from, pos) {
            Some(i) => Some(i + 1),
            None if from == 0 && self.at_file_start => Some(0),
            None => None,
        }
    }

    /// End of the line holding `pos` (exclusive, before `\r\n`), bounded.
    pub fn line_end(&self, pos: usize) -> usize {
        let to = (pos + LOOKAHEAD).min(self.buf.len());
        let end = self.first_newline(pos, to).unwrap_or(to);
        if end > pos && self.buf[end - 1] == b'\r' {
            end - 1
        } else {
            end
        }
    }

    /// Whether a word of `keywords` lies wholly inside `buf[from..to]`.
    pub fn keyword_in(&self, keywords: &Keywords, from: usize, to: usize) -> bool {
        if self.lower.len() == self.buf.len() {
            keywords.found_in_lower(self.lower, from, to)
        } else {
            keywords.found_in(&self.buf[from..to])
        }
    }

    /// [`Surroundings::keyword_in`] for a sub-slice of `buf`.
    fn keyword_in_slice(&self, keywords: &Keywords, part: &[u8]) -> bool {
        let from = (part.as_ptr() as usize).wrapping_sub(self.buf.as_ptr() as usize);
        if from <= self.buf.len() && part.len() <= self.buf.len() - from {
            self.keyword_in(keywords, from, from + part.len())
        } else {
            keywords.found_in(part)
        }
    }

    /// Whether a label holds a word of `keywords`; a quoted key with
    /// `\uXXXX` escapes (Python's `json.dumps` writes `"\u500b\u4eba..."` for
    /// 個人...) is looked at unescaped.
    fn label_has(&self, keywords: &Keywords, label: &Label<'_>) -> bool {
        if self.keyword_in_slice(keywords, label.text) {
            return true;
        }
        label.structured
            && memchr::memmem::find(label.text, b"\\u").is_some()
            && unescape_json(label.text).is_some_and(|k| keywords.found_in(k.as_bytes()))
    }

    /// Weighs the evidence for the value at `start..end` against `keywords`.
    pub fn evidence(&self, start: usize, end: usize, keywords: &Keywords) -> Evidence {
        let line_start = self.line_start(start);
        let mut structured_other = false;
        if let Some(ls) = line_start {
            if self.header_cell_has(ls, start, keywords) {
                return Evidence::Keyword;
            }
            let label = label_before(&self.buf[ls..start]);
            if let Some(label) = &label {
                if self.label_has(keywords, label) {
                    return Evidence::Keyword;
                }
                structured_other = label.structured;
            }
            // JSON path: a value with no key of its own, or a generic one
            // (`"value"`, `"number"`), takes the key of what encloses it
            // (JSON files only: elsewhere the look-back finds nothing, at a
            // cost paid for every candidate of a digit-heavy CSV)
            let generic = label
                .as_ref()
                .is_none_or(|l| l.structured && is_generic_key(l.text));
            if generic && self.json {
                let from = start.saturating_sub(LOOKBACK);
                if parent_key(&self.buf[from..start]).is_some_and(|k| {
                    self.label_has(
                        keywords,
                        &Label {
                            text: k,
                            structured: true,
                        },
                    )
                }) {
                    return Evidence::Keyword;
                }
            }
        }
        if structured_other {
            return Evidence::LabelledOther;
        }
        // a row of a plain-text table: its column's header names it (the
        // other columns' headers name other things)
        let text_header = match (line_start, self.table, self.text_tables) {
            (Some(ls), None, Some(t)) => t.header_cell(self.buf, ls, start, end),
            _ => None,
        };
        if text_header.is_some_and(|h| keywords.found_in_lower(h, 0, h.len())) {
            return Evidence::Keyword;
        }
        let ls = line_start.unwrap_or(start.saturating_sub(SAME_LINE_BEFORE));
        let from = ls.max(start.saturating_sub(SAME_LINE_BEFORE));
        let to = self.line_end(end).min(end + SAME_LINE_AFTER).max(end);
        // In a table the lines above are other records, not labels.
        let above = match (line_start, self.table, text_header) {
            (Some(ls), None, None) => self.lines_above(ls).map(|a| (a, ls)),
            _ => None,
        };
        // Most values have no keyword anywhere near: one search over the
        // lines above and this line's window says so; the two windows are
        // searched apart only if it finds a word.
        let first = above.map_or(from, |(a, _)| a.min(from));
        if !self.keyword_in(keywords, first, to) {
            return Evidence::None;
        }
        if self.keyword_in(keywords, from, to) {
            return Evidence::Keyword;
        }
        match above {
            Some((_, ls)) if self.labelled_from_above(keywords, ls, start) => Evidence::Keyword,
            Some((a, ls)) if self.keyword_in(keywords, a, ls) => Evidence::KeywordAbove,
            _ => Evidence::None,
        }
    }

    /// Whether the value at `start` begins its line (which starts at `ls`)
    /// and the line right above ends with a keyword, a `:` or `：` after
    /// it at most: a form's label above its value (`支払を受ける者
    /// 個人番号` / `７２９８…`, as a PDF's text layer or a printout gives
    /// a form), which labels it as a key does.
    fn labelled_from_above(&self, keywords: &Keywords, ls: usize, start: usize) -> bool {
        if ls == 0 || !self.buf[ls..start].iter().all(u8::is_ascii_whitespace) {
            return false;
        }
        let floor = ls.saturating_sub(ABOVE_BYTES);
        let above = self.last_newline(floor, ls - 1).map_or(floor, |i| i + 1);
        let mut line = &self.buf[above..ls - 1];
        loop {
            line = line.trim_ascii_end();
            match line {
                [rest @ .., b':'] => line = rest,
                [rest @ .., 0xEF, 0xBC, 0x9A] => line = rest, // ：
                _ => break,
            }
        }
        keywords.ends(line)
    }

    /// Start of the few lines above the line starting at `ls` (none for
    /// the first line).
    fn lines_above(&self, ls: usize) -> Option<usize> {
        if ls == 0 {
            return None;
        }
        let floor = ls.saturating_sub(ABOVE_BYTES);
        let mut from = ls - 1; // the '\n' ending the line above
        for _ in 0..LINES_ABOVE {
            match self.last_newline(floor, from) {
                Some(i) => from = i,
                None => {
                    from = floor;
                    break;
                }
            }
        }
        Some(from)
    }

    /// The start of the record holding the line that starts at
    /// `line_start` (the line itself unless a quoted cell above holds line
    /// ends).
    fn record_start(&self, line_start: usize) -> usize {
        match self.records {
            Some(r) => r.record_start(self.buf, line_start),
            None => line_start,
        }
    }

    /// The zero-based column holding `pos` in a tabular file (not on the
    /// header row).
    pub fn column(&self, pos: usize) -> Option<usize> {
        let table = self.table?;
        let ls = self.record_start(self.line_start(pos)?);
        if table.above_body(self.buf, ls, self.at_file_start) {
            return None;
        }
        Some(column_index(&self.buf[ls..pos], table.delimiter))
    }

    /// Whether the header cell of the column holding `pos` (in a tabular
    /// file, not on the header row) holds a word of `keywords`.
    fn header_cell_has(&self, line_start: usize, pos: usize, keywords: &Keywords) -> bool {
        let Some(table) = self.table else {
            return false;
        };
        let line_start = self.record_start(line_start);
        if table.above_body(self.buf, line_start, self.at_file_start) {
            return false; // the header row itself, or a title above it
        }
        table.cell_has(
            keywords,
            column_index(&self.buf[line_start..pos], table.delimiter),
        )
    }
}

/// Zero-based column of the end of `prefix` (a line up to a position).
fn column_index(prefix: &[u8], delim: u8) -> usize {
    let mut in_quotes = false;
    let mut col = 0;
    for &b in prefix {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if b == delim && !in_quotes {
            col += 1;
        }
    }
    col
}

/// A key or label right before a value.
#[derive(Debug, PartialEq, Eq)]
pub struct Label<'a> {
    /// The key or label itself, without quotes or separator (at most 64 bytes;
    /// for an XML tag, the whole tag with its attributes).
    pub text: &'a [u8],
    /// A quoted JSON/YAML key or an XML tag: it names the value for sure.
    pub structured: bool,
}

const MAX_LABEL: usize = 64;

/// Keys that say nothing of what a value is.
fn is_generic_key(key: &[u8]) -> bool {
    const GENERIC: [&[u8]; 8] = [
        b"value", b"val", b"number", b"num", b"no", b"id", b"data", b"text",
    ];
    GENERIC.iter().any(|g| key.eq_ignore_ascii_case(g))
}

/// The key of the JSON object or array that encloses the end of `before`
/// (`"my_number": {"value": ` gives `my_number`), looking back over
/// balanced brackets and quoted strings; `None` if there is none in reach.
pub fn parent_key(before: &[u8]) -> Option<&[u8]> {
    let mut depth = 0usize;
    // the value's own opening quote is not a string to skip
    let mut i = before.len();
    while i > 0 && matches!(before[i - 1], b' ' | b'\t' | b'\r' | b'\n') {
        i -= 1;
    }
    if i > 0 && before[i - 1] == b'"' {
        i -= 1;
    }
    while i > 0 {
        i -= 1;
        match before[i] {
            b'"' => {
                // skip back over the string
                let close = i;
                i = memrchr(b'"', &before[..close])?;
                while i > 0 && before[i - 1] == b'\\' {
                    i = memrchr(b'"', &before[..i - 1])?;
                }
            }
            b'}' | b']' => depth += 1,
            b'{' | b'[' if depth == 0 => {
                let label = label_before(&before[..i])?;
                return label.structured.then_some(label.text);
            }
            b'{' | b'[' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The text of a JSON string's content with its `\uXXXX` escapes (and
/// surrogate pairs) decoded; other escapes are kept as they are. `None`
/// if an escape is malformed.
fn unescape_json(raw: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(raw).ok()?;
    let mut out = String::with_capacity(text.len());
    let mut units = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("\\u") {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        units.clear();
        while let Some(hex) = rest.strip_prefix("\\u") {
            units.push(u16::from_str_radix(hex.get(..4)?, 16).ok()?);
            rest = &hex[4..];
        }
        out.extend(char::decode_utf16(units.iter().copied()).map(|c| c.unwrap_or('\u{FFFD}')));
    }
    out.push_str(rest);
    Some(out)
}

/// Finds the label right before a value at the end of `before` (the line up
/// to the value): `"key": "`, `key = `, `key: `, `<key>`, `個人番号：`.
pub fn label_before(before: &[u8]) -> Option<Label<'_>> {
    let mut i = before.len();
    // the value's own opening quote and spaces
    while i > 0 && matches!(before[i - 1], b' ' | b'\t' | b'"' | b'\'') {
        i -= 1;
    }
    if i == 0 {
        return None;
    }
    if before[i - 1] == b'>' {
        return xml_tag_before(&before[..i - 1]);
    }
    let sep_len = if before[i - 1] == b':' || before[i - 1] == b'=' {
        1
    } else if before[..i].ends_with("：".as_bytes()) || before[..i].ends_with("＝".as_bytes()) {
        3
    } else {
        return None;
    };
    i -= sep_len;
    while i > 0 && matches!(before[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    if i > 0 && before[i - 1] == b'"' {
        let end = i - 1;
        let start = memrchr(b'"', &before[end.saturating_sub(MAX_LABEL)..end])?
            + end.saturating_sub(MAX_LABEL)
            + 1;
        return Some(Label {
            text: &before[start..end],
            structured: true,
        });
    }
    let end = i;
    let floor = end.saturating_sub(MAX_LABEL);
    let mut start = end;
    while start > floor
        && !matches!(
            before[start - 1],
            b' ' | b'\t' | b',' | b'{' | b'[' | b';' | b'\'' | b'"' | b'>' | b'|'
        )
    {
        start -= 1;
    }
    if start == end {
        return None;
    }
    Some(Label {
        text: &before[start..end],
        structured: false,
    })
}

fn xml_tag_before(before: &[u8]) -> Option<Label<'_>> {
    let floor = before.len().saturating_sub(MAX_LABEL * 2);
    let open = memrchr(b'<', &before[floor..])? + floor;
    // The whole tag, attributes included: `<field name="my_number">` names
    // its content as well as `<MyNumber>` does.
    let tag = &before[open + 1..];
    if tag.is_empty() || tag[0] == b'/' {
        return None;
    }
    let name_len = tag
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/')
        .unwrap_or(tag.len());
    if is_structure_tag(&tag[..name_len]) {
        // `<td>`, `<text:p>`, `<w:t>`: layout, not a name for the value;
        // its attributes may still say what it holds (`<td class="mynumber">`)
        let attributes = tag[name_len..].trim_ascii();
        return (!attributes.is_empty()).then_some(Label {
            text: attributes,
            structured: false,
        });
    }
    Some(Label {
        text: tag,
        structured: true,
    })
}

/// Element names (local part, ASCII case ignored) that lay text out rather
/// than name it: HTML text and table elements, ODF's `text:p`/`text:span`/
/// `table:table-cell`, OOXML runs (`w:t`, `a:t`), sheet values (`v`, `is`,
/// SpreadsheetML 2003 `Data`/`Cell`) and DocBook/CALS cells (`entry`,
/// `para`). A value right after one of them has no key; a meaningful name
/// (`<MyNumber>`, `<order_id>`, `<field name="…">`) still is one.
fn is_structure_tag(name: &[u8]) -> bool {
    const STRUCTURE: &[&[u8]] = &[
        // HTML: text, phrasing, blocks, lists, tables
        b"td",
        b"th",
        b"tr",
        b"table",
        b"tbody",
        b"thead",
        b"tfoot",
        b"caption",
        b"p",
        b"span",
        b"div",
        b"li",
        b"ul",
        b"ol",
        b"dd",
        b"dt",
        b"dl",
        b"font",
        b"b",
        b"i",
        b"u",
        b"s",
        b"em",
        b"strong",
        b"small",
        b"big",
        b"sub",
        b"sup",
        b"mark",
        b"a",
        b"pre",
        b"code",
        b"tt",
        b"center",
        b"nobr",
        b"h1",
        b"h2",
        b"h3",
        b"h4",
        b"h5",
        b"h6",
        b"blockquote",
        b"section",
        b"article",
        b"body",
        b"br",
        b"label",
        b"abbr",
        b"cite",
        b"bdi",
        // ODF (`text:p`, `text:span`, `text:h`, `table:table-cell`)
        b"h",
        b"table-cell",
        b"list-item",
        // OOXML runs and cells, SpreadsheetML 2003, DocBook / CALS
        b"t",
        b"r",
        b"v",
        b"is",
        b"data",
        b"cell",
        b"entry",
        b"para",
        b"c",
    ];
    let local = match memrchr(b':', name) {
        Some(i) => &name[i + 1..],
        None => name,
    };
    STRUCTURE.iter().any(|s| local.eq_ignore_ascii_case(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_parent_keys() {
        let k = |s: &str| parent_key(s.as_bytes()).map(|k| String::from_utf8_lossy(k).into_owned());
        assert_eq!(
            k(r#"{"my_number": {"value": ""#).as_deref(),
            Some("my_number")
        );
        assert_eq!(k("{\"個人番号\": [\"111\", \""), Some("個人番号".into()));
        assert_eq!(
            k("{\n  \"employee\": {\n    \"my_number\": {\"note\": \"a}b\", \"value\": ")
                .as_deref(),
            Some("my_number")
        );
        assert_eq!(k(r#"{"a": {"b": 1}, "c": "#), None);
        assert_eq!(k("no json here "), None);
    }

    fn label(s: &str) -> Option<(String, bool)> {
        label_before(s.as_bytes())
            .map(|l| (String::from_utf8_lossy(l.text).into_owned(), l.structured))
    }

    #[test]
    fn labels_of_common_formats() {
        assert_eq!(
            label(r#"{"my_number": ""#),
            Some(("my_number".into(), true))
        );
        assert_eq!(
            label(r#"{"a":1,"個人番号":"#),
            Some(("個人番号".into(), true))
        );
        assert_eq!(label("mynumber: "), Some(("mynumber".into(), false)));
        assert_eq!(label("  my_number = '"), Some(("my_number".into(), false)));
        assert_eq!(label("個人番号："), Some(("個人番号".into(), false)));
        assert_eq!(label("<MyNumber>"), Some(("MyNumber".into(), true)));
        assert_eq!(
            label(r#"<field name="my_number">"#),
            Some((r#"field name="my_number""#.into(), true))
        );
        assert_eq!(label("<order_id>"), Some(("order_id".into(), true)));
        // layout tags name nothing; their attributes are plain words
        assert_eq!(label("<td>"), None);
        assert_eq!(label("<tr><td><span>"), None);
        assert_eq!(
            label("<text:p text:style-name=\"P1\">"),
            Some(("text:style-name=\"P1\"".into(), false))
        );
        assert_eq!(
            label("<TD class=mynumber>"),
            Some(("class=mynumber".into(), false))
        );
        assert_eq!(
            label("<table:table-cell office:value-type=\"float\"><text:p>"),
            None
        );
        assert_eq!(label("<w:t>"), None);
        assert_eq!(
            label("<w:t xml:space=\"preserve\">"),
            Some(("xml:space=\"preserve\"".into(), false))
        );
        assert_eq!(label("hello "), None);
    }

    #[test]
    fn json_keys_with_unicode_escapes() {
        assert_eq!(
            unescape_json(br"\u500b\u4eba\u756a\u53f7").as_deref(),
            Some("個人番号")
        );
        assert_eq!(
            unescape_json(br"a\ud83d\ude00b").as_deref(),
            Some("a\u{1F600}b")
        );
        assert_eq!(unescape_json(br"\u12"), None);
    }

    #[test]
    fn evidence_from_line_label_header_and_lines_above() {
        let kw = Keywords::new(["個人番号", "my_number"]);
        let check = |text: &str, needle: &str, table: Option<&TableHeader>| {
            let start = text.find(needle).unwrap();
            let mut newlines = Newlines::default();
            newlines.map(text.as_bytes());
            let lower = text.to_ascii_lowercase();
            let s = Surroundings {
                buf: text.as_bytes(),
                at_file_start: true,
                table,
                json: false,
                lower: &[],
                newlines: None,
                records: None,
                text_tables: None,
            };
            let plain = s.evidence(start, start + needle.len(), &kw);
            // the same with the chunk's lower-cased copy and newline map
            let mapped = Surroundings {
                lower: lower.as_bytes(),
                newlines: Some(&newlines),
                ..s
            };
            assert_eq!(mapped.evidence(start, start + needle.len(), &kw), plain);
            plain
        };
        assert_eq!(
            check("個人番号は 123456789018 です", "123456789018", None),
            Evidence::Keyword
        );
        assert_eq!(
            check(
                r#"{"order_id": "123456789018", "my_number_set": true}"#,
                "123456789018",
                None
            ),
            Evidence::LabelledOther
        );
        // a table cell's tag is no key: the header on the line decides
        assert_eq!(
            check(
                "<tr><th>個人番号</th><td>123456789018</td></tr>",
                "123456789018",
                None
            ),
            Evidence::Keyword
        );
        assert_eq!(
            check("<tr><td>123456789018</td></tr>", "123456789018", None),
            Evidence::None
        );
        assert_eq!(
            check(
                "<employee><order_id>123456789018</order_id></employee>",
                "123456789018",
                None
            ),
            Evidence::LabelledOther
        );
        assert_eq!(
            check("個人番号\n\n123456789018", "123456789018", None),
            Evidence::KeywordAbove
        );
        // Python's json.dumps escapes every non-ASCII character of a key
        assert_eq!(
            check(
                r#"{"\u500b\u4eba\u756a\u53f7": "123456789018"}"#,
                "123456789018",
                None
            ),
            Evidence::Keyword
        );
        assert_eq!(
            check("nothing 123456789018", "123456789018", None),
            Evidence::None
        );
        let csv = "name,my_number\nA,123456789018\n";
        let header = TableHeader::detect("x.csv", csv.as_bytes()).unwrap();
        assert_eq!(check(csv, "123456789018", Some(&header)), Evidence::Keyword);
        let csv = "name,\"note, free\",my_number\nA,\"x, y\",123456789018\n";
        let header = TableHeader::detect("x.csv", csv.as_bytes()).unwrap();
        assert_eq!(check(csv, "123456789018", Some(&header)), Evidence::Keyword);
    }

    #[test]
    fn a_first_line_holding_a_value_is_a_record_not_a_header() {
        let csv = "1,\"1234 5678 9018\",東京\n2,123456789018,大阪\n";
        let t = TableHeader::detect("x.csv", csv.as_bytes()).unwrap();
        assert!(!t.header);
        assert!(t.lower_cells().is_empty());
        let s = Surroundings {
            buf: csv.as_bytes(),
            at_file_start: true,
            table: Some(&t),
            json: false,
            lower: &[],
            newlines: None,
            records: None,
            text_tables: None,
        };
        assert_eq!(s.column(csv.find("1234").unwrap()), Some(1));
        // a header, even with numbers in it, is still one
        for head in ["id,tel_0312345678,x\n", "社員番号,202401,202402\n"] {
            assert!(
                TableHeader::detect("x.csv", head.as_bytes())
                    .unwrap()
                    .header
            );
        }
    }

    #[test]
    fn a_quoted_cell_with_line_ends_keeps_the_columns_below_it() {
        // an address Excel wrapped onto two lines, then the number's cell
        let csv = "氏名,住所,個人番号\n山田,\"東京都千代田区\n1-1-1\",123456789018\n\
                   佐藤,大阪,\"9876\n5432\"\n";
        let t = TableHeader::detect("x.csv", csv.as_bytes()).unwrap();
        let mut records = Records::default();
        records.set(t.body_start(csv.as_bytes(), true), b',');
        let s = Surroundings {
            buf: csv.as_bytes(),
            at_file_start: true,
            table: Some(&t),
            json: false,
            lower: &[],
            newlines: None,
            records: Some(&records),
            text_tables: None,
        };
        assert_eq!(s.column(csv.find("123456").unwrap()), Some(2));
        assert_eq!(s.column(csv.find("1-1-1").unwrap()), Some(1));
        assert_eq!(s.column(csv.find("5432").unwrap()), Some(2));
        let mut body = Vec::new();
        for_each_body_cell(csv.as_bytes(), &t, &records, true, |col, cell| {
            body.push((col, String::from_utf8_lossy(cell).into_owned()))
        });
        assert_eq!(body[2], (2, "123456789018".to_string()));
        assert_eq!(body[3], (0, "佐藤".to_string()));
    }

    #[test]
    fn a_title_above_the_header_row_is_skipped() {
        // a sheet's merged title cell, a date line and a blank row
        let csv = "社員名簿,,,\n作成日,2024/04/01\n\n氏名,個人番号,カード,パスワード\n\
                   山田,123456789018,4111111111111111,x\n";
        let t = TableHeader::detect("x.csv", csv.as_bytes()).unwrap();
        assert!(t.header);
        assert_eq!(
            t.lower_cells(),
            "氏名\n個人番号\nカード\nパスワード\n".as_bytes()
        );
        assert_eq!(t.my_number_headers, vec![1]);
        let s = Surroundings {
            buf: csv.as_bytes(),
            at_file_start: true,
            table: Some(&t),
            json: false,
            lower: &[],
            newlines: None,
            records: None,
            text_tables: None,
        };
        assert_eq!(s.column(csv.find("作成日").unwrap() + 10), None);
        assert_eq!(s.column(csv.find("123").unwrap()), Some(1));
        let mut body = Vec::new();
        let none = Records::default();
        for_each_body_cell(csv.as_bytes(), &t, &none, true, |col, cell| {
            body.push((col, cell))
        });
        assert_eq!(body[0], (0, "山田".as_bytes()));
        // not in another window, whose first line is cut
        let mut body = Vec::new();
        for_each_body_cell(csv.as_bytes(), &t, &none, false, |col, cell| {
            body.push((col, cell))
        });
        assert_eq!(body[0], (0, "作成日".as_bytes()));
        // a wrapped header cell (Excel's Alt+Enter) below a title
        let csv = "法人カード一覧,,,\n氏名,\"クレジット\nカード番号\",有効期限,暗証番号\n山田,4111,12/29,4000\n";
        let t = TableHeader::detect("x.csv", csv.as_bytes()).unwrap();
        assert_eq!(t.body_line, 3);
        assert_eq!(
            t.lower_cells(),
            "氏名\n\"クレジット カード番号\"\n有効期限\n暗証番号\n".as_bytes()
        );
        // no skipping: a record below a title, blank lines alone (a
        // database table of unknown columns), a one-column table, a
        // header on the first line
        for (csv, first) in [
            ("社員名簿,,\n山田,123456789018,x\n", "社員名簿"),
            ("\nx,y,z\n1,2,3\n", ""),
            ("個人番号\n123456789018\n", "個人番号"),
            ("氏名,番号\n山田,1\n", "氏名"),
        ] {
            let t = TableHeader::detect("x.csv", csv.as_bytes()).unwrap();
            assert_eq!(t.body_line, 1, "{first}");
            assert!(t.lower_cells().starts_with(first.as_bytes()), "{first}");
        }
        let head = "社員名簿\nid,tel_0312345678,x\n";
        let t = TableHeader::detect("x.csv", head.as_bytes()).unwrap();
        assert!(t.header);
        assert_eq!(t.body_line, 2);
    }
}
