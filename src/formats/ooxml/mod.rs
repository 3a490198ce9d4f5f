//! Office documents (OOXML: docx, xlsx, pptx) turned into text the scanner
//! reads like any file: a Word paragraph is a line with its runs joined
//! (Word splits digit strings across runs), a table row is one line of
//! tab-separated cells; a worksheet is a CSV (so a column header applies to
//! the whole column), with each value's cell reference kept. Every other
//! part is read too ([`part_read`]): XML parts as all their text
//! ([`super::xml::AllText`]), other parts as members of their own. Each part
//! or sheet is handed to the scanner as a member (`read_package`),
//! streamed: parsed as it is read ([`super::xml`]), never held whole.

pub mod sheet;

use std::collections::{HashMap, HashSet};
use std::io::{Read, Seek};
use std::rc::Rc;

use quick_xml::events::Event;
use quick_xml::Reader;

use super::table;
use super::xml::{self, Produce, Stop, XmlReader, XmlText};
use super::Scope;
use crate::outcome::{Damage, SkipReason};
use crate::provenance::Step;
use sheet::{SharedStrings, SheetCsv};

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

/// The text of a Word or PowerPoint part ([`Produce`]): paragraphs (`w:p`,
/// `a:p`) as lines, runs joined, table cells separated by tabs within
/// their row. In a table (`w:tbl`, `a:tbl`) whose first row looks like a
/// header, each cell of the rows below starts with its column's header as
/// a key (`"個人番号": …`, see [`super::table`]).
pub struct Paragraphs<'a> {
    xml: XmlReader<'a>,
    buf: Vec<u8>,
    in_text: bool,
    cell_depth: usize,
    /// Whether an element was seen: a part with none is not XML.
    seen_element: bool,
    /// Open tables, innermost last (at most [`super::html::MAX_TABLES`]).
    tables: Vec<table::Rows>,
    /// Tables open beyond that.
    deeper: usize,
    /// A hash of the last alt text written: Word writes a picture's twice
    /// (`wp:docPr` and `pic:cNvPr`), and it is read once.
    last_alt: u64,
}

impl<'a> Paragraphs<'a> {
    /// The paragraphs of the part `xml` reads.
    pub fn new(xml: XmlReader<'a>) -> Paragraphs<'a> {
        Paragraphs {
            xml,
            buf: Vec::new(),
            in_text: false,
            cell_depth: 0,
            seen_element: false,
            tables: Vec::new(),
            deeper: 0,
            last_alt: 0,
        }
    }

    /// The innermost table, unless tables are nested too deep to follow.
    fn table(&mut self) -> Option<&mut table::Rows> {
        match self.deeper {
            0 => self.tables.last_mut(),
            _ => None,
        }
    }

    fn start_table(&mut self) {
        if self.tables.len() < super::html::MAX_TABLES {
            self.tables.push(table::Rows::default());
        } else {
            self.deeper += 1;
        }
    }

    fn end_table(&mut self) {
        if self.deeper > 0 {
            self.deeper -= 1;
        } else {
            self.tables.pop();
        }
    }

    /// A cell starts: its key is written, or its text will be collected.
    fn start_cell(&mut self, out: &mut Vec<u8>) {
        if let Some(t) = self.table() {
            t.start_cell(out);
        }
    }

    fn end_row(&mut self) {
        if let Some(t) = self.table() {
            t.end_row();
        }
    }
}

impl Produce for Paragraphs<'_> {
    fn produce(&mut self, out: &mut Vec<u8>) -> Result<bool, Stop> {
        let in_cell = self.cell_depth > 0;
        let event = self.xml.read_event_into(&mut self.buf)?;
        self.seen_element |= matches!(event, Event::Start(_) | Event::Empty(_));
        let more = match event {
            Event::Start(e) => {
                match e.local_name().as_ref() {
                    b"t" | b"delText" | b"instrText" => self.in_text = true,
                    b"docPr" | b"cNvPr" | b"fldSimple" | b"hyperlink" => {
                        alt_text(&e, &mut self.last_alt, out)
                    }
                    b"tc" => {
                        self.cell_depth += 1;
                        self.start_cell(out);
                    }
                    b"tbl" => self.start_table(),
                    _ => {}
                }
                true
            }
            Event::End(e) => {
                match e.local_name().as_ref() {
                    b"t" | b"delText" | b"instrText" => self.in_text = false,
                    b"p" => out.push(if in_cell { b' ' } else { b'\n' }),
                    b"tc" => {
                        self.cell_depth = self.cell_depth.saturating_sub(1);
                        if let Some(t) = self.table() {
                            t.end_cell(1);
                        }
                        out.push(b'\t');
                    }
                    b"tr" => {
                        self.end_row();
                        out.push(b'\n');
                    }
                    b"tbl" => self.end_table(),
                    _ => {}
                }
                true
            }
            Event::Empty(e) => {
                match e.local_name().as_ref() {
                    b"tab" => out.push(b'\t'),
                    b"br" | b"cr" => out.push(if in_cell { b' ' } else { b'\n' }),
                    b"docPr" | b"cNvPr" | b"fldSimple" | b"hyperlink" => {
                        alt_text(&e, &mut self.last_alt, out)
                    }
                    _ => {}
                }
                true
            }
            Event::Text(t) if self.in_text => {
                let text = t.unescape()?;
                out.extend_from_slice(text.as_bytes());
                if let (true, 0, Some(t)) = (in_cell, self.deeper, self.tables.last_mut()) {
                    t.text(text.as_bytes());
                }
                true
            }
            Event::Eof if !self.seen_element => return Err(Stop::Damage(Damage::Xml)),
            Event::Eof => false,
            _ => true,
        };
        self.buf.clear();
        Ok(more)
    }
}

