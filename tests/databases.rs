//! SQL dumps and SQLite files as real producers write them: every planted
//! value is found in its table, column and row; the bad-check-digit decoy
//! never is; damaged databases end as gaps, not crashes.
//!
//! The fixtures in `tests/fixtures/db/` were written by PostgreSQL 15's
//! pg_dump (plain, `--inserts`, `--column-inserts`), mariadb-dump 10.11,
//! the sqlite3 CLI and pandas `to_csv`, from synthetic values made with
//! the check-digit code: `tests/fixtures/db/make_fixtures.py` makes them
//! and `planted.json` lists what was planted.

mod common;

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/db"))
}

fn planted() -> Value {
    serde_json::from_slice(&std::fs::read(fixtures().join("planted.json")).unwrap()).unwrap()
}

/// Scans `path` and returns the exit code and the JSON Lines records.
fn scan(path: &Path) -> (i32, Vec<Value>) {
    let out = Command::cargo_bin("leakscan")
        .unwrap()
        .env("LEAKSCAN_FINGERPRINT_KEY", "databases-test-key-0123456789")
        .timeout(Duration::from_secs(60))
        .args(["scan", "--no-config", "--format", "jsonl"])
        .arg(path)
        .output()
        .unwrap();
    let records = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (out.status.code().unwrap(), records)
}

fn findings(records: &[Value]) -> Vec<&Value> {
    records.iter().filter(|r| r["type"] == "finding").collect()
}

/// The finding of `rule` whose redacted value ends like `value`, in a
/// table whose name ends with `table`.
fn find<'a>(fs: &[&'a Value], rule: &str, value: &str, table: &str) -> Option<&'a Value> {
    let tail = &value[value.len() - 4..];
    fs.iter().copied().find(|f| {
        f["rule_id"] == rule
            && f["redacted"].as_str().unwrap().ends_with(tail)
            && f["member"].as_str().unwrap_or("").ends_with(table)
    })
}

fn check_tables(file: &str, with_lines: bool) {
    let p = planted();
    let (code, records) = scan(&fixtures().join(file));
    assert_eq!(code, 1, "{file}: findings make exit code 1");
    let fs = findings(&records);
    for (i, n) in p["my_numbers"].as_array().unwrap().iter().enumerate() {
        let f = find(&fs, "my_number", n.as_str().unwrap(), "employees")
            .unwrap_or_else(|| panic!("{file}: My Number of row {} not found", i + 1));
        assert_eq!(
            f["confidence"], "high",
            "{file}: the header is the evidence"
        );
        let cell = f["cell"].as_str().unwrap();
        assert!(
            cell.starts_with(&format!("個人番号, row {}", i + 1)),
            "{file}: cell {cell}"
        );
        assert_eq!(cell.contains(", line "), with_lines, "{file}: {cell}");
    }
    for (i, c) in p["cards"].as_array().unwrap().iter().enumerate() {
        let f = find(&fs, "payment_card", c.as_str().unwrap(), "employees")
            .unwrap_or_else(|| panic!("{file}: card of row {} not found", i + 1));
        let cell = f["cell"].as_str().unwrap();
        assert!(
            cell.starts_with(&format!("card_number, row {}", i + 1)),
            "{file}: {cell}"
        );
    }
    // an integer column dropped the zero of a My Number: its header gives it back
    let zero = p["zero_lost"].as_str().unwrap();
    let f = find(&fs, "my_number", zero, "payroll").expect("the zero-lost My Number");
    assert!(f["cell"].as_str().unwrap().starts_with("my_number, row 1"));
    let decoy = p["decoy"].as_str().unwrap();
    assert!(
        find(&fs, "my_number", decoy, "").is_none(),
        "{file}: the bad-check-digit decoy is reported"
    );
    assert!(
        !records
            .iter()
            .any(|r| r["type"] == "error" || r["type"] == "skipped"),
        "{file}: no gap in a healthy database"
    );
}

#[test]
fn pg_dump_plain_copy_blocks() {
    check_tables("pg_plain.sql", true);
}

#[test]
fn pg_dump_inserts() {
    check_tables("pg_inserts.sql", true);
}

#[test]
fn pg_dump_column_inserts() {
    check_tables("pg_column_inserts.sql", true);
}

#[test]
fn mysqldump_extended_inserts() {
    check_tables("mysqldump.sql", true);
}

#[test]
fn sqlite_tables() {
    check_tables("hr.sqlite3", false);
}

#[test]
fn a_gzipped_dump_under_any_name_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let dump = std::fs::read(fixtures().join("pg_plain.sql")).unwrap();
    let path = dir.path().join("nightly.backup");
    std::fs::write(&path, common::gz(&dump)).unwrap();
    let (code, records) = scan(&path);
    assert_eq!(code, 1);
    let zero = planted()["zero_lost"].as_str().unwrap().to_string();
    let f = find(&findings(&records), "my_number", &zero, "public.payroll").unwrap();
    // the gzip stream is part of its file: the table is the member
    assert_eq!(f["member"], "public.payroll");
}

