//! Fingerprints that identify a finding across runs without revealing it.
//!
//! A plain hash of a 12-digit number is no redaction (10^11 candidates are
//! hashed in seconds), so both ids are keyed HMAC-SHA256:
//! * `fingerprint` = HMAC(key, rule ‖ value ‖ path): one finding in one file,
//!   stable across runs, line moves and edits elsewhere in the file;
//! * `value_id` = HMAC(key, rule ‖ value): the same value in any file, so a
//!   SIEM can correlate one number across files and buckets.
//!
//! The key comes from `--fingerprint-key-file`, `LEAKSCAN_FINGERPRINT_KEY`,
//! or a per-user key file created on first use (mode 0600).

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Hex characters kept of each HMAC (128 bits).
const ID_HEX_LEN: usize = 32;
/// Environment variable holding the key itself.
pub const KEY_ENV: &str = "LEAKSCAN_FINGERPRINT_KEY";

/// Computes a finding's `fingerprint` and `value_id` with one secret key.
#[derive(Clone)]
pub struct Fingerprinter {
    mac: HmacSha256,
}

impl std::fmt::Debug for Fingerprinter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fingerprinter(<key>)")
    }
}

/// Where the key came from, for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// A key file: the one given, or the per-user one that already existed.
    File(PathBuf),
    /// The environment variable [`KEY_ENV`].
    Env,
    /// The per-user key file, created by this run.
    Created(PathBuf),
    /// No key file could be kept: fingerprints are stable for this run only.
    /// The string says why.
    Ephemeral(String),
}

/// Why no fingerprint key could be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// A key file could not be read.
    #[error("cannot read fingerprint key file {path}: {source}")]
    Read {
        /// The key file, as it may be shown ([`crate::redact::path`]).
        path: String,
        /// Why it could not be read.
        source: io::Error,
    },
    /// A key shorter than 16 bytes; the string names the file or variable.
    #[error("fingerprint key in {0} is too short: use at least 16 bytes (e.g. 64 hex characters)")]
    TooShort(String),
    /// No random key could be read from `/dev/urandom`.
    #[error("cannot generate a fingerprint key: {0}")]
    Random(io::Error),
}

impl Fingerprinter {
    /// A fingerprinter keyed with `key` (any length; [`load_key`] insists on
    /// at least 16 bytes).
    pub fn new(key: &[u8]) -> Fingerprinter {
        Fingerprinter {
            mac: HmacSha256::new_from_slice(key).expect("HMAC takes any key length"),
        }
    }

    fn hmac(&self, parts: &[&[u8]]) -> String {
        let mut mac = self.mac.clone();
        for p in parts {
            // length-prefix each part so ("ab","c") and ("a","bc") differ
            mac.update(&(p.len() as u64).to_be_bytes());
            mac.update(p);
        }
        let out = mac.finalize().into_bytes();
        let mut hex = String::with_capacity(ID_HEX_LEN);
        for b in &out[..ID_HEX_LEN / 2] {
            hex.push_str(&format!("{b:02x}"));
        }
        hex
    }

    /// A finding's `fingerprint`: 32 hex characters (128 bits) of
    /// HMAC-SHA256(key, `fingerprint` ‖ rule ‖ value ‖ path), each part
    /// length-prefixed.
    /// `path` is relative to the scan root (with any archive member).
    pub fn fingerprint(&self, rule: &str, value: &[u8], path: &str) -> String {
        self.hmac(&[b"fingerprint", rule.as_bytes(), value, path.as_bytes()])
    }

    /// A finding's `value_id`: 32 hex characters (128 bits) of
    /// HMAC-SHA256(key, `value` ‖ rule ‖ value), each part length-prefixed.
    pub fn value_id(&self, rule: &str, value: &[u8]) -> String {
        self.hmac(&[b"value", rule.as_bytes(), value])
    }
}

fn check_len(key: Vec<u8>, what: &str) -> Result<Vec<u8>, KeyError> {
    if key.len() < 16 {
        return Err(KeyError::TooShort(what.to_string()));
    }
    Ok(key)
}

fn read_key_file(path: &Path) -> Result<Vec<u8>, KeyError> {
    let text = fs::read(path).map_err(|source| KeyError::Read {
        path: crate::redact::path(path),
        source,
    })?;
    check_len(text.trim_ascii().to_vec(), &crate::redact::path(path))
}

/// The per-user key file: `$XDG_CONFIG_HOME/leakscan/fingerprint.key` or
/// `~/.config/leakscan/fingerprint.key`.
pub fn default_key_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".config"))
        })?;
    Some(base.join("leakscan").join("fingerprint.key"))
}

fn random_key() -> io::Result<Vec<u8>> {
    let mut key = [0u8; 32];
    fs::File::open("/dev/urandom")?.read_exact(&mut key)?;
    Ok(key
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>()
        .into_bytes())
}

fn create_key_file(path: &Path) -> io::Result<Vec<u8>> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    if let Some(dir) = path.parent() {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    let key = random_key()?;
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(&key)?;
    f.write_all(b"\n")?;
    Ok(key)
}

/// Loads the key: an explicit file, then the environment, then the per-user
/// key file (created on first use).
pub fn load_key(explicit: Option<&Path>) -> Result<(Fingerprinter, KeySource), KeyError> {
    if let Some(path) = explicit {
        let key = read_key_file(path)?;
        return Ok((
            Fingerprinter::new(&key),
            KeySource::File(path.to_path_buf()),
        ));
    }
    if let Some(v) = std::env::var_os(KEY_ENV).filter(|v| !v.is_empty()) {
        let key = check_len(v.into_encoded_bytes(), KEY_ENV)?;
        return Ok((Fingerprinter::new(&key), KeySource::Env));
    }
    let Some(path) = default_key_path() else {
        let key = random_key().map_err(KeyError::Random)?;
        return Ok((
            Fingerprinter::new(&key),
            KeySource::Ephemeral("no HOME or XDG_CONFIG_HOME".into()),
        ));
    };
    if path.exists() {
        let key = read_key_file(&path)?;
        return Ok((Fingerprinter::new(&key), KeySource::File(path)));
    }
    match create_key_file(&path) {
        Ok(key) => Ok((Fingerprinter::new(&key), KeySource::Created(path))),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            let key = read_key_file(&path)?; // another process created it first
            Ok((Fingerprinter::new(&key), KeySource::File(path)))
        }
        Err(e) => {
            let key = random_key().map_err(KeyError::Random)?;
            Ok((
                Fingerprinter::new(&key),
                // the path as names are shown (identifiers masked, control
                // characters escaped); an OS error's text quotes no data
                KeySource::Ephemeral(format!(
                    "cannot create {}: {}",
                    crate::redact::path(&path),
                    io::Error::from(e.kind())
                )),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_stable_and_distinct() {
        let a = Fingerprinter::new(b"0123456789abcdef0123");
        let b = Fingerprinter::new(b"another key 0123456789");
        let fp = a.fingerprint("my_number", b"123456789018", "a.csv");
        assert_eq!(fp, a.fingerprint("my_number", b"123456789018", "a.csv"));
        assert_eq!(fp.len(), ID_HEX_LEN);
        assert_ne!(fp, b.fingerprint("my_number", b"123456789018", "a.csv"));
        assert_ne!(fp, a.fingerprint("my_number", b"123456789018", "b.csv"));
        assert_eq!(
            a.value_id("my_number", b"123456789018"),
            a.value_id("my_number", b"123456789018")
        );
        assert!(!fp.contains("9018"));
    }
}
