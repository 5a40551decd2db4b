//! Streaming readers for the input formats records come in: JSON Lines, CSV with a header row, and plain text
//! with one record a line.
//!
//! A [`RowReader`] yields one [`Row`] per record, in input order, holding at most one record in memory. A broken
//! record (invalid UTF-8, broken JSON, a CSV row with the wrong number of fields) is an `Err` in that row's
//! [`Row::fields`] and never stops the reader or shifts the rows after it; only a failure of the underlying reader
//! itself is an `Err` of the iterator. Blank lines are not records, and neither is a CSV row identical to the header
//! row (files joined with `cat a.csv b.csv` repeat it). A UTF-8 BOM at the start of a line (in CSV, of a record) is
//! skipped: files joined with `cat` have one there too. A JSON Lines or text line, or a CSV record,
//! longer than [`MAX_LINE_BYTES`] is an error row ([`RecordError::TooLong`], [`RecordError::CsvTooLong`]) and is
//! skipped in bounded memory; the records after it are read. A CSV record whose quote is still open at the end of
//! the file (csv ends it there without an error, the later lines inside its field) is an error row
//! ([`RecordError::BrokenCsv`]) naming the line of that quote, and the last row. Lines end at LF, CRLF or a lone
//! CR (old Mac files) in every format, and so do CSV records. A JSON array of records written one element a line
//! (`[`, `{...},` lines, `]`: Scrapy's JSON export) is read element by element, each on its own line; an element
//! spread over several lines is an error row on each of them, saying how to convert the file. A broken JSON line
//! says where in the line (its column), and what the file seems to hold instead when it can tell: plain text, or a
//! JSON object spread over lines.
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

mod csv_records;
mod jsonl;
mod utf16;
pub(crate) use jsonl::json_error_message;

pub use jsonl::{keep_number_id_text, read_repeated_keys};
pub use utf16::{byte_order as utf16_byte_order, ByteOrder, Utf16Reader};
#[cfg(test)]
mod tests;

use crate::record::{record_id, Record, RecordError};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;
use std::io::{self, BufRead};
use std::ops::Range;
use std::path::Path;
use std::str::FromStr;

/// The longest JSON Lines or text line, or CSV record, read as one record (8 MiB); a longer one is skipped, in
/// bounded memory, and becomes an error row ([`RecordError::TooLong`], [`RecordError::CsvTooLong`]).
pub const MAX_LINE_BYTES: usize = 8 << 20;

/// The hint's way to read a file as plain text when the caller names none ([`RowReader::with_text_hint`]).
const DEFAULT_TEXT_HINT: &str = "read it as text";

/// The UTF-8 byte order mark some tools (Excel, Notepad) put at the start of a file.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// An input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// One JSON object a line (`text` or posting fields, optional `id`).
    Jsonl,
    /// A header row naming the columns, then one record a row; RFC 4180 quoting, so quoted fields may hold commas,
    /// quotes (doubled) and newlines. Fields are separated by commas, or by semicolons or tabs when the header row
    /// has those and no comma (Excel's CSV where the decimal mark is a comma; TSV).
    Csv,
    /// One record a line: the whole line is the record's `text`.
    Text,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 3] = [Format::Jsonl, Format::Csv, Format::Text];

    /// The format a file name's extension implies (ASCII case ignored): `.jsonl`, `.ndjson`, `.json` are JSON Lines,
    /// `.csv` and `.tsv` are CSV (its delimiter read off the header row), `.txt` is text.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
            "csv" | "tsv" | "tab" => Some(Format::Csv),
            "txt" | "text" => Some(Format::Text),
            _ => None,
        }
    }

    /// The usual extension of its files (without the dot): `jsonl`, `csv`, `txt`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Text => "txt",
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
    /// column kept; an empty or blank id cell is `null`, no id); for text, `{"text": line}`. `Err` when this record
    /// is unreadable.
    pub fields: Result<Map<String, Value>, RecordError>,
    /// The input's id of a record whose `fields` are an `Err`, when that much of it can be read: the id of a CSV
    /// row or JSON line whose only fault is invalid UTF-8 in another field, so that its error row is found by its
    /// id. `None` otherwise (the id of a readable record is in its `fields`).
    pub unreadable_id: Option<String>,
}

