//! Logs to stderr that never block or fail the service: each line is handed to one writer thread through a bounded
//! channel and dropped (and counted, `lurescan_log_lines_dropped_total`) when the channel is full. The thread ignores
//! write errors, so a stderr that is closed, full (`/dev/full`), a pipe nobody reads, or a terminal that went away
//! costs log lines, never requests.

use std::io::{self, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::sync::OnceLock;
use tracing_subscriber::fmt::MakeWriter;

/// Lines the writer thread may be behind by before new lines are dropped.
const BACKLOG: usize = 4096;

static DROPPED: AtomicU64 = AtomicU64::new(0);
/// Lines handed to the writer thread and not yet written.
static PENDING: AtomicU64 = AtomicU64::new(0);

/// Log lines dropped so far because stderr could not take them.
pub fn dropped() -> u64 {
    DROPPED.load(Ordering::Relaxed)
}

/// Waits until the lines logged so far are written, or `limit` has passed (a stderr that blocks never holds the
/// process): called before the process exits, so that its last lines (`stopping`, `stopped`) are not lost.
pub fn drain(limit: std::time::Duration) {
    let deadline = std::time::Instant::now() + limit;
    while PENDING.load(Ordering::Relaxed) > 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// How log lines look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// `2026-12-01T23:50:00.000Z  INFO request id=… method=POST path=/v1/score status=200 …`
    #[default]
    Text,
    /// One JSON object a line, with the same fields.
    Json,
}

/// Installs the global `tracing` subscriber writing to stderr through [`Stderr`], at INFO level. Returns false when
/// the process already has one (a program embedding the server keeps its own).
pub fn init(format: LogFormat) -> bool {
    let builder = tracing_subscriber::fmt()
        .with_writer(Stderr::get())
        .with_ansi(false)
        .with_target(false)
        .with_max_level(tracing::Level::INFO);
    match format {
        LogFormat::Text => builder.try_init().is_ok(),
        LogFormat::Json => builder.json().flatten_event(true).try_init().is_ok(),
    }
}

/// A [`MakeWriter`] whose writers queue whole lines for the stderr thread.
#[derive(Debug, Clone)]
pub struct Stderr {
    lines: SyncSender<Vec<u8>>,
}

impl Stderr {
    /// The process's one sink, started on first use.
    pub fn get() -> Stderr {
        static SINK: OnceLock<Stderr> = OnceLock::new();
        SINK.get_or_init(|| {
            let (lines, receiver) = mpsc::sync_channel::<Vec<u8>>(BACKLOG);
            let spawned = std::thread::Builder::new().name("lurescan-log".into()).spawn(move || {
                for line in receiver {
                    // Errors are ignored on purpose: there is nowhere left to report them.
                    let _ = io::stderr().write_all(&line);
                    PENDING.fetch_sub(1, Ordering::Relaxed);
                }
            });
            if spawned.is_err() {
                // No thread, no logs: every line is dropped (and counted) rather than written inline.
                DROPPED.fetch_add(1, Ordering::Relaxed);
            }
            Stderr { lines }
        })
        .clone()
    }
}

/// One log line being formatted; sent (or dropped) when the formatter is done with it.
pub struct Line {
    bytes: Vec<u8>,
    lines: SyncSender<Vec<u8>>,
}

impl Write for Line {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for Line {
    fn drop(&mut self) {
        if self.bytes.is_empty() {
            return;
        }
        PENDING.fetch_add(1, Ordering::Relaxed);
        match self.lines.try_send(std::mem::take(&mut self.bytes)) {
            Ok(()) => {}
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                PENDING.fetch_sub(1, Ordering::Relaxed);
                DROPPED.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

impl<'a> MakeWriter<'a> for Stderr {
    type Writer = Line;
    fn make_writer(&'a self) -> Line {
        Line { bytes: Vec::with_capacity(256), lines: self.lines.clone() }
    }
}

/// `text` for a log line: printable ASCII kept, anything else (control bytes, escape sequences, non-ASCII) as
/// `\xNN` or `\u{…}`, cut after `max` characters with `…`, so a client cannot forge log lines or flood the log.
pub fn printable(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max) + 8);
    for (i, c) in text.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        match c {
            ' '..='~' if c != '\\' => out.push(c),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_bytes_never_reach_a_log_line() {
        assert_eq!(printable("/v1/score", 100), "/v1/score");
        assert_eq!(printable("/a\x1b[31mred\r\nGET /fake 200", 100), "/a\\x1b[31mred\\x0d\\x0aGET /fake 200");
        assert_eq!(printable("/é\\", 100), "/\\u{e9}\\\\");
        assert_eq!(printable(&"x".repeat(1_000_000), 8), "xxxxxxxx…");
    }
}
