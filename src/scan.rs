//! Scans one file: the one entry point ([`FileScanner::scan`] for an input
//! from an enumerator, [`FileScanner::scan_reader`] for any reader) opens
//! it, resets the per-file state, and reads it: a file some row of the
//! formats table accepts is read by that format, whose members come back
//! here ([`crate::formats::Scope::member`]); any other file is text or
//! binary. Text is read window by window (as UTF-8, decoded when it is in
//! another encoding, [`crate::decode`]), every detector runs over each
//! window, and the candidates that belong to it become findings with line,
//! column, encoding, redaction, fingerprint and provenance.
//!
//! A [`FileScanner`] owns its buffers and is reused for every file a worker
//! scans, so scanning a small file allocates almost nothing. It keeps no
//! state about the file being scanned: that is a `FileRun`, made afresh
//! for each file, and a [`Nest`] passed by value to each level.

use std::borrow::Cow;
use std::io::{self, Read};

use crate::decode::{self, Sniffed, TextEncoding, Transcoder};
use crate::detect::{Candidate, Detectors, FileContext, FileHead, TextChunk, Value};
use crate::digits::{self, NumberToken};
use crate::finding::{Category, Confidence, Finding};
use crate::fingerprint::Fingerprinter;
use crate::formats::limits::Limits;
use crate::formats::{self, Nest, Scope};
use crate::inputs::{OpenOptions, Source};
use crate::lines::Newlines;
use crate::outcome::{Damage, Issue, MemberIssue, Outcome, SkipReason};
use crate::provenance::{context_path, Provenance, Step};
use crate::read::{ChunkReader, Window, DEFAULT_CHUNK, HEAD_LEN};
use crate::redact::redact;

/// What the user asked of every file.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Bytes of new data per read window.
    pub chunk_size: usize,
    /// Candidates below this are counted, not reported.
    pub min_confidence: Confidence,
    /// Keep raw values in findings (`--show-secrets`).
    pub show_secrets: bool,
    /// Files larger than this many bytes are skipped.
    pub max_file_size: Option<u64>,
    /// The largest decompression window read, and the budget big windows
    /// share (`--max-window`); `None`: the default of
    /// [`Limits::max_window`].
    pub max_window: Option<u64>,
    /// Where to count the bytes read from files as they are read (for a
    /// progress display); `None`: not counted.
    pub bytes_read: Option<std::sync::Arc<std::sync::atomic::AtomicU64>>,
    /// Set (by SIGINT or SIGTERM) to stop: a file being read stops at its
    /// next window and ends as skipped (`interrupted`), so that a huge file
    /// or a stdin held open does not hold the scan's end back.
    pub cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    /// The executable that reads legacy Office (`.xls`, `.doc`, `.ppt`),
    /// `.xlsb` and `.ods` files in a limited child process
    /// ([`crate::formats::sandbox`]): `leakscan` itself. `None`: such files
    /// are `unsupported_format` gaps.
    pub helper: Option<std::path::PathBuf>,
}

impl ScanOptions {
    /// Whether the scan was told to stop (see [`ScanOptions::cancel`]).
    pub fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed))
    }
}

impl Default for ScanOptions {
    fn default() -> ScanOptions {
        ScanOptions {
            chunk_size: DEFAULT_CHUNK,
            min_confidence: Confidence::Medium,
            show_secrets: false,
            max_file_size: None,
            max_window: None,
            bytes_read: None,
            cancel: None,
            helper: None,
        }
    }
}

/// A reader that adds what it reads to a shared counter.
struct Counted<'c, R: ?Sized> {
    inner: &'c mut R,
    counter: Option<&'c std::sync::atomic::AtomicU64>,
}

impl<R: Read + ?Sized> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(c) = self.counter {
            c.fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(n)
    }
}

