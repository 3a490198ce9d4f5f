//! Redaction: what of a value may be shown. Raw values leave the process only
//! when the user passes `--show-secrets`.
//!
//! * My Number: the last 4 digits (`********9018`).
//! * Card: the first 6 and last 4 digits (`455673******9855`), as PCI DSS
//!   allows for display.
//! * Other Japanese identifiers: the last 4 characters of 10 or more, else
//!   the last 2 (`*******4567`, `*******67`).
//! * Credential: at most the first 4 characters, fewer for short values (a
//!   quarter of the length), then a fixed mask that does not give away the
//!   length.

use crate::finding::Category;

const MASK: &str = "****";

pub fn redact(category: Category, value: &[u8]) -> String {
    match category {
        Category::MyNumber => {
            let keep = value.len().saturating_sub(4);
            format!(
                "{}{}",
                "*".repeat(keep),
                String::from_utf8_lossy(&value[keep..])
            )
        }
        Category::PaymentCard if value.len() > 10 => {
            let last = value.len() - 4;
            format!(
                "{}{}{}",
                String::from_utf8_lossy(&value[..6]),
                "*".repeat(last - 6),
                String::from_utf8_lossy(&value[last..])
            )
        }
        Category::PaymentCard => "*".repeat(value.len()),
        Category::JpIdentifier => {
            let shown = if value.len() >= 10 { 4 } else { 2 };
            let keep = value.len().saturating_sub(shown);
            format!(
                "{}{}",
                "*".repeat(keep),
                String::from_utf8_lossy(&value[keep..])
            )
        }
        Category::Credential | Category::IdDocument => redact_secret(value),
    }
}

fn redact_secret(value: &[u8]) -> String {
    let text = String::from_utf8_lossy(value);
    let chars = text.chars().count();
    let shown = (chars / 4).min(4);
    let prefix: String = text
        .chars()
        .take(shown)
        .filter(|c| !c.is_control())
        .collect();
    format!("{prefix}{MASK}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(redact(Category::MyNumber, b"123456789018"), "********9018");
        assert_eq!(
            redact(Category::PaymentCard, b"4556737586899855"),
            "455673******9855"
        );
        assert_eq!(
            redact(Category::Credential, b"AKIAUJZDE8GXD6NCF10E"),
            "AKIA****"
        );
        assert_eq!(redact(Category::Credential, b"hunter2"), "h****");
        assert_eq!(redact(Category::Credential, b"abc"), "****");
        assert_eq!(
            redact(Category::Credential, "パスワード秘密".as_bytes()),
            "パ****"
        );
    }
}
