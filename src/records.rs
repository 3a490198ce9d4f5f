//! Which lines of a CSV/TSV window continue a record. A quoted cell may hold
//! line ends (an address Excel wrapped onto two lines, a note), so a line is
//! not always a record, and a value's column counted from its line's start
//! is wrong on every line below such a cell. Mapped once per window of a
//! table file, in one pass over its quotes, delimiters and newlines; the
//! detectors ask it for the start of the record holding a value and walk
//! the window record by record.
//!
//! Quoting follows RFC 4180 as spreadsheets write it: a quote opens a
//! quoted cell only at the start of a cell (at the record's start or right
//! after the delimiter), `""` inside it is a quote, and the first other
//! quote closes it. A quoted cell holds at most [`MAX_LINES`] line ends and
//! [`MAX_BYTES`] bytes, and must close within the window: otherwise its
//! opening quote is taken for a stray one (a hand-written `"5 inch`, a cut
//! file) and the lines it held are records again, so one bad quote cannot
//! join the rest of a window into one record.

use std::cell::{Cell, RefCell};

use memchr::{memchr, memchr2, memrchr};

/// Most line ends one quoted cell may hold.
pub const MAX_LINES: usize = 16;

/// Most bytes one quoted cell may span.
pub const MAX_BYTES: usize = 16 << 10;

/// The lines of a window that continue the record of the line above,
/// mapped when first asked for (a window whose values need no column, such
/// as one without any candidate, never pays for the map).
#[derive(Debug, Default)]
pub struct Records {
    /// Where the window's records are known to start and the delimiter;
    /// `None` for a window that is no table.
    table: Option<(usize, u8)>,
    /// Whether `continued` is made for the current window.
    mapped: Cell<bool>,
    /// Starts of the lines (byte offsets in the window) that continue a
    /// record, ascending.
    continued: RefCell<Vec<usize>>,
}

impl Records {
    /// Starts a window of a table whose records are known to start at
    /// `from` (the table's first body line, or a later window's first whole
    /// line), with delimiter `delim`; the questions that follow must pass
    /// this window's bytes.
    pub fn set(&mut self, from: usize, delim: u8) {
        self.table = Some((from, delim));
        self.mapped.set(false);
    }

    /// Forgets the window (the next is no table).
    pub fn clear(&mut self) {
        self.table = None;
        self.mapped.set(false);
    }

    /// The starts of the continued lines of `buf`, mapped on first use.
    fn continued(&self, buf: &[u8]) -> std::cell::Ref<'_, Vec<usize>> {
        if !self.mapped.get() {
            let mut continued = self.continued.borrow_mut();
            continued.clear();
            if let Some((from, delim)) = self.table {
                map(&mut continued, buf, from, delim);
            }
            self.mapped.set(true);
        }
        self.continued.borrow()
    }

    /// Whether the line starting at `line_start` of `buf` continues the
    /// record of the line above.
    pub fn continues(&self, buf: &[u8], line_start: usize) -> bool {
        self.table.is_some() && self.continued(buf).binary_search(&line_start).is_ok()
    }

    /// The start of the record holding the line that starts at
    /// `line_start` of `buf`.
    pub fn record_start(&self, buf: &[u8], mut line_start: usize) -> usize {
        while line_start > 0 && self.continues(buf, line_start) {
            line_start = memrchr(b'\n', &buf[..line_start - 1]).map_or(0, |i| i + 1);
        }
        line_start
    }

    /// The end (its line end, or `buf.len()`) of the record that starts
    /// at `start` of `buf`.
    pub fn record_end(&self, buf: &[u8], start: usize) -> usize {
        let mut end = memchr(b'\n', &buf[start..]).map_or(buf.len(), |i| start + i);
        while end < buf.len() && self.continues(buf, end + 1) {
            end = memchr(b'\n', &buf[end + 1..]).map_or(buf.len(), |i| end + 1 + i);
        }
        end
    }
}

/// Notes in `continued` the lines of `buf[from..]` that continue a record
/// (`from`: a record's start; `delim`: the delimiter). Only quotes matter
/// outside a quoted cell, so a window without one costs one search.
fn map(continued: &mut Vec<usize>, buf: &[u8], from: usize, delim: u8) {
    let from = from.min(buf.len());
    let mut at = from;
    while let Some(i) = memchr(b'"', &buf[at..]) {
        let quote = at + i;
        let opens = quote == from || buf[quote - 1] == b'\n' || buf[quote - 1] == delim;
        at = if opens {
            match quoted_cell(continued, buf, quote) {
                Some(next) => next,
                None => break,
            }
        } else {
            quote + 1
        };
    }
}

