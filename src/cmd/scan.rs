//! `leakscan scan`: arguments → settings (config, detectors, key, policy,
//! engine, reporter) → the scan → the exit code.

use std::fs::OpenOptions;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

use leakscan::config;
use leakscan::detect::Detectors;
use leakscan::engine::{Ended, Engine};
use leakscan::finding::{Confidence, Severity};
use leakscan::fingerprint::{load_key, KeySource};
use leakscan::inputs::fs::{build_excludes, FileList, FsWalk, PathList, WalkOptions};
use leakscan::inputs::git_index::{self, GitIndex};
use leakscan::inputs::Enumerator;
use leakscan::outcome::{Issue, Outcome};
use leakscan::policy::{Pipeline, Settings};
use leakscan::progress::Progress;
use leakscan::read::DEFAULT_CHUNK;
use leakscan::report::{
    csv::Csv, github::Github, json::JsonDocument, jsonl::JsonLines, sarif::Sarif, siem, text::Text,
    Reporter,
};
use leakscan::scan::{FileResult, ScanOptions};
use leakscan::summary::INTERRUPTED_EXIT_CODE;
use leakscan::suppress::{self, Baseline, Policy};

use super::{detectors_for, Status};

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
pub struct ScanArgs {
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

    /// Read settings from FILE [default: the file $LEAKSCAN_CONFIG names,
    /// else .leakscan.toml at the top of the git work tree you run in; one
    /// inside the scanned data is never read].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Ignore any .leakscan.toml.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// Write the report to FILE (created with mode 0600) instead of stdout.
    /// FILE must not exist unless --force is given, and is refused even
    /// with --force when the scan reads it: a file scanned (named, or an
    /// existing file in a scanned directory), the --files-from list,
    /// --baseline, --config or --fingerprint-key-file, or any file with
    /// more than one hard link (another name of it may be scanned). A new
    /// FILE inside a scanned directory is allowed and is not scanned.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Overwrite the --output FILE if it exists.
    #[arg(long, requires = "output")]
    force: bool,

    /// Worker threads, 1 to 256 [default: number of cores].
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

    /// Largest decompression window to read (an xz or 7z dictionary, a
    /// zstd window; e.g. 64M, 1G) [default: the config's max_window, else
    /// 64M: xz -9, zstd -19, and 7z -mx9 and zstd --ultra -22 of up to 64M
    /// of input]. Windows over 16M take their memory from one budget of
    /// this size that all workers share; a larger one is an archive_limit
    /// gap. Peak memory is about this plus 40M.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_window: Option<u64>,

    /// Temporary disk one file's nested archives may take (e.g. 500M,
    /// 8G) [default: 2G]. A zip or 7z inside an archive needs random
    /// access: it is held in memory while it fits 16M for the whole file,
    /// else spilled to an unnamed file in TMPDIR; one over what is left of
    /// this is an archive_limit gap.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_spill: Option<u64>,

    /// Longest time one file may be read (e.g. 10m, 90s, 500ms, 1h; 0 or
    /// none for no limit) [default: the config's max_file_time, else 10m].
    /// A file read for longer (a pathological PDF, a huge compressed
    /// member) is a time_limit gap: the rest of it is not read, what was
    /// found before is reported. Its first 256K are always read.
    #[arg(long, value_name = "DURATION", value_parser = parse_file_time)]
    max_file_time: Option<FileTime>,

    /// Report findings at or above this confidence; the rest are only
    /// counted [default: the config's min_confidence, else medium].
    #[arg(long, value_enum)]
    min_confidence: Option<MinConfidence>,

    /// Exit with 1 when a reported finding has at least this severity
    /// [default: the config's fail_on, else medium].
    #[arg(long, value_enum)]
    fail_on: Option<config::FailOn>,

