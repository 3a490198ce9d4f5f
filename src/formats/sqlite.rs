//! SQLite database files (`SQLite format 3\0`): each table handed back as
//! CSV pieces named after it with its column names as the header
//! ([`super::table`]), read through the bundled SQLite library.
//!
//! Why SQLite itself rather than a page reader of our own: it is the
//! reference reader of its format, it is fuzzed continuously against
//! hostile database files (a corrupt file is an error, `SQLITE_CORRUPT`,
//! not a crash), and it knows every record and overflow-page layout. It is
//! held to limits: the copy it reads is opened read-only; its heap is
//! capped (`hard_heap_limit`), its page cache small, a value at most
//! [`Limits::max_in_memory`](super::limits::Limits) bytes, and its work (VM
//! steps) to a budget that grows with the file's size, so a file built to
//! loop ends as a gap.
//!
//! The file is not on disk for SQLite to open (it may be an archive member,
//! stdin, a git blob): up to [`IN_MEMORY`] bytes it is deserialized from
//! memory, a larger one is copied to a private temporary file (mode 0600,
//! deleted when read) within the file's byte budget. A WAL-mode database is
//! read as its main file: `-wal` and `-journal` files beside it (commits
//! not yet checkpointed) are not read with it, but are scanned as files of
//! their own.
//!
//! Deleted rows linger in free pages and freed cells until the file is
//! vacuumed: after the tables, the raw bytes of the whole file are scanned
//! for text runs as a binary file is ([`Scope::binary`], member
//! `free-space`), and what the tables gave already (a live row's value,
//! found again in its cell or an index) is dropped, so what remains is
//! what no live row holds. Like any value in binary data it is low
//! confidence unless a keyword is right beside it (a deleted row's cells
//! are packed together without their column names).

use std::collections::HashSet;
use std::io::{self, Read, Write};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use super::table_csv::TableCsv;
use super::{Format, Scope};
use crate::outcome::{Damage, SkipReason};
use crate::provenance::Step;

/// Databases up to this size are read from memory; larger ones from a
/// temporary copy.
pub const IN_MEMORY: u64 = 16 << 20;
/// The most SQLite may allocate, all databases together.
const HEAP_LIMIT: u64 = 48 << 20;
/// SQLite's page cache per database, in KiB.
const CACHE_KIB: i64 = 2048;
/// VM steps between two checks of the work budget.
const STEPS: i32 = 10_000;

/// A SQLite 3 database file.
pub(crate) static SQLITE: Format = Format {
    name: "sqlite",
    sniff: |head, _| head.starts_with(b"SQLite format 3\0"),
    file_checks: false,
    read,
};

fn read(scope: &mut Scope<'_, '_, '_>, r: &mut dyn Read) -> io::Result<()> {
    let mut data = Vec::new();
    let n = r.take(IN_MEMORY + 1).read_to_end(&mut data)? as u64;
    // a WAL-mode file (format bytes 2, 2) is read as a rollback-journal one:
    // the library reads no WAL from memory, and this copy has none
    if data.len() > 19 && data[18] == 2 && data[19] == 2 {
        data[18] = 1;
        data[19] = 1;
    }
    let (opened, copy) = if n <= IN_MEMORY {
        scope.set_bytes(n);
        (from_memory(&data), None)
    } else {
        let Some((file, size)) = to_temp(scope, &data, r)? else {
            return Ok(());
        };
        data = Vec::new();
        scope.set_bytes(size);
        let db = from_file(file.path());
        // the copy's name goes as soon as SQLite has it open; its bytes
        // stay readable through this handle for the free-space scan
        let copy = file.reopen()?;
        drop(file);
        (db, Some(copy))
    };
    let tables = scope.findings_len();
    match opened.and_then(|c| limit(c, n)) {
        Ok(conn) => read_tables(scope, &conn),
        Err(_) => scope.corrupt(None, Damage::Database),
    }
    if declared_size(&data).is_some_and(|size| n < size) {
        // shorter than its header says: the pages past the end (rows
        // SQLite would read there) are missing; the rest is read
        scope.corrupt(None, Damage::Database);
    }
    let raw = scope.findings_len();
    match copy {
        None => scope.binary(Step::FreeSpace, &mut &data[..]),
        Some(file) => scope.binary(Step::FreeSpace, &mut io::BufReader::new(file)),
    }
    drop_repeats(scope, tables, raw);
    Ok(())
}

