//! `ar` archives, as Debian packages (`.deb`: `debian-binary`,
//! `control.tar.xz`, `data.tar.xz`), static libraries (`.a`) and MSVC
//! import libraries (`.lib`) hold their members: each member handed back
//! as an entry, read through the formats like a file (a `.deb`'s
//! `data.tar.xz` as a compressed tar). Read as a stream, here rather than
//! with the `ar` crate, whose streaming reader does not skip the symbol
//! tables (GNU `/`, `/SYM64/`; the two linker members of an MSVC `.lib`)
//! and so calls every real static library damaged. The format (System V /
//! GNU, BSD, Microsoft): a global header `!<arch>\n`, then per member a
//! 60-byte header (name 16, date 12, uid 6, gid 6, mode 8, size 10, `` `\n``)
//! and its data, padded to an even length. Names: `name/` (GNU), `/N` (at
//! offset N of the `//` long-name table), `#1/N` (BSD: the name is the
//! first N bytes of the data). Symbol tables are members like any other
//! (their symbol names are text). A header that does not parse, or a
//! member cut short by the archive's end, is `corrupt_archive`.

use std::io::{self, Read};

use super::archive::member_name;
use super::{Format, Scope};
use crate::outcome::{Damage, SkipReason};
use crate::provenance::Step;

/// `ar`, by its global header.
pub(crate) static AR: Format = Format {
    name: "ar",
    sniff: |head, _| head.starts_with(MAGIC),
    file_checks: false,
    read: read_ar,
};

const MAGIC: &[u8] = b"!<arch>\n";

/// Most bytes of the `//` long-name table held (a `.lib` of 20,000
/// members has a table of a few hundred KiB); a larger one is read as a
/// member and the names it holds are shown by their offsets.
const MAX_NAME_TABLE: u64 = 16 << 20;

/// Most bytes of a BSD `#1/N` name.
const MAX_BSD_NAME: u64 = 4096;

/// One member header.
struct Header {
    name: Vec<u8>,
    size: u64,
}

