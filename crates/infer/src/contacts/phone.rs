//! Phone numbers: E.164 (`+85512345678`) when the text gives a country code or the caller gives a region, else
//! the digits as written (`0812345678`).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A country's numbering plan, as far as reading numbers in text needs it.
struct Plan {
    /// ISO 3166 alpha-2.
    iso: &'static str,
    /// Calling code without `+`.
    code: &'static str,
    /// National numbers start with a trunk `0` that E.164 drops.
    trunk_zero: bool,
    /// Digits of a national significant number (the national number without its trunk `0`): fewest and most.
    digits: (usize, usize),
}

/// The countries of the lures' routes and of the pool's sources; others can be given as `+CC`. Number lengths from
/// the ITU-T national numbering plans (E.164 assignments), mobile and fixed lines together.
const REGIONS: &[Plan] = &[
    Plan { iso: "AE", code: "971", trunk_zero: true, digits: (8, 9) },
    Plan { iso: "AU", code: "61", trunk_zero: true, digits: (9, 9) },
    Plan { iso: "BD", code: "880", trunk_zero: true, digits: (8, 10) },
    Plan { iso: "BR", code: "55", trunk_zero: true, digits: (10, 11) },
    Plan { iso: "CA", code: "1", trunk_zero: false, digits: (10, 10) },
    Plan { iso: "CN", code: "86", trunk_zero: true, digits: (9, 11) },
    Plan { iso: "DE", code: "49", trunk_zero: true, digits: (6, 11) },
    Plan { iso: "ET", code: "251", trunk_zero: true, digits: (9, 9) },
    Plan { iso: "FR", code: "33", trunk_zero: true, digits: (9, 9) },
    Plan { iso: "GB", code: "44", trunk_zero: true, digits: (9, 10) },
    Plan { iso: "GH", code: "233", trunk_zero: true, digits: (9, 9) },
    Plan { iso: "HK", code: "852", trunk_zero: false, digits: (8, 8) },
    Plan { iso: "ID", code: "62", trunk_zero: true, digits: (8, 12) },
    Plan { iso: "IN", code: "91", trunk_zero: true, digits: (10, 10) },
    Plan { iso: "JP", code: "81", trunk_zero: true, digits: (9, 10) },
    Plan { iso: "KE", code: "254", trunk_zero: true, digits: (9, 9) },
    Plan { iso: "KG", code: "996", trunk_zero: true, digits: (9, 9) },
    Plan { iso: "KH", code: "855", trunk_zero: true, digits: (8, 9) },
    Plan { iso: "KR", code: "82", trunk_zero: true, digits: (8, 10) },
    Plan { iso: "LA", code: "856", trunk_zero: true, digits: (8, 10) },
    Plan { iso: "LK", code: "94", trunk_zero: true, digits: (9, 9) },
    Plan { iso: "MM", code: "95", trunk_zero: true, digits: (7, 10) },
    Plan { iso: "MO", code: "853", trunk_zero: false, digits: (8, 8) },
    Plan { iso: "MY", code: "60", trunk_zero: true, digits: (8, 10) },
    Plan { iso: "NG", code: "234", trunk_zero: true, digits: (8, 10) },
    Plan { iso: "NP", code: "977", trunk_zero: false, digits: (8, 10) },
    Plan { iso: "NZ", code: "64", trunk_zero: true, digits: (8, 10) },
    Plan { iso: "PH", code: "63", trunk_zero: true, digits: (8, 10) },
    Plan { iso: "PK", code: "92", trunk_zero: true, digits: (9, 10) },
    Plan { iso: "QA", code: "974", trunk_zero: false, digits: (8, 8) },
    Plan { iso: "RU", code: "7", trunk_zero: false, digits: (10, 10) },
    Plan { iso: "SA", code: "966", trunk_zero: true, digits: (8, 9) },
    Plan { iso: "SG", code: "65", trunk_zero: false, digits: (8, 8) },
    Plan { iso: "TH", code: "66", trunk_zero: true, digits: (8, 9) },
    Plan { iso: "TR", code: "90", trunk_zero: true, digits: (10, 10) },
    Plan { iso: "TW", code: "886", trunk_zero: true, digits: (8, 9) },
    Plan { iso: "UG", code: "256", trunk_zero: true, digits: (9, 9) },
    Plan { iso: "US", code: "1", trunk_zero: false, digits: (10, 10) },
    Plan { iso: "UZ", code: "998", trunk_zero: false, digits: (9, 9) },
    Plan { iso: "VN", code: "84", trunk_zero: true, digits: (9, 10) },
    Plan { iso: "ZA", code: "27", trunk_zero: true, digits: (9, 9) },
];

