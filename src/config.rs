//! The `.leakscan.toml` configuration file: excludes, allowlists, custom
//! credential rules (same format as `patterns/credentials.toml`), severity
//! overrides and the gate's defaults.
//!
//! Parsing is strict: an unknown key, a bad glob or regex, or a rule id that
//! does not exist is an error naming the file and the line, never a silently
//! ignored setting.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::finding::{Confidence, RuleMeta, Severity};
use crate::patterns::{CredentialRule, PatternError};

/// The file looked for at the scan root.
pub const FILE_NAME: &str = ".leakscan.toml";

/// `fail_on` (the config key and `--fail-on`): a severity, or `never`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum FailOn {
    /// Fail on any finding.
    Low,
    /// Fail on medium, high and critical findings (the default).
    Medium,
    /// Fail on high and critical findings.
    High,
    /// Fail on critical findings only.
    Critical,
    /// Never fail on findings (an unreadable file still gives exit code 3).
    Never,
}

impl FailOn {
    /// The lowest severity that fails the scan; `None` for `never`.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Low => Some(Severity::Low),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::High => Some(Severity::High),
            FailOn::Critical => Some(Severity::Critical),
            FailOn::Never => None,
        }
    }
}

/// Findings never reported (counted as suppressed by the allowlist).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allowlist {
    /// Globs over the path relative to the scan root (as `--exclude`), but
    /// the files are still scanned and their findings counted.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Rule ids reported nowhere.
    #[serde(default)]
    pub rules: Vec<String>,
    /// Fingerprints of single findings (see `fingerprint` in the output).
    #[serde(default)]
    pub fingerprints: Vec<String>,
}

/// A parsed `.leakscan.toml`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Added to `--exclude`.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Default for `--fail-on`.
    pub fail_on: Option<FailOn>,
    /// Default for `--min-confidence`.
    pub min_confidence: Option<Confidence>,
    /// Default for `--max-window` (a size: `512M`).
    pub max_window: Option<String>,
    /// Default for `--max-file-time` (a duration: `30m`, `0` for none).
    pub max_file_time: Option<String>,
    /// Gap reasons accepted (added to `--accept`).
    #[serde(default)]
    pub accept: Vec<String>,
    /// Honour `leakscan:ignore` comments in files' own text (default
    /// true; `false` as `--no-inline-ignore`).
    pub inline_ignore: Option<bool>,
    /// The `[allowlist]` table.
    #[serde(default)]
    pub allowlist: Allowlist,
    /// Rule id → severity, replacing the rule's own.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    /// Extra placeholder regexes for credential values.
    #[serde(default)]
    pub placeholders: Vec<String>,
    /// Custom credential rules. Their descriptions, which every report
    /// format and `leakscan rules` print, are kept as names are shown
    /// ([`crate::redact::name`]: control characters, line separators and
    /// bidi marks escaped, identifiers masked): a config comes with the
    /// repository under review, so a description must not forge a line,
    /// a terminal sequence or a CI workflow command.
    #[serde(default, rename = "rule")]
    pub rules: Vec<CredentialRule>,
}

/// A config file, or why it is unusable: always names the file, and the
/// line where one is known.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config {path}: {source}")]
    Read {
        /// The config file as given.
        path: String,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// The file does not parse, or a setting in it is wrong.
    #[error("{path}: {message}")]
    Invalid {
        /// The file, with `:line` where known.
        path: String,
        /// What is wrong (for a parse error, with line and column).
        message: String,
    },
}

/// A config file as loaded: its path and text (for line numbers) and content.
#[derive(Debug)]
pub struct Loaded {
    /// The file as given.
    pub path: PathBuf,
    /// Its text, to find the line of a setting for an error.
    pub text: String,
    /// Its parsed content.
    pub config: Config,
}

