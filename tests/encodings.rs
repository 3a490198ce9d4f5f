//! The same Japanese documents in every encoding a Japanese export comes in
//! (UTF-8 with and without BOM, UTF-16LE/BE with and without BOM,
//! Shift_JIS, EUC-JP, ISO-2022-JP; LF and CRLF) must give the findings of
//! the UTF-8 original: same rule, confidence, line, column and fingerprint,
//! with the file's encoding recorded, whatever the chunk size, and even when
//! every multi-byte character is split between two reads.
//!
//! Fixtures are generated here (encoding_rs's encoders; UTF-16 by hand) with
//! generated identifiers: never real data.

mod common;

use std::io::{self, Read};

use common::{detectors, fingerprinter, scan_with, Rng};
use encoding_rs::{Encoding, EUC_JP, ISO_2022_JP, SHIFT_JIS};
use leakscan::finding::{Category, Confidence, Finding};
use leakscan::outcome::Outcome;
use leakscan::scan::{FileScanner, ScanOptions};

/// A variant of a document: its encoding's reported name and its bytes.
struct Variant {
    label: &'static str,
    name: &'static str,
    bom: bool,
    bytes: Vec<u8>,
}

fn legacy(enc: &'static Encoding, text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = enc.encode(text);
    assert!(!unmappable, "{} cannot encode the fixture", enc.name());
    bytes.into_owned()
}

fn utf16(text: &str, le: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let units = bom.then_some(0xFEFF).into_iter().chain(text.encode_utf16());
    for u in units {
        out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

fn variants(text: &str) -> Vec<Variant> {
    let v = |label, name, bom, bytes| Variant {
        label,
        name,
        bom,
        bytes,
    };
    let mut bom8 = b"\xEF\xBB\xBF".to_vec();
    bom8.extend_from_slice(text.as_bytes());
    vec![
        v("utf-8", "utf-8", false, text.as_bytes().to_vec()),
        v("utf-8 bom", "utf-8", true, bom8),
        v("utf-16le bom", "utf-16le", true, utf16(text, true, true)),
        v("utf-16be bom", "utf-16be", true, utf16(text, false, true)),
        v("utf-16le", "utf-16le", false, utf16(text, true, false)),
        v("utf-16be", "utf-16be", false, utf16(text, false, false)),
        v("shift_jis", "shift_jis", false, legacy(SHIFT_JIS, text)),
        v("euc-jp", "euc-jp", false, legacy(EUC_JP, text)),
        v(
            "iso-2022-jp",
            "iso-2022-jp",
            false,
            legacy(ISO_2022_JP, text),
        ),
    ]
}

/// Planted values and decoys, with the line each planted value is on.
struct Fixture {
    text: String,
    path: &'static str,
    /// (category, line, confidence at least)
    planted: Vec<(Category, u64, Confidence)>,
}

/// A CSV export as Excel writes it: a `個人番号` header over a My Number
/// column far from the header, a card column, and decoys.
fn csv(rng: &mut Rng, eol: &str) -> Fixture {
    let mut text = format!("社員番号,氏名,個人番号,カード番号,備考{eol}");
    let mut planted = Vec::new();
    for i in 0..40u64 {
        let line = i + 2;
        let (mn, card, note) = match i % 4 {
            0 => {
                planted.push((Category::MyNumber, line, Confidence::High));
                planted.push((Category::PaymentCard, line, Confidence::Medium));
                (rng.my_number(), rng.visa(), "本人確認済み")
            }
            // decoys: a failing check digit, a failing Luhn, too short (9 digits: 10 or 11
            // under a 個人番号 header are a My Number that lost its leading zeros)
            1 => (bad_my_number(rng), bad_visa(rng), "未確認"),
            2 => (rng.digits(9), rng.digits(15), "退職予定"),
            _ => (String::new(), String::new(), "扶養なし"),
        };
        text += &format!("{:04},山田 太郎{i},{mn},{card},{note}{eol}", 1000 + i);
    }
    Fixture {
        text,
        path: "hr/社員一覧.csv",
        planted,
    }
}

/// A memo: labelled values on their lines, Japanese and ASCII credentials.
fn memo(rng: &mut Rng, eol: &str) -> Fixture {
    let mn = rng.my_number();
    let grouped = rng.my_number();
    let lines = [
        "従業員情報（社外秘）".to_string(),
        format!("個人番号：{mn}"),
        format!(
            "マイナンバー {}-{}-{} を控えること。",
            &grouped[..4],
            &grouped[4..8],
            &grouped[8..]
        ),
        format!("カード番号 {} 有効期限 12/29", rng.visa()),
        format!("パスワード=Hk{}q!", rng.digits(8)),
        format!("password=Zq{}x!", rng.digits(10)),
        format!("問い合わせ番号 {} は配送用です。", bad_my_number(rng)),
        format!("注文番号 {} はカードではありません。", bad_visa(rng)),
        format!("個人番号（全角）：{}", full_width(&rng.my_number())),
        format!(
            "カード番号　{}",
            full_width(&grouped_card(&rng.visa(), "－"))
        ),
        format!("マイナンバー {}", grouped_card(&rng.my_number(), "ー")),
        format!(
            "照会番号 {} は対象外です。",
            full_width(&bad_my_number(rng))
        ),
        "以上、よろしくお願いいたします。".to_string(),
    ];
    let planted = vec![
        (Category::MyNumber, 2, Confidence::High),
        (Category::MyNumber, 3, Confidence::High),
        (Category::PaymentCard, 4, Confidence::High),
        (Category::Credential, 5, Confidence::Medium),
        (Category::Credential, 6, Confidence::Medium),
        (Category::MyNumber, 9, Confidence::High),
        (Category::PaymentCard, 10, Confidence::High),
        (Category::MyNumber, 11, Confidence::High),
    ];
    Fixture {
        text: lines.join(eol) + eol,
        path: "docs/メモ.txt",
        planted,
    }
}

/// The digits of `s` as full-width digits (０-９).
fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(0xFF10 + d).unwrap(),
            None => c,
        })
        .collect()
}

