//! leakscan: finds leaked My Numbers, payment card numbers, plaintext
//! credentials and ID-document scans in storage exports.
//!
//! The data flow, one module a step:
//! [`inputs`] (what to scan: the file system, stdin, the git index; each an
//! enumerator of sources) → [`formats`] (what a file is, by one sniff
//! table: archives, Office documents, PDF, mail hand their members and text
//! back to the scanner) → [`read`] and [`decode`] (bounded, overlapping
//! windows; text in other encodings decoded to UTF-8) → [`digits`] and
//! [`detect`] (candidates, with [`context`] as evidence and [`lines`] for
//! where lines are; [`validate`] for check digits) → [`scan`] (findings:
//! [`redact`], [`fingerprint`], [`provenance`]; how each file ended:
//! [`outcome`]) → [`suppress`] (inline ignores, allowlist, baselines) →
//! [`report`] (text, JSON, SARIF, SIEM schemas, ...) with a [`summary`].
//! [`engine`] runs the steps in parallel; [`patterns`] holds the rule data
//! embedded from `patterns/`, [`config`] a user's `.leakscan.toml`;
//! [`rulecheck`] runs a rules file's examples; [`progress`] shows a scan's
//! progress at a terminal.

pub mod config;
pub mod context;
pub mod decode;
pub mod detect;
pub mod digits;
pub mod engine;
pub mod finding;
pub mod fingerprint;
pub mod formats;
pub mod inputs;
pub mod lines;
pub mod outcome;
pub mod patterns;
pub mod progress;
pub mod provenance;
pub mod read;
pub mod redact;
pub mod report;
pub mod rulecheck;
pub mod scan;
pub mod summary;
pub mod suppress;
pub mod validate;
