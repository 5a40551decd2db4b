#!/usr/bin/env python3
"""Judges training recipes out of sample without touching the pool's `test` split: `valid` is cut in two halves
by near-duplicate group (stratified by source and label), each recipe is trained with one half as its validation
data and scored on the other half, both ways round, and one table gives the EMSCAD PR-AUC and F1 on the other
half (mean of the two ways) and the share of non-lure messages flagged.

This is how the shipped recipe's threshold rule and refit were chosen (see models/lurescan-base/README.md):

    best-f1, no refit     the session-2 recipe
    half-best-f1          the same trained model, with the threshold the half-best-F1 rule picks
    + lexical refit       --refit lexical
    + BERT refit too      --refit all (the shipped recipe)

Needs the pool imported (python3 datasets/import_pool.py), the synthetic records (models/train-default.sh makes
them, or python3 datasets/synth_lures.py --out target/pool/synthetic.jsonl and append them to train) and a release
build. Six trainings: about 25 minutes on 2 cores.

    python3 benches/valid_halves.py [--work target/valid-halves]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.metrics import average_precision_score

REPO = Path(__file__).resolve().parent.parent
RECIPE = REPO / "models" / "lurescan-base.recipe.json"
RECIPES = {  # name: extra `lurescan train` flags
    "best-f1": ["--threshold-rule", "best-f1", "--refit", "none"],
    "lexical": ["--threshold-rule", "half-best-f1", "--refit", "lexical"],
    "all": ["--threshold-rule", "half-best-f1", "--refit", "all"],
}


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def halves(valid: list[dict], seed: int) -> dict[str, list[dict]]:
    """Groups dealt alternately into A and B within each (source, group has a lure) stratum, after a seeded shuffle."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in valid:
        groups[r["group"]].append(r)
    strata: dict[tuple, list[str]] = defaultdict(list)
    for g, rows in sorted(groups.items()):
        strata[(rows[0]["source"], max(r["label"] for r in rows))].append(g)
    rng = random.Random(seed)
    side = {}
    for _, gs in sorted(strata.items()):
        rng.shuffle(gs)
        for i, g in enumerate(gs):
            side[g] = "AB"[i % 2]
    return {h: [r for r in valid if side[r["group"]] == h] for h in "AB"}


def f1_at(scores: np.ndarray, labels: np.ndarray, threshold: float) -> float:
    flagged = scores >= threshold
    tp = int((flagged & (labels == 1)).sum())
    return 2 * tp / max(2 * tp + int((flagged & (labels == 0)).sum()) + int((~flagged & (labels == 1)).sum()), 1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pool-dir", type=Path, default=REPO / "target" / "pool")
    ap.add_argument("--train", type=Path, help="training file (default: POOL_DIR/train-plus-synthetic.jsonl)")
    ap.add_argument("--work", type=Path, default=REPO / "target" / "valid-halves")
    ap.add_argument("--binary", type=Path, default=REPO / "target" / "release" / "lurescan")
    ap.add_argument("--seed", type=int, default=2026, help="seed of the split into halves")
    args = ap.parse_args()
    train = args.train or args.pool_dir / "train-plus-synthetic.jsonl"
    for path in (train, args.pool_dir / "valid.jsonl", args.binary):
        if not path.exists():
            sys.exit(f"error: {path} not found: run models/train-default.sh (or import the pool and build) first")
    args.work.mkdir(parents=True, exist_ok=True)
    sides = halves(read_jsonl(args.pool_dir / "valid.jsonl"), args.seed)
    for h, rows in sides.items():
        with (args.work / f"valid{h}.jsonl").open("w", encoding="utf-8") as f:
            f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)

    def scores(model: Path, half: str) -> np.ndarray:
        out = subprocess.run([str(args.binary), "score", "-q", "--model", str(model), str(args.work / f"valid{half}.jsonl")],
                             check=True, capture_output=True, text=True).stdout
        return np.array([json.loads(line)["score"] for line in out.splitlines()])

    results: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for fit, judge in (("A", "B"), ("B", "A")):
        rows = sides[judge]
        labels = np.array([r["label"] for r in rows])
        emscad = np.array([r["source"] == "emscad" for r in rows])
        ordinary = np.array([r["kind"] == "message" and r["label"] == 0 for r in rows])
        trained = {}
        for name, flags in RECIPES.items():
            out = args.work / f"{name}-{fit}"
            if not (out / "lurescan.json").is_file():
                print(f"training {name} with valid half {fit} ...", file=sys.stderr, flush=True)
                subprocess.run([str(args.binary), "train", "-q", "--data", str(train), "--valid",
                                str(args.work / f"valid{fit}.jsonl"), "--out", str(out), "--config", str(RECIPE),
                                *flags], check=True, stdout=subprocess.DEVNULL)
            settings = json.loads((out / "lurescan.json").read_text())
            trained[name] = (scores(out, judge), settings["threshold"], settings.get("message_threshold"))
        # The refit runs chose their thresholds before refitting, on the same first-phase model as the best-f1
        # run: so that model's scores at their thresholds are the half-best-F1 rule without a refit.
        models = {
            "best-F1 threshold, no refit": trained["best-f1"],
            "half-best-F1 threshold": (trained["best-f1"][0], *trained["lexical"][1:]),
            "+ lexical refit": trained["lexical"],
            "+ BERT refit too (shipped)": trained["all"],
        }
        for name, (s, threshold, message_threshold) in models.items():
            pr_auc = average_precision_score(labels[emscad], s[emscad])
            flagged_messages = float((s[ordinary] >= (message_threshold or threshold)).mean())
            results[name].append((pr_auc, f1_at(s[emscad], labels[emscad], threshold), flagged_messages))
            print(f"fitted on {fit}, judged on {judge}: {name:28s} EMSCAD PR-AUC {pr_auc:.4f} F1 "
                  f"{results[name][-1][1]:.4f}, non-lure messages flagged {flagged_messages:.2%}", file=sys.stderr)

    print("| recipe (judged on the other half of valid, mean of both ways) | EMSCAD PR-AUC | EMSCAD F1 | "
          "non-lure messages flagged |")
    print("|---|---:|---:|---:|")
    for name, rows in results.items():
        mean = np.mean(np.array(rows), axis=0)
        print(f"| {name} | {mean[0]:.4f} | {mean[1]:.4f} | {mean[2]:.2%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
