//! SQL dumps (pg_dump plain format, mysqldump), read in one pass in
//! bounded memory: each table's rows — pg_dump's `COPY … FROM stdin;`
//! blocks and `INSERT INTO t [(cols)] VALUES (…), (…);` statements,
//! mysqldump's extended inserts — are handed back as CSV pieces named after
//! the table ([`super::table`]), values unescaped, with the column names of
//! the statement or of the table's `CREATE TABLE`; the rest (comments, DDL)
//! is handed back as text (member `text`) whose findings keep the dump's
//! line numbers.
//!
//! A table that appears in several places of a dump is handed back once per
//! place, each piece with its header; its rows are numbered across the
//! dump. A dump is recognised by its content (pg_dump's and mysqldump's
//! header comments, or table statements at line starts), whatever its name.
//! pg_dump's custom format (`PGDMP`) is recorded as `unsupported_format`.

use std::collections::HashMap;
use std::io::{self, Read};

use super::table_csv::{TableCsv, PIECE};
use super::{Format, Scope};
use crate::outcome::{Damage, SkipReason};
use crate::provenance::Step;

/// The member name of the text outside tables.
const TEXT: &str = "text";
/// A statement head (`COPY … FROM stdin;`, `INSERT INTO … VALUES`) or a
/// `CREATE TABLE` kept to read its columns: at most this many bytes.
const STATEMENT_CAP: usize = 1 << 20;
/// Tables whose columns and row counts are remembered.
const MAX_TABLES: usize = 10_000;

/// A SQL dump in text form.
pub(crate) static SQL_DUMP: Format = Format {
    name: "sql_dump",
    sniff,
    file_checks: false,
    read,
};

/// pg_dump's custom (`-Fc`) archive format: recognised, not read.
pub(crate) static PG_CUSTOM: Format = Format {
    name: "pg_dump_custom",
    sniff: |head, _| head.starts_with(b"PGDMP"),
    file_checks: false,
    read: |scope, _| {
        scope.skip(None, SkipReason::UnsupportedFormat);
        Ok(())
    },
};

/// A dump's header comment, or table statements at line starts: one in a
/// file named like a dump, two otherwise. The dump's own text member is
/// never a dump again.
fn sniff(head: &[u8], path: &str) -> bool {
    if path.ends_with(&format!("!/{TEXT}")) {
        return false;
    }
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if is_mysql(head) || memchr::memmem::find(head, b"-- PostgreSQL database dump").is_some() {
        return true;
    }
    let lower = path.to_ascii_lowercase();
    let named = [".sql", ".dump", ".pgsql", ".mysql", ".psql"]
        .iter()
        .any(|e| lower.ends_with(e));
    let statements = head
        .split(|&b| b == b'\n')
        .filter(|l| !matches!(Start::of(l), Start::Text))
        .count();
    statements >= if named { 1 } else { 2 }
}

/// mysqldump's or mariadb-dump's header comment (after MariaDB's
/// sandbox-mode line).
fn is_mysql(head: &[u8]) -> bool {
    let top = &head[..head.len().min(512)];
    memchr::memmem::find(top, b"-- MySQL dump").is_some()
        || memchr::memmem::find(top, b"-- MariaDB dump").is_some()
}

/// What a line starts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Start {
    Copy,
    Insert,
    Create,
    Text,
}

impl Start {
    fn of(line: &[u8]) -> Start {
        let starts = |p: &[u8]| line.len() >= p.len() && line[..p.len()].eq_ignore_ascii_case(p);
        if starts(b"COPY ") {
            Start::Copy
        } else if starts(b"INSERT INTO ")
            || starts(b"INSERT IGNORE INTO ")
            || starts(b"REPLACE INTO ")
        {
            Start::Insert
        } else if starts(b"CREATE TABLE ") {
            Start::Create
        } else {
            Start::Text
        }
    }
}

/// The dump as bytes, with the line of the next one.
struct Bytes<'r> {
    r: &'r mut dyn Read,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    /// 1-based line of the next byte.
    line: u64,
    error: Option<io::Error>,
}