/// The result of one file, in walk order (`seq`).
#[derive(Debug)]
pub struct FileResult {
    /// Its number in walk order.
    pub seq: u64,
    /// The path as shown.
    pub path: String,
    /// How it ended.
    pub outcome: Outcome,
    /// What was found in it (members included), up to
    /// [`MAX_LISTED`] findings.
    pub findings: Vec<Finding>,
    /// Findings past [`MAX_LISTED`], counted by rule and severity only (a
    /// file of a million numbers must not hold a million records in
    /// memory).
    pub unlisted: Vec<Unlisted>,
    /// Members that were skipped or failed.
    pub members: Vec<MemberIssue>,
}

/// Most findings of one file held and listed: past it, findings are only
/// counted ([`Unlisted`]), so memory does not grow with the findings of a
/// file (at about 500 bytes a finding, 50 MB at most per worker).
pub const MAX_LISTED: usize = 100_000;

/// Findings of one rule and severity in a file past [`MAX_LISTED`].
#[derive(Debug, Clone)]
pub struct Unlisted {
    /// Their rule.
    pub rule: &'static crate::finding::RuleMeta,
    /// Their severity.
    pub severity: crate::finding::Severity,
    /// How many.
    pub count: u64,
}

/// The findings of a file: listed up to [`MAX_LISTED`], then counted.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    pub(crate) list: Vec<Finding>,
    pub(crate) unlisted: Vec<Unlisted>,
}

impl Findings {
    /// Adds a finding, or counts it once the list is full.
    fn add(&mut self, f: Finding) {
        if self.list.len() < MAX_LISTED {
            self.list.push(f);
            return;
        }
        match self
            .unlisted
            .iter_mut()
            .find(|u| std::ptr::eq(u.rule, f.rule) && u.severity == f.severity)
        {
            Some(u) => u.count += 1,
            None => self.unlisted.push(Unlisted {
                rule: f.rule,
                severity: f.severity,
                count: 1,
            }),
        }
    }
}

impl std::ops::Deref for Findings {
    type Target = Vec<Finding>;
    fn deref(&self) -> &Vec<Finding> {
        &self.list
    }
}

impl std::ops::DerefMut for Findings {
    fn deref_mut(&mut self) -> &mut Vec<Finding> {
        &mut self.list
    }
}

/// What a level of a file adds up to: bytes read and candidates counted
/// rather than reported.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Counts {
    pub(crate) bytes: u64,
    pub(crate) below_min_confidence: u64,
    pub(crate) ignored_inline: u64,
}

impl Counts {
    /// The outcome of a level of `bytes` raw bytes, text or binary.
    fn outcome(&self, bytes: u64, binary: bool) -> Outcome {
        Outcome::Scanned {
            bytes,
            binary,
            below_min_confidence: self.below_min_confidence,
            ignored_inline: self.ignored_inline,
        }
    }
}

/// The state of one file's scan, made afresh for each file: what it gave
/// so far and what it may still inflate to.
pub(crate) struct FileRun<'r> {
    /// The file as shown.
    pub(crate) path: &'r str,
    /// The file relative to the scan root.
    pub(crate) rel: &'r str,
    /// Where its bytes came from, when a format needs them again.
    pub(crate) source: Option<&'r dyn Source>,
    pub(crate) findings: Findings,
    pub(crate) issues: Vec<MemberIssue>,
    /// Bytes the file's containers may still inflate to.
    pub(crate) budget: u64,
}

/// Tracks line and column (in characters) up to a file position.
#[derive(Debug, Default)]
struct LineCounter {
    /// File offset counted up to.
    pos: u64,
    /// Newlines before `pos`.
    newlines: u64,
    /// Characters since the last newline before `pos`.
    col: u64,
}

impl LineCounter {
    /// Advances to file offset `to`, counting over `buf` (which starts at
    /// file offset `base` and covers `pos..to`).
    /// `newlines` maps `buf`.
    fn advance(&mut self, buf: &[u8], newlines: &Newlines, base: u64, to: u64) {
        if to <= self.pos {
            return;
        }
        let (from, end) = ((self.pos - base) as usize, (to - base) as usize);
        let count = newlines.count(from, end) as u64;
        let line_start = if count > 0 {
            self.newlines += count;
            self.col = 0;
            newlines.last_in(from, end).expect("a newline") + 1
        } else {
            from
        };
        // characters: every byte that is not a UTF-8 continuation byte
        self.col += bytecount::num_chars(&buf[line_start..end]) as u64;
        self.pos = to;
    }
}

