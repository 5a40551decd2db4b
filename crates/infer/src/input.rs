//! Streaming readers for the input formats records come in: JSON Lines, CSV with a header row, and plain text
//! with one record a line.
//!
//! A [`RowReader`] yields one [`Row`] per record, in input order, holding at most one record in memory. A broken
//! record (invalid UTF-8, broken JSON, a CSV row with the wrong number of fields) is an `Err` in that row's
//! [`Row::fields`] and never stops the reader or shifts the rows after it; only a failure of the underlying reader
//! itself is an `Err` of the iterator. Blank lines are not records. A JSON Lines or text line, or a CSV record,
//! longer than [`MAX_LINE_BYTES`] is an error row ([`RecordError::TooLong`], [`RecordError::CsvTooLong`]) and is
//! skipped in bounded memory; the records after it are read. A CSV record whose quote is still open at the end of
//! the file (csv ends it there without an error, the later lines inside its field) is an error row
//! ([`RecordError::BrokenCsv`]) naming the line of that quote, and the last row. CSV lines end at LF, CRLF or a lone
//! CR, as its records do. A broken JSON line says where in the line
//! (its column), and what the file seems to hold instead when it can tell: plain text, or a JSON array spread over
//! lines (one error row per line, the first saying how to convert it).
//!
//! ```
//! use lurescan::input::{Format, RowReader};
//!
//! let data = "title,description\nClerk,\"Paid daily,\nno experience\"\nTypist,Remote\n";
//! let rows: Vec<_> = RowReader::new(data.as_bytes(), Format::Csv).collect::<Result<_, _>>()?;
//! assert_eq!(rows.len(), 2);
//! assert_eq!((rows[1].number, rows[1].line), (2, 4));
//! assert_eq!(rows[0].fields.as_ref().unwrap()["description"], "Paid daily,\nno experience");
//! # Ok::<(), std::io::Error>(())
//! ```

use crate::record::{Record, RecordError};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;
use std::io::{self, BufRead, Read};
use std::path::Path;
use std::str::FromStr;

/// The longest JSON Lines or text line, or CSV record, read as one record (8 MiB); a longer one is skipped, in
/// bounded memory, and becomes an error row ([`RecordError::TooLong`], [`RecordError::CsvTooLong`]).
pub const MAX_LINE_BYTES: usize = 8 << 20;

/// The UTF-8 byte order mark some tools (Excel, Notepad) put at the start of a file.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// An input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// One JSON object a line (`text` or posting fields, optional `id`).
    Jsonl,
    /// A header row naming the columns, then one record a row; RFC 4180 quoting, so quoted fields may hold commas,
    /// quotes (doubled) and newlines.
    Csv,
    /// One record a line: the whole line is the record's `text`.
    Text,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 3] = [Format::Jsonl, Format::Csv, Format::Text];

    /// The format a file name's extension implies (ASCII case ignored): `.jsonl`, `.ndjson`, `.json` are JSON Lines,
    /// `.csv` is CSV, `.txt` is text.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
            "csv" => Some(Format::Csv),
            "txt" | "text" => Some(Format::Text),
            _ => None,
        }
    }

    /// The name used on the command line and in config files.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Text => "text",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown input format `{s}`: expected one of jsonl, csv, text"))
    }
}

/// One record as read from the input, before it becomes a [`crate::Record`].
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1-based number of the record in its input (blank lines do not count).
    pub number: u64,
    /// 1-based line of the input where the record starts.
    pub line: u64,
    /// The record's keys and values: a JSON object as written; for CSV, header -> field as a string (every
    /// column kept); for text, `{"text": line}`. `Err` when this record is unreadable.
    pub fields: Result<Map<String, Value>, RecordError>,
}

impl Row {
    /// The record this row holds (see [`Record::from_json_object`]), with its id from [`Row::id`]. An id that is
    /// an object, an array or a boolean makes the row an error ([`RecordError::IdType`]).
    pub fn record(&self) -> Result<Record, RecordError> {
        let fields = self.fields.as_ref().map_err(Clone::clone)?;
        if let Some((_, value @ (Value::Object(_) | Value::Array(_) | Value::Bool(_)))) = id_entry(fields) {
            return Err(RecordError::IdType(crate::record::json_kind(value)));
        }
        let mut record = Record::from_json_object(fields)?;
        record.id = self.id();
        Ok(record)
    }

    /// The row's `id` (a string or a number), matched ignoring ASCII case like the field names; `null` and a blank
    /// id count as absent. A JSON number is its text exactly as the input wrote it (`1e2` stays `1e2`,
    /// `18446744073709551616` keeps every digit). Known even when the rest of the record is unusable, as long as
    /// the row parsed.
    pub fn id(&self) -> Option<String> {
        let id = match id_entry(self.fields.as_ref().ok()?)?.1 {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return None,
        };
        (!id.trim().is_empty()).then_some(id)
    }
}

/// The key and value of a record's `id`: the key `id`, else the first that is `id` ignoring ASCII case and blanks.
fn id_entry(fields: &Map<String, Value>) -> Option<(&String, &Value)> {
    fields.get_key_value("id").or_else(|| fields.iter().find(|(key, _)| key.trim().eq_ignore_ascii_case("id")))
}

/// Puts a number `id` back as the text the line wrote: serde_json reads numbers as 64-bit integers or floats, so
/// `18446744073709551616` and `18446744073709551617` would both come back as `1.8446744073709552e19`, and `1e2` as
/// `100.0`. The id becomes a JSON string of that text ([`Row::id`] returns ids as strings anyway).
fn keep_number_id_text(object: &mut Map<String, Value>, line: &str) {
    let Some((key, Value::Number(_))) = id_entry(object) else { return };
    let key = key.clone();
    if let Some(raw) = raw_member(line, &key) {
        object.insert(key, Value::String(raw.to_string()));
    }
}

