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
    // a label right above the value labels it; a keyword further up or
    // inside the line above is weaker
    assert_eq!(
        conf(format!("個人番号\n{n}\n"), "a.txt"),
        Some(Confidence::High)
    );
    assert_eq!(
        conf(format!("支払を受ける者 個人番号：\n  {n}\n"), "a.txt"),
        Some(Confidence::High)
    );
    assert_eq!(
        conf(format!("個人番号\n\n{n}\n"), "a.txt"),
        Some(Confidence::Medium)
    );
    assert_eq!(
        conf(format!("個人番号の記入例\n{n}\n"), "a.txt"),
        Some(Confidence::Medium)
    );
    assert_eq!(
        conf(format!("ref {grouped}"), "a.txt"),
        Some(Confidence::Low)
    );
    assert_eq!(
        conf(format!("個人番号\n{grouped}"), "a.txt"),
        Some(Confidence::High)
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
        scan_all(s, "a.txt")
            .into_iter()
            .find(|f| f.rule.id == "payment_card")
            .map(|f| (f.kind.unwrap(), f.confidence))
    };
    // brand ranges; numbers shaped like test numbers stay low, even under a
    // keyword (issue 14)
    assert_eq!(
        brand("card 2221000000000009"),
        Some(("mastercard", Confidence::Low))
    );
    assert_eq!(
        brand("ref 2223003122003222"),
        Some(("mastercard", Confidence::Low))
    ); // published test PAN
    assert_eq!(
        brand("card 6205500000000000004"),
        Some(("unionpay", Confidence::Low))
    );
    assert_eq!(
        brand("card 5257397671512944"),
        Some(("mastercard", Confidence::High))
    );
    assert_eq!(
        brand("card 4111111111111111"),
        Some(("visa", Confidence::Low))
    );
    assert_eq!(brand("ref 4111111111111112"), None);
    assert_eq!(brand("ref 4111111111111110"), None);
    // a bare valid number is low; a brand grouping in running text medium
    assert_eq!(
        brand("ref 5257397671512944"),
        Some(("mastercard", Confidence::Low))
    );
    assert_eq!(
        brand("ref 3498 765432 10986"),
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

fn rule_findings<'a>(
    findings: &'a [leakscan::finding::Finding],
    rule: &str,
) -> Vec<&'a leakscan::finding::Finding> {
    findings.iter().filter(|f| f.rule.id == rule).collect()
}

#[test]
fn corporate_numbers_reference_and_generated() {
    use leakscan::validate::corporate_number_check_digit;
    for v in [
        "7000012050002",
        "1180301018771",
        "7010705000725",
        "4011001098993",
    ] {
        let f = scan(&format!("法人番号: {v}\n"), "companies.txt");
        let hits = rule_findings(&f, "corporate_number");
        assert_eq!(hits.len(), 1, "{v}");
        assert_eq!(hits[0].confidence, Confidence::High);
        assert_eq!(hits[0].redacted, format!("*********{}", &v[9..]));
        assert_eq!(hits[0].rule.category.as_str(), "jp_identifier");
    }
    for v in ["5123456789012", "0180301018771"] {
        assert!(
            rule_findings(
                &scan(&format!("法人番号: {v}\n"), "c.txt"),
                "corporate_number"
            )
            .is_empty(),
            "{v}"
        );
    }
    // generated: every valid number in a 法人番号 column is found, far below the header
    let mut rng = Rng(13);
    let mut csv = String::from("社名,法人番号,所在地\n");
    let mut valid = Vec::new();
    for i in 0..300 {
        let base = rng.digits(12);
        let n = format!("{}{base}", corporate_number_check_digit(base.as_bytes()));
        csv += &format!("会社{i},{n},東京都\n");
        valid.push(n);
    }
    let hits = rule_findings(&scan(&csv, "houjin.csv"), "corporate_number").len();
    assert_eq!(hits, valid.len());
}

#[test]
fn drivers_licences_need_evidence_and_a_known_authority() {
    for v in ["459803358720", "301512345650", "622000000190"] {
        let f = scan(&format!("運転免許証番号 {v}\n"), "a.txt");
        assert_eq!(rule_findings(&f, "jp_drivers_license").len(), 1, "{v}");
        let f = scan(&format!("免許証の写し\n第{v}号\n"), "a.txt");
        let hits = rule_findings(&f, "jp_drivers_license");
        assert_eq!(hits.len(), 1, "anchor 第…号: {v}");
        assert_eq!(hits[0].confidence, Confidence::High);
        // no evidence, no finding
        assert!(rule_findings(
            &scan_all(&format!("ref {v}\n"), "a.txt"),
            "jp_drivers_license"
        )
        .is_empty());
    }
    // authority 99 does not exist
    assert!(rule_findings(
        &scan_all("運転免許証番号 991512345650\n", "a.txt"),
        "jp_drivers_license"
    )
    .is_empty());
    // a failed check digit lowers confidence (the rule is unofficial)
    let f = scan_all("運転免許証番号 301512345600\n", "a.txt");
    let hits = rule_findings(&f, "jp_drivers_license");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].confidence, Confidence::Medium);
}

