//! One epoch of training: augmentation, length-bucketed batches, sharded gradients (or, with a frozen encoder, the
//! head's gradients on cached features) and AdamW steps on the learning-rate schedule.
//!
//! Reproducibility: every random draw comes from a stream derived from `(seed, epoch, purpose)` (see
//! [`crate::init::stream`]), so an epoch is a pure function of the weights and optimiser state at its start. Each
//! batch draws one dropout seed from its epoch's stream and is split into `TrainConfig::shards` shards that run in
//! parallel (see [`crate::shard`]), so the weights depend on the shard count but not on the number of threads.

use crate::augment::augment;
use crate::batch::bucketed_batches;
use crate::config::TrainConfig;
use crate::data::Example;
use crate::error::{Result, TrainError};
use crate::freeze::FeatureCache;
use crate::init::stream;
use crate::loss::weighted_cross_entropy;
use crate::observe::{BatchDone, EpochStart, Event, Stage, TrainObserver};
use crate::optim::AdamW;
use crate::schedule::Schedule;
use crate::session::Session;
use crate::shard::{ShardGradients, ShardedStep};
use lurescan::render;
use std::time::Instant;

/// Augmented views of each record when only the head trains (see `EpochRun::run`).
const HEAD_ONLY_VIEWS: usize = 2;

/// A hash of a record's fields (FNV-1a), seeding its own augmentation stream.
fn record_key(record: &lurescan::Record) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (field, text) in record.fields() {
        for b in field.name().bytes().chain([0]).chain(text.bytes()).chain([1]) {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

const SHUFFLE: u64 = 2;
const AUGMENT: u64 = 3;
const DROPOUT: u64 = 4;

/// One epoch of training `session` on `train`.
pub(crate) struct EpochRun<'a> {
    pub config: &'a TrainConfig,
    pub session: &'a Session,
    pub train: &'a [Example],
    pub class_weights: [f32; 2],
    pub schedule: Schedule,
    /// Epochs in this run (for the observer).
    pub epochs: usize,
}

impl EpochRun<'_> {
    /// Trains epoch `epoch` (1-based; it seeds the augmentation, the shuffle and the dropout), counting optimiser
    /// steps in `step`; returns the mean training loss and the sequences per second. When the whole encoder is
    /// frozen, only the head trains, on `[CLS]` features taken from (and added to) `cache`. `stage` tells `observer`
    /// which loop the epoch belongs to.
    pub(crate) fn run(
        &self,
        optimizer: &mut AdamW,
        epoch: usize,
        step: &mut usize,
        stage: Stage,
        cache: &mut FeatureCache,
        observer: &mut dyn TrainObserver,
    ) -> Result<(f64, f64)> {
        let (config, session) = (self.config, self.session);
        let max_len = config.shape.max_len.min(session.bert.max_position_embeddings);
        let head_only = session.head_only();
        let ids = match head_only {
            // A frozen encoder: each record has HEAD_ONLY_VIEWS augmented views, drawn from a stream seeded by the
            // record itself, so that the features of every view are computed once (and can be kept on disk for
            // the next run, whatever other records it has), not once per epoch.
            true => {
                let texts = self.train.iter().map(|e| {
                    let view = (epoch - 1) % HEAD_ONLY_VIEWS;
                    let mut rng = stream(config.seed ^ record_key(&e.record), view, AUGMENT);
                    render(&augment(&e.record, &config.augment, &mut rng), &session.render)
                });
                session.encode(texts, max_len)?
            }
            false => {
                let mut aug_rng = stream(config.seed, epoch, AUGMENT);
                let texts = self
                    .train
                    .iter()
                    .map(|e| render(&augment(&e.record, &config.augment, &mut aug_rng), &session.render));
                session.encode(texts, max_len)?
            }
        };
        let train_labels: Vec<u8> = self.train.iter().map(|e| e.label).collect();
        let lengths: Vec<usize> = ids.iter().map(Vec::len).collect();
        let batches = bucketed_batches(
            &lengths,
            config.optim.batch_size,
            config.bucket_batches,
            &mut stream(config.seed, epoch, SHUFFLE),
        );
        let mut dropout_rng = stream(config.seed, epoch, DROPOUT);
        let sharded = ShardedStep {
            model: &session.model,
            class_weights: self.class_weights,
            pad_id: session.bert.pad_token_id,
            shards: config.shards,
        };

        let started = Instant::now();
        if head_only {
            let before = cache.len();
            cache.fill(&ids, |missing| session.features(missing, config.optim.batch_size.max(32)))?;
            if cache.len() > before {
                observer.event(&Event::FeaturesComputed {
                    stage,
                    epoch,
                    count: cache.len() - before,
                    seconds: started.elapsed().as_secs_f64(),
                });
            }
        }
        observer.epoch_start(&EpochStart { stage, epoch, epochs: self.epochs, batches: batches.len() });
        let (mut loss_sum, mut seen) = (0f64, 0usize);
        for batch in &batches {
            let seqs: Vec<&[u32]> = batch.iter().map(|&i| ids[i].as_slice()).collect();
            let labels: Vec<u8> = batch.iter().map(|&i| train_labels[i]).collect();
            let grads = match head_only {
                true => head_gradients(session, cache, &seqs, &labels, self.class_weights, dropout_rng.next_u64())?,
                false => sharded.gradients(&seqs, &labels, dropout_rng.next_u64())?,
            };
            let lr = self.schedule.lr(*step);
            if !grads.loss.is_finite() {
                observer.epoch_end();
                return Err(TrainError::Diverged { epoch, step: *step + 1, loss: grads.loss, lr });
            }
            optimizer.step(&grads.shards, lr, config.optim.max_grad_norm)?;
            *step += 1;
            loss_sum += grads.loss * batch.len() as f64;
            seen += batch.len();
            let rate = seen as f64 / started.elapsed().as_secs_f64().max(1e-9);
            observer.batch_done(&BatchDone { loss: loss_sum / seen as f64, sequences_per_second: rate });
        }
        observer.epoch_end();
        Ok((loss_sum / seen.max(1) as f64, seen as f64 / started.elapsed().as_secs_f64().max(1e-9)))
    }
}

/// The gradients of the pooler and classifier alone on a batch whose `[CLS]` features are in `cache` (one shard: the
/// head is small).
fn head_gradients(
    session: &Session,
    cache: &FeatureCache,
    seqs: &[&[u32]],
    labels: &[u8],
    class_weights: [f32; 2],
    dropout_seed: u64,
) -> Result<ShardGradients> {
    let features = cache.batch(seqs)?;
    let mut rng = crate::shard::shard_rng(dropout_seed, 0);
    let logits = session.model.head(&features, Some(&mut rng))?;
    let loss = weighted_cross_entropy(&logits, labels, class_weights)?;
    let grads = loss.backward()?;
    Ok(ShardGradients { loss: loss.to_scalar::<f32>()? as f64, shards: vec![grads] })
}
