//! RTF documents (Word, WordPad, LibreOffice, TextEdit), read as the text
//! they show: control words dropped, `\'xx` bytes decoded in the document's
//! code page (`\ansicpg932`) or the current font's charset (`\fcharset128`
//! is Shift_JIS), `\uN` escapes decoded (with their `\ucN` fallback
//! characters skipped), `\par`/`\line`/`\row` as line ends and `\cell`/`\tab`
//! as tabs. In a table whose first row (`\trowd … \cell … \row`) looks
//! like a header, each cell of the rows below starts with its column's
//! header as a key (`"個人番号": …`, see [`super::table`]), however many
//! rows follow; the table ends at the first text or paragraph outside
//! `\intbl`. Font, colour and style tables, pictures and other destinations
//! that are not text are skipped; an embedded OLE object (`\objdata`) is a
//! recorded gap (`unsupported_format`): leakscan does not read it.
//!
//! Hand-written rather than a crate: the RTF crates on crates.io parse the
//! whole document into a token list in memory; this is one pass over a
//! byte stream with a bounded group stack (see README, "Hand-written code").
//!
//! Source: Microsoft, *Rich Text Format (RTF) Specification*, version 1.9.1
//! (2008): control words, `\uc`/`\u`, `\'hh`, `\bin`, destinations, `\*`.

use std::io::{self, BufRead, BufReader, Read};

use encoding_rs::{Encoding, SHIFT_JIS, WINDOWS_1252};

use super::table;
use super::Format;
use crate::outcome::{Damage, SkipReason};
use crate::provenance::Step;

/// RTF, by `{\rtf`.
pub(crate) static RTF: Format = Format {
    name: "rtf",
    sniff: |head, _| head.starts_with(b"{\\rtf"),
    file_checks: false,
    read: |scope, r| {
        let mut text = RtfText::new(BufReader::new(r));
        // the text is the file's content, not a member of it
        scope.member(None, &mut text, None);
        if text.cut_short() {
            // groups still open at the end: a truncated file, whose rest
            // was never read
            scope.corrupt(None, Damage::Document);
        }
        if text.objects > 0 {
            scope.skip(
                Some(Step::Part("objdata".into())),
                SkipReason::UnsupportedFormat,
            );
        }
        Ok(())
    },
};

/// Groups deeper than this share the state of the deepest one kept: the
/// state stack is bounded whatever the input.
const MAX_GROUPS: usize = 256;
/// Fonts whose charset is remembered.
const MAX_FONTS: usize = 1024;
/// Bytes of text held before they are decoded and handed on.
const FLUSH_AT: usize = 16 << 10;

/// Destinations that hold no text a reader sees.
const SKIPPED: &[&[u8]] = &[
    b"fonttbl",
    b"colortbl",
    b"stylesheet",
    b"listtable",
    b"listoverridetable",
    b"rsidtbl",
    b"pict",
    b"themedata",
    b"colorschememapping",
    b"datastore",
    b"latentstyles",
    b"xmlnstbl",
    b"generator",
    b"pgdsctbl",
    b"filetbl",
    b"revtbl",
    b"fontemb",
    b"fontfile",
    b"panose",
    b"bkmkstart",
    b"bkmkend",
];

/// What a group sets: kept per group, restored when it closes.
#[derive(Clone, Copy)]
struct GroupState {
    /// Not text: inside a skipped destination.
    skip: bool,
    /// Inside the font table: `\f` and `\fcharset` describe fonts.
    font_table: bool,
    /// Fallback characters after a `\uN` (`\ucN`).
    uc: u32,
    /// The paragraph is in a table cell (`\intbl`): its end is a space,
    /// the cell's end a tab, the row's a line end.
    in_table: bool,
    /// The encoding of `\'xx` bytes and 8-bit text here.
    encoding: &'static Encoding,
}

