//! End-to-end: the real `leakscan` binary on trees built in a temp dir.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::Path;
use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;
use common::Rng;
use serde_json::Value;

const KEY: &str = "e2e-test-fingerprint-key-0123456789";

fn leakscan() -> Command {
    let mut cmd = Command::cargo_bin("leakscan").unwrap();
    cmd.env("LEAKSCAN_FINGERPRINT_KEY", KEY)
        .env_remove("NO_COLOR")
        .timeout(Duration::from_secs(60));
    cmd
}

fn run(args: &[&str]) -> Output {
    leakscan().args(args).output().unwrap()
}

fn jsonl(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
        .collect()
}

fn of_type<'a>(records: &'a [Value], t: &str) -> Vec<&'a Value> {
    records.iter().filter(|r| r["type"] == t).collect()
}

fn summary(records: &[Value]) -> &Value {
    let last = records.last().expect("a summary record");
    assert_eq!(last["type"], "summary");
    last
}

fn write(dir: &Path, rel: &str, data: impl AsRef<[u8]>) {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, data).unwrap();
}

/// A tree with one planted item of every category, and decoys.
struct Planted {
    dir: tempfile::TempDir,
    raw: Vec<String>,
}

fn planted_tree() -> Planted {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut rng = Rng(99);
    let (n1, n2, card) = (rng.my_number(), rng.my_number(), rng.visa());
    let password = format!("Pw{}!x", rng.digits(8));
    let ghp = format!("ghp_{}", "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5");
    write(d, "hr/staff.csv", format!("name,マイナンバー\nA,{n1}\n"));
    write(d, "hr/notes.txt", format!("個人番号は {n2} です\n"));
    write(
        d,
        "pay/orders.json",
        format!("{{\"card_number\": \"{card}\"}}\n"),
    );
    write(
        d,
        "cfg/.env",
        format!("DB_PASSWORD={password}\nGITHUB_TOKEN={ghp}\n"),
    );
    write(
        d,
        "scans/passport_front.jpg",
        b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00",
    );
    // decoys
    write(
        d,
        "decoy/log.txt",
        format!("id={}0 ts=202403011200 pi=3.14159265358979\n", &n1[..11]),
    );
    write(d, "decoy/logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    write(
        d,
        "decoy/conf.yaml",
        "password: ${DB_PASSWORD}\napi_key: <your-api-key>\n",
    );
    write(d, "decoy/passport.txt", "passport renewal instructions\n");
    Planted {
        dir,
        raw: vec![n1, n2, card, password, ghp],
    }
}

