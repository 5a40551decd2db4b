//! The CSV reader: csv's parser with a header row, rows of any length made error rows, records over
//! [`MAX_LINE_BYTES`] skipped in bounded memory, and the line each record starts on (csv's own positions are
//! where the previous record ended). A UTF-8 BOM at the start of any record is skipped, and a row identical to the
//! header row is not a record: both are what files joined with `cat a.csv b.csv` hold at the start of the second.

use super::{readable_id, Parsed, MAX_LINE_BYTES, UTF8_BOM};
use crate::record::{id_entry, RecordError};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::io::{self, BufRead, Read};

pub(super) struct CsvState<R> {
    /// `None` until the header row is read: the first `next` reads it, so `new` does no I/O.
    reader: Option<csv::Reader<LineStarts<R>>>,
    pub(super) source: Option<R>,
    pub(super) headers: Vec<String>,
    record: csv::ByteRecord,
    /// A record over [`MAX_LINE_BYTES`] whose quote never closed was reported: nothing more is read.
    stopped: bool,
    /// Offset in the source where `reader` started (past a skipped over-long record): csv counts from there.
    base: u64,
    /// The field delimiter, read off the header row ([`sniff_delimiter`]).
    delimiter: u8,
}

/// How far past the end of the last record the CSV reader may read: the longest record plus csv's read-ahead.
const CSV_READ_LIMIT: u64 = MAX_LINE_BYTES as u64 + (64 << 10);

impl<R> CsvState<R> {
    pub(super) fn new(source: R) -> Self {
        CsvState {
            reader: None,
            source: Some(source),
            headers: Vec::new(),
            record: csv::ByteRecord::new(),
            stopped: false,
            base: 0,
            delimiter: b',',
        }
    }
}

/// csv's reader as lurescan reads CSV: no header handling of its own (the first record is the header), rows of any
/// length (a row with the wrong number of fields is an error row, not an error of the reader).
fn csv_reader<R: Read>(source: R, delimiter: u8) -> csv::Reader<R> {
    csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(source)
}

