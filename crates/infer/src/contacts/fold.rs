//! Folding a field's text into the form contacts are searched in, one character at a time, keeping the way back
//! to the original byte offsets: digits of every script the catalogue covers become ASCII digits, full-width
//! forms become ASCII, Cyrillic and Greek look-alikes inside Latin words become Latin letters, invisible
//! characters go away.

use std::ops::Range;

/// A field's text folded for matching, with a map back to the original byte offsets.
pub(crate) struct Folded {
    pub text: String,
    /// `origin[b]`: the original byte offset of the character that folded byte `b` belongs to; one more entry for
    /// the end of the text.
    origin: Vec<usize>,
    original_len: usize,
}

impl Folded {
    pub fn new(original: &str) -> Folded {
        Folded::build(original, true)
    }

    /// As [`Folded::new`], but letters drawn like digits stay letters: how the lexical member of the shipped
    /// models read contacts when it was trained ([`super::Reading::AsTrained`]).
    pub fn without_digit_look_alikes(original: &str) -> Folded {
        Folded::build(original, false)
    }

    fn build(original: &str, digit_look_alikes: bool) -> Folded {
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len() + 1);
        let chars: Vec<(usize, char)> = original.char_indices().collect();
        for (i, &(at, c)) in chars.iter().enumerate() {
            if is_invisible(c) {
                continue;
            }
            // The nearest neighbour on each side that is not itself a look-alike.
            let latin_context = |step: isize| {
                let mut j = i as isize + step;
                while j >= 0 && chars.get(j as usize).is_some_and(|&(_, n)| homoglyph(n).is_some()) {
                    j += step;
                }
                j >= 0 && chars.get(j as usize).is_some_and(|&(_, n)| n.is_ascii_alphanumeric() || "_@.".contains(n))
            };
            let next_is_digit = chars.get(i + 1).is_some_and(|&(_, n)| fold_char(n).unwrap_or(n).is_ascii_digit());
            let folded = match digit_look_alike(c) {
                // `+63 9l7 123 4567`, `0812 O45 678`: a letter drawn like a digit inside a number is that digit.
                Some(digit) if digit_look_alikes && next_is_digit && in_number(&text) => digit,
                _ => fold_char(c).unwrap_or_else(|| {
                    // A look-alike only becomes Latin next to Latin letters or digits: Cyrillic and Greek words stay.
                    match homoglyph(c) {
                        Some(latin) if latin_context(-1) || latin_context(1) => latin,
                        _ => c,
                    }
                }),
            };
            let before = text.len();
            text.push(folded);
            origin.extend(std::iter::repeat_n(at, text.len() - before));
        }
        origin.push(original.len());
        Folded { text, origin, original_len: original.len() }
    }

    /// The original byte range of a folded byte range (whole characters).
    pub fn original(&self, span: Range<usize>) -> Range<usize> {
        let start = self.origin[span.start];
        // The end is where the next folded character starts in the original (invisible characters skipped in
        // between are then inside the evidence, which keeps the span's text continuous).
        let end = if span.end >= self.text.len() { self.original_len } else { self.origin[span.end] };
        start..end.max(start)
    }
}

/// The digit a letter is drawn like (`l` and `I` for 1, `O` and `o` for 0). Not `|`: it also separates two numbers.
fn digit_look_alike(c: char) -> Option<char> {
    match c {
        'l' | 'I' => Some('1'),
        'O' | 'o' => Some('0'),
        _ => None,
    }
}

/// Whether folded text ending here ends inside a number: a digit, perhaps a separator after it (`917 `), in a run
/// of digits and separators that does not continue a word or handle (`user9` is a name, not a number).
fn in_number(folded: &str) -> bool {
    let tail = folded.trim_end_matches([' ', '-', '.']);
    if folded.len() - tail.len() > 1 || !tail.ends_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let run = tail.trim_end_matches(|c: char| c.is_ascii_digit() || " -.()".contains(c));
    !run.ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '@')
}

/// Zero-width and formatting characters used to break up numbers and handles.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}')
}

