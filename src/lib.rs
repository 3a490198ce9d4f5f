//! leakscan: finds leaked My Numbers, payment card numbers, plaintext
//! credentials and ID-document scans in storage exports.
//!
//! The data flow, one module a step:
//! [`walk`] (what to scan; [`staged`] for the git index) → [`read`]
//! (bounded, overlapping windows; text in other encodings decoded to UTF-8
//! by [`decode`]; members of archives from [`container`], text of Office
//! files from [`document`], of PDFs from [`pdf`], of e-mail from [`mail`],
//! each scanned like a file) →
//! [`digits`] and [`detect`] (candidates, with [`context`] as evidence and
//! [`lines`] for where lines are) →
//! [`validate`] (check digits) → [`scan`] (findings: [`redact`],
//! [`fingerprint`], inline ignores from [`suppress`]) → [`policy`]
//! (allowlist and baseline, counts into a [`summary`], the exit code) →
//! [`report`] (text, JSON, SARIF, SIEM schemas, ...).
//! [`engine`] runs the steps in parallel; [`patterns`] holds the rule data
//! embedded from `patterns/`, [`config`] a user's `.leakscan.toml`;
//! [`rulecheck`] runs every rule's examples (a rules file's and the
//! built-in ones); [`progress`] shows a scan's progress at a terminal.

pub mod config;
pub mod container;
pub mod context;
pub mod decode;
pub mod detect;
pub mod digits;
pub mod document;
pub mod engine;
pub mod finding;
pub mod fingerprint;
pub mod lines;
pub mod mail;
pub mod patterns;
pub mod pdf;
pub mod policy;
pub mod progress;
pub mod read;
pub mod redact;
pub mod report;
pub mod rulecheck;
pub mod scan;
pub mod staged;
pub mod summary;
pub mod suppress;
pub mod validate;
pub mod walk;
