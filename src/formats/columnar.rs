//! Columnar data files leakscan recognises but does not read: Apache
//! Parquet (`PAR1`), ORC (`ORC`), Arrow IPC files and Feather (`ARROW1`,
//! Feather 1's `FEA1`) and Avro object containers (`Obj` 0x01), by their
//! magic bytes (each followed by binary data: a text file that starts with
//! `PAR1` or `Obj` is text). Their values are encoded, dictionary-coded and
//! usually compressed per column, so reading their bytes for text runs
//! finds only some of them: those runs are scanned, and the file is an
//! `unsupported_format` gap all the same, so that a gate never passes on a
//! table it did not read.

use std::io::{self, Read};

use super::{Format, Scope};
use crate::outcome::SkipReason;

/// The magic bytes a columnar file starts with (Parquet: format spec,
/// "File Format"; ORC: specification v1, "File Tail"; Arrow: columnar
/// format, "IPC File Format"; Feather 1; Avro: specification, "Object
/// Container Files").
const MAGICS: [&[u8]; 5] = [b"PAR1", b"ORC", b"ARROW1\0\0", b"FEA1", b"Obj\x01"];

/// Parquet, ORC, Arrow IPC / Feather and Avro, by their magic bytes and a
/// NUL byte in the head (they are binary).
pub(crate) static COLUMNAR: Format = Format {
    name: "columnar",
    sniff: |head, _| is_columnar(head),
    file_checks: false,
    read: runs_then_gap,
};

/// Whether `head` starts like a columnar file: one of the magic numbers, and binary
/// (a NUL byte in the head).
pub fn is_columnar(head: &[u8]) -> bool {
    MAGICS.iter().any(|m| head.starts_with(m)) && memchr::memchr(0, head).is_some()
}

/// Scans the file's text runs, then records it as not read
/// (`unsupported_format`): the reader of every format leakscan recognises
/// but cannot open (these, and [`super::unreadable`]'s).
pub(super) fn runs_then_gap(scope: &mut Scope<'_, '_, '_>, r: &mut dyn Read) -> io::Result<()> {
    scope.binary_here(r);
    scope.skip(None, SkipReason::UnsupportedFormat);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_and_binary_make_a_columnar_file() {
        assert!(is_columnar(b"PAR1\x15\x04\x15\x00"));
        assert!(is_columnar(b"ORC\x0a\x06\x08\x00"));
        assert!(is_columnar(b"ARROW1\0\0\xff\xff"));
        assert!(is_columnar(b"Obj\x01\x04\x14avro.codec\x00"));
        // text that happens to start so
        assert!(!is_columnar(b"PAR1,name,id\n1,a,2\n"));
        assert!(!is_columnar(b"Objective: none\n"));
        assert!(!is_columnar(b"ORCHESTRA\n"));
    }
}
