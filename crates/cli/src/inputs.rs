//! Opening the inputs and reading them, on a thread of their own, into bounded chunks of records in input order.
//!
//! Reading and parsing overlap with the model scoring the previous chunk; at most a few chunks are alive at once,
//! so memory stays flat however long the input is. A chunk also ends when stdin has nothing more to read for now
//! (a pipe whose writer is waiting, `tail -f`): the records already read are scored and written at once instead of
//! waiting for a full chunk, so a process that writes a record and waits for its row is answered.
//!
//! With a [`Shard`], only every N-th record is kept: the others are read (to count them) and dropped.

use crate::common::UsageError;
use anyhow::{anyhow, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use lurescan::input::{ByteOrder, Compressed, Format, Row, RowReader, Utf16Reader};
use lurescan::record::{is_key_not_read, key_not_read};
use lurescan::wire::RowId;
use lurescan::{Field, Record, RecordError};
use serde_json::Value;
use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Read, Seek};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;

/// A chunk ends after this many records…
const CHUNK_RECORDS: usize = 4096;
/// …or after this many bytes of text, whichever comes first (full postings are a few KB each).
const CHUNK_BYTES: usize = 16 << 20;
/// Chunks read ahead of the one being scored.
const CHUNKS_AHEAD: usize = 1;

/// One input, opened.
pub struct Input {
    /// As the user wrote it; `-` for stdin.
    pub name: String,
    pub format: Format,
    source: Source,
}

enum Source {
    Stdin,
    /// A file, and its byte order when it is UTF-16 text (read as UTF-8 through [`Utf16Reader`]).
    File {
        file: File,
        size: u64,
        utf16: Option<ByteOrder>,
    },
}

impl Input {
    /// Opens every input (stdin for none or `-`; the files of a folder) before anything is scored, so that a wrong
    /// path fails at once.
    /// Without `format`, a file's format comes from its extension and stdin is read as JSON Lines.
    ///
    /// `output` is the file results will be written to, if any, with the flag that named it (`-o`, `--summary`): a
    /// folder's files skip it, and an input named explicitly that is the output is a usage error, found before the
    /// output is created (truncated).
    ///
    /// With `quiet` (`--quiet`), an earlier run's results skipped in a folder are not noted on stderr.
    pub fn open_all(
        paths: &[PathBuf],
        format: Option<Format>,
        output: Option<(&str, &Path)>,
        quiet: bool,
    ) -> Result<Vec<Input>> {
        let (flag, output) = match output {
            Some((flag, output)) => (flag, Some(output)),
            None => ("-o", None),
        };
        // No input at a terminal: reading stdin would wait without a word (`-` still reads it, for typed records).
        if paths.is_empty() && io::stdin().is_terminal() {
            return Err(UsageError(
                "nothing to read: pass INPUT (files or folders of .jsonl, .csv or .txt), or pipe records into stdin \
                 (`-` reads it from the terminal: end with Ctrl-D)"
                    .into(),
            )
            .into());
        }
        let stdin = [PathBuf::from("-")];
        let paths = if paths.is_empty() { &stdin[..] } else { paths };
        if paths.iter().filter(|p| is_stdin(p)).count() > 1 {
            return Err(UsageError("stdin (`-`) can be read only once".into()).into());
        }
        let mut inputs = Vec::new();
        for path in paths {
            if !is_stdin(path) && path.is_dir() {
                for file in files_in(path, format, quiet)? {
                    let is_output = output.is_some_and(|output| same_file(&file, output));
                    // The results of an earlier run into this folder: not an input (and replaced when it is -o).
                    if is_earlier_output(&file) {
                        let empty = file.metadata().is_ok_and(|m| m.len() == 0);
                        if !is_output && !empty && !quiet {
                            logln!(
                                "note: {} holds the results of an earlier run: not read as an input",
                                file.display()
                            );
                        }
                        continue;
                    }
                    match output.filter(|_| is_output) {
                        Some(output) => {
                            return Err(UsageError(format!(
                                "{flag} {} is {}, one of the files of the input folder {}: writing the results \
                                 there would destroy it; write them elsewhere",
                                output.display(),
                                file.display(),
                                path.display()
                            ))
                            .into())
                        }
                        None => inputs.push(Input::open(&file, format, quiet)?),
                    }
                }
            } else {
                if let Some(output) = output.filter(|output| !is_stdin(path) && same_file(path, output)) {
                    return Err(UsageError(format!(
                        "{flag} {} is also an input: write the results elsewhere",
                        output.display()
                    ))
                    .into());
                }
                inputs.push(Input::open(path, format, quiet)?);
            }
        }
        Ok(inputs)
    }

