//! What a PDF holds besides its pages' text, as real producers write it
//! (tests/fixtures/pdf-extras, made by its make.py with reportlab, pikepdf
//! and LibreOffice): the Info dictionary, XMP metadata, outline titles,
//! form field values, annotation strings, embedded files (a zip read as a
//! zip) and bytes after the last `%%EOF`. Each part holds its own planted
//! value (values.json): it is found at the part's step, and never printed
//! raw. An outline that loops is a gap, not a hang.

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf-extras")
}

/// The planted value of part `kind` (values.json).
fn planted(kind: &str) -> String {
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(dir().join("values.json")).unwrap()).unwrap();
    v[kind].as_str().unwrap().to_string()
}

/// Every planted value.
fn all_planted() -> Vec<String> {
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(dir().join("values.json")).unwrap()).unwrap();
    v.as_object()
        .unwrap()
        .values()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// `leakscan scan FILE` in `--format`: exit code, stdout and stderr.
fn run(file: &str, format: &str) -> (i32, String, String) {
    let out = Command::cargo_bin("leakscan")
        .unwrap()
        .current_dir(dir())
        .env("LEAKSCAN_FINGERPRINT_KEY", "pdf-extras-test-key-0123")
        .timeout(Duration::from_secs(120))
        .args([
            "scan",
            "--no-config",
            "--format",
            format,
            "--min-confidence",
            "low",
            file,
        ])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// `run` as jsonl records.
fn jsonl(file: &str) -> (i32, Vec<Value>) {
    let (code, out, err) = run(file, "jsonl");
    assert_no_raw(&out, &err);
    let records = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (code, records)
}

/// No planted value appears whole in the output.
fn assert_no_raw(out: &str, err: &str) {
    for v in all_planted() {
        assert!(!out.contains(&v), "a raw value in stdout");
        assert!(!err.contains(&v), "a raw value in stderr");
    }
}

/// The members of the findings of `rule` whose redacted form ends as
/// `value` does (values are compared by what redaction keeps).
fn found_at(records: &[Value], rule: &str, value: &str) -> Vec<String> {
    records
        .iter()
        .filter(|r| {
            r["type"] == "finding"
                && r["rule_id"] == rule
                && r["redacted"]
                    .as_str()
                    .unwrap()
                    .ends_with(&value[value.len() - 4..])
        })
        .map(|r| r["member"].as_str().unwrap_or("").to_string())
        .collect()
}

fn gaps(records: &[Value]) -> Vec<(String, String)> {
    records
        .iter()
        .filter(|r| r["type"] == "skipped" || r["type"] == "error")
        .map(|r| {
            (
                r["member"].as_str().unwrap_or("").to_string(),
                r["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_part_of_a_document_is_read_at_its_step() {
    let (code, records) = jsonl("reportlab-parts.pdf");
    assert_eq!(code, 1);
    assert!(gaps(&records).is_empty(), "{:?}", gaps(&records));
    for (kind, member) in [
        ("info", "info"),
        ("metadata", "metadata"),
        ("outline", "outline"),
        ("form", "form"),
        ("annotation", "page-1/annotations"),
        // the zip attached in /EmbeddedFiles is read as a zip
        ("zip", "attachment/staff.zip!/staff.csv"),
        // the CSV a FileAttachment annotation carries
        ("csv", "attachment/notes.csv"),
    ] {
        let at = found_at(&records, "my_number", &planted(kind));
        assert_eq!(at, [member], "{kind}");
    }
    // an attachment named after a number: found in its name, which is
    // shown masked
    let name = planted("name");
    let at = found_at(&records, "my_number", &name);
    let masked = format!("attachment/マイナンバー_********{}.txt", &name[8..]);
    assert_eq!(at, [masked]);
    assert!(records
        .iter()
        .any(|r| r["in_name"] == true && r["member"] == at[0].as_str()));
}

#[test]
fn no_part_prints_a_raw_value_in_any_format() {
    for format in ["text", "json", "csv", "sarif", "github"] {
        let (code, out, err) = run("reportlab-parts.pdf", format);
        assert_eq!(code, 1, "{format}");
        assert_no_raw(&out, &err);
    }
}

#[test]
fn bytes_after_the_last_eof_are_read_as_what_they_are() {
    let (code, records) = jsonl("appended.pdf");
    assert_eq!(code, 1);
    assert!(gaps(&records).is_empty(), "{:?}", gaps(&records));
    let at = found_at(&records, "payment_card", &planted("appended"));
    assert_eq!(at, ["after-eof"]);
    // an update cut before its own xref and %%EOF: its compressed stream
    // is decoded
    let (code, records) = jsonl("appended-update.pdf");
    assert_eq!(code, 1);
    assert!(gaps(&records).is_empty(), "{:?}", gaps(&records));
    let at = found_at(&records, "my_number", &planted("update"));
    assert_eq!(at, ["after-eof/obj-99"]);
}

#[test]
fn libreoffice_writes_the_title_and_keywords_to_info() {
    let (code, records) = jsonl("libreoffice.pdf");
    assert_eq!(code, 1);
    assert!(gaps(&records).is_empty(), "{:?}", gaps(&records));
    for kind in ["lo_title", "lo_keywords"] {
        let at = found_at(&records, "my_number", &planted(kind));
        assert!(at.iter().any(|m| m == "info"), "{kind}: {at:?}");
    }
}

#[test]
fn an_outline_that_loops_is_a_gap_not_a_hang() {
    let (code, records) = jsonl("outline-loop.pdf");
    assert_eq!(code, 3);
    assert_eq!(
        gaps(&records),
        [("outline".to_string(), "corrupt_archive".to_string())]
    );
}
