//! Readers that must not run in the scanning process: legacy Office (OLE2
//! `.xls`, `.doc`, `.ppt`), `.xlsb`, `.ods` and RAR archives are read by a child process
//! (this same executable, started with [`CHILD_ARG`]) under an address-space
//! and CPU-time limit, and their sheets and text come back over a pipe.
//!
//! Why a child: calamine holds a workbook in memory (its cells as one dense
//! table) and has aborted the process on malformed `.xls` files (huge
//! allocations, calamine issues #174, #481); the RAR reader is young
//! ([`super::rar`]). An allocation failure or a
//! stack overflow aborts a process; it cannot be caught per file. In the
//! child it ends only the child: the parent records the file as a gap and
//! goes on. The limits ([`CHILD_MEMORY`], [`CHILD_CPU_SECONDS`],
//! [`INPUT_CAP`]) hold the child's peak memory under 100 MB whatever the
//! input.
//!
//! The pipe carries frames (a tag, a name, a payload): a sheet as CSV, a
//! text member, or a gap; the parent hands each to [`Scope::member`] and
//! never trusts the child beyond the frame sizes it allows.

use std::io::{self, BufReader, Read, Write};
use std::process::{Command, Stdio};

use super::Scope;
use crate::outcome::{Damage, SkipReason};
use crate::provenance::Step;

/// The first argument that makes `leakscan` run as a reader child.
pub const CHILD_ARG: &str = "__leakscan-read-document";

/// The child's address space: 96 MiB (its resident memory stays below).
pub const CHILD_MEMORY: u64 = 96 << 20;

/// The child's CPU time, in seconds: a reader that loops is stopped.
pub const CHILD_CPU_SECONDS: u64 = 30;

/// The largest file handed to a child: 16 MiB. A larger legacy workbook or
/// document is a gap (`archive_limit`): the reader holds it and the cells
/// it makes in memory.
pub const INPUT_CAP: u64 = 16 << 20;

/// What the child reads a file as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An OLE2 compound file: `.xls`, `.doc`, `.ppt` (others are gaps).
    Ole2,
    /// An Excel binary workbook (`.xlsb`, a zip).
    Xlsb,
    /// An OpenDocument spreadsheet (`.ods`, a zip).
    Ods,
    /// A RAR archive: its members come back as members (`Step::Entry`).
    Rar,
}

impl Kind {
    fn arg(self) -> &'static str {
        match self {
            Kind::Ole2 => "ole2",
            Kind::Xlsb => "xlsb",
            Kind::Ods => "ods",
            Kind::Rar => "rar",
        }
    }

    fn from_arg(arg: &str) -> Option<Kind> {
        [Kind::Ole2, Kind::Xlsb, Kind::Ods, Kind::Rar]
            .into_iter()
            .find(|k| k.arg() == arg)
    }
}

/// A frame's tag.
const SHEET: u8 = b'S';
const TEXT: u8 = b'T';
const GAP: u8 = b'G';
const END: u8 = b'E';

/// Why the child could not read a file or a member, sent as a gap frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gap {
    /// Password-protected (BIFF `FILEPASS`, Word's `fEncrypted`, an
    /// `EncryptedPackage` stream, PowerPoint's `CryptSession10Container`).
    Encrypted,
    /// An OLE2 file that is none of the formats read (`.msg`, ...).
    Unsupported,
    /// Damaged: the reader stopped (said in leakscan's words).
    Damaged,
    /// Past a limit of the reader (a RAR dictionary, an archive's output,
    /// a member's size): `archive_limit`.
    Limit,
}

impl Gap {
    fn code(self) -> u8 {
        match self {
            Gap::Encrypted => 1,
            Gap::Unsupported => 2,
            Gap::Damaged => 3,
            Gap::Limit => 4,
        }
    }

    fn of(code: u8) -> Gap {
        match code {
            1 => Gap::Encrypted,
            2 => Gap::Unsupported,
            4 => Gap::Limit,
            _ => Gap::Damaged,
        }
    }
}

/// Where the child writes what it read: frames on its stdout.
pub struct Frames<W: Write> {
    out: W,
}

impl<W: Write> Frames<W> {
    /// Frames written to `out`.
    pub fn new(out: W) -> Frames<W> {
        Frames { out }
    }

    fn frame(&mut self, tag: u8, name: &str, payload: &[u8]) -> io::Result<()> {
        self.out.write_all(&[tag])?;
        self.out.write_all(&(name.len() as u32).to_le_bytes())?;
        self.out.write_all(name.as_bytes())?;
        self.out.write_all(&(payload.len() as u64).to_le_bytes())?;
        self.out.write_all(payload)
    }

