//! Suppressing known findings: inline `leakscan:ignore` comments, the
//! config file's allowlist and severity overrides ([`Policy`]), and
//! baselines of accepted findings.
//!
//! A baseline lists findings by their keyed fingerprint (rule, value, path
//! relative to the scan root), so a finding stays suppressed when lines
//! move, and the same value copied into another file is reported. It holds
//! no value and nothing a value can be recovered from without the key; it is
//! sorted, one finding a line, so it diffs well and can be committed.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, Write};
use std::path::Path;

use memchr::memmem;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::finding::{Finding, Severity};
use crate::fingerprint::Fingerprinter;

const MARKER: &[u8] = b"leakscan:ignore";
/// The longest line on which a marker counts: a source line with a trailing
/// comment is far shorter; a one-line export (minified JSON, a CSV with
/// CR line ends read as one line) is longer, and one value in it must not
/// silence every record.
const MAX_IGNORE_LINE: usize = 1024;
/// What a comment starts with, in the syntaxes a marker is written in:
/// `#` (shell, Python, YAML, TOML), `//` and `/*` (C family), `*` (a block
/// comment's continuation), `<!--` (HTML, XML, Markdown), `--` (SQL, Lua),
/// `;` (INI, Lisp), `%` (TeX), `'` and `REM` (Basic, batch), `::` (batch),
/// `!` (Fortran, some INI).
const COMMENT_OPENERS: &[&[u8]] = &[
    b"#", b"//", b"/*", b"*", b"<!--", b"--", b";", b"%", b"'", b"rem ", b"REM ", b"::", b"!",
];

/// Is `b` a line break: LF, CR, VT, FF (and, in UTF-8, NEL U+0085 and the
/// separators U+2028/U+2029 end in 0x85, 0xA8, 0xA9 after a lead byte;
/// see [`line_break_at`])?
fn is_ascii_break(b: u8) -> bool {
    matches!(b, b'\n' | b'\r' | 0x0b | 0x0c)
}

/// The length of a line break ending at `buf[..=i]`, or 0: the ASCII
/// breaks, NEL (`C2 85`), LINE and PARAGRAPH SEPARATOR (`E2 80 A8/A9`).
fn line_break_at(buf: &[u8], i: usize) -> usize {
    if is_ascii_break(buf[i]) {
        return 1;
    }
    if buf[i] == 0x85 && i >= 1 && buf[i - 1] == 0xc2 {
        return 2;
    }
    if matches!(buf[i], 0xa8 | 0xa9) && i >= 2 && buf[i - 2] == 0xe2 && buf[i - 1] == 0x80 {
        return 3;
    }
    0
}

/// The line around `start` (any line break ends one), if it is at most
/// [`MAX_IGNORE_LINE`] bytes long.
fn short_line(buf: &[u8], start: usize) -> Option<&[u8]> {
    let from = start.saturating_sub(MAX_IGNORE_LINE);
    let mut ls = None;
    for i in (from..start).rev() {
        if line_break_at(buf, i) > 0 {
            ls = Some(i + 1);
            break;
        }
    }
    let ls = match ls {
        Some(ls) => ls,
        None if from == 0 => 0,
        None => return None,
    };
    let to = (ls + MAX_IGNORE_LINE + 1).min(buf.len());
    let mut le = None;
    for i in start..to {
        let n = line_break_at(buf, i);
        if n > 0 {
            le = Some(i + 1 - n);
            break;
        }
    }
    let le = match le {
        Some(le) => le,
        None if to == buf.len() => to,
        None => return None,
    };
    (le - ls <= MAX_IGNORE_LINE).then(|| &buf[ls..le])
}

/// Does a comment open before `line[..i]` on the line: is one of the
/// (`COMMENT_OPENERS`) somewhere before the marker at `i`?
fn in_comment(line: &[u8], i: usize) -> bool {
    let before = &line[..i];
    COMMENT_OPENERS
        .iter()
        .any(|o| memmem::find(before, o).is_some())
}

