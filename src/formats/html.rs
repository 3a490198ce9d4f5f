//! HTML: the file's own text, with each data cell of a table that has a
//! header row annotated with its column's header (`<td>"個人番号": …</td>`,
//! see [`super::table`]), so the header applies to its column however many
//! rows follow. Nothing is removed or reordered: scripts, comments,
//! attribute values (`<input value=…>`, `<meta content=…>`) are scanned as
//! a raw scan of the file would, and every line keeps its number (a
//! finding's column and byte offset count the inserted keys). The key is
//! written right before the cell's first text, inside the tags that wrap
//! it (LibreOffice writes `<td><p><font>value</font></p></td>`, and its
//! header row in `td` cells). A row whose cells each hold one digit (a
//! number written one digit a box, as on a form) has its digits written
//! whole after its end tag.
//!
//! Why not an HTML parser crate (html5gum, html5ever): a parser hands back
//! tokens, not the source, so the text would have to be rebuilt — attribute
//! values, scripts and comments re-rendered, line numbers lost — to annotate
//! a few tags. This reader only recognises tags (`<`…`>` with quoted
//! attribute values), comments and raw-text elements, and passes every byte
//! through; a malformed document is still passed through whole, at worst
//! without keys. Memory: a 64 KiB input window, one tag of at most
//! [`MAX_TAG`] bytes (a longer one is passed on as text) and at most
//! [`MAX_TABLES`] nested tables' headers ([`super::table`] bounds each).

use std::io::{self, Read};

use super::table::{self, Columns};
use super::{Format, Scope};

/// HTML, by name or by its first tag.
pub(crate) static HTML: Format = Format {
    name: "html",
    sniff,
    file_checks: true,
    read,
};

/// The longest tag held to be read; a longer one is text.
pub const MAX_TAG: usize = 4096;
/// Nested tables whose header is followed; deeper ones get no keys.
pub const MAX_TABLES: usize = 16;
/// Rows of a table looked at for its header (a title row of one cell may
/// come first).
const HEADER_TRIES: usize = 3;

fn sniff(head: &[u8], path: &str) -> bool {
    if super::table::has_extension(path, &[".html", ".htm", ".xhtml", ".shtml"]) {
        return true;
    }
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace());
    let Some(rest) = start.map(|i| &head[i..]) else {
        return false;
    };
    let starts = |p: &[u8]| rest.len() >= p.len() && rest[..p.len()].eq_ignore_ascii_case(p);
    starts(b"<!doctype html") || starts(b"<html")
}

fn read(scope: &mut Scope<'_, '_, '_>, r: &mut dyn Read) -> io::Result<()> {
    let mut counted = Counted { inner: r, n: 0 };
    let mut annotated = Annotated::new(&mut counted);
    scope.text(&mut annotated);
    drop(annotated);
    scope.set_bytes(counted.n);
    Ok(())
}

/// Counts the bytes read through it (the file's, not the annotated text's).
struct Counted<'a> {
    inner: &'a mut dyn Read,
    n: u64,
}

impl Read for Counted<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.n += n as u64;
        Ok(n)
    }
}

/// Where the reader is in the markup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Text between tags.
    Text,
    /// Inside `<`…`>`; `Some(q)` inside an attribute value quoted by `q`.
    Tag(Option<u8>),
    /// Inside `<!--`…`-->`, after so many `-` in a row.
    Comment(u8),
}

/// One open table.
#[derive(Debug, Default)]
struct Table {
    /// Its header, once its first row is read (`None` before, or if that
    /// row was no header).
    columns: Option<Columns>,
    /// Whether looking for the header is over.
    decided: bool,
    /// Rows seen while looking for the header.
    tries: usize,
    /// The row being collected as a header candidate: its cells' text.
    cells: Vec<Vec<u8>>,
    /// Whether every cell of that row is a `th`.
    all_th: bool,
    /// Cells of that row as written (`cells` repeats a spanning one).
    written: usize,
    /// The column the open cell starts at, and how many it spans.
    cell: Option<(usize, usize)>,
    /// The next free column of the row.
    col: usize,
    /// The digits of the row so far while each of its cells holds one
    /// digit and nothing else (a number written one digit a box, as on a
    /// form); `None` once one does not.
    boxes: Option<Vec<u8>>,
    /// The open cell's bytes other than blanks (the first two).
    cell_text: Vec<u8>,
}

