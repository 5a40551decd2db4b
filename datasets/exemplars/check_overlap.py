#!/usr/bin/env python3
"""Checks that no exemplar copies or closely paraphrases evaluation text.

The exemplars (datasets/exemplars/exemplars.jsonl) were written for lurescan; they must not come from the texts the
model is judged on: the labelled pool (../shared/datasets/lurescan-pool-v*/pool.jsonl, every split), the short test
snippets (datasets/short-lures.jsonl), the example records (datasets/examples/), the regional probes
(datasets/regional-probes/), the contact-swap texts (datasets/contact-swap/) and the hand-written texts of the
tests in crates/*/tests/ (the explanation tests' false friends among them). For each exemplar this prints the
evaluation text that shares the most character 8-grams with it (containment: the share of the exemplar's 8-grams
found in that text, case and spacing ignored) and exits 1 if any exemplar reaches --max (default 0.4; formulaic texts such as one-time-password SMS share a third of
their 8-grams by nature).

    python3 datasets/exemplars/check_overlap.py                    # the repo's evaluation texts, and the pool if beside the clone
    python3 datasets/exemplars/check_overlap.py --exemplars mine.jsonl --pool ../shared/datasets/lurescan-pool-v2/pool.jsonl
    python3 datasets/exemplars/check_overlap.py --exemplars datasets/regional-postings/postings.jsonl   # any written texts

Only the Python standard library is needed.
"""

import argparse
import csv
import glob
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIELDS = ("title", "company_profile", "description", "requirements", "benefits", "text")


def grams(text, n=8):
    text = re.sub(r"\s+", " ", text.lower()).strip()
    return {text[i : i + n] for i in range(max(0, len(text) - n + 1))}


def jsonl_texts(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(row, dict):
                text = " ".join(str(row[k]) for k in FIELDS if isinstance(row.get(k), str))
                if text:
                    yield f"{path}:{row.get('id', '')}", text


def csv_texts(path):
    with open(path, encoding="utf-8", newline="") as f:
        for i, row in enumerate(csv.DictReader(f)):
            text = " ".join(v for k, v in row.items() if k and k.lower() in FIELDS and v)
            if text:
                yield f"{path}:{i + 2}", text


def test_texts(path):
    """String literals of 20+ characters in a Rust test file (fixtures written inline)."""
    source = Path(path).read_text(encoding="utf-8")
    for m in re.finditer(r'"((?:[^"\\]|\\.){20,})"', source):
        yield f"{path}:{source.count(chr(10), 0, m.start()) + 1}", m.group(1)


def evaluation_texts(pools):
    for path in sorted(glob.glob(str(ROOT / "datasets/examples/*"))):
        yield from (csv_texts(path) if path.endswith(".csv") else jsonl_texts(path))
    yield from jsonl_texts(ROOT / "datasets/short-lures.jsonl")
    for path in sorted(glob.glob(str(ROOT / "datasets/regional-probes/*.jsonl"))):
        yield from jsonl_texts(path)
    # Each contact-swap text with its slot left in (the channels' phrases are short and shared on purpose).
    yield from jsonl_texts(ROOT / "datasets/contact-swap/texts.jsonl")
    for path in sorted(glob.glob(str(ROOT / "crates/*/tests/*.rs"))):
        yield from test_texts(path)
    for pool in pools:
        yield from jsonl_texts(pool)


def closest_evaluation_texts(texts, pools):
    """For each of `texts`, the largest share of its 8-grams found in one evaluation text, and where that text is:
    ([(containment, where)], how many evaluation texts were read). One pass over the evaluation texts, through an
    inverted index from 8-gram to the texts that hold it."""
    text_grams = [grams(text) for text in texts]
    best = [(0.0, "") for _ in texts]
    index = {}
    for i, g in enumerate(text_grams):
        for gram in g:
            index.setdefault(gram, []).append(i)
    seen = 0
    for where, other in evaluation_texts(pools):
        seen += 1
        shared = {}
        for gram in grams(other):
            for i in index.get(gram, ()):
                shared[i] = shared.get(i, 0) + 1
        for i, n in shared.items():
            c = n / max(1, len(text_grams[i]))
            if c > best[i][0]:
                best[i] = (c, where)
    return best, seen


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--exemplars", default=str(ROOT / "datasets/exemplars/exemplars.jsonl"))
    parser.add_argument("--pool", action="append", help="a pool.jsonl to check against (repeatable)")
    parser.add_argument("--max", type=float, default=0.4, help="fail at this containment or more")
    parser.add_argument("--show", type=int, default=10, help="print the N closest exemplars")
    args = parser.parse_args()
    # The pool sits beside the clone (../shared), or two levels up from a git worktree under a folder of worktrees.
    pools = args.pool or sorted(
        set(glob.glob(str(ROOT.parent / "shared/datasets/lurescan-pool-v*/pool.jsonl")))
        | set(glob.glob(str(ROOT.parent.parent / "shared/datasets/lurescan-pool-v*/pool.jsonl")))
    )

    # A posting (title, description, ...) is checked as its fields joined, as the evaluation texts are.
    exemplars = [text for _, text in jsonl_texts(args.exemplars)]
    best, seen = closest_evaluation_texts(exemplars, pools)
    order = sorted(range(len(exemplars)), key=lambda i: -best[i][0])
    print(f"{len(exemplars)} exemplars against {seen} evaluation texts (pools: {', '.join(map(str, pools)) or 'none'})")
    for i in order[: args.show]:
        print(f"{best[i][0]:.2f}  {exemplars[i][:70]!r}  ~ {best[i][1]}")
    bad = [i for i in order if best[i][0] >= args.max]
    if bad:
        print(f"{len(bad)} exemplars reach {args.max}: rewrite them in your own words", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
