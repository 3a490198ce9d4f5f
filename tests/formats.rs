//! The CI and SIEM renderings: each validated for its consumer, one record
//! per finding, and no raw value in any of them.

mod common;

use std::fs;
use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use common::Rng;
use serde_json::Value;

fn leakscan() -> Command {
    let mut cmd = Command::cargo_bin("leakscan").unwrap();
    cmd.env("LEAKSCAN_FINGERPRINT_KEY", "formats-test-key-0123456789")
        .env_remove("GITHUB_STEP_SUMMARY")
        .timeout(Duration::from_secs(60));
    cmd
}

struct Tree {
    dir: tempfile::TempDir,
    raw: Vec<String>,
    findings: usize,
}

fn tree() -> Tree {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut rng = Rng(77);
    let (n, card) = (rng.my_number(), rng.visa());
    let pw = format!("Pw{}-x", rng.digits(9));
    let w = |rel: &str, data: &[u8]| {
        let p = d.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, data).unwrap();
    };
    w(
        "hr/staff list.csv",
        format!("name,my_number\nA,{n}\n").as_bytes(),
    );
    w(
        "pay/orders.txt",
        format!("card number: {card}\n").as_bytes(),
    );
    w("cfg/.env", format!("DB_PASSWORD={pw}\n").as_bytes());
    w("scans/passport.jpg", b"\xFF\xD8\xFF\xE0\x00\x10JFIF");
    w("clean.txt", b"nothing here\n");
    Tree {
        dir,
        raw: vec![n, card, pw],
        findings: 4,
    }
}

