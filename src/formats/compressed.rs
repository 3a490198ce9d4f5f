//! Compressed files with one member: gzip (concatenated members too),
//! bzip2, xz, LZMA-alone (`.lzma`), zstd and LZ4 frames, by their magic
//! bytes (an LZMA-alone header by its fields), through pure-Rust decoders
//! (flate2/miniz_oxide, bzip2/libbz2-rs-sys, lzma-rust2, ruzstd, lz4_flex).
//! A stream cut short or damaged has what decoded before the damage
//! scanned, and is then a damaged member: gzip to the cut; a zstd frame
//! to its last whole block (what ruzstd holds back as its window is handed
//! out by ending the frame there, `ZstdFrames`); bzip2, xz and LZ4 to
//! their last whole block or chunk, for their decoders read one whole
//! before they give it out (a bzip2 block holds up to 900 kB, an LZMA2
//! chunk up to 2 MiB, an LZ4 block up to 4 MiB). The member
//! is named after the file without its extension; the tar inside a
//! `.tar.gz` (`.tgz`, ...) is not named: a compressed tarball is one archive
//! to its users.
//!
//! Every check a format carries is compared: gzip's CRC-32 and size
//! (flate2), bzip2's block and stream CRCs (libbz2-rs-sys), the xz check
//! (CRC-32, CRC-64 or SHA-256: lzma-rust2), LZ4's block and content
//! checksums (lz4_flex) and a zstd frame's content checksum (here: ruzstd
//! reads it but leaves the comparison to its caller). A mismatch is damage
//! found at the end of what it covers: what decoded has been scanned, and
//! the member is a damaged one all the same.
//!
//! Their output is held to the inflation ratio as it streams
//! ([`Inflation`]), as a zip member's is from its header, and to the
//! file's byte budget. A zstd file is read frame after frame; what
//! skippable frames hold (zstd and LZ4) is kept aside and scanned as the
//! member `(skippable frames)` ([`super::hidden`]), and so are a gzip
//! header's name (as a name), comment and extra field, every member's. The history window an xz block (its LZMA2 dictionary,
//! from the first block header) or a zstd frame declares is checked
//! before it is allocated: over [`max_window`](Limits::max_window) it is
//! refused (a gap); over [`free_window`](Limits::free_window) it is taken
//! from the process-wide permit ([`super::window`]) once the output has
//! filled that much.

use std::io::{self, BufRead, Read};
use std::rc::Rc;

use ruzstd::decoding::errors::{FrameDecoderError, ReadFrameHeaderError};
use ruzstd::decoding::{BlockDecodingStrategy, FrameDecoder};

use super::hidden::{self, Shared};
use super::limits::{Consumed, Inflation, Limits, WindowHit};
use super::window;
use super::{Format, Scope};
use crate::outcome::Damage;
use crate::provenance::Step;

/// gzip, member after member ([`GzMembers`]); the names, comments and
/// extra fields of their headers are scanned too ([`GzSides`]).
pub(crate) static GZIP: Format = Format {
    name: "gzip",
    sniff: |head, _| head.starts_with(b"\x1f\x8b"),
    file_checks: false,
    read: |scope, r| {
        let sides = GzSides::default();
        let members = sides.clone();
        read_stream(scope, r, |c| Ok(GzMembers::new(c, members)));
        sides.scan(scope);
        Ok(())
    },
};

/// The member a gzip header's original file name (`FNAME`, as `gzip -N`
/// and Python's `gzip` write it) is located at: it is a name, read as
/// member names are.
pub const GZIP_NAME: &str = "(gzip name)";
/// The member the comments of a gzip's headers (`FCOMMENT`) are scanned as.
pub const GZIP_COMMENT: &str = "(gzip comment)";
/// The member the extra fields of a gzip's headers (`FEXTRA`) are scanned as.
pub const GZIP_EXTRA: &str = "(gzip extra field)";

/// What the headers of a gzip's members hold besides their data (RFC 1952,
/// 2.3.1), every member's, each kind held up to
/// [`MAX_SIDE`](hidden::MAX_SIDE): names (each ended by a NUL), comments
/// and extra fields.
#[derive(Clone, Default)]
struct GzSides {
    names: Shared,
    comments: Shared,
    extra: Shared,
}

impl GzSides {
    /// Scans what the headers held: each name as a member name (unless it
    /// is the member's own name, read already), comments and extra fields
    /// as members of their own.
    fn scan(self, scope: &mut Scope<'_, '_, '_>) {
        let own = member_name(&scope.path());
        let names = self.names.take();
        for raw in names.bytes.split(|&b| b == 0).filter(|n| !n.is_empty()) {
            let name = super::archive::member_name(raw);
            if own.as_deref() == Some(name.as_str()) {
                continue;
            }
            let last = name.rsplit(['/', '\\']).next().unwrap_or(&name);
            scope.other_name(Step::Entry(GZIP_NAME.into()), last);
        }
        if names.over {
            let step = Step::Entry(GZIP_NAME.into());
            scope.skip(Some(step), crate::outcome::SkipReason::ArchiveLimit);
        }
        scope.hidden(GZIP_COMMENT, self.comments.take());
        scope.hidden(GZIP_EXTRA, self.extra.take());
    }
}

/// The header flags of a gzip member (RFC 1952, 2.3.1).
const FHCRC: u8 = 2;
const FEXTRA: u8 = 4;
const FNAME: u8 = 8;
const FCOMMENT: u8 = 16;
/// The header flags no writer may set.
const FRESERVED: u8 = 0xE0;

/// The header handed to flate2 for each member: the member's own header is
/// read here (its fields kept, held to their caps), this one says "no
/// fields".
const PLAIN_GZIP_HEADER: [u8; 10] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF];

