//! Payment card numbers (PANs): 13–19 digits, plain or in the brands' group
//! layouts, passing Luhn and falling in a known brand's IIN range and length.
//!
//! One random 16-digit string in ten passes Luhn, and most of those fall in
//! some brand's range: a valid number alone is no evidence. Numbers of card
//! length fill big-number tables, curve constants, decimal test vectors and
//! ids in URLs, so a number needs support to be reported at the default
//! confidence.
//!
//! Confidence:
//! * **high**: a card keyword labels it: its key, column header or line
//!   (カード番号, card number, 有効期限, CVV, a brand name, …).
//! * **medium**: a number with strong support: the other card-length
//!   numbers around it (the 8 nearest on either side, within [`LOOKBACK`] /
//!   [`LOOKAHEAD`] bytes; in a CSV/TSV file those of its column) are mostly
//!   (≥ 60 %) valid cards, a list of cards; or an expiry date (`MM/YY`,
//!   `MM/YYYY`) within 32 bytes on its line.
//! * **medium** too, unless it stands in a table of numbers that are mostly
//!   (> 50 %, at least 2) not cards or next to a hex, decimal or version
//!   number: a card keyword on one of the three lines above (a form label),
//!   a brand's own grouping (4-4-4-4, Amex 4-6-5, …) with spaces or hyphens,
//!   or a payment word on its line (payment, paid, 決済, 支払, …).
//! * **low**: everything else: a bare number, one whose structured key names
//!   it as something else, and test numbers, even under a keyword: the
//!   published ones (`4111111111111111`) and those shaped like them, whose
//!   account digits (between the 6-digit IIN and the check digit) hold a
//!   run of six equal digits or, from 15 digits on, only two distinct
//!   digits (`4000 0000 0000 0002`; 6 in 100,000 random 16-digit numbers).

use crate::context::{Evidence, Keywords, Surroundings, LOOKAHEAD, LOOKBACK};
use crate::detect::{leak_rule, Candidate, Detector, TextChunk, Value};
use crate::digits::{is_expiry_at, NumberToken};
use crate::finding::{Category, Confidence, RuleMeta};
use crate::patterns::{PatternError, PaymentCardPatterns};
use crate::validate::luhn_valid;

/// Card-length numbers looked at on either side of a candidate.
const NEIGHBOURS: usize = 8;
/// Bytes on either side of a number searched for an expiry date.
const EXPIRY_WINDOW: usize = 32;
/// Bytes on either side of a number searched for a neighbouring word.
const NEIGHBOUR_WORD: usize = 48;

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
    support_words: Keywords,
    test_pans: Vec<Vec<u8>>,
    layouts: Vec<Vec<u8>>,
    brand_layouts: Vec<Vec<u8>>,
    brands: Vec<Brand>,
}

/// What the card-length numbers around a candidate are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Neighbours {
    /// Card-length numbers (13–19 digits, plain or in a card layout).
    numbers: usize,
    /// How many of them are valid cards (Luhn and a brand's range).
    cards: usize,
}

impl Neighbours {
    /// At least 60 % of them are cards: the candidate is one of a list.
    fn mostly_cards(self) -> bool {
        self.cards >= 1 && self.cards * 5 >= self.numbers * 3
    }

    /// More than half of at least two are not cards: a table of numbers.
    fn mostly_not_cards(self) -> bool {
        self.numbers >= 2 && self.cards * 2 < self.numbers
    }
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
            support_words: Keywords::new(&p.support_words),
            test_pans: p.test_pans.iter().map(|s| s.as_bytes().to_vec()).collect(),
            layouts: p.layouts.clone(),
            brand_layouts: p.brand_layouts.clone(),
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

    /// Whether `tok` has a card layout and card length: a number counted
    /// as a neighbour.
    fn card_shaped(&self, tok: &NumberToken) -> bool {
        (13..=19).contains(&tok.digits().len())
            && (!tok.is_grouped() || self.layouts.iter().any(|l| l.as_slice() == tok.groups()))
    }

