//! The file system as an input: files opened safely ([`FileSource`]) and
//! the walk ([`FsWalk`]) that enumerates what to scan from the paths the
//! user gave, on one thread.
//!
//! Directories are walked (sorted by name, so output order is stable; the
//! listings held are bounded, a larger directory being listed in sorted
//! batches, [`LISTING_BUDGET`]);
//! files named directly are always scanned. Every entry ends up as a file to
//! scan, a skip with a reason, or a failure with the OS error: symlinks are
//! not followed unless asked (and loops are then detected), and FIFOs,
//! sockets and device nodes are never opened.

use std::ffi::OsStr;
use std::fs::FileType;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::FileTypeExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use std::os::unix::fs::OpenOptionsExt;

use super::{Entry, Enumerator, Input, OpenOptions, ReadSeek, Source};
use crate::outcome::{Outcome, SkipReason};

/// A file on disk.
#[derive(Debug, Clone)]
pub struct FileSource {
    /// Its path.
    pub path: PathBuf,
    /// Whether the walk listed it as a regular file by its directory entry,
    /// not through a symlink: it is then opened without following a
    /// symlink, and its type is not checked again (a `stat` per file costs
    /// about 5 % of a small file's scan). A file named on the command line
    /// or reached through a followed symlink is checked on the open file.
    pub listed: bool,
}

impl FileSource {
    /// A file named on the command line, or reached through a followed
    /// symlink: its type is checked on the open file.
    pub fn named(path: impl Into<PathBuf>) -> FileSource {
        FileSource {
            path: path.into(),
            listed: false,
        }
    }

    /// A file the walk listed as regular (see [`FileSource::listed`]).
    pub fn listed(path: impl Into<PathBuf>) -> FileSource {
        FileSource {
            path: path.into(),
            listed: true,
        }
    }
}

impl Source for FileSource {
    /// Opens the file without blocking (a FIFO could never block the
    /// scan). A named file is checked on the open descriptor: one that is
    /// a FIFO or device is skipped, never read. A listed file is opened
    /// without following a symlink (one put in its place since is skipped
    /// as a symlink) and only looked at again for the size limit.
    fn open(&self, opts: &OpenOptions) -> Result<Box<dyn Input>, Outcome> {
        let listed = self.listed;
        let nofollow = if listed { libc::O_NOFOLLOW } else { 0 };
        let file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY | nofollow)
            .open(&self.path)
            .map_err(|error| match error.kind() {
                io::ErrorKind::NotFound => Outcome::Skipped(SkipReason::Vanished),
                _ if listed && error.raw_os_error() == Some(libc::ELOOP) => {
                    Outcome::Skipped(SkipReason::Symlink)
                }
                // a link that leads back to itself: a loop, as --help says
                _ if error.raw_os_error() == Some(libc::ELOOP) => {
                    Outcome::Skipped(SkipReason::SymlinkLoop)
                }
                _ => Outcome::failed(error),
            })?;
        if listed && opts.max_file_size.is_none() {
            return Ok(Box::new(file));
        }
        let meta = file.metadata().map_err(Outcome::failed)?;
        if let Some(reason) = special_reason(&meta.file_type()) {
            return Err(Outcome::Skipped(reason));
        }
        if opts.max_file_size.is_some_and(|max| meta.len() > max) {
            return Err(Outcome::Skipped(SkipReason::TooLarge));
        }
        Ok(Box::new(file))
    }

    fn size(&self) -> Option<u64> {
        std::fs::metadata(&self.path).ok().map(|m| m.len())
    }

    fn reopen_seekable(&self) -> Option<io::Result<Box<dyn ReadSeek>>> {
        Some(std::fs::File::open(&self.path).map(|f| Box::new(f) as Box<dyn ReadSeek>))
    }
}

/// A folder: no content of its own, only a name to scan (see
/// [`name_may_hold_value`]).
#[derive(Debug, Clone, Copy)]
pub struct NameOnly;

impl Source for NameOnly {
    fn open(&self, _opts: &OpenOptions) -> Result<Box<dyn Input>, Outcome> {
        Ok(Box::new(io::empty()))
    }
}

impl Input for io::Empty {}

/// Whether a folder's name could hold an identifier or a credential (12
/// digits or more, or a credential rule's trigger word:
/// [`crate::scan::name_may_hold_value`]): the walk then hands it to the
/// scanner as an entry of its own, whose name is scanned once (not once per
/// file in it).
pub fn name_may_hold_value(name: &std::ffi::OsStr) -> bool {
    crate::scan::name_may_hold_value(&crate::names::path(std::path::Path::new(name)))
}

