//! `lurescan pretrain`: flags into a [`PretrainConfig`], the files' text into a [`Corpus`], then
//! [`lurescan_train::pretrain::pretrain`]; prints what it wrote.

use crate::common::{UsageError, EXIT_CODES};
use crate::output::count;
use crate::progress::observer;
use anyhow::Result;
use lurescan_train::pretrain::{Corpus, PretrainConfig};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  Pre-train an encoder on all the text you have (labels are ignored), with the
  shape and rendering of a training recipe, then fine-tune it on labelled data:
    lurescan pretrain --data train.jsonl --data valid.jsonl --out encoder \\
      --config models/lurescan-fast.recipe.json --epochs 2
    lurescan train --init encoder --config models/lurescan-fast.recipe.json \\
      --data train.jsonl --valid valid.jsonl --out my-model

Text:
  Every record of each JSONL or CSV file, rendered as `lurescan train` renders it
  and cut into --max-len windows so that no text is lost. Each epoch masks 15%
  of the tokens afresh (80% [MASK], 10% a random token, 10% unchanged).

Output folder (written at the end, replacing OUT in one rename):
  config.json (BertForMaskedLM), model.safetensors (encoder and cls.predictions.*),
  tokenizer.json, lurescan.json (rendering, flags, loss per epoch), README.md.
  It is not a classifier: `lurescan score` refuses it until `train --init` has
  fine-tuned it.";

#[derive(Debug, clap::Args)]
#[command(after_help = format!("{EXAMPLES}\n\n{EXIT_CODES}"))]
pub struct PretrainArgs {
    /// Text to learn from (.jsonl or .csv); repeat the flag for several files.
    #[arg(long, value_name = "FILE", required = true)]
    pub data: Vec<PathBuf>,

    /// The model folder to write: a new folder, an empty one, or a model folder to replace (it is replaced only at
    /// the end, in one rename; missing parent folders are created). A file, another folder, or a folder holding the
    /// data is refused (exit 2).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Take the model size, vocabulary, maximum length, dropout, rendering, seed, batch size and shards from this
    /// JSON TrainConfig (the file `lurescan train --config` reads), so that the fine-tuning run fits; flags
    /// override it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Skip rows that cannot be read or have no text, and count them, instead of stopping.
    #[arg(long)]
    pub skip_bad: bool,

    /// Passes over the text [default: 2].
    #[arg(long, value_name = "N")]
    pub epochs: Option<usize>,
    /// Windows per optimiser step [default: --config's, else 32].
    #[arg(long, value_name = "N")]
    pub batch_size: Option<usize>,
    /// Peak learning rate [default: 0.001].
    #[arg(long, value_name = "RATE")]
    pub lr: Option<f64>,
    /// Seed of the initial weights, the shuffles, the masking and dropout [default: --config's, else 42].
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Maximum tokens per window, [CLS] and [SEP] included [default: --config's, else 128].
    #[arg(long, value_name = "N")]
    pub max_len: Option<usize>,
    /// Width of the encoder, a multiple of --heads [default: --config's, else 128].
    #[arg(long, value_name = "N")]
    pub hidden_size: Option<usize>,
    /// Transformer layers [default: --config's, else 2].
    #[arg(long, value_name = "N")]
    pub layers: Option<usize>,
    /// Attention heads per layer [default: --config's, else 4].
    #[arg(long, value_name = "N")]
    pub heads: Option<usize>,
    /// Tokenizer vocabulary size (at least 273: special tokens and the 256 bytes) [default: --config's, else 8000].
    #[arg(long, value_name = "N")]
    pub vocab_size: Option<usize>,
    /// Dropout probability of the hidden states and attention [default: --config's, else 0.1].
    #[arg(long, value_name = "P")]
    pub dropout: Option<f64>,
    /// Share of the tokens of each window to mask [default: 0.15].
    #[arg(long, value_name = "SHARE")]
    pub mask_prob: Option<f64>,
    /// Split each batch into N shards trained in parallel [default: 4]; part of the result.
    #[arg(long, value_name = "N")]
    pub shards: Option<usize>,

    /// Worker threads [default: one per core; also read from RAYON_NUM_THREADS].
    #[arg(long, short = 'j', value_name = "N",
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1024))]
    pub threads: Option<usize>,

    /// No progress bar and no per-epoch lines.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

impl PretrainArgs {
    /// `--config`'s shape (or the training defaults'), pre-training defaults, then each flag given.
    pub fn to_config(&self) -> Result<PretrainConfig> {
        let train = crate::train::read_config(self.config.as_deref())?;
        let mut c = PretrainConfig::shaped_like(&train);
        macro_rules! set {
            ($($field:ident => $target:expr),* $(,)?) => { $( if let Some(v) = self.$field { $target = v; } )* };
        }
        set!(epochs => c.optim.epochs, batch_size => c.optim.batch_size, lr => c.optim.lr, seed => c.seed,
             max_len => c.shape.max_len, hidden_size => c.shape.hidden_size, layers => c.shape.layers,
             heads => c.shape.heads, vocab_size => c.shape.vocab_size, dropout => c.shape.dropout,
             mask_prob => c.mask_prob, shards => c.shards);
        // A value out of range, from a flag or from the --config file, is a usage error (exit 2).
        c.validate().map_err(|e| UsageError(e.to_string()))?;
        Ok(c)
    }
}

pub fn run(args: PretrainArgs) -> Result<()> {
    if let Some(threads) = args.threads {
        crate::model::set_threads(threads)?;
    }
    let config = args.to_config()?;
    let corpus = Corpus::load(&args.data, &config.render, args.skip_bad)?;
    if !args.quiet {
        for source in &corpus.sources {
            let skipped = match source.skipped_bad_rows {
                0 => String::new(),
                n => format!(", {} skipped", count(n, "bad row")),
            };
            logln!("{}: {}{skipped}", source.path.display(), count(source.records, "record"));
        }
    }
    let outcome = lurescan_train::pretrain::pretrain(&config, &corpus, &args.out, &mut *observer(args.quiet))?;
    let last = outcome.history.last().expect("at least one epoch");
    outln!(
        "wrote {} ({}, {}, {}; masked-token loss {:.4}, accuracy {:.3})\n\
         fine-tune it with: lurescan train --init {} --data LABELLED --out MODEL",
        args.out.display(),
        count(outcome.records, "record"),
        count(outcome.windows, "window"),
        count(outcome.history.len(), "epoch"),
        last.loss,
        last.masked_accuracy,
        args.out.display()
    )?;
    Ok(())
}
