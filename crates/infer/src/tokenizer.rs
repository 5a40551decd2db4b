//! [`LureTokenizer`]: the model folder's `tokenizer.json`, turning rendered records into token ids framed by the
//! tokenizer's own opening and closing tokens, cut to the model's length.
//!
//! Two vocabularies are in use: lurescan's own byte-level BPE (`[CLS] … [SEP]`, `[PAD]` = 0, `[MASK]`; no script ever
//! maps to an unknown token) and the XLM-RoBERTa SentencePiece Unigram of a multilingual encoder (`<s> … </s>`,
//! `<pad>` = 1, `<mask>`, `<unk>`). Code finds these tokens by role ([`SpecialTokens`]), never by name.

use crate::error::{Error, Result};
use rayon::prelude::*;
use std::path::Path;
use tokenizers::{Tokenizer, TruncationDirection};

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

/// Wraps a `tokenizers::Tokenizer`; `Send + Sync`, cheap to share behind a reference.
#[derive(Clone)]
pub struct LureTokenizer {
    inner: Tokenizer,
    /// Tokens the post-processor adds to a single sequence (2 for `[CLS] $A [SEP]`).
    added: usize,
}

impl std::fmt::Debug for LureTokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LureTokenizer").field("vocab_size", &self.inner.get_vocab_size(true)).finish()
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

    /// Reads the bytes of a `tokenizer.json`.
    pub fn from_bytes(json: &[u8]) -> Result<Self> {
        // The text and its JSON are checked first: `tokenizers` panics (`expect("Helper")`) instead of failing on a
        // syntax error or invalid UTF-8 inside the `decoder` object (both found by the model_folder fuzz target).
        let text = std::str::from_utf8(json).map_err(|e| {
            Error::Tokenizer(format!("not UTF-8 text: the byte at offset {} is invalid", e.valid_up_to()))
        })?;
        serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(|e| Error::Tokenizer(e.to_string()))?;
        Ok(Self::from_tokenizer(Tokenizer::from_bytes(json).map_err(Error::tokenizer)?))
    }

    /// Wraps a tokenizer. Truncation and padding stored in the tokenizer are switched off: [`Self::encode`] cuts
    /// to the length it is given, and the classifier pads per batch.
    pub fn from_tokenizer(mut inner: Tokenizer) -> Self {
        let _ = inner.with_truncation(None);
        inner.with_padding(None);
        let added = inner.get_post_processor().map(|p| tokenizers::PostProcessor::added_tokens(p, false)).unwrap_or(0);
        LureTokenizer { inner, added }
    }

    pub fn inner(&self) -> &Tokenizer {
        &self.inner
    }

    /// The tokens with a role: the opening and closing ones from the post-processor (what it adds around an empty
    /// text), the others from the special tokens' names (`mask`, `pad`, `unk` in any bracket style). Fails when
    /// the post-processor does not frame a sequence with one token on each side.
    pub fn special_tokens(&self) -> Result<SpecialTokens> {
        let framed = self
            .inner
            .post_process(tokenizers::Encoding::default(), None, true)
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
        let mut specials: Vec<(u32, String)> = self
            .inner
            .get_added_tokens_decoder()
            .iter()
            .filter(|(_, t)| t.special)
            .map(|(&id, t)| (id, role(&t.content)))
            .collect();
        specials.sort();
        let find = |name: &str| specials.iter().find(|(_, r)| r == name).map(|(id, _)| *id);
        Ok(SpecialTokens { cls, sep, mask: find("mask"), pad: find("pad"), unk: find("unk") })
    }

    /// The id of a token (special tokens included), if the vocabulary has it.
    pub fn token_to_id(&self, token: &str) -> Option<u32> {
        self.inner.token_to_id(token)
    }

    /// Token ids of `text`, with the opening token (`[CLS]`, `<s>`) first and the closing one (`[SEP]`, `</s>`)
    /// last, at most `max_length` of them: the text is cut before they are added, so the closing token always
    /// closes the sequence.
    pub fn encode(&self, text: &str, max_length: usize) -> Result<Vec<u32>> {
        let mut encoding = self.inner.encode_fast(text, false).map_err(Error::tokenizer)?;
        let keep = max_length.saturating_sub(self.added);
        if encoding.len() > keep {
            encoding.truncate(keep, 0, TruncationDirection::Right);
        }
        let encoding = self.inner.post_process(encoding, None, true).map_err(Error::tokenizer)?;
        Ok(encoding.get_ids().to_vec())
    }

    /// [`Self::encode`] for many texts, in parallel; the output is in input order.
    pub fn encode_batch(&self, texts: &[String], max_length: usize) -> Result<Vec<Vec<u32>>> {
        texts.par_iter().map(|text| self.encode(text, max_length)).collect()
    }
}
