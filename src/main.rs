//! The `leakscan` command line: parses arguments, wires the engine to a
//! reporter, and turns the summary into an exit code for CI gates.

use std::fs::OpenOptions;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

use leakscan::config;
use leakscan::container::Issue;
use leakscan::detect::credential::RuleSource;
use leakscan::detect::Detectors;
use leakscan::engine::Engine;
use leakscan::finding::{Confidence, Severity};
use leakscan::fingerprint::{load_key, KeySource};
use leakscan::progress::Progress;
use leakscan::read::DEFAULT_CHUNK;
use leakscan::report::{
    csv::Csv, github::Github, json::JsonDocument, jsonl::JsonLines, sarif::Sarif, siem, text::Text,
    Reporter,
};
use leakscan::rulecheck;
use leakscan::scan::{Outcome, ScanOptions};
use leakscan::staged;
use leakscan::summary::Summary;
use leakscan::suppress::{self, Baseline, Entry as BaselineEntry, Policy};
use leakscan::walk::{build_excludes, Root, WalkOptions};

const EXIT_CLEAN: u8 = 0;
const EXIT_FINDINGS: u8 = 1;
const EXIT_ERROR: u8 = 2;
const EXIT_INCOMPLETE: u8 = 3;

#[derive(Parser)]
#[command(
    name = "leakscan",
    version,
    about = "Find leaked My Numbers, card numbers, credentials and ID-document scans in storage exports",
    long_about = "leakscan walks a directory, a bucket copy (aws s3 sync) or a backup in parallel and reports \
My Numbers (個人番号, check digit validated), payment card numbers (Luhn + brand ranges), plaintext \
credentials and images or scans of identity documents. Values are always redacted unless --show-secrets.",
    after_help = "Exit codes: 0 no finding at or above --fail-on; 1 findings at or above --fail-on; \
2 usage or fatal error; 3 no such finding, but some file could not be read (the scan is incomplete)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan files and directories for leaked identifiers and secrets.
    Scan(ScanArgs),
    /// List the built-in rules.
    Rules(RulesArgs),
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    /// Findings grouped by file, with a summary (for people).
    Text,
    /// One JSON record per line: findings, errors, skips, then a summary (for SIEMs).
    Jsonl,
    /// One JSON document with findings, errors, skips and the summary.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning and other SARIF consumers).
    Sarif,
    /// GitHub Actions annotations, plus a job summary in $GITHUB_STEP_SUMMARY.
    Github,
    /// CSV with a byte-order mark, one row per finding (opens in Japanese Excel).
    Csv,
    /// Elastic Common Schema documents, one per line (Elastic, OpenSearch).
    Ecs,
    /// OCSF Data Security Finding events, one per line (Amazon Security Lake, ...).
    Ocsf,
    /// Splunk HTTP Event Collector events, one per line.
    Hec,
}

