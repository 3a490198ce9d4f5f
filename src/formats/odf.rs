//! OpenDocument text and presentations (`.odt`, `.odp`, and their
//! templates), every part of them ([`part_read`]): `content.xml` (and
//! `styles.xml`, with headers and footers) streamed through [`super::xml`]
//! like a Word part, alt text and annotations included — paragraphs and headings (`text:p`, `text:h`) as lines, table
//! rows (`table:table-row`) as lines of tab-separated cells, `text:s`
//! (runs of spaces), `text:tab` and `text:line-break` kept. In a table
//! whose first row looks like a header, each cell of the rows below starts
//! with its column's header as a key (`"個人番号": …`, see
//! [`super::table`]), however many rows follow; `meta.xml`, `settings.xml`
//! and the manifest as all their text ([`super::xml::AllText`]); pictures
//! and other binary parts as members. An `.ods` spreadsheet goes to
//! calamine in the reader child ([`super::sandbox`]), sheet by sheet, like
//! `.xlsx`; its other parts, and its cells' annotations, are read here.
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

/// Reads an ODF text document or presentation: every part of it. Parts
/// that are not XML (images — checked as ID documents —, thumbnails,
/// embedded objects' binaries) as members of their own; then each
/// `content.xml` and `styles.xml` (the document's, and an embedded
/// object's, `Object 1/content.xml`) as [`OdfText`] — body, notes,
/// annotations, headers and footers, alt text —; then every other XML part
/// (`meta.xml`, `settings.xml`, the manifest) as [`xml::AllText`]. Each
/// is a member named by its part.
pub(crate) fn read_document<R: Read + Seek>(
    scope: &mut Scope<'_, '_, '_>,
    archive: &mut zip::ZipArchive<R>,
) {
    if encrypted(archive) {
        // its parts are encrypted: nothing in it can be read
        scope.skip(None, SkipReason::Encrypted);
        return;
    }
    read_parts(scope, archive, false);
}

/// Reads the parts of an ODF spreadsheet that calamine does not (its
/// sheets are read in the reader child): as [`read_document`] does, with
/// the cells of `content.xml` left out but their annotations, drawings and
/// the validation messages read. An encrypted one is left to the child,
/// which records it.
pub(crate) fn read_spreadsheet_parts<R: Read + Seek>(
    scope: &mut Scope<'_, '_, '_>,
    archive: &mut zip::ZipArchive<R>,
) {
    if !encrypted(archive) {
        read_parts(scope, archive, true);
    }
}

/// How a part of an ODF package is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartRead {
    /// A folder entry, or the `mimetype` (read to recognise the package).
    Nothing,
    /// Not XML: a member like a file of its own.
    Member,
    /// A `content.xml` or `styles.xml`: [`OdfText`].
    Text,
    /// Any other XML part (`meta.xml`, `settings.xml`, the manifest,
    /// `manifest.rdf`): [`xml::AllText`].
    AllText,
}

/// How the part `name` is read.
pub fn part_read(name: &str) -> PartRead {
    let file = name.rsplit('/').next().unwrap_or(name);
    let lower = name.to_ascii_lowercase();
    if name.ends_with('/') || name == "mimetype" {
        PartRead::Nothing
    } else if file == "content.xml" || file == "styles.xml" {
        PartRead::Text
    } else if lower.ends_with(".xml") || lower.ends_with(".rdf") {
        PartRead::AllText
    } else {
        PartRead::Member
    }
}

