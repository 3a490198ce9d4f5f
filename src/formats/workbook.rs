//! Workbooks read with calamine — `.xls` (BIFF8), `.xlsb`, `.ods` — as one
//! CSV per sheet, like xlsx's ([`super::ooxml::sheet`]): line N is row N,
//! field C is column C, numbers as Excel stores them (integers without
//! exponent), an 11-digit integer under a header that names My Numbers
//! with its leading zero back. The reading half runs in the reader child
//! ([`super::sandbox`]); the parent's half (`hand_sheet`) scans each
//! sheet's CSV and gives each finding its cell.

use std::fmt::Write as _;
use std::io::{self, Cursor, Write};

use calamine::{Data, Range, Reader};

use super::ooxml::sheet::{column_name, push_field, stored_number};
use super::sandbox::{Frames, Gap};
use super::Scope;
use crate::provenance::Step;

/// A `.xls` workbook (the bytes of the whole compound file) into frames.
pub fn read_xls<W: Write>(data: &[u8], frames: &mut Frames<W>) -> io::Result<()> {
    match calamine::Xls::new(Cursor::new(data)) {
        Ok(book) => sheets(book, frames, |e| matches!(e, calamine::XlsError::Password)),
        Err(calamine::XlsError::Password) => frames.gap("", Gap::Encrypted),
        Err(_) => frames.gap("", Gap::Damaged),
    }
}

/// An `.xlsb` workbook (the zip's bytes) into frames.
pub fn read_xlsb<W: Write>(data: &[u8], frames: &mut Frames<W>) -> io::Result<()> {
    match calamine::Xlsb::new(Cursor::new(data)) {
        Ok(book) => sheets(book, frames, |e| matches!(e, calamine::XlsbError::Password)),
        Err(calamine::XlsbError::Password) => frames.gap("", Gap::Encrypted),
        Err(_) => frames.gap("", Gap::Damaged),
    }
}

/// An `.ods` spreadsheet (the zip's bytes) into frames.
pub fn read_ods<W: Write>(data: &[u8], frames: &mut Frames<W>) -> io::Result<()> {
    match calamine::Ods::<Cursor<&[u8]>>::new(Cursor::new(data)) {
        Ok(book) => sheets(book, frames, |e| matches!(e, calamine::OdsError::Password)),
        Err(calamine::OdsError::Password) => frames.gap("", Gap::Encrypted),
        Err(_) => frames.gap("", Gap::Damaged),
    }
}

/// Every sheet of `book` as a CSV frame; a sheet that does not read is a
/// gap of its own (`encrypted` when `locked` says its error is a password).
fn sheets<'d, B, W>(
    mut book: B,
    frames: &mut Frames<W>,
    locked: fn(&B::Error) -> bool,
) -> io::Result<()>
where
    B: Reader<Cursor<&'d [u8]>>,
    W: Write,
{
    for name in book.sheet_names() {
        match book.worksheet_range(&name) {
            Ok(range) => frames.sheet(&name, &csv(&range))?,
            Err(e) if locked(&e) => frames.gap(&name, Gap::Encrypted)?,
            Err(_) => frames.gap(&name, Gap::Damaged)?,
        }
    }
    Ok(())
}

/// A sheet as CSV from row 1 and column A (cells before the range's start
/// are empty lines and fields), trailing empty cells left out.
pub fn csv(range: &Range<Data>) -> Vec<u8> {
    let mut out = Vec::new();
    let Some((row0, col0)) = range.start() else {
        return out;
    };
    out.resize(row0 as usize, b'\n');
    let mut headers: Vec<bool> = Vec::new();
    let mut text = String::new();
    for (i, row) in range.rows().enumerate() {
        let used = row
            .iter()
            .rposition(|c| *c != Data::Empty)
            .map_or(0, |p| p + 1);
        out.resize(out.len() + col0 as usize, b',');
        for (j, cell) in row[..used].iter().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            let col = col0 as usize + j;
            let header_says = headers.get(col).copied().unwrap_or(false);
            cell_text(cell, header_says, &mut text);
            if row0 as usize + i == 0 {
                headers.resize(col + 1, false);
                headers[col] = crate::detect::my_number::names_my_number(&text);
            }
            push_field(&mut out, &text);
        }
        out.push(b'\n');
    }
    out
}

