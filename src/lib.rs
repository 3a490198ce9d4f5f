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
//! [`redact`], [`fingerprint`], [`provenance`], inline ignores from
//! [`suppress`]; how each file ended: [`outcome`]) → [`policy`] (allowlist
//! and baseline, counts into a [`summary`], the exit code) → [`report`]
//! (text, JSON, SARIF, SIEM schemas, ...).
//! [`engine`] runs the steps in parallel; [`patterns`] holds the rule data
//! embedded from `patterns/`, [`config`] a user's `.leakscan.toml`;
//! [`rulecheck`] runs every rule's examples (a rules file's and the
//! built-in ones); [`progress`] shows a scan's progress at a terminal.

#![warn(missing_docs)]

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
pub mod names;
pub mod outcome;
pub mod patterns;
pub mod policy;
pub mod progress;
pub mod provenance;
pub mod read;
pub mod records;
pub mod redact;
pub mod report;
pub mod rulecheck;
pub mod scan;
pub mod strings;
pub mod summary;
pub mod suppress;
pub mod text_table;
pub mod validate;