    /// Opens one input. A UTF-16 file (Excel's "Unicode Text") is read as UTF-8, said in a note unless `quiet`.
    fn open(path: &Path, format: Option<Format>, quiet: bool) -> Result<Input> {
        let name = path.display().to_string();
        if is_stdin(path) {
            return Ok(Input { name, format: format.unwrap_or(Format::Jsonl), source: Source::Stdin });
        }
        // Before the format is told from the name: a folder that does not exist (`scraped/`) has no extension, and
        // a name it does not have is not what is wrong with it.
        if std::fs::metadata(path).is_err_and(|e| e.kind() == io::ErrorKind::NotFound) {
            return Err(anyhow!("cannot open input {name}: no such file or folder (check the path)"));
        }
        let format = match format.or_else(|| Format::from_path(path)) {
            Some(format) => format,
            None => return Err(unknown_format(path, &name)),
        };
        let mut file = File::open(path)
            .with_context(|| format!("cannot open input {name} (check the path and its permissions)"))?;
        let metadata = file.metadata().with_context(|| format!("cannot read input {name}"))?;
        // Every input is looked at before any is scored: a UTF-16 or compressed file in a folder stops the run at
        // once, not after the files ahead of it have been scored for hours.
        let mut utf16 = None;
        if metadata.is_file() {
            let head = read_head(&mut file).with_context(|| format!("cannot read input {name}"))?;
            utf16 = lurescan::input::utf16_byte_order(&head);
            match utf16 {
                Some(_) if !quiet => logln!("note: {name} is UTF-16 text: read as such"),
                Some(_) => {}
                None => lurescan::input::check_head(&head, format, Some(&name))
                    .with_context(|| format!("cannot read input {name}"))?,
            }
        }
        Ok(Input { name, format, source: Source::File { file, size: metadata.len(), utf16 } })
    }

    /// The total size in bytes, when every input is a file (stdin has no known length).
    pub fn total_size(inputs: &[Input]) -> Option<u64> {
        inputs
            .iter()
            .map(|input| match input.source {
                Source::File { size, .. } => Some(size),
                Source::Stdin => None,
            })
            .sum()
    }

    /// `before_wait` is called before a read of stdin that would wait for more input (files never wait).
    fn reader(
        self,
        progress: &ProgressBar,
        before_wait: impl FnMut() + Send + 'static,
    ) -> Result<Box<dyn BufRead + Send>> {
        Ok(match self.source {
            Source::Stdin => {
                let stdin = WaitingStdin::new(before_wait).context("cannot read stdin")?;
                Box::new(BufReader::with_capacity(1 << 16, progress.wrap_read(stdin)))
            }
            Source::File { file, utf16: None, .. } => {
                Box::new(BufReader::with_capacity(1 << 16, progress.wrap_read(file)))
            }
            Source::File { file, utf16: Some(order), .. } => {
                Box::new(BufReader::with_capacity(1 << 16, Utf16Reader::new(progress.wrap_read(file), order)))
            }
        })
    }
}

/// Up to the first 4 KiB of `file`, which is then rewound to its start.
fn read_head(file: &mut File) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(4096);
    file.by_ref().take(4096).read_to_end(&mut head)?;
    file.rewind()?;
    Ok(head)
}

/// The usage error of a file whose extension names no format: for a compressed file or an archive, the command
/// that decompresses it, for the format its inner name says (`ads.csv.xz` holds CSV; JSON Lines otherwise).
fn unknown_format(path: &Path, name: &str) -> anyhow::Error {
    let message = match Compressed::from_path(path) {
        Some(compressed) => {
            let inner = path.file_stem().and_then(|stem| Format::from_path(Path::new(stem)));
            let advice = compressed.advice(name, inner.unwrap_or(Format::Jsonl));
            format!("{name} is {}, and lurescan reads text: {advice}", compressed.kind)
        }
        None => format!(
            "cannot tell the format of {name} from its extension: name it .jsonl, .csv or .txt, or pass --format \
             jsonl|csv|text"
        ),
    };
    UsageError(message).into()
}

