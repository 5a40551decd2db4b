//! Writing result rows ([`ScoredRow`], the library's one definition of a result) as JSON Lines or CSV.

use clap::ValueEnum;
use lurescan::contacts::Contact;
use lurescan::explain::{Flag, TermEffect};
use lurescan::wire::ScoredRow;
use lurescan::Label;
use std::fmt;
use std::io::{self, Write};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// One JSON object a line.
    Jsonl,
    /// A header row, then one row per record.
    Csv,
}

impl OutputFormat {
    /// The format an output file's extension implies (ASCII case ignored): `.csv` is CSV, anything else (and
    /// stdout) JSON Lines.
    pub fn from_path(path: Option<&Path>) -> OutputFormat {
        let ext = path.and_then(Path::extension).and_then(|ext| ext.to_str()).map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("csv") => OutputFormat::Csv,
            _ => OutputFormat::Jsonl,
        }
    }
}

/// `n` and the noun, plural unless `n` is 1, for summary and log lines: "1 record", "2 records", "0 errors".
pub fn count<N: fmt::Display + PartialEq + From<u8>>(n: N, noun: &str) -> String {
    let plural = if n == N::from(1) { "" } else { "s" };
    format!("{n} {noun}{plural}")
}

/// "N bad rows skipped: line 3: …; line 9: …" for a data file's log line: the count and the first rows skipped
/// (`examples`, as `line N: reason`), "and K more" when there were more; empty when nothing was skipped.
pub fn skipped_note(skipped: u64, examples: &[String]) -> String {
    if skipped == 0 {
        return String::new();
    }
    let more = skipped.saturating_sub(examples.len() as u64);
    let more = if more > 0 && !examples.is_empty() { format!("; and {more} more") } else { String::new() };
    let listed = if examples.is_empty() { String::new() } else { format!(": {}{more}", examples.join("; ")) };
    format!("{} skipped{listed}", count(skipped, "bad row"))
}

pub enum RowWriter {
    Jsonl(Box<dyn Write>),
    /// With `exemplars`, every row has the `nearest_typology` and `exemplar_margin` cells (empty when unknown).
    Csv {
        writer: Box<csv::Writer<Box<dyn Write>>>,
        exemplars: bool,
    },
}

impl RowWriter {
    /// A writer for rows; a CSV header is written at once. `with_input` says whether rows carry `input`,
    /// `with_explanations` whether they carry `flags` and `top_terms`, `with_exemplars` whether CSV rows have the
    /// `nearest_typology` and `exemplar_margin` columns.
    pub fn new(
        out: Box<dyn Write>,
        format: OutputFormat,
        with_input: bool,
        with_explanations: bool,
        with_exemplars: bool,
    ) -> io::Result<Self> {
        Ok(match format {
            OutputFormat::Jsonl => RowWriter::Jsonl(out),
            OutputFormat::Csv => {
                let mut writer = csv::Writer::from_writer(out);
                let mut header = vec!["id"];
                if with_input {
                    header.push("input");
                }
                header.extend(["line", "score", "label", "error"]);
                if with_explanations {
                    header.extend(["flags", "top_terms", "contacts", "score_without_decisive"]);
                }
                if with_exemplars {
                    header.extend(["nearest_typology", "exemplar_margin"]);
                }
                writer.write_record(header)?;
                RowWriter::Csv { writer: Box::new(writer), exemplars: with_exemplars }
            }
        })
    }

    pub fn write(&mut self, row: &ScoredRow) -> io::Result<()> {
        match self {
            RowWriter::Jsonl(out) => {
                serde_json::to_writer(&mut *out, row)?;
                out.write_all(b"\n")
            }
            RowWriter::Csv { writer, exemplars } => {
                let mut cells = vec![spreadsheet_safe(row.id.to_string())];
                if let Some(input) = &row.input {
                    cells.push(input.clone());
                }
                cells.push(row.line.map(|l| l.to_string()).unwrap_or_default());
                cells.push(row.score.map(|s| s.to_string()).unwrap_or_default());
                cells.push(row.label.map(|l| l.name().to_string()).unwrap_or_default());
                cells.push(spreadsheet_safe(row.error.clone().unwrap_or_default()));
                if let Some(flags) = &row.flags {
                    cells.push(compact_flags(flags));
                }
                if let Some(terms) = &row.top_terms {
                    cells.push(compact_terms(terms));
                }
                if let Some(contacts) = &row.contacts {
                    cells.push(compact_contacts(contacts));
                    cells.push(row.score_without_decisive.map(|s| s.to_string()).unwrap_or_default());
                }
                if *exemplars {
                    // `typology 0.931 [lang]`: the exemplar text itself is in the JSON Lines output.
                    cells.push(
                        row.nearest_typology
                            .as_ref()
                            .map(|n| format!("{} {:.3} [{}]", n.typology, n.similarity, n.lang))
                            .unwrap_or_default(),
                    );
                    cells.push(row.exemplar_margin.map(|m| format!("{m:.4}")).unwrap_or_default());
                }
                writer.write_record(&cells).map_err(io::Error::from)
            }
        }
    }

