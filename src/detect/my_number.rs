//! My Number (個人番号): 12 digits, plain or grouped 4-4-4, with a valid check
//! digit.
//!
//! Confidence:
//! * **high**: a My Number keyword labels the value: its JSON/YAML key or XML
//!   tag, its CSV/TSV column header, or the same line (within 256 bytes
//!   before / 128 after).
//! * **medium**: a keyword on one of the three lines above (a form label
//!   above the value), or the file's path names My Numbers (`mynumber.csv`,
//!   `マイナンバー/`).
//! * **low**: a bare valid number, plain or grouped (one random 12-digit
//!   string in ten passes the check, and 4-digit groups fill code-point
//!   tables and hex dumps), a value whose structured key names it as
//!   something else, or a well-known test value (`123456789018`).

use crate::context::{Evidence, Keywords};
use crate::detect::{leak_rule, Candidate, Detector, TextChunk, Value};
use crate::finding::{Category, Confidence, RuleMeta};
use crate::patterns::MyNumberPatterns;
use crate::validate::is_valid_my_number;

pub struct MyNumber {
    rule: &'static RuleMeta,
    keywords: Keywords,
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
        match chunk.surroundings().evidence(start, end, &self.keywords) {
            Evidence::Keyword => Confidence::High,
            Evidence::LabelledOther => Confidence::Low,
            Evidence::KeywordAbove => Confidence::Medium,
            Evidence::None if self.path_names_my_number(&chunk.file.path_lower) => {
                Confidence::Medium
            }
            Evidence::None => Confidence::Low,
        }
    }

    fn path_names_my_number(&self, path_lower: &str) -> bool {
        self.path_terms
            .iter()
            .any(|t| path_lower.contains(t.as_str()))
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
