//! Lure typologies by example: short texts of known lure scripts (task scams, scam-compound recruitment,
//! fee-charging agents, …) and of their benign look-alikes (hotel jobs with staff housing, bank SMS, betting spam),
//! compared with a record in the model's own embedding space.
//!
//! An exemplar is one JSON line, `{"typology", "lang", "text", "label": "lure" | "benign"}` with an optional
//! `note` and `source`. A model folder may hold `exemplars.jsonl`; `lurescan score --exemplars FILE` and
//! [`crate::Classifier::with_exemplars`] add more without retraining.
//!
//! The classifier embeds every exemplar once, when it is loaded, and each record in the same forward pass that
//! computes its logits ([`crate::BertForSequenceClassification::forward_with_embeddings`]: the last layer's
//! hidden states, mean-pooled over the tokens and scaled to unit length, so a dot product is a cosine). From the
//! cosines of a record to every exemplar come:
//!
//! - **evidence** ([`ExemplarEvidence`]): the nearest lure exemplar (`nearest_typology`: its typology, cosine,
//!   text and language) and the nearest benign one, which `--explain` shows;
//! - **the exemplar margin**: the mean cosine of the `k` nearest lure exemplars minus that of the `k` nearest
//!   benign ones (k = 3 unless `lurescan.json` says otherwise). Models trained with exemplars also store what all
//!   embeddings share ([`CommonDirections`]: the training texts' mean embedding and strongest directions), and the
//!   cosines are taken with it removed. When the model was trained with exemplars
//!   (`lurescan train --exemplars FILE`), `lurescan.json`'s `"ensemble"` has an `"exemplar"` weight fitted on
//!   validation data together with the BERT and lexical weights, and the margin moves the score:
//!   `log-odds = bert · bert_margin / T + lexical · lexical_margin + exemplar · exemplar_margin + bias`.
//!   Without that weight exemplars are evidence only and the score is exactly what it was.
//!
//! Exemplars added later count in the margin at once: three exemplars of a new scam script raise the margin of
//! its paraphrases, and so their score, when the model has an exemplar weight.
//!
//! ```
//! use lurescan::exemplars::{ExemplarLabel, ExemplarSet};
//!
//! let jsonl = r#"{"typology": "task_scam", "lang": "en", "text": "Earn 300 a day liking videos, top up to unlock tasks", "label": "lure"}
//! {"typology": "shift_reminder", "lang": "en", "text": "Reminder: your shift starts at 7 am tomorrow", "label": "benign"}"#;
//! let set = ExemplarSet::from_jsonl(jsonl, "mine.jsonl")?;
//! assert_eq!(set.len(), 2);
//! assert_eq!(set.iter().filter(|e| e.label == ExemplarLabel::Lure).count(), 1);
//! // Errors name the file and the line.
//! let broken = ExemplarSet::from_jsonl("{\"typology\": \"x\", \"text\": \"y\", \"label\": \"maybe\"}", "mine.jsonl");
//! assert!(broken.unwrap_err().to_string().starts_with("mine.jsonl, line 1:"));
//! # Ok::<(), lurescan::Error>(())
//! ```

use crate::classifier::Label;
use crate::config::Settings;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

// Defined beside `Settings` (config.rs imports nothing from this module); re-exported here, where they are used.
pub use crate::config::{CommonDirections, ExemplarSettings, DEFAULT_K};

/// Whether an exemplar shows a lure or a benign look-alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExemplarLabel {
    Lure,
    Benign,
}

/// One exemplar, one line of an exemplars file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exemplar {
    /// The lure typology (`task_scam`, `compound_recruitment`, …) or, for a benign exemplar, what it is
    /// (`hotel_staff_housing`, `bank_sms`, …).
    pub typology: String,
    /// Language code of the text (`en`, `tl`, `vi`, `th`, `zh`, …); free text, shown as evidence.
    #[serde(default)]
    pub lang: String,
    /// The text, as a message or a short posting.
    pub text: String,
    pub label: ExemplarLabel,
    /// Anything worth knowing about the exemplar (what it imitates, which warning it follows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where the text comes from (written for the project, an advisory, a user report).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// An ordered list of exemplars, read from JSON Lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExemplarSet {
    exemplars: Vec<Exemplar>,
}