    /// Whether `digits` pass Luhn and fit a brand.
    fn is_card(&self, digits: &[u8]) -> bool {
        luhn_valid(digits) && self.brand(digits).is_some()
    }

    /// A published test number, or one shaped like a test number.
    fn is_test_number(&self, digits: &[u8]) -> bool {
        self.test_pans.iter().any(|t| t == digits) || is_test_shaped(digits)
    }

    /// The card-length numbers around `numbers[i]`: up to [`NEIGHBOURS`] on
    /// either side within [`LOOKBACK`] / [`LOOKAHEAD`] bytes; in a CSV/TSV
    /// file only those of the same column.
    fn neighbours(&self, s: &Surroundings<'_>, numbers: &[NumberToken], i: usize) -> Neighbours {
        let tok = &numbers[i];
        let column = s.table.and_then(|_| s.column(tok.start));
        let mut n = Neighbours::default();
        // a value written again is no more evidence (generated code repeats
        // its constants): each distinct value counts once
        let mut seen = [as_number(tok.digits()); 2 * NEIGHBOURS + 1];
        let mut nseen = 1;
        let mut count = |other: &NumberToken| {
            if column.is_some() && s.column(other.start) != column {
                return;
            }
            let value = as_number(other.digits());
            if seen[..nseen].contains(&value) {
                return;
            }
            seen[nseen] = value;
            nseen += 1;
            n.numbers += 1;
            n.cards += usize::from(self.is_card(other.digits()));
        };
        let from = tok.start.saturating_sub(LOOKBACK);
        numbers[..i]
            .iter()
            .rev()
            .take_while(|o| o.start >= from)
            .filter(|o| o.end <= tok.start && self.card_shaped(o))
            .take(NEIGHBOURS)
            .for_each(&mut count);
        let to = tok.start + LOOKAHEAD;
        numbers[i + 1..]
            .iter()
            .take_while(|o| o.end <= to)
            .filter(|o| o.start >= tok.end && self.card_shaped(o))
            .take(NEIGHBOURS)
            .for_each(&mut count);
        n
    }

    /// The confidence of the valid, non-test number `numbers[i]`.
    fn confidence(&self, chunk: &TextChunk<'_>, i: usize) -> Confidence {
        let tok = &chunk.numbers[i];
        let s = chunk.surroundings();
        let above = match s.evidence(tok.start, tok.end, &self.keywords) {
            Evidence::Keyword => return Confidence::High,
            Evidence::LabelledOther => return Confidence::Low,
            Evidence::KeywordAbove => true,
            Evidence::None => false,
        };
        let near = self.neighbours(&s, chunk.numbers, i);
        if near.mostly_cards() || expiry_near(chunk.buf, tok.start, tok.end) {
            return Confidence::Medium;
        }
        if near.mostly_not_cards() || odd_neighbour(chunk.buf, tok.start, tok.end) {
            return Confidence::Low;
        }
        let brand_grouped = matches!(tok.sep, b' ' | b'-')
            && self
                .brand_layouts
                .iter()
                .any(|l| l.as_slice() == tok.groups());
        if above || brand_grouped || self.payment_word_on_line(&s, tok.start, tok.end) {
            Confidence::Medium
        } else {
            Confidence::Low
        }
    }

    /// Whether a payment word is on the line of `start..end`.
    fn payment_word_on_line(&self, s: &Surroundings<'_>, start: usize, end: usize) -> bool {
        let from = s
            .line_start(start)
            .unwrap_or(0)
            .max(start.saturating_sub(256));
        let to = s.line_end(end).min(end + 128).max(end);
        s.keyword_in(&self.support_words, from, to)
    }
}

/// Up to 19 ASCII digits as a number (a value to compare; fits a `u64`).
fn as_number(digits: &[u8]) -> u64 {
    digits
        .iter()
        .fold(0u64, |acc, &d| acc * 10 + u64::from(d - b'0'))
}

