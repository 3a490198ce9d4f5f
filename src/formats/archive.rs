//! Archives with members of their own: zip (read in place when it is a file
//! on disk, else held whole, in memory or spilled to a temporary file
//! ([`super::spill`]), for its directory is at its end;
//! its directory is read in bounded runs, [`super::zipdir`]) and tar
//! (streamed). An OOXML package is a zip too: it is handed to
//! [`super::ooxml`], an OpenDocument package to [`super::odf`], an `.xlsb`
//! or `.ods` workbook to calamine in the reader child
//! ([`super::sandbox`]). Member names in CP932 (Japanese Windows zips) are
//! decoded.

use std::cell::Cell;
use std::io::{self, Read, Seek};

use super::spill::hold;
use super::zipdir::{Directory, Members, SpanReader, Spans, View, RUN_BYTES};
use super::{odf, ooxml, sandbox, Format, Scope};
use crate::outcome::{Damage, SkipReason};
use crate::provenance::Step;

/// zip, by its local-file or end-of-directory signature.
pub(crate) static ZIP: Format = Format {
    name: "zip",
    sniff: |head, _| head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06"),
    file_checks: false,
    read: read_zip,
};

/// tar (POSIX ustar and GNU), by `ustar` at offset 257 and a header
/// whose checksum holds: a CSV that happens to have `ustar` at byte 257 is
/// text, not a broken tar.
pub(crate) static TAR: Format = Format {
    name: "tar",
    sniff: |head, _| {
        head.len() >= 512 && &head[257..262] == b"ustar" && tar_checksum_ok(&head[..512])
    },
    file_checks: false,
    read: read_tar,
};

/// A zip behind other bytes, in a file on disk that no other format
/// takes (a self-extractor: an executable stub, then a zip, which unzip
/// reads): found by its end record ([`zip_at_end`]), never by its head.
/// The bytes before the zip are read for text runs, then its members. In
/// a stream that cannot be read again (an archive member, stdin) such a
/// zip is found only as the stream ends, and is then a gap
/// ([`crate::outcome::SkipReason::ZipBehindData`]).
pub(crate) static ZIP_AT_END: Format = Format {
    name: "zip at end",
    sniff: |_, _| false,
    file_checks: false,
    read: read_zip_at_end,
};

/// Whether the file `source` gives ends with a zip directory of at least
/// one entry (its end record and the directory it points to line up);
/// `None` when the source cannot be read again with random access (stdin,
/// a git blob): the caller then looks at the stream's end as it passes
/// ([`super::zipdir::ZipTail`]).
pub fn zip_at_end(source: &dyn crate::inputs::Source) -> Option<bool> {
    let Ok(file) = source.reopen_seekable()? else {
        return Some(false);
    };
    let found = Directory::find(&mut io::BufReader::new(file));
    Some(found.is_ok_and(|dir| dir.is_some_and(|d| d.entries > 0)))
}

fn read_zip_at_end(scope: &mut Scope<'_, '_, '_>, r: &mut dyn Read) -> io::Result<()> {
    let Some(file) = scope.reopen_seekable() else {
        return Ok(());
    };
    let mut file = io::BufReader::new(file?);
    let Some(dir) = Directory::find(&mut file)? else {
        scope.corrupt(None, Damage::Zip);
        return Ok(());
    };
    // the stub: what precedes the first member (a self-extractor whose
    // offsets were adjusted, `zip -A`, has no bytes before the archive)
    let stub = dir
        .first_member_at(&mut file)?
        .unwrap_or(dir.archive_offset);
    let stub = stub.max(dir.archive_offset);
    scope.binary_here(&mut r.take(stub));
    zip_members(scope, file, stub)
}

/// A member name as text: UTF-8, else CP932 (Japanese Windows zips).
pub fn member_name(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => {
            match encoding_rs::SHIFT_JIS.decode_without_bom_handling_and_without_replacement(raw) {
                Some(text) => text.into_owned(),
                // neither: every byte kept, so that two such names stay two
                None => crate::names::text(raw).into_owned(),
            }
        }
    }
}

