//! A zip's central directory, read in bounded memory.
//!
//! The `zip` crate reads a zip's whole central directory into memory
//! before it hands out a member: about 1 KB an entry and three copies of
//! each name (a zip of 100,000 members with 250-byte names cost 139 MB,
//! one of 50,000 with 2,000-byte names 330 MB). Here the end record (and
//! the zip64 one) is read first ([`Directory::find`]); the crate is then
//! shown a [`View`] of the zip: the file up to its directory, one run of
//! directory records, and an end record written here that declares just
//! that run. A small directory is one run; a larger one is walked record by
//! record ([`Directory::runs`]) and read run after run, so that what the
//! crate holds stays under [`RUN_BYTES`] and [`RUN_ENTRIES`] whatever the
//! zip. The crate keeps one entry per name, so a run also ends before a
//! name it already holds: members of the same name are each read, in later
//! runs. Members are still read by the crate, by their directory entries:
//! data descriptors, zip64 sizes, encryption flags and methods as before.
//!
//! While the crate reads a run, the file before the directory reads as
//! zeros: the crate, when a run does not parse, searches backwards for
//! another end record, and must not find one planted in member data (with
//! a directory of its own, as large as the file).

use std::cell::Cell;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::io::{self, Read, Seek, SeekFrom};
use std::rc::Rc;

/// Directory bytes the crate is shown at once: a directory no larger (and
/// with at most [`RUN_ENTRIES`] entries) is read whole, so that a
/// document package is recognised by all its part names.
pub const RUN_BYTES: u64 = 1 << 20;

/// Directory entries the crate is shown at once (about 1 KB each in its
/// memory).
pub const RUN_ENTRIES: u64 = 8192;

const END: &[u8; 4] = b"PK\x05\x06";
const END64: &[u8; 4] = b"PK\x06\x06";
const LOCATOR64: &[u8; 4] = b"PK\x06\x07";
const ENTRY: &[u8; 4] = b"PK\x01\x02";
const LOCAL: &[u8; 4] = b"PK\x03\x04";
const DESCRIPTOR: &[u8; 4] = b"PK\x07\x08";

/// Reads the spans of a file one after the other, a line break between
/// two (so that bytes of two spans are not read as one value): the bytes
/// of a zip outside its members ([`Members::uncovered`]).
pub struct SpanReader<'a, R> {
    inner: &'a mut R,
    spans: std::vec::IntoIter<(u64, u64)>,
    /// Bytes left of the span being read.
    left: u64,
    /// A break is owed before the next span.
    owed: bool,
}

impl<'a, R: Read + Seek> SpanReader<'a, R> {
    /// Reads `spans` of `inner`.
    pub fn new(inner: &'a mut R, spans: Vec<(u64, u64)>) -> SpanReader<'a, R> {
        SpanReader {
            inner,
            spans: spans.into_iter(),
            left: 0,
            owed: false,
        }
    }
}

impl<R: Read + Seek> Read for SpanReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        while self.left == 0 {
            let Some((from, to)) = self.spans.next() else {
                return Ok(0);
            };
            self.left = to - from;
            self.inner.seek(SeekFrom::Start(from))?;
            if self.owed {
                buf[0] = b'\n';
                return Ok(1);
            }
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        if n == 0 {
            // the file ended early (it shrank): nothing more there
            self.left = 0;
            return Ok(0);
        }
        self.left -= n as u64;
        self.owed = true;
        Ok(n)
    }
}

/// Where a zip's central directory is, from its end record (APPNOTE 6.3,
/// 4.3.14-4.3.16).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Directory {
    /// Where the directory starts in the file.
    pub start: u64,
    /// Its size in bytes.
    pub size: u64,
    /// The entries it declares.
    pub entries: u64,
    /// Bytes before the archive (a self-extractor's stub): directory and
    /// local header offsets in the zip count from there.
    pub archive_offset: u64,
    /// Where the end record starts in the file.
    pub end_at: u64,
    /// The length of the archive comment that follows the end record.
    pub comment_len: u64,
}

fn u16_at(b: &[u8], at: usize) -> u64 {
    u64::from(u16::from_le_bytes([b[at], b[at + 1]]))
}

fn u32_at(b: &[u8], at: usize) -> u64 {
    u64::from(u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]))
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut x = [0u8; 8];
    x.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(x)
}

/// `len` bytes at `at` in `r`, or `None` past its end.
fn bytes_at<R: Read + Seek>(r: &mut R, at: u64, len: usize) -> io::Result<Option<Vec<u8>>> {
    r.seek(SeekFrom::Start(at))?;
    let mut buf = Vec::with_capacity(len);
    r.take(len as u64).read_to_end(&mut buf)?;
    Ok((buf.len() == len).then_some(buf))
}

