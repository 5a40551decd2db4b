//! The JSON Lines and text reader: one record a line, blank lines skipped, a UTF-8 BOM at the start of any line
//! skipped, over-long lines skipped in bounded memory, and broken JSON lines explained (a column, and a hint of what
//! the file holds instead).

use super::{readable_id, strip_bom, Format, Parsed, MAX_LINE_BYTES};
use crate::record::{id_entry, json_kind, Field, RecordError};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, BufRead};

/// What the JSON Lines reader knows of the lines before the one it reads.
pub(super) struct JsonArray<'a> {
    /// The line about to be read is the first that is not blank.
    pub(super) first: bool,
    /// The JSON array being read, when the file is one ([`ArrayLines`]).
    pub(super) lines: &'a mut Option<ArrayLines>,
    /// How the caller asks for plain text ([`super::RowReader::with_text_hint`]).
    pub(super) text_hint: &'a str,
    /// The first line read as a CSV header row (`id,title,description`): the file is CSV.
    pub(super) csv_header: &'a mut bool,
}

/// A `.json` file holding a JSON array of records, read one element a line, as Scrapy's JSON export and a
/// `json.dump` of one item a line write it: `[`, then `{...},` lines, then `]`. Each element is a record whose line is
/// its own; the brackets and commas are not records. An element spread over several lines (a pretty-printed array)
/// is an error row on each of its lines, pointing at the conversion that reads it: every line is accounted for, and
/// no element is read from a part of another.
#[derive(Debug, Default)]
pub(super) struct ArrayLines {
    /// The line of the `[` that opened the array.
    from: u64,
    /// Brackets open after the last line read, the array's own counted (1 between two elements; 0 once closed).
    depth: usize,
    /// While reading an element spread over several lines, the line where it started.
    spread_from: Option<u64>,
}

/// What a line of a JSON array holds.
enum ArrayLine<'t> {
    /// Not in an array: a JSON Lines line.
    NotArray,
    /// Brackets and commas only.
    Skip,
    /// One whole element, its separators cut off.
    Element(&'t str),
    /// Part of an element spread over lines.
    Spread(RecordError),
}

/// The brackets open after `text` when `depth` were open before it (strings skipped; never below 0).
fn depth_after(text: &str, mut depth: usize) -> usize {
    let (mut in_string, mut escaped) = (false, false);
    for b in text.bytes() {
        match (in_string, escaped, b) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (_, false, b'"') => in_string = !in_string,
            (false, _, b'{' | b'[') => depth += 1,
            (false, _, b'}' | b']') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    depth
}

/// Reads `text`, line `line` of the input, as part of a JSON array when the file is one (see [`ArrayLines`]): the
/// first line that is not blank opens one when it starts with a `[` that it does not close.
fn array_line<'t>(text: &'t str, line: u64, array: &mut JsonArray) -> ArrayLine<'t> {
    let mut rest = text.trim();
    if array.lines.as_ref().is_none_or(|open| open.depth == 0) {
        // An array opens on the file's first line, or again after one closed (files joined with `cat`).
        let opens = (array.first || array.lines.is_some()) && rest.starts_with('[') && depth_after(rest, 0) > 0;
        if !opens {
            *array.lines = None;
            return ArrayLine::NotArray;
        }
        *array.lines = Some(ArrayLines { from: line, depth: 1, spread_from: None });
        rest = rest[1..].trim_start();
    }
    let Some(open) = array.lines.as_mut() else { return ArrayLine::NotArray };
    let spread_error = |from: u64, open: &ArrayLines| {
        ArrayLine::Spread(RecordError::BrokenJson(format!(
            "part of an element spread over several lines, from line {from}, of the JSON array that starts on line \
             {}: lurescan reads a JSON array one element a line; convert the file with `jq -c '.[]' FILE > \
             FILE.jsonl` and score that",
            open.from
        )))
    };
    if let Some(from) = open.spread_from {
        open.depth = depth_after(rest, open.depth);
        if open.depth <= 1 {
            open.spread_from = None;
        }
        return spread_error(from, open);
    }
    // Between two elements: a comma may start the line, the array's `]` may end it.
    rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
    let depth = depth_after(rest, 1);
    if depth > 1 {
        open.depth = depth;
        open.spread_from = Some(line);
        return spread_error(line, open);
    }
    open.depth = depth;
    let mut element = rest.trim_end();
    element = element.strip_suffix(',').unwrap_or(element).trim_end();
    if depth == 0 {
        element = element.strip_suffix(']').unwrap_or(element).trim_end();
        element = element.strip_suffix(',').unwrap_or(element).trim_end();
    }
    if element.is_empty() {
        ArrayLine::Skip
    } else {
        ArrayLine::Element(element)
    }
}