const LINE_SHAPE: &str =
    "each line is one JSON object: {\"typology\": \"task_scam\", \"lang\": \"en\", \"text\": \"...\", \
                          \"label\": \"lure\" or \"benign\"} (optional: \"note\", \"source\")";

impl ExemplarSet {
    /// Reads an exemplars file (JSON Lines; blank lines skipped).
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|error| Error::Io { path: path.to_path_buf(), error })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()].iter().filter(|&&b| b == b'\n').count();
            Error::Exemplars {
                path: path.to_path_buf(),
                line,
                message: "not valid UTF-8: save the file as UTF-8".into(),
            }
        })?;
        Self::from_jsonl(&text, path)
    }

    /// Parses JSON Lines; `origin` names the file in errors.
    pub fn from_jsonl(text: &str, origin: impl AsRef<Path>) -> Result<Self> {
        let origin = origin.as_ref();
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut exemplars = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let fail = |message: String| Error::Exemplars { path: origin.to_path_buf(), line: i + 1, message };
            let exemplar: Exemplar = serde_json::from_str(line)
                .map_err(|e| fail(format!("{}; {LINE_SHAPE}", crate::input::json_error_message(&e))))?;
            if exemplar.text.trim().is_empty() {
                return Err(fail("\"text\" is empty: an exemplar needs the text of a lure or look-alike".into()));
            }
            if exemplar.typology.trim().is_empty() {
                return Err(fail("\"typology\" is empty: name the scam script (e.g. \"task_scam\")".into()));
            }
            exemplars.push(exemplar);
        }
        Ok(ExemplarSet { exemplars })
    }

    pub fn from_exemplars(exemplars: Vec<Exemplar>) -> Self {
        ExemplarSet { exemplars }
    }

    /// This set followed by `other`'s exemplars.
    pub fn extend(&mut self, other: ExemplarSet) {
        self.exemplars.extend(other.exemplars);
    }

    pub fn len(&self) -> usize {
        self.exemplars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.exemplars.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Exemplar> {
        self.exemplars.iter()
    }

    pub fn get(&self, i: usize) -> Option<&Exemplar> {
        self.exemplars.get(i)
    }

    /// How many exemplars carry `label`.
    pub fn count(&self, label: ExemplarLabel) -> usize {
        self.exemplars.iter().filter(|e| e.label == label).count()
    }

    /// The set as JSON Lines, one exemplar a line (what a trained model folder's `exemplars.jsonl` holds).
    pub fn to_jsonl(&self) -> String {
        let mut out = String::new();
        for exemplar in &self.exemplars {
            out.push_str(&serde_json::to_string(exemplar).expect("an exemplar serializes"));
            out.push('\n');
        }
        out
    }
}

/// One exemplar near a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Nearest {
    pub typology: String,
    /// Cosine similarity of the record's embedding and the exemplar's, −1 to 1 (with the model's common directions
    /// removed from both, when `lurescan.json` has them).
    pub similarity: f32,
    /// The exemplar's text.
    pub exemplar: String,
    pub lang: String,
}

/// What the exemplars say about one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExemplarEvidence {
    /// The nearest lure exemplar; `None` when there are no lure exemplars.
    pub nearest_typology: Option<Nearest>,
    /// The nearest benign exemplar; `None` when there are no benign exemplars.
    pub nearest_benign: Option<Nearest>,
    /// Mean cosine of the `k` nearest lure exemplars minus that of the `k` nearest benign ones; `None` unless
    /// there are exemplars of both labels.
    pub margin: Option<f32>,
}

impl ExemplarEvidence {
    /// The nearest lure exemplar, named as the record's typology only for a record labelled `label` lure or nearer
    /// the lure exemplars than the benign ones (margin above 0, or no benign exemplars to compare with). Every text
    /// has a nearest lure exemplar; for an ordinary record nearer the benign look-alikes, naming it would read as a
    /// typology it does not have.
    pub fn typology_for(self, label: Option<Label>) -> Option<Nearest> {
        let resembles = label == Some(Label::Lure) || self.margin.is_none_or(|margin| margin > 0.0);
        self.nearest_typology.filter(|_| resembles)
    }
}