/// Paths packed in one buffer and an index of where each ends: the paths
/// named on the command line (a `--files-from` list is read as the walk
/// goes, [`FileList`]).
#[derive(Debug, Default, Clone)]
pub struct PathList {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl PathList {
    /// Adds one path.
    pub fn push(&mut self, path: &Path) {
        self.bytes.extend_from_slice(path.as_os_str().as_bytes());
        self.ends.push(self.bytes.len());
    }

    /// Whether there is no path.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The paths, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Path> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter().copied())
            .map(|(start, end)| Path::new(OsStr::from_bytes(&self.bytes[start..end])))
    }
}

impl From<Vec<PathBuf>> for PathList {
    fn from(paths: Vec<PathBuf>) -> PathList {
        let mut list = PathList::default();
        for p in &paths {
            list.push(p);
        }
        list
    }
}

/// The file-system walk: directories walked, files named directly, `-`
/// for standard input; then the paths of a `--files-from` list, read as
/// the walk goes.
#[derive(Debug, Default)]
pub struct FsWalk {
    /// Files and directories as given; `-` is standard input.
    pub roots: PathList,
    /// A `--files-from` list, walked after `roots`, path by path.
    pub list: Option<FileList>,
    /// How to walk.
    pub options: WalkOptions,
}

impl Enumerator for FsWalk {
    fn enumerate(&self, emit: &mut dyn FnMut(Entry) -> bool) {
        if !self.options.walk(self.roots.iter(), emit) {
            return;
        }
        let Some(list) = &self.list else {
            return;
        };
        let mut stopped = false;
        let read = list.for_each(&mut |path| {
            stopped = !self.options.walk_root(path, emit);
            !stopped
        });
        if let Err(error) = read {
            // the rest of the list is not read: a failure, so the scan is
            // incomplete
            if !stopped {
                emit(Entry::Fail {
                    display: "(--files-from list)".into(),
                    error,
                });
            }
        }
    }
}

/// Most bytes of one entry of a `--files-from` list that are kept: longer
/// than any path the system opens (`PATH_MAX`, 4,096 on Linux), so that an
/// entry cut here fails as its whole would, with "file name too long".
pub const MAX_LIST_ENTRY: usize = 64 << 10;

/// Bytes of a `--files-from` list read at a time, and read before its
/// separator is decided.
const LIST_CHUNK: usize = 64 << 10;

/// A `--files-from` list, read as the walk goes, a chunk at a time: a list
/// of a million paths is never held (it took 111 MB as a packed list, 233
/// MB as `PathBuf`s). Entries are NUL-separated if its first
/// 64 KiB hold a NUL (`find -print0`: no path is that long),
/// else one a line (CR LF accepted); empty entries are ignored.
pub struct FileList {
    inner: std::sync::Mutex<ListReader>,
}

struct ListReader {
    reader: Box<dyn io::Read + Send>,
    /// Bytes read and not yet handed out: at most an entry and a chunk.
    buf: Vec<u8>,
    sep: u8,
    /// Whether the reader has ended.
    done: bool,
    /// Whether the entry being read is over [`MAX_LIST_ENTRY`]: its bytes
    /// past that are dropped as they come.
    cutting: bool,
}

impl std::fmt::Debug for FileList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FileList")
    }
}

impl FileList {
    /// The list `reader` gives. Its first chunk is read here, so that a
    /// list that cannot be read is an error before the scan starts.
    pub fn new(reader: Box<dyn io::Read + Send>) -> io::Result<FileList> {
        let mut r = ListReader {
            reader,
            buf: Vec::with_capacity(LIST_CHUNK),
            sep: b'\n',
            done: false,
            cutting: false,
        };
        while !r.done && r.buf.len() < LIST_CHUNK {
            r.fill()?;
        }
        if r.buf.contains(&0) {
            r.sep = 0;
        }
        Ok(FileList {
            inner: std::sync::Mutex::new(r),
        })
    }

    /// Hands each path in turn to `each` until it returns false. An error
    /// reading the list ends the walk of it.
    pub fn for_each(&self, each: &mut dyn FnMut(&Path) -> bool) -> io::Result<()> {
        let mut r = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let r = &mut *r;
        let mut start = 0;
        loop {
            let Some(end) = memchr::memchr(r.sep, &r.buf[start..]).map(|i| start + i) else {
                r.buf.drain(..start);
                start = 0;
                if r.done {
                    // the last entry, without a separator after it
                    let entry = std::mem::take(&mut r.buf);
                    r.hand_out(&entry, each);
                    return Ok(());
                }
                if r.buf.len() > MAX_LIST_ENTRY {
                    // the rest of this entry is dropped as it is read
                    r.buf.truncate(MAX_LIST_ENTRY);
                    r.cutting = true;
                }
                r.fill()?;
                continue;
            };
            let keep_going = r.hand_out(&r.buf[start..end], each);
            start = end + 1;
            if !keep_going {
                return Ok(());
            }
        }
    }
}

