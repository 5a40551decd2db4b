#!/usr/bin/env python3
"""How well `lurescan campaigns` groups, and what a million records cost.

    python3 benches/campaigns.py quality [--pool PATH] [--bin target/release/lurescan] [--scored]
    python3 benches/campaigns.py scale [--records 1000000] [--bin target/release/lurescan]

quality: the train and valid splits of the labelled pool (`../shared/datasets/lurescan-pool-v2/pool.jsonl`, built
by `datasets/import_pool.py`; not shipped with the repository) are grouped by `lurescan campaigns` (by default
`--no-score`: texts and contacts only). The pool's `group` field marks near-duplicate records (the import's own
normalised-text hash); the group `m:e3b0c44298fc` is the hash of an empty normalised text (576 unrelated Telegram
spam messages whose text normalised away) and is left out. Printed:
  - pair recall: of the pairs of records in one pool group, the share lurescan put in one campaign, overall and per
    kind of group (`m`: messages whose normalised text is the same; `p`: postings of one employer, grouped by the
    import so that an employer stays on one side of a split, not near-duplicates; other prefixes: the message
    source's own groups);
  - campaigns that mix lures and legitimate records (by the pool's label), and the records in them;
  - pairs lurescan joined that the pool's groups do not (near-duplicates the import's exact hash missed, or
    records joined through a shared contact), as a share of all pairs joined.

scale: writes N synthetic records (generated here from word lists: reposted lure scripts with random salts,
numbers and handles, and one-off postings; no pool text), runs `lurescan campaigns --no-score` on them under
`/usr/bin/time -v` (niced), and prints wall time and peak resident memory. The records are deterministic (seeded).

Both leave their files in a temporary folder that is removed afterwards.
"""

import argparse
import collections
import json
import os
import random
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EMPTY_GROUP = "m:e3b0c44298fc"
FIELDS = ["title", "location", "department", "salary_range", "employment_type", "industry", "function",
          "company_profile", "description", "requirements", "benefits", "text"]


def pairs(n):
    return n * (n - 1) // 2


def quality(args):
    records = []
    with open(args.pool, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r.get("split") in ("train", "valid"):
                records.append(r)
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "pool.jsonl")
        with open(data, "w", encoding="utf-8") as f:
            for i, r in enumerate(records):
                row = {k: r[k] for k in FIELDS if r.get(k)}
                row["id"] = str(i)
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        out = os.path.join(tmp, "rows.jsonl")
        cmd = ["nice", "-n", "10", args.bin, "campaigns", "-q", data, "-o", out]
        if not args.scored:
            cmd.append("--no-score")
        started = time.time()
        subprocess.run(cmd, check=True)
        seconds = time.time() - started
        with open(out, encoding="utf-8") as f:
            campaign = [json.loads(line)["campaign"] for line in f]
    assert len(campaign) == len(records)

    by_group = collections.defaultdict(list)
    by_campaign = collections.defaultdict(list)
    for i, r in enumerate(records):
        by_group[r["group"]].append(i)
        by_campaign[campaign[i]].append(i)
    group_pairs = together = 0
    # Per kind of pool group (the prefix of `group`: `m` messages, `p` postings, or the message source), pairs and
    # whole groups kept in one campaign.
    kinds = collections.defaultdict(lambda: [0, 0, 0, 0])
    for g, members in by_group.items():
        if g == EMPTY_GROUP or len(members) < 2:
            continue
        group_pairs += pairs(len(members))
        counts = collections.Counter(campaign[i] for i in members)
        joined_here = sum(pairs(n) for n in counts.values())
        together += joined_here
        kind = kinds[g.split(":")[0]]
        kind[0] += pairs(len(members))
        kind[1] += joined_here
        kind[2] += 1
        kind[3] += len(counts) == 1
    joined = mixed = mixed_records = outside = 0
    sizes = collections.Counter()
    for c, members in by_campaign.items():
        if len(members) < 2:
            continue
        sizes[len(members)] += 1
        joined += pairs(len(members))
        groups = collections.Counter(records[i]["group"] for i in members if records[i]["group"] != EMPTY_GROUP)
        outside += pairs(len(members)) - sum(pairs(n) for n in groups.values())
        if len({records[i]["label"] for i in members}) > 1:
            mixed += 1
            mixed_records += len(members)
    campaigns = sum(sizes.values())
    lure_groups = [g for g, m in by_group.items() if len(m) > 1 and g != EMPTY_GROUP]
    print(f"records: {len(records)} (train + valid), pool groups of 2+: {len(lure_groups)}, their pairs: {group_pairs}")
    print(f"lurescan campaigns{' (scored)' if args.scored else ' --no-score'}: {seconds:.1f} s")
    print(f"  pair recall: {together}/{group_pairs} = {together / max(group_pairs, 1):.3f} of same-group pairs in one campaign")
    for name, (n_pairs, n_together, n_groups, whole) in sorted(kinds.items(), key=lambda kv: -kv[1][2]):
        print(f"    {name:>8}: {n_groups} groups, {whole} wholly in one campaign; pairs {n_together}/{n_pairs} = {n_together / max(n_pairs, 1):.3f}")
    print(f"  campaigns of 2+: {campaigns}, largest {max(sizes) if sizes else 0}; mixing lures and legitimate: {mixed} ({mixed_records} records)")
    print(f"  pairs joined outside any pool group: {outside}/{joined} = {outside / max(joined, 1):.3f}")


