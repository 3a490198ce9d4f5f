//! A page's content stream, interpreted for its text: the text and
//! graphics state operators that place text (`BT`, `Tf`, `Td`, `TD`, `Tm`,
//! `T*`, `Tc`, `Tw`, `Tz`, `TL`, `cm`, `q`, `Q`), the operators that show
//! it (`Tj`, `TJ`, `'`, `"`), and Form XObjects (`Do`) with their own
//! resources, nested at most [`MAX_FORM_DEPTH`] deep. Each shown string
//! becomes a [`Span`] at its place on the page; [`super::layout`] puts
//! them in reading order.
//!
//! Hand-written rather than lopdf's `Content::decode`, which holds every
//! operation of a stream as objects (120 bytes an operand: 112 MB of
//! `(A) Tj` would take gigabytes); here tokens are read lazily as slices of
//! the stream and text is appended to the span it continues.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::font::{number, Font};
use super::layout::{Span, COLUMN_GAP};
use super::streams::{Budget, Cut};

/// Deepest nesting of Form XObjects drawn inside each other.
pub const MAX_FORM_DEPTH: u8 = 8;

/// Forms (Form XObjects and annotation appearances) drawn on one page;
/// more are a [`Cut::Limit`]. A form drawing itself a hundred times, eight
/// deep, would be drawn 100^8 times; each `Do` after the limit is skipped
/// without looking its name up.
pub const MAX_FORMS: usize = 1 << 13;

/// Operands kept before an operator (a `TJ` array holds one per string and
/// gap): a stream of operands without operators cannot grow memory.
const MAX_OPERANDS: usize = 1 << 16;

/// Saved graphics states (`q`) kept; deeper ones are not.
const MAX_SAVED: usize = 64;

/// Spans held for a page before they are laid out and flushed.
pub const MAX_SPANS: usize = 1 << 16;

/// Bytes of text one page may show (a page's text is held whole); what it
/// shows past them is a [`Cut::Limit`]. A page's own content decodes to
/// at most [`super::streams::MAX_HELD`] bytes, so only forms drawn many
/// times, or codes that map to long strings, reach it.
pub const MAX_PAGE_TEXT: usize = 32 << 20;

/// An affine matrix `[a b c d e f]` (ISO 32000-1, 8.3.3).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Matrix(pub [f32; 6]);

impl Matrix {
    /// The identity.
    pub const ID: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// `self × other` (self applied first).
    pub fn then(self, o: Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [p, q, r, s, t, u] = o.0;
        Matrix([
            a * p + b * r,
            a * q + b * s,
            c * p + d * r,
            c * q + d * s,
            e * p + f * r + t,
            e * q + f * s + u,
        ])
    }

    fn translate(tx: f32, ty: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, tx, ty])
    }

    /// The point (x, y) transformed.
    pub fn apply(self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }

    /// How much a unit vertical length grows.
    fn y_scale(self) -> f32 {
        let [_, _, c, d, _, _] = self.0;
        (c * c + d * d).sqrt()
    }
}

/// Text state (ISO 32000-1, 9.3).
#[derive(Clone, Copy, Debug)]
struct TextState {
    char_spacing: f32,
    word_spacing: f32,
    scale: f32,
    leading: f32,
    size: f32,
}

/// Graphics state kept across `q`/`Q`.
#[derive(Clone, Debug)]
struct State {
    ctm: Matrix,
    text: TextState,
    font: Option<Rc<Font>>,
}

/// The text of one page as it is read: spans, fonts met so far, budget.
pub struct Reader<'d, 'b> {
    doc: &'d Document,
    budget: &'b mut Budget,
    /// Fonts by object id, loaded once per document.
    fonts: &'b mut HashMap<ObjectId, Rc<Font>>,
    /// The page's spans so far.
    pub spans: Vec<Span>,
    /// Codes shown with and without a Unicode mapping.
    pub mapped: u64,
    /// Codes shown without a Unicode mapping.
    pub unmapped: u64,
    /// Whether the page shows text at all.
    pub shows_text: bool,
    /// The first stream that could not be read, and why.
    pub cut: Option<Cut>,
    /// Text laid out when the spans outgrew [`MAX_SPANS`].
    pub flushed: String,
    /// Bytes of text the page has shown so far (at most [`MAX_PAGE_TEXT`]).
    shown: usize,
    /// Forms drawn on the page so far (at most [`MAX_FORMS`]).
    forms: usize,
}

