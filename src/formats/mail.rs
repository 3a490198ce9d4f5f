//! E-mail: `.eml` messages and mbox files. MIME is decoded (base64,
//! quoted-printable, ISO-2022-JP and other charsets, encoded-word headers)
//! by mail-parser; the scanner reads each message's headers and text as one
//! text member and each attachment as a file of its own.

use std::collections::HashSet;
use std::io::{self, BufRead, Read};

use mail_parser::{MessageParser, MimeHeaders};

use super::limits::read_capped;
use super::{Format, Scope};
use crate::outcome::SkipReason;
use crate::provenance::Step;

/// A saved message (`.eml`) or an mbox, by its first lines (and name).
pub(crate) static MESSAGE: Format = Format {
    name: "mail",
    sniff: |head, path| detect(head, path).is_some(),
    file_checks: false,
    read: read_mail,
};

/// An e-mail message or an mbox: each message's headers and text as a
/// member (`body`, or `message-N` in an mbox), each attachment as a member
/// of its own (`message-N/name.zip`, scanned as any file). One message at a
/// time is held in memory, up to the in-memory cap.
fn read_mail(scope: &mut Scope<'_, '_, '_>, r: &mut dyn Read) -> io::Result<()> {
    let cap = scope.limits().max_in_memory;
    let mut reader = io::BufReader::new(r);
    let head = reader.fill_buf()?;
    let head = &head[..head.len().min(crate::read::HEAD_LEN)];
    if detect(head, &scope.path()) == Some(Kind::Mbox) {
        let mut n = 0;
        return read_mbox(&mut reader, cap, |message| {
            n += 1;
            match message {
                Some(m) => scan_message(scope, m, Some(n)),
                None => scope.skip(
                    Some(Step::Body { message: Some(n) }),
                    SkipReason::ArchiveLimit,
                ),
            }
        });
    }
    match read_capped(&mut reader, cap)? {
        Ok(data) => {
            // the message held leaves its attachments that much less to hold
            scope.nest.hold_in_memory(data.len() as u64);
            scan_message(scope, &data, None)
        }
        Err(_) => scope.skip(Some(Step::Body { message: None }), SkipReason::ArchiveLimit),
    }
    Ok(())
}

/// Most messages nested in one message (`message/rfc822` parts) that are
/// parsed. The parser reads nesting iteratively, but dropping the parsed
/// message recurses once per level: tens of thousands of levels (a 3 KB
/// `.eml.gz`) would overflow a worker's stack, which no `catch_unwind` can
/// stop. Counted before parsing, so that it cannot happen.
pub const MAX_NESTED_MESSAGES: usize = 64;

/// How many parts of a raw message can hold a message of their own,
/// counting up to `limit + 1`, ASCII case-insensitively: `message/rfc822`
/// and `message/global` parts, and `multipart/digest` parts (whose parts
/// are messages by default, RFC 2046 5.1.5; found by fuzzing).
pub fn nested_messages(raw: &[u8], limit: usize) -> usize {
    let mut n = 0;
    for at in memchr::memchr_iter(b'/', raw) {
        let (before, after) = (&raw[..at], &raw[at + 1..]);
        let ends = |k: &[u8]| {
            before.len() >= k.len() && before[before.len() - k.len()..].eq_ignore_ascii_case(k)
        };
        let starts = |k: &[u8]| after.len() >= k.len() && after[..k.len()].eq_ignore_ascii_case(k);
        let nests = (ends(b"message") && (starts(b"rfc822") || starts(b"global")))
            || (ends(b"multipart") && starts(b"digest"));
        if nests {
            n += 1;
            if n > limit {
                break;
            }
        }
    }
    n
}

/// Most `multipart/*` parts in one message that are parsed. mail-parser
/// keeps every part of a message (its headers, its offsets) before any
/// can be read: 520,000 nested `multipart/mixed` levels (a 2.6 MB
/// `.eml.gz`) held 630 MB. A real message has a handful (mixed around
/// alternative around related, again in each forwarded message).
pub const MAX_MULTIPARTS: usize = 256;

/// Most part delimiters (`--boundary` lines of the message's multiparts)
/// in one message that are parsed: each part costs the parser about 180
/// bytes whatever its size (1 M empty parts, a 7 MB message, held 189 MB),
/// so 32 MiB of them would hold 850 MB; 100,000 hold under 20 MB.
pub const MAX_PARTS: usize = 100_000;

