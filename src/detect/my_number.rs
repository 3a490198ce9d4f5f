//! My Number (個人番号): 12 digits, plain or grouped 4-4-4, with a valid check
//! digit.
//!
//! Confidence:
//! * **high**: a My Number keyword labels the value: its JSON/YAML key or XML
//!   tag, its CSV/TSV column header, or the same line (within 256 bytes
//!   before / 128 after); or the value is in a CSV/TSV column whose values
//!   in the file's first block (up to 32 rows) are mostly (> 60 %, at least
//!   5) valid My Numbers, whatever its header says.
//! * **medium**: a keyword on one of the three lines above (a form label
//!   above the value), or the file's path names My Numbers (`mynumber.csv`,
//!   `マイナンバー/`).
//! * **low**: a bare valid number, plain or grouped (one random 12-digit
//!   string in ten passes the check, and 4-digit groups fill code-point
//!   tables and hex dumps), a value whose structured key names it as
//!   something else, or a well-known test value (`123456789018`). Weak
//!   (medium) evidence is overruled by a look-alike: a plausible
//!   `YYYYMMDDhhmm` timestamp, or a tracking-number or AWS-account word on
//!   the number's line.

use crate::context::{Evidence, Keywords};
use crate::detect::{leak_rule, Candidate, Detector, TextChunk, Value};
use crate::finding::{Category, Confidence, RuleMeta};
use crate::patterns::MyNumberPatterns;
use crate::validate::{is_plausible_timestamp, is_valid_my_number};

/// The My Number detector (rule `my_number`).
pub struct MyNumber {
    rule: &'static RuleMeta,
    keywords: Keywords,
    lookalike_words: Keywords,
    path_terms: Vec<String>,
    /// Sorted, as numbers: looked up for every valid candidate.
    test_values: Vec<u64>,
}

impl MyNumber {
    /// Builds the detector from `patterns/my_number.toml`.
    pub fn new(p: &MyNumberPatterns) -> MyNumber {
        MyNumber {
            rule: leak_rule(RuleMeta {
                id: p.id.clone(),
                category: Category::MyNumber,
                severity: p.severity,
                description: p.description.clone(),
            }),
            keywords: Keywords::new(&p.keywords),
            lookalike_words: Keywords::new(&p.lookalike_words),
            path_terms: p.path_terms.iter().map(|t| t.to_lowercase()).collect(),
            test_values: {
                let mut v: Vec<u64> = p
                    .test_values
                    .iter()
                    .filter_map(|t| t.parse().ok())
                    .collect();
                v.sort_unstable();
                v
            },
        }
    }

    fn confidence(
        &self,
        chunk: &TextChunk<'_>,
        start: usize,
        end: usize,
        digits: &[u8],
    ) -> Confidence {
        let value = as_number(digits);
        if self.test_values.binary_search(&value).is_ok() {
            return Confidence::Low;
        }
        let surroundings = chunk.surroundings();
        let evidence = surroundings.evidence(start, end, &self.keywords);
        if evidence != Evidence::LabelledOther && in_inferred_column(&surroundings, start) {
            return Confidence::High;
        }
        let weak = match evidence {
            Evidence::Keyword => return Confidence::High,
            Evidence::LabelledOther => return Confidence::Low,
            Evidence::KeywordAbove => true,
            Evidence::None => *chunk
                .file
                .path_names_my_number
                .get_or_init(|| self.path_names_my_number(&chunk.file.path_lower)),
        };
        if weak && !self.looks_like_something_else(chunk, start, end, digits) {
            Confidence::Medium
        } else {
            Confidence::Low
        }
    }

    /// A timestamp, or a tracking-number / AWS-account word on the line.
    fn looks_like_something_else(
        &self,
        chunk: &TextChunk<'_>,
        start: usize,
        end: usize,
        digits: &[u8],
    ) -> bool {
        if is_plausible_timestamp(digits) {
            return true;
        }
        let s = chunk.surroundings();
        let from = s.line_start(start).unwrap_or(start.saturating_sub(256));
        s.keyword_in(&self.lookalike_words, from, s.line_end(end))
    }

