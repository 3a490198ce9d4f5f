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
//!
//! An ASCII term matches whole name segments only: where it starts and
//! ends, the name is split by a separator (anything but a letter or a
//! digit: `_`, `-`, `.`, a blank), a change between letters and digits, or
//! a change of case inside a short camel-case word (`MyResume`); so
//! `my_resume_2024.jpg` and `MyPassport.png` name documents, and
//! `download.png`, `curation/` and `ButtonResumeTimerNormal.png` (a camel-case
//! name of four words is a program's asset) do not. Other scripts have no
//! such segments: `履歴書.pdf` and `社員_履歴書一覧/` match anywhere.

use crate::detect::{leak_rule, Candidate, Detector, FileHead, Value};
use crate::finding::{Category, Confidence, RuleMeta, Severity};
use crate::patterns::IdDocumentPatterns;

/// The most words (case changes plus one) a run of letters may have for a
/// case change inside it to split a term off: `MyResume` (2) is a name a
/// person gives, `ButtonResumeTimerNormal` (4) one a program does.
const MAX_CAMEL_WORDS: usize = 2;

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

/// A path in the forms terms are looked for in: as written (for its case
/// changes), ASCII lower-cased (same offsets) and lower-cased.
struct Hay<'a> {
    orig: &'a str,
    ascii: String,
    lower: String,
}

impl<'a> Hay<'a> {
    fn new(orig: &'a str) -> Hay<'a> {
        Hay {
            orig,
            ascii: orig.to_ascii_lowercase(),
            lower: orig.to_lowercase(),
        }
    }

    /// Does `term` (lower-case) occur, an ASCII one as whole segments?
    fn contains(&self, term: &str) -> bool {
        if !term.is_ascii() {
            return self.lower.contains(term);
        }
        let b = self.orig.as_bytes();
        self.ascii
            .match_indices(term)
            .any(|(i, _)| segment_edge(b, i) && segment_edge(b, i + term.len()))
    }
}

/// Whether a name segment starts or ends at byte `k` of `name`: its ends,
/// a byte that is no ASCII letter or digit on either side, a change
/// between letters and digits, or a lower-to-upper case change inside a
/// run of letters of at most [`MAX_CAMEL_WORDS`] words.
fn segment_edge(name: &[u8], k: usize) -> bool {
    if k == 0 || k >= name.len() {
        return true;
    }
    let (x, y) = (name[k - 1], name[k]);
    if !x.is_ascii_alphanumeric() || !y.is_ascii_alphanumeric() {
        return true;
    }
    if x.is_ascii_digit() != y.is_ascii_digit() {
        return true;
    }
    if !(x.is_ascii_lowercase() && y.is_ascii_uppercase()) {
        return false;
    }
    let start = name[..k]
        .iter()
        .rposition(|b| !b.is_ascii_alphabetic())
        .map_or(0, |i| i + 1);
    let end = name[k..]
        .iter()
        .position(|b| !b.is_ascii_alphabetic())
        .map_or(name.len(), |i| k + i);
    let run = &name[start..end];
    let changes = run
        .windows(2)
        .filter(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
        .count();
    changes < MAX_CAMEL_WORDS
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
        let hay = Hay::new(name);
        let back = self.back_terms.iter().any(|t| hay.contains(t));
        self.classes
            .iter()
            .filter(|c| c.terms.iter().any(|t| hay.contains(t)))
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
        let path = file.path;
        let (dir, name) = match path.rfind(['/', '\\']) {
            Some(i) => (&path[..i], &path[i + 1..]),
            None => ("", path),
        };
        let (class, severity, confidence) = match self.classify(name) {
            Some((c, sev)) => (c, sev, Confidence::High),
            None => match self.classify(path) {
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

    fn has(path: &str, term: &str) -> bool {
        Hay::new(path).contains(term)
    }

    #[test]
    fn ascii_terms_match_whole_segments_only() {
        assert!(has("scan/dl_front.jpg", "dl"));
        assert!(!has("download.png", "dl"));
        assert!(has("マイナンバー裏.jpg", "裏"));
        assert!(has("my_passport_scan.jpg", "passport"));
        assert!(has("resume.pdf", "resume"));
        assert!(has("my_resume_2024.jpg", "resume"));
        assert!(has("Resume2024.PDF", "resume"));
        assert!(has("MyResume.pdf", "resume"));
        assert!(has("履歴書.pdf", "履歴書"));
        assert!(!has("ButtonResumeTimerNormal.png", "resume"));
        assert!(!has("presumed.png", "resume"));
        assert!(!has("passportal.png", "passport"));
        assert!(has("drivers_license-front.jpg", "drivers_license"));
    }
}
