//! The same input through many chunk sizes, down to one byte per window,
//! must give identical findings: each match found exactly once, with the same
//! line, column, offset and confidence, wherever the window edges fall.

mod common;

use common::{scan_with, Rng};
use leakscan::finding::Confidence;
use leakscan::scan::ScanOptions;

type Key = (
    String,
    Option<u64>,
    Option<u64>,
    Option<u64>,
    Confidence,
    String,
);

fn findings(text: &[u8], path: &str, chunk: usize) -> Vec<Key> {
    let opts = ScanOptions {
        chunk_size: chunk,
        min_confidence: Confidence::Low,
        ..ScanOptions::default()
    };
    scan_with(text, path, &opts)
        .1
        .into_iter()
        .map(|f| {
            (
                f.rule.id.clone(),
                f.line,
                f.column,
                f.byte_offset,
                f.confidence,
                f.fingerprint,
            )
        })
        .collect()
}

/// A document mixing every kind of text finding, long lines, CRLF, a
/// multi-line key and Japanese text, with planted values at varied offsets.
fn document(rng: &mut Rng, lines: usize) -> (String, usize) {
    let mut s = String::from("社員ID,氏名,マイナンバー,メモ\r\n");
    let mut planted = 0;
    for i in 0..lines {
        match rng.next() % 9 {
            0 => {
                s += &format!("{i},山田 太郎,{},備考なし\r\n", rng.my_number());
                planted += 1;
            }
            1 => {
                let n = rng.my_number();
                s += &format!("個人番号は{}-{}-{}です。\n", &n[..4], &n[4..8], &n[8..]);
                planted += 1;
            }
            2 => {
                s += &format!("card number: {} exp 12/29\n", rng.visa());
                planted += 1;
            }
            3 => {
                s += &format!("DB_PASSWORD=Zq{}x!\n", rng.digits(10));
                planted += 1;
            }
            4 => {
                s += "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA8JzFalHlsZfYcMMDktXP/tKsf2rcDkdfrUnW5gcF+Ha6ili8\n-----END RSA PRIVATE KEY-----\n";
                planted += 1;
            }
            5 => {
                s += &format!(
                    "{} {}\n",
                    "lorem ipsum dolor ".repeat((rng.next() % 300) as usize),
                    rng.digits(12)
                )
            }
            6 => {
                s += &format!(
                    "ts={} id={} amount={}\n",
                    rng.digits(13),
                    rng.digits(8),
                    rng.digits(5)
                )
            }
            7 => {
                s += &format!(
                    "{{\"my_number\": \"{}\", \"note\": \"{}\"}}\n",
                    rng.my_number(),
                    "x".repeat((rng.next() % 50) as usize)
                )
            }
            _ => s += "\n",
        }
    }
    (s, planted)
}

#[test]
fn findings_do_not_depend_on_chunk_size_tiny_chunks() {
    let mut rng = Rng(42);
    let (doc, planted) = document(&mut rng, 60);
    assert!(planted > 10);
    let reference = findings(doc.as_bytes(), "export.csv", 1 << 20);
    assert!(
        reference.len() >= planted,
        "{} findings for {planted} planted",
        reference.len()
    );
    for chunk in [1, 2, 3, 5, 7, 13, 64, 511] {
        assert_eq!(
            findings(doc.as_bytes(), "export.csv", chunk),
            reference,
            "chunk size {chunk}"
        );
    }
}

#[test]
fn findings_do_not_depend_on_chunk_size_large_document() {
    let mut rng = Rng(7);
    let (doc, planted) = document(&mut rng, 4000);
    let reference = findings(doc.as_bytes(), "export.csv", 1 << 22);
    assert!(reference.len() >= planted);
    for chunk in [1000, 4095, 4096, 4097, 10_000, 65_536, 262_144] {
        assert_eq!(
            findings(doc.as_bytes(), "export.csv", chunk),
            reference,
            "chunk size {chunk}"
        );
    }
}

#[test]
fn line_and_column_are_exact_across_windows() {
    let mut rng = Rng(3);
    let n = rng.my_number();
    let text = format!("{}\nline two\n  マイナンバー: {n}\n", "a".repeat(20_000));
    for chunk in [1, 100, 4096, 1 << 20] {
        let f = findings(text.as_bytes(), "x.txt", chunk);
        assert_eq!(f.len(), 1, "chunk {chunk}");
        assert_eq!(f[0].1, Some(3));
        assert_eq!(f[0].2, Some(11)); // characters, not bytes: "  マイナンバー: " is 10
        assert_eq!(f[0].3, Some(text.find(&n).unwrap() as u64));
    }
}