/// Whether `digits` look made up: the account digits (between the 6-digit
/// IIN and the check digit) hold a run of six equal digits, or, in a number
/// of 15 digits or more, are at most two distinct digits repeated. Test
/// numbers are written so (`4000 0000 0000 0002`, `4012 0000 7777 7777`,
/// Braintree's and Stripe's lists); random account digits of a 16-digit
/// number are so for 6 in 100,000.
fn is_test_shaped(digits: &[u8]) -> bool {
    let account = &digits[6.min(digits.len())..digits.len().saturating_sub(1)];
    let seen = account
        .iter()
        .fold(0u16, |set, &d| set | 1 << (d.wrapping_sub(b'0') & 15));
    let longest_run = account
        .chunk_by(|a, b| a == b)
        .map(<[u8]>::len)
        .max()
        .unwrap_or(0);
    longest_run >= 6 || (seen.count_ones() <= 2 && digits.len() >= 15)
}

/// Whether an expiry date (`MM/YY`, `MM/YYYY`) starts within
/// [`EXPIRY_WINDOW`] bytes before or after `start..end`, on its line.
fn expiry_near(buf: &[u8], start: usize, end: usize) -> bool {
    let line = |b: &u8| *b != b'\n';
    let before = buf[start.saturating_sub(EXPIRY_WINDOW)..start]
        .iter()
        .rev()
        .take_while(|b| line(b))
        .count();
    let after = buf[end..(end + EXPIRY_WINDOW).min(buf.len())]
        .iter()
        .take_while(|b| line(b))
        .count();
    (start - before..start)
        .chain(end..end + after)
        .any(|p| is_expiry_at(buf, p))
}

/// Whether the word right before or after `start..end` on its line (past
/// blanks, quotes and punctuation) is a hex, decimal or version number: a
/// number among those is a dump or a test vector, not a card.
fn odd_neighbour(buf: &[u8], start: usize, end: usize) -> bool {
    let gap = |b: u8| {
        matches!(
            b,
            b' ' | b'\t'
                | b','
                | b';'
                | b'\''
                | b'"'
                | b'('
                | b')'
                | b'['
                | b']'
                | b':'
                | b'='
                | b'>'
                | b'<'
        )
    };
    let word = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'#' | b'+');
    // before: skip the gap back, then take the word
    let floor = start.saturating_sub(NEIGHBOUR_WORD);
    let mut e = start;
    while e > floor && gap(buf[e - 1]) {
        e -= 1;
    }
    let mut b = e;
    while b > floor && word(buf[b - 1]) {
        b -= 1;
    }
    if is_odd_number(&buf[b..e]) {
        return true;
    }
    let ceil = (end + NEIGHBOUR_WORD).min(buf.len());
    let mut b = end;
    while b < ceil && gap(buf[b]) {
        b += 1;
    }
    let mut e = b;
    while e < ceil && word(buf[e]) {
        e += 1;
    }
    is_odd_number(&buf[b..e])
}

