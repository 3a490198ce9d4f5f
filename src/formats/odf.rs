//! OpenDocument text and presentations (`.odt`, `.odp`, and their
//! templates): `content.xml` streamed through [`super::xml`] like a Word
//! part — paragraphs and headings (`text:p`, `text:h`) as lines, table
//! rows (`table:table-row`) as lines of tab-separated cells, `text:s`
//! (runs of spaces), `text:tab` and `text:line-break` kept. An `.ods`
//! spreadsheet goes to calamine in the reader child
//! ([`super::sandbox`]), sheet by sheet, like `.xlsx`.
//!
//! A package is recognised by its `mimetype` member, which ODF puts first
//! and stores uncompressed.

use std::io::{Read, Seek};

use quick_xml::events::{BytesStart, Event};

use super::xml::{self, Produce, Stop, XmlReader, XmlText};
use super::Scope;
use crate::outcome::Damage;
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

/// Most spaces one `text:s` writes: ODF allows any count.
const MAX_SPACES: usize = 64;

/// The text of an ODF part ([`Produce`]): paragraphs as lines, table
/// cells tab-separated within their row.
pub struct OdfText<'a> {
    xml: XmlReader<'a>,
    buf: Vec<u8>,
    /// Paragraphs open around the text (text outside them is not shown).
    paragraphs: usize,
    cells: usize,
}

impl<'a> OdfText<'a> {
    /// The text of the part `xml` reads.
    pub fn new(xml: XmlReader<'a>) -> OdfText<'a> {
        OdfText {
            xml,
            buf: Vec::new(),
            paragraphs: 0,
            cells: 0,
        }
    }

    fn empty(in_cell: bool, e: &BytesStart<'_>, out: &mut Vec<u8>) {
        match e.local_name().as_ref() {
            b"s" => {
                let n = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == b"c")
                    .and_then(|a| std::str::from_utf8(&a.value).ok()?.parse::<usize>().ok())
                    .unwrap_or(1);
                out.resize(out.len() + n.clamp(1, MAX_SPACES), b' ');
            }
            b"tab" => out.push(b'\t'),
            b"line-break" => out.push(if in_cell { b' ' } else { b'\n' }),
            b"table-cell" | b"covered-table-cell" => out.push(b'\t'),
            _ => {}
        }
    }
}

impl Produce for OdfText<'_> {
    fn produce(&mut self, out: &mut Vec<u8>) -> Result<bool, Stop> {
        let more = match self.xml.read_event_into(&mut self.buf)? {
            Event::Start(e) => {
                match e.local_name().as_ref() {
                    b"p" | b"h" => self.paragraphs += 1,
                    b"table-cell" | b"covered-table-cell" => self.cells += 1,
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
                        out.push(b'\t');
                    }
                    b"table-row" => out.push(b'\n'),
                    _ => {}
                }
                true
            }
            Event::Empty(e) => {
                Self::empty(self.cells > 0, &e, out);
                true
            }
            Event::Text(t) if self.paragraphs > 0 => {
                out.extend_from_slice(t.unescape()?.as_bytes());
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
<table:table><table:table-row><table:table-cell><text:p>氏名</text:p></table:table-cell><table:table-cell><text:p>個人番号</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell><text:p>山田</text:p></table:table-cell><table:table-cell/><table:table-cell><text:p>1</text:p></table:table-cell></table:table-row></table:table>
</office:text></office:body></office:document-content>"#;
        assert_eq!(
            text_of(xml),
            "見出し\n個人番号: 1234  5678\tx\ny\n氏名 \t個人番号 \t\n山田 \t\t1 \t\n"
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
