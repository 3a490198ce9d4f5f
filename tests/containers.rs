//! Archives end to end: zip (CP932 names, encrypted, bombs), tar, tar.gz,
//! plain and concatenated gzip, nesting; findings keep the file on disk as
//! `path` and name the `member`.

mod common;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use common::{gz, tar_bytes, zip_bytes, Rng};
use serde_json::Value;

fn scan(dir: &Path) -> (i32, Vec<Value>, String, String) {
    let out = Command::cargo_bin("leakscan")
        .unwrap()
        .env("LEAKSCAN_FINGERPRINT_KEY", "containers-test-key-0123456789")
        .timeout(Duration::from_secs(120))
        .args(["scan", "--format", "jsonl", dir.to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let records = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (
        out.status.code().unwrap(),
        records,
        stdout,
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn of_type<'a>(records: &'a [Value], t: &str) -> Vec<&'a Value> {
    records.iter().filter(|r| r["type"] == t).collect()
}

/// The given fields of every finding, sorted; `file` is the last component
/// of `path`, a missing field is "".
fn fields(records: &[Value], keys: &[&str]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = of_type(records, "finding")
        .iter()
        .map(|f| {
            keys.iter()
                .map(|&k| match k {
                    "file" => f["path"]
                        .as_str()
                        .unwrap()
                        .rsplit('/')
                        .next()
                        .unwrap()
                        .to_string(),
                    k => f[k].as_str().unwrap_or("").to_string(),
                })
                .collect()
        })
        .collect();
    out.sort();
    out
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

#[test]
fn members_of_every_container_are_scanned_and_named() {
    let mut rng = Rng(7070);
    let (a, b, c, d) = (
        rng.my_number(),
        rng.my_number(),
        rng.my_number(),
        rng.my_number(),
    );
    let pw = format!("Pw{}-q", rng.digits(10));
    let csv = |n: &str| format!("name,個人番号\nA,{n}\n").into_bytes();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::write(
        p.join("backup.zip"),
        zip_bytes(&[(b"hr/staff.csv", &csv(&a)), (b"readme.txt", b"nothing\n")]),
    )
    .unwrap();
    let inner_zip = zip_bytes(&[(b"deep/.env", format!("DB_PASSWORD={pw}\n").as_bytes())]);
    fs::write(
        p.join("site.tar.gz"),
        gz(&tar_bytes(&[
            ("etc/list.csv", &csv(&b)),
            ("inner.zip", &inner_zip),
        ])),
    )
    .unwrap();
    fs::write(p.join("plain.tar"), tar_bytes(&[("x/y.csv", &csv(&c))])).unwrap();
    // two gzip members back to back: both are read
    let mut two = gz("name,個人番号\n".as_bytes());
    two.extend(gz(format!("A,{d}\n").as_bytes()));
    fs::write(p.join("export.csv.gz"), two).unwrap();
    // bzip2, xz, zstd: the same CSV in each
    let e = rng.my_number();
    let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
    bz.write_all(&csv(&e)).unwrap();
    fs::write(p.join("a.csv.bz2"), bz.finish().unwrap()).unwrap();
    let mut xz = lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::default()).unwrap();
    xz.write_all(&csv(&e)).unwrap();
    fs::write(p.join("b.csv.xz"), xz.finish().unwrap()).unwrap();
    let zst = ruzstd::encoding::compress_to_vec(
        &csv(&e)[..],
        ruzstd::encoding::CompressionLevel::Fastest,
    );
    fs::write(
        p.join("c.tar.zst"),
        ruzstd::encoding::compress_to_vec(
            &tar_bytes(&[("d/e.csv", &csv(&e))])[..],
            ruzstd::encoding::CompressionLevel::Fastest,
        ),
    )
    .unwrap();
    fs::write(p.join("f.csv.zst"), zst).unwrap();

    let (code, records, stdout, stderr) = scan(p);
    assert_eq!(code, 1, "{stderr}");
    let found = fields(&records, &["file", "member", "rule_id"]);
    let expected: Vec<Vec<String>> = [
        row(&["a.csv.bz2", "a.csv", "my_number"]),
        row(&["b.csv.xz", "b.csv", "my_number"]),
        row(&["backup.zip", "hr/staff.csv", "my_number"]),
        row(&["c.tar.zst", "d/e.csv", "my_number"]),
        row(&["export.csv.gz", "export.csv", "my_number"]),
        row(&["f.csv.zst", "f.csv", "my_number"]),
        row(&["plain.tar", "x/y.csv", "my_number"]),
        row(&["site.tar.gz", "etc/list.csv", "my_number"]),
        row(&["site.tar.gz", "inner.zip!/deep/.env", "password-assignment"]),
    ]
    .to_vec();
    assert_eq!(found, expected);
    for f in of_type(&records, "finding")
        .iter()
        .filter(|f| f["category"] == "my_number")
    {
        assert_eq!(
            f["confidence"], "high",
            "the CSV header applies inside archives too"
        );
    }
    for raw in [&a, &b, &c, &d, &pw] {
        assert!(!stdout.contains(raw.as_str()) && !stderr.contains(raw.as_str()));
    }
    let s = of_type(&records, "summary")[0];
    assert_eq!(s["files_failed"], 0);
}

#[test]
fn cp932_member_names_are_decoded() {
    let n = Rng(932).my_number();
    let (name, _, _) = encoding_rs::SHIFT_JIS.encode("従業員/マイナンバー一覧.csv");
    let dir = tempfile::tempdir().unwrap();
    // write the raw CP932 bytes ourselves: the zip crate only takes UTF-8
    let data = format!("{n}\n");
    let zip = raw_zip(&name, data.as_bytes(), 0);
    fs::write(dir.path().join("legacy.zip"), zip).unwrap();
    let (code, records, _, stderr) = scan(dir.path());
    let f = of_type(&records, "finding");
    assert_eq!(f.len(), 1, "{stderr}");
    assert_eq!(f[0]["member"], "従業員/マイナンバー一覧.csv");
    assert_eq!(
        f[0]["confidence"], "medium",
        "the member's path names My Numbers"
    );
    assert_eq!(code, 1);
}

/// A one-member stored zip with a raw (non-UTF-8) name and the given
/// general-purpose flags (bit 0: encrypted).
fn raw_zip(name: &[u8], data: &[u8], flags: u16) -> Vec<u8> {
    let crc = crc32(data);
    let mut out = Vec::new();
    let local = out.len() as u32;
    out.extend(b"PK\x03\x04");
    out.extend(20u16.to_le_bytes()); // version
    out.extend(flags.to_le_bytes()); // no UTF-8 bit
    out.extend(0u16.to_le_bytes()); // stored
    out.extend([0u8; 4]); // time, date
    out.extend(crc.to_le_bytes());
    out.extend((data.len() as u32).to_le_bytes());
    out.extend((data.len() as u32).to_le_bytes());
    out.extend((name.len() as u16).to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out.extend(name);
    out.extend(data);
    let cd = out.len() as u32;
    out.extend(b"PK\x01\x02");
    out.extend(20u16.to_le_bytes());
    out.extend(20u16.to_le_bytes());
    out.extend(flags.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend(crc.to_le_bytes());
    out.extend((data.len() as u32).to_le_bytes());
    out.extend((data.len() as u32).to_le_bytes());
    out.extend((name.len() as u16).to_le_bytes());
    out.extend([0u8; 2 + 2 + 2 + 2 + 4]); // extra, comment, disk, internal, external
    out.extend(local.to_le_bytes());
    out.extend(name);
    let cd_len = out.len() as u32 - cd;
    out.extend(b"PK\x05\x06");
    out.extend([0u8; 4]);
    out.extend(1u16.to_le_bytes());
    out.extend(1u16.to_le_bytes());
    out.extend(cd_len.to_le_bytes());
    out.extend(cd.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn bombs_encrypted_and_corrupt_members_are_counted_never_silent() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    // 300 MiB of one byte compresses to ~300 KiB: past the ratio limit
    let zeros = vec![b'0'; 300 << 20];
    fs::write(p.join("bomb.zip"), zip_bytes(&[(b"zeros.txt", &zeros)])).unwrap();
    drop(zeros);
    // the zip crate writes no encryption without its crypto features: set the flag by hand
    fs::write(
        p.join("locked.zip"),
        raw_zip(b"secret.csv", b"\x12\x34 ciphertext", 1),
    )
    .unwrap();
    let full = gz(&"個人番号 983205673214\n".repeat(2000).into_bytes());
    fs::write(p.join("cut.csv.gz"), &full[..full.len() / 2]).unwrap();
    fs::write(p.join("broken.zip"), b"PK\x03\x04 this is not really a zip").unwrap();
    // a stream has no size ahead: 200 concatenated gzip members of 1 MiB of one byte each
    // (~1 KiB compressed) inflate past the ratio limit as they stream
    let mib = gz(&vec![b'0'; 1 << 20]);
    fs::write(p.join("zeros.log.gz"), mib.repeat(200)).unwrap();
    // xz -9 declares a 64 MiB dictionary: read (it fills only as far as the
    // output goes); one of 4 GiB (patched into the block header, whose
    // CRC32 is recomputed) is over --max-window: refused before it is
    // allocated
    let xz = |preset: u32| {
        let mut xz =
            lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::with_preset(preset))
                .unwrap();
        xz.write_all(b"a small file with a big dictionary\n")
            .unwrap();
        xz.finish().unwrap()
    };
    fs::write(p.join("xz9.txt.xz"), xz(9)).unwrap();
    let mut big = xz(0);
    let header = (usize::from(big[12]) + 1) * 4;
    assert_eq!(big[14..16], [0x21, 1], "one LZMA2 filter, no sizes");
    big[16] = 40;
    let crc = crc32(&big[12..12 + header - 4]);
    big[12 + header - 4..12 + header].copy_from_slice(&crc.to_le_bytes());
    fs::write(p.join("big-dict.txt.xz"), big).unwrap();

    let (code, records, _, stderr) = scan(p);
    let issue = |member: &str| {
        records
            .iter()
            .find(|r| r["member"] == member && (r["type"] == "skipped" || r["type"] == "error"))
            .unwrap_or_else(|| panic!("no record for {member}: {records:?}"))
            .clone()
    };
    assert_eq!(issue("zeros.txt")["reason"], "archive_limit");
    assert_eq!(issue("zeros.log")["reason"], "archive_limit");
    assert_eq!(issue("big-dict.txt")["reason"], "archive_limit");
    assert!(issue("big-dict.txt")["message"]
        .as_str()
        .unwrap()
        .contains("--max-window"));
    assert!(
        !records.iter().any(|r| r["member"] == "xz9.txt"),
        "an xz -9 file is read"
    );
    assert_eq!(issue("secret.csv")["reason"], "encrypted");
    assert_eq!(issue("cut.csv")["type"], "error");
    let broken = records.iter().find(|r| {
        r["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("broken.zip"))
            && r["type"] == "error"
    });
    assert!(broken.is_some(), "{records:?}");
    let s = of_type(&records, "summary")[0];
    assert_eq!(s["skipped_by_reason"]["archive_limit"], 3);
    assert_eq!(s["skipped_by_reason"]["encrypted"], 1);
    assert!(s["files_failed"].as_u64().unwrap() >= 2);
    // what was read before the cut is still reported; the failure makes it exit 1 (findings) —
    // without findings a failed member means an incomplete scan: 3
    assert_eq!(code, 1, "{stderr}");
    fs::remove_file(p.join("cut.csv.gz")).unwrap();
    let (code, _, _, _) = scan(p);
    assert_eq!(code, 3, "a corrupt archive makes the scan incomplete");
}

fn ooxml(parts: &[(&str, String)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in parts {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(data.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn word_and_excel_documents_are_read_as_text_and_cells() {
    let mut rng = Rng(2025);
    let (n1, n2) = (rng.my_number(), rng.my_number());
    // a My Number with a leading zero, which Excel stores as an 11-digit number
    let zero = loop {
        let n = rng.my_number();
        if n.starts_with('0') {
            break n;
        }
    };
    let card = rng.visa();
    let dir = tempfile::tempdir().unwrap();
    let ct = ("[Content_Types].xml", "<Types/>".to_string());

    // Word splits the number across runs; the label is in the same paragraph
    let (a, b) = n1.split_at(5);
    let doc = format!(
        r#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>扶養控除等申告書</w:t></w:r></w:p>
<w:p><w:r><w:t>個人番号 </w:t></w:r><w:r><w:t>{a}</w:t></w:r><w:r><w:t>{b}</w:t></w:r></w:p></w:body></w:document>"#
    );
    let footer =
        format!(r#"<w:ftr xmlns:w="w"><w:p><w:r><w:t>カード番号 {card}</w:t></w:r></w:p></w:ftr>"#);
    fs::write(
        dir.path().join("申告書.docx"),
        ooxml(&[
            ct.clone(),
            ("word/document.xml", doc),
            ("word/footer1.xml", footer),
        ]),
    )
    .unwrap();

    // a sheet whose header names the column, rows far below it
    let mut rows = String::from(
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>"#,
    );
    rows +=
        &format!(r#"<row r="250"><c r="A250" t="s"><v>2</v></c><c r="B250"><v>{n2}</v></c></row>"#);
    rows += &format!(
        r#"<row r="251"><c r="A251" t="s"><v>2</v></c><c r="B251"><v>{}</v></c></row>"#,
        &zero[1..]
    );
    let sheet = format!("<worksheet><sheetData>{rows}</sheetData></worksheet>");
    let shared =
        r#"<sst><si><t>氏名</t></si><si><t>個人番号</t></si><si><t>山田 太郎</t></si></sst>"#
            .to_string();
    let workbook = r#"<workbook xmlns:r="r"><sheets><sheet name="従業員" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string();
    let rels = r#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string();
    fs::write(
        dir.path().join("staff.xlsx"),
        ooxml(&[
            ct,
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", rels),
            ("xl/sharedStrings.xml", shared),
            ("xl/worksheets/sheet1.xml", sheet),
        ]),
    )
    .unwrap();

    let (code, records, stdout, _) = scan(dir.path());
    assert_eq!(code, 1);
    let found = fields(&records, &["member", "cell", "rule_id", "confidence"]);
    let want = |m: &str, c: &str, r: &str, conf: &str| row(&[m, c, r, conf]);
    assert_eq!(
        found,
        vec![
            want("word/document.xml", "", "my_number", "high"),
            want("word/footer1.xml", "", "payment_card", "high"),
            want("従業員", "B250", "my_number", "high"),
            want("従業員", "B251", "my_number", "high"),
        ]
    );
    let b251 = of_type(&records, "finding")
        .into_iter()
        .find(|f| f["cell"] == "B251")
        .unwrap()
        .clone();
    assert_eq!(
        b251["redacted"],
        format!("********{}", &zero[8..]),
        "the leading zero is repaired"
    );
    assert_eq!(b251["line"], 251, "line is the row");
    for raw in [&n1, &n2, &zero, &card] {
        assert!(!stdout.contains(raw.as_str()));
    }
}

/// A cell reference outside Excel's sheet (a column past `XFD`, a row past
/// 1,048,576) is not trusted: the cell is placed by counting, so the cells
/// after it are read as cells of their own and keep their true place.
#[test]
fn out_of_range_cell_references_do_not_move_later_cells() {
    let mut rng = Rng(4242);
    let (n1, n2, n3) = (rng.my_number(), rng.my_number(), rng.my_number());
    let inline = |r: Option<&str>, text: &str| match r {
        Some(r) => format!(r#"<c r="{r}" t="inlineStr"><is><t>{text}</t></is></c>"#),
        None => format!(r#"<c t="inlineStr"><is><t>{text}</t></is></c>"#),
    };
    let rows = [
        format!(
            r#"<row r="1">{}{}</row>"#,
            inline(Some("A1"), "氏名"),
            inline(Some("B1"), "メモ")
        ),
        // past XFD, then a cell without a reference: the next field, C2
        format!(
            r#"<row r="2">{}{}{}</row>"#,
            inline(Some("A2"), "山田"),
            inline(Some("XFE2"), "x"),
            inline(None, &format!("個人番号 {n1}"))
        ),
        // a row number past Excel's last row: the next row, 3
        format!(
            r#"<row r="4000000000">{}</row>"#,
            inline(Some("A4000000000"), &format!("個人番号 {n2}"))
        ),
        format!(
            r#"<row r="4">{}</row>"#,
            inline(Some("B4"), &format!("個人番号 {n3}"))
        ),
    ];
    let sheet = format!(
        "<worksheet><sheetData>{}</sheetData></worksheet>",
        rows.concat()
    );
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("refs.xlsx"),
        ooxml(&[
            ("[Content_Types].xml", "<Types/>".into()),
            ("xl/workbook.xml", r#"<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#.into()),
            ("xl/_rels/workbook.xml.rels", r#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#.into()),
            ("xl/worksheets/sheet1.xml", sheet),
        ]),
    )
    .unwrap();
    let (code, records, _, _) = scan(dir.path());
    assert_eq!(code, 1, "{records:?}");
    assert!(of_type(&records, "skipped").is_empty() && of_type(&records, "error").is_empty());
    let found = fields(&records, &["cell", "redacted"]);
    let want = |cell: &str, n: &str| row(&[cell, &format!("********{}", &n[8..])]);
    let mut expected = vec![want("C2", &n1), want("A3", &n2), want("B4", &n3)];
    expected.sort();
    assert_eq!(found, expected);
    let lines: Vec<u64> = of_type(&records, "finding")
        .iter()
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines.iter().filter(|&&l| l > 4).count(), 0, "{lines:?}");
}

#[test]
fn damaged_archives_and_documents_never_crash_or_hang() {
    let mut rng = Rng(666);
    let n = rng.my_number();
    let csv = format!("name,個人番号\nA,{n}\n").into_bytes();
    let ct = ("[Content_Types].xml", "<Types/>".to_string());
    let doc = format!(
        r#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>個人番号 {n}</w:t></w:r></w:p></w:body></w:document>"#
    );
    let originals = [
        zip_bytes(&[(b"a.csv", &csv), (b"b.txt", b"x\n")]),
        gz(&tar_bytes(&[
            ("a.csv", &csv),
            ("z.zip", &zip_bytes(&[(b"c.csv", &csv)])),
        ])),
        ooxml(&[ct, ("word/document.xml", doc)]),
        pdf_bytes(
            format!("BT <0010> Tj ({n}) Tj ET").as_bytes(),
            Some("begincmap 1 beginbfrange <0010> <0019> <0030> endbfrange endcmap"),
        ),
        format!("From: a@example.com\nSubject: x\nContent-Type: text/plain\n\n個人番号 {n}\n")
            .into_bytes(),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (k, original) in originals.iter().enumerate() {
        for j in 0..40 {
            let mut bytes = original.clone();
            // flip a few bytes, or cut the file short
            if j % 4 == 3 {
                bytes.truncate((rng.next() as usize) % bytes.len());
            } else {
                for _ in 0..1 + j % 3 {
                    let i = (rng.next() as usize) % bytes.len();
                    bytes[i] ^= 1 << (rng.next() % 8);
                }
            }
            fs::write(dir.path().join(format!("f{k}_{j}.bin")), bytes).unwrap();
        }
    }
    let (code, records, _, stderr) = scan(dir.path());
    assert!([0, 1, 3].contains(&code), "exit {code}: {stderr}");
    assert!(!stderr.contains("internal error"), "{stderr}");
    let s = of_type(&records, "summary")[0];
    assert_eq!(
        s["files_scanned"].as_u64().unwrap()
            + s["files_failed"].as_u64().unwrap()
            + s["files_skipped"].as_u64().unwrap(),
        s["files_seen"].as_u64().unwrap()
    );
    // a file whose container is damaged (a zip without its directory, a tar
    // with a broken header), or a member of it, counts once, as failed, not
    // as scanned and failed; the rest of the 200 are scanned (85 of them)
    assert!(s["files_scanned"].as_u64().unwrap() >= 50, "{s}");
    assert!(s["gaps"].as_u64().unwrap() > 0, "{s}");
    // damage is reported, and what is intact is still scanned
    assert!(!of_type(&records, "error").is_empty(), "no damage detected");
    assert!(
        !of_type(&records, "finding").is_empty(),
        "nothing found in the intact parts"
    );
}

fn b64(data: &[u8]) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(T[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn mail_bodies_in_iso_2022_jp_and_attachments_are_scanned() {
    let mut rng = Rng(2022);
    let (n1, n2, n3) = (rng.my_number(), rng.my_number(), rng.my_number());
    let text = format!("山田様\r\n個人番号: {n1}\r\nよろしくお願いします。\r\n");
    let (body, _, _) = encoding_rs::ISO_2022_JP.encode(&text);
    let zip = zip_bytes(&[(b"staff.csv", format!("name,my_number\nA,{n2}\n").as_bytes())]);
    let jpeg = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00".to_vec();
    let mut eml = Vec::new();
    eml.extend_from_slice(b"Return-Path: <hr@example.com>\r\nFrom: hr@example.com\r\nTo: a@example.com\r\nSubject: =?ISO-2022-JP?B?GyRCOEQ/TUhWOWYbKEI=?=\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n--XX\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 7bit\r\n\r\n");
    eml.extend_from_slice(&body);
    for (name, ctype, data) in [
        ("staff.zip", "application/zip", &zip),
        ("マイナンバーカード_表.jpg", "image/jpeg", &jpeg),
    ] {
        eml.extend_from_slice(
            format!(
                "\r\n--XX\r\nContent-Type: {ctype}\r\nContent-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n",
                b64(data)
            )
            .as_bytes(),
        );
    }
    eml.extend_from_slice(b"--XX--\r\n");
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("message.eml"), &eml).unwrap();
    let mbox = format!(
        "From hr@example.com Mon Jan  1 00:00:00 2024\nFrom: hr@example.com\nSubject: one\n\nnothing\n\nFrom hr@example.com Tue Jan  2 00:00:00 2024\nFrom: hr@example.com\nSubject: two\n\nマイナンバー {n3}\n"
    );
    fs::write(dir.path().join("Inbox"), mbox).unwrap();

    let (code, records, stdout, stderr) = scan(dir.path());
    assert_eq!(code, 1, "{stderr}");
    let found = fields(&records, &["file", "member", "rule_id"]);
    let w = |a: &str, b: &str, c: &str| row(&[a, b, c]);
    assert_eq!(
        found,
        vec![
            w("Inbox", "message-2", "my_number"),
            w("message.eml", "body", "my_number"),
            w("message.eml", "staff.zip!/staff.csv", "my_number"),
            w("message.eml", "マイナンバーカード_表.jpg", "id_document"),
        ]
    );
    let body = of_type(&records, "finding")
        .into_iter()
        .find(|f| f["member"] == "body")
        .unwrap()
        .clone();
    assert_eq!(body["confidence"], "high");
    assert_eq!(
        body["line"], 6,
        "Subject, From, To, blank line, then the body's lines"
    );
    for raw in [&n1, &n2, &n3] {
        assert!(!stdout.contains(raw.as_str()));
    }
}

/// A minimal PDF: one content stream (Flate-compressed) and, if given, a
/// ToUnicode CMap stream.
fn pdf_bytes(content: &[u8], cmap: Option<&str>) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(content).unwrap();
    let content = z.finish().unwrap();
    let mut pdf =
        b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            .to_vec();
    pdf.extend(b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
    pdf.extend(b"3 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>\nendobj\n");
    pdf.extend(
        format!(
            "4 0 obj\n<< /Length {} /Filter /FlateDecode >>\nstream\n",
            content.len()
        )
        .as_bytes(),
    );
    pdf.extend(&content);
    pdf.extend(b"\nendstream\nendobj\n");
    if let Some(cmap) = cmap {
        pdf.extend(b"5 0 obj\n<< /Type /Font /Subtype /Type0 /BaseFont /IPAexMincho /Encoding /Identity-H /ToUnicode 6 0 R >>\nendobj\n");
        pdf.extend(
            format!(
                "6 0 obj\n<< /Length {} >>\nstream\n{cmap}\nendstream\nendobj\n",
                cmap.len()
            )
            .as_bytes(),
        );
    }
    pdf.extend(b"trailer\n<< /Root 1 0 R >>\n%%EOF\n");
    pdf
}

#[test]
fn pdf_text_is_read_through_tounicode_cmaps() {
    let mut rng = Rng(1040);
    let n = rng.my_number();
    let card = rng.visa();
    // 源泉徴収票 style: a CID font, 個人番号 and the digits as two-byte codes
    let cmap = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
                1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
                4 beginbfchar <0101> <500B> <0102> <4EBA> <0103> <756A> <0104> <53F7> endbfchar\n\
                1 beginbfrange <0010> <0019> <0030> endbfrange\n\
                endcmap CMapName currentdict /CMap defineresource pop end end";
    let codes: String = n
        .bytes()
        .map(|d| format!("{:04X}", 0x10 + u32::from(d - b'0')))
        .collect();
    let content = format!("BT /F1 10 Tf 50 800 Td <0101010201030104> Tj 80 0 Td <{codes}> Tj ET");
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("gensen.pdf"),
        pdf_bytes(content.as_bytes(), Some(cmap)),
    )
    .unwrap();
    // a plain font: a literal string, the number split by kerning
    let (a, b) = card.split_at(8);
    let plain = format!("BT /F1 10 Tf 50 800 Td [(Card number: {a}) -20 ({b})] TJ ET");
    fs::write(
        dir.path().join("order.pdf"),
        pdf_bytes(plain.as_bytes(), None),
    )
    .unwrap();
    // a scan named as a passport: an ID document, whatever its text
    fs::write(
        dir.path().join("passport_scan.pdf"),
        pdf_bytes(b"BT (page 1) Tj ET", None),
    )
    .unwrap();

    let (code, records, stdout, stderr) = scan(dir.path());
    assert_eq!(code, 1, "{stderr}");
    let found = fields(&records, &["file", "member", "rule_id", "confidence"]);
    let w = |a: &str, b: &str, c: &str, d: &str| row(&[a, b, c, d]);
    assert_eq!(
        found,
        vec![
            w("gensen.pdf", "page-1", "my_number", "high"),
            w("order.pdf", "page-1", "payment_card", "high"),
            w("passport_scan.pdf", "", "id_document", "high"),
        ]
    );
    assert!(!stdout.contains(&n) && !stdout.contains(&card));
}

/// The same lines in a PDF: every character through a ToUnicode CMap, as a
/// CID font would have it.
fn pdf_of_lines(lines: &[&str]) -> Vec<u8> {
    let mut chars: Vec<char> = lines.iter().flat_map(|l| l.chars()).collect();
    chars.sort();
    chars.dedup();
    let code = |c: char| 0x0100 + chars.binary_search(&c).unwrap() as u32;
    let mut cmap = format!("begincmap\n{} beginbfchar\n", chars.len());
    for &c in &chars {
        let mut units = [0u16; 2];
        let hex: String = c
            .encode_utf16(&mut units)
            .iter()
            .map(|u| format!("{u:04X}"))
            .collect();
        cmap += &format!("<{:04X}> <{hex}>\n", code(c));
    }
    cmap += "endbfchar\nendcmap";
    let mut content = String::from("BT /F1 10 Tf 50 800 Td\n");
    for l in lines {
        let hex: String = l.chars().map(|c| format!("{:04X}", code(c))).collect();
        content += &format!("<{hex}> Tj T*\n");
    }
    content += "ET";
    pdf_bytes(content.as_bytes(), Some(&cmap))
}

fn xlsx_of_lines(lines: &[&str]) -> Vec<u8> {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let rows: String = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            format!(
                r#"<row r="{0}"><c r="A{0}" t="inlineStr"><is><t>{1}</t></is></c></row>"#,
                i + 1,
                esc(l)
            )
        })
        .collect();
    ooxml(&[
        ("[Content_Types].xml", "<Types/>".into()),
        ("xl/workbook.xml", r#"<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#.into()),
        ("xl/_rels/workbook.xml.rels", r#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#.into()),
        ("xl/worksheets/sheet1.xml", format!("<worksheet><sheetData>{rows}</sheetData></worksheet>")),
    ])
}

fn pptx_of_lines(lines: &[&str]) -> Vec<u8> {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let body: String = lines
        .iter()
        .map(|l| format!("<a:p><a:r><a:t>{}</a:t></a:r></a:p>", esc(l)))
        .collect();
    ooxml(&[
        ("[Content_Types].xml", "<Types/>".into()),
        ("ppt/presentation.xml", "<p:presentation/>".into()),
        (
            "ppt/slides/slide1.xml",
            format!(
                r#"<p:sld xmlns:a="a" xmlns:p="p"><p:cSld><p:spTree><p:sp><p:txBody>{body}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"#
            ),
        ),
    ])
}

fn docx_of_lines(lines: &[&str]) -> Vec<u8> {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let body: String = lines
        .iter()
        .map(|l| format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", esc(l)))
        .collect();
    ooxml(&[
        ("[Content_Types].xml", "<Types/>".into()),
        (
            "word/document.xml",
            format!(r#"<w:document xmlns:w="w"><w:body>{body}</w:body></w:document>"#),
        ),
    ])
}

/// For every container and document type: the same planted My Number, card
/// and credential are found with the same rule and confidence as in plain
/// text, and the decoys are not.
#[test]
fn every_container_and_document_type_finds_what_plain_text_finds() {
    let mut rng = Rng(3030);
    let n = rng.my_number();
    let card = rng.visa();
    let pw = format!("Kq{}-v", rng.digits(10));
    let lines_owned = [
        format!("個人番号: {n}"),
        format!("カード番号: {card}"),
        format!("smtp_password = {pw}"),
        "order 983205673210 shipped".to_string(), // decoy: fails the check digit
        "card 4111111111111112 declined".to_string(), // decoy: fails Luhn
        "password = ${DB_PASSWORD}".to_string(),  // decoy: a placeholder
    ];
    let lines: Vec<&str> = lines_owned.iter().map(String::as_str).collect();
    let text = lines.join("\n") + "\n";
    let t = text.as_bytes();

    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
    bz.write_all(t).unwrap();
    let mut xz = lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::default()).unwrap();
    xz.write_all(t).unwrap();
    let eml = format!(
        "From: a@example.com\r\nSubject: note\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{}",
        text.replace('\n', "\r\n")
    );
    let wrapped: Vec<(&str, Vec<u8>)> = vec![
        ("plain.txt", t.to_vec()),
        ("a.zip", zip_bytes(&[(b"memo.txt", t)])),
        ("b.tar", tar_bytes(&[("memo.txt", t)])),
        ("c.tar.gz", gz(&tar_bytes(&[("memo.txt", t)]))),
        ("d.txt.gz", gz(t)),
        ("e.txt.bz2", bz.finish().unwrap()),
        ("f.txt.xz", xz.finish().unwrap()),
        (
            "g.txt.zst",
            ruzstd::encoding::compress_to_vec(t, ruzstd::encoding::CompressionLevel::Fastest),
        ),
        (
            "h.zip",
            zip_bytes(&[(b"inner.zip", &zip_bytes(&[(b"memo.txt", t)]))]),
        ),
        ("i.docx", docx_of_lines(&lines)),
        ("j.xlsx", xlsx_of_lines(&lines)),
        ("j2.pptx", pptx_of_lines(&lines)),
        ("k.pdf", pdf_of_lines(&lines)),
        ("l.eml", eml.into_bytes()),
    ];
    for (name, bytes) in &wrapped {
        fs::write(p.join(name), bytes).unwrap();
    }
    let (_, records, stdout, _) = scan(p);
    let of_file = |file: &str| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = of_type(&records, "finding")
            .iter()
            .filter(|f| f["path"].as_str().unwrap().ends_with(&format!("/{file}")))
            .map(|f| {
                (
                    f["rule_id"].as_str().unwrap().to_string(),
                    f["confidence"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let plain = of_file("plain.txt");
    assert_eq!(
        plain.len(),
        3,
        "the three planted items, no decoy: {plain:?}"
    );
    for (name, _) in &wrapped[1..] {
        assert_eq!(of_file(name), plain, "{name}");
    }
    for raw in [&n, &card, &pw] {
        assert!(!stdout.contains(raw.as_str()));
    }
    assert!(of_type(&records, "error").is_empty(), "{records:?}");
}

#[test]
fn a_cp932_attachment_without_a_charset_is_read_like_the_file() {
    // a CSV saved by Japanese Excel (CP932), attached without a charset: the
    // mail parser decodes it as UTF-8 and loses its header; it must be read
    // from its raw bytes, as the same file on disk is
    let mut rng = Rng(932);
    let n = rng.my_number();
    let text = format!("氏名,個人番号\r\n山田,{n}\r\n");
    let csv = encoding_rs::SHIFT_JIS.encode(&text).0.into_owned();
    let eml = format!(
        "From: hr@example.com\r\nTo: a@example.com\r\nSubject: list\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         see attached\r\n--b\r\nContent-Type: text/csv; name=\"staff.csv\"\r\n\
         Content-Disposition: attachment; filename=\"staff.csv\"\r\nContent-Transfer-Encoding: base64\r\n\r\n\
         {}\r\n--b--\r\n",
        b64(&csv)
    );
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("mail.eml"), eml).unwrap();
    fs::write(dir.path().join("staff.csv"), &csv).unwrap();
    let (code, records, stdout, _) = scan(dir.path());
    assert_eq!(code, 1);
    let found: Vec<&Value> = of_type(&records, "finding");
    assert_eq!(found.len(), 2, "{stdout}");
    for f in &found {
        assert_eq!(f["confidence"], "high", "{f}");
        assert_eq!(f["encoding"], "shift_jis", "{f}");
    }
    assert!(found.iter().any(|f| f["member"] == "staff.csv"));
}

/// Sets general-purpose flag bits (bit 0: encrypted) of the member `name`
/// in `zip`, in its local header and its directory record, as an
/// encrypting writer would (the zip crate writes no encryption without its
/// crypto features). The zip has no comment.
fn set_zip_flags(zip: &mut [u8], name: &str, flags: u16) {
    let u16_at = |z: &[u8], at: usize| usize::from(u16::from_le_bytes([z[at], z[at + 1]]));
    let u32_at =
        |z: &[u8], at: usize| u32::from_le_bytes(z[at..at + 4].try_into().unwrap()) as usize;
    let end = zip.len() - 22;
    assert_eq!(&zip[end..end + 4], b"PK\x05\x06");
    let mut at = u32_at(zip, end + 16);
    while &zip[at..at + 4] == b"PK\x01\x02" {
        let (n, m, k) = (
            u16_at(zip, at + 28),
            u16_at(zip, at + 30),
            u16_at(zip, at + 32),
        );
        if &zip[at + 46..at + 46 + n] == name.as_bytes() {
            let local = u32_at(zip, at + 42);
            for flag_at in [at + 8, local + 6] {
                let old = u16_at(zip, flag_at) as u16;
                zip[flag_at..flag_at + 2].copy_from_slice(&(old | flags).to_le_bytes());
            }
            return;
        }
        at += 46 + n + m + k;
    }
    panic!("{name} not in the zip");
}

#[test]
fn a_large_zip_directory_is_read_in_runs() {
    // 20,000 members written as a stream (each with a data descriptor):
    // the directory is shown to the zip crate 8,192 entries at a time (it
    // holds about 1 KB an entry), and every member is still read by it
    let mut rng = Rng(2024);
    let (a, b, c) = (rng.my_number(), rng.my_number(), rng.my_number());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = stored.compression_method(zip::CompressionMethod::Deflated);
    let mut w = zip::ZipWriter::new_stream(Vec::new());
    for i in 0..20_000 {
        match i {
            100 => w.add_directory("docs/", stored).unwrap(),
            5_000 => {
                w.start_file("docs/staff.csv", deflated).unwrap();
                w.write_all(format!("name,個人番号\nA,{a}\n").as_bytes())
                    .unwrap();
            }
            12_000 => {
                w.start_file("locked/secret.txt", stored).unwrap();
                w.write_all(format!("個人番号: {b}\n").as_bytes()).unwrap();
            }
            19_999 => {
                w.start_file("zz/last.txt", deflated).unwrap();
                w.write_all(format!("個人番号: {c}\n").as_bytes()).unwrap();
            }
            _ => {
                w.start_file(format!("filler/{i:05}.txt"), stored).unwrap();
                w.write_all(b"x").unwrap();
            }
        }
    }
    let mut zip = w.finish().unwrap().into_inner();
    set_zip_flags(&mut zip, "locked/secret.txt", 1);
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("many.zip"), &zip).unwrap();
    let (code, records, stdout, _) = scan(dir.path());
    assert_eq!(code, 1);
    assert_eq!(
        fields(&records, &["member", "rule_id"]),
        [
            row(&["docs/staff.csv", "my_number"]),
            row(&["zz/last.txt", "my_number"])
        ]
    );
    let skipped: Vec<(&str, &str)> = of_type(&records, "skipped")
        .iter()
        .map(|r| (r["member"].as_str().unwrap(), r["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(skipped, [("locked/secret.txt", "encrypted")]);
    assert!(of_type(&records, "error").is_empty(), "{stdout}");
    assert!(
        !stdout.contains(b.as_str()),
        "the encrypted member is never read"
    );

    // the member count limit holds across runs: 100,000 members, then one
    // with a My Number (shared/cases/faults/archive-limit-exit-0, entries.zip)
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..100_000 {
        w.start_file(format!("e{i:06}"), stored).unwrap();
        w.write_all(b"x").unwrap();
    }
    w.start_file("zz/emp.csv", stored).unwrap();
    w.write_all(format!("氏名,個人番号\n山田,{a}\n").as_bytes())
        .unwrap();
    fs::remove_file(dir.path().join("many.zip")).unwrap();
    fs::write(
        dir.path().join("entries.zip"),
        w.finish().unwrap().into_inner(),
    )
    .unwrap();
    let (code, records, _, _) = scan(dir.path());
    assert_eq!(code, 3, "the member past the limit is a gap");
    let skipped: Vec<(&str, &str)> = of_type(&records, "skipped")
        .iter()
        .map(|r| (r["member"].as_str().unwrap(), r["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(skipped, [("(1 more members)", "archive_limit")]);
}

/// Scans `dir` with `args` as jsonl: the exit code and the records.
fn scan_with(dir: &Path, args: &[&str]) -> (i32, Vec<Value>) {
    let out = Command::cargo_bin("leakscan")
        .unwrap()
        .env("LEAKSCAN_FINGERPRINT_KEY", "containers-test-key-0123456789")
        .timeout(Duration::from_secs(120))
        .args(["scan", "--no-config", "--format", "jsonl"])
        .args(args)
        .arg(dir)
        .output()
        .unwrap();
    let records = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (out.status.code().unwrap(), records)
}

#[test]
fn nested_zips_past_the_memory_budget_are_spilled_and_read() {
    // a tar holding a zip holding a zip holding a planted My Number, each
    // zip past a memory budget of 64K: spilled to a temporary file, read
    let mut rng = Rng(12);
    let number = rng.my_number();
    let mut pad =
        |n: usize| -> Vec<u8> { (0..n / 8).flat_map(|_| rng.next().to_le_bytes()).collect() };
    let csv = format!("個人番号\n{number}\n");
    let z2 = zip_bytes(&[(b"staff.csv", csv.as_bytes()), (b"pad.bin", &pad(100_000))]);
    let z1 = zip_bytes(&[(b"z2.zip", &z2), (b"pad.bin", &pad(100_000))]);
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("nest.tar"), tar_bytes(&[("z1.zip", &z1)])).unwrap();
    let gaps = |records: &[Value]| -> Vec<(String, String)> {
        records
            .iter()
            .filter(|r| r["type"] == "skipped" || r["type"] == "error")
            .map(|r| {
                assert!(
                    r["message"].as_str().unwrap().contains("--max-spill"),
                    "{r}"
                );
                (
                    r["member"].as_str().unwrap_or("").to_string(),
                    r["reason"].to_string(),
                )
            })
            .collect()
    };
    let (code, records) = scan_with(dir.path(), &["--memory-budget", "64K"]);
    assert_eq!(code, 1, "{records:?}");
    assert_eq!(gaps(&records), []);
    let members: Vec<&str> = of_type(&records, "finding")
        .iter()
        .filter(|f| f["rule_id"] == "my_number")
        .map(|f| f["member"].as_str().unwrap())
        .collect();
    assert_eq!(members, ["z1.zip!/z2.zip!/staff.csv"]);
    // the spill is bounded for all levels together: room for the outer
    // zip, not for the inner one as well
    let spill = (z1.len() + z2.len() / 2).to_string();
    let (code, records) = scan_with(
        dir.path(),
        &["--memory-budget", "64K", "--max-spill", &spill],
    );
    assert_eq!(code, 3, "{records:?}");
    let limit = (
        "z1.zip!/z2.zip".to_string(),
        "\"archive_limit\"".to_string(),
    );
    assert_eq!(gaps(&records), [limit]);
    // no room for the outer one
    let spill = (z1.len() / 2).to_string();
    let (code, records) = scan_with(
        dir.path(),
        &["--memory-budget", "64K", "--max-spill", &spill],
    );
    assert_eq!(code, 3, "{records:?}");
    let limit = ("z1.zip".to_string(), "\"archive_limit\"".to_string());
    assert_eq!(gaps(&records), [limit]);
    // by default both are held in memory (16 MiB for the file)
    let (code, records) = scan_with(dir.path(), &["--max-spill", "0"]);
    assert_eq!(code, 1, "{records:?}");
    assert_eq!(gaps(&records), []);
}
