//! PDF text: the strings that content streams show (`Tj`, `TJ`, `'`, `"`),
//! from plain or Flate-compressed streams, mapped to Unicode through the
//! document's ToUnicode CMaps (Japanese PDFs use two-byte CID fonts).
//!
//! A deliberately small reader: one linear pass over the file for
//! `stream … endstream`, inflation bounded by a byte budget, no object
//! graph, no recursion. A hostile file can make it read garbage, never
//! loop or grow without bound. Text in images (scans) is not read.

use std::collections::HashMap;
use std::io::{self, Read};

use memchr::memmem;

use super::limits::read_capped;
use super::{Format, Scope};
use crate::outcome::SkipReason;
use crate::provenance::Step;

/// PDF, by `%PDF-`. The ID-document check sees the file first.
pub(crate) static PDF: Format = Format {
    name: "pdf",
    sniff: |head, _| detect(head),
    file_checks: true,
    read: read_pdf,
};

/// Whether a PDF is encrypted: its trailer (or cross-reference stream)
/// names an `/Encrypt` dictionary (ISO 32000-1, 7.6).
fn is_encrypted(pdf: &[u8]) -> bool {
    memmem::find(pdf, b"/Encrypt").is_some()
}

/// Whether the bytes start a PDF.
pub fn detect(head: &[u8]) -> bool {
    head.starts_with(b"%PDF-")
}

/// A PDF's text as the member `text`. The file is read whole, up to the
/// in-memory cap; a larger PDF's text is skipped with a record. The file
/// counts its own bytes as read, not its text's.
fn read_pdf(scope: &mut Scope<'_, '_, '_>, r: &mut dyn Read) -> io::Result<()> {
    let limits = scope.limits();
    let data = match read_capped(r, limits.max_in_memory)? {
        Ok(data) => data,
        Err(read) => {
            scope.set_bytes(read); // read, but not as text
            scope.skip(Some(Step::PdfText), SkipReason::ArchiveLimit);
            return Ok(());
        }
    };
    let bytes = data.len() as u64;
    if is_encrypted(&data) {
        // its streams decode to noise without the key: not read, and said so
        scope.set_bytes(bytes);
        scope.skip(None, SkipReason::Encrypted);
        return Ok(());
    }
    let (text, problem) = text(&data, scope.budget().min(limits.max_total_bytes));
    drop(data);
    scope.member(Some(Step::PdfText), &mut text.as_bytes(), None);
    scope.set_bytes(bytes);
    if problem.is_some() {
        scope.skip(Some(Step::PdfText), SkipReason::ArchiveLimit);
    }
    Ok(())
}

/// Why a PDF's text could not be read completely.
#[derive(Debug)]
pub enum Problem {
    /// Inflating the streams would pass the byte budget.
    TooLarge,
}