/// Exemplars with their embeddings (unit length, as the classifier computes them), ready to compare.
#[derive(Debug, Clone)]
pub struct ExemplarIndex {
    set: ExemplarSet,
    /// Row-major `[set.len(), dim]`, as the encoder gives them (what the cache holds).
    embeddings: Vec<f32>,
    /// The rows the cosines are taken with: `embeddings` projected by `common`, or the same rows without it.
    compared: Vec<f32>,
    common: Option<CommonDirections>,
    dim: usize,
    k: usize,
}

impl ExemplarIndex {
    /// `embeddings` holds one unit-length row of `dim` floats per exemplar, in the set's order.
    pub fn new(set: ExemplarSet, embeddings: Vec<f32>, dim: usize, k: usize) -> Result<Self> {
        if embeddings.len() != set.len() * dim {
            return Err(Error::Other(format!(
                "{} exemplar embeddings of dimension {dim} need {} floats, got {}",
                set.len(),
                set.len() * dim,
                embeddings.len()
            )));
        }
        let compared = embeddings.clone();
        Ok(ExemplarIndex { set, embeddings, compared, common: None, dim, k: k.max(1) })
    }

    /// This index comparing records and exemplars with `common` removed from both ([`CommonDirections`]); `None`
    /// compares the embeddings as they are.
    pub fn with_common(mut self, common: Option<CommonDirections>) -> Result<Self> {
        if let Some(c) = &common {
            c.check(self.dim).map_err(Error::Other)?;
        }
        self.common = common;
        self.compared = self.project_rows(&self.embeddings);
        Ok(self)
    }

    fn project_rows(&self, rows: &[f32]) -> Vec<f32> {
        match &self.common {
            Some(c) => rows.chunks_exact(self.dim).flat_map(|row| c.project(row)).collect(),
            None => rows.to_vec(),
        }
    }

    pub fn set(&self) -> &ExemplarSet {
        &self.set
    }