impl Bytes<'_> {
    /// At least `n` bytes ahead (fewer at the end), without taking them.
    fn ahead(&mut self, n: usize) -> &[u8] {
        if self.end - self.pos < n && self.error.is_none() {
            self.buf.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.pos = 0;
            while self.end < n {
                match self.r.read(&mut self.buf[self.end..]) {
                    Ok(0) => break,
                    Ok(k) => self.end += k,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        self.error = Some(e);
                        break;
                    }
                }
            }
        }
        &self.buf[self.pos..self.end]
    }

    fn peek(&mut self) -> Option<u8> {
        self.ahead(1).first().copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        if b == b'\n' {
            self.line += 1;
        }
        Some(b)
    }

    /// Takes bytes up to and with the next newline into `out`, at most
    /// `cap` of them; whether the line ended.
    fn line_into(&mut self, out: &mut Vec<u8>, cap: usize) -> bool {
        loop {
            let room = cap.saturating_sub(out.len());
            if room == 0 {
                return false;
            }
            let avail = self.ahead(1);
            if avail.is_empty() {
                return true;
            }
            let take = avail.len().min(room);
            match memchr::memchr(b'\n', &avail[..take]) {
                Some(i) => {
                    out.extend_from_slice(&avail[..=i]);
                    self.pos += i + 1;
                    self.line += 1;
                    return true;
                }
                None => {
                    out.extend_from_slice(&avail[..take]);
                    self.pos += take;
                }
            }
        }
    }
}

/// How string literals escape.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dialect {
    /// PostgreSQL with standard strings: only `''`.
    Postgres,
    /// MySQL: backslash escapes too.
    MySql,
}

/// The reader's state across statements.
struct Dump {
    /// Columns of each table from its `CREATE TABLE`.
    columns: HashMap<String, Vec<Vec<u8>>>,
    /// Rows handed back so far, per table.
    rows: HashMap<String, u64>,
    /// The table whose rows are being written.
    table: Option<TableCsv>,
    /// Text outside tables, and the line it starts on.
    text: Vec<u8>,
    text_line: u64,
    dialect: Dialect,
    /// Reused buffers: a statement head, a value.
    stmt: Vec<u8>,
    value: Vec<u8>,
    raw: Vec<u8>,
    fields: Vec<Vec<u8>>,
}