/// The delimiter of a CSV file whose first bytes are `start`: a comma, unless its header row (the first line, outside
/// quotes) has none but has semicolons (the CSV Excel writes where the decimal mark is a comma) or tabs (TSV).
pub(super) fn sniff_delimiter(start: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in start {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    match counts {
        [0, semicolons, tabs] if semicolons > 0 || tabs > 0 => {
            if semicolons >= tabs {
                b';'
            } else {
                b'\t'
            }
        }
        _ => b',',
    }
}

/// Whether a row is a header row: two or more cells that are not empty, each naming a column lurescan reads (a field,
/// `id` or `label`, in any case), one of them a field. No record has such cells, and a file joined to another with
/// `cat` starts with one.
fn is_a_header(record: &csv::ByteRecord) -> bool {
    let cells: Vec<&[u8]> = record.iter().filter(|cell| !cell.iter().all(u8::is_ascii_whitespace)).collect();
    let name = |cell: &[u8]| std::str::from_utf8(cell).ok().map(str::trim).and_then(crate::Field::from_name);
    let column = |cell: &&[u8]| {
        name(cell).is_some() || [&b"id"[..], b"label"].iter().any(|other| cell.trim_ascii().eq_ignore_ascii_case(other))
    };
    cells.len() >= 2 && cells.iter().all(column) && cells.iter().any(|cell| name(cell).is_some())
}

/// The delimiter a CSV file names on its first line the way Excel writes and reads it, `sep=;` (a UTF-8 byte order mark
/// may come first): then that line is not the header row.
fn excel_separator(start: &[u8]) -> Option<u8> {
    let start = start.strip_prefix(UTF8_BOM).unwrap_or(start);
    match start.strip_prefix(b"sep=")? {
        [delimiter, b'\r' | b'\n', ..] | [delimiter] if !delimiter.is_ascii_alphanumeric() && *delimiter != b'"' => {
            Some(*delimiter)
        }
        _ => None,
    }
}

impl<R: BufRead> CsvState<R> {
    fn open(&mut self) -> io::Result<()> {
        let Some(mut source) = self.source.take() else { return Ok(()) };
        let head = source.fill_buf()?;
        let separator_line = excel_separator(head);
        self.delimiter = separator_line.unwrap_or_else(|| sniff_delimiter(head));
        let mut reader = csv_reader(LineStarts::new(source), self.delimiter);
        let mut header = csv::ByteRecord::new();
        let mut read = reader.read_byte_record(&mut header);
        // Excel's `sep=;` line names the delimiter; the header row comes after it.
        if separator_line.is_some() && read.as_ref().is_ok_and(|&more| more) {
            read = reader.read_byte_record(&mut header);
        }
        match read {
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
        // Its first cells, from the bytes kept of its start: the id, when its column is first, is the input's.
        let mut head = csv_reader(&source.head[..], self.delimiter);
        if head.read_byte_record(&mut self.record).unwrap_or(false) && self.record.len() > 1 {
            // (Only cells that ended within those bytes: the last one may be cut.)
            self.record.truncate(self.record.len() - 1);
        } else {
            self.record.clear();
        }
        let unreadable_id = self.id_before_shift();
        self.record.clear();
        source.limit = u64::MAX;
        source.over_limit = false;
        if source.skip_to_record_end()? {
            self.base = source.offset;
            self.reader = Some(csv_reader(source, self.delimiter));
            return Ok(Parsed { line, fields: Err(RecordError::CsvTooLong(MAX_LINE_BYTES)), unreadable_id });
        }
        self.stopped = true;
        let (_, quote_line) = source.quote_opened;
        let error = RecordError::BrokenCsv(format!(
            "the quote opened on line {quote_line} is never closed, so the rest of the file (over {MAX_LINE_BYTES} \
             bytes) was read into this record: close the quote and run again"
        ));
        Ok(Parsed { line, fields: Err(error), unreadable_id })
    }

    /// The id of the row just read when it is an error (its cells misplaced, or its quote never closed): a cell too
    /// many or too few, or a quote left open, shifts or swallows the cells after it, but not the first: an id in the
    /// first column is the input's, and the error row keeps it. So is an id after index columns only (the unnamed
    /// first column pandas writes), which no text can shift.
    fn id_before_shift(&self) -> Option<String> {
        let mut first = Map::new();
        let id_column = self.headers.iter().position(|h| h.trim().eq_ignore_ascii_case("id"));
        let column = match id_column {
            Some(at) if self.headers[..at].iter().all(|h| is_an_index_column(h)) => at,
            _ => 0,
        };
        // (A cell that a quote left open swallowed is no id.)
        let cell = self.record.get(column).filter(|cell| cell.len() <= 256 && !cell.contains(&b'\n'));
        if let (Some(header), Some(cell)) = (self.headers.get(column), cell) {
            add_field(&mut first, header, &String::from_utf8_lossy(cell));
            blank_id_is_none(&mut first);
        }
        readable_id(&first)
    }

    pub(super) fn next_row(&mut self) -> io::Result<Option<Parsed>> {
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
                let unreadable_id = self.id_before_shift();
                return Ok(Some(Parsed { line, fields: Err(error), unreadable_id }));
            }
            // The reader may run CSV_READ_LIMIT past the last record (csv reads ahead), so a record a little over
            // the limit arrives whole: it is over the limit all the same.
            if self.record.as_slice().len() > MAX_LINE_BYTES {
                let unreadable_id = self.id_before_shift();
                return Ok(Some(Parsed { line, fields: Err(RecordError::CsvTooLong(MAX_LINE_BYTES)), unreadable_id }));
            }
            let record = &self.record;
            // A line of blanks parses as one blank field, and a row of empty cells (`;;`, which Excel writes below a
            // table) as blank fields: not a record (csv itself skips empty lines).
            if record.iter().all(|field| field.iter().all(u8::is_ascii_whitespace)) {
                continue;
            }
            // The header again, of files joined with `cat a.csv b.csv`: not a record. The header of a file with its
            // columns in another order, or other columns, is the header of the rows after it.
            if record.iter().eq(self.headers.iter().map(|h| h.as_bytes())) {
                continue;
            }
            if is_a_header(record) {
                self.headers = record.iter().map(|h| String::from_utf8_lossy(h).into_owned()).collect();
                continue;
            }
            if record.len() != self.headers.len() {
                let error = RecordError::BrokenCsv(format!(
                    "{} fields where the header has {} (a field holding a comma, quote or newline must be quoted)",
                    record.len(),
                    self.headers.len()
                ));
                let unreadable_id = self.id_before_shift();
                return Ok(Some(Parsed { line, fields: Err(error), unreadable_id }));
            }
            let mut fields = Map::new();
            let mut invalid = None;
            for (header, value) in self.headers.iter().zip(record.iter()) {
                let value = std::str::from_utf8(value).map(Cow::Borrowed).unwrap_or_else(|e| {
                    invalid.get_or_insert_with(|| {
                        format!(
                            "column `{header}`: the byte at offset {} of the field is not valid UTF-8",
                            e.valid_up_to()
                        )
                    });
                    String::from_utf8_lossy(value)
                });
                add_field(&mut fields, header, &value);
            }
            blank_id_is_none(&mut fields);
            // The row is an error, but its id column may be readable: the error row keeps the input's id.
            if let Some(message) = invalid {
                let unreadable_id = readable_id(&fields);
                return Ok(Some(Parsed { line, fields: Err(RecordError::InvalidUtf8(message)), unreadable_id }));
            }
            return Ok(Some(Parsed::new(line, Ok(fields))));
        }
    }
}

/// Whether a column is an index written by a data frame library: pandas' `to_csv` names its index column `` (empty) or,
/// read and written again, `Unnamed: 0`; R's `write.csv` leaves it empty too. Its cells are row numbers.
fn is_an_index_column(header: &str) -> bool {
    let header = header.trim();
    header.is_empty() || header.starts_with("Unnamed: ")
}