/// The members of a gzip file, one after the other, as one stream (what
/// `gzip -d` reads from `cat a.gz b.gz`): each member's header is read
/// here, its name, comment and extra field kept in [`GzSides`] (a name or
/// comment is read to its NUL however long, but held only up to the cap),
/// its header CRC compared; its data and trailer (CRC-32 and size) are
/// flate2's, which reads no byte past the member. Bytes after a member
/// that start no member are damage, as before.
struct GzMembers<R: Read> {
    state: GzState<R>,
    sides: GzSides,
    /// Bytes handed out so far: where damage is said to be.
    out: u64,
}

type GzData<R> = flate2::bufread::GzDecoder<io::Chain<io::Cursor<[u8; 10]>, io::BufReader<R>>>;

enum GzState<R: Read> {
    /// Before a member's header (the first one's, when `bool` is set) or
    /// the end.
    Between(io::BufReader<R>, bool),
    /// In a member's data.
    In(Box<GzData<R>>),
    /// At the end of the input.
    Done,
    /// Ended by an error, which every later read repeats.
    Broken,
}

impl<R: Read> GzMembers<R> {
    fn new(source: R, sides: GzSides) -> GzMembers<R> {
        GzMembers {
            state: GzState::Between(io::BufReader::new(source), true),
            sides,
            out: 0,
        }
    }
}

impl<R: Read> Read for GzMembers<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            // an error leaves the state Broken
            self.state = match std::mem::replace(&mut self.state, GzState::Broken) {
                GzState::Between(mut source, first) => {
                    if !gz_header(&mut source, &self.sides, self.out, first)? {
                        self.state = GzState::Done;
                        return Ok(0);
                    }
                    let data = io::Cursor::new(PLAIN_GZIP_HEADER).chain(source);
                    GzState::In(Box::new(flate2::bufread::GzDecoder::new(data)))
                }
                GzState::In(mut member) => {
                    let n = member.read(buf)?;
                    if n > 0 {
                        self.state = GzState::In(member);
                        self.out += n as u64;
                        return Ok(n);
                    }
                    // the member has ended, its trailer compared
                    let (_, source) = member.into_inner().into_inner();
                    GzState::Between(source, false)
                }
                GzState::Done => {
                    self.state = GzState::Done;
                    return Ok(0);
                }
                GzState::Broken => return Err(Damage::Data(self.out).error()),
            };
        }
    }
}

/// Reads a gzip member's header from `r` (RFC 1952, 2.3.1), keeping its
/// fields in `sides`: `false` at the end of the input before a later
/// member. Damage (after `out` bytes) when it is not a deflate member's
/// header, is cut, or fails its header CRC.
fn gz_header<B: BufRead>(r: &mut B, sides: &GzSides, out: u64, first: bool) -> io::Result<bool> {
    if !first && r.fill_buf()?.is_empty() {
        return Ok(false);
    }
    let damage = || Damage::Data(out).error();
    let mut crc = flate2::Crc::new();
    let mut fixed = [0u8; 10];
    r.read_exact(&mut fixed).map_err(|_| damage())?;
    if fixed[..3] != [0x1F, 0x8B, 8] || fixed[3] & FRESERVED != 0 {
        return Err(damage());
    }
    crc.update(&fixed);
    let flags = fixed[3];
    if flags & FEXTRA != 0 {
        let mut len = [0u8; 2];
        r.read_exact(&mut len).map_err(|_| damage())?;
        crc.update(&len);
        let len = u64::from(u16::from_le_bytes(len));
        let mut extra = sides.extra.borrow_mut();
        let mut field = CrcRead {
            inner: &mut *r,
            crc: &mut crc,
        };
        if extra.push_from(&mut field, len)? < len {
            return Err(damage());
        }
        extra.end_piece();
    }
    if flags & FNAME != 0 {
        let mut names = sides.names.borrow_mut();
        if !to_nul(r, &mut crc, &mut names)? {
            return Err(damage());
        }
        names.push(b"\0");
    }
    if flags & FCOMMENT != 0 {
        let mut comments = sides.comments.borrow_mut();
        if !to_nul(r, &mut crc, &mut comments)? {
            return Err(damage());
        }
        comments.end_piece();
    }
    if flags & FHCRC != 0 {
        let mut stored = [0u8; 2];
        r.read_exact(&mut stored).map_err(|_| damage())?;
        if u32::from(u16::from_le_bytes(stored)) != crc.sum() & 0xFFFF {
            return Err(damage());
        }
    }
    Ok(true)
}

/// Reads a NUL-terminated header field from `r` into `side` (what fits),
/// the NUL counted in `crc` and not kept; `false` when the input ends first.
fn to_nul<B: BufRead>(
    r: &mut B,
    crc: &mut flate2::Crc,
    side: &mut hidden::Side,
) -> io::Result<bool> {
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(false);
        }
        let (take, ended) = match memchr::memchr(0, buf) {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        crc.update(&buf[..take]);
        side.push(&buf[..take - usize::from(ended)]);
        r.consume(take);
        if ended {
            return Ok(true);
        }
    }
}

/// A reader that adds what it reads to a CRC-32 (a gzip header's).
struct CrcRead<'a, R> {
    inner: &'a mut R,
    crc: &'a mut flate2::Crc,
}

impl<R: Read> Read for CrcRead<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.crc.update(&buf[..n]);
        Ok(n)
    }
}

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
        let limits = scope.limits();
        read_stream(scope, r, |c| Ok(XzMember::new(c, limits)));
        Ok(())
    },
};

/// The stream header and the largest block header of an xz stream: what
/// is read ahead to learn the first block's dictionary.
const XZ_HEAD: usize = 12 + 1024;

