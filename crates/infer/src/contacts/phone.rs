//! Phone numbers: E.164 (`+85512345678`) when the text gives a country code or the caller gives a region, else
//! the digits as written (`0812345678`).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Country (ISO 3166 alpha-2), its calling code, and whether national numbers start with a trunk `0` that
/// E.164 drops. The countries of the lures' routes and of the pool's sources; others can be given as `+CC`.
const REGIONS: &[(&str, &str, bool)] = &[
    ("AE", "971", true),
    ("AU", "61", true),
    ("BD", "880", true),
    ("BR", "55", true),
    ("CA", "1", false),
    ("CN", "86", true),
    ("DE", "49", true),
    ("ET", "251", true),
    ("FR", "33", true),
    ("GB", "44", true),
    ("GH", "233", true),
    ("HK", "852", false),
    ("ID", "62", true),
    ("IN", "91", true),
    ("JP", "81", true),
    ("KE", "254", true),
    ("KG", "996", true),
    ("KH", "855", true),
    ("KR", "82", true),
    ("LA", "856", true),
    ("LK", "94", true),
    ("MM", "95", true),
    ("MO", "853", false),
    ("MY", "60", true),
    ("NG", "234", true),
    ("NP", "977", false),
    ("NZ", "64", true),
    ("PH", "63", true),
    ("PK", "92", true),
    ("QA", "974", false),
    ("RU", "7", false),
    ("SA", "966", true),
    ("SG", "65", false),
    ("TH", "66", true),
    ("TR", "90", true),
    ("TW", "886", true),
    ("UG", "256", true),
    ("US", "1", false),
    ("UZ", "998", false),
    ("VN", "84", true),
    ("ZA", "27", true),
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
            let trunk_zero = REGIONS.iter().find(|(_, code, _)| *code == digits).is_none_or(|r| r.2);
            return Ok(Region { calling_code: digits.to_string(), trunk_zero });
        }
        REGIONS
            .iter()
            .find(|(iso, _, _)| iso.eq_ignore_ascii_case(s))
            .map(|&(_, code, trunk_zero)| Region { calling_code: code.to_string(), trunk_zero })
            .ok_or_else(|| UnknownRegion(s.to_string()))
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+{}", self.calling_code)
    }
}

/// The known calling code `digits` starts with, if any (longest first: 855 before 85).
fn calling_code(digits: &str) -> Option<&'static (&'static str, &'static str, bool)> {
    REGIONS.iter().filter(|(_, code, _)| digits.starts_with(code)).max_by_key(|(_, code, _)| code.len())
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
        if let Some(&(_, code, true)) = calling_code(number) {
            if let Some(national) = number[code.len()..].strip_prefix('0') {
                return format!("+{code}{national}");
            }
        }
        return format!("+{number}");
    }
    // Written without its `+` (`855 96 712 3456`, as WhatsApp shows numbers): a calling code of a country whose own
    // numbers start with a trunk `0`, then 8 to 10 digits that do not. Such a country's numbers written at home
    // start with the `0`, so this is no national number there (nor, at 11 digits or more, a North American one).
    if let Some(&(_, code, true)) = calling_code(&digits) {
        let national = &digits[code.len()..];
        let same_region = region.is_none_or(|r| r.calling_code == code);
        if same_region && digits.len() >= 11 && (8..=10).contains(&national.len()) && !national.starts_with('0') {
            return format!("+{digits}");
        }
    }
    match region {
        Some(region) if region.trunk_zero => match digits.strip_prefix('0') {
            Some(national) => format!("+{}{national}", region.calling_code),
            None => digits,
        },
        Some(region) => format!("+{}{digits}", region.calling_code),
        None => digits,
    }
}

/// The international forms a number written nationally with a trunk `0` can have (`0812345678` → `+66812345678`,
/// `+62812345678`, …): one for each known country whose numbers are written with that `0` at home. None for a
/// number with no trunk `0`, or one too short to be a phone number (fewer than 7 digits after the `0`).
pub(crate) fn international_forms(national: &str) -> impl Iterator<Item = String> + '_ {
    let subscriber = national
        .strip_prefix('0')
        .filter(|n| n.len() >= 7 && !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit()));
    REGIONS
        .iter()
        .filter(move |_| subscriber.is_some())
        .filter(|(_, _, trunk_zero)| *trunk_zero)
        .map(move |(_, code, _)| format!("+{code}{}", subscriber.unwrap_or_default()))
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
        assert_eq!("+855".parse::<Region>().unwrap().calling_code, "855");
        assert!("Narnia".parse::<Region>().is_err());
    }

    #[test]
    fn a_national_number_has_an_international_form_in_each_country_with_a_trunk_zero() {
        let forms: Vec<String> = international_forms("0812345678").collect();
        assert!(forms.contains(&"+66812345678".to_string()) && forms.contains(&"+62812345678".to_string()));
        assert!(!forms.iter().any(|f| f.starts_with("+65") || f.starts_with("+1")), "{forms:?}");
        for no_trunk in ["812345678", "0012345678", "0123456", "+66812345678"] {
            assert_eq!(international_forms(no_trunk).count(), 0, "{no_trunk}");
        }
    }
}
