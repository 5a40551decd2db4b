#!/usr/bin/env python3
"""How models score Chinese written in Traditional characters, beside the same records as written (mostly Simplified).

The pool's Chinese is mostly Simplified (mainland Telegram chat); lures aimed at Taiwan, Hong Kong and Macau are
written in Traditional characters. This takes the Chinese records of labelled files (20 Han characters or more),
converts them with OpenCC (`s2twp`: Taiwan characters and phrasing, 视频 → 影片; and `s2hk`), and reports for each
model, per script, ROC-AUC, how many ordinary records are flagged and how many lures found at the model's
thresholds, and how far the scores of a record's conversions move from its score as written (the pool's Chinese is
mostly Simplified, with some Traditional, which the conversions leave as it is).

    pip install opencc-purepy==1.5.0
    python3 benches/traditional.py --model base --model DIR --data target/pool2/valid.jsonl \\
        --data datasets/regional-probes/probe-a.jsonl [--binary target/release/lurescan]

Use development data only (valid, probe A): the conversions are as read-limited as the records they come from.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ("as-written", "s2twp", "s2hk")
TEXT_FIELDS = ("text", "title", "company_profile", "description", "requirements", "benefits")


def han_count(record: dict) -> int:
    return sum("\u4e00" <= c <= "\u9fff" for f in TEXT_FIELDS for c in str(record.get(f) or ""))


def roc_auc(pos: list[float], neg: list[float]) -> float:
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / max(len(pos) * len(neg), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", action="append", required=True, help="model name or folder (repeatable)")
    parser.add_argument("--data", action="append", required=True, type=Path, help="labelled JSONL (repeatable)")
    parser.add_argument("--binary", type=Path, default=ROOT / "target/release/lurescan")
    args = parser.parse_args()
    try:
        from opencc_purepy import OpenCC
    except ImportError:
        sys.exit("needs OpenCC: pip install opencc-purepy==1.5.0")
    converters = {name: OpenCC(name) for name in SCRIPTS[1:]}

    records = []
    for path in args.data:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and han_count(r := json.loads(line)) >= 20:
                records.append(r)
    rows = []
    for i, r in enumerate(records):
        for script in SCRIPTS:
            row = {k: v for k, v in r.items() if k not in ("id",)}
            if script != "as-written":
                for f in TEXT_FIELDS:
                    if isinstance(row.get(f), str):
                        row[f] = converters[script].convert(row[f])
            row["id"] = f"{i}/{script}"
            rows.append(row)
    lures = sum(1 for r in records if r["label"])
    print(f"{len(records)} Chinese records ({lures} lures) from {', '.join(str(p) for p in args.data)}")
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as f:
        f.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
        f.flush()
        print("| model | script | ROC-AUC | ordinary flagged | lures found | mean abs. change from as written |")
        print("|---|---|---:|---:|---:|---:|")
        for model in args.model:
            out = subprocess.run([str(args.binary), "score", "-q", "--model", model, f.name], capture_output=True,
                                 text=True, check=True).stdout
            scored = {s["id"]: s for s in map(json.loads, out.splitlines())}
            for script in SCRIPTS:
                got = [(scored[f"{i}/{script}"], r["label"]) for i, r in enumerate(records)]
                pos = [s["score"] for s, label in got if label]
                neg = [s["score"] for s, label in got if not label]
                flagged = sum(s["label"] == "lure" for s, label in got if not label)
                found = sum(s["label"] == "lure" for s, label in got if label)
                change = sum(abs(scored[f"{i}/{script}"]["score"] - scored[f"{i}/as-written"]["score"])
                             for i in range(len(records))) / len(records)
                print(f"| {model} | {script} | {roc_auc(pos, neg):.3f} | {flagged}/{len(neg)} | {found}/{len(pos)} "
                      f"| {change:.3f} |")


if __name__ == "__main__":
    main()
