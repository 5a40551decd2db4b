#!/usr/bin/env python3
"""Records per second of lurescan at three scales, side by side on the same generated records: `lurescan score`
alone (the release binary, stdin JSONL to stdout), the Python package alone (`Classifier.predict`), and Spark
`local[2]` both ways (mapInPandas with the package, RDD.pipe through the binary), with the overhead of each over the
binary alone. Spark's start-up and the DataFrame's creation are not timed (the input is cached first); loading the
model in each worker is (once per Python worker, once per partition for the pipe).

Needs a release build (cargo build --release -p lurescan-cli), the package (pip install crates/python), pyspark,
pandas, pyarrow and Java 17+. The records are the test suite's generator's (crates/python/tests/records.py).

    python3 benches/spark_scale.py [--records 20000] [--partitions 4] [--repeat 2]

On a shared machine the figures are indicative: take the best of --repeat runs, and compare ratios, not rates.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "crates" / "python" / "tests"))
sys.path.insert(0, str(ROOT / "crates" / "python" / "examples"))

from records import generate  # noqa: E402


def best(repeat: int, run) -> float:
    """The shortest of `repeat` runs of `run()`, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--partitions", type=int, default=4, help="Spark partitions (2 per core by default)")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--binary", default=str(ROOT / "target" / "release" / "lurescan"))
    args = parser.parse_args()

    records = generate(args.records)
    lines = [json.dumps(r) for r in records]
    stdin = "".join(line + "\n" for line in lines)
    n = len(records)
    rates = {}

    def cli():
        done = subprocess.run([args.binary, "score", "-q"], input=stdin, capture_output=True, text=True, check=True)
        assert done.stdout.count("\n") == n

    rates["lurescan score (2 threads)"] = n / best(args.repeat, cli)

    import lurescan

    classifier = lurescan.Classifier()
    rates["Python Classifier.predict (2 threads)"] = n / best(args.repeat, lambda: classifier.predict(records))

    os.environ["PYSPARK_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    import spark_score

    spark = (SparkSession.builder.master("local[2]").appName("lurescan-scale")
             .config("spark.ui.enabled", "false").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext.addPyFile(spark_score.__file__)
    df = spark.createDataFrame(spark_score.to_pandas(records), spark_score.INPUT_SCHEMA)
    df = df.repartition(args.partitions).cache()
    df.count()
    rdd = spark.sparkContext.parallelize(lines, args.partitions).cache()
    rdd.count()

    def map_in_pandas():
        spark_score.score_dataframe(df).write.format("noop").mode("overwrite").save()

    def pipe():
        assert spark_score.score_rdd_with_cli(rdd, args.binary).count() == n

    rates[f"Spark local[2] mapInPandas ({args.partitions} partitions, 1 thread a task)"] = n / best(args.repeat, map_in_pandas)
    rates[f"Spark local[2] RDD.pipe ({args.partitions} partitions, -j 1)"] = n / best(args.repeat, pipe)
    spark.stop()

    alone = rates["lurescan score (2 threads)"]
    print(f"{n} generated records, best of {args.repeat}\n")
    print("| path | records/s | overhead vs lurescan score |")
    print("|---|---:|---:|")
    for name, rate in rates.items():
        print(f"| {name} | {rate:,.0f} | {alone / rate:.2f}x |")


if __name__ == "__main__":
    main()
