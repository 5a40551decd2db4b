//! The way back from a text as read to the text as written.

use super::text::read_words;
use std::borrow::Cow;
use std::ops::Range;

/// A text deobfuscated, with the way back from the text as read to the text as written, for showing what was found
/// in the one where the user wrote it.
///
/// The rules read one whitespace-separated word at a time, or a run of letters spaced with single blanks as one word
/// (`W O R K`), and keep the whitespace between words, so the two texts have the same words in the same order: a byte
/// offset outside the words that changed maps to the same place in the text as written. Inside a changed word whose
/// characters were each read as one character (`Ｔｅｌｅｇｒａｍ`, `Te1egram`, `5OO`, a fullwidth `１００００` inside a
/// Chinese sentence, which is one word), an offset maps to the same character; inside one that lost characters
/// (`W.h.a.t.s.A.p.p`, an invisible character dropped, the blanks of `W O R K`), to the word's start (the start of a
/// span) or end (the end of a span). Only the changed words are remembered; text that reads as written is
/// borrowed, and maps to itself.
///
/// ```
/// use lurescan::deobfuscate::Deobfuscated;
///
/// let written = "Add me on Ｔｅｌｅｇｒａｍ now";
/// let text = Deobfuscated::new(written);
/// assert_eq!(text.as_read(), "Add me on Telegram now");
/// let found = text.as_read().find("Telegram").unwrap();
/// let span = text.span_as_written(found..found + "Telegram".len());
/// assert_eq!(&written[span], "Ｔｅｌｅｇｒａｍ");
/// // Each fullwidth letter was read as one letter: part of the word maps to the same letters.
/// assert_eq!(&written[text.span_as_written(found + 1..found + 3)], "ｅｌ");
/// // A word that lost its dots maps whole.
/// let dotted = Deobfuscated::new("DM on W.h.a.t.s.A.p.p");
/// assert_eq!(dotted.as_read(), "DM on WhatsApp");
/// assert_eq!(&dotted.written()[dotted.span_as_written(6..11)], "W.h.a.t.s.A.p.p");
/// assert_eq!(&written[text.span_as_written(found..text.as_read().len())], "Ｔｅｌｅｇｒａｍ now");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deobfuscated<'a> {
    written: &'a str,
    read: Cow<'a, str>,
    /// The words that read differently from how they are written, in order.
    changed: Vec<ChangedWord>,
}

/// Where a changed word is in the text as written and in the text as read (byte ranges); spaced letters joined
/// (`W O R K`) are one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ChangedWord {
    pub(super) written: Range<usize>,
    pub(super) read: Range<usize>,
    /// Whether each character was read as one character (fullwidth and styled letters, look-alikes, digits for
    /// letters and letters for digits), so that the n-th character as read is the n-th as written. Dropped dots,
    /// invisible characters and the blanks of spaced letters break this.
    pub(super) one_for_one: bool,
}

impl<'a> Deobfuscated<'a> {
    /// `written` deobfuscated ([`deobfuscate`](super::deobfuscate)), remembering where each changed word was.
    pub fn new(written: &'a str) -> Self {
        let mut changed = Vec::new();
        let read = read_words(written, |word| changed.push(word));
        Deobfuscated { written, read, changed }
    }

