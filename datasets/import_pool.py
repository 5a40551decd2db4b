#!/usr/bin/env python3
"""Import the shared lurescan pool into train/valid/test JSONL files outside git.

Reads the shared pool (`lurescan-pool-v1/pool.jsonl`, never committed to this repository), checks its sha256
against the one in the pool's README, and writes, into the output directory (default `target/pool/`, gitignored):

  train.jsonl, valid.jsonl, test.jsonl   the pool's records by their `split`, every field kept as is
  test-short.jsonl                       each non-empty text field of every fraudulent test posting as its own
                                         one-field posting (same key, e.g. only `title`): id `<orig>#<field>`,
                                         label 1, source `emscad-field:<field>` (partial / short-input behaviour)
  test-short-legit.jsonl                 the same for the legitimate EMSCAD test postings (label 0, source
                                         `emscad-legit-field:<field>`): the control that shows whether a scorer
                                         flags a lone field because it is fraudulent or merely because the other
                                         fields are missing

Then prints the counts per split x source x label.

Needs: Python 3.9+ standard library only.

    python3 datasets/import_pool.py                       # pool found beside the clone (../shared/datasets/...)
    python3 datasets/import_pool.py --pool /path/pool.jsonl --out target/pool
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
POOL_REL = Path("shared/datasets/lurescan-pool-v1/pool.jsonl")
# The pool README's checksum for v1; used only when that README cannot be found next to the pool.
V1_SHA256 = "37bb33f38f22b00b92b47d0a057bcfa85b645b2dfe7ccb5ee8a7af2374467168"
SPLITS = ("train", "valid", "test")
POSTING_FIELDS = ("title", "location", "department", "salary_range", "employment_type", "industry", "function",
                  "company_profile", "description", "requirements", "benefits")


def default_pool() -> Path:
    """`../shared/...` beside the clone; a git worktree may sit deeper, so look in the parents' too."""
    for base in [REPO, *REPO.parents]:
        candidate = base.parent / POOL_REL
        if candidate.is_file():
            return candidate
    return REPO.parent / POOL_REL


def expected_sha256(pool: Path) -> tuple[str, str]:
    """The checksum stated in the pool's README (the README beside the pool folder, or inside it)."""
    for readme in (pool.parent / "README.md", pool.parent.parent / "README.md"):
        if readme.is_file():
            text = readme.read_text(encoding="utf-8")
            # The README states it as: sha256 `<64 hex>` right after the file name.
            m = re.search(re.escape(pool.name) + r"`?.{0,400}?sha256\s*`?([0-9a-f]{64})", text, re.S)
            if m:
                return m.group(1), str(readme)
    return V1_SHA256, "built-in v1 checksum (no README with a sha256 found beside the pool)"


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def short_records(record: dict, source: str = "emscad-field") -> list[dict]:
    """Each non-empty posting field of a record as its own one-field posting (the field keeps its key, so a scorer
    sees it as it would see a partial posting, e.g. only a title)."""
    out = []
    for field in POSTING_FIELDS:
        value = record.get(field)
        if isinstance(value, str) and value.strip():
            out.append({
                "id": f"{record['id']}#{field}",
                "source": f"{source}:{field}",
                "kind": "posting",
                "label": record["label"],
                "split": "test",
                "group": record.get("group"),
                field: value,
            })
    return out


def write_jsonl(path: Path, records: list[dict]) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    tmp.replace(path)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pool", type=Path, default=None, help="pool.jsonl (default: ../shared/datasets/"
                    "lurescan-pool-v1/pool.jsonl beside the clone)")
    ap.add_argument("--out", type=Path, default=REPO / "target" / "pool", help="output directory (default: "
                    "target/pool, outside git)")
    ap.add_argument("--no-verify", action="store_true", help="skip the sha256 check (for a different pool version)")
    args = ap.parse_args()

    pool = args.pool or default_pool()
    if not pool.is_file():
        print(f"error: pool not found at {pool}. The pool lives outside the repository "
              f"(../{POOL_REL} beside the clone); pass --pool PATH.", file=sys.stderr)
        return 2
    if not args.no_verify:
        want, where = expected_sha256(pool)
        got = sha256_of(pool)
        if got != want:
            print(f"error: {pool} has sha256 {got}, but {where} says {want}. The file is damaged or a different "
                  f"version; re-fetch it, or pass --no-verify if you mean to use another version.", file=sys.stderr)
            return 2
        print(f"sha256 ok: {got} ({where})", file=sys.stderr)

    by_split: dict[str, list[dict]] = {s: [] for s in SPLITS}
    with pool.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                print(f"error: {pool}:{lineno}: broken JSON ({e})", file=sys.stderr)
                return 2
            split = record.get("split")
            if split not in by_split:
                print(f"error: {pool}:{lineno}: record {record.get('id')!r} has split {split!r}, "
                      f"expected one of {SPLITS}", file=sys.stderr)
                return 2
            by_split[split].append(record)

    short = [s for r in by_split["test"] if r.get("kind") == "posting" and r.get("label") == 1
             for s in short_records(r)]
    short_legit = [s for r in by_split["test"] if r.get("source") == "emscad" and r.get("label") == 0
                   for s in short_records(r, "emscad-legit-field")]

    args.out.mkdir(parents=True, exist_ok=True)
    for split, records in by_split.items():
        write_jsonl(args.out / f"{split}.jsonl", records)
    write_jsonl(args.out / "test-short.jsonl", short)
    write_jsonl(args.out / "test-short-legit.jsonl", short_legit)

    counts = collections.Counter((r["split"], r["source"], r["label"]) for rs in by_split.values() for r in rs)
    sources = sorted({s for _, s, _ in counts})
    written = [f"{s}.jsonl" for s in SPLITS] + ["test-short.jsonl", "test-short-legit.jsonl"]
    print(f"wrote {', '.join(written)} to {args.out}\n")
    print("| source | " + " | ".join(f"{s} 1/0" for s in SPLITS) + " |")
    print("|---|" + "---|" * len(SPLITS))
    for source in sources:
        cells = [f"{counts[(s, source, 1)]} / {counts[(s, source, 0)]}" for s in SPLITS]
        print(f"| {source} | " + " | ".join(cells) + " |")
    totals = [f"{sum(counts[(s, src, 1)] for src in sources)} / {sum(counts[(s, src, 0)] for src in sources)}"
              for s in SPLITS]
    print("| **all** | " + " | ".join(totals) + " |")
    short_counts = collections.Counter(r["source"] for r in short)
    print(f"\ntest-short.jsonl: {len(short)} single-field records (label 1) from "
          f"{sum(1 for r in by_split['test'] if r.get('kind') == 'posting' and r.get('label') == 1)} fraudulent "
          f"test postings: " + ", ".join(f"{k.split(':')[1]} {v}" for k, v in sorted(short_counts.items())))
    print(f"test-short-legit.jsonl: {len(short_legit)} single-field records (label 0) from the legitimate EMSCAD "
          f"test postings (control)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