/// Digits in groups of four joined by `sep`.
fn grouped_card(digits: &str, sep: &str) -> String {
    digits
        .as_bytes()
        .chunks(4)
        .map(|g| std::str::from_utf8(g).unwrap())
        .collect::<Vec<_>>()
        .join(sep)
}

/// 12 digits whose My Number check digit is wrong.
fn bad_my_number(rng: &mut Rng) -> String {
    let good = rng.my_number();
    let last = good.as_bytes()[11] - b'0';
    format!("{}{}", &good[..11], (last + 1) % 10)
}

/// 16 digits starting with 4 whose Luhn check fails.
fn bad_visa(rng: &mut Rng) -> String {
    let good = rng.visa();
    let last = good.as_bytes()[15] - b'0';
    format!("{}{}", &good[..15], (last + 1) % 10)
}

fn opts(chunk: usize) -> ScanOptions {
    ScanOptions {
        chunk_size: chunk,
        min_confidence: Confidence::Low,
        ..ScanOptions::default()
    }
}

/// What must not change with the encoding.
type Key = (String, Option<u64>, Option<u64>, Confidence, String, String);

fn key(f: &Finding) -> Key {
    (
        f.rule.id.clone(),
        f.line,
        f.column,
        f.confidence,
        f.redacted.clone(),
        f.fingerprint.clone(),
    )
}

fn scan_bytes(bytes: &[u8], path: &str, chunk: usize) -> Vec<Finding> {
    let (outcome, findings) = scan_with(bytes, path, &opts(chunk));
    match outcome {
        Outcome::Scanned {
            binary, bytes: n, ..
        } => {
            assert!(!binary, "{path} read as binary");
            assert_eq!(n, bytes.len() as u64, "{path}: raw bytes scanned");
        }
        other => panic!("{path}: {other:?}"),
    }
    findings
}

/// The UTF-8 findings: every planted value at its line, nothing else.
fn reference(fx: &Fixture) -> Vec<Finding> {
    let found = scan_bytes(fx.text.as_bytes(), fx.path, 1 << 20);
    for &(cat, line, min) in &fx.planted {
        assert!(
            found
                .iter()
                .any(|f| f.rule.category == cat && f.line == Some(line) && f.confidence >= min),
            "{}: no {cat:?} at line {line} with confidence >= {min:?}",
            fx.path
        );
    }
    let planted_lines: Vec<u64> = fx.planted.iter().map(|p| p.1).collect();
    for f in &found {
        assert!(
            planted_lines.contains(&f.line.unwrap()),
            "{}: a decoy was reported: {} at line {:?} ({})",
            fx.path,
            f.rule.id,
            f.line,
            f.redacted
        );
    }
    assert!(found.iter().all(|f| f.encoding == Some("utf-8")));
    found
}