/// Is the finding at `start` (for `rule_id`) on a line carrying a comment
/// with `leakscan:ignore` or `leakscan:ignore=RULE[,RULE...]` naming its
/// rule? Any line break ends a line (LF, CR, VT, FF, NEL, U+2028/9); a
/// marker counts only after a comment opener (`COMMENT_OPENERS`) and only
/// on a line of at most 1,024 bytes, so a value in a data
/// record (`"note":"leakscan:ignore"`) or a one-line export cannot silence
/// the records around it.
pub fn inline_ignored(buf: &[u8], start: usize, rule_id: &str) -> bool {
    let near = start.saturating_sub(MAX_IGNORE_LINE)..(start + MAX_IGNORE_LINE).min(buf.len());
    if memmem::find(&buf[near], MARKER).is_none() {
        return false;
    }
    let Some(line) = short_line(buf, start) else {
        return false;
    };
    memmem::find_iter(line, MARKER).any(|i| {
        if !in_comment(line, i) {
            return false;
        }
        let rest = &line[i + MARKER.len()..];
        match rest.first() {
            Some(b'=') => rest[1..]
                .split(|&b| b == b',')
                .map(|id| {
                    let end = id
                        .iter()
                        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-'));
                    &id[..end.unwrap_or(id.len())]
                })
                .take_while(|id| !id.is_empty())
                .any(|id| id == rule_id.as_bytes()),
            _ => true,
        }
    })
}

/// A baseline file as read: of each entry only the fingerprint is kept,
/// in [`Fingerprints`], so a baseline of a million findings takes 16 MB,
/// not the 330 MB its entries as strings took.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    leakscan_baseline: u32,
    /// HMAC of a fixed text under the fingerprint key: tells whether this
    /// baseline was written with the key in use now.
    key_check: String,
    findings: Fingerprints,
}

/// One entry of a baseline file as read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReadEntry {
    #[allow(dead_code)]
    path: serde::de::IgnoredAny,
    #[allow(dead_code)]
    rule_id: serde::de::IgnoredAny,
    fingerprint: String,
}

/// The fingerprints of a baseline: the usual 32 hex digits as numbers in a
/// sorted vector, any other text (a hand-edited entry) as itself.
#[derive(Debug, Default)]
struct Fingerprints {
    hex: Vec<u128>,
    other: HashSet<String>,
}

impl Fingerprints {
    /// A fingerprint of 32 lower-case hex digits as a number.
    fn number(fp: &str) -> Option<u128> {
        let hex = fp.len() == 32 && fp.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if !hex {
            return None;
        }
        u128::from_str_radix(fp, 16).ok()
    }

    fn insert(&mut self, fp: String) {
        match Self::number(&fp) {
            Some(n) => self.hex.push(n),
            None => {
                self.other.insert(fp);
            }
        }
    }

    fn contains(&self, fp: &str) -> bool {
        match Self::number(fp) {
            Some(n) => self.hex.binary_search(&n).is_ok(),
            None => self.other.contains(fp),
        }
    }

    fn len(&self) -> usize {
        self.hex.len() + self.other.len()
    }
}

impl<'de> Deserialize<'de> for Fingerprints {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> serde::de::Visitor<'de> for Entries {
            type Value = Fingerprints;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of baseline entries")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Fingerprints, A::Error> {
                let mut fps = Fingerprints::default();
                while let Some(e) = seq.next_element::<ReadEntry>()? {
                    fps.insert(e.fingerprint);
                }
                fps.hex.sort_unstable();
                fps.hex.dedup();
                fps.hex.shrink_to_fit();
                Ok(fps)
            }
        }
        d.deserialize_seq(Entries)
    }
}

