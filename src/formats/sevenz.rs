//! 7-Zip archives, read through `sevenz-rust2` (pure Rust; it bounds every
//! count and buffer its header declares, and refuses a dictionary or model
//! past the memory limit it is given). Like a zip, a 7z needs random
//! access: read in place when it is a file on disk, else held whole, in
//! memory or spilled to a temporary file ([`super::spill`]).
//!
//! Members are decoded one compression block at a time and each is handed
//! to [`Scope::member`]: LZMA, LZMA2, PPMd, BZip2, Deflate and copy blocks,
//! behind BCJ, BCJ2 or delta filters, by the library; Deflate64 blocks by
//! `sevenz_deflate64.rs`. What cannot be read is a recorded gap:
//! - a block whose LZMA/LZMA2 dictionary (or PPMd model) is larger than
//!   [`Limits::max_window`], or that cannot have its window from the shared
//!   budget ([`super::window`]): `archive_limit` (its message says how to
//!   raise the limit), refused before it is allocated;
//! - an encrypted block (AES-256), or an archive whose header is
//!   encrypted: `encrypted`;
//! - a block in a method without a decoder here (zstd, brotli and LZ4 of
//!   7-Zip forks, a filter in front of Deflate64, ...): `unsupported_format`;
//! - damage: `corrupt_archive`, in leakscan's words.
//!
//! The inflation ratio is held per block: 7z records compressed sizes per
//! block (a solid block packs many members into one stream), so the
//! members of a block together may inflate to [`Limits::max_ratio`] times
//! the block's packed bytes (once past [`Limits::ratio_floor`]); past it,
//! the member being read and the rest of the block are `archive_limit`.

use std::io::{self, Read, Seek};

use sevenz_rust2::{Archive, ArchiveEntry, Block, BlockDecoder, EncoderMethod, Error, Password};

use super::limits::{LimitHit, Limits};
use super::spill::hold;
use super::window::{self, Permit};
use super::{sevenz_deflate64, Format, Scope};
use crate::outcome::{Damage, SkipReason};
use crate::provenance::Step;

/// 7-Zip, by its signature `7z\xBC\xAF\x27\x1C`.
pub(crate) static SEVEN_ZIP: Format = Format {
    name: "7z",
    sniff: |head, _| head.starts_with(b"7z\xBC\xAF\x27\x1C"),
    file_checks: false,
    read: read_7z,
};

fn read_7z(scope: &mut Scope<'_, '_, '_>, r: &mut dyn Read) -> io::Result<()> {
    if let Some(file) = scope.reopen_seekable() {
        // a 7z on disk: random access in place
        read_archive(scope, io::BufReader::new(file?));
        return Ok(());
    }
    match hold(r, &mut scope.nest)? {
        Ok(held) => read_archive(scope, held),
        Err(reason) => scope.skip(None, reason),
    }
    Ok(())
}

/// The memory limit handed to the library for headers, in KiB: the
/// window a decoder holds on its own, and 1 MiB for a decoder's other
/// state (LZMA's probability tables).
fn memory_limit_kb(limits: &Limits) -> usize {
    window_limit_kb(limits.free_window)
}

/// The memory limit handed to the library for a coder with a window of
/// `window` bytes, in KiB.
fn window_limit_kb(window: u64) -> usize {
    usize::try_from((window >> 10) + 1024).unwrap_or(usize::MAX)
}

/// The windows of a block's coders, from their properties (7-Zip's
/// `7zFormat.txt`): the largest declared (an LZMA or LZMA2 dictionary, a
/// PPMd model), and what they need together. A dictionary fills only up
/// to what the block decodes to (`output` bytes), doubling as it grows
/// (lzma-rust2 zero-fills each step): a 128 MiB dictionary of a 100 MB
/// block fills to 128 MiB, of a 40 MB one to 64 MiB.
fn block_windows(block: &Block, output: u64) -> (u64, u64) {
    let fill = output
        .max(64 << 10)
        .checked_next_power_of_two()
        .unwrap_or(u64::MAX);
    let (mut largest, mut need) = (0u64, 0u64);
    for coder in &block.coders {
        let props = coder.properties();
        let u32_at_1 = || {
            props
                .get(1..5)
                .map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
        };
        let (declared, fills) = match coder.encoder_method_id() {
            EncoderMethod::ID_LZMA => (u32_at_1().unwrap_or(0), true),
            EncoderMethod::ID_LZMA2 => (lzma2_dictionary(props.first().copied()), true),
            EncoderMethod::ID_PPMD => (u32_at_1().unwrap_or(0), false),
            _ => (0, false),
        };
        largest = largest.max(declared);
        need = need.saturating_add(if fills { declared.min(fill) } else { declared });
    }
    (largest, need)
}

/// The dictionary an LZMA2 property byte declares (0 for none or a bad
/// byte, which the library refuses itself).
fn lzma2_dictionary(bits: Option<u8>) -> u64 {
    match bits {
        Some(b @ 0..=39) => u64::from(2 | (b & 1)) << (b / 2 + 11),
        Some(40) => u64::from(u32::MAX),
        _ => 0,
    }
}