impl Row {
    /// The record this row holds (see [`Record::from_json_object`], whose id rule [`crate::record::record_id`]
    /// makes an id that is an object, an array or a boolean a row error, [`RecordError::IdType`]).
    pub fn record(&self) -> Result<Record, RecordError> {
        Record::from_json_object(self.fields.as_ref().map_err(Clone::clone)?)
    }

    /// The row's id ([`crate::record::record_id`]); a JSON Lines number is its text exactly as the input wrote it
    /// (`1e2` stays `1e2`, `18446744073709551616` keeps every digit). Known even when the rest of the record is
    /// unusable, as long as the row parsed, and for an unreadable row whose id could be read
    /// ([`Row::unreadable_id`]).
    pub fn id(&self) -> Option<String> {
        match &self.fields {
            Ok(fields) => record_id(fields).ok().flatten(),
            Err(_) => self.unreadable_id.clone(),
        }
    }
}

/// True when the first bytes of an input look like UTF-16 (or UTF-32): a UTF-16 byte order mark, or text whose
/// every other byte is NUL (ASCII letters in UTF-16 without a mark). lurescan reads UTF-8, and would otherwise make
/// one "invalid UTF-8" row of every line of such a file.
pub fn looks_like_utf16(head: &[u8]) -> bool {
    // A UTF-32 mark starts with a UTF-16 one: refused as UTF-16 too, though not read as it.
    head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") || utf16::byte_order(head).is_some()
}

/// The error of a reader whose input is UTF-16 (see [`looks_like_utf16`]): the `iconv` command that converts `file`
/// (the input as the user named it; `FILE` for a pipe) into a UTF-8 copy.
fn utf16_error(file: Option<&str>, format: Format) -> io::Error {
    let (from, to) = match file {
        Some(file) => {
            let path = Path::new(file);
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or(format.extension());
            (file.to_string(), path.with_extension(format!("utf8.{ext}")).display().to_string())
        }
        None => ("FILE".to_string(), format!("FILE.utf8.{}", format.extension())),
    };
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "the input is UTF-16 text (a UTF-16 byte order mark, or NUL bytes between the letters), and lurescan \
             reads UTF-8. UTF-16: convert with iconv -f UTF-16 -t UTF-8 {from} > {to}, and read that"
        ),
    )
}

/// A compressed file or an archive, which lurescan refuses with the command that decompresses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compressed {
    /// What the file is, as a message says it: "xz-compressed", "a ZIP archive (…)".
    pub kind: &'static str,
    /// The command that writes the file's content to stdout, the file's name after it: `xz -dc`.
    pub command: &'static str,
    magic: &'static [u8],
    /// The extensions of its file names, the usual one first.
    extensions: &'static [&'static str],
}

/// The compressed files and archives lurescan tells apart: gzip, bzip2, xz, zstd, and ZIP (which is also what an
/// `.xlsx` spreadsheet or a `.docx` document is).
const COMPRESSED: [Compressed; 5] = [
    Compressed { kind: "gzip-compressed", command: "gunzip -c", magic: b"\x1F\x8B", extensions: &["gz"] },
    Compressed { kind: "bzip2-compressed", command: "bunzip2 -c", magic: b"BZh", extensions: &["bz2"] },
    Compressed { kind: "xz-compressed", command: "xz -dc", magic: b"\xFD7zXZ\x00", extensions: &["xz"] },
    Compressed { kind: "zstd-compressed", command: "zstd -dc", magic: b"\x28\xB5\x2F\xFD", extensions: &["zst"] },
    Compressed {
        kind: "a ZIP archive (an .xlsx spreadsheet or a .docx document is one)",
        command: "unzip -p",
        magic: b"PK\x03\x04",
        extensions: &["zip", "xlsx"],
    },
];

