//! Names are data and data is not trusted (issue 12, second trial): no
//! name forges a CI workflow command whatever the path's origin; a
//! credential in a name is found and masked when a copy suffix or a
//! control character follows it; `leakscan:ignore` in data cannot silence
//! the scan; configuration and flag errors are in leakscan's own words;
//! SARIF URIs are percent-encoded; a file skipped for its size keeps its
//! name finding; `-o` never overwrites what the scan reads.

mod common;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use common::{zip_bytes, Rng};
use serde_json::Value;

const FORMATS: [&str; 9] = [
    "text", "jsonl", "json", "sarif", "github", "csv", "ecs", "ocsf", "hec",
];

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `scan ARGS` in `cwd` with `stdin` (arguments may be OS strings:
/// names that are not UTF-8).
fn run_stdin<S: AsRef<std::ffi::OsStr>>(cwd: &Path, args: &[S], stdin: &str) -> Run {
    let out = Command::cargo_bin("leakscan")
        .unwrap()
        .current_dir(cwd)
        .env(
            "LEAKSCAN_FINGERPRINT_KEY",
            "names-trust-test-key-0123456789",
        )
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("LEAKSCAN_CONFIG")
        .timeout(Duration::from_secs(120))
        .arg("scan")
        .args(args)
        .write_stdin(stdin.to_string())
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn run(cwd: &Path, args: &[&str]) -> Run {
    run_stdin(cwd, args, "")
}

fn records(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON record a line"))
        .collect()
}

/// No line of `text`, white space trimmed at its start as GitHub's runner
/// does, is a workflow command, but for the annotations of `--format
/// github` (`::error file=…`, whose properties are escaped).
fn no_workflow_command(what: &str, text: &str) {
    for line in text.lines() {
        let line = line.trim_start();
        let annotation = ["::error file=", "::warning file=", "::notice file="]
            .iter()
            .any(|p| line.starts_with(p));
        assert!(
            !line.starts_with("::") || annotation,
            "{what}: forged workflow command: {line:?}"
        );
    }
}

#[test]
fn a_name_never_starts_a_line_with_a_workflow_command() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(12_0001);
    let n = rng.my_number();
    let names = [
        "::stop-commands::pwned".to_string(),
        "::error title=leakscan::all clean".to_string(),
        " ::warning::spaced".to_string(),
    ];
    for name in &names {
        fs::write(dir.path().join(name), format!("マイナンバー: {n}\n")).unwrap();
    }
    // a member too, shown indented under its archive
    fs::write(
        dir.path().join("m.zip"),
        zip_bytes(&[(
            b"::stop-commands::member",
            format!("個人番号 {n}\n").as_bytes(),
        )]),
    )
    .unwrap();
    let mut all: Vec<&str> = names.iter().map(String::as_str).collect();
    all.push("m.zip");
    let list = all.join("\n") + "\n";
    for format in FORMATS {
        // named, listed on stdin, and found by the walk
        let r = run(
            dir.path(),
            &[&["--format", format, "-v"], &all[..]].concat(),
        );
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        no_workflow_command(format, &r.stdout);
        no_workflow_command(format, &r.stderr);
        let r = run_stdin(
            dir.path(),
            &["--format", format, "--files-from", "-"],
            &list,
        );
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        no_workflow_command(format, &r.stdout);
        no_workflow_command(format, &r.stderr);
    }
    let r = run(dir.path(), &["--format", "jsonl", "::stop-commands::pwned"]);
    let recs = records(&r.stdout);
    assert!(recs
        .iter()
        .any(|f| f["path"] == "\\x3a:stop-commands::pwned"));
}

#[test]
fn a_credential_in_a_name_ends_at_controls_spaces_and_brackets() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    fs::create_dir(&tree).unwrap();
    // synthetic passwords; the content is clean
    let cases = [
        (
            "Hunter2SecretK",
            "backup_password=Hunter2SecretK\x1b[31m.txt",
        ),
        (
            "Hunter3SecretK",
            "backup_password=Hunter3SecretK (copy).txt",
        ),
        ("Hunter7SecretK", "backup_password=Hunter7SecretK (1).txt"),
        ("Hunter1SecretK", "backup_password=Hunter1SecretK[1].txt"),
        ("Hunter4SecretK", "backup_password=Hunter4SecretK{a}.txt"),
        ("Hunter6SecretK", "db_password=Hunter6SecretK\u{7f}.sql"),
    ];
    for (_, name) in cases {
        fs::write(tree.join(name), "nothing here\n").unwrap();
    }
    let raw: Vec<&str> = cases.iter().map(|c| c.0).collect();
    for format in FORMATS {
        let r = run(dir.path(), &["--format", format, "-v", "tree"]);
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        for v in &raw {
            assert!(
                !r.stdout.contains(v) && !r.stderr.contains(v),
                "{format}: {v} printed\n{}",
                r.stdout
            );
        }
    }
    let r = run(dir.path(), &["--format", "jsonl", "tree"]);
    let in_names = records(&r.stdout)
        .iter()
        .filter(|f| f["in_name"] == true && f["rule_id"] == "password-assignment")
        .count();
    assert_eq!(in_names, cases.len(), "{}", r.stdout);
}

