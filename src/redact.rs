//! Redaction: what of a value may be shown. Raw values leave the process only
//! when the user passes `--show-secrets`.
//!
//! * My Number: the last 4 digits (`********9018`).
//! * Card: the first 6 and last 4 digits (`455673******9855`), as PCI DSS
//!   allows for display.
//! * Other Japanese identifiers: the last 4 characters of 10 or more, else
//!   the last 2 (`*******4567`, `*******67`).
//! * Credential: at most the first 4 characters, fewer for short values (a
//!   quarter of the length), then a fixed mask that does not give away the
//!   length.
//!
//! Names (of files, folders, archive members) are data too: [`name`] masks
//! the identifiers and credentials in them, by the same rules, wherever a
//! name is shown.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt::Write;
use std::sync::OnceLock;

use crate::detect::credential::Credentials;
use crate::finding::Category;

const MASK: &str = "****";

/// What may be shown of `value`, by the rules above: a fixed mask and at
/// most a few of its characters. Card values of 10 digits or fewer are
/// masked whole; an ID-document value is redacted like a credential.
pub fn redact(category: Category, value: &[u8]) -> String {
    match category {
        Category::MyNumber => {
            let keep = value.len().saturating_sub(4);
            format!(
                "{}{}",
                "*".repeat(keep),
                String::from_utf8_lossy(&value[keep..])
            )
        }
        Category::PaymentCard if value.len() > 10 => {
            let last = value.len() - 4;
            format!(
                "{}{}{}",
                String::from_utf8_lossy(&value[..6]),
                "*".repeat(last - 6),
                String::from_utf8_lossy(&value[last..])
            )
        }
        Category::PaymentCard => "*".repeat(value.len()),
        Category::JpIdentifier => {
            let shown = if value.len() >= 10 { 4 } else { 2 };
            let keep = value.len().saturating_sub(shown);
            format!(
                "{}{}",
                "*".repeat(keep),
                String::from_utf8_lossy(&value[keep..])
            )
        }
        Category::Credential | Category::IdDocument => redact_secret(value),
    }
}

fn redact_secret(value: &[u8]) -> String {
    let text = String::from_utf8_lossy(value);
    let chars = text.chars().count();
    let shown = (chars / 4).min(4);
    let prefix: String = text
        .chars()
        .take(shown)
        .filter(|c| !c.is_control())
        .collect();
    format!("{prefix}{MASK}")
}