    /// Accept gaps of these reasons: what was not read for them does not
    /// make the scan incomplete (exit 3), though it is still counted and
    /// listed. Reasons: archive_limit, encrypted, unsupported_format,
    /// too_deep, no_text_layer, time_limit, and the failure kinds (corrupt_archive, permission_denied,
    /// ...). Repeatable or comma-separated; added to the config's `accept`.
    #[arg(long, value_name = "REASON", value_delimiter = ',', value_parser = parse_reason)]
    accept: Vec<String>,

    /// Ignore `leakscan:ignore` comments: report what they would hide. A
    /// comment counts only in a file's own text anyway, never inside an
    /// archive member, a document's part or a name [default: the config's
    /// inline_ignore, else they count].
    #[arg(long)]
    no_inline_ignore: bool,

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

    /// Bytes of directory listing the walk may hold (testing; at least
    /// 16K) [default: 16M].
    #[arg(long, hide = true, value_name = "SIZE", value_parser = parse_size)]
    listing_budget: Option<u64>,

    /// Bytes one file's nested archives may hold in memory together
    /// (testing) [default: 16M].
    #[arg(long, hide = true, value_name = "SIZE", value_parser = parse_size)]
    memory_budget: Option<u64>,
}

/// A per-file time budget as given (`--max-file-time`, `max_file_time`):
/// `None` for no limit.
#[derive(Clone, Copy, Debug)]
struct FileTime(Option<Duration>);

/// The default of `--max-file-time`: long enough for any real file (a
/// gigabyte of text takes seconds, the slowest PDFs and sheets minutes at
/// most), short enough that one pathological file cannot hold a CI job for
/// hours.
const DEFAULT_MAX_FILE_TIME: Duration = Duration::from_secs(600);

/// Parses a duration: `0`, `none` or `off` (no limit), a number of seconds
/// (`90`, `0.5`), or a number with units (`10m`, `1h 30m`, `500ms`, `1ns`).
fn parse_file_time(s: &str) -> Result<FileTime, String> {
    let t = s.trim();
    let bad =
        || format!("invalid duration {t:?} (e.g. 10m, 90s, 500ms, 1h; 0 or none for no limit)");
    if matches!(t.to_ascii_lowercase().as_str(), "none" | "off") {
        return Ok(FileTime(None));
    }
    let d = match t.parse::<f64>() {
        Ok(secs) => Duration::try_from_secs_f64(secs).map_err(|_| bad())?,
        Err(_) => humantime::parse_duration(t).map_err(|_| bad())?,
    };
    Ok(FileTime((!d.is_zero()).then_some(d)))
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

/// Most worker threads `--threads` accepts.
const MAX_THREADS: usize = 256;

/// Opens the report file with mode 0600: it lists where leaks are. An
/// existing file is refused unless `force` (atomically: `O_EXCL`), and
/// even with `force` when it has more than one hard link: another name of
/// the same file may be one the scan reads (`data/staff.txt` linked as
/// `report.txt`), which truncating would empty before it is read. The
/// link count is read from the opened file, before anything is truncated.
/// A device or pipe (`/dev/null`, `/dev/stdout`) is written to as it is.
fn open_output(path: &Path, force: bool) -> Result<Box<dyn Write>> {
    use std::os::unix::fs::PermissionsExt;
    let special = std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir());
    let mut options = OpenOptions::new();
    options.write(true).mode(0o600);
    if special {
        // nothing to create or truncate
    } else if force {
        // truncated below, once the file is known to have one name
        options.create(true).truncate(false);
    } else {
        options.create_new(true);
    }
    let f = options.open(path).map_err(|e| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            anyhow::anyhow!(
                "output file {} exists: use --force to overwrite it",
                shown(path)
            )
        } else {
            anyhow::Error::new(e).context(format!("cannot create output file {}", shown(path)))
        }
    })?;
    if !special {
        let meta = f
            .metadata()
            .with_context(|| format!("cannot read the output file {}", shown(path)))?;
        if meta.nlink() > 1 {
            bail!(
                "refusing to write the report to {}: it has {} hard links, and another name of it may be a file being scanned (remove it, or choose another file)",
                shown(path),
                meta.nlink()
            );
        }
        f.set_len(0)
            .with_context(|| format!("cannot truncate the output file {}", shown(path)))?;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("cannot restrict permissions of {}", shown(path)))?;
    }
    Ok(Box::new(BufWriter::new(Named {
        inner: f,
        path: shown(path),
    })))
}

