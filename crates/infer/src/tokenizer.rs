//! [`LureTokenizer`]: the model folder's `tokenizer.json`, turning rendered records into token ids framed by the
//! tokenizer's own opening and closing tokens, cut to the model's length.
//!
//! Two vocabularies are in use: lurescan's own byte-level BPE (`[CLS] … [SEP]`, `[PAD]` = 0, `[MASK]`; no script ever
//! maps to an unknown token) and the XLM-RoBERTa SentencePiece Unigram of a multilingual encoder (`<s> … </s>`,
//! `<pad>` = 1, `<mask>`, `<unk>`). Code finds these tokens by role ([`SpecialTokens`]), never by name.

mod template;
mod unigram;

pub use unigram::LeanUnigram;

use crate::error::{Error, Result};
use rayon::prelude::*;
use serde::Deserialize;
use std::path::Path;
use tokenizers::decoders::DecoderWrapper;
use tokenizers::normalizers::NormalizerWrapper;
use tokenizers::pre_tokenizers::PreTokenizerWrapper;
use tokenizers::processors::PostProcessorWrapper;
use tokenizers::{AddedToken, Tokenizer, TokenizerImpl, TruncationDirection};

/// The ids of the tokens with a role, whatever the vocabulary calls them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpecialTokens {
    /// Opens every sequence (`[CLS]`, `<s>`): the first token the post-processor adds.
    pub cls: u32,
    /// Closes every sequence (`[SEP]`, `</s>`): the last token the post-processor adds.
    pub sep: u32,
    /// The masked-language-model mask (`[MASK]`, `<mask>`), if the vocabulary has one.
    pub mask: Option<u32>,
    /// Padding (`[PAD]`, `<pad>`), if the vocabulary has one.
    pub pad: Option<u32>,
    /// The unknown token (`[UNK]`, `<unk>`), if the vocabulary has one.
    pub unk: Option<u32>,
}

/// `"[MASK]"`, `"<mask>"`, `"<MASK>"` → `"mask"`: the role a special token's name spells.
fn role(content: &str) -> String {
    content.trim_matches(|c| matches!(c, '[' | ']' | '<' | '>')).to_ascii_lowercase()
}

/// A `tokenizers` pipeline (normalizer, pre-tokenizer, post-processor, decoder, added tokens) around a
/// [`LeanUnigram`] instead of the crate's own Unigram model.
type LeanTokenizer =
    TokenizerImpl<LeanUnigram, NormalizerWrapper, PreTokenizerWrapper, PostProcessorWrapper, DecoderWrapper>;

/// The tokenizer proper. Both are `tokenizers::TokenizerImpl`s that differ only in the model; callers never see
/// which one is in use.
#[derive(Clone)]
enum Pipeline {
    /// Any model of the `tokenizers` crate: lurescan's byte-level BPE, a WordPiece, a tokenizer built in code.
    Crate(Tokenizer),
    /// A SentencePiece Unigram vocabulary read from a `tokenizer.json`: the same tokens as the crate's model in
    /// about 3 MB instead of about 60 for XLM-R's 64,000 pieces (issue 15's memory bar).
    Unigram(LeanTokenizer),
}

/// Evaluates `$body` with `$t` bound to the pipeline's `TokenizerImpl`, whichever model it holds.
macro_rules! with_pipeline {
    ($pipeline:expr, $t:ident => $body:expr) => {
        match $pipeline {
            Pipeline::Crate($t) => $body,
            Pipeline::Unigram($t) => $body,
        }
    };
}

/// The part of a `tokenizer.json` read before choosing the model: its `model.type`.
#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    model: Option<ModelProbe>,
}

#[derive(Deserialize)]
struct ModelProbe {
    #[serde(rename = "type", default)]
    kind: Option<serde_json::Value>,
}

/// A model folder's tokenizer; `Send + Sync`, cheap to share behind a reference.
#[derive(Clone)]
pub struct LureTokenizer {
    pipeline: Pipeline,
    /// Tokens the post-processor adds to a single sequence (2 for `[CLS] $A [SEP]`).
    added: usize,
}

