//! Formats: what a file is, from its first bytes and its name, and how its
//! content reaches the detectors.
//!
//! [`TABLE`] is the one ordered sniff table. The scanner reads a file's
//! first bytes (its *head*) and takes the first row whose `sniff` accepts
//! it; a file no row accepts is text or binary ([`crate::decode::sniff`]).
//! A format reads the file and hands what it holds — archive members,
//! document text, sheets as CSV, a PDF's text, mail bodies and attachments
//! — to the scanner through its [`Scope`], each as a member that is scanned
//! like a file of its own (and may be a container again).
//!
//! Where the scan is inside a file ([`Nest`]: depth and member chain) is
//! passed by value into each level, so an early return cannot leave it
//! wrong for the next file. The byte budget of a file only ever shrinks, and
//! is kept per file by the scanner.
//!
//! Adding a format: a new module here with a `pub(crate) static` [`Format`]
//! row, and that row in [`TABLE`].

pub mod ar;
pub mod archive;
pub mod columnar;
pub mod compressed;
pub mod doc;
pub mod hidden;
pub mod html;
pub mod image;
pub mod limits;
pub mod mail;
pub mod markdown;
pub mod odf;
pub mod ole2;
pub mod ooxml;
pub mod pdf;
pub mod ppt;
pub mod rar;
pub mod rtf;
pub mod sandbox;
pub mod sevenz;
mod sevenz_deflate64;
pub mod spill;
pub mod sqldump;
pub mod sqlite;
pub mod table;
pub mod table_csv;
pub mod unreadable;
pub mod window;
pub mod workbook;
pub mod xml;
pub mod zipdir;

use std::io::{self, Read};

use crate::finding::Finding;
use crate::inputs::ReadSeek;
use crate::outcome::{Damage, FailureKind, Issue, MemberIssue, Outcome, SkipReason};
use crate::provenance::Step;
use crate::scan::{Counts, FileRun, FileScanner};

use limits::{is_limit, is_window_limit, Limits, Metered, Salvage};

/// One row of the sniff table.
pub struct Format {
    /// A short name (`zip`, `pdf`), for documentation and tests.
    pub name: &'static str,
    /// Whether a file is in this format, from its head (up to
    /// [`crate::read::HEAD_LEN`] bytes; shorter only for a shorter file)
    /// and its path as shown (`a.zip!/b.eml` for a member).
    pub sniff: fn(head: &[u8], path: &str) -> bool,
    /// Whether the file-level detectors (an ID document by its name and
    /// magic bytes) look at the file itself before it is read.
    pub file_checks: bool,
    /// Reads the file from its first byte, handing what it holds to the
    /// scope. An `Err` fails the file (an OS error of the file itself);
    /// damage inside it is a member issue and the file counts as scanned.
    pub read: fn(&mut Scope<'_, '_, '_>, &mut dyn Read) -> io::Result<()>,
}

/// The sniff table, in order: the first row whose `sniff` accepts a file
/// reads it.
pub static TABLE: &[&Format] = &[
    &mail::MESSAGE,
    &archive::ZIP,
    &compressed::GZIP,
    &compressed::BZIP2,
    &compressed::XZ,
    &compressed::ZSTD,
    &compressed::LZ4,
    &archive::TAR,
    &ar::AR,
    &pdf::PDF,
    &rtf::RTF,
    &sevenz::SEVEN_ZIP,
    &sqlite::SQLITE,
    &columnar::COLUMNAR,
    &unreadable::UNREADABLE,
    &sqldump::PG_CUSTOM,
    &sqldump::SQL_DUMP,
    &rar::RAR,
    &ole2::OLE2,
    &image::IMAGE,
    &compressed::LZMA,
    &html::HTML,
    &markdown::MARKDOWN,
];

/// The first format of [`TABLE`] that accepts a file.
pub fn sniff(head: &[u8], path: &str) -> Option<&'static Format> {
    TABLE.iter().copied().find(|f| (f.sniff)(head, path))
}

