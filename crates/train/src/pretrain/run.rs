//! The pre-training loop and the folder it writes.

use super::config::PretrainConfig;
use super::corpus::{windows, Corpus, Masked, Masker};
use super::mlm::{mlm_gradients, BertForMaskedLm};
use crate::batch::bucketed_batches;
use crate::error::{Result, TrainError};
use crate::folder::{replace_atomically, save_varmap, write};
use crate::init::{seeded_init, stream};
use crate::observe::{BatchDone, EpochStart, Event, PretrainEpoch, Stage, TrainObserver};
use crate::optim::AdamW;
use crate::tokenizer::train_tokenizer;
use candle_core::{DType, Device};
use candle_nn::{VarBuilder, VarMap};
use lurescan::tokenizer::LureTokenizer;
use lurescan::ModelFolder;
use lurescan::{BertConfig, Settings};
use serde_json::{json, Map};
use std::path::Path;
use std::time::Instant;

const MASK: u64 = 11;
const SHUFFLE: u64 = 12;
const DROPOUT: u64 = 13;

/// What a pre-training run did.
#[derive(Debug, Clone)]
pub struct PretrainOutcome {
    pub history: Vec<PretrainEpoch>,
    pub records: usize,
    pub windows: usize,
    /// Text tokens in all windows (the special tokens, `[CLS]` and `[SEP]` or `<s>` and `</s>`, not counted).
    pub tokens: usize,
    pub vocab_size: usize,
}