fn finding_set(records: &[Value]) -> BTreeSet<(String, String)> {
    of_type(records, "finding")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule_id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn finds_every_category_and_no_decoy() {
    let t = planted_tree();
    let root = t.dir.path().to_str().unwrap();
    let out = run(&["scan", "--format", "jsonl", root]);
    assert_eq!(out.status.code(), Some(1));
    let records = jsonl(&out);
    let p = |rel: &str| format!("{root}/{rel}");
    let expected: BTreeSet<(String, String)> = [
        (p("cfg/.env"), "github-token"),
        (p("cfg/.env"), "password-assignment"),
        (p("hr/notes.txt"), "my_number"),
        (p("hr/staff.csv"), "my_number"),
        (p("pay/orders.json"), "payment_card"),
        (p("scans/passport_front.jpg"), "id_document"),
    ]
    .into_iter()
    .map(|(a, b)| (a, b.to_string()))
    .collect();
    assert_eq!(finding_set(&records), expected);
    let s = summary(&records);
    assert_eq!(s["files_scanned"], 9);
    assert_eq!(s["findings"], 6);
    assert_eq!(s["findings_by_category"]["my_number"], 2);
    assert_eq!(s["exit_code"], 1);
    for f in of_type(&records, "finding") {
        for field in [
            "rule_id",
            "category",
            "severity",
            "confidence",
            "path",
            "redacted",
            "fingerprint",
            "value_id",
        ] {
            assert!(f[field].is_string(), "{field} in {f}");
        }
        assert_eq!(f["schema_version"], "1.0");
    }
}

#[test]
fn raw_values_never_appear_without_show_secrets() {
    let t = planted_tree();
    let root = t.dir.path().to_str().unwrap();
    for format in ["text", "jsonl", "json"] {
        let out = run(&["scan", "--format", format, "--min-confidence", "low", root]);
        let all = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
        let all = String::from_utf8_lossy(&all);
        for raw in &t.raw {
            assert!(!all.contains(raw.as_str()), "{format} output leaks {raw}");
        }
    }
    let out = run(&["scan", "--format", "jsonl", "--show-secrets", root]);
    let text = String::from_utf8_lossy(&out.stdout);
    for raw in &t.raw {
        assert!(text.contains(raw.as_str()), "--show-secrets hides {raw}");
    }
}

#[test]
fn fingerprints_are_stable_and_keyed() {
    let t = planted_tree();
    let root = t.dir.path().to_str().unwrap();
    let fps = |key: &str| -> Vec<String> {
        let out = leakscan()
            .env("LEAKSCAN_FINGERPRINT_KEY", key)
            .args(["scan", "--format", "jsonl", root])
            .output()
            .unwrap();
        of_type(&jsonl(&out), "finding")
            .iter()
            .map(|f| f["fingerprint"].as_str().unwrap().to_string())
            .collect()
    };
    let a = fps(KEY);
    assert_eq!(a, fps(KEY));
    assert_ne!(a, fps("a-completely-different-key-987654321"));
}

#[test]
fn exit_codes() {
    let t = planted_tree();
    let root = t.dir.path().to_str().unwrap();
    let clean = tempfile::tempdir().unwrap();
    write(clean.path(), "a.txt", "nothing to see\n");
    let clean_root = clean.path().to_str().unwrap();
    assert_eq!(run(&["scan", clean_root]).status.code(), Some(0));
    assert_eq!(run(&["scan", root]).status.code(), Some(1));
    assert_eq!(
        run(&["scan", "--fail-on", "never", root]).status.code(),
        Some(0)
    );
    // the planted tree's worst finding is critical; only `high` ones remain below
    assert_eq!(
        run(&["scan", "--fail-on", "critical", &format!("{root}/pay")])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&["scan", "--fail-on", "high", &format!("{root}/pay")])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        run(&["scan", "/definitely/not/here"]).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&["scan", "--format", "xml", root]).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&["scan", "--max-file-size", "12Q", root]).status.code(),
        Some(2)
    );
}