/// A cell's text into `out` (cleared first): numbers as Excel stores them.
fn cell_text(cell: &Data, header_says: bool, out: &mut String) {
    out.clear();
    match cell {
        Data::Empty => {}
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => out.push_str(s),
        Data::Int(n) => {
            let _ = write!(out, "{n}");
            number(out, header_says);
        }
        Data::Float(f) => {
            // Display never uses an exponent: 123456789018, 0.5
            let _ = write!(out, "{f}");
            number(out, header_says);
        }
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

fn number(out: &mut String, header_says: bool) {
    if let Some(n) = stored_number(out, header_says) {
        *out = n;
    }
}

/// The parent's half: scans a sheet's CSV as member `Step::Sheet(name)`
/// and gives each finding in it its cell (`B7`).
pub(crate) fn hand_sheet(scope: &mut Scope<'_, '_, '_>, name: String, csv: &[u8]) {
    let first = scope.findings_len();
    scope.member(Some(Step::Sheet(name)), &mut &csv[..], None);
    let offsets = scope.offsets_since(first);
    if offsets.is_empty() {
        return;
    }
    let cells = cells_at(csv, &offsets);
    for f in scope.findings_since(first) {
        f.provenance.cell = f
            .byte_offset
            .and_then(|o| offsets.binary_search(&o).ok())
            .map(|i| cells[i].clone());
    }
}

/// The cell (`C5`) of each of `offsets` (sorted byte offsets) in a CSV
/// whose line N is row N and field C column C: one pass, quotes honoured.
pub fn cells_at(csv: &[u8], offsets: &[u64]) -> Vec<String> {
    let mut cells = Vec::with_capacity(offsets.len());
    let (mut row, mut col, mut quoted) = (1u32, 0u32, false);
    let mut wanted = offsets.iter().peekable();
    for (i, &b) in csv.iter().enumerate() {
        while wanted.next_if(|&&o| o <= i as u64).is_some() {
            cells.push(format!("{}{row}", column_name(col)));
        }
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => col += 1,
            b'\n' if !quoted => {
                row += 1;
                col = 0;
            }
            _ => {}
        }
    }
    let last = format!("{}{row}", column_name(col));
    cells.resize(offsets.len(), last);
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_becomes_csv_from_a1_with_zeros_restored() {
        let mut range = Range::new((1, 1), (3, 3));
        range.set_value((1, 1), Data::String("氏名".into()));
        range.set_value((1, 2), Data::String("個人番号".into()));
        range.set_value((2, 1), Data::String("a,b".into()));
        range.set_value((2, 2), Data::Float(23456789013.0));
        range.set_value((3, 2), Data::Float(1.5));
        range.set_value((3, 3), Data::Int(123456789018));
        let text = String::from_utf8(csv(&range)).unwrap();
        // the header row is row 2 here, not row 1: no zero restored
        assert_eq!(
            text,
            "\n,氏名,個人番号\n,\"a,b\",23456789013\n,,1.5,123456789018\n"
        );
        let mut range = Range::new((0, 0), (1, 1));
        range.set_value((0, 1), Data::String("個人番号".into()));
        range.set_value((1, 1), Data::Float(23456789013.0));
        range.set_value((1, 0), Data::Int(23456789013));
        let text = String::from_utf8(csv(&range)).unwrap();
        assert_eq!(text, ",個人番号\n23456789013,023456789013\n");
    }

    #[test]
    fn offsets_map_to_cells() {
        let csv = b"a,b\n\n\"x,\ny\",z,123\n";
        let at = |s: &str| {
            let hay = std::str::from_utf8(csv).unwrap();
            hay.find(s).unwrap() as u64
        };
        let offsets = [at("a"), at("b"), at("y"), at("z"), at("123")];
        assert_eq!(cells_at(csv, &offsets), ["A1", "B1", "A3", "B3", "C3"]);
    }
}
