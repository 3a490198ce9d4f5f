//! Detectors: one per kind of leak, sharing the [`Detector`] trait.
//!
//! A detector looks at a chunk of text ([`TextChunk`]) and/or at a whole file
//! by its name and first bytes ([`FileHead`]) and pushes [`Candidate`]s: byte
//! ranges with a rule, a confidence and the value to fingerprint. Candidates
//! are plain data (no allocation per match); the scanner turns the few that
//! survive into [`crate::finding::Finding`]s.

pub mod credential;
pub mod id_document;
pub mod jp_identifier;
pub mod my_number;
pub mod payment_card;

use crate::context::{Surroundings, TableHeader};
use crate::digits::{NumberToken, MAX_DIGITS};
use crate::finding::{Confidence, RuleMeta, Severity};
use crate::lines::Newlines;
use crate::patterns::PatternError;
use crate::text_table::TextTables;

/// What a detector sees of a text chunk.
pub struct TextChunk<'a> {
    /// One read window of UTF-8 text (decoded if the file was not), with up to
    /// 4 KiB of overlap before and after; candidates that start in the overlap
    /// are dropped (the neighbouring window owns them).
    pub buf: &'a [u8],
    /// Number tokens of `buf`, found once for all numeric detectors.
    pub numbers: &'a [NumberToken],
    /// `buf` with ASCII letters lower-cased (same offsets), made once for the
    /// detectors that match keywords case-insensitively; empty if none asks.
    pub lower: &'a [u8],
    /// The newlines of `buf`, mapped once for all line look-ups.
    pub newlines: &'a Newlines,
    /// The records of the chunk if the file is a CSV/TSV table (a quoted
    /// cell may hold line ends), else empty.
    pub records: &'a crate::records::Records,
    /// Facts about the file the chunk is from.
    pub file: &'a FileContext,
    /// True when `buf[0]` is the first byte of the file.
    pub at_file_start: bool,
    /// The plain-text tables read so far, for text that is not a CSV/TSV
    /// file or JSON ([`crate::text_table`]).
    pub text_tables: Option<&'a TextTables>,
}

impl<'a> TextChunk<'a> {
    /// The chunk as [`context`](crate::context) looks at it: the text, the
    /// file's table header and JSON flag, the lower-cased copy and the newlines.
    pub fn surroundings(&self) -> Surroundings<'a> {
        Surroundings {
            buf: self.buf,
            at_file_start: self.at_file_start,
            table: self.file.table.as_ref(),
            json: self.file.json,
            lower: self.lower,
            newlines: Some(self.newlines),
            records: self.file.table.as_ref().map(|_| self.records),
            text_tables: self.text_tables,
        }
    }
}

/// What a detector sees of a whole file: its path and its first bytes.
pub struct FileHead<'a> {
    /// The path as shown, a member's as `archive.zip!/member`.
    pub path: &'a str,
    /// The first bytes of the file or member (up to
    /// [`HEAD_LEN`](crate::read::HEAD_LEN)), raw, not decoded.
    pub head: &'a [u8],
}

/// Facts about the file being scanned, worked out once per file.
#[derive(Debug, Default)]
pub struct FileContext {
    /// Lower-cased path, for path-hint lookups.
    pub path_lower: String,
    /// The CSV/TSV header row, for tabular files.
    pub table: Option<TableHeader>,
    /// JSON or JSON Lines, by name or by a first `{` or `[`.
    pub json: bool,
    /// Whether the path names My Numbers, worked out on first need (it is
    /// asked for every bare candidate, which digit-heavy files have by the
    /// hundred thousand).
    pub path_names_my_number: std::cell::OnceCell<bool>,
    /// The Japanese-identifier rules (bit i: rule i) with a keyword in the
    /// table header, worked out on first need.
    pub header_identifier_rules: std::cell::OnceCell<u64>,
    /// The table's columns whose header names a credential (password,
    /// secret, token, API key), worked out on first need.
    pub credential_columns: std::cell::OnceCell<Vec<usize>>,
    /// Documentation by its format (reStructuredText, Markdown, man pages …): a
    /// generic credential rule's value there is *low*.
    pub documentation: bool,
}

/// Extensions of documentation formats: reStructuredText, Markdown,
/// AsciiDoc, POD, RDoc, Texinfo.
const DOC_EXTENSIONS: [&str; 8] = [
    ".rst",
    ".md",
    ".markdown",
    ".adoc",
    ".asciidoc",
    ".pod",
    ".rdoc",
    ".texi",
];

/// Whether a file is documentation by its format: a documentation markup
/// (its extension, [`DOC_EXTENSIONS`]) or a manual page (roff: its text
/// starts with `.TH`, `.Dd` or a `.\"` comment). A generic credential
/// rule's value there is an example far more often than a leak (the AWS
/// CLI's example outputs, a man page's `password=secret`); rules for
/// tokens of a known shape are not affected.
fn looks_like_documentation(path_lower: &str, head: &[u8]) -> bool {
    DOC_EXTENSIONS.iter().any(|ext| path_lower.ends_with(ext))
        || [&b".TH "[..], b".Dd ", b".\\\""]
            .iter()
            .any(|m| head.starts_with(m))
}

/// JSON or JSON Lines, by the file's name or its first non-blank byte.
fn looks_like_json(path_lower: &str, head: &[u8]) -> bool {
    [".json", ".jsonl", ".ndjson", ".geojson"]
        .iter()
        .any(|e| path_lower.ends_with(e))
        || head
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(head)
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| matches!(b, b'{' | b'['))
}

