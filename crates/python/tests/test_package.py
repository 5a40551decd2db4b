"""The `lurescan` Python package: the same scores as `lurescan score`, records read the same way, error rows,
explanations, exceptions for each kind of model failure, and the GIL released while the model runs."""

from __future__ import annotations

import json
import math
import shutil
import threading
import time
from pathlib import Path

import pytest

import lurescan
from conftest import MODEL, ROOT, TOLERANCE, assert_same_rows, cli_score

TINY = ROOT / "crates" / "infer" / "tests" / "fixtures" / "tiny-bert"
LURE = {"id": "m1", "text": "Hello dear, customer service job in Sihanoukville, 1500 USD per month, free flight and "
                            "housing, no experience needed. Pay a small registration fee. Contact Telegram @hr_team now."}


@pytest.fixture(scope="module")
def classifier():
    return lurescan.Classifier(MODEL)


def test_predict_matches_the_cli_on_every_generated_record(classifier, records, reference):
    rows = classifier.predict(records)
    assert [row["id"] for row in rows] == [r["id"] for r in records]
    assert_same_rows(rows, reference)
    assert sum(row["error"] is not None for row in rows) == len(records) // 500


def test_a_dataframe_gives_a_dataframe_with_its_index(classifier, records, reference):
    pandas = pytest.importorskip("pandas")
    from spark_score import to_pandas

    frame = to_pandas(records[:3000]).set_index("id")
    frame.index = [f"x{i}" for i in range(len(frame))]
    result = classifier.predict(frame)
    assert list(result.columns) == ["score", "label", "error"]
    assert list(result.index) == list(frame.index)
    rows = [dict(id=r["id"], score=None if math.isnan(s) else s, label=l, error=e)
            for r, s, l, e in zip(records, result["score"], result["label"], result["error"])]
    assert_same_rows(rows, {r["id"]: reference[r["id"]] for r in records[:3000]})
    # NaN (pandas' missing value) is an absent field, not the text "nan".
    nan = pandas.DataFrame({"title": [float("nan")], "text": ["Warehouse job in Leeds, 11 GBP an hour."]})
    assert classifier.predict(nan)["score"][0] == pytest.approx(
        classifier.predict([{"text": "Warehouse job in Leeds, 11 GBP an hour."}])[0]["score"], abs=TOLERANCE)


def test_records_are_read_as_lurescan_score_reads_json(classifier, binary):
    records = [
        {"id": 7, "title": "Clerk", "salary_range": 500, "remote": True, "x": [1]},
        {"id": "b", "title": ["not", "a", "string"]},
        {"id": "c"},
        {"id": "d", "text": None, "description": "Typist wanted, 12 USD an hour, apply on our website."},
    ]
    rows = classifier.predict(records)
    done = cli_score(binary, [json.dumps(r) for r in records], "-q", "--model", MODEL)
    expected = [json.loads(line) for line in done.stdout.splitlines()]
    assert [row["id"] for row in rows] == [7, "b", "c", "d"]  # the input's own id values
    for row, want in zip(rows, expected):
        assert row["error"] == want["error"]
        assert row["label"] == want["label"]
        assert (row["score"] is None) == (want["score"] is None)
        if row["score"] is not None:
            assert abs(row["score"] - want["score"]) <= TOLERANCE
    assert rows[1]["error"].startswith("field `title` must be a string")
    assert rows[2]["error"].startswith("no text")


def test_strings_are_messages_and_other_values_are_error_rows(classifier):
    rows = classifier.predict([LURE["text"], 5, None, ""])
    assert rows[0]["error"] is None and 0.0 <= rows[0]["score"] <= 1.0
    assert rows[0]["score"] == pytest.approx(classifier.predict([{"text": LURE["text"]}])[0]["score"], abs=TOLERANCE)
    assert rows[1]["error"] == "expected a record (a dict with `text` or posting fields, or a str), found a number"
    assert rows[2]["error"].endswith("found None")
    assert rows[3]["error"].startswith("no text")
    assert classifier.predict([]) == []


def test_one_record_passed_to_predict_is_a_type_error_not_one_row_per_key(classifier):
    for one in [LURE, LURE["text"]]:
        with pytest.raises(TypeError, match=r"wrap one record as \[record\]"):
            classifier.predict(one)
    assert len(classifier.predict([LURE])) == 1 and len(classifier.predict(iter([LURE["text"]]))) == 1