impl Directory {
    /// Reads the end of `r`: the last end record whose comment fits in the
    /// file, and the zip64 end record its locator points to. `None` when
    /// there is none, or what it says does not line up with a directory
    /// entry at the start it gives.
    pub fn find<R: Read + Seek>(r: &mut R) -> io::Result<Option<Directory>> {
        let len = r.seek(SeekFrom::End(0))?;
        let tail_len = len.min(22 + 0xFFFF);
        let tail_start = len - tail_len;
        let Some(tail) = bytes_at(r, tail_start, tail_len as usize)? else {
            return Ok(None);
        };
        let Some(end) = (0..tail.len().saturating_sub(21)).rev().find(|&i| {
            &tail[i..i + 4] == END && i + 22 + u16_at(&tail, i + 20) as usize <= tail.len()
        }) else {
            return Ok(None);
        };
        let end_pos = tail_start + end as u64;
        let record = &tail[end..end + 22];
        let (mut entries, mut size, mut offset) =
            (u16_at(record, 10), u32_at(record, 12), u32_at(record, 16));
        let mut dir_end = end_pos;
        // zip64 when a field of the plain record is saturated (as the
        // crate reads it)
        if entries == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            if let Some(z64) = zip64_end(r, end_pos)? {
                (entries, size, offset, dir_end) = z64;
            }
        }
        // the directory ends where the end records begin; with bytes before
        // the archive, its offset is counted from their end
        let Some(start) = dir_end.checked_sub(size) else {
            return Ok(None);
        };
        for (start, archive_offset) in [(start, start.checked_sub(offset)), (offset, Some(0))] {
            let Some(archive_offset) = archive_offset else {
                continue;
            };
            // (a zip64 offset is any u64: no sum may overflow)
            let entry_there = entries == 0
                || start.checked_add(46).is_some_and(|e| e <= dir_end)
                    && bytes_at(r, start, 4)?.is_some_and(|sig| sig == ENTRY);
            if entry_there {
                return Ok(Some(Directory {
                    start,
                    size,
                    entries,
                    archive_offset,
                    end_at: end_pos,
                    comment_len: u16_at(record, 20),
                }));
            }
        }
        Ok(None)
    }

    /// Where in the file the member of the directory's first record
    /// starts (its local header: offset field of the record, APPNOTE
    /// 4.3.12, plus the bytes before the archive); `None` when the record
    /// cannot be read or holds a zip64 offset. What precedes it in a
    /// self-extractor is its stub.
    pub fn first_member_at<R: Read + Seek>(&self, r: &mut R) -> io::Result<Option<u64>> {
        let Some(record) = bytes_at(r, self.start, 46)? else {
            return Ok(None);
        };
        let offset = u32_at(&record, 42);
        Ok((&record[..4] == ENTRY && offset != 0xFFFF_FFFF).then(|| self.archive_offset + offset))
    }

    /// Where the archive comment starts in the file (after the end record).
    pub fn comment_at(&self) -> u64 {
        self.end_at + 22
    }

    /// Where the zip ends: after its end record and comment. Bytes past it
    /// are no part of the zip (unzip ignores them).
    pub fn end(&self) -> u64 {
        self.comment_at() + self.comment_len
    }

    /// Walks the directory once, record after record from its start to
    /// its end as its size says, for where each of its first `max`
    /// members lies ([`Members`]): the overlap check ([`Members::spans`])
    /// and the bytes no member covers ([`Members::uncovered`]) both come
    /// from this walk. It stops at a record that does not parse or runs
    /// past the directory's end (the runs report it, [`Runs::next`]): the
    /// members before it are kept. One pass over the directory; memory
    /// bounded by `max`.
    pub fn members<R: Read + Seek>(&self, r: &mut R, max: usize) -> io::Result<Members> {
        let end = self.start.saturating_add(self.size);
        let mut at = self.start;
        r.seek(SeekFrom::Start(at))?;
        let mut extra = Vec::new();
        let mut out = Members::default();
        while at < end && out.members.len() < max {
            let Some(rec) = member_record(r, at, end, &mut extra)? else {
                return Ok(out);
            };
            let start = self.archive_offset.saturating_add(rec.offset);
            let least_end = rec
                .offset
                .saturating_add(LOCAL_HEADER + rec.name_len)
                .saturating_add(rec.compressed);
            out.members.push(Member {
                start,
                least_end: self.archive_offset.saturating_add(least_end),
                compressed: rec.compressed,
                descriptor: (rec.flags & 8 != 0).then_some(rec.zip64),
            });
            if rec.comment_len > 0 {
                let name_at = at + 46;
                out.comments.push(Comment {
                    name: (name_at, rec.name_len),
                    text: (name_at + rec.name_len + rec.extra_len, rec.comment_len),
                });
            }
            at += rec.len;
        }
        out.whole = at >= end;
        Ok(out)
    }

    /// The directory's runs, to read one at a time ([`Runs::next`]).
    pub fn runs(&self) -> Runs {
        Runs {
            end: self.start.saturating_add(self.size),
            at: self.start,
            walked: 0,
            broken: false,
            done: false,
        }
    }
}

/// The end of a stream, kept as it passes: enough to tell whether it ends
/// with a zip (a self-extractor, or a zip appended to other data) when it
/// cannot be read again from its start (an archive member, stdin). The
/// last 22 + 65,535 bytes (an end record and its longest comment) are
/// kept, in at most twice that much memory.
#[derive(Debug, Default)]
pub struct ZipTail {
    kept: Vec<u8>,
    /// Bytes that passed, in all.
    seen: u64,
}

/// What [`ZipTail`] keeps: an end record with the longest comment.
const TAIL: usize = 22 + 0xFFFF;

impl ZipTail {
    /// Keeps the end of `buf`, the stream's next bytes.
    pub fn feed(&mut self, buf: &[u8]) {
        self.seen += buf.len() as u64;
        let buf = &buf[buf.len().saturating_sub(TAIL)..];
        if self.kept.len() + buf.len() > 2 * TAIL {
            let keep = TAIL.saturating_sub(buf.len());
            self.kept
                .drain(..self.kept.len() - keep.min(self.kept.len()));
        }
        self.kept.extend_from_slice(buf);
    }

    /// Whether the stream ended with a zip of at least one entry: an end
    /// record whose directory, when it fits in what was kept, starts with a
    /// directory entry ([`Directory::find`]); when the directory is larger
    /// than that, an end record whose comment ends the stream and whose
    /// directory fits in the stream before it.
    pub fn holds_zip(&self) -> bool {
        let tail = &self.kept[self.kept.len().saturating_sub(TAIL)..];
        if Directory::find(&mut io::Cursor::new(tail))
            .is_ok_and(|d| d.is_some_and(|d| d.entries > 0))
        {
            return true;
        }
        let before = self.seen - tail.len() as u64;
        (0..tail.len().saturating_sub(21)).rev().any(|i| {
            let record = &tail[i..i + 22];
            &record[..4] == END
                && i + 22 + u16_at(record, 20) as usize == tail.len()
                && u16_at(record, 10) > 0
                && u32_at(record, 12) > i as u64
                && u32_at(record, 12) <= before + i as u64
        })
    }
}

/// The runs of directory records the crate is shown one at a time, found
/// by reading the records' fixed headers in order, to the directory's end
/// as its size says: the entry count of the end record is not trusted (some
/// writers store it modulo 65,536), so no record is left unread.
#[derive(Debug)]
pub struct Runs {
    end: u64,
    at: u64,
    walked: u64,
    broken: bool,
    done: bool,
}

/// One run of directory records: where it starts in the file, its bytes,
/// its entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    /// Where its first record starts in the file.
    pub from: u64,
    /// Its bytes.
    pub len: u64,
    /// Its records.
    pub entries: u64,
}

