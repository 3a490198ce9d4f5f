//! Word 97–2003 (`.doc`) text: the piece table (the `Clx` in the table
//! stream that the File Information Block names) maps the document's
//! characters to where they are stored in the `WordDocument` stream, 8-bit
//! (CP1252, "compressed") or UTF-16LE ([MS-DOC] 2.4.1 "Retrieving Text").
//! Paragraphs are lines; table cells end with `\x07`, and a second `\x07`
//! ends the row: rows become lines of tab-separated cells, as for docx, and
//! in a table whose first row looks like a header each cell of the rows
//! below starts with its column's header as a key (`"個人番号": …`, see
//! [`super::table`]), however many rows follow. The text stream does not
//! mark where a table starts: a row's first cell is taken to start at its
//! line's start (a paragraph mark before it ends the table), so of a first
//! cell of several paragraphs only the last is keyed.
//! Field codes (`HYPERLINK …`) are left out, their results kept.
//!
//! Runs in the reader child ([`super::sandbox`]): every offset read from
//! the file is checked against the stream it points into.

use super::sandbox::Gap;
use super::table;

/// The File Information Block's magic (`wIdent`).
const WORD_MAGIC: u16 = 0xA5EC;
/// `FibBase` flags: the document is encrypted (or XOR-obfuscated).
const F_ENCRYPTED: u16 = 0x0100;
const F_OBFUSCATED: u16 = 0x8000;
/// `FibBase` flags: the table stream is `1Table` (else `0Table`).
const F_WHICH_TABLE: u16 = 0x0200;
/// Offsets of `fcClx` and `lcbClx` in the FIB (`FibRgFcLcb97`).
const FC_CLX: usize = 0x01A2;
const LCB_CLX: usize = 0x01A6;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The name of the table stream the `WordDocument` stream's FIB names; an
/// encrypted document or one that is not Word 97+ is a gap.
pub fn table_stream(document: &[u8]) -> Result<&'static str, Gap> {
    if u16_at(document, 0) != Some(WORD_MAGIC) {
        return Err(Gap::Unsupported);
    }
    let flags = u16_at(document, 0x0A).ok_or(Gap::Damaged)?;
    if flags & (F_ENCRYPTED | F_OBFUSCATED) != 0 {
        return Err(Gap::Encrypted);
    }
    Ok(if flags & F_WHICH_TABLE != 0 {
        "1Table"
    } else {
        "0Table"
    })
}

/// The document's text, every story (body, footnotes, headers, comments,
/// text boxes) in piece-table order. A piece that points outside the
/// stream is damage: what was read before it is kept only when the table
/// itself parses (`Err` otherwise).
pub fn text(document: &[u8], table: &[u8]) -> Result<String, Gap> {
    let fc = u32_at(document, FC_CLX).ok_or(Gap::Damaged)? as usize;
    let lcb = u32_at(document, LCB_CLX).ok_or(Gap::Damaged)? as usize;
    let clx = table
        .get(fc..fc.checked_add(lcb).ok_or(Gap::Damaged)?)
        .ok_or(Gap::Damaged)?;
    let plc = piece_table(clx).ok_or(Gap::Damaged)?;
    let n = (plc.len().saturating_sub(4)) / 12;
    let mut out = Text::default();
    for i in 0..n {
        let cp = |k: usize| u32_at(plc, 4 * k).map(|v| v as usize);
        let (Some(start), Some(end)) = (cp(i), cp(i + 1)) else {
            return Err(Gap::Damaged);
        };
        let count = end.checked_sub(start).ok_or(Gap::Damaged)?;
        let pcd = 4 * (n + 1) + 8 * i;
        let raw = u32_at(plc, pcd + 2).ok_or(Gap::Damaged)?;
        if out.text.len() as u64 > 2 * super::sandbox::INPUT_CAP {
            // pieces that repeat one another: bounded like any output
            return Err(Gap::Damaged);
        }
        if raw & 0x4000_0000 != 0 {
            let at = (raw & 0x3FFF_FFFF) as usize / 2;
            let bytes = document
                .get(at..at.saturating_add(count))
                .ok_or(Gap::Damaged)?;
            for &b in bytes {
                out.push(cp1252(b));
            }
        } else {
            let at = raw as usize;
            let end = at.saturating_add(count.saturating_mul(2));
            let bytes = document.get(at..end).ok_or(Gap::Damaged)?;
            let units = bytes
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]));
            for c in char::decode_utf16(units) {
                out.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
            }
        }
    }
    Ok(out.text)
}

