//! Plaintext credentials: private keys, cloud keys, tokens, passwords in
//! config files and URLs. Rules are data (`patterns/credentials.toml`).
//!
//! One aho-corasick pass over the lower-cased chunk finds every rule keyword
//! (a minimal trigger set, case-sensitive so SIMD prefilters apply); a rule's
//! regex then runs only on the keyword's line (or the following lines for
//! multi-line rules). The named group `secret` is the value; it is dropped
//! when it is a placeholder (`${VAR}`, `changeme`, `****`, a read from the
//! environment, ...), matches the rule's allowlist (documented examples), or
//! has less entropy than the rule asks for.
//!
//! Rules marked `in_names` are also looked for in names (of files, folders
//! and archive members, one component at a time: [`Credentials::scan_name`]),
//! where a token's prefix or a `password=` is as strong as in text; the
//! same search masks them wherever a name is shown ([`crate::redact::name`]).

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::bytes::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

use crate::context::{for_each_body_cell, trim_cell, TableHeader};
use crate::detect::{leak_rule, Candidate, Detector, TextChunk, Value};
use crate::finding::{Category, Confidence, RuleMeta};
use crate::patterns::{CredentialColumns, CredentialPatterns, CredentialRule, PatternError};

/// How far before / after its keyword a rule's regex may look.
const WINDOW_BEFORE: usize = 512;
const WINDOW_AFTER: usize = 1024;
const MULTILINE_AFTER: usize = 2048;
/// The longest region of merged keyword windows one regex run covers.
const MAX_REGION: usize = 64 << 10;
/// No region pending for a rule.
const NO_REGION: (usize, usize) = (usize::MAX, 0);
const FILE: &str = "patterns/credentials.toml";

/// A rule's regexes. Built-in rules compile them on first use (most rules
/// never fire on a given tree, and compiling all of them dominated the start
/// of a run); a user's rules compile at load time, so errors show at once.
struct Matchers {
    regex: Regex,
    secret_group: Option<usize>,
    /// The named group `key`: the name the value is assigned to.
    key_group: Option<usize>,
    allow: Option<RegexSet>,
    allow_match: Option<RegexSet>,
    /// Keys whose values are no secrets (`CredentialRule::ignore_keys`).
    ignore_keys: Option<RegexSet>,
}

struct CompiledRule {
    meta: &'static RuleMeta,
    confidence: Confidence,
    source: CredentialRule,
    file: &'static str,
    matchers: OnceLock<Matchers>,
    code_requires_quotes: bool,
    min_entropy: f64,
    max_len: Option<usize>,
    multiline: bool,
    /// See `CredentialRule::requires`.
    requires: Option<memchr::memmem::Finder<'static>>,
    placeholder_check: bool,
    generic: bool,
    /// See `CredentialRule::located_at_match`.
    located_at_match: bool,
    /// See `CredentialRule::value_shape_check`.
    value_shape_check: bool,
}

impl CompiledRule {
    fn matchers(&self) -> &Matchers {
        self.matchers.get_or_init(|| {
            build_matchers(self.file, &self.source)
                .expect("built-in credential rules compile (checked by the test suite)")
        })
    }
}

/// The credential detector: every credential rule, built-in and custom.
pub struct Credentials {
    rules: Vec<CompiledRule>,
    /// The trigger words, in two searchers by length: Teddy (the SIMD
    /// prefilter) compares as many leading bytes as the shortest word has,
    /// up to 4, and a few 3-byte words (`://`, `pwd`) among 4-byte ones made
    /// the whole search twice as slow.
    keywords: [TriggerSearch; 2],
    placeholder_patterns: Vec<String>,
    placeholders: OnceLock<RegexSet>,
    /// Documentation and placeholder words (`CredentialPatterns::placeholder_terms`).
    terms: Vec<Vec<u8>>,
    /// Table columns whose cells are credentials, if the rules say which.
    columns: Option<Columns>,
    /// The trigger words of the rules looked for in names, ASCII case
    /// ignored (a name is not lower-cased first).
    name_keywords: TriggerSearch,
}

/// Table columns that hold credentials ([`CredentialColumns`]), compiled.
struct Columns {
    /// Index of the rule the cells are reported under.
    rule: usize,
    header: Regex,
    min_len: usize,
}

fn regex_error(file: &str, rule: &str, source: regex::Error) -> PatternError {
    PatternError::Regex {
        file: file.into(),
        rule: rule.into(),
        cause: source,
    }
}

fn build_matchers(file: &str, r: &CredentialRule) -> Result<Matchers, PatternError> {
    let regex = RegexBuilder::new(&r.regex)
        .size_limit(1 << 22)
        .build()
        .map_err(|e| regex_error(file, &r.id, e))?;
    let secret_group = regex.capture_names().position(|n| n == Some("secret"));
    let key_group = regex.capture_names().position(|n| n == Some("key"));
    let set = |patterns: &[String], any_case: bool| -> Result<Option<RegexSet>, PatternError> {
        if patterns.is_empty() {
            return Ok(None);
        }
        RegexSetBuilder::new(patterns)
            .case_insensitive(any_case)
            .build()
            .map(Some)
            .map_err(|e| regex_error(file, &r.id, e))
    };
    Ok(Matchers {
        regex,
        secret_group,
        key_group,
        allow: set(&r.allow, false)?,
        allow_match: set(&r.allow_match, false)?,
        ignore_keys: set(&r.ignore_keys, true)?,
    })
}

fn build_placeholders(patterns: &[String]) -> Result<RegexSet, regex::Error> {
    RegexSetBuilder::new(patterns)
        .case_insensitive(true)
        .build()
}

fn compile_rule(file: &str, r: &CredentialRule) -> Result<CompiledRule, PatternError> {
    if r.keywords.is_empty() || r.keywords.iter().any(|k| k.trim().is_empty()) {
        return Err(PatternError::Invalid {
            file: file.into(),
            rule: r.id.clone(),
            message: "a rule needs at least one keyword, and no empty one".into(),
        });
    }
    let builtin = file == FILE;
    if !r.in_text && r.in_names.is_none() {
        return Err(PatternError::Invalid {
            file: file.into(),
            rule: r.id.clone(),
            message: "a rule with `in_text = false` is looked for nowhere".into(),
        });
    }
    if !builtin && r.in_names.is_some() {
        // names are masked before a configuration is read: a custom rule
        // found in a name could not be masked in it
        return Err(PatternError::Invalid {
            file: file.into(),
            rule: r.id.clone(),
            message: "`in_names` is for built-in rules only".into(),
        });
    }
    let matchers = OnceLock::new();
    if !builtin {
        let _ = matchers.set(build_matchers(file, r)?);
    }
    Ok(CompiledRule {
        meta: leak_rule(RuleMeta {
            id: r.id.clone(),
            category: Category::Credential,
            severity: r.severity,
            description: r.description.clone(),
        }),
        confidence: r.confidence,
        source: r.clone(),
        file: if builtin { FILE } else { "custom rules" },
        matchers,
        code_requires_quotes: r.code_requires_quotes,
        located_at_match: r.located_at_match,
        value_shape_check: r.value_shape_check,
        min_entropy: r.min_entropy,
        max_len: r.max_len,
        multiline: r.multiline,
        requires: r
            .requires
            .as_ref()
            .filter(|s| !s.is_empty())
            .map(|s| memchr::memmem::Finder::new(s.as_bytes()).into_owned()),
        placeholder_check: !r.skip_placeholder_check,
        generic: r.generic,
    })
}

