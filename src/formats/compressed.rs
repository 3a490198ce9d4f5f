//! Compressed files with one member: gzip (concatenated members too),
//! bzip2, xz and zstd, by their magic bytes, through pure-Rust decoders
//! (flate2/miniz_oxide, bzip2/libbz2-rs-sys, lzma-rust2, ruzstd). The member
//! is named after the file without its extension; the tar inside a
//! `.tar.gz` (`.tgz`, ...) is not named: a compressed tarball is one archive
//! to its users.

//!
//! Their output is held to the inflation ratio as it streams
//! ([`Inflation`]), as a zip member's is from its header, and to the
//! file's byte budget. A zstd file is read frame after frame (skippable
//! frames skipped), each frame's window held to [`max_window`](super::limits::Limits::max_window):
//! a larger one (`zstd --long=27` on a large input) is an `archive_limit`
//! gap, refused before its buffer grows.

use std::io::{self, BufRead, Read};

use ruzstd::decoding::errors::{FrameDecoderError, ReadFrameHeaderError};
use ruzstd::decoding::{BlockDecodingStrategy, FrameDecoder};

use super::limits::{Consumed, Inflation, LimitHit};
use super::{Format, Scope};
use crate::outcome::Damage;
use crate::provenance::Step;

/// gzip.
pub(crate) static GZIP: Format = Format {
    name: "gzip",
    sniff: |head, _| head.starts_with(b"\x1f\x8b"),
    file_checks: false,
    read: |scope, r| {
        read_stream(scope, r, |c| Ok(flate2::read::MultiGzDecoder::new(c)));
        Ok(())
    },
};

/// bzip2 (`BZh` and a block size digit).
pub(crate) static BZIP2: Format = Format {
    name: "bzip2",
    sniff: |head, _| {
        head.len() >= 4 && head.starts_with(b"BZh") && (b'1'..=b'9').contains(&head[3])
    },
    file_checks: false,
    read: |scope, r| {
        read_stream(scope, r, |c| Ok(bzip2::read::MultiBzDecoder::new(c)));
        Ok(())
    },
};

/// xz.
pub(crate) static XZ: Format = Format {
    name: "xz",
    sniff: |head, _| head.starts_with(b"\xFD7zXZ\x00"),
    file_checks: false,
    read: |scope, r| {
        // the dictionary a block declares is refused past the window limit
        // before it is allocated (xz -9 declares 64 MiB, a hostile file 4 GiB)
        let kib = (scope.limits().max_window >> 10).saturating_add(1024);
        let kib = u32::try_from(kib).unwrap_or(u32::MAX);
        read_stream(scope, r, |c| {
            Ok(MemoryIsLimit(lzma_rust2::XzReader::new_mem_limit(
                c, true, kib,
            )))
        });
        Ok(())
    },
};

/// An xz block over the memory limit is a limit reached (`archive_limit`),
/// not damage.
struct MemoryIsLimit<R>(R);

impl<R: Read> Read for MemoryIsLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf).map_err(|e| match e.kind() {
            io::ErrorKind::OutOfMemory => io::Error::other(super::limits::LimitHit),
            _ => e,
        })
    }
}

/// zstd.
pub(crate) static ZSTD: Format = Format {
    name: "zstd",
    sniff: |head, _| head.starts_with(b"\x28\xB5\x2F\xFD"),
    file_checks: false,
    read: |scope, r| {
        let max_window = scope.limits().max_window;
        read_stream(scope, r, |c| Ok(ZstdFrames::new(c, max_window)));
        Ok(())
    },
};

/// The frames of a zstd file, one after the other, as one stream; a
/// frame's header is read when the frame before it has ended.
struct ZstdFrames<R: Read> {
    source: io::BufReader<R>,
    frame: FrameDecoder,
    /// Inside a frame (its header read, its blocks not all decoded).
    open: bool,
    /// Bytes handed out so far: where damage is said to be.
    out: u64,
}

impl<R: Read> ZstdFrames<R> {
    /// Reads frames from `source`, each with a window of at most
    /// `max_window` bytes.
    fn new(source: R, max_window: u64) -> ZstdFrames<R> {
        let mut frame = FrameDecoder::new();
        frame.set_max_window_size(max_window);
        ZstdFrames {
            source: io::BufReader::new(source),
            frame,
            open: false,
            out: 0,
        }
    }

