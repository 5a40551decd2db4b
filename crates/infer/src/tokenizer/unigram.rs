//! [`LeanUnigram`]: a SentencePiece Unigram model that gives the same tokens as the `tokenizers` crate's
//! (`tokenizers::models::unigram::Unigram`) in a few MB instead of about 60.
//!
//! The crate keeps a trie with a node per byte and a hash map of children in every node, beside a map from each
//! piece to its id and a `Vec<(String, f64)>`: for the 64,000 pieces of lurescan-base's XLM-R vocabulary, 59 MB
//! of resident memory. Here the trie is three flat arrays (breadth-first order puts a node's children side by side,
//! so a node needs only the index of its first child) and the pieces' text is one `String`: about 3 MB, and up to
//! about 1 MB more for the first 10,000 words it tokenizes, remembered as the crate remembers them.
//!
//! What must match the crate, and does (tests/tokenizer.rs compares both on the shipped vocabulary and on
//! hand-made ones): its Viterbi search (`Unigram::encode_optimized`), where an unknown character scores the lowest
//! piece score less 10 and is added only when no piece covers exactly that character; ties keep the first
//! candidate, in the order pieces are found (shorter before longer, earlier start first); consecutive unknown
//! tokens are fused into one; then each token's text is looked up again (for a piece listed twice the last id wins,
//! as in the crate's map), falling back to the `<0xNN>` byte pieces when `byte_fallback` is on, then to `unk_id`.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::RwLock;
use tokenizers::models::unigram::{UnigramError, UnigramTrainer};
use tokenizers::{Model, Token};

/// What an unknown character scores below the lowest piece (the crate's and SentencePiece's `kUnkPenalty`).
const UNK_PENALTY: f64 = 10.0;

/// Marks a trie node at which no piece ends.
const NO_PIECE: u32 = u32::MAX;

/// Words shorter than this many bytes are remembered once tokenized (the crate's `MAX_LENGTH`)…
const CACHE_WORD_BYTES: usize = 256;
/// …the first this many of them (the crate's `DEFAULT_CACHE_CAPACITY`; about 1 MB here).
const CACHE_WORDS: usize = 10_000;

/// A word's tokens, each (id, start, end) in the word; a token's text is its piece's (a byte piece `<0xNN>`
/// included), except for `unk_id`, whose text is the word's own bytes from start to end.
type WordTokens = Box<[(u32, u32, u32)]>;

/// The tokens of words already tokenized, as the crate's Unigram keeps them: text repeats words, and looking one
/// up is faster than searching again. A clone starts empty, as the crate's does.
#[derive(Default)]
struct Cache(RwLock<HashMap<Box<str>, WordTokens>>);

impl Clone for Cache {
    fn clone(&self) -> Self {
        Cache::default()
    }
}

/// A byte trie of the pieces in three flat arrays, nodes in breadth-first order; node 0 is the root.
#[derive(Clone, Default)]
struct Trie {
    /// The children of node `n` are the nodes `first_child[n]..first_child[n + 1]`, in ascending label order (one
    /// more entry than there are nodes).
    first_child: Vec<u32>,
    /// The byte on the edge into each node (0 for the root).
    label: Vec<u8>,
    /// The id of the piece that ends at each node, or [`NO_PIECE`].
    piece: Vec<u32>,
}

impl Trie {
    /// The trie of `pieces` (each piece's bytes, by id). A piece listed more than once ends at its node with its
    /// last id, as the crate's piece-to-id map keeps the last insert.
    fn build(pieces: &[&[u8]]) -> Trie {
        let mut sorted: Vec<u32> = (0..pieces.len() as u32).collect();
        // By bytes, then by id: a node's pieces end before its children's, the last id of equal pieces last.
        sorted.sort_unstable_by(|&a, &b| pieces[a as usize].cmp(pieces[b as usize]).then(a.cmp(&b)));
        let mut trie = Trie { first_child: Vec::new(), label: vec![0], piece: vec![NO_PIECE] };
        // The pieces below each node: `sorted[start..end]`, sharing the node's `depth` first bytes. Dropped once built.
        let mut below: Vec<(u32, u32)> = vec![(0, sorted.len() as u32)];
        let mut depth: Vec<u32> = vec![0];
        let mut node = 0;
        while node < below.len() {
            let (start, end) = below[node];
            let d = depth[node] as usize;
            let mut i = start as usize;
            while i < end as usize && pieces[sorted[i] as usize].len() == d {
                trie.piece[node] = sorted[i];
                i += 1;
            }
            trie.first_child.push(below.len() as u32);
            while i < end as usize {
                let byte = pieces[sorted[i] as usize][d];
                let mut j = i + 1;
                while j < end as usize && pieces[sorted[j] as usize][d] == byte {
                    j += 1;
                }
                trie.label.push(byte);
                trie.piece.push(NO_PIECE);
                below.push((i as u32, j as u32));
                depth.push(d as u32 + 1);
                i = j;
            }
            node += 1;
        }
        trie.first_child.push(below.len() as u32);
        trie
    }