WORDS = ("customer service agent typing data entry online marketing chat support casino host translator admin "
         "operator sales assistant driver cook cleaner warehouse nurse teacher accountant engineer designer "
         "cashier guard welder tailor receptionist barista").split()
PLACES = "Sihanoukville Bavet Poipet Myawaddy Vientiane Manila Bangkok Hanoi Jakarta Leeds Austin Berlin Lagos".split()
PERKS = ("free flight", "visa paid", "room and food provided", "no experience needed", "high salary", "bonus every month",
         "training given", "pension plan", "health insurance", "flexible hours", "overtime paid", "company car")


def script(rng, k):
    rng2 = random.Random(k)
    job = " ".join(rng2.sample(WORDS, 2))
    return (f"Urgent hiring {job} in {rng2.choice(PLACES)}, salary {rng2.randint(8, 30) * 100} USD, "
            f"{', '.join(rng2.sample(PERKS, 4))}. Script {k}: reply fast, limited places, start next week.")


def generate(path, n, seed=7):
    rng = random.Random(seed)
    scripts = max(n // 500, 10)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            if rng.random() < 0.3:
                k = rng.randrange(scripts)
                salt = "".join(rng.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(6))
                text = (f"{script(rng, k)} WhatsApp +855 {rng.randint(10, 99)} {rng.randint(100, 999)} "
                        f"{rng.randint(100, 999)} or Telegram @hr_{k}_{rng.randint(0, 9)} [{salt}]")
                f.write(json.dumps({"id": f"r{i}", "text": text}) + "\n")
            else:
                words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(25, 90)))
                f.write(json.dumps({"id": f"r{i}", "title": f"{rng.choice(WORDS)} {rng.choice(WORDS)}",
                                    "location": rng.choice(PLACES),
                                    "description": f"{words}. {', '.join(rng.sample(PERKS, 3))}. Ref {rng.randint(1, 10**9)}."}) + "\n")


def scale(args):
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data or os.path.join(tmp, "records.jsonl")
        if not args.data:
            generate(data, args.records)
        size = os.path.getsize(data)
        out, summary = os.path.join(tmp, "rows.jsonl"), os.path.join(tmp, "campaigns.jsonl")
        cmd = ["nice", "-n", "10", "/usr/bin/time", "-v", args.bin, "campaigns", "-q", "--no-score", data,
               "-o", out, "--summary", summary]
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(run.stderr)
        stats = {}
        for line in run.stderr.splitlines():
            if ":" in line:
                key, _, value = line.strip().rpartition(": ")
                stats[key] = value
        with open(summary, encoding="utf-8") as f:
            campaigns = sum(1 for _ in f)
        print(f"records: {args.records} ({size / 1e6:.0f} MB of JSONL), campaigns of 2+: {campaigns}")
        print(f"wall time: {stats.get('Elapsed (wall clock) time (h:mm:ss or m:ss)')}, "
              f"user {stats.get('User time (seconds)')} s, peak RSS {int(stats.get('Maximum resident set size (kbytes)', 0)) / 1024:.0f} MB")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    q = sub.add_parser("quality")
    pools = [os.path.join(ROOT, *[".."] * up, "shared", "datasets", "lurescan-pool-v2", "pool.jsonl") for up in (1, 2)]
    q.add_argument("--pool", default=next((p for p in pools if os.path.exists(p)), pools[0]))
    q.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "lurescan"))
    q.add_argument("--scored", action="store_true", help="score with the built-in model (links and domains then join lures)")
    s = sub.add_parser("scale")
    s.add_argument("--records", type=int, default=1_000_000)
    s.add_argument("--data", help="records made earlier by generate() (same --records), instead of generating them")
    s.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "lurescan"))
    args = parser.parse_args()
    quality(args) if args.command == "quality" else scale(args)


if __name__ == "__main__":
    main()
