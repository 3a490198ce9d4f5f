//! RAR archives (RAR 1.5 to 4.x and RAR 5 and later, by their signatures),
//! read with the `rars` crate in the reader child ([`super::sandbox`]):
//! each member comes back as a member of the archive.
//!
//! Why `rars`, and why in the child: it is the one pure-Rust reader of
//! RAR 4 and RAR 5 (Apache-2.0; `unrar` binds RARLAB's C++ source, whose
//! licence is not open source, and `rar`, `compress-tools` read no RAR 5 or
//! need libarchive), it forbids `unsafe`, and it bounds what a hostile
//! header declares before allocating (header count and bytes, the
//! dictionary, its decoder's workspace, the output). It is young (2026),
//! so it runs where a bug can only end the child: the parent records the
//! file as a gap and goes on, and the child's address space and CPU time
//! are capped.
//!
//! The archive comment (`rar -z`) is scanned as a member named
//! `(archive comment)`.
//!
//! What is not read is a gap: an encrypted member, or an archive whose
//! headers are encrypted: `encrypted` (no password is tried); a member
//! split across volumes (`.part1.rar`, ...): `unsupported_format` (each
//! volume is scanned as a file of its own; what lies wholly in one is
//! read); a directory or link entry that declares data (no tool writes
//! one; rars never decodes it) and an NTFS alternate stream (`rar -os`):
//! `unsupported_format`; a member whose dictionary is over [`MAX_DICTIONARY`], an archive
//! over the child's input cap, output past 200 times the archive's size: `archive_limit`;
//! damage: `corrupt_archive`. A member over [`MEMBER_CAP`] is scanned up to
//! the cap, and the rest is an `archive_limit` gap.

use std::cell::RefCell;
use std::io::{self, Read, Write};
use std::rc::Rc;

use rars::{
    ArchiveMember, ArchiveMemberMeta, ArchiveReadOptions, ArchiveReader, ErrorKind,
    ExtractionDecision,
};

use super::limits::Limits;
use super::sandbox::{self, Frames, Gap};
use super::{Format, Scope};

/// RAR 1.5-4.x (`Rar!\x1A\x07\x00`) and RAR 5 (`Rar!\x1A\x07\x01\x00`), by
/// their signatures.
pub(crate) static RAR: Format = Format {
    name: "rar",
    sniff: |head, _| {
        head.starts_with(b"Rar!\x1A\x07\x00") || head.starts_with(b"Rar!\x1A\x07\x01\x00")
    },
    file_checks: false,
    read: read_file,
};

fn read_file(scope: &mut Scope<'_, '_, '_>, r: &mut dyn Read) -> io::Result<()> {
    sandbox::read(scope, sandbox::Kind::Rar, r)
}

/// The largest dictionary a RAR 5 member may declare: 16 MiB. RAR's
/// default is 32 MiB, declared as less for a smaller input (16 MiB or less
/// for a member or solid stream up to 16 MiB). The decoder needs about
/// twice the dictionary and 16 MiB: with the input (up to
/// [`sandbox::INPUT_CAP`]) and a member's bytes, 32 MiB would not fit the
/// child's address space.
pub const MAX_DICTIONARY: u64 = 16 << 20;

/// The decoder's workspace (dictionary, tables, filter blocks), at most.
const MAX_WORKSPACE: u64 = 56 << 20;

/// The bytes of one member sent back to be scanned: 8 MiB. The child
/// holds them until the member ends.
pub const MEMBER_CAP: usize = 8 << 20;

/// Most bytes the archive may inflate to: [`Limits::max_ratio`] times its
/// size, at least [`Limits::ratio_floor`] (RAR gives no per-member packed
/// size for a solid stream).
fn output_cap(size: usize) -> u64 {
    let limits = Limits::default();
    (size as u64)
        .saturating_mul(limits.max_ratio)
        .max(limits.ratio_floor)
}

/// In the child: the members of the archive `data` into frames, one by
/// one in archive order.
pub fn read<W: Write>(data: &[u8], frames: &mut Frames<W>) -> io::Result<()> {
    let limits = Limits::default();
    let options = ArchiveReadOptions::new()
        .with_max_header_count(limits.max_entries as u64)
        .with_max_header_bytes(4 << 20)
        .with_rar50_dictionary_size_limit(MAX_DICTIONARY)
        .with_max_reader_workspace_bytes(MAX_WORKSPACE)
        // members are decoded as a stream, never whole in memory
        .with_rar50_buffered_decode_limit(0)
        .with_max_total_output_bytes(output_cap(data.len()));
    let archive = match ArchiveReader::read_with_options(data, options) {
        Ok(archive) => archive,
        Err(e) => return frames.gap("", gap_of(&e)),
    };
    read_comment(&archive, options, frames)?;
    unread_streams(&archive, frames)?;
    let total = archive.members().filter(|m| has_data(&m.meta)).count();
    let mut state = State {
        frames,
        current: None,
        seen: 0,
        stop: None,
    };
    let result = archive.extract_with_control(options, |member| state.next(member));
    // the member being written when extraction ended, and those after it
    let failed = result.as_ref().err().map(gap_of);
    state.finish(failed)?;
    let rest = total.saturating_sub(state.seen);
    if let (Some(gap), true) = (state.stop.or(failed), rest > 0) {
        state.frames.gap(&format!("({rest} more members)"), gap)?;
    }
    Ok(())
}

