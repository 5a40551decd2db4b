#!/usr/bin/env python3
"""Judges training recipes out of sample without touching the pool's `test` split: `valid` is cut in two halves
by near-duplicate group (stratified by source and label), each recipe is trained with one half as its validation
data and scored on the other half, both ways round, and one table gives the EMSCAD PR-AUC and F1 on the other
half (mean of the two ways) and the share of non-lure messages flagged.

Beside them, the two classic baselines of benches/baselines.py (trained on the pool's `train` split, threshold chosen
on the fitting half: best F1, and lurescan's half-best-F1 rule) are judged the same way, and a paired bootstrap asks
how far one test split of about this size could stray from these figures: for each resample of both judged halves
(records drawn with replacement within each label, the same draw for every model), the shipped recipe's EMSCAD
PR-AUC and F1, and its lead over the linear SVM. A last table shows how often the shipped recipe flags each half's
postings when they are cut to their title, location and first words of description.

This is how the shipped recipe's threshold rule and refit were chosen (see models/lurescan-base/README.md):

    best-f1, no refit     the session-2 recipe
    half-best-f1          the same trained model, with the threshold the half-best-F1 rule picks
    + lexical refit       --refit lexical
    + BERT refit too      --refit all (the shipped recipe)

Needs the pool imported (python3 datasets/import_pool.py), the synthetic records (models/train-fast.sh makes
them, or python3 datasets/synth_lures.py --out target/pool/synthetic.jsonl and append them to train) and a release
build. Six trainings: about 25 minutes on 2 cores (trained folders in --work are reused on a second run).

    python3 benches/valid_halves.py [--work target/valid-halves] [--bootstrap 2000]
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
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

sys.path.insert(0, str(Path(__file__).resolve().parent))
from baselines import best_f1_threshold, render, vectorizer  # noqa: E402  (the same baselines, not a copy)

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


SHIPPED = "+ BERT refit too (shipped)"
SVM = "TF-IDF + linear SVM"


def train_baselines(train_path: Path) -> dict[str, object]:
    """benches/baselines.py's two baselines, trained on the pool's `train` split."""
    train = read_jsonl(train_path)
    texts, y = [render(r) for r in train], [r["label"] for r in train]
    out = {}
    for name, classifier in (("TF-IDF + LR", LogisticRegression(C=10.0, class_weight="balanced", max_iter=5000,
                                                                  solver="liblinear")),
                             (SVM, LinearSVC(C=0.5, class_weight="balanced", random_state=0))):
        print(f"training {name} on {train_path.name} ...", file=sys.stderr, flush=True)
        out[name] = make_pipeline(vectorizer(), classifier).fit(texts, y)
    return out


def baseline_thresholds(name: str, pipeline, fit: list[dict], judge: list[dict]) -> dict[str, tuple]:
    """The baseline's scores on `judge`, with its threshold chosen on `fit` two ways: the best F1 on all of `fit`
    (as benches/baselines.py does on valid), and lurescan's rule (Platt-scaled, half the best F1 on the postings)."""
    y = np.array([r["label"] for r in fit])
    decision = pipeline.decision_function([render(r) for r in fit])
    judged = pipeline.decision_function([render(r) for r in judge])
    best_threshold, _ = best_f1_threshold(y, decision)
    platt = LogisticRegression(C=1e4).fit(decision.reshape(-1, 1), y)
    calibrated = platt.predict_proba(decision.reshape(-1, 1))[:, 1]
    postings = np.array([r["kind"] != "message" for r in fit])
    _, best_f1 = best_f1_threshold(y[postings], calibrated[postings])
    return {
        name: (judged, best_threshold, None),
        f"{name}, half-best-F1 threshold": (platt.predict_proba(judged.reshape(-1, 1))[:, 1], best_f1 / 2, None),
    }