/// The text of the value of the last top-level member `key` of `line`, a JSON object serde_json has parsed (so the
/// scan can trust its shape); keys are compared decoded, as serde_json compares them.
fn raw_member<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let bytes = line.as_bytes();
    let mut at = skip_blanks(bytes, 0);
    if bytes.get(at) != Some(&b'{') {
        return None;
    }
    at += 1;
    let mut found = None;
    loop {
        at = skip_blanks(bytes, at);
        match bytes.get(at)? {
            b'}' => return found,
            b',' => at += 1,
            b'"' => {
                let key_end = skip_value(bytes, at)?;
                let name: String = serde_json::from_str(&line[at..key_end]).ok()?;
                at = skip_blanks(bytes, key_end);
                if bytes.get(at) != Some(&b':') {
                    return None;
                }
                let start = skip_blanks(bytes, at + 1);
                let end = skip_value(bytes, start)?;
                if name == key {
                    found = Some(&line[start..end]);
                }
                at = end;
            }
            _ => return None,
        }
    }
}

fn skip_blanks(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')) {
        at += 1;
    }
    at
}

/// The end of the JSON value starting at `at`: a string, an object or array (nested, strings inside skipped), or a
/// number or literal (up to the next delimiter).
fn skip_value(bytes: &[u8], at: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = at;
    loop {
        match *bytes.get(i)? {
            b'"' => {
                i += 1;
                loop {
                    match *bytes.get(i)? {
                        b'\\' => i += 2,
                        b'"' => break,
                        _ => i += 1,
                    }
                }
                i += 1;
            }
            b'{' | b'[' => {
                depth += 1;
                i += 1;
            }
            b'}' | b']' if depth > 0 => {
                depth -= 1;
                i += 1;
            }
            b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r' if depth == 0 => return Some(i),
            _ => i += 1,
        }
        if depth == 0 && i > at && matches!(bytes[i - 1], b'"' | b'}' | b']') {
            return Some(i);
        }
    }
}

/// True when the first bytes of an input look like UTF-16 (or UTF-32): a UTF-16 byte order mark, or text whose
/// every other byte is NUL (ASCII letters in UTF-16 without a mark). lurescan reads UTF-8, and would otherwise make
/// one "invalid UTF-8" row of every line of such a file.
pub fn looks_like_utf16(head: &[u8]) -> bool {
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return true;
    }
    let head = &head[..head.len().min(64) & !1];
    if head.len() < 4 {
        return false;
    }
    let nul_at = |parity: usize| head.iter().skip(parity).step_by(2).all(|&b| b == 0);
    let some_at = |parity: usize| head.iter().skip(parity).step_by(2).any(|&b| b != 0);
    (nul_at(1) && some_at(0)) || (nul_at(0) && some_at(1))
}

/// The error of a reader whose input is UTF-16 (see [`looks_like_utf16`]).
fn utf16_error() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        "the input is UTF-16 text (a UTF-16 byte order mark, or NUL bytes between the letters), and lurescan reads \
         UTF-8. UTF-16: convert with iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8.jsonl (or .csv, .txt), and read that",
    )
}

/// Fails with [`utf16_error`] when the first bytes `reader` holds look like UTF-16; reads nothing more.
fn check_not_utf16<R: BufRead>(reader: &mut R) -> io::Result<()> {
    match looks_like_utf16(reader.fill_buf()?) {
        true => Err(utf16_error()),
        false => Ok(()),
    }
}

/// Removes a leading UTF-8 byte order mark.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes)
}

/// Reads [`Row`]s from a byte stream, one record at a time (see the [module docs](self)).
pub struct RowReader<R> {
    inner: Inner<R>,
    number: u64,
    /// The first bytes were checked for UTF-16, or the reader failed: nothing more is read after a failure.
    started: bool,
    failed: bool,
}

enum Inner<R> {
    Lines { reader: R, format: Format, buf: Vec<u8>, line: u64, array_from: Option<u64> },
    Csv(Box<CsvState<R>>),
}

/// What the CSV reader reads: the first bytes put back in front of the source, line starts tracked.
type CsvSource<R> = LineStarts<io::Chain<io::Cursor<Vec<u8>>, R>>;

struct CsvState<R> {
    /// `None` until the header row is read: the first `next` reads it, so `new` does no I/O.
    reader: Option<csv::Reader<CsvSource<R>>>,
    source: Option<R>,
    headers: Vec<String>,
    record: csv::ByteRecord,
    /// A record over [`MAX_LINE_BYTES`] whose quote never closed was reported: nothing more is read.
    stopped: bool,
    /// Offset in the source where `reader` started (past a skipped over-long record): csv counts from there.
    base: u64,
}

/// How far past the end of the last record the CSV reader may read: the longest record plus csv's read-ahead.
const CSV_READ_LIMIT: u64 = MAX_LINE_BYTES as u64 + (64 << 10);

impl<R: BufRead> RowReader<R> {
    pub fn new(reader: R, format: Format) -> Self {
        let inner = match format {
            Format::Jsonl | Format::Text => Inner::Lines { reader, format, buf: Vec::new(), line: 0, array_from: None },
            Format::Csv => Inner::Csv(Box::new(CsvState {
                reader: None,
                source: Some(reader),
                headers: Vec::new(),
                record: csv::ByteRecord::new(),
                stopped: false,
                base: 0,
            })),
        };
        RowReader { inner, number: 0, started: false, failed: false }
    }

    /// The CSV header row, once the first row has been read (empty for other formats).
    pub fn headers(&self) -> &[String] {
        match &self.inner {
            Inner::Csv(state) => &state.headers,
            Inner::Lines { .. } => &[],
        }
    }
}