/// How many `multipart/` content types a raw message has, counting up to
/// `limit + 1`, ASCII case-insensitively (an upper bound: one in a text
/// body counts too).
pub fn multiparts(raw: &[u8], limit: usize) -> usize {
    let mut n = 0;
    for at in memchr::memchr_iter(b'/', raw) {
        let before = &raw[..at];
        if before.len() >= 9 && before[before.len() - 9..].eq_ignore_ascii_case(b"multipart") {
            n += 1;
            if n > limit {
                break;
            }
        }
    }
    n
}

/// The `boundary=` parameter values of a raw message (quoted or not,
/// blanks around `=`), at most `limit + 1` of them. A boundary is at most
/// 70 characters (RFC 2046 5.1.1): a value is looked for in the 256 bytes
/// after its `=`, so that the pass stays linear.
fn boundaries(raw: &[u8], limit: usize) -> HashSet<&[u8]> {
    let mut found = HashSet::new();
    let finder = memchr::memmem::Finder::new(b"oundary");
    for at in finder.find_iter(raw) {
        let Some(value) = raw[at + 7..].trim_ascii_start().strip_prefix(b"=") else {
            continue;
        };
        let value = value.trim_ascii_start();
        let value = &value[..value.len().min(256)];
        let value = match value.strip_prefix(b"\"") {
            Some(quoted) => &quoted[..memchr::memchr(b'"', quoted).unwrap_or(quoted.len())],
            None => {
                let end = value.iter().position(|b| b";\r\n \t".contains(b));
                &value[..end.unwrap_or(value.len())]
            }
        };
        found.insert(value);
        if found.len() > limit {
            break;
        }
    }
    found
}

/// How many lines of a raw message delimit a part (`--` and one of its
/// boundaries, or that and `--` closing the multipart), counting up to
/// `limit + 1`.
pub fn part_delimiters(raw: &[u8], limit: usize) -> usize {
    let known = boundaries(raw, MAX_MULTIPARTS);
    let mut n = 0;
    let starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', raw).map(|i| i + 1));
    for start in starts {
        let Some(rest) = raw[start..].strip_prefix(b"--") else {
            continue;
        };
        let line = &rest[..memchr::memchr(b'\n', rest).unwrap_or(rest.len())];
        let line = line.trim_ascii_end();
        let open = line.strip_suffix(b"--").unwrap_or(line);
        if known.contains(line) || known.contains(open) {
            n += 1;
            if n > limit {
                break;
            }
        }
    }
    n
}

/// Why a raw message is not parsed, if it is not: too many nested
/// messages or multiparts (`too_deep`), too many parts (`archive_limit`).
/// Counted before parsing, in one pass each, so that no message makes the
/// parser hold more than its few parts.
pub fn refused(raw: &[u8]) -> Option<SkipReason> {
    if nested_messages(raw, MAX_NESTED_MESSAGES) > MAX_NESTED_MESSAGES
        || multiparts(raw, MAX_MULTIPARTS) > MAX_MULTIPARTS
    {
        return Some(SkipReason::TooDeep);
    }
    (part_delimiters(raw, MAX_PARTS) > MAX_PARTS).then_some(SkipReason::ArchiveLimit)
}

/// Most bytes of one header field (its first line and the lines folded
/// into it) that mail-parser is shown: its cost grows faster than a
/// field's length (an 8 MB `filename=` took 76 MB and 2.4 s, 28 MB took
/// 213 MB). A real field is under 1 KiB; RFC 5322 allows lines of 998.
pub const MAX_HEADER_FIELD: usize = 16 << 10;

/// A message whose over-long header fields were cut to
/// [`MAX_HEADER_FIELD`] for the parser.
struct Cut {
    /// The message as the parser is shown it.
    message: Vec<u8>,
    /// Where the long fields are in the raw message, whole: their raw text
    /// is scanned on its own, so nothing in them is lost.
    long: Vec<(usize, usize)>,
    /// Whether a cut part held what the parser needs to read the message
    /// as it is ([`cut_loses`]).
    loses: bool,
}