impl<'d, 'b> Reader<'d, 'b> {
    /// A reader for one page of `doc`.
    pub fn new(
        doc: &'d Document,
        budget: &'b mut Budget,
        fonts: &'b mut HashMap<ObjectId, Rc<Font>>,
    ) -> Reader<'d, 'b> {
        Reader {
            doc,
            budget,
            fonts,
            spans: Vec::new(),
            mapped: 0,
            unmapped: 0,
            shows_text: false,
            cut: None,
            flushed: String::new(),
            shown: 0,
            forms: 0,
        }
    }

    /// The document read.
    pub fn document(&self) -> &'d Document {
        self.doc
    }

    /// Decodes a content stream under the budget, noting a cut.
    pub fn decode(&mut self, stream: &lopdf::Stream) -> Option<Vec<u8>> {
        match self.budget.decode(stream) {
            Ok(data) => Some(data),
            Err(cut) => {
                self.cut.get_or_insert(cut);
                None
            }
        }
    }

    /// Gives back the budget a decoded stream held.
    pub fn release(&mut self, n: usize) {
        self.budget.release(n);
    }

    /// Interprets `content` with `resources` (innermost first), under the
    /// transformation `ctm`, `depth` forms deep.
    pub fn run(&mut self, content: &[u8], resources: &[&'d Dictionary], ctm: Matrix, depth: u8) {
        let mut st = State {
            ctm,
            text: TextState {
                char_spacing: 0.0,
                word_spacing: 0.0,
                scale: 1.0,
                leading: 0.0,
                size: 0.0,
            },
            font: None,
        };
        let mut saved: Vec<State> = Vec::new();
        let (mut tm, mut tlm) = (Matrix::ID, Matrix::ID);
        let mut operands: Vec<&[u8]> = Vec::new();
        let mut toks = tokens(content);
        let mut ops: u32 = 0;
        while let Some(t) = toks.next() {
            ops = ops.wrapping_add(1);
            if ops.is_multiple_of(super::streams::STOP_EVERY) && self.budget.stop.check().is_some()
            {
                return; // the file is marked where it ends (scan::Stop)
            }
            if operands.len() >= MAX_OPERANDS {
                operands.drain(..MAX_OPERANDS / 2);
            }
            if is_operand(t) {
                operands.push(t);
                continue;
            }
            let num = |k: usize| -> f32 {
                operands
                    .len()
                    .checked_sub(k)
                    .and_then(|i| std::str::from_utf8(operands[i]).ok()?.parse::<f32>().ok())
                    .filter(|v| v.is_finite())
                    .unwrap_or(0.0)
            };
            match t {
                b"q" if saved.len() < MAX_SAVED => saved.push(st.clone()),
                b"Q" => {
                    if let Some(s) = saved.pop() {
                        st = s;
                    }
                }
                b"cm" => {
                    let m = Matrix([num(6), num(5), num(4), num(3), num(2), num(1)]);
                    st.ctm = m.then(st.ctm);
                }
                b"BT" => {
                    tm = Matrix::ID;
                    tlm = Matrix::ID;
                }
                b"Tf" => {
                    st.text.size = num(1);
                    st.font = operands
                        .len()
                        .checked_sub(2)
                        .and_then(|i| operands[i].strip_prefix(b"/"))
                        .and_then(|n| self.font(resources, n));
                }
                b"Tc" => st.text.char_spacing = num(1),
                b"Tw" => st.text.word_spacing = num(1),
                b"Tz" => st.text.scale = num(1) / 100.0,
                b"TL" => st.text.leading = num(1),
                b"Td" | b"TD" => {
                    if t == b"TD" {
                        st.text.leading = -num(1);
                    }
                    tlm = Matrix::translate(num(2), num(1)).then(tlm);
                    tm = tlm;
                }
                b"Tm" => {
                    tlm = Matrix([num(6), num(5), num(4), num(3), num(2), num(1)]);
                    tm = tlm;
                }
                b"T*" => {
                    tlm = Matrix::translate(0.0, -next_line(&st.text)).then(tlm);
                    tm = tlm;
                }
                b"Tj" | b"'" | b"\"" => {
                    if t != b"Tj" {
                        if t == b"\"" {
                            st.text.word_spacing = num(3);
                            st.text.char_spacing = num(2);
                        }
                        tlm = Matrix::translate(0.0, -next_line(&st.text)).then(tlm);
                        tm = tlm;
                    }
                    if let Some(s) = operands.last().filter(|o| is_string(o)) {
                        tm = self.show(&st, tm, s, false);
                    }
                }
                b"TJ" => {
                    let mut gap = false;
                    for o in &operands {
                        if is_string(o) {
                            tm = self.show(&st, tm, o, gap);
                            gap = false;
                        } else if let Some(n) = std::str::from_utf8(o)
                            .ok()
                            .and_then(|s| s.parse::<f32>().ok())
                        {
                            let tx = -n / 1000.0 * st.text.size * st.text.scale;
                            if tx.is_finite() {
                                tm = Matrix::translate(tx, 0.0).then(tm);
                            }
                            // a gap a space wide starts a new span
                            gap |= n < -200.0;
                        }
                    }
                }
                // no more forms, or nothing more decodes: no form is looked
                // up (a stream of `Do`s, each drawing forms of `Do`s, stops
                // here)
                b"Do" if self.forms >= MAX_FORMS || self.budget.spent() => {
                    self.cut.get_or_insert(Cut::Limit);
                }
                b"Do" => {
                    if let Some(name) = operands.last().and_then(|o| o.strip_prefix(b"/")) {
                        self.form(resources, name, st.ctm, depth);
                    }
                }
                b"ID" => toks.skip_inline_image(),
                _ => {}
            }
            operands.clear();
        }
    }

    /// Shows string token `s` at `tm`; the text matrix after it.
    fn show(&mut self, st: &State, tm: Matrix, s: &[u8], gap: bool) -> Matrix {
        let bytes = if s.starts_with(b"(") {
            literal_bytes(s)
        } else {
            hex_bytes(&s[1..s.len().saturating_sub(1).max(1)])
        };
        if bytes.is_empty() {
            return tm;
        }
        self.shows_text = true;
        let fallback;
        let font = match &st.font {
            Some(f) => f.as_ref(),
            None => {
                fallback = Font::fallback();
                &fallback
            }
        };
        let ts = st.text;
        let trm = tm.then(st.ctm);
        let size = (ts.size * trm.y_scale()).abs().max(0.1);
        // where text space `tx` along the string lies on the page
        let at = |tx: f32| {
            Matrix::translate(tx, 0.0)
                .then(tm)
                .then(st.ctm)
                .apply(0.0, 0.0)
        };
        let mut text = String::new();
        let (mut tx, mut from) = (0.0f32, 0.0f32);
        let mut gap = gap;
        let mut i = 0;
        while i < bytes.len() {
            let before = text.len();
            let g = font.glyph(&bytes[i..], &mut text);
            // a space shown (code 32 of a subset font may be a letter)
            let white = text.len() > before && text[before..].chars().all(char::is_whitespace);
            i += g.len;
            if g.mapped {
                self.mapped += 1;
            } else {
                self.unmapped += 1;
            }
            let spacing = ts.char_spacing + if g.space { ts.word_spacing } else { 0.0 };
            let advance = (g.width * ts.size + spacing) * ts.scale;
            // blank after the glyph: a space, or the spacing set after it
            let blank = if white { advance } else { spacing * ts.scale };
            if blank > COLUMN_GAP * ts.size.abs() {
                // character or word spacing set to spread cells apart
                // (groff's tbl): the string is cut there, as if each part
                // were shown alone
                text.truncate(text.trim_end().len());
                let ((x0, y), (x1, _)) = (at(from), at(tx + advance - blank));
                self.push(Span::new(x0, x1, y, size, std::mem::take(&mut text)), gap);
                gap = true;
                from = tx + advance;
            }
            tx += advance;
        }
        let ((x0, y), (x1, _)) = (at(from), at(tx));
        self.push(Span::new(x0, x1, y, size, text), gap);
        Matrix::translate(tx, 0.0).then(tm)
    }

    /// Adds a span, continuing the last one when this one starts where it
    /// ended on the same baseline (text shown piece by piece).
    fn push(&mut self, span: Span, gap: bool) {
        if self.shown + span.text.len() > MAX_PAGE_TEXT {
            self.cut.get_or_insert(Cut::Limit);
            return;
        }
        self.shown += span.text.len();
        if let Some(last) = self.spans.last_mut() {
            if !gap && last.continues(&span) {
                last.extend(span);
                return;
            }
        }
        if self.spans.len() >= MAX_SPANS {
            super::layout::write(&mut self.spans, &mut self.flushed);
            self.spans.clear();
        }
        self.spans.push(span);
    }

    /// The font named `name` in the resources.
    fn font(&mut self, resources: &[&'d Dictionary], name: &[u8]) -> Option<Rc<Font>> {
        let (id, dict) = resources.iter().find_map(|r| {
            let fonts = self.deref_dict(r.get(b"Font").ok())?;
            match fonts.get(name).ok()? {
                Object::Reference(id) => Some((Some(*id), self.doc.get_dictionary(*id).ok()?)),
                Object::Dictionary(d) => Some((None, d)),
                _ => None,
            }
        })?;
        if let Some(f) = id.and_then(|id| self.fonts.get(&id)) {
            return Some(Rc::clone(f));
        }
        let font = Rc::new(Font::load(self.doc, dict, self.budget));
        if let Some(id) = id {
            self.fonts.insert(id, Rc::clone(&font));
        }
        Some(font)
    }

    /// Draws the Form XObject named `name`, if it is one.
    fn form(&mut self, resources: &[&'d Dictionary], name: &[u8], ctm: Matrix, depth: u8) {
        let doc = self.doc;
        let Some(stream) = resources.iter().find_map(|r| {
            let xs = self.deref_dict(r.get(b"XObject").ok())?;
            match xs.get(name).ok()? {
                Object::Reference(id) => doc.get_object(*id).ok()?.as_stream().ok(),
                _ => None,
            }
        }) else {
            return;
        };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form") {
            return;
        }
        self.draw_form(stream, resources, ctm, depth);
    }

    /// Draws the form `stream` (a Form XObject, an annotation's
    /// appearance) under `ctm`, with its own resources before
    /// `resources`, `depth` forms deep.
    pub fn draw_form(
        &mut self,
        stream: &'d lopdf::Stream,
        resources: &[&'d Dictionary],
        ctm: Matrix,
        depth: u8,
    ) {
        if depth >= MAX_FORM_DEPTH || self.forms >= MAX_FORMS {
            self.cut.get_or_insert(Cut::Limit);
            return;
        }
        self.forms += 1;
        let matrix = matrix_of(stream.dict.get(b"Matrix").ok()).unwrap_or(Matrix::ID);
        let own = self.deref_dict(stream.dict.get(b"Resources").ok());
        let mut inner: Vec<&'d Dictionary> = own.into_iter().collect();
        inner.extend_from_slice(resources);
        let Some(data) = self.decode(stream) else {
            return;
        };
        self.run(&data, &inner, matrix.then(ctm), depth + 1);
        self.release(data.len());
    }

    /// Adds text that no content stream shows (a form field's value
    /// without an appearance), counted as shown and mapped.
    pub fn add_text(&mut self, span: Span) {
        self.shows_text = true;
        self.mapped += span.text.chars().count() as u64;
        self.push(span, true);
    }

    /// `o` with one reference followed.
    pub fn deref(&self, o: Option<&'d Object>) -> Option<&'d Object> {
        match o? {
            Object::Reference(id) => self.doc.get_object(*id).ok(),
            o => Some(o),
        }
    }

    /// `o` as a dictionary, one reference followed.
    pub fn deref_dict(&self, o: Option<&'d Object>) -> Option<&'d Dictionary> {
        match o? {
            Object::Reference(id) => self.doc.get_dictionary(*id).ok(),
            Object::Dictionary(d) => Some(d),
            _ => None,
        }
    }
}

/// A six-number array as a matrix.
pub fn matrix_of(o: Option<&Object>) -> Option<Matrix> {
    let m = o?.as_array().ok().filter(|m| m.len() == 6)?;
    let v: Vec<f32> = m.iter().map(|o| number(o).unwrap_or(0.0)).collect();
    Some(Matrix([v[0], v[1], v[2], v[3], v[4], v[5]]))
}

/// How far `T*`, `'` and `"` move down: the leading, or the font size
/// where none is set (a producer that leaves it at 0 does not mean to draw
/// its lines over each other).
fn next_line(ts: &TextState) -> f32 {
    if ts.leading != 0.0 {
        ts.leading
    } else {
        ts.size
    }
}

/// Whether `content` looks like a content stream that shows text: a `BT`
/// … `ET` object with a text-showing operator inside.
pub fn shows_text(content: &[u8]) -> bool {
    let (mut in_text, mut shows) = (false, false);
    for t in tokens(content) {
        match t {
            b"BT" => in_text = true,
            b"Tj" | b"TJ" | b"'" | b"\"" if in_text => shows = true,
            b"ET" if in_text && shows => return true,
            b"ET" => in_text = false,
            _ => {}
        }
    }
    false
}

fn is_string(t: &[u8]) -> bool {
    t.starts_with(b"(") || (t.starts_with(b"<") && t != b"<<")
}

fn is_operand(t: &[u8]) -> bool {
    is_string(t)
        || matches!(
            t,
            b"[" | b"]" | b"<<" | b">>" | b"true" | b"false" | b"null"
        )
        || t.first()
            .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'+' | b'/'))
}

/// Splits PostScript-like syntax into tokens: names, numbers, operators,
/// `(strings)` (kept with parentheses), `<hex>`, `[`, `]`, `<<`, `>>`. Lazy,
/// and every token is a slice of the input: a stream of millions of tiny
/// tokens costs no memory per token.
pub fn tokens(s: &[u8]) -> Tokens<'_> {
    Tokens { s, i: 0 }
}

/// The iterator of [`tokens`].
pub struct Tokens<'a> {
    s: &'a [u8],
    i: usize,
}

