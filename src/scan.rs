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
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::decode::{self, Sniffed, TextEncoding, Transcoder};
use crate::detect::{Candidate, Detectors, FileContext, FileHead, TextChunk, Value};
use crate::digits::{self, NumberToken};
use crate::finding::{Category, Confidence, Finding};
use crate::fingerprint::Fingerprinter;
use crate::formats::limits::Limits;
use crate::formats::zipdir::ZipTail;
use crate::formats::{self, Nest, Scope};
use crate::inputs::{OpenOptions, Source};
use crate::lines::Newlines;
use crate::outcome::{Damage, Issue, MemberIssue, Outcome, SkipReason};
use crate::provenance::{context_path, Provenance, Step};
use crate::read::{ChunkReader, Window, DEFAULT_CHUNK, HEAD_LEN};
use crate::redact::redact;
use crate::strings::Strings;
use crate::text_table::TextTables;

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
    /// Bytes of temporary disk one file's nested containers may spill to
    /// (`--max-spill`); `None`: the default of [`Limits::max_spill`].
    pub max_spill: Option<u64>,
    /// Bytes one file's nested containers may hold in memory; `None`: the
    /// default of [`Limits::memory_budget`] (testing).
    pub memory_budget: Option<u64>,
    /// Where to count the bytes read from files as they are read (for a
    /// progress display); `None`: not counted.
    pub bytes_read: Option<std::sync::Arc<std::sync::atomic::AtomicU64>>,
    /// Set (by SIGINT or SIGTERM) to stop: a file being read stops at its
    /// next window and ends as skipped (`interrupted`), so that a huge file
    /// or a stdin held open does not hold the scan's end back.
    pub cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    /// How long one file may be read (`--max-file-time`); `None`: without
    /// bound. Checked where a stop is ([`Stop`]); a file over it ends as
    /// skipped (`time_limit`), with what was found before.
    pub max_file_time: Option<std::time::Duration>,
    /// The executable that reads legacy Office (`.xls`, `.doc`, `.ppt`),
    /// `.xlsb` and `.ods` files in a limited child process
    /// ([`crate::formats::sandbox`]): `leakscan` itself. `None`: such files
    /// are `unsupported_format` gaps.
    pub helper: Option<std::path::PathBuf>,
    /// Honour `leakscan:ignore` comments (`--no-inline-ignore`, config
    /// `inline_ignore = false` turn them off). Even when on, a comment
    /// counts only in the text of a file itself, never inside an archive
    /// member, a document's part or extracted text, nor in a name: data
    /// cannot silence its own findings.
    pub inline_ignore: bool,
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
            max_spill: None,
            memory_budget: None,
            bytes_read: None,
            cancel: None,
            max_file_time: None,
            helper: None,
            inline_ignore: true,
        }
    }
}

/// The limits containers are held to under `opts`: the defaults, with
/// the ones the user set.
fn limits_of(opts: &ScanOptions) -> Limits {
    let mut limits = opts
        .max_window
        .map_or_else(Limits::default, |w| Limits::default().with_max_window(w));
    if let Some(spill) = opts.max_spill {
        limits.max_spill = spill;
    }
    if let Some(memory) = opts.memory_budget {
        limits.memory_budget = memory;
    }
    limits
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
/// file (at 500 to 1,100 bytes a finding, depending on its path and rule,
/// 22 MB at most per worker; at 100,000 two workers on files of `.netrc`
/// passwords peaked at 215 MB).
pub const MAX_LISTED: usize = 20_000;

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
    /// What the detectors work with, window by window.
    work: Work,
    limits: Limits,
    /// When the file being read must stop.
    stop: Stop,
}

/// When the file being read must stop, looked at by every loop that can
/// run long (each window of text, each chunk of a binary file, each
/// archive member, each PDF page and every 4,096 PDF content operators):
/// the scan's stop flag (SIGINT, SIGTERM: [`ScanOptions::cancel`]) or the
/// file's deadline ([`ScanOptions::max_file_time`]). Cheap to clone (two
/// `Arc`s), so that a reader can hold its own.
#[derive(Clone, Debug, Default)]
pub struct Stop {
    cancel: Option<Arc<AtomicBool>>,
    deadline: Option<Instant>,
    /// Set once a check found the deadline passed: the file then ends as
    /// a `time_limit` gap, and every later check stops too.
    timed_out: Arc<AtomicBool>,
}