/// Why a baseline cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// The file could not be read.
    #[error("cannot read baseline {path}: {source}")]
    Read {
        /// The baseline as given.
        path: String,
        /// Why it could not be read.
        source: io::Error,
    },
    /// The file is not a baseline's JSON.
    #[error("{path} is not a leakscan baseline: {kind} at line {line}, column {column}")]
    Parse {
        /// The baseline as given.
        path: String,
        /// What is wrong, in leakscan's words (serde_json's message quotes
        /// the value, and a baseline can come from the change under review).
        kind: &'static str,
        /// Where (1-based).
        line: usize,
        /// Where in the line (1-based).
        column: usize,
    },
    /// The baseline's `key_check` does not match the fingerprint key in use.
    #[error(
        "baseline {path} was written with another fingerprint key: its fingerprints cannot match. \
Use the same key (--fingerprint-key-file or LEAKSCAN_FINGERPRINT_KEY) or write a new baseline"
    )]
    OtherKey {
        /// The baseline as given.
        path: String,
    },
}

const KEY_CHECK_TEXT: &[u8] = b"leakscan baseline key check";

/// The accepted fingerprints of a baseline.
#[derive(Debug, Default)]
pub struct Baseline {
    fingerprints: Fingerprints,
}

impl Baseline {
    /// Reads a baseline written by [`write()`]; an error if it cannot be read or
    /// parsed, or was written under another fingerprint key.
    pub fn load(path: &Path, fp: &Fingerprinter) -> Result<Baseline, BaselineError> {
        let shown = crate::redact::path(path);
        let read = fs::File::open(path).map_err(|source| BaselineError::Read {
            path: shown.clone(),
            source,
        })?;
        // read as a stream: the text is never held whole
        let file: File = serde_json::from_reader(io::BufReader::new(read)).map_err(|e| {
            BaselineError::Parse {
                path: shown.clone(),
                kind: match e.classify() {
                    serde_json::error::Category::Syntax => "not JSON",
                    serde_json::error::Category::Eof => "the JSON ends early",
                    serde_json::error::Category::Data => "a field missing or of the wrong type",
                    serde_json::error::Category::Io => "a read error",
                },
                line: e.line(),
                column: e.column(),
            }
        })?;
        let _ = file.leakscan_baseline;
        if file.key_check != fp.value_id("baseline", KEY_CHECK_TEXT) {
            return Err(BaselineError::OtherKey { path: shown });
        }
        Ok(Baseline {
            fingerprints: file.findings,
        })
    }

    /// Whether the finding's fingerprint is accepted.
    pub fn contains(&self, f: &Finding) -> bool {
        self.fingerprints.contains(&f.fingerprint)
    }

    /// How many distinct fingerprints it accepts.
    pub fn len(&self) -> usize {
        self.fingerprints.len()
    }

    /// Whether it accepts none (no baseline, or an empty one).
    pub fn is_empty(&self) -> bool {
        self.fingerprints.len() == 0
    }
}

/// One accepted finding, as a baseline line.
#[derive(Debug, Serialize)]
struct EntryOut<'a> {
    /// The file relative to the scan root, with any member chain
    /// (`site.tgz!/inner.zip!/.env`): for people reading the baseline.
    path: &'a str,
    /// The rule's id: for people reading the baseline.
    rule_id: &'a str,
    /// The finding's keyed fingerprint: the only field matched.
    fingerprint: &'a str,
}

/// A collected entry: the path and rule as indices into [`Accepted`]'s
/// tables, the fingerprint as a number. 24 bytes; a million findings take
/// 24 MB (as three strings each they took 290 MB).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Row {
    path: u32,
    rule: u32,
    /// The fingerprint's 128 bits, high half first (so the order of rows
    /// is that of the 32 hex digits).
    fingerprint: [u64; 2],
}

