//! The lexical ensemble member: a hashed n-gram linear model that reads every word of a record (the BERT sees only
//! its first `max_length` tokens), stored as `lexical.safetensors` beside the BERT in a model folder.
//!
//! Features ([`features`]), fixed so that training and scoring agree byte for byte on every platform. Three blocks:
//! - **words**: the record rendered with the folder's [`RenderConfig`] but without the per-field character cap (the
//!   whole text of every field; field markers stay if the folder uses them), lowercased; word unigrams and bigrams,
//!   a word being a maximal run of alphanumeric characters (any script);
//! - **characters**: character 3–5-grams inside each whitespace-separated word of that text, padded with one space
//!   on each side (`char_wb`);
//! - **field words**: each word unigram again, tied to the field it is in (a word in a company profile is not the
//!   same evidence as the same word in a title).
//!
//! From version 3, a contact point (a link, an e-mail address, a phone number, a messenger id or `@handle`: what
//! [`crate::contacts`] finds) is not read as text: its span is blanked before the three blocks are made, and its kind
//! (`telegram`, `url`, …) is one more feature of the words block (kind prefix `k`). The characters of a handle, a
//! number or a short link name one sender, not an offer: learnt as n-grams they tied a source's links (Telegram
//! groups in Chinese chat spam) to its label, and a new source's links to nothing. Version 2 files are still read and
//! score as they always did.
//!
//! From version 4, every digit (of any script: `3`, `๓`, `៣`, `၃`) is read as `0` in all three blocks, after the
//! contact points are found: "3,000", "8,000" and "5,000" are one n-gram, `0,000`, whose weight is learnt from every
//! sum of that shape in the training data. Learnt one by one, the few sums that synthetic lures quote made a bare
//! "3,000" a lure; the shape of a number (how many digits, a comma, `k`) is what carries across currencies and
//! countries. Also from version 4, a run of Chinese characters is read as its overlapping character pairs in the
//! words and field-words blocks: `高薪招聘` gives `高薪`, `薪招`, `招聘`, not one word that no other
//! text repeats. Version 3 files still score as they were trained.
//!
//! Each n-gram is hashed with FNV-1a 64 over a one-byte kind prefix (`w` unigram, `b` bigram, `c` char n-gram, `f`
//! field word, then for `f` one byte: the field's index in [`Field::ALL`]) followed by its UTF-8 bytes (a bigram's two
//! words joined by a space), and taken modulo [`BUCKETS`] (2^18). Value `(1 + ln tf) · idf[bucket]`; each block is
//! L2-normalised on its own (so that the long character block does not drown the others), then the blocks are summed.
//! Training sets the idf of rare and near-universal n-grams to 0, which removes them.
//!
//! The margin (logit) is `bias + Σ weight[i] · x[i]`.
//!
//! Files written before the field-word block (no `lexical.version` tensor) are refused with a message to retrain.

use crate::contacts::ContactKind;
use crate::error::{Error, Result};
use crate::record::{render, Field, Record, RenderConfig};
use candle_core::{Device, Tensor};
use std::collections::HashMap;
use std::path::Path;

/// Number of hash buckets (feature dimensions).
pub const BUCKETS: usize = 1 << 18;

/// The feature version this build trains, stored as `lexical.version` in the file.
pub const VERSION: u32 = 4;

/// The oldest feature version this build still reads (and scores as it was trained).
pub const OLDEST_VERSION: u32 = 2;

/// Number of feature blocks (words, characters, field words).
const BLOCKS: usize = 3;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv1a(kind: &[u8], parts: &[&[u8]]) -> u32 {
    let mut h = FNV_OFFSET;
    let mut eat = |b: u8| {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    };
    kind.iter().copied().for_each(&mut eat);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            eat(b' ');
        }
        part.iter().copied().for_each(&mut eat);
    }
    (h % BUCKETS as u64) as u32
}

/// `record` with the span of every contact point blanked, and the kinds of those contact points.
fn without_contacts(record: &Record) -> (Record, Vec<ContactKind>) {
    let contacts = crate::contacts::occurrences(record);
    let mut masked = record.clone();
    for (field, text) in record.fields() {
        let mut spans: Vec<(usize, usize)> =
            contacts.iter().filter(|c| c.field == field).map(|c| (c.start, c.end)).collect();
        if spans.is_empty() {
            continue;
        }
        spans.sort_unstable();
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (start, end) in spans {
            if start > at {
                out.push_str(&text[at..start]);
                out.push(' ');
            }
            at = at.max(end);
        }
        out.push_str(&text[at..]);
        masked.set(field, out);
    }
    (masked, contacts.into_iter().map(|c| c.kind).collect())
}