/// Whether a 512-byte tar header's checksum field (octal, bytes 148..156)
/// equals the sum of its bytes with that field taken as spaces (POSIX
/// ustar; some old writers summed signed bytes, also accepted).
fn tar_checksum_ok(header: &[u8]) -> bool {
    let field = &header[148..156];
    let digits: Vec<u8> = field
        .iter()
        .copied()
        .skip_while(|b| *b == b' ')
        .take_while(u8::is_ascii_digit)
        .collect();
    if digits.is_empty() || digits.iter().any(|d| *d > b'7') {
        return false;
    }
    let Some(stored) = std::str::from_utf8(&digits)
        .ok()
        .and_then(|d| u32::from_str_radix(d, 8).ok())
    else {
        return false;
    };
    let (mut unsigned, mut signed) = (0u32, 0i32);
    for (i, &b) in header.iter().enumerate() {
        let b = if (148..156).contains(&i) { b' ' } else { b };
        unsigned += u32::from(b);
        signed += i32::from(b as i8);
    }
    stored == unsigned || i64::from(stored) == i64::from(signed)
}

fn read_zip(scope: &mut Scope<'_, '_, '_>, r: &mut dyn Read) -> io::Result<()> {
    if let Some(file) = scope.reopen_seekable() {
        // a zip on disk: random access in place
        return zip_members(scope, io::BufReader::new(file?), 0);
    }
    match hold(r, &mut scope.nest)? {
        Ok(held) => zip_members(scope, held, 0),
        Err(reason) => {
            scope.skip(None, reason);
            Ok(())
        }
    }
}

/// Reads a zip's members through the `zip` crate, shown its directory in
/// bounded runs ([`super::zipdir`]): a directory of at most [`RUN_BYTES`]
/// and [`RUN_ENTRIES`](super::zipdir::RUN_ENTRIES) is one run (a document package is then recognised
/// by its part names); a larger one is read run after run, as a plain zip.
/// Then what the zip holds outside its members, from `from` on (the bytes
/// before it were read already): [`zip_outside`].
fn zip_members<R: Read + Seek>(
    scope: &mut Scope<'_, '_, '_>,
    mut r: R,
    from: u64,
) -> io::Result<()> {
    let Some(dir) = Directory::find(&mut r)? else {
        // no end record of our reading: a small file is still handed to
        // the crate (its directory cannot be larger than the file)
        let len = r.seek(io::SeekFrom::End(0))?;
        match zip::ZipArchive::new(r) {
            Ok(mut archive) if len <= RUN_BYTES => {
                let total = archive.len();
                let spans = crate_spans(&mut archive);
                read_archive(scope, archive, &spans, true, 0, total)?;
            }
            _ => scope.corrupt(None, Damage::Zip),
        }
        return Ok(());
    };
    let total = usize::try_from(dir.entries).unwrap_or(usize::MAX);
    // where each member lies, before any is inflated: members that share
    // bytes are not read (a zip bomb's shape)
    // (one walk of the directory: the same members say which bytes no
    // member covers, after the members are read)
    let members = dir.members(&mut r, scope.limits().max_entries)?;
    let spans = members.spans();
    let mut runs = dir.runs();
    let mut first = 0usize;
    while let Some(run) = runs.next(&mut r) {
        let run = match run? {
            Ok(run) => run,
            Err(_) => {
                // a record that does not parse: the members before it were read
                let at = (first > 0).then(|| Step::Entry(format!("#{first}")));
                scope.corrupt(at, Damage::Zip);
                break;
            }
        };
        let (view, hide) = View::new(&mut r, &dir, run);
        let config = zip::read::Config {
            archive_offset: zip::read::ArchiveOffset::Known(dir.archive_offset),
        };
        let archive = match zip::ZipArchive::with_config(config, view) {
            Ok(a) => a,
            Err(_) => {
                let at = (first > 0).then(|| Step::Entry(format!("#{first}")));
                scope.corrupt(at, Damage::Zip);
                break;
            }
        };
        hide.set(false);
        let shown = archive.len() as u64;
        if shown < run.entries {
            // records the crate took as one (names the same once decoded):
            // the ones it dropped are not read
            let dropped = Step::Entry(format!(
                "({} members of a name seen twice)",
                run.entries - shown
            ));
            scope.skip(Some(dropped), SkipReason::UnsupportedFormat);
        }
        let whole = first == 0 && run.entries == dir.entries;
        if !read_archive(scope, archive, &spans, whole, first, total)? {
            break;
        }
        first += archive_len(run.entries);
    }
    zip_outside(scope, &mut r, &dir, &members, from)
}

