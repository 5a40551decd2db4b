#!/usr/bin/env python3
"""Records per second of `lurescan score`, end to end (start-up, reading, tokenising, the model, writing), for
several models side by side, on messages and on postings.

By default the inputs are the messages and the postings of the pool's `valid` split (target/pool2/valid.jsonl, made
by models/train-default.sh), each repeated to at least --min-records records so that start-up does not dominate.
Each model runs --repeat times per input; the best run counts (the machine is shared: the best run is the least
disturbed). Ratios between models measured in the same call are the figure to trust; absolute rates move with the
load on the machine.

    python3 benches/speed.py --model base --model fast [--threads 2] [--valid target/pool2/valid.jsonl]

With --explain every record is also explained (`score --explain --top-terms-for all`: flags, contacts and top terms,
the occlusion that costs a forward pass per distinct variant). --binary is repeatable, to compare two builds of the
same model side by side (say the previous commit's binary and this one's):

    python3 benches/speed.py --model base --explain --binary /tmp/before/lurescan --binary target/release/lurescan
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", action="append", required=True, help="model folder or built-in name (repeatable)")
    ap.add_argument("--valid", type=Path, default=ROOT / "target" / "pool2" / "valid.jsonl")
    ap.add_argument("--binary", type=Path, action="append", help="lurescan binary (repeatable; default: target/release)")
    ap.add_argument("--min-records", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--explain", action="store_true", help="explain every record (flags, contacts, top terms)")
    args = ap.parse_args()
    binaries = args.binary or [ROOT / "target" / "release" / "lurescan"]

    rows = [json.loads(l) for l in args.valid.read_text(encoding="utf-8").split("\n") if l.strip()]
    kinds = {
        "messages": [r for r in rows if r.get("kind") == "message"],
        "postings": [r for r in rows if r.get("kind") == "posting"],
    }
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for kind, recs in kinds.items():
            reps = max(1, -(-args.min_records // max(len(recs), 1)))
            path = Path(tmp) / f"{kind}.jsonl"
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs * reps), encoding="utf-8")
            files[kind] = (path, len(recs) * reps)
        for binary, model in [(b, m) for b in binaries for m in args.model]:
            name = model if len(binaries) == 1 else f"{model} ({binary})"
            results[name] = {}
            for kind, (path, n) in files.items():
                best = float("inf")
                for _ in range(args.repeat):
                    cmd = [str(binary), "score", "-q", "--model", model, str(path)]
                    if args.threads:
                        cmd += ["--threads", str(args.threads)]
                    if args.explain:
                        cmd += ["--explain", "--top-terms-for", "all"]
                    start = time.perf_counter()
                    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
                    best = min(best, time.perf_counter() - start)
                results[name][kind] = n / best
                print(f"{name} {kind}: {n} records, best {best:.1f} s, {n / best:.0f} records/s", file=sys.stderr)
    print("| model | messages/s | postings/s |")
    print("|---|---:|---:|")
    for model, r in results.items():
        print(f"| {model} | {r['messages']:.0f} | {r['postings']:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