fn check_fixture(fx: &Fixture) {
    let expected = reference(fx);
    let want: Vec<Key> = expected.iter().map(key).collect();
    for v in variants(&fx.text) {
        let got = scan_bytes(&v.bytes, fx.path, 1 << 20);
        assert_eq!(
            got.iter().map(key).collect::<Vec<_>>(),
            want,
            "{} as {}",
            fx.path,
            v.label
        );
        for (g, e) in got.iter().zip(&expected) {
            assert_eq!(g.encoding, Some(v.name), "{} as {}", fx.path, v.label);
            // UTF-8 offsets are the file's (after a 3-byte BOM); decoded
            // files' offsets are in the decoded text, i.e. the UTF-8 original.
            let shift = if v.name == "utf-8" && v.bom { 3 } else { 0 };
            assert_eq!(
                g.byte_offset,
                e.byte_offset.map(|o| o + shift),
                "{} as {}",
                fx.path,
                v.label
            );
        }
    }
}

#[test]
fn csv_with_japanese_header_in_every_encoding_lf_and_crlf() {
    let mut rng = Rng(11);
    check_fixture(&csv(&mut rng, "\n"));
    check_fixture(&csv(&mut rng, "\r\n"));
}

#[test]
fn memo_with_japanese_keywords_in_every_encoding_lf_and_crlf() {
    let mut rng = Rng(12);
    check_fixture(&memo(&mut rng, "\n"));
    check_fixture(&memo(&mut rng, "\r\n"));
}

#[test]
fn shift_jis_header_gives_the_confidence_of_utf8() {
    let mut rng = Rng(13);
    let fx = csv(&mut rng, "\r\n");
    let sjis = legacy(SHIFT_JIS, &fx.text);
    // the raw bytes hold no UTF-8 keyword: only decoding finds the header
    assert!(!sjis.windows(12).any(|w| w == "個人番号".as_bytes()));
    let found = scan_bytes(&sjis, fx.path, 1 << 20);
    let my_numbers: Vec<&Finding> = found
        .iter()
        .filter(|f| f.rule.category == Category::MyNumber)
        .collect();
    assert_eq!(my_numbers.len(), 10);
    assert!(my_numbers.iter().all(|f| f.confidence == Confidence::High));
    assert!(my_numbers.iter().all(|f| f.encoding == Some("shift_jis")));
}

/// A reader that hands out at most `step` bytes per call, so that the
/// decoder gets every multi-byte character in pieces.
struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.step).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

#[test]
fn split_characters_give_identical_findings_at_tiny_chunk_sizes() {
    let mut rng = Rng(14);
    let fx = memo(&mut rng, "\r\n");
    for v in variants(&fx.text) {
        let want: Vec<Key> = scan_bytes(&v.bytes, fx.path, 1 << 20)
            .iter()
            .map(key)
            .collect();
        assert_eq!(want.len(), 8, "{}", v.label);
        // chunk sizes also bound the decoder's input: 1 byte splits every character
        for chunk in [1, 2, 3, 5, 7, 13, 64, 511] {
            let got: Vec<Key> = scan_bytes(&v.bytes, fx.path, chunk)
                .iter()
                .map(key)
                .collect();
            assert_eq!(got, want, "{} chunk {chunk}", v.label);
        }
    }
}

#[test]
fn long_files_decode_past_the_head_through_trickling_reads() {
    let mut rng = Rng(15);
    // more than the 8 KiB head, so most of it is read through the decoder
    let mut fx = csv(&mut rng, "\r\n");
    let body = fx.text.split_once("\r\n").unwrap().1.to_string();
    let rows = body.lines().count() as u64;
    for copy in 1..12u64 {
        fx.text += &body;
        let shifted: Vec<_> = fx
            .planted
            .iter()
            .filter(|p| p.1 <= rows + 1)
            .map(|&(c, l, m)| (c, l + copy * rows, m))
            .collect();
        fx.planted.extend(shifted);
    }
    assert!(fx.text.len() > 3 * 8192);
    let want: Vec<Key> = reference(&fx).iter().map(key).collect();
    for v in variants(&fx.text) {
        for (step, chunk) in [(1, 4096), (3, 1000), (7, 65_536), (4096, 4097)] {
            let o = opts(chunk);
            let mut scanner = FileScanner::new(detectors(), fingerprinter(), &o);
            let mut r = Trickle {
                data: &v.bytes,
                step,
            };
            let leakscan::scan::FileResult {
                outcome,
                findings: found,
                ..
            } = scanner.scan_reader(&mut r, fx.path, fx.path);
            assert!(matches!(outcome, Outcome::Scanned { binary: false, .. }));
            assert_eq!(
                found.iter().map(key).collect::<Vec<_>>(),
                want,
                "{} step {step} chunk {chunk}",
                v.label
            );
            assert!(found.iter().all(|f| f.encoding == Some(v.name)));
        }
    }
}

