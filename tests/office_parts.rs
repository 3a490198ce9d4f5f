//! Every part of an Office package is read: headers, footers, comments,
//! notes, properties, alt text, tracked deletions, field codes, sheet
//! headers, data-validation messages, external hyperlinks, and ODF's
//! meta, styles and annotations. Fixtures are written by real producers
//! (python-docx, openpyxl, python-pptx, LibreOffice:
//! `tests/fixtures/office/parts.py`), one planted value per part kind;
//! each is found, in its part, once, and never printed raw. A damaged part
//! is a gap (exit 3), never a silent drop.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

mod common;

use assert_cmd::Command;
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/office/parts")
}

/// What `parts.py` planted: file, part, what, category, last4.
fn planted() -> Vec<Value> {
    serde_json::from_slice(&fs::read(fixtures().join("parts.json")).unwrap()).unwrap()
}

/// The records of a scan of `path` (every confidence, exit code 1 for
/// findings of `fail_on` and up), its exit code, and what it printed
/// (stdout and stderr).
fn scan(path: &Path, fail_on: &str) -> (Vec<Value>, i32, String) {
    let out = Command::cargo_bin("leakscan")
        .unwrap()
        .env("LEAKSCAN_FINGERPRINT_KEY", "office-parts-key-0123456789")
        .args(["scan", "--no-config", "--format", "jsonl"])
        .args(["--min-confidence", "low", "--fail-on", fail_on])
        .arg(path)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let records: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // what was printed, less the keyed hashes (hex that may hold 12 digits)
    let mut printed = String::from_utf8_lossy(&out.stderr).into_owned();
    for r in &records {
        let mut r = r.clone();
        if let Some(o) = r.as_object_mut() {
            o.remove("fingerprint");
            o.remove("value_id");
        }
        printed.push_str(&r.to_string());
    }
    (records, out.status.code().expect("exited"), printed)
}

fn of_type<'a>(records: &'a [Value], kind: &str) -> Vec<&'a Value> {
    records.iter().filter(|r| r["type"] == kind).collect()
}

/// No run of 12 digits or more (a raw My Number), and no planted password
/// beyond the 4 characters its redacted form shows.
fn assert_nothing_raw(file: &str, printed: &str) {
    let mut run = 0;
    for c in printed.chars() {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        assert!(run < 12, "{file}: a raw number was printed");
    }
    for (i, _) in printed.match_indices("Zq") {
        let rest = &printed[i..];
        let shown = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .count();
        assert!(shown <= 4, "{file}: a raw password was printed");
    }
}

#[test]
fn every_planted_value_is_found_in_its_part_once() {
    let planted = planted();
    let mut files: Vec<&str> = planted
        .iter()
        .map(|p| p["file"].as_str().unwrap())
        .collect();
    files.sort_unstable();
    files.dedup();
    assert_eq!(files.len(), 7, "{files:?}");
    for file in files {
        let (records, code, printed) = scan(&fixtures().join(file), "low");
        assert_nothing_raw(file, &printed);
        let gaps: Vec<_> = of_type(&records, "skipped")
            .into_iter()
            .chain(of_type(&records, "error"))
            .collect();
        assert!(gaps.is_empty(), "{file}: {gaps:?}");
        assert_eq!(code, 1, "{file}");
        let findings = of_type(&records, "finding");
        let mine: Vec<&Value> = planted.iter().filter(|p| p["file"] == file).collect();
        for p in &mine {
            let (category, last4, part) =
                (&p["category"], p["last4"].as_str().unwrap(), &p["part"]);
            let part = part.as_str().unwrap();
            let hits: Vec<&&Value> = findings
                .iter()
                .filter(|f| {
                    f["category"] == *category
                        && (category != "my_number"
                            || f["redacted"].as_str().unwrap().ends_with(last4))
                })
                .collect();
            assert!(
                hits.iter()
                    .any(|f| f["member"].as_str().unwrap_or("").contains(part)),
                "{file}: the {} ({category}, …{last4}) was not found in {part}: {hits:?}",
                p["what"]
            );
            // one part reports it: no copy from another part of the package
            let mut members: Vec<&str> =
                hits.iter().map(|f| f["member"].as_str().unwrap()).collect();
            members.dedup();
            assert_eq!(
                members.len(),
                1,
                "{file}: {} reported in {members:?}",
                p["what"]
            );
        }
        // nothing else: the package's plumbing (themes, styles, settings,
        // relationships, fonts) adds no finding
        for f in &findings {
            let known = mine.iter().any(|p| {
                p["category"] == f["category"]
                    && (p["category"] != "my_number"
                        || f["redacted"]
                            .as_str()
                            .unwrap()
                            .ends_with(p["last4"].as_str().unwrap()))
            });
            assert!(known, "{file}: unexpected finding {f}");
        }
    }
}