/// Credential rules from one file: the built-in `patterns/credentials.toml`
/// or a user's `.leakscan.toml`.
pub struct RuleSource<'a> {
    /// Named in errors.
    pub file: &'a str,
    /// The rules of the file.
    pub rules: &'a [CredentialRule],
    /// Extra placeholder regexes (case-insensitive), shared by all rules.
    pub placeholders: &'a [String],
}

impl Credentials {
    /// The detector with the built-in rules alone.
    pub fn new(p: &CredentialPatterns) -> Result<Credentials, PatternError> {
        Credentials::from_sources(&[RuleSource {
            file: FILE,
            rules: &p.rules,
            placeholders: &p.placeholders,
        }])?
        .with_placeholder_terms(&p.placeholder_terms)
        .with_columns(p.columns.as_ref())
    }

    /// The detector that also drops values equal to one of `terms` (the
    /// built-in `placeholder_terms`), ASCII case and separators ignored.
    pub fn with_placeholder_terms(mut self, terms: &[String]) -> Credentials {
        self.terms = terms.iter().map(|t| t.as_bytes().to_vec()).collect();
        self
    }

    /// Whether `value` is a placeholder (the shared regexes, the terms), as
    /// written or with its decoration taken off: quotes, `\\`, `#`, `*`
    /// and up to 3 final digits (`"pass"`, `pa#ss`, `pass1`, `test123`:
    /// the values of a parser's tests).
    fn is_placeholder(&self, value: &[u8]) -> bool {
        if self.placeholders().is_match(value) || self.is_placeholder_term(value) {
            return true;
        }
        let mut bare = [0u8; 64];
        let mut n = 0;
        for &b in value {
            if matches!(b, b'"' | b'\'' | b'\\' | b'#' | b'*') {
                continue;
            }
            if n == bare.len() {
                return false;
            }
            bare[n] = b;
            n += 1;
        }
        let digits = bare[..n]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let bare = &bare[..n - digits.min(3)];
        bare.len() != value.len()
            && !bare.is_empty()
            && (self.placeholders().is_match(bare) || self.is_placeholder_term(bare))
    }

    /// Whether one of the words of `value` (split at case changes and at
    /// anything not a letter: `IAmSensitive` is I, Am, Sensitive), of 4
    /// letters or more, is a placeholder term: a value written to show
    /// what goes there.
    fn has_term_word(&self, value: &[u8]) -> bool {
        let mut start = 0;
        for i in 1..=value.len() {
            let boundary = i == value.len()
                || !value[i].is_ascii_alphabetic()
                || (value[i].is_ascii_uppercase() && value[i - 1].is_ascii_lowercase());
            if !boundary {
                continue;
            }
            let word = &value[start..i];
            if word.len() >= 4
                && word.iter().all(u8::is_ascii_alphabetic)
                && self.is_placeholder_term(word)
            {
                return true;
            }
            start = if i < value.len() && !value[i].is_ascii_alphabetic() {
                i + 1
            } else {
                i
            };
        }
        false
    }

    /// Whether `value` is one of the placeholder terms.
    fn is_placeholder_term(&self, value: &[u8]) -> bool {
        self.terms.iter().any(|t| same_term(value, t))
    }

    /// The detector that also reports the cells of table columns headed
    /// as `columns` says (the built-in `[columns]`).
    pub fn with_columns(
        mut self,
        columns: Option<&CredentialColumns>,
    ) -> Result<Credentials, PatternError> {
        let Some(c) = columns else {
            return Ok(self);
        };
        let invalid = |message: &str| PatternError::Invalid {
            file: FILE.into(),
            rule: c.rule.clone(),
            message: message.into(),
        };
        let rule = self
            .rules
            .iter()
            .position(|r| r.meta.id == c.rule)
            .ok_or_else(|| invalid("[columns] names a rule that does not exist"))?;
        let header = RegexBuilder::new(&c.header)
            .size_limit(1 << 22)
            .build()
            .map_err(|e| regex_error(FILE, &c.rule, e))?;
        self.columns = Some(Columns {
            rule,
            header,
            min_len: c.min_len,
        });
        Ok(self)
    }

    /// Whether a header cell (trimmed, ASCII lower-cased) names a
    /// credential column.
    pub fn is_credential_header(&self, cell: &str) -> bool {
        self.columns
            .as_ref()
            .is_some_and(|c| c.header.is_match(cell.as_bytes()))
    }

    /// The columns of `table` whose header names a credential, if the
    /// header is a plausible one ([`plausible_header`]).
    fn credential_columns(&self, table: &TableHeader) -> Vec<usize> {
        let Some(c) = &self.columns else {
            return Vec::new();
        };
        let cells = table.lower_cells();
        let cells = cells.strip_suffix(b"\n").unwrap_or(cells);
        if !plausible_header(cells.split(|&b| b == b'\n').map(trim_cell)) {
            return Vec::new();
        }
        cells
            .split(|&b| b == b'\n')
            .enumerate()
            .filter(|(_, cell)| c.header.is_match(trim_cell(cell)))
            .map(|(col, _)| col)
            .collect()
    }

    /// The cells of a table's credential columns in this chunk (never on
    /// the header row), each one accepted as the column rule's value: the
    /// CSV/TSV file's columns, or those of the plain-text tables of the
    /// chunk ([`crate::text_table`]).
    fn scan_columns(&self, chunk: &TextChunk<'_>, out: &mut Vec<Candidate>) {
        let Some(c) = &self.columns else {
            return;
        };
        let rule = &self.rules[c.rule];
        let buf = chunk.buf;
        // `pin`: the column is headed as a PIN, whose value is its digits
        let mut push = |cell: &[u8], pin: bool| {
            let value = trim_cell(cell);
            if char_count(value) < c.min_len || value.iter().any(u8::is_ascii_whitespace) {
                return;
            }
            let confidence = if pin && is_pin(value) {
                rule.confidence
            } else {
                match self.judge(rule, value) {
                    Some(confidence) => confidence,
                    None => return,
                }
            };
            let at = value.as_ptr() as usize - buf.as_ptr() as usize;
            out.push(Candidate {
                rule: rule.meta,
                start: at,
                end: at + value.len(),
                value: Value::Span {
                    start: at,
                    end: at + value.len(),
                },
                severity: rule.meta.severity,
                confidence,
                kind: None,
            });
        };
        if let Some(table) = chunk.file.table.as_ref() {
            let cols = chunk
                .file
                .credential_columns
                .get_or_init(|| self.credential_columns(table));
            if !cols.is_empty() {
                let cells = table.lower_cells();
                let headers: Vec<&[u8]> = cells.split(|&b| b == b'\n').collect();
                let pin = |col: usize| headers.get(col).is_some_and(|h| pin_header(trim_cell(h)));
                for_each_body_cell(
                    buf,
                    table,
                    chunk.records,
                    chunk.at_file_start,
                    |col, cell| {
                        if cols.contains(&col) {
                            push(cell, pin(col));
                        }
                    },
                );
            }
        }
        let Some(tables) = chunk.text_tables else {
            return;
        };
        for t in 0..tables.len() {
            if !plausible_header(tables.header(t)) {
                continue;
            }
            // a bit set of the credential columns (a header has at most 64)
            let cols = tables
                .header(t)
                .enumerate()
                .filter(|&(col, cell)| col < 64 && c.header.is_match(cell))
                .fold(0u64, |set, (col, _)| set | 1u64 << col);
            let pins = tables
                .header(t)
                .enumerate()
                .filter(|&(col, cell)| col < 64 && pin_header(cell))
                .fold(0u64, |set, (col, _)| set | 1u64 << col);
            if cols != 0 {
                tables.for_each_row_cell(t, buf, |col, cell| {
                    // a document's cell keyed `"header": …` is the key
                    // rule's (an empty one is no value)
                    let keyed = crate::formats::table::keyed_value(cell).is_some();
                    if col < 64 && cols & 1 << col != 0 && !keyed {
                        push(cell, pins & 1 << col != 0);
                    }
                });
            }
        }
    }

