//! Property tests of the input readers: whatever bytes come in, every record gets exactly one row, in input order,
//! with the line it starts on, and the reader never fails or panics on record content. Cases are capped so that
//! the whole file runs in seconds; `fuzz/` runs the same readers for millions of inputs.

use lurescan::input::{compressed_kind, looks_like_utf16, Format, Row, RowReader};
use lurescan::RecordError;
use proptest::prelude::*;
use std::io;

fn config() -> ProptestConfig {
    ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() }
}

fn read(data: &[u8], format: Format) -> io::Result<Vec<Row>> {
    RowReader::new(data, format).collect()
}

/// Bytes that mix what breaks readers: quotes, separators, line ends, braces, a BOM, invalid UTF-8, NUL.
fn hostile_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"\"".to_vec()),
        Just(b",".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"{\"text\": \"a\"}".to_vec()),
        Just(b"{".to_vec()),
        Just(b"[".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"\xFF\xFE".to_vec()),
        Just(b"\0".to_vec()),
        Just(b" ".to_vec()),
        Just("é中".as_bytes().to_vec()),
        proptest::collection::vec(any::<u8>(), 1..8),
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

/// The line numbers of the lines of `data` that are records for the JSON Lines and text readers: lines end at LF,
/// CRLF or a lone CR, a UTF-8 BOM at the start of a line is not part of it, and a line of ASCII blanks is not a
/// record.
fn expected_line_records(data: &[u8]) -> Vec<u64> {
    let mut rest = data;
    let mut lines = Vec::new();
    while !rest.is_empty() {
        let end = rest.iter().position(|&b| b == b'\n' || b == b'\r').unwrap_or(rest.len());
        lines.push(rest[..end].strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&rest[..end]));
        let line_end = if rest[end..].starts_with(b"\r\n") { 2 } else { 1 };
        rest = &rest[(end + line_end).min(rest.len())..];
    }
    lines
        .iter()
        .enumerate()
        .filter(|(_, line)| !line.iter().all(u8::is_ascii_whitespace))
        .map(|(i, _)| i as u64 + 1)
        .collect()
}

/// Whether the first line of `data` that is not blank starts with `[` (the JSON Lines reader may read the file as a
/// JSON array written one element a line).
fn opens_a_json_array(data: &[u8]) -> bool {
    let text = String::from_utf8_lossy(data);
    let first = text.split(['\n', '\r']).map(|l| l.trim_start_matches('\u{FEFF}')).find(|l| !l.trim_ascii().is_empty());
    first.is_some_and(|l| l.trim_ascii_start().starts_with('['))
}

