//! Output: renders file results and the summary for people (`text`), for
//! pipelines (`jsonl`, `json`, `csv`), for CI (`sarif`, `github`) and for
//! SIEMs (`ecs`, `ocsf`, `hec`).
//!
//! Every format renders the same native records (see `docs/schema.json`):
//! one per finding, and for the native formats one per file that failed or
//! was skipped, and a summary. None of them carries a raw value unless
//! `--show-secrets` was given.

pub mod csv;
pub mod github;
pub mod json;
pub mod jsonl;
pub mod sarif;
pub mod siem;
pub mod text;

use std::io;

use serde::Serialize;

use crate::finding::Finding;
use crate::outcome::Issue;
use crate::outcome::Outcome;
use crate::scan::FileResult;
use crate::summary::Summary;

/// The record of a file's findings past the listing cap, one per rule and
/// severity (`docs/schema.json`, `unlisted`).
#[derive(Serialize)]
pub struct UnlistedRecord<'a> {
    /// [`SCHEMA_VERSION`].
    pub schema_version: &'static str,
    /// Always `unlisted`.
    #[serde(rename = "type")]
    pub kind_of_record: &'static str,
    /// The file, as shown.
    pub path: &'a str,
    /// The rule.
    pub rule_id: &'a str,
    /// Its category.
    pub category: &'static str,
    /// Their severity.
    pub severity: &'static str,
    /// How many.
    pub count: u64,
}

impl<'a> UnlistedRecord<'a> {
    /// The records of a result's unlisted findings.
    pub fn all(r: &'a FileResult) -> impl Iterator<Item = UnlistedRecord<'a>> {
        r.unlisted.iter().map(|u| UnlistedRecord {
            schema_version: SCHEMA_VERSION,
            kind_of_record: "unlisted",
            path: &r.path,
            rule_id: &u.rule.id,
            category: u.rule.category.as_str(),
            severity: u.severity.as_str(),
            count: u.count,
        })
    }
}

/// Version of the JSON record schema (`docs/schema.json`).
pub const SCHEMA_VERSION: &str = "1.0";

/// Renders results as they come, then the summary.
pub trait Reporter {
    /// Takes one file's result: its findings and, in the formats that have
    /// them, its error and skip records. Results come in walk order.
    fn file(&mut self, result: &FileResult) -> io::Result<()>;
    /// Renders the summary (and whatever the format holds until the end);
    /// called once, after the last file.
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;
}

/// The native `finding` record (`$defs/finding` of `docs/schema.json`).
#[derive(Serialize)]
pub struct FindingRecord<'a> {
    /// [`SCHEMA_VERSION`].
    pub schema_version: &'static str,
    /// `type`: always `finding`.
    #[serde(rename = "type")]
    pub kind_of_record: &'static str,
    /// The rule's id.
    pub rule_id: &'a str,
    /// [`Category`](crate::finding::Category) name: `my_number`, `payment_card`, ...
    pub category: &'static str,
    /// `low`, `medium`, `high` or `critical`.
    pub severity: &'static str,
    /// `low`, `medium` or `high`.
    pub confidence: &'static str,
    /// The file as reached from the path given on the command line; `<stdin>`
    /// for standard input.
    pub path: &'a str,
    /// 1-based line; null for whole-file findings.
    pub line: Option<u64>,
    /// 1-based column in characters; null for whole-file findings.
    pub column: Option<u64>,
    /// Byte offset of the match (see [`Finding::byte_offset`]); null for
    /// whole-file findings.
    pub byte_offset: Option<u64>,
    /// Encoding the text was decoded from; null for whole-file findings.
    pub encoding: Option<&'static str>,
    /// The archive member the match is in; null for plain files.
    pub member: Option<String>,
    /// The cell of a match in a spreadsheet (the sheet is `member`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<&'a str>,
    /// What may be shown of the value (see [`Finding::redacted`]).
    pub redacted: &'a str,
    /// Keyed id of this finding in this file (32 hex characters).
    pub fingerprint: &'a str,
    /// Keyed id of the value in any file (32 hex characters).
    pub value_id: &'a str,
    /// Card brand or document class, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
    /// True when the value is in the name of the file, folder or member
    /// (absent otherwise).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub in_name: bool,
    /// What the rule finds.
    pub description: &'a str,
    /// The raw value; only with `--show-secrets`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<&'a str>,
}