    /// Builds one detector from several rule files; rule ids must be unique.
    pub fn from_sources(sources: &[RuleSource<'_>]) -> Result<Credentials, PatternError> {
        let mut rules = Vec::new();
        let mut all_rules: Vec<CredentialRule> = Vec::new();
        let mut placeholders: Vec<String> = Vec::new();
        for src in sources {
            for r in src.rules {
                if all_rules.iter().any(|o| o.id == r.id) {
                    return Err(PatternError::Invalid {
                        file: src.file.into(),
                        rule: r.id.clone(),
                        message:
                            "a rule with this id already exists (built-in or earlier in the file)"
                                .into(),
                    });
                }
                rules.push(compile_rule(src.file, r)?);
                all_rules.push(r.clone());
            }
            for p in src.placeholders {
                if src.file != FILE {
                    regex::Regex::new(p).map_err(|e| regex_error(src.file, "placeholders", e))?;
                }
                placeholders.push(p.clone());
            }
        }
        let (triggers, trigger_rules) = triggers_of(&all_rules, |r| r.in_text);
        let (short, long): (Vec<_>, Vec<_>) = triggers
            .into_iter()
            .zip(trigger_rules)
            .partition(|(t, _)| t.len() < 4);
        let (names, name_rules) = triggers_of(&all_rules, |r| r.in_names.is_some());
        Ok(Credentials {
            rules,
            keywords: [
                TriggerSearch::new(short, false),
                TriggerSearch::new(long, false),
            ],
            placeholder_patterns: placeholders,
            placeholders: OnceLock::new(),
            terms: Vec::new(),
            columns: None,
            name_keywords: TriggerSearch::new(names.into_iter().zip(name_rules).collect(), true),
        })
    }

    /// Runs `rule`'s regex over `region` of the chunk: each match that
    /// starts before `next` (where the next region of the rule starts) and
    /// whose secret is accepted is a candidate.
    fn run_rule(
        &self,
        chunk: &TextChunk<'_>,
        rule: &CompiledRule,
        region: std::ops::Range<usize>,
        next: usize,
        out: &mut Vec<Candidate>,
    ) {
        let buf = chunk.buf;
        let ws = region.start;
        if let Some(needle) = &rule.requires {
            if needle.find(&buf[region.clone()]).is_none() {
                return;
            }
        }
        let m = rule.matchers();
        for caps in m.regex.captures_iter(&buf[region]) {
            if caps.get(0).is_some_and(|all| ws + all.start() >= next) {
                break;
            }
            let g = m
                .secret_group
                .and_then(|i| caps.get(i))
                .or_else(|| caps.get(0));
            let Some(g) = g else { continue };
            // a PIN keyed by its column (`"暗証番号": 4000`) is its digits
            let pin = || {
                m.key_group
                    .and_then(|i| caps.get(i))
                    .is_some_and(|k| pin_header(&k.as_bytes().to_ascii_lowercase()))
                    && is_pin(g.as_bytes())
            };
            let Some(mut confidence) = self
                .judge(rule, g.as_bytes())
                .or_else(|| pin().then_some(rule.confidence))
            else {
                continue;
            };
            // a weak password of letters and digits in a configuration
            // file is a weak password, not an example:
            // `spring.datasource.password=Passw0rd2024` (but an example
            // config's `password="secretr"` stays low)
            let value = g.as_bytes();
            if confidence == Confidence::Low
                && rule.generic
                && value.iter().any(u8::is_ascii_digit)
                && value.iter().any(u8::is_ascii_alphabetic)
                && is_config_file(&chunk.file.path_lower)
                && !chunk.file.documentation
            {
                confidence = rule.confidence;
            }
            if rule.generic && chunk.file.documentation {
                confidence = Confidence::Low;
            }
            if m.allow_match.as_ref().is_some_and(|a| a.is_match(&caps[0])) || ignored_key(m, &caps)
            {
                continue;
            }
            let (start, end) = (ws + g.start(), ws + g.end());
            let quoted = start > 0 && matches!(buf[start - 1], b'"' | b'\'' | b'`');
            if rule.code_requires_quotes && !quoted && is_source_code(&chunk.file.path_lower) {
                continue;
            }
            let at = if rule.located_at_match {
                ws + caps.get(0).map_or(g.start(), |all| all.start())
            } else {
                start
            };
            out.push(Candidate {
                rule: rule.meta,
                start: at,
                end,
                value: Value::Span { start, end },
                severity: rule.meta.severity,
                confidence,
                kind: None,
            });
        }
    }

    fn window(
        &self,
        chunk: &TextChunk<'_>,
        kw_start: usize,
        kw_end: usize,
        multiline: bool,
    ) -> (usize, usize) {
        let len = chunk.buf.len();
        let floor = kw_start.saturating_sub(WINDOW_BEFORE);
        let start = chunk
            .newlines
            .last_in(floor, kw_start)
            .map_or(floor, |i| i + 1);
        let end = if multiline {
            (kw_end + MULTILINE_AFTER).min(len)
        } else {
            let ceil = (kw_end + WINDOW_AFTER).min(len);
            chunk.newlines.first_in(kw_end, ceil).unwrap_or(ceil)
        };
        (start, end)
    }

    /// Removes generic-rule candidates that overlap a
    /// specific rule's candidate: `aws_access_key_id = AKIA…` is one finding.
    fn drop_generic_overlaps(&self, mine: &mut Vec<Candidate>) {
        let is_generic = |c: &Candidate| {
            self.rules
                .iter()
                .any(|r| r.generic && std::ptr::eq(r.meta, c.rule))
        };
        if !mine.iter().any(is_generic) {
            return;
        }
        let specific: Vec<(usize, usize)> = mine
            .iter()
            .filter(|c| !is_generic(c))
            .map(|c| (c.start, c.end))
            .collect();
        mine.retain(|c| !is_generic(c) || !specific.iter().any(|&(s, e)| c.start < e && s < c.end));
    }

    fn placeholders(&self) -> &RegexSet {
        self.placeholders.get_or_init(|| {
            build_placeholders(&self.placeholder_patterns)
                .expect("placeholders compile (each checked at load or by the test suite)")
        })
    }

    /// Compiles every rule now (tests; a check of a rules file).
    pub fn compile_all(&self) -> Result<(), PatternError> {
        for r in &self.rules {
            if r.matchers.get().is_none() {
                let _ = r.matchers.set(build_matchers(r.file, &r.source)?);
            }
        }
        build_placeholders(&self.placeholder_patterns)
            .map_err(|e| regex_error(FILE, "placeholders", e))?;
        Ok(())
    }

    /// Whether `secret` is a value `rule` reports: `None` if not (empty,
    /// too long, a placeholder, a name or text rather than a secret, on
    /// the rule's allowlist, too little entropy), else its confidence: the
    /// rule's, or *low* for a value of a generic rule that looks made up
    /// for a test or a document ([`made_up`]: reported at
    /// `--min-confidence low` only, never dropped, for a weak real password
    /// in a config is a leak).
    fn judge(&self, rule: &CompiledRule, secret: &[u8]) -> Option<Confidence> {
        if !self.accept(rule, secret) {
            return None;
        }
        if rule.generic && (made_up(secret) || self.has_term_word(secret)) {
            return Some(Confidence::Low);
        }
        Some(rule.confidence)
    }

    fn accept(&self, rule: &CompiledRule, secret: &[u8]) -> bool {
        if secret.is_empty() || rule.max_len.is_some_and(|max| char_count(secret) > max) {
            return false;
        }
        if rule.placeholder_check && self.is_placeholder(secret) {
            return false;
        }
        if rule.placeholder_check
            && secret.contains(&b'%')
            && self.is_placeholder(&percent_decoded(secret))
        {
            return false; // `pass%3Bword` in a URL is `pass;word`
        }
        if rule.value_shape_check
            && (is_wordy_name(secret) || is_encoded_text(secret) || is_sequence(secret))
        {
            return false;
        }
        if rule
            .matchers()
            .allow
            .as_ref()
            .is_some_and(|a| a.is_match(secret))
        {
            return false;
        }
        rule.min_entropy <= 0.0 || shannon_entropy(secret) >= rule.min_entropy
    }

    /// Whether `name` has a trigger word of a rule looked for in names: a
    /// cheap test before [`Credentials::scan_name`] (one pass over it).
    pub fn name_may_hold_secret(&self, name: &[u8]) -> bool {
        self.name_keywords
            .ac
            .as_ref()
            .is_some_and(|ac| ac.is_match(name))
    }

    /// Finds the values of the rules looked for in names (`in_names`) in
    /// `name`: one name of a file, folder or member, without its folders.
    /// Candidates' ranges are byte offsets into `name`.
    ///
    /// A name is read as a name: its extension (a last `.` and 1 to 5
    /// letters or digits) is not part of a value (`password=Hunter2x.txt`
    /// holds `Hunter2x`), and each trigger word is also tried as the start
    /// of a value, for `_` joins the words of a name (`backup_ghp_…`)
    /// where a token's rule asks for a word boundary. Source-code quoting
    /// (`code_requires_quotes`) does not apply.
    pub fn scan_name(&self, name: &[u8], out: &mut Vec<Candidate>) {
        let Some(ac) = &self.name_keywords.ac else {
            return;
        };
        let name = &name[..stem_len(name)];
        let ends = value_ends(name);
        let first = out.len();
        let mut from_start = Vec::new();
        for m in ac.find_iter(name) {
            for &ri in &self.name_keywords.rules[m.pattern().as_usize()] {
                let rule = &self.rules[ri];
                if rule
                    .requires
                    .as_ref()
                    .is_some_and(|r| r.find(name).is_none())
                {
                    continue;
                }
                if from_start.is_empty() {
                    from_start.resize(self.rules.len(), false);
                }
                for &end in ends.iter().filter(|&&e| e >= m.end()) {
                    if !from_start[ri] {
                        self.name_matches(rule, &name[..end], 0, out);
                    }
                    if m.start() > 0 {
                        self.name_matches(rule, &name[..end], m.start(), out);
                    }
                }
                from_start[ri] = true;
            }
        }
        let mut mine: Vec<Candidate> = out.drain(first..).collect();
        // a value cut short at a bracket or a space is inside the longer
        // one the whole name gives: keep the longer
        mine.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
        mine.dedup_by(|later, kept| later.start == kept.start && later.rule.id == kept.rule.id);
        mine.sort_by_key(|c| (c.start, c.end));
        mine.dedup_by(|a, b| (a.start, a.end) == (b.start, b.end));
        self.drop_generic_overlaps(&mut mine);
        out.append(&mut mine);
    }

    /// The values `rule` finds in `name[from..]`, as candidates over `name`.
    fn name_matches(
        &self,
        rule: &CompiledRule,
        name: &[u8],
        from: usize,
        out: &mut Vec<Candidate>,
    ) {
        let m = rule.matchers();
        for caps in m.regex.captures_iter(&name[from..]) {
            let Some(g) = m
                .secret_group
                .and_then(|i| caps.get(i))
                .or_else(|| caps.get(0))
            else {
                continue;
            };
            if !self.accept(rule, g.as_bytes())
                || m.allow_match.as_ref().is_some_and(|a| a.is_match(&caps[0]))
                || ignored_key(m, &caps)
            {
                continue;
            }
            let (start, end) = (from + g.start(), from + g.end());
            out.push(Candidate {
                rule: rule.meta,
                start,
                end,
                value: Value::Span { start, end },
                severity: rule.meta.severity,
                confidence: rule.confidence,
                kind: None,
            });
        }
    }
}

/// The length of `name` without its extension: a last `.` followed by 1
/// to 5 ASCII letters or digits, after something (`.env` has none).
fn stem_len(name: &[u8]) -> usize {
    match memchr::memrchr(b'.', name) {
        Some(dot)
            if dot > 0
                && (2..=6).contains(&(name.len() - dot))
                && name[dot + 1..].iter().all(u8::is_ascii_alphanumeric) =>
        {
            dot
        }
        _ => name.len(),
    }
}

/// Where a value in the stem of a name may end, at most [`MAX_NAME_ENDS`]
/// of them, last first: the end of the stem, and each control character,
/// space and opening bracket, for a value is followed by what the name's
/// maker or a copy added (`password=X (copy).txt`, `X (1).txt`, `X[1]`,
/// `X{a}`, `X\x1b[31m.txt`), and each such end also without an extension
/// before it.
fn value_ends(stem: &[u8]) -> Vec<usize> {
    let mut ends = vec![stem.len()];
    for (i, &b) in stem.iter().enumerate() {
        if ends.len() >= MAX_NAME_ENDS {
            break;
        }
        if b < 0x20 || b == 0x7f || matches!(b, b' ' | b'(' | b'[' | b'{') {
            // a value ends before control characters too
            let mut cut = i;
            while cut > 0 && (stem[cut - 1] < 0x20 || stem[cut - 1] == 0x7f) {
                cut -= 1;
            }
            let cut = stem_len(&stem[..cut]);
            if ends.last() != Some(&cut) && cut > 0 {
                ends.push(cut);
            }
        }
    }
    ends
}

/// How many ends [`value_ends`] tries in one name: names are short, and a
/// hostile one full of spaces costs a bounded number of regex runs.
const MAX_NAME_ENDS: usize = 16;

/// Whether `value` reads as a name in code or prose rather than a secret:
/// two or more words joined as identifiers join them (`MODULE_PWD_STATE`,
/// `passwordFile`, `options.password`, `prod-db-credentials`), each word
/// pronounceable (a vowel, no more than 4 consonants in a row) or a short
/// abbreviation (`PWD`, `cfg`), digits only as the value's last 1 to 3
/// characters (`token_v2`). Random strings fail it: their digits sit
/// inside, their case changes leave one-letter words (`wJalrXUtnFEMI`).
/// A rule of `value_shape_check` drops such values.
pub fn is_wordy_name(value: &[u8]) -> bool {
    let digits = value
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits > 3 || value.len() == digits {
        return false;
    }
    let body = &value[..value.len() - digits];
    if !body
        .iter()
        .all(|&b| b.is_ascii_alphabetic() || matches!(b, b'_' | b'.' | b'-' | b'$'))
    {
        return false;
    }
    let mut words = 0;
    for segment in body.split(|&b| matches!(b, b'_' | b'.' | b'-' | b'$')) {
        let mut rest = segment;
        while !rest.is_empty() {
            let len = camel_word_len(rest);
            if !is_pronounceable(&rest[..len], segment.len() == 1) {
                return false;
            }
            words += 1;
            rest = &rest[len..];
        }
    }
    words >= 2
}

/// The length of the first word of a run of letters split at case
/// changes: `passwordFile` → `password`, `HTTPServer` → `HTTP`, `Pwd` → `Pwd`.
fn camel_word_len(letters: &[u8]) -> usize {
    let upper = |i: usize| letters.get(i).is_some_and(u8::is_ascii_uppercase);
    let lower = |i: usize| letters.get(i).is_some_and(u8::is_ascii_lowercase);
    let mut i = 1;
    if upper(0) && upper(1) {
        // an acronym: up to the capital that starts the next word
        while upper(i) && !lower(i + 1) {
            i += 1;
        }
        return if upper(i) && i > 1 { i } else { i.max(1) };
    }
    while lower(i) {
        i += 1;
    }
    i
}

/// Whether one word of a name reads as a word: a lone letter only as a
/// whole segment (`a.b`), an abbreviation of up to 4 letters, or a vowel
/// and no more than 4 consonants in a row.
fn is_pronounceable(word: &[u8], alone: bool) -> bool {
    match word.len() {
        0 => true,
        1 => alone,
        2..=4 => true,
        _ => {
            let vowel = |b: &u8| {
                matches!(
                    b.to_ascii_lowercase(),
                    b'a' | b'e' | b'i' | b'o' | b'u' | b'y'
                )
            };
            let mut run = 0;
            for b in word {
                run = if vowel(b) { 0 } else { run + 1 };
                if run > 4 {
                    return false;
                }
            }
            word.iter().any(vowel)
        }
    }
}

/// Whether `value` is written by counting rather than drawn at random:
/// its letters (case ignored) and its digits, each read in order, step to
/// the next letter or digit at 60 % of their steps or more
/// (`AB1C2defGHijkLMNo3PqQRst…`, `a1b2c3d4567890ab`, `abcd1234defg5678`,
/// a documentation's made-up key). A random string steps so about one time
/// in 26. Values of fewer than 8 letters and digits are not judged.
pub fn is_sequence(value: &[u8]) -> bool {
    let (mut steps, mut pairs) = (0usize, 0usize);
    let (mut letter, mut digit): (Option<u8>, Option<u8>) = (None, None);
    for &b in value {
        let cur = b.to_ascii_lowercase();
        let step = if b.is_ascii_alphabetic() {
            letter.replace(cur).map(|p| cur == p + 1)
        } else if b.is_ascii_digit() {
            digit
                .replace(cur)
                .map(|p| cur == p + 1 || (p == b'9' && cur == b'0'))
        } else {
            None
        };
        if let Some(step) = step {
            pairs += 1;
            steps += usize::from(step);
        }
    }
    pairs >= 6 && steps * 10 >= pairs * 6
}

/// Whether `value` is base64 (standard or URL-safe, 10 characters or
/// more) of text rather than of key bytes: JSON (`{"`, `["`) or prose
/// (printable ASCII with at least two blanks, or words of letters with
/// one: `a secret`).
/// Only the first 256 characters are decoded. A base64 password or a
/// `user:password` (Docker's `auth`) decodes to no blank and is kept.
pub fn is_encoded_text(value: &[u8]) -> bool {
    let value = value
        .strip_suffix(b"==")
        .or_else(|| value.strip_suffix(b"="))
        .unwrap_or(value);
    if value.len() < 10 {
        return false;
    }
    let mut out = [0u8; 192];
    let Some(n) = decode_base64(&value[..value.len().min(256)], &mut out) else {
        return false;
    };
    let text = &out[..n];
    if !text
        .iter()
        .all(|&b| b.is_ascii_graphic() || matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
    {
        return false;
    }
    let first = text.iter().find(|b| !b.is_ascii_whitespace());
    let json = matches!(first, Some(b'{' | b'[')) && text.contains(&b'"');
    let blanks = text.iter().filter(|&&b| b == b' ').count();
    let words = text.iter().all(|&b| b.is_ascii_alphabetic() || b == b' ');
    json || blanks >= 2 || (blanks == 1 && words)
}

/// Decodes base64 (either alphabet, no padding) into `out`: the bytes
/// written, `None` for a byte outside the alphabet. A last group of one
/// character gives nothing.
fn decode_base64(input: &[u8], out: &mut [u8; 192]) -> Option<usize> {
    let sextet = |b: u8| -> Option<u32> {
        Some(match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        } as u32)
    };
    let mut n = 0;
    for group in input.chunks(4) {
        let mut bits = 0u32;
        for &b in group {
            bits = bits << 6 | sextet(b)?;
        }
        bits <<= 6 * (4 - group.len() as u32);
        let bytes = bits.to_be_bytes();
        for &b in &bytes[1..group.len()] {
            if n == out.len() {
                return Some(n);
            }
            out[n] = b;
            n += 1;
        }
    }
    Some(n)
}

/// Whether the cells of a table's first line read as a header (a row of
/// labels) before its columns are taken for credential columns: at least
/// two filled cells, none of them a number, none longer than 60 bytes, none with
/// the punctuation of code or prose markup (`( ) { } [ ] ; = < > | \ " ' `
/// and `*`, `#`, `//` at its start). The first line of a source file
/// (`from x import Context, Token, copy_context`), a record of a headerless
/// data file (`TRUST_TOKEN,101,BUFFER_TOO_SMALL`), a grammar in a comment
/// (`token = 1*<any CHAR>`) are no headers; nor is a row of constants of
/// code (`POLICY_CREATE_SECRET | POLICY_AUDIT_LOG_ADMIN`), every cell a
/// name of three words or more joined by `_`.
pub fn plausible_header<'a>(cells: impl Iterator<Item = &'a [u8]>) -> bool {
    let (mut n, mut constants) = (0, 0);
    for cell in cells {
        let cell = cell.trim_ascii();
        if cell.is_empty() {
            continue;
        }
        n += 1;
        let code = cell.iter().any(|b| {
            matches!(
                b,
                b'(' | b')'
                    | b'{'
                    | b'}'
                    | b'['
                    | b']'
                    | b';'
                    | b'='
                    | b'<'
                    | b'>'
                    | b'|'
                    | b'\\'
                    | b'"'
                    | b'\''
                    | b'`'
            )
        });
        let number = !cell.is_empty()
            && cell
                .iter()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+'));
        let marked = cell.starts_with(b"*") || cell.starts_with(b"#") || cell.starts_with(b"//");
        if code || number || marked || cell.len() > 60 {
            return false;
        }
        constants += usize::from(is_constant_name(cell));
    }
    n >= 2 && constants < n
}

