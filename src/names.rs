//! Names as text, without loss: a file, folder or member name that is not
//! valid UTF-8 keeps each byte that is not part of a valid sequence as a
//! character of its own, so that two names that differ only in such bytes
//! stay two names (in findings, fingerprints, baselines and reports).
//!
//! A byte `0xNN` (always 0x80..=0xFF: ASCII is valid UTF-8) becomes the
//! private-use character U+10FFNN, which nothing else produces: Unix file
//! names are bytes, and `String::from_utf8_lossy` would map every such
//! byte to the same U+FFFD. [`crate::redact::name`] shows it as `\xNN`.

use std::borrow::Cow;
use std::path::Path;

/// The first of the 128 characters that stand for the bytes 0x80..=0xFF.
const BASE: u32 = 0x10_FF00;

/// `bytes` as text: valid UTF-8 as it is (borrowed), every byte of an
/// invalid sequence as its stand-in character ([`byte_of`] gives it back).
pub fn text(bytes: &[u8]) -> Cow<'_, str> {
    let mut chunks = bytes.utf8_chunks();
    let Some(first) = chunks.next() else {
        return Cow::Borrowed("");
    };
    if first.invalid().is_empty() {
        return Cow::Borrowed(first.valid());
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in std::iter::once(first).chain(chunks) {
        out.push_str(chunk.valid());
        out.extend(chunk.invalid().iter().map(|&b| stand_in(b)));
    }
    Cow::Owned(out)
}

/// A path as text, by [`text`] (Unix: its bytes; elsewhere the platform's
/// lossy form, where paths are Unicode already).
pub fn path(path: &Path) -> Cow<'_, str> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        text(path.as_os_str().as_bytes())
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy()
    }
}

/// The character that stands for the byte `b` (0x80..=0xFF).
fn stand_in(b: u8) -> char {
    char::from_u32(BASE + u32::from(b)).unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// The byte that `c` stands for, if it is a stand-in from [`text`].
pub fn byte_of(c: char) -> Option<u8> {
    let n = u32::from(c);
    (BASE + 0x80..=BASE + 0xff)
        .contains(&n)
        .then(|| (n - BASE) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_names_are_borrowed() {
        assert!(matches!(text("給与_2024.csv".as_bytes()), Cow::Borrowed(_)));
        assert_eq!(text(b""), "");
    }

    #[test]
    fn invalid_bytes_stay_distinct() {
        let a = text(b"a\x80.txt");
        let b = text(b"a\x81.txt");
        assert_ne!(a, b);
        assert_eq!(a.chars().nth(1).and_then(byte_of), Some(0x80));
        // a truncated multi-byte sequence: every byte kept
        let t = text(b"x\xe3\x81");
        let bytes: Vec<u8> = t.chars().filter_map(byte_of).collect();
        assert_eq!(bytes, [0xe3, 0x81]);
        assert_eq!(byte_of('a'), None);
        assert_eq!(byte_of('\u{10ff7f}'), None);
    }

    #[test]
    fn shift_jis_bytes_are_kept() {
        // 給与 in Shift_JIS: not UTF-8
        let t = text(b"\x8b\x8b\x97^.csv");
        assert_eq!(t.chars().filter_map(byte_of).count(), 3);
        assert!(t.ends_with("^.csv"));
    }
}
