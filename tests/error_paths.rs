//! Error paths of the real binary: a signal in the middle of a scan, a
//! reader that closes the pipe early, `-o` onto an input or an existing
//! file, and how OS errors are printed.
//!
//! Nothing here depends on timing for its result: the scans that are
//! interrupted or cut off write far more than a pipe holds, so they cannot
//! end before the test has acted.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::Rng;
use serde_json::Value;

const KEY: &str = "error-paths-test-fingerprint-key-0123";

/// Files in the generated tree: each gives one finding, so a scan of it
/// writes far more than a pipe buffer (64 KiB; 1 MiB at most) holds.
const FILES: usize = 5000;

/// A tree of `FILES` files with a My Number each, in walk order
/// `f0000.txt`, `f0001.txt`, ...
fn big_tree() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let mut rng = Rng(12);
    for i in 0..FILES {
        let text = format!("マイナンバー {}\n", rng.my_number());
        fs::write(d.path().join(format!("f{i:04}.txt")), text).unwrap();
    }
    d
}

fn leakscan() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("leakscan"));
    cmd.env("LEAKSCAN_FINGERPRINT_KEY", KEY)
        .env_remove("NO_COLOR");
    cmd
}

/// Runs leakscan to the end (killed after a minute).
fn run(args: &[&str]) -> Output {
    let child = leakscan()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let watchdog = Watchdog::new(&child);
    let out = child.wait_with_output().unwrap();
    drop(watchdog);
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Kills the child if it is still running after two minutes, so a hang
/// fails the test instead of blocking the suite.
struct Watchdog(Option<mpsc::Sender<()>>);

impl Watchdog {
    fn new(child: &Child) -> Watchdog {
        let pid = child.id() as libc::pid_t;
        let (tx, rx) = mpsc::channel::<()>();
        std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(Duration::from_secs(120))
            {
                eprintln!("watchdog: leakscan (pid {pid}) hung; killing it");
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
        });
        Watchdog(Some(tx))
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        if let Some(tx) = self.0.take() {
            let _ = tx.send(());
        }
    }
}

/// Starts a scan of `dir` with stdout and stderr piped, waits for its
/// first line of output, and hands back the child, that line and a reader
/// of the rest.
fn start_scan(dir: &Path, format: &str) -> (Child, String, BufReader<std::process::ChildStdout>) {
    let mut child = leakscan()
        .args(["scan", "--format", format, "--threads", "2"])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    assert!(!first.is_empty(), "no output");
    (child, first, out)
}

/// Waits for the child (which no longer writes to stdout) and reads its
/// stderr.
fn finish(mut child: Child) -> (ExitStatus, String) {
    let watchdog = Watchdog::new(&child);
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    drop(watchdog);
    (status, err)
}

/// SIGINT or SIGTERM in the middle of a scan: what was found so far comes
/// out whole and in walk order, then a summary marked `interrupted`, and
/// the exit code is 130.
fn interrupted_scan(signal: libc::c_int) {
    let tree = big_tree();
    let (child, first, mut out) = start_scan(tree.path(), "jsonl");
    // the scan cannot be over: it blocks on the full pipe until we read
    assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, signal) }, 0);
    let mut rest = String::new();
    let watchdog = Watchdog::new(&child);
    out.read_to_string(&mut rest).unwrap();
    drop(watchdog);
    let (status, err) = finish(child);
    assert_eq!(status.code(), Some(130), "stderr: {err}");

    let text = first + &rest;
    let records: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not whole JSON: {l:?}: {e}")))
        .collect();
    let (summary, others) = records.split_last().expect("records");
    assert_eq!(summary["type"], "summary", "the last record: {summary}");
    assert_eq!(summary["interrupted"], true);
    assert_eq!(summary["exit_code"], 130);
    // findings, and the files being read when the signal came (stopped at
    // their next window: skipped, interrupted)
    let findings: Vec<&Value> = others.iter().filter(|r| r["type"] == "finding").collect();
    assert!(others
        .iter()
        .all(|r| r["type"] == "finding" || r["reason"] == "interrupted"));
    // what is reported is what is counted
    assert_eq!(summary["findings"].as_u64(), Some(findings.len() as u64));
    assert!(summary["files_seen"].as_u64().unwrap() <= FILES as u64);
    // in walk order (the names sort as the walk lists them)
    let paths: Vec<&str> = findings
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert!(paths.windows(2).all(|w| w[0] < w[1]), "out of walk order");
}

