//! The `lurescan` Python package's native module (`lurescan._lurescan`): converts Python values to the `lurescan`
//! crate's own types and back, releases the GIL while the model runs, and maps each `lurescan::Error` variant to
//! one Python exception. It adds no logic the crate lacks: records are read by `Record::from_json_object`, scored
//! by `Classifier::predict` and explained by `lurescan::explain`, exactly as `lurescan score` does.

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
        Error::MissingFile { .. } => MissingFileError::new_err(message),
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

/// A Python value as the JSON value `lurescan score` would have read: None and NaN (pandas' missing value) are
/// null, numbers and booleans stay numbers and booleans (the crate takes them as their text), lists and dicts are
/// arrays and objects (the crate refuses them as field values, naming the field).
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
        Number::from_f64(f).map_or(Value::Null, Value::Number)
    } else if value.is_instance_of::<PyDict>() || value.is_instance_of::<PyMapping>() {
        Value::Object(Map::new())
    } else {
        Value::Array(Vec::new())
    }
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

/// A record from a mapping (keys as in a JSONL line: `text` or posting fields, optional `id`) or a str (a
/// message, as a line of `lurescan score -f text`).
fn to_record(value: &Bound<'_, PyAny>) -> PyResult<Result<Record, RecordError>> {
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(Ok(Record::from_text(text.to_string_lossy())));
    }
    let Ok(mapping) = value.cast::<PyMapping>() else {
        return Ok(Err(RecordError::NotAnObject(python_kind(value))));
    };
    let mut object = Map::new();
    for item in mapping.items()?.iter() {
        let (key, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
        if let Ok(key) = key.cast::<PyString>() {
            object.insert(key.to_string_lossy().into_owned(), to_json(&value));
        }
    }
    // An empty record is `RecordError::NoText` from `predict`, as in `lurescan score`.
    Ok(Record::from_json_object(&object))
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
            row.set_item("error", e.to_string())?;
        }
    }
    Ok(row)
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

fn term_dict<'py>(py: Python<'py>, term: &TermEffect) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("field", term.field.name())?;
    d.set_item("term", &term.term)?;
    d.set_item("start", term.start)?;
    d.set_item("end", term.end)?;
    d.set_item("effect", term.effect)?;
    Ok(d)
}

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
    #[pyo3(signature = (model=None, *, threshold=None, batch_size=ScoreOptions::DEFAULT_BATCH_SIZE, threads=None))]
    fn new(
        py: Python<'_>,
        model: Option<PathBuf>,
        threshold: Option<f32>,
        batch_size: usize,
        threads: Option<usize>,
    ) -> PyResult<Self> {
        if threshold.is_some_and(|t| !(0.0..=1.0).contains(&t)) {
            return Err(pyo3::exceptions::PyValueError::new_err("threshold must be between 0 and 1"));
        }
        if batch_size == 0 {
            return Err(pyo3::exceptions::PyValueError::new_err("batch_size must be at least 1"));
        }
        let pool = match threads {
            Some(0) => return Err(pyo3::exceptions::PyValueError::new_err("threads must be at least 1")),
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
        for value in records.try_iter()? {
            let value = value?;
            let id = match value.cast::<PyMapping>() {
                Ok(mapping) if mapping.contains("id")? => Some(mapping.get_item("id")?),
                _ => None,
            };
            ids.push(id);
            slots.push(match to_record(&value)? {
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

    /// Scores one record and says why: its indicators (flags) and the words that moved its score (top terms).
    #[pyo3(signature = (record, *, top_terms=8))]
    fn explain<'py>(
        &self,
        py: Python<'py>,
        record: &Bound<'py, PyAny>,
        top_terms: usize,
    ) -> PyResult<Bound<'py, PyDict>> {
        let id = match record.cast::<PyMapping>() {
            Ok(mapping) if mapping.contains("id")? => Some(mapping.get_item("id")?),
            _ => None,
        };
        let record = to_record(record)?;
        let occlusion = OcclusionOptions { batch_size: self.options.batch_size, ..OcclusionOptions::default() };
        let (result, flags, terms) = self
            .run(py, || -> lurescan::Result<_> {
                let Ok(record) = record else {
                    return Ok((Err(record.unwrap_err()), Vec::new(), Vec::new()));
                };
                let result = self.inner.predict(std::slice::from_ref(&record), &self.options)?.remove(0);
                let terms = match (&result, top_terms) {
                    (Ok(_), k) if k > 0 => top_terms_with(&self.inner, &record, k, &occlusion)?,
                    _ => Vec::new(),
                };
                let flags = Catalogue::builtin().scan_as_read(&record, &self.inner.settings().render);
                Ok((result, flags, terms))
            })
            .map_err(to_py)?;
        let row = prediction_dict(py, id, &result)?;
        let flags: Vec<_> = flags.iter().map(|f| flag_dict(py, f)).collect::<PyResult<_>>()?;
        let terms: Vec<_> = terms.iter().map(|t| term_dict(py, t)).collect::<PyResult<_>>()?;
        row.set_item("flags", flags)?;
        row.set_item("top_terms", terms)?;
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