/// The region national numbers are read in (`--region`): its calling code and trunk prefix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    /// Calling code without `+` (`66`).
    pub calling_code: String,
    /// National numbers start with a `0` that the international form drops.
    pub trunk_zero: bool,
}

/// Why a `--region` value was not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown region `{0}`: give a country code such as TH, VN, KH, PH, ID, CN, MM (or a calling code such as +855)"
)]
pub struct UnknownRegion(pub String);

impl FromStr for Region {
    type Err = UnknownRegion;

    /// `TH` (ISO 3166 alpha-2, any case) or a calling code `+66` / `66`.
    fn from_str(s: &str) -> Result<Region, UnknownRegion> {
        let s = s.trim();
        let digits = s.strip_prefix('+').unwrap_or(s);
        if !digits.is_empty() && digits.len() <= 3 && digits.chars().all(|c| c.is_ascii_digit()) {
            let trunk_zero = REGIONS.iter().find(|plan| plan.code == digits).is_none_or(|plan| plan.trunk_zero);
            return Ok(Region { calling_code: digits.to_string(), trunk_zero });
        }
        REGIONS
            .iter()
            .find(|plan| plan.iso.eq_ignore_ascii_case(s))
            .map(|plan| Region { calling_code: plan.code.to_string(), trunk_zero: plan.trunk_zero })
            .ok_or_else(|| UnknownRegion(s.to_string()))
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+{}", self.calling_code)
    }
}

/// The known calling code `digits` starts with, if any (longest first: 855 before 85).
fn calling_code(digits: &str) -> Option<&'static Plan> {
    REGIONS.iter().filter(|plan| digits.starts_with(plan.code)).max_by_key(|plan| plan.code.len())
}

/// Whether `national` (digits, without a trunk `0`) has a length that numbers of calling code `code` have; any
/// length for a code this table does not know.
fn fits(code: &str, national: &str) -> bool {
    REGIONS
        .iter()
        .filter(|plan| plan.code == code)
        .all(|plan| (plan.digits.0..=plan.digits.1).contains(&national.len()))
}

/// The normalised form of a number as written (`raw` holds its digits, separators and an optional leading `+`):
/// `+` and the digits when it is international (`+…` or `00…`), the region's form when one is given, else the
/// digits. A `(0)` or a trunk `0` right after a known country code is dropped (`+84 (0)90…` is `+8490…`).
pub fn normalise(raw: &str, region: Option<&Region>) -> String {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let international = if raw.trim_start().starts_with('+') {
        Some(digits.as_str())
    } else {
        digits.strip_prefix("00").filter(|rest| rest.len() >= 8)
    };
    if let Some(number) = international {
        if let Some(plan) = calling_code(number).filter(|plan| plan.trunk_zero) {
            if let Some(national) = number[plan.code.len()..].strip_prefix('0') {
                return format!("+{}{national}", plan.code);
            }
        }
        return format!("+{number}");
    }
    // Written without its `+` (`855 96 712 3456`, as WhatsApp shows numbers): a calling code of a country whose own
    // numbers start with a trunk `0`, then 8 to 10 digits that do not. Such a country's numbers written at home
    // start with the `0`, so this is no national number there (nor, at 11 digits or more, a North American one).
    if let Some(code) = calling_code(&digits).filter(|plan| plan.trunk_zero).map(|plan| plan.code) {
        let national = &digits[code.len()..];
        let same_region = region.is_none_or(|r| r.calling_code == code);
        if same_region && digits.len() >= 11 && (8..=10).contains(&national.len()) && !national.starts_with('0') {
            return format!("+{digits}");
        }
    }
    // A national number of the region, when its length is one the region's numbers have: a number of another
    // country in the text (a Philippine mobile in a Cambodian ad read with `--region KH`) stays as its digits.
    let national = match region {
        Some(region) if region.trunk_zero => digits.strip_prefix('0'),
        Some(_) => Some(digits.as_str()),
        None => None,
    };
    match (region, national) {
        (Some(region), Some(national)) if fits(&region.calling_code, national) => {
            format!("+{}{national}", region.calling_code)
        }
        _ => digits,
    }
}

