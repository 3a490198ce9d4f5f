//! Legacy Office (`.xls`, `.doc`, `.ppt`) and OpenDocument (`.ods`,
//! `.odt`, `.odp`) files written by real producers (xlwt, LibreOffice:
//! `tests/fixtures/office/make.py`) are read: every planted My Number is
//! found, with its sheet and cell in a workbook, and the one with a wrong
//! check digit never is. Hostile compound files (truncated, mutated, huge
//! declared sizes) end as gaps, never as a crash of the scan.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/office")
}

fn planted() -> (Vec<String>, String) {
    let p: Value =
        serde_json::from_slice(&fs::read(fixtures().join("planted.json")).unwrap()).unwrap();
    let valid = p["valid_last4"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    (valid, p["bad_last4"].as_str().unwrap().to_string())
}

/// The records of a scan of `path` (every confidence), and its exit code.
fn scan(path: &Path) -> (Vec<Value>, i32) {
    let out = Command::cargo_bin("leakscan")
        .unwrap()
        .env("LEAKSCAN_FINGERPRINT_KEY", "office-test-key-0123456789")
        .args(["scan", "--no-config", "--quiet", "--format", "jsonl"])
        .args(["--min-confidence", "low"])
        .arg(path)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let records = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (records, out.status.code().expect("exited, not killed"))
}

fn findings(records: &[Value]) -> Vec<&Value> {
    records
        .iter()
        .filter(|r| r["type"] == "finding" && r["category"] == "my_number")
        .collect()
}

fn gaps(records: &[Value]) -> Vec<String> {
    records
        .iter()
        .filter(|r| r["type"] == "skipped" || r["type"] == "error")
        .map(|r| {
            r["reason"]
                .as_str()
                .or(r["kind"].as_str())
                .unwrap_or("?")
                .to_string()
        })
        .collect()
}

/// Each planted number is found (in the member named), the bad one not.
fn assert_planted(file: &str, member: &str) -> Vec<Value> {
    let (valid, bad) = planted();
    let (records, code) = scan(&fixtures().join(file));
    assert_eq!(code, 1, "{file}: {records:?}");
    assert!(gaps(&records).is_empty(), "{file}: {:?}", gaps(&records));
    let found = findings(&records);
    for last4 in &valid {
        assert!(
            found.iter().any(
                |f| f["redacted"].as_str().unwrap().ends_with(last4.as_str())
                    && f["member"].as_str().unwrap().ends_with(member)
            ),
            "{file}: …{last4} not found in {member}: {found:?}"
        );
    }
    assert!(
        !found
            .iter()
            .any(|f| f["redacted"].as_str().unwrap().ends_with(bad.as_str())),
        "{file}: the bad check digit was reported"
    );
    found.into_iter().cloned().collect()
}

/// Sheet 社員, column B under 個人番号, rows 2–5; the numbers stored as
/// numbers (rows 3 and 5, one of them with a lost leading zero) included.
fn assert_cells(found: &[Value]) {
    let (valid, _) = planted();
    for (i, last4) in valid.iter().enumerate() {
        let f = found
            .iter()
            .find(|f| f["redacted"].as_str().unwrap().ends_with(last4.as_str()))
            .unwrap();
        assert_eq!(f["member"], "社員");
        assert_eq!(f["cell"], format!("B{}", i + 2), "{f}");
        assert_eq!(f["confidence"], "high", "{f}");
    }
}

#[test]
fn xls_written_by_xlwt_has_every_number_with_its_cell() {
    assert_cells(&assert_planted("staff.xls", "社員"));
}

#[test]
fn ods_written_by_libreoffice_has_every_number_with_its_cell() {
    assert_cells(&assert_planted("staff.ods", "社員"));
}

#[test]
fn doc_and_odt_written_by_libreoffice_are_read_as_text() {
    let doc = assert_planted("memo.doc", "WordDocument");
    let odt = assert_planted("memo.odt", "content.xml");
    // the paragraph "個人番号: …" and the table's rows, as lines
    assert_eq!(doc.len(), odt.len());
    assert!(doc.iter().any(|f| f["confidence"] == "high"));
}

#[test]
fn ppt_and_odp_written_by_libreoffice_are_read_as_text() {
    assert_planted("slides.ppt.gz", "slides.ppt!/PowerPoint Document");
    assert_planted("slides.odp", "content.xml");
}

/// A compound file holding one stream `name`.
fn compound(name: &str, data: &[u8]) -> Vec<u8> {
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    std::io::Write::write_all(&mut file.create_stream(name).unwrap(), data).unwrap();
    file.flush().unwrap();
    file.into_inner().into_inner()
}

#[test]
fn other_and_encrypted_compound_files_are_gaps() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "mail.msg",
            compound("__substg1.0_0037001F", b"x"),
            "unsupported_format",
        ),
        (
            "locked.docx",
            compound("EncryptedPackage", &[0; 64]),
            "encrypted",
        ),
        (
            "junk.xls",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1junk".to_vec(),
            "corrupt_archive",
        ),
    ];
    for (name, data, reason) in cases {
        let path = dir.path().join(name);
        fs::write(&path, data).unwrap();
        let (records, code) = scan(&path);
        assert_eq!(code, 3, "{name}: {records:?}");
        assert_eq!(gaps(&records), [reason], "{name}");
    }
    // Word's fEncrypted bit set in memo.doc's FIB
    let mut doc = fs::read(fixtures().join("memo.doc")).unwrap();
    let fib = (512..doc.len())
        .step_by(512)
        .find(|&at| doc[at..].starts_with(&[0xEC, 0xA5]))
        .unwrap();
    doc[fib + 0x0B] |= 0x01;
    let path = dir.path().join("locked.doc");
    fs::write(&path, doc).unwrap();
    let (records, code) = scan(&path);
    assert_eq!((code, gaps(&records)), (3, vec!["encrypted".to_string()]));
}