/// The size in bytes that a database file's header declares (page size ×
/// "in-header database size"), when the header says that figure is valid
/// (its "version-valid-for" number equals the change counter; SQLite file
/// format, section 1.3). `None` for a header too short or not valid.
fn declared_size(data: &[u8]) -> Option<u64> {
    let be32 = |at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
    };
    let page_size = match u16::from_be_bytes(data.get(16..18)?.try_into().ok()?) {
        1 => 65_536,
        p => u64::from(p),
    };
    let pages = be32(28)?;
    (pages > 0 && be32(92)? == be32(24)?).then(|| page_size * u64::from(pages))
}

/// Drops the findings of the free-space scan (from `raw` on) that the
/// tables gave already (`tables..raw`): a live row's value is in the raw
/// bytes too, and in its indexes and stale copies of its cell. A value
/// left in free space more than once (a page split leaves copies of its
/// cells) is reported once.
fn drop_repeats(scope: &mut Scope<'_, '_, '_>, tables: usize, raw: usize) {
    let mut seen: HashSet<(&'static str, String)> = scope.findings_since(tables)[..raw - tables]
        .iter()
        .map(|f| (f.rule.id.as_str(), f.value_id.clone()))
        .collect();
    scope.drop_findings_since(raw, |f| {
        !seen.insert((f.rule.id.as_str(), f.value_id.clone()))
    });
}

/// A database deserialized from `data`, read-only.
fn from_memory(data: &[u8]) -> rusqlite::Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    conn.deserialize_read_exact("main", data, data.len(), true)?;
    Ok(conn)
}

/// A database opened read-only from a file nothing else writes.
fn from_file(path: &std::path::Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Connection::open_with_flags(path, flags)
}

/// Copies the database (`head`, then the rest of `r`) to a temporary file
/// within the file's budget; `None` (a gap recorded) past it.
fn to_temp(
    scope: &mut Scope<'_, '_, '_>,
    head: &[u8],
    r: &mut dyn Read,
) -> io::Result<Option<(tempfile::NamedTempFile, u64)>> {
    let budget = scope.budget();
    let mut file = tempfile::NamedTempFile::new()?;
    file.write_all(head)?;
    let rest = io::copy(
        &mut r.take(budget.saturating_sub(head.len() as u64) + 1),
        &mut file,
    )?;
    let size = head.len() as u64 + rest;
    if size > budget {
        scope.skip(None, SkipReason::ArchiveLimit);
        return Ok(None);
    }
    file.flush()?;
    Ok(Some((file, size)))
}

/// Holds the connection to its limits: heap, cache, value length, work.
fn limit(conn: Connection, size: u64) -> rusqlite::Result<Connection> {
    conn.execute_batch(&format!(
        "PRAGMA hard_heap_limit = {HEAP_LIMIT}; PRAGMA cache_size = -{CACHE_KIB}; \
         PRAGMA mmap_size = 0; PRAGMA query_only = 1; PRAGMA trusted_schema = 0; \
         PRAGMA cell_size_check = 1;"
    ))?;
    let max_value =
        i32::try_from(crate::formats::limits::Limits::default().max_in_memory).unwrap_or(i32::MAX);
    conn.set_limit(rusqlite::limits::Limit::SQLITE_LIMIT_LENGTH, max_value)?;
    // about 1,500 steps a byte: reading every row of a table costs tens
    let mut checks = 1_000 + size / 8;
    conn.progress_handler(
        STEPS,
        Some(move || {
            checks = checks.saturating_sub(1);
            checks == 0
        }),
    )?;
    Ok(conn)
}

