//! Which words drove the model's score: occlusion. Each word (or, in long records, each run of a few words) is
//! removed in turn, the changed records are encoded and scored in batches exactly as
//! [`Classifier::predict`] scores them, and the change in the calibrated log-odds of lure
//! ([`Classifier::log_odds_for_ids`], the margin before the sigmoid) is that word's effect. The log-odds, not the
//! probability: a record scoring 0.99999 would otherwise show every word with an effect of +0.000, though
//! removing one of them can take it to 0.9 (log-odds 11.5 to 2.2, an effect of +9.3). Nor the score's floor for a
//! decisive flag: a record with one scores at least 0.9 however ordinary the rest reads, so every word but the flag's
//! own would show an effect of 0; the effects are on the log-odds before that floor (the flag's words carry its
//! decisive weight).
//!
//! Occlusion needs nothing from the model but its scores, so it works for any model folder; it costs at most one
//! extra forward pass per unit (at most [`OcclusionOptions::max_units`] per record). For a BERT alone, words past the
//! model's maximum length cannot have an effect and cost nothing; an ensemble's lexical member reads every word, so
//! there every word is a unit and the effect is on the ensemble's score, but variants whose token ids are the same
//! (every unit past where the BERT stops reading leaves the record's own ids) share one forward pass: a long posting
//! costs a pass per unit the BERT reads, not per unit.

use crate::classifier::Classifier;
use crate::deobfuscate::Deobfuscated;
use crate::error::Result;
use crate::markup::Markup;
use crate::record::{Field, Record, RenderConfig};
use icu_segmenter::options::WordBreakInvariantOptions;
use icu_segmenter::WordSegmenter;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;

/// The effect of one word or run of words on a record's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TermEffect {
    pub field: Field,
    /// The removed text, `&record.get(field)[start..end]`.
    pub term: String,
    /// Byte offsets into the field's text.
    pub start: usize,
    pub end: usize,
    /// Log-odds of lure with the term minus log-odds without it, `ln(p / (1 − p))` of the calibrated score:
    /// positive = the term pushed the record towards `lure`; +1 multiplies the odds of lure by e ≈ 2.7.
    pub effect: f32,
}

/// How occlusion splits a record.
#[derive(Debug, Clone, PartialEq)]
pub struct OcclusionOptions {
    /// At most this many units are removed one at a time; longer records are cut into runs of consecutive words
    /// so that the count stays under it. This bounds the cost at `max_units + 1` scored variants per record.
    pub max_units: usize,
    /// Variants per forward pass.
    pub batch_size: usize,
}

impl Default for OcclusionOptions {
    fn default() -> Self {
        OcclusionOptions { max_units: 64, batch_size: 32 }
    }
}

/// Most bytes of a field that occlusion reads. Each variant is scored whole, and the lexical member and the indicator
/// count read every byte: a field of a whole scraped page (1 MB) took 25 s to explain. Past this, terms are those of
/// the record with each field cut here, and their effects are on that record's log-odds. Postings are far shorter.
pub const MAX_OCCLUDED_FIELD_BYTES: usize = 32 << 10;

/// `record` with each field cut to [`MAX_OCCLUDED_FIELD_BYTES`] (at a character boundary); borrowed when none is longer.
fn cut_for_occlusion(record: &Record) -> Cow<'_, Record> {
    if record.fields().all(|(_, text)| text.len() <= MAX_OCCLUDED_FIELD_BYTES) {
        return Cow::Borrowed(record);
    }
    let mut cut = record.clone();
    for (field, text) in record.fields() {
        if text.len() > MAX_OCCLUDED_FIELD_BYTES {
            let end = (0..=MAX_OCCLUDED_FIELD_BYTES).rev().find(|&at| text.is_char_boundary(at)).unwrap_or(0);
            cut.set(field, &text[..end]);
        }
    }
    Cow::Owned(cut)
}

/// A removable unit: `field[start..end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Unit {
    field: Field,
    start: usize,
    end: usize,
}

/// Byte spans of the whitespace-separated words of `text` that rendering keeps (it cuts each field to
/// `max_chars` characters, counting one blank between words); a word in a script written without spaces comes as
/// its [`pieces`].
fn words(text: &str, max_chars: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut chars = 0usize;
    let mut start: Option<usize> = None;
    let push = |s: usize, e: usize, chars: &mut usize, out: &mut Vec<(usize, usize)>| {
        if *chars >= max_chars {
            return;
        }
        if *chars > 0 {
            *chars += 1;
        }
        *chars += text[s..e].chars().count();
        out.extend(pieces(text, s, e));
    };
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                push(s, i, &mut chars, &mut out);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        push(s, text.len(), &mut chars, &mut out);
    }
    out
}

/// Most characters in a piece of a word written without spaces between words, as [`syllable_pieces`] cuts it.
const MAX_PIECE_CHARS: usize = 6;

/// Most characters in a piece of words ([`pieces`]), in eighteenths of the budget: 6 Chinese characters
/// or kana (3 each: a Chinese word is 2 or 3), 9 letters of Thai, Lao, Khmer or Burmese (2 each: their words are
/// longer, เงินเดือน "salary" is 7).
const PIECE_BUDGET: usize = 18;

/// A character's share of [`PIECE_BUDGET`]: none for marks, digits and Latin letters (they ride along).
fn piece_cost(c: char) -> usize {
    match c {
        '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' => 3,
        c if unspaced(c) && !joins_previous(c) => 2,
        _ => 0,
    }
}