/// Per-worker scanner with reusable buffers.
pub struct FileScanner<'a> {
    detectors: &'a Detectors,
    fingerprinter: &'a Fingerprinter,
    opts: &'a ScanOptions,
    reader: ChunkReader,
    /// Decodes files that are not UTF-8.
    transcoder: Transcoder,
    /// Raw bytes after a switch of encoding mid-file.
    tail: Vec<u8>,
    numbers: Vec<NumberToken>,
    /// Scratch for numbers in full-width digits.
    folded: digits::Folded,
    candidates: Vec<Candidate>,
    lower: Vec<u8>,
    newlines: Newlines,
    wants_numbers: bool,
    wants_lowercase: bool,
    limits: Limits,
}

impl<'a> FileScanner<'a> {
    /// A scanner for one worker.
    pub fn new(
        detectors: &'a Detectors,
        fingerprinter: &'a Fingerprinter,
        opts: &'a ScanOptions,
    ) -> Self {
        FileScanner {
            detectors,
            fingerprinter,
            opts,
            reader: ChunkReader::new(opts.chunk_size),
            transcoder: Transcoder::new(opts.chunk_size.min(decode::DEFAULT_FEED)),
            tail: Vec::new(),
            numbers: Vec::new(),
            folded: digits::Folded::default(),
            candidates: Vec::new(),
            lower: Vec::new(),
            newlines: Newlines::default(),
            wants_numbers: detectors.wants_numbers(),
            wants_lowercase: detectors.wants_lowercase(),
            limits: opts
                .max_window
                .map_or_else(Limits::default, |w| Limits::default().with_max_window(w)),
        }
    }

    /// Whether the scan was told to stop (see [`ScanOptions::cancel`]).
    fn cancelled(&self) -> bool {
        self.opts.cancelled()
    }

    /// The limits containers are held to.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The executable that reads documents in a child process, if any
    /// ([`ScanOptions::helper`]).
    pub fn helper(&self) -> Option<&std::path::Path> {
        self.opts.helper.as_deref()
    }

    /// Scans one input: opens `source`, reads it through the formats and
    /// detectors, and returns how it ended with its findings and member
    /// issues. `display` is the path to show, `rel` the path relative to
    /// the scan root (for fingerprints).
    pub fn scan(&mut self, seq: u64, source: &dyn Source, display: &str, rel: &str) -> FileResult {
        let mut r = self.scan_unnamed(seq, source, display, rel);
        r.path = crate::redact::name(display).into_owned();
        r
    }

    /// [`FileScanner::scan`] with the result's `path` left empty, for a
    /// caller that owns the path and moves it in (no copy per file).
    pub(crate) fn scan_unnamed(
        &mut self,
        seq: u64,
        source: &dyn Source,
        display: &str,
        rel: &str,
    ) -> FileResult {
        let open = OpenOptions {
            max_file_size: self.opts.max_file_size,
        };
        let mut run = FileRun::new(display, rel, Some(source), self.limits);
        let outcome = match source.open(&open) {
            Ok(mut input) => {
                let mut counted = Counted {
                    inner: &mut *input,
                    counter: self.opts.bytes_read.as_deref(),
                };
                let outcome = self.scan_stream(&mut run, Nest::default(), &mut counted);
                let outcome = settle(outcome, &mut run.issues);
                match input.finish() {
                    Err(e) if matches!(outcome, Outcome::Scanned { .. }) => {
                        run.findings.clear();
                        Outcome::failed(e)
                    }
                    _ => outcome,
                }
            }
            Err(outcome) => outcome,
        };
        // stopped by a signal while it was read: not read in full, and said so
        let outcome = match outcome {
            Outcome::Failed { .. } if self.cancelled() => Outcome::Skipped(SkipReason::Interrupted),
            o => o,
        };
        let (findings, members) = (run.findings, run.issues);
        FileResult {
            seq,
            path: String::new(),
            outcome,
            findings: findings.list,
            unlisted: findings.unlisted,
            members,
        }
    }

