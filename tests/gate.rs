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