/// The files of a folder given as an input, in name order: those whose extension names a format (any file with
/// `--format`). Subfolders are not entered. A compressed file of records (`ads.jsonl.gz`) stops the run with the
/// command that decompresses it, as it does when named alone: its records would be lost otherwise. The other files
/// and the subfolders left out are named in a note on stderr (unless `quiet`); hidden ones (`.DS_Store`) are not.
fn files_in(dir: &Path, format: Option<Format>, quiet: bool) -> Result<Vec<PathBuf>> {
    let name = dir.display();
    let mut files = Vec::new();
    let mut left_out = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list input folder {name}"))? {
        let path = entry.with_context(|| format!("cannot list input folder {name}"))?.path();
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if path.is_file() && (format.is_some() || Format::from_path(&path).is_some()) {
            files.push(path);
        } else if path.is_file() && is_compressed_records(&path) {
            return Err(unknown_format(&path, &path.display().to_string()));
        } else if !file_name.starts_with('.') {
            left_out.push(if path.is_dir() { format!("{file_name}/") } else { file_name });
        }
    }
    if files.is_empty() {
        return Err(UsageError(format!("input folder {name} has no .jsonl, .csv or .txt file to score")).into());
    }
    if !left_out.is_empty() && !quiet {
        left_out.sort();
        let shown = left_out.len().min(5);
        let more = match left_out.len() - shown {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        logln!(
            "note: not read in input folder {name}: {}{more} (only .jsonl, .ndjson, .json, .csv, .tsv, .tab, .txt and \
             .text files are read, and subfolders are not entered: name them as inputs, or pass --format to read \
             every file)",
            left_out[..shown].join(", ")
        );
    }
    files.sort();
    Ok(files)
}

/// Whether `path` is a compressed file or an archive whose inner name names a format (`ads.jsonl.gz`).
fn is_compressed_records(path: &Path) -> bool {
    Compressed::from_path(path).is_some()
        && path.file_stem().is_some_and(|stem| Format::from_path(Path::new(stem)).is_some())
}

