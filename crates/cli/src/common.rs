//! What every subcommand shares and nothing else: the usage error, the exit codes and how a failure picks one, and
//! the parsers of flags that several commands take (`--threshold`-like probabilities, `--format`). Commands import
//! this module, and `args.rs` imports the commands: no import goes both ways.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use lurescan::input::Format;
use lurescan_train::TrainError;
use std::fmt;
use std::process::ExitCode;

/// Exit codes, shared by every subcommand's `--help`.
pub const EXIT_CODES: &str = "\
Exit codes:
  0  finished. For score and campaigns, records that could not be scored
     (broken JSON, invalid UTF-8, no text, ...) get their own output row
     with `error` set; for train and eval, bad rows skipped with --skip-bad
     are counted on stderr. Neither changes the exit code.
  1  could not run: a model, an input or labelled data could not be loaded
     or read (for train and eval: a bad row without --skip-bad; for train:
     training records without both lures and legitimate ones), or an
     output could not be written. The message names the file, the line
     where there is one, and what to do.
  2  usage: unknown flag, bad value, an input whose format cannot be told
     from its extension, or (train, pretrain) an --out that is not a new,
     empty or model folder.
  75 temporary: an input, the model or the output failed midway on an I/O
     error that may not happen again (disk or quota full, an interrupted or
     reset read or write, a network file system timing out, EIO). Retrying
     the same command may succeed; after 1 or 2 it would fail the same way.
     (A run killed by a signal, e.g. the out-of-memory killer, shows as
     128 + the signal: 137.)";

/// The exit code of a command's result, its error printed to stderr with its whole cause chain.
pub fn exit_code(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stopped reading (`lurescan score ads.csv | head`) is not a failure.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
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

/// A mistake in how the command was called (exit code 2), found after clap parsed the flags.
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// True when the error comes from writing to a pipe whose reader has gone.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .any(|cause| cause.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe))
}

/// Parses a probability in [0, 1] (for `--threshold`).
pub fn probability(s: &str) -> Result<f32, String> {
    let value: f32 = s.trim().parse().map_err(|_| format!("`{s}` is not a number"))?;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is not between 0 and 1"))
    }
}

/// The parser of every command's `--format`: a [`Format`] by name, the names listed in `--help`.
pub fn format_parser() -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(Format::ALL.map(Format::name)).map(|s| s.parse::<Format>().expect("a listed format"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_are_probabilities() {
        assert_eq!(probability("0.25"), Ok(0.25));
        assert!(probability("1.5").is_err());
        assert!(probability("x").is_err());
    }
}
