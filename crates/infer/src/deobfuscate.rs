//! Undoes the disguises spam uses to slip past word filters, one whitespace-separated word at a time, before a
//! record is rendered ([`crate::RenderConfig::deobfuscate`]):
//!
//! - **digits for letters** (leetspeak): `h0me` → `home`, `L1ke` → `Like`, `te1egram` → `telegram`, `BL0CKED` →
//!   `BLOCKED`. A digit is read as a letter only alone between two Latin letters, in a run of letters and at most
//!   two digits whose letters have one case shape (`word`, `Word`, `WORD`), and in capitals only 0: so `4th`,
//!   `mp3`, `HTML5`, `B2B`, `ST5K`, `COVID19`, `CSS3Experience`, random ids and anything in a word with `/`, `#`,
//!   `@` or `=` or a domain name (addresses, hashes) stay as written, and so do words glued to a number
//!   (`least5times`: four letters or more on both sides). A digit at the start or end of a word is left alone (`3mins`,
//!   `Win7`), which also leaves `1ncome` as it is.
//! - **letters for digits**: a run that starts with a digit and has no letter but `O`/`o` is a number: `5OO` →
//!   `500`, `$3OO` → `$300`, `1OOO` → `1000` (not `O2`: it does not start with a digit).
//! - **look-alike letters**: Cyrillic and Greek letters that look like Latin ones (`о`, `е`, `а`, `р`, `Α`, …) are
//!   read as Latin in a stretch of letters that also has a Latin letter: `Wоrk` with a Cyrillic `о` → `Work`. A
//!   word with no Latin letter (Russian, Greek) is left alone.
//!
//! The indicator flags of `--explain` quote the text as written, so a disguised indicator word counts in the score
//! (the ensemble's indicator term reads the deobfuscated record) but is not listed among the flags.
//! - **spaced letters**: four or more single letters joined by one repeated separator (`.`, `-`, `_`, `*`), or
//!   three with a small letter among them, are one word: `W.o.r.k` → `Work`, `e-a-r-n` → `earn` (`U.S.`, `e.g.`
//!   and `K.Y.C` keep their dots).
//! - **invisible characters** between Latin letters (zero-width space, joiners, soft hyphen) are dropped:
//!   `Tele\u{200B}gram` → `Telegram`. Between letters of other scripts they stay (Thai, Khmer and Burmese use the
//!   zero-width space between words).
//!
//! Text without any of these comes back borrowed, unchanged. The rules are written from how filter-evading spam
//! is described (and seen in the wild); they are not learned from data.

use crate::record::Record;
use std::borrow::Cow;

/// `record` with every field deobfuscated ([`deobfuscate`]); borrowed when no field changes.
pub fn deobfuscate_record(record: &Record) -> Cow<'_, Record> {
    let changed: Vec<_> = record
        .fields()
        .filter_map(|(field, value)| match deobfuscate(value) {
            Cow::Owned(plain) => Some((field, plain)),
            Cow::Borrowed(_) => None,
        })
        .collect();
    if changed.is_empty() {
        return Cow::Borrowed(record);
    }
    let mut plain = record.clone();
    for (field, value) in changed {
        plain.set(field, value);
    }
    Cow::Owned(plain)
}

/// `text` with each whitespace-separated word deobfuscated; the whitespace between words is kept as it is.
pub fn deobfuscate(text: &str) -> Cow<'_, str> {
    if !text.split_whitespace().any(might_change) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let blank = rest.find(|c: char| !c.is_whitespace()).unwrap_or(rest.len());
        out.push_str(&rest[..blank]);
        rest = &rest[blank..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        out.push_str(&word(&rest[..end]));
        rest = &rest[end..];
    }
    if out == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(out)
    }
}

