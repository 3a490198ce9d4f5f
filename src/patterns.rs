//! The rule data in `patterns/`, embedded in the binary at build time.
//!
//! Keywords, regexes, brand ranges, file-name terms and each rule's examples
//! are data, not code: adding a credential rule or a keyword is a change to a
//! TOML file in `patterns/`, checked by the test suite through its examples.

use serde::Deserialize;

use crate::finding::{Confidence, Severity};

/// Why a regex does not build, in leakscan's words: the regex crate's
/// message quotes the pattern.
pub fn regex_reason(e: &regex::Error) -> &'static str {
    match e {
        regex::Error::CompiledTooBig(_) => "too big once compiled",
        _ => "syntax error",
    }
}

/// An error in the rule data; names the file and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum PatternError {
    /// A file that is not valid TOML or does not fit the schema.
    #[error("{file}")]
    Toml {
        /// The pattern or rules file.
        file: String,
        /// The parser's error, with line and column.
        #[source]
        source: toml::de::Error,
    },
    /// A rule's regex (or allow, placeholder or anchor regex) does not compile.
    #[error(
        "{file}: rule `{}`: bad regex: {}",
        crate::redact::name(rule),
        regex_reason(cause)
    )]
    Regex {
        /// The pattern or rules file.
        file: String,
        /// The rule's id (or `placeholders`).
        rule: String,
        /// The regex crate's error: kept for its kind, never shown (its
        /// text quotes the pattern, which may hold anything).
        cause: regex::Error,
    },
    /// A rule that parses but breaks a constraint (no keywords, a duplicate
    /// id, a bad IIN prefix, ...).
    #[error("{file}: rule {rule}: {message}")]
    Invalid {
        /// The pattern or rules file.
        file: String,
        /// The rule's id (a brand's name for an IIN prefix).
        rule: String,
        /// What is wrong.
        message: String,
    },
}

/// `patterns/my_number.toml`: the My Number detector's data.
pub const MY_NUMBER_TOML: &str = include_str!("../patterns/my_number.toml");
/// `patterns/payment_card.toml`: the payment card detector's data.
pub const PAYMENT_CARD_TOML: &str = include_str!("../patterns/payment_card.toml");
/// `patterns/credentials.toml`: the credential rules and shared placeholders.
pub const CREDENTIALS_TOML: &str = include_str!("../patterns/credentials.toml");
/// `patterns/id_document.toml`: the ID-document classes and terms.
pub const ID_DOCUMENT_TOML: &str = include_str!("../patterns/id_document.toml");
/// `patterns/jp_identifiers.toml`: the rules for other Japanese identifiers.
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

/// The My Number detector's data (`patterns/my_number.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MyNumberPatterns {
    /// Rule id, reported as a finding's `rule_id`.
    pub id: String,
    /// What the rule finds, reported as a finding's `description`.
    pub description: String,
    /// Severity of every finding of the rule.
    pub severity: Severity,
    /// Words that label a value as a My Number.
    pub keywords: Vec<String>,
    /// Path words that make a bare valid number in that file likelier.
    pub path_terms: Vec<String>,
    /// Words that explain a number away (tracking numbers, AWS accounts).
    #[serde(default)]
    pub lookalike_words: Vec<String>,
    /// Column headers that name another identifier (社員番号, employee
    /// id): such a column is never inferred to hold My Numbers.
    #[serde(default)]
    pub other_id_headers: Vec<String>,
    /// Famous, degenerate or documented values: always low confidence.
    pub test_values: Vec<String>,
    /// Texts that must / must not give a finding.
    #[serde(flatten)]
    pub examples: Examples,
}

/// A payment card brand: its IIN ranges and card lengths.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Brand {
    /// Lower-case brand name (`visa`, `amex`, ...), reported as a finding's `kind`.
    pub name: String,
    /// IIN prefixes: `"4"`, or inclusive ranges of equal width `"2221-2720"`.
    pub prefixes: Vec<String>,
    /// Card number lengths of the brand, in digits.
    pub lengths: Vec<usize>,
}