/// The international forms a number written nationally with a trunk `0` can have (`0812345678` → `+66812345678`,
/// `+62812345678`, …): one for each known country whose numbers are written with that `0` at home and have that
/// many digits. None for a
/// number with no trunk `0`, or one too short to be a phone number (fewer than 7 digits after the `0`).
pub(crate) fn international_forms(national: &str) -> impl Iterator<Item = String> + '_ {
    let subscriber = national
        .strip_prefix('0')
        .filter(|n| n.len() >= 7 && !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit()));
    REGIONS
        .iter()
        .filter(move |plan| plan.trunk_zero && subscriber.is_some_and(|n| fits(plan.code, n)))
        .map(move |plan| format!("+{}{}", plan.code, subscriber.unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_become_e164_when_the_country_is_known() {
        let th: Region = "th".parse().unwrap();
        assert_eq!(normalise("+855 12 345 678", None), "+85512345678");
        assert_eq!(normalise("+84 (0) 90 123 4567", None), "+84901234567");
        assert_eq!(normalise("0066 81 234 5678", None), "+66812345678");
        assert_eq!(normalise("081-234-5678", Some(&th)), "+66812345678");
        assert_eq!(normalise("081-234-5678", None), "0812345678");
        assert_eq!(normalise("6123 4567", Some(&"SG".parse().unwrap())), "+6561234567");
        // International numbers written without their `+`, as WhatsApp shows them.
        assert_eq!(normalise("855 96 712 3456", None), "+855967123456");
        assert_eq!(normalise("639171234567", None), "+639171234567");
        assert_eq!(normalise("84912345678", Some(&"VN".parse().unwrap())), "+84912345678");
        // Not a local number of another region, a number with a trunk 0, or a short one.
        assert_eq!(normalise("61912345678", Some(&"BR".parse().unwrap())), "61912345678");
        assert_eq!(normalise("0812345678", None), "0812345678");
        assert_eq!(normalise("6612345", None), "6612345");
        // A number whose length the region's numbers never have is another country's: its digits stay.
        let kh: Region = "KH".parse().unwrap();
        assert_eq!(normalise("0917 123 4567", Some(&kh)), "09171234567", "a Philippine mobile is no Cambodian number");
        assert_eq!(normalise("012 345 678", Some(&kh)), "+85512345678");
        assert_eq!(normalise("096 712 3456", Some(&kh)), "+855967123456");
        assert_eq!(normalise("0917 123 4567", Some(&"PH".parse().unwrap())), "+639171234567");
        assert_eq!(normalise("6123 456", Some(&"SG".parse().unwrap())), "6123456", "Singapore numbers have 8 digits");
        assert_eq!(
            normalise("0912 345 6789", Some(&"+999".parse().unwrap())),
            "+9999123456789",
            "any length for a code not in the table"
        );
        assert_eq!("+855".parse::<Region>().unwrap().calling_code, "855");
        assert!("Narnia".parse::<Region>().is_err());
    }

    #[test]
    fn a_national_number_has_an_international_form_in_each_country_with_a_trunk_zero() {
        let forms: Vec<String> = international_forms("0812345678").collect();
        assert!(forms.contains(&"+66812345678".to_string()) && forms.contains(&"+62812345678".to_string()));
        assert!(!forms.iter().any(|f| f.starts_with("+65") || f.starts_with("+1")), "{forms:?}");
        // Only the countries whose numbers have that many digits: 10 after the `0` is no Thai or Cambodian number.
        let forms: Vec<String> = international_forms("09171234567").collect();
        assert!(forms.contains(&"+639171234567".to_string()), "{forms:?}");
        assert!(!forms.iter().any(|f| f.starts_with("+66") || f.starts_with("+855")), "{forms:?}");
        for no_trunk in ["812345678", "0012345678", "0123456", "+66812345678"] {
            assert_eq!(international_forms(no_trunk).count(), 0, "{no_trunk}");
        }
    }
}
