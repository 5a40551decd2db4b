//! What `lurescan explain` reports about one record ([`Report`], printed as it is by `--json`) and its terminal
//! layout: plain text with the evidence in `[[…]]`, or ANSI colours and bold when stdout is a terminal. Control
//! characters of the record are shown escaped, so scraped text cannot move the cursor or recolour the analyst's
//! terminal.

use crate::output::label_name;
use lurescan::contacts::Contact;
use lurescan::exemplars::Nearest;
use lurescan::explain::{Flag, TermEffect};
use lurescan::wire::RowId;
use lurescan::{Field, Label, Record};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use std::fmt::Write;
use std::ops::Range;

/// Where the record came from.
#[derive(Debug, Serialize)]
pub struct Origin {
    /// The input's `id`, else the record's number in the input; `null` for `--text`.
    pub id: Option<RowId>,
    /// The input's name; absent for `--text`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

/// A flag with its indicator's description.
#[derive(Debug, Serialize)]
pub struct DescribedFlag<'a> {
    #[serde(flatten)]
    pub flag: &'a Flag,
    pub description: &'a str,
}

/// Everything `lurescan explain` shows about one record; `--json` prints it as it is.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    #[serde(flatten)]
    pub origin: Origin,
    pub score: f32,
    pub label: Label,
    pub threshold: f32,
    /// When a decisive flag counts in the score: the score without its decisive weight and floor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score_without_decisive: Option<f32>,
    pub flags: Vec<DescribedFlag<'a>>,
    pub top_terms: Vec<TermEffect>,
    /// With exemplars (the model's own or `--exemplars`): the nearest lure exemplar.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nearest_typology: Option<Nearest>,
    /// With exemplars: the nearest benign look-alike.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nearest_benign: Option<Nearest>,
    /// With exemplars of both labels: mean cosine to the nearest lure exemplars minus that to the nearest benign.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exemplar_margin: Option<f32>,
    /// The weight of `exemplar_margin` in the score's log-odds, when the model was trained with exemplars.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exemplar_weight: Option<f32>,
    /// What each distinct indicator category adds to the score's log-odds (counted up to
    /// [`lurescan::INDICATOR_CATEGORY_CAP`]), when the model counts indicators in the score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicator_weight: Option<f32>,
    /// What reading as a warning about these scams adds to the score's log-odds (a flag of the `warning`
    /// category), when the model has a warning weight.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning_weight: Option<f32>,
    /// What a flag of a decisive indicator adds to the score's log-odds (outside a warning), when the model has a
    /// decisive weight.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decisive_weight: Option<f32>,
    /// Indicator categories that explain but do not count in the score
    /// ([`lurescan::Settings::uncounted_indicator_categories`]), when the model counts indicators.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub uncounted_categories: &'a [String],
    /// The contact points of the record (phone numbers, messenger accounts, addresses, links), normalised as
    /// `lurescan score --explain` and `campaigns` give them.
    pub contacts: Vec<Contact>,
    /// The record's fields in rendering order, as `{"title": "...", ...}`: flags and terms point into them.
    pub fields: Fields<'a>,
}

/// A record's fields as a JSON object, in rendering order.
#[derive(Debug)]
pub struct Fields<'a>(pub &'a Record);

impl Serialize for Fields<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (field, text) in self.0.fields() {
            map.serialize_entry(field.name(), text)?;
        }
        map.end()
    }
}

/// "record `p7` (line 7 of ads.csv)", "record 7 (…)" for a record without an id, or "the text".
pub fn describe(origin: &Origin) -> String {
    match (&origin.input, origin.line) {
        // A given id in backticks, so that `record broken` cannot read as a sentence.
        (Some(input), Some(line)) => match &origin.id {
            Some(RowId::Given(id)) => format!("record `{id}` (line {line} of {input})"),
            Some(RowId::Number(n)) => format!("record {n} (line {line} of {input})"),
            None => format!("record (line {line} of {input})"),
        },
        _ => "the text".to_string(),
    }
}

/// How highlights are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Evidence in `[[…]]`, no escape codes.
    Plain,
    /// Colours and bold.
    Ansi,
}

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RED: &str = "\x1b[1;31m";
const GREEN: &str = "\x1b[32m";
const EVIDENCE: &str = "\x1b[1;30;43m";
const RESET: &str = "\x1b[0m";

/// Width of the longest top-term bar.
const BAR: usize = 16;

impl Style {
    /// `text` wrapped in `code` (ANSI only).
    fn paint(self, code: &str, text: &str) -> String {
        match self {
            Style::Plain => text.to_string(),
            Style::Ansi => format!("{code}{text}{RESET}"),
        }
    }