/// Where the scan is inside a file: how deep, and the chain of members that
/// leads there. Passed by value; a member's is its container's plus one.
#[derive(Clone, Debug, Default)]
pub struct Nest {
    /// Containers around this level as their users count them: 0 for the
    /// file itself; a `.tar.gz` is one archive, not two.
    pub depth: u8,
    /// Every level around this one, unnamed ones included: bounds the
    /// recursion whatever the names (at most twice the depth limit).
    pub levels: u8,
    /// The members that lead here, outermost first.
    pub steps: Vec<Step>,
    /// Bytes this level and the levels inside it may still hold in memory
    /// for random access ([`spill`]): the file's
    /// [`Limits::memory_budget`] less what the levels around hold.
    pub memory: u64,
    /// Bytes this level and the levels inside it may still spill to
    /// temporary disk ([`spill`]): the file's [`Limits::max_spill`] less
    /// what the levels around have spilled.
    pub spill: u64,
}

impl Nest {
    /// The nest of a file itself, with the file's whole budgets under
    /// `limits`.
    pub fn top(limits: &Limits) -> Nest {
        Nest {
            memory: limits.memory_budget,
            spill: limits.max_spill,
            ..Nest::default()
        }
    }

    /// Takes `bytes` held in memory by this level (a part read whole) off
    /// what the levels inside it may hold.
    pub fn hold_in_memory(&mut self, bytes: u64) {
        self.memory = self.memory.saturating_sub(bytes);
    }

    /// The nest of a member one level down; `None` for an unnamed member
    /// (the tar inside a `.tar.gz`), which is part of its container: a
    /// level for the recursion bound, not for the depth users count.
    pub fn child(&self, step: Option<Step>) -> Nest {
        let named = step.is_some();
        let mut steps = self.steps.clone();
        steps.extend(step);
        Nest {
            depth: self.depth + u8::from(named),
            levels: self.levels + 1,
            steps,
            memory: self.memory,
            spill: self.spill,
        }
    }

    /// Whether a container at this level may still be opened under
    /// `limits`.
    pub fn may_open(&self, limits: &Limits) -> bool {
        self.depth < limits.max_depth && self.levels < 2 * limits.max_depth
    }
}

/// What a format reads into: the scanner, the file's results so far, and
/// where in the file it is.
pub struct Scope<'s, 'a, 'r> {
    pub(crate) scanner: &'s mut FileScanner<'a>,
    pub(crate) run: &'s mut FileRun<'r>,
    /// Where the container being read is.
    pub nest: Nest,
    /// What the container's members add up to: its outcome.
    pub(crate) counts: Counts,
    /// The folders of its members whose names were scanned.
    pub(crate) folders: Folders,
}

/// Most folders of one container remembered as scanned ([`Folders`]).
const FOLDERS_HELD: usize = 4096;

/// The folders in a container's member paths whose names were scanned:
/// the last member's folder (members come folder by folder, so the usual
/// member costs one comparison), and a hash of each folder scanned, up to
/// [`FOLDERS_HELD`]: past that the set is begun again (memory stays bounded
/// whatever the archive; one of more folders than that, in no order, may
/// report a folder twice).
#[derive(Debug, Default)]
pub(crate) struct Folders {
    last: String,
    seen: std::collections::HashSet<u64>,
}

impl Folders {
    /// Whether `folder` is new in this container (and remembers it).
    fn first_time(&mut self, folder: &str) -> bool {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        folder.hash(&mut h);
        let h = h.finish();
        if self.seen.len() >= FOLDERS_HELD && !self.seen.contains(&h) {
            self.seen.clear();
        }
        self.seen.insert(h)
    }
}