/// True when `path` holds the results of an earlier `lurescan score` (its first line that is not blank is a JSONL
/// result row or the CSV header of one) or nothing but blanks: a folder's file that is never read as an input, and
/// that `-o` may replace. Anything else is an input.
fn is_earlier_output(path: &Path) -> bool {
    let Ok(file) = File::open(path) else { return false };
    let mut reader = io::Read::take(BufReader::new(file), 64 << 10);
    let mut first = Vec::new();
    // Blank lines before the first row are skipped, as the readers skip them.
    while first.iter().all(u8::is_ascii_whitespace) {
        first.clear();
        match reader.read_until(b'\n', &mut first) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    let first = String::from_utf8_lossy(&first);
    let first = first.trim();
    if let Ok(Value::Object(row)) = serde_json::from_str::<Value>(first) {
        // Rows that also hold a record's text (earlier results joined back to their records) are input.
        return ["id", "line", "score", "label", "error"].iter().all(|key| row.contains_key(*key))
            && !row.keys().any(|key| Field::from_name(key).is_some());
    }
    matches!(first, "id,line,score,label,error" | "id,input,line,score,label,error")
        || first.starts_with("id,line,score,label,error,")
        || first.starts_with("id,input,line,score,label,error,")
}

/// True when both paths name one existing file (the same device and inode on unix, so hard links and symlinks
/// count; the same canonical path elsewhere). A path that does not exist is no other file.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (a.canonicalize(), b.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// A record on its way to the output.
pub struct Item {
    /// Index of its input.
    pub input: usize,
    /// Line of its input where it starts.
    pub line: u64,
    /// The input's `id`, else the record's number counted across all inputs from 1.
    pub id: RowId,
    pub record: Result<Record, RecordError>,
    /// The row's `label` (0/1, lure/legitimate, …; see `lurescan_train::data::parse_label`), when it has one that
    /// parses: `report` draws the PR curve and calibration of labelled input.
    pub truth: Option<u8>,
    /// The row's `label` as written when it is one that does not parse (`spam`): the record counts as unlabelled.
    pub label_not_read: Option<Box<str>>,
    /// Bytes of the inputs read when the record was (a little past it: reads are buffered): the progress bar's
    /// position once the record is done ([`read_in_chunks`]).
    pub read_bytes: u64,
}

/// Warns once on stderr when a CSV header names no field lurescan reads: then every row is "no text", and the
/// likely cause (a file without a header row, another delimiter, other column names) is the header, not the rows.
fn warn_if_no_known_column(name: &str, headers: &[String], quiet: bool) {
    if quiet || headers.is_empty() || headers.iter().any(|h| Field::from_name(h).is_some()) {
        return;
    }
    let known: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
    logln!(
        "warning: {name}: no column of its header row ({}) is a field lurescan reads, so its rows have no text: the \
         first line must be a header row (fields separated by commas, or by semicolons or tabs) naming `text` or posting \
         fields ({}), in any case",
        headers.join(", "),
        known.join(", ")
    );
}

/// Warns when the first line of an input read as plain text is the header row of a table (Excel's "Text (Tab
/// delimited)" export is a `.txt`): every line, the header too, would be scored as one message.
fn warn_if_text_is_a_table(name: &str, first: &Row, quiet: bool) {
    let Some(line) = first.fields.as_ref().ok().and_then(|f| f.get("text")).and_then(|t| t.as_str()) else { return };
    let Some(delimiter) = ['\t', ';', ','].into_iter().find(|&d| line.contains(d)) else { return };
    let cells: Vec<&str> = line.split(delimiter).map(str::trim).collect();
    if quiet || cells.len() < 2 || !cells.iter().any(|c| Field::from_name(c).is_some()) {
        return;
    }
    logln!(
        "warning: {name} is read as plain text, one message a line, but its first line looks like the header row of a \
         table ({}): read it as CSV with `-f csv` (tabs and semicolons are found by the header row), or name it .tsv",
        cells.join(", ")
    );
}

/// Notes once on stderr the columns of a CSV header that lurescan does not read, when it reads some (with none,
/// [`warn_if_no_known_column`] says more): a scraper's `body` or `Job Title` column would otherwise be left out of
/// every score without a word. A column whose name often holds a field says which. When the columns read only say
/// where a job is or what it pays ([`Field::is_context`]), it is a warning: every row is an error row
/// ([`lurescan::RecordError::OnlyContext`]), not a score of the place alone.
fn note_columns_not_read(name: &str, headers: &[String], quiet: bool) {
    let read: Vec<Field> = headers.iter().filter_map(|h| Field::from_name(h)).collect();
    if quiet || read.is_empty() {
        return;
    }
    if read.iter().all(|f| f.is_context()) {
        let read: Vec<String> = read.iter().map(|f| format!("`{f}`")).collect();
        let not_read: Vec<String> = headers.iter().filter(|h| is_key_not_read(h)).map(|h| key_not_read(h)).collect();
        let not_read = match not_read.is_empty() {
            true => String::new(),
            false => format!(" Not read: {}.", not_read.join(", ")),
        };
        logln!(
            "warning: {name}: the only columns read are {}, which say where a job is or what it pays, not what it \
             offers: every row is an error row, not a score of the place alone; name a column `title`, `description` \
             or `text` to score the rows.{not_read}",
            read.join(", ")
        );
        return;
    }
    note_not_read(name, headers.iter().map(String::as_str));
}

/// The note of [`note_columns_not_read`] and [`KeysNotRead`]: names the columns or keys of `names` that are not read,
/// if any.
fn note_not_read<'a>(name: &str, names: impl Iterator<Item = &'a str>) {
    let not_read: Vec<String> = names.filter(|n| is_key_not_read(n)).map(key_not_read).collect();
    if !not_read.is_empty() {
        logln!("note: {name}: not read, as lurescan reads only `text` and posting fields: {}", not_read.join(", "));
    }
}

/// The keys of a JSON Lines input that are not read, gathered over its first [`KeysNotRead::ROWS`] records and noted
/// once ([`note_not_read`]): as the columns of a CSV are, so that a scraper's `msg` is not left out of every score
/// without a word.
#[derive(Default)]
struct KeysNotRead {
    keys: Vec<String>,
    rows: usize,
    noted: bool,
}

impl KeysNotRead {
    const ROWS: usize = 100;
    const MAX_KEYS: usize = 20;

    fn see(&mut self, name: &str, row: &Row, quiet: bool) {
        if self.noted {
            return;
        }
        if let Ok(fields) = &row.fields {
            for key in fields.keys() {
                if self.keys.len() < Self::MAX_KEYS && is_key_not_read(key) && !self.keys.contains(key) {
                    self.keys.push(key.clone());
                }
            }
        }
        self.rows += 1;
        if self.rows == Self::ROWS {
            self.note(name, quiet);
        }
    }