impl Compressed {
    /// What `head` (a file's first bytes) starts, by its magic number.
    pub fn from_head(head: &[u8]) -> Option<Compressed> {
        COMPRESSED.into_iter().find(|c| head.starts_with(c.magic))
    }

    /// What a file name's extension says the file is (ASCII case ignored): `.gz`, `.bz2`, `.xz`, `.zst`, `.zip`,
    /// `.xlsx`.
    pub fn from_path(path: &Path) -> Option<Compressed> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        COMPRESSED.into_iter().find(|c| c.extensions.contains(&ext.as_str()))
    }

    /// What to do, for an error: decompress `file` with this kind's own command and score the result as `format`;
    /// for a ZIP archive, which may be a spreadsheet, also how to export one.
    pub fn advice(self, file: &str, format: Format) -> String {
        let ext = Path::new(file).extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
        if matches!(ext.as_str(), "xlsx" | "xlsm" | "ods" | "docx") {
            // Unzipped, a spreadsheet is XML: no command line turns it into records here.
            return format!(
                "save it as CSV (UTF-8) from the spreadsheet (File > Save As > CSV UTF-8), or convert it with \
                 `libreoffice --headless --convert-to csv {file}`, and score the .csv"
            );
        }
        let spreadsheet =
            if self.extensions.contains(&"xlsx") { "; an .xlsx spreadsheet: save it as CSV (UTF-8)" } else { "" };
        format!(
            "decompress it first and read the result (e.g. {} {file} | lurescan score -f {format} -){spreadsheet}",
            self.command
        )
    }
}

/// What kind of compressed file or archive `head` (a file's first bytes) starts, by its magic number
/// ([`Compressed::from_head`]).
pub fn compressed_kind(head: &[u8]) -> Option<&'static str> {
    Compressed::from_head(head).map(|c| c.kind)
}

/// Fails with [`utf16_error`] when the first bytes `reader` holds look like UTF-16, and with an error naming what
/// to do when they start a compressed file or an archive (its command, and an example file of `format`); reads
/// nothing more.
fn check_readable_text<R: BufRead>(reader: &mut R, format: Format) -> io::Result<()> {
    check_head(reader.fill_buf()?, format, None)
}

/// The check [`RowReader`] makes of its first bytes, for a caller that wants to refuse an input before it reads any
/// other (a folder's UTF-16 or compressed file before the files ahead of it are scored): fails with the error of a
/// UTF-16 input when `head`, a file's first bytes (a few KiB), looks like UTF-16, and with an error naming what to do
/// when it starts a compressed file or an archive. The command names `file`, the input as the user gave it; without
/// it (a pipe), an example file of `format` (`FILE.jsonl.gz`).
pub fn check_head(head: &[u8], format: Format, file: Option<&str>) -> io::Result<()> {
    if looks_like_utf16(head) {
        return Err(utf16_error(file, format));
    }
    match Compressed::from_head(head) {
        Some(compressed) => {
            let example = format!("FILE.{}.{}", format.extension(), compressed.extensions[0]);
            Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "the input is {}, and lurescan reads text: {}",
                    compressed.kind,
                    compressed.advice(file.unwrap_or(&example), format)
                ),
            ))
        }
        None => Ok(()),
    }
}

