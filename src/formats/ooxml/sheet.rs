//! A worksheet as CSV, streamed: one line per row (rows missing from the
//! sheet are empty lines, so line N is row N), one field per column, made
//! event by event from the part as it is read. The shared strings a
//! sheet's cells refer to are the one thing held, compactly and under a
//! cap ([`SharedStrings`]).
//!
//! Which cell a finding is in is found afterwards, by running the sheet
//! again and stopping at the findings' byte offsets ([`locate`]): a table
//! of every cell would grow with the sheet.

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

use quick_xml::events::{BytesStart, Event};

use crate::formats::xml::{Produce, Stop, XmlReader, XmlText};
use crate::outcome::Damage;

/// Excel's largest sheet: 1,048,576 rows, 16,384 columns (the last one,
/// zero-based, is `XFD`). A reference outside it is not trusted: the cell
/// is placed by counting, as if it had none.
const MAX_ROWS: u32 = 1 << 20;
const LAST_COLUMN: u32 = (1 << 14) - 1;

/// The shared strings of a workbook (`xl/sharedStrings.xml`), in one
/// buffer: 4 bytes an entry besides its text.
#[derive(Debug, Default)]
pub struct SharedStrings {
    text: String,
    ends: Vec<u32>,
}

impl SharedStrings {
    /// Entry `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = i.checked_sub(1).map_or(0, |p| self.ends[p] as usize);
        Some(&self.text[start..end])
    }

    /// How many entries there are.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.ends.push(self.text.len() as u32);
    }

    fn held(&self) -> u64 {
        (self.text.len() + 4 * self.ends.len()) as u64
    }
}

/// Reads the shared strings (phonetic readings left out: they are not part
/// of a value) while they take at most `cap` bytes (and under 4 GiB). What
/// was read before a [`Stop`] is kept and returned with it.
pub fn shared_strings(mut xml: XmlReader<'_>, cap: u64) -> (SharedStrings, Option<Stop>) {
    let cap = cap.min(u64::from(u32::MAX));
    let mut out = SharedStrings::default();
    let mut buf = Vec::new();
    let mut current = String::new();
    let (mut in_si, mut in_t, mut in_rph) = (false, false, false);
    loop {
        let event = match xml.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(e) => return (out, Some(e.into())),
        };
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                b"si" => {
                    in_si = true;
                    current.clear();
                }
                b"t" => in_t = true,
                b"rPh" => in_rph = true, // furigana
                _ => {}
            },
            // `<si/>`: an empty string, which still takes its index
            Event::Empty(e) if e.local_name().as_ref() == b"si" => {
                if out.held() + 4 > cap {
                    return (out, Some(Stop::Limit));
                }
                out.push("");
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"si" => {
                    in_si = false;
                    if out.held() + current.len() as u64 + 4 > cap {
                        return (out, Some(Stop::Limit));
                    }
                    out.push(&current);
                }
                b"t" => in_t = false,
                b"rPh" => in_rph = false,
                _ => {}
            },
            Event::Text(t) if in_si && in_t && !in_rph => match t.unescape() {
                Ok(s) => current.push_str(&s),
                Err(e) => return (out, Some(e.into())),
            },
            Event::Eof => return (out, None),
            _ => {}
        }
        buf.clear();
    }
}

/// Makes a worksheet's CSV from its part ([`Produce`]).
///
/// Numeric cells are written as Excel stores them, integers without an
/// exponent (`1.23456789018E+11` → `123456789018`); an 11-digit integer in
/// a column whose header `repairs` says is an identifier column regains
/// the leading zero Excel dropped. Padding for far-apart cells is bounded:
/// past 4 times the XML read (and 1 MiB), the sheet stops with a limit.
pub struct SheetCsv<'a> {
    xml: XmlReader<'a>,
    consumed: Rc<Cell<u64>>,
    buf: Vec<u8>,
    shared: &'a SharedStrings,
    repairs: fn(&str) -> bool,
    headers: HashMap<u32, bool>,
    row_no: u32, // rows written so far
    col_no: u32, // the next column when a cell has no reference
    commas: u32, // commas written in this row
    cell: Option<CellStart>,
    value: String,
    in_value: bool,
    written: u64,
    /// Whether an element was seen: a part with none is not a sheet.
    seen_element: bool,
    /// Cells whose shared string is not there (a missing, unreadable or
    /// capped `sharedStrings.xml`): written as empty.
    pub missing_shared: u64,
    /// Whether the CSV ended at the end of `sheetData` (what follows —
    /// header and footer, data validation, hyperlinks — is left in
    /// [`SheetCsv::into_reader`]), not at the part's end.
    pub ended_at_cells_end: bool,
    locate: Locate,
}