/// The alt text and title of a picture or shape (`wp:docPr`, `p:cNvPr`
/// `descr`, `title`), a simple field's instruction (`w:fldSimple
/// w:instr`), a hyperlink's tooltip: each on a line of its own, unless
/// they repeat the last ones written (`last`, a hash of them).
fn alt_text(e: &quick_xml::events::BytesStart<'_>, last: &mut u64, out: &mut Vec<u8>) {
    use std::hash::{Hash, Hasher};
    let start = out.len();
    xml::text_attributes(e, false, out);
    if out.len() == start {
        return;
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    out[start..].hash(&mut h);
    let hash = h.finish();
    if hash == *last {
        out.truncate(start);
    } else {
        *last = hash;
        out.insert(start, b'\n');
    }
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

/// How a part of a package is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartRead {
    /// A folder entry: nothing to read.
    Folder,
    /// Not XML (images, embedded files and OLE objects, `vbaProject.bin`,
    /// printer settings, fonts, thumbnails): a member like a file of its
    /// own, through the formats pipeline.
    Member,
    /// A Word or PowerPoint story ([`text_parts`]): [`Paragraphs`].
    Paragraphs,
    /// A workbook's shared strings: read with its sheets, not on its own.
    SharedStrings,
    /// Any other XML part: [`xml::AllText`] (VML leniently).
    AllText {
        /// A VML drawing (`.vml`), whose HTML-like tags may stay open.
        lenient: bool,
    },
}

/// How the part `name` of a package of `kind` is read; `stories` are its
/// [`text_parts`].
pub fn part_read(kind: Kind, name: &str, stories: &[String]) -> PartRead {
    let lower = name.to_ascii_lowercase();
    if name.ends_with('/') {
        PartRead::Folder
    } else if stories.iter().any(|s| s == name) {
        PartRead::Paragraphs
    } else if kind == Kind::Xlsx && name == "xl/sharedStrings.xml" {
        PartRead::SharedStrings
    } else if lower.ends_with(".vml") {
        PartRead::AllText { lenient: true }
    } else if lower.ends_with(".xml") || lower.ends_with(".rels") {
        PartRead::AllText { lenient: false }
    } else {
        PartRead::Member
    }
}

/// Reads an OOXML package, every part of it: parts that are not XML
/// (images — checked as ID documents —, embedded files) as members of
/// their own; then the text of its Word or PowerPoint stories
/// ([`Paragraphs`]) or its sheets as CSV (findings in a sheet get their
/// cell); then every other XML part as text ([`xml::AllText`]):
/// properties, comments, notes, relationships, drawings, the rest of each
/// sheet (header and footer, data validation, hyperlinks). Each is a
/// member named by its part or sheet, streamed as it is parsed.
pub(crate) fn read_package<R: Read + Seek>(
    scope: &mut Scope<'_, '_, '_>,
    kind: Kind,
    archive: &mut zip::ZipArchive<R>,
) {
    let mut names: Vec<String> = archive.file_names().map(str::to_string).collect();
    names.sort_by_key(|n| natural_key(n));
    let stories = text_parts(kind, &names);
    for name in &names {
        if part_read(kind, name, &stories) == PartRead::Member {
            read_member(scope, archive, name);
        }
    }
    for part in &stories {
        read_xml(scope, archive, part, How::Paragraphs);
    }
    let mut sheet_parts = Vec::new();
    if kind == Kind::Xlsx {
        sheet_parts = read_workbook(scope, archive, &names);
    }
    // what the legacy comments said, so that a threaded comment's copy of
    // it (Excel writes both) is not reported twice
    let mut comment_values: HashSet<String> = HashSet::new();
    for name in &names {
        let PartRead::AllText { lenient } = part_read(kind, name, &stories) else {
            continue;
        };
        if sheet_parts.contains(name) {
            continue;
        }
        let first = scope.findings_len();
        read_xml(scope, archive, name, How::AllText { lenient });
        if name.starts_with("xl/comments") {
            comment_values.extend(
                scope
                    .findings_since(first)
                    .iter()
                    .map(|f| f.value_id.clone()),
            );
        } else if name.starts_with("xl/threadedComments/") {
            scope.drop_findings_since(first, |f| comment_values.contains(&f.value_id));
        }
    }
}

/// Whether calamine reads the `.xlsb` part `name` (in the reader child):
/// the workbook, its sheets and shared strings.
fn calamine_reads(name: &str) -> bool {
    matches!(name, "xl/workbook.bin" | "xl/sharedStrings.bin")
        || (name.starts_with("xl/worksheets/") && name.ends_with(".bin"))
}

/// Reads the parts of an `.xlsb` that calamine does not: its XML parts
/// (properties, relationships) as text ([`xml::AllText`]), its other
/// binary parts (comments, `vbaProject.bin`, images) as members.
pub(crate) fn read_xlsb_parts<R: Read + Seek>(
    scope: &mut Scope<'_, '_, '_>,
    archive: &mut zip::ZipArchive<R>,
) {
    let mut names: Vec<String> = archive.file_names().map(str::to_string).collect();
    names.sort_by_key(|n| natural_key(n));
    for name in names.iter().filter(|n| !calamine_reads(n)) {
        match part_read(Kind::Xlsx, name, &[]) {
            PartRead::Member => read_member(scope, archive, name),
            PartRead::AllText { lenient } => {
                read_xml(scope, archive, name, How::AllText { lenient })
            }
            PartRead::Folder | PartRead::Paragraphs | PartRead::SharedStrings => {}
        }
    }
}

/// Scans the part `name` as a member like a file of its own (it is
/// sniffed: an image, an embedded workbook, an OLE object).
pub(crate) fn read_member<R: Read + Seek>(
    scope: &mut Scope<'_, '_, '_>,
    archive: &mut zip::ZipArchive<R>,
    name: &str,
) {
    match archive.by_name(name) {
        Ok(mut part) => {
            let compressed = part.compressed_size();
            scope.member(
                Some(Step::Part(name.to_string())),
                &mut part,
                Some(compressed),
            );
        }
        Err(_) => scope.corrupt(Some(Step::Part(name.to_string())), Damage::Zip),
    }
}

/// Which reader makes a part's text.
#[derive(Clone, Copy)]
enum How {
    Paragraphs,
    AllText { lenient: bool },
}

/// Scans the text of the XML part `name` as a member named by it.
fn read_xml<R: Read + Seek>(
    scope: &mut Scope<'_, '_, '_>,
    archive: &mut zip::ZipArchive<R>,
    name: &str,
    how: How,
) {
    let Some(zipped) = open_part(scope, archive, name) else {
        return;
    };
    let (reader, consumed) = xml::open(zipped.data, zipped.cap);
    let step = Some(Step::Part(name.to_string()));
    match how {
        How::Paragraphs => {
            let mut text = XmlText::new(Paragraphs::new(reader));
            scope.member(step, &mut text, None);
        }
        How::AllText { lenient } => {
            let all = xml::AllText::new(reader, lenient);
            scope.member(step, &mut XmlText::new(all), None);
        }
    }
    scope.spend(consumed.get());
}

/// A workbook's sheets, each as a CSV member with its cells, and the rest
/// of each sheet's part as its text; the parts so read (a sheet part not
/// among them is read as any XML part).
fn read_workbook<R: Read + Seek>(
    scope: &mut Scope<'_, '_, '_>,
    archive: &mut zip::ZipArchive<R>,
    names: &[String],
) -> Vec<String> {
    let mut parts = Vec::new();
    let (Some(workbook), Some(rels)) = (
        read_part(scope, archive, "xl/workbook.xml"),
        read_part(scope, archive, "xl/_rels/workbook.xml.rels"),
    ) else {
        return parts;
    };
    let (shared, shared_capped) = read_shared(scope, archive, names);
    let sheets = match sheets(&workbook, &rels) {
        Ok(s) => s,
        Err(_) => {
            let step = Step::Part("xl/workbook.xml".into());
            scope.corrupt(Some(step), Damage::Xml);
            return parts;
        }
    };
    for (sheet, part) in sheets {
        let step = Step::Sheet(sheet);
        let Some(Zipped { data, cap }) = open_part(scope, archive, &part) else {
            continue;
        };
        let (reader, consumed) = xml::open(data, cap);
        let first = scope.findings_len();
        let repairs = crate::detect::my_number::names_my_number;
        let mut text = XmlText::new(SheetCsv::new(
            (reader, Rc::clone(&consumed)),
            &shared,
            repairs,
        ));
        scope.member(Some(step.clone()), &mut text, None);
        scope.spend(consumed.get());
        let missing = text.producer.missing_shared;
        let csv_end = scope.findings_len();
        let (complete, ended) = (text.complete(), text.producer.ended_at_cells_end);
        let reader = text.into_producer().into_reader();
        if complete && ended {
            // the rest of the part (header and footer, data validation,
            // hyperlinks), from where the cells end: one parse in all
            let before = consumed.get();
            let rest = xml::AllText::new(reader, false).continuing();
            scope.member(
                Some(Step::Part(part.clone())),
                &mut XmlText::new(rest),
                None,
            );
            scope.spend(consumed.get() - before);
        } else {
            drop(reader);
        }
        if !complete || ended {
            // read, or stopped with its gap recorded; a sheet whose cells
            // did not end (no `sheetData`) is read again as any part
            parts.push(part.clone());
        }
        if missing > 0 && !shared_capped {
            scope.corrupt(Some(step), Damage::SharedStrings(missing));
        }
        // which cell each finding of the CSV is in: the sheet again, up to
        // the last
        let csv = csv_end - first;
        let mut offsets: Vec<u64> = scope.findings_since(first)[..csv]
            .iter()
            .filter_map(|f| f.byte_offset)
            .collect();
        offsets.sort_unstable();
        offsets.dedup();
        if offsets.is_empty() {
            continue;
        }
        let Ok(again) = archive.by_name(&part) else {
            continue;
        };
        let cells = sheet::locate(
            SheetCsv::new(xml::open(again, cap), &shared, repairs),
            offsets.clone(),
        );
        for f in &mut scope.findings_since(first)[..csv] {
            f.provenance.cell = f
                .byte_offset
                .and_then(|o| offsets.binary_search(&o).ok())
                .and_then(|i| cells[i].clone());
        }
    }
    parts
}

/// The workbook's shared strings (empty without them), and whether they
/// were cut at their cap (the gap is then recorded once, here, not as
/// damage in every sheet).
fn read_shared<R: Read + Seek>(
    scope: &mut Scope<'_, '_, '_>,
    archive: &mut zip::ZipArchive<R>,
    names: &[String],
) -> (SharedStrings, bool) {
    let name = "xl/sharedStrings.xml";
    if !names.iter().any(|n| n == name) {
        return (SharedStrings::default(), false);
    }
    let Some(zipped) = open_part(scope, archive, name) else {
        return (SharedStrings::default(), false);
    };
    let (reader, consumed) = xml::open(zipped.data, zipped.cap);
    let (shared, stop) = sheet::shared_strings(reader, scope.limits().max_in_memory);
    scope.spend(consumed.get());
    let step = Some(Step::Part(name.into()));
    match stop {
        None => (shared, false),
        Some(Stop::Limit) => {
            scope.skip(step, SkipReason::ArchiveLimit);
            (shared, true)
        }
        Some(Stop::Damage(damage)) => {
            scope.corrupt(step, damage);
            (shared, false)
        }
    }
}

/// A part opened for streaming, and the most it may inflate to.
struct Zipped<R> {
    data: R,
    cap: u64,
}

/// Opens a part to stream it; an issue and `None` if it cannot be. It may
/// inflate to its ratio cap and the file's budget.
fn open_part<'z, R: Read + Seek>(
    scope: &mut Scope<'_, '_, '_>,
    archive: &'z mut zip::ZipArchive<R>,
    name: &str,
) -> Option<Zipped<zip::read::ZipFile<'z, R>>> {
    match archive.by_name(name) {
        Ok(part) => {
            let limits = scope.limits();
            let cap = part
                .compressed_size()
                .saturating_mul(limits.max_ratio)
                .max(limits.ratio_floor)
                .min(scope.budget());
            Some(Zipped { data: part, cap })
        }
        Err(_) => {
            scope.corrupt(Some(Step::Part(name.to_string())), Damage::Zip);
            None
        }
    }
}

