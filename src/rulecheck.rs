//! The one checker of rules' examples, for every rule kind: runs each
//! rule's `examples` and `negative` lists through the real scanner at the
//! default settings, so a custom rule is tested the way the built-in ones
//! are. `leakscan rules check` runs it on a config's custom rules
//! ([`custom`]), the test suite on every built-in rule ([`builtin`]).
//!
//! A text example is scanned as the contents of a file named `example.txt`.
//! An ID-document example is a path: it is scanned as a file of that name
//! holding a JPEG header, and must give exactly one finding; the same path
//! holding plain text must give none. A credential rule's name example
//! (`[rule.in_names]`) is the name of an empty file, and must give an
//! in-name finding.

use std::fmt;

use crate::detect::Detectors;
use crate::fingerprint::Fingerprinter;
use crate::patterns::{CredentialRule, Examples, PatternSet};
use crate::scan::{FileScanner, ScanOptions};

/// The name text examples are scanned under.
const TEXT_EXAMPLE_PATH: &str = "example.txt";

/// The first bytes of a JPEG file (JFIF): what an ID-document example path
/// holds.
const JPEG_HEADER: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00";

/// Plain text: an ID-document example path holding it is no ID document.
const PLAIN_TEXT: &[u8] = b"just some text\n";

/// The kind of a rule, which decides what its examples are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleKind {
    /// `patterns/my_number.toml`: examples are texts.
    MyNumber,
    /// `patterns/payment_card.toml`: examples are texts.
    PaymentCard,
    /// `patterns/credentials.toml` and a config's `[[rule]]` tables:
    /// examples are texts.
    Credential,
    /// `patterns/id_document.toml`: examples are file paths.
    IdDocument,
    /// `[rule.in_names]` of a credential rule: examples are names of
    /// (empty) files.
    CredentialName,
    /// `patterns/jp_identifiers.toml`: examples are texts.
    JpIdentifier,
}

impl RuleKind {
    /// Whether the examples are file paths (checked as files holding an
    /// image) rather than file contents.
    pub fn examples_are_paths(self) -> bool {
        self == RuleKind::IdDocument
    }
}

/// One rule's examples, to check.
#[derive(Clone, Copy, Debug)]
pub struct RuleExamples<'a> {
    /// The rule id findings must carry.
    pub id: &'a str,
    /// What the examples are.
    pub kind: RuleKind,
    /// The examples and negative examples.
    pub examples: &'a Examples,
}

impl RuleExamples<'_> {
    /// `problem`, quoting the example it names (if any). For the project's
    /// own rules (the test suite): `leakscan rules check` never quotes an
    /// example, which could be a real secret.
    pub fn quote(&self, problem: &Problem) -> String {
        let text = match *problem {
            Problem::NotFound { index }
            | Problem::FoundTimes { index, .. }
            | Problem::TextFlagged { index } => self.examples.examples.get(index),
            Problem::NegativeReported { index } => self.examples.negative.get(index),
            Problem::NoExamples | Problem::NoNegatives => None,
        };
        match text {
            Some(t) => format!("{problem}: {t:?}"),
            None => problem.to_string(),
        }
    }
}

/// Every built-in rule's examples, in the order of
/// [`Detectors::rules`]: My Number, payment card, credentials, ID document,
/// Japanese identifiers.
pub fn builtin(set: &PatternSet) -> Vec<RuleExamples<'_>> {
    let mut rules = vec![
        RuleExamples {
            id: &set.my_number.id,
            kind: RuleKind::MyNumber,
            examples: &set.my_number.examples,
        },
        RuleExamples {
            id: &set.payment_card.id,
            kind: RuleKind::PaymentCard,
            examples: &set.payment_card.examples,
        },
    ];
    rules.extend(custom(&set.credentials.rules));
    rules.push(RuleExamples {
        id: &set.id_document.id,
        kind: RuleKind::IdDocument,
        examples: &set.id_document.examples,
    });
    rules.extend(set.jp_identifiers.rules.iter().map(|r| RuleExamples {
        id: &r.id,
        kind: RuleKind::JpIdentifier,
        examples: &r.examples,
    }));
    rules
}

/// The examples of credential rules (a config's `[[rule]]` tables): the
/// texts of each rule looked for in text, then the names of each rule
/// looked for in names.
pub fn custom(rules: &[CredentialRule]) -> Vec<RuleExamples<'_>> {
    let mut out = Vec::new();
    for r in rules {
        if r.in_text {
            out.push(RuleExamples {
                id: &r.id,
                kind: RuleKind::Credential,
                examples: &r.examples,
            });
        }
        if let Some(names) = &r.in_names {
            out.push(RuleExamples {
                id: &r.id,
                kind: RuleKind::CredentialName,
                examples: names,
            });
        }
    }
    out
}

/// Whether a rule must have negative examples.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Negatives {
    /// An empty `negative` list is a [problem](RuleReport::problems) (the
    /// built-in rules).
    Required,
    /// An empty `negative` list is a [warning](RuleReport::warnings) (a
    /// config's custom rules).
    Recommended,
}

