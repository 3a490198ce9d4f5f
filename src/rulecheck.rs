//! `leakscan rules check`: runs a rules file's examples through the real
//! scanner, so a custom rule is tested the way the built-in ones are.

use crate::detect::Detectors;
use crate::fingerprint::Fingerprinter;
use crate::patterns::CredentialRule;
use crate::scan::{FileScanner, ScanOptions};

/// The verdict on one rule.
#[derive(Debug)]
pub struct RuleReport {
    pub id: String,
    pub examples: usize,
    pub negatives: usize,
    /// What failed; empty when the rule passes. Names examples by number,
    /// never quotes them.
    pub problems: Vec<String>,
    /// Worth saying, not a failure (e.g. no negative examples).
    pub warnings: Vec<String>,
}

impl RuleReport {
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks each of `rules` (already part of `detectors`): every example must
/// give a finding of the rule at the default confidence, and no negative
/// example may. Examples are scanned as a file named `example.txt`.
pub fn check(detectors: &Detectors, rules: &[CredentialRule]) -> Vec<RuleReport> {
    let fp = Fingerprinter::new(b"leakscan rules check: fingerprints unused");
    let opts = ScanOptions::default();
    let mut scanner = FileScanner::new(detectors, &fp, &opts);
    let mut hits = |text: &str, id: &str| {
        let r = scanner.scan_reader(&mut text.as_bytes(), "example.txt", "example.txt");
        r.findings.iter().filter(|f| f.rule.id == id).count()
    };
    rules
        .iter()
        .map(|r| {
            let mut report = RuleReport {
                id: r.id.clone(),
                examples: r.examples.examples.len(),
                negatives: r.examples.negative.len(),
                problems: Vec::new(),
                warnings: Vec::new(),
            };
            if r.examples.examples.is_empty() {
                report
                    .problems
                    .push("no examples: add `examples = [...]` with texts the rule must find".into());
            }
            if r.examples.negative.is_empty() {
                report
                    .warnings
                    .push("no negative examples: add `negative = [...]` with look-alikes it must not report".into());
            }
            for (i, e) in r.examples.examples.iter().enumerate() {
                if hits(e, &r.id) == 0 {
                    report.problems.push(format!("example {} is not found", i + 1));
                }
            }
            for (i, n) in r.examples.negative.iter().enumerate() {
                if hits(n, &r.id) > 0 {
                    report.problems.push(format!("negative example {} is reported", i + 1));
                }
            }
            report
        })
        .collect()
}