impl Format {
    /// Native formats carry errors and the summary themselves; the others
    /// get them on stderr.
    fn is_native(self) -> bool {
        matches!(self, Format::Text | Format::Jsonl | Format::Json)
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum MinConfidence {
    Low,
    Medium,
    High,
}

#[derive(clap::Args)]
struct ScanArgs {
    /// Files or directories to scan [default: .]; `-` reads standard input.
    /// Directories are walked; files named here are scanned unless excluded.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// Also scan the paths listed in FILE (`-`: standard input), one a line
    /// or NUL-separated (as from `git diff --name-only -z`). Listed paths
    /// that do not exist are counted as skipped (missing).
    #[arg(long, value_name = "FILE")]
    files_from: Option<PathBuf>,

    /// Scan what is staged in the git index (what is about to be
    /// committed), not the working tree. Run inside a git work tree.
    #[arg(long, conflicts_with_all = ["paths", "files_from"])]
    staged: bool,

    /// Read settings from FILE [default: .leakscan.toml in the scan root,
    /// i.e. the first PATH if it is a directory, else the current directory].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Ignore any .leakscan.toml.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// Write the report to FILE (created with mode 0600) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Worker threads [default: number of cores].
    #[arg(long, value_name = "N")]
    threads: Option<usize>,

    /// Skip paths matching GLOB (repeatable; added to the config's
    /// `exclude`). Without a `/` it matches any file or directory name
    /// (`*.log`, `node_modules`); with one, the path relative to the scanned
    /// directory (`logs/**`). Applies to named files too. Skips are counted.
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,

    /// Follow symbolic links (loops are detected and counted as skipped).
    #[arg(long)]
    follow_symlinks: bool,

    /// Skip files larger than SIZE (e.g. 500K, 100M, 2G; powers of 1024) [default: no limit].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_file_size: Option<u64>,

    /// Report findings at or above this confidence; the rest are only
    /// counted [default: the config's min_confidence, else medium].
    #[arg(long, value_enum)]
    min_confidence: Option<MinConfidence>,

    /// Exit with 1 when a reported finding has at least this severity
    /// [default: the config's fail_on, else medium].
    #[arg(long, value_enum)]
    fail_on: Option<config::FailOn>,

    /// Print raw values instead of redacted ones. Output then holds the very
    /// data you are looking for: protect it.
    #[arg(long)]
    show_secrets: bool,

    /// Colour in text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,

    /// Key for fingerprints [default: $LEAKSCAN_FINGERPRINT_KEY, else
    /// ~/.config/leakscan/fingerprint.key, created on first use].
    #[arg(long, value_name = "FILE")]
    fingerprint_key_file: Option<PathBuf>,

    /// Report only findings not in this baseline file (see --write-baseline).
    /// Suppressed findings are counted in the summary.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,

    /// Write the current findings to FILE as a baseline (sorted, one a line,
    /// no values: safe to commit) and exit 0 unless a file failed.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,

    /// List skipped files on stderr (text format).
    #[arg(short, long)]
    verbose: bool,

    /// No progress line on stderr (it is shown only on a terminal anyway).
    #[arg(short, long)]
    quiet: bool,

    /// Bytes of new data per read window (testing).
    #[arg(long, hide = true, default_value_t = DEFAULT_CHUNK)]
    chunk_size: usize,
}

#[derive(clap::Args)]
struct RulesArgs {
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

fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("invalid size {s:?} (e.g. 500K, 100M, 2G)"))?;
    let mult: u64 = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        "T" | "TB" | "TIB" => 1 << 40,
        _ => return Err(format!("invalid size unit in {s:?} (use K, M, G or T)")),
    };
    n.checked_mul(mult)
        .ok_or_else(|| format!("size {s:?} is too large"))
}

/// Reports panics by location only: a panic message can quote the text
/// being scanned, and raw values must never reach stderr.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let thread = std::thread::current();
        let name = thread.name().unwrap_or("main");
        eprintln!("leakscan: internal error in thread {name}{at}; the file being scanned is reported as failed (please report this bug)");
    }));
}

