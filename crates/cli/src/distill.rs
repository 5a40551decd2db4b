//! `lurescan distill`: flags into a [`DistillConfig`], the files' text rendered as the teacher renders it, then
//! [`lurescan_train::distill::distill`]; prints what it wrote.

use crate::common::EXIT_CODES;
use crate::output::count;
use crate::progress::observer;
use anyhow::Result;
use lurescan_train::distill::{DistillConfig, Teacher};
use lurescan_train::pretrain::Corpus;
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  Import the multilingual encoder, distil a 3-layer student on your text, then
  train a classifier on the frozen student:
    python3 models/import_e5.py --out target/e5
    lurescan distill --teacher target/e5 --layers 0,6,11 --data train.jsonl \\
      --data valid.jsonl --out target/student --cache target/teacher-emb.safetensors
    lurescan train --init target/student --freeze-layers 3 --data train.jsonl \\
      --valid valid.jsonl --out my-model

What it learns:
  The student starts from the teacher's embeddings and the teacher layers named
  by --layers, and learns to give each text the teacher's mean-pooled embedding,
  both as its own mean-pooled state (what exemplar similarity reads) and at the
  first position (<s>/[CLS], what the classification head reads). With
  --neighbour-weight it also learns to rank the other texts as the teacher
  does (their similarities, softmax at --neighbour-temperature). Every 20th
  text is held out to measure agreement: mean cosine with the teacher, and the
  share of the teacher's 10 nearest texts that the student also finds.

Output folder (written at the end, replacing OUT in one rename):
  config.json (BertModel), model.safetensors, tokenizer.json (the teacher's),
  lurescan.json (rendering, flags, agreement per epoch).";

#[derive(Debug, clap::Args)]
#[command(after_help = format!("{EXAMPLES}\n\n{EXIT_CODES}"))]
pub struct DistillArgs {
    /// The teacher: a model folder with a BERT encoder (e.g. the output of models/import_e5.py).
    #[arg(long, value_name = "DIR")]
    pub teacher: PathBuf,
    /// Text to distil on (.jsonl or .csv; labels ignored); repeat the flag for several files.
    #[arg(long, value_name = "FILE", required = true)]
    pub data: Vec<PathBuf>,
    /// The student folder to write (missing parent folders are created; refused if it is a file, another folder, or
    /// holds the data: exit 2).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Keep the teacher's embeddings in this file (reused when the teacher and the texts are the same).
    #[arg(long, value_name = "FILE")]
    pub cache: Option<PathBuf>,
    /// Teacher layers the student starts from, comma-separated, in order [default: 0,4,8,11].
    #[arg(long, value_name = "L,L,…", value_delimiter = ',')]
    pub layers: Option<Vec<usize>>,
    /// Passes over the text [default: 2].
    #[arg(long, value_name = "N")]
    pub epochs: Option<usize>,
    /// Texts per optimiser step [default: 32].
    #[arg(long, value_name = "N")]
    pub batch_size: Option<usize>,
    /// Peak learning rate [default: 0.0001].
    #[arg(long, value_name = "RATE")]
    pub lr: Option<f64>,
    /// Maximum tokens per text [default: 128].
    #[arg(long, value_name = "N")]
    pub max_len: Option<usize>,
    /// Seed of the shuffles and dropout [default: 42].
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Continue from this student folder (a previous `distill` output) instead of the teacher's layers.
    #[arg(long, value_name = "DIR")]
    pub student: Option<PathBuf>,
    /// Weight of the centred-cosine term (directions relative to the mean teacher embedding) [default: 1].
    #[arg(long, value_name = "W")]
    pub centered_weight: Option<f64>,
    /// Weight of the neighbourhood term: the student learns to rank the other texts as the teacher ranks them
    /// (what nearest-exemplar similarity needs) [default: 0, off].
    #[arg(long, value_name = "W")]
    pub neighbour_weight: Option<f64>,
    /// Softmax temperature of the neighbourhood term, in cosine units [default: 0.02].
    #[arg(long, value_name = "T")]
    pub neighbour_temperature: Option<f64>,
    /// Train the embeddings too (by default they keep the teacher's values).
    #[arg(long)]
    pub train_embeddings: bool,
    /// Skip rows that cannot be read or have no text, and count them, instead of stopping.
    #[arg(long)]
    pub skip_bad: bool,
    /// Worker threads [default: one per core].
    #[arg(long, short = 'j', value_name = "N",
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1024))]
    pub threads: Option<usize>,
    /// No progress bar and no per-epoch lines.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

pub fn run(args: DistillArgs) -> Result<()> {
    if let Some(threads) = args.threads {
        crate::model::set_threads(threads)?;
    }
    let mut config = DistillConfig::default();
    macro_rules! set {
        ($($field:ident => $target:expr),* $(,)?) => { $( if let Some(v) = args.$field.clone() { $target = v; } )* };
    }
    set!(layers => config.layers, epochs => config.epochs, batch_size => config.batch_size, lr => config.lr,
         max_len => config.max_len, seed => config.seed, neighbour_weight => config.neighbour_weight,
         neighbour_temperature => config.neighbour_temperature);
    config.freeze_embeddings = !args.train_embeddings;
    config.student = args.student.clone();
    if let Some(w) = args.centered_weight {
        config.centered_weight = w;
    }
    let render = Teacher::load(&args.teacher)?.settings.render;
    let corpus = Corpus::load(&args.data, &render, args.skip_bad)?;
    let sources: Vec<PathBuf> = corpus.sources.iter().map(|s| s.path.clone()).collect();
    let outcome = lurescan_train::distill::distill(
        &config,
        &args.teacher,
        &corpus.texts,
        &sources,
        &args.out,
        args.cache.as_deref(),
        &mut *observer(args.quiet),
    )?;
    let last = outcome.history.last().expect("at least one epoch");
    let layers = outcome.layers;
    outln!(
        "wrote {} ({} from {}; agreement with the teacher on {} held-out texts: mean {:.4} (before {:.4}), first \
         position {:.4} (before {:.4}))\ntrain a classifier on it with: lurescan train --init {} --freeze-layers {} \
         --data LABELLED --out MODEL",
        args.out.display(),
        count(layers, "layer"),
        count(outcome.texts, "text"),
        outcome.held_out,
        last.agreement_mean,
        outcome.agreement_before.0,
        last.agreement_cls,
        outcome.agreement_before.1,
        args.out.display(),
        layers
    )?;
    Ok(())
}