def print_bootstrap(judged: dict[str, list[tuple]], resamples: int, seed: int) -> None:
    """Paired bootstrap over the judged EMSCAD records of both halves: each resample draws every half's fraudulent
    and legitimate records with replacement (as many as it has), measures every model on that same draw, and takes the
    mean of the two halves, as the table does."""
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(resamples):
        draw = []
        for y, *_ in judged[SHIPPED]:
            pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
            draw.append(np.concatenate([rng.choice(pos, pos.size), rng.choice(neg, neg.size)]))
        draws.append(draw)

    def metrics(name: str) -> np.ndarray:
        out = np.empty((resamples, 2))
        for k, draw in enumerate(draws):
            per_way = [(average_precision_score(y[i], s[i]), f1_at(s[i], y[i], t))
                       for (y, s, t, _), i in zip(judged[name], draw)]
            out[k] = np.mean(per_way, axis=0)
        return out

    ours, svm = metrics(SHIPPED), metrics(SVM)
    n = sum(len(y) for y, *_ in judged[SHIPPED])
    lo, hi = 5, 95
    print(f"\nPaired bootstrap, {resamples} resamples of the {n} judged EMSCAD records "
          f"({lo}th-{hi}th percentiles; share of resamples):")
    for label, values, bar in (("shipped recipe EMSCAD PR-AUC", ours[:, 0], 0.99),
                               ("shipped recipe EMSCAD F1", ours[:, 1], 0.95)):
        print(f"- {label}: {np.percentile(values, lo):.4f}-{np.percentile(values, hi):.4f}, "
              f"below {bar}: {np.mean(values < bar):.1%}")
    for label, column in (("PR-AUC", 0), ("F1", 1)):
        lead = ours[:, column] - svm[:, column]
        print(f"- lead over the SVM in {label}: {np.percentile(lead, lo):+.4f} to {np.percentile(lead, hi):+.4f}, "
              f"SVM ahead or level: {np.mean(lead <= 0):.1%}")


def shortened(record: dict, words: int | None) -> dict:
    """The posting as scored: whole, or only its title, location and first `words` words of description."""
    if words is None:
        return {k: v for k, v in record.items() if k not in ("label", "source", "split", "group", "subset", "kind")}
    out = {k: record[k] for k in ("id", "title", "location") if record.get(k)}
    if record.get("description"):
        out["description"] = " ".join(record["description"].split()[:words])
    return out