/// Where the line reader is in its input.
#[derive(Debug, Default)]
pub(super) struct LinePosition {
    /// The 1-based number of the line last read (0 before the first).
    line: u64,
    /// The line last read ended at a CR: a LF right after it is the rest of that CRLF, not an empty line.
    after_cr: bool,
}

/// How [`read_line`] found the next line.
enum LineRead {
    Line,
    /// Longer than [`MAX_LINE_BYTES`]: read to its end, its first bytes kept.
    TooLong,
    End,
}

/// Reads lines until one that is not blank, and parses it. A line longer than [`MAX_LINE_BYTES`] is skipped
/// without holding more than that in memory, and is an error row.
pub(super) fn next_line<R: BufRead>(
    reader: &mut R,
    format: Format,
    buf: &mut Vec<u8>,
    at: &mut LinePosition,
    mut array: JsonArray,
) -> io::Result<Option<Parsed>> {
    loop {
        let read = read_line(reader, buf, &mut at.after_cr)?;
        if let LineRead::End = read {
            return Ok(None);
        }
        at.line += 1;
        let line = at.line;
        if let LineRead::TooLong = read {
            // Its first bytes are kept: the id usually comes first.
            let unreadable_id = match format {
                Format::Jsonl => id_of_broken(&String::from_utf8_lossy(strip_bom(buf)))
                    .filter(|id| !id.contains(char::REPLACEMENT_CHARACTER)),
                _ => None,
            };
            return Ok(Some(Parsed { line, fields: Err(RecordError::TooLong(MAX_LINE_BYTES)), unreadable_id }));
        }
        // A BOM starts the first line of a file, and a later line of files joined with `cat a.jsonl b.jsonl`.
        let bytes = strip_bom(buf);
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        // In a JSON array: brackets and commas are no record, an element is read without them. (Only the first line
        // can open one, so other JSON Lines are not looked at twice.)
        let (mut element, mut in_array) = (None, None);
        let maybe_array = format == Format::Jsonl && (array.first || array.lines.is_some());
        if let (true, Ok(text)) = (maybe_array, std::str::from_utf8(bytes)) {
            match array_line(text, line, &mut array) {
                ArrayLine::NotArray => {}
                ArrayLine::Skip => continue,
                ArrayLine::Spread(error) => return Ok(Some(Parsed { line, fields: Err(error), unreadable_id: None })),
                ArrayLine::Element(text) => (element, in_array) = (Some(text), array.lines.as_ref().map(|a| a.from)),
            }
        }
        let fields = decode(bytes).and_then(|text| match format {
            Format::Text => Ok(Map::from_iter([("text".to_string(), Value::String(text.to_string()))])),
            _ => {
                let text = element.unwrap_or(text);
                match (parse_json_object(text), in_array) {
                    (Ok(mut object), _) => {
                        keep_number_id_text(&mut object, text);
                        read_repeated_keys(&mut object, text);
                        Ok(object)
                    }
                    (Err(RecordError::BrokenJson(message)), Some(from)) => Err(RecordError::BrokenJson(format!(
                        "{message} (an element of the JSON array that starts on line {from})"
                    ))),
                    (Err(error), _) => Err(with_hint(error, text, &mut array)),
                }
            }
        });
        let unreadable_id = match (&fields, format) {
            (Err(RecordError::InvalidUtf8(_)), Format::Jsonl) => id_of_invalid_utf8(bytes),
            (Err(RecordError::BrokenJson(_)), Format::Jsonl) => {
                std::str::from_utf8(bytes).ok().and_then(|text| id_of_broken(element.unwrap_or(text)))
            }
            _ => None,
        };
        return Ok(Some(Parsed { line, fields, unreadable_id }));
    }
}