/// Whether `cell` is a name of code of three words or more joined by `_`
/// (`policy_create_secret`, lower-cased).
fn is_constant_name(cell: &[u8]) -> bool {
    cell.iter().filter(|&&b| b == b'_').count() >= 2
        && cell.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
}

/// Whether a match's `key` group names a key whose values are no secrets,
/// or the value starts with its own key (`userPassword=userPassword@entry=0x…`
/// in a debugger's backtrace, `PASSWORD=PASSWORD`).
fn ignored_key(m: &Matchers, caps: &regex::bytes::Captures<'_>) -> bool {
    let Some(key) = m.key_group.and_then(|i| caps.get(i)) else {
        return false;
    };
    let key = key.as_bytes();
    let value = m
        .secret_group
        .and_then(|i| caps.get(i))
        .map_or(&[][..], |v| v.as_bytes());
    let echoes =
        key.len() >= 4 && value.len() >= key.len() && value[..key.len()].eq_ignore_ascii_case(key);
    echoes || m.ignore_keys.as_ref().is_some_and(|set| set.is_match(key))
}

/// Whether `path_lower` names a configuration file: `.env` (and
/// `.env.production`, `prod.env`), `.properties`, `.ini`, `.cfg`,
/// `.conf`, `.cnf`, `.toml`, `.yaml`/`.yml`, `.tfvars`, `.pgpass`,
/// `.netrc`. A generic rule's value there that looks made up is kept at
/// the rule's confidence ([`made_up`]): weak real passwords live there.
fn is_config_file(path_lower: &str) -> bool {
    let name = path_lower.rsplit(['/', '\\']).next().unwrap_or(path_lower);
    const EXT: [&str; 11] = [
        ".env",
        ".properties",
        ".ini",
        ".cfg",
        ".conf",
        ".cnf",
        ".toml",
        ".yaml",
        ".yml",
        ".tfvars",
        ".pgpass",
    ];
    name.starts_with(".env") || name == ".netrc" || EXT.iter().any(|e| name.ends_with(e))
}

