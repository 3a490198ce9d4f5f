//! 7-Zip archives, read through `sevenz-rust2` (pure Rust; it bounds every
//! count and buffer its header declares, and refuses a dictionary or model
//! past the memory limit it is given). Like a zip, a 7z needs random
//! access: read in place when it is a file on disk, else into memory up to
//! [`Limits::max_in_memory`].
//!
//! Members are decoded one compression block at a time and each is handed
//! to [`Scope::member`]: LZMA, LZMA2, PPMd, BZip2, Deflate and copy blocks,
//! behind BCJ, BCJ2 or delta filters, by the library; Deflate64 blocks by
//! `sevenz_deflate64.rs`. What cannot be read is a recorded gap:
//! - a block whose LZMA/LZMA2 dictionary (or PPMd model) is larger than
//!   [`Limits::max_window`]: `archive_limit`, refused before it is
//!   allocated;
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

use sevenz_rust2::{Archive, ArchiveEntry, BlockDecoder, EncoderMethod, Error, Password};

use super::limits::{read_capped, LimitHit, Limits};
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
    match read_capped(r, scope.limits().max_in_memory)? {
        Ok(data) => read_archive(scope, io::Cursor::new(data)),
        Err(_) => scope.skip(None, SkipReason::ArchiveLimit),
    }
    Ok(())
}

/// The memory limit handed to the library, in KiB: the window bound, and
/// 1 MiB for a decoder's other state (LZMA's probability tables).
fn memory_limit_kb(limits: &Limits) -> usize {
    usize::try_from((limits.max_window >> 10) + 1024).unwrap_or(usize::MAX)
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

/// Whether an entry is a member of its own (not a directory or an
/// anti-item, which hold no data).
fn wanted(entry: &ArchiveEntry) -> bool {
    !entry.is_directory() && !entry.is_anti_item()
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
        let limit = memory_limit_kb(&limits);
        BlockDecoder::new_with_memory_limit(1, limit, block, archive, &password, source)
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