/// Reads the next line into `buf`, without its line end, a buffer at a time. A line ends at LF, CRLF or a lone CR
/// (old Mac files, as CSV lines do): a raw CR cannot stand inside a JSON string, so it never cuts a JSON Lines
/// record. A CR ends its line at once, without waiting for the next byte (a writer on a pipe that ends a record
/// with CR gets its row); `after_cr` remembers it, so that the LF of a CRLF is skipped when the next line is read.
/// Of a line longer than [`MAX_LINE_BYTES`], only the first `MAX_LINE_BYTES + 1` bytes are kept.
fn read_line<R: BufRead>(reader: &mut R, buf: &mut Vec<u8>, after_cr: &mut bool) -> io::Result<LineRead> {
    buf.clear();
    let mut started = false;
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            return Ok(match started {
                false => LineRead::End,
                true if buf.len() > MAX_LINE_BYTES => LineRead::TooLong,
                true => LineRead::Line,
            });
        }
        if std::mem::take(after_cr) && available[0] == b'\n' {
            reader.consume(1);
            continue;
        }
        started = true;
        let end = available.iter().position(|&b| b == b'\n' || b == b'\r');
        let part = &available[..end.unwrap_or(available.len())];
        let room = (MAX_LINE_BYTES + 1).saturating_sub(buf.len());
        buf.extend_from_slice(&part[..part.len().min(room)]);
        let Some(end) = end else {
            let n = available.len();
            reader.consume(n);
            continue;
        };
        *after_cr = available[end] == b'\r';
        reader.consume(end + 1);
        return Ok(if buf.len() > MAX_LINE_BYTES { LineRead::TooLong } else { LineRead::Line });
    }
}

fn decode(bytes: &[u8]) -> Result<&str, RecordError> {
    std::str::from_utf8(bytes).map_err(|e| {
        // The reader adds the cure, which names the file ([`super::RowReader::next`]).
        RecordError::InvalidUtf8(format!("the byte at offset {} of the line is not valid UTF-8", e.valid_up_to()))
    })
}

/// The id of a JSON line that is not valid UTF-8, read from a copy with the invalid bytes replaced
/// ([`readable_id`]), so that its error row keeps the input's id.
fn id_of_invalid_utf8(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    let mut object = parse_json_object(&text).ok()?;
    keep_number_id_text(&mut object, &text);
    readable_id(&object)
}

fn parse_json_object(text: &str) -> Result<Map<String, Value>, RecordError> {
    // A lone surrogate escape (an emoji cut in two) is read as U+FFFD, as JavaScript and Python read it, and a number
    // too large for a float as a string of its digits.
    let parsed = serde_json::from_str(text).or_else(|e| match super::repair_json(text) {
        Cow::Owned(repaired) => serde_json::from_str(&repaired).map_err(|_| e),
        Cow::Borrowed(_) => Err(e),
    });
    match parsed {
        Ok(Value::Object(object)) => Ok(object),
        // In a file, a whole array on one line is the records in the wrong shape.
        Ok(Value::Array(_)) => Err(RecordError::NotAnObject(
            "an array (a JSON array of records? lurescan reads JSON Lines, one object a line: convert the file with \
             `jq -c '.[]' FILE > FILE.jsonl`)",
        )),
        Ok(other) => Err(RecordError::NotAnObject(json_kind(&other))),
        Err(e) => Err(RecordError::BrokenJson(json_error_message(&e))),
    }
}

