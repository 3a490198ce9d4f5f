//! Reading order: the spans of text a page shows, put back into lines, and
//! the lines into table rows where a header row stands above them.
//!
//! Spans are sorted by baseline (top of the page first); those whose
//! baselines lie within 40 % of their height make one line. A line's spans
//! are joined left to right into cells: directly when they touch, with a
//! space across a word gap, directly again between single digits drawn a
//! box apart (a number written one digit per cell of a form, 個人番号 on a
//! 源泉徴収票, reads as one number), and a gap wider than [`COLUMN_GAP`]
//! starts a new cell, written after a tab: a table's columns stay apart, so
//! a card number is not read on into the expiry date beside it.
//!
//! A line of at least three short cells without digits that
//! [`Columns::from_row`] takes for a header, with at least [`MIN_ROWS`]
//! rows below it whose cells each lie under one of its cells, is a table:
//! each cell of those rows is written after its column's key
//! (`"個人番号": …`), as the other document readers write table cells
//! ([`crate::formats::table`]), so the header is evidence for its column
//! however many rows follow. The table ends at a line that does not fit
//! its columns, a title-like line under the first column alone, or a
//! vertical gap wider than 1.75 row pitches.
//!
//! Under a header, a cell that lies under two header cells is cut between
//! the spans it was joined from (table cells drawn a few points apart, as
//! Chromium's default padding draws them, make one cell by their gap);
//! and a row whose cells wrap onto more lines is put back together: a line
//! drawn off the baseline of the one above, or a wrapped line's distance
//! below it (rows standing further apart) that leaves the first column
//! empty, is more of the row above, and each cell's pieces are joined
//! (a number broken where the cell was full reads whole, a
//! grouped one keeps its groups). So are the header's own wrapped cells,
//! below it or centred on it (a header drawn on lines off each other's
//! baseline is one row). Rows stand apart from wrapped lines by 1.3 times
//! their distance, or by a consistent hair (every row's first line further
//! down than every wrapped line: LibreOffice Writer); where they stand
//! clearly apart, a line that fills the first column is more of the row
//! too when the row began with a taller cell's centred lines (wkhtmltopdf,
//! WeasyPrint) or each of its cells continues a full one (Impress, whose
//! first column wraps too). Header cells of Japanese text a space apart
//! are separate cells, and the same text drawn twice a hair apart (faux
//! bold) is read once.

use crate::formats::table::Columns;

/// A run of text shown on one baseline, in page space (points).
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// Where it starts and ends along the baseline.
    pub x0: f32,
    /// Where it ends.
    pub x1: f32,
    /// The baseline.
    pub y: f32,
    /// The font size on the page.
    pub size: f32,
    /// The text.
    pub text: String,
}

/// How far apart, in font sizes, two single digits may be and still be one
/// number (a digit per box: boxes are about one to one and a half ems).
const DIGIT_BOX_GAP: f32 = 2.0;

/// A gap narrower than this, in font sizes, is no space.
const TOUCH: f32 = 0.15;

/// A gap wider than this, in font sizes, parts two cells of a line (a
/// table's columns, a form's label and field): word spaces are a quarter
/// to a third of it, the narrowest column gaps of real tables (Chromium's
/// cell padding) about one.
pub const COLUMN_GAP: f32 = 0.6;

/// A table ends at a line further below the one before than this many
/// times its row pitch (the least distance between its rows so far): the
/// space before a title or a paragraph.
const ROW_GAP: f32 = 1.75;

/// A line this close below another, in font sizes, is part of its row
/// drawn off the baseline, not a title.
const OFF_BASELINE: f32 = 0.8;

/// Most distance, in font sizes, between a header and its first row.
const FIRST_ROW: f32 = 3.0;

/// Rows of two cells or more a header needs below it to apply.
pub const MIN_ROWS: usize = 2;

/// A line at most this many times a table's least line distance below
/// the line above is that line's cell text wrapped, when rows stand
/// further apart ([`ROWS_APART`]).
const WRAPPED: f32 = 1.1;

/// Rows stand apart from a cell's wrapped lines when some line of the
/// table is at least this many times the least line distance below the
/// one above (cell padding and borders between rows).
const ROWS_APART: f32 = 1.3;

/// Rows stand apart from a cell's wrapped lines, too, when every line that
/// fills the first column (a row's first line) stands at least this many
/// font sizes further below the line above than every line that leaves it
/// empty (LibreOffice Writer's thin cell padding: 13.3 pt against 12.8).
const ROWS_APART_BY: f32 = 0.02;

/// Most lines, each drawn off the baseline of the one above, that make one
/// header row (a header cell whose text wraps, centred on its row).
const HEADER_LINES: usize = 4;

impl Span {
    /// A span; a backwards run (text drawn right to left) is turned.
    pub fn new(x0: f32, x1: f32, y: f32, size: f32, text: String) -> Span {
        Span {
            x0: x0.min(x1),
            x1: x0.max(x1),
            y,
            size,
            text,
        }
    }

    /// Whether `next` starts where this one ends, on the same baseline.
    pub fn continues(&self, next: &Span) -> bool {
        let tol = 0.1 * self.size.max(next.size);
        (next.y - self.y).abs() <= tol && (next.x0 - self.x1).abs() <= tol
    }