/// Paths as a folder, each distinct folder held once, and a name: a
/// baseline of many files under a long folder holds that folder once
/// (200,000 files under a 1,000-character folder took 238 MB as whole
/// paths).
#[derive(Debug, Default)]
struct PathTable {
    folders: Vec<Box<str>>,
    folder_ids: HashMap<Box<str>, u32>,
    /// (folder index, or `u32::MAX` for none; name)
    entries: Vec<(u32, Box<str>)>,
}

impl PathTable {
    /// Adds `path`; its index.
    fn push(&mut self, path: &str) -> u32 {
        let (folder, name) = match path.rfind('/') {
            Some(i) => (Some(&path[..i]), &path[i + 1..]),
            None => (None, path),
        };
        let folder = match folder {
            None => u32::MAX,
            Some(f) => match self.folder_ids.get(f) {
                Some(&id) => id,
                None => {
                    let id = index(self.folders.len());
                    self.folders.push(f.into());
                    self.folder_ids.insert(f.into(), id);
                    id
                }
            },
        };
        self.entries.push((folder, name.into()));
        index(self.entries.len() - 1)
    }

    fn len(&self) -> usize {
        self.entries.len()
    }

    /// The bytes of path `i`, as it was added.
    fn bytes(&self, i: u32) -> impl Iterator<Item = u8> + '_ {
        let (folder, name) = &self.entries[i as usize];
        let (folder, sep) = match self.folders.get(*folder as usize) {
            Some(f) => (&f[..], Some(b'/')),
            None => ("", None),
        };
        folder.bytes().chain(sep).chain(name.bytes())
    }

    /// Path `i` whole.
    fn full(&self, i: u32) -> String {
        String::from_utf8(self.bytes(i).collect()).unwrap_or_default()
    }

    /// The entries reordered so that the path of rank `r` is at `r`.
    fn by_rank(self, rank: &[u32]) -> PathTable {
        let mut entries: Vec<(u32, Box<str>)> = vec![(u32::MAX, Box::from("")); self.entries.len()];
        for (e, &r) in self.entries.into_iter().zip(rank) {
            entries[r as usize] = e;
        }
        PathTable {
            folders: self.folders,
            folder_ids: self.folder_ids,
            entries,
        }
    }
}

/// The findings to write as a baseline (`--write-baseline`), collected as
/// the scan goes: each path once (a file's findings come together, in one
/// [`Accepted::add_file`] call; its folder once for all files), each rule
/// id once, each finding as a 24-byte row (path index, rule index,
/// fingerprint as a number). Duplicates are dropped whenever the rows fill
/// their allocation.
#[derive(Debug, Default)]
pub struct Accepted {
    paths: PathTable,
    rules: Vec<Box<str>>,
    rows: Vec<Row>,
    /// Fingerprints that are not 32 hex digits (leakscan writes none):
    /// kept whole, with the path and rule indices.
    other: Vec<(u32, u32, String)>,
}