impl Runs {
    /// The next run, read from `r`: at most [`RUN_BYTES`] (or one record)
    /// and [`RUN_ENTRIES`]. After the last, `Err` with the entries read
    /// when a record does not start where the one before it ends (or the
    /// directory ends early); then `None`.
    pub fn next<R: Read + Seek>(&mut self, r: &mut R) -> Option<io::Result<Result<Run, u64>>> {
        if self.done {
            return None;
        }
        if self.broken {
            self.done = true;
            return Some(Ok(Err(self.walked)));
        }
        if self.at >= self.end {
            return None;
        }
        let (from, mut n) = (self.at, 0u64);
        if let Err(e) = r.seek(SeekFrom::Start(from)) {
            self.done = true;
            return Some(Err(e));
        }
        // the crate keeps one entry per name: a name seen again in this
        // run starts the next one, so every record is read
        let mut names = HashSet::new();
        while self.at < self.end && n < RUN_ENTRIES {
            match next_record(r, self.at, self.end) {
                Ok(Some((len, _))) if n > 0 && self.at + len - from > RUN_BYTES => break,
                Ok(Some((_, name))) if names.contains(&name) => break,
                Ok(Some((len, name))) => {
                    names.insert(name);
                    self.at += len;
                    n += 1;
                }
                Ok(None) => {
                    self.broken = true;
                    break;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
        self.walked += n;
        if n == 0 {
            self.done = true;
            return Some(Ok(Err(self.walked)));
        }
        Some(Ok(Ok(Run {
            from,
            len: self.at - from,
            entries: n,
        })))
    }
}

/// Reads the directory record at `at` (where `r` is) to its end: its
/// length and a hash of its name, or `None` when no record starts there or
/// it runs past `end`.
fn next_record<R: Read>(r: &mut R, at: u64, end: u64) -> io::Result<Option<(u64, u64)>> {
    let mut h = [0u8; 46];
    let mut got = 0;
    while got < h.len() {
        match r.read(&mut h[got..])? {
            0 => return Ok(None),
            n => got += n,
        }
    }
    if &h[..4] != ENTRY {
        return Ok(None);
    }
    let name_len = u16_at(&h, 28);
    let rest = name_len + u16_at(&h, 30) + u16_at(&h, 32);
    if at + 46 + rest > end {
        return Ok(None);
    }
    let mut name = Vec::with_capacity(name_len as usize);
    r.take(name_len).read_to_end(&mut name)?;
    let others = rest - name_len;
    if name.len() as u64 != name_len || io::copy(&mut r.take(others), &mut io::sink())? < others {
        return Ok(None);
    }
    let mut hash = std::hash::DefaultHasher::new();
    name.hash(&mut hash);
    Ok(Some((46 + rest, hash.finish())))
}

/// What one walk of a zip's central directory found
/// ([`Directory::members`]): where each member lies, as the `zip` crate
/// reads its directory record (one zip64 extra-field parser,
/// `zip64_fields`), and where each member comment is.
#[derive(Debug, Default)]
pub struct Members {
    members: Vec<Member>,
    comments: Vec<Comment>,
    /// The walk reached the directory's end: no record was left unread
    /// (none broken, none past the cap).
    whole: bool,
}

/// One member, from its directory record.
#[derive(Debug, Clone, Copy)]
struct Member {
    /// Where its local header starts in the file (the record's offset
    /// plus the bytes before the archive: the crate's `header_start`).
    start: u64,
    /// Where its data ends at the least: the local header's fixed 30
    /// bytes, the name (its directory length) and the compressed size.
    least_end: u64,
    /// Its compressed size (zip64 included).
    compressed: u64,
    /// When it has a data descriptor (flag bit 3): whether its directory
    /// record has a zip64 extra field (8-byte sizes in the descriptor).
    descriptor: Option<bool>,
}

/// Where a member's comment lies in the file, and the member's raw name
/// (each `(start, length)`); read with [`Comment::read`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comment {
    /// The member's raw name.
    pub name: (u64, u64),
    /// The comment.
    pub text: (u64, u64),
}

impl Comment {
    /// The member's raw name and the comment, read from `r` (each at most
    /// 65,535 bytes); `None` when the file ends first.
    pub fn read<R: Read + Seek>(&self, r: &mut R) -> io::Result<Option<(Vec<u8>, Vec<u8>)>> {
        let name = bytes_at(r, self.name.0, self.name.1 as usize)?;
        let text = bytes_at(r, self.text.0, self.text.1 as usize)?;
        Ok(name.zip(text))
    }
}

impl Members {
    /// The members' spans for the overlap check: from each local header to
    /// where its data ends at the least (the directory alone says so; see
    /// [`Spans`]).
    pub fn spans(&self) -> Spans {
        Spans::new(self.members.iter().map(|m| (m.start, m.least_end)))
    }

    /// The member comments found, in directory order.
    pub fn comments(&self) -> &[Comment] {
        &self.comments
    }

    /// The spans of the file between `from` and the end record that no
    /// member covers (bytes before the first member, between members,
    /// between the last one and the directory, between the directory and
    /// the end records), sorted. A member covers its local header (read
    /// here, one after the other), its data (its compressed size) and its
    /// data descriptor. `None` when the walk did not reach the directory's
    /// end (more records than its cap, or a broken one) or a local header
    /// is not where its record says: the crate's reading of the members
    /// then says what is wrong.
    pub fn uncovered<R: Read + Seek>(
        &self,
        dir: &Directory,
        r: &mut R,
        from: u64,
    ) -> io::Result<Option<Vec<(u64, u64)>>> {
        if !self.whole {
            return Ok(None);
        }
        let file_len = r.seek(SeekFrom::End(0))?;
        let mut extents = Vec::with_capacity(self.members.len());
        for m in &self.members {
            let Some(extent) = m.extent(r, file_len)? else {
                return Ok(None);
            };
            extents.push(extent);
        }
        extents.sort_unstable();
        let mut spans = Vec::new();
        let mut covered = from;
        for (start, stop) in extents {
            if start > covered {
                spans.push((covered, start.min(dir.start)));
            }
            covered = covered.max(stop);
        }
        if covered < dir.start {
            spans.push((covered, dir.start));
        }
        // the end records follow the directory (a zip64 one first)
        let end = dir.start.saturating_add(dir.size);
        let records = if dir.end_at >= end.saturating_add(76) {
            bytes_at(r, end, 4)?
                .filter(|sig| sig == END64)
                .map_or(dir.end_at, |_| end)
        } else {
            dir.end_at
        };
        if end < records {
            spans.push((end, records));
        }
        spans.retain(|(a, b)| a < b);
        Ok(Some(spans))
    }
}

impl Member {
    /// Where the member starts and ends in the file (`file_len` bytes
    /// long): its local header, its data, its data descriptor. `None` when
    /// its local header is not there.
    fn extent<R: Read + Seek>(&self, r: &mut R, file_len: u64) -> io::Result<Option<(u64, u64)>> {
        if self.start.saturating_add(LOCAL_HEADER) > file_len {
            return Ok(None);
        }
        let Some(local) = bytes_at(r, self.start, 30)?.filter(|h| &h[..4] == LOCAL) else {
            return Ok(None);
        };
        let (name_len, extra_len) = (u16_at(&local, 26), u16_at(&local, 28));
        let local_extra = self.start + LOCAL_HEADER + name_len;
        let mut stop = (local_extra + extra_len).saturating_add(self.compressed);
        if let Some(zip64) = self.descriptor {
            // a data descriptor (APPNOTE 4.3.9): an optional signature,
            // the CRC, and both sizes in 4 or (zip64) 8 bytes each
            let local_zip64 = bytes_at(r, local_extra, extra_len as usize)?
                .is_some_and(|e| zip64_fields(&e, &mut 0, &mut 0, &mut 0));
            if stop < file_len && bytes_at(r, stop, 4)?.is_some_and(|sig| sig == DESCRIPTOR) {
                stop = stop.saturating_add(4);
            }
            stop = stop.saturating_add(if zip64 || local_zip64 { 20 } else { 12 });
        }
        Ok(Some((self.start, stop)))
    }
}

/// Where members lie in the zip, one span per directory record: from the
/// local header to the end of the compressed data. Members whose spans
/// overlap share compressed bytes: a zip bomb's shape (many directory
/// records pointing at one deflate stream inflate it again and again,
/// each within the ratio limit), which no writer makes. Such members are
/// not inflated ([`Spans::readable`]).
///
/// The spans of [`Members::spans`] are taken from the directory alone, the
/// end counted as the local header's fixed 30 bytes, the name and the
/// compressed size: no more than the member takes (its local header's
/// extra field and a data descriptor may add to it), so two members that
/// are apart never look overlapping. [`Spans::readable`] checks each
/// member again with where its data really ends, when it is read.
#[derive(Debug, Default)]
pub struct Spans {
    /// Sorted by start.
    spans: Vec<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Span {
    start: u64,
    end: u64,
    overlaps: bool,
}

/// The fixed part of a local file header (APPNOTE 4.3.7).
const LOCAL_HEADER: u64 = 30;

/// The zip64 extended information extra field's tag (APPNOTE 4.5.3).
const ZIP64_EXTRA: u16 = 0x0001;

impl Spans {
    /// The spans of `(local header start, end)` pairs, marked where they
    /// overlap: a span overlaps another when one starts before the other
    /// ends (sorted by start, a later span that overlaps a span is found
    /// next to it, or before it by the furthest end so far).
    pub fn new(pairs: impl IntoIterator<Item = (u64, u64)>) -> Spans {
        let mut spans: Vec<Span> = pairs
            .into_iter()
            .map(|(start, end)| Span {
                start,
                end: end.max(start),
                overlaps: false,
            })
            .collect();
        spans.sort_unstable();
        let mut reach: Option<u64> = None;
        for i in 0..spans.len() {
            let Span { start, end, .. } = spans[i];
            let after = spans.get(i + 1).is_some_and(|next| next.start < end);
            // spans of equal start overlap whatever their length
            let same = spans.get(i + 1).is_some_and(|next| next.start == start)
                || i > 0 && spans[i - 1].start == start;
            let before = reach.is_some_and(|r| start < r);
            spans[i].overlaps = after || same || before;
            reach = Some(reach.map_or(end, |r| r.max(end)));
        }
        Spans { spans }
    }

    /// Whether any two members overlap.
    pub fn any_overlap(&self) -> bool {
        self.spans.iter().any(|s| s.overlaps)
    }

    /// Whether the member whose local header starts at `header_start` and
    /// whose data ends at `data_end` (both as the `zip` crate has them)
    /// may be inflated: its span is known, overlaps no other, and its data
    /// ends before the next member's local header. Members read this way
    /// never share a byte.
    pub fn readable(&self, header_start: u64, data_end: u64) -> bool {
        let Ok(i) = self.spans.binary_search_by(|s| s.start.cmp(&header_start)) else {
            return false;
        };
        !self.spans[i].overlaps
            && self
                .spans
                .get(i + 1)
                .is_none_or(|next| data_end <= next.start)
    }
}

/// A directory record's fields the walk uses (APPNOTE 4.3.12), sizes and
/// offset as the crate reads them (zip64 included).
struct Record {
    /// The record's length in bytes.
    len: u64,
    flags: u64,
    /// Its local header offset, counted from the start of the archive.
    offset: u64,
    compressed: u64,
    name_len: u64,
    extra_len: u64,
    comment_len: u64,
    /// It has a zip64 extended information extra field.
    zip64: bool,
}

/// Reads the directory record at `at` (where `r` is) to its end, or
/// `None` when no record starts there or it runs past `end`. `extra` is a
/// buffer reused for the extra field.
fn member_record<R: Read>(
    r: &mut R,
    at: u64,
    end: u64,
    extra: &mut Vec<u8>,
) -> io::Result<Option<Record>> {
    let mut h = [0u8; 46];
    if !read_full(r, &mut h)? || &h[..4] != ENTRY {
        return Ok(None);
    }
    let (name_len, extra_len, comment_len) = (u16_at(&h, 28), u16_at(&h, 30), u16_at(&h, 32));
    let rest = name_len + extra_len + comment_len;
    if at + 46 + rest > end || io::copy(&mut r.take(name_len), &mut io::sink())? < name_len {
        return Ok(None);
    }
    extra.clear();
    r.take(extra_len).read_to_end(extra)?;
    if extra.len() as u64 != extra_len
        || io::copy(&mut r.take(comment_len), &mut io::sink())? < comment_len
    {
        return Ok(None);
    }
    let (mut size, mut compressed, mut offset) = (u32_at(&h, 24), u32_at(&h, 20), u32_at(&h, 42));
    let zip64 = zip64_fields(extra, &mut size, &mut compressed, &mut offset);
    Ok(Some(Record {
        len: 46 + rest,
        flags: u16_at(&h, 8),
        offset,
        compressed,
        name_len,
        extra_len,
        comment_len,
        zip64,
    }))
}

/// Fills `buf` from `r`; `false` when `r` ends first.
fn read_full<R: Read>(r: &mut R, buf: &mut [u8]) -> io::Result<bool> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..])? {
            0 => return Ok(false),
            n => got += n,
        }
    }
    Ok(true)
}

