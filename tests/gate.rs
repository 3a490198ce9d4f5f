//! leakscan as a CI gate: baselines, inline ignores, the config file,
//! `--files-from` and `--staged`, run through the real binary.

mod common;

use std::fs;
use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use common::Rng;
use serde_json::Value;

const KEY: &str = "gate-test-key-0123456789abcdef";

fn leakscan(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("leakscan").unwrap();
    cmd.current_dir(dir)
        .env("LEAKSCAN_FINGERPRINT_KEY", KEY)
        .env_remove("GITHUB_STEP_SUMMARY")
        .timeout(Duration::from_secs(60));
    cmd
}

fn write(dir: &Path, rel: &str, data: impl AsRef<[u8]>) {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, data).unwrap();
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    records: Vec<Value>,
}

impl Run {
    fn findings(&self) -> Vec<&Value> {
        self.records
            .iter()
            .filter(|r| r["type"] == "finding")
            .collect()
    }

    fn summary(&self) -> &Value {
        self.records
            .iter()
            .find(|r| r["type"] == "summary")
            .expect("a summary record")
    }

    /// (path, rule_id) of each finding, in output order.
    fn found(&self) -> Vec<(String, String)> {
        self.findings()
            .iter()
            .map(|f| {
                (
                    f["path"].as_str().unwrap().to_string(),
                    f["rule_id"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }
}

/// `leakscan scan --format jsonl ARGS...` in `dir`.
fn scan(dir: &Path, args: &[&str]) -> Run {
    let out = leakscan(dir)
        .arg("scan")
        .args(["--format", "jsonl"])
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let records = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON record a line"))
        .collect();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout,
        stderr: String::from_utf8(out.stderr).unwrap(),
        records,
    }
}

fn assert_no_raw(run: &Run, raw: &[&str], extra: &str) {
    for r in raw {
        assert!(!run.stdout.contains(r), "raw value in stdout");
        assert!(!run.stderr.contains(r), "raw value in stderr");
        assert!(!extra.contains(r), "raw value in a written file");
    }
}

#[test]
fn baseline_survives_line_moves_but_not_copies() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut rng = Rng(4242);
    let (n, pw) = (rng.my_number(), format!("Zq{}-k", rng.digits(10)));
    write(d, "hr/staff.csv", format!("name,my_number\nA,{n}\n"));
    write(d, "app/.env", format!("DB_PASSWORD={pw}\n"));

    let first = scan(d, &["--write-baseline", "baseline.json", "."]);
    assert_eq!(
        first.code, 0,
        "writing a baseline accepts the findings: {}",
        first.stderr
    );
    assert!(
        first.stderr.contains("wrote 2 findings to baseline"),
        "{}",
        first.stderr
    );
    let baseline = fs::read_to_string(d.join("baseline.json")).unwrap();
    assert_no_raw(&first, &[&n, &pw], &baseline);
    // every fingerprint is an HMAC under the key, not a plain hash of the value
    for value in [&n, &pw] {
        let plain =
            leakscan::fingerprint::Fingerprinter::new(b"").value_id("my_number", value.as_bytes());
        assert!(!baseline.contains(&plain));
    }
    // stable: sorted, one finding a line, identical when written again
    let lines: Vec<&str> = baseline
        .lines()
        .filter(|l| l.contains("\"fingerprint\""))
        .collect();
    assert_eq!(lines.len(), 2);
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted);
    scan(d, &["--write-baseline", "again.json", "."]);
    assert_eq!(baseline, fs::read_to_string(d.join("again.json")).unwrap());

    // nothing new: clean, and the summary counts what the baseline hid
    let same = scan(
        d,
        &["--baseline", "baseline.json", "--exclude", "*.json", "."],
    );
    assert_eq!(same.code, 0, "{}", same.stderr);
    assert!(same.findings().is_empty());
    assert_eq!(same.summary()["suppressed_by_baseline"], 2);

    // lines inserted above and edits elsewhere keep the finding suppressed
    write(
        d,
        "hr/staff.csv",
        format!("name,my_number\nX,\nY,\nZ,\nA,{n}\nB,\n"),
    );
    write(
        d,
        "app/.env",
        format!("# new comment\nDEBUG=1\nDB_PASSWORD={pw}\n"),
    );
    let moved = scan(
        d,
        &["--baseline", "baseline.json", "--exclude", "*.json", "."],
    );
    assert_eq!(moved.code, 0, "{:?}", moved.found());
    assert_eq!(moved.summary()["suppressed_by_baseline"], 2);

    // the same secret copied into a new file is reported
    write(
        d,
        "backup/staff-copy.csv",
        format!("name,my_number\nA,{n}\n"),
    );
    let copied = scan(
        d,
        &["--baseline", "baseline.json", "--exclude", "*.json", "."],
    );
    assert_eq!(copied.code, 1);
    assert_eq!(
        copied.found(),
        vec![(
            "./backup/staff-copy.csv".to_string(),
            "my_number".to_string()
        )]
    );
    assert_eq!(copied.summary()["suppressed_by_baseline"], 2);
    // ... and a SIEM can still tie it to the baselined one by its value_id
    let first_value_id = first
        .findings()
        .iter()
        .find(|f| f["rule_id"] == "my_number")
        .unwrap()["value_id"]
        .clone();
    assert_eq!(copied.findings()[0]["value_id"], first_value_id);
}

#[test]
fn baseline_errors_are_clear() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "clean.txt", "nothing\n");
    let missing = scan(d, &["--baseline", "nope.json", "."]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("nope.json"), "{}", missing.stderr);

    write(d, "garbage.json", "{\"not\": \"a baseline\"}");
    let garbage = scan(d, &["--baseline", "garbage.json", "."]);
    assert_eq!(garbage.code, 2);
    assert!(
        garbage.stderr.contains("is not a leakscan baseline"),
        "{}",
        garbage.stderr
    );

    scan(d, &["--write-baseline", "b.json", "."]);
    let out = leakscan(d)
        .env("LEAKSCAN_FINGERPRINT_KEY", "some-other-key-0123456789")
        .args(["scan", "--baseline", "b.json", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("another fingerprint key"));
}

