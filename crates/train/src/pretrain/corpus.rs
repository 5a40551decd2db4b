//! The unlabelled text of pre-training: records rendered as for classification, cut into windows of token ids,
//! and the seeded masking of each window.

use crate::data::fingerprint;
use crate::data::DataSource;
use crate::error::{Result, TrainError};
use lurescan::input::{Format, RowReader};
use lurescan::rng::SeededRng;
use lurescan::tokenizer::LureTokenizer;
use lurescan::{render, RenderConfig};
use rayon::prelude::*;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

/// The rendered text of every record of some files, and where it came from.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    pub texts: Vec<String>,
    pub sources: Vec<DataSource>,
}

impl Corpus {
    /// Reads every record of each `.jsonl` or `.csv` file (labels and other keys are ignored) and renders it with
    /// `render`. A row that cannot be read, or has no text, stops with an error naming the file and line unless
    /// `skip_bad`, which skips and counts it.
    pub fn load(paths: &[PathBuf], render_config: &RenderConfig, skip_bad: bool) -> Result<Self> {
        let mut corpus = Corpus::default();
        for path in paths {
            let (texts, skipped) = read_texts(path, render_config, skip_bad)?;
            corpus.sources.push(DataSource {
                role: "pretrain".into(),
                path: path.clone(),
                sha256: fingerprint(path)?,
                records: texts.len(),
                skipped_bad_rows: skipped,
                skipped_examples: Vec::new(),
            });
            corpus.texts.extend(texts);
        }
        Ok(corpus)
    }

    /// A corpus of texts already rendered (no sources recorded).
    pub fn from_texts(texts: Vec<String>) -> Self {
        Corpus { texts, sources: Vec::new() }
    }
}

fn read_texts(path: &Path, render_config: &RenderConfig, skip_bad: bool) -> Result<(Vec<String>, u64)> {
    let format = match Format::from_path(path) {
        Some(f @ (Format::Jsonl | Format::Csv)) => f,
        _ => return Err(TrainError::UnknownFormat { path: path.to_path_buf() }),
    };
    let file = File::open(path).map_err(|source| TrainError::Read { path: path.to_path_buf(), source })?;
    let (mut texts, mut skipped) = (Vec::new(), 0u64);
    for row in RowReader::new(BufReader::new(file), format).with_source_name(path.display().to_string()) {
        let row = row.map_err(|source| TrainError::Read { path: path.to_path_buf(), source })?;
        let record = row.record().and_then(|r| if r.is_empty() { Err(lurescan::RecordError::NoText) } else { Ok(r) });
        match record {
            Ok(record) => texts.push(render(&record, render_config)),
            Err(_) if skip_bad => skipped += 1,
            Err(e) => {
                return Err(TrainError::BadRow { path: path.to_path_buf(), line: row.line, message: e.to_string() })
            }
        }
    }
    if texts.is_empty() {
        return Err(TrainError::NoRecords { path: path.to_path_buf(), labelled: false, skipped });
    }
    Ok((texts, skipped))
}

/// Cuts each text's tokens into consecutive windows of at most `max_len` ids (`max_len − 2` text tokens between
/// the opening and closing tokens, `[CLS]`/`[SEP]` or `<s>`/`</s>`), so that no text is lost to truncation. Windows are in text order.
pub fn windows(tokenizer: &LureTokenizer, texts: &[String], max_len: usize) -> Result<Vec<Vec<u32>>> {
    let specials = tokenizer.special_tokens()?;
    let (cls, sep) = (specials.cls, specials.sep);
    let width = max_len.saturating_sub(2).max(1);
    let per_text: Vec<Vec<Vec<u32>>> = texts
        .par_iter()
        .map(|text| {
            Ok(tokenizer
                .encode_unframed(text)?
                .chunks(width)
                .map(|chunk| {
                    let mut window = Vec::with_capacity(chunk.len() + 2);
                    window.push(cls);
                    window.extend_from_slice(chunk);
                    window.push(sep);
                    window
                })
                .collect())
        })
        .collect::<Result<_>>()?;
    Ok(per_text.into_iter().flatten().collect())
}

/// One masked window: the model input, and the positions to restore with their original ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Masked {
    pub input: Vec<u32>,
    /// Positions in `input`, ascending.
    pub positions: Vec<u32>,
    /// The original id at each of `positions`.
    pub targets: Vec<u32>,
}

/// BERT's masking: each non-special token is chosen with probability `prob` (at least one per window that has
/// any); a chosen token becomes `[MASK]` 80% of the time, a random non-special token 10%, and stays 10%.
#[derive(Debug, Clone)]
pub struct Masker {
    /// Indexed by token id: special tokens (`[PAD]`, `[CLS]`, `[SEP]`, `[MASK]`, field markers, …) are never chosen.
    special: Vec<bool>,
    mask_id: u32,
    prob: f32,
}

