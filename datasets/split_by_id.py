#!/usr/bin/env python3
"""Splits a JSONL file of records in two by a hash of each record's `id`: a record goes to `--held` when the SHA-256
of its id, read as a number, is divisible by `--every`, and to `--rest` otherwise. The split depends on the ids
alone, so it is the same on every machine and for every order of the file, and a record keeps its side when others
are added.

    python3 datasets/split_by_id.py datasets/regional-postings/english-sea.jsonl --every 3 \
        --held target/pool2/english-sea-valid.jsonl --rest target/pool2/english-sea-train.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path


def held(record_id: str, every: int) -> bool:
    return int(hashlib.sha256(record_id.encode("utf-8")).hexdigest(), 16) % every == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", type=Path, help="JSONL records, each with a string `id`")
    parser.add_argument("--every", type=int, default=3, help="one record in about this many is held (default 3)")
    parser.add_argument("--held", type=Path, required=True, help="where the held records go (validation, say)")
    parser.add_argument("--rest", type=Path, required=True, help="where the other records go (training, say)")
    args = parser.parse_args()
    if args.every < 2:
        parser.error("--every must be at least 2")

    sides: dict[bool, list[str]] = {True: [], False: []}
    with args.input.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record_id = json.loads(line)["id"]
            except (json.JSONDecodeError, KeyError, TypeError) as error:
                sys.exit(f"error: {args.input}:{number}: a JSON object with a string `id` was expected ({error})")
            if not isinstance(record_id, str):
                sys.exit(f"error: {args.input}:{number}: `id` must be a string")
            sides[held(record_id, args.every)].append(line.rstrip("\n"))
    for path, rows in ((args.held, sides[True]), (args.rest, sides[False])):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(row + "\n" for row in rows), encoding="utf-8")
    print(f"{args.input}: {len(sides[True])} held in {args.held}, {len(sides[False])} in {args.rest}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