    fn note(&mut self, name: &str, quiet: bool) {
        if !std::mem::replace(&mut self.noted, true) && !quiet {
            note_not_read(name, self.keys.iter().map(String::as_str));
        }
    }
}

/// Which records one of N workers scores: those whose record number `n` (from 1, counted across all inputs, as in
/// the rows' `id`) has `(n - 1) % count == index`. Round-robin rather than contiguous ranges, so that a worker needs
/// no record count in advance and can read a stream; the shards of `0/N` … `N-1/N` hold every record exactly once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    pub fn holds(self, number: u64) -> bool {
        (number - 1) % self.count == self.index
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let usage = || format!("`{s}` is not a shard: write I/N with 0 <= I < N, e.g. 0/4 for the first of 4");
        let (index, count) = s.split_once('/').ok_or_else(usage)?;
        let (index, count): (u64, u64) =
            (index.trim().parse().map_err(|_| usage())?, count.trim().parse().map_err(|_| usage())?);
        if count == 0 || index >= count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }
}

/// How the reader thread reads: which records it keeps and whether it may warn.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions {
    pub shard: Option<Shard>,
    /// No warnings on stderr (`--quiet`).
    pub quiet: bool,
    /// Read each record's `label` into [`Item::truth`], and note once per input the values that are not labels.
    pub labels: bool,
}

/// The `label` values of an input that are not labels ([`lurescan_train::data::parse_label`]): their records count
/// as unlabelled, which a report's curves would hide without a word.
#[derive(Default)]
struct LabelsNotRead {
    /// Each value as written (up to [`LabelsNotRead::MAX_VALUES`]), with how many records hold it.
    values: Vec<(String, u64)>,
    records: u64,
}

impl LabelsNotRead {
    const MAX_VALUES: usize = 5;

    /// The label of a record's `label` (or `fraudulent`), if it has one; a value that is not one is counted, and
    /// comes back as written.
    fn read(&mut self, fields: &serde_json::Map<String, Value>) -> (Option<u8>, Option<Box<str>>) {
        let Some(value) = lurescan_train::data::label_of(fields) else {
            return (None, None);
        };
        let label = lurescan_train::data::parse_label(value);
        let blank = value.is_null() || value.as_str().is_some_and(|v| v.trim().is_empty());
        if label.is_some() || blank {
            return (label, None);
        }
        self.records += 1;
        let written = value.as_str().map_or_else(|| value.to_string(), |v| v.trim().to_string());
        let written: String = written.chars().take(40).collect();
        if let Some((_, n)) = self.values.iter_mut().find(|(v, _)| *v == written) {
            *n += 1;
        } else if self.values.len() < Self::MAX_VALUES {
            self.values.push((written.clone(), 1));
        }
        (None, Some(written.into()))
    }

    fn note(&self, name: &str, quiet: bool) {
        if quiet || self.records == 0 {
            return;
        }
        let values: Vec<String> = self
            .values
            .iter()
            .map(|(v, n)| format!("`{}` ({n})", v.chars().flat_map(char::escape_debug).collect::<String>()))
            .collect();
        let shown: u64 = self.values.iter().map(|(_, n)| n).sum();
        let more = if shown < self.records { format!(" and {} more", self.records - shown) } else { String::new() };
        logln!(
            "note: {name}: {} with a `label` that is not a label count as unlabelled: {}{more} ({})",
            crate::output::count(self.records as usize, "record"),
            values.join(", "),
            lurescan_train::data::LABEL_HELP
        );
    }
}

/// The chunk being filled, shared by the reader loop and the stdin reader (which sends it before waiting).
struct Pending {
    chunk: Vec<Item>,
    bytes: usize,
    sender: SyncSender<Result<Vec<Item>>>,
}

impl Pending {
    /// Adds a record and sends the chunk once full; false when the receiver has gone.
    fn push(&mut self, item: Item) -> bool {
        self.bytes += item.record.as_ref().map_or(0, |r| r.fields().map(|(_, text)| text.len()).sum());
        self.chunk.push(item);
        if self.chunk.len() >= CHUNK_RECORDS || self.bytes >= CHUNK_BYTES {
            return self.send();
        }
        true
    }