impl<'a> FindingRecord<'a> {
    /// The record of a finding.
    pub fn new(f: &'a Finding) -> FindingRecord<'a> {
        FindingRecord {
            schema_version: SCHEMA_VERSION,
            kind_of_record: "finding",
            rule_id: &f.rule.id,
            category: f.rule.category.as_str(),
            severity: f.severity.as_str(),
            confidence: f.confidence.as_str(),
            path: &f.provenance.path,
            line: f.line,
            column: f.column,
            byte_offset: f.byte_offset,
            encoding: f.encoding,
            member: f.provenance.member(),
            cell: f.provenance.cell.as_deref(),
            redacted: &f.redacted,
            fingerprint: &f.fingerprint,
            value_id: &f.value_id,
            kind: f.kind,
            in_name: f.in_name,
            description: &f.rule.description,
            secret: f.secret.as_deref(),
        }
    }
}

/// A file that was skipped or could not be read.
#[derive(Serialize)]
pub struct FileRecord<'a> {
    /// [`SCHEMA_VERSION`].
    pub schema_version: &'static str,
    /// `type`: `error` or `skipped`.
    #[serde(rename = "type")]
    pub kind_of_record: &'static str,
    /// The file as reached from the path given on the command line.
    pub path: &'a str,
    /// The archive member concerned, for a member of an archive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// [`SkipReason`](crate::outcome::SkipReason) or
    /// [`FailureKind`](crate::outcome::FailureKind) name (`too_large`,
    /// `permission_denied`, ...).
    pub reason: &'a str,
    /// The OS error or an explanation.
    pub message: String,
}

impl<'a> FileRecord<'a> {
    /// The error or skip record of a result, if it is one.
    pub fn new(r: &'a FileResult) -> Option<FileRecord<'a>> {
        let (kind_of_record, reason, message) = match &r.outcome {
            Outcome::Scanned { .. } => return None,
            Outcome::Skipped(reason) => ("skipped", reason.as_str(), reason.explain().to_string()),
            Outcome::Failed { kind, error } => ("error", kind.as_str(), error.to_string()),
        };
        Some(FileRecord {
            schema_version: SCHEMA_VERSION,
            kind_of_record,
            path: &r.path,
            member: None,
            reason,
            message,
        })
    }

    /// The file's own record (if any), then one per archive member that
    /// was skipped or failed.
    pub fn all(r: &'a FileResult) -> Vec<FileRecord<'a>> {
        let mut out: Vec<FileRecord<'a>> = FileRecord::new(r).into_iter().collect();
        for m in &r.members {
            let (kind_of_record, reason, message) = match &m.issue {
                Issue::Skipped(reason) => {
                    ("skipped", reason.as_str(), reason.explain().to_string())
                }
                Issue::Failed { kind, error } => ("error", kind.as_str(), error.to_string()),
            };
            out.push(FileRecord {
                schema_version: SCHEMA_VERSION,
                kind_of_record,
                path: &r.path,
                member: Some(m.member_path()),
                reason,
                message,
            });
        }
        out
    }
}

/// The native `summary` record: the [`Summary`] counts with the tool's name
/// and version (`$defs/summary` of `docs/schema.json`).
#[derive(Serialize)]
pub struct SummaryRecord<'a> {
    /// [`SCHEMA_VERSION`].
    pub schema_version: &'static str,
    /// `type`: always `summary`.
    #[serde(rename = "type")]
    pub kind_of_record: &'static str,
    /// The program that wrote the record.
    pub tool: Tool,
    /// The counts, flattened into the record.
    #[serde(flatten)]
    pub summary: &'a Summary,
}

/// The `tool` object of a summary record.
#[derive(Serialize)]
pub struct Tool {
    /// Always `leakscan`.
    pub name: &'static str,
    /// The crate version (`CARGO_PKG_VERSION`).
    pub version: &'static str,
}

impl<'a> SummaryRecord<'a> {
    /// The record of a summary.
    pub fn new(summary: &'a Summary) -> SummaryRecord<'a> {
        SummaryRecord {
            schema_version: SCHEMA_VERSION,
            kind_of_record: "summary",
            tool: Tool {
                name: "leakscan",
                version: env!("CARGO_PKG_VERSION"),
            },
            summary,
        }
    }
}