/// The report file, whose write errors name it (`-o /dev/full`: "cannot
/// write the report to /dev/full: No space left on device"); the error's
/// kind is kept (a closed pipe still ends quietly).
struct Named<W> {
    inner: W,
    /// The path as shown.
    path: String,
}

impl<W: Write> Named<W> {
    fn named(&self, e: io::Error) -> io::Error {
        let cause = io::Error::from(e.kind());
        let cause = e.raw_os_error().map_or(cause, io::Error::from_raw_os_error);
        io::Error::new(
            e.kind(),
            format!("cannot write the report to {}: {cause}", self.path),
        )
    }
}

impl<W: Write> Write for Named<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf).map_err(|e| self.named(e))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush().map_err(|e| self.named(e))
    }
}

/// A gap reason `--accept` knows.
fn parse_reason(s: &str) -> Result<String, String> {
    let s = s.trim();
    if leakscan::outcome::acceptable_reasons().any(|r| r == s) {
        Ok(s.to_string())
    } else {
        let known: Vec<&str> = leakscan::outcome::acceptable_reasons().collect();
        Err(format!(
            "unknown reason {s:?} (one of: {})",
            known.join(", ")
        ))
    }
}

/// The gap reasons accepted: `--accept` and the config's `accept`.
fn accepted(
    args: &ScanArgs,
    cfg: Option<&config::Config>,
) -> Result<std::collections::BTreeSet<String>> {
    let mut accept: std::collections::BTreeSet<String> = args.accept.iter().cloned().collect();
    for r in cfg.iter().flat_map(|c| c.accept.iter()) {
        accept.insert(parse_reason(r).map_err(|e| anyhow::anyhow!("config `accept`: {e}"))?);
    }
    Ok(accept)
}

/// Refuses an `--output` FILE that the scan reads: a file named as an
/// input (it would be truncated before it is read) or one inside a scanned
/// directory (the report would be scanned while it is written). Compared
/// by device and inode, and by canonical path for directories.
fn refuse_output_among_inputs(output: &Path, roots: &Roots) -> Result<()> {
    let Roots::Paths { paths, list } = roots else {
        return Ok(()); // staged blobs are read from the git index
    };
    let Some(target) = canonical_target(output) else {
        return Ok(()); // no such directory: creating the file says so
    };
    let target_id = std::fs::metadata(&target).ok().map(|m| (m.dev(), m.ino()));
    for root in paths.iter().filter(|r| r.as_os_str() != "-") {
        refuse_output_at(output, &target, target_id, root)?;
    }
    if let Some(list) = list {
        // the list read once more, as it will be for the walk
        let mut refused = Ok(());
        list.source
            .open()
            .with_context(|| format!("cannot read --files-from {}", list.shown))?
            .for_each(&mut |root| {
                refused = refuse_output_at(output, &target, target_id, root);
                refused.is_ok()
            })
            .with_context(|| format!("cannot read --files-from {}", list.shown))?;
        refused?;
    }
    Ok(())
}