/// The member a zip's archive comment (after its end record) is scanned as.
pub const ZIP_COMMENT: &str = "(archive comment)";
/// The member the bytes of a zip that no member covers are scanned as.
pub const OUTSIDE_MEMBERS: &str = "(outside members)";
/// The member the bytes after a zip's end record and comment are scanned as.
pub const AFTER_END: &str = "(after the end record)";
/// What a zip member's comment is scanned as: `NAME (comment)`.
pub const MEMBER_COMMENT: &str = " (comment)";

/// Scans what a zip holds that no tool shows as a file, each as a member
/// of its own: the archive comment, each member's comment (`NAME
/// (comment)`) and the bytes after the end record, sniffed and read like a
/// file; the bytes from `from` on that no member covers
/// ([`Members::uncovered`]: before the first member, between members,
/// around the directory) as one member read for text runs, as a binary
/// file is (they are often a member's local header and data that the
/// directory leaves out). Spans are not looked for in a directory of more
/// records than the member limit (a gap already).
fn zip_outside<R: Read + Seek>(
    scope: &mut Scope<'_, '_, '_>,
    r: &mut R,
    dir: &Directory,
    members: &Members,
    from: u64,
) -> io::Result<()> {
    if dir.comment_len > 0 {
        r.seek(io::SeekFrom::Start(dir.comment_at()))?;
        let step = Step::Entry(ZIP_COMMENT.into());
        scope.member(Some(step), &mut (&mut *r).take(dir.comment_len), None);
    }
    for comment in members.comments() {
        if let Some((name, text)) = comment.read(r)? {
            let step = Step::Entry(format!("{}{MEMBER_COMMENT}", member_name(&name)));
            scope.member(Some(step), &mut &text[..], None);
        }
    }
    let spans = members.uncovered(dir, r, from)?;
    if let Some(spans) = spans.filter(|s| !s.is_empty()) {
        // for text runs, as a binary file: what lies there is often a
        // member's local header and data that the directory leaves out
        let step = Step::Entry(OUTSIDE_MEMBERS.into());
        scope.binary(step, &mut SpanReader::new(r, spans));
    }
    let len = r.seek(io::SeekFrom::End(0))?;
    if len > dir.end() {
        r.seek(io::SeekFrom::Start(dir.end()))?;
        let step = Step::Entry(AFTER_END.into());
        scope.member(Some(step), &mut (&mut *r).take(len - dir.end()), None);
    }
    Ok(())
}

fn archive_len(entries: u64) -> usize {
    usize::try_from(entries).unwrap_or(usize::MAX)
}

/// The spans of the members of a zip whose directory the crate read
/// whole (a small zip without an end record of ours), from where the
/// crate finds each member's data; a member it cannot locate has no span
/// (and is then not read).
fn crate_spans<R: Read + Seek>(archive: &mut zip::ZipArchive<R>) -> Spans {
    Spans::new((0..archive.len()).filter_map(|i| {
        let f = archive.by_index_raw(i).ok()?;
        let end = f.data_start()?.saturating_add(f.compressed_size());
        Some((f.header_start(), end))
    }))
}

/// Whether `spans` says that no two members of `archive` share a byte,
/// where the crate finds their data: a document package is then read by
/// its reader; else member by member, the ones that overlap not inflated.
fn members_apart<R: Read + Seek>(archive: &mut zip::ZipArchive<R>, spans: &Spans) -> bool {
    !spans.any_overlap()
        && (0..archive.len()).all(|i| {
            archive
                .by_index_raw(i)
                .is_ok_and(|f| member_apart(&f, spans))
        })
}

/// Whether member `f` overlaps no other ([`Spans::readable`]).
fn member_apart<R: Read>(f: &zip::read::ZipFile<'_, R>, spans: &Spans) -> bool {
    f.data_start().is_some_and(|start| {
        spans.readable(f.header_start(), start.saturating_add(f.compressed_size()))
    })
}

