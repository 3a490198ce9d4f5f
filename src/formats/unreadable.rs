//! Archive and compression formats leakscan recognises by their magic
//! bytes but does not read: Unix `compress` (`.Z`), lzip, lzop, snappy
//! framing, Microsoft Cabinet, LHA/LZH, ARJ, ACE, StuffIt, zpaq, xar
//! (`.pkg`, `.xip`), cpio (`.rpm` payloads, initramfs), RPM, squashfs
//! and WIM (`ar` is read: [`super::ar`]). Their members are compressed
//! (or, for cpio, wrapped around compressed members) so reading their
//! bytes for text runs finds little: those runs are scanned, and the file
//! is an `unsupported_format` gap all the same, so that a gate never passes
//! on an archive it did not open. Sources of the magic numbers: each
//! format's own documentation, as collected by file(1)'s magic database
//! (`archive`, `compress`, `filesystems`).

use super::Format;

/// Magic bytes at the start of a file, with the format's name (for tests
/// and the README).
const MAGICS: [(&[u8], &str); 15] = [
    (b"LZIP\x01", "lzip"),
    (b"LZIP\x00", "lzip"),
    (b"\x89LZO\x00\r\n\x1a\n", "lzop"),
    (b"\xff\x06\x00\x00sNaPpY", "snappy framing"),
    (b"MSCF\0\0\0\0", "Microsoft Cabinet"),
    (b"\x60\xea", "ARJ"),
    (b"SIT!", "StuffIt"),
    (b"StuffIt (c)", "StuffIt 5"),
    (b"7kSt", "zpaq"),
    (b"zPQ", "zpaq"),
    (b"xar!", "xar"),
    (b"\xed\xab\xee\xdb", "RPM"),
    (b"hsqs", "squashfs"),
    (b"MSWIM\0\0\0", "WIM"),
    (b"\xc7\x71", "cpio (binary)"),
];

/// The formats above, by their magic bytes.
pub(crate) static UNREADABLE: Format = Format {
    name: "unreadable",
    sniff: |head, _| format_of(head).is_some(),
    file_checks: false,
    read: super::columnar::runs_then_gap,
};

/// The name of the format `head` starts like, if it is one of those
/// leakscan recognises but cannot read. The short magic numbers (two
/// bytes: ARJ, binary cpio) count only in a binary head (a NUL byte in
/// it), `compress`'s with a valid flags byte after it (block mode bit,
/// 9 to 16 bits a code); LHA by its method id (`-lh5-` at offset 2), ACE by
/// `**ACE**` at offset 7, ASCII cpio by `070701`/`070702`/`070707` and
/// the hexadecimal or octal header fields after it.
pub fn format_of(head: &[u8]) -> Option<&'static str> {
    let binary = memchr::memchr(0, head).is_some();
    if let [0x1f, 0x9d, flags, ..] = head {
        if flags & 0x60 == 0 && (9..=16).contains(&(flags & 0x1f)) {
            return Some("compress (.Z)");
        }
    }
    if let Some((magic, name)) = MAGICS.iter().find(|(m, _)| head.starts_with(m)) {
        return (magic.len() > 2 || binary).then_some(*name);
    }
    if head.len() > 7 && head[2] == b'-' && head[6] == b'-' && matches!(&head[3..5], b"lh" | b"lz")
    {
        return Some("LHA");
    }
    if head.get(7..14) == Some(b"**ACE**") {
        return Some("ACE");
    }
    ascii_cpio(head).then_some("cpio")
}

/// A cpio archive in one of its ASCII forms: `070701`/`070702` and 104
/// hexadecimal digits (newc, crc), or `070707` and 70 octal digits (odc).
fn ascii_cpio(head: &[u8]) -> bool {
    let fields =
        |len: usize, ok: fn(&u8) -> bool| head.get(6..6 + len).is_some_and(|f| f.iter().all(ok));
    match head.get(..6) {
        Some(b"070701" | b"070702") => fields(104, u8::is_ascii_hexdigit),
        Some(b"070707") => fields(70, |b| (b'0'..=b'7').contains(b)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archives_are_told_by_their_magic() {
        assert_eq!(format_of(b"\x1f\x9d\x90\x00abc"), Some("compress (.Z)"));
        assert_eq!(format_of(b"LZIP\x01\x0c\x00"), Some("lzip"));
        assert_eq!(
            format_of(b"MSCF\0\0\0\0\x10\x01"),
            Some("Microsoft Cabinet")
        );
        assert_eq!(format_of(b"\x21\x00-lh5-\x10\x00"), Some("LHA"));
        assert_eq!(
            format_of(b"\x00\x00\x00\x00\x00\x00\x00**ACE**"),
            Some("ACE")
        );
        assert_eq!(format_of(b"7kStzPQ\x01"), Some("zpaq"));
        let newc = format!("070701{}", "0".repeat(104));
        assert_eq!(format_of(newc.as_bytes()), Some("cpio"));
        assert_eq!(format_of(b"\x60\xea\x2a\x00"), Some("ARJ"));
    }

    #[test]
    fn text_that_starts_like_one_is_text() {
        // two-byte magic numbers need a binary head
        assert_eq!(format_of(b"\x60\xeaabc text"), None);
        // a list of numbers is not a cpio archive
        assert_eq!(format_of(b"070701,070702\n070707\n"), None);
        assert_eq!(format_of(b"plain text"), None);
    }
}
