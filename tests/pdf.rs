//! PDFs as real producers write them (fixtures in tests/fixtures/pdf, made by
//! its make.py: reportlab CID and TrueType, fpdf2, LibreOffice, wkhtmltopdf,
//! Chromium, WeasyPrint, groff + Ghostscript, qpdf object streams and
//! encryption): every planted value is found on its page, the number with a
//! bad check digit is not, and what cannot be read is a gap with its reason.
//! make_more.py made the forms (reportlab AcroForm, with and without
//! appearance streams), the Identity-H fonts without ToUnicode and the PDF
//! without a page tree (more.json); the table tests read the PDFs of
//! tests/fixtures/producers.

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf")
}

/// `leakscan scan --format jsonl --min-confidence low ARGS` in the fixture
/// folder: exit code and records.
fn jsonl(args: &[&str]) -> (i32, Vec<Value>) {
    let out = Command::cargo_bin("leakscan")
        .unwrap()
        .current_dir(dir())
        .env("LEAKSCAN_FINGERPRINT_KEY", "pdf-test-key-0123456789")
        .timeout(Duration::from_secs(120))
        .args([
            "scan",
            "--no-config",
            "--format",
            "jsonl",
            "--min-confidence",
            "low",
        ])
        .args(args)
        .output()
        .unwrap();
    let records = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (out.status.code().unwrap_or(-1), records)
}

fn gaps(records: &[Value]) -> Vec<String> {
    records
        .iter()
        .filter(|r| r["type"] == "skipped" || r["type"] == "error")
        .map(|r| r["reason"].as_str().unwrap().to_string())
        .collect()
}

/// The planted values (values.json): (rule, value).
fn planted() -> (Vec<(&'static str, String)>, String) {
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(dir().join("values.json")).unwrap()).unwrap();
    let mut out: Vec<(&str, String)> = v["my_numbers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| ("my_number", n.as_str().unwrap().to_string()))
        .collect();
    out.push(("corporate_number", v["corporate"].as_str().unwrap().into()));
    for c in v["cards"].as_array().unwrap() {
        out.push(("payment_card", c.as_str().unwrap().into()));
    }
    (out, v["bad_my_number"].as_str().unwrap().into())
}

/// Whether a finding of `rule` ends in the last four digits of `value`
/// (values are compared by what the redacted form keeps, never printed).
fn found(records: &[Value], rule: &str, value: &str) -> bool {
    records.iter().any(|r| {
        r["type"] == "finding"
            && r["rule_id"] == rule
            && r["redacted"]
                .as_str()
                .unwrap()
                .ends_with(&value[value.len() - 4..])
    })
}

#[test]
fn every_producer_s_values_are_found_on_their_page() {
    let (values, bad) = planted();
    for file in [
        "reportlab-cid.pdf",
        "reportlab-ttf.pdf",
        "fpdf2.pdf",
        "libreoffice.pdf",
        "wkhtmltopdf.pdf",
        "chromium.pdf",
        "weasyprint.pdf",
        "groff.pdf",
        "qpdf-objstm.pdf",
        "qpdf-rc4-empty-user.pdf",
        "qpdf-aes256-empty-user.pdf",
    ] {
        let (code, records) = jsonl(&[file]);
        assert_eq!(code, 1, "{file}");
        assert!(gaps(&records).is_empty(), "{file}: {:?}", gaps(&records));
        for (k, (rule, value)) in values.iter().enumerate() {
            assert!(
                found(&records, rule, value),
                "{file}: planted value {k} ({rule})"
            );
        }
        assert!(
            !found(&records, "my_number", &bad),
            "{file}: the bad check digit"
        );
        for r in records.iter().filter(|r| r["type"] == "finding") {
            let member = r["member"].as_str().unwrap();
            assert!(member.starts_with("page-"), "{file}: {member}");
        }
    }
}

#[test]
fn the_number_drawn_one_digit_per_box_is_one_number_with_its_label() {
    // the fifth number is drawn a digit per box after 配偶者の個人番号
    let (values, _) = planted();
    let boxed = &values[4].1;
    for file in [
        "reportlab-cid.pdf",
        "chromium.pdf",
        "wkhtmltopdf.pdf",
        "fpdf2.pdf",
    ] {
        let (_, records) = jsonl(&[file]);
        let r = records
            .iter()
            .find(|r| {
                r["type"] == "finding" && r["redacted"].as_str().unwrap().ends_with(&boxed[8..])
            })
            .unwrap_or_else(|| panic!("{file}"));
        assert_eq!(r["confidence"], "high", "{file}: the label is on its line");
    }
}

#[test]
fn a_password_is_an_encrypted_gap_unless_accepted() {
    let (code, records) = jsonl(&["qpdf-aes256-user-password.pdf"]);
    assert_eq!(code, 3);
    assert_eq!(gaps(&records), ["encrypted"]);
    let (code, _) = jsonl(&["--accept", "encrypted", "qpdf-aes256-user-password.pdf"]);
    assert_eq!(code, 0);
}

#[test]
fn scanned_pages_are_a_no_text_layer_gap() {
    let (code, records) = jsonl(&["gs-scanned.pdf"]);
    assert_eq!(code, 3);
    assert_eq!(gaps(&records), ["no_text_layer"]);
    let (code, records) = jsonl(&["--accept", "no_text_layer", "gs-scanned.pdf"]);
    assert_eq!(code, 0);
    assert_eq!(records.last().unwrap()["accepted_gaps"], 1);
}

/// A minimal PDF whose one page draws `content`, with `extra` objects.
fn pdf(content: &[u8], extra: &[u8]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
        2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n\
        3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 4 0 R >> endobj\n"
        .to_vec();
    out.extend(format!("4 0 obj << /Length {} >> stream\n", content.len()).as_bytes());
    out.extend(content);
    out.extend(b"\nendstream endobj\n");
    out.extend(extra);
    out.extend(b"trailer << /Root 1 0 R /Size 6 >>\n%%EOF\n");
    out
}

#[test]
fn hostile_structure_is_a_gap_not_a_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // 200,000 nested arrays: lopdf stops at 100 levels; 300,000 tokens: not handed to it
    let mut nested = b"5 0 obj ".to_vec();
    nested.extend(std::iter::repeat_n(b'[', 200_000));
    nested.extend(std::iter::repeat_n(b']', 200_000));
    nested.extend(b" endobj\n");
    let mut many = b"5 0 obj [".to_vec();
    many.extend(b"1 ".repeat(300_000));
    many.extend(b"] endobj\n");
    std::fs::write(
        d.join("nested.pdf"),
        pdf(b"BT (My Number 123) Tj ET", &nested),
    )
    .unwrap();
    std::fs::write(d.join("tokens.pdf"), pdf(b"BT (x) Tj ET", &many)).unwrap();
    let run = |file: &str| {
        let out = Command::cargo_bin("leakscan")
            .unwrap()
            .current_dir(d)
            .env("LEAKSCAN_FINGERPRINT_KEY", "pdf-test-key-0123456789")
            .timeout(Duration::from_secs(120))
            .args(["scan", "--no-config", "--format", "jsonl", file])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        (out.status.code().unwrap_or(-1), text)
    };
    let (code, out) = run("nested.pdf");
    assert!(matches!(code, 0 | 3), "{code}: {out}");
    let (code, out) = run("tokens.pdf");
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("\"archive_limit\""), "{out}");
}

