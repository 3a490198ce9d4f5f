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
    scan_with(file, &[], None)
}

/// Scans `file` (jsonl) with more `flags`, `stdin` piped in: exit code and
/// records.
fn scan_with(file: &str, flags: &[&str], stdin: Option<Vec<u8>>) -> (i32, Vec<Value>) {
    let mut cmd = Command::cargo_bin("leakscan").unwrap();
    cmd.current_dir(dir())
        .env("LEAKSCAN_FINGERPRINT_KEY", "members-test-key-0123456789")
        .timeout(Duration::from_secs(120))
        .args(["scan", "--no-config", "--format", "jsonl"])
        .args(flags)
        .arg(file);
    if let Some(input) = stdin {
        cmd.write_stdin(input);
    }
    let out = cmd.output().unwrap();
    let records = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (out.status.code().unwrap(), records)
}

/// Whether every My Number finding is redacted: its last four digits only,
/// and no 12-digit run anywhere in the records (outside hex digests).
fn all_redacted(records: &[Value]) -> bool {
    let twelve = regex::Regex::new(r"(^|[^0-9a-f])[0-9]{12}([^0-9a-f]|$)").unwrap();
    records.iter().all(|r| {
        let redacted = r["type"] != "finding"
            || r["redacted"]
                .as_str()
                .is_some_and(|v| v.starts_with("********") && v.len() == 12);
        redacted && !twelve.is_match(&r.to_string())
    })
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

#[test]
fn a_checksum_that_does_not_match_is_a_damaged_member() {
    // 300 rows each, the data intact and its check wrong: the rows are
    // found (the data is scanned as it decodes) and the file is damaged
    // all the same; bzip2 alone withholds a block whose CRC is wrong (its
    // decoder checks the CRC as the block's last bytes come out)
    for file in [
        "crc.csv.gz",    // gzip CRC-32 (flate2)
        "size.csv.gz",   // gzip ISIZE (flate2)
        "crc.csv.bz2",   // bzip2 block CRC (libbz2-rs-sys)
        "crc64.csv.xz",  // xz CRC-64 check (lzma-rust2)
        "sha256.csv.xz", // xz SHA-256 check
        "sum.csv.zst",   // zstd content checksum (compared here)
        "sum.csv.lz4",   // LZ4 content checksum (lz4_flex)
    ] {
        let (code, records) = scan_with(file, &["--fail-on", "never"], None);
        assert_eq!(code, 3, "{file}");
        let member = file.rsplit_once('.').unwrap().0;
        assert_eq!(
            gaps(&records),
            [(member.to_string(), "corrupt_archive".to_string())],
            "{file}"
        );
        let found = my_numbers(&records).len();
        let whole = if file.ends_with(".bz2") { 0 } else { 300 };
        assert_eq!(found, whole, "{file}");
        assert!(all_redacted(&records), "{file}");
    }
}

#[test]
fn bzip2_and_lz4_streams_cut_in_their_last_block_keep_the_blocks_before() {
    // two blocks each (bzip2 -1: 100 kB, lz4 -B4: 64 KiB), cut 1,000
    // bytes before the end: the first block's rows are found
    for (file, at_least) in [("cut.csv.bz2", 4000), ("cut.csv.lz4", 2500)] {
        let (code, records) = scan_with(file, &["--fail-on", "never"], None);
        assert_eq!(code, 3, "{file}");
        let found = my_numbers(&records).len();
        assert!(found >= at_least, "{file}: {found}");
        assert!(all_redacted(&records), "{file}");
        let member = file.rsplit_once('.').unwrap().0;
        assert_eq!(
            gaps(&records),
            [(member.to_string(), "corrupt_archive".to_string())],
            "{file}"
        );
    }
}

#[test]
fn a_zip_behind_a_stub_in_a_stream_is_a_gap() {
    // gzipped: the zip is found as the member ends, its members unread
    let (code, records) = scan("sfx.bin.gz");
    assert_eq!(code, 3);
    assert_eq!(
        gaps(&records),
        [("sfx.bin".to_string(), "unsupported_format".to_string())]
    );
    // on stdin the same, for the file itself
    let sfx = std::fs::read(dir().join("sfx.bin")).unwrap();
    let (code, records) = scan_with("-", &[], Some(sfx));
    assert_eq!(code, 3);
    assert_eq!(
        gaps(&records),
        [(String::new(), "unsupported_format".to_string())]
    );
    let skipped = records.iter().find(|r| r["type"] == "skipped").unwrap();
    assert!(skipped["message"].as_str().unwrap().contains("zip behind"));
}

#[test]
fn a_rar_comment_is_read_and_rar_entries_with_data_are_not_passed_over() {
    // rar -z: the comment holds the CSV; the one member none
    let (code, records) = scan("comment.rar");
    assert_eq!(my_numbers(&records), ["(archive comment)"; 3]);
    assert_eq!(code, 1, "{:?}", gaps(&records));
    assert!(all_redacted(&records));
    // a "directory" holding the CSV; a symbolic link given it as data
    for (file, member) in [("dirdata.rar", "emp.csv"), ("linkdata.rar", "link.csv")] {
        let (code, records) = scan(file);
        assert_eq!(code, 3, "{file}");
        assert_eq!(
            gaps(&records),
            [(member.to_string(), "unsupported_format".to_string())],
            "{file}"
        );
    }
}

#[test]
fn lz4_frames_after_the_first_are_read() {
    // two frames of 100 rows (the decoder ended with the first: exit 1
    // on half the rows, nothing recorded), a skippable frame before one
    for (file, rows) in [("frames.csv.lz4", 200), ("skip.csv.lz4", 100)] {
        let (code, records) = scan(file);
        assert_eq!(my_numbers(&records).len(), rows, "{file}");
        assert_eq!(code, 1, "{file}: {:?}", gaps(&records));
        assert!(all_redacted(&records), "{file}");
    }
    // text behind the frame (which `lz4 -d` fails on): damaged, after
    // the frame's rows were found
    let (code, records) = scan_with("trail.csv.lz4", &["--fail-on", "never"], None);
    assert_eq!(code, 3);
    assert_eq!(my_numbers(&records).len(), 100);
    assert_eq!(
        gaps(&records),
        [("trail.csv".to_string(), "corrupt_archive".to_string())]
    );
}

#[test]
fn a_pzstd_file_is_zstd() {
    // pzstd starts with a skippable frame: the file was read as binary
    // strings, its compressed rows never seen, exit 0
    let (code, records) = scan("pzstd.csv.zst");
    assert_eq!(my_numbers(&records).len(), 100);
    assert_eq!(code, 1, "{:?}", gaps(&records));
    assert!(all_redacted(&records));
}
