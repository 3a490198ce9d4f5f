//! Inputs: where files come from and how their bytes are opened.
//!
//! An [`Enumerator`] lists what to scan, in a stable order, as [`Entry`]s:
//! a file to scan (its [`Source`] and names), or a skip or failure with its
//! reason. A [`Source`] opens one file's bytes. The scanner knows only these
//! two traits, so a new input (a bucket, git history) is a new module here
//! that implements them, and nothing else changes.
//!
//! Today: the file system ([`fs`]: directories walked, files named on the
//! command line or in `--files-from`), standard input ([`stdin`]), and the
//! git index ([`git_index`], `--staged`).

pub mod fs;
pub mod git_index;
pub mod stdin;

use std::fmt;
use std::io::{self, Read, Seek};

use crate::outcome::{Outcome, SkipReason};

/// An open input: a reader, plus a check once it has been read to the end.
pub trait Input: Read {
    /// Called after the scan has read what it wanted: an error here (a git
    /// process that failed, say) fails the file even though its bytes were
    /// read. The default has nothing to check.
    fn finish(self: Box<Self>) -> io::Result<()> {
        Ok(())
    }
}

impl Input for std::fs::File {}

/// A reader that can also seek (a zip's directory is at its end).
pub trait ReadSeek: Read + Seek {}

impl<T: Read + Seek> ReadSeek for T {}

/// What the user asked of every input when it is opened.
#[derive(Clone, Debug, Default)]
pub struct OpenOptions {
    /// Inputs larger than this many bytes are skipped (`too_large`).
    pub max_file_size: Option<u64>,
    /// The scan's stop: a stream that may block (stdin) looks at it while
    /// it waits for data.
    pub stop: crate::scan::Stop,
}

/// Where one file's bytes come from.
pub trait Source: Send + fmt::Debug {
    /// Opens the bytes for reading. `Err` is how the input ends instead: a
    /// skip (removed since it was listed, a FIFO, too large, ...) or a
    /// failure (the OS error).
    fn open(&self, opts: &OpenOptions) -> Result<Box<dyn Input>, Outcome>;

    /// The length in bytes, when known without reading it; `None` for a
    /// stream.
    fn size(&self) -> Option<u64> {
        None
    }

    /// A second, seekable reader over the same bytes, for formats that
    /// need random access; `None` when the source is a stream (the format
    /// then reads it into memory, within its limits).
    fn reopen_seekable(&self) -> Option<io::Result<Box<dyn ReadSeek>>> {
        None
    }
}

/// One thing an enumerator met.
#[derive(Debug)]
pub enum Entry {
    /// A file to scan.
    File {
        /// How to open it.
        source: Box<dyn Source>,
        /// The path as reached from the PATH given, for output.
        display: String,
        /// The path relative to the scan root, for fingerprints.
        rel: String,
    },
    /// Not scanned, for a reason.
    Skip {
        /// The path as shown.
        display: String,
        /// Why.
        reason: SkipReason,
    },
    /// Could not be listed or looked at.
    Fail {
        /// The path as shown.
        display: String,
        /// The OS error.
        error: io::Error,
    },
}

/// Lists what to scan, in a stable order.
pub trait Enumerator: Sync {
    /// Hands each entry to `emit`, in order; stops early when `emit`
    /// returns false (the scan was cancelled or its output closed).
    fn enumerate(&self, emit: &mut dyn FnMut(Entry) -> bool);
}