fn read(scope: &mut Scope<'_, '_, '_>, r: &mut dyn Read) -> io::Result<()> {
    let mut input = Bytes {
        r,
        buf: vec![0; 64 << 10],
        pos: 0,
        end: 0,
        line: 1,
        error: None,
    };
    let mysql = is_mysql(input.ahead(512));
    let mut dump = Dump {
        columns: HashMap::new(),
        rows: HashMap::new(),
        table: None,
        text: Vec::new(),
        text_line: 1,
        dialect: if mysql {
            Dialect::MySql
        } else {
            Dialect::Postgres
        },
        stmt: Vec::new(),
        value: Vec::new(),
        raw: Vec::new(),
        fields: Vec::new(),
    };
    let limit = scope.limits().max_in_memory as usize;
    while input.peek().is_some() {
        let start = Start::of(input.ahead(32));
        let line = input.line;
        match start {
            Start::Copy => dump.copy(scope, &mut input, limit),
            Start::Insert => dump.insert(scope, &mut input, limit),
            Start::Create => dump.create(scope, &mut input, limit),
            Start::Text => dump.text_line(scope, &mut input, line, limit),
        }
    }
    dump.end_table(scope);
    dump.flush_text(scope);
    match input.error.take() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

impl Dump {
    /// A line (or what is left of one) of text outside tables.
    fn text_line(
        &mut self,
        scope: &mut Scope<'_, '_, '_>,
        input: &mut Bytes<'_>,
        line: u64,
        limit: usize,
    ) {
        if self.text.is_empty() {
            self.text_line = line;
        }
        let before = self.text.len();
        if !input.line_into(&mut self.text, before + limit) {
            // a line longer than the in-memory cap: what was read is scanned
            scope.skip(Some(Step::Part(TEXT.into())), SkipReason::ArchiveLimit);
            self.text.push(b'\n');
            skip_line(input);
        }
        if self.text.len() >= PIECE {
            self.flush_text(scope);
        }
    }

    /// Statement bytes already taken that turned out not to be a table's:
    /// text, with the rest of their line.
    fn as_text(
        &mut self,
        scope: &mut Scope<'_, '_, '_>,
        input: &mut Bytes<'_>,
        line: u64,
        limit: usize,
    ) {
        if self.text.is_empty() {
            self.text_line = line;
        }
        let stmt = std::mem::take(&mut self.stmt);
        self.text.extend_from_slice(&stmt);
        self.stmt = stmt;
        if self.text.last() != Some(&b'\n') {
            self.text_line(scope, input, line, limit);
        }
    }

    fn flush_text(&mut self, scope: &mut Scope<'_, '_, '_>) {
        if self.text.is_empty() {
            return;
        }
        let first = scope.findings_len();
        let text = std::mem::take(&mut self.text);
        scope.member(Some(Step::Part(TEXT.into())), &mut &text[..], None);
        for f in scope.findings_since(first) {
            f.line = f.line.map(|l| l + self.text_line - 1);
        }
        self.text = text;
        self.text.clear();
    }

    /// Makes `name` the table rows go to, with `columns` as its header.
    fn table_for(&mut self, scope: &mut Scope<'_, '_, '_>, name: String, columns: Vec<Vec<u8>>) {
        if self.table.as_ref().is_some_and(|t| t.name() == name) {
            return;
        }
        self.end_table(scope);
        let columns = if columns.is_empty() {
            self.columns.get(&name).cloned().unwrap_or_default()
        } else {
            columns
        };
        let first = self.rows.get(&name).map_or(1, |n| n + 1);
        self.table = Some(TableCsv::new(name, &columns, first));
    }

    fn end_table(&mut self, scope: &mut Scope<'_, '_, '_>) {
        if let Some(mut t) = self.table.take() {
            t.flush(scope);
            let rows = t.next_row() - 1;
            if self.rows.len() < MAX_TABLES || self.rows.contains_key(t.name()) {
                self.rows.insert(t.name().to_string(), rows);
            }
        }
    }

    /// `COPY name (cols) FROM stdin;` and its rows up to `\.`.
    fn copy(&mut self, scope: &mut Scope<'_, '_, '_>, input: &mut Bytes<'_>, limit: usize) {
        let line = input.line;
        self.stmt.clear();
        let ended = input.line_into(&mut self.stmt, STATEMENT_CAP);
        let head = parse_copy(&self.stmt).filter(|_| ended);
        let Some((name, columns)) = head else {
            return self.as_text(scope, input, line, limit);
        };
        self.table_for(scope, name, columns);
        let table = self.table.as_mut().expect("set");
        loop {
            let ahead = input.ahead(3);
            if ahead.is_empty() {
                // no `\.`: the block ends with the dump
                scope.corrupt(Some(Step::Sheet(table.name().into())), Damage::Sql);
                break;
            }
            if ahead.starts_with(b"\\.") && matches!(ahead.get(2), None | Some(b'\n' | b'\r')) {
                skip_line(input);
                break;
            }
            table.start_row(Some(input.line));
            let mut cut = false;
            loop {
                self.value.clear();
                let end = copy_field(input, &mut self.value, limit);
                if self.value.len() >= limit {
                    cut = true;
                }
                if self.value.as_slice() == b"\\N" {
                    self.value.clear();
                }
                table.field(&self.value);
                if end != Some(b'\t') {
                    break;
                }
            }
            if cut {
                scope.skip(
                    Some(Step::Sheet(table.name().into())),
                    SkipReason::ArchiveLimit,
                );
            }
            table.end_row(scope);
        }
    }

    /// `INSERT INTO name [(cols)] VALUES (…), …;`
    fn insert(&mut self, scope: &mut Scope<'_, '_, '_>, input: &mut Bytes<'_>, limit: usize) {
        let line = input.line;
        self.stmt.clear();
        if !take_insert_head(input, &mut self.stmt) {
            return self.as_text(scope, input, line, limit);
        }
        let Some((name, columns)) = parse_insert(&self.stmt) else {
            return self.as_text(scope, input, line, limit);
        };
        if self.stmt.contains(&b'`') {
            self.dialect = Dialect::MySql;
        }
        self.table_for(scope, name, columns);
        let table = self.table.as_mut().expect("set");
        let sheet = Step::Sheet(table.name().to_string());
        let step = || Some(sheet.clone());
        let damaged = loop {
            skip_blank(input);
            if input.next() != Some(b'(') {
                break true;
            }
            table.start_row(Some(input.line));
            self.fields.clear();
            let mut ok = true;
            loop {
                self.value.clear();
                self.raw.clear();
                let end = sql_value(input, self.dialect, &mut self.value, &mut self.raw, limit);
                // a string's text; NULL as empty; else as written
                let v = if !self.value.is_empty()
                    || end.strings
                    || self.raw.eq_ignore_ascii_case(b"null")
                {
                    &self.value
                } else {
                    &self.raw
                };
                if end.cut {
                    scope.skip(step(), SkipReason::ArchiveLimit);
                }
                table.field(v);
                match end.delimiter {
                    Some(b',') => {}
                    Some(b')') => break,
                    _ => {
                        ok = false;
                        break;
                    }
                }
            }
            table.end_row(scope);
            if !ok {
                break true;
            }
            skip_blank(input);
            match input.next() {
                Some(b',') => {}
                Some(b';') => break false,
                _ => break true,
            }
        };
        if damaged {
            scope.corrupt(step(), Damage::Sql);
        }
        // the rest of the statement's line
        let line = input.line;
        if input.peek() == Some(b'\n') {
            input.next();
        } else if input.peek().is_some() {
            self.stmt.clear();
            self.as_text(scope, input, line, limit);
        }
    }

    /// `CREATE TABLE`: text, and its columns remembered.
    fn create(&mut self, scope: &mut Scope<'_, '_, '_>, input: &mut Bytes<'_>, limit: usize) {
        self.stmt.clear();
        loop {
            let line = input.line;
            let from = self.text.len();
            self.text_line(scope, input, line, limit);
            let text_start = if self.text.len() >= from { from } else { 0 };
            let added = &self.text[text_start..];
            if self.stmt.len() + added.len() <= STATEMENT_CAP {
                self.stmt.extend_from_slice(added);
            }
            let last = self.stmt.trim_ascii_end();
            if last.ends_with(b";") || input.peek().is_none() || self.stmt.len() >= STATEMENT_CAP {
                break;
            }
        }
        if let Some((name, columns)) = parse_create(&self.stmt) {
            if self.columns.len() < MAX_TABLES {
                self.columns.insert(name, columns);
            }
        }
    }
}

fn skip_line(input: &mut Bytes<'_>) {
    while let Some(b) = input.next() {
        if b == b'\n' {
            break;
        }
    }
}

fn skip_blank(input: &mut Bytes<'_>) {
    while input.peek().is_some_and(|b| b.is_ascii_whitespace()) {
        input.next();
    }
}

/// One field of a `COPY` row, unescaped into `out` (at most `cap` bytes
/// kept); the byte that ended it (`\t`, `\n`, or `None` at the end).
fn copy_field(input: &mut Bytes<'_>, out: &mut Vec<u8>, cap: usize) -> Option<u8> {
    let push = |out: &mut Vec<u8>, b: u8| {
        if out.len() < cap {
            out.push(b);
        }
    };
    loop {
        let b = input.next()?;
        match b {
            b'\t' | b'\n' => return Some(b),
            b'\r' if input.peek() == Some(b'\n') => {}
            b'\\' => {
                let Some(e) = input.next() else {
                    push(out, b'\\');
                    return None;
                };
                match e {
                    b'N' if out.is_empty() => {
                        out.extend_from_slice(b"\\N");
                    }
                    b'b' => push(out, 8),
                    b'f' => push(out, 12),
                    b'n' => push(out, b'\n'),
                    b'r' => push(out, b'\r'),
                    b't' => push(out, b'\t'),
                    b'v' => push(out, 11),
                    b'0'..=b'7' => {
                        let mut n = u32::from(e - b'0');
                        for _ in 0..2 {
                            match input.peek() {
                                Some(d @ b'0'..=b'7') => {
                                    input.next();
                                    n = n * 8 + u32::from(d - b'0');
                                }
                                _ => break,
                            }
                        }
                        push(out, n as u8);
                    }
                    b'x' => {
                        let mut n = 0u8;
                        let mut k = 0;
                        while k < 2 {
                            match input.peek().and_then(|d| (d as char).to_digit(16)) {
                                Some(d) => {
                                    input.next();
                                    n = n * 16 + d as u8;
                                    k += 1;
                                }
                                None => break,
                            }
                        }
                        push(out, if k == 0 { b'x' } else { n });
                    }
                    b'\n' => {
                        push(out, b'\n');
                    }
                    other => push(out, other),
                }
            }
            _ => push(out, b),
        }
    }
}

/// How a value of a `VALUES` tuple ended.
struct ValueEnd {
    /// `,`, `)`, or anything else (damage) / `None` at the end.
    delimiter: Option<u8>,
    /// It held a string literal (its value is the strings' text).
    strings: bool,
    /// It was longer than the cap.
    cut: bool,
}

/// One value of a `VALUES` tuple: string literals unescaped into `strings`,
/// the rest (numbers, `NULL`, casts, function calls) as written into `raw`.
fn sql_value(
    input: &mut Bytes<'_>,
    dialect: Dialect,
    strings: &mut Vec<u8>,
    raw: &mut Vec<u8>,
    cap: usize,
) -> ValueEnd {
    let mut end = ValueEnd {
        delimiter: None,
        strings: false,
        cut: false,
    };
    let mut depth = 0u32;
    skip_blank(input);
    while let Some(b) = input.next() {
        match b {
            b'\'' | b'"' => {
                // pg's E'' strings take backslash escapes
                let backslash = dialect == Dialect::MySql
                    || raw.last().is_some_and(|&c| c == b'E' || c == b'e');
                if raw.last().is_some_and(|&c| c == b'E' || c == b'e') {
                    raw.pop();
                }
                end.strings = true;
                if !string_literal(input, b, backslash, strings, cap) {
                    return end;
                }
                if strings.len() >= cap {
                    end.cut = true;
                }
            }
            b'(' | b'[' => {
                depth += 1;
                raw.push(b);
            }
            b')' | b']' if depth > 0 => {
                depth -= 1;
                raw.push(b);
            }
            b',' | b')' if depth == 0 => {
                end.delimiter = Some(b);
                trim_end(raw);
                return end;
            }
            b';' if depth == 0 => {
                end.delimiter = Some(b);
                return end;
            }
            _ => {
                if raw.len() < cap {
                    raw.push(b);
                } else {
                    end.cut = true;
                }
            }
        }
    }
    end
}

fn trim_end(v: &mut Vec<u8>) {
    while v.last().is_some_and(|b| b.is_ascii_whitespace()) {
        v.pop();
    }
}

/// The rest of a string literal opened by `quote`, unescaped into `out`
/// (at most `cap` bytes kept); false if the dump ends inside it.
fn string_literal(
    input: &mut Bytes<'_>,
    quote: u8,
    backslash: bool,
    out: &mut Vec<u8>,
    cap: usize,
) -> bool {
    let push = |out: &mut Vec<u8>, b: u8| {
        if out.len() < cap {
            out.push(b);
        }
    };
    loop {
        let Some(b) = input.next() else {
            return false;
        };
        if b == quote {
            if input.peek() == Some(quote) {
                input.next();
                push(out, quote);
                continue;
            }
            return true;
        }
        if b == b'\\' && backslash {
            let Some(e) = input.next() else {
                return false;
            };
            push(
                out,
                match e {
                    b'0' => b' ',
                    b'b' => 8,
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    b'Z' => 26,
                    other => other,
                },
            );
            continue;
        }
        push(out, b);
    }
}

/// Takes an `INSERT` head up to its `VALUES` keyword (on its line, outside
/// quotes) into `out`; false when the line or the cap ends first.
fn take_insert_head(input: &mut Bytes<'_>, out: &mut Vec<u8>) -> bool {
    let mut quote = None;
    while out.len() < STATEMENT_CAP {
        let Some(b) = input.peek() else {
            return false;
        };
        if b == b'\n' {
            return false;
        }
        input.next();
        out.push(b);
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if matches!(b, b'"' | b'`') => quote = Some(b),
            None => {
                let n = out.len();
                if n >= 7
                    && out[n - 6..].eq_ignore_ascii_case(b"values")
                    && matches!(out[n - 7], b' ' | b')' | b'\t')
                    && input
                        .peek()
                        .is_none_or(|c| c.is_ascii_whitespace() || c == b'(')
                {
                    return true;
                }
            }
        }
    }
    false
}