/// Whether `line` reads as the header row of a CSV file: two or more cells split by commas, semicolons or tabs, one of
/// them a field name lurescan reads (`text`, `Job Title`, `description`, …) or `id`.
fn is_csv_header(line: &str) -> bool {
    [',', ';', '\t'].into_iter().any(|delimiter| {
        let cells: Vec<&str> = line.split(delimiter).map(|c| c.trim().trim_matches('"').trim()).collect();
        cells.len() >= 2
            && cells.iter().any(|c| c.eq_ignore_ascii_case("id") || Field::from_name(c).is_some())
            && !line.trim_start().starts_with(['{', '['])
    })
}

/// serde_json's message, its position given as a column: the line it names is always 1, the line of the record,
/// which a user would take for a line of the file.
pub(crate) fn json_error_message(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    match message.strip_suffix(&position) {
        Some(message) if error.line() == 1 => format!("{message} at column {}", error.column()),
        _ => message,
    }
}

/// A broken JSON line with a hint of what the file really holds: a JSON object spread over lines, or plain text (a
/// line that starts like no part of JSON).
fn with_hint(error: RecordError, text: &str, array: &mut JsonArray) -> RecordError {
    let RecordError::BrokenJson(message) = error else { return error };
    let start = text.trim_start();
    if array.first && is_csv_header(start) {
        *array.csv_header = true;
    }
    let hint = if *array.csv_header {
        let what = if array.first { "a CSV header row" } else { "a CSV row: the first line is a CSV header" };
        format!("{what}? read the file as CSV (`-f csv`), or name it .csv")
    } else if array.first && start.trim_end() == "{" {
        "a JSON object spread over several lines? lurescan reads JSON Lines, one whole object a line: convert the \
         file with `jq -c . FILE > FILE.jsonl`"
            .to_string()
    } else if !start.starts_with(['{', '}', '[', ']', '"', ',']) {
        format!("plain text? {}, or name the file .txt", array.text_hint)
    } else {
        return RecordError::BrokenJson(message);
    };
    RecordError::BrokenJson(format!("{message} ({hint})"))
}

/// Puts a number `id` back as the text the line wrote: serde_json reads numbers as 64-bit integers or floats, so
/// `18446744073709551616` and `18446744073709551617` would both come back as `1.8446744073709552e19`, and `1e2` as
/// `100.0`. The id becomes a JSON string of that text ([`super::Row::id`] returns ids as strings anyway). `line` is the
/// object's JSON text (blanks and newlines inside it are fine); the service reads its records' ids this way too.
pub fn keep_number_id_text(object: &mut Map<String, Value>, line: &str) {
    let Some((key, Value::Number(_))) = id_entry(object) else { return };
    let key = key.clone();
    if let Some(raw) = raw_member(line, &key) {
        object.insert(key, Value::String(raw.to_string()));
    }
}

