//! MinHash signatures of a record's text, for near-duplicate search: the text is folded (look-alike characters, and
//! Traditional Chinese read as Simplified, so that a repost converted to the other writing system shingles the same),
//! lowercased and masked (links, addresses and handles become `§`, every run of digits `0`), cut into overlapping
//! 5-character shingles, and each shingle hashed once into one of [`HASHES`] bins (one-permutation hashing, empty
//! bins filled from the next full one). Two signatures agree in a share of bins that estimates the Jaccard
//! similarity of the two shingle sets: a repost with a new link, phone number or random salt keeps most of its
//! shingles.

use crate::contacts::fold::Folded;
use crate::record::{Field, Record};

/// Bins of a signature (48 × 4 bytes a record).
pub const HASHES: usize = 48;
/// Characters per shingle.
pub const SHINGLE: usize = 5;
/// Only the first this many characters of a record are shingled: reposts differ in their body, not after 8,000
/// characters, and time per record stays bounded.
const MAX_CHARS: usize = 8000;
const EMPTY: u32 = u32::MAX;
/// A text of fewer characters once masked (`call me 0`, `ok`, a lone number) has no signature: too little to
/// call two records reposts of one script.
pub const MIN_CHARS: usize = 20;

/// A record's MinHash signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(pub [u32; HASHES]);

impl Signature {
    /// The signature of `record`'s text: every field but `company_profile` (an employer's boilerplate, the same in
    /// all of its ads, says who posts, not what; it is used when it is the only field).
    ///
    /// ```
    /// use lurescan::campaigns::Signature;
    /// use lurescan::Record;
    ///
    /// let a = Signature::of(&Record::from_text("Work in Cambodia, 1500 USD, free flight. Telegram @hr_one ref 8831"));
    /// let b = Signature::of(&Record::from_text("Work in Cambodia, 1500 USD, free flight. Telegram @hr_two ref 1942"));
    /// let c = Signature::of(&Record::from_text("Accountant in Leeds, CIMA qualified, hybrid working."));
    /// assert!(a.similarity(&b) > 0.9);
    /// assert!(a.similarity(&c) < 0.2);
    /// ```
    pub fn of(record: &Record) -> Signature {
        let only_profile = record.fields().all(|(field, _)| field == Field::CompanyProfile);
        let mut text = String::new();
        for (field, value) in record.fields() {
            if field != Field::CompanyProfile || only_profile {
                mask_into(value, &mut text);
                text.push(' ');
            }
        }
        Signature::of_masked(&text)
    }

    /// The signature of text already masked by [`mask`].
    fn of_masked(text: &str) -> Signature {
        let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).take(MAX_CHARS).collect();
        let mut bins = [EMPTY; HASHES];
        if chars.len() < MIN_CHARS {
            return Signature(bins);
        }
        let width = SHINGLE.min(chars.len());
        for window in chars.windows(width) {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for &c in window {
                h = (h ^ c as u64).wrapping_mul(0x0000_0100_0000_01b3);
            }
            let h = mix(h);
            let bin = (((h >> 32) * HASHES as u64) >> 32) as usize;
            bins[bin] = bins[bin].min(h as u32);
        }
        // Rotation densification: an empty bin takes the next full bin's value, offset by the distance, so that
        // two short texts still compare bin by bin.
        if bins.contains(&EMPTY) {
            let filled = bins;
            for (i, bin) in bins.iter_mut().enumerate() {
                if *bin == EMPTY {
                    let (distance, value) = (1..HASHES)
                        .map(|d| (d, filled[(i + d) % HASHES]))
                        .find(|&(_, v)| v != EMPTY)
                        .expect("a text with a shingle fills a bin");
                    *bin = (value ^ (distance as u32).wrapping_mul(0x9E37_79B9)).min(EMPTY - 1);
                }
            }
        }
        Signature(bins)
    }

    /// True for a record without enough text to compare ([`MIN_CHARS`]).
    pub fn is_empty(&self) -> bool {
        self.0[0] == EMPTY
    }

    /// The share of bins that agree: an estimate of the Jaccard similarity of the two shingle sets (0 for an
    /// empty signature).
    pub fn similarity(&self, other: &Signature) -> f32 {
        if self.is_empty() || other.is_empty() {
            return 0.0;
        }
        self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count() as f32 / HASHES as f32
    }
}