#[test]
fn hostile_workbooks_end_as_gaps_or_findings_never_a_crash() {
    let xls = fs::read(fixtures().join("staff.xls")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut hostile: Vec<(String, Vec<u8>)> = Vec::new();
    for cut in [600, 2048, xls.len() - 700] {
        hostile.push((format!("cut-{cut}.xls"), xls[..cut].to_vec()));
    }
    // huge declared sizes: FAT sector count, directory start, sector shift,
    // and every 4-byte field of the first BIFF records set to 0xFFFFFFF0
    for at in [0x2C, 0x30, 0x1E, 0x3C, 0x48] {
        let mut x = xls.clone();
        x[at..at + 4].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
        hostile.push((format!("size-{at}.xls"), x));
    }
    let biff = (512..xls.len())
        .step_by(512)
        .find(|&at| xls[at..].starts_with(&[0x09, 0x08]))
        .unwrap();
    for at in (biff..biff + 512).step_by(37) {
        let mut x = xls.clone();
        x[at..at + 4].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
        hostile.push((format!("biff-{at}.xls"), x));
    }
    for (name, data) in &hostile {
        fs::write(dir.path().join(name), data).unwrap();
    }
    let (records, code) = scan(dir.path());
    assert!([0, 1, 3].contains(&code), "exit {code}");
    let summary = records.iter().find(|r| r["type"] == "summary").unwrap();
    assert_eq!(summary["files_seen"], hostile.len(), "{summary}");
    // the truncated ones at least are gaps
    assert!(gaps(&records).len() >= 3, "{:?}", gaps(&records));
}

#[test]
fn a_legacy_office_file_whose_main_stream_entry_is_damaged_is_corrupt_not_unsupported() {
    // fresh-eyes trial: flipped bytes in the directory entry `Workbook` of
    // LibreOffice's .xls made it "a format leakscan cannot read"; the class
    // id (memo.doc, LibreOffice) or a name one character off (staff.xls,
    // xlwt: no class id) says it is a damaged Office document
    let dir = tempfile::tempdir().unwrap();
    for (file, stream) in [("staff.xls", "Workbook"), ("memo.doc", "WordDocument")] {
        let mut data = fs::read(fixtures().join(file)).unwrap();
        let name: Vec<u8> = stream.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let at = data
            .windows(name.len())
            .position(|w| w == &name[..])
            .expect("directory entry");
        data[at + 4] = b'#'; // a flipped byte: names are case-blind
        fs::write(dir.path().join(file), data).unwrap();
    }
    let (records, code) = scan(dir.path());
    assert_eq!(code, 3, "{records:?}");
    assert_eq!(gaps(&records), ["corrupt_archive", "corrupt_archive"]);
}

#[test]
fn a_workbook_too_big_for_the_reader_child_is_a_gap() {
    // 5 KB, valid, but cells A1 and IV65536: calamine's dense table would
    // take over 500 MB; the child's address-space limit stops it
    let (records, code) = scan(&fixtures().join("sparse.xls"));
    assert_eq!(code, 3, "{records:?}");
    assert_eq!(gaps(&records), ["archive_limit"]);
}

#[test]
fn a_workbook_on_which_calamine_reserves_without_bound_is_a_gap() {
    // found by the `legacy_office` fuzz target in 613 runs: a damaged BIFF
    // record makes calamine reserve a cell table of many GB (an allocation
    // failure aborts a process); in the reader child it ends the child only
    let (records, code) = scan(&fixtures().join("fuzz_huge_reserve.xls"));
    assert_eq!(code, 3, "{records:?}");
    assert_eq!(gaps(&records), ["archive_limit"]);
    let summary = records.iter().find(|r| r["type"] == "summary").unwrap();
    assert_eq!(summary["files_seen"], 1, "{summary}");
}

#[test]
fn a_password_protected_odf_document_is_an_encrypted_gap() {
    // LibreOffice's "save with password": the manifest describes
    // `manifest:encryption-data` for each part, whose bytes are then
    // ciphertext (fresh-eyes trial: it was `corrupt_archive`, which
    // `--accept encrypted` does not cover)
    use std::io::{Read, Write};
    let odt = fs::read(fixtures().join("memo.odt")).unwrap();
    let mut from = zip::ZipArchive::new(std::io::Cursor::new(odt)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("locked.odt");
    let mut to = zip::ZipWriter::new(fs::File::create(&path).unwrap());
    for i in 0..from.len() {
        let mut member = from.by_index(i).unwrap();
        let name = member.name().to_string();
        let mut data = Vec::new();
        member.read_to_end(&mut data).unwrap();
        if name == "META-INF/manifest.xml" {
            let entry = "<manifest:file-entry manifest:full-path=\"content.xml\" \
                manifest:media-type=\"text/xml\" manifest:size=\"100\">\
                <manifest:encryption-data manifest:checksum-type=\"SHA1/1K\" \
                manifest:checksum=\"AAAA\"/></manifest:file-entry></manifest:manifest>";
            let text = String::from_utf8(data).unwrap();
            data = text.replace("</manifest:manifest>", entry).into_bytes();
        } else if name == "content.xml" {
            data = (0..data.len()).map(|i| (i * 131 % 251) as u8).collect();
        }
        let options = zip::write::SimpleFileOptions::default();
        to.start_file(name, options).unwrap();
        to.write_all(&data).unwrap();
    }
    to.finish().unwrap();
    let (records, code) = scan(&path);
    assert_eq!(code, 3, "{records:?}");
    assert_eq!(gaps(&records), ["encrypted"]);
}