/// The text of a PDF, a line per text line as far as the operators tell,
/// and whether a limit cut it short.
pub fn text(pdf: &[u8], mut budget: u64) -> (String, Option<Problem>) {
    let mut cmap: HashMap<u32, String> = HashMap::new();
    let mut contents: Vec<std::borrow::Cow<'_, [u8]>> = Vec::new();
    let mut held = 0u64;
    let mut problem = None;
    for (dict, data) in streams(pdf) {
        if memmem::find(dict, b"/Subtype/Image").is_some()
            || memmem::find(dict, b"/Subtype /Image").is_some()
        {
            continue;
        }
        let decoded = if memmem::find(dict, b"/FlateDecode").is_some() {
            let cap = budget.min(MAX_HELD);
            let mut out = Vec::new();
            let mut z = flate2::read::ZlibDecoder::new(data).take(cap + 1);
            // a corrupt stream gives what inflated before the damage
            let _ = z.read_to_end(&mut out);
            if out.len() as u64 > cap {
                problem = Some(Problem::TooLarge);
                break;
            }
            std::borrow::Cow::Owned(out)
        } else if dict.windows(7).any(|w| w == b"/Filter") {
            continue; // images and other codecs carry no text we can read
        } else {
            std::borrow::Cow::Borrowed(data)
        };
        budget = budget.saturating_sub(decoded.len() as u64);
        if memmem::find(&decoded, b"begincmap").is_some() {
            parse_cmap(&decoded, &mut cmap);
        } else if memmem::find(&decoded, b"Tj").is_some() || memmem::find(&decoded, b"TJ").is_some()
        {
            held += decoded.len() as u64;
            if held > MAX_HELD {
                problem = Some(Problem::TooLarge);
                break;
            }
            contents.push(decoded);
        }
    }
    let mut out = String::new();
    for c in &contents {
        show_text(c, &cmap, &mut out);
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    (out, problem)
}

/// Every `stream … endstream` with the dictionary before it.
fn streams(pdf: &[u8]) -> Vec<(&[u8], &[u8])> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = memmem::find(&pdf[at..], b"stream") {
        let start = at + i;
        at = start + 6;
        // `endstream` also contains `stream`
        if start >= 3 && &pdf[start - 3..start] == b"end" {
            continue;
        }
        let mut data_start = start + 6;
        if pdf.get(data_start) == Some(&b'\r') {
            data_start += 1;
        }
        if pdf.get(data_start) != Some(&b'\n') {
            continue;
        }
        data_start += 1;
        let Some(end) = memmem::find(&pdf[data_start..], b"endstream") else {
            break;
        };
        let data_end = data_start + end;
        // the dictionary: back to `obj`, at most 4 KiB (a bounded look, so
        // that a file of nothing but `stream` keywords stays linear)
        let floor = start.saturating_sub(4096);
        let dict_from = memmem::rfind(&pdf[floor..start], b"obj").map_or(floor, |o| floor + o + 3);
        let dict = &pdf[dict_from..start];
        let mut data = &pdf[data_start..data_end];
        while let [rest @ .., b'\r' | b'\n'] = data {
            data = rest;
        }
        out.push((dict, data));
        at = data_end + 9;
    }
    out
}

/// Most code mappings kept from all CMaps of a file.
const MAX_CMAP_ENTRIES: usize = 1 << 16;

/// Operands kept before an operator (a `TJ` array holds one per string and
/// gap): a stream of operands without operators cannot grow memory.
const MAX_OPERANDS: usize = 1 << 16;

/// Most bytes one stream may inflate to, and most content held at once
/// (content streams wait for the CMaps that may follow them): past either,
/// the PDF's text is cut short and the cut is a recorded gap.
const MAX_HELD: u64 = 32 << 20;

