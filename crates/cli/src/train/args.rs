//! The flags of `lurescan train` ([`TrainArgs`]) with their help text and examples.

use crate::common::EXIT_CODES;
use clap::ValueEnum;
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  Train from scratch, holding out 10% of the data for validation:
    lurescan train --data labelled.jsonl --out my-model

  Train with a validation file, a bigger model and a fixed seed:
    lurescan train --data train.csv --valid valid.csv --out my-model \\
      --hidden-size 256 --layers 4 --heads 4 --epochs 8 --seed 7

  Fine-tune an existing model on new labelled data (keeps its tokenizer; its recipe, as
  models/lurescan-base.recipe.json and its exemplars give it for the default model, is kept
  only when passed again: a note lists what a run leaves out):
    lurescan train --init models/lurescan-base --data new.jsonl --valid valid.jsonl --out tuned \\
      --config models/lurescan-base.recipe.json --exemplars datasets/exemplars/exemplars.jsonl

  Fine-tune an encoder from `lurescan pretrain` (a new classifier head is added):
    lurescan train --init encoder --data train.jsonl --valid valid.jsonl --out my-model

  Continue after an interruption (same flags, plus --resume):
    lurescan train --data labelled.jsonl --out my-model --resume

  With the lure-typology exemplars in the score and the explanations:
    lurescan train --data train.jsonl --valid valid.jsonl --out my-model \\
      --exemplars datasets/exemplars/exemplars.jsonl

Labelled data:
  JSONL or CSV records as for `lurescan score`, plus `label` (or EMSCAD's
  `fraudulent` column): 1/0, lure/legitimate, fraudulent/real, scam/legit or
  true/false, in any case. Optional `source` (metrics are broken down by it),
  `group` (near-duplicates: the hold-out keeps a group on one side).

