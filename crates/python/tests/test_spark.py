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