#[test]
fn sigint_reports_what_was_found_and_exits_130() {
    interrupted_scan(libc::SIGINT);
}

#[test]
fn sigterm_reports_what_was_found_and_exits_130() {
    interrupted_scan(libc::SIGTERM);
}

/// SIGINT while stdin is a pipe that stays open without data: the read
/// does not block the stop; stdin is recorded as interrupted and the
/// summary comes out (before: exit 130 after the grace period, nothing
/// written).
#[test]
fn sigint_stops_a_scan_waiting_on_stdin() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_leakscan"))
        .args(["scan", "--no-config", "--format", "jsonl", "-"])
        .env("LEAKSCAN_FINGERPRINT_KEY", "error-paths-test-key-0123")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // the writer end stays open (held here) and sends one line only
    let mut input = child.stdin.take().unwrap();
    input.write_all(b"some text\n").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) },
        0
    );
    let mut out = String::new();
    let watchdog = Watchdog::new(&child);
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    drop(watchdog);
    let (status, err) = finish(child);
    drop(input);
    assert_eq!(status.code(), Some(130), "stderr: {err}");
    let records: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let summary = records.last().expect("a summary");
    assert_eq!(summary["type"], "summary", "{out}");
    assert_eq!(summary["interrupted"], true);
    assert!(records
        .iter()
        .any(|r| r["path"] == "<stdin>" && r["reason"] == "interrupted"));
    // (stopped by the poll: the grace period's hard exit writes nothing)
}

/// The text report says the scan was interrupted and is incomplete.
#[test]
fn interrupted_text_report_says_so() {
    let tree = big_tree();
    let (child, _, mut out) = start_scan(tree.path(), "text");
    assert_eq!(
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) },
        0
    );
    let mut rest = String::new();
    let watchdog = Watchdog::new(&child);
    out.read_to_string(&mut rest).unwrap();
    drop(watchdog);
    let (status, err) = finish(child);
    assert_eq!(status.code(), Some(130), "stderr: {err}");
    assert!(rest.contains("\nScanned "), "no summary: {rest:.300}");
    assert!(
        rest.contains("Interrupted: the scan was stopped before its end and is incomplete"),
        "{}",
        &rest[rest.find("\nScanned ").unwrap()..]
    );
}

/// `leakscan scan … | head -1`: the reader goes away, the scan ends quietly
/// with 141 (128 + SIGPIPE, as a shell reports a tool SIGPIPE killed),
/// never with 2, which reads as a usage error.
#[test]
fn closed_pipe_ends_quietly_with_141() {
    let tree = big_tree();
    for format in ["text", "jsonl", "csv"] {
        let (child, first, out) = start_scan(tree.path(), format);
        assert!(!first.trim().is_empty(), "{format}");
        drop(out);
        let (status, err) = finish(child);
        assert_eq!(status.code(), Some(141), "{format}: stderr: {err}");
        assert_eq!(err, "", "{format}: nothing on stderr");
    }
}