/// An xz stream whose decoder is made on the first read, once the first
/// block header has told its dictionary; that window is taken
/// ([`window::Lazy`]) once the output passes what a decoder holds on its
/// own (a block's dictionary fills as it decodes). Every block's
/// dictionary is held to the first's (a larger one later is a
/// [`WindowHit`]).
struct XzMember<R: Read> {
    state: XzState<R>,
    limits: Limits,
}

enum XzState<R: Read> {
    /// Nothing read yet.
    New(R),
    /// Decoding, with its window and the bytes it gave so far.
    Open {
        xz: Box<lzma_rust2::XzReader<io::Chain<io::Cursor<Vec<u8>>, R>>>,
        window: window::Lazy,
        out: u64,
    },
    /// Ended by an error while it was opened.
    Gone,
}

impl<R: Read> XzMember<R> {
    fn new(source: R, limits: Limits) -> XzMember<R> {
        XzMember {
            state: XzState::New(source),
            limits,
        }
    }

    /// Reads the head of the stream, learns the dictionary its first block
    /// declares (one over the window limit is refused here), and makes the
    /// decoder.
    fn open(&mut self) -> io::Result<()> {
        if !matches!(self.state, XzState::New(_)) {
            return Ok(());
        }
        let XzState::New(mut source) = std::mem::replace(&mut self.state, XzState::Gone) else {
            return Ok(());
        };
        let mut head = Vec::with_capacity(XZ_HEAD);
        (&mut source).take(XZ_HEAD as u64).read_to_end(&mut head)?;
        let dictionary = xz_dictionary(&head).unwrap_or(0);
        let window =
            window::Lazy::new(dictionary, &self.limits).map_err(|_| WindowHit.into_io())?;
        // the decoder's own check, for this and every later block: this
        // window, and 1 MiB for its other state
        let bound = dictionary.max(self.limits.free_window);
        let kib = u32::try_from((bound >> 10).saturating_add(1024)).unwrap_or(u32::MAX);
        let reader =
            lzma_rust2::XzReader::new_mem_limit(io::Cursor::new(head).chain(source), true, kib);
        self.state = XzState::Open {
            xz: Box::new(reader),
            window,
            out: 0,
        };
        Ok(())
    }
}

impl<R: Read> Read for XzMember<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.open()?;
        let XzState::Open { xz, window, out } = &mut self.state else {
            return Ok(0);
        };
        // the dictionary fills up to what is decoded (blocks after the
        // first restart it: counting the whole stream is on the safe side)
        window
            .fill(*out + buf.len() as u64, &self.limits)
            .map_err(|_| WindowHit.into_io())?;
        // a block over the window is a window refused, not damage
        let n = xz.read(buf).map_err(|e| match e.kind() {
            io::ErrorKind::OutOfMemory => WindowHit.into_io(),
            _ => e,
        })?;
        *out += n as u64;
        Ok(n)
    }
}

/// The LZMA2 dictionary size the first block of an xz stream declares,
/// from its head (stream header and first block header, xz file format
/// 1.2.1, sections 2.1.1 and 3.1); `None` for a stream without blocks or
/// a head that does not parse (the decoder then says what is wrong).
/// lzma-rust2 reads block headers only inside its reader.
fn xz_dictionary(head: &[u8]) -> Option<u64> {
    let block = head.get(12..)?;
    let size = (usize::from(*block.first()?) + 1) * 4;
    if size == 4 {
        return None; // the index: no blocks
    }
    let header = block.get(..size)?;
    let flags = header[1];
    let mut at = 2;
    // compressed and uncompressed sizes, when present
    for present in [0x40, 0x80] {
        if flags & present != 0 {
            xz_vli(header, &mut at)?;
        }
    }
    for _ in 0..=(flags & 3) {
        let id = xz_vli(header, &mut at)?;
        let props = usize::try_from(xz_vli(header, &mut at)?).ok()?;
        if id == 0x21 && props == 1 {
            let bits = *header.get(at)?;
            return match bits {
                0..=39 => Some(u64::from(2 | (bits & 1)) << (bits / 2 + 11)),
                40 => Some(u64::from(u32::MAX)),
                _ => None,
            };
        }
        at = at.checked_add(props)?;
    }
    None
}

