#!/usr/bin/env python3
"""Peak resident memory of `lurescan score` on 10 thousand to 1 million records (issue 15: "1,000,000 records scored
with peak RSS <= model size + 300 MB, flat in input size, measured").

For each N (--n, repeatable; default 10,000 and 100,000; add --n 1000000 for the issue's figure) it starts
`lurescan score -q` once with the given model (default: the built-in `base`), streams N records into its stdin and
reads every output row back, then reports:

- the peak RSS of that process (os.wait4's ru_maxrss: the kernel's high-water mark of the one child, so runs of
  several N in one call do not mix);
- its RSS (VmRSS from /proc) after 10%, 25%, 50%, 75% and 100% of the rows came back: flat means the memory does not
  grow with the records read;
- records per second (only a rough figure: the machine may be shared; speed.py and compare_engines.py time);
- the bar: the size of the model folder (--model-dir, default models/lurescan-base: the folder the built-in base is
  made from) + 300 MB.

Every input record is accounted for: the run fails unless exactly N rows come back, the k-th with the id `rss-k`,
and none of them an error row.

The records are made here, from the project's own example texts only (datasets/examples/messages.jsonl and
postings.jsonl, written for the project): record k is example k mod 24, its sentences rotated by k and a reference
number appended, so no two records have the same text (nothing can be cached per text) and messages and postings
alternate as in the examples (14 messages to 10 postings). Nothing is read from the pool.

    python3 benches/rss.py                                   # 10k and 100k records, built-in base model
    nice -n 10 python3 benches/rss.py --n 1000000 > target/rss-1m.txt   # the issue's million (an hour or more)
    python3 benches/rss.py --n 100000 --env MIMALLOC_PURGE_DELAY=0       # the same with an allocator option

The result is a Markdown table on stdout. On stderr, every 5% of the rows, the RSS at that point and the peak so far
(VmHWM): a long run that has to be stopped still shows the trend.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1_000_000
MARKS = (0.10, 0.25, 0.50, 0.75, 1.0)


def examples() -> list[dict]:
    """The project's example messages and postings, without their ids."""
    rows = []
    for name in ("messages.jsonl", "postings.jsonl"):
        for line in (ROOT / "datasets" / "examples" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                row.pop("id", None)
                rows.append(row)
    return rows


SENTENCE = re.compile(r"(?<=[.!?。！？])\s*")


def vary(text: str, k: int) -> str:
    """`text` with its sentences rotated by k and a reference number appended: a distinct text for every k."""
    parts = [p for p in SENTENCE.split(text) if p]
    if len(parts) > 1:
        r = k % len(parts)
        parts = parts[r:] + parts[:r]
    return " ".join(parts) + f" Ref {k}."


def records(n: int):
    """N JSON lines, ids rss-1 .. rss-N."""
    base = examples()
    for k in range(1, n + 1):
        row = base[(k - 1) % len(base)]
        out = {"id": f"rss-{k}"}
        for key, value in row.items():
            out[key] = vary(value, k) if key in ("text", "description") else value
        yield json.dumps(out, ensure_ascii=False) + "\n"


def vm(pid: int, field: str = "VmRSS") -> int | None:
    """`field` of /proc/PID/status in bytes (VmRSS: resident now, VmHWM: peak so far), or None once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def run(binary: Path, model: str, n: int, extra: list[str], env: dict[str, str]) -> dict:
    cmd = [str(binary), "score", "-q", "--model", model, *extra]
    proc = subprocess.Popen(
        cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env={**os.environ, **env}, bufsize=1 << 20
    )

    def feed() -> None:
        try:
            for line in records(n):
                proc.stdin.write(line.encode("utf-8"))
        except BrokenPipeError:
            pass
        finally:
            try:
                proc.stdin.close()
            except BrokenPipeError:
                pass

    feeder = threading.Thread(target=feed, daemon=True)
    start = time.perf_counter()
    feeder.start()
    marks = {max(1, int(n * m)): m for m in MARKS}
    rss_at: dict[float, int | None] = {}
    rows = errors = 0
    bad_id = None
    step = max(1, n // 20)
    for line in proc.stdout:
        rows += 1
        row = json.loads(line)
        if row.get("id") != f"rss-{rows}" and bad_id is None:
            bad_id = (rows, row.get("id"))
        if row.get("error") is not None:
            errors += 1
        if rows in marks:
            rss_at[marks[rows]] = vm(proc.pid)
        if rows % step == 0:
            now, peak = vm(proc.pid) or 0, vm(proc.pid, "VmHWM") or 0
            print(f"  {rows}/{n} rows, {time.perf_counter() - start:.0f} s, RSS {now / MB:.0f} MB, peak so far "
                  f"{peak / MB:.0f} MB", file=sys.stderr)
    feeder.join()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited with {proc.returncode}")
    if rows != n or errors or bad_id:
        raise SystemExit(f"N={n}: {rows} rows came back, {errors} error rows, first id out of order: {bad_id}")
    return {"n": n, "seconds": seconds, "peak": usage.ru_maxrss * 1024, "rss_at": rss_at}


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, action="append", help="records per run (repeatable) [10000 and 100000]")
    ap.add_argument("--model", default="base", help="model folder or built-in name [base]")
    ap.add_argument("--model-dir", type=Path, default=ROOT / "models" / "lurescan-base",
                    help="the folder whose size sets the bar [models/lurescan-base]")
    ap.add_argument("--binary", type=Path, default=ROOT / "target" / "release" / "lurescan")
    ap.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="extra environment (repeatable)")
    ap.add_argument("score_args", nargs="*", help="extra `lurescan score` flags, after --")
    args = ap.parse_args()
    env = dict(e.split("=", 1) for e in args.env)

    model_size = folder_size(args.model_dir)
    bar = model_size + 300 * MB
    results = []
    for n in args.n or [10_000, 100_000]:
        print(f"N={n:,}: lurescan score --model {args.model} {' '.join(args.score_args)} {args.env}", file=sys.stderr)
        r = run(args.binary, args.model, n, args.score_args, env)
        print(f"N={n:,}: peak RSS {r['peak'] / MB:.0f} MB, {n / r['seconds']:.0f} records/s", file=sys.stderr)
        results.append(r)

    print(f"model folder {args.model_dir.name}: {model_size / MB:.1f} MB; bar = model + 300 MB = {bar / MB:.1f} MB")
    if env:
        print(f"environment: {' '.join(args.env)}")
    heads = " | ".join(f"RSS at {int(m * 100)}%" for m in MARKS)
    print(f"| records | records/s | peak RSS | {heads} | within the bar |")
    print("|---:|---:|---:|" + "---:|" * len(MARKS) + "---|")
    for r in results:
        at = " | ".join(f"{r['rss_at'][m] / MB:.0f} MB" if r["rss_at"].get(m) else "-" for m in MARKS)
        ok = "yes" if r["peak"] <= bar else "**no**"
        print(f"| {r['n']:,} | {r['n'] / r['seconds']:.0f} | {r['peak'] / MB:.0f} MB | {at} | {ok} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
