//! Archives written by real producers (p7zip 16.02, zstd 1.5, rar 7.01: see
//! `tests/fixtures/archives/make.sh`) end to end: every value planted in a
//! readable one (7z in every method 7-Zip offers: LZMA, LZMA2, PPMd, BZip2,
//! Deflate, Deflate64, copy, behind BCJ, BCJ2 and delta filters) is found in
//! its member, and each hostile or unreadable one (encrypted, a method
//! without a decoder, damage, a huge dictionary or window, a bomb) is a gap
//! with its own reason, exit code 3, and no raw value in any message.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/archives")
}

/// The values `make.sh` planted in each fixture (planted.tsv).
fn planted(file: &str) -> BTreeSet<String> {
    let tsv = std::fs::read_to_string(dir().join("planted.tsv")).unwrap();
    tsv.lines()
        .filter_map(|l| l.split_once('\t'))
        .find(|(f, _)| *f == file)
        .map(|(_, v)| v.split(' ').map(str::to_string).collect())
        .unwrap_or_else(|| panic!("{file} not in planted.tsv"))
}

/// Scans `file` (jsonl, every confidence, `extra` flags): exit code and
/// records.
fn scan(file: &str, extra: &[&str]) -> (i32, Vec<Value>) {
    let out = Command::cargo_bin("leakscan")
        .unwrap()
        .current_dir(dir())
        .env("LEAKSCAN_FINGERPRINT_KEY", "archives-test-key-0123456789")
        .timeout(Duration::from_secs(120))
        .args(["scan", "--no-config", "--format", "jsonl"])
        .args(extra)
        .arg(file)
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
            (m, r["reason"].as_str().unwrap().to_string())
        })
        .collect()
}

fn my_numbers(records: &[Value]) -> Vec<&Value> {
    records
        .iter()
        .filter(|r| r["type"] == "finding" && r["rule_id"] == "my_number")
        .collect()
}

#[test]
fn planted_values_are_found_in_every_readable_archive() {
    let readable = [
        "lzma2.7z",
        "lzma.7z",
        "bzip2.7z",
        "ppmd.7z",
        "bcj_lzma2.7z",
        "deflate.7z",
        "deflate64.7z",
        "copy.7z",
        "delta_lzma2.7z",
        "bcj2.7z",
        "ppmd_solid.7z",
        "deflate.zip",
        "deflate64.zip",
        "bzip2.zip",
        "rar5.rar",
        "rar5_stored.rar",
        "rar5_solid.rar",
        "frames.zst",
        "long25.zst",
    ];
    for file in readable {
        let (code, records) = scan(file, &["--show-secrets"]);
        assert_eq!(code, 1, "{file}");
        assert_eq!(gaps(&records), [], "{file}: nothing left unread");
        let found: BTreeSet<String> = my_numbers(&records)
            .iter()
            .map(|f| f["secret"].as_str().unwrap().to_string())
            .collect();
        // compared as sets: a failure names the fixture, never the values
        assert!(
            found == planted(file),
            "{file}: planted values not all found"
        );
    }
    // members keep their names; the CSV's header names its column
    let (_, records) = scan("lzma2.7z", &[]);
    let mut members: Vec<(&str, &str)> = my_numbers(&records)
        .iter()
        .map(|f| {
            (
                f["member"].as_str().unwrap(),
                f["confidence"].as_str().unwrap(),
            )
        })
        .collect();
    members.sort_unstable();
    assert_eq!(
        members,
        [("staff.csv", "high"), ("従業員/memo.txt", "high")]
    );
}

#[test]
fn rar_members_are_read_or_gaps_with_their_reason() {
    // a member split across volumes: each volume is a file of its own; the
    // member wholly in the first one is read, the split one is a gap
    let (code, records) = scan("rar5_vol.part1.rar", &["--show-secrets"]);
    assert_eq!(code, 1);
    assert_eq!(
        gaps(&records),
        [("noise.txt".to_string(), "unsupported_format".to_string())]
    );
    let found: BTreeSet<String> = my_numbers(&records)
        .iter()
        .map(|f| f["secret"].as_str().unwrap().to_string())
        .collect();
    assert!(found == planted("rar5_vol.part1.rar"), "rar5_vol.part1.rar");
    // RAR 4 (WinRAR's, from the unrar crate's test data): a stored member
    // is read, an encrypted one is a gap
    let (code, records) = scan("rar4_stored.rar", &[]);
    assert_eq!((code, gaps(&records)), (0, vec![]));
    assert_eq!(records.last().unwrap()["files_scanned"], 1);
    let (code, records) = scan("rar4_aes.rar", &[]);
    assert_eq!(code, 3);
    assert_eq!(
        gaps(&records),
        [(".gitignore".to_string(), "encrypted".to_string())]
    );
}

