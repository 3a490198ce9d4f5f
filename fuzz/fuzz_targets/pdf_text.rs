//! The PDF text reader on arbitrary bytes: the pre-scan, lopdf's load under
//! the load filter, streams decoded under the byte budget, fonts and CMaps,
//! content streams and the layout of lines.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = leakscan::formats::pdf::detect(data);
    // no panic, no hang, memory within -rss_limit_mb: the checks are libFuzzer's
    let _ = leakscan::formats::pdf::text(data, 1 << 24);
});
