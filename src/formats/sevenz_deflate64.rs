//! Deflate64 blocks of 7z archives (7-Zip's `-m0=Deflate64`), which
//! `sevenz-rust2` has no decoder for: a block of that one coder is decoded
//! here with the `deflate64` crate (the decoder zip members use), and its
//! members are handed over one by one like the library does, each bounded
//! by its declared size and checked against its CRC when it has one. A
//! Deflate64 block behind a filter (BCJ) is left to the library, which
//! refuses it: `unsupported_format`.
//!
//! Deflate64's window is 64 KiB: the decoder's memory is fixed, whatever
//! the block declares.

use std::io::{self, Read, Seek, SeekFrom};

use sevenz_rust2::{Archive, ArchiveEntry, EncoderMethod, Error};

/// Where the packed data of an archive starts: after its signature header.
const SIGNATURE_HEADER: u64 = 32;

/// Whether block `block` is one Deflate64 coder, which [`for_each_entries`]
/// reads.
pub(super) fn reads(archive: &Archive, block: usize) -> bool {
    let coders = &archive.blocks[block].coders;
    coders.len() == 1 && coders[0].encoder_method_id() == EncoderMethod::ID_DEFLATE64
}

/// Hands each member of block `block` (in archive order) to `each` with a
/// reader over its data, as `BlockDecoder::for_each_entries` does: `each`
/// returning `false` stops the block; what a member leaves unread is
/// decoded and checked before the next. An error is the block's damage
/// (data that does not decode, a size or CRC that does not match), never
/// with a message from the data.
pub(super) fn for_each_entries<R: Read + Seek>(
    archive: &Archive,
    block: usize,
    source: &mut R,
    each: &mut dyn FnMut(&ArchiveEntry, &mut dyn Read) -> Result<bool, Error>,
) -> Result<bool, Error> {
    let first = *archive
        .stream_map
        .block_first_pack_stream_index()
        .get(block)
        .ok_or(Error::Other("block without pack stream".into()))?;
    let offset = archive
        .stream_map
        .pack_stream_offsets()
        .get(first)
        .and_then(|o| {
            SIGNATURE_HEADER
                .checked_add(archive.pack_pos())?
                .checked_add(*o)
        })
        .ok_or(Error::Other("pack stream out of range".into()))?;
    let packed = *archive
        .pack_sizes()
        .get(first)
        .ok_or(Error::Other("pack stream out of range".into()))?;
    source.seek(SeekFrom::Start(offset))?;
    let mut data = deflate64::Deflate64Decoder::new(source.take(packed));
    let members = archive
        .files
        .iter()
        .enumerate()
        .filter(|(i, _)| archive.stream_map.file_block_index.get(*i) == Some(&Some(block)))
        .map(|(_, f)| f);
    for file in members {
        let mut member = Checked {
            inner: (&mut data).take(file.size),
            crc: crc32fast::Hasher::new(),
            want: file.has_crc.then_some(file.crc),
            left: file.size,
        };
        if !each(file, &mut member)? {
            return Ok(false);
        }
        io::copy(&mut member, &mut io::sink())?;
    }
    Ok(true)
}

/// A member's data: its declared size, and its CRC checked at its end.
struct Checked<R> {
    inner: R,
    crc: crc32fast::Hasher,
    want: Option<u64>,
    /// Bytes of the declared size not yet read.
    left: u64,
}

impl<R: Read> Read for Checked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 || buf.is_empty() {
            return Ok(0);
        }
        let n = self
            .inner
            .read(buf)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "Deflate64 data"))?;
        self.crc.update(&buf[..n]);
        self.left -= n as u64;
        let ended = n == 0 || self.left == 0;
        if n == 0 && self.left > 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "member cut"));
        }
        if ended
            && self
                .want
                .is_some_and(|want| u64::from(self.crc.clone().finalize()) != want)
        {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "member CRC"));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_is_its_declared_size_and_crc() {
        let data = b"abcdef";
        let read = |want: Option<u64>, size: u64| {
            let mut m = Checked {
                inner: (&data[..]).take(size),
                crc: crc32fast::Hasher::new(),
                want,
                left: size,
            };
            let mut out = Vec::new();
            m.read_to_end(&mut out).map(|_| out)
        };
        let crc = u64::from(crc32fast::hash(b"abc"));
        assert_eq!(read(Some(crc), 3).unwrap(), b"abc");
        assert_eq!(read(None, 3).unwrap(), b"abc");
        assert!(read(Some(crc ^ 1), 3).is_err());
        // the data ends before the declared size
        let mut short = Checked {
            inner: &data[..],
            crc: crc32fast::Hasher::new(),
            want: None,
            left: 10,
        };
        assert!(short.read_to_end(&mut Vec::new()).is_err());
    }
}