#[test]
fn passports_residence_cards_pensions_and_accounts() {
    let cases = [
        ("旅券番号: TK1234567\n", "jp_passport", Some("*******67")),
        (
            "passport_no,name,nationality\nMZ7654321,A,JP\nTR1111111,B,JP\n",
            "jp_passport",
            None,
        ),
        (
            "在留カード番号 AB12345678CD\n",
            "jp_residence_card",
            Some("********78CD"),
        ),
        (
            "基礎年金番号 1234-567890\n",
            "jp_basic_pension_number",
            Some("******7890"),
        ),
        (
            "三井住友銀行 本店 普通 口座番号 1234567\n",
            "jp_bank_account",
            Some("*****67"),
        ),
    ];
    for (text, rule, redacted) in cases {
        let f = scan(text, "form.txt");
        let hits = rule_findings(&f, rule);
        assert!(!hits.is_empty(), "{rule}: {text:?}");
        if let Some(r) = redacted {
            assert_eq!(hits[0].redacted, r, "{rule}");
        }
    }
    // rows of the table: both found
    assert_eq!(
        rule_findings(&scan(cases[1].0, "p.csv"), "jp_passport").len(),
        2
    );
    // without a keyword none of the shapes is reported, at any confidence
    for text in [
        "SKU TK1234567\n",
        "part AB12345678CD\n",
        "tel 1234-567890\n",
        "order 1234567\n",
    ] {
        let f = scan_all(text, "x.txt");
        assert!(
            f.iter()
                .all(|f| f.rule.category.as_str() != "jp_identifier"),
            "{text:?}"
        );
    }
    // a bank account with only the generic keyword is medium; a branch or account type raises it
    let f = scan("口座 7654321\n", "x.txt");
    assert_eq!(
        rule_findings(&f, "jp_bank_account")[0].confidence,
        Confidence::Medium
    );
}

#[test]
fn passport_mrz_is_validated_with_icao_check_digits() {
    use leakscan::validate::mrz_check_digit;
    let mut rng = Rng(9303);
    for _ in 0..50 {
        let doc = format!(
            "T{}{}",
            char::from(b'A' + (rng.next() % 26) as u8),
            rng.digits(7)
        );
        let check = mrz_check_digit(doc.as_bytes()).unwrap();
        let line1 = format!("P<JPN{:<<39}", "SATO<<HANAKO");
        let good = format!("{line1}\n{doc}{check}JPN9001017F3001012<<<<<<<<<<<<<<00\n");
        let f = scan(&good, "scan.txt");
        let hits = rule_findings(&f, "jp_passport");
        assert_eq!(hits.len(), 1, "{doc}");
        assert_eq!(hits[0].confidence, Confidence::High);
        let bad = format!(
            "{line1}\n{doc}{}JPN9001017F3001012<<<<<<<<<<<<<<00\n",
            (check + 1) % 10
        );
        assert!(
            rule_findings(&scan_all(&bad, "scan.txt"), "jp_passport").is_empty(),
            "{doc}"
        );
    }
}

#[test]
fn a_column_of_valid_my_numbers_needs_no_header_keyword() {
    let mut rng = Rng(606);
    let mut csv = String::from("id,name,code,note\n");
    for i in 0..400 {
        csv += &format!("{i},社員{i},{},\n", rng.my_number());
    }
    let found = my_numbers(&scan(&csv, "export.csv"));
    assert_eq!(found.len(), 400, "every row, far below the sampled block");
    assert!(found.iter().all(|(c, _)| *c == Confidence::High));

    // random 12-digit ids: one in ten passes the check, the column is not inferred
    let mut csv = String::from("id,name,code,note\n");
    for i in 0..400 {
        csv += &format!("{i},社員{i},{},\n", rng.digits(12));
    }
    let all = my_numbers(&scan_all(&csv, "export.csv"));
    assert!(!all.is_empty());
    assert!(all.iter().all(|(c, _)| *c == Confidence::Low), "{all:?}");
}

#[test]
fn a_json_key_applies_to_the_values_it_encloses() {
    let mut rng = Rng(4040);
    let (a, b, c) = (rng.my_number(), rng.my_number(), rng.my_number());
    let json = format!(
        "{{\n  \"employee\": {{\n    \"name\": \"山田\",\n    \"my_number\": {{\n      \"value\": \"{a}\",\n      \"verified\": true\n    }},\n    \"個人番号\": [\"{b}\"]\n  }},\n  \"order\": {{\"id\": \"{c}\"}}\n}}\n"
    );
    let found = my_numbers(&scan_all(&json, "export.json"));
    let conf: Vec<Confidence> = found.iter().map(|(c, _)| *c).collect();
    assert_eq!(
        conf,
        vec![Confidence::High, Confidence::High, Confidence::Low],
        "{found:?}"
    );
}