/// Each table (not virtual ones, whose rows live in tables of their own)
/// as CSV pieces. SQLite keeps names as the bytes it was given: a table
/// whose name is not UTF-8 cannot be named in a query built here, and is
/// an `unsupported_format` gap (the others are read).
fn read_tables(scope: &mut Scope<'_, '_, '_>, conn: &Connection) {
    let tables: rusqlite::Result<Vec<Vec<u8>>> = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' \
             AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY rowid",
        )
        .and_then(|mut s| {
            s.query_map([], |row| Ok(text_bytes(row.get_ref(0)?)))?
                .collect::<rusqlite::Result<Vec<Vec<u8>>>>()
        });
    let Ok(tables) = tables else {
        scope.corrupt(None, Damage::Database);
        return;
    };
    for name in tables {
        let name = match String::from_utf8(name) {
            Ok(name) => name,
            Err(e) => {
                let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
                scope.skip(Some(Step::Sheet(lossy)), SkipReason::UnsupportedFormat);
                continue;
            }
        };
        if read_table(scope, conn, &name).is_err() {
            scope.corrupt(Some(Step::Sheet(name)), Damage::Database);
        }
    }
}

/// The bytes of a text (or blob) value, as SQLite holds them (not checked
/// for UTF-8); empty for other values.
fn text_bytes(value: ValueRef<'_>) -> Vec<u8> {
    match value {
        ValueRef::Text(t) | ValueRef::Blob(t) => t.to_vec(),
        _ => Vec::new(),
    }
}

/// The column names of table `name`, in the order `SELECT *` gives its
/// columns (`table_xinfo` by `cid`, generated columns included, hidden ones
/// not), as UTF-8: a name that is not (a column named in Latin-1 by the
/// program that made the file) has its stray bytes replaced, so that the
/// header stays UTF-8 with the other names' keywords; rusqlite's own
/// `column_names` panicked on it.
fn column_names(conn: &Connection, name: &str) -> rusqlite::Result<Vec<Vec<u8>>> {
    let mut stmt =
        conn.prepare("SELECT name FROM pragma_table_xinfo(?1) WHERE hidden <> 1 ORDER BY cid")?;
    let names = stmt.query_map([name], |row| {
        let raw = text_bytes(row.get_ref(0)?);
        Ok(String::from_utf8_lossy(&raw).into_owned().into_bytes())
    })?;
    names.collect()
}

/// One table's rows; an error ends it (the rows read so far are scanned).
fn read_table(
    scope: &mut Scope<'_, '_, '_>,
    conn: &Connection,
    name: &str,
) -> rusqlite::Result<()> {
    let sql = format!("SELECT * FROM \"{}\"", name.replace('"', "\"\""));
    let mut stmt = conn.prepare(&sql)?;
    let width = stmt.column_count();
    let mut columns = column_names(conn, name)?;
    // (the pragma and the statement agree; if they ever did not, the
    // columns are the statement's, some unnamed)
    columns.resize(width, Vec::new());
    let mut table = TableCsv::new(name.to_string(), &columns, 1);
    let mut rows = stmt.query([])?;
    let mut cell = Vec::new();
    let limit = scope.limits().max_in_memory as usize;
    let result = loop {
        let row = match rows.next() {
            Ok(Some(row)) => row,
            Ok(None) => break Ok(()),
            Err(e) => break Err(e),
        };
        table.start_row(None);
        for i in 0..width {
            cell.clear();
            match row.get_ref(i)? {
                ValueRef::Null => {}
                ValueRef::Integer(v) => cell.extend_from_slice(v.to_string().as_bytes()),
                ValueRef::Real(v) => cell.extend_from_slice(v.to_string().as_bytes()),
                ValueRef::Text(t) | ValueRef::Blob(t) => {
                    // control bytes (a blob's NULs) would make the piece binary
                    cell.extend(t.iter().map(|&b| match b {
                        0..=8 | 11..=31 | 127 => b' ',
                        _ => b,
                    }))
                }
            }
            if table.row_len() + cell.len() > limit {
                scope.skip(
                    Some(Step::Sheet(name.to_string())),
                    SkipReason::ArchiveLimit,
                );
                break;
            }
            table.field(&cell);
        }
        table.end_row(scope);
    };
    drop(rows);
    table.flush(scope);
    result
}
