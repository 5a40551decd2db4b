#!/usr/bin/env python3
"""Classic baselines beside lurescan on the shared pool's test split, in one markdown table.

Trains TF-IDF (word 1-2 grams + char 3-5 grams) + logistic regression and TF-IDF + linear SVM on the pool's
`train` split, picks each model's threshold on `valid` (best F1; with `--half-best-f1` also lurescan's rule), and
scores `test`, the single-field records of
the fraudulent test postings (`test-short.jsonl`) and the project's short snippets (`datasets/short-lures.jsonl`).
With `--lurescan "CMD"` it also runs `CMD FILE > out.jsonl` on each of those files and puts lurescan in a column:
CMD must print one JSON line per input record, in input order,
`{"id": ..., "score": float|null, "label": "lure"|"legitimate"|null, "error": ...}`, where `label` applies the
model's own threshold.

Needs: Python 3.9+, numpy, scikit-learn (pip install numpy scikit-learn).
First run `python3 datasets/import_pool.py` (writes target/pool/), then:

    python3 benches/baselines.py
    python3 benches/baselines.py --lurescan "target/release/lurescan score --model models/lurescan-base"
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, precision_recall_curve
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.svm import LinearSVC

REPO = Path(__file__).resolve().parent.parent
# Field order of crates/infer/src/record.rs (`Field::ALL`): the order lurescan renders them in.
FIELDS = ("title", "location", "department", "salary_range", "employment_type", "industry", "function",
          "company_profile", "description", "requirements", "benefits", "text")
# EMSCAD's natural share of fraud: 866 of 17,880 ads.
EMSCAD_PREVALENCE = 0.048
JOB_AD_SOURCES = ("indeed-2025", "glassdoor-2020", "google-2018")
MESSAGE_SOURCES = ("uci-sms", "mendeley-sms", "vi-sms", "zh-tg", "th-sms", "ke-sms", "id-sms")


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def render(record: dict) -> str:
    """Fields joined in lurescan's order, each opened by its name (so presence of a field is visible, as it is
    to lurescan through its field markers)."""
    parts = []
    for field in FIELDS:
        value = record.get(field)
        if isinstance(value, str) and value.strip():
            parts.append(f"{field}: {' '.join(value.split())}")
    return "\n".join(parts)


def scoring_input(record: dict) -> dict:
    """What a scorer is given: the id and the text fields, no label, split or source."""
    out = {"id": record["id"]}
    out.update({f: record[f] for f in FIELDS if isinstance(record.get(f), str) and record[f].strip()})
    return out


def vectorizer() -> FeatureUnion:
    common = dict(sublinear_tf=True, min_df=2, max_df=0.9, lowercase=True, dtype=np.float32)
    return FeatureUnion([
        ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), max_features=200_000, **common)),
        # char_wb keeps n-grams inside word boundaries; it is what sees Chinese, Thai and obfuscated spellings
        # ("26OO米", "Kiem 6OOk") that the word tokenizer treats as one opaque token.
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), max_features=300_000, **common)),
    ])


def best_f1_threshold(y: np.ndarray, scores: np.ndarray) -> tuple[float, float]:
    precision, recall, thresholds = precision_recall_curve(y, scores)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    i = int(np.argmax(f1[:-1]))  # the last point (recall 0) has no threshold
    return float(thresholds[i]), float(f1[i])


class Model:
    """A scorer for the table: `scores` (higher = more lure-like, None = error) and `flagged` (bool) per record."""

    name: str
    train_seconds: float | None = None
    threshold: float | None = None
    valid_f1: float | None = None

    def score(self, name: str, records: list[dict]) -> tuple[list[float | None], list[bool]]:
        raise NotImplementedError


class Baseline(Model):
    def __init__(self, name: str, classifier, train: list[dict], valid: list[dict]):
        self.name = name
        self.pipeline = make_pipeline(vectorizer(), classifier)
        start = time.perf_counter()
        self.pipeline.fit([render(r) for r in train], [r["label"] for r in train])
        self.train_seconds = time.perf_counter() - start
        valid_scores = self.decision([render(r) for r in valid])
        self.threshold, self.valid_f1 = best_f1_threshold(np.array([r["label"] for r in valid]), valid_scores)
        self.score_seconds = 0.0
        self.scored = 0
        log(f"{name}: trained in {self.train_seconds:.1f}s, threshold {self.threshold:.4f} "
            f"(valid F1 {self.valid_f1:.3f})")

    def decision(self, texts: list[str]) -> np.ndarray:
        return self.pipeline.decision_function(texts)

    def half_best_f1(self, valid: list[dict]) -> "Model":
        """The same trained model with lurescan's threshold rule: scores Platt-scaled on `valid`, threshold half the
        best F1 on the valid postings (the F1-optimal threshold for calibrated probabilities)."""
        return HalfBestF1(self, valid)

    def score(self, name, records):
        start = time.perf_counter()
        scores = self.decision([render(r) for r in records])
        self.score_seconds += time.perf_counter() - start
        self.scored += len(records)
        return [float(s) for s in scores], [bool(s >= self.threshold) for s in scores]


class HalfBestF1(Model):
    def __init__(self, base: Baseline, valid: list[dict]):
        self.name = f"{base.name} (half-best-F1 threshold)"
        self.base = base
        decision = base.decision([render(r) for r in valid])
        y = np.array([r["label"] for r in valid])
        self.platt = LogisticRegression(C=1e4).fit(decision.reshape(-1, 1), y)
        p = self.calibrated(decision)
        postings = np.array([r.get("kind") != "message" for r in valid])
        _, best = best_f1_threshold(y[postings], p[postings])
        self.threshold = best / 2
        flagged = p >= self.threshold
        tp = int((flagged & (y == 1)).sum())
        self.valid_f1 = 2 * tp / max(2 * tp + int((flagged & (y == 0)).sum()) + int((~flagged & (y == 1)).sum()), 1)
        self.score_seconds = 0.0
        self.scored = 0
        log(f"{self.name}: threshold {self.threshold:.4f} (best valid postings F1 {best:.3f})")

    def calibrated(self, decision: np.ndarray) -> np.ndarray:
        return self.platt.predict_proba(decision.reshape(-1, 1))[:, 1]

    def score(self, name, records):
        start = time.perf_counter()
        p = self.calibrated(self.base.decision([render(r) for r in records]))
        self.score_seconds += time.perf_counter() - start
        self.scored += len(records)
        return [float(s) for s in p], [bool(s >= self.threshold) for s in p]


class Lurescan(Model):
    """Runs `CMD FILE > out.jsonl` and reads its rows."""

    def __init__(self, command: str, workdir: Path, name: str = "lurescan"):
        self.name = name
        self.command = shlex.split(command)
        self.workdir = workdir
        self.score_seconds = 0.0
        self.scored = 0
        self.errors = 0

    def score(self, name, records):
        infile = self.workdir / f"{name}.jsonl"
        outfile = self.workdir / f"{name}.lurescan.jsonl"
        with infile.open("w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(scoring_input(r), ensure_ascii=False) + "\n")
        start = time.perf_counter()
        with outfile.open("w", encoding="utf-8") as out:
            done = subprocess.run(self.command + [str(infile)], stdout=out, stderr=subprocess.PIPE, text=True)
        self.score_seconds += time.perf_counter() - start
        self.scored += len(records)
        if done.returncode != 0:
            sys.exit(f"error: `{shlex.join(self.command + [str(infile)])}` exited with {done.returncode}:\n"
                     f"{done.stderr[-2000:]}")
        rows = read_jsonl(outfile)
        if len(rows) != len(records):
            sys.exit(f"error: lurescan printed {len(rows)} rows for {len(records)} records of {infile} "
                     f"(see {outfile}); it must print one row per input record, in order")
        scores, flagged = [], []
        for i, (row, record) in enumerate(zip(rows, records), 1):
            if row.get("id") != record["id"]:
                sys.exit(f"error: {outfile}:{i}: id {row.get('id')!r}, expected {record['id']!r} (rows must "
                         f"follow the input order)")
            score = row.get("score")
            if score is None or row.get("error"):
                self.errors += 1
                log(f"lurescan: {name} record {record['id']}: error {row.get('error')!r}")
                score = None
            scores.append(None if score is None else float(score))
            flagged.append(row.get("label") == "lure")
        return scores, flagged


# ---------------------------------------------------------------------------------------------- metrics


def pr_auc(y: list[int], scores: list[float | None]) -> float | None:
    if not any(y) or all(y):
        return None
    # An error counts as the lowest score: a record the scorer could not read is a missed lure.
    s = np.array([-np.inf if v is None else v for v in scores], dtype=float)
    s[np.isneginf(s)] = (np.nanmin(s[np.isfinite(s)]) - 1) if np.isfinite(s).any() else 0
    return float(average_precision_score(y, s))


def prf(y: list[int], flagged: list[bool]) -> tuple[float, float, float]:
    tp = sum(1 for t, f in zip(y, flagged) if t and f)
    fp = sum(1 for t, f in zip(y, flagged) if not t and f)
    fn = sum(1 for t, f in zip(y, flagged) if t and not f)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def precision_at_prevalence(recall: float, false_positive_rate: float, prevalence: float) -> float | None:
    """Precision if fraud made up `prevalence` of the ads, with the test rows' recall and false-positive rate.

    The pool's EMSCAD test rows are about half fraud; in EMSCAD itself fraud is 4.8%. Reweighting each legitimate
    test row by w = (1 - p) / p * n_fraud / n_legit makes the legitimate rows weigh 95.2% of the total, so
        precision = TP / (TP + w * FP) = p * recall / (p * recall + (1 - p) * FPR),
    with recall = TP / n_fraud and FPR = FP / n_legit measured on the test rows.
    """
    denominator = prevalence * recall + (1 - prevalence) * false_positive_rate
    return prevalence * recall / denominator if denominator else None


def share(flagged: list[bool]) -> tuple[int, int]:
    return sum(flagged), len(flagged)


def fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if isinstance(value, tuple):  # (k, n) counts
        k, n = value
        return f"{100 * k / n:.1f}% ({k}/{n})" if n else "–"
    return f"{value:.3f}"


def evaluate(model: Model, sets: dict[str, list[dict]]) -> dict[str, object]:
    """Every table cell of one model, keyed by row name."""
    cells: dict[str, object] = {}
    scored = {name: model.score(name, records) for name, records in sets.items() if records}

    test = sets["test"]
    scores, flagged = scored["test"]
    by_source = defaultdict(list)
    for i, r in enumerate(test):
        by_source[r["source"]].append(i)

    def pick(indices):
        return ([test[i]["label"] for i in indices], [scores[i] for i in indices], [flagged[i] for i in indices])

    y, s, f = pick(range(len(test)))
    cells["all test: PR-AUC"] = pr_auc(y, s)
    for source in sorted(by_source):
        y, s, f = pick(by_source[source])
        if not any(y):
            continue
        p, r, f1 = prf(y, f)
        cells[f"{source} ({sum(y)}/{len(y) - sum(y)}): PR-AUC"] = pr_auc(y, s)
        cells[f"{source}: F1"] = f1
        cells[f"{source}: precision"] = p
        cells[f"{source}: recall"] = r
        if source == "emscad":
            legit = [i for i in by_source[source] if test[i]["label"] == 0]
            random_legit = [i for i in legit if test[i].get("subset") == "random-sample"]
            fraud = [i for i in by_source[source] if test[i]["label"] == 1]
            fpr_all = sum(flagged[i] for i in legit) / len(legit)
            cells["emscad: precision at 4.8% fraud (all legit rows reweighted)"] = \
                precision_at_prevalence(r, fpr_all, EMSCAD_PREVALENCE)
            if random_legit:
                # The random-sample rows stand for EMSCAD's legitimate ads as they are; the complete-case rows are
                # a biased slice. Same formula with the random-sample rows' false-positive rate (few rows: noisy).
                fpr_random = sum(flagged[i] for i in random_legit) / len(random_legit)
                cells["emscad: precision at 4.8% fraud (random-sample FPR)"] = \
                    precision_at_prevalence(r, fpr_random, EMSCAD_PREVALENCE)
                cells["emscad random-sample legit: flagged"] = share([flagged[i] for i in random_legit])
                y2, s2, _ = pick(fraud + random_legit)
                cells["emscad fraud vs random-sample legit: PR-AUC"] = pr_auc(y2, s2)
                complete = [i for i in legit if test[i].get("subset") == "complete-case"]
                cells["emscad complete-case legit: flagged"] = share([flagged[i] for i in complete])

    for source in JOB_AD_SOURCES:
        if source in by_source:
            cells[f"{source} (legit job ads): flagged"] = share([flagged[i] for i in by_source[source]])
    other = [i for src in JOB_AD_SOURCES for i in by_source.get(src, [])]
    cells["other legit job ads, all: flagged"] = share([flagged[i] for i in other])

    messages = [i for i, r in enumerate(test) if r.get("kind") == "message"]
    for source in MESSAGE_SOURCES:
        rows = [i for i in by_source.get(source, []) if test[i]["label"] == 0]
        if rows:
            cells[f"{source} non-lure messages: flagged"] = share([flagged[i] for i in rows])
    cells["non-lure messages, all: flagged"] = share([flagged[i] for i in messages if test[i]["label"] == 0])
    cells["real lure messages: recall"] = share([flagged[i] for i in messages if test[i]["label"] == 1])

    if "test-short" in scored:
        short = sets["test-short"]
        _, f = scored["test-short"]
        cells["test-short, single fields of fraud postings: flagged"] = share(f)
        for field in ("title", "company_profile", "description", "requirements", "benefits"):
            cells[f"test-short, {field} only: flagged"] = \
                share([fl for r, fl in zip(short, f) if r["source"] == f"emscad-field:{field}"])
    if "test-short-legit" in scored:
        # Control: the same single fields cut from legitimate EMSCAD postings. A scorer that flags these as often as
        # the fraudulent ones reacts to the missing fields, not to fraud.
        control = sets["test-short-legit"]
        _, f = scored["test-short-legit"]
        cells["control: single fields of legit EMSCAD postings: flagged"] = share(f)
        for field in ("title", "description"):
            cells[f"control: {field} only: flagged"] = \
                share([fl for r, fl in zip(control, f) if r["source"] == f"emscad-legit-field:{field}"])
    if "short-lures" in scored:
        snippets = sets["short-lures"]
        _, f = scored["short-lures"]
        cells["short-lures.jsonl lures (label 1): flagged"] = share([x for r, x in zip(snippets, f) if r["label"]])
        cells["short-lures.jsonl benign (label 0): flagged"] = \
            share([x for r, x in zip(snippets, f) if not r["label"]])

    cells["threshold (chosen on valid)"] = "its own (`label`)" if isinstance(model, Lurescan) else model.threshold
    cells["valid F1 at that threshold"] = model.valid_f1
    cells["train time (s)"] = None if model.train_seconds is None else f"{model.train_seconds:.1f}"
    total = model.score_seconds
    cells["scoring time (s) / records per s"] = f"{total:.1f} / {model.scored / total:,.0f}" if total else None
    if isinstance(model, Lurescan):
        cells["lurescan rows with an error"] = str(model.errors)
    return cells


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pool-dir", type=Path, default=REPO / "target" / "pool",
                    help="output of datasets/import_pool.py (default: target/pool)")
    ap.add_argument("--short-lures", type=Path, default=REPO / "datasets" / "short-lures.jsonl")
    ap.add_argument("--lurescan", metavar="CMD", action="append", default=[],
                    help='command prefix, e.g. "target/release/lurescan score --model models/lurescan-base"; run as '
                         'CMD FILE > out.jsonl; repeatable (one column each, named by --name in order)')
    ap.add_argument("--name", action="append", default=[], help="column name of each --lurescan, in order")
    ap.add_argument("--no-baselines", action="store_true", help="only the lurescan column")
    ap.add_argument("--half-best-f1", action="store_true",
                    help="also each baseline with lurescan's threshold rule: Platt-scaled on valid, threshold half the "
                         "best valid postings F1")
    args = ap.parse_args()

    files = {name: args.pool_dir / f"{name}.jsonl" for name in ("train", "valid", "test", "test-short")}
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing:
        sys.exit(f"error: missing {', '.join(missing)}: run `python3 datasets/import_pool.py` first "
                 f"(or pass --pool-dir)")
    data = {name: read_jsonl(path) for name, path in files.items()}
    sets = {"test": data["test"], "test-short": data["test-short"]}
    legit_short = args.pool_dir / "test-short-legit.jsonl"
    if legit_short.is_file():
        sets["test-short-legit"] = read_jsonl(legit_short)
    else:
        log(f"note: {legit_short} not found (older import?), the single-field control rows are left out")
    if args.short_lures.is_file():
        sets["short-lures"] = read_jsonl(args.short_lures)
    else:
        log(f"note: {args.short_lures} not found, its rows are left out")

    start = time.perf_counter()
    models: list[Model] = []
    if not args.no_baselines:
        models.append(Baseline("TF-IDF + LR", LogisticRegression(C=10.0, class_weight="balanced", max_iter=5000,
                                                                 solver="liblinear"), data["train"], data["valid"]))
        models.append(Baseline("TF-IDF + linear SVM", LinearSVC(C=0.5, class_weight="balanced", random_state=0),
                               data["train"], data["valid"]))
        if args.half_best_f1:
            models += [m.half_best_f1(data["valid"]) for m in list(models)]
    workdir = None
    if args.lurescan:
        # Kept when the command fails, so that the inputs and outputs named in the error message can be inspected.
        workdir = Path(tempfile.mkdtemp(prefix="lurescan-baselines-"))
        for i, command in enumerate(args.lurescan):
            name = args.name[i] if i < len(args.name) else f"lurescan {i + 1}"
            sub = workdir / str(i)
            sub.mkdir()
            models.append(Lurescan(command, sub, name))
    if not models:
        sys.exit("error: nothing to compare (--no-baselines without --lurescan)")

    columns = [evaluate(m, sets) for m in models]
    rows = list(dict.fromkeys(k for c in columns for k in c))
    print(f"Pool test split ({len(data['test'])} records); trained on train ({len(data['train'])}), thresholds "
          f"on valid ({len(data['valid'])}). Flagged = score at or above the model's threshold.\n")
    print("| metric (test) | " + " | ".join(m.name for m in models) + " |")
    print("|---|" + "---:|" * len(models))
    for row in rows:
        print(f"| {row} | " + " | ".join(fmt(c.get(row)) for c in columns) + " |")
    print(f"\ntotal wall time {time.perf_counter() - start:.1f}s")
    if workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