    /// A worksheet `name` as CSV (line N is row N, field C is column C).
    pub fn sheet(&mut self, name: &str, csv: &[u8]) -> io::Result<()> {
        self.frame(SHEET, name, csv)
    }

    /// The text of a document member (`WordDocument`, `PowerPoint Document`),
    /// or the bytes of an archive member.
    pub fn text(&mut self, name: &str, text: &[u8]) -> io::Result<()> {
        self.frame(TEXT, name, text)
    }

    /// A gap: the member `name` (empty: the file) was not read.
    pub fn gap(&mut self, name: &str, gap: Gap) -> io::Result<()> {
        self.frame(GAP, name, &[gap.code()])
    }

    fn end(mut self) -> io::Result<()> {
        self.frame(END, "", &[])?;
        self.out.flush()
    }
}

/// The child's side: limits itself, reads the file from stdin and writes
/// its frames to stdout. `args` are the arguments after [`CHILD_ARG`] (the
/// kind). Returns the process exit code.
pub fn child_main(args: &[String]) -> i32 {
    limit_self();
    let Some(kind) = args.first().and_then(|a| Kind::from_arg(a)) else {
        return 2;
    };
    let mut data = Vec::new();
    if io::stdin()
        .take(INPUT_CAP + 1)
        .read_to_end(&mut data)
        .is_err()
        || data.len() as u64 > INPUT_CAP
    {
        return 3;
    }
    let mut frames = Frames::new(io::BufWriter::new(io::stdout().lock()));
    let read = match kind {
        Kind::Ole2 => super::ole2::read(&data, &mut frames),
        Kind::Xlsb => super::workbook::read_xlsb(&data, &mut frames),
        Kind::Ods => super::workbook::read_ods(&data, &mut frames),
        Kind::Rar => super::rar::read(&data, &mut frames),
    };
    match read.and_then(|()| frames.end()) {
        Ok(()) => 0,
        Err(_) => 4,
    }
}

/// Sets the child's limits: address space, CPU time, no core dump, no file
/// written.
fn limit_self() {
    for (resource, value) in [
        (libc::RLIMIT_AS, CHILD_MEMORY),
        (libc::RLIMIT_CPU, CHILD_CPU_SECONDS),
        (libc::RLIMIT_CORE, 0),
        (libc::RLIMIT_FSIZE, 0),
    ] {
        let limit = libc::rlimit {
            rlim_cur: value as libc::rlim_t,
            rlim_max: value as libc::rlim_t,
        };
        // SAFETY: setrlimit reads the struct passed by reference and
        // touches no memory of ours; a failure leaves the limit unset,
        // which only the tests of the limits would notice.
        unsafe {
            libc::setrlimit(resource, &limit);
        }
    }
}

/// The parent's side: pipes `input` (the file from its first byte) to a
/// child reading it as `kind`, and hands each sheet and text it sends back
/// to `scope`. Without a helper executable (the library used on its own:
/// [`crate::scan::ScanOptions::helper`]) the file is an
/// `unsupported_format` gap.
pub(crate) fn read(
    scope: &mut Scope<'_, '_, '_>,
    kind: Kind,
    input: &mut dyn Read,
) -> io::Result<()> {
    let Some(helper) = scope.scanner.helper() else {
        scope.skip(None, SkipReason::UnsupportedFormat);
        return Ok(());
    };
    let mut child = Command::new(helper)
        .arg(CHILD_ARG)
        .arg(kind.arg())
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let (sent, over) = match send(input, &mut stdin) {
        Ok(sent) => sent,
        Err(e) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(e);
        }
    };
    drop(stdin);
    scope.set_bytes(sent);
    if over {
        let _ = child.kill();
        let _ = child.wait();
        scope.skip(None, SkipReason::ArchiveLimit);
        return Ok(());
    }
    let stdout = child.stdout.take().expect("piped stdout");
    let ended = receive(scope, kind, &mut BufReader::new(stdout));
    let status = child.wait()?;
    if !ended {
        // killed by its limits (an abort on a failed allocation, SIGXCPU,
        // a stack overflow) or stopped on damage it could not report
        if std::os::unix::process::ExitStatusExt::signal(&status).is_some() {
            scope.skip(None, SkipReason::ArchiveLimit);
        } else {
            scope.corrupt(None, Damage::Document);
        }
    }
    Ok(())
}

