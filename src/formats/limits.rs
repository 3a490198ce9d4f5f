//! Limits on what one file may expand to, and the readers that enforce
//! them: a [`Metered`] reader stops at a byte limit, an [`Inflation`]
//! reader stops a stream decoder whose output outgrows the compressed bytes
//! it has consumed (counted by [`Consumed`]), a [`Salvage`] reader
//! turns a decoder's error into the end of the stream (keeping the error),
//! [`read_capped`] reads a part whole only up to a cap.
//!
//! They guard against decompression bombs: entries per archive, bytes
//! inflated per file, the inflation ratio of a member, the nesting depth,
//! and the largest part held in memory. A member past a limit is a
//! recorded skip ([`crate::outcome::SkipReason::ArchiveLimit`]): never
//! silent.

use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;

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
    /// Bytes a member may inflate to before `max_ratio` applies.
    pub ratio_floor: u64,
    /// Largest PDF (at most 16 MiB: `formats::pdf::MAX_PDF`), mail
    /// message, Office part or SQLite file read into memory: two workers
    /// stay well under 100 MB.
    pub max_in_memory: u64,
    /// Bytes one file's nested containers (a zip or 7z inside an archive:
    /// they need random access) hold in memory together, all levels
    /// drawing from it ([`super::spill`]); a container that does not fit
    /// what is left is spilled to a temporary file. 16 MiB: a worker
    /// holding it and a 64 MiB window stays under 100 MB.
    pub memory_budget: u64,
    /// Bytes one file's nested containers spill to temporary disk
    /// together (`--max-spill`); a container over what is left is a gap
    /// ([`crate::outcome::SkipReason::SpillLimit`]).
    pub max_spill: u64,
    /// History window a decoder may hold on its own: an LZMA/LZMA2
    /// dictionary or PPMd model in a 7z or xz, a zstd frame's window.
    /// Declared in the data (7z allows 4 GiB, zstd 3.75 TiB) and filled as
    /// the output grows; 16 MiB (`xz -6` uses 8 MiB, `zstd -19` 8 MiB,
    /// `7z a` at its default level 16 MiB) keeps a second worker's window
    /// small beside the one big window of [`max_window`](Limits::max_window).
    /// A larger window takes the process-wide permit first
    /// ([`super::window`]).
    pub free_window: u64,
    /// Largest history window read at all, and the process-wide budget
    /// that windows over [`free_window`](Limits::free_window) share
    /// (`--max-window`): 64 MiB reads `xz -9`/`-9e` (64 MiB), `zstd -19`
    /// (8 MiB), and `7z a -mx9` and `zstd --ultra -22` of inputs up to
    /// 64 MiB (they declare a window the size of the input, up to 256 and
    /// 128 MiB), and keeps a whole scan of one file under 100 MB peak RSS.
    /// A larger window is a gap ([`crate::outcome::SkipReason::WindowLimit`]),
    /// refused before it is allocated.
    pub max_window: u64,
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
            memory_budget: 16 << 20,
            max_spill: 2 << 30,
            free_window: 16 << 20,
            max_window: 64 << 20,
        }
    }
}

impl Limits {
    /// These limits with the largest window read set to `bytes`
    /// (`--max-window`); the window a decoder holds on its own is never
    /// more than that.
    pub fn with_max_window(self, bytes: u64) -> Limits {
        Limits {
            free_window: self.free_window.min(bytes),
            max_window: bytes,
            ..self
        }
    }
}

