//! Reads a file (or any `Read`) in chunks into one reused, page-aligned
//! buffer, in bounded memory whatever the file size.
//!
//! Each step yields a [`Window`]: the buffer holds the new chunk plus
//! [`LOOKBACK`] bytes before it and [`LOOKAHEAD`] bytes after it. Detectors
//! scan the whole window, but a match belongs to the window only if it
//! *starts* in the window's `owned` range. Owned ranges tile the file, and
//! every decision about a match looks at most `LOOKBACK` bytes back and
//! `LOOKAHEAD` ahead, so each match is found exactly once and the findings do
//! not depend on the chunk size.

use std::io::{self, Read};
use std::ops::Range;

use crate::context::{LOOKAHEAD, LOOKBACK};

/// Default bytes of new data per window.
pub const DEFAULT_CHUNK: usize = 256 * 1024;
/// Bytes read first from a file, to decide text or binary and recognise
/// images without reading large binary files further.
pub const HEAD_LEN: usize = 8 * 1024;
const PAGE: usize = 4096;

/// A zeroed byte buffer whose start is aligned to a page.
pub struct AlignedBuf {
    storage: Vec<u8>,
    offset: usize,
    cap: usize,
}

impl AlignedBuf {
    /// A buffer of `cap` zero bytes starting on a 4 KiB page boundary.
    pub fn new(cap: usize) -> AlignedBuf {
        let storage = vec![0u8; cap + PAGE];
        let offset = storage.as_ptr().align_offset(PAGE).min(PAGE);
        AlignedBuf {
            storage,
            offset,
            cap,
        }
    }

    /// The `cap` bytes.
    pub fn as_slice(&self) -> &[u8] {
        &self.storage[self.offset..self.offset + self.cap]
    }

    /// The `cap` bytes, writable.
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        &mut self.storage[self.offset..self.offset + self.cap]
    }

    /// Its length in bytes.
    pub fn capacity(&self) -> usize {
        self.cap
    }
}

/// One step of a chunked read.
pub struct Window<'a> {
    /// The new chunk with up to [`LOOKBACK`] bytes before it and [`LOOKAHEAD`]
    /// bytes after it.
    pub buf: &'a [u8],
    /// Matches starting in this range belong to this window.
    pub owned: Range<usize>,
    /// File offset of `buf[0]`.
    pub offset: u64,
    /// `buf[0]` is the first byte of the file.
    pub at_file_start: bool,
}

/// Reads a stream window by window; reused from file to file.
pub struct ChunkReader {
    buf: AlignedBuf,
    chunk: usize,
    len: usize,
    offset: u64,
    owned_start: usize,
    eof: bool,
}

fn read_full<R: Read>(r: &mut R, dst: &mut [u8]) -> io::Result<(usize, bool)> {
    let mut n = 0;
    while n < dst.len() {
        match r.read(&mut dst[n..]) {
            Ok(0) => return Ok((n, true)),
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok((n, false))
}

impl ChunkReader {
    /// A reader whose windows own `chunk` new bytes each (at least 1).
    pub fn new(chunk: usize) -> ChunkReader {
        let chunk = chunk.max(1);
        ChunkReader {
            buf: AlignedBuf::new(LOOKBACK + chunk.max(HEAD_LEN) + LOOKAHEAD),
            chunk,
            len: 0,
            offset: 0,
            owned_start: 0,
            eof: false,
        }
    }

    /// Starts a new stream and reads its first [`HEAD_LEN`] bytes.
    pub fn start<R: Read>(&mut self, r: &mut R) -> io::Result<&[u8]> {
        self.len = 0;
        self.offset = 0;
        self.owned_start = 0;
        self.eof = false;
        let (n, eof) = read_full(r, &mut self.buf.as_mut_slice()[..HEAD_LEN])?;
        self.len = n;
        self.eof = eof;
        Ok(&self.buf.as_slice()[..n])
    }

    /// The head [`ChunkReader::start`] read (until the first window).
    pub fn head(&self) -> &[u8] {
        &self.buf.as_slice()[..self.len.min(HEAD_LEN)]
    }

    /// Ends the stream read so far at `at`, a buffer position in the owned
    /// range of the window just returned: the bytes from `at` on are moved
    /// to `tail`, and the next window starts at `at`, with the bytes that
    /// the reader it is given then yields (the rest, decoded).
    pub fn cut(&mut self, at: usize, tail: &mut Vec<u8>) {
        assert!(
            at <= self.owned_start && at <= self.len,
            "cut inside the window"
        );
        tail.extend_from_slice(&self.buf.as_slice()[at..self.len]);
        self.len = at;
        self.owned_start = at;
        self.eof = false;
    }

    /// Total bytes read from the stream so far.
    pub fn bytes_read(&self) -> u64 {
        self.offset + self.len as u64
    }

    /// The next window, or `None` at the end of the stream.
    pub fn next_window<R: Read>(&mut self, r: &mut R) -> io::Result<Option<Window<'_>>> {
        if self.owned_start > LOOKBACK {
            let drop = self.owned_start - LOOKBACK;
            self.buf.as_mut_slice().copy_within(drop..self.len, 0);
            self.offset += drop as u64;
            self.len -= drop;
            self.owned_start = LOOKBACK;
        }
        let want = (self.owned_start + self.chunk + LOOKAHEAD).min(self.buf.capacity());
        if !self.eof && self.len < want {
            let (n, eof) = read_full(r, &mut self.buf.as_mut_slice()[self.len..want])?;
            self.len += n;
            self.eof = eof;
        }
        if self.owned_start >= self.len {
            return Ok(None);
        }
        let owned_end = if self.eof {
            (self.owned_start + self.chunk).min(self.len)
        } else {
            (self.owned_start + self.chunk).min(self.len - LOOKAHEAD)
        };
        let owned = self.owned_start..owned_end;
        self.owned_start = owned_end;
        Ok(Some(Window {
            buf: &self.buf.as_slice()[..self.len],
            owned,
            offset: self.offset,
            at_file_start: self.offset == 0,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiles(data: &[u8], chunk: usize) -> Vec<Range<u64>> {
        let mut r = ChunkReader::new(chunk);
        let mut src = data;
        r.start(&mut src).unwrap();
        let mut out = Vec::new();
        while let Some(w) = r.next_window(&mut src).unwrap() {
            assert!(w.owned.end <= w.buf.len());
            let lo = w.offset + w.owned.start as u64;
            let hi = w.offset + w.owned.end as u64;
            // the owned bytes are the file's bytes
            assert_eq!(&w.buf[w.owned.clone()], &data[lo as usize..hi as usize]);
            // lookahead is available unless at the end
            assert!(
                w.buf.len() - w.owned.end >= LOOKAHEAD
                    || w.offset as usize + w.buf.len() == data.len()
            );
            out.push(lo..hi);
        }
        out
    }

    #[test]
    fn owned_ranges_tile_the_stream() {
        let data: Vec<u8> = (0..50_000u32).map(|i| (i % 251) as u8).collect();
        for chunk in [1, 7, 100, 4096, 10_000, 1 << 20] {
            let t = tiles(&data, chunk);
            assert_eq!(t.first().unwrap().start, 0);
            assert_eq!(t.last().unwrap().end, data.len() as u64);
            for w in t.windows(2) {
                assert_eq!(w[0].end, w[1].start, "chunk {chunk}");
            }
        }
        assert!(tiles(b"", 100).is_empty());
    }

    #[test]
    fn buffer_is_page_aligned() {
        let b = AlignedBuf::new(10_000);
        assert_eq!(b.as_slice().as_ptr() as usize % PAGE, 0);
    }
}
