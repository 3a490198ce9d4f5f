//! Where the lines of a window are: a bitmap of its newlines, made in one
//! SIMD pass, and the look-ups the detectors and the line counter make on it
//! (the start and end of a value's line, the lines above it, the newlines
//! before a finding).
//!
//! A digit-heavy file has a look-alike number every few lines; each one
//! asked `memrchr`/`memchr` for its line start, the three lines above and
//! its line end, and the line counter counted the bytes between findings
//! again. A bit test per 64 bytes answers all of them.

/// The newlines of a buffer: bit `i % 64` of word `i / 64` is set when byte
/// `i` is `\n`.
#[derive(Debug, Default)]
pub struct Newlines {
    words: Vec<u64>,
    len: usize,
}

impl Newlines {
    /// Maps the newlines of `buf`, reusing the allocation.
    pub fn map(&mut self, buf: &[u8]) {
        self.len = buf.len();
        self.words.clear();
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked just above.
            unsafe { map_blocks_avx2(buf, &mut self.words) };
        } else {
            map_blocks(buf, &mut self.words);
        }
        #[cfg(not(target_arch = "x86_64"))]
        map_blocks(buf, &mut self.words);
        let tail = &buf[buf.len() / 64 * 64..];
        if !tail.is_empty() {
            let mut last = 0;
            for (i, &b) in tail.iter().enumerate() {
                last |= u64::from(b == b'\n') << i;
            }
            self.words.push(last);
        }
    }

    /// The length of the buffer mapped.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the buffer mapped is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The last newline in `from..to`.
    pub fn last_in(&self, from: usize, to: usize) -> Option<usize> {
        if from >= to {
            return None;
        }
        debug_assert!(to <= self.len);
        let mut w = (to - 1) / 64;
        // bits of word w below `to`
        let mut word = self.words[w] & (u64::MAX >> (63 - (to - 1) % 64));
        loop {
            if word != 0 {
                let pos = w * 64 + 63 - word.leading_zeros() as usize;
                return (pos >= from).then_some(pos);
            }
            if w == 0 || w * 64 <= from {
                return None;
            }
            w -= 1;
            word = self.words[w];
        }
    }

    /// The first newline in `from..to`.
    pub fn first_in(&self, from: usize, to: usize) -> Option<usize> {
        if from >= to {
            return None;
        }
        debug_assert!(to <= self.len);
        let mut w = from / 64;
        let mut word = self.words[w] & (u64::MAX << (from % 64));
        loop {
            if word != 0 {
                let pos = w * 64 + word.trailing_zeros() as usize;
                return (pos < to).then_some(pos);
            }
            w += 1;
            if w * 64 >= to {
                return None;
            }
            word = self.words[w];
        }
    }

    /// How many newlines `from..to` holds.
    pub fn count(&self, from: usize, to: usize) -> usize {
        if from >= to {
            return 0;
        }
        debug_assert!(to <= self.len);
        let (first, last) = (from / 64, (to - 1) / 64);
        let low = u64::MAX << (from % 64);
        let high = u64::MAX >> (63 - (to - 1) % 64);
        if first == last {
            return (self.words[first] & low & high).count_ones() as usize;
        }
        ((self.words[first] & low).count_ones() as usize)
            + count_ones(&self.words[first + 1..last])
            + ((self.words[last] & high).count_ones() as usize)
    }
}

/// The bits set in `words` (a window's worth at the end of each window).
fn count_ones(words: &[u64]) -> usize {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("popcnt") {
        // SAFETY: the CPU has POPCNT, checked just above.
        return unsafe { count_ones_popcnt(words) };
    }
    words.iter().map(|w| w.count_ones() as usize).sum()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "popcnt")]
unsafe fn count_ones_popcnt(words: &[u64]) -> usize {
    words.iter().map(|w| w.count_ones() as usize).sum()
}

/// Appends the newline masks of `buf`'s whole 64-byte blocks to `words`.
#[inline(always)]
fn map_blocks(buf: &[u8], words: &mut Vec<u64>) {
    words.extend(
        buf.chunks_exact(64)
            .map(|block| newline_mask(block.try_into().expect("64 bytes"))),
    );
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn map_blocks_avx2(buf: &[u8], words: &mut Vec<u64>) {
    use std::arch::x86_64::*;
    words.extend(buf.chunks_exact(64).map(|block| {
        // SAFETY: the caller guarantees AVX2; the two unaligned loads read
        // 32 bytes each inside the 64-byte block.
        let (a, b) = unsafe {
            let nl = _mm256_set1_epi8(b'\n' as i8);
            let a = _mm256_loadu_si256(block.as_ptr() as *const __m256i);
            let b = _mm256_loadu_si256(block.as_ptr().add(32) as *const __m256i);
            (
                _mm256_movemask_epi8(_mm256_cmpeq_epi8(a, nl)) as u32,
                _mm256_movemask_epi8(_mm256_cmpeq_epi8(b, nl)) as u32,
            )
        };
        u64::from(a) | (u64::from(b) << 32)
    }));
}

/// Bit i: `block[i]` is `\n`.
#[cfg(target_arch = "x86_64")]
#[inline]
fn newline_mask(block: &[u8; 64]) -> u64 {
    use std::arch::x86_64::*;
    let mut m = 0u64;
    for k in 0..4 {
        // SAFETY: SSE2 is part of the x86_64 baseline, and the unaligned
        // load reads 16 bytes inside the 64-byte array.
        let bits = unsafe {
            let v = _mm_loadu_si128(block.as_ptr().add(16 * k) as *const __m128i);
            _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'\n' as i8))) as u16
        };
        m |= u64::from(bits) << (16 * k);
    }
    m
}

/// Bit i: `block[i]` is `\n`.
#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn newline_mask(block: &[u8; 64]) -> u64 {
    let mut m = 0u64;
    for (i, &b) in block.iter().enumerate() {
        m |= u64::from(b == b'\n') << i;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every look-up agrees with a plain search, over every range of
    /// buffers with newlines at and around the 64-byte word boundaries.
    #[test]
    fn look_ups_agree_with_a_plain_search() {
        let mut rnd = crate::digits::tests::xorshift(0x853C49E6748FEA9Bu64);
        let mut nl = Newlines::default();
        for round in 0..60 {
            let len = (rnd() % 200) as usize;
            let dense = round % 3 == 0;
            let buf: Vec<u8> = (0..len)
                .map(|_| match rnd() % if dense { 3 } else { 40 } {
                    0 => b'\n',
                    _ => b'x',
                })
                .collect();
            nl.map(&buf);
            assert_eq!(nl.len(), len);
            for from in 0..=len {
                for to in from..=len {
                    let part = &buf[from..to];
                    assert_eq!(
                        nl.last_in(from, to),
                        memchr::memrchr(b'\n', part).map(|i| from + i),
                        "last_in {from}..{to} of round {round}"
                    );
                    assert_eq!(
                        nl.first_in(from, to),
                        memchr::memchr(b'\n', part).map(|i| from + i),
                        "first_in {from}..{to} of round {round}"
                    );
                    assert_eq!(
                        nl.count(from, to),
                        part.iter().filter(|&&b| b == b'\n').count(),
                        "count {from}..{to} of round {round}"
                    );
                }
            }
        }
    }
}