impl ListReader {
    /// Reads the next chunk onto `buf`; while `cutting`, what it reads of
    /// an over-long entry (up to its separator) is dropped.
    fn fill(&mut self) -> io::Result<()> {
        let at = self.buf.len();
        self.buf.resize(at + LIST_CHUNK, 0);
        let n = loop {
            match self.reader.read(&mut self.buf[at..]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => break other,
            }
        };
        self.buf.truncate(at + n.as_ref().map_or(0, |n| *n));
        self.done = n? == 0;
        if self.cutting {
            match memchr::memchr(self.sep, &self.buf[at..]) {
                Some(i) => {
                    self.buf.drain(at..at + i);
                    self.cutting = false;
                }
                None => self.buf.truncate(at),
            }
        }
        Ok(())
    }

    /// Hands `entry` to `each` unless it is empty (a `\r` ending a line
    /// dropped); `false` when `each` says to stop.
    fn hand_out(&self, entry: &[u8], each: &mut dyn FnMut(&Path) -> bool) -> bool {
        let entry = match entry {
            [rest @ .., b'\r'] if self.sep == b'\n' => rest,
            e => e,
        };
        entry.is_empty() || each(Path::new(OsStr::from_bytes(entry)))
    }
}

/// How to walk.
#[derive(Debug, Default, Clone)]
pub struct WalkOptions {
    /// Follow symbolic links (loops are detected and skipped).
    pub follow_symlinks: bool,
    /// Names and paths to skip (see [`build_excludes`]).
    pub excludes: Option<GlobSet>,
    /// Named files larger than this many bytes are skipped when listed
    /// (walked files are checked by the scanner, on the open file).
    pub max_file_size: Option<u64>,
    /// A file never to scan, by (file name, device, inode): the report
    /// being written, when it lies inside a scanned directory. Skipped as
    /// `own_report`.
    pub skip_file: Option<(std::ffi::OsString, u64, u64)>,
    /// Bytes of directory listing the walk may hold, all levels together;
    /// `None`: [`LISTING_BUDGET`] (smaller in tests, to list small
    /// directories in many batches).
    pub listing_budget: Option<usize>,
}

/// A glob that does not parse: which one, and why in leakscan's words (the
/// glob library's message quotes the glob, and a glob is user data that
/// may hold anything: a control character, an identifier).
#[derive(Debug, thiserror::Error)]
#[error("glob `{shown}`: {reason}")]
pub struct BadGlob {
    /// Its index among the globs given.
    pub index: usize,
    /// The glob as it may be shown: identifiers masked and control
    /// characters escaped, then cut to 40 characters
    /// ([`crate::redact::name_cut`]).
    pub shown: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

/// Why a glob does not parse, in leakscan's words.
fn glob_reason(e: &globset::Error) -> &'static str {
    use globset::ErrorKind as K;
    match e.kind() {
        K::InvalidRecursive => "`**` must be a whole path component",
        K::UnclosedClass => "unclosed character class `[`",
        K::InvalidRange(..) => "character range whose start is after its end",
        K::UnopenedAlternates => "`}` without `{`",
        K::UnclosedAlternates => "unclosed `{`",
        K::NestedAlternates => "nested `{`",
        K::DanglingEscape => "dangling `\\` at the end",
        _ => "not a valid glob",
    }
}

/// Builds the exclude set. A glob with a `/` matches the path relative to
/// the scan root; one without matches any file or directory name.
pub fn build_excludes(globs: &[String]) -> Result<Option<GlobSet>, BadGlob> {
    if globs.is_empty() {
        return Ok(None);
    }
    let bad = |index: usize, e: &globset::Error| BadGlob {
        index,
        shown: crate::redact::name_cut(&globs[index], 40),
        reason: glob_reason(e),
    };
    let mut b = GlobSetBuilder::new();
    for (i, g) in globs.iter().enumerate() {
        b.add(Glob::new(g).map_err(|e| bad(i, &e))?);
        if !g.contains('/') {
            b.add(Glob::new(&format!("**/{g}")).map_err(|e| bad(i, &e))?);
        }
    }
    let set = b.build().map_err(|e| BadGlob {
        index: 0,
        shown: String::new(),
        reason: glob_reason(&e),
    })?;
    Ok(Some(set))
}