/// Refuses an `--output` FILE (canonical `target`, its device and inode
/// when it exists) that is `root` or lies inside it.
fn refuse_output_at(
    output: &Path,
    target: &Path,
    target_id: Option<(u64, u64)>,
    root: &Path,
) -> Result<()> {
    let Ok(meta) = std::fs::metadata(root) else {
        return Ok(()); // the walk reports it
    };
    if meta.is_dir() {
        // an existing file there is an input; a new report there is
        // allowed, and the walk skips it (see `report_file`)
        let inside = std::fs::canonicalize(root).is_ok_and(|dir| target.starts_with(dir));
        if inside && target_id.is_some() {
            bail!(
                "refusing to write the report to {}: it is inside the scanned directory {}, one of the files being scanned",
                shown(output),
                shown(root)
            );
        }
    } else if target_id == Some((meta.dev(), meta.ino())) {
        bail!(
            "refusing to write the report to {}: it is one of the files being scanned ({})",
            shown(output),
            shown(root)
        );
    }
    Ok(())
}

/// The report file, now created, as the walk is to skip it: (file name,
/// device, inode). A report written inside a scanned directory (a SARIF
/// file in the checkout) is not read back while it is written.
fn report_file(output: Option<&Path>) -> Option<(std::ffi::OsString, u64, u64)> {
    let path = output?;
    let meta = std::fs::metadata(path).ok().filter(|m| m.is_file())?;
    Some((path.file_name()?.to_os_string(), meta.dev(), meta.ino()))
}

/// Where `path` leads: itself through symlinks if it exists, else its
/// directory's canonical path joined with its name; `None` if that
/// directory does not exist either.
fn canonical_target(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = std::fs::canonicalize(path) {
        return Some(p);
    }
    let name = path.file_name()?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(dir).ok()?.join(name))
}

/// A flag that SIGINT, SIGTERM and SIGHUP (the terminal went away) set, for
/// the scan to stop on; a second
/// signal ends the process at once with exit code 130, and so does the
/// first one when the scan has not ended [`STOP_GRACE`] after it (its
/// report blocked on a full pipe that nobody reads: the write is restarted
/// after the signal and would wait for ever). signal-hook's handlers only
/// store to the flag (async-signal-safe), with no unsafe code here.
fn stop_on_signals() -> Result<Arc<AtomicBool>> {
    use signal_hook::flag;
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        // registered first, so it sees the flag as an earlier signal left it
        flag::register_conditional_shutdown(signal, INTERRUPTED_EXIT_CODE, Arc::clone(&stop))
            .and_then(|_| flag::register(signal, Arc::clone(&stop)))
            .context("cannot install the signal handlers")?;
    }
    let watched = Arc::clone(&stop);
    std::thread::Builder::new()
        .name("leakscan-stop".into())
        .spawn(move || end_after_grace(&watched))
        .context("cannot start the signal watcher")?;
    Ok(stop)
}

/// How long a scan told to stop may take to write what it has (a window's
/// end, the summary) before the process ends without it.
pub const STOP_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// Waits for `stop`, then [`STOP_GRACE`], then ends the process with exit
/// code 130 (the scan had not ended by itself). Looks at the flag ten
/// times a second: a thread that sleeps, not a signal handler.
fn end_after_grace(stop: &AtomicBool) {
    use std::sync::atomic::Ordering;
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    std::thread::sleep(STOP_GRACE);
    signal_hook::low_level::exit(INTERRUPTED_EXIT_CODE);
}

/// What a scan covers, before the walk options are known.
enum Roots {
    /// Files and directories (`-`: stdin), then those of a `--files-from`
    /// list.
    Paths {
        paths: PathList,
        list: Option<ListArg>,
    },
    /// The blobs staged in the git index.
    Staged(Vec<git_index::StagedBlob>),
}

/// The `--files-from` list: read as the walk goes, never held.
struct ListArg {
    source: ListSource,
    /// Its name as messages show it.
    shown: String,
    /// The list opened for the walk (its first chunk read, so that a list
    /// that cannot be read is a usage error before the scan).
    walk: FileList,
}

/// Where a `--files-from` list is read from.
enum ListSource {
    /// A file, which can be read again.
    File(PathBuf),
    /// Standard input, read once.
    Stdin,
    /// Standard input copied to an unnamed temporary file, to be read
    /// twice (once to check `--output` against it, once to walk it).
    Spooled(std::fs::File),
}

