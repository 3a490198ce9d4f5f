//! A PDF font as the text reader needs it: how a shown string splits into
//! codes (one byte for simple fonts; for composite fonts by their CMap:
//! Identity-H two bytes, predefined CJK CMaps by their encoding, an
//! embedded CMap by its codespace ranges), what each code is in Unicode
//! (the ToUnicode CMap first; else the encoding: predefined Unicode CMaps
//! such as UniJIS-UCS2-H, Shift_JIS, EUC-JP and JIS CMaps decoded as
//! their encoding, simple fonts by `/Encoding` and `/Differences`,
//! Identity-H over an Adobe-Japan1 CIDFont by [`super::japan1`]'s fixed
//! table of Latin text and digits), and
//! how wide it is (`/Widths`, `/W`, `/DW`; Type 3 through its
//! `/FontMatrix`; `/W` by CID, which for a Unicode CMap over Adobe-Japan1
//! is the character's Adobe-Japan1 CID, [`super::japan1::cid_of`]), so
//! that text can be placed on the page.

use lopdf::{Dictionary, Document, Object};

use super::cmap::CMap;
use super::streams::Budget;

/// How a composite font's codes are laid out and decoded when its
/// ToUnicode map has no entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cid {
    /// Two-byte CIDs (Identity-H/V, unknown CMaps): no Unicode without a
    /// ToUnicode map.
    Identity,
    /// The code is UTF-16BE (Uni…-UCS2-…, Uni…-UTF16-…).
    Utf16,
    /// The code is UTF-8 (Uni…-UTF8-…).
    Utf8,
    /// The code is UTF-32BE (Uni…-UTF32-…).
    Utf32,
    /// Shift_JIS (…-RKSJ-…).
    ShiftJis,
    /// EUC-JP (EUC-H/V).
    EucJp,
    /// JIS X 0208 row and cell (H, V).
    Jis,
    /// The embedded CMap's codespace ranges say.
    Embedded,
}

/// A font, ready to decode shown strings.
#[derive(Debug)]
pub struct Font {
    /// `None` for a simple font (one byte a code).
    cid: Option<Cid>,
    /// The ToUnicode CMap, if the font has one that parses.
    to_unicode: Option<CMap>,
    /// An embedded encoding CMap (its codespace ranges).
    encoding_cmap: Option<CMap>,
    /// A simple font's code → char, from its encoding and differences.
    simple: [Option<char>; 256],
    /// Glyph widths: (first code, last code, width in text-space units
    /// per unit of font size).
    widths: Vec<(u32, u32, f32)>,
    /// Width of a code not in `widths`.
    default_width: f32,
    /// Whether the codes are Adobe-Japan1 CIDs (Identity-H/V over a
    /// Japan1 CIDFont that is no embedded TrueType).
    japan1: bool,
    /// For a Unicode CMap (UniJIS-UCS2-H, …) over an Adobe-Japan1 CIDFont:
    /// whether it maps Latin text to the half-width CIDs (`-HW-`) rather
    /// than the proportional ones. `/W` is by CID, not by code.
    unicode_japan1: Option<bool>,
}

/// One code of a shown string, decoded.
#[derive(Debug, Clone, Copy)]
pub struct Glyph {
    /// Bytes the code took.
    pub len: usize,
    /// Its width in text space per unit of font size.
    pub width: f32,
    /// Whether it is the single-byte code 32 (word spacing applies).
    pub space: bool,
    /// Whether it had a Unicode mapping.
    pub mapped: bool,
}

impl Font {
    /// A font for text shown without a valid `Tf`: one byte a code, Latin-1.
    pub fn fallback() -> Font {
        let mut simple = [None; 256];
        for (b, c) in simple.iter_mut().enumerate().skip(32) {
            *c = char::from_u32(b as u32);
        }
        Font {
            cid: None,
            to_unicode: None,
            encoding_cmap: None,
            simple,
            widths: Vec::new(),
            default_width: 0.5,
            japan1: false,
            unicode_japan1: None,
        }
    }

