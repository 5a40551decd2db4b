//! The readers' tests: rows, error rows, limits and hints of every format.
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
    // An id written before the text is kept: the line's first bytes are.
    let rows = read(format!("{{\"id\": \"huge\", {}", &long[1..]).as_bytes(), Format::Jsonl);
    assert_eq!((rows[0].id().as_deref(), &rows[0].fields), (Some("huge"), &Err(RecordError::TooLong(MAX_LINE_BYTES))));
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
    assert_eq!(broken(&rows[0]), "expected value at column 1 (plain text? read it as text, or name the file .txt)");
    // The caller names its own way to read plain text (the CLI: its -f flag).
    let hinted = RowReader::new(&b"hello there\n"[..], Format::Jsonl).with_text_hint("pass `-f text`").next();
    let hinted = hinted.unwrap().unwrap();
    assert_eq!(broken(&hinted), "expected value at column 1 (plain text? pass `-f text`, or name the file .txt)");
    assert_eq!(broken(&rows[1]), "EOF while parsing a value at column 9", "starts like JSON: no hint");
    assert_eq!(broken(&rows[2]), "EOF while parsing a list at column 1", "not the first line: no array");

    // CSV read as JSON Lines (piped on stdin without -f csv): its header row says so, and so does every row after it.
    let rows = read(b"id;Title;description\n1;Cook;\"Free housing\"\n2;Driver;Trucks\n", Format::Jsonl);
    assert!(broken(&rows[0]).ends_with("(a CSV header row? read the file as CSV (`-f csv`), or name it .csv)"));
    for row in &rows[1..] {
        assert!(broken(row).contains("(a CSV row: the first line is a CSV header? read the file as CSV"), "{row:?}");
    }
    let rows = read(b"hello, there\n", Format::Jsonl);
    assert!(broken(&rows[0]).contains("plain text?"), "no field name: not a CSV header");

    // A pretty-printed array: its one-line elements are records; an element spread over lines is an error row on
    // each of its lines, saying what to do; the brackets are no records.
    let rows = read(b"\n[\n  {\"text\": \"a\"},\n  {\n    \"text\": \"b\"\n  }\n]\n", Format::Jsonl);
    assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [3, 4, 5, 6]);
    assert_eq!(rows[0].record().unwrap().get(crate::Field::Text), Some("a"));
    for row in &rows[1..] {
        let message = broken(row);
        assert!(message.contains("spread over several lines, from line 4, of the JSON array that starts on line 2"));
        assert!(message.contains("jq -c '.[]' FILE > FILE.jsonl"), "{message}");
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
fn a_json_array_written_one_element_a_line_is_read_element_by_element() {
    let text = |row: &Row| row.record().unwrap().get(crate::Field::Text).unwrap().to_string();
    // Scrapy's JSON export: `[`, one item a line with a comma after all but the last, `]`.
    let rows = read(
        b"[\n{\"id\": \"a\", \"text\": \"Customer service in Cambodia\"},\n{\"id\": \"b\", \"tags\": [\"x\", {\"y\": 1}], \"text\": \"Parcel [1]\"}\n]\n",
        Format::Jsonl,
    );
    assert_eq!(
        rows.iter().map(|r| (r.line, r.id())).collect::<Vec<_>>(),
        [(2, Some("a".into())), (3, Some("b".into()))]
    );
    assert_eq!(text(&rows[1]), "Parcel [1]", "brackets inside strings and nested values stay");
    // The first element on the `[` line, the last one with the `]`, commas first, an empty object, two arrays joined.
    let rows = read(b"[{\"text\": \"x\"}\n, {\"text\": \"y\"}]\n[\n{}\n]\n{\"text\": \"z\"}\n", Format::Jsonl);
    assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [1, 2, 4, 6]);
    assert_eq!((text(&rows[0]), text(&rows[1])), ("x".into(), "y".into()));
    assert!(rows[2].fields.as_ref().is_ok_and(|f| f.is_empty()), "an empty object is a record: {:?}", rows[2]);
    assert_eq!(text(&rows[3]), "z", "JSON Lines after the array");
    // A broken element says which array it is in.
    let rows = read(b"[\n{\"text\": \"x\" \"y\"},\n{\"text\": \"ok\"}\n]\n", Format::Jsonl);
    let message = rows[0].fields.as_ref().unwrap_err().to_string();
    assert!(message.contains("an element of the JSON array that starts on line 1"), "{message}");
    assert_eq!(text(&rows[1]), "ok");
}

