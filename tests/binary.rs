//! Binary files that hold text (`leakscan::strings`): their UTF-8 and
//! UTF-16LE text runs are scanned, with offsets in the file; a value with
//! its keyword right beside it keeps its confidence, anything else in
//! binary data is low (below the default), so that a binary full of digit
//! runs gives no finding at the default confidence. Binaries are built
//! here from pseudo-random bytes; numbers are made with the check-digit
//! code.

mod common;

use common::{scan_with, Rng};
use leakscan::finding::{Category, Confidence};
use leakscan::outcome::Outcome;
use leakscan::scan::ScanOptions;

fn opts(min: Confidence) -> ScanOptions {
    ScanOptions {
        min_confidence: min,
        ..ScanOptions::default()
    }
}

/// `n` pseudo-random bytes with no text runs in them (bytes 0x80..=0xFF
/// that never form UTF-8, and NULs).
fn noise(rng: &mut Rng, n: usize) -> Vec<u8> {
    (0..n)
        .map(|_| match rng.next() % 4 {
            0 => 0,
            _ => 0xF8 | (rng.next() % 8) as u8,
        })
        .collect()
}

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

#[test]
fn a_utf16_string_with_its_keyword_is_found_in_a_binary() {
    let mut rng = Rng(1301);
    let n = rng.my_number();
    let mut bin = b"\x7FELF\x02\x01\x01\x00".to_vec();
    bin.extend(noise(&mut rng, 300_000));
    // a Windows program's string: UTF-16LE, at an odd offset
    bin.push(0);
    let at = bin.len();
    bin.extend(utf16le(&format!("個人番号: {n}")));
    bin.extend(noise(&mut rng, 100_000));
    let (outcome, found) = scan_with(&bin, "app.exe", &opts(Confidence::Medium));
    assert!(
        matches!(outcome, Outcome::Scanned { binary: true, bytes, .. } if bytes == bin.len() as u64)
    );
    assert_eq!(found.len(), 1);
    let f = &found[0];
    assert_eq!(f.rule.category, Category::MyNumber);
    assert_eq!(f.confidence, Confidence::High);
    assert_eq!(f.encoding, Some("binary"));
    assert_eq!((f.line, f.column), (None, None));
    // the offset of the number's first unit ("個人番号: " is 6 units)
    assert_eq!(f.byte_offset, Some(at as u64 + 12));
    assert!(!f.redacted.contains(&n));
}

#[test]
fn a_label_and_its_value_stored_as_two_strings_are_read_together() {
    // a record of NUL-terminated strings (a proprietary database file)
    let mut rng = Rng(1302);
    let n = rng.my_number();
    let mut bin = noise(&mut rng, 5_000);
    bin.extend("個人番号\0".as_bytes());
    bin.extend(n.as_bytes());
    bin.push(0);
    bin.extend(noise(&mut rng, 5_000));
    let (_, found) = scan_with(&bin, "emp.dat", &opts(Confidence::Medium));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].confidence, Confidence::High);
}

#[test]
fn digit_runs_in_a_binary_are_not_reported_at_the_default_confidence() {
    // 2,000 random 12-digit and 16-digit runs between noise: about one in
    // ten passes its check digit
    let mut rng = Rng(1303);
    let mut bin = b"\x7FELF".to_vec();
    for i in 0..2_000 {
        bin.extend(noise(&mut rng, 40));
        let len = if i % 2 == 0 { 12 } else { 16 };
        bin.extend(rng.digits(len).as_bytes());
        if i % 3 == 0 {
            // some next to words, as in a string table
            bin.extend(b"\0version build id\0");
        }
    }
    let (outcome, found) = scan_with(&bin, "data.bin", &opts(Confidence::Medium));
    assert_eq!(
        found.len(),
        0,
        "{:?}",
        found.iter().map(|f| &f.rule.id).collect::<Vec<_>>()
    );
    let Outcome::Scanned {
        below_min_confidence,
        ..
    } = outcome
    else {
        panic!("scanned");
    };
    // they were read, and counted below the threshold
    assert!(below_min_confidence > 50, "{below_min_confidence}");
    let (_, low) = scan_with(&bin, "data.bin", &opts(Confidence::Low));
    assert!(low.iter().all(|f| f.confidence == Confidence::Low));
}

#[test]
fn compressed_media_is_read_to_its_end() {
    // metadata near the start, and a value far past it (the first 1 MiB
    // only was read once: data appended to a photo went unseen)
    let mut rng = Rng(1304);
    let (a, b) = (rng.my_number(), rng.my_number());
    let mut jpeg = b"\xFF\xD8\xFF\xE1\x00\x40Exif\x00\x00".to_vec();
    jpeg.extend(format!("\0UserComment: 個人番号 {a}\0").as_bytes());
    jpeg.extend(noise(&mut rng, 2 << 20));
    jpeg.extend(format!("\0個人番号 {b}\0").as_bytes());
    let (_, found) = scan_with(&jpeg, "photo.jpg", &opts(Confidence::Medium));
    assert_eq!(found.len(), 2);
    let at = jpeg.windows(12).position(|w| w == a.as_bytes()).unwrap();
    assert_eq!(found[0].byte_offset, Some(at as u64));
}

#[test]
fn a_value_stored_several_times_in_a_binary_is_one_finding() {
    // a drawing that keeps each string as bytes and as UTF-16 (LibreOffice's
    // `.svm` table preview inside an `.odp` stores each cell four times)
    let mut rng = Rng(1304);
    let (a, b) = (rng.my_number(), rng.my_number());
    let mut bin = b"VCLMTF\x01\x00".to_vec();
    for _ in 0..2 {
        for n in [&a, &b] {
            bin.extend(noise(&mut rng, 64));
            bin.extend(n.as_bytes());
            bin.extend(noise(&mut rng, 64));
            bin.extend(utf16le(n));
        }
    }
    bin.extend(noise(&mut rng, 64));
    let (_, found) = scan_with(&bin, "TablePreview1.svm", &opts(Confidence::Low));
    let mut shown: Vec<_> = found.iter().map(|f| f.redacted.clone()).collect();
    shown.sort();
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert_ne!(shown[0], shown[1]);
    assert!(found.iter().all(|f| f.confidence == Confidence::Low));
}
