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

pub struct MyNumber {
    rule: &'static RuleMeta,
    keywords: Keywords,
    lookalike_words: Keywords,
    path_terms: Vec<String>,
    /// Sorted, as numbers: looked up for every valid candidate.
    test_values: Vec<u64>,
}

impl MyNumber {
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
        let value = digits
            .iter()
            .fold(0u64, |n, &d| n * 10 + u64::from(d - b'0'));
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
    }
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