impl Stop {
    /// Whether to stop now, and why: [`SkipReason::Interrupted`] for a
    /// signal, [`SkipReason::TimeLimit`] once the file's deadline has
    /// passed (remembered: see [`Stop::timed_out`]).
    pub fn check(&self) -> Option<SkipReason> {
        if let Some(reason) = self.interrupted() {
            return Some(reason);
        }
        if self.timed_out() {
            return Some(SkipReason::TimeLimit);
        }
        if self.deadline.is_some_and(|d| Instant::now() >= d) {
            self.timed_out.store(true, Ordering::Relaxed);
            return Some(SkipReason::TimeLimit);
        }
        None
    }

    /// [`SkipReason::Interrupted`] if the scan was told to stop (the
    /// deadline not looked at).
    pub fn interrupted(&self) -> Option<SkipReason> {
        self.cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
            .then_some(SkipReason::Interrupted)
    }

    /// Whether a check found the file's deadline passed.
    pub fn timed_out(&self) -> bool {
        self.timed_out.load(Ordering::Relaxed)
    }

    /// The stop of a new file: its deadline `budget` from now.
    fn start_file(&mut self, budget: Option<Duration>) {
        self.deadline = budget.and_then(|b| Instant::now().checked_add(b));
        self.timed_out.store(false, Ordering::Relaxed);
    }
}

