//! CMaps: a ToUnicode CMap's `bfchar` and `bfrange` sections (code →
//! Unicode) and an encoding CMap's `codespacerange` (how many bytes a code
//! has), read one token at a time (ISO 32000-1, 9.7.5 and 9.10.3).
//!
//! Hand-written rather than lopdf's `ToUnicodeCMap`: that one builds a
//! reverse map over every code of every range, so a single
//! `<00000000> <FFFFFFFF>` range is four billion entries. Here a range is
//! kept as a range, and a map holds at most [`MAX_ENTRIES`] of each kind.

use std::collections::HashMap;

use super::content::{hex_bytes, tokens};

/// Most single codes and most ranges kept from one CMap.
pub const MAX_ENTRIES: usize = 1 << 16;

/// Where a range of codes goes.
#[derive(Debug)]
enum Dest {
    /// The first code's text; each next code adds one to its last char.
    Offset(Vec<u16>),
    /// One text per code.
    Each(Vec<String>),
}

/// A parsed CMap: what codes map to, and the byte lengths of its codes.
#[derive(Debug, Default)]
pub struct CMap {
    /// Single codes, by (byte length, code).
    chars: HashMap<(u8, u32), String>,
    /// Ranges: byte length, first and last code, destination.
    ranges: Vec<(u8, u32, u32, Dest)>,
    /// Codespace ranges: byte length, lowest and highest code.
    pub codespace: Vec<(u8, u32, u32)>,
}