/// The HTML text with table cells annotated, as a reader.
pub struct Annotated<R> {
    inner: R,
    input: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
    eof: bool,
    state: State,
    tag: Vec<u8>,
    /// Inside `script` or `style`: the tag name that ends it.
    raw_text: Option<&'static [u8]>,
    tables: Vec<Table>,
    /// Tables open beyond [`MAX_TABLES`].
    deeper: usize,
    /// The text of a cell in a My Number column, held until its end (at
    /// most [`MAX_PENDING`] bytes) to give a value of 11 or 10 digits its
    /// leading zeros back, as a spreadsheet export drops them.
    pending: Option<Vec<u8>>,
    /// The start of a character reference cut by a read (`&am`), held for
    /// the rest.
    carry: Vec<u8>,
    /// The key of the open cell, written right before its first text (not
    /// after its tag: LibreOffice writes `<td><p><font>` before a value,
    /// and a tag between key and value would hide the key), and whether
    /// its column holds My Numbers.
    due: Option<(Vec<u8>, bool)>,
}

/// The most of a My Number cell's text held to repair it.
const MAX_PENDING: usize = 64;

impl<R: Read> Annotated<R> {
    /// Annotates the HTML `inner` reads.
    pub fn new(inner: R) -> Annotated<R> {
        Annotated {
            inner,
            input: vec![0; 64 << 10],
            out: Vec::new(),
            pos: 0,
            eof: false,
            state: State::Text,
            tag: Vec::new(),
            raw_text: None,
            tables: Vec::new(),
            deeper: 0,
            pending: None,
            carry: Vec::new(),
            due: None,
        }
    }

    /// Writes a held My Number cell's text, with its leading zeros back
    /// before 11 or 10 digits (the detector keeps it only if its check
    /// digit is then valid).
    fn flush_pending(&mut self) {
        let carry = std::mem::take(&mut self.carry);
        let Some(mut held) = self.pending.take() else {
            self.out.extend_from_slice(&carry);
            return;
        };
        held.extend_from_slice(&carry);
        let digits = held.trim_ascii();
        if (10..=11).contains(&digits.len()) && digits.iter().all(u8::is_ascii_digit) {
            let at = held.len() - held.trim_ascii_start().len();
            self.out.extend_from_slice(&held[..at]);
            self.out.extend_from_slice(&b"00"[..12 - digits.len()]);
            self.out.extend_from_slice(&held[at..]);
        } else {
            self.out.extend_from_slice(&held);
        }
    }

    fn process(&mut self, n: usize) {
        let input = std::mem::take(&mut self.input);
        let mut i = 0;
        while i < n {
            match self.state {
                State::Text => {
                    let rest = &input[i..n];
                    let lt = memchr::memchr(b'<', rest).unwrap_or(rest.len());
                    self.text(&rest[..lt]);
                    i += lt;
                    if i < n {
                        self.state = State::Tag(None);
                        self.tag.clear();
                        self.tag.push(b'<');
                        i += 1;
                    }
                }
                State::Comment(dashes) => {
                    let b = input[i];
                    self.out.push(b);
                    i += 1;
                    self.state = match b {
                        b'>' if dashes >= 2 => State::Text,
                        b'-' => State::Comment(dashes.saturating_add(1)),
                        _ => State::Comment(0),
                    };
                }
                State::Tag(quote) => {
                    let b = input[i];
                    i += 1;
                    self.tag.push(b);
                    match (quote, b) {
                        (Some(q), b) if b == q => self.state = State::Tag(None),
                        (Some(_), _) => {}
                        (None, b'"' | b'\'') if self.tag.len() > 2 => {
                            self.state = State::Tag(Some(b));
                        }
                        (None, b'>') => {
                            self.state = State::Text;
                            self.end_tag();
                        }
                        (None, b'<') => {
                            // not a tag after all: text, and a new tag
                            self.tag.pop();
                            let text = std::mem::take(&mut self.tag);
                            self.text(&text);
                            self.tag = text;
                            self.tag.clear();
                            self.tag.push(b'<');
                        }
                        _ => {}
                    }
                    if self.tag.len() == 2 && !(b.is_ascii_alphabetic() || b == b'/' || b == b'!') {
                        // `a < b`: no tag
                        let text = std::mem::take(&mut self.tag);
                        self.text(&text);
                        self.tag = text;
                        self.tag.clear();
                        self.state = State::Text;
                    } else if self.tag == b"<!--" {
                        self.out.extend_from_slice(&self.tag);
                        self.tag.clear();
                        self.state = State::Comment(0);
                    } else if self.tag.len() > MAX_TAG {
                        let text = std::mem::take(&mut self.tag);
                        self.out.extend_from_slice(&text);
                        self.tag = text;
                        self.state = State::Text;
                    }
                }
            }
        }
        self.input = input;
    }

