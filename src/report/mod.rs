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

/// Version of the JSON record schema (`docs/schema.json`).
pub const SCHEMA_VERSION: &str = "1.0";

/// Renders results as they come, then the summary.
pub trait Reporter {
    fn file(&mut self, result: &FileResult) -> io::Result<()>;
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;
}

#[derive(Serialize)]
pub struct FindingRecord<'a> {
    pub schema_version: &'static str,
    #[serde(rename = "type")]
    pub kind_of_record: &'static str,
    pub rule_id: &'a str,
    pub category: &'static str,
    pub severity: &'static str,
    pub confidence: &'static str,
    pub path: &'a str,
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub byte_offset: Option<u64>,
    /// Encoding the text was decoded from; null for whole-file findings.
    pub encoding: Option<&'static str>,
    /// The archive member the match is in; null for plain files.
    pub member: Option<String>,
    /// The cell of a match in a spreadsheet (the sheet is `member`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<&'a str>,
    pub redacted: &'a str,
    pub fingerprint: &'a str,
    pub value_id: &'a str,
    /// Card brand or document class, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
    pub description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<&'a str>,
}

impl<'a> FindingRecord<'a> {
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
            description: &f.rule.description,
            secret: f.secret.as_deref(),
        }
    }
}

/// A file that was skipped or could not be read.
#[derive(Serialize)]
pub struct FileRecord<'a> {
    pub schema_version: &'static str,
    #[serde(rename = "type")]
    pub kind_of_record: &'static str,
    pub path: &'a str,
    /// The archive member concerned, for a member of an archive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    pub reason: &'a str,
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

#[derive(Serialize)]
pub struct SummaryRecord<'a> {
    pub schema_version: &'static str,
    #[serde(rename = "type")]
    pub kind_of_record: &'static str,
    pub tool: Tool,
    #[serde(flatten)]
    pub summary: &'a Summary,
}

#[derive(Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

impl<'a> SummaryRecord<'a> {
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