/// The part `name` of the package `src`.
fn part_of(src: &Path, name: &str) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(fs::File::open(src).unwrap()).unwrap();
    let mut bytes = Vec::new();
    zip.by_name(name).unwrap().read_to_end(&mut bytes).unwrap();
    bytes
}

/// `src` with its part `name` replaced by `data` (or added), written into
/// `dir`.
fn with_part(src: &Path, name: &str, data: &[u8], dir: &Path) -> PathBuf {
    let mut zip = zip::ZipArchive::new(fs::File::open(src).unwrap()).unwrap();
    let out = dir.join(src.file_name().unwrap());
    let mut w = zip::ZipWriter::new(fs::File::create(&out).unwrap());
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut replaced = false;
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let n = f.name().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        let opts = if n == "mimetype" {
            deflated.compression_method(zip::CompressionMethod::Stored)
        } else {
            deflated
        };
        w.start_file(n.as_str(), opts).unwrap();
        replaced |= n == name;
        w.write_all(if n == name { data } else { &bytes }).unwrap();
    }
    if !replaced {
        w.start_file(name, deflated).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap();
    out
}

/// The 12-digit runs of `text`.
fn twelve_digit_runs(text: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut run = String::new();
    for c in text.chars().chain([' ']) {
        if c.is_ascii_digit() {
            run.push(c);
        } else {
            if run.len() == 12 {
                runs.push(run.clone());
            }
            run.clear();
        }
    }
    runs
}

#[test]
fn a_threaded_comment_is_read_and_its_legacy_copy_reported_once() {
    let src = fixtures().join("parts.xlsx");
    let legacy = String::from_utf8(part_of(&src, "xl/comments/comment1.xml")).unwrap();
    let [copied] = &twelve_digit_runs(&legacy)[..] else {
        panic!("the legacy comment holds one number")
    };
    let new = common::Rng(1212).my_number();
    // Excel writes a threaded comment's text into the legacy comment too
    let threaded = format!(
        r#"<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"><threadedComment ref="A2" dT="2024-04-01T10:00:00.00" personId="{{1}}" id="{{2}}"><text>個人番号 {copied}</text></threadedComment><threadedComment ref="A2" dT="2024-04-01T10:05:00.00" personId="{{1}}" id="{{3}}" parentId="{{2}}"><text>訂正: {new}</text></threadedComment></ThreadedComments>"#
    );
    let dir = tempfile::tempdir().unwrap();
    let path = with_part(
        &src,
        "xl/threadedComments/threadedComment1.xml",
        threaded.as_bytes(),
        dir.path(),
    );
    let (records, code, printed) = scan(&path, "low");
    assert_nothing_raw("threaded", &printed);
    assert_eq!(code, 1);
    let findings = of_type(&records, "finding");
    let at = |last4: &str| -> Vec<&str> {
        findings
            .iter()
            .filter(|f| f["redacted"].as_str().unwrap().ends_with(last4))
            .map(|f| f["member"].as_str().unwrap())
            .collect()
    };
    assert_eq!(at(&copied[8..]), ["xl/comments/comment1.xml"]);
    assert_eq!(at(&new[8..]), ["xl/threadedComments/threadedComment1.xml"]);
}

#[test]
fn a_damaged_part_is_a_gap_and_the_scan_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    let bad = b"<cp:coreProperties><dc:title>x</dc:nope></cp:coreProperties>";
    for (file, part) in [
        ("parts.docx", "docProps/core.xml"),
        ("parts.xlsx", "xl/comments/comment1.xml"),
        ("parts.pptx", "ppt/slides/_rels/slide1.xml.rels"),
        ("lo.odt", "meta.xml"),
        ("lo.ods", "styles.xml"),
    ] {
        let path = with_part(&fixtures().join(file), part, bad, dir.path());
        let (records, code, printed) = scan(&path, "never");
        assert_nothing_raw(file, &printed);
        assert_eq!(code, 3, "{file}: {records:?}");
        let errors = of_type(&records, "error");
        assert!(
            errors
                .iter()
                .any(|e| e["member"].as_str().unwrap_or("").contains(part)),
            "{file}: no gap names {part}: {errors:?}"
        );
        // the other parts are still read
        assert!(!of_type(&records, "finding").is_empty(), "{file}");
    }
}
