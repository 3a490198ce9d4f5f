//! SIEM renderings, one JSON event per line, each of one finding:
//! * `ecs`: Elastic Common Schema (`event.kind: alert`), leakscan's own
//!   fields under `leakscan.*`;
//! * `ocsf`: OCSF Data Security Finding (class 2006, category 2, type 200601);
//! * `hec`: Splunk HTTP Event Collector events around the native record.
//!
//! None carries a raw value unless `--show-secrets`.

use std::io::{self, Write};
use std::time::SystemTime;

use serde_json::{json, Value};

use super::{FindingRecord, Reporter};
use crate::finding::{Confidence, Finding, Severity};
use crate::outcome::Outcome;
use crate::scan::FileResult;
use crate::summary::Summary;

/// Which SIEM schema to render.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Schema {
    /// `ecs`: Elastic Common Schema documents.
    Ecs,
    /// `ocsf`: OCSF Data Security Finding events.
    Ocsf,
    /// `hec`: Splunk HTTP Event Collector events.
    Hec,
}

/// The `ecs`, `ocsf` and `hec` reporter.
pub struct Siem<W: Write> {
    out: W,
    schema: Schema,
}

/// ECS version the documents follow.
pub const ECS_VERSION: &str = "8.11.0";
/// OCSF schema version the events follow.
pub const OCSF_VERSION: &str = "1.3.0";

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn extension(path: &str) -> Option<&str> {
    let name = file_name(path);
    match name.rfind('.') {
        Some(i) if i > 0 && i + 1 < name.len() => Some(&name[i + 1..]),
        _ => None,
    }
}

/// ECS/OCSF-style numeric severity: 1 (low) .. 4 (critical) for ECS; OCSF
/// severity_id: 2 Low, 3 Medium, 4 High, 5 Critical.
fn ocsf_severity_id(s: Severity) -> u8 {
    match s {
        Severity::Low => 2,
        Severity::Medium => 3,
        Severity::High => 4,
        Severity::Critical => 5,
    }
}

fn ocsf_confidence_id(c: Confidence) -> u8 {
    match c {
        Confidence::Low => 1,
        Confidence::Medium => 2,
        Confidence::High => 3,
    }
}

fn ecs_severity(s: Severity) -> u8 {
    match s {
        Severity::Low => 21,
        Severity::Medium => 47,
        Severity::High => 73,
        Severity::Critical => 99,
    }
}

fn ecs(f: &Finding, size: Option<u64>, now: SystemTime) -> Value {
    let mut file = json!({ "path": f.provenance.path, "name": file_name(&f.provenance.path) });
    if let Some(ext) = extension(&f.provenance.path) {
        file["extension"] = json!(ext);
    }
    if let Some(size) = size {
        file["size"] = json!(size);
    }
    json!({
        "@timestamp": humantime::format_rfc3339_millis(now).to_string(),
        "ecs": { "version": ECS_VERSION },
        "message": super::sarif::message(f),
        "event": {
            "kind": "alert",
            "category": ["file"],
            "type": ["info"],
            "action": "sensitive-data-found",
            "module": "leakscan",
            "dataset": "leakscan.finding",
            "severity": ecs_severity(f.severity),
        },
        "rule": {
            "id": f.rule.id,
            "name": f.rule.id,
            "category": f.rule.category.as_str(),
            "description": f.rule.description,
            "ruleset": "leakscan",
        },
        "file": file,
        "observer": { "product": "leakscan", "type": "scanner", "version": env!("CARGO_PKG_VERSION") },
        "leakscan": FindingRecord::new(f),
    })
}

fn ocsf(f: &Finding, size: Option<u64>, now: SystemTime) -> Value {
    let millis = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let mut file = json!({ "name": file_name(&f.provenance.path), "path": f.provenance.path, "type_id": 1, "type": "Regular File" });
    if let Some(size) = size {
        file["size"] = json!(size);
    }
    json!({
        "activity_id": 1,
        "activity_name": "Create",
        "category_uid": 2,
        "category_name": "Findings",
        "class_uid": 2006,
        "class_name": "Data Security Finding",
        "type_uid": 200601,
        "type_name": "Data Security Finding: Create",
        "severity_id": ocsf_severity_id(f.severity),
        "severity": capitalize(f.severity.as_str()),
        "confidence_id": ocsf_confidence_id(f.confidence),
        "confidence": capitalize(f.confidence.as_str()),
        "status_id": 1,
        "status": "New",
        "time": millis,
        "message": super::sarif::message(f),
        "metadata": {
            "version": OCSF_VERSION,
            "product": { "name": "leakscan", "vendor_name": "leakscan", "version": env!("CARGO_PKG_VERSION") },
        },
        "finding_info": {
            "uid": f.fingerprint,
            "title": f.rule.description,
            "desc": super::sarif::message(f),
            "types": [f.rule.category.as_str()],
            "analytic": { "uid": f.rule.id, "name": f.rule.id, "type_id": 1, "type": "Rule" },
        },
        "file": file,
        "data_security": {
            "data_lifecycle_state_id": 1,
            "data_lifecycle_state": "Data at-Rest",
            "detection_system_id": 1,
            "detection_system": "Endpoint",
            "category_id": 99,
            "category": f.rule.category.as_str(),
        },
        "unmapped": FindingRecord::new(f),
    })
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn hec(f: &Finding, now: SystemTime) -> Value {
    let secs = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64());
    json!({
        "time": (secs * 1000.0).round() / 1000.0,
        "source": "leakscan",
        "sourcetype": "leakscan:finding",
        "event": FindingRecord::new(f),
    })
}

impl<W: Write> Siem<W> {
    /// Writes events of `schema` to `out`.
    pub fn new(out: W, schema: Schema) -> Self {
        Siem { out, schema }
    }
}

impl<W: Write> Reporter for Siem<W> {
    fn file(&mut self, r: &FileResult) -> io::Result<()> {
        let size = match r.outcome {
            Outcome::Scanned { bytes, .. } => Some(bytes),
            _ => None,
        };
        let now = SystemTime::now();
        for f in &r.findings {
            let event = match self.schema {
                Schema::Ecs => ecs(f, size, now),
                Schema::Ocsf => ocsf(f, size, now),
                Schema::Hec => hec(f, now),
            };
            serde_json::to_writer(&mut self.out, &event)?;
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.out.flush()
    }
}