/// What a cell's start tag says: its reference (`C5`: column, row), if
/// it has a well-formed one inside Excel's sheet (`XFE1`, `A0`,
/// `A4000000000` or `c5` are none), and its type.
#[derive(Clone, Copy)]
struct CellStart {
    column: Option<u32>,
    row: Option<u32>,
    kind: CellKind,
}

/// A cell's type (`t`): a shared string, a number, or text as it stands
/// (inline strings, formulas' strings, booleans, errors).
#[derive(Clone, Copy, PartialEq, Eq)]
enum CellKind {
    Shared,
    Number,
    Other,
}

impl CellStart {
    fn of(e: &BytesStart<'_>) -> CellStart {
        let mut cell = CellStart {
            column: None,
            row: None,
            kind: CellKind::Number,
        };
        for a in e.attributes().flatten() {
            match a.key.local_name().as_ref() {
                b"r" => (cell.column, cell.row) = reference(&a.value).unzip(),
                b"t" => {
                    cell.kind = match a.value.as_ref() {
                        b"s" => CellKind::Shared,
                        b"n" | b"" => CellKind::Number,
                        _ => CellKind::Other,
                    }
                }
                _ => {}
            }
        }
        cell
    }
}

/// Offsets to find the cells of, and the cells found.
#[derive(Default)]
struct Locate {
    /// Sorted byte offsets into the CSV.
    wanted: Vec<u64>,
    /// The cell (column, row) of each of `wanted` found so far, in order.
    found: Vec<(u32, u32)>,
    /// The last cell started.
    last: Option<(u32, u32)>,
}

impl Locate {
    /// Cell (`column`, `row`) starts at `offset`: the offsets before it are
    /// in the last one.
    fn cell_starts(&mut self, offset: u64, column: u32, row: u32) {
        while let Some(&w) = self.wanted.get(self.found.len()) {
            match self.last {
                Some(last) if w < offset => self.found.push(last),
                _ => break,
            }
        }
        self.last = Some((column, row));
    }
}

impl<'a> SheetCsv<'a> {
    /// A sheet read from `xml` (with its count of bytes read, from
    /// [`crate::formats::xml::open`]), its shared strings, and the test of
    /// a column header for leading-zero repair.
    pub fn new(
        (xml, consumed): (XmlReader<'a>, Rc<Cell<u64>>),
        shared: &'a SharedStrings,
        repairs: fn(&str) -> bool,
    ) -> SheetCsv<'a> {
        SheetCsv {
            xml,
            consumed,
            buf: Vec::new(),
            shared,
            repairs,
            headers: HashMap::new(),
            row_no: 0,
            col_no: 0,
            commas: 0,
            cell: None,
            value: String::new(),
            in_value: false,
            written: 0,
            seen_element: false,
            missing_shared: 0,
            ended_at_cells_end: false,
            locate: Locate::default(),
        }
    }

    /// The part's reader, where the CSV ended: after `sheetData` when
    /// [`SheetCsv::ended_at_cells_end`].
    pub fn into_reader(self) -> XmlReader<'a> {
        self.xml
    }

    fn start_row(&mut self, r: Option<String>, out: &mut Vec<u8>) {
        // a row number outside Excel's limits is not trusted (it would pad
        // the CSV with empty lines and misplace every later row): counted
        let r: u32 = r
            .and_then(|v| v.parse().ok())
            .filter(|r| (1..=MAX_ROWS).contains(r))
            .unwrap_or(self.row_no + 1);
        while self.row_no + 1 < r {
            out.push(b'\n');
            self.row_no += 1;
        }
        self.col_no = 0;
        self.commas = 0;
    }

    fn end_cell(&mut self, out: &mut Vec<u8>, base: usize) {
        let Some(cell) = self.cell.take() else {
            return;
        };
        // field `col` of a line follows `col` commas; a cell without a
        // (trusted) reference is the next one, however far that is: each
        // such cell adds one field, so the line grows with the XML only
        let col = cell.column.unwrap_or(self.col_no).max(self.commas);
        while self.commas < col {
            out.push(b',');
            self.commas += 1;
        }
        self.col_no = col + 1;
        let text: &str = match cell.kind {
            CellKind::Shared => match self
                .value
                .trim()
                .parse::<usize>()
                .ok()
                .and_then(|i| self.shared.get(i))
            {
                Some(s) => s,
                None => {
                    self.missing_shared += 1;
                    ""
                }
            },
            CellKind::Number => {
                let header_says = *self.headers.get(&col).unwrap_or(&false);
                if let Some(n) = stored_number(&self.value, header_says) {
                    self.value = n;
                }
                &self.value
            }
            CellKind::Other => &self.value,
        };
        if self.row_no == 0 {
            self.headers.insert(col, (self.repairs)(text));
        }
        if !self.locate.wanted.is_empty() {
            let offset = self.written + (out.len() - base) as u64;
            let row = cell.row.unwrap_or(self.row_no + 1);
            self.locate.cell_starts(offset, col, row);
        }
        push_field(out, text);
    }
}

