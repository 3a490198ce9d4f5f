//! Text runs in binary data, as `strings(1)` finds them: a file that is
//! binary (an executable, a database file, a dump, a `.bin`) can still hold
//! identifiers as text. One pass over the bytes, in bounded memory, finds
//! - runs of printable UTF-8 (ASCII and well-formed multi-byte sequences)
//!   of at least [`MIN_RUN`] bytes;
//! - runs of printable UTF-16LE (Windows programs' strings), at either byte
//!   alignment, of at least [`MIN_RUN_WIDE`] code units of which at least
//!   [`MIN_ASCII_WIDE`] are ASCII (random bytes are "CJK" a third of the
//!   time; they are rarely two ASCII units), decoded to UTF-8.
//!
//! The runs are collected into [`Strings::text`], one line each; runs at
//! most [`JOIN_GAP`] bytes apart (a NUL terminator, padding) share a line
//! with a space between them, so that a label and its value stored as two
//! strings are read together (up to [`MAX_JOINED`] bytes a line). [`Strings::file_offset`] maps a position in
//! that text back to the file. A run longer than [`MAX_RUN`] is cut into
//! lines of that length.
//!
//! Shift_JIS runs are not looked for: their ASCII bytes are found as UTF-8
//! runs, their Japanese ones are not (see the README).

/// The fewest bytes of a UTF-8 run that is kept.
pub const MIN_RUN: usize = 6;
/// The fewest code units of a UTF-16LE run that is kept.
pub const MIN_RUN_WIDE: usize = 6;
/// The fewest ASCII code units in a UTF-16LE run that is kept.
pub const MIN_ASCII_WIDE: usize = 2;
/// Runs at most this many bytes apart share a line.
pub const JOIN_GAP: u64 = 4;
/// A line of joined runs ends once it is this long: a string table (names
/// one NUL apart) is many lines, not one.
pub const MAX_JOINED: usize = 256;
/// The longest run kept as one line, in bytes of text.
pub const MAX_RUN: usize = 64 << 10;

/// Where a run starts, in the text and in the file.
#[derive(Clone, Copy, Debug)]
struct Piece {
    text_at: usize,
    file_at: u64,
    /// UTF-16LE: two bytes of the file per unit.
    wide: bool,
}

/// A run of UTF-8 being read.
#[derive(Default)]
struct Narrow {
    run: Vec<u8>,
    start: u64,
    /// Continuation bytes the current character still needs.
    need: u8,
    /// Bytes of the current (incomplete) character in `run`.
    partial: u8,
}

/// A run of UTF-16LE being read, at one byte alignment.
#[derive(Default)]
struct Wide {
    run: Vec<u8>,
    start: u64,
    units: usize,
    ascii: usize,
}

/// The text runs found so far, and the state of the runs being read.
#[derive(Default)]
pub struct Strings {
    /// The runs found, one a line (or joined by a space); cleared by
    /// [`Strings::clear`].
    pub text: Vec<u8>,
    pieces: Vec<Piece>,
    /// File offset of the next byte fed.
    pos: u64,
    /// Where the last run kept ends in the file.
    last_end: u64,
    /// Where the last line of `text` starts.
    line_start: usize,
    narrow: Narrow,
    wide: [Wide; 2],
    /// The byte before `pos`, for the UTF-16 unit that ends at `pos`.
    prev: Option<u8>,
}

impl Strings {
    /// A new extractor, at file offset 0.
    pub fn new() -> Strings {
        Strings::default()
    }

    /// Reads `data`, the next bytes of the file: runs that end in it are
    /// added to [`Strings::text`].
    pub fn feed(&mut self, data: &[u8]) {
        for &b in data {
            self.narrow_byte(b);
            if let Some(lo) = self.prev {
                let unit = u16::from_le_bytes([lo, b]);
                let at = self.pos - 1;
                self.wide_unit(unit, at);
            }
            self.prev = Some(b);
            self.pos += 1;
        }
    }

    /// Ends the input: the runs still open are added.
    pub fn finish(&mut self) {
        self.end_narrow();
        for a in 0..2 {
            self.end_wide(a, self.pos);
        }
    }

    /// Forgets the text found so far (the runs being read are kept).
    pub fn clear(&mut self) {
        self.text.clear();
        self.pieces.clear();
        self.line_start = 0;
    }

    /// The file offset of position `at` of [`Strings::text`] (for a
    /// UTF-16 run, of the unit holding it).
    pub fn file_offset(&self, at: usize) -> u64 {
        let i = self.pieces.partition_point(|p| p.text_at <= at);
        let Some(p) = i.checked_sub(1).map(|i| self.pieces[i]) else {
            return 0;
        };
        let into = &self.text[p.text_at..at.min(self.text.len())];
        if p.wide {
            let chars = into.iter().filter(|&&b| b & 0xC0 != 0x80).count();
            p.file_at + 2 * chars as u64
        } else {
            p.file_at + into.len() as u64
        }
    }

    fn narrow_byte(&mut self, b: u8) {
        let n = &mut self.narrow;
        let ok = if n.need > 0 {
            if b & 0xC0 == 0x80 {
                n.need -= 1;
                n.partial += 1;
                if n.need == 0 {
                    n.partial = 0;
                }
                true
            } else {
                false
            }
        } else {
            match b {
                b'\t' | 0x20..=0x7E => true,
                0xC2..=0xDF => {
                    (n.need, n.partial) = (1, 1);
                    true
                }
                0xE0..=0xEF => {
                    (n.need, n.partial) = (2, 1);
                    true
                }
                0xF0..=0xF4 => {
                    (n.need, n.partial) = (3, 1);
                    true
                }
                _ => false,
            }
        };
        if !ok {
            self.end_narrow();
            // a byte that ends a run may start the next one
            if matches!(b, b'\t' | 0x20..=0x7E | 0xC2..=0xF4) {
                self.narrow.start = self.pos;
                self.narrow_byte(b);
            }
            return;
        }
        let n = &mut self.narrow;
        if n.run.is_empty() {
            n.start = self.pos;
        }
        n.run.push(b);
        if n.run.len() >= MAX_RUN && n.need == 0 {
            self.end_narrow();
        }
    }