/// Whether a rule could change `word`: it has a look-alike or invisible character, a Latin letter and a digit, or a
/// separator between two Latin letters. Most words have none of these, and are passed over without a copy.
fn might_change(word: &str) -> bool {
    let (mut digit, mut letter) = (false, false);
    for c in word.chars() {
        if INVISIBLE.contains(&c) || latin_look_alike(c).is_some() {
            return true;
        }
        digit |= c.is_ascii_digit();
        letter |= c.is_ascii_alphabetic();
    }
    // ASCII bytes never occur inside a multi-byte UTF-8 character, so a window of three bytes is three characters.
    let spaced =
        |w: &[u8]| w[0].is_ascii_alphabetic() && SEPARATORS.contains(&(w[1] as char)) && w[2].is_ascii_alphabetic();
    (digit && letter) || word.as_bytes().windows(3).any(spaced)
}

const SEPARATORS: [char; 4] = ['.', '-', '_', '*'];

/// Zero-width space, non-joiner, joiner, word joiner, byte-order mark, soft hyphen.
const INVISIBLE: [char; 6] = ['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{AD}'];

/// One word (no whitespace inside) deobfuscated.
fn word(w: &str) -> Cow<'_, str> {
    if !might_change(w) {
        return Cow::Borrowed(w);
    }
    let mut chars: Vec<char> = w.chars().collect();
    if chars.iter().any(char::is_ascii_alphabetic) {
        drop_invisible_between_latin(&mut chars);
        read_look_alikes(&mut chars);
    }
    // Addresses, paths, hashes and ids keep their letters and digits as written.
    if !chars.iter().any(|c| matches!(c, '/' | '#' | '@' | '=' | '\\' | '&' | '?')) && !has_domain(&chars) {
        join_spaced_letters(&mut chars);
        read_runs(&mut chars);
    }
    let out: String = chars.into_iter().collect();
    if out == w {
        Cow::Borrowed(w)
    } else {
        Cow::Owned(out)
    }
}

fn drop_invisible_between_latin(chars: &mut Vec<char>) {
    let latin = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_alphabetic() || latin_look_alike(*c).is_some());
    let mut i = 0;
    while i < chars.len() {
        if INVISIBLE.contains(&chars[i]) && i > 0 && latin(chars.get(i - 1)) {
            let next = chars[i + 1..].iter().find(|c| !INVISIBLE.contains(c));
            if latin(next) {
                chars.remove(i);
                continue;
            }
        }
        i += 1;
    }
}

/// Look-alike letters as Latin ones, in each stretch of Latin and look-alike letters that has a Latin letter
/// (`Wоrk`), not in words written in Cyrillic or Greek, even glued to a Latin one (`MySQLΓνώση` keeps its `ν`).
fn read_look_alikes(chars: &mut [char]) {
    let mut start = 0;
    while start < chars.len() {
        let latin_like = |c: &char| c.is_ascii_alphabetic() || latin_look_alike(*c).is_some();
        let len = chars[start..].iter().take_while(|c| latin_like(c)).count();
        let stretch = &mut chars[start..start + len];
        if stretch.iter().any(char::is_ascii_alphabetic) {
            for c in stretch.iter_mut() {
                if let Some(latin) = latin_look_alike(*c) {
                    *c = latin;
                }
            }
        }
        start += len.max(1);
    }
}

/// Whether a word holds a domain name: a dot between a letter or digit and two letters or more (`line5c.me`,
/// `club4mobiles.com`), which a word spelled with dots (`W.o.r.k`, `e.t.c.`) does not.
fn has_domain(chars: &[char]) -> bool {
    (1..chars.len()).any(|i| {
        chars[i] == '.'
            && chars[i - 1].is_ascii_alphanumeric()
            && chars[i + 1..].iter().take_while(|c| c.is_ascii_alphabetic()).count() >= 2
    })
}

