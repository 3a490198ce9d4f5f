//! Finds candidate numbers in a byte buffer without a regex.
//!
//! One stride scan per buffer yields every *number token* of 12 to 19 digits
//! that the numeric detectors (My Number, payment cards) may care about:
//!
//! * a **plain** run of digits bounded by non-alphanumerics, and
//! * a **grouped** number: runs of digits joined by one consistent separator
//!   (space, `-` or `.`), such as `1234 5678 9012` or `4111-1111-1111-1111`.
//!
//! A run inside a longer digit run, glued to letters or `_` (hex, ids), or
//! part of a decimal / hyphenated number (`3.141592653589`, `12-123456789012`)
//! is not a token. Checking digit boundaries in code rather than with `\b`
//! matters for Japanese text: `個人番号123456789018です` has no word boundary.
//!
//! The scan classifies 64 bytes at a time with SIMD and looks closer only
//! where at least 12 bytes in a row are digits or separators between digits:
//! every token covers such a run.
//!
//! [`scan_text`] also reads numbers written the Japanese way: full-width
//! digits (`０`–`９`) and the separators of Japanese data (full-width space
//! U+3000, `－` U+FF0D, `ー` U+30FC, `‐` U+2010, `−` U+2212). Only a buffer
//! holding such a number is folded to ASCII (with a map back to its byte
//! positions) before the scan; tokens keep the buffer's positions and hold
//! ASCII digits, so redaction and fingerprints are those of the ASCII form.

/// Fewest digits in a token we emit (My Number).
pub const MIN_DIGITS: usize = 12;
/// Most digits in a token we emit (longest card number).
pub const MAX_DIGITS: usize = 19;
/// Most groups in a grouped token (a 19-digit card as 4-4-4-4-3).
pub const MAX_GROUPS: usize = 5;
/// Longest group in a grouped token (the 6 of Amex's 4-6-5).
const MAX_GROUP_DIGITS: usize = 6;

const OTHER: u8 = 0;
const DIGIT: u8 = 1;
const SEP: u8 = 2;

static CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0u8;
    while b < 0x80 {
        if b.is_ascii_digit() {
            t[b as usize] = DIGIT;
        } else if separator(b as char).is_some() {
            t[b as usize] = SEP;
        }
        b += 1;
    }
    t
};

/// A separator that may join the digit groups of a number, as the ASCII
/// byte the reader reads it as: ASCII space, `-` and `.`, and the wide
/// separators of Japanese data (full-width space U+3000 as a space; `－`
/// U+FF0D, `ー` U+30FC, `‐` U+2010 and `−` U+2212 as `-`). The one
/// definition of the set: the reader's byte classes and folding are built
/// on it (the vector classifiers and the prefilter of [`scan_text`] are
/// checked against it by the tests), and names are masked by it
/// ([`crate::redact::name`]), so that a number the detectors read in a
/// name is never shown raw.
pub const fn separator(c: char) -> Option<u8> {
    match c {
        ' ' | '-' | '.' => Some(c as u8),
        '\u{3000}' => Some(b' '),
        '\u{FF0D}' | '\u{30FC}' | '\u{2010}' | '\u{2212}' => Some(b'-'),
        _ => None,
    }
}

/// The ASCII digit of a full-width digit (`０`–`９`).
pub const fn wide_digit(c: char) -> Option<u8> {
    match c {
        '０'..='９' => Some(b'0' + (c as u32 - '０' as u32) as u8),
        _ => None,
    }
}

/// A candidate number found in a buffer. Holds its digits inline, so
/// collecting tokens allocates nothing once the output vector has grown.
/// Bytes of `digits` past `len` are unspecified (a plain run copies a fixed
/// 19 bytes): equality and `Debug` look at [`NumberToken::digits`] only.
#[derive(Clone, Copy)]
pub struct NumberToken {
    /// Byte range of the whole token (digits and separators) in the buffer.
    pub start: usize,
    /// End of the token's byte range (exclusive).
    pub end: usize,
    digits: [u8; MAX_DIGITS],
    len: u8,
    groups: [u8; MAX_GROUPS],
    ngroups: u8,
    /// The separator byte of a grouped token; 0 for a plain run.
    pub sep: u8,
}

impl PartialEq for NumberToken {
    fn eq(&self, other: &NumberToken) -> bool {
        (self.start, self.end, self.sep) == (other.start, other.end, other.sep)
            && self.digits() == other.digits()
            && self.groups() == other.groups()
    }
}

impl Eq for NumberToken {}

impl std::fmt::Debug for NumberToken {
    /// Positions and shape only: the digits are an identifier.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NumberToken")
            .field("start", &self.start)
            .field("end", &self.end)
            .field("groups", &self.groups())
            .field("sep", &self.sep)
            .finish_non_exhaustive()
    }
}

impl NumberToken {
    /// The ASCII digits, separators removed.
    pub fn digits(&self) -> &[u8] {
        &self.digits[..self.len as usize]
    }

    /// Lengths of the digit groups; one element for a plain run.
    pub fn groups(&self) -> &[u8] {
        &self.groups[..self.ngroups as usize]
    }

    /// Whether the digits are in two or more groups (`4556 7375 ...`).
    pub fn is_grouped(&self) -> bool {
        self.ngroups > 1
    }
}

#[inline]
fn class(b: u8) -> u8 {
    CLASS[b as usize]
}

#[inline]
fn is_digit(b: u8) -> bool {
    b.is_ascii_digit()
}