impl Scope<'_, '_, '_> {
    /// The limits every container is held to.
    pub fn limits(&self) -> Limits {
        self.scanner.limits()
    }

    /// When the file must stop ([`crate::scan::Stop`]), for a reader that
    /// runs long between members (a PDF's pages and content operators).
    pub fn stop(&self) -> crate::scan::Stop {
        self.scanner.stop()
    }

    /// Bytes the file may still inflate to.
    pub fn budget(&self) -> u64 {
        self.run.budget
    }

    /// Takes `n` bytes off the file's budget (a part read whole).
    pub fn spend(&mut self, n: u64) {
        self.run.budget = self.run.budget.saturating_sub(n);
    }

    /// The container's path as the detectors see it (`a.tgz`,
    /// `a.zip!/b.gz`).
    pub fn path(&self) -> String {
        crate::provenance::context_path(self.run.path, &self.nest.steps)
    }

    /// A seekable reader over the file itself, when the container being
    /// read is the file (not a member) and its source can give one.
    pub fn reopen_seekable(&self) -> Option<io::Result<Box<dyn ReadSeek>>> {
        if self.nest.levels > 0 {
            return None;
        }
        self.run.source?.reopen_seekable()
    }

    /// Sets the bytes the container counts as read (a PDF counts its own
    /// bytes, not its text's).
    pub fn set_bytes(&mut self, bytes: u64) {
        self.counts.bytes = bytes;
    }

    /// How many findings the file has so far: with [`Scope::findings_since`],
    /// a format can annotate what one member gave (a sheet's cells).
    pub fn findings_len(&self) -> usize {
        self.run.findings.len()
    }

    /// The findings added since `first` (from [`Scope::findings_len`]).
    pub fn findings_since(&mut self, first: usize) -> &mut [Finding] {
        &mut self.run.findings[first..]
    }

    /// The byte offsets of the findings added since `first`, sorted and
    /// without repeats: what a format looks up to give each one its cell.
    pub fn offsets_since(&mut self, first: usize) -> Vec<u64> {
        let mut offsets: Vec<u64> = self.run.findings[first..]
            .iter()
            .filter_map(|f| f.byte_offset)
            .collect();
        offsets.sort_unstable();
        offsets.dedup();
        offsets
    }

    /// Scans `r` as a member of the container, like a file of its own (it
    /// may be a container too), metered against the file's budget and, for
    /// a member `compressed` to that many bytes, the inflation ratio. What
    /// it cannot read becomes a member issue; its bytes and counts add to
    /// the container's.
    pub fn member(&mut self, step: Option<Step>, r: &mut dyn Read, compressed: Option<u64>) {
        if self.scanner.stopped().is_some() {
            // stopped by a signal: members not reached are neither read
            // nor recorded, as files not reached are not; past the file's
            // deadline, the file is one `time_limit` gap
            return;
        }
        let limits = self.limits();
        let ratio_cap = compressed.map_or(u64::MAX, |c| {
            c.saturating_mul(limits.max_ratio).max(limits.ratio_floor)
        });
        let mut metered = Salvage::new(Metered::new(r, self.run.budget.min(ratio_cap)));
        let nest = self.nest.child(step);
        let steps = nest.steps.clone();
        let outcome = self.scanner.scan_stream(self.run, nest, &mut metered);
        let read_error = metered.error.take();
        let read = metered.inner_read();
        self.spend(read);
        self.add_counts(&outcome);
        let issue = match outcome {
            Outcome::Scanned { .. } => {
                read_error.map(|e| member_issue(FailureKind::of(&e), e, read))
            }
            Outcome::Failed { kind, error } => Some(member_issue(kind, error, read)),
            Outcome::Skipped(reason) => Some(Issue::Skipped(reason)),
        };
        if let Some(issue) = issue {
            let issue = self.interrupted(issue);
            self.run.issues.push(MemberIssue {
                member: steps,
                issue,
            });
        }
    }

    /// A failure that happened because the file was told to stop is the
    /// member being read then: `interrupted` (a signal) or `time_limit`
    /// (the file's deadline), not damage.
    fn interrupted(&self, issue: Issue) -> Issue {
        match (issue, self.scanner.stopped()) {
            (Issue::Failed { .. }, Some(reason)) => Issue::Skipped(reason),
            (other, _) => other,
        }
    }

    /// Scans the names of the folders in a member's `path` (`hr/` and
    /// `hr/123…/` of `hr/123…/a.csv`; a folder entry's path ends with `/`,
    /// and its own name is one of them) that may hold an identifier or a
    /// credential, each once in this container: a finding in the folder's
    /// name is located at the folder (`backup.zip!/hr/123…/`), like a
    /// folder on disk. `\` separates folders too (zips written on Windows).
    pub fn folders(&mut self, path: &str) {
        let Some(end) = path.rfind(['/', '\\']) else {
            return;
        };
        let dir = &path[..end];
        if dir == self.folders.last {
            return;
        }
        self.folders.last.clear();
        self.folders.last.push_str(dir);
        let mut start = 0;
        let ends = dir.match_indices(['/', '\\']).map(|(i, _)| i);
        for end in ends.chain([dir.len()]) {
            let name = &dir[start..end];
            start = end + 1;
            if matches!(name, "" | "." | "..") || !crate::scan::name_may_hold_value(name) {
                continue;
            }
            let folder = &dir[..end];
            if self.folders.first_time(folder) {
                let step = Step::Entry(format!("{folder}/"));
                self.counts.below_min_confidence += self
                    .scanner
                    .scan_entry_name(self.run, &self.nest, step, name);
            }
        }
    }

    /// Records a member not read, for `reason`, and scans its name (the
    /// names of members that are read are scanned with them).
    pub fn skip_member(&mut self, path: String, reason: SkipReason) {
        self.unread_name(&path);
        self.skip(Some(Step::Entry(path)), reason);
    }

    /// Records a damaged member, as [`Scope::corrupt`] does, and scans its
    /// name.
    pub fn corrupt_member(&mut self, path: String, damage: Damage) {
        self.unread_name(&path);
        self.corrupt(Some(Step::Entry(path)), damage);
    }

    /// Scans the name of member `path` that is not read.
    fn unread_name(&mut self, path: &str) {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        if crate::scan::name_may_hold_value(name) {
            let step = Step::Entry(path.to_string());
            self.counts.below_min_confidence += self
                .scanner
                .scan_entry_name(self.run, &self.nest, step, name);
        }
    }

    /// Scans `r` as the container's own text, in its place (no member, no
    /// format sniffed): for a format that rewrites a file's text line for
    /// line (HTML and Markdown tables annotated with their headers), so
    /// findings keep the file's path and line numbers.
    pub fn text(&mut self, r: &mut dyn Read) {
        let outcome = self.scanner.scan_text_stream(self.run, &self.nest, r);
        self.add_counts(&outcome);
        match outcome {
            Outcome::Scanned { .. } => {}
            Outcome::Failed { kind, error } => self.issue(None, Issue::Failed { kind, error }),
            Outcome::Skipped(reason) => self.skip(None, reason),
        }
    }

    /// Scans `r` as text, as the member `step`, whatever its first bytes
    /// look like (no format sniffed: a format's own text handed back, such
    /// as a message's raw header fields, is never read as that format
    /// again). Its bytes, counts and issues are the container's.
    pub fn text_member(&mut self, step: Step, r: &mut dyn Read) {
        let nest = self.nest.child(Some(step.clone()));
        let outcome = self.scanner.scan_text_stream(self.run, &nest, r);
        self.add_counts(&outcome);
        match outcome {
            Outcome::Scanned { .. } => {}
            Outcome::Failed { kind, error } => {
                self.issue(Some(step), Issue::Failed { kind, error })
            }
            Outcome::Skipped(reason) => self.skip(Some(step), reason),
        }
    }

    /// Scans `r`, raw bytes of the container, for text runs only (as a
    /// binary file is), as the member `step`: for what a format's own
    /// reading leaves out (a database's free pages). Counts and issues as
    /// [`Scope::text`]; its bytes are not added (the container counted
    /// them).
    pub fn binary(&mut self, step: Step, r: &mut dyn Read) {
        let nest = self.nest.child(Some(step.clone()));
        let outcome = self.scanner.scan_binary_stream(self.run, &nest, r);
        match outcome {
            Outcome::Scanned {
                below_min_confidence,
                ignored_inline,
                ..
            } => {
                self.counts.below_min_confidence += below_min_confidence;
                self.counts.ignored_inline += ignored_inline;
            }
            Outcome::Failed { kind, error } => {
                self.issue(Some(step), Issue::Failed { kind, error })
            }
            Outcome::Skipped(reason) => self.skip(Some(step), reason),
        }
    }

    /// Scans `r`, the container's own bytes, for text runs only (as a
    /// binary file is), in its place: for a format whose bytes are binary
    /// but whose end it finds (an image, with data after it). Its bytes,
    /// counts and issues are the container's.
    pub fn binary_here(&mut self, r: &mut dyn Read) {
        let outcome = self.scanner.scan_binary_stream(self.run, &self.nest, r);
        self.add_counts(&outcome);
        match outcome {
            Outcome::Scanned { .. } => {}
            Outcome::Failed { kind, error } => self.issue(None, Issue::Failed { kind, error }),
            Outcome::Skipped(reason) => self.skip(None, reason),
        }
    }

    /// Scans side data a reader collected outside the container's members
    /// ([`hidden::Side`]: skippable frames, header comments) as the member
    /// `name` (`(skippable frames)`), sniffed and read like a file; what did
    /// not fit in [`hidden::MAX_SIDE`] is an `archive_limit` gap on it.
    pub fn hidden(&mut self, name: &str, side: hidden::Side) {
        if !side.bytes.is_empty() {
            self.member(Some(Step::Entry(name.into())), &mut &side.bytes[..], None);
        }
        if side.over {
            self.skip(Some(Step::Entry(name.into())), SkipReason::ArchiveLimit);
        }
    }

    /// Scans `name`, a name the container gives outside its member paths
    /// (the original file name in a gzip header, a tar link's target), for
    /// identifiers and credentials as a member name is, located at the
    /// member `step`.
    pub fn other_name(&mut self, step: Step, name: &str) {
        if crate::scan::name_may_hold_value(name) {
            self.counts.below_min_confidence += self
                .scanner
                .scan_entry_name(self.run, &self.nest, step, name);
        }
    }

    /// Drops the findings added since `first` that `repeat` says were
    /// already reported (by the same container, in another form).
    pub fn drop_findings_since(&mut self, first: usize, mut repeat: impl FnMut(&Finding) -> bool) {
        let mut i = first;
        while i < self.run.findings.len() {
            if repeat(&self.run.findings[i]) {
                self.run.findings.remove(i);
            } else {
                i += 1;
            }
        }
    }

    /// Adds what a scanned member or text gave to the container's counts.
    fn add_counts(&mut self, outcome: &Outcome) {
        if let Outcome::Scanned {
            bytes,
            below_min_confidence,
            ignored_inline,
            ..
        } = *outcome
        {
            self.counts.bytes += bytes;
            self.counts.below_min_confidence += below_min_confidence;
            self.counts.ignored_inline += ignored_inline;
        }
    }

    /// Records a member not scanned, for `reason` (`None`: the container
    /// itself, which then ends as skipped rather than scanned).
    pub fn skip(&mut self, step: Option<Step>, reason: SkipReason) {
        self.issue(step, Issue::Skipped(reason));
    }

    /// Records a damaged member (`None`: the container itself), saying how
    /// in leakscan's own words (never a library's message, which can quote
    /// the data).
    pub fn corrupt(&mut self, step: Option<Step>, damage: Damage) {
        self.issue(
            step,
            Issue::Failed {
                kind: FailureKind::CorruptArchive,
                error: damage.error(),
            },
        );
    }

    fn issue(&mut self, step: Option<Step>, issue: Issue) {
        let mut member = self.nest.steps.clone();
        member.extend(step);
        let issue = self.interrupted(issue);
        self.run.issues.push(MemberIssue { member, issue });
    }
}

