//! Reading a text one whitespace-separated word at a time, and a run of letters spaced with blanks as one word.

use super::digits::is_vowel;
use super::letters::plain_ascii;
use super::mapping::ChangedWord;
use super::word::{might_change, word};
use crate::record::Record;
use std::borrow::Cow;
use std::ops::Range;

/// `record` with every field deobfuscated ([`deobfuscate`]); borrowed when no field changes.
pub fn deobfuscate_record(record: &Record) -> Cow<'_, Record> {
    record.read_with(deobfuscate)
}

/// `text` with each whitespace-separated word deobfuscated, and letters spaced with single blanks joined (`W O R K` →
/// `WORK`); the whitespace between words is kept as it is.
pub fn deobfuscate(text: &str) -> Cow<'_, str> {
    read_words(text, |_| {})
}

/// [`deobfuscate`], telling `changed` about each word that reads differently from how it is written (a run of spaced
/// letters joined is one such word).
pub(super) fn read_words(text: &str, changed: impl FnMut(ChangedWord)) -> Cow<'_, str> {
    if !might_change_text(text) {
        return Cow::Borrowed(text);
    }
    let mut reader = Reader { text, out: String::with_capacity(text.len()), at: 0, changed, any: false };
    let mut words = words(text).peekable();
    while let Some(first) = words.next() {
        let Some((letter, mut stop)) = spaced_letter(&text[first.clone()]) else {
            reader.read_word(first);
            continue;
        };
        // Single letters, each after one blank, the last one perhaps before a stop: `W O R K!`.
        let mut run = vec![(first, letter)];
        while let Some(next) = words.peek().filter(|_| stop.is_empty()) {
            let last = &run[run.len() - 1].0;
            match spaced_letter(&text[next.clone()]) {
                Some((letter, after)) if &text[last.end..next.start] == " " => {
                    run.push((next.clone(), letter));
                    stop = after;
                }
                _ => break,
            }
            words.next();
        }
        let letters: Vec<char> = run.iter().map(|(_, letter)| *letter).collect();
        for (piece, joined) in spaced_pieces(&letters) {
            if joined {
                let written = run[piece.start].0.start..run[piece.end - 1].0.end;
                let mut read: String = letters[piece.clone()].iter().collect();
                if piece.end == run.len() {
                    read.push_str(stop);
                }
                reader.read_joined(written, &read);
            } else {
                run[piece].iter().for_each(|(word, _)| reader.read_word(word.clone()));
            }
        }
    }
    reader.finish()
}

/// The text as read, built word by word.
struct Reader<'a, F> {
    text: &'a str,
    out: String,
    /// Where the text as written has been read up to.
    at: usize,
    changed: F,
    /// Whether any word reads differently from how it is written.
    any: bool,
}

impl<'a, F: FnMut(ChangedWord)> Reader<'a, F> {
    /// The whitespace up to the word at `written`, then the word deobfuscated.
    fn read_word(&mut self, written: Range<usize>) {
        self.out.push_str(&self.text[self.at..written.start]);
        match word(&self.text[written.clone()]) {
            // `word` borrows exactly when the word reads as it is written.
            Cow::Borrowed(same) => self.out.push_str(same),
            Cow::Owned(read) => {
                let one_for_one = read.chars().count() == self.text[written.clone()].chars().count();
                self.push_changed(written.clone(), &read, one_for_one);
            }
        }
        self.at = written.end;
    }

    /// The whitespace up to the spaced letters at `written`, then `read`, the letters as one word.
    fn read_joined(&mut self, written: Range<usize>, read: &str) {
        self.out.push_str(&self.text[self.at..written.start]);
        self.push_changed(written.clone(), read, false);
        self.at = written.end;
    }

    /// `read`, the word as read that is written at `written`, telling `changed` where it is.
    fn push_changed(&mut self, written: Range<usize>, read: &str, one_for_one: bool) {
        let read_range = self.out.len()..self.out.len() + read.len();
        (self.changed)(ChangedWord { written, read: read_range, one_for_one });
        self.out.push_str(read);
        self.any = true;
    }

    /// The text as read: the rest of the text as written (its last whitespace) added, or the text as written when
    /// every word reads as written.
    fn finish(mut self) -> Cow<'a, str> {
        if self.any {
            self.out.push_str(&self.text[self.at..]);
            Cow::Owned(self.out)
        } else {
            Cow::Borrowed(self.text)
        }
    }
}

/// The byte ranges of the whitespace-separated words of `text`.
pub(super) fn words(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    // Each word is a slice of `text`: where it starts is how far its first byte is from the text's.
    text.split_whitespace().map(move |word| {
        let start = word.as_ptr() as usize - text.as_ptr() as usize;
        start..start + word.len()
    })
}

/// The Latin letter a word of one letter is (`W`, or a fullwidth or styled `Ｗ`), and the stop after it if any
/// (`K!`, `E.`, `M),`): one or two signs that end a sentence or a clause.
pub(super) fn spaced_letter(word: &str) -> Option<(char, &str)> {
    // A letter has at most four bytes and a stop two: most words are passed over here.
    if word.len() > 6 {
        return None;
    }
    let first = word.chars().next()?;
    let letter = plain_ascii(first).unwrap_or(first);
    let stop = &word[first.len_utf8()..];
    let is_stop = |c: char| matches!(c, '.' | ',' | '!' | '?' | ':' | ';' | ')');
    (letter.is_ascii_alphabetic() && stop.len() <= 2 && stop.chars().all(is_stop)).then_some((letter, stop))
}