/// A zip package that a reader of its own reads.
enum Package {
    Ooxml(ooxml::Kind),
    OdfDocument,
    /// Read by calamine in the reader child.
    Workbook(sandbox::Kind),
}

/// The package `archive` is, by its part names and an ODF `mimetype`.
fn package_of<R: Read + Seek>(archive: &mut zip::ZipArchive<R>) -> Option<Package> {
    if let Some(kind) = ooxml::kind(archive.file_names()) {
        return Some(Package::Ooxml(kind));
    }
    let xlsb = archive.file_names().any(|n| n == "xl/workbook.bin");
    match odf::package_kind(archive) {
        Some(odf::Kind::Document) => Some(Package::OdfDocument),
        _ if xlsb => Some(Package::Workbook(sandbox::Kind::Xlsb)),
        Some(odf::Kind::Spreadsheet) => Some(Package::Workbook(sandbox::Kind::Ods)),
        None => None,
    }
}

/// Reads what `archive` shows: a document package when it is the `whole`
/// zip and its members are apart ([`members_apart`]), else its members,
/// the first of them being entry `first` of `total`, each inflated only if
/// `spans` says it overlaps no other. `false` once the zip is to be read
/// no further (the member count limit, a damaged entry).
fn read_archive<R: Read + Seek>(
    scope: &mut Scope<'_, '_, '_>,
    mut archive: zip::ZipArchive<R>,
    spans: &Spans,
    whole: bool,
    first: usize,
    total: usize,
) -> io::Result<bool> {
    let package = if whole {
        package_of(&mut archive)
    } else {
        None
    };
    match package {
        Some(package) if members_apart(&mut archive, spans) => {
            match package {
                Package::Ooxml(kind) => ooxml::read_package(scope, kind, &mut archive),
                Package::OdfDocument => odf::read_document(scope, &mut archive),
                Package::Workbook(kind) => {
                    // calamine reads their sheets, in the reader child;
                    // their other parts are read here
                    if kind == sandbox::Kind::Xlsb {
                        ooxml::read_xlsb_parts(scope, &mut archive);
                    } else {
                        odf::read_spreadsheet_parts(scope, &mut archive);
                    }
                    let mut zip = archive.into_inner();
                    zip.seek(io::SeekFrom::Start(0))?;
                    sandbox::read(scope, kind, &mut zip)?;
                }
            }
            Ok(true)
        }
        _ => Ok(zip_entries(scope, &mut archive, spans, first, total)),
    }
}

/// Scans the members `archive` shows, the first of them being entry
/// `first` of `total`; `false` once the zip is to be read no further.
fn zip_entries<R: Read + Seek>(
    scope: &mut Scope<'_, '_, '_>,
    archive: &mut zip::ZipArchive<R>,
    spans: &Spans,
    first: usize,
    total: usize,
) -> bool {
    let max_entries = scope.limits().max_entries;
    for i in 0..archive.len() {
        let index = first + i;
        if index >= max_entries {
            let rest = format!("({} more members)", total.saturating_sub(index).max(1));
            scope.skip(Some(Step::Entry(rest)), SkipReason::ArchiveLimit);
            return false;
        }
        let (name, encrypted, is_dir, compressed, apart) = match archive.by_index_raw(i) {
            Ok(f) => (
                member_name(f.name_raw()),
                f.encrypted(),
                // a "directory" (name ending in `/`) that carries data is
                // read as a member: unzip and Python's zipfile give its bytes
                f.is_dir() && f.compressed_size() == 0 && f.size() == 0,
                f.compressed_size(),
                member_apart(&f, spans),
            ),
            Err(e) => {
                // a damaged directory: one record, not one per claimed entry
                let _ = e; // its text can quote the archive: not forwarded
                scope.corrupt(Some(Step::Entry(format!("#{index}"))), Damage::Zip);
                return false;
            }
        };
        // folder names are names too (a directory entry's own included)
        scope.folders(&name);
        if is_dir {
            continue;
        }
        if !apart {
            // its data shares bytes with another member's: not inflated
            scope.corrupt_member(name, Damage::Overlap);
            continue;
        }
        if encrypted {
            scope.skip_member(name, SkipReason::Encrypted);
            continue;
        }
        match archive.by_index(i) {
            Ok(mut f) => scope.member(Some(Step::Entry(name)), &mut f, Some(compressed)),
            Err(zip::result::ZipError::UnsupportedArchive(_)) => {
                // a compression method without a decoder here (Deflate64, ...)
                scope.skip_member(name, SkipReason::UnsupportedFormat)
            }
            Err(_) => scope.corrupt_member(name, Damage::Zip),
        }
    }
    true
}

