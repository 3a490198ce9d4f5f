//! The mail readers on arbitrary bytes: `read_mbox` splits a stream into
//! messages under a cap, and each message (and the whole input) goes
//! through `parse`, behind the same nesting guard the scanner uses
//! (`nested_messages`): mail-parser drops a parsed message recursively, so
//! a deeply nested message is never parsed by leakscan.
#![no_main]

use leakscan::formats::mail::{self, MAX_NESTED_MESSAGES};
use libfuzzer_sys::fuzz_target;

fn parse_guarded(raw: &[u8]) {
    if mail::nested_messages(raw, MAX_NESTED_MESSAGES) > MAX_NESTED_MESSAGES {
        return;
    }
    if let Some(p) = mail::parse(raw) {
        for (name, content) in &p.attachments {
            let _ = (name.len(), content.len());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let _ = mail::detect(data, "x.eml");
    let _ = mail::detect(data, "inbox");
    parse_guarded(data);
    // a small cap, so that the too-large path is taken too
    let cap = 1 + (data.first().copied().unwrap_or(0) as u64) * 64;
    let mut count = 0usize;
    mail::read_mbox(&mut &data[..], cap, |m| {
        count += 1;
        if let Some(m) = m {
            assert!(m.len() as u64 <= cap, "an mbox message past the cap");
            parse_guarded(m);
        }
    })
    .expect("reading from a slice does not fail");
});