#[test]
fn folders_in_rar_member_paths_are_names_too() {
    // `hr/個人番号_<number>/memo.txt`: the folder is a finding in its name,
    // shown masked in the member path; the raw number is never printed
    let (code, records) = scan("rar5_folders.rar", &[]);
    assert_eq!(code, 1, "{records:?}");
    let number = planted("rar5_folders.rar").into_iter().next().unwrap();
    let found = my_numbers(&records);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["in_name"], true);
    assert_eq!(found[0]["confidence"], "high");
    let shown = format!("hr/個人番号_********{}/", &number[8..]);
    assert_eq!(found[0]["member"], shown.as_str());
    let all = serde_json::to_string(&records).unwrap();
    assert!(!all.contains(&number), "the raw number is printed");
}

#[test]
fn damaged_rars_end_each_with_a_record() {
    // every byte of a solid RAR 5 and of a RAR 4 flipped in turn: each copy
    // ends scanned, skipped or failed (the reader child may die: a gap),
    // never a crash of the scan or a file left out
    let tmp = tempfile::tempdir().unwrap();
    let mut n = 0;
    for fixture in ["rar5_solid.rar", "rar4_stored.rar"] {
        let data = std::fs::read(dir().join(fixture)).unwrap();
        for i in (0..data.len()).step_by(3) {
            let mut bad = data.clone();
            bad[i] ^= 0x5A;
            std::fs::write(tmp.path().join(format!("{n:04}.rar")), &bad).unwrap();
            n += 1;
        }
    }
    let out = Command::cargo_bin("leakscan")
        .unwrap()
        .timeout(Duration::from_secs(300))
        .args(["scan", "--no-config", "--format", "jsonl", "-q"])
        .arg(tmp.path())
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    assert!(code == 1 || code == 3, "exit {code}");
    let summary: Value = serde_json::from_str(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .last()
            .unwrap(),
    )
    .unwrap();
    // each file once, whatever its members' errors
    assert_eq!(summary["files_seen"].as_u64().unwrap(), n as u64);
    let ended = ["files_scanned", "files_skipped", "files_failed"]
        .iter()
        .map(|k| summary[k].as_u64().unwrap())
        .sum::<u64>();
    assert_eq!(summary["files_seen"], ended, "{summary}");
}

#[test]
fn nested_7z_is_read_in_memory() {
    for file in ["7z_in.zip", "7z_in.tgz"] {
        let (code, records) = scan(file, &[]);
        assert_eq!(code, 1, "{file}");
        assert_eq!(gaps(&records), [], "{file}");
        let mut members: Vec<&str> = my_numbers(&records)
            .iter()
            .map(|f| f["member"].as_str().unwrap())
            .collect();
        members.sort_unstable();
        assert_eq!(
            members,
            ["inner.7z!/staff.csv", "inner.7z!/従業員/memo.txt"],
            "{file}"
        );
    }
}

#[test]
fn unreadable_archives_are_gaps_with_their_reason() {
    let both = |reason: &str| {
        vec![
            ("staff.csv".to_string(), reason.to_string()),
            ("従業員/memo.txt".to_string(), reason.to_string()),
        ]
    };
    let more = |m: &str, reason: &str| {
        vec![
            (m.to_string(), reason.to_string()),
            ("(1 more members)".to_string(), reason.to_string()),
        ]
    };
    let cases: Vec<(&str, Vec<(String, String)>)> = vec![
        ("aes.7z", both("encrypted")),
        ("aes_headers.7z", vec![(String::new(), "encrypted".into())]),
        ("bcj_deflate64.7z", both("unsupported_format")),
        ("rar5_aes.rar", both("encrypted")),
        (
            "rar5_hdr_aes.rar",
            vec![(String::new(), "encrypted".into())],
        ),
        ("bigdict.7z", both("archive_limit")),
        ("bomb.7z", more("a_zeros.bin", "archive_limit")),
        (
            "truncated.7z",
            vec![(String::new(), "corrupt_archive".into())],
        ),
        ("damaged.7z", more("staff.csv", "corrupt_archive")),
        (
            "long31.zst",
            vec![("long31".into(), "archive_limit".into())],
        ),
        (
            "lzma.zip",
            vec![("staff.csv".into(), "unsupported_format".into())],
        ),
    ];
    for (file, want) in cases {
        let (code, records) = scan(file, &["--min-confidence", "low"]);
        // lzma.zip's memo is small enough that 7-Zip stored it: found (1)
        let want_code = if file == "lzma.zip" { 1 } else { 3 };
        assert_eq!(code, want_code, "{file}: a gap makes the scan incomplete");
        assert_eq!(gaps(&records), want, "{file}");
        let summary = records.last().unwrap();
        assert_eq!(summary["gaps"], want.len(), "{file}");
        // no value of the archive reached a finding or a message
        let raw = planted(file);
        let text = serde_json::to_string(&records).unwrap();
        assert!(
            !raw.iter().any(|v| text.contains(v.as_str())),
            "{file}: a raw value printed"
        );
    }
}

