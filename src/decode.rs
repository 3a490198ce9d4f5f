//! Text encodings: decides from a file's first bytes how its text is encoded,
//! and decodes text that is not UTF-8 to UTF-8 as a stream, so that every
//! detector sees UTF-8 (Japanese keywords, digits, line breaks) whatever the
//! file's encoding.
//!
//! [`sniff`] looks at the head (the first 8 KiB), cheapest test first:
//!
//! 1. a byte-order mark: UTF-8, UTF-32LE/BE, UTF-16LE/BE;
//! 2. NUL bytes: UTF-32 without a BOM if every 4-byte unit is a text
//!    character; UTF-16 without a BOM if the NULs are the high bytes of
//!    ASCII characters (most odd or most even bytes zero) and the head
//!    decodes to plausible text; otherwise binary;
//! 3. only ASCII: UTF-8 (the fast path), unless ISO-2022-JP escape sequences
//!    switch to a Japanese character set;
//! 4. valid UTF-8 (a character cut by the end of the head is allowed), or
//!    nearly so (a few stray bytes among many UTF-8 characters): UTF-8;
//! 5. EBCDIC, told conservatively (by the bytes it uses), read as code
//!    page 037; Japanese EBCDIC (IBM CCSID 930/939/1390/1399: single-byte
//!    text with double-byte runs between shift-out 0x0E and shift-in 0x0F)
//!    read the same, its double-byte space and full-width Latin letters and
//!    digits (row 0x42 of IBM's host double-byte set) decoded, and every
//!    other double-byte character (kanji, kana) counted as not decoded
//!    ([`Transcoder::undecoded`]): the scan records it as a gap;
//! 6. otherwise a legacy encoding guessed by `chardetng` with a Japanese
//!    bias: Shift_JIS (CP932), EUC-JP, ... .
//!
//! UTF-8 text is scanned as it is, without a copy. Everything else goes
//! through a [`Transcoder`]: one `encoding_rs` decoder per file (UTF-32 and
//! EBCDIC, which encoding_rs does not have, are decoded here), fed the
//! file piece by piece into reused buffers (bounded memory whatever the file
//! size); a character split between two pieces is completed by the decoder.
//!
//! A file decided to be UTF-8 without a BOM (its head was ASCII or UTF-8)
//! is checked window by window with a SIMD UTF-8 validation; where a byte
//! sequence is not UTF-8 and the bytes from there are not UTF-8 with a few
//! stray bytes ([`redecide`]), the rest of the file, from the start of that
//! line, is decoded in the encoding guessed for it (a Shift_JIS CSV with a
//! long ASCII preamble). Its findings then record that encoding, and their
//! offsets count in the decoded text. ISO-2022-JP after an ASCII head is not
//! noticed (its bytes are ASCII).

use std::collections::HashMap;
use std::io::{self, Read};
use std::ops::Range;
use std::sync::{Mutex, OnceLock};

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{CoderResult, Decoder, Encoding};

/// Bytes of input handed to the decoder at a time (at most).
pub const DEFAULT_FEED: usize = 64 * 1024;
/// Decoded bytes buffered between the decoder and the reader.
const OUTPUT_LEN: usize = 64 * 1024;

/// How a file's text is encoded, as decided from its head.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextEncoding {
    encoding: &'static Encoding,
    /// An encoding encoding_rs does not have (it decodes what the web
    /// uses), decoded here; `None`: `encoding`.
    own: Option<Own>,
    /// Length of the byte-order mark the file starts with (0 if none).
    bom_len: usize,
}

/// The encodings decoded here rather than by encoding_rs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Own {
    /// UTF-32, little endian (`true`) or big endian.
    Utf32 { le: bool },
    /// EBCDIC text, read as code page 037 ([`CP037`]).
    Ebcdic,
    /// Japanese EBCDIC: code page 037 with double-byte runs between
    /// shift-out and shift-in.
    EbcdicJapanese,
}

impl TextEncoding {
    /// UTF-8 without a BOM (or ASCII).
    pub const UTF_8: TextEncoding = TextEncoding {
        encoding: encoding_rs::UTF_8,
        own: None,
        bom_len: 0,
    };

    /// `encoding`, with a byte-order mark of `bom_len` bytes at the start of the
    /// file (0 if none).
    pub const fn new(encoding: &'static Encoding, bom_len: usize) -> TextEncoding {
        TextEncoding {
            encoding,
            own: None,
            bom_len,
        }
    }

    /// UTF-32 little endian (`le`) or big endian, with a byte-order mark of
    /// `bom_len` bytes (4 or 0).
    pub const fn utf32(le: bool, bom_len: usize) -> TextEncoding {
        TextEncoding {
            encoding: encoding_rs::UTF_8,
            own: Some(Own::Utf32 { le }),
            bom_len,
        }
    }

    /// EBCDIC (IBM code page 037, whose letters, digits and common
    /// punctuation the other single-byte EBCDIC pages share).
    pub const EBCDIC: TextEncoding = TextEncoding {
        encoding: encoding_rs::UTF_8,
        own: Some(Own::Ebcdic),
        bom_len: 0,
    };

    /// Japanese EBCDIC (IBM CCSID 939 and its kin): [`TextEncoding::EBCDIC`]
    /// whose head has double-byte runs (shift-out 0x0E … shift-in 0x0F).
    pub const EBCDIC_JAPANESE: TextEncoding = TextEncoding {
        encoding: encoding_rs::UTF_8,
        own: Some(Own::EbcdicJapanese),
        bom_len: 0,
    };