    /// Scans any reader as the file `display` (`rel` relative to the scan
    /// root), exactly as [`FileScanner::scan`] scans a file: archives,
    /// documents and mail included (a zip is read into memory, within the
    /// limits, as it is from stdin).
    pub fn scan_reader(&mut self, r: &mut dyn Read, display: &str, rel: &str) -> FileResult {
        let mut run = FileRun::new(display, rel, None, self.limits);
        let outcome = self.scan_stream(&mut run, Nest::default(), r);
        let outcome = settle(outcome, &mut run.issues);
        FileResult {
            seq: 0,
            path: crate::redact::name(display).into_owned(),
            outcome,
            findings: run.findings.list,
            unlisted: run.findings.unlisted,
            members: run.issues,
        }
    }

    /// Scans one level of a file (the file itself, or a member): a format
    /// of the sniff table, else text or binary.
    pub(crate) fn scan_stream(
        &mut self,
        run: &mut FileRun<'_>,
        nest: Nest,
        r: &mut dyn Read,
    ) -> Outcome {
        match self.scan_level(run, nest, r) {
            Ok(outcome) => outcome,
            Err(error) => Outcome::failed(error),
        }
    }

    /// Scans `r` as the text of the level `nest` names, whatever its first
    /// bytes look like: no format is sniffed and no file check is made (the
    /// format that hands it back has done both). For a format that rewrites
    /// a file's text in place, line for line (HTML and Markdown tables
    /// annotated with their headers), so findings keep the file's path and
    /// lines.
    pub(crate) fn scan_text_stream(
        &mut self,
        run: &mut FileRun<'_>,
        nest: &Nest,
        r: &mut dyn Read,
    ) -> Outcome {
        let (display, rel) = names(run, nest);
        let here = Here {
            display: &display,
            rel: &rel,
            path: run.path,
            rel_path: run.rel,
            steps: &nest.steps,
        };
        let mut r = r;
        let scanned = match self.reader.start(&mut r) {
            Ok(_) => self.scan_plain(run, here, &mut r, Counts::default()),
            Err(e) => Err(e),
        };
        scanned.unwrap_or_else(Outcome::failed)
    }

    fn scan_level(
        &mut self,
        run: &mut FileRun<'_>,
        nest: Nest,
        r: &mut dyn Read,
    ) -> io::Result<Outcome> {
        let mut r = r;
        let (display, rel) = names(run, &nest);
        let mut counts = Counts::default();
        let here = Here {
            display: &display,
            rel: &rel,
            path: run.path,
            rel_path: run.rel,
            steps: &nest.steps,
        };
        self.scan_name(&here, &mut run.findings, &mut counts)?;
        let head = self.reader.start(&mut r)?;
        let format = formats::sniff(head, &display);
        let readable = format.filter(|_| nest.may_open(&self.limits));
        if format.is_some() && readable.is_none() && nest.levels > 0 {
            // too deep: say so, and still look at it as a file below
            run.issues.push(MemberIssue {
                member: nest.steps.clone(),
                issue: Issue::Skipped(SkipReason::ArchiveLimit),
            });
        }
        if readable.is_none_or(|f| f.file_checks) {
            // the ID-document check: the file by its name and magic bytes
            self.candidates.clear();
            for d in &self.detectors.all {
                d.scan_file(
                    &FileHead {
                        path: &display,
                        head,
                    },
                    &mut self.candidates,
                );
            }
            for c in &self.candidates {
                emit_finding(
                    self.fingerprinter,
                    self.opts,
                    self.opts.min_confidence,
                    c,
                    &[],
                    None,
                    &here,
                    &mut run.findings,
                    &mut counts,
                );
            }
        }
        if let Some(format) = readable {
            let head = head.to_vec();
            // `dyn` here keeps nested archives from nesting types forever
            let mut stream = io::Cursor::new(head).chain(r);
            let mut scope = Scope {
                scanner: self,
                run,
                nest,
                counts,
            };
            (format.read)(&mut scope, &mut stream)?;
            let counts = scope.counts;
            return Ok(counts.outcome(counts.bytes, false));
        }
        self.scan_plain(run, here, &mut r, counts)
    }

