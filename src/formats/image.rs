//! JPEG and PNG images: their bytes are read for text runs to the image's
//! end, found by walking its structure (JPEG markers and segments to the
//! end-of-image marker, PNG chunks to `IEND`); what follows the image
//! (a CSV appended, a zip behind a photo) is a member of its own,
//! `(after the image)`, sniffed and read like a file. An image whose
//! structure breaks off ends there: the rest is that member too, so no
//! byte of the file goes unread.

use std::io::{self, Read};

use super::{Format, Scope};
use crate::provenance::Step;

/// A JPEG or PNG image, by its signature.
pub(crate) static IMAGE: Format = Format {
    name: "image",
    sniff: |head, _| head.starts_with(JPEG) || head.starts_with(PNG),
    file_checks: true,
    read: read_image,
};

const JPEG: &[u8] = b"\xFF\xD8\xFF";
const PNG: &[u8] = b"\x89PNG\r\n\x1A\n";

/// The name of the data after an image.
pub const AFTER_IMAGE: &str = "(after the image)";

fn read_image(scope: &mut Scope<'_, '_, '_>, r: &mut dyn Read) -> io::Result<()> {
    let mut image = Image {
        inner: r,
        walk: Walk::Start(0),
        png: false,
        rest: Vec::new(),
        ended: false,
    };
    scope.binary_here(&mut image);
    let Image { inner, rest, .. } = image;
    let mut after = io::Cursor::new(rest).chain(inner);
    // nothing after the image: no member
    let mut first = [0u8; 1];
    let n = loop {
        match after.read(&mut first) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => break other?,
        }
    };
    if n == 1 {
        let mut after = io::Cursor::new(first).chain(after);
        scope.member(Some(Step::Part(AFTER_IMAGE.into())), &mut after, None);
    }
    Ok(())
}

/// Where the walk of an image's structure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Walk {
    /// In the signature, at this byte of it.
    Start(usize),
    /// JPEG: expecting a marker's `FF` (or in fill bytes).
    Marker,
    /// JPEG: the marker's code is next.
    Code,
    /// JPEG: a segment's length, its high byte read (`Some`) or not.
    Length(Option<u8>, u8),
    /// Bytes of a segment (or PNG chunk) still to pass; then `next`.
    Skip(u64, Next),
    /// JPEG: entropy-coded data after a start-of-scan segment.
    Scan,
    /// JPEG: an `FF` in entropy-coded data.
    ScanFf,
    /// PNG: a chunk's length and type, this many of their 8 bytes read.
    Chunk(usize, [u8; 8]),
    /// The image ended (or its structure broke off) before this byte.
    End,
}

/// What follows a skipped run of bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    Marker,
    Scan,
    Chunk,
    End,
}

/// A reader of the image's bytes, to its end; the bytes read past it are
/// kept in `rest`.
struct Image<'a> {
    inner: &'a mut dyn Read,
    walk: Walk,
    png: bool,
    rest: Vec<u8>,
    ended: bool,
}

