//! Other Japanese identifiers (`patterns/jp_identifiers.toml`): Corporate
//! Number, driver's licence, passport (and its MRZ), residence card, Basic
//! Pension Number, bank account.
//!
//! None of them can stand alone (no check digit, or a weak one), so a rule
//! reports a value only with evidence: one of its keywords labelling it
//! (key, tag, column header, same line; the rule's confidence) or on a line
//! just above (one level lower), or a match of one of its anchors (a form
//! that is evidence by itself, such as the licence's printed `第…号`).
//!
//! One aho-corasick pass over the lower-cased chunk finds which rules have a
//! keyword in it; a table header naming a rule makes it run on every chunk
//! of the file. Only those rules' regexes run.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::bytes::{CaptureLocations, Regex, RegexBuilder};

use crate::context::{Evidence, Keywords};
use crate::detect::{leak_rule, Candidate, Detector, TextChunk, Value};
use crate::digits::MAX_DIGITS;
use crate::finding::{Category, Confidence, RuleMeta};
use crate::patterns::{JpIdentifierPatterns, JpIdentifierRule, PatternError, Validator};
use crate::validate::{
    drivers_license_check_ok, is_licence_authority, is_valid_corporate_number, mrz_check_digit,
};

const FILE: &str = "patterns/jp_identifiers.toml";

struct Rule {
    meta: &'static RuleMeta,
    confidence: Confidence,
    keywords: Keywords,
    /// The rule's regex and anchors (each with its `id` group), compiled
    /// on the rule's first keyword: most scans need few of the rules.
    matchers: OnceLock<Matchers>,
    source: JpIdentifierRule,
    number_anchor: Option<(Vec<u8>, Vec<u8>)>,
    boost: Keywords,
    validator: Validator,
}

struct Matchers {
    regex: (Regex, usize),
    anchors: Vec<(Regex, usize)>,
}

impl Rule {
    fn matchers(&self) -> &Matchers {
        self.matchers.get_or_init(|| {
            compile_matchers(&self.source)
                .expect("built-in identifier rules compile (checked by the test suite)")
        })
    }
}

fn compile_matchers(r: &JpIdentifierRule) -> Result<Matchers, PatternError> {
    Ok(Matchers {
        regex: compile(FILE, &r.id, &r.regex)?,
        anchors: r
            .anchors
            .iter()
            .map(|a| compile(FILE, &r.id, a))
            .collect::<Result<_, _>>()?,
    })
}

/// The `jp_identifier` detector: every rule of `patterns/jp_identifiers.toml`.
pub struct JpIdentifiers {
    rules: Vec<Rule>,
    /// Every rule's keywords and anchor keywords, lower-cased.
    prefilter: AhoCorasick,
    /// For each prefilter pattern: its rule's bit, and whether it is an
    /// anchor keyword (which runs only the anchors).
    pattern_rule: Vec<(u64, bool)>,
}

/// Which rules a chunk calls for: by keyword (the rule's regex) or by
/// anchor keyword (its anchors).
#[derive(Default, Clone, Copy)]
struct Active {
    keyword: u64,
    anchor: u64,
}

fn compile(file: &str, rule: &str, pattern: &str) -> Result<(Regex, usize), PatternError> {
    let regex = RegexBuilder::new(pattern)
        .size_limit(1 << 22)
        .build()
        .map_err(|source| PatternError::Regex {
            file: file.into(),
            rule: rule.into(),
            cause: source,
        })?;
    let group = regex
        .capture_names()
        .position(|n| n == Some("id"))
        .ok_or_else(|| PatternError::Invalid {
            file: file.into(),
            rule: rule.into(),
            message: format!("regex {pattern:?} has no group named `id`"),
        })?;
    Ok((regex, group))
}