/// `W.o.r.k` → `Work`: a stretch of at least four single Latin letters (three with a small letter among them) with
/// the same separator between each two.
fn join_spaced_letters(chars: &mut Vec<char>) {
    let mut i = 0;
    while i < chars.len() {
        let Some(&sep) = chars.get(i + 1).filter(|c| SEPARATORS.contains(c)) else {
            i += 1;
            continue;
        };
        // Letters at i, i + 2, i + 4, …, each followed by `sep` except possibly the last.
        let single = |j: usize| chars.get(j).is_some_and(char::is_ascii_alphabetic);
        let starts_run = single(i) && (i == 0 || !chars[i - 1].is_alphanumeric());
        let mut end = i;
        while starts_run && single(end) && chars.get(end + 1) == Some(&sep) && single(end + 2) {
            end += 2;
        }
        let letters = (end - i) / 2 + 1;
        let ends_run = chars.get(end + 1).is_none_or(|c| !c.is_alphanumeric());
        // Acronyms in capitals (`K.Y.C`, `M.B.A.`) keep their dots; `W.O.R.K` and `e.a.r.n` do not.
        let lowercase = (i..=end).step_by(2).any(|j| chars[j].is_ascii_lowercase());
        if starts_run && (letters >= 4 || (letters == 3 && lowercase)) && ends_run {
            let joined: Vec<char> = (i..=end).step_by(2).map(|j| chars[j]).collect();
            chars.splice(i..=end, joined);
            i += letters;
        } else {
            i += 1;
        }
    }
}

