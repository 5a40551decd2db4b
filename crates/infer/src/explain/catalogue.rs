//! The indicator catalogue: named patterns from anti-trafficking practice, matched against a record's fields
//! with the evidence (field, text, byte offsets) of every hit.

use super::blanks::Spaced;
use super::CatalogueError;
use crate::deobfuscate::Deobfuscated;
use crate::han;
use crate::markup::Markup;
use crate::record::{Field, Record, RenderConfig};
use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

/// The catalogue shipped with the crate (`src/explain/indicators.toml`).
const BUILTIN_TOML: &str = include_str!("indicators.toml");

/// One hit of an indicator: which indicator, in which field, and where. `start..end` are byte offsets into that
/// field's text (as returned by [`Record::get`]), so `&text[start..end] == evidence`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Flag {
    /// The indicator's id in the catalogue (`upfront_fee`, `documents_withheld`, …).
    pub id: String,
    /// Its category: a record's score counts each distinct category once.
    pub category: String,
    /// The field the evidence is in (`text` for a message).
    pub field: Field,
    /// The words that matched, as written in the field.
    pub evidence: String,
    /// Byte offset of the evidence in the field's text (UTF-8, not characters).
    pub start: usize,
    /// Byte offset just past the evidence: `&text[start..end] == evidence`.
    pub end: usize,
}

/// One indicator as written in the TOML file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorSpec {
    id: String,
    category: String,
    description: String,
    source: String,
    #[serde(default)]
    fields: Vec<Field>,
    patterns: Vec<String>,
    #[serde(default)]
    unless: Vec<String>,
    #[serde(default)]
    requires: Vec<String>,
    #[serde(default)]
    unless_in_record: Vec<String>,
    #[serde(default)]
    decisive: bool,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogueSpec {
    #[serde(rename = "indicator")]
    indicators: Vec<IndicatorSpec>,
}

/// A compiled indicator. Its patterns are case-insensitive Unicode regexes; a match is dropped when one of the
/// `unless` patterns matches in the same sentence (false friends such as "we never charge fees"), and the
/// indicator fires at all only when, if it has `requires` patterns, one of them matches somewhere in the record
/// (context such as "abroad" for an otherwise ordinary offer of free board and lodging), and none of its
/// `unless_in_record` patterns does (a lure's "this is not a scam" for the warning indicator).
#[derive(Debug, Clone)]
pub struct Indicator {
    /// Stable identifier, snake_case (`upfront_fee`).
    pub id: String,
    /// The group the indicator belongs to (`fees`, `documents`, `contact`, …).
    pub category: String,
    /// One line for an analyst: what the indicator means.
    pub description: String,
    /// The public source it rests on.
    pub source: String,
    /// The fields it looks at; empty = every field.
    pub fields: Vec<Field>,
    /// Evidence enough on its own (`decisive = true` in the TOML): a step of a scam that no ordinary offer takes,
    /// such as renting out a bank account or paying a "tax" to withdraw task earnings. A model whose ensemble has a
    /// decisive weight ([`crate::EnsembleConfig::decisive`]) adds it to the log-odds of a record with such a flag.
    pub decisive: bool,
    /// Texts it must match (checked by the tests).
    pub examples: Vec<String>,
    /// Texts it must not match (checked by the tests).
    pub counter_examples: Vec<String>,
    patterns: Vec<Regex>,
    unless: Vec<Regex>,
    requires: Vec<Regex>,
    unless_in_record: Vec<Regex>,
    prefilter: Prefilter,
}

/// `patterns` compiled case-insensitively; with `diacritics_optional`, Vietnamese ones also read the language
/// written without its diacritics, or with some ([`super::vietnamese`]). `patterns` are compiled so. `requires`,
/// which run on every record, are compiled as written (with the classes, the scan of a posting took 16% longer): the
/// catalogue writes their Vietnamese words out plain as well. `unless` and `unless_in_record` are compiled as
/// written too, since a negation without its diacritics is another word ("dung" is "đừng", don't, and also the
/// "dụng" of "tuyển dụng", recruitment).
fn compile(
    id: &str,
    key: &'static str,
    patterns: &[String],
    diacritics_optional: bool,
) -> Result<Vec<Regex>, CatalogueError> {
    patterns
        .iter()
        .map(|p| {
            let p_read = match diacritics_optional {
                true => super::vietnamese::diacritics_optional(p),
                false => Cow::Borrowed(p.as_str()),
            };
            RegexBuilder::new(&p_read).case_insensitive(true).unicode(true).build().map_err(|e| {
                CatalogueError::Pattern { id: id.to_string(), key, pattern: p.clone(), message: e.to_string() }
            })
        })
        .collect()
}

