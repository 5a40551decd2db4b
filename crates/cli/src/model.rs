//! Choosing and loading the model, and the flags every model-running subcommand shares (`--model`, `--threshold`,
//! `--batch-size`, `--threads`): flatten [`ModelArgs`] into a subcommand's args and call [`ModelArgs::load`].

use anyhow::{bail, Context, Result};
use clap::Args;
use lurescan::{Classifier, ExemplarSet, ModelFiles, ScoreOptions};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Args)]
pub struct ModelArgs {
    /// Model folder (config.json, model.safetensors, tokenizer.json, lurescan.json), or the name of a built-in
    /// model: `base` (models/lurescan-base as it was at build time: the multilingual encoder) or `fast` (the small
    /// 2-layer model, several times faster) [default: base]. A folder of that name in the current directory wins.
    #[arg(long, short = 'm', value_name = "DIR|base|fast")]
    pub model: Option<PathBuf>,

    /// Probability at or above which a record is labelled `lure`, for postings and messages alike [default: the
    /// model's, from lurescan.json, where messages may have their own lower threshold].
    #[arg(long, value_name = "P", value_parser = crate::common::probability)]
    pub threshold: Option<f32>,

    /// Records per forward pass of the model.
    #[arg(long, value_name = "N", default_value_t = ScoreOptions::default().batch_size,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=65536))]
    pub batch_size: usize,

    /// Worker threads for the model [default: one per core; also read from RAYON_NUM_THREADS].
    #[arg(long, short = 'j', value_name = "N",
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1024))]
    pub threads: Option<usize>,

    /// Add these exemplars (JSON Lines: {"typology", "lang", "text", "label": "lure"|"benign"}) to the model's own
    /// exemplars.jsonl, without retraining: a model trained with exemplars counts them in the score, and the
    /// explanations (`explain`, `score --explain`, `report`) name each record's nearest typology. Repeatable. See
    /// datasets/exemplars/README.md.
    #[arg(long, value_name = "FILE")]
    pub exemplars: Vec<PathBuf>,

    /// Arithmetic of the encoder's matrix products: `fp32`, or `int8` (weights and activations quantised to 8
    /// bits: faster on CPUs with AMX, AVX-512 VNNI or AVX2, scores within about 0.02 of fp32's) [default: the model's
    /// `"precision"` in lurescan.json, else fp32].
    #[arg(long, value_name = "fp32|int8")]
    pub precision: Option<lurescan::Precision>,
}

impl ModelArgs {
    /// Sizes the thread pools, then loads `--model` or, without it, the built-in default model.
    pub fn load(&self) -> Result<Classifier> {
        if let Some(threads) = self.threads {
            set_threads(threads)?;
        }
        self.load_model()
    }

    /// Fails as [`ModelArgs::load_model`] would when `--model` names no folder and no built-in model: for `serve`,
    /// which loads the model after it has started listening.
    pub fn check_exists(&self) -> Result<()> {
        match &self.model {
            Some(name) if ModelFiles::BUILTIN.iter().any(|b| name.as_os_str() == *b) => Ok(()),
            Some(dir) => check_dir(dir),
            None => Ok(()),
        }
    }

    /// Loads `--model` or the built-in model, with `--exemplars`, without sizing any thread pool (`serve` runs the
    /// model on a pool of its own).
    pub fn load_model(&self) -> Result<Classifier> {
        let mut classifier = match &self.model {
            Some(dir) if dir.is_dir() => load_dir(dir)?,
            Some(name) if name.as_os_str() == "base" => default_model()?,
            Some(name) if name.as_os_str() == "fast" => fast_model()?,
            Some(dir) => load_dir(dir)?,
            None => default_model()?,
        };
        if let Some(precision) = self.precision {
            classifier = classifier.with_precision(precision)?;
        }
        for path in &self.exemplars {
            let set = ExemplarSet::load(path).with_context(|| format!("cannot read --exemplars {}", path.display()))?;
            if set.is_empty() {
                bail!("--exemplars {}: no exemplars in the file (one JSON object a line)", path.display());
            }
            classifier = classifier
                .with_exemplars(set)
                .with_context(|| format!("cannot embed the exemplars of {}", path.display()))?;
        }
        Ok(classifier)
    }

    pub fn score_options(&self) -> ScoreOptions {
        ScoreOptions { batch_size: self.batch_size, threshold: self.threshold }
    }
}

/// Makes candle run each tensor op on the calling thread (`CANDLE_NUM_THREADS=1`, unless the user set it), so that
/// scoring gives whole batches to the rayon pool instead, one per thread ([`lurescan::Parallelism::Auto`] then
/// picks batches) and training runs the shards of a batch in parallel. Measured on a busy 2-core machine this
/// scores 4–5× more records per second than candle splitting every op across its own spinning threads. Must run
/// first in `main`, before any other thread starts and before any candle op: candle reads the variable once.
pub fn candle_ops_on_calling_thread() {
    if std::env::var_os("CANDLE_NUM_THREADS").is_none() {
        // Single-threaded here: no other thread reads the environment yet.
        std::env::set_var("CANDLE_NUM_THREADS", "1");
    }
}