/// The payment card detector's data (`patterns/payment_card.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentCardPatterns {
    /// Rule id, reported as a finding's `rule_id`.
    pub id: String,
    /// What the rule finds, reported as a finding's `description`.
    pub description: String,
    /// Severity of every finding of the rule.
    pub severity: Severity,
    /// Words that label a value as a card number (ASCII case ignored).
    pub keywords: Vec<String>,
    /// Published test card numbers: always low confidence.
    pub test_pans: Vec<String>,
    /// Group layouts accepted for separated numbers, e.g. `[4, 4, 4, 4]`.
    pub layouts: Vec<Vec<u8>>,
    /// The brands' own groupings (`[4, 4, 4, 4]`, Amex's `[4, 6, 5]`):
    /// written with spaces or hyphens in running text, support for a
    /// number without a keyword.
    pub brand_layouts: Vec<Vec<u8>>,
    /// Payment words (payment, 決済, ...) on a number's line: support for a
    /// number without a card keyword (medium, not high).
    pub support_words: Vec<String>,
    /// The known brands (`[[brand]]` tables); a number must fit one.
    #[serde(rename = "brand")]
    pub brands: Vec<Brand>,
    /// Texts that must / must not give a finding.
    #[serde(flatten)]
    pub examples: Examples,
}

/// One credential rule (a `[[rule]]` of `patterns/credentials.toml` or of a
/// user's rules in `.leakscan.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialRule {
    /// Rule id, unique among built-in and user rules; a finding's `rule_id`.
    pub id: String,
    /// What the rule finds, reported as a finding's `description`.
    pub description: String,
    /// Severity of every finding of the rule.
    pub severity: Severity,
    /// Confidence of every match (default high).
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
    /// Report the finding where the whole match starts (a key block's
    /// `-----BEGIN` line, as other scanners do), not where the `secret`
    /// group does; the value stays the `secret` group.
    #[serde(default)]
    pub located_at_match: bool,
    /// A catch-all rule (`password = ...`): dropped where a specific rule
    /// matched the same value.
    #[serde(default)]
    pub generic: bool,
    /// Regexes (case-insensitive) over the named group `key` of a match (the
    /// name a value is assigned to): a match whose key matches one is no
    /// finding (`NextToken`, `password_file`: a pagination token, a file
    /// name). Without a `key` group the list is unused.
    #[serde(default)]
    pub ignore_keys: Vec<String>,
    /// Drop values shaped like code or documentation rather than secrets:
    /// names and expressions (`options.password`, `MODULE_PWD_STATE`,
    /// `passwordFile`), and base64 that decodes to prose or JSON
    /// (`crate::detect::credential::is_wordy_name`, `is_encoded_text`).
    #[serde(default)]
    pub value_shape_check: bool,
    /// Looked for in text (the default); `false` for a rule of names alone.
    #[serde(default = "yes")]
    pub in_text: bool,
    /// Also looked for in the names of files, folders and archive members
    /// (`[rule.in_names]`, with the names it must and must not find): a
    /// value of fixed shape (a token's prefix) or assigned (`password=…`)
    /// is a finding there, and is masked wherever a name is shown
    /// ([`crate::redact::name`]). Built-in rules only: names are masked
    /// before any configuration is read.
    #[serde(default)]
    pub in_names: Option<Examples>,
    /// Texts that must / must not give a finding.
    #[serde(flatten)]
    pub examples: Examples,
}

fn default_credential_confidence() -> Confidence {
    Confidence::High
}

fn yes() -> bool {
    true
}