#[test]
fn excel_csv_with_a_separator_line_and_rows_of_empty_cells() {
    for data in [
        &b"sep=;\r\nid;title;description\r\nr1;Cook;Kitchen job, 5 days\r\n;;\r\n ; ;\r\n"[..],
        &b"\xEF\xBB\xBFsep=;\nid;title;description\nr1;Cook;Kitchen job, 5 days\n;;\n"[..],
    ] {
        let rows = read(data, Format::Csv);
        assert_eq!(rows.len(), 1, "the sep= line is no header, rows of empty cells no records: {rows:?}");
        assert_eq!((rows[0].line, rows[0].id().as_deref()), (3, Some("r1")));
        assert_eq!(rows[0].record().unwrap().get(crate::Field::Description), Some("Kitchen job, 5 days"));
    }
    // A first line that merely starts with "sep=" is a header like any other.
    let rows = read(b"sep=x,text\n1,hello\n", Format::Csv);
    assert_eq!(rows[0].record().unwrap().get(crate::Field::Text), Some("hello"));
}

#[test]
fn a_broken_json_line_keeps_the_id_written_before_the_break() {
    let rows = read(
        br#"{"id": "ad-1", "text": "Cook wanted" "oops"}
{"ID": 42, "title": "Driver", "description": }
{"text": "no id" "here", "id": "late"}
{"id": {"nested": 1}, "text": }
{"id": "ad-5", "text": "fine"},
"#,
        Format::Jsonl,
    );
    let broken = |row: &Row| matches!(row.fields, Err(RecordError::BrokenJson(_)));
    assert!(rows.iter().all(broken), "{rows:?}");
    let ids: Vec<Option<String>> = rows.iter().map(Row::id).collect();
    assert_eq!(ids, [Some("ad-1".into()), Some("42".into()), None, None, Some("ad-5".into())]);
}

