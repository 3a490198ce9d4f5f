//! Formats leakscan recognises but cannot read yet: RAR 4 and 5 (its
//! decoder's licence is not open source) and OLE2 compound files (legacy
//! Office `.xls`, `.doc`, `.ppt`, Outlook `.msg`). Read as "binary", a
//! spreadsheet of My Numbers would pass a gate unread: each is recorded as
//! `unsupported_format` instead, a gap that makes the scan incomplete
//! unless the user accepts it (`--accept unsupported_format`).

use std::io::{self, Read};

use super::{Format, Scope};
use crate::outcome::SkipReason;

/// RAR 4 (`Rar!\x1A\x07\x00`) and RAR 5 (`Rar!\x1A\x07\x01\x00`), by
/// their signatures.
pub(crate) static RAR: Format = Format {
    name: "rar",
    sniff: |head, _| {
        head.starts_with(b"Rar!\x1A\x07\x00") || head.starts_with(b"Rar!\x1A\x07\x01\x00")
    },
    file_checks: false,
    read: unreadable,
};

/// OLE2 compound file (legacy Office, Outlook `.msg`), by its signature.
pub(crate) static OLE2: Format = Format {
    name: "ole2",
    sniff: |head, _| head.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"),
    file_checks: true,
    read: unreadable,
};

/// Records the file (or member) as not read: `unsupported_format`.
fn unreadable(scope: &mut Scope<'_, '_, '_>, _r: &mut dyn Read) -> io::Result<()> {
    scope.skip(None, SkipReason::UnsupportedFormat);
    Ok(())
}
