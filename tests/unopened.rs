//! Archives as real tools write them that leakscan opens (`ar`: a Debian
//! package from dpkg-deb, a static library from binutils) or recognises
//! and records as not read (compress, lzip, cabinet, ARJ, lzop, squashfs,
//! cpio): tests/fixtures/unopened, made by its make.sh. Each holds the same
//! config with a password and a labelled My Number (values.txt). An
//! opened archive gives both findings and no gap; an unopened one is an
//! `unsupported_format` gap whatever its text runs gave, so a gate never
//! passes on it (exit 3 when nothing else was found, unless accepted).

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/unopened")
}

/// Scans `file` in jsonl with `extra` flags: exit code and records; no
/// planted value appears raw.
fn scan(file: &str, extra: &[&str]) -> (i32, Vec<Value>) {
    let out = Command::cargo_bin("leakscan")
        .unwrap()
        .current_dir(dir())
        .env("LEAKSCAN_FINGERPRINT_KEY", "unopened-test-key-0123456789")
        .timeout(Duration::from_secs(120))
        .args(["scan", "--no-config", "-q", "--format", "jsonl"])
        .args(extra)
        .arg(file)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let values = std::fs::read_to_string(dir().join("values.txt")).unwrap();
    for v in values.lines() {
        assert!(!stdout.contains(v), "{file}: a raw value");
    }
    let records = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (out.status.code().unwrap(), records)
}

fn rules(records: &[Value]) -> Vec<&str> {
    records
        .iter()
        .filter(|r| r["type"] == "finding")
        .map(|r| r["rule_id"].as_str().unwrap())
        .collect()
}

fn gaps(records: &[Value]) -> Vec<&str> {
    records
        .iter()
        .filter(|r| r["type"] == "skipped" || r["type"] == "error")
        .map(|r| r["reason"].as_str().unwrap())
        .collect()
}

#[test]
fn ar_archives_are_opened() {
    for (file, member) in [
        ("hr-export.deb", "data.tar.xz!/./etc/hr/export.ini"),
        ("libexport.a", "export.ini"),
        // a symbol table (`/`) first, as every compiler's static library has
        ("libexport-symbols.a", "export.ini"),
    ] {
        let (code, records) = scan(file, &[]);
        assert_eq!(code, 1, "{file}");
        assert_eq!(gaps(&records), Vec::<&str>::new(), "{file}");
        let found = rules(&records);
        assert!(found.contains(&"my_number"), "{file}: {found:?}");
        assert!(found.contains(&"password-assignment"), "{file}: {found:?}");
        assert!(
            records
                .iter()
                .any(|r| r["rule_id"] == "my_number" && r["member"] == member),
            "{file}"
        );
    }
}

/// An `ar` member header: name (16), date, uid, gid, mode, size, end.
fn ar_header(name: &str, size: usize) -> Vec<u8> {
    format!("{name:<16}{:<12}{:<6}{:<6}{:<8}{size:<10}`\n", 0, 0, 0, 644).into_bytes()
}

/// The layout of an MSVC import library (`.lib`): two linker members
/// named `/`, the `//` long-name table (names end with a NUL), then the
/// members, each padded to an even length.
#[test]
fn msvc_libraries_with_two_linker_members_are_opened() {
    let values = std::fs::read_to_string(dir().join("values.txt")).unwrap();
    let password = values.lines().nth(1).unwrap();
    let text = format!("DB_PASSWORD={password}\n");
    let mut lib = b"!<arch>\n".to_vec();
    for (name, data) in [
        ("/", vec![0u8; 4]),
        ("/", vec![0u8; 8]),
        ("//", b"hr_export_settings_file.ini\0".to_vec()),
        ("/0", text.into_bytes()),
    ] {
        lib.extend(ar_header(name, data.len()));
        lib.extend(&data);
        if data.len() % 2 == 1 {
            lib.push(b'\n');
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("export.lib"), lib).unwrap();
    let out = Command::cargo_bin("leakscan")
        .unwrap()
        .current_dir(tmp.path())
        .args([
            "scan",
            "--no-config",
            "-q",
            "--format",
            "jsonl",
            "export.lib",
        ])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let records: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(gaps(&records), Vec::<&str>::new());
    assert!(records
        .iter()
        .any(|r| r["rule_id"] == "password-assignment"
            && r["member"] == "hr_export_settings_file.ini"));
}

#[test]
fn damaged_ar_archives_are_failures() {
    let deb = std::fs::read(dir().join("hr-export.deb")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    // cut inside a member header, and a member longer than the archive
    let mut long =
        b"!<arch>\na.txt/          0           0     0     100644  99999999999`\n".to_vec();
    long.extend_from_slice(b"abc");
    for (name, data) in [("cut.deb", deb[..100].to_vec()), ("long.a", long)] {
        std::fs::write(tmp.path().join(name), data).unwrap();
        let out = Command::cargo_bin("leakscan")
            .unwrap()
            .current_dir(tmp.path())
            .args(["scan", "--no-config", "-q", "--format", "jsonl", name])
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{name}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(stdout.contains("\"corrupt_archive\""), "{name}: {stdout}");
    }
}

#[test]
fn archives_leakscan_cannot_open_are_gaps() {
    for file in [
        "export.ini.Z",
        "export.ini.lz",
        "export.cab",
        "export.arj",
        "export.ini.lzo",
        "export.sqfs",
        "export.cpio",
    ] {
        let (code, records) = scan(file, &[]);
        assert_eq!(gaps(&records), ["unsupported_format"], "{file}");
        // exit 3 when the text runs found nothing; findings (1) otherwise
        let expected = if rules(&records).is_empty() { 3 } else { 1 };
        assert_eq!(code, expected, "{file}");
        let summary = records.last().unwrap();
        assert_eq!(summary["gaps"], 1, "{file}");
        // accepted: no longer a gap that fails the gate
        let (code, _) = scan(file, &["--accept", "unsupported_format"]);
        assert_eq!(code, if expected == 3 { 0 } else { 1 }, "{file}");
    }
}
