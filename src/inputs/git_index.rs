//! The git index as an input, for `--staged`: the content about to be committed, read from the git index
//! (not the working tree, which may differ), one blob at a time.

use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};

use super::fs::WalkOptions;
use super::{Entry, Enumerator, Input, OpenOptions, Source};
use crate::outcome::{Outcome, SkipReason};

/// A staged file: a blob scanned under the path it is staged at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagedBlob {
    /// The path relative to the top level, as `git diff --cached` shows it.
    pub path: String,
    /// The blob's object id.
    pub oid: String,
}

/// The git index as an input: each staged blob, in `git diff` order;
/// excluded paths are skipped.
#[derive(Debug, Default)]
pub struct GitIndex {
    /// The staged blobs (see [`staged_blobs`]).
    pub blobs: Vec<StagedBlob>,
    /// Its excludes apply to the staged paths.
    pub options: WalkOptions,
}

impl Enumerator for GitIndex {
    fn enumerate(&self, emit: &mut dyn FnMut(Entry) -> bool) {
        for b in &self.blobs {
            let e = if self.options.named_excluded(&b.path) {
                Entry::Skip {
                    display: b.path.clone(),
                    reason: SkipReason::Excluded,
                }
            } else {
                Entry::File {
                    source: Box::new(BlobSource(b.oid.clone())),
                    display: b.path.clone(),
                    rel: b.path.clone(),
                }
            };
            if !emit(e) {
                return;
            }
        }
    }
}

/// A blob in the git object store, by object id.
#[derive(Debug, Clone)]
pub struct BlobSource(pub String);

impl Source for BlobSource {
    fn open(&self, _opts: &OpenOptions) -> Result<Box<dyn Input>, Outcome> {
        Blob::open(&self.0)
            .map(|b| Box::new(b) as Box<dyn Input>)
            .map_err(Outcome::failed)
    }
}

impl Input for Blob {
    fn finish(self: Box<Self>) -> io::Result<()> {
        Blob::finish(*self)
    }
}

/// Why the staged files could not be listed.
#[derive(Debug, thiserror::Error)]
pub enum StagedError {
    /// git could not be run.
    #[error("--staged needs git: {0}")]
    NoGit(io::Error),
    /// git ran and failed.
    #[error("--staged: `git {command}` failed: {stderr}")]
    Git {
        /// The git command line, without `git`.
        command: String,
        /// What git said.
        stderr: String,
    },
}

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, StagedError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(StagedError::NoGit)?;
    if !out.status.success() {
        return Err(StagedError::Git {
            command: args.join(" "),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    Ok(out.stdout)
}

/// The top level of the work tree containing `dir`.
pub fn toplevel(dir: &Path) -> Result<PathBuf, StagedError> {
    let out = git(dir, &["rev-parse", "--show-toplevel"])?;
    Ok(PathBuf::from(String::from_utf8_lossy(&out).trim_end()))
}

/// Files added, copied, modified or renamed in the index of the repository
/// at `top`, as blobs under their paths (relative to `top`). Symbolic links
/// and submodules hold no file content and are left out.
pub fn staged_blobs(top: &Path) -> Result<Vec<StagedBlob>, StagedError> {
    let raw = git(
        top,
        &[
            "diff",
            "--cached",
            "--raw",
            "-z",
            "--no-abbrev",
            "--no-renames",
            "--diff-filter=ACMR",
        ],
    )?;
    Ok(parse_raw(&raw))
}

/// Parses `git diff --raw -z`: `:old_mode new_mode old_oid new_oid status\0path\0`.
fn parse_raw(raw: &[u8]) -> Vec<StagedBlob> {
    let mut out = Vec::new();
    let mut fields = raw.split(|&b| b == 0);
    while let Some(meta) = fields.next() {
        if meta.is_empty() {
            continue;
        }
        let Some(path) = fields.next() else { break };
        let meta = String::from_utf8_lossy(meta);
        let parts: Vec<&str> = meta.trim_start_matches(':').split(' ').collect();
        if parts.len() < 5 {
            continue;
        }
        let (new_mode, new_oid) = (parts[1], parts[3]);
        if !new_mode.starts_with("100") {
            continue; // 120000 symlink, 160000 submodule
        }
        out.push(StagedBlob {
            path: crate::names::text(path).into_owned(),
            oid: new_oid.to_string(),
        });
    }
    out
}

/// A blob's content, streamed from `git cat-file` (bounded memory).
pub struct Blob {
    child: Child,
    stdout: ChildStdout,
}

impl Blob {
    /// Starts `git cat-file blob OID`.
    pub fn open(oid: &str) -> io::Result<Blob> {
        let mut child = Command::new("git")
            .args(["cat-file", "blob", oid])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdout = child.stdout.take().expect("piped stdout");
        Ok(Blob { child, stdout })
    }

    /// Waits for git; an error if it failed (so a short read is not taken
    /// for the whole file).
    pub fn finish(mut self) -> io::Result<()> {
        io::copy(&mut self.stdout, &mut io::sink())?;
        let status = self.child.wait()?;
        if status.success() {
            Ok(())
        } else {
            Err(io::Error::other(format!("git cat-file failed ({status})")))
        }
    }
}

impl Read for Blob {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.stdout.read(buf)
    }
}

impl Drop for Blob {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_raw_diff_and_leaves_out_links() {
        let oid = "a".repeat(40);
        let zero = "0".repeat(40);
        let raw = format!(
            ":000000 100644 {zero} {oid} A\0dir/new file.txt\0\
             :100644 100755 {oid} {oid} M\0run.sh\0\
             :000000 120000 {zero} {oid} A\0link\0\
             :000000 160000 {zero} {oid} A\0sub\0"
        );
        let roots = parse_raw(raw.as_bytes());
        let paths: Vec<&str> = roots
            .iter()
            .map(|r| {
                assert_eq!(r.oid, oid);
                r.path.as_str()
            })
            .collect();
        assert_eq!(paths, ["dir/new file.txt", "run.sh"]);
    }
}