impl<R: BufRead> Iterator for RowReader<R> {
    type Item = io::Result<Row>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        if !self.started {
            self.started = true;
            let checked = match &mut self.inner {
                Inner::Lines { reader, .. } => check_not_utf16(reader),
                Inner::Csv(state) => state.source.as_mut().map_or(Ok(()), check_not_utf16),
            };
            if let Err(e) = checked {
                self.failed = true;
                return Some(Err(e));
            }
        }
        let next = match &mut self.inner {
            Inner::Lines { reader, format, buf, line, array_from } => {
                let array = JsonArray { first: self.number == 0, from: array_from };
                next_line(reader, *format, buf, line, array)
            }
            Inner::Csv(state) => state.next_row(),
        };
        match next {
            Ok(Some((line, fields))) => {
                self.number += 1;
                Some(Ok(Row { number: self.number, line, fields }))
            }
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

type Parsed = (u64, Result<Map<String, Value>, RecordError>);

/// What the JSON Lines reader knows of a JSON array spread over lines (a `.json` file holding `[ {...}, ... ]`).
struct JsonArray<'a> {
    /// The line about to be read is the first that is not blank.
    first: bool,
    /// The line where such an array starts: its first line did not parse and starts with `[`.
    from: &'a mut Option<u64>,
}

/// Reads lines until one that is not blank, and parses it. A line longer than [`MAX_LINE_BYTES`] is skipped
/// without holding more than that in memory, and is an error row.
fn next_line<R: BufRead>(
    reader: &mut R,
    format: Format,
    buf: &mut Vec<u8>,
    line: &mut u64,
    array: JsonArray,
) -> io::Result<Option<Parsed>> {
    loop {
        buf.clear();
        if reader.by_ref().take(MAX_LINE_BYTES as u64 + 1).read_until(b'\n', buf)? == 0 {
            return Ok(None);
        }
        *line += 1;
        if buf.len() > MAX_LINE_BYTES && buf.last() != Some(&b'\n') {
            skip_line(reader)?;
            return Ok(Some((*line, Err(RecordError::TooLong(MAX_LINE_BYTES)))));
        }
        let mut bytes = buf.as_slice();
        if *line == 1 {
            bytes = strip_bom(bytes);
        }
        let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let fields = decode(bytes).and_then(|text| match format {
            Format::Text => Ok(Map::from_iter([("text".to_string(), Value::String(text.to_string()))])),
            _ => match parse_json_object(text) {
                Ok(mut object) => {
                    keep_number_id_text(&mut object, text);
                    Ok(object)
                }
                Err(error) => Err(with_hint(error, text, *line, array)),
            },
        });
        return Ok(Some((*line, fields)));
    }
}

/// Consumes the rest of the current line, its `\n` included, a buffer at a time.
fn skip_line<R: BufRead>(reader: &mut R) -> io::Result<()> {
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            return Ok(());
        }
        match available.iter().position(|&b| b == b'\n') {
            Some(i) => {
                reader.consume(i + 1);
                return Ok(());
            }
            None => {
                let n = available.len();
                reader.consume(n);
            }
        }
    }
}

fn decode(bytes: &[u8]) -> Result<&str, RecordError> {
    std::str::from_utf8(bytes).map_err(|e| {
        RecordError::InvalidUtf8(format!("the byte at offset {} of the line is not valid UTF-8", e.valid_up_to()))
    })
}

fn parse_json_object(text: &str) -> Result<Map<String, Value>, RecordError> {
    match serde_json::from_str(text) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(other) => Err(RecordError::NotAnObject(match other {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            // In a file, a whole array on one line is the records in the wrong shape.
            Value::Array(_) => {
                "an array (a JSON array of records? lurescan reads JSON Lines, one object a line: convert the file \
                 with `jq -c '.[]' FILE > FILE.jsonl`)"
            }
            Value::Object(_) => unreachable!("matched above"),
        })),
        Err(e) => Err(RecordError::BrokenJson(json_error_message(&e))),
    }
}

/// serde_json's message, its position given as a column: the line it names is always 1, the line of the record,
/// which a user would take for a line of the file.
fn json_error_message(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    match message.strip_suffix(&position) {
        Some(message) if error.line() == 1 => format!("{message} at column {}", error.column()),
        _ => message,
    }
}

/// A broken JSON line with a hint of what the file really holds: the first line of a JSON array spread over lines
/// (every later broken line then points back to it), of a JSON object spread over lines, or plain text (a line that
/// starts like no part of JSON).
fn with_hint(error: RecordError, text: &str, line: u64, array: JsonArray) -> RecordError {
    let RecordError::BrokenJson(message) = error else { return error };
    let start = text.trim_start();
    let hint = if array.first && start.starts_with('[') {
        *array.from = Some(line);
        "this file looks like a JSON array, but lurescan reads JSON Lines, one object a line: convert it with \
         `jq -c '.[]' FILE > FILE.jsonl` and score that"
            .to_string()
    } else if array.first && start.trim_end() == "{" {
        "a JSON object spread over several lines? lurescan reads JSON Lines, one whole object a line: convert the \
         file with `jq -c . FILE > FILE.jsonl`"
            .to_string()
    } else if let Some(from) = *array.from {
        format!("part of the JSON array that starts on line {from}, see there")
    } else if !start.starts_with(['{', '}', '[', ']', '"', ',']) {
        "plain text? pass `-f text`, or name the file .txt".to_string()
    } else {
        return RecordError::BrokenJson(message);
    };
    RecordError::BrokenJson(format!("{message} ({hint})"))
}

/// csv's reader as lurescan reads CSV: no header handling of its own (the first record is the header), rows of any
/// length (a row with the wrong number of fields is an error row, not an error of the reader).
fn csv_reader<R: Read>(source: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(source)
}