/// Checks rows are numbered 1, 2, … in order.
fn numbered_in_order(rows: &[Row]) -> bool {
    rows.iter().enumerate().all(|(i, row)| row.number == i as u64 + 1)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn jsonl_and_text_give_one_row_per_non_blank_line_in_order(data in hostile_bytes()) {
        let expected = expected_line_records(&data);
        for format in [Format::Jsonl, Format::Text] {
            if looks_like_utf16(&data) {
                let error = read(&data, format).expect_err("UTF-16 is one error of the reader, not rows");
                prop_assert!(error.to_string().contains("UTF-16: convert with iconv -f UTF-16 -t UTF-8"));
                continue;
            }
            if compressed_kind(&data).is_some() {
                let error = read(&data, format).expect_err("a compressed file is one error of the reader, not rows");
                prop_assert!(error.to_string().contains("decompress it first"));
                continue;
            }
            let rows = read(&data, format).expect("a line reader only fails on I/O");
            prop_assert!(numbered_in_order(&rows));
            let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
            if format == Format::Jsonl && opens_a_json_array(&data) {
                // The brackets and commas of a JSON array are no records: its rows are some of the lines, in order.
                prop_assert!(lines.iter().all(|line| expected.contains(line)), "{:?} of {:?}", lines, expected);
                prop_assert!(lines.windows(2).all(|w| w[0] < w[1]));
            } else {
                prop_assert_eq!(lines, expected.clone(), "{:?}", format);
            }
            for row in &rows {
                // A row either parsed, or says why not; a text row is the line itself.
                if format == Format::Text {
                    if let Ok(fields) = &row.fields {
                        prop_assert!(fields["text"].as_str().is_some());
                    }
                }
                let _ = row.record();
                let _ = row.id();
            }
        }
    }

    #[test]
    fn jsonl_objects_come_back_with_their_text_and_id(
        records in proptest::collection::vec((any::<String>(), proptest::option::of(any::<i64>())), 0..20),
        blank_lines in proptest::collection::vec(0usize..3, 0..20),
        crlf in any::<bool>(),
    ) {
        let end = if crlf { "\r\n" } else { "\n" };
        let mut data = String::new();
        let mut lines = Vec::new();
        let mut line = 0;
        for (i, (text, id)) in records.iter().enumerate() {
            for _ in 0..blank_lines.get(i).copied().unwrap_or(0) {
                data.push_str(end);
                line += 1;
            }
            let mut object = serde_json::json!({ "text": text });
            if let Some(id) = id {
                object["id"] = serde_json::json!(id);
            }
            data.push_str(&serde_json::to_string(&object).unwrap());
            data.push_str(end);
            line += 1;
            lines.push(line);
        }
        let rows = read(data.as_bytes(), Format::Jsonl).unwrap();
        prop_assert!(numbered_in_order(&rows));
        prop_assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), lines);
        for (row, (text, id)) in rows.iter().zip(&records) {
            let record = row.record().unwrap();
            let got = record.get(lurescan::Field::Text);
            if text.trim().is_empty() {
                // A blank text is no text: the record holds none, and scoring it gives RecordError::NoText.
                prop_assert!(got.is_none_or(|t| t.trim().is_empty()), "{:?}", got);
            } else {
                prop_assert_eq!(got, Some(text.as_str()));
            }
            prop_assert_eq!(row.id(), id.map(|id| id.to_string()));
        }
    }

    #[test]
    fn csv_gives_one_row_per_record_in_order(
        records in proptest::collection::vec(proptest::collection::vec(hostile_field(), 2), 0..20),
        terminator in prop_oneof![Just(csv::Terminator::CRLF), Just(csv::Terminator::Any(b'\n')), Just(csv::Terminator::Any(b'\r'))],
    ) {
        let mut writer = csv::WriterBuilder::new().terminator(terminator).from_writer(Vec::new());
        writer.write_record(["id", "text"]).unwrap();
        for record in &records {
            writer.write_record(record).unwrap();
        }
        let data = writer.into_inner().unwrap();
        // A row of column names is a header, which changes how the rows after it read (see the unit tests).
        let name = |f: &[u8]| std::str::from_utf8(f).is_ok_and(|s| {
            lurescan::Field::from_name(s).is_some() || ["id", "label"].contains(&s.trim().to_ascii_lowercase().as_str())
        });
        prop_assume!(!records.iter().any(|r| r.iter().filter(|f| !f.trim_ascii().is_empty()).all(|f| name(f))
            && r.iter().any(|f| !f.trim_ascii().is_empty())));
        let rows = read(&data, Format::Csv).unwrap();
        // A record whose cells are all blank is no record, as a blank line is none.
        let records: Vec<&Vec<Vec<u8>>> =
            records.iter().filter(|r| !r.iter().all(|f| f.iter().all(u8::is_ascii_whitespace))).collect();
        prop_assert_eq!(rows.len(), records.len(), "{:?}", String::from_utf8_lossy(&data));
        prop_assert!(numbered_in_order(&rows));
        prop_assert!(rows.windows(2).all(|w| w[0].line < w[1].line), "lines increase");
        for (row, record) in rows.iter().zip(&records) {
            match (std::str::from_utf8(&record[0]), std::str::from_utf8(&record[1])) {
                (Ok(_), Ok(text)) => prop_assert_eq!(row.fields.as_ref().unwrap()["text"].as_str(), Some(text)),
                _ => prop_assert!(matches!(row.fields, Err(RecordError::InvalidUtf8(_)))),
            }
        }
    }

    #[test]
    fn csv_never_panics_and_numbers_its_rows_in_order(data in hostile_bytes()) {
        let mut reader = RowReader::new(&data[..], Format::Csv);
        let mut rows = Vec::new();
        for row in reader.by_ref() {
            match row {
                Ok(row) => rows.push(row),
                // Only the start can fail the reader: UTF-16, or a quote never closed in the header row.
                Err(e) => {
                    prop_assert_eq!(looks_like_utf16(&data), e.to_string().contains("UTF-16"));
                    prop_assert_eq!(compressed_kind(&data).is_some() && !looks_like_utf16(&data), e.to_string().contains("decompress"));
                    prop_assert!(rows.is_empty(), "{e}");
                    break;
                }
            }
        }
        prop_assert!(numbered_in_order(&rows));
        prop_assert!(rows.windows(2).all(|w| w[0].line < w[1].line), "lines increase");
        for row in &rows {
            let _ = row.record();
        }
    }
}

/// A CSV field: any bytes, often the ones CSV must quote.
fn hostile_field() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        prop_oneof![Just(b'"'), Just(b','), Just(b'\n'), Just(b'\r'), Just(b' '), Just(b'a'), any::<u8>()],
        0..12,
    )
}