    /// Appends `next` to this span.
    pub fn extend(&mut self, next: Span) {
        self.text.push_str(&next.text);
        self.x1 = self.x1.max(next.x1);
        self.size = self.size.max(next.size);
    }

    fn single_digit(&self) -> bool {
        let t = self.text.trim();
        t.len() == 1 && t.as_bytes()[0].is_ascii_digit()
    }
}

/// A cell of a line: spans joined, and where they lie.
#[derive(Debug, Clone, PartialEq)]
struct Cell {
    x0: f32,
    x1: f32,
    text: String,
    /// The spans joined into it: where each starts in `text`, and where
    /// it lies along the line.
    pieces: Vec<(usize, f32, f32)>,
}

impl Cell {
    /// The cell with the blanks at the end of its text cut off.
    fn trimmed(mut self) -> Cell {
        self.text.truncate(self.text.trim_end().len());
        self
    }
}

/// A line: its baseline, its largest font size, its cells left to right.
#[derive(Debug)]
struct Line {
    y: f32,
    size: f32,
    cells: Vec<Cell>,
}

/// Lays `spans` out as lines of text appended to `out`, one `\n` after
/// each, the cells of a line apart by a tab and table rows keyed by their
/// header; a row whose cells wrap onto more lines is written as one line,
/// each cell's pieces joined (see `join`). `spans` is left sorted.
pub fn write(spans: &mut [Span], out: &mut String) {
    let lines = lines(spans);
    let mut i = 0;
    while i < lines.len() {
        match Table::at(&lines, i) {
            Some(t) => {
                for line in &lines[i..i + t.head_lines] {
                    write_cells(&line.cells, None, out);
                }
                t.write(out);
                i += t.head_lines + t.body.len();
            }
            None => {
                write_cells(&lines[i].cells, None, out);
                i += 1;
            }
        }
    }
}

/// The lines of `spans`, top of the page first.
fn lines(spans: &mut [Span]) -> Vec<Line> {
    spans.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x0.total_cmp(&b.x0)));
    let mut out = Vec::new();
    let mut start = 0;
    while start < spans.len() {
        let (y, size) = (spans[start].y, spans[start].size);
        let mut end = start + 1;
        while end < spans.len() && (y - spans[end].y).abs() <= 0.4 * size.max(spans[end].size) {
            end += 1;
        }
        let line = &mut spans[start..end];
        line.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        let cells = cells(line);
        if !cells.is_empty() {
            let size = line.iter().map(|s| s.size).fold(0.0, f32::max);
            out.push(Line { y, size, cells });
        }
        start = end;
    }
    out
}

/// Joins a line's spans (sorted left to right) into cells.
fn cells(line: &[Span]) -> Vec<Cell> {
    let mut cells: Vec<Cell> = Vec::new();
    let mut prev: Option<&Span> = None;
    for s in line {
        if s.text.trim().is_empty() {
            continue;
        }
        // the same text drawn again a hair to the side: faux bold
        // (wkhtmltopdf draws a `<th>` twice, half a unit apart)
        if prev.is_some_and(|p| p.text == s.text && (s.x0 - p.x0).abs() <= TOUCH * p.size) {
            continue;
        }
        let (gap, boxes) = match prev {
            Some(p) => {
                let gap = (s.x0 - p.x1) / p.size.max(s.size);
                (
                    gap,
                    p.single_digit() && s.single_digit() && gap <= DIGIT_BOX_GAP,
                )
            }
            None => (f32::INFINITY, false),
        };
        match cells.last_mut() {
            Some(c) if boxes || gap <= COLUMN_GAP => {
                if boxes {
                    c.pieces.push((c.text.len(), s.x0, s.x1));
                    c.text.push_str(s.text.trim());
                } else {
                    if gap > TOUCH && !c.text.ends_with(' ') && !s.text.starts_with(' ') {
                        c.text.push(' ');
                    }
                    c.pieces.push((c.text.len(), s.x0, s.x1));
                    c.text.push_str(&s.text);
                }
                c.x1 = c.x1.max(s.x1);
            }
            _ => cells.push(Cell {
                x0: s.x0,
                x1: s.x1,
                text: s.text.trim_start().to_string(),
                pieces: vec![(0, s.x0, s.x1)],
            }),
        }
        prev = Some(s);
    }
    cells.into_iter().map(Cell::trimmed).collect()
}

/// Writes a line's cells apart by tabs, each after its column's key when
/// the line is a table row (`placed`: each cell's column, `None` for a
/// cell between two columns), then `\n`.
fn write_cells(cells: &[Cell], row: Option<(&Columns, &[Option<usize>])>, out: &mut String) {
    for (k, c) in cells.iter().enumerate() {
        if k > 0 {
            out.push('\t');
        }
        if let Some((columns, placed)) = row {
            let mut key = Vec::new();
            match placed.get(k).copied().flatten() {
                Some(col) => columns.write_key(col, &mut key),
                // between two columns: an empty key, so that no other
                // column's header names it
                None => key.extend_from_slice(b"\"\": "),
            }
            out.push_str(&String::from_utf8_lossy(&key));
        }
        out.push_str(&c.text);
    }
    out.push('\n');
}

