#!/usr/bin/env python3
"""What disguised spelling costs a model, with and without `"deobfuscate": true` in its rendering.

Spam that wants past word filters writes `W0rk fr0m h0me`, `5OO a day`, `W.h.a.t.s.A.p.p` or swaps Latin letters for
Cyrillic look-alikes. This script disguises every message of the pool's chosen splits (seeded: about a third of the
Latin words of each message, one disguise each) and scores the plain and the disguised text with two copies of the
model folder, one with `render.deobfuscate` off and one with it on. Printed per split: lures found (at the folder's
own thresholds) and ordinary messages flagged, for each text and setting. The plain columns show what the setting
does to text that was never disguised; the disguised columns what it recovers.

    cargo build --release -p lurescan-cli
    python3 benches/obfuscation.py --model models/lurescan-base --split train,valid

Only messages with Latin words are disguised (the others score the same either way and are left out). Never run it
on `test` to choose anything. Needs the pool (../shared/datasets/lurescan-pool-v2/pool.jsonl, imported by
`datasets/import_pool.py` into target/pool2).
"""

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

LEET = {"o": "0", "i": "1", "l": "1", "e": "3", "a": "4", "s": "5"}
CYRILLIC = {"o": "о", "e": "е", "a": "а", "p": "р", "c": "с", "O": "О", "E": "Е", "A": "А", "P": "Р", "C": "С"}


def disguise_word(word, rng):
    """One disguise of a Latin word: a digit for an inner letter, a Cyrillic look-alike, or dots between letters."""
    how = rng.choice(["leet", "look-alike", "dots"])
    inner = [i for i, c in enumerate(word) if 0 < i < len(word) - 1 and c.lower() in LEET]
    if how == "leet" and inner:
        i = rng.choice(inner)
        return word[:i] + LEET[word[i].lower()] + word[i + 1:]
    alike = [i for i, c in enumerate(word) if c in CYRILLIC]
    if how == "look-alike" and alike:
        i = rng.choice(alike)
        return word[:i] + CYRILLIC[word[i]] + word[i + 1:]
    if how == "dots" and len(word) >= 4:
        return ".".join(word)
    return word


def disguise(text, rng, share):
    def one(m):
        word = m.group(0)
        if len(word) < 3 or rng.random() >= share:
            return word
        return disguise_word(word, rng)

    text = re.sub(r"[A-Za-z]+", one, text)
    # Amounts: zeros written as the letter O.
    return re.sub(r"\b(\d)(00+)\b", lambda m: m.group(1) + "O" * len(m.group(2)) if rng.random() < share else m.group(0), text)


def folder_with(model, deobfuscate, where):
    out = Path(where) / ("on" if deobfuscate else "off")
    shutil.copytree(model, out)
    settings = json.loads((out / "lurescan.json").read_text())
    settings.setdefault("render", {})["deobfuscate"] = deobfuscate
    (out / "lurescan.json").write_text(json.dumps(settings))
    return out


def score(binary, model, texts):
    lines = "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts)
    run = subprocess.run([binary, "score", "-q", "-m", str(model), "-f", "jsonl", "-"], input=lines, capture_output=True,
                         text=True, check=True)
    return [json.loads(line)["label"] == "lure" for line in run.stdout.splitlines()]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=str(ROOT / "models/lurescan-base"))
    parser.add_argument("--split", default="valid", help="comma-separated splits of target/pool2 (never test)")
    parser.add_argument("--share", type=float, default=0.35, help="share of Latin words disguised")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--binary", default=str(ROOT / "target/release/lurescan"))
    args = parser.parse_args()
    if "test" in args.split.split(","):
        sys.exit("error: the test split is read once, at the end, and not by this script")
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        folders = {setting: folder_with(args.model, setting, tmp) for setting in (False, True)}
        print(f"{'split':<8}{'lures':>7}{'ordinary':>10}  {'text':<10}{'deobfuscate':<13}{'lures found':>12}{'ordinary flagged':>18}")
        for split in args.split.split(","):
            rows = [json.loads(line) for line in open(ROOT / f"target/pool2/{split}.jsonl")]
            rows = [r for r in rows if r["kind"] == "message" and re.search(r"[A-Za-z]{3}", r["text"])]
            plain = [r["text"] for r in rows]
            disguised = [disguise(t, rng, args.share) for t in plain]
            lure = [r["label"] == 1 for r in rows]
            for name, texts in (("plain", plain), ("disguised", disguised)):
                for setting, folder in folders.items():
                    flagged = score(args.binary, folder, texts)
                    found = sum(f and l for f, l in zip(flagged, lure))
                    false = sum(f and not l for f, l in zip(flagged, lure))
                    print(f"{split:<8}{sum(lure):>7}{len(lure) - sum(lure):>10}  {name:<10}{'on' if setting else 'off':<13}"
                          f"{found:>12}{false:>12} ({false / max(1, len(lure) - sum(lure)):.2%})")


if __name__ == "__main__":
    main()
