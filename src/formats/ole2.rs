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
    let office = is_office_document(file.root_entry().clsid().as_u128());
    if office
        || file
            .walk()
            .any(|e| MAIN_STREAMS.iter().any(|m| one_off(e.name(), m)))
    {
        // the root says Excel, Word or PowerPoint wrote it, or an entry is
        // one character away from such a main stream's name, but the main
        // stream is gone: a damaged directory, not another kind of
        // compound file
        return frames.gap("", Gap::Damaged);
    }
    frames.gap("", Gap::Unsupported)
}

/// The streams of which an Office document holds one.
const MAIN_STREAMS: [&str; 4] = ["Workbook", "Book", "WordDocument", "PowerPoint Document"];

/// Whether `name` is `main` with one character changed (a flipped bit in a
/// directory entry).
fn one_off(name: &str, main: &str) -> bool {
    name.chars().count() == main.chars().count()
        && name
            .chars()
            .zip(main.chars())
            .filter(|(a, b)| a != b)
            .count()
            == 1
}

/// Whether a compound file's root CLSID names an Excel workbook, a Word
/// document or a PowerPoint presentation (the class ids registered by
/// Office 95–2003 and written by Office and LibreOffice, [MS-CFB] 2.6.1):
/// such a file must hold `Workbook`/`Book`, `WordDocument` or
/// `PowerPoint Document`. Other compound files (Outlook `.msg`, `.msi`,
/// `Thumbs.db`) have other ids.
fn is_office_document(clsid: u128) -> bool {
    // {000208xx/000209xx-0000-0000-C000-000000000046}: Excel 5 to 2003
    // sheets and charts (00020810..00020830), Word 6 to 2003 (00020900,
    // 00020906)
    const OLE_TAIL: u128 = 0x0000_0000_C000_0000_0000_0046;
    const POWERPOINT: [u128; 2] = [
        0x64818D10_4F9B_11CF_86EA_00AA00B929E8,
        0x64818D11_4F9B_11CF_86EA_00AA00B929E8,
    ];
    let (data1, tail) = ((clsid >> 96) as u32, clsid & ((1 << 96) - 1));
    let office = matches!(data1, 0x0002_0810..=0x0002_0830 | 0x0002_0900..=0x0002_0907);
    (tail == OLE_TAIL && office) || POWERPOINT.contains(&clsid)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_class_ids_are_known() {
        // Excel 97-2003 as LibreOffice writes it, Word 97-2003, PowerPoint 97
        assert!(is_office_document(0x00020810_0000_0000_C000_000000000046));
        assert!(is_office_document(0x00020820_0000_0000_C000_000000000046));
        assert!(is_office_document(0x00020906_0000_0000_C000_000000000046));
        assert!(is_office_document(0x64818D10_4F9B_11CF_86EA_00AA00B929E8));
        // nil (xlwt), Outlook message {00020D0B-…}, MSI {000C1084-…}
        assert!(!is_office_document(0));
        assert!(!is_office_document(0x00020D0B_0000_0000_C000_000000000046));
        assert!(!is_office_document(0x000C1084_0000_0000_C000_000000000046));
    }

    #[test]
    fn a_name_one_character_off_is_a_damaged_main_stream() {
        assert!(one_off("Wo靲kbook", "Workbook"));
        assert!(one_off("WordDocumenT", "WordDocument"));
        assert!(!one_off("Workbook", "Workbook"));
        assert!(!one_off("__substg1.0_1000001F", "Workbook"));
        assert!(!one_off("Book", "Workbook"));
    }
}