/// The text of an RTF stream, as a reader of UTF-8.
pub struct RtfText<R> {
    input: R,
    groups: Vec<GroupState>,
    /// Groups opened past [`MAX_GROUPS`], not on the stack.
    overflow: usize,
    state: GroupState,
    /// The document's code page (`\ansicpgN`).
    default_encoding: &'static Encoding,
    /// Font number → charset encoding, from the font table.
    fonts: Vec<(i32, &'static Encoding)>,
    /// The font being described in the font table.
    font_in_table: i32,
    /// 8-bit text not yet decoded.
    pending: Vec<u8>,
    /// Fallback characters still to skip after a `\uN`.
    skip_chars: u32,
    /// A high surrogate waiting for its low half.
    high_surrogate: Option<u16>,
    /// Whether the next control word starts a destination (`{\*\...`)
    /// or opens a group (`{\pict`).
    group_start: bool,
    starred: bool,
    /// Embedded OLE objects seen (not read).
    pub objects: u64,
    /// The table being read (its header, its current column).
    rows: table::Rows,
    /// A table row has ended and no text outside `\intbl` has come since.
    in_rows: bool,
    /// The current cell's key is written (its text has started).
    cell_open: bool,
    out: Vec<u8>,
    pos: usize,
    done: bool,
}

impl<R: BufRead> RtfText<R> {
    /// Reads the RTF document `input`.
    pub fn new(input: R) -> RtfText<R> {
        let state = GroupState {
            skip: false,
            font_table: false,
            uc: 1,
            in_table: false,
            encoding: WINDOWS_1252,
        };
        RtfText {
            input,
            groups: Vec::new(),
            overflow: 0,
            state,
            default_encoding: WINDOWS_1252,
            fonts: Vec::new(),
            font_in_table: 0,
            pending: Vec::new(),
            skip_chars: 0,
            high_surrogate: None,
            group_start: false,
            starred: false,
            objects: 0,
            rows: table::Rows::default(),
            in_rows: false,
            cell_open: false,
            out: Vec::new(),
            pos: 0,
            done: false,
        }
    }

    fn next_byte(&mut self) -> io::Result<Option<u8>> {
        let buf = self.input.fill_buf()?;
        let Some(&b) = buf.first() else {
            return Ok(None);
        };
        self.input.consume(1);
        Ok(Some(b))
    }

    fn peek(&mut self) -> io::Result<Option<u8>> {
        Ok(self.input.fill_buf()?.first().copied())
    }

    /// Text bytes in the current encoding (a literal character or `\'xx`).
    fn text_byte(&mut self, b: u8) {
        if self.state.skip {
            return;
        }
        if self.skip_chars > 0 {
            self.skip_chars -= 1;
            return;
        }
        self.pending.push(b);
    }

    /// Decodes the 8-bit text held so far into the output.
    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        self.text_starts();
        let (text, _) = self
            .state
            .encoding
            .decode_without_bom_handling(&self.pending);
        let text = text.as_bytes();
        self.out.extend_from_slice(text);
        if self.cell_open {
            self.rows.text(text);
        }
        self.pending.clear();
    }

    /// Text is about to be written: in a table cell, the cell's key comes
    /// first; outside `\intbl`, a table that was being read has ended.
    fn text_starts(&mut self) {
        if !self.state.in_table {
            if std::mem::take(&mut self.in_rows) {
                self.rows = table::Rows::default();
            }
        } else if !self.cell_open {
            self.cell_open = true;
            self.rows.start_cell(&mut self.out);
        }
    }

    fn push_str(&mut self, s: &str) {
        if self.state.skip {
            return;
        }
        self.flush();
        self.text_starts();
        self.out.extend_from_slice(s.as_bytes());
        if self.cell_open {
            self.rows.text(s.as_bytes());
        }
    }