/// The `PlcPcd` of a `Clx`: after any `Prc` (formatting, 0x01), the
/// `Pcdt` (0x02, its length, the table).
fn piece_table(clx: &[u8]) -> Option<&[u8]> {
    let mut p = 0usize;
    loop {
        match *clx.get(p)? {
            0x01 => {
                let cb = u16_at(clx, p + 1)? as usize;
                p += 3 + cb;
            }
            0x02 => {
                let lcb = u32_at(clx, p + 1)? as usize;
                return clx.get(p + 5..(p + 5).checked_add(lcb)?);
            }
            _ => return None,
        }
    }
}

/// An 8-bit ("compressed") character: CP1252.
fn cp1252(b: u8) -> char {
    if b < 0x80 {
        return char::from(b);
    }
    let byte = [b];
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
    text.chars().next().unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// The text being made: Word's control characters turned into lines and
/// cells, field codes left out, table cells keyed by their header.
#[derive(Default)]
struct Text {
    text: String,
    /// Fields open around the character: `true` while in a field's code.
    fields: Vec<bool>,
    /// The last character was a cell mark.
    after_cell: bool,
    /// Where the current cell's text starts in `text` (if the next cell
    /// mark ends a cell there).
    cell_start: usize,
    /// A cell of the current row has ended (so a paragraph mark is inside
    /// a cell).
    in_row: bool,
    /// A row has ended and no paragraph mark has come since: the next
    /// cell continues its table.
    after_row: bool,
    /// The table being read.
    rows: table::Rows,
    /// The key of a cell, before it is put in front of the cell's text.
    key: Vec<u8>,
}

/// Fields nested deeper than this are not tracked (their code shows).
const MAX_FIELD_DEPTH: usize = 32;

impl Text {
    fn push(&mut self, c: char) {
        let was_cell = std::mem::take(&mut self.after_cell);
        match c {
            '\u{13}' => {
                if self.fields.len() < MAX_FIELD_DEPTH {
                    self.fields.push(true);
                }
            }
            '\u{14}' => {
                if let Some(top) = self.fields.last_mut() {
                    *top = false;
                }
            }
            '\u{15}' => {
                self.fields.pop();
            }
            _ if self.fields.contains(&true) => {}
            '\u{07}' if was_cell => {
                // a row's end mark after its last cell's
                self.text.pop();
                self.text.push('\n');
                self.rows.end_row();
                (self.in_row, self.after_row) = (false, true);
                self.cell_start = self.text.len();
            }
            '\u{07}' => self.end_cell(),
            '\r' | '\u{0B}' if self.in_row => self.text.push(' '),
            '\r' | '\u{0B}' | '\u{0C}' => {
                self.text.push('\n');
                if !self.in_row {
                    if std::mem::take(&mut self.after_row) {
                        self.rows = table::Rows::default();
                    }
                    self.cell_start = self.text.len();
                }
            }
            '\u{1E}' => self.text.push('-'),
            '\u{A0}' => self.text.push(' '),
            '\t' => self.text.push('\t'),
            c if c < ' ' => {}
            c => self.text.push(c),
        }
    }

    /// A cell mark: the text since `cell_start` is a cell; its key goes in
    /// front of it (the cell is short: the move is bounded by it).
    fn end_cell(&mut self) {
        self.after_row = false;
        let start = self.cell_start.min(self.text.len());
        self.key.clear();
        self.rows.start_cell(&mut self.key);
        self.rows.text(&self.text.as_bytes()[start..]);
        self.rows.end_cell(1);
        if !self.key.is_empty() {
            // keys are cleaned UTF-8 header text
            self.text
                .insert_str(start, &String::from_utf8_lossy(&self.key));
        }
        self.text.push('\t');
        self.after_cell = true;
        self.in_row = true;
        self.cell_start = self.text.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A WordDocument stream with a FIB pointing at a Clx at offset 0 of
    /// the table stream, and the pieces `(compressed, text)` stored after
    /// the FIB.
    fn doc(pieces: &[(bool, &str)], flags: u16) -> (Vec<u8>, Vec<u8>) {
        let mut document = vec![0u8; 0x200];
        document[0..2].copy_from_slice(&WORD_MAGIC.to_le_bytes());
        document[0x0A..0x0C].copy_from_slice(&flags.to_le_bytes());
        let (mut cps, mut pcds) = (vec![0u32], Vec::new());
        for (compressed, text) in pieces {
            let at = document.len() as u32;
            let chars = if *compressed {
                document.extend(text.bytes());
                text.len()
            } else {
                let units: Vec<u16> = text.encode_utf16().collect();
                document.extend(units.iter().flat_map(|u| u.to_le_bytes()));
                units.len()
            };
            cps.push(cps.last().unwrap() + chars as u32);
            let fc = if *compressed {
                (at * 2) | 0x4000_0000
            } else {
                at
            };
            pcds.extend([0u8, 0]);
            pcds.extend(fc.to_le_bytes());
            pcds.extend([0u8, 0]);
        }
        let mut plc: Vec<u8> = cps.iter().flat_map(|c| c.to_le_bytes()).collect();
        plc.extend(pcds);
        let mut table = vec![0x01, 2, 0, 0xAA, 0xBB, 0x02];
        table.extend((plc.len() as u32).to_le_bytes());
        table.extend(plc);
        document[FC_CLX..FC_CLX + 4].copy_from_slice(&0u32.to_le_bytes());
        document[LCB_CLX..LCB_CLX + 4].copy_from_slice(&(table.len() as u32).to_le_bytes());
        (document, table)
    }

    #[test]
    fn pieces_fields_and_table_rows_become_lines() {
        let (d, t) = doc(
            &[
                (false, "個人番号: 1234\r"),
                (true, "a\u{13} HYPERLINK x \u{14}link\u{15}\r"),
                (false, "氏名\u{7}番号\u{7}\u{7}山田\u{7}5678\u{7}\u{7}"),
            ],
            F_WHICH_TABLE,
        );
        assert_eq!(table_stream(&d), Ok("1Table"));
        assert_eq!(
            text(&d, &t).unwrap(),
            "個人番号: 1234\nalink\n氏名\t番号\n山田\t5678\n"
        );
    }

    #[test]
    fn rows_below_a_header_row_are_keyed() {
        let (d, t) = doc(
            &[(
                false,
                "表\r社員番号\u{7}氏名\u{7}個人番号\u{7}\u{7}\
                 E1\u{7}山田\r太郎\u{7}N1\u{7}\u{7}\
                 E2\u{7}佐藤\u{7}N2\u{7}\u{7}後\r",
            )],
            0,
        );
        assert_eq!(
            text(&d, &t).unwrap(),
            "表\n社員番号\t氏名\t個人番号\n\
             \"社員番号\": E1\t\"氏名\": 山田 太郎\t\"個人番号\": N1\n\
             \"社員番号\": E2\t\"氏名\": 佐藤\t\"個人番号\": N2\n後\n"
        );
    }

    #[test]
    fn encrypted_and_damaged_are_gaps() {
        let (d, _) = doc(&[(true, "x")], F_ENCRYPTED);
        assert_eq!(table_stream(&d), Err(Gap::Encrypted));
        let (d, t) = doc(&[(true, "x")], 0);
        assert_eq!(table_stream(&d), Ok("0Table"));
        assert_eq!(text(&d, &t[..t.len() - 3]), Err(Gap::Damaged));
        assert_eq!(text(&d[..0x1A0], &t), Err(Gap::Damaged));
    }
}