    fn path_names_my_number(&self, path_lower: &str) -> bool {
        self.path_terms
            .iter()
            .any(|t| path_lower.contains(t.as_str()))
    }
}

/// Whether `pos` lies in a column whose values are mostly valid My Numbers.
fn in_inferred_column(s: &crate::context::Surroundings<'_>, pos: usize) -> bool {
    match s.table {
        Some(t) if !t.my_number_columns.is_empty() => s
            .column(pos)
            .is_some_and(|col| t.my_number_columns.contains(&col)),
        _ => false,
    }
}

impl Detector for MyNumber {
    fn rules(&self) -> Vec<&'static RuleMeta> {
        vec![self.rule]
    }

    fn wants_numbers(&self) -> bool {
        true
    }

    fn scan_text(&self, chunk: &TextChunk<'_>, out: &mut Vec<Candidate>) {
        for tok in chunk.numbers {
            let digits = tok.digits();
            let shape_ok = digits.len() == 12 && (!tok.is_grouped() || tok.groups() == [4, 4, 4]);
            if !shape_ok || !is_valid_my_number(digits) {
                continue;
            }
            let confidence = self.confidence(chunk, tok.start, tok.end, digits);
            out.push(Candidate {
                rule: self.rule,
                start: tok.start,
                end: tok.end,
                value: Value::digits(digits),
                severity: self.rule.severity,
                confidence,
                kind: None,
            });
        }
        if let Some(table) = chunk.file.table.as_ref() {
            if !table.my_number_headers.is_empty() {
                self.zeros_lost(chunk, table, out);
            }
        }
        self.zeros_lost_in_text_tables(chunk, out);
    }
}

impl MyNumber {
    /// Cells of 10 or 11 digits in a column whose header names My Numbers:
    /// a numeric export (pandas `to_csv`, Excel, an integer column of a
    /// database) dropped their leading zeros; with them given back, a
    /// valid number is a My Number labelled by its header. Only tables with
    /// such a header pay for this pass.
    fn zeros_lost(
        &self,
        chunk: &TextChunk<'_>,
        table: &crate::context::TableHeader,
        out: &mut Vec<Candidate>,
    ) {
        crate::context::for_each_body_cell(
            chunk.buf,
            table,
            chunk.records,
            chunk.at_file_start,
            |col, cell| {
                if table.my_number_headers.contains(&col) {
                    self.restored(chunk.buf, cell, out);
                }
            },
        );
    }

    /// The same for the plain-text tables of the chunk
    /// ([`crate::text_table`]: Markdown, aligned text, a PDF's or a
    /// `.doc`'s table lines) whose header names My Numbers.
    fn zeros_lost_in_text_tables(&self, chunk: &TextChunk<'_>, out: &mut Vec<Candidate>) {
        let Some(tables) = chunk.text_tables else {
            return;
        };
        for t in 0..tables.len() {
            // a bit set of the My Number columns (a header has at most 64)
            let cols = tables
                .header(t)
                .enumerate()
                .filter(|&(col, cell)| {
                    col < 64 && std::str::from_utf8(cell).is_ok_and(names_my_number)
                })
                .fold(0u64, |set, (col, _)| set | 1u64 << col);
            if cols != 0 {
                tables.for_each_row_cell(t, chunk.buf, |col, cell| {
                    if col < 64 && cols & 1 << col != 0 {
                        self.restored(chunk.buf, cell, out);
                    }
                });
            }
        }
    }

    /// A cell (in `buf`) of 10 or 11 digits that is a valid My Number with
    /// its lost zeros back, as a high-confidence candidate.
    fn restored(&self, buf: &[u8], cell: &[u8], out: &mut Vec<Candidate>) {
        // a document's cell annotated with its header holds its value
        // after the key
        let cell = crate::formats::table::keyed_value(cell).unwrap_or(cell);
        let digits = crate::context::trim_cell(cell);
        let Some(padded) = restore_zeros(digits) else {
            return;
        };
        if self.test_values.binary_search(&as_number(&padded)).is_ok() {
            return;
        }
        let at = digits.as_ptr() as usize - buf.as_ptr() as usize;
        out.push(Candidate {
            rule: self.rule,
            start: at,
            end: at + digits.len(),
            value: Value::digits(&padded),
            severity: self.rule.severity,
            confidence: Confidence::High,
            kind: None,
        });
    }
}