    /// Text between tags: passed on, and collected if it is a header
    /// candidate's.
    fn text(&mut self, text: &[u8]) {
        let keyed = self.raw_text.is_none()
            && self.deeper == 0
            && self
                .tables
                .last()
                .is_some_and(|t| t.decided && t.columns.is_some() && t.cell.is_some());
        if !keyed {
            self.out.extend_from_slice(text);
        } else {
            // a data cell's text as it reads (`&amp;` is `&`)
            let mut whole = std::mem::take(&mut self.carry);
            whole.extend_from_slice(text);
            let cut = whole.len().saturating_sub(11);
            if let Some(amp) = memchr::memrchr(b'&', &whole[cut..]) {
                if !whole[cut + amp..].contains(&b';') {
                    self.carry = whole.split_off(cut + amp);
                }
            }
            let decoded = decode_entities(&whole);
            let mut decoded = decoded.as_slice();
            if let Some((key, my_number)) = self.due.take() {
                // the key goes after the cell's leading blanks, right
                // before its first text
                let text = decoded.trim_ascii_start();
                self.out
                    .extend_from_slice(&decoded[..decoded.len() - text.len()]);
                if text.is_empty() {
                    self.due = Some((key, my_number));
                } else {
                    self.out.extend_from_slice(&key);
                    if my_number {
                        self.pending = Some(Vec::new());
                    }
                }
                decoded = text;
            }
            match &mut self.pending {
                Some(held) if held.len() + decoded.len() <= MAX_PENDING => {
                    held.extend_from_slice(decoded);
                }
                Some(_) => {
                    self.flush_pending();
                    self.out.extend_from_slice(decoded);
                }
                None => self.out.extend_from_slice(decoded),
            }
        }
        if self.raw_text.is_some() {
            return;
        }
        if let Some(t) = self.tables.last_mut().filter(|t| t.cell.is_some()) {
            let room = 2usize.saturating_sub(t.cell_text.len());
            let shown = text.iter().filter(|b| !b.is_ascii_whitespace()).take(room);
            t.cell_text.extend(shown);
        }
        if let Some(t) = self.tables.last_mut() {
            if let (false, Some((_, _))) = (t.decided, t.cell) {
                if let Some(cell) = t.cells.last_mut() {
                    table::collect(cell, text);
                }
            }
        }
    }

    /// A whole tag has been read into `self.tag`: pass it on and act on it.
    fn end_tag(&mut self) {
        self.flush_pending();
        let tag = std::mem::take(&mut self.tag);
        let tag_at = self.out.len();
        self.out.extend_from_slice(&tag);
        let body = &tag[1..tag.len() - 1];
        let (closing, body) = match body.strip_prefix(b"/") {
            Some(b) => (true, b),
            None => (false, body),
        };
        let name_len = body
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
            .unwrap_or(body.len());
        let name = body[..name_len].to_ascii_lowercase();
        if let Some(end) = self.raw_text {
            if closing && name == end {
                self.raw_text = None;
            }
        } else if let Some(key) = self.act(&name, closing, &body[name_len..]) {
            // LibreOffice writes a cell's number again as its `sdval`
            // attribute: it gets the same key as the cell's text
            let lower = tag.to_ascii_lowercase();
            if let Some(at) = memchr::memmem::find(&lower, b"sdval=\"") {
                let at = tag_at + at + b"sdval=\"".len();
                self.out.splice(at..at, key.iter().copied());
            }
        }
        self.tag = tag;
        self.tag.clear();
    }