fn special_reason(ft: &FileType) -> Option<SkipReason> {
    if ft.is_fifo() {
        Some(SkipReason::Fifo)
    } else if ft.is_socket() {
        Some(SkipReason::Socket)
    } else if ft.is_block_device() || ft.is_char_device() {
        Some(SkipReason::Device)
    } else {
        None
    }
}

/// `shown` relative to the walked directory `root` (both as displayed), by
/// slicing rather than re-parsing path components; `None` if the plain text
/// prefix does not line up (then the caller falls back to `strip_prefix`).
fn rel_in<'a>(shown: &'a str, root: &str) -> Option<&'a str> {
    let rest = shown.strip_prefix(root)?;
    if root.ends_with('/') {
        Some(rest)
    } else {
        rest.strip_prefix('/')
    }
}

fn display(path: &Path) -> String {
    crate::names::path(path).into_owned()
}

/// The path of a directly named file, for fingerprints: as given, without `./`.
fn rel_of_named(path: &Path) -> String {
    let s = display(path);
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

impl WalkOptions {
    fn excluded(&self, rel: &Path) -> bool {
        self.excludes.as_ref().is_some_and(|g| g.is_match(rel))
    }

    /// A file named directly is excluded when it or one of its parent
    /// directories matches (as it would be when walked).
    pub(crate) fn named_excluded(&self, rel: &str) -> bool {
        self.excludes.is_some()
            && Path::new(rel)
                .ancestors()
                .filter(|a| !a.as_os_str().is_empty())
                .any(|a| self.excluded(a))
    }

    /// Whether a file of `size` bytes is over `max_file_size`.
    pub fn too_large(&self, size: u64) -> bool {
        self.max_file_size.is_some_and(|max| size > max)
    }

    /// Walks every root in order, handing each entry to `emit`; stops early
    /// when `emit` returns false (and then returns false).
    pub fn walk<'a>(
        &self,
        roots: impl IntoIterator<Item = &'a Path>,
        emit: &mut dyn FnMut(Entry) -> bool,
    ) -> bool {
        roots.into_iter().all(|root| self.walk_root(root, emit))
    }

    /// Walks one root (a file, a directory, `-` for standard input);
    /// `false` when `emit` said to stop.
    fn walk_root(&self, root: &Path, emit: &mut dyn FnMut(Entry) -> bool) -> bool {
        if root.as_os_str() == "-" {
            return emit(Entry::File {
                source: Box::new(super::stdin::Stdin),
                display: "<stdin>".into(),
                rel: "<stdin>".into(),
            });
        }
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                let reason = match std::fs::symlink_metadata(root) {
                    Ok(_) => SkipReason::BrokenSymlink,
                    Err(_) => SkipReason::Missing,
                };
                return emit(Entry::Skip {
                    display: display(root),
                    reason,
                });
            }
            Err(error) if error.raw_os_error() == Some(libc::ELOOP) => {
                return emit(Entry::Skip {
                    display: display(root),
                    reason: SkipReason::SymlinkLoop,
                });
            }
            Err(error) => {
                return emit(Entry::Fail {
                    display: display(root),
                    error,
                });
            }
        };
        if meta.is_dir() {
            self.walk_dir(root, emit)
        } else if self.named_excluded(&rel_of_named(root)) {
            emit(Entry::Skip {
                display: display(root),
                reason: SkipReason::Excluded,
            })
        } else if let Some(reason) = special_reason(&meta.file_type()) {
            emit(Entry::Skip {
                display: display(root),
                reason,
            })
        } else {
            // one over --max-file-size is skipped when it is opened, its
            // name scanned all the same
            emit(Entry::File {
                source: Box::new(FileSource::named(root)),
                display: display(root),
                rel: rel_of_named(root),
            })
        }
    }

    /// Walks the directory `root` depth first, each directory's entries
    /// sorted by name (as bytes), emitting every file, skip and failure in
    /// that order. Iterative (a tree thousands of levels deep cannot
    /// overflow the stack); a directory's listing is held as its names in
    /// one buffer, and all levels together hold at most
    /// [`WalkOptions::listing_budget`] of listing ([`Level`]: a larger
    /// directory is listed in sorted batches, one pass over it each).
    fn walk_dir(&self, root: &Path, emit: &mut dyn FnMut(Entry) -> bool) -> bool {
        let root_shown = display(root);
        let mut stack: Vec<Level> = Vec::new();
        // (device, inode) of the directories being walked, when following
        // links: a link back to one of them is a loop
        let mut ancestors: Vec<(u64, u64)> = Vec::new();
        if self.follow_symlinks {
            if let Ok(m) = std::fs::metadata(root) {
                ancestors.push((m.dev(), m.ino()));
            }
        }
        let budget = self.listing_budget.unwrap_or(LISTING_BUDGET).max(16 << 10);
        match Level::read(root.to_path_buf(), budget) {
            Ok(level) => stack.push(level),
            Err((dir, error)) => return emit(dir_error(&dir, error)),
        }
        while let Some(last) = stack.len().checked_sub(1) {
            let (below, top) = stack.split_at_mut(last);
            let top = &mut top[0];
            let room = if top.needs_pass() {
                room_above(below, budget)
            } else {
                0
            };
            let (path, dtype) = match top.next_entry(room) {
                Some(Ok(entry)) => entry,
                Some(Err(error)) => {
                    // listed again for its next batch, and gone or unreadable
                    let e = dir_error(&top.dir, error);
                    top.end();
                    if !emit(e) {
                        return false;
                    }
                    continue;
                }
                None => {
                    stack.pop();
                    if self.follow_symlinks {
                        ancestors.pop();
                    }
                    continue;
                }
            };
            let name = path.file_name().map_or(&b""[..], OsStr::as_bytes);
            let rel_path = path.strip_prefix(root).unwrap_or(&path);
            if self.excluded(rel_path) {
                if !emit(Entry::Skip {
                    display: display(&path),
                    reason: SkipReason::Excluded,
                }) {
                    return false;
                }
                continue;
            }
            // what it is: by its directory entry, or through a followed link
            let mut kind = dtype;
            let mut id = None;
            // (a stat only where the entry does not say, or a link is followed)
            let unknown = kind.is_none();
            let followed =
                self.follow_symlinks && kind.is_some_and(|k| k.is_symlink() || k.is_dir());
            if unknown || followed {
                let meta = if self.follow_symlinks {
                    std::fs::metadata(&path)
                } else {
                    std::fs::symlink_metadata(&path)
                };
                match meta {
                    Ok(m) => {
                        id = Some((m.dev(), m.ino()));
                        kind = Some(m.file_type());
                    }
                    Err(error) => {
                        let is_link = std::fs::symlink_metadata(&path)
                            .is_ok_and(|m| m.file_type().is_symlink());
                        let e = match error.kind() {
                            io::ErrorKind::NotFound if is_link => Entry::Skip {
                                display: display(&path),
                                reason: SkipReason::BrokenSymlink,
                            },
                            io::ErrorKind::NotFound => Entry::Skip {
                                display: display(&path),
                                reason: SkipReason::Vanished,
                            },
                            _ if error.raw_os_error() == Some(libc::ELOOP) => Entry::Skip {
                                display: display(&path),
                                reason: SkipReason::SymlinkLoop,
                            },
                            _ => Entry::Fail {
                                display: display(&path),
                                error,
                            },
                        };
                        if !emit(e) {
                            return false;
                        }
                        continue;
                    }
                }
            }
            let Some(kind) = kind else { continue };
            let shown = display(&path);
            let e = if kind.is_symlink() {
                Entry::Skip {
                    display: shown,
                    reason: SkipReason::Symlink,
                }
            } else if kind.is_dir() {
                if self.follow_symlinks && id.is_some_and(|id| ancestors.contains(&id)) {
                    if !emit(Entry::Skip {
                        display: shown,
                        reason: SkipReason::SymlinkLoop,
                    }) {
                        return false;
                    }
                    continue;
                }
                if name_may_hold_value(OsStr::from_bytes(name)) {
                    // a folder named after an identifier: its name is scanned
                    let rel = rel_in(&shown, &root_shown).unwrap_or(&shown).to_string();
                    if !emit(Entry::File {
                        source: Box::new(NameOnly),
                        display: shown,
                        rel,
                    }) {
                        return false;
                    }
                }
                match Level::read(path, room_above(&mut stack, budget)) {
                    Ok(level) => {
                        if self.follow_symlinks {
                            ancestors.extend(id);
                        }
                        stack.push(level);
                        continue;
                    }
                    Err((dir, error)) => dir_error(&dir, error),
                }
            } else if let Some(reason) = special_reason(&kind) {
                Entry::Skip {
                    display: shown,
                    reason,
                }
            } else if self.is_report(name, &path, id) {
                Entry::Skip {
                    display: shown,
                    reason: SkipReason::OwnReport,
                }
            } else {
                // the size limit is checked by the scanner, on the open file
                let rel = rel_in(&shown, &root_shown)
                    .map(str::to_string)
                    .unwrap_or_else(|| display(rel_path));
                Entry::File {
                    source: Box::new(FileSource {
                        path,
                        listed: !self.follow_symlinks,
                    }),
                    display: shown,
                    rel,
                }
            };
            if !emit(e) {
                return false;
            }
        }
        true
    }

    /// Whether `path` (named `name`; `id`, its device and inode when a
    /// followed link gave them) is the report being written. A link
    /// followed to the report is the report, whatever its name.
    fn is_report(&self, name: &[u8], path: &Path, id: Option<(u64, u64)>) -> bool {
        self.skip_file
            .as_ref()
            .is_some_and(|(skip, dev, ino)| match id {
                Some(id) => id == (*dev, *ino),
                None => {
                    skip.as_bytes() == name
                        && std::fs::metadata(path).is_ok_and(|m| (m.dev(), m.ino()) == (*dev, *ino))
                }
            })
    }
}

