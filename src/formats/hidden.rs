//! Data a container carries outside its members, which its tools never
//! show as a file but which can hold anything: zstd and LZ4 skippable
//! frames, a gzip header's comment and extra field. A reader collects it
//! as it passes ([`Side`]), up to [`MAX_SIDE`] bytes, and the container
//! scans it afterwards as a member of its own ([`super::Scope::hidden`]);
//! what did not fit is an `archive_limit` gap on that member.
//!
//! (Data a container holds at known places — a zip's comments, bytes after
//! its end record or between its members, a tar's pax records — is read in
//! place by its format; see [`super::archive`].)

use std::cell::RefCell;
use std::io::{self, Read};
use std::rc::Rc;

/// Most bytes of one kind of side data held for a container (1 MiB): past
/// it the rest is read past, not held, and the member is a gap.
pub const MAX_SIDE: usize = 1 << 20;

/// Side data of one kind, collected as a container is read: at most
/// [`MAX_SIDE`] bytes, and whether more was there.
#[derive(Debug, Default)]
pub struct Side {
    /// What was kept.
    pub bytes: Vec<u8>,
    /// Whether some was left out (over [`MAX_SIDE`]).
    pub over: bool,
}

/// Side data shared between a decoder, which fills it, and the container,
/// which scans it once the decoder is done.
pub type Shared = Rc<RefCell<Side>>;

impl Side {
    /// Keeps what of `data` fits; `false` (and the side marked over) when
    /// not all did.
    pub fn push(&mut self, data: &[u8]) -> bool {
        let room = MAX_SIDE.saturating_sub(self.bytes.len());
        let take = data.len().min(room);
        self.bytes.extend_from_slice(&data[..take]);
        if take < data.len() {
            self.over = true;
        }
        !self.over
    }

    /// Reads `len` bytes from `r`, keeping what fits: the bytes read (fewer
    /// than `len` when `r` ended).
    pub fn push_from<R: Read>(&mut self, r: &mut R, len: u64) -> io::Result<u64> {
        let mut buf = [0u8; 8192];
        let mut left = len;
        while left > 0 {
            let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
            let n = match r.read(&mut buf[..want]) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            self.push(&buf[..n]);
            left -= n as u64;
        }
        Ok(len - left)
    }

    /// Ends one piece (a frame, a header field): a line break, so that
    /// pieces are not read as one line.
    pub fn end_piece(&mut self) {
        if !self.bytes.is_empty() && !self.bytes.ends_with(b"\n") {
            self.push(b"\n");
        }
    }
}

/// A new, empty [`Shared`] side.
pub fn shared() -> Shared {
    Rc::new(RefCell::new(Side::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn side_keeps_up_to_its_cap_and_says_so() {
        let mut s = Side::default();
        assert!(s.push(b"abc"));
        let big = vec![b'x'; MAX_SIDE];
        let mut r = &big[..];
        assert_eq!(
            s.push_from(&mut r, big.len() as u64).unwrap(),
            MAX_SIDE as u64
        );
        assert_eq!(s.bytes.len(), MAX_SIDE);
        assert!(s.over);
        // a source that ends early
        let mut short = &b"12"[..];
        assert_eq!(Side::default().push_from(&mut short, 5).unwrap(), 2);
    }
}
