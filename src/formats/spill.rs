//! Nested containers held for random access: in memory while they fit
//! what their file may still hold, else spilled to an unnamed temporary
//! file.
//!
//! A zip or 7z inside another container needs random access (its
//! directory is at its end), so it is read whole before its members are.
//! Every nesting level of one file draws from that file's two budgets,
//! carried in its [`Nest`] by value: bytes held in memory
//! ([`Limits::memory_budget`](super::limits::Limits::memory_budget)) and
//! bytes spilled to disk
//! ([`Limits::max_spill`](super::limits::Limits::max_spill)). A container
//! held at one level leaves its
//! members' levels what remains, so a tar holding a zip holding a zip
//! holds at most the memory budget whatever the depth or the number of
//! workers' files, and nothing is restored by hand: each level's budgets
//! end with it. A container over what is left of both is not read (a
//! recorded `archive_limit` gap, [`SkipReason::SpillLimit`]); so is one
//! whose spill fails (no temporary directory, the disk full).
//!
//! The temporary file is unnamed (`tempfile::tempfile`, in `TMPDIR`): it
//! is gone when closed, or when the process ends however it ends.

use std::fs::File;
use std::io::{self, Read, Seek, Write};

use super::Nest;
use crate::outcome::SkipReason;

/// A nested container held whole for random access.
#[derive(Debug)]
pub enum Held {
    /// In memory.
    Memory(io::Cursor<Vec<u8>>),
    /// Spilled to an unnamed temporary file, rewound.
    Disk(io::BufReader<File>),
}

impl Read for Held {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Held::Memory(c) => c.read(buf),
            Held::Disk(f) => f.read(buf),
        }
    }
}

impl Seek for Held {
    fn seek(&mut self, pos: io::SeekFrom) -> io::Result<u64> {
        match self {
            Held::Memory(c) => c.seek(pos),
            Held::Disk(f) => f.seek(pos),
        }
    }
}

/// Reads `r` whole for random access under the budgets `nest` has left:
/// in memory up to [`Nest::memory`] bytes, else to a temporary file up
/// to [`Nest::spill`] bytes. Takes what it holds off `nest`'s budgets,
/// so that the levels inside see only what is left. `Ok(Err(reason))`:
/// not held (over both budgets, or the spill failed; the rest of `r` is
/// drained, never held). `Err`: reading `r` failed.
pub fn hold(r: &mut dyn Read, nest: &mut Nest) -> io::Result<Result<Held, SkipReason>> {
    let mut data = Vec::new();
    r.take(nest.memory.saturating_add(1))
        .read_to_end(&mut data)?;
    let len = data.len() as u64;
    if len <= nest.memory {
        nest.memory -= len;
        return Ok(Ok(Held::Memory(io::Cursor::new(data))));
    }
    if len > nest.spill {
        io::copy(r, &mut io::sink())?;
        return Ok(Err(SkipReason::SpillLimit));
    }
    let Ok(mut file) = tempfile::tempfile() else {
        io::copy(r, &mut io::sink())?;
        return Ok(Err(SkipReason::SpillLimit));
    };
    if file.write_all(&data).is_err() {
        io::copy(r, &mut io::sink())?;
        return Ok(Err(SkipReason::SpillLimit));
    }
    drop(data);
    let room = nest.spill - len;
    let mut rest = r.take(room.saturating_add(1));
    let copied = match copy_to(&mut rest, &mut file)? {
        Some(n) => n,
        None => {
            io::copy(r, &mut io::sink())?;
            return Ok(Err(SkipReason::SpillLimit));
        }
    };
    if copied > room {
        io::copy(r, &mut io::sink())?;
        return Ok(Err(SkipReason::SpillLimit));
    }
    if file.rewind().is_err() {
        return Ok(Err(SkipReason::SpillLimit));
    }
    nest.spill -= len + copied;
    Ok(Ok(Held::Disk(io::BufReader::new(file))))
}

/// Copies `r` into `file`: the bytes copied, `None` when writing failed,
/// `Err` when reading failed (the two are told apart: a read error is the
/// source's, a write error the spill's).
fn copy_to(r: &mut dyn Read, file: &mut File) -> io::Result<Option<u64>> {
    let mut buf = vec![0u8; 64 << 10];
    let mut total = 0u64;
    loop {
        let n = match r.read(&mut buf) {
            Ok(0) => return Ok(Some(total)),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if file.write_all(&buf[..n]).is_err() {
            return Ok(None);
        }
        total += n as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nest(memory: u64, spill: u64) -> Nest {
        Nest {
            memory,
            spill,
            ..Nest::default()
        }
    }

    fn all(mut held: Held) -> Vec<u8> {
        let mut out = Vec::new();
        held.seek(io::SeekFrom::Start(0)).unwrap();
        held.read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn held_in_memory_then_on_disk_then_refused() {
        let data: Vec<u8> = (0..200_000u32).map(|i| i as u8).collect();
        // fits in memory: the memory budget shrinks
        let mut n = nest(300_000, 0);
        let held = hold(&mut &data[..], &mut n).unwrap().unwrap();
        assert!(matches!(held, Held::Memory(_)));
        assert_eq!(n.memory, 100_000);
        assert_eq!(all(held), data);
        // over the memory left and no spill: refused
        let refused = hold(&mut &data[..], &mut n).unwrap().unwrap_err();
        assert_eq!(refused, SkipReason::SpillLimit);
        // over the memory left: spilled, the spill budget shrinks
        let mut n = nest(1000, 250_000);
        let held = hold(&mut &data[..], &mut n).unwrap().unwrap();
        assert!(matches!(held, Held::Disk(_)));
        assert_eq!((n.memory, n.spill), (1000, 50_000));
        assert_eq!(all(held), data);
        // over both: refused, and drained
        let mut r = &data[..];
        let refused = hold(&mut r, &mut n).unwrap().unwrap_err();
        assert_eq!(refused, SkipReason::SpillLimit);
        assert!(r.is_empty());
        assert_eq!((n.memory, n.spill), (1000, 50_000));
    }
}