/// A variable-length integer of an xz header at `*at` (at most 9 bytes,
/// 7 bits each, low first), moving `at` past it.
fn xz_vli(header: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for i in 0..9 {
        let b = *header.get(*at)?;
        *at += 1;
        value |= u64::from(b & 0x7F) << (7 * i);
        if b & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// `.lzma` (LZMA-alone: `xz --format=lzma`, `lzma`, 7-Zip's `-tlzma`),
/// which has no magic bytes: told by its 13-byte header (a properties byte,
/// a dictionary size, the uncompressed size or "unknown") and the range
/// coder's first byte, always 0 ([`lzma_alone_header`]). The properties
/// every tool writes (`0x5D`) are taken by header alone, others only in a
/// file named `.lzma`.
pub(crate) static LZMA: Format = Format {
    name: "lzma",
    sniff: |head, path| {
        lzma_alone_header(head)
            .is_some_and(|h| h.props == 0x5D || path.to_ascii_lowercase().ends_with(".lzma"))
    },
    file_checks: false,
    read: |scope, r| {
        let limits = scope.limits();
        read_stream(scope, r, |c| Ok(LzmaMember::new(c, limits)));
        Ok(())
    },
};

/// What the 13-byte header of an LZMA-alone stream says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LzmaHeader {
    /// lc, lp and pb, as one byte: `(pb * 5 + lp) * 9 + lc`.
    props: u8,
    /// The dictionary, in bytes.
    dict: u32,
    /// The uncompressed size; `u64::MAX` when not known (an end marker).
    size: u64,
}

/// The header of an LZMA-alone stream at the start of `head` (xz-utils'
/// `lzma_alone_decoder` rules): properties with lc + lp at most 4 and pb
/// at most 4, a dictionary of 2^n or 2^n + 2^(n-1) bytes (what the tools
/// write; at least 4 KiB), a size that is unknown or under 2^48, and the
/// first byte of the range coder 0. `None` otherwise.
fn lzma_alone_header(head: &[u8]) -> Option<LzmaHeader> {
    let h = head.get(..14)?;
    let props = h[0];
    let (lc, lp, pb) = (props % 9, (props / 9) % 5, props / 45);
    let dict = u32::from_le_bytes([h[1], h[2], h[3], h[4]]);
    let mut size = [0u8; 8];
    size.copy_from_slice(&h[5..13]);
    let size = u64::from_le_bytes(size);
    let dict_ok = dict >= 4096 && {
        let top = 1u32 << (31 - dict.leading_zeros());
        let rest = dict - top; // dict without its top bit
        rest == 0 || rest == top >> 1
    };
    let ok = props < 225
        && lc + lp <= 4
        && pb <= 4
        && dict_ok
        && (size == u64::MAX || size < 1 << 48)
        && h[13] == 0;
    ok.then_some(LzmaHeader { props, dict, size })
}

/// An LZMA-alone stream whose decoder is made on the first read, from its
/// header; its dictionary (no larger than the size it declares) is held to
/// the window limits as an xz block's is.
struct LzmaMember<R: Read> {
    state: LzmaState<R>,
    limits: Limits,
}

enum LzmaState<R: Read> {
    /// Nothing read yet.
    New(R),
    /// Decoding, with its window and the bytes it gave so far.
    Open {
        lzma: Box<lzma_rust2::LzmaReader<R>>,
        window: window::Lazy,
        out: u64,
    },
    /// Ended by an error while it was opened.
    Gone,
}

impl<R: Read> LzmaMember<R> {
    fn new(source: R, limits: Limits) -> LzmaMember<R> {
        LzmaMember {
            state: LzmaState::New(source),
            limits,
        }
    }

    /// Reads the header, takes its window (one over the limit is
    /// refused here) and makes the decoder.
    fn open(&mut self) -> io::Result<()> {
        let LzmaState::New(mut source) = std::mem::replace(&mut self.state, LzmaState::Gone) else {
            return Ok(());
        };
        let mut head = [0u8; 13];
        source
            .read_exact(&mut head)
            .map_err(|_| Damage::Data(0).error())?;
        let mut sniffed = head.to_vec();
        sniffed.push(0);
        let h = lzma_alone_header(&sniffed).ok_or_else(|| Damage::Data(0).error())?;
        let window = window::Lazy::new(u64::from(h.dict).min(h.size), &self.limits)
            .map_err(|_| WindowHit.into_io())?;
        let lzma = lzma_rust2::LzmaReader::new_with_props(source, h.size, h.props, h.dict, None)
            .map_err(|_| Damage::Data(0).error())?;
        self.state = LzmaState::Open {
            lzma: Box::new(lzma),
            window,
            out: 0,
        };
        Ok(())
    }
}

impl<R: Read> Read for LzmaMember<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.open()?;
        let LzmaState::Open { lzma, window, out } = &mut self.state else {
            return Ok(0);
        };
        window
            .fill(*out + buf.len() as u64, &self.limits)
            .map_err(|_| WindowHit.into_io())?;
        let n = lzma.read(buf)?;
        *out += n as u64;
        Ok(n)
    }
}

/// LZ4 frames (`lz4`), by the frame magic (past skippable frames in
/// front: [`past_skippable`]), one after the other ([`Lz4Frames`]); the legacy format (`lz4 -l`) by its
/// own magic, and recorded as `unsupported_format`. Blocks are at most
/// 4 MiB, decoded by lz4_flex.
pub(crate) static LZ4: Format = Format {
    name: "lz4",
    sniff: |head, _| {
        past_skippable(head).is_some_and(|h| h.starts_with(LZ4_FRAME) || h.starts_with(LZ4_LEGACY))
    },
    file_checks: false,
    read: |scope, r| {
        let mut magic = [0u8; 4];
        let n = io::Read::read(&mut (&mut *r).take(4), &mut magic)?;
        let mut r = io::Cursor::new(magic[..n].to_vec()).chain(r);
        if magic == *LZ4_LEGACY {
            let step = member_step(&scope.path());
            scope.skip(step, crate::outcome::SkipReason::UnsupportedFormat);
            return Ok(());
        }
        let side = hidden::shared();
        let frames = Rc::clone(&side);
        read_stream(scope, &mut r, |c| Ok(Lz4Frames::new(c, frames)));
        scope.hidden(SKIPPABLE, side.take());
        Ok(())
    },
};

/// The frames of an LZ4 file, one after the other, as one stream (what
/// `lz4 -d` reads from `cat a.lz4 b.lz4`), skippable frames passed over:
/// lz4_flex's decoder ends with its first frame (what followed was
/// dropped without a record) and takes a skippable frame for an error.
/// It reads no byte past its frame, so the next frame starts where it
/// stopped. Bytes after a frame that start no frame are damage.
struct Lz4Frames<R: Read> {
    state: Lz4State<R>,
    /// Bytes handed out so far: where damage is said to be.
    out: u64,
    /// Where the skippable frames' contents go.
    side: Shared,
}

enum Lz4State<R: Read> {
    /// Before a frame's magic number (or the end).
    Between(R),
    /// In a frame, its magic number read here and handed to the decoder.
    In(Box<lz4_flex::frame::FrameDecoder<io::Chain<io::Cursor<[u8; 4]>, R>>>),
    /// At the end of the input.
    Done,
    /// Ended by an error, which every later read repeats.
    Broken,
}

/// The magic numbers of LZ4 skippable frames (followed by a 4-byte size).
const LZ4_SKIPPABLE: std::ops::RangeInclusive<u32> = 0x184D_2A50..=0x184D_2A5F;