/// Takes the window a block needs ([`window::take`]); the memory limit
/// to hand the library for it, in KiB, and the share of the budget held
/// while the block is decoded.
fn take_block_window(
    archive: &Archive,
    block: usize,
    limits: &Limits,
) -> Result<(usize, Option<Permit>), window::Refused> {
    let b = &archive.blocks[block];
    // what the block decodes to: its members are read up to their sizes
    let sizes = archive
        .files
        .iter()
        .zip(&archive.stream_map.file_block_index)
        .filter(|(_, i)| **i == Some(block))
        .fold(0u64, |a, (f, _)| a.saturating_add(f.size));
    let (largest, need) = block_windows(b, b.get_unpack_size().max(sizes));
    if largest > limits.max_window {
        return Err(window::Refused::OverCap);
    }
    let permit = window::take(need, limits)?;
    Ok((window_limit_kb(largest.max(limits.free_window)), permit))
}

/// Why a whole archive or block could not be read, from the library's
/// error (never its message).
fn gap_of(e: &Error) -> Result<SkipReason, Damage> {
    match e {
        Error::MaxMemLimited { .. } => Ok(SkipReason::ArchiveLimit),
        Error::PasswordRequired | Error::MaybeBadPassword(_) => Ok(SkipReason::Encrypted),
        Error::UnsupportedCompressionMethod(_)
        | Error::ExternalUnsupported
        | Error::Unsupported(_)
        | Error::UnsupportedVersion { .. } => Ok(SkipReason::UnsupportedFormat),
        _ => Err(Damage::SevenZip),
    }
}

fn read_archive<R: Read + Seek>(scope: &mut Scope<'_, '_, '_>, mut source: R) {
    let limits = scope.limits();
    let password = Password::empty();
    let archive =
        match Archive::read_with_memory_limit(&mut source, &password, memory_limit_kb(&limits)) {
            Ok(a) => a,
            Err(e) => {
                match gap_of(&e) {
                    Ok(reason) => scope.skip(None, reason),
                    Err(damage) => scope.corrupt(None, damage),
                }
                return;
            }
        };
    // folder names are names too (directory entries' own included): the
    // members are read block by block, so their folders are seen first
    for entry in &archive.files {
        if entry.is_directory() {
            scope.folders(&format!("{}/", entry.name().trim_end_matches('/')));
        } else {
            scope.folders(entry.name());
        }
    }
    let mut seen = 0usize;
    for block in 0..archive.blocks.len() {
        if !read_block(scope, &archive, block, &mut source, &mut seen) {
            return;
        }
    }
    // members without data: their names are still scanned
    for (i, entry) in archive.files.iter().enumerate() {
        if archive.stream_map.file_block_index[i].is_none() && wanted(entry) {
            if !count(scope, &mut seen, &limits, archive.files.len() - i) {
                return;
            }
            scope.member(Some(step(entry)), &mut io::empty(), Some(0));
        }
    }
}

/// Whether an entry is a member of its own: one with a stream of data
/// (a "directory" that has one included: its bytes are in the block, and
/// the members after it are found by counting them), or a file without
/// one; not an empty directory or an anti-item.
fn wanted(entry: &ArchiveEntry) -> bool {
    entry.has_stream() || !entry.is_directory() && !entry.is_anti_item()
}

fn step(entry: &ArchiveEntry) -> Step {
    Step::Entry(entry.name().to_string())
}

/// Counts one more member against [`Limits::max_entries`]; past it, the
/// `left` members not read are one `archive_limit` record, and `false`.
fn count(scope: &mut Scope<'_, '_, '_>, seen: &mut usize, limits: &Limits, left: usize) -> bool {
    if *seen >= limits.max_entries {
        let rest = Step::Entry(format!("({left} more members)"));
        scope.skip(Some(rest), SkipReason::ArchiveLimit);
        return false;
    }
    *seen += 1;
    true
}

/// The members of one block that are read (not directories).
fn block_entries(archive: &Archive, block: usize) -> Vec<&ArchiveEntry> {
    archive
        .files
        .iter()
        .enumerate()
        .filter(|(i, e)| archive.stream_map.file_block_index[*i] == Some(block) && wanted(e))
        .map(|(_, e)| e)
        .collect()
}

/// The packed bytes of a block: its pack streams, which lie between its
/// first and the next block's first.
fn packed_size(archive: &Archive, block: usize) -> u64 {
    let firsts = archive.stream_map.block_first_pack_stream_index();
    let sizes = archive.pack_sizes();
    let start = firsts.get(block).copied().unwrap_or(sizes.len());
    let end = firsts.get(block + 1).copied().unwrap_or(sizes.len());
    sizes
        .get(start..end.max(start))
        .map_or(0, |s| s.iter().fold(0u64, |a, b| a.saturating_add(*b)))
}