/// A name (of a file, folder or archive member, or a path of them) as it
/// may be shown: digit runs that could be an identifier — 12 digits with a
/// valid My Number check digit, or 13–19 digits that pass Luhn, plain or in
/// groups joined by single separators (`_` and every one the digit reader
/// reads: `-`, `.`, space, and `ー`, `‐`, `−`, `－`, U+3000) — keep only their last
/// 4 digits; a credential of a rule looked for in names (a token by its
/// prefix, `password=…`, `user:password@host`: `in_names` in
/// `patterns/credentials.toml`), in any one component of the path, is
/// masked like a credential found in text (`password=Hunt****.txt`); and
/// control characters (C0, DEL, C1), the line and paragraph separators
/// (U+2028, U+2029) and the bidirectional marks and overrides (U+061C,
/// U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) and the invisible
/// characters (soft hyphen, zero-width space and joiners, word joiner,
/// U+FEFF: a number split by one is masked whole) are written as escapes
/// (`\n`, `\x1b`, `\u{202e}`), as are the bytes of a name that is not
/// UTF-8 (`\x80`, from their stand-ins: [`crate::names`]), and a `:` with nothing but white space
/// before it as `\x3a`, so that no name can forge a line, a terminal
/// sequence or a CI workflow command (`::stop-commands::…` at the start of
/// a line of a text report, whatever the path's origin). Borrowed when nothing needed changing (the usual
/// case: one pass over the bytes, and one search for the credential rules'
/// trigger words).
pub fn name(s: &str) -> Cow<'_, str> {
    // one pass over the bytes decides the usual case: printable ASCII (or
    // UTF-8 text) with fewer than 12 digits
    // (16 bytes at a time with byte counters: the compiler vectorizes it; this
    // runs for every path shown)
    let (mut digits, mut suspect) = (0usize, false);
    for chunk in s.as_bytes().chunks(16) {
        let (mut d, mut sus) = (0u8, 0u8);
        for &c in chunk {
            d += u8::from(c.wrapping_sub(b'0') < 10);
            // C0 controls, DEL; C1 controls and the bidi marks start with C2 / E2
            // full-width digits (U+FF10..FF19) start with EF
            sus |= u8::from(c < 0x20)
                | u8::from(c == 0x7f)
                | u8::from(c == 0xc2)
                | u8::from(c == 0xd8)
                | u8::from(c == 0xe2)
                | u8::from(c == 0xef)
                // the stand-ins for bytes that are not UTF-8 (crate::names)
                | u8::from(c == 0xf4);
        }
        digits += usize::from(d);
        suspect |= sus != 0;
    }
    let controls = suspect && s.chars().any(needs_escape);
    let wide = if suspect {
        s.chars().filter(|c| ('０'..='９').contains(c)).count()
    } else {
        0
    };
    let masked = if name_may_hold_secret(s) {
        mask_secrets(s)
    } else {
        None
    };
    if digits + wide < 12 && !controls {
        let shown = masked.map_or(Cow::Borrowed(s), Cow::Owned);
        return match colon_at_line_start(&shown) {
            None => shown,
            Some(at) => Cow::Owned(escape_colon(&shown, at)),
        };
    }
    let s = masked.as_deref().unwrap_or(s);
    let mut out: Vec<char> = s.chars().collect();
    if digits + wide >= 12 {
        mask_identifier_runs(&mut out);
    }
    let mut shown = String::with_capacity(s.len() + 8);
    for c in out {
        if let Some(b) = crate::names::byte_of(c) {
            // a byte of a name that is not UTF-8
            let _ = write!(shown, "\\x{b:02x}");
        } else if needs_escape(c) {
            match c {
                '\n' => shown.push_str("\\n"),
                '\r' => shown.push_str("\\r"),
                '\t' => shown.push_str("\\t"),
                c if (c as u32) < 0x100 => {
                    let _ = write!(shown, "\\x{:02x}", c as u32);
                }
                c => {
                    let _ = write!(shown, "\\u{{{:x}}}", c as u32);
                }
            }
        } else {
            shown.push(c);
        }
    }
    match colon_at_line_start(&shown) {
        None => Cow::Owned(shown),
        Some(at) => Cow::Owned(escape_colon(&shown, at)),
    }
}

/// A path as it may be shown: its text without loss ([`crate::names::path`])
/// through [`name`].
pub fn path(path: &std::path::Path) -> String {
    name(&crate::names::path(path)).into_owned()
}

/// [`name`] of `s`, then cut to its first `max` characters (`…` marks a
/// cut): for echoing user text (a glob, a config value) in an error. The
/// order matters: a number or token cut first is no longer one, and
/// would be shown raw but for its last digit or character.
pub fn name_cut(s: &str, max: usize) -> String {
    let shown = name(s);
    match shown.char_indices().nth(max) {
        None => shown.into_owned(),
        Some((at, _)) => format!("{}…", &shown[..at]),
    }
}

/// Where `shown` has a `:` after nothing but white space: a line that
/// starts with a name there (a text report's path, a member indented under
/// it) would read as a CI workflow command (`::stop-commands::…`; GitHub's
/// runner trims leading white space first).
fn colon_at_line_start(shown: &str) -> Option<usize> {
    let rest = shown.trim_start();
    rest.starts_with(':').then(|| shown.len() - rest.len())
}