/// Reads a key that `line` (the JSON text of `object`) names twice or more as a CSV column named twice is read:
/// `id`, the first value that is not empty (or `null`), as the row's id; a field (`text`, `title`, …), every value
/// that is not empty, joined one a line, so that no text is lost. serde_json keeps only the last value of a key, so
/// `{"text": "a", "text": "b"}` would otherwise score "b" alone. Other keys keep their last value; `object` is left
/// as it is when no key repeats (the usual case: one scan of the line that counts its members).
pub fn read_repeated_keys(object: &mut Map<String, Value>, line: &str) {
    let mut count = 0;
    if !scan_members(line, |_, _| count += 1) || count <= object.len() {
        return;
    }
    let members = top_level_members(line);
    let mut seen: HashMap<&str, Vec<&str>> = HashMap::new();
    for (key, raw) in &members {
        seen.entry(key.as_str()).or_default().push(raw);
    }
    let value =
        |raw: &str| serde_json::from_str::<Value>(raw).or_else(|_| serde_json::from_str(&super::repair_json(raw)));
    for (key, raws) in seen.into_iter().filter(|(_, raws)| raws.len() > 1) {
        let Some(values) = raws.iter().map(|raw| value(raw).ok()).collect::<Option<Vec<Value>>>() else { continue };
        let is_empty = |v: &Value| v.is_null() || v.as_str().is_some_and(|s| s.trim().is_empty());
        if key.trim().eq_ignore_ascii_case("id") {
            let first = raws.iter().zip(&values).find(|(_, v)| !is_empty(v));
            if let Some((raw, v)) = first {
                let v = if v.is_number() { Value::String(raw.to_string()) } else { v.clone() };
                object.insert(key.to_string(), v);
            }
        } else if Field::from_name(key).is_some() {
            // An object or an array is no text: the record's error names it, as for a key named once.
            if let Some(wrong) = values.iter().find(|v| v.is_object() || v.is_array()) {
                object.insert(key.to_string(), wrong.clone());
                continue;
            }
            let texts: Vec<String> = values
                .iter()
                .filter(|v| !is_empty(v))
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                .collect();
            if !texts.is_empty() {
                object.insert(key.to_string(), Value::String(texts.join("\n")));
            }
        }
    }
}

/// The top-level members of the JSON object `line` (its keys decoded, its values as written), or none when `line`
/// is not one whole object.
fn top_level_members(line: &str) -> Vec<(String, &str)> {
    let mut members = Vec::new();
    if scan_members(line, |name, raw| members.push((name.to_string(), raw))) {
        members
    } else {
        Vec::new()
    }
}

/// The text of the value of the last top-level member `key` of `line`, a JSON object serde_json has parsed (so the
/// scan can trust its shape); keys are compared decoded, as serde_json compares them.
fn raw_member<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let mut found = None;
    let whole = scan_members(line, |name, raw| {
        if name == key {
            found = Some(raw)
        }
    });
    found.filter(|_| whole)
}

/// Calls `member` with each top-level member of the JSON object `line` (its key decoded, its value's text) as far as
/// the object reads, and says whether it read to its end: a broken line's members before the break are seen too.
fn scan_members<'a>(line: &'a str, mut member: impl FnMut(&str, &'a str)) -> bool {
    let bytes = line.as_bytes();
    let mut at = skip_blanks(bytes, 0);
    if bytes.get(at) != Some(&b'{') {
        return false;
    }
    at += 1;
    loop {
        at = skip_blanks(bytes, at);
        match bytes.get(at) {
            Some(b'}') => return true,
            Some(b',') => at += 1,
            Some(b'"') => {
                let Some(key_end) = skip_value(bytes, at) else { return false };
                // A key without escapes is its text between the quotes: decoded only when it has one.
                let quoted = &line[at..key_end];
                let name = match quoted.contains('\\') {
                    false => Cow::Borrowed(&quoted[1..quoted.len() - 1]),
                    true => match serde_json::from_str::<String>(quoted) {
                        Ok(name) => Cow::Owned(name),
                        Err(_) => return false,
                    },
                };
                at = skip_blanks(bytes, key_end);
                if bytes.get(at) != Some(&b':') {
                    return false;
                }
                let start = skip_blanks(bytes, at + 1);
                let Some(end) = skip_value(bytes, start) else { return false };
                member(&name, &line[start..end]);
                at = end;
            }
            _ => return false,
        }
    }
}

/// The id of a JSON line that did not parse (broken, or too long to read whole), when its first `id` member (any
/// case) comes before the break and is a string or a number: its error row then keeps the input's id.
fn id_of_broken(text: &str) -> Option<String> {
    let mut raw = None;
    scan_members(text, |name, value| {
        if raw.is_none() && name.trim().eq_ignore_ascii_case("id") {
            raw = Some(value)
        }
    });
    let raw = raw?;
    match serde_json::from_str::<Value>(raw).ok()? {
        Value::String(id) => Some(id).filter(|id| !id.is_empty()),
        Value::Number(_) => Some(raw.to_string()),
        _ => None,
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
