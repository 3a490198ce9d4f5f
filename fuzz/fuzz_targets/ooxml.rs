//! The OOXML part readers on arbitrary XML: Word/PowerPoint paragraphs,
//! shared strings, the workbook's sheet list and a worksheet as CSV.
//!
//! The input is split at the first NUL byte (when there is one) so that
//! `sheets` gets a workbook and a relationships part; every function also
//! sees the whole input.
#![no_main]

use leakscan::formats::ooxml;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (a, b) = match memchr(data) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, data),
    };
    let _ = ooxml::paragraphs_text(data);
    let shared = ooxml::shared_strings(data).unwrap_or_default();
    let _ = ooxml::sheets(a, b);
    // shared strings from the second half, the sheet from the first
    let shared2 = ooxml::shared_strings(b).unwrap_or_default();
    for (xml, shared) in [(data, &shared), (a, &shared2)] {
        if let Ok(sheet) = ooxml::sheet_csv(xml, shared, |h| h.contains("番号") || h.len() % 2 == 0)
        {
            // every recorded cell offset lies in the CSV text, in order
            let mut last = 0;
            for (off, _cell) in &sheet.cells {
                assert!(*off <= sheet.csv.len());
                assert!(*off >= last);
                last = *off;
                let _ = sheet.cell_at(*off);
            }
        }
    }
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