impl ListSource {
    /// The list, from its start.
    fn open(&self) -> io::Result<FileList> {
        let reader: Box<dyn io::Read + Send> = match self {
            ListSource::File(path) => Box::new(std::fs::File::open(path)?),
            ListSource::Stdin => Box::new(io::stdin()),
            ListSource::Spooled(file) => {
                let mut file = file.try_clone()?;
                io::Seek::seek(&mut file, io::SeekFrom::Start(0))?;
                Box::new(file)
            }
        };
        FileList::new(reader)
    }
}

impl Roots {
    /// The enumerator that lists them.
    fn into_enumerator(self, options: WalkOptions) -> Box<dyn Enumerator> {
        match self {
            Roots::Paths { paths, list } => Box::new(FsWalk {
                roots: paths,
                list: list.map(|l| l.walk),
                options,
            }),
            Roots::Staged(blobs) => Box::new(GitIndex { blobs, options }),
        }
    }
}

/// What a scan covers and where its root is (for `.leakscan.toml`).
fn scan_roots(args: &ScanArgs) -> Result<(Roots, PathBuf)> {
    if args.staged {
        let top = git_index::toplevel(Path::new("."))?;
        // paths are relative to the top level, as `git diff --cached` shows them
        return Ok((Roots::Staged(git_index::staged_blobs(&top)?), top));
    }
    for p in args.paths.iter().filter(|p| p.as_os_str() != "-") {
        // only a path that is not there is a usage error; one that cannot
        // be looked at (a folder without search permission) is a failure
        // the walk reports with its OS error
        match std::fs::symlink_metadata(p).map_err(|e| e.kind()) {
            Err(io::ErrorKind::NotFound) => bail!("{}: no such file or directory", shown(p)),
            Err(io::ErrorKind::NotADirectory) => {
                bail!("{}: a parent of it is not a directory", shown(p))
            }
            _ => {}
        }
    }
    let mut paths = PathList::from(args.paths.clone());
    if args
        .files_from
        .as_deref()
        .is_some_and(|l| l.as_os_str() == "-")
        && args.paths.iter().any(|p| p.as_os_str() == "-")
    {
        bail!("standard input cannot be both a PATH (`-`) and the --files-from list");
    }
    let list = match &args.files_from {
        Some(list) => Some(open_file_list(list, args.output.is_some())?),
        None => None,
    };
    if list.is_none() && paths.is_empty() {
        paths.push(Path::new("."));
    }
    let root = match args.paths.first() {
        Some(p) if p.is_dir() => p.clone(),
        _ => PathBuf::from("."),
    };
    Ok((Roots::Paths { paths, list }, root))
}

/// The `--files-from` list `list` (`-`: stdin), opened for the walk: read
/// as the walk goes ([`FileList`]). Standard input is first copied to an
/// unnamed temporary file when it is to be read twice (`twice`: the
/// `--output` file is checked against the list before it is created).
fn open_file_list(list: &Path, twice: bool) -> Result<ListArg> {
    let shown_list = shown(list);
    let source = if list.as_os_str() != "-" {
        ListSource::File(list.to_path_buf())
    } else if twice {
        let mut file = tempfile::tempfile().context("reading --files-from -: no temporary file")?;
        io::copy(&mut io::stdin().lock(), &mut file).context("reading --files-from -")?;
        ListSource::Spooled(file)
    } else {
        ListSource::Stdin
    };
    let walk = source
        .open()
        .with_context(|| format!("cannot read --files-from {shown_list}"))?;
    Ok(ListArg {
        source,
        shown: shown_list,
        walk,
    })
}