def print_short_postings(sides: dict[str, list[dict]], work: Path, flagged) -> None:
    """How often the shipped recipe flags the postings of each half (fitted on the other half) when they are cut
    short: the fall-back towards the pool's share of fraud that short, evidence-poor postings get."""
    cuts = {"whole": None, "first 60 words": 60, "first 25 words": 25}
    groups = {
        "EMSCAD fraudulent": lambda r: r["source"] == "emscad" and r["label"] == 1,
        "EMSCAD legitimate": lambda r: r["source"] == "emscad" and r["label"] == 0,
        "of them `random-sample`": lambda r: r.get("subset") == "random-sample",
        "other legitimate job ads": lambda r: r["source"] != "emscad",
    }
    counts = {g: {c: [0, 0] for c in cuts} for g in groups}
    for judge, fit in (("A", "B"), ("B", "A")):
        postings = [r for r in sides[judge] if r["kind"] == "posting"]
        for cut, words in cuts.items():
            path = work / f"postings{judge}-{words or 'whole'}.jsonl"
            with path.open("w", encoding="utf-8") as f:
                f.writelines(json.dumps(shortened(r, words), ensure_ascii=False) + "\n" for r in postings)
            for record, lure in zip(postings, flagged(work / f"all-{fit}", path)):
                for group, member in groups.items():
                    if member(record):
                        counts[group][cut][0] += lure
                        counts[group][cut][1] += 1
    print("\nPostings flagged by the shipped recipe (fitted on the other half), whole and cut to their title, location "
          "and first words of description:\n")
    print("| postings in `valid` halves | " + " | ".join(cuts) + " |")
    print("|---|" + "---:|" * len(cuts))
    for group, by_cut in counts.items():
        print(f"| {group}, flagged | " + " | ".join(f"{k}/{n}" for k, n in by_cut.values()) + " |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pool-dir", type=Path, default=REPO / "target" / "pool")
    ap.add_argument("--train", type=Path, help="training file (default: POOL_DIR/train-plus-synthetic.jsonl)")
    ap.add_argument("--work", type=Path, default=REPO / "target" / "valid-halves")
    ap.add_argument("--binary", type=Path, default=REPO / "target" / "release" / "lurescan")
    ap.add_argument("--seed", type=int, default=2026, help="seed of the split into halves and of the bootstrap")
    ap.add_argument("--bootstrap", type=int, default=2000, metavar="N", help="paired bootstrap resamples; 0: none")
    args = ap.parse_args()
    train = args.train or args.pool_dir / "train-plus-synthetic.jsonl"
    for path in (train, args.pool_dir / "train.jsonl", args.pool_dir / "valid.jsonl", args.binary):
        if not path.exists():
            sys.exit(f"error: {path} not found: run models/train-fast.sh (or import the pool and build) first")
    args.work.mkdir(parents=True, exist_ok=True)
    sides = halves(read_jsonl(args.pool_dir / "valid.jsonl"), args.seed)
    for h, rows in sides.items():
        with (args.work / f"valid{h}.jsonl").open("w", encoding="utf-8") as f:
            f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)

    def score_rows(model: Path, path: Path) -> list[dict]:
        out = subprocess.run([str(args.binary), "score", "-q", "--model", str(model), str(path)],
                             check=True, capture_output=True, text=True).stdout
        return [json.loads(line) for line in out.splitlines()]

    def scores(model: Path, half: str) -> np.ndarray:
        return np.array([row["score"] for row in score_rows(model, args.work / f"valid{half}.jsonl")])

    def labels_of(model: Path, path: Path) -> list[bool]:
        return [row["label"] == "lure" for row in score_rows(model, path)]

    baselines = train_baselines(args.pool_dir / "train.jsonl")
    # judged[name] = one (EMSCAD labels, EMSCAD scores, threshold, non-lure messages flagged) per way round.
    judged: dict[str, list[tuple[np.ndarray, np.ndarray, float, float]]] = defaultdict(list)
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
            SHIPPED: trained["all"],
        }
        for name, pipeline in baselines.items():
            models.update(baseline_thresholds(name, pipeline, sides[fit], rows))
        for name, (s, threshold, message_threshold) in models.items():
            flagged_messages = float((s[ordinary] >= (message_threshold or threshold)).mean())
            judged[name].append((labels[emscad], s[emscad], threshold, flagged_messages))
            print(f"fitted on {fit}, judged on {judge}: {name:36s} EMSCAD PR-AUC "
                  f"{average_precision_score(labels[emscad], s[emscad]):.4f} F1 "
                  f"{f1_at(s[emscad], labels[emscad], threshold):.4f}, non-lure messages flagged "
                  f"{flagged_messages:.2%}", file=sys.stderr)

    print("| model (judged on the other half of valid, mean of both ways) | EMSCAD PR-AUC | EMSCAD F1 | "
          "non-lure messages flagged |")
    print("|---|---:|---:|---:|")
    for name, ways in judged.items():
        pr_auc = np.mean([average_precision_score(y, s) for y, s, _, _ in ways])
        f1 = np.mean([f1_at(s, y, t) for y, s, t, _ in ways])
        messages = np.mean([m for *_, m in ways])
        print(f"| {name} | {pr_auc:.4f} | {f1:.4f} | {messages:.2%} |")
    if args.bootstrap:
        print_bootstrap(judged, args.bootstrap, args.seed)
    print_short_postings(sides, args.work, labels_of)
    return 0


if __name__ == "__main__":
    sys.exit(main())