#[test]
fn help_and_version() {
    let out = run(&["scan", "--help"]);
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--format",
        "--output",
        "--threads",
        "--exclude",
        "--follow-symlinks",
        "--max-file-size",
        "--min-confidence",
        "--fail-on",
        "--show-secrets",
    ] {
        assert!(help.contains(flag), "--help lacks {flag}");
    }
    let out = run(&["--version"]);
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn odd_files_are_counted_and_never_hang() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "ok.txt", "hello\n");
    let fifo = d.join("pipe");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    symlink(d, d.join("loop")).unwrap();
    symlink(d.join("missing-target"), d.join("dangling")).unwrap();

    // not following links: both links are skipped as symlinks
    let out = run(&["scan", "--format", "jsonl", d.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let recs = jsonl(&out);
    let s = summary(&recs);
    assert_eq!(s["files_scanned"], 1);
    assert_eq!(s["skipped_by_reason"]["fifo"], 1);
    assert_eq!(s["skipped_by_reason"]["symlink"], 2);
    assert_eq!(of_type(&recs, "skipped").len(), 3);

    // following links: the loop is detected, the dangling link counted
    let out = run(&[
        "scan",
        "--format",
        "jsonl",
        "--follow-symlinks",
        d.to_str().unwrap(),
    ]);
    let recs = jsonl(&out);
    let s = summary(&recs);
    assert_eq!(s["skipped_by_reason"]["symlink_loop"], 1);
    assert_eq!(s["skipped_by_reason"]["broken_symlink"], 1);
    assert_eq!(s["skipped_by_reason"]["fifo"], 1);

    // a FIFO named directly is not opened either
    let out = run(&["scan", "--format", "jsonl", fifo.to_str().unwrap()]);
    assert_eq!(summary(&jsonl(&out))["skipped_by_reason"]["fifo"], 1);
}

/// Runs leakscan as an unprivileged user when the tests run as root, so an
/// unreadable file really is unreadable.
fn unprivileged(args: &[&str]) -> Output {
    let is_root = unsafe { libc_geteuid() } == 0;
    if !is_root {
        return run(args);
    }
    let bin = assert_cmd::cargo::cargo_bin("leakscan");
    let mut cmd = Command::new("setpriv");
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(bin)
        .args(args)
        .env("LEAKSCAN_FINGERPRINT_KEY", KEY)
        .timeout(Duration::from_secs(60));
    cmd.output().unwrap()
}

extern "C" {
    #[link_name = "geteuid"]
    fn libc_geteuid() -> u32;
}

#[test]
fn unreadable_file_makes_the_scan_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::set_permissions(d, fs::Permissions::from_mode(0o755)).unwrap();
    write(d, "ok.txt", "hello\n");
    write(d, "secret.txt", "DB_PASSWORD=hunter2hunter2\n");
    fs::set_permissions(d.join("ok.txt"), fs::Permissions::from_mode(0o644)).unwrap();
    fs::set_permissions(d.join("secret.txt"), fs::Permissions::from_mode(0o000)).unwrap();
    let out = unprivileged(&["scan", "--format", "jsonl", d.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs = jsonl(&out);
    let errors = of_type(&recs, "error");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["reason"], "permission_denied");
    assert!(errors[0]["path"].as_str().unwrap().ends_with("secret.txt"));
    let s = summary(&recs);
    assert_eq!(s["files_scanned"], 1);
    assert_eq!(s["files_failed"], 1);
    assert_eq!(s["exit_code"], 3);

    // text output names the file on stderr and says the scan is incomplete
    let out = unprivileged(&["scan", d.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("secret.txt"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("incomplete"));
}

#[test]
fn vanished_file_is_counted_not_fatal() {
    use leakscan::inputs::fs::FileSource;
    use leakscan::outcome::{Outcome, SkipReason};
    use leakscan::scan::{FileScanner, ScanOptions};
    let opts = ScanOptions::default();
    let mut scanner = FileScanner::new(common::detectors(), common::fingerprinter(), &opts);
    let r = scanner.scan(
        0,
        &FileSource::named("/nonexistent/vanished.txt"),
        "vanished.txt",
        "vanished.txt",
    );
    assert!(
        matches!(r.outcome, Outcome::Skipped(SkipReason::Vanished)),
        "{:?}",
        r.outcome
    );
}

#[test]
fn listed_file_swapped_after_the_walk_is_never_followed_or_hung_on() {
    use leakscan::inputs::fs::FileSource;
    use leakscan::outcome::{Outcome, SkipReason};
    use leakscan::scan::{FileScanner, ScanOptions};
    let d = tempfile::tempdir().unwrap();
    let secret = d.path().join("secret.txt");
    fs::write(&secret, format!("マイナンバー {}\n", Rng(5).my_number())).unwrap();
    // listed as a regular file, then replaced by a symlink to one
    let link = d.path().join("was-regular.txt");
    symlink(&secret, &link).unwrap();
    // listed as a regular file, then replaced by a FIFO with no writer
    let fifo = d.path().join("was-regular.fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);

    let opts = ScanOptions::default();
    let mut scanner = FileScanner::new(common::detectors(), common::fingerprinter(), &opts);
    let r = scanner.scan(0, &FileSource::listed(link.clone()), "l", "l");
    assert!(
        matches!(r.outcome, Outcome::Skipped(SkipReason::Symlink)),
        "{:?}",
        r.outcome
    );
    assert!(r.findings.is_empty());
    // opened without blocking: it reads as empty, and the scan goes on
    let r = scanner.scan(1, &FileSource::listed(fifo.clone()), "f", "f");
    assert!(
        matches!(r.outcome, Outcome::Scanned { .. }),
        "{:?}",
        r.outcome
    );
    // named on the command line, the same FIFO is checked and skipped
    let r = scanner.scan(2, &FileSource::named(fifo), "f", "f");
    assert!(
        matches!(r.outcome, Outcome::Skipped(SkipReason::Fifo)),
        "{:?}",
        r.outcome
    );
    // the size limit still holds for listed files
    let opts = ScanOptions {
        max_file_size: Some(4),
        ..ScanOptions::default()
    };
    let mut scanner = FileScanner::new(common::detectors(), common::fingerprinter(), &opts);
    let r = scanner.scan(3, &FileSource::listed(secret), "s", "s");
    assert!(
        matches!(r.outcome, Outcome::Skipped(SkipReason::TooLarge)),
        "{:?}",
        r.outcome
    );
}

#[test]
fn stdin_output_file_exclude_and_size_limit() {
    let mut rng = Rng(11);
    let n = rng.my_number();
    let out = leakscan()
        .args(["scan", "--format", "jsonl", "-"])
        .write_stdin(format!("マイナンバー {n}\n"))
        .output()
        .unwrap();
    let recs = jsonl(&out);
    assert_eq!(of_type(&recs, "finding")[0]["path"], "<stdin>");

    let t = planted_tree();
    let root = t.dir.path().to_str().unwrap();
    let report = tempfile::tempdir().unwrap();
    let report_path = report.path().join("report.json");
    let out = run(&[
        "scan",
        "--format",
        "json",
        "-o",
        report_path.to_str().unwrap(),
        root,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let mode = fs::metadata(&report_path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let doc: Value = serde_json::from_slice(&fs::read(&report_path).unwrap()).unwrap();
    assert_eq!(doc["findings"].as_array().unwrap().len(), 6);
    assert_eq!(doc["summary"]["type"], "summary");

    let out = run(&[
        "scan",
        "--format",
        "jsonl",
        "--exclude",
        "hr",
        "--exclude",
        "*.json",
        root,
    ]);
    let recs = jsonl(&out);
    let s = summary(&recs);
    assert_eq!(s["skipped_by_reason"]["excluded"], 2);
    assert!(finding_set(&recs)
        .iter()
        .all(|(p, _)| !p.contains("/hr/") && !p.ends_with(".json")));

    let out = run(&["scan", "--format", "jsonl", "--max-file-size", "20", root]);
    let s = summary(&jsonl(&out)).clone();
    assert!(s["skipped_by_reason"]["too_large"].as_u64().unwrap() >= 5);
}

#[test]
fn output_is_identical_across_runs_and_thread_counts() {
    let t = planted_tree();
    let root = t.dir.path().to_str().unwrap();
    let strip = |o: Output| {
        let mut recs = jsonl(&o);
        recs.pop(); // the summary carries the elapsed time
        recs
    };
    let one = strip(run(&["scan", "--format", "jsonl", "--threads", "1", root]));
    let four = strip(run(&["scan", "--format", "jsonl", "--threads", "4", root]));
    assert_eq!(one, four);

    // many files, a few of them large: results finish far out of walk order
    let d = tempfile::tempdir().unwrap();
    let mut rng = Rng(77);
    for i in 0..300 {
        let filler = if i % 25 == 3 { 2 << 20 } else { 10 };
        let text = format!("{}\nマイナンバー {}\n", "x".repeat(filler), rng.my_number());
        fs::write(d.path().join(format!("f{i:03}.txt")), text).unwrap();
    }
    let root = d.path().to_str().unwrap();
    let one = strip(run(&["scan", "--format", "jsonl", "--threads", "1", root]));
    let four = strip(run(&["scan", "--format", "jsonl", "--threads", "4", root]));
    assert_eq!(one.len(), 300);
    assert_eq!(one, four);
}

/// A reader that stops early (`leakscan ... | head -1`) ends the scan: the
/// walker and the workers stop instead of waiting on each other.
#[test]
fn closed_output_pipe_stops_the_scan() {
    let d = tempfile::tempdir().unwrap();
    let mut rng = Rng(5);
    for i in 0..2000 {
        let text = format!("マイナンバー {}\n", rng.my_number());
        fs::write(d.path().join(format!("f{i:04}.txt")), text).unwrap();
    }
    for threads in ["1", "2", "4"] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("leakscan"))
            .env("LEAKSCAN_FINGERPRINT_KEY", KEY)
            .args(["scan", "--format", "jsonl", "--threads", threads])
            .arg(d.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut first = String::new();
        let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
        std::io::BufRead::read_line(&mut out, &mut first).unwrap();
        assert!(first.contains(r#""type":"finding""#), "{first}");
        drop(out);
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "--threads {threads}: hung"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(
            status.code(),
            Some(141),
            "--threads {threads}: a closed pipe ends the scan as SIGPIPE would"
        );
    }
}

/// A file that takes long (here stdin, held open) must not let the walk run
/// arbitrarily far ahead: the results that finish behind it wait in memory.
/// While stdin stays open the scan reads about 16k of the 40k files (as
/// /proc's read-byte count shows), then all of them once it closes.
#[test]
fn the_walk_waits_for_a_slow_file_instead_of_buffering_every_result() {
    let d = tempfile::tempdir().unwrap();
    let line = format!("{}\n", "x".repeat(999));
    for i in 0..40_000 {
        let sub = d.path().join(format!("{:02}", i / 1000));
        if i % 1000 == 0 {
            fs::create_dir(&sub).unwrap();
        }
        fs::write(sub.join(format!("f{i:05}.txt")), &line).unwrap();
    }
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("leakscan"))
        .env("LEAKSCAN_FINGERPRINT_KEY", KEY)
        .args(["scan", "--format", "jsonl", "--threads", "2", "-"])
        .arg(d.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let read_bytes = || -> u64 {
        let io = fs::read_to_string(format!("/proc/{}/io", child.id())).unwrap();
        io.lines()
            .find_map(|l| l.strip_prefix("rchar: "))
            .unwrap()
            .parse()
            .unwrap()
    };
    // wait until reading stops (or 60 s)
    let (mut last, mut still) = (u64::MAX, 0);
    for _ in 0..600 {
        std::thread::sleep(Duration::from_millis(100));
        let now = read_bytes();
        still = if now == last { still + 1 } else { 0 };
        last = now;
        if still == 10 {
            break;
        }
    }
    assert!(still == 10, "still reading after 60 s");
    assert!(last > 10_000_000, "read only {last} bytes");
    assert!(
        last < 25_000_000,
        "read {last} bytes of 40 MB with stdin still open"
    );
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    let records: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(summary(&records)["files_scanned"], 40_001);
}

#[test]
fn rules_lists_every_rule() {
    let out = run(&["rules", "--format", "json"]);
    assert!(out.status.success());
    let rules: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let ids: BTreeSet<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for id in [
        "my_number",
        "payment_card",
        "id_document",
        "private-key",
        "aws-access-key-id",
        "password-assignment",
    ] {
        assert!(ids.contains(id), "{id} missing");
    }
    let out = run(&["rules"]);
    assert!(String::from_utf8(out.stdout).unwrap().contains("my_number"));
}

#[test]
fn example_bucket_dump_finds_every_planted_item() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/bucket-dump");
    let out = run(&["scan", "--format", "jsonl", root]);
    assert_eq!(out.status.code(), Some(1));
    let recs = jsonl(&out);
    let got: BTreeSet<(String, String)> = finding_set(&recs)
        .into_iter()
        .map(|(p, r)| {
            (
                p.trim_start_matches(root)
                    .trim_start_matches('/')
                    .to_string(),
                r,
            )
        })
        .collect();
    let want: BTreeSet<(String, String)> = [
        ("backups/hr-2023.tar.gz", "my_number"),
        ("backups/home/deploy/.git-credentials", "github-token"),
        ("backups/home/deploy/.ssh/id_rsa", "private-key"),
        ("config/app.env", "password-assignment"),
        ("config/app.env", "aws-access-key-id"),
        ("config/app.env", "aws-secret-access-key"),
        ("config/settings.yaml", "slack-token"),
        ("hr/employees_2024.csv", "my_number"),
        ("hr/forms/扶養控除等申告書_yamada.txt", "my_number"),
        ("hr/forms/本人確認書類_suzuki.txt", "jp_drivers_license"),
        ("hr/id-scans/passport_tanaka.png", "id_document"),
        ("hr/id-scans/マイナンバーカード_裏_0001.jpg", "id_document"),
        ("hr/id-scans/本人確認/IMG_2041.HEIC", "id_document"),
        ("hr/id-scans/運転免許証_suzuki.dat", "id_document"),
        ("payments/orders-2024-03.jsonl", "payment_card"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(got, want);
    let s = summary(&recs);
    assert_eq!(s["findings"], 22);
    assert_eq!(s["findings_by_category"]["my_number"], 9);
    assert_eq!(s["findings_by_category"]["jp_identifier"], 1);
    assert_eq!(s["findings_by_category"]["payment_card"], 2);
    assert_eq!(s["findings_by_category"]["id_document"], 4);
    assert_eq!(s["findings_by_category"]["credential"], 6);
    // decoys: the official example, a bare number and a test card stay below the threshold
    assert_eq!(s["below_min_confidence"], 3);
}

fn schema() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(include_str!("../docs/schema.json")).unwrap();
    jsonschema::validator_for(&schema).expect("docs/schema.json is a valid JSON Schema")
}

#[test]
fn every_jsonl_record_validates_against_docs_schema() {
    let validator = schema();
    let t = planted_tree();
    let d = t.dir.path();
    symlink(d.join("nowhere"), d.join("dangling")).unwrap();
    let root = d.to_str().unwrap();
    for args in [
        vec!["scan", "--format", "jsonl", "--min-confidence", "low", root],
        vec!["scan", "--format", "jsonl", "--show-secrets", root],
    ] {
        let recs = jsonl(&run(&args));
        assert!(of_type(&recs, "finding").len() >= 6 && of_type(&recs, "skipped").len() == 1);
        for r in &recs {
            let errors: Vec<String> = validator.iter_errors(r).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{r}: {errors:?}");
        }
    }
    let doc: Value =
        serde_json::from_slice(&run(&["scan", "--format", "json", root]).stdout).unwrap();
    for r in doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .chain(doc["skipped"].as_array().unwrap())
        .chain([&doc["summary"]])
    {
        assert!(validator.is_valid(r), "{r}");
    }
}

#[test]
fn threads_are_between_one_and_256() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    for (n, code) in [("0", 2), ("257", 2), ("5000", 2), ("256", 0), ("1", 0)] {
        let out = run(&["scan", "--no-config", "--quiet", "--threads", n, root]);
        assert_eq!(out.status.code(), Some(code), "--threads {n}");
        if code == 2 {
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains("--threads must be"), "{err}");
        }
    }
}
