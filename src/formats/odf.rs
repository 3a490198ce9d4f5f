//! OpenDocument text and presentations (`.odt`, `.odp`, and their
//! templates): `content.xml` streamed through [`super::xml`] like a Word
//! part — paragraphs and headings (`text:p`, `text:h`) as lines, table
//! rows (`table:table-row`) as lines of tab-separated cells, `text:s`
//! (runs of spaces), `text:tab` and `text:line-break` kept. In a table
//! whose first row looks like a header, each cell of the rows below starts
//! with its column's header as a key (`"個人番号": …`, see
//! [`super::table`]), however many rows follow. An `.ods`
//! spreadsheet goes to calamine in the reader child
//! ([`super::sandbox`]), sheet by sheet, like `.xlsx`.
//!
//! A package is recognised by its `mimetype` member, which ODF puts first
//! and stores uncompressed.

use std::io::{Read, Seek};

use quick_xml::events::{BytesStart, Event};

use super::table;
use super::xml::{self, Produce, Stop, XmlReader, XmlText};
use super::Scope;
use crate::outcome::{Damage, SkipReason};
use crate::provenance::Step;

/// What an ODF package is, from its `mimetype`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Text, presentation, drawing: paragraphs and tables as text.
    Document,
    /// A spreadsheet: read by calamine, sheet by sheet.
    Spreadsheet,
}

/// The kind of an ODF package, from its `mimetype` member's content
/// (`application/vnd.oasis.opendocument.text`, ...).
pub fn kind(mimetype: &[u8]) -> Option<Kind> {
    let rest = mimetype
        .trim_ascii()
        .strip_prefix(b"application/vnd.oasis.opendocument.")?;
    if rest.starts_with(b"spreadsheet") {
        Some(Kind::Spreadsheet)
    } else if [&b"text"[..], b"presentation", b"graphics"]
        .iter()
        .any(|k| rest.starts_with(k))
    {
        Some(Kind::Document)
    } else {
        None
    }
}

/// The kind of a zip, if it is an ODF package: its `mimetype` member, at
/// most 128 bytes.
pub fn package_kind<R: Read + Seek>(archive: &mut zip::ZipArchive<R>) -> Option<Kind> {
    let member = archive.by_name("mimetype").ok()?;
    let mut mimetype = Vec::new();
    member.take(128).read_to_end(&mut mimetype).ok()?;
    kind(&mimetype)
}

/// Reads an ODF text document or presentation: images (checked as ID
/// documents), then the text of `content.xml` and `styles.xml` (headers
/// and footers), each a member named by its part.
pub(crate) fn read_document<R: Read + Seek>(
    scope: &mut Scope<'_, '_, '_>,
    archive: &mut zip::ZipArchive<R>,
) {
    if encrypted(archive) {
        // its parts are encrypted: nothing in it can be read
        scope.skip(None, SkipReason::Encrypted);
        return;
    }
    let names: Vec<String> = archive.file_names().map(str::to_string).collect();
    for media in names.iter().filter(|n| n.starts_with("Pictures/")) {
        if let Ok(mut part) = archive.by_name(media) {
            let compressed = part.compressed_size();
            scope.member(Some(Step::Part(media.clone())), &mut part, Some(compressed));
        }
    }
    for part in ["content.xml", "styles.xml"] {
        if !names.iter().any(|n| n == part) {
            if part == "content.xml" {
                scope.corrupt(Some(Step::Part(part.into())), Damage::Part);
            }
            continue;
        }
        let Ok(zipped) = archive.by_name(part) else {
            scope.corrupt(Some(Step::Part(part.into())), Damage::Zip);
            continue;
        };
        let limits = scope.limits();
        let cap = zipped
            .compressed_size()
            .saturating_mul(limits.max_ratio)
            .max(limits.ratio_floor)
            .min(scope.budget());
        let (reader, consumed) = xml::open(zipped, cap);
        let mut text = XmlText::new(OdfText::new(reader));
        scope.member(Some(Step::Part(part.into())), &mut text, None);
        scope.spend(consumed.get());
    }
}