/// `user:password@host` without a scheme, the host a bare label before the
/// extension (a dump named after its connection): found in a file's and in
/// a folder's name and masked in every format; look-alikes in names (a
/// time, a word, an scp path, a C++ scope, a Windows path) are not.
#[test]
fn a_connection_string_in_a_name_is_found_with_a_bare_host() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    // synthetic passwords; the content is clean
    let folder = tree.join("root:Qx7rTm29Lp@nas01");
    fs::create_dir_all(&folder).unwrap();
    fs::write(tree.join("db:Hunter5Secret@host.sql"), "nothing here\n").unwrap();
    fs::write(folder.join("notes.txt"), "nothing here\n").unwrap();
    for clean in [
        "meeting 10:30pm@room.txt",
        "notes:draft-final@home.txt",
        "std::vector@alloc.h",
        "git@github.com:org.repo.git",
        "C:\\Users\\bob@corp.txt",
    ] {
        fs::write(tree.join(clean), "nothing here\n").unwrap();
    }
    for format in FORMATS {
        let r = run(dir.path(), &["--format", format, "-v", "tree"]);
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        for v in ["Hunter5Secret", "Qx7rTm29Lp"] {
            assert!(
                !r.stdout.contains(v) && !r.stderr.contains(v),
                "{format}: {v} printed\n{}",
                r.stdout
            );
        }
    }
    let r = run(dir.path(), &["--format", "jsonl", "tree"]);
    let recs = records(&r.stdout);
    let found: Vec<&Value> = recs.iter().filter(|f| f["type"] == "finding").collect();
    assert_eq!(found.len(), 2, "{}", r.stdout);
    assert!(found
        .iter()
        .all(|f| f["in_name"] == true && f["rule_id"] == "userinfo-password"));
}

#[test]
fn a_credential_in_a_column_name_is_masked_in_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let n = Rng(12_0002).my_number();
    fs::write(
        dir.path().join("t.csv"),
        format!("id,password=Hunter8SecretK\x1b[31m\n1,{n}\n"),
    )
    .unwrap();
    let r = run(
        dir.path(),
        &["--format", "jsonl", "--min-confidence", "low", "t.csv"],
    );
    assert!(!r.stdout.contains("Hunter8SecretK"), "{}", r.stdout);
    assert!(!r.stdout.contains('\x1b'));
}