#[test]
fn inline_ignore_suppresses_its_line_only() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut rng = Rng(99);
    let (a, b, c) = (rng.my_number(), rng.my_number(), rng.my_number());
    write(
        d,
        "notes.txt",
        format!(
            "my number: {a}  # leakscan:ignore\n\
             my number: {b}  # leakscan:ignore=payment_card\n\
             my number: {c}  # leakscan:ignore=aws-access-key,my_number\n"
        ),
    );
    let run = scan(d, &["."]);
    assert_eq!(run.code, 1);
    let lines: Vec<i64> = run
        .findings()
        .iter()
        .map(|f| f["line"].as_i64().unwrap())
        .collect();
    assert_eq!(
        lines,
        vec![2],
        "only the line whose marker names another rule is reported"
    );
    assert_eq!(run.summary()["suppressed_inline"], 2);

    // the text summary says so too
    let text = leakscan(d).args(["scan", "."]).output().unwrap();
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        stdout.contains("2 suppressed by leakscan:ignore"),
        "{stdout}"
    );
}

/// A tree with a My Number, a password and a custom ACME token.
fn config_tree() -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // the repository you run in: its `.leakscan.toml` is trusted
    git(d, &["init", "-q"]);
    let mut rng = Rng(31337);
    let n = rng.my_number();
    let pw = format!("Qx{}-p", rng.digits(10));
    let token = format!("acme_{}", rng.digits(24));
    write(d, "hr/staff.csv", format!("name,my_number\nA,{n}\n"));
    write(d, "app/.env", format!("DB_PASSWORD={pw}\n"));
    write(d, "app/settings.py", format!("ACME = \"{token}\"\n"));
    write(
        d,
        "fixtures/sample.csv",
        format!("name,my_number\nB,{}\n", rng.my_number()),
    );
    write(
        d,
        "vendor/lib.env",
        format!("SMTP_PASSWORD=Vv{}x\n", rng.digits(12)),
    );
    (dir, vec![n, pw, token])
}

const CONFIG: &str = r#"# leakscan settings for this tree
exclude = ["vendor"]
fail_on = "critical"

[allowlist]
paths = ["fixtures/**"]

[severity]
my_number = "low"