impl<R: BufRead> CsvState<R> {
    fn open(&mut self) -> io::Result<()> {
        let Some(mut source) = self.source.take() else { return Ok(()) };
        // csv does not skip a byte order mark, and a short first read may split one, so read exactly the first
        // three bytes and put them back unless they are the mark.
        let mut head = Vec::with_capacity(3);
        (&mut source).take(3).read_to_end(&mut head)?;
        if head == UTF8_BOM {
            head.clear();
        }
        let mut reader = csv_reader(LineStarts::new(io::Cursor::new(head).chain(source)));
        let mut header = csv::ByteRecord::new();
        match reader.read_byte_record(&mut header) {
            Ok(true) => {
                if let Some(line) = reader.get_ref().unclosed_quote_in(0, reader.position().byte()) {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("the quote opened on line {line} of the CSV header row is never closed, so the whole file was read as the header: close the quote"),
                    ));
                }
                self.headers = header.iter().map(|h| String::from_utf8_lossy(h).into_owned()).collect()
            }
            Ok(false) => {}
            Err(_) if reader.get_ref().over_limit => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("the CSV header row is longer than {MAX_LINE_BYTES} bytes (an unclosed quote?)"),
                ))
            }
            Err(e) => return Err(e.into()),
        }
        self.reader = Some(reader);
        Ok(())
    }

    /// The row of a record over [`MAX_LINE_BYTES`] that starts on `line`: read on, outside csv and in bounded
    /// memory, to its end (the first line end outside quotes), and start csv again after it, so the records after
    /// it are read. When its quote is still open at the end of the file, the record is the rest of the file.
    fn skip_long_record(&mut self, line: u64) -> io::Result<Parsed> {
        let reader = self.reader.take().expect("an open reader");
        let mut source = reader.into_inner();
        source.limit = u64::MAX;
        source.over_limit = false;
        if source.skip_to_record_end()? {
            self.base = source.offset;
            self.reader = Some(csv_reader(source));
            return Ok((line, Err(RecordError::CsvTooLong(MAX_LINE_BYTES))));
        }
        self.stopped = true;
        let (_, quote_line) = source.quote_opened;
        Ok((
            line,
            Err(RecordError::BrokenCsv(format!(
                "the quote opened on line {quote_line} is never closed, so the rest of the file (over {MAX_LINE_BYTES} \
                 bytes) was read into this record: close the quote and run again"
            ))),
        ))
    }

    fn next_row(&mut self) -> io::Result<Option<Parsed>> {
        self.open()?;
        if self.reader.is_none() || self.headers.is_empty() || self.stopped {
            return Ok(None);
        }
        loop {
            let Some(reader) = self.reader.as_mut() else { return Ok(None) };
            // A record may run to CSV_READ_LIMIT past the end of the last one, so memory stays bounded.
            let end_of_last = self.base + reader.position().byte();
            reader.get_mut().limit = end_of_last + CSV_READ_LIMIT;
            match reader.read_byte_record(&mut self.record) {
                Ok(true) => {}
                Ok(false) => return Ok(None),
                Err(_) if reader.get_ref().over_limit => {
                    self.record.clear();
                    let line = reader.get_mut().line_at(end_of_last);
                    return self.skip_long_record(line).map(Some);
                }
                Err(e) => return Err(e.into()),
            }
            let start = self.base + self.record.position().map_or(0, |p| p.byte());
            let end = self.base + reader.position().byte();
            let line = reader.get_mut().line_at(start);
            if let Some(quote_line) = reader.get_ref().unclosed_quote_in(start, end) {
                let error = RecordError::BrokenCsv(format!(
                    "the quote opened on line {quote_line} is never closed, so the rest of the file was read into \
                     this record: close the quote and run again"
                ));
                return Ok(Some((line, Err(error))));
            }
            // The reader may run CSV_READ_LIMIT past the last record (csv reads ahead), so a record a little over
            // the limit arrives whole: it is over the limit all the same.
            if self.record.as_slice().len() > MAX_LINE_BYTES {
                return Ok(Some((line, Err(RecordError::CsvTooLong(MAX_LINE_BYTES)))));
            }
            let record = &self.record;
            // A line of blanks parses as one blank field: not a record (csv itself skips empty lines).
            if record.len() == 1 && record[0].iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            if record.len() != self.headers.len() {
                let error = RecordError::BrokenCsv(format!(
                    "{} fields where the header has {} (a field holding a comma, quote or newline must be quoted)",
                    record.len(),
                    self.headers.len()
                ));
                return Ok(Some((line, Err(error))));
            }
            let mut fields = Map::new();
            for (header, value) in self.headers.iter().zip(record.iter()) {
                match std::str::from_utf8(value) {
                    Ok(value) => fields.insert(header.clone(), Value::String(value.to_string())),
                    Err(e) => {
                        let error = RecordError::InvalidUtf8(format!(
                            "column `{header}`: the byte at offset {} of the field is not valid UTF-8",
                            e.valid_up_to()
                        ));
                        return Ok(Some((line, Err(error))));
                    }
                };
            }
            return Ok(Some((line, Ok(fields))));
        }
    }
}

/// Remembers where the non-empty lines start in the bytes read through it, so that a CSV record's line can be
/// found from its byte offset. csv's own `Position::line` is where the previous record ended (before a `\n` that
/// follows `\r`, and before the empty lines it skips), which is not the line a user would look at.
struct LineStarts<R> {
    inner: R,
    /// (byte offset, 1-based line) of every non-empty line start not yet passed; bounded by csv's read-ahead.
    starts: std::collections::VecDeque<(u64, u64)>,
    offset: u64,
    line: u64,
    at_line_start: bool,
    /// Reads stop at this offset, with an error, and set `over_limit`.
    limit: u64,
    over_limit: bool,
    /// Where in a field the bytes read so far end, as csv's parser sees it (default dialect: `,`, `"` doubled to
    /// escape it, any of CR, LF, CRLF ending a record).
    quote: QuoteState,
    /// (byte offset, line) of the last quote that opened a quoted field.
    quote_opened: (u64, u64),
    /// The source has no more bytes.
    at_eof: bool,
    /// The last byte was a CR: a LF now ends no further line.
    after_cr: bool,
}

