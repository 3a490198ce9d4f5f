//! PowerPoint 97–2003 (`.ppt`) text: the text atoms of the `PowerPoint
//! Document` stream — `TextCharsAtom` (UTF-16LE) and `TextBytesAtom`
//! (8-bit, the low bytes of UTF-16) — wherever they are (the slide list,
//! text boxes on slides and notes), each as lines ([MS-PPT] 2.9.x). The
//! records are walked in one flat pass (a container's header is stepped
//! over into its children), so no nesting can exhaust the stack; every
//! length is checked against the stream.
//!
//! A table is a group shape (`OfficeArtSpgrContainer`) whose first shape
//! has the `tableProperties` property ([MS-PPT] 2.13.x, [MS-ODRAW]
//! `OfficeArtTertiaryFOPT`); each of its cells is a child shape with its
//! own anchor and text box, row by row (its border lines, child shapes
//! too, have no area). Its cells are written as lines of
//! tab-separated cells, a new line where a cell's top changes, and, when
//! the first row looks like a header, each cell below starts with its
//! column's header as a key (`"個人番号": …`, see [`super::table`]).
//!
//! Runs in the reader child ([`super::sandbox`]).

use super::sandbox::Gap;
use super::table;

const TEXT_CHARS_ATOM: u16 = 0x0FA0;
const TEXT_BYTES_ATOM: u16 = 0x0FA8;
/// Present when the presentation is password-protected.
const CRYPT_SESSION: u16 = 0x2F14;
/// A group of shapes (a table is one).
const SPGR_CONTAINER: u16 = 0xF003;
/// Shape properties that say a group is a table.
const TERTIARY_FOPT: u16 = 0xF122;
/// The `tableProperties` property id.
const TABLE_PROPERTIES: u16 = 0x039F;
/// A child shape's anchor in its group: left, top, right, bottom.
const CHILD_ANCHOR: u16 = 0xF00F;
/// Groups nested deeper than this are not followed as tables.
const MAX_GROUPS: usize = 64;

/// A table being read: the end of its group in the stream, its rows.
struct Table {
    end: usize,
    rows: table::Rows,
    /// The top of the current row's cells.
    row_top: Option<i32>,
    /// A cell has started (its key is written).
    cell_open: bool,
    key: Vec<u8>,
}

impl Table {
    /// A cell's anchor: a new cell, on a new row if its top differs.
    fn cell(&mut self, top: i32, out: &mut String) {
        self.end_cell(out);
        if self.row_top.is_some_and(|t| t != top) {
            self.rows.end_row();
            out.push('\n');
        }
        self.row_top = Some(top);
        self.key.clear();
        self.rows.start_cell(&mut self.key);
        out.push_str(&String::from_utf8_lossy(&self.key));
        self.cell_open = true;
    }

    fn end_cell(&mut self, out: &mut String) {
        if std::mem::take(&mut self.cell_open) {
            self.rows.end_cell(1);
            out.push('\t');
        }
    }

    /// The group ends: so does its last row.
    fn end(mut self, out: &mut String) {
        self.end_cell(out);
        self.rows.end_row();
        out.push('\n');
    }
}

/// Whether an `OfficeArtTertiaryFOPT` body (`n` properties) holds
/// `tableProperties`.
fn has_table_properties(body: &[u8], n: usize) -> bool {
    body.chunks_exact(6)
        .take(n)
        .any(|p| u16::from_le_bytes([p[0], p[1]]) & 0x3FFF == TABLE_PROPERTIES)
}

/// The text of a `PowerPoint Document` stream, one atom a line (`\r` and
/// vertical tabs inside an atom are line breaks too), a table's cells a
/// row a line.
pub fn text(stream: &[u8]) -> Result<String, Gap> {
    let mut out = String::new();
    let mut p = 0usize;
    // ends of the groups open around `p`, innermost last
    let mut groups: Vec<usize> = Vec::new();
    let mut table: Option<Table> = None;
    while let Some(header) = stream.get(p..p + 8) {
        while groups.last().is_some_and(|&end| end <= p) {
            groups.pop();
        }
        if let Some(t) = table.take_if(|t| t.end <= p) {
            t.end(&mut out);
        }
        let ver_instance = u16::from_le_bytes([header[0], header[1]]);
        let kind = u16::from_le_bytes([header[2], header[3]]);
        let len = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
        p += 8;
        if kind == CRYPT_SESSION {
            return Err(Gap::Encrypted);
        }
        if ver_instance & 0x000F == 0x000F {
            if kind == SPGR_CONTAINER && groups.len() < MAX_GROUPS {
                groups.push(p.saturating_add(len));
            }
            continue; // a container: its children follow
        }
        let body = stream.get(p..p.saturating_add(len)).unwrap_or(&stream[p..]);
        match kind {
            TEXT_CHARS_ATOM => {
                let units = body
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]));
                let chars = char::decode_utf16(units).map(|c| c.unwrap_or('\u{FFFD}'));
                push_text(&mut out, table.as_mut(), chars);
            }
            TEXT_BYTES_ATOM => push_text(
                &mut out,
                table.as_mut(),
                body.iter().map(|&b| char::from(b)),
            ),
            TERTIARY_FOPT if table.is_none() => {
                let n = usize::from(ver_instance >> 4);
                if let (true, Some(&end)) = (has_table_properties(body, n), groups.last()) {
                    table = Some(Table {
                        end,
                        rows: table::Rows::default(),
                        row_top: None,
                        cell_open: false,
                        key: Vec::new(),
                    });
                }
            }
            CHILD_ANCHOR => {
                let side = |i: usize| {
                    body.get(4 * i..4 * i + 4)
                        .map(|b| i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                };
                // a cell has an area; the table's border lines have none
                if let (Some(t), Some(left), Some(top), Some(right), Some(bottom)) =
                    (table.as_mut(), side(0), side(1), side(2), side(3))
                {
                    if right > left && bottom > top {
                        t.cell(top, &mut out);
                    }
                }
            }
            _ => {}
        }
        p = p.saturating_add(len);
    }
    if let Some(t) = table {
        t.end(&mut out);
    }
    Ok(out)
}