#[test]
fn inline_ignores_in_data_do_not_silence_the_scan() {
    let dir = tempfile::tempdir().unwrap();
    let n = Rng(12_0003).my_number();
    let line = format!("マイナンバー,{n} # leakscan:ignore\n");
    fs::write(
        dir.path().join("dump.zip"),
        zip_bytes(&[(b"rows.csv", line.as_bytes())]),
    )
    .unwrap();
    let r = run(dir.path(), &["dump.zip"]);
    assert_eq!(r.code, 1, "an ignore inside a member counts: {}", r.stdout);
    // in a name: its own name finding stays
    let named = format!("kojin_bango_{n} leakscan:ignore.csv");
    fs::write(dir.path().join(&named), "clean\n").unwrap();
    let r = run(dir.path(), &["--format", "jsonl", &named]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    // in a plain file of the repository: it applies, is counted and said
    fs::write(dir.path().join("plain.csv"), &line).unwrap();
    let r = run(dir.path(), &["plain.csv"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(
        r.stdout.contains("1 suppressed by leakscan:ignore"),
        "{}",
        r.stdout
    );
    // and off by the flag, or by the config
    let r = run(dir.path(), &["--no-inline-ignore", "plain.csv"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    fs::write(dir.path().join("cfg.toml"), "inline_ignore = false\n").unwrap();
    let r = run(dir.path(), &["--config", "cfg.toml", "plain.csv"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
}

/// A marker in a data value, on a line that is a whole export, or in text a
/// format extracted (RTF, a binary file's text runs) silences nothing.
#[test]
fn inline_ignores_need_a_comment_on_a_short_line_of_the_files_own_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(12_0004);
    let rows: String = (0..5)
        .map(|i| format!("{i},{}\r", rng.my_number()))
        .collect();
    // CR line ends (Excel for Mac CSV): the marker is on the header line only
    fs::write(
        dir.path().join("mac.csv"),
        format!("id,個人番号 # leakscan:ignore\r{rows}"),
    )
    .unwrap();
    // a one-line export whose last record carries the marker as a value
    let rows50: Vec<String> = (0..50)
        .map(|i| format!("{{\"n\":{i},\"my_number\":\"{}\"}}", rng.my_number()))
        .collect();
    let json = format!("[{},{{\"note\":\"# leakscan:ignore\"}}]", rows50.join(","));
    fs::write(dir.path().join("export.json"), json).unwrap();
    let mut blob: Vec<u8> = [0u8, 1, 2, 3].repeat(100);
    blob.extend_from_slice(format!("# leakscan:ignore 個人番号: {}", rng.my_number()).as_bytes());
    blob.extend_from_slice(&[0u8; 100]);
    fs::write(dir.path().join("blob.bin"), blob).unwrap();
    let rtf = format!(
        "{{\\rtf1 My Number: {} # leakscan:ignore\\par}}",
        rng.my_number()
    );
    fs::write(dir.path().join("doc.rtf"), rtf).unwrap();
    for (name, expected) in [
        ("mac.csv", 5),
        ("export.json", 50),
        ("blob.bin", 1),
        ("doc.rtf", 1),
    ] {
        let r = run(
            dir.path(),
            &["--format", "jsonl", "--min-confidence", "low", name],
        );
        let found = records(&r.stdout)
            .iter()
            .filter(|f| f["type"] == "finding" && f["rule_id"] == "my_number")
            .count();
        assert_eq!(found, expected, "{name}: {}", r.stdout);
    }
}

/// The error on stderr is one line, has no control character, no raw
/// `secret`, and forges no workflow command.
fn clean_error(what: &str, r: &Run, secret: &str) {
    assert_eq!(r.code, 2, "{what}: {}", r.stderr);
    no_workflow_command(what, &r.stderr);
    assert!(!r.stderr.contains(secret), "{what}: {}", r.stderr);
    assert!(
        !r.stderr.chars().any(|c| c.is_control() && c != '\n'),
        "{what}: {:?}",
        r.stderr
    );
    assert!(
        r.stderr.contains("leakscan: error:"),
        "{what}: {}",
        r.stderr
    );
}

#[test]
fn config_and_flag_errors_are_our_own_words() {
    let dir = tempfile::tempdir().unwrap();
    let n = Rng(12_0004).my_number();
    fs::write(dir.path().join("in.txt"), "clean\n").unwrap();
    let cfgs = [
        ("glob", format!("exclude = [\"\\u001b[2K\\n::stop-commands::pwn[{n}\"]\n")),
        ("allowlist", format!("[allowlist]\npaths = [\"\\n::stop-commands::x[{n}\"]\n")),
        ("placeholders", format!("placeholders = [\"(\\n::stop-commands::x{n}\"]\n")),
        ("severity", format!("[severity]\n\"\\n::stop-commands::{n}\" = \"low\"\n")),
        ("rule regex", format!(
            "[[rule]]\nid = \"mine\"\ndescription = \"d\"\nkeywords = [\"k\"]\nregex = \"(\\n::stop-commands::{n}\"\n"
        )),
        ("max_window", format!("max_window = \"\\n::stop-commands::{n}\"\n")),
    ];
    for (what, text) in &cfgs {
        fs::write(dir.path().join("c.toml"), text).unwrap();
        let r = run(dir.path(), &["--config", "c.toml", "in.txt"]);
        clean_error(what, &r, &n);
        assert!(
            !r.stderr.contains("error parsing glob") && !r.stderr.contains("regex parse error")
        );
    }
    // a rule id is printed in every finding: one that is a token is refused
    let token = format!("ghp_{}", "aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xY2zA4");
    fs::write(
        dir.path().join("c.toml"),
        format!("[[rule]]\nid = \"{token}\"\ndescription = \"d\"\nkeywords = [\"k\"]\nregex = \"k[0-9]+\"\n"),
    )
    .unwrap();
    let r = run(dir.path(), &["--config", "c.toml", "in.txt"]);
    clean_error("token rule id", &r, &token);
    let glob = format!("\x1b[2K\n::stop-commands::pwn[{n}");
    let r = run(dir.path(), &["--exclude", &glob, "in.txt"]);
    clean_error("--exclude", &r, &n);
    // paths of missing settings files are shown as names are
    let missing = format!("\n::stop-commands::{n}.toml");
    let r = run(dir.path(), &["--config", &missing, "in.txt"]);
    clean_error("--config", &r, &n);
    let r = run(dir.path(), &["--fingerprint-key-file", &missing, "in.txt"]);
    clean_error("--fingerprint-key-file", &r, &n);
}

#[test]
fn sarif_uris_are_percent_encoded() {
    let dir = tempfile::tempdir().unwrap();
    let n = Rng(12_0005).my_number();
    let t = dir.path().join("t");
    fs::create_dir_all(t.join("a")).unwrap();
    let body = format!("マイナンバー: {n}\n");
    fs::write(t.join("a\nb.txt"), &body).unwrap();
    fs::write(t.join("a/nb.txt"), &body).unwrap();
    fs::write(t.join("back\\slash.txt"), &body).unwrap();
    let r = run(dir.path(), &["--format", "sarif", "t"]);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let mut uris: Vec<String> = doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    uris.sort();
    uris.dedup();
    assert_eq!(
        uris,
        ["a%5Cnb.txt", "a/nb.txt", "back%5Cslash.txt"],
        "{}",
        r.stderr
    );
}

#[test]
fn names_are_scanned_whatever_happens_to_the_content() {
    let dir = tempfile::tempdir().unwrap();
    let n = Rng(12_0006).my_number();
    let name = format!("kojin_bango_{n}.bin");
    let mut f = fs::File::create(dir.path().join(&name)).unwrap();
    f.write_all(&vec![b'x'; 4096]).unwrap();
    for args in [
        &["--max-file-size", "1K", "."][..],
        &["--max-file-size", "1K", &name],
    ] {
        let r = run(dir.path(), &[&["--format", "jsonl"], args].concat());
        assert_eq!(r.code, 1, "{args:?}: {}", r.stdout);
        let recs = records(&r.stdout);
        assert!(recs.iter().any(|f| f["in_name"] == true), "{}", r.stdout);
        assert!(
            recs.iter().any(|f| f["reason"] == "too_large"),
            "{}",
            r.stdout
        );
        assert!(!r.stdout.contains(&n));
    }
    // line separators and bidi marks in names are escaped
    for mark in ['\u{2028}', '\u{2029}', '\u{200f}', '\u{061c}', '\u{202e}'] {
        let name = format!("x{mark}{n}.txt");
        fs::write(dir.path().join(&name), "clean\n").unwrap();
        let r = run(dir.path(), &["--format", "jsonl", &name]);
        assert!(
            !r.stdout.contains(mark) && !r.stderr.contains(mark),
            "{mark:?}"
        );
    }
}

#[test]
fn the_report_never_overwrites_what_the_scan_reads() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("in.txt"), "clean\n").unwrap();
    fs::write(d.join("list"), "in.txt\n").unwrap();
    fs::write(
        d.join("key"),
        "a-fingerprint-key-of-enough-length-0123456789\n",
    )
    .unwrap();
    fs::write(d.join("c.toml"), "fail_on = \"high\"\n").unwrap();
    let r = run(d, &["--write-baseline", "base.json", "in.txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (flag, file) in [
        ("--files-from", "list"),
        ("--baseline", "base.json"),
        ("--config", "c.toml"),
        ("--fingerprint-key-file", "key"),
    ] {
        let before = fs::read(d.join(file)).unwrap();
        let mut args = vec!["-o", file, "--force", flag, file];
        if flag != "--files-from" {
            args.push("in.txt");
        }
        let r = run(d, &args);
        assert_eq!(r.code, 2, "{flag}: {}", r.stderr);
        assert!(r.stderr.contains("refusing"), "{flag}: {}", r.stderr);
        assert_eq!(
            fs::read(d.join(file)).unwrap(),
            before,
            "{flag} overwritten"
        );
    }
    // a write error names the file
    if Path::new("/dev/full").exists() {
        let r = run(d, &["-o", "/dev/full", "in.txt"]);
        assert_eq!(r.code, 2);
        assert!(r.stderr.contains("/dev/full"), "{}", r.stderr);
    }
}

/// The Japanese separators the digit reader reads (besides `-`, `.` and
/// the space): a number grouped with any of them in a file name is masked
/// wherever the name is shown, as the detectors read it.
const WIDE_SEPARATORS: [char; 5] = ['ー', '‐', '−', '－', '\u{3000}'];

/// `digits` in groups of 4 joined by `sep`.
fn grouped(digits: &str, sep: char) -> String {
    let groups: Vec<&str> = digits
        .as_bytes()
        .chunks(4)
        .map(|g| std::str::from_utf8(g).unwrap())
        .collect();
    groups.join(&sep.to_string())
}

/// Whether `text` shows any two groups of `digits` in a row, joined by
/// `sep` (or the JSON escape of it): a number no longer masked.
fn shows_groups(text: &str, digits: &str, sep: char) -> bool {
    let g = grouped(digits, sep);
    let groups: Vec<&str> = g.split(sep).collect();
    let escaped = format!("\\u{:04x}", sep as u32);
    groups.windows(2).any(|w| {
        text.contains(&format!("{}{sep}{}", w[0], w[1]))
            || text.contains(&format!("{}{escaped}{}", w[0], w[1]))
    })
}

#[test]
fn numbers_in_names_with_japanese_separators_are_masked() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("t");
    fs::create_dir(&t).unwrap();
    let mut rng = Rng(12_0101);
    let body = format!("個人番号: {}\n", rng.my_number());
    let mut numbers = Vec::new();
    for sep in WIDE_SEPARATORS {
        let (n, card) = (rng.my_number(), rng.visa());
        fs::write(t.join(format!("staff_{}.txt", grouped(&n, sep))), &body).unwrap();
        fs::write(t.join(format!("card {}.txt", grouped(&card, sep))), &body).unwrap();
        numbers.push((sep, n));
        numbers.push((sep, card));
    }
    let leaks = |what: &str, text: &str| {
        for (sep, digits) in &numbers {
            assert!(
                !text.contains(digits.as_str()) && !shows_groups(text, digits, *sep),
                "{what}: a number in a name shown raw (separator {sep:?})"
            );
        }
    };
    for format in FORMATS {
        for confidence in ["medium", "low"] {
            let r = run(
                dir.path(),
                &[
                    "--format",
                    format,
                    "--min-confidence",
                    confidence,
                    "-v",
                    "t",
                ],
            );
            assert_eq!(r.code, 1, "{format}: {}", r.stderr);
            leaks(format, &r.stdout);
            leaks(format, &r.stderr);
        }
    }
    // a name written with these separators is read as the number it holds
    let r = run(
        dir.path(),
        &["--format", "jsonl", "--min-confidence", "low", "t"],
    );
    let in_name = records(&r.stdout)
        .iter()
        .filter(|f| f["in_name"] == true)
        .count();
    assert!(in_name >= WIDE_SEPARATORS.len(), "{in_name} name findings");
    // and baselines
    let r = run(
        dir.path(),
        &[
            "--min-confidence",
            "low",
            "--write-baseline",
            "base.json",
            "t",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    leaks(
        "baseline",
        &fs::read_to_string(dir.path().join("base.json")).unwrap(),
    );
}

/// A random GitHub classic token (`ghp_` and 36 letters and digits).
fn github_token(rng: &mut Rng) -> String {
    const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let tail: String = (0..36)
        .map(|_| char::from(ALNUM[(rng.next() % 62) as usize]))
        .collect();
    format!("ghp_{tail}")
}

#[test]
fn values_in_bad_globs_are_masked_before_they_are_cut() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("x.txt"), "hi\n").unwrap();
    let mut rng = Rng(12_0102);
    let (n, token) = (rng.my_number(), github_token(&mut rng));
    // cut to 40 characters, the number's 11 first digits or the token's 35
    // first characters would be shown if cut before masking
    let globs = [
        (
            format!("[abcdefghijklmnopqrstuvwxyz01{n}"),
            n[..11].to_string(),
        ),
        (format!("[{token}"), token[..35].to_string()),
        (format!("[{n}"), n[..8].to_string()),
    ];
    for (glob, secret) in &globs {
        let r = run(dir.path(), &["--exclude", glob, "x.txt"]);
        clean_error("--exclude", &r, secret);
        for (key, what) in [
            ("exclude = [\"{}\"]", "exclude"),
            ("[allowlist]\npaths = [\"{}\"]", "allowlist"),
        ] {
            let text = key.replace("{}", glob) + "\n";
            fs::write(dir.path().join("c.toml"), text).unwrap();
            let r = run(dir.path(), &["--config", "c.toml", "x.txt"]);
            clean_error(what, &r, secret);
            assert!(
                r.stderr.contains("c.toml:"),
                "{what}: names the file and line"
            );
        }
    }
}

#[test]
fn custom_rule_descriptions_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir(d.join("t")).unwrap();
    fs::write(
        d.join("t/a.txt"),
        "key = \"acme_0123456789abcdefghijklmn\"\n",
    )
    .unwrap();
    fs::write(
        d.join("c.toml"),
        r#"[[rule]]
id = "acme-token"
description = "ACME\n::warning file=x::forged\u001b[31m red \u202e \u2028"
severity = "critical"
keywords = ["acme_"]
regex = '(?P<secret>acme_[0-9a-z]{24})'
examples = ['key = "acme_0123456789abcdefghijklmn"']
"#,
    )
    .unwrap();
    let raw = |what: &str, text: &str| {
        no_workflow_command(what, text);
        for c in ['\x1b', '\u{202e}', '\u{2028}'] {
            assert!(!text.contains(c), "{what}: raw {c:?}");
        }
        assert!(
            !text.contains("forged\n") && !text.contains("ACME\n::"),
            "{what}"
        );
    };
    for format in FORMATS {
        let r = run(d, &["--config", "c.toml", "--format", format, "t"]);
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        raw(format, &r.stdout);
        raw(format, &r.stderr);
    }
    for format in ["text", "json"] {
        let out = Command::cargo_bin("leakscan")
            .unwrap()
            .current_dir(d)
            .env_remove("LEAKSCAN_CONFIG")
            .args(["rules", "--config", "c.toml", "--format", format])
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        raw(format, &text);
        if format == "text" {
            let line = text.lines().find(|l| l.starts_with("acme-token")).unwrap();
            assert!(
                line.ends_with("ACME\\n::warning file=x::forged\\x1b[31m red \\u{202e} \\u{2028}"),
                "{line}"
            );
        }
    }
}

/// Every string in a JSON value, depth first.
fn all_strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a.iter().flat_map(all_strings).collect(),
        Value::Object(o) => o.values().flat_map(all_strings).collect(),
        _ => vec![],
    }
}

#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_stay_apart_and_are_escaped() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(12_0101);
    let (n1, n2, n3) = (rng.my_number(), rng.my_number(), rng.my_number());
    // two files whose names differ only in a byte that is not UTF-8
    let a = dir.path().join(OsStr::from_bytes(b"staff\x80.txt"));
    let b = dir.path().join(OsStr::from_bytes(b"staff\x81.txt"));
    fs::write(&a, format!("個人番号: {n1}\n")).unwrap();
    fs::write(&b, format!("個人番号: {n2}\n")).unwrap();
    // a zip member whose name is neither UTF-8 nor CP932
    // (written with an ASCII name of the same length, then patched in the
    // local header and the central directory: the zip crate takes `&str`)
    let zip = zip_bytes(&[(b"mXY.txt", format!("個人番号: {n3}\n").as_bytes())]);
    let (from, to): (&[u8], &[u8]) = (b"mXY.txt", b"m\xff\xfe.txt");
    let mut patched = Vec::new();
    let mut rest = &zip[..];
    while let Some(at) = rest.windows(from.len()).position(|w| w == from) {
        patched.extend_from_slice(&rest[..at]);
        patched.extend_from_slice(to);
        rest = &rest[at + from.len()..];
    }
    patched.extend_from_slice(rest);
    fs::write(dir.path().join("z.zip"), patched).unwrap();

    let r = run_stdin(
        dir.path(),
        &[OsStr::new("--format"), OsStr::new("jsonl"), OsStr::new(".")],
        "",
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let paths: Vec<String> = records(&r.stdout)
        .iter()
        .filter(|f| f["type"] == "finding")
        .map(|f| all_strings(f).join("|"))
        .collect();
    assert!(
        paths.iter().any(|p| p.contains("staff\\x80.txt")),
        "{paths:?}"
    );
    assert!(
        paths.iter().any(|p| p.contains("staff\\x81.txt")),
        "{paths:?}"
    );
    assert!(
        paths.iter().any(|p| p.contains("m\\xff\\xfe.txt")),
        "{paths:?}"
    );
    let fingerprints: std::collections::HashSet<_> = records(&r.stdout)
        .iter()
        .filter(|f| f["type"] == "finding")
        .map(|f| f["fingerprint"].to_string())
        .collect();
    assert_eq!(fingerprints.len(), 3, "{}", r.stdout);
    assert!(!r.stdout.contains('\u{fffd}'), "{}", r.stdout);
    for n in [&n1, &n2, &n3] {
        assert!(!r.stdout.contains(n.as_str()) && !r.stderr.contains(n.as_str()));
    }
    // named on the command line, in the text report
    let r = run_stdin(dir.path(), &[a.as_os_str()], "");
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("staff\\x80.txt"), "{}", r.stdout);
    assert!(!r.stdout.contains('\u{fffd}'), "{}", r.stdout);
}

