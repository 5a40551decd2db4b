//! [`LureTokenizer`]: the model folder's `tokenizer.json` (a Hugging Face byte-level BPE, so no script ever maps
//! to an unknown token), turning rendered records into token ids with `[CLS]`/`[SEP]`, cut to the model's length.

use crate::error::{Error, Result};
use rayon::prelude::*;
use std::path::Path;
use tokenizers::{Tokenizer, TruncationDirection};

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
        let bytes = std::fs::read(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
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

    /// The id of a token (special tokens included), if the vocabulary has it.
    pub fn token_to_id(&self, token: &str) -> Option<u32> {
        self.inner.token_to_id(token)
    }

    /// Token ids of `text`, with `[CLS]` first and `[SEP]` last, at most `max_length` of them: the text is cut
    /// before the special tokens are added, so `[SEP]` always closes the sequence.
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
