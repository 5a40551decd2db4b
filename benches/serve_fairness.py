#!/usr/bin/env python3
"""Does one client's big request hold up another client's one-message requests? Loopback, side by side.

For each `lurescan` binary given (e.g. a build before and after a change to the service's queue), one `lurescan
serve` answers two clients: first the small client alone (one message per request, one after another, for the
baseline latency), then the big client's one request of --big records (the service's --max-body raised to 64 MiB for it) while the small client goes on sending. It
prints, per binary, the small requests' median and worst latency alone and beside the big request, their ratio, and
how long the big request took. Ratios within one run are the figures to read; the machine may be busy.

    cargo build --release -p lurescan-cli
    cp target/release/lurescan /tmp/lurescan-before   # (a build of the other version)
    python3 benches/serve_fairness.py --lurescan /tmp/lurescan-before --lurescan target/release/lurescan

Standard library only; the records are those of --records (default datasets/short-lures.jsonl), cycled.
"""

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_load import ROOT, exchange, start_server, wait_ready  # noqa: E402  (a script beside this one)


async def small_client(host, port, body, stop_when, max_requests):
    """Latencies (seconds) of one-record requests sent one after another until `stop_when()` or `max_requests`."""
    reader, writer = await asyncio.open_connection(host, port)
    latencies = []
    while not stop_when() and len(latencies) < max_requests:
        started = time.perf_counter()
        status, _, _ = await exchange(reader, writer, body)
        if status != 200:
            raise SystemExit(f"a small request got {status}")
        latencies.append(time.perf_counter() - started)
    writer.close()
    return latencies


async def measure(args, binary):
    run = argparse.Namespace(lurescan=binary, threads=args.threads, model=args.model)
    proc, host, port = start_server(run, extra=["--max-body", str(64 << 20)])
    try:
        await wait_ready(host, port)
        texts = [json.loads(line)["text"] for line in open(args.records, encoding="utf-8") if line.strip()]
        small = json.dumps({"text": texts[0]}).encode()
        big = json.dumps({"records": [{"id": str(i), "text": texts[i % len(texts)]} for i in range(args.big)]}).encode()
        alone = await small_client(host, port, small, lambda: False, args.requests)

        done = asyncio.Event()

        async def big_client():
            reader, writer = await asyncio.open_connection(host, port)
            started = time.perf_counter()
            try:
                status, _, _ = await exchange(reader, writer, big)
            finally:
                done.set()
            elapsed = time.perf_counter() - started
            writer.close()
            if status != 200:
                raise SystemExit(f"the big request got {status}")
            return elapsed

        big_task = asyncio.create_task(big_client())
        await asyncio.sleep(0.2)  # the big request is in the queue first
        beside = await small_client(host, port, small, done.is_set, 10**9)
        big_seconds = await big_task
        return alone, beside, big_seconds
    finally:
        proc.terminate()
        proc.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lurescan", action="append", help="a lurescan binary (repeatable)")
    ap.add_argument("--model", help="model folder [default: the built-in model]")
    ap.add_argument("--records", default=str(ROOT / "datasets/short-lures.jsonl"))
    ap.add_argument("--threads", type=int, default=2, help="--threads of serve")
    ap.add_argument("--big", type=int, default=1000, help="records in the big request (at most the service's --max-client-batch, 1,000)")
    ap.add_argument("--requests", type=int, default=50, help="small requests for the baseline")
    args = ap.parse_args()
    binaries = args.lurescan or [str(ROOT / "target/release/lurescan")]
    print("| binary | small alone: median / worst ms | beside the big request: median / worst ms (n) | median ratio | big request s |")
    print("|---|---:|---:|---:|---:|")
    for binary in binaries:
        alone, beside, big_seconds = asyncio.run(measure(args, binary))
        if not beside:
            raise SystemExit(f"{binary}: no small request was answered while the big one ran")
        a, b = statistics.median(alone), statistics.median(beside)
        print(f"| {binary} | {a * 1e3:.1f} / {max(alone) * 1e3:.1f} | {b * 1e3:.1f} / {max(beside) * 1e3:.1f} "
              f"({len(beside)}) | {b / a:.1f} | {big_seconds:.1f} |")


if __name__ == "__main__":
    main()
