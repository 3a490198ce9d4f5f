//! Scans one file: open it safely, decide its encoding from its head
//! ([`crate::decode`]), read it window by window (as UTF-8, decoded when it
//! is in another encoding), run every detector, and turn the candidates that
//! belong to each window into findings with line, column, encoding,
//! redaction and fingerprint.
//!
//! A [`FileScanner`] owns its buffers and is reused for every file a worker
//! scans, so scanning a small file allocates almost nothing.

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use crate::container::{self, Issue, Limits, MemberIssue};
use crate::decode::{self, Sniffed, TextEncoding, Transcoder};
use crate::detect::{Candidate, Detectors, FileContext, FileHead, TextChunk, Value};
use crate::digits::{self, NumberToken};
use crate::document;
use crate::finding::{Category, Confidence, Finding};
use crate::fingerprint::Fingerprinter;
use crate::lines::Newlines;
use crate::mail;
use crate::pdf;
use crate::read::{ChunkReader, Window, DEFAULT_CHUNK, HEAD_LEN};
use crate::redact::redact;
use crate::summary::SkipReason;
use crate::walk::Source;

/// What the user asked of every file.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub chunk_size: usize,
    pub min_confidence: Confidence,
    pub show_secrets: bool,
    pub max_file_size: Option<u64>,
    /// Where to count the bytes read from files as they are read (for a
    /// progress display); `None`: not counted.
    pub bytes_read: Option<std::sync::Arc<std::sync::atomic::AtomicU64>>,
}

impl Default for ScanOptions {
    fn default() -> ScanOptions {
        ScanOptions {
            chunk_size: DEFAULT_CHUNK,
            min_confidence: Confidence::Medium,
            show_secrets: false,
            max_file_size: None,
            bytes_read: None,
        }
    }
}

/// A reader that adds what it reads to a shared counter.
struct Counted<'c, R> {
    inner: R,
    counter: Option<&'c std::sync::atomic::AtomicU64>,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(c) = self.counter {
            c.fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(n)
    }
}

/// How a file ended.
#[derive(Debug)]
pub enum Outcome {
    Scanned {
        bytes: u64,
        binary: bool,
        below_min_confidence: u64,
        /// Findings on a line marked `leakscan:ignore`.
        ignored_inline: u64,
    },
    Skipped(SkipReason),
    Failed {
        kind: &'static str,
        error: io::Error,
    },
}

/// The result of one file, in walk order (`seq`).
#[derive(Debug)]
pub struct FileResult {
    pub seq: u64,
    pub path: String,
    pub outcome: Outcome,
    pub findings: Vec<Finding>,
    /// Archive members that were skipped or failed.
    pub members: Vec<MemberIssue>,
}

/// A short, stable name for an I/O error, for summary counts.
pub fn error_kind(e: &io::Error) -> &'static str {
    match e.kind() {
        io::ErrorKind::PermissionDenied => "permission_denied",
        io::ErrorKind::NotFound => "not_found",
        io::ErrorKind::InvalidData => "invalid_data",
        io::ErrorKind::UnexpectedEof => "unexpected_eof",
        _ if e.raw_os_error() == Some(libc::EISDIR) => "is_a_directory",
        _ if e.raw_os_error() == Some(libc::EIO) => "io_error",
        _ if e.raw_os_error() == Some(libc::ELOOP) => "symlink_loop",
        _ => "read_error",
    }
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
    /// Archive nesting: 0 for a file on disk.
    depth: u8,
    limits: Limits,
    /// Bytes the current top-level archive may still inflate to.
    budget: u64,
    member_issues: Vec<MemberIssue>,
    /// The file on disk being scanned (empty for other sources): a zip
    /// there is read in place rather than into memory.
    on_disk: PathBuf,
}