    /// Scans a started reader (its head read) as text or binary.
    fn scan_plain(
        &mut self,
        run: &mut FileRun<'_>,
        here: Here<'_>,
        mut r: &mut dyn Read,
        mut counts: Counts,
    ) -> io::Result<Outcome> {
        let head = self.reader.head();
        let display = here.display;
        // a head shorter than asked for is the whole file
        let encoding = match decode::sniff(head, head.len() < HEAD_LEN) {
            Sniffed::Text(encoding) => encoding,
            Sniffed::Binary => return Ok(counts.outcome(self.reader.bytes_read(), true)),
        };
        let mut text = TextFile {
            here: Here { ..here },
            encoding: encoding.name(),
            min_confidence: self.opts.min_confidence,
        };
        let findings = &mut run.findings;
        let mut lines = LineCounter::default();
        if !encoding.is_utf8() {
            let mut transcoder = std::mem::take(&mut self.transcoder);
            transcoder.start(encoding, head);
            let scanned = self.scan_decoded(
                &mut transcoder.reader(&mut r),
                &text,
                &mut lines,
                findings,
                &mut counts,
            );
            let bytes = transcoder.raw_bytes();
            self.transcoder = transcoder;
            scanned?;
            return Ok(counts.outcome(bytes, false));
        }
        // The fast path: the bytes as read, a BOM skipped for columns.
        let ctx = FileContext::new(display, head);
        lines.pos = encoding.bom_len() as u64;
        // UTF-8 without a BOM was decided from the head: a later byte
        // sequence that is not UTF-8 decides the encoding of the rest.
        let recheck = encoding.bom_len() == 0;
        let switch = self.scan_windows(
            &mut r,
            &ctx,
            recheck,
            &text,
            &mut lines,
            findings,
            &mut counts,
        )?;
        let Some(switch) = switch else {
            return Ok(counts.outcome(self.reader.bytes_read(), false));
        };
        let mut transcoder = std::mem::take(&mut self.transcoder);
        transcoder.start(switch.encoding, &self.tail);
        text.encoding = switch.encoding.name();
        let scanned = self.scan_windows(
            &mut transcoder.reader(&mut r),
            &ctx,
            false,
            &text,
            &mut lines,
            findings,
            &mut counts,
        );
        let bytes = switch.at + transcoder.raw_bytes();
        self.transcoder = transcoder;
        scanned?;
        Ok(counts.outcome(bytes, false))
    }