/// Reads `bfchar` and `bfrange` sections of a ToUnicode CMap, one token
/// at a time.
fn parse_cmap(cmap: &[u8], map: &mut HashMap<u32, String>) {
    let mut toks = tokens(cmap);
    while let Some(t) = toks.next() {
        match t {
            b"beginbfchar" => {
                while let Some(code) = toks.next() {
                    if code == b"endbfchar" {
                        break;
                    }
                    let Some(text) = toks.next() else { return };
                    if map.len() > MAX_CMAP_ENTRIES {
                        return;
                    }
                    if let (Some(code), Some(text)) = (hex_code(code), hex_utf16(text)) {
                        map.insert(code, text);
                    }
                }
            }
            b"beginbfrange" => {
                while let Some(lo) = toks.next() {
                    if lo == b"endbfrange" {
                        break;
                    }
                    let (Some(hi), Some(dst)) = (toks.next(), toks.next()) else {
                        return;
                    };
                    let (lo, hi) = (hex_code(lo), hex_code(hi));
                    if dst == b"[" {
                        // an array of destinations, one per code
                        let mut code = lo.unwrap_or(0);
                        for t in toks.by_ref() {
                            if t == b"]" {
                                break;
                            }
                            if map.len() <= MAX_CMAP_ENTRIES {
                                if let Some(text) = hex_utf16(t) {
                                    map.insert(code, text);
                                }
                            }
                            code = code.wrapping_add(1);
                        }
                        continue;
                    }
                    if let (Some(lo), Some(hi), Some(first)) = (lo, hi, hex_utf16(dst)) {
                        let mut chars: Vec<char> = first.chars().collect();
                        // a range spans at most 256 codes (the last byte), and a
                        // hostile map cannot grow without bound
                        if map.len() > MAX_CMAP_ENTRIES {
                            return;
                        }
                        for code in lo..=hi.min(lo.saturating_add(0xFF)) {
                            map.insert(code, chars.iter().collect());
                            if let Some(last) = chars.last_mut() {
                                *last = char::from_u32(*last as u32 + 1).unwrap_or(*last);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn hex_code(t: &[u8]) -> Option<u32> {
    let h = t.strip_prefix(b"<")?.strip_suffix(b">")?;
    if h.is_empty() || h.len() > 8 {
        return None;
    }
    u32::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()
}

fn hex_utf16(t: &[u8]) -> Option<String> {
    let h = t.strip_prefix(b"<")?.strip_suffix(b">")?;
    let bytes = hex_bytes(h);
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
        .collect();
    Some(String::from_utf16_lossy(&units))
}

fn hex_bytes(h: &[u8]) -> Vec<u8> {
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

/// Splits PostScript-like syntax into tokens: names, numbers, operators,
/// `(strings)` (kept with parentheses), `<hex>`, `[`, `]`, `<<`, `>>`. Lazy,
/// and every token is a slice of the input: a stream of millions of tiny
/// tokens costs no memory per token.
fn tokens(s: &[u8]) -> Tokens<'_> {
    Tokens { s, i: 0 }
}

/// The iterator of [`tokens`].
struct Tokens<'a> {
    s: &'a [u8],
    i: usize,
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
                b'(' => {
                    let mut depth = 0usize;
                    while i < s.len() {
                        match s[i] {
                            b'\\' => i += 1,
                            b'(' => depth += 1,
                            b')' => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                        i += 1;
                    }
                    (i + 1).min(s.len())
                }
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
fn literal_bytes(t: &[u8]) -> Vec<u8> {
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

/// Decodes a shown string: two-byte codes through the CMap where there is
/// one (hex strings, or literals holding control bytes), else as Latin-1.
fn decode_shown(t: &[u8], cmap: &HashMap<u32, String>, out: &mut String) {
    let (bytes, hex) = if t.starts_with(b"(") {
        (literal_bytes(t), false)
    } else {
        (hex_bytes(&t[1..t.len().saturating_sub(1).max(1)]), true)
    };
    let two_byte =
        !cmap.is_empty() && bytes.len() % 2 == 0 && (hex || bytes.iter().any(|&b| b < 0x20));
    if two_byte {
        for c in bytes.chunks(2) {
            let code = u32::from(c[0]) << 8 | u32::from(c[1]);
            match cmap.get(&code) {
                Some(s) => out.push_str(s),
                None => out.push('\u{FFFD}'),
            }
        }
    } else if !cmap.is_empty() && hex {
        for &b in &bytes {
            match cmap.get(&u32::from(b)) {
                Some(s) => out.push_str(s),
                None => out.push(char::from(b)),
            }
        }
    } else {
        out.extend(bytes.iter().map(|&b| char::from(b)));
    }
}

/// Ends the current line, if there is one.
fn newline(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Appends the text a content stream shows.
fn show_text(content: &[u8], cmap: &HashMap<u32, String>, out: &mut String) {
    let mut operands: Vec<&[u8]> = Vec::new();
    for t in tokens(content) {
        if operands.len() >= MAX_OPERANDS {
            // operands without an operator: only the last ones can matter
            operands.drain(..MAX_OPERANDS / 2);
        }
        let is_operand = t.starts_with(b"(")
            || (t.starts_with(b"<") && t != b"<<")
            || t == b"["
            || t == b"]"
            || t.first()
                .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'+' | b'/'));
        if is_operand {
            operands.push(t);
            continue;
        }
        match t {
            b"Tj" | b"'" | b"\"" => {
                if matches!(t, b"'" | b"\"") {
                    newline(out);
                }
                if let Some(s) = operands
                    .iter()
                    .rev()
                    .find(|o| o.starts_with(b"(") || o.starts_with(b"<"))
                {
                    decode_shown(s, cmap, out);
                }
            }
            b"TJ" => {
                for o in &operands {
                    if o.starts_with(b"(") || o.starts_with(b"<") {
                        decode_shown(o, cmap, out);
                    } else if let Ok(n) = std::str::from_utf8(o).unwrap_or("").parse::<f64>() {
                        if n < -200.0 {
                            out.push(' '); // a kerning gap wide enough to be a space
                        }
                    }
                }
            }
            b"T*" | b"ET" => newline(out),
            b"Td" | b"TD" => {
                // a move with a vertical part starts a new line
                let ty = operands
                    .last()
                    .and_then(|o| std::str::from_utf8(o).ok()?.parse::<f64>().ok());
                if ty.is_some_and(|y| y != 0.0) {
                    newline(out);
                }
            }
            b"Tm" => newline(out),
            _ => {}
        }
        operands.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_strings_with_escapes_and_arrays() {
        let content = b"BT /F1 12 Tf 72 700 Td (My Number: 9832\\(0\\)) Tj 0 -14 Td [(05) -50 (67) -300 (3214)] TJ ET";
        let mut out = String::new();
        show_text(content, &HashMap::new(), &mut out);
        assert_eq!(out, "My Number: 9832(0)\n0567 3214\n");
    }

    #[test]
    fn cid_strings_go_through_the_tounicode_cmap() {
        let mut map = HashMap::new();
        parse_cmap(
            b"begincmap 2 beginbfchar <0001> <500B> <0002> <4EBA> endbfchar 1 beginbfrange <0010> <0019> <0030> endbfrange endcmap",
            &mut map,
        );
        let mut out = String::new();
        show_text(b"BT <000100020011001200130010> Tj ET", &map, &mut out);
        assert_eq!(out, "個人1230\n");
    }

    #[test]
    fn streams_are_found_and_inflated() {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(b"BT (hello 123) Tj ET").unwrap();
        let data = z.finish().unwrap();
        let mut pdf =
            b"%PDF-1.4\n1 0 obj\n<< /Length 10 /Filter /FlateDecode >>\nstream\n".to_vec();
        pdf.extend(&data);
        pdf.extend(b"\nendstream\nendobj\n%%EOF\n");
        let (text, problem) = text(&pdf, 1 << 20);
        assert_eq!(text, "hello 123\n");
        assert!(problem.is_none());
        let (_, problem) = super::text(&pdf, 5);
        assert!(matches!(problem, Some(Problem::TooLarge)));
    }
}

#[cfg(test)]
mod hostile {
    use super::*;

    /// Inputs built to make a naive reader quadratic or unbounded finish
    /// quickly (the time is the test's own guard: it would not end).
    #[test]
    fn hostile_inputs_stay_linear_and_bounded() {
        let mut pdf = b"%PDF-1.4\n".to_vec();
        for _ in 0..200_000 {
            pdf.extend(b"stream\nendstream\n");
        }
        let (text, _) = text(&pdf, 1 << 20);
        assert!(text.is_empty());
        let mut cmap = String::from("begincmap 1 beginbfrange ");
        for k in 0..20_000u32 {
            cmap += &format!("<{:04X}> <FFFF> <0041> ", k);
        }
        cmap += "endbfrange endcmap";
        let mut map = HashMap::new();
        parse_cmap(cmap.as_bytes(), &mut map);
        assert!(map.len() <= MAX_CMAP_ENTRIES + 256);
    }
}