impl<'a> FileScanner<'a> {
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
            depth: 0,
            limits: Limits::default(),
            budget: 0,
            member_issues: Vec::new(),
            on_disk: PathBuf::new(),
        }
    }

    /// Scans one file or stdin.
    pub fn scan(&mut self, seq: u64, source: &Source, display: &str, rel: &str) -> FileResult {
        let mut result = self.scan_unnamed(seq, source, display, rel);
        result.path = display.to_string();
        result
    }

    /// [`FileScanner::scan`] with the result's `path` left empty, for a
    /// caller that owns the path and moves it in (no copy per file).
    pub(crate) fn scan_unnamed(
        &mut self,
        seq: u64,
        source: &Source,
        display: &str,
        rel: &str,
    ) -> FileResult {
        let mut findings = Vec::new();
        self.member_issues.clear();
        self.budget = self.limits.max_total_bytes;
        let outcome = match source {
            Source::Stdin => {
                let stdin = io::stdin();
                let mut lock = stdin.lock();
                self.scan_stream(&mut lock, display, rel, &mut findings)
            }
            Source::Path(path) | Source::Listed(path) => {
                match self.open(path, source.is_listed()) {
                    Ok(file) => {
                        self.on_disk.clone_from(path);
                        let mut file = Counted {
                            inner: file,
                            counter: self.opts.bytes_read.as_deref(),
                        };
                        let outcome = self.scan_stream(&mut file, display, rel, &mut findings);
                        self.on_disk.clear();
                        outcome
                    }
                    Err(outcome) => outcome,
                }
            }
            Source::GitBlob(oid) => self.scan_blob(oid, display, rel, &mut findings),
        };
        FileResult {
            seq,
            path: String::new(),
            outcome,
            findings,
            members: std::mem::take(&mut self.member_issues),
        }
    }

    /// Scans a staged blob, streamed from git.
    fn scan_blob(
        &mut self,
        oid: &str,
        display: &str,
        rel: &str,
        findings: &mut Vec<Finding>,
    ) -> Outcome {
        let failed = |error: io::Error| Outcome::Failed {
            kind: error_kind(&error),
            error,
        };
        let mut blob = match crate::staged::Blob::open(oid) {
            Ok(b) => b,
            Err(e) => return failed(e),
        };
        let outcome = self.scan_stream(&mut blob, display, rel, findings);
        match blob.finish() {
            Err(e) if matches!(outcome, Outcome::Scanned { .. }) => {
                findings.clear();
                failed(e)
            }
            _ => outcome,
        }
    }

    /// Scans any reader (tests, stdin-like sources): the outcome and findings.
    pub fn scan_reader<R: Read>(
        &mut self,
        r: &mut R,
        display: &str,
        rel: &str,
    ) -> (Outcome, Vec<Finding>) {
        let mut findings = Vec::new();
        let outcome = self.scan_stream(r, display, rel, &mut findings);
        (outcome, findings)
    }

    /// Opens a regular file without blocking (a FIFO could never block the
    /// scan). A named file is checked on the open descriptor: one that is
    /// a FIFO or device is skipped, never read. A file the walk listed as
    /// regular is opened without following a symlink (one put in its place
    /// since is skipped as a symlink) and is only looked at again for the
    /// size limit: a `stat` per file costs about 5 % of a small file's scan.
    fn open(&self, path: &Path, listed: bool) -> Result<File, Outcome> {
        let nofollow = if listed { libc::O_NOFOLLOW } else { 0 };
        let file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY | nofollow)
            .open(path)
            .map_err(|error| match error.kind() {
                io::ErrorKind::NotFound => Outcome::Skipped(SkipReason::Vanished),
                _ if listed && error.raw_os_error() == Some(libc::ELOOP) => {
                    Outcome::Skipped(SkipReason::Symlink)
                }
                _ => Outcome::Failed {
                    kind: error_kind(&error),
                    error,
                },
            })?;
        if listed && self.opts.max_file_size.is_none() {
            return Ok(file);
        }
        let meta = file.metadata().map_err(|error| Outcome::Failed {
            kind: error_kind(&error),
            error,
        })?;
        let ft = meta.file_type();
        if ft.is_fifo() {
            return Err(Outcome::Skipped(SkipReason::Fifo));
        }
        if ft.is_socket() {
            return Err(Outcome::Skipped(SkipReason::Socket));
        }
        if ft.is_block_device() || ft.is_char_device() {
            return Err(Outcome::Skipped(SkipReason::Device));
        }
        if self.opts.max_file_size.is_some_and(|max| meta.len() > max) {
            return Err(Outcome::Skipped(SkipReason::TooLarge));
        }
        Ok(file)
    }

    /// Scans the members of a zip, tar or gzip stream (its first bytes
    /// included in `r`). The container itself counts as scanned; members
    /// that could not be are [`MemberIssue`]s.
    fn scan_container(
        &mut self,
        kind: container::Kind,
        r: &mut dyn Read,
        display: &str,
        rel: &str,
        findings: &mut Vec<Finding>,
    ) -> io::Result<Outcome> {
        let mut sum = MemberSum::default();
        self.depth += 1;
        let result = match kind {
            k @ (container::Kind::Gzip
            | container::Kind::Bzip2
            | container::Kind::Xz
            | container::Kind::Zstd) => {
                // a .tar.gz is one archive to its users: its tar level is not named
                let name = compressed_member_name(display);
                let name = if name.to_ascii_lowercase().ends_with(".tar") {
                    String::new()
                } else {
                    name
                };
                self.scan_compressed(k, r, &name, display, rel, findings, &mut sum);
                Ok(())
            }
            container::Kind::Tar => self.scan_tar(r, display, rel, findings, &mut sum),
            container::Kind::Zip if self.depth == 1 && !self.on_disk.as_os_str().is_empty() => {
                // a zip on disk: random access in place (the central directory is at the end)
                match File::open(&self.on_disk) {
                    Ok(f) => self.scan_zip(io::BufReader::new(f), display, rel, findings, &mut sum),
                    Err(e) => Err(e),
                }
            }
            container::Kind::Zip => match read_capped(r, self.limits.max_in_memory)? {
                Ok(data) => self.scan_zip(io::Cursor::new(data), display, rel, findings, &mut sum),
                Err(_) => {
                    self.skip("", SkipReason::ArchiveLimit);
                    Ok(())
                }
            },
        };
        self.depth -= 1;
        result?;
        Ok(sum.outcome())
    }

    /// The one member of a gzip, bzip2, xz or zstd stream.
    #[allow(clippy::too_many_arguments)]
    fn scan_compressed(
        &mut self,
        kind: container::Kind,
        r: &mut dyn Read,
        name: &str,
        display: &str,
        rel: &str,
        findings: &mut Vec<Finding>,
        sum: &mut MemberSum,
    ) {
        match kind {
            container::Kind::Gzip => {
                let mut d = flate2::read::MultiGzDecoder::new(r);
                self.scan_member(name, &mut d, None, display, rel, findings, sum);
            }
            container::Kind::Bzip2 => {
                let mut d = bzip2::read::MultiBzDecoder::new(r);
                self.scan_member(name, &mut d, None, display, rel, findings, sum);
            }
            container::Kind::Xz => {
                let mut d = lzma_rust2::XzReader::new(r, true);
                self.scan_member(name, &mut d, None, display, rel, findings, sum);
            }
            _ => match ruzstd::decoding::StreamingDecoder::new(r) {
                Ok(mut d) => self.scan_member(name, &mut d, None, display, rel, findings, sum),
                Err(e) => self.corrupt(name, io::Error::other(e.to_string())),
            },
        }
    }

    fn scan_tar(
        &mut self,
        r: &mut dyn Read,
        display: &str,
        rel: &str,
        findings: &mut Vec<Finding>,
        sum: &mut MemberSum,
    ) -> io::Result<()> {
        let mut archive = tar::Archive::new(r);
        let entries = match archive.entries() {
            Ok(e) => e,
            Err(error) => {
                self.corrupt("", error);
                return Ok(());
            }
        };
        for (i, entry) in entries.enumerate() {
            let mut entry = match entry {
                Ok(e) => e,
                Err(error) => {
                    self.corrupt("", error);
                    break;
                }
            };
            let name = container::member_name(&entry.path_bytes());
            if !entry.header().entry_type().is_file() {
                continue; // directories, links: no content of their own
            }
            if i >= self.limits.max_entries {
                self.skip(name, SkipReason::ArchiveLimit);
                break;
            }
            let size = entry.header().size().ok();
            self.scan_member(&name, &mut entry, size, display, rel, findings, sum);
        }
        Ok(())
    }

    fn scan_zip<R: Read + io::Seek>(
        &mut self,
        r: R,
        display: &str,
        rel: &str,
        findings: &mut Vec<Finding>,
        sum: &mut MemberSum,
    ) -> io::Result<()> {
        let mut archive = match zip::ZipArchive::new(r) {
            Ok(a) => a,
            Err(e) => {
                self.corrupt("", io::Error::other(e.to_string()));
                return Ok(());
            }
        };
        if let Some(kind) = document::kind(archive.file_names()) {
            self.scan_document(kind, &mut archive, display, rel, findings, sum);
            return Ok(());
        }
        for i in 0..archive.len() {
            if i >= self.limits.max_entries {
                self.skip(
                    format!("({} more members)", archive.len() - i),
                    SkipReason::ArchiveLimit,
                );
                break;
            }
            let (name, encrypted, is_dir, compressed) = match archive.by_index_raw(i) {
                Ok(f) => (
                    container::member_name(f.name_raw()),
                    f.encrypted(),
                    f.is_dir(),
                    f.compressed_size(),
                ),
                Err(e) => {
                    // a damaged directory: one record, not one per claimed entry
                    self.corrupt(&format!("#{i}"), io::Error::other(e.to_string()));
                    break;
                }
            };
            if is_dir {
                continue;
            }
            if encrypted {
                self.skip(name, SkipReason::Encrypted);
                continue;
            }
            match archive.by_index(i) {
                Ok(mut f) => {
                    self.scan_member(&name, &mut f, Some(compressed), display, rel, findings, sum)
                }
                Err(e) => self.corrupt(&name, io::Error::other(e.to_string())),
            }
        }
        Ok(())
    }

    /// A PDF's text (see [`pdf`]) as the member `text`. The file is read
    /// whole, up to 32 MiB; a larger PDF's text is skipped with a record.
    fn scan_pdf(
        &mut self,
        r: &mut dyn Read,
        display: &str,
        rel: &str,
        findings: &mut Vec<Finding>,
        tally: Tally,
    ) -> io::Result<Outcome> {
        let mut sum = MemberSum {
            bytes: 0,
            below_min_confidence: tally.below_min_confidence,
            ignored_inline: tally.ignored_inline,
        };
        let data = match read_capped(r, self.limits.max_in_memory)? {
            Ok(data) => data,
            Err(read) => {
                sum.bytes = read; // read, but not as text
                self.skip("text", SkipReason::ArchiveLimit);
                return Ok(sum.outcome());
            }
        };
        sum.bytes = data.len() as u64;
        let (text, problem) = pdf::text(&data, self.budget.min(self.limits.max_total_bytes));
        drop(data);
        self.depth += 1;
        let mut text_sum = MemberSum::default();
        self.scan_member(
            "text",
            &mut text.as_bytes(),
            None,
            display,
            rel,
            findings,
            &mut text_sum,
        );
        self.depth -= 1;
        sum.below_min_confidence += text_sum.below_min_confidence;
        sum.ignored_inline += text_sum.ignored_inline;
        if problem.is_some() {
            self.skip("text", SkipReason::ArchiveLimit);
        }
        Ok(sum.outcome())
    }

    /// An e-mail message or an mbox: each message's headers and text as a
    /// member (`body`, or `message-N` in an mbox), each attachment as a
    /// member of its own (`message-N/name.zip`, scanned as any file).
    fn scan_mail(
        &mut self,
        kind: mail::Kind,
        r: &mut dyn Read,
        display: &str,
        rel: &str,
        findings: &mut Vec<Finding>,
    ) -> io::Result<Outcome> {
        let mut sum = MemberSum::default();
        // one message at a time in memory, at most this large
        let cap = self.limits.max_in_memory;
        self.depth += 1;
        let result = match kind {
            mail::Kind::Eml => {
                match read_capped(r, cap)? {
                    Ok(data) => self.scan_message(&data, "", display, rel, findings, &mut sum),
                    Err(_) => self.skip("body", SkipReason::ArchiveLimit),
                }
                Ok(())
            }
            mail::Kind::Mbox => {
                let mut n = 0;
                let mut reader = io::BufReader::new(r);
                mail::read_mbox(&mut reader, cap, |message| {
                    n += 1;
                    let name = format!("message-{n}");
                    match message {
                        Some(m) => self.scan_message(m, &name, display, rel, findings, &mut sum),
                        None => self.skip(name, SkipReason::ArchiveLimit),
                    }
                })
            }
        };
        self.depth -= 1;
        result?;
        Ok(sum.outcome())
    }

    fn scan_message(
        &mut self,
        raw: &[u8],
        name: &str,
        display: &str,
        rel: &str,
        findings: &mut Vec<Finding>,
        sum: &mut MemberSum,
    ) {
        let Some(msg) = mail::parse(raw) else {
            self.corrupt(name, io::Error::other("not a parsable e-mail message"));
            return;
        };
        let body = if name.is_empty() {
            "body".to_string()
        } else {
            name.to_string()
        };
        self.scan_member(
            &body,
            &mut msg.text.as_bytes(),
            None,
            display,
            rel,
            findings,
            sum,
        );
        for (att, content) in &msg.attachments {
            let member = if name.is_empty() {
                att.clone()
            } else {
                format!("{name}/{att}")
            };
            self.scan_member(
                &member,
                &mut content.as_slice(),
                None,
                display,
                rel,
                findings,
                sum,
            );
        }
    }

    /// An OOXML document: the text of its paragraphs, or its sheets as CSV,
    /// scanned as members named by part or sheet (findings in a sheet get
    /// their cell).
    fn scan_document<R: Read + io::Seek>(
        &mut self,
        kind: document::Kind,
        archive: &mut zip::ZipArchive<R>,
        display: &str,
        rel: &str,
        findings: &mut Vec<Finding>,
        sum: &mut MemberSum,
    ) {
        let names: Vec<String> = archive.file_names().map(str::to_string).collect();
        // images pasted into the document: an ID card photo in a Word form
        for media in names.iter().filter(|n| n.contains("/media/")) {
            if let Ok(mut part) = archive.by_name(media) {
                let compressed = part.compressed_size();
                self.scan_member(
                    media,
                    &mut part,
                    Some(compressed),
                    display,
                    rel,
                    findings,
                    sum,
                );
            }
        }
        if kind != document::Kind::Xlsx {
            for part in document::text_parts(kind, &names) {
                let Some(xml) = self.read_part(archive, &part) else {
                    continue;
                };
                match document::paragraphs_text(&xml) {
                    Ok(text) => self.scan_member(
                        &part,
                        &mut text.as_bytes(),
                        None,
                        display,
                        rel,
                        findings,
                        sum,
                    ),
                    Err(e) => self.corrupt(&part, xml_error(&e)),
                }
            }
            return;
        }
        let (Some(workbook), Some(rels)) = (
            self.read_part(archive, "xl/workbook.xml"),
            self.read_part(archive, "xl/_rels/workbook.xml.rels"),
        ) else {
            return;
        };
        let shared = if names.iter().any(|n| n == "xl/sharedStrings.xml") {
            self.read_part(archive, "xl/sharedStrings.xml")
                .and_then(|x| document::shared_strings(&x).ok())
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        let sheets = match document::sheets(&workbook, &rels) {
            Ok(s) => s,
            Err(e) => {
                self.corrupt("xl/workbook.xml", xml_error(&e));
                return;
            }
        };
        for (sheet, part) in sheets {
            let Some(xml) = self.read_part(archive, &part) else {
                continue;
            };
            let text = match document::sheet_csv(&xml, &shared, document::names_my_number) {
                Ok(t) => t,
                Err(e) => {
                    self.corrupt(&sheet, xml_error(&e));
                    continue;
                }
            };
            let first = findings.len();
            // named `.csv` so that the header row is read as one
            let virtual_name = format!("{sheet}.csv");
            self.scan_member(
                &virtual_name,
                &mut text.csv.as_bytes(),
                None,
                display,
                rel,
                findings,
                sum,
            );
            for f in &mut findings[first..] {
                if let Some(m) = &mut f.member {
                    if let Some(prefix) = m.strip_suffix(".csv") {
                        *m = prefix.to_string();
                    }
                }
                f.cell = f
                    .byte_offset
                    .and_then(|o| text.cell_at(o as usize))
                    .map(str::to_string);
            }
        }
    }

    /// A package part read whole (parts are XML, bounded by the limits); an
    /// issue and `None` if it cannot be.
    fn read_part<R: Read + io::Seek>(
        &mut self,
        archive: &mut zip::ZipArchive<R>,
        name: &str,
    ) -> Option<Vec<u8>> {
        let mut part = match archive.by_name(name) {
            Ok(p) => p,
            Err(e) => {
                self.corrupt(name, io::Error::other(e.to_string()));
                return None;
            }
        };
        let cap = part
            .compressed_size()
            .saturating_mul(self.limits.max_ratio)
            .max(self.limits.ratio_floor)
            .min(self.budget);
        let mut data = Vec::new();
        match (&mut part).take(cap + 1).read_to_end(&mut data) {
            Ok(n) if n as u64 > cap => {
                self.skip(name, SkipReason::ArchiveLimit);
                None
            }
            Ok(n) => {
                self.budget = self.budget.saturating_sub(n as u64);
                Some(data)
            }
            Err(e) => {
                self.corrupt(name, e);
                None
            }
        }
    }

    /// A member not scanned, for `reason`.
    fn skip(&mut self, member: impl Into<String>, reason: SkipReason) {
        self.member_issues.push(MemberIssue {
            member: member.into(),
            issue: Issue::Skipped(reason),
        });
    }

    fn corrupt(&mut self, member: &str, error: io::Error) {
        self.member_issues.push(MemberIssue {
            member: member.to_string(),
            issue: Issue::Failed {
                kind: "corrupt_archive",
                error,
            },
        });
    }

    /// Scans one member as a file of its own (it may be a container too),
    /// metered against the archive's limits, then files its findings and
    /// issues under the archive's path.
    #[allow(clippy::too_many_arguments)]
    fn scan_member(
        &mut self,
        name: &str,
        r: &mut dyn Read,
        compressed: Option<u64>,
        display: &str,
        rel: &str,
        findings: &mut Vec<Finding>,
        sum: &mut MemberSum,
    ) {
        let ratio_cap = compressed.map_or(u64::MAX, |c| {
            c.saturating_mul(self.limits.max_ratio)
                .max(self.limits.ratio_floor)
        });
        let mut metered =
            container::Salvage::new(container::Metered::new(r, self.budget.min(ratio_cap)));
        let (first_finding, first_issue) = (findings.len(), self.member_issues.len());
        // an unnamed member (the tar inside a .tar.gz) adds no level
        let (member_display, member_rel) = if name.is_empty() {
            (display.to_string(), rel.to_string())
        } else {
            (format!("{display}!/{name}"), format!("{rel}!/{name}"))
        };
        let outcome = self.scan_stream(&mut metered, &member_display, &member_rel, findings);
        let read_error = metered.error.take();
        self.budget = self.budget.saturating_sub(metered.inner_read());
        let issue = |error: io::Error, kind: &'static str| {
            if container::is_limit(&error) {
                Issue::Skipped(SkipReason::ArchiveLimit)
            } else {
                let kind = if matches!(
                    kind,
                    "io_error" | "read_error" | "invalid_data" | "unexpected_eof"
                ) {
                    "corrupt_archive"
                } else {
                    kind
                };
                Issue::Failed { kind, error }
            }
        };
        let mut push = |issue: Issue| {
            self.member_issues.push(MemberIssue {
                member: String::new(),
                issue,
            })
        };
        match outcome {
            Outcome::Scanned {
                bytes,
                below_min_confidence,
                ignored_inline,
                ..
            } => {
                sum.bytes += bytes;
                sum.below_min_confidence += below_min_confidence;
                sum.ignored_inline += ignored_inline;
                if let Some(error) = read_error {
                    let kind = error_kind(&error);
                    push(issue(error, kind));
                }
            }
            Outcome::Failed { error, kind } => push(issue(error, kind)),
            Outcome::Skipped(reason) => push(Issue::Skipped(reason)),
        }
        let join = |inner: &str| match (name.is_empty(), inner.is_empty()) {
            (true, _) => inner.to_string(),
            (false, true) => name.to_string(),
            (false, false) => format!("{name}!/{inner}"),
        };
        for f in &mut findings[first_finding..] {
            let inner = f.member.take().unwrap_or_default();
            let joined = join(&inner);
            f.member = (!joined.is_empty()).then_some(joined);
            f.path = display.to_string();
        }
        for m in &mut self.member_issues[first_issue..] {
            m.member = join(&m.member);
        }
    }

    fn scan_stream<R: Read>(
        &mut self,
        r: &mut R,
        display: &str,
        rel: &str,
        findings: &mut Vec<Finding>,
    ) -> Outcome {
        match self.scan_stream_inner(r, display, rel, findings) {
            Ok(outcome) => outcome,
            Err(error) => Outcome::Failed {
                kind: error_kind(&error),
                error,
            },
        }
    }

    fn scan_stream_inner<R: Read>(
        &mut self,
        r: &mut R,
        display: &str,
        rel: &str,
        findings: &mut Vec<Finding>,
    ) -> io::Result<Outcome> {
        let mut tally = Tally::default();
        let head = self.reader.start(r)?;
        if let Some(kind) = mail::detect(head, display) {
            if self.depth < self.limits.max_depth {
                let head = head.to_vec();
                let mut stream = io::Cursor::new(head).chain(r);
                return self.scan_mail(kind, &mut stream, display, rel, findings);
            }
        }
        if let Some(kind) = container::detect(head) {
            if self.depth < self.limits.max_depth {
                let head = head.to_vec();
                // `dyn` here keeps nested archives from nesting types forever
                let mut stream = io::Cursor::new(head).chain(r);
                return self.scan_container(kind, &mut stream, display, rel, findings);
            }
            if self.depth > 0 {
                // too deep: say so, and still look at it as a file below
                // (a field of its own: `head` still borrows the reader)
                self.member_issues.push(MemberIssue {
                    member: String::new(),
                    issue: Issue::Skipped(SkipReason::ArchiveLimit),
                });
            }
        }
        // a head shorter than asked for is the whole file
        let sniffed = decode::sniff(head, head.len() < HEAD_LEN);
        self.candidates.clear();
        for d in &self.detectors.all {
            d.scan_file(
                &FileHead {
                    path: display,
                    head,
                },
                &mut self.candidates,
            );
        }
        let file_candidates: Vec<Candidate> = self.candidates.drain(..).collect();
        for c in &file_candidates {
            emit_finding(
                self.fingerprinter,
                self.opts,
                c,
                &[],
                None,
                display,
                rel,
                findings,
                &mut tally,
            );
        }
        if pdf::detect(head) && self.depth < self.limits.max_depth {
            // the ID-document check above saw the file; now its text
            let head = head.to_vec();
            let mut stream = io::Cursor::new(head).chain(r);
            return self.scan_pdf(&mut stream, display, rel, findings, tally);
        }
        let encoding = match sniffed {
            Sniffed::Text(encoding) => encoding,
            Sniffed::Binary => {
                return Ok(Outcome::Scanned {
                    bytes: self.reader.bytes_read(),
                    binary: true,
                    below_min_confidence: tally.below_min_confidence,
                    ignored_inline: tally.ignored_inline,
                })
            }
        };
        let mut text = TextFile {
            display,
            rel,
            encoding: encoding.name(),
        };
        let mut lines = LineCounter::default();
        if !encoding.is_utf8() {
            let mut transcoder = std::mem::take(&mut self.transcoder);
            transcoder.start(encoding, head);
            let scanned = self.scan_decoded(
                &mut transcoder.reader(r),
                &text,
                &mut lines,
                findings,
                &mut tally,
            );
            let bytes = transcoder.raw_bytes();
            self.transcoder = transcoder;
            scanned?;
            return Ok(tally.text_outcome(bytes));
        }
        // The fast path: the bytes as read, a BOM skipped for columns.
        let ctx = FileContext::new(display, head);
        lines.pos = encoding.bom_len() as u64;
        // UTF-8 without a BOM was decided from the head: a later byte
        // sequence that is not UTF-8 decides the encoding of the rest.
        let recheck = encoding.bom_len() == 0;
        let switch =
            self.scan_windows(r, &ctx, recheck, &text, &mut lines, findings, &mut tally)?;
        let Some(switch) = switch else {
            return Ok(tally.text_outcome(self.reader.bytes_read()));
        };
        let mut transcoder = std::mem::take(&mut self.transcoder);
        transcoder.start(switch.encoding, &self.tail);
        text.encoding = switch.encoding.name();
        let scanned = self.scan_windows(
            &mut transcoder.reader(r),
            &ctx,
            false,
            &text,
            &mut lines,
            findings,
            &mut tally,
        );
        let bytes = switch.at + transcoder.raw_bytes();
        self.transcoder = transcoder;
        scanned?;
        Ok(tally.text_outcome(bytes))
    }

    /// Scans the UTF-8 text decoded from a file in another encoding.
    fn scan_decoded<R: Read>(
        &mut self,
        decoded: &mut R,
        text: &TextFile<'_>,
        lines: &mut LineCounter,
        findings: &mut Vec<Finding>,
        tally: &mut Tally,
    ) -> io::Result<()> {
        let head = self.reader.start(decoded)?;
        let ctx = FileContext::new(text.display, head);
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
        findings: &mut Vec<Finding>,
        tally: &mut Tally,
    ) -> io::Result<Option<Switch>> {
        let detectors = self.detectors;
        let wants_numbers = self.wants_numbers;
        let wants_lowercase = self.wants_lowercase;
        while let Some(window) = self.reader.next_window(r)? {
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
                    &c,
                    buf,
                    Some(pos),
                    text.display,
                    text.rel,
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

/// The text file being scanned: its names and encoding.
struct TextFile<'a> {
    display: &'a str,
    rel: &'a str,
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

/// What the members of one container add up to.
#[derive(Debug, Default)]
struct MemberSum {
    bytes: u64,
    below_min_confidence: u64,
    ignored_inline: u64,
}

impl MemberSum {
    fn outcome(&self) -> Outcome {
        Outcome::Scanned {
            bytes: self.bytes,
            binary: false,
            below_min_confidence: self.below_min_confidence,
            ignored_inline: self.ignored_inline,
        }
    }
}

/// A damaged XML part, said without the parser's message: that can quote
/// the document's text (an unknown entity, say), and text must not leak.
fn xml_error(e: &quick_xml::Error) -> io::Error {
    let what = match e {
        quick_xml::Error::Syntax(_) | quick_xml::Error::IllFormed(_) => "malformed XML",
        quick_xml::Error::Escape(_) => "malformed XML escape",
        _ => "unreadable XML",
    };
    io::Error::other(what)
}

/// All of `r` if it is at most `cap` bytes; else `Err` with how many bytes
/// were read (the rest is drained, never held).
fn read_capped(r: &mut dyn Read, cap: u64) -> io::Result<Result<Vec<u8>, u64>> {
    let mut data = Vec::new();
    r.take(cap + 1).read_to_end(&mut data)?;
    if data.len() as u64 <= cap {
        return Ok(Ok(data));
    }
    let rest = io::copy(r, &mut io::sink())?;
    Ok(Err(data.len() as u64 + rest))
}

/// The member name of a compressed file: its name without `.gz`, `.bz2`,
/// `.xz` or `.zst` (`.tgz` and the like name a `.tar`).
fn compressed_member_name(display: &str) -> String {
    let file = display.rsplit(['/', '!']).next().unwrap_or(display);
    let lower = file.to_ascii_lowercase();
    for ext in [".tgz", ".tbz2", ".tbz", ".txz", ".tzst"] {
        if lower.ends_with(ext) {
            return format!("{}.tar", &file[..file.len() - ext.len()]);
        }
    }
    for ext in [".gz", ".bz2", ".xz", ".zst", ".zstd"] {
        if lower.ends_with(ext) {
            return file[..file.len() - ext.len()].to_string();
        }
    }
    file.to_string()
}

/// Candidates counted rather than reported.
#[derive(Debug, Default)]
struct Tally {
    below_min_confidence: u64,
    ignored_inline: u64,
}

impl Tally {
    /// The outcome of a text file of `bytes` raw bytes.
    fn text_outcome(&self, bytes: u64) -> Outcome {
        Outcome::Scanned {
            bytes,
            binary: false,
            below_min_confidence: self.below_min_confidence,
            ignored_inline: self.ignored_inline,
        }
    }
}

/// Turns a candidate into a finding (or counts it as below the confidence
/// threshold, or as ignored inline). The raw value is kept only with `--show-secrets`.
#[allow(clippy::too_many_arguments)]
fn emit_finding(
    fingerprinter: &Fingerprinter,
    opts: &ScanOptions,
    c: &Candidate,
    buf: &[u8],
    pos: Option<Position>,
    display: &str,
    rel: &str,
    findings: &mut Vec<Finding>,
    tally: &mut Tally,
) {
    if c.confidence < opts.min_confidence {
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
        Value::File => rel.as_bytes(),
    };
    let rule_id = c.rule.id.as_str();
    let redacted = match c.rule.category {
        Category::IdDocument => format!("[image: {}]", c.kind.unwrap_or("identity document")),
        cat => redact(cat, value),
    };
    findings.push(Finding {
        rule: c.rule,
        severity: c.severity,
        confidence: c.confidence,
        path: display.to_string(),
        rel_path: rel.to_string(),
        line: pos.map(|p| p.line),
        column: pos.map(|p| p.column),
        byte_offset: pos.map(|p| p.offset),
        encoding: pos.map(|p| p.encoding),
        member: None,
        cell: None,
        redacted,
        fingerprint: fingerprinter.fingerprint(rule_id, value, rel),
        value_id: fingerprinter.value_id(rule_id, value),
        kind: c.kind,
        secret: opts
            .show_secrets
            .then(|| String::from_utf8_lossy(value).into_owned()),
    });
}