/// Whether a package is password-protected: its manifest describes
/// `manifest:encryption-data` for its parts (ODF 1.2, part 3, 4.8). The
/// manifest is looked at in its first 1 MiB.
fn encrypted<R: Read + Seek>(archive: &mut zip::ZipArchive<R>) -> bool {
    let Ok(manifest) = archive.by_name("META-INF/manifest.xml") else {
        return false;
    };
    let mut xml = Vec::new();
    if manifest.take(1 << 20).read_to_end(&mut xml).is_err() {
        return false;
    }
    memchr::memmem::find(&xml, b"encryption-data").is_some()
}

/// Most spaces one `text:s` writes: ODF allows any count.
const MAX_SPACES: usize = 64;

/// The text of an ODF part ([`Produce`]): paragraphs as lines, table
/// cells tab-separated within their row, keyed by their column's header.
pub struct OdfText<'a> {
    xml: XmlReader<'a>,
    buf: Vec<u8>,
    /// Paragraphs open around the text (text outside them is not shown).
    paragraphs: usize,
    cells: usize,
    tables: Tables,
}

/// The open tables of a part, innermost last (at most
/// [`super::html::MAX_TABLES`]), each with the column span of its
/// current cell.
#[derive(Default)]
struct Tables {
    open: Vec<(table::Rows, usize)>,
    /// Tables open beyond that.
    deeper: usize,
}

impl Tables {
    /// The innermost table, unless tables are nested too deep to follow.
    fn innermost(&mut self) -> Option<&mut (table::Rows, usize)> {
        match self.deeper {
            0 => self.open.last_mut(),
            _ => None,
        }
    }

    fn start_table(&mut self) {
        if self.open.len() < super::html::MAX_TABLES {
            self.open.push(Default::default());
        } else {
            self.deeper += 1;
        }
    }

    fn end_table(&mut self) {
        if self.deeper > 0 {
            self.deeper -= 1;
        } else {
            self.open.pop();
        }
    }

    /// A cell (`table:table-cell`, `table:covered-table-cell`) starts: its
    /// key is written; it stands for `table:number-columns-repeated` columns.
    fn start_cell(&mut self, e: &BytesStart<'_>, out: &mut Vec<u8>) {
        let span = count_attribute(e, b"number-columns-repeated");
        let covered = e.local_name().as_ref() == b"covered-table-cell";
        if let Some((t, s)) = self.innermost() {
            if covered {
                t.covered_cell(out);
            } else {
                t.start_cell(out);
            }
            *s = span;
        }
    }

    fn end_cell(&mut self, out: &mut Vec<u8>) {
        if let Some((t, s)) = self.innermost() {
            t.end_cell(*s);
        }
        out.push(b'\t');
    }

    fn end_row(&mut self) {
        if let Some((t, _)) = self.innermost() {
            t.end_row();
        }
    }

    fn text(&mut self, text: &[u8]) {
        if let Some((t, _)) = self.innermost() {
            t.text(text);
        }
    }
}

