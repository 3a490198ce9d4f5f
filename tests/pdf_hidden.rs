//! What a PDF holds where neither its pages nor its named parts show it,
//! as real producers write it (tests/fixtures/pdf-hidden, made by its
//! make.py with reportlab, pikepdf and pyHanko): JavaScript (a string and a
//! stream), a link's URI, an annotation an update took off its page, and
//! the text and notes of an earlier revision that an incremental update
//! replaced ("redacted" by an update, still in the file). Each is found
//! once at its step, never printed raw; a linearized file is not mistaken
//! for one with revisions.

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf-hidden")
}

fn values() -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir().join("values.json")).unwrap()).unwrap()
}

/// `leakscan scan --format jsonl FILE` (and at low confidence): exit code
/// and records; no planted value appears raw in any output.
fn jsonl(file: &str) -> (i32, Vec<Value>) {
    let out = Command::cargo_bin("leakscan")
        .unwrap()
        .current_dir(dir())
        .env("LEAKSCAN_FINGERPRINT_KEY", "pdf-hidden-test-key-0123")
        .timeout(Duration::from_secs(120))
        .args([
            "scan",
            "--no-config",
            "--format",
            "jsonl",
            "--min-confidence",
            "low",
            file,
        ])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    for v in values().as_object().unwrap().values() {
        let v = v.as_str().unwrap();
        assert!(!stdout.contains(v) && !stderr.contains(v), "a raw value");
    }
    let records = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (out.status.code().unwrap_or(-1), records)
}

/// `(member, redacted)` of every My Number finding.
fn found(records: &[Value]) -> Vec<(String, String)> {
    records
        .iter()
        .filter(|r| r["type"] == "finding" && r["rule_id"] == "my_number")
        .map(|r| {
            (
                r["member"].as_str().unwrap_or("").to_string(),
                r["redacted"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn gaps(records: &[Value]) -> Vec<&Value> {
    records
        .iter()
        .filter(|r| r["type"] == "skipped" || r["type"] == "error")
        .collect()
}

/// Asserts that the planted value `kind` was found exactly once, at `member`.
fn once_at(found: &[(String, String)], kind: &str, member: &str) {
    let v = values()[kind].as_str().unwrap().to_string();
    let at: Vec<_> = found
        .iter()
        .filter(|(_, r)| r.ends_with(&v[8..]))
        .map(|(m, _)| m.as_str())
        .collect();
    assert_eq!(at, [member], "{kind}: {found:?}");
}

#[test]
fn javascript_and_link_targets_are_read() {
    let (code, records) = jsonl("javascript.pdf");
    assert_eq!(code, 1);
    assert!(gaps(&records).is_empty(), "{:?}", gaps(&records));
    let found = found(&records);
    once_at(&found, "js", "javascript");
    once_at(&found, "js_stream", "javascript");
    once_at(&found, "uri", "objects");
    assert_eq!(found.len(), 3, "{found:?}");
}

#[test]
fn what_an_incremental_update_replaced_or_dropped_is_read() {
    let (code, records) = jsonl("revisions.pdf");
    assert_eq!(code, 1);
    assert!(gaps(&records).is_empty(), "{:?}", gaps(&records));
    let found = found(&records);
    // the page's text before the update replaced its content stream
    once_at(&found, "rev_page", "revision-1/page-1");
    // the note's text before the update changed it
    once_at(&found, "rev_note", "revision-1/objects");
    // the note the update took off the page: still an object of the file
    once_at(&found, "orphan_note", "objects");
    assert_eq!(found.len(), 3, "{found:?}");
}

#[test]
fn a_linearized_file_has_one_revision() {
    let (code, records) = jsonl("linearized.pdf");
    assert_eq!(code, 1);
    assert!(gaps(&records).is_empty(), "{:?}", gaps(&records));
    let found = found(&records);
    once_at(&found, "linearized", "page-1");
    assert_eq!(found.len(), 1, "{found:?}");
}