impl Produce for SheetCsv<'_> {
    fn produce(&mut self, out: &mut Vec<u8>) -> Result<bool, Stop> {
        let base = out.len();
        let event = self.xml.read_event_into(&mut self.buf)?;
        self.seen_element |= matches!(event, Event::Start(_) | Event::Empty(_));
        let more = match event {
            Event::Start(e) => {
                match e.local_name().as_ref() {
                    b"row" => {
                        let r = attr(&e, b"r");
                        self.start_row(r, out)
                    }
                    b"c" => {
                        self.cell = Some(CellStart::of(&e));
                        self.value.clear();
                    }
                    b"v" | b"t" => self.in_value = true,
                    _ => {}
                }
                true
            }
            Event::End(e) => {
                match e.local_name().as_ref() {
                    b"row" => {
                        out.push(b'\n');
                        self.row_no += 1;
                    }
                    b"v" | b"t" => self.in_value = false,
                    b"c" => self.end_cell(out, base),
                    b"sheetData" => self.ended_at_cells_end = true,
                    _ => {}
                }
                !self.ended_at_cells_end
            }
            Event::Empty(e) if e.local_name().as_ref() == b"sheetData" => {
                self.ended_at_cells_end = true;
                false
            }
            Event::Text(t) if self.in_value => {
                self.value.push_str(&t.unescape()?);
                true
            }
            Event::Eof if !self.seen_element => return Err(Stop::Damage(Damage::Xml)),
            Event::Eof => false,
            _ => true,
        };
        self.buf.clear();
        self.written += (out.len() - base) as u64;
        if self.written > self.consumed.get().saturating_mul(4) + (1 << 20) {
            return Err(Stop::Limit);
        }
        Ok(more)
    }
}

/// The cell holding each of `offsets` (sorted byte offsets into the CSV
/// `sheet` makes), in order: `sheet` is run to its end (or its stop).
///
/// An offset before the first cell has none (`None`); after a stop, the
/// last cell read is given.
pub fn locate(mut sheet: SheetCsv<'_>, offsets: Vec<u64>) -> Vec<Option<String>> {
    let n = offsets.len();
    sheet.locate.wanted = offsets;
    let mut text = XmlText::new(sheet);
    // a stop ends the run where the first run stopped
    let _ = std::io::copy(&mut text, &mut std::io::sink());
    let locate = text.producer.locate;
    let name = |(column, row): (u32, u32)| format!("{}{row}", column_name(column));
    let mut cells: Vec<Option<String>> = locate.found.into_iter().map(|c| Some(name(c))).collect();
    cells.resize(cells.len().max(n), locate.last.map(name));
    cells.resize(n, None);
    cells
}

