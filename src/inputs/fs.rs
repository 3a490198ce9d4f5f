//! The file system as an input: files opened safely ([`FileSource`]) and
//! the walk ([`FsWalk`]) that enumerates what to scan from the paths the
//! user gave, on one thread.
//!
//! Directories are walked (sorted by name, so output order is stable);
//! files named directly are always scanned. Every entry ends up as a file to
//! scan, a skip with a reason, or a failure with the OS error: symlinks are
//! not followed unless asked (and loops are then detected), and FIFOs,
//! sockets and device nodes are never opened.

use std::cell::RefCell;
use std::fs::FileType;
use std::io;
use std::os::unix::fs::FileTypeExt;
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
/// [`name_may_hold_identifier`]).
#[derive(Debug, Clone, Copy)]
pub struct NameOnly;

impl Source for NameOnly {
    fn open(&self, _opts: &OpenOptions) -> Result<Box<dyn Input>, Outcome> {
        Ok(Box::new(io::empty()))
    }
}

impl Input for io::Empty {}

/// Whether a folder's name has 12 digits or more, so that it could be a
/// My Number or a card number: the walk then hands it to the scanner as an
/// entry of its own, whose name is scanned once (not once per file in it).
pub fn name_may_hold_identifier(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.bytes().filter(u8::is_ascii_digit).count()
        + name.chars().filter(|c| ('０'..='９').contains(c)).count()
        >= 12
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

    fn walk_dir(&self, root: &Path, emit: &mut dyn FnMut(Entry) -> bool) -> bool {
        let root_shown = display(root);
        let excluded = RefCell::new(Vec::new());
        let walker = walkdir::WalkDir::new(root)
            .follow_links(self.follow_symlinks)
            // by name: entries of one directory share the parent prefix, so
            // comparing whole paths as bytes orders them by file name
            // without re-parsing each path into components
            .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
            .into_iter()
            .filter_entry(|e| {
                if self.excludes.is_none() || e.depth() == 0 {
                    return true;
                }
                let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                if self.excluded(rel) {
                    excluded.borrow_mut().push(display(e.path()));
                    false
                } else {
                    true
                }
            });
        let mut keep_going = true;
        for item in walker {
            let entry = match item {
                Ok(e) => e,
                Err(err) => {
                    let path = err.path().map(display).unwrap_or_else(|| display(root));
                    let e = if err.loop_ancestor().is_some() {
                        Entry::Skip {
                            display: path,
                            reason: SkipReason::SymlinkLoop,
                        }
                    } else {
                        let is_link = err
                            .path()
                            .and_then(|p| p.symlink_metadata().ok())
                            .is_some_and(|m| m.file_type().is_symlink());
                        let io = err
                            .into_io_error()
                            .unwrap_or_else(|| io::Error::other("walk error"));
                        match io.kind() {
                            io::ErrorKind::NotFound if is_link => Entry::Skip {
                                display: path,
                                reason: SkipReason::BrokenSymlink,
                            },
                            io::ErrorKind::NotFound => Entry::Skip {
                                display: path,
                                reason: SkipReason::Vanished,
                            },
                            _ if io.raw_os_error() == Some(libc::ELOOP) => Entry::Skip {
                                display: path,
                                reason: SkipReason::SymlinkLoop,
                            },
                            _ => Entry::Fail {
                                display: path,
                                error: io,
                            },
                        }
                    };
                    keep_going = emit(e);
                    if !keep_going {
                        break;
                    }
                    continue;
                }
            };
            let ft = entry.file_type();
            if ft.is_dir() {
                if entry.depth() > 0 && name_may_hold_identifier(entry.file_name()) {
                    // a folder named after an identifier: its name is scanned
                    let shown = display(entry.path());
                    let rel = rel_in(&shown, &root_shown).unwrap_or(&shown).to_string();
                    keep_going = emit(Entry::File {
                        source: Box::new(NameOnly),
                        display: shown,
                        rel,
                    });
                    if !keep_going {
                        break;
                    }
                }
                continue;
            }
            let is_report = self.skip_file.as_ref().is_some_and(|(name, dev, ino)| {
                entry.file_name() == name.as_os_str()
                    && std::fs::metadata(entry.path()).is_ok_and(|m| {
                        use std::os::unix::fs::MetadataExt;
                        (m.dev(), m.ino()) == (*dev, *ino)
                    })
            });
            let path = entry.into_path();
            let e = if is_report {
                Entry::Skip {
                    display: display(&path),
                    reason: SkipReason::OwnReport,
                }
            } else if ft.is_symlink() {
                Entry::Skip {
                    display: display(&path),
                    reason: SkipReason::Symlink,
                }
            } else if let Some(reason) = special_reason(&ft) {
                Entry::Skip {
                    display: display(&path),
                    reason,
                }
            } else {
                // the size limit is checked by the scanner, on the open file
                let shown = display(&path);
                let rel = rel_in(&shown, &root_shown)
                    .map(str::to_string)
                    .unwrap_or_else(|| display(path.strip_prefix(root).unwrap_or(&path)));
                Entry::File {
                    source: Box::new(FileSource {
                        path,
                        listed: !self.follow_symlinks,
                    }),
                    display: shown,
                    rel,
                }
            };
            // report exclusions in walk order, as they were met
            let met: Vec<String> = excluded.borrow_mut().drain(..).collect();
            for display in met {
                keep_going &= emit(Entry::Skip {
                    display,
                    reason: SkipReason::Excluded,
                });
            }
            keep_going &= emit(e);
            if !keep_going {
                break;
            }
        }
        for display in excluded.into_inner() {
            keep_going &= emit(Entry::Skip {
                display,
                reason: SkipReason::Excluded,
            });
        }
        keep_going
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