/// The detectors' scratch, reused from window to window: the numbers,
/// lower-cased text and line ends of a window, and the candidates found.
struct Work {
    numbers: Vec<NumberToken>,
    /// Scratch for numbers in full-width digits.
    folded: digits::Folded,
    candidates: Vec<Candidate>,
    lower: Vec<u8>,
    newlines: Newlines,
    /// The records of a CSV/TSV window (quoted cells may hold line ends).
    records: crate::records::Records,
    /// The plain-text tables of the text being scanned.
    text_tables: TextTables,
    wants_numbers: bool,
    wants_lowercase: bool,
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
            work: Work {
                numbers: Vec::new(),
                folded: digits::Folded::default(),
                candidates: Vec::new(),
                lower: Vec::new(),
                newlines: Newlines::default(),
                records: crate::records::Records::default(),
                text_tables: TextTables::default(),
                wants_numbers: detectors.wants_numbers(),
                wants_lowercase: detectors.wants_lowercase(),
            },
            limits: limits_of(opts),
            stop: Stop {
                cancel: opts.cancel.clone(),
                ..Stop::default()
            },
        }
    }

    /// When the file being read must stop (a clone, for a reader to hold).
    pub(crate) fn stop(&self) -> Stop {
        self.stop.clone()
    }

    /// Whether the file being read must stop, and why ([`Stop::check`]).
    pub(crate) fn stopped(&self) -> Option<SkipReason> {
        self.stop.check()
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
            stop: self.stop.clone(),
        };
        self.stop.start_file(self.opts.max_file_time);
        let mut run = FileRun::new(display, rel, Some(source), self.limits);
        let outcome = match source.open(&open) {
            Ok(mut input) => {
                let mut counted = Counted {
                    inner: &mut *input,
                    counter: self.opts.bytes_read.as_deref(),
                };
                let outcome = self.scan_stream(&mut run, Nest::top(&self.limits), &mut counted);
                let outcome = settle(outcome, &mut run.issues);
                match input.finish() {
                    Err(e) if matches!(outcome, Outcome::Scanned { .. }) => {
                        run.findings.clear();
                        Outcome::failed(e)
                    }
                    _ => outcome,
                }
            }
            Err(outcome) => {
                // the content is not read (too large, vanished, ...): the
                // name is data all the same
                self.scan_unread_top_name(&mut run);
                outcome
            }
        };
        let outcome = self.stopped_outcome(outcome, &mut run.issues);
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
        self.stop.start_file(self.opts.max_file_time);
        let mut run = FileRun::new(display, rel, None, self.limits);
        let outcome = self.scan_stream(&mut run, Nest::top(&self.limits), r);
        let outcome = settle(outcome, &mut run.issues);
        let outcome = self.stopped_outcome(outcome, &mut run.issues);
        FileResult {
            seq: 0,
            path: crate::redact::name(display).into_owned(),
            outcome,
            findings: run.findings.list,
            unlisted: run.findings.unlisted,
            members: run.issues,
        }
    }

    /// The outcome of a file that was stopped while it was read: not read
    /// in full, and said so. A signal makes a failure (the read cut short)
    /// `interrupted`; the file's deadline makes the whole file a
    /// `time_limit` gap, whatever it ended as (an archive whose member was
    /// cut short, a PDF whose pages were left), and its members' own
    /// `time_limit` issues are that one gap.
    fn stopped_outcome(&self, outcome: Outcome, issues: &mut Vec<MemberIssue>) -> Outcome {
        if self.stop.interrupted().is_some() {
            return match outcome {
                Outcome::Failed { .. } => Outcome::Skipped(SkipReason::Interrupted),
                o => o,
            };
        }
        if !self.stop.timed_out() {
            return outcome;
        }
        issues.retain(|m| !matches!(m.issue, Issue::Skipped(SkipReason::TimeLimit)));
        Outcome::Skipped(SkipReason::TimeLimit)
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
            own_text: nest.levels == 0,
        };
        let mut r = r;
        let scanned = match self.reader.start(&mut r) {
            Ok(_) => self.scan_plain(run, here, &mut r, Counts::default(), false),
            Err(e) => Err(e),
        };
        scanned.unwrap_or_else(Outcome::failed)
    }

    /// Scans `r` as the binary data of the level `nest` names: its text
    /// runs only ([`FileScanner::scan_binary`]), no format sniffed and no
    /// file check made. For a format whose raw bytes hold more than it
    /// reads from them (a database file's free pages).
    pub(crate) fn scan_binary_stream(
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
            own_text: false,
        };
        let mut r = r;
        let scanned = match self.reader.start(&mut r) {
            Ok(_) => self.scan_binary(run, here, r, Counts::default(), false),
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
            own_text: nest.levels == 0,
        };
        let name = display.rsplit(['/', '\\']).next().unwrap_or_default();
        // the one member of `x.csv.gz` is named after it: already read
        let parent = display.rsplit_once("!/").map(|(p, _)| p);
        if !parent.is_some_and(|p| p.rsplit('/').next().unwrap_or(p).starts_with(name)) {
            self.scan_name(&here, name, &mut run.findings, &mut counts)?;
        }
        let head = self.reader.start(&mut r)?;
        // a zip behind a stub (a self-extractor): found from a file on
        // disk, else looked for as a binary stream ends
        let mut zip_tail = false;
        let format = formats::sniff(head, &display).or_else(|| {
            if !matches!(decode::sniff(head, false), Sniffed::Binary) {
                return None;
            }
            let on_disk = run.source.filter(|_| nest.levels == 0);
            match on_disk.and_then(formats::archive::zip_at_end) {
                Some(found) => found.then_some(&formats::archive::ZIP_AT_END),
                None => {
                    zip_tail = true;
                    None
                }
            }
        });
        let readable = format.filter(|_| nest.may_open(&self.limits));
        // an image too deep is read as binary in full: no byte left out
        let image = format.is_some_and(|f| std::ptr::eq(f, &formats::image::IMAGE));
        if format.is_some() && readable.is_none() && nest.levels > 0 && !image {
            // too deep: say so, and still look at it as a file below
            run.issues.push(MemberIssue {
                member: nest.steps.clone(),
                issue: Issue::Skipped(SkipReason::ArchiveLimit),
            });
        }
        if readable.is_none_or(|f| f.file_checks) {
            // the ID-document check: the file by its name and magic bytes
            self.work.candidates.clear();
            for d in &self.detectors.all {
                d.scan_file(
                    &FileHead {
                        path: &display,
                        head,
                    },
                    &mut self.work.candidates,
                );
            }
            for c in &self.work.candidates {
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
                folders: Default::default(),
            };
            (format.read)(&mut scope, &mut stream)?;
            let counts = scope.counts;
            // an image counts as a binary file, as before it was walked
            return Ok(counts.outcome(counts.bytes, image));
        }
        self.scan_plain(run, here, &mut r, counts, zip_tail)
    }

    /// Scans a started reader (its head read) as text or binary; a binary
    /// one with `zip_tail` is watched for a zip at its end
    /// ([`FileScanner::scan_binary`]).
    fn scan_plain(
        &mut self,
        run: &mut FileRun<'_>,
        here: Here<'_>,
        mut r: &mut dyn Read,
        mut counts: Counts,
        zip_tail: bool,
    ) -> io::Result<Outcome> {
        let head = self.reader.head();
        let display = here.display;
        // a head shorter than asked for is the whole file
        let encoding = match decode::sniff(head, head.len() < HEAD_LEN) {
            Sniffed::Text(encoding) => encoding,
            Sniffed::Binary => return self.scan_binary(run, here, r, counts, zip_tail),
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
            let undecoded = transcoder.undecoded();
            self.transcoder = transcoder;
            scanned?;
            if undecoded > 0 {
                // what the detectors did not see is a gap
                run.issues.push(MemberIssue {
                    member: here.steps.to_vec(),
                    issue: Issue::Skipped(SkipReason::UndecodedText),
                });
            }
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

    /// Scans the name of a file whose content was not read (skipped or
    /// failed on opening): its findings are made as when it is read.
    fn scan_unread_top_name(&mut self, run: &mut FileRun<'_>) {
        let name = run.path.rsplit(['/', '\\']).next().unwrap_or_default();
        let here = Here {
            display: run.path,
            rel: run.rel,
            path: run.path,
            rel_path: run.rel,
            steps: &[],
            own_text: false,
        };
        let mut counts = Counts::default();
        // a name is read from memory: no read error can happen
        let _ = self.scan_name(&here, name, &mut run.findings, &mut counts);
    }

    /// Scans a name of an archive entry that is not read as a member of
    /// `nest`'s container: a folder in its members' paths (`step` names it
    /// with a `/` at its end), or a member skipped or failed before it was
    /// read; `name` is its last component. Its findings are located at
    /// `step`. Returns the candidates counted below the confidence
    /// threshold.
    pub(crate) fn scan_entry_name(
        &mut self,
        run: &mut FileRun<'_>,
        nest: &Nest,
        step: Step,
        name: &str,
    ) -> u64 {
        let mut steps = nest.steps.clone();
        steps.push(step);
        let (display, rel) = (
            context_path(run.path, &steps),
            context_path(run.rel, &steps),
        );
        let here = Here {
            display: &display,
            rel: &rel,
            path: run.path,
            rel_path: run.rel,
            steps: &steps,
            own_text: false,
        };
        let mut counts = Counts::default();
        // a name is read from memory: no read error can happen
        let _ = self.scan_name(&here, name, &mut run.findings, &mut counts);
        counts.below_min_confidence
    }

    /// Scans `name` (the last component of the level's path: the file's,
    /// the member's or the folder's) for identifiers and credentials: a
    /// file, folder or member named after a My Number, a card number or a
    /// token is a finding too (`in_name`, located at the level, without a
    /// line). Identifiers follow the same evidence rules as in text (a
    /// keyword in the name, look-alikes), and only names with 12 digits or
    /// more are read for them; credentials are those of the rules looked
    /// for in names ([`crate::detect::Detector::scan_name`]).
    fn scan_name(
        &mut self,
        here: &Here<'_>,
        name: &str,
        findings: &mut Findings,
        counts: &mut Counts,
    ) -> io::Result<()> {
        if digits_in_name(name) >= 12 {
            self.scan_name_identifiers(here, name, findings, counts)?;
        }
        let first = findings.len();
        self.work.candidates.clear();
        for d in &self.detectors.all {
            d.scan_name(name.as_bytes(), &mut self.work.candidates);
        }
        for c in &self.work.candidates {
            emit_finding(
                self.fingerprinter,
                self.opts,
                self.opts.min_confidence,
                c,
                name.as_bytes(),
                None,
                here,
                findings,
                counts,
            );
        }
        for f in &mut findings[first..] {
            f.in_name = true;
        }
        Ok(())
    }

    /// The identifiers of [`FileScanner::scan_name`]: the text detectors
    /// over the name's words.
    fn scan_name_identifiers(
        &mut self,
        here: &Here<'_>,
        name: &str,
        findings: &mut Findings,
        counts: &mut Counts,
    ) -> io::Result<()> {
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
            here: Here {
                own_text: false,
                ..*here
            },
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
                // credentials in a name are the name rules' (see scan_name)
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
        let stop = self.stop.clone();
        // a CSV/TSV file has its header; JSON has keys
        let text_tables = ctx.table.is_none() && !ctx.json;
        self.work.text_tables.reset();
        while let Some(window) = self.reader.next_window(r)? {
            // the first window of a stream is always read, so a budget too
            // short for anything still reads a file's first window (a
            // member's stops at the member, before it); a signal stops it too
            let due = if window.offset == 0 {
                stop.interrupted()
            } else {
                stop.check()
            };
            if due.is_some() {
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
            let tables = text_tables.then_some(offset);
            self.work.detect(
                self.detectors,
                buf,
                ctx,
                at_file_start,
                owned.clone(),
                tables,
            );
            for i in 0..self.work.candidates.len() {
                let c = self.work.candidates[i];
                let at = offset + c.start as u64;
                lines.advance(buf, &self.work.newlines, offset, at);
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
            lines.advance(buf, &self.work.newlines, offset, offset + owned.end as u64);
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

impl Work {
    /// Runs every text detector over `buf` and leaves in
    /// `self.candidates` those that start in `owned`, in order, one per
    /// place and rule. With `tables` (the window's offset in the text), the
    /// window's lines are read into the plain-text tables first and the
    /// detectors see their headers ([`TextTables`]).
    fn detect(
        &mut self,
        detectors: &Detectors,
        buf: &[u8],
        ctx: &FileContext,
        at_file_start: bool,
        owned: Range<usize>,
        tables: Option<u64>,
    ) {
        self.newlines.map(buf);
        match &ctx.table {
            Some(t) => self
                .records
                .set(t.body_start(buf, at_file_start), t.delimiter),
            None => self.records.clear(),
        }
        if let Some(offset) = tables {
            self.text_tables.read(buf, offset, owned.end);
        }
        self.numbers.clear();
        if self.wants_numbers {
            digits::scan_text(buf, &mut self.numbers, &mut self.folded);
        }
        self.lower.clear();
        if self.wants_lowercase {
            self.lower.extend(buf.iter().map(u8::to_ascii_lowercase));
        }
        let chunk = TextChunk {
            buf,
            numbers: &self.numbers,
            lower: &self.lower,
            newlines: &self.newlines,
            records: &self.records,
            file: ctx,
            at_file_start,
            text_tables: tables.map(|_| &self.text_tables),
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
    }
}

impl FileScanner<'_> {
    /// Scans a started reader (its head read) that is binary: the text runs
    /// in it ([`crate::strings`]), a batch of [`STRINGS_BATCH`] bytes of
    /// runs at a time, in one pass. Findings there have no line or column;
    /// their offset is in the file and their encoding
    /// [`BINARY_ENCODING`]. A finding keeps the confidence its detector
    /// gave only when that is high (a keyword right beside the value, or a
    /// credential of a known shape); else it is low, below the default: a
    /// bare number that passes its check digit is what one in ten random
    /// digit runs does, and binary data has many. With `zip_tail`, the
    /// stream's end is kept as it passes ([`ZipTail`]): one that ends with
    /// a zip (a self-extractor that is an archive member or stdin, whose
    /// members can no longer be reached) is recorded as a gap,
    /// [`SkipReason::ZipBehindData`].
    fn scan_binary(
        &mut self,
        run: &mut FileRun<'_>,
        here: Here<'_>,
        r: &mut dyn Read,
        mut counts: Counts,
        zip_tail: bool,
    ) -> io::Result<Outcome> {
        let mut strings = Strings::new();
        let ctx = FileContext::new(here.display, b"");
        let text = TextFile {
            here,
            encoding: BINARY_ENCODING,
            min_confidence: self.opts.min_confidence,
        };
        let head = self.reader.head();
        // compressed media too are read to their end: data appended to
        // one is read, not assumed absent
        strings.feed(head);
        let mut tail = zip_tail.then(ZipTail::default);
        if let Some(tail) = &mut tail {
            tail.feed(head);
        }
        let mut bytes = head.len() as u64;
        let head_len = bytes;
        let mut buf = vec![0u8; 64 << 10];
        let mut repeats = Repeats::default();
        loop {
            if strings.text.len() >= STRINGS_BATCH {
                let out = (&mut run.findings, &mut counts, &mut repeats);
                self.scan_strings(&strings, &ctx, &text, out);
                strings.clear();
            }
            // as in text, what the head holds is always read
            let due = if bytes == head_len {
                self.stop.interrupted()
            } else {
                self.stop.check()
            };
            if due.is_some() {
                return Err(io::Error::other(Damage::Data(0)));
            }
            let n = match r.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            bytes += n as u64;
            strings.feed(&buf[..n]);
            if let Some(tail) = &mut tail {
                tail.feed(&buf[..n]);
            }
        }
        strings.finish();
        let out = (&mut run.findings, &mut counts, &mut repeats);
        self.scan_strings(&strings, &ctx, &text, out);
        if tail.is_some_and(|t| t.holds_zip()) {
            run.issues.push(MemberIssue {
                member: text.here.steps.to_vec(),
                issue: Issue::Skipped(SkipReason::ZipBehindData),
            });
        }
        Ok(counts.outcome(bytes, true))
    }

    /// The findings in a batch of text runs of a binary file; a value
    /// already reported from this file's runs under the same rule and
    /// confidence is not reported again ([`Repeats`]).
    fn scan_strings(
        &mut self,
        strings: &Strings,
        ctx: &FileContext,
        text: &TextFile<'_>,
        (findings, tally, repeats): (&mut Findings, &mut Counts, &mut Repeats),
    ) {
        let buf = &strings.text[..];
        if buf.is_empty() {
            return;
        }
        self.work
            .detect(self.detectors, buf, ctx, false, 0..buf.len(), None);
        for i in 0..self.work.candidates.len() {
            let mut c = self.work.candidates[i];
            if c.confidence < Confidence::High {
                c.confidence = Confidence::Low;
            }
            if repeats.seen(&c, buf) {
                continue;
            }
            let pos = Position {
                line: 0,
                column: 0,
                offset: strings.file_offset(c.start),
                encoding: text.encoding,
            };
            let before = findings.len();
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
            if findings.len() > before {
                if let Some(f) = findings.last_mut() {
                    (f.line, f.column) = (None, None);
                }
            }
        }
    }
}

/// The values already reported from one binary file's text runs, as
/// hashes (in memory only) of rule, confidence and value. A drawing or
/// preview (LibreOffice's `.svm` table previews, a PDF's font subset, an
/// executable's string tables) often stores one string several times, in
/// several encodings; each copy would be the same finding at another
/// offset. At most [`Repeats::CAP`] values are remembered, so the memory is
/// bounded; past that, repeats are reported.
#[derive(Default)]
struct Repeats(std::collections::HashSet<u64>);

impl Repeats {
    /// The most values remembered for one file.
    const CAP: usize = 4096;

    /// Whether `c` (a candidate in `buf`) was reported before; else
    /// remembers it.
    fn seen(&mut self, c: &Candidate, buf: &[u8]) -> bool {
        use std::hash::{BuildHasher, Hash, Hasher};
        let mut h = self.0.hasher().build_hasher();
        c.rule.id.hash(&mut h);
        c.confidence.hash(&mut h);
        match c.value {
            Value::Digits { digits, len } => digits[..len as usize].hash(&mut h),
            Value::Span { start, end } => buf.get(start..end).hash(&mut h),
            Value::File => {}
        }
        let key = h.finish();
        if self.0.contains(&key) {
            return true;
        }
        if self.0.len() < Self::CAP {
            self.0.insert(key);
        }
        false
    }
}

/// The `encoding` of a finding in the text runs of a binary file.
pub const BINARY_ENCODING: &str = "binary";

/// Bytes of text runs of a binary file scanned at a time.
const STRINGS_BATCH: usize = 256 << 10;

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
    /// Whether the text read is the file's own text as its author wrote it
    /// (not a member, a format's extracted text, text runs of a binary
    /// file, nor a name): where a `leakscan:ignore` comment counts.
    own_text: bool,
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

/// Whether a name (of a file, folder or member; one component) could hold
/// a value [`FileScanner`] finds in names: 12 digits or more (ASCII or
/// full-width), or a credential of a rule looked for in names
/// ([`crate::redact::name_holds_secret`]; a folder named `secrets` or
/// `@eaDir` does not). The test for the folders of a walk and of archives,
/// before a folder is handed to the scanner as a name to scan.
pub fn name_may_hold_value(name: &str) -> bool {
    digits_in_name(name) >= 12 || crate::redact::name_holds_secret(name)
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
    // a comment in the file's own text only: not in a member, a part or a
    // name, which the data's author writes (see ScanOptions::inline_ignore)
    // (line 0: a text run of a binary file)
    if opts.inline_ignore
        && here.own_text
        && pos.is_some_and(|p| p.line > 0)
        && crate::suppress::inline_ignored(buf, c.start, &c.rule.id)
    {
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