/// Characters that end a sentence for the purpose of `unless`, in the scripts the catalogue covers.
fn is_sentence_end(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | ';' | '\n' | '。' | '！' | '？' | '；' | '។' | '៕' | '။' | '|' | '•')
}

/// The byte range of the sentence around `span` in `text`.
fn sentence_around(text: &str, span: &Range<usize>) -> Range<usize> {
    let start = text[..span.start]
        .rfind(is_sentence_end)
        .map(|i| i + text[i..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(0);
    let end = text[span.end..].find(is_sentence_end).map(|i| span.end + i).unwrap_or(text.len());
    start..end.max(span.end)
}

/// `pattern` without its word-boundary assertions (`\b`, `\B`, `\b{…}`, `\<`, `\>`): a pattern that matches
/// wherever the original matches, and more. Unicode word boundaries stop the regex crate's fast DFA on any
/// non-ASCII text; without them a set of every pattern runs as one DFA pass.
fn without_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    let mut class_depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push(c);
                    break;
                };
                let assertion = class_depth == 0 && matches!(next, 'b' | 'B' | '<' | '>');
                if assertion && next == 'b' && chars.peek() == Some(&'{') {
                    for skipped in chars.by_ref() {
                        if skipped == '}' {
                            break;
                        }
                    }
                } else if !assertion {
                    out.push(c);
                    out.push(next);
                }
            }
            '[' => {
                class_depth += 1;
                out.push(c);
                // A `]` right after `[` or `[^` is a literal, not the end of the class.
                if chars.peek() == Some(&'^') {
                    out.push(chars.next().expect("peeked"));
                }
                if chars.peek() == Some(&']') {
                    out.push(chars.next().expect("peeked"));
                }
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Cheap regexes that say where an indicator's patterns cannot match: its patterns without word boundaries (see
/// [`without_word_boundaries`]) in alternations that fit [`PREFILTER_BUDGET`], so they may say "maybe" where no
/// exact pattern matches, never "no" where one does. Most fields match no indicator, and these few `is_match` per
/// field and indicator then spare running every exact pattern. (A regex per pattern as well, tried before the exact
/// one, took 22 MB more to compile and saved no time measured on the pool's fields: issue 15's memory.)
#[derive(Debug, Clone)]
struct Prefilter {
    /// Each matches where one of its chunk of the indicator's patterns may.
    chunks: Vec<Regex>,
}

/// How much one prefilter regex may join: patterns weigh 1 each, and a bounded gap (`[^.!?]{0,60}?`,
/// `(\w+\s+){0,6}?`) one more per 40 repetitions it allows. One alternation of all fifteen of `withdrawal_held`'s
/// patterns outgrew the lazy DFA's cache, and the regex fell back to its slowest engine: 2.6 s over 619 validation
/// postings, against 10 ms as two alternations of at most eight (2026-12-05; every postings/s figure of the default
/// model halved until then). Eight patterns with gaps of up to 200 characters did it again (2.8 s): the weight of the
/// gaps is what grows the automaton.
const PREFILTER_BUDGET: usize = 8;

/// A pattern's weight against [`PREFILTER_BUDGET`]: 1, plus 1 per 40 repetitions of each bounded gap (`{m,n}`).
fn prefilter_weight(pattern: &str) -> usize {
    let mut weight = 1;
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let escaped = rest[..open].ends_with('\\');
        rest = &rest[open + 1..];
        let Some(close) = rest.find('}') else { break };
        let bound = rest[..close].rsplit(',').next().and_then(|n| n.trim().parse::<usize>().ok());
        if let (false, Some(n)) = (escaped, bound) {
            weight += n / 40;
        }
        rest = &rest[close + 1..];
    }
    weight
}

fn relaxed(id: &str, pattern: String) -> Result<Regex, CatalogueError> {
    RegexBuilder::new(&pattern).case_insensitive(true).unicode(true).size_limit(64 << 20).build().map_err(|e| {
        CatalogueError::Pattern {
            id: id.to_string(),
            key: "patterns",
            pattern,
            message: format!("without word boundaries: {e}"),
        }
    })
}

impl Prefilter {
    fn new(id: &str, patterns: &[Regex]) -> Result<Self, CatalogueError> {
        let relaxed_patterns =
            patterns.iter().map(|p| format!("(?:{})", without_word_boundaries(p.as_str()))).collect::<Vec<_>>();
        // Consecutive patterns, joined while their weights fit the budget (a heavy pattern stands alone).
        let mut groups: Vec<Vec<String>> = Vec::new();
        let mut load = PREFILTER_BUDGET;
        for pattern in relaxed_patterns {
            let weight = prefilter_weight(&pattern);
            match groups.last_mut() {
                Some(group) if load + weight <= PREFILTER_BUDGET => group.push(pattern),
                _ => {
                    groups.push(vec![pattern]);
                    load = 0;
                }
            }
            load += weight;
        }
        let chunks = groups.iter().map(|group| relaxed(id, group.join("|"))).collect::<Result<Vec<_>, _>>()?;
        Ok(Prefilter { chunks })
    }