/// Most bytes the `tar` crate may read between two entries: the padding
/// and headers, GNU long names and link names (`L`, `K`), pax records
/// (`x`) and GNU sparse maps, which it holds whole. A name is a path
/// (4 KiB on Linux); 1 MiB leaves room for pax extended attributes.
pub const MAX_TAR_HEADERS: u64 = 1 << 20;

/// The archive stream under the `tar` crate, with a limit on where it may
/// read to: as each entry comes, its data's end (the next entry's header)
/// plus [`MAX_TAR_HEADERS`]. Past it a read fails, and the gate says it
/// tripped: a 100 MB long name is never held (the crate reads it whole,
/// and its loop over it is not linear).
struct Gate<'a> {
    inner: &'a mut dyn Read,
    meter: &'a GateMeter,
}

/// Where a [`Gate`] is and may read to.
#[derive(Default)]
struct GateMeter {
    pos: Cell<u64>,
    limit: Cell<u64>,
    tripped: Cell<bool>,
}

impl Read for Gate<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let (pos, limit) = (self.meter.pos.get(), self.meter.limit.get());
        let room = limit.saturating_sub(pos);
        if room == 0 && !buf.is_empty() {
            self.meter.tripped.set(true);
            return Err(io::Error::other("tar headers over their limit"));
        }
        let take = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..take])?;
        self.meter.pos.set(pos + n as u64);
        Ok(n)
    }
}

fn read_tar(scope: &mut Scope<'_, '_, '_>, r: &mut dyn Read) -> io::Result<()> {
    let meter = GateMeter::default();
    meter.limit.set(MAX_TAR_HEADERS);
    let mut archive = tar::Archive::new(Gate {
        inner: r,
        meter: &meter,
    });
    let entries = match archive.entries() {
        Ok(e) => e,
        Err(_) => {
            scope.corrupt(None, Damage::Tar);
            return Ok(());
        }
    };
    let max_entries = scope.limits().max_entries;
    for (i, entry) in entries.enumerate() {
        let mut entry = match entry {
            Ok(e) => e,
            Err(_) if meter.tripped.get() => {
                // a long name or pax header over the limit: the entry it
                // names and the rest of the archive are not read
                scope.skip_member(format!("entry-{}", i + 1), SkipReason::ArchiveLimit);
                break;
            }
            Err(_) => {
                // the tar reader's message quotes header bytes: not forwarded
                scope.corrupt(None, Damage::Tar);
                break;
            }
        };
        // the entry's data runs to the next header; the crate may read
        // that header and its extensions, no more than the limit past it
        let data_at = meter.pos.get();
        let mut name = member_name(&entry.path_bytes());
        let kind = entry.header().entry_type();
        if kind.is_dir() && !name.ends_with('/') {
            name.push('/');
        }
        // folder names are names too (a directory entry's own included)
        scope.folders(&name);
        tar_entry_extras(scope, &mut entry, &name);
        // the bytes the entry takes in the archive (a GNU sparse file's
        // data without its holes)
        let stored = if kind.is_gnu_sparse() {
            entry.header().entry_size().unwrap_or(u64::MAX)
        } else {
            entry.size() // a pax size when there is one
        };
        let next_header = data_at.saturating_add(stored.saturating_add(511) & !511);
        meter.limit.set(next_header.saturating_add(MAX_TAR_HEADERS));
        if !tar_holds_data(kind, stored) {
            continue; // directories, links, devices: no content of their own
        }
        if i >= max_entries {
            scope.skip_member(name, SkipReason::ArchiveLimit);
            break;
        }
        // a sparse file's holes read as zeros, held to the inflation
        // ratio over its stored bytes as a compressed member is
        scope.member(Some(Step::Entry(name)), &mut entry, Some(stored));
    }
    Ok(())
}