    /// Writes the digits of a row of one-digit cells after its end, apart
    /// by a space, so that the number reads whole.
    fn write_boxes(&mut self, digits: Option<Vec<u8>>) {
        if let Some(digits) = digits {
            self.out.push(b' ');
            self.out.extend_from_slice(&digits);
        }
    }

    /// Acts on a tag; a cell of a table with a header gets its key made
    /// due (written before the cell's first text), and returned.
    fn act(&mut self, name: &[u8], closing: bool, attributes: &[u8]) -> Option<Vec<u8>> {
        if matches!(name, b"td" | b"th" | b"tr" | b"table") {
            // a cell that ends without text gets no key
            self.due = None;
        }
        match (name, closing) {
            (b"script", false) => self.raw_text = Some(b"script"),
            (b"style", false) => self.raw_text = Some(b"style"),
            (b"table", false) => {
                if self.tables.len() < MAX_TABLES {
                    self.tables.push(Table::default());
                } else {
                    self.deeper += 1;
                }
            }
            (b"table", true) => {
                if self.deeper > 0 {
                    self.deeper -= 1;
                } else if let Some(mut t) = self.tables.pop() {
                    self.write_boxes(end_row(&mut t));
                }
            }
            _ if self.deeper > 0 => {}
            (b"tr", _) => {
                if let Some(t) = self.tables.last_mut() {
                    let digits = end_row(t);
                    self.write_boxes(digits);
                }
            }
            (b"td" | b"th", false) => {
                let span = colspan(attributes);
                let t = self.tables.last_mut()?;
                end_cell(t);
                t.cell = Some((t.col, span));
                if t.decided {
                    let columns = t.columns.as_ref()?;
                    let mut key = Vec::new();
                    columns.write_key(t.col, &mut key);
                    let header = columns.key(t.col).unwrap_or_default();
                    let my_number =
                        crate::detect::my_number::names_my_number(&String::from_utf8_lossy(header));
                    self.due = Some((key.clone(), my_number));
                    return Some(key);
                } else {
                    let th = name == b"th";
                    t.all_th = th && (t.all_th || t.cells.is_empty());
                    if t.cells.len() < table::MAX_COLUMNS {
                        t.cells.push(Vec::new());
                    }
                    t.written += 1;
                }
            }
            (b"td" | b"th", true) => {
                if let Some(t) = self.tables.last_mut() {
                    end_cell(t);
                }
            }
            _ => {}
        }
        None
    }
}

/// The fewest and most one-digit cells of a row read as one number
/// (a My Number is 12 digits, a corporate number 13, a card 14 to 19).
const BOXES: std::ops::RangeInclusive<usize> = 10..=19;

/// Closes the open cell of `t`, if any.
fn end_cell(t: &mut Table) {
    if t.cell.is_some() {
        let text = std::mem::take(&mut t.cell_text);
        t.boxes = match (t.boxes.take(), text.as_slice()) {
            (Some(mut digits), &[d]) if d.is_ascii_digit() && digits.len() < *BOXES.end() => {
                digits.push(d);
                Some(digits)
            }
            _ => None,
        };
    }
    if let Some((col, span)) = t.cell.take() {
        if !t.decided {
            // a header cell spanning columns names each of them
            if let Some(text) = t.cells.last().cloned() {
                let room = table::MAX_COLUMNS.saturating_sub(t.cells.len());
                for _ in 1..span.min(room + 1) {
                    t.cells.push(text.clone());
                }
            }
        }
        t.col = col + span;
    }
}

/// Closes the row of `t`: a header candidate is decided. Returns the
/// row's digits if each of its cells (at least [`BOXES`]) held one.
fn end_row(t: &mut Table) -> Option<Vec<u8>> {
    end_cell(t);
    t.col = 0;
    let boxes = t
        .boxes
        .replace(Vec::new())
        .filter(|digits| BOXES.contains(&digits.len()));
    if t.decided || t.cells.is_empty() {
        return boxes;
    }
    t.tries += 1;
    let written = std::mem::take(&mut t.written);
    let cells = std::mem::take(&mut t.cells);
    let cells: Vec<Vec<u8>> = cells.iter().map(|c| decode_entities(c)).collect();
    if written >= 2 || t.tries >= HEADER_TRIES {
        t.columns = Columns::from_row(&cells, t.all_th);
        t.decided = true;
    }
    boxes
}