impl std::fmt::Debug for LureTokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let model = match &self.pipeline {
            Pipeline::Crate(_) => "tokenizers",
            Pipeline::Unigram(_) => "LeanUnigram",
        };
        f.debug_struct("LureTokenizer").field("model", &model).field("vocab_size", &self.vocab_size()).finish()
    }
}

impl LureTokenizer {
    /// Reads a `tokenizer.json`.
    pub fn from_file(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|error| Error::Io { path: path.to_path_buf(), error })?;
        Self::from_bytes(&bytes).map_err(|e| match e {
            Error::Tokenizer(message) => Error::InvalidModel {
                path: path.to_path_buf(),
                message: format!("not a Hugging Face tokenizer file ({message}); re-export it with `tokenizers`"),
            },
            other => other,
        })
    }

    /// Reads the bytes of a `tokenizer.json`. A Unigram model (`"model": {"type": "Unigram", …}`) is held as a
    /// [`LeanUnigram`], never as the `tokenizers` crate's model, even for a moment; any other model is the crate's.
    pub fn from_bytes(json: &[u8]) -> Result<Self> {
        // The text and its JSON are checked first: `tokenizers` panics (`expect("Helper")`) instead of failing on a
        // syntax error or invalid UTF-8 inside the `decoder` object (both found by the model_folder fuzz target).
        // Reading the model's type parses the whole text, so it is that check too.
        let text = std::str::from_utf8(json).map_err(|e| {
            Error::Tokenizer(format!("not UTF-8 text: the byte at offset {} is invalid", e.valid_up_to()))
        })?;
        let probe: Probe = serde_json::from_str(text).map_err(|e| Error::Tokenizer(e.to_string()))?;
        let kind = probe.model.and_then(|m| m.kind);
        let pipeline = if kind.as_ref().and_then(|k| k.as_str()) == Some("Unigram") {
            let mut lean: LeanTokenizer = serde_json::from_str(text).map_err(|e| Error::Tokenizer(e.to_string()))?;
            lean.with_truncation(None).map_err(Error::tokenizer)?;
            lean.with_padding(None);
            Pipeline::Unigram(lean)
        } else {
            let mut tokenizer = Tokenizer::from_bytes(json).map_err(Error::tokenizer)?;
            tokenizer.with_truncation(None).map_err(Error::tokenizer)?;
            tokenizer.with_padding(None);
            Pipeline::Crate(tokenizer)
        };
        let tokenizer = Self::from_pipeline(pipeline);
        tokenizer.check_post_processor()?;
        Ok(tokenizer)
    }

    /// Refuses a post-processor that the `tokenizers` crate reads but panics on when it encodes ([`template`]).
    /// The JSON checked is the one of the post-processor the crate built, not the file's: the crate picks the kind
    /// of post-processor by the fields it finds, not by its `type`.
    fn check_post_processor(&self) -> Result<()> {
        let Some(processor) = with_pipeline!(&self.pipeline, t => t.get_post_processor()) else {
            return Ok(());
        };
        let json = serde_json::to_value(processor)
            .map_err(|e| Error::Tokenizer(format!("the post-processor cannot be written as JSON: {e}")))?;
        template::check(&json, self).map_err(Error::Tokenizer)
    }

    /// Wraps a tokenizer made in code (any model, kept as it is). Truncation and padding stored in the tokenizer
    /// are switched off: [`Self::encode`] cuts to the length it is given, and the classifier pads per batch.
    pub fn from_tokenizer(mut tokenizer: Tokenizer) -> Self {
        let _ = tokenizer.with_truncation(None);
        tokenizer.with_padding(None);
        Self::from_pipeline(Pipeline::Crate(tokenizer))
    }

    fn from_pipeline(pipeline: Pipeline) -> Self {
        let added = with_pipeline!(&pipeline, t => {
            t.get_post_processor().map(|p| tokenizers::PostProcessor::added_tokens(p, false)).unwrap_or(0)
        });
        LureTokenizer { pipeline, added }
    }

    /// The number of ids the tokenizer can give (its model's vocabulary and the added tokens): the embedding table
    /// needs at least as many rows.
    pub fn vocab_size(&self) -> usize {
        with_pipeline!(&self.pipeline, t => t.get_vocab_size(true))
    }

    /// The added tokens (special ones such as `<s>` and field markers among them), by ascending id.
    pub fn added_tokens(&self) -> Vec<(u32, AddedToken)> {
        let mut tokens: Vec<(u32, AddedToken)> =
            with_pipeline!(&self.pipeline, t => t.get_added_tokens_decoder().into_iter().collect());
        tokens.sort_by_key(|(id, _)| *id);
        tokens
    }

    /// The tokens with a role: the opening and closing ones from the post-processor (what it adds around an empty
    /// text), the others from the special tokens' names (`mask`, `pad`, `unk` in any bracket style). Fails when
    /// the post-processor does not frame a sequence with one token on each side.
    pub fn special_tokens(&self) -> Result<SpecialTokens> {
        let framed = with_pipeline!(&self.pipeline, t => t.post_process(tokenizers::Encoding::default(), None, true))
            .map_err(Error::tokenizer)?
            .get_ids()
            .to_vec();
        let [cls, sep] = framed[..] else {
            return Err(Error::Tokenizer(format!(
                "the tokenizer's post-processor adds {} tokens around a text; lurescan needs one opening and one \
                 closing token (as in `[CLS] $A [SEP]` or `<s> $A </s>`)",
                framed.len()
            )));
        };
        let specials: Vec<(u32, String)> =
            self.added_tokens().into_iter().filter(|(_, t)| t.special).map(|(id, t)| (id, role(&t.content))).collect();
        let find = |name: &str| specials.iter().find(|(_, r)| r == name).map(|(id, _)| *id);
        Ok(SpecialTokens { cls, sep, mask: find("mask"), pad: find("pad"), unk: find("unk") })
    }

    /// Whether the vocabulary (added tokens included) has a token with this id.
    fn has_id(&self, id: u32) -> bool {
        with_pipeline!(&self.pipeline, t => t.id_to_token(id)).is_some()
    }

    /// The id of a token (special tokens included), if the vocabulary has it.
    pub fn token_to_id(&self, token: &str) -> Option<u32> {
        with_pipeline!(&self.pipeline, t => t.token_to_id(token))
    }

    /// Token ids of `text` alone: no opening or closing token, not cut.
    pub fn encode_unframed(&self, text: &str) -> Result<Vec<u32>> {
        let encoding = with_pipeline!(&self.pipeline, t => t.encode_fast(text, false)).map_err(Error::tokenizer)?;
        Ok(encoding.get_ids().to_vec())
    }

    /// Token ids of `text`, with the opening token (`[CLS]`, `<s>`) first and the closing one (`[SEP]`, `</s>`)
    /// last, at most `max_length` of them: the text is cut before they are added, so the closing token always
    /// closes the sequence.
    pub fn encode(&self, text: &str, max_length: usize) -> Result<Vec<u32>> {
        let mut encoding = with_pipeline!(&self.pipeline, t => t.encode_fast(text, false)).map_err(Error::tokenizer)?;
        let keep = max_length.saturating_sub(self.added);
        if encoding.len() > keep {
            encoding.truncate(keep, 0, TruncationDirection::Right);
        }
        let encoding =
            with_pipeline!(&self.pipeline, t => t.post_process(encoding, None, true)).map_err(Error::tokenizer)?;
        Ok(encoding.get_ids().to_vec())
    }

    /// [`Self::encode`] for many texts, in parallel; the output is in input order.
    pub fn encode_batch(&self, texts: &[String], max_length: usize) -> Result<Vec<Vec<u32>>> {
        texts.par_iter().map(|text| self.encode(text, max_length)).collect()
    }
}
