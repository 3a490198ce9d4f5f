//! Check-digit algorithms: My Number (番号法施行令 第8条), Luhn
//! (ISO/IEC 7812-1), Corporate Number (法人番号), the driver's licence
//! number's (unofficial) check digit and ICAO 9303 MRZ check digits. Inputs
//! are ASCII; the checks never allocate.

/// The My Number check digit for the first 11 digits.
///
/// With Pn the n-th of the 11 digits counted from the right and Qn = n+1
/// (n ≤ 6) or n−5 (7 ≤ n ≤ 11): r = Σ Pn·Qn mod 11; the check digit is 0 if
/// r ≤ 1, else 11 − r. From the left the weights are 6 5 4 3 2 7 6 5 4 3 2.
///
/// Panics unless given exactly 11 bytes.
pub fn my_number_check_digit(first11: &[u8]) -> u8 {
    const WEIGHTS: [u32; 11] = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    let first11: &[u8; 11] = first11.try_into().expect("11 digits");
    let sum: u32 = first11
        .iter()
        .zip(WEIGHTS)
        .map(|(&d, w)| u32::from(d.wrapping_sub(b'0')) * w)
        .sum();
    let r = sum % 11;
    if r <= 1 {
        0
    } else {
        (11 - r) as u8
    }
}

/// Whether 12 ASCII digits carry a valid My Number check digit.
///
/// It runs for every 12-digit number of a scan (millions in a digit-heavy
/// log), so it works on the digits as two machine words (SWAR) instead of
/// byte by byte; [`my_number_check_digit`] is the plain reference that the
/// tests compare it with.
pub fn is_valid_my_number(digits: &[u8]) -> bool {
    let Ok(d) = <&[u8; 12]>::try_from(digits) else {
        return false;
    };
    let lo = u64::from_le_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]]);
    let hi = u32::from_le_bytes([d[8], d[9], d[10], d[11]]);
    if !all_ascii_digits_u64(lo) || !all_ascii_digits_u64(u64::from(hi) | 0x3030_3030 << 32) {
        return false;
    }
    let lo = lo - 0x3030_3030_3030_3030;
    let hi = u64::from(hi - 0x3030_3030);
    // Multiplying four digit bytes (a0..a3, a0 lowest) by w3 | w2<<8 |
    // w1<<16 | w0<<24 leaves a0*w0 + .. + a3*w3 in byte 3 of the product:
    // each byte of the product stays below 256 (4 * 9 * 7), so nothing
    // carries into it. Weights from the left: 6 5 4 3 | 2 7 6 5 | 4 3 2 (0).
    const W1: u64 = 3 | 4 << 8 | 5 << 16 | 6 << 24;
    const W2: u64 = 5 | 6 << 8 | 7 << 16 | 2 << 24;
    const W3: u64 = 2 << 8 | 3 << 16 | 4 << 24;
    let byte3 = |x: u64, w: u64| (x * w) >> 24 & 0xFF;
    let sum = byte3(lo & 0xFFFF_FFFF, W1) + byte3(lo >> 32, W2) + byte3(hi, W3);
    let r = sum % 11;
    let check = if r <= 1 { 0 } else { 11 - r };
    check == hi >> 24
}

/// Whether all eight bytes of `x` are ASCII digits. Each byte must have
/// high nibble 3, and so must the byte plus 6 (a low nibble of at most 9).
/// A carry between bytes needs a byte of 0xFA or more, which already
/// fails the first test.
fn all_ascii_digits_u64(x: u64) -> bool {
    const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    (x & HIGH) | ((x.wrapping_add(0x0606_0606_0606_0606) & HIGH) >> 4) == 0x3333_3333_3333_3333
}