/// The `message` of every skipped or error record.
fn messages(records: &[Value]) -> Vec<&str> {
    records
        .iter()
        .filter(|r| r["type"] == "skipped" || r["type"] == "error")
        .map(|r| r["message"].as_str().unwrap())
        .collect()
}

#[test]
fn big_windows_are_read_up_to_the_window_limit() {
    // windows over the 16 MiB a decoder holds on its own, as xz -9, 7z -mx9
    // and zstd --long write them: read, one worker at a time, up to the
    // default --max-window of 64M (the tar.zst's 128 MiB window past it)
    for (file, window) in [
        ("win64.xz", None),
        ("win48.7z", None),
        ("win40.zst", None),
        ("nested_windows.tar.zst", Some("192M")),
    ] {
        let mut args = vec!["--show-secrets"];
        args.extend(window.iter().flat_map(|w| ["--max-window", w]));
        let (code, records) = scan(file, &args);
        assert_eq!(code, 1, "{file}");
        assert_eq!(gaps(&records), [], "{file}: nothing left unread");
        let found: BTreeSet<String> = my_numbers(&records)
            .iter()
            .map(|f| f["secret"].as_str().unwrap().to_string())
            .collect();
        assert!(found == planted(file), "{file}: planted value not found");
    }
    // over --max-window: a gap that says how to raise the limit
    for (file, member) in [
        ("win64.xz", "win64"),
        ("win48.7z", "staff.csv"),
        ("win40.zst", "win40"),
        ("nested_windows.tar.zst", ""),
    ] {
        let (code, records) = scan(file, &["--max-window", "32M"]);
        assert_eq!(code, 3, "{file}");
        if file == "nested_windows.tar.zst" {
            // past the default too
            let (code, default) = scan(file, &[]);
            assert_eq!(code, 3, "{file}");
            assert_eq!(gaps(&default), gaps(&records), "{file}");
        }
        assert_eq!(
            gaps(&records),
            [(member.to_string(), "archive_limit".to_string())],
            "{file}"
        );
        assert!(messages(&records)[0].contains("--max-window"), "{file}");
    }
    // the xz's 64 MiB inside the tar.zst's 128 MiB: past a limit of 160M
    // together, the inner one is a gap (its worker never waits for the
    // permit it holds) and the rest of the tar is read
    let (code, records) = scan("nested_windows.tar.zst", &["--max-window", "160M"]);
    assert_eq!(code, 1);
    assert_eq!(
        gaps(&records),
        [("inner.xz!/inner".to_string(), "archive_limit".to_string())]
    );
    let members: Vec<&str> = my_numbers(&records)
        .iter()
        .map(|f| f["member"].as_str().unwrap())
        .collect();
    assert_eq!(members, ["staff.csv"]);
}

#[test]
fn the_window_limit_is_a_config_key_too() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("leakscan.toml");
    std::fs::write(&config, "max_window = \"32M\"\n").unwrap();
    let out = Command::cargo_bin("leakscan")
        .unwrap()
        .current_dir(dir())
        .env("LEAKSCAN_FINGERPRINT_KEY", "archives-test-key-0123456789")
        .args(["scan", "--format", "jsonl", "--config"])
        .arg(&config)
        .arg("win64.xz")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    // the flag wins over the config
    let out = Command::cargo_bin("leakscan")
        .unwrap()
        .current_dir(dir())
        .env("LEAKSCAN_FINGERPRINT_KEY", "archives-test-key-0123456789")
        .args([
            "scan",
            "--format",
            "jsonl",
            "--max-window",
            "64M",
            "--config",
        ])
        .arg(&config)
        .arg("win64.xz")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}
