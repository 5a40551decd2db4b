//! Vietnamese as many text messages write it: without its diacritics ("tai khoan cua ban bi dong bang" for "tài khoản
//! của bạn bị đóng băng"), or with only some of them. A pattern written in Vietnamese is compiled so that each letter it
//! writes with a diacritic matches that letter with any diacritic or none ("đóng" matches "dong", "đong" and "đóng"),
//! at the byte offsets of the text as written (the text itself is not changed). Letters it writes plain stay plain:
//! "bao" does not match "báo".
//!
//! The cost is Vietnamese's own ambiguity without diacritics: a pattern's "báo" (to report) also matches the "bao"
//! (to include) of a text, as a reader without the diacritics would read it too. Patterns keep enough words around
//! each such syllable for the phrase to mean one thing.

use std::borrow::Cow;

/// The letters that Vietnamese writes with diacritics, each with its forms (lower case: the patterns are compiled
/// case-insensitively, classes included).
const LETTERS: [&str; 7] =
    ["aàáảãạăằắẳẵặâầấẩẫậ", "eèéẻẽẹêềếểễệ", "iìíỉĩị", "oòóỏõọôồốổỗộơờớởỡợ", "uùúủũụưừứửữự", "yỳýỷỹỵ", "dđ"];

/// Letters that only Vietnamese writes among the languages the catalogue covers (not the à, é or ñ of the others'
/// loanwords): a pattern with one of them is a Vietnamese pattern.
fn is_vietnamese_letter(c: char) -> bool {
    !c.is_ascii()
        && !matches!(c, 'à' | 'á' | 'è' | 'é' | 'ì' | 'í' | 'ò' | 'ó' | 'ù' | 'ú' | 'ý' | 'ã' | 'õ')
        && c.to_lowercase().any(|lower| LETTERS.iter().any(|forms| forms.contains(lower)))
}

/// `word` lower-cased without its diacritics: "Việc" is "viec", "đóng" is "dong".
pub(super) fn folded(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .map(|c| forms_of(c).and_then(|forms| forms.chars().next()).unwrap_or(c))
        .collect()
}

/// The forms of `c`'s letter, when it is one Vietnamese writes with diacritics.
fn forms_of(c: char) -> Option<&'static str> {
    let lower = c.to_lowercase().next()?;
    LETTERS.iter().copied().find(|forms| forms.contains(lower))
}

/// `pattern` with each literal letter it writes with a diacritic, outside a character class, replaced by the class
/// of its letter's forms ([`LETTERS`]), when the pattern is written in Vietnamese (holds a letter only Vietnamese
/// writes); other patterns unchanged.
/// Escapes (`\b`, `\s`, `\d`, `\p{…}`), classes (`[^.!?]`) and group flags (`(?:`) are copied as they are.
pub(super) fn diacritics_optional(pattern: &str) -> Cow<'_, str> {
    if !pattern.chars().any(is_vietnamese_letter) {
        return Cow::Borrowed(pattern);
    }
    let mut out = String::with_capacity(pattern.len() * 4);
    let mut chars = pattern.chars().peekable();
    let mut class_depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                let Some(next) = chars.next() else { break };
                out.push(next);
                if matches!(next, 'p' | 'P' | 'x' | 'u' | 'b') && chars.peek() == Some(&'{') {
                    for inner in chars.by_ref() {
                        out.push(inner);
                        if inner == '}' {
                            break;
                        }
                    }
                }
            }
            '[' => {
                class_depth += 1;
                out.push(c);
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(c);
            }
            '(' if class_depth == 0 && chars.peek() == Some(&'?') => {
                out.push(c);
                // The group's flags or name, up to the `:` or `)` that ends them.
                for inner in chars.by_ref() {
                    out.push(inner);
                    if matches!(inner, ':' | ')' | '>') {
                        break;
                    }
                }
            }
            _ if class_depth == 0 && !c.is_ascii() => match forms_of(c) {
                Some(forms) => {
                    out.push('[');
                    out.push_str(forms);
                    out.push(']');
                }
                None => out.push(c),
            },
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::RegexBuilder;

    fn compiled(pattern: &str) -> regex::Regex {
        RegexBuilder::new(&diacritics_optional(pattern)).case_insensitive(true).build().unwrap()
    }

    #[test]
    fn a_vietnamese_pattern_matches_the_text_with_its_diacritics_without_them_or_with_some() {
        let pattern = compiled(r"\btài khoản (của bạn )?(bị )?đóng băng\b");
        for text in ["Tài khoản của bạn bị đóng băng", "tai khoan cua ban bi dong bang", "Tai khoản bị đong băng"]
        {
            assert!(pattern.is_match(text), "{text}");
        }
        assert!(!pattern.is_match("tai khoan da mo khoa"));
        // A letter the pattern writes plain stays plain.
        assert!(compiled(r"\bbao ăn ở\b").is_match("bao an o") && !compiled(r"\bbao ăn ở\b").is_match("báo ăn ở"));
        // The span is the text's as written.
        let text = "Chú ý: tài khoản bị đóng băng.";
        let found = pattern.find(text).unwrap();
        assert_eq!(&text[found.range()], "tài khoản bị đóng băng");
    }

    #[test]
    fn escapes_classes_and_groups_are_kept_and_other_languages_patterns_are_unchanged() {
        let pattern = r"\b(?:nộp|đóng)\s+(thêm\s+)?(thuế|phí)\b[^.!?]{0,40}?\p{L}";
        let expanded = diacritics_optional(pattern);
        assert!(expanded.starts_with(r"\b(?:n[oòóỏõọôồốổỗộơờớởỡợ]p|"), "{expanded}");
        assert!(expanded.contains(r"\s+") && expanded.contains("[^.!?]{0,40}?") && expanded.ends_with(r"\p{L}"));
        assert!(compiled(pattern).is_match("nop them phi de rut x"));
        // English, Tagalog (with its loanwords' á and é), Thai and Chinese patterns are not touched.
        for other in [r"\bfree\s+visa\b", r"\bpagkain at café\b", "ฟรีที่พัก", "包吃包住"] {
            assert!(matches!(diacritics_optional(other), Cow::Borrowed(_)), "{other}");
        }
    }
}