/// An empty or blank id cell is no id: CSV has no other way to leave a record without one (JSON writes `null` or
/// leaves the key out, and its `""` is an id). The cell becomes `null`, which the id rule reads as no id.
fn blank_id_is_none(fields: &mut Map<String, Value>) {
    let Some((key, Value::String(id))) = id_entry(fields) else { return };
    if id.trim().is_empty() {
        let key = key.clone();
        fields.insert(key, Value::Null);
    }
}

/// Adds a CSV field to its row's fields. A column named twice (two `description`s, say) is read twice: its values
/// are joined, one a line, so that neither's text is lost. An `id` named twice is the first that is not empty: two
/// ids joined would match neither.
fn add_field(fields: &mut Map<String, Value>, header: &str, value: &str) {
    let id = header.trim().eq_ignore_ascii_case("id");
    match fields.get_mut(header) {
        Some(Value::String(first)) if first.is_empty() => *first = value.to_string(),
        Some(Value::String(_)) if id => {}
        Some(Value::String(first)) if !value.is_empty() => {
            first.push('\n');
            first.push_str(value);
        }
        Some(_) => {}
        None => {
            fields.insert(header.to_string(), Value::String(value.to_string()));
        }
    }
}

/// Remembers where the non-empty lines start in the bytes read through it, so that a CSV record's line can be
/// found from its byte offset. csv's own `Position::line` is where the previous record ended (before a `\n` that
/// follows `\r`, and before the empty lines it skips), which is not the line a user would look at.
///
/// It also skips a UTF-8 BOM at the start of a record, before csv sees it: csv would make it part of the first
/// field, and a quote after it an ordinary character. A read ends at the start of a record that may start with a
/// BOM (its first byte is the BOM's), so that the next read starts there and skips it.
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
    /// Bytes taken from the source at the start of a record, where its buffer ended inside what could have been a
    /// BOM, and was not: csv reads them before the rest of the source.
    pending: &'static [u8],
    /// The first bytes (at most [`HEAD_BYTES`]) of the last record started: the id of a record too long to read
    /// is in them.
    head: Vec<u8>,
}

/// Bytes of a record's start that [`LineStarts`] keeps.
const HEAD_BYTES: usize = 512;

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
            pending: &[],
            head: Vec::with_capacity(HEAD_BYTES),
        }
    }

    /// The next byte starts a line outside quotes: a record, or an empty line.
    fn at_record_start(&self) -> bool {
        self.at_line_start && self.quote == QuoteState::FieldStart
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

impl<R: BufRead> Read for LineStarts<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let allowed = self.limit.saturating_sub(self.offset).min(buf.len() as u64) as usize;
        if allowed == 0 && !buf.is_empty() {
            self.over_limit = true;
            return Err(io::Error::new(io::ErrorKind::InvalidData, "CSV record too long"));
        }
        if self.pending.is_empty() && self.at_record_start() {
            self.skip_bom()?;
        }
        let from_pending = !self.pending.is_empty();
        let available = if from_pending { self.pending } else { self.inner.fill_buf()? };
        self.at_eof |= available.is_empty();
        let n = available.len().min(allowed);
        buf[..n].copy_from_slice(&available[..n]);
        let mut len = n;
        for (i, &byte) in buf[..n].iter().enumerate() {
            self.track(byte);
            if self.at_record_start() && buf[..n].get(i + 1) == Some(&UTF8_BOM[0]) {
                len = i + 1;
                break;
            }
        }
        if from_pending {
            self.pending = &self.pending[len..];
        } else {
            self.inner.consume(len);
        }
        Ok(len)
    }
}

impl<R> LineStarts<R> {
    /// Follows one byte: quote state, line starts, offset. Lines end at LF, CR or CRLF, as records do in csv.
    fn track(&mut self, byte: u8) {
        if self.at_record_start() {
            self.head.clear();
        }
        if self.head.len() < HEAD_BYTES {
            self.head.push(byte);
        }
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
    /// Skips a UTF-8 BOM that the source holds next, at the start of a record: the first line of an export has one,
    /// and so has a later line of exports joined with `cat a.csv b.csv`.
    fn skip_bom(&mut self) -> io::Result<()> {
        let mut matched = 0;
        while matched < UTF8_BOM.len() {
            let available = self.inner.fill_buf()?;
            let n = available.len().min(UTF8_BOM.len() - matched);
            if n == 0 || available[..n] != UTF8_BOM[matched..matched + n] {
                self.pending = &UTF8_BOM[..matched];
                return Ok(());
            }
            self.inner.consume(n);
            matched += n;
        }
        Ok(())
    }

    /// Consumes bytes up to and including the next line end outside quotes (the end of the record being read);
    /// false when the source ends first, inside a quote.
    fn skip_to_record_end(&mut self) -> io::Result<bool> {
        // Bytes taken to look for a BOM are the start of this record.
        for byte in std::mem::take(&mut self.pending) {
            self.track(*byte);
        }
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