/// Where the header fields over [`MAX_HEADER_FIELD`] are in `raw`: in the
/// message's header and in each part's (after a delimiter line of one of
/// its boundaries), to the blank line that ends it.
fn long_fields(raw: &[u8]) -> Vec<(usize, usize)> {
    let known = boundaries(raw, MAX_MULTIPARTS);
    let mut out = Vec::new();
    let (mut in_header, mut field, mut at) = (true, None, 0);
    let mut close = |field: Option<usize>, end: usize| {
        if let Some(start) = field {
            if end - start > MAX_HEADER_FIELD {
                out.push((start, end));
            }
        }
    };
    while at < raw.len() {
        let end = memchr::memchr(b'\n', &raw[at..]).map_or(raw.len(), |i| at + i + 1);
        let line = &raw[at..end];
        if in_header {
            let blank = line == b"\n" || line == b"\r\n";
            let folded = matches!(line.first(), Some(b' ' | b'\t'));
            if blank || !folded {
                close(field.take(), at);
            }
            if blank {
                in_header = false;
            } else if !folded {
                field = Some(at);
            }
        } else if let Some(rest) = line.strip_prefix(b"--") {
            // a part's delimiter (not the closing one): its header follows
            in_header = known.contains(rest.trim_ascii_end());
        }
        at = end;
    }
    if in_header {
        close(field, raw.len());
    }
    out
}

/// Whether cutting the field `field` at [`MAX_HEADER_FIELD`] loses what
/// the parser needs to read the message as it is: encoded words (`=?`) or
/// RFC 2231 parameters (`*=`, `*0`), whose raw text is not their text; in
/// a `Content-Type`, a boundary or a charset, or the type itself; any of a
/// `Content-Transfer-Encoding`.
fn cut_loses(field: &[u8]) -> bool {
    let (kept, cut) = field.split_at(MAX_HEADER_FIELD.min(field.len()));
    let has = |hay: &[u8], needle: &[u8]| {
        hay.windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
    };
    let named =
        |name: &[u8]| field.len() > name.len() && field[..name.len()].eq_ignore_ascii_case(name);
    if has(cut, b"=?") || has(cut, b"*=") || has(cut, b"*0") {
        return true;
    }
    if named(b"content-transfer-encoding:") {
        return true;
    }
    named(b"content-type:")
        && (has(cut, b"boundary") || has(cut, b"charset") || !kept.contains(&b'/'))
}

/// `raw` with its header fields over [`MAX_HEADER_FIELD`] cut to that
/// (white space at the cut dropped, so that no blank line ends the header
/// there), or `None` when it has none.
fn cut_long_fields(raw: &[u8]) -> Option<Cut> {
    let long = long_fields(raw);
    if long.is_empty() {
        return None;
    }
    let removed: usize = long.iter().map(|(s, e)| e - s - MAX_HEADER_FIELD).sum();
    let mut message = Vec::with_capacity(raw.len() - removed + 2 * long.len());
    let (mut at, mut loses) = (0, false);
    for &(start, end) in &long {
        let field = &raw[start..end];
        message.extend_from_slice(&raw[at..start]);
        message.extend_from_slice(field[..MAX_HEADER_FIELD].trim_ascii_end());
        let crlf = field.ends_with(b"\r\n");
        message.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
        loses |= cut_loses(field);
        at = end;
    }
    message.extend_from_slice(&raw[at..]);
    Some(Cut {
        message,
        long,
        loses,
    })
}

/// The raw text of the fields at `ranges` of `raw`, one after another,
/// each ending its line, as a reader (no copy).
struct Fields<'a> {
    raw: &'a [u8],
    ranges: &'a [(usize, usize)],
    /// Bytes of the current range read.
    at: usize,
}

impl Read for Fields<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(&(start, end)) = self.ranges.first() else {
            return Ok(0);
        };
        let field = &self.raw[start..end];
        let n = (field.len() - self.at).min(buf.len());
        buf[..n].copy_from_slice(&field[self.at..self.at + n]);
        self.at += n;
        if self.at == field.len() {
            self.ranges = &self.ranges[1..];
            self.at = 0;
        }
        Ok(n)
    }
}