    /// Reads the font dictionary `dict` of `doc`; streams (CMaps) are
    /// decoded under `budget`.
    pub fn load(doc: &Document, dict: &Dictionary, budget: &mut Budget) -> Font {
        let mut font = Font::fallback();
        let subtype = name(doc, dict.get(b"Subtype").ok());
        let to_unicode = deref(doc, dict.get(b"ToUnicode").ok())
            .and_then(|o| o.as_stream().ok())
            .and_then(|s| cmap_of(s, budget));
        font.to_unicode = to_unicode.filter(|m| !m.is_empty());
        if subtype.as_deref() == Some(b"Type0") {
            font.load_composite(doc, dict, budget);
        } else {
            font.load_simple(doc, dict, subtype.as_deref() == Some(b"Type3"));
        }
        font
    }

    fn load_composite(&mut self, doc: &Document, dict: &Dictionary, budget: &mut Budget) {
        let encoding = deref(doc, dict.get(b"Encoding").ok());
        let half_width = match encoding {
            Some(Object::Name(n)) => n.windows(4).any(|w| w == b"-HW-"),
            _ => false,
        };
        self.cid = Some(match encoding {
            Some(Object::Name(n)) => cid_kind(n),
            Some(Object::Stream(s)) => {
                self.encoding_cmap = cmap_of(s, budget);
                let named = deref(doc, s.dict.get(b"CMapName").ok()).and_then(|o| o.as_name().ok());
                match named.map(cid_kind) {
                    Some(k) if k != Cid::Identity => k,
                    _ => Cid::Embedded,
                }
            }
            _ => Cid::Identity,
        });
        self.simple = [None; 256];
        self.default_width = 1.0;
        let Some(desc) = deref(doc, dict.get(b"DescendantFonts").ok())
            .and_then(|o| o.as_array().ok())
            .and_then(|a| deref(doc, a.first()))
            .and_then(|o| o.as_dict().ok())
        else {
            return;
        };
        self.japan1 = is_japan1(doc, desc);
        if matches!(self.cid, Some(Cid::Utf16 | Cid::Utf8 | Cid::Utf32))
            && ordering_japan1(doc, desc)
        {
            self.unicode_japan1 = Some(half_width);
        }
        if let Some(dw) = deref(doc, desc.get(b"DW").ok()).and_then(number) {
            self.default_width = dw / 1000.0;
        }
        let Some(w) = deref(doc, desc.get(b"W").ok()).and_then(|o| o.as_array().ok()) else {
            return;
        };
        // `c [w1 w2 …]` or `c_first c_last w`
        let mut i = 0;
        while i < w.len() && self.widths.len() < super::cmap::MAX_ENTRIES {
            let Some(first) = deref(doc, w.get(i)).and_then(number) else {
                break;
            };
            match deref(doc, w.get(i + 1)) {
                Some(Object::Array(each)) => {
                    for (k, v) in each.iter().enumerate() {
                        if let Some(v) = deref(doc, Some(v)).and_then(number) {
                            let c = first as u32 + k as u32;
                            self.widths.push((c, c, v / 1000.0));
                        }
                    }
                    i += 2;
                }
                Some(last) => {
                    let (Some(last), Some(v)) =
                        (number(last), deref(doc, w.get(i + 2)).and_then(number))
                    else {
                        break;
                    };
                    self.widths.push((first as u32, last as u32, v / 1000.0));
                    i += 3;
                }
                None => break,
            }
        }
        self.widths.sort_by_key(|w| w.0);
    }

