//! The `lurescan` command line: glue that parses flags into the libraries' own types, calls them, and prints.
//! Results go to stdout (or `--output`), progress and logs to stderr.

mod args;
mod batch;
mod campaigns;
mod distill;
mod eval;
mod explain;
mod html_report;
mod inputs;
mod model;
mod output;
mod plots;
mod pretrain;
mod report;
mod score;
mod serve;
mod train;

use args::{Args, Command, UsageError};
use clap::Parser;
use lurescan_train::TrainError;
use mimalloc::MiMalloc;
use std::process::ExitCode;

#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

fn main() -> ExitCode {
    let args = Args::parse();
    // Before any thread or candle op starts: scoring runs whole batches in parallel and training runs the shards of
    // each batch in parallel, one per core, instead of candle splitting every op across its own threads.
    lurescan::use_batch_parallelism();
    let result = match args.command {
        Command::Score(score) => score::run(score),
        Command::Train(train) => train::run(*train),
        Command::Pretrain(pretrain) => pretrain::run(*pretrain),
        Command::Distill(distill) => distill::run(*distill),
        Command::Eval(eval) => eval::run(eval),
        Command::Serve(serve) => serve::run(serve),
        Command::Explain(explain) => explain::run(*explain),
        Command::Campaigns(campaigns) => campaigns::run(*campaigns),
        Command::Report(report) => html_report::run(*report),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stopped reading (`lurescan score ads.csv | head`) is not a failure.
        Err(e) if args::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) if is_usage(&e) => {
            eprintln!("error: {e:#}\n\nFor more information, try '--help'.");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// A mistake in how the command was called (exit 2): a [`UsageError`], labelled data whose format cannot be told
/// from its extension (as for `score`), or an `--out` that would replace something that is not a model.
fn is_usage(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.is::<UsageError>()
            || matches!(
                cause.downcast_ref::<TrainError>(),
                Some(TrainError::UnknownFormat { .. } | TrainError::Out { .. })
            )
    })
}