/// The PDFs of `tests/fixtures/producers` (LibreOffice Writer, Calc and
/// Impress, Chromium, wkhtmltopdf, WeasyPrint, reportlab, fpdf2, groff,
/// Ghostscript, qpdf): their tables' headers (個人番号, カード番号,
/// パスワード) apply to every row, a card number stays whole beside its
/// expiry date, Chromium's radicals (個⼈番号) read as ideographs, so each
/// planted value the reference `pdftotext` shows is found **at the default
/// confidence**, and no decoy at all.
#[test]
fn producers_tables_give_every_value_at_the_default_confidence() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/producers");
    let m: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("manifest.json")).unwrap())
            .unwrap();
    let values = m["values"].as_array().unwrap();
    let mut pdfs = 0;
    for (rel, f) in m["files"].as_object().unwrap() {
        if f["format"] != "pdf" {
            continue;
        }
        pdfs += 1;
        let out = Command::cargo_bin("leakscan")
            .unwrap()
            .current_dir(&root)
            .timeout(Duration::from_secs(120))
            .args([
                "scan",
                "--no-config",
                "--show-secrets",
                "--format",
                "jsonl",
                "-q",
            ])
            .arg(rel)
            .output()
            .unwrap();
        let secrets: Vec<String> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .filter(|r| r["type"] == "finding")
            .map(|r| r["secret"].as_str().unwrap().to_string())
            .collect();
        let skip = f["not_extractable"].as_array().unwrap();
        for i in f["values"].as_array().unwrap() {
            let v = &values[i.as_u64().unwrap() as usize];
            let (kind, value) = (v["kind"].as_str().unwrap(), v["value"].as_str().unwrap());
            let is = |s: &String| {
                let digits: String = s.chars().filter(char::is_ascii_digit).collect();
                if kind == "password" {
                    s.contains(value)
                } else {
                    digits == value
                }
            };
            let found = secrets.iter().any(is);
            if kind == "decoy_bad_check" {
                assert!(!found, "{rel}: decoy {i} reported");
            } else if !skip.contains(i) {
                assert!(
                    found,
                    "{rel}: value {i} ({kind}) not at the default confidence"
                );
            }
        }
        assert_eq!(out.status.code(), Some(1), "{rel}");
    }
    assert!(pdfs >= 14, "{pdfs} PDFs");
}