impl Loaded {
    /// Reads and parses `path`.
    pub fn read(path: &Path) -> Result<Loaded, ConfigError> {
        let shown = crate::redact::path(path);
        let text = fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: shown.clone(),
            source,
        })?;
        let config = parse(&text).map_err(|message| ConfigError::Invalid {
            path: shown,
            message,
        })?;
        Ok(Loaded {
            path: path.to_path_buf(),
            text,
            config,
        })
    }

    /// `path:line: message`, with the line of the first mention of `needle`.
    pub fn error_at(&self, needle: &str, message: impl std::fmt::Display) -> ConfigError {
        let path = crate::redact::path(&self.path);
        ConfigError::Invalid {
            path: match line_of(&self.text, needle) {
                Some(line) => format!("{path}:{line}"),
                None => path,
            },
            message: message.to_string(),
        }
    }

    /// Turns a rule-building error into one naming this file and the rule's line.
    pub fn rule_error(&self, e: PatternError) -> ConfigError {
        let (rule, message) = match &e {
            PatternError::Regex { rule, cause, .. } => (
                rule.clone(),
                format!(
                    "rule `{}`: bad regex: {}",
                    crate::redact::name(rule),
                    crate::patterns::regex_reason(cause)
                ),
            ),
            PatternError::Invalid { rule, message, .. } => (
                rule.clone(),
                format!("rule `{}`: {message}", crate::redact::name(rule)),
            ),
            PatternError::Toml { source, .. } => (String::new(), source.to_string()),
        };
        self.error_at(&format!("\"{rule}\""), message)
    }

    /// Checks every glob (`exclude`, allowlist `paths`), naming the line of
    /// a bad one.
    pub fn check_globs(&self) -> Result<(), ConfigError> {
        let c = &self.config;
        let globs = c.exclude.iter().map(|g| (g, "exclude"));
        let globs = globs.chain(c.allowlist.paths.iter().map(|g| (g, "allowlist path")));
        for (g, what) in globs {
            if let Err(e) = crate::inputs::fs::build_excludes(std::slice::from_ref(g)) {
                return Err(self.error_at(g, format!("bad {what} {e}")));
            }
        }
        Ok(())
    }

    /// Checks that every rule id the config names exists among `rules`
    /// (built-in and custom), and that custom ids are well-formed.
    pub fn check_rule_ids(&self, rules: &[&RuleMeta]) -> Result<(), ConfigError> {
        for r in &self.config.rules {
            let ok = !r.id.is_empty()
                && r.id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            if !ok {
                return Err(self.error_at(
                    &format!("\"{}\"", r.id),
                    format!(
                        "rule id `{}`: use letters, digits, `_` and `-` only",
                        crate::redact::name(&r.id)
                    ),
                ));
            }
            // an id is printed in every finding: it must not be a value
            if crate::redact::name(&r.id) != r.id.as_str() || r.id.len() > 64 {
                return Err(self.error_at(
                    &format!("\"{}\"", r.id),
                    format!(
                        "rule id `{}`: an id is shown in every finding, so it must not hold an identifier or a credential, and at most 64 characters",
                        crate::redact::name_cut(&r.id, 40)
                    ),
                ));
            }
        }
        let known = |id: &str| rules.iter().any(|r| r.id == id);
        let named = self
            .config
            .severity
            .keys()
            .chain(&self.config.allowlist.rules);
        for id in named {
            if !known(id) {
                return Err(self.error_at(
                    id,
                    format!(
                        "unknown rule id `{}` (`leakscan rules` lists them)",
                        crate::redact::name(id)
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// Parses config text; the message carries line and column, in leakscan's
/// own words: the TOML library's message quotes the value it rejects (a
/// config may hold a secret, or be part of the data), so only its kind is
/// kept.
pub fn parse(text: &str) -> Result<Config, String> {
    let parsed: Result<Config, _> = toml::from_str(text);
    parsed.map(escape_descriptions).map_err(|e| {
        let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
        let msg = parse_error_kind(e.message());
        // the text it stops at, from the config itself (not the library's
        // message), shown as names are: identifiers masked, controls escaped
        let at = e
            .span()
            .and_then(|s| text.get(s))
            .map(|t| t.trim().trim_matches('"'))
            .filter(|t| !t.is_empty() && !t.contains('\n'))
            .map(|t| format!(" (`{}`)", crate::redact::name_cut(t, 40)))
            .unwrap_or_default();
        if line > 0 {
            format!("line {line}, column {col}: {msg}{at}")
        } else {
            format!("{msg}{at}")
        }
    })
}

/// `config` with its custom rules' descriptions as they may be shown.
fn escape_descriptions(mut config: Config) -> Config {
    for r in &mut config.rules {
        if let Cow::Owned(shown) = crate::redact::name(&r.description) {
            r.description = shown;
        }
    }
    config
}

/// What kind of mistake a TOML or serde message names, without the values
/// it quotes.
fn parse_error_kind(message: &str) -> &'static str {
    const KINDS: [(&str, &str); 6] = [
        (
            "unknown variant",
            "a value that is not one of the allowed ones",
        ),
        (
            "unknown field",
            "an unknown setting (see the README's configuration section)",
        ),
        ("invalid type", "a value of the wrong type"),
        ("missing field", "a required setting is missing"),
        ("duplicate", "a setting given twice"),
        ("invalid length", "a list of the wrong length"),
    ];
    KINDS
        .iter()
        .find(|(prefix, _)| message.contains(prefix))
        .map_or("not valid TOML here", |(_, kind)| kind)
}

/// Where a scan's config comes from ([`find`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// The file to read.
    File(PathBuf),
    /// The work tree's `.leakscan.toml`, not read: the file, the work
    /// tree's top folder or its `.git` is owned by another user.
    Foreign {
        /// The config file.
        path: PathBuf,
        /// The user id that owns it (or the work tree).
        owner: u32,
    },
    /// No config.
    None,
}

/// The config file for a scan, by the trust rule: data being scanned must
/// not be able to configure (and so silence) the scan. In order: `explicit`
/// (`--config`); else the file named by `$LEAKSCAN_CONFIG`; else
/// `.leakscan.toml` at the top of the git work tree that the current
/// directory is in — the repository you run in, under version control and
/// review — if that repository is yours: the file, the work tree's top
/// folder and its `.git` owned by the user leakscan runs as (as git
/// refuses a repository of another owner, its `safe.directory` check;
/// when root runs it through sudo, the user of `$SUDO_UID` too). A
/// `.leakscan.toml` anywhere else (in a bucket copy, a backup, an upload,
/// a directory that is not a git work tree, a shared folder where another
/// user made one) is never read.
pub fn find(explicit: Option<&Path>) -> Found {
    if let Some(p) = explicit {
        return Found::File(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("LEAKSCAN_CONFIG").filter(|v| !v.is_empty()) {
        return Found::File(PathBuf::from(p));
    }
    let Some(top) = work_tree_top() else {
        return Found::None;
    };
    let path = top.join(FILE_NAME);
    if !path.is_file() {
        return Found::None;
    }
    match foreign_owner(&[&path, &top, &top.join(".git")]) {
        Some(owner) => Found::Foreign { path, owner },
        None => Found::File(path),
    }
}

/// The owner of the first of `paths` that the user leakscan runs as does
/// not own (read without following a symlink: a link's own owner counts);
/// `None` when it owns them all.
fn foreign_owner(paths: &[&Path]) -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid cannot fail and touches no memory of ours
    let me = unsafe { libc::geteuid() };
    let sudo = (me == 0)
        .then(|| std::env::var("SUDO_UID").ok()?.parse::<u32>().ok())
        .flatten();
    paths.iter().find_map(|p| {
        let owner = std::fs::symlink_metadata(p).ok()?.uid();
        (owner != me && Some(owner) != sudo).then_some(owner)
    })
}

/// The top of the git work tree containing the current directory (a
/// directory with a `.git` that is a repository, looking up from it): `.` when that is the
/// current directory, else its absolute path; `None` outside a work tree.
pub fn work_tree_top() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    let top = cwd.ancestors().find(|d| is_git_dir_of(d))?;
    Some(if top == cwd {
        PathBuf::from(".")
    } else {
        top.to_path_buf()
    })
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// 1-based line of the first occurrence of `needle` outside comments.
fn line_of(text: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() || needle == "\"\"" {
        return None;
    }
    text.lines()
        .position(|l| {
            let code = l.split('#').next().unwrap_or("");
            code.contains(needle)
        })
        .map(|i| i + 1)
}

/// Whether `dir` is the top of a git work tree: its `.git` is a directory
/// holding `HEAD` and `objects/`, or a file pointing (`gitdir: …`) at one
/// that holds `HEAD` (a linked worktree or submodule). An empty `.git`
/// folder shipped inside a dump is not a repository, so it cannot make the
/// dump's own config trusted.
fn is_git_dir_of(dir: &Path) -> bool {
    let dot_git = dir.join(".git");
    if dot_git.is_dir() {
        return dot_git.join("HEAD").is_file() && dot_git.join("objects").is_dir();
    }
    let Ok(text) = std::fs::read_to_string(&dot_git) else {
        return false;
    };
    let Some(target) = text.trim().strip_prefix("gitdir:") else {
        return false;
    };
    let target = dir.join(target.trim());
    target.join("HEAD").is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_section() {
        let c = parse(
            r#"
exclude = ["vendor/**"]
fail_on = "high"
min_confidence = "low"
placeholders = ['^dev-only-']

[allowlist]
paths = ["tests/fixtures/**"]
rules = ["generic-password"]
fingerprints = ["abc"]

[severity]
generic-password = "low"

[[rule]]
id = "acme-token"
description = "ACME API token"
severity = "high"
keywords = ["acme_"]
regex = 'acme_(?P<secret>[a-z0-9]{24})'
examples = ["token = acme_0123456789abcdefghijklmn"]
negative = ["acme_short"]
"#,
        )
        .unwrap();
        assert_eq!(c.exclude, ["vendor/**"]);
        assert_eq!(c.fail_on, Some(FailOn::High));
        assert_eq!(c.min_confidence, Some(Confidence::Low));
        assert_eq!(c.allowlist.paths, ["tests/fixtures/**"]);
        assert_eq!(c.severity["generic-password"], Severity::Low);
        assert_eq!(c.rules[0].id, "acme-token");
    }

    #[test]
    fn unknown_keys_and_bad_values_name_the_line() {
        let e = parse("exclude = []\nfail_onn = \"high\"\n").unwrap_err();
        assert!(e.starts_with("line 2, column 1"), "{e}");
        assert!(e.contains("fail_onn"), "{e}");
        let e = parse("\n\nfail_on = \"sometimes\"\n").unwrap_err();
        assert!(e.starts_with("line 3"), "{e}");
        let e = parse("[allowlist]\npath = []\n").unwrap_err();
        assert!(e.starts_with("line 2"), "{e}");
    }

    #[test]
    fn line_of_skips_comments() {
        let text = "# \"x\" here\nrules = [\"x\"]\n";
        assert_eq!(line_of(text, "\"x\""), Some(2));
        assert_eq!(line_of(text, "\"y\""), None);
    }
}