/// The `colspan` of a cell's attributes (1 without one; at most
/// [`table::MAX_COLUMNS`]).
fn colspan(attributes: &[u8]) -> usize {
    let lower = attributes.to_ascii_lowercase();
    let Some(at) = memchr::memmem::find(&lower, b"colspan") else {
        return 1;
    };
    let digits: Vec<u8> = lower[at + 7..]
        .iter()
        .skip_while(|b| matches!(b, b' ' | b'=' | b'"' | b'\''))
        .take_while(|b| b.is_ascii_digit())
        .copied()
        .collect();
    std::str::from_utf8(&digits)
        .ok()
        .and_then(|d| d.parse::<usize>().ok())
        .map_or(1, |n| n.clamp(1, table::MAX_COLUMNS))
}

/// A header cell's text with its character references decoded
/// (`&amp;`, `&#20491;`, `&#x500B;`, `&nbsp;`); others are kept as written.
fn decode_entities(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if text[i] == b'&' {
            let end = text[i..].iter().take(12).position(|&b| b == b';');
            if let Some(end) = end {
                let name = &text[i + 1..i + end];
                let ch = match name {
                    b"amp" => Some('&'),
                    b"lt" => Some('<'),
                    b"gt" => Some('>'),
                    b"quot" => Some('"'),
                    b"apos" => Some('\''),
                    b"nbsp" => Some(' '),
                    [b'#', b'x' | b'X', hex @ ..] => std::str::from_utf8(hex)
                        .ok()
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .and_then(char::from_u32),
                    [b'#', dec @ ..] => std::str::from_utf8(dec)
                        .ok()
                        .and_then(|d| d.parse::<u32>().ok())
                        .and_then(char::from_u32),
                    _ => None,
                };
                if let Some(ch) = ch {
                    let mut utf8 = [0; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut utf8).as_bytes());
                    i += end + 1;
                    continue;
                }
            }
        }
        out.push(text[i]);
        i += 1;
    }
    out
}