/// Takes the sizes and the offset from the zip64 extra fields of a
/// directory record's `extra` as the `zip` crate does (7.x,
/// `parse_single_extra_field`): each 8-byte field in turn when the plain
/// one is saturated or the extra field is at least 24 bytes (APPNOTE
/// 4.5.3). Whether `extra` holds a zip64 field.
fn zip64_fields(extra: &[u8], size: &mut u64, compressed: &mut u64, offset: &mut u64) -> bool {
    let mut found = false;
    let mut at = 0;
    while at + 4 <= extra.len() {
        let tag = u16_at(extra, at) as u16;
        let len = u16_at(extra, at + 2) as usize;
        let body = &extra[at + 4..extra.len().min(at + 4 + len)];
        if tag == ZIP64_EXTRA {
            found = true;
            let mut fields = body.chunks_exact(8).map(|c| u64_at(c, 0));
            for value in [&mut *size, &mut *compressed, &mut *offset] {
                if len >= 24 || *value == 0xFFFF_FFFF {
                    match fields.next() {
                        Some(v) => *value = v,
                        None => break,
                    }
                }
            }
        }
        at += 4 + len;
    }
    found
}

/// The zip64 end record that the locator just before the end record at
/// `end_pos` points to: (entries, directory size, directory offset, where
/// the record starts). The record is looked for where the locator says,
/// and just before the locator (when bytes before the archive shift it).
fn zip64_end<R: Read + Seek>(r: &mut R, end_pos: u64) -> io::Result<Option<(u64, u64, u64, u64)>> {
    let Some(at) = end_pos.checked_sub(20) else {
        return Ok(None);
    };
    let Some(locator) = bytes_at(r, at, 20)?.filter(|l| &l[..4] == LOCATOR64) else {
        return Ok(None);
    };
    for pos in [Some(u64_at(&locator, 8)), at.checked_sub(56)]
        .into_iter()
        .flatten()
    {
        if let Some(rec) = bytes_at(r, pos, 56)?.filter(|z| &z[..4] == END64) {
            if pos < at {
                return Ok(Some((
                    u64_at(&rec, 32),
                    u64_at(&rec, 40),
                    u64_at(&rec, 48),
                    pos,
                )));
            }
        }
    }
    Ok(None)
}