impl Accepted {
    /// Records the findings of one file (its members included). Call it
    /// once per file: its paths are not looked up among earlier files'.
    pub fn add_file<'a>(&mut self, findings: impl IntoIterator<Item = &'a Finding>) {
        let mut seen: HashMap<String, u32> = HashMap::new();
        for f in findings {
            let path = match seen.entry(f.provenance.rel_context()) {
                std::collections::hash_map::Entry::Occupied(e) => *e.get(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let id = self.paths.push(e.key());
                    *e.insert(id)
                }
            };
            let rule = match self.rules.iter().position(|r| **r == *f.rule.id) {
                Some(i) => index(i),
                None => {
                    self.rules.push(f.rule.id.as_str().into());
                    index(self.rules.len() - 1)
                }
            };
            match Fingerprints::number(&f.fingerprint) {
                Some(n) => self.push(Row {
                    path,
                    rule,
                    fingerprint: [(n >> 64) as u64, n as u64],
                }),
                None => self.other.push((path, rule, f.fingerprint.clone())),
            }
        }
    }

    fn push(&mut self, row: Row) {
        if self.rows.len() == self.rows.capacity() && self.rows.len() >= 4096 {
            self.rows.sort_unstable();
            self.rows.dedup();
        }
        self.rows.push(row);
    }

    /// How many entries are held (duplicates not yet dropped included).
    pub fn len(&self) -> usize {
        self.rows.len() + self.other.len()
    }

    /// Whether none is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entries in the order of the baseline file (path, rule id,
    /// fingerprint as text), without duplicates: indices are replaced by
    /// the ranks of their strings, then the rows sorted.
    fn into_sorted(mut self) -> Accepted {
        let path_rank = ranks_by(self.paths.len(), |a, b| {
            self.paths.bytes(a).cmp(self.paths.bytes(b))
        });
        let rule_rank = ranks(&self.rules);
        for r in &mut self.rows {
            r.path = path_rank[r.path as usize];
            r.rule = rule_rank[r.rule as usize];
        }
        for (p, r, _) in &mut self.other {
            *p = path_rank[*p as usize];
            *r = rule_rank[*r as usize];
        }
        self.rows.sort_unstable();
        self.rows.dedup();
        self.other.sort_unstable();
        self.other.dedup();
        Accepted {
            paths: self.paths.by_rank(&path_rank),
            rules: by_rank(self.rules, &rule_rank),
            rows: self.rows,
            other: self.other,
        }
    }
}

/// A table index as `u32` (a scan has fewer than 4 G paths).
fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// The rank of each string of `table` in sorted order (equal strings, as
/// a path named twice, share one).
fn ranks(table: &[Box<str>]) -> Vec<u32> {
    ranks_by(table.len(), |a, b| {
        table[a as usize].cmp(&table[b as usize])
    })
}

/// The rank of each of `n` items in the order `cmp` gives (equal items
/// share one).
fn ranks_by(n: usize, cmp: impl Fn(u32, u32) -> std::cmp::Ordering) -> Vec<u32> {
    let mut order: Vec<u32> = (0..index(n)).collect();
    order.sort_unstable_by(|&a, &b| cmp(a, b));
    let mut rank = vec![0; n];
    let mut r = 0;
    for (k, w) in order.iter().enumerate() {
        if k > 0 && cmp(order[k - 1], *w) != std::cmp::Ordering::Equal {
            r += 1;
        }
        rank[*w as usize] = r;
    }
    rank
}

/// `table` reordered so that the string of rank `r` is at `r`.
fn by_rank(table: Vec<Box<str>>, rank: &[u32]) -> Vec<Box<str>> {
    let mut out: Vec<Box<str>> = vec![Box::from(""); table.len()];
    for (s, &r) in table.into_iter().zip(rank) {
        out[r as usize] = s;
    }
    out
}

/// Writes the `accepted` findings as a baseline: sorted, deduplicated, one
/// per line, streamed to a temporary file next to `path` and renamed over
/// it. The number of entries written.
pub fn write(path: &Path, accepted: Accepted, fp: &Fingerprinter) -> io::Result<usize> {
    let Accepted {
        paths,
        rules,
        rows,
        other,
    } = accepted.into_sorted();
    let tmp = path.with_extension("tmp-leakscan");
    let mut out = io::BufWriter::new(fs::File::create(&tmp)?);
    writeln!(out, "{{")?;
    writeln!(out, "  \"leakscan_baseline\": 1,")?;
    writeln!(
        out,
        "  \"key_check\": \"{}\",",
        fp.value_id("baseline", KEY_CHECK_TEXT)
    )?;
    writeln!(out, "  \"findings\": [")?;
    // the rows merged with the (normally absent) other fingerprints, in
    // the order of (path, rule id, fingerprint text)
    let total = rows.len() + other.len();
    let mut rows = rows.into_iter().peekable();
    let mut other = other.into_iter().peekable();
    let mut hex = String::with_capacity(32);
    for i in 0..total {
        let take_row = match (rows.peek(), other.peek()) {
            (Some(r), Some((p, ru, f))) => {
                hex_of(r.fingerprint, &mut hex);
                (r.path, r.rule, hex.as_str()) <= (*p, *ru, f.as_str())
            }
            (Some(_), None) => true,
            _ => false,
        };
        let last = i + 1 == total;
        if take_row {
            let Some(row) = rows.next() else { break };
            hex_of(row.fingerprint, &mut hex);
            let (p, r) = (paths.full(row.path), &rules[row.rule as usize]);
            write_entry(&mut out, &p, r, &hex, last)?;
        } else {
            let Some((p, r, f)) = other.next() else { break };
            write_entry(&mut out, &paths.full(p), &rules[r as usize], &f, last)?;
        }
    }
    writeln!(out, "  ]")?;
    writeln!(out, "}}")?;
    out.flush()?;
    drop(out);
    fs::rename(&tmp, path)?;
    Ok(total)
}

