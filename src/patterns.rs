//! The rule data in `patterns/`, embedded in the binary at build time.
//!
//! Keywords, regexes, brand ranges, file-name terms and each rule's examples
//! are data, not code: adding a credential rule or a keyword is a change to a
//! TOML file in `patterns/`, checked by the test suite through its examples.

use serde::Deserialize;

use crate::finding::{Confidence, Severity};

/// An error in the rule data; names the file and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum PatternError {
    #[error("{file}")]
    Toml {
        file: String,
        #[source]
        source: toml::de::Error,
    },
    #[error("{file}: rule {rule}: bad regex")]
    Regex {
        file: String,
        rule: String,
        #[source]
        source: regex::Error,
    },
    #[error("{file}: rule {rule}: {message}")]
    Invalid {
        file: String,
        rule: String,
        message: String,
    },
}

pub const MY_NUMBER_TOML: &str = include_str!("../patterns/my_number.toml");
pub const PAYMENT_CARD_TOML: &str = include_str!("../patterns/payment_card.toml");
pub const CREDENTIALS_TOML: &str = include_str!("../patterns/credentials.toml");
pub const ID_DOCUMENT_TOML: &str = include_str!("../patterns/id_document.toml");
pub const JP_IDENTIFIERS_TOML: &str = include_str!("../patterns/jp_identifiers.toml");