impl<R: Read> Lz4Frames<R> {
    fn new(source: R, side: Shared) -> Lz4Frames<R> {
        Lz4Frames {
            state: Lz4State::Between(source),
            out: 0,
            side,
        }
    }

    /// The next state from `Between(source)`: past skippable frames (their
    /// contents kept in `side`), a frame's decoder, or the end. Damage
    /// (after `out` bytes) when the input ends inside a magic number or a
    /// skippable frame.
    fn next_frame(mut source: R, out: u64, side: &Shared) -> io::Result<Lz4State<R>> {
        loop {
            let mut magic = Vec::with_capacity(4);
            (&mut source).take(4).read_to_end(&mut magic)?;
            let magic: [u8; 4] = match magic.len() {
                0 => return Ok(Lz4State::Done),
                4 => [magic[0], magic[1], magic[2], magic[3]],
                _ => return Err(Damage::Data(out).error()),
            };
            if !LZ4_SKIPPABLE.contains(&u32::from_le_bytes(magic)) {
                let chained = io::Cursor::new(magic).chain(source);
                let frame = lz4_flex::frame::FrameDecoder::new(chained);
                return Ok(Lz4State::In(Box::new(frame)));
            }
            let mut size = [0u8; 4];
            source
                .read_exact(&mut size)
                .map_err(|_| Damage::Data(out).error())?;
            let size = u64::from(u32::from_le_bytes(size));
            let skipped = side.borrow_mut().push_from(&mut source, size)?;
            side.borrow_mut().end_piece();
            if skipped < size {
                return Err(Damage::Data(out).error());
            }
        }
    }
}

impl<R: Read> Read for Lz4Frames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            // an error leaves the state Broken
            self.state = match std::mem::replace(&mut self.state, Lz4State::Broken) {
                Lz4State::Between(source) => Self::next_frame(source, self.out, &self.side)?,
                Lz4State::In(mut frame) => {
                    let n = frame.read(buf)?;
                    if n > 0 {
                        self.state = Lz4State::In(frame);
                        self.out += n as u64;
                        return Ok(n);
                    }
                    // the frame has ended (its checksum compared): its
                    // magic number was read, what follows is the source's
                    let (_, source) = frame.into_inner().into_inner();
                    Lz4State::Between(source)
                }
                Lz4State::Done => {
                    self.state = Lz4State::Done;
                    return Ok(0);
                }
                Lz4State::Broken => return Err(Damage::Data(self.out).error()),
            };
        }
    }
}

/// The magic number of an LZ4 frame.
const LZ4_FRAME: &[u8; 4] = b"\x04\x22\x4D\x18";
/// The magic number of the legacy LZ4 format.
const LZ4_LEGACY: &[u8; 4] = b"\x02\x21\x4C\x18";

/// A zstd frame that names a dictionary (RFC 8878, 3.1.1.1.1.6), which
/// leakscan does not have: `unsupported_format`, not damage.
#[derive(Debug)]
pub struct NeedsDictionary;

impl std::fmt::Display for NeedsDictionary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a zstd frame that needs a dictionary")
    }
}

impl std::error::Error for NeedsDictionary {}

impl NeedsDictionary {
    fn into_io(self) -> io::Error {
        io::Error::other(self)
    }
}

/// Whether an I/O error is a [`NeedsDictionary`].
pub fn is_unsupported(e: &io::Error) -> bool {
    e.get_ref()
        .is_some_and(|inner| inner.is::<NeedsDictionary>())
}

/// zstd, by its frame magic, past skippable frames in front (pzstd).
pub(crate) static ZSTD: Format = Format {
    name: "zstd",
    sniff: |head, _| past_skippable(head).is_none_or(|h| h.starts_with(ZSTD_FRAME)),
    file_checks: false,
    read: |scope, r| {
        let limits = scope.limits();
        let side = hidden::shared();
        let frames = Rc::clone(&side);
        read_stream(scope, r, |c| Ok(ZstdFrames::new(c, limits, frames)));
        scope.hidden(SKIPPABLE, side.take());
        Ok(())
    },
};

/// The member the contents of zstd and LZ4 skippable frames are scanned as:
/// a skippable frame is passed over by the decoders, and may hold anything.
pub const SKIPPABLE: &str = "(skippable frames)";

/// The magic number of a zstd frame.
const ZSTD_FRAME: &[u8; 4] = b"\x28\xB5\x2F\xFD";

/// `head` past the skippable frames it starts with (magic 0x184D2A50 to
/// 0x184D2A5F and a 4-byte size: the same in zstd, RFC 8878 3.1.2, and
/// LZ4 frames; pzstd starts every file with one): the start of the first
/// frame that is not one, to tell the two formats apart. `None` when
/// `head` starts with a skippable frame that does not end within it: zstd
/// takes that file (both decoders pass skippable frames over, and a frame
/// that is not zstd is then damage, recorded).
fn past_skippable(mut head: &[u8]) -> Option<&[u8]> {
    while head.len() >= 4 && head[0] & 0xF0 == 0x50 && head[1..4] == [0x2A, 0x4D, 0x18] {
        let size = head.get(4..8)?;
        let size = u32::from_le_bytes([size[0], size[1], size[2], size[3]]);
        let end = usize::try_from(size).ok()?.checked_add(8)?;
        head = head.get(end..)?;
    }
    Some(head)
}

/// The largest block of a zstd frame, decoded: 128 KiB (RFC 8878, 3.1.1.2.3).
const MAX_BLOCK: u64 = 128 << 10;