/// JSON text with each lone UTF-16 surrogate escape (`\ud83d` not followed by its low half: an emoji cut in two by
/// a scraper or a truncated string; or a low half alone) written as `\ufffd`, the replacement character, which
/// serde_json accepts: JavaScript and Python write such escapes, and they parse there. Escaped pairs and every other
/// byte stay as they are; text without a lone surrogate comes back borrowed.
///
/// ```
/// use lurescan::input::repair_lone_surrogates;
/// assert_eq!(repair_lone_surrogates(r#"{"text":"job \ud83d"}"#), r#"{"text":"job \ufffd"}"#);
/// assert_eq!(repair_lone_surrogates(r#"{"text":"\ud83d\ude00 \\ud83d"}"#), r#"{"text":"\ud83d\ude00 \\ud83d"}"#);
/// ```
pub fn repair_lone_surrogates(json: &str) -> Cow<'_, str> {
    let bytes = json.as_bytes();
    // The code unit of a `\uXXXX` escape starting at `at`, if there is one.
    let unit = |at: usize| -> Option<u16> {
        let escape = bytes.get(at..at + 6)?;
        if escape[0] != b'\\' || escape[1] != b'u' {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&escape[2..]).ok()?, 16).ok()
    };
    let mut lone = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] != b'\\' {
            at += 1;
            continue;
        }
        match unit(at) {
            Some(0xD800..=0xDBFF) if unit(at + 6).is_some_and(|low| (0xDC00..=0xDFFF).contains(&low)) => at += 12,
            Some(0xD800..=0xDFFF) => {
                lone.push(at);
                at += 6;
            }
            Some(_) => at += 6,
            // `\\`, `\"` and the other two-character escapes.
            None => at += 2,
        }
    }
    if lone.is_empty() {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len());
    let mut from = 0;
    for at in lone {
        out.push_str(&json[from..at]);
        out.push_str("\\ufffd");
        from = at + 6;
    }
    out.push_str(&json[from..]);
    Cow::Owned(out)
}

/// JSON text that serde_json reads although it did not: lone surrogate escapes repaired
/// ([`repair_lone_surrogates`]); each number too large for a 64-bit float (`1E400`, which JSON allows and
/// serde_json refuses as "number out of range") written as a string of its digits; and `NaN`, `Infinity` and
/// `-Infinity`, which JSON does not allow but Python's `json.dumps` and JavaScript writers emit for a missing or
/// unbounded float, read as `null` (an absent value). One such value (a salary column, an id) does not cost the whole
/// record. Text that needs none of this comes back borrowed.
///
/// ```
/// use lurescan::input::repair_json;
/// assert_eq!(repair_json(r#"{"id":1E400,"text":"a 1e400 job","pay":-2e999}"#), r#"{"id":"1E400","text":"a 1e400 job","pay":"-2e999"}"#);
/// assert_eq!(repair_json(r#"{"id":1e300}"#), r#"{"id":1e300}"#);
/// assert_eq!(repair_json(r#"{"text":"NaN pay","salary":NaN,"max":[Infinity,-Infinity]}"#), r#"{"text":"NaN pay","salary":null,"max":[null,null]}"#);
/// ```
pub fn repair_json(json: &str) -> Cow<'_, str> {
    match repair_lone_surrogates(json) {
        Cow::Borrowed(json) => repair_numbers(json),
        Cow::Owned(repaired) => Cow::Owned(repair_numbers(&repaired).into_owned()),
    }
}

/// `json` with every number outside a string whose value overflows an `f64` written as a JSON string of its text,
/// and every `NaN`, `Infinity` and `-Infinity` outside a string written as `null`.
fn repair_numbers(json: &str) -> Cow<'_, str> {
    let bytes = json.as_bytes();
    let mut edits: Vec<(Range<usize>, Option<&str>)> = Vec::new();
    let (mut at, mut in_string) = (0, false);
    // The length of the non-standard float at `at`, when one starts there (and is not the start of a longer word).
    let keyword = |at: usize| {
        ["NaN", "Infinity", "-Infinity"].iter().map(|k| k.len()).find(|&n| {
            matches!(json.get(at..at + n), Some("NaN" | "Infinity" | "-Infinity"))
                && !bytes.get(at + n).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        })
    };
    while at < bytes.len() {
        let candidate = !in_string && matches!(bytes[at], b'N' | b'I' | b'-');
        if let Some(n) = candidate.then(|| keyword(at)).flatten() {
            edits.push((at..at + n, None));
            at += n;
            continue;
        }
        match (in_string, bytes[at]) {
            (true, b'\\') => at += 2,
            (_, b'"') => {
                in_string = !in_string;
                at += 1;
            }
            (false, b'-' | b'0'..=b'9') => {
                let end = at
                    + bytes[at..]
                        .iter()
                        .position(|b| !matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
                        .unwrap_or(bytes.len() - at);
                if json[at..end].parse::<f64>().is_ok_and(f64::is_infinite) {
                    edits.push((at..end, Some(&json[at..end])));
                }
                at = end;
            }
            _ => at += 1,
        }
    }
    if edits.is_empty() {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 2 * edits.len());
    let mut from = 0;
    for (range, digits) in edits {
        out.push_str(&json[from..range.start]);
        match digits {
            Some(digits) => {
                out.push('"');
                out.push_str(digits);
                out.push('"');
            }
            None => out.push_str("null"),
        }
        from = range.end;
    }
    out.push_str(&json[from..]);
    Cow::Owned(out)
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
    /// The input's name, for the commands its errors suggest ([`RowReader::with_source_name`]).
    source: Option<String>,
    /// A row read before held UTF-8 text beyond ASCII: the input is UTF-8, and a row that is not has stray bytes,
    /// not the input a Windows-1252 export.
    utf8_seen: bool,
}