    fn load_simple(&mut self, doc: &Document, dict: &Dictionary, type3: bool) {
        // glyph space → text space: 1/1000, or a Type 3 font's matrix
        let scale = if type3 {
            deref(doc, dict.get(b"FontMatrix").ok())
                .and_then(|o| o.as_array().ok())
                .and_then(|m| deref(doc, m.first()))
                .and_then(number)
                .unwrap_or(0.001)
        } else {
            0.001
        };
        // the standard encodings agree with Latin-1 on ASCII: only differences
        if let Some(Object::Dictionary(enc)) = deref(doc, dict.get(b"Encoding").ok()) {
            if let Some(diffs) =
                deref(doc, enc.get(b"Differences").ok()).and_then(|o| o.as_array().ok())
            {
                let mut code = 0usize;
                for d in diffs {
                    match deref(doc, Some(d)) {
                        Some(Object::Integer(c)) => code = (*c).clamp(0, 255) as usize,
                        Some(Object::Name(g)) => {
                            if code < 256 {
                                self.simple[code] = glyph_char(g);
                            }
                            code += 1;
                        }
                        _ => {}
                    }
                }
            }
        }
        let descriptor =
            deref(doc, dict.get(b"FontDescriptor").ok()).and_then(|o| o.as_dict().ok());
        let missing = descriptor
            .and_then(|d| deref(doc, d.get(b"MissingWidth").ok()))
            .and_then(number)
            .filter(|w| *w > 0.0);
        self.default_width = missing.map_or(0.5, |w| w * scale);
        let first = deref(doc, dict.get(b"FirstChar").ok())
            .and_then(number)
            .unwrap_or(0.0) as u32;
        if let Some(ws) = deref(doc, dict.get(b"Widths").ok()).and_then(|o| o.as_array().ok()) {
            for (k, w) in ws.iter().take(256).enumerate() {
                if let Some(w) = deref(doc, Some(w)).and_then(number) {
                    let c = first + k as u32;
                    self.widths.push((c, c, w * scale));
                }
            }
        }
    }

    /// Decodes the code at the start of `bytes` (not empty), appending its
    /// text to `out`.
    pub fn glyph(&self, bytes: &[u8], out: &mut String) -> Glyph {
        let len = self.code_len(bytes).clamp(1, bytes.len().min(4));
        let code = bytes[..len]
            .iter()
            .fold(0u32, |v, &b| v << 8 | u32::from(b));
        let before = out.len();
        let mapped = match &self.to_unicode {
            Some(m) if m.lookup(len as u8, code, out) => true,
            _ => self.by_encoding(&bytes[..len], out),
        };
        // a control code maps to nothing visible: a space keeps words apart
        if mapped && out[before..].chars().all(char::is_control) {
            out.truncate(before);
        }
        super::radicals::unify_tail(out, before);
        Glyph {
            len,
            width: self.width_of(&bytes[..len], code),
            space: len == 1 && code == 32,
            mapped,
        }
    }

    fn code_len(&self, bytes: &[u8]) -> usize {
        let b = bytes[0];
        match self.cid {
            None => 1,
            Some(Cid::Identity) => 2,
            Some(Cid::Utf16) => {
                if (0xD8..0xDC).contains(&b) {
                    4
                } else {
                    2
                }
            }
            Some(Cid::Utf32) => 4,
            Some(Cid::Utf8) => match b {
                0xF0.. => 4,
                0xE0.. => 3,
                0xC0.. => 2,
                _ => 1,
            },
            Some(Cid::ShiftJis) => {
                if matches!(b, 0x81..=0x9F | 0xE0..=0xFC) {
                    2
                } else {
                    1
                }
            }
            Some(Cid::EucJp) => match b {
                0x8F => 3,
                0x8E | 0xA1..=0xFE => 2,
                _ => 1,
            },
            Some(Cid::Jis) => 2,
            Some(Cid::Embedded) => {
                let by = |m: &Option<CMap>| m.as_ref().and_then(|m| m.code_len(bytes));
                by(&self.encoding_cmap)
                    .or_else(|| by(&self.to_unicode))
                    .map_or(2, usize::from)
            }
        }
    }