def test_a_table_that_iterates_its_columns_is_a_type_error_naming_how_to_pass_its_rows(classifier):
    class ColumnTable:  # as a polars DataFrame: columns, to_dicts(), no index; iterating gives the columns
        columns = ["text"]

        def __iter__(self):
            return iter([["a column, not a record"]])

        def to_dicts(self):
            return [LURE]

    with pytest.raises(TypeError, match=r"ColumnTable iterates its columns.*df\.to_dicts\(\)"):
        classifier.predict(ColumnTable())
    assert len(classifier.predict(ColumnTable().to_dicts())) == 1


def test_ids_in_any_case_and_pandas_missing_values_read_as_lurescan_score_reads_them(classifier):
    pandas = pytest.importorskip("pandas")
    rows = classifier.predict([{"ID": 7, "text": "hi"}, {" Id ": "x", "text": "hi"}, {"id": "y", "Id": "z", "text": "hi"}])
    assert [row["id"] for row in rows] == [7, "x", "y"]
    missing = classifier.predict([{"text": pandas.NaT}, {"text": pandas.NA}])
    assert all(row["error"].startswith("no text") for row in missing)
    dated = classifier.predict([{"text": "Start date", "description": __import__("datetime").date(2024, 1, 31)}])
    assert dated[0]["error"] is None
    # A whole float (pandas' integer column with a missing value) reads as the integer it holds.
    posting = {"title": "Accountant", "description": "Month-end close and supplier accounts."}
    whole, as_int, as_text = classifier.predict(
        [{**posting, "salary_range": 30000.0}, {**posting, "salary_range": "30000"}, {**posting, "salary_range": "30000.0"}])
    assert whole["score"] == as_int["score"] != as_text["score"]
    assert classifier.predict([{**posting, "salary_range": 30000.5}])[0]["error"] is None
    # One row of a frame is a record for explain, as its dict is.
    frame = pandas.DataFrame([LURE])
    assert classifier.explain(frame.iloc[0], top_terms=0) == classifier.explain(LURE, top_terms=0)
    with pytest.raises(TypeError, match="a row of a DataFrame"):
        classifier.explain(frame["text"])  # a column, not a row
    # A frame of rows without columns: one "no text" row each, not an exception.
    empty = classifier.predict(pandas.DataFrame(index=[3, 4]))
    assert list(empty.index) == [3, 4] and empty["error"].str.startswith("no text").all()


def test_bad_classifier_options_are_value_errors_and_help_shows_the_defaults(classifier):
    with pytest.raises(ValueError, match="threads must be at most"):
        lurescan.Classifier(MODEL, threads=100_000)
    for bad, message in [({"batch_size": -1}, "batch_size must be at least 1"), ({"threads": -2}, "threads must be")]:
        with pytest.raises(ValueError, match=message):
            lurescan.Classifier(MODEL, **bad)
    with pytest.raises(ValueError, match="top_terms must be 0 or more"):
        classifier.explain(LURE, top_terms=-1)
    with pytest.raises(lurescan.MissingFileError, match="name of a built-in model: base, fast"):
        lurescan.Classifier("BASE")
    assert "batch_size=8" in str(__import__("inspect").signature(lurescan.Classifier))


def test_labels_follow_the_thresholds(records):
    strict = lurescan.Classifier(MODEL, threshold=0.9)
    assert strict.threshold == pytest.approx(0.9) and strict.message_threshold is None  # an f32
    rows = strict.predict(records[:500])
    for row in rows:
        if row["error"] is None:
            assert row["label"] == ("lure" if row["score"] >= strict.threshold else "legitimate")
    assert {"lure", "legitimate"} <= {row["label"] for row in rows}, "the test records need both labels"


def test_explain_gives_flags_with_evidence_and_top_terms(classifier):
    explained = classifier.explain(LURE, top_terms=5)
    assert explained["id"] == "m1" and explained["error"] is None
    assert explained["score"] == pytest.approx(classifier.predict([LURE])[0]["score"], abs=TOLERANCE)
    assert explained["flags"], "a fee, free travel and Telegram contact raise no indicator"
    text = LURE["text"].encode()
    for flag in explained["flags"]:
        assert flag["field"] == "text"
        assert text[flag["start"]:flag["end"]].decode() == flag["evidence"]  # byte offsets
    assert 0 < len(explained["top_terms"]) <= 5
    for term in explained["top_terms"]:
        assert text[term["start"]:term["end"]].decode() == term["term"]
    assert classifier.explain(LURE, top_terms=0)["top_terms"] == []
    assert [c["value"] for c in explained["contacts"]] == ["hr_team"]
    contact = explained["contacts"][0]
    assert contact["kind"] == "telegram" and text[contact["start"]:contact["end"]].decode() == contact["evidence"]
    broken = classifier.explain({"note": "x"})
    assert broken["score"] is None and broken["error"].startswith("no text") and broken["flags"] == []
    assert broken["exemplar_margin"] is None and broken["nearest_typology"] is None