fn compile_rule(r: &JpIdentifierRule) -> Result<Rule, PatternError> {
    if r.keywords.is_empty()
        || r.keywords
            .iter()
            .chain(&r.anchor_keywords)
            .any(|k| k.is_empty())
    {
        return Err(PatternError::Invalid {
            file: FILE.into(),
            rule: r.id.clone(),
            message: "a rule needs keywords, and no empty one".into(),
        });
    }
    if !r.anchors.is_empty() && r.anchor_keywords.is_empty() {
        return Err(PatternError::Invalid {
            file: FILE.into(),
            rule: r.id.clone(),
            message: "anchors need anchor_keywords to find them".into(),
        });
    }
    let number_anchor = match r.number_anchor.as_slice() {
        [] => None,
        [before, after] if !before.is_empty() && !after.is_empty() => {
            Some((before.as_bytes().to_vec(), after.as_bytes().to_vec()))
        }
        _ => {
            return Err(PatternError::Invalid {
                file: FILE.into(),
                rule: r.id.clone(),
                message: "number_anchor is [before, after], both non-empty".into(),
            })
        }
    };
    Ok(Rule {
        meta: leak_rule(RuleMeta {
            id: r.id.clone(),
            category: Category::JpIdentifier,
            severity: r.severity,
            description: r.description.clone(),
        }),
        confidence: r.confidence,
        keywords: Keywords::new(&r.keywords),
        matchers: OnceLock::new(),
        source: r.clone(),
        number_anchor,
        boost: Keywords::new(&r.boost),
        validator: r.validator,
    })
}