/// Appends every number token in `buf` to `out`, in order of position.
///
/// Blocks of 64 bytes are classified with SIMD (AVX2 where the CPU has it,
/// else SSE2) into a bitmask of "digit, or separator next to a digit"; a
/// token needs a run of at least 12 such bytes, so blocks without one (most
/// of any text, even digit-heavy CSV) are skipped without looking at a byte
/// twice. A lone run of digits is read from the masks; anything else
/// (grouped digits, runs across blocks) is tokenized byte by byte.
pub fn scan(buf: &[u8], out: &mut Vec<NumberToken>) {
    scan_blocks(buf, out);
}

/// [`scan`], and whether an ASCII digit is followed by a lead byte of a wide
/// separator (0xE2, 0xE3 or 0xEF), found in the same pass.
fn scan_blocks(buf: &[u8], out: &mut Vec<NumberToken>) -> bool {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2")
        && std::arch::is_x86_feature_detected!("popcnt")
        && std::arch::is_x86_feature_detected!("bmi1")
        && std::arch::is_x86_feature_detected!("lzcnt")
    {
        // SAFETY: the CPU has AVX2, POPCNT, BMI1 and LZCNT, checked just above.
        return unsafe { scan_blocks_avx2(buf, out) };
    }
    // SAFETY: `class_masks` has no requirement beyond the baseline.
    scan_blocks_with(buf, out, |b| unsafe { class_masks(b) })
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,popcnt,bmi1,lzcnt")]
unsafe fn scan_blocks_avx2(buf: &[u8], out: &mut Vec<NumberToken>) -> bool {
    // SAFETY: this function runs only where AVX2 (and the bit instructions
    // enabled with it) is available.
    scan_blocks_with(buf, out, |b| unsafe { class_masks_avx2(b) })
}

/// The block scan, with the classifier of the CPU's vector width inlined.
#[inline(always)]
fn scan_blocks_with(
    buf: &[u8],
    out: &mut Vec<NumberToken>,
    masks: impl Fn(&[u8; 64]) -> Masks,
) -> bool {
    let mut wide = 0u64; // digits followed by a wide-separator lead byte
    let mut last_digit = 0u64; // the previous block's last byte was a digit
    let mut next = 0usize; // everything before was tokenized
    let mut carry = 0u32; // candidate bytes ending the previous block
    let mut carry_digits = 0u32; // digits among them
    let mut base = 0usize;
    let mut blocks = buf.chunks_exact(64);
    for block in &mut blocks {
        let Masks {
            digit: d,
            sep,
            wide_lead,
        } = masks(block.try_into().expect("64 bytes"));
        wide |= wide_lead & ((d << 1) | last_digit);
        last_digit = d >> 63;
        let g = candidate_bits(d, sep);
        let lead = g.trailing_ones();
        // a run from the previous block continuing here; one that ends in
        // this block with fewer than 12 digits holds no token
        if lead > 0 && carry > 0 && carry + lead >= MIN_DIGITS as u32 && base >= next {
            let few_digits = lead < 64
                && carry_digits + (d & ((1u64 << lead) - 1)).count_ones() < MIN_DIGITS as u32;
            next = if few_digits {
                base + lead as usize
            } else {
                tokenize_from(buf, base.saturating_sub(1), out)
            };
        }
        let mut starts = runs_of_12(g);
        while starts != 0 {
            let o = starts.trailing_zeros();
            starts &= starts - 1;
            let p = base + o as usize;
            if p < next {
                continue;
            }
            // a run of candidates ending in the block with fewer than 12
            // digits holds no token (dates, times, short phone numbers)
            let len = (!(g >> o)).trailing_zeros();
            if o + len < 64 && (d & (((1u64 << len) - 1) << o)).count_ones() < MIN_DIGITS as u32 {
                next = p + len as usize;
                continue;
            }
            next = match lone_run(d, sep, o) {
                Some((a, e, end)) => {
                    emit_plain(buf, (base + a as usize, base + e as usize), out);
                    base + end as usize
                }
                None => tokenize_from(buf, p, out),
            };
        }
        (carry, carry_digits) = if g == u64::MAX {
            (carry + 64, carry_digits + d.count_ones())
        } else {
            let ones = g.leading_ones();
            (ones, d.checked_shr(64 - ones).unwrap_or(0).count_ones())
        };
        base += 64;
    }
    // the tail: fewer than 64 bytes, tokenized directly where it may matter
    let tail = blocks.remainder();
    let tail_start = buf.len() - tail.len();
    let wide_in_tail = (tail_start.saturating_sub(1)..buf.len().saturating_sub(1))
        .any(|i| buf[i].is_ascii_digit() && matches!(buf[i + 1], 0xE2 | 0xE3 | 0xEF));
    if !tail.is_empty() {
        let from = if carry > 0 {
            base - carry as usize
        } else {
            base
        };
        let mut i = from.max(next);
        while i < buf.len() {
            if class(buf[i]) == DIGIT {
                i = tokenize_from(buf, i, out);
            } else {
                i += 1;
            }
        }
    }
    wide != 0 || wide_in_tail
}

/// Reusable buffers for [`scan_text`].
#[derive(Debug, Default)]
pub struct Folded {
    /// The buffer with wide digits and separators folded to ASCII.
    text: Vec<u8>,
    /// For each byte of `text`, its position in the buffer; one more entry
    /// for the end.
    map: Vec<u32>,
}

/// Like [`scan`], and reads full-width digits and Japanese separators too
/// (see the module documentation). A buffer without them is scanned as is.
pub fn scan_text(buf: &[u8], out: &mut Vec<NumberToken>, folded: &mut Folded) {
    let first = out.len();
    // A wide separator checked on its own has an ASCII digit right before
    // it: the block scan flags those places, so most buffers skip the check.
    let digit_then_wide_lead = scan_blocks(buf, out);
    let needs_folding =
        has_fullwidth_digit(buf) || (digit_then_wide_lead && has_wide_separator(buf));
    if !needs_folding {
        return;
    }
    out.truncate(first);
    fold(buf, folded);
    scan(&folded.text, out);
    for tok in &mut out[first..] {
        tok.start = folded.map[tok.start] as usize;
        tok.end = folded.map[tok.end] as usize;
    }
}

/// The ASCII form of a wide digit or separator starting `s`, and its length.
#[inline]
fn wide_char(s: &[u8]) -> Option<(u8, usize)> {
    let [a, b, c, ..] = *s else { return None };
    if a & 0xF0 != 0xE0 || b & 0xC0 != 0x80 || c & 0xC0 != 0x80 {
        return None;
    }
    let code = (u32::from(a & 0x0F) << 12) | (u32::from(b & 0x3F) << 6) | u32::from(c & 0x3F);
    // a 3-byte character (not an overlong form of an ASCII one)
    let ch = char::from_u32(code).filter(|_| code >= 0x800)?;
    let ascii = wide_digit(ch).or(separator(ch))?;
    Some((ascii, 3))
}

/// Does `buf` hold a full-width digit (`０`-`９`)? One `memchr` pass.
fn has_fullwidth_digit(buf: &[u8]) -> bool {
    memchr::memchr_iter(0xEF, buf)
        .any(|i| matches!(wide_char(&buf[i..]), Some((d, _)) if d.is_ascii_digit()))
}

/// Does `buf` hold a wide separator right after an ASCII digit and before a
/// digit (narrow or wide)? A wide separator after a wide digit needs no
/// check of its own: [`has_fullwidth_digit`] finds the digit.
///
/// ASCII text costs a `memchr2` and two `memmem` passes that find nothing.
/// In Japanese text the searches skip kana and kanji (their lead bytes are
/// not searched for); full-width punctuation, `ー` and `　` are checked with
/// a few compares each.
fn has_wide_separator(buf: &[u8]) -> bool {
    let digit_at = |i: usize| match buf.get(i) {
        Some(b) if b.is_ascii_digit() => true,
        Some(_) => matches!(wide_char(&buf[i..]), Some((d, _)) if d.is_ascii_digit()),
        None => false,
    };
    let between_digits = |i: usize| i > 0 && buf[i - 1].is_ascii_digit() && digit_at(i + 3);
    // U+FF0D, U+2010, U+2212
    let found = memchr::memchr2_iter(0xE2, 0xEF, buf).any(|i| {
        matches!(wide_char(&buf[i..]), Some((d, _)) if !d.is_ascii_digit()) && between_digits(i)
    });
    // U+3000 and U+30FC: frequent in Japanese text, so searched for whole
    found
        || ["\u{3000}", "\u{30FC}"]
            .iter()
            .any(|sep| memchr::memmem::find_iter(buf, sep.as_bytes()).any(between_digits))
}

/// Folds wide digits and separators of `buf` to ASCII into `f`.
fn fold(buf: &[u8], f: &mut Folded) {
    f.text.clear();
    f.map.clear();
    let mut i = 0;
    while i < buf.len() {
        let (b, len) = match buf[i] {
            0xE2 | 0xE3 | 0xEF => wide_char(&buf[i..]).unwrap_or((buf[i], 1)),
            b => (b, 1),
        };
        f.text.push(b);
        f.map.push(i as u32);
        i += len;
    }
    f.map.push(buf.len() as u32);
}

/// The common region, read from the block's masks: one run of digits, with
/// at most one separator on either side, that ends inside the block.
/// Returns the run (`a..e`) and the region's end, offsets in the block, or
/// `None` for anything else (grouped digits, runs reaching the block's end),
/// which [`tokenize_from`] reads byte by byte.
///
/// `o` starts a run of candidate bytes (see [`candidate_bits`]), so the byte
/// before it is not a digit, and a separator at `o` has a digit after it;
/// with no separator-digit pair on either side, no chain can form and the
/// region's only token is the run itself, exactly as `tokenize_from` finds.
#[inline]
fn lone_run(d: u64, sep: u64, o: u32) -> Option<(u32, u32, u32)> {
    let bit = |m: u64, i: u32| (m >> i) & 1 == 1;
    let a = if bit(d, o) { o } else { o + 1 };
    if a >= 64 || !bit(d, a) {
        return None;
    }
    let e = a + (!(d >> a)).trailing_zeros();
    let end = if e < 64 && bit(sep, e) { e + 1 } else { e };
    if end >= 64 || bit(d | sep, end) {
        return None;
    }
    Some((a, e, end))
}

/// Tokenizes the region of digits and separators around `p`; returns its end.
fn tokenize_from(buf: &[u8], p: usize, out: &mut Vec<NumberToken>) -> usize {
    let mut s = p;
    while s > 0 && class(buf[s - 1]) != OTHER {
        s -= 1;
    }
    tokenize_region(buf, s, out)
}

/// Bits set at the starts of runs of at least 12 set bits.
#[inline]
fn runs_of_12(g: u64) -> u64 {
    let x2 = g & (g >> 1);
    let x4 = x2 & (x2 >> 2);
    let x8 = x4 & (x4 >> 4);
    x8 & (x4 >> 8)
}

/// Bit i: `block[i]` is a digit, or a separator next to a digit.
#[inline]
fn candidate_bits(d: u64, s: u64) -> u64 {
    d | (s & ((d << 1) | (d >> 1)))
}

/// Bitmasks of 64 bytes: bit i describes byte i.
struct Masks {
    digit: u64,
    /// Space, `-` or `.`.
    sep: u64,
    /// 0xE2, 0xE3 or 0xEF: the lead bytes of the wide separators.
    wide_lead: u64,
}

/// [`Masks`] with SSE2 (baseline on x86_64).
///
/// # Safety
/// None beyond the baseline; `unsafe` so that it is called like the AVX2
/// variant.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn class_masks(block: &[u8; 64]) -> Masks {
    use std::arch::x86_64::*;
    let mut m = Masks {
        digit: 0,
        sep: 0,
        wide_lead: 0,
    };
    for k in 0..4 {
        // SAFETY: SSE2 is part of the x86_64 baseline, and the unaligned
        // load reads 16 bytes inside the 64-byte array.
        unsafe {
            let v = _mm_loadu_si128(block.as_ptr().add(16 * k) as *const __m128i);
            let off = _mm_sub_epi8(v, _mm_set1_epi8(b'0' as i8));
            let is_digit = _mm_cmpeq_epi8(_mm_min_epu8(off, _mm_set1_epi8(9)), off);
            let is_sep = _mm_or_si128(
                _mm_or_si128(
                    _mm_cmpeq_epi8(v, _mm_set1_epi8(b' ' as i8)),
                    _mm_cmpeq_epi8(v, _mm_set1_epi8(b'-' as i8)),
                ),
                _mm_cmpeq_epi8(v, _mm_set1_epi8(b'.' as i8)),
            );
            // 0xE2 and 0xE3 are 0xE2 | 1; then 0xEF
            let lead = _mm_or_si128(
                _mm_cmpeq_epi8(
                    _mm_or_si128(v, _mm_set1_epi8(1)),
                    _mm_set1_epi8(0xE3u8 as i8),
                ),
                _mm_cmpeq_epi8(v, _mm_set1_epi8(0xEFu8 as i8)),
            );
            m.digit |= u64::from(_mm_movemask_epi8(is_digit) as u16) << (16 * k);
            m.sep |= u64::from(_mm_movemask_epi8(is_sep) as u16) << (16 * k);
            m.wide_lead |= u64::from(_mm_movemask_epi8(lead) as u16) << (16 * k);
        }
    }
    m
}