Output folder (written at the end, replacing OUT in one rename):
  config.json, model.safetensors, tokenizer.json, lurescan.json (thresholds,
  temperature, ensemble weights, flags, data sha256, metrics), lexical.safetensors
  (unless --no-lexical), exemplars.jsonl (with --exemplars), README.md (model card).
  Checkpoints go to OUT.partial/checkpoint/ after each epoch.";

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DecayArg {
    /// A straight line down to 0 at the last step.
    Linear,
    /// Half a cosine down to 0 at the last step.
    Cosine,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ThresholdRuleArg {
    /// Half the best validation F1, as a probability: the F1-optimal threshold for calibrated probabilities,
    /// and steady on small validation sets.
    HalfBestF1,
    /// The threshold with the best validation F1 (can swing with one or two records at the boundary).
    BestF1,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RefitArg {
    /// Ship the model validation measured.
    None,
    /// Train the lexical member again on train + valid (seconds).
    Lexical,
    /// Train the lexical member and the BERT again on train + valid, for the best epoch count.
    All,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ClassWeightsArg {
    /// Each class weighs n / (2 · its count): both classes count as much in total.
    Balanced,
    /// The square root of the balanced weights: a middle way for very skewed data.
    Sqrt,
    /// Every record counts the same.
    None,
}

#[derive(Debug, clap::Args)]
#[command(after_help = format!("{EXAMPLES}\n\n{EXIT_CODES}"))]
pub struct TrainArgs {
    /// Labelled training data (.jsonl or .csv).
    #[arg(long, value_name = "FILE")]
    pub data: PathBuf,

    /// Labelled validation data; without it a stratified share of --data is held out (see --valid-fraction).
    #[arg(long, value_name = "FILE")]
    pub valid: Option<PathBuf>,

    /// The model folder to write: a new folder, an empty one, or a model folder to replace (it is replaced only at
    /// the end, in one rename; missing parent folders are created). A file, another folder, or a folder holding the
    /// data is refused (exit 2).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Start from this JSON TrainConfig (as recorded under `training.flags` in a lurescan.json): its values replace
    /// the defaults shown below, and flags given override it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Fine-tune this model folder instead of training from scratch (its tokenizer, size and rendering are kept;
    /// the rest of its recipe only when --config and --exemplars give it again: a note names what differs); a
    /// folder from `lurescan pretrain` gets a new, seeded classifier head.
    #[arg(long, value_name = "DIR")]
    pub init: Option<PathBuf>,

    /// With --init: leave out the folder's pooler and classifier and start them anew from --seed, keeping its
    /// encoder. A shipped folder's head was refitted on its validation data, so fine-tuning it and validating on
    /// the same data gives optimistic figures; with a fresh head they are honest.
    #[arg(long)]
    pub fresh_head: bool,

    /// Continue from OUT.partial/checkpoint/ (same flags and data as the interrupted run).
    #[arg(long)]
    pub resume: bool,

    /// Skip rows that cannot be read or have no valid label, and count them, instead of stopping.
    #[arg(long)]
    pub skip_bad: bool,

    /// Passes over the training data [default: 5].
    #[arg(long, value_name = "N")]
    pub epochs: Option<usize>,
    /// Records per optimiser step [default: 32].
    #[arg(long, value_name = "N")]
    pub batch_size: Option<usize>,
    /// Peak learning rate, reached after the warm-up [default: 0.0005].
    #[arg(long, value_name = "RATE")]
    pub lr: Option<f64>,
    /// Seed of the initial weights, the hold-out, the shuffles, augmentation and dropout [default: 42].
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Maximum tokens per record, [CLS] and [SEP] included [default: 128].
    #[arg(long, value_name = "N")]
    pub max_len: Option<usize>,
    /// Width of the BERT encoder (a multiple of --heads; ignored with --init) [default: 128].
    #[arg(long, value_name = "N")]
    pub hidden_size: Option<usize>,
    /// Transformer layers of the encoder (ignored with --init) [default: 2].
    #[arg(long, value_name = "N")]
    pub layers: Option<usize>,
    /// Attention heads per layer (ignored with --init) [default: 4].
    #[arg(long, value_name = "N")]
    pub heads: Option<usize>,
    /// Tokenizer vocabulary size (at least 273: special tokens and the 256 bytes; ignored with --init)
    /// [default: 8000].
    #[arg(long, value_name = "N")]
    pub vocab_size: Option<usize>,
    /// Dropout probability of the hidden states, attention and classifier [default: 0.1].
    #[arg(long, value_name = "P")]
    pub dropout: Option<f64>,
    /// AdamW decoupled weight decay (not applied to biases and LayerNorm) [default: 0.01].
    #[arg(long, value_name = "W")]
    pub weight_decay: Option<f64>,
    /// Share of all steps spent warming the learning rate up from 0 to --lr [default: 0.06].
    #[arg(long, value_name = "SHARE")]
    pub warmup: Option<f64>,
    /// How the learning rate falls to 0 after the warm-up [default: linear].
    #[arg(long, value_enum)]
    pub decay: Option<DecayArg>,
    /// Clip gradients to this global L2 norm (0 = off) [default: 1].
    #[arg(long, value_name = "NORM")]
    pub max_grad_norm: Option<f64>,
    /// How the loss weighs lures against legitimate records [default: balanced].
    #[arg(long, value_enum)]
    pub class_weights: Option<ClassWeightsArg>,
    /// Stop after this many epochs without a better validation PR-AUC, keeping the best epoch (0 = never)
    /// [default: 2].
    #[arg(long, value_name = "N")]
    pub patience: Option<usize>,
    /// Share of --data held out for validation when there is no --valid [default: 0.1]. Validation is needed
    /// (threshold, calibration, early stopping): even 0 holds out one record or group of each class.
    #[arg(long, value_name = "SHARE")]
    pub valid_fraction: Option<f64>,
    /// How the threshold is chosen on the validation postings [default: half-best-f1].
    #[arg(long, value_enum, value_name = "RULE")]
    pub threshold_rule: Option<ThresholdRuleArg>,
    /// Pick the threshold with at least this validation precision (highest recall) instead of by --threshold-rule
    /// [default: off].
    #[arg(long, value_name = "P", value_parser = crate::common::probability)]
    pub target_precision: Option<f32>,
    /// Split each batch into N shards trained in parallel [default: 4]. Part of the result (unlike --threads):
    /// the same --shards and --seed give the same model whatever the thread count.
    #[arg(long, value_name = "N")]
    pub shards: Option<usize>,
    /// Train on whole records only (no dropped fields, single fields or spans).
    #[arg(long)]
    pub no_augment: bool,
    /// Add the lexical ensemble member (hashed n-gram logistic regression over the whole text) [default: on].
    #[arg(long, overrides_with = "no_lexical")]
    pub lexical: bool,
    /// BERT only: no lexical.safetensors.
    #[arg(long, overrides_with = "lexical")]
    pub no_lexical: bool,
    /// Give messages (records with only `text`) their own, lower threshold: the lowest that flags at most this
    /// share of the validation's non-lure messages [default: 0.005]. Needs 200 non-lure validation messages.
    #[arg(long, value_name = "SHARE", value_parser = crate::common::probability)]
    pub message_fp_budget: Option<f32>,
    /// One threshold for every record (no separate message threshold).
    #[arg(long, conflicts_with = "message_fp_budget")]
    pub no_message_threshold: bool,
    /// Once validation has chosen the epochs, calibration, ensemble weights and thresholds, train again on the
    /// training and validation data together, keeping those choices [default: none]. More data for the model; the
    /// validation figures printed and stored then describe the model before the refit.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub refit: Option<RefitArg>,
    /// Exemplars of lure typologies and benign look-alikes (JSON Lines: typology, lang, text, label lure|benign),
    /// e.g. datasets/exemplars/exemplars.jsonl. Copied into the model folder as exemplars.jsonl; each record's
    /// similarity to them (mean cosine to the 3 nearest lure exemplars minus to the 3 nearest benign ones) joins the
    /// ensemble with a weight fitted on validation data, and `score --explain` names the nearest typology. Needs
    /// the lexical member.
    #[arg(long, value_name = "FILE")]
    pub exemplars: Option<PathBuf>,

    /// With --init: keep the embeddings (word, position, LayerNorm) as they are [default: off]. A multilingual
    /// encoder's embeddings of words the training data never shows stay where pre-training put them.
    #[arg(long)]
    pub freeze_embeddings: bool,
    /// With --init: keep the embeddings and the lowest N encoder layers as they are [default: 0]. N at least the
    /// model's layer count freezes the whole encoder: only the pooler and classifier train, on features computed
    /// once per distinct input (minutes instead of hours for a 12-layer encoder on two cores).
    #[arg(long, value_name = "N")]
    pub freeze_layers: Option<usize>,
    /// With a frozen encoder (--freeze-layers at least its layer count): keep its features in FILE between runs,
    /// so that a second run on overlapping data (another fold, another head) skips most of the encoder's work.
    #[arg(long, value_name = "FILE")]
    pub feature_cache: Option<PathBuf>,
    /// Read disguised spellings as plain words before the model, the lexical member and the indicators see a
    /// record (`h0me`, `5OO`, `W.o.r.k`, Cyrillic look-alikes), in training and in the folder's scoring
    /// (`"deobfuscate": true` under `render` in lurescan.json; also with --init, which otherwise keeps its folder's
    /// rendering) [default: off, or the --init folder's].
    #[arg(long)]
    pub deobfuscate: bool,
    /// Read Traditional Chinese as Simplified before the model, the lexical member and the exemplars see a record
    /// (`做任務` as `做任务`), in training and in the folder's scoring (`"fold_traditional": true` under `render`;
    /// also with --init) [default: off, or the --init folder's]. The indicators always read it so.
    #[arg(long)]
    pub fold_traditional: bool,
    /// Read HTML left in scraped text as a browser shows it (`<br>` a line break, `<b>` nothing, `&#46;` a `.`)
    /// before the model, the lexical member and the exemplars see a record, in training and in the folder's scoring
    /// (`"markup": true` under `render`; also with --init) [default: off, or the --init folder's]. The indicators and
    /// contacts always read it so.
    #[arg(long)]
    pub markup: bool,
    /// Store the model's weights as float16: half the size, scores move in the fourth decimal.
    #[arg(long)]
    pub half: bool,
    /// The arithmetic the trained folder scores with (`"precision"` in its lurescan.json): `int8` calibrates the
    /// thresholds and ensemble weights on validation scored at int8, as the folder will score; training itself is
    /// fp32 either way [default: fp32].
    #[arg(long, value_name = "fp32|int8")]
    pub precision: Option<lurescan::Precision>,
    /// Layer-wise learning-rate decay: layer i of L trains at lr·D^(L−i), the embeddings at lr·D^(L+1), the head
    /// at lr [default: 1, one rate].
    #[arg(long, value_name = "D")]
    pub layer_lr_decay: Option<f64>,

    /// Worker threads [default: one per core; also read from RAYON_NUM_THREADS].
    #[arg(long, short = 'j', value_name = "N",
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1024))]
    pub threads: Option<usize>,

    /// No progress bar and no per-epoch lines.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Stop after this many epochs, leaving the checkpoint (for testing --resume).
    #[arg(long, value_name = "N", hide = true)]
    pub stop_after: Option<usize>,
}