/// Scripts written without spaces between words (Chinese, Japanese kana, Thai, Lao, Khmer, Burmese), where a
/// whitespace-separated "word" can be a whole sentence.
fn unspaced(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{0E00}'..='\u{0EFF}'
        | '\u{1780}'..='\u{17FF}' | '\u{1000}'..='\u{109F}')
}

/// Marks written on, under or beside the letter before them (Thai, Lao, Khmer and Burmese vowel signs, tone marks
/// and medials; combining diacritics): a piece never starts with one, and they do not count as characters.
fn joins_previous(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}' | '\u{0EB1}'
        | '\u{0EB4}'..='\u{0EBC}' | '\u{0EC8}'..='\u{0ECE}' | '\u{17B4}'..='\u{17D3}' | '\u{17DD}'
        | '\u{102B}'..='\u{103E}' | '\u{1056}'..='\u{1059}' | '\u{105E}'..='\u{1060}' | '\u{1062}'..='\u{1064}'
        | '\u{1067}'..='\u{106D}' | '\u{1071}'..='\u{1074}' | '\u{1082}'..='\u{108D}' | '\u{108F}' | '\u{109A}'..='\u{109D}')
}

/// Letters and marks that belong with the letter after them, so that a piece never ends with one: Thai and Lao vowels
/// written before the consonant they follow in speech (เ แ โ ใ ไ); the Thai and Lao short-a mark (ั, ັ), whose
/// syllable always ends in the consonant after it (วัน, not วั|น); the Khmer coeng and the Burmese virama, which put
/// the next consonant under the one before it (ក្រ, not ក្|រ).
fn joins_next(c: char) -> bool {
    matches!(c, '\u{0E40}'..='\u{0E44}' | '\u{0EC0}'..='\u{0EC4}' | '\u{0E31}' | '\u{0EB1}' | '\u{17D2}' | '\u{1039}')
}

/// Marks that make the consonant under them the end of the syllable before it (Thai ์, Lao ໌, Khmer ៍ and the
/// bantoc ់, Burmese asat ်): a piece never starts with that consonant (ไลน์, not ไล|น์; ខ្ពស់, not ខ្ព|ស់).
fn silences(c: char) -> bool {
    matches!(c, '\u{0E4C}' | '\u{0ECC}' | '\u{17CB}' | '\u{17CD}' | '\u{103A}')
}

/// Punctuation that ends a piece: CJK (U+3000–U+303F), full-width (U+FF00–U+FF65) and ASCII `,;!?`.
fn piece_end(c: char) -> bool {
    matches!(c, ',' | ';' | '!' | '?' | '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FF65}')
}

/// The word `text[start..end]` as spans to occlude one at a time: itself, or, when it is in a script written
/// without spaces, its words as ICU4X finds them (招聘|客服|高薪 by its dictionary, ราย|ได้|วัน|ละ by its LSTM models;
/// a boundary inside a syllable is dropped, [`syllable_boundary`]), joined into pieces
/// of at most 6 Chinese characters or 9 Thai, Lao, Khmer or Burmese letters ([`PIECE_BUDGET`]; digits and Latin
/// letters ride along) that end at punctuation, so that the terms of a Chinese or Thai message are words and short
/// phrases, not the whole message nor halves of words. A word over twice that (a run ICU4X does
/// not know) is cut between syllables ([`syllable_pieces`]).
fn pieces(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let word = &text[start..end];
    if !word.chars().any(unspaced) {
        return vec![(start, end)];
    }
    let cost = |s: &str| s.chars().map(piece_cost).sum::<usize>();
    let segmenter = WordSegmenter::new_auto(WordBreakInvariantOptions::default());
    // Only boundaries between syllables: the models can cut a word they do not know before a vowel that follows its
    // consonant (บาริสต้|า).
    let kept = unbroken_words(word);
    let bounds: Vec<usize> = segmenter
        .segment_str(word)
        .filter(|&at| syllable_boundary(word, at) && !kept.iter().any(|r| r.start < at && at < r.end))
        .collect();
    let mut out = Vec::new();
    // The piece so far, its cost, and where its last word that costs ends: digits and Latin letters after it go
    // with the next word (รายได้วันละ|500บาท).
    let (mut from, mut count, mut costly_end) = (start, 0, start);
    for bound in bounds.windows(2) {
        let (s, e) = (start + bound[0], start + bound[1]);
        let n = cost(&text[s..e]);
        if n > 2 * PIECE_BUDGET {
            if from < s {
                out.push((from, s));
            }
            out.extend(syllable_pieces(text, s, e));
            (from, count, costly_end) = (e, 0, e);
            continue;
        }
        if count > 0 && count + n > PIECE_BUDGET {
            out.push((from, costly_end));
            (from, count) = (costly_end, 0);
        }
        if n > 0 {
            costly_end = e;
        }
        count += n;
        if text[s..e].chars().last().is_some_and(piece_end) {
            out.push((from, e));
            (from, count, costly_end) = (e, 0, e);
        }
    }
    if from < end {
        out.push((from, end));
    }
    out
}