/// Digits of other scripts, full-width ASCII, circled and mathematical digits, and a few punctuation marks that
/// stand in for `.` and `@`.
fn fold_char(c: char) -> Option<char> {
    let digit = |zero: u32| char::from_digit(c as u32 - zero, 10);
    match c {
        // Full-width ASCII (U+FF01–FF5E): digits, letters, ＠, ．
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
        '\u{3000}' => Some(' '),
        '。' | '｡' => Some('.'),
        '\u{0660}'..='\u{0669}' => digit(0x0660), // Arabic-Indic
        '\u{06F0}'..='\u{06F9}' => digit(0x06F0), // Extended Arabic-Indic
        '\u{0966}'..='\u{096F}' => digit(0x0966), // Devanagari
        '\u{09E6}'..='\u{09EF}' => digit(0x09E6), // Bengali
        '\u{0E50}'..='\u{0E59}' => digit(0x0E50), // Thai
        '\u{0ED0}'..='\u{0ED9}' => digit(0x0ED0), // Lao
        '\u{1040}'..='\u{1049}' => digit(0x1040), // Myanmar
        '\u{17E0}'..='\u{17E9}' => digit(0x17E0), // Khmer
        '\u{2460}'..='\u{2468}' => char::from_digit(c as u32 - 0x2460 + 1, 10), // ①–⑨
        '\u{24EA}' => Some('0'),                  // ⓪
        '\u{1D7CE}'..='\u{1D7FF}' => char::from_digit((c as u32 - 0x1D7CE) % 10, 10), // 𝟎–𝟿
        '\u{2010}'..='\u{2015}' | '\u{2212}' => Some('-'),
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' => Some(' '),
        _ => None,
    }
}

/// Cyrillic and Greek letters that look like Latin ones.
fn homoglyph(c: char) -> Option<char> {
    Some(match c {
        'а' => 'a',
        'в' => 'b',
        'е' | 'ё' => 'e',
        'і' => 'i',
        'ј' => 'j',
        'к' => 'k',
        'м' => 'm',
        'н' => 'h',
        'о' | 'ο' => 'o',
        'р' | 'ρ' => 'p',
        'с' => 'c',
        'т' => 't',
        'у' => 'y',
        'х' | 'χ' => 'x',
        'ѕ' => 's',
        'ԁ' => 'd',
        'ɡ' => 'g',
        'ʟ' => 'l',
        'α' => 'a',
        'ε' => 'e',
        'ι' => 'i',
        'κ' => 'k',
        'ν' => 'v',
        'τ' => 't',
        'υ' => 'u',
        'А' => 'A',
        'В' => 'B',
        'Е' => 'E',
        'К' => 'K',
        'М' => 'M',
        'Н' => 'H',
        'О' | 'Ο' => 'O',
        'Р' | 'Ρ' => 'P',
        'С' => 'C',
        'Т' | 'Τ' => 'T',
        'Х' | 'Χ' => 'X',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_of_many_scripts_become_ascii_and_offsets_map_back() {
        let text = "โทร ๐๘๑ ១២ ၃၄ ０９ ①⓪";
        let folded = Folded::new(text);
        assert_eq!(folded.text, "โทร 081 12 34 09 10");
        let at = folded.text.find("12").unwrap();
        assert_eq!(&text[folded.original(at..at + 2)], "១២");
        assert_eq!(&text[folded.original(0..folded.text.len())], text);
    }

    #[test]
    fn letters_drawn_like_digits_inside_a_number_are_those_digits() {
        assert_eq!(Folded::new("WhatsApp +63 9l7 123 4567").text, "WhatsApp +63 917 123 4567");
        assert_eq!(Folded::new("+63 917 l23 4567, 0812 O45 678").text, "+63 917 123 4567, 0812 045 678");
        // Not in words, handles or after a letter: `Hello 2day`, `@user9l7`, `A1l3`, `10 lots`.
        assert_eq!(Folded::new("@user9l7 A1l3 10 lots 3lo").text, "@user9l7 A1l3 10 lots 3lo");
        assert_eq!(Folded::new("0812345678|0898765432").text, "0812345678|0898765432");
    }

    #[test]
    fn look_alikes_fold_only_inside_latin_words() {
        // Cyrillic `е` and `о` inside a Latin handle become Latin; a Russian word stays Russian.
        assert_eq!(Folded::new("@hr_tеam_jоbs и работа").text, "@hr_team_jobs и работа");
        assert_eq!(Folded::new("@асе").text, "@ace");
        assert_eq!(Folded::new("hr\u{200B}team＠gmail。com").text, "hrteam@gmail.com");
    }
}