/// A zip as the crate is shown it: the file up to the directory
/// (`cd_at`), then `len` bytes of directory records taken from `from` in
/// the file, then end records that declare just those. While `hide` is
/// set, the bytes before the directory read as zeros.
pub struct View<R> {
    inner: R,
    cd_at: u64,
    from: u64,
    len: u64,
    tail: Vec<u8>,
    pos: u64,
    /// Where `inner` is, when known: sequential reads need no seek.
    inner_at: Option<u64>,
    hide: Rc<Cell<bool>>,
}

impl<R: Read + Seek> View<R> {
    /// The view of `dir` showing the records of `run`, over `inner`; and
    /// the switch that hides the bytes before the directory (set: the
    /// crate is to read the directory only).
    pub fn new(inner: R, dir: &Directory, run: Run) -> (View<R>, Rc<Cell<bool>>) {
        let hide = Rc::new(Cell::new(true));
        let view = View {
            inner,
            cd_at: dir.start,
            from: run.from,
            len: run.len,
            tail: end_records(dir, run.len, run.entries),
            pos: 0,
            inner_at: None,
            hide: Rc::clone(&hide),
        };
        (view, hide)
    }

    fn view_len(&self) -> u64 {
        self.cd_at + self.len + self.tail.len() as u64
    }

    /// Reads from the file at `at` into `buf`.
    fn read_inner(&mut self, at: u64, buf: &mut [u8]) -> io::Result<usize> {
        if self.inner_at != Some(at) {
            self.inner.seek(SeekFrom::Start(at))?;
        }
        let n = self.inner.read(buf)?;
        self.inner_at = Some(at + n as u64);
        Ok(n)
    }
}

impl<R: Read + Seek> Read for View<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let pos = self.pos;
        let n = if pos < self.cd_at {
            let room = (self.cd_at - pos).min(buf.len() as u64) as usize;
            if self.hide.get() {
                buf[..room].fill(0);
                room
            } else {
                self.read_inner(pos, &mut buf[..room])?
            }
        } else if pos < self.cd_at + self.len {
            let room = (self.cd_at + self.len - pos).min(buf.len() as u64) as usize;
            self.read_inner(self.from + (pos - self.cd_at), &mut buf[..room])?
        } else {
            let at = (pos - self.cd_at - self.len) as usize;
            let rest = self.tail.get(at..).unwrap_or(&[]);
            let n = rest.len().min(buf.len());
            buf[..n].copy_from_slice(&rest[..n]);
            n
        };
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: Read + Seek> Seek for View<R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let pos = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.view_len().checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = pos.ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
        Ok(self.pos)
    }
}

/// End records for `entries` records in `len` bytes at the directory's
/// start: a zip64 end record and its locator first when a count or an
/// offset does not fit the plain one (APPNOTE 4.3.14-4.3.16).
fn end_records(dir: &Directory, len: u64, entries: u64) -> Vec<u8> {
    let offset = dir.start - dir.archive_offset;
    let zip64 = entries >= 0xFFFF || len >= 0xFFFF_FFFF || offset >= 0xFFFF_FFFF;
    end_records_of(dir, len, entries, zip64)
}