#[test]
fn binary_files_still_reach_the_id_document_detector() {
    // a JPEG: NUL bytes that are no UTF-16 text
    let mut jpeg = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00".to_vec();
    jpeg.extend((0..4000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    let (outcome, found) = scan_with(
        &jpeg,
        "hr/id-scans/マイナンバーカード_裏.dat",
        &opts(1 << 20),
    );
    assert!(matches!(outcome, Outcome::Scanned { binary: true, .. }));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].rule.category, Category::IdDocument);
    assert_eq!(found[0].encoding, None);
    assert_eq!(found[0].line, None);
}

#[test]
fn half_width_katakana_shift_jis_bank_file() {
    let mut rng = Rng(16);
    let mn = rng.my_number();
    let text = format!(
        "ﾌﾘｶﾞﾅ,ｺｼﾞﾝﾊﾞﾝｺﾞｳ\r\nﾔﾏﾀﾞ ﾀﾛｳ,{mn}\r\nﾏｲﾅﾝﾊﾞｰ {}\r\n",
        rng.my_number()
    );
    let bytes = legacy(SHIFT_JIS, &text);
    let found = scan_bytes(&bytes, "furikomi.txt", 1 << 20);
    let want: Vec<Key> = scan_bytes(text.as_bytes(), "furikomi.txt", 1 << 20)
        .iter()
        .map(key)
        .collect();
    assert_eq!(found.iter().map(key).collect::<Vec<_>>(), want);
    // the half-width keyword ﾏｲﾅﾝﾊﾞｰ labels the second number
    assert!(found
        .iter()
        .any(|f| f.line == Some(3) && f.confidence == Confidence::High));
    assert!(found.iter().all(|f| f.encoding == Some("shift_jis")));
}

#[test]
fn full_width_numbers_are_redacted_and_fingerprinted_as_ascii() {
    let mut rng = Rng(17);
    let n = rng.my_number();
    let narrow = format!("個人番号：{n}\n");
    let wide = format!("個人番号：{}\n", full_width(&n));
    let a = scan_bytes(narrow.as_bytes(), "a.txt", 1 << 20);
    let b = scan_bytes(wide.as_bytes(), "a.txt", 1 << 20);
    assert_eq!((a.len(), b.len()), (1, 1));
    assert_eq!(b[0].redacted, format!("********{}", &n[8..]));
    assert_eq!(b[0].fingerprint, a[0].fingerprint);
    assert_eq!(b[0].confidence, Confidence::High);
    // the offset is that of the first full-width digit
    assert_eq!(b[0].byte_offset, Some("個人番号：".len() as u64));
    assert_eq!(b[0].column, Some(6));
}