/// Every part, as [`part_read`] says; `content.xml` without its table
/// cells when `cells_elsewhere`. `content.xml` must be there.
fn read_parts<R: Read + Seek>(
    scope: &mut Scope<'_, '_, '_>,
    archive: &mut zip::ZipArchive<R>,
    cells_elsewhere: bool,
) {
    let mut names: Vec<String> = archive.file_names().map(str::to_string).collect();
    names.sort();
    if !names.iter().any(|n| n == "content.xml") {
        scope.corrupt(Some(Step::Part("content.xml".into())), Damage::Part);
    }
    for name in names.iter().filter(|n| part_read(n) == PartRead::Member) {
        super::ooxml::read_member(scope, archive, name);
    }
    // the document's own text first, then what is about it
    let texts = names.iter().filter(|n| part_read(n) == PartRead::Text);
    let others = names.iter().filter(|n| part_read(n) == PartRead::AllText);
    for name in texts.chain(others) {
        let Ok(zipped) = archive.by_name(name) else {
            scope.corrupt(Some(Step::Part(name.clone())), Damage::Zip);
            continue;
        };
        let limits = scope.limits();
        let cap = zipped
            .compressed_size()
            .saturating_mul(limits.max_ratio)
            .max(limits.ratio_floor)
            .min(scope.budget());
        let (reader, consumed) = xml::open(zipped, cap);
        let step = Some(Step::Part(name.clone()));
        if part_read(name) == PartRead::Text {
            let hide = cells_elsewhere && name == "content.xml";
            let mut text = XmlText::new(OdfText::new(reader).cells_elsewhere(hide));
            scope.member(step, &mut text, None);
        } else {
            let mut text = XmlText::new(xml::AllText::new(reader, false));
            scope.member(step, &mut text, None);
        }
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
    /// Paragraphs open around the text.
    paragraphs: usize,
    cells: usize,
    tables: Tables,
    /// Text outside paragraphs (alt text `svg:title`, `svg:desc`, an
    /// annotation's author) was written and its line is open.
    loose: bool,
    /// The table cells are read elsewhere (a spreadsheet's, by calamine):
    /// their text is left out, but not what is aside from it.
    cells_elsewhere: bool,
    /// Annotations, frames and shapes open around the text: aside from
    /// the cells.
    aside: usize,
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
            loose: false,
            cells_elsewhere: false,
            aside: 0,
        }
    }

    /// Leaves out the text of table cells (`hide`), but not of the
    /// annotations, frames and shapes in them.
    pub fn cells_elsewhere(mut self, hide: bool) -> OdfText<'a> {
        self.cells_elsewhere = hide;
        self
    }

    /// Whether tables are followed (rows as lines, cells keyed).
    fn tabulate(&self) -> bool {
        !self.cells_elsewhere
    }

    /// Whether text here is shown.
    fn shown(&self) -> bool {
        !(self.cells_elsewhere && self.cells > 0 && self.aside == 0)
    }
}

/// Elements whose content is aside from a table cell's value.
fn aside(local: &[u8]) -> bool {
    matches!(
        local,
        b"annotation" | b"frame" | b"custom-shape" | b"help-message" | b"error-message"
    )
}

/// The text-bearing attributes of an element ([`xml::text_attributes`]:
/// a link's address, a field's description), on lines of their own; none
/// of a table cell (its `office:value` is its text).
fn attributes(e: &BytesStart<'_>, out: &mut Vec<u8>) {
    if matches!(
        e.local_name().as_ref(),
        b"table-cell" | b"covered-table-cell"
    ) {
        return;
    }
    let start = out.len();
    xml::text_attributes(e, false, out);
    if out.len() > start {
        out.insert(start, b'\n');
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
        let tabulate = self.tabulate();
        let shown = self.shown();
        let more = match self.xml.read_event_into(&mut self.buf)? {
            Event::Start(e) => {
                let local = e.local_name();
                match local.as_ref() {
                    b"p" | b"h" => self.paragraphs += 1,
                    b"table-cell" | b"covered-table-cell" => {
                        self.cells += 1;
                        if tabulate {
                            self.tables.start_cell(&e, out);
                        }
                    }
                    b"table" if tabulate => self.tables.start_table(),
                    l if aside(l) => self.aside += 1,
                    _ => {}
                }
                if !(self.cells_elsewhere && self.cells > 0 && self.aside == 0) {
                    attributes(&e, out);
                }
                true
            }
            Event::End(e) => {
                if std::mem::take(&mut self.loose) {
                    out.push(b'\n');
                }
                let in_cell = self.cells > 0 && (tabulate || self.aside == 0);
                match e.local_name().as_ref() {
                    b"p" | b"h" => {
                        self.paragraphs = self.paragraphs.saturating_sub(1);
                        if shown {
                            out.push(if in_cell { b' ' } else { b'\n' });
                        }
                    }
                    b"table-cell" | b"covered-table-cell" => {
                        self.cells = self.cells.saturating_sub(1);
                        if tabulate {
                            self.tables.end_cell(out);
                        }
                    }
                    b"table-row" if tabulate => {
                        self.tables.end_row();
                        out.push(b'\n');
                    }
                    b"table" if tabulate => self.tables.end_table(),
                    l if aside(l) => self.aside = self.aside.saturating_sub(1),
                    _ => {}
                }
                true
            }
            Event::Empty(e) if tabulate => {
                if !(self.cells_elsewhere && self.cells > 0 && self.aside == 0) {
                    attributes(&e, out);
                }
                empty(&mut self.tables, self.cells > 0, &e, out);
                true
            }
            Event::Empty(e) => {
                if shown {
                    attributes(&e, out);
                    if e.local_name().as_ref() != b"table-cell" {
                        empty(&mut Tables::default(), false, &e, out);
                    }
                }
                true
            }
            Event::Text(t) if self.paragraphs > 0 && shown => {
                let text = t.unescape()?;
                out.extend_from_slice(text.as_bytes());
                if self.cells > 0 && tabulate {
                    self.tables.text(text.as_bytes());
                }
                true
            }
            Event::Text(t) if self.paragraphs == 0 && shown => {
                // alt text, an annotation's author, an embedded chart's title
                let text = t.unescape()?;
                if !text.trim().is_empty() {
                    out.extend_from_slice(text.as_bytes());
                    self.loose = true;
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