    /// Opens the next frame; `false` at the end of the input. Skippable
    /// frames are passed over; a window past the limit is a [`LimitHit`],
    /// anything else damage (in leakscan's words).
    fn next_frame(&mut self) -> io::Result<bool> {
        loop {
            if self.source.fill_buf()?.is_empty() {
                return Ok(false);
            }
            match self.frame.reset(&mut self.source) {
                Ok(()) => return Ok(true),
                Err(FrameDecoderError::ReadFrameHeaderError(ReadFrameHeaderError::SkipFrame {
                    length,
                    ..
                })) => {
                    let skipped = io::copy(
                        &mut (&mut self.source).take(u64::from(length)),
                        &mut io::sink(),
                    )?;
                    if skipped < u64::from(length) {
                        return Err(Damage::Data(self.out).error());
                    }
                }
                Err(FrameDecoderError::WindowSizeTooBig { .. }) => {
                    return Err(io::Error::other(LimitHit))
                }
                Err(_) => return Err(Damage::Data(self.out).error()),
            }
        }
    }
}

impl<R: Read> Read for ZstdFrames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if !self.open {
                if !self.next_frame()? {
                    return Ok(0);
                }
                self.open = true;
            }
            while self.frame.can_collect() == 0 && !self.frame.is_finished() {
                self.frame
                    .decode_blocks(&mut self.source, BlockDecodingStrategy::UptoBlocks(1))
                    .map_err(|_| Damage::Data(self.out).error())?;
            }
            let n = self.frame.read(buf)?;
            if n > 0 {
                self.out += n as u64;
                return Ok(n);
            }
            // this frame is done: on to the next
            self.open = false;
        }
    }
}

/// Scans the one member, decoded from `r` by the decoder `decoder` makes
/// (or the damage that kept it from starting), held to the inflation
/// ratio as it streams.
fn read_stream<'r, D: Read>(
    scope: &mut Scope<'_, '_, '_>,
    r: &'r mut dyn Read,
    decoder: impl FnOnce(Consumed<&'r mut dyn Read>) -> Result<D, Damage>,
) {
    let step = member_step(&scope.path());
    let (counted, consumed) = Consumed::new(r);
    match decoder(counted) {
        Ok(d) => {
            let mut inflation = Inflation::new(d, consumed, &scope.limits());
            scope.member(step, &mut inflation, None);
        }
        Err(damage) => scope.corrupt(step, damage),
    }
}

/// The member's step: the file's name without its compression extension;
/// `None` (no level of its own) for a tarball, and for a file whose name
/// has no such extension (`-` from stdin, `backup`): its content is the
/// file's, whatever it turns out to be.
fn member_step(path: &str) -> Option<Step> {
    let name = member_name(path)?;
    (!name.to_ascii_lowercase().ends_with(".tar")).then_some(Step::Entry(name))
}

/// The member name of a compressed file: its name without `.gz`, `.bz2`,
/// `.xz` or `.zst` (`.tgz` and the like name a `.tar`); `None` without such
/// an extension.
fn member_name(path: &str) -> Option<String> {
    // levels are joined with `!/`: a `!` alone is part of a name
    let file = path.rsplit('/').next().unwrap_or(path);
    let lower = file.to_ascii_lowercase();
    for ext in [".tgz", ".tbz2", ".tbz", ".txz", ".tzst"] {
        if lower.ends_with(ext) {
            return Some(format!("{}.tar", &file[..file.len() - ext.len()]));
        }
    }
    for ext in [".gz", ".bz2", ".xz", ".zst", ".zstd"] {
        if lower.ends_with(ext) {
            return Some(file[..file.len() - ext.len()].to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zstd_frames_are_read_one_after_the_other() {
        let skippable = [0x50, 0x2A, 0x4D, 0x18, 3, 0, 0, 0, b'x', b'y', b'z'];
        // two frames (the first compressed, the second raw) around a skippable frame
        let mut data = ruzstd::encoding::compress_to_vec(
            &b"first frame,"[..],
            ruzstd::encoding::CompressionLevel::Fastest,
        );
        data.extend_from_slice(&skippable);
        data.extend(ruzstd::encoding::compress_to_vec(
            &b"second frame"[..],
            ruzstd::encoding::CompressionLevel::Uncompressed,
        ));
        let mut out = Vec::new();
        ZstdFrames::new(&data[..], 1 << 20)
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, b"first frame,second frame");
        // a cut frame is damage in leakscan's words
        let e = ZstdFrames::new(&data[..data.len() - 3], 1 << 20)
            .read_to_end(&mut Vec::new())
            .unwrap_err();
        assert!(e.get_ref().unwrap().is::<Damage>());
    }

    #[test]
    fn member_names() {
        assert_eq!(member_name("a/dump.sql.gz").unwrap(), "dump.sql");
        assert_eq!(member_name("x.zip!/site.TGZ").unwrap(), "site.tar");
        assert_eq!(member_step("b.tar.gz"), None);
        assert_eq!(member_step("<stdin>"), None);
        assert_eq!(member_step("n.txt.bz2"), Some(Step::Entry("n.txt".into())));
        assert_eq!(
            member_step("a.zip!/x!y.csv.gz"),
            Some(Step::Entry("x!y.csv".into()))
        );
    }
}
