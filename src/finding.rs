//! The finding record: what a detector reports, and the scales (severity,
//! confidence, category) that every output format shares.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How bad a leak of this kind is, independent of how sure we are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// `low`.
    Low,
    /// `medium`.
    Medium,
    /// `high`.
    High,
    /// `critical`: a My Number, the back of a My Number card, ...
    Critical,
}

/// How sure the detector is that the match is a real identifier or secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// `low`: little or no evidence, or a known test value.
    Low,
    /// `medium`: some evidence (a keyword a few lines above, the file's
    /// path), or a value likely enough alone.
    Medium,
    /// `high`: a keyword labels the value, or its form is unambiguous.
    High,
}

/// The kind of data a rule finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// `my_number`: My Numbers (個人番号).
    MyNumber,
    /// `payment_card`: payment card numbers (PANs).
    PaymentCard,
    /// `credential`: keys, tokens, passwords.
    Credential,
    /// `id_document`: images and scans of identity documents.
    IdDocument,
    /// Other Japanese identifiers: Corporate Number, driver's licence,
    /// passport, residence card, pension number, bank account.
    JpIdentifier,
}

impl Category {
    /// Every category, in declaration order.
    pub const ALL: [Category; 5] = [
        Category::MyNumber,
        Category::PaymentCard,
        Category::Credential,
        Category::IdDocument,
        Category::JpIdentifier,
    ];

    /// The category's name in reports (`my_number`, ...), as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::MyNumber => "my_number",
            Category::PaymentCard => "payment_card",
            Category::Credential => "credential",
            Category::IdDocument => "id_document",
            Category::JpIdentifier => "jp_identifier",
        }
    }
}

impl Severity {
    /// Every severity, lowest first.
    pub const ALL: [Severity; 4] = [
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    /// The severity's name in reports (`low`, ...), as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl Confidence {
    /// The confidence's name in reports (`low`, ...), as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

macro_rules! display_and_parse {
    ($ty:ty, $($name:literal => $val:expr),+) => {
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl FromStr for $ty {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s.to_ascii_lowercase().as_str() {
                    $($name => Ok($val),)+
                    _ => Err(format!(
                        "unknown value {s:?} (expected one of: {})",
                        [$($name),+].join(", ")
                    )),
                }
            }
        }
    };
}

display_and_parse!(Severity, "low" => Severity::Low, "medium" => Severity::Medium,
    "high" => Severity::High, "critical" => Severity::Critical);
display_and_parse!(Confidence, "low" => Confidence::Low, "medium" => Confidence::Medium,
    "high" => Confidence::High);
display_and_parse!(Category, "my_number" => Category::MyNumber,
    "payment_card" => Category::PaymentCard, "credential" => Category::Credential,
    "id_document" => Category::IdDocument, "jp_identifier" => Category::JpIdentifier);

/// Static description of one rule, shared by every finding it produces.
#[derive(Clone, Debug, Serialize)]
pub struct RuleMeta {
    /// Rule id (`my_number`, `aws-access-key-id`, ...), a finding's `rule_id`.
    pub id: String,
    /// The kind of data the rule finds.
    pub category: Category,
    /// The rule's severity; a finding's may differ (see [`Finding::severity`]).
    pub severity: Severity,
    /// What the rule finds, in one line; a finding's `description`.
    pub description: String,
}

/// One reported leak. Holds no raw value unless the user asked for it with
/// `--show-secrets` (then `secret` is set).
#[derive(Clone, Debug)]
pub struct Finding {
    /// The rule that found it.
    pub rule: &'static RuleMeta,
    /// Severity of this finding; usually the rule's, raised for stronger
    /// evidence (e.g. the back of a My Number card).
    pub severity: Severity,
    /// How sure the detector is.
    pub confidence: Confidence,
    /// Where the finding is: file, members inside it, cell.
    pub provenance: crate::provenance::Provenance,
    /// 1-based line; `None` for whole-file findings.
    pub line: Option<u64>,
    /// 1-based column in characters; `None` for whole-file findings.
    pub column: Option<u64>,
    /// Byte offset of the match; `None` for whole-file findings. For text
    /// read as UTF-8 (`encoding` is `utf-8`) the offset in the file; for text
    /// decoded from another encoding the offset in the text decoded to UTF-8
    /// (as are line and column).
    pub byte_offset: Option<u64>,
    /// Encoding of the text the match was found in, as a lower-case WHATWG
    /// name (`utf-8`, `utf-16le`, `shift_jis`, `euc-jp`, `iso-2022-jp`, ...);
    /// `None` for whole-file findings.
    pub encoding: Option<&'static str>,
    /// The value is in the name of the file, folder or archive member, not
    /// in its content (`line` and `column` are then `None`).
    pub in_name: bool,
    /// What may be shown of the value: a My Number's last 4 digits, a card's
    /// first 6 and last 4, at most a credential's first 4 characters; for an ID
    /// document `[image: <kind>]`.
    pub redacted: String,
    /// 32 hex characters of HMAC-SHA256 over (rule, value, path relative to the
    /// scan root): one finding in one file, stable across runs (see
    /// [`fingerprint`](crate::fingerprint)).
    pub fingerprint: String,
    /// 32 hex characters of HMAC-SHA256 over (rule, value): the same value in
    /// any file.
    pub value_id: String,
    /// Card brand, document class, ... where the detector knows one.
    pub kind: Option<&'static str>,
    /// The raw value (lossy UTF-8), only with `--show-secrets`.
    pub secret: Option<String>,
}