/// Chinese words of recruitment and its scams that ICU4X's dictionary cuts into characters (微|信, 客|服, 点|赞, 提|现),
/// in Simplified and Traditional characters: a piece never ends inside one.
const UNBROKEN_WORDS: [&str; 56] = [
    "微信",
    "微信群",
    "抖音",
    "纸飞机",
    "紙飛機",
    "淘宝",
    "淘寶",
    "支付宝",
    "支付寶",
    "拼多多",
    "小红书",
    "小紅書",
    "刷单",
    "刷單",
    "点赞",
    "點讚",
    "點贊",
    "日结",
    "日結",
    "返利",
    "客服",
    "做任务",
    "做任務",
    "垫付",
    "墊付",
    "迪拜",
    "微商",
    "宝妈",
    "寶媽",
    "打字员",
    "打字員",
    "充值",
    "提现",
    "提現",
    "保证金",
    "保證金",
    "飞书",
    "飛書",
    "钉钉",
    "釘釘",
    "推特",
    "脸书",
    "臉書",
    "跑分",
    "银行卡",
    "銀行卡",
    "验证码",
    "驗證碼",
    "人脸",
    "人臉",
    "杀猪盘",
    "殺豬盤",
    "话务",
    "話務",
    "电诈",
    "電詐",
];

/// The byte ranges of `word` that hold one of [`UNBROKEN_WORDS`].
fn unbroken_words(word: &str) -> Vec<std::ops::Range<usize>> {
    UNBROKEN_WORDS.iter().flat_map(|w| word.match_indices(w).map(move |(at, _)| at..at + w.len())).collect()
}

/// Whether `at` (a character boundary of `word`) is between two syllables, or at either end: not before a mark that
/// belongs to the letter before it or a Thai or Lao vowel written after its consonant (า, ะ, ำ), nor after a letter or
/// mark that belongs with the next one, nor before a consonant a mark silences.
fn syllable_boundary(word: &str, at: usize) -> bool {
    let (Some(before), Some(after)) = (word[..at].chars().last(), word[at..].chars().next()) else { return true };
    let follows =
        matches!(after, '\u{0E30}' | '\u{0E32}' | '\u{0E33}' | '\u{0E45}' | '\u{0EB0}' | '\u{0EB2}' | '\u{0EB3}');
    let silenced = word[at..].chars().nth(1).is_some_and(silences);
    !joins_previous(after) && !follows && !joins_next(before) && !silenced
}

/// `text[start..end]`, in a script written without spaces, as pieces that end at punctuation or hold at most
/// [`MAX_PIECE_CHARS`] characters of that script, cut between syllables.
fn syllable_pieces(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let word = &text[start..end];
    let mut out = Vec::new();
    let (mut from, mut count) = (start, 0);
    let mut previous = None;
    let mut chars = word.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at = start + i;
        // Cut only between syllables: not before a mark that belongs to the letter before it, nor after a letter or
        // mark that belongs with the next one, nor before a consonant a mark silences (a piece is then a little
        // longer than MAX_PIECE_CHARS).
        let silenced = chars.peek().is_some_and(|&(_, next)| silences(next));
        let can_cut = !joins_previous(c) && !previous.is_some_and(joins_next) && !silenced;
        if count >= MAX_PIECE_CHARS && unspaced(c) && can_cut {
            out.push((from, at));
            (from, count) = (at, 0);
        }
        count += usize::from(unspaced(c) && !joins_previous(c));
        previous = Some(c);
        if piece_end(c) {
            let next = at + c.len_utf8();
            out.push((from, next));
            (from, count) = (next, 0);
        }
    }
    if from < end {
        out.push((from, end));
    }
    out
}

/// The words of `text` as the model that renders with `render` reads it, as spans of the text as written: with its HTML
/// read away ([`Markup`]), a tag is in no word (`Myawaddy.<br>Salary` is two); reading disguised spellings
/// ([`Deobfuscated`]), letters spaced with blanks (`W O R K`) are one word, which removing one of its letters would
/// break apart.
fn words_as_read(text: &str, max_chars: usize, render: &RenderConfig) -> Vec<(usize, usize)> {
    let markup = render.markup.then(|| Markup::new(text)).filter(Markup::is_changed);
    let plain = markup.as_ref().map_or(text, Markup::as_read);
    let read = render.deobfuscate.then(|| Deobfuscated::new(plain)).filter(Deobfuscated::is_changed);
    if markup.is_none() && read.is_none() {
        return words(text, max_chars);
    }
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (start, end) in words(read.as_ref().map_or(plain, |read| read.as_read()), max_chars) {
        let span = read.as_ref().map_or(start..end, |read| read.span_as_written(start..end));
        let span = markup.as_ref().map_or(span.clone(), |markup| markup.span_as_written(span));
        // Pieces of one disguised word map to the whole of it.
        if out.last() != Some(&(span.start, span.end)) {
            out.push((span.start, span.end));
        }
    }
    out
}

/// Short function words of English, Indonesian and Malay, Tagalog and Vietnamese. Alone, such a word's effect says
/// little to a reader ("and +5.8" in "like videos and earn"), though removing it moves the encoder; joined to the word
/// after it, it makes a phrase that does ("and earn", "per like").
const FUNCTION_WORDS: [&str; 63] = [
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "per", "from", "with", "as", "is",
    "are", "be", "was", "will", "you", "your", "we", "our", "us", "it", "its", "this", "that", "if", "so", "dan", "di",
    "ke", "dari", "untuk", "yang", "atau", "dengan", "ini", "itu", "anda", "kami", "ang", "ng", "mga", "sa", "na",
    "ay", "para", "và", "của", "cho", "để", "là", "ở", "các", "những", "một", "với", "mỗi",
];