    /// The encoding_rs encoding; `None` for one decoded by leakscan itself
    /// (UTF-32, EBCDIC).
    pub fn encoding(&self) -> Option<&'static Encoding> {
        self.own.is_none().then_some(self.encoding)
    }

    /// Bytes of the byte-order mark at the start of the file.
    pub fn bom_len(&self) -> usize {
        self.bom_len
    }

    /// UTF-8 (with or without BOM): scanned as is, not decoded.
    pub fn is_utf8(&self) -> bool {
        self.own.is_none() && self.encoding == encoding_rs::UTF_8
    }

    /// The name in lower case: the WHATWG one (`utf-8`, `utf-16le`,
    /// `shift_jis`, ...), or `utf-32le`, `utf-32be`, `ibm037`, `ibm939`
    /// (Japanese EBCDIC).
    pub fn name(&self) -> &'static str {
        match self.own {
            None => lower_name(self.encoding),
            Some(Own::Utf32 { le: true }) => "utf-32le",
            Some(Own::Utf32 { le: false }) => "utf-32be",
            Some(Own::Ebcdic) => "ibm037",
            Some(Own::EbcdicJapanese) => "ibm939",
        }
    }
}

/// The lower-case WHATWG name of an encoding, as a `&'static str`.
pub fn lower_name(enc: &'static Encoding) -> &'static str {
    const KNOWN: [(&Encoding, &str); 6] = [
        (encoding_rs::UTF_8, "utf-8"),
        (encoding_rs::UTF_16LE, "utf-16le"),
        (encoding_rs::UTF_16BE, "utf-16be"),
        (encoding_rs::SHIFT_JIS, "shift_jis"),
        (encoding_rs::EUC_JP, "euc-jp"),
        (encoding_rs::ISO_2022_JP, "iso-2022-jp"),
    ];
    if let Some((_, name)) = KNOWN.iter().find(|(e, _)| *e == enc) {
        return name;
    }
    // Other legacy encodings a guess may return (windows-1252, gbk, ...):
    // interned, at most one small string per encoding for the whole run.
    static OTHERS: OnceLock<Mutex<HashMap<&'static str, &'static str>>> = OnceLock::new();
    let mut others = OTHERS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    others
        .entry(enc.name())
        .or_insert_with(|| Box::leak(enc.name().to_ascii_lowercase().into_boxed_str()))
}

/// What the head of a file says it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sniffed {
    /// Text, in this encoding.
    Text(TextEncoding),
    /// Binary content (a NUL byte that is not UTF-16 text).
    Binary,
}

/// Decides from `head` (the first bytes of a file) how it is encoded.
/// `complete` says that `head` is the whole file, so a multi-byte character
/// cut at its end is an error rather than the head's edge.
pub fn sniff(head: &[u8], complete: bool) -> Sniffed {
    if let Some(enc) = from_bom(head) {
        return Sniffed::Text(enc);
    }
    if memchr::memchr(0, head).is_some() {
        return utf32_without_bom(head, complete)
            .or_else(|| utf16_without_bom(head, complete))
            .or_else(|| nul_padded_utf8(head))
            .map_or(Sniffed::Binary, Sniffed::Text);
    }
    let ascii = Encoding::ascii_valid_up_to(head);
    if ascii == head.len() {
        if memchr::memchr(0x1B, head).is_some() && is_iso_2022_jp(head) {
            return Sniffed::Text(TextEncoding::new(encoding_rs::ISO_2022_JP, 0));
        }
        return Sniffed::Text(TextEncoding::UTF_8);
    }
    if is_mostly_utf8(&head[ascii..], complete) {
        return Sniffed::Text(TextEncoding::UTF_8);
    }
    match ebcdic(head) {
        Some(false) => return Sniffed::Text(TextEncoding::EBCDIC),
        Some(true) => return Sniffed::Text(TextEncoding::EBCDIC_JAPANESE),
        None => {}
    }
    Sniffed::Text(guess_legacy(head, complete))
}

/// EBCDIC text (a mainframe export, IBM i), told conservatively: at least
/// 32 bytes, no byte under 0x40 but EBCDIC's tab, line feed, new line,
/// form feed and carriage return (ASCII text has spaces and digits there),
/// no 0xFF, at least four in five bytes EBCDIC letters, digits or spaces,
/// and at most one in twenty a byte that only accented letters and rare
/// signs use (Shift_JIS and EUC-JP text, whose bytes spread over the whole
/// high half, fail this at once). Double-byte runs between shift-out
/// (0x0E) and shift-in (0x0F) are allowed when every byte in them is a
/// host double-byte code's (0x40..=0xFE) and they pair up; their bytes
/// count neither way, but at least 32 single bytes must remain.
/// `Some(true)`: EBCDIC with double-byte runs (Japanese), `Some(false)`:
/// single-byte EBCDIC, `None`: not EBCDIC.
fn ebcdic(head: &[u8]) -> Option<bool> {
    if head.len() < 32 {
        return None;
    }
    let (mut common, mut rare, mut single) = (0usize, 0usize, 0usize);
    let (mut dbcs, mut shifted, mut run) = (false, false, 0usize);
    for &b in head {
        if dbcs {
            match b {
                0x0F if run % 2 == 0 => dbcs = false,
                0x40..=0xFE => run += 1,
                _ => return None,
            }
            continue;
        }
        if b == 0x0E {
            (dbcs, shifted, run) = (true, true, 0);
            continue;
        }
        single += 1;
        match b {
            0x05 | 0x0C | 0x0D | 0x15 | 0x25 => {}
            0x00..=0x3F | 0xFF => return None,
            0x40
            | 0x81..=0x89
            | 0x91..=0x99
            | 0xA2..=0xA9
            | 0xC1..=0xC9
            | 0xD1..=0xD9
            | 0xE2..=0xE9
            | 0xF0..=0xF9 => common += 1,
            0x41..=0x4A
            | 0x51..=0x59
            | 0x62..=0x6A
            | 0x70..=0x79
            | 0x80
            | 0x8A..=0x90
            | 0x9A..=0xA1
            | 0xAA..=0xC0
            | 0xCA..=0xD0
            | 0xDA..=0xE1
            | 0xEA..=0xEF
            | 0xFA..=0xFE => rare += 1,
            _ => {} // punctuation
        }
    }
    (single >= 32 && common * 5 >= single * 4 && rare * 20 <= single).then_some(shifted)
}