#[test]
fn output_onto_an_input_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("data");
    fs::create_dir(&dir).unwrap();
    let input = dir.join("staff.csv");
    let text = "name,password\nx,\"password=hunter2hunter2\"\n";
    fs::write(&input, text).unwrap();
    let link = d.path().join("hard-link.csv");
    fs::hard_link(&input, &link).unwrap();
    let (dir_s, input_s, link_s) = (
        dir.to_str().unwrap(),
        input.to_str().unwrap(),
        link.to_str().unwrap(),
    );
    let new_in_dir = dir.join("report.jsonl");
    let dotted = format!("{dir_s}/../data/sub-report.txt");
    let cases: [(&[&str], &str); 3] = [
        // the same file, named as input
        (&["-o", input_s, input_s], "one of the files being scanned"),
        // another name of it (same device and inode), even with --force
        (
            &["--force", "-o", link_s, input_s],
            "one of the files being scanned",
        ),
        // a file in a scanned directory
        (
            &["--force", "-o", input_s, dir_s],
            "inside the scanned directory",
        ),
    ];
    for (args, why) in cases {
        let out = run(&[&["scan"], args].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("refusing to write the report") && err.contains(why),
            "{args:?}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(out.stdout.is_empty());
        // the input is untouched and nothing was created
        assert_eq!(fs::read_to_string(&input).unwrap(), text);
        assert!(!new_in_dir.exists());
        assert!(!dir.join("sub-report.txt").exists());
    }
    // a new report inside the scanned directory, by any path: written, and
    // skipped by the walk rather than read back while it is written
    for target in [new_in_dir.to_str().unwrap(), &dotted] {
        let out = run(&["scan", "--format", "jsonl", "-o", target, dir_s]);
        assert_eq!(out.status.code(), Some(1), "{target}: {}", stderr(&out));
        let report = fs::read_to_string(target).unwrap();
        let skipped: Vec<&str> = report
            .lines()
            .filter(|l| l.contains("\"type\":\"skipped\""))
            .collect();
        assert_eq!(skipped.len(), 1, "{report}");
        assert!(skipped[0].contains("\"reason\":\"own_report\""), "{report}");
        assert!(!report.contains("\"type\":\"error\""), "{report}");
        fs::remove_file(target).unwrap();
    }
}

