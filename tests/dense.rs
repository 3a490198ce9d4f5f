//! Keyword-dense text: a line holding a credential keyword thousands of
//! times is searched once per rule over the merged windows of its hits
//! (`leakscan::detect::credential`), and merging loses no assignment: each
//! value on a long line of many assignments is still found, once. Speed is
//! measured in `benches/detectors.rs` (`keyword_dense_1MiB`), not here.

mod common;

use common::{scan_with, Rng};
use leakscan::finding::{Category, Confidence};
use leakscan::scan::ScanOptions;

#[test]
fn every_assignment_on_a_long_dense_line_is_found_once() {
    let mut rng = Rng(7);
    // 3,000 assignments on one line (about 90 KB: several merged regions)
    let secrets: Vec<String> = (0..3000)
        .map(|i| format!("Qz{}x{}Vt", rng.digits(6), i))
        .collect();
    let line: String = secrets.iter().map(|s| format!("password={s}; ")).collect();
    let opts = ScanOptions {
        min_confidence: Confidence::Low,
        show_secrets: true,
        ..ScanOptions::default()
    };
    let (_, found) = scan_with(format!("{line}\n").as_bytes(), "app.env", &opts);
    let mut got: Vec<&str> = found
        .iter()
        .filter(|f| f.rule.category == Category::Credential)
        .filter_map(|f| f.secret.as_deref())
        .collect();
    got.sort_unstable();
    let mut want: Vec<&str> = secrets.iter().map(String::as_str).collect();
    want.sort_unstable();
    assert_eq!(got.len(), want.len());
    let differ = got.iter().zip(&want).filter(|(g, w)| g != w).count();
    assert_eq!(differ, 0, "values found differ from those planted");
}

#[test]
fn a_line_of_nothing_but_keywords_gives_no_finding() {
    let text = "password=".repeat(100_000);
    let (_, found) = scan_with(text.as_bytes(), "pw.txt", &ScanOptions::default());
    assert!(found.is_empty(), "{} findings", found.len());
}