/// One message: its text as a member, each attachment as a member.
fn scan_message(scope: &mut Scope<'_, '_, '_>, raw: &[u8], message: Option<u64>) {
    if let Some(reason) = refused(raw) {
        let step = message.map(|n| Step::Body { message: Some(n) });
        scope.skip(step, reason);
        return;
    }
    // header fields too long for the parser are cut for it, and their raw
    // text is read on its own
    let cut = cut_long_fields(raw);
    if let Some(cut) = &cut {
        let step = Step::Headers { message };
        let mut fields = Fields {
            raw,
            ranges: &cut.long,
            at: 0,
        };
        scope.text_member(step.clone(), &mut fields);
        if cut.loses {
            scope.skip(Some(step), SkipReason::HeaderLimit);
        }
    }
    let raw = cut.as_ref().map_or(raw, |c| &c.message[..]);
    let Some(msg) = parse(raw) else {
        let step = message.map(|n| Step::Body { message: Some(n) });
        scope.corrupt(step, crate::outcome::Damage::Mail);
        return;
    };
    scope.member(Some(Step::Body { message }), &mut msg.text.as_bytes(), None);
    for (name, content) in &msg.attachments {
        let step = Step::Attachment {
            message,
            name: name.clone(),
        };
        scope.member(Some(step), &mut content.as_slice(), None);
    }
}

/// What kind of mail file, from its name and first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// One message (`.eml`, or headers typical of a saved message).
    Eml,
    /// An mbox: messages each starting with a `From ` line.
    Mbox,
}

/// Header names that start a message as saved by mail programs.
const FIRST_HEADERS: [&[u8]; 8] = [
    b"return-path:",
    b"received:",
    b"delivered-to:",
    b"mime-version:",
    b"message-id:",
    b"from:",
    b"date:",
    b"x-",
];

/// Recognises a message or an mbox: an `mbox` separator line (`From ` ...
/// followed by headers), or header lines typical of a saved message.
pub fn detect(head: &[u8], path: &str) -> Option<Kind> {
    // cheap rejections first: this runs on every file
    let starts = |p: &[u8]| head.len() >= p.len() && head[..p.len()].eq_ignore_ascii_case(p);
    let mbox = starts(b"from ");
    let header_first = FIRST_HEADERS.iter().any(|h| starts(h));
    let named = path.len() >= 4 && path.as_bytes()[path.len() - 4..].eq_ignore_ascii_case(b".eml");
    if !mbox && !header_first && !named {
        return None;
    }
    let window = &head[..head.len().min(4096)];
    let has = |needle: &[u8]| {
        window
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
    };
    let headers_follow = has(b"\nsubject:") || has(b"\ncontent-type:") || has(b"\nmime-version:");
    if !headers_follow {
        return None;
    }
    if mbox {
        Some(Kind::Mbox)
    } else {
        Some(Kind::Eml)
    }
}

/// One message, ready to scan.
pub struct Parsed {
    /// Headers worth reading (subject, from, to) and every text body.
    pub text: String,
    /// (name, content) of each attachment.
    pub attachments: Vec<(String, Vec<u8>)>,
}

/// Parses one raw message; `None` if it has no headers at all.
pub fn parse(raw: &[u8]) -> Option<Parsed> {
    let msg = MessageParser::default().parse(raw)?;
    let mut text = String::new();
    if let Some(s) = msg.subject() {
        text.push_str("Subject: ");
        text.push_str(s);
        text.push('\n');
    }
    for (label, addr) in [("From", msg.from()), ("To", msg.to())] {
        if let Some(list) = addr.and_then(|a| a.as_list()) {
            let names: Vec<String> = list
                .iter()
                .map(|a| {
                    format!(
                        "{} <{}>",
                        a.name().unwrap_or_default(),
                        a.address().unwrap_or_default()
                    )
                })
                .collect();
            text.push_str(&format!("{label}: {}\n", names.join(", ")));
        }
    }
    text.push('\n');
    for i in 0..msg.text_body_count() {
        if let Some(body) = msg.body_text(i) {
            text.push_str(&body);
            text.push('\n');
        }
    }
    let attachments = msg
        .attachments()
        .enumerate()
        .map(|(i, part)| {
            let name = part
                .attachment_name()
                .map(str::to_string)
                .unwrap_or_else(|| format!("attachment-{}", i + 1));
            (name, attachment_bytes(&msg, part))
        })
        .collect();
    Some(Parsed { text, attachments })
}