/// A table found under a header line.
struct Table {
    columns: Columns,
    /// Where the header's cells lie.
    heads: Vec<(f32, f32)>,
    /// The right end of each column: the furthest any of its cells
    /// reaches.
    right: Vec<f32>,
    /// The lines under the header that belong to the table, each cell
    /// that lay under two header cells cut in two ([`Table::split`]).
    body: Vec<Line>,
    /// How many lines the header was drawn on (its cells' text wrapped
    /// and centred on its row: lines drawn off each other's baseline).
    head_lines: usize,
    /// How many of `body`'s first lines are the header's cells wrapped.
    header_lines: usize,
    /// How far below the line above, at most, a line is a cell's text
    /// wrapped, if rows stand further apart than that ([`Wrap`]).
    wrap: Option<Wrap>,
}

/// How a table's rows stand apart from its cells' wrapped lines.
#[derive(Debug, Clone, Copy)]
struct Wrap {
    /// Most distance of a wrapped line below the line above.
    most: f32,
    /// Whether rows stand clearly apart ([`ROWS_APART`] times the wrapped
    /// lines' distance): then a wrapped line may fill the first column too
    /// (that column wraps as well), where every cell it has continues one
    /// that filled its column on the line above.
    clear: bool,
    /// Whether the line distances alone tell rows from wrapped lines
    /// (every column may wrap, the first one too: Writer's narrow tables
    /// whose first column is a number): then any line at most
    /// [`Wrap::most`] below the line above is more of its row.
    by_distance: bool,
}

impl Table {
    /// The table whose header is line `i`, if it is one; the table's
    /// lines end before line `i + 1 + body.len()`.
    fn at(lines: &[Line], i: usize) -> Option<Table> {
        if let Some(t) = Table::headed(&lines[i], 1, &lines[i + 1..]) {
            return Some(t);
        }
        // a header drawn on lines off each other's baseline: a cell's
        // text wrapped and centred on the row (Chromium, WeasyPrint)
        let mut n = 1;
        while n < HEADER_LINES
            && i + n < lines.len()
            && lines[i + n - 1].y - lines[i + n].y <= OFF_BASELINE * lines[i + n].size
            && !has_digits(&lines[i + n])
        {
            n += 1;
        }
        if n < 2 || has_digits(&lines[i]) {
            return None;
        }
        let head = merged(&lines[i..i + n])?;
        Table::headed(&head, n, &lines[i + n..])
    }

    /// The table whose header is `head` (drawn on `head_lines` lines), over
    /// the lines below it (`below`), if it is one.
    fn headed(head: &Line, head_lines: usize, below: &[Line]) -> Option<Table> {
        if has_digits(head) {
            return None;
        }
        let cut = cut_cjk(head);
        let head = cut.as_ref().unwrap_or(head);
        // at most MAX_COLUMNS columns: placing a row's cells costs cells
        // times columns
        if !(3..=crate::formats::table::MAX_COLUMNS).contains(&head.cells.len()) {
            return None;
        }
        let raw: Vec<Vec<u8>> = head
            .cells
            .iter()
            .map(|c| c.text.as_bytes().to_vec())
            .collect();
        let mut t = Table {
            columns: Columns::from_row(&raw, false)?,
            heads: head.cells.iter().map(|c| (c.x0, c.x1)).collect(),
            right: head.cells.iter().map(|c| c.x1).collect(),
            body: Vec::new(),
            head_lines,
            header_lines: 0,
            wrap: None,
        };
        let (mut prev_y, mut pitch, mut rows) = (head.y, FIRST_ROW * head.size, 0);
        for line in below {
            let dy = prev_y - line.y;
            let limit = if rows == 0 { pitch } else { ROW_GAP * pitch };
            // a cell drawn a little off its row's baseline (wkhtmltopdf)
            let close = dy <= OFF_BASELINE * line.size;
            if !(0.0..=limit).contains(&dy) {
                break;
            }
            let line = t.split(line);
            let Some(placed) = t.place(&line, close) else {
                break;
            };
            // the pitch of rows, not of a cell's wrapped lines: a row
            // starts in the first column, and not off the baseline of the
            // line above (cells centred on a row of wrapped lines)
            if line.cells.len() >= 2 {
                if !close && (rows == 0 || placed.first() == Some(&Some(0))) {
                    pitch = if rows == 0 { dy } else { pitch.min(dy) };
                }
                rows += 1;
            }
            for (c, col) in line.cells.iter().zip(&placed) {
                if let Some(r) = col.and_then(|k| t.right.get_mut(k)) {
                    *r = r.max(c.x1);
                }
            }
            prev_y = line.y;
            t.body.push(line);
        }
        if rows < MIN_ROWS {
            return None;
        }
        t.wrap = t.wrap();
        // the header's own wrapped lines (no digits, as the header)
        let mut n = 0;
        while n < t.body.len() {
            let above = if n == 0 { head } else { &t.body[n - 1] };
            let line = &t.body[n];
            if has_digits(line) || !t.continues(above, line, true) {
                break;
            }
            n += 1;
        }
        if n > 0 {
            let mut lines: Vec<&Line> = vec![head];
            lines.extend(&t.body[..n]);
            let cells = t.joined(&lines);
            let raw: Vec<Vec<u8>> = cells
                .iter()
                .map(|c| c.as_deref().unwrap_or_default().as_bytes().to_vec())
                .collect();
            if let Some(columns) = Columns::from_row(&raw, false) {
                t.columns = columns;
            }
        }
        t.header_lines = n;
        Some(t)
    }

