//! A look at a PDF's bytes before lopdf parses them: how many syntax tokens
//! lie outside stream data, and how many object streams there are. lopdf
//! turns each token into an `Object` of 120 bytes (a 2-byte `1 ` into 60
//! times its size), so a file of nothing but tokens would grow a worker's
//! memory far past its own size; such a file is not handed to it. Nesting
//! depth needs no guard here: lopdf's parser stops arrays and dictionaries
//! at 100 levels (`reader::MAX_NESTING_DEPTH`), and leakscan's own readers
//! do not recurse over objects.

use memchr::memmem;

/// Most syntax tokens outside stream data handed to lopdf: about 30 MB of
/// objects at most; real documents have a few thousand per MB.
pub const MAX_TOKENS: u64 = 250_000;

/// What the pre-scan saw.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Shape {
    /// Syntax tokens outside stream data (names, numbers, strings,
    /// brackets, keywords).
    pub tokens: u64,
    /// `/ObjStm` names: object streams, whose objects lopdf inflates and
    /// parses as it loads.
    pub object_streams: u64,
    /// Whether an `/Encrypt` name is there (an encrypted document).
    pub encrypted: bool,
}

/// Counts the tokens of `pdf` outside stream data, skipping each
/// `stream … endstream` body; one linear pass.
pub fn shape(pdf: &[u8]) -> Shape {
    let mut s = Shape::default();
    let mut i = 0;
    let n = pdf.len();
    while i < n {
        let b = pdf[i];
        match b {
            b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | 0 => i += 1,
            b'%' => {
                while i < n && pdf[i] != b'\n' && pdf[i] != b'\r' {
                    i += 1;
                }
            }
            b'(' => {
                s.tokens += 1;
                i = literal_end(pdf, i);
            }
            b'<' if pdf.get(i + 1) != Some(&b'<') => {
                s.tokens += 1;
                i = memchr::memchr(b'>', &pdf[i..]).map_or(n, |k| i + k + 1);
            }
            b'<' | b'>' if pdf.get(i + 1) == Some(&b) => {
                s.tokens += 1;
                i += 2;
            }
            b'[' | b']' | b'{' | b'}' | b'>' | b')' => {
                s.tokens += 1;
                i += 1;
            }
            _ => {
                let start = i;
                i += 1;
                while i < n && !b" \t\r\n\x0c\0()<>[]{}/%".contains(&pdf[i]) {
                    i += 1;
                }
                s.tokens += 1;
                match &pdf[start..i] {
                    b"stream" => {
                        // the body is data, however long: to its `endstream`
                        i = memmem::find(&pdf[i..], b"endstream").map_or(n, |k| i + k + 9);
                    }
                    b"/ObjStm" => s.object_streams += 1,
                    b"/Encrypt" => s.encrypted = true,
                    _ => {}
                }
            }
        }
    }
    s
}

/// Where the literal string `(…)` opening at `open` ends: just past its
/// closing parenthesis (nested pairs and `\\` escapes counted), or the end
/// of `s` for one that is not closed.
pub(super) fn literal_end(s: &[u8], open: usize) -> usize {
    let mut depth = 0usize;
    let mut i = open;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_tokens_outside_streams() {
        let pdf = b"%PDF-1.7\n1 0 obj << /Type /ObjStm /N 2 /A [1 (a(b)c) <0A>] >> stream\n[[[[ 1 2 3\nendstream endobj";
        let s = shape(pdf);
        assert_eq!(s.object_streams, 1);
        // 1 0 obj << /Type /ObjStm /N 2 /A [ 1 (..) <..> ] >> stream endobj
        assert_eq!(s.tokens, 17);
    }
}