impl JpIdentifiers {
    /// Builds the detector; an error for a bad regex, a regex without a group
    /// `id`, a rule without keywords, anchors without anchor keywords, a bad
    /// `number_anchor`, or more than 64 rules.
    pub fn new(p: &JpIdentifierPatterns) -> Result<JpIdentifiers, PatternError> {
        if p.rules.len() > 64 {
            return Err(PatternError::Invalid {
                file: FILE.into(),
                rule: String::new(),
                message: "at most 64 rules".into(),
            });
        }
        let rules = p
            .rules
            .iter()
            .map(compile_rule)
            .collect::<Result<Vec<_>, _>>()?;
        // The fewest words such that every keyword contains one: a keyword
        // holding a shorter one (旅券番号, 旅券) needs no pattern of its own.
        let mut all: Vec<(String, u64, bool)> = Vec::new();
        for (i, r) in p.rules.iter().enumerate() {
            all.extend(
                r.keywords
                    .iter()
                    .map(|k| (k.to_ascii_lowercase(), 1u64 << i, false)),
            );
            all.extend(
                r.anchor_keywords
                    .iter()
                    .map(|k| (k.to_ascii_lowercase(), 1u64 << i, true)),
            );
        }
        let mut words: Vec<String> = Vec::new();
        let mut pattern_rule: Vec<(u64, bool)> = Vec::new();
        for (w, _, anchor) in &all {
            let shorter = all
                .iter()
                .any(|(o, _, a)| a == anchor && o != w && w.contains(o.as_str()));
            if shorter
                || words
                    .iter()
                    .zip(&pattern_rule)
                    .any(|(x, (_, a))| x == w && a == anchor)
            {
                continue;
            }
            let bits = all
                .iter()
                .filter(|(o, _, a)| a == anchor && o.contains(w.as_str()))
                .fold(0, |acc, (_, b, _)| acc | b);
            words.push(w.clone());
            pattern_rule.push((bits, *anchor));
        }
        let prefilter = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostFirst)
            .build(&words)
            .expect("identifier keyword automaton");
        Ok(JpIdentifiers {
            rules,
            prefilter,
            pattern_rule,
        })
    }

    /// The rules with a keyword (or anchor keyword) in the chunk, or a
    /// keyword in its table header.
    fn active_rules(&self, chunk: &TextChunk<'_>) -> Active {
        let mut active = Active::default();
        if let Some(table) = &chunk.file.table {
            // the same prefilter over the header's cells, once per file (the
            // rules weigh each value's own header cell exactly later)
            active.keyword |= *chunk
                .file
                .header_identifier_rules
                .get_or_init(|| self.words_in(table.lower_cells()).keyword);
        }
        let found = self.words_in(chunk.lower);
        active.keyword |= found.keyword;
        active.anchor |= found.anchor;
        active
    }

    /// The rules whose prefilter words occur in lower-cased `text`.
    fn words_in(&self, text: &[u8]) -> Active {
        let mut active = Active::default();
        for m in self.prefilter.find_iter(text) {
            let (bit, anchor) = self.pattern_rule[m.pattern().as_usize()];
            if anchor {
                active.anchor |= bit;
            } else {
                active.keyword |= bit;
            }
        }
        active
    }

    /// Runs one rule over the chunk: its anchors if `anchors`, its regex
    /// (with keyword evidence) if `keyword`.
    fn scan_rule(
        &self,
        rule: &Rule,
        chunk: &TextChunk<'_>,
        anchors: bool,
        keyword: bool,
        out: &mut Vec<Candidate>,
    ) {
        let first = out.len();
        if let Some((before, after)) = &rule.number_anchor {
            for t in chunk.numbers.iter().filter(|t| t.sep == 0) {
                if enclosed(chunk.buf, t.start, t.end, before, after) {
                    if let Some(c) = self.candidate(rule, chunk, t.start, t.end, Confidence::High) {
                        out.push(c);
                    }
                }
            }
        }
        if anchors {
            for (regex, group) in &rule.matchers().anchors {
                let mut locs = regex.capture_locations();
                for_each_id(regex, *group, &mut locs, chunk.buf, |start, end| {
                    if let Some(c) = self.candidate(rule, chunk, start, end, Confidence::High) {
                        out.push(c);
                    }
                });
            }
        }
        if !keyword {
            return;
        }
        let (regex, group) = &rule.matchers().regex;
        let mut locs = regex.capture_locations();
        for_each_id(regex, *group, &mut locs, chunk.buf, |start, end| {
            if out[first..].iter().any(|c| c.start < end && start < c.end) {
                return; // already found through an anchor
            }
            let confidence = match chunk.surroundings().evidence(start, end, &rule.keywords) {
                Evidence::Keyword => rule.confidence,
                Evidence::KeywordAbove => lower(rule.confidence),
                Evidence::LabelledOther | Evidence::None => return,
            };
            let confidence = if rule.boost.found_in(line_of(chunk, start, end)) {
                raise(confidence)
            } else {
                confidence
            };
            if let Some(c) = self.candidate(rule, chunk, start, end, confidence) {
                out.push(c);
            }
        });
    }

    /// Validates and normalises the value at `start..end`.
    fn candidate(
        &self,
        rule: &Rule,
        chunk: &TextChunk<'_>,
        start: usize,
        end: usize,
        confidence: Confidence,
    ) -> Option<Candidate> {
        let mut norm = [0u8; MAX_DIGITS];
        let mut len = 0;
        for &b in &chunk.buf[start..end] {
            if b.is_ascii_alphanumeric() {
                *norm.get_mut(len)? = b;
                len += 1;
            }
        }
        let mut value = &norm[..len];
        let mut confidence = confidence;
        match rule.validator {
            Validator::None => {}
            Validator::CorporateNumber => {
                if !is_valid_corporate_number(value) {
                    return None;
                }
            }
            Validator::DriversLicense => {
                if value.len() != 12
                    || !is_licence_authority((value[0] - b'0') * 10 + (value[1] - b'0'))
                {
                    return None;
                }
                if !drivers_license_check_ok(value) {
                    confidence = lower(confidence);
                }
            }
            Validator::Mrz => {
                // an MRZ document number: 9 characters and a check digit
                if chunk.buf[start..end].contains(&b'<') || value.len() == 10 {
                    let raw = &chunk.buf[start..end];
                    let (doc, check) = raw.split_at(raw.len() - 1);
                    if mrz_check_digit(doc) != Some(check[0].wrapping_sub(b'0')) {
                        return None;
                    }
                    value = &value[..value.len() - 1];
                }
            }
        }
        Some(Candidate {
            rule: rule.meta,
            start,
            end,
            value: Value::digits(value),
            severity: rule.meta.severity,
            confidence,
            kind: None,
        })
    }
}

