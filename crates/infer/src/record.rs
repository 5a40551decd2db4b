//! One record type for job postings and short messages, and the one function that renders it into model input.
//!
//! Scoring and training both call [`render`], so a model always sees records the way it was trained on them.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

/// A text field a record may carry. The declaration order is the rendering order: short identifying fields
/// first, so that truncation to the model's maximum length cuts the long free-text fields, not the title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Title,
    Location,
    Department,
    SalaryRange,
    EmploymentType,
    Industry,
    Function,
    CompanyProfile,
    Description,
    Requirements,
    Benefits,
    /// A message, or any text that is not split into posting fields.
    Text,
}

impl Field {
    /// Every field, in rendering order.
    pub const ALL: [Field; 12] = [
        Field::Title,
        Field::Location,
        Field::Department,
        Field::SalaryRange,
        Field::EmploymentType,
        Field::Industry,
        Field::Function,
        Field::CompanyProfile,
        Field::Description,
        Field::Requirements,
        Field::Benefits,
        Field::Text,
    ];

    /// The key of this field in JSON objects and CSV headers.
    pub fn name(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Location => "location",
            Field::Department => "department",
            Field::SalaryRange => "salary_range",
            Field::EmploymentType => "employment_type",
            Field::Industry => "industry",
            Field::Function => "function",
            Field::CompanyProfile => "company_profile",
            Field::Description => "description",
            Field::Requirements => "requirements",
            Field::Benefits => "benefits",
            Field::Text => "text",
        }
    }

    /// The special token that opens this field in the rendered input.
    pub fn marker(self) -> &'static str {
        match self {
            Field::Title => "[TITLE]",
            Field::Location => "[LOCATION]",
            Field::Department => "[DEPARTMENT]",
            Field::SalaryRange => "[SALARY]",
            Field::EmploymentType => "[EMPLOYMENT]",
            Field::Industry => "[INDUSTRY]",
            Field::Function => "[FUNCTION]",
            Field::CompanyProfile => "[COMPANY]",
            Field::Description => "[DESCRIPTION]",
            Field::Requirements => "[REQUIREMENTS]",
            Field::Benefits => "[BENEFITS]",
            Field::Text => "[TEXT]",
        }
    }

    /// Whether the field says where a job is, what it pays or what kind of job it is (`location`, `salary_range`,
    /// `department`, `employment_type`, `industry`, `function`), rather than what it offers: a record with text in
    /// these alone has nothing to judge (a place scored alone scores the place).
    pub fn is_context(self) -> bool {
        matches!(
            self,
            Field::Location
                | Field::Department
                | Field::SalaryRange
                | Field::EmploymentType
                | Field::Industry
                | Field::Function
        )
    }

    /// The field for a JSON key or CSV header, ignoring ASCII case and surrounding blanks.
    pub fn from_name(name: &str) -> Option<Field> {
        let name = name.trim();
        Field::ALL.into_iter().find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// The field that a key or column named `name`, which is not one ([`Field::from_name`]), most likely holds: the
    /// names scrapers and exports give them (`body`, `msg`, `Job Title`, `salary`), for the notes that name what is
    /// not read.
    pub fn likely(name: &str) -> Option<Field> {
        let name = name.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        Some(match name.as_str() {
            "body" | "content" | "message" | "msg" | "txt" | "sms" | "sms_text" | "post" | "caption"
            | "message_text" | "message_body" | "full_text" => Field::Text,
            "job_title" | "position" | "role" | "vacancy" | "headline" | "subject" => Field::Title,
            "job_description" | "desc" | "details" | "job_details" | "summary" => Field::Description,
            "company" | "company_description" | "about" | "about_company" | "employer" => Field::CompanyProfile,
            "salary" | "pay" | "wage" => Field::SalaryRange,
            "city" | "country" | "place" | "job_location" => Field::Location,
            "qualifications" | "skills" => Field::Requirements,
            _ => return None,
        })
    }
}

