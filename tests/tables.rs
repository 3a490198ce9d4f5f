//! Tables in documents: a header row applies to its column however many
//! rows follow, in every table format read as text (HTML, Markdown, Word,
//! PowerPoint, CSV), and a column headed as a credential is evidence for
//! its cells.
//!
//! The fixtures in `tests/fixtures/tables/` were written by real producers
//! (pandas `to_html`/`to_markdown`, LibreOffice calc and writer, pandoc,
//! python-docx, python-pptx) from one synthetic employee list and password
//! sheet; `tests/fixtures/tables/make.py` made them and `expected.json`
//! lists what was planted. Values are compared in memory only; failures
//! name rows and counts, never a value.

mod common;

use std::collections::HashSet;
use std::fmt::Write;

use common::{scan_with, Rng};
use leakscan::finding::{Confidence, Finding};
use leakscan::scan::ScanOptions;
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tables");

fn all_findings(data: &[u8], path: &str) -> Vec<Finding> {
    let opts = ScanOptions {
        min_confidence: Confidence::Low,
        show_secrets: true,
        ..ScanOptions::default()
    };
    let (_, findings) = scan_with(data, path, &opts);
    findings
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// The raw values of `findings` of `category` at `confidence` or above.
fn found(findings: &[Finding], category: &str, confidence: Confidence) -> HashSet<String> {
    findings
        .iter()
        .filter(|f| f.rule.category.as_str() == category && f.confidence >= confidence)
        .filter_map(|f| f.secret.clone())
        .collect()
}

/// Indices of `wanted` missing from `got` (indices, not values, are shown).
fn missing(wanted: &[String], got: &HashSet<String>) -> Vec<usize> {
    (0..wanted.len())
        .filter(|&i| !got.contains(&wanted[i]))
        .collect()
}

#[test]
fn real_producers_tables_give_their_columns_headers() {
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{FIXTURES}/expected.json")).unwrap(),
    )
    .unwrap();
    let my_numbers = strings(&expected, "my_numbers");
    let decoy = expected["decoy"].as_str().unwrap().to_string();
    let employee_ids = strings(&expected, "employee_ids_valid");
    let passwords = strings(&expected, "passwords");
    let api_keys = strings(&expected, "api_keys");
    let placeholders = strings(&expected, "placeholders");
    let aws = strings(&expected, "aws");
    // (fixture, whether it holds the password sheet, and the AWS row)
    let fixtures = [
        ("pandas.html", true, true),
        ("pandoc.html", true, true),
        ("libreoffice-calc.html", false, false),
        ("pandas.md", true, true),
        ("python-docx.docx", true, false),
        ("libreoffice-writer.docx", true, true),
        ("pandoc.docx", true, true),
        ("python-pptx.pptx", false, false),
    ];
    let mut report = String::new();
    for (name, has_accounts, has_aws) in fixtures {
        let data = std::fs::read(format!("{FIXTURES}/{name}")).unwrap();
        let findings = all_findings(&data, name);
        let high = found(&findings, "my_number", Confidence::High);
        let reported = found(&findings, "my_number", Confidence::Medium);
        let any = found(&findings, "my_number", Confidence::Low);
        // every planted My Number at high confidence, the last rows too
        let m = missing(&my_numbers, &high);
        if !m.is_empty() {
            let _ = writeln!(report, "{name}: My Numbers of rows {m:?} not high");
        }
        if any.contains(&decoy) {
            let _ = writeln!(report, "{name}: the bad check digit was reported");
        }
        // 社員番号 values that pass the check digit: found, but low
        let ids_reported = employee_ids
            .iter()
            .filter(|i| reported.contains(*i))
            .count();
        if ids_reported > 0 {
            let _ = writeln!(
                report,
                "{name}: {ids_reported} 社員番号 values reported as My Numbers"
            );
        }
        // one finding per planted value (LibreOffice's `sdval` repeats it)
        let high_count = findings
            .iter()
            .filter(|f| f.rule.category.as_str() == "my_number" && f.confidence == Confidence::High)
            .count();
        if high_count != my_numbers.len() {
            let _ = writeln!(
                report,
                "{name}: {high_count} high My Number findings for {} values",
                my_numbers.len()
            );
        }
        let creds = found(&findings, "credential", Confidence::Medium);
        if has_accounts {
            let m = missing(&passwords, &creds);
            if !m.is_empty() {
                let _ = writeln!(report, "{name}: passwords {m:?} missed");
            }
            let m = missing(&api_keys, &creds);
            if !m.is_empty() {
                let _ = writeln!(report, "{name}: API keys {m:?} missed");
            }
            let leaked: Vec<&String> = placeholders.iter().filter(|p| creds.contains(*p)).collect();
            if !leaked.is_empty() {
                let _ = writeln!(report, "{name}: placeholders {leaked:?} reported");
            }
            for f in findings
                .iter()
                .filter(|f| f.rule.category.as_str() == "credential")
            {
                let shown = f.redacted.chars().filter(|c| *c != '*').count();
                assert!(shown <= 4, "{name}: a credential shown in full");
            }
        }
        if has_aws && !(creds.contains(&aws[0]) && creds.contains(&aws[1])) {
            let _ = writeln!(report, "{name}: the AWS key pair was not both found");
        }
        let credential_count = findings
            .iter()
            .filter(|f| {
                f.rule.category.as_str() == "credential" && f.confidence >= Confidence::Medium
            })
            .count();
        let planted = if has_accounts {
            passwords.len() + api_keys.len()
        } else {
            0
        } + if has_aws { 2 } else { 0 };
        if credential_count != planted {
            let _ = writeln!(
                report,
                "{name}: {credential_count} credential findings for {planted} planted"
            );
        }
    }
    assert!(report.is_empty(), "\n{report}");
}