/// The member a tar entry's pax records are scanned as: `NAME (pax header)`.
pub const PAX_HEADER: &str = " (pax header)";
/// The member a tar link entry's target is located at: `NAME (link target)`.
pub const LINK_TARGET: &str = " (link target)";

/// pax keys whose values are read elsewhere or are numbers of the entry
/// (POSIX pax, "pax Extended Header"): its path and link target (names,
/// read as such), size, times, ids; GNU sparse maps. Other records
/// (`comment`, `uname`, `SCHILY.xattr.*`, `LIBARCHIVE.*`, any key a writer
/// makes up) are scanned.
const PAX_KEYS_READ_ELSEWHERE: [&str; 8] = [
    "path", "linkpath", "size", "mtime", "atime", "ctime", "uid", "gid",
];

/// Reads what a tar entry `name` carries besides its data: its pax records
/// (`key=value` lines, the ones of [`PAX_KEYS_READ_ELSEWHERE`] left out) as
/// the member `NAME (pax header)`, and the last component of a link's
/// target as a name, located at `NAME (link target)`. Both are held to [`MAX_TAR_HEADERS`] by the
/// [`Gate`]. A global pax header (`g`) is an entry of its own, read as a
/// member.
fn tar_entry_extras<R: Read>(
    scope: &mut Scope<'_, '_, '_>,
    entry: &mut tar::Entry<'_, R>,
    name: &str,
) {
    let kind = entry.header().entry_type();
    if !kind.is_pax_global_extensions() {
        let mut text = Vec::new();
        if let Ok(Some(records)) = entry.pax_extensions() {
            for record in records.flatten() {
                let key = record.key_bytes();
                let elsewhere = PAX_KEYS_READ_ELSEWHERE.iter().any(|k| k.as_bytes() == key)
                    || key.starts_with(b"GNU.sparse.");
                if !elsewhere {
                    text.extend_from_slice(key);
                    text.push(b'=');
                    text.extend_from_slice(record.value_bytes());
                    text.push(b'\n');
                }
            }
        }
        if !text.is_empty() {
            let step = Step::Entry(format!("{name}{PAX_HEADER}"));
            scope.member(Some(step), &mut &text[..], None);
        }
    }
    if kind.is_symlink() || kind.is_hard_link() {
        if let Some(target) = entry.link_name_bytes() {
            let target = member_name(&target);
            let last = target.rsplit(['/', '\\']).next().unwrap_or(&target);
            scope.other_name(Step::Entry(format!("{name}{LINK_TARGET}")), last);
        }
    }
}

/// Whether a tar entry of type `kind` that takes `stored` bytes in the
/// archive is read as a member: regular files, contiguous files (`7`,
/// read as regular ones, POSIX `ustar`), GNU sparse files (`S`, their
/// holes as zeros), and types this reader does not know (read as regular
/// files, as POSIX says); a directory, link, device or FIFO only when it
/// carries data all the same, for those bytes are in the archive. pax and
/// GNU long-name headers are taken by the `tar` crate and never reach here
/// (held to [`MAX_TAR_HEADERS`] by a [`Gate`]).
fn tar_holds_data(kind: tar::EntryType, stored: u64) -> bool {
    use tar::EntryType as T;
    match kind {
        T::Directory | T::Symlink | T::Link | T::Char | T::Block | T::Fifo => stored > 0,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tar_headers_are_told_from_text_by_their_checksum() {
        let mut b = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_ustar();
        h.set_size(3);
        h.set_cksum();
        b.append_data(&mut h, "a.csv", &b"a,b"[..]).unwrap();
        let tar = b.into_inner().unwrap();
        assert!((TAR.sniff)(&tar, "x"));
        // the same bytes at 257, in text
        let mut csv = b"name,id\n".repeat(40);
        csv[257..262].copy_from_slice(b"ustar");
        assert!(!(TAR.sniff)(&csv, "x.csv"));
    }

    #[test]
    fn cp932_member_names() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("従業員/マイナンバー.csv");
        assert_eq!(member_name(&sjis), "従業員/マイナンバー.csv");
        assert_eq!(member_name("a/b.txt".as_bytes()), "a/b.txt");
    }
}