/// Reads the 60-byte header of the next member: `Ok(None)` at the end
/// of the archive, `Err` for a header that is cut or does not parse.
fn header(r: &mut dyn Read) -> Result<Option<Header>, ()> {
    let mut h = [0u8; 60];
    let mut got = 0;
    while got < h.len() {
        match r.read(&mut h[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return Err(()),
        }
    }
    match got {
        0 => return Ok(None),
        // the padding byte of the last member, then the end
        1 if h[0] == b'\n' => return Ok(None),
        60 => {}
        _ => return Err(()),
    }
    if &h[58..60] != b"`\n" {
        return Err(());
    }
    let size = std::str::from_utf8(&h[48..58])
        .ok()
        .map(str::trim)
        .and_then(|s| s.parse::<u64>().ok())
        .ok_or(())?;
    let name = h[..16].trim_ascii_end().to_vec();
    Ok(Some(Header { name, size }))
}

/// Reads each member of an `ar` archive as an entry.
fn read_ar(scope: &mut Scope<'_, '_, '_>, r: &mut dyn Read) -> io::Result<()> {
    let mut magic = [0u8; 8];
    if r.read_exact(&mut magic).is_err() || magic != MAGIC {
        scope.corrupt(None, Damage::Ar);
        return Ok(());
    }
    let max_entries = scope.limits().max_entries;
    let mut long_names: Vec<u8> = Vec::new();
    let mut entries = 0;
    // a member's data starts at an even offset: a byte of padding after
    // an odd-sized one
    let mut pad = false;
    loop {
        if pad {
            let mut b = [0u8; 1];
            // the padding byte may be the archive's last
            let _ = r.read(&mut b)?;
            if b[0] != b'\n' && b[0] != 0 {
                // not padding: the writer did not pad; it is a header's
                // first byte, which this reader cannot put back
                scope.corrupt(None, Damage::Ar);
                return Ok(());
            }
        }
        let Some(h) = (match header(r) {
            Ok(h) => h,
            Err(()) => {
                scope.corrupt(None, Damage::Ar);
                return Ok(());
            }
        }) else {
            return Ok(());
        };
        pad = h.size % 2 == 1;
        let mut data = (&mut *r).take(h.size);
        // the long-name table: held, and read as a member too (names are data)
        if h.name == b"//" && h.size <= MAX_NAME_TABLE {
            long_names.clear();
            data.read_to_end(&mut long_names)?;
            if (long_names.len() as u64) < h.size {
                scope.corrupt(None, Damage::Ar);
                return Ok(());
            }
            scope.member(
                Some(Step::Entry("//".into())),
                &mut long_names.as_slice(),
                None,
            );
            continue;
        }
        let mut bsd_len = 0;
        let name = match &h.name[..] {
            [b'#', b'1', b'/', n @ ..] => {
                let n = std::str::from_utf8(n)
                    .ok()
                    .and_then(|n| n.parse::<u64>().ok())
                    .filter(|&n| n <= MAX_BSD_NAME.min(h.size));
                let Some(n) = n else {
                    scope.corrupt(None, Damage::Ar);
                    return Ok(());
                };
                let mut raw = Vec::new();
                (&mut data).take(n).read_to_end(&mut raw)?;
                bsd_len = n;
                let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
                member_name(&raw[..end])
            }
            [b'/', digits @ ..] if !digits.is_empty() && digits.iter().all(u8::is_ascii_digit) => {
                long_name(&long_names, digits).unwrap_or_else(|| member_name(&h.name))
            }
            [b'/'] | b"/SYM64/" | b"/<ECSYMBOLS>" | b"__.SYMDEF" | b"__.SYMDEF SORTED" => {
                member_name(&h.name)
            }
            [name @ .., b'/'] => member_name(name),
            name => member_name(name),
        };
        if entries >= max_entries {
            scope.skip_member(name, SkipReason::ArchiveLimit);
            return Ok(());
        }
        entries += 1;
        let size = h.size - bsd_len;
        scope.member(Some(Step::Entry(name.clone())), &mut data, Some(size));
        // what the scan left of the member, then whether it was all there
        let _ = io::copy(&mut data, &mut io::sink());
        if data.limit() > 0 {
            scope.corrupt(Some(Step::Entry(name)), Damage::Ar);
            return Ok(());
        }
    }
}

/// The name at `offset` (decimal digits) of the GNU / Microsoft long-name
/// table: up to `/\n` (GNU) or a NUL (Microsoft).
fn long_name(table: &[u8], offset: &[u8]) -> Option<String> {
    let at: usize = std::str::from_utf8(offset).ok()?.parse().ok()?;
    let rest = table.get(at..)?;
    let end = rest
        .iter()
        .position(|&b| b == b'\n' || b == 0)
        .unwrap_or(rest.len());
    let name = &rest[..end];
    Some(member_name(name.strip_suffix(b"/").unwrap_or(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_from_gnu_and_microsoft_tables() {
        let gnu = b"a_very_long_member_name.o/\nanother_long_name.o/\n";
        assert_eq!(
            long_name(gnu, b"0").as_deref(),
            Some("a_very_long_member_name.o")
        );
        assert_eq!(
            long_name(gnu, b"27").as_deref(),
            Some("another_long_name.o")
        );
        let ms = b"KERNEL32.dll\0USER32.dll\0";
        assert_eq!(long_name(ms, b"13").as_deref(), Some("USER32.dll"));
        assert_eq!(long_name(ms, b"999"), None);
    }

    #[test]
    fn headers_parse_or_fail() {
        let mut ok: &[u8] = b"hello.txt/      0           0     0     100644  5         `\n";
        let h = header(&mut ok).unwrap().unwrap();
        assert_eq!((h.name.as_slice(), h.size), (&b"hello.txt/"[..], 5));
        let mut bad: &[u8] = b"hello.txt/      0           0     0     100644  5         xx";
        assert!(header(&mut bad).is_err());
        let mut cut: &[u8] = b"hello.txt/      0";
        assert!(header(&mut cut).is_err());
        let mut end: &[u8] = b"";
        assert!(header(&mut end).unwrap().is_none());
    }
}