#[test]
fn csv_files_joined_with_their_columns_in_another_order_are_read_by_each_header() {
    let rows = read(
        b"id,title,description\n1,Cook,Kitchen\nid,description,title\n2,Drives trucks,Driver\nID,Text\n3,hello\n",
        Format::Csv,
    );
    assert_eq!(
        rows.iter().map(|r| (r.line, r.id())).collect::<Vec<_>>(),
        [(2, Some("1".into())), (4, Some("2".into())), (6, Some("3".into()))]
    );
    let second = rows[1].record().unwrap();
    assert_eq!(
        (second.get(crate::Field::Title), second.get(crate::Field::Description)),
        (Some("Driver"), Some("Drives trucks"))
    );
    assert_eq!(rows[2].record().unwrap().get(crate::Field::Text), Some("hello"));
    // A record whose cells merely include a field's name is a record.
    let rows = read(b"id,title,description\n1,Title,Benefits of the job\n", Format::Csv);
    assert_eq!(rows.len(), 1);
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
fn jsonl_and_text_lines_end_at_a_lone_cr_too() {
    // Old Mac files end lines with CR alone: every line is a record (a lure never merges into the one before it),
    // numbered as an editor shows it; a CRLF is one line end, also when a read splits it.
    let data = b"{\"id\":\"a\",\"text\":\"x\"}\r{\"id\":\"b\",\"text\":\"y\"}\r\r{\"id\":\"c\",\"text\":\"z\"}\r\n\n{\"id\":\"d\",\"text\":\"w\"}\r";
    for capacity in [1, 2, 7, 1000] {
        let reader = io::BufReader::with_capacity(capacity, &data[..]);
        let rows: Vec<_> = RowReader::new(reader, Format::Jsonl).collect::<io::Result<_>>().unwrap();
        let found: Vec<_> = rows.iter().map(|r| (r.number, r.line, r.id().unwrap_or_default())).collect();
        assert_eq!(found, [(1, 1, "a".into()), (2, 2, "b".into()), (3, 4, "c".into()), (4, 6, "d".into())]);
    }
    let rows = read(b"Earn 500 a day liking videos\rYour parcel arrives tomorrow\r", Format::Text);
    assert_eq!(
        rows.iter().map(|r| text_of(r, "text")).collect::<Vec<_>>(),
        ["Earn 500 a day liking videos", "Your parcel arrives tomorrow"]
    );
    // A line over the limit ends at its CR too: the line after it is read.
    let mut data = b"a".repeat(MAX_LINE_BYTES + 5);
    data.extend(b"\rnext\r");
    let rows = read(&data, Format::Text);
    assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(rows[0].fields, Err(RecordError::TooLong(MAX_LINE_BYTES)));
    assert_eq!(text_of(&rows[1], "text"), "next");
}

#[test]
fn a_bom_at_the_start_of_any_line_is_skipped() {
    // `cat a.jsonl b.jsonl` of exports that each start with a BOM puts one at the start of a later line.
    let bom = "\u{FEFF}";
    let data = format!("{bom}{{\"id\": \"a\"}}\n{bom}{{\"id\": \"b\"}}\r\n{bom}\n{bom}{{\"id\": \"c\"}}\r");
    let rows = read(data.as_bytes(), Format::Jsonl);
    assert_eq!(
        rows.iter().map(|r| (r.line, r.id().unwrap())).collect::<Vec<_>>(),
        [(1, "a".to_string()), (2, "b".to_string()), (4, "c".to_string())]
    );
    let rows = read(format!("one\n{bom}two\nthree {bom}four\n").as_bytes(), Format::Text);
    let texts: Vec<_> = rows.iter().map(|r| text_of(r, "text")).collect();
    assert_eq!(texts, ["one", "two", &format!("three {bom}four")], "only a BOM that starts a line is skipped");
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
fn a_broken_csv_row_keeps_its_id_after_a_data_frame_index() {
    // pandas' `to_csv` writes its index first, in a column with no name (`Unnamed: 0` once read and written again):
    // a row with a cell too few or too many keeps the id that comes after it. An id after a named column does not:
    // that column's text could hold the comma that shifted it.
    for header in ["", "Unnamed: 0"] {
        let data = format!("{header},id,title,text\n0,ad-17,Clerk\n1,ad-18,Typist,Paid, daily\n");
        let rows: Vec<_> = RowReader::new(data.as_bytes(), Format::Csv).collect::<io::Result<_>>().unwrap();
        let ids: Vec<_> = rows.iter().map(|r| r.unreadable_id.as_deref()).collect();
        assert_eq!(ids, [Some("ad-17"), Some("ad-18")], "header {header:?}");
    }
    let data = b"title,id,text\nClerk,ad-17\n";
    let rows: Vec<_> = RowReader::new(&data[..], Format::Csv).collect::<io::Result<_>>().unwrap();
    assert_eq!(rows[0].unreadable_id, None);
}

#[test]
fn csv_files_joined_with_cat_read_as_one() {
    // `cat a.csv b.csv c.csv` of exports, some starting with a BOM: a BOM at the start of a later record (also one
    // before a quote, and one on a line of its own) is skipped, and the repeated header row is not a record, nor is
    // one written in another case (`ID,text`: a header of the rows after it). A BOM inside a quoted field is kept.
    let bom = "\u{FEFF}";
    let data = format!(
        "{bom}id,text\r\na1,\"one,\r\n{bom}two\"\r\n{bom}\r\n\
         {bom}id,text\r\nb1,three\r\n{bom}\"b2\",\"four\nlines\"\r\n\
         id,text\nc1,five\nID,text\n"
    );
    let expected = [(1, 2, "a1"), (2, 6, "b1"), (3, 7, "b2"), (4, 10, "c1")];
    // Read buffers of 1 and 2 bytes split every BOM.
    for capacity in [1, 2, 7, 1 << 16] {
        let reader = io::BufReader::with_capacity(capacity, data.as_bytes());
        let rows: Vec<_> = RowReader::new(reader, Format::Csv).collect::<io::Result<_>>().unwrap();
        let found: Vec<_> = rows.iter().map(|r| (r.number, r.line, text_of(r, "id"))).collect();
        assert_eq!(found, expected.map(|(n, l, id)| (n, l, id.to_string())), "read {capacity} bytes at a time");
        assert_eq!(text_of(&rows[0], "text"), format!("one,\r\n{bom}two"));
        assert_eq!(text_of(&rows[2], "text"), "four\nlines");
    }
    // Two bytes of a BOM are not one: they stay in the field, also when a read buffer ends after them.
    for capacity in [1, 2, 1 << 16] {
        let reader = io::BufReader::with_capacity(capacity, &b"id,text\n\xEF\xBB,x\n\xEF\xBB"[..]);
        let rows: Vec<_> = RowReader::new(reader, Format::Csv).collect::<io::Result<_>>().unwrap();
        assert!(
            matches!(&rows[0].fields, Err(RecordError::InvalidUtf8(m)) if m.contains("`id`: the byte at offset 0")),
            "{rows:?}"
        );
        assert!(matches!(&rows[1].fields, Err(RecordError::BrokenCsv(m)) if m.starts_with("1 fields")), "{rows:?}");
        assert_eq!(rows.len(), 2);
    }
}

#[test]
fn a_row_with_too_many_or_too_few_fields_keeps_an_id_in_the_first_column() {
    let rows = read(b"id,title,description\nd1,Clerk,Pay 1,500\nd2,Only title\nd3,Cook,Kitchen\n", Format::Csv);
    let ids: Vec<_> = rows.iter().map(Row::id).collect();
    assert_eq!(ids, [Some("d1".to_string()), Some("d2".to_string()), Some("d3".to_string())]);
    assert!(
        matches!(&rows[0].fields, Err(RecordError::BrokenCsv(_)))
            && matches!(&rows[1].fields, Err(RecordError::BrokenCsv(_)))
    );
    // Elsewhere the id cell may have moved: no id.
    let rows = read(b"title,id\nClerk, part-time,d1\n", Format::Csv);
    assert_eq!(rows[0].id(), None);
}

#[test]
fn semicolon_and_tab_separated_files_are_read_by_their_header_row() {
    // Excel's CSV where the decimal mark is a comma: a BOM, CRLF, `;` between fields, a quoted newline.
    let semicolons = "\u{FEFF}id;title;description\r\nA1;Hotel clerk;\"Pay 1.500,00 EUR; housing\r\nincluded\"\r\nA2;Cook;Kitchen\r\n";
    let tabs = "id\ttitle\tdescription\nA1\tHotel clerk\tPay 1,500; housing\nA2\tCook\tKitchen\n";
    for data in [semicolons, tabs] {
        let rows = read(data.as_bytes(), Format::Csv);
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(rows[0].id().as_deref(), Some("A1"));
        assert_eq!(text_of(&rows[1], "title"), "Cook");
        assert!(text_of(&rows[0], "description").starts_with("Pay 1"), "{rows:?}");
    }
    // A comma header keeps commas, whatever the fields hold.
    let rows = read(b"id,title\nA1,\"Clerk; part-time\"\n", Format::Csv);
    assert_eq!(text_of(&rows[0], "title"), "Clerk; part-time");
    assert_eq!(Format::from_path(Path::new("ads.TSV")), Some(Format::Csv));
}

#[test]
fn a_lone_surrogate_escape_is_read_as_the_replacement_character() {
    let rows = read(
        br#"{"id":"sur1","text":"Great job offer in Dubai \ud83d"}
{"id":"sur2","text":"\ude00 then \ud83d\ude00 and \\ud83d"}
"#,
        Format::Jsonl,
    );
    assert_eq!(rows[0].id().as_deref(), Some("sur1"));
    let text = |row: &Row| row.record().unwrap().get(crate::Field::Text).unwrap().to_string();
    assert_eq!(text(&rows[0]), "Great job offer in Dubai \u{FFFD}");
    assert_eq!(text(&rows[1]), "\u{FFFD} then \u{1F600} and \\ud83d", "pairs and escaped backslashes stay");
}

#[test]
fn a_number_too_large_for_a_float_costs_nothing_but_its_value() {
    // JSON allows 1E400; serde_json refuses it as "number out of range", which cost the whole record.
    let rows = read(
        br#"{"id":1E400,"text":"Cook wanted"}
{"id":"big2","text":"Driver, 1e999 km a day","salary":-2E500,"note":"\"1e400\""}
{"id":"big3","text":"x","salary":1e400
"#,
        Format::Jsonl,
    );
    assert_eq!(rows[0].id().as_deref(), Some("1E400"), "the id as the line wrote it");
    assert_eq!(rows[0].record().unwrap().get(crate::Field::Text), Some("Cook wanted"));
    assert_eq!(rows[1].id().as_deref(), Some("big2"));
    assert_eq!(rows[1].record().unwrap().get(crate::Field::Text), Some("Driver, 1e999 km a day"), "strings untouched");
    assert!(matches!(&rows[2].fields, Err(RecordError::BrokenJson(_))), "a line still broken is: {:?}", rows[2].fields);
}

#[test]
fn nan_and_infinity_as_python_writes_them_are_absent_values() {
    // Python's json.dumps writes a missing float as NaN (and ±inf as Infinity); serde_json refused the whole line.
    let rows = read(
        br#"{"id":"p1","title":"Front desk agent","salary_range":NaN,"bounds":[Infinity,-Infinity]}
{"id":NaN,"text":"NaN and Infinity in a string stay"}
{"id":"p3","text":"x","salary":NaNa}
"#,
        Format::Jsonl,
    );
    assert_eq!(rows[0].id().as_deref(), Some("p1"));
    assert_eq!(rows[0].record().unwrap().get(crate::Field::Title), Some("Front desk agent"));
    assert_eq!(rows[1].id(), None, "a NaN id is no id");
    assert_eq!(rows[1].record().unwrap().get(crate::Field::Text), Some("NaN and Infinity in a string stay"));
    assert!(matches!(&rows[2].fields, Err(RecordError::BrokenJson(_))), "NaNa is no float: {:?}", rows[2].fields);
}

#[test]
fn a_row_with_invalid_utf8_keeps_its_id_when_the_id_is_valid() {
    let rows =
        read(b"id,title,description\nAD-77,Caf\xe9 manager,Run it\nAD-\xe978,Clerk,x\n,Caf\xe9,x\n", Format::Csv);
    let utf8_error = |row: &Row| matches!(&row.fields, Err(RecordError::InvalidUtf8(m)) if m.contains("`title`"));
    assert!(utf8_error(&rows[0]), "{:?}", rows[0].fields);
    assert_eq!(rows[0].id().as_deref(), Some("AD-77"));
    assert!(matches!(rows[0].record(), Err(RecordError::InvalidUtf8(_))), "still an error row");
    assert_eq!(rows[1].id(), None, "an id holding an invalid byte is not the input's id");
    assert_eq!(rows[2].id(), None);

    let data = b"{\"id\":\"AD-78\",\"text\":\"caf\xe9\"}\n{\"id\": 1e2, \"text\": \"\xff\"}\n{\"id\":\"A\xff\",\"text\":\"x\"}\n\
        {\"id\":\"b\", \xff}\n";
    let rows = read(data, Format::Jsonl);
    assert!(rows.iter().all(|row| matches!(row.fields, Err(RecordError::InvalidUtf8(_)))), "{rows:?}");
    let ids: Vec<_> = rows.iter().map(Row::id).collect();
    assert_eq!(ids, [Some("AD-78".to_string()), Some("1e2".to_string()), None, None]);
    let rows = read(b"{\"id\":\"AD-79\",\"text\":\"caf\xe9\"}\n", Format::Text);
    assert_eq!(rows[0].id(), None, "a text line has no id");
}

#[test]
fn invalid_utf8_says_how_to_convert_the_file_once() {
    for (data, format, file) in [
        (&b"{\"text\": \"caf\xe9\"}\n"[..], Format::Jsonl, "FILE.utf8.jsonl"),
        (b"caf\xe9\n", Format::Text, "FILE.utf8.txt"),
        (b"title,text\nCaf\xe9,caf\xe9\n", Format::Csv, "FILE.utf8.csv"),
    ] {
        let error = read(data, format)[0].fields.clone().unwrap_err().to_string();
        assert!(error.starts_with("invalid UTF-8: "), "{error}");
        assert!(error.ends_with(&format!("iconv -f WINDOWS-1252 -t UTF-8 FILE > {file})")), "{error}");
        assert_eq!(error.matches("iconv").count(), 1, "{error}");
    }
}

#[test]
fn invalid_utf8_names_the_file_to_convert_when_it_is_known() {
    let named = |data: &'static [u8], format, name: &str| {
        let row = RowReader::new(data, format).with_source_name(name).next().unwrap().unwrap();
        row.fields.unwrap_err().to_string()
    };
    let latin1 = &b"{\"text\": \"caf\xe9\"}\n"[..];
    let cases = [
        ("data/ads.jsonl", "iconv -f WINDOWS-1252 -t UTF-8 data/ads.jsonl > data/ads.utf8.jsonl)"),
        ("my ads.JSONL", "iconv -f WINDOWS-1252 -t UTF-8 'my ads.JSONL' > 'my ads.utf8.JSONL')"),
        ("it's.ndjson", r"iconv -f WINDOWS-1252 -t UTF-8 'it'\''s.ndjson' > 'it'\''s.utf8.ndjson')"),
        // What iconv cannot read as it is, or has no name to give, keeps the placeholder.
        ("ads.jsonl.gz", "iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE.utf8.jsonl)"),
        ("-", "iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE.utf8.jsonl)"),
        ("dir/.jsonl", "iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE.utf8.jsonl)"),
    ];
    for (name, command) in cases {
        let error = named(latin1, Format::Jsonl, name);
        assert!(error.ends_with(command), "{name}: {error}");
    }
    let error = named(b"title,text\nCaf\xe9,x\n", Format::Csv, "export.tsv");
    assert!(error.ends_with("iconv -f WINDOWS-1252 -t UTF-8 export.tsv > export.utf8.tsv)"), "{error}");
}

#[test]
fn invalid_utf8_in_a_file_that_is_utf8_elsewhere_is_told_to_drop_the_stray_bytes() {
    // Thai before the stray byte: converting from Windows-1252 would garble the Thai (and iconv stops on it).
    for (data, format) in [
        (
            &b"{\"text\": \"plain\"}\n{\"text\": \"\xe0\xb8\x87\xe0\xb8\xb2\xe0\xb8\x99\"}\n{\"text\": \"caf\xe9\"}\n"
                [..],
            Format::Jsonl,
        ),
        (b"title,text\nA,\xe0\xb8\x87\xe0\xb8\xb2\xe0\xb8\x99\nB,caf\xe9\n", Format::Csv),
    ] {
        let rows: Vec<_> = RowReader::new(data, format).with_source_name("ads.csv").map(Result::unwrap).collect();
        let error = rows.last().unwrap().fields.clone().unwrap_err().to_string();
        assert!(error.contains("the file is UTF-8 elsewhere: fix this line, or drop"), "{error}");
        let command = match format {
            Format::Csv => "iconv -c -f UTF-8 -t UTF-8 ads.csv > ads.utf8.csv)",
            _ => "iconv -c -f UTF-8 -t UTF-8 FILE > FILE.utf8.jsonl)",
        };
        assert!(error.ends_with(command), "{error}");
        assert!(!error.contains("WINDOWS-1252"), "{error}");
    }
    // ASCII before it says nothing of the file: the Windows-1252 export stays the likely cause.
    let rows: Vec<_> = RowReader::new(&b"{\"text\": \"plain\"}\n{\"text\": \"caf\xe9\"}\n"[..], Format::Jsonl)
        .map(Result::unwrap)
        .collect();
    assert!(rows[1].fields.clone().unwrap_err().to_string().contains("iconv -f WINDOWS-1252"));
}

#[test]
fn a_csv_column_named_twice_is_read_twice() {
    let data = b"title,description,description,benefits,benefits\n\
        Nurse,Contact Telegram @recruiter_kh free flight,Night shifts,,meals\n";
    let rows = read(&data[..], Format::Csv);
    assert_eq!(text_of(&rows[0], "description"), "Contact Telegram @recruiter_kh free flight\nNight shifts");
    assert_eq!(text_of(&rows[0], "benefits"), "meals");
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
    assert_eq!(rows[1].id().as_deref(), Some("2"), "the error row keeps the id written before the long cell");
    let message = rows[1].fields.as_ref().unwrap_err().to_string();
    assert!(message.contains("is skipped (the records after it are read)") && !message.contains("quote"), "{message}");
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
    assert_eq!(rows[0].id().as_deref(), Some("1"));
    assert_eq!((rows[1].line, text_of(&rows[1], "text")), (3, "next".to_string()));
    assert_eq!((rows[2].line, rows[2].fields.clone()), (4, Err(RecordError::CsvTooLong(MAX_LINE_BYTES))));
    assert_eq!(rows[2].id().as_deref(), Some("3"));
    // The id in another column than the first, or a first cell itself too long, is not read.
    let mut data = b"text,id
"
    .to_vec();
    data.extend(b"x".repeat(MAX_LINE_BYTES + 10));
    data.extend(
        b",7
",
    );
    assert_eq!(read(&data, Format::Csv)[0].id(), None);
    let mut data = b"id,text
"
    .to_vec();
    data.extend(b"9".repeat(MAX_LINE_BYTES + 10));
    data.extend(
        b",x
",
    );
    assert_eq!(read(&data, Format::Csv)[0].id(), None);
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
    assert_eq!(rows.iter().map(|r| (r.number, r.line)).collect::<Vec<_>>(), [(1, 2), (2, 4), (3, 6), (4, 7), (5, 8)]);
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
        "{\"id\": \"\", \"text\": \"h\"}\n",
        "{\"id\": \"  \", \"text\": \"i\"}\n",
    );
    let rows = read(data.as_bytes(), Format::Jsonl);
    let ids: Vec<_> = rows.iter().map(Row::id).collect();
    let expected = ["18446744073709551616", "18446744073709551617", "1e2", "-0.50", "xA"];
    let mut expected: Vec<Option<String>> = expected.iter().map(|s| Some(s.to_string())).collect();
    expected.extend([None, Some("7".into())]); // an id named twice: the first, as in CSV
    expected.extend(["", "  "].map(|id| Some(id.to_string())));
    assert_eq!(ids, expected);
    assert_eq!(rows[2].record().unwrap().id.as_deref(), Some("1e2"));
    assert_eq!(rows[7].record().unwrap().id.as_deref(), Some(""));
    // A CSV id cell that is empty or blank is no id: CSV has no other way to write none.
    let rows = read(b"id,text\n,a\n  ,b\n\"\",c\nx,d\n", Format::Csv);
    assert_eq!(rows.iter().map(Row::id).collect::<Vec<_>>(), [None, None, None, Some("x".into())]);

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
    let rows = read(b"id,Title,DESCRIPTION\np1,Nurse,\"Hospital job\np2,Driver,Truck\np3,Clerk,Office\n", Format::Csv);
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].number, rows[0].line), (1, 2));
    assert_eq!(rows[0].id().as_deref(), Some("p1"), "the error row keeps the id written before the open quote");
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
    assert_eq!(rows.len(), 1, "a row of empty cells is no record, as a blank line is none");
    let rows = read(b"id,id,text,text\r\na,b,hello,there\r\n,c,x,\r\n", Format::Csv);
    assert_eq!(rows[0].id().as_deref(), Some("a"), "an id named twice is the first, not both joined");
    assert_eq!(rows[0].record().unwrap().get(crate::Field::Text), Some("hello\nthere"), "text named twice is joined");
    assert_eq!(rows[1].id().as_deref(), Some("c"), "the first that is not empty");
    // JSON Lines read a key named twice the same way.
    let rows = read(
        b"{\"id\": \"a\", \"id\": \"b\", \"text\": \"hello\", \"text\": \"there\"}\n\
          {\"id\": null, \"id\": 7, \"text\": \"x\", \"text\": \"\", \"title\": 5, \"title\": \"Clerk\"}\n\
          {\"id\": \"d\", \"text\": \"a\", \"text\": [1]}\n",
        Format::Jsonl,
    );
    assert_eq!(rows[0].id().as_deref(), Some("a"), "JSON: an id named twice is the first");
    assert_eq!(rows[0].record().unwrap().get(crate::Field::Text), Some("hello\nthere"), "JSON: text named twice");
    assert_eq!(rows[1].id().as_deref(), Some("7"), "JSON: the first id that is not null");
    assert_eq!(rows[1].record().unwrap().get(crate::Field::Text), Some("x"));
    assert_eq!(rows[1].record().unwrap().get(crate::Field::Title), Some("5\nClerk"));
    assert!(matches!(rows[2].record(), Err(RecordError::FieldType { field: "text", .. })), "an array is still no text");
    let rows = read(b"ID,Title,text\n,Clerk,\n", Format::Csv);
    assert_eq!(rows[0].record().unwrap().id, None, "an empty id cell is no id");
    let broken = &read(b"{\n{\"Id\": 3, \"text\": [1]}\n", Format::Jsonl);
    assert!(matches!(broken[0].record(), Err(RecordError::BrokenJson(_))));
    assert_eq!(broken[0].id(), None);
    assert!(matches!(broken[1].record(), Err(RecordError::FieldType { field: "text", .. })));
    assert_eq!(broken[1].id().as_deref(), Some("3"));
}