/// Pre-trains a new encoder on `corpus` (tokenizer, seeded weights, masked-LM training) and writes the folder `out`
/// atomically at the end, reporting its progress and each epoch to `observer` (`&mut ()` ignores them).
pub fn pretrain(
    config: &PretrainConfig,
    corpus: &Corpus,
    out: &Path,
    observer: &mut dyn TrainObserver,
) -> Result<PretrainOutcome> {
    config.validate()?;
    if corpus.texts.is_empty() {
        return Err(TrainError::Config("the pre-training corpus is empty".into()));
    }
    let inputs: Vec<&Path> = corpus.sources.iter().map(|s| s.path.as_path()).collect();
    crate::folder::check_out(out, &inputs)?;
    let tokenizer = train_tokenizer(&corpus.texts, config.shape.vocab_size)?;
    let tokenizer_json = tokenizer.to_string(false).map_err(TrainError::tokenizer)?;
    let tokenizer = LureTokenizer::from_tokenizer(tokenizer);
    let bert = config.bert_config(tokenizer.vocab_size());
    let varmap = VarMap::new();
    let model = BertForMaskedLm::load(VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu), &bert)?;
    seeded_init(&varmap, &bert, config.seed)?;

    let max_len = config.shape.max_len.min(bert.max_position_embeddings);
    let masker = Masker::new(&tokenizer, bert.vocab_size, config.mask_prob)?;
    // Windows without a text token (a record of field markers only) have nothing to restore.
    let windows: Vec<Vec<u32>> = windows(&tokenizer, &corpus.texts, max_len)?
        .into_iter()
        .filter(|w| w.iter().any(|&t| !masker.is_special(t)))
        .collect();
    let tokens = windows.iter().map(|w| w.len() - 2).sum();
    let lengths: Vec<usize> = windows.iter().map(Vec::len).collect();
    observer.event(&Event::PretrainStart {
        records: corpus.texts.len(),
        windows: windows.len(),
        max_len,
        tokens,
        vocab_size: bert.vocab_size,
    });

    let named = varmap.data().lock().expect("var map lock").iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    let mut optimizer = AdamW::new(named, config.optim.optimizer.clone())?;
    let schedule = config.optim.schedule(windows.len());
    let mut history = Vec::new();
    let mut step = 0;
    for epoch in 1..=config.optim.epochs {
        let mut mask_rng = stream(config.seed, epoch, MASK);
        let masked: Vec<Masked> = windows.iter().map(|w| masker.mask(w, &mut mask_rng)).collect();
        let batches = bucketed_batches(
            &lengths,
            config.optim.batch_size,
            config.bucket_batches,
            &mut stream(config.seed, epoch, SHUFFLE),
        );
        let mut dropout_rng = stream(config.seed, epoch, DROPOUT);
        observer.epoch_start(&EpochStart {
            stage: Stage::Pretrain,
            epoch,
            epochs: config.optim.epochs,
            batches: batches.len(),
        });
        let started = Instant::now();
        let (mut nll, mut correct, mut count, mut seen) = (0f64, 0usize, 0usize, 0usize);
        for batch in &batches {
            let windows: Vec<&Masked> = batch.iter().map(|&i| &masked[i]).collect();
            let grads = mlm_gradients(&model, &windows, bert.pad_token_id, config.shards, dropout_rng.next_u64())?;
            if !grads.loss.is_finite() {
                observer.epoch_end();
                return Err(TrainError::Diverged { epoch, step: step + 1, loss: grads.loss, lr: schedule.lr(step) });
            }
            optimizer.step(&grads.shards, schedule.lr(step), config.optim.max_grad_norm)?;
            step += 1;
            nll += grads.loss * grads.masked as f64;
            count += grads.masked;
            correct += grads.correct;
            seen += batch.len();
            let rate = seen as f64 / started.elapsed().as_secs_f64().max(1e-9);
            observer.batch_done(&BatchDone { loss: nll / count as f64, sequences_per_second: rate });
        }
        observer.epoch_end();
        let log = PretrainEpoch {
            epoch,
            loss: nll / count.max(1) as f64,
            masked_accuracy: correct as f64 / count.max(1) as f64,
            sequences_per_second: seen as f64 / started.elapsed().as_secs_f64().max(1e-9),
        };
        observer.event(&Event::PretrainEpoch { log: &log, epochs: config.optim.epochs });
        history.push(log);
    }

    let outcome = PretrainOutcome {
        history,
        records: corpus.texts.len(),
        windows: windows.len(),
        tokens,
        vocab_size: bert.vocab_size,
    };
    let mut extra = Map::new();
    extra.insert(
        "pretraining".into(),
        json!({
            "tool": format!("lurescan-train {}", env!("CARGO_PKG_VERSION")),
            "flags": config,
            "data": corpus.sources,
            "records": outcome.records,
            "windows": outcome.windows,
            "tokens": outcome.tokens,
            "steps": step,
            "history": outcome.history,
        }),
    );
    let settings = Settings { max_length: max_len, render: config.render.clone(), extra, ..Settings::default() };
    replace_atomically(out, |tmp| {
        write(&tmp.join(ModelFolder::CONFIG), &serde_json::to_vec_pretty(&bert)?)?;
        save_varmap(&varmap, &tmp.join(ModelFolder::WEIGHTS))?;
        crate::folder::check_weights(&tmp.join(ModelFolder::WEIGHTS))?;
        write(&tmp.join(ModelFolder::TOKENIZER), tokenizer_json.as_bytes())?;
        write(&tmp.join(ModelFolder::CARD), card(&bert, &outcome).as_bytes())?;
        // Last: a folder without lurescan.json is not a model folder, so a half-written one is never used.
        write(&tmp.join(ModelFolder::SETTINGS), &serde_json::to_vec_pretty(&settings)?)
    })?;
    Ok(outcome)
}

fn card(bert: &BertConfig, outcome: &PretrainOutcome) -> String {
    let last = outcome.history.last();
    format!(
        "# lurescan pre-trained encoder\n\n\
         A BERT encoder ({} layers, hidden size {}, {} heads, vocabulary {}) pre-trained with `lurescan pretrain` as a \
         masked language model on {} unlabelled records ({} windows, {} tokens). It is not a classifier: \
         `lurescan score` refuses it. Fine-tune it on labelled data, which keeps its tokenizer, size and encoder and \
         starts a new classification head:\n\n\
         ```sh\nlurescan train --init THIS_FOLDER --data train.jsonl --valid valid.jsonl --out my-model\n```\n\n\
         Final masked-token loss {:.4}, accuracy {:.3}. The flags and the per-epoch history are in `lurescan.json` under \
         `pretraining`. `model.safetensors` has Hugging Face `BertForMaskedLM` names (`cls.predictions.*`, decoder tied \
         to the word embeddings).\n",
        bert.num_hidden_layers,
        bert.hidden_size,
        bert.num_attention_heads,
        bert.vocab_size,
        outcome.records,
        outcome.windows,
        outcome.tokens,
        last.map_or(f64::NAN, |l| l.loss),
        last.map_or(f64::NAN, |l| l.masked_accuracy),
    )
}