/// Keys and columns a record may hold besides its fields, which lurescan reads for other purposes or which plainly
/// hold no text to score: no note names them as not read.
pub const OTHER_KNOWN_KEYS: [&str; 10] =
    ["id", "label", "source", "kind", "split", "group", "lang", "url", "date", "fraudulent"];

/// Whether a note should name the key or column `name` as not read: it is not a field, not one of
/// [`OTHER_KNOWN_KEYS`], and not blank.
pub fn is_key_not_read(name: &str) -> bool {
    let name = name.trim();
    !name.is_empty()
        && Field::from_name(name).is_none()
        && !OTHER_KNOWN_KEYS.iter().any(|k| k.eq_ignore_ascii_case(name))
}

/// How a note names a key or column that is not read: in backticks (cut to 40 characters, escaped), with the field to
/// rename it to when [`Field::likely`] knows one.
///
/// ```
/// assert_eq!(lurescan::record::key_not_read("msg"), "`msg` (rename it `text` to read it)");
/// assert_eq!(lurescan::record::key_not_read("views"), "`views`");
/// ```
pub fn key_not_read(name: &str) -> String {
    let shown: String = name.trim().chars().take(40).flat_map(char::escape_debug).collect();
    let cut = if name.trim().chars().count() > 40 { "…" } else { "" };
    match Field::likely(name) {
        Some(field) => format!("`{shown}{cut}` (rename it `{field}` to read it)"),
        None => format!("`{shown}{cut}`"),
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A posting or a message: an optional id and whichever text fields it has. Blank fields count as absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    pub id: Option<String>,
    fields: Vec<(Field, String)>,
}

/// Why a record could not be read or scored. Scoring reports it for that record and goes on with the rest.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("broken JSON: {0}")]
    BrokenJson(String),
    #[error("invalid UTF-8: {0}")]
    InvalidUtf8(String),
    #[error("expected a JSON object with `text` or posting fields, found {0}")]
    NotAnObject(&'static str),
    #[error("field `{field}` must be a string, found {found}")]
    FieldType { field: &'static str, found: &'static str },
    /// An `id` that is an object, an array or a boolean: it cannot come back as the record's id, and replacing it
    /// would pass another id off as the input's.
    #[error("`id` must be a string or a number, found {0}: give the record a string id (or none)")]
    IdType(&'static str),
    #[error("broken CSV row: {0}")]
    BrokenCsv(String),
    #[error("the line is longer than {0} bytes, the most lurescan reads as one record: split it into records or cut its text")]
    TooLong(usize),
    /// A CSV record over the limit whose quotes all close: it is skipped, and the records after it are read.
    #[error("the CSV record that starts here is longer than {0} bytes, the most lurescan reads as one record: it is skipped (the records after it are read); split it into records or cut its text")]
    CsvTooLong(usize),
    #[error("no text: the record has no `text` and no posting field ({}), or they are empty", known_fields())]
    NoText,
    /// A record with no text in `text` or a posting field, and keys that are not read ([`is_key_not_read`]): a
    /// misnamed key (`txt`, `Job Title`) more likely than an empty record. Holds those keys as a note names them,
    /// and whether some key was a field (empty).
    #[error("no text: {}; not read: {keys}", if *.empty_fields { "its `text` and posting fields are empty" } else { "none of the record's keys is `text` or a posting field" })]
    NoKnownKey { keys: String, empty_fields: bool },
    /// A record whose only text is in fields that say where a job is or what it pays ([`Field::is_context`]): there
    /// is nothing to judge, and scored it would be scored on its place alone. Most often the text is in keys that are
    /// not read (`Job Title` and `Job Description` columns beside `Location`). Holds the fields read, and the keys not
    /// read that hold words as a note names them (empty when there are none).
    #[error("only {read} read, which says where the job is or what it pays, not what it offers: nothing to score; {}", if .keys.is_empty() { "give the record a `title`, `description` or `text`".to_string() } else { format!("not read: {}", .keys) })]
    OnlyContext { read: String, keys: String },
    /// The model's output for this record was NaN or infinite: never a score, never silent.
    #[error("the model gave no finite score for this record (NaN or infinity): the model is broken (overflowing weights?); retrain it, e.g. with a lower --lr")]
    NonFiniteScore,
}

/// The posting fields, for the message of [`RecordError::NoText`] (which names `text` on its own).
fn known_fields() -> String {
    Field::ALL.iter().filter(|&&f| f != Field::Text).map(|f| f.name()).collect::<Vec<_>>().join(", ")
}

/// How an error message names the kind of a JSON value ("a number", "an array", …).
pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Record {
    /// A record that is a single message or text.
    pub fn from_text(text: impl Into<String>) -> Self {
        Record::default().with(Field::Text, text)
    }

    /// This record with `field` set to `value` (replacing an earlier value; a blank value removes the field).
    pub fn with(mut self, field: Field, value: impl Into<String>) -> Self {
        self.set(field, value);
        self
    }

    /// Sets `field` to `value`; a blank value removes the field.
    pub fn set(&mut self, field: Field, value: impl Into<String>) {
        let value = value.into();
        self.fields.retain(|(f, _)| *f != field);
        if !value.trim().is_empty() {
            let at = self.fields.partition_point(|(f, _)| *f < field);
            self.fields.insert(at, (field, value));
        }
    }

    /// This record with every field's text passed through `read`; borrowed when `read` changes none.
    pub(crate) fn read_with<'a>(&'a self, read: impl Fn(&'a str) -> Cow<'a, str>) -> Cow<'a, Record> {
        let changed: Vec<(Field, String)> = self
            .fields()
            .filter_map(|(field, value)| match read(value) {
                Cow::Owned(read) => Some((field, read)),
                Cow::Borrowed(_) => None,
            })
            .collect();
        if changed.is_empty() {
            return Cow::Borrowed(self);
        }
        let mut read = self.clone();
        for (field, value) in changed {
            read.set(field, value);
        }
        Cow::Owned(read)
    }

    /// This record with an id.
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// The value of `field`, if present.
    pub fn get(&self, field: Field) -> Option<&str> {
        self.fields.iter().find(|(f, _)| *f == field).map(|(_, v)| v.as_str())
    }

    /// The present fields in rendering order.
    pub fn fields(&self) -> impl Iterator<Item = (Field, &str)> {
        self.fields.iter().map(|(f, v)| (*f, v.as_str()))
    }

    /// True when no field has any text.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Why the record cannot be scored, if it cannot: [`RecordError::NoText`] with no text at all,
    /// [`RecordError::OnlyContext`] when its only fields say where the job is or what it pays ([`Field::is_context`]):
    /// scored, a place alone would decide the score. [`crate::Classifier`] checks this for every record, however it
    /// was built; [`Record::from_json_object`] also names the keys it did not read.
    ///
    /// ```
    /// use lurescan::{Field, Record, RecordError};
    /// assert!(Record::from_text("Hiring cooks").unscorable().is_none());
    /// let place = Record::default().with(Field::Location, "Bangkok");
    /// assert!(matches!(place.unscorable(), Some(RecordError::OnlyContext { .. })));
    /// assert!(matches!(Record::default().unscorable(), Some(RecordError::NoText)));
    /// ```
    pub fn unscorable(&self) -> Option<RecordError> {
        if self.is_empty() {
            return Some(RecordError::NoText);
        }
        if !self.fields().all(|(field, _)| field.is_context()) {
            return None;
        }
        let read: Vec<String> = self.fields().map(|(field, _)| format!("`{field}`")).collect();
        Some(RecordError::OnlyContext { read: read.join(", "), keys: String::new() })
    }

    /// True for a message: the record's only field is `text` (not a posting with fields).
    pub fn is_message(&self) -> bool {
        !self.fields.is_empty() && self.fields.iter().all(|(f, _)| *f == Field::Text)
    }

    /// Reads a record from a JSON object: its id ([`record_id`]: a string or a number; another kind is
    /// [`RecordError::IdType`]), `text`, posting fields. Unknown keys are ignored; `null` counts as absent; numbers
    /// and booleans are taken as their text. Keys that name one field in different cases (`Description` and
    /// `description`, two CSV columns say) are all read: their values are joined, one a line. An object with no text
    /// in a field and a key that is not read is [`RecordError::NoKnownKey`] (`{"msg": "…"}`, or a CSV row whose
    /// `description` is empty beside a `Job Title`); one with no keys but its id (and the others lurescan knows,
    /// [`OTHER_KNOWN_KEYS`]) is read as an empty record. One whose only text is in fields that say where the job is
    /// or what it pays ([`Field::is_context`]) is [`RecordError::OnlyContext`].
    pub fn from_json_object(object: &Map<String, Value>) -> Result<Self, RecordError> {
        let mut record = Record { id: record_id(object)?, ..Record::default() };
        for (key, value) in object {
            let Some(field) = Field::from_name(key) else { continue };
            let text = match value {
                Value::Null => continue,
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                other => return Err(RecordError::FieldType { field: field.name(), found: json_kind(other) }),
            };
            match record.get(field) {
                Some(first) if !text.trim().is_empty() => {
                    let joined = format!("{first}\n{text}");
                    record.set(field, joined)
                }
                Some(_) => {}
                None => record.set(field, text),
            }
        }
        let context_only = !record.is_empty() && record.fields().all(|(field, _)| field.is_context());
        if record.is_empty() || context_only {
            // Keys whose values have text first: `Job Title` holding "Cook" is the likelier mistake than `url`.
            let has_text = |key: &&String| object[*key].as_str().is_some_and(|v| !v.trim().is_empty());
            // A key whose value is absent (null: pandas' NaN from Python) holds nothing that could have been read.
            let mut not_read: Vec<&String> =
                object.keys().filter(|key| is_key_not_read(key) && !object[*key].is_null()).collect();
            not_read.sort_by_key(|key| !has_text(key));
            if context_only {
                // The keys to name: those that name a field (`Job Title`) or hold words, not a `url`, an empty
                // `notes` or a `Post ID`.
                let words =
                    |key: &&String| object[*key].as_str().is_some_and(|v| v.split_whitespace().nth(2).is_some());
                let names_a_field = |key: &&String| Field::likely(key).is_some_and(|field| !field.is_context());
                not_read.retain(|key| has_text(key) && (names_a_field(key) || words(key)));
                let read: Vec<String> = record.fields().map(|(field, _)| format!("`{field}`")).collect();
                return Err(RecordError::OnlyContext { read: read.join(", "), keys: keys_not_read(&not_read) });
            }
            if !not_read.is_empty() {
                let empty_fields = object.keys().any(|key| Field::from_name(key).is_some());
                return Err(RecordError::NoKnownKey { keys: keys_not_read(&not_read), empty_fields });
            }
        }
        Ok(record)
    }
}

/// How a record's error names the keys not read: the first five as [`key_not_read`] names them, then how many more.
fn keys_not_read(keys: &[&String]) -> String {
    let named: Vec<String> = keys.iter().take(5).map(|key| key_not_read(key)).collect();
    match keys.len().saturating_sub(5) {
        0 => named.join(", "),
        more => format!("{} and {more} more", named.join(", ")),
    }
}

/// The one id rule, for every reader and the service: a record's id is its `id` member, matched ignoring ASCII
/// case and blanks around the key like the field names (the key `id` itself first), when it is a string (exactly
/// as written, `""` too: replacing it would pass a number off as the input's id) or a number (its text); `null` or
/// none at all is no id, and an object, an array or a boolean is [`RecordError::IdType`]. (A CSV id cell that is
/// empty or blank is no id: the CSV reader makes it `null`.)
pub fn record_id(object: &Map<String, Value>) -> Result<Option<String>, RecordError> {
    match id_entry(object).map(|(_, value)| value) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(RecordError::IdType(json_kind(other))),
    }
}