impl CMap {
    /// Parses the text of a CMap stream; what does not parse is left out.
    pub fn parse(text: &[u8]) -> CMap {
        let mut map = CMap::default();
        let mut toks = tokens(text);
        while let Some(t) = toks.next() {
            match t {
                b"begincodespacerange" => {
                    while let Some(lo) = toks.next() {
                        if lo == b"endcodespacerange" {
                            break;
                        }
                        let Some(hi) = toks.next() else { break };
                        if let (Some((n, lo)), Some((_, hi))) = (code(lo), code(hi)) {
                            if map.codespace.len() < 64 {
                                map.codespace.push((n, lo, hi));
                            }
                        }
                    }
                }
                b"beginbfchar" => {
                    while let Some(src) = toks.next() {
                        if src == b"endbfchar" {
                            break;
                        }
                        let Some(dst) = toks.next() else { break };
                        if let (Some(key), Some(text)) = (code(src), utf16(dst)) {
                            if map.chars.len() < MAX_ENTRIES {
                                map.chars.insert(key, String::from_utf16_lossy(&text));
                            }
                        }
                    }
                }
                b"beginbfrange" => {
                    while let Some(lo) = toks.next() {
                        if lo == b"endbfrange" {
                            break;
                        }
                        let (Some(hi), Some(dst)) = (toks.next(), toks.next()) else {
                            break;
                        };
                        let dest = if dst == b"[" {
                            let mut each = Vec::new();
                            for t in toks.by_ref() {
                                if t == b"]" {
                                    break;
                                }
                                if each.len() < MAX_ENTRIES {
                                    each.push(utf16(t).map_or_else(String::new, |u| {
                                        String::from_utf16_lossy(&u)
                                    }));
                                }
                            }
                            Dest::Each(each)
                        } else {
                            match utf16(dst) {
                                Some(u) if !u.is_empty() => Dest::Offset(u),
                                _ => continue,
                            }
                        };
                        if let (Some((n, lo)), Some((_, hi))) = (code(lo), code(hi)) {
                            if lo <= hi && map.ranges.len() < MAX_ENTRIES {
                                map.ranges.push((n, lo, hi, dest));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        map.ranges.sort_by_key(|r| (r.0, r.1));
        map
    }

    /// Whether the map says nothing.
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty() && self.ranges.is_empty()
    }

    /// The text of a code of `len` bytes, appended to `out`; false when the
    /// map has none.
    pub fn lookup(&self, len: u8, code: u32, out: &mut String) -> bool {
        if let Some(s) = self.chars.get(&(len, code)) {
            out.push_str(s);
            return true;
        }
        // the last range starting at or below the code (ranges rarely overlap)
        let at = self.ranges.partition_point(|r| (r.0, r.1) <= (len, code));
        let Some((n, lo, hi, dest)) = at.checked_sub(1).map(|i| &self.ranges[i]) else {
            return false;
        };
        if *n != len || code > *hi {
            return false;
        }
        let k = code - lo;
        match dest {
            Dest::Offset(first) => {
                let mut units = first.clone();
                if let Some(last) = units.last_mut() {
                    *last = last.wrapping_add(k as u16);
                }
                out.extend(char::decode_utf16(units).map(|c| c.unwrap_or('\u{FFFD}')));
                true
            }
            Dest::Each(each) => match each.get(k as usize) {
                Some(s) => {
                    out.push_str(s);
                    true
                }
                None => false,
            },
        }
    }

    /// The byte length of the code that starts `bytes`, by the codespace
    /// ranges (each byte within the range's bounds, ISO 32000-1, 9.7.6.2);
    /// `None` when there are none or none matches.
    pub fn code_len(&self, bytes: &[u8]) -> Option<u8> {
        self.codespace.iter().find_map(|&(n, lo, hi)| {
            let n_us = usize::from(n);
            if n == 0 || n_us > bytes.len() {
                return None;
            }
            let fits = (0..n_us).all(|i| {
                let shift = 8 * (n_us - 1 - i);
                let (l, h) = ((lo >> shift) as u8, (hi >> shift) as u8);
                (l..=h).contains(&bytes[i])
            });
            fits.then_some(n)
        })
    }
}

/// A `<hex>` code: its byte length (1–4) and value.
fn code(t: &[u8]) -> Option<(u8, u32)> {
    let h = t.strip_prefix(b"<")?.strip_suffix(b">")?;
    let bytes = hex_bytes(h);
    if bytes.is_empty() || bytes.len() > 4 {
        return None;
    }
    let v = bytes.iter().fold(0u32, |v, &b| v << 8 | u32::from(b));
    Some((bytes.len() as u8, v))
}

/// A `<hex>` destination as UTF-16 code units.
fn utf16(t: &[u8]) -> Option<Vec<u16>> {
    let h = t.strip_prefix(b"<")?.strip_suffix(b">")?;
    let bytes = hex_bytes(h);
    Some(
        bytes
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(map: &CMap, len: u8, code: u32) -> Option<String> {
        let mut out = String::new();
        map.lookup(len, code, &mut out).then_some(out)
    }

    #[test]
    fn chars_ranges_and_codespaces() {
        let map = CMap::parse(
            b"begincmap 1 begincodespacerange <00> <80> <8140> <9FFC> endcodespacerange \
              2 beginbfchar <0001> <500B> <02> <4EBA> endbfchar \
              2 beginbfrange <0010> <0019> <0030> <0020> <0021> [<0041> <00420043>] endbfrange endcmap",
        );
        assert_eq!(text(&map, 2, 1).as_deref(), Some("個"));
        assert_eq!(text(&map, 1, 2).as_deref(), Some("人"));
        assert_eq!(
            text(&map, 2, 2),
            None,
            "a 2-byte code is not its 1-byte twin"
        );
        assert_eq!(text(&map, 2, 0x13).as_deref(), Some("3"));
        assert_eq!(text(&map, 2, 0x21).as_deref(), Some("BC"));
        assert_eq!(text(&map, 2, 0x1A), None);
        assert_eq!(map.code_len(b"\x41"), Some(1));
        assert_eq!(map.code_len(b"\x88\x9F"), Some(2));
        assert_eq!(map.code_len(b"\xA0"), None);
    }

    #[test]
    fn a_huge_range_is_one_entry() {
        let map = CMap::parse(b"1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange");
        assert_eq!(map.ranges.len(), 1);
        assert_eq!(text(&map, 4, 1).as_deref(), Some("B"));
    }
}