[[rule]]
id = "acme-token"
description = "ACME API token"
severity = "critical"
keywords = ["acme_"]
regex = '(?P<secret>acme_[0-9]{24})'
examples = ['key = "acme_012345678901234567890123"']
negative = ["acme_123 is too short"]
"#;

#[test]
fn config_file_at_the_scan_root_applies() {
    let (dir, raw) = config_tree();
    let d = dir.path();
    let before = scan(d, &["."]);
    assert!(before.found().iter().any(|(p, _)| p.contains("fixtures")));
    assert!(!before.found().iter().any(|(_, r)| r == "acme-token"));

    write(d, ".leakscan.toml", CONFIG);
    let run = scan(d, &["."]);
    let found = run.found();
    assert!(
        found.contains(&("./app/settings.py".into(), "acme-token".into())),
        "{found:?}"
    );
    assert!(
        !found
            .iter()
            .any(|(p, _)| p.contains("fixtures") || p.contains("vendor")),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(p, _)| p.contains(".leakscan.toml")),
        "the config's own examples: {found:?}"
    );
    let mn = run
        .findings()
        .into_iter()
        .find(|f| f["rule_id"] == "my_number")
        .unwrap()
        .clone();
    assert_eq!(mn["severity"], "low", "severity override");
    let s = run.summary();
    assert_eq!(s["skipped_by_reason"]["excluded"], 1);
    assert_eq!(
        s["suppressed_by_allowlist"], 2,
        "fixtures/ and the config's example"
    );
    // fail_on = critical: the custom critical rule blocks
    assert_eq!(run.code, 1);
    assert_no_raw(
        &run,
        &raw.iter().map(String::as_str).collect::<Vec<_>>(),
        "",
    );

    // allowlisting the custom rule's finding by fingerprint and the
    // generic password by rule id leaves nothing at or above critical
    let fp = run
        .findings()
        .into_iter()
        .find(|f| f["rule_id"] == "acme-token")
        .unwrap()["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    let pw_rule = found
        .iter()
        .find(|(p, _)| p.ends_with(".env"))
        .unwrap()
        .1
        .clone();
    let cfg = CONFIG.replace(
        "paths = [\"fixtures/**\"]",
        &format!("paths = [\"fixtures/**\"]\nfingerprints = [\"{fp}\"]\nrules = [\"{pw_rule}\"]"),
    );
    write(d, ".leakscan.toml", &cfg);
    let quiet = scan(d, &["."]);
    assert_eq!(quiet.code, 0, "{:?}", quiet.found());
    assert_eq!(
        quiet.found(),
        vec![("./hr/staff.csv".to_string(), "my_number".to_string())]
    );
    // command-line flags win over the config
    assert_eq!(scan(d, &["--fail-on", "low", "."]).code, 1);
    // --no-config ignores it
    let plain = scan(d, &["--no-config", "."]);
    assert!(plain.found().iter().any(|(p, _)| p.contains("fixtures")));
    // --config names another file
    write(d, "other.toml", "[allowlist]\nrules = [\"my_number\"]\n");
    let other = scan(d, &["--config", "other.toml", "hr"]);
    assert_eq!(other.code, 0);
    assert_eq!(other.summary()["suppressed_by_allowlist"], 1);
}