/// Bytes of directory listing the walk holds at most, all levels together
/// (names, and 16 bytes an entry; half as much again while a pass gathers
/// and sorts): a directory of 450,000 files with 248-byte names took 126 MB
/// when it was held whole.
pub const LISTING_BUDGET: usize = 16 << 20;

/// The listing a directory walked above the levels `below` may hold under
/// `budget`: what those leave of it. A directory is always left a
/// sixteenth of the budget (1 MiB): the largest of the levels below let
/// their listings go (to list them again when the walk returns to them)
/// until it is.
fn room_above(below: &mut [Level], budget: usize) -> usize {
    let floor = budget / 16;
    let mut held: usize = below.iter().map(Level::held).sum();
    while held > budget - floor {
        let Some(largest) = below.iter_mut().max_by_key(|l| l.held()) else {
            break;
        };
        held -= largest.held();
        largest.release();
    }
    budget - held.min(budget - floor)
}

/// An entry of a listing: (start in the names, length, type from the
/// directory entry).
type Item = (u32, u32, Option<FileType>);

/// One directory being walked: its entries' names in one buffer, sorted,
/// and the next one to hand out. A directory whose listing is larger than
/// the room it is given is listed in batches: each pass over the directory
/// keeps the first names (in order) after the last one handed out, so the
/// order is the same as if it were held whole, at the cost of one pass per
/// batch (450,000 entries with 248-byte names: 8 passes of 16 MiB).
struct Level {
    dir: PathBuf,
    names: Vec<u8>,
    items: Vec<Item>,
    next: usize,
    /// Whether the entries from `next` on are all the directory has left.
    complete: bool,
    /// The name last handed out when the listing was let go or ran out:
    /// the next pass keeps names after it.
    after: Option<Box<[u8]>>,
}