/// The config file for this scan, if any.
fn load_config(args: &ScanArgs, root: &Path) -> Result<Option<config::Loaded>> {
    if args.no_config {
        return Ok(None);
    }
    let (found, foreign) = match config::find(args.config.as_deref()) {
        config::Found::File(path) => (Some(path), None),
        config::Found::Foreign { path, owner } => {
            eprintln!(
                "leakscan: warning: {} not read: it or its git work tree is owned by another user (uid {owner}), and git refuses such a repository; use --config or LEAKSCAN_CONFIG to apply it",
                shown(&path)
            );
            (None, Some(path))
        }
        config::Found::None => (None, None),
    };
    let shipped = root.join(config::FILE_NAME);
    let said = |f: &Option<PathBuf>| f.as_deref().is_some_and(|f| same_file(f, &shipped));
    if shipped.is_file() && !said(&found) && !said(&foreign) {
        eprintln!(
            "leakscan: note: {} not read: a config inside the scanned data is not trusted (use --config or LEAKSCAN_CONFIG to apply it)",
            shown(&shipped)
        );
    }
    let Some(path) = found else {
        return Ok(None);
    };
    let loaded = config::Loaded::read(&path)?;
    // always said: a config can exclude paths and change the gate
    if !args.quiet {
        eprintln!("leakscan: using config {}", shown(&path));
    }
    Ok(Some(loaded))
}

/// The config file's path relative to the scan root, if it lies inside it.
fn config_rel(loaded: Option<&config::Loaded>, root: &Path) -> Option<String> {
    let path = std::fs::canonicalize(&loaded?.path).ok()?;
    let root = std::fs::canonicalize(root).ok()?;
    Some(leakscan::names::path(path.strip_prefix(root).ok()?).into_owned())
}

/// Whether two paths name the same file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Refuses an `--output` FILE that is one of the files the scan reads
/// besides its inputs (the `--files-from` list, `--baseline`, the config,
/// the fingerprint key), even with `--force`: overwriting one would lose
/// it (the key cannot be made again) before or while it is read.
fn refuse_output_over_settings(output: &Path, read: &[(&str, Option<&Path>)]) -> Result<()> {
    let Ok(target) = std::fs::metadata(output) else {
        return Ok(()); // a new file: nothing to lose
    };
    for (what, path) in read {
        let Some(meta) = path.and_then(|p| std::fs::metadata(p).ok()) else {
            continue;
        };
        if (meta.dev(), meta.ino()) == (target.dev(), target.ino()) && target.is_file() {
            bail!(
                "refusing to write the report to {}: it is the {what} this scan reads",
                shown(output)
            );
        }
    }
    Ok(())
}