/// Follows the quoted cell opened by the quote at `quote` of `buf`, noting
/// the lines it continues; gives where to go on from (after its closing
/// quote, or after the line where it was given up as a stray quote), `None`
/// if it does not close within `buf`.
fn quoted_cell(continued: &mut Vec<usize>, buf: &[u8], quote: usize) -> Option<usize> {
    let held = continued.len();
    let mut at = quote + 1;
    while let Some(i) = memchr2(b'"', b'\n', &buf[at..]) {
        let p = at + i;
        if buf[p] == b'"' {
            if buf.get(p + 1) == Some(&b'"') {
                at = p + 2; // `""`: a quote in the cell
                continue;
            }
            return Some(p + 1);
        }
        if continued.len() - held >= MAX_LINES || p - quote > MAX_BYTES {
            continued.truncate(held); // a stray quote
            return Some(p + 1);
        }
        continued.push(p + 1);
        at = p + 1;
    }
    continued.truncate(held);
    None
}

/// Calls `f` with the column and bytes of each cell of one `record` (which
/// may hold line ends inside quoted cells): delimiters inside double quotes
/// do not count.
pub fn for_each_cell<'a>(record: &'a [u8], delim: u8, mut f: impl FnMut(usize, &'a [u8])) {
    let (mut start, mut col, mut quoted) = (0, 0, false);
    for i in memchr::memchr2_iter(delim, b'"', record) {
        if record[i] == b'"' {
            quoted = !quoted;
        } else if !quoted {
            f(col, &record[start..i]);
            col += 1;
            start = i + 1;
        }
    }
    f(col, &record[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A map for a window of `,` records starting at 0 (made when asked).
    fn mapped() -> Records {
        let mut r = Records::default();
        r.set(0, b',');
        r
    }

    #[test]
    fn a_quoted_cell_with_line_ends_continues_its_record() {
        let buf = "1,\"東京都\n千代田区\n1-1\",x\n2,b,y\n";
        let r = mapped();
        let second = buf.find("千代田区").unwrap();
        let third = buf.find("1-1").unwrap();
        assert!(r.continues(buf.as_bytes(), second) && r.continues(buf.as_bytes(), third));
        assert!(!r.continues(buf.as_bytes(), buf.find("2,b").unwrap()));
        assert_eq!(r.record_start(buf.as_bytes(), third), 0);
        assert_eq!(r.record_end(buf.as_bytes(), 0), buf.find("\n2,b").unwrap());
    }

    #[test]
    fn doubled_quotes_and_quotes_inside_cells_do_not_open_or_close() {
        // `""` inside a quoted cell, a quote inside an unquoted cell
        let buf = "1,\"say \"\"hi\"\"\nthere\",x\n2,5\" screen,y\n3,z,w\n";
        let r = mapped();
        assert!(r.continues(buf.as_bytes(), buf.find("there").unwrap()));
        assert!(!r.continues(buf.as_bytes(), buf.find("2,5").unwrap()));
        assert!(!r.continues(buf.as_bytes(), buf.find("3,z").unwrap()));
    }

    #[test]
    fn a_stray_quote_joins_no_more_than_its_limit() {
        let mut buf = String::from("1,\"never closed\n");
        for i in 0..100 {
            buf.push_str(&format!("{i},a,b\n"));
        }
        let r = mapped();
        assert!(r.continued(buf.as_bytes()).is_empty());
        // not closed within the window: no continuation either
        let open = "1,\"open\nstill open\n";
        let r = mapped();
        assert!(r.continued(open.as_bytes()).is_empty());
    }

    #[test]
    fn cells_of_a_record_split_only_outside_quotes() {
        let mut cells = Vec::new();
        for_each_cell(b"1,\"a,\nb\",c", b',', |col, cell| cells.push((col, cell)));
        assert_eq!(
            cells,
            vec![(0, &b"1"[..]), (1, &b"\"a,\nb\""[..]), (2, &b"c"[..])]
        );
    }

    proptest::proptest! {
        /// On any bytes: every continued line is a line start after
        /// `from`, ascending, and a record's start and end bracket it.
        #[test]
        fn any_bytes_map_to_line_starts(
            buf in proptest::collection::vec(
                proptest::sample::select(vec![b'"', b'\n', b',', b'a', b'1']), 0..400),
            from in 0usize..50,
        ) {
            let mut r = Records::default();
            r.set(from, b',');
            let mut last = 0;
            for &c in r.continued(&buf).iter() {
                proptest::prop_assert!(c > from.min(buf.len()) && c > last && c <= buf.len());
                proptest::prop_assert_eq!(buf[c - 1], b'\n');
                last = c;
                let start = r.record_start(&buf, c);
                proptest::prop_assert!(start < c && r.record_end(&buf, start) >= c);
            }
        }
    }
}