    fn by_encoding(&self, code: &[u8], out: &mut String) -> bool {
        let decoded = |enc: &'static encoding_rs::Encoding, bytes: &[u8], out: &mut String| {
            let (text, bad) = enc.decode_without_bom_handling(bytes);
            if bad {
                return false;
            }
            out.push_str(&text);
            true
        };
        match self.cid {
            None => match self.simple[usize::from(code[0])] {
                Some(c) => {
                    out.push(c);
                    true
                }
                None => false,
            },
            Some(Cid::Utf16) => decoded(encoding_rs::UTF_16BE, code, out),
            Some(Cid::Utf8) => decoded(encoding_rs::UTF_8, code, out),
            Some(Cid::Utf32) => {
                let v = code.iter().fold(0u32, |v, &b| v << 8 | u32::from(b));
                char::from_u32(v).map(|c| out.push(c)).is_some()
            }
            Some(Cid::ShiftJis) => decoded(encoding_rs::SHIFT_JIS, code, out),
            Some(Cid::EucJp) => decoded(encoding_rs::EUC_JP, code, out),
            Some(Cid::Jis) => {
                let mut wrapped = b"\x1b$B".to_vec();
                wrapped.extend_from_slice(code);
                wrapped.extend_from_slice(b"\x1b(B");
                decoded(encoding_rs::ISO_2022_JP, &wrapped, out)
            }
            Some(Cid::Identity) if self.japan1 => {
                let cid = code.iter().fold(0u32, |v, &b| v << 8 | u32::from(b));
                super::japan1::char_of(cid).map(|c| out.push(c)).is_some()
            }
            Some(Cid::Identity | Cid::Embedded) => false,
        }
    }

    /// The width of the code `bytes` (`code` as a number): by its CID,
    /// which for a Unicode CMap over Adobe-Japan1 is the character's CID
    /// (the default width where that is not known), else the code.
    fn width_of(&self, bytes: &[u8], code: u32) -> f32 {
        let Some(half_width) = self.unicode_japan1 else {
            return self.width(code);
        };
        let c = match self.cid {
            Some(Cid::Utf8) => std::str::from_utf8(bytes)
                .ok()
                .and_then(|s| s.chars().next()),
            _ => char::from_u32(code),
        };
        c.and_then(|c| super::japan1::cid_of(c, half_width))
            .map_or(self.default_width, |cid| self.width(cid))
    }

    fn width(&self, code: u32) -> f32 {
        let at = self.widths.partition_point(|w| w.0 <= code);
        match at.checked_sub(1).map(|i| self.widths[i]) {
            Some((_, last, w)) if code <= last => w,
            _ => self.default_width,
        }
    }
}

/// Whether a CIDFont's CIDs are Adobe-Japan1's: its `/CIDSystemInfo` says
/// so and it is no embedded TrueType (whose CIDs are glyph ids however it
/// is labelled).
fn is_japan1(doc: &Document, desc: &Dictionary) -> bool {
    let embedded_truetype = name(doc, desc.get(b"Subtype").ok()).as_deref()
        == Some(b"CIDFontType2")
        && deref(doc, desc.get(b"FontDescriptor").ok())
            .and_then(|o| o.as_dict().ok())
            .is_some_and(|d| d.has(b"FontFile2"));
    ordering_japan1(doc, desc) && !embedded_truetype
}

/// Whether a CIDFont's `/CIDSystemInfo` says Adobe-Japan1.
fn ordering_japan1(doc: &Document, desc: &Dictionary) -> bool {
    let Some(info) = deref(doc, desc.get(b"CIDSystemInfo").ok()).and_then(|o| o.as_dict().ok())
    else {
        return false;
    };
    let text = |k: &[u8]| match deref(doc, info.get(k).ok()) {
        Some(Object::String(s, _)) => s.clone(),
        _ => Vec::new(),
    };
    text(b"Registry") == b"Adobe" && text(b"Ordering") == b"Japan1"
}