    /// Writes the lines under the header: its wrapped lines as they are,
    /// then each row, its cells keyed.
    fn write(&self, out: &mut String) {
        for line in &self.body[..self.header_lines] {
            write_cells(&line.cells, None, out);
        }
        let mut start = self.header_lines;
        while start < self.body.len() {
            let mut end = start + 1;
            // whether a line of the row so far fills the first column
            let mut filled = self.in_first(&self.body[start]);
            while end < self.body.len()
                && self.continues(&self.body[end - 1], &self.body[end], filled)
            {
                filled = filled || self.in_first(&self.body[end]);
                end += 1;
            }
            if end == start + 1 {
                let line = &self.body[start];
                let placed = self.place(line, true).unwrap_or_default();
                write_cells(&line.cells, Some((&self.columns, &placed)), out);
            } else {
                let lines: Vec<&Line> = self.body[start..end].iter().collect();
                self.write_row(&lines, out);
            }
            start = end;
        }
    }

    /// Whether `line`, under `above`, is more of a row rather than a row of
    /// its own (`filled`: whether a line of the row so far fills the first
    /// column): it is drawn off the baseline of the line above (a cell's
    /// text centred on its row, or wrapped in a row whose other cells are
    /// centred), or it lies a wrapped line's distance below, rows stand
    /// further apart than that, and it leaves the first column empty where
    /// the row fills it (a record starts with its first column).
    ///
    /// Where rows stand clearly apart ([`Wrap::clear`]), a line that fills
    /// the first column is more of the row too when the row's lines so far
    /// left it empty (a taller cell's text, centred on the row, starts
    /// above the others: wkhtmltopdf, WeasyPrint), or when each of its
    /// cells lies under a cell of the line above that filled its column
    /// (the first column wraps as well: Impress's narrow tables).
    fn continues(&self, above: &Line, line: &Line, filled: bool) -> bool {
        let dy = above.y - line.y;
        if dy <= OFF_BASELINE * line.size {
            return true;
        }
        let Some(wrap) = self.wrap else {
            return false;
        };
        if dy > wrap.most {
            return false;
        }
        if wrap.by_distance {
            return true;
        }
        match (self.in_first(line), filled) {
            (false, filled) => filled,
            // the row began with a taller cell's lines, centred on it
            // (wkhtmltopdf): the first column starts further down
            (true, false) => wrap.clear,
            // every cell under a full one (the first column wraps too), or
            // some (another cell broke early, after a `!`)
            (true, true) => {
                wrap.clear
                    && self
                        .under_full_cells(above, line)
                        .is_some_and(|under| under.iter().all(|&u| u) || under.contains(&true))
            }
        }
    }

    /// Whether `line` fills the first column (a row's first line).
    fn in_first(&self, line: &Line) -> bool {
        self.place(line, true)
            .is_some_and(|p| p.first() == Some(&Some(0)))
    }

    /// For each cell of `line`, whether it lies in a column under a cell
    /// of `above` that reached the column's right end (the furthest any of
    /// its cells reaches, less a font size); `None` if either line does not
    /// fit the columns.
    fn under_full_cells(&self, above: &Line, line: &Line) -> Option<Vec<bool>> {
        let (p_above, p_line) = (self.place(above, true)?, self.place(line, true)?);
        let under = p_line.iter().map(|col| {
            let Some(col) = *col else { return false };
            let full = self
                .right
                .get(col)
                .map_or(f32::INFINITY, |r| r - above.size);
            above
                .cells
                .iter()
                .zip(&p_above)
                .any(|(c, k)| *k == Some(col) && c.x1 >= full)
        });
        Some(under.collect())
    }

    /// How far below the line above a line of the body is a cell's text
    /// wrapped, if rows stand further apart than that: some line stands
    /// [`ROWS_APART`] times the least distance between two lines that are
    /// not drawn off each other's baseline (then lines at most
    /// [`WRAPPED`] times that distance are wrapped text), or every line
    /// that fills the first column stands [`ROWS_APART_BY`] font sizes
    /// further off than every line that leaves it empty (then those are
    /// wrapped). The header's distance to the first row is left out: a
    /// header often stands further off than rows do, which says nothing
    /// of wrapping.
    fn wrap(&self) -> Option<Wrap> {
        let gaps = || {
            self.body
                .windows(2)
                .map(|w| (w[0].y - w[1].y, &w[1]))
                .filter(|&(dy, l)| dy > OFF_BASELINE * l.size)
        };
        let least = gaps().fold(f32::INFINITY, |m, (dy, _)| m.min(dy));
        if gaps().any(|(dy, _)| dy >= ROWS_APART * least) {
            return Some(Wrap {
                most: WRAPPED * least,
                clear: true,
                by_distance: false,
            });
        }
        let (mut wrapped, mut starts, mut size) = (None::<f32>, None::<f32>, 0.0f32);
        for (dy, line) in gaps() {
            size = size.max(line.size);
            if self.in_first(line) {
                starts = Some(starts.map_or(dy, |s| s.min(dy)));
            } else {
                wrapped = Some(wrapped.map_or(dy, |w| w.max(dy)));
            }
        }
        match (wrapped, starts) {
            (Some(most), Some(start)) if most + ROWS_APART_BY * size < start => Some(Wrap {
                most,
                clear: false,
                by_distance: false,
            }),
            // the first column wraps too: the distances alone
            (_, Some(_)) => self.wrap_by_distance(size),
            _ => None,
        }
    }

