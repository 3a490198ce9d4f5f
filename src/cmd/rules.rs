//! `leakscan rules`: lists the rules, and `rules check FILE` runs a rules
//! file's examples.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::{Subcommand, ValueEnum};

use leakscan::config;
use leakscan::outcome::ExitCode;
use leakscan::rulecheck::{self, Negatives};

use super::detectors_for;

#[derive(clap::Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    action: Option<RulesAction>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    format: RulesFormat,

    /// Also list the custom rules of this config file.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Subcommand)]
enum RulesAction {
    /// Validate a rules file (a .leakscan.toml, or a file of [[rule]] tables in
    /// the format of patterns/credentials.toml) and run each rule's examples
    /// and negative examples. Exit 0 when all pass, 1 when one fails, 2 when
    /// the file is invalid.
    Check {
        /// The file to check.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum RulesFormat {
    Text,
    Json,
}

/// Lists the rules, or checks a rules file.
pub fn run(args: RulesArgs) -> Result<ExitCode> {
    if let Some(RulesAction::Check { file }) = &args.action {
        return check(file);
    }
    let loaded = args
        .config
        .as_deref()
        .map(config::Loaded::read)
        .transpose()?;
    let detectors = detectors_for(loaded.as_ref())?;
    let rules = detectors.rules();
    let mut out = io::stdout().lock();
    match args.format {
        RulesFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &rules)?;
            writeln!(out)?;
        }
        RulesFormat::Text => {
            writeln!(
                out,
                "{:<26} {:<13} {:<9} DESCRIPTION",
                "ID", "CATEGORY", "SEVERITY"
            )?;
            for r in rules {
                writeln!(
                    out,
                    "{:<26} {:<13} {:<9} {}",
                    r.id,
                    r.category.as_str(),
                    r.severity.as_str(),
                    r.description
                )?;
            }
        }
    }
    Ok(ExitCode::Clean)
}

/// `rules check FILE`: validates the file and runs its custom rules'
/// examples; [`ExitCode::Findings`] when one fails.
fn check(file: &Path) -> Result<ExitCode> {
    let loaded = config::Loaded::read(file)?;
    let detectors = detectors_for(Some(&loaded))?;
    let mut out = io::stdout().lock();
    let rules = &loaded.config.rules;
    // the path as names are shown: identifiers masked, controls escaped
    let shown = leakscan::redact::path(file);
    if rules.is_empty() {
        writeln!(out, "{shown}: valid; it defines no [[rule]]")?;
        return Ok(ExitCode::Clean);
    }
    let reports = rulecheck::check(
        &detectors,
        &rulecheck::custom(rules),
        Negatives::Recommended,
    );
    for r in &reports {
        let verdict = if r.passed() { "ok  " } else { "FAIL" };
        writeln!(
            out,
            "{verdict} {}: {} examples, {} negative examples",
            r.id, r.examples, r.negatives
        )?;
        for p in &r.problems {
            writeln!(out, "       - {p}")?;
        }
        for w in &r.warnings {
            writeln!(out, "       warning: {w}")?;
        }
    }
    let failed = reports.iter().filter(|r| !r.passed()).count();
    writeln!(
        out,
        "{shown}: {} rules, {} passed, {failed} failed",
        reports.len(),
        reports.len() - failed
    )?;
    Ok(if failed > 0 {
        ExitCode::Findings
    } else {
        ExitCode::Clean
    })
}
