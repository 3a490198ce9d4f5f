//! Every rule in `patterns/` carries examples and negative examples; this
//! runs each through the real scanner at the default confidence, with the
//! same checker as `leakscan rules check` ([`rulecheck`]).

mod common;

use leakscan::patterns;
use leakscan::rulecheck::{self, Negatives, RuleKind};

/// Checks the built-in rules of `kind`: each needs examples and negative
/// examples, finds every example and reports no negative one. Returns how
/// many rules were checked.
fn check_builtin(kind: RuleKind) -> usize {
    let set = patterns::builtin().unwrap();
    let rules: Vec<_> = rulecheck::builtin(&set)
        .into_iter()
        .filter(|r| r.kind == kind)
        .collect();
    let reports = rulecheck::check(common::detectors(), &rules, Negatives::Required);
    assert_eq!(reports.len(), rules.len());
    let mut failures = Vec::new();
    for (rule, report) in rules.iter().zip(&reports) {
        assert_eq!(report.id, rule.id);
        for p in report.problems.iter().chain(&report.warnings) {
            failures.push(format!("{}: {}", rule.id, rule.quote(p)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    rules.len()
}

#[test]
fn my_number_examples() {
    assert_eq!(check_builtin(RuleKind::MyNumber), 1);
}

#[test]
fn payment_card_examples() {
    assert_eq!(check_builtin(RuleKind::PaymentCard), 1);
}

#[test]
fn every_credential_rule_examples() {
    assert!(check_builtin(RuleKind::Credential) >= 15);
}

/// The credential rules looked for in names find their name examples in
/// the name of an (empty) file, and none of their negative names.
#[test]
fn credential_rules_in_names_examples() {
    assert!(check_builtin(RuleKind::CredentialName) >= 10);
}

/// ID-document examples are paths: each, holding a JPEG header, gives one
/// finding, and none when it holds text; each negative path gives none.
#[test]
fn id_document_examples_are_paths_holding_an_image() {
    assert_eq!(check_builtin(RuleKind::IdDocument), 1);
}

#[test]
fn every_jp_identifier_rule_examples() {
    assert!(check_builtin(RuleKind::JpIdentifier) >= 6);
}

/// The checker covers every built-in rule, in the detectors' order.
#[test]
fn every_builtin_rule_has_its_examples_checked() {
    let set = patterns::builtin().unwrap();
    let mut checked: Vec<&str> = rulecheck::builtin(&set).iter().map(|r| r.id).collect();
    // a rule looked for in text and in names has its texts, then its names
    checked.dedup();
    let rules = common::detectors().rules();
    let all: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(checked, all);
}

/// The checker itself fails what it should: a missed example, a reported
/// negative, an empty list.
#[test]
fn the_checker_reports_bad_examples() {
    use leakscan::rulecheck::{Problem, RuleExamples};
    let set = patterns::builtin().unwrap();
    let card = &set.payment_card;
    let bad = patterns::Examples {
        // a negative is no example, an example no negative
        examples: card.examples.negative.clone(),
        negative: card.examples.examples.clone(),
    };
    let empty = patterns::Examples::default();
    let rules = [
        RuleExamples {
            id: &card.id,
            kind: RuleKind::PaymentCard,
            examples: &bad,
        },
        RuleExamples {
            id: &card.id,
            kind: RuleKind::PaymentCard,
            examples: &empty,
        },
    ];
    let r = rulecheck::check(common::detectors(), &rules, Negatives::Required);
    assert!(!r[0].passed());
    assert!(r[0].problems.contains(&Problem::NotFound { index: 0 }));
    assert!(r[0]
        .problems
        .contains(&Problem::NegativeReported { index: 0 }));
    assert_eq!(r[1].problems, [Problem::NoExamples, Problem::NoNegatives]);
    let r = rulecheck::check(common::detectors(), &rules[1..], Negatives::Recommended);
    assert_eq!(r[0].problems, [Problem::NoExamples]);
    assert_eq!(r[0].warnings, [Problem::NoNegatives]);

    let id = &set.id_document;
    let not_an_id = patterns::Examples {
        // a path that is no ID document's
        examples: id.examples.negative[..1].to_vec(),
        negative: Vec::new(),
    };
    let r = rulecheck::check(
        common::detectors(),
        &[RuleExamples {
            id: &id.id,
            kind: RuleKind::IdDocument,
            examples: &not_an_id,
        }],
        Negatives::Recommended,
    );
    assert_eq!(r[0].problems, [Problem::NotFound { index: 0 }]);
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