/// Whether ASCII digits pass the Luhn check.
pub fn luhn_valid(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &d) in digits.iter().rev().enumerate() {
        let mut v = u32::from(d - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum.is_multiple_of(10)
}

/// The Luhn check digit that completes `payload` (test and corpus helper).
pub fn luhn_check_digit(payload: &[u8]) -> u8 {
    (0..10u8)
        .find(|&c| {
            let mut v = payload.to_vec();
            v.push(b'0' + c);
            luhn_valid(&v)
        })
        .expect("some digit completes a Luhn number")
}

/// Completes 11 digits into a valid My Number (test and corpus helper).
pub fn complete_my_number(first11: &str) -> String {
    let d = my_number_check_digit(first11.as_bytes());
    format!("{first11}{d}")
}

/// Whether 12 ASCII digits read as a `YYYYMMDDhhmm` timestamp between
/// 1970 and 2099 (a look-alike of a My Number in logs and file names).
pub fn is_plausible_timestamp(d: &[u8]) -> bool {
    if d.len() != 12 || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let n = |a: usize, b: usize| {
        d[a..b]
            .iter()
            .fold(0u32, |v, &c| v * 10 + u32::from(c - b'0'))
    };
    let (year, month, day, hour, minute) = (n(0, 4), n(4, 6), n(6, 8), n(8, 10), n(10, 12));
    (1970..=2099).contains(&year)
        && (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && hour < 24
        && minute < 60
}

/// The Corporate Number check digit (the first of 13) for the 12 base
/// digits: 9 − (Σ digit × weight mod 9), weights 1, 2, 1, 2, … counted from
/// the right. Always 1–9.
pub fn corporate_number_check_digit(base12: &[u8]) -> u8 {
    debug_assert_eq!(base12.len(), 12);
    let sum: u32 = base12
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| u32::from(d - b'0') * if i % 2 == 0 { 1 } else { 2 })
        .sum();
    (9 - sum % 9) as u8
}

/// Whether 13 ASCII digits are a valid Corporate Number.
pub fn is_valid_corporate_number(digits: &[u8]) -> bool {
    digits.len() == 13
        && digits.iter().all(u8::is_ascii_digit)
        && corporate_number_check_digit(&digits[1..]) == digits[0] - b'0'
}

/// 公安委員会 codes that start a driver's licence number.
pub fn is_licence_authority(code: u8) -> bool {
    matches!(code, 10..=14 | 20..=25 | 30 | 40..=55 | 60..=65 | 70..=74 | 80..=83 | 90..=97)
}

/// The licence number's check digit (11th of 12) from its first 10 digits:
/// (11 − Σ d·w mod 11) mod 10 with weights 5 4 3 2 7 6 5 4 3 2. Unofficial;
/// on remainder 0 both 0 and 1 are seen, so both are accepted.
pub fn drivers_license_check_ok(digits: &[u8]) -> bool {
    if digits.len() != 12 || !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    const WEIGHTS: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    let sum: u32 = digits[..10]
        .iter()
        .zip(WEIGHTS)
        .map(|(&d, w)| u32::from(d - b'0') * w)
        .sum();
    let r = sum % 11;
    let c = u32::from(digits[10] - b'0');
    if r == 0 {
        c == 0 || c == 1
    } else {
        c == (11 - r) % 10
    }
}

/// The ICAO 9303 check digit of MRZ characters: weights 7, 3, 1; digits
/// count as themselves, A–Z as 10–35, `<` as 0. `None` for other bytes.
pub fn mrz_check_digit(chars: &[u8]) -> Option<u8> {
    let mut sum = 0u32;
    for (i, &c) in chars.iter().enumerate() {
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            b'<' => 0,
            _ => return None,
        };
        sum += v * [7, 3, 1][i % 3];
    }
    Some((sum % 10) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn timestamps() {
        assert!(is_plausible_timestamp(b"202401011236"));
        assert!(is_plausible_timestamp(b"199912312359"));
        assert!(!is_plausible_timestamp(b"983205673214"));
        assert!(!is_plausible_timestamp(b"202413011236"));
        assert!(!is_plausible_timestamp(b"202401012460"));
    }

    #[test]
    fn corporate_number_reference_vectors() {
        for v in [
            "7000012050002",
            "1180301018771",
            "7010705000725",
            "4011001098993",
        ] {
            assert!(is_valid_corporate_number(v.as_bytes()), "{v}");
        }
        for v in [
            "5123456789012",
            "0180301018771",
            "700001205000",
            "70000120500a2",
        ] {
            assert!(!is_valid_corporate_number(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn drivers_license_reference_vectors() {
        for v in ["459803358720", "301512345650", "622000000190"] {
            assert!(drivers_license_check_ok(v.as_bytes()), "{v}");
            assert!(is_licence_authority(
                (v.as_bytes()[0] - b'0') * 10 + v.as_bytes()[1] - b'0'
            ));
        }
        assert!(!drivers_license_check_ok(b"301512345600"));
        assert!(!is_licence_authority(99));
        assert!(!is_licence_authority(15));
    }

    #[test]
    fn mrz_icao_specimen() {
        // ICAO 9303 specimen document number L898902C3, check digit 6
        assert_eq!(mrz_check_digit(b"L898902C3"), Some(6));
        assert_eq!(mrz_check_digit(b"L898902C<"), Some(3));
        assert_eq!(mrz_check_digit(b"l898902c3"), None);
    }

    /// The reference: the digits checked one by one, the check digit by
    /// the definition.
    fn my_number_by_definition(d: &[u8]) -> bool {
        d.len() == 12
            && d.iter().all(u8::is_ascii_digit)
            && my_number_check_digit(&d[..11]) == d[11] - b'0'
    }

    #[test]
    fn word_wise_check_agrees_with_the_definition_on_every_byte() {
        let vectors = [*b"123456789018", *b"023456789013", *b"000000000000"];
        for base in vectors {
            for pos in 0..12 {
                for byte in 0..=255u8 {
                    let mut d = base;
                    d[pos] = byte;
                    assert_eq!(is_valid_my_number(&d), my_number_by_definition(&d), "{d:?}");
                }
            }
        }
        assert!(!is_valid_my_number(b"12345678901"));
        assert!(!is_valid_my_number(b"1234567890180"));
    }

    proptest! {
        #[test]
        fn word_wise_check_agrees_with_the_definition(d in proptest::array::uniform12(any::<u8>()), digits in "[0-9]{12}") {
            prop_assert_eq!(is_valid_my_number(&d), my_number_by_definition(&d));
            let digits = digits.as_bytes();
            prop_assert_eq!(is_valid_my_number(digits), my_number_by_definition(digits));
        }

        #[test]
        fn every_single_digit_change_breaks_a_corporate_number(base in "[0-9]{12}", pos in 0usize..13, delta in 1u8..10) {
            let c = corporate_number_check_digit(base.as_bytes());
            prop_assert!((1..=9).contains(&c));
            let mut n = format!("{c}{base}").into_bytes();
            prop_assert!(is_valid_corporate_number(&n));
            let old = n[pos];
            n[pos] = b'0' + (old - b'0' + delta) % 10;
            // mod 9 cannot see a 0 <-> 9 swap in a base digit (±9 ≡ 0)
            let invisible = pos > 0 && old.abs_diff(n[pos]) == 9;
            if !invisible {
                prop_assert!(!is_valid_corporate_number(&n));
            }
        }
    }

    #[test]
    fn official_example_and_reference_vectors() {
        assert_eq!(my_number_check_digit(b"12345678901"), 8);
        for valid in [
            "123456789018",
            "023456789013",
            "983205673214",
            "465281266333",
            "654327654322",
        ] {
            assert!(is_valid_my_number(valid.as_bytes()), "{valid}");
        }
        for invalid in [
            "123456789010",
            "123456789011",
            "123456789012",
            "123456789013",
            "123456789014",
            "123456789015",
            "123456789016",
            "123456789017",
            "123456789019",
            "983205673210",
            "111111111111",
        ] {
            assert!(!is_valid_my_number(invalid.as_bytes()), "{invalid}");
        }
    }

    #[test]
    fn luhn_reference_vectors() {
        for valid in [
            "4111111111111111",
            "2221000000000009",
            "2223003122003222",
            "6205500000000000004",
            "378282246310005",
        ] {
            assert!(luhn_valid(valid.as_bytes()), "{valid}");
        }
        for invalid in ["4111111111111112", "4111111111111110"] {
            assert!(!luhn_valid(invalid.as_bytes()), "{invalid}");
        }
    }

    /// r = Σ Pn·Qn mod 11 for the first 11 digits.
    fn remainder(d: &[u8]) -> u32 {
        const W: [u32; 11] = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
        d[..11]
            .iter()
            .zip(W)
            .map(|(&c, w)| u32::from(c - b'0') * w)
            .sum::<u32>()
            % 11
    }

    proptest! {
        #[test]
        fn every_generated_my_number_is_valid(first11 in "[0-9]{11}") {
            prop_assert!(is_valid_my_number(complete_my_number(&first11).as_bytes()));
        }

        #[test]
        fn changing_the_check_digit_is_rejected(first11 in "[0-9]{11}", delta in 1u8..10) {
            let mut n = complete_my_number(&first11).into_bytes();
            n[11] = b'0' + (n[11] - b'0' + delta) % 10;
            prop_assert!(!is_valid_my_number(&n));
        }

        /// Every weight (2..7) is a unit mod 11, so a one-digit change always
        /// moves r. The law maps both r = 0 and r = 1 to check digit 0, so
        /// the one change that can survive is one between those two sums.
        #[test]
        fn changing_a_payload_digit_is_rejected(first11 in "[0-9]{11}", pos in 0usize..11, delta in 1u8..10) {
            let valid = complete_my_number(&first11).into_bytes();
            let mut changed = valid.clone();
            changed[pos] = b'0' + (changed[pos] - b'0' + delta) % 10;
            prop_assert_ne!(remainder(&valid), remainder(&changed));
            let fold = remainder(&valid) <= 1 && remainder(&changed) <= 1;
            prop_assert_eq!(is_valid_my_number(&changed), fold);
        }

        #[test]
        fn every_single_digit_change_breaks_luhn(payload in "[0-9]{15}", pos in 0usize..16, delta in 1u8..10) {
            let mut n = payload.into_bytes();
            let c = luhn_check_digit(&n);
            n.push(b'0' + c);
            prop_assert!(luhn_valid(&n));
            n[pos] = b'0' + (n[pos] - b'0' + delta) % 10;
            prop_assert!(!luhn_valid(&n));
        }
    }
}
