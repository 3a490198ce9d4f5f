//! Encoding detection and streamed decoding: `sniff` on the head, then the
//! rest decoded through a `Transcoder` fed in small pieces (the feed size
//! and the head length come from the first bytes), read through small
//! reads; also `first_non_utf8` and `redecide` as the reader uses them.
#![no_main]

use std::io::Read;

use leakscan::decode::{self, Sniffed, Transcoder};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let feed = 1 + data[0] as usize % 64;
    let read_len = 1 + data[1] as usize % 37;
    let data = &data[2..];
    let head_len = data.len().min(leakscan::read::HEAD_LEN);
    let (head, rest) = data.split_at(head_len);

    let sniffed = decode::sniff(head, rest.is_empty());
    // partial heads must not panic either
    let _ = decode::sniff(&head[..head.len() / 2], false);

    if let Some(at) = decode::first_non_utf8(data, 0..data.len()) {
        assert!(at < data.len());
        let line = data[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let _ = decode::redecide(&data[line..]);
    }
    let mid = data.len() / 2;
    let _ = decode::first_non_utf8(data, mid..data.len());

    let Sniffed::Text(enc) = sniffed else {
        return;
    };
    let _ = (
        enc.name(),
        enc.is_utf8(),
        enc.encoding().map(decode::lower_name),
    );
    let mut t = Transcoder::new(feed);
    t.start(enc, head);
    let mut inner = rest;
    let mut out = Vec::new();
    let mut buf = vec![0u8; read_len];
    {
        let mut reader = t.reader(&mut inner);
        loop {
            let n = reader
                .read(&mut buf)
                .expect("decoding a slice does not fail");
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
            // decoding grows text at most ~3x (one byte to U+FFFD)
            assert!(
                out.len() <= 3 * data.len() + 16,
                "decoded text without bound"
            );
        }
    }
    assert!(
        std::str::from_utf8(&out).is_ok(),
        "decoded text is not UTF-8"
    );
    assert_eq!(t.raw_bytes(), data.len() as u64);
});