/// A hex number (`0x1f`, `#a0b1`, or hex digits with both a digit and a
/// letter, `ab3f`), a decimal (`0.5`, `1.5e10`) or a version (`1.2.3`,
/// `v2.0`).
fn is_odd_number(w: &[u8]) -> bool {
    let w = w.strip_suffix(b".").unwrap_or(w);
    if w.is_empty() {
        return false;
    }
    let hex = |t: &[u8]| !t.is_empty() && t.iter().all(u8::is_ascii_hexdigit);
    if let Some(h) = w
        .strip_prefix(b"0x")
        .or_else(|| w.strip_prefix(b"0X"))
        .or_else(|| w.strip_prefix(b"#"))
    {
        return hex(h);
    }
    if w.len() >= 2
        && hex(w)
        && w.iter().any(u8::is_ascii_digit)
        && w.iter().any(u8::is_ascii_alphabetic)
    {
        return true;
    }
    let w = w
        .strip_prefix(b"v")
        .or_else(|| w.strip_prefix(b"+"))
        .unwrap_or(w);
    let dotted = w.contains(&b'.') && w.first().is_some_and(u8::is_ascii_digit);
    dotted
        && !is_dotted_date(w)
        && w.iter()
            .all(|&c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+'))
}

/// A date written with dots (`2024.01.15`, `15.1.2024`): a payment's date
/// next to its card is no version number.
fn is_dotted_date(w: &[u8]) -> bool {
    let mut parts = w.split(|&c| c == b'.');
    let (Some(a), Some(b), Some(c), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let year = |p: &[u8]| p.len() == 4 && (p.starts_with(b"19") || p.starts_with(b"20"));
    let short = |p: &[u8]| (1..=2).contains(&p.len());
    (year(a) && short(b) && short(c)) || (short(a) && short(b) && year(c))
}

impl Detector for PaymentCard {
    fn rules(&self) -> Vec<&'static RuleMeta> {
        vec![self.rule]
    }

    fn wants_numbers(&self) -> bool {
        true
    }

    fn scan_text(&self, chunk: &TextChunk<'_>, out: &mut Vec<Candidate>) {
        for (i, tok) in chunk.numbers.iter().enumerate() {
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
            let confidence = if self.is_test_number(digits) {
                Confidence::Low
            } else {
                self.confidence(chunk, i)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_shaped_numbers() {
        // runs of six equal account digits, or two distinct digits
        assert!(is_test_shaped(b"4000000000000002"));
        assert!(is_test_shaped(b"4012000077777777"));
        assert!(is_test_shaped(b"5555555555554444"));
        // random account digits
        assert!(!is_test_shaped(b"4556737586899855"));
        assert!(!is_test_shaped(b"373259011202505"));
        // two distinct digits in a short number are common by chance
        assert!(!is_test_shaped(b"4222222332223"));
    }

    #[test]
    fn expiry_dates_near_a_number() {
        let near = |s: &str| {
            let start = s.find('#').unwrap();
            expiry_near(s.as_bytes(), start, start + 1)
        };
        assert!(near("# 12/27"));
        assert!(near("# exp. 09/2031"));
        assert!(near("12/27 #"));
        assert!(!near("#\n12/27"));
        assert!(!near("# on 2024/01/01"));
        assert!(!near("# 13/27"));
        assert!(!near(&format!("#{}12/27", " ".repeat(40))));
    }

    #[test]
    fn hex_decimal_and_version_neighbours() {
        let odd = |s: &str| {
            let start = s.find('#').unwrap();
            odd_neighbour(s.as_bytes(), start, start + 1)
        };
        assert!(odd("00000010: # ab3f 01c2"));
        assert!(odd("add '#' 0.499999999 -> '1'"));
        assert!(odd("mantissa #, 1.5e10"));
        assert!(odd("0x1f #"));
        assert!(odd("v1.2.3 #"));
        assert!(!odd("paid with # on 2024-01-01"));
        assert!(!odd("Carta # 11/27"));
        assert!(!odd("card: # face cafe"));
        assert!(!odd("see # and 42"));
        assert!(!odd("2024.01.15 # ok"));
        assert!(!odd("# 15.1.2024"));
    }

    #[test]
    fn neighbour_majorities() {
        let n = |numbers, cards| Neighbours { numbers, cards };
        assert!(n(1, 1).mostly_cards());
        assert!(n(3, 2).mostly_cards());
        assert!(!n(2, 1).mostly_cards());
        assert!(!n(0, 0).mostly_cards());
        assert!(n(2, 0).mostly_not_cards());
        assert!(n(16, 7).mostly_not_cards());
        assert!(!n(1, 0).mostly_not_cards());
        assert!(!n(4, 2).mostly_not_cards());
    }
}