    /// Where the first column wraps too: the line distances fall in two groups at least [`ROWS_APART_BY`] font sizes
    /// apart (`size`: the largest font size), every line of the nearer
    /// group continues a cell of the line above that reached its column's
    /// end (wrapped text), and there is a line of each group. Then the
    /// nearer group is wrapped lines (LibreOffice Writer: 12.8 pt within a
    /// row, 13.3 pt from row to row).
    fn wrap_by_distance(&self, size: f32) -> Option<Wrap> {
        let pairs: Vec<(f32, &Line, &Line)> = self
            .body
            .windows(2)
            .map(|w| (w[0].y - w[1].y, &w[0], &w[1]))
            .filter(|&(dy, _, l)| dy > OFF_BASELINE * l.size)
            .collect();
        let mut dys: Vec<f32> = pairs.iter().map(|p| p.0).collect();
        dys.sort_by(f32::total_cmp);
        // the widest step between two distances in order
        let (at, step) = dys
            .windows(2)
            .enumerate()
            .map(|(i, w)| (i, w[1] - w[0]))
            .max_by(|a, b| a.1.total_cmp(&b.1))?;
        if step < ROWS_APART_BY * size {
            return None;
        }
        let most = dys[at];
        let wrapped_lines_wrap = pairs
            .iter()
            .filter(|p| p.0 <= most)
            .all(|&(_, above, line)| self.continues_a_full_cell(above, line));
        wrapped_lines_wrap.then_some(Wrap {
            most,
            clear: false,
            by_distance: true,
        })
    }

    /// Whether some cell of `line` lies under a cell of `above` that
    /// reached its column's right end (less a font size): text wrapped
    /// onto `line`.
    fn continues_a_full_cell(&self, above: &Line, line: &Line) -> bool {
        self.under_full_cells(above, line)
            .is_some_and(|under| under.contains(&true))
    }

    /// The text of each column over `lines` (a row and its wrapped lines);
    /// cells between two columns are left out.
    fn joined(&self, lines: &[&Line]) -> Vec<Option<String>> {
        // each column's text, where its last piece starts and ends
        let mut cols: Vec<Option<(String, usize, f32)>> = vec![None; self.heads.len()];
        for line in lines {
            let placed = self.place(line, true).unwrap_or_default();
            for (c, col) in line.cells.iter().zip(placed) {
                let Some(col) = col else {
                    continue;
                };
                let full = self.right.get(col).map_or(f32::INFINITY, |r| r - line.size);
                match cols.get_mut(col) {
                    Some(Some((text, last, x1))) => {
                        *last = join(text, *last, *x1 >= full, &c.text);
                        *x1 = c.x1;
                    }
                    Some(slot) => *slot = Some((c.text.clone(), 0, c.x1)),
                    None => {}
                }
            }
        }
        cols.into_iter().map(|c| c.map(|(t, _, _)| t)).collect()
    }

    /// Writes a row that spans `lines` as one line: each column's pieces
    /// joined, after its key; then any cells between two columns, after an
    /// empty key.
    fn write_row(&self, lines: &[&Line], out: &mut String) {
        let mut first = true;
        let mut sep = |out: &mut String| {
            if !std::mem::take(&mut first) {
                out.push('\t');
            }
        };
        for (col, cell) in self.joined(lines).into_iter().enumerate() {
            if let Some(text) = cell {
                sep(out);
                let mut key = Vec::new();
                self.columns.write_key(col, &mut key);
                out.push_str(&String::from_utf8_lossy(&key));
                out.push_str(&text);
            }
        }
        for line in lines {
            let placed = self.place(line, true).unwrap_or_default();
            for (k, c) in line.cells.iter().enumerate() {
                if placed.get(k).copied().flatten().is_none() {
                    sep(out);
                    out.push_str("\"\": ");
                    out.push_str(&c.text);
                }
            }
        }
        out.push('\n');
    }

