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

use args::{Args, Command, UsageError};
use clap::Parser;
use lurescan_train::TrainError;
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
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stopped reading (`lurescan score ads.csv | head`) is not a failure.
        Err(e) if args::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) if is_temporary(&e) => {
            logln!("error: {e:#}\n(a temporary failure: the same command may succeed when run again)");
            ExitCode::from(EXIT_TEMPORARY)
        }
        Err(e) if is_usage(&e) => {
            logln!("error: {e:#}\n\nFor more information, try '--help'.");
            ExitCode::from(2)
        }
        Err(e) => {
            logln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Exit code of a failure that retrying may cure (sysexits' EX_TEMPFAIL): schedulers that read exit codes
/// (Kubernetes `podFailurePolicy`, Slurm, GNU parallel `--retries`, a Spark driver's own retry loop) retry only
/// these; 1 and 2 fail the same way every time.
const EXIT_TEMPORARY: u8 = 75;

/// An I/O error anywhere in the cause chain whose kind says it may pass: not a missing file, a refused permission
/// or bad data (those fail again), but a full disk, an interrupted or timed-out read or write, a reset connection
/// of a network file system, or the kernel's EIO.
fn is_temporary(error: &anyhow::Error) -> bool {
    use std::io::ErrorKind::*;
    error.chain().filter_map(|cause| cause.downcast_ref::<std::io::Error>()).any(|e| {
        matches!(
            e.kind(),
            Interrupted
                | TimedOut
                | WouldBlock
                | ConnectionReset
                | ConnectionAborted
                | NotConnected
                | NetworkDown
                | NetworkUnreachable
                | HostUnreachable
                | StaleNetworkFileHandle
                | StorageFull
                | QuotaExceeded
                | ResourceBusy
                | OutOfMemory
        ) || e.raw_os_error() == Some(EIO)
    })
}

/// The kernel's "input/output error" (a failing disk or network file system); the same number on every unix.
const EIO: i32 = 5;

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
