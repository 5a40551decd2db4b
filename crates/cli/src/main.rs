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
mod output_file;
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

/// `mi_option_purge_delay`'s place in mimalloc's `mi_option_t` (the same in the v2 and v3 sources vendored by
/// libmimalloc-sys 0.1.49). The `mimalloc` crate exposes `mi_option_set` only with its `extended` feature, which
/// needs a crate (`cty`) the build does not have, so the two functions are declared here; the test below checks
/// that this index still holds the purge delay's default, 1000 ms in v3.
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    #[cfg(test)]
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
}

/// Tells mimalloc to keep the memory it frees instead of returning it to the system after a delay (1 s by default),
/// unless the user set `MIMALLOC_PURGE_DELAY` (or its older name `MIMALLOC_RESET_DELAY`) themselves. Training commands
/// only: a training step frees and allocates the same large gradient buffers step after step, and returned pages come
/// back zeroed by the kernel on the next fault. Scoring keeps mimalloc's delay: with 8 sequences per batch its
/// buffers are small and reused at once, and on 100,000 records (benches/rss.py, int8) the delay cut the peak from
/// 336 to 306 MB and RSS between chunks to 220–275 MB for the same CPU time (509 s against 512 s). Never purging
/// had saved the page faults that took 15–26% of the profile when batches of 32 freed 25 MB buffers (issue 15).
fn keep_freed_memory() {
    if ["MIMALLOC_PURGE_DELAY", "MIMALLOC_RESET_DELAY"].iter().all(|name| std::env::var_os(name).is_none()) {
        // SAFETY: mi_option_set only stores the value in mimalloc's option table (an atomic store); -1 is
        // mimalloc's documented "never purge".
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    }
}

/// Asks Linux not to back this process's memory with transparent huge pages, unless the user set
/// `MIMALLOC_ALLOW_THP` themselves (mimalloc's own switch: `=0` does the same at its start, `=1` keeps them). mimalloc
/// advises huge pages for its arenas, so every 2 MiB of address space it touches becomes resident whole, used or not:
/// measured with int8 weights (issue 15's memory bar), 25 MB of the peak on 20,000 records (398 → 373 MB,
/// benches/rss.py) and 20–60 MB on 6,000, for 0–3% more CPU time (three alternating rounds on a shared machine).
/// The flag is the process's (`prctl(PR_SET_THP_DISABLE)`); huge pages already faulted in stay, so it is set first.
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // SAFETY: PR_SET_THP_DISABLE only sets a flag of this process; it takes no pointers.
        unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
    }
}

fn main() -> ExitCode {
    no_transparent_huge_pages();
    let args = Args::parse();
    if matches!(args.command, Command::Train(_) | Command::Pretrain(_) | Command::Distill(_)) {
        keep_freed_memory();
    }
    // Parsed first, so that `--quiet` silences these warnings too.
    let quiet = args.command.quiet();
    model::bound_thread_env(quiet);
    for warning in lurescan::env_warnings().into_iter().filter(|_| !quiet) {
        logln!("warning: {warning}");
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The index declared above is mimalloc's purge delay: in a process that did not call `keep_freed_memory` nor
    /// set the variable, it holds the purge delay's default in mimalloc v3, 1000 (ms); its neighbours' defaults are 1 and 0.
    #[test]
    fn purge_delay_index_holds_its_default() {
        if ["MIMALLOC_PURGE_DELAY", "MIMALLOC_RESET_DELAY"].iter().any(|name| std::env::var_os(name).is_some()) {
            eprintln!("MIMALLOC_PURGE_DELAY or MIMALLOC_RESET_DELAY is set: the default cannot be checked");
            return;
        }
        // SAFETY: mi_option_get only reads mimalloc's option table.
        assert_eq!(unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) }, 1000);
    }

    /// After the call the process's flag says "no transparent huge pages" (when the user did not choose).
    #[cfg(target_os = "linux")]
    #[test]
    fn transparent_huge_pages_are_disabled() {
        if std::env::var_os("MIMALLOC_ALLOW_THP").is_some() {
            eprintln!("MIMALLOC_ALLOW_THP is set: lurescan leaves the choice to it");
            return;
        }
        no_transparent_huge_pages();
        // SAFETY: PR_GET_THP_DISABLE only reads a flag of this process.
        assert_eq!(unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) }, 1);
    }
}