    /// The header cells that the extent `x0..x1` lies under, on a line of
    /// font size `size`.
    fn under(&self, x0: f32, x1: f32, size: f32) -> impl Iterator<Item = usize> + '_ {
        let tol = 0.25 * size;
        self.heads
            .iter()
            .enumerate()
            .filter(move |(_, &(h0, h1))| x0 <= h1 + tol && x1 >= h0 - tol)
            .map(|(k, _)| k)
    }

    /// `line` with each cell that lies under two header cells or more cut
    /// between the spans it was joined from, where they fall under
    /// different header cells: table cells drawn closer than a column gap
    /// (Chromium's default cell padding and spacing, a few points) are
    /// told apart by their header.
    fn split(&self, line: &Line) -> Line {
        let mut cells = Vec::with_capacity(line.cells.len());
        for c in &line.cells {
            if c.pieces.len() < 2 || self.under(c.x0, c.x1, line.size).nth(1).is_none() {
                cells.push(c.clone());
                continue;
            }
            let mut cur: Option<(Cell, Option<usize>)> = None;
            for (k, &(at, x0, x1)) in c.pieces.iter().enumerate() {
                let end = c.pieces.get(k + 1).map_or(c.text.len(), |p| p.0);
                let text = c.text.get(at..end).unwrap_or_default();
                let mut under = self.under(x0, x1, line.size);
                let col = under.next().filter(|_| under.next().is_none());
                match &mut cur {
                    Some((cell, cell_col))
                        if col.is_none() || cell_col.is_none() || col == *cell_col =>
                    {
                        cell.pieces.push((cell.text.len(), x0, x1));
                        cell.text.push_str(text);
                        cell.x1 = cell.x1.max(x1);
                        *cell_col = cell_col.or(col);
                    }
                    _ => {
                        if let Some((done, _)) = cur.take() {
                            cells.push(done.trimmed());
                        }
                        let cell = Cell {
                            x0,
                            x1,
                            text: text.to_string(),
                            pieces: vec![(0, x0, x1)],
                        };
                        cur = Some((cell, col));
                    }
                }
            }
            if let Some((done, _)) = cur {
                cells.push(done.trimmed());
            }
        }
        Line {
            y: line.y,
            size: line.size,
            cells,
        }
    }

    /// The column of each cell of `line` (`None`: between two columns), if
    /// the line fits the table: no cell under two header cells, columns
    /// left to right, and not a lone cell under the first column (a
    /// title) unless the line is `close` below the one before.
    fn place(&self, line: &Line, close: bool) -> Option<Vec<Option<usize>>> {
        let mut placed = Vec::with_capacity(line.cells.len());
        let mut last = None;
        for c in &line.cells {
            let mut under = self.under(c.x0, c.x1, line.size);
            let col = under.next();
            if under.next().is_some() || (col.is_some() && col < last) {
                return None;
            }
            last = col.or(last);
            placed.push(col);
        }
        if line.cells.len() == 1 && !close && placed[0].is_none_or(|c| c == 0) {
            return None;
        }
        Some(placed)
    }
}

/// A header line with each cell cut where two spans of Japanese text stand
/// a space apart (Japanese puts no spaces between words: header cells
/// drawn closer than a column gap, as WeasyPrint draws `<th>` cells);
/// `None` where nothing is cut.
fn cut_cjk(line: &Line) -> Option<Line> {
    let wide = |c: Option<char>| c.is_some_and(|c| !c.is_ascii());
    let cuts = |c: &Cell| {
        c.pieces.windows(2).any(|w| {
            let before = c.text[..w[1].0].trim_end();
            w[1].1 - w[0].2 > TOUCH * line.size
                && wide(before.chars().next_back())
                && wide(c.text[w[1].0..].chars().next())
        })
    };
    if !line.cells.iter().any(cuts) {
        return None;
    }
    let mut cells = Vec::new();
    for c in &line.cells {
        let mut cur: Option<Cell> = None;
        for (k, &(at, x0, x1)) in c.pieces.iter().enumerate() {
            let end = c.pieces.get(k + 1).map_or(c.text.len(), |p| p.0);
            let text = c.text.get(at..end).unwrap_or_default();
            match &mut cur {
                Some(cell)
                    if !(x0 - cell.x1 > TOUCH * line.size
                        && wide(cell.text.trim_end().chars().next_back())
                        && wide(text.chars().next())) =>
                {
                    cell.pieces.push((cell.text.len(), x0, x1));
                    cell.text.push_str(text);
                    cell.x1 = cell.x1.max(x1);
                }
                _ => {
                    cells.extend(cur.take().map(Cell::trimmed));
                    cur = Some(Cell {
                        x0,
                        x1,
                        text: text.to_string(),
                        pieces: vec![(0, x0, x1)],
                    });
                }
            }
        }
        cells.extend(cur.map(Cell::trimmed));
    }
    Some(Line {
        y: line.y,
        size: line.size,
        cells,
    })
}

/// Whether a line has a digit in any cell.
fn has_digits(line: &Line) -> bool {
    line.cells
        .iter()
        .any(|c| c.text.bytes().any(|b| b.is_ascii_digit()))
}

/// The header row drawn on `lines` (top first, each off the baseline of
/// the one above) as one line: cells that lie over each other are one
/// cell, their text joined top to bottom; `None` where a cell lies under
/// two cells of the lines above (no columns).
fn merged(lines: &[Line]) -> Option<Line> {
    let mut cells: Vec<Cell> = Vec::new();
    for line in lines {
        for c in &line.cells {
            let mut over = cells.iter_mut().filter(|m| c.x0 <= m.x1 && c.x1 >= m.x0);
            match (over.next(), over.next()) {
                (None, _) => cells.push(c.clone()),
                (Some(m), None) => {
                    join(&mut m.text, 0, false, &c.text);
                    m.x0 = m.x0.min(c.x0);
                    m.x1 = m.x1.max(c.x1);
                    m.pieces = vec![(0, m.x0, m.x1)];
                }
                _ => return None,
            }
        }
    }
    cells.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let last = lines.last()?;
    Some(Line {
        y: last.y,
        size: lines.iter().map(|l| l.size).fold(0.0, f32::max),
        cells,
    })
}