/// The name the archive comment (`rar -z`) is scanned under.
const COMMENT: &str = "(archive comment)";

/// Sends the archive comment, if there is one, as a member of its own
/// ([`COMMENT`]), held to [`MEMBER_CAP`]; one that cannot be read is a gap
/// of that name.
fn read_comment<W: Write>(
    archive: &rars::Archive,
    options: ArchiveReadOptions<'_>,
    frames: &mut Frames<W>,
) -> io::Result<()> {
    let options = options.with_max_member_output_bytes(MEMBER_CAP as u64);
    match archive.comment_with_options(options) {
        Ok(Some(text)) => frames.text(COMMENT, &text),
        Ok(None) => Ok(()),
        Err(e) => frames.gap(COMMENT, gap_of(&e)),
    }
}

/// Records, as `unsupported_format` gaps, the data of a RAR 5 archive that
/// is no member's: NTFS alternate streams (`STM` service headers, `rar
/// -os`), which rars does not decode.
fn unread_streams<W: Write>(archive: &rars::Archive, frames: &mut Frames<W>) -> io::Result<()> {
    let Some(rar5) = archive.as_rar50() else {
        return Ok(());
    };
    for service in rar5.services() {
        if service.name == b"STM" && service.packed_size() > 0 {
            frames.gap("(NTFS stream)", Gap::Unsupported)?;
        }
    }
    Ok(())
}

/// Whether a member has data to read: a file, or a directory or link
/// (RAR 5 keeps a link's target in its header) whose header declares
/// data all the same, which rars does not decode (a gap).
fn has_data(meta: &ArchiveMemberMeta) -> bool {
    !(meta.is_directory || meta.is_redirection) || meta.packed_size > 0
}

/// Why the archive or a member could not be read, from the crate's error
/// kind (never its message).
fn gap_of(e: &rars::Error) -> Gap {
    let encryption = matches!(
        e.root_cause(),
        rars::Error::FeatureDisabled {
            feature: "encryption"
        }
    );
    match e.kind() {
        _ if encryption => Gap::Encrypted,
        ErrorKind::PasswordRequired | ErrorKind::BadPassword => Gap::Encrypted,
        ErrorKind::ResourceLimit => Gap::Limit,
        ErrorKind::UnsupportedFormat | ErrorKind::UnsupportedFeature => Gap::Unsupported,
        _ => Gap::Damaged,
    }
}

/// The extraction's side: the member being written, and the frames.
struct State<'f, W: Write> {
    frames: &'f mut Frames<W>,
    /// The member being written: its name and its bytes so far.
    current: Option<(String, Rc<RefCell<Capped>>)>,
    /// Members (not directories or links) visited so far.
    seen: usize,
    /// Why the extraction was stopped before its end, if it was.
    stop: Option<Gap>,
}

impl<W: Write> State<'_, W> {
    /// Decides what to do with the next member, after sending the last one.
    fn next(&mut self, member: &ArchiveMember) -> rars::Result<ExtractionDecision> {
        self.finish(None)?;
        let meta = &member.meta;
        if !has_data(meta) {
            return Ok(ExtractionDecision::Skip);
        }
        self.seen += 1;
        let name = meta.name_lossy();
        let gap = if meta.is_directory || meta.is_redirection {
            // data rars does not decode (nor would extraction control)
            Some(Gap::Unsupported)
        } else if meta.is_encrypted {
            Some(Gap::Encrypted)
        } else if meta.is_split_before || meta.is_split_after {
            Some(Gap::Unsupported)
        } else {
            None
        };
        if let Some(gap) = gap {
            self.frames.gap(&name, gap)?;
            // a solid stream cannot be skipped: what follows is not read
            if member.is_solid() || meta.is_split_after {
                self.stop = Some(gap);
                return Ok(ExtractionDecision::Stop);
            }
            return Ok(ExtractionDecision::Skip);
        }
        let sink = Rc::new(RefCell::new(Capped::default()));
        self.current = Some((name, Rc::clone(&sink)));
        Ok(ExtractionDecision::Extract(Box::new(Shared(sink))))
    }

    /// Sends the member being written (what it has), with `gap` when its
    /// extraction failed, or an `archive_limit` gap when it was cut.
    fn finish(&mut self, gap: Option<Gap>) -> io::Result<()> {
        let Some((name, sink)) = self.current.take() else {
            return Ok(());
        };
        let sink = sink.borrow();
        self.frames.text(&name, &sink.data)?;
        match (gap, sink.cut) {
            (Some(gap), _) => self.frames.gap(&name, gap),
            (None, true) => self.frames.gap(&name, Gap::Limit),
            (None, false) => Ok(()),
        }
    }
}

/// A member's bytes, up to [`MEMBER_CAP`]; the rest is counted as cut.
#[derive(Default)]
struct Capped {
    data: Vec<u8>,
    cut: bool,
}

/// The writer handed to the extraction, sharing the member's bytes.
struct Shared(Rc<RefCell<Capped>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut c = self.0.borrow_mut();
        let room = MEMBER_CAP - c.data.len();
        let n = buf.len().min(room);
        c.data.extend_from_slice(&buf[..n]);
        c.cut |= n < buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
