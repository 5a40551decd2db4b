#!/usr/bin/env python3
"""Shuffles the `location` field of the project's written postings among postings of the same source and language,
so that a city says nothing of the label.

The postings this project wrote (datasets/synth_lures.py's editions, datasets/regional-postings/) put the region's
cities in the `location` of lures more often than in that of ordinary ads: Bangkok in 11 lures and 3 ordinary ads,
Phnom Penh in 11 and 1, Thailand in 10 and 1. Trained on them, the lexical member read a location alone as a lure
("Sales Associate, Bangkok, Thailand", an ordinary store job, scored 0.996). A lure is a lure in any city and an
ordinary job is ordinary in Phnom Penh too; where a lure's destination matters (compounds in Sihanoukville or
Myawaddy), its description and the indicator catalogue say so. Shuffling the locations among the written postings
of one source and language keeps every location and every posting, and leaves the label nothing to learn from them.
The pool's own postings (EMSCAD, Indeed, Glassdoor, Google) keep theirs, as collected.

    python3 datasets/shuffle_locations.py IN.jsonl > OUT.jsonl      # seeded: the same input gives the same bytes
"""

import argparse
import json
import random
import sys

# The pool's posting sources: their locations are as collected, not written here.
POOL_SOURCES = {"emscad", "indeed-2025", "glassdoor-2020", "google-2018"}


def shuffled(records, seed):
    """`records` (dicts) with the non-empty locations of each (source, lang) group of written postings permuted."""
    groups = {}
    for i, record in enumerate(records):
        location = record.get("location")
        if isinstance(location, str) and location.strip() and record.get("source") not in POOL_SOURCES:
            groups.setdefault((str(record.get("source")), str(record.get("lang"))), []).append(i)
    rng = random.Random(seed)
    out = [dict(r) for r in records]
    for key in sorted(groups):
        members = groups[key]
        locations = [records[i]["location"] for i in members]
        rng.shuffle(locations)
        for i, location in zip(members, locations):
            out[i]["location"] = location
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", help="JSON Lines records (training data)")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    with open(args.input, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    for record in shuffled(records, args.seed):
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
