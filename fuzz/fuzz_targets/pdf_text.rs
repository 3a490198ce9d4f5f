//! The PDF text extractor on arbitrary bytes: stream and object parsing,
//! FlateDecode under the byte budget, ToUnicode CMaps, text operators.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = leakscan::formats::pdf::detect(data);
    // no panic, no hang, memory within -rss_limit_mb: the checks are libFuzzer's
    let _ = leakscan::formats::pdf::text(data, 1 << 24);
});
