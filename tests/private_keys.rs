//! Private-key findings, through the real binary: one finding per key block,
//! located at its `-----BEGIN` line (where other scanners and a reader look),
//! its value the key body (redacted).

use std::fs;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

const BODY: &str = "MIIEpAIBAAKCAQEA8JzFalHlsZfYcMMDktXP/tKsf2rcDkdfrUnW5gcF+Ha6ili8";

fn findings(dir: &std::path::Path) -> Vec<Value> {
    let out = Command::cargo_bin("leakscan")
        .unwrap()
        .args(["scan", "--format", "jsonl"])
        .arg(dir)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|r| r["type"] == "finding")
        .collect()
}

#[test]
fn a_key_is_reported_at_its_begin_line_once_per_block() {
    let dir = tempfile::tempdir().unwrap();
    let pem = |kind: &str| {
        format!(
            "-----BEGIN {kind}PRIVATE KEY-----\n{BODY}\n{BODY}\n-----END {kind}PRIVATE KEY-----\n"
        )
    };
    let text = format!(
        "# two test keys\n\n{}\nsome text\n{}",
        pem("RSA "),
        pem("EC ")
    );
    fs::write(dir.path().join("keys.pem"), &text).unwrap();
    let json = format!(
        "{{\n  \"type\": \"service_account\",\n  \"private_key\": \"{}\"\n}}\n",
        pem("").replace('\n', "\\n")
    );
    fs::write(dir.path().join("sa.json"), &json).unwrap();

    let found = findings(dir.path());
    let mut at: Vec<(String, u64, u64)> = found
        .iter()
        .map(|f| {
            assert_eq!(f["rule_id"], "private-key");
            assert!(!f["redacted"].as_str().unwrap().contains(BODY));
            let name = f["path"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string();
            (
                name,
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    at.sort();
    // keys.pem: BEGIN lines 3 and 9; sa.json: line 3, after `  "private_key": "`
    assert_eq!(
        at,
        [
            ("keys.pem".into(), 3, 1),
            ("keys.pem".into(), 9, 1),
            ("sa.json".into(), 3, 19)
        ]
    );
}
