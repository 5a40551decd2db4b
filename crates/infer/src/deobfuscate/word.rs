//! The rules that read one word: invisible characters, look-alike letters, letters joined by a separator, then
//! its runs of letters and digits ([`super::digits`]).

use super::digits::read_runs;
use super::letters::{latin_look_alike, plain_ascii};
use std::borrow::Cow;

/// Whether a rule could change `word`: it has a look-alike or invisible character, a Latin letter and a digit, or a
/// separator between two Latin letters. Most words have none of these, and are passed over without a copy.
pub(super) fn might_change(word: &str) -> bool {
    let (mut digit, mut letter) = (false, false);
    for c in word.chars() {
        if INVISIBLE.contains(&c) || latin_look_alike(c).is_some() || plain_ascii(c).is_some() {
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
pub(super) fn word(w: &str) -> Cow<'_, str> {
    if !might_change(w) {
        return Cow::Borrowed(w);
    }
    let mut chars: Vec<char> = w.chars().map(|c| plain_ascii(c).unwrap_or(c)).collect();
    if chars.iter().any(char::is_ascii_alphabetic) {
        drop_invisible_in_latin(&mut chars);
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

/// Drops each invisible character whose nearest visible neighbours are two Latin letters (`Tele\u{200B}gram`), or a
/// Latin letter and the word's edge or a sign that is no letter or digit (`\u{200B}Telegram`, `Telegram\u{200D}.`),
/// in one pass. Between a Latin letter and a letter of another script or a digit, and between two letters of other
/// scripts (Thai, Khmer, Burmese), it stays.
fn drop_invisible_in_latin(chars: &mut Vec<char>) {
    let side = |c: char| {
        if c.is_ascii_alphabetic() || latin_look_alike(c).is_some() {
            Side::Latin
        } else if c.is_alphanumeric() {
            Side::Other
        } else {
            Side::Edge
        }
    };
    // next[i]: what the first visible character after i is.
    let mut next = vec![Side::Edge; chars.len()];
    let mut seen = Side::Edge;
    for (i, &c) in chars.iter().enumerate().rev() {
        next[i] = seen;
        if !INVISIBLE.contains(&c) {
            seen = side(c);
        }
    }
    let (mut previous, mut i) = (Side::Edge, 0);
    chars.retain(|&c| {
        let invisible = INVISIBLE.contains(&c);
        let beside_latin =
            matches!((previous, next[i]), (Side::Latin, Side::Latin | Side::Edge) | (Side::Edge, Side::Latin));
        let keep = !(invisible && beside_latin);
        if !invisible {
            previous = side(c);
        }
        i += 1;
        keep
    });
}

/// What is next to an invisible character on one side: a Latin letter, a letter or digit of another kind, or nothing
/// of a word (the word's edge, punctuation, a symbol).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Latin,
    Other,
    Edge,
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
/// `club4mobiles.com`), which a word spelled with dots (`W.o.r.k`, `e.t.c.`) or an amount (`5OO.OOO`) does not.
fn has_domain(chars: &[char]) -> bool {
    (1..chars.len()).any(|i| {
        chars[i] == '.'
            && chars[i - 1].is_ascii_alphanumeric()
            && chars[i + 1..].iter().take_while(|c| c.is_ascii_alphabetic()).count() >= 2
            && !chars[i + 1..].iter().take_while(|c| c.is_ascii_alphabetic()).all(|c| matches!(c, 'O' | 'o'))
    })
}

/// `W.o.r.k` → `Work`: a stretch of at least four single Latin letters (three with a small letter among them) with
/// the same separator between each two.
fn join_spaced_letters(chars: &mut Vec<char>) {
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let Some(&sep) = chars.get(i + 1).filter(|c| SEPARATORS.contains(c)) else {
            out.push(chars[i]);
            i += 1;
            continue;
        };
        // Letters at i, i + 2, i + 4, …, each followed by `sep` except possibly the last.
        let single = |j: usize| chars.get(j).is_some_and(char::is_ascii_alphabetic);
        let starts_run = single(i) && (i == 0 || !chars[i - 1].is_alphanumeric());
        let mut end = i;
        while starts_run && chars.get(end + 1) == Some(&sep) && single(end + 2) {
            end += 2;
        }
        let letters = (end - i) / 2 + 1;
        let ends_run = chars.get(end + 1).is_none_or(|c| !c.is_alphanumeric());
        // Three-letter acronyms in capitals (`K.Y.C`, `M.B.A.`) keep their dots; `W.O.R.K` and `e.a.r.n` do not.
        let lowercase = (i..=end).step_by(2).any(|j| chars[j].is_ascii_lowercase());
        if starts_run && (letters >= 4 || (letters == 3 && lowercase)) && ends_run {
            out.extend((i..=end).step_by(2).map(|j| chars[j]));
        } else {
            // No shorter stretch inside this one qualifies either: copy it and go on after it.
            out.extend_from_slice(&chars[i..=end]);
        }
        i = end + 1;
    }
    *chars = out;
}

#[cfg(test)]
mod tests {
    use crate::deobfuscate::deobfuscate;

    fn d(text: &str) -> String {
        deobfuscate(text).into_owned()
    }

    #[test]
    fn joins_spaced_letters() {
        assert_eq!(d("W.o.r.k from h.o.m.e, e-a-r-n fast"), "Work from home, earn fast");
        assert_eq!(d("W.h.a.t.s.A.p.p me"), "WhatsApp me");
        assert_eq!(d(&"W.o.r.k,".repeat(100)), "Work,".repeat(100), "dotted words glued by commas");
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
    fn drops_invisible_characters_in_latin_words_only() {
        assert_eq!(d("Tele\u{200B}gram and What\u{AD}sApp"), "Telegram and WhatsApp");
        let long = format!("a{}b c", "\u{200B}".repeat(1000));
        assert_eq!(d(&long), "ab c");
        // At the edge of a Latin word, or between it and a sign.
        assert_eq!(
            d("Te1egram\u{200D} \u{200B}Telegram \u{FEFF}WhatsApp\u{2060}. (\u{200C}Line\u{AD}) real-\u{AD}time"),
            "Telegram Telegram WhatsApp. (Line) real-time"
        );
        // Between letters of other scripts, between them and Latin ones or digits, and alone, they stay.
        for text in [
            "งาน\u{200B}ออนไลน์",
            "ការងារ\u{200B}នៅថៃ",
            "งาน\u{200B}Telegram",
            "Telegram\u{200B}ติดต่อ",
            "Line\u{200B}5",
            "\u{200B}",
            "\u{FEFF}看我",
            "👨\u{200D}💻",
            "in \u{200B} time",
        ] {
            assert_eq!(d(text), text);
        }
    }

    /// A zero-width space between two Latin words is dropped, not read as a space: it shows nothing, so a reader sees
    /// the words joined, and no rule can tell `Free\u{200B}flight` from `Tele\u{200B}gram`.
    #[test]
    fn joins_latin_words_around_a_zero_width_space() {
        assert_eq!(d("Free\u{200B}flight"), "Freeflight");
    }
}
