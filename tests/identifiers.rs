//! Generated identifiers: every valid My Number and card in context is
//! found, every corrupted one is not, decoys stay quiet, and confidence
//! follows the documented rules.

mod common;

use common::{scan, scan_all, Rng};
use leakscan::finding::Confidence;

fn my_numbers(findings: &[leakscan::finding::Finding]) -> Vec<(Confidence, String)> {
    findings
        .iter()
        .filter(|f| f.rule.id == "my_number")
        .map(|f| (f.confidence, f.redacted.clone()))
        .collect()
}

#[test]
fn every_generated_my_number_with_a_keyword_is_found_high() {
    let mut rng = Rng(1);
    for _ in 0..2000 {
        let n = rng.my_number();
        let f = my_numbers(&scan(&format!("マイナンバー: {n}\n"), "a.txt"));
        assert_eq!(
            f,
            vec![(Confidence::High, format!("********{}", &n[8..]))],
            "{n}"
        );
    }
}

#[test]
fn every_single_digit_corruption_of_the_check_digit_is_rejected() {
    let mut rng = Rng(2);
    for _ in 0..500 {
        let n = rng.my_number();
        for d in b'0'..=b'9' {
            if d == n.as_bytes()[11] {
                continue;
            }
            let mut bad = n.clone().into_bytes();
            bad[11] = d;
            let bad = String::from_utf8(bad).unwrap();
            assert!(
                my_numbers(&scan_all(&format!("個人番号 {bad}"), "a.txt")).is_empty(),
                "{bad}"
            );
        }
    }
}

#[test]
fn confidence_levels_are_as_documented() {
    let mut rng = Rng(3);
    let n = rng.my_number();
    let grouped = format!("{}-{}-{}", &n[..4], &n[4..8], &n[8..]);
    let conf = |text: String, path: &str| my_numbers(&scan_all(&text, path)).first().map(|f| f.0);
    assert_eq!(
        conf(format!("個人番号 {n}"), "a.txt"),
        Some(Confidence::High)
    );
    assert_eq!(
        conf(format!("{{\"kojin_bango\": \"{n}\"}}"), "a.json"),
        Some(Confidence::High)
    );
    assert_eq!(
        conf(format!("name,mynumber\nA,{n}\n"), "a.csv"),
        Some(Confidence::High)
    );
    assert_eq!(
        conf(format!("個人番号\n{n}\n"), "a.txt"),
        Some(Confidence::Medium)
    );
    assert_eq!(
        conf(format!("ref {grouped}"), "a.txt"),
        Some(Confidence::Low)
    );
    assert_eq!(
        conf(format!("個人番号\n{grouped}"), "a.txt"),
        Some(Confidence::Medium)
    );
    assert_eq!(
        conf(format!("ref {n}"), "hr/mynumber_list.txt"),
        Some(Confidence::Medium)
    );
    assert_eq!(conf(format!("ref {n}"), "a.txt"), Some(Confidence::Low));
    assert_eq!(
        conf(format!("{{\"order_id\": \"{n}\"}}"), "a.json"),
        Some(Confidence::Low)
    );
    assert_eq!(
        conf("マイナンバー 123456789018".to_string(), "a.txt"),
        Some(Confidence::Low)
    );
    // a bare number is not reported by default
    assert!(my_numbers(&scan(&format!("ref {n}"), "a.txt")).is_empty());
}

#[test]
fn csv_header_applies_to_rows_far_below() {
    let mut rng = Rng(4);
    let mut csv = String::from("id,name,my_number,phone\n");
    let mut planted = Vec::new();
    for i in 0..600 {
        let n = rng.my_number();
        csv += &format!("{i},name{i},{n},{}\n", rng.digits(11));
        planted.push(n);
    }
    let found = my_numbers(&scan(&csv, "employees.csv"));
    assert_eq!(found.len(), planted.len());
    assert!(found.iter().all(|(c, _)| *c == Confidence::High));
}

#[test]
fn decoys_are_not_my_numbers() {
    let mut rng = Rng(5);
    let n = rng.my_number();
    for decoy in [
        format!("マイナンバー {n}0"), // inside a longer run
        format!("マイナンバー 9{n}"),
        format!("マイナンバー x{n}"), // glued to a letter
        format!("マイナンバー {n}abc"),
        format!("マイナンバー 3.{n}"),                       // decimal
        format!("マイナンバー 550e8400-e29b-41d4-a716-{n}"), // uuid tail
        "マイナンバー 4111111111111111".to_string(),         // valid window inside a card
    ] {
        assert!(my_numbers(&scan_all(&decoy, "a.txt")).is_empty(), "{decoy}");
    }
}

#[test]
fn generated_cards_are_found_and_corruptions_are_not() {
    let mut rng = Rng(6);
    for _ in 0..1000 {
        let v = rng.visa();
        let f: Vec<_> = scan(&format!("card: {v}"), "a.txt")
            .into_iter()
            .filter(|f| f.rule.id == "payment_card")
            .collect();
        assert_eq!(f.len(), 1, "{v}");
        assert_eq!(f[0].kind, Some("visa"));
        assert_eq!(f[0].confidence, Confidence::High);
        assert_eq!(f[0].redacted, format!("{}******{}", &v[..6], &v[12..]));
        let mut bad = v.into_bytes();
        bad[15] = b'0' + (bad[15] - b'0' + 1) % 10;
        let bad = String::from_utf8(bad).unwrap();
        assert!(scan_all(&format!("card: {bad}"), "a.txt")
            .iter()
            .all(|f| f.rule.id != "payment_card"));
    }
}

#[test]
fn reference_card_vectors() {
    let brand = |s: &str| {
        scan_all(&format!("ref {s}"), "a.txt")
            .into_iter()
            .find(|f| f.rule.id == "payment_card")
            .map(|f| (f.kind.unwrap(), f.confidence))
    };
    assert_eq!(
        brand("2221000000000009"),
        Some(("mastercard", Confidence::Medium))
    );
    assert_eq!(
        brand("2223003122003222"),
        Some(("mastercard", Confidence::Low))
    ); // published test PAN
    assert_eq!(
        brand("6205500000000000004"),
        Some(("unionpay", Confidence::Medium))
    );
    assert_eq!(brand("4111111111111111"), Some(("visa", Confidence::Low)));
    assert_eq!(brand("4111111111111112"), None);
    assert_eq!(brand("4111111111111110"), None);
    assert_eq!(
        brand("3498 765432 10986"),
        Some(("amex", Confidence::Medium))
    );
}

#[test]
fn unquoted_assignments_in_source_code_are_variables() {
    let rules = |text: &str, path: &str| -> Vec<String> {
        scan(text, path)
            .into_iter()
            .map(|f| f.rule.id.clone())
            .collect()
    };
    assert!(rules("username, secret_password = user_pass\n", "auth.py").is_empty());
    assert!(rules("db_password = settings_db_pw\n", "app.js").is_empty());
    assert_eq!(
        rules("db_password = 'Zx81-spectrum'\n", "app.py"),
        ["password-assignment"]
    );
    assert_eq!(
        rules("db_password = Zx81-spectrum\n", "app.ini"),
        ["password-assignment"]
    );
    assert_eq!(
        rules("DB_PASSWORD=Zx81-spectrum\n", ".env"),
        ["password-assignment"]
    );
}
