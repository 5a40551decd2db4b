"""Scoring a Spark DataFrame with lurescan, two ways, on ``local[2]`` or a real cluster.

1. ``score_dataframe``: ``mapInPandas`` with the ``lurescan`` Python package. Each Python worker process loads the
   classifier once (``classifier()`` is cached in this module, which Spark imports on the workers: ship it with
   ``spark.sparkContext.addPyFile(spark_score.__file__)``) and scores Arrow batches of rows with the GIL released.
2. ``score_rdd_with_cli``: ``RDD.pipe`` through the ``lurescan score`` binary: JSON lines in, JSON lines out, one
   process per partition, rows in partition order. The binary must exist at the same path on every executor (or be
   shipped with ``sc.addFile`` and found with ``SparkFiles.get``).

Run it: ``python crates/python/examples/spark_score.py [--cli target/release/lurescan] [N]`` scores N generated
records (default 2000) both ways and prints a few rows. Needs ``pip install crates/python pyspark pandas pyarrow``
and Java 17 or later.

The workers' Python must have the package too. Spark starts ``python3`` from the PATH on each worker unless told
otherwise: in a virtual environment, or on a cluster whose workers have the package in another Python, set
``PYSPARK_PYTHON`` (and on a client ``PYSPARK_DRIVER_PYTHON``) to that interpreter, e.g.
``PYSPARK_PYTHON=$(which python) python crates/python/examples/spark_score.py``. A worker without the package
fails its tasks with ``ModuleNotFoundError: No module named 'lurescan'``.
"""

from __future__ import annotations

import functools
import json
import os
from typing import Iterator, List

#: The result columns of ``score_dataframe``, besides the input's own ``id``.
RESULT_SCHEMA = "id string, score double, label string, error string"

#: The record fields a DataFrame may have (the other columns are ignored).
FIELDS = ["text", "title", "company_profile", "description", "requirements", "benefits", "location",
          "salary_range", "department", "industry", "function", "employment_type"]


#: A DataFrame of records: an id and every field, as strings (null where a record lacks the field).
INPUT_SCHEMA = ", ".join(f"{c} string" for c in ["id"] + FIELDS)


def to_pandas(records):
    """Records (dicts of str) as a pandas DataFrame of ``INPUT_SCHEMA``'s columns, None where a field is missing."""
    import pandas

    frame = pandas.DataFrame(records, columns=["id"] + FIELDS)
    return frame.astype(object).where(frame.notna(), None)


def task_threads() -> int:
    """The model threads of one task: the cores Spark gives it (``spark.task.cpus``, 1 unless set)."""
    from pyspark import TaskContext

    context = TaskContext.get()
    return max(1, int(context.cpus())) if context is not None else 1


def model_folder(model: str) -> str:
    """``model`` as this process can load it: a built-in name or a folder that exists here as given, else the copy
    of a folder the driver shipped with ``sc.addFile(folder, recursive=True)``, found by the folder's name."""
    if not model or model in ("base", "fast") or os.path.isdir(model):
        return model
    from pyspark import SparkFiles

    shipped = SparkFiles.get(os.path.basename(model.rstrip("/")))
    return shipped if os.path.isdir(shipped) else model


@functools.lru_cache(maxsize=None)
def classifier(model: str = "", threads: int = 1):
    """One classifier per Python worker process (and model/threads), loaded on first use: loading costs a fraction
    of a second, so it must not happen per batch or per row."""
    import lurescan

    return lurescan.Classifier(model_folder(model) or None, threads=threads)


def id_text(value):
    """An id as ``RESULT_SCHEMA``'s string: None for a missing one, and a whole float as the integer it was (an
    integer column with nulls reaches pandas as float64; ``score_dataframe`` casts ids to strings before that)."""
    if value is None or value != value:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def score_batches(batches: Iterator["pandas.DataFrame"], model: str = "") -> Iterator["pandas.DataFrame"]:
    """The ``mapInPandas`` function: each Arrow batch of rows to (id, score, label, error)."""
    clf = classifier(model, task_threads())
    for batch in batches:
        # Column names in any case, as the package reads a record's keys (`Text`, `ID`).
        fields = batch[[c for c in batch.columns if c.strip().lower() in FIELDS]]
        result = clf.predict(fields)
        ids = next((batch[c] for c in batch.columns if c.strip().lower() == "id"), None)
        # RESULT_SCHEMA's id is a string: a numeric id column is given as its text.
        result.insert(0, "id", None if ids is None else ids.map(id_text))
        yield result


def score_dataframe(df, model: str = ""):
    """``df`` (an ``id`` column and field columns) scored with the Python package: a DataFrame of ``RESULT_SCHEMA``.
    ``model``: a built-in name, a folder at the same path on every executor, or one shipped with
    ``sc.addFile(folder, recursive=True)`` (see ``model_folder``)."""
    # Ids as Spark writes them: a long id with nulls would reach pandas as float64 (12345678901 as 12345678901.0).
    for name, kind in df.dtypes:
        if name.strip().lower() == "id" and kind != "string":
            df = df.withColumn(name, df[name].cast("string"))
    return df.mapInPandas(functools.partial(score_batches, model=model), RESULT_SCHEMA)


def score_rdd_with_cli(lines, binary: str, model: str = ""):
    """An RDD of JSONL strings (one record each) scored by ``lurescan score`` through ``RDD.pipe``: an RDD of the
    result rows as dicts. ``-q`` keeps the task logs free of per-partition summaries; ``-j`` gives the binary the
    task's cores; ``checkCode`` fails the task (Spark then retries it) when the binary exits non-zero, which it only
    does when the whole run failed, never for a bad record (that is an error row)."""
    command = [binary, "score", "-q", "-j", "1"] + (["--model", model] if model else [])
    return lines.pipe(" ".join(command), checkCode=True).map(json.loads)


def main(argv: List[str]) -> None:
    import sys

    import pandas
    from pyspark.sql import SparkSession

    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
    from records import generate  # the tests' generator of made-up postings and messages

    binary = None
    if "--cli" in argv:
        binary = argv[argv.index("--cli") + 1]
        argv = [a for a in argv if a not in ("--cli", binary)]
    n = int(argv[0]) if argv else 2000
    records = generate(n)

    spark = SparkSession.builder.master("local[2]").appName("lurescan-example").getOrCreate()
    spark.sparkContext.addPyFile(__file__)  # so workers import this module (and keep its cached classifier)
    import spark_score  # noqa: F401  (pickled by reference, not by value, from here on)

    df = spark.createDataFrame(to_pandas(records), INPUT_SCHEMA).repartition(4)
    scored = spark_score.score_dataframe(df)
    scored.show(5, truncate=False)
    print("flagged:", scored.filter("label = 'lure'").count(), "of", scored.count())

    if binary:
        lines = spark.sparkContext.parallelize([json.dumps(r) for r in records], 4)
        for row in spark_score.score_rdd_with_cli(lines, os.path.abspath(binary)).take(5):
            print(row)
    spark.stop()


if __name__ == "__main__":
    import sys

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main(sys.argv[1:])
