//! How each file and archive member ended — scanned, skipped with a
//! [`SkipReason`], or failed with a [`FailureKind`] — and the [`ExitCode`]
//! a scan ends with. Every file and member ends as exactly one of these;
//! nothing is dropped without a reason.

use std::io;

use crate::provenance::Step;

/// Why a file was not scanned. Nothing is skipped without one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    /// A symbolic link, not followed (use `--follow-symlinks`).
    Symlink,
    /// A symbolic link that leads back to one of its ancestors.
    SymlinkLoop,
    /// A symbolic link whose target does not exist.
    BrokenSymlink,
    /// A named pipe: never opened, it could block forever.
    Fifo,
    /// A Unix domain socket: never opened.
    Socket,
    /// A block or character device.
    Device,
    /// Larger than `--max-file-size`.
    TooLarge,
    /// Matched an `--exclude` glob (a directory counts once).
    Excluded,
    /// The report this scan is writing (`-o` inside a scanned directory).
    OwnReport,
    /// Being read when the scan was stopped (SIGINT, SIGTERM): the scan is
    /// marked interrupted and exits with 130.
    Interrupted,
    /// Removed between listing and opening.
    Vanished,
    /// Named (on the command line or in `--files-from`) but not there.
    Missing,
    /// An archive member past a limit (entries, inflated size or ratio,
    /// nesting depth): a decompression bomb is not expanded.
    ArchiveLimit,
    /// A decompression window (an xz or 7z dictionary, a zstd window)
    /// over `--max-window`, or over what is left of the windows' budget
    /// while another window of the same archive is open: refused before it
    /// is allocated. Named, counted and accepted as `archive_limit`; only
    /// its message differs, to say how to raise the limit.
    WindowLimit,
    /// A nested container (a zip or 7z inside an archive, which needs
    /// random access) larger than what its file may still hold in memory
    /// and spill to temporary disk (`--max-spill`), or whose spill failed
    /// (the disk full): not read. Named, counted and accepted as
    /// `archive_limit`; only its message differs, to say how to raise the
    /// limit.
    SpillLimit,
    /// A mail header field over
    /// [`MAX_HEADER_FIELD`](crate::formats::mail::MAX_HEADER_FIELD), cut
    /// before the message was parsed, whose cut part held what the parser
    /// needs (a boundary, a charset, encoded words): the field's raw text
    /// was scanned, but the message may not have been read as it is.
    /// Named, counted and accepted as `archive_limit`; only its message
    /// differs.
    HeaderLimit,
    /// An encrypted archive member.
    Encrypted,
    /// A format leakscan recognises but cannot read (RAR, a zip
    /// compression method it has no decoder for, a PDF page whose fonts
    /// have no Unicode mapping).
    UnsupportedFormat,
    /// A zip behind other data (a self-extractor's stub) in a stream that
    /// cannot be read again from its start: an archive member, stdin.
    /// Found by its end record as the stream ends, when its members can no
    /// longer be reached. Named, counted and accepted as
    /// `unsupported_format`; only its message differs, to say what to do.
    ZipBehindData,
    /// Text in a character set leakscan has no table for: the kanji and
    /// kana of Japanese EBCDIC's double-byte runs
    /// ([`crate::decode::Transcoder::undecoded`]). The rest of the text
    /// (digits, Latin letters, full-width digits) was read. Named, counted
    /// and accepted as `unsupported_format`; only its message differs.
    UndecodedText,
    /// Nesting of parts deeper than leakscan reads (MIME messages inside
    /// messages, XML elements): bounded before parsing, so that no input
    /// can exhaust a worker's stack.
    TooDeep,
    /// A document with no text layer (a PDF of scanned pages): nothing to
    /// read without OCR, recorded so that OCR can pick it up.
    NoTextLayer,
    /// Read for longer than `--max-file-time` (a pathological PDF, a huge
    /// compressed member): the rest of the file is not read; what was
    /// found before is reported.
    TimeLimit,
}

impl SkipReason {
    /// Whether a skip of this reason leaves data unread that the user did
    /// not choose to leave out: a limit reached, encryption, a format that
    /// cannot be read, nesting too deep. Such a skip makes the scan
    /// incomplete unless its reason is accepted. The others (symlinks,
    /// special files, `--exclude`, `--max-file-size`, files that vanished
    /// or never existed) are deliberate or hold no data.
    pub fn is_gap(self) -> bool {
        matches!(
            self,
            SkipReason::ArchiveLimit
                | SkipReason::WindowLimit
                | SkipReason::SpillLimit
                | SkipReason::HeaderLimit
                | SkipReason::Encrypted
                | SkipReason::UnsupportedFormat
                | SkipReason::ZipBehindData
                | SkipReason::UndecodedText
                | SkipReason::TooDeep
                | SkipReason::NoTextLayer
                | SkipReason::TimeLimit
        )
    }

