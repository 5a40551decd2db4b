//! The `lurescan` Python package's native module (`lurescan._lurescan`): converts Python values to the `lurescan`
//! crate's own types and back, releases the GIL while the model runs, and maps each `lurescan::Error` variant to
//! one Python exception. It adds no logic the crate lacks: records are read by `Record::from_json_object`, scored
//! by `Classifier::predict` and explained by `lurescan::explain`, exactly as `lurescan score` does.

use lurescan::contacts::{Contact, ContactOptions};
use lurescan::explain::{top_terms_with, Catalogue, Flag, OcclusionOptions, TermEffect};
use lurescan::{Error, Label, ModelFiles, Prediction, Record, RecordError, ScoreOptions};
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple};
use serde_json::{Map, Number, Value};
use std::path::PathBuf;

pyo3::create_exception!(lurescan, LurescanError, PyException, "Base class of every lurescan error.");
pyo3::create_exception!(lurescan, ReadError, LurescanError, "A model file could not be read (the message names it).");
pyo3::create_exception!(
    lurescan,
    MissingFileError,
    LurescanError,
    "The path is not a model folder: one of config.json, model.safetensors, tokenizer.json, lurescan.json is missing."
);
pyo3::create_exception!(lurescan, JsonError, LurescanError, "A model file is not valid JSON.");
pyo3::create_exception!(lurescan, InvalidModelError, LurescanError, "The model folder's files do not fit together.");
pyo3::create_exception!(
    lurescan,
    ExemplarsError,
    LurescanError,
    "A line of the model folder's exemplars.jsonl cannot be used (the message names the line)."
);
pyo3::create_exception!(lurescan, TokenizerError, LurescanError, "The tokenizer failed.");
pyo3::create_exception!(lurescan, ModelError, LurescanError, "The model failed while computing (candle).");

/// One Python exception per `lurescan::Error` variant (`Other` is the base class itself).
fn to_py(error: Error) -> PyErr {
    let message = error.to_string();
    match error {
        Error::Io { .. } => ReadError::new_err(message),
        Error::MissingFile { .. } | Error::NotAFolder { .. } => MissingFileError::new_err(message),
        Error::Json { .. } => JsonError::new_err(message),
        Error::InvalidModel { .. } => InvalidModelError::new_err(message),
        Error::Exemplars { .. } => ExemplarsError::new_err(message),
        Error::Tokenizer(_) => TokenizerError::new_err(message),
        Error::Candle(_) => ModelError::new_err(message),
        // The package never writes a model folder; the io error is the source, not in the message.
        Error::Write { source, .. } => LurescanError::new_err(format!("{message}: {source}")),
        Error::Other(_) => LurescanError::new_err(message),
    }
}

/// A Python value as a JSON value for the crate's record reader: None and NaN (pandas' missing value) are null,
/// numbers and booleans stay numbers and booleans (the crate takes them as their text), lists and dicts are arrays
/// and objects (the crate refuses them as field values, naming the field). One difference from reading JSON text:
/// a whole float is the integer it holds (`30000.0` reads "30000"), because Python code rarely chose the float: pandas
/// makes one of every integer in a column with a missing value. `lurescan score` keeps a number as written.
fn to_json(value: &Bound<'_, PyAny>) -> Value {
    if value.is_none() {
        Value::Null
    } else if let Ok(s) = value.cast::<PyString>() {
        Value::String(s.to_string_lossy().into_owned())
    } else if let Ok(b) = value.cast::<PyBool>() {
        Value::Bool(b.is_true())
    } else if let Ok(i) = value.extract::<i64>() {
        Value::from(i)
    } else if let Ok(f) = value.extract::<f64>() {
        // A whole float is the integer it holds (see above); beyond i64 it stays a float.
        if f.fract() == 0.0 && f.abs() < 9.2e18 {
            Value::from(f as i64)
        } else {
            Number::from_f64(f).map_or(Value::Null, Value::Number)
        }
    } else if value.is_instance_of::<PyDict>() || value.is_instance_of::<PyMapping>() {
        Value::Object(Map::new())
    } else if is_missing(value) {
        Value::Null
    } else if let Ok(iso) = value.call_method0("isoformat").and_then(|iso| iso.extract::<String>()) {
        // A date or a time (datetime, pandas Timestamp) is its ISO text, as a JSON writer would put it.
        Value::String(iso)
    } else {
        Value::Array(Vec::new())
    }
}

/// pandas' missing values that are not NaN: `pd.NaT` and `pd.NA`, told by their type's name so that pandas stays
/// optional.
fn is_missing(value: &Bound<'_, PyAny>) -> bool {
    value.get_type().name().is_ok_and(|name| name == "NaTType" || name == "NAType")
}