fn render(t: &Tree, format: &str) -> (String, String, Option<i32>) {
    let out = leakscan()
        .args(["scan", "--format", format, t.dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    for raw in &t.raw {
        assert!(
            !stdout.contains(raw.as_str()) && !stderr.contains(raw.as_str()),
            "{format} leaks {raw}"
        );
    }
    (stdout, stderr, out.status.code())
}

fn lines(s: &str) -> Vec<Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

fn has(v: &Value, pointer: &str) -> bool {
    v.pointer(pointer).is_some_and(|x| !x.is_null())
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let t = tree();
    let (out, _, code) = render(&t, "sarif");
    assert_eq!(code, Some(1));
    let doc: Value = serde_json::from_str(&out).unwrap();
    // The official schema's language-tag pattern has a stray `]` that
    // ECMAScript regexes accept and Rust's reject; escape it, change nothing else.
    let text =
        include_str!("sarif-schema-2.1.0.json").replace("[a-zA-Z]{2}]?$", "[a-zA-Z]{2}\\\\]?$");
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator =
        jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("SARIF schema: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(doc["version"], "2.1.0");
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() > 15);
    for r in rules {
        for p in [
            "/id",
            "/shortDescription/text",
            "/fullDescription/text",
            "/help/text",
        ] {
            assert!(has(r, p), "rule lacks {p}: {r}");
        }
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), t.findings);
    for r in results {
        for p in [
            "/ruleId",
            "/level",
            "/message/text",
            "/locations/0/physicalLocation/artifactLocation/uri",
            "/locations/0/physicalLocation/region/startLine",
            "/partialFingerprints/leakscanFingerprint~1v1",
        ] {
            assert!(has(r, p), "result lacks {p}: {r}");
        }
        let uri = r
            .pointer("/locations/0/physicalLocation/artifactLocation/uri")
            .unwrap()
            .as_str()
            .unwrap();
        assert!(
            !uri.starts_with('/'),
            "uri must be relative to the scan root: {uri}"
        );
        let rule = &rules[r["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], r["ruleId"]);
    }
    let uris: Vec<&str> = results
        .iter()
        .map(|r| {
            r.pointer("/locations/0/physicalLocation/artifactLocation/uri")
                .unwrap()
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(uris.contains(&"hr/staff%20list.csv"), "{uris:?}");
}

#[test]
fn ecs_documents_carry_the_required_fields() {
    let t = tree();
    let (out, _, _) = render(&t, "ecs");
    let docs = lines(&out);
    assert_eq!(docs.len(), t.findings);
    for d in &docs {
        for p in [
            "/@timestamp",
            "/ecs/version",
            "/event/kind",
            "/event/category/0",
            "/event/action",
            "/rule/id",
            "/rule/name",
            "/rule/category",
            "/file/path",
            "/file/name",
            "/file/size",
            "/leakscan/fingerprint",
            "/leakscan/redacted",
        ] {
            assert!(has(d, p), "ECS document lacks {p}: {d}");
        }
        assert_eq!(d["event"]["kind"], "alert");
        assert!(humantime::parse_rfc3339(d["@timestamp"].as_str().unwrap()).is_ok());
    }
    assert!(docs.iter().any(|d| d["file"]["extension"] == "csv"));
}

#[test]
fn ocsf_events_are_data_security_findings_with_every_required_attribute() {
    let t = tree();
    let (out, _, _) = render(&t, "ocsf");
    let events = lines(&out);
    assert_eq!(events.len(), t.findings);
    for e in &events {
        assert_eq!(e["class_uid"], 2006);
        assert_eq!(e["category_uid"], 2);
        assert_eq!(e["type_uid"], 200601);
        assert_eq!(
            e["type_uid"].as_u64().unwrap(),
            e["class_uid"].as_u64().unwrap() * 100 + e["activity_id"].as_u64().unwrap()
        );
        for p in [
            "/activity_id",
            "/severity_id",
            "/time",
            "/metadata/version",
            "/metadata/product/name",
            "/metadata/product/vendor_name",
            "/finding_info/uid",
            "/finding_info/title",
        ] {
            assert!(has(e, p), "OCSF event lacks {p}: {e}");
        }
        assert!((1..=6).contains(&e["severity_id"].as_u64().unwrap()));
        assert!(
            e["time"].as_u64().unwrap() > 1_600_000_000_000,
            "time is epoch milliseconds"
        );
    }
}

#[test]
fn hec_events_wrap_the_native_record() {
    let t = tree();
    let (out, _, _) = render(&t, "hec");
    let events = lines(&out);
    assert_eq!(events.len(), t.findings);
    for e in &events {
        assert!(e["time"].as_f64().unwrap() > 1.6e9);
        assert_eq!(e["sourcetype"], "leakscan:finding");
        assert_eq!(e["event"]["type"], "finding");
        assert!(has(e, "/event/fingerprint"));
    }
}

#[test]
fn github_annotations_and_job_summary() {
    let t = tree();
    let summary_dir = tempfile::tempdir().unwrap();
    let summary = summary_dir.path().join("summary.md");
    let out = leakscan()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["scan", "--format", "github", t.dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let annotations: Vec<&str> = stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(annotations.len(), t.findings);
    for a in &annotations {
        assert!(
            a.starts_with("::error file=") || a.starts_with("::warning file="),
            "{a}"
        );
        assert!(a.contains(",title=leakscan "), "{a}");
    }
    assert!(annotations.iter().any(|a| a.contains(",line=2,col=")));
    let md = fs::read_to_string(&summary).unwrap();
    assert!(md.contains("## leakscan") && md.contains("| file | line | severity | rule |"));
    assert_eq!(
        md.lines()
            .filter(|l| l.starts_with("| ") && !l.starts_with("| file"))
            .count(),
        t.findings
    );
    for raw in &t.raw {
        assert!(!md.contains(raw.as_str()));
    }
}

#[test]
fn the_github_job_summary_lists_at_most_a_thousand_findings() {
    // GitHub refuses a step summary over 1 MiB; the rows were also held in
    // memory for every finding of the scan (177 MB for 1 M findings)
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(231);
    let text: String = (0..1500)
        .map(|_| format!("個人番号: {}\n", rng.my_number()))
        .collect();
    fs::write(dir.path().join("staff.txt"), text).unwrap();
    let summary = dir.path().join("summary.md");
    let out = leakscan()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["scan", "--format", "github"])
        .arg(dir.path().join("staff.txt"))
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("::error")).count(),
        1500
    );
    let md = fs::read_to_string(&summary).unwrap();
    let rows = md
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| file"));
    assert_eq!(rows.count(), 1000);
    assert!(md.contains("… and 500 more findings"), "{md}");
}

#[test]
fn csv_has_a_bom_and_one_row_per_finding() {
    let t = tree();
    let (out, _, _) = render(&t, "csv");
    assert!(out.starts_with('\u{feff}'), "BOM for Japanese Excel");
    let rows: Vec<&str> = out.trim_start_matches('\u{feff}').lines().collect();
    assert!(
        rows[0].starts_with("rule_id,category,severity,confidence,path,member,cell,encoding,line")
    );
    assert_eq!(rows.len(), 1 + t.findings);
}

#[test]
fn every_format_is_listed_in_help() {
    let out = leakscan().args(["scan", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for f in [
        "text", "jsonl", "json", "sarif", "github", "csv", "ecs", "ocsf", "hec",
    ] {
        assert!(help.contains(f), "{f}");
    }
    let _ = Path::new("");
}