#[test]
fn a_numeric_csv_column_regains_its_zero() {
    let p = planted();
    let (code, records) = scan(&fixtures().join("pandas_numeric.csv"));
    assert_eq!(code, 1);
    let fs = findings(&records);
    let zero = p["zero_lost"].as_str().unwrap();
    let f = find(&fs, "my_number", zero, "").expect("11 digits under 個人番号");
    assert_eq!(f["confidence"], "high");
    assert!(find(&fs, "my_number", p["decoy"].as_str().unwrap(), "").is_none());
    // without a header naming My Numbers, 11 digits are no My Number
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("orders.csv");
    std::fs::write(&other, format!("name,order_id\nA,{}\n", &zero[1..])).unwrap();
    let (code, records) = scan(&other);
    assert_eq!(code, 0);
    assert!(findings(&records).is_empty());
}

#[test]
fn damaged_databases_are_gaps_not_crashes() {
    let dir = tempfile::tempdir().unwrap();
    let db = std::fs::read(fixtures().join("hr.sqlite3")).unwrap();
    // cut in half, and every page's bytes scrambled past the header
    let mut scrambled = db.clone();
    for (i, b) in scrambled.iter_mut().enumerate().skip(100) {
        if i % 7 == 0 {
            *b ^= 0x5a;
        }
    }
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("cut.sqlite3", db[..db.len() / 2].to_vec()),
        ("scrambled.sqlite3", scrambled),
        (
            "unterminated.sql",
            b"COPY public.t (my_number) FROM stdin;\n123\n".to_vec(),
        ),
        (
            "broken_insert.sql",
            b"-- MySQL dump 10.13\nINSERT INTO `t` VALUES (1,'a'),(2,'b\n".to_vec(),
        ),
    ];
    for (name, data) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, data).unwrap();
        let (code, records) = scan(&path);
        assert!(matches!(code, 1 | 3), "{name}: exit {code}");
        assert!(
            records
                .iter()
                .any(|r| r["type"] == "error" || r["type"] == "skipped"),
            "{name}: damage must be a recorded gap"
        );
    }
}

#[test]
fn deleted_sqlite_rows_are_found_in_free_space() {
    // a table of 300 rows (several pages), 40 of them deleted with
    // secure_delete off (SQLite's default): their cells linger in freed
    // space until the file is vacuumed
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hr.db");
    let mut rng = common::Rng(1304);
    let numbers: Vec<String> = (0..300).map(|_| rng.my_number()).collect();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "PRAGMA secure_delete = OFF; \
             CREATE TABLE staff (id INTEGER PRIMARY KEY, name TEXT, 個人番号 TEXT);",
        )
        .unwrap();
        for n in &numbers {
            conn.execute(
                "INSERT INTO staff (name, 個人番号) VALUES ('佐藤 花子', ?1)",
                [n],
            )
            .unwrap();
        }
        conn.execute("DELETE FROM staff WHERE id % 7 = 0 OR id > 290", [])
            .unwrap();
    }
    let deleted: Vec<usize> = (1..=300usize)
        .filter(|id| id % 7 == 0 || *id > 290)
        .map(|id| id - 1)
        .collect();
    assert_eq!(deleted.len(), 51);
    let out = Command::cargo_bin("leakscan")
        .unwrap()
        .timeout(Duration::from_secs(60))
        .args(["scan", "--no-config", "--format", "jsonl", "--show-secrets"])
        .args(["--min-confidence", "low"])
        .arg(&path)
        .output()
        .unwrap();
    let records: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let fs = findings(&records);
    let places = |n: &str| -> Vec<String> {
        fs.iter()
            .filter(|f| f["rule_id"] == "my_number" && f["secret"] == n)
            .map(|f| f["member"].as_str().unwrap_or("").to_string())
            .collect()
    };
    // failure messages name row indices, never values
    for (i, n) in numbers.iter().enumerate() {
        let at = places(n);
        if deleted.contains(&i) {
            assert_eq!(at, ["free-space"], "deleted row {i}");
        } else {
            assert_eq!(at, ["staff"], "live row {i}: once, from its table");
        }
    }
    // a deleted row's cells are packed without their column names: low
    let freed = fs.iter().filter(|f| f["member"] == "free-space");
    assert!(freed.clone().all(|f| f["confidence"] == "low"));
    assert_eq!(freed.count(), deleted.len());
}

#[test]
fn sqlite_names_that_are_not_utf8_do_not_stop_the_file() {
    // made by the sqlite3 CLI from Latin-1 bytes (make_latin1.sh): a
    // column `r\xe9f` (rusqlite's column_names panicked on it: the whole
    // file was an internal_error, found by the `documents` fuzz target) and
    // a table `empl\xe9s`, which cannot be named in a UTF-8 query
    let (code, records) = scan(&fixtures().join("latin1_names.sqlite3"));
    assert_eq!(code, 1);
    let fs = findings(&records);
    let f = find(&fs, "my_number", "5352", "staff").expect("the staff row's My Number");
    assert_eq!(f["redacted"], "********5352");
    let gaps: Vec<_> = records
        .iter()
        .filter(|r| r["type"] == "error" || r["type"] == "skipped")
        .map(|r| (r["member"].as_str().unwrap(), r["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(gaps, [("empl\u{FFFD}s", "unsupported_format")]);
}