/// How an error row names the kind of a record that is not a mapping (as `RecordError::NotAnObject` does for JSON).
fn python_kind(value: &Bound<'_, PyAny>) -> &'static str {
    if value.is_none() {
        "None"
    } else if value.is_instance_of::<PyInt>() || value.is_instance_of::<PyFloat>() {
        "a number"
    } else if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        "a list"
    } else {
        "another kind of object"
    }
}

/// A record as the crate reads it, or why it cannot be read.
type RecordResult = Result<Record, RecordError>;

/// A record and its `id` value as given, from a mapping (keys as in a JSONL line: `text` or posting fields,
/// optional `id`) or a str (a message, as a line of `lurescan score -f text`), in one pass over the mapping. The id
/// is found by the crate's rule (`lurescan::record::record_id`): the key `id`, else the first key that is `id`
/// ignoring ASCII case and blanks around it.
fn to_record<'py>(value: &Bound<'py, PyAny>) -> PyResult<(Option<Bound<'py, PyAny>>, RecordResult)> {
    if let Ok(text) = value.cast::<PyString>() {
        return Ok((None, Ok(Record::from_text(text.to_string_lossy()))));
    }
    let Ok(mapping) = value.cast::<PyMapping>() else {
        return Ok((None, Err(RecordError::NotAnObject(python_kind(value)))));
    };
    let mut object = Map::new();
    let (mut exact_id, mut any_case_id) = (None, None);
    for item in mapping.items()?.iter() {
        let (key, value): (Bound<'py, PyAny>, Bound<'py, PyAny>) = item.extract()?;
        if let Ok(key) = key.cast::<PyString>() {
            let key = key.to_string_lossy().into_owned();
            if key == "id" {
                exact_id = Some(value.clone());
            } else if any_case_id.is_none() && key.trim().eq_ignore_ascii_case("id") {
                any_case_id = Some(value.clone());
            }
            object.insert(key, to_json(&value));
        }
    }
    // An empty record is `RecordError::NoText` from `predict`, as in `lurescan score`.
    Ok((exact_id.or(any_case_id), Record::from_json_object(&object)))
}

fn label_name(label: Label) -> &'static str {
    match label {
        Label::Lure => "lure",
        Label::Legitimate => "legitimate",
    }
}

/// `{"id", "score", "label", "error"}` for one record; `id` is the input's own `id` value, or None.
fn prediction_dict<'py>(
    py: Python<'py>,
    id: Option<Bound<'py, PyAny>>,
    result: &Result<Prediction, RecordError>,
) -> PyResult<Bound<'py, PyDict>> {
    let row = PyDict::new(py);
    row.set_item("id", id)?;
    match result {
        Ok(p) => {
            row.set_item("score", p.score)?;
            row.set_item("label", label_name(p.label))?;
            row.set_item("error", py.None())?;
        }
        Err(e) => {
            row.set_item("score", py.None())?;
            row.set_item("label", py.None())?;
            row.set_item("error", error_text(e))?;
        }
    }
    Ok(row)
}

/// A record's error as a Python user should read it: the crate's messages speak of JSON, which the user of this
/// package never wrote.
fn error_text(error: &RecordError) -> String {
    match error {
        RecordError::NotAnObject(kind) => {
            format!("expected a record (a dict with `text` or posting fields, or a str), found {kind}")
        }
        other => other.to_string(),
    }
}

fn flag_dict<'py>(py: Python<'py>, flag: &Flag) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", &flag.id)?;
    d.set_item("category", &flag.category)?;
    d.set_item("field", flag.field.name())?;
    d.set_item("evidence", &flag.evidence)?;
    d.set_item("start", flag.start)?;
    d.set_item("end", flag.end)?;
    Ok(d)
}

fn contact_dict<'py>(py: Python<'py>, contact: &Contact) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("kind", contact.kind.name())?;
    d.set_item("value", &contact.value)?;
    d.set_item("field", contact.field.name())?;
    d.set_item("evidence", &contact.evidence)?;
    d.set_item("start", contact.start)?;
    d.set_item("end", contact.end)?;
    Ok(d)
}

fn term_dict<'py>(py: Python<'py>, term: &TermEffect) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("field", term.field.name())?;
    d.set_item("term", &term.term)?;
    d.set_item("start", term.start)?;
    d.set_item("end", term.end)?;
    d.set_item("effect", term.effect)?;
    Ok(d)
}

// `batch_size=8` in `Classifier`'s signature is the crate's default, written out so that `help()` shows it.
const _: () = assert!(ScoreOptions::DEFAULT_BATCH_SIZE == 8);

/// The most threads `Classifier(threads=N)` starts: more only costs memory (each is a thread with its stack).
const MAX_THREADS: usize = 1024;

