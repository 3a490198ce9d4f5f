//! Office documents (OOXML: docx, xlsx, pptx) turned into text the scanner
//! reads like any file: a Word paragraph is a line with its runs joined
//! (Word splits digit strings across runs), a table row is one line of
//! tab-separated cells; a worksheet is a CSV (so a column header applies to
//! the whole column), with each value's cell reference kept. Each part or
//! sheet is handed to the scanner as a member (`read_package`).

use std::collections::HashMap;
use std::io::{Read, Seek};

use quick_xml::events::Event;
use quick_xml::Reader;

use super::Scope;
use crate::outcome::{Damage, SkipReason};
use crate::provenance::Step;

/// What an OOXML package is, from its part names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A Word document (`word/document.xml`).
    Docx,
    /// An Excel workbook (`xl/workbook.xml`).
    Xlsx,
    /// A PowerPoint presentation (`ppt/presentation.xml`).
    Pptx,
}

/// Recognises an OOXML package by its parts.
pub fn kind<'a>(mut names: impl Iterator<Item = &'a str>) -> Option<Kind> {
    let mut content_types = false;
    let mut found = None;
    for n in names.by_ref() {
        match n {
            "[Content_Types].xml" => content_types = true,
            "word/document.xml" => found = Some(Kind::Docx),
            "xl/workbook.xml" => found = Some(Kind::Xlsx),
            "ppt/presentation.xml" => found = Some(Kind::Pptx),
            _ => {}
        }
    }
    if content_types {
        found
    } else {
        None
    }
}

/// Parts of a package whose text is scanned, in order.
pub fn text_parts(kind: Kind, names: &[String]) -> Vec<String> {
    let mut parts: Vec<String> = names
        .iter()
        .filter(|n| match kind {
            Kind::Docx => {
                n.starts_with("word/")
                    && n.ends_with(".xml")
                    && [
                        "document",
                        "header",
                        "footer",
                        "comments",
                        "footnotes",
                        "endnotes",
                    ]
                    .iter()
                    .any(|p| n["word/".len()..].starts_with(p))
            }
            Kind::Pptx => {
                (n.starts_with("ppt/slides/slide") || n.starts_with("ppt/notesSlides/"))
                    && n.ends_with(".xml")
            }
            Kind::Xlsx => false,
        })
        .cloned()
        .collect();
    parts.sort_by_key(|n| natural_key(n));
    parts
}

/// `slide10.xml` after `slide9.xml`.
fn natural_key(name: &str) -> (String, u64) {
    let digits: String = name.chars().filter(char::is_ascii_digit).collect();
    let stem: String = name.chars().filter(|c| !c.is_ascii_digit()).collect();
    (stem, digits.parse().unwrap_or(0))
}

/// The text of a Word or PowerPoint part: paragraphs (`w:p`, `a:p`) as
/// lines, runs joined, table cells separated by tabs within their row.
pub fn paragraphs_text(xml: &[u8]) -> Result<String, quick_xml::Error> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = String::new();
    let mut in_text = false;
    let mut cell_depth = 0usize;
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) => match e.local_name().as_ref() {
                b"t" => in_text = true,
                b"tc" => cell_depth += 1,
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" if cell_depth > 0 => out.push(' '),
                b"p" => out.push('\n'),
                b"tc" => {
                    cell_depth = cell_depth.saturating_sub(1);
                    out.push('\t');
                }
                b"tr" => out.push('\n'),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                b"tab" => out.push('\t'),
                b"br" | b"cr" => out.push(if cell_depth > 0 { ' ' } else { '\n' }),
                _ => {}
            },
            Event::Text(t) if in_text => out.push_str(&t.unescape()?),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// The shared strings of a workbook (`xl/sharedStrings.xml`).
pub fn shared_strings(xml: &[u8]) -> Result<Vec<String>, quick_xml::Error> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    let mut current = String::new();
    let (mut in_si, mut in_t, mut in_rph) = (false, false, false);
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) => match e.local_name().as_ref() {
                b"si" => {
                    in_si = true;
                    current.clear();
                }
                b"t" => in_t = true,
                b"rPh" => in_rph = true, // furigana: not part of the value
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"si" => {
                    in_si = false;
                    out.push(std::mem::take(&mut current));
                }
                b"t" => in_t = false,
                b"rPh" => in_rph = false,
                _ => {}
            },
            Event::Text(t) if in_si && in_t && !in_rph => current.push_str(&t.unescape()?),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// Sheet names and their part paths, in workbook order.