/// [`end_records`], with or without the zip64 ones.
fn end_records_of(dir: &Directory, len: u64, entries: u64, zip64: bool) -> Vec<u8> {
    let offset = dir.start - dir.archive_offset;
    let mut out = Vec::with_capacity(98);
    if zip64 {
        let record_at = offset + len;
        out.extend(END64);
        out.extend(44u64.to_le_bytes());
        out.extend(45u16.to_le_bytes());
        out.extend(45u16.to_le_bytes());
        out.extend([0u8; 8]); // this disk, the directory's disk
        out.extend(entries.to_le_bytes());
        out.extend(entries.to_le_bytes());
        out.extend(len.to_le_bytes());
        out.extend(offset.to_le_bytes());
        out.extend(LOCATOR64);
        out.extend(0u32.to_le_bytes());
        out.extend(record_at.to_le_bytes());
        out.extend(1u32.to_le_bytes());
    }
    let small = |v: u64, max: u64| if zip64 { max } else { v.min(max) };
    out.extend(END);
    out.extend([0u8; 4]); // this disk, the directory's disk
    let n = small(entries, 0xFFFF) as u16;
    out.extend(n.to_le_bytes());
    out.extend(n.to_le_bytes());
    out.extend((small(len, 0xFFFF_FFFF) as u32).to_le_bytes());
    out.extend((small(offset, 0xFFFF_FFFF) as u32).to_le_bytes());
    out.extend(0u16.to_le_bytes()); // no comment
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn zip_of(names: &[String], comment: &[u8], prefix: &[u8]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for n in names {
            w.start_file(n.as_str(), opts).unwrap();
            w.write_all(n.as_bytes()).unwrap();
        }
        w.set_raw_comment(comment.to_vec().into());
        let zip = w.finish().unwrap().into_inner();
        [prefix, &zip].concat()
    }

    /// Every member's name and content through the runs of `zip`.
    fn read_in_runs(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
        let mut r = Cursor::new(zip.to_vec());
        let dir = Directory::find(&mut r).unwrap().unwrap();
        let mut runs = dir.runs();
        let mut out = Vec::new();
        while let Some(run) = runs.next(&mut r) {
            let run = run.unwrap().unwrap();
            let n = run.entries;
            let (view, hide) = View::new(&mut r, &dir, run);
            let config = zip::read::Config {
                archive_offset: zip::read::ArchiveOffset::Known(dir.archive_offset),
            };
            let mut archive = zip::ZipArchive::with_config(config, view).unwrap();
            hide.set(false);
            assert_eq!(archive.len() as u64, n);
            for i in 0..archive.len() {
                let mut f = archive.by_index(i).unwrap();
                let mut data = Vec::new();
                f.read_to_end(&mut data).unwrap();
                out.push((f.name().to_string(), data));
            }
        }
        out
    }

    #[test]
    fn a_directory_is_read_in_runs_whatever_is_around_the_zip() {
        // 20,000 members: three runs of at most 8,192 entries
        let names: Vec<String> = (0..20_000)
            .map(|i| format!("dir/member-{i:05}.txt"))
            .collect();
        for (comment, prefix) in [(&b""[..], &b""[..]), (b"a comment", b"#!/bin/sh\nexit 0\n")] {
            let zip = zip_of(&names, comment, prefix);
            let mut r = Cursor::new(zip.clone());
            let dir = Directory::find(&mut r).unwrap().unwrap();
            assert_eq!(dir.entries, 20_000);
            assert_eq!(dir.archive_offset, prefix.len() as u64);
            let mut runs = dir.runs();
            assert_eq!(std::iter::from_fn(|| runs.next(&mut r)).count(), 3);
            let read = read_in_runs(&zip);
            assert_eq!(read.len(), 20_000);
            assert!(read
                .iter()
                .zip(&names)
                .all(|((n, d), want)| n == want && d == want.as_bytes()));
        }
    }

    #[test]
    fn zip64_end_records_are_read_and_written() {
        // a zip whose plain end record is replaced by zip64 end records
        // written here: the crate reads them, and so does find
        let names: Vec<String> = (0..3).map(|i| format!("m{i}.txt")).collect();
        let zip = zip_of(&names, b"", b"");
        let dir = Directory::find(&mut Cursor::new(zip.clone()))
            .unwrap()
            .unwrap();
        let mut z64 = zip[..(dir.start + dir.size) as usize].to_vec();
        z64.extend(end_records_of(&dir, dir.size, 3, true));
        let mut archive = zip::ZipArchive::new(Cursor::new(z64.clone())).unwrap();
        assert_eq!(archive.len(), 3);
        let mut data = String::new();
        archive
            .by_index(2)
            .unwrap()
            .read_to_string(&mut data)
            .unwrap();
        assert_eq!(data, "m2.txt");
        // the same directory; its end record now after the zip64 ones
        let end_at = z64.len() as u64 - 22;
        assert_eq!(
            Directory::find(&mut Cursor::new(z64.clone())).unwrap(),
            Some(Directory { end_at, ..dir })
        );
        assert_eq!(read_in_runs(&z64).len(), 3);
        // a count past 0xFFFF takes zip64 records
        assert_eq!(end_records(&dir, dir.size, 70_000).len(), 56 + 20 + 22);
        assert_eq!(end_records(&dir, dir.size, 3).len(), 22);
    }

    #[test]
    fn bytes_no_member_covers_are_found_and_read_as_spans() {
        let names: Vec<String> = (0..3).map(|i| format!("m{i}.txt")).collect();
        let zip = zip_of(&names, b"the comment", b"");
        let dir = Directory::find(&mut Cursor::new(zip.clone()))
            .unwrap()
            .unwrap();
        assert_eq!(dir.comment_len, 11);
        assert_eq!(
            &zip[dir.comment_at() as usize..dir.end() as usize],
            b"the comment"
        );
        let mut r = Cursor::new(zip.clone());
        let spans = dir.members(&mut r, 10).unwrap().uncovered(&dir, &mut r, 0);
        assert_eq!(
            spans.unwrap(),
            Some(vec![]),
            "a plain zip: every byte a member's"
        );
        // bytes between the second and third member: the offsets after
        // them moved by hand (the third's record, and the directory's)
        let second_end = {
            let mut r = Cursor::new(zip.clone());
            let mut ends = Vec::new();
            let mut at = dir.start;
            for _ in 0..3 {
                let rec = bytes_at(&mut r, at, 46).unwrap().unwrap();
                ends.push(u32_at(&rec, 42));
                at += 46 + u16_at(&rec, 28) + u16_at(&rec, 30) + u16_at(&rec, 32);
            }
            ends[2] as usize
        };
        let gap = b"HIDDEN TEXT";
        let mut with_gap = zip[..second_end].to_vec();
        with_gap.extend_from_slice(gap);
        with_gap.extend_from_slice(&zip[second_end..]);
        let shift = gap.len() as u32;
        // the third record's local header offset, and the end record's
        // directory offset
        let third = {
            let mut at = dir.start as usize + gap.len();
            for _ in 0..2 {
                at +=
                    46 + u16_at(&with_gap, at + 28) as usize + u16_at(&with_gap, at + 30) as usize;
            }
            at
        };
        let off = u32::from_le_bytes(with_gap[third + 42..third + 46].try_into().unwrap());
        with_gap[third + 42..third + 46].copy_from_slice(&(off + shift).to_le_bytes());
        let end = with_gap.len() - 22 - 11;
        let cd = u32::from_le_bytes(with_gap[end + 16..end + 20].try_into().unwrap());
        with_gap[end + 16..end + 20].copy_from_slice(&(cd + shift).to_le_bytes());
        let mut r = Cursor::new(with_gap.clone());
        let dir = Directory::find(&mut r).unwrap().unwrap();
        let members = dir.members(&mut r, 10).unwrap();
        assert!(members.comments().is_empty());
        let spans = members.uncovered(&dir, &mut r, 0).unwrap().unwrap();
        let at = second_end as u64;
        assert_eq!(spans, [(at, at + shift as u64)]);
        let mut text = Vec::new();
        SpanReader::new(&mut r, vec![(at, at + 6), (at + 7, at + 11)])
            .read_to_end(&mut text)
            .unwrap();
        assert_eq!(text, b"HIDDEN\nTEXT");
        // more records than allowed: not looked for
        let two = dir.members(&mut r, 2).unwrap();
        assert_eq!(two.uncovered(&dir, &mut r, 0).unwrap(), None);
        assert_eq!(two.spans().spans.len(), 2, "the first two still checked");
        // the crate still reads every member
        assert_eq!(read_in_runs(&with_gap).len(), 3);
    }

    #[test]
    fn a_broken_record_ends_the_runs() {
        let names: Vec<String> = (0..10).map(|i| format!("m{i}.txt")).collect();
        let mut zip = zip_of(&names, b"", b"");
        let mut r = Cursor::new(zip.clone());
        let dir = Directory::find(&mut r).unwrap().unwrap();
        // the fourth record's signature broken
        let mut at = dir.start as usize;
        for _ in 0..3 {
            at += 46 + u16_at(&zip, at + 28) as usize + u16_at(&zip, at + 30) as usize;
        }
        zip[at] = b'X';
        let mut r = Cursor::new(zip);
        let mut runs = dir.runs();
        let runs: Vec<_> = std::iter::from_fn(|| runs.next(&mut r))
            .map(Result::unwrap)
            .collect();
        let first = Run {
            from: dir.start,
            len: at as u64 - dir.start,
            entries: 3,
        };
        assert_eq!(runs, [Ok(first), Err(3)]);
    }

    #[test]
    fn one_walk_keeps_the_members_before_a_broken_record() {
        // a zip whose members carry comments; the fourth record broken
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for i in 0..6 {
            w.start_file(format!("m{i}.txt"), opts).unwrap();
            w.write_all(b"data").unwrap();
        }
        let mut zip = w.finish().unwrap().into_inner();
        // member comments written by hand: none of the crate's writers
        // sets one; the records after the second shift, so the second
        // gets one of two bytes in place of its extra field's nothing
        let mut r = Cursor::new(zip.clone());
        let dir = Directory::find(&mut r).unwrap().unwrap();
        let whole = dir.members(&mut r, usize::MAX).unwrap();
        assert!(whole.comments().is_empty());
        assert_eq!(whole.uncovered(&dir, &mut r, 0).unwrap(), Some(vec![]));
        let mut at = dir.start as usize;
        let mut starts = Vec::new();
        for _ in 0..6 {
            starts.push(at);
            at += 46 + u16_at(&zip, at + 28) as usize + u16_at(&zip, at + 30) as usize;
        }
        // the second record's comment length set to 2, eating the next
        // record's first two bytes: the third record is then broken
        zip[starts[1] + 32] = 2;
        let mut r = Cursor::new(zip.clone());
        let members = dir.members(&mut r, usize::MAX).unwrap();
        assert_eq!(members.spans().spans.len(), 2, "the two before it kept");
        assert!(!members.spans().any_overlap());
        assert_eq!(members.comments().len(), 1);
        let (name, text) = members.comments()[0].read(&mut r).unwrap().unwrap();
        assert_eq!((&name[..], &text[..]), (&b"m1.txt"[..], &b"PK"[..]));
        assert_eq!(members.uncovered(&dir, &mut r, 0).unwrap(), None);
    }

    #[test]
    fn records_past_the_declared_count_are_read() {
        // 70,000 members with the count stored modulo 65,536 (4,464), as
        // some writers do: the directory's size says where it ends
        let names: Vec<String> = (0..70_000).map(|i| format!("{i:05}")).collect();
        let zip = zip_of(&names, b"", b"");
        let mut dir = Directory::find(&mut Cursor::new(zip.clone()))
            .unwrap()
            .unwrap();
        assert_eq!(dir.entries, 70_000);
        let mut cut = zip[..(dir.start + dir.size) as usize].to_vec();
        dir.entries = 70_000 % 65_536;
        cut.extend(end_records_of(&dir, dir.size, dir.entries, false));
        dir.end_at = cut.len() as u64 - 22;
        assert_eq!(
            Directory::find(&mut Cursor::new(cut.clone())).unwrap(),
            Some(dir)
        );
        assert_eq!(read_in_runs(&cut).len(), 70_000);
    }

    /// Zip64 end records (and their locator) declaring `entries` in
    /// `size` bytes at `offset`, for a record written at `at`.
    fn zip64_end_of(entries: u64, size: u64, offset: u64, at: u64) -> Vec<u8> {
        let mut out = END64.to_vec();
        out.extend(44u64.to_le_bytes());
        out.extend([45, 0, 45, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        for v in [entries, entries, size, offset] {
            out.extend(v.to_le_bytes());
        }
        out.extend(LOCATOR64);
        out.extend(0u32.to_le_bytes());
        out.extend(at.to_le_bytes());
        out.extend(1u32.to_le_bytes());
        out.extend(END);
        out.extend([0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]);
        out.extend([0xFF; 8]);
        out.extend([0, 0]);
        out
    }

    #[test]
    fn zip64_offsets_near_the_end_of_u64_are_no_directory() {
        // offsets and sizes a zip64 end record may hold: sums past u64::MAX
        // (a panic in a build with overflow checks) are no directory, or a
        // directory whose runs end at once
        for (entries, size, offset) in [
            (1, 46, u64::MAX - 10),
            (1, u64::MAX, u64::MAX - 10),
            (0, u64::MAX, u64::MAX - 10),
            (0, 10, u64::MAX - 5),
        ] {
            let mut zip = vec![0u8; 64];
            zip.extend(zip64_end_of(entries, size, offset, 64));
            let mut r = Cursor::new(zip);
            let Some(dir) = Directory::find(&mut r).unwrap() else {
                continue;
            };
            assert_eq!(dir.entries, 0);
            let mut runs = dir.runs();
            let runs: Vec<_> = std::iter::from_fn(|| runs.next(&mut r))
                .map(Result::unwrap)
                .collect();
            assert!(runs.iter().all(Result::is_err), "{runs:?}");
        }
    }

    #[test]
    fn what_is_not_a_zip_end_is_none() {
        for bytes in [&b""[..], b"PK\x05\x06", b"plain text, no zip here"] {
            assert_eq!(
                Directory::find(&mut Cursor::new(bytes.to_vec())).unwrap(),
                None
            );
        }
        // an end record pointing at no directory entry
        let mut fake = vec![0u8; 100];
        fake.extend(END);
        fake.extend([0, 0, 0, 0, 1, 0, 1, 0, 46, 0, 0, 0, 10, 0, 0, 0, 0, 0]);
        assert_eq!(Directory::find(&mut Cursor::new(fake)).unwrap(), None);
    }

    fn overlapping(spans: &Spans) -> Vec<u64> {
        spans
            .spans
            .iter()
            .filter(|s| s.overlaps)
            .map(|s| s.start)
            .collect()
    }

    #[test]
    fn spans_that_share_bytes_are_marked() {
        let apart = Spans::new([(100, 200), (0, 100), (300, 310)]);
        assert!(!apart.any_overlap());
        assert!(apart.readable(0, 100));
        // data that runs into the next member's local header
        assert!(!apart.readable(0, 101));
        assert!(apart.readable(300, 5000), "the last member");
        assert!(!apart.readable(50, 60), "no member starts there");
        // one member over two others (a quoted-overlap bomb's shape): all
        // three, the inner ones through the furthest end so far
        let chain = Spans::new([(0, 1000), (10, 20), (30, 40), (1000, 1100)]);
        assert_eq!(overlapping(&chain), [0, 10, 30]);
        assert!(chain.readable(1000, 1100));
        // records pointing at one local header
        let same = Spans::new([(0, 30), (0, 30), (40, 50)]);
        assert_eq!(overlapping(&same), [0, 0]);
        assert!(!same.readable(0, 30));
    }

    #[test]
    fn spans_of_a_written_zip_are_apart() {
        let names: Vec<String> = (0..300).map(|i| format!("m{i}.txt")).collect();
        let zip = zip_of(&names, b"", b"#!/bin/sh\n");
        let mut r = Cursor::new(zip.clone());
        let dir = Directory::find(&mut r).unwrap().unwrap();
        let spans = dir.members(&mut r, usize::MAX).unwrap().spans();
        assert_eq!(spans.spans.len(), 300);
        assert!(!spans.any_overlap());
        let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
        for i in 0..archive.len() {
            let f = archive.by_index_raw(i).unwrap();
            let end = f.data_start().unwrap() + f.compressed_size();
            assert!(spans.readable(f.header_start(), end), "{i}");
        }
        // only the first `max` records are taken
        let spans = dir.members(&mut r, 10).unwrap().spans();
        assert_eq!(spans.spans.len(), 10);
    }

    #[test]
    fn zip64_sizes_and_offsets_are_read_as_the_crate_reads_them() {
        let field = |len: u16, values: &[u64]| {
            let mut f = vec![0x99, 0x99, 0, 0]; // another field first
            f.extend([1, 0]);
            f.extend(len.to_le_bytes());
            values.iter().for_each(|v| f.extend(v.to_le_bytes()));
            f
        };
        let sat = 0xFFFF_FFFF;
        // only the saturated fields are in it, in order
        let (mut size, mut compressed, mut offset) = (10, sat, sat);
        zip64_fields(
            &field(16, &[1 << 40, 1 << 33]),
            &mut size,
            &mut compressed,
            &mut offset,
        );
        assert_eq!((size, compressed, offset), (10, 1 << 40, 1 << 33));
        // 24 bytes or more: all three, whatever the plain fields say
        let (mut size, mut compressed, mut offset) = (1, 2, 3);
        zip64_fields(
            &field(24, &[7, 8, 9]),
            &mut size,
            &mut compressed,
            &mut offset,
        );
        assert_eq!((size, compressed, offset), (7, 8, 9));
        // a field cut short changes nothing it does not hold
        let (mut size, mut compressed, mut offset) = (sat, sat, 5);
        zip64_fields(&field(16, &[4]), &mut size, &mut compressed, &mut offset);
        assert_eq!((size, compressed, offset), (4, sat, 5));
    }

    /// Whether `data`, fed in pieces of `piece` bytes, ends with a zip.
    fn tail_holds_zip(data: &[u8], piece: usize) -> bool {
        let mut tail = ZipTail::default();
        data.chunks(piece).for_each(|c| tail.feed(c));
        tail.holds_zip()
    }

    #[test]
    fn a_zip_at_the_end_of_a_stream_is_told_from_its_tail() {
        let stub = vec![0x7Fu8; 300_000];
        let small = zip_of(&["a.csv".to_string()], b"", &stub);
        // 5,000 members: a directory larger than the tail kept
        let names: Vec<String> = (0..5_000).map(|i| format!("m-{i:05}.txt")).collect();
        let large = zip_of(&names, b"a comment", &stub);
        for piece in [1 << 10, 64 << 10, 1 << 20] {
            assert!(tail_holds_zip(&small, piece));
            assert!(tail_holds_zip(&large, piece));
            // cut by a byte, or with data behind its comment: not a zip end
            assert!(!tail_holds_zip(&small[..small.len() - 1], piece));
            assert!(!tail_holds_zip(&stub, piece));
        }
        // an end record that points at no directory entry is not one
        let mut fake = vec![0u8; 100];
        fake.extend(END);
        fake.extend([0, 0, 0, 0, 1, 0, 1, 0, 46, 0, 0, 0, 10, 0, 0, 0, 0, 0]);
        assert!(!tail_holds_zip(&fake, 7));
    }
}