#[test]
fn cli_reports_the_encoding_of_each_file() {
    let mut rng = Rng(18);
    let dir = tempfile::tempdir().unwrap();
    let fx = csv(&mut rng, "\r\n");
    let files = [
        ("sjis.csv", legacy(SHIFT_JIS, &fx.text), "shift_jis"),
        ("euc.csv", legacy(EUC_JP, &fx.text), "euc-jp"),
        (
            "unicode.txt",
            utf16(&fx.text.replace(',', "\t"), true, true),
            "utf-16le",
        ),
        ("utf8.csv", fx.text.clone().into_bytes(), "utf-8"),
    ];
    for (name, bytes, _) in &files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let out = assert_cmd::Command::cargo_bin("leakscan")
        .unwrap()
        .env("LEAKSCAN_FINGERPRINT_KEY", "encodings-test-key-0123456789")
        .args(["scan", "--format", "jsonl", "--min-confidence", "high"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let records: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for (name, _, encoding) in &files {
        let mine: Vec<&serde_json::Value> = records
            .iter()
            .filter(|r| r["type"] == "finding" && r["path"].as_str().unwrap().ends_with(name))
            .collect();
        // every My Number under the 個人番号 header, and the cards under カード番号
        assert_eq!(mine.len(), 20, "{name}");
        assert!(mine.iter().all(|r| r["encoding"] == *encoding), "{name}");
    }
    // no raw identifier leaves the process without --show-secrets
    let values: Vec<&str> = fx
        .text
        .lines()
        .skip(1)
        .flat_map(|l| l.split(',').skip(2).take(2))
        .filter(|v| v.len() >= 12)
        .collect();
    assert!(values.len() >= 20);
    assert!(values.iter().all(|v| !stdout.contains(v)));
}

#[test]
fn shift_jis_after_an_ascii_head_is_decoded_from_where_it_starts() {
    let mut rng = Rng(19);
    // ASCII log lines well past the 8 KiB head, with a card in them
    let mut text = String::new();
    let mut line = 0u64;
    let mut ascii_card_line = 0;
    while text.len() < 20_000 {
        line += 1;
        if line == 100 {
            text += &format!("payment card number {} ok\n", rng.visa());
            ascii_card_line = line;
        } else {
            text += &format!(
                "2024-03-01T10:{:02}:00Z INFO request id={} done\n",
                line % 60,
                rng.digits(6)
            );
        }
    }
    let sjis_start = text.len();
    let mn = rng.my_number();
    let pw = format!("Hk{}q!", rng.digits(8));
    let japanese = format!(
        "従業員メモ\n個人番号：{mn}\nパスワード={pw}\nid=7 カード番号 {}\n",
        rng.visa()
    );
    let mut bytes = text.clone().into_bytes();
    bytes.extend(legacy(SHIFT_JIS, &japanese));
    let utf8 = format!("{text}{japanese}");
    let want: Vec<Key> = scan_bytes(utf8.as_bytes(), "app.log", 1 << 20)
        .iter()
        .map(key)
        .collect();
    assert_eq!(want.len(), 4);
    for chunk in [7, 100, 4096, 8191, 65_536, 1 << 20] {
        let found = scan_bytes(&bytes, "app.log", chunk);
        assert_eq!(
            found.iter().map(key).collect::<Vec<_>>(),
            want,
            "chunk {chunk}"
        );
        // the ASCII part is UTF-8 with file offsets; the rest is decoded
        assert_eq!(found[0].line, Some(ascii_card_line));
        assert_eq!(found[0].encoding, Some("utf-8"));
        assert!(found[0].byte_offset.unwrap() < sjis_start as u64);
        assert!(found[1..].iter().all(|f| f.encoding == Some("shift_jis")));
        assert_eq!(found[1].confidence, Confidence::High);
    }
}

#[test]
fn byte_soup_never_breaks_the_scan_at_any_chunk_size() {
    // ASCII, line breaks, UTF-8, Shift_JIS and stray bytes, mixed at random:
    // encodings switch mid-file, windows cut characters anywhere
    let mut rng = Rng(20);
    let pieces: Vec<Vec<u8>> = vec![
        b"id=42 ".to_vec(),
        b"\n".to_vec(),
        b"\r\n".to_vec(),
        "個人番号：".as_bytes().to_vec(),
        legacy(SHIFT_JIS, "個人番号："),
        legacy(EUC_JP, "パスワード="),
        vec![0x80, 0x80, 0x80, 0x80],
        vec![0xE3, 0x81],
        vec![0xFF],
        "１２３４－".as_bytes().to_vec(),
        b"123456789018".to_vec(),
    ];
    for round in 0..40 {
        let mut bytes = b"header line\n".repeat((rng.next() % 3) as usize);
        let mut n = rng.next() % 3000;
        if round % 4 == 0 {
            n += 9000; // past the head
        }
        while (bytes.len() as u64) < n {
            bytes.extend_from_slice(&pieces[(rng.next() % pieces.len() as u64) as usize]);
        }
        for chunk in [1, 2, 3, 5, 64, 4096, 1 << 20] {
            if chunk < 8 && bytes.len() > 3000 {
                continue;
            }
            let (outcome, _) = scan_with(&bytes, "soup.txt", &opts(chunk));
            match outcome {
                Outcome::Scanned { bytes: n, .. } => {
                    assert_eq!(n, bytes.len() as u64, "round {round} chunk {chunk}")
                }
                other => panic!("round {round} chunk {chunk}: {other:?}"),
            }
        }
    }
}

#[test]
fn text_after_nul_padding_is_text() {
    // a log preallocated with zeros, then written (ripgrep issue 1227)
    let n = Rng(46).my_number();
    let mut log = vec![0u8; 4096];
    log.extend(format!("2024-03-01 INFO 個人番号: {n} registered\n").as_bytes());
    let (outcome, found) = scan_with(&log, "app.log", &opts(256 * 1024));
    assert!(matches!(outcome, Outcome::Scanned { binary: false, .. }));
    assert_eq!(found.len(), 1);
    // NULs with control bytes between them are still binary: its text
    // runs are scanned, the number with its keyword right before it
    let mut bin = vec![0u8; 64];
    bin.extend(b"\x01\x02\x03ELF header-ish\x07\x08 and ");
    bin.extend("個人番号: ".as_bytes());
    bin.extend(n.as_bytes());
    let (outcome, found) = scan_with(&bin, "a.bin", &opts(256 * 1024));
    assert!(matches!(outcome, Outcome::Scanned { binary: true, .. }));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].encoding, Some("binary"));
    assert_eq!(found[0].line, None);
    assert_eq!(found[0].byte_offset, Some(bin.len() as u64 - 12));
}
