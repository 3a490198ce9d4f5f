//! `--format sarif`: one SARIF 2.1.0 document, as GitHub code scanning and
//! other SARIF consumers accept it: the rules with descriptions and help,
//! one result per finding with a level, a message, the location relative to
//! the scan root and a partial fingerprint (the keyed leakscan fingerprint).

use std::io::{self, Write};

use serde_json::{json, Value};

use super::Reporter;
use crate::finding::{Finding, RuleMeta, Severity};
use crate::scan::FileResult;
use crate::summary::Summary;

/// The `sarif` reporter: writes each result as its file finishes (memory
/// does not grow with the findings); the run's invocation at the end.
pub struct Sarif<W: Write> {
    out: W,
    rules: Vec<&'static RuleMeta>,
    /// The document up to `"results": [` is written.
    started: bool,
    /// Results written so far (for the commas).
    results: u64,
}

/// SARIF level for a severity.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// GitHub's `security-severity` score (0–10) for a severity.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

/// One sentence saying what was found, with the redacted value only.
pub fn message(f: &Finding) -> String {
    let kind = f.kind.map(|k| format!(" ({k})")).unwrap_or_default();
    format!(
        "{}{kind}: {} [confidence {}]",
        f.rule.description, f.redacted, f.confidence
    )
}

fn help(rule: &RuleMeta) -> String {
    format!(
        "{}. Remove the value from the file (and rotate it if it is a credential). \
If it is not a leak, add `leakscan:ignore={}` on its line, or record it in a baseline \
(`leakscan scan --write-baseline FILE`).",
        rule.description, rule.id
    )
}

impl<W: Write> Sarif<W> {
    /// Writes to `out`; `rules` are the rules listed in the tool's driver
    /// (every rule of the scan).
    pub fn new(out: W, rules: Vec<&'static RuleMeta>) -> Self {
        Sarif {
            out,
            rules,
            started: false,
            results: 0,
        }
    }

    fn rule_index(&self, id: &str) -> Option<usize> {
        self.rules.iter().position(|r| r.id == id)
    }

    fn result(&self, f: &Finding) -> Value {
        // Whole-file findings (document images) point at the file's start.
        let region = json!({
            "startLine": f.line.unwrap_or(1),
            "startColumn": f.column.unwrap_or(1),
        });
        let mut r = json!({
            "ruleId": f.rule.id,
            "level": level(f.severity),
            "message": { "text": message(f) },
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": { "uri": uri(&f.provenance.rel_context()), "uriBaseId": "%SRCROOT%" },
                    "region": region,
                }
            }],
            "partialFingerprints": { "leakscanFingerprint/v1": f.fingerprint },
            "properties": {
                "category": f.rule.category.as_str(),
                "severity": f.severity.as_str(),
                "confidence": f.confidence.as_str(),
                "redacted": f.redacted,
                "valueId": f.value_id,
                "wholeFile": f.line.is_none(),
                "security-severity": security_severity(f.severity),
            },
        });
        if let Some(i) = self.rule_index(&f.rule.id) {
            r["ruleIndex"] = json!(i);
        }
        if let Some(secret) = &f.secret {
            r["properties"]["secret"] = json!(secret);
        }
        r
    }
}

/// A relative URI reference for a path (RFC 3986): `/` separators; every
/// ASCII character that is not unreserved, a sub-delimiter, `:`, `@` or
/// `/` percent-encoded (`\\` as `%5C`, so an escaped name such as
/// `a\\nb.txt` never reads as the folder `a/`), UTF-8 kept as is (an IRI,
/// as SARIF allows); a first segment with a `:` gets `./` before it, so it
/// does not read as a scheme.
fn uri(path: &str) -> String {
    let path = path.trim_start_matches("./");
    let mut out = String::with_capacity(path.len() + 2);
    if path
        .split('/')
        .next()
        .is_some_and(|first| first.contains(':'))
    {
        out.push_str("./");
    }
    for c in path.chars() {
        let keep = !c.is_ascii()
            || c.is_ascii_alphanumeric()
            || matches!(
                c,
                '-' | '.'
                    | '_'
                    | '~'
                    | '!'
                    | '$'
                    | '&'
                    | '\''
                    | '('
                    | ')'
                    | '*'
                    | '+'
                    | ','
                    | ';'
                    | '='
                    | ':'
                    | '@'
                    | '/'
            );
        if keep {
            out.push(c);
        } else {
            out.push_str(&format!("%{:02X}", c as u32));
        }
    }
    out
}

impl<W: Write> Sarif<W> {
    /// Writes the document up to the opening of the results array.
    fn start(&mut self) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        let rules: Vec<Value> = self
            .rules
            .iter()
            .map(|r| {
                json!({
                    "id": r.id,
                    "name": r.id.replace(['-', '_'], " "),
                    "shortDescription": { "text": r.description },
                    "fullDescription": { "text": format!("{} (category {}, severity {}).", r.description, r.category.as_str(), r.severity.as_str()) },
                    "help": { "text": help(r), "markdown": help(r) },
                    "defaultConfiguration": { "level": level(r.severity) },
                    "properties": {
                        "tags": ["security", r.category.as_str()],
                        "security-severity": security_severity(r.severity),
                    },
                })
            })
            .collect();
        let tool = json!({ "driver": {
            "name": "leakscan",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "rules": rules,
        }});
        write!(
            self.out,
            "{{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"tool\": "
        )?;
        serde_json::to_writer(&mut self.out, &tool)?;
        write!(
            self.out,
            ",\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": ["
        )
    }
}

impl<W: Write> Reporter for Sarif<W> {
    fn file(&mut self, r: &FileResult) -> io::Result<()> {
        self.start()?;
        for f in &r.findings {
            let v = self.result(f);
            let sep = if self.results == 0 { "" } else { "," };
            write!(self.out, "{sep}\n        ")?;
            serde_json::to_writer(&mut self.out, &v)?;
            self.results += 1;
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.start()?;
        let invocations = json!([{
            "executionSuccessful": !summary.incomplete() && !summary.interrupted,
            "exitCode": summary.exit_code,
        }]);
        let close = if self.results == 0 { "" } else { "\n      " };
        write!(self.out, "{close}],\n      \"invocations\": ")?;
        serde_json::to_writer(&mut self.out, &invocations)?;
        self.out.write_all(b"\n    }\n  ]\n}\n")?;
        self.out.flush()
    }
}