#[test]
fn existing_output_needs_force() {
    let d = tempfile::tempdir().unwrap();
    let data = d.path().join("data");
    fs::create_dir(&data).unwrap();
    fs::write(data.join("a.txt"), "DB_PASSWORD=hunter2hunter2\n").unwrap();
    let report = d.path().join("report.json");
    fs::write(&report, "precious").unwrap();
    fs::set_permissions(&report, fs::Permissions::from_mode(0o644)).unwrap();
    let (data_s, report_s) = (data.to_str().unwrap(), report.to_str().unwrap());

    let out = run(&["scan", "--format", "json", "-o", report_s, data_s]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("exists: use --force to overwrite it"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_to_string(&report).unwrap(), "precious");

    let out = run(&[
        "scan", "--format", "json", "--force", "-o", report_s, data_s,
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&fs::read(&report).unwrap()).unwrap();
    assert_eq!(doc["summary"]["findings"], 1);
    let mode = fs::metadata(&report).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "an overwritten report is restricted too");

    // --force only makes sense with --output
    let out = run(&["scan", "--force", data_s]);
    assert_eq!(out.status.code(), Some(2));

    // a device is written to, not replaced, and keeps its mode
    let before = fs::metadata("/dev/null").unwrap().permissions().mode();
    let out = run(&["scan", "-o", "/dev/null", data_s]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        fs::metadata("/dev/null").unwrap().permissions().mode(),
        before
    );
}

/// A library error that quotes its OS error must not have it printed a
/// second time as its cause.
#[test]
fn os_errors_are_printed_once() {
    let d = tempfile::tempdir().unwrap();
    let missing = d.path().join("missing");
    let m = missing.to_str().unwrap();
    let root = d.path().to_str().unwrap();
    let other = d.path().join("other");
    fs::create_dir(&other).unwrap();
    let o = other.to_str().unwrap();
    for args in [
        vec!["scan", "--config", m, root],
        vec!["scan", "--baseline", m, root],
        vec!["scan", "--fingerprint-key-file", m, root],
        vec!["scan", "--files-from", m],
        vec!["scan", "-o", &format!("{m}/report.txt"), o],
        vec!["rules", "--config", m],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert_eq!(err.matches("(os error 2)").count(), 1, "{args:?}: {err}");
        assert!(err.contains(m), "{args:?}: names the path: {err}");
    }
}

/// A file named on the command line inside a folder the user cannot
/// search is a failure (exit 3) for permission, not "no such file".
#[test]
fn named_file_in_an_unreadable_folder_is_permission_denied() {
    let is_root = unsafe { libc::geteuid() } == 0;
    let setpriv_works = Command::new("setpriv")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if is_root && !setpriv_works {
        eprintln!("skipped: running as root and setpriv is missing, so nothing is unreadable");
        return;
    }
    let d = tempfile::tempdir().unwrap();
    fs::set_permissions(d.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let locked = d.path().join("locked");
    fs::create_dir(&locked).unwrap();
    let file = locked.join("secret.txt");
    fs::write(&file, "DB_PASSWORD=hunter2hunter2\n").unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let f = file.to_str().unwrap();
    let args = ["scan", "--format", "text", f];
    let out = if is_root {
        let child = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(assert_cmd::cargo::cargo_bin("leakscan"))
            .args(args)
            .env("LEAKSCAN_FINGERPRINT_KEY", KEY)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let watchdog = Watchdog::new(&child);
        let out = child.wait_with_output().unwrap();
        drop(watchdog);
        out
    } else {
        run(&args)
    };
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains(f) && err.contains("Permission denied"),
        "{err}"
    );
    assert!(!err.to_lowercase().contains("no such file"), "{err}");
    assert_eq!(err.matches("os error").count(), 1, "{err}");
}

/// A file being read when the signal comes stops at its next window: an
/// endless stream on stdin (which no scan could finish) ends as skipped,
/// `interrupted`, and the scan exits 130 after one signal.
#[test]
fn a_file_being_read_stops_at_the_signal() {
    let mut child = leakscan()
        .args(["scan", "--no-config", "--format", "jsonl", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let line = b"2024-03-01 INFO request served in 12 ms\n".repeat(4096);
        // until the scan goes away (a broken pipe)
        while std::io::Write::write_all(&mut stdin, &line).is_ok() {}
    });
    // it has read a good part of the stream before the signal
    std::thread::sleep(Duration::from_millis(300));
    let watchdog = Watchdog::new(&child);
    assert_eq!(
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) },
        0
    );
    let out = child.wait_with_output().unwrap();
    drop(watchdog);
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    let records: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let skipped: Vec<&Value> = records.iter().filter(|r| r["type"] == "skipped").collect();
    assert_eq!(skipped.len(), 1, "{records:?}");
    assert_eq!(skipped[0]["reason"], "interrupted");
    assert_eq!(records.last().unwrap()["interrupted"], true);
}

/// SIGINT while a zip's members are being read: the member being read is
/// `interrupted`, the members not reached are neither read nor recorded
/// (they were each a false `corrupt_archive` "damaged or truncated data").
#[test]
fn sigint_inside_a_zip_is_no_damage() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    // one member of 16 MiB of zeros, compressed once and copied raw: 40 of
    // them take a while to inflate, the zip stays small
    let one = dir.path().join("one.zip");
    let mut w = zip::ZipWriter::new(fs::File::create(&one).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("zero.bin", opts).unwrap();
    let block = vec![0u8; 1 << 20];
    for _ in 0..16 {
        w.write_all(&block).unwrap();
    }
    w.finish().unwrap();
    let path = dir.path().join("scan/zeros.zip");
    fs::create_dir(dir.path().join("scan")).unwrap();
    let mut w = zip::ZipWriter::new(fs::File::create(&path).unwrap());
    let mut from = zip::ZipArchive::new(fs::File::open(&one).unwrap()).unwrap();
    for i in 0..40 {
        let member = from.by_index_raw(0).unwrap();
        w.raw_copy_file_rename(member, format!("z{i:02}.bin"))
            .unwrap();
    }
    w.finish().unwrap();

    let child = leakscan()
        .args(["scan", "--format", "jsonl"])
        .arg(dir.path().join("scan"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) },
        0
    );
    let watchdog = Watchdog::new(&child);
    let out = child.wait_with_output().unwrap();
    drop(watchdog);
    let records: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let summary = records.last().expect("a summary");
    assert_eq!(summary["type"], "summary");
    assert!(
        records.iter().all(|r| r["reason"] != "corrupt_archive"),
        "{records:?}"
    );
    if summary["interrupted"] == true {
        assert_eq!(out.status.code(), Some(130));
        let stopped = records.iter().filter(|r| r["reason"] == "interrupted");
        assert!(stopped.count() <= 1, "{records:?}");
    }
}