    /// Scans the name of the level (the file's last path component, or the
    /// member's name) for identifiers: a file, folder or member named after
    /// a My Number or a card number is a finding too (`in_name`), with the
    /// same evidence rules as in text (a keyword in the name, look-alikes).
    /// Only names with 12 digits or more are read.
    fn scan_name(
        &mut self,
        here: &Here<'_>,
        findings: &mut Findings,
        counts: &mut Counts,
    ) -> io::Result<()> {
        let name = match here.display.rfind(['/', '!']) {
            Some(i) => &here.display[i + 1..],
            None => here.display,
        };
        if digits_in_name(name) < 12 {
            return Ok(());
        }
        // the one member of `x.csv.gz` is named after it: already read
        let parent = here.display.rsplit_once("!/").map(|(p, _)| p);
        if parent.is_some_and(|p| p.rsplit('/').next().unwrap_or(p).starts_with(name)) {
            return Ok(());
        }
        // a name that is the number (`123456789018.pdf`), not one of many
        // digits in it, is evidence in itself: medium, like a form label
        let stem = name.split('.').next().unwrap_or(name);
        let whole = stem
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b' '));
        let first = findings.len();
        // name parts are words: `個人番号_1234….csv` reads as `個人番号 1234… csv`
        let words: Vec<u8> = name
            .bytes()
            .map(|b| if matches!(b, b'_' | b'.') { b' ' } else { b })
            .collect();
        let mut r = &words[..];
        let head = self.reader.start(&mut r)?;
        let ctx = FileContext::new(here.display, head);
        let text = TextFile {
            here: Here { ..*here },
            encoding: "utf-8",
            // weighed below, where a name that is the number counts more
            min_confidence: Confidence::Low,
        };
        let mut lines = LineCounter::default();
        self.scan_windows(&mut r, &ctx, false, &text, &mut lines, findings, counts)?;
        let mut i = first;
        while i < findings.len() {
            let f = &mut findings[i];
            if whole && f.confidence == Confidence::Low && f.rule.category == Category::MyNumber {
                f.confidence = Confidence::Medium;
            }
            if f.confidence < self.opts.min_confidence {
                counts.below_min_confidence += 1;
                findings.remove(i);
            } else if matches!(
                f.rule.category,
                Category::MyNumber | Category::PaymentCard | Category::JpIdentifier
            ) {
                f.in_name = true;
                (f.line, f.column, f.byte_offset, f.encoding) = (None, None, None, None);
                i += 1;
            } else {
                findings.remove(i);
            }
        }
        Ok(())
    }

    /// Scans the UTF-8 text decoded from a file in another encoding.
    fn scan_decoded<R: Read>(
        &mut self,
        decoded: &mut R,
        text: &TextFile<'_>,
        lines: &mut LineCounter,
        findings: &mut Findings,
        tally: &mut Counts,
    ) -> io::Result<()> {
        let head = self.reader.start(decoded)?;
        let ctx = FileContext::new(text.here.display, head);
        self.scan_windows(decoded, &ctx, false, text, lines, findings, tally)?;
        Ok(())
    }

    /// Runs the text detectors over every window of a started reader.
    ///
    /// With `recheck`, each window is checked to be UTF-8; at a byte
    /// sequence that is not (and not a stray byte), the window ends at the
    /// start of its line, the raw rest of the buffer goes to `self.tail`, and
    /// the encoding guessed for the rest is returned.
    #[allow(clippy::too_many_arguments)]
    fn scan_windows<R: Read>(
        &mut self,
        r: &mut R,
        ctx: &FileContext,
        mut recheck: bool,
        text: &TextFile<'_>,
        lines: &mut LineCounter,
        findings: &mut Findings,
        tally: &mut Counts,
    ) -> io::Result<Option<Switch>> {
        let detectors = self.detectors;
        let wants_numbers = self.wants_numbers;
        let wants_lowercase = self.wants_lowercase;
        let opts = self.opts;
        while let Some(window) = self.reader.next_window(r)? {
            if opts.cancelled() {
                return Err(io::Error::other(Damage::Data(0)));
            }
            let Window {
                buf,
                mut owned,
                offset,
                at_file_start,
            } = window;
            let mut switch = None;
            if recheck {
                if let Some(q) = decode::first_non_utf8(buf, owned.clone()) {
                    let line = memchr::memrchr(b'\n', &buf[owned.start..q])
                        .map_or(owned.start, |i| owned.start + i + 1);
                    match decode::redecide(&buf[line..]) {
                        Some(encoding) => {
                            owned.end = line;
                            switch = Some((line, encoding));
                        }
                        // stray bytes in UTF-8 text: scanned as they are
                        None => recheck = false,
                    }
                }
            }
            self.newlines.map(buf);
            self.numbers.clear();
            if wants_numbers {
                digits::scan_text(buf, &mut self.numbers, &mut self.folded);
            }
            self.lower.clear();
            if wants_lowercase {
                self.lower.extend(buf.iter().map(u8::to_ascii_lowercase));
            }
            let chunk = TextChunk {
                buf,
                numbers: &self.numbers,
                lower: &self.lower,
                newlines: &self.newlines,
                file: ctx,
                at_file_start,
            };
            self.candidates.clear();
            for d in &detectors.all {
                d.scan_text(&chunk, &mut self.candidates);
            }
            self.candidates.retain(|c| owned.contains(&c.start));
            self.candidates
                .sort_by(|a, b| (a.start, &a.rule.id).cmp(&(b.start, &b.rule.id)));
            self.candidates
                .dedup_by(|a, b| a.start == b.start && std::ptr::eq(a.rule, b.rule));
            // a number written twice on its line (LibreOffice's HTML gives
            // a cell's value as its `sdval` attribute and its text) is one
            // finding, as sure as the surer of the two
            self.candidates.dedup_by(|a, b| {
                let twice = std::ptr::eq(a.rule, b.rule)
                    && matches!(a.value, Value::Digits { .. })
                    && a.value == b.value
                    && a.start >= b.end
                    && a.start - b.end <= REPEAT_GAP
                    && memchr::memchr(b'\n', &buf[b.end..a.start]).is_none();
                if twice {
                    b.confidence = b.confidence.max(a.confidence);
                }
                twice
            });
            for i in 0..self.candidates.len() {
                let c = self.candidates[i];
                let at = offset + c.start as u64;
                lines.advance(buf, &self.newlines, offset, at);
                let pos = Position {
                    line: lines.newlines + 1,
                    column: lines.col + 1,
                    offset: at,
                    encoding: text.encoding,
                };
                emit_finding(
                    self.fingerprinter,
                    self.opts,
                    text.min_confidence,
                    &c,
                    buf,
                    Some(pos),
                    &text.here,
                    findings,
                    tally,
                );
            }
            lines.advance(buf, &self.newlines, offset, offset + owned.end as u64);
            if let Some((at, encoding)) = switch {
                self.tail.clear();
                self.reader.cut(at, &mut self.tail);
                return Ok(Some(Switch {
                    encoding,
                    at: offset + at as u64,
                }));
            }
        }
        Ok(None)
    }
}

