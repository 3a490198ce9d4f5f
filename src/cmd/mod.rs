//! The commands of the `leakscan` binary: the argument structs (clap) and,
//! in a module each, what `scan` and `rules` do with them.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use leakscan::config;
use leakscan::detect::credential::RuleSource;
use leakscan::detect::Detectors;
use leakscan::outcome::ExitCode;

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
141 the reader of the output went away (`leakscan scan | head -1`): the scan stops \
quietly, as if killed by SIGPIPE."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan files and directories for leaked identifiers and secrets.
    Scan(scan::ScanArgs),
    /// List the built-in rules.
    Rules(rules::RulesArgs),
}

/// Runs the command `cli` names: its exit code, or the error that stopped it.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Scan(args) => scan::run(args),
        Command::Rules(args) => rules::run(args),
    }
}

/// The built-in detectors plus a config file's custom rules; every rule id
/// the config names must exist.
fn detectors_for(loaded: Option<&config::Loaded>) -> Result<Detectors> {
    let Some(l) = loaded else {
        return Detectors::builtin().context("loading built-in rules");
    };
    let file = l.path.display().to_string();
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