/// The frames of a zstd file, one after the other, as one stream; a
/// frame's header is read when the frame before it has ended. A window
/// over what a decoder holds on its own is taken ([`window::Lazy`]) once
/// the frame has decoded that much.
struct ZstdFrames<R: Read> {
    source: io::BufReader<R>,
    frame: FrameDecoder,
    limits: Limits,
    /// The current frame's window, when it is over what a decoder holds
    /// on its own.
    window: Option<window::Lazy>,
    /// Where the skippable frames' contents go.
    side: Shared,
    /// Inside a frame (its header read, its blocks not all decoded).
    open: bool,
    /// Bytes handed out so far: where damage is said to be.
    out: u64,
    /// The block being decoded, read whole first.
    block: Vec<u8>,
    /// The frame was found damaged, cut or not matching its checksum: what
    /// it decoded is handed out, then this is the error (at [`Self::out`]).
    broken: bool,
}

impl<R: Read> ZstdFrames<R> {
    /// Reads frames from `source` under `limits`.
    fn new(source: R, limits: Limits, side: Shared) -> ZstdFrames<R> {
        ZstdFrames {
            source: io::BufReader::new(source),
            frame: FrameDecoder::new(),
            limits,
            window: None,
            side,
            open: false,
            out: 0,
            block: Vec::new(),
            broken: false,
        }
    }

    /// Decodes the next block of the open frame. The block is read whole
    /// first; one that is cut short or does not decode (or a last block
    /// whose checksum is cut) ends the frame with an empty last block of
    /// our own, so that all the frame decoded can still be handed out
    /// (ruzstd holds back a window's worth until a frame ends), and the
    /// damage is told after it.
    fn decode_block(&mut self) -> io::Result<()> {
        self.block.clear();
        (&mut self.source).take(3).read_to_end(&mut self.block)?;
        let whole = if let [a, b, c] = self.block[..] {
            let header = u32::from(a) | u32::from(b) << 8 | u32::from(c) << 16;
            // an RLE block (type 1) holds one byte, the others their size
            let body = if (header >> 1) & 3 == 1 {
                1
            } else {
                header >> 3
            };
            let n = (&mut self.source)
                .take(u64::from(body))
                .read_to_end(&mut self.block)?;
            n == body as usize
        } else {
            false
        };
        // a frame whose last block is decoded, its checksum read or not
        // (`is_finished` waits for the checksum; `read` hands out all)
        let ended = |r: &Result<bool, FrameDecoderError>| {
            matches!(
                r,
                Ok(true) | Err(FrameDecoderError::FailedToReadChecksum(_))
            )
        };
        let mut end = false;
        if whole {
            let result = self.frame.decode_blocks(
                io::Cursor::new(&self.block).chain(&mut self.source),
                BlockDecodingStrategy::UptoBlocks(1),
            );
            if result.is_ok() {
                return Ok(());
            }
            end = ended(&result);
        }
        self.broken = true;
        if !end {
            // an empty raw block marked last (RFC 8878, 3.1.1.2)
            let last: &[u8] = &[1, 0, 0];
            let result = self
                .frame
                .decode_blocks(last, BlockDecodingStrategy::UptoBlocks(1));
            end = ended(&result);
        }
        if end {
            Ok(())
        } else {
            Err(Damage::Data(self.out).error())
        }
    }

    /// Opens the next frame; `false` at the end of the input. Skippable
    /// frames are passed over, their contents kept in the side data. The header is read with the window a
    /// decoder holds on its own; a frame that declares more has its header
    /// read again from the bytes kept, with its window to take as it
    /// fills. A window refused is a [`WindowHit`], anything else damage
    /// (in leakscan's words).
    fn next_frame(&mut self) -> io::Result<bool> {
        if self.window.is_some() {
            // the last frame's big buffer is freed before its window is given back
            self.frame = FrameDecoder::new();
            self.window = None;
        }
        loop {
            if self.source.fill_buf()?.is_empty() {
                return Ok(false);
            }
            self.frame.set_max_window_size(self.limits.free_window);
            let mut header = Kept {
                inner: &mut self.source,
                kept: Vec::new(),
            };
            let requested = match self.frame.reset(&mut header) {
                Ok(()) => return Ok(true),
                Err(FrameDecoderError::ReadFrameHeaderError(ReadFrameHeaderError::SkipFrame {
                    length,
                    ..
                })) => {
                    let length = u64::from(length);
                    let skipped = self.side.borrow_mut().push_from(&mut self.source, length)?;
                    self.side.borrow_mut().end_piece();
                    if skipped < length {
                        return Err(Damage::Data(self.out).error());
                    }
                    continue;
                }
                Err(FrameDecoderError::WindowSizeTooBig { requested, .. }) => requested,
                Err(FrameDecoderError::DictNotProvided { .. }) => {
                    return Err(NeedsDictionary.into_io())
                }
                Err(_) => return Err(Damage::Data(self.out).error()),
            };
            let kept = header.kept;
            // ruzstd's ring buffer grows to the window's next power of two
            let bytes = requested.checked_next_power_of_two().unwrap_or(u64::MAX);
            let window = window::Lazy::new(bytes, &self.limits).map_err(|_| WindowHit.into_io())?;
            self.window = Some(window);
            self.frame.set_max_window_size(requested);
            return match self
                .frame
                .reset(io::Cursor::new(kept).chain(&mut self.source))
            {
                Ok(()) => Ok(true),
                Err(FrameDecoderError::DictNotProvided { .. }) => Err(NeedsDictionary.into_io()),
                Err(_) => Err(Damage::Data(self.out).error()),
            };
        }
    }
}

/// Whether a frame read to its end has the content checksum it declares
/// (the low 32 bits of the XXH64 of its output, RFC 8878, 3.1.1); `true`
/// for a frame without one. ruzstd reads the checksum but leaves the
/// comparison to its caller.
fn checksum_matches(frame: &FrameDecoder) -> bool {
    match frame.get_checksum_from_data() {
        Some(declared) => frame.get_calculated_checksum() == Some(declared),
        None => true,
    }
}

