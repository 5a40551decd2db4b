"""Scores job postings and recruitment messages for how likely each is a fraudulent job offer or trafficking lure.

A thin layer over the Rust ``lurescan`` crate (the engine behind the ``lurescan`` command line): the same model,
the same record reading and the same scores as ``lurescan score``.

>>> import lurescan
>>> classifier = lurescan.Classifier()                  # the built-in model; or Classifier("path/to/model")
>>> rows = classifier.predict([
...     {"id": "a1", "text": "Customer service job in Cambodia, free flight and housing. Contact Telegram @hr_team"},
...     {"title": "Accountant", "location": "Leeds, UK",
...      "company_profile": "We are a family-owned building supplies company with 14 branches across Yorkshire.",
...      "description": "Join our finance team to run month-end close, reconcile supplier accounts and prepare "
...                     "VAT returns. You will report to the Financial Controller.",
...      "requirements": "ACCA or CIMA part-qualified, 2 years in a similar role, strong Excel."},
...     {"id": "a3"},
... ])
>>> rows[0]["id"], rows[0]["label"], 0.5 < rows[0]["score"] <= 1.0
('a1', 'lure', True)
>>> rows[1]["label"] in ("lure", "legitimate"), rows[1]["id"], rows[1]["error"]
(True, None, None)
>>> rows[2]["score"], rows[2]["label"], rows[2]["error"][:7]
(None, None, 'no text')

A record is a dict (or any mapping) with ``text`` (a message) or posting fields (``title``, ``company_profile``,
``description``, ``requirements``, ``benefits``, ``location``, ``salary_range``, ``department``, ``industry``,
``function``, ``employment_type``) and an optional ``id`` (any case, as ``lurescan score`` reads it); other keys
are ignored; None, NaN, ``pd.NA`` and ``pd.NaT`` count as absent; dates are read as their ISO text. A plain str is
a message. ``predict`` takes several records (a list, any iterable, or a DataFrame); ``explain`` one. A record that cannot be scored gets ``error`` instead of a score; it never raises.
Errors of the model itself raise a subclass of :class:`LurescanError`.
"""

from __future__ import annotations

from typing import Any, Iterable, List, Mapping, Union

from ._lurescan import (
    Classifier as _NativeClassifier,
    ExemplarsError,
    InvalidModelError,
    JsonError,
    LurescanError,
    MissingFileError,
    ModelError,
    ReadError,
    TokenizerError,
    __version__,
)

__all__ = [
    "Classifier",
    "LurescanError",
    "ReadError",
    "MissingFileError",
    "JsonError",
    "InvalidModelError",
    "ExemplarsError",
    "TokenizerError",
    "ModelError",
    "__version__",
]

#: The columns of :meth:`Classifier.predict`'s DataFrame, and the keys of its dicts besides ``id``.
RESULT_COLUMNS = ("score", "label", "error")


def _is_dataframe(value: Any) -> bool:
    # Duck-typed, so pandas stays optional and is never imported here.
    return hasattr(value, "to_dict") and hasattr(value, "index") and hasattr(value, "columns")


def _is_other_table(value: Any) -> bool:
    # A table that is not a pandas DataFrame (polars, pyarrow): iterating it would give its columns, not its rows.
    return hasattr(value, "columns") and not hasattr(value, "index") and (
        hasattr(value, "to_dicts") or hasattr(value, "to_pylist")
    )


def _is_series(value: Any) -> bool:
    # A pandas Series (one row of a DataFrame, as ``df.loc[i]`` or ``df.iloc[i]`` gives it), duck-typed likewise.
    return hasattr(value, "to_dict") and hasattr(value, "index") and not hasattr(value, "columns")