    fn open_evidence(self) -> &'static str {
        match self {
            Style::Plain => "[[",
            Style::Ansi => EVIDENCE,
        }
    }

    fn close_evidence(self) -> &'static str {
        match self {
            Style::Plain => "]]",
            Style::Ansi => RESET,
        }
    }
}

/// `text` with control characters other than newline and tab shown as `\u{…}`; a Windows line end (CR LF) or an old
/// Mac one (a lone CR) is a newline.
fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() != Some(&'\n') {
                out.push('\n');
            }
        } else if c.is_control() && c != '\n' && c != '\t' {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// The flagged byte ranges of one field, sorted, overlapping ones merged.
fn highlights(flags: &[&Flag], field: Field) -> Vec<Range<usize>> {
    let mut spans: Vec<Range<usize>> = flags.iter().filter(|f| f.field == field).map(|f| f.start..f.end).collect();
    spans.sort_by_key(|s| (s.start, s.end));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

/// A field's text with its evidence highlighted, each line indented.
fn highlighted(text: &str, spans: &[Range<usize>], style: Style, indent: &str) -> String {
    let mut marked = String::with_capacity(text.len() + 16 * spans.len());
    let mut at = 0;
    for span in spans {
        marked.push_str(&printable(&text[at..span.start]));
        marked.push_str(style.open_evidence());
        marked.push_str(&printable(&text[span.clone()]));
        marked.push_str(style.close_evidence());
        at = span.end;
    }
    marked.push_str(&printable(&text[at..]));
    marked.lines().map(|line| format!("{indent}{line}\n")).collect()
}

/// The whole report for one record.
pub fn render(report: &Report, record: &Record, style: Style) -> String {
    let mut out = String::new();
    let origin = describe(&report.origin);
    let _ = writeln!(out, "{}", style.paint(BOLD, &format!("lurescan explain: {}", printable(&origin))));
    let label = match report.label {
        Label::Lure => style.paint(RED, "LURE"),
        Label::Legitimate => style.paint(GREEN, "legitimate"),
    };
    let lure = label_name(Label::Lure);
    let _ = writeln!(out, "  score {:.3}  {label}  ({lure} at {:.3} or above)\n", report.score, report.threshold);

    // Indicators, one entry per indicator with every piece of its evidence.
    let flags: Vec<&Flag> = report.flags.iter().map(|f| f.flag).collect();
    let mut ids: Vec<&str> = Vec::new();
    for flag in &flags {
        if !ids.contains(&flag.id.as_str()) {
            ids.push(&flag.id);
        }
    }
    let mut categories: Vec<&str> = flags.iter().map(|f| f.category.as_str()).collect();
    categories.sort_unstable();
    categories.dedup();
    let warning = categories.contains(&lurescan::explain::WARNING_CATEGORY);
    let counts = match report.indicator_weight {
        _ if warning => match (report.warning_weight, report.indicator_weight) {
            (Some(w), _) => {
                format!("; it reads as a warning about these scams: no category counts, the score adds {w:+.2}")
            }
            (None, Some(_)) => "; it reads as a warning about these scams: no category counts in the score".into(),
            (None, None) => "; it reads as a warning about these scams".into(),
        },
        Some(w) if report.uncounted_categories.is_empty() => {
            format!("; each category adds {w:+.2} to the log-odds, up to {}", lurescan::INDICATOR_CATEGORY_CAP)
        }
        Some(w) => format!(
            "; each category adds {w:+.2} to the log-odds, up to {}; {} are shown, not counted",
            lurescan::INDICATOR_CATEGORY_CAP,
            report.uncounted_categories.join(", ")
        ),
        // A model trained without them (`--model fast`): the flags are evidence for a reader, not for its score.
        None if report.decisive_weight.is_none() && !flags.is_empty() => {
            "; this model's score does not count them".into()
        }
        None => String::new(),
    };
    let catalogue = lurescan::explain::Catalogue::builtin();
    let is_decisive = |flag: &Flag| catalogue.is_decisive(flag, report.uncounted_categories);
    let counts = match report.decisive_weight {
        Some(w) if !warning && flags.iter().any(|f| is_decisive(f)) => {
            let without = match report.score_without_decisive {
                Some(score) => format!(" (without it the score would be {score:.3})"),
                None => String::new(),
            };
            format!(
                "{counts}; a decisive sign adds {w:+.2} and always flags the record, at {:.2} at least{without}: the \
                 top terms below move the rest of the score, not that floor",
                lurescan::DECISIVE_SCORE
            )
        }
        _ => counts,
    };
    if ids.is_empty() {
        let _ = writeln!(
            out,
            "{}\n  none of the {} built-in indicators\n",
            style.paint(BOLD, "Indicators"),
            catalogue.indicators().len()
        );
    } else {
        let _ = writeln!(
            out,
            "{} ({} in {} {}{counts})",
            style.paint(BOLD, "Indicators"),
            ids.len(),
            categories.len(),
            if categories.len() == 1 { "category" } else { "categories" }
        );
        for id in &ids {
            let mine: Vec<_> = report.flags.iter().filter(|f| f.flag.id == *id).collect();
            let decisive = if is_decisive(mine[0].flag) { ", decisive" } else { "" };
            let _ = writeln!(out, "  {} [{}{decisive}]", style.paint(BOLD, id), mine[0].flag.category);
            let _ = writeln!(out, "    {}", style.paint(DIM, mine[0].description));
            for f in mine {
                let evidence =
                    format!("{}{}{}", style.open_evidence(), printable(&f.flag.evidence), style.close_evidence());
                let _ = writeln!(out, "    {} {}..{}: {evidence}", f.flag.field, f.flag.start, f.flag.end);
            }
        }
        out.push('\n');
    }

    if !report.contacts.is_empty() {
        let _ = writeln!(out, "{}", style.paint(BOLD, "Contacts"));
        for contact in &report.contacts {
            let _ = writeln!(
                out,
                "  {:<9} {}  ({} {}..{})",
                contact.kind.name(),
                printable(&contact.value),
                contact.field,
                contact.start,
                contact.end
            );
        }
        out.push('\n');
    }

    if let Some(nearest) = &report.nearest_typology {
        let counts = match report.exemplar_weight {
            Some(w) if w > 0.0 => format!("the score counts the margin with weight {w:.2}"),
            Some(_) => "evidence only: this model weighs the margin 0 for records of this kind (messages and postings \
                        have weights of their own), so exemplars do not move this score"
                .to_string(),
            None => "evidence only: this model does not count exemplars in the score".to_string(),
        };
        let _ = writeln!(out, "{} ({counts})", style.paint(BOLD, "Nearest typology"));
        let _ = writeln!(
            out,
            "  {}  similarity {:.3}  [{}] {}",
            style.paint(BOLD, &nearest.typology),
            nearest.similarity,
            nearest.lang,
            style.paint(DIM, &printable(&nearest.exemplar))
        );
        if let Some(benign) = &report.nearest_benign {
            let _ = writeln!(
                out,
                "  nearest look-alike: {}  similarity {:.3}  [{}] {}",
                benign.typology,
                benign.similarity,
                benign.lang,
                style.paint(DIM, &printable(&benign.exemplar))
            );
        }
        if let Some(margin) = report.exemplar_margin {
            let _ = writeln!(
                out,
                "  margin {margin:+.3}: mean similarity to the nearest lure exemplars minus to the nearest benign ones"
            );
            let _ = writeln!(out, "  {}", margin_reading(margin));
        }
        out.push('\n');
    }

    let _ = writeln!(out, "{}", style.paint(BOLD, "Text"));
    for (field, text) in record.fields() {
        let _ = writeln!(out, "  {}", style.paint(BOLD, field.name()));
        out.push_str(&highlighted(text, &highlights(&flags, field), style, "    "));
    }

    if !report.top_terms.is_empty() {
        let _ = writeln!(
            out,
            "\n{} (effect on the log-odds of lure: + pushes towards lure, +1 = odds × 2.7)",
            style.paint(BOLD, "Top terms")
        );
        let largest = report.top_terms.iter().map(|t| t.effect.abs()).fold(0f32, f32::max);
        let width = report.top_terms.iter().map(|t| t.field.name().len()).max().unwrap_or(0);
        for term in &report.top_terms {
            let length =
                if largest > 0.0 { ((term.effect.abs() / largest) * BAR as f32).round().max(1.0) as usize } else { 0 };
            let bar = format!("{:<BAR$}", "█".repeat(length));
            let bar = style.paint(if term.effect > 0.0 { RED } else { GREEN }, &bar);
            let _ = writeln!(
                out,
                "  {:+.3} {bar} {:<width$}  {}",
                term.effect,
                term.field.name(),
                printable(&term.term).replace('\n', " ")
            );
        }
    }
    out
}

/// What an exemplar margin says, for a reader who would take a similarity of 0.9 for evidence: most texts sit that
/// close to some exemplar, and only the margin tells lures from look-alikes. On the default model's validation
/// records, 2.6% of ordinary ones and a quarter of the lures have a margin over 0.01.
fn margin_reading(margin: f32) -> &'static str {
    if margin <= 0.0 {
        "closer to the ordinary look-alikes than to the lure exemplars: no lure typology stands out"
    } else if margin <= 0.01 {
        "about as close to the ordinary look-alikes: the typology is a weak hint (similarities of 0.9 are common)"
    } else {
        "closer to the lure exemplars than to the look-alikes, as few ordinary texts are"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag(field: Field, start: usize, end: usize) -> Flag {
        Flag { id: "x".into(), category: "c".into(), field, evidence: String::new(), start, end }
    }

    #[test]
    fn overlapping_evidence_is_one_highlight() {
        let flags =
            [flag(Field::Text, 10, 20), flag(Field::Text, 0, 4), flag(Field::Text, 15, 25), flag(Field::Title, 0, 3)];
        let refs: Vec<&Flag> = flags.iter().collect();
        assert_eq!(highlights(&refs, Field::Text), [0..4, 10..25]);
    }

    /// The terminal report of `text` as a model with indicator and warning weights and this decisive weight gives it.
    fn report_of(text: &str, decisive_weight: Option<f32>) -> String {
        report_with(text, Some(0.7), Some(-3.0), decisive_weight)
    }

    /// The terminal report of `text` as a model with these indicator, warning and decisive weights gives it.
    fn report_with(
        text: &str,
        indicator_weight: Option<f32>,
        warning_weight: Option<f32>,
        decisive_weight: Option<f32>,
    ) -> String {
        let record = Record::from_text(text);
        let catalogue = lurescan::explain::Catalogue::builtin();
        let flags = catalogue.scan(&record);
        let report = Report {
            origin: Origin { id: None, input: None, line: None },
            score: 0.9,
            label: Label::Lure,
            threshold: 0.5,
            score_without_decisive: decisive_weight.map(|_| 0.125),
            flags: flags.iter().map(|flag| DescribedFlag { flag, description: "" }).collect(),
            top_terms: Vec::new(),
            nearest_typology: None,
            nearest_benign: None,
            exemplar_margin: None,
            exemplar_weight: None,
            indicator_weight,
            warning_weight,
            decisive_weight,
            uncounted_categories: &[],
            contacts: Vec::new(),
            fields: Fields(&record),
        };
        render(&report, &record, Style::Plain)
    }

    #[test]
    fn a_decisive_sign_is_marked_and_its_weight_said_unless_the_record_reads_as_a_warning() {
        let mule = "Part-time job: rent your bank account to our company, 2000 a month.";
        let out = report_of(mule, Some(4.0));
        assert!(out.contains("money_mule_account [money_mule, decisive]"), "{out}");
        assert!(
            out.contains(
                "; a decisive sign adds +4.00 and always flags the record, at 0.90 at least (without it the score \
                 would be 0.125)"
            ),
            "{out}"
        );
        // Without a decisive weight the flag is shown, and nothing is said of a weight.
        let out = report_of(mule, None);
        assert!(
            out.contains("money_mule_account [money_mule, decisive]") && !out.contains("decisive sign adds"),
            "{out}"
        );
        // A model that counts no indicator at all (the fast one) says so.
        let out = report_with(mule, None, None, None);
        assert!(out.contains("; this model's score does not count them)"), "{out}");
        assert!(!report_of(mule, None).contains("does not count them"));
        // A police notice that quotes the offer adds the warning's weight only.
        let notice = "Police advisory: scammers offer a part-time job to rent your bank account. Report them.";
        let out = report_of(notice, Some(4.0));
        assert!(out.contains("it reads as a warning") && !out.contains("decisive sign adds"), "{out}");
    }

    #[test]
    fn evidence_is_bracketed_and_control_characters_escaped() {
        let text = "pay the fee\x1b[2J now\nline two";
        let fee = std::slice::from_ref(&(8..11));
        assert_eq!(highlighted(text, fee, Style::Plain, "  "), "  pay the [[fee]]\\u{1b}[2J now\n  line two\n");
        assert_eq!(
            highlighted(text, fee, Style::Ansi, ""),
            format!("pay the {EVIDENCE}fee{RESET}\\u{{1b}}[2J now\nline two\n")
        );
        // Windows and old Mac line ends are line ends, not escapes.
        assert_eq!(highlighted("housing.\r\nNo fee\rnow", &[], Style::Plain, "  "), "  housing.\n  No fee\n  now\n");
    }
}