/// An attachment's bytes as the sender's file held them. A text attachment
/// without a charset (a CSV saved by Japanese Excel, in CP932) was decoded
/// by the parser as if it were UTF-8, losing its text: its body is taken
/// from the raw message instead, only transfer-decoded (base64, quoted-
/// printable), so that leakscan detects its encoding as for a file on disk.
fn attachment_bytes(
    msg: &mail_parser::Message<'_>,
    part: &mail_parser::MessagePart<'_>,
) -> Vec<u8> {
    let has_charset = part
        .content_type()
        .is_some_and(|ct| ct.attribute("charset").is_some());
    if !part.is_text() || has_charset {
        return part.contents().to_vec();
    }
    let raw = msg.raw_message.as_ref();
    let (start, end) = (part.offset_body as usize, part.offset_end as usize);
    let Some(body) = raw.get(start.min(end)..end.min(raw.len())) else {
        return part.contents().to_vec();
    };
    let decoded = match part.encoding {
        mail_parser::Encoding::Base64 => mail_parser::decoders::base64::base64_decode(body),
        mail_parser::Encoding::QuotedPrintable => {
            mail_parser::decoders::quoted_printable::quoted_printable_decode(body)
        }
        mail_parser::Encoding::None => Some(body.to_vec()),
    };
    decoded.unwrap_or_else(|| part.contents().to_vec())
}