/// Whether a rule could change `text`: a word might change ([`might_change`]), or four single letters or more stand in
/// a row with one blank between each two (the last perhaps before a stop), the least that [`spaced_pieces`] joins.
/// Most texts have neither, and are passed over without a copy.
fn might_change_text(text: &str) -> bool {
    let (mut in_row, mut last_end) = (0, None);
    for word in words(text) {
        if might_change(&text[word.clone()]) {
            return true;
        }
        let after_one_blank = last_end.is_some_and(|end| &text[end..word.start] == " ");
        let letter = spaced_letter(&text[word.clone()]);
        in_row = match letter {
            Some(_) if after_one_blank => in_row + 1,
            Some(_) => 1,
            None => 0,
        };
        if in_row >= 4 {
            return true;
        }
        // A letter before a stop ends its run.
        last_end = letter.filter(|(_, stop)| stop.is_empty()).map(|_| word.end);
    }
    false
}

/// How a run of single letters spaced with one blank reads: its pieces, as ranges of `letters`, each with whether it
/// is joined into one word. A piece has one case shape: capitals (`W O R K`), small letters (`w o r k`), or a capital
/// and small letters (`W o r k`); it is joined when it has four letters or more and a vowel (not `x x x x`, kisses)
/// and is no stretch of the alphabet (`A B C D`, a list of options). So `W o r k F r o m H o m e` reads
/// `Work From Home`, `E A R N` reads `EARN`, and `J O B` or `I a m` stay.
///
/// A piece is joined or not by its own letters alone, so that a stretch of the run from one word as read to another
/// reads the same on its own: the way back to the text as written stays true
/// ([`Deobfuscated`](super::Deobfuscated)).
fn spaced_pieces(letters: &[char]) -> Vec<(Range<usize>, bool)> {
    let alphabet = |piece: &[char]| {
        piece.windows(2).all(|w| w[1].to_ascii_lowercase() as u32 == w[0].to_ascii_lowercase() as u32 + 1)
    };
    let joins = |piece: &[char]| piece.len() >= 4 && piece.iter().any(|&c| is_vowel(c)) && !alphabet(piece);
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < letters.len() {
        let capitals = letters[start].is_ascii_uppercase();
        let end = start + letters[start..].iter().take_while(|c| c.is_ascii_uppercase() == capitals).count();
        let small = letters[end..].iter().take_while(|c| c.is_ascii_lowercase()).count();
        // The last of these capitals begins a word of small letters when that word is joined (`W O R K F r o m`).
        if capitals && small > 0 && joins(&letters[end - 1..end + small]) {
            if end - 1 > start {
                pieces.push((start..end - 1, joins(&letters[start..end - 1])));
            }
            pieces.push((end - 1..end + small, true));
            start = end + small;
        } else {
            pieces.push((start..end, joins(&letters[start..end])));
            start = end;
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> String {
        deobfuscate(text).into_owned()
    }

    #[test]
    fn joins_letters_spaced_with_single_blanks() {
        assert_eq!(d("W O R K  F R O M  H O M E"), "WORK  FROM  HOME");
        assert_eq!(d("E A R N 500 a day, c a s h daily"), "EARN 500 a day, cash daily");
        assert_eq!(d("W o r k F r o m H o m e!"), "Work From Home!", "capitals begin words");
        assert_eq!(d("W O R K F r o m"), "WORK From");
        assert_eq!(d("(call) W O R K. F R E E!"), "(call) WORK. FREE!", "a stop after the last letter");
        assert_eq!(d("Ｗ Ｏ Ｒ Ｋ now, H 0 M E"), "WORK now, H 0 M E");
        // Fewer than four letters of one case shape, no vowel, or more than one blank between them: as written.
        for text in [
            "J O B",
            "I a m",
            "A B c d",
            "love, nicky x x x x x x x x x",
            "a  b  c  d",
            "W\tO R K",
            "Grade A B C D E, options a b c d",
            "Plan A B C",
            "A B C! D",
            "W O R K\u{FF01}",
        ] {
            assert_eq!(d(text), text);
        }
    }

    #[test]
    fn spaced_letters_are_joined_by_case_shape_into_pieces_of_four_with_a_vowel() {
        let pieces = |letters: &str| -> Vec<(String, bool)> {
            let letters: Vec<char> = letters.chars().collect();
            spaced_pieces(&letters)
                .into_iter()
                .map(|(piece, joined)| (letters[piece].iter().collect(), joined))
                .collect()
        };
        let piece = |letters: &str, joined: bool| (letters.to_string(), joined);
        assert_eq!(pieces("WORK"), [piece("WORK", true)]);
        assert_eq!(pieces("WORKFrom"), [piece("WORK", true), piece("From", true)]);
        assert_eq!(pieces("XYZWame"), [piece("XYZ", false), piece("Wame", true)]);
        assert_eq!(pieces("WORKab"), [piece("WORK", true), piece("ab", false)]);
        assert_eq!(pieces("xxxxWork"), [piece("xxxx", false), piece("Work", true)]);
        assert_eq!(pieces("Iam"), [piece("I", false), piece("am", false)]);
        assert_eq!(pieces("BCDFG"), [piece("BCDFG", false)]);
        assert_eq!(pieces("ABCDE"), [piece("ABCDE", false)]);
        assert_eq!(pieces("ABCDEF"), [piece("ABCDEF", false)]);
        assert_eq!(pieces("ABCE"), [piece("ABCE", true)]);
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
}