    /// The embedding of exemplar `i`.
    pub fn embedding(&self, i: usize) -> &[f32] {
        &self.embeddings[i * self.dim..(i + 1) * self.dim]
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Nearest exemplars of each label averaged in the margin.
    pub fn k(&self) -> usize {
        self.k
    }

    /// This index followed by `other`'s exemplars (embedded by the same model).
    pub fn extend(&mut self, other: ExemplarIndex) -> Result<()> {
        if other.dim != self.dim && !other.set.is_empty() {
            return Err(Error::Other(format!("exemplar embeddings of dimension {} and {} mix", self.dim, other.dim)));
        }
        let compared = self.project_rows(&other.embeddings);
        self.set.extend(other.set);
        self.embeddings.extend(other.embeddings);
        self.compared.extend(compared);
        Ok(())
    }

    /// Cosines of `embedding` (unit length) to every exemplar, in the set's order, after the common directions are
    /// removed from it as they were from the exemplars.
    fn similarities(&self, embedding: &[f32]) -> Vec<f32> {
        let projected;
        let query = match &self.common {
            Some(c) => {
                projected = c.project(embedding);
                projected.as_slice()
            }
            None => embedding,
        };
        self.compared.chunks_exact(self.dim).map(|row| dot(row, query)).collect()
    }

    /// The exemplar margin of a record's embedding (see the module docs); `None` unless both labels have
    /// exemplars.
    pub fn margin(&self, embedding: &[f32]) -> Option<f32> {
        self.evidence(embedding).margin
    }

    /// Nearest lure and benign exemplars and the margin of a record's embedding.
    pub fn evidence(&self, embedding: &[f32]) -> ExemplarEvidence {
        let sims = self.similarities(embedding);
        let side = |label: ExemplarLabel| -> (Option<Nearest>, Option<f32>) {
            let mut scored: Vec<(usize, f32)> = sims
                .iter()
                .enumerate()
                .filter(|&(i, _)| self.set.exemplars[i].label == label)
                .map(|(i, &s)| (i, s))
                .collect();
            if scored.is_empty() {
                return (None, None);
            }
            // Ties go to the earlier exemplar, so the evidence does not depend on the selection's internals. Only
            // the k nearest are sorted (a record meets hundreds of exemplars; a full sort was 1.4% of scoring).
            let order = |a: &(usize, f32), b: &(usize, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
            let k = self.k.min(scored.len());
            let first = k.max(1);
            if first < scored.len() {
                scored.select_nth_unstable_by(first - 1, order);
            }
            scored[..first].sort_by(order);
            let top = &scored[..k];
            let mean = top.iter().map(|&(_, s)| s).sum::<f32>() / top.len() as f32;
            let (i, similarity) = scored[0];
            let e = &self.set.exemplars[i];
            let nearest =
                Nearest { typology: e.typology.clone(), similarity, exemplar: e.text.clone(), lang: e.lang.clone() };
            (Some(nearest), Some(mean))
        };
        let (nearest_typology, lure) = side(ExemplarLabel::Lure);
        let (nearest_benign, benign) = side(ExemplarLabel::Benign);
        let margin = lure.zip(benign).map(|(l, b)| l - b);
        ExemplarEvidence { nearest_typology, nearest_benign, margin }
    }
}

/// The dot product of two vectors of one length, summed in 16 lanes and then across them (the compiler
/// vectorises this; a single running sum, one add after another, it cannot).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    const LANES: usize = 16;
    let mut lanes = [0f32; LANES];
    let split = a.len().min(b.len()) / LANES * LANES;
    for (x, y) in a[..split].chunks_exact(LANES).zip(b[..split].chunks_exact(LANES)) {
        for i in 0..LANES {
            lanes[i] += x[i] * y[i];
        }
    }
    let rest: f32 = a[split..].iter().zip(&b[split..]).map(|(x, y)| x * y).sum();
    lanes.iter().sum::<f32>() + rest
}

/// A fingerprint of everything the exemplars' embeddings depend on: the weights, `config.json` and
/// `tokenizer.json` bytes, the rendering and maximum length, and the exemplar texts in order (128 bits of a fast
/// multiply-rotate hash: it detects changes, it is not a defence against forgery).
pub fn cache_key(
    weights: &[u8],
    config_json: &[u8],
    tokenizer_json: &[u8],
    settings: &Settings,
    set: &ExemplarSet,
) -> [u8; 16] {
    let mut h = Fingerprint::new();
    h.write(weights);
    h.finish_with(config_json, tokenizer_json, settings, set)
}

/// [`cache_key`] with the weights read from `weights` in pieces: the same key, without holding a copy of the file
/// in memory (a model's weights are most of its size).
pub fn cache_key_of_file(
    weights: &Path,
    config_json: &[u8],
    tokenizer_json: &[u8],
    settings: &Settings,
    set: &ExemplarSet,
) -> std::io::Result<[u8; 16]> {
    let file = std::fs::File::open(weights)?;
    let len = file.metadata()?.len();
    let mut h = Fingerprint::new();
    h.write_from(len, file)?;
    Ok(h.finish_with(config_json, tokenizer_json, settings, set))
}

/// Two 64-bit lanes, one word (8 bytes) at a time: xor, multiply by an odd constant, rotate. Each step is a
/// bijection of the state for a given word, so a changed word always changes the state.
struct Fingerprint {
    a: u64,
    b: u64,
}

impl Fingerprint {
    fn new() -> Self {
        Fingerprint { a: 0x243F_6A88_85A3_08D3, b: 0x1319_8A2E_0370_7344 }
    }

    fn word(&mut self, w: u64) {
        self.a = (self.a ^ w).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(27);
        self.b = (self.b ^ w ^ self.a).wrapping_mul(0xC2B2_AE3D_27D4_EB4F).rotate_left(31);
    }

    /// The length first, so that parts cannot shift into each other.
    fn write(&mut self, bytes: &[u8]) {
        self.word(bytes.len() as u64);
        self.words(bytes);
    }

    /// [`Fingerprint::write`] of the `len` bytes that `reader` gives, read a piece at a time.
    fn write_from(&mut self, len: u64, mut reader: impl std::io::Read) -> std::io::Result<()> {
        self.word(len);
        // A multiple of 8, so that only the last piece can end inside a word.
        let mut piece = vec![0u8; 1 << 20];
        let mut left = len;
        while left > 0 {
            let n = left.min(piece.len() as u64) as usize;
            reader.read_exact(&mut piece[..n])?;
            self.words(&piece[..n]);
            left -= n as u64;
        }
        Ok(())
    }

    /// The bytes as little-endian words, the last one padded with zeros.
    fn words(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.word(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.word(u64::from_le_bytes(last));
        }
    }