    fn child(&self, node: u32, byte: u8) -> Option<u32> {
        let (first, end) = (self.first_child[node as usize], self.first_child[node as usize + 1]);
        let at = self.label[first as usize..end as usize].binary_search(&byte).ok()?;
        Some(first + at as u32)
    }

    /// The id of the piece spelled exactly `bytes`.
    fn find(&self, bytes: &[u8]) -> Option<u32> {
        let node = bytes.iter().try_fold(0, |node, &b| self.child(node, b))?;
        Some(self.piece[node as usize]).filter(|&p| p != NO_PIECE)
    }

    fn heap_bytes(&self) -> usize {
        self.first_child.capacity() * 4 + self.label.capacity() + self.piece.capacity() * 4
    }
}

/// A SentencePiece Unigram model, token for token the `tokenizers` crate's `Unigram` (see the module doc), held in
/// flat arrays. Read from the `model` object of a `tokenizer.json` (`{"type": "Unigram", "unk_id": …, "vocab":
/// [[piece, score], …], "byte_fallback": …}`) and written back in the same form.
#[derive(Clone)]
pub struct LeanUnigram {
    /// The pieces' text, one after another: piece `i` is `text[offsets[i]..offsets[i + 1]]`.
    text: String,
    offsets: Vec<u32>,
    scores: Vec<f64>,
    trie: Trie,
    /// What an unknown character scores: the lowest piece score less [`UNK_PENALTY`].
    unk_score: f64,
    unk_id: Option<u32>,
    byte_fallback: bool,
    cache: Cache,
}

impl std::fmt::Debug for LeanUnigram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LeanUnigram")
            .field("vocab", &self.scores.len())
            .field("unk_id", &self.unk_id)
            .field("byte_fallback", &self.byte_fallback)
            .finish()
    }
}

/// The best way found so far to tokenize the text up to a position: the last token's id and start.
#[derive(Debug, Clone, Copy)]
struct BestPath {
    id: u32,
    score: f64,
    /// Where the last token starts; `None` while no token ends here.
    start: Option<usize>,
}

impl LeanUnigram {
    /// The model of `vocab` (pieces and scores, by id), as `tokenizers::models::unigram::Unigram::from` makes it,
    /// with the same errors: `unk_id` must be in the vocabulary.
    pub fn from(vocab: Vec<(String, f64)>, unk_id: Option<usize>, byte_fallback: bool) -> tokenizers::Result<Self> {
        let mut pieces = Pieces::default();
        for (piece, score) in &vocab {
            pieces.push(piece, *score)?;
        }
        pieces.build(unk_id, byte_fallback)
    }