/// `shown` with the `:` at byte `at` written as the escape `\x3a`.
fn escape_colon(shown: &str, at: usize) -> String {
    format!("{}\\x3a{}", &shown[..at], &shown[at + 1..])
}

/// The built-in credential rules looked for in names (`in_names`), built
/// on first use.
fn name_rules() -> &'static Credentials {
    static RULES: OnceLock<Credentials> = OnceLock::new();
    RULES.get_or_init(|| {
        let set = crate::patterns::builtin()
            .expect("built-in patterns parse (checked by the test suite)");
        Credentials::new(&set.credentials)
            .expect("built-in credential rules build (checked by the test suite)")
    })
}

/// Whether `name` (or a path) has a trigger word of a credential rule
/// looked for in names: the cheap test before a name is read for them.
fn name_may_hold_secret(name: &str) -> bool {
    name_rules().name_may_hold_secret(name.as_bytes())
}

/// Whether `name` (one component: no folders) holds a credential of a rule
/// looked for in names, by the built-in rules: what [`name`] masks.
pub fn name_holds_secret(name: &str) -> bool {
    if !name_may_hold_secret(name) {
        return false;
    }
    let mut found = Vec::new();
    name_rules().scan_name(name.as_bytes(), &mut found);
    !found.is_empty()
}

thread_local! {
    /// The last path [`mask_secrets`] read on this thread, and what it
    /// gave: a file's path is shown once for each of its findings, and
    /// reading it again each time made a scan of a file with many findings
    /// under a folder such as `token-service/` half as slow again.
    static LAST_MASKED: RefCell<(String, Option<String>)> = const {
        RefCell::new((String::new(), None))
    };
}

/// `path` with the credentials in its names masked ([`redact`] of each
/// value), or `None` when it has none. Each component (between `/` or `\`,
/// the `!` of a member's `!/` left out) is read alone.
fn mask_secrets(path: &str) -> Option<String> {
    LAST_MASKED.with(|last| {
        let mut last = last.borrow_mut();
        if last.0 != path {
            last.1 = mask_secrets_in(path);
            last.0.clear();
            last.0.push_str(path);
        }
        last.1.clone()
    })
}

/// [`mask_secrets`], read afresh.
fn mask_secrets_in(path: &str) -> Option<String> {
    let rules = name_rules();
    let bytes = path.as_bytes();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut found = Vec::new();
    let mut start = 0;
    for end in memchr::memchr2_iter(b'/', b'\\', bytes).chain([bytes.len()]) {
        let stop = if end < bytes.len() && end > start && bytes[end - 1] == b'!' {
            end - 1
        } else {
            end
        };
        found.clear();
        rules.scan_name(&bytes[start..stop], &mut found);
        spans.extend(found.iter().map(|c| (start + c.start, start + c.end)));
        start = end + 1;
    }
    if spans.is_empty() {
        return None;
    }
    spans.sort_unstable();
    let mut out = String::with_capacity(path.len());
    let mut at = 0;
    for (a, b) in spans {
        let (a, b) = (char_floor(path, a.max(at)), char_ceil(path, b));
        if b <= a {
            continue;
        }
        out.push_str(&path[at..a]);
        out.push_str(&redact_secret(&bytes[a..b]));
        at = b;
    }
    out.push_str(&path[at..]);
    Some(out)
}

/// The char boundary at or before `i`.
fn char_floor(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The char boundary at or after `i`.
fn char_ceil(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// A character a name must not carry raw into a terminal, a log or a
/// report.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || invisible(c)
        || crate::names::byte_of(c).is_some()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}'
                | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// The ASCII form of an ASCII or full-width digit.
fn digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8),
        c => crate::digits::wide_digit(c),
    }
}

fn is_digit(c: &char) -> bool {
    digit(*c).is_some()
}

