//! Blanks as the catalogue's patterns are written for them. A pattern's space is one ASCII space, and a scraped
//! page writes the same words with a no-break space (`&nbsp;`), a tab, two spaces, an ideographic space, a zero-width
//! space or a line break where a line was wrapped; each of those used to switch an indicator off. [`Spaced`] reads a
//! text with every such run of blanks as one space, invisible characters dropped, and keeps the way back to where
//! each character was written.

use crate::markup::Runs;
use std::borrow::Cow;
use std::ops::Range;

/// Characters that take no room: dropped. (A word joined by one, `Tele\u{200B}gram`, reads as one word.)
fn invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

fn line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{0085}' | '\u{2028}' | '\u{2029}')
}

/// A text with its blanks read as the patterns expect them.
///
/// A run of blanks and invisible characters reads as one space, with one exception: a run with a line break reads
/// as a line break (`\n`, where the patterns' `unless` context ends a sentence) unless it wraps a sentence, that is,
/// has one line break, comes after a letter, digit or comma and before a lowercase letter (`face next⏎to your
/// passport`). A text that needs none of this is borrowed, and its offsets are its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Spaced<'a> {
    text: Cow<'a, str>,
    /// The folded runs in order: where each is in `text` (one byte, its space or line break; none for invisible
    /// characters dropped inside a word) and where it was written. Text between runs is copied byte for byte.
    runs: Runs,
}

impl<'a> Spaced<'a> {
    pub(super) fn new(written: &'a str) -> Self {
        if !needs_folding(written) {
            return Spaced { text: Cow::Borrowed(written), runs: Runs::default() };
        }
        let mut text = String::with_capacity(written.len());
        let mut runs = Runs::default();
        let mut chars = written.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if !c.is_whitespace() && !invisible(c) {
                text.push(c);
                continue;
            }
            // A run of blanks and invisible characters: `i..end`.
            let (mut end, mut breaks, mut blank) = (i + c.len_utf8(), 0usize, c.is_whitespace());
            let mut count = |c: char, next: Option<char>| {
                // "\r\n" is one line break.
                if line_break(c) && !(c == '\r' && next == Some('\n')) {
                    breaks += 1;
                }
            };
            count(c, chars.peek().map(|&(_, n)| n));
            while let Some(&(j, d)) = chars.peek() {
                if !d.is_whitespace() && !invisible(d) {
                    break;
                }
                chars.next();
                count(d, chars.peek().map(|&(_, n)| n));
                blank |= d.is_whitespace();
                end = j + d.len_utf8();
            }
            if !blank {
                // Invisible characters inside a word: dropped.
                runs.push(text.len()..text.len(), i..end);
                continue;
            }
            let before = text.chars().next_back();
            let after = chars.peek().map(|&(_, n)| n);
            let wraps = breaks == 1
                && before.is_some_and(|b| b.is_alphanumeric() || b == ',')
                && after.is_some_and(char::is_lowercase);
            let read = if breaks == 0 || wraps { ' ' } else { '\n' };
            runs.push(text.len()..text.len() + 1, i..end);
            text.push(read);
        }
        Spaced { text: Cow::Owned(text), runs }
    }

    /// The text as the patterns read it.
    pub(super) fn as_str(&self) -> &str {
        &self.text
    }

    /// The written range of `span` (a range of [`Spaced::as_str`] on character boundaries): from where its first
    /// character was written to where its last one ends.
    pub(super) fn span_as_written(&self, span: Range<usize>) -> Range<usize> {
        self.runs.span_as_written(span)
    }
}

/// Whether some blank is not a single space, or some character is invisible.
fn needs_folding(text: &str) -> bool {
    // A line break is kept as written only when it does not wrap a sentence: telling needs the fold.
    let mut previous_blank = false;
    for c in text.chars() {
        if invisible(c) || (c.is_whitespace() && (c != ' ' || previous_blank)) {
            return true;
        }
        previous_blank = c == ' ';
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> String {
        Spaced::new(text).as_str().to_string()
    }

    #[test]
    fn runs_of_blanks_read_as_one_space_and_invisible_characters_are_dropped() {
        assert_eq!(read("next\u{00A0}to  your\tpassport"), "next to your passport");
        assert_eq!(read("a 6\u{3000}digit\u{2003} code"), "a 6 digit code");
        assert_eq!(read("Earn \u{200B}500 per Tele\u{200B}gram like"), "Earn 500 per Telegram like");
        assert_eq!(read("face next\nto your passport"), "face next to your passport");
        assert_eq!(read("face next\r\nto your passport"), "face next to your passport");
    }

    #[test]
    fn line_breaks_between_sentences_and_list_items_stay_line_breaks() {
        assert_eq!(read("Duties\nAnswer calls"), "Duties\nAnswer calls");
        assert_eq!(read("first paragraph,\n\nsecond one"), "first paragraph,\nsecond one");
        assert_eq!(read("Salary: 500.\n  then"), "Salary: 500.\nthen");
        assert_eq!(read("- pay\r\n- hours"), "- pay\n- hours");
    }

    #[test]
    fn plain_text_is_borrowed_and_spans_map_back_to_the_text_as_written() {
        assert!(matches!(Spaced::new("plain words, one space").text, Cow::Borrowed(_)));
        let written = "send\u{00A0}\u{00A0}me the\ncode you get ⏎ ok";
        let spaced = Spaced::new(written);
        let found = spaced.as_str().find("me the code you").unwrap();
        let span = spaced.span_as_written(found..found + "me the code you".len());
        assert_eq!(&written[span], "me the\ncode you");
        // A word joined by an invisible character maps whole; the words after it keep their place.
        let written = "add Tele\u{200B}gram\u{00A0}\u{00A0}now, or\tcall";
        let spaced = Spaced::new(written);
        assert_eq!(spaced.as_str(), "add Telegram now, or call");
        let at = |word: &str| spaced.as_str().find(word).unwrap();
        assert_eq!(&written[spaced.span_as_written(at("Telegram")..at("Telegram") + 8)], "Tele\u{200B}gram");
        assert_eq!(
            &written[spaced.span_as_written(at("gram now")..at("call") + 4)],
            "gram\u{00A0}\u{00A0}now, or\tcall"
        );
        assert_eq!(&written[spaced.span_as_written(0..3)], "add");
        // Every character maps to itself as written.
        for (i, c) in spaced.as_str().char_indices() {
            let span = spaced.span_as_written(i..i + c.len_utf8());
            if c != ' ' && c != '\n' {
                assert_eq!(written[span].chars().next(), Some(c));
            }
        }
    }
}
