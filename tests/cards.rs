//! End-to-end: card numbers need support (issue 14). The real `leakscan`
//! binary on a tree of the files that made it cry wolf (a big-number table,
//! decimal test vectors, a fuzzer URL) and of real card forms (a list of
//! cards, a grouped number with its expiry, a CSV column of cards).

mod common;

use std::fs;
use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use common::Rng;
use leakscan::validate::luhn_valid;
use serde_json::Value;

const KEY: &str = "e2e-test-fingerprint-key-0123456789";

/// The card findings of a scan of `dir` at `min_confidence`, as
/// (file name, confidence, redacted value).
fn cards(dir: &Path, min_confidence: &str) -> Vec<(String, String, String)> {
    let out = Command::cargo_bin("leakscan")
        .unwrap()
        .env("LEAKSCAN_FINGERPRINT_KEY", KEY)
        .timeout(Duration::from_secs(60))
        .args(["scan", "--no-config", "--quiet", "--format", "jsonl"])
        .args(["--min-confidence", min_confidence])
        .arg(dir)
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|r| r["type"] == "finding" && r["rule_id"] == "payment_card")
        .map(|r| {
            let name = Path::new(r["path"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            (name, s("confidence"), s("redacted"))
        })
        .collect()
}

fn in_file<'a>(found: &'a [(String, String, String)], name: &str) -> Vec<&'a str> {
    found
        .iter()
        .filter(|f| f.0 == name)
        .map(|f| f.1.as_str())
        .collect()
}

/// A 16-digit number that fails Luhn: no card.
fn not_a_card(rng: &mut Rng) -> String {
    loop {
        let n = rng.digits(16);
        if !luhn_valid(n.as_bytes()) && !n.starts_with('0') {
            return n;
        }
    }
}

/// `n` as 4-4-4-4 with `sep`.
fn grouped(n: &str, sep: &str) -> String {
    [&n[..4], &n[4..8], &n[8..12], &n[12..]].join(sep)
}

#[test]
fn valid_numbers_in_tables_of_numbers_are_not_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(14);
    // a big-number table: limbs of 16 digits, two of them valid Visas
    let mut table = String::from("pub const LIMBS: [u64; 40] = [\n");
    for i in 0..40 {
        let n = if i == 7 || i == 29 {
            rng.visa()
        } else {
            not_a_card(&mut rng)
        };
        table.push_str(&format!("    {n},\n"));
    }
    table.push_str("];\n");
    fs::write(dir.path().join("limbs.rs"), table).unwrap();
    // decimal test vectors: a valid number between decimals
    let (a, b) = (rng.visa(), rng.visa());
    let vectors = format!(
        "-- rounding\nddadd546 add '{a}' 0.499999999 -> '{}' Inexact\n\
         ddadd547 add '{}' 1.5E+3 -> '{b}' Rounded\n",
        not_a_card(&mut rng),
        not_a_card(&mut rng),
    );
    fs::write(dir.path().join("ddAdd.decTest"), vectors).unwrap();
    // an id in a URL, a constant in code, a hex dump line, each alone in
    // its file (three valid numbers together would be a list of cards)
    let v = rng.visa();
    let misc = [
        format!(
            "Fixes fuzzer issue https://oss-fuzz.com/testcase-detail/{}.\n",
            rng.visa()
        ),
        format!("current_block = {};\n", rng.visa()),
        format!("00000010: {} ab3f 01c2\n", grouped(&v, " ")),
    ];
    for (i, text) in misc.iter().enumerate() {
        fs::write(dir.path().join(format!("NEWS.{i}")), text).unwrap();
    }
    assert_eq!(cards(dir.path(), "medium"), vec![]);
    // they are still there at low confidence, for whoever asks
    let low = cards(dir.path(), "low");
    assert_eq!(in_file(&low, "limbs.rs"), ["low", "low"]);
    for i in 0..3 {
        assert_eq!(in_file(&low, &format!("NEWS.{i}")), ["low"]);
    }
}

#[test]
fn real_card_forms_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(1414);
    // a list of cards, nothing else: each is supported by the others
    let list: String = (0..12).map(|_| format!("{}\n", rng.visa())).collect();
    fs::write(dir.path().join("dump.txt"), list).unwrap();
    // prose: a brand grouping, a number with its expiry (B17)
    let ticket = format!(
        "Customer read out {} over the phone.\n\
         Carta {} 11/27\n\
         Number {} 09/2031 please refund\n",
        grouped(&rng.visa(), "-"),
        grouped(&rng.visa(), " "),
        grouped(&rng.visa(), "-"),
    );
    fs::write(dir.path().join("ticket.txt"), ticket).unwrap();
    // a CSV column of cards beside a column of 16-digit order ids
    let mut csv = String::from("order,number,amount\n");
    for _ in 0..10 {
        csv.push_str(&format!("{},{},1200\n", not_a_card(&mut rng), rng.visa()));
    }
    fs::write(dir.path().join("orders.csv"), csv).unwrap();
    let found = cards(dir.path(), "medium");
    assert_eq!(in_file(&found, "dump.txt"), vec!["medium"; 12]);
    assert_eq!(in_file(&found, "ticket.txt"), vec!["medium"; 3]);
    assert_eq!(in_file(&found, "orders.csv"), vec!["medium"; 10]);
    // redacted as always: the first 6 and last 4 digits
    assert!(found.iter().all(|f| f.2.contains("******")));
}

#[test]
fn test_numbers_stay_low_even_under_a_keyword() {
    let dir = tempfile::tempdir().unwrap();
    let text = "card number: 4111 1111 1111 1111\n\
                card number: 4000 0000 0000 0002\n\
                Visa: Final = \"4012000077777777\"\n\
                card: 5200000000000007 12/27\n";
    fs::write(dir.path().join("testing.md"), text).unwrap();
    assert_eq!(cards(dir.path(), "medium"), vec![]);
    assert_eq!(cards(dir.path(), "low").len(), 4);
}
