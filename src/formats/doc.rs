//! Word 97–2003 (`.doc`) text: the piece table (the `Clx` in the table
//! stream that the File Information Block names) maps the document's
//! characters to where they are stored in the `WordDocument` stream, 8-bit
//! (CP1252, "compressed") or UTF-16LE ([MS-DOC] 2.4.1 "Retrieving Text").
//! Paragraphs are lines; table cells end with `\x07`, and so does a row,
//! with a mark whose paragraph properties say so (`sprmPFTtp` in the
//! `PapxFkp` pages: an empty cell's mark right after another cell's looks
//! the same in the text; without readable properties a second `\x07`
//! ends the row): rows become lines of tab-separated cells, as for docx, and
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
/// Offsets of `fcPlcfBtePapx` and `lcbPlcfBtePapx` in the FIB: where the
/// paragraphs' properties are ([MS-DOC] 2.8.6 `PlcBtePapx`).
const FC_PLCF_BTE_PAPX: usize = 0x0102;
const LCB_PLCF_BTE_PAPX: usize = 0x0106;
/// `sprmPFTtp` and `sprmPFInnerTtp`: the paragraph is a table row's end
/// mark ([MS-DOC] 2.6.2).
const SPRM_P_F_TTP: u16 = 0x2417;
const SPRM_P_F_INNER_TTP: u16 = 0x244C;
/// `sprmTDefTable`: a variable operand whose size is two bytes.
const SPRM_T_DEF_TABLE: u16 = 0xD608;
/// The size of a `PapxFkp` page.
const FKP: usize = 512;

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
    let row_ends = row_ends(document, table).filter(|r| !r.is_empty());
    let is_row_end = |fc: usize| row_ends.as_deref().map(|r| within(r, fc));
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
            for (k, &b) in bytes.iter().enumerate() {
                if b == 0x07 {
                    out.row_end = is_row_end(at + k);
                }
                out.push(cp1252(b));
            }
        } else {
            let at = raw as usize;
            let end = at.saturating_add(count.saturating_mul(2));
            let bytes = document.get(at..end).ok_or(Gap::Damaged)?;
            let units = bytes
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]));
            let mut unit = 0;
            for c in char::decode_utf16(units) {
                // an unpaired surrogate is one unit, as its replacement
                let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
                if c == '\u{07}' {
                    out.row_end = is_row_end(at + 2 * unit);
                }
                unit += c.len_utf16();
                out.push(c);
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

/// The `WordDocument` stream ranges (sorted) of the paragraphs whose
/// properties mark them as a table row's end: a cell mark (`0x07`) in one
/// ends its row, any other ends a cell (an empty cell's mark right after
/// another cell's looks the same in the text). `None` if the paragraph
/// properties do not read (then a mark right after a cell's ends the
/// row). Bounded by the streams: one entry per paragraph of the table's
/// pages.
fn row_ends(document: &[u8], table: &[u8]) -> Option<Vec<(usize, usize)>> {
    let fc = u32_at(document, FC_PLCF_BTE_PAPX)? as usize;
    let lcb = u32_at(document, LCB_PLCF_BTE_PAPX)? as usize;
    let plc = table.get(fc..fc.checked_add(lcb)?)?;
    let n = lcb.checked_sub(4)? / 8;
    let mut out = Vec::new();
    for i in 0..n {
        let pn = (u32_at(plc, 4 * (n + 1) + 4 * i)? & 0x003F_FFFF) as usize;
        let page = document.get(pn * FKP..)?.get(..FKP)?;
        let crun = usize::from(page[FKP - 1]);
        for r in 0..crun {
            let (start, end) = (u32_at(page, 4 * r)?, u32_at(page, 4 * r + 4)?);
            let bx = usize::from(*page.get(4 * (crun + 1) + 13 * r)?);
            if bx != 0 && ends_row(page, 2 * bx) {
                out.push((start as usize, end as usize));
            }
        }
    }
    out.sort_unstable();
    Some(out)
}

/// Whether the `PapxInFkp` at `at` of an FKP page sets `sprmPFTtp` or
/// `sprmPFInnerTtp` ([MS-DOC] 2.9.175: `cb`, then the `istd` and the
/// `grpprl`; 2.2.5.1: an operand's size is in its `sprm`).
fn ends_row(page: &[u8], at: usize) -> bool {
    let (from, len) = match page.get(at..at + 2) {
        Some(&[0, cb]) => (at + 2, 2 * usize::from(cb)),
        Some(&[cb, _]) => (at + 1, 2 * usize::from(cb) - 1),
        _ => return false,
    };
    let Some(grpprl) = page.get(from..from + len).and_then(|g| g.get(2..)) else {
        return false;
    };
    let mut p = 0;
    while let Some(sprm) = u16_at(grpprl, p) {
        p += 2;
        if matches!(sprm, SPRM_P_F_TTP | SPRM_P_F_INNER_TTP) && grpprl.get(p) == Some(&1) {
            return true;
        }
        p += match sprm >> 13 {
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            _ if sprm == SPRM_T_DEF_TABLE => {
                u16_at(grpprl, p).map_or(grpprl.len(), usize::from) + 1
            }
            _ => grpprl.get(p).map_or(grpprl.len(), |&n| usize::from(n) + 1),
        };
    }
    false
}

/// Whether `fc` lies in one of `ranges` (sorted, disjoint).
fn within(ranges: &[(usize, usize)], fc: usize) -> bool {
    let i = ranges.partition_point(|&(start, _)| start <= fc);
    i > 0 && fc < ranges[i - 1].1
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
    /// What the paragraph properties say of the next cell mark: it ends
    /// a row, or a cell (`None`: not known).
    row_end: Option<bool>,
}

/// Fields nested deeper than this are not tracked (their code shows).
const MAX_FIELD_DEPTH: usize = 32;

impl Text {
    fn push(&mut self, c: char) {
        let was_cell = std::mem::take(&mut self.after_cell);
        let row_end = self.row_end.take();
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
            '\u{07}' if row_end.unwrap_or(was_cell) => {
                // a row's end mark after its last cell's
                if was_cell {
                    self.text.pop();
                }
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

    /// Marks the characters `row_ends` (char indices of a document made
    /// by [`doc`] of one UTF-16 piece, all in the BMP) as paragraphs with
    /// `sprmPFTtp`, in a `PapxFkp` page that a `PlcBtePapx` names.
    fn with_row_ends(mut d: Vec<u8>, mut t: Vec<u8>, row_ends: &[usize]) -> (Vec<u8>, Vec<u8>) {
        let fc = |k: usize| (0x200 + 2 * k) as u32;
        let pn = d.len().div_ceil(FKP);
        d.resize((pn + 1) * FKP, 0);
        let page = &mut d[pn * FKP..];
        // runs: [first, end 1), [end 1, end 1 + 1), [end 1 + 1, end 2), …
        let mut fcs = vec![fc(0)];
        for &k in row_ends {
            fcs.extend([fc(k), fc(k + 1)]);
        }
        let crun = fcs.len() - 1;
        for (i, f) in fcs.iter().enumerate() {
            page[4 * i..4 * i + 4].copy_from_slice(&f.to_le_bytes());
        }
        for r in 0..crun {
            // the odd runs are the row ends: their PapxInFkp at 0x1C0
            page[4 * (crun + 1) + 13 * r] = if r % 2 == 1 { 0xE0 } else { 0 };
        }
        page[0x1C0..0x1C6].copy_from_slice(&[3, 0, 0, 0x17, 0x24, 1]);
        page[FKP - 1] = crun as u8;
        let at = t.len() as u32;
        t.extend(fcs[0].to_le_bytes());
        t.extend(fcs[crun].to_le_bytes());
        t.extend((pn as u32).to_le_bytes());
        d[FC_PLCF_BTE_PAPX..FC_PLCF_BTE_PAPX + 4].copy_from_slice(&at.to_le_bytes());
        d[LCB_PLCF_BTE_PAPX..LCB_PLCF_BTE_PAPX + 4].copy_from_slice(&12u32.to_le_bytes());
        (d, t)
    }

    #[test]
    fn an_empty_last_cell_is_told_from_the_rows_end_by_its_paragraph() {
        let text_in = "社員番号\u{7}氏名\u{7}備考\u{7}\u{7}\
                       E1\u{7}山田\u{7}\u{7}\u{7}E2\u{7}佐藤\u{7}\u{7}\u{7}";
        let marks: Vec<usize> = text_in
            .chars()
            .enumerate()
            .filter(|c| c.1 == '\u{7}')
            .map(|c| c.0)
            .collect();
        // the fourth mark of each row ends it
        let row_ends = [marks[3], marks[7], marks[11]];
        let (d, t) = doc(&[(false, text_in)], 0);
        let (d, t) = with_row_ends(d, t, &row_ends);
        let want = "社員番号\t氏名\t備考\n\
             \"社員番号\": E1\t\"氏名\": 山田\t\"備考\": \n\
             \"社員番号\": E2\t\"氏名\": 佐藤\t\"備考\": \n";
        assert_eq!(text(&d, &t).unwrap(), want);
        // without the paragraph properties, the empty cell's mark ends
        // the row, and the rows below are a column off
        let (d, t) = doc(&[(false, text_in)], 0);
        assert!(text(&d, &t).unwrap().contains("\"氏名\": E2"));
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