/// The credential detector's data (`patterns/credentials.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialPatterns {
    /// Values that are placeholders, not secrets, whatever the rule.
    pub placeholders: Vec<String>,
    /// Words of documentation and placeholders (`STRING`, `filepath`,
    /// `yourpassword`, `パスワード`, `任意`): a value equal to one, ASCII case,
    /// `_`, `-`, `.` and blanks ignored, is no secret, whatever the rule.
    #[serde(default)]
    pub placeholder_terms: Vec<String>,
    /// The rules (`[[rule]]` tables).
    #[serde(rename = "rule")]
    pub rules: Vec<CredentialRule>,
    /// Table columns whose cells are credentials (`[columns]`).
    pub columns: Option<CredentialColumns>,
}

/// Table columns that hold credentials (`[columns]` of
/// `patterns/credentials.toml`): a CSV/TSV or worksheet column whose header
/// cell matches `header`; its cells are reported under `rule`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialColumns {
    /// The rule (a `[[rule]]` id) the cells are reported under.
    pub rule: String,
    /// A regex over the whole header cell, trimmed and ASCII lower-cased.
    pub header: String,
    /// The fewest characters a cell needs to be a credential.
    pub min_len: usize,
    /// Header cells that must match `header` (checked by the tests).
    #[serde(default)]
    pub header_examples: Vec<String>,
    /// Header cells that must not.
    #[serde(default)]
    pub header_negative: Vec<String>,
}

/// A class of identity document (`[[class]]` of `patterns/id_document.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentClass {
    /// Class name (`my_number_card`, `passport`, ...), reported as a finding's `kind`.
    pub name: String,
    /// Severity of a finding of this class.
    pub severity: Severity,
    /// Severity when a "back side" word is present too.
    #[serde(default)]
    pub back_severity: Option<Severity>,
    /// Words naming the document in a file name or parent directory (case
    /// ignored; ASCII terms shorter than 6 bytes match whole words only).
    pub terms: Vec<String>,
}

/// The ID-document detector's data (`patterns/id_document.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdDocumentPatterns {
    /// Rule id, reported as a finding's `rule_id`.
    pub id: String,
    /// What the rule finds, reported as a finding's `description`.
    pub description: String,
    /// The document classes (`[[class]]` tables); the most severe match wins.
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
    /// No check beyond the regex.
    #[default]
    None,
    /// The Corporate Number (法人番号) check digit: a failure drops the value.
    CorporateNumber,
    /// A driver's licence number: 12 digits starting with a known 公安委員会
    /// code (else dropped); a failed check digit lowers confidence one level.
    DriversLicense,
    /// An MRZ document number: where the match carries its check digit (a `<`
    /// or 10 characters), the ICAO 9303 check digit must hold; it is then dropped
    /// from the value.
    Mrz,
}

/// One rule of the `jp_identifier` detector (a `[[rule]]` of
/// `patterns/jp_identifiers.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JpIdentifierRule {
    /// Rule id, reported as a finding's `rule_id`.
    pub id: String,
    /// What the rule finds, reported as a finding's `description`.
    pub description: String,
    /// Severity of every finding of the rule.
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
    /// How the value is checked (default none).
    #[serde(default)]
    pub validator: Validator,
    /// Texts that must / must not give a finding.
    #[serde(flatten)]
    pub examples: Examples,
}

/// The `jp_identifier` detector's data (`patterns/jp_identifiers.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JpIdentifierPatterns {
    /// The rules (`[[rule]]` tables).
    #[serde(rename = "rule")]
    pub rules: Vec<JpIdentifierRule>,
}

/// Every built-in pattern file, parsed.
#[derive(Debug, Clone)]
pub struct PatternSet {
    /// `patterns/my_number.toml`.
    pub my_number: MyNumberPatterns,
    /// `patterns/payment_card.toml`.
    pub payment_card: PaymentCardPatterns,
    /// `patterns/credentials.toml`.
    pub credentials: CredentialPatterns,
    /// `patterns/id_document.toml`.
    pub id_document: IdDocumentPatterns,
    /// `patterns/jp_identifiers.toml`.
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
