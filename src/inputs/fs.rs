//! The file system as an input: files opened safely ([`FileSource`]) and
//! the walk ([`FsWalk`]) that enumerates what to scan from the paths the
//! user gave, on one thread.
//!
//! Directories are walked (sorted by name, so output order is stable);
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
    crate::scan::name_may_hold_value(&name.to_string_lossy())
}

/// The file-system walk: directories walked, files named directly, `-`
/// for standard input.
#[derive(Debug, Default)]
pub struct FsWalk {
    /// Files and directories as given; `-` is standard input.
    pub roots: Vec<PathBuf>,
    /// How to walk.
    pub options: WalkOptions,
}

impl Enumerator for FsWalk {
    fn enumerate(&self, emit: &mut dyn FnMut(Entry) -> bool) {
        self.options.walk(&self.roots, emit)
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
}

/// Builds the exclude set. A glob with a `/` matches the path relative to
/// the scan root; one without matches any file or directory name.
pub fn build_excludes(globs: &[String]) -> Result<Option<GlobSet>, globset::Error> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for g in globs {
        b.add(Glob::new(g)?);
        if !g.contains('/') {
            b.add(Glob::new(&format!("**/{g}"))?);
        }
    }
    Ok(Some(b.build()?))
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
    path.to_string_lossy().into_owned()
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
    /// when `emit` returns false.
    pub fn walk(&self, roots: &[PathBuf], emit: &mut dyn FnMut(Entry) -> bool) {
        for root in roots {
            if root.as_os_str() == "-" {
                let e = Entry::File {
                    source: Box::new(super::stdin::Stdin),
                    display: "<stdin>".into(),
                    rel: "<stdin>".into(),
                };
                if !emit(e) {
                    return;
                }
                continue;
            }
            let meta = match std::fs::metadata(root) {
                Ok(m) => m,
                Err(error) if error.kind() == io::ErrorKind::NotFound => {
                    let reason = match std::fs::symlink_metadata(root) {
                        Ok(_) => SkipReason::BrokenSymlink,
                        Err(_) => SkipReason::Missing,
                    };
                    if !emit(Entry::Skip {
                        display: display(root),
                        reason,
                    }) {
                        return;
                    }
                    continue;
                }
                Err(error) if error.raw_os_error() == Some(libc::ELOOP) => {
                    if !emit(Entry::Skip {
                        display: display(root),
                        reason: SkipReason::SymlinkLoop,
                    }) {
                        return;
                    }
                    continue;
                }
                Err(error) => {
                    if !emit(Entry::Fail {
                        display: display(root),
                        error,
                    }) {
                        return;
                    }
                    continue;
                }
            };
            let keep_going = if meta.is_dir() {
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
            } else if self.too_large(meta.len()) {
                emit(Entry::Skip {
                    display: display(root),
                    reason: SkipReason::TooLarge,
                })
            } else {
                emit(Entry::File {
                    source: Box::new(FileSource::named(root.clone())),
                    display: display(root),
                    rel: rel_of_named(root),
                })
            };
            if !keep_going {
                return;
            }
        }
    }

    /// Walks the directory `root` depth first, each directory's entries
    /// sorted by name (as bytes), emitting every file, skip and failure in
    /// that order. Iterative (a tree thousands of levels deep cannot
    /// overflow the stack), and a directory's listing is held as its names
    /// in one buffer, about 20 bytes an entry: a directory of a million
    /// files costs tens of MB, not the 150 MB of full paths a generic
    /// walker holds.
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
        match Level::read(root.to_path_buf()) {
            Ok(level) => stack.push(level),
            Err((dir, error)) => return emit(dir_error(&dir, error)),
        }
        while let Some(top) = stack.last_mut() {
            let Some((path, dtype)) = top.next_entry() else {
                stack.pop();
                if self.follow_symlinks {
                    ancestors.pop();
                }
                continue;
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
                match Level::read(path) {
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
            } else if self.is_report(name, &path) {
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

    /// Whether `path` (named `name`) is the report being written.
    fn is_report(&self, name: &[u8], path: &Path) -> bool {
        self.skip_file.as_ref().is_some_and(|(skip, dev, ino)| {
            skip.as_bytes() == name
                && std::fs::metadata(path).is_ok_and(|m| (m.dev(), m.ino()) == (*dev, *ino))
        })
    }
}

/// One directory being walked: its entries' names in one buffer, sorted,
/// and the next one to hand out.
struct Level {
    dir: PathBuf,
    names: Vec<u8>,
    /// (start in `names`, length, type from the directory entry).
    items: Vec<(u32, u32, Option<FileType>)>,
    next: usize,
}

impl Level {
    /// Lists `dir`; on failure, the directory and the error.
    fn read(dir: PathBuf) -> Result<Level, (PathBuf, io::Error)> {
        let listing = match std::fs::read_dir(&dir) {
            Ok(l) => l,
            Err(e) => return Err((dir, e)),
        };
        let mut names = Vec::new();
        let mut items = Vec::new();
        for entry in listing {
            // an entry that vanished mid-listing is simply not there
            let Ok(entry) = entry else { continue };
            let name = entry.file_name();
            let start = names.len() as u32;
            names.extend_from_slice(name.as_bytes());
            items.push((start, name.len() as u32, entry.file_type().ok()));
        }
        items.sort_unstable_by(|a, b| {
            names[a.0 as usize..(a.0 + a.1) as usize]
                .cmp(&names[b.0 as usize..(b.0 + b.1) as usize])
        });
        Ok(Level {
            dir,
            names,
            items,
            next: 0,
        })
    }

    /// The next entry's path and type, in order.
    fn next_entry(&mut self) -> Option<(PathBuf, Option<FileType>)> {
        let &(start, len, kind) = self.items.get(self.next)?;
        self.next += 1;
        let name = &self.names[start as usize..(start + len) as usize];
        Some((self.dir.join(OsStr::from_bytes(name)), kind))
    }
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

    #[test]
    fn rel_in_slices_the_root_off() {
        assert_eq!(rel_in("./a/b.txt", "."), Some("a/b.txt"));
        assert_eq!(rel_in("dir/a", "dir/"), Some("a"));
        assert_eq!(rel_in("/x/y/z", "/x/y"), Some("z"));
        assert_eq!(rel_in("/x/yz", "/x/y"), None);
        assert_eq!(rel_in("/other/z", "/x"), None);
    }
}