impl Masker {
    /// The masker of a model with `vocab_size` embedding rows and this tokenizer (its special tokens are those
    /// the tokenizer marks special).
    pub fn new(tokenizer: &LureTokenizer, vocab_size: usize, prob: f64) -> Result<Self> {
        let mask_id = tokenizer.special_tokens()?.mask.ok_or_else(|| {
            TrainError::TokenizerUnfit(
                "the tokenizer has no mask token (`[MASK]` or `<mask>`) to pre-train with".into(),
            )
        })?;
        let mut special = vec![false; vocab_size];
        for (id, token) in tokenizer.added_tokens() {
            if token.special && (id as usize) < vocab_size {
                special[id as usize] = true;
            }
        }
        special[mask_id as usize] = true;
        if special.iter().all(|&s| s) {
            return Err(TrainError::TokenizerUnfit("the vocabulary has only special tokens".into()));
        }
        Ok(Masker { special, mask_id, prob: prob as f32 })
    }

    pub fn is_special(&self, id: u32) -> bool {
        self.special.get(id as usize).copied().unwrap_or(false)
    }

    /// Masks `ids`, drawing from `rng`.
    pub fn mask(&self, ids: &[u32], rng: &mut SeededRng) -> Masked {
        let candidates: Vec<usize> = (0..ids.len()).filter(|&i| !self.is_special(ids[i])).collect();
        let mut chosen: Vec<usize> = candidates.iter().copied().filter(|_| rng.uniform() < self.prob).collect();
        if chosen.is_empty() && !candidates.is_empty() {
            chosen.push(candidates[rng.below(candidates.len())]);
        }
        let mut input = ids.to_vec();
        for &i in &chosen {
            let r = rng.uniform();
            if r < 0.8 {
                input[i] = self.mask_id;
            } else if r < 0.9 {
                input[i] = loop {
                    let t = rng.below(self.special.len());
                    if !self.special[t] {
                        break t as u32;
                    }
                };
            }
        }
        Masked {
            input,
            positions: chosen.iter().map(|&i| i as u32).collect(),
            targets: chosen.iter().map(|&i| ids[i]).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenizer::train_tokenizer;

    #[test]
    fn masks_about_fifteen_percent_of_text_tokens_and_never_specials() {
        let texts = ["[TITLE] clerk [DESCRIPTION] earn money from home with easy online typing work today"; 4];
        let tokenizer = LureTokenizer::from_tokenizer(train_tokenizer(&texts, 300).unwrap());
        let vocab = tokenizer.vocab_size();
        let masker = Masker::new(&tokenizer, vocab, 0.15).unwrap();
        let ids = tokenizer.encode(texts[0], 64).unwrap();
        let mut rng = SeededRng::new(1);
        let (mut chosen, mut masked, mut total) = (0usize, 0usize, 0usize);
        for _ in 0..2000 {
            let m = masker.mask(&ids, &mut rng);
            assert!(!m.positions.is_empty());
            for (&p, &t) in m.positions.iter().zip(&m.targets) {
                assert!(!masker.is_special(t), "special token {t} chosen");
                assert_eq!(ids[p as usize], t);
                masked += usize::from(m.input[p as usize] == 4);
            }
            chosen += m.positions.len();
            total += ids.iter().filter(|&&t| !masker.is_special(t)).count();
        }
        let share = chosen as f64 / total as f64;
        assert!((0.14..0.17).contains(&share), "chosen share {share}");
        let mask_share = masked as f64 / chosen as f64;
        assert!((0.77..0.83).contains(&mask_share), "[MASK] share {mask_share}");
    }

    #[test]
    fn windows_cover_all_tokens() {
        let texts = vec!["one two three four five six seven eight nine ten eleven".to_string(), "a".to_string()];
        let tokenizer = LureTokenizer::from_tokenizer(train_tokenizer(&texts, 300).unwrap());
        let whole = tokenizer.encode_unframed(&texts[0]).unwrap();
        let w = windows(&tokenizer, &texts, 6).unwrap();
        assert_eq!(w.len(), whole.len().div_ceil(4) + 1);
        assert!(w.iter().all(|x| x.len() <= 6 && x[0] == 2 && *x.last().unwrap() == 3));
        let joined: Vec<u32> = w[..w.len() - 1].iter().flat_map(|x| x[1..x.len() - 1].to_vec()).collect();
        assert_eq!(joined, whole);
    }
}