#[test]
fn a_compressed_file_or_an_archive_is_one_clear_error() {
    // Each with its own command, for a file of the format being read.
    for (data, kind, command) in [
        (&b"\x1F\x8B\x08\x00\x00\x00\x00\x00\x00\x03\xAB\xAE\x05\x00"[..], "gzip", "gunzip -c FILE.{}.gz"),
        (b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml", "ZIP archive", "unzip -p FILE.{}.zip"),
        (b"\x28\xB5\x2F\xFD\x24\x05", "zstd", "zstd -dc FILE.{}.zst"),
        (b"\xFD7zXZ\x00\x00\x04", "xz", "xz -dc FILE.{}.xz"),
        (b"BZh91AY&SY", "bzip2", "bunzip2 -c FILE.{}.bz2"),
    ] {
        for format in [Format::Jsonl, Format::Csv, Format::Text] {
            let mut reader = RowReader::new(data, format);
            let error = reader.next().unwrap().unwrap_err().to_string();
            assert!(error.contains(kind) && error.contains("decompress"), "{error}");
            let command = format!("{} | lurescan score -f {format} -", command.replace("{}", format.extension()));
            assert!(error.contains(&command), "{error}");
            assert_eq!(error.contains("gunzip"), kind == "gzip", "{error}");
            assert!(reader.next().is_none(), "{format:?}: one error, then nothing");
        }
    }
    // A caller that has the file's name (the CLI) gets it in the command.
    let error = check_head(b"\xFD7zXZ\x00\x00\x04", Format::Csv, Some("ads.csv")).unwrap_err().to_string();
    assert!(error.contains("xz -dc ads.csv | lurescan score -f csv -"), "{error}");
    // By the extension of a file's name, which the CLI checks before it opens the file.
    let by_name = |name: &str| Compressed::from_path(Path::new(name)).map(|c| c.command);
    assert_eq!(by_name("ads.csv.XZ"), Some("xz -dc"));
    assert_eq!(by_name("a.tar.zst"), Some("zstd -dc"));
    assert_eq!(by_name("a.bz2"), Some("bunzip2 -c"));
    assert_eq!(by_name("sheet.xlsx"), Some("unzip -p"));
    // A spreadsheet unzipped is XML: the advice is to save it as CSV, not to pipe it in.
    let error = check_head(b"PK\x03\x04\x14\x00", Format::Jsonl, Some("jobs.xlsx")).unwrap_err().to_string();
    assert!(error.contains("save it as CSV (UTF-8)") && error.contains("--convert-to csv jobs.xlsx"), "{error}");
    assert!(!error.contains("unzip"), "{error}");
    assert_eq!(by_name("ads.jsonl"), None);
    // Text that merely starts with "PK" or "BZh" is text.
    assert_eq!(read(b"PK fields\nBZh line\n", Format::Text).len(), 2);
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
    // Given the file's name, the command names it and its UTF-8 copy.
    let error = check_head(&with_bom, Format::Csv, Some("data/ads.csv")).unwrap_err().to_string();
    assert!(error.contains("iconv -f UTF-16 -t UTF-8 data/ads.csv > data/ads.utf8.csv"), "{error}");
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