fn as_number(digits: &[u8]) -> u64 {
    digits
        .iter()
        .fold(0u64, |n, &d| n * 10 + u64::from(d - b'0'))
}

/// A My Number that lost one or two leading zeros (10 or 11 ASCII digits),
/// with them back, if its check digit is then valid.
pub fn restore_zeros(digits: &[u8]) -> Option<[u8; 12]> {
    if !(10..=11).contains(&digits.len()) || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut padded = [b'0'; 12];
    padded[12 - digits.len()..].copy_from_slice(digits);
    is_valid_my_number(&padded).then_some(padded)
}

/// Whether a column header names My Numbers (for repairing Excel's
/// dropped leading zero).
pub fn names_my_number(header: &str) -> bool {
    static KEYWORDS: std::sync::OnceLock<crate::context::Keywords> = std::sync::OnceLock::new();
    KEYWORDS
        .get_or_init(|| {
            let words = crate::patterns::builtin()
                .map(|p| p.my_number.keywords)
                .unwrap_or_default();
            crate::context::Keywords::new(words)
        })
        .found_in(header.as_bytes())
}

/// Whether a column header names another identifier
/// (`other_id_headers`: 社員番号, employee id) and not My Numbers.
pub fn names_other_id(header: &str) -> bool {
    static WORDS: std::sync::OnceLock<crate::context::Keywords> = std::sync::OnceLock::new();
    !names_my_number(header)
        && WORDS
            .get_or_init(|| {
                let words = crate::patterns::builtin()
                    .map(|p| p.my_number.other_id_headers)
                    .unwrap_or_default();
                crate::context::Keywords::new(words)
            })
            .found_in(header.as_bytes())
}

/// Rows of the file's first block a column needs to be inferred from.
const MIN_SAMPLED_VALUES: usize = 5;
/// Values a short column needs, every one of them valid, to be inferred
/// (a three-row sheet without a header: random 12-digit values all pass
/// the check one time in 1,331).
const MIN_ALL_VALID: usize = 3;
/// Rows sampled at most: enough to tell a column of My Numbers (> 60 %
/// valid) from random 12-digit ids (10 %), at a bounded cost per file.
const MAX_SAMPLED_ROWS: usize = 32;

/// Columns of `rows` (the first [`MAX_SAMPLED_ROWS`]) in which at least
/// [`MIN_SAMPLED_VALUES`] non-empty cells were seen and more than 60 % of
/// them are valid My Numbers (random 12-digit values pass one time in ten),
/// or at least [`MIN_ALL_VALID`] and all of them.
pub(crate) fn infer_columns(rows: &[u8], delimiter: u8, columns: usize) -> Vec<usize> {
    // (non-empty, valid) per column
    let mut seen: Vec<(usize, usize)> = Vec::with_capacity(columns);
    // the last line may be cut off by the end of the block
    let complete = memchr::memrchr(b'\n', rows).map_or(&rows[..0], |i| &rows[..i]);
    crate::context::for_each_cell(complete, delimiter, MAX_SAMPLED_ROWS, |col, cell| {
        // (a line's `\r` goes with the cell's surrounding blanks)
        let cell = crate::context::trim_cell(cell);
        if cell.is_empty() {
            return;
        }
        if seen.len() <= col {
            seen.resize(col + 1, (0, 0));
        }
        seen[col].0 += 1;
        if is_my_number_cell(cell) {
            seen[col].1 += 1;
        }
    });
    seen.iter()
        .enumerate()
        .filter(|(_, &(n, valid))| {
            (n >= MIN_SAMPLED_VALUES && valid * 10 > n * 6) || (n >= MIN_ALL_VALID && valid == n)
        })
        .map(|(col, _)| col)
        .collect()
}

