//! OLE2 compound files (legacy Office): the format row, and the child's
//! dispatch on the streams a file holds — `Workbook`/`Book` is an Excel
//! workbook (calamine, [`super::workbook`]), `WordDocument` a Word
//! document ([`super::doc`]), `PowerPoint Document` a presentation
//! ([`super::ppt`]), `EncryptedPackage` a password-protected OOXML file
//! (`encrypted`); anything else (Outlook `.msg`, ...) stays an
//! `unsupported_format` gap. The container is parsed with the `cfb` crate,
//! in the reader child ([`super::sandbox`]), like everything that parses
//! these files.

use std::io::{self, Cursor, Read, Write};

use super::sandbox::{self, Frames, Gap, INPUT_CAP};
use super::{Format, Scope};

/// OLE2 compound file, by its signature.
pub(crate) static OLE2: Format = Format {
    name: "ole2",
    sniff: |head, _| head.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"),
    file_checks: true,
    read: read_file,
};

fn read_file(scope: &mut Scope<'_, '_, '_>, r: &mut dyn Read) -> io::Result<()> {
    sandbox::read(scope, sandbox::Kind::Ole2, r)
}

/// In the child: the compound file `data` into frames, by the streams it
/// holds.
pub fn read<W: Write>(data: &[u8], frames: &mut Frames<W>) -> io::Result<()> {
    let Ok(mut file) = cfb::CompoundFile::open(Cursor::new(data)) else {
        return frames.gap("", Gap::Damaged);
    };
    let has = |file: &cfb::CompoundFile<_>, name: &str| file.is_stream(format!("/{name}"));
    if has(&file, "EncryptedPackage") {
        return frames.gap("", Gap::Encrypted);
    }
    if has(&file, "Workbook") || has(&file, "Book") {
        return super::workbook::read_xls(data, frames);
    }
    if has(&file, "WordDocument") {
        return word(&mut file, frames);
    }
    if has(&file, "PowerPoint Document") {
        let Some(stream) = stream(&mut file, "PowerPoint Document") else {
            return frames.gap("", Gap::Damaged);
        };
        return match super::ppt::text(&stream) {
            Ok(text) => frames.text("PowerPoint Document", text.as_bytes()),
            Err(gap) => frames.gap("", gap),
        };
    }
    frames.gap("", Gap::Unsupported)
}

/// A Word document: the table stream its FIB names, then its text.
fn word<F: Read + io::Seek, W: Write>(
    file: &mut cfb::CompoundFile<F>,
    frames: &mut Frames<W>,
) -> io::Result<()> {
    let Some(document) = stream(file, "WordDocument") else {
        return frames.gap("", Gap::Damaged);
    };
    let table = match super::doc::table_stream(&document) {
        Ok(name) => name,
        Err(gap) => return frames.gap("", gap),
    };
    let Some(table) = stream(file, table) else {
        return frames.gap("", Gap::Damaged);
    };
    match super::doc::text(&document, &table) {
        Ok(text) => frames.text("WordDocument", text.as_bytes()),
        Err(gap) => frames.gap("", gap),
    }
}

/// A stream read whole (at most the input cap: a stream is never larger
/// than the file), `None` if it does not read.
fn stream<F: Read + io::Seek>(file: &mut cfb::CompoundFile<F>, name: &str) -> Option<Vec<u8>> {
    let mut s = file.open_stream(format!("/{name}")).ok()?;
    let mut out = Vec::new();
    s.by_ref().take(INPUT_CAP).read_to_end(&mut out).ok()?;
    Some(out)
}