/// The rest of a file, from file offset `at`, is in another encoding.
struct Switch {
    encoding: TextEncoding,
    at: u64,
}

/// Where the level being scanned is, for its findings.
/// The most bytes between two equal numbers of one line that count as one
/// finding.
const REPEAT_GAP: usize = 256;

/// The names the detectors see at a level: the file's, or the member's
/// (as shown, and relative to the scan root).
fn names<'r>(run: &FileRun<'r>, nest: &Nest) -> (Cow<'r, str>, Cow<'r, str>) {
    if nest.steps.is_empty() {
        (Cow::Borrowed(run.path), Cow::Borrowed(run.rel))
    } else {
        (
            Cow::Owned(context_path(run.path, &nest.steps)),
            Cow::Owned(context_path(run.rel, &nest.steps)),
        )
    }
}

struct Here<'a> {
    /// The path the detectors see (`a.zip!/b.csv`; a sheet as `{sheet}.csv`).
    display: &'a str,
    /// The same relative to the scan root: what fingerprints cover.
    rel: &'a str,
    /// The file as shown.
    path: &'a str,
    /// The file relative to the scan root.
    rel_path: &'a str,
    /// The members inside the file that lead here.
    steps: &'a [Step],
}

/// The text being scanned: where it is and its encoding.
struct TextFile<'a> {
    here: Here<'a>,
    /// Candidates below this are counted, not reported.
    min_confidence: Confidence,
    /// Lower-case WHATWG name (`utf-8`, `shift_jis`, ...).
    encoding: &'static str,
}

/// Where a text finding is: in the text as decoded to UTF-8.
#[derive(Clone, Copy)]
struct Position {
    line: u64,
    column: u64,
    /// Offset in the file for UTF-8 files; in the decoded text otherwise.
    offset: u64,
    encoding: &'static str,
}