fn is_function_word(word: &str) -> bool {
    let word = word.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    FUNCTION_WORDS.contains(&word.as_str())
}

/// Vietnamese words of two syllables or more that job offers and these scams use, written without diacritics: a
/// Vietnamese word is written as syllables with spaces between them, so that "hộ chiếu" (passport) would otherwise be
/// the two terms "hộ" and "chiếu". Matched without diacritics, as texts are often typed.
const VIETNAMESE_WORDS: [&str; 77] = [
    "cong tac vien",
    "viec lam",
    "lam viec",
    "tai nha",
    "ho chieu",
    "nhiem vu",
    "hoa hong",
    "thu nhap",
    "tuyen dung",
    "nhan vien",
    "khach hang",
    "cham soc khach hang",
    "xuat khau lao dong",
    "lao dong",
    "lien he",
    "don hang",
    "nap tien",
    "rut tien",
    "tai khoan",
    "ngan hang",
    "kinh nghiem",
    "khong can kinh nghiem",
    "bao an o",
    "ve may bay",
    "mien phi",
    "thoi gian",
    "linh hoat",
    "dien thoai",
    "moi ngay",
    "mot ngay",
    "moi thang",
    "can cuoc",
    "cong an",
    "lua dao",
    "viec nhe luong cao",
    "luong cao",
    "ban thoi gian",
    "toan thoi gian",
    "sinh vien",
    "noi tro",
    "ma xac nhan",
    "chuyen khoan",
    "dat coc",
    "campuchia",
    "cam pu chia",
    "song bac",
    "tiep thi",
    "tha tim",
    "theo doi",
    "danh gia",
    "nuoc ngoai",
    "xuat canh",
    "bien gioi",
    "hop dong",
    "cong ty",
    "truc tuyen",
    "thanh toan",
    "vi dien tu",
    "tien thuong",
    "hoan tien",
    "loi nhuan",
    "dau tu",
    "giay to",
    "phong van",
    "ho so",
    "ung tuyen",
    "cong viec",
    "dia chi",
    "nha may",
    "cong nhan",
    "nha hang",
    "khach san",
    "dong bang",
    "nang cap",
    "so du",
    "am tien",
    "huy lenh",
];

/// Most syllables in one of [`VIETNAMESE_WORDS`].
const MAX_VIETNAMESE_SYLLABLES: usize = 5;

/// `spans` of `text` with each run of words that spells one of [`VIETNAMESE_WORDS`] (the longest) joined into one
/// span. A word that ends with punctuation ends a run ("nhà, việc" is two words).
fn with_vietnamese_words_joined(text: &str, spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let folded: Vec<String> = spans.iter().map(|&(s, e)| super::vietnamese::folded(&text[s..e])).collect();
    let mut out = Vec::with_capacity(spans.len());
    let mut i = 0;
    while i < spans.len() {
        let mut take = 1;
        for n in (2..=MAX_VIETNAMESE_SYLLABLES.min(spans.len() - i)).rev() {
            let run = &folded[i..i + n];
            // Only the last word of a run may end with punctuation (`hộ chiếu,`).
            if run[..n - 1].iter().any(|w| !w.chars().all(char::is_alphanumeric)) {
                continue;
            }
            let last = run[n - 1].trim_end_matches(|c: char| !c.is_alphanumeric());
            let phrase = run[..n - 1].iter().map(String::as_str).chain([last]).collect::<Vec<_>>().join(" ");
            if VIETNAMESE_WORDS.contains(&phrase.as_str()) {
                take = n;
                break;
            }
        }
        out.push((spans[i].0, spans[i + take - 1].1));
        i += take;
    }
    out
}

/// `spans` of `text` with each run of function words ([`FUNCTION_WORDS`]) joined to the word after it, unless
/// punctuation ends it ("and," stays alone); a run at the end of the text stays as it is.
fn with_function_words_joined(text: &str, spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(spans.len());
    // The start of a run of function words, and the end of its last word.
    let mut pending: Option<(usize, usize)> = None;
    for (start, end) in spans {
        let word = &text[start..end];
        let from = pending.take().map_or(start, |(from, _)| from);
        if is_function_word(word) && !word.ends_with(|c: char| c.is_ascii_punctuation()) {
            pending = Some((from, end));
        } else {
            out.push((from, end));
        }
    }
    out.extend(pending);
    out
}

