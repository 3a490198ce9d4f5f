//! Every rule in `patterns/` carries examples and negative examples; this
//! runs each through the real scanner at the default confidence.

mod common;

use common::{scan, scan_with};
use leakscan::patterns;
use leakscan::scan::ScanOptions;

fn rule_hits(text: &str, rule: &str) -> usize {
    scan(text, "example.txt")
        .iter()
        .filter(|f| f.rule.id == rule)
        .count()
}

fn check_text_examples(rule: &str, ex: &patterns::Examples) {
    assert!(!ex.examples.is_empty(), "rule {rule} has no examples");
    assert!(
        !ex.negative.is_empty(),
        "rule {rule} has no negative examples"
    );
    let mut failures = Vec::new();
    for e in &ex.examples {
        if rule_hits(e, rule) == 0 {
            failures.push(format!("{rule}: example not found: {e:?}"));
        }
    }
    for n in &ex.negative {
        if rule_hits(n, rule) > 0 {
            failures.push(format!("{rule}: negative example reported: {n:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn my_number_examples() {
    let set = patterns::builtin().unwrap();
    check_text_examples(&set.my_number.id, &set.my_number.examples);
}

#[test]
fn payment_card_examples() {
    let set = patterns::builtin().unwrap();
    check_text_examples(&set.payment_card.id, &set.payment_card.examples);
}

#[test]
fn every_credential_rule_examples() {
    let set = patterns::builtin().unwrap();
    assert!(set.credentials.rules.len() >= 15);
    for rule in &set.credentials.rules {
        check_text_examples(&rule.id, &rule.examples);
    }
}

#[test]
fn id_document_examples_are_paths_holding_an_image() {
    let set = patterns::builtin().unwrap();
    let ex = &set.id_document.examples;
    assert!(!ex.examples.is_empty() && !ex.negative.is_empty());
    let jpeg = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00";
    let hits = |path: &str, content: &[u8]| {
        scan_with(content, path, &ScanOptions::default())
            .1
            .iter()
            .filter(|f| f.rule.id == set.id_document.id)
            .count()
    };
    for path in &ex.examples {
        assert_eq!(hits(path, jpeg), 1, "example not flagged: {path}");
        // the same name holding text is not an ID document
        assert_eq!(hits(path, b"just some text\n"), 0, "text flagged: {path}");
    }
    for path in &ex.negative {
        assert_eq!(hits(path, jpeg), 0, "negative flagged: {path}");
    }
}

#[test]
fn every_rule_id_is_unique() {
    let rules = common::detectors().rules();
    let mut ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    ids.sort();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before, ids.len(), "duplicate rule ids");
}

#[test]
fn every_jp_identifier_rule_examples() {
    let set = patterns::builtin().unwrap();
    assert!(set.jp_identifiers.rules.len() >= 6);
    for rule in &set.jp_identifiers.rules {
        check_text_examples(&rule.id, &rule.examples);
    }
}
