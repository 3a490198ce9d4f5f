//! Archives and compressed files: zip, tar, gzip (tar.gz, concatenated
//! members), bzip2, xz and zstd (pure-Rust decoders). Their members are streamed through the scanner like files,
//! never unpacked to disk, nested up to a depth limit.
//!
//! Limits guard against decompression bombs: entries per archive, bytes
//! inflated per archive, the inflation ratio of a member, and the nesting
//! depth. A member that hits a limit, is encrypted or corrupt becomes a
//! [`MemberIssue`] (skipped or failed, with the reason): never silent.

use std::io::{self, Read};

use crate::summary::SkipReason;

/// What kind of container a file is, from its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Zip,
    Gzip,
    Tar,
    Bzip2,
    Xz,
    Zstd,
}

/// Recognises a container by its magic bytes.
pub fn detect(head: &[u8]) -> Option<Kind> {
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        Some(Kind::Zip)
    } else if head.starts_with(b"\x1f\x8b") {
        Some(Kind::Gzip)
    } else if head.len() >= 4 && head.starts_with(b"BZh") && (b'1'..=b'9').contains(&head[3]) {
        Some(Kind::Bzip2)
    } else if head.starts_with(b"\xFD7zXZ\x00") {
        Some(Kind::Xz)
    } else if head.starts_with(b"\x28\xB5\x2F\xFD") {
        Some(Kind::Zstd)
    } else if head.len() >= 262 && &head[257..262] == b"ustar" {
        Some(Kind::Tar)
    } else {
        None
    }
}

/// Limits on what one archive may expand to.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Nesting depth: a container inside a container inside a file is 2.
    pub max_depth: u8,
    /// Members of one archive looked at; the rest are one skipped record.
    pub max_entries: usize,
    /// Bytes inflated from one archive (all members, nested included).
    pub max_total_bytes: u64,
    /// A member inflating to more than this many times its compressed size
    /// (once past `ratio_floor` bytes) is a bomb.
    pub max_ratio: u64,
    pub ratio_floor: u64,
    /// Largest nested zip, PDF or mail message read into memory (a zip
    /// needs random access): two workers stay well under 100 MB.
    pub max_in_memory: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_depth: 3,
            max_entries: 100_000,
            max_total_bytes: 16 << 30,
            max_ratio: 200,
            ratio_floor: 64 << 20,
            max_in_memory: 32 << 20,
        }
    }
}

/// A member that was not scanned, or not completely.
#[derive(Debug)]
pub struct MemberIssue {
    /// The member's path inside the file, nested levels joined with `!/`.
    pub member: String,
    pub issue: Issue,
}

#[derive(Debug)]
pub enum Issue {
    Skipped(SkipReason),
    Failed {
        kind: &'static str,
        error: io::Error,
    },
}

/// A member name as text: UTF-8, else CP932 (Japanese Windows zips).
pub fn member_name(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => {
            let (text, _, _) = encoding_rs::SHIFT_JIS.decode(raw);
            text.into_owned()
        }
    }
}

/// Counts bytes read through it and stops with an error past a limit.
pub struct Metered<R> {
    inner: R,
    pub read: u64,
    limit: u64,
}

/// The error a [`Metered`] reader returns at its limit.
#[derive(Debug)]
pub struct LimitHit;

impl std::fmt::Display for LimitHit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("inflated size limit reached (decompression bomb?)")
    }
}

impl std::error::Error for LimitHit {}

impl<R: Read> Metered<R> {
    pub fn new(inner: R, limit: u64) -> Metered<R> {
        Metered {
            inner,
            read: 0,
            limit,
        }
    }
}

impl<R: Read> Read for Metered<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.read >= self.limit {
            return Err(io::Error::other(LimitHit));
        }
        let room = (self.limit - self.read).min(buf.len() as u64) as usize;
        let n = self.inner.read(&mut buf[..room])?;
        self.read += n as u64;
        Ok(n)
    }
}

/// Turns a read error into the end of the stream, keeping the error: what
/// was read of a truncated or corrupt member is still scanned, and the
/// member is then reported as failed.
pub struct Salvage<R> {
    inner: R,
    pub error: Option<io::Error>,
}

impl<R: Read> Salvage<R> {
    pub fn new(inner: R) -> Salvage<R> {
        Salvage { inner, error: None }
    }
}

impl<R: Read> Salvage<Metered<R>> {
    /// Bytes the metered reader let through.
    pub fn inner_read(&self) -> u64 {
        self.inner.read
    }
}

impl<R: Read> Read for Salvage<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.error.is_some() {
            return Ok(0);
        }
        loop {
            match self.inner.read(buf) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.error = Some(e);
                    return Ok(0);
                }
                ok => return ok,
            }
        }
    }
}

/// Whether an I/O error is a [`Metered`] limit.
pub fn is_limit(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<LimitHit>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_magic() {
        assert_eq!(detect(b"PK\x03\x04rest"), Some(Kind::Zip));
        assert_eq!(detect(b"\x1f\x8b\x08\x00"), Some(Kind::Gzip));
        let mut tar = vec![0u8; 512];
        tar[257..262].copy_from_slice(b"ustar");
        assert_eq!(detect(&tar), Some(Kind::Tar));
        assert_eq!(detect(b"BZh91AY&SY"), Some(Kind::Bzip2));
        assert_eq!(detect(b"\xFD7zXZ\x00\x00"), Some(Kind::Xz));
        assert_eq!(detect(b"\x28\xB5\x2F\xFD\x04"), Some(Kind::Zstd));
        assert_eq!(detect(b"BZh is not bzip2"), None);
        assert_eq!(detect(b"plain text"), None);
    }

    #[test]
    fn cp932_member_names() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("従業員/マイナンバー.csv");
        assert_eq!(member_name(&sjis), "従業員/マイナンバー.csv");
        assert_eq!(member_name("a/b.txt".as_bytes()), "a/b.txt");
    }

    #[test]
    fn metered_stops_at_its_limit() {
        let data = [7u8; 100];
        let mut m = Metered::new(&data[..], 40);
        let mut out = Vec::new();
        let e = m.read_to_end(&mut out).unwrap_err();
        assert!(is_limit(&e));
        assert_eq!(out.len(), 40);
    }
}