    pub fn flush(&mut self) -> io::Result<()> {
        match self {
            RowWriter::Jsonl(out) => out.flush(),
            RowWriter::Csv { writer, .. } => writer.flush(),
        }
    }
}

/// A CSV cell a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+cmd|…`, `@SUM(…)`, `-2+3`, or one after a
/// tab or carriage return), written with a `'` in front so that it shows as text: ids come from scraped pages and
/// messages, which anyone can write. A plain number (`-5`, `+85512345678`) stays as it is. A NUL byte is written as
/// U+FFFD: spreadsheets cut the cell there and PostgreSQL's `COPY` refuses the file. JSON Lines keep every value as
/// written (escaped).
pub fn spreadsheet_safe(cell: String) -> String {
    let cell = if cell.contains('\0') { cell.replace('\0', "\u{FFFD}") } else { cell };
    let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.trim().parse::<f64>().is_err();
    if formula {
        format!("'{cell}")
    } else {
        cell
    }
}

/// Flags in one CSV cell: `id:"evidence"; …` (the evidence JSON-quoted, so `;` and newlines in it stay unambiguous).
fn compact_flags(flags: &[Flag]) -> String {
    let quoted = |s: &str| serde_json::to_string(s).expect("a string serializes");
    flags.iter().map(|f| format!("{}:{}", f.id, quoted(&f.evidence))).collect::<Vec<_>>().join("; ")
}

/// Top terms in one CSV cell: `"term" +0.123; …`.
/// Contacts in one CSV cell: `kind:value; …` (values hold no `;`: they are normalised numbers, ids, addresses and
/// links).
fn compact_contacts(contacts: &[Contact]) -> String {
    contacts.iter().map(|c| format!("{}:{}", c.kind, c.value)).collect::<Vec<_>>().join("; ")
}

fn compact_terms(terms: &[TermEffect]) -> String {
    let quoted = |s: &str| serde_json::to_string(s).expect("a string serializes");
    terms.iter().map(|t| format!("{} {:+.3}", quoted(&t.term), t.effect)).collect::<Vec<_>>().join("; ")
}