/// What is wrong with a rule's examples. Examples are named by their
/// 0-based `index` in their list (shown 1-based), never quoted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The `examples` list is empty.
    NoExamples,
    /// The `negative` list is empty.
    NoNegatives,
    /// The example gives no finding of the rule.
    NotFound {
        /// Position in `examples`.
        index: usize,
    },
    /// The example (a path) gives `hits` findings of the rule, not one.
    FoundTimes {
        /// Position in `examples`.
        index: usize,
        /// Findings of the rule.
        hits: usize,
    },
    /// The example (a path) gives a finding of the rule when the file
    /// holds plain text, not an image.
    TextFlagged {
        /// Position in `examples`.
        index: usize,
    },
    /// The negative example gives a finding of the rule.
    NegativeReported {
        /// Position in `negative`.
        index: usize,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Problem::NoExamples => {
                f.write_str("no examples: add `examples = [...]` with texts the rule must find")
            }
            Problem::NoNegatives => f.write_str(
                "no negative examples: add `negative = [...]` with look-alikes it must not report",
            ),
            Problem::NotFound { index } => write!(f, "example {} is not found", index + 1),
            Problem::FoundTimes { index, hits } => {
                write!(f, "example {} is found {hits} times, not once", index + 1)
            }
            Problem::TextFlagged { index } => write!(
                f,
                "example {} is reported when the file holds text, not an image",
                index + 1
            ),
            Problem::NegativeReported { index } => {
                write!(f, "negative example {} is reported", index + 1)
            }
        }
    }
}

/// The verdict on one rule.
#[derive(Debug)]
pub struct RuleReport {
    /// The rule id.
    pub id: String,
    /// How many examples it has.
    pub examples: usize,
    /// How many negative examples it has.
    pub negatives: usize,
    /// What failed; empty when the rule passes.
    pub problems: Vec<Problem>,
    /// Worth saying, not a failure (no negative examples, when they are
    /// only [`Negatives::Recommended`]).
    pub warnings: Vec<Problem>,
}

impl RuleReport {
    /// Whether the rule passed: no problems (warnings allowed).
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks each of `rules`, which must be rules of `detectors`: every example
/// must give a finding of the rule at the default settings (an ID-document
/// path exactly one, and none when it holds text), and no negative example
/// may. One report per rule, in order.
pub fn check(
    detectors: &Detectors,
    rules: &[RuleExamples<'_>],
    negatives: Negatives,
) -> Vec<RuleReport> {
    let fp = Fingerprinter::new(b"leakscan rules check: fingerprints unused");
    let opts = ScanOptions::default();
    let mut scanner = FileScanner::new(detectors, &fp, &opts);
    let mut hits = |path: &str, content: &[u8], id: &str, in_name: bool| {
        let r = scanner.scan_reader(&mut &content[..], path, path);
        r.findings
            .iter()
            .filter(|f| f.rule.id == id && (f.in_name || !in_name))
            .count()
    };
    rules
        .iter()
        .map(|r| {
            let ex = r.examples;
            let mut report = RuleReport {
                id: r.id.to_string(),
                examples: ex.examples.len(),
                negatives: ex.negative.len(),
                problems: Vec::new(),
                warnings: Vec::new(),
            };
            if ex.examples.is_empty() {
                report.problems.push(Problem::NoExamples);
            }
            if ex.negative.is_empty() {
                match negatives {
                    Negatives::Required => report.problems.push(Problem::NoNegatives),
                    Negatives::Recommended => report.warnings.push(Problem::NoNegatives),
                }
            }
            for (index, e) in ex.examples.iter().enumerate() {
                let (path, content) = input(r.kind, e);
                match hits(path, content, r.id, r.kind == RuleKind::CredentialName) {
                    0 => report.problems.push(Problem::NotFound { index }),
                    1 => {}
                    n if r.kind.examples_are_paths() => {
                        report.problems.push(Problem::FoundTimes { index, hits: n })
                    }
                    _ => {}
                }
                if r.kind.examples_are_paths() && hits(path, PLAIN_TEXT, r.id, false) > 0 {
                    report.problems.push(Problem::TextFlagged { index });
                }
            }
            for (index, n) in ex.negative.iter().enumerate() {
                let (path, content) = input(r.kind, n);
                if hits(path, content, r.id, r.kind == RuleKind::CredentialName) > 0 {
                    report.problems.push(Problem::NegativeReported { index });
                }
            }
            report
        })
        .collect()
}

/// The file name and contents an example of a `kind` rule is scanned as.
fn input(kind: RuleKind, example: &str) -> (&str, &[u8]) {
    match kind {
        RuleKind::IdDocument => (example, JPEG_HEADER),
        RuleKind::CredentialName => (example, b""),
        _ => (TEXT_EXAMPLE_PATH, example.as_bytes()),
    }
}