RENTED = {"text": "Earn 2000 a month: rent your bank account to our company."}


def test_explain_gives_the_score_without_a_decisive_indicator():
    default = lurescan.Classifier()  # reads the catalogue's flags, as the fast model does not
    rented = default.explain(RENTED, top_terms=0)
    assert any(flag["id"] == "money_mule_account" for flag in rented["flags"]), rented["flags"]
    assert rented["score"] >= 0.9, "a decisive indicator sets the score at 0.9 or more"
    assert rented["score_without_decisive"] is not None and rented["score_without_decisive"] < rented["score"]
    plain = default.explain({"text": "Your parcel arrives tomorrow morning."}, top_terms=0)
    assert plain["score_without_decisive"] is None and plain["error"] is None
    # The built-in model has exemplars: a margin for each record, a typology only for one that resembles a lure.
    assert rented["nearest_typology"]["typology"] and isinstance(rented["exemplar_margin"], float)
    for explained in (rented, plain):
        resembles = explained["label"] == "lure" or explained["exemplar_margin"] > 0
        assert (explained["nearest_typology"] is not None) == resembles, explained
    # predict() keeps its four keys: the score without a decisive indicator is part of an explanation.
    assert set(default.predict([RENTED])[0]) == {"id", "score", "label", "error"}


def test_a_model_folder_loads_and_each_failure_has_its_exception(tmp_path: Path):
    tiny = lurescan.Classifier(TINY, batch_size=4, threads=1)
    assert tiny.batch_size == 4
    assert len(tiny.predict([{"text": "hello"}] * 9)) == 9

    default = lurescan.Classifier()  # models/lurescan-base
    assert 0.0 <= default.predict([LURE])[0]["score"] <= 1.0
    assert default.batch_size == 8  # as the docstring and `lurescan score --batch-size` say
    with pytest.raises(lurescan.MissingFileError, match="is not a model folder"):
        lurescan.Classifier(tmp_path / "nowhere")
    broken = tmp_path / "broken"
    shutil.copytree(TINY, broken)
    (broken / "config.json").write_text("{ not json")
    with pytest.raises(lurescan.JsonError, match="config.json"):
        lurescan.Classifier(broken)
    shutil.copy(TINY / "config.json", broken / "config.json")
    (broken / "tokenizer.json").write_text("{}")
    with pytest.raises(lurescan.InvalidModelError, match="tokenizer.json"):
        lurescan.Classifier(broken)
    shutil.copy(TINY / "tokenizer.json", broken / "tokenizer.json")
    (broken / "exemplars.jsonl").write_text('{"typology": "task_scam", "lang": "en"}\n')
    with pytest.raises(lurescan.ExemplarsError, match="exemplars.jsonl, line 1"):
        lurescan.Classifier(broken)
    for error in (lurescan.ReadError, lurescan.MissingFileError, lurescan.JsonError, lurescan.InvalidModelError,
                  lurescan.ExemplarsError, lurescan.TokenizerError, lurescan.ModelError):
        assert issubclass(error, lurescan.LurescanError)
    with pytest.raises(ValueError):
        lurescan.Classifier(threshold=1.5)
    with pytest.raises(ValueError):
        lurescan.Classifier(threads=0)


def test_the_gil_is_released_while_the_model_runs(classifier, records):
    """A Python thread keeps running while predict scores: with the GIL held it could not tick at all during the
    scoring, which is the middle of the call (reading the records before it and building the rows after it are
    short)."""
    ticks, stop = [], threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    thread = threading.Thread(target=tick)
    thread.start()
    try:
        start = time.perf_counter()
        classifier.predict(records[:2000])
        end = time.perf_counter()
    finally:
        stop.set()
        thread.join()
    quarter = (end - start) / 4
    during = [t for t in ticks if start + quarter < t < end - quarter]
    assert during, "no other Python thread ran while the model scored: the GIL was held"


def test_the_package_docstring_examples_run():
    import doctest

    failures, tried = doctest.testmod(lurescan, optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failures == 0


def test_the_version_is_the_crates():
    assert lurescan.__version__ == "0.1.0"
    assert lurescan.Classifier.__doc__ and lurescan.Classifier.predict.__doc__
