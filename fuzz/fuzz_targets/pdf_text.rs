//! The PDF text extractor on arbitrary bytes: stream and object parsing,
//! FlateDecode under the byte budget, ToUnicode CMaps, text operators.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = leakscan::formats::pdf::detect(data);
    let (text, _problem) = leakscan::formats::pdf::text(data, 1 << 24);
    // the text is bounded by the budget it was given
    assert!(text.len() as u64 <= 4 * (1 << 24) + data.len() as u64);
});