/// An HTML export of a 5,000-row employee list with a 個人番号 column, as
/// LibreOffice and pandas write it (one cell a line): row 4,000 is
/// megabytes below its header and still high; the 社員番号 column, whose
/// values pass the check digit, stays low.
#[test]
fn a_header_applies_five_thousand_rows_down() {
    let mut rng = Rng(4000);
    let mut html = String::from(
        "<!DOCTYPE html>\n<html><body>\n<table border=\"1\" class=\"dataframe\">\n  <thead>\n    <tr>\n\
         <th>社員番号</th>\n      <th>氏名</th>\n      <th>個人番号</th>\n    </tr>\n  </thead>\n  <tbody>\n",
    );
    let mut numbers = Vec::new();
    let mut ids = Vec::new();
    for i in 0..5000 {
        let (id, n) = (rng.my_number(), rng.my_number());
        let _ = write!(
            html,
            "    <tr>\n      <td>{id}</td>\n      <td>社員{i}</td>\n      <td>{n}</td>\n    </tr>\n"
        );
        numbers.push(n);
        ids.push(id);
    }
    html.push_str("  </tbody>\n</table>\n</body></html>\n");
    let findings = all_findings(html.as_bytes(), "staff.html");
    let high = found(&findings, "my_number", Confidence::High);
    assert!(high.contains(&numbers[3999]), "row 4,000 is not high");
    assert_eq!(missing(&numbers, &high), Vec::<usize>::new());
    let reported = found(&findings, "my_number", Confidence::Medium);
    assert_eq!(ids.iter().filter(|i| reported.contains(*i)).count(), 0);
    // lines are the file's own: row 4,000's number is on its line
    let row = findings
        .iter()
        .find(|f| f.secret.as_deref() == Some(numbers[3999].as_str()))
        .unwrap();
    let line = html
        .lines()
        .position(|l| l.contains(&numbers[3999]))
        .unwrap() as u64
        + 1;
    assert_eq!(row.line, Some(line));
}

/// What a raw scan of an HTML page finds is still found: a secret in a
/// script, an attribute value, a comment.
#[test]
fn html_scripts_attributes_and_comments_are_still_scanned() {
    let mut rng = Rng(13);
    let n = rng.my_number();
    let html = format!(
        "<!DOCTYPE html><html><head><meta name=\"x\" content=\"個人番号 {n}\">\n\
         <script>const password = \"Kp9vT2mQx7Lr4W\";</script></head>\n\
         <body><!-- aws_secret_access_key = El2hpChYgCfrL1spNxnyVmihA+2O76UMFxFkM+R5 -->\n\
         <input type=\"hidden\" name=\"token\" value=\"ghp_sMehGAkWvj7FAc9QeWJKY40uvSwMFLZDe1f8\">\n\
         </body></html>\n"
    );
    let findings = all_findings(html.as_bytes(), "page.html");
    let rules: HashSet<&str> = findings
        .iter()
        .filter(|f| f.confidence >= Confidence::Medium)
        .map(|f| f.rule.id.as_str())
        .collect();
    for rule in [
        "my_number",
        "password-assignment",
        "aws-secret-access-key",
        "github-token",
    ] {
        assert!(rules.contains(rule), "{rule} missing: {rules:?}");
    }
}

/// A CSV password sheet: the column header is the evidence, placeholders
/// are not passwords, and a date column headed パスワード変更日 is no
/// credential.
#[test]
fn csv_credential_columns() {
    let csv = "ユーザー,パスワード,パスワード変更日,APIキー\n\
               alice,Kp9vT2mQx7!,2024-04-01,8JzFalHlsZfYcMMDktXPq2\n\
               bob,********,2024-04-02,-\n\
               carol,未設定,2024-04-03,N/A\n\
               dave,\"Tr0ub4dor&3\",2024-04-04,\n";
    let findings = all_findings(csv.as_bytes(), "accounts.csv");
    let creds = found(&findings, "credential", Confidence::Medium);
    let want: HashSet<String> = ["Kp9vT2mQx7!", "8JzFalHlsZfYcMMDktXPq2", "Tr0ub4dor&3"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(creds, want);
    // the same sheet as an xlsx-like CSV member far below: row 300
    let mut long = String::from("id,name,password\n");
    for i in 0..300 {
        let _ = writeln!(long, "{i},user{i},Pw{i:04}-xQ7z");
    }
    let findings = all_findings(long.as_bytes(), "sheet.csv");
    let creds = found(&findings, "credential", Confidence::Medium);
    assert!(creds.contains("Pw0299-xQ7z"));
    assert_eq!(creds.len(), 300);
}

/// Markdown: rows far below a pipe table's header get its column.
#[test]
fn markdown_rows_far_below_the_header() {
    let mut rng = Rng(99);
    let mut md = String::from("# 名簿\n\n| 社員番号 | 氏名 | 個人番号 |\n|---:|:---|---:|\n");
    let mut last = String::new();
    for i in 0..500 {
        last = rng.my_number();
        let _ = writeln!(md, "| {} | 社員{i} | {last} |", 10_000 + i);
    }
    md.push_str("\n個人番号の欄はありません: 123\n");
    let findings = all_findings(md.as_bytes(), "README.md");
    let high = found(&findings, "my_number", Confidence::High);
    assert!(high.contains(&last));
    assert_eq!(high.len(), 500);
}