impl Tokens<'_> {
    /// Skips an inline image's data after its `ID` operator, to the `EI`
    /// that ends it (ISO 32000-1, 8.9.7): binary data is not tokens.
    pub fn skip_inline_image(&mut self) {
        let s = &self.s[self.i.min(self.s.len())..];
        let end = memchr::memmem::find_iter(s, b"EI")
            .find(|&k| {
                k > 0
                    && s[k - 1].is_ascii_whitespace()
                    && s.get(k + 2).is_none_or(|b| b.is_ascii_whitespace())
            })
            .map_or(s.len(), |k| k + 2);
        self.i += end;
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let s = self.s;
        let mut i = self.i;
        while i < s.len() {
            let b = s[i];
            let start = i;
            let end = match b {
                b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | 0 => {
                    i += 1;
                    continue;
                }
                b'%' => {
                    while i < s.len() && s[i] != b'\n' && s[i] != b'\r' {
                        i += 1;
                    }
                    continue;
                }
                b'(' => super::prescan::literal_end(s, i),
                b'<' | b'>' if s.get(i + 1) == Some(&b) => i + 2,
                b'<' => {
                    while i < s.len() && s[i] != b'>' {
                        i += 1;
                    }
                    (i + 1).min(s.len())
                }
                b'[' | b']' | b'{' | b'}' => i + 1,
                _ => {
                    i += 1;
                    while i < s.len() && !b" \t\r\n\x0c\0()<>[]{}/%".contains(&s[i]) {
                        i += 1;
                    }
                    i
                }
            };
            self.i = end;
            return Some(&s[start..end]);
        }
        self.i = s.len();
        None
    }
}

