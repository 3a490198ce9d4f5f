//! Adobe-Japan1 CIDs of Latin text and digits, for a Japanese CIDFont
//! shown through Identity-H without a ToUnicode map (a font left to the
//! viewer, such as HeiseiKakuGo-W5 or Ryumin-Light unembedded): its codes
//! are Adobe-Japan1 CIDs, and the CIDs of ASCII, the yen sign and the
//! full-width Latin letters and digits are fixed. Kana and kanji are not
//! kept (23,000 CIDs): identifiers are digits and Latin letters.

/// Runs of (first CID, last CID, Unicode of the first): Adobe's
/// Adobe-Japan1-6 `cid2code` as poppler-data ships it
/// (`cidToUnicode/Adobe-Japan1`), the proportional (1-100), half-width
/// (231-325) and full-width (633-841) Latin blocks; CIDs 1 and 231 are the
/// space, 244 the hyphen.
const RUNS: [(u16, u16, u16); 42] = [
    (1, 60, 0x0020),
    (61, 61, 0x00A5),
    (62, 63, 0x005D),
    (66, 92, 0x0061),
    (94, 94, 0x007D),
    (97, 97, 0x005C),
    (99, 99, 0x007C),
    (100, 100, 0x007E),
    (231, 290, 0x0020),
    (291, 291, 0x00A5),
    (292, 293, 0x005D),
    (296, 322, 0x0061),
    (324, 324, 0x007D),
    (636, 636, 0xFF0C),
    (637, 637, 0xFF0E),
    (639, 640, 0xFF1A),
    (641, 641, 0xFF1F),
    (642, 642, 0xFF01),
    (646, 646, 0xFF40),
    (648, 648, 0xFF3E),
    (650, 650, 0xFF3F),
    (663, 663, 0xFF0F),
    (664, 664, 0xFF3C),
    (667, 667, 0xFF5C),
    (674, 675, 0xFF08),
    (678, 678, 0xFF3B),
    (679, 679, 0xFF3D),
    (680, 680, 0xFF5B),
    (681, 681, 0xFF5D),
    (692, 692, 0xFF0B),
    (697, 697, 0xFF1D),
    (699, 699, 0xFF1C),
    (700, 700, 0xFF1E),
    (712, 712, 0xFF04),
    (715, 715, 0xFF05),
    (716, 716, 0xFF03),
    (717, 717, 0xFF06),
    (718, 718, 0xFF0A),
    (719, 719, 0xFF20),
    (780, 789, 0xFF10),
    (790, 815, 0xFF21),
    (816, 841, 0xFF41),
];

/// The character of Adobe-Japan1 CID `cid`, if it is Latin text or a digit.
pub fn char_of(cid: u32) -> Option<char> {
    let at = RUNS.partition_point(|r| u32::from(r.1) < cid);
    let &(first, last, u) = RUNS.get(at)?;
    if cid < u32::from(first) || cid > u32::from(last) {
        return None;
    }
    char::from_u32(u32::from(u) + cid - u32::from(first))
}

/// The Adobe-Japan1 CID a Unicode CMap (UniJIS-UCS2-H, UniJIS-UTF16-H, …)
/// gives `c`, if it is Latin text or a digit: the proportional block
/// (CIDs 1-100), or the half-width one (231-325) for the `-HW-` CMaps;
/// the full-width forms (U+FF01-U+FF5E) from 633 on. Other characters
/// (kana, kanji) are `None`: their CIDs are not kept.
pub fn cid_of(c: char, half_width: bool) -> Option<u32> {
    let c = u32::from(c);
    let block = if c >= 0xFF00 {
        633..=841
    } else if half_width {
        231..=325
    } else {
        1..=100
    };
    RUNS.iter()
        .filter(|r| block.contains(&r.0))
        .find(|r| (u32::from(r.2)..=u32::from(r.2) + u32::from(r.1 - r.0)).contains(&c))
        .map(|r| u32::from(r.0) + c - u32::from(r.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_and_letters_of_each_block() {
        assert_eq!(char_of(17), Some('0'));
        assert_eq!(char_of(26), Some('9'));
        assert_eq!(char_of(34), Some('A'));
        assert_eq!(char_of(1), Some(' '));
        assert_eq!(char_of(247), Some('0'));
        assert_eq!(char_of(780), Some('０'));
        assert_eq!(char_of(841), Some('ｚ'));
        assert_eq!(char_of(0), None);
        assert_eq!(char_of(1000), None);
    }

    #[test]
    fn unicode_cmaps_give_the_block_of_their_kind() {
        assert_eq!(cid_of(' ', false), Some(1));
        assert_eq!(cid_of('4', false), Some(21));
        assert_eq!(cid_of('4', true), Some(251));
        assert_eq!(cid_of('z', false), Some(91));
        assert_eq!(cid_of('０', false), Some(780));
        assert_eq!(cid_of('個', false), None);
        for c in (0x20..0x7F).filter_map(char::from_u32) {
            if let Some(cid) = cid_of(c, false) {
                assert_eq!(char_of(cid), Some(c));
            }
        }
    }
}