/// Whether a table header cell (lower-cased, trimmed) names a PIN: 暗証番号
/// (a card's or an account's), `pin`, `pin code`. Its cells are the
/// secret even as bare digits, which other credential columns drop.
fn pin_header(cell: &[u8]) -> bool {
    let cell = std::str::from_utf8(cell).unwrap_or_default().trim();
    cell.ends_with("暗証番号")
        || cell == "暗証"
        || matches!(
            cell,
            "pin" | "pin code" | "pin_code" | "pincode" | "pin number" | "pinコード"
        )
}

/// A PIN: 4 to 8 ASCII digits.
fn is_pin(value: &[u8]) -> bool {
    (4..=8).contains(&value.len()) && value.iter().all(u8::is_ascii_digit)
}

/// Words a secret's key names it by: a value built of one and letters or
/// digits (`secretkeycorrect`, `tokencorrect`, `TESTSECRET`,
/// `mysecretpassword`) was written to fill the place.
const KEY_WORDS: [&[u8]; 7] = [
    b"secret",
    b"token",
    b"passw",
    b"apikey",
    b"credential",
    b"changeme",
    b"test",
];

/// Documentation terms in a JSON Web Token's claims: the token of a test
/// or a tutorial (jwt.io's `"sub": "1234567890", "name": "John Doe"`).
const JWT_DOC_TERMS: [&[u8]; 7] = [
    b"acme",
    b"example",
    b"john doe",
    b"\"1234567890\"",
    b"test",
    b"@b.com",
    b"foo",
];