/// A reader that keeps what it reads: a zstd frame header, read again once
/// its window is taken.
struct Kept<'a, R> {
    inner: &'a mut R,
    kept: Vec<u8>,
}

impl<R: Read> Read for Kept<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.kept.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

impl<R: Read> Read for ZstdFrames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if !self.open {
                if self.broken {
                    // all the frame decoded has been handed out
                    return Err(Damage::Data(self.out).error());
                }
                if !self.next_frame()? {
                    return Ok(0);
                }
                self.open = true;
            }
            while !self.broken && self.frame.can_collect() == 0 && !self.frame.is_finished() {
                if let Some(window) = &mut self.window {
                    // the buffer fills with what is decoded, a block (at
                    // most 128 KiB) at a time
                    let filled = (self.frame.blocks_decoded() as u64 + 1) * MAX_BLOCK;
                    window
                        .fill(filled, &self.limits)
                        .map_err(|_| WindowHit.into_io())?;
                }
                self.decode_block()?;
            }
            let n = self.frame.read(buf)?;
            if n > 0 {
                self.out += n as u64;
                return Ok(n);
            }
            // this frame is done: its checksum checked, then on to the next
            if !self.broken && !checksum_matches(&self.frame) {
                self.broken = true;
            }
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
/// `.xz`, `.zst`, `.lzma` or `.lz4` (`.tgz` and the like name a `.tar`);
/// `None` without such an extension.
fn member_name(path: &str) -> Option<String> {
    // levels are joined with `!/`: a `!` alone is part of a name
    let file = path.rsplit('/').next().unwrap_or(path);
    let lower = file.to_ascii_lowercase();
    for ext in [".tgz", ".tbz2", ".tbz", ".txz", ".tzst"] {
        if lower.ends_with(ext) {
            return Some(format!("{}.tar", &file[..file.len() - ext.len()]));
        }
    }
    for ext in [".gz", ".bz2", ".xz", ".zst", ".zstd", ".lzma", ".lz4"] {
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
        let side = hidden::shared();
        ZstdFrames::new(&data[..], Limits::default(), Rc::clone(&side))
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, b"first frame,second frame");
        // the skippable frame's contents are kept, to be scanned
        assert_eq!(side.take().bytes, b"xyz\n");
        // a cut frame is damage in leakscan's words
        let e = ZstdFrames::new(&data[..data.len() - 3], Limits::default(), hidden::shared())
            .read_to_end(&mut Vec::new())
            .unwrap_err();
        assert!(e.get_ref().unwrap().is::<Damage>());
        // a frame whose checksum (its last 4 bytes) does not match: its
        // output is handed out, then it is damage
        let mut bad = ruzstd::encoding::compress_to_vec(
            &b"checked frame"[..],
            ruzstd::encoding::CompressionLevel::Fastest,
        );
        *bad.last_mut().unwrap() ^= 0xFF;
        let mut frames = ZstdFrames::new(&bad[..], Limits::default(), hidden::shared());
        let mut out = [0u8; 64];
        let n = frames.read(&mut out).unwrap();
        assert_eq!(&out[..n], b"checked frame");
        let e = frames.read(&mut out).unwrap_err();
        assert!(e.get_ref().unwrap().is::<Damage>());
    }

    /// A gzip member of `data` with the header fields given, by flate2.
    fn gz_member(name: Option<&[u8]>, comment: Option<&[u8]>, extra: Option<&[u8]>) -> Vec<u8> {
        let mut b = flate2::GzBuilder::new();
        if let Some(n) = name {
            b = b.filename(n);
        }
        if let Some(c) = comment {
            b = b.comment(c);
        }
        if let Some(e) = extra {
            b = b.extra(e);
        }
        let mut w = b.write(Vec::new(), flate2::Compression::fast());
        io::Write::write_all(&mut w, b"member data,").unwrap();
        w.finish().unwrap()
    }

    fn gunzip(data: &[u8]) -> (io::Result<Vec<u8>>, GzSides) {
        let sides = GzSides::default();
        let mut out = Vec::new();
        let result = GzMembers::new(data, sides.clone())
            .read_to_end(&mut out)
            .map(|_| out);
        (result, sides)
    }

    #[test]
    fn gzip_header_fields_of_every_member_are_kept_to_their_caps() {
        let mut data = gz_member(Some(b"first.csv"), Some(b"a comment"), Some(b"XYZ"));
        data.extend(gz_member(None, None, None));
        data.extend(gz_member(Some(b"second.csv"), None, None));
        let (out, sides) = gunzip(&data);
        assert_eq!(out.unwrap(), b"member data,".repeat(3));
        assert_eq!(sides.names.take().bytes, b"first.csv\0second.csv\0");
        assert_eq!(sides.comments.take().bytes, b"a comment\n");
        assert_eq!(sides.extra.take().bytes, b"XYZ\n");
        // a name of 3 MiB is read past, held to the cap, and said to be over
        let long = vec![b'n'; 3 << 20];
        let (out, sides) = gunzip(&gz_member(Some(&long), None, None));
        assert_eq!(out.unwrap(), b"member data,");
        let names = sides.names.take();
        assert!(names.over && names.bytes.len() == hidden::MAX_SIDE);
        // a header CRC: compared
        let plain = gz_member(Some(b"n.csv"), None, None);
        let header_len = 10 + b"n.csv\0".len();
        let with_crc = |crc: u16| {
            let mut h = plain[..header_len].to_vec();
            h[3] |= FHCRC;
            let mut c = flate2::Crc::new();
            c.update(&h);
            let crc = if crc == 0 { c.sum() as u16 } else { crc };
            [&h[..], &crc.to_le_bytes(), &plain[header_len..]].concat()
        };
        assert_eq!(gunzip(&with_crc(0)).0.unwrap(), b"member data,");
        let e = gunzip(&with_crc(0x1234)).0.unwrap_err();
        assert!(e.get_ref().unwrap().is::<Damage>());
        // a cut name, bytes after a member that start none: damage
        for bad in [&plain[..12], &[&plain[..], b"trailing"].concat()[..]] {
            let e = gunzip(bad).0.unwrap_err();
            assert!(e.get_ref().is_some_and(|e| e.is::<Damage>()));
        }
    }

    #[test]
    fn lz4_frames_are_read_one_after_the_other() {
        let frame = |text: &[u8]| {
            let mut w = lz4_flex::frame::FrameEncoder::new(Vec::new());
            io::Write::write_all(&mut w, text).unwrap();
            w.finish().unwrap()
        };
        // a skippable frame first, two frames around another one
        let skippable = [0x5A, 0x2A, 0x4D, 0x18, 2, 0, 0, 0, b'x', b'y'];
        let mut data = skippable.to_vec();
        data.extend(frame(b"first frame,"));
        data.extend_from_slice(&skippable);
        data.extend(frame(b"second frame"));
        let mut out = Vec::new();
        let side = hidden::shared();
        Lz4Frames::new(&data[..], Rc::clone(&side))
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, b"first frame,second frame");
        assert_eq!(side.take().bytes, b"xy\nxy\n");
        // bytes after a frame that start none, a cut skippable frame: damage
        for tail in [&b"trailing text"[..], b"\x04\x22", &skippable[..9]] {
            let mut bad = frame(b"one frame");
            bad.extend_from_slice(tail);
            let mut frames = Lz4Frames::new(&bad[..], hidden::shared());
            let e = frames.read_to_end(&mut Vec::new()).unwrap_err();
            assert!(e.get_ref().is_some(), "{tail:?}");
            assert!(frames.read(&mut [0u8; 8]).is_err());
        }
    }

    #[test]
    fn skippable_frames_in_front_tell_zstd_from_lz4() {
        // pzstd's first frame: skippable, 4 bytes of size, then a zstd frame
        let mut pzstd = vec![0x50, 0x2A, 0x4D, 0x18, 4, 0, 0, 0, 0x3E, 7, 0, 0];
        pzstd.extend_from_slice(ZSTD_FRAME);
        assert!((ZSTD.sniff)(&pzstd, "x"));
        assert!(!(LZ4.sniff)(&pzstd, "x"));
        let mut lz4 = pzstd[..12].to_vec();
        lz4.extend_from_slice(LZ4_FRAME);
        assert!((LZ4.sniff)(&lz4, "x"));
        assert!(!(ZSTD.sniff)(&lz4, "x"));
        // one that ends past the head: zstd's; nothing but skippable
        // frames, or something else after them: neither
        let long = [0x5F, 0x2A, 0x4D, 0x18, 0, 0, 1, 0, b'a'];
        assert!((ZSTD.sniff)(&long, "x") && !(LZ4.sniff)(&long, "x"));
        for other in [&pzstd[..12], &[&pzstd[..12], b"text"].concat()] {
            assert!(!(ZSTD.sniff)(other, "x") && !(LZ4.sniff)(other, "x"));
        }
    }

    #[test]
    fn xz_dictionaries_are_read_from_the_first_block_header() {
        let xz = |dict_size: u32, filters: Vec<lzma_rust2::FilterConfig>| {
            let mut options = lzma_rust2::XzOptions::with_preset(0);
            options.lzma_options.dict_size = dict_size;
            options.filters = filters;
            let mut w = lzma_rust2::XzWriter::new(Vec::new(), options).unwrap();
            io::Write::write_all(&mut w, b"some text").unwrap();
            w.finish().unwrap()
        };
        assert_eq!(xz_dictionary(&xz(64 << 20, Vec::new())), Some(64 << 20));
        assert_eq!(xz_dictionary(&xz(3 << 20, Vec::new())), Some(3 << 20));
        // a filter with properties before LZMA2 (as `xz --delta=dist=4 --lzma2`)
        let delta = vec![lzma_rust2::FilterConfig::new_delta(4)];
        assert_eq!(xz_dictionary(&xz(48 << 20, delta)), Some(48 << 20));
        // no block (an empty stream), a cut header: the decoder says what is wrong
        let mut empty = xz(1 << 20, Vec::new())[..12].to_vec();
        empty.push(0);
        assert_eq!(xz_dictionary(&empty), None);
        assert_eq!(xz_dictionary(&xz(1 << 20, Vec::new())[..14]), None);
    }

    #[test]
    fn lzma_alone_headers_are_told_by_their_fields() {
        // what `xz --format=lzma -6` writes: 0x5D, 8 MiB, size unknown
        let mut head = vec![0x5D, 0, 0, 0x80, 0];
        head.extend_from_slice(&[0xFF; 8]);
        head.push(0);
        let h = lzma_alone_header(&head).unwrap();
        assert_eq!((h.dict, h.size), (8 << 20, u64::MAX));
        assert!((LZMA.sniff)(&head, "x"));
        // 3 * 2^20 is a size the tools write too
        head[1..5].copy_from_slice(&(3u32 << 20).to_le_bytes());
        assert!(lzma_alone_header(&head).is_some());
        // not a dictionary size the tools write; a range coder not at 0
        head[1..5].copy_from_slice(&12345u32.to_le_bytes());
        assert!(lzma_alone_header(&head).is_none());
        head[1..5].copy_from_slice(&(1u32 << 20).to_le_bytes());
        head[13] = 1;
        assert!(lzma_alone_header(&head).is_none());
        // text is never one, nor zeros
        assert!(!(LZMA.sniff)(b"]]]]]]]]]]]]]]]]", "a.lzma"));
        assert!(lzma_alone_header(&[0; 14]).is_none());
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