/// A loaded lurescan model. See the `lurescan` package docs and `lurescan/_lurescan.pyi`.
#[pyclass(module = "lurescan", subclass, frozen)]
pub struct Classifier {
    inner: lurescan::Classifier,
    options: ScoreOptions,
    /// `threads=N`: the model runs on this pool instead of the process-wide one (one thread per core).
    pool: Option<rayon::ThreadPool>,
}

impl Classifier {
    /// Runs `work` without the GIL, on this classifier's own pool when it has one.
    fn run<T: Send>(&self, py: Python<'_>, work: impl FnOnce() -> T + Send) -> T {
        py.detach(|| match &self.pool {
            Some(pool) => pool.install(work),
            None => work(),
        })
    }
}

#[pymethods]
impl Classifier {
    #[new]
    #[pyo3(signature = (model=None, *, threshold=None, batch_size=8, threads=None))]
    fn new(
        py: Python<'_>,
        model: Option<PathBuf>,
        threshold: Option<f32>,
        batch_size: i64,
        threads: Option<i64>,
    ) -> PyResult<Self> {
        if threshold.is_some_and(|t| !(0.0..=1.0).contains(&t)) {
            return Err(pyo3::exceptions::PyValueError::new_err("threshold must be between 0 and 1"));
        }
        // Taken as i64 so that a negative value is a ValueError naming the argument, not an OverflowError.
        let batch_size = usize::try_from(batch_size)
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| pyo3::exceptions::PyValueError::new_err("batch_size must be at least 1"))?;
        let threads = match threads {
            Some(n) if n < 1 => return Err(pyo3::exceptions::PyValueError::new_err("threads must be at least 1")),
            other => other.map(|n| n as usize),
        };
        let builtin = |path: &PathBuf| path.to_str().is_some_and(|name| ModelFiles::BUILTIN.contains(&name));
        if let Some(path) = model.as_ref().filter(|path| !path.exists() && !builtin(path)) {
            return Err(MissingFileError::new_err(format!(
                "{} is not a model folder: there is no such folder (a model folder holds config.json, \
                 model.safetensors, tokenizer.json and lurescan.json), nor is it the name of a built-in model: {}",
                path.display(),
                ModelFiles::BUILTIN.join(", ")
            )));
        }
        let pool = match threads {
            Some(n) if n > MAX_THREADS => {
                return Err(pyo3::exceptions::PyValueError::new_err(format!(
                    "threads must be at most {MAX_THREADS} (one per core is the most that helps)"
                )))
            }
            Some(n) => Some(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(n)
                    .build()
                    .map_err(|e| LurescanError::new_err(format!("cannot start {n} threads: {e}")))?,
            ),
            None => None,
        };
        let inner = py
            .detach(|| {
                // As `lurescan score --model`: a folder, else the name of a built-in model (a folder wins).
                let name = match &model {
                    Some(path) if path.is_dir() => return lurescan::Classifier::load(path),
                    Some(path) => match path.to_str() {
                        Some(name) if ModelFiles::BUILTIN.contains(&name) => name,
                        _ => return lurescan::Classifier::load(path),
                    },
                    None => "base",
                };
                match ModelFiles::builtin(name) {
                    Some(files) => lurescan::Classifier::from_files(files),
                    None => Err(Error::Other(format!(
                        "this build of lurescan has no built-in model `{name}` (models/lurescan-{name} was missing \
                         when it was built): pass a model folder, Classifier(\"path/to/model\")"
                    ))),
                }
            })
            .map_err(to_py)?;
        Ok(Classifier { inner, options: ScoreOptions { batch_size, threshold }, pool })
    }

    /// Scores records (dicts or str) and returns one dict per record, in order.
    fn predict<'py>(&self, py: Python<'py>, records: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
        let mut ids = Vec::new();
        let mut readable = Vec::new();
        let mut slots = Vec::new();
        if records.is_instance_of::<PyString>() || records.cast::<PyMapping>().is_ok() {
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "predict takes several records (a list of dicts or str, or a DataFrame): wrap one record as \
                 [record], or use explain(record) for one",
            ));
        }
        for value in records.try_iter()? {
            let value = value?;
            let (id, record) = to_record(&value)?;
            ids.push(id);
            slots.push(match record {
                Ok(record) => {
                    readable.push(record);
                    None
                }
                Err(error) => Some(error),
            });
        }
        let predictions = self.run(py, || self.inner.predict(&readable, &self.options)).map_err(to_py)?;
        let mut predictions = predictions.into_iter();
        let rows = PyList::empty(py);
        for (id, slot) in ids.into_iter().zip(slots) {
            let result = match slot {
                Some(error) => Err(error),
                None => predictions.next().expect("Classifier::predict returns one result per record"),
            };
            rows.append(prediction_dict(py, id, &result)?)?;
        }
        Ok(rows)
    }

    /// Scores one record and says why: its indicators (flags), the words that moved its score (top terms), its
    /// contact points and, when a decisive indicator set its score, the score without that indicator
    /// (`score_without_decisive`, else None).
    #[pyo3(signature = (record, *, top_terms=8))]
    fn explain<'py>(
        &self,
        py: Python<'py>,
        record: &Bound<'py, PyAny>,
        top_terms: i64,
    ) -> PyResult<Bound<'py, PyDict>> {
        let top_terms = usize::try_from(top_terms)
            .map_err(|_| pyo3::exceptions::PyValueError::new_err("top_terms must be 0 or more"))?;
        let (id, record) = to_record(record)?;
        let occlusion = OcclusionOptions { batch_size: self.options.batch_size, ..OcclusionOptions::default() };
        let (result, evidence, flags, terms, contacts) = self
            .run(py, || -> lurescan::Result<_> {
                let Ok(record) = record else {
                    return Ok((Err(record.unwrap_err()), None, Vec::new(), Vec::new(), Vec::new()));
                };
                let (result, evidence) =
                    match self.inner.predict_with_evidence(std::slice::from_ref(&record), &self.options)?.remove(0) {
                        Ok((prediction, evidence)) => (Ok(prediction), evidence),
                        Err(error) => (Err(error), None),
                    };
                let terms = match (&result, top_terms) {
                    (Ok(_), k) if k > 0 => top_terms_with(&self.inner, &record, k, &occlusion)?,
                    _ => Vec::new(),
                };
                let flags = Catalogue::builtin().scan_as_read(&record, &self.inner.settings().render);
                let contacts = lurescan::contacts::extract(&record, &ContactOptions::default());
                Ok((result, evidence, flags, terms, contacts))
            })
            .map_err(to_py)?;
        let row = prediction_dict(py, id, &result)?;
        let flags: Vec<_> = flags.iter().map(|f| flag_dict(py, f)).collect::<PyResult<_>>()?;
        let terms: Vec<_> = terms.iter().map(|t| term_dict(py, t)).collect::<PyResult<_>>()?;
        row.set_item("flags", flags)?;
        row.set_item("top_terms", terms)?;
        let contacts: Vec<_> = contacts.iter().map(|c| contact_dict(py, c)).collect::<PyResult<_>>()?;
        row.set_item("contacts", contacts)?;
        let without = result.as_ref().ok().and_then(|p| p.score_without_decisive);
        row.set_item("score_without_decisive", without)?;
        // As `score --explain`: the margin, and the nearest lure typology only where the record resembles it.
        let margin = evidence.as_ref().and_then(|e| e.margin);
        let label = result.as_ref().ok().map(|p| p.label);
        let nearest = match evidence.and_then(|e| e.typology_for(label)) {
            Some(nearest) => {
                let d = PyDict::new(py);
                d.set_item("typology", nearest.typology)?;
                d.set_item("similarity", nearest.similarity)?;
                d.set_item("exemplar", nearest.exemplar)?;
                d.set_item("lang", nearest.lang)?;
                Some(d)
            }
            None => None,
        };
        row.set_item("exemplar_margin", margin)?;
        row.set_item("nearest_typology", nearest)?;
        Ok(row)
    }

    /// The model's threshold for postings (or the `threshold=` given).
    #[getter]
    fn threshold(&self) -> f32 {
        self.options.threshold.unwrap_or(self.inner.settings().threshold)
    }

    /// The model's own lower threshold for messages (records with only `text`), or None.
    #[getter]
    fn message_threshold(&self) -> Option<f32> {
        match self.options.threshold {
            Some(_) => None,
            None => self.inner.settings().message_threshold,
        }
    }

    /// Records per forward pass of the model.
    #[getter]
    fn batch_size(&self) -> usize {
        self.options.batch_size
    }
}

#[pymodule]
#[pyo3(name = "_lurescan")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // Before any candle op: whole batches run in parallel, one per thread, instead of candle splitting every op
    // across its own threads (4-5x faster on a busy machine; see `lurescan::Parallelism`). The library never
    // touches the environment; this binding, like the CLI's `main`, does it at the edge, when the module is
    // imported and before it starts any thread.
    if std::env::var_os("CANDLE_NUM_THREADS").is_none() {
        std::env::set_var("CANDLE_NUM_THREADS", "1");
    }
    let py = m.py();
    m.add_class::<Classifier>()?;
    m.add("LurescanError", py.get_type::<LurescanError>())?;
    m.add("ReadError", py.get_type::<ReadError>())?;
    m.add("MissingFileError", py.get_type::<MissingFileError>())?;
    m.add("JsonError", py.get_type::<JsonError>())?;
    m.add("InvalidModelError", py.get_type::<InvalidModelError>())?;
    m.add("ExemplarsError", py.get_type::<ExemplarsError>())?;
    m.add("TokenizerError", py.get_type::<TokenizerError>())?;
    m.add("ModelError", py.get_type::<ModelError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