/// Whether a generic rule's value looks made up for a test or a document,
/// though it passed every check: built around a word a key names a secret
/// by ([`KEY_WORDS`] in its letters and digits, escapes such as `\n` left
/// out: `PWDTEST`, `secret\n`, `tokencorrect`), or one such word alone
/// spelt with look-alike digits and signs (`P@55w0rd!`); a word of 8 letters or fewer (`smith`,
/// `rosebud`, `Added`); words joined in camel case or by `_`
/// ([`is_wordy_name`]: `IAmSensitive`); a template (`{secret_key}`); a
/// JSON Web Token whose claims hold a documentation term
/// ([`JWT_DOC_TERMS`]). A real password of such a shape is a weak one:
/// reported at low, not dropped.
fn made_up(value: &[u8]) -> bool {
    let letters = plain(value, false);
    if KEY_WORDS
        .iter()
        .any(|w| letters.windows(w.len()).any(|x| x == *w))
    {
        return true;
    }
    // a key word spelt with look-alikes, and nothing else (`P@55w0rd!`);
    // one with more to it is a password of its own (`S3cr3t-Pa55`)
    let read = plain(value, true);
    if KEY_WORDS.iter().any(|w| read == *w) || read == b"password" {
        return true;
    }
    if value.len() <= 8 && value.iter().all(u8::is_ascii_alphabetic) {
        return true;
    }
    if is_wordy_name(value) {
        return true;
    }
    if value.contains(&b'{') && value.contains(&b'}') {
        return true;
    }
    jwt_claims(value).is_some_and(|claims| {
        let claims = claims.to_ascii_lowercase();
        JWT_DOC_TERMS
            .iter()
            .any(|t| claims.windows(t.len()).any(|x| x == *t))
    })
}

