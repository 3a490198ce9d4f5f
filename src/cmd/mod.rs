//! The commands of the `leakscan` binary: the argument structs (clap) and,
//! in a module each, what `scan` and `rules` do with them.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use leakscan::config;
use leakscan::detect::credential::RuleSource;
use leakscan::detect::Detectors;
use leakscan::outcome::ExitCode;
use leakscan::summary::INTERRUPTED_EXIT_CODE;

mod rules;
mod scan;

#[derive(Parser)]
#[command(
    name = "leakscan",
    version,
    about = "Find leaked My Numbers, card numbers, credentials and ID-document scans in storage exports",
    long_about = "leakscan walks a directory, a bucket copy (aws s3 sync) or a backup in parallel and reports \
My Numbers (個人番号, check digit validated), payment card numbers (Luhn + brand ranges), plaintext \
credentials and images or scans of identity documents. Values are always redacted unless --show-secrets.",
    after_help = "Exit codes: 0 no finding at or above --fail-on; 1 findings at or above --fail-on; \
2 usage or fatal error; 3 no such finding, but some file could not be read (the scan is incomplete); \
130 stopped by Ctrl-C (SIGINT) or SIGTERM: what was found is reported, with a summary marked \
interrupted; 141 the reader of the output went away (`leakscan scan | head -1`): the scan stops \
quietly, as if killed by SIGPIPE."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
// parsed once per process: the size of its largest variant costs nothing
#[allow(clippy::large_enum_variant)]
enum Command {
    /// Scan files and directories for leaked identifiers and secrets.
    Scan(scan::ScanArgs),
    /// List the built-in rules.
    Rules(rules::RulesArgs),
}

/// How a command ended, when no error stopped it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// It ran to its end, with this exit code.
    Done(ExitCode),
    /// A scan stopped by SIGINT or SIGTERM, its partial report written.
    Interrupted,
}

impl Status {
    /// The process exit status: the exit code, or 130 when interrupted.
    pub fn code(self) -> u8 {
        match self {
            Status::Done(code) => code.code(),
            Status::Interrupted => INTERRUPTED_EXIT_CODE as u8,
        }
    }
}

/// Runs the command `cli` names: how it ended, or the error that stopped it.
pub fn run(cli: Cli) -> Result<Status> {
    match cli.command {
        Command::Scan(args) => scan::run(args),
        Command::Rules(args) => rules::run(args).map(Status::Done),
    }
}

/// The built-in detectors plus a config file's custom rules; every rule id
/// the config names must exist.
fn detectors_for(loaded: Option<&config::Loaded>) -> Result<Detectors> {
    let Some(l) = loaded else {
        return Detectors::builtin().context("loading built-in rules");
    };
    let file = leakscan::redact::path(&l.path);
    let detectors = Detectors::with_custom(Some(RuleSource {
        file: &file,
        rules: &l.config.rules,
        placeholders: &l.config.placeholders,
    }))
    .map_err(|e| l.rule_error(e))?;
    l.check_rule_ids(&detectors.rules())?;
    l.check_globs()?;
    Ok(detectors)
}