/// The key and value of a record's `id`: the key `id`, else the first that is `id` ignoring ASCII case and blanks.
pub fn id_entry(object: &Map<String, Value>) -> Option<(&String, &Value)> {
    object.get_key_value("id").or_else(|| object.iter().find(|(key, _)| key.trim().eq_ignore_ascii_case("id")))
}

/// How records are rendered into model input; stored in a model folder's `lurescan.json` so that scoring renders
/// exactly as training did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RenderConfig {
    /// Each field is cut to at most this many characters (at a character boundary) before the fields are joined,
    /// so that one long description cannot push every other field past the model's maximum length.
    pub max_chars_per_field: usize,
    /// Whether to open each field with its marker token (`[TITLE]`, `[DESCRIPTION]`, …).
    pub field_markers: bool,
    /// Whether to undo the disguises of filter-evading spam in each word first (`h0me`, `5OO`, `W.o.r.k`, Cyrillic
    /// look-alikes: `deobfuscate`), so that a disguised lure reads as the words the model learned. Off
    /// unless `lurescan.json` turns it on, so that a folder written before it existed scores as it always did.
    pub deobfuscate: bool,
    /// Whether to read Traditional Chinese as Simplified (`做任務` as `做任务`: the pool's Chinese, the Chinese
    /// indicator patterns and exemplars are Simplified), so that a lure aimed at Taiwan or Hong Kong reads as the
    /// words the model learned. The indicator catalogue always matches this way; the model's members do when
    /// `lurescan.json` turns this on (off otherwise, so that a folder written before it existed scores as it did).
    pub fold_traditional: bool,
    /// Whether to read HTML left in scraped text as a browser shows it (`Free housing.<br>Contact t&#46;me/hr` as
    /// `Free housing.⏎Contact t.me/hr`: [`crate::markup`]) before the other readings, so that the models read the
    /// words of the post rather than its tags and character references. The indicator catalogue and the contact
    /// scanner always read it so; the model's members do when `lurescan.json` turns this on (off otherwise, so that a
    /// folder written before it existed scores as it did). Written to `lurescan.json` only when on, so that the
    /// settings of a folder without it, and the exemplar cache keyed by them, stay as they were.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub markup: bool,
}