/// Quote state of csv's parser (csv-core's `StartField`, `InField`, `InQuotedField`, `InDoubleEscapedQuote`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: it closes the field, unless a second quote follows (an escaped quote).
    QuoteInQuoted,
}

impl<R> LineStarts<R> {
    fn new(inner: R) -> Self {
        LineStarts {
            inner,
            starts: Default::default(),
            offset: 0,
            line: 1,
            at_line_start: true,
            limit: CSV_READ_LIMIT,
            over_limit: false,
            quote: QuoteState::FieldStart,
            quote_opened: (0, 1),
            at_eof: false,
            after_cr: false,
        }
    }

    /// The line of the quote that opened within bytes `start..end` and was still open at the end of the file: csv
    /// then ends the record at the end of the file without an error, with every later line inside its field.
    fn unclosed_quote_in(&self, start: u64, end: u64) -> Option<u64> {
        let (at, line) = self.quote_opened;
        (self.at_eof && self.quote == QuoteState::Quoted && (start..end).contains(&at)).then_some(line)
    }

    /// The line of the first non-empty line starting at or after byte `offset`: a record found at `offset` has
    /// only line terminators before its first byte. Forgets the line starts before it.
    fn line_at(&mut self, offset: u64) -> u64 {
        while self.starts.front().is_some_and(|&(at, _)| at < offset) {
            self.starts.pop_front();
        }
        self.starts.front().map_or(self.line, |&(_, line)| line)
    }
}

impl<R: Read> Read for LineStarts<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let allowed = self.limit.saturating_sub(self.offset).min(buf.len() as u64) as usize;
        if allowed == 0 && !buf.is_empty() {
            self.over_limit = true;
            return Err(io::Error::new(io::ErrorKind::InvalidData, "CSV record too long"));
        }
        let n = self.inner.read(&mut buf[..allowed])?;
        self.at_eof |= n == 0;
        for &byte in &buf[..n] {
            self.track(byte);
        }
        Ok(n)
    }
}

impl<R> LineStarts<R> {
    /// Follows one byte: quote state, line starts, offset. Lines end at LF, CR or CRLF, as records do in csv.
    fn track(&mut self, byte: u8) {
        self.quote = match (self.quote, byte) {
            (QuoteState::FieldStart, b'"') => {
                self.quote_opened = (self.offset, self.line);
                QuoteState::Quoted
            }
            (QuoteState::Quoted, b'"') => QuoteState::QuoteInQuoted,
            (QuoteState::Quoted, _) => QuoteState::Quoted,
            (QuoteState::QuoteInQuoted, b'"') => QuoteState::Quoted,
            (_, b',' | b'\n' | b'\r') => QuoteState::FieldStart,
            _ => QuoteState::Unquoted,
        };
        match byte {
            b'\n' if self.after_cr => {}
            b'\n' | b'\r' => {
                self.line += 1;
                self.at_line_start = true;
            }
            _ => {
                if self.at_line_start {
                    self.starts.push_back((self.offset, self.line));
                    self.at_line_start = false;
                }
            }
        }
        self.after_cr = byte == b'\r';
        self.offset += 1;
    }
}

impl<R: BufRead> LineStarts<R> {
    /// Consumes bytes up to and including the next line end outside quotes (the end of the record being read);
    /// false when the source ends first, inside a quote.
    fn skip_to_record_end(&mut self) -> io::Result<bool> {
        loop {
            let available = self.inner.fill_buf()?;
            if available.is_empty() {
                self.at_eof = true;
                return Ok(self.quote != QuoteState::Quoted);
            }
            let available = available.to_vec();
            for (i, &byte) in available.iter().enumerate() {
                let quoted = self.quote == QuoteState::Quoted;
                self.track(byte);
                if !quoted && matches!(byte, b'\n' | b'\r') {
                    self.inner.consume(i + 1);
                    return Ok(true);
                }
            }
            self.inner.consume(available.len());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(data: &[u8], format: Format) -> Vec<Row> {
        RowReader::new(data, format).collect::<io::Result<_>>().unwrap()
    }

    fn text_of(row: &Row, key: &str) -> String {
        row.fields.as_ref().unwrap()[key].as_str().unwrap().to_string()
    }

    #[test]
    fn a_line_over_the_limit_is_an_error_row_and_the_next_line_is_read() {
        let long = format!("{{\"text\": \"{}\"}}\n", "a".repeat(MAX_LINE_BYTES));
        let at_limit = format!("{}\n", "b".repeat(MAX_LINE_BYTES));
        for format in [Format::Jsonl, Format::Text] {
            let data = format!("{long}{{\"text\": \"after\"}}\n{at_limit}");
            let rows = read(data.as_bytes(), format);
            assert_eq!(rows.len(), 3, "{format:?}");
            assert_eq!(rows[0].fields, Err(RecordError::TooLong(MAX_LINE_BYTES)));
            assert_eq!((rows[1].number, rows[1].line), (2, 2));
            assert!(text_of(&rows[1], "text").contains("after"), "{format:?}");
            // Exactly the limit (without the newline) is still a record.
            assert_eq!(rows[2].line, 3);
            assert!(!matches!(rows[2].fields, Err(RecordError::TooLong(_))), "{format:?}");
        }
        // The last line, too long and without a newline.
        let rows = read(long.trim_end().as_bytes(), Format::Jsonl);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].fields, Err(RecordError::TooLong(MAX_LINE_BYTES)));
    }