#[test]
fn a_config_shipped_inside_scanned_data_is_never_read() {
    // a bucket copy that ships a config silencing everything
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("dump");
    let n = Rng(4242).my_number();
    write(&dump, "hr/staff.csv", format!("name,個人番号\nA,{n}\n"));
    let silence = "exclude = [\"*\"]\nfail_on = \"never\"\n[allowlist]\nrules = [\"my_number\"]\n";
    write(&dump, ".leakscan.toml", silence);
    // scanned from outside, and from inside (not a git work tree either way)
    for (cwd, path) in [(dir.path(), "dump"), (dump.as_path(), ".")] {
        let run = scan(cwd, &[path]);
        assert_eq!(run.code, 1, "{path}: {}", run.stderr);
        assert!(run.found().iter().any(|(_, r)| r == "my_number"));
        assert!(run.stderr.contains("not trusted"), "{}", run.stderr);
    }
    // applied only when asked for: --config, or LEAKSCAN_CONFIG
    let cfg = dump.join(".leakscan.toml");
    let run = scan(dir.path(), &["--config", cfg.to_str().unwrap(), "dump"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = leakscan(dir.path())
        .env("LEAKSCAN_CONFIG", &cfg)
        .args(["scan", "--format", "jsonl", "dump"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn config_errors_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    write(d, "a.txt", "nothing\n");
    let cases = [
        ("fail_on = \"high\"\nexclud = [\"x\"]\n", ":", "line 2", "exclud"),
        ("fail_on = \"sometimes\"\n", ":", "line 1", "sometimes"),
        ("\n[severity]\nno-such-rule = \"low\"\n", ".leakscan.toml:3", "", "unknown rule id"),
        (
            "\n\n[[rule]]\nid = \"bad\"\ndescription = \"d\"\nseverity = \"high\"\nkeywords = [\"k\"]\nregex = 'k(('\n",
            ".leakscan.toml:4",
            "",
            "bad regex",
        ),
        (
            "[[rule]]\nid = \"my_number\"\ndescription = \"d\"\nseverity = \"high\"\nkeywords = [\"k\"]\nregex = 'k'\n",
            ".leakscan.toml:2",
            "",
            "already exists",
        ),
        ("exclude = [\"a[\"]\n", ".leakscan.toml:1", "", "bad exclude glob"),
    ];
    for (text, place, line, what) in cases {
        write(d, ".leakscan.toml", text);
        let run = scan(d, &["."]);
        assert_eq!(run.code, 2, "{text:?}: {}", run.stderr);
        assert!(
            run.stderr.contains(".leakscan.toml"),
            "{text:?}: {}",
            run.stderr
        );
        assert!(run.stderr.contains(place), "{text:?}: {}", run.stderr);
        assert!(run.stderr.contains(line), "{text:?}: {}", run.stderr);
        assert!(run.stderr.contains(what), "{text:?}: {}", run.stderr);
    }
}

#[test]
fn rules_check_runs_a_files_examples() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "good.toml", CONFIG);
    let out = leakscan(d)
        .args(["rules", "check", "good.toml"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("ok   acme-token: 1 examples, 1 negative examples"),
        "{stdout}"
    );

    // an example the regex misses and a negative it reports both fail
    let bad = CONFIG
        .replace(
            "examples = ['key = \"acme_012345678901234567890123\"']",
            "examples = ['acme_0123']",
        )
        .replace(
            "negative = [\"acme_123 is too short\"]",
            "negative = ['acme_999999999999999999999999']",
        );
    write(d, "bad.toml", bad);
    let out = leakscan(d)
        .args(["rules", "check", "bad.toml"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("FAIL acme-token"), "{stdout}");
    assert!(stdout.contains("example 1 is not found"), "{stdout}");
    assert!(
        stdout.contains("negative example 1 is reported"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("acme_9999"),
        "examples are named, not quoted: {stdout}"
    );

    // an invalid file is a usage error
    write(d, "broken.toml", "[[rule]]\nid = 3\n");
    let out = leakscan(d)
        .args(["rules", "check", "broken.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.toml"));

    // the custom rule shows up in the rule list with --config
    let out = leakscan(d)
        .args(["rules", "--config", "good.toml"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("acme-token"));
}

#[test]
fn files_from_lists_newline_or_nul_separated() {
    let (dir, _) = config_tree();
    let d = dir.path();
    write(
        d,
        "list.txt",
        "hr/staff.csv\r\napp/.env\n\ndeleted/file.txt\n",
    );
    let run = scan(d, &["--files-from", "list.txt"]);
    let paths: Vec<String> = run.found().into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        paths,
        ["hr/staff.csv", "app/.env"],
        "in list order, as listed"
    );
    let s = run.summary();
    assert_eq!(s["files_scanned"], 2);
    assert_eq!(
        s["skipped_by_reason"]["missing"], 1,
        "a deleted file is counted, not fatal"
    );
    assert_eq!(run.code, 1);

    let out = leakscan(d)
        .args(["scan", "--format", "jsonl", "--files-from", "-"])
        .write_stdin("app/settings.py\0hr/staff.csv\0")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let s: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(s["files_scanned"], 2);
    assert!(text.contains("hr/staff.csv"));

    // excludes apply to listed files as they do when walking
    write(d, "list2.txt", "vendor/lib.env\nhr/staff.csv\n");
    let run = scan(d, &["--files-from", "list2.txt", "--exclude", "vendor"]);
    assert_eq!(run.summary()["skipped_by_reason"]["excluded"], 1);
    assert_eq!(run.summary()["files_scanned"], 1);
}

fn git(dir: &Path, args: &[&str]) {
    let st = std::process::Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "T")
        .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
        .env("GIT_COMMITTER_NAME", "T")
        .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
        .args(args)
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&st.stderr)
    );
}

#[test]
fn staged_scans_the_index_not_the_work_tree() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut rng = Rng(515);
    let (staged_n, unstaged_n) = (rng.my_number(), rng.my_number());
    git(d, &["init", "-q"]);
    write(d, "old.txt", "committed long ago\n");
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "init"]);

    // staged: a My Number, since removed from the work tree
    write(d, "hr/staff.csv", format!("name,my_number\nA,{staged_n}\n"));
    git(d, &["add", "hr/staff.csv"]);
    write(d, "hr/staff.csv", "name,my_number\n");
    // not staged: a My Number only in the work tree
    write(d, "notes.txt", "clean\n");
    git(d, &["add", "notes.txt"]);
    write(d, "notes.txt", format!("my number {unstaged_n}\n"));
    // staged, then excluded by the config
    write(d, ".leakscan.toml", "exclude = [\"vendor\"]\n");
    write(
        d,
        "vendor/x.csv",
        format!("name,my_number\nB,{}\n", rng.my_number()),
    );
    git(d, &["add", ".leakscan.toml", "vendor/x.csv"]);

    let run = scan(&d.join("hr"), &["--staged"]); // from a subdirectory too
    assert_eq!(
        run.found(),
        vec![("hr/staff.csv".to_string(), "my_number".to_string())]
    );
    let s = run.summary();
    assert_eq!(
        s["files_scanned"], 3,
        "staged: hr/staff.csv, notes.txt, .leakscan.toml"
    );
    assert_eq!(s["skipped_by_reason"]["excluded"], 1);
    assert_eq!(run.code, 1);
    assert_no_raw(&run, &[&staged_n, &unstaged_n], "");

    // nothing staged: clean
    git(d, &["commit", "-q", "-m", "x"]);
    let clean = scan(d, &["--staged"]);
    assert_eq!(clean.code, 0);
    assert_eq!(clean.summary()["files_scanned"], 0);

    // outside a git work tree: a clear error
    let outside = tempfile::tempdir().unwrap();
    let err = scan(outside.path(), &["--staged"]);
    assert_eq!(err.code, 2);
    assert!(err.stderr.contains("--staged"), "{}", err.stderr);
}