impl Default for RenderConfig {
    fn default() -> Self {
        RenderConfig {
            max_chars_per_field: 1000,
            field_markers: true,
            deobfuscate: false,
            fold_traditional: false,
            markup: false,
        }
    }
}

impl RenderConfig {
    /// `record` as the members that read it field by field see it (the lexical member, the indicator count of an
    /// ensemble): each field as [`RenderConfig::read`] reads it; borrowed when that changes nothing.
    pub fn prepared<'a>(&self, record: &'a Record) -> Cow<'a, Record> {
        record.read_with(|text| self.read(text))
    }

    /// One field's text as the model reads it: its HTML read away when [`RenderConfig::markup`] is on, then
    /// deobfuscated when [`RenderConfig::deobfuscate`] is on, Traditional Chinese as Simplified when
    /// [`RenderConfig::fold_traditional`] is on; else as written.
    pub fn read<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let text = if self.markup { crate::markup::strip(text) } else { Cow::Borrowed(text) };
        let text = match (self.deobfuscate, text) {
            (false, text) => text,
            (true, Cow::Borrowed(text)) => crate::deobfuscate::deobfuscate(text),
            (true, Cow::Owned(text)) => Cow::Owned(crate::deobfuscate::deobfuscate(&text).into_owned()),
        };
        if !self.fold_traditional {
            return text;
        }
        match text {
            Cow::Borrowed(text) => crate::han::fold(text),
            Cow::Owned(text) => Cow::Owned(crate::han::fold(&text).into_owned()),
        }
    }
}