    /// `\cell`: the cell ends (its key is written if it had no text).
    fn end_cell(&mut self) {
        if self.state.skip {
            return;
        }
        self.flush();
        if !self.cell_open {
            self.rows.start_cell(&mut self.out);
        }
        self.cell_open = false;
        self.rows.end_cell(1);
        self.out.push(b'\t');
    }

    /// `\row`: the row ends; the first decides the table's header.
    fn end_row(&mut self) {
        if self.state.skip {
            return;
        }
        self.flush();
        self.cell_open = false;
        self.rows.end_row();
        self.in_rows = true;
        self.out.push(b'\n');
    }

    fn open_group(&mut self) {
        self.flush();
        if self.groups.len() < MAX_GROUPS {
            self.groups.push(self.state);
        } else {
            self.overflow += 1;
        }
        self.group_start = true;
    }

    fn close_group(&mut self) {
        self.flush();
        if self.overflow > 0 {
            self.overflow -= 1;
        } else if let Some(s) = self.groups.pop() {
            self.state = s;
        }
        self.skip_chars = 0;
    }

    /// A `\uN` character (N signed 16-bit, surrogates paired).
    fn unicode(&mut self, n: i32) {
        let unit = (n & 0xFFFF) as u16;
        self.skip_chars = self.state.uc;
        if self.state.skip {
            return;
        }
        let c = match (self.high_surrogate.take(), unit) {
            (None, 0xD800..=0xDBFF) => {
                self.high_surrogate = Some(unit);
                return;
            }
            (Some(hi), 0xDC00..=0xDFFF) => {
                char::decode_utf16([hi, unit]).next().and_then(|r| r.ok())
            }
            (_, u) => char::from_u32(u32::from(u)),
        };
        let mut buf = [0u8; 4];
        let s = c.unwrap_or('\u{FFFD}').encode_utf8(&mut buf);
        self.flush();
        self.text_starts();
        self.out.extend_from_slice(s.as_bytes());
        if self.cell_open {
            self.rows.text(s.as_bytes());
        }
    }

    /// Reads a control word's name and parameter after its backslash.
    fn control_word(&mut self, first: u8) -> io::Result<()> {
        let mut name = [0u8; 32];
        let mut len = 0;
        name[0] = first;
        len += 1;
        while let Some(b) = self.peek()? {
            if !b.is_ascii_alphabetic() {
                break;
            }
            self.input.consume(1);
            if len < name.len() {
                name[len] = b;
                len += 1;
            }
        }
        let mut param: Option<i64> = None;
        let mut negative = false;
        if self.peek()? == Some(b'-') {
            self.input.consume(1);
            negative = true;
        }
        while let Some(b) = self.peek()? {
            if !b.is_ascii_digit() {
                break;
            }
            self.input.consume(1);
            let d = i64::from(b - b'0');
            param = Some((param.unwrap_or(0) * 10 + d).min(1 << 40));
        }
        if negative {
            param = param.map(|p| -p);
        }
        // one space after a control word belongs to it
        if self.peek()? == Some(b' ') {
            self.input.consume(1);
        }
        self.apply(&name[..len], param)
    }