    /// Whether one of the indicator's patterns may match in `text`.
    fn may_match(&self, text: &str) -> bool {
        self.chunks.iter().any(|chunk| chunk.is_match(text))
    }
}

impl Indicator {
    fn from_spec(spec: IndicatorSpec) -> Result<Self, CatalogueError> {
        let id = spec.id.trim().to_string();
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
            return Err(CatalogueError::Invalid {
                id: spec.id,
                message: "`id` must be non-empty snake_case (a-z, 0-9, _)".into(),
            });
        }
        for (key, value) in [("category", &spec.category), ("description", &spec.description), ("source", &spec.source)]
        {
            if value.trim().is_empty() {
                return Err(CatalogueError::Invalid { id, message: format!("`{key}` is empty") });
            }
        }
        if spec.patterns.is_empty() {
            return Err(CatalogueError::Invalid { id, message: "`patterns` is empty: give at least one regex".into() });
        }
        let patterns = compile(&id, "patterns", &spec.patterns, true)?;
        let unless = compile(&id, "unless", &spec.unless, false)?;
        let requires = compile(&id, "requires", &spec.requires, false)?;
        let unless_in_record = compile(&id, "unless_in_record", &spec.unless_in_record, false)?;
        let prefilter = Prefilter::new(&id, &patterns)?;
        for pattern in &patterns {
            if pattern.is_match("") {
                return Err(CatalogueError::Invalid {
                    id,
                    message: format!(
                        "pattern `{}` matches the empty string and would flag everything",
                        pattern.as_str()
                    ),
                });
            }
        }
        Ok(Indicator {
            id,
            category: spec.category.trim().to_string(),
            description: spec.description.trim().to_string(),
            source: spec.source.trim().to_string(),
            fields: spec.fields,
            decisive: spec.decisive,
            examples: spec.examples,
            counter_examples: spec.counter_examples,
            patterns,
            unless,
            requires,
            unless_in_record,
            prefilter,
        })
    }

    /// Whether this indicator looks at `field`.
    pub fn applies_to(&self, field: Field) -> bool {
        self.fields.is_empty() || self.fields.contains(&field)
    }

    /// The spans this indicator flags in a single text taken as a whole record (its `requires` and
    /// `unless_in_record` context is looked for in the same text). Field restrictions are ignored: this is how
    /// examples are checked.
    pub fn find(&self, text: &str) -> Vec<Range<usize>> {
        let folded = han::fold(text);
        let markup = Markup::new(&folded);
        let spaced = Spaced::new(markup.as_read());
        if !self.in_context(std::iter::once(spaced.as_str())) {
            return Vec::new();
        }
        self.spans(spaced.as_str())
            .into_iter()
            .map(|span| markup.span_as_written(spaced.span_as_written(span)))
            .collect()
    }

    /// Whether a record whose (folded) fields are `fields` lets this indicator fire: one of its `requires`
    /// patterns matches in some field (when it has any), and none of its `unless_in_record` patterns does.
    fn in_context<'t>(&self, fields: impl Iterator<Item = &'t str> + Clone) -> bool {
        let any = |patterns: &[Regex]| fields.clone().any(|text| patterns.iter().any(|p| p.is_match(text)));
        (self.requires.is_empty() || any(&self.requires))
            && (self.unless_in_record.is_empty() || !any(&self.unless_in_record))
    }

    /// Non-overlapping matches of any pattern, earliest first (longest first at the same start), minus those
    /// whose sentence holds an `unless` match.
    /// Non-overlapping matches of the patterns in `text`, each extended to the end of the ASCII word or number it
    /// stops inside (a pattern ending in `\d` or `@\w` shows "earn $150", not "earn $1"). `text` is folded
    /// ([`han::fold`]: Traditional Chinese read as Simplified, the script the Chinese patterns are written in, at the
    /// same byte offsets), so the spans point into the text as written too.
    fn spans(&self, text: &str) -> Vec<Range<usize>> {
        if !self.prefilter.may_match(text) {
            return Vec::new();
        }
        let mut hits: Vec<Range<usize>> = self
            .patterns
            .iter()
            .flat_map(|pattern| pattern.find_iter(text).map(|m| m.range()))
            .filter(|r| !r.is_empty())
            .map(|r| r.start..to_token_end(text, r.end))
            .collect();
        hits.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut kept: Vec<Range<usize>> = Vec::new();
        for hit in hits {
            if kept.last().is_some_and(|last| hit.start < last.end) {
                continue;
            }
            if !self.unless.is_empty() {
                let sentence = &text[sentence_around(text, &hit)];
                if self.unless.iter().any(|u| u.is_match(sentence)) {
                    continue;
                }
            }
            kept.push(hit);
        }
        kept
    }
}