/// The issue of a member that failed after `read` bytes: a limit reached
/// is a skip; a read error of its decoder is a damaged archive, said in
/// leakscan's words (an OS error is kept: it quotes no data).
fn member_issue(kind: FailureKind, error: io::Error, read: u64) -> Issue {
    if is_limit(&error) {
        return Issue::Skipped(SkipReason::ArchiveLimit);
    }
    if is_window_limit(&error) {
        return Issue::Skipped(SkipReason::WindowLimit);
    }
    if compressed::is_unsupported(&error) {
        return Issue::Skipped(SkipReason::UnsupportedFormat);
    }
    let own_words =
        error.raw_os_error().is_some() || error.get_ref().is_some_and(|e| e.is::<Damage>());
    Issue::Failed {
        kind: kind.in_member(),
        error: if own_words {
            error
        } else {
            Damage::Data(read).error()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name_of(head: &[u8], path: &str) -> Option<&'static str> {
        sniff(head, path).map(|f| f.name)
    }

    #[test]
    fn sniffs_by_magic_bytes_in_table_order() {
        assert_eq!(name_of(b"PK\x03\x04rest", "x"), Some("zip"));
        assert_eq!(name_of(b"\x1f\x8b\x08\x00", "x"), Some("gzip"));
        let mut tar = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_ustar();
        h.set_size(1);
        h.set_cksum();
        tar.append_data(&mut h, "a", &b"a"[..]).unwrap();
        assert_eq!(name_of(&tar.into_inner().unwrap(), "x"), Some("tar"));
        // `ustar` at 257 without a valid header checksum is not a tar
        let mut text = vec![b'a'; 512];
        text[257..262].copy_from_slice(b"ustar");
        assert_eq!(name_of(&text, "x"), None);
        assert_eq!(name_of(b"BZh91AY&SY", "x"), Some("bzip2"));
        assert_eq!(name_of(b"\xFD7zXZ\x00\x00", "x"), Some("xz"));
        assert_eq!(name_of(b"\x28\xB5\x2F\xFD\x04", "x"), Some("zstd"));
        assert_eq!(name_of(b"%PDF-1.7\n", "x"), Some("pdf"));
        assert_eq!(
            name_of(b"From: a@example.com\nSubject: x\n\nbody", "m.eml"),
            Some("mail")
        );
        assert_eq!(name_of(b"7z\xBC\xAF\x27\x1C\x00\x04", "x"), Some("7z"));
        assert_eq!(name_of(b"Rar!\x1A\x07\x01\x00", "x"), Some("rar"));
        assert_eq!(name_of(b"Rar!\x1A\x07\x00\xCF\x90", "x"), Some("rar"));
        assert_eq!(
            name_of(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "x"),
            Some("ole2")
        );
        assert_eq!(name_of(b"BZh is not bzip2", "x"), None);
        assert_eq!(name_of(b"plain text", "x"), None);
    }

    #[test]
    fn folders_are_remembered_in_a_bounded_set() {
        let mut f = Folders::default();
        assert!(f.first_time("a/123456789018"));
        assert!(!f.first_time("a/123456789018"));
        for i in 0..FOLDERS_HELD * 3 {
            f.first_time(&format!("d{i}"));
            assert!(f.seen.len() <= FOLDERS_HELD);
        }
    }

    #[test]
    fn every_row_is_in_the_table_once() {
        let mut names: Vec<&str> = TABLE.iter().map(|f| f.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), TABLE.len());
    }
}