    /// Every name of a gap reason, once ([`SkipReason::WindowLimit`],
    /// [`SkipReason::SpillLimit`] and [`SkipReason::HeaderLimit`] are named
    /// `archive_limit`,
    /// [`SkipReason::ZipBehindData`] and [`SkipReason::UndecodedText`]
    /// `unsupported_format`).
    pub const GAPS: [SkipReason; 6] = [
        SkipReason::ArchiveLimit,
        SkipReason::Encrypted,
        SkipReason::UnsupportedFormat,
        SkipReason::TooDeep,
        SkipReason::NoTextLayer,
        SkipReason::TimeLimit,
    ];

    /// The stable snake_case name used in JSON records and summary counts.
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Symlink => "symlink",
            SkipReason::SymlinkLoop => "symlink_loop",
            SkipReason::BrokenSymlink => "broken_symlink",
            SkipReason::Fifo => "fifo",
            SkipReason::Socket => "socket",
            SkipReason::Device => "device",
            SkipReason::TooLarge => "too_large",
            SkipReason::Excluded => "excluded",
            SkipReason::OwnReport => "own_report",
            SkipReason::Interrupted => "interrupted",
            SkipReason::Vanished => "vanished",
            SkipReason::Missing => "missing",
            SkipReason::ArchiveLimit
            | SkipReason::WindowLimit
            | SkipReason::SpillLimit
            | SkipReason::HeaderLimit => "archive_limit",
            SkipReason::Encrypted => "encrypted",
            SkipReason::UnsupportedFormat
            | SkipReason::ZipBehindData
            | SkipReason::UndecodedText => "unsupported_format",
            SkipReason::TooDeep => "too_deep",
            SkipReason::NoTextLayer => "no_text_layer",
            SkipReason::TimeLimit => "time_limit",
        }
    }

    /// A one-line explanation for people (a `skipped` record's `message`).
    pub fn explain(self) -> &'static str {
        match self {
            SkipReason::Symlink => "symbolic link not followed (use --follow-symlinks)",
            SkipReason::SymlinkLoop => "symbolic link loop",
            SkipReason::BrokenSymlink => "symbolic link to a missing target",
            SkipReason::Fifo => "named pipe, never opened (pipe data in with `-`)",
            SkipReason::Socket => "socket, never opened",
            SkipReason::Device => "device node, never opened",
            SkipReason::TooLarge => "larger than --max-file-size",
            SkipReason::Excluded => "matched an exclude glob (--exclude or the config file)",
            SkipReason::OwnReport => "the report this scan is writing (-o)",
            SkipReason::Interrupted => "being read when the scan was stopped (SIGINT, SIGTERM)",
            SkipReason::Vanished => "removed before it could be read",
            SkipReason::Missing => "named but does not exist (deleted?)",
            SkipReason::ArchiveLimit => {
                "archive limit reached (entries, inflated size or ratio, nesting depth): not expanded"
            }
            SkipReason::WindowLimit => {
                "decompression window (xz or 7z dictionary, zstd window) over --max-window (64M by default), alone or with the windows open around it: not decoded; raise --max-window (or max_window in the config) to read it"
            }
            SkipReason::SpillLimit => {
                "nested archive larger than its file may hold in memory and spill to temporary disk (--max-spill, 2G by default), or its spill failed: not expanded; raise --max-spill (or make room in TMPDIR) to read it"
            }
            SkipReason::HeaderLimit => {
                "a mail header field over 16 KiB, cut before the message was parsed: its raw text was scanned, but what was cut held the message's structure or encoded text, which may not have been read"
            }
            SkipReason::Encrypted => "encrypted (archive member or document): not readable without its password",
            SkipReason::UnsupportedFormat => "a format leakscan recognises but cannot read",
            SkipReason::UndecodedText => {
                "text in a character set leakscan has no table for (the kanji and kana of Japanese EBCDIC): its digits and Latin letters were read, the rest not; convert it (iconv -f IBM-939 -t UTF-8) and scan the result"
            }
            SkipReason::ZipBehindData => {
                "a zip behind other data (a self-extractor) in an archive member or on stdin: its members were not read; extract it and scan it as a file"
            }
            SkipReason::TooDeep => "nested deeper than leakscan reads (parts inside parts)",
            SkipReason::NoTextLayer => "no text layer (scanned pages?): not readable without OCR",
            SkipReason::TimeLimit => {
                "read for longer than --max-file-time (10m by default): the rest not read; raise --max-file-time (or max_file_time in the config) to read it"
            }
        }
    }
}

