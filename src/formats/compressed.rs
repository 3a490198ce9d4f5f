//! Compressed files with one member: gzip (concatenated members too),
//! bzip2, xz and zstd, by their magic bytes, through pure-Rust decoders
//! (flate2/miniz_oxide, bzip2/libbz2-rs-sys, lzma-rust2, ruzstd). The member
//! is named after the file without its extension; the tar inside a
//! `.tar.gz` (`.tgz`, ...) is not named: a compressed tarball is one archive
//! to its users.

//!
//! Their output is held to the inflation ratio as it streams
//! ([`Inflation`]), as a zip member's is from its header, and to the
//! file's byte budget.

use std::io::Read;

use super::limits::{Consumed, Inflation};
use super::{Format, Scope};
use crate::outcome::Damage;
use crate::provenance::Step;

/// gzip.
pub(crate) static GZIP: Format = Format {
    name: "gzip",
    sniff: |head, _| head.starts_with(b"\x1f\x8b"),
    file_checks: false,
    read: |scope, r| {
        read_stream(scope, r, |c| Ok(flate2::read::MultiGzDecoder::new(c)));
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
        read_stream(scope, r, |c| Ok(bzip2::read::MultiBzDecoder::new(c)));
        Ok(())
    },
};

/// xz.
pub(crate) static XZ: Format = Format {
    name: "xz",
    sniff: |head, _| head.starts_with(b"\xFD7zXZ\x00"),
    file_checks: false,
    read: |scope, r| {
        read_stream(scope, r, |c| Ok(lzma_rust2::XzReader::new(c, true)));
        Ok(())
    },
};

/// zstd.
pub(crate) static ZSTD: Format = Format {
    name: "zstd",
    sniff: |head, _| head.starts_with(b"\x28\xB5\x2F\xFD"),
    file_checks: false,
    read: |scope, r| {
        read_stream(scope, r, |c| {
            ruzstd::decoding::StreamingDecoder::new(c).map_err(|_| Damage::Data(0))
        });
        Ok(())
    },
};

/// Scans the one member, decoded from `r` by the decoder `decoder` makes
/// (or the damage that kept it from starting), held to the inflation
/// ratio as it streams.
fn read_stream<'r, D: Read>(
    scope: &mut Scope<'_, '_, '_>,
    r: &'r mut dyn Read,
    decoder: impl FnOnce(Consumed<&'r mut dyn Read>) -> Result<D, Damage>,
) {
    let step = member_step(&scope.path());
    let (counted, consumed) = Consumed::new(r);
    match decoder(counted) {
        Ok(d) => {
            let mut inflation = Inflation::new(d, consumed, &scope.limits());
            scope.member(step, &mut inflation, None);
        }
        Err(damage) => scope.corrupt(step, damage),
    }
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