/// `-o FILE --force` where FILE is another name (a hard link) of a file in
/// the scanned directory: refused before anything is truncated, for the
/// input would be emptied before it is read and the scan would pass.
#[test]
fn output_with_other_hard_links_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let data = d.path().join("data");
    fs::create_dir(&data).unwrap();
    let input = data.join("staff.txt");
    let text = format!("個人番号: {}\n", Rng(12_0103).my_number());
    fs::write(&input, &text).unwrap();
    fs::set_permissions(&input, fs::Permissions::from_mode(0o644)).unwrap();
    let report = d.path().join("report.txt");
    fs::hard_link(&input, &report).unwrap();
    let (data_s, report_s) = (data.to_str().unwrap(), report.to_str().unwrap());
    for format in ["text", "jsonl", "sarif"] {
        let out = run(&[
            "scan", "--format", format, "-o", report_s, "--force", data_s,
        ]);
        assert_eq!(out.status.code(), Some(2), "{format}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("refusing to write the report") && err.contains("2 hard links"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(fs::read_to_string(&input).unwrap() == text, "input changed");
        let mode = fs::metadata(&input).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
    }
    // once the other name is gone, the file is the report's alone
    fs::remove_file(&input).unwrap();
    let out = run(&["scan", "-o", report_s, "--force", data_s]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(fs::read_to_string(&report).unwrap().contains("No findings"));
}

/// A scan run below a git work tree whose `.leakscan.toml` silences it.
struct PlantedRepo {
    dir: tempfile::TempDir,
}

impl PlantedRepo {
    fn new() -> PlantedRepo {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path();
        // a repository as leakscan (and git) recognise one
        fs::create_dir_all(top.join(".git/objects")).unwrap();
        fs::create_dir_all(top.join(".git/refs")).unwrap();
        fs::write(top.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
        fs::write(
            top.join(".leakscan.toml"),
            "exclude = [\"*\"]\nfail_on = \"never\"\n",
        )
        .unwrap();
        fs::create_dir(top.join("export")).unwrap();
        let text = format!("個人番号: {}\n", Rng(12_0104).my_number());
        fs::write(top.join("export/staff.txt"), text).unwrap();
        PlantedRepo { dir }
    }

    fn chown(&self, uid: u32) {
        let top = self.dir.path();
        for p in [
            top.to_path_buf(),
            top.join(".git"),
            top.join(".leakscan.toml"),
        ] {
            std::os::unix::fs::chown(&p, Some(uid), Some(uid)).unwrap();
        }
    }

    /// `leakscan scan .` in `export/`; `config` as `LEAKSCAN_CONFIG`.
    fn scan(&self, config: Option<&str>) -> Output {
        let mut cmd = leakscan();
        cmd.current_dir(self.dir.path().join("export"))
            .env_remove("LEAKSCAN_CONFIG")
            .env_remove("SUDO_UID")
            .args(["scan", "."]);
        if let Some(c) = config {
            cmd.env("LEAKSCAN_CONFIG", c);
        }
        cmd.output().unwrap()
    }
}

/// The config of the work tree you run in applies only if the repository
/// is yours, as git's `safe.directory` rule has it: a `.git` and a
/// `.leakscan.toml` that another user planted above (in a shared folder)
/// must not silence the scan. Making a tree of another owner needs root;
/// other users run the half that needs no `chown`.
#[test]
fn config_of_a_foreign_work_tree_is_not_read() {
    let repo = PlantedRepo::new();
    // our own repository: its config applies (everything excluded)
    let out = repo.scan(None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("using config"), "{}", stderr(&out));
    // SAFETY: geteuid cannot fail and touches no memory of ours
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("not root: the foreign-owner half of this test is left out");
        return;
    }
    // owned by another user: not read, with a warning, and the scan finds
    repo.chown(65534);
    let out = repo.scan(None);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("not read") && err.contains("owned by another user (uid 65534)"),
        "{err}"
    );
    assert!(!err.contains("using config"), "{err}");
    // named explicitly, it applies
    let out = repo.scan(Some("../.leakscan.toml"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // the config file alone of another owner is enough to ignore it
    repo.chown(0);
    std::os::unix::fs::chown(repo.dir.path().join(".leakscan.toml"), Some(65534), None).unwrap();
    let out = repo.scan(None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn output_onto_a_listed_input_is_refused() {
    // the --files-from list is read as the walk goes; it is read once more
    // before the report is created (standard input through a temporary
    // file), so a listed input is never overwritten
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("staff.csv");
    let text = "name,password\nx,\"password=hunter2hunter2\"\n";
    fs::write(&input, text).unwrap();
    let other = d.path().join("other.txt");
    fs::write(&other, "nothing here\n").unwrap();
    let list = d.path().join("list.txt");
    let listed = format!("{}\n{}\n", other.display(), input.display());
    fs::write(&list, &listed).unwrap();
    let (input_s, list_s) = (input.to_str().unwrap(), list.to_str().unwrap());
    for from in [list_s, "-"] {
        let mut cmd = leakscan();
        cmd.args(["scan", "--force", "-o", input_s, "--files-from", from])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        // (a list from a file leaves standard input unread)
        let _ = std::io::Write::write_all(&mut child.stdin.take().unwrap(), listed.as_bytes());
        let out = child.wait_with_output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{from}: {err}");
        assert!(
            err.contains("refusing to write the report") && err.contains("being scanned"),
            "{from}: {err}"
        );
        assert_eq!(fs::read_to_string(&input).unwrap(), text, "{from}");
    }
    // a report elsewhere: the listed files from standard input are scanned
    let report = d.path().join("report.jsonl");
    let mut child = leakscan()
        .args(["scan", "--format", "jsonl", "-o", report.to_str().unwrap()])
        .args(["--files-from", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), listed.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let written = fs::read_to_string(&report).unwrap();
    let summary: Value = serde_json::from_str(written.lines().last().unwrap()).unwrap();
    assert_eq!(summary["files_scanned"], 2, "{summary}");
}

#[test]
fn a_followed_link_to_the_report_is_not_read_back() {
    // the report outside the tree, a link to it inside: with
    // --follow-symlinks the link is the report (by device and inode)
    let d = tempfile::tempdir().unwrap();
    let tree = d.path().join("tree");
    fs::create_dir(&tree).unwrap();
    fs::write(tree.join("a.txt"), "nothing here\n").unwrap();
    let report = d.path().join("report.jsonl");
    std::os::unix::fs::symlink(&report, tree.join("z-link")).unwrap();
    let out = run(&[
        "scan",
        "--follow-symlinks",
        "--format",
        "jsonl",
        "-o",
        report.to_str().unwrap(),
        tree.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = fs::read_to_string(&report).unwrap();
    let records: Vec<Value> = written
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let skip = records
        .iter()
        .find(|r| r["type"] == "skipped")
        .expect("the link is skipped");
    assert_eq!(skip["reason"], "own_report", "{skip}");
    assert!(skip["path"].as_str().unwrap().ends_with("z-link"));
    assert_eq!(records.last().unwrap()["files_scanned"], 1);
}