/// [`Masks`] with AVX2, 32 bytes at a time.
///
/// # Safety
/// The CPU must support AVX2.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn class_masks_avx2(block: &[u8; 64]) -> Masks {
    use std::arch::x86_64::*;
    let mut m = Masks {
        digit: 0,
        sep: 0,
        wide_lead: 0,
    };
    for k in 0..2 {
        // SAFETY: the caller guarantees AVX2; the unaligned load reads 32
        // bytes inside the 64-byte array.
        unsafe {
            let v = _mm256_loadu_si256(block.as_ptr().add(32 * k) as *const __m256i);
            let off = _mm256_sub_epi8(v, _mm256_set1_epi8(b'0' as i8));
            let is_digit = _mm256_cmpeq_epi8(_mm256_min_epu8(off, _mm256_set1_epi8(9)), off);
            let is_sep = _mm256_or_si256(
                _mm256_or_si256(
                    _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b' ' as i8)),
                    _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b'-' as i8)),
                ),
                _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b'.' as i8)),
            );
            let lead = _mm256_or_si256(
                _mm256_cmpeq_epi8(
                    _mm256_or_si256(v, _mm256_set1_epi8(1)),
                    _mm256_set1_epi8(0xE3u8 as i8),
                ),
                _mm256_cmpeq_epi8(v, _mm256_set1_epi8(0xEFu8 as i8)),
            );
            m.digit |= u64::from(_mm256_movemask_epi8(is_digit) as u32) << (32 * k);
            m.sep |= u64::from(_mm256_movemask_epi8(is_sep) as u32) << (32 * k);
            m.wide_lead |= u64::from(_mm256_movemask_epi8(lead) as u32) << (32 * k);
        }
    }
    m
}