/// The units of a record: single words (as read when `deobfuscate`; a function word joined to the word after it), or,
/// when there are more than `max_units`, runs of consecutive words of one sentence: a run ends where a sentence or
/// a line does ([`ends_sentence`]), so that a term reads as one phrase ("Send CV to hr@…", not "required. Send CV"),
/// and holds at most the fewest words that keep the count within `max_units`. When the sentences alone are more
/// than that, runs cross them, `ceil(words / max_units)` words each.
fn units(record: &Record, max_chars: usize, max_units: usize, render: &RenderConfig) -> Vec<Unit> {
    // Each field with its text and the byte spans of its words.
    type FieldWords<'a> = (Field, &'a str, Vec<(usize, usize)>);
    let per_field: Vec<FieldWords> = record
        .fields()
        .map(|(field, text)| {
            let words = with_vietnamese_words_joined(text, words_as_read(text, max_chars, render));
            (field, text, with_function_words_joined(text, words))
        })
        .collect();
    let max_units = max_units.max(1);
    let total: usize = per_field.iter().map(|(_, _, w)| w.len()).sum();
    // Each field's sentences, as counts of words.
    let sentences: Vec<Vec<usize>> = per_field.iter().map(|(_, text, words)| sentence_lengths(text, words)).collect();
    let count = |run: usize| sentences.iter().flatten().map(|n| n.div_ceil(run)).sum::<usize>();
    let longest = sentences.iter().flatten().copied().max().unwrap_or(1);
    let bounded = (total.div_ceil(max_units).max(1)..=longest.max(1)).find(|&run| count(run) <= max_units);
    let mut out = Vec::new();
    for ((field, text, words), lengths) in per_field.iter().zip(&sentences) {
        // A unit is what a reader names as the term: without the comma or full stop after it.
        let push = |chunk: &[(usize, usize)], out: &mut Vec<Unit>| {
            let (start, end) = (chunk[0].0, chunk[chunk.len() - 1].1);
            let term = text[start..end].trim_end_matches(|c: char| ",.;:!?、，。；：！？".contains(c));
            let end = if term.is_empty() { end } else { start + term.len() };
            out.push(Unit { field: *field, start, end })
        };
        match bounded {
            Some(run) => {
                let mut at = 0;
                for &n in lengths {
                    words[at..at + n].chunks(run).for_each(|chunk| push(chunk, &mut out));
                    at += n;
                }
            }
            None => words.chunks(total.div_ceil(max_units).max(1)).for_each(|chunk| push(chunk, &mut out)),
        }
    }
    out
}

/// The number of words in each sentence of `text`, in order (they add up to `words.len()`): a sentence ends after a
/// word that [`ends_sentence`], or where a line break follows a word.
fn sentence_lengths(text: &str, words: &[(usize, usize)]) -> Vec<usize> {
    let mut lengths = Vec::new();
    let mut n = 0;
    for (i, &(start, end)) in words.iter().enumerate() {
        n += 1;
        let gap = words.get(i + 1).map_or("", |&(next, _)| &text[end..next]);
        if ends_sentence(&text[start..end]) || gap.contains(['\n', '\r']) {
            lengths.push(n);
            n = 0;
        }
    }
    if n > 0 {
        lengths.push(n);
    }
    lengths
}

/// Whether a word ends its sentence: its last character, closing quotes and brackets aside, is `.`, `!`, `?`, `…`
/// or their CJK and full-width forms, or `:` or `;`. A dot inside it (`hr@co.uk`, `3.5`) does not end one, nor does
/// the dot of a one-letter initial or a common abbreviation (`e.g.`, `Mr.`).
fn ends_sentence(word: &str) -> bool {
    let core = word.trim_end_matches(['"', '\'', '”', '’', ')', ']', '」', '』', '）']);
    let Some(last) = core.chars().last() else { return false };
    match last {
        '!' | '?' | '…' | ':' | ';' | '。' | '！' | '？' | '；' | '：' => true,
        '.' => {
            let stem = core.trim_end_matches('.');
            let letters = stem.chars().filter(|c| c.is_alphabetic()).count();
            letters > 1 && !stem.contains('.') && !ABBREVIATIONS.contains(&stem.to_lowercase().as_str())
        }
        _ => false,
    }
}

/// Abbreviations whose dot ends no sentence.
const ABBREVIATIONS: [&str; 12] = ["mr", "mrs", "ms", "dr", "st", "no", "vs", "etc", "approx", "incl", "jr", "sr"];

/// The `k` terms whose removal changes `record`'s log-odds of lure most, largest |effect| first, with default
/// [`OcclusionOptions`]. A record with no text has no terms.
pub fn top_terms(classifier: &Classifier, record: &Record, k: usize) -> Result<Vec<TermEffect>> {
    top_terms_with(classifier, record, k, &OcclusionOptions::default())
}