/// Hashed bucket of every n-gram occurrence of `record`, per block (unsorted, with repeats), as feature `version`
/// makes them.
fn buckets(record: &Record, render_config: &RenderConfig, version: u32) -> [Vec<u32>; BLOCKS] {
    // Read once (deobfuscated, Traditional as Simplified, when the config asks), for the rendered text and the
    // field-tied words alike.
    let record = render_config.prepared(record);
    let (record, contact_kinds) = match version {
        2 => (record.into_owned(), Vec::new()),
        _ => without_contacts(&record),
    };
    let config = RenderConfig {
        max_chars_per_field: usize::MAX,
        deobfuscate: false,
        fold_traditional: false,
        markup: false,
        ..render_config.clone()
    };
    let shape = |s: String| match version {
        2 | 3 => s,
        _ => digits_as_zero(s),
    };
    let text = shape(render(&record, &config).to_lowercase());
    let mut blocks: [Vec<u32>; BLOCKS] = Default::default();
    let [words_block, chars_block, fields_block] = &mut blocks;
    let words = words_of(&text, version);
    for (i, w) in words.iter().enumerate() {
        words_block.push(fnv1a(b"w", &[w.as_bytes()]));
        if i > 0 {
            words_block.push(fnv1a(b"b", &[words[i - 1].as_bytes(), w.as_bytes()]));
        }
    }
    words_block.extend(contact_kinds.iter().map(|kind| fnv1a(b"k", &[kind.name().as_bytes()])));
    let mut buf = String::new();
    for word in text.split_whitespace() {
        let chars: Vec<char> = std::iter::once(' ').chain(word.chars()).chain(std::iter::once(' ')).collect();
        for n in 3..=5 {
            for gram in chars.windows(n) {
                buf.clear();
                buf.extend(gram);
                chars_block.push(fnv1a(b"c", &[buf.as_bytes()]));
            }
        }
    }
    for (field, value) in record.fields() {
        let index = Field::ALL.iter().position(|&f| f == field).unwrap_or(Field::ALL.len()) as u8;
        for w in words_of(&shape(value.to_lowercase()), version) {
            fields_block.push(fnv1a(&[b'f', index], &[w.as_bytes()]));
        }
    }
    blocks
}

/// The words of `text`: maximal runs of alphanumeric characters. From version 4, a run of Chinese characters (or
/// Japanese kana) is read as its overlapping pairs of characters instead, `高薪招聘` as `高薪 薪招 招聘` (one character
/// alone stays itself): Chinese is written without spaces, so a run is a whole clause, and a clause is almost never
/// seen twice, while most Chinese words are two characters.
fn words_of(text: &str, version: u32) -> Vec<&str> {
    let runs = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty());
    if version < 4 {
        return runs.collect();
    }
    let mut words = Vec::new();
    for run in runs {
        let mut rest = run;
        while let Some(start) = rest.find(is_han) {
            words.extend(Some(&rest[..start]).filter(|w| !w.is_empty()));
            let han = &rest[start..];
            let end = han.find(|c: char| !is_han(c)).unwrap_or(han.len());
            let chars: Vec<(usize, char)> = han[..end].char_indices().collect();
            match chars.len() {
                1 => words.push(&han[..end]),
                n => words.extend((0..n - 1).map(|i| {
                    let to = chars.get(i + 2).map_or(end, |&(at, _)| at);
                    &han[chars[i].0..to]
                })),
            }
            rest = &han[end..];
        }
        words.extend(Some(rest).filter(|w| !w.is_empty()));
    }
    words
}