/// Whether `head` is EBCDIC text, single-byte or Japanese ([`ebcdic`]).
#[cfg(test)]
fn is_ebcdic(head: &[u8]) -> bool {
    ebcdic(head).is_some()
}

/// IBM code page 037 (EBCDIC, US/Canada) to Latin-1 / Unicode, byte by
/// byte, as Python's `cp037` codec maps it (IBM CDRA), except that new line
/// (0x15, U+0085) reads as a line feed, as the line feed (0x25) does:
/// records end with either.
const CP037: [u8; 256] = [
    0x00, 0x01, 0x02, 0x03, 0x9C, 0x09, 0x86, 0x7F, 0x97, 0x8D, 0x8E, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
    0x10, 0x11, 0x12, 0x13, 0x9D, 0x0A, 0x08, 0x87, 0x18, 0x19, 0x92, 0x8F, 0x1C, 0x1D, 0x1E, 0x1F,
    0x80, 0x81, 0x82, 0x83, 0x84, 0x0A, 0x17, 0x1B, 0x88, 0x89, 0x8A, 0x8B, 0x8C, 0x05, 0x06, 0x07,
    0x90, 0x91, 0x16, 0x93, 0x94, 0x95, 0x96, 0x04, 0x98, 0x99, 0x9A, 0x9B, 0x14, 0x15, 0x9E, 0x1A,
    0x20, 0xA0, 0xE2, 0xE4, 0xE0, 0xE1, 0xE3, 0xE5, 0xE7, 0xF1, 0xA2, 0x2E, 0x3C, 0x28, 0x2B, 0x7C,
    0x26, 0xE9, 0xEA, 0xEB, 0xE8, 0xED, 0xEE, 0xEF, 0xEC, 0xDF, 0x21, 0x24, 0x2A, 0x29, 0x3B, 0xAC,
    0x2D, 0x2F, 0xC2, 0xC4, 0xC0, 0xC1, 0xC3, 0xC5, 0xC7, 0xD1, 0xA6, 0x2C, 0x25, 0x5F, 0x3E, 0x3F,
    0xF8, 0xC9, 0xCA, 0xCB, 0xC8, 0xCD, 0xCE, 0xCF, 0xCC, 0x60, 0x3A, 0x23, 0x40, 0x27, 0x3D, 0x22,
    0xD8, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0xAB, 0xBB, 0xF0, 0xFD, 0xFE, 0xB1,
    0xB0, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70, 0x71, 0x72, 0xAA, 0xBA, 0xE6, 0xB8, 0xC6, 0xA4,
    0xB5, 0x7E, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0xA1, 0xBF, 0xD0, 0xDD, 0xDE, 0xAE,
    0x5E, 0xA3, 0xA5, 0xB7, 0xA9, 0xA7, 0xB6, 0xBC, 0xBD, 0xBE, 0x5B, 0x5D, 0xAF, 0xA8, 0xB4, 0xD7,
    0x7B, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0xAD, 0xF4, 0xF6, 0xF2, 0xF3, 0xF5,
    0x7D, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F, 0x50, 0x51, 0x52, 0xB9, 0xFB, 0xFC, 0xF9, 0xFA, 0xFF,
    0x5C, 0xF7, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0xB2, 0xD4, 0xD6, 0xD2, 0xD3, 0xD5,
    0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0xB3, 0xDB, 0xDC, 0xD9, 0xDA, 0x9F,
];

/// UTF-32 without a BOM: every code unit a character (at most U+10FFFF,
/// so the high byte is zero and the next at most 0x10) that is text: no
/// NUL, no control but tab, line breaks, form feed and escape, no
/// surrogate, no U+FFFE / U+FFFF. UTF-16 text fails this at once (two
/// characters make one unit over U+10FFFF), and so does binary data with
/// small numbers in it (controls).
fn utf32_without_bom(head: &[u8], complete: bool) -> Option<TextEncoding> {
    let units = head.chunks_exact(4);
    if head.len() < 16 || complete && !units.remainder().is_empty() {
        return None;
    }
    let le = head[3] == 0 && head[2] <= 0x10;
    let text = units.into_iter().all(|u| {
        let u = if le {
            u32::from_le_bytes([u[0], u[1], u[2], u[3]])
        } else {
            u32::from_be_bytes([u[0], u[1], u[2], u[3]])
        };
        match char::from_u32(u) {
            Some('\t' | '\n' | '\x0C' | '\r' | '\x1B') => true,
            Some(c) => !c.is_control() && !matches!(u, 0xFFFE | 0xFFFF),
            None => false,
        }
    });
    text.then(|| TextEncoding::utf32(le, 0))
}

/// UTF-8 text with runs of NULs in it: a log preallocated or padded with
/// zeros after a crash (ripgrep issue 1227), a text file with a zeroed
/// block. The bytes that are not NUL must be text — valid UTF-8, with no
/// control character but tab, line breaks, form feed and escape — and at
/// least 16 of them; NULs must come in runs (NULs between single characters
/// are UTF-16 or UTF-32, not this). Binary formats fail on their first
/// control or non-UTF-8 byte.
fn nul_padded_utf8(head: &[u8]) -> Option<TextEncoding> {
    let text: Vec<u8> = head.iter().copied().filter(|&b| b != 0).collect();
    if text.len() < 16 {
        return None;
    }
    let control = |b: &u8| *b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b);
    if text.iter().any(control) || text.contains(&0x7f) {
        return None;
    }
    // runs, not interleaving: most NULs have a NUL neighbour
    let nuls = head.iter().filter(|&&b| b == 0).count();
    let lone = head
        .windows(3)
        .filter(|w| w[1] == 0 && w[0] != 0 && w[2] != 0)
        .count();
    if lone * 4 > nuls {
        return None;
    }
    // (a character cut by the end of the head is fine)
    match std::str::from_utf8(&text) {
        Ok(_) => Some(TextEncoding::UTF_8),
        Err(e) if e.error_len().is_none() => Some(TextEncoding::UTF_8),
        Err(_) => None,
    }
}