/// Runs a scan: how it ended, or the error that stopped it.
pub fn run(args: ScanArgs) -> Result<Status> {
    let (roots, root) = scan_roots(&args)?;
    if let Some(output) = &args.output {
        refuse_output_among_inputs(output, &roots)?;
    }
    let loaded = load_config(&args, &root)?;
    if let Some(output) = &args.output {
        refuse_output_over_settings(
            output,
            &[
                ("--files-from list", args.files_from.as_deref()),
                ("--baseline", args.baseline.as_deref()),
                ("config", loaded.as_ref().map(|l| l.path.as_path())),
                ("--config", args.config.as_deref()),
                (
                    "--fingerprint-key-file",
                    args.fingerprint_key_file.as_deref(),
                ),
            ],
        )?;
    }
    let cfg = loaded.as_ref().map(|l| &l.config);
    let detectors = detectors_for(loaded.as_ref())?;
    let (fingerprinter, key_source) = load_key(args.fingerprint_key_file.as_deref())?;
    announce_key(&key_source);
    let baseline = match &args.baseline {
        Some(path) => Baseline::load(path, &fingerprinter)?,
        None => Baseline::default(),
    };
    // the config's globs were checked when it was loaded
    let policy = Policy::new(cfg, config_rel(loaded.as_ref(), &root), baseline)
        .context("config allowlist paths")?;
    let mut exclude_globs = args.exclude.clone();
    exclude_globs.extend(cfg.iter().flat_map(|c| c.exclude.iter().cloned()));
    let excludes = build_excludes(&exclude_globs).context("invalid --exclude glob")?;
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if threads == 0 {
        bail!("--threads must be at least 1");
    }
    if threads > MAX_THREADS {
        // each worker holds its buffers and starts its own reader state:
        // 5,000 took 212 s and 118 MB on a 388 KB file (fresh-eyes trial)
        bail!("--threads must be at most {MAX_THREADS}");
    }
    let min_confidence = min_confidence(&args, cfg);
    let mut progress = Progress::new(!args.quiet && io::stderr().is_terminal());
    let stop = stop_on_signals()?;
    let engine = Engine {
        detectors: &detectors,
        fingerprinter: &fingerprinter,
        scan: ScanOptions {
            chunk_size: args.chunk_size,
            min_confidence,
            show_secrets: args.show_secrets,
            max_file_size: args.max_file_size,
            max_window: max_window(&args, cfg)?,
            max_spill: args.max_spill,
            memory_budget: args.memory_budget,
            bytes_read: progress.byte_counter(),
            cancel: Some(Arc::clone(&stop)),
            max_file_time: max_file_time(&args, cfg)?,
            helper: std::env::current_exe().ok(),
            inline_ignore: !args.no_inline_ignore
                && cfg.and_then(|c| c.inline_ignore) != Some(false),
        },
        threads,
    };
    let mut reporter = reporter(&args, &detectors, min_confidence)?;
    let inputs = roots.into_enumerator(WalkOptions {
        follow_symlinks: args.follow_symlinks,
        excludes,
        max_file_size: args.max_file_size,
        skip_file: report_file(args.output.as_deref()),
        listing_budget: args
            .listing_budget
            .map(|b| usize::try_from(b).unwrap_or(usize::MAX)),
    });
    let native = args.format.is_native();
    let mut pipeline = Pipeline::new(Settings {
        policy,
        fail_on: fail_on(&args, cfg),
        write_baseline: args.write_baseline.is_some(),
        accept: accepted(&args, cfg)?,
    });

    let started = Instant::now();
    let run = engine.run_until(&*inputs, &stop, |mut r| {
        pipeline.apply(&mut r);
        if let Outcome::Scanned { .. } = r.outcome {
            progress.file_done(r.findings.len() as u64);
        }
        if !native {
            let failures = failure_lines(&r);
            if !failures.is_empty() {
                progress.suspend(|| failures.iter().for_each(|l| eprintln!("{l}")));
            }
        }
        progress.suspend(|| reporter.file(&r))
    });
    progress.finish();
    // a closed pipe ends here too: main exits quietly with 141
    let interrupted = run.context("writing the report")? == Ended::Interrupted;
    let mut done = pipeline.finish(started.elapsed());
    if interrupted {
        done.summary.mark_interrupted();
    }
    if let Some(path) = &args.write_baseline {
        if interrupted {
            eprintln!(
                "leakscan: baseline {} not written: the scan was interrupted",
                shown(path)
            );
        } else {
            let n = suppress::write(path, done.accepted, &fingerprinter)
                .with_context(|| format!("cannot write baseline {}", shown(path)))?;
            eprintln!("leakscan: wrote {n} findings to baseline {}", shown(path));
        }
    }
    let summary = done.summary;
    reporter.finish(&summary).context("writing the report")?;
    if !native && !args.quiet {
        eprintln!("{}", summary_line(&summary));
    }
    Ok(if interrupted {
        Status::Interrupted
    } else {
        Status::Done(done.exit_code)
    })
}

/// The stderr summary of the formats that do not carry one.
fn summary_line(summary: &leakscan::summary::Summary) -> String {
    let incomplete = if summary.interrupted {
        ": interrupted, the scan is incomplete"
    } else if summary.incomplete() {
        ": the scan is incomplete"
    } else {
        ""
    };
    format!(
        "leakscan: {} findings in {} files scanned ({} skipped, {} failed{incomplete}); exit code {}",
        summary.findings,
        summary.files_scanned,
        summary.files_skipped,
        summary.files_failed,
        summary.exit_code,
    )
}