    /// Heap memory held, in bytes.
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.offsets.capacity() * 4 + self.scores.capacity() * 8 + self.trie.heap_bytes()
    }

    fn piece(&self, id: u32) -> &str {
        &self.text[self.offsets[id as usize] as usize..self.offsets[id as usize + 1] as usize]
    }

    /// The crate's `encode_optimized`: the best-scoring split of `sentence`, each token as its byte range and
    /// piece id; `None` for a run of unknown tokens fused into one, whose text is still to be looked up.
    fn best_split(&self, sentence: &str) -> tokenizers::Result<Vec<(usize, usize, Option<u32>)>> {
        let bytes = sentence.as_bytes();
        let mut best = vec![BestPath { id: 0, score: 0.0, start: None }; bytes.len() + 1];
        let offer = |best: &mut [BestPath], start: usize, end: usize, id: u32, score: f64| {
            let target = &mut best[end];
            // Strictly better only: on a tie the first candidate stays.
            if target.start.is_none() || score > target.score {
                *target = BestPath { id, score, start: Some(start) };
            }
        };
        for (start, c) in sentence.char_indices() {
            let here = best[start].score;
            let mut covers_char = false;
            let mut node = 0;
            for (end, &byte) in bytes.iter().enumerate().skip(start) {
                let Some(next) = self.trie.child(node, byte) else { break };
                node = next;
                let id = self.trie.piece[node as usize];
                if id != NO_PIECE {
                    offer(&mut best, start, end + 1, id, here + self.scores[id as usize]);
                    covers_char |= end + 1 - start == c.len_utf8();
                }
            }
            if !covers_char {
                let end = start + c.len_utf8();
                let score = here + self.unk_score;
                // As in the crate, a missing `unk_id` is an error only where an unknown token would be kept.
                if best[end].start.is_none() || score > best[end].score {
                    let unk = self.unk_id.ok_or(UnigramError::MissingUnkId)?;
                    offer(&mut best, start, end, unk, score);
                }
            }
        }
        let mut tokens = Vec::new();
        let mut unknown_end = None;
        let mut end = bytes.len();
        while end > 0 {
            let BestPath { id, start, .. } = best[end];
            let start = start.ok_or_else(|| format!("no tokenization reaches byte {end} of {sentence:?}"))?;
            if Some(id) == self.unk_id {
                unknown_end.get_or_insert(end);
            } else {
                if let Some(unknown_end) = unknown_end.take() {
                    tokens.push((end, unknown_end, None));
                }
                tokens.push((start, end, Some(id)));
            }
            end = start;
        }
        if let Some(unknown_end) = unknown_end {
            tokens.push((0, unknown_end, None));
        }
        tokens.reverse();
        Ok(tokens)
    }

    /// [`Model::tokenize`] without the cache: the Viterbi search, then each token's text looked up.
    fn tokenize_uncached(&self, sentence: &str) -> tokenizers::Result<Vec<Token>> {
        let split = self.best_split(sentence)?;
        let mut tokens = Vec::with_capacity(split.len());
        for (start, end, id) in split {
            let text = &sentence[start..end];
            let offsets = (start, end);
            // A piece's own id is what looking its text up gives; a run of unknown tokens may spell a piece too.
            if let Some(id) = id.or_else(|| self.trie.find(text.as_bytes())) {
                tokens.push(Token::new(id, text.to_string(), offsets));
                continue;
            }
            if self.byte_fallback {
                let bytes: Option<Vec<Token>> = text
                    .bytes()
                    .map(|b| {
                        let piece = format!("<0x{b:02X}>");
                        self.trie.find(piece.as_bytes()).map(|id| Token::new(id, piece, offsets))
                    })
                    .collect();
                if let Some(bytes) = bytes {
                    tokens.extend(bytes);
                    continue;
                }
            }
            let unk = self.unk_id.ok_or(UnigramError::MissingUnkId)?;
            tokens.push(Token::new(unk, text.to_string(), offsets));
        }
        Ok(tokens)
    }
}

impl Model for LeanUnigram {
    type Trainer = UnigramTrainer;

    fn tokenize(&self, sentence: &str) -> tokenizers::Result<Vec<Token>> {
        // A busy or poisoned lock only means the cache is not used this time.
        if let Some(split) = self.cache.0.try_read().as_ref().ok().and_then(|words| words.get(sentence)) {
            return Ok(split
                .iter()
                .map(|&(id, start, end)| {
                    let (start, end) = (start as usize, end as usize);
                    let text = if Some(id) == self.unk_id { &sentence[start..end] } else { self.piece(id) };
                    Token::new(id, text.to_string(), (start, end))
                })
                .collect());
        }
        let tokens = self.tokenize_uncached(sentence)?;
        if sentence.len() < CACHE_WORD_BYTES {
            if let Ok(mut words) = self.cache.0.try_write() {
                if words.len() < CACHE_WORDS {
                    let split = tokens.iter().map(|t| (t.id, t.offsets.0 as u32, t.offsets.1 as u32)).collect();
                    words.insert(sentence.into(), split);
                }
            }
        }
        Ok(tokens)
    }

    fn token_to_id(&self, token: &str) -> Option<u32> {
        self.trie.find(token.as_bytes())
    }

    fn id_to_token(&self, id: u32) -> Option<String> {
        ((id as usize) < self.scores.len()).then(|| self.piece(id).to_string())
    }

    fn get_vocab(&self) -> HashMap<String, u32> {
        (0..self.scores.len() as u32).map(|id| (self.piece(id).to_string(), id)).collect()
    }

    fn get_vocab_size(&self) -> usize {
        self.scores.len()
    }

    fn save(&self, folder: &Path, prefix: Option<&str>) -> tokenizers::Result<Vec<PathBuf>> {
        let name = match prefix {
            Some(prefix) => format!("{prefix}-unigram.json"),
            None => "unigram.json".to_string(),
        };
        let path = folder.join(name);
        std::fs::write(&path, serde_json::to_string_pretty(self)?)?;
        Ok(vec![path])
    }

