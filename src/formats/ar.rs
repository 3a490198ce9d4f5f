//! `ar` archives, as Debian packages (`.deb`: `debian-binary`,
//! `control.tar.xz`, `data.tar.xz`) and static libraries (`.a`) hold their
//! members: each member handed back as an entry, read through the formats
//! like a file (a `.deb`'s `data.tar.xz` as a compressed tar). Read as a
//! stream with the `ar` crate (GNU and BSD long names; System V symbol
//! tables are members like any other). A member header that does not parse,
//! or a member cut short by the archive's end, ends the archive as
//! `corrupt_archive`; the crate's error text is not
//! forwarded (it can quote header bytes).

use std::io::{self, Read};

use super::archive::member_name;
use super::{Format, Scope};
use crate::outcome::{Damage, SkipReason};
use crate::provenance::Step;

/// `ar`, by its global header `!<arch>\n`.
pub(crate) static AR: Format = Format {
    name: "ar",
    sniff: |head, _| head.starts_with(b"!<arch>\n"),
    file_checks: false,
    read: read_ar,
};

/// Reads each member of an `ar` archive as an entry.
fn read_ar(scope: &mut Scope<'_, '_, '_>, r: &mut dyn Read) -> io::Result<()> {
    let mut archive = ar::Archive::new(r);
    let max_entries = scope.limits().max_entries;
    let mut i = 0;
    while let Some(entry) = archive.next_entry() {
        let mut entry = match entry {
            Ok(e) => e,
            Err(_) => {
                scope.corrupt(None, Damage::Ar);
                break;
            }
        };
        let name = member_name(entry.header().identifier());
        if i >= max_entries {
            scope.skip_member(name, SkipReason::ArchiveLimit);
            break;
        }
        i += 1;
        let size = entry.header().size();
        let mut counted = Counted {
            inner: &mut entry,
            n: 0,
        };
        scope.member(Some(Step::Entry(name.clone())), &mut counted, Some(size));
        // what the scan left of the member, then whether it was all there
        // (a member cut short by the archive's end is damage, not a gap
        // nobody sees)
        let _ = io::copy(&mut counted, &mut io::sink());
        if counted.n < size {
            scope.corrupt(Some(Step::Entry(name)), Damage::Ar);
            break;
        }
    }
    Ok(())
}

/// A reader that counts the bytes read through it.
struct Counted<'r, R: Read> {
    inner: &'r mut R,
    n: u64,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.n += n as u64;
        Ok(n)
    }
}