/// The bytes of a `(literal)` string, escapes resolved.
pub fn literal_bytes(t: &[u8]) -> Vec<u8> {
    let inner = &t[1..t.len().saturating_sub(1).max(1)];
    let mut out = Vec::new();
    let mut i = 0;
    while i < inner.len() {
        if inner[i] == b'\\' && i + 1 < inner.len() {
            i += 1;
            match inner[i] {
                b'n' => out.push(b'\n'),
                b'r' => out.push(b'\r'),
                b't' => out.push(b'\t'),
                b'b' => out.push(8),
                b'f' => out.push(12),
                b'0'..=b'7' => {
                    let mut v = 0u32;
                    let mut n = 0;
                    while n < 3 && i < inner.len() && (b'0'..=b'7').contains(&inner[i]) {
                        v = v * 8 + u32::from(inner[i] - b'0');
                        i += 1;
                        n += 1;
                    }
                    out.push(v as u8);
                    continue;
                }
                b'\r' | b'\n' => {}
                c => out.push(c),
            }
        } else {
            out.push(inner[i]);
        }
        i += 1;
    }
    out
}

/// The bytes of `<hex>` digits (whitespace ignored, an odd last digit
/// padded with 0).
pub fn hex_bytes(h: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> = h
        .iter()
        .filter(|b| b.is_ascii_hexdigit())
        .copied()
        .collect();
    digits
        .chunks(2)
        .map(|c| {
            let v = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
            v(c[0]) * 16 + c.get(1).map_or(0, |&b| v(b))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::limits::Limits;

    #[test]
    fn quote_operators_move_down_and_boxed_digits_join() {
        let doc = Document::new();
        let mut budget = Budget::new(1 << 20, Limits::default());
        let mut fonts = HashMap::new();
        let mut r = Reader::new(&doc, &mut budget, &mut fonts);
        let content =
            b"BT /F1 10 Tf 14 TL 50 700 Td (My Number) Tj (: 1234) ' 0 0 (5678 9012) \" ET\n\
            BT 1 0 0 1 50 600 Tm (9) Tj 1 0 0 1 66 600 Tm (8) Tj ET";
        r.run(content, &[], Matrix::ID, 0);
        let mut out = String::new();
        super::super::layout::write(&mut r.spans, &mut out);
        assert_eq!(out, "My Number\n: 1234\n5678 9012\n98\n");
    }

    #[test]
    fn a_page_shows_at_most_its_text_limit() {
        let doc = Document::new();
        let mut budget = Budget::new(1 << 20, Limits::default());
        let mut fonts = HashMap::new();
        let mut r = Reader::new(&doc, &mut budget, &mut fonts);
        let line = "A".repeat(1 << 20);
        for i in 0..40 {
            r.add_text(Span::new(
                0.0,
                10.0,
                700.0 - i as f32 * 12.0,
                10.0,
                line.clone(),
            ));
        }
        assert_eq!(r.cut, Some(Cut::Limit));
        let held: usize = r.flushed.len() + r.spans.iter().map(|s| s.text.len()).sum::<usize>();
        assert_eq!(held, MAX_PAGE_TEXT);
    }

    #[test]
    fn forms_drawing_forms_stop_at_the_files_budget() {
        // a 1.2 KB page drawing a form that shows "AB" and draws itself a
        // hundred times, eight deep (100^8 draws): MAX_FORMS are drawn,
        // then no form is looked up
        let pdf = include_bytes!("../../../tests/fixtures/faults/pdf_form_fanout.pdf");
        let (text, first) = super::super::text(pdf, 1 << 40);
        assert!(matches!(first, Some(Ok(Cut::Limit))), "{first:?}");
        // every draw shows "AB" at the same place, which the layout reads
        // once (a producer's overdraw, as wkhtmltopdf's fake bold): the
        // bound shows as the cut, and in the test ending at all
        assert_eq!(text.matches("AB").count(), 1, "{text}");
        // with a smaller budget, the bytes decoded stop it first
        let form = 634; // bytes of the form's content
        let (text, first) = super::super::text(pdf, 100 * form);
        assert!(matches!(first, Some(Ok(Cut::Limit))), "{first:?}");
        assert!(text.matches("AB").count() < 100, "{text}");
    }
}