fn from_bom(head: &[u8]) -> Option<TextEncoding> {
    // UTF-32's marks first: UTF-32LE's starts like UTF-16LE's
    if head.starts_with(b"\xFF\xFE\0\0") {
        return Some(TextEncoding::utf32(true, 4));
    }
    if head.starts_with(b"\0\0\xFE\xFF") {
        return Some(TextEncoding::utf32(false, 4));
    }
    let (enc, len) = Encoding::for_bom(head)?;
    Some(TextEncoding::new(enc, len))
}

/// An escape sequence that switches ISO-2022-JP to a Japanese set:
/// JIS X 0208 (`ESC $ B`, `ESC $ @`), JIS X 0212 (`ESC $ ( D`) or
/// half-width katakana (`ESC ( I`). ANSI colours (`ESC [`) are not.
fn is_iso_2022_jp(head: &[u8]) -> bool {
    memchr::memchr_iter(0x1B, head).any(|i| {
        let rest = &head[i + 1..];
        rest.starts_with(b"$B")
            || rest.starts_with(b"$@")
            || rest.starts_with(b"$(D")
            || rest.starts_with(b"(I")
    })
}

/// Is `bytes` UTF-8, allowing a character cut at the end (unless
/// `complete`) and a few stray bytes among many UTF-8 characters (a log
/// with one corrupt line stays UTF-8, so its Japanese keywords still match)?
fn is_mostly_utf8(bytes: &[u8], complete: bool) -> bool {
    let mut rest = bytes;
    let mut errors = 0usize;
    let mut multibyte = 0usize;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                multibyte += count_multibyte(s);
                break;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                multibyte += count_multibyte(std::str::from_utf8(valid).unwrap_or(""));
                match e.error_len() {
                    Some(n) => {
                        errors += 1;
                        rest = &after[n..];
                    }
                    None => {
                        // a character cut by the end of the input
                        if complete {
                            errors += 1;
                        }
                        break;
                    }
                }
            }
        }
    }
    errors == 0 || multibyte >= 16 * errors
}

fn count_multibyte(s: &str) -> usize {
    s.bytes().filter(|&b| b >= 0xC0).count()
}

/// The first byte of `buf[owned]` that starts no valid UTF-8 character, if
/// any. A character cut by the start or the end of `owned` is read whole
/// (from the bytes around it); one cut by the end of `buf` is no error.
pub fn first_non_utf8(buf: &[u8], owned: Range<usize>) -> Option<usize> {
    let continuation = |i: usize| buf.get(i).is_some_and(|&b| b & 0xC0 == 0x80);
    // back to the lead byte of a character cut by the window's start
    let mut from = owned.start;
    while from > 0 && owned.start - from < 3 && continuation(from) {
        from -= 1;
    }
    if continuation(from) {
        from = owned.start; // no lead byte: invalid from the window's start
    }
    let to = (owned.end + 3).min(buf.len());
    let valid = from + Encoding::utf8_valid_up_to(&buf[from..to]);
    if valid >= owned.end {
        return None;
    }
    let incomplete = |e: std::str::Utf8Error| e.error_len().is_none();
    if to == buf.len() && std::str::from_utf8(&buf[valid..to]).is_err_and(incomplete) {
        return None; // the stream's last character, not complete yet
    }
    // an error before the window belonged to the window before
    Some(valid.max(owned.start))
}

/// The encoding of the rest of a file that began as UTF-8 (its head),
/// from `rest`, the raw bytes from the line where it stopped being UTF-8:
/// `None` keeps UTF-8 (a few stray bytes, or binary junk with NULs).
pub fn redecide(rest: &[u8]) -> Option<TextEncoding> {
    let rest = &rest[..rest.len().min(crate::read::HEAD_LEN)];
    if memchr::memchr(0, rest).is_some() {
        return None;
    }
    let ascii = Encoding::ascii_valid_up_to(rest);
    if is_mostly_utf8(&rest[ascii..], false) {
        return None;
    }
    Some(guess_legacy(rest, false))
}

/// Shift_JIS, EUC-JP or another legacy encoding, as `chardetng` guesses it
/// with a Japanese bias (the `.jp` top-level domain), UTF-8 being excluded.
fn guess_legacy(head: &[u8], complete: bool) -> TextEncoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Allow);
    detector.feed(head, complete);
    TextEncoding::new(detector.guess(Some(b"jp"), Utf8Detection::Deny), 0)
}

/// UTF-16 without a BOM: ASCII characters make one byte of each pair zero
/// (the odd bytes in little endian, the even ones in big endian). Needs
/// zeros in at least an eighth of the pairs, nearly all on one side, and the
/// head to decode to text without stray control characters or unpaired
/// surrogates (binary files fail that at once).
fn utf16_without_bom(head: &[u8], complete: bool) -> Option<TextEncoding> {
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut zero_even, mut zero_odd) = (0usize, 0usize);
    for p in head.chunks_exact(2) {
        zero_even += usize::from(p[0] == 0);
        zero_odd += usize::from(p[1] == 0);
    }
    let (enc, zeros, other) = if zero_odd >= zero_even {
        (encoding_rs::UTF_16LE, zero_odd, zero_even)
    } else {
        (encoding_rs::UTF_16BE, zero_even, zero_odd)
    };
    if zeros * 8 < pairs || other * 16 > zeros {
        return None;
    }
    let le = enc == encoding_rs::UTF_16LE;
    plausible_utf16(head, le, complete).then(|| TextEncoding::new(enc, 0))
}