fn main() -> ExitCode {
    install_panic_hook();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => scan(args),
        Command::Rules(args) => rules(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("leakscan: error: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn rules(args: RulesArgs) -> Result<u8> {
    if let Some(RulesAction::Check { file }) = &args.action {
        return rules_check(file);
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
    Ok(EXIT_CLEAN)
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

fn rules_check(file: &Path) -> Result<u8> {
    let loaded = config::Loaded::read(file)?;
    let detectors = detectors_for(Some(&loaded))?;
    let mut out = io::stdout().lock();
    let rules = &loaded.config.rules;
    if rules.is_empty() {
        writeln!(out, "{}: valid; it defines no [[rule]]", file.display())?;
        return Ok(EXIT_CLEAN);
    }
    let reports = rulecheck::check(
        &detectors,
        &rulecheck::custom(rules),
        rulecheck::Negatives::Recommended,
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
        "{}: {} rules, {} passed, {failed} failed",
        file.display(),
        reports.len(),
        reports.len() - failed
    )?;
    Ok(if failed > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}

/// Opens the report file with mode 0600: it lists where leaks are.
fn open_output(path: &PathBuf) -> Result<Box<dyn Write>> {
    use std::os::unix::fs::PermissionsExt;
    let f = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot create output file {}", path.display()))?;
    f.set_permissions(std::fs::Permissions::from_mode(0o600))
        .with_context(|| format!("cannot restrict permissions of {}", path.display()))?;
    Ok(Box::new(BufWriter::new(f)))
}

/// What a scan covers and where its root is (for `.leakscan.toml`).
fn scan_roots(args: &ScanArgs) -> Result<(Vec<Root>, PathBuf)> {
    if args.staged {
        let top = staged::toplevel(Path::new("."))?;
        // paths are relative to the top level, as `git diff --cached` shows them
        return Ok((staged::staged_blobs(&top)?, top));
    }
    for p in &args.paths {
        if p.as_os_str() != "-"
            && std::fs::symlink_metadata(p).is_err()
            && std::fs::metadata(p).is_err()
        {
            bail!("{}: no such file or directory", p.display());
        }
    }
    let mut roots: Vec<Root> = args.paths.iter().cloned().map(Root::Path).collect();
    if let Some(list) = &args.files_from {
        roots.extend(read_file_list(list)?.into_iter().map(Root::Path));
    } else if roots.is_empty() {
        roots.push(Root::Path(PathBuf::from(".")));
    }
    let root = match args.paths.first() {
        Some(p) if p.is_dir() => p.clone(),
        _ => PathBuf::from("."),
    };
    Ok((roots, root))
}

/// Paths listed in `list` (`-`: stdin): NUL-separated if there is a NUL,
/// else one a line (CR LF accepted); empty entries are ignored.
fn read_file_list(list: &Path) -> Result<Vec<PathBuf>> {
    use std::os::unix::ffi::OsStrExt;
    let data = if list.as_os_str() == "-" {
        let mut v = Vec::new();
        io::Read::read_to_end(&mut io::stdin().lock(), &mut v).context("reading --files-from -")?;
        v
    } else {
        std::fs::read(list)
            .with_context(|| format!("cannot read --files-from {}", list.display()))?
    };
    let sep = if data.contains(&0) { 0 } else { b'\n' };
    Ok(data
        .split(|&b| b == sep)
        .map(|e| {
            if sep == b'\n' {
                e.strip_suffix(b"\r").unwrap_or(e)
            } else {
                e
            }
        })
        .filter(|e| !e.is_empty())
        .map(|e| PathBuf::from(std::ffi::OsStr::from_bytes(e)))
        .collect())
}

/// The config file for this scan, if any.
fn load_config(args: &ScanArgs, root: &Path) -> Result<Option<config::Loaded>> {
    if args.no_config {
        return Ok(None);
    }
    let Some(path) = config::find(args.config.as_deref(), root) else {
        return Ok(None);
    };
    let loaded = config::Loaded::read(&path)?;
    if args.verbose {
        eprintln!("leakscan: using config {}", path.display());
    }
    Ok(Some(loaded))
}

/// The config file's path relative to the scan root, if it lies inside it.
fn config_rel(loaded: Option<&config::Loaded>, root: &Path) -> Option<String> {
    let path = &loaded?.path;
    let rel = path.strip_prefix(root).ok()?.to_string_lossy().into_owned();
    Some(rel.strip_prefix("./").map(str::to_string).unwrap_or(rel))
}

fn scan(args: ScanArgs) -> Result<u8> {
    let (roots, root) = scan_roots(&args)?;
    let loaded = load_config(&args, &root)?;
    let cfg = loaded.as_ref().map(|l| &l.config);
    let detectors = detectors_for(loaded.as_ref())?;
    let (fingerprinter, key_source) = load_key(args.fingerprint_key_file.as_deref())?;
    match &key_source {
        KeySource::Created(path) => eprintln!(
            "leakscan: created fingerprint key {} (share it to get the same fingerprints elsewhere; see README)",
            path.display()
        ),
        KeySource::Ephemeral(why) => eprintln!(
            "leakscan: warning: fingerprints are valid for this run only ({why}); set LEAKSCAN_FINGERPRINT_KEY"
        ),
        _ => {}
    }
    let baseline = match &args.baseline {
        Some(path) => Baseline::load(path, &fingerprinter)?,
        None => Baseline::default(),
    };
    // the config's globs were checked when it was loaded
    let policy = Policy::new(cfg, config_rel(loaded.as_ref(), &root), baseline)
        .context("config allowlist paths")?;
    let mut accepted: Vec<BaselineEntry> = Vec::new();
    let mut exclude_globs = args.exclude.clone();
    exclude_globs.extend(cfg.iter().flat_map(|c| c.exclude.iter().cloned()));
    let excludes = build_excludes(&exclude_globs).context("invalid --exclude glob")?;
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if threads == 0 {
        bail!("--threads must be at least 1");
    }
    let min_confidence = match args.min_confidence {
        Some(MinConfidence::Low) => Confidence::Low,
        Some(MinConfidence::Medium) => Confidence::Medium,
        Some(MinConfidence::High) => Confidence::High,
        None => cfg
            .and_then(|c| c.min_confidence)
            .unwrap_or(Confidence::Medium),
    };
    let threshold = match args.fail_on {
        Some(f) => f.threshold(),
        None => cfg
            .and_then(|c| c.fail_on)
            .map_or(Some(Severity::Medium), |f| f.threshold()),
    };
    let mut progress = Progress::new(!args.quiet && io::stderr().is_terminal());
    let engine = Engine {
        detectors: &detectors,
        fingerprinter: &fingerprinter,
        scan: ScanOptions {
            chunk_size: args.chunk_size,
            min_confidence,
            show_secrets: args.show_secrets,
            max_file_size: args.max_file_size,
            bytes_read: progress.byte_counter(),
        },
        walk: WalkOptions {
            follow_symlinks: args.follow_symlinks,
            excludes,
            max_file_size: args.max_file_size,
        },
        threads,
    };

    let to_terminal = args.output.is_none() && io::stdout().is_terminal();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let out: Box<dyn Write> = match &args.output {
        Some(path) => open_output(path)?,
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    let mut reporter: Box<dyn Reporter> = match args.format {
        Format::Text => Box::new(Text::new(
            out,
            io::stderr(),
            color,
            args.verbose,
            min_confidence,
        )),
        Format::Jsonl => Box::new(JsonLines::new(out)),
        Format::Json => Box::new(JsonDocument::new(out)),
        Format::Sarif => Box::new(Sarif::new(out, detectors.rules())),
        Format::Github => Box::new(Github::new(
            out,
            std::env::var_os("GITHUB_STEP_SUMMARY")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
        )),
        Format::Csv => Box::new(Csv::new(out)),
        Format::Ecs => Box::new(siem::Siem::new(out, siem::Schema::Ecs)),
        Format::Ocsf => Box::new(siem::Siem::new(out, siem::Schema::Ocsf)),
        Format::Hec => Box::new(siem::Siem::new(out, siem::Schema::Hec)),
    };
    let native = args.format.is_native();

    let mut summary = Summary::new();
    let mut blocking = 0u64;
    let started = Instant::now();
    let run = engine.run(&roots, |mut r| {
        summary.suppressed_by_allowlist += policy.allowlist(&mut r.findings);
        if args.write_baseline.is_some() {
            accepted.extend(r.findings.iter().map(|f| BaselineEntry {
                path: f.rel_path.clone(),
                rule_id: f.rule.id.clone(),
                fingerprint: f.fingerprint.clone(),
            }));
        }
        summary.suppressed_by_baseline += policy.drop_baselined(&mut r.findings);
        match &r.outcome {
            Outcome::Scanned {
                bytes,
                binary,
                below_min_confidence,
                ignored_inline,
            } => {
                summary.suppressed_inline += ignored_inline;
                progress.file_done(r.findings.len() as u64);
                summary.files_seen += 1;
                summary.files_scanned += 1;
                summary.files_binary += u64::from(*binary);
                summary.bytes_scanned += bytes;
                summary.below_min_confidence += below_min_confidence;
            }
            Outcome::Skipped(reason) => summary.count_skip(*reason),
            Outcome::Failed { kind, error } => {
                summary.count_failure(kind);
                if !native {
                    progress.suspend(|| eprintln!("leakscan: {}: {error}", r.path));
                }
            }
        }
        for m in &r.members {
            match &m.issue {
                Issue::Skipped(reason) => summary.count_skip(*reason),
                Issue::Failed { kind, error } => {
                    summary.count_failure(kind);
                    if !native {
                        progress
                            .suspend(|| eprintln!("leakscan: {}!/{}: {error}", r.path, m.member));
                    }
                }
            }
        }
        for f in &r.findings {
            summary.count_finding(f);
            if threshold.is_some_and(|t| f.severity >= t) {
                blocking += 1;
            }
        }
        progress.suspend(|| reporter.file(&r))
    });
    progress.finish();
    if let Err(e) = run {
        if e.kind() == io::ErrorKind::BrokenPipe {
            return Ok(EXIT_ERROR); // the reader went away: nothing more to say
        }
        return Err(e).context("writing the report");
    }
    summary.set_elapsed(started.elapsed());
    if let Some(path) = &args.write_baseline {
        let n = suppress::write(path, accepted, &fingerprinter)
            .with_context(|| format!("cannot write baseline {}", path.display()))?;
        eprintln!(
            "leakscan: wrote {n} findings to baseline {}",
            path.display()
        );
        blocking = 0; // they are accepted now
    }
    let code = if blocking > 0 {
        EXIT_FINDINGS
    } else if summary.incomplete() {
        EXIT_INCOMPLETE
    } else {
        EXIT_CLEAN
    };
    summary.exit_code = i32::from(code);
    if !native && !args.quiet {
        eprintln!(
            "leakscan: {} findings in {} files scanned ({} skipped, {} failed{}); exit code {code}",
            summary.findings,
            summary.files_scanned,
            summary.files_skipped,
            summary.files_failed,
            if summary.incomplete() {
                ": the scan is incomplete"
            } else {
                ""
            },
        );
    }
    match reporter.finish(&summary) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(EXIT_ERROR),
        r => r.context("writing the report")?,
    }
    Ok(code)
}