/// [`Masks`] byte by byte, for other architectures.
///
/// # Safety
/// None; `unsafe` so that it is called like the x86_64 variants.
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
unsafe fn class_masks(block: &[u8; 64]) -> Masks {
    let mut m = Masks {
        digit: 0,
        sep: 0,
        wide_lead: 0,
    };
    for (i, &b) in block.iter().enumerate() {
        m.digit |= u64::from(class(b) == DIGIT) << i;
        m.sep |= u64::from(class(b) == SEP) << i;
        m.wide_lead |= u64::from(matches!(b, 0xE2 | 0xE3 | 0xEF)) << i;
    }
    m
}

/// Splits the region of digits and separators starting at `s` into runs,
/// emits plain runs and grouped chains of the right size, and returns the
/// region's end (the first byte that is neither).
fn tokenize_region(buf: &[u8], s: usize, out: &mut Vec<NumberToken>) -> usize {
    let e = buf.len();
    // The current chain: its first runs (a chain longer than MAX_GROUPS is
    // never emitted, so only its length matters past that), its separator,
    // and where its last run ended.
    let mut runs: [(usize, usize); MAX_GROUPS] = [(0, 0); MAX_GROUPS];
    let mut nruns = 0usize;
    let mut chain_sep = 0u8;
    let mut prev_end = 0usize;
    let mut i = s;
    while i < e {
        match class(buf[i]) {
            DIGIT => {}
            SEP => {
                i += 1;
                continue;
            }
            _ => break,
        }
        let start = i;
        while i < e && is_digit(buf[i]) {
            i += 1;
        }
        let run = (start, i);
        if (MIN_DIGITS..=MAX_DIGITS).contains(&(i - start)) {
            emit_plain(buf, run, out);
        }

        // Does this run continue the current chain (one separator between)?
        let continues =
            nruns > 0 && start == prev_end + 1 && (chain_sep == 0 || chain_sep == buf[prev_end]);
        if continues {
            chain_sep = buf[prev_end];
        } else {
            if nruns >= 2 {
                emit_chain(buf, &runs[..nruns.min(MAX_GROUPS)], nruns, chain_sep, out);
            }
            nruns = 0;
            chain_sep = 0;
        }
        if nruns < MAX_GROUPS {
            runs[nruns] = run;
        }
        nruns += 1;
        prev_end = i;
    }
    if nruns >= 2 {
        emit_chain(buf, &runs[..nruns.min(MAX_GROUPS)], nruns, chain_sep, out);
    }
    i
}