/// Do the code units of `head` form text: no C0 control but tab, line
/// feed, form feed, carriage return and escape, no NUL, no unpaired
/// surrogate, no U+FFFE / U+FFFF?
fn plausible_utf16(head: &[u8], le: bool, complete: bool) -> bool {
    let units: Vec<u16> = head
        .chunks_exact(2)
        .map(|p| {
            if le {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            }
        })
        .collect();
    let mut i = 0;
    while i < units.len() {
        let u = units[i];
        match u {
            0x09 | 0x0A | 0x0C | 0x0D | 0x1B => {}
            0x00..=0x1F | 0xFFFE | 0xFFFF => return false,
            0xD800..=0xDBFF => match units.get(i + 1) {
                Some(0xDC00..=0xDFFF) => i += 1,
                None if !complete => {}
                _ => return false,
            },
            0xDC00..=0xDFFF => return false,
            _ => {}
        }
        i += 1;
    }
    true
}

/// Decodes a stream to UTF-8 with one `encoding_rs` decoder per file, in
/// bounded memory; its buffers are reused from file to file.
pub struct Transcoder {
    decoder: Option<AnyDecoder>,
    /// Raw bytes not decoded yet: `input[in_start..in_end]`.
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    /// Decoded bytes not handed out yet: `output[out_start..out_end]`.
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    /// Most raw bytes read from the source at a time.
    feed: usize,
    raw_bytes: u64,
    /// Characters of the stream that no table here decodes (a Japanese
    /// EBCDIC kanji), each given as U+FFFD.
    undecoded: u64,
    input_eof: bool,
    done: bool,
}

impl Default for Transcoder {
    fn default() -> Transcoder {
        Transcoder::new(DEFAULT_FEED)
    }
}

impl Transcoder {
    /// A transcoder that reads at most `feed` raw bytes at a time (at least 1).
    pub fn new(feed: usize) -> Transcoder {
        Transcoder {
            decoder: None,
            input: Vec::new(),
            in_start: 0,
            in_end: 0,
            output: Vec::new(),
            out_start: 0,
            out_end: 0,
            feed: feed.max(1),
            raw_bytes: 0,
            undecoded: 0,
            input_eof: false,
            done: false,
        }
    }

    /// Starts decoding a stream in `enc` whose first bytes, `prefix`, were
    /// already read (the head); the rest comes from the reader given to
    /// [`Transcoder::reader`]. A byte-order mark is skipped.
    pub fn start(&mut self, enc: TextEncoding, prefix: &[u8]) {
        self.decoder = Some(match (enc.encoding(), enc.own) {
            (Some(e), _) => AnyDecoder::Web(e.new_decoder_without_bom_handling()),
            (None, Some(Own::Utf32 { le })) => AnyDecoder::Utf32 {
                le,
                unit: [0; 4],
                held: 0,
            },
            (None, _) => AnyDecoder::Ebcdic(Shift::default()),
        });
        self.undecoded = 0;
        let body = &prefix[enc.bom_len().min(prefix.len())..];
        self.input.clear();
        self.input.extend_from_slice(body);
        if self.input.len() < self.feed {
            self.input.resize(self.feed, 0);
        }
        self.in_start = 0;
        self.in_end = body.len();
        if self.output.len() < OUTPUT_LEN {
            self.output.resize(OUTPUT_LEN, 0);
        }
        self.out_start = 0;
        self.out_end = 0;
        self.raw_bytes = prefix.len() as u64;
        self.input_eof = false;
        self.done = false;
    }

    /// Characters read so far that no table here decodes (the double-byte
    /// kanji and kana of Japanese EBCDIC): text the detectors did not see,
    /// which the scan records as a gap.
    pub fn undecoded(&self) -> u64 {
        self.undecoded
    }

    /// Raw (undecoded) bytes read from the stream so far, the prefix included.
    pub fn raw_bytes(&self) -> u64 {
        self.raw_bytes
    }

    /// The decoded stream: reads raw bytes from `inner` as needed.
    pub fn reader<'s, R: Read>(&'s mut self, inner: &'s mut R) -> DecodedReader<'s, R> {
        DecodedReader { t: self, inner }
    }