impl<R: Read> Read for Annotated<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.out.len() {
            if self.eof {
                return Ok(0);
            }
            self.out.clear();
            self.pos = 0;
            let n = loop {
                match self.inner.read(&mut self.input) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            };
            if n == 0 {
                self.eof = true;
                self.flush_pending();
                // an unfinished tag at the end is text
                let tag = std::mem::take(&mut self.tag);
                self.out.extend_from_slice(&tag);
            } else {
                self.process(n);
            }
        }
        // what is left of the made text, as a slice reads it
        let n = (&self.out[self.pos..]).read(buf)?;
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn annotate(html: &str, read_size: usize) -> String {
        /// Gives at most `1` bytes a read: tags cut anywhere.
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = buf.len().min(self.1).min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut out = String::new();
        Annotated::new(Trickle(html.as_bytes(), read_size))
            .read_to_string(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn data_cells_get_their_header_and_nothing_is_lost() {
        let html = "<table><thead><tr><th>氏名</th><th colspan=2>個人&#30058;号</th>\
            <th>x</th></tr></thead>\n<!-- <td>not a cell</td> -->\
            <tr><td class=\"a>b\">佐藤</td><td>1</td><td>2</td><td>3</td><td>4</td></tr>\n\
            <script>var t = '<td>';</script><tr><td>鈴木</td></tr></table>\
            <table><tr><td>123456789018</td><td>x</td></tr><tr><td>5</td></tr></table>";
        let want = "<table><thead><tr><th>氏名</th><th colspan=2>個人&#30058;号</th>\
            <th>x</th></tr></thead>\n<!-- <td>not a cell</td> -->\
            <tr><td class=\"a>b\">\"氏名\": 佐藤</td><td>\"個人番号\": 1</td>\
            <td>\"個人番号\": 2</td><td>\"x\": 3</td><td>4</td></tr>\n\
            <script>var t = '<td>';</script><tr><td>\"氏名\": 鈴木</td></tr></table>\
            <table><tr><td>123456789018</td><td>x</td></tr><tr><td>5</td></tr></table>";
        for size in [1, 3, 7, 1 << 16] {
            assert_eq!(annotate(html, size), want, "reads of {size}");
        }
    }

    #[test]
    fn a_title_row_is_skipped_and_nested_tables_have_their_own_header() {
        let html = "<table><tr><th colspan=2>名簿</th></tr><tr><td>氏名</td><td>個人番号</td><td>部署</td></tr>\
            <tr><td><table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table></td>\
            <td>9</td></tr></table>";
        let out = annotate(html, 5);
        assert!(out.contains("<td>\"a\": 1</td><td>\"b\": 2</td>"), "{out}");
        assert!(
            out.contains("</table></td>\n<td>\"個人番号\": 9</td>")
                || out.contains("</table></td><td>\"個人番号\": 9</td>"),
            "{out}"
        );
    }

    #[test]
    fn cells_read_as_text_and_my_numbers_get_their_zero_back() {
        let html = "<table><tr><th>個人番号</th><th>パスワード</th></tr>\
            <tr><td> 23456789013 </td><td>a&amp;b&#33;</td></tr>\
            <tr><td>123</td><td>&lt;x&gt;</td></tr><tr><td>2345678901</td></tr></table>";
        let want = "<table><tr><th>個人番号</th><th>パスワード</th></tr>\
            <tr><td> \"個人番号\": 023456789013 </td><td>\"パスワード\": a&b!</td></tr>\
            <tr><td>\"個人番号\": 123</td><td>\"パスワード\": <x></td></tr>\
            <tr><td>\"個人番号\": 002345678901</td></tr></table>";
        for size in [1, 4, 1 << 16] {
            assert_eq!(annotate(html, size), want, "reads of {size}");
        }
    }

    /// LibreOffice's HTML: a header row of `td` cells, and each cell's
    /// text inside `<p>` and `<font>` on a line of its own.
    #[test]
    fn the_key_goes_right_before_a_cells_text_inside_its_tags() {
        let html = "<table><tr><td><p>\n\t<font>社員番号</font></p></td><td><p><font>個人番号</font></p></td>\
            <td><font>パスワード</font></td></tr>\n<tr><td><p>\n\tE1</p></td>\
            <td sdval=\"23456789013\"><p>\n\t<font>23456789013</font></p></td><td><font>a&amp;b</font></td></tr>\
            <tr><td></td><td><p> </p></td><td><b>x</b>y</td></tr></table>";
        let want = "<table><tr><td><p>\n\t<font>社員番号</font></p></td><td><p><font>個人番号</font></p></td>\
            <td><font>パスワード</font></td></tr>\n<tr><td><p>\n\t\"社員番号\": E1</p></td>\
            <td sdval=\"\"個人番号\": 23456789013\"><p>\n\t<font>\"個人番号\": 023456789013</font></p></td>\
            <td><font>\"パスワード\": a&b</font></td></tr>\
            <tr><td></td><td><p> </p></td><td><b>\"パスワード\": x</b>y</td></tr></table>";
        for size in [1, 5, 1 << 16] {
            assert_eq!(annotate(html, size), want, "reads of {size}");
        }
    }

    #[test]
    fn a_number_written_one_digit_a_cell_is_written_whole_after_its_row() {
        let boxes: String = "123456789018"
            .chars()
            .map(|d| format!("<td> {d} </td>"))
            .collect();
        let html = format!(
            "<p>個人番号</p><table class=box><tr>{boxes}</tr></table>\
             <table><tr><td>1</td><td>2</td><td>x</td><td>4</td><td>5</td><td>6</td><td>7</td>\
             <td>8</td><td>9</td><td>0</td><td>1</td></tr><tr><td>1</td><td>2</td></tr></table>"
        );
        for size in [1, 7, 1 << 16] {
            let out = annotate(&html, size);
            assert_eq!(out.matches("</tr> 123456789018").count(), 1, "{out}");
            // a row with another cell in it, or too few, is left alone
            assert_eq!(out.matches("</tr> ").count(), 1, "reads of {size}: {out}");
        }
    }

    #[test]
    fn sniffed_by_name_or_first_tag() {
        assert!(sniff(b"anything", "a/b.HTML"));
        assert!(sniff(b"\xEF\xBB\xBF\n <!DOCTYPE html>", "x"));
        assert!(sniff(b"<html lang=ja>", "x.txt"));
        assert!(!sniff(b"<?xml version='1.0'?><a/>", "x.xml"));
        assert!(!sniff(b"hello", "x.txt"));
    }
}
