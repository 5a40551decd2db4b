//! Undoes the disguises spam uses to slip past word filters, one whitespace-separated word at a time (and a run of
//! letters spaced with blanks as one word), before a record is rendered ([`crate::RenderConfig::deobfuscate`]):
//!
//! - **digits for letters** (leetspeak): `h0me` → `home`, `L1ke` → `Like`, `he1p` → `help`, `g00d` → `good`,
//!   `BL0CKED` → `BLOCKED`. A digit (or `00`, `11`) is read as a letter only between two Latin letters, in a run of
//!   letters and at most two digits whose letters have one case shape (`word`, `Word`, `WORD`); 3, 4, 5 and 7 only
//!   with two letters or more after the digit and letters before it that could begin a word (not `mp3player` or
//!   `gpt4all`), in words of three to six letters (`e4rn`, `t4sk`) and, for 3 and 4, in longer words not in capitals
//!   (`tr4ining`, `t3legram`, `inv3stment`); in capitals only 0, and 3 and 4 in words of five or six letters. So
//!   `4th`, `mp3`, `HTML5`, `B2B`, `ST5K`, `COVID19`, `log4j`, names with a digit (`w3schools`, `web3jobs`,
//!   `log4shell`), `CSS3Experience`, random ids, words glued to a number (`least5times`: four letters or more on both
//!   sides), amounts (`usd3k`, `Rp5juta`, `gaji3jt`, `earn5k`, `at7pm`, `June1st`) and anything in a word with `/`,
//!   `#`, `@`, `=` or a domain name (addresses, hashes) stay as written. A digit at the start or end of a word is left
//!   alone (`3mins`, `Win7`), but for `1` before `n` and a consonant (`1ncome`, `1nvest`). Whether `1` is `i` or `l`
//!   is a guess from the letters on either side, right for about 95% of the inner i's and l's of the pool's words
//!   (`tra1ning`, `commiss1on`, `onl1ne`, `he1p`, `p1ease`, `app1y`); `da1ly` still becomes `dally`.
//! - **letters for digits**: a run that starts with a digit and has no letter but `O`/`o` before an optional unit
//!   is a number: `5OO` → `500`, `$3OO` → `$300`, `3OOk` → `300k`, and so are O's after a digit and a thousands
//!   separator: `Rp 5OO.OOO` → `Rp 500.000` (not `O2`: it does not start with a digit); an `l` or `I` between two
//!   digits of such a run is a 1: `+63 9l7 123 4567` → `+63 917 123 4567` (not `2l` or `10lbs`).
//! - **wide and styled letters**: fullwidth letters and digits (`Ｗｏｒｋ ５００`, common in Chinese chat) and the
//!   mathematical bold, italic, script and other styled ones (`𝐖𝐨𝐫𝐤`) are read as ASCII. Fullwidth punctuation
//!   stays: Chinese is written with it.
//! - **look-alike letters**: Cyrillic and Greek letters that look like Latin ones (`о`, `е`, `а`, `р`, `Α`, …) are
//!   read as Latin in a stretch of letters that also has a Latin letter: `Wоrk` with a Cyrillic `о` → `Work`. A
//!   word with no Latin letter (Russian, Greek) is left alone.
//! - **spaced letters**: four or more single letters joined by one repeated separator (`.`, `-`, `_`, `*`), or
//!   three with a small letter among them, are one word: `W.o.r.k` → `Work`, `e-a-r-n` → `earn`, `U.S.S.R.` →
//!   `USSR.` (`U.S.`, `e.g.` and three-letter acronyms in capitals such as `K.Y.C` keep their dots). So are four or
//!   more single letters with one blank between each two, in one case shape, with a vowel among them (the last one
//!   perhaps before a stop): `W O R K  F R O M  H O M E` → `WORK  FROM  HOME`, `E A R N 500` → `EARN 500`,
//!   `W o r k F r o m` → `Work From`, `H O M E!` → `HOME!` (not `J O B`, kisses `x x x x`, a stretch of the alphabet
//!   `A B C D`, or letters with two blanks or a tab between them).
//! - **invisible characters** (zero-width space, joiners, word joiner, soft hyphen, byte-order mark) inside a Latin
//!   word or at its edge are dropped: `Tele\u{200B}gram`, `\u{200B}Telegram` and `Telegram\u{200D}.` → `Telegram`.
//!   One between two Latin words is dropped too, joining them (`Free\u{200B}flight` → `Freeflight`): it shows nothing,
//!   so that is how the text looks, and no written rule tells it from `Tele\u{200B}gram`. Next to letters of other
//!   scripts they stay (Thai, Khmer and Burmese use the zero-width space between words).
//!
//! Text without any of these comes back borrowed, unchanged. The rules are written from how filter-evading spam
//! is described (and seen in the wild); they are not learned from data, but for the two small tables of the `1` as `i`
//! or `l` guess, chosen from how often each letter stands between two others in the pool's training words. Every rule
//! runs in time linear in the word's length.
//!
//! [`Deobfuscated`] keeps the way back: since the rules read one word at a time (or spaced letters as one word) and
//! keep the whitespace between words, a byte offset in the text as read maps to the same place in the text as written;
//! inside a word that changed, to the same character when each of its characters was read as one (`Ｗｏｒｋ`, `h0me`),
//! else to the word's start or end (`W O R K` whole). That is how the indicator flags of `--explain` are found on the
//! text as read (as the ensemble's indicator term counts them) and quote the text as written
//! ([`crate::explain::Catalogue::scan_as_read`]): "contact me on Te1egram" is flagged as a messaging-app contact, its
//! evidence `contact me on Te1egram`, with the disguised word whole as written.

mod digits;
mod letters;
mod mapping;
mod text;
mod word;

pub use mapping::Deobfuscated;
pub use text::{deobfuscate, deobfuscate_record};
