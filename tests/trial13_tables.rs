//! Tables that real producers write with a shape the second trial of issue
//! 13 found misread (`benches/trial13/repro`): a sheet whose header row has
//! a title, a date line or blank rows above it (openpyxl, LibreOffice's
//! `.xls`/`.ods`/`.xlsx`/CSV), a LibreOffice `.doc` table with empty cells,
//! pandoc's Markdown of form tables (a label cell, then its value), and
//! LibreOffice-style HTML whose numeric cells lost leading zeros.
//!
//! `tests/fixtures/trial13/planted.json` lists each file's values and the
//! confidence each must have; each must be reported once, and nothing
//! else. Values are compared in memory only: failures name indices and
//! counts, never a value.

use std::collections::HashMap;
use std::fmt::Write;

use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/trial13");

/// (category, raw value, confidence) of each finding of the binary on
/// fixture `name` (legacy Office files are read in its reader child).
fn findings(name: &str) -> Vec<(String, String, String)> {
    let out = assert_cmd::Command::cargo_bin("leakscan")
        .unwrap()
        .current_dir(FIXTURES)
        .env_remove("GITHUB_STEP_SUMMARY")
        .args(["scan", "--no-config", "--show-secrets", "--format", "jsonl"])
        .args(["--min-confidence", "low", "-q", name])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|r| r["type"] == "finding")
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            (s("category"), s("secret"), s("confidence"))
        })
        .collect()
}

#[test]
fn each_planted_value_once_at_its_confidence_and_nothing_else() {
    let planted: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{FIXTURES}/planted.json")).unwrap())
            .unwrap();
    let mut report = String::new();
    let fixtures = planted.as_object().unwrap();
    assert!(fixtures.len() >= 13);
    for (name, values) in fixtures {
        let mut seen: HashMap<(String, String), Vec<String>> = HashMap::new();
        for (category, secret, confidence) in findings(name) {
            seen.entry((category, secret)).or_default().push(confidence);
        }
        for (i, v) in values.as_array().unwrap().iter().enumerate() {
            let s = |k: &str| v[k].as_str().unwrap().to_string();
            let (category, want) = (s("category"), s("confidence"));
            match seen.remove(&(category.clone(), s("value"))) {
                None => {
                    let _ = writeln!(report, "{name}: value {i} ({category}) missed");
                }
                Some(got) if got != [want.clone()] => {
                    let _ = writeln!(
                        report,
                        "{name}: value {i} ({category}) reported {got:?}, want once {want}"
                    );
                }
                Some(_) => {}
            }
        }
        for ((category, _), got) in &seen {
            let _ = writeln!(report, "{name}: an extra {category} finding {got:?}");
        }
    }
    assert!(report.is_empty(), "{report}");
}