pub fn sheets(workbook: &[u8], rels: &[u8]) -> Result<Vec<(String, String)>, quick_xml::Error> {
    let mut targets: HashMap<String, String> = HashMap::new();
    let mut reader = Reader::from_reader(rels);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"Relationship" => {
                let attr = |k: &[u8]| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == k)
                        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
                };
                if let (Some(id), Some(target)) = (attr(b"Id"), attr(b"Target")) {
                    let target = target.trim_start_matches('/');
                    let path = if target.starts_with("xl/") {
                        target.to_string()
                    } else {
                        format!("xl/{target}")
                    };
                    targets.insert(id, path);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    let mut out = Vec::new();
    let mut reader = Reader::from_reader(workbook);
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"sheet" => {
                let mut name = None;
                let mut rid = None;
                for a in e.attributes().flatten() {
                    let v = a.unescape_value().ok().map(|v| v.into_owned());
                    match a.key.local_name().as_ref() {
                        b"name" => name = v,
                        b"id" => rid = v,
                        _ => {}
                    }
                }
                if let (Some(name), Some(path)) = (name, rid.and_then(|r| targets.get(&r).cloned()))
                {
                    out.push((name, path));
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// A worksheet as CSV text, and where each cell's value starts in it.
#[derive(Debug, Default)]
pub struct SheetText {
    /// The sheet's rows as CSV text.
    pub csv: String,
    /// (byte offset in `csv`, cell reference such as `C5`), in order.
    pub cells: Vec<(usize, String)>,
    /// The text was cut at its size cap (padding for far-apart cells): the
    /// rest of the sheet was not read.
    pub truncated: bool,
    /// Cells that refer to a shared string that is not there (a missing or
    /// unreadable `sharedStrings.xml`): read as empty.
    pub missing_shared: u64,
}

impl SheetText {
    /// The reference of the cell holding byte `offset` of the CSV text.
    pub fn cell_at(&self, offset: usize) -> Option<&str> {
        let i = self.cells.partition_point(|(o, _)| *o <= offset);
        i.checked_sub(1).map(|i| self.cells[i].1.as_str())
    }
}

/// Excel's largest sheet: 1,048,576 rows, 16,384 columns.
const MAX_ROWS: u32 = 1 << 20;
const MAX_COLUMNS: u32 = (1 << 14) - 1;

/// Converts a worksheet part to CSV: one line per row (rows missing from
/// the sheet become empty lines, so line N is row N), one field per column.
/// Numeric cells are written as Excel stores them, integers without an
/// exponent (`1.23456789018E+11` → `123456789018`); an 11-digit integer in
/// a column whose header `repairs` says is an identifier column regains
/// the leading zero Excel dropped.
pub fn sheet_csv(
    xml: &[u8],
    shared: &[String],
    repairs: impl Fn(&str) -> bool,
) -> Result<SheetText, quick_xml::Error> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = SheetText::default();
    let mut headers: HashMap<u32, bool> = HashMap::new();
    let mut row_no = 0u32; // rows written so far
    let mut col_no = 0u32; // the next column when a cell has no reference
    let mut commas = 0u32; // commas written in this row
    let mut cell: Option<(String, Vec<u8>)> = None; // (reference, type)
    let mut value = String::new();
    let mut in_value = false;
    // padding for skipped rows and columns must not outgrow the part itself
    let max_len = xml.len().saturating_mul(4) + (1 << 20);
    loop {
        if out.csv.len() > max_len {
            out.truncated = true;
            break;
        }
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) if e.local_name().as_ref() == b"row" => {
                let r: u32 = attr(&e, b"r")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(row_no + 1)
                    // Excel's limits bound what a hostile sheet can make us write
                    .min(MAX_ROWS);
                while row_no + 1 < r {
                    out.csv.push('\n');
                    row_no += 1;
                }
                col_no = 0;
                commas = 0;
            }
            Event::End(e) if e.local_name().as_ref() == b"row" => {
                out.csv.push('\n');
                row_no += 1;
            }
            Event::Start(e) if e.local_name().as_ref() == b"c" => {
                let reference = attr(&e, b"r").unwrap_or_default();
                let t = attr(&e, b"t").unwrap_or_default().into_bytes();
                cell = Some((reference, t));
                value.clear();
            }
            Event::Start(e) if matches!(e.local_name().as_ref(), b"v" | b"t") => in_value = true,
            Event::End(e) if matches!(e.local_name().as_ref(), b"v" | b"t") => in_value = false,
            Event::Text(t) if in_value => value.push_str(&t.unescape()?),
            Event::End(e) if e.local_name().as_ref() == b"c" => {
                let Some((reference, t)) = cell.take() else {
                    continue;
                };
                // field `col` of a line follows `col` commas
                let col = column_of(&reference)
                    .unwrap_or(col_no)
                    .max(commas)
                    .min(MAX_COLUMNS);
                while commas < col {
                    out.csv.push(',');
                    commas += 1;
                }
                col_no = col + 1;
                let text = match t.as_slice() {
                    b"s" => match value
                        .trim()
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| shared.get(i))
                    {
                        Some(s) => s.clone(),
                        None => {
                            out.missing_shared += 1;
                            String::new()
                        }
                    },
                    b"" | b"n" => {
                        let n = plain_number(&value);
                        let header_says = *headers.get(&col).unwrap_or(&false);
                        if header_says && n.len() == 11 && n.bytes().all(|b| b.is_ascii_digit()) {
                            format!("0{n}")
                        } else {
                            n
                        }
                    }
                    _ => value.clone(),
                };
                if row_no == 0 {
                    headers.insert(col, repairs(&text));
                }
                let reference = if reference.is_empty() {
                    format!("{}{}", column_name(col), row_no + 1)
                } else {
                    reference
                };
                out.cells.push((out.csv.len(), reference));
                push_field(&mut out.csv, &text);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

fn attr(e: &quick_xml::events::BytesStart<'_>, key: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// A CSV field, quoted when it must be.
fn push_field(out: &mut String, text: &str) {
    if text.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// Zero-based column of a reference like `C5` or `AA10`.
fn column_of(reference: &str) -> Option<u32> {
    let letters: Vec<u8> = reference
        .bytes()
        .take_while(u8::is_ascii_uppercase)
        .collect();
    if letters.is_empty() {
        return None;
    }
    if letters.len() > 3 {
        return Some(MAX_COLUMNS);
    }
    Some(
        letters
            .iter()
            .fold(0u32, |n, &b| n * 26 + u32::from(b - b'A' + 1))
            - 1,
    )
}

fn column_name(mut col: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII")
}

/// An integral numeric cell without exponent or `.0`; others as stored.
fn plain_number(v: &str) -> String {
    let v = v.trim();
    if let Ok(f) = v.parse::<f64>() {
        if f.fract() == 0.0 && f.abs() < 1e19 && (v.contains(['E', 'e']) || v.ends_with(".0")) {
            return format!("{}", f as i128);
        }
    }
    v.to_string()
}

/// Reads an OOXML package: images pasted into it (checked as ID
/// documents), then the text of its paragraphs, or its sheets as CSV, each
/// as a member named by part or sheet (findings in a sheet get their cell).
pub(crate) fn read_package<R: Read + Seek>(
    scope: &mut Scope<'_, '_, '_>,
    kind: Kind,
    archive: &mut zip::ZipArchive<R>,
) {
    let names: Vec<String> = archive.file_names().map(str::to_string).collect();
    // images pasted into the document: an ID card photo in a Word form
    // and files embedded in it (a CSV or a workbook inside a spreadsheet),
    // each read as a file of its own
    for media in names
        .iter()
        .filter(|n| n.contains("/media/") || n.contains("/embeddings/"))
    {
        if let Ok(mut part) = archive.by_name(media) {
            let compressed = part.compressed_size();
            scope.member(Some(Step::Part(media.clone())), &mut part, Some(compressed));
        }
    }
    if kind != Kind::Xlsx {
        for part in text_parts(kind, &names) {
            let Some(xml) = read_part(scope, archive, &part) else {
                continue;
            };
            match paragraphs_text(&xml) {
                Ok(text) => scope.member(Some(Step::Part(part)), &mut text.as_bytes(), None),
                Err(_) => scope.corrupt(Some(Step::Part(part)), Damage::Xml),
            }
        }
        return;
    }
    read_workbook(scope, archive, &names);
}

/// A workbook's sheets, each as a CSV member with its cells.
fn read_workbook<R: Read + Seek>(
    scope: &mut Scope<'_, '_, '_>,
    archive: &mut zip::ZipArchive<R>,
    names: &[String],
) {
    let (Some(workbook), Some(rels)) = (
        read_part(scope, archive, "xl/workbook.xml"),
        read_part(scope, archive, "xl/_rels/workbook.xml.rels"),
    ) else {
        return;
    };
    let shared_part = "xl/sharedStrings.xml";
    let shared = if names.iter().any(|n| n == shared_part) {
        match read_part(scope, archive, shared_part).map(|x| shared_strings(&x)) {
            Some(Ok(shared)) => shared,
            Some(Err(_)) => {
                scope.corrupt(Some(Step::Part(shared_part.into())), Damage::Xml);
                Vec::new()
            }
            None => Vec::new(), // recorded by read_part
        }
    } else {
        Vec::new()
    };
    let sheets = match sheets(&workbook, &rels) {
        Ok(s) => s,
        Err(_) => {
            let step = Step::Part("xl/workbook.xml".into());
            scope.corrupt(Some(step), Damage::Xml);
            return;
        }
    };
    for (sheet, part) in sheets {
        let Some(xml) = read_part(scope, archive, &part) else {
            continue;
        };
        let text = match sheet_csv(&xml, &shared, crate::detect::my_number::names_my_number) {
            Ok(t) => t,
            Err(_) => {
                scope.corrupt(Some(Step::Sheet(sheet)), Damage::Xml);
                continue;
            }
        };
        if text.truncated {
            scope.skip(Some(Step::Sheet(sheet.clone())), SkipReason::ArchiveLimit);
        }
        if text.missing_shared > 0 {
            scope.corrupt(
                Some(Step::Sheet(sheet.clone())),
                Damage::SharedStrings(text.missing_shared),
            );
        }
        let first = scope.findings_len();
        scope.member(Some(Step::Sheet(sheet)), &mut text.csv.as_bytes(), None);
        for f in scope.findings_since(first) {
            f.provenance.cell = f
                .byte_offset
                .and_then(|o| text.cell_at(o as usize))
                .map(str::to_string);
        }
    }
}

/// A package part read whole (parts are XML, bounded by the limits); an
/// issue and `None` if it cannot be.
fn read_part<R: Read + Seek>(
    scope: &mut Scope<'_, '_, '_>,
    archive: &mut zip::ZipArchive<R>,
    name: &str,
) -> Option<Vec<u8>> {
    let step = || Some(Step::Part(name.to_string()));
    let mut part = match archive.by_name(name) {
        Ok(p) => p,
        Err(_) => {
            scope.corrupt(step(), Damage::Zip);
            return None;
        }
    };
    let limits = scope.limits();
    // held whole (XML is parsed from memory): at most the in-memory cap,
    // whatever its ratio; a larger part is a recorded gap
    let cap = part
        .compressed_size()
        .saturating_mul(limits.max_ratio)
        .max(limits.ratio_floor)
        .min(scope.budget())
        .min(limits.max_in_memory);
    let mut data = Vec::new();
    match (&mut part).take(cap + 1).read_to_end(&mut data) {
        Ok(n) if n as u64 > cap => {
            scope.skip(step(), SkipReason::ArchiveLimit);
            None
        }
        Ok(n) => {
            scope.spend(n as u64);
            Some(data)
        }
        Err(_) => {
            scope.corrupt(step(), Damage::Data(data.len() as u64));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_runs_are_joined_and_table_rows_are_lines() {
        let xml = r#"<w:document xmlns:w="x"><w:body>
<w:p><w:r><w:t>個人番号: 9832</w:t></w:r><w:r><w:t>0567</w:t></w:r><w:r><w:t xml:space="preserve">3214</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>マイナンバー</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1</w:t></w:r><w:r><w:t>23</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:r><w:t>a&amp;b</w:t></w:r><w:r><w:tab/><w:t>c</w:t></w:r></w:p>
</w:body></w:document>"#;
        let text = paragraphs_text(xml.as_bytes()).unwrap();
        assert_eq!(
            text,
            "個人番号: 983205673214\nマイナンバー \t123 \t\na&b\tc\n"
        );
    }

    #[test]
    fn sheets_become_csv_with_cell_references() {
        let shared = vec![
            "氏名".to_string(),
            "個人番号".to_string(),
            "山田".to_string(),
        ];
        let xml = br#"<worksheet><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>
<row r="3"><c r="A3" t="s"><v>2</v></c><c r="C3"><v>1.23456789018E+11</v></c></row>
<row r="4"><c r="B4"><v>23456789013</v></c><c r="C4" t="inlineStr"><is><t>x,y</t></is></c></row>
</sheetData></worksheet>"#;
        let s = sheet_csv(xml, &shared, |h| h.contains("個人番号")).unwrap();
        assert_eq!(
            s.csv,
            "氏名,個人番号\n\n山田,,123456789018\n,023456789013,\"x,y\"\n"
        );
        let at = |needle: &str| s.cell_at(s.csv.find(needle).unwrap()).unwrap().to_string();
        assert_eq!(at("123456789018"), "C3");
        assert_eq!(at("023456789013"), "B4");
        assert_eq!(at("山田"), "A3");
    }

    #[test]
    fn hostile_references_are_bounded() {
        let xml = br#"<worksheet><sheetData><row r="4000000000"><c r="ZZZZZZZZ4000000000"><v>1</v></c></row></sheetData></worksheet>"#;
        let s = sheet_csv(xml, &[], |_| false).unwrap();
        assert!(s.csv.len() < 2 << 20, "{}", s.csv.len());
    }

    #[test]
    fn column_names_round_trip() {
        for (name, col) in [("A", 0), ("Z", 25), ("AA", 26), ("AZ", 51), ("BA", 52)] {
            assert_eq!(column_of(&format!("{name}7")), Some(col));
            assert_eq!(column_name(col), name);
        }
    }
}