    fn end_narrow(&mut self) {
        if self.narrow.run.is_empty() {
            return;
        }
        let mut run = std::mem::take(&mut self.narrow.run);
        // an incomplete character at the end is not part of the run
        let keep = run.len() - usize::from(self.narrow.partial);
        run.truncate(keep);
        let start = self.narrow.start;
        (self.narrow.need, self.narrow.partial) = (0, 0);
        if run.len() >= MIN_RUN {
            self.keep(&run, start, start + run.len() as u64, false);
        }
        run.clear();
        self.narrow.run = run;
    }

    fn wide_unit(&mut self, unit: u16, at: u64) {
        let a = (at & 1) as usize;
        let c = match unit {
            0x09 | 0x20..=0x7E => char::from(unit as u8),
            0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xFF01..=0xFF9F => {
                char::from_u32(u32::from(unit)).unwrap_or(' ')
            }
            _ => {
                self.end_wide(a, at);
                return;
            }
        };
        let w = &mut self.wide[a];
        if w.units == 0 {
            w.start = at;
        }
        let mut utf8 = [0u8; 4];
        w.run.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
        w.units += 1;
        w.ascii += usize::from(c.is_ascii());
        if w.run.len() >= MAX_RUN {
            self.end_wide(a, at + 2);
        }
    }

    fn end_wide(&mut self, a: usize, end: u64) {
        let w = &mut self.wide[a];
        if w.units == 0 {
            return;
        }
        let mut run = std::mem::take(&mut w.run);
        let (start, units, ascii) = (w.start, w.units, w.ascii);
        (w.units, w.ascii) = (0, 0);
        if units >= MIN_RUN_WIDE && ascii >= MIN_ASCII_WIDE {
            self.keep(&run, start, end, true);
        }
        run.clear();
        self.wide[a].run = run;
    }

    /// Adds a run found at `start..end` of the file to the text.
    fn keep(&mut self, run: &[u8], start: u64, end: u64, wide: bool) {
        if !self.text.is_empty() {
            let near = start >= self.last_end
                && start - self.last_end <= JOIN_GAP
                && self.text.len() - self.line_start < MAX_JOINED;
            if near {
                self.text.push(b' ');
            } else {
                self.text.push(b'\n');
                self.line_start = self.text.len();
            }
        }
        self.pieces.push(Piece {
            text_at: self.text.len(),
            file_at: start,
            wide,
        });
        self.text.extend_from_slice(run);
        self.last_end = self.last_end.max(end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(data: &[u8]) -> String {
        let mut s = Strings::new();
        // fed in small pieces: runs cross the pieces
        for piece in data.chunks(3) {
            s.feed(piece);
        }
        s.finish();
        String::from_utf8(s.text).unwrap()
    }

    #[test]
    fn finds_utf8_runs_and_drops_short_ones() {
        let data = b"\x00\x01hello world\x00ab\x00\xff\xfe\x00\x00\x00\x00\x00\x00second run\x00";
        assert_eq!(runs(data), "hello world\nsecond run");
        let jp = "個人番号".as_bytes();
        let mut data = vec![0u8, 0x80];
        data.extend_from_slice(jp);
        data.extend_from_slice(b"\x00123456789012\x01\x02");
        assert_eq!(runs(&data), "個人番号 123456789012");
    }

    #[test]
    fn an_incomplete_character_ends_a_run() {
        // 'abcdef' then the first two bytes of a 3-byte character
        assert_eq!(runs(b"abcdef\xE5\x80\x00xyzxyz"), "abcdef xyzxyz");
    }

    #[test]
    fn finds_utf16le_runs_at_either_alignment() {
        let wide: Vec<u8> = "個人番号: 1234"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        for pad in 0..2 {
            let mut data = vec![0xFFu8; 7 + pad];
            data.extend_from_slice(&wide);
            data.extend_from_slice(&[0xFF; 9]);
            assert_eq!(runs(&data), "個人番号: 1234", "pad {pad}");
        }
        // mostly "CJK" with fewer than two ASCII units: noise, not kept
        let noise: Vec<u8> = "個人番号番号a"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(runs(&noise), "");
    }

    #[test]
    fn maps_text_positions_to_file_offsets() {
        let mut s = Strings::new();
        let mut data = vec![0u8; 10];
        data.extend_from_slice(b"abcdefgh");
        data.extend_from_slice(&[0u8; 20]);
        data.extend(
            "xy 1234567"
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect::<Vec<u8>>(),
        );
        s.feed(&data);
        s.finish();
        assert_eq!(String::from_utf8_lossy(&s.text), "abcdefgh\nxy 1234567");
        assert_eq!(s.file_offset(2), 12);
        // '1' is the 4th unit of the wide run, which starts at 38
        assert_eq!(s.file_offset(12), 38 + 2 * 3);
    }

    #[test]
    fn a_long_run_is_cut_into_lines() {
        let data = vec![b'a'; MAX_RUN + 10];
        let text = runs(&data);
        assert_eq!(text.len(), MAX_RUN + 10 + 1);
        assert_eq!(text.matches('\n').count() + text.matches(' ').count(), 1);
    }
}