#[test]
fn github_actions_example_uses_real_flags() {
    let wf = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/github-actions/leakscan.yml"),
    )
    .unwrap();
    let help = leakscan(Path::new("."))
        .args(["scan", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let mut flags = 0;
    for line in wf.lines().filter(|l| l.contains("leakscan scan")) {
        for flag in line.split_whitespace().filter(|w| w.starts_with("--")) {
            assert!(
                help.contains(&format!("{flag} ")) || help.contains(&format!("{flag}\n")),
                "{flag} is not a flag"
            );
            flags += 1;
        }
        for value in ["sarif", "github", "never"] {
            if line.contains(&format!(" {value} ")) {
                assert!(help.contains(value));
            }
        }
    }
    assert!(flags >= 5, "the example runs leakscan with its flags");
    assert!(wf.contains("args+=(--baseline") && help.contains("--baseline <FILE>"));
    assert!(wf.contains("upload-sarif"));
}

#[test]
fn readme_config_example_is_valid_and_its_rule_passes() {
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme
        .find("```toml\n")
        .expect("a toml example in the README")
        + 8;
    let len = readme[start..].find("```").unwrap();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "readme.toml", &readme[start..start + len]);
    let out = leakscan(dir.path())
        .args(["rules", "check", "readme.toml"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("1 rules, 1 passed"), "{stdout}");
}

/// `--max-file-time`: a file (or a gzip member) read for longer is one
/// `time_limit` gap, exit 3 unless accepted, with what its first window
/// gave still reported. No timing is asserted: a budget of 1 ns has always
/// passed by a file's second window (or its gzip member's start), and a
/// file's first window is always read, so which findings come out does not
/// depend on the machine.
#[test]
fn a_file_over_its_time_budget_is_a_time_limit_gap() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(12);
    // a number in the first window, 2 MB of filler, a number past it
    let big = format!(
        "個人番号: {}\n{}個人番号: {}\n",
        rng.my_number(),
        "no identifiers on this line at all, only words.\n".repeat(40_000),
        rng.my_number()
    );
    write(dir.path(), "tree/big.txt", &big);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(big.as_bytes()).unwrap();
    write(dir.path(), "tree/big.txt.gz", gz.finish().unwrap());
    write(
        dir.path(),
        "tree/small.txt",
        format!("個人番号: {}\n", rng.my_number()),
    );

    let gaps = |r: &Run| -> Vec<(String, String)> {
        let mut g: Vec<(String, String)> = r
            .records
            .iter()
            .filter(|x| x["type"] == "skipped" || x["type"] == "error")
            .map(|x| {
                (
                    x["path"].as_str().unwrap().to_string(),
                    x["reason"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        g.sort();
        g
    };
    let found = |r: &Run, path: &str| r.found().iter().filter(|f| f.0 == path).count();

    let whole = scan(dir.path(), &["--no-config", "tree"]);
    assert_eq!(whole.code, 1, "{}", whole.stderr);
    assert!(gaps(&whole).is_empty(), "{}", whole.stdout);
    assert_eq!(found(&whole, "tree/big.txt"), 2);

    let cut = scan(
        dir.path(),
        &[
            "--no-config",
            "--fail-on",
            "never",
            "--max-file-time",
            "1ns",
            "tree",
        ],
    );
    assert_eq!(cut.code, 3, "{}", cut.stderr);
    let time_limit = |p: &str| (p.to_string(), "time_limit".to_string());
    assert_eq!(
        gaps(&cut),
        [time_limit("tree/big.txt"), time_limit("tree/big.txt.gz")]
    );
    assert_eq!(cut.summary()["gaps_by_reason"]["time_limit"], 2);
    // what the first window held is reported; the small file is whole
    assert_eq!(found(&cut, "tree/big.txt"), 1);
    assert_eq!(found(&cut, "tree/small.txt"), 1);
    // findings outrank gaps in the exit code, as for any gap
    let gated = scan(
        dir.path(),
        &["--no-config", "--max-file-time", "1ns", "tree"],
    );
    assert_eq!(gated.code, 1, "{}", gated.stderr);

    let accepted = scan(
        dir.path(),
        &[
            "--no-config",
            "--fail-on",
            "never",
            "--max-file-time",
            "1ns",
            "--accept",
            "time_limit",
            "tree",
        ],
    );
    assert_eq!(accepted.code, 0, "{}", accepted.stderr);
    assert_eq!(accepted.summary()["accepted_gaps"], 2);

    // the config's key; the flag wins over it, and 0 is no limit
    write(dir.path(), "cfg.toml", "max_file_time = \"1ns\"\n");
    let by_config = scan(
        dir.path(),
        &["--config", "cfg.toml", "--fail-on", "never", "tree"],
    );
    assert_eq!(by_config.code, 3, "{}", by_config.stderr);
    let unlimited = scan(
        dir.path(),
        &[
            "--config",
            "cfg.toml",
            "--fail-on",
            "never",
            "--max-file-time",
            "0",
            "tree",
        ],
    );
    assert_eq!(unlimited.code, 0, "{}", unlimited.stderr);
    // a PDF stops before its pages (chromium's, from tests/fixtures)
    let pdf = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf/chromium.pdf");
    write(dir.path(), "pdf/a.pdf", fs::read(pdf).unwrap());
    let args = [
        "--no-config",
        "--fail-on",
        "never",
        "--max-file-time",
        "1ns",
        "pdf",
    ];
    let cut_pdf = scan(dir.path(), &args);
    assert_eq!(cut_pdf.code, 3, "{}", cut_pdf.stderr);
    assert_eq!(gaps(&cut_pdf), [time_limit("pdf/a.pdf")]);

    let bad = scan(
        dir.path(),
        &["--no-config", "--max-file-time", "soon", "tree"],
    );
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("invalid duration"), "{}", bad.stderr);
}