/// One line of a baseline's `findings`.
fn write_entry(
    out: &mut impl Write,
    path: &str,
    rule_id: &str,
    fingerprint: &str,
    last: bool,
) -> io::Result<()> {
    out.write_all(b"    ")?;
    let entry = EntryOut {
        path,
        rule_id,
        fingerprint,
    };
    serde_json::to_writer(&mut *out, &entry)?;
    out.write_all(if last { b"\n" } else { b",\n" })
}

/// `fp` as 32 lower-case hex digits, into `out`.
fn hex_of(fp: [u64; 2], out: &mut String) {
    use std::fmt::Write as _;
    out.clear();
    let _ = write!(out, "{:016x}{:016x}", fp[0], fp[1]);
}

/// What happens to findings between the detectors and the report: severity
/// overrides, then the allowlist, then the baseline.
#[derive(Debug, Default)]
pub struct Policy {
    severity: HashMap<String, Severity>,
    allow_paths: Option<globset::GlobSet>,
    /// Exact relative paths (the config file itself).
    allow_exact: HashSet<String>,
    allow_rules: HashSet<String>,
    allow_fingerprints: HashSet<String>,
    /// The baseline whose findings are dropped last.
    pub baseline: Baseline,
}

impl Policy {
    /// A policy from the config (if any); `config_rel` is the config file's
    /// own path relative to the scan root, whose findings (its rules'
    /// examples) are allowlisted.
    pub fn new(
        config: Option<&Config>,
        config_rel: Option<String>,
        baseline: Baseline,
    ) -> Result<Policy, crate::inputs::fs::BadGlob> {
        let mut p = Policy {
            baseline,
            ..Policy::default()
        };
        p.allow_exact.extend(config_rel);
        if let Some(c) = config {
            p.severity = c.severity.iter().map(|(k, v)| (k.clone(), *v)).collect();
            p.allow_paths = crate::inputs::fs::build_excludes(&c.allowlist.paths)?;
            p.allow_rules = c.allowlist.rules.iter().cloned().collect();
            p.allow_fingerprints = c.allowlist.fingerprints.iter().cloned().collect();
        }
        Ok(p)
    }

    fn allowed_path(&self, rel: &str) -> bool {
        self.allow_exact.contains(rel) || self.allow_paths.as_ref().is_some_and(|g| g.is_match(rel))
    }

    fn allowed(&self, f: &Finding) -> bool {
        self.allow_rules.contains(&f.rule.id)
            || self.allow_fingerprints.contains(&f.fingerprint)
            // (the path is rendered only when there is a path to match)
            || (self.has_paths() && self.allowed_path(&f.provenance.rel_context()))
    }

    /// Whether the allowlist names any path.
    fn has_paths(&self) -> bool {
        !self.allow_exact.is_empty() || self.allow_paths.is_some()
    }