impl Image<'_> {
    /// Moves the walk over byte `b`; `true` when the image ended before it.
    fn step(&mut self, b: u8) -> bool {
        self.walk = match self.walk {
            Walk::Start(i) => {
                if i == 0 {
                    self.png = b == PNG[0];
                }
                let sig = if self.png { PNG } else { &JPEG[..2] };
                if sig.get(i) != Some(&b) {
                    Walk::End
                } else if i + 1 == sig.len() {
                    if self.png {
                        Walk::Chunk(0, [0; 8])
                    } else {
                        Walk::Marker
                    }
                } else {
                    Walk::Start(i + 1)
                }
            }
            Walk::Marker if b == 0xFF => Walk::Code,
            Walk::Code => match b {
                0xFF => Walk::Code, // fill bytes
                0xD9 => Walk::Skip(0, Next::End),
                0x01 | 0xD0..=0xD7 => Walk::Marker,
                0x00 => Walk::End,
                code => Walk::Length(None, code),
            },
            Walk::Length(None, code) => Walk::Length(Some(b), code),
            Walk::Length(Some(high), code) => {
                let len = u64::from(u16::from_be_bytes([high, b]));
                if len < 2 {
                    Walk::End
                } else {
                    let next = if code == 0xDA {
                        Next::Scan
                    } else {
                        Next::Marker
                    };
                    Walk::Skip(len - 2, next)
                }
            }
            Walk::Scan if b == 0xFF => Walk::ScanFf,
            Walk::Scan => Walk::Scan,
            Walk::ScanFf => match b {
                0x00 | 0xD0..=0xD7 => Walk::Scan,
                0xFF => Walk::ScanFf,
                0xD9 => Walk::Skip(0, Next::End),
                0x01 => Walk::Marker,
                code => Walk::Length(None, code),
            },
            Walk::Chunk(i, mut head) => {
                head[i] = b;
                if i + 1 < 8 {
                    Walk::Chunk(i + 1, head)
                } else {
                    let len = u64::from(u32::from_be_bytes([head[0], head[1], head[2], head[3]]));
                    let next = if &head[4..] == b"IEND" {
                        Next::End
                    } else {
                        Next::Chunk
                    };
                    // the data, then its CRC
                    Walk::Skip(len + 4, next)
                }
            }
            Walk::Skip(..) | Walk::Marker | Walk::End => Walk::End,
        };
        self.walk == Walk::End
    }

    /// Passes over the start of `buf`, where the walk skips bytes; the
    /// bytes of `buf` passed.
    fn skip(&mut self, buf: &[u8]) -> usize {
        let Walk::Skip(left, next) = self.walk else {
            return 0;
        };
        let n = left.min(buf.len() as u64);
        if n < left {
            self.walk = Walk::Skip(left - n, next);
        } else {
            self.walk = match next {
                Next::Marker => Walk::Marker,
                Next::Scan => Walk::Scan,
                Next::Chunk => Walk::Chunk(0, [0; 8]),
                Next::End => Walk::End,
            };
        }
        n as usize
    }

    /// How many bytes of `buf` belong to the image.
    fn image_part(&mut self, buf: &[u8]) -> usize {
        let mut at = 0;
        while at < buf.len() && self.walk != Walk::End {
            if matches!(self.walk, Walk::Skip(..)) {
                at += self.skip(&buf[at..]);
                continue;
            }
            if matches!(self.walk, Walk::Scan) {
                // entropy-coded data up to the next `FF`, in one search
                match memchr::memchr(0xFF, &buf[at..]) {
                    Some(i) => at += i,
                    None => return buf.len(),
                }
            }
            if self.step(buf[at]) {
                break;
            }
            at += 1;
        }
        at
    }
}

impl Read for Image<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.ended || buf.is_empty() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        let part = self.image_part(&buf[..n]);
        if self.walk == Walk::End {
            self.ended = true;
            self.rest.extend_from_slice(&buf[part..n]);
        }
        Ok(part)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image_len(data: &[u8]) -> usize {
        let mut src = data;
        let mut image = Image {
            inner: &mut src,
            walk: Walk::Start(0),
            png: false,
            rest: Vec::new(),
            ended: false,
        };
        let mut out = Vec::new();
        image.read_to_end(&mut out).unwrap();
        assert_eq!([&out[..], &image.rest[..], src].concat(), data);
        out.len()
    }

    #[test]
    fn jpeg_ends_at_its_end_of_image_marker() {
        let mut jpeg = b"\xFF\xD8\xFF\xE0\x00\x04ab\xFF\xDA\x00\x02".to_vec();
        jpeg.extend_from_slice(b"\x12\xFF\x00\x34\xFF\xD3\x56\xFF\xD9");
        assert_eq!(image_len(&jpeg), jpeg.len());
        let mut more = jpeg.clone();
        more.extend_from_slice(b"name,id\n");
        assert_eq!(image_len(&more), jpeg.len());
        // an APP segment may hold an FF D9 (a thumbnail): passed over
        let mut thumb = b"\xFF\xD8\xFF\xE1\x00\x06\xFF\xD9\xFF\xD9".to_vec();
        thumb.extend_from_slice(&jpeg[2..]);
        assert_eq!(image_len(&thumb), thumb.len());
        // a structure that breaks off ends the image there
        assert_eq!(image_len(b"\xFF\xD8\xFF\xE0\x00\x04abXYZ"), 8);
    }

    #[test]
    fn png_ends_after_its_iend_chunk() {
        let mut png = PNG.to_vec();
        png.extend_from_slice(b"\x00\x00\x00\x02IHDRab1234");
        png.extend_from_slice(b"\x00\x00\x00\x00IEND1234");
        let mut more = png.clone();
        more.extend_from_slice(b"PK\x03\x04");
        assert_eq!(image_len(&more), png.len());
    }
}