enum Inner<R> {
    Lines {
        reader: R,
        format: Format,
        buf: Vec<u8>,
        at: jsonl::LinePosition,
        array: Option<jsonl::ArrayLines>,
        text_hint: String,
        /// The first line reads as a CSV header row.
        csv_header: bool,
    },
    Csv(Box<csv_records::CsvState<R>>),
}

impl<R: BufRead> RowReader<R> {
    pub fn new(reader: R, format: Format) -> Self {
        let inner = match format {
            Format::Jsonl | Format::Text => Inner::Lines {
                reader,
                format,
                buf: Vec::new(),
                at: jsonl::LinePosition::default(),
                array: None,
                text_hint: DEFAULT_TEXT_HINT.to_string(),
                csv_header: false,
            },
            Format::Csv => Inner::Csv(Box::new(csv_records::CsvState::new(reader))),
        };
        RowReader { inner, number: 0, started: false, failed: false, source: None, utf8_seen: false }
    }

    /// The path of the file being read, as the user wrote it, for the commands that errors suggest (`iconv … ads.csv
    /// > ads.utf8.csv` for a record that is not UTF-8); without it they say `FILE`.
    pub fn with_source_name(mut self, name: impl Into<String>) -> Self {
        self.source = Some(name.into());
        self
    }

    /// How the caller asks for a file to be read as plain text, for the hint of a JSON line that looks like plain
    /// text: "plain text? {how}, or name the file .txt". The CLI passes "pass `-f text`"; without it, "read it as
    /// text".
    pub fn with_text_hint(mut self, how: impl Into<String>) -> Self {
        if let Inner::Lines { text_hint, .. } = &mut self.inner {
            *text_hint = how.into();
        }
        self
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
                Inner::Lines { reader, format, .. } => check_readable_text(reader, *format),
                Inner::Csv(state) => {
                    state.source.as_mut().map_or(Ok(()), |source| check_readable_text(source, Format::Csv))
                }
            };
            if let Err(e) = checked {
                self.failed = true;
                return Some(Err(e));
            }
        }
        let next = match &mut self.inner {
            Inner::Lines { reader, format, buf, at, array, text_hint, csv_header } => {
                let array = jsonl::JsonArray { first: self.number == 0, lines: array, text_hint, csv_header };
                jsonl::next_line(reader, *format, buf, at, array)
            }
            Inner::Csv(state) => state.next_row(),
        };
        match next {
            Ok(Some(Parsed { line, mut fields, unreadable_id })) => {
                match &fields {
                    Err(RecordError::InvalidUtf8(what)) => {
                        let format = match &self.inner {
                            Inner::Lines { format, .. } => *format,
                            Inner::Csv(_) => Format::Csv,
                        };
                        fields = Err(invalid_utf8(what, format, self.source.as_deref(), self.utf8_seen));
                    }
                    // Looked at only until the first text beyond ASCII.
                    Ok(fields) if !self.utf8_seen => self.utf8_seen = fields.values().any(holds_non_ascii),
                    Ok(_) | Err(_) => {}
                }
                self.number += 1;
                Some(Ok(Row { number: self.number, line, fields, unreadable_id }))
            }
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

/// Whether a JSON value holds a string with a character beyond ASCII.
fn holds_non_ascii(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(s) => !s.is_ascii(),
        serde_json::Value::Array(items) => items.iter().any(holds_non_ascii),
        serde_json::Value::Object(fields) => fields.values().any(holds_non_ascii),
        _ => false,
    }
}

