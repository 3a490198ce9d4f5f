//! My Numbers that a numeric export stripped of one or two leading zeros
//! (pandas `to_csv`/`to_markdown`, Excel, an integer database column) are
//! given back where their column's header names My Numbers, in every table
//! format: CSV, HTML, SQL, and the plain-text tables of Markdown, aligned
//! text and tab-separated text. Numbers come from the check-digit code.

mod common;

use common::{scan_with, Rng};
use leakscan::finding::{Category, Confidence};
use leakscan::scan::ScanOptions;
use leakscan::validate::complete_my_number;

/// `n` valid My Numbers that start with one zero and then a non-zero digit.
fn zero_led(rng: &mut Rng, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    while out.len() < n {
        let m = complete_my_number(&format!("0{}", rng.digits(10)));
        if m.as_bytes()[1] != b'0' {
            out.push(m);
        }
    }
    out
}

fn check(name: &str, text: &str, numbers: &[String]) {
    let opts = ScanOptions {
        min_confidence: Confidence::Low,
        ..ScanOptions::default()
    };
    let (_, found) = scan_with(text.as_bytes(), name, &opts);
    for (i, n) in numbers.iter().enumerate() {
        let hit = found
            .iter()
            .find(|f| f.rule.category == Category::MyNumber && f.redacted.ends_with(&n[8..]));
        let hit = hit.unwrap_or_else(|| panic!("{name}: row {i} not found"));
        assert_eq!(hit.confidence, Confidence::High, "{name}: row {i}");
    }
}

#[test]
fn lost_zeros_come_back_in_every_text_table_format() {
    let mut rng = Rng(5150);
    let numbers = zero_led(&mut rng, 3);
    let bare: Vec<&str> = numbers.iter().map(|n| &n[1..]).collect();
    let mut md = String::from("| 氏名 | 個人番号 |\n|---|---|\n");
    let mut aligned = String::from("社員番号  氏名        個人番号\n");
    let mut tsv = String::from("memo\n\n社員番号\t氏名\t個人番号\n");
    for (i, b) in bare.iter().enumerate() {
        md += &format!("| 社員{i} | {b} |\n");
        aligned += &format!("E{i:03}      社員{i}       {b}\n");
        tsv += &format!("E{i}\t社員{i}\t{b}\n");
    }
    check("staff.md", &md, &numbers);
    check("staff.txt", &aligned, &numbers);
    check("notes.txt", &tsv, &numbers);
}

#[test]
fn a_short_number_under_another_header_stays_unreported() {
    let mut rng = Rng(5151);
    let numbers = zero_led(&mut rng, 2);
    let mut md = String::from("| 氏名 | 社員番号 |\n|---|---|\n");
    for (i, n) in numbers.iter().enumerate() {
        md += &format!("| 社員{i} | {} |\n", &n[1..]);
    }
    let opts = ScanOptions {
        min_confidence: Confidence::Low,
        ..ScanOptions::default()
    };
    let (_, found) = scan_with(md.as_bytes(), "staff.md", &opts);
    assert!(found.is_empty(), "{} findings", found.len());
}