    /// The rest of [`cache_key`]'s inputs after the weights, then the key.
    fn finish_with(
        mut self,
        config_json: &[u8],
        tokenizer_json: &[u8],
        settings: &Settings,
        set: &ExemplarSet,
    ) -> [u8; 16] {
        self.write(config_json);
        self.write(tokenizer_json);
        self.write(&serde_json::to_vec(&(&settings.render, settings.max_length)).expect("settings serialize"));
        for exemplar in set.iter() {
            self.write(exemplar.text.as_bytes());
        }
        self.finish()
    }

    fn finish(mut self) -> [u8; 16] {
        self.word(0x5EED);
        let mut out = [0u8; 16];
        out[..8].copy_from_slice(&self.a.to_le_bytes());
        out[8..].copy_from_slice(&self.b.to_le_bytes());
        out
    }
}

impl ExemplarIndex {
    /// Writes the embeddings and `key` as [`crate::ModelFolder::EXEMPLAR_CACHE`] content to `path`.
    pub fn save_cache(&self, path: &Path, key: [u8; 16]) -> Result<()> {
        let device = candle_core::Device::Cpu;
        let embeddings = candle_core::Tensor::from_slice(&self.embeddings, (self.set.len(), self.dim), &device)?;
        let key = candle_core::Tensor::from_slice(&key, 16, &device)?;
        let tensors = std::collections::HashMap::from([("embeddings", embeddings), ("key", key)]);
        Ok(candle_core::safetensors::save(&tensors, path)?)
    }

    /// The index from a cache's bytes, when they are readable, their key is `key`, their shape fits `set` and `dim`
    /// and every value is finite; otherwise `None` (the caller embeds the exemplars).
    pub fn from_cache(bytes: &[u8], key: [u8; 16], set: ExemplarSet, dim: usize, k: usize) -> Option<Self> {
        let tensors = candle_core::safetensors::load_buffer(bytes, &candle_core::Device::Cpu).ok()?;
        let stored: Vec<u8> = tensors.get("key")?.to_vec1().ok()?;
        if stored != key {
            return None;
        }
        let embeddings = tensors.get("embeddings")?;
        if embeddings.dims() != [set.len(), dim] {
            return None;
        }
        let embeddings: Vec<f32> = embeddings.flatten_all().ok()?.to_vec1().ok()?;
        // As for model weights, a NaN or infinity is refused: embedding the exemplars again gives finite values.
        if !embeddings.iter().all(|v| v.is_finite()) {
            return None;
        }
        ExemplarIndex::new(set, embeddings, dim, k).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exemplar(typology: &str, label: ExemplarLabel) -> Exemplar {
        Exemplar {
            typology: typology.into(),
            lang: "en".into(),
            text: format!("{typology} text"),
            label,
            note: None,
            source: None,
        }
    }

    fn unit(v: &[f32]) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / n).collect()
    }

