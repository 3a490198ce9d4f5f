//! Compressed files with one member: gzip (concatenated members too),
//! bzip2, xz and zstd, by their magic bytes, through pure-Rust decoders
//! (flate2/miniz_oxide, bzip2/libbz2-rs-sys, lzma-rust2, ruzstd). The member
//! is named after the file without its extension; the tar inside a
//! `.tar.gz` (`.tgz`, ...) is not named: a compressed tarball is one archive
//! to its users.

use std::io::Read;

use super::{Format, Scope};
use crate::provenance::Step;

/// gzip.
pub(crate) static GZIP: Format = Format {
    name: "gzip",
    sniff: |head, _| head.starts_with(b"\x1f\x8b"),
    file_checks: false,
    read: |scope, r| {
        read_one(scope, &mut flate2::read::MultiGzDecoder::new(r));
        Ok(())
    },
};

/// bzip2 (`BZh` and a block size digit).
pub(crate) static BZIP2: Format = Format {
    name: "bzip2",
    sniff: |head, _| {
        head.len() >= 4 && head.starts_with(b"BZh") && (b'1'..=b'9').contains(&head[3])
    },
    file_checks: false,
    read: |scope, r| {
        read_one(scope, &mut bzip2::read::MultiBzDecoder::new(r));
        Ok(())
    },
};

/// xz.
pub(crate) static XZ: Format = Format {
    name: "xz",
    sniff: |head, _| head.starts_with(b"\xFD7zXZ\x00"),
    file_checks: false,
    read: |scope, r| {
        read_one(scope, &mut lzma_rust2::XzReader::new(r, true));
        Ok(())
    },
};

/// zstd.
pub(crate) static ZSTD: Format = Format {
    name: "zstd",
    sniff: |head, _| head.starts_with(b"\x28\xB5\x2F\xFD"),
    file_checks: false,
    read: |scope, r| {
        match ruzstd::decoding::StreamingDecoder::new(r) {
            Ok(mut d) => read_one(scope, &mut d),
            Err(_) => {
                let step = member_step(&scope.path());
                scope.corrupt(step, crate::outcome::Damage::Data(0))
            }
        }
        Ok(())
    },
};

/// Scans the one member, decoded by `d`.
fn read_one(scope: &mut Scope<'_, '_, '_>, d: &mut dyn Read) {
    let step = member_step(&scope.path());
    scope.member(step, d, None);
}

/// The member's step: the file's name without its compression extension;
/// `None` (no level of its own) for a tarball, and for a file whose name
/// has no such extension (`-` from stdin, `backup`): its content is the
/// file's, whatever it turns out to be.
fn member_step(path: &str) -> Option<Step> {
    let name = member_name(path)?;
    (!name.to_ascii_lowercase().ends_with(".tar")).then_some(Step::Entry(name))
}

/// The member name of a compressed file: its name without `.gz`, `.bz2`,
/// `.xz` or `.zst` (`.tgz` and the like name a `.tar`); `None` without such
/// an extension.
fn member_name(path: &str) -> Option<String> {
    let file = path.rsplit(['/', '!']).next().unwrap_or(path);
    let lower = file.to_ascii_lowercase();
    for ext in [".tgz", ".tbz2", ".tbz", ".txz", ".tzst"] {
        if lower.ends_with(ext) {
            return Some(format!("{}.tar", &file[..file.len() - ext.len()]));
        }
    }
    for ext in [".gz", ".bz2", ".xz", ".zst", ".zstd"] {
        if lower.ends_with(ext) {
            return Some(file[..file.len() - ext.len()].to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_names() {
        assert_eq!(member_name("a/dump.sql.gz").unwrap(), "dump.sql");
        assert_eq!(member_name("x.zip!/site.TGZ").unwrap(), "site.tar");
        assert_eq!(member_step("b.tar.gz"), None);
        assert_eq!(member_step("<stdin>"), None);
        assert_eq!(member_step("n.txt.bz2"), Some(Step::Entry("n.txt".into())));
    }
}