/// Reads one block's members; `false` once the member-count limit stops
/// the archive.
fn read_block<R: Read + Seek>(
    scope: &mut Scope<'_, '_, '_>,
    archive: &Archive,
    block: usize,
    source: &mut R,
    seen: &mut usize,
) -> bool {
    let limits = scope.limits();
    let entries = block_entries(archive, block);
    if entries.is_empty() {
        return true;
    }
    let encrypted = archive.blocks[block]
        .coders
        .iter()
        .any(|c| c.encoder_method_id() == EncoderMethod::ID_AES256_SHA256);
    if encrypted {
        for e in &entries {
            scope.skip_member(e.name().to_string(), SkipReason::Encrypted);
        }
        return true;
    }
    let Ok((limit_kb, _permit)) = take_block_window(archive, block, &limits) else {
        for e in &entries {
            scope.skip(Some(step(e)), SkipReason::WindowLimit);
        }
        return true;
    };
    let cap = packed_size(archive, block)
        .saturating_mul(limits.max_ratio)
        .max(limits.ratio_floor);
    let mut state = BlockState {
        out: 0,
        cap,
        done: 0,
        stopped: false,
        limited: false,
        broken: false,
        recorded: false,
    };
    let password = Password::empty();
    let mut each = |entry: &ArchiveEntry, reader: &mut dyn Read| {
        if !wanted(entry) {
            return Ok(true);
        }
        if !count(scope, seen, &limits, entries.len() - state.done) {
            state.stopped = true;
            return Ok(false);
        }
        state.done += 1;
        Ok(read_entry(scope, entry, reader, &mut state))
    };
    let result = if sevenz_deflate64::reads(archive, block) {
        sevenz_deflate64::for_each_entries(archive, block, source, &mut each)
    } else {
        BlockDecoder::new_with_memory_limit(1, limit_kb, block, archive, &password, source)
            .for_each_entries(&mut each)
    };
    if state.stopped {
        return false;
    }
    let rest = entries.len() - state.done;
    if state.limited {
        if rest > 0 {
            let rest = Step::Entry(format!("({rest} more members)"));
            scope.skip(Some(rest), SkipReason::ArchiveLimit);
        }
        return true;
    }
    let damaged = match result {
        _ if state.broken => true,
        Ok(_) => false,
        Err(e) => match gap_of(&e) {
            // refused before any member was decoded
            Ok(reason) if state.done == 0 => {
                let reason = match e {
                    Error::MaxMemLimited { .. } => SkipReason::WindowLimit,
                    _ => reason,
                };
                for e in &entries {
                    scope.skip_member(e.name().to_string(), reason);
                }
                return true;
            }
            _ => true,
        },
    };
    if damaged {
        // the member whose data failed its check, and the rest
        let last = state.done.checked_sub(1).and_then(|i| entries.get(i));
        if let (Some(last), false) = (last, state.recorded) {
            scope.corrupt(Some(step(last)), Damage::SevenZip);
        }
        if rest > 0 {
            let rest = Step::Entry(format!("({rest} more members)"));
            scope.corrupt(Some(rest), Damage::SevenZip);
        }
    }
    true
}

/// What the members of one block have inflated to, and how they ended.
struct BlockState {
    /// Bytes decoded from the block so far.
    out: u64,
    /// Bytes the block may decode to (ratio cap).
    cap: u64,
    /// Members handed over so far.
    done: usize,
    /// The member-count limit stopped the archive.
    stopped: bool,
    /// The block's ratio cap was reached.
    limited: bool,
    /// The block's data stopped decoding inside a member.
    broken: bool,
    /// The last member has an issue recorded already.
    recorded: bool,
}

/// A member's reader under its block's ratio cap.
struct Capped<'a> {
    inner: &'a mut dyn Read,
    state: &'a mut BlockState,
}

impl Read for Capped<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.state.out >= self.state.cap {
            self.state.limited = true;
            return Err(io::Error::other(LimitHit));
        }
        let room = (self.state.cap - self.state.out).min(buf.len() as u64) as usize;
        let n = self.inner.read(&mut buf[..room])?;
        self.state.out += n as u64;
        Ok(n)
    }
}

/// Scans one member, then decodes what it left unread under the same cap
/// (the library would otherwise decode the rest uncapped to check its
/// CRC); `false` stops the block.
fn read_entry(
    scope: &mut Scope<'_, '_, '_>,
    entry: &ArchiveEntry,
    reader: &mut dyn Read,
    state: &mut BlockState,
) -> bool {
    let issues = scope.run.issues.len();
    let mut capped = Capped {
        inner: reader,
        state,
    };
    scope.member(Some(step(entry)), &mut capped, None);
    capped.state.recorded = scope.run.issues.len() > issues;
    if capped.state.limited {
        return false;
    }
    match io::copy(&mut capped, &mut io::sink()) {
        Ok(_) => true,
        Err(_) if capped.state.limited => {
            if !capped.state.recorded {
                scope.skip(Some(step(entry)), SkipReason::ArchiveLimit);
            }
            false
        }
        Err(_) => {
            capped.state.broken = true;
            false
        }
    }
}