/// The most threads per core RAYON_NUM_THREADS or CANDLE_NUM_THREADS may ask for; more only thrash (and thousands
/// take gigabytes of stacks and minutes to start).
const MAX_THREADS_PER_CORE: usize = 4;

/// Caps RAYON_NUM_THREADS and CANDLE_NUM_THREADS at [`MAX_THREADS_PER_CORE`] threads per core, and drops a value
/// that is not a positive number (the default, one per core, then applies), with a warning each unless `quiet`
/// (`--quiet`: the value is capped or dropped all the same). Must run first in `main`, before any other thread
/// starts and before rayon or candle size their pools.
pub fn bound_thread_env(quiet: bool) {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let cap = cores * MAX_THREADS_PER_CORE;
    for name in ["RAYON_NUM_THREADS", "CANDLE_NUM_THREADS"] {
        let Some(value) = std::env::var_os(name) else { continue };
        let text = value.to_string_lossy();
        match text.trim().parse::<usize>() {
            Ok(n) if (1..=cap).contains(&n) => {}
            Ok(n) if n > cap => {
                if !quiet {
                    logln!(
                    "warning: {name}={n} is more than {MAX_THREADS_PER_CORE} threads per core ({cores} cores here): \
                     using {cap}"
                    );
                }
                std::env::set_var(name, cap.to_string());
            }
            _ => {
                if !quiet {
                    logln!("warning: {name}={text:?} is not a positive number of threads: ignored (one per core)");
                }
                std::env::remove_var(name);
            }
        }
    }
}

/// Must run before anything touches rayon or candle: both size their pools once, on first use. candle reads
/// RAYON_NUM_THREADS for its own pool and for gemm.
pub fn set_threads(threads: usize) -> Result<()> {
    // Single-threaded here: no other thread reads the environment yet.
    std::env::set_var("RAYON_NUM_THREADS", threads.to_string());
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .context("cannot size the thread pool for --threads")
}

fn load_dir(dir: &Path) -> Result<Classifier> {
    check_dir(dir)?;
    let loaded = Classifier::load(dir).with_context(|| format!("cannot load the model in {}", dir.display()));
    // A folder named like a built-in model, here by accident, takes precedence over it: say so.
    match dir.to_str() {
        Some(name) if lurescan::ModelFiles::BUILTIN.contains(&name) => loaded.with_context(|| {
            format!(
                "--model {name}: a folder of that name is here and is read instead of the built-in {name} model; \
                 rename or move the folder to use the built-in one"
            )
        }),
        _ => loaded,
    }
}

fn check_dir(dir: &Path) -> Result<()> {
    if dir.is_file() {
        let folder = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        bail!(
            "--model {}: a file, not a model folder: give the folder that holds it ({})",
            dir.display(),
            folder.display()
        );
    }
    if !dir.is_dir() {
        bail!("--model {}: no such folder (pass a model folder holding config.json, model.safetensors, tokenizer.json and lurescan.json)", dir.display());
    }
    Ok(())
}

/// The model used when no `--model` is given (or `--model base`): `models/lurescan-base`, compiled into the
/// `lurescan` crate (its `builtin-model` feature) when the binary was built.
fn default_model() -> Result<Classifier> {
    match ModelFiles::builtin("base") {
        Some(files) => {
            let classifier = Classifier::from_files(files)
                .context("cannot load the built-in default model (pass --model DIR to use another)")?;
            // The classifier holds its own copy of what it uses: the pages read from the embedded files can go.
            ModelFiles::release_builtin("base");
            Ok(classifier)
        }
        None => bail!("no model to score with: pass --model DIR, a model folder holding config.json, model.safetensors, tokenizer.json and lurescan.json (this build has no built-in default model: models/lurescan-base was missing when it was built)"),
    }
}

/// `--model fast`: `models/lurescan-fast`, the small 2-layer model, compiled in as the default one is.
fn fast_model() -> Result<Classifier> {
    match ModelFiles::builtin("fast") {
        Some(files) => {
            let classifier = Classifier::from_files(files)
                .context("cannot load the built-in fast model (pass --model DIR to use another)")?;
            // The classifier holds its own copy of what it uses: the pages read from the embedded files can go.
            ModelFiles::release_builtin("fast");
            Ok(classifier)
        }
        None => bail!("--model fast: this build has no built-in fast model (models/lurescan-fast was missing when it was built); pass --model DIR"),
    }
}
