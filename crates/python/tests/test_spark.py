"""Spark on local[2], both ways the README documents: mapInPandas with the Python package, and RDD.pipe through
the `lurescan score` binary. Every generated record must come back exactly once with `lurescan score`'s result."""

from __future__ import annotations

import json

import spark_score
from conftest import MODEL, assert_same_rows


def test_map_in_pandas_scores_every_record_once(spark, records, reference):
    df = spark.createDataFrame(spark_score.to_pandas(records), spark_score.INPUT_SCHEMA).repartition(4)
    scored = spark_score.score_dataframe(df, model=MODEL)
    assert scored.rdd.getNumPartitions() == 4
    rows = [row.asDict() for row in scored.collect()]
    assert_same_rows(rows, reference)


def test_rdd_pipe_through_the_cli_scores_every_record_once(spark, binary, records, reference):
    lines = spark.sparkContext.parallelize([json.dumps(r) for r in records], 4)
    partitions = spark_score.score_rdd_with_cli(lines, str(binary), model=MODEL).glom().collect()
    assert len(partitions) == 4
    assert_same_rows([row for part in partitions for row in part], reference)
    # Within a partition the rows keep the input's order.
    order = {r["id"]: i for i, r in enumerate(records)}
    for part in partitions:
        positions = [order[row["id"]] for row in part]
        assert positions == sorted(positions)


def test_numeric_ids_with_nulls_come_back_as_their_integer_text(spark):
    df = spark.createDataFrame(
        [(1, "Earn 500 a day liking videos"), (None, "Team meeting at 3pm"), (12345678901234567, "Hello")],
        "id long, text string",
    )
    rows = spark_score.score_dataframe(df, model=MODEL).collect()
    assert sorted((row["id"] or "") for row in rows) == ["", "1", "12345678901234567"]
    assert all(row["error"] is None for row in rows)


def test_id_text_gives_whole_floats_as_integers_and_missing_ids_as_none():
    assert [spark_score.id_text(v) for v in [7.0, 7.5, "a7", None, float("nan"), 3]] == ["7", "7.5", "a7", None, None, "3"]