    /// Sends what has been read so far, if anything; false when the receiver has gone.
    fn send(&mut self) -> bool {
        self.bytes = 0;
        self.chunk.is_empty() || self.sender.send(Ok(std::mem::take(&mut self.chunk))).is_ok()
    }
}

fn lock(pending: &Mutex<Pending>) -> std::sync::MutexGuard<'_, Pending> {
    // Only this thread locks it, and nothing it does while holding the lock panics halfway.
    pending.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The bar of a run over `inputs`: bytes of the records done over the inputs' total size when they are all files
/// ([`Input::total_size`]), else a spinner of the bytes done; hidden with `quiet` or unless stderr is a terminal, so
/// logs and pipes get only the summary line. Its receiver moves it as [`read_in_chunks`] says.
pub fn progress_bar(total_bytes: Option<u64>, quiet: bool) -> ProgressBar {
    if quiet || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match total_bytes {
        Some(total) => ProgressBar::new(total).with_style(
            ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {msg} ({elapsed}, ETA {eta})")
                .expect("a valid template"),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} {bytes} done, {msg} ({elapsed})").expect("a valid template"),
        ),
    };
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

/// Reads the inputs in order on a new thread and sends their records in chunks. An input that fails to read
/// sends an `Err` (naming the input and the last record read) and ends the stream; dropping the receiver stops the
/// thread at its next send. The bytes read are counted apart from `progress`, whose length they are a share of:
/// each item carries the count ([`Item::read_bytes`]), and the receiver moves `progress` to the last item's count once
/// a chunk is done, so that the bar shows what is done, not what the reader, [`CHUNKS_AHEAD`] chunk ahead and a chunk
/// in hand, has read.
pub fn read_in_chunks(inputs: Vec<Input>, progress: ProgressBar, options: ReadOptions) -> Receiver<Result<Vec<Item>>> {
    let (sender, receiver) = mpsc::sync_channel(CHUNKS_AHEAD);
    let progress = {
        let counter = ProgressBar::hidden();
        if let Some(length) = progress.length() {
            counter.set_length(length);
        }
        counter
    };
    thread::spawn(move || {
        let pending = Arc::new(Mutex::new(Pending { chunk: Vec::new(), bytes: 0, sender }));
        let fail = |e: anyhow::Error| {
            let mut pending = lock(&pending);
            if pending.send() {
                let _ = pending.sender.send(Err(e));
            }
        };
        let mut number = 0u64;
        for (index, input) in inputs.into_iter().enumerate() {
            let name = input.name.clone();
            let format = input.format;
            let mut read_in_input = 0;
            let waiting = Arc::clone(&pending);
            let reader = match input.reader(&progress, move || {
                lock(&waiting).send();
            }) {
                Ok(reader) => reader,
                Err(e) => return fail(e),
            };
            let mut reader = RowReader::new(reader, format).with_text_hint("pass `-f text`");
            if name != "-" {
                reader = reader.with_source_name(&name);
            }
            let mut headers_checked = false;
            let mut keys_not_read = KeysNotRead::default();
            let mut labels_not_read = LabelsNotRead::default();
            // Not a `for` loop: the header is looked at through `reader` once the first row is read.
            while let Some(row) = reader.next() {
                if !headers_checked {
                    headers_checked = true;
                    warn_if_no_known_column(&name, reader.headers(), options.quiet);
                    note_columns_not_read(&name, reader.headers(), options.quiet);
                    if let (Format::Text, Ok(row)) = (format, &row) {
                        warn_if_text_is_a_table(&name, row, options.quiet);
                    }
                }
                let row = match row {
                    Ok(row) => row,
                    Err(e) => {
                        return fail(anyhow::Error::new(e).context(match read_in_input {
                            0 => format!("cannot read input {name}"),
                            n => format!(
                                "cannot read input {name} after its record {n} (the rows before it were written)"
                            ),
                        }))
                    }
                };
                if format == Format::Jsonl {
                    keys_not_read.see(&name, &row, options.quiet);
                }
                number += 1;
                read_in_input = row.number;
                if options.shard.is_some_and(|shard| !shard.holds(number)) {
                    continue;
                }
                let record = row.record();
                let id = RowId::or_number(row.id(), number);
                let (truth, label_not_read) = match (&row.fields, options.labels) {
                    (Ok(fields), true) => labels_not_read.read(fields),
                    _ => (None, None),
                };
                let read_bytes = progress.position();
                let item = Item { input: index, line: row.line, id, record, truth, label_not_read, read_bytes };
                if !lock(&pending).push(item) {
                    return;
                }
            }
            if !headers_checked {
                warn_if_no_known_column(&name, reader.headers(), options.quiet);
                note_columns_not_read(&name, reader.headers(), options.quiet);
            }
            if format == Format::Jsonl {
                keys_not_read.note(&name, options.quiet);
            }
            labels_not_read.note(&name, options.quiet);
        }
        lock(&pending).send();
    });
    receiver
}