/// Reads each run of Latin letters and digits: `5OO` as `500`, `h0me` as `home`.
fn read_runs(chars: &mut [char]) {
    let mut start = 0;
    while start < chars.len() {
        let len = chars[start..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
        if len == 0 {
            start += 1;
            continue;
        }
        let run = &mut chars[start..start + len];
        if run[0].is_ascii_digit() && run.iter().all(|c| c.is_ascii_digit() || matches!(c, 'O' | 'o')) {
            run.iter_mut().filter(|c| !c.is_ascii_digit()).for_each(|c| *c = '0');
        } else {
            digits_as_letters(run);
        }
        start += len;
    }
}

/// Reads the digits of a run of letters as the letters they stand for, where the run looks like a disguised word:
/// at most [`MAX_DIGITS`] digits, each alone between two letters, and letters in one case shape (`word`, `Word`,
/// `WORD`). Random ids (`H9CMNjtZ1r6`), words glued to numbers (`CSS3Experience`, `HTML5`, `3mins`) and codes
/// (`ST5K`, `W1J6HL`) are not.
fn digits_as_letters(run: &mut [char]) {
    let letters: Vec<char> = run.iter().copied().filter(char::is_ascii_alphabetic).collect();
    let digits = run.len() - letters.len();
    if digits == 0 || digits > MAX_DIGITS || run.len() > MAX_RUN {
        return;
    }
    let upper = letters.iter().all(char::is_ascii_uppercase);
    let one_case = upper || letters[1..].iter().all(char::is_ascii_lowercase);
    if !one_case || !run[0].is_ascii_alphabetic() {
        return;
    }
    let original: Vec<char> = run.to_vec();
    for i in 1..run.len().saturating_sub(1) {
        let (before, digit, after) = (original[i - 1], original[i], original[i + 1]);
        if !digit.is_ascii_digit() || !before.is_ascii_alphabetic() || !after.is_ascii_alphabetic() {
            continue;
        }
        // Four letters or more on both sides: two words glued to a number (`least5times`, `Proses1hari`).
        let side = |part: &[char]| part.iter().rev().take_while(|c| c.is_ascii_alphabetic()).count();
        let side_after = original[i + 1..].iter().take_while(|c| c.is_ascii_alphabetic()).count();
        let dimensions = after == 'x' && original.get(i + 2).is_some_and(char::is_ascii_digit); // `photo4x6`
        if dimensions || (side(&original[..i]) >= 4 && side_after >= 4) {
            continue;
        }
        let next = after.to_ascii_lowercase();
        // Codes in capitals (`ST5K`, `D1EU`) use every digit; shouted spam mostly swaps O for 0 (`BL0CKED`).
        let read = match digit {
            '0' => 'o',
            // `1` before a consonant is usually `i` (`L1ke`, `v1deos`), before a vowel or `y` it is `l`
            // (`te1egram`, `dai1y`).
            '1' if upper => continue,
            '1' if matches!(next, 'a' | 'e' | 'i' | 'o' | 'u' | 'y') => 'l',
            '1' => 'i',
            '3' if !upper && letters.len() >= 3 => 'e',
            '4' if !upper && letters.len() >= 3 => 'a',
            '5' if !upper && letters.len() >= 3 => 's',
            '7' if !upper && letters.len() >= 3 => 't',
            _ => continue,
        };
        run[i] = if upper { read.to_ascii_uppercase() } else { read };
    }
    // A word has a vowel; a run that still has none was an abbreviation or an amount (`Rp7rb`), not a disguise.
    if !run.iter().any(|c| matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y')) {
        run.copy_from_slice(&original);
    }
}

/// The most digits a disguised word has (`c0ntact`, `t4sk`, `w0rk1ng`); more, and it is an id or a code.
const MAX_DIGITS: usize = 2;
/// The longest run of letters and digits read as a disguised word; longer ones are ids and hashes.
const MAX_RUN: usize = 16;

/// The Latin letter a Cyrillic or Greek letter is drawn like, if any.
fn latin_look_alike(c: char) -> Option<char> {
    Some(match c {
        'а' | 'α' => 'a',
        'е' | 'ε' => 'e',
        'о' | 'ο' => 'o',
        'р' | 'ρ' => 'p',
        'с' => 'c',
        'у' => 'y',
        'х' => 'x',
        'і' | 'ι' => 'i',
        'ј' => 'j',
        'ѕ' => 's',
        'ԁ' => 'd',
        'ν' => 'v',
        'А' | 'Α' => 'A',
        'В' | 'Β' => 'B',
        'Е' | 'Ε' => 'E',
        'К' | 'Κ' => 'K',
        'М' | 'Μ' => 'M',
        'Н' | 'Η' => 'H',
        'О' | 'Ο' => 'O',
        'Р' | 'Ρ' => 'P',
        'С' => 'C',
        'Т' | 'Τ' => 'T',
        'Х' | 'Χ' => 'X',
        'І' | 'Ι' => 'I',
        'Ј' => 'J',
        'Ѕ' => 'S',
        'Ζ' => 'Z',
        'Ν' => 'N',
        'Υ' => 'Y',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> String {
        deobfuscate(text).into_owned()
    }

    #[test]
    fn reads_digits_as_the_letters_they_stand_for() {
        assert_eq!(d("W0rk fr0m h0me, L1ke v1deos, da1ly 1ncome"), "Work from home, Like videos, daily 1ncome");
        assert_eq!(d("add te1egram, app1y now, w0rk1ng"), "add telegram, apply now, working");
        assert_eq!(d("J0B for y0u, c0ntact HR, BL0CKED"), "JOB for you, contact HR, BLOCKED");
        assert_eq!(d("w4tch and e4rn, t4sk"), "watch and earn, task");
    }

    #[test]
    fn reads_letters_as_digits_in_numbers() {
        assert_eq!(d("earn $3OO a day, 5OO-1OOO daily"), "earn $300 a day, 500-1000 daily");
        assert_eq!(d("O2 and Oasis"), "O2 and Oasis");
    }

    #[test]
    fn leaves_ordinary_alphanumerics_alone() {
        for text in [
            "4th floor, 1st shift, 3rd party, 2nd round",
            "mp3 B2B G4S COVID19 Win10 24h 5G A4 i7 x86 P2P HTML5, Trace3 nama1 3mins 4info ST5K TV7K YT4P",
            "Rp7rb 1O0tr D1EU QJE1AGKEYH Proses1hari least5times photo4x6 line5c.me club4mobiles.com MySQLΓνώση",
            "CSS3Experience H9CMNjtZ1r6 PReCTjZ0mJK TB-Ky1T01 W1J6HL M7H7R47 c0mm1ss10n",
            "bit.ly/3qAVUke #URL_0fa3f7c5e23a16de# #EMAIL_c9b5d8a60f3d# http://x.co/?a=b0b wa.me/6281234",
            "call 0812345678 or +66 81 234 5678 before 5pm, ref AB12CD",
            "Rp 50.000/hari, 1.000.000 VND, 10:30, 2024-05-01",
            "U.S. e.g. a.m. p.m. i.e. co-op self-employed well-known",
        ] {
            assert_eq!(d(text), text);
        }
        assert!(matches!(deobfuscate("plain words only"), Cow::Borrowed(_)));
        assert!(matches!(deobfuscate("4th floor, 9am"), Cow::Borrowed(_)));
    }

    #[test]
    fn joins_spaced_letters() {
        assert_eq!(d("W.o.r.k from h.o.m.e, e-a-r-n fast"), "Work from home, earn fast");
        assert_eq!(d("W.h.a.t.s.A.p.p me"), "WhatsApp me");
        assert_eq!(d("U.S.A. jobs, M.B.A. wanted, W-O-R-K"), "U.S.A. jobs, M.B.A. wanted, WORK");
    }

    #[test]
    fn reads_look_alike_letters_in_latin_words_only() {
        // Cyrillic о, е, а, р inside English words.
        assert_eq!(d("Wоrk frоm hоmе, еаrn"), "Work from home, earn");
        assert_eq!(d("Работа дома"), "Работа дома", "Russian stays Russian");
        assert_eq!(d("Καλημέρα"), "Καλημέρα", "Greek stays Greek");
        assert_eq!(d("Javascript).Κατανόηση"), "Javascript).Κατανόηση", "a Greek word glued to an English one");
    }

    #[test]
    fn drops_invisible_characters_between_latin_letters_only() {
        assert_eq!(d("Tele\u{200B}gram and What\u{AD}sApp"), "Telegram and WhatsApp");
        let thai = "งาน\u{200B}ออนไลน์";
        assert_eq!(d(thai), thai);
    }

    #[test]
    fn deobfuscates_every_field_of_a_record() {
        let record = Record::default().with(crate::Field::Title, "T4sk j0b").with(crate::Field::Text, "plain");
        let plain = deobfuscate_record(&record);
        assert_eq!(plain.get(crate::Field::Title), Some("Task job"));
        assert_eq!(plain.get(crate::Field::Text), Some("plain"));
        assert!(matches!(deobfuscate_record(&plain), Cow::Borrowed(_)));
    }

    #[test]
    fn keeps_the_region_s_scripts_and_whitespace() {
        for text in [
            "兼职日结，一天500，加飞机",
            "ការងារនៅថៃ ប្រាក់ខែ ១០០០ ដុល្លារ",
            "Kerja  paruh waktu,\tgaji 5 juta\n",
            "việc làm tại nhà 300k/ngày",
        ] {
            assert_eq!(d(text), text);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Any text, built from the characters the rules look at: no panic, the same whitespace between the same
        /// number of words, and no word made longer.
        #[test]
        fn keeps_the_shape_of_any_text(text in "[a-zA-Z0-9OoIl.\\-_*/#оеаΑν\u{200B}\u{AD} \t\n,兼งx]{0,40}") {
            let out = deobfuscate(&text);
            let blanks = |t: &str| t.chars().filter(|c| c.is_whitespace()).collect::<String>();
            proptest::prop_assert_eq!(blanks(&out), blanks(&text));
            let words: Vec<&str> = text.split_whitespace().collect();
            let read: Vec<&str> = out.split_whitespace().collect();
            proptest::prop_assert_eq!(read.len(), words.len());
            for (w, r) in words.iter().zip(&read) {
                proptest::prop_assert!(r.chars().count() <= w.chars().count(), "{:?} -> {:?}", w, r);
            }
        }
    }
}
