//! ID-document files: a scan or photo (by magic bytes: JPEG, PNG, GIF, BMP,
//! TIFF, WebP, HEIC/HEIF, PDF) whose file name or parent directories name an
//! identity document (マイナンバーカード, 運転免許証, passport, zairyu, ...).
//!
//! The extension is not trusted: `passport.dat` holding a JPEG is a finding,
//! `passport.txt` holding text is not, and `logo.png` names no document.
//! One finding per file. Confidence is **high** when the file name itself
//! names the document, **medium** when only a parent directory does. A word
//! for the back side (裏, ura, back) raises the severity of classes whose
//! back carries the number (the My Number card).

use crate::detect::{leak_rule, Candidate, Detector, FileHead, Value};
use crate::finding::{Category, Confidence, RuleMeta, Severity};
use crate::patterns::IdDocumentPatterns;

/// ASCII terms shorter than this match only as whole words (`dl`, `cv`,
/// `kyc`, `ura`), so that `download.png` or `curation/` do not match.
const WHOLE_WORD_BELOW: usize = 6;

struct Class {
    name: &'static str,
    severity: Severity,
    back_severity: Option<Severity>,
    terms: Vec<String>,
}

/// The ID-document detector (rule `id_document`): one finding per image or
/// scan whose name or parent directories name an identity document.
pub struct IdDocument {
    rule: &'static RuleMeta,
    classes: Vec<Class>,
    back_terms: Vec<String>,
}

/// Searched in the head of every file that is no image: built once.
static PDF_MAGIC: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"%PDF-"));

/// The kind of image or scan a file's first bytes announce.
pub fn image_kind(head: &[u8]) -> Option<&'static str> {
    let starts = |m: &[u8]| head.starts_with(m);
    if starts(b"\xFF\xD8\xFF") {
        Some("jpeg")
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some("gif")
    } else if starts(b"BM") && head.len() >= 14 && head[6..10] == [0, 0, 0, 0] {
        Some("bmp")
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        Some("tiff")
    } else if starts(b"RIFF") && head.len() >= 12 && &head[8..12] == b"WEBP" {
        Some("webp")
    } else if head.len() >= 12 && &head[4..8] == b"ftyp" {
        match &head[8..12] {
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" => Some("heic"),
            b"mif1" | b"msf1" => Some("heif"),
            b"avif" => Some("avif"),
            _ => None,
        }
    } else if head.len() >= 5 && PDF_MAGIC.find(&head[..head.len().min(1024)]).is_some() {
        Some("pdf")
    } else {
        None
    }
}

/// Does `term` occur in `hay` (both lower-case), as a whole word if short?
fn contains_term(hay: &str, term: &str) -> bool {
    if !term.is_ascii() || term.len() >= WHOLE_WORD_BELOW {
        return hay.contains(term);
    }
    let bytes = hay.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric();
    hay.match_indices(term).any(|(i, _)| {
        let before = i == 0 || !is_word(bytes[i - 1]);
        let after = i + term.len() >= bytes.len() || !is_word(bytes[i + term.len()]);
        before && after
    })
}

impl IdDocument {
    /// Builds the detector from `patterns/id_document.toml`; the rule's severity
    /// is the highest any class can reach.
    pub fn new(p: &IdDocumentPatterns) -> IdDocument {
        let lower = |v: &Vec<String>| v.iter().map(|t| t.to_lowercase()).collect::<Vec<_>>();
        IdDocument {
            rule: leak_rule(RuleMeta {
                id: p.id.clone(),
                category: Category::IdDocument,
                severity: p
                    .classes
                    .iter()
                    .map(|c| c.back_severity.unwrap_or(c.severity).max(c.severity))
                    .max()
                    .unwrap_or(Severity::High),
                description: p.description.clone(),
            }),
            classes: p
                .classes
                .iter()
                .map(|c| Class {
                    name: Box::leak(c.name.clone().into_boxed_str()),
                    severity: c.severity,
                    back_severity: c.back_severity,
                    terms: lower(&c.terms),
                })
                .collect(),
            back_terms: lower(&p.back_terms),
        }
    }

    /// The best document class named by `name`, with its severity.
    fn classify(&self, name: &str) -> Option<(&Class, Severity)> {
        let back = self.back_terms.iter().any(|t| contains_term(name, t));
        self.classes
            .iter()
            .filter(|c| c.terms.iter().any(|t| contains_term(name, t)))
            .map(|c| {
                let sev = match (back, c.back_severity) {
                    (true, Some(b)) => b,
                    _ => c.severity,
                };
                (c, sev)
            })
            .max_by_key(|(_, sev)| *sev)
    }
}

impl Detector for IdDocument {
    fn rules(&self) -> Vec<&'static RuleMeta> {
        vec![self.rule]
    }

    fn scan_file(&self, file: &FileHead<'_>, out: &mut Vec<Candidate>) {
        let Some(_image) = image_kind(file.head) else {
            return;
        };
        let lower = file.path.to_lowercase();
        let (dir, name) = match lower.rfind(['/', '\\']) {
            Some(i) => (&lower[..i], &lower[i + 1..]),
            None => ("", lower.as_str()),
        };
        let (class, severity, confidence) = match self.classify(name) {
            Some((c, sev)) => (c, sev, Confidence::High),
            None => match self.classify(&lower) {
                Some((c, sev)) if !dir.is_empty() => (c, sev, Confidence::Medium),
                _ => return,
            },
        };
        out.push(Candidate {
            rule: self.rule,
            start: 0,
            end: 0,
            value: Value::File,
            severity,
            confidence,
            kind: Some(class.name),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes_decide_the_kind() {
        assert_eq!(image_kind(b"\xFF\xD8\xFF\xE0rest"), Some("jpeg"));
        assert_eq!(image_kind(b"\x89PNG\r\n\x1a\nxxxx"), Some("png"));
        assert_eq!(image_kind(b"%PDF-1.7\n"), Some("pdf"));
        assert_eq!(image_kind(b"\0\0\0\x18ftypheic\0\0"), Some("heic"));
        assert_eq!(image_kind(b"RIFF\0\0\0\0WEBPVP8 "), Some("webp"));
        assert_eq!(image_kind(b"hello world"), None);
    }

    #[test]
    fn short_terms_match_whole_words_only() {
        assert!(contains_term("scan/dl_front.jpg", "dl"));
        assert!(!contains_term("download.png", "dl"));
        assert!(contains_term("マイナンバー裏.jpg", "裏"));
        assert!(contains_term("my_passport_scan.jpg", "passport"));
    }
}