/// Why a file or member could not be read, as counted in the summary
/// (`failed_by_reason`) and named in `error` records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FailureKind {
    /// The OS refused access (`EACCES`, `EPERM`).
    PermissionDenied,
    /// The file was not there when opened.
    NotFound,
    /// The bytes were not what the reader expected.
    InvalidData,
    /// The file ended early.
    UnexpectedEof,
    /// A directory where a file was expected (`EISDIR`).
    IsADirectory,
    /// The device reported an I/O error (`EIO`).
    Io,
    /// Too many levels of symbolic links (`ELOOP`).
    SymlinkLoop,
    /// Any other read error.
    Read,
    /// A damaged or truncated archive, document or message: what could be
    /// read of it was scanned.
    CorruptArchive,
    /// A bug in leakscan (a panic while scanning): the file is failed, the
    /// scan goes on.
    Internal,
}

impl FailureKind {
    /// Every failure kind.
    pub const ALL: [FailureKind; 10] = [
        FailureKind::PermissionDenied,
        FailureKind::NotFound,
        FailureKind::InvalidData,
        FailureKind::UnexpectedEof,
        FailureKind::IsADirectory,
        FailureKind::Io,
        FailureKind::SymlinkLoop,
        FailureKind::Read,
        FailureKind::CorruptArchive,
        FailureKind::Internal,
    ];

    /// The stable snake_case name used in JSON records and summary counts.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::PermissionDenied => "permission_denied",
            FailureKind::NotFound => "not_found",
            FailureKind::InvalidData => "invalid_data",
            FailureKind::UnexpectedEof => "unexpected_eof",
            FailureKind::IsADirectory => "is_a_directory",
            FailureKind::Io => "io_error",
            FailureKind::SymlinkLoop => "symlink_loop",
            FailureKind::Read => "read_error",
            FailureKind::CorruptArchive => "corrupt_archive",
            FailureKind::Internal => "internal_error",
        }
    }

    /// The kind of an I/O error, from its [`io::ErrorKind`] and OS code.
    pub fn of(e: &io::Error) -> FailureKind {
        match e.kind() {
            io::ErrorKind::PermissionDenied => FailureKind::PermissionDenied,
            io::ErrorKind::NotFound => FailureKind::NotFound,
            io::ErrorKind::InvalidData => FailureKind::InvalidData,
            io::ErrorKind::UnexpectedEof => FailureKind::UnexpectedEof,
            _ if e.raw_os_error() == Some(libc::EISDIR) => FailureKind::IsADirectory,
            _ if e.raw_os_error() == Some(libc::EIO) => FailureKind::Io,
            _ if e.raw_os_error() == Some(libc::ELOOP) => FailureKind::SymlinkLoop,
            _ => FailureKind::Read,
        }
    }

    /// The kind of a read error inside an archive member: errors of the
    /// decoder (bad data, early end, a generic read error) are a damaged
    /// archive; the others keep their kind.
    pub fn in_member(self) -> FailureKind {
        match self {
            FailureKind::Io
            | FailureKind::Read
            | FailureKind::InvalidData
            | FailureKind::UnexpectedEof => FailureKind::CorruptArchive,
            k => k,
        }
    }
}

impl std::fmt::Display for FailureKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What was wrong with damaged data, in leakscan's own words: a library's
/// error message can quote the data it choked on (the tar reader prints the
/// bytes of a bad header), and raw values must never reach the output. A
/// byte offset is said where it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Damage {
    /// Compressed data that does not decode, or ends early.
    #[error("damaged or truncated data: decoding stopped after {0} bytes")]
    Data(u64),
    /// A tar header that does not parse.
    #[error("damaged tar archive (a header does not parse)")]
    Tar,
    /// A zip whose directory or a member's header does not parse.
    #[error("damaged zip archive")]
    Zip,
    /// A zip member whose data shares bytes with another member's (a zip
    /// bomb's shape: many directory records over one deflate stream): not
    /// inflated.
    #[error("zip member overlaps another member's data (not inflated)")]
    Overlap,
    /// A 7z whose header does not parse, or whose data fails to decode or
    /// its checksum.
    #[error("damaged 7z archive")]
    SevenZip,
    /// A RAR whose headers do not parse, or whose data fails to decode or
    /// its checksum.
    #[error("damaged RAR archive")]
    Rar,
    /// An `ar` archive (a `.deb`, a static library) whose member header
    /// does not parse, or whose member is cut short by its end.
    #[error("damaged or truncated ar archive")]
    Ar,
    /// A message that does not parse.
    #[error("not a parsable e-mail message")]
    Mail,
    /// Malformed XML in a document part.
    #[error("malformed XML")]
    Xml,
    /// A part of a document package whose compressed data does not decode
    /// or fails its checksum.
    #[error("a document part's compressed data is damaged or truncated")]
    Part,
    /// A PDF whose structure or a content stream does not parse.
    #[error("damaged PDF (its objects or a content stream do not parse)")]
    Pdf,
    /// Spreadsheet cells that refer to shared strings that are missing.
    #[error("{0} cells refer to shared strings that are missing or unreadable")]
    SharedStrings(u64),
    /// A legacy Office or OpenDocument file (or one of its sheets) that its
    /// reader could not parse.
    #[error("a document or workbook that does not parse")]
    Document,
    /// A table statement of a SQL dump that does not parse to its end
    /// (rows before the damage are scanned).
    #[error("a SQL table statement does not parse")]
    Sql,
    /// A database file that SQLite reports as damaged, or that stopped at
    /// a limit of its own (memory, work).
    #[error("a damaged database file, or one over a database limit")]
    Database,
}