/// Reads an mbox stream message by message: a message starts after a
/// `From ` line that follows a blank line (or starts the file). Calls
/// `each` with each message's raw bytes, or `None` for one larger than
/// `cap` (skipped, never held whole). Memory stays within `cap` plus a line.
pub fn read_mbox<R: BufRead>(
    r: &mut R,
    cap: u64,
    mut each: impl FnMut(Option<&[u8]>),
) -> io::Result<()> {
    let mut msg: Vec<u8> = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    let mut started = false;
    let mut too_big = false;
    let mut prev_blank = true;
    loop {
        line.clear();
        // a line longer than the cap is cut: the rest reads as further lines
        let n = r.by_ref().take(cap + 1).read_until(b'\n', &mut line)?;
        if n == 0 {
            break;
        }
        if prev_blank && line.starts_with(b"From ") {
            if started {
                each((!too_big).then_some(msg.as_slice()));
            }
            started = true;
            too_big = false;
            msg.clear();
            prev_blank = false;
            continue;
        }
        prev_blank = line == b"\n" || line == b"\r\n";
        if too_big || msg.len() + line.len() > cap as usize {
            too_big = true;
            msg.clear();
        } else {
            msg.extend_from_slice(&line);
        }
    }
    if started {
        each((!too_big).then_some(msg.as_slice()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_messages_and_mboxes() {
        let eml = b"Return-Path: <a@example.com>\nSubject: hi\nContent-Type: text/plain\n\nbody\n";
        assert_eq!(detect(eml, "x.txt"), Some(Kind::Eml));
        let mbox = b"From a@example.com Mon Jan  1 00:00:00 2024\nSubject: hi\n\nbody\n";
        assert_eq!(detect(mbox, "inbox"), Some(Kind::Mbox));
        assert_eq!(detect(b"From here we go\nno headers\n", "notes.txt"), None);
        assert_eq!(detect(b"plain text\n", "a.eml"), None);
        // a path ending in multi-byte characters (this once panicked)
        assert_eq!(detect(b"Subject: x\n", "メール"), None);
        assert_eq!(
            detect(b"Date: x\nSubject: y\n", "受信/メール.EML"),
            Some(Kind::Eml)
        );
    }

    #[test]
    fn decodes_iso_2022_jp_and_base64_attachments() {
        // 個人番号 in ISO-2022-JP, in a quoted-printable-free 7-bit body
        let body = b"\x1b$B8D?MHV9f\x1b(B 123\n";
        let mut raw = b"From: a@example.com\r\nSubject: =?ISO-2022-JP?B?GyRCO0AkaBsoQg==?=\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\n\r\n".to_vec();
        raw.extend_from_slice(body);
        raw.extend_from_slice(b"\r\n--b\r\nContent-Type: text/csv; name=\"a.csv\"\r\nContent-Disposition: attachment; filename=\"a.csv\"\r\nContent-Transfer-Encoding: base64\r\n\r\nYSxi\r\n--b--\r\n");
        let p = parse(&raw).unwrap();
        assert!(p.text.contains("個人番号 123"), "{}", p.text);
        assert_eq!(p.attachments, vec![("a.csv".to_string(), b"a,b".to_vec())]);
    }

    #[test]
    fn only_over_long_header_fields_are_cut() {
        let long = "v".repeat(MAX_HEADER_FIELD + 10);
        // a folded field in a part's header, a long line in a body, and a
        // long field in the message's header
        let raw = format!(
            "Subject: {long}\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
             {long}\r\n--b\r\nContent-Disposition: attachment;\r\n filename=\"{long}\"\r\n\r\n\
             body {long}\r\n--b--\r\n"
        );
        let fields = long_fields(raw.as_bytes());
        assert_eq!(fields.len(), 2);
        let texts: Vec<&str> = fields.iter().map(|&(s, e)| &raw[s..e]).collect();
        assert!(texts[0].starts_with("Subject: v") && texts[0].ends_with("v\r\n"));
        assert!(texts[1].starts_with("Content-Disposition:") && texts[1].ends_with("\"\r\n"));
        let cut = cut_long_fields(raw.as_bytes()).unwrap();
        assert!(
            !cut.loses,
            "names and subjects are read whole from the raw text"
        );
        let shown = String::from_utf8_lossy(&cut.message);
        // each cut field ends its line; the body line is as it was
        assert!(shown.contains(&format!("\r\n\r\n{long}\r\n--b\r\n")));
        let first = shown.split("\r\n").next().unwrap();
        assert_eq!(first.len(), MAX_HEADER_FIELD, "the subject, cut");
        assert!(shown.len() < raw.len());
        let p = parse(&cut.message).unwrap();
        assert_eq!(p.attachments.len(), 1);
        assert!(cut_long_fields(b"Subject: short\r\n\r\nbody\r\n").is_none());
    }

    #[test]
    fn a_cut_that_loses_the_structure_says_so() {
        let pad = "p".repeat(MAX_HEADER_FIELD);
        for (field, loses) in [
            (
                format!("Content-Type: multipart/mixed; name=\"{pad}\"; boundary=b"),
                true,
            ),
            (
                format!("Content-Type: text/plain; name=\"{pad}\"; charset=cp932"),
                true,
            ),
            (format!("Content-Type: text/csv; name=\"{pad}\""), false),
            (format!("Subject: {pad} =?UTF-8?B?5YCL5Lq655Wq5Y+3?="), true),
            (
                format!("Content-Disposition: attachment; filename*0*={pad}"),
                false,
            ),
            (
                format!("Content-Disposition: attachment; x={pad}; filename*1*=%E5"),
                true,
            ),
            (format!("Content-Transfer-Encoding: {pad} base64"), true),
            (format!("X-Note: {pad}"), false),
        ] {
            assert_eq!(cut_loses(field.as_bytes()), loses, "{}", &field[..30]);
        }
    }

    #[test]
    fn mbox_splits_at_from_lines_in_bounded_memory() {
        let mbox = b"From a Mon\nSubject: 1\n\none\n\nFrom b Tue\nSubject: 2\n\nbody\nFrom the start of a line\n";
        let mut got = Vec::new();
        read_mbox(&mut &mbox[..], 1 << 20, |m| {
            got.push(m.map(|m| String::from_utf8_lossy(m).into_owned()))
        })
        .unwrap();
        assert_eq!(
            got,
            [
                Some("Subject: 1\n\none\n\n".to_string()),
                Some("Subject: 2\n\nbody\nFrom the start of a line\n".to_string())
            ]
        );
        // a message over the cap is reported as such, the next one still read
        let big = format!(
            "From a\nSubject: x\n\n{}\n\nFrom b\nSubject: y\n\nok\n",
            "z".repeat(5000)
        );
        let mut got = Vec::new();
        read_mbox(&mut big.as_bytes(), 1000, |m| got.push(m.map(<[u8]>::len))).unwrap();
        assert_eq!(got, [None, Some("Subject: y\n\nok\n".len())]);
    }
}
