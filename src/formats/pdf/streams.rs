//! A PDF stream's data, decoded under leakscan's limits: every filter and
//! chain lopdf knows (`FlateDecode` with PNG/TIFF predictors, `LZWDecode`,
//! `ASCII85Decode`, `ASCIIHexDecode`, `RunLengthDecode`, `BrotliDecode`,
//! `[/ASCII85Decode /FlateDecode]` and other chains). lopdf's bounded
//! decoder stops each layer at the cap given here, before it allocates
//! past it; the cap is the smallest of a per-stream size, the inflation
//! ratio of [`Limits`] over the stream's encoded bytes (with a floor), the
//! bytes the file may still inflate to, and what may be held at once. A
//! cap reached is [`Cut::Limit`] (an `archive_limit` gap), data that does
//! not decode is [`Cut::Damaged`].
//!
//! The file as a whole decodes to at most [`Limits::max_ratio`] times its
//! size (once past [`Limits::ratio_floor`]), as a compressed member does:
//! a stream decoded again (a Form XObject drawn many times, each draw
//! drawing it again, eight deep) counts each time, so a few hundred bytes
//! of forms cannot make the reader decode and interpret gigabytes.

use lopdf::{DecompressError, Error, Stream};

use crate::formats::limits::Limits;

/// Most bytes one stream may decode to.
pub const MAX_STREAM: u64 = 16 << 20;

/// Most decoded bytes held at once (a page's content and the forms it
/// draws, nested).
pub const MAX_HELD: u64 = 32 << 20;

/// Bytes a stream may decode to before the inflation ratio applies.
pub const RATIO_FLOOR: u64 = 4 << 20;

/// Why a stream's data was not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cut {
    /// A limit: the stream decodes past its cap.
    Limit,
    /// Data that does not decode, or a filter without a decoder (images'
    /// codecs: a content stream never uses them).
    Damaged,
}

/// The decoding budget of one file: bytes it may still decode to, bytes
/// held now, and the ratio limits.
#[derive(Debug)]
pub struct Budget {
    /// Bytes the file may still decode to (all streams).
    pub left: u64,
    /// Decoded bytes held now (released with [`Budget::release`]).
    pub held: u64,
    limits: Limits,
    /// When the file must stop (a signal, `--max-file-time`): looked at
    /// before each page and every [`STOP_EVERY`] content operators.
    pub stop: crate::scan::Stop,
}

/// Content operators run between two looks at [`Budget::stop`].
pub const STOP_EVERY: u32 = 4096;

impl Budget {
    /// A budget of `left` bytes under `limits`' ratio.
    pub fn new(left: u64, limits: Limits) -> Budget {
        Budget {
            left,
            held: 0,
            limits,
            stop: crate::scan::Stop::default(),
        }
    }

    /// The budget of a PDF file of `len` bytes: at most `left` bytes
    /// decoded in all, and no more than `limits.max_ratio` times `len`
    /// once past `limits.ratio_floor`.
    pub fn for_file(len: u64, left: u64, limits: Limits) -> Budget {
        let ratio = len.saturating_mul(limits.max_ratio).max(limits.ratio_floor);
        Budget::new(left.min(ratio), limits)
    }

    /// Whether the file may decode no more bytes: every stream from here
    /// on is a [`Cut::Limit`].
    pub fn spent(&self) -> bool {
        self.left == 0
    }

    /// The cap of a stream of `encoded` bytes now.
    fn cap(&self, encoded: u64) -> u64 {
        let ratio = encoded
            .saturating_mul(self.limits.max_ratio)
            .max(RATIO_FLOOR.min(self.limits.ratio_floor));
        MAX_STREAM
            .min(ratio)
            .min(self.left)
            .min(MAX_HELD.saturating_sub(self.held))
    }

    /// Gives back `n` held bytes (a decoded stream dropped).
    pub fn release(&mut self, n: usize) {
        self.held = self.held.saturating_sub(n as u64);
    }

    /// The decoded data of `stream`, counted as held until released.
    pub fn decode(&mut self, stream: &Stream) -> Result<Vec<u8>, Cut> {
        let cap = self.cap(stream.content.len() as u64);
        let data = if stream.dict.get(b"Filter").is_err() {
            if stream.content.len() as u64 > cap {
                return Err(Cut::Limit);
            }
            stream.content.clone()
        } else {
            let max = usize::try_from(cap).unwrap_or(usize::MAX);
            match stream.decompressed_content_with_limit(max) {
                Ok(data) => data,
                Err(Error::Decompress(DecompressError::MemoryLimitExceeded { .. })) => {
                    return Err(Cut::Limit)
                }
                // lopdf's message can quote the data: only the kind is kept
                Err(_) => return Err(Cut::Damaged),
            }
        };
        let n = data.len() as u64;
        if n > cap {
            return Err(Cut::Limit);
        }
        self.left -= n;
        self.held += n;
        Ok(data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{dictionary, Object};
    use std::io::Write;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(data).unwrap();
        z.finish().unwrap()
    }

    #[test]
    fn a_file_decodes_to_its_ratio_at_most() {
        let limits = Limits::default();
        // a small file: the ratio floor (64 MiB)
        assert_eq!(Budget::for_file(1_258, 1 << 40, limits).left, 64 << 20);
        // a 16 MiB file: 200 times its size, under the scan's budget
        assert_eq!(
            Budget::for_file(16 << 20, 1 << 40, limits).left,
            200 * (16 << 20)
        );
        assert_eq!(Budget::for_file(16 << 20, 1 << 30, limits).left, 1 << 30);
        let mut spent = Budget::for_file(0, 0, limits);
        assert!(spent.spent());
        let s = Stream::new(dictionary! {}, b"BT (a) Tj ET".to_vec());
        assert_eq!(spent.decode(&s), Err(Cut::Limit));
    }

    #[test]
    fn chains_decode_and_bombs_stop_at_their_cap() {
        // [/ASCIIHexDecode /FlateDecode]: hex of zlib
        let hex: String = zlib(b"BT (hello) Tj ET")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
            + ">";
        let s = Stream::new(
            dictionary! { "Filter" => vec![Object::from("ASCIIHexDecode"), Object::from("FlateDecode")] },
            hex.into_bytes(),
        );
        let mut budget = Budget::new(1 << 30, Limits::default());
        assert_eq!(budget.decode(&s).unwrap(), b"BT (hello) Tj ET");
        assert_eq!(budget.held, 16);
        budget.release(16);
        // 64 MiB of zeros: past the per-stream cap and the ratio
        let bomb = Stream::new(
            dictionary! { "Filter" => "FlateDecode" },
            zlib(&vec![0u8; 64 << 20]),
        );
        assert_eq!(budget.decode(&bomb), Err(Cut::Limit));
        // the file's budget
        let mut small = Budget::new(4, Limits::default());
        assert_eq!(small.decode(&s), Err(Cut::Limit));
        // damage
        let bad = Stream::new(dictionary! { "Filter" => "JBIG2Decode" }, vec![1, 2, 3]);
        assert_eq!(budget.decode(&bad), Err(Cut::Damaged));
    }
}