    fn apply(&mut self, word: &[u8], param: Option<i64>) -> io::Result<()> {
        let starts_group = std::mem::take(&mut self.group_start);
        let starred = std::mem::take(&mut self.starred);
        if starts_group && (starred || SKIPPED.contains(&word)) {
            self.flush();
            self.state.skip = true;
            if word == b"fonttbl" {
                self.state.font_table = true;
            }
        }
        if word == b"objdata" {
            self.objects += 1;
            self.flush();
            self.state.skip = true;
        }
        let p = param.unwrap_or(0);
        match word {
            b"par" | b"line" if self.state.in_table => self.push_str(" "),
            b"par" | b"line" | b"sect" | b"page" | b"lbr" => self.push_str("\n"),
            b"row" => self.end_row(),
            b"intbl" => self.state.in_table = true,
            b"pard" => self.state.in_table = false,
            b"cell" => self.end_cell(),
            b"tab" | b"nestcell" => self.push_str("\t"),
            b"emdash" => self.push_str("—"),
            b"endash" => self.push_str("–"),
            b"lquote" | b"rquote" => self.push_str("'"),
            b"ldblquote" | b"rdblquote" => self.push_str("\""),
            b"bullet" => self.push_str("•"),
            b"u" => self.unicode(p as i32),
            b"uc" => self.state.uc = p.clamp(0, 8) as u32,
            b"ansicpg" => {
                self.default_encoding = code_page(p);
                self.state.encoding = self.default_encoding;
            }
            b"f" if self.state.font_table => self.font_in_table = p as i32,
            b"fcharset" if self.state.font_table => {
                if let Some(enc) = charset(p) {
                    if self.fonts.len() < MAX_FONTS {
                        self.fonts.push((self.font_in_table, enc));
                    }
                }
            }
            b"f" => {
                self.flush();
                self.state.encoding = self
                    .fonts
                    .iter()
                    .rev()
                    .find(|(n, _)| i64::from(*n) == p)
                    .map_or(self.default_encoding, |(_, e)| e);
            }
            b"bin" => {
                // raw binary data: skipped, never decoded as text
                let n = p.max(0) as u64;
                io::copy(&mut (&mut self.input).take(n), &mut io::sink())?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Whether the document ended (read to its last byte) with groups
    /// still open: RTF closes every group it opens, so the file was cut.
    pub fn cut_short(&self) -> bool {
        self.done && (!self.groups.is_empty() || self.overflow > 0)
    }

    /// Reads until some text is out or the stream ends.
    fn produce(&mut self) -> io::Result<()> {
        while self.out.len() < FLUSH_AT {
            let Some(b) = self.next_byte()? else {
                self.flush();
                self.done = true;
                return Ok(());
            };
            match b {
                b'{' => self.open_group(),
                b'}' => self.close_group(),
                b'\\' => self.escape()?,
                b'\r' | b'\n' => {}
                _ => {
                    self.group_start = false;
                    self.text_byte(b);
                }
            }
            if self.pending.len() >= FLUSH_AT {
                self.flush();
            }
            if !self.out.is_empty() && self.pending.is_empty() {
                return Ok(());
            }
        }
        Ok(())
    }

    /// After a backslash: a control word, `\'xx`, or a control symbol.
    fn escape(&mut self) -> io::Result<()> {
        let Some(b) = self.next_byte()? else {
            return Ok(());
        };
        match b {
            b'a'..=b'z' | b'A'..=b'Z' => return self.control_word(b),
            b'\'' => {
                let hi = self.next_byte()?;
                let lo = self.next_byte()?;
                if let (Some(hi), Some(lo)) = (hi, lo) {
                    if let (Some(h), Some(l)) = (hex(hi), hex(lo)) {
                        self.text_byte(h << 4 | l);
                    }
                }
            }
            b'*' => {
                self.starred = true;
                return Ok(()); // the destination's word follows
            }
            b'\\' | b'{' | b'}' => self.text_byte(b),
            b'~' => self.push_str(" "),
            b'_' => self.push_str("-"),
            b'\r' | b'\n' => self.push_str("\n"), // `\` + line end is \par
            _ => {}                               // `\-` optional hyphen, `\:` and others
        }
        self.group_start = false;
        Ok(())
    }
}

impl<R: BufRead> Read for RtfText<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.out.len() {
            if self.done {
                return Ok(0);
            }
            self.out.clear();
            self.pos = 0;
            self.produce()?;
        }
        // what is left of the made text, as a slice reads it
        let n = (&self.out[self.pos..]).read(buf)?;
        self.pos += n;
        Ok(n)
    }
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// The encoding of a Windows code page (`\ansicpgN`); Windows-1252 for one
/// encoding_rs does not know.
fn code_page(cp: i64) -> &'static Encoding {
    match cp {
        932 => SHIFT_JIS,
        _ => Encoding::for_label(format!("windows-{cp}").as_bytes())
            .or_else(|| Encoding::for_label(format!("cp{cp}").as_bytes()))
            .unwrap_or(WINDOWS_1252),
    }
}

/// The encoding of a font charset (`\fcharsetN`); `None` for charsets
/// that are not a code page (symbol fonts: their bytes are not text).
fn charset(n: i64) -> Option<&'static Encoding> {
    let cp = match n {
        0 | 1 => 1252,
        128 => 932,
        129 => 949,
        134 => 936,
        136 => 950,
        161 => 1253,
        162 => 1254,
        163 => 1258,
        177 => 1255,
        178 => 1256,
        186 => 1257,
        204 => 1251,
        222 => 874,
        238 => 1250,
        _ => return None,
    };
    Some(code_page(cp))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(rtf: &[u8]) -> String {
        let mut out = String::new();
        RtfText::new(rtf).read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn code_page_escapes_and_unicode_escapes_decode() {
        let rtf = br"{\rtf1\ansi\ansicpg932\deff0{\fonttbl{\f0\fnil\fcharset128 MS Gothic;}}
\pard\f0\fs21 \'8c\'c2\'90\'6c\'94\'d4\'8d\'86\uc1 : 998508343591\par
\pard \u12510?\u12452?\u12490?\u12531?\u12496?\u12540? 835040853132\par
}";
        assert_eq!(
            text(rtf),
            "個人番号: 998508343591\nマイナンバー 835040853132\n"
        );
    }