impl<'a> OdfText<'a> {
    /// The text of the part `xml` reads.
    pub fn new(xml: XmlReader<'a>) -> OdfText<'a> {
        OdfText {
            xml,
            buf: Vec::new(),
            paragraphs: 0,
            cells: 0,
            tables: Tables::default(),
        }
    }
}

/// An empty element: spaces, tabs, line breaks, an empty cell.
fn empty(tables: &mut Tables, in_cell: bool, e: &BytesStart<'_>, out: &mut Vec<u8>) {
    match e.local_name().as_ref() {
        b"s" => {
            let n = count_attribute(e, b"c");
            out.resize(out.len() + n.clamp(1, MAX_SPACES), b' ');
        }
        b"tab" => out.push(b'\t'),
        b"line-break" => out.push(if in_cell { b' ' } else { b'\n' }),
        b"table-cell" | b"covered-table-cell" => {
            tables.start_cell(e, out);
            tables.end_cell(out);
        }
        _ => {}
    }
}

/// A count attribute (`text:c`, `table:number-columns-repeated`): 1 when
/// absent or not a number.
fn count_attribute(e: &BytesStart<'_>, name: &[u8]) -> usize {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| std::str::from_utf8(&a.value).ok()?.parse::<usize>().ok())
        .unwrap_or(1)
}

impl Produce for OdfText<'_> {
    fn produce(&mut self, out: &mut Vec<u8>) -> Result<bool, Stop> {
        let more = match self.xml.read_event_into(&mut self.buf)? {
            Event::Start(e) => {
                match e.local_name().as_ref() {
                    b"p" | b"h" => self.paragraphs += 1,
                    b"table-cell" | b"covered-table-cell" => {
                        self.cells += 1;
                        self.tables.start_cell(&e, out);
                    }
                    b"table" => self.tables.start_table(),
                    _ => {}
                }
                true
            }
            Event::End(e) => {
                match e.local_name().as_ref() {
                    b"p" | b"h" => {
                        self.paragraphs = self.paragraphs.saturating_sub(1);
                        out.push(if self.cells > 0 { b' ' } else { b'\n' });
                    }
                    b"table-cell" | b"covered-table-cell" => {
                        self.cells = self.cells.saturating_sub(1);
                        self.tables.end_cell(out);
                    }
                    b"table-row" => {
                        self.tables.end_row();
                        out.push(b'\n');
                    }
                    b"table" => self.tables.end_table(),
                    _ => {}
                }
                true
            }
            Event::Empty(e) => {
                empty(&mut self.tables, self.cells > 0, &e, out);
                true
            }
            Event::Text(t) if self.paragraphs > 0 => {
                let text = t.unescape()?;
                out.extend_from_slice(text.as_bytes());
                if self.cells > 0 {
                    self.tables.text(text.as_bytes());
                }
                true
            }
            Event::Eof => false,
            _ => true,
        };
        self.buf.clear();
        Ok(more)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(xml: &str) -> String {
        let mut out = String::new();
        XmlText::new(OdfText::new(xml::open(xml.as_bytes(), u64::MAX).0))
            .read_to_string(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn paragraphs_spaces_and_table_rows() {
        let xml = r#"<office:document-content xmlns:office="o" xmlns:text="t" xmlns:table="b"><office:body><office:text>
<text:h>見出し</text:h><text:p>個人番号:<text:s/>1234<text:s text:c="2"/>5678<text:tab/>x<text:line-break/>y</text:p>
<table:table><table:table-row><table:table-cell><text:p>氏名</text:p></table:table-cell><table:table-cell><text:p>住所</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell><text:p>山田</text:p></table:table-cell><table:table-cell/><table:table-cell><text:p>1</text:p></table:table-cell></table:table-row></table:table>
</office:text></office:body></office:document-content>"#;
        assert_eq!(
            text_of(xml),
            "見出し\n個人番号: 1234  5678\tx\ny\n氏名 \t住所 \t\n山田 \t\t1 \t\n"
        );
    }

    #[test]
    fn rows_below_a_header_row_are_keyed() {
        let row = |cells: &[&str]| {
            let cells: String = cells
                .iter()
                .map(|c| format!("<table:table-cell><text:p>{c}</text:p></table:table-cell>"))
                .collect();
            format!("<table:table-row>{cells}</table:table-row>")
        };
        let xml = format!(
            r#"<office:document-content xmlns:office="o" xmlns:text="t" xmlns:table="b"><office:body><office:text>
<table:table>{}{}<table:table-row><table:table-cell table:number-columns-repeated="2"/><table:table-cell><text:p>N2</text:p></table:table-cell></table:table-row></table:table>
<text:p>after</text:p></office:text></office:body></office:document-content>"#,
            row(&["社員番号", "氏名", "個人番号"]),
            row(&["E1", "山田", "N1"]),
        );
        assert_eq!(
            text_of(&xml),
            "社員番号 \t氏名 \t個人番号 \t\n\
             \"社員番号\": E1 \t\"氏名\": 山田 \t\"個人番号\": N1 \t\n\
             \"社員番号\": \t\"個人番号\": N2 \t\nafter\n"
        );
    }

    #[test]
    fn kinds_by_mimetype() {
        let k = |m: &str| kind(m.as_bytes());
        assert_eq!(
            k("application/vnd.oasis.opendocument.text"),
            Some(Kind::Document)
        );
        assert_eq!(
            k("application/vnd.oasis.opendocument.spreadsheet"),
            Some(Kind::Spreadsheet)
        );
        assert_eq!(
            k("application/vnd.oasis.opendocument.presentation-template"),
            Some(Kind::Document)
        );
        assert_eq!(k("application/epub+zip"), None);
    }
}
