//! Data hidden where no extractor shows a file, and formats read as
//! binary before, end to end on files written by real producers
//! (`tests/fixtures/hidden/make.py`: Python's zipfile and gzip, Info-ZIP
//! `zip -z`/`-c`, GNU gzip `-N`, pigz `-C`, GNU tar `--pax-option`, zstd,
//! lz4, pyarrow, fastavro, Python's codecs): zip archive and member
//! comments, bytes after a zip's end record or outside its members, a
//! gzip header's name, comment and extra field (in every member), tar pax
//! records and link targets, zstd and LZ4 skippable frames, UTF-32 and
//! EBCDIC text. Each planted My Number is found in the member that holds
//! it and never printed raw without `--show-secrets`; Parquet, ORC,
//! Feather and Avro files are `unsupported_format` gaps (exit 3).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hidden")
}

/// (file, member, value) of every value `make.py` planted.
fn planted() -> Vec<(String, String, String)> {
    std::fs::read_to_string(dir().join("planted.tsv"))
        .unwrap()
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0].to_string(), f[1].to_string(), f[2].to_string())
        })
        .collect()
}

/// Scans `file` with `args`: exit code, stdout, stderr.
fn run(file: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("leakscan")
        .unwrap()
        .current_dir(dir())
        .env("LEAKSCAN_FINGERPRINT_KEY", "hidden-test-key-0123456789")
        .timeout(Duration::from_secs(60))
        .args(["scan", "--no-config"])
        .args(args)
        .arg(file)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The jsonl records of a scan of `file` (`extra` flags): exit code, records.
fn scan(file: &str, extra: &[&str]) -> (i32, Vec<Value>) {
    let mut args = vec!["--format", "jsonl"];
    args.extend_from_slice(extra);
    let (code, out, _) = run(file, &args);
    let records = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (code, records)
}

/// (member, reason) of every skipped or error record.
fn gaps(records: &[Value]) -> Vec<(String, String)> {
    records
        .iter()
        .filter(|r| r["type"] == "skipped" || r["type"] == "error")
        .map(|r| {
            let m = r["member"].as_str().unwrap_or("").to_string();
            (m, r["reason"].as_str().unwrap().to_string())
        })
        .collect()
}

/// (member, value) of every My Number found (`--show-secrets`).
fn found(records: &[Value]) -> BTreeSet<(String, String)> {
    records
        .iter()
        .filter(|r| r["type"] == "finding" && r["rule_id"] == "my_number")
        .map(|r| {
            (
                r["member"].as_str().unwrap_or("").to_string(),
                r["secret"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn values_hidden_outside_members_are_found_where_they_are() {
    let planted = planted();
    let files: BTreeSet<&str> = planted.iter().map(|(f, _, _)| f.as_str()).collect();
    assert_eq!(files.len(), 16, "make.py planted every fixture");
    for file in files {
        let want: BTreeSet<(String, String)> = planted
            .iter()
            .filter(|(f, _, _)| f == file)
            .map(|(_, m, v)| (m.clone(), v.clone()))
            .collect();
        let (code, records) = scan(file, &["--show-secrets", "--min-confidence", "low"]);
        assert_eq!(gaps(&records), [], "{file}: nothing left unread");
        assert_eq!(code, 1, "{file}: the value makes the gate fail");
        // compared as sets: a failure names the fixture and members only
        let got = found(&records);
        let members = |s: &BTreeSet<(String, String)>| -> Vec<String> {
            s.iter().map(|(m, _)| m.clone()).collect()
        };
        assert!(
            got == want,
            "{file}: found in {:?}, planted in {:?}",
            members(&got),
            members(&want)
        );
        // without --show-secrets no output names a value, in any format
        for format in ["text", "jsonl", "sarif", "csv"] {
            let (code, out, err) = run(file, &["--format", format, "--min-confidence", "low"]);
            assert_eq!(code, 1, "{file} {format}");
            for (_, v) in &want {
                assert!(
                    !out.contains(v.as_str()) && !err.contains(v.as_str()),
                    "{file} {format}: a raw value printed"
                );
            }
        }
    }
}

#[test]
fn names_in_gzip_headers_and_link_targets_are_names() {
    for (file, member) in [
        ("name.gz", "(gzip name)"),
        ("link.tar", "link.csv (link target)"),
    ] {
        let (_, records) = scan(file, &["--min-confidence", "low"]);
        let f: Vec<&Value> = records
            .iter()
            .filter(|r| r["type"] == "finding" && r["member"] == member)
            .collect();
        assert_eq!(f.len(), 1, "{file}");
        assert_eq!(f[0]["in_name"], true, "{file}");
    }
}

#[test]
fn text_in_utf32_and_ebcdic_is_decoded() {
    for (file, encoding) in [
        ("bom.utf32.csv", "utf-32le"),
        ("le.utf32.csv", "utf-32le"),
        ("be.utf32.csv", "utf-32be"),
        ("cp037.txt", "ibm037"),
    ] {
        let (_, records) = scan(file, &[]);
        let f: Vec<&Value> = records
            .iter()
            .filter(|r| r["type"] == "finding" && r["rule_id"] == "my_number")
            .collect();
        assert_eq!(f.len(), 1, "{file}");
        assert_eq!(f[0]["encoding"], encoding, "{file}");
        assert_eq!(f[0]["line"], 2, "{file}: lines count in the decoded text");
    }
}

#[test]
fn columnar_files_are_gaps_not_claimed_as_read() {
    for file in ["table.parquet", "table.orc", "table.feather", "table.avro"] {
        let (code, records) = scan(file, &[]);
        // a value its text runs show (Parquet's column statistics under
        // the column's name) is a finding (1); else the gap makes the scan
        // incomplete (3)
        let found = records.iter().any(|r| r["type"] == "finding");
        assert_eq!(code, if found { 1 } else { 3 }, "{file}");
        assert_eq!(
            gaps(&records),
            [(String::new(), "unsupported_format".to_string())],
            "{file}"
        );
        // accepted, the gap passes the gate
        let (code, _) = scan(file, &["--accept", "unsupported_format"]);
        assert_eq!(code, if found { 1 } else { 0 }, "{file}");
    }
}
