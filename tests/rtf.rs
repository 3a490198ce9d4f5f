//! RTF as LibreOffice Writer and pandoc write it (fixtures made by
//! `tests/fixtures/rtf/make.sh`): Japanese in `\'xx` code-page bytes or
//! `\uN` escapes, table cells with a paragraph each. Every planted My
//! Number is found with its keyword; the one with a bad check digit is not.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn findings(file: &Path) -> (i32, Vec<Value>) {
    let out = Command::cargo_bin("leakscan")
        .unwrap()
        .env("LEAKSCAN_FINGERPRINT_KEY", "rtf-test-key-0123456789")
        .args(["scan", "--no-config", "--show-secrets", "--format", "jsonl"])
        .args(["--min-confidence", "low"])
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

#[test]
fn real_producers_rtf_is_read_as_text() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rtf");
    let values = fs::read_to_string(dir.join("values.txt")).unwrap();
    let (bad, good): (Vec<&str>, Vec<&str>) = values.lines().partition(|v| v.starts_with("bad:"));
    assert_eq!((good.len(), bad.len()), (3, 1));
    for producer in ["libreoffice.rtf", "pandoc.rtf"] {
        let (code, records) = findings(&dir.join(producer));
        assert_eq!(code, 1, "{producer}");
        let found: Vec<(&str, &str)> = records
            .iter()
            .filter(|r| r["type"] == "finding" && r["rule_id"] == "my_number")
            .map(|r| {
                (
                    r["secret"].as_str().unwrap(),
                    r["confidence"].as_str().unwrap(),
                )
            })
            .collect();
        for v in &good {
            let (_, confidence) = found
                .iter()
                .find(|(s, _)| s == v)
                .unwrap_or_else(|| panic!("{producer}: a planted value not found: {found:?}"));
            // the paragraph's label, or the table's header row above
            assert_ne!(*confidence, "low", "{producer}");
        }
        assert_eq!(found.len(), good.len(), "{producer}: {found:?}");
        assert!(!records
            .iter()
            .any(|r| r["type"] == "skipped" || r["type"] == "error"));
    }
}