impl Level {
    /// Lists `dir`, holding at most `room` bytes of its listing (see
    /// [`Level::held`]); on failure, the directory and the error.
    fn read(dir: PathBuf, room: usize) -> Result<Level, (PathBuf, io::Error)> {
        let mut level = Level {
            dir,
            names: Vec::new(),
            items: Vec::new(),
            next: 0,
            complete: false,
            after: None,
        };
        match level.pass(room) {
            Ok(()) => Ok(level),
            Err(e) => Err((level.dir, e)),
        }
    }

    /// The bytes its listing holds: the names' buffer and the entries.
    fn held(&self) -> usize {
        self.names.capacity() + self.items.capacity() * std::mem::size_of::<Item>()
    }

    fn name(&self, item: &Item) -> &[u8] {
        &self.names[item.0 as usize..(item.0 + item.1) as usize]
    }

    /// One pass over the directory: the first names after [`Level::after`],
    /// sorted, as many as `room` holds (at least one). Candidates gather up
    /// to one and a half times the room; then the first that fit are kept,
    /// and names at or past the first one dropped are not taken again in
    /// this pass.
    fn pass(&mut self, room: usize) -> io::Result<()> {
        let listing = std::fs::read_dir(&self.dir)?;
        let after = self.after.take();
        let (mut names, mut items) = (Vec::new(), Vec::new());
        let mut bound: Option<Box<[u8]>> = None;
        let mut complete = true;
        for entry in listing {
            // an entry that vanished mid-listing is simply not there
            let Ok(entry) = entry else { continue };
            let name = entry.file_name();
            let name = name.as_bytes();
            if after.as_deref().is_some_and(|a| name <= a)
                || bound.as_deref().is_some_and(|b| name >= b)
            {
                continue;
            }
            let start = names.len() as u32;
            names.extend_from_slice(name);
            items.push((start, name.len() as u32, entry.file_type().ok()));
            if names.len() + items.len() * std::mem::size_of::<Item>() > room + room / 2 {
                if let Some(first_dropped) = keep_first(&mut names, &mut items, room) {
                    bound = Some(first_dropped);
                }
                complete = false;
            }
        }
        let held = names.len() + items.len() * std::mem::size_of::<Item>();
        if held > room && keep_first(&mut names, &mut items, room).is_some() {
            complete = false;
        } else {
            sort_items(&names, &mut items);
        }
        names.shrink_to_fit();
        items.shrink_to_fit();
        (self.names, self.items, self.next, self.complete) = (names, items, 0, complete);
        self.after = after;
        Ok(())
    }