/// The letters and digits of `value`, lower-cased, without escapes (`\n`,
/// `\t`, `\r`); with `leet`, the digits and signs that stand for letters
/// read as those (`0` o, `1` i, `3` e, `4` a, `5` s, `7` t, `@` a, `$` s).
fn plain(value: &[u8], leet: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len());
    let mut bytes = value.iter();
    while let Some(&b) = bytes.next() {
        if b == b'\\' {
            bytes.next(); // the escaped letter goes with it
            continue;
        }
        let c = match (leet, b.to_ascii_lowercase()) {
            (true, b'0') => b'o',
            (true, b'1') => b'i',
            (true, b'3') => b'e',
            (true, b'4' | b'@') => b'a',
            (true, b'5' | b'$') => b's',
            (true, b'7') => b't',
            (_, c) if c.is_ascii_alphanumeric() => c,
            _ => continue,
        };
        out.push(c);
    }
    out
}

/// The claims (the decoded middle part) of a JSON Web Token
/// (`eyJ….eyJ….sig`, RFC 7519: base64url without padding), if `value` is
/// one.
fn jwt_claims(value: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine;
    let mut parts = value.split(|&b| b == b'.');
    let (header, claims, _sig) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !header.starts_with(b"eyJ") || !claims.starts_with(b"eyJ") {
        return None;
    }
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(claims)
        .ok()
}

/// `value` with its percent-escapes (`%3B`) decoded and every byte that is
/// not a letter or a digit left out: the word a URL's escaped password
/// spells (`pass%3Bword` → `password`).
fn percent_decoded(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        let b = match (value[i], value.get(i + 1..i + 3)) {
            (b'%', Some(hex)) if hex.iter().all(u8::is_ascii_hexdigit) => {
                i += 2;
                u8::from_str_radix(std::str::from_utf8(hex).unwrap_or("00"), 16).unwrap_or(0)
            }
            (b, _) => b,
        };
        if b.is_ascii_alphanumeric() {
            out.push(b);
        }
        i += 1;
    }
    out
}

/// Whether `value` equals `term`, ASCII case and the separators `_`, `-`,
/// `.` and blanks ignored in both (`your_password` is `YourPassword`).
fn same_term(value: &[u8], term: &[u8]) -> bool {
    let sep = |b: &&u8| !matches!(b, b'_' | b'-' | b'.' | b' ');
    let a = value.iter().filter(sep).map(u8::to_ascii_lowercase);
    let b = term.iter().filter(sep).map(u8::to_ascii_lowercase);
    a.eq(b)
}

/// Characters in UTF-8 `text` (bytes that do not continue a character).
fn char_count(text: &[u8]) -> usize {
    text.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

/// Lower-case trigger words and the rules each one triggers.
struct TriggerSearch {
    /// Patterns are lower case and the haystack is the lower-cased chunk,
    /// so the search is case-sensitive and can use a SIMD prefilter.
    ac: Option<AhoCorasick>,
    rules: Vec<Vec<usize>>,
}

impl TriggerSearch {
    /// The search for `words` (lower case), each with its rules; with
    /// `any_case`, ASCII case is ignored (for a haystack not lower-cased).
    fn new(words: Vec<(String, Vec<usize>)>, any_case: bool) -> TriggerSearch {
        let (words, rules): (Vec<String>, Vec<Vec<usize>>) = words.into_iter().unzip();
        let ac = (!words.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostFirst)
                .ascii_case_insensitive(any_case)
                .build(&words)
                .expect("credential keyword automaton")
        });
        TriggerSearch { ac, rules }
    }

    /// Each trigger word found in `lower`, in order, with its rules.
    fn hits<'a>(
        &'a self,
        lower: &'a [u8],
    ) -> impl Iterator<Item = (aho_corasick::Match, &'a [usize])> + 'a {
        self.ac
            .iter()
            .flat_map(move |ac| ac.find_iter(lower))
            .map(|m| (m, self.rules[m.pattern().as_usize()].as_slice()))
    }
}

/// Two position-ordered streams of trigger hits, merged in order.
struct Merged<A: Iterator, B: Iterator>(std::iter::Peekable<A>, std::iter::Peekable<B>);