/// A set of indicators. [`Catalogue::builtin`] is the one shipped with the crate; [`Catalogue::from_toml_str`]
/// reads another in the same format.
///
/// ```
/// use lurescan::explain::Catalogue;
/// use lurescan::{Field, Record};
///
/// let record = Record::from_text("Customer service job in Cambodia, free flight and visa. Contact us on Telegram @hr");
/// let flags = Catalogue::builtin().scan(&record);
/// assert!(flags.iter().any(|f| f.id == "messaging_app_contact" && f.field == Field::Text));
/// let text = record.get(Field::Text).unwrap();
/// for flag in &flags {
///     assert_eq!(&text[flag.start..flag.end], flag.evidence);
/// }
/// ```
/// The most pieces of evidence [`Catalogue::scan`] gives for one indicator in one field: a 2 MB record that repeats
/// a phrase would otherwise give tens of thousands of flags, one output row larger than a reader accepts. The
/// categories a record counts are the same (one piece of evidence is enough).
pub const MAX_EVIDENCE_PER_FIELD: usize = 20;

/// The category of the indicators that mark a record as a warning about these scams (a police, embassy, bank or
/// NGO notice that quotes their wording): such a record counts no indicator category in the score, and a model
/// whose ensemble has a warning weight ([`crate::EnsembleConfig::warning`]) adds that weight.
pub const WARNING_CATEGORY: &str = "warning";

/// What the score counts of a record's indicator flags ([`Catalogue::counted`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    /// Distinct categories counted (0 in a warning).
    pub categories: usize,
    /// Whether the record reads as a warning about these scams ([`WARNING_CATEGORY`]).
    pub warning: bool,
    /// Whether a counted flag is of a decisive indicator ([`Indicator::decisive`]; never in a warning).
    pub decisive: bool,
}