/// The marker tokens a tokenizer must know as special tokens, in field order.
pub fn marker_tokens() -> Vec<&'static str> {
    Field::ALL.iter().map(|f| f.marker()).collect()
}

/// Renders a record into the single string the tokenizer sees: present fields in [`Field`] order, each opened by
/// its marker, blanks folded, each cut to `max_chars_per_field` characters (after [`RenderConfig::read`] reads
/// it: deobfuscated, Traditional Chinese as Simplified, when the config asks for it). Absent fields are left out.
pub fn render(record: &Record, config: &RenderConfig) -> String {
    let mut out = String::new();
    for (field, value) in record.fields() {
        let value = config.read(value);
        if !out.is_empty() {
            out.push(' ');
        }
        if config.field_markers {
            out.push_str(field.marker());
            out.push(' ');
        }
        let mut chars = 0;
        for word in value.split_whitespace() {
            if chars >= config.max_chars_per_field {
                break;
            }
            if chars > 0 {
                out.push(' ');
                chars += 1;
            }
            let take = config.max_chars_per_field.saturating_sub(chars);
            let cut: String = word.chars().take(take).collect();
            chars += cut.chars().count();
            out.push_str(&cut);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_read_beside_a_title_not_read_is_no_record_to_score() {
        let read = |json: &str| Record::from_json_object(&serde_json::from_str(json).unwrap());
        let error = read(r#"{"Job Title": "Receptionist", "Job Description": "Front desk of our hotel", "Location": "Bangkok", "Post ID": 7}"#)
            .unwrap_err();
        assert!(matches!(error, RecordError::OnlyContext { .. }), "{error:?}");
        let message = error.to_string();
        assert!(message.starts_with("only `location` read"), "{message}");
        assert!(message.contains("`Job Title` (rename it `title` to read it)"), "{message}");
        assert!(message.contains("`Job Description` (rename it `description` to read it)"), "{message}");
        assert!(!message.contains("Post ID"), "a number is no text that was meant to be read: {message}");
        let error = read(r#"{"Job Title": "Cook", "location": "Bangkok", "Post ID": "P-7"}"#).unwrap_err().to_string();
        assert!(error.contains("`Job Title`") && !error.contains("Post ID"), "{error}");
        // A column of words that names no field is named too.
        let error = read(r#"{"location": "Bangkok", "ad": "Cook wanted, night shift"}"#).unwrap_err().to_string();
        assert!(error.ends_with("not read: `ad`"), "{error}");
        // With a field that says what the job is, the record is read.
        assert!(read(r#"{"Job Title": "Receptionist", "location": "Bangkok", "description": "Front desk"}"#).is_ok());
        // A place and a salary alone are nothing to score, whatever keys are beside them.
        let alone = read(r#"{"location": "Bangkok", "salary_range": "THB 15,000", "url": "https://example.org/1"}"#);
        let message = alone.unwrap_err().to_string();
        assert!(message.starts_with("only `location`, `salary_range` read"), "{message}");
        assert!(message.ends_with("give the record a `title`, `description` or `text`"), "{message}");
    }

    #[test]
    fn an_object_whose_only_keys_are_not_read_names_them() {
        let read = |json: &str| Record::from_json_object(&serde_json::from_str(json).unwrap());
        match read(r#"{"id": 1, "views": 3, "msg": "Earn 500 a day", "url": "u"}"#) {
            Err(RecordError::NoKnownKey { keys, empty_fields: false }) => {
                assert_eq!(keys, "`msg` (rename it `text` to read it), `views`", "keys with text first")
            }
            other => panic!("{other:?}"),
        }
        // A field that is there but empty, beside a key that holds the text.
        let error = read(r#"{"id": "k1", "Job Title": "Cook", "Description": ""}"#).unwrap_err().to_string();
        assert_eq!(
            error,
            "no text: its `text` and posting fields are empty; not read: `Job Title` (rename it `title` to read it)"
        );
        let many: Map<String, Value> = (0..8).map(|i| (format!("k{i}"), Value::from("x"))).collect();
        let error = Record::from_json_object(&many).unwrap_err().to_string();
        assert!(error.ends_with("`k0`, `k1`, `k2`, `k3`, `k4` and 3 more"), "{error}");
        // An empty field, an id alone, or keys lurescan knows: an empty record, as before (the classifier's NoText).
        for json in [r#"{"text": ""}"#, r#"{"id": 1}"#, r#"{}"#, r#"{"id": 1, "label": 1, "text": null}"#] {
            assert!(read(json).unwrap().is_empty(), "{json}");
        }
        assert_eq!(read(r#"{"Text": "hi", "msg": "x"}"#).unwrap().get(Field::Text), Some("hi"));
        // A key whose value is absent (null; pandas' NaN from Python) is not named: it held nothing to read.
        assert!(read(r#"{"text": null, "note": null}"#).unwrap().is_empty());
        match read(r#"{"text": null, "note": null, "msg": "Earn 500 a day"}"#) {
            Err(RecordError::NoKnownKey { keys, .. }) => assert_eq!(keys, "`msg` (rename it `text` to read it)"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn renders_present_fields_in_order_with_markers() {
        let record = Record::default()
            .with(Field::Description, "Work  from\nhome")
            .with(Field::Title, "Typist")
            .with(Field::Benefits, "   ");
        assert_eq!(render(&record, &RenderConfig::default()), "[TITLE] Typist [DESCRIPTION] Work from home");
    }

    #[test]
    fn cuts_each_field_at_a_character_boundary() {
        let record = Record::from_text("việc làm tại nhà");
        let config = RenderConfig { max_chars_per_field: 6, field_markers: false, ..RenderConfig::default() };
        assert_eq!(render(&record, &config), "việc l");
    }

    #[test]
    fn deobfuscates_when_the_config_says_so() {
        let record = Record::default().with(Field::Title, "W0rk fr0m h0me").with(Field::Text, "earn 5OO  daily");
        let mut config = RenderConfig { field_markers: false, ..RenderConfig::default() };
        assert_eq!(render(&record, &config), "W0rk fr0m h0me earn 5OO daily");
        config.deobfuscate = true;
        assert_eq!(render(&record, &config), "Work from home earn 500 daily");
    }

    #[test]
    fn reads_traditional_chinese_as_simplified_when_the_config_says_so_in_render_and_prepared_alike() {
        let record = Record::default().with(Field::Title, "誠徵客服").with(Field::Text, "做任務 賺佣金 h0me");
        let mut config = RenderConfig { field_markers: false, ..RenderConfig::default() };
        assert_eq!(render(&record, &config), "誠徵客服 做任務 賺佣金 h0me");
        assert!(matches!(config.prepared(&record), Cow::Borrowed(_)));
        config.fold_traditional = true;
        assert_eq!(render(&record, &config), "诚征客服 做任务 赚佣金 h0me");
        assert_eq!(config.prepared(&record).get(Field::Text), Some("做任务 赚佣金 h0me"));
        config.deobfuscate = true;
        assert_eq!(render(&record, &config), "诚征客服 做任务 赚佣金 home");
        assert_eq!(config.prepared(&record).get(Field::Title), Some("诚征客服"));
        // A folder written before the setting existed reads text as written.
        let old: RenderConfig = serde_json::from_str(r#"{"max_chars_per_field": 300, "deobfuscate": true}"#).unwrap();
        assert!(!old.fold_traditional);
    }

    #[test]
    fn reads_html_away_when_the_config_says_so_and_writes_the_setting_only_when_on() {
        let plain = Record::from_text("Salary 40000 baht. Free housing & food. Contact t.me/hr_mw");
        let html = Record::from_text(
            "<p>Salary 40000 baht.</p><p>Free <b>housing</b> &amp; food.<br>Contact t&#46;me/hr_mw</p>",
        );
        let mut config = RenderConfig { field_markers: false, ..RenderConfig::default() };
        assert_ne!(render(&html, &config), render(&plain, &config));
        assert!(matches!(config.prepared(&html), Cow::Borrowed(_)));
        config.markup = true;
        assert_eq!(render(&html, &config), render(&plain, &config));
        // Before the other readings: a disguised word inside markup is read too.
        config.deobfuscate = true;
        let disguised = Record::from_text("<b>W0rk</b> fr0m h0me&nbsp;now");
        assert_eq!(render(&disguised, &config), "Work from home now");
        // Written only when on, so that a folder's settings (and the exemplar cache keyed by them) stay as they were.
        let off = serde_json::to_value(RenderConfig::default()).unwrap();
        assert!(off.get("markup").is_none(), "{off}");
        assert_eq!(serde_json::to_value(&config).unwrap()["markup"], true);
        let old: RenderConfig = serde_json::from_str(r#"{"max_chars_per_field": 300}"#).unwrap();
        assert!(!old.markup);
    }

    #[test]
    fn reads_json_objects_leniently() {
        let object = |json: &str| serde_json::from_str::<Map<String, Value>>(json).unwrap();
        let record = Record::from_json_object(&object(r#"{"id": 7, "Title": "Clerk", "salary_range": 500, "x": [1]}"#));
        let record = record.unwrap();
        assert_eq!(record.id.as_deref(), Some("7"));
        assert_eq!(record.get(Field::Title), Some("Clerk"));
        assert_eq!(record.get(Field::SalaryRange), Some("500"));
        assert!(matches!(Record::from_json_object(&object(r#"{"text": {}}"#)), Err(RecordError::FieldType { .. })));
    }

    #[test]
    fn keys_naming_one_field_in_two_cases_are_both_read() {
        let object = |json: &str| serde_json::from_str::<Map<String, Value>>(json).unwrap();
        let record = Record::from_json_object(&object(r#"{"DESCRIPTION": "AAA first", "description": "BBB second"}"#));
        let description = record.unwrap().get(Field::Description).map(str::to_owned).unwrap();
        assert!(description.contains("AAA first") && description.contains("BBB second"), "{description}");
        let record = Record::from_json_object(&object(r#"{"Text": "  ", "text": "only this", "TEXT": null}"#));
        assert_eq!(record.unwrap().get(Field::Text), Some("only this"), "blank and null values add nothing");
    }

    #[test]
    fn one_id_rule() {
        let id = |json: &str| record_id(&serde_json::from_str(json).unwrap());
        assert_eq!(id(r#"{"id": "a1"}"#), Ok(Some("a1".into())));
        assert_eq!(id(r#"{" ID ": 7}"#), Ok(Some("7".into())), "any case, blanks around the key");
        assert_eq!(id(r#"{"Id": "x", "id": "y"}"#), Ok(Some("y".into())), "the key `id` itself first");
        assert_eq!(id(r#"{"id": ""}"#), Ok(Some("".into())), "an id exactly as written, even an empty one");
        assert_eq!(id(r#"{"id": "  "}"#), Ok(Some("  ".into())));
        assert_eq!(id(r#"{"id": null, "text": "t"}"#), Ok(None));
        assert_eq!(id(r#"{"id": [1]}"#), Err(RecordError::IdType("an array")));
        assert_eq!(id(r#"{"id": true}"#), Err(RecordError::IdType("a boolean")));
    }
}