    #[test]
    fn jsonl_errors_stay_in_their_row() {
        let data = b"\xEF\xBB\xBF{\"id\": \"a\", \"text\": \"one\"}\n\n  \r\n{\"text\": \nnot json\r\n{\"text\": \"bad \xFF\"}\n[1]\n{\"text\":\"last\"}";
        let rows = read(data, Format::Jsonl);
        let numbers: Vec<_> = rows.iter().map(|r| (r.number, r.line)).collect();
        assert_eq!(numbers, [(1, 1), (2, 4), (3, 5), (4, 6), (5, 7), (6, 8)]);
        assert_eq!(text_of(&rows[0], "id"), "a");
        assert!(matches!(rows[1].fields, Err(RecordError::BrokenJson(_))));
        assert!(matches!(rows[2].fields, Err(RecordError::BrokenJson(_))));
        assert!(matches!(rows[3].fields, Err(RecordError::InvalidUtf8(_))));
        assert!(matches!(rows[4].fields, Err(RecordError::NotAnObject(found)) if found.starts_with("an array (")));
        assert_eq!(text_of(&rows[5], "text"), "last");
    }

    #[test]
    fn broken_json_says_what_the_file_seems_to_hold() {
        let broken = |row: &Row| match &row.fields {
            Err(RecordError::BrokenJson(message)) => message.clone(),
            other => panic!("not broken JSON: {other:?}"),
        };
        let rows = read(b"hello there\n{\"text\": \n\n[\n", Format::Jsonl);
        assert_eq!(broken(&rows[0]), "expected value at column 1 (plain text? pass `-f text`, or name the file .txt)");
        assert_eq!(broken(&rows[1]), "EOF while parsing a value at column 9", "starts like JSON: no hint");
        assert_eq!(broken(&rows[2]), "EOF while parsing a list at column 1", "not the first line: no array");

        // A pretty-printed array: still one row per line, the first says what to do, the others point to it.
        let rows = read(b"\n[\n  {\"text\": \"a\"},\n  {\n    \"text\": \"b\"\n  }\n]\n", Format::Jsonl);
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3, 4, 5, 6, 7]);
        let first = broken(&rows[0]);
        assert!(
            first.contains("looks like a JSON array") && first.contains("jq -c '.[]' FILE > FILE.jsonl"),
            "{first}"
        );
        for row in &rows[1..] {
            assert!(broken(row).ends_with("(part of the JSON array that starts on line 2, see there)"), "{row:?}");
        }

        // A pretty-printed object: its first line says what to do.
        let rows = read(b"{\n  \"text\": \"a\"\n}\n", Format::Jsonl);
        assert!(broken(&rows[0]).contains("a JSON object spread over several lines?"), "{:?}", rows[0]);
        assert!(broken(&rows[0]).contains("jq -c . FILE > FILE.jsonl"));

        // A whole array on one line parses, but is not a record: the same advice.
        let rows = read(b"[{\"text\": \"a\"}, {\"text\": \"b\"}]\n", Format::Jsonl);
        let error = rows[0].fields.as_ref().unwrap_err().to_string();
        assert!(error.contains("found an array (a JSON array of records?") && error.contains("jq -c '.[]'"), "{error}");
        let rows = read(b"42\n", Format::Jsonl);
        assert_eq!(rows[0].fields.as_ref().unwrap_err().to_string().matches("jq").count(), 0, "a number gets no hint");
    }

    #[test]
    fn text_lines_are_records() {
        let rows = read(b"hello there\r\n\n\xC3\x28 broken\nwork from home  \n", Format::Text);
        assert_eq!(rows.len(), 3);
        assert_eq!(text_of(&rows[0], "text"), "hello there");
        assert!(matches!(rows[1].fields, Err(RecordError::InvalidUtf8(_))));
        assert_eq!((rows[1].number, rows[1].line), (2, 3));
        assert_eq!(text_of(&rows[2], "text"), "work from home  ");
        assert_eq!((rows[2].number, rows[2].line), (3, 4));
    }

    #[test]
    fn csv_quotes_newlines_and_bad_rows() {
        let data = b"\xEF\xBB\xBFid,Title,description\r\n\
            1,Clerk,\"Paid \"\"daily\"\",\r\nno experience\"\r\n\
            \r\n\
            2,too,many,fields\n\
            3,Typist,\"caf\xE9\"\n\
            4,Driver,\"\"\n";
        let mut reader = RowReader::new(&data[..], Format::Csv);
        let rows: Vec<_> = reader.by_ref().collect::<io::Result<_>>().unwrap();
        assert_eq!(reader.headers(), ["id", "Title", "description"]);
        let numbers: Vec<_> = rows.iter().map(|r| (r.number, r.line)).collect();
        assert_eq!(numbers, [(1, 2), (2, 5), (3, 6), (4, 7)]);
        assert_eq!(text_of(&rows[0], "description"), "Paid \"daily\",\r\nno experience");
        assert_eq!(text_of(&rows[0], "Title"), "Clerk");
        assert!(
            matches!(&rows[1].fields, Err(RecordError::BrokenCsv(m)) if m.starts_with("4 fields where the header has 3"))
        );
        assert!(matches!(&rows[2].fields, Err(RecordError::InvalidUtf8(m)) if m.contains("`description`")));
        assert_eq!(text_of(&rows[3], "description"), "");
    }

    #[test]
    fn csv_lines_stay_right_across_read_buffers() {
        // Every third record spans two lines, every fifth is followed by an empty line; 3000 records is several
        // of csv's 8 KiB buffers, read through a 7-byte BufReader so reads split records and CRLFs.
        let mut data = String::from("id,text\r\n");
        let mut expected = Vec::new();
        let mut line = 2;
        for i in 1..=3000u64 {
            expected.push((i, line));
            if i % 3 == 0 {
                data.push_str(&format!("{i},\"two\r\nlines\"\r\n"));
                line += 2;
            } else {
                data.push_str(&format!("{i},one line\r\n"));
                line += 1;
            }
            if i % 5 == 0 {
                data.push_str("\r\n");
                line += 1;
            }
        }
        let reader = io::BufReader::with_capacity(7, data.as_bytes());
        let rows: Vec<_> = RowReader::new(reader, Format::Csv).collect::<io::Result<_>>().unwrap();
        let found: Vec<_> = rows.iter().map(|r| (r.number, r.line)).collect();
        assert_eq!(found, expected);
        assert_eq!(text_of(&rows[2999], "id"), "3000");
    }

    #[test]
    fn a_csv_record_over_the_limit_is_an_error_row_and_the_records_after_it_are_read() {
        // A closed quoted field of 10 MB (many lines, CRLF), then more records: one error row, naming the record's
        // line and not an unclosed quote, then the rest, on their own lines.
        let mut data = b"id,text\r\n1,fine\r\n2,\"long ".to_vec();
        let lines = (10 << 20) / 9;
        data.extend(b"la \"\"la\"\"\r\n".repeat(lines));
        data.extend(b"end\"\r\n3,after\r\n\r\n4,\"two\r\nlines\"\r\n");
        let reader = io::BufReader::with_capacity(1000, &data[..]);
        let rows: Vec<_> = RowReader::new(reader, Format::Csv).collect::<io::Result<_>>().unwrap();
        assert_eq!(
            rows.iter().map(|r| (r.number, r.line)).collect::<Vec<_>>(),
            [(1, 2), (2, 3), (3, 4 + lines as u64), (4, 6 + lines as u64)]
        );
        assert_eq!(rows[1].fields, Err(RecordError::CsvTooLong(MAX_LINE_BYTES)));
        let message = rows[1].fields.as_ref().unwrap_err().to_string();
        assert!(
            message.contains("is skipped (the records after it are read)") && !message.contains("quote"),
            "{message}"
        );
        assert_eq!(text_of(&rows[2], "text"), "after");
        assert_eq!(text_of(&rows[3], "text"), "two\r\nlines");

        // An unquoted line over the limit, and one that ends the file without a line end.
        let mut data = b"id,text\n1,".to_vec();
        data.extend(b"x".repeat(MAX_LINE_BYTES + 10));
        data.extend(b"\n2,next\n3,");
        data.extend(b"y".repeat(MAX_LINE_BYTES + 10));
        let rows = read(&data, Format::Csv);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].fields, Err(RecordError::CsvTooLong(MAX_LINE_BYTES)));
        assert_eq!((rows[1].line, text_of(&rows[1], "text")), (3, "next".to_string()));
        assert_eq!((rows[2].line, rows[2].fields.clone()), (4, Err(RecordError::CsvTooLong(MAX_LINE_BYTES))));
    }

    #[test]
    fn a_csv_quote_never_closed_past_the_limit_is_the_last_row_naming_its_line() {
        // An unclosed quote on line 3 runs on for 20 MiB (many lines): read through in bounded memory, one row.
        let mut data = b"id,text\n1,fine\n2,\"unclosed ".to_vec();
        data.extend(b"la la la\n".repeat((20 << 20) / 9));
        data.extend(b"3,inside the quote\n");
        let rows = read(&data, Format::Csv);
        assert_eq!(rows.len(), 2);
        assert_eq!(text_of(&rows[0], "text"), "fine");
        assert_eq!((rows[1].number, rows[1].line), (2, 3));
        assert!(
            matches!(&rows[1].fields, Err(RecordError::BrokenCsv(m)) if m.starts_with("the quote opened on line 3 is never closed")),
            "{:?}",
            rows[1].fields
        );

        // A record just under the limit, even across many lines, is read whole, and so is the one after it.
        let mut data = b"id,text\n1,\"".to_vec();
        data.extend(b"0123456789\n".repeat((MAX_LINE_BYTES - 100) / 11));
        data.extend(b"\"\n2,after\n");
        let rows = read(&data, Format::Csv);
        assert_eq!(rows.len(), 2);
        assert!(rows[0].fields.is_ok());
        assert_eq!(text_of(&rows[1], "text"), "after");
    }

    #[test]
    fn csv_lines_end_at_a_lone_cr_too() {
        // Old Mac files end lines with CR alone; csv ends records there, and so do the line numbers.
        let rows = read(b"id,text\r1,one\r\r2,\"two\rlines\"\r3,three\r\n4,four\n5,five", Format::Csv);
        assert_eq!(
            rows.iter().map(|r| (r.number, r.line)).collect::<Vec<_>>(),
            [(1, 2), (2, 4), (3, 6), (4, 7), (5, 8)]
        );
        assert_eq!(text_of(&rows[1], "text"), "two\rlines");
    }

    #[test]
    fn ids_come_back_as_the_input_wrote_them() {
        let data = concat!(
            "{\"id\": 18446744073709551616, \"text\": \"a\"}\n",
            "{\"id\": 18446744073709551617, \"text\": \"b\"}\n",
            "{\"id\":1e2,\"text\":\"c\"}\n",
            "{\"ID\": -0.50 , \"text\": \"d\"}\n",
            "{\"id\": \"x\\u0041\", \"text\": \"e\"}\n",
            "{\"id\": null, \"text\": \"f\"}\n",
            "{\"id\": 7, \"id\": 8.0, \"text\": \"g\"}\n",
        );
        let rows = read(data.as_bytes(), Format::Jsonl);
        let ids: Vec<_> = rows.iter().map(Row::id).collect();
        let expected = ["18446744073709551616", "18446744073709551617", "1e2", "-0.50", "xA"];
        let mut expected: Vec<Option<String>> = expected.iter().map(|s| Some(s.to_string())).collect();
        expected.extend([None, Some("8.0".into())]);
        assert_eq!(ids, expected);
        assert_eq!(rows[2].record().unwrap().id.as_deref(), Some("1e2"));

        // An object, array or boolean id is an error row, whatever the case of its key.
        for (id, kind) in [("{\"a\": 1}", "an object"), ("[1]", "an array"), ("true", "a boolean")] {
            for key in ["id", "Id"] {
                let line = format!("{{\"{key}\": {id}, \"text\": \"t\"}}");
                let rows = read(line.as_bytes(), Format::Jsonl);
                assert_eq!(rows[0].record(), Err(RecordError::IdType(kind)), "{line}");
                assert_eq!(rows[0].id(), None, "{line}");
            }
        }
    }

    #[test]
    fn a_csv_quote_open_at_the_end_of_the_file_is_an_error_row_naming_its_line() {
        let rows =
            read(b"id,Title,DESCRIPTION\np1,Nurse,\"Hospital job\np2,Driver,Truck\np3,Clerk,Office\n", Format::Csv);
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].number, rows[0].line), (1, 2));
        assert!(
            matches!(&rows[0].fields, Err(RecordError::BrokenCsv(m))
                if m.starts_with("the quote opened on line 2 is never closed, so the rest of the file was read")),
            "{:?}",
            rows[0].fields
        );

        // The quote may open on a later line of the record, after a quoted field that closed; the rows before
        // it are read as usual, across a 5-byte buffer so reads split the records.
        let data = b"id,a,b\r\n1,5'10\" tall,x\r\n2,\"two\r\nlines\",\"open \"\"\r\n3,x,y";
        let rows: Vec<_> =
            RowReader::new(io::BufReader::with_capacity(5, &data[..]), Format::Csv).collect::<io::Result<_>>().unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(text_of(&rows[0], "a"), "5'10\" tall");
        assert_eq!(rows[1].line, 3);
        assert!(matches!(&rows[1].fields, Err(RecordError::BrokenCsv(m)) if m.contains("line 4 is never closed")));

        // A header whose quote never closes is the whole file: an error of the reader.
        let error = RowReader::new(&b"id,\"text\n1,hi\n"[..], Format::Csv).next().unwrap().unwrap_err();
        assert!(error.to_string().contains("quote opened on line 1 of the CSV header row"), "{error}");
    }

    #[test]
    fn a_csv_whose_last_field_is_quoted_over_lines_reads_normally() {
        for end in ["\"", "\"\n", "\"\r\n", "\"\"\"\n"] {
            let data = format!("id,text\n1,\"one,\ntwo\n\nthree{end}");
            let rows = read(data.as_bytes(), Format::Csv);
            assert_eq!(rows.len(), 1, "{end:?}");
            assert!(text_of(&rows[0], "text").starts_with("one,\ntwo\n\nthree"), "{end:?}");
        }
        let rows = read(b"id,text\n1,\"a\nb\"\n2,\"\"\n", Format::Csv);
        assert_eq!(rows.len(), 2);
        assert_eq!(text_of(&rows[1], "text"), "");
    }

    #[test]
    fn csv_with_only_a_header_or_nothing_has_no_rows() {
        assert!(read(b"text\n", Format::Csv).is_empty());
        assert!(read(b"", Format::Csv).is_empty());
        assert!(read(b"\xEF\xBB", Format::Csv).is_empty());
        let rows = read(b"text\nhi\n", Format::Csv);
        assert_eq!(text_of(&rows[0], "text"), "hi");
    }

    #[test]
    fn rows_become_records() {
        let rows = read(b"ID,Title,text\n7,Clerk,\n,,\n", Format::Csv);
        let record = rows[0].record().unwrap();
        assert_eq!(record.id.as_deref(), Some("7"));
        assert_eq!(record.get(crate::Field::Title), Some("Clerk"));
        let blank = rows[1].record().unwrap();
        assert_eq!(blank.id, None);
        assert!(blank.is_empty());
        let broken = &read(b"{\n{\"Id\": 3, \"text\": [1]}\n", Format::Jsonl);
        assert!(matches!(broken[0].record(), Err(RecordError::BrokenJson(_))));
        assert_eq!(broken[0].id(), None);
        assert!(matches!(broken[1].record(), Err(RecordError::FieldType { field: "text", .. })));
        assert_eq!(broken[1].id().as_deref(), Some("3"));
    }

    #[test]
    fn utf16_is_one_clear_error_not_a_row_per_line() {
        let utf16le: Vec<u8> =
            "{\"text\": \"hi\"}\n{\"text\": \"yo\"}\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let utf16be: Vec<u8> = "id,text\n1,hi\n".encode_utf16().flat_map(u16::to_be_bytes).collect();
        let with_bom = [b"\xFF\xFE".as_slice(), &utf16le].concat();
        for (data, format) in [
            (&utf16le, Format::Jsonl),
            (&with_bom, Format::Jsonl),
            (&with_bom, Format::Text),
            (&utf16be, Format::Csv),
            (&[b"\xFE\xFF".as_slice(), &utf16be].concat(), Format::Csv),
        ] {
            let mut reader = RowReader::new(io::BufReader::with_capacity(7, &data[..]), format);
            let error = reader.next().unwrap().unwrap_err();
            assert!(error.to_string().contains("UTF-16: convert with iconv -f UTF-16 -t UTF-8"), "{error}");
            assert!(reader.next().is_none(), "{format:?}: one error, then nothing");
        }
        // UTF-8 with NUL bytes, or non-ASCII text, is not UTF-16.
        assert!(!looks_like_utf16(b"\xEF\xBB\xBF{\"text\": \"a\0b\"}"));
        assert!(!looks_like_utf16("中文 text".as_bytes()));
        assert!(!looks_like_utf16(b"a\0"));
    }

    #[test]
    fn formats_by_name_and_extension() {
        assert_eq!(Format::from_path(Path::new("a/b.NDJSON")), Some(Format::Jsonl));
        assert_eq!(Format::from_path(Path::new("ads.csv")), Some(Format::Csv));
        assert_eq!(Format::from_path(Path::new("msgs.txt")), Some(Format::Text));
        assert_eq!(Format::from_path(Path::new("data")), None);
        assert_eq!("CSV".parse::<Format>(), Ok(Format::Csv));
        assert!("xml".parse::<Format>().is_err());
        assert_eq!(strip_bom(b"\xEF\xBB\xBFx"), b"x");
    }
}