    #[test]
    fn trail_bytes_written_as_plain_characters_join_their_lead_byte() {
        // Word writes a Shift_JIS trail byte below 0x80 as itself: ソ is 83 5C
        assert_eq!(text(br"{\rtf1\ansicpg932 \'83\\ \'83T}"), "ソ サ");
    }

    #[test]
    fn tables_fonts_pictures_and_objects() {
        let rtf = br"{\rtf1\ansi{\fonttbl{\f0 Arial;}}{\colortbl;\red0;}
{\*\generator Writer;}{\pict\pngblip 89504e470d0a1a0a0000000d}
\trowd\cellx1000\cellx2000 {\pard\intbl a\par x\cell}{\pard\intbl b\cell}\row
{\object{\*\objdata 01050000020000000b000000}}end}";
        let mut r = RtfText::new(&rtf[..]);
        let mut out = String::new();
        r.read_to_string(&mut out).unwrap();
        assert_eq!(out, "a x\tb\t\nend");
        assert_eq!(r.objects, 1);
    }

    #[test]
    fn rows_below_a_header_row_are_keyed_until_the_table_ends() {
        let row = |cells: &[&str]| {
            let cells: String = cells
                .iter()
                .map(|c| format!("\\pard\\intbl {{{c}}}\\cell "))
                .collect();
            format!("\\trowd\\cellx1\\cellx2\\cellx3 {cells}\\row ")
        };
        let rtf = format!(
            "{{\\rtf1\\ansi {}{}\\pard after\\par {}}}",
            row(&["id", "name", "my_number"]),
            row(&["E1", "A B", "N1"]),
            row(&["x", "y", "z"]),
        );
        assert_eq!(
            text(rtf.as_bytes()),
            "id\tname\tmy_number\t\n\
             \"id\": E1\t\"name\": A B\t\"my_number\": N1\t\n\
             after\nx\ty\tz\t\n"
        );
    }

    #[test]
    fn surrogate_pairs_and_deep_groups() {
        assert_eq!(text(br"{\rtf1\uc1\u-10179?\u-8704? x}"), "\u{1F600} x");
        let deep = [b"{".repeat(100_000), b"x".to_vec(), b"}".repeat(100_000)].concat();
        assert_eq!(text(&deep), "x");
    }
}