/// [`top_terms`] with explicit options.
pub fn top_terms_with(
    classifier: &Classifier,
    record: &Record,
    k: usize,
    options: &OcclusionOptions,
) -> Result<Vec<TermEffect>> {
    let record = &*cut_for_occlusion(record);
    // The BERT sees each field cut to `max_chars_per_field`; a lexical ensemble member reads every word.
    let ensemble = classifier.lexical().is_some();
    let max_chars = if ensemble { usize::MAX } else { classifier.settings().render.max_chars_per_field };
    let units = units(record, max_chars, options.max_units, &classifier.settings().render);
    if units.is_empty() || k == 0 {
        return Ok(Vec::new());
    }
    let base = match classifier.encode(record)? {
        Ok(ids) => ids,
        Err(_) => return Ok(Vec::new()),
    };
    // Token ids of each occluded variant. A variant whose ids equal the record's (the unit lies past the
    // model's maximum length) has no effect and costs no forward pass; one with no text left has no score.
    // With a lexical member every variant counts, since that member reads past the BERT's maximum length; it
    // shares the record's forward pass. Variants with the same ids share one too: `distinct[0]` is the record's.
    let mut distinct: Vec<Vec<u32>> = vec![base.clone()];
    let mut slot_of: HashMap<Vec<u32>, usize> = HashMap::from([(base.clone(), 0)]);
    let mut variants: Vec<(usize, usize, Record)> = Vec::with_capacity(units.len());
    for (i, unit) in units.iter().enumerate() {
        let text = record.get(unit.field).unwrap_or_default();
        let occluded = record.clone().with(unit.field, format!("{} {}", &text[..unit.start], &text[unit.end..]));
        if let Ok(ids) = classifier.encode(&occluded)? {
            if ensemble || ids != base {
                let slot = *slot_of.entry(ids).or_insert_with_key(|ids| {
                    distinct.push(ids.clone());
                    distinct.len() - 1
                });
                variants.push((i, slot, occluded));
            }
        }
    }
    // Sorting by length keeps padding small inside each batch, as `Classifier::predict` does.
    let mut order: Vec<usize> = (0..distinct.len()).collect();
    order.sort_by_key(|&slot| distinct[slot].len());
    let mut passes = vec![None; distinct.len()];
    for chunk in order.chunks(options.batch_size.max(1)) {
        let batch: Vec<&[u32]> = chunk.iter().map(|&slot| distinct[slot].as_slice()).collect();
        for (&slot, pass) in chunk.iter().zip(classifier.passes_for_log_odds(&batch)?) {
            passes[slot] = Some(pass);
        }
    }
    let passes: Vec<_> = passes.into_iter().map(|pass| pass.expect("every distinct sequence is in a batch")).collect();
    // With every member of the ensemble (the exemplar margin too), so the effects add up to the score's log-odds.
    let base_log_odds = classifier.log_odds_from_pass(&passes[0], record);
    let mut effects: Vec<TermEffect> = variants
        .iter()
        .map(|(i, slot, occluded)| {
            let unit = units[*i];
            TermEffect {
                field: unit.field,
                term: record.get(unit.field).unwrap_or_default()[unit.start..unit.end].to_string(),
                start: unit.start,
                end: unit.end,
                effect: base_log_odds - classifier.log_odds_from_pass(&passes[*slot], occluded),
            }
        })
        .collect();
    effects.sort_by(|a, b| {
        b.effect.abs().total_cmp(&a.effect.abs()).then(a.field.cmp(&b.field)).then(a.start.cmp(&b.start))
    });
    effects.truncate(k);
    Ok(effects)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_have_byte_offsets_and_respect_the_render_cut() {
        let text = "  Việc  làm\ttại nhà ";
        let spans = words(text, 1000);
        let got: Vec<&str> = spans.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(got, ["Việc", "làm", "tại", "nhà"]);
        // "Việc làm" is 8 characters: with a cut at 8 the third word is never seen by the model.
        assert_eq!(words(text, 8).len(), 2);
    }

    #[test]
    fn letters_spaced_with_blanks_are_one_unit_as_read_and_plain_words_stay_as_they_are() {
        let text = "W O R K  F R O M  H O M E, earn 500 a day";
        let record = Record::from_text(text);
        let reading = RenderConfig { deobfuscate: true, ..RenderConfig::default() };
        let got: Vec<&str> = units(&record, usize::MAX, 64, &reading).iter().map(|u| &text[u.start..u.end]).collect();
        assert_eq!(got, ["W O R K", "F R O M", "H O M E", "earn", "500", "a day"]);
        let written: Vec<&str> =
            units(&record, usize::MAX, 64, &RenderConfig::default()).iter().map(|u| &text[u.start..u.end]).collect();
        assert_eq!(written[..4], ["W", "O", "R", "K"]);
        let plain = Record::from_text("Việc làm tại nhà, lương cao");
        assert_eq!(units(&plain, usize::MAX, 64, &reading), units(&plain, usize::MAX, 64, &RenderConfig::default()));
    }

    #[test]
    fn a_tag_is_in_no_unit_when_the_model_reads_html_away() {
        let text = "Hiring in Myawaddy.<br>Salary 40&#44;000.</p><p>Contact <a href=\"https://t.me/hr\">t.me/hr</a>";
        let record = Record::from_text(text);
        let reading = RenderConfig { markup: true, deobfuscate: true, ..RenderConfig::default() };
        let got: Vec<&str> = units(&record, usize::MAX, 64, &reading).iter().map(|u| &text[u.start..u.end]).collect();
        assert_eq!(got, ["Hiring", "in Myawaddy", "Salary", "40&#44;000", "Contact", "t.me/hr"]);
        let written = units(&record, usize::MAX, 64, &RenderConfig::default());
        assert_eq!(&text[written[1].start..written[1].end], "in Myawaddy.<br>Salary");
    }

    #[test]
    fn pieces_of_thai_burmese_and_khmer_cut_between_letters() {
        for text in [
            "รับสมัครพนักงานแอดมินเงินเดือนสูงทำงานที่กัมพูชาไม่ต้องมีประสบการณ์",
            "မြန်မာနိုင်ငံတွင်အလုပ်ရှာဖွေနေသူများအတွက်လစာကောင်း",
            "ការងារនៅប្រទេសកម្ពុជាប្រាក់ខែខ្ពស់",
        ] {
            let spans = pieces(text, 0, text.len());
            assert!(spans.len() > 2, "{text}: cut into pieces");
            for &(s, e) in &spans {
                let piece = &text[s..e];
                let first = piece.chars().next().unwrap();
                let last = piece.chars().last().unwrap();
                assert!(!joins_previous(first), "{piece:?} starts with a mark of the letter before it");
                assert!(!joins_next(last), "{piece:?} ends with a vowel written before its consonant");
            }
            // Nothing lost: the pieces tile the text.
            assert_eq!(spans.first().unwrap().0, 0);
            assert_eq!(spans.last().unwrap().1, text.len());
            assert!(spans.windows(2).all(|w| w[0].1 == w[1].0));
        }
        // "เงินเดือน" (salary) no longer splits after its second leading vowel.
        let salary = "เงินเดือน";
        assert!(!pieces(salary, 0, salary.len()).iter().any(|&(s, e)| salary[s..e].ends_with('เ')));
        // Nor a syllable after its short-a mark (วัน, "day"), a silenced consonant from the syllable it ends (ไลน์,
        // LINE), a Khmer subscript consonant from the one above it (ក្រុមហ៊ុន, company), a Burmese killed
        // consonant from its syllable (ကုမ္ပဏီ, company; အလုပ်, work).
        let cases = [
            ("รายได้วันละ", "วัน"),
            ("กดไลค์วิดีโอติดต่อไลน์", "ไลน์"),
            ("ធ្វើការនៅក្រុមហ៊ុនក្រៅប្រទេស", "ក្រុមហ៊ុន"),
            ("ကုမ္ပဏီတွင်အလုပ်ခေါ်နေသည်", "အလုပ်"),
        ];
        for (text, word) in cases {
            let spans = pieces(text, 0, text.len());
            let at = text.find(word).unwrap();
            let inside = |cut: usize| cut > at && cut < at + word.len();
            let cuts: Vec<usize> = spans.iter().map(|&(s, _)| s).collect();
            // A long word may still be cut, but only where a syllable ends.
            for &cut in cuts.iter().filter(|&&cut| inside(cut)) {
                let before = text[..cut].chars().last().unwrap();
                let after: Vec<char> = text[cut..].chars().take(2).collect();
                assert!(
                    !joins_next(before) && !silences(after[1]) && !joins_previous(after[0]),
                    "{text}: cut in {word} at {cut}: {:?}",
                    spans.iter().map(|&(s, e)| &text[s..e]).collect::<Vec<_>>()
                );
            }
        }
        let pieces_of =
            |text: &str| pieces(text, 0, text.len()).iter().map(|&(s, e)| text[s..e].to_string()).collect::<Vec<_>>();
        assert!(pieces_of("รายได้วันละ").iter().all(|p| !p.ends_with('ั')), "{:?}", pieces_of("รายได้วันละ"));
        assert!(!pieces_of("กดไลค์วิดีโอติดต่อไลน์").contains(&"น์".to_string()));
        assert!(!pieces_of("ប្រាក់ខែខ្ពស់").contains(&"ស់".to_string()), "{:?}", pieces_of("ប្រាក់ខែខ្ពស់"));
    }

    #[test]
    fn pieces_are_words_joined_up_to_six_chinese_characters_or_nine_letters() {
        let pieces_of =
            |text: &str| pieces(text, 0, text.len()).iter().map(|&(s, e)| text[s..e].to_string()).collect::<Vec<_>>();
        assert_eq!(pieces_of("招聘客服，高薪包吃包住，免费机票"), ["招聘客服，", "高薪包吃包住，", "免费机票"]);
        // "Contact LINE", "salary high", "income a day": words, where six letters a piece cut ติดต่อไ|ลน์.
        assert_eq!(pieces_of("ติดต่อไลน์"), ["ติดต่อไลน์"]);
        assert_eq!(pieces_of("เงินเดือนสูงมาก"), ["เงินเดือนสูง", "มาก"]);
        assert_eq!(pieces_of("รายได้วันละ500บาท"), ["รายได้วันละ", "500บาท"]);
        assert_eq!(pieces_of("ប្រាក់ខែខ្ពស់"), ["ប្រាក់ខែខ្ពស់"]);
        // Words no dictionary holds stay whole: "barista", "admin", "online".
        for (text, word) in [
            ("ร้านกาแฟในเชียงใหม่รับสมัครบาริสต้า", "บาริสต้า"),
            ("ลงทุนทักแอดมินที่ไลน์", "แอดมิน"),
            ("ការងារអនឡាញចុចឡាយវីដេអូ", "អនឡាញ"),
        ] {
            assert!(pieces_of(text).iter().any(|p| p.contains(word)), "{word} cut: {:?}", pieces_of(text));
        }
        // A run ICU4X does not cut is still cut, between syllables.
        let unknown = "ฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮ";
        assert!(pieces(unknown, 0, unknown.len()).len() >= 3, "{:?}", pieces_of(unknown));
        // Whatever the mix, the pieces tile the word, none empty.
        for text in
            ["500บาทฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮ，招聘ABC客服!ติดต่อ", "，，招聘", "ABC招聘12", "ฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮฮ99"]
        {
            let spans = pieces(text, 0, text.len());
            assert_eq!((spans[0].0, spans.last().unwrap().1), (0, text.len()), "{:?}", pieces_of(text));
            assert!(spans.windows(2).all(|w| w[0].1 == w[1].0) && spans.iter().all(|(s, e)| s < e), "{spans:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]

        /// Any mix of the scripts written without spaces with digits, Latin letters, marks and punctuation: the
        /// pieces tile the word, none empty.
        #[test]
        fn pieces_tile_any_unspaced_word(word in "[ก-ฮะ-ฺเ-๎ក-៓က-႟一-龥ぁ-んa-z0-9，。!?]{1,60}") {
            let spans = pieces(&word, 0, word.len());
            proptest::prop_assert_eq!((spans[0].0, spans[spans.len() - 1].1), (0, word.len()));
            proptest::prop_assert!(spans.windows(2).all(|w| w[0].1 == w[1].0));
            proptest::prop_assert!(spans.iter().all(|(s, e)| s < e));
        }
    }

    #[test]
    fn function_words_join_the_word_after_them() {
        let joined = |text: &str| -> Vec<String> {
            with_function_words_joined(text, words(text, usize::MAX)).iter().map(|&(s, e)| text[s..e].into()).collect()
        };
        assert_eq!(
            joined("Like videos and earn 5 USD per like"),
            ["Like", "videos", "and earn", "5", "USD", "per like"]
        );
        assert_eq!(joined("contact the mentor on Telegram"), ["contact", "the mentor", "on Telegram"]);
        // A run of them joins whole; one that ends a clause, or the text, stays alone.
        assert_eq!(joined("go to the office and, later, to"), ["go", "to the office", "and,", "later,", "to"]);
        assert_eq!(joined("Kumita ng 500 sa pag-like"), ["Kumita", "ng 500", "sa pag-like"]);
        assert_eq!(joined("Việc làm tại nhà và lương cao"), ["Việc", "làm", "tại", "nhà", "và lương", "cao"]);
    }

    #[test]
    fn runs_of_words_end_where_a_sentence_or_a_line_ends() {
        let text = (0..25).map(|i| format!("Sentence {i} has five words.")).collect::<Vec<_>>().join(" ")
            + "\nA line with no stop\nEmail hr@firm.co.uk, e.g. today. Salary: 3.5k!";
        let record = Record::from_text(text.clone());
        let units = units(&record, usize::MAX, 64, &RenderConfig::default());
        assert!(units.len() <= 64, "{} units", units.len());
        let terms: Vec<&str> = units.iter().map(|u| &text[u.start..u.end]).collect();
        assert!(terms.iter().all(|t| !t.contains(". ") || t.contains("e.g. ")), "{terms:?}");
        // (A term is named without the stop after it.)
        assert!(terms.contains(&"Sentence 0 has") && terms.contains(&"five words"), "{terms:?}");
        assert!(terms.contains(&"A line with no stop"), "a line break ends a run: {terms:?}");
        assert!(terms.contains(&"Email hr@firm.co.uk, e.g") && terms.contains(&"today"), "{terms:?}");
        assert!(terms.contains(&"Salary") && terms.contains(&"3.5k"), "{terms:?}");
        // Too many sentences for the budget: runs cross them.
        let text = (0..100).map(|i| format!("Stop {i}.")).collect::<Vec<_>>().join(" ");
        let crossing = super::units(&Record::from_text(text), usize::MAX, 64, &RenderConfig::default());
        assert!(crossing.len() <= 64, "{} units", crossing.len());
        assert!(
            !ends_sentence("hr@firm.co.uk") && !ends_sentence("Mr.") && !ends_sentence("U.S.") && !ends_sentence("3.5")
        );
        assert!(
            ends_sentence("today.") && ends_sentence("now!\"") && ends_sentence("招聘。") && ends_sentence("Salary:")
        );
    }

    #[test]
    fn chinese_words_the_dictionary_does_not_know_stay_whole() {
        let cut = |t: &'static str| pieces(t, 0, t.len()).into_iter().map(|(s, e)| &t[s..e]).collect::<Vec<_>>();
        // Six characters to a piece: without the list, the piece ended after 微 of 微信.
        for text in ["日结高薪招聘加微信详聊", "高薪兼职做任务点赞充值提现", "聯繫客服領取佣金"]
        {
            let pieces = cut(text);
            assert_eq!(pieces.concat(), text);
            for word in ["微信", "客服", "点赞", "提现", "做任务"] {
                if text.contains(word) {
                    assert!(pieces.iter().any(|p| p.contains(word)), "{word} cut in {pieces:?}");
                }
            }
        }
    }

    #[test]
    fn vietnamese_words_of_several_syllables_are_one_term() {
        let joined = |text: &str| -> Vec<String> {
            let words = with_vietnamese_words_joined(text, words(text, usize::MAX));
            with_function_words_joined(text, words).iter().map(|&(s, e)| text[s..e].into()).collect()
        };
        assert_eq!(
            joined("Tuyển cộng tác viên làm việc tại nhà, không cần kinh nghiệm, giữ hộ chiếu"),
            ["Tuyển", "cộng tác viên", "làm việc", "tại nhà,", "không cần kinh nghiệm,", "giữ", "hộ chiếu"]
        );
        // Typed without diacritics, and with a function word before it.
        assert_eq!(joined("lam nhiem vu va nhan hoa hong cao"), ["lam", "nhiem vu", "va", "nhan", "hoa hong", "cao"]);
        assert_eq!(joined("Việc làm và lương cao"), ["Việc làm", "và lương cao"]);
        // Punctuation inside a run ends it; other languages are left alone.
        assert_eq!(joined("tại, nhà"), ["tại,", "nhà"]);
        assert_eq!(joined("Earn 500 a day"), ["Earn", "500", "a day"]);
    }

    #[test]
    fn long_records_are_cut_into_runs_within_the_budget() {
        let text = (0..200).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
        let record = Record::from_text(text.clone()).with(Field::Title, "a b");
        let units = units(&record, usize::MAX, 64, &RenderConfig::default());
        assert!(units.len() <= 64, "{} units", units.len());
        let text_units: Vec<&Unit> = units.iter().filter(|u| u.field == Field::Text).collect();
        assert_eq!(&text[text_units[0].start..text_units[0].end], "w0 w1 w2 w3");
        assert!(text_units.last().unwrap().end == text.len());
    }
}
