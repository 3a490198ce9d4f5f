//! Where a finding or an issue came from, as a structure: the file (as shown,
//! and relative to the scan root), the chain of members inside it (archive
//! entries, document parts, worksheets, messages and attachments) and the
//! cell of a worksheet. Renderings derive their strings from it: the
//! `member` of a record is [`join`] of the chain (`backup.zip!/hr/staff.csv`
//! gives `hr/staff.csv`; levels are joined with `!/`).

use std::fmt::Write;

/// One level inside a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// An entry of an archive by its path in it (`hr/staff.csv`), or the
    /// one member of a compressed file (`dump.sql` of `dump.sql.gz`).
    Entry(String),
    /// A part of an Office package (`word/document.xml`, `word/media/x.png`).
    Part(String),
    /// A worksheet, by name. It is read as a CSV: for evidence and
    /// fingerprints it is named `{sheet}.csv`, so its header row counts.
    Sheet(String),
    /// The text layer of a PDF as a whole (`text`): what a gap names when
    /// no page could be read.
    PdfText,
    /// A page of a PDF, 1-based (`page-3`): its text layer.
    Page(u32),
    /// A part of a PDF besides its pages' text ([`crate::formats::pdf::extras`]):
    /// `info`, `metadata`, `outline`, `form`, `page-3/annotations`,
    /// `attachment/NAME` (an embedded file), `after-eof` (bytes after the
    /// last `%%EOF`).
    PdfPart(String),
    /// The raw bytes of a database file outside its live rows (`free-space`):
    /// free pages and freed cells, where deleted rows linger.
    FreeSpace,
    /// The headers and text bodies of an e-mail: message `n` of an mbox
    /// (`message-n`), or of a single message (`body`).
    Body {
        /// 1-based number in an mbox; `None` for a single message.
        message: Option<u64>,
    },
    /// The raw text of an e-mail's header fields that were too long to
    /// parse (`headers`, or `message-n/headers` in an mbox), read as they
    /// are.
    Headers {
        /// 1-based number in an mbox; `None` for a single message.
        message: Option<u64>,
    },
    /// An attachment (`staff.zip`, or `message-2/staff.zip` in an mbox).
    Attachment {
        /// 1-based number of the message in an mbox; `None` for a single
        /// message.
        message: Option<u64>,
        /// The attachment's file name.
        name: String,
    },
}

impl Step {
    /// The name shown in reports: identifiers in it masked and control
    /// characters escaped ([`crate::redact::name`]).
    pub fn write_name(&self, out: &mut String) {
        let mut raw = String::new();
        self.write_raw_name(&mut raw);
        out.push_str(&crate::redact::name(&raw));
    }

    /// The name as it is, for the detectors and fingerprints only: never
    /// shown.
    fn write_raw_name(&self, out: &mut String) {
        match self {
            Step::Entry(n) | Step::Part(n) | Step::Sheet(n) | Step::PdfPart(n) => out.push_str(n),
            Step::PdfText => out.push_str("text"),
            Step::FreeSpace => out.push_str("free-space"),
            Step::Page(n) => {
                let _ = write!(out, "page-{n}");
            }
            Step::Body { message: None } => out.push_str("body"),
            Step::Body { message: Some(n) } => {
                let _ = write!(out, "message-{n}");
            }
            Step::Headers { message: None } => out.push_str("headers"),
            Step::Headers { message: Some(n) } => {
                let _ = write!(out, "message-{n}/headers");
            }
            Step::Attachment {
                message: None,
                name,
            } => out.push_str(name),
            Step::Attachment {
                message: Some(n),
                name,
            } => {
                let _ = write!(out, "message-{n}/{name}");
            }
        }
    }

    /// The name the text detectors see (file-name evidence, table sniffing)
    /// and fingerprints cover: the shown name, but `{sheet}.csv` for a
    /// worksheet.
    pub fn write_context_name(&self, out: &mut String) {
        self.write_raw_name(out);
        if matches!(self, Step::Sheet(_)) {
            out.push_str(".csv");
        }
    }
}

/// The chain's names joined with `!/` (empty for no steps).
pub fn join(steps: &[Step]) -> String {
    let mut out = String::new();
    for (i, s) in steps.iter().enumerate() {
        if i > 0 {
            out.push_str("!/");
        }
        s.write_name(&mut out);
    }
    out
}

/// `base` followed by the chain's context names, each after `!/`
/// (`backup.zip!/hr/staff.csv`, `book.xlsx!/従業員.csv`).
pub fn context_path(base: &str, steps: &[Step]) -> String {
    let mut out = String::with_capacity(base.len() + 16 * steps.len());
    out.push_str(base);
    for s in steps {
        out.push_str("!/");
        s.write_context_name(&mut out);
    }
    out
}

/// Where a finding is. `path` and `rel_path` are as shown (identifiers in
/// them masked, control characters escaped: [`crate::redact::name`]); so
/// is every rendering of the members.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Provenance {
    /// The file as reached from the PATH given (`examples/x/hr/a.csv`),
    /// `-` for stdin, the staged path for a git blob.
    pub path: String,
    /// The path relative to the scan root (fingerprints, SARIF URIs).
    pub rel_path: String,
    /// The members inside the file, outermost first; empty for a plain file.
    pub members: Vec<Step>,
    /// The worksheet cell (`B251`) of a match in a sheet (the sheet is the
    /// last member); `None` elsewhere.
    pub cell: Option<String>,
}

impl Provenance {
    /// The member path as shown in reports (`inner.zip!/deploy/.env`);
    /// `None` for a plain file.
    pub fn member(&self) -> Option<String> {
        (!self.members.is_empty()).then(|| join(&self.members))
    }

    /// The path relative to the scan root with the member chain appended as
    /// the detectors saw it (`site.tgz!/inner.zip!/.env`, a sheet as
    /// `{sheet}.csv`): what fingerprints cover, what baselines and
    /// allowlists match, and SARIF's artifact URI.
    pub fn rel_context(&self) -> String {
        let mut out = self.rel_path.clone();
        for s in &self.members {
            out.push_str("!/");
            s.write_name(&mut out);
            if matches!(s, Step::Sheet(_)) {
                out.push_str(".csv");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_render_as_before() {
        let steps = vec![
            Step::Body { message: Some(2) },
            Step::Attachment {
                message: Some(2),
                name: "staff.zip".into(),
            },
            Step::Entry("hr/staff.csv".into()),
        ];
        assert_eq!(join(&steps), "message-2!/message-2/staff.zip!/hr/staff.csv");
        assert_eq!(join(&steps[1..]), "message-2/staff.zip!/hr/staff.csv");
        assert_eq!(join(&[]), "");
        let sheet = [Step::Sheet("従業員".into())];
        assert_eq!(join(&sheet), "従業員");
        assert_eq!(context_path("b.xlsx", &sheet), "b.xlsx!/従業員.csv");
        assert_eq!(context_path("a.pdf", &[Step::Page(3)]), "a.pdf!/page-3");
        let p = Provenance {
            path: "a".into(),
            ..Provenance::default()
        };
        assert_eq!(p.member(), None);
    }
}