    /// Applies severity overrides and drops allowlisted findings, in place.
    pub fn allowlist(&self, findings: &mut Vec<Finding>) -> u64 {
        if !self.severity.is_empty() {
            for f in findings.iter_mut() {
                if let Some(s) = self.severity.get(&f.rule.id) {
                    f.severity = *s;
                }
            }
        }
        let before = findings.len();
        findings.retain(|f| !self.allowed(f));
        (before - findings.len()) as u64
    }

    /// Applies severity overrides and the rule and path allowlist to the
    /// findings of a file past [`crate::scan::MAX_LISTED`] (`rel`: the
    /// file's path relative to the scan root); returns how many were
    /// allowlisted. Fingerprints and baselines need each finding, so they
    /// do not apply to these.
    pub fn allowlist_unlisted(
        &self,
        rel: Option<&str>,
        unlisted: &mut Vec<crate::scan::Unlisted>,
    ) -> u64 {
        let mut dropped = 0;
        unlisted.retain_mut(|u| {
            if let Some(s) = self.severity.get(&u.rule.id) {
                u.severity = *s;
            }
            let allowed =
                self.allow_rules.contains(&u.rule.id) || rel.is_some_and(|r| self.allowed_path(r));
            dropped += if allowed { u.count } else { 0 };
            !allowed
        });
        dropped
    }

    /// Drops findings in the baseline, in place.
    pub fn drop_baselined(&self, findings: &mut Vec<Finding>) -> u64 {
        if self.baseline.is_empty() {
            return 0;
        }
        let before = findings.len();
        findings.retain(|f| !self.baseline.contains(f));
        (before - findings.len()) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignored(line: &str, rule: &str) -> bool {
        let text = format!("before\n{line}\nafter\n");
        let start = text.find("VALUE").unwrap();
        inline_ignored(text.as_bytes(), start, rule)
    }

    #[test]
    fn inline_markers() {
        assert!(ignored(
            "password = VALUE  # leakscan:ignore",
            "password-assignment"
        ));
        assert!(ignored(
            "x VALUE // leakscan:ignore=password-assignment",
            "password-assignment"
        ));
        assert!(ignored(
            "x VALUE // leakscan:ignore=my_number,password-assignment",
            "password-assignment"
        ));
        assert!(!ignored(
            "x VALUE // leakscan:ignore=my_number",
            "password-assignment"
        ));
        assert!(!ignored("x VALUE", "password-assignment"));
        // a marker on another line does not count
        let text = "# leakscan:ignore\nVALUE\n";
        assert!(!inline_ignored(
            text.as_bytes(),
            text.find("VALUE").unwrap(),
            "x"
        ));
    }

    #[test]
    fn a_marker_needs_a_comment_on_a_short_line_of_its_own() {
        // comment syntaxes
        assert!(ignored("<td>VALUE</td> <!-- leakscan:ignore -->", "r"));
        assert!(ignored("/* leakscan:ignore */ key = VALUE", "r"));
        assert!(ignored("key: VALUE ; test value, leakscan:ignore", "r"));
        // data, not a comment
        assert!(!ignored("1,VALUE,leakscan:ignore", "r"));
        assert!(!ignored(
            "{\"n\":\"VALUE\",\"note\":\"leakscan:ignore\"}",
            "r"
        ));
        assert!(!ignored("id,VALUE (leakscan:ignore)", "r"));
        // every line break ends a line
        for br in ["\r", "\u{0b}", "\u{0c}", "\u{85}", "\u{2028}", "\u{2029}"] {
            let text = format!("# leakscan:ignore{br}VALUE{br}");
            let at = text.find("VALUE").unwrap();
            assert!(!inline_ignored(text.as_bytes(), at, "r"), "{br:?}");
        }
        // a long line (a one-line export) does not honour it
        let long = format!("x VALUE {} # leakscan:ignore", "y".repeat(MAX_IGNORE_LINE));
        assert!(!ignored(&long, "r"));
        let short = format!("x VALUE {} # leakscan:ignore", "y".repeat(900));
        assert!(ignored(&short, "r"));
    }
}