/// Copies the input to the child, at most [`INPUT_CAP`] bytes: the bytes
/// sent and whether there was more. A child that stops reading (it died)
/// ends the copy; its status tells why.
fn send(input: &mut dyn Read, to: &mut impl Write) -> io::Result<(u64, bool)> {
    let mut buf = vec![0u8; 64 << 10];
    let mut sent = 0u64;
    let mut open = true;
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => return Ok((sent, false)),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        sent += n as u64;
        if sent > INPUT_CAP {
            return Ok((sent, true));
        }
        if open && to.write_all(&buf[..n]).is_err() {
            open = false;
        }
    }
}

/// Reads the child's frames into `scope` (names are archive members for a
/// RAR, document parts otherwise); whether the end frame came.
fn receive(scope: &mut Scope<'_, '_, '_>, kind: Kind, from: &mut impl Read) -> bool {
    let cap = scope.limits().max_in_memory;
    loop {
        let Ok((tag, name)) = header(from) else {
            return false;
        };
        let Ok(len) = read_u64(from) else {
            return false;
        };
        if tag == END {
            return true;
        }
        let step = |name: String| match tag {
            SHEET => Step::Sheet(name),
            _ if kind == Kind::Rar => Step::Entry(name),
            _ => Step::Part(name),
        };
        if kind == Kind::Rar && !name.is_empty() {
            // an archive's member paths: their folders are names too
            scope.folders(&name);
        }
        if len > cap {
            // drained, never held
            let skipped = io::copy(&mut from.take(len), &mut io::sink());
            scope.skip(Some(step(name)), SkipReason::ArchiveLimit);
            if skipped.map_or(true, |n| n < len) {
                return false;
            }
            continue;
        }
        let mut payload = Vec::new();
        match from.take(len).read_to_end(&mut payload) {
            Ok(n) if n as u64 == len => {}
            _ => return false,
        }
        match tag {
            SHEET => super::workbook::hand_sheet(scope, name, &payload),
            TEXT => scope.member(Some(step(name)), &mut &payload[..], None),
            GAP => {
                if kind == Kind::Rar && !name.is_empty() {
                    // a member not read: its name is scanned as zip's are
                    scope.unread_name(&name);
                }
                let at = (!name.is_empty()).then(|| step(name));
                match Gap::of(payload.first().copied().unwrap_or(0)) {
                    Gap::Encrypted => scope.skip(at, SkipReason::Encrypted),
                    Gap::Unsupported => scope.skip(at, SkipReason::UnsupportedFormat),
                    Gap::Damaged if kind == Kind::Rar => scope.corrupt(at, Damage::Rar),
                    Gap::Damaged => scope.corrupt(at, Damage::Document),
                    Gap::Limit => scope.skip(at, SkipReason::ArchiveLimit),
                }
            }
            _ => return false,
        }
    }
}

/// A frame's tag and name (names longer than 64 KiB are refused).
fn header(from: &mut impl Read) -> io::Result<(u8, String)> {
    let mut tag = [0u8; 1];
    from.read_exact(&mut tag)?;
    let mut len = [0u8; 4];
    from.read_exact(&mut len)?;
    let len = u32::from_le_bytes(len);
    if len > 1 << 16 {
        return Err(io::ErrorKind::InvalidData.into());
    }
    let mut name = vec![0u8; len as usize];
    from.read_exact(&mut name)?;
    Ok((tag[0], String::from_utf8_lossy(&name).into_owned()))
}

fn read_u64(from: &mut impl Read) -> io::Result<u64> {
    let mut b = [0u8; 8];
    from.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_their_header() {
        let mut out = Vec::new();
        let mut f = Frames::new(&mut out);
        f.sheet("従業員", b"a,b\n").unwrap();
        f.gap("", Gap::Encrypted).unwrap();
        f.end().unwrap();
        let mut r = &out[..];
        assert_eq!(header(&mut r).unwrap(), (SHEET, "従業員".to_string()));
        assert_eq!(read_u64(&mut r).unwrap(), 4);
        let mut csv = [0u8; 4];
        r.read_exact(&mut csv).unwrap();
        assert_eq!(header(&mut r).unwrap(), (GAP, String::new()));
        assert_eq!(read_u64(&mut r).unwrap(), 1);
        let mut code = [0u8; 1];
        r.read_exact(&mut code).unwrap();
        assert_eq!(Gap::of(code[0]), Gap::Encrypted);
        assert_eq!(header(&mut r).unwrap().0, END);
    }

    #[test]
    fn send_stops_past_the_input_cap() {
        let big = vec![0u8; INPUT_CAP as usize + 10];
        let mut sink = Vec::new();
        let (sent, over) = send(&mut &big[..], &mut sink).unwrap();
        assert!(over && sent > INPUT_CAP);
        let (sent, over) = send(&mut &b"abc"[..], &mut sink).unwrap();
        assert_eq!((sent, over), (3, false));
    }
}
