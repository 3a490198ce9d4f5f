//! Tables in documents: a header row applies to its column however many
//! rows follow, in every table format read as text (HTML, Markdown, Word,
//! PowerPoint, ODF, RTF, Word 97, CSV, and plain text with tab-separated,
//! aligned or `|`-separated columns), and a column headed as a credential
//! is evidence for its cells.
//!
//! The fixtures in `tests/fixtures/tables/` were written by real producers
//! (pandas `to_html`/`to_markdown`, LibreOffice calc, writer and impress,
//! pandoc, python-docx, python-pptx) from one synthetic employee list and
//! password sheet; `tests/fixtures/tables/make.py` made them (and
//! `libreoffice.py` the ODT, ODP, .doc and RTF) and `expected.json` lists
//! what was planted; `wrapped.py` made the tables that wrap, lie close or
//! have no header (LibreOffice's PDF and HTML, Chromium's PDF, pandas'
//! headerless CSV) and `wrapped.json`. Values are compared in memory only; failures
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

/// A finding as the checks below look at it.
struct Seen {
    category: String,
    confidence: Confidence,
    secret: Option<String>,
    redacted: String,
}

impl From<Finding> for Seen {
    fn from(f: Finding) -> Seen {
        Seen {
            category: f.rule.category.as_str().to_string(),
            confidence: f.confidence,
            secret: f.secret,
            redacted: f.redacted,
        }
    }
}