impl FileContext {
    /// Works out the facts from the file's path and its first bytes.
    pub fn new(path: &str, head: &[u8]) -> FileContext {
        let path_lower = path.to_lowercase();
        FileContext {
            json: looks_like_json(&path_lower, head),
            path_names_my_number: std::cell::OnceCell::new(),
            header_identifier_rules: std::cell::OnceCell::new(),
            credential_columns: std::cell::OnceCell::new(),
            documentation: looks_like_documentation(&path_lower, head),
            table: TableHeader::detect(&path_lower, head),
            path_lower,
        }
    }
}

/// The value a candidate fingerprints and redacts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    /// Normalised digits of a number.
    Digits {
        /// The digits, ASCII, in `digits[..len]`.
        digits: [u8; MAX_DIGITS],
        /// How many of `digits` are used.
        len: u8,
    },
    /// A byte range of the buffer (a secret).
    Span {
        /// Start of the range, in bytes.
        start: usize,
        /// End of the range (exclusive), in bytes.
        end: usize,
    },
    /// The whole file (a document image).
    File,
}

impl Value {
    /// The digits `d` (ASCII, at most [`MAX_DIGITS`]) as a value. Panics if
    /// `d` is longer.
    pub fn digits(d: &[u8]) -> Value {
        let mut digits = [0; MAX_DIGITS];
        digits[..d.len()].copy_from_slice(d);
        Value::Digits {
            digits,
            len: d.len() as u8,
        }
    }
}

/// A match that a detector stands behind.
#[derive(Clone, Copy, Debug)]
pub struct Candidate {
    /// The rule it is reported under.
    pub rule: &'static RuleMeta,
    /// Byte range in the chunk; `0..0` for whole-file candidates.
    pub start: usize,
    /// End of the byte range (exclusive).
    pub end: usize,
    /// The value to fingerprint and redact.
    pub value: Value,
    /// The finding's severity; usually the rule's.
    pub severity: Severity,
    /// How sure the detector is.
    pub confidence: Confidence,
    /// Card brand, document class, ...
    pub kind: Option<&'static str>,
}

/// A detector of one kind of leak.
pub trait Detector: Send + Sync {
    /// The rules this detector reports under.
    fn rules(&self) -> Vec<&'static RuleMeta>;

    /// Finds candidates in a text chunk.
    fn scan_text(&self, _chunk: &TextChunk<'_>, _out: &mut Vec<Candidate>) {}

    /// Finds candidates from a file's path and first bytes (text or binary).
    fn scan_file(&self, _file: &FileHead<'_>, _out: &mut Vec<Candidate>) {}

    /// Finds candidates in one name of a file, folder or archive member
    /// (no folders in it; ranges are byte offsets into `name`): the values
    /// strong enough to be findings in a name. Identifiers in names are
    /// found by the text detectors over the name's words instead.
    fn scan_name(&self, _name: &[u8], _out: &mut Vec<Candidate>) {}

    /// Whether `scan_text` needs the number tokens of each chunk.
    fn wants_numbers(&self) -> bool {
        false
    }

    /// Whether `scan_text` needs the lower-cased chunk.
    fn wants_lowercase(&self) -> bool {
        false
    }
}

/// Every built-in detector, built from the embedded `patterns/`.
pub struct Detectors {
    /// The detectors, in the order they run: My Number, payment card,
    /// credential, ID document, Japanese identifiers.
    pub all: Vec<Box<dyn Detector>>,
}

impl Detectors {
    /// The built-in detectors alone; an error only if the embedded rule data is
    /// broken.
    pub fn builtin() -> Result<Detectors, PatternError> {
        Detectors::with_custom(None)
    }

    /// The built-in detectors, plus custom credential rules (from a
    /// `.leakscan.toml`) if given. Rule ids must be unique across all.
    pub fn with_custom(
        custom: Option<credential::RuleSource<'_>>,
    ) -> Result<Detectors, PatternError> {
        let set = crate::patterns::builtin()?;
        let mut sources = vec![credential::RuleSource {
            file: "patterns/credentials.toml",
            rules: &set.credentials.rules,
            placeholders: &set.credentials.placeholders,
        }];
        let custom_file = custom.as_ref().map(|c| c.file.to_string());
        sources.extend(custom);
        let detectors = Detectors {
            all: vec![
                Box::new(my_number::MyNumber::new(&set.my_number)),
                Box::new(payment_card::PaymentCard::new(&set.payment_card)?),
                Box::new(
                    credential::Credentials::from_sources(&sources)?
                        .with_placeholder_terms(&set.credentials.placeholder_terms)
                        .with_columns(set.credentials.columns.as_ref())?,
                ),
                Box::new(id_document::IdDocument::new(&set.id_document)),
                Box::new(jp_identifier::JpIdentifiers::new(&set.jp_identifiers)?),
            ],
        };
        let rules = detectors.rules();
        for (i, r) in rules.iter().enumerate() {
            if rules[..i].iter().any(|o| o.id == r.id) {
                return Err(PatternError::Invalid {
                    file: custom_file.unwrap_or_else(|| "patterns/".into()),
                    rule: r.id.clone(),
                    message: "a rule with this id already exists (built-in or earlier in the file)"
                        .into(),
                });
            }
        }
        Ok(detectors)
    }

    /// Every rule of every detector.
    pub fn rules(&self) -> Vec<&'static RuleMeta> {
        self.all.iter().flat_map(|d| d.rules()).collect()
    }

    /// Whether any detector needs the number tokens of each chunk.
    pub fn wants_numbers(&self) -> bool {
        self.all.iter().any(|d| d.wants_numbers())
    }

    /// Whether any detector needs the lower-cased chunk.
    pub fn wants_lowercase(&self) -> bool {
        self.all.iter().any(|d| d.wants_lowercase())
    }
}

/// Leaks a rule description so findings can point at it for the whole run.
pub(crate) fn leak_rule(meta: RuleMeta) -> &'static RuleMeta {
    Box::leak(Box::new(meta))
}