/// The kind of a predefined CMap, by name (Adobe's CMap names).
fn cid_kind(name: &[u8]) -> Cid {
    let has = |s: &[u8]| name.windows(s.len()).any(|w| w == s);
    if has(b"UCS2") || has(b"UTF16") {
        Cid::Utf16
    } else if has(b"UTF8") {
        Cid::Utf8
    } else if has(b"UTF32") {
        Cid::Utf32
    } else if has(b"RKSJ") {
        Cid::ShiftJis
    } else if name.starts_with(b"EUC-") {
        Cid::EucJp
    } else if name == b"H" || name == b"V" {
        Cid::Jis
    } else {
        Cid::Identity
    }
}

/// A parsed CMap stream, decoded under the budget (a CMap that does not
/// decode is none: the font falls back to its encoding).
fn cmap_of(stream: &lopdf::Stream, budget: &mut Budget) -> Option<CMap> {
    let data = budget.decode(stream).ok()?;
    let map = CMap::parse(&data);
    budget.release(data.len());
    Some(map)
}

/// The char of a glyph name: `uniXXXX`, `uXXXX[XX]`, single letters and
/// digits, and the names of ASCII punctuation (Adobe Glyph List).
fn glyph_char(g: &[u8]) -> Option<char> {
    let g = std::str::from_utf8(g).ok()?;
    let hex = |h: &str| u32::from_str_radix(h, 16).ok().and_then(char::from_u32);
    if let Some(h) = g.strip_prefix("uni").filter(|h| h.len() == 4) {
        return hex(h);
    }
    if let Some(h) = g.strip_prefix('u').filter(|h| (4..=6).contains(&h.len())) {
        return hex(h);
    }
    if g.len() == 1 && g.as_bytes()[0].is_ascii_alphabetic() {
        return g.chars().next();
    }
    const DIGITS: [&str; 10] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ];
    if let Some(d) = DIGITS.iter().position(|d| *d == g) {
        return char::from_digit(d as u32, 10);
    }
    Some(match g {
        "space" | "nbspace" => ' ',
        "hyphen" | "minus" => '-',
        "period" => '.',
        "comma" => ',',
        "colon" => ':',
        "semicolon" => ';',
        "slash" => '/',
        "parenleft" => '(',
        "parenright" => ')',
        "at" => '@',
        "underscore" => '_',
        "equal" => '=',
        "plus" => '+',
        "numbersign" => '#',
        _ => return None,
    })
}

/// `o` with one reference followed.
fn deref<'a>(doc: &'a Document, o: Option<&'a Object>) -> Option<&'a Object> {
    match o? {
        Object::Reference(id) => doc.get_object(*id).ok(),
        o => Some(o),
    }
}

fn name(doc: &Document, o: Option<&Object>) -> Option<Vec<u8>> {
    deref(doc, o)?.as_name().ok().map(<[u8]>::to_vec)
}

/// An integer or real as f32.
pub fn number(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predefined_cmaps_decode_by_their_encoding() {
        assert_eq!(cid_kind(b"UniJIS-UCS2-H"), Cid::Utf16);
        assert_eq!(cid_kind(b"90ms-RKSJ-H"), Cid::ShiftJis);
        assert_eq!(cid_kind(b"Identity-H"), Cid::Identity);
        let mut f = Font::fallback();
        f.cid = Some(Cid::Utf16);
        let mut out = String::new();
        let g = f.glyph(&[0x50, 0x0B, 0x00, 0x31], &mut out);
        assert_eq!((g.len, out.as_str()), (2, "個"));
        f.cid = Some(Cid::ShiftJis);
        out.clear();
        let g = f.glyph(b"\x8c\xc2\x31", &mut out);
        assert_eq!((g.len, out.as_str()), (2, "個"));
        assert_eq!(glyph_char(b"uni500B"), Some('個'));
        assert_eq!(glyph_char(b"seven"), Some('7'));
    }
}