/// Chinese characters (CJK ideographs, extension A, compatibility ideographs) and Japanese kana.
fn is_han(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// `text` with every numeric character (any script) replaced by `0`.
fn digits_as_zero(text: String) -> String {
    match text.chars().any(|c| c.is_numeric() && c != '0') {
        true => text.chars().map(|c| if c.is_numeric() { '0' } else { c }).collect(),
        false => text,
    }
}

/// `(bucket, count)` sorted by bucket.
fn count(mut buckets: Vec<u32>) -> Vec<(u32, u32)> {
    buckets.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::new();
    for i in buckets {
        match out.last_mut() {
            Some((j, c)) if *j == i => *c += 1,
            _ => out.push((i, 1)),
        }
    }
    out
}

/// Sparse term frequencies of a record over all blocks: `(bucket, count)` sorted by bucket.
pub fn term_counts(record: &Record, render_config: &RenderConfig) -> Vec<(u32, u32)> {
    count(buckets(record, render_config, VERSION).concat())
}

/// The feature vector of a record (this build's [`VERSION`]), `(bucket, value)` sorted by bucket, given an idf
/// vector: each block L2-normalised, then summed.
pub fn features(record: &Record, render_config: &RenderConfig, idf: &[f32]) -> Vec<(u32, f32)> {
    features_of_version(VERSION, record, render_config, idf)
}

fn features_of_version(version: u32, record: &Record, render_config: &RenderConfig, idf: &[f32]) -> Vec<(u32, f32)> {
    let mut all: Vec<(u32, f32)> = Vec::new();
    for block in buckets(record, render_config, version) {
        let mut x: Vec<(u32, f32)> =
            count(block).into_iter().map(|(i, c)| (i, (1.0 + (c as f32).ln()) * idf[i as usize])).collect();
        let norm = x.iter().map(|&(_, v)| v * v).sum::<f32>().sqrt();
        if norm > 0.0 {
            x.iter_mut().for_each(|(_, v)| *v /= norm);
        }
        all.extend(x.into_iter().filter(|&(_, v)| v != 0.0));
    }
    all.sort_unstable_by_key(|&(i, _)| i);
    let mut out: Vec<(u32, f32)> = Vec::with_capacity(all.len());
    for (i, v) in all {
        match out.last_mut() {
            Some((j, w)) if *j == i => *w += v,
            _ => out.push((i, v)),
        }
    }
    out
}

/// A hashed n-gram logistic regression (see the module docs).
///
/// ```
/// use lurescan::lexical::{LexicalModel, BUCKETS};
/// use lurescan::{Record, RenderConfig};
///
/// let model = LexicalModel::new(vec![0.0; BUCKETS], vec![1.0; BUCKETS], 0.25)?;
/// let margin = model.margin(&Record::from_text("Earn 500 USD a day"), &RenderConfig::default());
/// assert_eq!(margin, 0.25);
/// # Ok::<(), lurescan::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LexicalModel {
    weight: Vec<f32>,
    idf: Vec<f32>,
    bias: f32,
    /// The feature version the weights were trained on.
    version: u32,
}

impl LexicalModel {
    /// A model from its weights; `weight` and `idf` must have [`BUCKETS`] entries.
    pub fn new(weight: Vec<f32>, idf: Vec<f32>, bias: f32) -> Result<Self> {
        if weight.len() != BUCKETS || idf.len() != BUCKETS {
            return Err(Error::Other(format!(
                "lexical model: weight and idf need {BUCKETS} entries, found {} and {}",
                weight.len(),
                idf.len()
            )));
        }
        Ok(LexicalModel { weight, idf, bias, version: VERSION })
    }

    pub fn weight(&self) -> &[f32] {
        &self.weight
    }

    pub fn idf(&self) -> &[f32] {
        &self.idf
    }

    pub fn bias(&self) -> f32 {
        self.bias
    }

    /// The feature version the weights were trained on ([`VERSION`] for a model made here).
    pub fn version(&self) -> u32 {
        self.version
    }