/// A text atom: its own line, or the text of a table's cell.
fn push_text(out: &mut String, table: Option<&mut Table>, chars: impl Iterator<Item = char>) {
    match table {
        Some(t) if t.cell_open => {
            let from = out.len();
            for c in chars {
                match c {
                    '\r' | '\u{0B}' | '\t' => out.push(' '),
                    c if c < ' ' => {}
                    c => out.push(c),
                }
            }
            t.rows.text(&out.as_bytes()[from..]);
        }
        _ => push_line(out, chars),
    }
}

fn push_line(out: &mut String, chars: impl Iterator<Item = char>) {
    for c in chars {
        match c {
            '\r' | '\u{0B}' => out.push('\n'),
            c if c < ' ' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(ver: u16, kind: u16, body: &[u8]) -> Vec<u8> {
        let mut r = ver.to_le_bytes().to_vec();
        r.extend(kind.to_le_bytes());
        r.extend((body.len() as u32).to_le_bytes());
        r.extend(body);
        r
    }

    #[test]
    fn atoms_in_containers_are_lines() {
        let chars: Vec<u8> = "個人番号\r1234"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let mut inner = record(0, TEXT_CHARS_ATOM, &chars);
        inner.extend(record(0, 0x0FA1, &[1, 2, 3, 4]));
        inner.extend(record(0, TEXT_BYTES_ATOM, b"card 4111"));
        let stream = record(0x000F, 0x03E8, &inner);
        assert_eq!(text(&stream).unwrap(), "個人番号\n1234\ncard 4111\n");
        // a length past the end is cut at the end, never read past it
        let mut cut = record(0, TEXT_BYTES_ATOM, b"abc");
        cut[4] = 200;
        assert_eq!(text(&cut).unwrap(), "abc\n");
        assert_eq!(
            text(&record(0x000F, CRYPT_SESSION, &[])),
            Err(Gap::Encrypted)
        );
    }

    /// A child shape of a table group: its anchor and its text.
    fn cell(left: i32, top: i32, text: &str) -> Vec<u8> {
        let anchor: Vec<u8> = [left, top, left + 10, top + 5]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let mut shape = record(0x0002, CHILD_ANCHOR, &anchor);
        let chars: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        shape.extend(record(0x000F, 0xF00D, &record(0, TEXT_CHARS_ATOM, &chars)));
        record(0x000F, 0xF004, &shape)
    }

    #[test]
    fn a_table_group_is_rows_of_keyed_cells() {
        // the group's first shape says it is a table (tableProperties)
        let mut props = (TABLE_PROPERTIES).to_le_bytes().to_vec();
        props.extend(1u32.to_le_bytes());
        let mut group = record(0x000F, 0xF004, &record(0x0013, TERTIARY_FOPT, &props));
        let rows = [
            ["社員番号", "氏名", "個人番号"],
            ["E1", "山田", "N1"],
            ["E2", "佐藤", "N2"],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                group.extend(cell(10 * c as i32, 5 * r as i32, v));
            }
        }
        // a border line: a child shape with no area
        let line: Vec<u8> = [0i32, 5, 30, 5]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        group.extend(record(0x000F, 0xF004, &record(0x0002, CHILD_ANCHOR, &line)));
        let mut stream = record(0x000F, SPGR_CONTAINER, &group);
        stream.extend(record(0, TEXT_BYTES_ATOM, b"after"));
        assert_eq!(
            text(&stream).unwrap(),
            "社員番号\t氏名\t個人番号\t\n\
             \"社員番号\": E1\t\"氏名\": 山田\t\"個人番号\": N1\t\n\
             \"社員番号\": E2\t\"氏名\": 佐藤\t\"個人番号\": N2\t\n\
             after\n"
        );
    }
}