/// Whether `c` may join two digit groups of a number in a name: every
/// separator the digit reader reads ([`crate::digits::separator`], ASCII
/// and Japanese), and `_`, which the scanner reads as a space in a name
/// (`個人番号_1234…`). The detectors find no number in a name that this
/// does not mask.
fn joins_digits(c: char) -> bool {
    c == '_' || crate::digits::separator(c).is_some() || invisible(c)
}

/// A character that shows nothing: the soft hyphen, the zero-width space,
/// joiners and the word joiner, the invisible operators, the byte order
/// mark. Escaped in names, and no break between two digit groups there.
fn invisible(c: char) -> bool {
    matches!(c, '\u{00ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

/// Masks, in place, every run of digits (groups joined by one separator,
/// [`joins_digits`]) that validates as a My Number or a card number.
fn mask_identifier_runs(chars: &mut [char]) {
    let mut i = 0;
    while i < chars.len() {
        if !is_digit(&chars[i]) {
            i += 1;
            continue;
        }
        // the run: digits, and single separators between digits
        let start = i;
        let mut end = i;
        let mut j = i;
        while j < chars.len() {
            if is_digit(&chars[j]) {
                end = j + 1;
                j += 1;
            } else if joins_digits(chars[j]) && chars.get(j + 1).is_some_and(is_digit) {
                j += 1;
            } else {
                break;
            }
        }
        let positions: Vec<usize> = (start..end).filter(|&k| is_digit(&chars[k])).collect();
        let digits: Vec<u8> = positions.iter().filter_map(|&k| digit(chars[k])).collect();
        if identifier_like(&digits) {
            for &k in &positions[..positions.len() - 4] {
                chars[k] = '*';
            }
        } else {
            // a longer run may hold one: every 12- and 13–19-digit window
            for w in 12..=19.min(digits.len()) {
                for from in 0..=digits.len() - w {
                    if identifier_like(&digits[from..from + w]) {
                        for &k in &positions[from..from + w - 4] {
                            chars[k] = '*';
                        }
                    }
                }
            }
        }
        i = end.max(i + 1);
    }
}

/// 12 digits with a valid My Number check digit, or 13–19 that pass Luhn.
fn identifier_like(digits: &[u8]) -> bool {
    match digits.len() {
        12 => crate::validate::is_valid_my_number(digits),
        13..=19 => crate::validate::luhn_valid(digits),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_identifiers_and_control_characters() {
        assert_eq!(name("hr/staff.csv"), "hr/staff.csv");
        assert!(matches!(name("hr/staff.csv"), Cow::Borrowed(_)));
        assert_eq!(
            name("個人番号_123456789018.csv"),
            "個人番号_********9018.csv"
        );
        assert_eq!(name("1234 5678 9018.txt"), "**** **** 9018.txt");
        // every separator the digit reader reads joins groups in a name too
        for sep in ['ー', '‐', '−', '－', '\u{3000}', '-', '.', ' ', '_'] {
            let raw = format!("staff_1234{sep}5678{sep}9018.txt");
            let shown = format!("staff_****{sep}****{sep}9018.txt");
            assert_eq!(name(&raw), shown, "{sep:?}");
            let raw = format!("card 4556{sep}7375{sep}8689{sep}9855");
            let shown = format!("card ****{sep}****{sep}****{sep}9855");
            assert_eq!(name(&raw), shown, "{sep:?}");
        }
        assert_eq!(
            name("backup_4556737586899855.gz"),
            "backup_************9855.gz"
        );
        // not an identifier: a timestamp that fails the check digit stays
        assert_eq!(name("log-202403011230.txt"), "log-202403011230.txt");
        assert_eq!(
            name("a.txt\n::error file=x::y\x1b[2K"),
            "a.txt\\n::error file=x::y\\x1b[2K"
        );
        assert_eq!(name("evil\u{202e}txt.exe"), "evil\\u{202e}txt.exe");
        // full-width digits, as Japanese file names often have them
        assert_eq!(
            name("個人番号１２３４５６７８９０１８.txt"),
            "個人番号＊＊＊＊＊＊＊＊９０１８.txt".replace('＊', "*")
        );
        assert_eq!(name("（株）ＡＢＣ.xlsx"), "（株）ＡＢＣ.xlsx");
        // an invisible character inside a number neither hides it nor
        // reaches output raw
        let shown = name("scan_492718\u{200b}361052.pdf");
        assert!(
            !shown.contains('\u{200b}') && !shown.contains("492718"),
            "{shown}"
        );
        assert!(shown.contains("\\u{200b}"), "{shown}");
    }

    /// Credentials of the rules looked for in names are masked like
    /// values found in text, in any component of a path; ordinary names
    /// that merely mention a password or a token are left alone.
    #[test]
    fn names_lose_credentials() {
        for (raw, shown) in [
            (
                "backup_password=Hunter2Secret!.txt",
                "backup_password=Hun****.txt",
            ),
            (
                "dumps/db-dump-postgres:S3cretPass@10.0.0.5.sql",
                "dumps/db-dump-postgres:S3****@10.0.0.5.sql",
            ),
            ("keys/AKIAUJZDE8GXD6NCF10E.csv", "keys/AKIA****.csv"),
            (
                "ci/backup_ghp_sMehGAkWvj7FAc9QeWJKY40uvSwMFLZDe1f8/log.txt",
                "ci/backup_ghp_****/log.txt",
            ),
            (
                "site.zip!/https:/alice:QGMrb9h!ImB!LK77@files.acme-corp.jp/x.txt",
                "site.zip!/https:/alice:QGMr****@files.acme-corp.jp/x.txt",
            ),
            // the `!` of a member's `!/` is not part of the name before it
            (
                "password=Zx81-spectrum.zip!/a.txt",
                "password=Zx8****.zip!/a.txt",
            ),
            ("password=Zx81spectrum!/a.txt", "password=Zx8****!/a.txt"),
            // both kinds, and a control character, in one name
            (
                "個人番号_123456789018 password=Hunter2Secret!\n.txt",
                "個人番号_********9018 password=Hun****\\n.txt",
            ),
        ] {
            assert_eq!(name(raw), shown, "{raw}");
        }
        for ordinary in [
            "password-policy.pdf",
            "token_bucket.rs",
            "passwd",
            "/etc/passwd",
            "src/secret_santa.rs",
            "password=changeme.txt",
            "mailto:alice@acme-corp.jp.eml",
        ] {
            assert!(matches!(name(ordinary), Cow::Borrowed(_)), "{ordinary}");
        }
    }

    /// A long value is masked whole before it is cut for an error
    /// message: a cut number or token would no longer be one.
    #[test]
    fn values_are_masked_before_they_are_cut() {
        let n = "123456789018";
        let shown = name_cut(&format!("[abcdefghijklmnopqrstuvwxyz01{n}"), 40);
        // (`01` and the number pass Luhn together: masked as a card)
        assert_eq!(shown, "[abcdefghijklmnopqrstuvwxyz**********901…");
        let token = "ghp_sMehGAkWvj7FAc9QeWJKY40uvSwMFLZDe1f8";
        assert_eq!(name_cut(&format!("[{token}"), 40), "[ghp_****");
        assert_eq!(name_cut("short", 40), "short");
    }

    #[test]
    fn shapes() {
        assert_eq!(redact(Category::MyNumber, b"123456789018"), "********9018");
        assert_eq!(
            redact(Category::PaymentCard, b"4556737586899855"),
            "455673******9855"
        );
        assert_eq!(
            redact(Category::Credential, b"AKIAUJZDE8GXD6NCF10E"),
            "AKIA****"
        );
        assert_eq!(redact(Category::Credential, b"hunter2"), "h****");
        assert_eq!(redact(Category::Credential, b"abc"), "****");
        assert_eq!(
            redact(Category::Credential, "パスワード秘密".as_bytes()),
            "パ****"
        );
    }
}