/// A small part read whole (the workbook and its relationships, parsed
/// from memory), at most the in-memory cap; an issue and `None` if it
/// cannot be.
fn read_part<R: Read + Seek>(
    scope: &mut Scope<'_, '_, '_>,
    archive: &mut zip::ZipArchive<R>,
    name: &str,
) -> Option<Vec<u8>> {
    let step = || Some(Step::Part(name.to_string()));
    let zipped = open_part(scope, archive, name)?;
    let cap = zipped.cap.min(scope.limits().max_in_memory);
    let mut data = Vec::new();
    match zipped.data.take(cap + 1).read_to_end(&mut data) {
        Ok(n) if n as u64 > cap => {
            scope.skip(step(), SkipReason::ArchiveLimit);
            None
        }
        Ok(n) => {
            scope.spend(n as u64);
            Some(data)
        }
        Err(_) => {
            scope.corrupt(step(), Damage::Part);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs_text(xml: &[u8]) -> String {
        let mut out = String::new();
        XmlText::new(Paragraphs::new(xml::open(xml, u64::MAX).0))
            .read_to_string(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn word_runs_are_joined_and_table_rows_are_lines() {
        let xml = r#"<w:document xmlns:w="x"><w:body>
<w:p><w:r><w:t>個人番号: 9832</w:t></w:r><w:r><w:t>0567</w:t></w:r><w:r><w:t xml:space="preserve">3214</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>マイナンバー</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1</w:t></w:r><w:r><w:t>23</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:r><w:t>a&amp;b</w:t></w:r><w:r><w:tab/><w:t>c</w:t></w:r></w:p>
</w:body></w:document>"#;
        let text = paragraphs_text(xml.as_bytes());
        assert_eq!(
            text,
            "個人番号: 983205673214\nマイナンバー \t123 \t\na&b\tc\n"
        );
    }

    #[test]
    fn rows_below_a_table_header_name_their_cells() {
        let row = |cells: &[&str]| {
            let cells: String = cells
                .iter()
                .map(|c| {
                    format!(
                        "<a:tc><a:txBody><a:p><a:r><a:t>{c}</a:t></a:r></a:p></a:txBody></a:tc>"
                    )
                })
                .collect();
            format!("<a:tr>{cells}</a:tr>")
        };
        let xml = format!(
            "<p:sld xmlns:a=\"a\" xmlns:p=\"p\"><a:tbl>{}{}{}</a:tbl><a:tbl>{}{}</a:tbl></p:sld>",
            row(&["社員番号", "個人番号", "部署"]),
            row(&["1", "2", "x"]),
            row(&["3", "4", "y"]),
            row(&["5", "123456789018"]),
            row(&["6", "7"]),
        );
        assert_eq!(
            paragraphs_text(xml.as_bytes()),
            "社員番号 \t個人番号 \t部署 \t\n\"社員番号\": 1 \t\"個人番号\": 2 \t\"部署\": x \t\n\
             \"社員番号\": 3 \t\"個人番号\": 4 \t\"部署\": y \t\n5 \t123456789018 \t\n6 \t7 \t\n"
        );
    }
}