/// Stdin, read straight from its file descriptor (no buffer of std's in between, so that `poll` sees everything
/// still to read), calling `before_wait` before a read that would wait for the writer.
struct WaitingStdin<F> {
    file: File,
    before_wait: F,
}

impl<F: FnMut()> WaitingStdin<F> {
    fn new(before_wait: F) -> io::Result<Self> {
        #[cfg(unix)]
        let fd = std::os::fd::AsFd::as_fd(&io::stdin()).try_clone_to_owned()?;
        #[cfg(windows)]
        let fd = std::os::windows::io::AsHandle::as_handle(&io::stdin()).try_clone_to_owned()?;
        Ok(WaitingStdin { file: File::from(fd), before_wait })
    }

    /// True when a read would return at once: data, end of input or an error is waiting.
    #[cfg(unix)]
    fn ready(&self) -> bool {
        use rustix::event::{poll, PollFd, PollFlags, Timespec};
        let mut fds = [PollFd::new(&self.file, PollFlags::IN)];
        // A failed poll says nothing about the read: treat it as "would wait", which only ends a chunk early.
        poll(&mut fds, Some(&Timespec { tv_sec: 0, tv_nsec: 0 })).is_ok_and(|n| n > 0)
    }

    /// Without `poll`, every read of stdin may wait: each ends the chunk (chunks of at most one 64 KiB read).
    #[cfg(not(unix))]
    fn ready(&self) -> bool {
        false
    }
}

impl<F: FnMut()> Read for WaitingStdin<F> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.ready() {
            (self.before_wait)();
        }
        self.file.read(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_as_index_over_count() {
        assert_eq!("0/4".parse(), Ok(Shard { index: 0, count: 4 }));
        assert_eq!(" 3 / 4 ".parse(), Ok(Shard { index: 3, count: 4 }));
        for bad in ["4/4", "1/0", "1", "-1/4", "a/b", "1/2/3"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad} parsed");
        }
    }

    #[test]
    fn every_record_is_in_exactly_one_shard() {
        for count in 1..=7 {
            for number in 1..=50 {
                let holders = (0..count).filter(|&index| Shard { index, count }.holds(number)).count();
                assert_eq!(holders, 1, "record {number} of {count} shards");
            }
        }
    }

    #[test]
    fn items_carry_how_far_the_input_was_read_and_the_bar_is_left_to_the_receiver() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ads.jsonl");
        // 300 kB: several buffered reads, and more than one chunk.
        let line = |i: usize| format!("{{\"id\": {i}, \"text\": \"Warehouse packer wanted, shift {i:05}\"}}\n");
        std::fs::write(&path, (0..6_000).map(line).collect::<String>()).unwrap();
        let inputs = Input::open_all(std::slice::from_ref(&path), None, None, true).unwrap();
        let total = Input::total_size(&inputs).unwrap();
        let bar = ProgressBar::hidden();
        bar.set_length(total);
        let chunks: Vec<Vec<Item>> =
            read_in_chunks(inputs, bar.clone(), ReadOptions::default()).into_iter().map(Result::unwrap).collect();
        assert!(chunks.len() > 1, "{} chunks", chunks.len());
        let read: Vec<u64> = chunks.iter().flatten().map(|item| item.read_bytes).collect();
        assert_eq!(read.len(), 6_000);
        assert!(read.windows(2).all(|w| w[0] <= w[1]), "never backwards");
        assert!(read[0] < total && read[read.len() - 1] == total, "{} .. {} of {total}", read[0], read[5_999]);
        // The first chunk was done before the file was read to its end: a bar moved to it is not yet full.
        assert!(chunks[0].last().unwrap().read_bytes < total);
        assert_eq!(bar.position(), 0, "reading does not move the bar: what is done does");
    }
}
