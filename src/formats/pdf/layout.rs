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
/// header; `spans` is left sorted.
pub fn write(spans: &mut [Span], out: &mut String) {
    let lines = lines(spans);
    let mut i = 0;
    while i < lines.len() {
        write_cells(&lines[i].cells, None, out);
        match Table::at(&lines, i) {
            Some(t) => {
                for line in &lines[i + 1..t.end] {
                    let placed = t.place(line, true).unwrap_or_default();
                    write_cells(&line.cells, Some((&t.columns, &placed)), out);
                }
                i = t.end;
            }
            None => i += 1,
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
                    c.text.push_str(s.text.trim());
                } else {
                    if gap > TOUCH && !c.text.ends_with(' ') && !s.text.starts_with(' ') {
                        c.text.push(' ');
                    }
                    c.text.push_str(&s.text);
                }
                c.x1 = c.x1.max(s.x1);
            }
            _ => cells.push(Cell {
                x0: s.x0,
                x1: s.x1,
                text: s.text.trim_start().to_string(),
            }),
        }
        prev = Some(s);
    }
    for c in &mut cells {
        c.text.truncate(c.text.trim_end().len());
    }
    cells
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
    /// The line after its last row.
    end: usize,
}

impl Table {
    /// The table whose header is line `i`, if it is one.
    fn at(lines: &[Line], i: usize) -> Option<Table> {
        let head = &lines[i];
        // at most MAX_COLUMNS columns: placing a row's cells costs cells
        // times columns
        if !(3..=crate::formats::table::MAX_COLUMNS).contains(&head.cells.len())
            || head
                .cells
                .iter()
                .any(|c| c.text.bytes().any(|b| b.is_ascii_digit()))
        {
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
            end: i + 1,
        };
        let (mut prev_y, mut pitch, mut rows) = (head.y, FIRST_ROW * head.size, 0);
        for line in &lines[i + 1..] {
            let dy = prev_y - line.y;
            let limit = if rows == 0 { pitch } else { ROW_GAP * pitch };
            // a cell drawn a little off its row's baseline (wkhtmltopdf)
            let close = dy <= OFF_BASELINE * line.size;
            if !(0.0..=limit).contains(&dy) || t.place(line, close).is_none() {
                break;
            }
            // the pitch of rows, not of a cell's wrapped lines
            if line.cells.len() >= 2 {
                pitch = if rows == 0 { dy } else { pitch.min(dy) };
                rows += 1;
            }
            prev_y = line.y;
            t.end += 1;
        }
        (rows >= MIN_ROWS).then_some(t)
    }

    /// The column of each cell of `line` (`None`: between two columns), if
    /// the line fits the table: no cell under two header cells, columns
    /// left to right, and not a lone cell under the first column (a
    /// title) unless the line is `close` below the one before.
    fn place(&self, line: &Line, close: bool) -> Option<Vec<Option<usize>>> {
        let tol = 0.25 * line.size;
        let mut placed = Vec::with_capacity(line.cells.len());
        let mut last = None;
        for c in &line.cells {
            let mut under = self
                .heads
                .iter()
                .enumerate()
                .filter(|(_, &(h0, h1))| c.x0 <= h1 + tol && c.x1 >= h0 - tol)
                .map(|(k, _)| k);
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