#[test]
fn paths_of_settings_files_are_shown_as_names_are() {
    let dir = tempfile::tempdir().unwrap();
    let n = Rng(12_0102).my_number();
    fs::write(dir.path().join("in.txt"), "clean\n").unwrap();
    // an invalid config whose path holds a My Number: `path:line: …`
    let cfg = format!("cfg_{n}.toml");
    fs::write(dir.path().join(&cfg), "exclude = 3\n").unwrap();
    let r = run(dir.path(), &["--config", &cfg, "in.txt"]);
    clean_error("invalid config", &r, &n);
    assert!(r.stderr.contains(&n[8..]), "{}", r.stderr);
    // `rules check` on it
    let out = Command::cargo_bin("leakscan")
        .unwrap()
        .current_dir(dir.path())
        .args(["rules", "check", &cfg])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains(&n), "{err}");
    // a missing or broken baseline
    let baseline = format!("baseline_{n}.json");
    let r = run(dir.path(), &["--baseline", &baseline, "in.txt"]);
    clean_error("missing baseline", &r, &n);
    fs::write(dir.path().join(&baseline), "{ not json").unwrap();
    let r = run(dir.path(), &["--baseline", &baseline, "in.txt"]);
    clean_error("broken baseline", &r, &n);
    // a fingerprint key file that is too short
    let key = format!("key_{n}");
    fs::write(dir.path().join(&key), "short").unwrap();
    let r = run(dir.path(), &["--fingerprint-key-file", &key, "in.txt"]);
    clean_error("short key", &r, &n);
}