/// Calls `f` with the span of the `id` group of every match.
fn for_each_id(
    regex: &Regex,
    group: usize,
    locs: &mut CaptureLocations,
    hay: &[u8],
    mut f: impl FnMut(usize, usize),
) {
    let mut at = 0;
    while at <= hay.len() {
        let Some(m) = regex.captures_read_at(locs, hay, at) else {
            break;
        };
        if let Some((s, e)) = locs.get(group) {
            f(s, e);
            // the next match may start at the boundary byte after the value
            at = e.max(m.start() + 1);
        } else {
            at = m.end().max(m.start() + 1);
        }
    }
}

/// Whether `before` (then at most one space) precedes `start` and `after`
/// (after at most one space) follows `end`. Runs for every digit run, so it
/// rejects on a single byte compare where it can.
fn enclosed(buf: &[u8], start: usize, end: usize, before: &[u8], after: &[u8]) -> bool {
    const IDEOGRAPHIC_SPACE: &[u8] = "\u{3000}".as_bytes();
    let head = &buf[..start];
    let head = match head.last() {
        Some(b' ') => &head[..head.len() - 1],
        Some(0x80) if head.ends_with(IDEOGRAPHIC_SPACE) => &head[..head.len() - 3],
        _ => head,
    };
    if head.last() != before.last() || !head.ends_with(before) {
        return false;
    }
    let tail = &buf[end..];
    let tail = match tail.first() {
        Some(b' ') => &tail[1..],
        Some(0xE3) if tail.starts_with(IDEOGRAPHIC_SPACE) => &tail[3..],
        _ => tail,
    };
    tail.first() == after.first() && tail.starts_with(after)
}

/// The line holding `start..end`.
fn line_of<'a>(chunk: &TextChunk<'a>, start: usize, end: usize) -> &'a [u8] {
    let (buf, newlines) = (chunk.buf, chunk.newlines);
    let ls = newlines.last_in(0, start).map_or(0, |i| i + 1);
    let le = newlines.first_in(end, buf.len()).unwrap_or(buf.len());
    &buf[ls..le]
}

fn lower(c: Confidence) -> Confidence {
    match c {
        Confidence::High => Confidence::Medium,
        _ => Confidence::Low,
    }
}

fn raise(c: Confidence) -> Confidence {
    match c {
        Confidence::Low => Confidence::Medium,
        _ => Confidence::High,
    }
}

impl Detector for JpIdentifiers {
    fn rules(&self) -> Vec<&'static RuleMeta> {
        self.rules.iter().map(|r| r.meta).collect()
    }

    fn scan_text(&self, chunk: &TextChunk<'_>, out: &mut Vec<Candidate>) {
        let active = self.active_rules(chunk);
        for (i, rule) in self.rules.iter().enumerate() {
            let bit = 1u64 << i;
            let (anchors, keyword) = (active.anchor & bit != 0, active.keyword & bit != 0);
            if anchors || keyword || rule.number_anchor.is_some() {
                self.scan_rule(rule, chunk, anchors, keyword, out);
            }
        }
    }

    fn wants_numbers(&self) -> bool {
        self.rules.iter().any(|r| r.number_anchor.is_some())
    }

    fn wants_lowercase(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules compile on first use; every one of them must compile,
    /// with its `id` group.
    #[test]
    fn every_builtin_rule_compiles() {
        let set = crate::patterns::builtin().unwrap();
        let jp = JpIdentifiers::new(&set.jp_identifiers).unwrap();
        assert!(jp.rules.iter().all(|r| r.matchers.get().is_none()), "lazy");
        for rule in &jp.rules {
            compile_matchers(&rule.source).unwrap();
        }
    }
}