    /// Whether the next entry needs another pass over the directory.
    fn needs_pass(&self) -> bool {
        self.next == self.items.len() && !self.complete
    }

    /// The next entry's path and type, in order, listing the next batch
    /// (in at most `room` bytes) when this one is done; `None` at the end,
    /// an error when the directory cannot be listed again.
    fn next_entry(&mut self, room: usize) -> Option<io::Result<(PathBuf, Option<FileType>)>> {
        if self.next == self.items.len() {
            if self.complete {
                return None;
            }
            self.remember_last();
            // the batch handed out is let go before the next is gathered
            (self.names, self.items, self.next) = (Vec::new(), Vec::new(), 0);
            if let Err(e) = self.pass(room) {
                return Some(Err(e));
            }
            if self.items.is_empty() {
                return None;
            }
        }
        let item = self.items[self.next];
        self.next += 1;
        let path = self.dir.join(OsStr::from_bytes(self.name(&item)));
        Some(Ok((path, item.2)))
    }

    /// Remembers the name last handed out, for the next pass.
    fn remember_last(&mut self) {
        if let Some(last) = self.next.checked_sub(1).map(|i| self.items[i]) {
            self.after = Some(self.name(&last).into());
        }
    }

    /// Lets the listing go (to be listed again from the name last handed
    /// out when the walk comes back).
    fn release(&mut self) {
        if self.items.is_empty() {
            return;
        }
        let left = self.next < self.items.len() || !self.complete;
        self.remember_last();
        (self.names, self.items, self.next) = (Vec::new(), Vec::new(), 0);
        self.complete = !left;
    }

    /// Ends the listing (after an error).
    fn end(&mut self) {
        (self.names, self.items, self.next, self.complete) = (Vec::new(), Vec::new(), 0, true);
    }
}

/// Sorts `items` by their names in `names` (as bytes).
fn sort_items(names: &[u8], items: &mut [Item]) {
    let name = |it: &Item| &names[it.0 as usize..(it.0 + it.1) as usize];
    items.sort_unstable_by(|a, b| name(a).cmp(name(b)));
}

/// Sorts the items, keeps the first that fit in `room` bytes (at least
/// one), moves their names to the front of the names' buffer (in place: a
/// second buffer would double what a pass holds), and returns the first
/// name dropped (every kept name is before it), if one was.
fn keep_first(names: &mut Vec<u8>, items: &mut Vec<Item>, room: usize) -> Option<Box<[u8]>> {
    sort_items(names, items);
    let mut used = 0;
    let keep = items
        .iter()
        .take_while(|it| {
            used += it.1 as usize + std::mem::size_of::<Item>();
            used <= room
        })
        .count()
        .max(1);
    let first_dropped: Option<Box<[u8]>> = items
        .get(keep)
        .map(|it| names[it.0 as usize..(it.0 + it.1) as usize].into());
    items.truncate(keep);
    // in the buffer's order, each name moves down (or stays)
    items.sort_unstable_by_key(|it| it.0);
    let mut end = 0u32;
    for it in items.iter_mut() {
        let (from, len) = (it.0 as usize, it.1 as usize);
        names.copy_within(from..from + len, end as usize);
        it.0 = end;
        end += it.1;
    }
    names.truncate(end as usize);
    sort_items(names, items);
    first_dropped
}

