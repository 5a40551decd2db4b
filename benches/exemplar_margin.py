#!/usr/bin/env python3
"""How well the exemplar margin alone separates lure messages from ordinary ones, per message source.

Runs the `exemplar_margin` example of the `lurescan` crate (the library's own exemplar code on any BERT folder: a
lurescan model, or an imported encoder with no classifier yet) on the labelled pool's messages of the chosen splits:
each message's margin is the mean cosine to its 3 nearest lure exemplars minus that to its 3 nearest benign ones.
Prints per source: messages, lures, PR-AUC of the margin alone (and of the model's own score, for a model folder),
and the share of ordinary messages the margin flags at the threshold that finds --recall of the lures (pooled over
all sources, so every source is judged at one threshold). The exemplars are written for the project and not fitted
to the pool, so the margin never saw these messages (the model's encoder may have been trained on the train split).

    cargo build --release -p lurescan --example exemplar_margin && cargo build --release -p lurescan-cli
    python3 benches/exemplar_margin.py --model models/lurescan-base
    python3 benches/exemplar_margin.py --model /path/to/e5-folder --prefix "query: " --split train,valid

Never run it on `test` to choose anything. Needs the pool (../shared/datasets/lurescan-pool-v2/pool.jsonl).
"""

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def average_precision(scores, labels):
    pairs = sorted(zip(scores, labels), key=lambda p: -p[0])
    positives = sum(labels)
    if positives == 0:
        return None
    hits, total = 0, 0.0
    for i, (_, y) in enumerate(pairs, 1):
        if y:
            hits += 1
            total += hits / i
    return total / positives


def pool_path():
    for base in (ROOT.parent, ROOT.parent.parent):
        path = base / "shared/datasets/lurescan-pool-v2/pool.jsonl"
        if path.is_file():
            return path
    sys.exit("pool not found: pass --pool ../shared/datasets/lurescan-pool-v2/pool.jsonl")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=str(ROOT / "models/lurescan-base"), help="model or encoder folder")
    parser.add_argument("--exemplars", default=str(ROOT / "datasets/exemplars/exemplars.jsonl"))
    parser.add_argument("--prefix", default="", help='put before every text (E5: "query: ")')
    parser.add_argument("--pool")
    parser.add_argument("--split", default="valid", help="comma-separated splits; never `test` for choosing")
    parser.add_argument("--recall", type=float, default=0.8, help="share of lures the margin threshold must find")
    parser.add_argument("--target", default=str(ROOT / "target/release"))
    args = parser.parse_args()
    splits = set(args.split.split(","))

    rows = []
    with open(args.pool or pool_path(), encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r.get("split") in splits and r.get("kind", "message") == "message" and isinstance(r.get("text"), str):
                rows.append(r)
    messages = "".join(json.dumps({"id": str(i), "text": r["text"]}, ensure_ascii=False) + "\n" for i, r in enumerate(rows))
    example = [str(Path(args.target) / "examples/exemplar_margin"), args.model, args.exemplars, "--prefix", args.prefix]
    out = subprocess.run(example, input=messages, check=True, capture_output=True, text=True).stdout
    margin = {int(json.loads(l)["id"]): json.loads(l) for l in out.splitlines()}
    # The model's own score, when the folder is a classifier.
    config = json.loads((Path(args.model) / "config.json").read_text())
    score = {}
    if any(a.endswith("ForSequenceClassification") for a in config.get("architectures", [])):
        cmd = [str(Path(args.target) / "lurescan"), "score", "-f", "jsonl", "-q", "--model", args.model]
        out = subprocess.run(cmd, input=messages, check=True, capture_output=True, text=True).stdout
        score = {int(json.loads(l)["id"]): json.loads(l)["score"] for l in out.splitlines()}

    margins, scores, labels, sources = [], [], [], []
    typologies = defaultdict(int)
    for i, r in enumerate(rows):
        m = margin.get(i, {}).get("margin")
        if m is None:
            continue
        margins.append(m)
        scores.append(score.get(i))
        labels.append(int(r["label"]))
        sources.append(r["source"])
        if labels[-1] == 1:
            typologies[margin[i]["typology"]] += 1

    lure_margins = sorted((m for m, y in zip(margins, labels) if y), reverse=True)
    if not lure_margins:
        sys.exit("no lures among these messages")
    threshold = lure_margins[max(0, int(round(args.recall * len(lure_margins))) - 1)]
    print(f"{args.model}, splits {','.join(sorted(splits))}, prefix {args.prefix!r}: {len(labels)} messages, "
          f"{sum(labels)} lures; margin threshold {threshold:+.4f} finds {args.recall:.0%} of the lures (pooled)")
    print("| source | messages | lures | PR-AUC margin | PR-AUC model score | ordinary flagged by margin |")
    print("|---|--:|--:|--:|--:|--:|")
    fmt = lambda v: "-" if v is None else f"{v:.3f}"
    for source in sorted(set(sources)) + ["all"]:
        idx = [i for i, s in enumerate(sources) if source in ("all", s)]
        m = [margins[i] for i in idx]
        y = [labels[i] for i in idx]
        s = [scores[i] for i in idx]
        ordinary = [mm for mm, yy in zip(m, y) if not yy]
        flagged = sum(mm >= threshold for mm in ordinary)
        model_ap = average_precision(s, y) if None not in s else None
        print(f"| {source} | {len(idx)} | {sum(y)} | {fmt(average_precision(m, y))} | {fmt(model_ap)} | "
              f"{flagged}/{len(ordinary)} ({flagged / max(1, len(ordinary)):.1%}) |")
    print("nearest typology of the lures:", dict(sorted(typologies.items(), key=lambda kv: -kv[1])))


if __name__ == "__main__":
    main()