/// The findings of the binary on fixture `name`: legacy Office files are
/// read in its reader child, which a scan in the test process does not
/// start.
fn binary_findings(name: &str) -> Vec<Seen> {
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
        .map(|r| Seen {
            category: r["category"].as_str().unwrap().to_string(),
            confidence: match r["confidence"].as_str().unwrap() {
                "high" => Confidence::High,
                "medium" => Confidence::Medium,
                _ => Confidence::Low,
            },
            secret: r["secret"].as_str().map(str::to_string),
            redacted: r["redacted"].as_str().unwrap().to_string(),
        })
        .collect()
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

/// [`found`] for [`Seen`] findings.
fn seen(findings: &[Seen], category: &str, confidence: Confidence) -> HashSet<String> {
    findings
        .iter()
        .filter(|f| f.category == category && f.confidence >= confidence)
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
        ("libreoffice-writer.odt", true, true),
        ("libreoffice-writer.doc", true, true),
        ("libreoffice-writer.rtf", true, false),
        ("libreoffice-impress.odp", false, false),
    ];
    let mut report = String::new();
    for (name, has_accounts, has_aws) in fixtures {
        let findings: Vec<Seen> = if name.ends_with(".doc") {
            binary_findings(name)
        } else {
            let data = std::fs::read(format!("{FIXTURES}/{name}")).unwrap();
            all_findings(&data, name)
                .into_iter()
                .map(Seen::from)
                .collect()
        };
        let high = seen(&findings, "my_number", Confidence::High);
        let reported = seen(&findings, "my_number", Confidence::Medium);
        let any = seen(&findings, "my_number", Confidence::Low);
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
            .filter(|f| f.category == "my_number" && f.confidence == Confidence::High)
            .count();
        if high_count != my_numbers.len() {
            let _ = writeln!(
                report,
                "{name}: {high_count} high My Number findings for {} values",
                my_numbers.len()
            );
        }
        let creds = seen(&findings, "credential", Confidence::Medium);
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
            for f in findings.iter().filter(|f| f.category == "credential") {
                let shown = f.redacted.chars().filter(|c| *c != '*').count();
                assert!(shown <= 4, "{name}: a credential shown in full");
            }
        }
        if has_aws && !(creds.contains(&aws[0]) && creds.contains(&aws[1])) {
            let _ = writeln!(report, "{name}: the AWS key pair was not both found");
        }
        let credential_count = findings
            .iter()
            .filter(|f| f.category == "credential" && f.confidence >= Confidence::Medium)
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

/// A card list's 暗証番号 column: its PINs are bare digits, which other
/// credential columns drop, and are reported; a 社員番号 column of valid
/// numbers stays low; a short sheet without a header whose every value is
/// valid is a My Number column.
#[test]
fn pins_other_ids_and_short_headerless_columns() {
    let mut rng = Rng(13_0301);
    let cards = format!(
        "氏名,クレジットカード番号,有効期限,暗証番号\n山田,{},12/29,4000\n佐藤,{},12/29,5111\n鈴木,{},12/29,6222\n",
        rng.visa(),
        rng.visa(),
        rng.visa()
    );
    let findings = all_findings(cards.as_bytes(), "cards.csv");
    let pins = found(&findings, "credential", Confidence::Medium);
    let want: HashSet<String> = ["4000", "5111", "6222"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(pins, want);
    // placeholders in a PIN column are no PINs
    let other = "氏名,暗証番号\n山田,未設定\n佐藤,****\n鈴木,0000000000\n";
    assert!(found(
        &all_findings(other.as_bytes(), "x.csv"),
        "credential",
        Confidence::Medium
    )
    .is_empty());

    let numbers: Vec<String> = (0..5).map(|_| rng.my_number()).collect();
    let mut shain = String::from("社員番号,氏名\n");
    for n in &numbers {
        let _ = writeln!(shain, "{n},山田");
    }
    let findings = all_findings(shain.as_bytes(), "staff.csv");
    assert!(found(&findings, "my_number", Confidence::Medium).is_empty());
    assert_eq!(found(&findings, "my_number", Confidence::Low).len(), 5);

    let mut short = String::new();
    for n in &numbers[..3] {
        let _ = writeln!(short, "山田,{n},東京都");
    }
    let findings = all_findings(short.as_bytes(), "sheet.csv");
    assert_eq!(found(&findings, "my_number", Confidence::High).len(), 3);
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

/// A plain-text employee list, `rows` rows under a header far above, with
/// a 個人番号 column between a 社員番号 and a 電話番号 column whose values
/// pass the check digit too, and one 個人番号 with a bad check digit;
/// `cells` joins a row's cells. Returns the text, the My Numbers, the
/// other columns' valid numbers and the decoy.
fn text_table(
    rows: usize,
    header: &[&str; 4],
    cells: impl Fn(&[String; 4]) -> String,
) -> (String, Vec<String>, Vec<String>, String) {
    let mut rng = Rng(30);
    let mut text = String::from("■ 社員名簿（人事部）\n\n");
    let head = header.map(String::from);
    text += &cells(&head);
    text.push('\n');
    let (mut numbers, mut others) = (Vec::new(), Vec::new());
    let mut decoy = String::new();
    for i in 0..rows {
        let (id, phone) = (rng.my_number(), rng.my_number());
        let mut n = rng.my_number();
        if i == rows / 2 {
            // a wrong check digit
            let last = (n.as_bytes()[11] - b'0' + 1) % 10;
            n.replace_range(11.., &last.to_string());
            decoy = n.clone();
        } else {
            numbers.push(n.clone());
        }
        others.push(id.clone());
        others.push(phone.clone());
        text += &cells(&[id, format!("社員{i:02}"), n, phone]);
        text.push('\n');
    }
    text += "\n以上\n";
    (text, numbers, others, decoy)
}

/// What a text table must give: every My Number high, the decoy never, the
/// other columns' valid numbers not at the default confidence.
fn check_text_table(name: &str, text: &str, numbers: &[String], others: &[String], decoy: &str) {
    let findings = all_findings(text.as_bytes(), name);
    let high = found(&findings, "my_number", Confidence::High);
    assert_eq!(missing(numbers, &high), Vec::<usize>::new(), "{name}");
    let reported = found(&findings, "my_number", Confidence::Medium);
    let wrong = others.iter().filter(|o| reported.contains(*o)).count();
    assert_eq!(wrong, 0, "{name}: other columns' numbers reported");
    let any = found(&findings, "my_number", Confidence::Low);
    assert!(
        !any.contains(decoy),
        "{name}: the bad check digit was reported"
    );
    assert_eq!(high.len(), numbers.len(), "{name}");
}

/// A 30-row list in a .txt file, tab-separated: rows 4-30 are as sure as
/// rows 1-3, the 社員番号 and 電話番号 columns beside are not My Numbers;
/// the same through windows of 1 byte (the header is then many windows
/// above its last rows).
#[test]
fn a_tab_separated_text_table_keys_its_column_far_below() {
    let header = ["社員番号", "氏名", "個人番号", "電話番号"];
    let (text, numbers, others, decoy) = text_table(30, &header, |c| c.join("\t"));
    check_text_table("staff.txt", &text, &numbers, &others, &decoy);
    let opts = ScanOptions {
        min_confidence: Confidence::Low,
        show_secrets: true,
        chunk_size: 1,
        ..ScanOptions::default()
    };
    let (_, tiny) = scan_with(text.as_bytes(), "staff.txt", &opts);
    let high = found(&tiny, "my_number", Confidence::High);
    assert_eq!(missing(&numbers, &high), Vec::<usize>::new());
    // 2,000 rows: the last is 100 KB below its header
    let (text, numbers, others, decoy) = text_table(2000, &header, |c| c.join("\t"));
    check_text_table("staff.txt", &text, &numbers, &others, &decoy);
}

/// The same list with columns aligned by spaces (display width: a kanji
/// is two columns) and with `|` separators, as a psql or a report prints
/// it.
#[test]
fn aligned_and_pipe_text_tables_key_their_column() {
    let header = ["社員番号", "氏名", "マイナンバー", "電話番号"];
    let pad = |s: &str, w: usize| {
        let width: usize = s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
        format!("{s}{}", " ".repeat(w.saturating_sub(width)))
    };
    let aligned = |c: &[String; 4]| {
        format!(
            "{}  {}  {}  {}",
            pad(&c[0], 12),
            pad(&c[1], 8),
            pad(&c[2], 12),
            c[3]
        )
    };
    let (text, numbers, others, decoy) = text_table(30, &header, aligned);
    check_text_table("staff.txt", &text, &numbers, &others, &decoy);
    let piped = |c: &[String; 4]| format!("| {} |", c.join(" | "));
    let (text, numbers, others, decoy) = text_table(30, &header, piped);
    check_text_table("report.log", &text, &numbers, &others, &decoy);
}

/// A header is in force only while its rows keep its shape: the line
/// right below the last row is under it, but not after a blank line or a
/// line with another number of tabs.
#[test]
fn a_text_table_ends_at_a_blank_line_or_another_shape() {
    let mut rng = Rng(31);
    let n = rng.my_number();
    // (not the file's first line: that would make the file a TSV)
    let mut table = String::from("社員名簿\n社員番号\t氏名\t個人番号\n");
    for i in 0..10 {
        table += &format!("E{i}\t社員\t{}\n", rng.my_number());
    }
    let confidence = |between: &str| {
        let text = format!("{table}{between}A\tB\t{n}\n");
        let findings = all_findings(text.as_bytes(), "notes.txt");
        findings
            .iter()
            .find(|f| f.secret.as_deref() == Some(n.as_str()))
            .map(|f| f.confidence)
    };
    assert_eq!(confidence(""), Some(Confidence::High));
    assert_eq!(confidence("\n"), Some(Confidence::Low));
    assert_eq!(confidence("合計\t10\t-\t-\n"), Some(Confidence::Low));
}

/// A password sheet in a text file: the パスワード column is evidence for
/// its cells, placeholders are not passwords.
#[test]
fn a_text_password_column() {
    let text = "サービス\tユーザー名\tパスワード\n\
                社内ポータル\tuser01\tKp9vT2mQx7!a\n\
                給与システム\tuser02\t********\n\
                VPN\tuser03\tTr0ub4dor&3x\n";
    let findings = all_findings(text.as_bytes(), "accounts.txt");
    let creds = found(&findings, "credential", Confidence::Medium);
    let want: HashSet<String> = ["Kp9vT2mQx7!a", "Tr0ub4dor&3x"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(creds, want);
}

/// Digits only: a grouped number's secret as its digits.
fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Tables as real producers write them where the header used not to reach
/// its cells (`wrapped.py` made them; `wrapped.json` lists the values):
/// LibreOffice Writer's PDF of a table whose numbers, passwords and header
/// wrap inside their cells; Chromium's PDF of an HTML table, cells a few
/// points apart; LibreOffice Writer's and Calc's HTML, header and values in
/// `<td><p><font>`; pandas' CSV without a header row. Every My Number and
/// card is high (grouped ones too), every password reported, each once,
/// and the bad check digit never.
#[test]
fn wrapped_close_and_headerless_tables_keep_their_columns() {
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{FIXTURES}/wrapped.json")).unwrap())
            .unwrap();
    let my_numbers = strings(&expected, "my_numbers");
    let cards = strings(&expected, "cards");
    let passwords = strings(&expected, "passwords");
    let decoy = expected["decoy"].as_str().unwrap().to_string();
    let mut report = String::new();
    // (fixture, whether it holds the cards and passwords)
    for (name, full) in [
        ("lo-wrapped.pdf", true),
        ("chromium-table.pdf", true),
        ("lo-writer.html", true),
        ("lo-calc.html", true),
        ("pandas-noheader.csv", false),
    ] {
        let findings = binary_findings(name);
        let high = |category: &str| -> HashSet<String> {
            seen(&findings, category, Confidence::High)
                .iter()
                .map(|s| digits(s))
                .collect()
        };
        let count = |category: &str, confidence: Confidence| {
            findings
                .iter()
                .filter(|f| f.category == category && f.confidence >= confidence)
                .count()
        };
        let m = missing(&my_numbers, &high("my_number"));
        if !m.is_empty() {
            let _ = writeln!(report, "{name}: My Numbers of rows {m:?} not high");
        }
        if count("my_number", Confidence::High) != my_numbers.len() {
            let _ = writeln!(report, "{name}: not one high finding per My Number");
        }
        let any: HashSet<String> = findings
            .iter()
            .filter_map(|f| f.secret.as_deref().map(digits))
            .collect();
        if any.contains(&decoy) {
            let _ = writeln!(report, "{name}: the bad check digit was reported");
        }
        if !full {
            continue;
        }
        let m = missing(&cards, &high("payment_card"));
        if !m.is_empty() {
            let _ = writeln!(report, "{name}: cards of rows {m:?} not high");
        }
        let creds = seen(&findings, "credential", Confidence::Medium);
        let m = missing(&passwords, &creds);
        if !m.is_empty() {
            let _ = writeln!(report, "{name}: passwords of rows {m:?} missed");
        }
        let n = count("credential", Confidence::Low);
        if n != passwords.len() {
            let _ = writeln!(
                report,
                "{name}: {n} credential findings for {} passwords",
                passwords.len()
            );
        }
    }
    assert!(report.is_empty(), "\n{report}");
}

/// A CSV whose address and note cells hold line ends (Python's csv module
/// writes them as Excel saves wrapped cells, `multiline.py`): the My Number
/// and password columns after them keep their headers on every record,
/// though their values are on lines that do not start one.
#[test]
fn columns_after_cells_with_line_ends_keep_their_headers() {
    let data = std::fs::read(format!("{FIXTURES}/multiline.csv")).unwrap();
    let seen: Vec<Seen> = all_findings(&data, "multiline.csv")
        .into_iter()
        .map(Seen::from)
        .collect();
    let numbers: Vec<&Seen> = seen.iter().filter(|f| f.category == "my_number").collect();
    assert_eq!(numbers.len(), 12, "My Numbers found");
    let sure = numbers
        .iter()
        .filter(|f| f.confidence == Confidence::High)
        .count();
    assert_eq!(sure, 12, "My Numbers labelled by their header");
    // the planted passwords: each record's last cell
    let text = String::from_utf8(data).unwrap();
    let planted: HashSet<String> = text
        .split("\r\n")
        .skip(1)
        .filter(|r| !r.is_empty())
        .map(|r| r.rsplit(',').next().unwrap().to_string())
        .collect();
    assert_eq!(planted.len(), 12);
    let found: HashSet<String> = seen
        .iter()
        .filter(|f| f.category == "credential")
        .filter_map(|f| f.secret.clone())
        .collect();
    assert_eq!(
        found.intersection(&planted).count(),
        12,
        "passwords in the パスワード column found"
    );
}
