//! PowerPoint 97–2003 (`.ppt`) text: the text atoms of the `PowerPoint
//! Document` stream — `TextCharsAtom` (UTF-16LE) and `TextBytesAtom`
//! (8-bit, the low bytes of UTF-16) — wherever they are (the slide list,
//! text boxes on slides and notes), each as lines ([MS-PPT] 2.9.x). The
//! records are walked in one flat pass (a container's header is stepped
//! over into its children), so no nesting can exhaust the stack; every
//! length is checked against the stream.
//!
//! Runs in the reader child ([`super::sandbox`]).

use super::sandbox::Gap;

const TEXT_CHARS_ATOM: u16 = 0x0FA0;
const TEXT_BYTES_ATOM: u16 = 0x0FA8;
/// Present when the presentation is password-protected.
const CRYPT_SESSION: u16 = 0x2F14;

/// The text of a `PowerPoint Document` stream, one atom a line (`\r` and
/// vertical tabs inside an atom are line breaks too).
pub fn text(stream: &[u8]) -> Result<String, Gap> {
    let mut out = String::new();
    let mut p = 0usize;
    while let Some(header) = stream.get(p..p + 8) {
        let ver_instance = u16::from_le_bytes([header[0], header[1]]);
        let kind = u16::from_le_bytes([header[2], header[3]]);
        let len = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
        p += 8;
        if kind == CRYPT_SESSION {
            return Err(Gap::Encrypted);
        }
        if ver_instance & 0x000F == 0x000F {
            continue; // a container: its children follow
        }
        let body = stream.get(p..p.saturating_add(len)).unwrap_or(&stream[p..]);
        match kind {
            TEXT_CHARS_ATOM => {
                let units = body
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]));
                push_line(
                    &mut out,
                    char::decode_utf16(units).map(|c| c.unwrap_or('\u{FFFD}')),
                );
            }
            TEXT_BYTES_ATOM => push_line(&mut out, body.iter().map(|&b| char::from(b))),
            _ => {}
        }
        p = p.saturating_add(len);
    }
    Ok(out)
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
}