/// A cell holding a valid My Number, plain or with up to two spaces or
/// hyphens in it.
fn is_my_number_cell(cell: &[u8]) -> bool {
    let mut digits = [0u8; 12];
    let mut n = 0;
    for &b in cell.iter().filter(|b| !matches!(b, b' ' | b'-')) {
        if n == digits.len() {
            return false;
        }
        digits[n] = b;
        n += 1;
    }
    n == digits.len() && n + 2 >= cell.len() && crate::validate::is_valid_my_number(&digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` valid My Numbers (from an 11-digit counter) as table cells.
    fn my_numbers(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| {
                let first11 = format!("{:011}", 31_415_926_535u64 + 7919 * i as u64);
                let d = crate::validate::my_number_check_digit(first11.as_bytes());
                format!("{first11}{d}")
            })
            .collect()
    }

    #[test]
    fn lost_zeros_come_back_only_when_the_check_digit_says_so() {
        let first11 = "01234567890";
        let d = crate::validate::my_number_check_digit(first11.as_bytes());
        let id = format!("{first11}{d}");
        assert_eq!(
            restore_zeros(&id.as_bytes()[1..]),
            Some(id.as_bytes().try_into().unwrap())
        );
        let mut bad = id.as_bytes()[1..].to_vec();
        bad[10] = b'0' + (bad[10] - b'0' + 1) % 10;
        assert_eq!(restore_zeros(&bad), None);
        assert_eq!(restore_zeros(b"123456789"), None);
        assert_eq!(restore_zeros(id.as_bytes()), None);
    }

    #[test]
    fn columns_are_inferred_across_quotes_crlf_and_a_cut_off_line() {
        let ids = my_numbers(40);
        // column 2, quoted, after a quoted cell with the delimiter in it;
        // CRLF line ends; a last line cut off by the end of the block
        let mut rows = String::new();
        for id in &ids[..8] {
            rows += &format!("1,\"Tanaka, Taro\",\" {id} \",x\r\n");
        }
        rows += "1,\"cut";
        assert_eq!(infer_columns(rows.as_bytes(), b',', 4), vec![2]);
        // tabs; hyphenated and spaced groups count
        let mut rows = String::new();
        for id in &ids[..6] {
            rows += &format!(
                "{}-{}-{}\t{} {} {}\n",
                &id[..4],
                &id[4..8],
                &id[8..],
                &id[..4],
                &id[4..8],
                &id[8..]
            );
        }
        assert_eq!(infer_columns(rows.as_bytes(), b'\t', 2), vec![0, 1]);
        // too few values, or mostly invalid ones: nothing; a short column
        // whose every value is valid is one
        let few: String = ids[..2].iter().map(|id| format!("{id}\n")).collect();
        assert!(infer_columns(few.as_bytes(), b',', 1).is_empty());
        let all: String = ids[..3].iter().map(|id| format!("{id}\n")).collect();
        assert_eq!(infer_columns(all.as_bytes(), b',', 1), vec![0]);
        let mut short_mixed: String = ids[..3].iter().map(|id| format!("{id}\n")).collect();
        short_mixed += "123456789012\n";
        assert!(infer_columns(short_mixed.as_bytes(), b',', 1).is_empty());
        // half of them valid: below the 60 % a column needs
        let mut mixed = String::new();
        for (i, id) in ids[..10].iter().enumerate() {
            let mut cell = id.clone().into_bytes();
            if i % 2 == 1 {
                cell[11] = b'0' + (cell[11] - b'0' + 1) % 10;
            }
            mixed += &format!("{}\n", String::from_utf8(cell).unwrap());
        }
        assert!(infer_columns(mixed.as_bytes(), b',', 1).is_empty());
        // only the first MAX_SAMPLED_ROWS rows are read
        let mut late = "\n".repeat(MAX_SAMPLED_ROWS);
        for id in &ids {
            late += &format!("{id}\n");
        }
        assert!(infer_columns(late.as_bytes(), b',', 1).is_empty());
        late.replace_range(..MIN_SAMPLED_VALUES, "");
        assert_eq!(infer_columns(late.as_bytes(), b',', 1), vec![0]);
    }
}
