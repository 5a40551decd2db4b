//! The `lurescan` command line: glue that parses flags into the libraries' own types, calls them, and prints.
//! Results go to stdout (or `--output`), progress and logs to stderr.

/// `print!` that returns an error instead of panicking when stdout is closed or full: `out!(...)?`. A closed pipe
/// (`| head`) then ends the run quietly, any other failure is an error (exit 1).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut stdout = std::io::stdout().lock();
        write!(stdout, $($arg)*)
            .and_then(|()| stdout.flush())
            .map_err(|e| anyhow::Error::new(e).context("cannot write to stdout"))
    }};
}

/// `println!` that returns an error instead of panicking: see [`out!`].
macro_rules! outln {
    ($($arg:tt)*) => { out!("{}\n", format_args!($($arg)*)) };
}

/// `eprintln!` for logs and messages, dropped when stderr cannot take them (closed, full): a run whose results are
/// written must not fail, or panic, over its log.
macro_rules! logln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod args;
mod batch;
mod campaigns;
mod common;
mod distill;
mod eval;
mod explain;
mod html_report;
mod inputs;
mod model;
mod output;
mod plots;
mod pretrain;
mod progress;
mod report;
mod score;
mod serve;
mod train;

use args::{Args, Command};
use clap::Parser;
use mimalloc::MiMalloc;
use std::process::ExitCode;

#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

fn main() -> ExitCode {
    let args = Args::parse();
    model::bound_thread_env();
    // Before any thread or candle op starts: scoring runs whole batches in parallel and training runs the shards of
    // each batch in parallel, one per core, instead of candle splitting every op across its own threads.
    model::candle_ops_on_calling_thread();
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
    common::exit_code(result)
}
