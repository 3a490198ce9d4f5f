//! PDF tables whose cells wrap, as real producers draw them (fixtures in
//! tests/fixtures/pdf-tables, its README.md says how each was made):
//! LibreOffice Writer's narrow table (rows a hair further apart than a
//! cell's wrapped lines), Impress's (the first column wraps too),
//! Chromium's, wkhtmltopdf's and WeasyPrint's HTML table with a card cell
//! wrapped and centred on its row, and reportlab's table in a CID font read
//! through UniJIS-UCS2-H. Each planted My Number and card is found high,
//! each password at the default confidence, each once (no fragments of a
//! wrapped value), a 社員番号 never above low, a bad check digit never, and
//! nothing is a gap. Values are compared in memory only; failures name the
//! file, the kind and the row, never a value.

use std::collections::HashMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use leakscan::validate::{luhn_valid, my_number_check_digit};
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf-tables")
}

/// The records of `leakscan scan --show-secrets --format jsonl
/// --min-confidence low FILE`.
fn records(file: &str) -> Vec<Value> {
    let out = Command::cargo_bin("leakscan")
        .unwrap()
        .current_dir(dir())
        .env_remove("GITHUB_STEP_SUMMARY")
        .timeout(Duration::from_secs(120))
        .args(["scan", "--no-config", "--show-secrets", "--format", "jsonl"])
        .args(["--min-confidence", "low", "-q", file])
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// The digits of `s` (a grouped number's groups joined).
fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

fn rank(confidence: &str) -> u8 {
    match confidence {
        "high" => 3,
        "medium" => 2,
        _ => 1,
    }
}

#[test]
fn planted_values_are_valid_by_the_crate_s_check_digits() {
    let values: Value =
        serde_json::from_str(&std::fs::read_to_string(dir().join("values.json")).unwrap()).unwrap();
    for (file, v) in values.as_object().unwrap() {
        for n in strings(v, "my_numbers")
            .iter()
            .chain(&strings(v, "low_only"))
        {
            let d = n.as_bytes();
            assert!(
                d.len() == 12 && b'0' + my_number_check_digit(&d[..11]) == d[11],
                "{file}: a planted My Number is invalid"
            );
        }
        for n in strings(v, "never") {
            let d = n.as_bytes();
            assert_ne!(
                b'0' + my_number_check_digit(&d[..11]),
                d[11],
                "{file}: decoy"
            );
        }
        for c in strings(v, "cards") {
            assert!(
                luhn_valid(c.as_bytes()),
                "{file}: a planted card is invalid"
            );
        }
    }
}

#[test]
fn wrapped_table_cells_are_read_whole_at_their_column_s_confidence() {
    let values: Value =
        serde_json::from_str(&std::fs::read_to_string(dir().join("values.json")).unwrap()).unwrap();
    let mut report = String::new();
    for (file, v) in values.as_object().unwrap() {
        let records = records(file);
        for r in &records {
            if r["type"] == "skipped" || r["type"] == "error" {
                let _ = writeln!(report, "{file}: gap {}", r["reason"]);
            }
        }
        // category -> (digits or secret -> best confidence, count)
        let mut seen: HashMap<String, (HashMap<String, u8>, usize)> = HashMap::new();
        for r in records.iter().filter(|r| r["type"] == "finding") {
            let category = r["category"].as_str().unwrap().to_string();
            let secret = r["secret"].as_str().unwrap_or_default();
            let key = if category == "credential" {
                secret.to_string()
            } else {
                digits(secret)
            };
            let e = seen.entry(category).or_default();
            let c = e.0.entry(key).or_default();
            *c = (*c).max(rank(r["confidence"].as_str().unwrap()));
            e.1 += 1;
        }
        let at = |category: &str, key: &str| {
            seen.get(category)
                .and_then(|(m, _)| m.get(key).copied())
                .unwrap_or(0)
        };
        let count = |category: &str| seen.get(category).map_or(0, |e| e.1);
        let low_only = strings(v, "low_only");
        for (kind, category, least) in [
            ("my_numbers", "my_number", 3),
            ("cards", "payment_card", 3),
            ("passwords", "credential", 2),
        ] {
            let planted = strings(v, kind);
            for (row, value) in planted.iter().enumerate() {
                if at(category, value) < least {
                    let _ = writeln!(report, "{file}: {kind} of row {row} not found high enough");
                }
            }
            let extra = if category == "my_number" {
                low_only.len()
            } else {
                0
            };
            if count(category) != planted.len() + extra {
                let _ = writeln!(
                    report,
                    "{file}: {} {category} findings for {} planted",
                    count(category),
                    planted.len() + extra
                );
            }
        }
        for (row, value) in low_only.iter().enumerate() {
            if at("my_number", value) > 1 {
                let _ = writeln!(report, "{file}: 社員番号 of row {row} above low");
            }
        }
        for value in strings(v, "never") {
            if at("my_number", &value) > 0 {
                let _ = writeln!(report, "{file}: the bad check digit was reported");
            }
        }
    }
    assert!(report.is_empty(), "\n{report}");
}