/// Counts bytes read through it and stops with an error past a limit.
pub struct Metered<R> {
    inner: R,
    /// Bytes read through it so far.
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
    /// Wraps `inner`; reads past `limit` bytes fail with [`LimitHit`].
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

/// Counts the bytes a decoder reads from under it: the compressed bytes
/// consumed so far, shared with the [`Inflation`] reader over the decoder.
pub struct Consumed<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Consumed<R> {
    /// Wraps `inner`; the returned counter follows the bytes read.
    pub fn new(inner: R) -> (Consumed<R>, Rc<Cell<u64>>) {
        let count = Rc::new(Cell::new(0));
        (
            Consumed {
                inner,
                count: Rc::clone(&count),
            },
            count,
        )
    }
}

impl<R: Read> Read for Consumed<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// Stops a stream decoder (gzip, bzip2, xz, zstd: no size known ahead)
/// with [`LimitHit`] once its output passes `max_ratio` times the
/// compressed bytes consumed, and `floor` bytes: the ratio cap a zip
/// member gets from its header, checked as the stream goes.
pub struct Inflation<R> {
    inner: R,
    consumed: Rc<Cell<u64>>,
    out: u64,
    max_ratio: u64,
    floor: u64,
}

impl<R: Read> Inflation<R> {
    /// Wraps decoder `inner`, whose input is counted by `consumed`
    /// ([`Consumed::new`]), under `limits`.
    pub fn new(inner: R, consumed: Rc<Cell<u64>>, limits: &Limits) -> Inflation<R> {
        Inflation {
            inner,
            consumed,
            out: 0,
            max_ratio: limits.max_ratio,
            floor: limits.ratio_floor,
        }
    }
}

impl<R: Read> Read for Inflation<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.out += n as u64;
        let cap = self
            .consumed
            .get()
            .saturating_mul(self.max_ratio)
            .max(self.floor);
        if self.out > cap {
            return Err(io::Error::other(LimitHit));
        }
        Ok(n)
    }
}

/// Turns a read error into the end of the stream, keeping the error: what
/// was read of a truncated or corrupt member is still scanned, and the
/// member is then reported as failed.
pub struct Salvage<R> {
    inner: R,
    /// The error that ended the stream, if one did.
    pub error: Option<io::Error>,
}

impl<R: Read> Salvage<R> {
    /// Wraps `inner`, with no error yet.
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

/// All of `r` if it is at most `cap` bytes; else `Err` with how many bytes
/// were read (the rest is drained, never held).
pub fn read_capped(r: &mut dyn Read, cap: u64) -> io::Result<Result<Vec<u8>, u64>> {
    let mut data = Vec::new();
    r.take(cap + 1).read_to_end(&mut data)?;
    if data.len() as u64 <= cap {
        return Ok(Ok(data));
    }
    let rest = io::copy(r, &mut io::sink())?;
    Ok(Err(data.len() as u64 + rest))
}

/// The error a decoder returns when its history window is refused: over
/// [`Limits::max_window`], or over the budget left while a window of the
/// same worker is open ([`super::window`]).
#[derive(Debug)]
pub struct WindowHit;

impl std::fmt::Display for WindowHit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("decoder window over --max-window")
    }
}

impl std::error::Error for WindowHit {}

impl WindowHit {
    /// As the I/O error a decoder's reader returns.
    pub fn into_io(self) -> io::Error {
        io::Error::other(self)
    }
}

/// Whether an I/O error is a refused window ([`WindowHit`]).
pub fn is_window_limit(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<WindowHit>())
}

/// Whether an I/O error is a [`Metered`] limit.
pub fn is_limit(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<LimitHit>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metered_stops_at_its_limit() {
        let data = [7u8; 100];
        let mut m = Metered::new(&data[..], 40);
        let mut out = Vec::new();
        let e = m.read_to_end(&mut out).unwrap_err();
        assert!(is_limit(&e));
        assert_eq!(out.len(), 40);
    }

    fn inflate(data: &[u8], floor: u64) -> (io::Result<u64>, u64) {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        io::Write::write_all(&mut enc, data).unwrap();
        let gz = enc.finish().unwrap();
        let (counted, consumed) = Consumed::new(&gz[..]);
        let limits = Limits {
            ratio_floor: floor,
            ..Limits::default()
        };
        let mut r = Inflation::new(flate2::read::GzDecoder::new(counted), consumed, &limits);
        let mut out = Vec::new();
        let result = r.read_to_end(&mut out).map(|n| n as u64);
        (result, out.len() as u64)
    }

    #[test]
    fn inflation_stops_a_stream_past_its_ratio() {
        // 8 MiB of one byte: ~1000 times smaller compressed
        let (result, out) = inflate(&vec![b'0'; 8 << 20], 1 << 20);
        assert!(is_limit(&result.unwrap_err()));
        assert!(out < 8 << 20, "stopped early, at {out}");
        // the same under the floor, and text that compresses like text, pass
        assert_eq!(inflate(&vec![b'0'; 8 << 20], 16 << 20).0.unwrap(), 8 << 20);
        let text: Vec<u8> = (0..200_000u32)
            .flat_map(|i| format!("{i},{}\n", i.wrapping_mul(2_654_435_761)).into_bytes())
            .collect();
        assert_eq!(inflate(&text, 0).0.unwrap(), text.len() as u64);
    }
}
