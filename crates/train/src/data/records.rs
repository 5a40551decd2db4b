//! Labelled data: records with a 0/1 label read from JSONL or CSV through [`lurescan::input`], the seeded,
//! stratified, group-keeping validation hold-out, and the data fingerprint recorded in a model folder.

use crate::error::{Result, TrainError};
use lurescan::input::{Format, Row, RowReader};
use lurescan::rng::SeededRng;
use lurescan::{Record, RecordError};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

/// One labelled record and what the data says about where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub record: Record,
    /// 1 = lure / fraudulent, 0 = legitimate.
    pub label: u8,
    /// Where the record comes from (`source` key or column); metrics are broken down by it.
    pub source: Option<String>,
    /// Near-duplicate group: a hold-out never splits a group.
    pub group: Option<String>,
    pub subset: Option<String>,
    /// Line of the file where the record starts.
    pub line: u64,
}

/// The examples of one file, and how many bad rows were skipped.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub path: PathBuf,
    pub examples: Vec<Example>,
    /// Rows skipped with `skip_bad`.
    pub skipped: u64,
    /// The first few skipped rows, as `line: reason`.
    pub skipped_examples: Vec<String>,
}

impl Dataset {
    pub fn labels(&self) -> Vec<u8> {
        self.examples.iter().map(|e| e.label).collect()
    }

    pub fn positives(&self) -> usize {
        self.examples.iter().filter(|e| e.label == 1).count()
    }
}

/// The label values [`parse_label`] reads, for the messages that meet another.
pub const LABEL_HELP: &str = "expected 0/1, lure/legitimate, fraudulent/real, scam/legit or true/false";

/// Reads a label: numbers 0/1, booleans, or the strings `0`/`1`, `lure`/`legitimate`, `fraudulent`/`real`,
/// `scam`/`legit`, `true`/`false` (any case, blanks trimmed; CSV gives every value as a string).
pub fn parse_label(value: &Value) -> Option<u8> {
    match value {
        Value::Bool(b) => Some(u8::from(*b)),
        Value::Number(n) => match n.as_f64() {
            Some(0.0) => Some(0),
            Some(1.0) => Some(1),
            _ => None,
        },
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "1" | "1.0" | "lure" | "fraudulent" | "fraud" | "scam" | "true" => Some(1),
            "0" | "0.0" | "legitimate" | "legit" | "real" | "false" => Some(0),
            _ => None,
        },
        _ => None,
    }
}

/// A key's value, matching the key case-insensitively (CSV headers).
fn get_ci<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    object.get(key).or_else(|| object.iter().find(|(k, _)| k.trim().eq_ignore_ascii_case(key)).map(|(_, v)| v))
}