class Classifier(_NativeClassifier):
    """A loaded lurescan model.

    ``Classifier()`` loads the built-in default model (compiled into the package); ``Classifier(path)`` a model
    folder (``config.json``, ``model.safetensors``, ``tokenizer.json``, ``lurescan.json``), and
    ``Classifier("fast")`` / ``Classifier("base")`` a built-in model by name, as ``lurescan score --model`` (a
    folder of that name wins). Keyword options: ``threshold`` (0-1, overrides the model's thresholds for every record, as
    ``--threshold``), ``batch_size`` (records per forward pass, default 8) and ``threads`` (the model's threads
    for this classifier; default one per core: in a Spark task set it to ``spark.task.cpus``).

    Scoring releases the GIL, so other Python threads run meanwhile, and one classifier may be shared by threads.
    Load it once per process: loading takes a fraction of a second, scoring a record about a millisecond.
    """

    def predict(self, records: Union[Iterable[Union[Mapping[str, Any], str]], Any]) -> Any:
        """Scores records and returns one result per record, in order.

        ``records`` is an iterable of dicts (or str messages): the result is a list of dicts
        ``{"id", "score", "label", "error"}``, ``id`` being the record's own ``id`` value (or None), ``score`` the
        probability of a lure (0-1), ``label`` ``"lure"`` or ``"legitimate"``, ``error`` None or why the record
        could not be scored (then ``score`` and ``label`` are None).

        ``records`` may also be a pandas DataFrame whose columns are the fields: the result is then a DataFrame with
        the same index and the columns ``score`` (NaN when not scored), ``label`` and ``error``.
        """
        if _is_dataframe(records):
            import pandas

            # A frame with rows but no columns is one empty record per row (each gets its "no text" error), where
            # to_dict would give no records at all.
            dicts = records.to_dict("records") if len(records.columns) else [{}] * len(records)
            rows = super().predict(dicts)
            # object columns keep None (not NaN) for the missing label and error, as in the dicts.
            return pandas.DataFrame(
                {
                    "score": pandas.Series([r["score"] for r in rows], index=records.index, dtype="float64"),
                    "label": pandas.Series([r["label"] for r in rows], index=records.index, dtype=object),
                    "error": pandas.Series([r["error"] for r in rows], index=records.index, dtype=object),
                },
                index=records.index,
            )
        if _is_other_table(records):
            raise TypeError(
                f"predict takes rows: a {type(records).__name__} iterates its columns; pass its rows as dicts "
                "(polars: df.to_dicts(); pyarrow: table.to_pylist()) or a pandas DataFrame (df.to_pandas())"
            )
        return super().predict(records)

    def explain(self, record: Union[Mapping[str, Any], str], *, top_terms: int = 8) -> dict:
        """Scores one record and says why, as ``lurescan score --explain`` does.

        Returns ``{"id", "score", "label", "error", "flags", "top_terms", "contacts", "score_without_decisive",
        "exemplar_margin", "nearest_typology"}``: ``score_without_decisive`` is set for a record that a decisive sign
        lifted to 0.9 (its score without that floor, else None); with a model that has exemplars (the built-in
        default), ``exemplar_margin`` is the mean cosine to the 3 nearest lure exemplars minus that to the 3 nearest
        benign ones, and ``nearest_typology`` the nearest lure exemplar (``{"typology", "similarity", "exemplar",
        "lang"}``) for a record flagged or with a margin above 0, else None; ``flags`` lists the indicators of
        deceptive recruitment found (``{"id", "category", "field", "evidence", "start", "end"}``, byte offsets
        into that field's UTF-8 text), ``top_terms`` the ``top_terms`` words whose removal moves the score most
        (``{"field", "term", "start", "end", "effect"}``, effect in log-odds of lure: positive pushes towards
        lure), ``contacts`` the record's contact points (``{"kind", "value", "field", "evidence", "start", "end"}``,
        ``value`` normalised as ``lurescan score --explain`` gives it). Top terms cost one model pass per word (at
        most 65).

        ``record`` may also be one row of a DataFrame (a pandas Series whose index holds the field names).
        """
        if _is_series(record):
            if not all(isinstance(key, str) for key in record.index):
                raise TypeError(
                    "explain takes one record: a Series must be a row of a DataFrame (df.loc[label] or "
                    "df.iloc[i]), its index the field names; this one's index is not text (a column such as "
                    "df['text']? pass df['text'][i], or use predict for the whole column)"
                )
            record = record.to_dict()
        return super().explain(record, top_terms=top_terms)