/// The error of a record that is not valid UTF-8 (`what` says where), with its likely cause and cure, once. In an
/// input that held UTF-8 text beyond ASCII before (`utf8_seen`), stray bytes in a UTF-8 file: the line fixed, or such
/// bytes dropped (converting the whole file from Windows-1252 would garble its UTF-8 and stop at the first byte
/// Windows-1252 lacks). Else a file exported as Windows-1252 or Latin-1 (Excel, older Windows tools), converted to a
/// file of the same format. The command names the file when `source` is a plain file of the format
/// ([`RowReader::with_source_name`]), else `FILE`.
fn invalid_utf8(what: &str, format: Format, source: Option<&str>, utf8_seen: bool) -> RecordError {
    let (from, cure) = match utf8_seen {
        true => ("-c -f UTF-8", "the file is UTF-8 elsewhere: fix this line, or drop the bytes that are not UTF-8"),
        false => ("-f WINDOWS-1252", "a Windows-1252 or Latin-1 export? convert it"),
    };
    let command = match source.and_then(|name| converted_name(name, format).map(|to| (name, to))) {
        Some((name, to)) => format!("iconv {from} -t UTF-8 {} > {}", shell_word(name), shell_word(&to)),
        None => format!("iconv {from} -t UTF-8 FILE > FILE.utf8.{}", format.extension()),
    };
    RecordError::InvalidUtf8(format!("{what} ({cure}: {command})"))
}

/// The name of the UTF-8 copy of the file `name`: `ads.csv` → `ads.utf8.csv`. None for stdin, and for a name whose
/// extension is not one of the format's (a compressed file, whose bytes iconv cannot read as they are).
fn converted_name(name: &str, format: Format) -> Option<String> {
    let (stem, extension) = name.rsplit_once('.')?;
    let plain = match format {
        Format::Jsonl => ["jsonl", "ndjson", "json"].contains(&extension.to_ascii_lowercase().as_str()),
        Format::Csv => ["csv", "tsv"].contains(&extension.to_ascii_lowercase().as_str()),
        Format::Text => extension.eq_ignore_ascii_case("txt"),
    };
    (plain && !stem.is_empty() && !stem.ends_with('/')).then(|| format!("{stem}.utf8.{extension}"))
}

/// `word` as one word of a POSIX shell command: as it is when it holds only characters no shell reads, else in
/// single quotes.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./,:@+=%".contains(c) || !c.is_ascii();
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// One record as a reader parsed it: the line it starts on, its fields, and [`Row::unreadable_id`].
struct Parsed {
    line: u64,
    fields: Result<Map<String, Value>, RecordError>,
    unreadable_id: Option<String>,
}

impl Parsed {
    fn new(line: u64, fields: Result<Map<String, Value>, RecordError>) -> Self {
        Parsed { line, fields, unreadable_id: None }
    }
}

/// The id of an unreadable record, from a copy of its fields with each invalid UTF-8 sequence replaced by U+FFFD:
/// the input's id when the id itself was valid. An id holding U+FFFD may have held an invalid byte, which would
/// pass a changed id off as the input's: it gives none.
fn readable_id(lossy: &Map<String, Value>) -> Option<String> {
    record_id(lossy).ok().flatten().filter(|id| !id.contains(char::REPLACEMENT_CHARACTER))
}
