//! The pre-commit hook end to end: the real `pre-commit` (from PyPI) runs
//! this repository's `.pre-commit-hooks.yaml` in a temporary git repository.
//! A staged My Number blocks the commit; a clean change passes.
//!
//! `pre-commit` is taken from PATH, else installed into a virtualenv under
//! the target directory (needs python3 and access to PyPI).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::Rng;

/// The `pre-commit` executable: on PATH, or installed once per target dir.
fn pre_commit() -> PathBuf {
    if let Ok(out) = Command::new("pre-commit").arg("--version").output() {
        if out.status.success() {
            return PathBuf::from("pre-commit");
        }
    }
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit-venv");
    let exe = venv.join("bin/pre-commit");
    if !exe.exists() {
        let ok = |c: &mut Command| {
            let st = c.status().expect("python3 is needed to install pre-commit");
            assert!(st.success(), "{c:?} failed");
        };
        ok(Command::new("python3").args(["-m", "venv"]).arg(&venv));
        ok(Command::new(venv.join("bin/pip")).args(["install", "--quiet", "pre-commit"]));
    }
    exe
}

struct Env {
    _tmp: tempfile::TempDir,
    home: PathBuf,
    path: String,
}

impl Env {
    fn new() -> Env {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().join("home");
        fs::create_dir_all(&home).unwrap();
        let bin_dir = Path::new(env!("CARGO_BIN_EXE_leakscan")).parent().unwrap();
        let path = format!(
            "{}:{}",
            bin_dir.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        Env {
            _tmp: tmp,
            home,
            path,
        }
    }

    fn cmd(&self, program: impl AsRef<std::ffi::OsStr>, dir: &Path) -> Command {
        let mut c = Command::new(program);
        c.current_dir(dir)
            .env("HOME", &self.home)
            .env("PATH", &self.path)
            .env("PRE_COMMIT_HOME", self.home.join("pre-commit-cache"))
            .env("LEAKSCAN_FINGERPRINT_KEY", "pre-commit-test-key-0123456789")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.invalid");
        c
    }

    fn git(&self, dir: &Path, args: &[&str]) -> Output {
        let out = self.cmd("git", dir).args(args).output().expect("git runs");
        assert!(
            out.status.success() || args[0] == "commit",
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }
}

fn commits(env: &Env, dir: &Path) -> usize {
    let out = env.git(dir, &["rev-list", "--count", "HEAD"]);
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

#[test]
fn pre_commit_blocks_a_staged_my_number_and_passes_a_clean_change() {
    let pc = pre_commit();
    let env = Env::new();
    let root = env.home.parent().unwrap().to_path_buf();

    // a hooks repository holding this project's .pre-commit-hooks.yaml
    let hooks = root.join("hooks");
    fs::create_dir_all(&hooks).unwrap();
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
        hooks.join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    env.git(&hooks, &["init", "-q", "-b", "main"]);
    env.git(&hooks, &["add", "."]);
    env.git(&hooks, &["commit", "-q", "-m", "hooks"]);
    let rev = String::from_utf8(env.git(&hooks, &["rev-parse", "HEAD"]).stdout).unwrap();

    // the user's repository, with the hook installed
    let work = root.join("work");
    fs::create_dir_all(&work).unwrap();
    env.git(&work, &["init", "-q", "-b", "main"]);
    fs::write(
        work.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {}\n    hooks:\n      - id: leakscan-system\n",
            hooks.display(),
            rev.trim()
        ),
    )
    .unwrap();
    let install = env.cmd(&pc, &work).arg("install").output().unwrap();
    assert!(
        install.status.success(),
        "{}",
        String::from_utf8_lossy(&install.stderr)
    );
    env.git(&work, &["add", ".pre-commit-config.yaml"]);
    let first = env.git(&work, &["commit", "-q", "-m", "config"]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stdout)
    );

    // a clean change passes
    fs::write(work.join("README.txt"), "order 1234 shipped\n").unwrap();
    env.git(&work, &["add", "README.txt"]);
    let clean = env.git(&work, &["commit", "-m", "clean"]);
    let clean_out = String::from_utf8_lossy(&clean.stdout).into_owned()
        + &String::from_utf8_lossy(&clean.stderr);
    assert!(clean.status.success(), "{clean_out}");
    assert!(
        clean_out.contains("leakscan") && clean_out.contains("Passed"),
        "{clean_out}"
    );
    assert_eq!(commits(&env, &work), 2);

    // a staged My Number blocks the commit, and is never printed
    let n = Rng(2024).my_number();
    fs::create_dir_all(work.join("hr")).unwrap();
    fs::write(work.join("hr/staff.csv"), format!("name,個人番号\nA,{n}\n")).unwrap();
    env.git(&work, &["add", "hr/staff.csv"]);
    let blocked = env.git(&work, &["commit", "-m", "leak"]);
    let out = String::from_utf8_lossy(&blocked.stdout).into_owned()
        + &String::from_utf8_lossy(&blocked.stderr);
    assert!(!blocked.status.success(), "the commit went through: {out}");
    assert!(
        out.contains("Failed") && out.contains("hr/staff.csv") && out.contains("my_number"),
        "{out}"
    );
    assert!(!out.contains(&n), "raw My Number in the hook output");
    assert_eq!(commits(&env, &work), 2);
}

#[test]
fn both_hook_variants_run_the_same_command() {
    let text =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"))
            .unwrap();
    let entries: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("entry:"))
        .collect();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0], entries[1]);
    assert!(text.contains("language: rust") && text.contains("language: system"));
}