    #[test]
    fn the_key_of_a_file_read_in_pieces_is_the_key_of_its_bytes() {
        let set = ExemplarSet::from_exemplars(vec![exemplar("task_scam", ExemplarLabel::Lure)]);
        let settings = Settings::default();
        let dir = std::env::temp_dir().join(format!("lurescan-key-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        // Empty, inside one word, one piece exactly, and a piece and a bit that ends inside a word.
        for len in [0usize, 5, 1 << 20, (1 << 20) + 13] {
            let weights: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            let path = dir.join("model.safetensors");
            std::fs::write(&path, &weights).expect("write");
            let from_file = cache_key_of_file(&path, b"{}", b"tok", &settings, &set).expect("read");
            assert_eq!(from_file, cache_key(&weights, b"{}", b"tok", &settings, &set), "{len} bytes");
        }
        let changed = cache_key(&[1, 2, 3], b"{}", b"tok", &settings, &set);
        assert_ne!(changed, cache_key(&[1, 2, 4], b"{}", b"tok", &settings, &set));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn margin_is_mean_top_k_lure_minus_mean_top_k_benign() {
        use ExemplarLabel::*;
        let set = ExemplarSet::from_exemplars(vec![
            exemplar("a", Lure),
            exemplar("b", Lure),
            exemplar("c", Lure),
            exemplar("x", Benign),
            exemplar("y", Benign),
        ]);
        // Exemplars along axes; the record is (0.8, 0.6, 0, 0, 0): cosines 0.8, 0.6, 0 to the lures, 0, 0 to the
        // benign ones.
        let mut embeddings = vec![0f32; 25];
        for i in 0..5 {
            embeddings[i * 5 + i] = 1.0;
        }
        let index = ExemplarIndex::new(set, embeddings, 5, 2).unwrap();
        let evidence = index.evidence(&[0.8, 0.6, 0.0, 0.0, 0.0]);
        let nearest = evidence.nearest_typology.unwrap();
        assert_eq!((nearest.typology.as_str(), nearest.similarity), ("a", 0.8));
        assert_eq!(evidence.nearest_benign.unwrap().typology, "x", "ties go to the earlier exemplar");
        // (0.8 + 0.6) / 2 − (0 + 0) / 2, exact in f32 to within rounding of one addition.
        assert!((evidence.margin.unwrap() - 0.7).abs() < 1e-6);
        let toward_benign = unit(&[0.1, 0.0, 0.0, 1.0, 1.0]);
        assert!(index.margin(&toward_benign).unwrap() < 0.0);
    }

    /// The selection of the k nearest against sorting every exemplar, on 40 exemplars of 20 dimensions (16 lanes and
    /// a remainder) where every third one repeats an earlier embedding (ties, which go to the earlier exemplar), for
    /// k from 1 to more than there are.
    #[test]
    fn the_k_nearest_are_those_a_full_sort_finds() {
        let mut rng = crate::SeededRng::new(11);
        let (n, dim) = (40, 20);
        let labels: Vec<ExemplarLabel> =
            (0..n).map(|i| if i % 5 < 3 { ExemplarLabel::Lure } else { ExemplarLabel::Benign }).collect();
        let mut embeddings: Vec<f32> = Vec::with_capacity(n * dim);
        for i in 0..n {
            let row = match i % 3 {
                2 => embeddings[(i - 2) * dim..(i - 1) * dim].to_vec(),
                _ => unit(&(0..dim).map(|_| rng.normal()).collect::<Vec<f32>>()),
            };
            embeddings.extend(row);
        }
        let exemplars = || (0..n).map(|i| exemplar(&format!("t{i}"), labels[i])).collect::<Vec<_>>();
        for k in [1, 3, 7, 100] {
            let index =
                ExemplarIndex::new(ExemplarSet::from_exemplars(exemplars()), embeddings.clone(), dim, k).unwrap();
            for _ in 0..20 {
                let query = unit(&(0..dim).map(|_| rng.normal()).collect::<Vec<f32>>());
                let sims = index.similarities(&query);
                for (s, e) in sims.iter().zip(embeddings.chunks(dim)) {
                    let plain: f32 = e.iter().zip(&query).map(|(a, b)| a * b).sum();
                    assert!((s - plain).abs() < 1e-6, "cosine {s} against {plain} summed one by one");
                }
                let side = |label: ExemplarLabel| {
                    let mut all: Vec<(usize, f32)> =
                        (0..n).filter(|&i| labels[i] == label).map(|i| (i, sims[i])).collect();
                    all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                    let top = &all[..k.min(all.len())];
                    (format!("t{}", all[0].0), top.iter().map(|t| t.1).sum::<f32>() / top.len() as f32)
                };
                let ((lure, lure_mean), (benign, benign_mean)) =
                    (side(ExemplarLabel::Lure), side(ExemplarLabel::Benign));
                let evidence = index.evidence(&query);
                assert_eq!(evidence.nearest_typology.unwrap().typology, lure, "k {k}");
                assert_eq!(evidence.nearest_benign.unwrap().typology, benign, "k {k}");
                let margin = evidence.margin.unwrap();
                assert!((margin - (lure_mean - benign_mean)).abs() < 1e-5, "k {k}: {margin}");
            }
        }
    }

    #[test]
    fn one_label_only_gives_evidence_but_no_margin() {
        let set = ExemplarSet::from_exemplars(vec![exemplar("a", ExemplarLabel::Lure)]);
        let index = ExemplarIndex::new(set, vec![1.0, 0.0], 2, 3).unwrap();
        let evidence = index.evidence(&[1.0, 0.0]);
        assert!(evidence.nearest_typology.is_some() && evidence.nearest_benign.is_none());
        assert_eq!(evidence.margin, None);
    }

    #[test]
    fn bad_lines_name_the_file_and_line() {
        let text = "{\"typology\":\"a\",\"lang\":\"en\",\"text\":\"t\",\"label\":\"lure\"}\n\n{\"typology\":\"a\",\"text\":\"t\",\"lable\":\"lure\"}\n";
        let err = ExemplarSet::from_jsonl(text, "my.jsonl").unwrap_err().to_string();
        assert!(err.starts_with("my.jsonl, line 3: unknown field `lable`"), "{err}");
        // serde's own "at line 1" (the line is parsed alone) would contradict the file's line: a column only.
        assert!(!err.contains("at line 1") && err.contains("at column"), "{err}");
        let err = ExemplarSet::from_jsonl("{\"typology\":\"a\",\"text\":\" \",\"label\":\"benign\"}", "f").unwrap_err();
        assert!(err.to_string().contains("line 1: \"text\" is empty"), "{err}");
        let err = ExemplarSet::from_jsonl("not json", "f").unwrap_err().to_string();
        assert!(err.contains("each line is one JSON object"), "{err}");
    }

    #[test]
    fn jsonl_round_trips() {
        let mut e = exemplar("task_scam", ExemplarLabel::Lure);
        e.note = Some("a note".into());
        let set = ExemplarSet::from_exemplars(vec![e, exemplar("bank_sms", ExemplarLabel::Benign)]);
        assert_eq!(ExemplarSet::from_jsonl(&set.to_jsonl(), "x").unwrap(), set);
    }

    #[test]
    fn common_directions_are_removed_from_records_and_exemplars_alike() {
        use ExemplarLabel::*;
        // Every embedding shares a large third component, as sentence embeddings share a direction; the raw cosines
        // are then close for any pair, and the margin of a record near the lure exemplar is small.
        let lure = unit(&[1.0, 0.0, 2.0]);
        let benign = unit(&[0.0, 1.0, 2.0]);
        let set = || ExemplarSet::from_exemplars(vec![exemplar("a", Lure), exemplar("x", Benign)]);
        let raw = ExemplarIndex::new(set(), [lure.clone(), benign.clone()].concat(), 3, 1).unwrap();
        let record = unit(&[0.3, 0.0, 2.0]);
        let raw_margin = raw.margin(&record).unwrap();
        assert!(raw_margin > 0.0 && raw_margin < 0.2, "{raw_margin}");

        // Without the shared direction the record lies along the lure exemplar and across the benign one.
        let common = CommonDirections { mean: vec![0.0, 0.0, 0.0], directions: vec![vec![0.0, 0.0, 1.0]] };
        let index = raw.clone().with_common(Some(common.clone())).unwrap();
        assert!((index.margin(&record).unwrap() - 1.0).abs() < 1e-6);
        assert_eq!(index.embedding(0), lure.as_slice(), "the stored embeddings (what the cache holds) stay raw");
        // Removing only the mean (of the two exemplars) already widens it: 0.83 against 0.07.
        let mean: Vec<f32> = lure.iter().zip(&benign).map(|(a, b)| (a + b) / 2.0).collect();
        let centred = raw.clone().with_common(Some(CommonDirections { mean, directions: vec![] })).unwrap();
        assert!((centred.margin(&record).unwrap() - 0.826).abs() < 0.01, "{}", centred.margin(&record).unwrap());

        // Exemplars added later are compared the same way as the ones there at the start.
        let mut grown = ExemplarIndex::new(ExemplarSet::from_exemplars(vec![exemplar("a", Lure)]), lure.clone(), 3, 1)
            .unwrap()
            .with_common(Some(common.clone()))
            .unwrap();
        grown
            .extend(ExemplarIndex::new(ExemplarSet::from_exemplars(vec![exemplar("x", Benign)]), benign, 3, 1).unwrap())
            .unwrap();
        assert_eq!(grown.evidence(&record), index.evidence(&record));

        // Directions of another width are refused, naming what is wrong.
        let wide = CommonDirections { mean: vec![0.0; 4], directions: vec![] };
        let err = raw.with_common(Some(wide)).unwrap_err().to_string();
        assert!(err.contains("vector of 4 values, but the model's embeddings have 3"), "{err}");
    }
}
