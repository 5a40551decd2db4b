#!/usr/bin/env python3
"""Leave-one-source-out: how a recipe's thresholds hold on message sources it never saw.

For each message source S of the pool (English, Mendeley, Vietnamese, Chinese, Thai, Kenyan and Indonesian SMS or
chat), the recipe is trained without any record of S (its training and validation data minus S; thresholds and
ensemble weights fitted on validation data without S), then scores every train and valid record of S. The table
gives, per left-out source, the share of its ordinary messages flagged (the target is at most 1%), the lures
found, and where a source has both, how its lures rank among its ordinary messages whatever the threshold (ROC-AUC
and average precision): the counts move with the fitted thresholds, which a few validation messages decide. The
pool's `test` split is never read.

Caveat, said on the card too: the encoder of the multilingual recipe was distilled (without labels) on the text of
all sources' train and valid splits, S included; its classifier, thresholds and weights never saw S.

Beside the recipe, `--baseline MODEL` scores each source with a model as it is (e.g. `--baseline fast`, the 2-layer
model trained on pool v1: Thai, Kenyan and Indonesian SMS are unseen sources for it, the others are not).

    python3 benches/loso.py --init target/e5-student --config models/lurescan-base.recipe.json \\
        [--extra-flag=--exemplars --extra-flag=FILE] [--work target/loso] [--baseline fast]

Needs the pool imported into target/pool2 (models/train-default.sh does it) and a release build. Each fold trains
the recipe once (a frozen encoder: minutes); a fold already in --work is reused when its records, command and recipe
are the ones it was trained with (`recipe.sha256` in the fold), and trained again when any of them changed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from regional_probes import average_precision, roc_auc  # noqa: E402  (a script beside this one)

MESSAGE_SOURCES = ["uci-sms", "mendeley-sms", "vi-sms", "zh-tg", "th-sms", "ke-sms", "id-sms"]


def read(path: Path) -> list[dict]:
    return [json.loads(l) for l in path.read_text(encoding="utf-8").split("\n") if l.strip()]


def write(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def score(binary: Path, model: str, data: Path) -> list[dict]:
    out = subprocess.run([str(binary), "score", "-q", "--model", model, str(data)], capture_output=True, text=True,
                         check=True)
    return [json.loads(l) for l in out.stdout.split("\n") if l.strip()]


def tally(rows: list[dict], scored: list[dict]) -> dict:
    neg = [s for r, s in zip(rows, scored) if r["label"] == 0]
    pos = [s for r, s in zip(rows, scored) if r["label"] == 1]
    both = bool(neg and pos)
    return {
        "ordinary": len(neg),
        "flagged": sum(s["label"] == "lure" for s in neg),
        "lures": len(pos),
        "found": sum(s["label"] == "lure" for s in pos),
        "roc_auc": roc_auc([s["score"] for s in pos], [s["score"] for s in neg]) if both else None,
        "ap": average_precision([(s["score"], r["label"]) for r, s in zip(rows, scored)]) if both else None,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--init", required=True, help="the encoder folder the recipe fine-tunes (train --init)")
    ap.add_argument("--config", required=True, type=Path, help="the recipe's TrainConfig JSON")
    ap.add_argument("--extra-flag", action="append", default=[], help="more `lurescan train` flags (repeatable)")
    ap.add_argument("--pool", type=Path, default=ROOT / "target" / "pool2")
    ap.add_argument("--train", type=Path, help="the training data with the synthetic records (default: the pool's "
                    "train-plus-synthetic.jsonl; lurescan-base's head: train-head.jsonl)")
    ap.add_argument("--valid", type=Path, help="the validation data (default: the pool's valid.jsonl; lurescan-base's "
                    "head: valid-plus-postings.jsonl, with the written postings of batch 2)")
    ap.add_argument("--work", type=Path, default=ROOT / "target" / "loso")
    ap.add_argument("--binary", type=Path, default=ROOT / "target" / "release" / "lurescan")
    ap.add_argument("--baseline", action="append", default=[], help="also score each source with this model as is")
    ap.add_argument("--sources", default=",".join(MESSAGE_SOURCES))
    ap.add_argument("--json", type=Path, help="write the table as JSON here too")
    args = ap.parse_args()

    train = read(args.train or args.pool / "train-plus-synthetic.jsonl")
    valid = read(args.valid or args.pool / "valid.jsonl")
    results = {}
    for source in args.sources.split(","):
        fold = args.work / source
        held = [r for r in train + valid if r.get("source") == source]
        write(fold / "heldout.jsonl", held)
        model = fold / "model"
        fold_train = [r for r in train if r.get("source") != source]
        fold_valid = [r for r in valid if r.get("source") != source]
        cmd = [str(args.binary), "train", "-q", "--init", args.init, "--config", str(args.config),
               "--data", str(fold / "train.jsonl"), "--valid", str(fold / "valid.jsonl"), "--out", str(model),
               *args.extra_flag]
        # A fold in --work is reused only if it was trained on the same records with the same command and recipe.
        recipe = hashlib.sha256(json.dumps([cmd, args.config.read_text(encoding="utf-8"), fold_train, fold_valid],
                                           ensure_ascii=False).encode()).hexdigest()
        stamp = fold / "recipe.sha256"
        reuse = (model / "lurescan.json").exists() and stamp.exists() and stamp.read_text().strip() == recipe
        if not reuse:
            write(fold / "train.jsonl", fold_train)
            write(fold / "valid.jsonl", fold_valid)
            print(f"{source}: training without it…", file=sys.stderr)
            # The training's report goes to stderr with its progress: stdout is for the table.
            subprocess.run(cmd, check=True, stdout=sys.stderr)
            stamp.write_text(recipe + "\n")
        row = {"recipe": tally(held, score(args.binary, str(model), fold / "heldout.jsonl"))}
        for base in args.baseline:
            row[base] = tally(held, score(args.binary, base, fold / "heldout.jsonl"))
        results[source] = row
        print(f"{source}: {row}", file=sys.stderr)

    names = ["recipe", *args.baseline]
    print("| left-out source | ordinary messages | "
          + " | ".join(f"{n}: flagged | {n}: lures found | {n}: ROC-AUC / AP" for n in names) + " |")
    print("|---|---:|" + "---:|---:|---:|" * len(names))
    for source, row in results.items():
        cells = []
        for n in names:
            t = row[n]
            share = 100.0 * t["flagged"] / max(t["ordinary"], 1)
            ranks = f"{t['roc_auc']:.3f} / {t['ap']:.3f}" if t["roc_auc"] is not None else "–"
            cells += [f"{t['flagged']} ({share:.2f}%)", f"{t['found']}/{t['lures']}", ranks]
        print(f"| {source} | {row['recipe']['ordinary']} | " + " | ".join(cells) + " |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
