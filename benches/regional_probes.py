#!/usr/bin/env python3
"""How models rank and flag the regional probes (`datasets/regional-probes/`): ordinary job texts and lures in the
region's languages, written by helpers who read nothing of the project.

For each probe and model: ROC-AUC and average precision on messages, on postings and on all records (threshold-free:
how the model ranks), then at the model's own thresholds the ordinary texts flagged and the lures found, per language.
Probe A served as a development set and is the default; probe C (postings only) is the development set of the
regional postings the head learns from (`--probe c`); probe D (short messages of sums of money, `--probe d`) that of
`datasets/synth_amounts.py`; probe E (messages written blind on 2026-12-05, most ordinary ones false friends,
`--probe e`) was read once for the shipped model before anything was chosen on it, and so were probes F (messages
written blind, `--probe f`), G (warnings against lures that use warning language, `--probe g`) and H (later task-scam
stages, money mules, ID-and-code harvests and new scripts beside their false friends, `--probe h`) and I (Chinese,
Khmer and Burmese recruitment texts, pay-to-work offers and ID-and-code harvests beside their false friends, `--probe
i`); probe J (the same kinds, messages only, `--probe j`) was written blind and read once for the model of
2026-12-05's last session; probes K and L (false friends of the decisive signs; a phone's everyday messages beside
lures of every stage, `--probe k`, `--probe l`), M (Vietnamese, most of it typed without diacritics, `--probe m`), N
(Vietnamese task-scam stages beside look-alikes, Chinese relatives' warnings beside recruiters' chat, `--probe n`), O
(Vietnamese messages about money beside task-scam stages, `--probe o`), P (ordinary job ads with board and lodging
beside lures that offer it, Chinese and four more languages, `--probe p`), Q (short Chinese job posts with
包吃包住, `--probe q`), R (warnings and victims' accounts, lures that state a control measure, look-alike
ordinary jobs, six languages, `--probe r`), S (survivors' accounts and news beside testimonial lures, `--probe s`) and
T (warnings of every kind beside lures that borrow their words, `--probe t`) were each written blind and read once
before anything was chosen on them; probe V (short job texts, `--probe v`) was read for three heads and is development,
probe W (short job texts, `--probe w`) was written blind and read once; probes X and Y (short postings) likewise,
X is development since; probe Z (Khmer and Burmese, `--probe z`) was written blind and read once, AA (English postings of the region,
`--probe aa`) likewise; AB (`--probe ab`, the same kind) was read once, for the decision on the English postings of the
region, and is development since; AC (`--probe ac`: short texts of pay with its period, ordinary and lures, nine
languages), AD and AE (`--probe ad`, `--probe ae`: the same brief, other helpers) were written blind and each read once
for the heads of the decisions on `datasets/synth_amounts.py --periods` (development since);
probe B is held out, read once per model to report, so it is read only when asked
for (`--probe b`; see the probes' README).

    python3 benches/regional_probes.py --model base --model fast [--probe c] [--probe b] [--binary target/release/lurescan]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def roc_auc(pos: list[float], neg: list[float]) -> float:
    """The chance that a random lure scores above a random ordinary text (ties count half)."""
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def average_precision(scored: list[tuple[float, int]]) -> float:
    ranked = sorted(scored, key=lambda x: -x[0])
    found, total = 0, 0.0
    for rank, (_, label) in enumerate(ranked, 1):
        if label:
            found += 1
            total += found / rank
    return total / max(found, 1)


def report(binary: Path, model: str, probe: Path) -> None:
    rows = [json.loads(line) for line in probe.read_text(encoding="utf-8").splitlines() if line.strip()]
    for r in rows:  # probes N and O name no kind: all their records are messages (`text` only)
        r.setdefault("kind", "message" if "text" in r else "posting")
    out = subprocess.run([str(binary), "score", "-q", "--model", model, str(probe)], capture_output=True, text=True,
                         check=True).stdout
    scored = {r["id"]: r for r in map(json.loads, out.splitlines())}
    ranking = []
    for kind in ("message", "posting", None):
        part = [r for r in rows if kind is None or r["kind"] == kind]
        pos = [scored[r["id"]]["score"] for r in part if r["label"]]
        neg = [scored[r["id"]]["score"] for r in part if not r["label"]]
        if not pos or not neg:
            continue  # probe C has no messages
        ap = average_precision([(scored[r["id"]]["score"], r["label"]) for r in part])
        ranking.append(f"{kind + 's' if kind else 'all'} ROC-AUC {roc_auc(pos, neg):.3f} AP {ap:.3f}")
    print(f"{probe.name} · {model}: " + " | ".join(ranking))
    # per group: ordinary flagged, ordinary, lures found, lures
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for r in rows:
        flagged = scored[r["id"]]["label"] == "lure"
        for group in (r["lang"], r["kind"], r.get("group"), "all"):
            if group is None:
                continue
            c = counts[group]
            if r["label"]:
                c[2] += flagged
                c[3] += 1
            else:
                c[0] += flagged
                c[1] += 1
    print("| group | ordinary flagged | lures found |\n|---|---:|---:|")
    for group, c in sorted(counts.items(), key=lambda kv: (kv[0] == "all", kv[0] in ("message", "posting"), kv[0])):
        print(f"| {group} | {c[0]}/{c[1]} | {c[2]}/{c[3]} |")
    print()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", action="append", default=[], help="model folder or built-in name (repeatable)")
    ap.add_argument("--probe", choices=["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "aa", "ab", "ac", "ad", "ae"], action="append",
                    help="which probe (repeatable; default: a; a, c, d and e are for development, b is read once "
                         "per model)")
    ap.add_argument("--binary", type=Path, default=ROOT / "target" / "release" / "lurescan")
    args = ap.parse_args()
    if not args.binary.exists():
        sys.exit(f"error: {args.binary} not found: build it with `cargo build --release -p lurescan-cli`")
    for name in args.probe or ["a"]:
        for model in args.model or ["base"]:
            report(args.binary, model, ROOT / "datasets" / "regional-probes" / f"probe-{name}.jsonl")
    return 0


if __name__ == "__main__":
    sys.exit(main())