impl<'a, A, B> Iterator for Merged<A, B>
where
    A: Iterator<Item = (aho_corasick::Match, &'a [usize])>,
    B: Iterator<Item = (aho_corasick::Match, &'a [usize])>,
{
    type Item = (aho_corasick::Match, &'a [usize]);

    fn next(&mut self) -> Option<Self::Item> {
        match (self.0.peek(), self.1.peek()) {
            (Some((x, _)), Some((y, _))) if y.start() < x.start() => self.1.next(),
            (Some(_), _) => self.0.next(),
            (None, _) => self.1.next(),
        }
    }
}

/// The prefilter: the fewest lower-case keywords such that every keyword
/// of the rules `wanted` picks contains one of them (`password>` needs no
/// pattern of its own beside `password`), and for each the rules (indexes
/// into `rules`) it may start. Over-triggering costs a regex run on one
/// line; the regex decides.
fn triggers_of(
    rules: &[CredentialRule],
    wanted: impl Fn(&CredentialRule) -> bool,
) -> (Vec<String>, Vec<Vec<usize>>) {
    let mut words: Vec<String> = rules
        .iter()
        .filter(|r| wanted(r))
        .flat_map(|r| r.keywords.iter().map(|k| k.to_ascii_lowercase()))
        .collect();
    words.sort();
    words.dedup();
    let minimal: Vec<String> = words
        .iter()
        .filter(|w| !words.iter().any(|o| o != *w && w.contains(o.as_str())))
        .cloned()
        .collect();
    let rules_for = |t: &str| -> Vec<usize> {
        rules
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                wanted(r)
                    && r.keywords
                        .iter()
                        .any(|k| k.to_ascii_lowercase().contains(t))
            })
            .map(|(i, _)| i)
            .collect()
    };
    let trigger_rules = minimal.iter().map(|t| rules_for(t)).collect();
    (minimal, trigger_rules)
}

/// File extensions of source code, where `password = x` assigns a variable.
const CODE_EXTENSIONS: [&str; 24] = [
    ".py", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".go", ".java", ".kt", ".scala", ".rb",
    ".php", ".c", ".h", ".cc", ".cpp", ".hpp", ".cs", ".rs", ".swift", ".pl", ".pm", ".lua",
];

fn is_source_code(path_lower: &str) -> bool {
    CODE_EXTENSIONS.iter().any(|ext| path_lower.ends_with(ext))
}

/// Shannon entropy of a byte string, in bits per byte.
pub fn shannon_entropy(s: &[u8]) -> f64 {
    let mut counts = [0u32; 256];
    for &b in s {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

impl Detector for Credentials {
    fn rules(&self) -> Vec<&'static RuleMeta> {
        self.rules.iter().map(|r| r.meta).collect()
    }

    fn scan_name(&self, name: &[u8], out: &mut Vec<Candidate>) {
        Credentials::scan_name(self, name, out);
    }

    fn wants_lowercase(&self) -> bool {
        true
    }

    fn scan_text(&self, chunk: &TextChunk<'_>, out: &mut Vec<Candidate>) {
        let first = out.len();
        // Per rule, the region its regex is still to run on: the union of
        // the windows of its keyword hits that overlap, so that a line with
        // the keyword thousands of times (`password=password=…`, 1 MiB of
        // `AKIA`) is searched once, not once a hit (that was 7 s a MiB).
        // A region grows to at most MAX_REGION bytes before it is run.
        let mut pending: Vec<(usize, usize)> = Vec::new();
        let [a, b] = &self.keywords;
        for (m, rules) in Merged(
            a.hits(chunk.lower).peekable(),
            b.hits(chunk.lower).peekable(),
        ) {
            for &ri in rules {
                if pending.is_empty() {
                    pending.resize(self.rules.len(), NO_REGION);
                }
                let rule = &self.rules[ri];
                let (ws, we) = self.window(chunk, m.start(), m.end(), rule.multiline);
                let (ps, pe) = pending[ri];
                if pending[ri] != NO_REGION && ws <= pe && we - ps <= MAX_REGION {
                    pending[ri].1 = pe.max(we);
                    continue;
                }
                if pending[ri] != NO_REGION {
                    // a match from `ws` on is the next region's: this one
                    // may cut it short
                    self.run_rule(chunk, rule, ps..pe, ws, out);
                }
                pending[ri] = (ws, we);
            }
        }
        for (ri, &(ps, pe)) in pending.iter().enumerate() {
            if (ps, pe) != NO_REGION {
                self.run_rule(chunk, &self.rules[ri], ps..pe, usize::MAX, out);
            }
        }
        self.scan_columns(chunk, out);
        let mut mine: Vec<Candidate> = out.drain(first..).collect();
        self.drop_generic_overlaps(&mut mine);
        out.append(&mut mine);
    }
}

#[cfg(test)]
mod compile_tests {
    use super::*;

    /// Built-in rules compile lazily; every one of them must compile.
    #[test]
    fn every_builtin_rule_compiles() {
        let set = crate::patterns::builtin().unwrap();
        let c = Credentials::new(&set.credentials).unwrap();
        assert!(c.rules.iter().all(|r| r.matchers.get().is_none()), "lazy");
        c.compile_all().unwrap();
        assert!(c.rules.iter().all(|r| r.matchers.get().is_some()));
    }

    /// `[columns]`: its header examples match and its negatives do not,
    /// and a matching header written as a document table's key is found by
    /// the column rule's regex too (the two stay in step).
    #[test]
    fn credential_column_headers() {
        let set = crate::patterns::builtin().unwrap();
        let c = Credentials::new(&set.credentials).unwrap();
        let columns = set.credentials.columns.as_ref().unwrap();
        assert!(!columns.header_examples.is_empty());
        let rule = c.rules.iter().find(|r| r.meta.id == columns.rule).unwrap();
        for h in &columns.header_examples {
            assert!(c.is_credential_header(h), "{h}");
            let rendered = format!("<td>\"{}\": Kp9vT2mQx7!</td>", h.to_uppercase());
            assert!(
                rule.matchers().regex.is_match(rendered.as_bytes()),
                "{rendered}"
            );
        }
        for h in &columns.header_negative {
            assert!(!c.is_credential_header(h), "{h}");
        }
    }

    /// Names are masked before any configuration is read: a custom rule
    /// cannot be looked for in names, and a rule looked for nowhere is
    /// refused.
    #[test]
    fn in_names_is_for_builtin_rules_only() {
        let set = crate::patterns::builtin().unwrap();
        let mut rule = set
            .credentials
            .rules
            .iter()
            .find(|r| r.in_names.is_some())
            .unwrap()
            .clone();
        rule.id = "custom-token".into();
        let custom = |rule: &CredentialRule| {
            Credentials::from_sources(&[RuleSource {
                file: ".leakscan.toml",
                rules: std::slice::from_ref(rule),
                placeholders: &[],
            }])
        };
        assert!(matches!(custom(&rule), Err(PatternError::Invalid { .. })));
        rule.in_names = None;
        assert!(custom(&rule).is_ok());
        rule.in_text = false;
        assert!(matches!(custom(&rule), Err(PatternError::Invalid { .. })));
    }

    #[test]
    fn values_shaped_like_code_or_text() {
        for v in [
            "options.password",
            "MODULE_PWD_STATE",
            "passwordFile",
            "token_v2",
            "a.b",
        ] {
            assert!(is_wordy_name(v.as_bytes()), "{v}");
        }
        for v in [
            "Zx81-spectrum",
            "s3cr3tMail",
            "wJalrXUtnFEMI",
            "hunter",
            "Kp9vT2mQx7",
        ] {
            assert!(!is_wordy_name(v.as_bytes()), "{v}");
        }
        // "a secret", {"alg":"HS256","typ":"JWT"}
        assert!(is_encoded_text(b"YSBzZWNyZXQ="));
        assert!(is_encoded_text(b"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"));
        // a base64 password, Docker's user:password
        assert!(!is_encoded_text(b"UXY3QVQzVHFGWkE3IXg="));
        assert!(!is_encoded_text(b"dXNlcjpLcDl2VDJtUXg3"));
        assert!(is_sequence(b"AB1C2defGHijkLMNo3PqQRstUvwxyz"));
        assert!(is_sequence(b"1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d"));
        assert!(!is_sequence(b"El2hpChYgCfrL1spNxnyVmihA+2O76UMFxFkM+R5"));
    }

    #[test]
    fn plausible_headers() {
        let h = |line: &str| plausible_header(line.split(',').map(str::as_bytes));
        assert!(h("user,password,memo"));
        assert!(h("氏名,パスワード"));
        assert!(!h("trust_token,101,buffer_too_small"));
        assert!(!h(
            "from _contextvars import context, token, copy_context('x')"
        ));
        assert!(!h("policy_create_secret,policy_audit_log_admin"));
        assert!(!h("password"));
    }

    #[test]
    fn a_name_is_read_without_its_extension() {
        assert_eq!(stem_len(b"password=Hunter2x.txt"), 17);
        assert_eq!(stem_len(b"a.tar.gz"), 5);
        assert_eq!(stem_len(b".env"), 4);
        assert_eq!(stem_len(b"SG.yJfm5di4PzJ59FHz5r1pY4.OjE2jBMptUsGr7CmY"), 43);
        assert_eq!(stem_len(b"password=x.y-z"), 14);
        assert_eq!(stem_len(b"passwd"), 6);
    }

    #[test]
    fn max_len_counts_characters_not_bytes() {
        assert_eq!(char_count(b""), 0);
        assert_eq!(char_count("pass".as_bytes()), 4);
        assert_eq!(char_count("秘密のパスワード".as_bytes()), 8);
        let set = crate::patterns::builtin().unwrap();
        let c = Credentials::new(&set.credentials).unwrap();
        let rule = c
            .rules
            .iter()
            .find(|r| r.meta.id == "password-assignment")
            .unwrap();
        assert_eq!(rule.max_len, Some(128));
        // 128 three-byte characters: 384 bytes, within the limit
        let kana = "ア".repeat(128);
        assert!(c.accept(rule, kana.as_bytes()));
        assert!(!c.accept(rule, format!("{kana}ア").as_bytes()));
    }
}