/// The entries compiled ([`Indicator::from_spec`]), in their order: every other one on a second thread, since
/// compiling the patterns is nearly all the work of reading a catalogue (about 0.6 s of one core for the built-in
/// one). Without a second thread, all on this one.
fn compile_in_pairs(entries: Vec<IndicatorSpec>) -> Vec<Result<Indicator, CatalogueError>> {
    let (even, odd): (Vec<_>, Vec<_>) = entries.into_iter().enumerate().partition(|(i, _)| i % 2 == 0);
    let compile = |entries: Vec<(usize, IndicatorSpec)>| -> Vec<_> {
        entries.into_iter().map(|(_, entry)| Indicator::from_spec(entry)).collect()
    };
    let odd_entries = std::sync::Mutex::new(Some(odd));
    let (even, odd) = std::thread::scope(|scope| {
        let helper = std::thread::Builder::new()
            .name("lurescan-catalogue-pair".into())
            .spawn_scoped(scope, || compile(odd_entries.lock().unwrap().take().unwrap_or_default()));
        let even = compile(even);
        let odd = match helper {
            Ok(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread: the odd entries were not taken, so compile them here.
            Err(_) => compile(odd_entries.lock().unwrap().take().unwrap_or_default()),
        };
        (even, odd)
    });
    let mut odd = odd.into_iter();
    even.into_iter().flat_map(|e| std::iter::once(e).chain(odd.next())).collect()
}

#[derive(Debug, Clone)]
pub struct Catalogue {
    indicators: Vec<Indicator>,
}

/// The thread [`Catalogue::prepare_builtin`] started, if any: dropping this waits for it.
#[must_use = "dropping the guard at once waits for the catalogue at once"]
pub struct PreparedCatalogue(Option<std::thread::JoinHandle<()>>);

impl Drop for PreparedCatalogue {
    fn drop(&mut self) {
        if let Some(thread) = self.0.take() {
            // A panic there (a broken built-in catalogue, which the tests rule out) resurfaces in `builtin`.
            let _ = thread.join();
        }
    }
}

/// [`Catalogue::prepare_builtin`] for any `cell` that `init` fills.
fn prepare(cell: &'static OnceLock<Catalogue>, init: fn() -> &'static Catalogue) -> PreparedCatalogue {
    if cell.get().is_some() {
        return PreparedCatalogue(None);
    }
    // A failed spawn leaves the work to the first call of `init`.
    let thread = std::thread::Builder::new().name("lurescan-catalogue".into()).spawn(move || {
        init();
    });
    PreparedCatalogue(thread.ok())
}

/// [`Catalogue::builtin`], once parsed.
static BUILTIN: OnceLock<Catalogue> = OnceLock::new();

impl Catalogue {
    /// The catalogue shipped with the crate, parsed once (waiting for [`Catalogue::prepare_builtin`]'s thread if
    /// that is parsing it).
    pub fn builtin() -> &'static Catalogue {
        BUILTIN.get_or_init(|| {
            Catalogue::from_toml_str(BUILTIN_TOML).expect("the built-in indicators.toml is checked by the tests")
        })
    }

    /// Starts parsing the built-in catalogue on a thread of its own, unless it is parsed already: compiling its
    /// patterns takes a few tenths of a second, which work done meanwhile on the caller's thread (loading a model)
    /// then hides. Dropping the returned guard waits for that thread, so that none outlives the caller's work: a
    /// process that forked while it ran (Python's `multiprocessing`, Spark's workers) would copy a catalogue half
    /// built and wait for it forever. Where no thread can be started, [`Catalogue::builtin`] parses it when first
    /// called, as it always may.
    pub fn prepare_builtin() -> PreparedCatalogue {
        prepare(&BUILTIN, Catalogue::builtin)
    }

    /// The source of the built-in catalogue, for users who want to start their own from it.
    pub fn builtin_toml() -> &'static str {
        BUILTIN_TOML
    }

    /// Reads a catalogue: a TOML file with one `[[indicator]]` table per indicator. Errors name the entry.
    pub fn from_toml_str(text: &str) -> Result<Self, CatalogueError> {
        let spec: CatalogueSpec = toml::from_str(text).map_err(|e| CatalogueError::Toml(e.to_string()))?;
        let mut indicators: Vec<Indicator> = Vec::with_capacity(spec.indicators.len());
        for indicator in compile_in_pairs(spec.indicators) {
            let indicator = indicator?;
            if indicators.iter().any(|i| i.id == indicator.id) {
                return Err(CatalogueError::Invalid { id: indicator.id, message: "defined twice".into() });
            }
            indicators.push(indicator);
        }
        Ok(Catalogue { indicators })
    }

    /// Every indicator, in file order.
    pub fn indicators(&self) -> &[Indicator] {
        &self.indicators
    }

    /// The indicator with this id.
    pub fn get(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }

    /// The distinct categories, in file order.
    pub fn categories(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for indicator in &self.indicators {
            if !out.contains(&indicator.category.as_str()) {
                out.push(&indicator.category);
            }
        }
        out
    }

    /// Every hit of every indicator in the record, ordered by field, then offset, then catalogue order. An
    /// indicator with `requires` context fires only when that context matches in some field of the record.
    /// Flags explain a record; the built-in catalogue's also count in the score of a model whose ensemble has an
    /// indicator weight ([`crate::EnsembleConfig::indicators`]: how many distinct categories fire).
    pub fn scan(&self, record: &Record) -> Vec<Flag> {
        self.scan_reading(record, true)
    }

    /// [`Catalogue::scan`], with the HTML of each field read away first (`markup`) or taken as text: a record whose
    /// markup was read before is not read twice, so that `&amp;#46;` stays `&#46;` as it does in the flags shown.
    fn scan_reading(&self, record: &Record, markup: bool) -> Vec<Flag> {
        // Traditional Chinese read as Simplified (at the same offsets), HTML as a browser shows it, blanks as the
        // patterns expect them.
        let folded: Vec<(Field, &str, Cow<str>)> =
            record.fields().map(|(field, text)| (field, text, han::fold(text))).collect();
        let read = |folded| if markup { Markup::new(folded) } else { Markup::as_written(folded) };
        let markup: Vec<Markup> = folded.iter().map(|(_, _, folded)| read(folded)).collect();
        let fields: Vec<(Field, &str, Spaced)> = folded
            .iter()
            .zip(&markup)
            .map(|((field, text, _), markup)| (*field, *text, Spaced::new(markup.as_read())))
            .collect();
        let mut flags = Vec::new();
        for indicator in &self.indicators {
            let mut hits: Vec<Flag> = Vec::new();
            for ((field, text, spaced), markup) in fields.iter().zip(&markup) {
                let (field, text) = (*field, *text);
                if !indicator.applies_to(field) {
                    continue;
                }
                for span in indicator.spans(spaced.as_str()).into_iter().take(MAX_EVIDENCE_PER_FIELD) {
                    let span = markup.span_as_written(spaced.span_as_written(span));
                    hits.push(Flag {
                        id: indicator.id.clone(),
                        category: indicator.category.clone(),
                        field,
                        evidence: text[span.clone()].to_string(),
                        start: span.start,
                        end: span.end,
                    });
                }
            }
            // The context is looked for only when there is something to flag: most records have no hits.
            if !hits.is_empty() && indicator.in_context(fields.iter().map(|(_, _, spaced)| spaced.as_str())) {
                flags.extend(hits);
            }
        }
        self.sort(&mut flags);
        flags
    }

    /// The flags of the record as a model that renders with `render` reads it ([`RenderConfig::prepared`]: with
    /// disguised spellings such as `Te1egram` or `W.h.a.t.s.A.p.p` read as plain words when
    /// [`RenderConfig::deobfuscate`] is on), pointing into the record as written: `field`, `start..end` and
    /// `evidence` are those of the text the user gave, a match that starts or ends inside a disguised word taking
    /// the whole word ([`Deobfuscated::span_as_written`]). These are the flags that the indicator term of such a
    /// model's ensemble counts ([`Catalogue::category_count`] of the prepared record); with `deobfuscate` off, or
    /// nothing disguised, they are [`Catalogue::scan`]'s.
    ///
    /// ```
    /// use lurescan::explain::Catalogue;
    /// use lurescan::{Field, Record, RenderConfig};
    ///
    /// let record = Record::from_text("Good pay. Contact our HR on Te1egram @hr_team");
    /// let catalogue = Catalogue::builtin();
    /// assert!(!catalogue.scan(&record).iter().any(|f| f.id == "messaging_app_contact"));
    /// let render = RenderConfig { deobfuscate: true, ..RenderConfig::default() };
    /// let flags = catalogue.scan_as_read(&record, &render);
    /// let flag = flags.iter().find(|f| f.id == "messaging_app_contact").unwrap();
    /// assert_eq!(flag.evidence, "Contact our HR on Te1egram");
    /// assert_eq!(&record.get(Field::Text).unwrap()[flag.start..flag.end], flag.evidence);
    /// ```
    pub fn scan_as_read(&self, record: &Record, render: &RenderConfig) -> Vec<Flag> {
        if !render.deobfuscate {
            return self.scan(record);
        }
        let changed: Vec<(Field, Deobfuscated)> = record
            .fields()
            .map(|(field, text)| (field, Deobfuscated::new(text)))
            .filter(|(_, text)| text.is_changed())
            .collect();
        if changed.is_empty() {
            return self.scan(record);
        }
        let mut read = record.clone();
        for (field, text) in &changed {
            read.set(*field, text.as_read());
        }
        let mut flags = self.scan(&read);
        for flag in &mut flags {
            if let Some((_, text)) = changed.iter().find(|(field, _)| *field == flag.field) {
                let span = text.span_as_written(flag.start..flag.end);
                flag.evidence = text.written()[span.clone()].to_string();
                (flag.start, flag.end) = (span.start, span.end);
            }
        }
        // Two flags that started inside one disguised word now start together.
        self.sort(&mut flags);
        flags
    }

    /// Orders flags by field, then offset, then catalogue order (stable: ties keep their order).
    fn sort(&self, flags: &mut [Flag]) {
        let order = |id: &str| self.indicators.iter().position(|i| i.id == id);
        flags.sort_by_key(|f| (f.field, f.start, order(&f.id)));
    }

    /// How many distinct categories the record's flags ([`Catalogue::scan`]) fall into: none in a record that
    /// reads as a warning ([`WARNING_CATEGORY`]).
    pub fn category_count(&self, record: &Record) -> usize {
        self.counted_categories(record, &[])
    }

    /// How many distinct categories the record's flags ([`Catalogue::scan`]) fall into, leaving out those in
    /// `uncounted`: what the indicator term of a model with [`crate::Settings::uncounted_indicator_categories`]
    /// counts. None in a record that reads as a warning ([`Catalogue::counted`]).
    pub fn counted_categories(&self, record: &Record, uncounted: &[String]) -> usize {
        self.counted(record, uncounted).categories
    }

    /// What the score counts of the record's flags ([`Catalogue::scan`]): whether one is of [`WARNING_CATEGORY`],
    /// how many distinct other categories, leaving out those in `uncounted`, the rest fall into, and whether one of
    /// those is of a decisive indicator (none in a warning: the lure wording a warning quotes is not evidence of a
    /// lure).
    ///
    /// ```
    /// use lurescan::explain::Catalogue;
    /// use lurescan::Record;
    ///
    /// let catalogue = Catalogue::builtin();
    /// let lure = Record::from_text("Customer service job in Cambodia, free flight and housing. Contact us on Telegram");
    /// let counted = catalogue.counted(&lure, &[]);
    /// assert!(!counted.warning && counted.categories >= 2 && !counted.decisive);
    /// let notice = Record::from_text("Police warning: 'customer service job in Cambodia, free flight' is a scam.");
    /// assert_eq!(catalogue.counted(&notice, &[]).categories, 0);
    /// assert!(catalogue.counted(&notice, &[]).warning);
    /// let mule = Record::from_text("Part-time job: rent your bank account to our company, RM2,000 a month.");
    /// assert!(catalogue.counted(&mule, &[]).decisive);
    /// ```
    pub fn counted(&self, record: &Record, uncounted: &[String]) -> Counted {
        self.count(self.scan(record), uncounted)
    }

    /// [`Catalogue::counted`] of the record as a model that renders with `render` reads it
    /// ([`RenderConfig::prepared`]): what the indicator term of that model's ensemble counts. Its HTML is read once,
    /// by the model's reading when [`RenderConfig::markup`] is on, else by the catalogue's.
    ///
    /// ```
    /// use lurescan::explain::Catalogue;
    /// use lurescan::{Record, RenderConfig};
    ///
    /// let catalogue = Catalogue::builtin();
    /// let render = RenderConfig { markup: true, ..RenderConfig::default() };
    /// let once = Record::from_text("Free housing and food. Contact HR on t&#46;me/hr_team");
    /// let twice = Record::from_text("Free housing and food. Contact HR on t&amp;#46;me/hr_team");
    /// assert_eq!(catalogue.counted_as_read(&once, &render, &[]), catalogue.counted(&once, &[]));
    /// assert_eq!(catalogue.counted_as_read(&twice, &render, &[]), catalogue.counted(&twice, &[]));
    /// ```
    pub fn counted_as_read(&self, record: &Record, render: &RenderConfig, uncounted: &[String]) -> Counted {
        let prepared = render.prepared(record);
        self.count(self.scan_reading(&prepared, !render.markup), uncounted)
    }

    fn count(&self, flags: Vec<Flag>, uncounted: &[String]) -> Counted {
        let mut seen: Vec<String> = Vec::new();
        let (mut warning, mut decisive) = (false, false);
        for flag in flags {
            if flag.category == WARNING_CATEGORY {
                warning = true;
            } else if !uncounted.contains(&flag.category) {
                decisive |= self.is_decisive(&flag, uncounted);
                if !seen.contains(&flag.category) {
                    seen.push(flag.category);
                }
            }
        }
        match warning {
            true => Counted { categories: 0, warning, decisive: false },
            false => Counted { categories: seen.len(), warning, decisive },
        }
    }

    /// Whether `flag` is of a decisive indicator ([`Indicator::decisive`]) in a category the score counts (not in
    /// `uncounted`): what sets [`Counted::decisive`] outside a warning.
    pub fn is_decisive(&self, flag: &Flag, uncounted: &[String]) -> bool {
        !uncounted.contains(&flag.category) && self.get(&flag.id).is_some_and(|indicator| indicator.decisive)
    }

    /// [`Catalogue::scan`] on a single text taken as a message ([`Field::Text`]).
    pub fn scan_text(&self, text: &str) -> Vec<Flag> {
        self.scan(&Record::from_text(text))
    }
}