/// Is the byte before `start` a boundary that lets a number begin there?
fn left_bounded(buf: &[u8], start: usize) -> bool {
    if start == 0 {
        return true;
    }
    let p = buf[start - 1];
    if p.is_ascii_alphanumeric() || p == b'_' {
        return false;
    }
    if (p == b'.' || p == b'-') && start >= 2 && buf[start - 2].is_ascii_alphanumeric() {
        return false; // decimal, hyphenated or dotted identifier (v1.2, ABC-123, 42EE.0020)
    }
    if p == b'-' && is_uuid_tail(buf, start) {
        return false;
    }
    true
}

/// Is the byte at `end` a boundary that lets a number end there?
fn right_bounded(buf: &[u8], end: usize) -> bool {
    if end >= buf.len() {
        return true;
    }
    let q = buf[end];
    if q.is_ascii_alphanumeric() || q == b'_' {
        return false;
    }
    if (q == b'.' || q == b'-') && end + 1 < buf.len() && buf[end + 1].is_ascii_alphanumeric() {
        return q == b'.' && file_extension_at(buf, end + 1);
    }
    true
}

/// Whether a file name's extension starts at `at` (after a `.`): a letter
/// and at most four more letters or digits, then the end of the text or a
/// byte that is neither a letter, a digit, `.`, `-` nor `_`. A number
/// named as a file in text (`uploads/492718361052.jpg` in a file list, a
/// log line) is a number; one that starts a host name
/// (`123456789012.dkr.ecr…`, an AWS account's registry) or a dotted
/// identifier is not.
fn file_extension_at(buf: &[u8], at: usize) -> bool {
    if !buf[at].is_ascii_alphabetic() {
        return false;
    }
    let len = buf[at..]
        .iter()
        .take(6)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    len <= 5
        && buf
            .get(at + len)
            .is_none_or(|&b| !matches!(b, b'.' | b'-' | b'_') && !b.is_ascii_alphanumeric())
}

/// `…-xxxx-<start>`: the last group of a UUID (8-4-4-4-12 hex).
fn is_uuid_tail(buf: &[u8], start: usize) -> bool {
    start >= 6
        && buf[start - 6] == b'-'
        && buf[start - 5..start - 1]
            .iter()
            .all(|b| b.is_ascii_hexdigit())
}

fn emit_plain(buf: &[u8], (start, end): (usize, usize), out: &mut Vec<NumberToken>) {
    let len = end - start;
    if !(MIN_DIGITS..=MAX_DIGITS).contains(&len)
        || !left_bounded(buf, start)
        || !right_bounded(buf, end)
    {
        return;
    }
    let mut digits = [0; MAX_DIGITS];
    match buf.get(start..start + MAX_DIGITS) {
        // A fixed-size copy: a copy of `len` bytes is a memcpy call whose
        // narrow stores stalled the wide load of the push (10 % of the
        // block scan). The bytes past `len` are never read.
        Some(fixed) => digits.copy_from_slice(fixed),
        None => digits[..len].copy_from_slice(&buf[start..end]),
    }
    let mut groups = [0; MAX_GROUPS];
    groups[0] = len as u8;
    out.push(NumberToken {
        start,
        end,
        digits,
        len: len as u8,
        groups,
        ngroups: 1,
        sep: 0,
    });
}

/// Whether an expiry date starts at `p`: a month of one or two digits
/// (1–12), `/`, and a year of two or four digits (`12/27`, `1/2029`), not
/// inside a longer number or date (`2024/01/01`).
pub fn is_expiry_at(buf: &[u8], p: usize) -> bool {
    let digits_from = |i: usize| {
        buf[i.min(buf.len())..]
            .iter()
            .take_while(|b| is_digit(**b))
            .count()
    };
    if p > 0 && (is_digit(buf[p - 1]) || buf[p - 1] == b'/') {
        return false;
    }
    let m = digits_from(p);
    if !(1..=2).contains(&m) || buf.get(p + m) != Some(&b'/') {
        return false;
    }
    let month = buf[p..p + m]
        .iter()
        .fold(0u8, |acc, &d| acc * 10 + (d - b'0'));
    let y = digits_from(p + m + 1);
    let after = buf.get(p + m + 1 + y).copied();
    (1..=12).contains(&month)
        && (y == 2 || y == 4)
        && !after.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'/')
}