/// Tells on stderr where the fingerprint key came from, when the user
/// should know.
fn announce_key(key_source: &KeySource) {
    match key_source {
        KeySource::Created(path) => eprintln!(
            "leakscan: created fingerprint key {} (share it to get the same fingerprints elsewhere; see README)",
            shown(path)
        ),
        KeySource::Ephemeral(why) => eprintln!(
            "leakscan: warning: fingerprints are valid for this run only ({why}); set LEAKSCAN_FINGERPRINT_KEY"
        ),
        _ => {}
    }
}

/// `--min-confidence`, else the config's, else medium.
fn min_confidence(args: &ScanArgs, cfg: Option<&config::Config>) -> Confidence {
    match args.min_confidence {
        Some(MinConfidence::Low) => Confidence::Low,
        Some(MinConfidence::Medium) => Confidence::Medium,
        Some(MinConfidence::High) => Confidence::High,
        None => cfg
            .and_then(|c| c.min_confidence)
            .unwrap_or(Confidence::Medium),
    }
}

/// `--max-window`, else the config's `max_window`, else `None` (the
/// default).
fn max_window(args: &ScanArgs, cfg: Option<&config::Config>) -> Result<Option<u64>> {
    if args.max_window.is_some() {
        return Ok(args.max_window);
    }
    cfg.and_then(|c| c.max_window.as_deref())
        .map(|s| parse_size(s).map_err(|e| anyhow::anyhow!("config `max_window`: {e}")))
        .transpose()
}

/// `--max-file-time`, else the config's `max_file_time`, else
/// [`DEFAULT_MAX_FILE_TIME`]; `None`: no limit.
fn max_file_time(args: &ScanArgs, cfg: Option<&config::Config>) -> Result<Option<Duration>> {
    if let Some(FileTime(t)) = args.max_file_time {
        return Ok(t);
    }
    match cfg.and_then(|c| c.max_file_time.as_deref()) {
        Some(s) => parse_file_time(s)
            .map(|FileTime(t)| t)
            .map_err(|e| anyhow::anyhow!("config `max_file_time`: {e}")),
        None => Ok(Some(DEFAULT_MAX_FILE_TIME)),
    }
}

/// `--fail-on`, else the config's, else medium; `None` for `never`.
fn fail_on(args: &ScanArgs, cfg: Option<&config::Config>) -> Option<Severity> {
    match args.fail_on {
        Some(f) => f.threshold(),
        None => cfg
            .and_then(|c| c.fail_on)
            .map_or(Some(Severity::Medium), |f| f.threshold()),
    }
}

/// The reporter of `--format`, writing to `--output` or stdout.
fn reporter(
    args: &ScanArgs,
    detectors: &Detectors,
    min_confidence: Confidence,
) -> Result<Box<dyn Reporter>> {
    let to_terminal = args.output.is_none() && io::stdout().is_terminal();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let out: Box<dyn Write> = match &args.output {
        Some(path) => open_output(path, args.force)?,
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    Ok(match args.format {
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
    })
}

/// The stderr lines for a file that failed and for its members that
/// failed (for the formats that do not carry failures themselves).
fn failure_lines(r: &FileResult) -> Vec<String> {
    let mut lines = Vec::new();
    if let Outcome::Failed { error, .. } = &r.outcome {
        lines.push(format!("leakscan: {}: {error}", r.path));
    }
    for m in &r.members {
        if let Issue::Failed { error, .. } = &m.issue {
            lines.push(format!(
                "leakscan: {}!/{}: {error}",
                r.path,
                m.member_path()
            ));
        }
    }
    lines
}

/// A path as messages show it: identifiers in it masked, control
/// characters escaped ([`leakscan::redact::name`]).
fn shown(path: &std::path::Path) -> String {
    leakscan::redact::path(path)
}
