//! Formats leakscan recognises but cannot read: RAR 4 and 5 (its
//! decoder's licence is not open source). (OLE2 files that are not legacy
//! Office, such as Outlook `.msg`, are recorded the same way by
//! [`super::ole2`].) Read as "binary", an archive of My Numbers would pass
//! a gate unread: each is recorded as
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

/// Records the file (or member) as not read: `unsupported_format`.
fn unreadable(scope: &mut Scope<'_, '_, '_>, _r: &mut dyn Read) -> io::Result<()> {
    scope.skip(None, SkipReason::UnsupportedFormat);
    Ok(())
}