pub fn label_name(label: Label) -> &'static str {
    label.name()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lurescan::explain::Explanation;
    use lurescan::wire::RowId;
    use lurescan::{Field, Prediction, RecordError};
    use std::sync::{Arc, Mutex};

    /// A `Write` whose bytes the test can read after the writer is gone.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().write(buf)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn flag() -> Flag {
        Flag {
            id: "upfront_fee".into(),
            category: "fees".into(),
            field: Field::Text,
            evidence: "pay a fee; now".into(),
            start: 4,
            end: 18,
        }
    }

    fn contact() -> Contact {
        Contact {
            kind: lurescan::contacts::ContactKind::Telegram,
            value: "hr_team".into(),
            field: Field::Text,
            evidence: "@hr_team".into(),
            start: 20,
            end: 28,
        }
    }

    fn term() -> TermEffect {
        TermEffect { field: Field::Text, term: "fee".into(), start: 10, end: 13, effect: 0.125 }
    }

    fn write_rows(format: OutputFormat, with_input: bool, with_explanations: bool) -> String {
        let out = Shared::default();
        let mut writer = RowWriter::new(Box::new(out.clone()), format, with_input, with_explanations, false).unwrap();
        let legitimate = Prediction { score: 0.25, label: Label::Legitimate, score_without_decisive: None };
        let mut scored = ScoredRow::new(RowId::Given("a,1".into()), Ok(legitimate)).with_line(2);
        let mut broken = ScoredRow::new(RowId::Number(2), Err(RecordError::NoText)).with_line(3);
        broken.error = Some("no text".into()); // short, for the expected rows below
        if with_input {
            scored = scored.with_input("x.csv");
            broken = broken.with_input("x.csv");
        }
        if with_explanations {
            scored = scored.with_explanation(Explanation {
                flags: vec![flag()],
                top_terms: vec![term()],
                contacts: vec![contact()],
            });
            broken = broken.with_explanation(Explanation { flags: vec![], top_terms: vec![], contacts: vec![] });
        }
        writer.write(&scored).unwrap();
        writer.write(&broken).unwrap();
        writer.flush().unwrap();
        drop(writer);
        let bytes = out.0.lock().unwrap().clone();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn counts_name_one_thing_in_the_singular() {
        assert_eq!(count(1u64, "record"), "1 record");
        assert_eq!(count(0usize, "error"), "0 errors");
        assert_eq!(count(2usize, "bad row"), "2 bad rows");
    }

    #[test]
    fn a_skipped_note_lists_the_first_rows_and_counts_the_rest() {
        assert_eq!(skipped_note(0, &[]), "");
        let shown = ["line 3: no text".to_string(), "line 9: label 7 is not a label".to_string()];
        assert_eq!(skipped_note(2, &shown), "2 bad rows skipped: line 3: no text; line 9: label 7 is not a label");
        assert_eq!(skipped_note(7, &shown[..1]), "7 bad rows skipped: line 3: no text; and 6 more");
        assert_eq!(skipped_note(1, &[]), "1 bad row skipped");
    }

    #[test]
    fn jsonl_rows_have_nulls_and_input_only_when_asked() {
        assert_eq!(
            write_rows(OutputFormat::Jsonl, false, false),
            "{\"id\":\"a,1\",\"line\":2,\"score\":0.25,\"label\":\"legitimate\",\"error\":null}\n\
             {\"id\":2,\"line\":3,\"score\":null,\"label\":null,\"error\":\"no text\"}\n"
        );
    }

    #[test]
    fn csv_rows_quote_and_leave_nulls_empty() {
        assert_eq!(
            write_rows(OutputFormat::Csv, true, false),
            "id,input,line,score,label,error\n\"a,1\",x.csv,2,0.25,legitimate,\n2,x.csv,3,,,no text\n"
        );
    }

    #[test]
    fn csv_cells_a_spreadsheet_would_run_as_formulas_are_written_as_text() {
        let ids = [
            "=HYPERLINK(\"http://x\",\"open\")",
            "+cmd|' /C calc'!A0",
            "@SUM(A1)",
            "-2+3",
            "\t=1",
            "-5",
            "+85512345678",
            "a=b",
            "ad\0 7",
        ];
        let out = Shared::default();
        let mut writer = RowWriter::new(Box::new(out.clone()), OutputFormat::Csv, false, false, false).unwrap();
        for id in ids {
            writer.write(&ScoredRow::new(RowId::Given(id.into()), Err(RecordError::NoText))).unwrap();
        }
        writer.flush().unwrap();
        drop(writer);
        let out = out.0.lock().unwrap().clone();
        let ids: Vec<String> =
            csv::Reader::from_reader(out.as_slice()).records().map(|r| r.unwrap()[0].to_string()).collect();
        assert_eq!(
            ids,
            [
                "'=HYPERLINK(\"http://x\",\"open\")",
                "'+cmd|' /C calc'!A0",
                "'@SUM(A1)",
                "'-2+3",
                "'\t=1",
                "-5",
                "+85512345678",
                "a=b",
                "ad\u{FFFD} 7"
            ]
        );
    }

    #[test]
    fn explanations_are_lists_in_jsonl_and_compact_strings_in_csv() {
        assert_eq!(
            write_rows(OutputFormat::Jsonl, false, true),
            concat!(
                r#"{"id":"a,1","line":2,"score":0.25,"label":"legitimate","error":null,"#,
                r#""flags":[{"id":"upfront_fee","category":"fees","field":"text","evidence":"pay a fee; now","start":4,"end":18}],"#,
                r#""top_terms":[{"field":"text","term":"fee","start":10,"end":13,"effect":0.125}],"#,
                r#""contacts":[{"kind":"telegram","value":"hr_team","field":"text","evidence":"@hr_team","start":20,"end":28}]}"#,
                "\n",
                r#"{"id":2,"line":3,"score":null,"label":null,"error":"no text","flags":[],"top_terms":[],"contacts":[]}"#,
                "\n"
            )
        );
        // The evidence is JSON-quoted inside the cell, then the cell CSV-quoted: `;` in evidence stays unambiguous.
        assert_eq!(
            write_rows(OutputFormat::Csv, false, true),
            concat!(
                "id,line,score,label,error,flags,top_terms,contacts,score_without_decisive\n",
                r#""a,1",2,0.25,legitimate,,"upfront_fee:""pay a fee; now""","""fee"" +0.125",telegram:hr_team,"#,
                "\n2,3,,,no text,,,,\n"
            )
        );
    }

    #[test]
    fn a_score_lifted_by_a_decisive_flag_keeps_what_it_was_before_in_both_formats() {
        let lifted = Prediction { score: 0.9, label: Label::Lure, score_without_decisive: Some(0.125) };
        let explanation = Explanation { flags: vec![flag()], top_terms: vec![], contacts: vec![] };
        let row = ScoredRow::new(RowId::Number(1), Ok(lifted)).with_line(2).with_explanation(explanation);
        let written = |format| {
            let out = Shared::default();
            let mut writer = RowWriter::new(Box::new(out.clone()), format, false, true, false).unwrap();
            writer.write(&row).unwrap();
            writer.flush().unwrap();
            drop(writer);
            let bytes = out.0.lock().unwrap().clone();
            String::from_utf8(bytes).unwrap()
        };
        assert!(written(OutputFormat::Csv).ends_with(",,0.125\n"), "{}", written(OutputFormat::Csv));
        assert!(written(OutputFormat::Jsonl).contains(r#""error":null,"score_without_decisive":0.125,"flags""#));
    }
}