/// Identifiers and punctuation of a statement head.
fn tokens(s: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let b = s[i];
        if b.is_ascii_whitespace() {
            i += 1;
        } else if b == b'"' || b == b'`' || b == b'[' {
            let close = if b == b'[' { b']' } else { b };
            let mut t = Vec::new();
            i += 1;
            while i < s.len() {
                if s[i] == close {
                    if s.get(i + 1) == Some(&close) && close != b']' {
                        t.push(close);
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                t.push(s[i]);
                i += 1;
            }
            // a quoted identifier is marked so that it is never a keyword
            t.insert(0, 0);
            out.push(t);
        } else if b"(),;.".contains(&b) {
            out.push(vec![b]);
            i += 1;
        } else {
            let start = i;
            while i < s.len() && !s[i].is_ascii_whitespace() && !b"(),;.\"`[".contains(&s[i]) {
                i += 1;
            }
            out.push(s[start..i].to_vec());
        }
    }
    out
}

fn ident(t: &[u8]) -> &[u8] {
    t.strip_prefix(&[0]).unwrap_or(t)
}

fn is(t: &[u8], word: &str) -> bool {
    t.eq_ignore_ascii_case(word.as_bytes())
}

/// A qualified name at `toks[i..]` (`public.t`, `` `db`.`t` ``): the name
/// and the index after it.
fn name_at(toks: &[Vec<u8>], mut i: usize) -> Option<(String, usize)> {
    let mut name = Vec::new();
    loop {
        let t = toks.get(i)?;
        if t.len() == 1 && b"(),;.".contains(&t[0]) {
            return None;
        }
        name.extend_from_slice(ident(t));
        i += 1;
        if toks.get(i).is_some_and(|t| t == b".") {
            name.push(b'.');
            i += 1;
        } else {
            return Some((String::from_utf8_lossy(&name).into_owned(), i));
        }
    }
}

/// A parenthesised list of names at `toks[i..]`, and the index after it.
fn columns_at(toks: &[Vec<u8>], mut i: usize) -> Option<(Vec<Vec<u8>>, usize)> {
    if toks.get(i)? != b"(" {
        return Some((Vec::new(), i));
    }
    i += 1;
    let mut cols = Vec::new();
    loop {
        let t = toks.get(i)?;
        if t == b")" {
            return Some((cols, i + 1));
        }
        if t != b"," {
            cols.push(ident(t).to_vec());
        }
        i += 1;
    }
}

/// `COPY name [(cols)] FROM stdin;`
fn parse_copy(stmt: &[u8]) -> Option<(String, Vec<Vec<u8>>)> {
    let toks = tokens(stmt);
    if !is(toks.first()?, "copy") {
        return None;
    }
    let (name, i) = name_at(&toks, 1)?;
    let (cols, i) = columns_at(&toks, i)?;
    (is(toks.get(i)?, "from") && is(toks.get(i + 1)?, "stdin")).then_some((name, cols))
}

/// `INSERT [IGNORE] INTO name [(cols)] VALUES` / `REPLACE INTO …`.
fn parse_insert(stmt: &[u8]) -> Option<(String, Vec<Vec<u8>>)> {
    let toks = tokens(stmt);
    let into = toks.iter().take(3).position(|t| is(t, "into"))?;
    let (name, i) = name_at(&toks, into + 1)?;
    let (cols, i) = columns_at(&toks, i)?;
    is(toks.get(i)?, "values").then_some((name, cols))
}

/// Column names of `CREATE TABLE [IF NOT EXISTS] name ( … )`: the first
/// word of each top-level item that is not a constraint.
fn parse_create(stmt: &[u8]) -> Option<(String, Vec<Vec<u8>>)> {
    let toks = tokens(stmt);
    let mut i = 2;
    if toks.get(i).is_some_and(|t| is(t, "if")) {
        i += 3;
    }
    let (name, mut i) = name_at(&toks, i)?;
    if toks.get(i)? != b"(" {
        return None;
    }
    i += 1;
    let mut cols = Vec::new();
    let mut depth = 0;
    let mut item_start = true;
    const CONSTRAINTS: [&str; 10] = [
        "primary",
        "key",
        "unique",
        "constraint",
        "index",
        "foreign",
        "check",
        "fulltext",
        "spatial",
        "exclude",
    ];
    while let Some(t) = toks.get(i) {
        match t.as_slice() {
            b"(" => depth += 1,
            b")" if depth == 0 => break,
            b")" => depth -= 1,
            b"," if depth == 0 => {
                item_start = true;
                i += 1;
                continue;
            }
            _ if item_start && depth == 0 && !CONSTRAINTS.iter().any(|c| is(t, c)) => {
                cols.push(ident(t).to_vec());
            }
            _ => {}
        }
        item_start = false;
        i += 1;
    }
    Some((name, cols))
}

/// Writes `fields` as a CSV row (tests).
#[cfg(test)]
fn csv_row(fields: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        super::table_csv::push_field(&mut out, f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(s: &[u8]) -> (Vec<u8>, usize) {
        (s.to_vec(), 0)
    }

    #[test]
    fn statement_heads_parse() {
        assert_eq!(
            parse_copy(b"COPY public.employees (id, \"my number\", name) FROM stdin;\n"),
            Some((
                "public.employees".into(),
                vec![b"id".to_vec(), b"my number".to_vec(), b"name".to_vec()]
            ))
        );
        assert_eq!(
            parse_insert(b"INSERT INTO `staff` VALUES"),
            Some(("staff".into(), vec![]))
        );
        assert_eq!(
            parse_insert(b"INSERT INTO public.t (a, b) VALUES"),
            Some(("public.t".into(), vec![b"a".to_vec(), b"b".to_vec()]))
        );
        let create = b"CREATE TABLE `staff` (\n  `id` int NOT NULL,\n  `my_number` char(12) DEFAULT NULL,\n  `pw` varchar(64),\n  PRIMARY KEY (`id`),\n  KEY `k` (`pw`)\n) ENGINE=InnoDB;\n";
        assert_eq!(
            parse_create(create),
            Some((
                "staff".into(),
                vec![b"id".to_vec(), b"my_number".to_vec(), b"pw".to_vec()]
            ))
        );
        let _ = input(b"");
    }

    #[test]
    fn values_unescape() {
        let text = b"'O\\'Brien, \\\"x\\\"', 12, NULL, E'a\\tb', '2024-01-01'::date)";
        let mut r: &[u8] = text;
        let mut input = Bytes {
            r: &mut r,
            buf: vec![0; 16],
            pos: 0,
            end: 0,
            line: 1,
            error: None,
        };
        let mut got = Vec::new();
        for dialect in [Dialect::MySql] {
            loop {
                let (mut s, mut raw) = (Vec::new(), Vec::new());
                let end = sql_value(&mut input, dialect, &mut s, &mut raw, 1 << 20);
                got.push(if end.strings { s } else { raw });
                if end.delimiter != Some(b',') {
                    break;
                }
            }
        }
        assert_eq!(
            got,
            vec![
                b"O'Brien, \"x\"".to_vec(),
                b"12".to_vec(),
                b"NULL".to_vec(),
                b"a\tb".to_vec(),
                b"2024-01-01".to_vec()
            ]
        );
        assert_eq!(
            csv_row(&[b"O'Brien, \"x\"", b"1"]),
            b"\"O'Brien, \"\"x\"\"\",1".to_vec()
        );
    }

    #[test]
    fn dumps_are_sniffed_by_content() {
        assert!(sniff(b"--\n-- PostgreSQL database dump\n--\n", "x.txt"));
        assert!(sniff(b"-- MySQL dump 10.13  Distrib 8.0\n", "x"));
        assert!(sniff(b"INSERT INTO t VALUES (1);\n", "backup.sql"));
        assert!(!sniff(b"INSERT INTO t VALUES (1);\n", "notes.txt"));
        assert!(sniff(
            b"INSERT INTO t VALUES (1);\nINSERT INTO t VALUES (2);\n",
            "x"
        ));
        assert!(!sniff(b"-- PostgreSQL database dump\n", "d.sql!/text"));
        assert!(!sniff(b"id,name\n1,a\n", "d.sql!/t.csv"));
    }
}