/// splitmix64's finaliser: spreads FNV's low-entropy high bits.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// `text` as near-duplicate search sees it: HTML read as a browser shows it ([`crate::markup`]), folded (digits of
/// every script, full-width forms, look-alikes, Traditional Chinese as Simplified),
/// lowercased, each token holding `@`, `://`, `www.` or a `/` (addresses, handles, links) replaced by `§`,
/// every run of digits by one `0`, punctuation dropped.
///
/// ```
/// assert_eq!(lurescan::campaigns::mask("Call +855 12-345 or t.me/hr_x! Ref #A81"), "call 0 0 or § ref a0");
/// ```
pub fn mask(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    mask_into(text, &mut out);
    out.trim_end().to_string()
}

fn mask_into(text: &str, out: &mut String) {
    let folded = Folded::new(&crate::han::fold(&crate::markup::strip(text)));
    for token in folded.text.split_whitespace() {
        let lower = token.to_lowercase();
        if lower.contains('@') || lower.contains("://") || lower.contains("www.") || lower.contains('/') {
            out.push_str("§ ");
            continue;
        }
        let start = out.len();
        let mut in_digits = false;
        for c in lower.chars() {
            if c.is_numeric() {
                if !in_digits {
                    out.push('0');
                }
                in_digits = true;
            } else if c.is_alphanumeric() || is_mark(c) {
                out.push(c);
                in_digits = false;
            }
        }
        if out.len() > start {
            out.push(' ');
        }
    }
}

/// Combining marks (Thai vowels and tones, Khmer and Burmese signs, Vietnamese tones after NFD) are part of words.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}'
        | '\u{102B}'..='\u{103E}' | '\u{17B4}'..='\u{17D3}' | '\u{0900}'..='\u{0903}' | '\u{093A}'..='\u{094F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salted_and_edited_copies_stay_close_and_other_texts_do_not() {
        let base =
            "Tuyển nhân viên chăm sóc khách hàng làm việc tại Campuchia, lương 1500 USD, bao vé máy bay và ăn ở, \
                    không cần kinh nghiệm. Liên hệ Zalo";
        let a = Signature::of(&Record::from_text(format!("{base} 0901234567 mã 7f3k")));
        let b = Signature::of(&Record::from_text(format!("{base} 0987654321 mã q9zz, gấp!")));
        let other = Signature::of(&Record::from_text(
            "Cần tuyển kế toán tổng hợp tại Hà Nội, có bằng đại học, 3 năm kinh nghiệm.",
        ));
        assert!(a.similarity(&b) >= 0.75, "{}", a.similarity(&b));
        assert!(a.similarity(&other) <= 0.15, "{}", a.similarity(&other));
        assert_eq!(a.similarity(&a), 1.0);
    }

    #[test]
    fn a_repost_in_traditional_characters_is_the_same_script() {
        let simplified =
            "高薪招聘海外客服，柬埔寨西港，月薪三万起，包吃包住，机票报销，无需经验，护照由公司统一保管，名额有限";
        let traditional =
            "高薪招聘海外客服，柬埔寨西港，月薪三萬起，包吃包住，機票報銷，無需經驗，護照由公司統一保管，名額有限";
        let a = Signature::of(&Record::from_text(simplified));
        let b = Signature::of(&Record::from_text(traditional));
        assert_eq!(a.similarity(&b), 1.0);
        let other =
            Signature::of(&Record::from_text("本店誠徵門市人員，時薪一百九十元，需輪班，有勞健保，歡迎親自到店面試"));
        assert!(a.similarity(&other) <= 0.15, "{}", a.similarity(&other));
    }

    #[test]
    fn empty_text_matches_nothing() {
        let empty = Signature::of(&Record::from_text("  "));
        assert!(empty.is_empty());
        assert_eq!(empty.similarity(&empty), 0.0);
        // Too short to tell a repost from a coincidence: "ok", a lone number.
        assert!(Signature::of(&Record::from_text("ok")).is_empty());
        assert!(Signature::of(&Record::from_text("Call 0812 345 678 now!!")).is_empty());
        assert!(!Signature::of(&Record::from_text("Bookkeeper, part time, Chiang Mai")).is_empty());
    }

    #[test]
    fn company_profile_is_left_out_unless_alone() {
        let profile = "Acme is a global leader in logistics with 40,000 employees in 60 countries. ".repeat(5);
        let a = Record::default()
            .with(Field::CompanyProfile, profile.clone())
            .with(Field::Title, "Forklift driver, night shift");
        let b =
            Record::default().with(Field::CompanyProfile, profile).with(Field::Title, "Senior data engineer (Spark)");
        assert!(Signature::of(&a).similarity(&Signature::of(&b)) < 0.3);
    }
}