    /// The text as written.
    pub fn written(&self) -> &'a str {
        self.written
    }

    /// The text as read: [`deobfuscate`](super::deobfuscate) of the text as written.
    pub fn as_read(&self) -> &str {
        &self.read
    }

    /// The text as read, borrowed when it is the text as written.
    pub fn into_read(self) -> Cow<'a, str> {
        self.read
    }

    /// Whether any word reads differently from how it is written.
    pub fn is_changed(&self) -> bool {
        !self.changed.is_empty()
    }

    /// Where a span of the text as read, `span` (byte offsets), is in the text as written: inside a changed word read
    /// one character for one, the same characters; inside one that lost characters, a start moves back to the word's
    /// start and an end on to its end, so the span quotes the word whole. The
    /// span is first cut to the text and widened to whole characters, so the result is always a valid range of
    /// [`Deobfuscated::written`], never reversed; a span that is not empty stays so.
    pub fn span_as_written(&self, span: Range<usize>) -> Range<usize> {
        let start = self.start_as_written(span.start);
        start..self.end_as_written(span.end).max(start)
    }

    /// Where the span starting at `offset` in the text as read starts in the text as written: inside a changed word
    /// that lost characters, at that word's start (see [`Deobfuscated::span_as_written`]).
    pub fn start_as_written(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.read.len());
        while !self.read.is_char_boundary(offset) {
            offset -= 1;
        }
        self.as_written(offset, |word| word.written.start)
    }

    /// Where the span ending at `offset` in the text as read ends in the text as written: inside a changed word that
    /// lost characters, at that word's end (see [`Deobfuscated::span_as_written`]).
    pub fn end_as_written(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.read.len());
        while !self.read.is_char_boundary(offset) {
            offset += 1;
        }
        self.as_written(offset, |word| word.written.end)
    }

    /// `offset`, a character boundary of the text as read, in the text as written; `inside(word)` for one strictly
    /// inside a changed word that lost characters.
    fn as_written(&self, offset: usize, inside: impl Fn(&ChangedWord) -> usize) -> usize {
        // The first changed word that ends after `offset`, and the one before it.
        let next = self.changed.partition_point(|word| word.read.end <= offset);
        match self.changed.get(next) {
            Some(word) if word.read.start < offset && word.one_for_one => {
                let n = self.read[word.read.start..offset].chars().count();
                let written = &self.written[word.written.clone()];
                word.written.start + written.char_indices().nth(n).map_or(written.len(), |(at, _)| at)
            }
            Some(word) if word.read.start < offset => inside(word),
            // Between two changed words the texts are the same, shifted by how much the words before grew or shrank.
            _ => match next.checked_sub(1).map(|before| &self.changed[before]) {
                Some(before) => offset - before.read.end + before.written.end,
                None => offset,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::text::{spaced_letter, words};
    use super::*;
    use crate::deobfuscate::deobfuscate;
    use proptest::test_runner::TestCaseError;
    use proptest::{prop_assert, prop_assert_eq};

    /// The text as written behind the first `found` in the text as read.
    fn as_written<'a>(text: &Deobfuscated<'a>, found: &str) -> &'a str {
        let start = text.as_read().find(found).unwrap_or_else(|| panic!("{found:?} in {:?}", text.as_read()));
        &text.written()[text.span_as_written(start..start + found.len())]
    }

    #[test]
    fn text_that_reads_as_written_maps_to_itself_without_a_copy() {
        let written = "Kerja  paruh waktu,\tgaji 5 juta 兼职日结 4th floor\n";
        let text = Deobfuscated::new(written);
        assert!(!text.is_changed());
        assert_eq!(text.as_read(), written);
        for offset in (0..=written.len()).filter(|&i| written.is_char_boundary(i)) {
            assert_eq!((text.start_as_written(offset), text.end_as_written(offset)), (offset, offset));
        }
        assert!(matches!(text.into_read(), Cow::Borrowed(_)));
    }

    #[test]
    fn maps_changed_words_at_the_start_middle_and_end() {
        let text = Deobfuscated::new("h0me w0rk and e4rn $3OO");
        assert_eq!(text.as_read(), "home work and earn $300");
        // Whole words and the text between them map exactly.
        for (read, written) in [
            ("home", "h0me"),
            ("home work", "h0me w0rk"),
            ("work and earn", "w0rk and e4rn"),
            (" and ", " and "),
            ("$300", "$3OO"),
            ("earn $300", "e4rn $3OO"),
        ] {
            assert_eq!(as_written(&text, read), written, "{read:?}");
        }
        // Each character of these words was read as one character: part of a word maps to the same characters.
        for (read, written) in [("om", "0m"), ("ome wo", "0me w0"), ("nd ea", "nd e4"), ("300", "3OO")] {
            assert_eq!(as_written(&text, read), written, "{read:?}");
        }
        assert_eq!(text.span_as_written(0..text.as_read().len()), 0..text.written().len());
        assert_eq!(text.span_as_written(2..2), 2..2);
        // A word that lost characters (its dots) maps whole.
        let dotted = Deobfuscated::new("call W.h.a.t.s.A.p.p now");
        assert_eq!(as_written(&dotted, "hats"), "W.h.a.t.s.A.p.p");
        assert_eq!(as_written(&dotted, "call Wh"), "call W.h.a.t.s.A.p.p");
        assert_eq!(dotted.span_as_written(7..7), 5..20, "an empty span inside such a word is that word");
    }

    #[test]
    fn maps_letters_spaced_with_blanks_to_the_whole_run() {
        let text = Deobfuscated::new("Call  W O R K  F R O M  H O M E now: E A R N 500, I a m");
        assert_eq!(text.as_read(), "Call  WORK  FROM  HOME now: EARN 500, I a m");
        for (read, written) in [
            ("Call", "Call"),
            ("WORK", "W O R K"),
            ("OR", "W O R K"),
            ("WORK  FROM", "W O R K  F R O M"),
            ("HOME now: EARN", "H O M E now: E A R N"),
            (" now: ", " now: "),
            ("500, I a m", "500, I a m"),
        ] {
            assert_eq!(as_written(&text, read), written, "{read:?}");
        }
        assert_eq!(text.span_as_written(0..text.as_read().len()), 0..text.written().len());
    }

    #[test]
    fn maps_words_that_change_length_among_other_scripts() {
        // Fullwidth letters shrink from three bytes to one, dotted letters lose their dots, Cyrillic `о` two to one.
        let written = "งาน Ｗｏｒｋ 兼职 W.h.a.t.s.A.p.p ติดต่อ Tele\u{200B}gram frоm 兼职Ｗｏｒｋ";
        let text = Deobfuscated::new(written);
        assert_eq!(text.as_read(), "งาน Work 兼职 WhatsApp ติดต่อ Telegram from 兼职Work");
        for (read, written) in [
            ("งาน", "งาน"),
            ("Work", "Ｗｏｒｋ"),
            ("ork 兼", "ｏｒｋ 兼"),
            ("兼职 WhatsApp ติดต่อ", "兼职 W.h.a.t.s.A.p.p ติดต่อ"),
            ("App", "W.h.a.t.s.A.p.p"),
            ("ติดต่อ", "ติดต่อ"),
            ("Telegram", "Tele\u{200B}gram"),
            ("from", "frоm"),
            // Chinese is written without spaces: its characters map one for one beside the fullwidth letters.
            ("兼职W", "兼职Ｗ"),
            ("兼职", "兼职"),
        ] {
            assert_eq!(as_written(&text, read), written, "{read:?}");
        }
        let read_len = text.as_read().len();
        assert_eq!(
            (text.start_as_written(read_len), text.end_as_written(read_len + 9)),
            (written.len(), written.len())
        );
        // An offset inside a character is moved out of it: back for a start, on for an end.
        assert_eq!((text.start_as_written(1), text.end_as_written(1)), (0, 3));
    }

    /// Each word as read is one word as written, or single letters as written with one blank between each two (`W O R
    /// K` read `WORK`), and no longer; the whitespace between words as read is the whitespace between them as written.
    fn keeps_the_shape(written: &str) -> Result<(), TestCaseError> {
        let text = Deobfuscated::new(written);
        let read = text.as_read();
        // Where the last word ended, as read and as written.
        let mut last = (0, 0);
        for word in words(read) {
            let span = text.span_as_written(word.clone());
            let (as_read, as_written) = (&read[word.clone()], &written[span.clone()]);
            prop_assert_eq!(&read[last.0..word.start], &written[last.1..span.start]);
            let letters: Vec<&str> = as_written.split(' ').collect();
            let spaced = letters.len() >= 4 && letters.iter().all(|letter| spaced_letter(letter).is_some());
            prop_assert!(spaced || !as_written.contains(char::is_whitespace), "{:?} -> {:?}", as_written, as_read);
            prop_assert!(as_read.chars().count() <= as_written.chars().count(), "{:?} -> {:?}", as_written, as_read);
            last = (word.end, span.end);
        }
        prop_assert_eq!(&read[last.0..], &written[last.1..]);
        Ok(())
    }

    /// Spans of the text as read from `a` to `b` (on character boundaries or not, past the end or not) map into the
    /// text as written: ordered, on character boundaries, monotonically, a span of whole words to the same words as
    /// written.
    fn maps_spans(written: &str, a: usize, b: usize) -> Result<(), TestCaseError> {
        let text = Deobfuscated::new(written);
        prop_assert_eq!(text.as_read(), deobfuscate(written).into_owned());
        let read = text.as_read();
        let (a, b) = (a.min(b), a.max(b));
        let span = text.span_as_written(a..b);
        prop_assert!(span.start <= span.end && span.end <= written.len(), "{:?}", span);
        prop_assert!(written.is_char_boundary(span.start) && written.is_char_boundary(span.end));
        prop_assert!(text.start_as_written(a) <= text.start_as_written(b));
        prop_assert!(text.end_as_written(a) <= text.end_as_written(b));
        prop_assert!(text.start_as_written(a) <= text.end_as_written(a));
        if b <= read.len() && read.is_char_boundary(a) && read.is_char_boundary(b) {
            // (An empty span inside a changed word that lost characters is that whole word.)
            prop_assert!(a == b || !span.is_empty(), "{:?} -> {:?}", &read[a..b], span);
            if !text.is_changed() {
                prop_assert_eq!(span.clone(), a..b);
            }
        }
        prop_assert_eq!(text.span_as_written(0..read.len()), 0..written.len());
        // From the start of the a-th word to the end of the b-th, as read: the same words as written.
        let words: Vec<Range<usize>> = words(read).collect();
        if let (Some(first), Some(last)) = (words.get(a % 8), words.get(b % 8)) {
            if first.start <= last.end {
                let span = text.span_as_written(first.start..last.end);
                prop_assert_eq!(deobfuscate(&written[span]).into_owned(), &read[first.start..last.end]);
            }
        }
        Ok(())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Any text, built from the characters the rules look at: no panic, and the shape kept.
        #[test]
        fn keeps_the_shape_of_any_text(text in "[a-zA-Z0-9OoIl.\\-_*/#оеаΑν\u{200B}\u{AD} \t\n,兼งx]{0,40}") {
            keeps_the_shape(&text)?;
        }

        /// Any text and any offsets: spans map into the text as written.
        #[test]
        fn maps_any_span_into_the_text_as_written(
            written in "[a-zA-Z0-9Oo1l.\\-_*/@оеаΑνＷｏｒｋ５𝐖𝐨งาน\u{0E48}兼职\u{200B}\u{AD} \t\n,]{0,40}",
            a in 0usize..200,
            b in 0usize..200,
        ) {
            maps_spans(&written, a, b)?;
        }

        /// Words of one or two characters, many of them letters, with one or two blanks between them: runs of spaced
        /// letters of every case shape, joined or not, before a stop or not.
        #[test]
        fn keeps_the_shape_and_maps_spans_of_spaced_letters(
            written in "([aAeEbBxXＷ1.!]{1,2} {1,2}){0,16}",
            a in 0usize..80,
            b in 0usize..80,
        ) {
            keeps_the_shape(&written)?;
            maps_spans(&written, a, b)?;
        }
    }
}
