//! Payment card numbers (PANs): 13–19 digits, plain or in the brands' group
//! layouts, passing Luhn and falling in a known brand's IIN range and length.
//!
//! Confidence: **high** with a card keyword as key, column header or on the
//! line (カード番号, card number, 有効期限, CVV, …); **medium** for a bare
//! valid PAN of a common length (15, 16, 19 digits) or one written in a
//! brand's groups; **low** for published test PANs, a value whose structured
//! key names it as something else, or a bare run of a rare length (13, 14,
//! 17, 18 digits: ids and millisecond timestamps far outnumber such cards).

use crate::context::{Evidence, Keywords};
use crate::detect::{leak_rule, Candidate, Detector, TextChunk, Value};
use crate::finding::{Category, Confidence, RuleMeta};
use crate::patterns::{PatternError, PaymentCardPatterns};
use crate::validate::luhn_valid;

/// Card lengths common enough to report a bare, unlabelled run.
const COMMON_LENGTHS: [usize; 3] = [15, 16, 19];

/// One IIN range: numbers whose first `width` digits lie in `lo..=hi`.
#[derive(Debug, Clone, Copy)]
struct IinRange {
    width: usize,
    lo: u32,
    hi: u32,
}

#[derive(Debug, Clone)]
struct Brand {
    name: &'static str,
    ranges: Vec<IinRange>,
    lengths: Vec<usize>,
}

/// The payment card detector (rule `payment_card`).
pub struct PaymentCard {
    rule: &'static RuleMeta,
    keywords: Keywords,
    test_pans: Vec<Vec<u8>>,
    layouts: Vec<Vec<u8>>,
    brands: Vec<Brand>,
}

fn parse_range(file_rule: &str, s: &str) -> Result<IinRange, PatternError> {
    let bad = |message: String| PatternError::Invalid {
        file: "patterns/payment_card.toml".into(),
        rule: file_rule.into(),
        message,
    };
    let (lo, hi) = s.split_once('-').unwrap_or((s, s));
    if lo.len() != hi.len() || lo.is_empty() || lo.len() > 6 {
        return Err(bad(format!("bad IIN prefix {s:?}")));
    }
    let num = |t: &str| {
        t.parse::<u32>()
            .map_err(|_| bad(format!("bad IIN prefix {s:?}")))
    };
    Ok(IinRange {
        width: lo.len(),
        lo: num(lo)?,
        hi: num(hi)?,
    })
}

impl PaymentCard {
    /// Builds the detector from `patterns/payment_card.toml`; an error for an
    /// IIN prefix that is not digits, a range of unequal widths, or wider than 6
    /// digits.
    pub fn new(p: &PaymentCardPatterns) -> Result<PaymentCard, PatternError> {
        let mut brands = Vec::new();
        for b in &p.brands {
            let ranges = b
                .prefixes
                .iter()
                .map(|s| parse_range(&b.name, s))
                .collect::<Result<Vec<_>, _>>()?;
            brands.push(Brand {
                name: Box::leak(b.name.clone().into_boxed_str()),
                ranges,
                lengths: b.lengths.clone(),
            });
        }
        Ok(PaymentCard {
            rule: leak_rule(RuleMeta {
                id: p.id.clone(),
                category: Category::PaymentCard,
                severity: p.severity,
                description: p.description.clone(),
            }),
            keywords: Keywords::new(&p.keywords),
            test_pans: p.test_pans.iter().map(|s| s.as_bytes().to_vec()).collect(),
            layouts: p.layouts.clone(),
            brands,
        })
    }

    /// The brand whose IIN range and length fit `digits`.
    fn brand(&self, digits: &[u8]) -> Option<&'static str> {
        self.brands
            .iter()
            .find(|b| {
                b.lengths.contains(&digits.len())
                    && b.ranges.iter().any(|r| {
                        let prefix = digits[..r.width]
                            .iter()
                            .fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0'));
                        (r.lo..=r.hi).contains(&prefix)
                    })
            })
            .map(|b| b.name)
    }
}

impl Detector for PaymentCard {
    fn rules(&self) -> Vec<&'static RuleMeta> {
        vec![self.rule]
    }

    fn wants_numbers(&self) -> bool {
        true
    }

    fn scan_text(&self, chunk: &TextChunk<'_>, out: &mut Vec<Candidate>) {
        for tok in chunk.numbers {
            let digits = tok.digits();
            if digits.len() < 13 {
                continue;
            }
            if tok.is_grouped() && !self.layouts.iter().any(|l| l.as_slice() == tok.groups()) {
                continue;
            }
            if !luhn_valid(digits) {
                continue;
            }
            let Some(brand) = self.brand(digits) else {
                continue;
            };
            let confidence = if self.test_pans.iter().any(|t| t == digits) {
                Confidence::Low
            } else {
                match chunk
                    .surroundings()
                    .evidence(tok.start, tok.end, &self.keywords)
                {
                    Evidence::Keyword => Confidence::High,
                    Evidence::LabelledOther => Confidence::Low,
                    Evidence::KeywordAbove | Evidence::None
                        if tok.is_grouped() || COMMON_LENGTHS.contains(&digits.len()) =>
                    {
                        Confidence::Medium
                    }
                    Evidence::KeywordAbove | Evidence::None => Confidence::Low,
                }
            };
            out.push(Candidate {
                rule: self.rule,
                start: tok.start,
                end: tok.end,
                value: Value::digits(digits),
                severity: self.rule.severity,
                confidence,
                kind: Some(brand),
            });
        }
    }
}