fn emit_chain(
    buf: &[u8],
    runs: &[(usize, usize)],
    nruns: usize,
    sep: u8,
    out: &mut Vec<NumberToken>,
) {
    if !(2..=MAX_GROUPS).contains(&nruns) {
        return;
    }
    // A card number and its expiry, one blank apart (`4556 7375 8689 9855
    // 12/27`): the month is no group of the number.
    if nruns >= 3 && is_expiry_at(buf, runs[nruns - 1].0) {
        return emit_chain(buf, &runs[..nruns - 1], nruns - 1, sep, out);
    }
    // Groups of the layouts people write: 4-4-4, 4-4-4-4, 4-6-5, ...
    if runs.iter().any(|(s, e)| e - s > MAX_GROUP_DIGITS) {
        return;
    }
    let total: usize = runs.iter().map(|(s, e)| e - s).sum();
    if !(MIN_DIGITS..=MAX_DIGITS).contains(&total) {
        return;
    }
    let (start, end) = (runs[0].0, runs[nruns - 1].1);
    // A chain glued to a differently separated number is part of something
    // longer (a phone number, a date-time, a serial).
    if !left_bounded(buf, start) || !right_bounded(buf, end) {
        return;
    }
    if start >= 2 && class(buf[start - 1]) == SEP && is_digit(buf[start - 2]) {
        return;
    }
    if end + 1 < buf.len()
        && class(buf[end]) == SEP
        && is_digit(buf[end + 1])
        && !is_expiry_at(buf, end + 1)
    {
        return;
    }
    let mut tok = NumberToken {
        start,
        end,
        digits: [0; MAX_DIGITS],
        len: total as u8,
        groups: [0; MAX_GROUPS],
        ngroups: nruns as u8,
        sep,
    };
    let mut k = 0;
    for (g, &(s, e)) in runs.iter().enumerate() {
        tok.digits[k..k + (e - s)].copy_from_slice(&buf[s..e]);
        k += e - s;
        tok.groups[g] = (e - s) as u8;
    }
    out.push(tok);
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn tokens(s: &str) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        scan(s.as_bytes(), &mut out);
        out.iter()
            .map(|t| {
                (
                    String::from_utf8(t.digits().to_vec()).unwrap(),
                    t.groups().to_vec(),
                )
            })
            .collect()
    }

    #[test]
    fn plain_runs_of_12_to_19_digits() {
        assert_eq!(
            tokens("id 123456789018 x"),
            vec![("123456789018".into(), vec![12])]
        );
        assert_eq!(tokens("x 12345678901 y"), vec![]);
        assert_eq!(tokens("x 12345678901234567890 y"), vec![]);
        assert_eq!(
            tokens("4111111111111111"),
            vec![("4111111111111111".into(), vec![16])]
        );
    }

    #[test]
    fn no_window_inside_longer_run() {
        assert!(tokens("1234567890180").iter().all(|(d, _)| d.len() == 13));
        assert!(tokens("4111111111111111")
            .iter()
            .all(|(d, _)| d.len() == 16));
    }

    #[test]
    fn japanese_text_touching_digits_is_a_boundary() {
        assert_eq!(tokens("個人番号123456789018です").len(), 1);
    }

    #[test]
    fn a_number_named_as_a_file_in_text_is_a_token() {
        for t in [
            "uploads/123456789018.jpg",
            "see 123456789018.pdf, then",
            "123456789018.csv",
            "\"123456789018.xlsx\"",
            "123456789018.docx を削除",
        ] {
            assert_eq!(tokens(t).len(), 1, "{t}");
        }
    }

    #[test]
    fn glued_to_letters_or_hex_is_not_a_token() {
        assert!(tokens("abc123456789018").is_empty());
        assert!(tokens("123456789018abc").is_empty());
        assert!(tokens("0x123456789018").is_empty());
        assert!(tokens("_123456789018").is_empty());
    }

    #[test]
    fn decimals_hyphenated_numbers_and_uuids_are_not_tokens() {
        assert!(tokens("pi=3.141592653589").is_empty());
        assert!(tokens("[.42EE.0020.0011.0002]").is_empty());
        assert!(tokens("SKU-123456789018").is_empty());
        assert!(tokens("123456789018.dkr.ecr.us-east-1.amazonaws.com").is_empty());
        assert!(tokens("123456789018.5").is_empty());
        assert!(tokens("123456789018.tar.gz").is_empty());
        assert!(tokens("123456789018.backup").is_empty());
        assert!(tokens("12-123456789018").is_empty());
        assert!(tokens("123456789018.5").is_empty());
        assert!(tokens("550e8400-e29b-41d4-a716-446655440000").is_empty());
    }

    #[test]
    fn grouped_numbers_with_one_separator() {
        assert_eq!(
            tokens("no: 1234 5678 9018."),
            vec![("123456789018".into(), vec![4, 4, 4])]
        );
        assert_eq!(
            tokens("1234-5678-9018"),
            vec![("123456789018".into(), vec![4, 4, 4])]
        );
        assert_eq!(
            tokens("card 4111-1111-1111-1111 ok"),
            vec![("4111111111111111".into(), vec![4, 4, 4, 4])]
        );
        // mixed separators are not one number
        assert!(tokens("1234-5678 9018").is_empty());
        // a chain glued to a longer number is not a token
        assert!(tokens("12-1234 5678 9018").is_empty());
    }

    #[test]
    fn a_grouped_number_followed_by_an_expiry_is_a_token() {
        let want = vec![("4556737586899855".into(), vec![4, 4, 4, 4])];
        assert_eq!(tokens("Carta 4556 7375 8689 9855 12/27"), want);
        assert_eq!(tokens("PAN 4556-7375-8689-9855 12/27 ok"), want);
        assert_eq!(tokens("4556-7375-8689-9855 1/2029"), want);
        // not an expiry: a longer number or date, a month past 12
        assert!(tokens("4556-7375-8689-9855 12/270").is_empty());
        assert!(tokens("4556-7375-8689-9855 13/27").is_empty());
        assert!(tokens("4556-7375-8689-9855 2024/01/01").is_empty());
    }

    #[test]
    fn expiry_dates() {
        let at = |s: &str, p: usize| is_expiry_at(s.as_bytes(), p);
        assert!(at("12/27", 0));
        assert!(at("x 09/2031.", 2));
        assert!(at("1/28", 0));
        assert!(!at("00/27", 0));
        assert!(!at("12/2", 0));
        assert!(!at("12/273", 0));
        assert!(!at("2024/01/01", 5));
        assert!(!at("01/01/2024", 0));
        assert!(!at("12/27a", 0));
        assert!(!at("12", 0));
    }

    #[test]
    fn long_chains_of_short_runs_are_not_tokens() {
        let s = "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20";
        assert!(tokens(s).is_empty());
        let s = "1-2-3-4-5-6-7-8-9-1234 5678 9012";
        assert!(tokens(s).is_empty());
        let s = "0 0 0 0 0 0 0 0 0 0 123456789018";
        assert_eq!(tokens(s).len(), 1);
    }

    fn wide_tokens(s: &str) -> Vec<(String, Vec<u8>, &str)> {
        let mut out = Vec::new();
        scan_text(s.as_bytes(), &mut out, &mut Folded::default());
        out.iter()
            .map(|t| {
                (
                    String::from_utf8(t.digits().to_vec()).unwrap(),
                    t.groups().to_vec(),
                    &s[t.start..t.end],
                )
            })
            .collect()
    }

    /// `scan_text` skips the separator check unless the block scan flagged
    /// a place for it; it must find what folding whenever the two full
    /// checks say so would find, on random mixes of narrow and wide digits
    /// and separators, at every offset in a block.
    #[test]
    fn scan_text_folds_exactly_when_needed() {
        let mut rnd = xorshift(0xD1B54A32D192ED03u64);
        let pieces = [
            "0", "1", "5", "9", "０", "７", "９", " ", "-", "　", "ー", "－", "‐", "−", "a", "あ",
            "、", "\n", "1234", "5678",
        ];
        for round in 0..4000 {
            // every other round without wide digits: separators alone
            let choice: Vec<&str> = pieces
                .iter()
                .copied()
                .filter(|p| {
                    round % 2 == 0 || !p.chars().any(|c| ('\u{FF10}'..='\u{FF19}').contains(&c))
                })
                .collect();
            let mut text = String::new();
            while text.len() < 200 {
                text.push_str(choice[(rnd() % choice.len() as u64) as usize]);
            }
            let buf = text.as_bytes();
            let mut expected = Vec::new();
            if has_fullwidth_digit(buf) || has_wide_separator(buf) {
                let mut f = Folded::default();
                fold(buf, &mut f);
                scan(&f.text, &mut expected);
                for t in &mut expected {
                    t.start = f.map[t.start] as usize;
                    t.end = f.map[t.end] as usize;
                }
            } else {
                scan(buf, &mut expected);
            }
            let mut got = Vec::new();
            scan_text(buf, &mut got, &mut Folded::default());
            assert_eq!(got, expected, "round {round}: {text:?}");
        }
    }

    #[test]
    fn full_width_digits_and_japanese_separators() {
        let fw = "１２３４５６７８９０１８";
        assert_eq!(
            wide_tokens(&format!("個人番号：{fw}です")),
            vec![("123456789018".into(), vec![12], fw)]
        );
        for sep in ["　", "－", "ー", "‐", "−"] {
            let grouped = format!("1234{sep}5678{sep}9018");
            assert_eq!(
                wide_tokens(&format!("番号 {grouped} 以上")),
                vec![("123456789018".into(), vec![4, 4, 4], grouped.as_str())],
                "separator {sep}"
            );
            let fw_grouped = format!("１２３４{sep}５６７８{sep}９０１８");
            assert_eq!(
                wide_tokens(&fw_grouped)[0].0,
                "123456789018",
                "separator {sep}"
            );
        }
        // a full-width digit glued to an ASCII run makes it longer
        let glued: Vec<usize> = wide_tokens("０123456789018")
            .iter()
            .map(|t| t.0.len())
            .collect();
        assert_eq!(glued, vec![13]);
        // positions stay those of the buffer; plain text is scanned as is
        assert_eq!(wide_tokens("ア 123456789018 イ")[0].2, "123456789018");
        assert!(wide_tokens("データー　ノート－テスト").is_empty());
    }

    /// Every separator of [`separator`] is read by each part of the
    /// reader that has its own copy of the set for speed: the vector
    /// classifiers (ASCII ones), the wide-lead flag of the block scan and
    /// the prefilter (wide ones); and nothing else is.
    #[test]
    fn every_separator_of_the_one_definition_is_read() {
        let seps: Vec<char> = (0..=0xFFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| separator(c).is_some())
            .collect();
        assert_eq!(seps.len(), 8, "{seps:?}");
        for sep in seps {
            let grouped = format!("番号 1234{sep}5678{sep}9018 以上");
            let t = wide_tokens(&grouped);
            assert_eq!(t.len(), 1, "separator {sep:?}");
            assert_eq!(t[0].0, "123456789018", "separator {sep:?}");
            if !sep.is_ascii() {
                let mut b = [0; 4];
                let lead = sep.encode_utf8(&mut b).as_bytes()[0];
                assert!(matches!(lead, 0xE2 | 0xE3 | 0xEF), "{sep:?}");
                assert!(has_wide_separator(grouped.as_bytes()), "{sep:?}");
                assert_eq!(
                    wide_char(sep.encode_utf8(&mut b).as_bytes()),
                    Some((separator(sep).unwrap(), 3))
                );
            }
        }
        // an overlong form of `-` is not a separator
        assert_eq!(wide_char(&[0xE0, 0x80, 0xAD]), None);
    }

    #[test]
    fn scan_text_agrees_with_scan_on_folded_ascii() {
        // the same numbers, written narrow and wide, give the same digits
        let narrow = "a 1234 5678 9018, 4111-1111-1111-1111 and 123456789018.";
        let wide = "a １２３４　５６７８　９０１８, ４１１１－１１１１－１１１１－１１１１ and １２３４５６７８９０１８.";
        let digits =
            |v: Vec<(String, Vec<u8>, &str)>| v.into_iter().map(|t| (t.0, t.1)).collect::<Vec<_>>();
        assert_eq!(digits(wide_tokens(wide)), digits(wide_tokens(narrow)));
        assert_eq!(digits(wide_tokens(narrow)), tokens(narrow));
    }

    /// A xorshift generator: reproducible test input without a crate.
    pub(crate) fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
        move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        }
    }

    fn assert_agrees_with_reference(buf: &[u8], round: usize) {
        let mut got = Vec::new();
        scan(buf, &mut got);
        assert_eq!(
            got,
            reference(buf),
            "round {round}: {:?}",
            String::from_utf8_lossy(buf)
        );
    }

    /// The block scan must agree with a plain byte-by-byte tokenization.
    fn reference(buf: &[u8]) -> Vec<NumberToken> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < buf.len() {
            if class(buf[i]) == DIGIT {
                i = tokenize_from(buf, i, &mut out);
            } else {
                i += 1;
            }
        }
        out
    }

    #[test]
    fn block_scan_agrees_with_reference_everywhere() {
        let mut rnd = xorshift(0x2545F4914F6CDD1Du64);
        let alphabet = b"0123456789012345678901234567890123456789 -.a,\n";
        for round in 0..3000 {
            let len = (rnd() % 300) as usize;
            let buf: Vec<u8> = (0..len)
                .map(|_| alphabet[(rnd() % alphabet.len() as u64) as usize])
                .collect();
            assert_agrees_with_reference(&buf, round);
        }
    }

    /// Text made of digit runs of 8 to 21 digits between one to three
    /// other bytes: most regions are the lone runs that the block scan reads
    /// from its masks, at every offset in a block.
    #[test]
    fn lone_runs_agree_with_reference_everywhere() {
        let mut rnd = xorshift(0x9E3779B97F4A7C15u64);
        let between = b" -.a,x_\n\"=:";
        for round in 0..3000 {
            let mut buf = Vec::new();
            while buf.len() < 400 {
                for _ in 0..1 + rnd() % 3 {
                    buf.push(between[(rnd() % between.len() as u64) as usize]);
                }
                for _ in 0..8 + rnd() % 14 {
                    buf.push(b'0' + (rnd() % 10) as u8);
                }
            }
            assert_agrees_with_reference(&buf, round);
        }
    }

    /// Grouped numbers of 8 to 14 digits (phone numbers, dates, times) and
    /// the odd long run or chain, at every offset: regions that cross a
    /// block boundary with too few digits are skipped from the masks, the
    /// rest tokenized byte by byte.
    #[test]
    fn grouped_runs_across_blocks_agree_with_reference() {
        let mut rnd = xorshift(0xD1B54A32D192ED03u64);
        let between = b",x\n:T";
        let seps = b" -.";
        for round in 0..3000 {
            let mut buf = Vec::new();
            while buf.len() < 500 {
                buf.push(between[(rnd() % between.len() as u64) as usize]);
                let sep = seps[(rnd() % seps.len() as u64) as usize];
                // mostly 2-4 groups of 2-4 digits; now and then up to 8
                // groups of up to 12, which span blocks
                let (groups, most) = if rnd().is_multiple_of(10) {
                    (8, 12)
                } else {
                    (3, 4)
                };
                for g in 0..1 + rnd() % groups {
                    if g > 0 {
                        buf.push(sep);
                    }
                    for _ in 0..2 + rnd() % (most - 1) {
                        buf.push(b'0' + (rnd() % 10) as u8);
                    }
                }
            }
            assert_agrees_with_reference(&buf, round);
        }
    }

    #[test]
    fn probes_find_tokens_at_every_offset() {
        for pad in 0..30 {
            let s = format!("{}1234 5678 9018{}", "x ".repeat(pad), " y".repeat(pad));
            assert_eq!(tokens(&s).len(), 1, "pad {pad}");
            let s = format!("{}123456789018{}", "ab ".repeat(pad), " y".repeat(pad));
            assert_eq!(tokens(&s).len(), 1, "pad {pad}");
        }
    }
}