    fn get_trainer(&self) -> UnigramTrainer {
        UnigramTrainer::default()
    }
}

/// The pieces while they are read: text, offsets and scores, before the trie is built over them.
#[derive(Default)]
struct Pieces {
    text: String,
    offsets: Vec<u32>,
    scores: Vec<f64>,
}

impl Pieces {
    fn push(&mut self, piece: &str, score: f64) -> Result<(), String> {
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        self.text.push_str(piece);
        let end = u32::try_from(self.text.len()).map_err(|_| "the vocabulary's pieces exceed 4 GB".to_string())?;
        self.offsets.push(end);
        self.scores.push(score);
        Ok(())
    }

    fn build(mut self, unk_id: Option<usize>, byte_fallback: bool) -> tokenizers::Result<LeanUnigram> {
        if let Some(unk_id) = unk_id {
            if self.scores.is_empty() {
                return Err(Box::new(UnigramError::EmptyVocabulary));
            }
            if unk_id >= self.scores.len() {
                return Err(Box::new(UnigramError::UnkIdNotInVocabulary));
            }
        }
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        self.text.shrink_to_fit();
        self.offsets.shrink_to_fit();
        self.scores.shrink_to_fit();
        let bytes = self.text.as_bytes();
        let pieces: Vec<&[u8]> = self.offsets.windows(2).map(|w| &bytes[w[0] as usize..w[1] as usize]).collect();
        let trie = Trie::build(&pieces);
        let min_score = self.scores.iter().copied().fold(f64::INFINITY, f64::min);
        Ok(LeanUnigram {
            text: self.text,
            offsets: self.offsets,
            scores: self.scores,
            trie,
            unk_score: min_score - UNK_PENALTY,
            unk_id: unk_id.map(|id| id as u32),
            byte_fallback,
            cache: Cache::default(),
        })
    }
}

impl Serialize for LeanUnigram {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        /// The `[[piece, score], …]` list, written without collecting it.
        struct Vocab<'a>(&'a LeanUnigram);
        impl Serialize for Vocab<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut seq = serializer.serialize_seq(Some(self.0.scores.len()))?;
                for (id, score) in self.0.scores.iter().enumerate() {
                    seq.serialize_element(&(self.0.piece(id as u32), score))?;
                }
                seq.end()
            }
        }
        let mut model = serializer.serialize_struct("Unigram", 4)?;
        model.serialize_field("type", "Unigram")?;
        model.serialize_field("unk_id", &self.unk_id)?;
        model.serialize_field("vocab", &Vocab(self))?;
        model.serialize_field("byte_fallback", &self.byte_fallback)?;
        model.end()
    }
}

impl<'de> Deserialize<'de> for LeanUnigram {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ModelVisitor)
    }
}

/// Reads the `model` object as the crate does (`type` must be `Unigram` when present; unknown keys are ignored).
struct ModelVisitor;

impl<'de> Visitor<'de> for ModelVisitor {
    type Value = LeanUnigram;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a Unigram model object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LeanUnigram, A::Error> {
        let (mut vocab, mut unk_id, mut byte_fallback) = (None, None, false);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "type" => {
                    let kind: String = map.next_value()?;
                    if kind != "Unigram" {
                        return Err(de::Error::invalid_value(de::Unexpected::Str(&kind), &"Unigram"));
                    }
                }
                "unk_id" => unk_id = map.next_value()?,
                "byte_fallback" => byte_fallback = map.next_value()?,
                "vocab" => vocab = Some(map.next_value::<VocabSeed>()?.0),
                _ => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        let vocab = vocab.ok_or_else(|| de::Error::missing_field("vocab"))?;
        vocab.build(unk_id, byte_fallback).map_err(|e| de::Error::custom(format!("Unable to load vocab {e}")))
    }
}

/// The `vocab` list, read piece by piece into [`Pieces`] (never a `Vec<(String, f64)>` of 64,000 strings).
struct VocabSeed(Pieces);

impl<'de> Deserialize<'de> for VocabSeed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct VocabVisitor;
        impl<'de> Visitor<'de> for VocabVisitor {
            type Value = VocabSeed;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of [piece, score] pairs")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<VocabSeed, A::Error> {
                let mut pieces = Pieces::default();
                while let Some((piece, score)) = seq.next_element::<(String, f64)>()? {
                    pieces.push(&piece, score).map_err(de::Error::custom)?;
                }
                Ok(VocabSeed(pieces))
            }
        }
        deserializer.deserialize_seq(VocabVisitor)
    }
}