fn text_of(object: &Map<String, Value>, key: &str) -> Option<String> {
    match get_ci(object, key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The label columns, in the order they are looked for: `label`, else EMSCAD's `fraudulent` (0/1).
const LABEL_KEYS: [&str; 2] = ["label", "fraudulent"];

/// The row's label value under the first of [`LABEL_KEYS`] it has (`None` when it has none of them), keys matched
/// in any case.
pub fn label_of(object: &Map<String, Value>) -> Option<&Value> {
    LABEL_KEYS.iter().find_map(|key| get_ci(object, key))
}

/// Turns one row into an example, or says what is wrong with it.
fn example_from(row: &Row) -> std::result::Result<Example, String> {
    let object = row.fields.as_ref().map_err(|e| e.to_string())?;
    let label = match label_of(object) {
        None | Some(Value::Null) => return Err(format!("no `label` ({LABEL_HELP})")),
        Some(v) => parse_label(v).ok_or_else(|| format!("label {v} is not a label ({LABEL_HELP})"))?,
    };
    let record = row.record().map_err(|e| e.to_string())?;
    if record.is_empty() {
        return Err(RecordError::NoText.to_string());
    }
    Ok(Example {
        record,
        label,
        source: text_of(object, "source"),
        group: text_of(object, "group"),
        subset: text_of(object, "subset"),
        line: row.line,
    })
}

/// Reads labelled records from a `.jsonl`/`.ndjson`/`.json` (one object a line) or `.csv` file. The label is the
/// `label` column, or EMSCAD's `fraudulent` when there is no `label`. A bad row stops with an error naming the file
/// and line unless `skip_bad`, which skips and counts it; a file with no label column at all stops either way.
pub fn load(path: &Path, skip_bad: bool) -> Result<Dataset> {
    let format = match Format::from_path(path) {
        Some(f @ (Format::Jsonl | Format::Csv)) => f,
        _ => return Err(TrainError::UnknownFormat { path: path.to_path_buf() }),
    };
    let file = File::open(path).map_err(|source| TrainError::Read { path: path.to_path_buf(), source })?;
    read(file, path, format, skip_bad)
}

/// The labelled records `reader` holds in `format` (JSONL or CSV), as [`load`] reads a file: `path` names the input
/// in errors and in the dataset (`-` for stdin, say).
pub fn read(reader: impl Read, path: &Path, format: Format, skip_bad: bool) -> Result<Dataset> {
    let mut dataset =
        Dataset { path: path.to_path_buf(), examples: Vec::new(), skipped: 0, skipped_examples: Vec::new() };
    // Whether any row so far had a label column, and the columns of the first row read: a file none of whose rows
    // has one is told so, with its columns, rather than row by row. A CSV's header row is every row's columns, so its
    // first row settles it; a JSON line without a label may be one bad line, and stops as one (unless `skip_bad`).
    let mut labelled = false;
    let mut columns: Option<Vec<String>> = None;
    for row in RowReader::new(BufReader::new(reader), format).with_source_name(path.display().to_string()) {
        let row = row.map_err(|source| TrainError::Read { path: path.to_path_buf(), source })?;
        if let Ok(object) = &row.fields {
            labelled |= label_of(object).is_some();
            columns.get_or_insert_with(|| object.keys().cloned().collect());
            if !labelled && !skip_bad && format == Format::Csv {
                return Err(no_label_column(path, columns));
            }
        }
        let parsed = example_from(&row);
        match parsed {
            Ok(example) => dataset.examples.push(example),
            Err(message) if skip_bad => {
                dataset.skipped += 1;
                if dataset.skipped_examples.len() < 5 {
                    dataset.skipped_examples.push(format!("line {}: {message}", row.line));
                }
            }
            Err(message) => return Err(TrainError::BadRow { path: path.to_path_buf(), line: row.line, message }),
        }
    }
    if !labelled && columns.is_some() {
        return Err(no_label_column(path, columns));
    }
    if dataset.examples.is_empty() {
        return Err(TrainError::NoRecords { path: path.to_path_buf(), labelled: true, skipped: dataset.skipped });
    }
    Ok(dataset)
}

fn no_label_column(path: &Path, columns: Option<Vec<String>>) -> TrainError {
    TrainError::NoLabelColumn { path: path.to_path_buf(), columns: columns.unwrap_or_default() }
}

/// Shuffles in place (Fisher–Yates) with a seeded generator.
pub fn shuffle<T>(items: &mut [T], rng: &mut SeededRng) {
    for i in (1..items.len()).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

/// Splits off about `fraction` of the examples for validation, stratified by label, keeping each `group` on one
/// side (records without a group are their own group). A group containing any lure counts as a lure group.
/// Deterministic for a seed. Returns `(train, valid)`.
pub fn holdout(examples: Vec<Example>, fraction: f64, seed: u64) -> (Vec<Example>, Vec<Example>) {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, e) in examples.iter().enumerate() {
        let key = match &e.group {
            Some(g) => format!("g:{g}"),
            None => format!("i:{i:012}"),
        };
        groups.entry(key).or_default().push(i);
    }
    let mut strata: [Vec<Vec<usize>>; 2] = [Vec::new(), Vec::new()];
    for members in groups.into_values() {
        let label = members.iter().map(|&i| examples[i].label).max().unwrap_or(0) as usize;
        strata[label].push(members);
    }
    let mut rng = SeededRng::new(seed);
    let mut in_valid = vec![false; examples.len()];
    for stratum in strata.iter_mut() {
        shuffle(stratum, &mut rng);
        let total: usize = stratum.iter().map(Vec::len).sum();
        // At least one group on each side when the stratum has two or more groups.
        let target = ((total as f64 * fraction).round() as usize).max(usize::from(stratum.len() >= 2));
        let mut taken = 0;
        for (k, members) in stratum.iter().enumerate() {
            if taken >= target || (k + 1 == stratum.len() && k > 0 && taken > 0) {
                break;
            }
            taken += members.len();
            for &i in members {
                in_valid[i] = true;
            }
        }
    }
    let (mut train, mut valid) = (Vec::new(), Vec::new());
    for (e, v) in examples.into_iter().zip(in_valid) {
        if v {
            valid.push(e)
        } else {
            train.push(e)
        }
    }
    (train, valid)
}

/// The sha256 of a file, as lowercase hex.
pub fn fingerprint(path: &Path) -> Result<String> {
    let mut file = File::open(path).map_err(|source| TrainError::Read { path: path.to_path_buf(), source })?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf).map_err(|source| TrainError::Read { path: path.to_path_buf(), source })?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}