/// The values of the fixtures `make_more.py` made (more.json).
fn more() -> (Vec<String>, String) {
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(dir().join("more.json")).unwrap()).unwrap();
    let mn = v["my_numbers"].as_array().unwrap();
    (
        mn.iter().map(|n| n.as_str().unwrap().to_string()).collect(),
        v["card"].as_str().unwrap().to_string(),
    )
}

/// The confidence of the finding of `rule` whose redacted form ends as
/// `value` does, if any.
fn confidence(records: &[Value], rule: &str, value: &str) -> Option<String> {
    records
        .iter()
        .find(|r| {
            r["type"] == "finding"
                && r["rule_id"] == rule
                && r["redacted"]
                    .as_str()
                    .unwrap()
                    .ends_with(&value[value.len() - 4..])
        })
        .map(|r| r["confidence"].as_str().unwrap().to_string())
}

#[test]
fn form_fields_are_read_from_their_appearance_or_their_value() {
    // reportlab's AcroForm: a 個人番号 field, twelve one-digit fields after
    // a printed 配偶者の個人番号 label, a card field; then the same form
    // with no appearance streams, only the fields' /V
    let (mn, card) = more();
    for file in ["reportlab-form.pdf", "reportlab-form-noap.pdf"] {
        let (code, records) = jsonl(&[file]);
        assert_eq!(code, 1, "{file}");
        assert!(gaps(&records).is_empty(), "{file}: {:?}", gaps(&records));
        for (k, n) in mn.iter().enumerate() {
            assert_eq!(
                confidence(&records, "my_number", n).as_deref(),
                Some("high"),
                "{file}: field {k} with its label on the line"
            );
        }
        assert_eq!(
            confidence(&records, "payment_card", &card).as_deref(),
            Some("high"),
            "{file}"
        );
    }
}

#[test]
fn identity_h_without_tounicode_falls_back_or_is_a_gap() {
    let (mn, card) = more();
    // an Adobe-Japan1 CIDFont (HeiseiKakuGo-W5, not embedded) through
    // Identity-H: the fixed table gives Latin text and digits
    let (code, records) = jsonl(&["reportlab-cid-identity.pdf"]);
    assert_eq!(code, 1);
    assert!(gaps(&records).is_empty(), "{:?}", gaps(&records));
    assert_eq!(
        confidence(&records, "my_number", &mn[0]).as_deref(),
        Some("high")
    );
    assert!(confidence(&records, "payment_card", &card).is_some());
    // an embedded TrueType subset without ToUnicode (pdftotext reads
    // nothing either): shown but not readable, a gap
    let (code, records) = jsonl(&["fpdf2-no-tounicode.pdf"]);
    assert_eq!(code, 3);
    assert_eq!(gaps(&records), ["unsupported_format"]);
}

#[test]
fn without_a_page_tree_the_pages_and_content_streams_are_still_read() {
    let (mn, card) = more();
    // reportlab's page objects left without /Pages: read, and the damage a gap
    let (code, records) = jsonl(&["no-page-tree.pdf"]);
    assert_eq!(code, 1);
    assert_eq!(gaps(&records), ["corrupt_archive"]);
    assert!(confidence(&records, "my_number", &mn[0]).is_some());
    assert!(confidence(&records, "payment_card", &card).is_some());
    // hand-made: no catalog page tree and no page object, one content stream
    let tmp = tempfile::tempdir().unwrap();
    let content = format!("BT /F1 11 Tf 60 760 Td (My Number: {}) Tj ET", mn[1]);
    let mut doc = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    doc.extend(format!("2 0 obj << /Length {} >> stream\n", content.len()).as_bytes());
    doc.extend(content.as_bytes());
    doc.extend(
        b"\nendstream endobj\n3 0 obj << /Length 9 >> stream\nq 1 0 0 1\nendstream endobj\n",
    );
    doc.extend(b"trailer << /Root 1 0 R /Size 4 >>\n%%EOF\n");
    std::fs::write(tmp.path().join("hand.pdf"), doc).unwrap();
    let out = Command::cargo_bin("leakscan")
        .unwrap()
        .current_dir(tmp.path())
        .env("LEAKSCAN_FINGERPRINT_KEY", "pdf-test-key-0123456789")
        .timeout(Duration::from_secs(120))
        .args(["scan", "--no-config", "--format", "jsonl", "hand.pdf"])
        .output()
        .unwrap();
    let records: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(gaps(&records), ["corrupt_archive"]);
    assert_eq!(
        confidence(&records, "my_number", &mn[1]).as_deref(),
        Some("high")
    );
}