/// `end`, moved to the end of the number, amount, handle or link the match stopped inside: after a digit, over digits
/// and single separators between digit groups ("+855 12 345 678", "$1,500", "0912-345-678"); after a letter, `_` or
/// `/`, over letters, digits, `_` and single `.` or `-` inside the name ("@hr.team", "t.me/hr_team"); after an `@`, over
/// the handle that follows it. Only ASCII: in Chinese or Thai, where words are not separated, a run of letters can be a
/// whole sentence.
fn to_token_end(text: &str, end: usize) -> usize {
    let bytes = text.as_bytes();
    let Some(&last) = end.checked_sub(1).and_then(|i| bytes.get(i)) else { return end };
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let (part, separator): (&dyn Fn(u8) -> bool, &[u8]) = if last.is_ascii_digit() {
        (&|b: u8| b.is_ascii_digit(), b" -.,")
    } else if word(last) || last == b'/' || (last == b'@' && bytes.get(end).is_some_and(|&next| word(next))) {
        (&word, b".-")
    } else {
        return end;
    };
    let mut end = end;
    loop {
        match bytes.get(end) {
            Some(&b) if part(b) => end += 1,
            Some(&b) if separator.contains(&b) && bytes.get(end + 1).is_some_and(|&next| part(next)) => end += 2,
            _ => return end,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Dropping the guard waits for the catalogue: it is parsed when the guard is gone (parsing takes tenths of a
    /// second, so without the wait it would not be yet). A cell of its own: another test may have parsed the
    /// built-in one already.
    #[test]
    fn dropping_the_guard_waits_for_the_catalogue() {
        static CELL: OnceLock<Catalogue> = OnceLock::new();
        fn init() -> &'static Catalogue {
            CELL.get_or_init(|| Catalogue::from_toml_str(BUILTIN_TOML).unwrap())
        }
        let guard = prepare(&CELL, init);
        assert!(guard.0.is_some(), "a thread was started");
        drop(guard);
        assert!(CELL.get().is_some(), "parsed once the guard is dropped");
        assert!(prepare(&CELL, init).0.is_none(), "no thread for a parsed catalogue");
    }

    #[test]
    fn evidence_of_an_amount_quotes_the_whole_amount() {
        // A span that stops inside a number is carried to its end; one that stops at a currency sign before it
        // (the Tagalog pattern's `₱`) used to quote "Kumita ng ₱" without the amount.
        let pitch = Catalogue::builtin().get("earnings_pitch").unwrap();
        for (text, quoted) in [
            ("Kumita ng ₱800 kada araw sa bahay", "Kumita ng ₱800"),
            ("Kumita ng PHP 1,500 bawat task", "Kumita ng PHP 1,500"),
            ("Kumita ng pera online", "Kumita ng pera"),
            ("You can earn $1,500.50 a week.", "earn $1,500.50"),
        ] {
            let found: Vec<&str> = pitch.find(text).into_iter().map(|span| &text[span]).collect();
            assert_eq!(found, [quoted], "{text}");
        }
    }

    #[test]
    fn evidence_that_stops_at_an_at_sign_quotes_the_handle() {
        let contact = Catalogue::builtin().get("messaging_app_contact").unwrap();
        let text = "Then write to Telegram @hr for the details.";
        let found: Vec<&str> = contact.find(text).into_iter().map(|span| &text[span]).collect();
        assert_eq!(found, ["Telegram @hr"]);
    }

    #[test]
    fn what_the_score_counts_reads_markup_once() {
        // A doubly encoded dot reads as `&#46;` in the flags shown; counting the prepared record (whose markup
        // was read already) with the catalogue's own reading would read it twice, as a link.
        let catalogue = Catalogue::builtin();
        let render = RenderConfig { markup: true, ..RenderConfig::default() };
        let record = Record::from_text("Free housing and food for every worker. Apply at t&amp;#46;me/hr_team");
        let read_twice = catalogue.counted(&render.prepared(&record), &[]);
        assert_ne!(read_twice, catalogue.counted(&record, &[]), "the example no longer tells the readings apart");
        assert_eq!(catalogue.counted_as_read(&record, &render, &[]), catalogue.counted(&record, &[]));
        // With the model's reading off, the catalogue's is the one reading.
        let plain = RenderConfig::default();
        assert_eq!(catalogue.counted_as_read(&record, &plain, &[]), catalogue.counted(&record, &[]));
    }

    #[test]
    fn word_boundaries_are_removed_outside_classes_only() {
        assert_eq!(without_word_boundaries(r"\b(fee|deposit)s?\b"), "(fee|deposit)s?");
        assert_eq!(without_word_boundaries(r"\bx\b{start}y\B\<z\>"), "xyz");
        assert_eq!(without_word_boundaries(r"[\b\]]\\b\d"), r"[\b\]]\\b\d");
        assert_eq!(without_word_boundaries(r"[]b]\b[^]]\b"), "[]b][^]]");
    }

    #[test]
    fn a_long_gap_weighs_more_in_the_prefilter_and_a_heavy_pattern_stands_alone() {
        assert_eq!(prefilter_weight(r"\b(fee|deposit)s?\b"), 1);
        assert_eq!(prefilter_weight(r"withdraw[^.!?]{0,60}?tax"), 2);
        assert_eq!(prefilter_weight(r"a[^\n]{0,160}?b(\w+\s+){0,6}?c{3}"), 5);
        assert_eq!(prefilter_weight(r"\{0,400\}"), 1, "escaped braces are text");
        let light: Vec<Regex> = (0..10).map(|i| Regex::new(&format!("word{i}")).unwrap()).collect();
        assert_eq!(Prefilter::new("x", &light).unwrap().chunks.len(), 2, "eight light patterns to a regex");
        let heavy = [Regex::new(r"a[^\n]{0,400}b").unwrap(), Regex::new("c").unwrap(), Regex::new("d").unwrap()];
        let chunks = Prefilter::new("x", &heavy).unwrap().chunks;
        assert_eq!(chunks.len(), 2, "{chunks:?}");
        assert!(chunks[1].is_match("c") && chunks[1].is_match("d"));
    }

    #[test]
    fn the_prefilter_never_misses_a_pattern_that_matches() {
        for indicator in Catalogue::builtin().indicators() {
            for text in indicator.examples.iter().chain(&indicator.counter_examples) {
                for pattern in &indicator.patterns {
                    if pattern.is_match(text) {
                        assert!(
                            indicator.prefilter.may_match(text),
                            "{}: {pattern} matches {text:?}, its prefilter does not",
                            indicator.id
                        );
                    }
                }
            }
        }
    }
}
