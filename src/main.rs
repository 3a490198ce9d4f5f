//! The `leakscan` command line: arguments → settings → run → exit code.
//! The commands live in `cmd`; the scan's policy (allowlist, baseline,
//! counts, exit code) in the library's `policy` module.

use std::io;
use std::process::ExitCode as ProcessExit;

use clap::Parser;

use leakscan::outcome::ExitCode;

mod cmd;

/// The exit status when the reader of the output went away (`leakscan scan
/// | head -1`): 128 + SIGPIPE, what a shell reports for a process that
/// SIGPIPE killed, as it would kill most Unix tools. Not 2: nothing was
/// misused, and not 0: the report was not read in full.
const OUTPUT_CLOSED: u8 = 141;

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

/// Serves every allocation of 1 MiB or more from its own mapping, given
/// back to the system when it is freed. glibc otherwise raises that
/// threshold as large blocks are freed (up to 32 MiB) and keeps freed
/// blocks under it in each worker's heap: a decoder's window grows by
/// steps, each freed on the next, and what one file's decoder left there
/// stayed resident while the next file filled its own (xz -9 after
/// zstd --long: 93 MB instead of 76 MB; six such files on two workers
/// 110-160 MB instead of 78 MB). Buffers that hot paths reuse are smaller.
fn return_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt sets an allocator parameter; called once, first
    // thing in main, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

/// Prints clap's message for a usage error (or `--help`, `--version`)
/// with identifier-like digit runs masked and control characters escaped,
/// line by line, as names are: clap quotes the value it rejects, and a value
/// given by mistake (`--max-file-size 9458…`) must not reach a CI log raw.
fn usage_error(e: &clap::Error) -> ProcessExit {
    let text = e.render().to_string();
    let shown: String = text
        .lines()
        .map(|l| leakscan::redact::name(l).into_owned() + "\n")
        .collect();
    if e.use_stderr() {
        eprint!("{shown}");
    } else {
        print!("{shown}");
    }
    ProcessExit::from(e.exit_code() as u8)
}

fn main() -> ProcessExit {
    install_panic_hook();
    // as OS strings: a path argument need not be UTF-8 (std::env::args
    // would panic on it)
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .take(2)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if args.first().map(String::as_str) == Some(leakscan::formats::sandbox::CHILD_ARG) {
        // a reader child: legacy Office or ODS from stdin, frames to stdout
        let code = leakscan::formats::sandbox::child_main(&args[1..]);
        return ProcessExit::from(code as u8);
    }
    return_large_blocks();
    let cli = match cmd::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    let code = match cmd::run(cli) {
        Ok(status) => status.code(),
        // quietly, like a tool that SIGPIPE ended
        Err(e) if output_closed(&e) => OUTPUT_CLOSED,
        Err(e) => {
            // whatever an error quotes (a path, a value from the config)
            // is shown as names are: identifiers and credentials masked,
            // control characters escaped, on one line
            eprintln!("leakscan: error: {}", leakscan::redact::name(&message(&e)));
            ExitCode::Error.code()
        }
    };
    ProcessExit::from(code)
}

/// Whether `e` comes from writing to a pipe whose reader has gone: Rust
/// ignores SIGPIPE, so such a write fails with `EPIPE` instead of ending
/// the process.
fn output_closed(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        let kind = match cause.downcast_ref::<io::Error>() {
            Some(io) => Some(io.kind()),
            None => cause
                .downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind),
        };
        kind == Some(io::ErrorKind::BrokenPipe)
    })
}

/// `e` and its causes, joined by `: `, each once: a library error that
/// quotes its source (`cannot read config x: No such file or directory (os
/// error 2)`) would otherwise print the OS error twice.
fn message(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let part = cause.to_string();
        if text.ends_with(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}