impl Damage {
    /// As an I/O error (kind `InvalidData`) for an [`Issue::Failed`].
    pub fn error(self) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, self)
    }
}

/// How one file (or stdin, or a blob) ended.
#[derive(Debug)]
pub enum Outcome {
    /// Read to the end (members that were not are [`MemberIssue`]s).
    Scanned {
        /// Bytes read from the file itself (members inflate to more).
        bytes: u64,
        /// Binary content: checked as a document by name and magic bytes,
        /// not for text identifiers.
        binary: bool,
        /// Matches below `--min-confidence`: counted, not reported.
        below_min_confidence: u64,
        /// Findings on a line marked `leakscan:ignore`.
        ignored_inline: u64,
    },
    /// Not read, for a reason.
    Skipped(SkipReason),
    /// Could not be read; `error` keeps the source (the OS error).
    Failed {
        /// What went wrong, for counts and records.
        kind: FailureKind,
        /// The error itself, with its source.
        error: io::Error,
    },
}

impl Outcome {
    /// A failure of the kind [`FailureKind::of`] gives `error`.
    pub fn failed(error: io::Error) -> Outcome {
        Outcome::Failed {
            kind: FailureKind::of(&error),
            error,
        }
    }
}

/// A member of a file (an archive entry, a document part, a message) that
/// was not scanned, or not completely.
#[derive(Debug)]
pub struct MemberIssue {
    /// Where the member is inside the file (empty: the file itself, e.g. a
    /// zip whose directory is damaged).
    pub member: Vec<Step>,
    /// What happened to it.
    pub issue: Issue,
}

impl MemberIssue {
    /// The member's path inside the file as shown in reports (levels joined
    /// with `!/`).
    pub fn member_path(&self) -> String {
        crate::provenance::join(&self.member)
    }
}

/// What happened to a member that was not fully scanned.
#[derive(Debug)]
pub enum Issue {
    /// Not read, for a reason (a limit, encryption).
    Skipped(SkipReason),
    /// Could not be read (damaged data).
    Failed {
        /// What went wrong.
        kind: FailureKind,
        /// The error, with its source.
        error: io::Error,
    },
}

/// The names `--accept` takes: every gap skip reason and failure kind.
pub fn acceptable_reasons() -> impl Iterator<Item = &'static str> {
    SkipReason::GAPS
        .iter()
        .map(|r| r.as_str())
        .chain(FailureKind::ALL.iter().map(|k| k.as_str()))
}

/// The exit code of a scan (and of the `leakscan` command), for CI gates
/// (README, "Job 2").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExitCode {
    /// No reported finding at or above `--fail-on`.
    Clean = 0,
    /// At least one reported finding at or above `--fail-on`.
    Findings = 1,
    /// A usage error or a fatal error.
    Error = 2,
    /// No such finding, but something could not be read: incomplete.
    Incomplete = 3,
}

impl ExitCode {
    /// The process exit status: 0, 1, 2 or 3, in the order of the variants.
    pub fn code(self) -> u8 {
        self as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes() {
        let codes = [
            ExitCode::Clean,
            ExitCode::Findings,
            ExitCode::Error,
            ExitCode::Incomplete,
        ]
        .map(ExitCode::code);
        assert_eq!(codes, [0, 1, 2, 3]);
    }

    #[test]
    fn member_read_errors_are_a_damaged_archive() {
        let eof = io::Error::from(io::ErrorKind::UnexpectedEof);
        assert_eq!(
            FailureKind::of(&eof).in_member(),
            FailureKind::CorruptArchive
        );
        let denied = io::Error::from(io::ErrorKind::PermissionDenied);
        assert_eq!(
            FailureKind::of(&denied).in_member(),
            FailureKind::PermissionDenied
        );
    }
}