/// ASCII and full-width digits in a name (full-width ones, `０`-`９`, are
/// 3 bytes starting with 0xEF: looked for only when there is such a byte).
fn digits_in_name(name: &str) -> usize {
    let (mut ascii, mut wide) = (0, false);
    for &b in name.as_bytes() {
        ascii += usize::from(b.is_ascii_digit());
        wide |= b == 0xef;
    }
    if wide {
        ascii + name.chars().filter(|c| ('０'..='９').contains(c)).count()
    } else {
        ascii
    }
}

/// A file is counted once: when its format recorded an issue with the file
/// itself (a zip whose directory is damaged, a 7z it cannot read), that is
/// the file's outcome rather than a member issue beside a "scanned" file.
/// What could be read of it still gave its findings.
fn settle(outcome: Outcome, issues: &mut Vec<MemberIssue>) -> Outcome {
    if !matches!(outcome, Outcome::Scanned { .. }) {
        return outcome;
    }
    let Some(i) = issues.iter().position(|m| m.member.is_empty()) else {
        return outcome;
    };
    let settled = match issues.remove(i).issue {
        Issue::Skipped(reason) => Outcome::Skipped(reason),
        Issue::Failed { kind, error } => Outcome::Failed { kind, error },
    };
    // (a truncated .tar.gz is damaged at its gzip and its tar level, both
    // unnamed: one outcome for the file, not a second record)
    issues.retain(|m| !m.member.is_empty());
    settled
}

impl<'r> FileRun<'r> {
    fn new(path: &'r str, rel: &'r str, source: Option<&'r dyn Source>, limits: Limits) -> Self {
        FileRun {
            path,
            rel,
            source,
            findings: Findings::default(),
            issues: Vec::new(),
            budget: limits.max_total_bytes,
        }
    }
}

/// Turns a candidate into a finding (or counts it as below the confidence
/// threshold, or as ignored inline). The raw value is kept only with `--show-secrets`.
#[allow(clippy::too_many_arguments)]
fn emit_finding(
    fingerprinter: &Fingerprinter,
    opts: &ScanOptions,
    min_confidence: Confidence,
    c: &Candidate,
    buf: &[u8],
    pos: Option<Position>,
    here: &Here<'_>,
    findings: &mut Findings,
    tally: &mut Counts,
) {
    if c.confidence < min_confidence {
        tally.below_min_confidence += 1;
        return;
    }
    if pos.is_some() && crate::suppress::inline_ignored(buf, c.start, &c.rule.id) {
        tally.ignored_inline += 1;
        return;
    }
    let value: &[u8] = match &c.value {
        Value::Digits { digits, len } => &digits[..*len as usize],
        Value::Span { start, end } => &buf[*start..*end],
        Value::File => here.rel.as_bytes(),
    };
    let rule_id = c.rule.id.as_str();
    let redacted = match c.rule.category {
        Category::IdDocument => format!("[image: {}]", c.kind.unwrap_or("identity document")),
        cat => redact(cat, value),
    };
    findings.add(Finding {
        in_name: false,
        rule: c.rule,
        severity: c.severity,
        confidence: c.confidence,
        provenance: Provenance {
            path: crate::redact::name(here.path).into_owned(),
            rel_path: crate::redact::name(here.rel_path).into_owned(),
            members: here.steps.to_vec(),
            cell: None,
        },
        line: pos.map(|p| p.line),
        column: pos.map(|p| p.column),
        byte_offset: pos.map(|p| p.offset),
        encoding: pos.map(|p| p.encoding),
        redacted,
        fingerprint: fingerprinter.fingerprint(rule_id, value, here.rel),
        value_id: fingerprinter.value_id(rule_id, value),
        kind: c.kind,
        secret: opts
            .show_secrets
            .then(|| String::from_utf8_lossy(value).into_owned()),
    });
}