fn attr(e: &BytesStart<'_>, key: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// A numeric cell's text as the CSV shows it, when it differs from `value`
/// (as stored): an integer without exponent or `.0`, and an 11-digit
/// integer with its leading zero back when its column's header names
/// identifiers (`header_says`: Excel drops the zero of a My Number typed as
/// a number). Shared by every spreadsheet reader (xlsx here; xls, xlsb,
/// ods in [`crate::formats::workbook`]).
pub(crate) fn stored_number(value: &str, header_says: bool) -> Option<String> {
    let n = plain_number(value);
    if header_says && n.len() == 11 && n.bytes().all(|b| b.is_ascii_digit()) {
        Some(format!("0{n}"))
    } else {
        (n.len() != value.len()).then_some(n)
    }
}

/// A CSV field, quoted when it must be. NUL and other control characters
/// (but tab and line ends) become spaces: one NUL early in a sheet must not
/// make the whole of it read as binary.
pub(crate) fn push_field(out: &mut Vec<u8>, text: &str) {
    let cleaned;
    let text = if text
        .bytes()
        .any(|b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
    {
        cleaned = text.replace(|c: char| c < ' ' && !matches!(c, '\t' | '\n' | '\r'), " ");
        cleaned.as_str()
    } else {
        text
    };
    if text.contains([',', '"', '\n', '\r']) {
        out.push(b'"');
        out.extend_from_slice(text.replace('"', "\"\"").as_bytes());
        out.push(b'"');
    } else {
        out.extend_from_slice(text.as_bytes());
    }
}

/// The zero-based column and the row of a cell reference (`C5`: 2, 5),
/// if it is one inside Excel's sheet: 1 to 3 capital letters up to `XFD`,
/// then a row from 1 to 1,048,576 in digits, and nothing else.
fn reference(r: &[u8]) -> Option<(u32, u32)> {
    let letters = r.iter().take_while(|b| b.is_ascii_uppercase()).count();
    let column = column_of(&r[..letters])?;
    let digits = &r[letters..];
    if digits.is_empty() || digits.len() > 7 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let row = digits
        .iter()
        .fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'));
    (1..=MAX_ROWS).contains(&row).then_some((column, row))
}

/// Zero-based column of a reference's letters (`C` of `C5`, `AA`), if
/// they name a column of Excel's sheet (`A` to `XFD`).
fn column_of(letters: &[u8]) -> Option<u32> {
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let column = letters
        .iter()
        .fold(0u32, |n, &b| n * 26 + u32::from(b - b'A' + 1))
        - 1;
    (column <= LAST_COLUMN).then_some(column)
}

/// The letters of a zero-based column (`0` → `A`, `26` → `AA`).
pub(crate) fn column_name(mut col: u32) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::limits::is_limit;
    use crate::formats::xml::open;
    use std::io::Read;

    fn shared(entries: &[&str]) -> SharedStrings {
        let mut s = SharedStrings::default();
        for e in entries {
            s.push(e);
        }
        s
    }

    fn csv(xml: &[u8], shared: &SharedStrings) -> (String, std::io::Result<usize>) {
        let mut out = Vec::new();
        let sheet = SheetCsv::new(open(xml, u64::MAX), shared, |h| h.contains("個人番号"));
        let r = XmlText::new(sheet).read_to_end(&mut out);
        (String::from_utf8(out).unwrap(), r)
    }

    const SHEET: &[u8] = br#"<worksheet><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>
<row r="3"><c r="A3" t="s"><v>2</v></c><c r="C3"><v>1.23456789018E+11</v></c></row>
<row r="4"><c r="B4"><v>23456789013</v></c><c r="C4" t="inlineStr"><is><t>x,y</t></is></c></row>
</sheetData></worksheet>"#;

    #[test]
    fn sheets_become_csv_and_cells_are_located_after() {
        let shared = shared(&["氏名", "個人番号", "山田"]);
        let (text, r) = csv(SHEET, &shared);
        r.unwrap();
        assert_eq!(
            text,
            "氏名,個人番号\n\n山田,,123456789018\n,023456789013,\"x,y\"\n"
        );
        let mut wanted: Vec<u64> = ["山田", "123456789018", "23456789013", "y"]
            .iter()
            .map(|n| text.find(n).unwrap() as u64)
            .collect();
        wanted.sort();
        let sheet = SheetCsv::new(open(SHEET, u64::MAX), &shared, |h| h.contains("個人番号"));
        let cells = locate(sheet, wanted);
        assert_eq!(cells, ["A3", "C3", "B4", "C4"].map(|c| Some(c.to_string())));
    }

    #[test]
    fn shared_strings_skip_readings_and_stop_at_their_cap() {
        let xml = r#"<sst><si><t>山田</t><rPh><t>ヤマダ</t></rPh></si><si><r><t>a</t></r><r><t>b</t></r></si><si><t>ccc</t></si></sst>"#.as_bytes();
        let (s, stop) = shared_strings(open(xml, u64::MAX).0, 1 << 20);
        assert!(stop.is_none());
        assert_eq!(
            (s.get(0), s.get(1), s.get(2), s.get(3)),
            (Some("山田"), Some("ab"), Some("ccc"), None)
        );
        let (s, stop) = shared_strings(open(xml, u64::MAX).0, 16);
        assert!(matches!(stop, Some(Stop::Limit)));
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn empty_strings_keep_their_index_and_nul_is_a_space() {
        let xml = "<sst><si/><si><t>個人番号</t></si><si><t>a\u{0}b</t></si></sst>";
        let (s, stop) = shared_strings(open(xml.as_bytes(), u64::MAX).0, 1 << 20);
        assert!(stop.is_none());
        assert_eq!((s.get(0), s.get(1)), (Some(""), Some("個人番号")));
        let sheet = br#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>2</v></c><c r="B1" t="s"><v>1</v></c></row></sheetData></worksheet>"#;
        let (text, r) = csv(sheet, &s);
        r.unwrap();
        assert_eq!(text, "a b,個人番号\n");
        // a part that is no XML at all is damage, not an empty sheet
        let (_, r) = csv(b"this is not a worksheet", &s);
        assert!(r.unwrap_err().get_ref().is_some_and(|e| e.is::<Damage>()));
    }

    #[test]
    fn hostile_references_are_bounded() {
        let xml = br#"<worksheet><sheetData><row r="4000000000"><c r="ZZZZZZZZ4000000000"><v>1</v></c></row></sheetData></worksheet>"#;
        let (text, _) = csv(xml, &SharedStrings::default());
        assert!(text.len() < 2 << 20, "{}", text.len());
        // far-apart cells on many rows: padding past 4 times the XML stops the sheet
        let rows: String = (1..=200)
            .map(|r| format!(r#"<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>"#))
            .collect();
        let xml = format!("<worksheet><sheetData>{rows}</sheetData></worksheet>");
        let (text, r) = csv(xml.as_bytes(), &SharedStrings::default());
        assert!(is_limit(&r.unwrap_err()));
        assert!(text.len() < 3 << 20, "{}", text.len());
    }

    #[test]
    fn column_names_round_trip() {
        for (name, col) in [("A", 0), ("Z", 25), ("AA", 26), ("AZ", 51), ("BA", 52)] {
            assert_eq!(column_of(name.as_bytes()), Some(col));
            assert_eq!(column_name(col), name);
        }
        assert_eq!(column_of(b"XFD"), Some(LAST_COLUMN));
        assert_eq!(column_of(b"XFE"), None);
        assert_eq!(column_of(b"AAAA"), None);
        assert_eq!(reference(b"XFD1048576"), Some((LAST_COLUMN, MAX_ROWS)));
        for bad in [
            "XFE1",
            "A0",
            "A1048577",
            "A4000000000",
            "A99999999999",
            "c5",
            "A1x",
            "5",
            "",
        ] {
            assert_eq!(reference(bad.as_bytes()), None, "{bad}");
        }
    }

    /// A reference outside Excel's sheet (`XFE1`, a row past 1,048,576)
    /// is not trusted: its cell is placed by counting, and the cells after
    /// it keep their own places and labels (no two cells in one field).
    #[test]
    fn out_of_range_references_are_counted() {
        let xml: &[u8] = br#"<worksheet><sheetData>
<row r="1"><c r="A1"><v>1</v></c><c r="XFE1"><v>2</v></c><c><v>3</v></c><c r="E1"><v>4</v></c></row>
<row r="2"><c r="ZZZZ2"><v>5</v></c><c r="B4000000000"><v>6</v></c><c><v>7</v></c></row>
<row r="99999999"><c r="A99999999"><v>8</v></c><c r="B3"><v>9</v></c></row>
<row r="4"><c r="A4"><v>10</v></c></row>
</sheetData></worksheet>"#;
        let none = SharedStrings::default();
        let (text, r) = csv(xml, &none);
        r.unwrap();
        assert_eq!(text, "1,2,3,,4\n5,6,7\n8,9\n10\n");
        let wanted: Vec<u64> = [",2,", ",3,", ",4\n", "5,", "6,", "7\n", "8,", "9\n", "10"]
            .iter()
            .map(|n| (text.find(n).unwrap() + usize::from(n.starts_with(','))) as u64)
            .collect();
        let sheet = SheetCsv::new(open(xml, u64::MAX), &none, |_| false);
        let cells: Vec<String> = locate(sheet, wanted).into_iter().flatten().collect();
        assert_eq!(
            cells,
            ["B1", "C1", "E1", "A2", "B2", "C2", "A3", "B3", "A4"]
        );
    }
}