/// Examples every rule carries; [`rulecheck`](crate::rulecheck) runs them
/// (for the test suite and `leakscan rules check`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// Each must produce a finding of the rule at the default confidence.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Each must produce no finding of the rule at the default confidence.
    #[serde(default)]
    pub negative: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MyNumberPatterns {
    pub id: String,
    pub description: String,
    pub severity: Severity,
    /// Words that label a value as a My Number.
    pub keywords: Vec<String>,
    /// Path words that make a bare valid number in that file likelier.
    pub path_terms: Vec<String>,
    /// Words that explain a number away (tracking numbers, AWS accounts).
    #[serde(default)]
    pub lookalike_words: Vec<String>,
    /// Famous, degenerate or documented values: always low confidence.
    pub test_values: Vec<String>,
    #[serde(flatten)]
    pub examples: Examples,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Brand {
    pub name: String,
    /// IIN prefixes: `"4"`, or inclusive ranges of equal width `"2221-2720"`.
    pub prefixes: Vec<String>,
    pub lengths: Vec<usize>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentCardPatterns {
    pub id: String,
    pub description: String,
    pub severity: Severity,
    pub keywords: Vec<String>,
    /// Published test card numbers: always low confidence.
    pub test_pans: Vec<String>,
    /// Group layouts accepted for separated numbers, e.g. `[4, 4, 4, 4]`.
    pub layouts: Vec<Vec<u8>>,
    #[serde(rename = "brand")]
    pub brands: Vec<Brand>,
    #[serde(flatten)]
    pub examples: Examples,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialRule {
    pub id: String,
    pub description: String,
    pub severity: Severity,
    #[serde(default = "default_credential_confidence")]
    pub confidence: Confidence,
    /// Prefilter: the regex runs only near one of these (case-insensitive).
    pub keywords: Vec<String>,
    /// Runs on the keyword's line; the named group `secret` is the value.
    pub regex: String,
    /// Minimum Shannon entropy of the secret, in bits per character.
    #[serde(default)]
    pub min_entropy: f64,
    /// Longest secret, in characters: longer values are not findings. A
    /// bound here instead of in the regex (`[^\s"']{3,128}`) keeps the
    /// regex cheap to compile: a bounded repeat of a Unicode class is
    /// compiled once per repetition, milliseconds per rule at start-up.
    #[serde(default)]
    pub max_len: Option<usize>,
    /// Regexes of known-harmless values (documented examples) to drop.
    #[serde(default)]
    pub allow: Vec<String>,
    /// Regexes over the whole match (not just the value) to drop, e.g.
    /// documentation hosts such as `@example.com`.
    #[serde(default)]
    pub allow_match: Vec<String>,
    /// In source code (by file extension) report only quoted values: an
    /// unquoted one there is a variable, not a literal.
    #[serde(default)]
    pub code_requires_quotes: bool,
    /// Let the regex run over the following lines too (e.g. key files).
    #[serde(default)]
    pub multiline: bool,
    /// A string (case-sensitive) that every match contains: the regex runs
    /// only on windows holding it, a cheap check before the regex. The
    /// rule's examples show whether it is right.
    #[serde(default)]
    pub requires: Option<String>,
    /// Skip the shared placeholder check (for formats that cannot hold one).
    #[serde(default)]
    pub skip_placeholder_check: bool,
    /// A catch-all rule (`password = ...`): dropped where a specific rule
    /// matched the same value.
    #[serde(default)]
    pub generic: bool,
    #[serde(flatten)]
    pub examples: Examples,
}

fn default_credential_confidence() -> Confidence {
    Confidence::High
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialPatterns {
    /// Values that are placeholders, not secrets, whatever the rule.
    pub placeholders: Vec<String>,
    #[serde(rename = "rule")]
    pub rules: Vec<CredentialRule>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentClass {
    pub name: String,
    pub severity: Severity,
    /// Severity when a "back side" word is present too.
    #[serde(default)]
    pub back_severity: Option<Severity>,
    pub terms: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdDocumentPatterns {
    pub id: String,
    pub description: String,
    #[serde(rename = "class")]
    pub classes: Vec<DocumentClass>,
    /// Words naming the back side of a card.
    pub back_terms: Vec<String>,
    /// Paths to flag / not flag, each checked as a file holding an image
    /// header (see [`rulecheck`](crate::rulecheck)).
    #[serde(flatten)]
    pub examples: Examples,
}

/// How a `jp_identifier` rule validates a value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Validator {
    #[default]
    None,
    CorporateNumber,
    DriversLicense,
    Mrz,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JpIdentifierRule {
    pub id: String,
    pub description: String,
    pub severity: Severity,
    /// Confidence with a keyword labelling the value.
    #[serde(default = "default_credential_confidence")]
    pub confidence: Confidence,
    /// Evidence words; the rule runs only where one occurs.
    pub keywords: Vec<String>,
    /// The value is the named group `id`.
    pub regex: String,
    /// Forms that are evidence by themselves (group `id`).
    #[serde(default)]
    pub anchors: Vec<String>,
    /// Prefilter words for the anchors.
    #[serde(default)]
    pub anchor_keywords: Vec<String>,
    /// `[before, after]`: a plain digit run between these is evidence.
    #[serde(default)]
    pub number_anchor: Vec<String>,
    /// Words that, on the value's line, raise confidence one level.
    #[serde(default)]
    pub boost: Vec<String>,
    #[serde(default)]
    pub validator: Validator,
    #[serde(flatten)]
    pub examples: Examples,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JpIdentifierPatterns {
    #[serde(rename = "rule")]
    pub rules: Vec<JpIdentifierRule>,
}

/// Every built-in pattern file, parsed.
#[derive(Debug, Clone)]
pub struct PatternSet {
    pub my_number: MyNumberPatterns,
    pub payment_card: PaymentCardPatterns,
    pub credentials: CredentialPatterns,
    pub id_document: IdDocumentPatterns,
    pub jp_identifiers: JpIdentifierPatterns,
}

fn parse<T: for<'de> Deserialize<'de>>(file: &str, text: &str) -> Result<T, PatternError> {
    toml::from_str(text).map_err(|source| PatternError::Toml {
        file: file.to_string(),
        source,
    })
}

/// Parses the embedded pattern files.
pub fn builtin() -> Result<PatternSet, PatternError> {
    Ok(PatternSet {
        my_number: parse("patterns/my_number.toml", MY_NUMBER_TOML)?,
        payment_card: parse("patterns/payment_card.toml", PAYMENT_CARD_TOML)?,
        credentials: parse("patterns/credentials.toml", CREDENTIALS_TOML)?,
        id_document: parse("patterns/id_document.toml", ID_DOCUMENT_TOML)?,
        jp_identifiers: parse("patterns/jp_identifiers.toml", JP_IDENTIFIERS_TOML)?,
    })
}
