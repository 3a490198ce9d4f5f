//! Members and data that leakscan once dropped without a record (fixtures
//! made by the real tools: `tests/fixtures/members/make.sh`): every one is
//! read, or is a gap with its reason and exit code 3. Each fixture holds a
//! CSV of labelled My Numbers (synthetic, made with the check-digit code).

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/members")
}

/// Scans `file` (jsonl): exit code and records.
fn scan(file: &str) -> (i32, Vec<Value>) {
    let out = Command::cargo_bin("leakscan")
        .unwrap()
        .current_dir(dir())
        .env("LEAKSCAN_FINGERPRINT_KEY", "members-test-key-0123456789")
        .timeout(Duration::from_secs(120))
        .args(["scan", "--no-config", "--format", "jsonl", file])
        .output()
        .unwrap();
    let records = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (out.status.code().unwrap(), records)
}

/// (member, reason) of every skipped or error record.
fn gaps(records: &[Value]) -> Vec<(String, String)> {
    records
        .iter()
        .filter(|r| r["type"] == "skipped" || r["type"] == "error")
        .map(|r| {
            let m = r["member"].as_str().unwrap_or("").to_string();
            (m, r["reason"].as_str().unwrap_or("").to_string())
        })
        .collect()
}

/// The members of My Number findings (`""` for the file itself).
fn my_numbers(records: &[Value]) -> Vec<String> {
    records
        .iter()
        .filter(|r| r["type"] == "finding" && r["rule_id"] == "my_number")
        .map(|r| r["member"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn tar_members_of_every_type_with_data_are_read() {
    // GNU sparse (type S, also gzipped), contiguous (7), unknown (Z)
    for file in ["sparse.tar", "sparse.tar.gz", "type7.tar", "typeZ.tar"] {
        let (code, records) = scan(file);
        assert_eq!(my_numbers(&records).len(), 3, "{file}");
        assert_eq!(code, 1, "{file}: {:?}", gaps(&records));
    }
}

#[test]
fn a_zip_directory_entry_with_data_is_read() {
    let (code, records) = scan("dirdata.zip");
    assert_eq!(my_numbers(&records).len(), 3);
    assert_eq!(code, 1, "{:?}", gaps(&records));
}

#[test]
fn zip_members_of_the_same_name_are_each_read() {
    let (code, records) = scan("dup.zip");
    assert_eq!(my_numbers(&records).len(), 3);
    assert_eq!(code, 1, "{:?}", gaps(&records));
    let summary = records.last().unwrap();
    // both members: 83 + 6 bytes
    assert_eq!(summary["bytes_scanned"], 89);
}

#[test]
fn lzma_alone_and_lz4_files_are_decoded() {
    for file in ["emp.csv.lzma", "emp.csv.lz4"] {
        let (code, records) = scan(file);
        assert_eq!(my_numbers(&records).len(), 3, "{file}");
        assert_eq!(code, 1, "{file}: {:?}", gaps(&records));
    }
}

#[test]
fn a_zstd_frame_that_needs_a_dictionary_is_unsupported() {
    let (code, records) = scan("dict.csv.zst");
    assert_eq!(code, 3);
    assert_eq!(
        gaps(&records),
        [("dict.csv".to_string(), "unsupported_format".to_string())]
    );
}

#[test]
fn cut_streams_have_their_readable_part_scanned_and_are_damaged() {
    // 4,000 rows each: what decodes before the cut is found (all of a
    // zstd frame whose checksum is cut; the xz and gzip files are cut in
    // half)
    for (file, at_least) in [
        ("cut.csv.zst", 4000),
        ("cut.csv.xz", 1000),
        ("cut.csv.gz", 1000),
    ] {
        let (code, records) = scan(file);
        let found = my_numbers(&records).len();
        assert!(found >= at_least, "{file}: {found}");
        // findings make it 1; the gap is there all the same
        assert_eq!(code, 1, "{file}");
        let g = gaps(&records);
        assert_eq!(g.len(), 1, "{file}: {g:?}");
        assert_eq!(g[0].1, "corrupt_archive", "{file}");
    }
}

#[test]
fn data_after_an_image_is_read_as_a_file_of_its_own() {
    // a CSV behind a JPEG: read as text, its header labelling its numbers
    let (code, records) = scan("photo.jpg");
    let found = my_numbers(&records);
    assert_eq!(found.len(), 3, "{:?}", gaps(&records));
    assert!(found.iter().all(|p| p.contains("(after the image)")));
    assert_eq!(code, 1);
    // a zip behind a PNG: its member is read
    let (code, records) = scan("holiday.png");
    let found = my_numbers(&records);
    assert_eq!(found.len(), 3, "{:?}", gaps(&records));
    assert!(found.iter().all(|p| p.ends_with("emp.csv")));
    assert_eq!(code, 1);
}

#[test]
fn a_zip_behind_an_executable_stub_is_read() {
    let (code, records) = scan("sfx.bin");
    let found = my_numbers(&records);
    assert_eq!(found.len(), 3, "{:?}", gaps(&records));
    assert!(found.iter().all(|p| p.ends_with("emp.csv")));
    assert_eq!(code, 1);
}