/// Appends `next`, the next line of a cell's text, to `text`, whose last
/// line starts at byte `last` and ends where the column does (`full`):
/// directly after a hyphen, beside CJK text (no spaces between its words),
/// or after a line of one word that ran to the column's right end (a word
/// longer than the cell, broken where the line was full: a card number in
/// a narrow cell), or after a line of one word that ends with a sign a
/// line may break after (UAX #14: `!`, `?`, `/`, `%`, a closing bracket;
/// `h7Gq!` / `vZ2wN` is one password); else after a space (the line broke
/// between words). Returns where `next` starts in `text`.
fn join(text: &mut String, last: usize, full: bool, next: &str) -> usize {
    let (end, start) = (text.chars().next_back(), next.chars().next());
    let cjk = |c: Option<char>| c.is_some_and(|c| !c.is_ascii());
    let one_word = !text[last..].contains(char::is_whitespace);
    let broken_word = full && one_word;
    let broke_after_sign = one_word
        && matches!(end, Some('!' | '?' | '/' | '%' | ')' | ']' | '}'))
        && start.is_some_and(|c| c.is_ascii_alphanumeric());
    if !(end == Some('-') || cjk(end) || cjk(start) || broken_word || broke_after_sign) {
        text.push(' ');
    }
    let at = text.len();
    text.push_str(next);
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(x0: f32, x1: f32, y: f32, text: &str) -> Span {
        Span::new(x0, x1, y, 10.0, text.into())
    }

    fn laid_out(mut spans: Vec<Span>) -> String {
        let mut out = String::new();
        write(&mut spans, &mut out);
        out
    }

    #[test]
    fn lines_in_reading_order_and_digit_boxes_joined() {
        let mut spans = vec![
            span(200.0, 260.0, 700.0, "123456789018"),
            span(50.0, 90.0, 700.5, "個人番号"),
            span(50.0, 90.0, 720.0, "源泉徴収票"),
            span(50.0, 80.0, 680.0, "配偶者"),
            span(82.0, 95.0, 680.0, "の"),
        ];
        // twelve boxes 16 pt apart, a digit 5.6 pt wide in each
        for (k, d) in "023456789013".chars().enumerate() {
            let x = 130.0 + 16.0 * k as f32;
            spans.push(span(x, x + 5.6, 680.0, &d.to_string()));
        }
        assert_eq!(
            laid_out(spans),
            "源泉徴収票\n個人番号\t123456789018\n配偶者 の\t023456789013\n"
        );
    }

    #[test]
    fn columns_stay_apart_and_a_grouped_number_whole() {
        let spans = vec![
            span(50.0, 110.0, 700.0, "123456789018"),
            span(130.0, 180.0, 700.0, "4111"),
            span(50.0, 70.0, 680.0, "4556"),
            span(72.5, 92.5, 680.0, "7375"),
            span(95.0, 115.0, 680.0, "8689"),
            span(117.5, 137.5, 680.0, "9855"),
            span(147.0, 170.0, 680.0, "12/28"),
        ];
        assert_eq!(
            laid_out(spans),
            "123456789018\t4111\n4556 7375 8689 9855\t12/28\n"
        );
    }

    /// A header and rows as Chromium lays out an HTML table: centred
    /// headers, cells a padding apart, rows 18 pt apart.
    fn table(rows: &[[&str; 3]], top: f32) -> Vec<Span> {
        let xs = [(40.0, 80.0), (90.0, 150.0), (160.0, 240.0)];
        let mut spans = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            for (k, text) in row.iter().enumerate() {
                let (x0, x1) = xs[k];
                let w = if r == 0 { (x1 - x0) / 2.0 } else { x1 - x0 };
                let c = (x0 + x1) / 2.0;
                spans.push(span(c - w / 2.0, c + w / 2.0, top - 18.0 * r as f32, text));
            }
        }
        spans
    }

    #[test]
    fn a_header_keys_every_row_of_its_table() {
        let mut spans = vec![span(40.0, 100.0, 740.0, "社員名簿")];
        spans.extend(table(
            &[
                ["氏名", "個人番号", "パスワード"],
                ["佐藤", "1", "a"],
                ["鈴木", "2", "b"],
                ["高橋", "3", "c"],
            ],
            710.0,
        ));
        // a title after the space before it ends the table
        spans.push(span(40.0, 100.0, 610.0, "備考"));
        spans.push(span(40.0, 60.0, 592.0, "x"));
        spans.push(span(120.0, 140.0, 592.0, "y"));
        assert_eq!(
            laid_out(spans),
            "社員名簿\n氏名\t個人番号\tパスワード\n\
             \"氏名\": 佐藤\t\"個人番号\": 1\t\"パスワード\": a\n\
             \"氏名\": 鈴木\t\"個人番号\": 2\t\"パスワード\": b\n\
             \"氏名\": 高橋\t\"個人番号\": 3\t\"パスワード\": c\n\
             備考\nx\ty\n"
        );
    }

    /// LibreOffice Writer's PDF of a table whose cells wrap: rows 40 pt
    /// apart, a cell's lines 15 pt apart, each cell's text from its left
    /// edge, the header's third cell on two lines.
    #[test]
    fn a_rows_wrapped_cells_are_joined_whole() {
        let mut spans = vec![
            span(50.0, 90.0, 700.0, "社員番号"),
            span(130.0, 170.0, 700.0, "個人番号"),
            span(210.0, 250.0, 700.0, "クレジット"),
            span(290.0, 330.0, 700.0, "パスワード"),
            span(210.0, 250.0, 685.0, "カード番号"),
        ];
        let rows = [
            [
                "E1",
                "1234567890",
                "18",
                "4111111111",
                "111111",
                "Pw#12345",
                "6Q",
            ],
            [
                "E2",
                "1234-5678-",
                "9018",
                "4111 1111",
                "1111 1111",
                "Pw#23456",
                "7Q",
            ],
            [
                "E3",
                "1234 5678",
                "9018",
                "4111-1111-",
                "1111-1111",
                "Pw#34567",
                "8Q",
            ],
        ];
        for (r, row) in rows.iter().enumerate() {
            let y = 660.0 - 40.0 * r as f32;
            spans.push(span(50.0, 62.0, y, row[0]));
            for (k, x) in [130.0, 210.0, 290.0].into_iter().enumerate() {
                let (a, b) = (row[1 + 2 * k], row[2 + 2 * k]);
                // a line that broke a word filled the cell; one that broke
                // between words did not
                let w = |t: &str| {
                    if t.contains(' ') {
                        50.0
                    } else {
                        6.0 * t.len() as f32
                    }
                };
                spans.push(span(x, x + w(a).min(60.0), y, a));
                spans.push(span(x, x + w(b).min(60.0), y - 15.0, b));
            }
        }
        let out = laid_out(spans);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[..3],
            ["社員番号\t個人番号\tクレジット\tパスワード", "カード番号", "\"社員番号\": E1\t\"個人番号\": 123456789018\t\"クレジットカード番号\": 4111111111111111\t\"パスワード\": Pw#123456Q"],
            "{out}"
        );
        assert_eq!(
            lines[3],
            "\"社員番号\": E2\t\"個人番号\": 1234-5678-9018\t\"クレジットカード番号\": 4111 1111 1111 1111\t\"パスワード\": Pw#234567Q"
        );
        assert_eq!(
            lines[4],
            "\"社員番号\": E3\t\"個人番号\": 1234 5678 9018\t\"クレジットカード番号\": 4111-1111-1111-1111\t\"パスワード\": Pw#345678Q"
        );
        assert_eq!(lines.len(), 5);
    }

    /// Rows a line apart, the header further off: a row with its first
    /// cell empty is a row of its own, not the row above wrapped.
    #[test]
    fn rows_a_line_apart_are_not_joined() {
        let mut spans = vec![
            span(50.0, 90.0, 700.0, "社員番号"),
            span(130.0, 170.0, 700.0, "個人番号"),
            span(210.0, 250.0, 700.0, "氏名"),
        ];
        for (r, first) in ["E1", "", "E3"].iter().enumerate() {
            let y = 672.0 - 15.0 * r as f32;
            if !first.is_empty() {
                spans.push(span(50.0, 62.0, y, first));
            }
            spans.push(span(130.0, 202.0, y, "123456789018"));
            spans.push(span(210.0, 230.0, y, "佐藤"));
        }
        let out = laid_out(spans);
        assert_eq!(out.lines().count(), 4, "{out}");
        assert_eq!(
            out.matches("\"個人番号\": 123456789018\t").count(),
            3,
            "{out}"
        );
    }

    /// Chromium's print of an HTML table: `td` cells 4.5 pt apart (less
    /// than a column gap) under centred `th` cells.
    #[test]
    fn cells_closer_than_a_column_gap_are_cut_under_their_headers() {
        let mut spans = vec![
            span(40.0, 80.0, 700.0, "社員番号"),
            span(100.0, 120.0, 700.0, "氏名"),
            span(150.0, 190.0, 700.0, "個人番号"),
        ];
        for r in 0..3 {
            let y = 682.0 - 18.0 * r as f32;
            spans.push(span(40.0, 60.0, y, "E1"));
            spans.push(span(90.0, 110.0, y, "山田"));
            spans.push(span(113.0, 133.0, y, "太郎"));
            spans.push(span(137.5, 209.5, y, "123456789018"));
        }
        let out = laid_out(spans);
        assert_eq!(
            out.lines().nth(1),
            Some("\"社員番号\": E1\t\"氏名\": 山田 太郎\t\"個人番号\": 123456789018"),
            "{out}"
        );
    }

    #[test]
    fn no_table_without_two_rows_under_the_header_or_with_digits_in_it() {
        let one_row = table(&[["氏名", "個人番号", "続柄"], ["佐藤", "1", "a"]], 700.0);
        assert_eq!(laid_out(one_row), "氏名\t個人番号\t続柄\n佐藤\t1\ta\n");
        let dated = table(
            &[
                ["氏名", "2024年", "続柄"],
                ["佐藤", "1", "a"],
                ["鈴木", "2", "b"],
            ],
            700.0,
        );
        assert!(!laid_out(dated).contains('"'));
        // a row whose cell lies under two header cells is no row of it
        let mut wide = table(&[["氏名", "個人番号", "続柄"]], 700.0);
        wide.push(span(40.0, 200.0, 682.0, "ひとつの長い段落の行"));
        wide.push(span(210.0, 230.0, 682.0, "x"));
        wide.extend(table(
            &[["", "", ""], ["佐藤", "1", "a"], ["鈴木", "2", "b"]],
            682.0,
        ));
        assert!(!laid_out(wide).contains('"'));
    }
}