/// The entry for a directory that could not be listed.
fn dir_error(dir: &Path, error: io::Error) -> Entry {
    match error.kind() {
        io::ErrorKind::NotFound => Entry::Skip {
            display: display(dir),
            reason: SkipReason::Vanished,
        },
        _ => Entry::Fail {
            display: display(dir),
            error,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The entries of a `--files-from` list of `bytes`, read from a reader
    /// that gives `piece` bytes at a time.
    fn listed(bytes: &[u8], piece: usize) -> Vec<Vec<u8>> {
        struct Pieces(Vec<u8>, usize, usize);
        impl io::Read for Pieces {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.1.min(buf.len()).min(self.0.len() - self.2);
                buf[..n].copy_from_slice(&self.0[self.2..self.2 + n]);
                self.2 += n;
                Ok(n)
            }
        }
        let list = FileList::new(Box::new(Pieces(bytes.to_vec(), piece, 0))).unwrap();
        let mut out = Vec::new();
        list.for_each(&mut |p| {
            out.push(p.as_os_str().as_bytes().to_vec());
            true
        })
        .unwrap();
        out
    }

    #[test]
    fn a_file_list_is_read_in_pieces() {
        let want = |v: &[&str]| v.iter().map(|s| s.as_bytes().to_vec()).collect::<Vec<_>>();
        for piece in [1, 7, 1 << 20] {
            assert_eq!(
                listed(b"a.csv\r\n\nb c.txt\nlast", piece),
                want(&["a.csv", "b c.txt", "last"])
            );
            // NUL-separated: a newline is part of a name
            assert_eq!(listed(b"a\nb\0\0c\r\0", piece), want(&["a\nb", "c\r"]));
            assert!(listed(b"", piece).is_empty());
        }
        // an entry longer than any path is cut (it fails to open as its
        // whole would); the entries after it are read
        let mut long = vec![b'x'; MAX_LIST_ENTRY * 3];
        long.extend(b"\nafter\n");
        for piece in [1000, 1 << 20] {
            let got = listed(&long, piece);
            assert_eq!(got.len(), 2);
            assert_eq!(got[0].len(), MAX_LIST_ENTRY);
            assert_eq!(got[1], b"after");
        }
        // a NUL only past the first chunk: one a line
        let mut late = vec![b'y'; LIST_CHUNK + 10];
        late.extend(b"\0z\nw");
        let got = listed(&late, 1 << 20);
        assert_eq!(got.len(), 2);
        assert_eq!(got[1], b"w");
    }

    #[test]
    fn a_file_list_stops_when_told() {
        let list = FileList::new(Box::new(&b"a\nb\nc\n"[..])).unwrap();
        let mut seen = 0;
        list.for_each(&mut |_| {
            seen += 1;
            seen < 2
        })
        .unwrap();
        assert_eq!(seen, 2);
    }

    /// Every entry the walk of `root` emits, as displayed, in order.
    fn walked(root: &Path, listing_budget: Option<usize>) -> Vec<String> {
        let opts = WalkOptions {
            listing_budget,
            ..WalkOptions::default()
        };
        let mut out = Vec::new();
        opts.walk([root], &mut |e| {
            out.push(match e {
                Entry::File { display, .. } => display,
                Entry::Skip { display, .. } => format!("skip {display}"),
                Entry::Fail { display, .. } => format!("fail {display}"),
            });
            true
        });
        out
    }

    #[test]
    fn directories_larger_than_the_budget_are_walked_in_the_same_order() {
        // listings of 16 KiB at most: a directory of 1,500 long names takes
        // about 20 passes, and the directories around a deep one let their
        // listings go and list them again
        let tmp = tempfile::tempdir().unwrap();
        let long = "x".repeat(120);
        let mut dirs = vec![tmp.path().to_path_buf()];
        for d in ["b-dir", "b-dir/nested", "b-dir/nested/deeper", "d-dir"] {
            dirs.push(tmp.path().join(d));
            std::fs::create_dir(tmp.path().join(d)).unwrap();
        }
        for (k, dir) in dirs.iter().enumerate() {
            for i in 0..1500 {
                // created out of order
                let n = (i * 7919 + k) % 1500;
                std::fs::File::create(dir.join(format!("{n:04}-{long}"))).unwrap();
            }
        }
        let whole = walked(tmp.path(), None);
        assert_eq!(whole.len(), 5 * 1500, "files only (folders are walked)");
        let mut sorted = whole.clone();
        sorted.sort();
        assert_eq!(whole, sorted, "names sorted as bytes, depth first");
        assert_eq!(walked(tmp.path(), Some(16 << 10)), whole);
    }

    #[test]
    fn rel_in_slices_the_root_off() {
        assert_eq!(rel_in("./a/b.txt", "."), Some("a/b.txt"));
        assert_eq!(rel_in("dir/a", "dir/"), Some("a"));
        assert_eq!(rel_in("/x/y/z", "/x/y"), Some("z"));
        assert_eq!(rel_in("/x/yz", "/x/y"), None);
        assert_eq!(rel_in("/other/z", "/x"), None);
    }
}
