//! Trains the byte-level BPE tokenizer of a new model from its rendered training texts.
//!
//! The result is the `tokenizer.json` layout agreed for lurescan: normalizer NFKC, pre-tokenizer
//! ByteLevel(add_prefix_space = true), post-processor `[CLS] $A [SEP]`, decoder ByteLevel; special tokens
//! `[PAD]`=0, `[UNK]`=1, `[CLS]`=2, `[SEP]`=3, `[MASK]`=4, then the field markers of
//! [`lurescan::record::marker_tokens`]. All 256 bytes are in the base alphabet, so text in any script encodes
//! without an unknown token.

use crate::error::{Result, TrainError};
use lurescan::record::marker_tokens;
use tokenizers::decoders::byte_level::ByteLevel as ByteLevelDecoder;
use tokenizers::models::bpe::{BpeTrainer, BPE};
use tokenizers::models::TrainerWrapper;
use tokenizers::normalizers::unicode::NFKC;
use tokenizers::pre_tokenizers::byte_level::ByteLevel;
use tokenizers::processors::template::TemplateProcessing;
use tokenizers::{AddedToken, Tokenizer};

/// The special tokens before the field markers, in id order.
pub const SPECIAL_TOKENS: [&str; 5] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

/// Every special token in id order: [`SPECIAL_TOKENS`] then the field markers.
pub fn all_special_tokens() -> Vec<String> {
    SPECIAL_TOKENS.iter().copied().chain(marker_tokens()).map(String::from).collect()
}

/// The smallest vocabulary that holds the special tokens and the 256 byte symbols.
pub fn min_vocab_size() -> usize {
    all_special_tokens().len() + 256
}

/// Trains a tokenizer with at most `vocab_size` tokens on `texts` (rendered records; marker tokens in them are
/// taken out before counting, they are special tokens). Deterministic: the same texts give the same file.
pub fn train_tokenizer<S: AsRef<str> + Sync>(texts: &[S], vocab_size: usize) -> Result<Tokenizer> {
    if vocab_size < min_vocab_size() {
        return Err(TrainError::Config(format!(
            "--vocab-size {vocab_size} is too small: at least {} (special tokens and the 256 bytes)",
            min_vocab_size()
        )));
    }
    let specials: Vec<AddedToken> = all_special_tokens().into_iter().map(|t| AddedToken::from(t, true)).collect();
    let mut trainer: TrainerWrapper = BpeTrainer::builder()
        .vocab_size(vocab_size)
        .min_frequency(2)
        .show_progress(false)
        .special_tokens(specials)
        .initial_alphabet(ByteLevel::alphabet().into_iter().collect())
        .build()
        .into();
    let bpe = BPE::builder().unk_token("[UNK]".into()).build().map_err(TrainError::tokenizer)?;
    let mut tokenizer = Tokenizer::new(bpe);
    tokenizer.with_normalizer(Some(NFKC)).map_err(TrainError::tokenizer)?;
    tokenizer.with_pre_tokenizer(Some(ByteLevel::new(true, true, true)));
    tokenizer.with_decoder(Some(ByteLevelDecoder::default()));
    let markers = marker_tokens();
    let stripped = texts.iter().map(|t| {
        let mut s = t.as_ref().to_string();
        for m in &markers {
            if s.contains(m) {
                s = s.replace(m, " ");
            }
        }
        s
    });
    tokenizer.train(&mut trainer, stripped).map_err(TrainError::tokenizer)?;
    let processor = TemplateProcessing::builder()
        .try_single("[CLS] $A [SEP]")
        .and_then(|b| b.try_pair("[CLS] $A [SEP] $B:1 [SEP]:1"))
        .map_err(|e| TrainError::TokenizerUnfit(e.to_string()))?
        .special_tokens(vec![("[CLS]".to_string(), 2), ("[SEP]".to_string(), 3)])
        .build()
        .map_err(|e| TrainError::TokenizerUnfit(e.to_string()))?;
    tokenizer.with_post_processor(Some(processor));
    for (id, token) in all_special_tokens().iter().enumerate() {
        if tokenizer.token_to_id(token) != Some(id as u32) {
            return Err(TrainError::TokenizerUnfit(format!("special token {token} did not get id {id}")));
        }
    }
    Ok(tokenizer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_ids_are_fixed_and_markers_stay_whole() {
        let texts = ["[TITLE] Data entry clerk [DESCRIPTION] Work from home, earn $500 a day"; 3];
        let tok = train_tokenizer(&texts, 400).unwrap();
        assert_eq!(tok.token_to_id("[PAD]"), Some(0));
        assert_eq!(tok.token_to_id("[MASK]"), Some(4));
        assert_eq!(tok.token_to_id("[TITLE]"), Some(5));
        let enc = tok.encode("[TITLE] clerk", true).unwrap();
        let ids = enc.get_ids();
        assert_eq!(ids.first(), Some(&2));
        assert_eq!(ids.last(), Some(&3));
        assert_eq!(ids[1], 5);
        assert!(train_tokenizer(&texts, 100).is_err());
    }
}