    /// Reads `lexical.safetensors`.
    pub fn load(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|error| Error::Io { path: path.to_path_buf(), error })?;
        Self::from_bytes(&bytes, path)
    }

    /// Reads the bytes of a `lexical.safetensors` file; `path` only names it in errors.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Self> {
        let invalid = |message: String| Error::InvalidModel { path: path.to_path_buf(), message };
        let tensors = candle_core::safetensors::load_buffer(bytes, &Device::Cpu)
            .map_err(|e| invalid(format!("not a readable safetensors file: {}", crate::error::candle_message(&e))))?;
        let get = |name: &str, len: usize| -> Result<Vec<f32>> {
            let t = tensors.get(name).ok_or_else(|| {
                invalid(format!("tensor {name} is missing (a lexical model holds lexical.weight, lexical.idf, lexical.bias, lexical.version)"))
            })?;
            if !t.dtype().is_float() {
                return Err(invalid(format!("tensor `{name}` has dtype {:?}, but it must be a float", t.dtype())));
            }
            let v = t.flatten_all()?.to_dtype(candle_core::DType::F32)?.to_vec1::<f32>()?;
            if let Some(i) = v.iter().position(|x| !x.is_finite()) {
                return Err(invalid(format!(
                    "tensor `{name}` holds a non-finite value (NaN or infinity) at element {i}: the lexical model is \
                     broken; retrain the model"
                )));
            }
            if v.len() != len {
                return Err(invalid(format!("tensor {name} has {} entries, expected {len}", v.len())));
            }
            Ok(v)
        };
        let version = match tensors.get("lexical.version") {
            Some(t) => t.flatten_all()?.to_dtype(candle_core::DType::U32)?.to_vec1::<u32>()?.first().copied(),
            None => None,
        };
        let version = match version {
            Some(v) if (OLDEST_VERSION..=VERSION).contains(&v) => v,
            _ => {
                let found =
                    version.map_or("an older version (no lexical.version)".to_string(), |v| format!("version {v}"));
                return Err(invalid(format!(
                    "its features are {found}, this lurescan computes versions {OLDEST_VERSION} to {VERSION}: retrain \
                     the folder with `lurescan train` (or delete lexical.safetensors and the \"ensemble\" entry of \
                     lurescan.json to score with the BERT alone)"
                )));
            }
        };
        let model = LexicalModel {
            weight: get("lexical.weight", BUCKETS)?,
            idf: get("lexical.idf", BUCKETS)?,
            bias: get("lexical.bias", 1)?[0],
            version,
        };
        Ok(model)
    }

    /// Writes `lexical.safetensors`.
    pub fn save(&self, path: &Path) -> Result<()> {
        let tensors: HashMap<String, Tensor> = [
            ("lexical.weight".to_string(), Tensor::from_slice(&self.weight, BUCKETS, &Device::Cpu)?),
            ("lexical.idf".to_string(), Tensor::from_slice(&self.idf, BUCKETS, &Device::Cpu)?),
            ("lexical.bias".to_string(), Tensor::from_slice(&[self.bias], 1, &Device::Cpu)?),
            ("lexical.version".to_string(), Tensor::from_slice(&[self.version], 1, &Device::Cpu)?),
        ]
        .into_iter()
        .collect();
        candle_core::safetensors::save(&tensors, path).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            error: std::io::Error::other(crate::error::candle_message(&e)),
        })
    }

    /// The margin of sparse features made by [`features`] with this model's idf.
    pub fn margin_of(&self, x: &[(u32, f32)]) -> f32 {
        self.bias + x.iter().map(|&(i, v)| self.weight[i as usize] * v).sum::<f32>()
    }

    /// The lexical logit of a record.
    pub fn margin(&self, record: &Record, render_config: &RenderConfig) -> f32 {
        self.margin_of(&self.features(record, render_config))
    }

    /// The feature vector of a record as this model reads it (its version, its idf).
    pub fn features(&self, record: &Record, render_config: &RenderConfig) -> Vec<(u32, f32)> {
        features_of_version(self.version, record, render_config, &self.idf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_of_chinese_characters_is_read_as_its_character_pairs_from_version_4() {
        assert_eq!(words_of("高薪招聘 客服", 4), ["高薪", "薪招", "招聘", "客服"]);
        assert_eq!(words_of("月薪0万，包吃住", 4), ["月薪", "0", "万", "包吃", "吃住"]);
        assert_eq!(words_of("加v详聊 tiktok点赞", 4), ["加", "v", "详聊", "tiktok", "点赞"]);
        assert_eq!(words_of("做任务", 4), ["做任", "任务"]);
        // Other scripts and version 3 keep whole runs.
        let thai = "งานออนไลน์ รายได้ดี";
        assert_eq!(words_of(thai, 4), words_of(thai, 3));
        assert_eq!(words_of("高薪招聘 客服", 3), ["高薪招聘", "客服"]);
    }

    #[test]
    fn fnv1a_matches_the_reference_values() {
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c (reference test vector); here the kind byte is the first byte.
        assert_eq!(fnv1a(b"a", &[]) as u64, 0xaf63_dc4c_8601_ec8c % BUCKETS as u64);
    }
}