    /// Reads the next piece of raw input (at most `feed` bytes).
    fn refill<R: Read>(&mut self, inner: &mut R) -> io::Result<()> {
        loop {
            match inner.read(&mut self.input[..self.feed]) {
                Ok(0) => {
                    self.input_eof = true;
                    self.in_start = 0;
                    self.in_end = 0;
                    return Ok(());
                }
                Ok(n) => {
                    self.in_start = 0;
                    self.in_end = n;
                    self.raw_bytes += n as u64;
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Decodes up to `feed` bytes of input into the (empty) output buffer.
    fn decode(&mut self) {
        let decoder = self.decoder.as_mut().expect("Transcoder::start was called");
        let end = self.in_end.min(self.in_start + self.feed);
        let last = self.input_eof && end == self.in_end;
        let (result, read, written) = decoder.decode_to_utf8(
            &self.input[self.in_start..end],
            &mut self.output,
            last,
            &mut self.undecoded,
        );
        self.in_start += read;
        self.out_start = 0;
        self.out_end = written;
        if last && result == CoderResult::InputEmpty {
            self.done = true;
        }
    }
}

/// A decoder of one stream: encoding_rs's, or one of leakscan's own.
enum AnyDecoder {
    /// encoding_rs.
    Web(Decoder),
    /// UTF-32: the bytes of a code unit not complete yet.
    Utf32 {
        le: bool,
        unit: [u8; 4],
        held: usize,
    },
    /// EBCDIC, byte by byte ([`CP037`]), double-byte runs by pairs.
    Ebcdic(Shift),
}

/// Where an EBCDIC decoder is: in a double-byte run (after shift-out),
/// and the first byte of a pair read there.
#[derive(Clone, Copy, Debug, Default)]
struct Shift {
    dbcs: bool,
    lead: Option<u8>,
}

/// A pair of a host double-byte run as text: the double-byte space
/// (0x4040) as U+3000; row 0x42, the full-width forms of the single-byte
/// set's characters, as those forms (`0x42F1` is `１`); `None` for any
/// other (kanji, kana, symbols: IBM's tables for them are not here).
fn dbcs_char(lead: u8, trail: u8) -> Option<char> {
    match (lead, trail) {
        (0x40, 0x40) => Some('\u{3000}'),
        (0x42, t) => {
            let c = CP037[usize::from(t)];
            (0x21..=0x7E)
                .contains(&c)
                .then(|| char::from_u32(0xFF01 + u32::from(c - 0x21)))
                .flatten()
        }
        _ => None,
    }
}

/// EBCDIC to UTF-8 ([`AnyDecoder::Ebcdic`]): what of `src` fits in `dst`;
/// shift-out and shift-in switch to and from double-byte runs and give no
/// text; a pair there that [`dbcs_char`] cannot read is U+FFFD, counted
/// in `undecoded`.
fn ebcdic_to_utf8(
    shift: &mut Shift,
    undecoded: &mut u64,
    src: &[u8],
    dst: &mut [u8],
) -> (CoderResult, usize, usize) {
    let (mut read, mut written) = (0, 0);
    for &b in src {
        if dst.len() - written < 4 {
            return (CoderResult::OutputFull, read, written);
        }
        read += 1;
        let c = match (b, shift.dbcs, shift.lead) {
            (0x0E, _, _) => {
                *shift = Shift {
                    dbcs: true,
                    lead: None,
                };
                continue;
            }
            (0x0F, _, _) => {
                *shift = Shift::default();
                continue;
            }
            (b, false, _) => char::from(CP037[usize::from(b)]),
            (b, true, None) => {
                shift.lead = Some(b);
                continue;
            }
            (b, true, Some(lead)) => {
                shift.lead = None;
                dbcs_char(lead, b).unwrap_or_else(|| {
                    *undecoded += 1;
                    char::REPLACEMENT_CHARACTER
                })
            }
        };
        written += c.encode_utf8(&mut dst[written..]).len();
    }
    (CoderResult::InputEmpty, read, written)
}

impl AnyDecoder {
    /// Decodes what of `src` fits in `dst` (`last`: `src` ends the stream):
    /// the result, bytes read, bytes written. Malformed input becomes
    /// U+FFFD, as encoding_rs does; a character leakscan has no table for
    /// (a Japanese EBCDIC kanji) too, counted in `undecoded`.
    fn decode_to_utf8(
        &mut self,
        src: &[u8],
        dst: &mut [u8],
        last: bool,
        undecoded: &mut u64,
    ) -> (CoderResult, usize, usize) {
        match self {
            AnyDecoder::Web(d) => {
                let (result, read, written, _) = d.decode_to_utf8(src, dst, last);
                (result, read, written)
            }
            AnyDecoder::Utf32 { le, unit, held } => utf32_to_utf8(*le, unit, held, src, dst, last),
            AnyDecoder::Ebcdic(shift) => ebcdic_to_utf8(shift, undecoded, src, dst),
        }
    }
}

/// UTF-32 to UTF-8: code units of 4 bytes, a unit cut between two calls
/// held in `unit` (`held` bytes); a unit that is no character, or one cut
/// by the end of the stream, is U+FFFD.
fn utf32_to_utf8(
    le: bool,
    unit: &mut [u8; 4],
    held: &mut usize,
    src: &[u8],
    dst: &mut [u8],
    last: bool,
) -> (CoderResult, usize, usize) {
    let (mut read, mut written) = (0, 0);
    loop {
        while *held < 4 && read < src.len() {
            unit[*held] = src[read];
            *held += 1;
            read += 1;
        }
        if *held < 4 {
            if last && *held > 0 {
                if dst.len() - written < 3 {
                    return (CoderResult::OutputFull, read, written);
                }
                written += '\u{FFFD}'.encode_utf8(&mut dst[written..]).len();
                *held = 0;
            }
            return (CoderResult::InputEmpty, read, written);
        }
        if dst.len() - written < 4 {
            return (CoderResult::OutputFull, read, written);
        }
        let u = if le {
            u32::from_le_bytes(*unit)
        } else {
            u32::from_be_bytes(*unit)
        };
        let c = char::from_u32(u).unwrap_or('\u{FFFD}');
        written += c.encode_utf8(&mut dst[written..]).len();
        *held = 0;
    }
}

/// A [`Read`] of the UTF-8 text decoded from a raw stream.
pub struct DecodedReader<'s, R> {
    t: &'s mut Transcoder,
    inner: &'s mut R,
}

impl<R: Read> Read for DecodedReader<'_, R> {
    fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        let t = &mut *self.t;
        if dst.is_empty() {
            return Ok(0);
        }
        loop {
            if t.out_start < t.out_end {
                let n = dst.len().min(t.out_end - t.out_start);
                dst[..n].copy_from_slice(&t.output[t.out_start..t.out_start + n]);
                t.out_start += n;
                return Ok(n);
            }
            if t.done {
                return Ok(0);
            }
            if t.in_start == t.in_end && !t.input_eof {
                t.refill(self.inner)?;
            }
            t.decode();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(head: &[u8]) -> &'static str {
        match sniff(head, true) {
            Sniffed::Text(e) => e.name(),
            Sniffed::Binary => "binary",
        }
    }

    fn utf16(s: &str, le: bool) -> Vec<u8> {
        s.encode_utf16()
            .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
            .collect()
    }

    fn encode(enc: &'static Encoding, s: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = enc.encode(s);
        assert!(!unmappable);
        bytes.into_owned()
    }

    const JA: &str = "社員番号,氏名,個人番号,備考\n1,山田 太郎,123456789018,ありがとうございます。\n2,鈴木 花子,023456789013,よろしくお願いします。\n";

    #[test]
    fn byte_order_marks() {
        assert_eq!(name(b"\xEF\xBB\xBFhello"), "utf-8");
        assert_eq!(name(b"\xFF\xFEh\0i\0"), "utf-16le");
        assert_eq!(name(b"\xFE\xFF\0h\0i"), "utf-16be");
        match sniff(b"\xEF\xBB\xBFhello", true) {
            Sniffed::Text(e) => assert_eq!(e.bom_len(), 3),
            Sniffed::Binary => panic!("text"),
        }
    }

    #[test]
    fn ascii_and_utf8_take_the_plain_path() {
        assert_eq!(name(b"plain ascii, 123\n"), "utf-8");
        assert_eq!(name(JA.as_bytes()), "utf-8");
        assert_eq!(name(b"\x1b[31mred\x1b[0m log line\n"), "utf-8");
        // a character cut by the end of the head is not an error...
        let cut = &JA.as_bytes()[..JA.len() - 2];
        assert_eq!(sniff(cut, false), Sniffed::Text(TextEncoding::UTF_8));
        // ...nor one stray byte among many UTF-8 characters
        let mut stray = JA.repeat(3).into_bytes();
        stray.insert(40, 0xFF);
        assert_eq!(name(&stray), "utf-8");
    }

    #[test]
    fn utf16_without_bom_from_nul_bytes() {
        assert_eq!(name(&utf16(JA, true)), "utf-16le");
        assert_eq!(name(&utf16(JA, false)), "utf-16be");
        assert_eq!(name(&utf16("password=hunter22\r\n", true)), "utf-16le");
    }

    #[test]
    fn binary_stays_binary() {
        assert_eq!(name(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0"), "binary");
        assert_eq!(
            name(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0>\0"),
            "binary"
        );
        let mut words = Vec::new();
        for i in 0..200u32 {
            words.extend_from_slice(&(i * 7).to_le_bytes());
        }
        assert_eq!(name(&words), "binary");
        assert_eq!(name(b"a\0"), "binary");
        // small numbers as 32-bit words are no UTF-32 text (controls)
        let small: Vec<u8> = (0..64u32).flat_map(|i| (i % 9).to_le_bytes()).collect();
        assert_eq!(name(&small), "binary");
    }

    fn utf32(s: &str, le: bool) -> Vec<u8> {
        s.chars()
            .flat_map(|c| {
                let u = u32::from(c);
                if le {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                }
            })
            .collect()
    }

    #[test]
    fn utf32_with_and_without_bom() {
        let bom_le = [&b"\xFF\xFE\0\0"[..], &utf32(JA, true)[..]].concat();
        assert_eq!(name(&bom_le), "utf-32le");
        let bom_be = [&b"\0\0\xFE\xFF"[..], &utf32(JA, false)[..]].concat();
        assert_eq!(name(&bom_be), "utf-32be");
        assert_eq!(name(&utf32(JA, true)), "utf-32le");
        assert_eq!(name(&utf32(JA, false)), "utf-32be");
        // UTF-16 stays UTF-16
        assert_eq!(name(&utf16(JA, true)), "utf-16le");
        for feed in [1, 3, 5, 64] {
            for head in [0, 2, 7, 4 * JA.chars().count()] {
                let le = decode_all(TextEncoding::utf32(true, 0), &utf32(JA, true), head, feed);
                assert_eq!(le, JA, "feed {feed} head {head}");
                let be = decode_all(TextEncoding::utf32(false, 0), &utf32(JA, false), head, feed);
                assert_eq!(be, JA);
            }
        }
        // a unit cut by the end, a unit over U+10FFFF: U+FFFD
        let cut = [&utf32("ab", true)[..], &[0x41, 0]].concat();
        assert_eq!(
            decode_all(TextEncoding::utf32(true, 0), &cut, 0, 3),
            "ab\u{FFFD}"
        );
        let big = [0, 0, 0x11, 0];
        assert_eq!(
            decode_all(TextEncoding::utf32(true, 0), &big, 0, 4),
            "\u{FFFD}"
        );
    }

    #[test]
    fn ebcdic_is_told_conservatively_and_decoded() {
        // "NAME: YAMADA TARO  MY NUMBER 123456789018\n" in code page 037,
        // as Python's cp037 codec writes it
        let text = "NAME: YAMADA TARO  MY NUMBER 123456789018\npassword=Hunter22x\n";
        let ebcdic: Vec<u8> = text
            .bytes()
            .map(|b| {
                if b == b'\n' {
                    0x25
                } else {
                    CP037.iter().position(|&c| c == b).unwrap() as u8
                }
            })
            .collect();
        assert_eq!(name(&ebcdic), "ibm037");
        assert_eq!(decode_all(TextEncoding::EBCDIC, &ebcdic, 5, 7), text);
        // Shift_JIS and EUC-JP Japanese without any ASCII are not EBCDIC
        let ja = "個人番号は必ず確認してください。よろしくお願いします。ありがとうございました";
        assert_eq!(name(&encode(encoding_rs::SHIFT_JIS, ja)), "shift_jis");
        assert_ne!(name(&encode(encoding_rs::EUC_JP, ja)), "ibm037");
        assert!(!is_ebcdic(
            b"plain ascii text that is long enough to be looked at"
        ));
    }

    /// `text` in code page 037, `\n` as 0x25.
    fn cp037(text: &str) -> Vec<u8> {
        text.bytes()
            .map(|b| match b {
                b'\n' => 0x25,
                b => CP037.iter().position(|&c| c == b).unwrap() as u8,
            })
            .collect()
    }

    #[test]
    fn japanese_ebcdic_is_read_with_its_double_byte_runs_counted() {
        // NAME: + [kanji kanji] + space + MY NUMBER + full-width 12 + digits
        let mut bytes = cp037("NAME: ");
        bytes.extend([0x0E, 0x45, 0x41, 0x46, 0x7A, 0x40, 0x40, 0x0F]);
        bytes.extend(cp037(" MY NUMBER "));
        bytes.extend([0x0E, 0x42, 0xF1, 0x42, 0xF2, 0x0F]);
        bytes.extend(cp037("3456789018\nEND OF RECORD AAAAAAAAAAAAAAAAAAAA\n"));
        assert_eq!(name(&bytes), "ibm939");
        for (head, feed) in [(5, 7), (bytes.len(), 3), (0, 1)] {
            let mut t = Transcoder::new(feed);
            let mut rest = &bytes[head.min(bytes.len())..];
            t.start(
                TextEncoding::EBCDIC_JAPANESE,
                &bytes[..head.min(bytes.len())],
            );
            let mut out = String::new();
            t.reader(&mut rest).read_to_string(&mut out).unwrap();
            assert_eq!(
                out,
                "NAME: \u{FFFD}\u{FFFD}\u{3000} MY NUMBER １２3456789018\nEND OF RECORD AAAAAAAAAAAAAAAAAAAA\n"
            );
            assert_eq!(t.undecoded(), 2);
        }
        // an odd run, or a control byte inside one, is not EBCDIC
        let mut odd = bytes.clone();
        odd.remove(9);
        assert_ne!(name(&odd), "ibm939");
        // single-byte EBCDIC decodes nothing it cannot
        let mut t = Transcoder::new(64);
        let sbcs = cp037("NAME: YAMADA TARO  MY NUMBER 123456789018\n");
        t.start(TextEncoding::EBCDIC, &sbcs);
        let mut out = String::new();
        t.reader(&mut &b""[..]).read_to_string(&mut out).unwrap();
        assert_eq!(t.undecoded(), 0);
    }

    #[test]
    fn legacy_japanese_encodings() {
        assert_eq!(name(&encode(encoding_rs::SHIFT_JIS, JA)), "shift_jis");
        assert_eq!(name(&encode(encoding_rs::EUC_JP, JA)), "euc-jp");
        assert_eq!(name(&encode(encoding_rs::ISO_2022_JP, JA)), "iso-2022-jp");
        // a bank format: ASCII and half-width katakana only
        let kana = "ﾔﾏﾀﾞ ﾀﾛｳ,ﾌﾂｳ,1234567\nｽｽﾞｷ ﾊﾅｺ,ﾄｳｻﾞ,7654321\n".repeat(4);
        assert_eq!(name(&encode(encoding_rs::SHIFT_JIS, &kana)), "shift_jis");
    }

    #[test]
    fn first_non_utf8_reads_characters_cut_by_the_window() {
        let text = "ascii 個人番号 ascii".as_bytes();
        // windows starting and ending inside 個 (3 bytes at 6..9)
        for (start, end) in [(0, 7), (7, 8), (8, text.len()), (0, text.len())] {
            assert_eq!(first_non_utf8(text, start..end), None, "{start}..{end}");
        }
        let mut bad = text.to_vec();
        bad[10] = b'A'; // inside 人 (9..12): its lead byte without continuation
        assert_eq!(first_non_utf8(&bad, 0..bad.len()), Some(9));
        assert_eq!(first_non_utf8(&bad, 0..9), None);
        // a stream that ends inside a character is no error yet
        assert_eq!(first_non_utf8(&text[..7], 0..7), None);
        // continuation bytes only, across the window's start
        let junk = [b'a', 0x80, 0x80, 0x80, 0x80, 0x80, b'b'];
        assert_eq!(first_non_utf8(&junk, 4..7), Some(4));
        assert_eq!(first_non_utf8(&junk, 0..7), Some(1));
        // a character whose lead byte is in the window before, broken here
        assert_eq!(first_non_utf8(b"a\xE3\x81A", 2..4), Some(2));
    }

    #[test]
    fn redecide_keeps_utf8_for_stray_bytes_and_finds_shift_jis() {
        let sjis = encode(encoding_rs::SHIFT_JIS, JA);
        assert_eq!(redecide(&sjis).map(|e| e.name()), Some("shift_jis"));
        assert_eq!(
            redecide(&encode(encoding_rs::EUC_JP, JA)).map(|e| e.name()),
            Some("euc-jp")
        );
        let mut stray = JA.repeat(3).into_bytes();
        stray.insert(0, 0xFF);
        assert_eq!(redecide(&stray), None);
        assert_eq!(redecide(b"\xFF\x00\x01binary"), None);
    }

    fn decode_all(enc: TextEncoding, bytes: &[u8], head: usize, feed: usize) -> String {
        let mut t = Transcoder::new(feed);
        let head = head.min(bytes.len());
        t.start(enc, &bytes[..head]);
        let mut rest = &bytes[head..];
        let mut out = Vec::new();
        let mut small = [0u8; 3];
        let mut r = t.reader(&mut rest);
        // tiny reads too: a character is handed out across calls
        loop {
            let n = r.read(&mut small).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&small[..n]);
        }
        assert_eq!(t.raw_bytes(), bytes.len() as u64);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn transcoder_decodes_across_every_split() {
        let cases = [
            (encoding_rs::SHIFT_JIS, encode(encoding_rs::SHIFT_JIS, JA)),
            (encoding_rs::EUC_JP, encode(encoding_rs::EUC_JP, JA)),
            (
                encoding_rs::ISO_2022_JP,
                encode(encoding_rs::ISO_2022_JP, JA),
            ),
            (encoding_rs::UTF_16LE, utf16(JA, true)),
            (encoding_rs::UTF_16BE, utf16(JA, false)),
        ];
        for (enc, bytes) in cases {
            for feed in [1, 2, 3, 5, 7, 64, DEFAULT_FEED] {
                for head in [0, 1, 5, 33, bytes.len()] {
                    let got = decode_all(TextEncoding::new(enc, 0), &bytes, head, feed);
                    assert_eq!(got, JA, "{} feed {feed} head {head}", enc.name());
                }
            }
        }
    }

    #[test]
    fn transcoder_skips_the_bom_and_survives_reuse() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(utf16(JA, true));
        let enc = match sniff(&bytes, true) {
            Sniffed::Text(e) => e,
            Sniffed::Binary => panic!("text"),
        };
        assert_eq!(enc.bom_len(), 2);
        assert_eq!(decode_all(enc, &bytes, 8, 4), JA);
        // malformed input becomes U+FFFD, and decoding ends
        let got = decode_all(
            TextEncoding::new(encoding_rs::SHIFT_JIS, 0),
            b"ab\x81",
            1,
            1,
        );
        assert_eq!(got, "ab\u{FFFD}");
    }
}
