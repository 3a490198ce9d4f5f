//! The OOXML part readers on arbitrary XML, streamed as the scanner reads
//! them: Word/PowerPoint paragraphs, shared strings, the workbook's sheet
//! list, a worksheet as CSV and the cells of offsets in it.
//!
//! The input is split at the first NUL byte (when there is one) so that
//! `sheets` gets a workbook and a relationships part, and a sheet gets
//! shared strings of its own.
#![no_main]

use std::io::Read;

use leakscan::formats::ooxml::{self, sheet};
use leakscan::formats::xml::{self, XmlText};
use libfuzzer_sys::fuzz_target;

const CAP: u64 = 16 << 20;

fuzz_target!(|data: &[u8]| {
    let (a, b) = match memchr(data) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, data),
    };
    let mut text = Vec::new();
    let _ = XmlText::new(ooxml::Paragraphs::new(xml::open(data, CAP).0)).read_to_end(&mut text);
    let (shared, _) = sheet::shared_strings(xml::open(b, CAP).0, 1 << 20);
    let _ = ooxml::sheets(a, b);
    let repairs: fn(&str) -> bool = |h| h.contains("番号") || h.len() % 2 == 0;
    let mut csv = Vec::new();
    let sheet_text = sheet::SheetCsv::new(xml::open(a, CAP), &shared, repairs);
    let _ = XmlText::new(sheet_text).read_to_end(&mut csv);
    // every offset of the CSV text gets a cell, from a second run of the same sheet
    let offsets: Vec<u64> = (0..csv.len() as u64).step_by(7).collect();
    let again = sheet::SheetCsv::new(xml::open(a, CAP), &shared, repairs);
    let cells = sheet::locate(again, offsets.clone());
    assert_eq!(cells.len(), offsets.len());
    let names = [
        "word/document.xml",
        "xl/workbook.xml",
        "ppt/slides/slide1.xml",
    ];
    if let Some(kind) = ooxml::kind(names.iter().copied()) {
        let owned: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        let _ = ooxml::text_parts(kind, &owned);
    }
});

fn memchr(data: &[u8]) -> Option<usize> {
    data.iter().position(|&b| b == 0)
}
